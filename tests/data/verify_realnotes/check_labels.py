#!/usr/bin/env python3
"""Independent SymPy confirmation of every `true`/`false` label in this corpus.

Plain SymPy only (no mathvault).  Each entry of CHECKS names a (file, line),
an anchor string that must occur on that line, and the true/false labels of
that line in reading order, each with a hand-written SymPy encoding of the
claim (lhs, rhs).  The script

* checks that the line really carries exactly those true/false labels;
* checks that every true/false label in the .md files is listed here;
* evaluates each claim exactly (simplify / concrete matrices / exact
  integrals) and requires lhs == rhs for `true` and lhs != rhs for `false`;
* checks that every line's label count equals the number of `=` signs in its
  math (`:=` counts once, `\\neq`, `\\le`, ... contain no `=`).

Exit status 0 and a summary of counts when everything is confirmed.
"""

import re
import sys
from pathlib import Path

from sympy import (
    I,
    Integer,
    Matrix,
    Rational,
    Symbol,
    binomial,
    cos,
    diff,
    exp,
    eye,
    factorial,
    gcd,
    integrate,
    nsimplify,
    oo,
    pi,
    simplify,
    sin,
    sqrt,
    summation,
    symbols,
    zeros,
)

HERE = Path(__file__).resolve().parent
R = Rational
x, y, h, n, k = symbols("x y h n k")
p = Symbol("p")
s = Symbol("s", positive=True)
t = Symbol("t")
lam = Symbol("lambda")
a, b, c, d = symbols("a b c d")
a11, a12, a21, a22, b11, b12, b21, b22 = symbols("a11 a12 a21 a22 b11 b12 b21 b22")
A = Matrix([[a11, a12], [a21, a22]])
B = Matrix([[b11, b12], [b21, b22]])


def col(*v):
    return Matrix(v)


def D(v):  # exact decimal as written
    return nsimplify(v, rational=True) if isinstance(v, float) else Rational(v)


# note-level objects (as defined in the notes)
g = lambda z: z**2 - 2
M1 = Matrix([[4, 1], [1, 3]])
r1 = col(1, 2)
Rcn = lambda z: (1 + z / 2) / (1 - z / 2)
va = col(1, 2, 2)
vb = col(3, 0, 3)
c1 = col(3, 4)
c2 = col(1, 0)
Q = Matrix([[R(3, 5), R(4, 5)], [R(4, 5), R(-3, 5)]])
T = Matrix([[2, 5, 1], [0, 3, 4], [0, 0, -1]])
M4 = Matrix([[2, 1], [1, 2]])
P4 = Matrix([[1, 1], [1, -1]])
N4 = Matrix([[0, 1], [0, 0]])
Rr = Matrix([[0, -1], [1, 0]])
Ss = Matrix([[1, 0], [0, -1]])
L7 = Matrix([[R(5, 4), R(-3, 4)], [R(-3, 4), R(5, 4)]])
H7 = Matrix([[-1, 0], [0, 1]])

