"""Conditions a note states, read into per-variable domains.

A claim is checked over the whole real line unless the note restricts a
variable: inline next to the formula (``\\sqrt{x^2} = -x \\quad (x<0)``), in
the prose of the same paragraph ("for $x > 0$", "$x$가 양수일 때", "n is a
natural number"), or in ``%% assume: x > 0 %%``.  A condition that mentions a
variable but is not understood is recorded as *unparsed*: the claim may still
be verified when it holds everywhere, but is never refuted.

Hand-written (regular expressions over LaTeX and prose): no library reads
conditions out of mixed Korean/English prose and LaTeX.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

INF = math.inf


@dataclass(frozen=True)
class Domain:
    """Where one real variable may range: an interval, optionally integers, optionally not 0."""

    lo: float = -INF
    hi: float = INF
    lo_open: bool = True
    hi_open: bool = True
    integer: bool = False
    nonzero: bool = False

    def admits(self, v: float) -> bool:
        if v < self.lo or (v == self.lo and self.lo_open and self.lo != -INF):
            return False
        if v > self.hi or (v == self.hi and self.hi_open and self.hi != INF):
            return False
        if self.nonzero and v == 0:
            return False
        return not self.integer or float(v).is_integer()

    def meet(self, o: Domain) -> Domain:
        """Both restrictions at once."""
        if self.lo != o.lo:
            lo, lo_open = (self.lo, self.lo_open) if self.lo > o.lo else (o.lo, o.lo_open)
        else:
            lo, lo_open = self.lo, self.lo_open or o.lo_open
        if self.hi != o.hi:
            hi, hi_open = (self.hi, self.hi_open) if self.hi < o.hi else (o.hi, o.hi_open)
        else:
            hi, hi_open = self.hi, self.hi_open or o.hi_open
        return Domain(
            lo, hi, lo_open, hi_open, self.integer or o.integer, self.nonzero or o.nonzero
        )

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    @property
    def restricted(self) -> bool:
        return self != Domain()


@dataclass
class Assumptions:
    """Domains per variable name (the checker's cleaned names), and the texts they came from."""

    domains: dict[str, Domain] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    complex_vars: set[str] = field(default_factory=set)

    def add(self, name: str, d: Domain, text: str) -> None:
        self.domains[name] = self.domains.get(name, Domain()).meet(d)
        if text not in self.texts:
            self.texts.append(text)

    def merged(self, other: Assumptions) -> Assumptions:
        out = Assumptions(
            dict(self.domains), list(self.texts), list(self.unparsed), set(self.complex_vars)
        )
        for k, d in other.domains.items():
            out.domains[k] = out.domains.get(k, Domain()).meet(d)
        out.texts += [t for t in other.texts if t not in out.texts]
        out.unparsed += [t for t in other.unparsed if t not in out.unparsed]
        out.complex_vars |= other.complex_vars
        return out

    def key(self) -> str:
        return repr(
            (sorted(self.domains.items()), sorted(self.unparsed), sorted(self.complex_vars))
        )


# ---- reading conditions --------------------------------------------------

_NAME = r"(?:\\(?:[a-zA-Z]+)|[a-zA-Z])(?:_\{?[a-zA-Z0-9]+\}?)?"
# longest forms first: "2\\pi" must not stop at "2"
_NUM = r"-?\s*(?:\d+(?:\.\d+)?\s*\\pi|\\pi\s*/\s*\d+|\\frac\{-?\d+\}\{\d+\}|\\frac\{\\pi\}\{\d+\}|\d+(?:\.\d+)?|\\pi)"  # noqa: E501
_REL = r"(<=|>=|≤|≥|<|>|\\leqslant|\\geqslant|\\leq|\\geq|\\le|\\ge|\\neq|\\ne|≠|\\lt|\\gt)"
_NAMES = rf"({_NAME}(?:\s*,\s*{_NAME})*)"
_CHAIN = re.compile(rf"({_NUM})\s*{_REL}\s*({_NAME})\s*{_REL}\s*({_NUM})")
_RIGHT = re.compile(rf"(?<![\w\\]){_NAMES}\s*{_REL}\s*({_NUM})(?![\w.])")
_LEFT = re.compile(rf"(?<![\w\\.])({_NUM})\s*{_REL}\s*({_NAME})(?![\w])")
_ABS = re.compile(
    rf"(?:\||\\lvert|\\left\|)\s*({_NAME})\s*(?:\||\\rvert|\\right\|)\s*{_REL}\s*({_NUM})"
)
_IN = re.compile(
    rf"{_NAMES}\s*\\in\s*\\mathbb\s*\{{?([NZRQC])\}}?\s*(\^\s*\{{?[+*]\}}?|_\s*\{{?(?:>|\\geq?|\\ge|\+)\s*0?\}}?|\^\s*\{{?[a-z0-9\\times ]+\}}?)?"  # noqa: E501
)
_INTERVAL = re.compile(
    rf"\$?({_NAME})\$?\s*(?:\\in|가|이|는|은|in)\s*\$?\s*([(\[])\s*({_NUM})\s*,\s*({_NUM})\s*([)\]])"
)
_WORD_EN = re.compile(
    r"\b(?:for|when|if|where|with|assume|assuming|suppose|let)?\s*(?:all\s+)?(?:real\s+)?"
    r"([a-zA-Z](?:_\w+)?(?:\s*(?:,|and)\s*[a-zA-Z](?:_\w+)?)*)\s+(?:is|are|being)\s+(?:a\s+|both\s+|all\s+)?"
    r"(strictly\s+)?(positive|negative|non-?negative|non-?positive|non-?zero|natural|integers?|real)",
    re.I,
)
_WORD_EN2 = re.compile(
    r"\b(positive|negative|non-?negative|non-?zero|natural|nonzero)\s+(?:real\s+)?(?:numbers?\s+|integers?\s+|reals?\s+)?"
    r"([a-zA-Z](?:_\w+)?)(?:\s*(?:,|and)\s*([a-zA-Z](?:_\w+)?))?\b",
    re.I,
)
_WORD_KO = re.compile(
    r"([a-zA-Z](?:_\w+)?(?:\s*,\s*[a-zA-Z](?:_\w+)?)*)\s*(?:가|이|는|은|를|을)?\s*(?:모두\s*)?"
    r"(양수|음수|양의\s*실수|음의\s*실수|자연수|정수|0이\s*아닌|0\s*이상|0보다\s*큰|0보다\s*작은)"
)
_WORD_KO2 = re.compile(r"(양수|음수|양의\s*실수|자연수|정수)\s*([a-zA-Z](?:_\w+)?)")

_WORD_DOMAINS = {
    "positive": Domain(0, INF),
    "strictly positive": Domain(0, INF),
    "negative": Domain(-INF, 0),
    "nonnegative": Domain(0, INF, lo_open=False),
    "nonpositive": Domain(-INF, 0, hi_open=False),
    "nonzero": Domain(nonzero=True),
    "natural": Domain(1, INF, lo_open=False, integer=True),
    "integer": Domain(integer=True),
    "integers": Domain(integer=True),
    "real": Domain(),
    "양수": Domain(0, INF),
    "양의실수": Domain(0, INF),
    "음수": Domain(-INF, 0),
    "음의실수": Domain(-INF, 0),
    "자연수": Domain(1, INF, lo_open=False, integer=True),
    "정수": Domain(integer=True),
    "0이아닌": Domain(nonzero=True),
    "0이상": Domain(0, INF, lo_open=False),
    "0보다큰": Domain(0, INF),
    "0보다작은": Domain(-INF, 0),
}


def clean_name(raw: str) -> str:
    """The checker's symbol name for a written variable (``x_{1}`` -> ``x_1``, ``\\theta`` -> ``theta``)."""  # noqa: E501
    s = raw.replace(" ", "").replace("{", "").replace("}", "")
    return s.lstrip("\\")


def _number(text: str) -> float | None:
    t = text.replace(" ", "")
    neg = t.startswith("-")
    t = t.lstrip("-")
    try:
        if t.startswith("\\pi/"):
            v = math.pi / float(t[4:])
        elif t == "\\pi":
            v = math.pi
        elif t.endswith("\\pi"):
            v = float(t[:-3] or 1) * math.pi
        elif t.startswith("\\frac{\\pi}"):
            v = math.pi / float(t[len("\\frac{\\pi}{") : -1])
        elif t.startswith("\\frac"):
            a, b = re.findall(r"\{(-?\d+)\}", t)
            v = float(a) / float(b)
        else:
            v = float(t)
    except (ValueError, ZeroDivisionError):
        return None
    return -v if neg else v


def _rel_domain(rel: str, v: float, flipped: bool = False) -> Domain:
    rel = {
        "\\lt": "<",
        "\\gt": ">",
        "≤": "<=",
        "≥": ">=",
        "\\le": "<=",
        "\\leq": "<=",
        "\\leqslant": "<=",
        "\\ge": ">=",
        "\\geq": ">=",
        "\\geqslant": ">=",
        "\\ne": "!=",
        "\\neq": "!=",
        "≠": "!=",
    }.get(rel, rel)
    if flipped:
        rel = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "!=": "!="}[rel]
    if rel == "<":
        return Domain(-INF, v)
    if rel == "<=":
        return Domain(-INF, v, hi_open=False)
    if rel == ">":
        return Domain(v, INF)
    if rel == ">=":
        return Domain(v, INF, lo_open=False)
    if v == 0:
        return Domain(nonzero=True)
    return Domain()  # x != 3: an excluded point random sampling never hits


