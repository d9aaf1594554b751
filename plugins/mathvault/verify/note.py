"""Check every formula of one note, in reading order, with a per-note scope.

For each math span (inline or display) and each row of it: cut the row into
relation chains; if the first link ``lhs = rhs`` has a definable left side
(``name`` or ``name(x, y)``, not yet defined, not mentioned on the right) it is
a *definition* and enters the scope; every other ``=`` link is a *claim* that
is parsed against the scope and decided by :mod:`.decide`.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from .assume import _IF_WORDS, IN_WORDS, Assumptions, read_conditions
from .cache import VerdictCache
from .claim import Claim
from .decide import Verdict, decide
from .extract import Directive, Math, scan
from .lexer import Tok, tokenize
from .parser import (
    ELLIPSIS,
    GREEK,
    LOG_BASE,
    FormulaInfo,
    Notes,
    Parser,
    Skip,
    _clean,
    _paren_superscript,
    chain_at,
    chain_roles,
    formula_info,
    signatures,
)
from .scope import FuncDef, Scope, VarDef
from .statements import DEFINE, EQUAL, Chain, split_row
from .timebox import TimeUp, time_box
from .version import VERIFIER_VERSION  # noqa: E402  (re-exported)

UNREADABLE = "unreadable:"  # name prefix of a symbol standing for an unparsed definition


@dataclass
class _State:
    scope: Scope = field(default_factory=Scope)
    enabled: bool = True
    deadline: float = float("inf")
    claims: list[Claim] = field(default_factory=list)
    section_start: int = 0  # index in claims where the current section's claims begin
    # "S is a symmetric matrix" said plainly (not "if S is symmetric"): holds from there on
    declared_symmetric: list[tuple[int, str]] = field(default_factory=list)
    # "Q is orthogonal", "D는 대각행렬": kinds of matrix the checker does not model
    declared_constrained: list[tuple[int, str, str]] = field(default_factory=list)
    # refuted claims with free variables: (index in claims, lhs, rhs), re-read when the note
    # later gives one of those variables a value (`2x + 3 = x + 5`, then `x = 2`)
    refuted: list[tuple[int, sp.Basic, sp.Basic]] = field(default_factory=list)
    text: str = ""
    blocks: list[int] = field(default_factory=list)  # block (paragraph, list item) id per line
    sections: list[int] = field(default_factory=list)  # section (heading) id per line
    block_text: dict[int, str] = field(default_factory=dict)
    note_assume: Assumptions = field(default_factory=Assumptions)  # %% assume: ... %% so far
    assume: Assumptions = field(default_factory=Assumptions)  # in force for the current formula
    block: int = -1
    section: int = 0
    math_index: int = -1
    math: Math | None = None
    # "at $x = 1$": values that hold for their own block only; restored when it ends
    point_values: dict[str, VarDef | None] = field(default_factory=dict)
    point_line: int = 0
    solving: bool = False  # the value being recorded was found by solving, not stated as "at x = 1"
    past_values: dict[str, list] = field(default_factory=dict)  # every number a name was given
    row: int = 0
    row_unread: bool = False  # the row states a condition the checker could not read
    seen: set[str] = field(default_factory=set)  # letters and names met in earlier formulas
    indexed: dict[str, str] = field(default_factory=dict)  # base -> example of an index superscript
    zero_indexed: set[str] = field(default_factory=set)  # bases written v^0, v^1, v^2, ...
    abstract: str = ""  # the prose that put the note in a group / ring / field, if any
    implication: str = ""  # the implication word of the current formula's sentence, if any
    defined_in: dict[str, int] = field(default_factory=dict)  # name -> section of its definition


_ABSTRACT = re.compile(
    r"\b(?:be|is|are|an?|the|let)\s+(?:an?\s+)?(?:abelian\s+|finite\s+|cyclic\s+|commutative\s+|"
    r"non-?abelian\s+|symmetric\s+|quotient\s+|sub)?(group|ring|field|monoid|semigroup|module|integral domain)s?\b"  # noqa: E501
    r"|\b(?:group|ring|field|monoid)\s+\$|\\mathbb\s*\{[ZF]\}\s*_|\\pmod|\\mod\b|\(\s*[A-Z]\s*,\s*[\\*+]"
    r"|[A-Z]\$?\s*(?:를|을|가|이|는|은)\s*(?:아벨\s*)?(?:군|환|체)(?:이|으로|라|을|를|의|\s|$)",
    re.I,
)
_IMPLY = re.compile(
    r"\b(if|suppose|supposing|assume|assuming|whenever|implies|implied|iff|only if|unless)\b"
    r"|이면|라면|가정|⇒|\\Rightarrow|\\implies|\\iff|\\Leftrightarrow",
    re.I,
)
_SUP = re.compile(
    r"(\\mathcal\{\w\}|\\mathbf\{\w\}|\\[A-Za-z]+|[A-Za-z])(?:_\{[^{}]*\}|_\w)?\^\s*(\{[^{}]*\}|\\[A-Za-z]+|\w)"
)
_INDEX_GREEK = {"\\mu", "\\nu", "\\rho", "\\kappa", "\\lambda\\mu", "\\alpha\\beta", "\\mu\\nu"}


def _zero_indexed(latex_all: str) -> set[str]:
    """Bases written with superscripts 0, 1, 2, ... (``v^0 w^0 + v^1 w^1``): components."""
    sups: dict[str, set[str]] = {}
    for m in _SUP.finditer(latex_all):
        sups.setdefault(m.group(1), set()).add(m.group(2).strip("{}").replace(" ", ""))
    return {b for b, ss in sups.items() if "0" in ss and len({x for x in ss if x.isdigit()}) >= 3}


def _indexed_bases(latex_all: str) -> dict[str, str]:
    """Bases whose superscripts index (``U^k`` with ``U^{k+1}``, ``v^0 … v^3``, ``F^{\\mu\\nu}``)."""  # noqa: E501
    sups: dict[str, set[str]] = {}
    for m in _SUP.finditer(latex_all):
        base, sup = m.group(1), m.group(2).strip("{}").replace(" ", "")
        if base in ("e", "\\exp", "\\sin", "\\cos", "\\tan", "\\log", "\\ln") or base.startswith(
            "\\frac"
        ):
            continue
        sups.setdefault(base, set()).add(sup)
    out = {}
    for base, ss in sups.items():
        if any(x.isdigit() and x not in ("0", "1") for x in ss) and "0" not in ss:
            continue  # r^2 as well as r^{n-1}: powers of r
        for sup in ss:
            if (
                re.fullmatch(r"[a-zA-Z]\s*[+-]\s*\d+", sup)
                or re.fullmatch(r"\([a-zA-Z][^)]*\)", sup)
                or re.fullmatch(r"(\\(mu|nu|rho|kappa|alpha|beta|gamma|sigma)){1,2}", sup)
                or re.fullmatch(r"[ijkl]{2}", sup)
                or (sup == "0" and len({x for x in ss if x.isdigit()}) >= 3)
            ):
                out[base] = f"{base}^{{{sup}}}"
                break
    return out


_DECL_EN = re.compile(
    r"((?:\$?\\?[A-Za-z](?:\{[A-Za-z]\})?\$?\s*(?:,|and)\s*)*\$?\\?[A-Za-z](?:\{[A-Za-z]\})?\$?)\s+"
    r"(?:be|are|is|denote|denotes)\s+(?:an?\s+|two\s+|three\s+|some\s+|any\s+)?"
    r"(?:(?:square|invertible|real|random|arbitrary|general|symmetric|nonsingular|non-singular|orthogonal|column|row|"
    r"\$[^$]{1,30}\$|n\s*[x×]\s*n|\d\s*[x×]\s*\d)\s+)*(matrix|matrices|vectors?)\b",
    re.I,
)
_DECL_KO = re.compile(
    r"((?:\$?\\?[A-Za-z](?:\{[A-Za-z]\})?\$?\s*,\s*)*\$?\\?[A-Za-z](?:\{[A-Za-z]\})?\$?)\s*"
    r"(?:는|은|를|을|가|이)?\s*(?:모두\s*)?(?:\S+\s+){0,2}?(행렬|벡터)"
)
_DECL_NAME = r"\\?[A-Za-z]+(?:\{\\?[A-Za-z]+\})?(?:_\{?\w+\}?)?"
_DECL_IN = re.compile(  # "A, B \in \mathbb{R}^{3\times 3}": every name of the list
    rf"((?:{_DECL_NAME}\s*,\s*)*{_DECL_NAME})\s*\\in\s*\\mathbb\s*\{{?R\}}?\s*\^\s*"
    r"(\{[^{}]+\}|\w)"
)
_DIMS = {"n": 3, "m": 2, "d": 4, "k": 2, "p": 4, "N": 3, "D": 4}


def _declared_shapes(text: str, latex_all: str) -> tuple[dict[str, tuple[int, int]], int]:
    """Names the note declares as matrices or vectors, with the shape to check them at."""
    shapes: dict[str, tuple[int, int]] = {}
    default: set[str] = set()  # sizes the note does not fix: checked at 3 and again at 2
    prose = re.sub(r"%%.*?%%", " ", text, flags=re.S)

    def dim(t: str) -> int | None:
        t = t.strip()
        if t.isdigit():
            return int(t) if 1 <= int(t) <= 6 else None
        return _DIMS.get(t)

    for m in _DECL_IN.finditer(prose):
        sup = m.group(2).strip("{}").replace(" ", "")
        parts = re.split(r"\\times|×|x|\*", sup)
        for raw in m.group(1).split(","):
            name = _clean(raw.replace(" ", ""))
            if len(parts) == 1 and dim(parts[0]):
                shapes[name] = (dim(parts[0]), 1)
                if not parts[0].isdigit():
                    default.add(name)
            elif len(parts) == 2 and dim(parts[0]) and dim(parts[1]):
                shapes[name] = (dim(parts[0]), dim(parts[1]))
                if parts[0] == parts[1] and not parts[0].isdigit():
                    default.add(name)
    for rx in (_DECL_EN, _DECL_KO):
        for m in rx.finditer(prose):
            kind = m.group(2).lower()
            for raw in re.split(r"\s*(?:,|and)\s*", m.group(1)):
                name = _clean(raw.strip().strip("$").strip())
                if not name or name in shapes or name in ("e", "i", "d", "x", "t"):
                    continue  # Euler's e, i, the differential d, common scalar variables: never matrices  # noqa: E501
                vector = kind.startswith("vector") or kind == "벡터"
                shapes[name] = (3, 1) if vector else (3, 3)
                default.add(name)
    for m in re.finditer(r"\\(vec|mathbf|boldsymbol|bm)\s*\{?\s*([A-Za-z])\s*\}?", latex_all):
        name = f"{m.group(1)}{{{m.group(2)}}}"
        if name not in shapes:
            shapes[name] = (3, 1) if m.group(2).islower() or m.group(1) == "vec" else (3, 3)
            default.add(name)
    squares = [r for r, c in shapes.values() if r == c and r > 1]
    square = squares[0] if squares and all(x == squares[0] for x in squares) else 3
    return shapes, square, default


_KINDS = re.compile(
    r"(?<!not )(?<!non-)(?<!non)(orthogonal|orthonormal|unitary|diagonal|triangular|"
    r"positive (?:semi-?)?definite|idempotent|projection|permutation|nilpotent|"
    r"직교|대각|삼각|정부호|멱등|사영)(?!이\s*아)",
    re.I,
)


def _declared_kinds(
    text: str, shapes: dict[str, tuple[int, int]]
) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Matrices a line declares symmetric, or of a kind not modelled, when the line says it
    plainly (an "if …" line states a premise for its own claims only)."""
    symmetric, constrained = [], []
    offset = 0
    for line in text.split("\n"):
        plain = re.sub(r"%%.*?%%", " ", line)
        if plain.strip() and not _IF_WORDS.search(re.sub(r"\$[^$]*\$", " ", plain)):
            for groups in _SYMMETRIC.findall(plain):
                symmetric += [(offset, _clean(g.strip("$ "))) for g in groups if g]
            kind = _KINDS.search(plain)
            if kind:
                named = {
                    _clean(m.group(1))
                    for m in re.finditer(r"\$\s*\\?([A-Za-z]+(?:\{[A-Za-z]\})?)", plain)
                }
                constrained += [(offset, n, kind.group(1)) for n in sorted(named) if n in shapes]
        offset += len(line) + 1
    return symmetric, constrained


