"""Decide one claim ``lhs = rhs``: numbers over the whole domain, then a proof.

Trust over reach.  *Verified* means one of

- a symbolic proof (``expand``, exp-rewrite + ``cancel``, ``simplify``) with
  every variable a real symbol carrying only the assumptions the note states
  (never "all positive"), confirmed by the numbers below;
- agreement at every usable point of a sweep over the variable's whole stated
  domain: both signs, near 0 and +-1, large and small magnitudes; values may be
  complex where the functions are (principal branches) and must agree there too;
- for claims without variables: exact equality (``d = lhs - rhs`` is 0
  structurally or by ``equals``), never a relative tolerance.

*Refuted* needs a complete parse, no veto, and a point of the stated domain
where both sides are real and differ, confirmed by evaluating the same point
again at 50 digits through SymPy's own ``evalf`` (a second route); or a point
where one side is real and the other is not a real number at all
(``ln x + ln y`` at x, y < 0); or, for constants, a difference that is
provably non-zero.  Everything else is *skipped* with the reason.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from .assume import Domain
from .parser import Notes
from .timebox import TimeUp, time_box


@dataclass(frozen=True)
class Verdict:
    """The outcome for one claim."""

    verdict: str
    reason: str
    counterexample: str | None = None
    method: str = ""


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


def _num(x) -> str:
    """A short readable number (complex numbers as a + bi)."""
    try:
        c = complex(x)
    except (TypeError, ValueError):
        return str(x)
    if abs(c.imag) <= 1e-12 * (1 + abs(c.real)):
        return f"{c.real:.6g}"
    return f"{c.real:.6g}{c.imag:+.6g}i"


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

# Magnitudes a sweep tries, each with either sign where the domain allows.
_SCALES = ((0.15, 1.85), (0.15, 1.85), (0.002, 0.05), (0.95, 1.05), (2.0, 9.0), (12.0, 40.0))


def _sample(rng: random.Random, d: Domain, k: int, integer: bool) -> sp.Rational:
    """The k-th sample of a variable with domain ``d`` (k cycles through scales and signs)."""
    if integer or d.integer:
        lo = 1 if integer and d.lo == -mpmath.inf else max(d.lo, -6)
        lo = int(mpmath.ceil(lo)) + (
            1 if d.lo_open and float(d.lo).is_integer() and d.lo > -mpmath.inf else 0
        )
        hi = int(min(d.hi, lo + 11)) - (
            1 if d.hi_open and float(d.hi).is_integer() and d.hi < mpmath.inf else 0
        )
        for _ in range(20):
            v = rng.randint(lo, max(lo, hi))
            if d.admits(v):
                return sp.Integer(v)
        return sp.Integer(lo)
    for attempt in range(40):
        a, b = _SCALES[(k + attempt) % len(_SCALES)]
        sign = 1 if (k // len(_SCALES) + k + attempt) % 2 == 0 else -1
        if d.lo > -mpmath.inf and d.hi < mpmath.inf:  # a bounded interval: spread over it
            v = d.lo + (d.hi - d.lo) * rng.uniform(0.02, 0.98)
        else:
            v = sign * rng.uniform(a, b)
        v = round(v, 4) or 0.0137
        if d.admits(v):
            return sp.Rational(str(v))
    # a domain the scales miss (x > 100): just inside it
    base = d.lo if d.lo > -mpmath.inf else (d.hi - 1 if d.hi < mpmath.inf else 0.5)
    return sp.Rational(
        str(
            round(
                base + rng.uniform(0.1, 2.0) if d.lo > -mpmath.inf else base - rng.uniform(0, 1), 4
            )
        )
    )


def _evaluate(e: sp.Expr, point: dict, dps: int):  # noqa: ANN202 - an mpmath number or None
    """``e`` at ``point`` through SymPy's evalf (complex allowed); None when undefined."""
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
    re_, im_ = v.as_real_imag()
    try:
        return mpmath.mpc(mpmath.mpf(str(sp.N(re_, dps))), mpmath.mpf(str(sp.N(im_, dps))))
    except (TypeError, ValueError):
        return None


