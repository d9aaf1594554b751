"""Units of the Obsidian core: decoding, frontmatter, resolution, conversion, math restore."""

from __future__ import annotations

import unicodedata

import pytest

from mathvault.syntax.frontmatter import split_frontmatter
from mathvault.vault import convert
from mathvault.vault.index import VaultIndex, parse_note
from mathvault.vault.render import natural_key
from mathvault.vault.source import decode_note
from tests.helpers import make_index, render_note


def render(files: dict[str, str], page: str) -> tuple[str, list[convert.Problem]]:
    out = render_note(make_index(files), page)
    return out.html, out.ctx.problems


def test_decode_handles_bom_crlf_cr_and_bad_bytes() -> None:
    d = decode_note(b"\xef\xbb\xbfa\r\nb\rc\xff\n")
    assert d.text == "a\nb\nc\ufffd\n"
    assert d.problems and d.problems[0][0] == 3 and "UTF-8" in d.problems[0][1]
    assert decode_note("한".encode("utf-16")).text == "한"
    assert decode_note(b"\x89PNG\r\n\x1a\n\x00\x00").binary


def test_frontmatter_lines_and_safety() -> None:
    fm = split_frontmatter("---\ntitle: x\nbad: [\n---\nbody\n")
    assert fm.meta == {} and fm.body == "body\n" and fm.body_line == 5
    assert fm.problems[0][0] >= 3
    assert split_frontmatter("---\na: !!python/object/apply:os.system [echo hi]\n---\n").meta == {}
    bomb = (
        "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"  # noqa: E501 (a note's text, kept on one line)
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\n"
    )
    assert split_frontmatter(bomb).problems
    assert split_frontmatter("---\ncreated: 2025-03-12\nempty:\n---\n").meta == {
        "created": "2025-03-12",
        "empty": None,
    }


def test_resolution_rules() -> None:
    index = make_index(
        {
            "a/Note.md": "",
            "b/c/Note.md": "",
            "x/한글.md": "",
            "img/p.png": "",
            "Other.md": "---\naliases: [Alias Name]\n---\n",
        }
    )
    assert index.resolve("note", "Other.md").path == "a/Note.md"
    assert len(index.resolve("Note", "Other.md").candidates) == 2
    assert index.resolve("c/Note", "Other.md").path == "b/c/Note.md"
    assert index.resolve(unicodedata.normalize("NFD", "한글"), "Other.md").path == "x/한글.md"
    assert index.resolve("p.png", "Other.md").path == "img/p.png"
    assert index.resolve("alias name", "a/Note.md").path == "Other.md"
    assert index.resolve("../Other", "a/Note.md").path == "Other.md"
    assert index.resolve("../../etc/passwd", "a/Note.md").path is None
    assert index.resolve("a/../../x", "Other.md").problem == "points outside the vault"


def test_headings_blocks_and_tags() -> None:
    note = parse_note(
        "n.md",
        "# 미분 (Derivative)\n\npara ^p1\n\n- item ^li\n\n```\n# not a heading #nottag\n```\n"
        "## 미분 (Derivative)\ntext #tag/x #1984\n".encode(),
    )
    assert [h.slug for h in note.headings] == ["미분-derivative", "미분-derivative_1"]
    assert note.blocks == {"p1": (3, 3), "li": (5, 5)}
    assert note.tags == ["tag/x"]


def test_math_survives_markdown_byte_for_byte() -> None:
    latex = "\\begin{align}\n&a = b \\\\ \\\\\n\n&c_{1} = d*e*f\n\\end{align}"
    out, _ = render(
        {"p.md": f"- item\n\t- sub $$x_1 * y_2$$\n\n$$\n{latex}\n$$\n\n$5 and $10, \\$3\n"}, "p.md"
    )
    assert f'<div class="arithmatex">\\[\n{latex.replace("&", "&amp;")}\n\\]</div>' in out
    assert '<span class="arithmatex mathvault-display">\\[x_1 * y_2\\]</span>' in out
    assert "<p>$5 and $10, &#36;3</p>" in out  # &#36; is how the page spells the escaped dollar


