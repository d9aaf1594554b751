"""The per-note scope: definitions met so far, in reading order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp


@dataclass
class FuncDef:
    """``name(params) = body`` (body unresolved: may mention defined variables)."""

    params: tuple[sp.Symbol, ...]
    body: sp.Expr
    line: int


@dataclass
class VarDef:
    """``symbol = expr`` for a name the note had not used before."""

    expr: sp.Expr
    line: int


@dataclass
class Scope:
    """Definitions of one note, plus note-wide switches from directives."""

    functions: dict[str, FuncDef] = field(default_factory=dict)
    variables: dict[str, VarDef] = field(default_factory=dict)
    imaginary_unit: bool = False  # %% verify: i=imaginary %%
    assumptions: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # definitions substituted since the last reset
    # `P(A) = 0.3`, `f(a) = 0`: values at single points (the body ignores the parameter),
    # keyed by name, then by the argument tuple; other arguments are unknown.
    points: dict[str, dict[tuple, sp.Expr]] = field(default_factory=dict)
    last_pair: tuple | None = None  # both resolved sides of the claim checked last
    firm: set[str] = field(default_factory=set)  # values given with "let" / := (not conditions)
    # names the note declares as matrices or vectors ("A, B are matrices", \mathbf{x}, \vec u),
    # with the shape they are checked at; `square` is the size of square matrices and of I
    shapes: dict[str, tuple[int, int]] = field(default_factory=dict)
    square: int = 3
    symmetric: set[str] = field(default_factory=set)  # declared matrices said to be symmetric here
    constrained: dict[str, str] = field(default_factory=dict)  # matrix -> kind not modelled
    # declared without a size: checked at 3 and again at 2
    default_size: set[str] = field(default_factory=set)
    conditional: dict[str, str] = field(
        default_factory=dict
    )  # definitions stated under a condition
    # `\bar a = \frac1m \sum_{i=1}^{m} a_i`: definitions over a symbolic length, kept as
    # tokens (params, body, info, the length letters) and read again for each concrete length
    patterns: dict[str, tuple] = field(default_factory=dict)

    def defines(self, name: str) -> bool:
        return name in self.functions or name in self.variables

    def resolve(
        self, expr: sp.Expr, keep: frozenset[str] = frozenset(), depth: int = 12
    ) -> sp.Expr:
        """Replace defined variables by their definitions, except names in ``keep``.

        Definitions may refer to earlier ones (``y = f(u)``, ``u = g(x)``), so
        substitute until nothing changes; ``depth`` bounds accidental cycles.
        """
        for _ in range(depth):
            subs = {
                s: self.variables[s.name].expr
                for s in expr.free_symbols
                if isinstance(s, sp.Symbol) and s.name in self.variables and s.name not in keep
            }
            for s in expr.free_symbols:
                family = self.member(s.name) if isinstance(s, sp.Symbol) and s not in subs else None
                if family is not None and s.name not in keep:
                    subs[s] = family
            if not subs:
                return expr
            self.used.update(s.name for s in subs)
            expr = expr.subs(subs)
        raise RecursionError("definitions refer to each other in a cycle")

    def member(self, name: str) -> sp.Expr | None:
        """``s_{1}`` when the note defined the family ``s_{k} = …z_{k}…``: the body with k = 1."""
        m = re.fullmatch(r"(.+)_\{(\d+)\}", name)
        if m is None or name in self.variables:
            return None
        base, index = m.group(1), int(m.group(2))
        for key, vd in self.variables.items():
            fm = re.fullmatch(re.escape(base) + r"_\{([a-z])\}", key)
            if fm is None:
                continue
            letter = fm.group(1)
            subs = {}
            for sym in vd.expr.free_symbols:
                if sym.name == letter:
                    subs[sym] = sp.Integer(index)
                elif sym.name.endswith("_{" + letter + "}"):
                    subs[sym] = sp.Symbol(sym.name[: -len(letter) - 2] + "{" + str(index) + "}")
            self.used.add(key)
            return vd.expr.xreplace(subs)
        return None

    def fingerprint(self) -> str:
        """A stable text of every definition, for cache keys."""
        parts = [
            f"fn {k}({','.join(map(str, v.params))})={sp.srepr(v.body)}"
            for k, v in sorted(self.functions.items())
        ]
        parts += [f"var {k}={sp.srepr(v.expr)}" for k, v in sorted(self.variables.items())]
        parts += [
            f"point {k}{sp.srepr(a)}={sp.srepr(e)}"
            for k, v in sorted(self.points.items())
            for a, e in sorted(v.items(), key=str)
        ]
        parts += [
            f"pattern {k}={' '.join(t.text for t in v[1])}"
            for k, v in sorted(self.patterns.items())
        ]
        parts.append(f"i={self.imaginary_unit};assume={self.assumptions}")
        return "\n".join(parts)
