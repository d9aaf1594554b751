"""Patterns with ``\\dots``: instantiated for concrete lengths, then checked as formulas.

``1 + 2 + \\cdots + n = \\frac{n(n+1)}{2}`` is read as a rule: the last term before or after the
ellipsis (``n``) is the general term in an index letter, the explicit first terms fix where the
index starts and must follow that rule, and every occurrence of the index letter elsewhere in the
claim is the length.  The claim is then checked for three lengths; it is verified when every
instance is, refuted when one is.  Hand-written: no library reads ellipsis notation.
"""

from __future__ import annotations

from collections.abc import Callable

from .decide import Verdict
from .lexer import Tok
from .parser import ELLIPSIS

_OPS = {"+", ",", "\\cdot", "\\times", "&", "\\\\"}
_OPEN = {"(", "[", "{", "\\{", "\\begin"}
_CLOSE = {")", "]", "}", "\\}", "\\end"}
_STOP = {"=", "<", ">"}


def _region(toks: list[Tok], p: int) -> tuple[int, int, str | None] | None:
    """The span ``[lo, hi)`` of the list around the ellipsis at ``p`` and its separator."""
    before = toks[p - 1].text if p > 0 else None
    after = toks[p + 1].text if p + 1 < len(toks) else None
    op = before if before in _OPS else None
    if op is None:
        if before is None or after is None:
            return None
        op = ""  # x_1 x_2 \cdots x_n: juxtaposition
        seen = _left_separator(toks, p)
        if seen in ("\\cdot", "\\times") and after not in _OPS:
            # 1 \cdot 2 \cdot 3 \cdots n: the ellipsis stands between two factors
            return _region_implicit(toks, p, seen)
    elif after != op:
        return None  # `1 + 2 + \dots` (no last term) or mixed separators
    if op in ("\\\\", "&"):
        lo, hi, _ = _bounds(toks, p - 2, p + 2, op)
        return lo, hi, op
    step = 2 if op else 1
    return _bounds(toks, p - step, p + step, op, sums=op in ("\\cdot", "\\times", ""))


def _left_separator(toks: list[Tok], p: int) -> str | None:
    """The first top-level separator left of ``p`` (how the written terms are joined)."""
    depth = 0
    for k in range(p - 1, -1, -1):
        t = toks[k].text
        if t in _CLOSE:
            depth += 1
        elif t in _OPEN:
            if depth == 0:
                return None
            depth -= 1
        elif depth == 0 and t in _OPS | {"+", "-", "="}:
            return t
    return None


def _region_implicit(toks: list[Tok], p: int, op: str) -> tuple[int, int, str]:
    lo, hi, _ = _bounds(toks, p - 1, p + 1, op)
    return lo, hi, op + "*"


def _bounds(
    toks: list[Tok], left: int, right: int, op: str, sums: bool = True
) -> tuple[int, int, str]:
    """The list around an ellipsis: from ``left`` and ``right`` outwards to the enclosing
    bracket or environment, a relation, or (``sums``) a top-level ``+``/``-``."""
    lo, depth = left, 0
    while lo >= 0:
        t = toks[lo].text
        if t in _CLOSE:
            depth += 1
        elif t in _OPEN:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (t in _STOP or (sums and t in ("+", "-"))):
            break
        lo -= 1
    hi, depth = right, 0
    while hi < len(toks):
        t = toks[hi].text
        if t in _OPEN:
            depth += 1
        elif t in _CLOSE:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (t in _STOP or (sums and t in ("+", "-"))):
            break
        hi += 1
    if lo >= 0 and toks[lo].text == "\\begin":
        lo = _group(toks, lo + 1) - 1
    return lo + 1, hi, op


def _split(toks: list[Tok], op: str) -> list[list[Tok]]:
    """Top-level terms of ``toks`` separated by ``op`` (juxtaposition: one factor per term)."""
    if not op:
        return _factors(toks)
    terms: list[list[Tok]] = [[]]
    depth = 0
    for t in toks:
        if t.text in _OPEN:
            depth += 1
        elif t.text in _CLOSE:
            depth -= 1
        if depth == 0 and t.text == op:
            terms.append([])
            continue
        terms[-1].append(t)
    return [x for x in terms if x]


