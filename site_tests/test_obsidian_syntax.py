"""Every Obsidian link, embed and markup form, built into a real site and read back as HTML."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from site_tests.sitebuild import build

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201"
    "5c4f3b6b0000000049454e44ae426082"
)

NOTES = {
    "index.md": "# Home\n\nStart at [[Target]].\n",
    "Target.md": (
        "---\naliases: [Goal, 목표]\ntags: [math/calc]\n---\n"
        "# Target\n\nIntro paragraph. ^intro-1\n\n"
        "## 미분 (Derivative)\n\nDerivative text.\n\n### Inner\n\nInner text $a+b$.\n\n"
        "## Other\n\nOther text.\n\n- item one\n- item two ^list-item\n"
    ),
    "sub/deep/Leaf.md": "# Leaf\n\nLeaf body with ==marked== words.\n",
    "a/Dup.md": "# Dup A\n",
    "b/c/Dup.md": "# Dup B\n",
    "links.md": (
        "# Links\n\n"
        "L1 [[Target]]\n\n"
        "L2 [[Target|the **alias**]]\n\n"
        "L3 [[Target#미분 (Derivative)]]\n\n"
        "L4 [[Target#미분 (Derivative)#Inner]]\n\n"
        "L5 [[#Section here]]\n\n"
        "L6 [[Target#^intro-1]]\n\n"
        "L7 [[Target.md]]\n\n"
        "L8 [[pic.png]]\n\n"
        "L9 [[ target |trimmed]] and [[TARGET]]\n\n"
        "L10 [[Leaf]] and [[deep/Leaf]]\n\n"
        "L11 [[Goal]] and [[목표]]\n\n"
        "L12 [[Dup]]\n\n"
        f"L13 [[{unicodedata.normalize('NFD', '한글 노트')}]]\n\n"
        "L14 [[Missing note]]\n\n"
        "## Section here\n\ntext\n\n"
        "## See [[Leaf]] and $x^2$ here\n\nL15 [[#See Leaf and $x^2$ here]] and ![alt [[Leaf]]](pic.png)\n"  # noqa: E501 (a note's text, kept on one line)
    ),
    "private.md": "# Private\n\nP1 raw \ue0000\ue001 and \ue0020\ue003forged\ue004 marks.\n",
    "한글 노트.md": "# 한글\n\n본문.\n",
    "embeds.md": (
        "# Embeds\n\n"
        "![[pic.png]]\n\n"
        "![[pic.png|600]]\n\n"
        "![[pic.png|300x200]]\n\n"
        "![[pic.png|A caption with $x^2$]]\n\n"
        "![[Leaf]]\n\n"
        "![[Target#미분 (Derivative)]]\n\n"
        "![[Target#^list-item]]\n\n"
        "![[doc.pdf#page=2]]\n\n"
        "![[tone.wav]]\n\n"
        "![[clip.mp4]]\n\n"
        "![[Nest A]]\n\n"
        "![[Cycle A]]\n\n"
        "## Own heading\n\nOwn text.\n"
    ),
    "Nest A.md": "Nest A text.\n\n![[Nest B]]\n",
    "Nest B.md": "Nest B text $y$.\n",
    "Cycle A.md": "Cycle A.\n\n![[Cycle B]]\n",
    "Cycle B.md": "Cycle B.\n\n![[Cycle A]]\n",
    "markup.md": (
        "---\ntitle: Markup page\ntags:\n  - fm-tag\nempty:\n---\n"
        "# Markup\n\n"
        "Some ==highlighted **bold**== text. Hidden %%secret inline%% here.\n\n"
        "%%\nmulti-line secret\n%%\n\n"
        "Tags #inline-tag #nested/child #1984 and `#not-a-tag` and `[[not a link]]`.\n\n"
        "> [!tip] Title with $e^x$ and **bold**\n> Body with $$x^2$$ inside.\n\n"
        "> [!faq]- Folded question\n> Answer.\n\n"
        "> [!unknownkind] Strange\n> Rendered as a note.\n\n"
        "> [!note] Outer\n> > [!warning] Inner\n> > Nested body.\n\n"
        "- list item\n\t- tabbed $$\\frac{a}{b}$$ inline display\n\t\t$$\n\t\t\\begin{align}\n\t\ta &= b \\\\\n\n\t\tc &= d\n\t\t\\end{align}\n\t\t$$\n\n"  # noqa: E501 (a note's text, kept on one line)
        "Prices $5 and $10 stay text; escaped \\$ too.\n\n"
        "Same line $$y = mx$$ as text.\n\n"
        "```python\nx = '[[no]] $no$ ==no== %%no%%'\n```\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("syntax")
    vault = root / "vault"
    for rel, text in NOTES.items():
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (vault / "pic.png").write_bytes(PNG)
    (vault / "doc.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (vault / "tone.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    (vault / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "secret.md").write_text(
        "# should never be published\n", encoding="utf-8"
    )
    plugins = ["search", "tags", {"mathvault": {"execute": False, "verify": False}}]
    result = build(vault, root / "out", extra={"plugins": plugins})
    assert result.returncode == 0, result.log
    return result.site_dir, result.log


def soup_of(site_dir: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup(
        (site_dir / page / "index.html").read_text(encoding="utf-8"), "html.parser"
    )


def para(soup: BeautifulSoup, label: str):
    return next(p for p in soup.select("article p") if p.get_text().startswith(label + " "))


def target_of(site_dir: Path, page: str, href: str) -> tuple[str, str]:
    parts = urlsplit(href)
    path = (site_dir / page / unquote(parts.path)).resolve()
    return path.relative_to(site_dir.resolve()).as_posix(), unquote(parts.fragment)


def test_wikilink_forms(site) -> None:
    site_dir, log = site
    s = soup_of(site_dir, "links")

    def hrefs(label):
        return [target_of(site_dir, "links", a["href"]) for a in para(s, label).select("a")]

    assert hrefs("L1") == [("Target", "")]
    a = para(s, "L2").select_one("a")
    assert a.select_one("strong").get_text() == "alias"
    assert hrefs("L3") == [("Target", "미분-derivative")]
    assert hrefs("L4") == [("Target", "inner")]
    assert para(s, "L5").select_one("a")["href"] == "#section-here"
    assert hrefs("L6") == [("Target", "^intro-1")]
    assert hrefs("L7") == [("Target", "")]
    assert hrefs("L8") == [("pic.png", "")]
    assert hrefs("L9") == [("Target", ""), ("Target", "")]
    assert hrefs("L10") == [("sub/deep/Leaf", ""), ("sub/deep/Leaf", "")]
    assert hrefs("L11") == [("Target", ""), ("Target", "")]
    assert hrefs("L12") == [("a/Dup", "")]  # shortest path wins...
    assert "links.md:25: ambiguous link 'Dup'" in log  # ...and it is reported
    assert hrefs("L13") == [("한글 노트", "")]  # NFD spelling finds the NFC file
    broken = para(s, "L14").select_one(".mathvault-broken-link")
    assert broken is not None and not para(s, "L14").select("a")
    assert "links.md:29: broken link 'Missing note'" in log


def test_links_in_headings_and_attributes(site) -> None:
    """Links MkDocs never sees (resolved by mathvault) still behave inside a heading
    (its id, the table of contents) and inside an attribute (an image's alt)."""
    site_dir, _ = site
    page = (site_dir / "links" / "index.html").read_text(encoding="utf-8")
    s = BeautifulSoup(page, "html.parser")
    heading = s.select_one("h2#see-leaf-and-here")
    assert heading is not None, [h.get("id") for h in s.select("h2")]
    assert target_of(site_dir, "links", heading.select_one("a")["href"]) == ("sub/deep/Leaf", "")
    toc = [a.get_text(" ", strip=True) for a in s.select("nav.md-nav--secondary a")]
    assert any(t.startswith("See Leaf and") for t in toc), toc
    assert para(s, "L15").select_one("a")["href"] == "#see-leaf-and-here"
    assert para(s, "L15").select_one("img")["alt"] == "alt Leaf"
    assert not any(0xE000 <= ord(ch) <= 0xE004 for ch in page)


def test_placeholder_characters_in_a_note_cannot_forge_math_or_links(site) -> None:
    site_dir, _ = site
    s = soup_of(site_dir, "private")
    p = para(s, "P1")
    assert p.get_text() == "P1 raw \ufffd0\ufffd and \ufffd0\ufffdforged\ufffd marks."  # not ours
    assert not p.select("a, .arithmatex")


def test_anchor_targets_exist(site) -> None:
    site_dir, _ = site
    target = soup_of(site_dir, "Target")
    ids = {el["id"] for el in target.select("[id]")}
    assert {"미분-derivative", "inner", "^intro-1", "^list-item"} <= ids


def test_image_embeds(site) -> None:
    site_dir, _ = site
    imgs = soup_of(site_dir, "embeds").select("article img")
    assert [(i.get("width"), i.get("height")) for i in imgs[:4]] == [
        (None, None),
        ("600", None),
        ("300", "200"),
        (None, None),
    ]
    assert imgs[3]["alt"] == "A caption with $x^2$"  # math in an attribute: its TeX as text
    assert all(target_of(site_dir, "embeds", i["src"])[0] == "pic.png" for i in imgs)
    figure = soup_of(site_dir, "embeds").select_one("figure.mathvault-figure")
    assert figure.select_one("figcaption .arithmatex").get_text() == "\\(x^2\\)"


def test_transclusions(site) -> None:
    site_dir, log = site
    s = soup_of(site_dir, "embeds")
    embeds = s.select(".mathvault-embed")
    texts = [e.get_text(" ", strip=True) for e in embeds]
    assert any("Leaf body with" in t and e.select_one("mark") for t, e in zip(texts, embeds))
    section = next(t for t in texts if "Derivative text" in t)
    assert (
        "Inner text" in section and "Other text" not in section
    )  # up to the next same-level heading
    assert (
        any(t.endswith("item two") or "item two" in t for t in texts) or "item two" in s.get_text()
    )
    nest = next(e for e in embeds if "Nest A text" in e.get_text())
    assert "Nest B text" in nest.get_text() and nest.select_one(".arithmatex")
    assert "embed cycle" in log and "Cycle A.md" in log
    assert s.select_one("iframe.mathvault-pdf")["src"].endswith("doc.pdf#page=2")
    assert s.select_one("audio")["src"].endswith("tone.wav")
    assert s.select_one("video")["src"].endswith("clip.mp4")
    # the embedded section keeps its headings, but the page outline lists only the page's own
    inner = next(e for e in embeds if "Derivative text" in e.get_text())
    assert [h.get_text(strip=True) for h in inner.select("h2, h3")] == [
        "미분 (Derivative)",
        "Inner",
    ]
    outline = [a.get_text(strip=True) for a in s.select("nav.md-nav--secondary a.md-nav__link")]
    assert "Own heading" in outline, outline
    assert not {"미분 (Derivative)", "Inner"} & set(outline), outline


def test_markup(site) -> None:
    site_dir, _ = site
    s = soup_of(site_dir, "markup")
    art = s.select_one("article")
    text = art.get_text(" ")
    assert art.select_one("mark strong").get_text() == "bold"
    assert "secret" not in text
    tags = [t.get_text() for t in art.select(".mathvault-tag")]
    assert tags == ["#inline-tag", "#nested/child"]
    assert "#1984" in text
    codes = [c.get_text() for c in art.select("code")]
    assert "#not-a-tag" in codes and "[[not a link]]" in codes
    assert any("[[no]] $no$ ==no== %%no%%" in c for c in codes)
    tip = art.select_one(".admonition.tip")
    assert tip.select_one(".admonition-title .arithmatex").get_text() == "\\(e^x\\)"
    assert tip.select_one(".admonition-title strong").get_text() == "bold"
    faq = art.select_one("details.question")
    assert faq is not None and not faq.has_attr("open")
    assert (
        "Rendered as a note" in art.select_one(".admonition.note, details.note").parent.get_text()
    )
    outer = next(a for a in art.select(".admonition.note") if "Outer" in a.get_text())
    assert outer.select_one(".admonition.warning") is not None
    maths = [m.get_text() for m in art.select(".arithmatex")]
    assert "\\[\\frac{a}{b}\\]" in maths
    assert any("\\begin{align}" in m and "a &= b \\\\\n\n" in m for m in maths)
    assert "\\[y = mx\\]" in maths
    assert "$5 and $10" in text and "\\$" not in text and "escaped $ too" in text
    assert s.select_one("h1").get_text().startswith("Markup")


def test_tags_reach_material(site) -> None:
    site_dir, _ = site
    s = soup_of(site_dir, "markup")
    assert {"fm-tag", "inline-tag", "nested/child"} <= {
        t.get_text(strip=True) for t in s.select(".md-tag")
    }


def test_hidden_folders_never_published(site) -> None:
    site_dir, _ = site
    assert not any(".obsidian" in str(p) for p in site_dir.rglob("*"))
    assert "should never be published" not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in site_dir.rglob("*.html")
    )


