#!/usr/bin/env python3
"""Independent label check for the blind ML-notes corpus (verify_ml_blind).

Plain SymPy/mpmath only; the mathvault checker is neither imported nor run.
For every `true`/`false` label in the notes of this folder, ENTRIES[file]
holds one entry (snippet, 'T'/'F', check), in reading order:

* the k-th entry of a file belongs to the k-th true/false label of that file
  (def/skip labels are not counted); `snippet` must occur on that label's line,
  which guards against misaligned entries;
* `check()` is a hand-written SymPy encoding of the claim and returns whether
  the claim holds (over the reals, under the conditions the note states).

Kinds of checks:
* I(lhs, rhs, dom): identity in variables, compared at >= 8 random points of
  the stated domain at 40 digits (complex values allowed, principal branches:
  ln of a negative number is evaluated, not dropped);
* K(lhs, rhs): constant claim, exact SymPy arithmetic (decimals read as exact
  rationals), then a 100-digit evaluation;
* matrix/vector claims: explicit sympy Matrix arithmetic, random integer
  (non-commuting, non-symmetric) matrices for the general ones, both 3x3 and
  the declared size;
* data sums: written out with the note's data, or for m = 1..6 with symbols;
* \\dots patterns: instantiated for n = 1..7; infinite series: sympy summation
  (and convergence tests for divergent ones).

Exit status 0 iff every label is confirmed and the entries align with the notes.
"""

import os
import random
import re
import sys

import sympy as sp
from sympy import (
    Abs,
    E,
    Lambda,
    Matrix,
    Max,
    Rational,
    Sum,
    diff,
    exp,
    eye,
    oo,
    pi,
    sqrt,
    tanh,
)

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = random.Random(1234567)
R = Rational

# ------------------------------------------------------------------ samplers
SAMPLERS = {
    "R": (lambda: RNG.choice([-1, 1]) * RNG.uniform(0.05, 4.0), dict(real=True)),
    "P": (lambda: RNG.uniform(0.05, 4.0), dict(positive=True)),
    "N": (lambda: -RNG.uniform(0.05, 4.0), dict(negative=True)),
    "U": (lambda: RNG.uniform(0.02, 0.98), dict(positive=True)),  # (0, 1)
    "B": (lambda: RNG.uniform(-0.95, 0.95), dict(real=True)),  # |x| < 1
}


def _parse_dom(dom):
    """'x:P,w:[3,8]' -> {name: (sampler, assumptions)}"""
    out = {}
    for name, kind in re.findall(r"(\w+):(\[[^\]]*\]|\w+)", dom or ""):
        if kind.startswith("["):
            lo, hi = [float(v) for v in kind[1:-1].split(",")]
            out[name] = ((lambda lo=lo, hi=hi: RNG.uniform(lo, hi)), dict(real=True))
        else:
            out[name] = SAMPLERS[kind]
    return out


_t = sp.Dummy("t")
SIG = Lambda(_t, 1 / (1 + exp(-_t)))
RELU = Lambda(_t, Max(0, _t))

FUNCS = {
    "sig": SIG,
    "relu": RELU,
    "ln": sp.log,
    "log": sp.log,
    "exp": exp,
    "sqrt": sqrt,
    "Abs": Abs,
    "Max": Max,
    "tanh": tanh,
    "cos": sp.cos,
    "sin": sp.sin,
    "diff": diff,
    "pi": pi,
    "E": E,
    "Rational": Rational,
}


def _names(text):
    return set(re.findall(r"(?<![\w.])([a-zA-Z_]\w*)", text)) - set(FUNCS)


def _close(a, b):
    return abs(a - b) <= 1e-25 * max(1.0, abs(a), abs(b))


def I(lhs, rhs, dom="", ctx=None, npts=20):
    """Identity in variables: True iff both sides agree at every usable sample."""
    doms = _parse_dom(dom)
    loc = dict(FUNCS)
    loc.update(ctx or {})
    syms = {}
    for nm in (_names(lhs) | _names(rhs)) - set(ctx or {}):
        samp, assum = doms.get(nm, SAMPLERS["R"])
        syms[nm] = (sp.Symbol(nm, **assum), samp)
        loc[nm] = syms[nm][0]
    L = sp.sympify(lhs, locals=loc)
    Rr = sp.sympify(rhs, locals=loc)
    good = 0
    for _ in range(npts):
        vals = {s: sp.Float(samp(), 40) for s, samp in syms.values()}
        try:
            a = complex(sp.N(L.subs(vals), 40))
            b = complex(sp.N(Rr.subs(vals), 40))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if any(v != v or abs(v) == float("inf") for v in (a, b)):
            continue
        good += 1
        if not _close(a, b):
            return False
    if good < 8:
        raise RuntimeError("too few usable points: %s = %s" % (lhs, rhs))
    return True


def K(lhs, rhs, ctx=None):
    """Constant claim, exact."""
    loc = dict(FUNCS)
    loc.update(ctx or {})
    d = sp.sympify(lhs, locals=loc, rational=True) - sp.sympify(rhs, locals=loc, rational=True)
    if d.free_symbols:
        raise RuntimeError("free symbols in constant claim %s = %s" % (lhs, rhs))
    if d == 0 or sp.simplify(d) == 0:
        return True
    v = sp.N(d, 100)
    if abs(v) > sp.Float("1e-80"):
        return False
    raise RuntimeError("cannot decide %s = %s" % (lhs, rhs))


def EQ(a, b):
    """Exact equality of sympy objects (matrices must have the same shape;
    a 1x1 matrix equals its entry)."""
    if isinstance(a, sp.MatrixBase) and a.shape == (1, 1) and not isinstance(b, sp.MatrixBase):
        a = a[0, 0]
    if isinstance(b, sp.MatrixBase) and b.shape == (1, 1) and not isinstance(a, sp.MatrixBase):
        b = b[0, 0]
    if isinstance(a, sp.MatrixBase) != isinstance(b, sp.MatrixBase):
        return False
    if isinstance(a, sp.MatrixBase):
        if a.shape != b.shape:
            return False
        return all(sp.simplify(sp.expand(x - y)) == 0 for x, y in zip(a, b))
    return sp.simplify(sp.expand(a - b)) == 0


def MT(fn):
    """fn() -> (lhs, rhs); a wrong-shape product (ShapeError) means the claim fails."""

    def run():
        try:
            lhs, rhs = fn()
        except sp.ShapeError:
            return False
        return EQ(lhs, rhs)

    return run


def rmat(n, m=None, invertible=False):
    m = n if m is None else m
    while True:
        A = Matrix(n, m, lambda i, j: RNG.randint(-5, 5))
        if invertible and A.det() == 0:
            continue
        if n == m and A == A.T:
            continue
        return A


def MG(fn, shapes, trials=6, invertible=False):
    """General matrix identity: fn(*mats) -> (lhs, rhs), random integer matrices
    of the given shapes; True iff it holds in every trial."""

    def run():
        for _ in range(trials):
            mats = [rmat(*s, invertible=invertible) for s in shapes]
            try:
                lhs, rhs = fn(*mats)
            except sp.ShapeError:
                return False
            if not EQ(lhs, rhs):
                return False
        return True

    return run


def col(*v):
    return Matrix([[sp.nsimplify(x)] for x in v])


def row(*v):
    return Matrix([[sp.nsimplify(x) for x in v]])


def mat(rows):
    return Matrix([[sp.nsimplify(x) for x in r] for r in rows])


def norm2(v):
    return sqrt(sum(x**2 for x in v))


def grad(f, xs):
    return Matrix([diff(f, x) for x in xs])


def hess(f, xs):
    return Matrix(len(xs), len(xs), lambda i, j: diff(f, xs[i], xs[j]))


ENTRIES = {}

# ============================================================ 01
W1_ = mat([[1, 2, 0], [0, -1, 3]])
x1_ = col(2, 1, -1)
b1_ = col(1, 1)
u1_ = col(1, -1)
ENTRIES["01_vectors_matrices_shapes.md"] = [
    (r"W\mathbf{x} = \begin{bmatrix}4\\ -4", "T", MT(lambda: (W1_ * x1_, col(4, -4)))),
    (r"W\mathbf{x} = \begin{bmatrix}4\\ -2", "F", MT(lambda: (W1_ * x1_, col(4, -2)))),
    (r"+ \mathbf{b} = \begin{bmatrix}5\\ -3", "T", MT(lambda: (W1_ * x1_ + b1_, col(5, -3)))),
    (r"+ \mathbf{b} = \begin{bmatrix}5\\ -5", "F", MT(lambda: (W1_ * x1_ + b1_, col(5, -5)))),
    (r"2W =", "T", MT(lambda: (2 * W1_, mat([[2, 4, 0], [0, -2, 6]])))),
    (r"W^T\mathbf{u} = \begin{bmatrix}1\\ 3", "T", MT(lambda: (W1_.T * u1_, col(1, 3, -3)))),
    (r"W^T\mathbf{u} = \begin{bmatrix}1\\ 1", "F", MT(lambda: (W1_.T * u1_, col(1, 1, 3)))),
    (r"\mathbf{u}^T W = \begin{bmatrix}1 & 3", "T", MT(lambda: (u1_.T * W1_, row(1, 3, -3)))),
    (r"\mathbf{u}^T W = \begin{bmatrix}1 & -1", "F", MT(lambda: (u1_.T * W1_, row(1, -1)))),
    (r"W\mathbf{x} = 8", "T", MT(lambda: (u1_.T * W1_ * x1_, 8))),
    (r"W\mathbf{x} = 0", "F", MT(lambda: (u1_.T * W1_ * x1_, 0))),
    (r"\mathbf{x}^T\mathbf{x} = 6", "T", MT(lambda: (x1_.T * x1_, 6))),
    (r"\mathbf{x}\mathbf{x}^T = 6", "F", MT(lambda: (x1_ * x1_.T, 6))),
    (r"\\ -2 & -1 & 1", "T", MT(lambda: (x1_ * x1_.T, mat([[4, 2, -2], [2, 1, -1], [-2, -1, 1]])))),
    (r"\\ 2 & 1 & 1\end", "F", MT(lambda: (x1_ * x1_.T, mat([[4, 2, 2], [2, 1, 1], [2, 1, 1]])))),
    (r"WW^T = \begin{bmatrix}5", "T", MT(lambda: (W1_ * W1_.T, mat([[5, -2], [-2, 10]])))),
    (
        r"WW^T = \begin{bmatrix}1 & 2 & 0",
        "F",
        MT(lambda: (W1_ * W1_.T, mat([[1, 2, 0], [2, 5, -3], [0, -3, 9]]))),
    ),
    (
        r"W^TW = \begin{bmatrix}1 & 2 & 0\\ 2 & 5 & -3",
        "T",
        MT(lambda: (W1_.T * W1_, mat([[1, 2, 0], [2, 5, -3], [0, -3, 9]]))),
    ),
    (
        r"W^TW = \begin{bmatrix}1 & 2 & 0\\ 2 & 5 & 3",
        "F",
        MT(lambda: (W1_.T * W1_, mat([[1, 2, 0], [2, 5, 3], [0, 3, 9]]))),
    ),
    (r"W^TW = WW^T", "F", MT(lambda: (W1_.T * W1_, W1_ * W1_.T))),
    (
        r"\operatorname{tr}(WW^T) = \operatorname{tr}(W^TW)",
        "T",
        MT(lambda: ((W1_ * W1_.T).trace(), (W1_.T * W1_).trace())),
    ),
    (r"\operatorname{tr}(WW^T) = 15", "T", MT(lambda: ((W1_ * W1_.T).trace(), 15))),
    (r"\operatorname{tr}(W^TW) = 14", "F", MT(lambda: ((W1_.T * W1_).trace(), 14))),
    (r"\det(WW^T) = 46", "T", MT(lambda: ((W1_ * W1_.T).det(), 46))),
    (r"\det(WW^T) = 54", "F", MT(lambda: ((W1_ * W1_.T).det(), 54))),
    (r"\det(W^TW) = 0", "T", MT(lambda: ((W1_.T * W1_).det(), 0))),
    (r"(W\mathbf{x})^T = \mathbf{x}^T W^T", "T", MT(lambda: ((W1_ * x1_).T, x1_.T * W1_.T))),
    (r"(W\mathbf{x})^T = \begin{bmatrix}4 & -4", "T", MT(lambda: ((W1_ * x1_).T, row(4, -4)))),
    (r"(W^T)^T = W", "T", MT(lambda: (W1_.T.T, W1_))),
    # general matrices: A, B 3x3 invertible, C 2x2
    (r"(AB)^T = B^TA^T", "T", MG(lambda A, B: ((A * B).T, B.T * A.T), [(3,), (3,)])),
    (r"(AB)^T = A^TB^T", "F", MG(lambda A, B: ((A * B).T, A.T * B.T), [(3,), (3,)])),
    (
        r"(A^T)^{-1} = (A^{-1})^T",
        "T",
        MG(lambda A: (A.T.inv(), A.inv().T), [(3,)], invertible=True),
    ),
    (
        r"(AB)^{-1} = A^{-1}B^{-1}",
        "F",
        MG(lambda A, B: ((A * B).inv(), A.inv() * B.inv()), [(3,), (3,)], invertible=True),
    ),
    (
        r"(AB)^{-1} = B^{-1}A^{-1}",
        "T",
        MG(lambda A, B: ((A * B).inv(), B.inv() * A.inv()), [(3,), (3,)], invertible=True),
    ),
    (r"\det(-A) = -\det A", "T", MG(lambda A: ((-A).det(), -A.det()), [(3,)], invertible=True)),
    (r"\det(-C) = -\det C", "F", MG(lambda C: ((-C).det(), -C.det()), [(2,)], invertible=True)),
    (
        r"\det(2A) = 8\det A",
        "T",
        MG(lambda A: ((2 * A).det(), 8 * A.det()), [(3,)], invertible=True),
    ),
    (
        r"\det(2A) = 2\det A",
        "F",
        MG(lambda A: ((2 * A).det(), 2 * A.det()), [(3,)], invertible=True),
    ),
    (r"\det(2C) = 4\det C", "T", MG(lambda C: ((2 * C).det(), 4 * C.det()), [(2,)])),
    (
        r"\operatorname{tr}(AB) = \operatorname{tr}(BA)",
        "T",
        MG(lambda A, B: ((A * B).trace(), (B * A).trace()), [(3,), (3,)]),
    ),
    (
        r"\operatorname{tr}(A)\operatorname{tr}(B)",
        "F",
        MG(lambda A, B: ((A * B).trace(), A.trace() * B.trace()), [(3,), (3,)]),
    ),
    (r"\det(A^TA) = (\det A)^2", "T", MG(lambda A: ((A.T * A).det(), A.det() ** 2), [(3,)])),
    (
        r"\det(A + B) = \det A + \det B",
        "F",
        MG(lambda A, B: ((A + B).det(), A.det() + B.det()), [(3,), (3,)], invertible=True),
    ),
    (r"A(B + I) = AB + A", "T", MG(lambda A, B: (A * (B + eye(3)), A * B + A), [(3,), (3,)])),
    (r"(A + B)^T = A^T + B^T", "T", MG(lambda A, B: ((A + B).T, A.T + B.T), [(3,), (3,)])),
    (r"(A^TA)^T = A^TA", "T", MG(lambda A: ((A.T * A).T, A.T * A), [(3,)])),
    (r"(A^TA)^T = AA^T", "F", MG(lambda A: ((A.T * A).T, A * A.T), [(3,)], invertible=True)),
    (
        r"\operatorname{tr}(A^T) = \operatorname{tr}(A)",
        "T",
        MG(lambda A: (A.T.trace(), A.trace()), [(3,)]),
    ),
]