def _fast_evaluator(lhs: sp.Expr, rhs: sp.Expr, free: list[sp.Symbol], dps: int):  # noqa: ANN202
    """mpmath functions of both sides, or None when operators remain."""
    if (
        lhs.has(*_OPERATORS)
        or rhs.has(*_OPERATORS)
        or lhs.has(AppliedUndef)
        or rhs.has(AppliedUndef)
    ):
        return None
    try:
        fl = sp.lambdify(free, lhs, modules="mpmath")
        fr = sp.lambdify(free, rhs, modules="mpmath")
    except Exception:  # noqa: BLE001 - fall back to evalf
        return None

    def run(point: dict):  # noqa: ANN202
        with mpmath.workdps(dps + 10):
            args = [mpmath.mpf(int(point[s].p)) / int(point[s].q) for s in free]
            out = []
            for f in (fl, fr):
                try:
                    v = mpmath.mpmathify(f(*args))
                except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                    out.append(None)
                    continue
                out.append(v if mpmath.isfinite(v) else None)
            return out[0], out[1]

    return run


def _is_real(v, dps: int) -> bool:  # noqa: ANN001
    return abs(mpmath.im(v)) <= mpmath.mpf(10) ** (-(dps // 2)) * (1 + abs(v))


@dataclass
class _Sweep:
    approx: bool = False  # a limit was evaluated by substitution near its point
    valid: int = 0  # points where both sides have a value
    agree: int = 0
    real_differ: list = None  # (point, lv, rv): both real, clearly different
    real_vs_complex: list = None  # (point, lv, rv): one side real, the other not a real number
    complex_differ: int = 0  # both complex, different (branches)
    agree_at: list = None
    complex_at: list = None
    values: list = None
    signs: set = None  # signs of the variables at agreeing points
    funcs: dict = None

    def __post_init__(self) -> None:
        self.real_differ, self.real_vs_complex, self.signs = [], [], set()
        self.agree_at = []  # points where both sides are real and agree
        self.complex_at = []  # points where both sides are complex and differ
        self.values = []  # (lhs, rhs) at every usable point


def _sweep(
    lhs: sp.Expr,
    rhs: sp.Expr,
    notes: Notes,
    rng: random.Random,
    dps: int,
    n: int,
    domains: dict[sp.Symbol, Domain],
    stop_after: int = 0,
) -> _Sweep:
    """``stop_after``: stop once that many points show both sides real and different (enough
    to refute; 0 sweeps every point, as the equation rule needs)."""
    result = _Sweep()
    funcs = test_functions(lhs + rhs, rng) if undefined_functions(lhs + rhs) else {}
    result.funcs = funcs
    if funcs:
        lhs, rhs = _doit_but_limits(lhs.subs(funcs)), _doit_but_limits(rhs.subs(funcs))
    result.approx = lhs.has(sp.Limit) or rhs.has(sp.Limit)
    free = sorted(lhs.free_symbols | rhs.free_symbols, key=str)
    if not free:
        n = 1
    tiny = mpmath.mpf(10) ** (-(dps - 8))
    fast = _fast_evaluator(lhs, rhs, free, dps)
    points = [
        {
            s: _sample(rng, domains.get(s, Domain()), k + 3 * j, s.name in notes.integer_symbols)
            for j, s in enumerate(free)
        }
        for k in range(n)
    ]
    special = _special_points(lhs, rhs, free, domains, notes.integer_symbols)
    for k, point in enumerate(points + special):
        if fast is not None:
            lv, rv = fast(point)
        else:
            lv, rv = _evaluate(lhs, point, dps), _evaluate(rhs, point, dps)
        if lv is None or rv is None:
            continue
        result.valid += 1
        result.values.append((lv, rv))
        diff = abs(lv - rv)
        scale = max(abs(lv), abs(rv), 1)
        if diff <= tiny * scale:
            result.agree += 1
            if _is_real(lv, dps) and _is_real(rv, dps) and k < n:  # random points only
                result.agree_at.append(point)
            result.signs.add(tuple(sp.sign(v) for v in point.values()))
            continue
        if diff <= mpmath.mpf(10) ** -12 * scale:
            continue  # a near-agreement (cancellation): neither evidence for nor against
        lr, rr = _is_real(lv, dps), _is_real(rv, dps)
        if lr and rr:
            result.real_differ.append((point, lv, rv))
            if stop_after and len(result.real_differ) >= stop_after:
                break
        elif lr != rr:
            result.real_vs_complex.append((point, lv, rv))
        else:
            result.complex_differ += 1
            result.complex_at.append(point)
    return result


def _doit_real(e: sp.Expr, notes: Notes) -> sp.Expr:
    """``e.doit()`` with the variables real (they are sampled on the reals): d/dx |x| is
    sign(x), not an expression in re(x) and im(x) that evalf cannot finish."""
    if not e.has(sp.Derivative):
        return e.doit()
    real = {
        s: sp.Symbol(s.name, real=True)
        for s in e.free_symbols
        if isinstance(s, sp.Symbol) and s.name not in notes.assume.complex_vars
    }
    return e.xreplace(real).doit().xreplace({v: k for k, v in real.items()})


_SPECIAL = (sp.Integer(2), sp.Rational(1, 2), sp.Integer(-1))


def _special_points(
    lhs: sp.Expr, rhs: sp.Expr, free: list, domains: dict[sp.Symbol, Domain], integers: set
) -> list[dict]:
    """Powers with a variable exponent (``(x^a)^b = x^{ab}``) go wrong at a negative base with
    an even power and a root: every combination of 2, 1/2 and -1 (at most three variables;
    counts and indices only 2)."""
    powers = [p for p in (lhs + rhs).atoms(sp.Pow) if p.exp.free_symbols]
    if not powers or not 1 <= len(free) <= 3:
        return []
    out = []
    choices = [
        _SPECIAL[:1] if s.name in integers or domains.get(s, Domain()).integer else _SPECIAL
        for s in free
    ]
    for combo in itertools.product(*choices):
        point = dict(zip(free, combo))
        if all(domains.get(s, Domain()).admits(float(v)) for s, v in point.items()):
            out.append(point)
    return out


def _doit_but_limits(e: sp.Expr) -> sp.Expr:
    """Evaluate derivatives and substitutions, leaving limits for :func:`_approx_limit`."""
    return e.replace(lambda x: isinstance(x, (sp.Derivative, sp.Subs)), lambda x: x.doit())


def _where(point: dict) -> str:
    return ", ".join(f"{s} = {_num(v)}" for s, v in point.items()) or "no free variables"


def _with_funcs(funcs: dict) -> str:
    if not funcs:
        return ""
    return " with " + "; ".join(
        f"{f}({', '.join(map(str, lam.variables))}) = {lam.expr}" for f, lam in funcs.items()
    )


def _typed(
    e: sp.Basic, domains: dict[sp.Symbol, Domain], integer_names: set[str]
) -> tuple[sp.Basic, dict]:
    """``e`` with every free symbol replaced by a real symbol carrying the note's assumptions only."""  # noqa: E501
    subs = {}
    for s in e.free_symbols:
        if not isinstance(s, sp.Symbol):
            continue
        d = domains.get(s, Domain())
        kw: dict = {"real": True}
        if d.integer or s.name in integer_names:
            kw["integer"] = True
            if s.name in integer_names and d == Domain():
                kw["positive"] = True  # sum bounds, n!: counted from 1
        if d.lo >= 0 and (d.lo > 0 or d.lo_open):
            kw["positive"] = True
        elif d.lo >= 0:
            kw["nonnegative"] = True
        elif d.hi <= 0 and (d.hi < 0 or d.hi_open):
            kw["negative"] = True
        elif d.hi <= 0:
            kw["nonpositive"] = True
        if d.nonzero:
            kw["nonzero"] = True
        subs[s] = sp.Dummy(s.name, **kw)
    return e.xreplace(subs), subs


def _symbolic(lhs: sp.Expr, rhs: sp.Expr, deep: bool = True) -> str | None:
    """A proof that ``lhs - rhs`` is zero for the symbols' stated assumptions; None if none found.

    ``deep=False`` stops before ``simplify`` (the costly step, most of a cold check's time):
    used where the numbers already verify the claim and a proof would only name the method."""
    if lhs == rhs:
        return "sides identical after substituting definitions and evaluating d/dx, lim, sums, integrals"  # noqa: E501
    d = lhs - rhs
    if isinstance(d, sp.MatrixBase):
        d = d.applyfunc(sp.simplify)
        return "every entry of lhs - rhs simplifies to 0" if d.is_zero_matrix else None
    if sp.expand(d) == 0:
        return "expand(lhs - rhs) = 0"
    if (
        not d.has(AppliedUndef, sp.Derivative, sp.Subs)
        and sp.cancel(sp.expand(d.rewrite(sp.exp))) == 0
    ):
        return "lhs - rhs rewritten with exp and cancelled is 0"
    if deep and sp.simplify(d) == 0:
        return "simplify(lhs - rhs) = 0"
    return None


def _odd_roots(e: sp.Basic) -> bool:
    """Whether ``e`` takes a fractional power that people read as a real odd root (``x^{1/3}``)."""
    return any(
        isinstance(p.exp, sp.Rational) and not p.exp.is_integer and p.exp.q % 2 == 1
        for p in e.atoms(sp.Pow)
    )


def _huge(e: sp.Basic) -> bool:
    """A power or factorial too large to compute exactly (``(1+10^{-20})^{10^{20}}``)."""
    for p in e.atoms(sp.Pow):
        if p.exp.is_number and p.exp.is_Integer and abs(p.exp) > 10**5 and not p.base.is_Integer:
            return True
        if p.exp.is_Integer and abs(p.exp) > 10**6:
            return True
    return any(f.args[0].is_Integer and f.args[0] > 10**5 for f in e.atoms(sp.factorial))


def _exact(
    lhs: sp.Expr, rhs: sp.Expr, notes: Notes, no_refute: list[str], prefix: str, time_limit: float
) -> Verdict:
    """A claim without variables: decided exactly, never with a tolerance."""
    shown = f"lhs = {_num(sp.N(lhs, 15))}, rhs = {_num(sp.N(rhs, 15))}"
    huge = _huge(lhs) or _huge(rhs)
    d = sp.Add(lhs, sp.Mul(-1, rhs, evaluate=not huge), evaluate=not huge)
    if (
        (_odd_roots(lhs) or _odd_roots(rhs))
        and not huge
        and not (sp.N(lhs, 15).is_real is not False and sp.N(rhs, 15).is_real is not False)
    ):
        return Verdict(
            "skipped",
            "skipped: an odd root of a negative number: the real root or the principal "
            "value? (SymPy takes the principal value)",
            method="exact",
        )
    if d == 0:
        return Verdict("verified", prefix + "exact: both sides are the same number", method="exact")
    if d.is_Rational and not notes.has_decimal:
        return _refute_or_skip(no_refute, f"exact: the sides differ by {d}", shown)
    try:
        with time_box(time_limit * 0.5):
            v1 = sp.N(d, 30, maxn=2000)
            v2 = sp.N(d, 60, maxn=4000)
    except TimeUp:
        return Verdict("skipped", "skipped: time limit reached while evaluating", method="timeout")
    ok = v1.is_number and v2.is_number and not v1.has(sp.nan, sp.zoo) and not v2.has(sp.nan, sp.zoo)
    certified = None
    if ok and v2 != 0 and abs(v2) <= sp.Float(10) ** -50:
        # e^{-1000} = 0, sin(10^{-30}) = 10^{-30}: evalf with strict=True either certifies
        # every digit (relative precision, cancellation tracked) or raises
        try:
            with time_box(time_limit * 0.3):
                certified = d.evalf(30, maxn=2000, strict=True)
        except (TimeUp, Exception):  # noqa: BLE001 - not certified: undecided
            certified = None
    if (
        ok
        and v2 != 0
        and (
            (abs(v2) > sp.Float(10) ** -50 and abs(v1 - v2) <= abs(v2) * sp.Float(10) ** -20)
            or (certified is not None and certified.is_Float and certified != 0)
        )
    ):
        # evalf gives every digit it prints correct: a difference seen at 30 and 60 digits is real
        if notes.has_decimal and abs(v2) <= 0.5 * 10.0**-notes.decimal_places:
            return Verdict(
                "skipped",
                "skipped: agrees only to the precision of the decimals written",
                method="exact",
            )
        if notes.has_decimal and abs(v2) <= 0.01 * max(abs(sp.N(lhs, 15)), abs(sp.N(rhs, 15))):
            return Verdict(
                "skipped", "skipped: agrees to 1 %, which may be rounding", method="exact"
            )
        return _refute_or_skip(no_refute, f"exact: the sides differ by {_num(v2)}", shown)
    if huge:
        return Verdict("skipped", "skipped: numbers too large to compare exactly", method="exact")
    try:
        with time_box(time_limit * 0.4):
            zero = d.equals(0)
    except (TimeUp, Exception):  # noqa: BLE001 - undecided
        zero = None
    if zero is True:
        return Verdict(
            "verified", prefix + "exact: lhs - rhs is provably 0 (SymPy equals)", method="exact"
        )
    return Verdict(
        "skipped",
        "skipped: could not decide exactly whether the two numbers are equal",
        method="exact",
    )


def _refute_or_skip(no_refute: list[str], reason: str, example: str) -> Verdict:
    if no_refute:
        return Verdict("skipped", f"skipped: sides differ ({example}), but " + "; ".join(no_refute))
    return Verdict("refuted", reason, example, method=reason.split(":")[0])


def decide(lhs: sp.Expr, rhs: sp.Expr, notes: Notes, *, seed: int, time_limit: float) -> Verdict:
    """Verdict for ``lhs = rhs`` (both already resolved against the note's scope)."""
    lf, rf = undefined_functions(lhs), undefined_functions(rhs)
    if lf != rf:
        only = sorted(lf ^ rf)
        return Verdict(
            "skipped",
            f"skipped: undefined function {', '.join(only)} on one side only (defined elsewhere?)",
        )
    no_refute = list(notes.no_refute)
    equation = ""
    if notes.assume.unparsed:
        no_refute.append(
            f"a condition is stated that the checker does not read ({notes.assume.unparsed[0]})"
        )
    if notes.assume.complex_vars:
        no_refute.append(f"{', '.join(sorted(notes.assume.complex_vars))} may be complex")
    ls_, rs_ = getattr(lhs, "free_symbols", set()), getattr(rhs, "free_symbols", set())
    if ls_ - rs_ and rs_ - ls_:
        # Each side has a variable the other lacks (`σ'(z) = a(1-a)` before `a = σ(z)` is
        # said, a recurrence `w_{t+1} = ...w_t...`): the link between them is in the prose.
        names = ", ".join(sorted(str(s) for s in (ls_ ^ rs_)))
        no_refute.append(
            f"the sides use different variables ({names}) that the note does not connect"
        )
    if bool(ls_) != bool(rs_):
        # `x^2 - 5x + 6 = 0`, `2x + 3 = 7`, `\sigma^2 = 8/3`, `J'(w) = 0`: a number on one side
        # and unknowns on the other is usually an equation to solve, not an identity; but a
        # derivative set equal to a non-zero number (`d/dx max(0, x) = 1`) claims it everywhere.
        const = rhs if not rs_ else lhs
        if not (notes.derivative_side and const != 0 and not notes.assume.domains):
            names = ", ".join(sorted(str(s) for s in (ls_ | rs_)))
            equation = (
                f"one side is a number and the other depends on {names}: "
                "it may be an equation to solve, not an identity"
            )
    if lf and not notes.calculus_on_compound:
        no_refute.append(f"it states a property of the undefined function {', '.join(sorted(lf))}")
    prefix = ""
    if len(notes.indefinite_vars) > 1:
        names = ", ".join(sorted(map(str, notes.indefinite_vars)))
        return Verdict(
            "skipped",
            f"skipped: indefinite integrals in different variables ({names}) "
            "whose relation is not stated",
        )
    if notes.indefinite_vars:
        for v in notes.indefinite_vars:
            lhs, rhs = sp.diff(lhs, v), sp.diff(rhs, v)
        prefix = "up to a constant, "
    if (
        isinstance(lhs, sp.MatrixBase)
        and lhs.shape == (1, 1)
        and not isinstance(rhs, sp.MatrixBase)
    ):
        lhs = lhs[0, 0]  # x^T A x = 10: a 1x1 matrix is the number it holds
    if (
        isinstance(rhs, sp.MatrixBase)
        and rhs.shape == (1, 1)
        and not isinstance(lhs, sp.MatrixBase)
    ):
        rhs = rhs[0, 0]
    if notes.hessian and isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase):
        # \nabla^2 \psi = 4: against a number, \nabla^2 is the Laplacian (the Hessian's trace)
        m = lhs if isinstance(lhs, sp.MatrixBase) else rhs
        if m.shape[0] == m.shape[1]:
            lhs, rhs = (m.trace(), rhs) if m is lhs else (lhs, m.trace())
            prefix += "\\nabla^2 against a number read as the Laplacian: "
    if isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase):
        # `\vec u \times \vec u = \mathbf{0}`, `AA^{-1} = 1`: a number c against a square
        # matrix means c times the identity; anything else against a matrix is a shape error
        m, c = (lhs, rhs) if isinstance(lhs, sp.MatrixBase) else (rhs, lhs)
        if getattr(c, "free_symbols", {None}) or not getattr(c, "is_number", False):
            return Verdict("skipped", "skipped: a matrix compared with a scalar")
        if m.shape[0] == m.shape[1] or c == 0:
            scaled = c * sp.eye(m.shape[0]) if m.shape[0] == m.shape[1] else sp.zeros(*m.shape)
            lhs, rhs = (m, scaled) if m is lhs else (scaled, m)
            prefix += f"the number {c} read as {'the zero matrix' if c == 0 else f'{c} I'}: "
        else:
            return _refute_or_skip(
                no_refute,
                f"exact: a {m.shape[0]}x{m.shape[1]} matrix cannot equal the number {c}",
                f"one side is a {m.shape[0]}x{m.shape[1]} matrix, the other the number {c}",
            )
    if isinstance(lhs, sp.MatrixBase) and lhs.shape != rhs.shape:
        return Verdict(
            "refuted" if not no_refute else "skipped",
            f"shapes differ: {lhs.shape[0]}x{lhs.shape[1]} vs {rhs.shape[0]}x{rhs.shape[1]}",
            None,
            method="exact",
        )
    if _huge(lhs) or _huge(rhs):
        pass  # never doit(): exact powers that large do not fit in memory
    else:
        try:
            with time_box(time_limit * 0.25):
                if lf and (lhs.has(sp.Limit) or rhs.has(sp.Limit)):
                    lhs, rhs = (
                        _doit_but_limits(lhs),
                        _doit_but_limits(rhs),
                    )  # SymPy stalls on lim f(x+h)
                else:
                    lhs, rhs = _doit_real(lhs, notes), _doit_real(rhs, notes)
        except (TimeUp, Exception):  # noqa: BLE001 - keep the unevaluated forms then
            pass
    free = getattr(lhs, "free_symbols", set()) | getattr(rhs, "free_symbols", set())
    if isinstance(lhs, sp.MatrixBase) or (not free and not (lf or rf)):
        no_refute += [equation] if equation else []
        if isinstance(lhs, sp.MatrixBase):
            return _decide_matrix(lhs, rhs, notes, seed, time_limit, no_refute, prefix)
        return _exact(lhs, rhs, notes, no_refute, prefix, time_limit)
    return _decide_numeric(lhs, rhs, notes, seed, time_limit, no_refute, prefix, equation)