_SYMMETRIC = re.compile(
    r"(\$?\\?[A-Za-z](?:\{[A-Za-z]\})?\$?)\s+(?:is|be)\s+(?:a\s+)?symmetric\b"
    r"|\bsymmetric\s+(?:matrix\s+)?(\$?\\?[A-Za-z](?:\{[A-Za-z]\})?\$?)(?!\w)"
    r"|(\$?[A-Z]\$?)\s*(?:가|이|는|은)\s*대칭(?!이\s*아)"
    # "$S \in \mathbb{R}^{3\times 3}$ 는 대칭행렬", "$S \in …$ is symmetric"
    r"|\$([A-Z])\s*\\in[^$]*\$\s*(?:가|이|는|은)\s*대칭(?!이\s*아)"
    r"|\$([A-Z])\s*\\in[^$]*\$\s+(?:is|be)\s+(?:a\s+)?symmetric\b"
)


def _sentence(state: _State, m: Math) -> str:
    """The prose sentence an inline formula sits in (other formulas kept as written)."""
    if m.start < 0:
        return ""
    text = state.text
    lo = max(
        text.rfind("\n", 0, m.start),
        text.rfind(". ", 0, m.start),
        text.rfind("다. ", 0, m.start),
        0,
    )
    ends = [i for i in (text.find(". ", m.end), text.find("\n", m.end)) if i >= 0]
    hi = min(ends) if ends else len(text)
    return re.sub(r"%%.*?%%", " ", text[lo:hi], flags=re.S)


_HEADING = re.compile(r"^\s*#{1,6}\s")
_ITEM = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])(?:\s|$)")
_DEFINE_WORDS = re.compile(
    r"\b(let|now|define[sd]?|definition|consider|suppose|take|redefine|instead|new|another|denote|becomes?"
    r"|changes?|replace[sd]?|example|with)\b"
    r"|정의|이제|새로|라\s*하자|라고\s*하자|놓자|두자|놓으면|하자|바꾸|대신|이번에는|예제|예시",
    re.I,
)
_AT_BEFORE = re.compile(r"\b(at|when|whenever|for|if|where|with|once)\s*$", re.I)
_AT_AFTER = re.compile(r"^\s*(?:\)\s*)?(에서|일\s*때|이면|인\s*경우|일\s*경우|라면|이라면)")


def _layout(text: str) -> tuple[list[int], list[int], dict[int, str]]:
    """Block and section id of every line (index 0 unused), and each block's text.

    A block is what Obsidian renders as one paragraph, list item or heading: cut at blank
    lines (outside display math), headings and list-item starts.
    """
    lines = text.split("\n")
    blocks, sections = [0], [0]
    texts: dict[int, list[str]] = {}
    block, section, in_display, fresh = 0, 0, False, True
    for line in lines:
        blank = not line.strip() or line.strip() in (">",)
        if not in_display and _HEADING.match(line):
            section += 1
            block += 1
            fresh = True
        elif not in_display and (_ITEM.match(line) or (blank and not fresh)):
            block += 1
            fresh = blank
        elif not blank:
            fresh = False
        if line.count("$$") % 2 == 1:
            in_display = not in_display
        blocks.append(block)
        sections.append(section)
        texts.setdefault(block, []).append(line)
    return blocks, sections, {k: "\n".join(v) for k, v in texts.items()}