# ============================================================ 02
x2_ = col(1, -2, 2)
y2_ = col(2, 1, 0)
A2_ = mat([[2, 1], [1, 3]])
z2_ = col(1, -1)
B2_ = mat([[1, 4], [0, 2]])
X1, X2 = sp.symbols("x_1 x_2", real=True)
xv2_ = col(X1, X2)


def norm1(v):
    return sum(abs(x) for x in v)


def UV(fn, n_list=(2, 3, 4)):
    """vector identity for symbolic u, v in R^n (n = 2, 3, 4): fn(u, v) -> (lhs, rhs)."""

    def run():
        for n in n_list:
            u = Matrix(sp.symbols("u1:%d" % (n + 1), real=True))
            v = Matrix(sp.symbols("v1:%d" % (n + 1), real=True))
            lhs, rhs = fn(u, v)
            if not EQ(lhs, rhs):
                return False
        return True

    return run


def n2(v):
    return (v.T * v)[0, 0]


def nrm(v):
    return sqrt(n2(v))


def MW(fn, trials=5):
    """fn(M, w) with M random 3x3 (non-symmetric) and w symbolic in R^3."""
    w = Matrix(sp.symbols("w1:4", real=True))
    return MG(lambda M: fn(M, w), [(3,)], trials=trials)


ENTRIES["02_norms_quadratic_forms.md"] = [
    (r"\|\mathbf{x}\|_2 = 3", "T", MT(lambda: (norm2(x2_), 3))),
    (r"\|\mathbf{x}\|_2 = 9", "F", MT(lambda: (norm2(x2_), 9))),
    (r"\|\mathbf{x}\|_2^2 = 9", "T", MT(lambda: (norm2(x2_) ** 2, 9))),
    (r"\|\mathbf{x}\|_1 = 5", "T", MT(lambda: (norm1(x2_), 5))),
    (r"\|\mathbf{x}\|_1 = 1", "F", MT(lambda: (norm1(x2_), 1))),
    (r"\|\mathbf{x}\|_\infty = 2", "T", MT(lambda: (max(abs(v) for v in x2_), 2))),
    (r"\|2\mathbf{x}\|_2 = 6", "T", MT(lambda: (norm2(2 * x2_), 6))),
    (r"\|-\mathbf{x}\|_2 = -3", "F", MT(lambda: (norm2(-x2_), -3))),
    (r"1/3\\ -2/3", "T", MT(lambda: (x2_ / norm2(x2_), col(R(1, 3), R(-2, 3), R(2, 3))))),
    (r"1/9\\ -2/9", "F", MT(lambda: (x2_ / norm2(x2_), col(R(1, 9), R(-2, 9), R(2, 9))))),
    (r"\mathbf{x}^T\mathbf{y} = 0", "T", MT(lambda: (x2_.T * y2_, 0))),
    (r"\|\mathbf{y}\|_2^2 = 5", "T", MT(lambda: (norm2(y2_) ** 2, 5))),
    (
        r"\|\mathbf{x} + \mathbf{y}\|_2^2 =",
        "T",
        MT(lambda: (norm2(x2_ + y2_) ** 2, norm2(x2_) ** 2 + norm2(y2_) ** 2)),
    ),
    (
        r"\|\mathbf{x} + \mathbf{y}\|_2 = \|",
        "F",
        MT(lambda: (norm2(x2_ + y2_), norm2(x2_) + norm2(y2_))),
    ),
    (r"= \sqrt{14}", "T", MT(lambda: (norm2(x2_ - y2_), sqrt(14)))),
    (r"= \sqrt{6}", "F", MT(lambda: (norm2(x2_ - y2_), sqrt(6)))),
    (
        r"2\mathbf{u}^T\mathbf{v} + \|",
        "T",
        UV(lambda u, v: (n2(u + v), n2(u) + 2 * (u.T * v)[0] + n2(v))),
    ),
    (
        r"- \mathbf{u}^T\mathbf{v} + \|",
        "F",
        UV(lambda u, v: (n2(u - v), n2(u) - (u.T * v)[0] + n2(v))),
    ),
    (
        r"= 2\|\mathbf{u}\|^2 + 2\|\mathbf{v}\|^2",
        "T",
        UV(lambda u, v: (n2(u + v) + n2(u - v), 2 * n2(u) + 2 * n2(v))),
    ),
    (r"= 4\mathbf{u}^T\mathbf{v}", "T", UV(lambda u, v: (n2(u + v) - n2(u - v), 4 * (u.T * v)[0]))),
    (
        r"= 2\mathbf{u}^T\mathbf{v}$",
        "F",
        UV(lambda u, v: (n2(u + v) - n2(u - v), 2 * (u.T * v)[0])),
    ),
    (r"\mathbf{u}^T\mathbf{v} = \mathbf{v}^T\mathbf{u}", "T", UV(lambda u, v: (u.T * v, v.T * u))),
    (r"\mathbf{u}^T\mathbf{u} = \|\mathbf{u}\|^2", "T", UV(lambda u, v: (u.T * u, n2(u)))),
    (r"\|3\mathbf{u}\|^2 = 3", "F", UV(lambda u, v: (n2(3 * u), 3 * n2(u)))),
    (r"\|3\mathbf{u}\| = 3", "T", UV(lambda u, v: (nrm(3 * u), 3 * nrm(u)))),
    (r"\|-2\mathbf{u}\| = -2", "F", UV(lambda u, v: (nrm(-2 * u), -2 * nrm(u)))),
    (r"A\mathbf{z} = \begin{bmatrix}1\\ -2", "T", MT(lambda: (A2_ * z2_, col(1, -2)))),
    (r"\mathbf{z}^TA\mathbf{z} = 3", "T", MT(lambda: (z2_.T * A2_ * z2_, 3))),
    (r"\mathbf{z}^TA\mathbf{z} = 7", "F", MT(lambda: (z2_.T * A2_ * z2_, 7))),
    (r"\det A = 5", "T", MT(lambda: (A2_.det(), 5))),
    (r"\det A = 7", "F", MT(lambda: (A2_.det(), 7))),
    (r"\operatorname{tr} A = 5", "T", MT(lambda: (A2_.trace(), 5))),
    (
        r"= 2x_1^2 + 2x_1x_2 + 3x_2^2",
        "T",
        MT(lambda: (xv2_.T * A2_ * xv2_, 2 * X1**2 + 2 * X1 * X2 + 3 * X2**2)),
    ),
    (
        r"= 2x_1^2 + x_1x_2 + 3x_2^2",
        "F",
        MT(lambda: (xv2_.T * A2_ * xv2_, 2 * X1**2 + X1 * X2 + 3 * X2**2)),
    ),
    (
        r"= x_1^2 + 4x_1x_2 + 2x_2^2",
        "T",
        MT(lambda: (xv2_.T * B2_ * xv2_, X1**2 + 4 * X1 * X2 + 2 * X2**2)),
    ),
    (
        r"= x_1^2 + 8x_1x_2 + 2x_2^2",
        "F",
        MT(lambda: (xv2_.T * B2_ * xv2_, X1**2 + 8 * X1 * X2 + 2 * X2**2)),
    ),
    (r"\begin{bmatrix}1 & 2\\ 2 & 2", "T", MT(lambda: ((B2_ + B2_.T) / 2, mat([[1, 2], [2, 2]])))),
    (r"\begin{bmatrix}1 & 4\\ 4 & 2", "F", MT(lambda: ((B2_ + B2_.T) / 2, mat([[1, 4], [4, 2]])))),
    (
        r"\mathbf{w}^TM\mathbf{w} = \mathbf{w}^TM^T\mathbf{w}",
        "T",
        MW(lambda M, w: (w.T * M * w, w.T * M.T * w)),
    ),
    (
        r"\frac{1}{2}\mathbf{w}^T(M + M^T)",
        "T",
        MW(lambda M, w: (w.T * M * w, w.T * (M + M.T) * w / 2)),
    ),
    (
        r"= \mathbf{w}^TM^TM\mathbf{w}$ %% expect: true",
        "T",
        MW(lambda M, w: (n2(M * w), w.T * M.T * M * w)),
    ),
    (r"= \mathbf{w}^TMM^T\mathbf{w}", "F", MW(lambda M, w: (n2(M * w), w.T * M * M.T * w))),
    (r"= \mathbf{w}^TM^2\mathbf{w}", "F", MW(lambda M, w: (n2(M * w), w.T * M * M * w))),
    (
        r"(M\mathbf{w})^T(M\mathbf{w})",
        "T",
        MW(lambda M, w: ((M * w).T * (M * w), w.T * M.T * M * w)),
    ),
]

# ============================================================ 03
x, y, r, th = sp.symbols("x y r theta", real=True)
f3 = x**2 * y + 3 * y
g3 = exp(x * y)
g31, g32 = x * y, x + y**2
X3 = sp.symbols("x_1 x_2 x_3", real=True)
h3 = X3[0] * X3[1] + X3[2] ** 2
xs3 = Matrix(X3)


def AV(fn, sym=False, trials=5):
    """fn(A, a) with A random 3x3 (non-symmetric, or symmetric when sym),
    a random integer vector; x symbolic (xs3)."""

    def run():
        for _ in range(trials):
            A = rmat(3)
            if sym:
                A = A + A.T
            a = Matrix(3, 1, lambda i, j: RNG.randint(-5, 5))
            try:
                lhs, rhs = fn(A, a)
            except sp.ShapeError:
                return False
            if not EQ(lhs, rhs):
                return False
        return True

    return run


def VV(fn, trials=5):
    def run():
        for _ in range(trials):
            V = rmat(2, 3)
            try:
                lhs, rhs = fn(V)
            except sp.ShapeError:
                return False
            if not EQ(lhs, rhs):
                return False
        return True

    return run


