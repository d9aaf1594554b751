"""Property-based tests of the core converter (Hypothesis), on generated notes that mix all
of Obsidian's syntax, rendered by Python-Markdown configured as MkDocs configures it.

Properties:
* converting never raises;
* text without Obsidian syntax passes through `convert_note` unchanged;
* no link or image in the rendered page leaves the site or names an absolute path;
* no math or link placeholder is left in the page;
* every `$..$` / `$$..$$` written reaches the HTML intact, as an `.arithmatex` element;
* code fences and code spans are never altered.

The number of examples run is printed at the end (`-s`) and written to the JUnit-free
`properties-examples.txt` in pytest's cache folder, so reports can quote it.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import Counter
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mathvault.vault import convert
from mathvault.vault.extensions import new_markdown
from mathvault.vault.index import VaultIndex
from tests.helpers import make_index, render_note

PAGE = "notes/page.md"
VAULT = {
    PAGE: "# Page\n\nThe page itself. ^own\n",
    "notes/a.md": "# Alpha\n\n## Sub $x$\n\nA para. ^blk\n",
    "deep/dir/b.md": "---\naliases: [bee]\n---\n# 베타\n\ntext\n",
    "한글 노트.md": "# 제목\n\n본문 $y^2$\n",
    "img.png": "",
    "doc.pdf": "",
}
RAN = Counter()  # examples run, per property


INDEX = make_index(VAULT)


def render(body: str) -> tuple[str, str, convert.Context]:
    """(converted markdown, final html, context) for `body` as the page's note text."""
    out = render_note(make_index(dict(VAULT, **{PAGE: body})), PAGE)
    return out.markdown, out.html, out.ctx


# -- generators -------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "alpha",
        "beta",
        "미분",
        "경사하강법",
        "the",
        "note",
        "x",
        "42",
        "a*b*",
        "_under_",
        "(paren)",
        "한국어",
        "end.",
    ]
)
TARGETS = st.sampled_from(
    [
        "a",
        "notes/a",
        "a.md",
        "b",
        "bee",
        "한글 노트",
        "img.png",
        "doc.pdf",
        "missing",
        "../../etc/passwd",
        "/etc/passwd",
        "~/x",
        "..%2F..%2Fx",
        "../outside",
        "./a",
        "deep/dir/b",
        "Page",
        "",
    ]
)
SUBPATHS = st.sampled_from(
    ["", "#Alpha", "#Sub", "#^blk", "#^nope", "#Nope", "#Alpha#Sub", "#제목"]
)
LABELS = st.sampled_from(
    ["", "|label", "|라벨 $z$", "|100", "|a [b] c", "|the **alias**", "|`co|de`", "|*half", "|x_1"]
)
LATEX_TOKENS = st.sampled_from(
    [
        "x",
        "y_1",
        "\\alpha",
        "^{2}",
        "\\frac{a}{b}",
        "<",
        ">",
        "&",
        "+",
        "\\sum_{i=1}^{n}",
        "가",
        "\\%",
        "|x|",
        "[",
        "]",
        "=",
        "#",
        "\\{",
        "\\}",
    ]
)
CODE_CHARS = st.text(alphabet="ab$[]=%#*_<>&!^ 가|", min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s
)


@st.composite
def inline_latex(draw) -> str:
    tokens = draw(st.lists(LATEX_TOKENS, min_size=1, max_size=5))
    sep = draw(st.sampled_from(["", " "]))
    return sep.join(tokens)


@st.composite
def display_latex(draw) -> str:
    lines = draw(st.lists(inline_latex(), min_size=1, max_size=3))
    return "\n" + "\n".join(lines) + "\n"


@st.composite
def inline_piece(draw, pieces: dict) -> str:
    kind = draw(
        st.sampled_from(["word", "word", "math", "code", "link", "embed", "hl", "tag", "comment"])
    )
    if kind == "word":
        return draw(WORDS)
    if kind == "math":
        latex = draw(inline_latex())
        pieces["math"].append(latex)
        return f"${latex}$"
    if kind == "code":
        code = draw(CODE_CHARS)
        pieces["code"].append(code)
        return f"`{code}`"
    if kind in ("link", "embed"):
        bang = "!" if kind == "embed" else ""
        return f"{bang}[[{draw(TARGETS)}{draw(SUBPATHS)}{draw(LABELS)}]]"
    if kind == "hl":
        return f"=={draw(WORDS)}=="
    if kind == "tag":
        return "#" + draw(st.sampled_from(["math", "미분", "ml/optim", "a1"]))
    return f"%%{draw(WORDS)}%%"


def line_of(draw, pieces: dict) -> str:
    return " ".join(draw(st.lists(inline_piece(pieces), min_size=1, max_size=6)))


