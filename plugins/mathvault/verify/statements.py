"""Cut one formula row into relation chains (``a = b = c``) and conditions.

A row like ``f(x) = 1/x \\quad (x \\neq 0)`` has one chain and one condition;
``a = 1, b = 2`` has two chains.  Cuts happen only at top level: outside
brackets, braces and nested environments.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexer import Tok, tokenize

EQUAL = "="
DEFINE = ":="
RELATIONS = {
    "=": EQUAL,
    "<": "<",
    ">": ">",
    "\\approx": "≈",
    "\\neq": "≠",
    "\\ne": "≠",
    "\\le": "≤",
    "\\leq": "≤",
    "\\ge": "≥",
    "\\geq": "≥",
    "\\equiv": "≡",
    "\\coloneqq": DEFINE,
    "\\triangleq": DEFINE,
    "\\sim": "~",
    "\\propto": "∝",
    "\\simeq": "≃",
    "\\cong": "≅",
    "\\Rightarrow": "⇒",
    "\\implies": "⇒",
    "\\iff": "⇔",
    "\\Leftrightarrow": "⇔",
    "\\Leftarrow": "⇐",
    "\\mapsto": "↦",
    "\\ll": "≪",
    "\\gg": "≫",
    "\\in": "∈",
    "\\subset": "⊂",
    "\\subseteq": "⊆",
    "\\leqslant": "≤",
    "\\geqslant": "≥",
    "\\to": "→",
    "\\rightarrow": "→",
    "\\longrightarrow": "→",
}
OPENERS = {"(", "[", "{", "\\{"}
CLOSERS = {")", "]", "}", "\\}"}


@dataclass(frozen=True)
class Chain:
    """Sides and the relations between them: ``len(rels) == len(sides) - 1``."""

    sides: tuple[tuple[Tok, ...], ...]
    rels: tuple[str, ...]
    texts: tuple[str, ...]  # LaTeX source of each side


@dataclass(frozen=True)
class Row:
    """The chains of one row and whether the row also states conditions."""

    chains: tuple[Chain, ...]
    conditional: bool
    tokens: tuple[Tok, ...]


def _relation(toks: list[Tok], k: int) -> tuple[str, int] | None:
    """The relation starting at ``toks[k]`` and how many tokens it spans."""
    t = toks[k]
    if t.kind == "sym" and t.text == ":" and k + 1 < len(toks) and toks[k + 1].text == "=":
        return DEFINE, 2
    if t.kind in ("sym", "cmd") and t.text in RELATIONS:
        if t.text in ("<", ">") and k + 1 < len(toks) and toks[k + 1].text == "=":
            return ("≤" if t.text == "<" else "≥"), 2
        return RELATIONS[t.text], 1
    if t.kind == "cmd" and t.text in ("\\overset", "\\stackrel") and k + 1 < len(toks):
        # \overset{def}{=}: find the second group's content
        j, depth, groups = k + 1, 0, []
        start = j
        while j < len(toks) and len(groups) < 2:
            if toks[j].text == "{":
                depth += 1
                if depth == 1:
                    start = j + 1
            elif toks[j].text == "}":
                depth -= 1
                if depth == 0:
                    groups.append(toks[start:j])
            elif depth == 0:
                groups.append([toks[j]])
            j += 1
        if len(groups) == 2 and [x.text for x in groups[1]] == ["="]:
            return DEFINE, j - k
    return None


def split_row(latex: str) -> Row:
    """Chains and conditions of one row of LaTeX."""
    toks = tokenize(latex)
    segments: list[list[Tok]] = [[]]
    depth = 0
    for t in toks:
        if t.text in OPENERS or t.text == "\\begin":
            depth += 1
        elif t.text in CLOSERS or t.text == "\\end":
            depth -= 1
        if depth == 0 and (t.kind in ("sep", "text") or t.text in (",", ";", "\\forall")):
            segments.append([])
            continue
        segments[-1].append(t)
    chains: list[Chain] = []
    conditional = False
    for seg in segments:
        if not seg:
            continue
        sides: list[list[Tok]] = [[]]
        rels: list[str] = []
        depth, k = 0, 0
        while k < len(seg):
            t = seg[k]
            if t.text in OPENERS or t.text == "\\begin":
                depth += 1
            elif t.text in CLOSERS or t.text == "\\end":
                depth -= 1
            rel = _relation(seg, k) if depth == 0 else None
            if rel is not None:
                rels.append(rel[0])
                sides.append([])
                k += rel[1]
                continue
            sides[-1].append(t)
            k += 1
        if not rels:
            conditional = True  # "(x \neq 0)" in brackets, a bare list item, a remark
            continue
        if any(r not in (EQUAL, DEFINE) for r in rels):
            conditional = True
        texts = tuple(_source(latex, s) for s in sides)
        chains.append(Chain(tuple(tuple(s) for s in sides), tuple(rels), texts))
    return Row(tuple(chains), conditional, tuple(toks))


def _source(latex: str, side: list[Tok]) -> str:
    if not side:
        return ""
    first, last = side[0].pos, side[-1].pos
    end = last + max(len(side[-1].text), 1)
    if side[-1].kind in ("name", "text"):
        close = latex.find("}", last)
        end = close + 1 if close >= 0 else end
    return latex[first:end].strip()
