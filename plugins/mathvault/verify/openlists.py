"""Open lists over named variables: ``f(x, y, z, \\dots)`` and ``f_x dx + f_y dy + \\dots``.

An ellipsis with no last term cannot be instantiated by an index.  When the list is a
list of single-letter variables (an argument list), its continuation is one more
variable; and a sum whose terms are one term with those letters put in, in the same
order, continues with the next letter too.  The claim is then checked with the list as
written (three variables) and with one and two more (fresh letters), so
``df(x, y, z, \\dots) = f_x dx + f_y dy + f_z dz + \\dots`` is the total differential for
3, 4 and 5 variables.  (Written here: no library instantiates notation like this.)
"""

from __future__ import annotations

from dataclasses import replace

from .lexer import Tok
from .parser import ELLIPSIS
from .series import split_series

_FRESH = "wuvsrqp"  # letters for the extra variables, the first ones not in the claim


def _letters(toks: list[Tok]) -> set[str]:
    return {t.text for t in toks if t.kind == "letter"}


def _arg_list(side: list[Tok], p: int) -> tuple[int, list[str]] | None:
    """``(start, letters)`` when the ellipsis at ``p`` ends ``(x, y, z, \\dots)``."""
    if p + 1 >= len(side) or side[p + 1].text != ")" or p < 2 or side[p - 1].text != ",":
        return None
    letters, k = [], p - 2
    while k >= 0:
        if side[k].kind != "letter":
            return None
        letters.append(side[k].text)
        if k >= 1 and side[k - 1].text == ",":
            k -= 2
            continue
        if k >= 1 and side[k - 1].text == "(":
            return k - 1, letters[::-1]
        return None
    return None


def _terms(side: list[Tok], p: int) -> list[list[Tok]] | None:
    """The terms of ``t_1 + t_2 + t_3 + \\dots`` (all joined by ``+``, the ellipsis last)."""
    if p != len(side) - 1 or side[p - 1].text != "+":
        return None
    terms = split_series(tuple(side), least=2)
    if terms is None or any(t[0].text == "-" for t in terms):
        return None
    return [list(t) for t in terms]


def _rename(toks: list[Tok], old: str, new: str) -> list[Tok]:
    return [replace(t, text=new) if t.kind == "letter" and t.text == old else t for t in toks]


def _same(a: list[Tok], b: list[Tok]) -> bool:
    return [(t.kind, t.text) for t in a] == [(t.kind, t.text) for t in b]


def instances(a: tuple[Tok, ...], b: tuple[Tok, ...]) -> list[tuple[int, tuple, tuple]] | None:
    """The claim ``a = b`` for 3 (as written), then one and two more variables; None when its
    ellipses are not open lists over named variables."""
    sides = [list(a), list(b)]
    lists: list[tuple[int, int, list[str]]] = []  # (side, ellipsis index, letters)
    sums: list[tuple[int, int, list[list[Tok]]]] = []
    for s, side in enumerate(sides):
        for p, t in enumerate(side):
            if t.text not in ELLIPSIS:
                continue
            arg = _arg_list(side, p)
            if arg is not None:
                lists.append((s, p, arg[1]))
                continue
            found = _terms(side, p)
            if found is None:
                return None
            sums.append((s, p, found))
    if not lists:
        return None
    names = lists[0][2]
    if any(letters != names for _, _, letters in lists) or len(set(names)) != len(names):
        return None
    for _, _, terms in sums:  # each term is the first with the next variable put in
        if len(terms) != len(names) or not all(
            _same(_rename(terms[0], names[0], v), term) for v, term in zip(names, terms)
        ):
            return None
    used = _letters(sides[0]) | _letters(sides[1])
    fresh = [c for c in _FRESH if c not in used]
    out = []
    for extra in range(3):
        if extra > len(fresh):
            break
        more = fresh[:extra]
        built = []
        for s, side in enumerate(sides):
            new: list[Tok] = []
            for p, t in enumerate(side):
                if t.text not in ELLIPSIS:
                    new.append(t)
                    continue
                if any(x == (s, p) for x in ((s_, p_) for s_, p_, _ in lists)):
                    new.pop()  # the "," before the ellipsis
                    for v in more:
                        new += [Tok("sym", ","), Tok("letter", v)]
                    continue
                new.pop()  # the "+" before the ellipsis
                first = next(terms for s_, p_, terms in sums if (s_, p_) == (s, p))[0]
                for v in more:
                    new += [Tok("sym", "+"), *_rename(first, names[0], v)]
            built.append(tuple(new))
        out.append((len(names) + extra, built[0], built[1]))
    return out