def _context(state: _State, m: Math) -> str:
    """The text a formula's conditions can come from: its own sentence on its own line (Obsidian
    shows every line of a paragraph on its own), and for a display formula the lead-in before it
    ("For x < 0:" on the line above)."""
    text = state.text
    if m.start < 0:
        return m.latex
    line_start = text.rfind("\n", 0, m.start) + 1
    before = text[line_start : m.start]
    ends = [before.rfind(e) + len(e) for e in (". ", "? ", "! ", "다. ") if before.rfind(e) >= 0]
    lead = before[max(ends) :] if ends else before
    if m.display and not before.strip(" \t>-*"):
        k, prev = line_start - 1, ""
        for _ in range(2):  # the previous non-blank line, across at most one blank line
            j = text.rfind("\n", 0, max(k, 0))
            prev = text[j + 1 : k] if k > 0 else ""
            k = j
            if prev.strip():
                break
        if prev.rstrip().endswith((":", "：")) or re.search(
            r"(때|이면|라면|경우|면)[,.:]?\s*$", prev.rstrip()
        ):
            lead = prev
    if _ITEM.match(text[line_start : m.start + 1]):
        # a list under "For $a, b > 0$:" — the lead-in line holds for every item
        k = line_start - 1
        for _ in range(40):
            j = text.rfind("\n", 0, max(k, 0))
            prev = text[j + 1 : k] if k > 0 else ""
            k = j
            if not prev.strip() or _ITEM.match(prev) or prev.startswith(("\t", "  ")):
                if k < 0:
                    break
                continue
            if prev.rstrip().endswith((":", "：")):
                lead = prev + " " + lead
            break
    line_end = text.find("\n", m.end)
    after = text[m.end : line_end if line_end >= 0 else len(text)]
    stops = [after.find(e) for e in (". ", "? ", "! ", "다.") if after.find(e) >= 0]
    tail = after[: min(stops)] if stops else after
    own = lead + " $" + m.latex + "$ " + tail
    own = re.sub(r"%%.*?%%", " ", own, flags=re.S)
    return re.sub(r"\\begin\{cases\}.*?\\end\{cases\}", " ", own, flags=re.S)


def check_note(
    text: str,
    *,
    path: str = "note.md",
    time_limit: float = 3.0,
    note_time_limit: float | None = None,
    cache: VerdictCache | None = None,
) -> list[Claim]:
    """Every claim and definition of the note ``text`` with a verdict.

    ``time_limit`` bounds one claim; ``note_time_limit`` (default 20 x
    ``time_limit``) bounds the whole note: claims after it are skipped with
    that reason.  Never raises.
    """
    state = _State(text=text)
    state.deadline = time.monotonic() + (
        note_time_limit if note_time_limit is not None else 20 * time_limit
    )
    try:
        events = scan(text)
        state.blocks, state.sections, state.block_text = _layout(text)
        latex_all = "\n".join(e.latex for e in events if isinstance(e, Math))
        state.indexed = _indexed_bases(latex_all)
        state.zero_indexed = _zero_indexed(latex_all)
        state.scope.shapes, state.scope.square, state.scope.default_size = _declared_shapes(
            text, latex_all
        )
        state.declared_symmetric, state.declared_constrained = _declared_kinds(
            text, state.scope.shapes
        )
    except Exception as exc:  # noqa: BLE001 - a note must never break the build
        return [Claim(1, "", "skipped", f"skipped: could not read the note's math ({exc!r})")]
    for ev in events:
        if isinstance(ev, Directive):
            _directive(ev, state)
            continue
        state.math_index += 1
        state.math = ev
        if not state.abstract:
            hit = _ABSTRACT.search(re.sub(r"%%.*?%%", " ", text[: max(ev.start, 0)], flags=re.S))
            state.abstract = " ".join(hit.group(0).split()) if hit else ""
        imp = _IMPLY.search(_sentence(state, ev)) if not ev.display else None
        state.implication = imp.group(0) if imp else ""
        _enter_block(
            state,
            state.blocks[min(ev.line, len(state.blocks) - 1)],
            state.sections[min(ev.line, len(state.sections) - 1)],
            ev.line,
        )
        try:
            state.assume = state.note_assume.merged(read_conditions(_context(state, ev)))
            clash = sorted(k for k, d in state.assume.domains.items() if d.empty)
            if clash:  # "x < 0" and "x > 0" both around it: no single domain is meant
                for k in clash:
                    state.assume.domains.pop(k)
                state.assume.unparsed.append(f"conflicting conditions on {', '.join(clash)}")
            state.scope.symmetric = {
                _clean(g.strip("$ "))
                for groups in _SYMMETRIC.findall(_context(state, ev))
                for g in groups
                if g
            } | {name for at, name in state.declared_symmetric if at <= ev.start}
            state.scope.constrained = {
                name: word for at, name, word in state.declared_constrained if at <= ev.start
            }
        except Exception:  # noqa: BLE001 - unreadable conditions: refute nothing here
            state.assume = Assumptions(unparsed=["conditions could not be read"])
        try:
            _check_math(ev, state, time_limit, cache)
        except (Exception, TimeUp, RecursionError) as exc:  # noqa: BLE001
            state.claims.append(
                Claim(ev.line, ev.latex, "skipped", f"skipped: checker error {exc!r}")
            )
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
        read_conditions(value, state.note_assume)
        if not state.note_assume.domains and not state.note_assume.complex_vars:
            state.note_assume.unparsed.append(value)


def _enter_block(state: _State, block: int, section: int, line: int = 0) -> None:
    """A new line (Obsidian shows each on its own), paragraph or list item: the point
    conditions of the last one stop holding."""
    if block == state.block and line == state.point_line:
        return
    state.point_line = line
    for key, old in state.point_values.items():
        state.scope.firm.discard(key)
        if old is None:
            state.scope.variables.pop(key, None)
        else:
            state.scope.variables[key] = old
    state.point_values.clear()
    if section != state.section:
        state.refuted.clear()  # a value in another section solves no equation of this one
        state.section_start = len(state.claims)
    state.block, state.section = block, section


def _check_math(m: Math, state: _State, time_limit: float, cache: VerdictCache | None) -> None:
    info = formula_info(tokenize(m.latex))
    previous_side: tuple[Tok, ...] | None = None
    previous_text = ""
    for row_index, (line, row_text) in enumerate(m.rows):
        row = split_row(row_text)
        state.row = row_index
        state.row_unread = False
        if row.conditional:
            found = read_conditions(
                re.sub(r"\\begin\{cases\}.*?\\end\{cases\}", " ", row_text, flags=re.S)
            )
            state.row_unread = not (found.domains or found.complex_vars)
        for chain in row.chains:
            sides, texts = list(chain.sides), list(chain.texts)
            if not sides[0] and previous_side is not None:  # "&= ..." continues the last row
                sides[0], texts[0] = previous_side, previous_text
            try:
                _check_chain(
                    line,
                    Chain(tuple(sides), chain.rels, tuple(texts)),
                    row.conditional,
                    info,
                    state,
                    time_limit,
                    cache,
                )
            except (Exception, RecursionError) as exc:  # noqa: BLE001 - one row, not the block
                latex = " = ".join(t for t in texts if t)
                state.claims.append(
                    Claim(
                        line,
                        latex,
                        "skipped",
                        f"skipped: checker error {exc!r}",
                        block=max(state.math_index, 0),
                        row=row_index,
                    )
                )
            previous_side, previous_text = sides[-1], texts[-1]