def test_code_is_never_touched() -> None:
    src = "`[[a]] $b$` and\n\n~~~\n![[c]] %%d%% ==e==\n~~~\n"
    out, problems = render({"p.md": src}, "p.md")
    assert "<code>[[a]] $b$</code>" in out and "![[c]] %%d%% ==e==" in out and not problems


def test_broken_and_unclosed_are_reported_with_lines() -> None:
    _, problems = render(
        {"p.md": "---\nt: 1\n---\nok\n\n[[nope]]\n\n$$ never closed\n\n[[open\n"}, "p.md"
    )
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [
        (6, "broken"),
        (8, "'$$'"),
        (10, "'[['"),
    ]


@pytest.mark.parametrize(
    "names, expected",
    [
        (["3.4.10. b", "3.4.2. a", "3.4.3. c"], ["3.4.2. a", "3.4.3. c", "3.4.10. b"]),
        (["Note 10", "note 9", "Note 1"], ["Note 1", "note 9", "Note 10"]),
    ],
)
def test_natural_order(names, expected) -> None:
    assert sorted(names, key=natural_key) == expected


def test_obsidian_markdown_links_are_rewritten_relative_to_the_page() -> None:
    files = {
        "a/Note.md": "# Note\n\n## Sub Head\n",
        "img/pic.png": "",
        "b/page.md": "[x](Note.md) [y](a/Note.md#Sub%20Head) [z](../a/Note.md) ![i](pic.png) "
        "[w](https://e.com/x.md) [q](#local)\n",
    }
    index = make_index(files)
    ctx = convert.Context(index, "b/page.md")
    out = convert.convert_note(index.note("b/page.md"), ctx)
    assert out == (
        "[x](../a/Note.md) [y](../a/Note.md#sub-head) [z](../a/Note.md) ![i](../img/pic.png) "
        "[w](https://e.com/x.md) [q](#local)\n"
    )


def test_setext_headings_and_sized_external_images() -> None:
    out, problems = render(
        {
            "p.md": "![250](https://e.com/x.png) ![cat|100x50](https://e.com/c.png)\n\n"
            "Title\n===\n\n[[#Title]]\n"
        },
        "p.md",
    )
    assert '<img alt="" src="https://e.com/x.png" width="250"' in out
    assert 'alt="cat" height="50" src="https://e.com/c.png" width="100"' in out
    assert '<a href="#title">Title</a>' in out and not problems


def test_embed_as_the_content_of_a_list_item_is_a_block() -> None:
    out, problems = render(
        {
            "p.md": "- one\n- ![[Leaf]]\n- three\n\t- ![[Leaf]]\n",
            "Leaf.md": "Leaf para one.\n\nLeaf para two.\n",
        },
        "p.md",
    )
    assert out.count('<div class="admonition mathvault-embed">') == 2 and not problems
    assert "<li>\n<p>three</p>\n<ul>\n<li>\n<div" in out  # the nested one stays nested


def fan_out(depth: int, width: int = 2) -> dict[str, str]:
    """`depth` notes, each embedding the next one `width` times: width^depth copies, no cycle."""
    files = {
        f"n{i}.md": f"# N{i}\n\nText {i} $x_{{{i}}}$.\n\n" + f"![[n{i + 1}]]\n\n" * width
        for i in range(depth - 1)
    }
    files[f"n{depth - 1}.md"] = "Leaf.\n"
    return files


@pytest.mark.parametrize("depth, width", [(22, 2), (10, 5)])
def test_exponential_embeds_stop_at_the_page_budget(depth: int, width: int) -> None:
    index = make_index(fan_out(depth, width))
    ctx = convert.Context(index, "n0.md", embed_limit=300)
    text = convert.convert_note(index.note("n0.md"), ctx)
    assert ctx.budget_hit and ctx.embeds_used <= 300
    assert 250 <= text.count("!!! mathvault-embed") <= 300  # the rest are links
    assert len(ctx.math) == 1 + text.count("!!! mathvault-embed") - text.count(
        "Leaf."
    )  # one per box
    [problem] = ctx.problems  # one warning, at the page's own embed, with the chain
    assert (problem.path, problem.line) == ("n0.md", 5)
    assert problem.message.startswith(
        "embeds on this page exceed the transclusion budget (300 embeds"
    )
    assert " at n0.md:5 → n1.md:5 → n2.md:" in problem.message and "embed_limit" in problem.message
    # The work is bounded by the budget, not by width^depth: each expansion is a conversion
    # or the reuse of a converted section.
    assert index.sections.converted + index.sections.reused <= 300


