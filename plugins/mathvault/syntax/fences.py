"""Code blocks: the one place that decides where a fence opens and closes, and which
indented lines are code.

The converter (copies fences untouched), the vault index (ignores headings, tags and
links inside them), the snippet finder (runs ```` ```python exec ```` fences) and the
formula checker (sees no math inside them) all ask this module, so they cannot
disagree about which lines are code.

The rules are CommonMark's, as Obsidian follows them: three or more backticks or
tildes, optionally indented; a backtick fence's info string holds no backtick; the
fence closes at a line of the same character, at least as long, and nothing else; a
fence never closed runs to the end of the note. An indented code block is four columns
of indent after a blank line, unless the line continues a list item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .markup import QUOTE_LINE, columns, list_owner
from .mathspans import open_display_count

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_FENCE_LANG = re.compile(r"[\w#.+-]*")


@dataclass(frozen=True)
class Fence:
    """One fenced block of a list of lines: `start` is the opening line's index, `end`
    the closing line's (or the last line's index + 1 when it is never closed)."""

    start: int
    end: int
    indent: str
    fence: str
    info: str
    closed: bool


def fence_open(line: str) -> re.Match[str] | None:
    """The match of a line that opens a fence (groups `indent`, `fence`, `info`), or None."""
    if "```" not in line and "~~~" not in line:
        return None
    m = FENCE_OPEN.match(line)
    if m is None or (m.group("fence")[0] == "`" and "`" in m.group("info")):
        return None
    return m


def fence_close_re(fence: str) -> re.Pattern[str]:
    """The line that closes a fence opened with `fence` (same char, at least as long)."""
    return re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")


def fence_at(lines: list[str], i: int) -> Fence | None:
    """The fence opening at line `i`, with where it closes; None if line `i` opens none."""
    m = fence_open(lines[i])
    if m is None:
        return None
    close = fence_close_re(m.group("fence"))
    j = i + 1
    while j < len(lines) and not close.match(lines[j]):
        j += 1
    return Fence(i, j, m.group("indent"), m.group("fence"), m.group("info"), j < len(lines))


def find_fences(lines: list[str], start: int = 0) -> list[Fence]:
    """Every top-level fence of `lines` from line `start` on, in order. A ```` ``` ```` line
    inside a `$$` block that a later line closes is LaTeX, not a fence (as the converter
    and Obsidian read it)."""
    found = []
    last_dollars = max((k for k, line in enumerate(lines) if "$$" in line), default=-1)
    in_math = False
    i = start
    while i < len(lines):
        line = lines[i]
        if in_math:
            in_math = open_display_count(line) % 2 == 0
            i += 1
            continue
        fence = fence_at(lines, i)
        if fence is None:
            if "$$" in line and open_display_count(line) % 2 == 1:
                in_math = last_dollars > i
            i += 1
            continue
        found.append(fence)
        i = fence.end + 1
    return found


def code_mask(lines: list[str], *, quotes: bool = False) -> list[bool]:
    """True for every line that belongs to a fenced code block (delimiters included) or
    an indented code block.

    With `quotes`, fences inside `>` quotes and callouts count too, found the way the
    converter finds them: each quote block one level in, on its own (a fence ends with its
    quote block). The formula checker needs that; the index reads quoted lines as they are."""
    mask = [False] * len(lines)
    _mark_code(lines, list(range(len(lines))), mask, quotes)
    return mask


def _mark_code(lines: list[str], where: list[int], mask: list[bool], quotes: bool) -> None:
    last_dollars = max((k for k, line in enumerate(lines) if "$$" in line), default=-1)
    in_math = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if in_math:
            in_math = open_display_count(line) % 2 == 0
            i += 1
            continue
        fence = fence_at(lines, i)
        if fence is not None:
            for k in range(fence.start, min(fence.end + 1, len(lines))):
                mask[where[k]] = True
            i = fence.end + 1
            continue
        end = indented_code_end(lines, i) if line[:1] in (" ", "\t") else None
        if end is not None:
            for k in range(i, end):
                mask[where[k]] = True
            i = end
            continue
        quote = QUOTE_LINE.match(line) if quotes and ">" in line else None
        if quote is not None:
            j = i
            inner: list[str] = []
            while j < len(lines):
                m = QUOTE_LINE.match(lines[j])
                if m is None or m.group(1) != quote.group(1):
                    break
                inner.append(m.group(2))
                j += 1
            _mark_code(inner, where[i:j], mask, quotes)
            i = j
            continue
        if "$$" in line and open_display_count(line) % 2 == 1:
            in_math = last_dollars > i
        i += 1


def plain_fence_open(line: str) -> str:
    """A fence's opening line with only its language kept: Obsidian shows any fence as
    code whatever follows the language (`python exec source=fold`, `dataview ...`),
    while pymdownx.superfences drops a fence whose options it does not know."""
    m = FENCE_OPEN.match(line)
    if m is None:
        return line
    words = m.group("info").split()
    if len(words) <= 1 and (not words or _FENCE_LANG.fullmatch(words[0].lstrip("."))):
        return line
    lang = words[0].lstrip(".") if words and _FENCE_LANG.fullmatch(words[0].lstrip(".")) else ""
    return f"{m.group('indent')}{m.group('fence')}{lang}"


def indented_code_end(lines: list[str], i: int) -> int | None:
    """Where the indented code block starting at line `i` ends (the index after its last
    non-blank line), or None when line `i` starts none: CommonMark's rule, four columns of
    indent after a blank line (or at the start), unless the line continues a list item."""
    line = lines[i]
    if not line.startswith(("    ", "\t", " \t", "  \t", "   \t")) or not line.strip():
        return None
    if i > 0 and lines[i - 1].strip():
        return None
    if list_owner(lines, i, columns(line[: len(line) - len(line.lstrip())])) is not None:
        return None
    end = j = i + 1
    while j < len(lines):
        if lines[j].strip():
            if columns(lines[j][: len(lines[j]) - len(lines[j].lstrip())]) < 4:
                break
            end = j + 1
        j += 1
    return end
