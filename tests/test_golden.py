"""Golden cases for the converter: one small note per Obsidian construct of docs/syntax.md.

Each `tests/golden/<case>.md` is put at the root of the small vault in
`tests/golden/_vault/` (notes, headings, block ids, aliases and attachments to link to),
converted, and rendered with the plugin's own Python-Markdown setup. `<case>.out` holds
what a reader would get: the warnings, the Markdown handed to Python-Markdown (math and
link placeholders shown as `⟦math N⟧` / `⟦link N⟧…⟦/link⟧`), and the page's HTML.

A new case is a new `.md` file; `pytest tests/test_golden.py --update-golden` writes its
`.out` (and rewrites changed ones): review them with `git diff tests/golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mathvault.syntax import placeholders as ph
from tests.helpers import make_index, render_note

GOLDEN = Path(__file__).resolve().parent / "golden"
VAULT = GOLDEN / "_vault"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md"))


def _vault() -> dict[str, str]:
    files = {}
    for path in sorted(VAULT.rglob("*")):
        if path.is_file():
            files[path.relative_to(VAULT).as_posix()] = path.read_text("utf-8")
    return files


def _visible(markdown: str) -> str:
    """Placeholders as readable marks, so a diff of the golden file says what moved."""
    markdown = ph.MATH.sub(lambda m: f"⟦math {m.group(1)}⟧", markdown)
    markdown = ph.LINK_NUMBER.sub(lambda m: f"⟦link {m.group(1)}⟧", markdown)
    return markdown.replace(ph.LINK_CLOSE, "⟦/link⟧")


def expected_output(case: str) -> str:
    files = _vault()
    page = f"{case}.md"
    files[page] = (GOLDEN / page).read_text("utf-8")
    out = render_note(make_index(files), page)
    problems = "\n".join(str(p) for p in out.ctx.problems) or "(none)"
    return (
        f"<!-- warnings -->\n{problems}\n"
        f"<!-- markdown -->\n{_visible(out.markdown).rstrip()}\n"
        f"<!-- html -->\n{out.html.rstrip()}\n"
    )


def test_every_syntax_construct_has_a_case() -> None:
    assert len(CASES) >= 40, CASES
    assert not [p.name for p in GOLDEN.glob("*.out") if p.stem not in CASES], "stale .out files"


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, update_golden: bool) -> None:
    actual = expected_output(case)
    expected_file = GOLDEN / f"{case}.out"
    if update_golden:
        expected_file.write_text(actual, "utf-8")
        return
    assert expected_file.exists(), f"no {expected_file.name}: run pytest --update-golden"
    assert actual == expected_file.read_text("utf-8")
