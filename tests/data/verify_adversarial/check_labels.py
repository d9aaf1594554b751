#!/usr/bin/env python3
"""Independent label check for the blind adversarial corpus.

Written with plain SymPy/mpmath, without the mathvault checker.  For every
`true`/`false` label in the notes of this folder it holds one entry
(file, line, a SymPy encoding of the claim written by hand, its domain,
the expected label) and confirms the label:

* identities in variables: numeric comparison at many random points of the
  stated domain (50 digits, principal complex branches, so e.g. ln of a
  negative number is evaluated, not dropped);
* constant claims: exact SymPy arithmetic, then 150-digit evaluation;
* matrix claims: random integer (non-commuting) matrices;
* `\\dots` patterns: instantiated for n = 1..7;
* bases of `\\log` without base: checked for bases 2, e, 3, 10.

Entry (line, 'T'/'F', check) in FILES[file]: the k-th entry for a line is the
k-th true/false label on that line (def/skip labels are not counted).
The script also checks that each listed (file, line) holds that label and that
every true/false label of the notes is listed.  Exit status 0 on success.
"""

import os
import random
import re
import sys

import mpmath
import sympy as sp
from sympy import (
    E,
    I,
    Lambda,
    Matrix,
    Max,
    Rational,
    binomial,
    cos,
    diff,
    exp,
    eye,
    factorial,
    limit,
    log,
    oo,
    sin,
    sqrt,
    zeros,
)

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = random.Random(20240611)


# --------------------------------------------------------------- samplers
def _interval(lo, hi):
    return lambda: RNG.uniform(lo, hi)


SAMPLERS = {
    "R": (lambda: RNG.choice([-1, 1]) * RNG.uniform(0.05, 6.0), dict(real=True)),
    "P": (_interval(0.05, 6.0), dict(positive=True)),
    "N": (_interval(-6.0, -0.05), dict(negative=True)),
    "U": (_interval(0.05, 0.95), dict(positive=True)),  # (0,1)
    "Z": (lambda: RNG.choice([-4, -3, -2, -1, 1, 2, 3, 4]), dict(integer=True)),
    "N1": (lambda: RNG.randint(1, 6), dict(integer=True, positive=True)),
    "C": (lambda: complex(RNG.uniform(-3, 3), RNG.uniform(-3, 3)), dict()),
}


def _parse_dom(dom):
    """'x:P,y:[-1,1]' -> {name: (sampler, assumptions)}"""
    out = {}
    if not dom:
        return out
    for part in re.findall(r"(\w+):(\[[^\]]*\]|\w+)", dom):
        name, kind = part
        if kind.startswith("["):
            lo, hi = [float(sp.sympify(v)) for v in kind[1:-1].split(",")]
            out[name] = (_interval(lo, hi), dict(real=True))
        else:
            out[name] = SAMPLERS[kind]
    return out


def _symbols_in(text):
    return set(re.findall(r"(?<![\w.])([a-zA-Z]\w*)", text))


KNOWN = {
    "sqrt",
    "log",
    "exp",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "Abs",
    "Max",
    "Min",
    "diff",
    "pi",
    "E",
    "I",
    "Rational",
    "tanh",
    "Sum",
    "oo",
    "integrate",
    "limit",
    "factorial",
    "binomial",
    "sign",
}


def _close(a, b):
    a = complex(a)
    b = complex(b)
    return abs(a - b) <= 1e-30 * max(1.0, abs(a), abs(b))


def I_(lhs, rhs, dom="", ctx=None, npts=24):
    """Identity check in variables over the domain; returns True/False."""
    ctx = dict(ctx or {})
    doms = _parse_dom(dom)
    names = (_symbols_in(lhs) | _symbols_in(rhs)) - KNOWN - set(ctx)
    syms = {}
    for nm in names:
        samp, assum = doms.get(nm, SAMPLERS["R"])
        syms[nm] = (sp.Symbol(nm, **assum), samp)
    loc = {nm: s for nm, (s, _) in syms.items()}
    loc.update(ctx)
    L = sp.sympify(lhs, locals=loc)
    R = sp.sympify(rhs, locals=loc)
    # symbols brought in by context expressions (e.g. z1 inside s1)
    known = {s_ for s_, _ in syms.values()}
    for s_ in (L.free_symbols | R.free_symbols) - known:
        samp = doms.get(s_.name, SAMPLERS["R"])[0]
        syms["_ctx_" + s_.name] = (s_, samp)
    good = 0
    for _ in range(npts):
        vals = {}
        for nm, (s, samp) in syms.items():
            v = samp()
            vals[s] = (
                sp.Integer(v)
                if isinstance(v, int)
                else (
                    sp.Float(v, 50)
                    if isinstance(v, float)
                    else sp.Float(v.real, 50) + I * sp.Float(v.imag, 50)
                )
            )
        try:
            a = sp.N(L.subs(vals), 50)
            b = sp.N(R.subs(vals), 50)
            if a.free_symbols or b.free_symbols or not a.is_finite or not b.is_finite:
                continue
            a, b = complex(a), complex(b)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        good += 1
        if not _close(a, b):
            return False
    if good < 8:
        raise RuntimeError("too few usable points for %s = %s" % (lhs, rhs))
    return True


def K(lhs, rhs, ctx=None):
    """Exact claim without variables."""
    loc = dict(ctx or {})
    d = sp.sympify(lhs, locals=loc) - sp.sympify(rhs, locals=loc)
    if d == 0:
        return True
    if d.free_symbols:
        raise RuntimeError("free symbols in constant claim %s = %s" % (lhs, rhs))
    if sp.simplify(d) == 0:
        return True
    # evalf works with relative precision: a nonzero difference, however
    # small (e^{-1000}), comes back with (almost) all requested digits.
    v = sp.N(d, 150, maxn=5000)
    if v == 0:
        return True
    parts = [p for p in (sp.re(v), sp.im(v)) if p != 0]
    if all(getattr(p, "_prec", 0) < 100 for p in parts):
        raise RuntimeError("cannot decide %s = %s (difference %s)" % (lhs, rhs, v))
    return False


def ALL(*checks):
    return all(checks)


def LOGB(lhs, rhs, dom="", bases=(2, E, 3, 10)):
    """`\\log` without base: True if true for every base, False if false for
    every base; anything else is an error (would be ambiguous)."""
    b = sp.Symbol("_u", positive=True)
    res = [I_(lhs, rhs, dom, ctx={"lg": Lambda(b, log(b) / log(B))}) for B in bases]
    if all(res):
        return True
    if not any(res):
        return False
    raise RuntimeError("log claim depends on the base: %s = %s" % (lhs, rhs))


def rmat(n=3, m=None, lo=-5, hi=5, invertible=False):
    m = n if m is None else m
    while True:
        A = Matrix(n, m, lambda i, j: RNG.randint(lo, hi))
        if not invertible or A.det() != 0:
            return A


def _eq(a, b):
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        if not (isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase)):
            if isinstance(a, sp.MatrixBase) and a.shape == (1, 1):
                return sp.simplify(a[0, 0] - b) == 0
            if isinstance(b, sp.MatrixBase) and b.shape == (1, 1):
                return sp.simplify(b[0, 0] - a) == 0
            return False
        if a.shape != b.shape:
            return False
        return all(sp.simplify(x - y) == 0 for x, y in zip(a, b))
    return sp.simplify(a - b) == 0


def M(fn, trials=6):
    """fn() -> (lhs, rhs) built from random matrices; True iff equal in all trials."""
    return all(_eq(*fn()) for _ in range(trials))


def S(fn, ns=range(1, 8)):
    """`\\dots` pattern: fn(n) -> (lhs, rhs) for a concrete n."""
    return all(_eq(*fn(n)) for n in ns)


def F(fn):
    """Custom check returning True/False."""
    return bool(fn())


def dots_sum(term, n, start=1):
    return sum(term(k) for k in range(start, n + 1))


x, y, z, t, w, a, b, c, u, v, theta = sp.symbols("x y z t w a b c u v theta", real=True)

FILES = {}

FILES["01_domains_roots_logs.md"] = [
    (9, "F", lambda: I_("sqrt(x**2)", "x")),
    (10, "T", lambda: I_("sqrt(x**2)", "Abs(x)")),
    (11, "T", lambda: I_("sqrt(x**2)", "-x", "x:N")),
    (12, "F", lambda: I_("sqrt(x**2)", "x", "x:N")),
    (13, "T", lambda: I_("sqrt(x**2)", "x", "x:P")),
    (14, "T", lambda: I_("sqrt(x**2)", "x", "x:P")),
    (15, "F", lambda: I_("sqrt(x**2)", "x", "x:N")),
    (16, "T", lambda: I_("sqrt(x**2)", "-x", "x:N")),
    (18, "F", lambda: I_("sqrt(x)*sqrt(y)", "sqrt(x*y)")),
    (19, "T", lambda: I_("sqrt(x)*sqrt(y)", "sqrt(x*y)", "x:P,y:P")),
    (20, "F", lambda: I_("sqrt(x)*sqrt(y)", "sqrt(x*y)", "x:N,y:N")),
    (21, "F", lambda: I_("sqrt(x)/sqrt(y)", "sqrt(x/y)")),
    (22, "T", lambda: I_("sqrt(x/y)", "sqrt(x)/sqrt(y)", "x:P,y:P")),
    (23, "F", lambda: I_("sqrt(x**2*y)", "x*sqrt(y)")),
    (24, "T", lambda: I_("sqrt(x**2*y)", "x*sqrt(y)", "x:P,y:P")),
    (25, "T", lambda: I_("sqrt(4*x**2)", "2*Abs(x)")),
    (26, "F", lambda: I_("sqrt((x-1)**2)", "x-1")),
    (27, "T", lambda: I_("sqrt((x-1)**2)", "Abs(x-1)")),
    (28, "T", lambda: I_("sqrt((x-1)**2)", "1-x", "x:[-6,0.99]")),
    (29, "T", lambda: I_("sqrt(x**4)", "x**2")),
    (30, "F", lambda: I_("sqrt(x**6)", "x**3")),
    (31, "T", lambda: I_("(sqrt(x))**2", "x", "x:P")),
    (35, "F", lambda: I_("sqrt(x**2+2*x+1)", "x+1")),
    (36, "T", lambda: I_("sqrt(x**2+2*x+1)", "Abs(x+1)")),
    (40, "F", lambda: I_("log(x*y)", "log(x)+log(y)")),
    (41, "T", lambda: I_("log(x*y)", "log(x)+log(y)", "x:P,y:P")),
    (42, "T", lambda: I_("log(x*y)", "log(x)+log(y)", "x:P,y:P")),
    (
        43,
        "T",
        lambda: ALL(
            I_("log(x*y)", "log(Abs(x))+log(Abs(y))", "x:P,y:P"),
            I_("log(x*y)", "log(Abs(x))+log(Abs(y))", "x:N,y:N"),
        ),
    ),
    (44, "F", lambda: I_("log(x**2)", "2*log(x)")),
    (45, "T", lambda: I_("log(x**2)", "2*log(Abs(x))")),
    (46, "T", lambda: I_("log(x**2)", "2*log(x)", "x:P")),
    (47, "T", lambda: I_("log(x**2)", "2*log(-x)", "x:N")),
    (48, "F", lambda: I_("log(x**2)", "2*log(x)", "x:N")),
    (49, "F", lambda: I_("log(x/y)", "log(x)-log(y)")),
    (50, "T", lambda: I_("log(x/y)", "log(x)-log(y)", "x:P,y:P")),
    (51, "F", lambda: I_("log(x**3)", "3*log(x)")),
    (52, "F", lambda: I_("log(-x)", "-log(x)")),
    (53, "T", lambda: I_("log(1/x)", "-log(x)", "x:P")),
    (54, "T", lambda: I_("log(exp(x))", "x")),
    (55, "T", lambda: I_("exp(log(x))", "x", "x:P")),
    (56, "F", lambda: I_("log(x**2, 2)", "2*log(x, 2)")),
    (57, "T", lambda: I_("log(x**2, 2)", "2*log(Abs(x), 2)")),
    (61, "F", lambda: I_("(x**a)**b", "x**(a*b)")),
    (62, "T", lambda: I_("(x**a)**b", "x**(a*b)", "x:P")),
    (63, "T", lambda: I_("(x**a)**b", "x**(a*b)", "x:P")),
    (64, "F", lambda: I_("(x**2)**(1/2)", "x")),
    (65, "T", lambda: I_("(x**(1/2))**2", "x", "x:P")),
    (66, "T", lambda: I_("(x**n)**m", "x**(n*m)", "n:N1,m:N1")),
    (67, "T", lambda: I_("x**a*x**b", "x**(a+b)", "x:P")),
    (68, "F", lambda: I_("x**a*y**a", "(x*y)**a")),
    (69, "T", lambda: I_("x**a*y**a", "(x*y)**a", "x:P,y:P")),
    (70, "T", lambda: I_("(x*y)**n", "x**n*y**n", "n:Z")),
    (71, "T", lambda: I_("x**a/x**b", "x**(a-b)")),
]

