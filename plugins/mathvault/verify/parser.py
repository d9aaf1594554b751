"""Recursive-descent parser from note LaTeX tokens straight to SymPy.

Why hand-written rather than a grammar library: the hard decisions in note
math are not grammatical but contextual.  Whether ``p(x+1)`` is a call or a
product, whether ``e`` is Euler's number, whether ``dy/dx`` may be taken, all
depend on what the note defined earlier.  A recursive-descent parser can ask
the note's :class:`~mathvault.verify.scope.Scope` at the exact token where the
question arises and stop with a precise reason (:class:`Skip`), whereas a
context-free grammar (lark, ANTLR) would return an ambiguity forest that we
would then have to prune with the same rules.  It also keeps the verifier free
of new dependencies.

Precedence, loosest first: ``+ -`` (sum), products (``\\cdot``, ``\\times``,
``/``, juxtaposition), unary sign, postfix (``^``, ``!``, primes), atoms.
Operators such as ``\\frac{d}{dx}``, ``\\lim``, ``\\sum`` take the rest of the
product they start, which is how people read ``\\frac{d}{dx} \\sin x \\cos x``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from .assume import Assumptions
from .lexer import EOF, Tok
from .scope import Scope

LOG_BASE = sp.Symbol("log_base", positive=True)  # the unknown base of a \log written without one


class Skip(Exception):
    """The formula cannot be checked; the message says why."""


GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "rho",
    "varrho",
    "sigma",
    "varsigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Theta",
    "Lambda",
    "Xi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
    "ell",
}
FUNCS = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "cot": sp.cot,
    "sec": sp.sec,
    "csc": sp.csc,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "coth": sp.coth,
    "sech": sp.sech,
    "csch": sp.csch,
    "arcsin": sp.asin,
    "arccos": sp.acos,
    "arctan": sp.atan,
    "arcsinh": sp.asinh,
    "arccosh": sp.acosh,
    "arctanh": sp.atanh,
    "arsinh": sp.asinh,
    "arcosh": sp.acosh,
    "artanh": sp.atanh,
    "exp": sp.exp,
    "ln": sp.log,
    "log": sp.log,
}
INVERSE = {
    "sin": sp.asin,
    "cos": sp.acos,
    "tan": sp.atan,
    "sinh": sp.asinh,
    "cosh": sp.acosh,
    "tanh": sp.atanh,
}
WORDS = set(FUNCS) | {"lim", "max", "min"}
# functions of ML notes, recognised only as names (\operatorname{ReLU}, \text{softplus})
NAMED = {
    "ReLU": lambda u: sp.Max(0, u),
    "relu": lambda u: sp.Max(0, u),
    "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
    "softplus": lambda u: sp.log(1 + sp.exp(u)),
    "sgn": sp.sign,
    "sign": sp.sign,
}
DECORATIONS = {
    "hat",
    "bar",
    "tilde",
    "vec",
    "mathbf",
    "boldsymbol",
    "bm",
    "dot",
    "ddot",
    "overline",
    "widehat",
    "widetilde",
    "check",
    "breve",
    "mathcal",
    "mathbb",
    "mathscr",
    "mathfrak",
}
ELLIPSIS = {
    "\\dots",
    "\\cdots",
    "\\ldots",
    "\\vdots",
    "\\ddots",
    "\\dotsb",
    "\\dotsc",
    "\\dotsm",
    "\\dotso",
}
ARROWS = {"\\to", "\\rightarrow", "\\longrightarrow", "\\Rightarrow"}
FUNCTION_LETTERS = {"f", "g", "h", "F", "G", "H", "\\phi", "\\varphi", "\\psi"}
UNSUPPORTED = {
    "\\partial": "partial-derivative notation outside \\frac{\\partial ..}{\\partial ..}",
    "\\pm": "\\pm not modelled",
    "\\mp": "\\mp not modelled",
    "\\circ": "composition \\circ not modelled here",
    "\\oint": "contour integrals not modelled",
    "\\iint": "multiple integrals not modelled",
    "\\mid": "\\mid not modelled",
    "\\in": "set membership not modelled",
    "\\forall": "quantifiers not modelled",
    "\\otimes": "\\otimes not modelled",
    "\\odot": "\\odot not modelled",
    "\\lfloor": "floor not modelled",
    "\\lceil": "ceiling not modelled",
    "\\mathbb": "sets not modelled",
}
STOP_SYMS = {")", "]", "}", "+", "-", "=", ",", "&", ";", "<", ">"}
MUL_CMDS = {"\\cdot", "\\times", "\\ast"}


@dataclass
class Notes:
    """What the parser learnt about a formula while reading it."""

    hessian: bool = False  # a \nabla^2 was read (a Hessian; against a number: the Laplacian)
    differentials: bool = False  # the claim is about a total differential df(x, y, …)
    # a chain rule with partials: (f, inner x_k, outer t_j); x_k stands for g_k(t_1, …)
    chain: tuple | None = None
    # f -> (x_1, x_2, ...) for an undefined f the claim differentiates by those variables
    signatures: dict[str, tuple[sp.Symbol, ...]] = field(default_factory=dict)
    undefined_functions: set[str] = field(default_factory=set)
    integer_symbols: set[str] = field(default_factory=set)
    indefinite_vars: set[sp.Symbol] = field(default_factory=set)
    no_refute: list[str] = field(default_factory=list)  # why a refutation would be unsafe
    has_decimal: bool = False
    decimal_places: int = 0  # most digits after the point in any decimal written
    calculus_on_compound: bool = False  # d/dx, lim, int applied to more than a bare f(x)
    bound: set[str] = field(default_factory=set)
    assume: Assumptions = field(default_factory=Assumptions)  # domains stated by the note
    derivative_side: bool = False  # an operator (d/dx, integral, limit) was applied to a variable
    matrices: dict[str, sp.Matrix] = field(
        default_factory=dict
    )  # declared names -> the random matrix used
    expandable: set[str] = field(
        default_factory=set
    )  # sum indices with concrete bounds, being read
    matrix_size: int = 0  # size of declared square matrices of unstated size (0: the default, 3)
    seed: int = 0


@dataclass
class FormulaInfo:
    """Facts about the whole formula the claim comes from, used to resolve ambiguity."""

    standalone: set[str] = field(default_factory=set)  # letters not part of a letter run
    plain_uses: set[str] = field(default_factory=set)  # names used not followed by "("
    primed: set[str] = field(default_factory=set)  # names written with a prime


def formula_info(toks: list[Tok]) -> FormulaInfo:
    """Scan a formula's tokens once for the facts :class:`FormulaInfo` holds."""
    info = FormulaInfo()
    for k, t in enumerate(toks):
        prev = toks[k - 1] if k else EOF
        nxt = toks[k + 1] if k + 1 < len(toks) else EOF
        if t.kind == "letter":
            in_run = (prev.kind == "letter" and not t.space) or (
                nxt.kind == "letter" and not nxt.space
            )
            if prev.kind == "sym" and prev.text in "_^":
                continue
            if not in_run:
                info.standalone.add(t.text)
                if nxt.text not in ("(", "'", "_") and nxt.text != "^":
                    info.plain_uses.add(t.text)
                elif nxt.text == "^" and not _is_prime_at(toks, k + 1):
                    info.plain_uses.add(t.text)
        elif t.kind == "cmd" and t.text[1:] in GREEK:
            if nxt.text not in ("(", "'", "_", "^"):
                info.plain_uses.add(t.text)
        if t.kind in ("letter", "cmd") and (nxt.text == "'" or _is_prime_at(toks, k + 1)):
            info.primed.add(t.text)
    return info


def _is_prime_at(toks: list[Tok], k: int) -> bool:
    """Whether ``toks[k:]`` starts ``^\\prime`` or ``^{\\prime...}``."""
    if k >= len(toks) or toks[k].text != "^":
        return False
    nxt = toks[k + 1] if k + 1 < len(toks) else EOF
    if nxt.text == "\\prime":
        return True
    return nxt.text == "{" and k + 2 < len(toks) and toks[k + 2].text in ("\\prime", "'")


class DerivOp:
    """``\\frac{d}{dx}``: an operator waiting for the rest of the product."""

    def __init__(self, variables: list[tuple[sp.Symbol, int]]):
        self.variables = variables