ENTRIES["03_gradients_jacobians_hessians.md"] = [
    (r"\frac{\partial f}{\partial x} = 2xy", "T", MT(lambda: (diff(f3, x), 2 * x * y))),
    (r"\frac{\partial f}{\partial y} = x^2 + 3", "T", MT(lambda: (diff(f3, y), x**2 + 3))),
    (r"\frac{\partial f}{\partial y} = x^2$", "F", MT(lambda: (diff(f3, y), x**2))),
    (r"\partial x \partial y} = 2x", "T", MT(lambda: (diff(f3, x, y), 2 * x))),
    (r"\partial y^2} = 1", "F", MT(lambda: (diff(f3, y, 2), 1))),
    (
        r"\nabla f = \begin{bmatrix}2xy",
        "T",
        MT(lambda: (grad(f3, [x, y]), Matrix([2 * x * y, x**2 + 3]))),
    ),
    (
        r"\nabla f = \begin{bmatrix}2x\\",
        "F",
        MT(lambda: (grad(f3, [x, y]), Matrix([2 * x, x**2 + 3]))),
    ),
    (
        r"\nabla^2 f = \begin{bmatrix}2y & 2x",
        "T",
        MT(lambda: (hess(f3, [x, y]), Matrix([[2 * y, 2 * x], [2 * x, 0]]))),
    ),
    (
        r"\nabla^2 f = \begin{bmatrix}2y & x\\",
        "F",
        MT(lambda: (hess(f3, [x, y]), Matrix([[2 * y, x], [x, 0]]))),
    ),
    (r"\frac{\partial g}{\partial x} = y e^{xy}", "T", MT(lambda: (diff(g3, x), y * exp(x * y)))),
    (r"\frac{\partial g}{\partial x} = e^{xy}", "F", MT(lambda: (diff(g3, x), exp(x * y)))),
    (r"\nabla g =", "T", MT(lambda: (grad(g3, [x, y]), Matrix([y * exp(x * y), x * exp(x * y)])))),
    (
        r"(1 + xy)e^{xy}",
        "T",
        MT(
            lambda: (
                hess(g3, [x, y]),
                Matrix([[y**2 * g3, (1 + x * y) * g3], [(1 + x * y) * g3, x**2 * g3]]),
            )
        ),
    ),
    (
        r"xy\,e^{xy}",
        "F",
        MT(lambda: (hess(g3, [x, y]), Matrix([[y**2 * g3, x * y * g3], [x * y * g3, x**2 * g3]]))),
    ),
    (
        r"\begin{bmatrix}y & x\\ 1 & 2y\end{bmatrix}$$",
        "T",
        MT(
            lambda: (
                Matrix([[diff(g31, x), diff(g31, y)], [diff(g32, x), diff(g32, y)]]),
                Matrix([[y, x], [1, 2 * y]]),
            )
        ),
    ),
    (
        r"\begin{bmatrix}y & 1\\ x & 2y\end{bmatrix}$$",
        "F",
        MT(
            lambda: (
                Matrix([[diff(g31, x), diff(g31, y)], [diff(g32, x), diff(g32, y)]]),
                Matrix([[y, 1], [x, 2 * y]]),
            )
        ),
    ),
    (r"= 2y^2 - x", "T", MT(lambda: (Matrix([[y, x], [1, 2 * y]]).det(), 2 * y**2 - x))),
    (r"= 2y^2 + x", "F", MT(lambda: (Matrix([[y, x], [1, 2 * y]]).det(), 2 * y**2 + x))),
    (
        r"r\cos\theta\end{bmatrix} = r$",
        "T",
        MT(
            lambda: (Matrix([[sp.cos(th), -r * sp.sin(th)], [sp.sin(th), r * sp.cos(th)]]).det(), r)
        ),
    ),
    (
        r"r\cos\theta\end{bmatrix} = r^2",
        "F",
        MT(
            lambda: (
                Matrix([[sp.cos(th), -r * sp.sin(th)], [sp.sin(th), r * sp.cos(th)]]).det(),
                r**2,
            )
        ),
    ),
    (
        r"\nabla h = \begin{bmatrix}x_2",
        "T",
        MT(lambda: (grad(h3, X3), Matrix([X3[1], X3[0], 2 * X3[2]]))),
    ),
    (
        r"\nabla h = \begin{bmatrix}x_1",
        "F",
        MT(lambda: (grad(h3, X3), Matrix([X3[0], X3[1], 2 * X3[2]]))),
    ),
    (
        r"\nabla^2 h = \begin{bmatrix}0 & 1",
        "T",
        MT(lambda: (hess(h3, X3), mat([[0, 1, 0], [1, 0, 0], [0, 0, 2]]))),
    ),
    (
        r"\nabla^2 h = \begin{bmatrix}1 & 0",
        "F",
        MT(lambda: (hess(h3, X3), mat([[1, 0, 0], [0, 1, 0], [0, 0, 2]]))),
    ),
    (r"(\mathbf{a}^T\mathbf{x}) = \mathbf{a}", "T", AV(lambda A, a: (grad((a.T * xs3)[0], X3), a))),
    (
        r"(\mathbf{x}^T\mathbf{x}) = 2\mathbf{x}",
        "T",
        AV(lambda A, a: (grad((xs3.T * xs3)[0], X3), 2 * xs3)),
    ),
    (
        r"(\mathbf{x}^T\mathbf{x}) = \mathbf{x}",
        "F",
        AV(lambda A, a: (grad((xs3.T * xs3)[0], X3), xs3)),
    ),
    (
        r"(\mathbf{x}^TA\mathbf{x}) = (A + A^T)",
        "T",
        AV(lambda A, a: (grad((xs3.T * A * xs3)[0], X3), (A + A.T) * xs3)),
    ),
    (
        r"(\mathbf{x}^TA\mathbf{x}) = 2A\mathbf{x}",
        "F",
        AV(lambda A, a: (grad((xs3.T * A * xs3)[0], X3), 2 * A * xs3)),
    ),
    (
        r"(\mathbf{x}^TA\mathbf{x}) = A\mathbf{x}",
        "F",
        AV(lambda A, a: (grad((xs3.T * A * xs3)[0], X3), A * xs3)),
    ),
    (r"\|^2 = 2A^T(A", "T", AV(lambda A, a: (grad(n2(A * xs3 - a), X3), 2 * A.T * (A * xs3 - a)))),
    (r"\|^2 = 2A(A", "F", AV(lambda A, a: (grad(n2(A * xs3 - a), X3), 2 * A * (A * xs3 - a)))),
    (
        r"\|^2 = A^T(A\mathbf{x}",
        "T",
        AV(lambda A, a: (grad(n2(A * xs3 - a) / 2, X3), A.T * (A * xs3 - a))),
    ),
    (
        r"\|^2 = A^TA\mathbf{x} - \mathbf{a}",
        "F",
        AV(lambda A, a: (grad(n2(A * xs3 - a) / 2, X3), A.T * A * xs3 - a)),
    ),
    (
        r"(\mathbf{x}^TA\mathbf{x}) = A + A^T",
        "T",
        AV(lambda A, a: (hess((xs3.T * A * xs3)[0], X3), A + A.T)),
    ),
    (
        r"(\mathbf{x}^TA\mathbf{x}) = 2A$",
        "F",
        AV(lambda A, a: (hess((xs3.T * A * xs3)[0], X3), 2 * A)),
    ),
    (
        r"\|\mathbf{x}\| = \frac{\mathbf{x}}{\|\mathbf{x}\|}$",
        "T",
        AV(lambda A, a: (grad(nrm(xs3), X3), xs3 / nrm(xs3))),
    ),
    (
        r"\|\mathbf{x}\| = \frac{\mathbf{x}}{\|\mathbf{x}\|^2}",
        "F",
        AV(lambda A, a: (grad(nrm(xs3), X3), xs3 / n2(xs3))),
    ),
    (
        r"(\mathbf{x}^TS\mathbf{x}) = 2S\mathbf{x}",
        "T",
        AV(lambda S_, a: (grad((xs3.T * S_ * xs3)[0], X3), 2 * S_ * xs3), sym=True),
    ),
    (
        r"(\mathbf{x}^TS\mathbf{x}) = 2S$",
        "T",
        AV(lambda S_, a: (hess((xs3.T * S_ * xs3)[0], X3), 2 * S_), sym=True),
    ),
    (
        r"(\mathbf{x}^TS\mathbf{x}) = S$",
        "F",
        AV(lambda S_, a: (hess((xs3.T * S_ * xs3)[0], X3), S_), sym=True),
    ),
    (r"= 2V^TV\mathbf{x}", "T", VV(lambda V: (grad(n2(V * xs3), X3), 2 * V.T * V * xs3))),
    (r"= 2VV^T\mathbf{x}", "F", VV(lambda V: (grad(n2(V * xs3), X3), 2 * V * V.T * xs3))),
]

# ============================================================ 04
S_ = "sig(x)"
ENTRIES["04_activations.md"] = [
    (
        r"\sigma'(x) = \sigma(x)(1 - \sigma(x))",
        "T",
        lambda: I("diff(sig(x), x)", "sig(x)*(1 - sig(x))"),
    ),
    (
        r"\sigma'(x) = \sigma(x)(1 + \sigma(x))",
        "F",
        lambda: I("diff(sig(x), x)", "sig(x)*(1 + sig(x))"),
    ),
    (r"\sigma'(x) = \frac{e^{-x}}", "T", lambda: I("diff(sig(x), x)", "exp(-x)/(1 + exp(-x))**2")),
    (
        r"\sigma'(x) = \frac{1}{(1 + e^{-x})^2}",
        "F",
        lambda: I("diff(sig(x), x)", "1/(1 + exp(-x))**2"),
    ),
    (
        r"\sigma'(x) = -\frac{e^{-x}}",
        "F",
        lambda: I("diff(sig(x), x)", "-exp(-x)/(1 + exp(-x))**2"),
    ),
    (r"\sigma(-x) = 1 - \sigma(x)", "T", lambda: I("sig(-x)", "1 - sig(x)")),
    (r"\sigma(-x) = -\sigma(x)", "F", lambda: I("sig(-x)", "-sig(x)")),
    (r"\sigma(x) = \frac{e^{x}}{1 + e^{x}}", "T", lambda: I("sig(x)", "exp(x)/(1 + exp(x))")),
    (r"\tanh\frac{x}{2}", "T", lambda: I("sig(x)", "(1 + tanh(x/2))/2")),
    (r"\sigma(0) = \frac{1}{2}", "T", lambda: K("sig(0)", "1/2")),
    (
        r"\sigma'(0) = \frac{1}{4}",
        "T",
        lambda: K("diff(sig(x), x).subs(x, 0)", "1/4", {"x": sp.Symbol("x")}),
    ),
    (
        r"\sigma'(0) = \frac{1}{2}",
        "F",
        lambda: K("diff(sig(x), x).subs(x, 0)", "1/2", {"x": sp.Symbol("x")}),
    ),
    (r"\sigma(\ln 3) = \frac{3}{4}", "T", lambda: K("sig(log(3))", "3/4")),
    (r"\sigma(\ln 3) = \frac{1}{4}", "F", lambda: K("sig(log(3))", "1/4")),
    (
        r"(1 - 2\sigma(x))",
        "T",
        lambda: I("diff(sig(x), x, 2)", "sig(x)*(1 - sig(x))*(1 - 2*sig(x))"),
    ),
    (
        r"\sigma''(x) = \sigma(x)(1 - \sigma(x))^2",
        "F",
        lambda: I("diff(sig(x), x, 2)", "sig(x)*(1 - sig(x))**2"),
    ),
    (r"{1 - \sigma(x)} = x", "T", lambda: I("log(sig(x)/(1 - sig(x)))", "x")),
    (r"{1 - \sigma(x)} = -x", "F", lambda: I("log(sig(x)/(1 - sig(x)))", "-x")),
    (r"\tanh x = 1 - \tanh^2 x", "T", lambda: I("diff(tanh(x), x)", "1 - tanh(x)**2")),
    (r"\tanh x = 1 + \tanh^2 x", "F", lambda: I("diff(tanh(x), x)", "1 + tanh(x)**2")),
    (r"\tanh x = 2\sigma(2x) - 1", "T", lambda: I("tanh(x)", "2*sig(2*x) - 1")),
    (r"\tanh x = 2\sigma(x) - 1", "F", lambda: I("tanh(x)", "2*sig(x) - 1")),
    (r"\tanh(-x) = -\tanh x", "T", lambda: I("tanh(-x)", "-tanh(x)")),
    (r"\frac{e^{2x} - 1}", "T", lambda: I("tanh(x)", "(exp(2*x) - 1)/(exp(2*x) + 1)")),
    (r"\frac{e^{x} - 1}", "F", lambda: I("tanh(x)", "(exp(x) - 1)/(exp(x) + 1)")),
    (r"\tanh(\ln 2) = \frac{3}{5}", "T", lambda: K("tanh(log(2))", "3/5")),
    (r"\tanh(\ln 2) = \frac{3}{4}", "F", lambda: K("tanh(log(2))", "3/4")),
    (r"= 3(1 - \tanh^2(3x))", "T", lambda: I("diff(tanh(3*x), x)", "3*(1 - tanh(3*x)**2)")),
    (r"\tanh(3x) = 1 - \tanh^2(3x)", "F", lambda: I("diff(tanh(3*x), x)", "1 - tanh(3*x)**2")),
    (r"\frac{x + |x|}{2}", "T", lambda: I("relu(x)", "(x + Abs(x))/2")),
    (r"\operatorname{ReLU}(-x) = x$", "T", lambda: I("relu(x) - relu(-x)", "x")),
    (r"+ \operatorname{ReLU}(-x) = x$", "F", lambda: I("relu(x) + relu(-x)", "x")),
    (r"+ \operatorname{ReLU}(-x) = |x|", "T", lambda: I("relu(x) + relu(-x)", "Abs(x)")),
    (r"\operatorname{ReLU}(\operatorname{ReLU}(x))", "T", lambda: I("relu(relu(x))", "relu(x)")),
    (r"\operatorname{ReLU}(2x) = 2", "T", lambda: I("relu(2*x)", "2*relu(x)")),
    (r"\operatorname{ReLU}(-2x) = -2", "F", lambda: I("relu(-2*x)", "-2*relu(x)")),
    (r"\operatorname{ReLU}(x) = x \quad (x > 0)", "T", lambda: I("relu(x)", "x", "x:P")),
    (r"x<0 이면 $\operatorname{ReLU}(x) = x", "F", lambda: I("relu(x)", "x", "x:N")),
    (r"\operatorname{ReLU}(x) = 1$", "F", lambda: I("diff(relu(x), x)", "1")),
    (r"\operatorname{ReLU}(x) = 1 \quad (x > 0)", "T", lambda: I("diff(relu(x), x)", "1", "x:P")),
    (
        r"For $x < 0$, $\frac{d}{dx}\operatorname{ReLU}(x) = 0",
        "T",
        lambda: I("diff(relu(x), x)", "0", "x:N"),
    ),
    (
        r"음수일 때 $\frac{d}{dx}\operatorname{ReLU}(x) = 1",
        "F",
        lambda: I("diff(relu(x), x)", "1", "x:N"),
    ),
    (
        r"양수일 때 $\frac{d}{dx}\operatorname{ReLU}(x) = 0",
        "F",
        lambda: I("diff(relu(x), x)", "0", "x:P"),
    ),
    (r"\operatorname{ReLU}(x)^2 = 2", "T", lambda: I("diff(relu(x)**2, x)", "2*relu(x)")),
    (r"\ln(1 + e^{x}) = \sigma(x)", "T", lambda: I("diff(log(1 + exp(x)), x)", "sig(x)")),
    (
        r"\ln(1 + e^{x}) = \frac{1}{1 + e^{x}}",
        "F",
        lambda: I("diff(log(1 + exp(x)), x)", "1/(1 + exp(x))"),
    ),
    (r"- \ln(1 + e^{-x}) = x", "T", lambda: I("log(1 + exp(x)) - log(1 + exp(-x))", "x")),
    (r"+ \ln(1 + e^{-x}) = x", "F", lambda: I("log(1 + exp(x)) + log(1 + exp(-x))", "x")),
    (r"= x + \ln(1 + e^{-x})", "T", lambda: I("log(1 + exp(x))", "x + log(1 + exp(-x))")),
    (r"|x| = \frac{x}{|x|}", "T", lambda: I("diff(Abs(x), x)", "x/Abs(x)")),
    (r"|x| = 1$", "F", lambda: I("diff(Abs(x), x)", "1")),
    (r"|x| = -1$", "T", lambda: I("diff(Abs(x), x)", "-1", "x:N")),
    (r"|x| = -1 \quad (x > 0)", "F", lambda: I("diff(Abs(x), x)", "-1", "x:P")),
]