FILES["02_domains_trig_abs_max.md"] = [
    (9, "F", lambda: I_("asin(sin(x))", "x")),
    (10, "T", lambda: I_("asin(sin(x))", "x", "x:[-1.5707,1.5707]")),
    (11, "T", lambda: I_("asin(sin(x))", "pi-x", "x:[1.5708,4.7123]")),
    (12, "F", lambda: I_("acos(cos(x))", "x")),
    (13, "T", lambda: I_("acos(cos(x))", "x", "x:[0,3.1415]")),
    (14, "T", lambda: I_("acos(cos(x))", "-x", "x:[-3.1415,0]")),
    (15, "T", lambda: I_("acos(cos(x))", "Abs(x)", "x:[-3.1415,3.1415]")),
    (16, "F", lambda: I_("acos(cos(x))", "x", "x:[3.1416,6.2831]")),
    (17, "F", lambda: I_("atan(tan(x))", "x")),
    (18, "T", lambda: I_("atan(tan(x))", "x", "x:[-1.5707,1.5707]")),
    (19, "T", lambda: I_("sin(asin(x))", "x", "x:[-1,1]")),
    (20, "T", lambda: I_("cos(asin(x))", "sqrt(1-x**2)", "x:[-1,1]")),
    (21, "T", lambda: I_("tan(atan(x))", "x")),
    (22, "T", lambda: I_("asin(x)+acos(x)", "pi/2", "x:[-1,1]")),
    (23, "F", lambda: I_("atan(x)+atan(1/x)", "pi/2")),
    (24, "T", lambda: I_("atan(x)+atan(1/x)", "pi/2", "x:P")),
    (25, "T", lambda: I_("atan(x)+atan(1/x)", "-pi/2", "x:N")),
    (26, "F", lambda: I_("acos(-x)", "-acos(x)", "x:[-1,1]")),
    (27, "T", lambda: I_("acos(-x)", "pi-acos(x)", "x:[-1,1]")),
    (31, "F", lambda: I_("Abs(x)", "x")),
    (32, "T", lambda: I_("Abs(x)", "x", "x:P")),
    (33, "T", lambda: I_("Abs(x)", "-x", "x:N")),
    (34, "F", lambda: I_("Abs(x)/x", "1")),
    (35, "T", lambda: I_("Abs(x)/x", "1", "x:P")),
    (36, "T", lambda: I_("Abs(x)/x", "-1", "x:N")),
    (37, "F", lambda: I_("Abs(x)/x", "1")),
    (38, "F", lambda: I_("Abs(x+y)", "Abs(x)+Abs(y)")),
    (39, "T", lambda: I_("Abs(x+y)", "Abs(x)+Abs(y)", "x:P,y:P")),
    (40, "T", lambda: I_("Abs(x*y)", "Abs(x)*Abs(y)")),
    (41, "F", lambda: I_("Abs(x-3)", "x-3")),
    (42, "T", lambda: I_("Abs(x-3)", "3-x", "x:[-6,2.99]")),
    (43, "T", lambda: I_("Abs(x)**2", "x**2")),
    (44, "T", lambda: I_("diff(Abs(x), x)", "x/Abs(x)")),
    (45, "F", lambda: I_("diff(Abs(x), x)", "1")),
    (46, "T", lambda: I_("diff(Abs(x), x)", "-1", "x:N")),
    (51, "F", lambda: I_("diff(Max(0, x), x)", "1")),
    (52, "T", lambda: I_("diff(Max(0, x), x)", "1", "x:P")),
    (53, "T", lambda: I_("diff(Max(0, x), x)", "0", "x:N")),
    (55, "F", lambda: I_("Max(0, x)", "x")),
    (56, "T", lambda: I_("Max(0, x)", "(x+Abs(x))/2")),
    (57, "T", lambda: I_("Max(x, y)", "(x+y+Abs(x-y))/2")),
    (58, "F", lambda: I_("Min(x, y)", "(x+y+Abs(x-y))/2")),
    (59, "T", lambda: I_("Max(0, x)+Min(0, x)", "x")),
    (60, "T", lambda: I_("Max(0, x)*Min(0, x)", "0")),
    (61, "F", lambda: I_("Max(0, -x)", "-Max(0, x)")),
    (62, "T", lambda: I_("diff(Max(0, x)**2, x)", "2*Max(0, x)")),
]

_P = "x:P,y:P"
FILES["03_assumed_positive.md"] = [
    (13, "T", lambda: I_("sqrt(x**2)", "x", _P)),
    (14, "T", lambda: I_("Abs(x)", "x", _P)),
    (15, "T", lambda: I_("Abs(x)/x", "1", _P)),
    (16, "T", lambda: I_("log(x**2)", "2*log(x)", _P)),
    (17, "T", lambda: I_("diff(Max(0, x), x)", "1", _P)),
    (18, "T", lambda: I_("log(1/x)", "-log(x)", _P)),
    (19, "T", lambda: I_("(x**a)**b", "x**(a*b)", _P)),
    (20, "T", lambda: I_("log(x**3)", "3*log(x)", _P)),
    (21, "T", lambda: I_("atan(x)+atan(1/x)", "pi/2", _P)),
    (22, "T", lambda: I_("sqrt(x)*sqrt(x)", "x", _P)),
    (23, "T", lambda: I_("sqrt(4*x**2)", "2*x", _P)),
    (24, "T", lambda: I_("log(2*x)", "log(2)+log(x)", _P)),
    (25, "T", lambda: I_("log(x*y)", "log(x)+log(y)", _P)),
    (26, "T", lambda: I_("sqrt(x*y)", "sqrt(x)*sqrt(y)", _P)),
    (27, "T", lambda: I_("sqrt(x**2*y**2)", "x*y", _P)),
    (28, "T", lambda: I_("log(x/y)", "log(x)-log(y)", _P)),
    (29, "T", lambda: I_("Abs(x+1)", "x+1", _P)),
    (30, "T", lambda: I_("sqrt((x+2)**2)", "x+2", _P)),
    (33, "F", lambda: I_("sqrt(x**2)", "-x", _P)),
    (34, "F", lambda: I_("Abs(x)", "-x", _P)),
    (35, "F", lambda: I_("diff(Max(0, x), x)", "0", _P)),
    (36, "F", lambda: I_("atan(x)+atan(1/x)", "-pi/2", _P)),
    (37, "F", lambda: I_("sqrt(9*x**2)", "-3*x", _P)),
    (38, "F", lambda: I_("log(2*x)", "2*log(x)", _P)),
    (39, "F", lambda: I_("x/Abs(x)", "-1", _P)),
    (40, "F", lambda: I_("sqrt(x**2*y**2)", "-x*y", _P)),
    (41, "F", lambda: I_("log(x+y)", "log(x)+log(y)", _P)),
    (42, "F", lambda: I_("sqrt((x-2)**2)", "x-2", _P)),
    (43, "F", lambda: I_("Abs(x-1)", "x-1", _P)),
    (44, "F", lambda: I_("acos(cos(x))", "x", _P)),
    (45, "F", lambda: I_("asin(sin(x))", "x", _P)),
]


def _compound_one():
    mpmath.mp.dps = 80
    val = mpmath.power(1 + mpmath.mpf(10) ** -20, mpmath.mpf(10) ** 20)
    return val