# (file, line, anchor, [(label, lhs, rhs), ...])  -- only true/false labels
CHECKS = [
    ("01_newton_iteration.md", 15, "g'(x) = 2x", [("true", diff(g(x), x), 2 * x)]),
    ("01_newton_iteration.md", 17, "x^{(1)}", [("true", 1 - R(1**2 - 2, 2 * 1), R(3, 2))]),
    (
        "01_newton_iteration.md",
        18,
        "x^{(2)}",
        [("true", R(3, 2) - (R(3, 2) ** 2 - 2) / (2 * R(3, 2)), R(17, 12))],
    ),
    (
        "01_newton_iteration.md",
        19,
        "x^{(3)}",
        [("true", R(17, 12) - (R(17, 12) ** 2 - 2) / (2 * R(17, 12)), R(577, 408))],
    ),
    (
        "01_newton_iteration.md",
        22,
        "{3/2} = \\frac{17}{12}",
        [("false", R(3, 2) - (R(3, 2) ** 2 - 2) / R(3, 2), R(17, 12))],
    ),
    (
        "01_newton_iteration.md",
        25,
        "332929}{166464}",
        [("true", R(577, 408) ** 2, R(332929, 166464))],
    ),
    ("01_newton_iteration.md", 26, "332929 - 2", [("true", 332929 - 2 * Integer(166464), 1)]),
    ("01_newton_iteration.md", 27, "g(577/408)", [("true", g(R(577, 408)), R(1, 166464))]),
    ("01_newton_iteration.md", 48, "\\det M = 11", [("true", M1.det(), 11)]),
    (
        "01_newton_iteration.md",
        50,
        "= \\begin{bmatrix} 1/4 \\\\ 2/3",
        [("true", Matrix([[R(1, 4), 0], [0, R(1, 3)]]) * col(1, 2), col(R(1, 4), R(2, 3)))],
    ),
    (
        "01_newton_iteration.md",
        52,
        "1/3 \\\\ 7/4 \\end{bmatrix}$$",
        [
            (
                "true",
                col(1, 2) - Matrix([[0, 1], [1, 0]]) * col(R(1, 4), R(2, 3)),
                col(R(1, 3), R(7, 4)),
            )
        ],
    ),
    (
        "01_newton_iteration.md",
        53,
        "1/12 \\\\ 7/12",
        [
            (
                "true",
                Matrix([[R(1, 4), 0], [0, R(1, 3)]]) * col(R(1, 3), R(7, 4)),
                col(R(1, 12), R(7, 12)),
            )
        ],
    ),
    ("01_newton_iteration.md", 55, "= \\mathbf{r}", [("true", M1 * col(R(1, 11), R(7, 11)), r1)]),
    (
        "01_newton_iteration.md",
        56,
        "1 \\\\ 3 \\end{bmatrix}",
        [("false", M1 * col(R(1, 11), R(7, 11)), col(1, 3))],
    ),
    (
        "01_newton_iteration.md",
        59,
        "\\sqrt{12}}\\right)^2",
        [("true", (1 / sqrt(12)) ** 2, R(1, 4) * R(1, 3))],
    ),
    ("02_ode_pde_schemes.md", 20, "(-2) \\cdot 1 = 0.8", [("true", 1 + D(0.1) * (-2) * 1, D(0.8))]),
    ("02_ode_pde_schemes.md", 21, "0.8^2 = 0.64", [("true", D(0.8) ** 2, D(0.64))]),
    ("02_ode_pde_schemes.md", 22, "0.8^3 = 0.512", [("true", D(0.8) ** 3, D(0.512))]),
    ("02_ode_pde_schemes.md", 23, "0.8^3 = 0.64", [("false", D(0.8) ** 3, D(0.64))]),
    (
        "02_ode_pde_schemes.md",
        32,
        "0.1 \\cdot 2} = \\frac{5}{6}",
        [("true", 1 / (1 + D(0.1) * 2), R(5, 6))],
    ),
    ("02_ode_pde_schemes.md", 33, "125}{216}", [("true", R(5, 6) ** 3, R(125, 216))]),
    ("02_ode_pde_schemes.md", 36, "R(-1)", [("true", Rcn(Integer(-1)), R(1, 3))]),
    ("02_ode_pde_schemes.md", 46, "0.004", [("true", D(0.004) / D(0.1) ** 2, D(0.4))]),
    ("02_ode_pde_schemes.md", 49, "u_i^1", [("true", 1 + D(0.4) * (0 - 2 + 0), D(0.2))]),
    ("02_ode_pde_schemes.md", 50, "u_{i+1}^1", [("true", 0 + D(0.4) * (1 - 0 + 0), D(0.4))]),
    ("02_ode_pde_schemes.md", 52, "0.4 + 0.2 + 0.4", [("true", D(0.4) + D(0.2) + D(0.4), 1)]),
    (
        "02_ode_pde_schemes.md",
        57,
        "(x+h)^4",
        [("true", ((x + h) ** 4 - 2 * x**4 + (x - h) ** 4) / h**2, 12 * x**2 + 2 * h**2)],
    ),
    ("02_ode_pde_schemes.md", 58, "\\cdot 24 = 2h^2", [("true", h**2 / 12 * 24, 2 * h**2)]),
    ("03_projections_gram_schmidt.md", 15, "\\mathbf{b} = 9", [("true", (va.T * vb)[0], 9)]),
    ("03_projections_gram_schmidt.md", 16, "\\mathbf{a} = 9", [("true", (va.T * va)[0], 9)]),
    ("03_projections_gram_schmidt.md", 17, "\\mathbf{b} = 7", [("false", (va.T * vb)[0], 7)]),
    ("03_projections_gram_schmidt.md", 18, "2^2 + 2^2} = 3", [("true", sqrt(1 + 4 + 4), 3)]),
    (
        "03_projections_gram_schmidt.md",
        19,
        "\\,\\mathbf{a} =",
        [("true", (va.T * vb)[0] / (va.T * va)[0] * va, col(1, 2, 2))],
    ),
    (
        "03_projections_gram_schmidt.md",
        20,
        "\\mathbf{b} - \\mathbf{a} =",
        [("true", vb - va, col(2, -2, 1))],
    ),
    (
        "03_projections_gram_schmidt.md",
        21,
        "(\\mathbf{b} - \\mathbf{a}) = 0",
        [("true", (va.T * (vb - va))[0], 0)],
    ),
    ("03_projections_gram_schmidt.md", 32, "\\sqrt{3^2 + 4^2} = 5", [("true", sqrt(9 + 16), 5)]),
    (
        "03_projections_gram_schmidt.md",
        33,
        "16/25 \\\\ -12/25",
        [("true", c2 - R(3, 5) * R(1, 5) * c1, col(R(16, 25), R(-12, 25)))],
    ),
    (
        "03_projections_gram_schmidt.md",
        34,
        "(12/25)^2",
        [("true", sqrt(R(16, 25) ** 2 + R(12, 25) ** 2), R(4, 5))],
    ),
    (
        "03_projections_gram_schmidt.md",
        35,
        "-3/5 \\end{bmatrix} = 0",
        [("true", (Matrix([[R(3, 5), R(4, 5)]]) * col(R(4, 5), R(-3, 5)))[0], 0)],
    ),
    ("03_projections_gram_schmidt.md", 37, "Q^T Q", [("true", Q.T * Q, eye(2))]),
    ("03_projections_gram_schmidt.md", 38, "\\det Q = -1", [("true", Q.det(), -1)]),
    (
        "03_projections_gram_schmidt.md",
        43,
        "4 \\\\ 7 \\end{bmatrix}$$",
        [("true", Matrix([[2, 1], [1, 3]]) * col(1, 2), col(4, 7))],
    ),
    (
        "03_projections_gram_schmidt.md",
        45,
        "= \\frac{5}{5}",
        [("true", Matrix([[4, 1], [7, 3]]).det() / Matrix([[2, 1], [1, 3]]).det(), R(5, 5))],
    ),
    (
        "03_projections_gram_schmidt.md",
        46,
        "1 & 7 \\end{vmatrix} = 10",
        [("true", Matrix([[2, 4], [1, 7]]).det(), 10)],
    ),
    ("04_eigen_triangular.md", 14, "(AB)^T = B^T A^T", [("true", (A * B).T, B.T * A.T)]),
    ("04_eigen_triangular.md", 15, "(A^T)^T = A", [("true", A.T.T, A)]),
    ("04_eigen_triangular.md", 16, "(AB)^{-1}", [("true", (A * B).inv(), B.inv() * A.inv())]),
    ("04_eigen_triangular.md", 17, "\\det(AB)", [("true", (A * B).det(), A.det() * B.det())]),
    (
        "04_eigen_triangular.md",
        18,
        "= ad - bc",
        [("true", Matrix([[a, b], [c, d]]).det(), a * d - b * c)],
    ),
    ("04_eigen_triangular.md", 23, "\\det T = -6", [("true", T.det(), -6)]),
    (
        "04_eigen_triangular.md",
        24,
        "3 & 4 \\end{bmatrix} = -2",
        [("true", Matrix([[1, 2], [3, 4]]).det(), -2)],
    ),
    ("04_eigen_triangular.md", 27, "\\operatorname{tr}(M) = 4", [("true", M4.trace(), 4)]),
    ("04_eigen_triangular.md", 28, "\\det(M) = 3", [("true", M4.det(), 3)]),
    (
        "04_eigen_triangular.md",
        30,
        "(\\lambda - 1)(\\lambda - 3)",
        [("true", lam**2 - 4 * lam + 3, (lam - 1) * (lam - 3))],
    ),
    (
        "04_eigen_triangular.md",
        31,
        "= 3\\begin{bmatrix} 1 \\\\ 1",
        [("true", M4 * col(1, 1), 3 * col(1, 1))],
    ),
    (
        "04_eigen_triangular.md",
        32,
        "= \\begin{bmatrix} 1 \\\\ -1",
        [("true", M4 * col(1, -1), col(1, -1))],
    ),
    (
        "04_eigen_triangular.md",
        33,
        "= 3\\begin{bmatrix} 1 \\\\ -1",
        [("false", M4 * col(1, -1), 3 * col(1, -1))],
    ),
    (
        "04_eigen_triangular.md",
        34,
        "M^2 - 4M + 3I = 0",
        [("true", M4**2 - 4 * M4 + 3 * eye(2), zeros(2, 2))],
    ),
    (
        "04_eigen_triangular.md",
        37,
        "P^{-1} M P",
        [("true", P4.inv() * M4 * P4, Matrix([[3, 0], [0, 1]]))],
    ),
    ("04_eigen_triangular.md", 38, "M^2 =", [("true", M4**2, Matrix([[5, 4], [4, 5]]))]),
    ("04_eigen_triangular.md", 41, "$$MN =", [("true", M4 * N4, Matrix([[0, 2], [0, 1]]))]),
    ("04_eigen_triangular.md", 42, "$$NM =", [("true", N4 * M4, Matrix([[1, 2], [0, 0]]))]),
    ("04_eigen_triangular.md", 43, "= N^T M^T", [("true", (M4 * N4).T, N4.T * M4.T)]),
    ("04_eigen_triangular.md", 44, "= M^T N^T", [("false", (M4 * N4).T, M4.T * N4.T)]),
    ("04_eigen_triangular.md", 45, "N^2 = 0", [("true", N4**2, zeros(2, 2))]),
    ("05_groups.md", 34, "R^2 =", [("true", Rr**2, -eye(2))]),
    ("05_groups.md", 35, "R^4 =", [("true", Rr**4, eye(2))]),
    ("05_groups.md", 36, "R^{-1} = R^3", [("true", Rr.inv(), Rr**3)]),
    ("05_groups.md", 37, "R^{-1} = \\begin", [("true", Rr.inv(), Matrix([[0, 1], [-1, 0]]))]),
    ("05_groups.md", 38, "$$RS = \\begin", [("true", Rr * Ss, Matrix([[0, 1], [1, 0]]))]),
    ("05_groups.md", 39, "$$SR = \\begin", [("true", Ss * Rr, Matrix([[0, -1], [-1, 0]]))]),
    ("05_groups.md", 40, "$$RS = SR$$", [("false", Rr * Ss, Ss * Rr)]),
    ("05_groups.md", 41, "S^2 =", [("true", Ss**2, eye(2))]),
    ("05_groups.md", 42, "SRS = R^{-1}", [("true", Ss * Rr * Ss, Rr.inv())]),
    ("05_groups.md", 46, "\\det(R)\\det(S)", [("true", (Rr * Ss).det(), Rr.det() * Ss.det())]),
    ("05_groups.md", 47, "\\det(RS) = -1", [("true", (Rr * Ss).det(), -1)]),
    ("05_groups.md", 52, "4! = 24", [("true", factorial(4), 24), ("true", R(24, 4), 6)]),
    (
        "05_groups.md",
        53,
        "\\gcd(8, 12)",
        [("true", Integer(12) / gcd(8, 12), 3), ("true", 3 * 8, 24), ("true", 24, 2 * 12)],
    ),
    ("06_rings_fields.md", 19, "(x + 1)^3", [("true", (x + 1) ** 3, x**3 + 3 * x**2 + 3 * x + 1)]),
    ("06_rings_fields.md", 20, "(x + y)(x - y)", [("true", (x + y) * (x - y), x**2 - y**2)]),
    ("06_rings_fields.md", 26, "3 \\cdot 2 = 6 = 5 + 1", [("true", 3 * 2, 6), ("true", 6, 5 + 1)]),
    ("06_rings_fields.md", 27, "4 \\cdot 2 = 8", [("true", 4 * 2, 8), ("true", 8, 7 + 1)]),
    ("06_rings_fields.md", 31, "\\binom{5}{2} = 10", [("true", binomial(5, 2), 10)]),
    ("06_rings_fields.md", 32, "\\binom{7}{3} = 35", [("true", binomial(7, 3), 35)]),
    ("06_rings_fields.md", 33, "\\binom{6}{3} = 15", [("false", binomial(6, 3), 15)]),
    ("06_rings_fields.md", 41, "2^6 = 64", [("true", 2**6, 64), ("true", 64, 9 * 7 + 1)]),
    ("06_rings_fields.md", 42, "3^4 = 81", [("true", 3**4, 81), ("true", 81, 16 * 5 + 1)]),
    (
        "06_rings_fields.md",
        43,
        "2^{10} = 1024",
        [("true", 2**10, 1024), ("true", 1024, 93 * 11 + 1)],
    ),
    ("06_rings_fields.md", 44, "2^{10} = 1000", [("false", 2**10, 1000)]),
    ("06_rings_fields.md", 49, "(1 + 2i)(1 - 2i)", [("true", (1 + 2 * I) * (1 - 2 * I), 5)]),
    ("06_rings_fields.md", 50, "(2 + i)(2 - i)", [("true", (2 + I) * (2 - I), 1**2 + 2**2)]),
    ("07_relativity_tensors.md", 25, "-1^2 + 1^2", [("true", -(1**2) + 1**2 + 0**2 + 0**2, 0)]),
    (
        "07_relativity_tensors.md",
        27,
        "0 \\cdot 0 = 1",
        [("true", -2 * 1 + 1 * 3 + 0 * 0 + 0 * 0, 1)],
    ),
    (
        "07_relativity_tensors.md",
        30,
        "0.6^2}} = 1.25",
        [("true", 1 / sqrt(1 - D(0.6) ** 2), D(1.25))],
    ),
    (
        "07_relativity_tensors.md",
        31,
        "0.8^2}} = \\frac{5}{3}",
        [("true", 1 / sqrt(1 - D(0.8) ** 2), R(5, 3))],
    ),
    ("07_relativity_tensors.md", 33, "\\det L = 1", [("true", L7.det(), 1)]),
    ("07_relativity_tensors.md", 34, "L^T H L = H", [("true", L7.T * H7 * L7, H7)]),
    (
        "07_relativity_tensors.md",
        35,
        "7/4 \\\\ -1/4",
        [("true", L7 * col(2, 1), col(R(7, 4), R(-1, 4)))],
    ),
    (
        "07_relativity_tensors.md",
        36,
        "= -2^2 + 1^2",
        [("true", -(R(7, 4) ** 2) + R(1, 4) ** 2, -(2**2) + 1**2)],
    ),
    (
        "07_relativity_tensors.md",
        43,
        "9 \\times 10^{13}",
        [("true", D(0.001) * (3 * Integer(10) ** 8) ** 2, 9 * Integer(10) ** 13)],
    ),
    ("07_relativity_tensors.md", 44, "2 \\cdot 9.8 = 19.6", [("true", 2 * D(9.8), D(19.6))]),
    ("07_relativity_tensors.md", 48, "3 + 2 \\cdot 4 = 11", [("true", 3 + 2 * 4, 11)]),
    ("07_relativity_tensors.md", 49, "4^2 = 28", [("true", 3 * 4 + R(1, 2) * 2 * 4**2, 28)]),
    ("07_relativity_tensors.md", 50, "4^2 = 20", [("false", 3 * 4 + R(1, 2) * 2 * 4**2, 20)]),
    (
        "07_relativity_tensors.md",
        51,
        "= 121 = 11^2",
        [("true", 3**2 + 2 * 2 * 28, 121), ("true", 121, 11**2)],
    ),
    ("08_proof_fragments.md", 11, "(-1)^2 = 1^2", [("true", (-1) ** 2, 1**2)]),
    (
        "08_proof_fragments.md",
        28,
        "\\frac{n(n+1)}{2}$$",
        [("true", summation(k, (k, 1, n)), n * (n + 1) / 2)],
    ),
    (
        "08_proof_fragments.md",
        30,
        "\\sum_{k=1}^{1} k = 1",
        [("true", summation(k, (k, 1, 1)), 1), ("true", 1, R(1 * 2, 2))],
    ),
    (
        "08_proof_fragments.md",
        32,
        "+ (n + 1)",
        [("true", n * (n + 1) / 2 + (n + 1), (n + 1) * (n + 2) / 2)],
    ),
    (
        "08_proof_fragments.md",
        34,
        "(2k - 1) = n^2",
        [("true", summation(2 * k - 1, (k, 1, n)), n**2)],
    ),
    ("08_proof_fragments.md", 35, "k^2 = 30", [("true", summation(k**2, (k, 1, 4)), 30)]),
    ("08_proof_fragments.md", 36, "k^2 = 20", [("false", summation(k**2, (k, 1, 4)), 20)]),
    (
        "08_proof_fragments.md",
        37,
        "2^{n+1} - 1",
        [("true", summation(2**k, (k, 0, n)), 2 ** (n + 1) - 1)],
    ),
    ("08_proof_fragments.md", 47, "\\exp(0) = 1", [("true", exp(0), 1)]),
    ("08_proof_fragments.md", 51, "7^2 - 1 = 48", [("true", 7**2 - 1, 48), ("true", 48, 2**4 * 3)]),
    ("08_proof_fragments.md", 52, "\\frac{1}{6} = 1", [("true", R(1, 2) + R(1, 3) + R(1, 6), 1)]),
    ("09_operators_fourier.md", 10, "L \\cos x", [("true", -cos(x) + cos(x), 0)]),
    (
        "09_operators_fourier.md",
        11,
        "= -3\\sin(2x)",
        [("true", diff(sin(2 * x), x, 2) + sin(2 * x), -3 * sin(2 * x))],
    ),
    (
        "09_operators_fourier.md",
        12,
        "e^{3x} = 3e^{3x}",
        [("true", diff(exp(3 * x), x), 3 * exp(3 * x))],
    ),
    ("09_operators_fourier.md", 13, "\\left(x^3\\right) = 6x", [("true", diff(x**3, x, 2), 6 * x)]),
    (
        "09_operators_fourier.md",
        21,
        "\\sin(2x)\\sin(3x)",
        [("true", integrate(sin(2 * x) * sin(3 * x), (x, -pi, pi)), 0)],
    ),
    (
        "09_operators_fourier.md",
        22,
        "\\sin^2(3x)",
        [("true", integrate(sin(3 * x) ** 2, (x, -pi, pi)), pi)],
    ),
    (
        "09_operators_fourier.md",
        23,
        "\\cos(x)\\cos(x)",
        [("false", integrate(cos(x) * cos(x), (x, -pi, pi)), 2 * pi)],
    ),
    (
        "09_operators_fourier.md",
        26,
        "x\\sin(x)\\,dx = 2",
        [("true", integrate(x * sin(x), (x, -pi, pi)) / pi, 2)],
    ),
    (
        "09_operators_fourier.md",
        27,
        "x\\sin(2x)\\,dx = -1",
        [("true", integrate(x * sin(2 * x), (x, -pi, pi)) / pi, -1)],
    ),
    (
        "09_operators_fourier.md",
        28,
        "x\\cos(x)\\,dx = 0",
        [("true", integrate(x * cos(x), (x, -pi, pi)) / pi, 0)],
    ),
    (
        "09_operators_fourier.md",
        29,
        "x\\sin(x)\\,dx = 1",
        [("false", integrate(x * sin(x), (x, -pi, pi)) / pi, 1)],
    ),
    (
        "09_operators_fourier.md",
        31,
        "x^2\\,dx",
        [("true", integrate(x**2, (x, -pi, pi)) / pi, 2 * pi**2 / 3)],
    ),
    (
        "09_operators_fourier.md",
        32,
        "\\frac{4}{n^2}",
        [("true", summation(4 / k**2, (k, 1, oo)), 2 * pi**2 / 3)],
    ),
    (
        "09_operators_fourier.md",
        43,
        "e^{-2t}\\,dt = \\frac{1}{2}",
        [("true", integrate(exp(-2 * t), (t, 0, oo)), R(1, 2))],
    ),
    (
        "09_operators_fourier.md",
        44,
        "t\\, e^{-2t}",
        [("true", integrate(t * exp(-2 * t), (t, 0, oo)), R(1, 4))],
    ),
    (
        "09_operators_fourier.md",
        45,
        "\\sin t\\,dt",
        [("true", integrate(exp(-s * t) * sin(t), (t, 0, oo), conds="none"), 1 / (s**2 + 1))],
    ),
    ("10_probability_sets.md", 8, "\\mathbb{E}[X]", [("true", 0 * (1 - p) + 1 * p, p)]),
    ("10_probability_sets.md", 9, "\\operatorname{Var}(X)", [("true", p - p**2, p * (1 - p))]),
    ("10_probability_sets.md", 12, "P(Y = 2)", [("true", binomial(4, 2) * R(1, 2) ** 4, R(3, 8))]),
    ("10_probability_sets.md", 13, "= 0.375", [("true", binomial(4, 2) * D(0.5) ** 4, D(0.375))]),
    ("10_probability_sets.md", 14, "= 0.25", [("false", binomial(4, 2) * D(0.5) ** 4, D(0.25))]),
    (
        "10_probability_sets.md",
        15,
        "\\binom{4}{k} = 16",
        [("true", summation(binomial(4, k), (k, 0, 4)), 16)],
    ),
    ("10_probability_sets.md", 16, "\\binom{5}{2} = 10", [("true", binomial(5, 2), 10)]),
    ("10_probability_sets.md", 19, "= 3.5", [("true", R(1 + 2 + 3 + 4 + 5 + 6, 6), D(3.5))]),
    (
        "10_probability_sets.md",
        20,
        "\\frac{91}{6}$$",
        [("true", summation(k**2, (k, 1, 6)) / 6, R(91, 6))],
    ),
    ("10_probability_sets.md", 21, "3.5^2", [("true", R(91, 6) - D(3.5) ** 2, R(35, 12))]),
    (
        "10_probability_sets.md",
        27,
        "0.1 \\cdot 0.99",
        [("true", D(0.9) * D(0.01) / (D(0.9) * D(0.01) + D(0.1) * D(0.99)), R(1, 12))],
    ),
    ("10_probability_sets.md", 36, "3 + 4 - 2 = 5", [("true", 3 + 4 - 2, 5)]),
    ("10_probability_sets.md", 38, "2^3 = 8", [("true", 2**3, 8)]),
]