# ============================================================ 05
ZC = dict(z1=sp.Symbol("z1", real=True), z2=sp.Symbol("z2", real=True))
SF = "exp(%s)/(exp(%s) + exp(%s))"


def s5(a, b):
    return SF % (a, a, b)


p5 = col(R(1, 6), R(1, 3), R(1, 2))
y5 = col(0, 0, 1)
ENTRIES["05_softmax_logsumexp.md"] = [
    (
        r"\frac{e^{0}}{e^{0} + e^{\ln 2} + e^{\ln 3}} = \frac{1}{6}",
        "T",
        lambda: K("exp(0)/(exp(0) + exp(log(2)) + exp(log(3)))", "1/6"),
    ),
    (r"= \frac{1}{2}$", "T", lambda: K("exp(log(3))/(exp(0) + exp(log(2)) + exp(log(3)))", "1/2")),
    (r"= \frac{3}{5}$", "F", lambda: K("exp(log(3))/(exp(0) + exp(log(2)) + exp(log(3)))", "3/5")),
    (
        r"\frac{\ln 2}{\ln 2 + \ln 3}",
        "F",
        lambda: K("exp(log(2))/(exp(0) + exp(log(2)) + exp(log(3)))", "log(2)/(log(2) + log(3))"),
    ),
    (r"\frac{3}{6} = 1", "T", lambda: K("1/6 + 2/6 + 3/6", "1")),
    (r"\mathbf{p}^T\mathbf{p} = \frac{7}{18}", "T", MT(lambda: (p5.T * p5, R(7, 18)))),
    (r"\mathbf{p}^T\mathbf{p} = 1", "F", MT(lambda: (p5.T * p5, 1))),
    (
        r"\mathbf{p}\mathbf{p}^T =",
        "T",
        MT(
            lambda: (
                p5 * p5.T,
                Matrix(
                    [
                        [R(1, 36), R(1, 18), R(1, 12)],
                        [R(1, 18), R(1, 9), R(1, 6)],
                        [R(1, 12), R(1, 6), R(1, 4)],
                    ]
                ),
            )
        ),
    ),
    (r"\mathbf{p} - \mathbf{y} =", "T", MT(lambda: (p5 - y5, col(R(1, 6), R(1, 3), R(-1, 2))))),
    (r"\mathbf{y} - \mathbf{p} =", "F", MT(lambda: (y5 - p5, col(R(1, 6), R(1, 3), R(-1, 2))))),
    (r"\mathbf{y}^T\mathbf{p} = \frac{1}{2}", "T", MT(lambda: (y5.T * p5, R(1, 2)))),
    (r"-\ln\frac{1}{2} = \ln 2", "T", lambda: K("-log(1/2)", "log(2)")),
    (r"-\ln\frac{1}{2} = -\ln 2", "F", lambda: K("-log(1/2)", "-log(2)")),
    (r"s(z_1, z_2) = \sigma(z_1 - z_2)", "T", lambda: I(s5("z1", "z2"), "sig(z1 - z2)")),
    (r"s(z_1, z_2) = \sigma(z_2 - z_1)", "F", lambda: I(s5("z1", "z2"), "sig(z2 - z1)")),
    (r"s(z_1 + c, z_2 + c) = s(z_1, z_2)", "T", lambda: I(s5("z1 + c", "z2 + c"), s5("z1", "z2"))),
    (r"s(c z_1, c z_2) = s(z_1, z_2)", "F", lambda: I(s5("c*z1", "c*z2"), s5("z1", "z2"))),
    (
        r"\frac{\partial s}{\partial z_1} = s(z_1, z_2)(1 - s(z_1, z_2))",
        "T",
        lambda: I(
            "diff(%s, z1)" % s5("z1", "z2"), "(%s)*(1 - %s)" % (s5("z1", "z2"), s5("z1", "z2"))
        ),
    ),
    (
        r"\frac{\partial s}{\partial z_1} = s(z_1, z_2)$",
        "F",
        lambda: I("diff(%s, z1)" % s5("z1", "z2"), s5("z1", "z2")),
    ),
    (
        r"\frac{\partial s}{\partial z_2} = -s(z_1, z_2)",
        "T",
        lambda: I(
            "diff(%s, z2)" % s5("z1", "z2"), "-(%s)*(1 - %s)" % (s5("z1", "z2"), s5("z1", "z2"))
        ),
    ),
    (
        r"\frac{\partial s}{\partial z_2} = s(z_1, z_2)(1",
        "F",
        lambda: I(
            "diff(%s, z2)" % s5("z1", "z2"), "(%s)*(1 - %s)" % (s5("z1", "z2"), s5("z1", "z2"))
        ),
    ),
    (
        r"-\frac{e^{z_1 + z_2}}",
        "T",
        lambda: I("diff(%s, z2)" % s5("z1", "z2"), "-exp(z1 + z2)/(exp(z1) + exp(z2))**2"),
    ),
    (r"s(0, 0) = \frac{1}{2}", "T", lambda: K(s5("0", "0"), "1/2")),
    (r"s(\ln 3, 0) = \frac{3}{4}", "T", lambda: K(s5("log(3)", "0"), "3/4")),
    (r"s(\ln 3, 0) = \frac{1}{3}", "F", lambda: K(s5("log(3)", "0"), "1/3")),
    (
        r"= a + \ln(1 + e^{b - a})",
        "T",
        lambda: I("log(exp(a) + exp(b))", "a + log(1 + exp(b - a))"),
    ),
    (r"= a + b$", "F", lambda: I("log(exp(a) + exp(b))", "a + b")),
    (
        r"= \max(a, b) + \ln(1 + e^{-|a - b|})",
        "T",
        lambda: I("log(exp(a) + exp(b))", "Max(a, b) + log(1 + exp(-Abs(a - b)))"),
    ),
    (r"= \max(a, b)$", "F", lambda: I("log(exp(a) + exp(b))", "Max(a, b)")),
    (
        r"= c + \ln(e^{a} + e^{b})",
        "T",
        lambda: I("log(exp(a + c) + exp(b + c))", "c + log(exp(a) + exp(b))"),
    ),
    (
        r"= c\ln(e^{a} + e^{b})",
        "F",
        lambda: I("log(exp(a + c) + exp(b + c))", "c*log(exp(a) + exp(b))"),
    ),
    (
        r"= \frac{e^{a}}{e^{a} + e^{b}}",
        "T",
        lambda: I("diff(log(exp(a) + exp(b)), a)", "exp(a)/(exp(a) + exp(b))"),
    ),
    (
        r"= \frac{1}{e^{a} + e^{b}}",
        "F",
        lambda: I("diff(log(exp(a) + exp(b)), a)", "1/(exp(a) + exp(b))"),
    ),
    (r"e^{\ln 3}) = 2\ln 2", "T", lambda: K("log(exp(0) + exp(log(3)))", "2*log(2)")),
    (r"e^{\ln 3}) = \ln 3", "F", lambda: K("log(exp(0) + exp(log(3)))", "log(3)")),
    (r"e^{0} + e^{0}) = \ln 3", "T", lambda: K("log(exp(0) + exp(0) + exp(0))", "log(3)")),
    (r"= 1000 + \ln 2", "T", lambda: K("log(exp(1000) + exp(1000))", "1000 + log(2)")),
    (r"e^{1000}) = 1000$", "F", lambda: K("log(exp(1000) + exp(1000))", "1000")),
    (r"e^{1000}) = 2000$", "F", lambda: K("log(exp(1000) + exp(1000))", "2000")),
]

# ============================================================ 06
ELL = "(-y*log(sig(z)) - (1 - y)*log(1 - sig(z)))"
JP = "(-y*log(p) - (1 - y)*log(1 - p))"
xd6 = [1, 2, 3]
yd6 = [2, 4, 5]
w6 = sp.Symbol("w", real=True)
L6 = sum((w6 * a - b) ** 2 for a, b in zip(xd6, yd6)) / 3
dL6 = diff(L6, w6)
ENTRIES["06_losses.md"] = [
    (r"\ell'(z) = \sigma(z) - y", "T", lambda: I("diff(%s, z)" % ELL, "sig(z) - y")),
    (r"\ell'(z) = y - \sigma(z)", "F", lambda: I("diff(%s, z)" % ELL, "y - sig(z)")),
    (
        r"\ell'(z) = (\sigma(z) - y)",
        "F",
        lambda: I("diff(%s, z)" % ELL, "(sig(z) - y)*sig(z)*(1 - sig(z))"),
    ),
    (
        r"\ell''(z) = \sigma(z)(1 - \sigma(z))",
        "T",
        lambda: I("diff(%s, z, 2)" % ELL, "sig(z)*(1 - sig(z))"),
    ),
    (r"+ (1 - y)z", "T", lambda: I(ELL, "log(1 + exp(-z)) + (1 - y)*z")),
    (r"+ yz", "F", lambda: I(ELL, "log(1 + exp(-z)) + y*z")),
    (
        r"J'(p) = -\frac{y}{p} + \frac{1 - y}{1 - p}",
        "T",
        lambda: I("diff(%s, p)" % JP, "-y/p + (1 - y)/(1 - p)", "p:U"),
    ),
    (
        r"J'(p) = -\frac{y}{p} - \frac{1 - y}{1 - p}",
        "F",
        lambda: I("diff(%s, p)" % JP, "-y/p - (1 - y)/(1 - p)", "p:U"),
    ),
    (
        r"J'(p) = \frac{p - y}{p(1 - p)}",
        "T",
        lambda: I("diff(%s, p)" % JP, "(p - y)/(p*(1 - p))", "p:U"),
    ),
    (
        r"J'(p) = \frac{y - p}{p(1 - p)}",
        "F",
        lambda: I("diff(%s, p)" % JP, "(y - p)/(p*(1 - p))", "p:U"),
    ),
    (
        r"1\cdot\ln 0.5) = \ln 2",
        "T",
        lambda: K("-(0*log(0.2) + 0*log(0.3) + 1*log(0.5))", "log(2)"),
    ),
    (
        r"1\cdot\ln 0.5) = \ln 0.5",
        "F",
        lambda: K("-(0*log(0.2) + 0*log(0.3) + 1*log(0.5))", "log(0.5)"),
    ),
    (r"-\ln 0.25 = 2\ln 2", "T", lambda: K("-log(0.25)", "2*log(2)")),
    (r"-\ln 0.25 = \ln 2", "F", lambda: K("-log(0.25)", "log(2)")),
    (r"e'(w) = 2x(wx - t)", "T", lambda: I("diff((w*x - t)**2, w)", "2*x*(w*x - t)")),
    (r"e'(w) = 2(wx - t)", "F", lambda: I("diff((w*x - t)**2, w)", "2*(w*x - t)")),
    (r"e'(w) = x(wx - t)", "F", lambda: I("diff((w*x - t)**2, w)", "x*(w*x - t)")),
    (r"e''(w) = 2x^2", "T", lambda: I("diff((w*x - t)**2, w, 2)", "2*x**2")),
    (r"x_iy_i = 25", "T", lambda: sum(a * b for a, b in zip(xd6, yd6)) == 25),
    (r"x_i^2 = 14", "T", lambda: sum(a * a for a in xd6) == 14),
    (r"x_i^2 = 36", "F", lambda: sum(a * a for a in xd6) == 36),
    (r"L(2) = \frac{1}{3}", "T", MT(lambda: (L6.subs(w6, 2), R(1, 3)))),
    (r"L(2) = 1", "F", MT(lambda: (L6.subs(w6, 2), 1))),
    (r"L(0) = 15", "T", MT(lambda: (L6.subs(w6, 0), 15))),
    (r"L(0) = 45", "F", MT(lambda: (L6.subs(w6, 0), 45))),
    (
        r"x_i(wx_i - y_i)$",
        "T",
        MT(lambda: (dL6, R(2, 3) * sum(a * (w6 * a - b) for a, b in zip(xd6, yd6)))),
    ),
    (
        r"\sum_{i=1}^{n}(wx_i - y_i)$",
        "F",
        MT(lambda: (dL6, R(2, 3) * sum((w6 * a - b) for a, b in zip(xd6, yd6)))),
    ),
    (r"w - \frac{50}{3}", "T", MT(lambda: (dL6, R(28, 3) * w6 - R(50, 3)))),
    (r"w - 25", "F", MT(lambda: (dL6, R(28, 3) * w6 - 25))),
    (r"L'(2) = 2", "T", MT(lambda: (dL6.subs(w6, 2), 2))),
    (r"L'(2) = 1", "F", MT(lambda: (dL6.subs(w6, 2), 1))),
    (r"\frac{25}{14}\right) = 0", "T", MT(lambda: (dL6.subs(w6, R(25, 14)), 0))),
    (r"\frac{14}{25}\right) = 0", "F", MT(lambda: (dL6.subs(w6, R(14, 25)), 0))),
    (r"= \lambda w", "T", lambda: I("diff(lam/2*w**2, w)", "lam*w")),
    (r"= 2\lambda w", "F", lambda: I("diff(lam/2*w**2, w)", "2*lam*w")),
    (r"|w - 3| = 1 \quad (w > 3)", "T", lambda: I("diff(Abs(w - 3), w)", "1", "w:[3.01,9]")),
    (r"|w - 3| = -1", "T", lambda: I("diff(Abs(w - 3), w)", "-1", "w:[-5,2.99]")),
    (r"|w - 3| = 1$", "F", lambda: I("diff(Abs(w - 3), w)", "1")),
]

