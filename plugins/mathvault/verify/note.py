"""Check every formula of one note, in reading order, with a per-note scope.

For each math span (inline or display) and each row of it: cut the row into
relation chains; if the first link ``lhs = rhs`` has a definable left side
(``name`` or ``name(x, y)``, not yet defined, not mentioned on the right) it is
a *definition* and enters the scope; every other ``=`` link is a *claim* that
is parsed against the scope and decided by :mod:`.decide`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

import sympy as sp

from .cache import VerdictCache
from .claim import Claim
from .decide import Verdict, decide
from .extract import Directive, Math, scan
from .lexer import Tok, tokenize
from .parser import ELLIPSIS, GREEK, FormulaInfo, Notes, Parser, Skip, _clean, _paren_superscript, formula_info
from .scope import FuncDef, Scope, VarDef
from .statements import DEFINE, EQUAL, Chain, split_row
from .timebox import TimeUp

from .version import VERIFIER_VERSION  # noqa: E402  (re-exported)
UNREADABLE = "unreadable:"  # name prefix of a symbol standing for an unparsed definition


@dataclass
class _State:
    scope: Scope = field(default_factory=Scope)
    enabled: bool = True
    deadline: float = float("inf")
    claims: list[Claim] = field(default_factory=list)
    # refuted claims with free variables: (index in claims, lhs, rhs), re-read when the note
    # later gives one of those variables a value (`2x + 3 = x + 5`, then `x = 2`)
    refuted: list[tuple[int, sp.Basic, sp.Basic]] = field(default_factory=list)


def check_note(text: str, *, path: str = "note.md", time_limit: float = 3.0,
               note_time_limit: float | None = None, cache: VerdictCache | None = None) -> list[Claim]:
    """Every claim and definition of the note ``text`` with a verdict.

    ``time_limit`` bounds one claim; ``note_time_limit`` (default 20 x
    ``time_limit``) bounds the whole note: claims after it are skipped with
    that reason.  Never raises.
    """
    state = _State()
    state.deadline = time.monotonic() + (note_time_limit if note_time_limit is not None else 20 * time_limit)
    try:
        events = scan(text)
    except Exception as exc:  # noqa: BLE001 - a note must never break the build
        return [Claim(1, "", "skipped", f"skipped: could not read the note's math ({exc!r})")]
    for ev in events:
        if isinstance(ev, Directive):
            _directive(ev, state)
            continue
        try:
            _check_math(ev, state, time_limit, cache)
        except (Exception, TimeUp, RecursionError) as exc:  # noqa: BLE001
            state.claims.append(Claim(ev.line, ev.latex, "skipped", f"skipped: checker error {exc!r}"))
    return state.claims


def _directive(d: Directive, state: _State) -> None:
    key, _, value = d.text.partition(":")
    key, value = key.strip().lower(), value.strip()
    if key == "verify":
        if value.lower() == "off":
            state.enabled = False
        elif value.lower() == "on":
            state.enabled = True
        elif value.replace(" ", "").lower() == "i=imaginary":
            state.scope.imaginary_unit = True
    elif key == "assume":
        state.scope.assumptions.append(value)


def _check_math(m: Math, state: _State, time_limit: float, cache: VerdictCache | None) -> None:
    info = formula_info(tokenize(m.latex))
    previous_side: tuple[Tok, ...] | None = None
    previous_text = ""
    for line, row_text in m.rows:
        row = split_row(row_text)
        for chain in row.chains:
            sides, texts = list(chain.sides), list(chain.texts)
            if not sides[0] and previous_side is not None:  # "&= ..." continues the last row
                sides[0], texts[0] = previous_side, previous_text
            _check_chain(line, Chain(tuple(sides), chain.rels, tuple(texts)), row.conditional,
                         info, state, time_limit, cache)
            previous_side, previous_text = sides[-1], texts[-1]


def _check_chain(line: int, chain: Chain, conditional: bool, info: FormulaInfo, state: _State,
                 time_limit: float, cache: VerdictCache | None) -> None:
    start = 0
    if state.enabled and chain.rels[0] in (EQUAL, DEFINE) and chain.sides[0] and chain.sides[1]:
        defined = _try_define(line, chain, info, state, forced=chain.rels[0] == DEFINE)
        start = 1 if defined else 0
    for k in range(start, len(chain.rels)):
        latex = f"{chain.texts[k]} {_rel_text(chain.rels[k])} {chain.texts[k + 1]}".strip()
        if not state.enabled:
            state.claims.append(Claim(line, latex, "skipped", "skipped: %% verify: off %%"))
            continue
        if chain.rels[k] not in (EQUAL, DEFINE):
            state.claims.append(Claim(line, latex, "skipped",
                                      f"skipped: relation {chain.rels[k]} is not checked"))
            continue
        if time.monotonic() > state.deadline:
            state.claims.append(Claim(line, latex, "skipped", "skipped: the note's time budget is used up"))
            continue
        state.scope.last_pair = None
        v = _check_pair(chain.sides[k], chain.sides[k + 1], conditional, info, state.scope, time_limit, cache)
        pair = state.scope.last_pair
        if v.verdict == "refuted" and k == 0 and _definable(chain.sides[0], info) is not None:
            v = _redefine(line, chain, info, state) or v
        if v.verdict == "refuted" and pair is not None:
            state.refuted.append((len(state.claims), *pair))
        state.claims.append(Claim(line, latex, v.verdict, v.reason, v.counterexample))


def _rel_text(rel: str) -> str:
    return "=" if rel == EQUAL else rel


def _check_pair(a: tuple[Tok, ...], b: tuple[Tok, ...], conditional: bool, info: FormulaInfo,
                scope: Scope, time_limit: float, cache: VerdictCache | None) -> Verdict:
    ell = next((t.text for t in (*a, *b) if t.text in ELLIPSIS), None)
    if ell:
        return Verdict("skipped", f"skipped: ellipsis {ell} (a pattern, not a formula SymPy can check)")
    notes = Notes()
    if conditional:
        notes.no_refute.append("the formula states a condition next to it")
    if scope.assumptions:
        notes.no_refute.append("the note declares assumptions (%% assume %%) not modelled")
    scope.used.clear()
    try:
        lhs = scope.resolve(Parser(list(a), scope, info, notes).parse_all())
        rhs = scope.resolve(Parser(list(b), scope, info, notes).parse_all())
    except Skip as exc:
        reason = str(exc)
        return Verdict("skipped", reason if reason.startswith("skipped") else f"skipped: {reason}")
    if scope.used:
        notes.calculus_on_compound = True  # a consequence of the note's definitions, not an assumption
        valued = sorted(n for n in scope.used
                        if n in scope.variables and getattr(scope.variables[n].expr, "is_number", False))
        if valued:
            # "$z = 0$ 에서" (at z = 0) reads like a definition but is often only a condition.
            notes.no_refute.append(f"it uses the value {', '.join(valued)} = … given earlier, "
                                   "which may be a condition rather than a definition")
    for side, other in ((a, b), (b, a)):
        lone = _definable(side, info)
        if lone is not None and lone[1] is None and not scope.defines(_clean(lone[0])) and not any(
                t.text == side[0].text for t in other):
            notes.no_refute.append(f"{_clean(lone[0])} is a new name for the other side")
    scope.last_pair = (lhs, rhs)
    bad = sorted(s.name[len(UNREADABLE):] for s in (lhs - rhs if not isinstance(lhs, sp.MatrixBase)
                 else lhs).free_symbols if s.name.startswith(UNREADABLE))
    if bad:
        return Verdict("skipped", f"skipped: uses {', '.join(bad)}, whose definition could not be read")
    key = None
    if cache is not None:
        key = _cache_key(lhs, rhs, notes, time_limit)
        hit = cache.get(key)
        if hit is not None:
            return hit
    seed = int(hashlib.sha256(f"{sp.srepr(lhs)}={sp.srepr(rhs)}".encode()).hexdigest()[:12], 16)
    verdict = decide(lhs, rhs, notes, seed=seed, time_limit=time_limit)
    if cache is not None and key is not None:
        cache.put(key, verdict)
    return verdict


def _cache_key(lhs: sp.Expr, rhs: sp.Expr, notes: Notes, time_limit: float) -> str:
    parts = [VERIFIER_VERSION, sp.__version__, sp.srepr(lhs), sp.srepr(rhs),
             repr(sorted(notes.no_refute)), repr(sorted(notes.integer_symbols)),
             repr(sorted(map(str, notes.indefinite_vars))), f"{notes.has_decimal}{notes.decimal_places}",
             str(notes.calculus_on_compound), str(time_limit)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


# ---- definitions ---------------------------------------------------------

def _definable(side: tuple[Tok, ...], info: FormulaInfo) -> tuple[str, list[str] | None] | None:
    """``(name, params)`` if ``side`` reads ``name`` or ``name(p1, ..., pk)``."""
    toks = list(side)
    if not toks:
        return None
    k = 0
    t = toks[0]
    if t.kind == "cmd" and t.text in ("\\triangle", "\\Delta") and len(toks) > 1 and (
        toks[1].kind == "letter" or toks[1].text[1:] in GREEK
    ):
        name, k = "\\Delta " + toks[1].text, 2
    elif t.kind == "letter" or t.kind == "name" or (t.kind == "cmd" and t.text[1:] in GREEK):
        name, k = t.text, 1
    elif t.kind == "cmd" and t.text in ("\\hat", "\\bar", "\\tilde", "\\mathbf", "\\vec", "\\boldsymbol"):
        if len(toks) > 1 and toks[1].kind == "letter":
            name, k = f"{t.text}{{{toks[1].text}}}", 2
        elif len(toks) > 3 and toks[1].text == "{" and toks[3].text == "}":
            name, k = f"{t.text}{{{toks[2].text}}}", 4
        else:
            return None
    else:
        return None
    if k < len(toks) and toks[k].text == "_":
        if k + 1 < len(toks) and toks[k + 1].text == "{":
            close = next((j for j in range(k + 2, len(toks)) if toks[j].text == "}"), None)
            if close is None:
                return None
            name += "_{" + "".join(x.text for x in toks[k + 2 : close]) + "}"
            k = close + 1
        elif k + 1 < len(toks):
            name += "_{" + toks[k + 1].text + "}"
            k += 2
    sup = _paren_superscript(toks, k)
    if sup is not None:  # \delta^{(2)} = ...: a labelled name, as the parser reads it
        if sup[1] < len(toks) and toks[sup[1]].text == "(":
            return None  # f^{(4)}(x) = ...: a derivative of f, never a new name
        name += "^{(" + "".join(t.text for t in sup[0]) + ")}"
        k = sup[1]
    if k == len(toks):
        return name, None
    if toks[k].text != "(" or toks[-1].text != ")":
        return None
    inner = toks[k + 1 : -1]
    params: list[str] = []
    expect_name = True
    for x in inner:
        if expect_name and (x.kind == "letter" or (x.kind == "cmd" and x.text[1:] in GREEK)):
            params.append(x.text)
            expect_name = False
        elif not expect_name and x.text == ",":
            expect_name = True
        else:
            return None
    if expect_name or len(set(params)) != len(params):
        return None
    return name, params


def _try_define(line: int, chain: Chain, info: FormulaInfo, state: _State, forced: bool) -> bool:
    d = _definable(chain.sides[0], info)
    if d is None:
        return False
    name, params = d
    key = _clean(name)
    scope = state.scope
    if scope.defines(key) and not forced:
        return False
    if params is not None and tuple(sp.Symbol(_clean(p)) for p in params) in scope.points.get(key, {}):
        return False  # P(A) = 0.3 said before: this is a claim about the same point
    head = [t.text for t in chain.sides[0]][: len(chain.sides[0]) - (len(params) * 2 + 1 if params else 0)]
    body = [t.text for t in chain.sides[1]]
    if any(body[j : j + len(head)] == head for j in range(len(body))):
        return False  # x = x + 1 or f(n) = n f(n-1): an assignment or recursion, not a definition
    latex = f"{chain.texts[0]} = {chain.texts[1]}"
    _record(line, latex, key, params, chain.sides[1], info, state, redefine=False)
    return True


def _solved_equations(state: _State, key: str, value: sp.Basic) -> None:
    """Un-refute earlier claims that hold once ``key`` takes the value the note now gives it.

    ``2x + 3 = x + 5`` ... ``x = 2``: the refuted claim was an equation being solved.
    Only exact numeric agreement (all variables then known) counts.
    """
    try:
        val = sp.N(state.scope.resolve(value), 30)
    except Exception:  # noqa: BLE001 - an unreadable value cannot solve anything
        return
    if not getattr(val, "is_number", False):
        return
    keep = []
    for idx, lhs, rhs in state.refuted:
        sym = sp.Symbol(key)
        if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase) or sym not in (lhs - rhs).free_symbols:
            keep.append((idx, lhs, rhs))
            continue
        try:
            d = sp.N((lhs - rhs).subs(sym, val).doit(), 30)
            solved = d.is_number and abs(d) <= sp.Float(10) ** -20 * (1 + abs(sp.N(lhs.subs(sym, val), 30)))
        except Exception:  # noqa: BLE001
            solved = False
        if solved:
            c = state.claims[idx]
            state.claims[idx] = Claim(c.line, c.latex, "skipped",
                                      f"skipped: an equation, not an identity: it holds at {key} = {value}, "
                                      f"which the note gives on a later line")
        else:
            keep.append((idx, lhs, rhs))
    state.refuted = keep


def _parse_fn_body(toks: tuple[Tok, ...], params: list[str], info: FormulaInfo, scope: Scope) -> sp.Expr:
    """Parse a function body; its parameters are plain variables inside it."""
    local = Scope(dict(scope.functions), {k: v for k, v in scope.variables.items()
                                         if k not in {_clean(p) for p in params}},
                  scope.imaginary_unit, scope.assumptions)
    return Parser(list(toks), local, info, Notes()).parse_all()


def _record(line: int, latex: str, key: str, params: list[str] | None, body: tuple[Tok, ...],
            info: FormulaInfo, state: _State, redefine: bool) -> str:
    scope = state.scope
    what = f"{key}({', '.join(_clean(p) for p in params)})" if params is not None else key
    verb = "redefines" if redefine else "defines"
    try:
        composed = _composition(body, scope)
        if composed is not None and params is None:
            t = sp.Symbol("t")
            expr = t
            for f in reversed(composed):
                fd = scope.functions.get(f)
                expr = fd.body.subs(fd.params[0], expr) if fd else sp.Function(f)(expr)
            scope.functions[key] = FuncDef((t,), expr, line)
            scope.variables.pop(key, None)
            what = f"{key}(t) = {expr}"
        elif params is not None:
            expr = _parse_fn_body(body, params, info, scope)
            args = tuple(sp.Symbol(_clean(p)) for p in params)
            if not isinstance(expr, sp.MatrixBase) and not (expr.free_symbols & set(args)):
                # P(A) = 0.3, f(a) = 0: a value at one point, not a (constant) function;
                # P(B) elsewhere stays unknown instead of silently becoming 0.3.
                scope.points.setdefault(key, {})[args] = expr
                scope.functions.pop(key, None)
                what += " (a value at that point)"
            else:
                scope.functions[key] = FuncDef(args, expr, line)
                scope.points.pop(key, None)
            scope.variables.pop(key, None)
        else:
            expr = Parser(list(body), scope, info, Notes()).parse_all()
            scope.variables[key] = VarDef(expr, line)
            scope.functions.pop(key, None)
            _solved_equations(state, key, expr)
        reason = f"{verb} {what} for later claims"
    except Skip as exc:
        scope.functions.pop(key, None)
        scope.variables[key] = VarDef(sp.Symbol(UNREADABLE + key), line)
        reason = f"{verb} {what}, but its right side could not be read ({exc}); claims using it are skipped"
    if not redefine:
        state.claims.append(Claim(line, latex, "definition", reason))
    return reason


def _composition(body: tuple[Tok, ...], scope: Scope) -> list[str] | None:
    """``["f", "g"]`` if ``body`` reads ``f \\circ g`` (names of one-argument functions)."""
    names = [t for k, t in enumerate(body) if k % 2 == 0]
    ops = [t for k, t in enumerate(body) if k % 2 == 1]
    if len(names) < 2 or any(o.text != "\\circ" for o in ops) or len(body) % 2 == 0:
        return None
    out = []
    for t in names:
        if not (t.kind == "letter" or (t.kind == "cmd" and t.text[1:] in GREEK)):
            return None
        key = _clean(t.text)
        fd = scope.functions.get(key)
        if key in scope.variables or (fd is not None and len(fd.params) != 1):
            return None
        out.append(key)
    return out


def _redefine(line: int, chain: Chain, info: FormulaInfo, state: _State) -> Verdict | None:
    d = _definable(chain.sides[0], info)
    if d is None:
        return None
    name, params = d
    key = _clean(name)
    old = state.scope.functions.get(key) or state.scope.variables.get(key)
    was = f" (earlier definition on line {old.line} differs)" if old else ""
    reason = _record(line, "", key, params, chain.sides[1], info, state, redefine=True)
    return Verdict("definition", reason + was)