EXPECT = re.compile(r"%%\s*expect:\s*([^%]*?)\s*%%")
COMMENT = re.compile(r"%%.*?%%")
MATH = re.compile(r"\$\$(.+?)\$\$|\$(?!\s)(.+?)(?<!\s)\$(?!\d)")
LABELS = {"true", "false", "skip", "def"}


def top_level_equals(math):
    """`=` signs outside brackets and braces: `P(X = 1) = p` has one relation
    (format fix made after the corpus was written, see README)."""
    depth, n = 0, 0
    for ch in math.replace("\\{", "{").replace("\\}", "}"):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "=" and depth == 0:
            n += 1
    return n


def holds(lhs, rhs):
    if isinstance(lhs, Matrix) or isinstance(rhs, Matrix):
        diffm = Matrix(lhs) - Matrix(rhs)
        return all(simplify(e) == 0 for e in diffm)
    return simplify(lhs - rhs) == 0


def main():
    errors = []
    counts = {lab: 0 for lab in LABELS}
    tf_in_files = {}  # (file, line) -> [labels]
    notes = sorted(HERE.glob("[0-9][0-9]_*.md"))
    texts = {}
    for path in notes:
        lines = path.read_text(encoding="utf-8").splitlines()
        texts[path.name] = lines
        for no, line in enumerate(lines, 1):
            m = EXPECT.search(line)
            if not m:
                continue
            labels = [l.strip() for l in m.group(1).split(",")]
            bad = [l for l in labels if l not in LABELS]
            if bad:
                errors.append(f"{path.name}:{no}: unknown label(s) {bad}")
            for l in labels:
                counts[l] = counts.get(l, 0) + 1
            math = "".join((g1 or g2) for g1, g2 in MATH.findall(COMMENT.sub("", line)))
            # `=` inside a subscript such as \sum_{k=1} is a bound, not a relation
            n_eq = top_level_equals(re.sub(r"_\{[^{}]*\}", "", math))
            if n_eq != len(labels):
                errors.append(f"{path.name}:{no}: {len(labels)} labels but {n_eq} '=' in math")
            tf = [l for l in labels if l in ("true", "false")]
            if tf:
                tf_in_files[(path.name, no)] = tf
    listed = set()
    n_checked = 0
    for fname, no, anchor, claims in CHECKS:
        key = (fname, no)
        if key in listed:
            errors.append(f"{fname}:{no}: listed twice")
        listed.add(key)
        lines = texts.get(fname)
        if lines is None or no > len(lines):
            errors.append(f"{fname}:{no}: no such line")
            continue
        if anchor not in lines[no - 1]:
            errors.append(f"{fname}:{no}: anchor {anchor!r} not on this line")
        want = [lab for lab, _, _ in claims]
        have = tf_in_files.get(key, [])
        if want != have:
            errors.append(f"{fname}:{no}: file has true/false labels {have}, checks list {want}")
        for lab, lhs, rhs in claims:
            n_checked += 1
            ok = holds(lhs, rhs)
            if ok != (lab == "true"):
                errors.append(
                    f"{fname}:{no}: labelled {lab} but SymPy says "
                    f"{'equal' if ok else 'different'}: {lhs} vs {rhs}"
                )
    for key in tf_in_files:
        if key not in listed:
            errors.append(f"{key[0]}:{key[1]}: true/false label(s) not covered by CHECKS")
    for e in errors:
        print("ERROR", e)
    total = sum(counts.values())
    print(
        f"notes: {len(notes)}  labels: {total}  "
        + "  ".join(f"{l}: {counts[l]}" for l in ("true", "false", "skip", "def"))
    )
    print(
        f"true/false claims confirmed with SymPy: {n_checked - sum(1 for e in errors if 'SymPy says' in e)}/{n_checked}"  # noqa: E501 (a note's text, kept on one line)
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