def _group(toks: list[Tok], k: int) -> int:
    """The index after the token or balanced group starting at ``k``."""
    if k < len(toks) and toks[k].text in _OPEN:
        depth = 0
        for j in range(k, len(toks)):
            if toks[j].text in _OPEN:
                depth += 1
            elif toks[j].text in _CLOSE:
                depth -= 1
                if depth == 0:
                    return j + 1
        return len(toks)
    return k + 1


def _factors(toks: list[Tok]) -> list[list[Tok]]:
    """Juxtaposed factors: an atom (``x``, ``\\frac{a}{b}``, a bracket) with its scripts."""
    out, k = [], 0
    while k < len(toks):
        j = k
        if toks[j].text in ("\\frac", "\\dfrac"):
            j = _group(toks, _group(toks, j + 1))
        elif toks[j].text == "\\sqrt":
            j = _group(toks, j + 1)
        else:
            j = _group(toks, j)
        while j < len(toks) and toks[j].text in ("_", "^"):
            j = _group(toks, j + 1)
        out.append(toks[k:j])
        k = j
    return out


def _subst(toks: list[Tok], letter: str, value: int) -> list[Tok]:
    out: list[Tok] = []
    for k, t in enumerate(toks):
        if t.kind == "letter" and t.text == letter:
            in_script = k > 0 and toks[k - 1].text in ("_", "^")
            in_braces = k > 0 and toks[k - 1].text == "{"
            if in_script or in_braces:
                out.append(Tok("num", str(value), t.space))
            else:
                out += [Tok("sym", "(", t.space), Tok("num", str(value)), Tok("sym", ")")]
        else:
            out.append(t)
    return out


def _slots(first: list[Tok], last: list[Tok]) -> tuple[str, int, list[int]] | None:
    """Where ``last`` differs from ``first`` only by one index letter against numbers
    (``\\binom{n}{0}`` … ``\\binom{n}{n}``): the letter, the first index and the positions."""
    if len(first) != len(last):
        return None
    diff = [k for k, (a, b) in enumerate(zip(first, last)) if a.text != b.text]
    if not diff:
        return None
    letters = {last[k].text for k in diff}
    nums = {first[k].text for k in diff}
    if (
        len(letters) != 1
        or len(nums) != 1
        or any(last[k].kind != "letter" or first[k].kind != "num" for k in diff)
    ):
        return None
    return letters.pop(), int(nums.pop()), diff


def _fill(term: list[Tok], slots: list[int], k: int) -> list[Tok]:
    out = list(term)
    for j in slots:
        out[j] = Tok("num", str(k), term[j].space)
    return out


def _same(a: list[Tok], b: list[Tok]) -> bool:
    """The same term: equal as written, or equal as numbers (``2(2)-1`` and ``3``)."""
    if _text(a) == _text(b):
        return True
    try:
        from .parser import FormulaInfo, Notes, Parser
        from .scope import Scope

        x = Parser(list(a), Scope(), FormulaInfo(), Notes()).parse_all()
        y = Parser(list(b), Scope(), FormulaInfo(), Notes()).parse_all()
        return (
            bool(getattr(x, "is_number", False) and getattr(y, "is_number", False) and (x - y) == 0)
            or x == y
        )
    except Exception:  # noqa: BLE001 - unreadable terms are simply not the same
        return False


def _text(toks: list[Tok]) -> str:
    return (
        "".join(t.text for t in toks if t.text not in ("{", "}")).replace("(", "").replace(")", "")
    )


def _join(terms: list[list[Tok]], op: str) -> list[Tok]:
    out: list[Tok] = []
    for k, term in enumerate(terms):
        if k and op:
            out.append(Tok("cmd" if op.startswith("\\") else "sym", op, True))
        out += (
            [Tok("sym", "{"), *term, Tok("sym", "}")]
            if not op or op in ("\\cdot", "\\times")
            else term
        )
    return out


