"""Math spans: where `$...$` and `$$...$$` start and end, decided in one place.

The rules are Obsidian's (which are Pandoc's for inline math):

- `$$...$$` is display math; it may span lines; a `\\$$` inside does not close it; an
  unclosed `$$` is text; `$$ $$` with nothing but blanks inside is text;
- `$...$` is inline math when the opening `$` is followed by a non-blank, the closing
  `$` follows a non-blank, is not escaped, is not followed by a digit, and both are on
  one line: `$5 and $10` is not math;
- `\\$` is a literal dollar; nothing inside a code span, a fence or a comment is math
  (the caller skips those: see `vault.convert._convert_text`).

The converter calls `display_end` / `inline_end` at every `$` of its left-to-right scan
and `open_display_count` to follow a `$$` block across lines. The formula checker
(`verify.extract`) must use the same functions, so what the page shows as math is what
is checked (tests/test_syntax_agree.py holds them to it).
"""

from __future__ import annotations

import re

from .markup import strip_code_spans

_DISPLAY_DELIMITER = re.compile(r"(?<!\\)\$\$")


def display_end(text: str, p: int) -> int:
    """`text[p:]` starts with `$$`: the offset of the closing `$$`, or -1 if none."""
    close = p + 2
    while True:
        close = text.find("$$", close)
        if close < 0 or text[close - 1] != "\\":
            return close
        close += 2


def inline_end(text: str, p: int) -> int:
    """`text[p]` is a single `$`: the offset of the `$` closing inline math, or -1."""
    nxt = text[p + 1 : p + 2]
    if not nxt or nxt.isspace():
        return -1
    q = p + 1
    while True:
        # Not bounded by the end of the line up front: finding that for every `$` of a
        # 1 MB line made the scan quadratic. Same result: a closer past a newline is none.
        nq = text.find("$", q)
        if nq < 0 or text.find("\n", q, nq) >= 0:
            return -1
        q = nq
        if text[q - 1] == "\\" or text[q - 1].isspace() or text[q + 1 : q + 2].isdigit():
            q += 1
            continue
        return q


def is_blank_display(latex: str) -> bool:
    """`$$ $$`: nothing to show, so it stays text."""
    return not latex.strip()


def open_display_count(line: str) -> int:
    """How many `$$` a line holds outside code spans (an escaped `\\$$` does not count).
    An odd count opens (or closes) a display block that continues on later lines."""
    return len(_DISPLAY_DELIMITER.findall(strip_code_spans(line)))
