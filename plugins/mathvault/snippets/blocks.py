"""Find executable ```` ```python exec ```` fences in a raw note.

Only fences whose info string starts with ``python exec`` are executable; a plain
``python`` fence is never run. Options follow as ``key=value`` words:

- ``source=show|hide|fold``: how the code appears on the page (default ``show``);
- ``output=show|hide``: whether printed output appears (default ``show``);
- ``timeout=SECONDS``: per-block time limit (default: the engine's).

Line numbers are 1-based and count from the first line of the raw note,
front matter included, so they match what an editor shows.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from ..syntax.fences import find_fences
from ..syntax.frontmatter import body_start

SOURCE_MODES = ("show", "hide", "fold")
OUTPUT_MODES = ("show", "hide")
MAX_TIMEOUT = 86400


@dataclass(frozen=True)
class BlockOptions:
    """Parsed fence options; ``timeout`` is None when the engine default applies."""

    source: str = "show"
    output: str = "show"
    timeout: float | None = None


@dataclass(frozen=True)
class Block:
    """One executable fence: where it is, its code (indent removed) and options."""

    line: int
    end_line: int
    code: str
    options: BlockOptions = field(default_factory=BlockOptions)
    indent: str = ""
    problem: str | None = None
    """A message when the fence options are invalid; such a block is not run."""

    @property
    def first_code_line(self) -> int:
        """Line in the note of the block's first code line."""
        return self.line + 1


def parse_options(words: list[str]) -> tuple[BlockOptions, str | None]:
    """Parse ``key=value`` words into options; return (options, problem or None)."""
    values: dict[str, object] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            return BlockOptions(), f"bad fence option '{word}': expected key=value"
        if key == "source" and value in SOURCE_MODES:
            values["source"] = value
        elif key == "output" and value in OUTPUT_MODES:
            values["output"] = value
        elif key == "timeout":
            try:
                seconds = float(value)
            except ValueError:
                seconds = -1.0
            if not 0 < seconds <= MAX_TIMEOUT:  # also refuses nan and inf
                return BlockOptions(), (
                    f"bad fence option '{word}': timeout must be a positive number of seconds"
                    f" up to {MAX_TIMEOUT} (one day)"
                )
            values["timeout"] = seconds
        elif key in ("source", "output"):
            allowed = "|".join(SOURCE_MODES if key == "source" else OUTPUT_MODES)
            return BlockOptions(), f"bad fence option '{word}': {key} must be one of {allowed}"
        else:
            return BlockOptions(), (
                f"unknown fence option '{key}' (known: source, output, timeout)"
            )
    return BlockOptions(**values), None  # type: ignore[arg-type]


def _split_info(info: str) -> list[str]:
    try:
        return shlex.split(info)
    except ValueError:
        return info.split()


def _dedent(line: str, indent: str) -> str:
    if line.startswith(indent):
        return line[len(indent) :]
    stripped = line.lstrip(" \t")
    return stripped if len(line) - len(stripped) <= len(indent) else line[len(indent) :]


def find_blocks(text: str) -> list[Block]:
    """Return every ``python exec`` fence of a raw note, in order.

    Fences nested inside other fences (e.g. an example inside a ```` ```markdown ````
    fence) are not blocks. An unclosed fence runs to the end of the note, as in
    CommonMark.
    """
    lines = text.splitlines()
    blocks: list[Block] = []
    first = body_start(text)
    for fence in find_fences(lines, len(text[:first].splitlines())):
        i, end, indent = fence.start, fence.end, fence.indent
        words = _split_info(fence.info.strip())
        if len(words) >= 2 and words[0] == "python" and words[1] == "exec":
            options, problem = parse_options(words[2:])
            code = "\n".join(_dedent(line, indent) for line in lines[i + 1 : end])
            blocks.append(
                Block(
                    line=i + 1,
                    end_line=min(end + 1, len(lines)),
                    code=code + "\n" if code else "",
                    options=options,
                    indent=indent,
                    problem=problem,
                )
            )
    return blocks