def _instantiate(side: list[Tok], n: int) -> tuple[list[Tok], dict[str, int]] | str:
    """``side`` with every ellipsis list written out for length ``n``, and the letters fixed."""
    letters: dict[str, int] = {}
    while True:
        p = next((k for k, t in enumerate(side) if t.text in ELLIPSIS), None)
        if p is None:
            return side, letters
        reg = _region(side, p)
        if reg is None:
            return "an ellipsis without a last term (an infinite series?) or with mixed separators"
        lo, hi, op = reg
        implicit = op.endswith("*")
        op = op.rstrip("*")
        cut = p - 1 if op and not implicit else p
        before = _split(side[lo:cut], op)
        after = _split(side[p + (2 if op and not implicit else 1) : hi], op)
        if not before or not after:
            return "an ellipsis without terms on both sides"
        last = after[-1]
        slotted = _slots(before[0], last)
        if slotted is not None:
            letter, start, slots = slotted
            rule = lambda k, last=last, slots=slots: _fill(last, slots, k)  # noqa: E731
            if all(_same(rule(start + j), term) for j, term in enumerate(before)):
                count = n - start + 1
                if count < len(before) + len(after):
                    return "too few terms for the explicit ones written"
                letters[letter] = n
                side = side[:lo] + _join([rule(start + j) for j in range(count)], op) + side[hi:]
                side = _subst(side, letter, n)
                continue
        found = None
        candidates = [t.text for t in last if t.kind == "letter"]
        for letter in sorted(set(candidates), key=lambda x: (x not in "nmNkK", x)):
            for start in (0, 1, 2):
                if all(
                    _same(_subst(last, letter, start + j), term) for j, term in enumerate(before)
                ):
                    found = (letter, start)
                    break
            if found:
                break
        if found is None:
            literal = _literal(before, after, last, n)
            if literal is not None:
                if isinstance(literal, str):
                    return literal
                letter, terms = literal
                letters[letter] = n
                letters[LITERAL] = 1
                side = side[:lo] + _join(terms, op) + side[hi:]
                side = _subst(side, letter, n)
                continue
            return (
                "the terms before the ellipsis do not follow the last term "
                f"({_text(before[0])} is not {_text(last)} at the first index)"
            )
        letter, start = found
        count = n - start + 1
        if count < len(before) + len(after):
            return "too few terms for the explicit ones written"
        letters[letter] = n
        terms = [_subst(last, letter, start + j) for j in range(count)]
        tail = [a for a in after[:-1]]
        for j, a in enumerate(
            tail
        ):  # ... + x_{n-1} + x_n: the written last terms must fit the rule
            if _text(_subst(a, letter, n)) != _text(_subst(last, letter, n - len(tail) + j)):
                return "the terms after the ellipsis do not follow the last term"
        side = side[:lo] + _join(terms, op) + side[hi:]
        side = _subst(side, letter, n)


def _symbolic(side: list[Tok]) -> tuple[list[Tok], str] | None | str:
    """``side`` with its one ellipsis list ``t(a) + … + t(n)`` written as ``\\sum_{k=a}^{n}
    t(k)`` (``\\prod`` for products) and the length letter; the side itself when it has no
    ellipsis; a reason when that is not possible (only simple lists: the first terms must be
    the last one at a, a + 1, … and the list stands alone in its side)."""
    spots = [k for k, t in enumerate(side) if t.text in ELLIPSIS]
    if not spots:
        return side, ""
    if len(spots) > 1:
        return "more than one ellipsis"
    p = spots[0]
    reg = _region(side, p)
    if reg is None:
        return "no last term"
    lo, hi, op = reg
    implicit = op.endswith("*")
    op = op.rstrip("*")
    if op not in ("+", "\\cdot", "\\times", ""):
        return "not a sum or a product"
    cut = p - 1 if op and not implicit else p
    before = _split(side[lo:cut], op)
    after = _split(side[p + (2 if op and not implicit else 1) : hi], op)
    if len(after) != 1 or not before:
        return "terms after the ellipsis"
    last = after[0]
    letters = sorted(
        {t.text for t in last if t.kind == "letter"}, key=lambda x: (x not in "nmNk", x)
    )
    for letter in letters:
        for start in (0, 1, 2):
            if all(_same(_subst(last, letter, start + j), term) for j, term in enumerate(before)):
                used = {t.text for t in side if t.kind == "letter"}
                k = next((c for c in "kjlqrs" if c not in used), None)
                if k is None:
                    return "no free index letter"
                term = [
                    Tok("letter", k) if (t.kind == "letter" and t.text == letter) else t
                    for t in last
                ]
                big = "\\sum" if op == "+" else "\\prod"
                head = [
                    Tok("cmd", big),
                    Tok("sym", "_"),
                    Tok("sym", "{"),
                    Tok("letter", k),
                    Tok("sym", "="),
                    Tok("num", str(start)),
                    Tok("sym", "}"),
                    Tok("sym", "^"),
                    Tok("sym", "{"),
                    Tok("letter", letter),
                    Tok("sym", "}"),
                    Tok("sym", "("),
                ]
                return side[:lo] + head + term + [Tok("sym", ")")] + side[hi:], letter
    return "the first terms do not follow the last"