def _check_chain(
    line: int,
    chain: Chain,
    conditional: bool,
    info: FormulaInfo,
    state: _State,
    time_limit: float,
    cache: VerdictCache | None,
) -> None:
    start = 0
    if state.enabled and chain.rels[0] in (EQUAL, DEFINE) and chain.sides[0] and chain.sides[1]:
        defined = _try_define(line, chain, info, state, forced=chain.rels[0] == DEFINE)
        start = 1 if defined else 0
    # names a later "x = y" or "c = 0" cannot define afresh: those used in claims so far
    for side in chain.sides[start + 1 :] if start else chain.sides:
        state.seen.update(
            _clean(t.text)
            for t in side
            if t.kind in ("letter", "name") or (t.kind == "cmd" and t.text[1:] in GREEK)
        )
    for k in range(start, len(chain.rels)):
        latex = f"{chain.texts[k]} {_rel_text(chain.rels[k])} {chain.texts[k + 1]}".strip()
        if not state.enabled:
            state.claims.append(Claim(line, latex, "skipped", "skipped: %% verify: off %%"))
            continue
        if chain.rels[k] not in (EQUAL, DEFINE):
            state.claims.append(
                Claim(line, latex, "skipped", f"skipped: relation {chain.rels[k]} is not checked")
            )
            continue
        if time.monotonic() > state.deadline:
            state.claims.append(
                Claim(line, latex, "skipped", "skipped: the note's time budget is used up")
            )
            continue
        why_not = _not_a_claim(chain, k, state)
        if why_not:
            state.claims.append(
                _claim(state, line, latex, Verdict("skipped", "skipped: " + why_not))
            )
            continue
        state.scope.last_pair = None
        v = _check_pair(
            chain.sides[k],
            chain.sides[k + 1],
            state.row_unread,
            info,
            state.scope,
            time_limit,
            cache,
            state.assume,
        )
        pair = state.scope.last_pair
        if (
            state.implication
            and v.verdict in ("verified", "refuted")
            and pair is not None
            and (state.scope.used & set(state.point_values) or _looks_conditional(*pair))
        ):
            v = Verdict(
                "skipped",
                f"skipped: part of an implication in the prose ('{state.implication}'), "
                "not a claim on its own",
            )
        if (
            v.verdict == "refuted"
            and k == 0
            and _definable(chain.sides[0], info) is not None
            and (chain.rels[0] == DEFINE or _may_redefine(chain, info, state))
        ):
            v = _redefine(line, chain, info, state) or v
        if v.verdict == "refuted" and pair is not None:
            held = _holds_at_past_value(state, *pair)
            if held:
                v = Verdict(
                    "skipped",
                    f"skipped: an equation, not an identity: it holds at {held}, "
                    "a value the note gave earlier",
                )
        if v.verdict == "refuted" and pair is not None:
            state.refuted.append((len(state.claims), *pair))
        state.claims.append(_claim(state, line, latex, v))


def _looks_conditional(lhs: sp.Basic, rhs: sp.Basic) -> bool:
    """``x = y``, ``cw = 0``: sides over different variables, or unknowns against a number."""
    a, b = getattr(lhs, "free_symbols", set()), getattr(rhs, "free_symbols", set())
    return a != b


def _not_a_claim(chain: Chain, k: int, state: _State) -> str:
    """Why the link ``k`` of ``chain`` is not an identity about numbers, or ""."""
    if state.abstract:
        return (
            f"the note works in an abstract structure ('{state.abstract}'): its = is not an identity "  # noqa: E501
            "about real numbers"
        )
    text = f"{chain.texts[k]} = {chain.texts[k + 1]}"
    # letters written at the base level of the claim (not only inside ^ or _ scripts)
    bare = re.sub(r"[\^_]\s*(\{[^{}]*\}|\\[A-Za-z]+|\w)", " ", text)
    bare = re.sub(r"\\[A-Za-z]+", " ", bare)
    for m in _SUP.finditer(text):
        if m.group(1) not in state.indexed:
            continue
        sup = m.group(2).strip("{}")
        letters = set(re.findall(r"(?<!\\)\b[a-zA-Z]\b|(?<![\\a-zA-Z])[a-zA-Z](?![a-zA-Z])", sup))
        if (
            (sup.isdigit() and m.group(1) in state.zero_indexed)
            or "\\" in sup
            or (
                letters
                and not any(re.search(rf"(?<![\\a-zA-Z]){x}(?![a-zA-Z])", bare) for x in letters)
            )
        ):
            # U^{k+1} = ... U^k ...: k only ever in scripts, so an index; x^n ... n x^{n-1}: a power
            return (
                f"superscripts on {m.group(1).lstrip(chr(92))} index iterations or components "
                f"(the note writes {state.indexed[m.group(1)]}), they are not powers"
            )
    return ""


def _claim(state: _State, line: int, latex: str, v: Verdict) -> Claim:
    shown = tuple(state.assume.texts) if v.verdict in ("verified", "refuted") else ()
    return Claim(
        line,
        latex,
        v.verdict,
        v.reason,
        v.counterexample,
        v.method,
        shown,
        max(state.math_index, 0),
        state.row,
    )


def _prose_before(state: _State) -> str:
    """The text of the formula's block before the formula (and the lead-in line of a display)."""
    m = state.math
    if m is None or m.start < 0:
        return ""
    text = state.text
    begin = text.rfind("\n\n", 0, m.start)
    return re.sub(r"%%.*?%%", " ", text[max(begin, m.start - 400, 0) : m.start], flags=re.S)


def _may_redefine(chain: Chain, info: FormulaInfo, state: _State) -> bool:
    """A second, different ``f(x) = ...`` is a new definition only when the note says so
    ("let", "now", "정의", ...) or a new section starts; otherwise it is a claim."""
    d = _definable(chain.sides[0], info)
    if d is None:
        return False
    key = _clean(d[0])
    if (
        state.defined_in.get(key, state.section) != state.section
        and len(state.claims) == state.section_start
    ):
        return True  # a new section that opens with f(x) = …: a new example, a new f
    old = state.scope.functions.get(key) or state.scope.variables.get(key)
    if old is not None:
        # J(w) = ... + \lambda w^2 after J(w) = ...: a new variable on the right makes a new function  # noqa: E501
        body = getattr(old, "body", None) if hasattr(old, "body") else getattr(old, "expr", None)
        seen = {s.name for s in getattr(body, "free_symbols", set())} | {
            p.name for p in getattr(old, "params", ())
        }
        seen |= {n.split("_")[0] for n in seen}  # z_{1} in the body: the letter z is not new
        new = {
            t.text.lstrip("\\")
            for t in chain.sides[1]
            if t.kind == "letter" or (t.kind == "cmd" and t.text[1:] in GREEK)
        }
        if new - seen - {"e", "pi", "d"} - set(state.scope.variables) - set(state.scope.functions):
            return True
    return bool(_DEFINE_WORDS.search(_prose_before(state)[-160:]))


_CONSTRAINT = re.compile(
    r"(?<!not )(?<!non-)(?<!non)(?<!비)"  # "(not symmetric)" is no condition
    r"(?:one-?hot|exactly one|sums? to (?:1|one)|add(?:s)? up to|normali[sz]ed|"
    r"unit (?:vector|length|norm)|orthonormal|orthogonal|symmetric|positive definite|"
    r"probabilit|distribution|i\.i\.d|independent|"
    r"원-?핫|합이\s*1|정규화|직교|대칭|확률)",
    re.I,
)
_DEFINE_AFTER = re.compile(
    r"^\s*(?:이?라고?\s*(?:하자|두자|놓자|두면|하면)|으?로\s*(?:두자|놓자|정의|두면)|이다\s*\.?\s*$)"
)