def test_backlinks_survive_a_minifier_that_runs_early(tmp_path: Path) -> None:
    """A plugin that strips HTML comments in on_post_page (as mkdocs-minify does) and is
    ordered before mathvault must not lose the backlinks: mathvault fills them in first."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "A.md").write_text("# A\n\nSee [[B]].\n", encoding="utf-8")
    (vault / "B.md").write_text("# B\n\nText.\n", encoding="utf-8")
    hook = tmp_path / "strip_comments.py"
    hook.write_text(
        "import re\nfrom mkdocs.plugins import event_priority\n\n"
        "@event_priority(50)\n"
        "def on_post_page(output, page, config):\n"
        "    return re.sub(r'<!--.*?-->', '', output, flags=re.S)\n",
        encoding="utf-8",
    )
    result = build(
        vault,
        tmp_path / "out",
        plugin={"execute": False, "verify": False},
        extra={"hooks": [str(hook)]},
    )
    assert result.returncode == 0, result.log
    b = BeautifulSoup(
        (result.site_dir / "B" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    backlinks = b.select_one("aside.mathvault-backlinks")
    assert backlinks is not None and [a.get_text() for a in backlinks.select("a")] == ["A"]


def test_links_resolve_without_directory_urls(tmp_path: Path) -> None:
    """`use_directory_urls: false` (pages are `x.html`): mathvault's own URLs for links,
    heading anchors, embeds and backlinks must match the files MkDocs writes."""
    vault = tmp_path / "vault"
    notes = {
        "index.md": "# Home\n\n[[sub/A]] and [[B#Part two]]\n",
        "B.md": "# B\n\n## Part two\n\nSee [[A|the A note]] and ![[pic.png|50]].\n",
        "sub/A.md": "# A\n\nBack to [[B]], [[B#Part two]], [[index|home]].\n\n![[B#Part two]]\n",
    }
    for rel, text in notes.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    (vault / "pic.png").write_bytes(PNG)
    result = build(
        vault,
        tmp_path / "out",
        plugin={"execute": False, "verify": False},
        strict=True,
        extra={"use_directory_urls": False},
    )
    assert result.returncode == 0, result.log
    site_dir = result.site_dir
    checked = 0
    for page in ("index.html", "B.html", "sub/A.html"):
        s = BeautifulSoup((site_dir / page).read_text(encoding="utf-8"), "html.parser")
        for el in s.select("article [href], article [src], aside.mathvault-backlinks a"):
            url = el.get("href") or el.get("src")
            parts = urlsplit(url)
            target = (
                (site_dir / page).parent / unquote(parts.path) if parts.path else site_dir / page
            )
            assert target.is_file(), f"{page}: {url} -> {target}"
            if parts.fragment:
                ids = {
                    e["id"]
                    for e in BeautifulSoup(
                        target.read_text(encoding="utf-8"), "html.parser"
                    ).select("[id]")
                }
                assert unquote(parts.fragment) in ids, f"{page}: no #{parts.fragment} in {target}"
            checked += 1
    assert checked >= 10


def test_exponential_transclusion_builds_within_the_budget(tmp_path: Path) -> None:
    """22 notes, each embedding the next one twice (2^22 copies, no cycle): every page
    expands at most `embed_limit` embeds, shows the rest as links, and says so once."""
    from mathvault.vault.convert import EMBED_LIMIT

    vault = tmp_path / "vault"
    vault.mkdir()
    for i in range(22):
        body = (
            f"# N{i}\n\nText {i} $x_{{{i}}}$.\n\n![[n{i + 1}]]\n\n![[n{i + 1}]]\n"
            if i < 21
            else "# N21\n\nLeaf.\n"
        )
        (vault / f"n{i}.md").write_text(body, encoding="utf-8")
    result = build(vault, tmp_path / "out", plugin={"execute": False, "verify": False}, timeout=300)
    assert result.returncode == 0, result.log
    over = [k for k in range(22) if 2 ** (22 - k) - 2 > EMBED_LIMIT]  # pages n0 … n11
    assert len(result.warnings) == len(over), result.warnings
    for k in over:
        [warning] = [w for w in result.warnings if f"/n{k}.md:" in w]
        assert (
            f"embeds on this page exceed the transclusion budget ({EMBED_LIMIT} embeds" in warning
        )
        assert (
            f" at n{k}.md:5 → n{k + 1}.md:" in warning or f" at n{k}.md:7 → n{k + 1}.md:" in warning
        )
    for k in (0, 11, 12, 20):
        s = soup_of(result.site_dir, f"n{k}")
        boxes = s.select("article .mathvault-embed")
        if k in over:  # the budget's worth of boxes, then links to the notes
            assert EMBED_LIMIT - 30 <= len(boxes) <= EMBED_LIMIT
            cut = [  # links in the text, not the embed titles or the local graph beside it
                a
                for a in s.select("article a")
                if not a.find_parent(
                    class_=["admonition-title", "mathvault-graph", "mathvault-graph-title"]
                )
                and "mathvault-graph-node" not in (a.get("class") or [])
            ]
            assert cut and all(a.get_text().startswith("n") for a in cut)
        else:  # under the budget: every copy, as before
            assert len(boxes) == 2 ** (22 - k) - 2
        assert len(s.select("article .arithmatex")) == 1 + len(boxes) - s.get_text().count("Leaf.")


def test_backlinks_pane_and_block_ids_as_obsidian_shows_them(tmp_path: Path) -> None:
    """Linked mentions show the linking paragraph or list item rendered, never a comment;
    a block id glued to an embed is an anchor; a block embed's title has no `^id`."""
    vault = tmp_path / "vault"
    notes = {
        "T.md": "# T\n\n## Part\n\nText.\n",
        "S.md": (
            "---\ntitle: Source\n---\n"
            "Uses `code`, **bold** and $x^2$\nwith [[T#Part|the *part*]] here. ^abc123\n\n"
            "- item [[T]] ![[pic.png]]^fig-1\n\n"
            "> [!tip] Tip title\n> Callout [[T]] body. %% PRIVATE-INLINE %%\n\n"
            "%%\nPRIVATE-BLOCK: see [[Hidden]] and [[T]]\n%%\n\n"
            "![[T#^blk]]\n"
        ),
        "Hidden.md": "# Hidden\n\nNothing links here.\n",
    }
    notes["T.md"] += "\nA block. ^blk\n"
    for rel, text in notes.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    (vault / "pic.png").write_bytes(PNG)
    result = build(vault, tmp_path / "out", plugin={"execute": False, "verify": False}, strict=True)
    assert result.returncode == 0, result.log
    t = soup_of(result.site_dir, "T")
    contexts = t.select("aside.mathvault-backlinks .mathvault-backlink-context")
    assert [c.get_text() for c in contexts] == [
        "Uses code, bold and \\(x^2\\) with the part here.",
        "item T",
        "Callout T body.",
        "",
    ]
    first = contexts[0]
    assert (
        first.select_one("code").get_text() == "code"
        and first.select_one("strong").get_text() == "bold"
    )
    assert (
        first.select_one("mark.mathvault-backlink-here em").get_text() == "part"
    )  # this page: marked
    assert not t.select("aside.mathvault-backlinks .mathvault-backlink-context a")
    hidden = soup_of(result.site_dir, "Hidden")
    assert "No other note links here." in hidden.select_one("aside.mathvault-backlinks").get_text()
    for f in result.site_dir.rglob("*"):
        if f.is_file() and f.suffix in (".html", ".json", ".xml", ".js"):
            text = f.read_text(encoding="utf-8", errors="replace")
            assert "PRIVATE" not in text, f
    s = soup_of(result.site_dir, "S")
    article = s.select_one("article")
    assert "^fig-1" not in article.get_text() and article.select_one('[id="^fig-1"]') is not None
    assert "^abc123" not in article.get_text() and article.select_one('[id="^abc123"]') is not None
    [box] = article.select(".mathvault-embed")
    assert box.select_one(".admonition-title").get_text(strip=True) == "T"
    assert target_of(result.site_dir, "S", box.select_one(".admonition-title a")["href"]) == (
        "T",
        "^blk",
    )