FILES["04_magnitudes.md"] = [
    (10, "F", lambda: K("exp(100)+1", "exp(100)")),
    (11, "T", lambda: K("exp(100)+1-exp(100)", "1")),
    (12, "T", lambda: K("2**100", "1267650600228229401496703205376")),
    (13, "F", lambda: K("2**100", "1267650600228229401496703205377")),
    (14, "T", lambda: K("2**64-1", "18446744073709551615")),
    (15, "F", lambda: K("2**64", "18446744073709551615")),
    (16, "T", lambda: K("factorial(20)", "2432902008176640000")),
    (17, "F", lambda: K("factorial(20)", "2432902008176640001")),
    (18, "T", lambda: K("factorial(25)", "15511210043330985984000000")),
    (19, "T", lambda: K("factorial(100)/factorial(98)", "9900")),
    (20, "F", lambda: K("factorial(100)/factorial(98)", "9990")),
    (21, "T", lambda: K("binomial(50, 25)", "126410606437752")),
    (22, "F", lambda: K("binomial(50, 25)", "126410606437753")),
    (23, "T", lambda: K("sqrt(10**40)", "10**20")),
    (24, "F", lambda: K("sqrt(10**40+1)", "10**20")),
    (25, "T", lambda: K("(10**20+1)**2", "10**40+2*10**20+1")),
    (26, "F", lambda: K("(10**20+1)**2", "10**40+1")),
    (27, "F", lambda: K("(10**30+1)/10**30", "1")),
    (28, "T", lambda: K("3**(2**3)", "6561")),
    (29, "F", lambda: K("3**(2**3)", "729")),
    (30, "T", lambda: K("(3**2)**3", "729")),
    (31, "T", lambda: K("Sum(k, (k, 1, 100)).doit()", "5050")),
    (32, "F", lambda: K("Sum(k, (k, 1, 100)).doit()", "5051")),
    (35, "F", lambda: K("10**(-30)", "0")),
    (36, "F", lambda: K("exp(-1000)", "0")),
    (37, "F", lambda: K("1-cos(10**(-20))", "0")),
    (38, "F", lambda: K("sin(10**(-30))", "10**(-30)")),
    (39, "F", lambda: K("log(1+10**(-25))", "10**(-25)")),
    (40, "F", lambda: F(lambda: abs(_compound_one() - 1) < mpmath.mpf(10) ** -60)),
    (41, "F", lambda: F(lambda: abs(_compound_one() - mpmath.e) < mpmath.mpf(10) ** -60)),
    (42, "T", lambda: K("10**(-30)*10**30", "1")),
    (43, "T", lambda: K("1/10**20-1/(10**20+1)", "1/(10**20*(10**20+1))")),
    (44, "F", lambda: K("1/10**20-1/(10**20+1)", "0")),
    (47, "T", lambda: K("1/3+1/6", "1/2")),
    (48, "F", lambda: K("1/3+1/6", "2/9")),
    (49, "T", lambda: K("(2/3)*(3/4)", "1/2")),
    (50, "T", lambda: K("(1/2)/(1/4)", "2")),
    (51, "F", lambda: K("(1/2)/(1/4)", "1/8")),
    (52, "T", lambda: K("sqrt(8)", "2*sqrt(2)")),
    (53, "F", lambda: K("sqrt(12)", "3*sqrt(2)")),
    (54, "T", lambda: K("1/sqrt(2)", "sqrt(2)/2")),
    (55, "F", lambda: K("sqrt(2)+sqrt(3)", "sqrt(5)")),
    (56, "T", lambda: K("(sqrt(2)+1)*(sqrt(2)-1)", "1")),
    (57, "T", lambda: K("sin(pi/6)", "1/2")),
    (58, "F", lambda: K("cos(pi/3)", "sqrt(3)/2")),
    (59, "T", lambda: K("tan(pi/4)", "1")),
    (60, "T", lambda: K("exp(log(5))", "5")),
    (61, "T", lambda: K("log(exp(7))", "7")),
    (62, "T", lambda: K("log(1024, 2)", "10")),
    (63, "F", lambda: K("log(1000, 2)", "10")),
    (64, "T", lambda: K("log(1000, 10)", "3")),
    (65, "F", lambda: K("sqrt((-3)**2)", "-3")),
    (66, "T", lambda: K("sqrt((-3)**2)", "3")),
    (67, "T", lambda: K("2**(-10)", 'Rational("0.0009765625")')),
    (68, "T", lambda: K("1/8", 'Rational("0.125")')),
    (69, "T", lambda: K('Rational("0.1")+Rational("0.2")', 'Rational("0.3")')),
    (88, "F", lambda: K("1/3", 'Rational("0.25")')),
    (89, "F", lambda: K("log(2)", 'Rational("0.0693")')),
    (90, "F", lambda: K("sqrt(2)", 'Rational("1.5")')),
    (91, "F", lambda: K("sqrt(10)", 'Rational("3.6")')),
]


# ---- matrices: A, B, C random integer n x n (n = 3 unless stated)
def _ABC(n=3, inv=False):
    return (rmat(n, invertible=inv), rmat(n, invertible=inv), rmat(n, invertible=inv))


def _m(fn, n=3, inv=False):
    def run():
        A, B, C = _ABC(n, inv)
        return fn(A, B, C)

    return lambda: M(run)


def _sym(n=3):
    A = rmat(n)
    return A + A.T


def _orth():
    # Cayley transform of a random skew-symmetric matrix: rational orthogonal Q
    K_ = rmat(3)
    S_ = K_ - K_.T
    return (eye(3) - S_) * (eye(3) + S_).inv()


def _commuting():
    A = rmat(3)
    return A, 2 * A**2 - A + 3 * eye(3)


def _diag():
    return (
        sp.diag(*[RNG.randint(-5, 5) for _ in range(3)]),
        sp.diag(*[RNG.randint(-5, 5) for _ in range(3)]),
    )


FILES["05_matrices.md"] = [
    (9, "F", _m(lambda A, B, C: (A * B, B * A))),
    (10, "F", _m(lambda A, B, C: ((A * B).T, A.T * B.T))),
    (11, "T", _m(lambda A, B, C: ((A * B).T, B.T * A.T))),
    (12, "T", _m(lambda A, B, C: ((A * B * C).T, C.T * B.T * A.T))),
    (13, "F", _m(lambda A, B, C: ((A * B).inv(), A.inv() * B.inv()), inv=True)),
    (14, "T", _m(lambda A, B, C: ((A * B).inv(), B.inv() * A.inv()), inv=True)),
    (15, "F", _m(lambda A, B, C: ((A + B) ** 2, A**2 + 2 * A * B + B**2))),
    (16, "T", _m(lambda A, B, C: ((A + B) ** 2, A**2 + A * B + B * A + B**2))),
    (17, "F", _m(lambda A, B, C: ((A - B) ** 2, A**2 - 2 * A * B + B**2))),
    (18, "F", _m(lambda A, B, C: ((A + B) * (A - B), A**2 - B**2))),
    (19, "T", _m(lambda A, B, C: ((A + B) * (A - B), A**2 - A * B + B * A - B**2))),
    (20, "F", _m(lambda A, B, C: ((A * B) ** 2, A**2 * B**2))),
    (21, "T", _m(lambda A, B, C: ((A * B) ** 2, A * B * A * B))),
    (22, "T", _m(lambda A, B, C: (A * (B + C), A * B + A * C))),
    (23, "F", _m(lambda A, B, C: ((B + C) * A, A * B + A * C))),
    (24, "T", _m(lambda A, B, C: (A.T.T, A))),
    (25, "T", _m(lambda A, B, C: ((A + B).T, A.T + B.T))),
    (26, "T", _m(lambda A, B, C: (A.inv().T, A.T.inv()), inv=True)),
    (27, "T", _m(lambda A, B, C: (A.inv().inv(), A), inv=True)),
    (28, "F", _m(lambda A, B, C: ((2 * A).inv(), 2 * A.inv()), inv=True)),
    (29, "T", _m(lambda A, B, C: ((2 * A).inv(), Rational(1, 2) * A.inv()), inv=True)),
    (30, "T", _m(lambda A, B, C: (A * A.inv(), eye(3)), inv=True)),
    (31, "F", _m(lambda A, B, C: (A * B * A.inv(), B), inv=True)),
    (32, "T", _m(lambda A, B, C: ((A.inv() * B * A) ** 2, A.inv() * B**2 * A), inv=True)),
    (36, "T", _m(lambda A, B, C: ((A * B).det(), A.det() * B.det()))),
    (37, "T", _m(lambda A, B, C: ((A * B).det(), (B * A).det()))),
    (38, "F", _m(lambda A, B, C: ((A + B).det(), A.det() + B.det()))),
    (39, "T", _m(lambda A, B, C: (A.T.det(), A.det()))),
    (40, "T", _m(lambda A, B, C: (A.inv().det(), 1 / A.det()), inv=True)),
    (41, "F", _m(lambda A, B, C: ((2 * A).det(), 2 * A.det()))),
    (
        42,
        "T",
        lambda: all(
            M(lambda: (lambda A: ((2 * A).det(), 2**n * A.det()))(rmat(n))) for n in (2, 3, 4)
        ),
    ),
    (43, "F", _m(lambda A, B, C: ((-A).det(), -A.det()), n=2)),
    (44, "T", _m(lambda A, B, C: ((A * B).trace(), (B * A).trace()))),
    (45, "F", _m(lambda A, B, C: ((A * B).trace(), A.trace() * B.trace()))),
    (46, "T", _m(lambda A, B, C: ((A + B).trace(), A.trace() + B.trace()))),
    (47, "T", _m(lambda A, B, C: ((A * B * C).trace(), (C * A * B).trace()))),
    (48, "F", _m(lambda A, B, C: ((A * B * C).trace(), (B * A * C).trace()))),
    (49, "T", _m(lambda A, B, C: ((A.T * B).trace(), (A * B.T).trace()))),
    (54, "T", lambda: M(lambda: (lambda D: (D[0] * D[1], D[1] * D[0]))(_diag()))),
    (55, "T", lambda: M(lambda: (lambda S_: (S_.T, S_))(_sym()))),
    (55, "T", lambda: M(lambda: (lambda S_: ((S_**2).T, S_**2))(_sym()))),
    (
        56,
        "T",
        lambda: M(
            lambda: (
                lambda AB: ((AB[0] + AB[1]) ** 2, AB[0] ** 2 + 2 * AB[0] * AB[1] + AB[1] ** 2)
            )(_commuting())
        ),
    ),
    (57, "T", lambda: M(lambda: (lambda Q: (Q.T.inv(), Q))(_orth()))),
    (57, "T", lambda: M(lambda: (lambda Q: (Q.det() ** 2, 1))(_orth()))),
    (
        61,
        "T",
        lambda: M(
            lambda: (Matrix([[1, 2], [3, 4]]) * Matrix([[0, 1], [1, 0]]), Matrix([[2, 1], [4, 3]])),
            1,
        ),
    ),
    (
        62,
        "F",
        lambda: M(
            lambda: (Matrix([[0, 1], [1, 0]]) * Matrix([[1, 2], [3, 4]]), Matrix([[2, 1], [4, 3]])),
            1,
        ),
    ),
    (
        63,
        "T",
        lambda: M(
            lambda: (Matrix([[0, 1], [1, 0]]) * Matrix([[1, 2], [3, 4]]), Matrix([[3, 4], [1, 2]])),
            1,
        ),
    ),
    (
        64,
        "T",
        lambda: M(
            lambda: (
                Matrix([[1, 2], [3, 4]]).inv(),
                Matrix([[-2, 1], [Rational(3, 2), Rational(-1, 2)]]),
            ),
            1,
        ),
    ),
    (65, "F", lambda: M(lambda: (Matrix([[1, 2], [3, 4]]).inv(), Matrix([[4, -2], [-3, 1]])), 1)),
    (66, "T", lambda: M(lambda: (Matrix([[1, 2], [3, 4]]).det(), -2), 1)),
    (67, "F", lambda: M(lambda: (Matrix([[1, 2], [3, 4]]).det(), 2), 1)),
    (68, "T", lambda: M(lambda: (Matrix([[2, 0, 1], [1, 3, 2], [1, 1, 1]]).det(), 0), 1)),
    (69, "F", lambda: M(lambda: (Matrix([[2, 0, 1], [1, 3, 2], [1, 1, 2]]).det(), 4), 1)),
    (
        70,
        "T",
        lambda: M(
            lambda: (Matrix([[a, b], [c, sp.Symbol("d")]]).det(), a * sp.Symbol("d") - b * c), 1
        ),
    ),
    (
        71,
        "F",
        lambda: M(
            lambda: (Matrix([[a, b], [c, sp.Symbol("d")]]).det(), a * sp.Symbol("d") + b * c), 1
        ),
    ),
    (72, "T", lambda: M(lambda: (Matrix([[5, 1], [2, -3]]).trace(), 2), 1)),
    (
        73,
        "T",
        lambda: M(lambda: (Matrix([[1, 2, 3], [4, 5, 6]]).T, Matrix([[1, 4], [2, 5], [3, 6]])), 1),
    ),
    (74, "T", lambda: M(lambda: (Matrix([[1, 2], [3, 4]]) ** 2, Matrix([[7, 10], [15, 22]])), 1)),
    (75, "F", lambda: M(lambda: (Matrix([[1, 2], [3, 4]]) ** 2, Matrix([[1, 4], [9, 16]])), 1)),
]