# "targets $y_1 = 2$ and predictions $\hat y_1 = 2$": data the note gives, not conditions
_DATA_WORDS = re.compile(
    r"\b(given|data(?:set)?|samples?|inputs?|targets?|labels?|predictions?|weights?|"
    r"observations?|parameters?|measurements?)\b|주어진|데이터|입력|가중치|예측|관측|측정",
    re.I,
)
_LIST_TAIL = re.compile(r"(?:\$[^$\n]*\$|\s|,|;|\band\b|그리고|및|와|과)*$")


def _listed_after_colon(state: _State) -> bool:
    """ "Data: $x_1 = 2$, $x_2 = 5$ and $n = 3$": values listed after a colon are given, not
    conditions."""
    before = _prose_before(state)
    head = before[: _LIST_TAIL.search(before).start()].rstrip()
    return head.endswith(":") and "\n" not in before[len(head) :]


def _defined_after(state: _State) -> bool:
    """ "$a = 2$ 라 하자": the Korean "let" comes after the formula."""
    m = state.math
    return bool(
        m is not None and m.end >= 0 and _DEFINE_AFTER.match(state.text[m.end : m.end + 16])
    )


def _point_condition(state: _State) -> bool:
    """Whether the current inline formula reads as a condition: "at $x = 1$", "$z = 0$ 에서"."""
    m = state.math
    if m is None or m.display or m.start < 0:
        return False
    before = state.text[max(0, m.start - 40) : m.start]
    after = state.text[m.end : m.end + 12]
    return bool(_AT_BEFORE.search(before) or _AT_AFTER.match(after))


def _rel_text(rel: str) -> str:
    return "=" if rel == EQUAL else rel


@dataclass(frozen=True)
class _Pair:
    """What checking one ``a = b`` link needs besides its two sides."""

    conditional: bool  # the row states a condition the checker does not read
    info: FormulaInfo
    scope: Scope
    time_limit: float
    cache: VerdictCache | None
    assume: Assumptions | None

    def check(self, a: tuple[Tok, ...], b: tuple[Tok, ...]) -> Verdict:
        """The verdict for ``a = b`` as written (no pattern or series expansion)."""
        return _check_pair_sized(a, b, self)


def _check_pair(
    a: tuple[Tok, ...],
    b: tuple[Tok, ...],
    conditional: bool,
    info: FormulaInfo,
    scope: Scope,
    time_limit: float,
    cache: VerdictCache | None,
    assume: Assumptions | None = None,
) -> Verdict:
    """The verdict for ``a = b``; patterns with ``\\dots`` are instantiated, and claims about
    matrices of unstated size are checked with 3x3 and again with 2x2 matrices."""
    pair = _Pair(conditional, info, scope, time_limit, cache, assume)
    series = _check_series(a, b, pair)
    if series is not None:
        return series
    if any(t.text in ELLIPSIS for t in (*a, *b)):
        from .openlists import instances
        from .patterns import check_pattern

        opened = instances(a, b)
        if opened is not None:
            return _check_instances(opened, pair.check)

        return check_pattern(a, b, pair.check)
    v = pair.check(a, b)
    used = scope.used & set(scope.patterns)
    if v.verdict == "skipped" and (
        "indexed variable" in v.reason or "indexed data" in v.reason or used
    ):
        from .patterns import check_lengths, sum_lengths

        letters = sum_lengths((*a, *b))
        for key in used:
            letters.update({x: set() for x in scope.patterns[key][3] if x not in letters})
        if letters:
            w = check_lengths(
                a,
                b,
                letters,
                lambda x, y, subs: _with_lengths(scope, subs, lambda: pair.check(x, y)),
                _known_lengths(scope, letters),
                lambda name: (
                    _clean(name) in scope.patterns
                    or (
                        _clean(name) in scope.variables
                        and UNREADABLE not in str(scope.variables[_clean(name)].expr)
                    )
                ),
            )
            if w is not None:
                return w
    return v


def _check_instances(
    opened: list[tuple[int, tuple[Tok, ...], tuple[Tok, ...]]],
    check: Callable[[tuple[Tok, ...], tuple[Tok, ...]], Verdict],
) -> Verdict:
    """An open list over named variables checked as written and with more variables."""
    results = []
    for count, x, y in opened:
        v = check(x, y)
        if v.verdict == "refuted":
            return Verdict(
                "refuted", f"with {count} variables: {v.reason}", v.counterexample, "pattern"
            )
        results.append((count, v))
    if all(v.verdict == "verified" for _, v in results):
        counts = ", ".join(str(c) for c, _ in results)
        return Verdict(
            "verified",
            f"open list checked with {counts} variables ({results[0][1].reason})",
            None,
            "pattern",
        )
    count, first = next((c, v) for c, v in results if v.verdict != "verified")
    return Verdict("skipped", f"{first.reason} (with {count} variables)")


def _check_series(a: tuple[Tok, ...], b: tuple[Tok, ...], pair: _Pair) -> Verdict | None:
    """``\\frac12 + \\frac14 + \\cdots = 1``: an infinite series by its first terms, summed
    when its general term is clear (see series.py); None when neither side is one."""
    from .series import series_value

    scope, info = pair.scope, pair.info

    def value(toks: tuple[Tok, ...]) -> sp.Expr | None:
        try:
            v = scope.resolve(Parser(list(toks), scope, info, Notes()).parse_all())
        except (Skip, RecursionError):
            return None
        return v if getattr(v, "is_Rational", False) else None

    for side, other, left in ((a, b, True), (b, a, False)):
        found = series_value(side, value)
        if found is None:
            continue
        if isinstance(found, str):
            return Verdict("skipped", f"skipped: {found}")
        total, term = found
        shown = f"the series with general term {sp.sstr(term)} (k = 0, 1, 2, …)"
        if any(t.text in ELLIPSIS for t in other):
            return Verdict("skipped", "skipped: series on both sides")
        if total.has(sp.oo, -sp.oo, sp.zoo) or not total.is_finite:
            if any(t.text == "\\infty" for t in other):
                return Verdict("verified", f"{shown} diverges, as written", method="series")
            if pair.conditional:
                return Verdict("skipped", f"skipped: {shown} diverges, but a condition is stated")
            return Verdict(
                "refuted",
                f"series: {shown} diverges; it has no finite sum",
                f"its partial sums grow without bound (sum = {total})",
                "series",
            )
        summed = tuple(tokenize(sp.latex(total)))
        x, y = (summed, other) if left else (other, summed)
        v = pair.check(x, y)
        if v.verdict in ("verified", "refuted"):
            return Verdict(
                v.verdict, f"{shown} sums to {total}: {v.reason}", v.counterexample, "series"
            )
        return v
    return None


def _free(e: object) -> set:
    return set(getattr(e, "free_symbols", set()))


def _known_lengths(scope: Scope, letters: dict[str, set[str]]) -> dict[str, int]:
    """Lengths the note gave a value: ``n = 3`` before ``\\sum_{i=1}^{n} x_i``."""
    out = {}
    for letter in letters:
        vd = scope.variables.get(letter)
        value = getattr(vd, "expr", None)
        if isinstance(value, sp.Integer) and 1 <= int(value) <= 12:
            out[letter] = int(value)
    return out