def test_folder_names_are_shown_as_written_in_the_navigation(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    for rel in ("ml/Note.md", "my-notes/sub_dir/Deep.md", "Math/x.md"):
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text("# " + rel.rsplit("/", 1)[1][:-3] + "\n", encoding="utf-8")
    result = build(vault, tmp_path / "out", plugin={"execute": False, "verify": False}, strict=True)
    assert result.returncode == 0, result.log
    nav = soup_of(result.site_dir, "ml/Note").select_one("nav.md-nav--primary")
    labels = {
        " ".join(el.get_text(" ", strip=True).split()) for el in nav.select("label.md-nav__link")
    }
    assert {"ml", "my-notes", "sub_dir", "Math"} <= labels, labels
    assert not {"Ml", "My notes", "Sub dir"} & labels, labels


def test_wider_fan_out_warns_once_per_page_over_the_budget(tmp_path: Path) -> None:
    """10 notes, each embedding the next one five times (5^10 copies): the pages over the
    budget (n0 … n4) each give exactly one located warning, the others none."""
    from mathvault.vault.convert import EMBED_LIMIT

    vault = tmp_path / "vault"
    vault.mkdir()
    for i in range(10):
        body = f"# N{i}\n\nText {i}.\n\n" + f"![[n{i + 1}]]\n\n" * 5 if i < 9 else "Leaf.\n"
        (vault / f"n{i}.md").write_text(body, encoding="utf-8")
    result = build(vault, tmp_path / "out", plugin={"execute": False, "verify": False}, timeout=300)
    assert result.returncode == 0, result.log
    copies = [sum(5**j for j in range(1, 10 - k)) for k in range(10)]  # embeds page n_k shows
    over = [k for k in range(10) if copies[k] > EMBED_LIMIT]
    assert over == [0, 1, 2, 3, 4]
    assert len(result.warnings) == len(over), result.warnings
    for k in over:
        [warning] = [w for w in result.warnings if f"/n{k}.md:" in w]
        line = warning.split(f"vault/n{k}.md:", 1)[1].split(":", 1)[0]  # the page's embed
        assert line in ("5", "7", "9", "11", "13"), warning
        assert f"vault/n{k}.md:{line}: embeds on this page exceed the transclusion budget" in (
            warning
        )
        assert f" at n{k}.md:{line} → n{k + 1}.md:" in warning
    for k in (0, 5):
        boxes = soup_of(result.site_dir, f"n{k}").select("article .mathvault-embed")
        assert len(boxes) <= EMBED_LIMIT and (k in over or len(boxes) == copies[k])


def test_readme_beside_index_both_published(tmp_path: Path) -> None:
    """`Case/index.md` is the folder page, `Case/README.md` a page of its own that
    `[[README]]` and `[[Case/README]]` reach; only a real clash warns."""
    vault = tmp_path / "vault"
    files = {
        "Home.md": "# Home\n\n[[Case/README|by path]] and [[Case/index|the folder]].\n",
        "Case/index.md": "# Case folder\n\nSee [[README]].\n",
        "Case/README.md": "# Case readme\n\nREADME-BODY, back to [[Case/index|index]].\n",
    }
    for rel, text in files.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    result = build(vault, tmp_path / "out", plugin={"execute": False, "verify": False}, strict=True)
    assert result.returncode == 0 and not result.warnings, result.log
    site = result.site_dir
    assert "Case folder" in (site / "Case" / "index.html").read_text(encoding="utf-8")
    readme = soup_of(site, "Case/README")
    assert "README-BODY" in readme.select_one("article").get_text()
    case = BeautifulSoup((site / "Case" / "index.html").read_text(encoding="utf-8"), "html.parser")
    see = para(case, "See").select_one("a")
    assert see.get_text() == "README"
    assert (site / "Case" / unquote(see["href"]) / "index.html").resolve() == (
        site / "Case" / "README" / "index.html"
    ).resolve()
    home = soup_of(site, "Home")
    by_path = home.select_one("article p a")
    assert by_path.get_text() == "by path"
    assert target_of(site, "Home", by_path["href"]) == ("Case/README", "")
    nav = [a.get_text(" ", strip=True) for a in readme.select("nav.md-nav--primary a")]
    assert "README" in nav  # the file name, as in Obsidian's file explorer

    # A real clash: a folder `Case/README/` with its own index.md takes that URL.
    (vault / "Case" / "README").mkdir()
    (vault / "Case" / "README" / "index.md").write_text("# Inner\n", encoding="utf-8")
    (vault / "Solo").mkdir()  # and a README alone in its folder: the folder page, as in MkDocs
    (vault / "Solo" / "README.md").write_text("# Solo\n\nSOLO-BODY\n", encoding="utf-8")
    clash = build(vault, tmp_path / "out2", plugin={"execute": False, "verify": False})
    assert clash.returncode == 0, clash.log
    [warning] = [w for w in clash.warnings if "/Case/README.md:" in w]
    assert "vault/Case/README.md:1: README.md beside index.md would be published at" in warning
    assert len(clash.warnings) == 2  # and Home's [[Case/README]] is now a broken link
    assert "'Case/README/index.md'" in warning and "Excluding" not in clash.log
    assert "SOLO-BODY" in (clash.site_dir / "Solo" / "index.html").read_text(encoding="utf-8")


def test_note_with_nul_and_control_bytes_gets_its_page(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "x.md").write_bytes(b"# X\n\nfine line\nNUL-HERE \x00 and STX \x02 here\nend\n")
    (vault / "picture.md").write_bytes(PNG)  # a real binary is still refused
    result = build(vault, tmp_path / "out", plugin={"execute": False, "verify": False})
    assert result.returncode == 0, result.log
    text = soup_of(result.site_dir, "x").select_one("article").get_text()
    assert "NUL-HERE \ufffd and STX \ufffd here" in text and "end" in text
    html = (result.site_dir / "x" / "index.html").read_text(encoding="utf-8")
    assert "\x00" not in html and "\x02" not in html
    [nul] = [w for w in result.warnings if "/x.md:" in w]
    assert nul.endswith(
        "vault/x.md:4: NUL byte 0x00 (and 1 more) in the text; shown as \ufffd "
        "(remove it from the note)"
    )
    [binary] = [w for w in result.warnings if "/picture.md:" in w]
    assert "vault/picture.md:1: this is a binary file" in binary


@pytest.mark.parametrize(
    "frontmatter, line",
    [
        ('---\ntitle: "unclosed\ntags: [a]\nx: 1\n---\n', 2),  # the quote opens on line 2
        ("---\ntitle: ok\ntags: [a, b\nx: 1\ny: 2\n---\n", 3),  # the bracket opens on line 3
        ("---\ntitle: ok\n\tx: 1\n---\n", 3),  # a tab: its own line
    ],
)
def test_yaml_errors_are_reported_where_the_construct_starts(
    tmp_path: Path, frontmatter: str, line: int
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "note.md").write_text(frontmatter + "# Body\n\nBODY-TEXT\n", encoding="utf-8")
    result = build(vault, tmp_path / "out", plugin={"execute": False, "verify": False})
    assert result.returncode == 0, result.log
    [warning] = result.warnings
    assert f"vault/note.md:{line}: bad frontmatter YAML" in warning, warning
    assert "BODY-TEXT" in soup_of(result.site_dir, "note").select_one("article").get_text()