LITERAL = "(as written)"  # marks an instance read from the written terms, not from a rule


def _literal(
    before: list[list[Tok]], after: list[list[Tok]], last: list[Tok], n: int
) -> tuple[str, list[list[Tok]]] | str | None:
    """The list exactly as written when its first terms do not follow the last one by a slip
    of index (``∂x_1/∂t_1`` where the last term has ``∂x_n/∂t_i``): at the one length where
    no term has to be guessed (the written terms and the last one), the terms as written.
    None when the first terms are not the last one up to such index slots."""
    if len(after) != 1:
        return None
    best: tuple[int, bool, str, int] | None = None  # (slips, not a length letter, letter, start)
    for letter in sorted({t.text for t in last if t.kind == "letter"}):
        for start in (0, 1, 2):
            slips = 0
            for j, term in enumerate(before):
                ruled = _subst(last, letter, start + j)
                diff = [(x, y) for x, y in zip(ruled, term) if (x.kind, x.text) != (y.kind, y.text)]
                # only index slots may differ, and only a letter (the rule) against a number
                if (
                    len(ruled) != len(term)
                    or not diff
                    or len(diff) > 2
                    or any(not (x.kind == "letter" and y.kind == "num") for x, y in diff)
                ):
                    slips = -1
                    break
                slips += len(diff)
            if slips > 0:
                key = (slips, letter not in "nmN", letter, start)
                best = key if best is None or key < best else best
    if best is None:
        return None
    _, _, letter, start = best
    exact = start + len(before)
    if n != exact:
        return "too few terms" if n < exact else "the written terms fix only one length"
    return letter, [*before, last]


def check_pattern(
    a: tuple[Tok, ...],
    b: tuple[Tok, ...],
    check: Callable[[tuple[Tok, ...], tuple[Tok, ...]], Verdict],
) -> Verdict:
    """Check ``a = b`` written with ellipses for three lengths, then for a symbolic length."""
    results = []
    why = ""
    for n in range(2, 12):
        if len(results) == 3:
            break
        left = _instantiate(list(a), n)
        right = _instantiate(list(b), n)
        if isinstance(left, str) or isinstance(right, str):
            why = left if isinstance(left, str) else right
            if "too few terms" in why or "fix only one length" in why:
                continue
            return Verdict("skipped", f"skipped: pattern not instantiated: {why}")
        (lt, ll), (rt, rl) = left, right
        letters = {**ll, **rl}
        literal = letters.pop(LITERAL, None)
        lt, rt = _fix(lt, letters), _fix(rt, letters)
        v = check(tuple(lt), tuple(rt))
        shown = ", ".join(f"{k} = {v_}" for k, v_ in letters.items())
        if literal and v.verdict == "refuted":
            return Verdict(
                "refuted",
                f"pattern as written, instance {shown} (the first terms do not follow the last "
                f"term; this length needs no guessed term): {v.reason}",
                v.counterexample,
                "pattern",
            )
        if literal and v.verdict == "verified":
            return Verdict(
                "skipped",
                "skipped: the terms before the ellipsis do not follow the last term; as written "
                f"the claim holds at {shown}, but the pattern itself is unclear",
            )
        if literal:
            return Verdict("skipped", f"{v.reason} (the pattern as written, {shown})")
        if v.verdict == "refuted":
            return Verdict(
                "refuted", f"pattern, instance {shown}: {v.reason}", v.counterexample, "pattern"
            )
        results.append((shown, v))
    if not results:
        return Verdict("skipped", f"skipped: pattern not instantiated: {why}")
    if all(v.verdict == "verified" for _, v in results):
        shown = "; ".join(s for s, _ in results)
        general = _check_symbolic(a, b, check)
        if general is not None and general.verdict == "refuted":
            return Verdict(
                "refuted",
                f"pattern, for a symbolic length (it holds for {shown} only): {general.reason}",
                general.counterexample,
                "pattern",
            )
        if general is not None and general.verdict == "verified":
            shown += "; and for a symbolic length"
        return Verdict(
            "verified", f"pattern checked for {shown} ({results[0][1].reason})", None, "pattern"
        )
    shown, first = next((s, v) for s, v in results if v.verdict != "verified")
    return Verdict("skipped", f"{first.reason} (pattern instance {shown})")