# ---- vectors: random integer 3-vectors
def _uvw():
    return rmat(3, 1), rmat(3, 1), rmat(3, 1)


def _v(fn):
    return lambda: M(lambda: fn(*_uvw()))


def _n2(p):
    return p.dot(p)


FILES["06_vectors_forms.md"] = [
    (9, "F", _v(lambda u_, v_, w_: (u_.cross(v_), v_.cross(u_)))),
    (10, "T", _v(lambda u_, v_, w_: (u_.cross(v_), -v_.cross(u_)))),
    (11, "T", _v(lambda u_, v_, w_: (u_.dot(v_), v_.dot(u_)))),
    (12, "T", _v(lambda u_, v_, w_: (u_.cross(u_), zeros(3, 1)))),
    (13, "T", _v(lambda u_, v_, w_: (u_.dot(u_.cross(v_)), 0))),
    (14, "F", _v(lambda u_, v_, w_: (u_.cross(v_.cross(w_)), u_.cross(v_).cross(w_)))),
    (15, "T", _v(lambda u_, v_, w_: (u_.cross(v_.cross(w_)), u_.dot(w_) * v_ - u_.dot(v_) * w_))),
    (16, "F", _v(lambda u_, v_, w_: (u_.cross(v_.cross(w_)), u_.dot(v_) * w_ - u_.dot(w_) * v_))),
    (17, "T", _v(lambda u_, v_, w_: (u_.dot(v_.cross(w_)), w_.dot(u_.cross(v_))))),
    (18, "F", _v(lambda u_, v_, w_: (u_.dot(v_.cross(w_)), v_.dot(u_.cross(w_))))),
    (19, "F", _v(lambda u_, v_, w_: (_n2(u_ + v_), _n2(u_) + _n2(v_)))),
    (20, "T", _v(lambda u_, v_, w_: (_n2(u_ + v_), _n2(u_) + 2 * u_.dot(v_) + _n2(v_)))),
    (21, "T", _v(lambda u_, v_, w_: (_n2(u_.cross(v_)), _n2(u_) * _n2(v_) - u_.dot(v_) ** 2))),
    (22, "F", _v(lambda u_, v_, w_: (sqrt(_n2(u_.cross(v_))), sqrt(_n2(u_)) * sqrt(_n2(v_))))),
    (23, "T", _v(lambda u_, v_, w_: ((u_ + v_).cross(w_), u_.cross(w_) + v_.cross(w_)))),
    (24, "F", _v(lambda u_, v_, w_: (w_.cross(u_ + v_), u_.cross(w_) + v_.cross(w_)))),
    (25, "T", _v(lambda u_, v_, w_: (sqrt(_n2(2 * u_)), 2 * sqrt(_n2(u_))))),
    (26, "F", _v(lambda u_, v_, w_: (sqrt(_n2(-u_)), -sqrt(_n2(u_))))),
    (
        30,
        "T",
        lambda: M(lambda: (Matrix([1, 2, 3]).cross(Matrix([4, 5, 6])), Matrix([-3, 6, -3])), 1),
    ),
    (
        31,
        "F",
        lambda: M(lambda: (Matrix([4, 5, 6]).cross(Matrix([1, 2, 3])), Matrix([-3, 6, -3])), 1),
    ),
    (32, "T", lambda: M(lambda: (Matrix([[1, 2, 3]]) * Matrix([4, 5, 6]), 32), 1)),
    (33, "F", lambda: M(lambda: (Matrix([4, 5, 6]) * Matrix([[1, 2, 3]]), 32), 1)),
    (34, "T", lambda: M(lambda: (Matrix([1, 2, 3]).dot(Matrix([4, -5, 6])), 12), 1)),
    (35, "F", lambda: M(lambda: (Matrix([1, 2, 3]).dot(Matrix([4, -5, 6])), 32), 1)),
]
_A6 = Matrix([[2, 1], [1, 3]])
_x6 = Matrix([1, 2])
_B6 = Matrix([[1, 2], [0, 1]])
_y1, _y2 = sp.symbols("y1 y2", real=True)
_y6 = Matrix([_y1, _y2])
FILES["06_vectors_forms.md"] += [
    (41, "T", lambda: M(lambda: (_A6 * _x6, Matrix([4, 7])), 1)),
    (42, "T", lambda: M(lambda: (_x6.T * _A6 * _x6, 18), 1)),
    (43, "F", lambda: M(lambda: (_x6.T * _A6 * _x6, 16), 1)),
    (44, "T", lambda: M(lambda: (_x6.T * _x6, 5), 1)),
    (45, "T", lambda: M(lambda: (_x6 * _x6.T, Matrix([[1, 2], [2, 4]])), 1)),
    (46, "F", lambda: M(lambda: (_x6 * _x6.T, 5), 1)),
    (47, "T", lambda: M(lambda: (_A6.det(), 5), 1)),
    (48, "F", lambda: M(lambda: (_A6.det(), 7), 1)),
    (52, "T", lambda: M(lambda: (_y6.T * _B6 * _y6, _y1**2 + 2 * _y1 * _y2 + _y2**2), 1)),
    (53, "F", lambda: M(lambda: (_y6.T * _B6 * _y6, _y1**2 + 4 * _y1 * _y2 + _y2**2), 1)),
    (54, "T", lambda: M(lambda: (_B6 * _y6, Matrix([_y1 + 2 * _y2, _y2])), 1)),
    (55, "F", lambda: M(lambda: (_B6.T * _y6, Matrix([_y1 + 2 * _y2, _y2])), 1)),
    (56, "T", lambda: M(lambda: (_B6.T * _y6, Matrix([_y1, 2 * _y1 + _y2])), 1)),
    (57, "F", lambda: M(lambda: (_B6 * _B6.T, _B6.T * _B6), 1)),
    (58, "T", lambda: M(lambda: ((_B6.T * _B6).det(), 1), 1)),
    (59, "T", lambda: M(lambda: (_B6.inv(), Matrix([[1, -2], [0, 1]])), 1)),
    (60, "F", lambda: M(lambda: (_B6.inv(), Matrix([[-1, 2], [0, -1]])), 1)),
    (61, "T", lambda: M(lambda: (_A6 * _B6, Matrix([[2, 5], [1, 5]])), 1)),
    (62, "F", lambda: M(lambda: (_B6 * _A6, Matrix([[2, 5], [1, 5]])), 1)),
]


def _fn(body, var="x"):
    """Lambda for a function the note defines (body in terms of `var`)."""
    d = sp.Dummy(var, real=True)
    loc = {nm: sp.Symbol(nm, real=True) for nm in _symbols_in(body) - KNOWN}
    loc[var] = d
    return Lambda(d, sp.sympify(body, locals=loc))


_C7 = {
    "f1": _fn("x**2"),
    "f2": _fn("sin(x)"),
    "f3": _fn("exp(-x)"),
    "g": _fn("3*t - 1", "t"),
    "phi": _fn("x**2 + 1"),
    "h": _fn("x**2 - 2*x + 2"),
}
_a7, _b7, _k7 = 2, 7, 5  # a = 2, b := a + 5, k = 5 as defined in the note


def I7(lhs, rhs, dom=""):
    return I_(lhs, rhs, dom, ctx=dict(_C7, a=sp.Integer(_a7), b=sp.Integer(_b7), k=sp.Integer(_k7)))


FILES["07_note_state.md"] = [
    (9, "T", lambda: I7("f1(3)", "9")),
    (10, "T", lambda: I7("f1(x)", "x*x")),
    (11, "F", lambda: I7("f1(x)", "x**3")),
    (12, "T", lambda: I7("f1(2)", "4")),
    (13, "T", lambda: I7("f1(-x)", "f1(x)")),
    (14, "T", lambda: I7("f1(x+1)", "x**2+2*x+1")),
    (15, "F", lambda: I7("f1(x+1)", "x**2+1")),
    (16, "T", lambda: I7("diff(f1(x), x)", "2*x")),
    (17, "F", lambda: I7("diff(f1(x), x)", "x")),
    (18, "T", lambda: I7("f1(f1(x))", "x**4")),
    (19, "F", lambda: I7("f1(2*x)", "2*f1(x)")),
    (23, "T", lambda: I7("f2(0)", "0")),
    (24, "T", lambda: I7("diff(f2(x), x)", "cos(x)")),
    (25, "F", lambda: I7("f2(pi/2)", "0")),
    (26, "T", lambda: I7("f2(x)**2+cos(x)**2", "1")),
    (27, "T", lambda: I7("f2(2*x)", "2*f2(x)*cos(x)")),
    (28, "F", lambda: I7("diff(f2(x), x).subs(x, 0)", "0")),
    (32, "T", lambda: I7("diff(f3(x), x)", "-exp(-x)")),
    (33, "F", lambda: I7("diff(f3(x), x)", "exp(-x)")),
    (34, "T", lambda: I7("f3(0)", "1")),
    (35, "T", lambda: I7("f3(x)*f3(-x)", "1")),
    (41, "T", lambda: I7("a**2", "4")),
    (42, "F", lambda: I7("a**3", "6")),
    (43, "F", lambda: I7("a", "3")),
    (44, "T", lambda: I7("3*a+1", "7")),
    (48, "T", lambda: I7("b", "7")),
    (49, "F", lambda: I7("b", "8")),
    (50, "T", lambda: I7("b-a", "5")),
    (54, "T", lambda: I7("g(1)", "2")),
    (55, "F", lambda: I7("g(0)", "1")),
    (56, "T", lambda: I7("g(a)", "5")),
    (57, "F", lambda: I7("g(b)", "21")),
    (58, "T", lambda: I7("g(g(t))", "9*t-4")),
    (59, "F", lambda: I7("g(g(t))", "9*t-1")),
    (63, "T", lambda: I7("phi(1)", "2")),
    (64, "F", lambda: I7("phi(-1)", "0")),
    (65, "T", lambda: I7("phi(a)", "5")),
    # "At x = 1": the point condition applies to this line only
    (71, "T", lambda: I7("h(1)", "1")),
    (71, "T", lambda: I7("diff(h(x), x).subs(x, 1)", "0")),
    (72, "F", lambda: I7("h(1)", "2")),
    # next paragraph: x is an arbitrary real again
    (77, "T", lambda: I7("x**2-1", "(x-1)*(x+1)")),
    (78, "F", lambda: I7("x**2", "x")),
    (79, "T", lambda: I7("x**3-x", "x*(x-1)*(x+1)")),
    (80, "F", lambda: I7("(x+1)**2", "x**2+1")),
    (81, "T", lambda: I7("h(x)", "(x-1)**2+1")),
    (82, "F", lambda: I7("h(x)", "(x-1)**2")),
    (83, "T", lambda: I7("diff(h(x), x)", "2*x-2")),
    (84, "F", lambda: I7("diff(h(x), x)", "2*x")),
    (91, "T", lambda: I7("2*k", "10")),
    (92, "F", lambda: I7("k**2", "20")),
    (93, "T", lambda: I7("k*(k+1)/2", "15")),
]


