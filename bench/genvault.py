"""Generate a realistic, seeded Obsidian vault of math notes and its hand-converted MkDocs twin.

`python bench/genvault.py --notes 1000 --out /tmp/v1000` writes

    /tmp/v1000/obsidian/            the vault as an Obsidian user writes it
    /tmp/v1000/plain/               the same content in plain MkDocs + Material Markdown
    /tmp/v1000/mkdocs-obsidian.yml  material + search + mathvault
    /tmp/v1000/mkdocs-plain.yml     material + search + admonition/details/attr_list/arithmatex

Generation runs in two phases. Phase 1 lays out every note (path, headings, block ids) so that
phase 2 can link to any heading or block of any note. Phase 2 builds each note as a list of
blocks made of inline tokens; two renderers turn the same blocks into the Obsidian form and
the plain form. Transclusions are rendered in the plain form by rendering the transcluded
blocks again, relative to the *embedding* note, so their links stay valid.
"""

from __future__ import annotations

import argparse
import io
import posixpath
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from pymdownx.slugs import slugify as make_slugify

SLUGIFY: Callable[[str, str], str] = make_slugify(case="lower")
ATTACHMENTS = "attachments"
FIGURES = f"{ATTACHMENTS}/figures"

# --------------------------------------------------------------------------- word pools
CHAPTERS = [
    "선형대수",
    "미적분",
    "확률과 통계",
    "최적화",
    "머신러닝",
    "딥러닝",
    "정보이론",
    "수치해석",
    "그래프 이론",
    "강화학습",
    "베이즈 추론",
    "신호처리",
]
SECTIONS = [
    "미분",
    "적분",
    "극한",
    "벡터 공간",
    "행렬 분해",
    "고유값",
    "확률 분포",
    "기댓값",
    "경사 하강법",
    "정규화",
    "역전파",
    "합성곱",
    "손실 함수",
    "엔트로피",
    "수렴",
    "테일러 급수",
    "라그랑주 승수",
    "마르코프 연쇄",
    "샘플링",
    "활성함수",
]
TOPICS = [
    "연쇄법칙",
    "편미분",
    "전미분",
    "도함수",
    "접선",
    "Jacobian",
    "Hessian",
    "softmax",
    "sigmoid",
    "ReLU",
    "Adam",
    "momentum",
    "cross entropy",
    "KL divergence",
    "SVD",
    "PCA",
    "eigenvector",
    "likelihood",
    "posterior",
    "평균값 정리",
    "부분적분",
    "치환적분",
    "행렬식",
    "내적",
    "노름",
    "직교",
    "사영",
    "분산",
    "공분산",
    "중심극한정리",
]
HEADINGS = [
    "정의 (Definition)",
    "성질",
    "예제",
    "증명 (Proof)",
    "직관적 이해",
    "응용",
    "계산 과정",
    "Gradient 계산",
    "주의할 점",
    "연습 문제",
    "Summary 요약",
    "참고",
]
KO_NOUNS = [
    "함수",
    "미분",
    "적분",
    "극한",
    "벡터",
    "행렬",
    "확률",
    "분포",
    "기댓값",
    "분산",
    "손실",
    "학습률",
    "가중치",
    "편미분",
    "합성함수",
    "정의역",
    "치역",
    "근사",
    "오차",
    "최적화",
    "신경망",
    "출력",
    "입력",
    "변화량",
    "기울기",
    "곡선",
    "평면",
    "공간",
    "좌표",
]
KO_PARTICLES = ["은", "는", "이", "가", "을", "를", "의", "에서", "으로", "와", "과", "에"]
KO_ENDINGS = [
    "이다.",
    "성립한다.",
    "계산한다.",
    "정의된다.",
    "수렴한다.",
    "같다.",
    "나타낸다.",
    "표현할 수 있다.",
    "주의해야 한다.",
    "중요하다.",
]
EN_WORDS = [
    "gradient",
    "derivative",
    "chain rule",
    "loss",
    "tensor",
    "convex",
    "Jacobian",
    "softmax",
    "batch",
    "epoch",
    "likelihood",
    "prior",
    "eigenvalue",
    "the model",
    "parameter",
    "update",
    "step",
    "is",
    "of",
    "and",
    "with",
    "for",
    "small",
    "local",
]
TAGS = [
    "미적분",
    "선형대수",
    "확률",
    "ml/optimization",
    "ml/deep-learning",
    "math/calculus",
    "정리",
    "todo",
    "review",
]
CALLOUTS = ["note", "tip", "warning", "example", "info", "question", "abstract"]
IMAGES: dict[str, tuple[int, int]] = {
    "dev.png": (320, 200),
    "partial_dev.png": (360, 240),
    "sigmoid.png": (300, 180),
    "gradient.png": (280, 280),
    "loss_surface.png": (400, 250),
}