class Parser:
    """Parse one side of a claim.  Raises :class:`Skip` for anything doubtful."""

    def __init__(
        self, toks: list[Tok], scope: Scope, info: FormulaInfo, notes: Notes | None = None
    ):
        self.toks = [t for t in toks if t.kind != "sep"] + [EOF]  # a stray \quad is spacing
        self.i = 0
        self.scope = scope
        self.info = info
        self.notes = notes if notes is not None else Notes()
        self.integral_depth = 0
        self.abs_depth = 0
        self.partial = False

    # ---- token helpers -------------------------------------------------
    def peek(self, k: int = 0) -> Tok:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else EOF

    def next(self) -> Tok:
        t = self.peek()
        self.i += 1
        return t

    def accept(self, text: str) -> bool:
        if self.peek().text == text and self.peek().kind in ("sym", "cmd"):
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            raise Skip(f"unparseable: expected '{text}' near '{self.peek().text or 'end'}'")

    def group_tokens(self) -> list[Tok]:
        """Tokens of a ``{...}`` argument, or the single next token."""
        t = self.next()
        if t.text == "{" and t.kind == "sym":
            depth, start = 1, self.i
            while True:
                u = self.next()
                if u is EOF:
                    raise Skip("unparseable: unclosed '{'")
                if u.kind == "sym" and u.text == "{":
                    depth += 1
                elif u.kind == "sym" and u.text == "}":
                    depth -= 1
                    if depth == 0:
                        return self.toks[start : self.i - 1]
        if t is EOF:
            raise Skip("unparseable: missing argument")
        if t.kind == "num" and len(t.text) > 1 and "." not in t.text:  # \frac12, x^23
            self.toks.insert(self.i, Tok("num", t.text[1:]))
            return [Tok("num", t.text[0], t.space)]
        return [t]

    def sub(self, toks: list[Tok]) -> Parser:
        p = Parser(toks, self.scope, self.info, self.notes)
        p.integral_depth = 0
        return p

    def parse_group(self) -> sp.Expr:
        toks = self.group_tokens()
        return self.sub(toks).parse_all()

    # ---- grammar -------------------------------------------------------
    def parse_all(self) -> sp.Expr:
        if self.peek() is EOF:
            raise Skip("unparseable: empty side")
        e = self.parse_sum()
        if self.peek() is not EOF:
            raise Skip(f"unparseable: unexpected '{self.peek().text}'")
        return e

    def parse_sum(self) -> sp.Expr:
        sign = 1
        if self.accept("-"):
            sign = -1
        else:
            self.accept("+")
        total = sign * self.parse_term()
        while True:
            if self.accept("+"):
                total = total + self.parse_term()
            elif self.accept("-"):
                total = total - self.parse_term()
            elif self.peek().text in ("\\pm", "\\mp"):
                raise Skip("\\pm not modelled")
            else:
                return total

    def starts_factor(self) -> bool:
        t = self.peek()
        if t is EOF or t.kind in ("sep",):
            return False
        if t.kind == "sym":
            if t.text == "|":
                return self.abs_depth == 0
            return t.text in ("(", "[", "{")
        if t.kind == "cmd":
            return t.text not in MUL_CMDS | {"\\\\", "\\div", "\\right", "\\end"} | ARROWS
        if self.integral_depth and self.at_differential():
            return False
        return True

    def at_differential(self) -> bool:
        t, u = self.peek(), self.peek(1)
        return (
            t.kind == "letter"
            and t.text == "d"
            and "d" not in self.scope.variables
            and (u.kind == "letter" or (u.kind == "cmd" and u.text[1:] in GREEK))
        )

    def parse_term(self) -> sp.Expr:
        factors: list[sp.Expr] = []
        ops: list[str | None] = []
        op: str | None = None
        divide_next = False
        first = True
        while True:
            if not first:
                if self.peek().kind == "cmd" and self.peek().text in MUL_CMDS:
                    self.next()
                elif self.accept("*"):
                    pass
                elif self.accept("/") or self.accept("\\div"):
                    divide_next = True
                elif not self.starts_factor():
                    break
            f = self.parse_factor()
            first = False
            if isinstance(f, DerivOp):
                operand = self.parse_term()
                f = self.derivative(operand, f.variables, operand_text="operand")
            if divide_next:
                f = 1 / f if not isinstance(f, sp.MatrixBase) else f.inv()
                divide_next = False
            factors.append(f)
            ops.append(op)
            op = None
            if self.peek().kind == "cmd" and self.peek().text in ("\\times", "\\cdot"):
                op = self.peek().text
        out = factors[0]
        for f, how in zip(factors[1:], ops[1:]):
            out = _product(out, f, how)
        return out

    def parse_factor(self) -> sp.Expr | DerivOp:
        if self.accept("-"):
            f = self.parse_factor()
            if isinstance(f, DerivOp):
                raise Skip("sign before a derivative operator: write -\\frac{d}{dx}(...)")
            return -f
        if self.accept("+"):
            return self.parse_factor()
        base = self.parse_atom()
        if isinstance(base, DerivOp):
            return base
        return self.postfix(base)

    def postfix(self, base: sp.Expr) -> sp.Expr:
        while True:
            if self.peek().text == "^" and self.peek().kind == "sym":
                if base == sp.Symbol("e") and "e" in self.scope.variables:
                    # the note defined e (an error, an edge) but e^{...} reads like Euler's number
                    raise Skip(
                        "ambiguous: e is defined in this note, but e^{...} looks like Euler's number"  # noqa: E501
                    )
                self.next()
                toks = self.group_tokens()
                if len(toks) == 1 and toks[0].text in ("T", "\\top", "\\intercal"):
                    if isinstance(base, sp.MatrixBase):
                        base = base.T
                        continue
                    raise Skip("transpose of a non-matrix not modelled")
                if toks and toks[0].text in ("\\prime", "'"):
                    raise Skip("prime on an expression: derivative variable unknown")
                if toks and toks[0].text in ("+", "-") and len(toks) == 1:
                    raise Skip("one-sided notation ^+ / ^- outside a limit")
                exp = self.sub(toks).parse_all()
                if isinstance(base, sp.MatrixBase):
                    if exp == -1:
                        base = base.inv()
                    elif exp.is_Integer and exp > 0:
                        base = base ** int(exp)
                    else:
                        raise Skip("matrix power not modelled")
                elif (
                    getattr(base, "is_number", False)
                    and getattr(exp, "is_number", False)
                    and _too_big(base, exp)
                ):
                    # (1+10^{-20})^{10^{20}}: exact evaluation would never finish; evalf copes
                    base = sp.Pow(base, exp, evaluate=False)
                else:
                    base = sp.Pow(base, exp)
            elif self.peek().text == "!" and self.peek().kind == "sym":
                self.next()
                for s in base.free_symbols:
                    self.notes.integer_symbols.add(s.name)
                if getattr(base, "is_Integer", False) and base > 3000:
                    raise Skip("factorial too large to compute exactly")
                base = sp.factorial(base)
            else:
                return base

    # ---- atoms ---------------------------------------------------------
    def parse_atom(self) -> sp.Expr | DerivOp:
        t = self.peek()
        if t.kind == "num":
            self.next()
            if "." in t.text:
                self.notes.has_decimal = True
                self.notes.decimal_places = max(
                    self.notes.decimal_places, len(t.text.split(".")[1])
                )
            return sp.Rational(t.text) if "." in t.text else sp.Integer(t.text)
        if t.kind == "sym":
            return self.parse_bracketed(t)
        if t.kind == "letter":
            return self.parse_letter()
        if t.kind == "name":
            self.next()
            if t.text in FUNCS or t.text in NAMED:
                return self.parse_function(t.text)
            if t.text in ("tr", "trace", "Tr"):
                m = self.atom_value()
                if not isinstance(m, sp.MatrixBase) or m.shape[0] != m.shape[1]:
                    raise Skip("trace of something that is not a square matrix")
                return m.trace()
            nxt = self.peek()
            if nxt.text in ("(", "_", "\\{", "[") or nxt.kind in ("letter", "cmd", "name"):
                raise Skip(f"operator {t.text} applied to something: not modelled")
            return self.name_atom(t.text)
        if t.kind == "text":
            raise Skip(f"text inside the formula: '{t.text.strip()}'")
        if t.kind == "cmd":
            return self.parse_command()
        raise Skip(f"unparseable: unexpected '{t.text or 'end'}'")

    def parse_bracketed(self, t: Tok) -> sp.Expr:
        closers = {"(": ")", "[": "]", "{": "}"}
        if t.text == "|":
            self.next()
            self.abs_depth += 1
            inner = self.parse_sum()
            self.abs_depth -= 1
            self.expect("|")
            return sp.Abs(inner)
        if t.text not in closers:
            if t.text in ("\\{",):
                raise Skip("braces \\{ \\} (sets or cases) not modelled")
            raise Skip(f"unparseable: unexpected '{t.text}'")
        self.next()
        saved = self.abs_depth
        self.abs_depth = 0
        inner = self.parse_sum()
        self.abs_depth = saved
        if self.peek().text == ",":
            raise Skip("tuple or interval in brackets not modelled")
        self.expect(closers[t.text])
        return inner

    def parse_letter(self) -> sp.Expr | DerivOp:
        run = self.letter_run()
        if len(run) >= 2:
            if run in WORDS:
                self.i += len(run)
                if run == "lim":
                    return self.parse_limit()
                if run in ("max", "min"):
                    return self.parse_maxmin(run)
                return self.parse_function(run)
            if run in self.scope.variables:
                self.i += len(run)
                return self.name_atom(run)
            total = self.differential(run)
            if total is not None:
                return total
            if (
                run[0] == "d"
                and "d" not in self.info.standalone
                and "d" not in self.scope.variables
            ):
                raise Skip(f"differential d{run[1:]} not modelled")
            if (
                len(run) >= 3
                and not set(run) <= self.info.standalone | set(self.scope.variables)
                and not set(run) <= set(self.scope.shapes)  # ABA^{-1}: declared matrices
            ):
                raise Skip(f"ambiguous symbol: multi-letter name '{run}' (a word or a product?)")
        t = self.next()
        return self.name_atom(t.text)

    def partial_prime(self, name: str, primes: int) -> sp.Expr | None:
        """``f'_x(x, y, z)``: the partial derivative by x of an f the claim gives arguments."""
        sig = self.notes.signatures.get(_clean(name))
        save = self.i
        self.next()
        by = self.group_tokens()
        if (
            primes != 1
            or not sig
            or len(by) != 1
            or sp.Symbol(by[0].text) not in sig
            or self.peek().text != "("
        ):
            self.i = save
            return None
        if tuple(self.call_args()) != sig:
            raise Skip(f"{name}'_{by[0].text} with other arguments than {name}{sig}")
        self.notes.undefined_functions.add(_clean(name))
        self.notes.calculus_on_compound = True
        return sp.Derivative(sp.Function(_clean(name))(*sig), sp.Symbol(by[0].text))

    def differential(self, run: str) -> sp.Expr | None:
        """In a claim about a total differential (``df(x, y) = f_x dx + f_y dy``): ``dx`` is
        the differential of a variable of f, and ``df(x, y)`` is ``Σ ∂f/∂v dv``."""
        if len(run) != 2 or run[0] != "d" or not self.notes.differentials:
            return None
        sig = self.notes.signatures.get(run[1])
        if sig:
            self.i += 2
            if self.peek().text == "(" and self.peek().kind == "sym":
                if tuple(self.call_args()) != sig:
                    raise Skip(f"d{run[1]} with other arguments than {run[1]}{sig}")
            self.notes.undefined_functions.add(run[1])
            self.notes.calculus_on_compound = True
            applied = sp.Function(run[1])(*sig)
            return sum((sp.Derivative(applied, v) * sp.Symbol("d" + str(v)) for v in sig), 0)
        if any(sp.Symbol(run[1]) in sig for sig in self.notes.signatures.values()):
            self.i += 2
            return sp.Symbol("d" + run[1])
        return None

    def letter_run(self) -> str:
        """The adjacent letters starting here (only at the start of a run)."""
        if self.i > 0:
            prev = self.toks[self.i - 1]
            if prev.kind == "letter" and not self.peek().space:
                return self.peek().text
        run, j = "", self.i
        while (
            j < len(self.toks)
            and self.toks[j].kind == "letter"
            and (j == self.i or not self.toks[j].space)
        ):
            run += self.toks[j].text
            j += 1
        return run

    def parse_command(self) -> sp.Expr | DerivOp:
        t = self.next()
        name = t.text[1:]
        if t.text in ELLIPSIS or name == "dots":
            raise Skip(f"ellipsis {t.text}")
        if name in GREEK:
            return self.name_atom(t.text)
        if t.text in ("\\|", "\\lVert", "\\Vert"):
            return self.parse_norm()
        if name == "nabla":
            return self.parse_nabla()
        if name in ("triangle", "Delta", "bigtriangleup", "vartriangle"):
            nxt = self.peek()
            if nxt.kind == "letter" or (nxt.kind == "cmd" and nxt.text[1:] in GREEK):
                self.next()
                return self.name_atom("\\Delta " + nxt.text)
            return self.name_atom("\\Delta")
        if name == "pi":
            return sp.pi
        if name == "infty":
            return sp.oo
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            return self.parse_frac()
        if name == "sqrt":
            index = None
            if self.accept("["):
                start = self.i
                while self.peek().text != "]" and self.peek() is not EOF:
                    self.next()
                index = self.sub(self.toks[start : self.i]).parse_all()
                self.expect("]")
            radicand = self.parse_group()
            return sp.sqrt(radicand) if index is None else sp.root(radicand, index)
        if name in FUNCS:
            return self.parse_function(name)
        if name == "lim":
            return self.parse_limit()
        if name in ("sum", "prod"):
            return self.parse_sum_prod(name)
        if name == "int":
            return self.parse_integral()
        if name in ("max", "min"):
            return self.parse_maxmin(name)
        if name == "det":
            m = self.atom_value()
            if not isinstance(m, sp.MatrixBase) or m.shape[0] != m.shape[1]:
                raise Skip("\\det of something that is not a square matrix")
            return m.det()
        if name in ("binom", "dbinom", "tbinom"):
            n, k = self.parse_group(), self.parse_group()
            for s in n.free_symbols | k.free_symbols:
                self.notes.integer_symbols.add(s.name)
            return sp.binomial(n, k)
        if name in DECORATIONS:
            toks = self.group_tokens()
            inner = "".join(x.text for x in toks)
            if name == "mathbb":
                raise Skip("sets (\\mathbb) not modelled")
            if inner == "0" and name in ("mathbf", "vec", "boldsymbol", "bm"):
                return sp.Integer(0)  # the zero vector: compared as a zero matrix of its shape
            return self.name_atom(f"\\{name}{{{inner}}}")
        if name == "begin":
            return self.parse_environment()
        if t.text in UNSUPPORTED:
            raise Skip(UNSUPPORTED[t.text])
        raise Skip(f"notation not modelled: {t.text}")

    # ---- names, calls and primes ----------------------------------------
    def subscript_text(self) -> str:
        toks = self.group_tokens()
        return "".join(x.text if x.kind != "cmd" else x.text + " " for x in toks).strip()

    def primes(self) -> int:
        k = 0
        while True:
            if self.peek().text == "'" and self.peek().kind == "sym":
                self.next()
                k += 1
            elif _is_prime_at(self.toks, self.i):
                self.next()
                toks = self.group_tokens()
                if not all(x.text in ("\\prime", "'") for x in toks):
                    raise Skip("prime mixed with a power")
                k += len(toks)
            else:
                return k

    def name_atom(self, base: str) -> sp.Expr:
        name = base
        if self.peek().text == "_" and self.peek().kind == "sym":
            self.next()
            sub = self.subscript_text()
            if sub in self.notes.bound and sub in self.notes.expandable:
                # x_i inside \sum_{i=1}^{3}: data, written out as x_1 + x_2 + x_3 below
                return sp.Indexed(sp.IndexedBase(_clean(base)), sp.Symbol(sub))
            if any(b in sub.replace(",", " ").split() or b == sub for b in self.notes.bound):
                raise Skip(
                    f"indexed variable {base}_{{{sub}}} inside a sum or product not modelled"
                )
            name = f"{base}_{{{sub}}}"
        k = self.primes()
        sup = _paren_superscript(self.toks, self.i)
        if sup is not None and not k:
            inner, after = sup
            call = (
                after < len(self.toks)
                and self.toks[after].text == "("
                and self.toks[after].kind == "sym"
            )
            if call and self.is_call(name, base, 1):
                # f^{(3)}(0): the third derivative, not f cubed
                if len(inner) != 1 or inner[0].kind != "num" or "." in inner[0].text:
                    raise Skip(
                        f"derivative of order ({''.join(t.text for t in inner)}) not modelled"
                    )
                self.i = after
                return self.apply(name, int(inner[0].text), self.call_args())
            # \delta^{(l)}, a^{(2)}, W^{(l+1)}: a layer or iteration label, not a power
            self.i = after
            name = f"{name}^{{({''.join(t.text for t in inner)})}}"
        if self.peek().text == "_" and self.peek().kind == "sym":
            partial = self.partial_prime(name, k)
            if partial is not None:
                return partial
            raise Skip(f"subscripted derivative notation {name}'_... not modelled")
        call = self.peek().text == "(" and self.peek().kind == "sym"
        dots = {"\\dot": 1, "\\ddot": 2}
        head, _, rest = base.partition("{")
        if call and not k and head in dots and _clean(rest.rstrip("}")) in self.scope.functions:
            # \dot{x}(t), \ddot{x}(t) for a function x(t) the note defined: time derivatives
            return self.apply(rest.rstrip("}"), dots[head], self.call_args())
        if call and self.is_call(name, base, k):
            return self.apply(name, k, self.call_args())
        if k:
            raise Skip(f"prime on the variable {name}: derivative variable unknown")
        if _clean(name) in self.scope.functions or _clean(name) in self.scope.points:
            # `f^{3}(0)`-like slips or `\sigma(1-\sigma)`: a function used as a number
            raise Skip(f"{name} is a function in this note but is used without arguments")
        return self.symbol(name)

    def is_call(self, name: str, base: str, primes: int) -> bool:
        key = _clean(name)
        if key in self.scope.functions or key in self.scope.points:
            return True
        if key in self.scope.patterns and self.scope.patterns[key][0] is not None:
            # L(w) = \frac1n \sum_{i=1}^{n} …: the caller reads it again at concrete lengths
            self.scope.used.add(key)
            raise Skip(f"{name} is defined over a symbolic length")
        if key in self.scope.variables:
            return False
        if not primes and self.scope.member(key) is not None:
            return False  # s_1 of a family s_k = … the note defined: a number
        if key in self.scope.shapes:
            return False  # A(B + C) for a declared matrix A: a product
        if primes or name in self.info.primed or base in self.info.primed:
            return True
        if name in self.info.plain_uses or base in self.info.plain_uses:
            return False
        if base in FUNCTION_LETTERS:
            return True
        raise Skip(f"ambiguous: {name}(...) could be a function call or a product")

    def call_args(self) -> list[sp.Expr]:
        self.expect("(")
        args = [self.parse_sum()]
        while self.accept(","):
            args.append(self.parse_sum())
        self.expect(")")
        return args

    def apply(self, name: str, k: int, args: list[sp.Expr]) -> sp.Expr:
        points = self.scope.points.get(_clean(name))
        if points is not None:
            # P(A) = 0.3 gave a value at one point, not a function
            value = points.get(tuple(args))
            if k or value is None:
                raise Skip(f"{name} is only given at {', '.join(map(str, points))} in this note")
            return value
        fd = self.scope.functions.get(_clean(name))
        if fd is not None:
            self.scope.used.add(_clean(name))
            if len(args) != len(fd.params):
                raise Skip(f"{name} takes {len(fd.params)} argument(s), got {len(args)}")
            body = fd.body
            if k:
                if len(fd.params) != 1:
                    raise Skip(f"prime on the multi-variable function {name}")
                p = fd.params[0]
                body = sp.diff(self.scope.resolve(body, keep=frozenset({p.name})), p, k)
            return body.subs(dict(zip(fd.params, args)), simultaneous=True)
        self.notes.undefined_functions.add(name)
        f = sp.Function(_clean(name))
        if not k:
            return f(*args)
        if len(args) != 1:
            raise Skip(f"prime on the multi-variable function {name}")
        t = sp.Symbol("_t")
        return sp.Derivative(f(t), (t, k)).subs(t, args[0])

    def symbol(self, raw: str) -> sp.Expr:
        name = _clean(raw)
        vd = self.scope.variables.get(name)
        if vd is not None and isinstance(vd.expr, sp.MatrixBase) and name not in self.notes.bound:
            # A = [[1, 2], [3, 4]]: use the matrix itself so that A^T, AB, A^{-1}, det A work
            self.scope.used.add(name)
            return vd.expr
        if name in self.scope.shapes and name not in self.notes.bound:
            return self.matrix_value(name)
        if (
            name in ("I", "mathbf{I}", "I_{n}", "mathbb{I}")
            and self.scope.shapes
            and name not in self.scope.variables
        ):
            return sp.eye(self.notes.matrix_size or self.scope.square)
        if name == "e" and "e" not in self.scope.variables and "e" not in self.notes.bound:
            return sp.E
        if name in ("i", "j") and name not in self.scope.variables and name not in self.notes.bound:
            if name == "i" and self.scope.imaginary_unit:
                return sp.I
            raise Skip(f"ambiguous symbol {name}: imaginary unit or an index")
        return sp.Symbol(name)

    def parse_norm(self) -> sp.Expr:
        """``\\|x\\|``, ``\\|x\\|_2``, ``\\|x\\|_1``, ``\\|A\\|_F`` (real entries)."""
        start, depth = self.i, 0
        while self.peek() is not EOF:
            tx = self.peek().text
            if tx in ("{", "(", "["):
                depth += 1
            elif tx in ("}", ")", "]"):
                depth -= 1
            elif depth == 0 and tx in ("\\|", "\\rVert", "\\Vert"):
                break
            self.next()
        if self.peek() is EOF:
            raise Skip("unclosed norm")
        inner = self.sub(self.toks[start : self.i]).parse_all()
        self.next()
        kind = "2"
        if self.peek().text == "_" and self.peek().kind == "sym":
            self.next()
            kind = "".join(x.text for x in self.group_tokens())
        if not isinstance(inner, sp.MatrixBase):
            return sp.Abs(inner)
        entries = list(inner)
        if kind == "1" and inner.shape[1] == 1:
            return sp.Add(*[sp.Abs(e) for e in entries])
        if kind in ("\\infty", "infty") and inner.shape[1] == 1:
            return sp.Max(*[sp.Abs(e) for e in entries])
        if kind == "2" and inner.shape[1] != 1:
            raise Skip("spectral norm of a matrix not modelled")
        if kind not in ("2", "F"):
            raise Skip(f"norm _{kind} not modelled")
        return sp.sqrt(sp.Add(*[sp.Abs(e) ** 2 for e in entries]))

    def parse_nabla(self) -> sp.Expr:
        """``\\nabla_{\\mathbf x} (expr)`` over a declared vector, or ``\\nabla f(x, y)`` for a
        defined f; ``\\nabla^2`` is the Hessian (against a number, its trace: the Laplacian)."""
        second = self.nabla_square()
        if self.peek().text == "_" and self.peek().kind == "sym":
            self.next()
            wrt = self.sub(self.group_tokens()).parse_all()
            second = second or self.nabla_square()
            if (
                not isinstance(wrt, sp.MatrixBase)
                or wrt.shape[1] != 1
                or not all(e.is_Symbol for e in wrt)
            ):
                raise Skip("\\nabla with respect to something that is not a declared vector")
            operand = self.parse_term()  # \nabla_{\mathbf x} \frac12 \|A x\|^2: the whole product
            if isinstance(operand, DerivOp):
                raise Skip("\\nabla of an operator")
            if isinstance(operand, sp.MatrixBase):
                if operand.shape != (1, 1):
                    raise Skip("\\nabla of a vector (a Jacobian) not modelled")
                operand = operand[0, 0]
            operand = self.scope.resolve(operand)
            self.notes.derivative_side = True
            self.notes.calculus_on_compound = True
            if second:
                self.notes.hessian = True
                return sp.hessian(operand, list(wrt))
            return sp.Matrix([sp.diff(operand, e) for e in wrt])
        t = self.peek()
        if not (t.kind == "letter" or (t.kind == "cmd" and t.text[1:] in GREEK)):
            raise Skip("\\nabla of something that is not a named function")
        fd = self.scope.functions.get(_clean(t.text))
        sig = self.notes.signatures.get(_clean(t.text))
        if fd is None and sig and len(sig) >= 2 and not second:
            # \nabla f = [∂f/∂x_1, …]: f is any function of the variables the claim names
            self.next()
            if self.peek().text == "(" and self.peek().kind == "sym":
                at = self.call_args()
                if len(at) != 1 or not at[0].is_Symbol or at[0] in sig:
                    raise Skip(f"\\nabla {t.text}(…) at a point not modelled")
                # \nabla f(p): at the point p, as in ∂f/∂x_1(p) on the other side
            self.notes.undefined_functions.add(_clean(t.text))
            applied = sp.Function(_clean(t.text))(*sig)
            return sp.Matrix([sp.Derivative(applied, v) for v in sig])
        if fd is None:
            raise Skip(f"\\nabla {t.text}: {t.text} is not defined in this note")
        self.next()
        args = list(fd.params)
        if self.peek().text == "(" and self.peek().kind == "sym":
            args = self.call_args()
            if len(args) != len(fd.params):
                raise Skip(f"{t.text} takes {len(fd.params)} argument(s)")
        self.notes.calculus_on_compound = True
        if second:
            self.notes.hessian = True
            return sp.hessian(fd.body, list(fd.params)).subs(
                dict(zip(fd.params, args)), simultaneous=True
            )
        grad = [sp.diff(fd.body, p) for p in fd.params]
        return sp.Matrix([g.subs(dict(zip(fd.params, args)), simultaneous=True) for g in grad])

    def nabla_square(self) -> bool:
        """Consume ``^2`` / ``^{2}`` after ``\\nabla``; other powers are not modelled."""
        if self.peek().text != "^" or self.peek().kind != "sym":
            return False
        self.next()
        power = "".join(t.text for t in self.group_tokens())
        if power != "2":
            raise Skip(f"\\nabla^{{{power}}} not modelled")
        return True

    def matrix_value(self, name: str) -> sp.Matrix:
        """The concrete stand-in of a declared matrix or vector, the same for the whole claim.

        Matrices get random invertible integer entries (a false identity between products
        holds for them only by a coincidence of probability ~0, and every product, inverse and
        transpose is then exact); column vectors get symbolic entries ``x_{1}``, ``x_{2}``, ...
        so that gradients and the numeric sweep can vary them.
        """
        if name in self.notes.matrices:
            return self.notes.matrices[name]
        rows, cols = self.scope.shapes[name]
        if name in self.scope.default_size and self.notes.matrix_size:
            rows, cols = self.notes.matrix_size, (1 if cols == 1 else self.notes.matrix_size)
        if cols == 1:
            base = name.split("{", 1)[-1].rstrip("}") if "{" in name else name
            m = sp.Matrix([sp.Symbol(f"{_clean(base)}_{{{k + 1}}}") for k in range(rows)])
        else:
            import random as _random

            rng = _random.Random(f"{self.notes.seed}:{name}")
            while True:
                m = sp.Matrix(rows, cols, lambda i, j: rng.choice([-1, 1]) * rng.randint(1, 9))
                if name in self.scope.symmetric and rows == cols:
                    m = m + m.T
                if rows != cols or m.det() != 0:
                    break
        self.notes.matrices[name] = m
        return m

    # ---- functions -----------------------------------------------------
    def parse_function(self, name: str) -> sp.Expr:
        fn = FUNCS.get(name) or NAMED[name]
        power: sp.Expr | None = None
        base_val: sp.Expr | None = None
        if name == "log" and self.peek().text == "_":
            self.next()
            base_val = self.parse_group()
        primes = self.primes() if name != "log" or base_val is None else 0
        if self.peek().text == "^" and not primes:
            self.next()
            power = self.parse_group()
            if power == -1 and name in INVERSE:
                fn, power = INVERSE[name], None
        if primes:
            # \tanh'(x), \sin''(x): derivatives of a known function at the argument
            t = sp.Dummy("t")
            base_fn = fn if base_val is None else (lambda u: sp.log(u, base_val))
            fn = sp.Lambda(t, sp.diff(base_fn(t), t, primes))
        if self.peek().text == "(" and self.peek().kind == "sym":
            self.next()
            arg = self.parse_sum()
            self.expect(")")
        else:
            arg = self.bare_argument()
        if name == "log" and base_val is None and not primes:
            # \log with no base: natural, 10 or 2? decided for each base (see note._check_pair)
            value = sp.log(arg) / sp.log(LOG_BASE)
            return value if power is None else sp.Pow(value, power)
        if name == "log" and base_val is None:
            self.notes.no_refute.append("\\log without a base (natural or base 10?)")
        value = sp.log(arg, base_val) if base_val is not None else fn(arg)
        return value if power is None else sp.Pow(value, power)

    def atom_value(self) -> sp.Expr:
        a = self.parse_atom()
        if isinstance(a, DerivOp):
            raise Skip("derivative operator inside a function argument without brackets")
        return a

    def bare_argument(self) -> sp.Expr:
        """``\\sin 2x``, ``\\ln x^2``: numbers, letters and their powers, no operators."""
        if not self.starts_factor():
            raise Skip("function without an argument")
        parts = [self.postfix(self.atom_value())]
        while self.peek().kind in ("num", "letter") or (
            self.peek().kind == "cmd" and self.peek().text[1:] in GREEK
        ):
            if self.integral_depth and self.at_differential():
                break
            if self.peek().space and any(getattr(p, "free_symbols", None) for p in parts):
                break  # \cos x\, e^{x}: the space ends the argument
            parts.append(self.postfix(self.atom_value()))
        return sp.Mul(*parts)

    def parse_maxmin(self, name: str) -> sp.Expr:
        args = self.call_args()
        return sp.Max(*args) if name == "max" else sp.Min(*args)

    # ---- calculus ------------------------------------------------------
    def parse_frac(self) -> sp.Expr | DerivOp:
        num = self.group_tokens()
        den = self.group_tokens()
        d = _derivative_parts(num, den)
        if d is None:
            n = self.sub(num).parse_all()
            m = self.sub(den).parse_all()
            return n / m
        order, operand_toks, variables = d
        self.partial = num[0].text == "\\partial"
        if not operand_toks:
            return DerivOp(variables)
        if sum(k for _, k in variables) != order:
            raise Skip("derivative orders in numerator and denominator differ")
        operand = self.leibniz_operand(operand_toks, variables)
        self.derivative_at(operand_toks, operand)
        return self.derivative(
            operand, variables, operand_text="".join(t.text for t in operand_toks)
        )

    def derivative_at(self, operand_toks: list[Tok], operand: sp.Expr) -> None:
        """``\\frac{\\partial f}{\\partial x} f(x, y, z)``: the derivative of f written at its
        arguments (read as ``\\frac{\\partial}{\\partial x} f(x, y, z)``, not as a product)."""
        if not (isinstance(operand, AppliedUndef) and len(operand_toks) == 1):
            return
        t = self.peek()
        if t.text != operand_toks[0].text or self.i + 1 >= len(self.toks):
            return
        if self.toks[self.i + 1].text != "(":
            return
        save = self.i
        self.next()
        if tuple(self.call_args()) != tuple(operand.args):
            self.i = save

    def chain_operand(
        self, key: str | None, variables: list[tuple[sp.Symbol, int]]
    ) -> sp.Expr | None:
        """The operand of a partial in a chain-rule claim (see :func:`chain_roles`)."""
        if key is None or self.notes.chain is None or not self.partial:
            return None
        f, inner, outer = self.notes.chain
        by = [v for v, _ in variables]
        if key == f and all(v in outer for v in by):
            # ∂f/∂t_i: the derivative of f(g_1(t), …, g_n(t))
            self.notes.undefined_functions.add(f)
            self.notes.calculus_on_compound = True
            return sp.Function(f)(*(_inner_fn(v, outer) for v in inner))
        if key == f and all(v in inner for v in by):
            self.notes.undefined_functions.add(f)  # ∂f/∂x_k, at x = g(t) (see chain_at)
            return sp.Function(f)(*inner)
        if sp.Symbol(key) in inner and all(v in outer for v in by):
            self.notes.undefined_functions.add(f"g[{key}]")
            return _inner_fn(sp.Symbol(key), outer)  # ∂x_k/∂t_j
        return None

    def leibniz_operand(self, toks: list[Tok], variables: list[tuple[sp.Symbol, int]]) -> sp.Expr:
        """The ``y`` of ``dy/dx``: a defined variable, a function name, or an expression."""
        name_toks = toks
        simple = len(name_toks) == 1 and (
            name_toks[0].kind == "letter" or name_toks[0].text[1:] in GREEK
        )
        key = _clean(name_toks[0].text) if simple else _token_name(name_toks)
        chained = self.chain_operand(key, variables)
        if chained is not None:
            return chained
        if (
            key is not None
            and not simple
            and not (key in self.scope.functions or key in self.scope.variables)
        ):
            key = None  # \hat y_n and the like, not defined: read as an expression below
        if key is not None:
            if key in self.scope.patterns:
                self.scope.used.add(key)  # dL/dw, L over a symbolic length: read per length
                raise Skip(f"{key} is defined over a symbolic length")
            if key in self.scope.functions:
                fd = self.scope.functions[key]
                if all(v in fd.params for v, _ in variables) and (
                    self.partial or len(fd.params) == 1
                ):
                    return fd.body
                raise Skip(f"d{key}/d{variables[0][0]}: {key} is defined with other arguments")
            if key in self.scope.variables:
                return sp.Symbol(key)
            if name_toks[0].text in FUNCTION_LETTERS and len(variables) == 1 and not self.partial:
                self.notes.undefined_functions.add(key)
                return sp.Function(_clean(key))(variables[0][0])
            sig = self.notes.signatures.get(key)
            if sig and self.partial and all(v in sig for v, _ in variables):
                # ∂f/∂x_1, ∂f/∂x_2 in one claim: f is any function of the variables named
                self.notes.undefined_functions.add(key)
                return sp.Function(key)(*sig)
            raise Skip(
                f"derivative of {name_toks[0].text}, which this note does not define "
                "(what it depends on is unknown)"
            )
        return self.sub(toks).parse_all()

    def derivative(
        self, operand: sp.Expr, variables: list[tuple[sp.Symbol, int]], operand_text: str
    ) -> sp.Expr:
        keep = frozenset(v.name for v, _ in variables) | frozenset(
            str(v) for sig in self.notes.signatures.values() for v in sig
        )
        if self.notes.chain is not None:  # x_k of a chain rule: variables, whatever the note says
            keep |= {str(v) for v in self.notes.chain[1] + self.notes.chain[2]}
        resolved = self.scope.resolve(operand, keep=keep)
        for v, _ in variables:
            if v not in resolved.free_symbols and resolved.free_symbols:
                raise Skip(
                    f"derivative by {v} of {operand_text}, which does not depend on {v} "
                    "by this note's definitions (defined elsewhere?)"
                )
        self._mark_compound(resolved)
        if resolved.free_symbols:
            self.notes.derivative_side = True
        return sp.Derivative(resolved, *variables)

    def _mark_compound(self, expr: sp.Expr) -> None:
        if not (isinstance(expr, AppliedUndef) and all(a.is_Symbol for a in expr.args)):
            self.notes.calculus_on_compound = True

    def parse_limit(self) -> sp.Expr:
        if self.peek().text != "_":
            raise Skip("limit without a subscript")
        self.next()
        toks = self.group_tokens()
        k = next((j for j, x in enumerate(toks) if x.text in ARROWS), None)
        if k is None:
            raise Skip("limit subscript without \\to")
        var = self.sub(toks[:k]).parse_all()
        if not isinstance(var, sp.Symbol):
            raise Skip("limit variable is not a plain symbol")
        point_toks = toks[k + 1 :]
        direction = "+-"
        texts = [x.text for x in point_toks]
        if texts[-4:] in (["^", "{", "+", "}"], ["^", "{", "-", "}"]):
            direction, point_toks = texts[-2], point_toks[:-4]
        elif len(point_toks) >= 2 and point_toks[-2].text == "^":
            direction = {"+": "+", "-": "-"}.get(point_toks[-1].text, "+-")
            point_toks = point_toks[:-2]
        elif len(point_toks) >= 2 and point_toks[-1].text in ("+", "-"):
            direction = point_toks[-1].text
            point_toks = point_toks[:-1]
        point = self.sub(point_toks).parse_all()
        self.notes.bound.add(var.name)
        operand = self.parse_term()
        resolved = self.scope.resolve(operand, keep=frozenset({var.name}))
        self._mark_compound(resolved)
        if point in (sp.oo, -sp.oo):
            direction = "-" if point == sp.oo else "+"
        return sp.Limit(resolved, var, point, direction)

    def parse_sum_prod(self, name: str) -> sp.Expr:
        if self.peek().text != "_":
            raise Skip(f"\\{name} without bounds not modelled")
        self.next()
        lower = self.group_tokens()
        eq = next((j for j, x in enumerate(lower) if x.text == "="), None)
        if eq is None or self.peek().text != "^":
            raise Skip(f"\\{name} bounds must read _{{k=a}}^{{b}}")
        self.next()
        if len(lower[:eq]) == 1 and lower[0].kind == "letter":
            self.notes.bound.add(
                lower[0].text
            )  # \sum_{i=1}^{n} i: here i is the index, not sqrt(-1)
        var = self.sub(lower[:eq]).parse_all()
        if not isinstance(var, sp.Symbol):
            raise Skip(f"\\{name} index is not a plain symbol")
        self.notes.bound.add(var.name)
        start = self.sub(lower[eq + 1 :]).parse_all()
        end = self.parse_group()
        for s in start.free_symbols | end.free_symbols:
            self.notes.integer_symbols.add(s.name)
        concrete = start.is_Integer and end.is_Integer and 0 <= end - start <= 40
        if concrete:
            self.notes.expandable.add(var.name)
        try:
            operand = self.parse_term()
        finally:
            self.notes.expandable.discard(var.name)
        resolved = self.scope.resolve(operand, keep=frozenset({var.name}))
        if concrete and resolved.has(sp.Indexed):
            # sums over indexed data with a known length: x_1 + x_2 + x_3, one name per entry
            terms = [resolved.subs(var, k) for k in range(int(start), int(end) + 1)]
            out = sp.Add(*terms) if name == "sum" else sp.Mul(*terms)
            return out.replace(
                lambda e: isinstance(e, sp.Indexed),
                lambda e: sp.Symbol(f"{e.base.label}_{{{e.indices[0]}}}"),
            )
        if resolved.has(sp.Indexed):
            raise Skip(f"indexed data inside \\{name} with a symbolic length")
        cls = sp.Sum if name == "sum" else sp.Product
        return cls(resolved, (var, start, end))

    def parse_integral(self) -> sp.Expr:
        lower = upper = None
        for _ in range(2):
            if self.peek().text == "_":
                self.next()
                lower = self.parse_group()
            elif self.peek().text == "^":
                self.next()
                upper = self.parse_group()
        if (lower is None) != (upper is None):
            raise Skip("integral with only one bound")
        self.integral_depth += 1
        body = self.parse_sum()
        self.integral_depth -= 1
        if not self.at_differential():
            raise Skip("integral without a trailing dx")
        self.next()
        var = self.name_atom(self.next().text)
        if not isinstance(var, sp.Symbol):
            raise Skip("integration variable is not a plain symbol")
        resolved = self.scope.resolve(body, keep=frozenset({var.name}))
        self._mark_compound(resolved)
        if lower is None:
            self.notes.indefinite_vars.add(var)
            return sp.Integral(resolved, var)
        return sp.Integral(resolved, (var, lower, upper))

    def parse_cases(self) -> sp.Expr:
        """``\\begin{cases} v_1 & c_1 \\\\ v_2 & c_2 \\end{cases}`` as a Piecewise (first true wins)."""  # noqa: E501
        rows: list[list[list[Tok]]] = [[[]]]
        while True:
            t = self.next()
            if t is EOF:
                raise Skip("unclosed cases")
            if t.text == "\\end":
                self.group_tokens()
                break
            if t.text == "\\begin":
                raise Skip("nested environments not modelled")
            if t.text == "&":
                rows[-1].append([])
            elif t.text == "\\\\":
                rows.append([[]])
            else:
                rows[-1][-1].append(t)
        rows = [r for r in rows if any(r)]
        if not rows or any(len(r) != 2 or not r[0] for r in rows):
            raise Skip("cases rows must read 'value & condition'")
        pieces = [(self.sub(v).parse_all(), _case_condition(self, c)) for v, c in rows]
        return sp.Piecewise(*pieces)

    def parse_environment(self) -> sp.Expr:
        env = "".join(x.text for x in self.group_tokens())
        if env == "cases":
            return self.parse_cases()
        if env not in ("bmatrix", "pmatrix", "matrix", "vmatrix", "Bmatrix"):
            raise Skip(f"environment {env} not modelled")
        rows: list[list[sp.Expr]] = [[]]
        cell: list[Tok] = []
        while True:
            t = self.next()
            if t is EOF:
                raise Skip(f"unclosed {env}")
            if t.text == "\\end":
                self.group_tokens()
                break
            if t.text == "&":
                rows[-1].append(self.sub(cell).parse_all())
                cell = []
            elif t.text == "\\\\":
                if cell or rows[-1]:
                    rows[-1].append(self.sub(cell).parse_all())
                    rows.append([])
                cell = []
            elif t.text == "\\begin":
                raise Skip("nested environments not modelled")
            else:
                cell.append(t)
        if cell:
            rows[-1].append(self.sub(cell).parse_all())
        rows = [r for r in rows if r]
        if not rows or len({len(r) for r in rows}) != 1:
            raise Skip(f"ragged {env}")
        m = sp.Matrix(rows)
        return m.det() if env == "vmatrix" else m


