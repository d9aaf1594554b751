"""Tokenizer for the LaTeX math people type in Obsidian.

Tokens are deliberately small: one token per letter (``xy`` is two letters,
so the parser can decide between a product and a word), one per number,
one per command.  Spacing commands (``\\ ``, ``\\,``, ``~``) only set the
``space`` flag of the next token; ``\\left``/``\\right``/``\\big`` are dropped
and leave their delimiter; ``\\quad`` becomes a ``sep`` token because people use
it to separate a formula from its condition.  ``\\text{..}``, ``\\mathrm{..}``
and ``\\operatorname{..}`` are read whole: one letter gives a ``letter`` token,
a word a ``name`` token, anything else a ``text`` token.
"""

from __future__ import annotations

from dataclasses import dataclass

_SPACING = {
    ",",
    ";",
    ":",
    "!",
    " ",
    "enspace",
    "thinspace",
    "medspace",
    "thickspace",
    "displaystyle",
    "textstyle",
    "limits",
    "nolimits",
    "hspace",
}
_SIZING = {
    "left",
    "right",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "biggl",
    "biggr",
    "Biggl",
    "Biggr",
    "middle",
}
_SEPARATORS = {"quad", "qquad"}
_WORDY = {
    "text",
    "mathrm",
    "operatorname",
    "textrm",
    "mathit",
    "textit",
    "rm",
    "mbox",
    "textbf",
    "mathsf",
}
_ALIASES = {
    "lvert": "|",
    "rvert": "|",
    "vert": "|",
    "lbrack": "[",
    "rbrack": "]",
    "lparen": "(",
    "rparen": ")",
}


@dataclass(frozen=True)
class Tok:
    """A token; ``space`` is True when blank space or a spacing command precedes it."""

    kind: str  # num, letter, name, text, cmd, sym, sep, eof
    text: str
    space: bool = False
    pos: int = -1  # offset in the source string; -1 for synthetic tokens


EOF = Tok("eof", "")


class LexError(ValueError):
    """The input cannot be tokenized (for instance an unclosed ``\\text{``)."""


def _braced(s: str, i: int) -> tuple[str, int]:
    """Content of the ``{...}`` group starting at ``s[i]`` and the index after it."""
    while i < len(s) and s[i].isspace():
        i += 1
    if i >= len(s) or s[i] != "{":
        # \rm x, \mathrm d: a single following character
        if i < len(s):
            return s[i], i + 1
        raise LexError("missing argument")
    depth = 0
    for j in range(i, len(s)):
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1 : j], j + 1
    raise LexError("unclosed brace")


def tokenize(s: str) -> list[Tok]:
    """Tokens of ``s`` (no trailing EOF)."""
    out: list[Tok] = []
    i, n = 0, len(s)
    space = False

    start = 0

    def emit(kind: str, text: str) -> None:
        nonlocal space
        out.append(Tok(kind, text, space, start))
        space = False

    while i < n:
        c = s[i]
        start = i
        if c.isspace() or c == "~":
            space = True
            i += 1
        elif c == "%":  # a TeX comment runs to the end of the line
            j = s.find("\n", i)
            i = n if j < 0 else j
        elif c == "\\":
            if i + 1 < n and s[i + 1].isalpha():
                j = i + 1
                while j < n and s[j].isalpha():
                    j += 1
                name = s[i + 1 : j]
                i = j
                if name in _SPACING:
                    space = True
                    if name == "hspace":
                        _, i = _braced(s, i)
                elif name in _SIZING:
                    while i < n and s[i].isspace():
                        i += 1
                    if i < n and s[i] == ".":  # \left. or \right.
                        i += 1
                elif name in _SEPARATORS:
                    emit("sep", name)
                elif name in _WORDY:
                    body, i = _braced(s, i)
                    word = body.strip()
                    if len(word) == 1 and word.isalpha():
                        emit("letter", word)
                    elif word.isalpha():
                        emit("name", word)
                    else:
                        emit("text", body)
                elif name in _ALIASES:
                    emit("sym", _ALIASES[name])
                else:
                    emit("cmd", "\\" + name)
            elif i + 1 < n:
                nxt = s[i + 1]
                i += 2
                if nxt in ",;:! \t\n":
                    space = True
                elif nxt == "\\":
                    emit("cmd", "\\\\")
                elif nxt in "{}":
                    emit("sym", "\\" + nxt)
                elif nxt == "|":
                    emit("cmd", "\\|")
                else:
                    emit("sym", nxt)  # \% \$ \#
            else:
                space = True  # a lone trailing backslash (control space at end)
                i += 1
        elif c.isdigit() or (c == "." and i + 1 < n and s[i + 1].isdigit()):
            j = i
            while j < n and s[j].isdigit():
                j += 1
            if j < n - 1 and s[j] == "." and s[j + 1].isdigit():
                j += 1
                while j < n and s[j].isdigit():
                    j += 1
            emit("num", s[i:j])
            i = j
        elif c.isascii() and c.isalpha():
            emit("letter", c)
            i += 1
        else:
            emit("sym", c)
            i += 1
    return out