def _decide_matrix(
    lhs: sp.MatrixBase,
    rhs: sp.MatrixBase,
    notes: Notes,
    seed: int,
    time_limit: float,
    no_refute: list[str],
    prefix: str,
) -> Verdict:
    verdicts = []
    for k, (a, b) in enumerate(zip(lhs, rhs)):
        free = a.free_symbols | b.free_symbols
        if not free and not undefined_functions(a + b):
            v = _exact(a, b, notes, no_refute, prefix, time_limit / max(len(lhs), 1))
        else:
            v = _decide_numeric(
                a, b, notes, seed + k, time_limit / max(len(lhs), 1), no_refute, prefix
            )
        if v.verdict == "refuted":
            r, c = divmod(k, lhs.shape[1])
            return Verdict(
                "refuted",
                f"entry ({r + 1}, {c + 1}): {v.reason}",
                v.counterexample,
                method=v.method,
            )
        verdicts.append(v)
    if all(v.verdict == "verified" for v in verdicts):
        return Verdict("verified", prefix + "every entry agrees", method="matrix")
    return next(v for v in verdicts if v.verdict == "skipped")


def _decide_numeric(
    lhs: sp.Expr,
    rhs: sp.Expr,
    notes: Notes,
    seed: int,
    time_limit: float,
    no_refute: list[str],
    prefix: str,
    equation: str = "",
) -> Verdict:
    rng = random.Random(seed)
    free = sorted(lhs.free_symbols | rhs.free_symbols, key=str)
    domains = {s: _domain_of(s.name, notes.assume.domains) for s in free}
    stated = [t for t in notes.assume.texts]
    under = f" under {', '.join(stated)}" if stated else ""
    try:
        with time_box(time_limit * 0.45):
            sweep = _sweep(
                lhs, rhs, notes, rng, dps=30, n=14, domains=domains, stop_after=0 if equation else 3
            )
    except TimeUp:
        return Verdict("skipped", "skipped: time limit reached", method="timeout")
    if sweep.approx:
        no_refute.append("a limit was only approximated numerically")
    part = ""
    if equation:
        # `x^2 = 4` (to solve) holds at no random point; `|x|/x = 1`, `d/dx max(0,x) = 0` hold
        # on a whole interval and fail elsewhere: an identity written without its domain
        real_agree = len({tuple(sorted(map(str, p.items()))) for p in sweep.agree_at})
        if any(d.integer for d in domains.values()) or notes.integer_symbols:
            real_agree = 0  # integers: `n! = n` holds at n = 1, 2 and is still an equation
        side = [lv if lhs.free_symbols else rv for lv, rv in sweep.values]
        constant = (
            len(side) >= 6
            and all(_is_real(v, 30) for v in side)
            and max(abs(v - side[0]) for v in side) <= mpmath.mpf(10) ** -20 * max(1, abs(side[0]))
        )
        if sweep.real_differ and real_agree >= 3 and 4 * real_agree >= sweep.valid:
            agreeing = sweep.agree_at[0] if sweep.agree_at else None
            part = f" (they agree only on part of it, e.g. at {_where(agreeing)}; state the domain)"
        elif sweep.real_differ and constant and not real_agree:
            # `x/|x| = -1` under x > 0: the variable side is the same number everywhere, so
            # this is a false statement about numbers, not an equation to solve
            part = f" (one side is {_num(side[0])} at every point of it)"
        else:
            no_refute = [*no_refute, equation]
    if sweep.real_differ:
        confirmed = None
        for point, _, _ in sweep.real_differ[:3]:  # the first point may sit on a branch cut
            confirmed = _confirm(lhs, rhs, point, sweep.funcs)
            if confirmed is not None:
                break
        if confirmed is not None:
            lv2, rv2 = confirmed
            example = (
                f"{_where(point)}: lhs = {_num(lv2)}, rhs = {_num(rv2)}{_with_funcs(sweep.funcs)}"
            )
            big = max(abs(lv2), abs(rv2), 1)
            if notes.has_decimal and (
                abs(lv2 - rv2) < 1e-2 * big
                or (notes.decimal_places and abs(lv2 - rv2) <= 0.5 * 10.0**-notes.decimal_places)
            ):
                return Verdict(
                    "skipped", "skipped: agrees only to the precision of the decimals written"
                )
            return _refute_or_skip(
                no_refute,
                f"numeric: the sides differ at a point of the domain{under}{part}",
                example,
            )
        return Verdict(
            "skipped", "skipped: a disagreement at 30 digits was not confirmed at 50 digits"
        )
    if sweep.real_vs_complex:
        point, lv, rv = sweep.real_vs_complex[0]
        real_side = "lhs" if _is_real(lv, 30) else "rhs"
        other = "rhs" if real_side == "lhs" else "lhs"
        example = (
            f"{_where(point)}: {real_side} = {_num(lv if real_side == 'lhs' else rv)}, "
            f"{other} is not a real number"
        )
        if _odd_roots(lhs) or _odd_roots(rhs):
            return Verdict(
                "skipped",
                f"skipped: the sides differ where a fractional power of a negative "
                f"number is taken ({example}); state the domain (e.g. x > 0)",
            )
        return _refute_or_skip(
            no_refute,
            f"domain: one side is undefined in the reals where the other "
            f"is defined{under}; state the condition (e.g. x > 0) if one is meant",
            example,
        )
    if sweep.complex_differ:
        # `e^{i\theta} = \cos\theta - i\sin\theta`: false where the values are complex
        # (principal branches); odd roots stay undecided (a real cube root may be meant) ...
        # ... but only when the claim is about complex numbers (it uses i): `\ln(x^3) = 3\ln x`
        # holds wherever both sides are real, which is all a real-valued note means by it
        point = sweep.complex_at[0]
        confirmed = _confirm_complex(lhs, rhs, point, sweep.funcs)
        intended = lhs.has(sp.I) or rhs.has(sp.I)
        if confirmed is None or not intended or _odd_roots(lhs) or _odd_roots(rhs):
            return Verdict(
                "skipped",
                "skipped: the sides agree only on part of the domain (they differ where "
                "the functions take complex values); state the domain, e.g. x > 0",
            )
        lv, rv = confirmed
        return _refute_or_skip(
            no_refute,
            f"complex: the sides differ where their values are complex (principal branches)"
            f"{under}; state the domain (e.g. x > 0) if one is meant",
            f"{_where(point)}: lhs = {_num(lv)}, rhs = {_num(rv)}",
        )
    if (_odd_roots(lhs) or _odd_roots(rhs)) and any(d.lo < 0 for d in domains.values()):
        return Verdict(
            "skipped",
            "skipped: fractional powers of numbers that may be negative (real root or "
            "principal value?); state the domain, e.g. x > 0",
        )
    if sweep.valid >= 6 and sweep.agree == sweep.valid:
        try:
            with time_box(time_limit * 0.1):  # the numbers verify; a proof only names it
                tl, _ = _typed(lhs, domains, notes.integer_symbols)
                tr, _ = _typed(rhs, domains, notes.integer_symbols)
                proof = _symbolic(tl, tr, deep=False)
        except (TimeUp, Exception):  # noqa: BLE001 - the numbers stand on their own
            proof = None
        span = _span(free, domains, notes)
        if proof:
            return Verdict(
                "verified",
                prefix + f"symbolic: {proof}{under}; agrees at {sweep.valid} points",
                method="symbolic",
            )
        return Verdict(
            "verified",
            prefix + f"numeric: sides agree to 22+ digits at {sweep.valid} points ({span}){under}",
            method="numeric",
        )
    if sweep.valid >= 1 and sweep.agree == sweep.valid:
        try:
            with time_box(time_limit * 0.3):
                tl, _ = _typed(lhs, domains, notes.integer_symbols)
                tr, _ = _typed(rhs, domains, notes.integer_symbols)
                proof = _symbolic(tl, tr)
        except (TimeUp, Exception):  # noqa: BLE001
            proof = None
        if proof:
            return Verdict("verified", prefix + f"symbolic: {proof}{under}", method="symbolic")
    return Verdict(
        "skipped",
        f"skipped: numeric check inconclusive ({sweep.agree} of {sweep.valid} usable points agree)",
    )


