"""Decide one claim ``lhs = rhs``: symbolic proof first, then random points.

The prime rule: never refute a true formula.  A refutation needs

1. a complete, unambiguous parse (the parser raises ``Skip`` otherwise),
2. the same undefined functions on both sides, and no reason in
   ``Notes.no_refute`` (conditions, assumptions about ``f``, ``\\log`` bases),
3. disagreement at >= 75% of at least 3 valid points at 30 digits, then
   again at fresh points and fresh test functions at 50 digits.

Everything doubtful is ``skipped`` with the reason.  Variables are sampled as
positive reals in (0.15, 1.85) (or integers 1..7 where the formula needs
integers), undefined functions as random smooth test functions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from .parser import Notes
from .timebox import TimeUp, time_box


@dataclass(frozen=True)
class Verdict:
    """The outcome for one claim."""

    verdict: str
    reason: str
    counterexample: str | None = None


def undefined_functions(e: sp.Basic) -> set[str]:
    """Names of the undefined functions (``f``, ``g``) an expression applies."""
    return {a.func.__name__ for a in e.atoms(AppliedUndef)}


def _family(rng: random.Random, t: sp.Symbol) -> sp.Expr:
    """One random smooth test function of ``t`` with rational coefficients."""
    def c() -> sp.Rational:
        return sp.Rational(rng.randint(3, 17), 10) * rng.choice([1, -1])
    kind = rng.randrange(4)
    if kind == 0:
        return c() * sp.sin(t) + c() * t**2 + c()
    if kind == 1:
        return sp.exp(c() / 2 * t) + c() * t
    if kind == 2:
        return c() * t**3 + c() * t**2 + c() * t + c()
    return 1 / (1 + abs(c()) * t**2) + c() * t


def test_functions(expr: sp.Basic, rng: random.Random) -> dict[sp.FunctionClass, sp.Lambda]:
    """A random concrete function for every undefined function in ``expr``."""
    out: dict[sp.FunctionClass, sp.Lambda] = {}
    for app in sorted(expr.atoms(AppliedUndef), key=str):
        if app.func in out:
            continue
        ts = sp.symbols(f"t1:{len(app.args) + 1}")
        body = sum((_family(rng, t) for t in ts), sp.Integer(0))
        if len(ts) > 1:
            body += sp.Rational(rng.randint(1, 9), 10) * sp.Mul(*ts)
        out[app.func] = sp.Lambda(ts, body)
    return out


def _num(x: sp.Basic) -> str:
    try:
        return f"{float(x):.6g}"
    except (TypeError, ValueError):
        return str(x)


@dataclass
class _Round:
    approx: bool = False  # a limit was evaluated by substitution near its point
    valid: int = 0
    agree: int = 0
    disagree: int = 0
    max_rel: float = 0.0
    max_abs: float = 0.0
    example: str | None = None


def _approx_limit(lim: sp.Limit, dps: int) -> sp.Expr:
    """A limit of a now-concrete expression, by substitution very near the point.

    Two distances must give the same value (a crude convergence test); the
    result is only ever used to verify, never to refute.
    """
    expr, var, point, direction = lim.args
    if expr.has(sp.Limit) or (expr.free_symbols - {var}):
        return sp.nan
    values = []
    for k in (dps + 5, dps + 15):
        if point in (sp.oo, -sp.oo):
            at = [sp.sign(point) * sp.Integer(10) ** k]
        else:
            h = sp.Integer(10) ** -k
            at = {"+": [point + h], "-": [point - h]}.get(str(direction), [point + h, point - h])
        for a in at:
            values.append(sp.N(expr.subs(var, a), 2 * dps + 20))
    if any(not v.is_number or v.has(sp.nan, sp.zoo) for v in values):
        return sp.nan
    spread = max(abs(v - values[0]) for v in values)
    if spread > sp.Float(10) ** -(dps - 6) * max(1, abs(values[0])):
        return sp.nan
    return values[0]


def _evaluate(e: sp.Expr, point: dict[sp.Symbol, sp.Expr], dps: int) -> sp.Expr | None:
    v = e.subs(point)
    if v.has(sp.Limit):
        v = v.replace(lambda x: isinstance(x, sp.Limit), lambda x: _approx_limit(x, dps))
    if v.has(sp.Derivative, sp.Integral, sp.Sum, sp.Product, sp.Subs):
        v = v.doit()
    v = sp.N(v, dps)
    if v.has(sp.Limit, sp.Integral, sp.Sum, sp.Product, sp.Derivative, sp.Subs):
        return None
    if not v.is_number or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return None
    re, im = v.as_real_imag()
    if abs(im) > sp.Float(10) ** (-dps // 2) * (1 + abs(re)):
        return None
    return re


_OPERATORS = (sp.Limit, sp.Derivative, sp.Integral, sp.Sum, sp.Product, sp.Subs)


def _fast_evaluator(lhs: sp.Expr, rhs: sp.Expr, free: list[sp.Symbol], dps: int):  # noqa: ANN202
    """mpmath functions of both sides (10 guard digits), or None when operators remain."""
    if lhs.has(*_OPERATORS) or rhs.has(*_OPERATORS) or lhs.has(AppliedUndef) or rhs.has(AppliedUndef):
        return None
    try:
        fl = sp.lambdify(free, lhs, modules="mpmath")
        fr = sp.lambdify(free, rhs, modules="mpmath")
    except Exception:  # noqa: BLE001 - fall back to evalf
        return None

    def run(point: dict[sp.Symbol, sp.Expr]) -> tuple[sp.Expr | None, sp.Expr | None]:
        with mpmath.workdps(dps + 10):
            args = [mpmath.mpf(int(point[s].p)) / int(point[s].q) for s in free]
            out = []
            for f in (fl, fr):
                try:
                    v = mpmath.mpmathify(f(*args))
                except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                    out.append(None)
                    continue
                if not mpmath.isfinite(v) or abs(mpmath.im(v)) > mpmath.mpf(10) ** (-dps // 2) * (1 + abs(v)):
                    out.append(None)
                else:
                    out.append(sp.Float(mpmath.re(v), dps + 10))
            return out[0], out[1]
    return run


def _round(lhs: sp.Expr, rhs: sp.Expr, notes: Notes, rng: random.Random, dps: int, n: int) -> _Round:
    result = _Round()
    funcs = test_functions(lhs + rhs, rng) if undefined_functions(lhs + rhs) else {}
    if funcs:
        lhs, rhs = _doit_but_limits(lhs.subs(funcs)), _doit_but_limits(rhs.subs(funcs))
    result.approx = lhs.has(sp.Limit) or rhs.has(sp.Limit)
    free = sorted(lhs.free_symbols | rhs.free_symbols, key=str)
    if not free:
        n = 1
    tiny = sp.Float(10) ** (-(dps - 8))
    fast = _fast_evaluator(lhs, rhs, free, dps)
    for _ in range(n):
        point = {
            s: (sp.Integer(rng.randint(1, 7)) if s.name in notes.integer_symbols
                else sp.Rational(rng.randint(150, 1850), 1000))
            for s in free
        }
        if fast is not None:
            lv, rv = fast(point)
        else:
            lv, rv = _evaluate(lhs, point, dps), _evaluate(rhs, point, dps)
        if lv is None or rv is None:
            continue
        result.valid += 1
        diff = abs(lv - rv)
        scale = max(abs(lv), abs(rv))
        rel = float(diff / scale) if scale else 0.0
        if diff <= tiny * max(scale, 1):
            result.agree += 1
        elif diff > sp.Float("1e-6") * scale and diff > tiny * 1e6:
            result.disagree += 1
            result.max_rel = max(result.max_rel, rel)
            result.max_abs = max(result.max_abs, float(diff))
            if result.example is None:
                where = ", ".join(f"{s}={_num(v)}" for s, v in point.items()) or "no free variables"
                fn = "; ".join(f"{f}({', '.join(map(str, lam.variables))})={lam.expr}"
                               for f, lam in funcs.items())
                result.example = f"{where}: lhs={_num(lv)}, rhs={_num(rv)}" + (f" with {fn}" if fn else "")
    return result


def _doit_but_limits(e: sp.Expr) -> sp.Expr:
    """Evaluate derivatives and substitutions, leaving limits for :func:`_approx_limit`."""
    return e.replace(lambda x: isinstance(x, (sp.Derivative, sp.Subs)), lambda x: x.doit())


def _symbolic(lhs: sp.Expr, rhs: sp.Expr) -> str | None:
    """A proof that ``lhs - rhs`` is zero, cheapest rewrite first; None if none found."""
    if lhs == rhs:
        return "symbolic: sides identical after substituting definitions and evaluating d/dx, lim, sums, integrals"
    d = lhs - rhs
    if isinstance(d, sp.MatrixBase):
        d = d.applyfunc(lambda x: sp.simplify(sp.posify(x)[0]))
        return "symbolic: every entry of lhs - rhs simplifies to 0" if d.is_zero_matrix else None
    if sp.expand(d) == 0:
        return "symbolic: expand(lhs - rhs) = 0"
    pos, _ = sp.posify(d)
    if not pos.has(AppliedUndef, sp.Derivative, sp.Subs) and sp.cancel(sp.expand(pos.rewrite(sp.exp))) == 0:
        return "symbolic: lhs - rhs rewritten with exp and cancelled is 0"
    if sp.simplify(pos) == 0:
        return "symbolic: simplify(lhs - rhs) = 0"
    return None


def _probably_differ(lhs: sp.Expr, rhs: sp.Expr, notes: Notes, seed: int) -> bool:
    """A cheap 15-digit look at two points, only to skip a slow simplify on false claims."""
    r = _round(lhs, rhs, notes, random.Random(seed ^ 0x5EED), dps=15, n=2)
    return r.valid > 0 and r.disagree == r.valid


def decide(lhs: sp.Expr, rhs: sp.Expr, notes: Notes, *, seed: int, time_limit: float) -> Verdict:
    """Verdict for ``lhs = rhs`` (both already resolved against the note's scope)."""
    lf, rf = undefined_functions(lhs), undefined_functions(rhs)
    if lf != rf:
        only = sorted(lf ^ rf)
        return Verdict("skipped", f"skipped: undefined function {', '.join(only)} on one side only "
                       "(defined elsewhere?)")
    no_refute = list(notes.no_refute)
    ls_, rs_ = getattr(lhs, "free_symbols", set()), getattr(rhs, "free_symbols", set())
    if ls_ - rs_ and rs_ - ls_:
        # Each side has a variable the other lacks (`σ'(z) = a(1-a)` before `a = σ(z)` is
        # said, a recurrence `w_{t+1} = ...w_t...`): the link between them is in the prose.
        names = ", ".join(sorted(str(s) for s in (ls_ ^ rs_)))
        no_refute.append(f"the sides use different variables ({names}) that the note does not connect")
    if bool(ls_) != bool(rs_):
        # `x^2 - 5x + 6 = 0`, `2x + 3 = 7`, `x^2 + y^2 = 25`, `\sigma^2 = 8/3`, `J'(w) = 0`:
        # a number on one side and unknowns on the other is usually an equation to
        # solve or a value being computed, not an identity in those unknowns.
        names = ", ".join(sorted(str(s) for s in (ls_ | rs_)))
        no_refute.append(f"one side is a number and the other depends on {names}: "
                         "it may be an equation to solve, not an identity")
    if lf and not notes.calculus_on_compound:
        no_refute.append(f"it states a property of the undefined function {', '.join(sorted(lf))}")
    prefix = ""
    if len(notes.indefinite_vars) > 1:
        # `\int u\,dv = uv - \int v\,du`: u and v depend on each other in a way the
        # formula does not say; treating them as independent variables is wrong.
        names = ", ".join(sorted(map(str, notes.indefinite_vars)))
        return Verdict("skipped", f"skipped: indefinite integrals in different variables ({names}) "
                       "whose relation is not stated")
    if notes.indefinite_vars:
        for v in notes.indefinite_vars:
            lhs, rhs = sp.diff(lhs, v), sp.diff(rhs, v)
        prefix = "up to a constant, "
    if isinstance(lhs, sp.MatrixBase) and lhs.shape == (1, 1) and not isinstance(rhs, sp.MatrixBase):
        lhs = lhs[0, 0]  # x^T A x = 10: a 1x1 matrix is the number it holds
    if isinstance(rhs, sp.MatrixBase) and rhs.shape == (1, 1) and not isinstance(lhs, sp.MatrixBase):
        rhs = rhs[0, 0]
    if isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase):
        return Verdict("skipped", "skipped: a matrix compared with a scalar")
    if isinstance(lhs, sp.MatrixBase) and lhs.shape != rhs.shape:
        return Verdict("skipped", f"skipped: matrix shapes differ ({lhs.shape} vs {rhs.shape})")
    try:
        with time_box(time_limit * 0.25):
            if lf and (lhs.has(sp.Limit) or rhs.has(sp.Limit)):
                lhs, rhs = _doit_but_limits(lhs), _doit_but_limits(rhs)  # SymPy stalls on lim f(x+h)
            else:
                lhs, rhs = lhs.doit(), rhs.doit()
    except (TimeUp, Exception):  # noqa: BLE001 - keep the unevaluated forms then
        pass
    try:
        with time_box(time_limit * 0.35):
            differ = not isinstance(lhs, sp.MatrixBase) and _probably_differ(lhs, rhs, notes, seed)
            proof = None if differ else _symbolic(lhs, rhs)
        if proof:
            return Verdict("verified", prefix + proof)
    except TimeUp:
        pass
    except Exception:  # noqa: BLE001 - SymPy raises many kinds; the numbers decide then
        pass
    if isinstance(lhs, sp.MatrixBase):
        return _decide_matrix(lhs, rhs, notes, seed, time_limit, no_refute, prefix)
    return _decide_numeric(lhs, rhs, notes, seed, time_limit, no_refute, prefix)