# --------------------------------------------------------------------------- model


@dataclass
class Note:
    """One note's place in the vault, fixed in phase 1 so that other notes can link to it."""

    path: str  # vault-relative, without ".md"
    title: str
    headings: list[str]
    block_ids: list[str]
    overview: bool = False
    blocks: list[Block] = field(default_factory=list)

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)


@dataclass
class Text:
    text: str


@dataclass
class Math:
    tex: str


@dataclass
class Mark:
    text: str


@dataclass
class Comment:
    text: str


@dataclass
class Tag:
    name: str


@dataclass
class Link:
    """A wikilink. `form` is one of: name, alias, heading, self, block, path."""

    target: Note
    form: str
    heading: str = ""
    block: str = ""
    alias: str = ""


Inline = Text | Math | Mark | Comment | Tag | Link


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Para:
    inlines: list[Inline]
    block_id: str = ""


@dataclass
class Display:
    lines: list[str]


@dataclass
class Callout:
    kind: str
    title: str
    fold: str  # "", "-" or "+"
    inlines: list[Inline]


@dataclass
class Image:
    name: str
    width: int = 0
    height: int = 0


@dataclass
class Embed:
    """A transclusion: a heading section (`heading` set) or a whole note."""

    target: Note
    heading: str = ""


@dataclass
class Snippet:
    code: str
    figure: str  # file name under FIGURES


@dataclass
class BulletList:
    items: list[list[Inline]]


Block = Heading | Para | Display | Callout | Image | Embed | Snippet | BulletList


@dataclass(frozen=True)
class Options:
    notes: int = 1000
    seed: int = 1
    snippets: int = 0
    formulas_checked: bool = True


# --------------------------------------------------------------------------- phase 1: layout


def _block_id(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(6))