def _with_lengths(scope: Scope, subs: dict[str, int], check: Callable[[], Verdict]) -> Verdict:
    """Run ``check`` with the note's symbolic-length definitions read at the lengths ``subs``."""
    from .patterns import _fix

    saved = {}
    for key, (params, body, info, letters, line) in scope.patterns.items():
        if not letters <= set(subs):
            continue
        saved[key] = (scope.variables.get(key), scope.functions.get(key))
        toks = tuple(_fix(list(body), {x: subs[x] for x in letters}))
        try:
            if params is None:
                scope.variables[key] = VarDef(
                    Parser(list(toks), scope, info, Notes()).parse_all(), line
                )
                scope.functions.pop(key, None)
            else:
                expr = _parse_fn_body(toks, params, info, scope)
                scope.functions[key] = FuncDef(
                    tuple(sp.Symbol(_clean(p)) for p in params), expr, line
                )
                scope.variables.pop(key, None)
        except Skip:
            continue
    hidden = {key: scope.patterns.pop(key) for key in saved}  # read at this length now
    try:
        return check()
    finally:
        scope.patterns.update(hidden)
        for key, (var, fn) in saved.items():
            for table, old in ((scope.variables, var), (scope.functions, fn)):
                if old is None:
                    table.pop(key, None)
                else:
                    table[key] = old


def _check_pair_sized(a: tuple[Tok, ...], b: tuple[Tok, ...], pair: _Pair) -> Verdict:
    """Matrices of unstated size at 3x3 and again at 2x2 (or at the length written out)."""
    scope = pair.scope
    written = _written_length(a, b, scope)
    if written:
        # \|\mathbf{x}\|^2 = x_1^2 + x_2^2 + x_3^2 for an x of unstated length: the entries
        # written give the length
        v, _ = _check_pair_once(a, b, pair, written)
        return v
    v, sized = _check_pair_once(a, b, pair, 0)
    if not sized or v.verdict not in ("verified", "refuted"):
        return v
    last = scope.last_pair
    v2, _ = _check_pair_once(a, b, pair, 2)
    scope.last_pair = last
    if v2.verdict == "refuted" and v.verdict == "verified":
        return Verdict("refuted", "with 2x2 matrices: " + v2.reason, v2.counterexample, v2.method)
    if v.verdict == "verified" and v2.verdict == "verified":
        return Verdict("verified", v.reason + "; holds again with 2x2 matrices", None, v.method)
    return v


def _written_length(a: tuple[Tok, ...], b: tuple[Tok, ...], scope: Scope) -> int:
    """The largest n of entries ``x_1 … x_n`` written out for a vector ``\\mathbf{x}`` of
    unstated length (0 when there are none, or when only one entry is written)."""
    bases = {
        k.split("{")[-1].rstrip("}")
        for k in scope.default_size
        if k in scope.shapes and scope.shapes[k][1] == 1
    }
    toks = (*a, *b)
    found = 0
    for j, t in enumerate(toks[:-2]):
        if t.kind != "letter" or t.text not in bases or toks[j + 1].text != "_":
            continue
        if j and toks[j - 1].kind == "cmd":
            continue  # \mathbf{x}_1 is not an entry
        nxt = toks[j + 2]
        if nxt.text == "{" and j + 4 < len(toks) and toks[j + 4].text == "}":
            nxt = toks[j + 3]
        if nxt.kind == "num" and nxt.text.isdigit():
            found = max(found, int(nxt.text))
    return found if 2 <= found <= 8 else 0


def _check_pair_once(
    a: tuple[Tok, ...], b: tuple[Tok, ...], pair: _Pair, matrix_size: int
) -> tuple[Verdict, bool]:
    """The verdict, and whether it used a matrix of unstated size."""
    v, notes = _check_pair_notes(a, b, pair, matrix_size)
    return v, notes is not None and any(k in pair.scope.default_size for k in notes.matrices)