_CASE_RELS = {
    "<": sp.StrictLessThan,
    ">": sp.StrictGreaterThan,
    "\\lt": sp.StrictLessThan,
    "\\gt": sp.StrictGreaterThan,
    "\\le": sp.LessThan,
    "\\leq": sp.LessThan,
    "\\ge": sp.GreaterThan,
    "\\geq": sp.GreaterThan,
    "\\leqslant": sp.LessThan,
    "\\geqslant": sp.GreaterThan,
}
_CASE_WORDS = {"if", "for", "when", "where"}
_OTHERWISE = {"otherwise", "else", "elsewhere"}


def _case_condition(p: Parser, toks: list[Tok]) -> sp.Basic:
    """``x > 0``, ``\\text{if } x \\geq 0``, ``\\text{otherwise}`` -> a SymPy condition."""
    toks = [t for t in toks if t.kind != "sep"]
    while (
        toks
        and toks[0].kind in ("name", "text")
        and toks[0].text.strip().rstrip(",") in _CASE_WORDS
    ):
        toks = toks[1:]
    if not toks or (
        len(toks) == 1
        and toks[0].kind in ("name", "text")
        and toks[0].text.strip().rstrip(".") in _OTHERWISE
    ):
        return sp.true
    rels = [k for k, t in enumerate(toks) if t.text in _CASE_RELS and t.kind in ("sym", "cmd")]
    if len(rels) != 1 or (rels[0] + 1 < len(toks) and toks[rels[0] + 1].text == "="):
        raise Skip("case condition not modelled (only one <, >, \\le, \\ge comparison)")
    k = rels[0]
    left, right = p.sub(toks[:k]).parse_all(), p.sub(toks[k + 1 :]).parse_all()
    return _CASE_RELS[toks[k].text](left, right)