def layout(opts: Options, rng: random.Random) -> list[Note]:
    """Spread `opts.notes` notes over chapter/section folders; each section has an overview."""
    n_sections = max(2, -(-opts.notes // 12))
    n_chapters = max(1, -(-n_sections // 6))
    sections: list[str] = []
    for s in range(n_sections):
        c = s % n_chapters
        chapter = f"{c + 1}. {CHAPTERS[c % len(CHAPTERS)]}"
        k = s // n_chapters + 1
        sections.append(f"{chapter}/{c + 1}.{k}. {SECTIONS[s % len(SECTIONS)]}")
    notes: list[Note] = []
    for i in range(opts.notes):
        folder = sections[i % n_sections]
        if i < n_sections:
            notes.append(Note(f"{folder}/개요", "개요", [], [], overview=True))
            continue
        num = folder.rsplit("/", 1)[1].split(" ", 1)[0]  # "3.4."
        title = f"{num}{i // n_sections}. {rng.choice(TOPICS)} {rng.choice(KO_NOUNS)}"
        # the first section is always the definition: it is the one that gets transcluded
        headings = [HEADINGS[0]] + rng.sample(HEADINGS[1:], rng.randint(2, 4))
        ids = [_block_id(rng) for _ in range(rng.randint(1, 2))]
        notes.append(Note(f"{folder}/{title}", title, headings, ids))
    return notes


# --------------------------------------------------------------------------- phase 2: content


def _power_rule(r: random.Random) -> str:
    n = r.randint(2, 9)
    return f"\\frac{{d}}{{dx}} x^{{{n}}} = {n} x^{{{n - 1}}}"


def _moment(r: random.Random) -> str:
    k = r.randint(1, 6)
    return f"\\int_{{0}}^{{1}} x^{{{k}}} \\, dx = \\frac{{1}}{{{k + 1}}}"


def _difference_of_squares(r: random.Random) -> str:
    c = r.randint(2, 9)
    return f"(x+{c})(x-{c}) = x^{{2}} - {c * c}"


def _sine_rule(r: random.Random) -> str:
    c = r.randint(2, 7)
    return f"\\frac{{d}}{{dx}} \\sin({c}x) = {c} \\cos({c}x)"


CHECKABLE_INLINE: list[Callable[[random.Random], str]] = [
    _power_rule,
    lambda r: "(a+b)^{2} = a^{2} + 2ab + b^{2}",
    lambda r: "\\sin^{2}(x) + \\cos^{2}(x) = 1",
    _moment,
    _difference_of_squares,
    _sine_rule,
]
NOTATION_INLINE: list[Callable[[random.Random], str]] = [
    lambda r: "\\nabla f(p)",
    lambda r: "\\mathbb{E}[X] = \\sum_{x} x \\, p(x)",
    lambda r: "\\frac{\\partial L}{\\partial w_{ij}}",
    lambda r: "\\hat{y}_{n}",
    lambda r: "\\theta_{t+1} = \\theta_{t} - \\eta \\nabla_{\\theta} L",
    lambda r: "x_{1}, \\dots, x_{n}",
    lambda r: "\\triangle y = f(x+\\triangle x) - f(x)",
]


def _display_checkable(r: random.Random) -> list[str]:
    c, a = r.randint(2, 6), r.randint(1, 5)
    return r.choice(
        [
            [f"\\frac{{d}}{{dx}} e^{{{c}x}} = {c} e^{{{c}x}}"],
            [
                "\\begin{align}",
                f"f(x) &= x^{{2}} + {a}x \\\\",
                f"f'(x) &= 2x + {a}",
                "\\end{align}",
            ],
            [
                "\\begin{align}",
                "\\sigma(z) &= \\frac{1}{1+e^{-z}} \\\\",
                "\\sigma'(z) &= \\frac{e^{-z}}{(1+e^{-z})^{2}}",
                "\\end{align}",
            ],
            [f"\\int_{{0}}^{{{c}}} 2x \\, dx = {c * c}"],
        ]
    )


def _display_notation(r: random.Random) -> list[str]:
    return r.choice(
        [
            [
                "\\nabla f(p) =",
                "\\begin{bmatrix}",
                "\\frac{\\partial f}{\\partial x_{1}}(p) \\\\",
                "\\vdots \\\\",
                "\\frac{\\partial f}{\\partial x_{n}}(p)",
                "\\end{bmatrix}",
            ],
            [
                "\\begin{align}",
                (
                    "\\frac{\\partial L_{n}}{\\partial w_{ij}} &= "
                    "\\frac{\\partial L_{n}}{\\partial \\hat y_{n}} \\frac{\\partial \\hat y_{n}}"
                    "{\\partial w_{ij}} \\\\"
                ),
                "&= (\\hat y_{n} - y_{n}) \\, x_{j}",
                "\\end{align}",
            ],
            [
                "df = \\frac{\\partial f}{\\partial x}dx + \\frac{\\partial f}{\\partial y}dy + \\dots"  # noqa: E501 (a note's text, kept on one line)
            ],
        ]
    )


class ContentGen:
    """Fills each laid-out note with prose, links, math, callouts, embeds and snippets."""

    def __init__(self, notes: list[Note], opts: Options, rng: random.Random) -> None:
        self.notes = notes
        self.regular = [n for n in notes if not n.overview]
        self.overviews = [n for n in notes if n.overview]
        self.opts = opts
        self.rng = rng
        self.words = 0
        self.by_chapter: dict[str, list[Note]] = {}
        for n in self.regular:
            self.by_chapter.setdefault(n.path.split("/", 1)[0], []).append(n)

    def neighbour(self, host: Note) -> Note:
        """Another regular note; most links stay within the host's chapter, as in real vaults."""
        chapter = host.path.split("/", 1)[0]
        near = self.by_chapter[chapter]
        pool = near if len(near) > 1 and self.rng.random() < 0.6 else self.regular
        target = host
        while target is host:
            target = self.rng.choice(pool)
        return target

    # -- inline pieces
    def sentence(self) -> str:
        r = self.rng
        words: list[str] = []
        for _ in range(r.randint(6, 11)):
            if r.random() < 0.7:
                words.append(r.choice(KO_NOUNS) + r.choice(KO_PARTICLES))
            else:
                words.append(r.choice(EN_WORDS))
        words.append(r.choice(KO_ENDINGS))
        self.words += len(" ".join(words).split())
        return " ".join(words)

    def formula(self) -> str:
        r = self.rng
        pool = (
            CHECKABLE_INLINE if self.opts.formulas_checked and r.random() < 0.7 else NOTATION_INLINE
        )
        return r.choice(pool)(r)

    def display(self) -> Display:
        r = self.rng
        checked = self.opts.formulas_checked and r.random() < 0.7
        return Display((_display_checkable if checked else _display_notation)(r))

    def link(self, host: Note, form: str) -> Link:
        r = self.rng
        if form == "self":
            return Link(host, "self", heading=r.choice(host.headings[1:]))
        target = self.neighbour(host)
        if form == "heading":
            return Link(target, form, heading=r.choice(target.headings))
        if form == "block":
            return Link(target, form, block=r.choice(target.block_ids))
        if form == "alias":
            return Link(target, form, alias=f"{r.choice(TOPICS)} ({r.choice(KO_NOUNS)})")
        return Link(target, form)

    def paragraph(self, host: Note, links: list[str], maths: int, extras: bool) -> Para:
        r = self.rng
        parts: list[Inline] = []
        pieces: list[Inline] = [self.link(host, f) for f in links]
        pieces += [Math(self.formula()) for _ in range(maths)]
        if extras:
            if r.random() < 0.5:
                pieces.append(Mark(f"{r.choice(KO_NOUNS)} {r.choice(EN_WORDS)}"))
            if r.random() < 0.4:
                pieces.append(Tag(r.choice(TAGS)))
            if r.random() < 0.3:
                pieces.append(Comment(f"TODO {r.choice(KO_NOUNS)} 다시 확인"))
        r.shuffle(pieces)
        parts.append(Text(" ".join(self.sentence() for _ in range(r.randint(2, 3))) + " "))
        for piece in pieces:
            parts.append(
                Text(self.sentence() + " " + r.choice(KO_NOUNS) + r.choice(KO_PARTICLES) + " ")
            )
            parts.append(piece)
            parts.append(Text(" "))
        parts.append(Text(self.sentence()))
        return Para(parts)

    # -- whole notes
    def overview(self, note: Note) -> None:
        members = [n for n in self.regular if n.folder == note.folder][:8]
        note.blocks = [
            Para([Text(self.sentence()), Text(" "), Text(self.sentence())]),
            BulletList([[Link(m, "name")] for m in members]),
        ]

    def note(self, note: Note, snippet_no: int | None) -> None:
        r = self.rng
        forms = ["name", "alias", "heading", "self", "block", "path"]
        links = forms + r.choices(forms, k=r.randint(0, 4))  # 6..10 links, every form
        r.shuffle(links)
        n_inline = r.randint(5, 7)
        n_display = r.randint(2, 4)
        # distribute links/formulas over paragraphs; the first section has no self links,
        # block ids or embeds, so it can be transcluded anywhere unchanged
        paras_per_section = [2] + [r.randint(2, 3) for _ in note.headings[1:]]
        n_paras = sum(paras_per_section)
        slots_links: list[list[str]] = [[] for _ in range(n_paras)]
        for f in links:
            lo = paras_per_section[0] if f == "self" else 0
            slots_links[r.randrange(lo, n_paras)].append(f)
        slots_math = [0] * n_paras
        for _ in range(n_inline):
            slots_math[r.randrange(n_paras)] += 1
        display_after = set(r.sample(range(n_paras), min(n_display, n_paras)))
        later = list(range(paras_per_section[0], n_paras))
        id_slots = dict(zip(r.sample(later, len(note.block_ids)), note.block_ids))
        fancy_slots = set(r.sample(later, min(len(later), 4)))

        blocks: list[Block] = []
        p = 0
        for s, heading in enumerate(note.headings):
            blocks.append(Heading(2, heading))
            for _ in range(paras_per_section[s]):
                para = self.paragraph(note, slots_links[p], slots_math[p], extras=s > 0)
                para.block_id = id_slots.get(p, "")
                blocks.append(para)
                if p in display_after:
                    blocks.append(self.display())
                if p in fancy_slots:
                    blocks.append(self.fancy(note))
                p += 1
        if snippet_no is not None:
            blocks.append(self.snippet(note, snippet_no))  # last section: never transcluded
        note.blocks = blocks

    def fancy(self, host: Note) -> Block:
        """One of: callout, image embed, heading transclusion, overview transclusion."""
        r = self.rng
        kind = r.choice(["callout", "callout", "image", "image", "embed", "overview"])
        if kind == "callout":
            fold = r.choice(["", "", "-", "+"])
            body: list[Inline] = [
                Text(self.sentence() + " "),
                Math(self.formula()),
                Text(" " + self.sentence()),
            ]
            return Callout(
                r.choice(CALLOUTS), f"{r.choice(TOPICS)} {r.choice(KO_NOUNS)}", fold, body
            )
        if kind == "image":
            name = r.choice(sorted(IMAGES))
            w = r.choice([0, 400, 600])
            h = r.choice([0, 0, 300]) if w else 0
            return Image(name, w, h)
        if kind == "embed":
            target = self.neighbour(host)
            return Embed(target, target.headings[0])
        return Embed(r.choice(self.overviews))

    def snippet(self, host: Note, number: int) -> Snippet:
        r = self.rng
        fn = r.choice(["np.tanh", "np.sin", "np.exp", "np.cos"])
        a = r.randint(1, 9) / 4
        code = (
            "import numpy as np\n"
            "import matplotlib.pyplot as plt\n\n"
            "x = np.linspace(-3, 3, 200)\n"
            f"plt.figure(figsize=(4, 3))\n"
            f'plt.plot(x, {fn}({a} * x), label="{fn}({a}x)")\n'
            "plt.legend()\n"
        )
        return Snippet(code, f"snippet-{number:04d}.png")


# --------------------------------------------------------------------------- rendering


def slug(text: str) -> str:
    """The heading id that toc with `pymdownx.slugs.slugify(case="lower")` gives."""
    return SLUGIFY(text, "-")


def rel_url(host: Note, target_path: str) -> str:
    """URL-encoded relative link from `host`'s page source to a vault-relative file path."""
    rel = posixpath.relpath(target_path, start=host.folder or ".")
    return quote(rel, safe="/")


class ObsidianRenderer:
    def inline(self, tok: Inline) -> str:
        if isinstance(tok, Text):
            return tok.text
        if isinstance(tok, Math):
            return f"${tok.tex}$"
        if isinstance(tok, Mark):
            return f"=={tok.text}=="
        if isinstance(tok, Comment):
            return f"%%{tok.text}%%"
        if isinstance(tok, Tag):
            return f"#{tok.name}"
        t = tok.target
        return {
            "name": f"[[{t.name}]]",
            "alias": f"[[{t.name}|{tok.alias}]]",
            "heading": f"[[{t.name}#{tok.heading}]]",
            "self": f"[[#{tok.heading}]]",
            "block": f"[[{t.name}#^{tok.block}]]",
            "path": f"[[{t.path}]]",
        }[tok.form]

    def inlines(self, toks: list[Inline]) -> str:
        return "".join(self.inline(t) for t in toks)

    def block(self, b: Block) -> str:
        if isinstance(b, Heading):
            return "#" * b.level + " " + b.text
        if isinstance(b, Para):
            return self.inlines(b.inlines) + (f" ^{b.block_id}" if b.block_id else "")
        if isinstance(b, Display):
            return "$$\n" + "\n".join(b.lines) + "\n$$"
        if isinstance(b, Callout):
            head = f"> [!{b.kind}]{b.fold} {b.title}"
            return head + "\n> " + self.inlines(b.inlines)
        if isinstance(b, Image):
            size = f"|{b.width}x{b.height}" if b.height else (f"|{b.width}" if b.width else "")
            return f"![[{b.name}{size}]]"
        if isinstance(b, Embed):
            if b.heading:
                return f"![[{b.target.name}#{b.heading}]]"
            return f"![[{b.target.path}]]"
        if isinstance(b, Snippet):
            return "```python exec\n" + b.code + "```"
        return "\n".join("- " + self.inlines(item) for item in b.items)

    def body(self, note: Note) -> str:
        return "\n\n".join(self.block(b) for b in note.blocks)


class PlainRenderer:
    """Renders blocks as plain MkDocs Markdown, with links relative to `host`."""

    def __init__(self, notes_by_path: dict[str, Note]) -> None:
        self.notes = notes_by_path

    def inline(self, tok: Inline, host: Note) -> str:
        if isinstance(tok, Text):
            return tok.text
        if isinstance(tok, Math):
            return f"${tok.tex}$"
        if isinstance(tok, Mark):
            return f"<mark>{tok.text}</mark>"
        if isinstance(tok, Comment):
            return ""
        if isinstance(tok, Tag):
            return f"#{tok.name}"
        t = tok.target
        url = rel_url(host, t.path + ".md")
        if tok.form == "self":
            return f"[{tok.heading}](#{slug(tok.heading)})"
        if tok.form == "heading":
            return f"[{t.name} > {tok.heading}]({url}#{slug(tok.heading)})"
        if tok.form == "block":
            return f"[{t.name} > ^{tok.block}]({url}#{tok.block})"
        if tok.form == "alias":
            return f"[{tok.alias}]({url})"
        if tok.form == "path":
            return f"[{t.path}]({url})"
        return f"[{t.name}]({url})"

    def inlines(self, toks: list[Inline], host: Note) -> str:
        return "".join(self.inline(t, host) for t in toks)

    def block(self, b: Block, host: Note) -> str:
        if isinstance(b, Heading):
            return "#" * b.level + " " + b.text
        if isinstance(b, Para):
            text = self.inlines(b.inlines, host)
            return text + (f"\n{{: #{b.block_id} }}" if b.block_id else "")
        if isinstance(b, Display):
            return "$$\n" + "\n".join(b.lines) + "\n$$"
        if isinstance(b, Callout):
            marker = {"": "!!!", "-": "???", "+": "???+"}[b.fold]
            return f'{marker} {b.kind} "{b.title}"\n\n    ' + self.inlines(b.inlines, host)
        if isinstance(b, Image):
            url = rel_url(host, f"{ATTACHMENTS}/{b.name}")
            attrs = ""
            if b.width:
                attrs = (
                    f'{{ width="{b.width}"' + (f' height="{b.height}"' if b.height else "") + " }"
                )
            return f"![{b.name}]({url}){attrs}"
        if isinstance(b, Embed):
            return self.transclude(b, host)
        if isinstance(b, Snippet):
            url = rel_url(host, f"{FIGURES}/{b.figure}")
            return "```python\n" + b.code + "```\n\n" + f"![figure]({url})"
        return "\n".join("- " + self.inlines(item, host) for item in b.items)

    def transclude(self, embed: Embed, host: Note) -> str:
        """The transcluded blocks, re-rendered relative to the host (no nested embeds)."""
        blocks = embed.target.blocks
        if embed.heading:
            start = next(
                i
                for i, b in enumerate(blocks)
                if isinstance(b, Heading) and b.text == embed.heading
            )
            level = blocks[start]
            assert isinstance(level, Heading)
            end = next(
                (
                    i
                    for i in range(start + 1, len(blocks))
                    if isinstance(blocks[i], Heading) and blocks[i].level <= level.level
                ),  # type: ignore[union-attr]
                len(blocks),
            )
            # the heading becomes bold text, so the host's own heading ids do not shift
            parts = [f"**{embed.heading}**"] + [
                self.block(b, host) for b in blocks[start + 1 : end]
            ]
        else:
            parts = [self.block(b, host) for b in blocks]
        return "\n\n".join(parts)

    def body(self, note: Note) -> str:
        return "\n\n".join(self.block(b, note) for b in note.blocks)


def frontmatter(note: Note, rng: random.Random) -> str:
    created = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    lines = ["---", f'title: "{note.title}"', f"created: {created.isoformat()}", "tags:"]
    lines += [f"  - {t}" for t in rng.sample(TAGS, rng.randint(1, 3))]
    if rng.random() < 0.3:
        lines += ["aliases:", f'  - "{rng.choice(TOPICS)} {rng.choice(KO_NOUNS)}"']
    return "\n".join(lines + ["---", ""])


# --------------------------------------------------------------------------- files


def make_images(dest: Path) -> None:
    """A few small, distinct, deterministic PNGs (Pillow, no metadata)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    dest.mkdir(parents=True, exist_ok=True)
    for i, (name, (w, h)) in enumerate(sorted(IMAGES.items())):
        img = PILImage.new("RGB", (w, h), (250, 250, 250))
        draw = ImageDraw.Draw(img)
        for x in range(0, w, 4):
            y = int(h / 2 - (h / 3) * ((x / w) * 2 - 1) ** (i % 3 + 1))
            draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=(40 * i % 255, 90, 200 - 30 * i))
        draw.line((0, h // 2, w, h // 2), fill=(120, 120, 120))
        img.save(dest / name, format="PNG")


def render_snippet_figure(code: str, dest: Path) -> None:
    """Run a snippet once with Agg and save its figure: what the plain-form author pasted."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.close("all")
    exec(compile(code, str(dest), "exec"), {"__name__": "__snippet__"})  # noqa: S102
    buf = io.BytesIO()
    plt.gcf().savefig(buf, format="png", dpi=60, metadata={"Software": None})
    plt.close("all")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(buf.getvalue())


@dataclass
class Vault:
    notes: list[Note]
    prose_words: int


def build_vault(opts: Options) -> Vault:
    """Both phases, in memory. Same options → same vault."""
    rng = random.Random(opts.seed)
    notes = layout(opts, rng)
    gen = ContentGen(notes, opts, rng)
    regular = gen.regular
    with_snippet = set(rng.sample(range(len(regular)), min(opts.snippets, len(regular))))
    for note in gen.overviews:
        gen.overview(note)
    for i, note in enumerate(regular):
        gen.note(note, i if i in with_snippet else None)
    return Vault(notes, gen.words)


def write_vault(vault: Vault, out: Path, seed: int) -> None:
    """Write both forms under `out/obsidian` and `out/plain` (replacing old ones)."""
    obs_dir, plain_dir = out / "obsidian", out / "plain"
    for d in (obs_dir, plain_dir):
        if d.exists():
            shutil.rmtree(d)
        make_images(d / ATTACHMENTS)
    obs, plain = ObsidianRenderer(), PlainRenderer({n.path: n for n in vault.notes})
    fm_rng = random.Random(seed * 7919 + 1)
    for note in vault.notes:
        fm = frontmatter(note, fm_rng)
        for d, text in ((obs_dir, obs.body(note)), (plain_dir, plain.body(note))):
            f = d / (note.path + ".md")
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(fm + "\n" + text + "\n", encoding="utf-8")
        for b in note.blocks:
            if isinstance(b, Snippet):
                render_snippet_figure(b.code, plain_dir / FIGURES / b.figure)
    (obs_dir / "index.md").write_text("# Vault\n\n수학 노트 모음 (generated).\n", encoding="utf-8")
    (plain_dir / "index.md").write_text(
        "# Vault\n\n수학 노트 모음 (generated).\n", encoding="utf-8"
    )


# --------------------------------------------------------------------------- mkdocs configs

PLAIN_EXTENSIONS = """\
markdown_extensions:
  - admonition
  - pymdownx.details
  - attr_list
  - md_in_html
  - pymdownx.arithmatex:
      generic: true
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
extra_javascript:
  - https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js
"""


def mkdocs_config(
    form: str, variant: str, site_dir: str, plugin_options: dict[str, object] | None = None
) -> str:
    """mkdocs.yml text for one form ("obsidian" or "plain") and one variant."""
    if variant not in ("pruned", "default"):
        raise ValueError(f"unknown variant {variant!r}")
    features = "  features:\n    - navigation.prune\n" if variant == "pruned" else ""
    text = (
        f"site_name: generated vault ({form}, {variant})\n"
        f"docs_dir: {form}\nsite_dir: {site_dir}\n"
        f"theme:\n  name: material\n  language: ko\n{features}"
        "validation:\n  links:\n    anchors: warn\n"
    )
    if form == "plain":
        return text + "plugins:\n  - search\n" + PLAIN_EXTENSIONS
    if not plugin_options:
        return text + "plugins:\n  - search\n  - mathvault\n"
    opts = "".join(
        f"      {k}: {str(v).lower() if isinstance(v, bool) else v}\n"
        for k, v in plugin_options.items()
    )
    return text + "plugins:\n  - search\n  - mathvault:\n" + opts


def write_configs(
    out: Path, variant: str, plugin_options: dict[str, object] | None = None, suffix: str = ""
) -> dict[str, Path]:
    """Write `mkdocs-obsidian{suffix}.yml` and `mkdocs-plain{suffix}.yml` next to the vaults."""
    paths: dict[str, Path] = {}
    for form in ("obsidian", "plain"):
        path = out / f"mkdocs-{form}{suffix}.yml"
        site = f"site-{form}{suffix}"
        path.write_text(
            mkdocs_config(form, variant, site, plugin_options if form == "obsidian" else None),
            encoding="utf-8",
        )
        paths[form] = path
    return paths


def generate(out: Path, opts: Options, variant: str = "pruned") -> Vault:
    vault = build_vault(opts)
    out.mkdir(parents=True, exist_ok=True)
    write_vault(vault, out, opts.seed)
    write_configs(out, variant)
    return vault


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--notes", type=int, default=1000, help="number of notes (N)")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--snippets",
        type=int,
        default=0,
        help="how many notes get a ```python exec``` figure snippet",
    )
    ap.add_argument(
        "--formulas-checked",
        choices=["on", "off"],
        default="on",
        help="on: most formulas are checkable identities; off: notation only",
    )
    ap.add_argument(
        "--variant",
        choices=["pruned", "default"],
        default="pruned",
        help="Material features: navigation.prune, or the theme defaults",
    )
    a = ap.parse_args(argv)
    opts = Options(a.notes, a.seed, a.snippets, a.formulas_checked == "on")
    vault = generate(a.out, opts, a.variant)
    print(
        f"{len(vault.notes)} notes, {vault.prose_words} prose words → {a.out}/obsidian, "
        f"{a.out}/plain"
    )


if __name__ == "__main__":
    main()
