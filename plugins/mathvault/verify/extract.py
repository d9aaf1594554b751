"""Find the math of a raw Obsidian note, with 1-based line numbers.

A single left-to-right scan over the note (front matter and fenced code masked
first) recognises, in this order of precedence: backslash escapes, inline code
spans, ``%% ... %%`` comments (whose text is kept as a :class:`Directive`),
``$$ ... $$`` display math (may span lines, may sit in a tab-indented list item
or a ``>`` callout) and ``$ ... $`` inline math.  Inline math follows the Pandoc
rule: the opening ``$`` is followed by a non-space, the closing ``$`` is preceded
by a non-space and not followed by a digit, and both are on one line, so
``$5 and $10`` is not math.

Display math is split into rows (:func:`split_rows`): ``align``-like wrappers
are removed, rows are cut at top-level ``\\``, ``&`` is dropped, and each row
keeps the line on which its own text starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..syntax import mathspans
from ..syntax.fences import code_mask
from ..syntax.frontmatter import body_start


@dataclass(frozen=True)
class Math:
    """A math span: ``line`` is where its first non-blank character is."""

    line: int
    latex: str
    display: bool
    rows: tuple[tuple[int, str], ...]
    start: int = field(default=-1, compare=False)  # offsets of the delimiters in the note text
    end: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Directive:
    """The text of an Obsidian ``%% ... %%`` comment, stripped."""

    line: int
    text: str


def _mask_frontmatter_and_fences(text: str) -> str:
    """Replace front matter and fenced code with spaces, keeping newlines (the shared owners
    in :mod:`mathvault.syntax` decide what is front matter and what is code)."""
    start = body_start(text)
    head = re.sub(r"[^\n]", " ", text[:start])
    lines = text[start:].split("\n")
    mask = code_mask(lines, quotes=True)
    return head + "\n".join(" " * len(line) if m else line for line, m in zip(lines, mask))


def scan(text: str) -> list[Math | Directive]:
    """All math spans and comment directives of ``text``, in reading order."""
    s = _mask_frontmatter_and_fences(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", s)]

    def line_of(pos: int) -> int:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    events: list[Math | Directive] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
        elif c == "`":
            run = len(s[i:]) - len(s[i:].lstrip("`"))
            close = s.find("`" * run, i + run)
            i = i + run if close < 0 else close + run
        elif s.startswith("%%", i):
            close = s.find("%%", i + 2)
            end = n if close < 0 else close
            events.append(Directive(line_of(i), s[i + 2 : end].strip()))
            i = n if close < 0 else close + 2
        elif s.startswith("$$", i):
            close = mathspans.display_end(s, i)
            if close < 0:
                i += 2
                continue
            body = s[i + 2 : close]
            if mathspans.is_blank_display(body):
                i = close + 2  # `$$ $$`: stays text, as the converter leaves it
                continue
            line_head = s[s.rfind("\n", 0, i) + 1 : i]
            if line_head.lstrip().startswith(">"):  # a display inside a callout or quote
                body = _strip_quote_prefixes(body)
            first = len(body) - len(body.lstrip())
            start_line = line_of(i + 2 + first) if body.strip() else line_of(i)
            rows = tuple(split_rows(body, line_of(i + 2)))
            events.append(Math(start_line, body.strip(), True, rows, i, close + 2))
            i = close + 2
        elif c == "$":
            if i + 1 < n and not s[i + 1].isspace() and s[i + 1] != "$":
                close = mathspans.inline_end(s, i)
                if close > 0:
                    body = s[i + 1 : close]
                    line = line_of(i)
                    events.append(Math(line, body, False, ((line, body.strip()),), i, close + 1))
                    i = close + 1
                    continue
            i += 1
        else:
            i += 1
    return events


def _strip_quote_prefixes(body: str) -> str:
    """Drop ``>`` callout/blockquote markers at the start of continuation lines."""
    return re.sub(r"\n[ \t]*(?:>[ \t]?)+", lambda m: "\n" + " " * (len(m.group(0)) - 1), body)


_WRAPPERS = (
    r"(?:align|aligned|alignat|alignedat|gather|gathered|split|eqnarray|equation|multline)\*?"
)
_BEGIN_WRAP = re.compile(r"\\begin\{" + _WRAPPERS + r"\}(?:\{[^}]*\})?")
_END_WRAP = re.compile(r"\\end\{" + _WRAPPERS + r"\}")
_TEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
_NOISE = re.compile(r"\\(?:nonumber|notag)\b|\\(?:label|tag)\{[^}]*\}")


def split_rows(body: str, first_line: int) -> list[tuple[int, str]]:
    """Rows of a display formula as ``(line, latex)``; blank rows are dropped.

    ``first_line`` is the line on which ``body`` starts.  Wrappers and noise are
    blanked with spaces of equal length so offsets (hence lines) stay exact.
    """

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = _NOISE.sub(blank, _END_WRAP.sub(blank, _BEGIN_WRAP.sub(blank, body)))
    text = _TEX_COMMENT.sub(blank, text)
    rows: list[tuple[int, str]] = []
    depth = 0  # nesting of other environments (bmatrix, cases) and braces
    start = 0
    i = 0
    pieces: list[tuple[int, int]] = []
    while i < len(text):
        if text.startswith("\\begin{", i) or text.startswith("\\end{", i):
            depth += 1 if text[i + 1] == "b" else -1
            close = text.find("}", i)
            i = len(text) if close < 0 else close + 1
        elif text.startswith("\\\\", i):
            if depth == 0:
                pieces.append((start, i))
                i += 2
                m = re.match(r"\s*\[[^\]]*\]", text[i:])  # \\[4pt]
                if m:
                    i += m.end()
                start = i
            else:
                i += 2
        elif text[i] == "\\":
            i += 2
        elif text[i] == "{":
            depth += 1
            i += 1
        elif text[i] == "}":
            depth -= 1
            i += 1
        else:
            i += 1
    pieces.append((start, len(text)))
    for a, b in pieces:
        raw = text[a:b]
        if not raw.strip():
            continue
        lead = len(raw) - len(raw.lstrip())
        line = first_line + text.count("\n", 0, a + lead)
        rows.append((line, _drop_ampersands(raw.strip())))
    return rows


def _drop_ampersands(row: str) -> str:
    """Remove alignment ``&`` that are not inside a nested environment."""
    out: list[str] = []
    depth = 0
    i = 0
    while i < len(row):
        if row.startswith("\\begin{", i):
            depth += 1
        elif row.startswith("\\end{", i):
            depth -= 1
        if row[i] == "\\" and i + 1 < len(row):
            out.append(row[i : i + 2])
            i += 2
            continue
        if row[i] == "&" and depth == 0:
            out.append(" ")
        else:
            out.append(row[i])
        i += 1
    return "".join(out)