# ============================================================ 07
xd7 = [1, 2, 3, 4, 10]
n7 = 5
xb7 = R(sum(xd7), n7)
ss7 = sum((v - xb7) ** 2 for v in xd7)


def AM(fn, ms=range(1, 7)):
    """symbolic data a_1..a_m, constant c: fn(a_list, abar, m, c) -> (lhs, rhs)."""

    def run():
        c = sp.Symbol("c", real=True)
        for m in ms:
            a = list(sp.symbols("a1:%d" % (m + 1), real=True))
            abar = sum(a) / m
            lhs, rhs = fn(a, abar, m, c)
            if sp.simplify(sp.expand(lhs - rhs)) != 0:
                return False
        return True

    return run


ENTRIES["07_mean_variance.md"] = [
    (r"\sum_{i=1}^{n} x_i = 20", "T", lambda: sum(xd7) == 20),
    (r"\sum_{i=1}^{n-1} x_i = 20", "F", lambda: sum(xd7[: n7 - 1]) == 20),
    (r"\sum_{i=2}^{n} x_i = 19", "T", lambda: sum(xd7[1:]) == 19),
    (r"\bar{x} = 4", "T", lambda: xb7 == 4),
    (r"\bar{x} = 5", "F", lambda: xb7 == 5),
    (r"(x_i - \bar{x}) = 0", "T", lambda: sum(v - xb7 for v in xd7) == 0),
    (r"(x_i - \bar{x})^2 = 50", "T", lambda: ss7 == 50),
    (r"x_i^2 = 130", "T", lambda: sum(v * v for v in xd7) == 130),
    (r"x_i^2 = 400", "F", lambda: sum(v * v for v in xd7) == 400),
    (r"\frac{1}{n}\sum_{i=1}^{n}(x_i - \bar{x})^2 = 10", "T", lambda: ss7 / n7 == 10),
    (r"\frac{1}{n-1}\sum_{i=1}^{n}(x_i - \bar{x})^2 = 10", "F", lambda: ss7 / (n7 - 1) == 10),
    (r"= 12.5", "T", lambda: ss7 / (n7 - 1) == R(25, 2)),
    (r"- \bar{x}^2 = 10", "T", lambda: R(sum(v * v for v in xd7), n7) - xb7**2 == 10),
    (r"- \bar{x} = 10", "F", lambda: R(sum(v * v for v in xd7), n7) - xb7 == 10),
    (r"= \sqrt{10}", "T", MT(lambda: (sqrt(ss7 / n7), sqrt(10)))),
    (r"= \frac{3\sqrt{10}}{5}", "T", MT(lambda: ((xd7[4] - xb7) / sqrt(10), 3 * sqrt(10) / 5))),
    (r"{\sqrt{10}} = \frac{3}{5}", "F", MT(lambda: ((xd7[4] - xb7) / sqrt(10), R(3, 5)))),
    (r"{10} = \frac{3}{5}", "T", MT(lambda: (R(xd7[4] - xb7, 10), R(3, 5)))),
    (r"(a_i - \bar{a}) = 0", "T", AM(lambda a, ab, m, c: (sum(v - ab for v in a), 0))),
    (
        r"a_i^2 - m\bar{a}^2",
        "T",
        AM(lambda a, ab, m, c: (sum((v - ab) ** 2 for v in a), sum(v**2 for v in a) - m * ab**2)),
    ),
    (
        r"a_i^2 - \bar{a}^2$",
        "F",
        AM(
            lambda a, ab, m, c: (sum((v - ab) ** 2 for v in a), sum(v**2 for v in a) - ab**2),
            ms=range(2, 7),
        ),
    ),
    (
        r"\frac{1}{m}\sum_{i=1}^{m} a_i^2 - \bar{a}^2",
        "T",
        AM(
            lambda a, ab, m, c: (
                sum((v - ab) ** 2 for v in a) / m,
                sum(v**2 for v in a) / m - ab**2,
            )
        ),
    ),
    (r"a_i + c$", "F", AM(lambda a, ab, m, c: (sum(v + c for v in a), sum(a) + c))),
    (r"a_i + mc$", "T", AM(lambda a, ab, m, c: (sum(v + c for v in a), sum(a) + m * c))),
    (
        r"\sum_{i=1}^{m} c\,a_i = c\sum",
        "T",
        AM(lambda a, ab, m, c: (sum(c * v for v in a), c * sum(a))),
    ),
    (
        r"\right)^2 = \sum_{i=1}^{m} a_i^2",
        "F",
        AM(lambda a, ab, m, c: (sum(a) ** 2, sum(v**2 for v in a))),
    ),
    (r"c\,a_i = c\bar{a}", "T", AM(lambda a, ab, m, c: (sum(c * v for v in a) / m, c * ab))),
    (
        r"= \frac{c}{m}\sum",
        "F",
        AM(
            lambda a, ab, m, c: (
                sum((c * v - c * ab) ** 2 for v in a) / m,
                c / m * sum((v - ab) ** 2 for v in a),
            ),
            ms=range(2, 7),
        ),
    ),
    (
        r"= \frac{c^2}{m}\sum",
        "T",
        AM(
            lambda a, ab, m, c: (
                sum((c * v - c * ab) ** 2 for v in a) / m,
                c**2 / m * sum((v - ab) ** 2 for v in a),
            )
        ),
    ),
    (
        r"(a_i + c - \bar{a} - c)^2",
        "T",
        AM(
            lambda a, ab, m, c: (
                sum((v + c - ab - c) ** 2 for v in a) / m,
                sum((v - ab) ** 2 for v in a) / m,
            )
        ),
    ),
    (r"\sum_{i=1}^{m} 1 = m", "T", AM(lambda a, ab, m, c: (sum(1 for i in range(1, m + 1)), m))),
    (r"\sum_{i=0}^{m} 1 = m", "F", AM(lambda a, ab, m, c: (sum(1 for i in range(0, m + 1)), m))),
    (
        r"\sum_{i=1}^{m} i = \frac{m(m+1)}{2}",
        "T",
        AM(lambda a, ab, m, c: (sum(range(1, m + 1)), R(m * (m + 1), 2))),
    ),
    (
        r"\sum_{i=0}^{m-1} i = \frac{m(m+1)}{2}",
        "F",
        AM(lambda a, ab, m, c: (sum(range(0, m)), R(m * (m + 1), 2))),
    ),
    (
        r"\sum_{i=0}^{m-1} i = \frac{m(m-1)}{2}",
        "T",
        AM(lambda a, ab, m, c: (sum(range(0, m)), R(m * (m - 1), 2))),
    ),
    (r"{w_1 + w_2} = 5", "T", lambda: R(1 * 2 + 3 * 6, 1 + 3) == 5),
    (r"{w_1 + w_2} = 4", "F", lambda: R(1 * 2 + 3 * 6, 1 + 3) == 4),
    (r"{2} = 5", "F", lambda: R(1 * 2 + 3 * 6, 2) == 5),
    (r"\frac{k}{6} = \frac{7}{2}", "T", lambda: sum(R(k, 6) for k in range(1, 7)) == R(7, 2)),
    (
        r"\right)^2 = \frac{35}{12}",
        "T",
        lambda: sum(R(k * k, 6) for k in range(1, 7)) - R(49, 4) == R(35, 12),
    ),
    (
        r"\right)^2 = \frac{35}{6}",
        "F",
        lambda: sum(R(k * k, 6) for k in range(1, 7)) - R(49, 4) == R(35, 6),
    ),
    (
        r"- \frac{7}{2} = \frac{35}{12}",
        "F",
        lambda: sum(R(k * k, 6) for k in range(1, 7)) - R(7, 2) == R(35, 12),
    ),
]

