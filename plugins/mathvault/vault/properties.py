"""Note properties as every engine can take them: the one place that says what an empty
`tags:`, a one-word `aliases: x` or a blank `created:` means.

Obsidian accepts all of these; the engines do not. Material's and Zensical's tags plugins
want a list (Zensical stops the build on `tags:` with nothing after it: "expected iterable
tags, but received: null"), and a date key holding null breaks date-reading plugins.
`normalised(meta)` is what a door hands its engine as the page's metadata;
`normalised_text(text)` rewrites only the offending lines of a note's frontmatter, keeping
every line where it was, for engines that read the frontmatter themselves (Zensical reads
it before any Python-Markdown extension runs, so `mathvault prepare` writes the notes it
stages through this). The vault itself is never written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..syntax.frontmatter import as_list, frontmatter_span, split_frontmatter

# Properties that are lists of names in Obsidian (a single string or nothing is accepted).
LIST_KEYS = ("tags", "aliases", "cssclasses")
# Properties that are dates: a blank one is left out rather than handed on as null.
DATE_KEYS = ("date", "created", "updated", "modified")

_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(.*)$")


def normalised(meta: dict[str, Any]) -> dict[str, Any]:
    """`meta` with list properties as lists of strings and blank dates left out."""
    out = dict(meta)
    for k in LIST_KEYS:
        if k in out:
            out[k] = as_list(out[k], names=k in ("aliases", "alias"))
    for k in DATE_KEYS:
        if k in out and out[k] in (None, ""):
            del out[k]
    return out


def normalised_text(text: str) -> str:
    """The note with its frontmatter's list and date properties fixed in place: a line
    `tags:` becomes `tags: []`, `aliases: x, y` becomes `aliases: ["x", "y"]`, a blank
    `created:` becomes a YAML comment. Line numbers do not move, so a problem found in
    the staged copy names the vault's line. Anything else (and a note whose frontmatter
    does not parse) is returned unchanged."""
    span = frontmatter_span(text)
    if span is None:
        return text
    meta = split_frontmatter(text).meta
    fixed = normalised(meta)
    if fixed == meta:
        return text
    start, end, _ = span
    lines = text[start:end].split("\n")
    for i, line in enumerate(lines):
        m = _KEY_LINE.match(line)
        if m is None:
            continue
        name, value = m.group(1), m.group(2).strip()
        if name in LIST_KEYS and name in meta and meta[name] != fixed[name]:
            if value == "" and _has_block_list(lines, i):
                continue  # a `- item` list follows: YAML already reads a list
            lines[i] = f"{name}: {json.dumps(fixed[name], ensure_ascii=False)}"
        elif name in DATE_KEYS and name in meta and name not in fixed and value in ("", "~"):
            lines[i] = f"# {name}: (blank in the vault)"
    return text[:start] + "\n".join(lines) + text[end:]


def _has_block_list(lines: list[str], i: int) -> bool:
    for line in lines[i + 1 :]:
        if line.strip():
            return line.lstrip().startswith("- ") or line.strip() == "-"
    return False
