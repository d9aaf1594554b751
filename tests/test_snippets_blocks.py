"""Units: finding exec fences, parsing options, rendering results as Markdown."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from mathvault.snippets import Block, BlockOptions, BlockResult, find_blocks, render_block
from mathvault.snippets.blocks import parse_options

NOTE = """---
title: t
tags: [a]
---
# Title

```python
print("plain python is never run")
```

```python exec
x = 1
```

- item
\t```python exec source=fold output=hide timeout=2.5
\ty = x + 1
\tprint(y)
\t```

````markdown
```python exec
not_a_block = True
```
````

~~~python exec
z = 3
~~~
"""


def test_find_blocks_lines_code_and_options() -> None:
    blocks = find_blocks(NOTE)
    assert [(b.line, b.end_line) for b in blocks] == [(11, 13), (16, 19), (27, 29)]
    assert blocks[0].code == "x = 1\n"
    assert blocks[1].code == "y = x + 1\nprint(y)\n"
    assert blocks[1].indent == "\t"
    assert blocks[1].options == BlockOptions(source="fold", output="hide", timeout=2.5)
    assert blocks[2].code == "z = 3\n" and blocks[2].options == BlockOptions()
    assert NOTE.splitlines()[blocks[1].line - 1].strip().startswith("```python exec")


def test_front_matter_fence_is_not_a_block() -> None:
    text = "---\nx: |\n  ```python exec\n  1/0\n  ```\n---\nbody\n"
    assert find_blocks(text) == []


def test_unclosed_fence_runs_to_end() -> None:
    (block,) = find_blocks("a\n```python exec\nprint(1)\n")
    assert block.line == 2 and block.code == "print(1)\n"


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        (["source=fold"], None),
        (["source=nope"], "source must be one of show|hide|fold"),
        (["timeout=-1"], "timeout must be a positive number"),
        (["timeout=abc"], "timeout must be a positive number"),
        (["colour=red"], "unknown fence option 'colour'"),
        (["fold"], "expected key=value"),
    ],
)
def test_parse_options_reports_problems(words: list[str], problem: str | None) -> None:
    _, found = parse_options(words)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def _md(text: str) -> BeautifulSoup:
    html = markdown.markdown(
        text,
        extensions=["pymdownx.superfences", "admonition", "pymdownx.details"],
    )
    return BeautifulSoup(html, "html.parser")


def test_render_fold_inside_list_item_stays_in_the_item() -> None:
    block = Block(
        line=3,
        end_line=6,
        code="print('```')\n",
        options=BlockOptions(source="fold"),
        indent="    ",
    )
    result = BlockResult(block, stdout="hello ```\n", figures=["n-1.png"])
    page = "- first item\n\n" + render_block(result, "    ", image=lambda n: f"![fig]({n})")
    soup = _md(page)
    item = soup.find("li")
    assert item is not None
    details = item.find("details")
    assert details is not None and details.find("summary").get_text() == "Source"
    assert "print('```')" in details.find("code").get_text()
    codes = [c.get_text() for c in item.find_all("code")]
    assert "hello ```\n" in codes
    assert item.find("img")["src"] == "n-1.png"


def test_render_error_box_and_hidden_source() -> None:
    block = Block(
        line=10, end_line=13, code="1/0\n", options=BlockOptions(source="hide", output="hide")
    )
    result = BlockResult(
        block,
        status="error",
        stdout="printed\n",
        error='snippet failed: ZeroDivisionError: "division" by zero',
        error_offset=1,
    )
    soup = _md(render_block(result, traceback="Traceback...\n  1/0"))
    box = soup.find("div", class_="failure")
    assert box is not None
    assert box.find("p", class_="admonition-title").get_text() == "Snippet failed (line 11)"
    assert "ZeroDivisionError" in box.get_text()
    assert box.find("details") is not None  # the folded traceback
    assert "printed" not in soup.get_text() and "1/0\n" not in soup.find("code").get_text()


def test_render_skipped_and_disabled() -> None:
    block = Block(line=1, end_line=3, code="x = 1\n")
    skipped = render_block(BlockResult(block, status="skipped", error="not run: x"))
    assert '!!! warning "Snippet not run"' in skipped
    disabled = render_block(BlockResult(block, status="disabled"))
    assert disabled == "```python\nx = 1\n```\n"