def _decide_matrix(lhs: sp.MatrixBase, rhs: sp.MatrixBase, notes: Notes, seed: int,
                   time_limit: float, no_refute: list[str], prefix: str) -> Verdict:
    verdicts = [_decide_numeric(a, b, notes, seed + k, time_limit / max(len(lhs), 1), no_refute, prefix)
                for k, (a, b) in enumerate(zip(lhs, rhs))]
    for k, v in enumerate(verdicts):
        if v.verdict == "refuted":
            return Verdict("refuted", f"entry {k + 1}: {v.reason}", v.counterexample)
    if all(v.verdict == "verified" for v in verdicts):
        return Verdict("verified", prefix + "numeric: every entry agrees at random points")
    return next(v for v in verdicts if v.verdict == "skipped")


def _decide_numeric(lhs: sp.Expr, rhs: sp.Expr, notes: Notes, seed: int, time_limit: float,
                    no_refute: list[str], prefix: str) -> Verdict:
    rng = random.Random(seed)
    try:
        with time_box(time_limit * 0.4):
            first = _round(lhs, rhs, notes, rng, dps=30, n=8)
            needed = 1 if first.valid == 1 and not (lhs.free_symbols | rhs.free_symbols) else 3
            if first.valid >= min(6, 8) and first.agree == first.valid or (
                needed == 1 and first.valid == 1 and first.agree == 1
            ):
                return Verdict("verified", prefix + f"numeric: sides agree at {first.valid} random "
                               "point(s) to 22+ digits")
            if first.valid < needed or first.disagree < max(needed, 0.75 * first.valid):
                return Verdict("skipped", f"skipped: numeric check inconclusive ({first.agree} agree, "
                               f"{first.disagree} disagree of {first.valid} usable points)")
            second = _round(lhs, rhs, notes, rng, dps=50, n=6)
    except TimeUp:
        return Verdict("skipped", "skipped: time limit reached")
    if second.valid < needed or second.disagree < max(needed, 0.75 * second.valid):
        return Verdict("skipped", "skipped: disagreement at 30 digits not confirmed at 50 digits")
    if first.approx or second.approx:
        no_refute.append("a limit was only approximated numerically")
    if notes.has_decimal and (max(first.max_rel, second.max_rel) < 1e-2 or (
            notes.decimal_places and max(first.max_abs, second.max_abs) <= 0.5 * 10.0 ** -notes.decimal_places)):
        # `\frac{1}{3} = 0.3`, `\sigma(2) = 0.88`: a rounded value is written with `=`.  Within 1%,
        # or within half a unit of the last decimal place written (the finest one), is rounding.
        return Verdict("skipped", "skipped: agrees only to the precision of the decimals written")
    if no_refute:
        return Verdict("skipped", "skipped: sides differ numerically, but " + "; ".join(no_refute))
    return Verdict(
        "refuted",
        f"sides differ at {first.disagree}/{first.valid} points (30 digits) and "
        f"{second.disagree}/{second.valid} fresh points (50 digits)",
        first.example,
    )
