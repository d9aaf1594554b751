"""The LaTeX front end: Obsidian habits parse to the intended SymPy."""

import pytest
import sympy as sp

from mathvault.verify.lexer import tokenize
from mathvault.verify.parser import Parser, Skip, formula_info
from mathvault.verify.scope import Scope

x, y, z, n = sp.symbols("x y z n")


def parse(latex: str, scope: Scope | None = None) -> sp.Expr:
    toks = tokenize(latex)
    return Parser(toks, scope or Scope(), formula_info(toks)).parse_all()


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"\frac{1}{1+e^{-z}}", 1 / (1 + sp.exp(-z))),
        (r"x(1-x)", x * (1 - x)),
        (r"n(n+1)", n * (n + 1)),
        (r"2xy", 2 * x * y),
        (r"\sin^{2} x + \cos x", sp.sin(x) ** 2 + sp.cos(x)),
        (r"\sin 2x", sp.sin(2 * x)),
        (r"\left( x \right)[1-x]", x * (1 - x)),
        (r"x\ \cdot\ y \quad", x * y),
        (r"\sqrt[3]{x}", sp.root(x, 3)),
        (r"\frac12", sp.Rational(1, 2)),
        (r"x^23", x**2 * 3),
        (r"|x-1|", sp.Abs(x - 1)),
        (r"\log_{2} x", sp.log(x, 2)),
        (r"\tanh x", sp.tanh(x)),
        (r"\exp(x)", sp.exp(x)),
        (r"\hat y_{n} + w_{ij}", sp.Symbol("hat{y}_{n}") + sp.Symbol("w_{ij}")),
        (r"\triangle x", sp.Symbol("Δx")),
    ],
)
def test_expressions(latex: str, expected: sp.Expr) -> None:
    assert sp.simplify(parse(latex) - expected) == 0


def test_operators() -> None:
    assert parse(r"\frac{d}{dx} x^2").doit() == 2 * x
    assert parse(r"\frac{d^2}{dx^2} \sin x").doit() == -sp.sin(x)
    assert parse(r"lim_{x \rightarrow 0} \frac{\sin x}{x}").doit() == 1
    assert parse(r"\int_{0}^{1} x^{2}\, dx").doit() == sp.Rational(1, 3)
    assert parse(r"\sum_{k=1}^{n} k").doit().equals(n * (n + 1) / 2)


def test_primes_use_the_scope() -> None:
    scope = Scope()
    from mathvault.verify.scope import FuncDef

    scope.functions["sigma"] = FuncDef((z,), 1 / (1 + sp.exp(-z)), 1)
    for latex in (r"\sigma^{\prime}(z)", r"\sigma'(z)", r"\sigma^\prime(z)"):
        assert sp.simplify(parse(latex, scope) - sp.exp(-z) / (1 + sp.exp(-z)) ** 2) == 0
    f = sp.Function("f")
    assert parse("f''(x)") == sp.Derivative(f(x), (x, 2))


@pytest.mark.parametrize(
    ("latex", "reason"),
    [
        (r"out(1-out)", "multi-letter"),
        (r"a + \dots + b", "ellipsis"),
        (r"e^{i\pi}", "imaginary unit"),
        (r"p(x+1)", "call or a product"),
        (r"\frac{dy}{dx}", "does not define"),
        (r"\nabla f", "nabla"),
        (r"y'", "prime on the variable"),
        (r"\int x", "dx"),
    ],
)
def test_doubtful_input_is_skipped_with_reason(latex: str, reason: str) -> None:
    with pytest.raises(Skip, match=reason):
        parse(latex)
