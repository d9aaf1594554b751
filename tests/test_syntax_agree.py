"""One owner per syntax, held to it: on random notes, the converter, the snippet finder and
the formula checker agree on what is a fence and what is math.

- fences: every ```` ```python exec ```` fence the converter hands to `render_fence` is a
  block `snippets.find_blocks` runs, and the other way round (both use `syntax.fences`
  and `syntax.frontmatter`);
- math: what the converter turns into formulas (`ctx.math`) is what
  `mathvault.verify.extract.scan` gives the checker, formula by formula.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mathvault.snippets import find_blocks
from mathvault.vault import convert
from mathvault.verify.extract import Math, scan
from tests.helpers import make_index

PAGE = "page.md"
_QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LINES = st.sampled_from(
    [
        "Some words.",
        "",
        "Inline $x^2 + 1$ here and $y$.",
        "Costs $5 and $10.",
        "A \\$ sign and `$code$`.",
        "$$",
        "a = b",
        "$$x = y$$",
        "```python exec",
        "```python",
        "~~~",
        "```",
        "print(1)",
        "> quoted $q$",
        "> [!note] Title $t$",
        "> ```",
        "- item $i$",
        "\t- tabbed $$z$$",
        "%% a comment $c$ %%",
        "---",
        "title: x",
    ]
)
NOTES = st.lists(LINES, max_size=14).map(lambda lines: "\n".join(lines) + "\n")


def _plain(latex: str) -> str:
    """A formula's text for comparing: blanks squeezed, and the `>` of a quote continued
    inside `$$` dropped (the checker reads a quoted formula without its quote marks)."""
    return " ".join(_QUOTE_MARKS.sub("", latex).split())


def _convert(text: str) -> tuple[convert.Context, list[int]]:
    fences: list[int] = []

    def record(path: str, line: int, fence: list[str], indent: str) -> None:
        info = fence[0].strip().lstrip("`~").split()
        if info[:2] == ["python", "exec"]:
            fences.append(line)
        return None

    ctx = convert.Context(make_index({PAGE: text}), PAGE, render_fence=record)
    convert.convert_note(ctx.index.note(PAGE), ctx)
    return ctx, fences


@SETTINGS
@given(NOTES.filter(lambda t: ">" not in t))
def test_converter_and_snippet_finder_agree_on_fences(text: str) -> None:
    """Outside quotes (a fence in a callout is shown as code and never run)."""
    _, fences = _convert(text)
    assert fences == [b.line for b in find_blocks(text)]


@SETTINGS
@given(NOTES)
def test_converter_and_checker_agree_on_math(text: str) -> None:
    ctx, _ = _convert(text)
    converted = [(" ".join(latex.split()), display) for latex, display in ctx.math]
    checked = [(" ".join(m.latex.split()), m.display) for m in scan(text) if isinstance(m, Math)]
    assert converted == checked