def _strip_inline_names(text: str) -> str:
    """``$x$`` in prose -> ``x`` so word patterns see the variable."""
    return re.sub(r"\$\s*(" + _NAME + r")\s*\$", lambda m: m.group(1).lstrip("\\"), text)


IN_WORDS = "in words: "  # prefix of an unread condition that is a sentence, not a formula
# words that make a statement conditional (not "if we differentiate …": a step, not a premise)
_IF_WORDS = re.compile(
    r"\b(?:if|assum\w*|suppos\w*|provided|whenever|unless|given that)\b(?!\s+(?:we|you)\b)"
    r"|(?:이|이라|라)면|가정|일\s*때|인\s*경우|경우에",
    re.I,
)


def read_conditions(text: str, out: Assumptions | None = None) -> Assumptions:
    """Every condition found in ``text`` (LaTeX, prose, or both)."""
    out = out if out is not None else Assumptions()
    if not text or not text.strip():
        return out
    s = text.replace("\\left", "").replace("\\right", "").replace("\\,", " ").replace("\\;", " ")
    s = s.replace("\\!", "").replace("\\ ", " ")
    # callout and quote markers ("> ") at line starts are not relations
    s = re.sub(r"(?m)^[ \t]*(?:>[ \t]*)+", lambda m: " " * len(m.group(0)), s)
    used: list[tuple[int, int]] = []

    def mark(m: re.Match[str]) -> None:
        used.append(m.span())

    for m in _CHAIN.finditer(s):
        lo, r1, name, r2, hi = m.groups()
        a, b = _number(lo), _number(hi)
        if a is None or b is None:
            continue
        d = _rel_domain(r1, a, flipped=True).meet(_rel_domain(r2, b))
        out.add(clean_name(name), d, " ".join(m.group(0).split()))
        mark(m)
    for m in _RIGHT.finditer(s):
        if any(a <= m.start() < b for a, b in used):
            continue
        names, rel, num = m.groups()
        v = _number(num)
        if v is None:
            continue
        for n in re.split(r"\s*,\s*", names):
            if n.lstrip("\\") in ("quad", "qquad", "text", "mathrm", "cdot", "frac", "sqrt"):
                break
            out.add(clean_name(n), _rel_domain(rel, v), " ".join(m.group(0).split()))
        mark(m)
    for m in _LEFT.finditer(s):
        if any(a <= m.start() < b for a, b in used):
            continue
        num, rel, name = m.groups()
        v = _number(num)
        if v is None:
            continue
        out.add(clean_name(name), _rel_domain(rel, v, flipped=True), " ".join(m.group(0).split()))
        mark(m)
    for m in _ABS.finditer(s):
        # |x| <= 1, \lvert x \rvert < 2: a symmetric interval
        name, rel, num = m.groups()
        v = _number(num)
        d = _rel_domain(rel, v) if v is not None and v > 0 else None
        if d is None or d.lo != -INF or rel.startswith(("\\ne", "≠")):
            continue
        out.add(
            clean_name(name),
            Domain(-d.hi, d.hi, d.hi_open, d.hi_open),
            " ".join(m.group(0).split()),
        )
        mark(m)
    for m in _IN.finditer(s):
        names, field_, sup = m.group(1), m.group(2), (m.group(3) or "").replace(" ", "")
        positive = bool(sup) and any(c in sup for c in "+>") or "\\ge" in sup
        if sup and not positive and "*" not in sup:
            mark(m)
            continue  # \mathbb{R}^n, \mathbb{R}^{m\times n}: shapes, read elsewhere
        d = {
            "N": Domain(0, INF, lo_open=False, integer=True),
            "Z": Domain(integer=True),
            "R": Domain(),
            "Q": Domain(),
        }.get(field_)
        if field_ == "C":
            out.complex_vars.update(clean_name(n) for n in re.split(r"\s*,\s*", names))
            mark(m)
            continue
        if d is None:
            continue
        if positive:
            d = d.meet(Domain(0, INF))
        if "*" in sup:
            d = d.meet(Domain(nonzero=True))
        for n in re.split(r"\s*,\s*", names):
            out.add(clean_name(n), d, " ".join(m.group(0).split()))
        mark(m)
    for m in _INTERVAL.finditer(s):
        name, lb, lo, hi, rb = m.groups()
        a, b = _number(lo), _number(hi)
        if a is None or b is None:
            continue
        out.add(clean_name(name), Domain(a, b, lb == "(", rb == ")"), " ".join(m.group(0).split()))
        mark(m)
    prose = _strip_inline_names(s)
    for m in _WORD_EN.finditer(prose):
        names, strict, word = m.groups()
        key = word.lower().replace("-", "")
        d = _WORD_DOMAINS.get(key)
        if d is None:
            continue
        for n in re.split(r"\s*(?:,|and)\s*", names):
            if n and n.lower() not in ("it", "is") and len(n) <= 4:
                out.add(clean_name(n), d, " ".join(m.group(0).split()))
    for m in _WORD_EN2.finditer(prose):
        word, n1, n2 = m.groups()
        d = _WORD_DOMAINS.get(word.lower().replace("-", ""))
        if d is None:
            continue
        for n in (n1, n2):
            if n and len(n) == 1 or (n and "_" in n):
                out.add(clean_name(n), d, " ".join(m.group(0).split()))
    for m in _WORD_KO.finditer(prose):
        names, word = m.groups()
        d = _WORD_DOMAINS.get(word.replace(" ", ""))
        if d is None:
            continue
        for n in re.split(r"\s*,\s*", names):
            out.add(clean_name(n), d, " ".join(m.group(0).split()))
    for m in _WORD_KO2.finditer(prose):
        word, n = m.groups()
        d = _WORD_DOMAINS.get(word.replace(" ", ""))
        if d is not None:
            out.add(clean_name(n), d, " ".join(m.group(0).split()))
    # "if A and B are diagonal", "AB = BA 라고 가정하면": a condition in words that gave no domain
    words = re.sub(r"\$[^$]*\$", " ", s)
    hit = _IF_WORDS.search(words)
    if hit and not out.domains and not out.complex_vars:
        lo = max(0, hit.start() - 20)
        out.unparsed.append(IN_WORDS + " ".join(words[lo : hit.end() + 20].split()))
        return out
    # what looks like a condition but was not read: never refute under it
    rest = s
    for a, b in sorted(used, reverse=True):
        rest = rest[:a] + " " * (b - a) + rest[b:]
    for m in re.finditer(
        r"(\\(?:le|ge|leq|geq|neq|ne|lt|gt|in|notin|subset|forall)(?![a-zA-Z])|[<>≤≥≠])", rest
    ):
        lo, hi = max(0, m.start() - 20), min(len(rest), m.end() + 20)
        excerpt = re.sub(r"\[![^\]]*\]|[>*`#]|\$", " ", rest[lo:hi])
        out.unparsed.append(" ".join(excerpt.split()))
        break
    return out