# ============================================================ 08
u8 = sp.Symbol("u", real=True)
x8 = sp.Symbol("x", real=True)
SWA = "sig(w*a + b)"
# scalar network: x0 = 2, w1 = 1/2, w2 = -2, t0 = 1, eta = 1/10
X0, W1, W2, T0, ETA = 2, R(1, 2), -2, 1, R(1, 10)
Z8 = W1 * X0
H8 = max(0, Z8)
YH8 = W2 * H8
L8 = R(1, 2) * (YH8 - T0) ** 2
ENTRIES["08_chain_rule_backprop.md"] = [
    (r"\frac{dy}{du} = 3u^2", "T", MT(lambda: (diff(u8**3, u8), 3 * u8**2))),
    (r"\frac{du}{dx} = 2", "T", MT(lambda: (diff(2 * x8 + 1, x8), 2))),
    (
        r"\frac{dy}{du}\cdot\frac{du}{dx}",
        "T",
        MT(
            lambda: (
                diff((2 * x8 + 1) ** 3, x8),
                diff(u8**3, u8).subs(u8, 2 * x8 + 1) * diff(2 * x8 + 1, x8),
            )
        ),
    ),
    (r"= 6(2x + 1)^2", "T", MT(lambda: (diff((2 * x8 + 1) ** 3, x8), 6 * (2 * x8 + 1) ** 2))),
    (r"= 3(2x + 1)^2", "F", MT(lambda: (diff((2 * x8 + 1) ** 3, x8), 3 * (2 * x8 + 1) ** 2))),
    (r"= 6(2x + 1)$", "F", MT(lambda: (diff((2 * x8 + 1) ** 3, x8), 6 * (2 * x8 + 1)))),
    (r"= -xe^{-x^2/2}", "T", lambda: I("diff(exp(-x**2/2), x)", "-x*exp(-x**2/2)")),
    (r"e^{-x^2/2} = e^{-x^2/2}", "F", lambda: I("diff(exp(-x**2/2), x)", "exp(-x**2/2)")),
    (r"= \frac{2x}{1 + x^2}", "T", lambda: I("diff(log(1 + x**2), x)", "2*x/(1 + x**2)")),
    (r"= \frac{1}{1 + x^2}", "F", lambda: I("diff(log(1 + x**2), x)", "1/(1 + x**2)")),
    (r"= 12(3x + 1)^3", "T", lambda: I("diff((3*x + 1)**4, x)", "12*(3*x + 1)**3")),
    (r"= 4(3x + 1)^3", "F", lambda: I("diff((3*x + 1)**4, x)", "4*(3*x + 1)**3")),
    (r"= a\,\sigma(wa + b)", "T", lambda: I("diff(%s, w)" % SWA, "a*%s*(1 - %s)" % (SWA, SWA))),
    (
        r"\frac{d}{dw}\sigma(wa + b) = \sigma(wa + b)",
        "F",
        lambda: I("diff(%s, w)" % SWA, "%s*(1 - %s)" % (SWA, SWA)),
    ),
    (
        r"\frac{d}{db}\sigma(wa + b)",
        "T",
        lambda: I("diff(%s, b)" % SWA, "%s*(1 - %s)" % (SWA, SWA)),
    ),
    (
        r"^2 = 2(\sigma(wa + b) - t)\,\sigma",
        "T",
        lambda: I("diff((%s - t)**2, w)" % SWA, "2*(%s - t)*%s*(1 - %s)*a" % (SWA, SWA, SWA)),
    ),
    (
        r"^2 = (\sigma(wa + b) - t)\,\sigma",
        "F",
        lambda: I("diff((%s - t)**2, w)" % SWA, "(%s - t)*%s*(1 - %s)*a" % (SWA, SWA, SWA)),
    ),
    (
        r"^2 = 2(\sigma(wa + b) - t)\,a",
        "F",
        lambda: I("diff((%s - t)**2, w)" % SWA, "2*(%s - t)*a" % SWA),
    ),
    (r"\sigma(0)(1 - \sigma(0)) = \frac{1}{4}", "T", lambda: K("sig(0)*(1 - sig(0))", "1/4")),
    (r"\sigma(0)(1 - \sigma(0)) = \frac{1}{2}", "F", lambda: K("sig(0)*(1 - sig(0))", "1/2")),
    (r"z &= w_1 x_0 = 1", "T", lambda: Z8 == 1),
    (r"h &= \operatorname{ReLU}(z) = 1", "T", lambda: H8 == 1),
    (r"\hat{y} &= w_2 h = -2", "T", lambda: YH8 == -2),
    (r"L &= \frac{1}{2}(\hat{y} - t_0)^2 = \frac{9}{2}", "T", lambda: L8 == R(9, 2)),
    # backward: dL/dyhat = yhat - t0 (as functions) and = -3
    (
        r"&= \hat{y} - t_0 = -3",
        "T",
        lambda: EQ(
            diff(R(1, 2) * (sp.Symbol("yh") - T0) ** 2, sp.Symbol("yh")), sp.Symbol("yh") - T0
        ),
    ),
    (r"&= \hat{y} - t_0 = -3", "T", lambda: YH8 - T0 == -3),
    (
        r"(\hat{y} - t_0)\,h = -3",
        "T",
        lambda: EQ(
            diff(R(1, 2) * (sp.Symbol("v2") * H8 - T0) ** 2, sp.Symbol("v2")).subs(
                sp.Symbol("v2"), W2
            ),
            (YH8 - T0) * H8,
        ),
    ),
    (r"(\hat{y} - t_0)\,h = -3", "T", lambda: (YH8 - T0) * H8 == -3),
    (
        r"(\hat{y} - t_0)\,w_2 = 6 \\",
        "T",
        lambda: EQ(
            diff(R(1, 2) * (W2 * sp.Symbol("hh") - T0) ** 2, sp.Symbol("hh")).subs(
                sp.Symbol("hh"), H8
            ),
            (YH8 - T0) * W2,
        ),
    ),
    (r"(\hat{y} - t_0)\,w_2 = 6 \\", "T", lambda: (YH8 - T0) * W2 == 6),
    (
        r"w_2\,x_0 = 12",
        "T",
        lambda: EQ(
            diff(R(1, 2) * (W2 * Max(0, sp.Symbol("v1") * X0) - T0) ** 2, sp.Symbol("v1")).subs(
                sp.Symbol("v1"), W1
            ),
            (YH8 - T0) * W2 * X0,
        ),
    ),
    (r"w_2\,x_0 = 12", "T", lambda: (YH8 - T0) * W2 * X0 == 12),
    (
        r"(\hat{y} - t_0)\,w_2 = 6$ (입력",
        "F",
        lambda: EQ(
            diff(R(1, 2) * (W2 * Max(0, sp.Symbol("v1") * X0) - T0) ** 2, sp.Symbol("v1")).subs(
                sp.Symbol("v1"), W1
            ),
            (YH8 - T0) * W2,
        ),
    ),
    (r"(\hat{y} - t_0)\,w_2 = 6$ (입력", "T", lambda: (YH8 - T0) * W2 == 6),
    (
        r"w_1 = -1.5",
        "F",
        lambda: EQ(
            diff(R(1, 2) * (sp.Symbol("v2") * H8 - T0) ** 2, sp.Symbol("v2")).subs(
                sp.Symbol("v2"), W2
            ),
            (YH8 - T0) * W1,
        ),
    ),
    (r"w_1 = -1.5", "T", lambda: (YH8 - T0) * W1 == R(-3, 2)),
    (r"t_0 - \hat{y} = 3", "F", lambda: (YH8 - T0) == (T0 - YH8)),
    (r"t_0 - \hat{y} = 3", "T", lambda: T0 - YH8 == 3),
    (r"(-2 - 1)^2 = \frac{9}{4}", "T", lambda: L8 == R(1, 2) * (-2 - 1) ** 2),
    (r"(-2 - 1)^2 = \frac{9}{4}", "F", lambda: R(1, 2) * (-2 - 1) ** 2 == R(9, 4)),
    (r"x_0 = -12", "F", lambda: (YH8 - T0) * W2 * X0 == -12),
    (r"\eta\cdot 12 = -0.7", "T", lambda: W1 - ETA * 12 == R(-7, 10)),
    (r"\eta\cdot 12 = 1.7", "F", lambda: W1 - ETA * 12 == R(17, 10)),
    (r"= -1.7", "T", lambda: W2 - ETA * (-3) == R(-17, 10)),
    (r"= -2.3", "F", lambda: W2 - ETA * (-3) == R(-23, 10)),
    (
        r"\operatorname{ReLU}(-0.7\cdot 2)",
        "T",
        lambda: R(1, 2) * (R(-17, 10) * max(0, R(-7, 10) * 2) - 1) ** 2 == R(1, 2),
    ),
]

# ============================================================ 09
x9 = col(1, 2)
W9 = mat([[1, 0], [-1, 1]])
v9 = col(2, 1)
t9 = 1
h9 = W9 * x9
yh9 = (v9.T * h9)[0, 0]
d9 = col(4, 2)
eta9 = R(1, 2)
W29 = mat([[1, -1, 0], [2, 0, -1]])
u9 = col(1, 2, 1)
g9 = col(3, 5)
d29 = col(0, 5)
_vs = Matrix(sp.symbols("vv1 vv2", real=True))
_hs = Matrix(sp.symbols("hh1 hh2", real=True))
_L9v = R(1, 2) * ((_vs.T * h9)[0, 0] - t9) ** 2
_L9h = R(1, 2) * ((v9.T * _hs)[0, 0] - t9) ** 2
ENTRIES["09_backprop_matrices.md"] = [
    (r"\mathbf{h} &= W_1\mathbf{x} =", "T", MT(lambda: (W9 * x9, col(1, 1)))),
    (r"\hat{y} &= \mathbf{v}^T\mathbf{h} = 3", "T", MT(lambda: (v9.T * h9, 3))),
    (r"L &= \frac{1}{2}(\hat{y} - t)^2 = 2", "T", MT(lambda: (R(1, 2) * (yh9 - t9) ** 2, 2))),
    (r"W_1\mathbf{x} = \begin{bmatrix}1\\ 3", "F", MT(lambda: (W9 * x9, col(1, 3)))),
    (r"\mathbf{x}^TW_1 = \begin{bmatrix}-1 & 2", "T", MT(lambda: (x9.T * W9, row(-1, 2)))),
    (
        r"\mathbf{v}^T\mathbf{h} = \begin{bmatrix}2 & 1",
        "F",
        MT(lambda: (v9.T * h9, mat([[2, 1], [2, 1]]))),
    ),
    (
        r"\mathbf{h}\mathbf{v}^T = \begin{bmatrix}2 & 1",
        "T",
        MT(lambda: (h9 * v9.T, mat([[2, 1], [2, 1]]))),
    ),
    (r"\mathbf{v}^TW_1\mathbf{x} = 3", "T", MT(lambda: (v9.T * W9 * x9, 3))),
    (r"\mathbf{x}^TW_1\mathbf{v} = 3", "F", MT(lambda: (x9.T * W9 * v9, 3))),
    (
        r"&= \hat{y} - t = 2",
        "T",
        lambda: EQ(
            diff(R(1, 2) * (sp.Symbol("yh") - t9) ** 2, sp.Symbol("yh")), sp.Symbol("yh") - t9
        ),
    ),
    (r"&= \hat{y} - t = 2", "T", lambda: yh9 - t9 == 2),
    (
        r"(\hat{y} - t)\,\mathbf{h} =",
        "T",
        MT(lambda: (grad(_L9v, list(_vs)).subs(dict(zip(_vs, v9))), (yh9 - t9) * h9)),
    ),
    (r"(\hat{y} - t)\,\mathbf{h} =", "T", MT(lambda: ((yh9 - t9) * h9, col(2, 2)))),
    (
        r"(\hat{y} - t)\,\mathbf{v} =",
        "T",
        MT(lambda: (grad(_L9h, list(_hs)).subs(dict(zip(_hs, h9))), (yh9 - t9) * v9)),
    ),
    (r"(\hat{y} - t)\,\mathbf{v} =", "T", MT(lambda: ((yh9 - t9) * v9, col(4, 2)))),
    (
        r"\boldsymbol{\delta}\mathbf{x}^T = \begin{bmatrix}4 & 8",
        "T",
        MT(lambda: (d9 * x9.T, mat([[4, 8], [2, 4]]))),
    ),
    (
        r"\mathbf{x}\boldsymbol{\delta}^T = \begin{bmatrix}4 & 8",
        "F",
        MT(lambda: (x9 * d9.T, mat([[4, 8], [2, 4]]))),
    ),
    (
        r"\mathbf{x}\boldsymbol{\delta}^T = \begin{bmatrix}4 & 2",
        "T",
        MT(lambda: (x9 * d9.T, mat([[4, 2], [8, 4]]))),
    ),
    (
        r"\boldsymbol{\delta}^T\mathbf{x} = \begin{bmatrix}",
        "F",
        MT(lambda: (d9.T * x9, mat([[4, 8], [2, 4]]))),
    ),
    (r"\boldsymbol{\delta}^T\mathbf{x} = 8", "T", MT(lambda: (d9.T * x9, 8))),
    (r"W_1^T\boldsymbol{\delta} = \begin{bmatrix}2\\ 2", "T", MT(lambda: (W9.T * d9, col(2, 2)))),
    (r"W_1\boldsymbol{\delta} = \begin{bmatrix}2\\ 2", "F", MT(lambda: (W9 * d9, col(2, 2)))),
    (r"W_1\boldsymbol{\delta} = \begin{bmatrix}4\\ -2", "T", MT(lambda: (W9 * d9, col(4, -2)))),
    (
        r"W_1 - \eta\,\boldsymbol{\delta}\mathbf{x}^T",
        "T",
        MT(lambda: (W9 - eta9 * d9 * x9.T, mat([[-1, -4], [-2, -1]]))),
    ),
    (
        r"W_1 + \eta\,\boldsymbol{\delta}\mathbf{x}^T",
        "F",
        MT(lambda: (W9 + eta9 * d9 * x9.T, mat([[-1, -4], [-2, -1]]))),
    ),
    (
        r"W_1 - \eta\,\mathbf{x}\boldsymbol{\delta}^T",
        "F",
        MT(lambda: (W9 - eta9 * x9 * d9.T, mat([[-1, -4], [-2, -1]]))),
    ),
    (
        r"\begin{bmatrix}1\\ 0\end{bmatrix}$$",
        "T",
        MT(lambda: (v9 - eta9 * (yh9 - t9) * h9, col(1, 0))),
    ),
    (
        r"\begin{bmatrix}3\\ 2\end{bmatrix}$$",
        "F",
        MT(lambda: (v9 - eta9 * (yh9 - t9) * h9, col(3, 2))),
    ),
    (r"W_2\mathbf{u} = \begin{bmatrix}-1\\ 1", "T", MT(lambda: (W29 * u9, col(-1, 1)))),
    (r"W_2\mathbf{u} = \begin{bmatrix}3\\ 3", "F", MT(lambda: (W29 * u9, col(3, 3)))),
    (r"\max(0, -1) = 0", "T", lambda: K("Max(0, -1)", "0")),
    (r"\max(0, -1) = -1", "F", lambda: K("Max(0, -1)", "-1")),
    (
        r"\boldsymbol{\delta}_2\mathbf{u}^T = \begin{bmatrix}0 & 0 & 0",
        "T",
        MT(lambda: (d29 * u9.T, mat([[0, 0, 0], [5, 10, 5]]))),
    ),
    (
        r"\boldsymbol{\delta}_2\mathbf{u}^T = \begin{bmatrix}3",
        "F",
        MT(lambda: (d29 * u9.T, mat([[3, 6, 3], [5, 10, 5]]))),
    ),
    (
        r"\mathbf{u}\boldsymbol{\delta}_2^T =",
        "F",
        MT(lambda: (u9 * d29.T, mat([[0, 0, 0], [5, 10, 5]]))),
    ),
    (r"\\ 0\\ -5\end", "T", MT(lambda: (W29.T * d29, col(10, 0, -5)))),
    (r"\\ 0\\ 5\end", "F", MT(lambda: (W29.T * d29, col(10, 0, 5)))),
    (r"W_2^T\mathbf{g} =", "T", MT(lambda: (W29.T * g9, col(13, -3, -5)))),
    (r"-3 & -10 & -6", "T", MT(lambda: (W29 - d29 * u9.T, mat([[1, -1, 0], [-3, -10, -6]])))),
    (r"-3 & -10 & 4", "F", MT(lambda: (W29 - d29 * u9.T, mat([[1, -1, 0], [-3, -10, 4]])))),
]

