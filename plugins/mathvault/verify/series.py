"""Infinite series written by their first terms: ``\\frac12 + \\frac14 + \\frac18 + \\cdots``.

The general term is read off the written terms only when one simple family fits every
one of them exactly (at least three terms, so the fit is checked, not merely solved):
a geometric series ``c r^k``, or ``±1/(a + d k)^m`` (m = 1, 2, 3) with constant or
alternating signs.  That is how a reader reads such a sum; anything else stays
unread.  The sum is then found by SymPy.  (Written here: no library guesses series.)
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from .lexer import Tok
from .parser import ELLIPSIS

K = sp.Symbol("k", integer=True, nonnegative=True)


def split_series(side: tuple[Tok, ...], least: int = 3) -> list[tuple[Tok, ...]] | None:
    """The signed terms (at least ``least``) of ``t0 ± t1 ± t2 ± \\cdots`` (the ellipsis
    last), else None."""
    toks = list(side)
    if len(toks) < 2 or toks[-1].text not in ELLIPSIS or toks[-2].text not in ("+", "-"):
        return None
    body = toks[:-2]
    terms: list[list[Tok]] = [[]]
    depth = 0
    for t in body:
        if t.text in ("{", "(", "[", "\\left"):
            depth += 1
        elif t.text in ("}", ")", "]", "\\right"):
            depth -= 1
        if depth == 0 and t.text in ("+", "-") and terms[-1]:
            terms.append([t] if t.text == "-" else [])
            continue
        terms[-1].append(t)
    if len(terms) < least or any(not t for t in terms) or any(x.text in ELLIPSIS for x in body):
        return None
    return [tuple(t) for t in terms]


def general_term(values: list[sp.Expr]) -> sp.Expr | None:
    """The one simple family (see the module text) every value fits, as a term in ``K``."""
    if len(values) < 3 or any(not v.is_Rational or v == 0 for v in values):
        return None
    found = []
    r = values[1] / values[0]
    if all(values[j + 1] == values[j] * r for j in range(len(values) - 1)):
        found.append(values[0] * r**K)
    signs = [1 if v > 0 else -1 for v in values]
    alternating = all(signs[j + 1] == -signs[j] for j in range(len(signs) - 1))
    if alternating or len(set(signs)) == 1:
        sign = signs[0] * ((-1) ** K if alternating else 1)
        for m in (1, 2, 3):
            roots = [sp.root(1 / abs(v), m) for v in values]
            if not all(x.is_Rational for x in roots):
                continue
            d = roots[1] - roots[0]
            if d > 0 and all(roots[j + 1] - roots[j] == d for j in range(len(roots) - 1)):
                found.append(sign / (roots[0] + d * K) ** m)
    distinct = {sp.simplify(f) for f in found}
    if len(distinct) != 1:
        return None  # none fits, or two readings that disagree
    return found[0]


def series_value(
    side: tuple[Tok, ...], value: Callable[[tuple[Tok, ...]], sp.Expr | None]
) -> tuple[sp.Expr, sp.Expr] | str | None:
    """``(sum, general term)`` of a series of numbers; a reason when its general term is not
    clear; None when the side is not a series of numbers."""
    terms = split_series(side)
    if terms is None:
        return None
    values = [value(t) for t in terms]
    if any(v is None for v in values):
        return None  # an open list of terms (df = f_x dx + f_y dy + …): not a series of numbers
    term = general_term(values)
    if term is None:
        return "an infinite series whose general term is not clear from the terms written"
    return sp.summation(term, (K, 0, sp.oo)), term
