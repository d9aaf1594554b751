"""Small HTML pieces the pages get besides the note itself: backlinks, natural order."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from urllib.parse import quote

from ..syntax import fences, markup, placeholders
from .index import Mention, Note, VaultIndex

_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple:
    """Sort key that orders 3.4.2 before 3.4.10 (numbers compared as numbers)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in _DIGITS.split(text)
        if part
    )


# -- backlinks ---------------------------------------------------------------------------
#
# Like Obsidian's backlinks pane: for each link, the paragraph or list item that holds it,
# as inline Markdown (code, emphasis, math, links), without what the page would not show
# there (comments, callout and quote markers, block ids, embeds), trimmed around the link.

CONTEXT_CHARS = 240  # about what Obsidian's pane shows of a long paragraph
_MAX_BLOCK_LINES = 40

_QUOTE = re.compile(r"^[ \t]*>[ \t]?")
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[.\])?(?:[ \t]+|$)")
_CALLOUT_MARK = re.compile(r"^\[![^\]\s]+\][+-]?[ \t]*")
_HEADING_MARK = re.compile(r"^#{1,6}[ \t]+")
_BLOCK_ID = re.compile(r"(?:^|[ \t])\^[A-Za-z0-9_-]+[ \t]*$")
_INLINE = re.compile(
    r"(?=[`!\[$\\])"  # one quick test where nothing can start
    r"(?:(?P<code>(`+)(?!`).+?(?<!`)\2(?!`))"
    r"|(?P<embed>!\[\[[^\[\]\n]*?\]\](?:\^[A-Za-z0-9_-]+)?)"
    r"|\[\[(?P<wiki>[^\[\]\n]+?)\]\]"
    r"|(?P<image>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|\[(?P<label>[^\[\]\n]*)\]\((?P<dest><[^<>\n]*>|[^()\s]*)[^)\n]*\)"
    r"|(?P<display>\$\$(?P<dtex>.+?)\$\$)"
    r"|\$(?<![\\$]\$)(?P<tex>[^$\s](?:[^$\n]*[^$\s])?)\$(?!\d)"
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!$=~|<>%]))"
)
_EMPHASIS = [
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), r"<strong>\1</strong>"),
    (re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"), r"<em>\1</em>"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"<em>\1</em>"),
    (re.compile(r"==(?=\S)(.+?)(?<=\S)=="), r"<mark>\1</mark>"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"<del>\1</del>"),
]
_SLOT = placeholders.MATH  # notes never hold these characters (source.py)


def _dequote(line: str) -> tuple[int, str]:
    depth = 0
    while (m := _QUOTE.match(line)) is not None:
        depth += 1
        line = line[m.end() :]
    return depth, line


def _block_source(text: str, body_start: int, start: int) -> tuple[str, int]:
    """The paragraph, list item, heading or callout title holding the line at offset
    `start` of `text` (a note with comments blanked), its lines joined and markers
    dropped; and the offset of that line's first link in it. Walks out from the line,
    never reading the rest of the note."""

    def line_at(a: int) -> str:
        b = text.find("\n", a)
        return text[a : b if b >= 0 else len(text)]

    here_line = line_at(start)
    depth, here = _dequote(here_line)

    def part_of_block(line: str) -> str | None:  # the line's text if it continues the block
        d, rest = _dequote(line)
        if (
            d != depth
            or not rest.strip()
            or _HEADING_MARK.match(rest)
            or _CALLOUT_MARK.match(rest.lstrip())
            or fences.FENCE_OPEN.match(rest)
        ):
            return None
        return rest

    alone = _HEADING_MARK.match(here) or _CALLOUT_MARK.match(here.lstrip())
    before: list[str] = []
    after: list[str] = []
    if not alone and not _ITEM.match(here):
        a = start
        while a > body_start and len(before) < _MAX_BLOCK_LINES:
            a = text.rfind("\n", 0, a - 1) + 1
            prev = part_of_block(line_at(a))
            if prev is None:
                break
            before.append(prev)
            if _ITEM.match(prev):
                break
    if not alone:
        b = start + len(here_line) + 1
        while b <= len(text) and len(after) < _MAX_BLOCK_LINES:
            line = line_at(b)
            nxt = part_of_block(line)
            if nxt is None or _ITEM.match(nxt):
                break
            after.append(nxt)
            b += len(line) + 1
    parts, offset = [], 0
    for k, rest in enumerate(before[::-1] + [here] + after):
        rest = rest.strip()
        for marker in (_ITEM, _HEADING_MARK, _CALLOUT_MARK):
            if (m := marker.match(rest)) is not None:
                rest = rest[m.end() :]
        if (m := _BLOCK_ID.search(rest)) is not None:
            rest = rest[: m.start()]
        if k == len(before):
            link = re.search(r"(?<!!)\[\[", rest)
            offset = sum(len(p) + 1 for p in parts) + (link.start() if link else 0)
        parts.append(rest.strip())
    return " ".join(parts), offset


