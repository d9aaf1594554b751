"""The vault-shapes corpus (tests/data/vault_shapes/: notes written from Obsidian's help, not
from the converter) built with the real `mkdocs build --strict`, then the generic site checks
over every page, and what a reader must see of each shape."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from site_tests.sitebuild import build
from site_tests.sitechecks import broken_links, pages, raw_syntax

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "vault_shapes"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shapes")
    vault = root / "vault"
    shutil.copytree(CORPUS, vault)
    result = build(
        vault,
        root / "out",
        plugin={"execute": False, "verify": False},
        strict=True,
        extra={"validation": {"links": {"anchors": "warn", "unrecognized_links": "warn"}}},
    )
    assert result.returncode == 0 and not result.warnings, result.log
    return result.site_dir


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def article(site: Path, page: str):
    return soup(site, page).select_one("article")


def test_every_note_gets_a_page(site: Path) -> None:
    notes = sorted(p.relative_to(CORPUS).as_posix()[:-3] for p in CORPUS.rglob("*.md"))
    missing = [n for n in notes if not (site / (n[:-6] if n.endswith("/index") else n)).is_dir()]
    assert missing == []
    for attachment in ("Attachments/img/diagram.png", "수학/그림/그래프 1.png"):
        assert (site / attachment).is_file()


def test_no_raw_obsidian_syntax_outside_code(site: Path) -> None:
    assert raw_syntax(site) == []


def test_every_link_and_anchor_resolves(site: Path) -> None:
    assert len(pages(site)) >= 15
    assert broken_links(site) == []


def _target(site: Path, page: str, href: str) -> tuple[str, str]:
    """(page folder relative to the site, fragment) an href of `page` leads to."""
    parts = urlsplit(href)
    path = (site / page / unquote(parts.path)).resolve().relative_to(site.resolve())
    return path.as_posix(), unquote(parts.fragment)


def test_links_reach_what_obsidian_opens(site: Path) -> None:
    a = article(site, "Links")
    by_text = {el.get_text(" ", strip=True): el["href"] for el in a.select("a[href]")}
    expect = {
        "back home": ("Home", ""),
        "Start": ("Home", ""),  # an alias of Home
        "시작 페이지": ("Home", ""),
        "Headings > Step 1 Install (the easy way)": ("Headings", "step-1-install-the-easy-way"),
        "Headings > Step 1: Install (the easy way)": ("Headings", "step-1-install-the-easy-way"),
        "Headings > Questions & answers > Why? Because!": ("Headings", "why-because"),
        "Blocks > ^para-1": ("Blocks", "^para-1"),
        "Blocks > ^my-list-id": ("Blocks", "^my-list-id"),
        "3.4.3. 미분 > 연쇄 법칙 (chain rule)": ("수학/미적분/3.4.3. 미분", "연쇄-법칙-chain-rule"),
        "by a shorter path": ("수학/미적분/3.4.3. 미분", ""),
        "to a heading": ("Headings", "simple-heading"),
        "angle brackets": ("Daily notes/2024/2024-01-15", ""),
    }
    for text, (page, fragment) in expect.items():
        assert text in by_text, (text, sorted(by_text))
        assert _target(site, "Links", by_text[text]) == (page, fragment), text
    assert "[[Home]]" in a.select_one("code").get_text()  # code is never a link
    tags = [t.get_text() for t in a.select(".mathvault-tag, a.md-tag, span.md-tag")]
    assert "#1984" not in " ".join(tags)


def test_aliases_as_one_comma_separated_string(site: Path) -> None:
    a = article(site, "Home")
    [link] = [el for el in a.select("a[href]") if el.get_text() == "Link to blocks"]
    assert _target(site, "Home", link["href"]) == ("Blocks", "")


def test_images_keep_their_fragments_and_sizes(site: Path) -> None:
    a = article(site, "Embeds")
    icon = a.select_one('img[src$="lucide-settings.svg"]')
    assert icon is not None and icon.find_parent("p") is not None  # inline, in its sentence
    sized = [img for img in a.select('img[src$="diagram.png"]') if img.get("width") == "100"]
    assert sized and all("#" not in img["src"] for img in a.select("img"))
    assert any(img.get("width") == "100" and img.get("height") == "80" for img in a.select("img"))
    caption = a.select_one("figcaption")
    assert caption is not None and "A caption with" in caption.get_text()
    assert caption.select_one(".arithmatex") is not None
    assert a.select_one('img[src$="%EA%B7%B8%EB%9E%98%ED%94%84%201.png"]') is not None


def test_tables_with_escaped_pipes(site: Path) -> None:
    table = article(site, "Tables").select_one("table")
    rows = [[td for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert [len(r) for r in rows] == [3, 3, 3, 3]  # the \| split no cell
    assert rows[0][0].get_text(strip=True) == "홈" and rows[0][0].select_one("a[href]")
    assert rows[0][2].select_one("img").get("width") == "40"
    assert rows[1][0].get_text(strip=True) == "a heading"
    assert rows[2][2].get_text() == "[[code]] stays"
    assert rows[3][0].get_text(strip=True) == "미분"


def test_callouts_nested_in_lists_with_math(site: Path) -> None:
    a = article(site, "Callouts")
    nested = a.select(".admonition .admonition .admonition")
    assert nested and nested[0].select_one(".arithmatex") is not None
    in_list = a.select("li > .admonition, li > details")
    assert len(in_list) == 3, in_list
    assert in_list[0].select_one(".arithmatex") is not None
    tabbed = in_list[2]  # a callout holding a list, in a tab-indented numbered item
    assert [li.get_text(" ", strip=True) for li in tabbed.select("li")][0] == (
        "a list inside, linking Tables"
    )
    assert [li.get_text(strip=True) for li in a.select("ol > li > p")][-1] == "The next number"
    folded = a.select_one("details:not([open])")
    assert folded is not None and "Are callouts foldable?" in folded.get_text()
    assert "[[not a link]]" in a.select_one("pre").get_text()
    assert "%% not a comment %%" in a.select_one("pre").get_text()


def test_code_is_left_alone_and_comments_are_gone(site: Path) -> None:
    a = article(site, "Code")
    code = " ".join(el.get_text() for el in a.select("code, pre"))
    for text in ("[[Home]]", "![[diagram.png]]", "%% no comment %%", "> [!note]", "^abc123"):
        assert text in code, text
    assert "[[In a list]] %% still code %%" in code
    assert "an indented code block with [[Home]] %% too %%" in code
    for page in pages(site):
        assert "HIDDEN" not in page.read_text(encoding="utf-8"), page
    backlinks = soup(site, "Links").select_one("aside.mathvault-backlinks")
    assert "Code" not in [el.get_text(strip=True) for el in backlinks.select("a")]


def test_embeds_of_headings_blocks_and_notes(site: Path) -> None:
    a = article(site, "Embeds")
    titles = [el.get_text(strip=True) for el in a.select(".mathvault-embed .admonition-title")]
    assert "Headings > Simple heading" in titles and "Callouts" in titles
    assert not [t for t in titles if "^" in t]  # block embeds are titled by note, not id
    text = a.get_text()
    assert "A paragraph that other notes link to." in text
    assert "item two" in text and "item three" in text  # the list by its id
    assert a.select_one('iframe[src*="paper.pdf#page=2"], embed[src*="paper.pdf#page=2"]')
    tables = [t for t in a.select(".mathvault-embed table") if "x²" in t.get_text()]
    assert len(tables) == 1  # the table its block id names


def test_korean_paths_and_folder_notes(site: Path) -> None:
    page = soup(site, "수학/미적분/3.4.3. 미분")
    assert page.select_one("h1").get_text(strip=True) == "3.4.3. 미분"
    assert page.select_one('[id="연쇄-법칙-chain-rule"]') is not None
    readme = soup(site, "Case/README")
    assert readme.select_one("h1").get_text(strip=True) == "Case README"
    case = (site / "Case" / "index.html").read_text(encoding="utf-8")
    assert "The folder page." in case


def test_the_generic_checks_catch_what_they_look_for(tmp_path: Path) -> None:
    """The checks above can fail: a hand-made site with each offence is reported."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "b").mkdir()
    (site / "a" / "index.html").write_text(
        "<p>raw [[Note]] and ![[x.png]] and %% and a block ^abc12 end</p>"
        '<p>[!tip] Title</p><p>!!! note "T"</p>'
        "<p><code>[[fine]] %% ^fine</code> x^2 <a href='../b/'>Note &gt; ^fine</a></p>"
        "<a href='../b/#nowhere'>x</a><a href='../missing/'>y</a><img src='gone.png'>"
        "<a href='../b/#here'>ok</a><a href='https://example.org/'>out</a>",
        encoding="utf-8",
    )
    (site / "b" / "index.html").write_text("<h2 id='here'>Here</h2>", encoding="utf-8")
    raw = raw_syntax(site)
    assert sorted(r.split(": raw ")[1].split(":")[0] for r in raw) == sorted(
        ["[[", "[[", "![[", "%%", "^id", "[!type]", "!!! type"]
    )  # `![[` also holds a `[[`; nothing from <code>, `x^2` or link text
    broken = broken_links(site)
    assert len(broken) == 3 and any("#nowhere" in b for b in broken), broken