def _check_pair_notes(
    a: tuple[Tok, ...], b: tuple[Tok, ...], pair: _Pair, matrix_size: int
) -> tuple[Verdict, Notes | None]:
    conditional, info, scope = pair.conditional, pair.info, pair.scope
    time_limit, cache, assume = pair.time_limit, pair.cache, pair.assume
    notes = Notes()
    notes.matrix_size = matrix_size
    notes.seed = int(hashlib.sha256("".join(t.text for t in (*a, *b)).encode()).hexdigest()[:8], 16)
    if assume is not None:
        notes.assume = assume
    if conditional:
        notes.no_refute.append(
            "the formula states a condition next to it that the checker does not read"
        )
    scope.used.clear()
    notes.chain = chain_roles((*a, *b), set(scope.functions) | set(scope.variables))
    notes.signatures = (
        {} if notes.chain else signatures((*a, *b), set(scope.functions) | set(scope.variables))
    )
    if notes.chain and any(u.startswith(IN_WORDS) for u in notes.assume.unparsed):
        # "x_k = g_k(t_1, …) 이면 ∂f/∂t_i = …": the premise in words is the dependence the
        # chain model itself assumes (x_k a function of the t's); it does not veto the claim
        notes.assume = Assumptions(
            dict(notes.assume.domains),
            list(notes.assume.texts),
            [u for u in notes.assume.unparsed if not u.startswith(IN_WORDS)],
            set(notes.assume.complex_vars),
        )
    notes.differentials = any(
        len(side) > 2
        and side[0].text == "d"
        and _clean(side[1].text) in notes.signatures
        and side[2].text == "("
        for side in (a, b)
    )
    try:
        with time_box(time_limit * 0.3):
            raw_l = Parser(list(a), scope, info, notes).parse_all()
            raw_r = Parser(list(b), scope, info, notes).parse_all()
            # ∂f/∂x_1 of an undefined f: x_1 is a variable there, whatever the note set it to
            bound = frozenset(str(v) for sig in notes.signatures.values() for v in sig)
            if notes.chain:
                bound |= {str(v) for v in notes.chain[1] + notes.chain[2]}
                raw_l, raw_r = chain_at(raw_l, notes.chain), chain_at(raw_r, notes.chain)
            lhs, rhs = scope.resolve(raw_l, keep=bound), scope.resolve(raw_r, keep=bound)
    except Skip as exc:
        reason = str(exc)
        return Verdict(
            "skipped", reason if reason.startswith("skipped") else f"skipped: {reason}"
        ), None
    except TimeUp:
        return Verdict(
            "skipped", "skipped: time limit reached while reading the formula", method="timeout"
        ), None
    for name in sorted(set(notes.matrices) & set(scope.constrained)):
        notes.no_refute.append(
            f"{name} is declared {scope.constrained[name]}, a kind of matrix the checker "
            "does not model (it uses a general one)"
        )
    if scope.used:
        notes.calculus_on_compound = True  # consequences of the note's definitions, not assumptions
        for name in sorted(scope.used & set(scope.conditional)):
            notes.no_refute.append(
                f"{name} was defined with a condition the checker does not model "
                f"('{scope.conditional[name]}')"
            )
        used_vars = [  # an unreadable definition adds nothing (its use is reported below)
            n
            for n in scope.used
            if n in scope.variables and UNREADABLE not in str(scope.variables[n].expr)
        ]
        if used_vars:
            raw = set(getattr(raw_l, "free_symbols", set())) | set(
                getattr(raw_r, "free_symbols", set())
            )
            known = set().union(
                *(getattr(scope.variables[n].expr, "free_symbols", set()) for n in used_vars),
                *(scope.functions[n].params for n in scope.used if n in scope.functions),
            )  # L'(w) with L(w) = … x_i …: w is L's own argument, not another situation
            before = set(scope.used)
            extra = sorted(
                x.name
                for x in raw - known
                if x.name not in scope.variables and scope.member(x.name) is None
            )  # s_1 of a family s_k = … the note defined is not another situation
            scope.used = before
            if extra:
                # E = mc^2 given earlier, then E^2 = (pc)^2 + (mc^2)^2: p brings in another situation  # noqa: E501
                notes.no_refute.append(
                    f"it uses {', '.join(sorted(used_vars))} as defined earlier together with "
                    f"{', '.join(extra)}, which that definition does not involve"
                )
        restated = _definable(a, info)
        restated_name = _clean(restated[0]) if restated and restated[1] is None else None
        valued = sorted(
            n
            for n in scope.used
            if n in scope.variables
            and getattr(scope.variables[n].expr, "is_number", False)
            and n not in scope.firm
            and n != restated_name
        )
        if valued:
            # "$z = 0$ 에서" (at z = 0) reads like a definition but is often only a condition.
            notes.no_refute.append(
                f"it uses the value {', '.join(valued)} = … given earlier, "
                "which may be a condition rather than a definition"
            )
    for side, other, resolved in ((a, b, rhs), (b, a, lhs)):
        lone = _definable(side, info)
        if (
            lone is not None
            and lone[1] is None
            and not scope.defines(_clean(lone[0]))
            and _clean(lone[0]) not in ("e", "pi")
            and not any(t.text == side[0].text for t in other)
            # d^2 L/dw^2 = a where L = ½(wa - t)^2: a is in the other side once it is resolved
            and _clean(lone[0]) not in {str(x) for x in _free(resolved)}
        ):
            notes.no_refute.append(f"{_clean(lone[0])} is a new name for the other side")
    implicit = [k for k, m in notes.matrices.items() if k in scope.default_size and m.shape[1] == 1]
    if implicit and not notes.matrix_size:
        for k in implicit:
            entries = {e.name for e in notes.matrices[k]}
            base = next(iter(entries)).split("_")[0]
            toks = (*a, *b)
            if any(
                t.kind == "letter"
                and t.text == base
                and j + 1 < len(toks)
                and toks[j + 1].text == "_"
                and not (j and toks[j - 1].kind == "cmd")
                for j, t in enumerate(toks)
            ):
                notes.no_refute.append(
                    f"the length of {k.replace('mathbf', '').strip('{}')} is not stated "
                    "and its entries are written out"
                )
    scope.last_pair = (lhs, rhs)
    both = set(getattr(lhs, "free_symbols", set())) | set(getattr(rhs, "free_symbols", set()))
    bad = sorted(
        s.name[len(UNREADABLE) :] for s in both if getattr(s, "name", "").startswith(UNREADABLE)
    )
    if bad:
        return Verdict(
            "skipped", f"skipped: uses {', '.join(bad)}, whose definition could not be read"
        ), notes
    key = None
    if cache is not None:
        key = _cache_key(lhs, rhs, notes, time_limit) + f":{matrix_size}"
        hit = cache.get(key)
        if hit is not None:
            return hit, notes
    seed = int(hashlib.sha256(f"{sp.srepr(lhs)}={sp.srepr(rhs)}".encode()).hexdigest()[:12], 16)
    if LOG_BASE in both:
        verdict = _every_base(lhs, rhs, notes, seed, time_limit)
    else:
        verdict = decide(lhs, rhs, notes, seed=seed, time_limit=time_limit)
    random_matrices = {k: v for k, v in notes.matrices.items() if v.shape[1] != 1}
    if random_matrices:
        shown = "; ".join(
            f"{k.replace('mathbf', '')} = {v.tolist()}" for k, v in random_matrices.items()
        )
        if verdict.verdict == "refuted":
            verdict = Verdict(
                "refuted",
                verdict.reason,
                f"with {shown}: {verdict.counterexample or ''}".rstrip(": "),
                method="matrix",
            )
        elif verdict.verdict == "verified":
            verdict = Verdict(
                "verified",
                verdict.reason + " (matrices declared in the note replaced by random "
                "integer matrices: "
                + ", ".join(f"{k} {v.shape[0]}x{v.shape[1]}" for k, v in random_matrices.items())
                + ")",
                method="matrix",
            )
    if cache is not None and key is not None:
        cache.put(key, verdict)
    return verdict, notes


def _every_base(
    lhs: sp.Basic, rhs: sp.Basic, notes: Notes, seed: int, time_limit: float
) -> Verdict:
    """``\\log`` with no base: verified if the claim holds for bases e, 10 and 2, refuted if it
    fails for all three, skipped when the base decides."""
    runs = []
    for base in (sp.E, sp.Integer(10), sp.Integer(2)):
        sub = {LOG_BASE: base}
        runs.append(
            (
                base,
                decide(lhs.subs(sub), rhs.subs(sub), notes, seed=seed, time_limit=time_limit / 3),
            )
        )
    if all(v.verdict == "verified" for _, v in runs):
        return Verdict(
            "verified",
            f"for every base of \\log (e, 10, 2): {runs[0][1].reason}",
            None,
            runs[0][1].method,
        )
    if all(v.verdict == "refuted" for _, v in runs):
        return Verdict(
            "refuted",
            f"false for every base of \\log (e, 10, 2): {runs[0][1].reason}",
            runs[0][1].counterexample,
            runs[0][1].method,
        )
    shown = ", ".join(f"base {b}: {v.verdict}" for b, v in runs)
    return Verdict("skipped", f"skipped: \\log without a base, and the base decides ({shown})")