def _token_name(toks: list[Tok]) -> str | None:
    """The checker's name for ``\\mathcal{L}``, ``s_1``, ``\\hat{y}`` written as tokens."""
    texts = [t.text for t in toks]
    k, name = 0, None
    if (
        len(toks) >= 4
        and toks[0].kind == "cmd"
        and toks[0].text[1:] in DECORATIONS
        and texts[1] == "{"
    ):
        close = texts.index("}") if "}" in texts else -1
        if close < 0:
            return None
        name, k = f"{toks[0].text}{{{''.join(texts[2:close])}}}", close + 1
    elif len(toks) >= 2 and toks[0].kind == "cmd" and toks[0].text[1:] in DECORATIONS:
        name, k = f"{toks[0].text}{{{texts[1]}}}", 2
    elif toks and (
        toks[0].kind == "letter" or (toks[0].kind == "cmd" and toks[0].text[1:] in GREEK)
    ):
        name, k = toks[0].text, 1
    if name is None:
        return None
    if k < len(toks) and texts[k] == "_":
        if k + 1 < len(toks) and texts[k + 1] == "{":
            close = texts.index("}", k + 1) if "}" in texts[k + 1 :] else -1
            if close < 0:
                return None
            name += "_{" + "".join(texts[k + 2 : close]) + "}"
            k = close + 1
        elif k + 1 < len(toks):
            name += "_{" + texts[k + 1] + "}"
            k += 2
    return _clean(name) if k == len(toks) else None