# ---- ellipses: instantiate n
def _S(lhs, rhs, ns=range(1, 8), extra=None):
    """lhs/rhs: python callables of n returning sympy values."""
    return lambda: S(lambda n: (lhs(n), rhs(n)), ns)


_r = sp.Symbol("r", real=True)
N_ = sp.Integer


def _xs(n, name="x", start=1):
    return [sp.Symbol("%s%d" % (name, i), real=True) for i in range(start, n + 1)]


def _prod(seq):
    out = sp.Integer(1)
    for s_ in seq:
        out *= s_
    return out


_FUNCS = [sin(x), exp(2 * x), x**3 + 1, cos(x) + 2, log(x**2 + 1), x - 5, sp.sqrt(x**2 + 3)]


def _chain3():
    u1 = sin(x)
    U1 = sp.Symbol("U1")
    U2 = sp.Symbol("U2")
    u2_of_u1 = U1**2 + 1
    y_of_u2 = exp(U2)
    full = y_of_u2.subs(U2, u2_of_u1.subs(U1, u1))
    lhs = diff(full, x)
    rhs = (
        diff(y_of_u2, U2).subs(U2, u2_of_u1.subs(U1, u1))
        * diff(u2_of_u1, U1).subs(U1, u1)
        * diff(u1, x)
    )
    return _eq(lhs, rhs)


_x1, _x2, _x3 = sp.symbols("x1 x2 x3", real=True)
_f8 = _x1**2 * _x2 + _x3

FILES["08_ellipses.md"] = [
    (9, "T", _S(lambda n: dots_sum(lambda k: k, n), lambda n: N_(n) * (n + 1) / 2)),
    (10, "F", _S(lambda n: dots_sum(lambda k: k, n), lambda n: N_(n) * (n - 1) / 2)),
    (11, "T", _S(lambda n: dots_sum(lambda k: 2 * k - 1, n), lambda n: N_(n) ** 2)),
    (12, "F", _S(lambda n: dots_sum(lambda k: 2 * k - 1, n + 1), lambda n: N_(n) ** 2)),
    (13, "T", _S(lambda n: dots_sum(lambda k: 2 * k - 1, n + 1), lambda n: N_(n + 1) ** 2)),
    (14, "T", _S(lambda n: dots_sum(lambda k: 2 * k, n), lambda n: N_(n) * (n + 1))),
    (15, "F", _S(lambda n: dots_sum(lambda k: 2 * k, n), lambda n: N_(n) ** 2)),
    (
        16,
        "T",
        _S(lambda n: dots_sum(lambda k: k**2, n), lambda n: N_(n) * (n + 1) * (2 * n + 1) / 6),
    ),
    (
        17,
        "F",
        _S(lambda n: dots_sum(lambda k: k**2, n), lambda n: N_(n) * (n + 1) * (2 * n - 1) / 6),
    ),
    (18, "T", _S(lambda n: dots_sum(lambda k: k**3, n), lambda n: (N_(n) * (n + 1) / 2) ** 2)),
    (19, "F", _S(lambda n: dots_sum(lambda k: k**3, n), lambda n: N_(n) ** 2 * (n + 1) ** 2 / 2)),
    (
        20,
        "T",
        _S(lambda n: dots_sum(lambda k: Rational(1, k * (k + 1)), n), lambda n: Rational(n, n + 1)),
    ),
    (
        21,
        "F",
        _S(lambda n: dots_sum(lambda k: Rational(1, k * (k + 1)), n), lambda n: Rational(1, n + 1)),
    ),
    (22, "T", _S(lambda n: dots_sum(lambda k: binomial(n, k), n, 0), lambda n: N_(2) ** n)),
    (23, "F", _S(lambda n: dots_sum(lambda k: binomial(n, k), n, 0), lambda n: N_(2) ** (n - 1))),
    (24, "T", _S(lambda n: _prod(range(1, n + 1)), lambda n: factorial(n))),
    (25, "F", _S(lambda n: _prod(2 * k for k in range(1, n + 1)), lambda n: 2 * factorial(n))),
    (
        26,
        "T",
        _S(lambda n: _prod(2 * k for k in range(1, n + 1)), lambda n: N_(2) ** n * factorial(n)),
    ),
    (29, "T", _S(lambda n: dots_sum(lambda k: _r**k, n - 1, 0), lambda n: (1 - _r**n) / (1 - _r))),
    (30, "F", _S(lambda n: dots_sum(lambda k: _r**k, n, 0), lambda n: (1 - _r**n) / (1 - _r))),
    (
        31,
        "T",
        _S(lambda n: dots_sum(lambda k: _r**k, n, 0), lambda n: (1 - _r ** (n + 1)) / (1 - _r)),
    ),
    (34, "T", lambda: K("Sum(1/2**k, (k, 1, oo)).doit()", "1")),
    (35, "F", lambda: K("Sum(1/2**k, (k, 1, oo)).doit()", "2")),
    (
        36,
        "F",
        lambda: F(
            lambda: (
                sp.Sum(
                    1 / sp.Symbol("k", positive=True, integer=True),
                    (sp.Symbol("k", positive=True, integer=True), 1, oo),
                ).doit()
                == 2
            )
        ),
    ),
    (37, "T", lambda: K("Sum(1/k**2, (k, 1, oo)).doit()", "pi**2/6")),
    (38, "T", lambda: K("Sum((-1)**k/(2*k+1), (k, 0, oo)).doit()", "pi/4")),
    (39, "F", lambda: K("Sum((-1)**k/(2*k+1), (k, 0, oo)).doit()", "pi/2")),
    (45, "T", _S(lambda n: sum(_xs(n)), lambda n: sum(_xs(n)))),
    (46, "F", _S(lambda n: sum(_xs(n)), lambda n: sum(_xs(n, start=0)))),
    (
        47,
        "F",
        _S(
            lambda n: sum(_xs(n, "a")) ** 2, lambda n: sum(s_**2 for s_ in _xs(n, "a")), range(2, 7)
        ),
    ),
    (
        48,
        "T",
        _S(
            lambda n: sum(_xs(n, "a")) ** 2,
            lambda n: sp.expand(
                sum(s_**2 for s_ in _xs(n, "a"))
                + 2
                * sum(_xs(n, "a")[i] * _xs(n, "a")[j] for i in range(n) for j in range(i + 1, n))
            ),
        ),
    ),
    (
        49,
        "T",
        _S(lambda n: Matrix(_xs(n)).dot(Matrix(_xs(n))), lambda n: sum(s_**2 for s_ in _xs(n))),
    ),
    (50, "F", _S(lambda n: sqrt(Matrix(_xs(n)).dot(Matrix(_xs(n)))), lambda n: sum(_xs(n)))),
    (51, "T", _S(lambda n: sp.diag(*_xs(n, "d")).det(), lambda n: _prod(_xs(n, "d")))),
    (52, "F", _S(lambda n: sp.diag(*_xs(n, "d")).det(), lambda n: sum(_xs(n, "d")))),
    (
        58,
        "T",
        _S(
            lambda n: diff(_prod(_FUNCS[:n]), x),
            lambda n: sum(
                _prod(diff(f_, x) if i == j else f_ for j, f_ in enumerate(_FUNCS[:n]))
                for i in range(n)
            ),
        ),
    ),
    (
        59,
        "F",
        _S(lambda n: diff(_prod(_FUNCS[:n]), x), lambda n: _prod(diff(f_, x) for f_ in _FUNCS[:n])),
    ),
    (
        60,
        "T",
        lambda: all(
            _eq(diff(_prod(_xs(n)), _xs(n)[k]), _prod(_xs(n)) / _xs(n)[k])
            for n in range(1, 7)
            for k in range(n)
        ),
    ),
    (
        61,
        "F",
        lambda: all(
            _eq(diff(_prod(_xs(n)), _xs(n)[k]), _prod(_xs(n)))
            for n in range(1, 7)
            for k in range(n)
        ),
    ),
    (
        62,
        "T",
        _S(
            lambda n: diff(dots_sum(lambda k: x**k, n), x),
            lambda n: dots_sum(lambda k: k * x ** (k - 1), n),
        ),
    ),
    (
        63,
        "F",
        _S(
            lambda n: diff(dots_sum(lambda k: x**k, n), x),
            lambda n: dots_sum(lambda k: k * x**k, n),
        ),
    ),
    (67, "T", lambda: F(_chain3)),
    (
        73,
        "T",
        lambda: M(
            lambda: (
                Matrix([diff(_f8, s_) for s_ in (_x1, _x2, _x3)]),
                Matrix([diff(_f8, s_) for s_ in (_x1, _x2, _x3)]),
            ),
            1,
        ),
    ),
    (
        73,
        "T",
        lambda: M(
            lambda: (
                Matrix([diff(_f8, s_) for s_ in (_x1, _x2, _x3)]),
                Matrix([2 * _x1 * _x2, _x1**2, 1]),
            ),
            1,
        ),
    ),
    (
        74,
        "F",
        lambda: M(
            lambda: (
                Matrix([diff(_f8, s_) for s_ in (_x1, _x2, _x3)]),
                Matrix([2 * _x1 * _x2, _x1**2, 0]),
            ),
            1,
        ),
    ),
    (
        78,
        "T",
        _S(
            lambda n: Matrix([diff(sum(s_**2 for s_ in _xs(n)), s_) for s_ in _xs(n)]),
            lambda n: Matrix([diff(sum(s_**2 for s_ in _xs(n)), s_) for s_ in _xs(n)]),
        ),
    ),
    (
        78,
        "T",
        _S(
            lambda n: Matrix([diff(sum(s_**2 for s_ in _xs(n)), s_) for s_ in _xs(n)]),
            lambda n: Matrix([2 * s_ for s_ in _xs(n)]),
        ),
    ),
    (
        79,
        "F",
        _S(
            lambda n: Matrix([diff(sum(s_**2 for s_ in _xs(n)), s_) for s_ in _xs(n)]),
            lambda n: Matrix(_xs(n)),
        ),
    ),
]

_z = sp.Symbol("z", real=True)
_z1, _z2, _z3 = sp.symbols("z1 z2 z3", real=True)
_den = exp(_z1) + exp(_z2) + exp(_z3)
_s = [exp(_z1) / _den, exp(_z2) / _den, exp(_z3) / _den]
_C9 = {
    "sig": _fn("1/(1+exp(-z))", "z"),
    "relu": _fn("Max(0, z)", "z"),
    "s1": _s[0],
    "s2": _s[1],
    "s3": _s[2],
    "ell": _fn("-y*log(p) - (1-y)*log(1-p)", "p"),
}


def I9(lhs, rhs, dom=""):
    return I_(lhs, rhs, dom, ctx=_C9)