def test_every_page_of_a_fan_out_vault_stays_within_the_default_budget() -> None:
    index = make_index(fan_out(22))
    used = []
    for i in range(22):
        ctx = convert.Context(index, f"n{i}.md")
        convert.convert_note(index.note(f"n{i}.md"), ctx)
        used.append(ctx.embeds_used)
        assert len(ctx.problems) == (1 if 2 ** (22 - i) - 2 > convert.EMBED_LIMIT else 0)
    assert max(used) <= convert.EMBED_LIMIT
    assert used[12:] == [2 ** (22 - i) - 2 for i in range(12, 22)]  # below the budget: every copy
    assert index.sections.converted < 22 * 30  # sections converted once, then reused


def test_a_note_embedded_many_times_is_converted_once_per_build() -> None:
    files = {
        "Leaf.md": "Leaf $x^2$ #leaftag and [[Other]] and [[a/A#Top]].\n\n![[pic.png]]\n",
        "Other.md": "",
        "pic.png": "",
        "a/A.md": "# Top\n\n$y$\n\n![[Leaf]]\n\n![[Leaf]]\n\n$z$\n\n![[Leaf]]\n",
        "B.md": "$w$\n\n- ![[Leaf]]\n",
    }
    index = make_index(files)
    a, _ = render_with(index, "a/A.md")
    b, _ = render_with(index, "B.md")
    assert (index.sections.converted, index.sections.reused) == (1, 3)
    for page, html_out, up in (("a/A.md", a, "../"), ("B.md", b, "")):
        embeds = html_out.split('class="admonition mathvault-embed"')[1:]
        assert len(embeds) == (3 if page == "a/A.md" else 1)
        for box in embeds:  # each copy has its own formula, links relative to its page, the image
            assert '<span class="arithmatex">\\(x^2\\)</span>' in box
            assert f'<a href="{up}Other.md">Other</a>' in box
            assert f'src="{up}pic.png"' in box
            assert (
                f'<a href="{up}a/A.md#top">a/A &gt; Top</a>' in box or '<a href="A.md#top">' in box
            )
    assert a.count("\\(y\\)") == 1 and a.count("\\(z\\)") == 1 and b.count("\\(w\\)") == 1


def render_with(index: VaultIndex, page: str) -> tuple[str, convert.Context]:
    out = render_note(index, page)
    assert "mathvault-tag" in out.markdown and out.ctx.tags == ["leaftag"]
    return out.html, out.ctx


def test_links_inside_comments_are_no_links() -> None:
    index = make_index(
        {
            "T.md": "# T\n",
            "S.md": "Shown [[T]] %% inline [[T]] %% and `%% [[code]] %%`.\n\n"
            "%%\nA private [[T]] line.\n\n# Not a heading #not-a-tag ^not-a-block\n%%\n\n"
            "After %% open\nstill hidden [[T]]\nclosed %% [[T]] again.\n",
        }
    )
    assert [(m.source, m.line) for m in index.backlinks["T.md"]] == [("S.md", 1), ("S.md", 11)]
    note = index.note("S.md")
    assert [inner for inner, _, _ in note.links] == ["T", "T"]
    assert note.headings == [] and note.tags == [] and note.blocks == {}
    html_out = render_backlinks(index, "T.md")
    assert "private" not in html_out and "hidden" not in html_out and "inline" not in html_out


def render_backlinks(index: VaultIndex, target: str) -> str:
    from mathvault.vault.render import backlinks_html

    return backlinks_html(index.backlinks[target], index, lambda t: "/" + t, here=target)