def _product(a: sp.Expr, b: sp.Expr, how: str | None) -> sp.Expr:
    """``a`` times ``b``; between two column vectors ``\\times`` is the cross product and
    ``\\cdot`` the dot product."""
    va = isinstance(a, sp.MatrixBase) and a.shape[1] == 1 and a.shape[0] > 1
    vb = isinstance(b, sp.MatrixBase) and b.shape[1] == 1 and b.shape[0] > 1
    if va and vb:
        if how == "\\times":
            if a.shape != (3, 1) or b.shape != (3, 1):
                raise Skip("cross product of vectors that are not 3-dimensional")
            return a.cross(b)
        if how is None:
            raise Skip("two column vectors side by side (a dot product? write \\cdot or u^T v)")
        if how == "\\cdot":
            if a.shape != b.shape:
                raise Skip("dot product of vectors of different lengths")
            return a.dot(b)
    try:
        return a * b
    except (sp.ShapeError, TypeError, ValueError) as exc:
        raise Skip(f"shapes do not fit: {exc}") from None


def _too_big(base: sp.Expr, exp: sp.Expr) -> bool:
    """Whether ``base ** exp`` between numbers is too large to evaluate exactly."""
    try:
        e = abs(sp.N(exp, 15))
        b = abs(sp.N(base, 15))
    except (TypeError, ValueError):
        return True
    if not e.is_Number or not b.is_Number:
        return True
    if e > 10**5 and not (base.is_Integer and abs(base) <= 1):
        return True
    return bool(b > 1 and e * sp.log(b, 2) > 10**6)