# ============================================================ 10
w10 = sp.Symbol("w", real=True)
f10 = (w10 - 3) ** 2
df10 = diff(f10, w10)
E10 = R(1, 10)
w0 = 0
w1 = w0 - E10 * df10.subs(w10, w0)
w2 = w1 - E10 * df10.subs(w10, w1)
w3 = w2 - E10 * df10.subs(w10, w2)
qx, qy = sp.symbols("x y", real=True)
q10 = qx**2 + 4 * qy**2


def KK(lhs, rhs):
    return lambda: K(lhs, rhs)


ENTRIES["10_gradient_descent.md"] = [
    (r"f'(w) = 2(w - 3)", "T", MT(lambda: (df10, 2 * (w10 - 3)))),
    (r"f'(w) = 2w - 3", "F", MT(lambda: (df10, 2 * w10 - 3))),
    (r"f'(w_0) = -6", "T", MT(lambda: (df10.subs(w10, w0), -6))),
    (r"f'(w_0) = 6", "F", MT(lambda: (df10.subs(w10, w0), 6))),
    (r"= 0 - 0.1\cdot(-6) = 0.6", "T", MT(lambda: (w1, 0 - E10 * (-6)))),
    (r"= 0 - 0.1\cdot(-6) = 0.6", "T", KK("0 - 0.1*(-6)", "0.6")),
    (r"= 0.6 - 0.1\cdot(-4.8) = 1.08", "T", MT(lambda: (w2, R(6, 10) - E10 * R(-48, 10)))),
    (r"= 0.6 - 0.1\cdot(-4.8) = 1.08", "T", KK("0.6 - 0.1*(-4.8)", "1.08")),
    (r"= 1.08 + 0.384 = 1.464", "T", MT(lambda: (w3, R(108, 100) + R(384, 1000)))),
    (r"= 1.08 + 0.384 = 1.464", "T", KK("1.08 + 0.384", "1.464")),
    (r"0 - 0.1\cdot(-6) = -0.6", "F", KK("0 - 0.1*(-6)", "-0.6")),
    (r"0.6 - 0.1\cdot(-4.8) = 0.12", "F", KK("0.6 - 0.1*(-4.8)", "0.12")),
    (r"1.08 + 0.384 = 1.424", "F", KK("1.08 + 0.384", "1.424")),
    (r"f'(w_1) = -4.8", "T", MT(lambda: (df10.subs(w10, w1), R(-48, 10)))),
    (r"f'(w_1) = -2.4", "F", MT(lambda: (df10.subs(w10, w1), R(-24, 10)))),
    (r"w_1 - 3 = 0.8(w_0 - 3)", "T", MT(lambda: (w1 - 3, R(8, 10) * (w0 - 3)))),
    (r"w_2 - 3 = 0.8^2(w_0 - 3)", "T", MT(lambda: (w2 - 3, R(8, 10) ** 2 * (w0 - 3)))),
    (r"w_2 - 3 = 0.8(w_0 - 3)", "F", MT(lambda: (w2 - 3, R(8, 10) * (w0 - 3)))),
    (r"f(w_2) = 3.6864", "T", MT(lambda: (f10.subs(w10, w2), R(36864, 10000)))),
    (r"f(w_2) = 1.92", "F", MT(lambda: (f10.subs(w10, w2), R(192, 100)))),
    (r"{f''(w)} = 3$", "T", MT(lambda: (w10 - df10 / diff(f10, w10, 2), 3))),
    (r"{f''(w)} = w - 3", "F", MT(lambda: (w10 - df10 / diff(f10, w10, 2), w10 - 3))),
    (r"w - f'(w) = 3", "F", MT(lambda: (w10 - df10, 3))),
    (r"J'(\theta) = 2\theta", "T", MT(lambda: (diff(th**2, th), 2 * th))),
    (r"4 - 0.25\cdot 8 = 2", "T", KK("4 - 0.25*8", "2")),
    (r"2 - 0.25\cdot 4 = 1", "T", KK("2 - 0.25*4", "1")),
    (r"1 - 0.25\cdot 2 = 0.25", "F", KK("1 - 0.25*2", "0.25")),
    (
        r"\nabla q = \begin{bmatrix}2x\\ 8y",
        "T",
        MT(lambda: (grad(q10, [qx, qy]), Matrix([2 * qx, 8 * qy]))),
    ),
    (
        r"\nabla q = \begin{bmatrix}2x\\ 4y",
        "F",
        MT(lambda: (grad(q10, [qx, qy]), Matrix([2 * qx, 4 * qy]))),
    ),
    (r"\nabla^2 q =", "T", MT(lambda: (hess(q10, [qx, qy]), mat([[2, 0], [0, 8]])))),
    (r"0.8\\ 0.2\end", "T", MT(lambda: (col(1, 1) - E10 * col(2, 8), col(R(8, 10), R(2, 10))))),
    (r"0.8\\ 0.92\end", "F", MT(lambda: (col(1, 1) - E10 * col(2, 8), col(R(8, 10), R(92, 100))))),
    (r"q(1, 1) = 5", "T", MT(lambda: (q10.subs({qx: 1, qy: 1}), 5))),
    (r"q(0.8, 0.2) = 0.8", "T", MT(lambda: (q10.subs({qx: R(8, 10), qy: R(2, 10)}), R(8, 10)))),
    (r"q(0.8, 0.2) = 0.68", "F", MT(lambda: (q10.subs({qx: R(8, 10), qy: R(2, 10)}), R(68, 100)))),
    (r"\frac{2}{8} = 0.25", "T", KK("2/8", "0.25")),
    (r"0.5^{3} = 0.0125", "T", KK("0.1*0.5**3", "0.0125")),
    (r"0.5^{3} = 0.025", "F", KK("0.1*0.5**3", "0.025")),
    (r"2} = 0.05", "T", KK("0.1/(1 + 0.5*2)", "0.05")),
    (r"2} = 0.025", "F", KK("0.1/(1 + 0.5*2)", "0.025")),
    (r"{1000} = 0.0005", "T", KK("0.001*500/1000", "0.0005")),
    (r"{1000} = 0.005", "F", KK("0.001*500/1000", "0.005")),
    (r"\right) = 0.05", "T", KK("0.1/2*(1 + cos(50*pi/100))", "0.05")),
    (r"\cos\pi\right) = 0.1", "F", KK("0.1/2*(1 + cos(pi))", "0.1")),
    (r"{32} = 0.8", "T", KK("0.1*256/32", "0.8")),
    (r"{32} = 0.32", "F", KK("0.1*256/32", "0.32")),
    (r"e^{-\ln 2} = 0.05", "T", KK("0.1*exp(-log(2))", "0.05")),
    (r"e^{-\ln 2} = 0.2", "F", KK("0.1*exp(-log(2))", "0.2")),
    (r"0.9\cdot 2 + 2 = 3.8", "T", KK("0.9*2 + 2", "3.8")),
    (r"0.9\cdot 2 + 2 = 2.18", "F", KK("0.9*2 + 2", "2.18")),
    (r"0.9\cdot 3.8 + 2 = 5.42", "T", KK("0.9*3.8 + 2", "5.42")),
    (r"0.9\cdot 3.8 + 2 = 5.8", "F", KK("0.9*3.8 + 2", "5.8")),
    (r"0.1\cdot 2 = 2", "T", KK("0.9*2 + 0.1*2", "2")),
    (r"0.9} = 20", "T", KK("2/(1 - 0.9)", "20")),
    (r"0.9} = 2.2", "F", KK("2/(1 - 0.9)", "2.2")),
]

# ============================================================ 11
KL_PQ = "1/2*log((1/2)/(1/4)) + 1/2*log((1/2)/(3/4))"
KL_QP = "1/4*log((1/4)/(1/2)) + 3/4*log((3/4)/(1/2))"
H_PQ = "-1/2*log(1/4) - 1/2*log(3/4)"
H3 = "-1/2*log(1/2) - 1/4*log(1/4) - 1/4*log(1/4)"
KLB = "(p*log(p/q) + (1 - p)*log((1 - p)/(1 - q)))"
ENTRIES["11_kl_entropy.md"] = [
    (r"= \frac{1}{2}\ln\frac{4}{3}$ %%", "T", KK(KL_PQ, "1/2*log(4/3)")),
    (r"= \ln 2 - \frac{1}{2}\ln 3", "T", KK(KL_PQ, "log(2) - 1/2*log(3)")),
    (r"= \ln 2 - \ln 3", "F", KK(KL_PQ, "log(2) - log(3)")),
    (r"= \frac{1}{2}\ln\frac{3}{4}", "F", KK(KL_PQ, "1/2*log(3/4)")),
    (r"= \frac{3}{4}\ln 3 - \ln 2", "T", KK(KL_QP, "3/4*log(3) - log(2)")),
    (r"(KL은 대칭이 아니다)", "F", KK(KL_QP, "1/2*log(4/3)")),
    (r"\ln\frac{1/2}{1/2} = 0", "T", KK("1/2*log((1/2)/(1/2)) + 1/2*log((1/2)/(1/2))", "0")),
    (r"= \ln 2 + \frac{1}{2}\ln\frac{4}{3}", "T", KK(H_PQ, "log(2) + 1/2*log(4/3)")),
    (r"\ln\frac{3}{4} = \frac{1}{2}\ln\frac{4}{3}", "F", KK(H_PQ, "1/2*log(4/3)")),
    (r"\ln\frac{1}{4} = \ln 4", "T", KK("-4*(1/4*log(1/4))", "log(4)")),
    (r"\ln\frac{1}{4} = 4\ln 4", "F", KK("-4*(1/4*log(1/4))", "4*log(4)")),
    (r"\ln\frac{1}{4} = -\ln 4", "F", KK("-4*(1/4*log(1/4))", "-log(4)")),
    (r"= \frac{3}{2}\ln 2", "T", KK(H3, "3/2*log(2)")),
    (r"\ln\frac{1}{4} = \ln 3", "F", KK(H3, "log(3)")),
    (r"e^{\ln 4} = 4", "T", KK("exp(log(4))", "4")),
    (
        r"- (1 - p)\ln(1 - q) \quad",
        "T",
        lambda: I(KLB, "p*log(p) - p*log(q) + (1 - p)*log(1 - p) - (1 - p)*log(1 - q)", "p:U,q:U"),
    ),
    (
        r"= \frac{q - p}{q(1 - q)}",
        "T",
        lambda: I("diff(%s, q)" % KLB, "(q - p)/(q*(1 - q))", "p:U,q:U"),
    ),
    (
        r"= \frac{p - q}{q(1 - q)}",
        "F",
        lambda: I("diff(%s, q)" % KLB, "(p - q)/(q*(1 - q))", "p:U,q:U"),
    ),
    (
        r"= -\frac{p}{q} - \frac{1 - p}{1 - q}",
        "F",
        lambda: I("diff(%s, q)" % KLB, "-p/q - (1 - p)/(1 - q)", "p:U,q:U"),
    ),
    (r"\ln\frac{a}{b} = \ln a - \ln b", "T", lambda: I("log(a/b)", "log(a) - log(b)", "a:P,b:P")),
    (
        r"\ln\frac{a}{b} = \frac{\ln a}{\ln b}",
        "F",
        lambda: I("log(a/b)", "log(a)/log(b)", "a:P,b:P"),
    ),
    (r"\ln(ab) = \ln a\cdot\ln b", "F", lambda: I("log(a*b)", "log(a)*log(b)", "a:P,b:P")),
    (r"\ln\frac{1}{p} = -\ln p", "T", lambda: I("log(1/p)", "-log(p)", "p:P")),
    (r"\ln(a^2) = 2\ln a$", "F", lambda: I("log(a**2)", "2*log(a)")),
    (r"\ln(a^2) = 2\ln|a|", "T", lambda: I("log(a**2)", "2*log(Abs(a))")),
    (
        r"= 2\ln p + \ln(1 - p) \quad",
        "T",
        lambda: I("log(p*p*(1 - p))", "2*log(p) + log(1 - p)", "p:U"),
    ),
    (
        r"= 2\ln p - \ln(1 - p) \quad",
        "F",
        lambda: I("log(p*p*(1 - p))", "2*log(p) - log(1 - p)", "p:U"),
    ),
    (
        r"= \frac{2}{p} - \frac{1}{1 - p}",
        "T",
        lambda: I("diff(2*log(p) + log(1 - p), p)", "2/p - 1/(1 - p)", "p:U"),
    ),
    (
        r"= \frac{2}{p} + \frac{1}{1 - p}",
        "F",
        lambda: I("diff(2*log(p) + log(1 - p), p)", "2/p + 1/(1 - p)", "p:U"),
    ),
    (r"\frac{1}{1 - 2/3} = 0", "T", KK("2/(2/3) - 1/(1 - 2/3)", "0")),
    (r"\frac{1}{1 - 1/2} = 0", "F", KK("2/(1/2) - 1/(1 - 1/2)", "0")),
]

# ============================================================ 12
k_, n_, t_ = sp.symbols("k n t", integer=True, nonnegative=True)