def _cache_key(lhs: sp.Expr, rhs: sp.Expr, notes: Notes, time_limit: float) -> str:
    parts = [
        VERIFIER_VERSION,
        sp.__version__,
        sp.srepr(lhs),
        sp.srepr(rhs),
        repr(sorted(notes.no_refute)),
        repr(sorted(notes.integer_symbols)),
        repr(sorted(map(str, notes.indefinite_vars))),
        f"{notes.has_decimal}{notes.decimal_places}",
        str(notes.calculus_on_compound),
        str(time_limit),
        notes.assume.key(),
        str(notes.derivative_side),
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


# ---- definitions ---------------------------------------------------------


def _definable(side: tuple[Tok, ...], info: FormulaInfo) -> tuple[str, list[str] | None] | None:
    """``(name, params)`` if ``side`` reads ``name`` or ``name(p1, ..., pk)``."""
    toks = list(side)
    if not toks:
        return None
    k = 0
    t = toks[0]
    if (
        t.kind == "cmd"
        and t.text in ("\\triangle", "\\Delta")
        and len(toks) > 1
        and (toks[1].kind == "letter" or toks[1].text[1:] in GREEK)
    ):
        name, k = "\\Delta " + toks[1].text, 2
    elif t.kind == "letter" or t.kind == "name" or (t.kind == "cmd" and t.text[1:] in GREEK):
        name, k = t.text, 1
    elif t.kind == "cmd" and t.text in (
        "\\mathcal",
        "\\mathscr",
        "\\hat",
        "\\bar",
        "\\tilde",
        "\\mathbf",
        "\\vec",
        "\\boldsymbol",
    ):
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
    j = 0
    while j < len(inner):
        x = inner[j]
        if expect_name and (x.kind == "letter" or (x.kind == "cmd" and x.text[1:] in GREEK)):
            param, j = x.text, j + 1
            # f(x_1, x_2, x_3): subscripted parameters, named as the parser names them
            if (
                j + 1 < len(inner)
                and inner[j].text == "_"
                and inner[j + 1].kind in ("num", "letter")
            ):
                param, j = f"{param}_{{{inner[j + 1].text}}}", j + 2
            elif (
                j + 3 < len(inner)
                and inner[j].text == "_"
                and inner[j + 1].text == "{"
                and inner[j + 2].kind in ("num", "letter")
                and inner[j + 3].text == "}"
            ):
                param, j = f"{param}_{{{inner[j + 2].text}}}", j + 4
            params.append(param)
            expect_name = False
            continue
        if not expect_name and x.text == ",":
            expect_name = True
        else:
            return None
        j += 1
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
    rhs_toks = chain.sides[1]
    value = len(rhs_toks) <= 4 and all(
        t.kind == "num" or t.text in ("-", "+", "\\pi", "e") for t in rhs_toks
    )
    # "at $x = 1$", or "so $x = 2$" for an unknown used before: a value that holds on its own line
    marked = _point_condition(state)
    point = params is None and value and (marked or (key in state.seen and not scope.defines(key)))
    if (
        scope.defines(key)
        and not forced
        and not (point and (key in state.point_values or key not in scope.firm))
    ):
        return False
    if (
        not forced
        and not point
        and state.implication
        and key in state.seen
        and not _DEFINE_WORDS.search(_prose_before(state)[-60:])
    ):
        return False  # "if $f(x) = f(y)$ then $x = y$": a premise or a conclusion, not a definition
    rhs = chain.sides[1]
    if (
        not forced
        and params is None
        and key in state.seen
        and len(rhs) == 1
        and (rhs[0].kind == "letter" or (rhs[0].kind == "cmd" and rhs[0].text[1:] in GREEK))
    ):
        return False  # "x = y" about names already in use: a statement, not a new name
    if params is not None and tuple(sp.Symbol(_clean(p)) for p in params) in scope.points.get(
        key, {}
    ):
        return False  # P(A) = 0.3 said before: this is a claim about the same point
    head = [t.text for t in chain.sides[0]][
        : len(chain.sides[0]) - (len(params) * 2 + 1 if params else 0)
    ]
    body = [t.text for t in chain.sides[1]]
    if any(body[j : j + len(head)] == head for j in range(len(body))):
        return False  # x = x + 1 or f(n) = n f(n-1): an assignment or recursion, not a definition
    latex = f"{chain.texts[0]} = {chain.texts[1]}"
    if point:
        state.point_values.setdefault(key, scope.variables.get(key))
        scope.firm.add(key)
        state.solving = (
            not marked
        )  # "so x = 2": a solution the note found, kept for later equations
    elif params is None and (
        forced
        or _DEFINE_WORDS.search(_prose_before(state)[-160:])
        or _defined_after(state)
        or _listed_after_colon(state)
        or _DATA_WORDS.search(_prose_before(state)[-80:])
    ):
        scope.firm.add(key)
    _record(line, latex, key, params, chain.sides[1], info, state, redefine=False)
    if point and state.claims and state.claims[-1].verdict == "definition":
        c = state.claims[-1]
        state.claims[-1] = Claim(
            c.line,
            c.latex,
            "definition",
            c.reason.replace(
                "for later claims", "for this paragraph only (a condition: 'at', 'when', '에서')"
            ),
            block=c.block,
            row=c.row,
        )
    return True


def _holds_at_past_value(state: _State, lhs: sp.Basic, rhs: sp.Basic) -> str:
    """``x^2 + 6 = 5x`` after ``x = 2`` was given: the value (now out of force) that solves it."""
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        return ""
    free = getattr(lhs, "free_symbols", set()) | getattr(rhs, "free_symbols", set())
    for sym in free:
        for val in state.past_values.get(sym.name, []):
            try:
                d = sp.N((lhs - rhs).subs(sym, val), 30)
                if d.is_number and abs(d) <= sp.Float(10) ** -20 * (
                    1 + abs(sp.N(lhs.subs(sym, val), 30))
                ):
                    return f"{sym.name} = {val}"
            except Exception:  # noqa: BLE001 - an unreadable value solves nothing
                continue
    return ""


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
        if (
            isinstance(lhs, sp.MatrixBase)
            or isinstance(rhs, sp.MatrixBase)
            or sym not in (lhs.free_symbols | rhs.free_symbols)
        ):
            keep.append((idx, lhs, rhs))
            continue
        try:
            d = sp.N((lhs - rhs).subs(sym, val).doit(), 30)
            solved = d.is_number and abs(d) <= sp.Float(10) ** -20 * (
                1 + abs(sp.N(lhs.subs(sym, val), 30))
            )
        except Exception:  # noqa: BLE001
            solved = False
        if solved:
            c = state.claims[idx]
            state.claims[idx] = Claim(
                c.line,
                c.latex,
                "skipped",
                f"skipped: an equation, not an identity: it holds at {key} = {value}, "
                f"which the note gives on a later line",
            )
        else:
            keep.append((idx, lhs, rhs))
    state.refuted = keep


def _parse_fn_body(
    toks: tuple[Tok, ...], params: list[str], info: FormulaInfo, scope: Scope
) -> sp.Expr:
    """Parse a function body; its parameters are plain variables inside it."""
    local = Scope(
        dict(scope.functions),
        {k: v for k, v in scope.variables.items() if k not in {_clean(p) for p in params}},
        scope.imaginary_unit,
        scope.assumptions,
    )
    return Parser(list(toks), local, info, Notes()).parse_all()


def _record(
    line: int,
    latex: str,
    key: str,
    params: list[str] | None,
    body: tuple[Tok, ...],
    info: FormulaInfo,
    state: _State,
    redefine: bool,
) -> str:
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
            if isinstance(expr, sp.MatrixBase) and expr.shape == (1, 1):
                expr = expr[0, 0]  # \hat y = \mathbf{v}^T\mathbf{h}: a number, used as one
            scope.variables[key] = VarDef(expr, line)
            solving = state.solving
            if getattr(expr, "is_number", False) and state.solving:
                state.past_values.setdefault(key, []).append(expr)
            state.solving = False
            scope.functions.pop(key, None)
            if solving or key not in state.point_values:  # "at $x = 1$" solves nothing
                _solved_equations(state, key, expr)
        reason = f"{verb} {what} for later claims"
        scope.patterns.pop(key, None)
    except Skip as exc:
        from .patterns import sum_lengths

        scope.functions.pop(key, None)
        scope.variables[key] = VarDef(sp.Symbol(UNREADABLE + key), line)
        scope.patterns.pop(key, None)
        letters = sum_lengths(body)
        if letters and ("symbolic length" in str(exc) or "indexed variable" in str(exc)):
            scope.patterns[key] = (params, body, info, frozenset(letters), line)
            if params is not None:
                scope.variables.pop(key, None)  # L(w): a function, read when a length is set
            reason = (
                f"{verb} {what} over a symbolic length ({', '.join(sorted(letters))}); "
                "claims using it are checked for concrete lengths"
            )
        else:
            reason = f"{verb} {what}, but its right side could not be read ({exc}); claims using it are skipped"  # noqa: E501
    state.defined_in[key] = state.section
    # "with a one-hot target y … let L = …": a definition that comes with a condition the
    # checker does not model; claims using it may be verified but never refuted
    context = _context(state, state.math) if state.math is not None else ""
    hit = _CONSTRAINT.search(context)
    made = scope.variables.get(key) or scope.functions.get(key)
    body = getattr(made, "expr", None) if isinstance(made, VarDef) else getattr(made, "body", None)
    params = set(getattr(made, "params", ()))
    free = set(getattr(body, "free_symbols", set())) - params
    # "if $y = f(u)$ …": a definition that is itself the premise is not under a condition
    unread = [u for u in state.assume.unparsed if not u.startswith(IN_WORDS)]
    if free and (hit or unread):  # a concrete matrix or number needs no condition
        scope.conditional[key] = " ".join(hit.group(0).split()) if hit else unread[0]
    else:
        scope.conditional.pop(key, None)
    if not redefine:
        state.claims.append(
            Claim(line, latex, "definition", reason, block=max(state.math_index, 0), row=state.row)
        )
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