def _clean(name: str) -> str:
    """A readable SymPy name for a LaTeX name (``\\sigma`` -> ``sigma``)."""
    return name.replace("\\Delta ", "Δ").replace("\\", "").replace(" ", "")


def _paren_superscript(toks: list[Tok], k: int) -> tuple[list[Tok], int] | None:
    """``(inner, index after)`` if ``toks[k:]`` starts ``^{(inner)}``, else None."""
    if (
        k + 3 >= len(toks)
        or toks[k].text != "^"
        or toks[k + 1].text != "{"
        or toks[k + 2].text != "("
    ):
        return None
    depth = 0
    for j in range(k + 2, len(toks)):
        if toks[j].text == "(":
            depth += 1
        elif toks[j].text == ")":
            depth -= 1
            if depth == 0:
                if j + 1 < len(toks) and toks[j + 1].text == "}" and j > k + 3:
                    return toks[k + 3 : j], j + 2
                return None
    return None


def _is_d(t: Tok) -> bool:
    return (t.kind == "letter" and t.text == "d") or t.text == "\\partial"


def signatures(toks: tuple[Tok, ...] | list[Tok], defined: set[str]) -> dict[str, tuple]:
    """``{"f": (x_1, x_2)}`` for every undefined function letter the tokens differentiate
    partially (``\\frac{\\partial f}{\\partial x_1}``), with its variables in order of use."""
    t = list(toks)
    out: dict[str, list[sp.Symbol]] = {}
    for k, x in enumerate(t):  # f(x, y, z), f'_x(x, y, z): the arguments as written first
        if x.text not in FUNCTION_LETTERS or k + 1 >= len(t):
            continue
        if _clean(x.text) in defined or (k and t[k - 1].kind == "letter" and t[k - 1].text != "d"):
            continue
        j = k + 1
        while j < len(t) and t[j].text in ("'", "^", "_"):  # primes and scripts
            j = j + 1 if t[j].text == "'" else _skip_group(t, j + 1)
        if j >= len(t) or t[j].text != "(":
            continue
        args, j = [], j + 1
        while j + 1 < len(t) and t[j].kind == "letter" and t[j + 1].text in (",", ")"):
            args.append(sp.Symbol(t[j].text))
            if t[j + 1].text == ")":
                break
            j += 2
        if len(args) >= 2 and j + 1 < len(t) and t[j + 1].text == ")":
            out.setdefault(_clean(x.text), [])
            out[_clean(x.text)] += [a for a in args if a not in out[_clean(x.text)]]
    for k, x in enumerate(t):
        if x.text != "\\frac" or k + 1 >= len(t) or t[k + 1].text != "{":
            continue
        num_end = _close(t, k + 1)
        if num_end is None or num_end + 1 >= len(t) or t[num_end + 1].text != "{":
            continue
        den_end = _close(t, num_end + 1)
        if den_end is None:
            continue
        num, den = t[k + 2 : num_end], t[num_end + 2 : den_end]
        if not num or num[0].text != "\\partial":
            continue
        try:
            parts = _derivative_parts(num, den)
        except Skip:
            continue
        if parts is None or len(parts[1]) != 1 or parts[1][0].text not in FUNCTION_LETTERS:
            continue
        name = _clean(parts[1][0].text)
        if name in defined:
            continue
        for v, _ in parts[2]:
            if v not in out.setdefault(name, []):
                out[name].append(v)
    return {k: tuple(v) for k, v in out.items()}