def _check_symbolic(
    a: tuple[Tok, ...],
    b: tuple[Tok, ...],
    check: Callable[[tuple[Tok, ...], tuple[Tok, ...]], Verdict],
) -> Verdict | None:
    """The claim with its ellipsis lists as ``\\sum``/``\\prod`` over a symbolic length; None
    when a list is not simple enough or the lengths of the two sides are different letters."""
    left, right = _symbolic(list(a)), _symbolic(list(b))
    if not isinstance(left, tuple) or not isinstance(right, tuple):
        return None
    if left[1] and right[1] and left[1] != right[1]:
        return None
    return check(tuple(left[0]), tuple(right[0]))


def _fix(toks: list[Tok], letters: dict[str, int]) -> list[Tok]:
    for letter, n in letters.items():
        toks = _subst(toks, letter, n)
    return toks


_DECORATED = {"\\bar", "\\hat", "\\overline", "\\tilde", "\\widehat"}


def sum_lengths(toks: tuple[Tok, ...]) -> dict[str, set[str]]:
    """Letters that are the upper bound of a ``\\sum``/``\\prod`` (``n`` in ``\\sum_{i=1}^{n}``),
    with the index letters they bound."""
    out: dict[str, set[str]] = {}
    t = list(toks)
    for k, x in enumerate(t):
        if x.text not in ("\\sum", "\\prod") or k + 1 >= len(t) or t[k + 1].text != "_":
            continue
        j = _group(t, k + 2)
        lower = t[k + 2 : j]
        index = next((y.text for y in lower if y.kind == "letter"), None)
        if j < len(t) and t[j].text == "^":
            upper = t[j + 1 : _group(t, j + 1)]
            letters = [y.text for y in upper if y.kind == "letter"]
            if len(letters) == 1 and index:
                out.setdefault(letters[0], set()).add(index)
    return out


def _decorated_names(toks: tuple[Tok, ...]) -> list[str]:
    """``\\bar{x}``, ``\\hat y``: the decorated names in ``toks``, as written."""
    t = list(toks)
    out = []
    for k, x in enumerate(t):
        if x.text in _DECORATED and k + 1 < len(t):
            j = _group(t, k + 1)
            inner = "".join(y.text for y in t[k + 1 : j])
            out.append(x.text + (inner if inner.startswith("{") else "{" + inner + "}"))
    return out


def check_lengths(
    a: tuple[Tok, ...],
    b: tuple[Tok, ...],
    letters: dict[str, set[str]],
    check: Callable[[tuple[Tok, ...], tuple[Tok, ...], dict[str, int]], Verdict],
    known: dict[str, int] | None = None,
    defined: Callable[[str], bool] = lambda name: False,
) -> Verdict | None:
    """``\\sum_{i=1}^{n} x_i``-style claims checked for n = 3, 4, 5 (or for the length the
    note gave, ``n = 3``); None when not applicable."""
    known = known or {}
    results = []
    for n in (3,) if set(letters) <= set(known) else (3, 4, 5):
        subs = {letter: known.get(letter, n) for letter in letters}
        la, lb = list(a), list(b)
        for letter, value in subs.items():
            la, lb = _subst(la, letter, value), _subst(lb, letter, value)
        v = check(tuple(la), tuple(lb), subs)
        shown = ", ".join(f"{k} = {x}" for k, x in subs.items())
        results.append((shown, v))
        if v.verdict != "verified":
            break
    shown, last = results[-1]
    if last.verdict == "refuted":
        decorated = [t for t in (*a, *b) if t.text in _DECORATED]
        if decorated and not all(defined(name) for name in _decorated_names((*a, *b))):
            return Verdict(
                "skipped",
                "skipped: differs for a concrete length, but the claim uses "
                f"{decorated[0].text}-names (a mean or an estimate?) the note does not define",
            )
        return Verdict(
            "refuted", f"for the length {shown}: {last.reason}", last.counterexample, "pattern"
        )
    if all(v.verdict == "verified" for _, v in results):
        return Verdict(
            "verified",
            f"checked for {'; '.join(s for s, _ in results)} ({results[0][1].reason})",
            None,
            "pattern",
        )
    return Verdict("skipped", f"{last.reason} (for the length {shown})")