def _domain_of(name: str, domains: dict[str, Domain]) -> Domain:
    """The stated domain of ``name``; ``x_{2}`` also takes one stated for ``x_i`` / ``x_{i}``."""
    if name in domains:
        return domains[name]
    m = re.fullmatch(r"(.+)_\{\d+\}", name)
    if m:
        for key, d in domains.items():
            if re.fullmatch(re.escape(m.group(1)) + r"_\{?[a-z]\}?", key):
                return d
    return Domain()


def _span(free: list[sp.Symbol], domains: dict, notes: Notes) -> str:
    restricted = [s for s in free if domains.get(s, Domain()).restricted]
    if not restricted:
        return "both signs, small and large values"
    return "over the stated domain"


def _confirm_complex(lhs: sp.Expr, rhs: sp.Expr, point: dict, funcs: dict):  # noqa: ANN202
    """Both sides at ``point`` again at 50 digits; None unless clearly different."""
    if funcs:
        lhs, rhs = _doit_but_limits(lhs.subs(funcs)), _doit_but_limits(rhs.subs(funcs))
    lv, rv = _evaluate(lhs, point, 50), _evaluate(rhs, point, 50)
    if lv is None or rv is None:
        return None
    if abs(lv - rv) <= mpmath.mpf(10) ** -12 * max(abs(lv), abs(rv), 1):
        return None
    return lv, rv


def _confirm(lhs: sp.Expr, rhs: sp.Expr, point: dict, funcs: dict):  # noqa: ANN202
    """Both sides at ``point`` again, at 50 digits through SymPy's evalf; None unless both
    are real and clearly different."""
    if funcs:
        lhs, rhs = _doit_but_limits(lhs.subs(funcs)), _doit_but_limits(rhs.subs(funcs))
    lv, rv = _evaluate(lhs, point, 50), _evaluate(rhs, point, 50)
    if lv is None or rv is None or not _is_real(lv, 50) or not _is_real(rv, 50):
        return None
    lv, rv = mpmath.re(lv), mpmath.re(rv)
    if abs(lv - rv) <= mpmath.mpf(10) ** -12 * max(abs(lv), abs(rv), 1):
        return None
    return lv, rv