def _inner_fn(v: sp.Symbol, outer: tuple[sp.Symbol, ...]) -> sp.Expr:
    """The inner variable x_k of a chain rule as an unknown function g of the outer ones."""
    return sp.Function(f"g[{v.name}]")(*outer)


def chain_at(expr: sp.Expr, chain: tuple) -> sp.Expr:
    """Every inner variable x_k of a chain rule put at g_k(t) (``∂f/∂x_k`` is taken there)."""
    _, inner, outer = chain
    return expr.subs({v: _inner_fn(v, outer) for v in inner}, simultaneous=True)


def chain_roles(
    toks: tuple[Tok, ...] | list[Tok], defined: set[str]
) -> tuple[str, tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]] | None:
    """``(f, inner, outer)`` for a multivariable chain rule written with partials: an undefined
    f differentiated by x_1, x_2 (inner variables) that are themselves differentiated by t_1,
    t_i (outer variables), as in ``∂f/∂t_i = ∂f/∂x_1 ∂x_1/∂t_i + …``; None otherwise."""
    t = list(toks)
    pairs: list[tuple[str, sp.Symbol]] = []
    for k, x in enumerate(t):
        if x.text != "\\frac" or k + 1 >= len(t) or t[k + 1].text != "{":
            continue
        num_end = _close(t, k + 1)
        if num_end is None or num_end + 1 >= len(t) or t[num_end + 1].text != "{":
            continue
        den_end = _close(t, num_end + 1)
        num, den = t[k + 2 : num_end], t[num_end + 2 : den_end or 0]
        if den_end is None or not num or num[0].text != "\\partial":
            continue
        try:
            parts = _derivative_parts(num, den)
        except Skip:
            return None
        if parts is None or not parts[1] or len(parts[2]) != 1 or parts[0] != 1:
            return None
        op = parts[1]
        name = _clean(op[0].text) if len(op) == 1 else _token_name(op)
        if name is None:
            return None
        pairs.append((name, parts[2][0][0]))
    funcs = {a for a, _ in pairs if a in {_clean(f) for f in FUNCTION_LETTERS} and a not in defined}
    if len(funcs) != 1:
        return None
    f = funcs.pop()
    numerators = {a for a, _ in pairs}
    inner: list[sp.Symbol] = []
    outer: list[sp.Symbol] = []
    for a, b in pairs:
        if a == f and b.name in numerators and b not in inner:
            inner.append(b)
    for a, b in pairs:
        if a != f and sp.Symbol(a) in inner and b not in outer and b not in inner:
            outer.append(b)  # t_j: what the inner variables depend on
    for a, b in pairs:
        if a == f and b not in inner and b not in outer:
            return None  # ∂f/∂y with y neither inner nor outer: the roles are not clear
    if not inner or not outer or numerators - {f} - {v.name for v in inner}:
        return None
    return f, tuple(inner), tuple(outer)