def GEO(lhs_fn, rhs_fn, dom=(-0.95, 0.95), pts=8):
    """series in gamma compared at sample points of the stated domain; lhs_fn(g)
    returns a sympy Sum with numeric g, evaluated with doit/evalf."""

    def run():
        for _ in range(pts):
            g = sp.nsimplify(round(RNG.uniform(*dom), 4))
            a = sp.N(lhs_fn(g).doit(), 30)
            b = sp.N(rhs_fn(g), 30)
            if abs(a - b) > 1e-20:
                return False
        return True

    return run


def PAT(fn, ns=range(1, 8)):
    """\\dots pattern instantiated at n = 1..7: fn(n) -> (lhs, rhs)."""

    def run():
        for n in ns:
            lhs, rhs = fn(n)
            if sp.simplify(sp.expand(lhs - rhs)) != 0:
                return False
        return True

    return run


def convergent_sum(term, var, lo):
    return sp.Sum(term, (var, lo, oo)).is_convergent()


rr = sp.Symbol("r", real=True)


def xs_(n, pos=False):
    return list(
        sp.symbols("x1:%d" % (n + 1), positive=True)
        if pos
        else sp.symbols("x1:%d" % (n + 1), real=True)
    )


ENTRIES["12_series_patterns.md"] = [
    (
        r"= \frac{1}{1 - \gamma} \quad (|\gamma| < 1)",
        "T",
        GEO(lambda g: Sum(g**t_, (t_, 0, oo)), lambda g: 1 / (1 - g)),
    ),
    # without condition: gamma = 2 is allowed and the series diverges (RHS is -1)
    (r"(조건 없이 쓰면)", "F", lambda: bool(convergent_sum(2**t_, t_, 0))),
    (
        r"\gamma^{t} = \frac{\gamma}{1 - \gamma} \quad",
        "F",
        GEO(lambda g: Sum(g**t_, (t_, 0, oo)), lambda g: g / (1 - g)),
    ),
    (
        r"\sum_{t=1}^{\infty}\gamma^{t} = \frac{\gamma}{1 - \gamma}",
        "T",
        GEO(lambda g: Sum(g**t_, (t_, 1, oo)), lambda g: g / (1 - g)),
    ),
    (r"0.9^{t} = 10", "T", KK("Sum(Rational(9, 10)**t, (t, 0, oo)).doit()", "10")),
    (r"0.9^{t} = 9$ %% expect: false", "F", KK("Sum(Rational(9, 10)**t, (t, 0, oo)).doit()", "9")),
    (r"\sum_{t=1}^{\infty}0.9^{t} = 9", "T", KK("Sum(Rational(9, 10)**t, (t, 1, oo)).doit()", "9")),
    (
        r"= \frac{\gamma}{(1 - \gamma)^2}",
        "T",
        GEO(lambda g: Sum(k_ * g**k_, (k_, 1, oo)), lambda g: g / (1 - g) ** 2, dom=(0.02, 0.95)),
    ),
    (
        r"= \frac{1}{(1 - \gamma)^2}",
        "F",
        GEO(lambda g: Sum(k_ * g**k_, (k_, 1, oo)), lambda g: 1 / (1 - g) ** 2, dom=(0.02, 0.95)),
    ),
    (r"0.125 + \cdots = 2", "T", KK("Sum(Rational(1, 2)**t, (t, 0, oo)).doit()", "2")),
    (r"0.125 + \cdots = 1.875", "F", KK("Sum(Rational(1, 2)**t, (t, 0, oo)).doit()", "1.875")),
    (
        r"1 + \frac{1}{2} + \frac{1}{4} + \frac{1}{8} + \cdots = 2",
        "T",
        KK("Sum(Rational(1, 2)**t, (t, 0, oo)).doit()", "2"),
    ),
    (
        r"$\frac{1}{2} + \frac{1}{4} + \frac{1}{8} + \cdots = 2",
        "F",
        KK("Sum(Rational(1, 2)**t, (t, 1, oo)).doit()", "2"),
    ),
    (r"\frac{1}{k^2} = \frac{\pi^2}{6}", "T", KK("Sum(1/k**2, (k, 1, oo)).doit()", "pi**2/6")),
    (
        r"\frac{1}{16} + \cdots = \frac{\pi^2}{6}",
        "T",
        KK("Sum(1/k**2, (k, 1, oo)).doit()", "pi**2/6"),
    ),
    (
        r"\frac{1}{16} + \cdots = \frac{\pi^2}{4}",
        "F",
        KK("Sum(1/k**2, (k, 1, oo)).doit()", "pi**2/4"),
    ),
    (
        r"- \frac{1}{4} + \cdots = \ln 2",
        "T",
        KK("Sum((-1)**(k + 1)/k, (k, 1, oo)).doit()", "log(2)"),
    ),
    (r"+ \frac{1}{4} + \cdots = 2", "F", lambda: bool(convergent_sum(1 / k_, k_, 1))),
    (r"\cdots = \frac{\pi}{4}", "T", KK("Sum((-1)**k/(2*k + 1), (k, 0, oo)).doit()", "pi/4")),
    (r"\cdots = \frac{\pi}{2}", "F", KK("Sum((-1)**k/(2*k + 1), (k, 0, oo)).doit()", "pi/2")),
    (
        r"\sum_{k=0}^{\infty}\frac{1}{k!} = e",
        "T",
        KK("Sum(1/factorial(k), (k, 0, oo)).doit()", "E"),
    ),
    (
        r"\sum_{k=1}^{\infty}\frac{1}{k!} = e",
        "F",
        KK("Sum(1/factorial(k), (k, 1, oo)).doit()", "E"),
    ),
    (
        r"\frac{x^n}{n!} = e^{x}",
        "T",
        GEO(lambda g: Sum(g**n_ / sp.factorial(n_), (n_, 0, oo)), lambda g: sp.exp(g), dom=(-4, 4)),
    ),
    (
        r"= \frac{1}{1 + x^2} \quad",
        "T",
        GEO(lambda g: Sum((-1) ** k_ * g ** (2 * k_), (k_, 0, oo)), lambda g: 1 / (1 + g**2)),
    ),
    (
        r"= \frac{1}{1 - x^2} \quad",
        "F",
        GEO(lambda g: Sum((-1) ** k_ * g ** (2 * k_), (k_, 0, oo)), lambda g: 1 / (1 - g**2)),
    ),
    (
        r"1 + 2 + \cdots + n = \frac{n(n+1)}{2}",
        "T",
        PAT(lambda n: (sum(range(1, n + 1)), R(n * (n + 1), 2))),
    ),
    (
        r"1 + 2 + \cdots + n = \frac{n(n-1)}{2}",
        "F",
        PAT(lambda n: (sum(range(1, n + 1)), R(n * (n - 1), 2))),
    ),
    (r"+ (2n - 1) = n^2", "T", PAT(lambda n: (sum(2 * k - 1 for k in range(1, n + 1)), n**2))),
    (r"+ (2n + 1) = n^2", "F", PAT(lambda n: (sum(2 * k + 1 for k in range(0, n + 1)), n**2))),
    (
        r"(2n+1)}{6}",
        "T",
        PAT(lambda n: (sum(k * k for k in range(1, n + 1)), R(n * (n + 1) * (2 * n + 1), 6))),
    ),
    (
        r"(2n+1)}{3}",
        "F",
        PAT(lambda n: (sum(k * k for k in range(1, n + 1)), R(n * (n + 1) * (2 * n + 1), 3))),
    ),
    (
        r"= \frac{n}{n+1}",
        "T",
        PAT(lambda n: (sum(R(1, k * (k + 1)) for k in range(1, n + 1)), R(n, n + 1))),
    ),
    (
        r"= \frac{1}{n+1}",
        "F",
        PAT(lambda n: (sum(R(1, k * (k + 1)) for k in range(1, n + 1)), R(1, n + 1))),
    ),
    (
        r"r^{n-1} = \frac{1 - r^{n}}{1 - r}",
        "T",
        PAT(lambda n: (sp.together(sum(rr**k for k in range(0, n)) - (1 - rr**n) / (1 - rr)), 0)),
    ),
    (
        r"r^{n} = \frac{1 - r^{n}}{1 - r}",
        "F",
        PAT(
            lambda n: (sp.together(sum(rr**k for k in range(0, n + 1)) - (1 - rr**n) / (1 - rr)), 0)
        ),
    ),
    (
        r"\sum_{i=0}^{n} i = \frac{n(n+1)}{2}",
        "T",
        PAT(lambda n: (sum(range(0, n + 1)), R(n * (n + 1), 2))),
    ),
    (
        r"\sum_{i=1}^{n-1} i = \frac{n(n+1)}{2}",
        "F",
        PAT(lambda n: (sum(range(1, n)), R(n * (n + 1), 2))),
    ),
    (
        r"2^{i} = 2^{n+1} - 1",
        "T",
        PAT(lambda n: (sum(2**i for i in range(0, n + 1)), 2 ** (n + 1) - 1)),
    ),
    (r"2^{i} = 2^{n} - 1", "F", PAT(lambda n: (sum(2**i for i in range(0, n + 1)), 2**n - 1))),
    (r"x_1 + x_2 + \cdots + x_n = \sum", "T", PAT(lambda n: (sum(xs_(n)), sp.Add(*xs_(n))))),
    (r"x_n^2 = \left(\sum", "F", PAT(lambda n: (sum(v**2 for v in xs_(n)), sum(xs_(n)) ** 2))),
    (r"\cdots x_n = \prod", "T", PAT(lambda n: (sp.Mul(*xs_(n)), sp.prod(xs_(n))))),
    (
        r"\ln(x_1x_2\cdots x_n)",
        "T",
        PAT(
            lambda n: (
                sp.expand_log(sp.log(sp.Mul(*xs_(n, True))), force=False),
                sum(sp.log(v) for v in xs_(n, True)),
            )
        ),
    ),
    (r"(wx_1 + wx_2", "T", PAT(lambda n: (diff(sum(w10 * v for v in xs_(n)), w10), sum(xs_(n))))),
    (
        r"= 2(w - x_1) + \cdots",
        "T",
        PAT(
            lambda n: (
                diff(sum((w10 - v) ** 2 for v in xs_(n)), w10),
                sum(2 * (w10 - v) for v in xs_(n)),
            )
        ),
    ),
    (
        r"= (w - x_1) + \cdots",
        "F",
        PAT(
            lambda n: (
                diff(sum((w10 - v) ** 2 for v in xs_(n)), w10),
                sum((w10 - v) for v in xs_(n)),
            )
        ),
    ),
]


# ------------------------------------------------------------------ driver
EXPECT = re.compile(r"%%\s*expect:\s*([^%]*)%%")
VALID = ("true", "false", "skip", "def")


def read_notes():
    """{file: [(line_no, line_text, [labels])]} for every line with a marker."""
    out = {}
    for fn in sorted(os.listdir(HERE)):
        if not re.match(r"\d\d_.*\.md$", fn):
            continue
        rows = []
        with open(os.path.join(HERE, fn), encoding="utf-8") as fh:
            for no, line in enumerate(fh, 1):
                m = EXPECT.search(line)
                if m:
                    labs = [s.strip() for s in m.group(1).split(",") if s.strip()]
                    rows.append((no, line, labs))
        out[fn] = rows
    return out


def main():
    notes = read_notes()
    errors = []
    counts = {}
    confirmed = {"T": 0, "F": 0}
    for fn in sorted(set(notes) | set(ENTRIES)):
        if fn not in notes:
            errors.append("%s: listed in script, no such note" % fn)
            continue
        rows = notes[fn]
        tf = []  # (line_no, text, 'T'/'F') in reading order
        c = counts.setdefault(fn, dict.fromkeys(VALID, 0))
        for no, text, labs in rows:
            for lab in labs:
                if lab not in VALID:
                    errors.append("%s:%d: unknown label %r" % (fn, no, lab))
                    continue
                c[lab] += 1
                if lab in ("true", "false"):
                    tf.append((no, text, "T" if lab == "true" else "F"))
        entries = ENTRIES.get(fn, [])
        if len(entries) != len(tf):
            errors.append(
                "%s: %d true/false labels, %d script entries" % (fn, len(tf), len(entries))
            )
        for (no, text, lab), (snip, exp_lab, check) in zip(tf, entries):
            if snip not in text:
                errors.append("%s:%d: misaligned: snippet %r not on this line" % (fn, no, snip))
                continue
            if lab != exp_lab:
                errors.append("%s:%d: note says %s, script entry says %s" % (fn, no, lab, exp_lab))
                continue
            try:
                holds = bool(check())
            except Exception as exc:  # noqa: BLE001
                errors.append("%s:%d: check raised %s: %s" % (fn, no, type(exc).__name__, exc))
                continue
            if holds != (lab == "T"):
                errors.append(
                    "%s:%d: label %s but the check says the claim %s"
                    % (fn, no, "true" if lab == "T" else "false", "holds" if holds else "fails")
                )
            else:
                confirmed[lab] += 1
    print("%-36s %6s %6s %6s %6s" % ("note", "true", "false", "skip", "def"))
    tot = dict.fromkeys(VALID, 0)
    for fn in sorted(counts):
        row = counts[fn]
        print("%-36s %6d %6d %6d %6d" % (fn, row["true"], row["false"], row["skip"], row["def"]))
        for k in VALID:
            tot[k] += row[k]
    print("%-36s %6d %6d %6d %6d" % ("total", tot["true"], tot["false"], tot["skip"], tot["def"]))
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