@st.composite
def note(draw) -> tuple[str, dict]:
    """A note body and the math and code it holds."""
    pieces: dict[str, list[str]] = {"math": [], "display": [], "code": [], "fence": []}
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(
            st.sampled_from(["para", "para", "display", "fence", "list", "callout", "heading"])
        )
        if kind == "para":
            blocks.append("\n".join(line_of(draw, pieces) for _ in range(draw(st.integers(1, 3)))))
        elif kind == "display":
            latex = draw(display_latex())
            pieces["display"].append(latex)
            blocks.append(f"$${latex}$$")
        elif kind == "fence":
            body = "\n".join(draw(st.lists(CODE_CHARS, min_size=1, max_size=3)))
            pieces["fence"].append(body)
            lang = draw(st.sampled_from(["", "python", "text"]))
            blocks.append(f"```{lang}\n{body}\n```")
        elif kind == "list":
            items = []
            for _ in range(draw(st.integers(1, 3))):
                item = "- " + line_of(draw, pieces)
                if draw(st.booleans()):
                    latex = draw(inline_latex())
                    pieces["display"].append(latex)
                    item += f" $${latex}$$"
                items.append(item)
            blocks.append("\n".join(items))
        elif kind == "callout":
            head = f"> [!{draw(st.sampled_from(['note', 'tip', 'warning', 'custom']))}]"
            blocks.append(
                head
                + "\n"
                + "\n".join("> " + line_of(draw, pieces) for _ in range(draw(st.integers(1, 2))))
            )
        elif draw(st.booleans()):
            blocks.append("## " + " ".join(draw(st.lists(WORDS, min_size=1, max_size=3))))
        else:
            blocks.append("## " + line_of(draw, pieces))
    return "\n\n".join(blocks) + "\n", pieces


PLAIN = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc", "Co"), exclude_characters="$#>^!=%\r\ufeff"
    )
    | st.just("\n")
    | st.sampled_from("=%"),
    max_size=200,
).filter(
    lambda s: (
        "[[" not in s
        and "%%" not in s
        and "==" not in s
        and not s.startswith("---")
        and not re.search(r"(?m)^ {0,3}([-*+]|\d{1,9}[.)])([ \t]|$)", s)
    )
)


# -- properties ---------------------------------------------------------------------------

SETTINGS = settings(
    max_examples=int(os.environ.get("MATHVAULT_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(note())
def test_generated_notes(sample):
    body, pieces = sample
    RAN["generated notes"] += 1
    text, page_html, _ = render(body)  # never raises
    soup = BeautifulSoup(page_html, "html.parser")

    # Every formula reaches the page intact, as the text of an .arithmatex element.
    found = Counter()
    for el in soup.select(".arithmatex"):
        t = el.get_text()
        m = re.fullmatch(r"\\\((.*)\\\)|\\\[(.*)\\\]", t, re.DOTALL)
        assert m, t
        found[m.group(1) if m.group(1) is not None else m.group(2)] += 1
    wanted = Counter(pieces["math"]) + Counter(pieces["display"])
    assert not wanted - found, (wanted - found, page_html)

    # Code is never altered: each code span and each fence body is one <code> element's text.
    codes = Counter(el.get_text() for el in soup.find_all("code"))
    for code in pieces["code"]:
        assert codes[code] > 0, (code, page_html)
    for fence in pieces["fence"]:
        assert codes[fence + "\n"] > 0 or codes[fence] > 0, (fence, page_html)
        assert f"\n{fence}\n```" in text  # copied byte for byte into the Markdown

    # No math or link placeholder is left anywhere (text, attributes, headings).
    assert not re.search("[\ue000-\ue004]", page_html), page_html

    # No link or image leaves the site or names a file path.
    page_dir = posixpath.dirname(PAGE)
    for el in soup.find_all(True):
        for attr in ("href", "src"):
            url = el.get(attr)
            if url is None:
                continue
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, url
            assert not parts.path.startswith(("/", "~")), url
            if parts.path:
                target = posixpath.normpath(posixpath.join(page_dir, unquote(parts.path)))
                assert not target.startswith(".."), url
                assert target in VAULT or target + ".md" in VAULT or target in ("notes", "."), url


@SETTINGS
@given(PLAIN)
def test_plain_text_unchanged(text):
    RAN["plain texts"] += 1
    index = VaultIndex([PAGE], read=lambda p: text.encode())
    index.scan_all()
    ctx = convert.Context(index, PAGE)
    assert convert.convert_note(index.note(PAGE), ctx) == text


@SETTINGS
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_never_raise(raw):
    """Arbitrary bytes (broken frontmatter, stray syntax, binary junk) never crash."""
    RAN["raw byte notes"] += 1
    vault = dict(VAULT)
    index = VaultIndex(list(vault), read=lambda p: raw if p == PAGE else vault[p].encode())
    index.scan_all()
    ctx = convert.Context(index, PAGE)
    text = convert.convert_note(index.note(PAGE), ctx)
    convert.restore_math(new_markdown().convert(text), ctx.math)
    for p in ctx.problems:
        assert p.line >= 1 and p.message


def test_quote_line_inside_display_math():
    """Obsidian keeps `$$` blocks whole; a line of the formula that starts with `>` must
    not end the block. Found by test_generated_notes (falsifying example `$$\\n>\\n$$`)."""
    _, page_html, _ = render("$$\nf(x)\n> 0\n$$\n")
    texts = [el.get_text() for el in BeautifulSoup(page_html, "html.parser").select(".arithmatex")]
    assert texts == ["\\[\nf(x)\n> 0\n\\]"], page_html


@pytest.fixture(scope="module", autouse=True)
def report_examples(request):
    yield
    line = ", ".join(f"{n} {what}" for what, n in RAN.items())
    print(f"\nHypothesis examples run: {line}")
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        cache.set("mathvault/properties-examples", dict(RAN))