def _skip_group(t: list[Tok], k: int) -> int:
    """The index after the token or ``{...}`` group at ``k``."""
    if k < len(t) and t[k].text == "{":
        end = _close(t, k)
        return len(t) if end is None else end + 1
    return k + 1


def _close(t: list[Tok], k: int) -> int | None:
    """The index of the ``}`` closing the ``{`` at ``k``."""
    depth = 0
    for j in range(k, len(t)):
        if t[j].text == "{":
            depth += 1
        elif t[j].text == "}":
            depth -= 1
            if depth == 0:
                return j
    return None


def _derivative_parts(
    num: list[Tok], den: list[Tok]
) -> tuple[int, list[Tok], list[tuple[sp.Symbol, int]]] | None:
    """Split ``\\frac{d^2 y}{dx^2}`` into (2, [y], [(x, 2)]); None if not a derivative."""
    if not num or not den or not _is_d(num[0]) or not _is_d(den[0]):
        return None
    if num[0].text == "d" and len(num) > 1 and num[1].text == "_":
        return None
    j, order = 1, 1
    if len(num) > 2 and num[1].text == "^":
        if num[2].kind == "num":
            order, j = int(num[2].text), 3
        elif num[2].text == "{" and len(num) > 4 and num[3].kind == "num" and num[4].text == "}":
            order, j = int(num[3].text), 5
        else:
            return None
    operand = num[j:]
    variables: list[tuple[sp.Symbol, int]] = []
    k = 0
    while k < len(den):
        if not _is_d(den[k]) or k + 1 >= len(den):
            return None
        v = den[k + 1]
        if v.kind == "cmd" and v.text[1:] in ("hat", "bar", "tilde", "vec", "mathbf", "boldsymbol"):
            # \partial \hat{y}: the same name the parser gives \hat{y} elsewhere
            if k + 2 < len(den) and den[k + 2].text == "{":
                close = next((m for m in range(k + 3, len(den)) if den[m].text == "}"), None)
                if close is None or close != k + 4 or den[k + 3].kind != "letter":
                    raise Skip("partial derivative by a decorated expression not modelled")
                inner, k = den[k + 3].text, close + 1
            elif k + 2 < len(den) and den[k + 2].kind == "letter":
                inner, k = den[k + 2].text, k + 3
            else:
                raise Skip("partial derivative by a decorated variable not modelled")
            vname = f"{v.text}{{{inner}}}"
        elif v.kind != "letter" and not (v.kind == "cmd" and v.text[1:] in GREEK):
            return None
        else:
            k += 2
            vname = v.text
        if k < len(den) and den[k].text == "_":
            if k + 1 >= len(den):
                return None
            if den[k + 1].text == "{":
                close = next((m for m in range(k + 2, len(den)) if den[m].text == "}"), None)
                if close is None:
                    return None
                vname += "_{" + "".join(x.text for x in den[k + 2 : close]) + "}"
                k = close + 1
            else:
                vname += "_{" + den[k + 1].text + "}"
                k += 2
        if (
            k + 2 < len(den)
            and den[k].text == "("
            and den[k + 1].kind == "letter"
            and den[k + 2].text == ")"
        ):
            k += 3  # \partial x_1(p): the derivative at the point p, the same variable
        power = 1
        if k < len(den) and den[k].text == "^":
            if k + 1 < len(den) and den[k + 1].kind == "num":
                power, k = int(den[k + 1].text), k + 2
            elif k + 3 < len(den) and den[k + 1].text == "{" and den[k + 2].kind == "num":
                power, k = int(den[k + 2].text), k + 4
            else:
                return None
        if vname in ("i", "j"):
            raise Skip("ambiguous derivative variable")
        variables.append((sp.Symbol(_clean(vname)), power))
    return order, operand, variables