def _ce(lhs, rhs):
    """cross-entropy with a one-hot target: check for each of the 3 classes."""
    Y = sp.symbols("Y1:4")
    Lce = -sum(Y[k] * log(_s[k]) for k in range(3))
    res = []
    for hot in range(3):
        vals = {Y[k]: (1 if k == hot else 0) for k in range(3)}
        ctx = dict(_C9, L=Lce.subs(vals), y1=sp.Integer(vals[Y[0]]))
        res.append(I_(lhs, rhs, ctx=ctx))
    return all(res)


_X = Matrix(sp.symbols("X1:4", real=True))


def _grad(e):
    return Matrix([diff(e, xi) for xi in _X])


def _hess(e):
    return Matrix(3, 3, lambda i, j: diff(e, _X[i], _X[j]))


def _q(fn, sym=False):
    def run():
        A = rmat(3)
        if sym:
            A = A + A.T
        bvec = rmat(3, 1)
        return fn(A, bvec)

    return lambda: M(run)


_nrm2 = lambda m: (m.T * m)[0, 0]
_F1 = x**2 * y
_F2 = 5 * x + sin(y)
_J = Matrix([[diff(_F1, x), diff(_F1, y)], [diff(_F2, x), diff(_F2, y)]])
_psi = x**3 + 3 * x * y**2

FILES["09_ml_derivatives.md"] = [
    (9, "T", lambda: I9("diff(sig(z), z)", "sig(z)*(1-sig(z))")),
    (10, "F", lambda: I9("diff(sig(z), z)", "sig(z)*(1+sig(z))")),
    (11, "T", lambda: I9("sig(-z)", "1-sig(z)")),
    (12, "F", lambda: I9("sig(-z)", "-sig(z)")),
    (13, "T", lambda: I9("sig(0)", "1/2")),
    (14, "F", lambda: I9("diff(sig(z), z).subs(z, 0)", "1/2")),
    (15, "T", lambda: I9("diff(sig(z), z).subs(z, 0)", "1/4")),
    (16, "T", lambda: I9("diff(log(sig(z)), z)", "1-sig(z)")),
    (17, "F", lambda: I9("diff(log(sig(z)), z)", "1/sig(z)")),
    (18, "T", lambda: I9("diff(log(1+exp(z)), z)", "sig(z)")),
    (19, "F", lambda: I9("diff(log(1+exp(z)), z)", "1/(1+exp(z))")),
    (20, "T", lambda: I9("tanh(z)", "2*sig(2*z)-1")),
    (21, "F", lambda: I9("tanh(z)", "2*sig(z)-1")),
    (24, "T", lambda: I9("diff(tanh(z), z)", "1-tanh(z)**2")),
    (25, "F", lambda: I9("diff(tanh(z), z)", "1+tanh(z)**2")),
    (29, "T", lambda: I9("relu(-3)", "0")),
    (30, "F", lambda: I9("relu(-3)", "-3")),
    (31, "T", lambda: I9("relu(5/2)", "5/2")),
    (32, "T", lambda: I9("diff(relu(z), z)", "1", "z:P")),
    (33, "F", lambda: I9("diff(relu(z), z)", "1")),
    (39, "T", lambda: I9("s1+s2+s3", "1")),
    (40, "T", lambda: I9("diff(s1, z1)", "s1*(1-s1)")),
    (41, "F", lambda: I9("diff(s1, z1)", "s1")),
    (42, "T", lambda: I9("diff(s1, z2)", "-s1*s2")),
    (43, "F", lambda: I9("diff(s1, z2)", "s1*s2")),
    (44, "T", lambda: I9("exp(z1+c)/(exp(z1+c)+exp(z2+c)+exp(z3+c))", "s1")),
    (45, "F", lambda: I9("exp(c*z1)/(exp(c*z1)+exp(c*z2)+exp(c*z3))", "s1")),
    (49, "T", lambda: K("exp(log(3))/(exp(0)+exp(log(2))+exp(log(3)))", "1/2")),
    (50, "F", lambda: K("exp(log(2))/(exp(0)+exp(log(2))+exp(log(3)))", "1/2")),
    (51, "T", lambda: K("exp(log(2))/(exp(0)+exp(log(2))+exp(log(3)))", "1/3")),
    (57, "T", lambda: _ce("diff(L, z1)", "s1-y1")),
    (58, "F", lambda: _ce("diff(L, z1)", "y1-s1")),
    (59, "F", lambda: _ce("diff(L, z1)", "-y1/s1")),
    (63, "T", lambda: I9("diff(ell(p), p)", "-y/p+(1-y)/(1-p)", "p:U,y:[0,1]")),
    (64, "T", lambda: I9("diff(ell(p), p)", "(p-y)/(p*(1-p))", "p:U,y:[0,1]")),
    (65, "F", lambda: I9("diff(ell(p), p)", "(y-p)/(p*(1-p))", "p:U,y:[0,1]")),
    (66, "F", lambda: I9("diff(ell(p), p)", "-y/p-(1-y)/(1-p)", "p:U,y:[0,1]")),
    (67, "T", lambda: I9("diff(ell(sig(z)), z)", "sig(z)-y", "y:[0,1]")),
    (68, "F", lambda: I9("diff(ell(sig(z)), z)", "y-sig(z)", "y:[0,1]")),
    (74, "T", lambda: LOGB("lg(a*b)", "lg(a)+lg(b)", "a:P,b:P")),
    (75, "F", lambda: LOGB("lg(a+b)", "lg(a)+lg(b)", "a:P,b:P")),
    (76, "T", lambda: LOGB("lg(a/b)", "lg(a)-lg(b)", "a:P,b:P")),
    (77, "T", lambda: LOGB("lg(a**k)", "k*lg(a)", "a:P")),
    (78, "F", lambda: LOGB("lg(a**k)", "lg(a)**k", "a:P")),
    (79, "F", lambda: LOGB("lg(a+b)", "lg(a)*lg(b)", "a:P,b:P")),
    (80, "F", lambda: LOGB("lg(a)/lg(b)", "lg(a/b)", "a:P,b:P")),
    (81, "T", lambda: LOGB("lg(1)", "0")),
    (82, "T", lambda: LOGB("lg(2)+lg(5)", "lg(10)")),
    (83, "T", lambda: LOGB("lg(8)", "3*lg(2)")),
    (84, "F", lambda: LOGB("lg(6)", "lg(2)*lg(3)")),
    (91, "T", _q(lambda A, bv: (_grad((_X.T * A * _X)[0, 0]), (A + A.T) * _X))),
    (92, "F", _q(lambda A, bv: (_grad((_X.T * A * _X)[0, 0]), 2 * A * _X))),
    (93, "T", _q(lambda A, bv: (_grad((_X.T * A * _X)[0, 0]), 2 * A * _X), sym=True)),
    (94, "T", _q(lambda A, bv: (_grad((bv.T * _X)[0, 0]), bv))),
    (95, "T", _q(lambda A, bv: (_grad(_nrm2(_X)), 2 * _X))),
    (96, "F", _q(lambda A, bv: (_grad(_nrm2(_X)), _X))),
    (97, "T", _q(lambda A, bv: (_grad(_nrm2(A * _X - bv)), 2 * A.T * (A * _X - bv)))),
    (98, "F", _q(lambda A, bv: (_grad(_nrm2(A * _X - bv)), 2 * A * (A * _X - bv)))),
    (99, "T", _q(lambda A, bv: (_grad(sqrt(_nrm2(_X))), _X / sqrt(_nrm2(_X))))),
    (100, "T", _q(lambda A, bv: (_hess((_X.T * A * _X)[0, 0]), A + A.T))),
    (101, "F", _q(lambda A, bv: (_hess((_X.T * A * _X)[0, 0]), 2 * A))),
    (102, "T", _q(lambda A, bv: (sum(xi**2 for xi in _X), _X.T * _X))),
    (106, "T", lambda: K("sqrt(3**2+4**2)", "5")),
    (107, "T", lambda: K("Abs(3)+Abs(-4)", "7")),
    (108, "F", lambda: K("Abs(3)+Abs(-4)", "-1")),
    (109, "T", lambda: K("sqrt(1+2**2+2**2)", "3")),
    (110, "F", lambda: K("sqrt(1+2**2+2**2)", "9")),
    (111, "F", lambda: K("sqrt(1+1)", "2")),
    (117, "T", lambda: M(lambda: (_J, Matrix([[2 * x * y, x**2], [5, cos(y)]])), 1)),
    (118, "F", lambda: M(lambda: (_J, Matrix([[2 * x * y, x**2], [5, -cos(y)]])), 1)),
    (122, "T", lambda: M(lambda: (diff(_psi, x, 2), 6 * x), 1)),
    (123, "T", lambda: M(lambda: (diff(_psi, x, y), 6 * y), 1)),
    (124, "F", lambda: M(lambda: (diff(_psi, y, 2), 6 * y), 1)),
    (
        125,
        "T",
        lambda: M(lambda: (sp.hessian(_psi, (x, y)), Matrix([[6 * x, 6 * y], [6 * y, 6 * x]])), 1),
    ),
    (
        126,
        "F",
        lambda: M(lambda: (sp.hessian(_psi, (x, y)), Matrix([[6 * x, 3 * y], [3 * y, 6 * x]])), 1),
    ),
]

# ---- note 10: values given in the note
_V10 = {"x": Rational(3, 2), "y": -1, "w1": 2, "w2": -1}
_W1, _W2, _H, _YH, _Y, _XX = sp.symbols("W1 W2 H Yh Y XX", real=True)
_at10 = {_W1: 2, _W2: -1, _XX: Rational(3, 2), _Y: -1}
_h10 = Max(0, _W1 * _XX)
_yh10 = _W2 * _h10
_L10 = Rational(1, 2) * (_yh10 - _Y) ** 2
_vals10 = {"h": 3, "yh": -3}


def V10(expr):
    """value at the note's numbers"""
    return sp.nsimplify(sp.sympify(expr).subs(_at10))


