"""Math extraction from raw notes: spans, lines, rows, what is not math."""

from mathvault.verify.extract import Directive, Math, scan, split_rows


def maths(text: str) -> list[Math]:
    return [e for e in scan(text) if isinstance(e, Math)]


def test_inline_and_display_with_lines() -> None:
    text = "---\ntitle: t\n---\nsee $a=b$ and\n\t- item $$x^2$$\n$$\ny = 1\n$$\n"
    got = [(m.line, m.latex, m.display) for m in maths(text)]
    assert got == [(4, "a=b", False), (5, "x^2", True), (7, "y = 1", True)]


def test_dollars_that_are_not_math() -> None:
    text = "costs $5 and $10 today\n`$x$` code\n\\$ escaped $ \n```\n$$a=b$$\n```\n%% $c=d$ %%\n"
    assert maths(text) == []


def test_comment_directives_are_kept() -> None:
    events = scan("%% verify: off %%\n$a=b$\n%% verify: on %%")
    assert [type(e).__name__ for e in events] == ["Directive", "Math", "Directive"]
    assert events[0] == Directive(1, "verify: off")


def test_frontmatter_math_is_ignored() -> None:
    assert maths("---\ntitle: $x=1$\n---\n$y=2$") == [Math(4, "y=2", False, ((4, "y=2"),))]


def test_align_rows_keep_their_lines_and_drop_ampersands() -> None:
    body = "\n\\begin{align}\n&a = b \\\\ \\\\\n&c &= d \\\\ % note\ne = f\n\\end{align}\n"
    rows = split_rows(body, 10)
    assert [(line, r.strip()) for line, r in rows] == [(12, "a = b"), (13, "c  = d"), (14, "e = f")]


def test_matrix_rows_are_not_split() -> None:
    rows = split_rows("A = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}", 1)
    assert len(rows) == 1 and "&" in rows[0][1]


def test_callout_prefixes_are_stripped() -> None:
    (m,) = maths("> [!note]\n> $$\n> a = b\n> $$\n")
    assert m.rows[0][1] == "a = b" and m.rows[0][0] == 3