def test_backlink_context_is_the_linking_block_as_inline_markdown() -> None:
    index = make_index(
        {
            "T.md": "# T\n\n## Part\n",
            "S.md": "---\ntitle: Source\ntags: [x]\n---\n"
            "First line with `code [[X]]`, **bold**, *em*, ==mark== and $x^2$\n"
            "then [[T#Part|the *part*]] here. ^abc123\n\n"
            "- one\n- two links [[T]] ![[pic.png]] and ![[T]]\n  continued\n- three\n\n"
            "> [!tip] A tip\n> Callout body [[T]] %% hidden %%\n\n"
            "![[pic.png]]^fig-1 [[T]] [web](https://e.org) [[Missing]]\n",
            "pic.png": "",
        }
    )
    contexts = render_backlinks(index, "T.md").split('<span class="mathvault-backlink-context">')[
        1:
    ]
    contexts = [c.split("</span></li>")[0] for c in contexts]
    assert contexts[0] == (
        "First line with <code>code [[X]]</code>, <strong>bold</strong>, <em>em</em>, "
        '<mark>mark</mark> and <span class="arithmatex">\\(x^2\\)</span> then '
        '<mark class="mathvault-backlink-here">the <em>part</em></mark> here.'
    )
    # the item, without its embeds (an embed is a mention too, as in Obsidian)
    here = '<mark class="mathvault-backlink-here">T</mark>'
    assert contexts[1] == contexts[2] == f"two links {here} and continued"
    assert contexts[3] == f"Callout body {here}"  # no marker, no title, no comment
    assert contexts[4] == f'{here} <span class="mathvault-backlink-link">web</span> Missing'
    assert len(contexts) == 5


def test_backlink_context_is_trimmed_around_the_link() -> None:
    words = " ".join(f"w{i}" for i in range(300))
    index = make_index({"T.md": "", "S.md": f"{words} `a b c` [[T]] $x + y$ {words}\n"})
    context = (
        render_backlinks(index, "T.md")
        .split('mathvault-backlink-context">')[1]
        .split("</span></li>")[0]
    )
    assert context.startswith("… ") and context.endswith(" …")
    assert (
        '<code>a b c</code> <mark class="mathvault-backlink-here">T</mark> '
        '<span class="arithmatex">\\(x + y\\)</span>'
    ) in context
    assert 200 <= len(context) <= 400


def test_block_id_glued_to_an_embed_is_an_anchor_and_embed_titles_show_no_id() -> None:
    files = {
        "p.md": "![[img.png]]^fig-1\n\nSee [[p#^fig-1]].\n\n![[q#^qq]]\n\n![[q#Sec#^qq]]\n",
        "img.png": "",
        "q.md": "# Sec\n\nQ text [[p]]^qq\n",
    }
    out, problems = render(files, "p.md")
    assert "^fig-1" not in out.replace('id="^fig-1"', "").replace('href="#^fig-1"', "").replace(
        "p &gt; ^fig-1", ""
    )
    assert '<a id="^fig-1" class="mathvault-block-anchor"></a>' in out and not problems
    assert make_index(files).note("q.md").blocks == {"qq": (3, 3)}
    titles = [t.split("</p>")[0] for t in out.split('<p class="admonition-title">')[1:]]
    assert titles == ['<a href="q.md#^qq">q</a>', '<a href="q.md#^qq">q &gt; Sec</a>']


def test_backlink_context_marks_the_link_to_the_page_itself() -> None:
    index = make_index({"T.md": "", "U.md": "", "S.md": "Both [[T]] and [[U]].\n"})
    from mathvault.vault.render import backlinks_html

    out = backlinks_html(index.backlinks["T.md"], index, lambda t: "/" + t, here="T.md")
    assert (
        'Both <mark class="mathvault-backlink-here">T</mark> and <span class="mathvault-backlink-link">U</span>.'  # noqa: E501 (a note's text, kept on one line)
        in out
    )


@pytest.mark.parametrize(
    "yaml_text, line",
    [
        ('title: "unclosed\ntags: [a]\nx: 1\n', 2),  # the quote is opened on the note's line 2
        ("a: 1\nb: 'x\nc: 2\n\nd: 3\n", 3),
        ("a: 1\nb: {c\nd: 2\n", 3),
        ("a: 1\n  b: 2\n", 3),  # found where it is
        ("title: ok\n\tbad: tab\n", 3),
    ],
)
def test_yaml_error_is_reported_where_the_broken_construct_starts(
    yaml_text: str, line: int
) -> None:
    fm = split_frontmatter(f"---\n{yaml_text}---\nbody\n")
    assert fm.meta == {} and [p[0] for p in fm.problems] == [line], fm.problems
