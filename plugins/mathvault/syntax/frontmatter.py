"""A note's YAML frontmatter (Obsidian "properties"): where it ends, and what it says.

Only `yaml.safe_load` is used, so `!!python/...` tags never run; an alias bomb is cut
off by a size limit on the expanded data. Problems are returned with the line they
are on; the note is then published without properties, as Obsidian shows it.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml's safe loader when PyYAML was built with it: same rules, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_MAX_NODES = 20_000


@dataclass
class Frontmatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the note where `body` starts
    problems: list[tuple[int, str]] = field(default_factory=list)


def _count_nodes(value: Any, budget: list[int], depth: int = 0) -> None:
    budget[0] -= 1
    if budget[0] < 0 or depth > 50:
        raise ValueError("frontmatter expands to too much data")
    if isinstance(value, dict):
        for k, v in value.items():
            _count_nodes(k, budget, depth + 1)
            _count_nodes(v, budget, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _count_nodes(v, budget, depth + 1)


def _plain(value: Any) -> Any:
    """Dates and other YAML scalars become JSON-like values templates can show."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def opens_frontmatter(text: str) -> bool:
    """Does the note start with a `---` line (Obsidian's properties block)?"""
    return text.startswith("---\n") or text.rstrip(" \t") == "---" or text.startswith("--- \n")


def frontmatter_span(text: str) -> tuple[int, int, int] | None:
    """Where the properties block is: (start and end offsets of the YAML, offset of the
    body), or None
    when the note has none. A `---` never closed is no frontmatter: the whole note is
    body (published, its snippets run, its math checked), and `split_frontmatter` reports
    it. The one rule every reader of a note (index, snippets, formula checker) follows."""
    if not opens_frontmatter(text):
        return None
    first_nl = text.find("\n")
    close = _CLOSE.search(text, first_nl + 1) if first_nl >= 0 else None
    if close is None:
        return None
    end = close.end()
    if text[end : end + 1] == "\n":
        end += 1
    return first_nl + 1, close.start(), end


def body_start(text: str) -> int:
    """Offset where the note's body starts (0 without a closed frontmatter block)."""
    span = frontmatter_span(text)
    return 0 if span is None else span[2]


def split_frontmatter(text: str) -> Frontmatter:
    """Return the parsed properties and the body; never raises."""
    span = frontmatter_span(text)
    if span is None:
        if opens_frontmatter(text):
            return Frontmatter(
                {},
                text,
                1,
                [
                    (
                        1,
                        "frontmatter opened with '---' is never closed; "
                        "add a '---' line after the properties",
                    )
                ],
            )
        return Frontmatter({}, text, 1)
    yaml_start, yaml_end, end = span
    yaml_text = text[yaml_start:yaml_end]
    body = text[end:]
    body_line = text.count("\n", 0, end) + 1
    try:
        data = yaml.load(yaml_text, Loader=_Loader)  # noqa: S506 - a safe loader
        _count_nodes(data, [_MAX_NODES])
    except yaml.YAMLError as exc:
        # An unclosed quote or bracket is found where the text runs out: report the line
        # where it was opened, as the author will look for it there.
        mark = getattr(exc, "problem_mark", None)
        if re.match(
            r"while (scanning a quoted scalar|parsing a flow )", getattr(exc, "context", None) or ""
        ):
            mark = getattr(exc, "context_mark", None) or mark
        line = 2 + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Frontmatter(
            {}, body, body_line, [(line, f"bad frontmatter YAML: {problem}; properties ignored")]
        )
    except (ValueError, RecursionError) as exc:
        return Frontmatter(
            {}, body, body_line, [(2, f"bad frontmatter: {exc}; properties ignored")]
        )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Frontmatter(
            {},
            body,
            body_line,
            [
                (
                    2,
                    "frontmatter must be a map of 'key: value' lines, "
                    f"not a {type(data).__name__}; properties ignored",
                )
            ],
        )
    return Frontmatter(_plain(data), body, body_line)


def as_list(value: Any, *, names: bool = False) -> list[str]:
    """`tags`/`aliases` may be a list, a comma-separated string, or empty. With `names`
    (aliases) a string splits at commas only: `aliases: Internal link, Link to blocks`
    is two names, as in Obsidian's own help vault."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value if v is not None]
    elif names:
        return [item.strip() for item in str(value).split(",") if item.strip()]
    else:
        items = (
            str(value).replace(",", " ").split()
            if "," in str(value) or " " not in str(value).strip()
            else [str(value)]
        )
    # Obsidian accepts "#tag" in properties too; the name is what follows the "#".
    return [item.strip().lstrip("#").strip() for item in items if item.strip().lstrip("#").strip()]