def _trimmed(src: str, at: int) -> str:
    """About CONTEXT_CHARS of `src` around the link at offset `at`, cut between words,
    never inside a code span, formula or link; "…" marks a cut."""
    if len(src) <= CONTEXT_CHARS:
        return src
    spans = [
        m.span() for m in _INLINE.finditer(src, max(0, at - CONTEXT_CHARS), at + 2 * CONTEXT_CHARS)
    ]
    link_end = next((e for s, e in spans if s == at), at)
    lo = max(0, at - CONTEXT_CHARS // 3)
    hi = min(len(src), link_end + max(0, CONTEXT_CHARS - (link_end - lo)))
    lo = max(0, min(lo, hi - CONTEXT_CHARS))

    def settle(cut: int, step: int) -> int:  # to a space outside every span, moving by `step`
        while 0 < cut < len(src):
            inside = next(((s, e) for s, e in spans if s < cut < e), None)
            if inside is not None:
                cut = inside[0] if step < 0 else inside[1]
            elif not src[cut - 1].isspace() and not src[cut].isspace():
                nxt = src.rfind(" ", 0, cut) if step < 0 else src.find(" ", cut)
                cut = nxt if nxt >= 0 else (0 if step < 0 else len(src))
            else:
                return cut
        return cut

    lo, hi = settle(lo, +1 if lo else -1), settle(hi, -1)
    if hi <= lo:  # one long word: keep it whole
        lo, hi = settle(lo, -1), settle(hi, +1)
    return ("… " if lo > 0 else "") + src[lo:hi].strip() + (" …" if hi < len(src) else "")


@functools.lru_cache(maxsize=4096)  # a paragraph that links several notes is shown on each
def _context_parts(text: str, body_start: int, start: int) -> tuple:
    """A mention's context as HTML pieces; a wikilink is a (link text, label HTML) pair,
    shown for each page according to where it points."""
    src, at = _block_source(text, body_start, start)
    return _inline_parts(_trimmed(src, at))


def _inline_parts(src: str) -> tuple:
    """Inline Markdown as HTML pieces: code spans, emphasis, highlights, math, links."""
    slots: list = []

    def slot(piece) -> str:
        slots.append(piece)
        return placeholders.math(len(slots) - 1)

    def token(m: re.Match[str]) -> str:
        if m.group("code"):
            tick = len(m.group(2))
            return slot(
                f"<code>{html.escape(m.group('code')[tick:-tick].strip(), quote=False)}</code>"
            )
        if m.group("embed") or m.group("image"):
            return ""
        if m.group("wiki"):
            parts = markup.split_link(m.group("wiki"))
            shown = parts.label or " > ".join(
                [parts.name] * bool(parts.name)
                + [s for s in parts.subpath if not s.startswith("^")]
            )
            return slot((m.group("wiki"), _label_html(shown)))
        if m.group("label") is not None:
            dest = m.group("dest").strip("<>")
            label = _label_html(m.group("label"))
            return slot(f'<span class="mathvault-backlink-link">{label}</span>' if dest else label)
        if m.group("display"):
            return slot(
                f'<span class="arithmatex">\\[{html.escape(m.group("dtex"), quote=False)}\\]</span>'
            )
        if m.group("tex"):
            return slot(
                f'<span class="arithmatex">\\({html.escape(m.group("tex"), quote=False)}\\)</span>'
            )
        return slot(html.escape(m.group("escaped"), quote=False))

    marked = html.escape(" ".join(_INLINE.sub(token, src).split()), quote=False)
    if any(c in marked for c in "*_=~"):
        for pattern, repl in _EMPHASIS:
            marked = pattern.sub(repl, marked)
    pieces: list = []
    pos = 0
    for m in _SLOT.finditer(marked):
        pieces += [marked[pos : m.start()], slots[int(m.group(1))]]
        pos = m.end()
    pieces.append(marked[pos:])
    return tuple(p for p in pieces if p)


def _label_html(label: str) -> str:
    """A link label: its own code, emphasis and math (a link inside a link is its text)."""
    return "".join(p if isinstance(p, str) else p[1] for p in _inline_parts(label))


def context_html(source: Note, start: int, index: VaultIndex, here: str | None = None) -> str:
    """The HTML shown under a backlink: `source`'s block around its line at offset `start`.
    Links show as their text, not as links (the whole entry leads to `source`, as in Obsidian's
    pane); the one to `here`, the page showing it, is highlighted."""
    out = []
    for piece in _context_parts(source.visible or source.text, source.body_start, start):
        if isinstance(piece, str):
            out.append(piece)
            continue
        inner, label = piece
        target = index.link_target(inner, source.path) if markup.split_link(inner).name else None
        if target is None:
            out.append(label)
        elif target == here:
            out.append(f'<mark class="mathvault-backlink-here">{label}</mark>')
        else:
            out.append(f'<span class="mathvault-backlink-link">{label}</span>')
    return "".join(out)


def backlinks_html(
    mentions: list[Mention], index: VaultIndex, url: Callable[[str], str], here: str | None = None
) -> str:
    """The "linked mentions" section of page `here`: each linking note with the passage
    that links."""
    items = []
    for m in sorted(mentions, key=lambda m: (natural_key(m.source), m.line)):
        source = index.note(m.source)
        title = html.escape(source.title)
        ctx = context_html(source, m.start, index, here)
        items.append(
            f'<li><a href="{html.escape(url(m.source), quote=True)}">{title}</a>'
            f'<span class="mathvault-backlink-context">{ctx}</span></li>'
        )
    count = len(mentions)
    body = "<ul>" + "".join(items) + "</ul>" if items else "<p>No other note links here.</p>"
    return (
        f'<aside class="mathvault-backlinks">\n'
        f'<p class="mathvault-backlinks-title">Linked mentions ({count})</p>\n{body}\n</aside>\n'
    )


def home_markdown(index: VaultIndex) -> str:
    """A home page for a vault without `index.md`: every note, by folder, in natural order."""
    lines = ["# " + "Notes", ""]
    folder = None
    for path in sorted(index.note_paths, key=lambda p: [natural_key(x) for x in p.split("/")]):
        parent = path.rpartition("/")[0]
        if parent != folder:
            folder = parent
            lines += ["", f"## {parent}" if parent else "", ""]
        title = index.note(path).title.replace("[", "\\[").replace("]", "\\]")
        lines.append(f"- [{title}]({quote(path)})")
    return "\n".join(lines) + "\n"