FILES["10_backprop_gd.md"] = [
    (12, "T", lambda: K("2*(3/2)", "3")),
    (13, "T", lambda: K("Max(0, 3)", "3")),
    (14, "T", lambda: K("(-1)*3", "-3")),
    (15, "T", lambda: K("(1/2)*(-3-(-1))**2", "2")),
    # dL/dyhat = yhat - y as an identity in yhat, y; then its value
    (22, "T", lambda: I_("diff((Yh-Y)**2/2, Yh)", "Yh-Y")),
    (22, "T", lambda: K("-3-(-1)", "-2")),
    (23, "T", lambda: I_("diff((W2*H-Y)**2/2, W2)", "(W2*H-Y)*H")),
    (23, "T", lambda: K("(-3-(-1))*3", "-6")),
    (24, "T", lambda: I_("diff((W2*H-Y)**2/2, H)", "(W2*H-Y)*W2")),
    (24, "T", lambda: K("(-3-(-1))*(-1)", "2")),
    (25, "T", lambda: F(lambda: _eq(V10(diff(_L10, _W1)), V10((_yh10 - _Y) * _W2 * _XX)))),
    (25, "T", lambda: K("(-3-(-1))*(-1)*(3/2)", "3")),
    (31, "F", lambda: F(lambda: _eq(V10(diff(_L10, _W2)), V10((_yh10 - _Y) * _W1)))),
    (31, "T", lambda: K("(-3-(-1))*2", "-4")),
    (32, "F", lambda: F(lambda: _eq(V10(diff(_L10, _W1)), V10((_yh10 - _Y) * _XX)))),
    (32, "T", lambda: K("(-3-(-1))*(3/2)", "-3")),
    (33, "F", lambda: I_("diff((Yh-Y)**2/2, Yh)", "Y-Yh")),
    (34, "T", lambda: F(lambda: _eq(V10(_L10), Rational(1, 2) * (-3 - (-1)) ** 2))),
    (34, "F", lambda: K("(1/2)*(-3-(-1))**2", "4")),
]
_u10 = Matrix([1, 2])
_W10 = Matrix([[1, -1], [0, 2]])
_d10 = Matrix([0, 3])
_V10m = Matrix([[1, 0, 2], [-1, 3, 1]])
_v10 = Matrix([1, 2, -1])
_mm = lambda l_, r_: lambda: M(lambda: (l_, r_), 1)
FILES["10_backprop_gd.md"] += [
    (40, "T", _mm(_W10 * _u10, Matrix([-1, 4]))),
    (41, "F", _mm(_W10 * _u10, Matrix([3, 4]))),
    (42, "T", _mm(_u10.T * _W10, Matrix([[1, 3]]))),
    (43, "F", _mm(_u10.T * _W10, Matrix([[-1, 4]]))),
    (48, "T", _mm(_d10 * _u10.T, Matrix([[0, 0], [3, 6]]))),
    (49, "F", _mm(_u10 * _d10.T, Matrix([[0, 0], [3, 6]]))),
    (50, "T", _mm(_u10 * _d10.T, Matrix([[0, 3], [0, 6]]))),
    (51, "T", _mm(_W10.T * _d10, Matrix([0, 6]))),
    (52, "F", _mm(_W10 * _d10, Matrix([0, 6]))),
    (53, "T", _mm(_W10 * _d10, Matrix([-3, 6]))),
    (59, "T", _mm(_V10m * _v10, Matrix([-1, 4]))),
    (60, "F", _mm(_V10m * _v10, Matrix([-1, 6]))),
    (61, "T", _mm(_V10m * _V10m.T, Matrix([[5, 1], [1, 11]]))),
    (62, "F", _mm(_V10m * _V10m.T, _V10m.T * _V10m)),
]
_th = sp.Symbol("th", real=True)
_Jf = 2 * _th**2
_Jp = lambda v_: diff(_Jf, _th).subs(_th, v_)
_eta = Rational(1, 10)
_t0 = Rational(1, 2)
_t1 = _t0 - _eta * _Jp(_t0)
_t2 = _t1 - _eta * _Jp(_t1)
FILES["10_backprop_gd.md"] += [
    (68, "T", lambda: I_("diff(2*th**2, th)", "4*th")),
    (69, "T", lambda: F(lambda: _eq(_Jp(_t0), 2))),
    (70, "F", lambda: F(lambda: _eq(_Jp(_t0), 1))),
    (74, "T", lambda: F(lambda: _eq(_t0 - _eta * _Jp(_t0), Rational("0.5") - Rational("0.1") * 2))),
    (74, "T", lambda: K('Rational("0.5")-Rational("0.1")*2', 'Rational("0.3")')),
    (
        75,
        "T",
        lambda: F(
            lambda: _eq(_t1 - _eta * _Jp(_t1), Rational("0.3") - Rational("0.1") * Rational("1.2"))
        ),
    ),
    (75, "T", lambda: K('Rational("0.3")-Rational("0.1")*Rational("1.2")', 'Rational("0.18")')),
    (
        76,
        "T",
        lambda: F(
            lambda: _eq(
                _t2 - _eta * _Jp(_t2), Rational("0.18") - Rational("0.1") * Rational("0.72")
            )
        ),
    ),
    (76, "T", lambda: K('Rational("0.18")-Rational("0.1")*Rational("0.72")', 'Rational("0.108")')),
    (80, "F", lambda: K('Rational("0.5")-Rational("0.1")*2', 'Rational("0.48")')),
    (81, "F", lambda: K('Rational("0.18")-Rational("0.1")*Rational("0.72")', 'Rational("0.118")')),
    (82, "F", lambda: F(lambda: _eq(_t2, Rational("0.24")))),
    (83, "T", lambda: F(lambda: _eq(1 - 4 * _eta, Rational("0.6")))),
    (84, "F", lambda: F(lambda: _eq(1 - 4 * _eta, Rational("0.4")))),
]

_n = sp.Symbol("n", positive=True, integer=True)
FILES["11_euler_e.md"] = [
    (9, "T", lambda: K("I**2", "-1")),
    (13, "T", lambda: K("exp(I*pi)+1", "0")),
    (14, "F", lambda: K("exp(I*pi)", "1")),
    (15, "T", lambda: K("exp(I*pi/2)", "I")),
    (16, "T", lambda: K("exp(2*pi*I)", "1")),
    (17, "T", lambda: I_("exp(I*theta)", "cos(theta)+I*sin(theta)")),
    (18, "F", lambda: I_("exp(I*theta)", "cos(theta)-I*sin(theta)")),
    (19, "T", lambda: I_("exp(-I*theta)", "cos(theta)-I*sin(theta)")),
    (20, "T", lambda: I_("cos(theta)", "(exp(I*theta)+exp(-I*theta))/2")),
    (21, "F", lambda: I_("sin(theta)", "(exp(I*theta)-exp(-I*theta))/2")),
    (22, "T", lambda: I_("sin(theta)", "(exp(I*theta)-exp(-I*theta))/(2*I)")),
    (23, "T", lambda: I_("Abs(exp(I*theta))", "1")),
    (24, "F", lambda: K("I**3", "I")),
    (25, "T", lambda: K("I**3", "-I")),
    (26, "T", lambda: K("(1+I)**2", "2*I")),
    (27, "F", lambda: K("(1+I)**2", "2")),
    (28, "T", lambda: K("1/I", "-I")),
    (29, "T", lambda: I_("(cos(theta)+I*sin(theta))**3", "cos(3*theta)+I*sin(3*theta)")),
    (33, "T", lambda: I_("diff(exp(2*x), x)", "2*exp(2*x)")),
    (34, "F", lambda: I_("diff(exp(2*x), x)", "exp(2*x)")),
    (35, "T", lambda: I_("diff(exp(x**2), x)", "2*x*exp(x**2)")),
    (36, "F", lambda: I_("diff(exp(x**2), x)", "x**2*exp(x**2-1)")),
    (37, "T", lambda: I_("diff(exp(sin(x)), x)", "cos(x)*exp(sin(x))")),
    (38, "T", lambda: I_("diff(x*exp(-x), x)", "(1-x)*exp(-x)")),
    (39, "F", lambda: I_("diff(2**x, x)", "2**x")),
    (40, "T", lambda: I_("diff(2**x, x)", "2**x*log(2)")),
    (41, "T", lambda: K("integrate(exp(x), (x, 0, 1))", "E-1")),
    (42, "F", lambda: K("integrate(exp(x), (x, 0, 1))", "E")),
    (43, "T", lambda: I_("exp(a+b)", "exp(a)*exp(b)")),
    (44, "F", lambda: I_("exp(a*b)", "exp(a)*exp(b)")),
    (45, "T", lambda: I_("(exp(a))**b", "exp(a*b)")),
    (46, "T", lambda: K("exp(log(3)+log(4))", "12")),
    (47, "F", lambda: K("exp(log(3)+log(4))", "7")),
    (48, "F", lambda: I_("exp(-x)", "-exp(x)")),
    (49, "T", lambda: I_("exp(-x)", "1/exp(x)")),
    (50, "T", lambda: F(lambda: _eq(limit((1 + 1 / _n) ** _n, _n, oo), E))),
    (51, "F", lambda: F(lambda: _eq(limit((1 + 2 / _n) ** _n, _n, oo), E))),
    (52, "T", lambda: K("Sum(1/factorial(k), (k, 0, oo)).doit()", "E")),
    (53, "T", lambda: K("log(exp(2))", "2")),
    (54, "T", lambda: I_("exp(2*log(x))", "x**2", "x:P")),
    (55, "F", lambda: I_("exp(2*log(x))", "2*x", "x:P")),
]

_C12 = {
    "q": _fn("x**3 - 2*x"),
    "ell": _fn("(w - 3)**2", "w"),
    "LL": _fn("(w*a - t)**2/2", "w"),
    "r": _fn("theta*sin(theta)", "theta"),
    "p": _fn("log(1 + exp(x))"),
    "u": _fn("sqrt(1 + x**2)"),
    "Q": _fn("exp(-w)*cos(w)", "w"),
    "v": _fn("exp(-t**2)", "t"),
    "FF": _fn("integrate(s**2, (s, 0, x))"),
    "G": _fn("sin(x**2)"),
    "H": _fn("log(cos(x))"),
}


def I12(lhs, rhs, dom=""):
    return I_(lhs, rhs, dom, ctx=_C12)


def d1(fn, var="x"):
    return "diff(%s(%s), %s)" % (fn, var, var)


FILES["12_defined_then_differentiated.md"] = [
    (9, "T", lambda: I12(d1("q"), "3*x**2-2")),
    (10, "F", lambda: I12(d1("q"), "3*x**2-2*x")),
    (11, "T", lambda: I12("diff(q(x), x, 2)", "6*x")),
    (12, "T", lambda: I12(d1("q") + ".subs(x, 1)", "1")),
    (13, "F", lambda: I12(d1("q") + ".subs(x, 1)", "3")),
    (14, "T", lambda: I12("q(-x)", "-q(x)")),
    (20, "T", lambda: I12(d1("ell", "w"), "2*(w-3)")),
    (21, "F", lambda: I12(d1("ell", "w"), "2*w-3")),
    (22, "T", lambda: I12(d1("ell", "w") + ".subs(w, 3)", "0")),
    (23, "F", lambda: I12(d1("ell", "w") + ".subs(w, 0)", "6")),
    (27, "T", lambda: I12(d1("LL", "w"), "(w*a-t)*a")),
    (28, "F", lambda: I12(d1("LL", "w"), "w*a-t")),
    (29, "T", lambda: I12(d1("LL", "w"), "a*(w*a-t)")),
    (30, "T", lambda: I12("diff(LL(w), w, 2)", "a**2")),
    (31, "F", lambda: I12("diff(LL(w), w, 2)", "a")),
    (37, "T", lambda: I12(d1("r", "theta"), "sin(theta)+theta*cos(theta)")),
    (38, "F", lambda: I12(d1("r", "theta"), "cos(theta)")),
    (42, "T", lambda: I12(d1("p"), "exp(x)/(1+exp(x))")),
    (43, "F", lambda: I12(d1("p"), "1/(1+exp(x))")),
    (44, "T", lambda: I12("p(0)", "log(2)")),
    (45, "T", lambda: I12("p(x)-p(-x)", "x")),
    (46, "F", lambda: I12("p(x)+p(-x)", "x")),
    (50, "T", lambda: I12(d1("u"), "x/sqrt(1+x**2)")),
    (51, "F", lambda: I12(d1("u"), "1/(2*sqrt(1+x**2))")),
    (52, "T", lambda: I12("u(x)*" + d1("u"), "x")),
    (56, "T", lambda: I12(d1("Q", "w"), "-exp(-w)*(cos(w)+sin(w))")),
    (57, "F", lambda: I12(d1("Q", "w"), "exp(-w)*(sin(w)-cos(w))")),
    (58, "T", lambda: I12(d1("Q", "w") + ".subs(w, 0)", "-1")),
    (62, "T", lambda: I12(d1("v", "t"), "-2*t*exp(-t**2)")),
    (63, "F", lambda: I12(d1("v", "t"), "-2*t*exp(-2*t)")),
    (64, "T", lambda: I12("diff(v(t), t, 2)", "(4*t**2-2)*exp(-t**2)")),
    (65, "F", lambda: I12("diff(v(t), t, 2)", "4*t**2*exp(-t**2)")),
    (71, "T", lambda: I12(d1("FF"), "x**2")),
    (72, "T", lambda: I12("FF(x)", "x**3/3")),
    (73, "T", lambda: I12("FF(3)", "9")),
    (74, "F", lambda: I12("FF(3)", "27")),
    (75, "F", lambda: I12(d1("FF"), "x**3/3")),
    (81, "T", lambda: I12(d1("G"), "2*x*cos(x**2)")),
    (82, "F", lambda: I12(d1("G"), "cos(2*x)")),
    (83, "T", lambda: I12(d1("H"), "-tan(x)", "x:[-1.5,1.5]")),
    (84, "F", lambda: I12(d1("H"), "1/cos(x)", "x:[-1.5,1.5]")),
]

