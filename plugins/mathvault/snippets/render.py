"""Markdown that replaces an exec fence on the page.

Output uses only what pymdownx.superfences, admonition and details understand:
a ```` ```python ```` fence (or a ``??? note "Source"`` fold around it), a
```` ```text ```` fence for printed output, images for captured figures and a
``!!! failure`` admonition when the block failed. Every line gets ``indent``
so the result stays inside the list item the fence was written in.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .results import BlockResult

_TITLES = {
    "error": "Snippet failed",
    "timeout": "Snippet timed out",
    "killed": "Snippet crashed",
}


def _fence(body: str, lang: str) -> list[str]:
    """A backtick fence long enough that ``body`` cannot close it."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    return [ticks + lang, *body.rstrip("\n").split("\n"), ticks]


def _indented(lines: list[str], prefix: str = "    ") -> list[str]:
    return [prefix + line if line else "" for line in lines]


def _title(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_block(
    result: BlockResult,
    indent: str = "",
    *,
    traceback: str = "",
    image: Callable[[str], str] | None = None,
) -> str:
    """Markdown for one block result, every line prefixed with ``indent``.

    ``traceback`` (see :func:`results.format_traceback`) is shown folded under
    an error. ``image`` turns a captured figure name into Markdown; by default
    an Obsidian embed ``![[name]]`` so the page's link resolution handles it.
    """
    block = result.block
    parts: list[list[str]] = []
    if block.options.source == "show":
        parts.append(_fence(block.code, "python"))
    elif block.options.source == "fold":
        parts.append(['??? note "Source"', "", *_indented(_fence(block.code, "python"))])
    if block.options.output == "show" and result.stdout.strip():
        parts.append(_fence(result.stdout, "text"))
    embed = image or (lambda name: f"![[{name}]]")
    parts.extend([embed(name)] for name in result.figures)
    if result.status in _TITLES and result.error:
        line = result.error_line
        title = f"{_TITLES[result.status]} (line {line})" if line else _TITLES[result.status]
        box = [f'!!! failure "{_title(title)}"', "", *_indented(_fence(result.error, "text"))]
        if traceback:
            box += [
                "",
                *_indented(['??? note "Traceback"', "", *_indented(_fence(traceback, "text"))]),
            ]
        parts.append(box)
    elif result.status == "skipped" and result.error:
        parts.append(['!!! warning "Snippet not run"', "", *_indented([result.error])])
    lines: list[str] = []
    for part in parts:
        if lines:
            lines.append("")
        lines.extend(part)
    return "\n".join(indent + line if line else "" for line in lines) + ("\n" if lines else "")