# ---- note 13: data given in the note, then general m
_xd = [2, 5, 8]
_nd = 3
_xbar = Rational(sum(_xd), _nd)
_yd = [2, 4, 5]
_yh = [2, 3, 6]
FILES["13_data_sums.md"] = [
    (9, "T", lambda: F(lambda: sum(_xd) == 15)),
    (10, "T", lambda: F(lambda: sum(_xd[:_nd]) == 15)),
    (11, "T", lambda: F(lambda: _xbar == 5)),
    (12, "F", lambda: F(lambda: _xbar == Rational(15, 2))),
    (13, "T", lambda: F(lambda: Rational(sum((xi - _xbar) ** 2 for xi in _xd), _nd) == 6)),
    (14, "F", lambda: F(lambda: Rational(sum((xi - _xbar) ** 2 for xi in _xd), _nd) == 9)),
    (15, "T", lambda: F(lambda: Rational(sum((xi - _xbar) ** 2 for xi in _xd), _nd - 1) == 9)),
    (16, "T", lambda: F(lambda: sum(xi**2 for xi in _xd) == 93)),
    (17, "F", lambda: F(lambda: sum(xi**2 for xi in _xd) == 225)),
    (18, "T", lambda: F(lambda: sum(xi**2 for xi in _xd) - _nd * _xbar**2 == 18)),
    (19, "T", lambda: F(lambda: sum(xi - _xbar for xi in _xd) == 0)),
    (
        23,
        "T",
        lambda: F(
            lambda: Rational(sum((p_ - q_) ** 2 for p_, q_ in zip(_yd, _yh)), 3) == Rational(2, 3)
        ),
    ),
    (24, "F", lambda: F(lambda: Rational(sum((p_ - q_) ** 2 for p_, q_ in zip(_yd, _yh)), 3) == 0)),
    (25, "T", lambda: K("((2-2)**2+(4-3)**2+(5-6)**2)/3", "2/3")),
    (
        26,
        "T",
        lambda: F(
            lambda: Rational(sum(abs(p_ - q_) for p_, q_ in zip(_yd, _yh)), 3) == Rational(2, 3)
        ),
    ),
    (27, "T", lambda: F(lambda: sum(p_ - q_ for p_, q_ in zip(_yd, _yh)) == 0)),
]
_Ai = sp.IndexedBase("A")
_Bi = sp.IndexedBase("B")
_i = sp.Symbol("i", integer=True)


def _gen(fn, ms=range(1, 7)):
    """general data a_1..a_m, b_1..b_m: symbolic in the entries, m = 1..6"""

    def run():
        for m in ms:
            av = sp.symbols("a1:%d" % (m + 1), real=True)
            bv = sp.symbols("b1:%d" % (m + 1), real=True)
            abar = sum(av) / sp.Integer(m)
            if not _eq(*fn(m, av, bv, abar)):
                return False
        return True

    return run


_w = sp.Symbol("w", real=True)
_cc = sp.Symbol("c", real=True)


def _mse(m, av, bv):
    return sum((bv[k] - _w * av[k]) ** 2 for k in range(m)) / sp.Integer(m)


FILES["13_data_sums.md"] += [
    (33, "T", _gen(lambda m, av, bv, ab: (sum(ak - ab for ak in av), 0))),
    (
        34,
        "T",
        _gen(
            lambda m, av, bv, ab: (
                sum((ak - ab) ** 2 for ak in av),
                sum(ak**2 for ak in av) - m * ab**2,
            )
        ),
    ),
    (
        35,
        "F",
        _gen(
            lambda m, av, bv, ab: (
                sum((ak - ab) ** 2 for ak in av),
                sum(ak**2 for ak in av) - ab**2,
            )
        ),
    ),
    (36, "T", _gen(lambda m, av, bv, ab: (sum(_cc * ak for ak in av), _cc * sum(av)))),
    (37, "F", _gen(lambda m, av, bv, ab: (sum(ak**2 for ak in av), sum(av) ** 2))),
    (38, "F", _gen(lambda m, av, bv, ab: (sum(ak + 1 for ak in av), sum(av) + 1))),
    (39, "T", _gen(lambda m, av, bv, ab: (sum(ak + 1 for ak in av), sum(av) + m))),
    (
        43,
        "T",
        _gen(
            lambda m, av, bv, ab: (
                diff(_mse(m, av, bv), _w),
                -Rational(2, m) * sum(av[k] * (bv[k] - _w * av[k]) for k in range(m)),
            )
        ),
    ),
    (
        44,
        "F",
        _gen(
            lambda m, av, bv, ab: (
                diff(_mse(m, av, bv), _w),
                -Rational(1, m) * sum(av[k] * (bv[k] - _w * av[k]) for k in range(m)),
            )
        ),
    ),
    (
        45,
        "F",
        _gen(
            lambda m, av, bv, ab: (
                diff(_mse(m, av, bv), _w),
                Rational(2, m) * sum(av[k] * (bv[k] - _w * av[k]) for k in range(m)),
            )
        ),
    ),
    (
        46,
        "T",
        _gen(
            lambda m, av, bv, ab: (
                diff(_mse(m, av, bv), _w, 2),
                Rational(2, m) * sum(ak**2 for ak in av),
            )
        ),
    ),
    (
        47,
        "F",
        _gen(lambda m, av, bv, ab: (diff(_mse(m, av, bv), _w, 2), Rational(2, m) * sum(av) ** 2)),
    ),
]

# --------------------------------------------------------------- main
CATEGORY = {
    "01_domains_roots_logs.md": "a. domains",
    "02_domains_trig_abs_max.md": "a. domains",
    "03_assumed_positive.md": "a. domains",
    "04_magnitudes.md": "b. magnitudes",
    "05_matrices.md": "c. matrices/vectors",
    "06_vectors_forms.md": "c. matrices/vectors",
    "07_note_state.md": "d. note state",
    "08_ellipses.md": "e. ellipses",
    "09_ml_derivatives.md": "f. ML notation",
    "10_backprop_gd.md": "f. ML notation",
    "13_data_sums.md": "f. ML notation",
    "11_euler_e.md": "g. e / defined functions",
    "12_defined_then_differentiated.md": "g. e / defined functions",
}

EXPECT = re.compile(r"%%\s*expect:\s*([^%]*)%%")


def read_labels():
    labels = {}
    for fn in sorted(os.listdir(HERE)):
        if not re.match(r"\d\d_.*\.md$", fn):
            continue
        with open(os.path.join(HERE, fn), encoding="utf-8") as fh:
            for no, line in enumerate(fh, 1):
                m = EXPECT.search(line)
                if m:
                    labs = [s.strip() for s in m.group(1).split(",") if s.strip()]
                    labels[(fn, no)] = labs
    return labels


def main():
    labels = read_labels()
    errors = []
    counts = {}
    for (fn, no), labs in labels.items():
        cat = CATEGORY.get(fn, "?")
        for lab in labs:
            counts.setdefault(cat, {}).setdefault(lab, 0)
            counts[cat][lab] += 1
        for lab in labs:
            if lab not in ("true", "false", "skip", "def"):
                errors.append("%s:%d: unknown label %r" % (fn, no, lab))
    # every true/false label listed, every entry at a true/false label
    listed = {}
    for fn, entries in FILES.items():
        if fn not in CATEGORY:
            errors.append("%s: no category" % fn)
        for ent in entries:
            no, exp_lab = ent[0], ent[1]
            listed.setdefault((fn, no), []).append(exp_lab)
    for key, labs in labels.items():
        tf = ["T" if l == "true" else "F" for l in labs if l in ("true", "false")]
        got = listed.get(key, [])
        if tf != got:
            errors.append("%s:%d: note has %s, script lists %s" % (key[0], key[1], tf, got))
    for key in listed:
        if key not in labels:
            errors.append("%s:%d: listed in script, no expect comment there" % key)
    # run the checks
    confirmed = {"T": 0, "F": 0}
    for fn, entries in FILES.items():
        for ent in entries:
            no, exp_lab, check = ent
            try:
                holds = check()
            except Exception as exc:  # noqa: BLE001
                errors.append("%s:%d: check raised %s: %s" % (fn, no, type(exc).__name__, exc))
                continue
            if holds != (exp_lab == "T"):
                errors.append(
                    "%s:%d: label %s but the check says the claim %s"
                    % (fn, no, "true" if exp_lab == "T" else "false", "holds" if holds else "fails")
                )
            else:
                confirmed[exp_lab] += 1
    print("%-28s %6s %6s %6s %6s" % ("category", "true", "false", "skip", "def"))
    tot = {}
    for cat in sorted(counts):
        row = counts[cat]
        print(
            "%-28s %6d %6d %6d %6d"
            % (cat, row.get("true", 0), row.get("false", 0), row.get("skip", 0), row.get("def", 0))
        )
        for k, v in row.items():
            tot[k] = tot.get(k, 0) + v
    print(
        "%-28s %6d %6d %6d %6d"
        % ("total", tot.get("true", 0), tot.get("false", 0), tot.get("skip", 0), tot.get("def", 0))
    )
    print("confirmed: %d true, %d false" % (confirmed["T"], confirmed["F"]))
    if errors:
        print("\n%d problem(s):" % len(errors))
        for e in errors:
            print("  " + e)
        return 1
    print("all true/false labels confirmed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
