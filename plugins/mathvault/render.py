"""Small HTML pieces the pages get besides the note itself: backlinks, natural order."""

from __future__ import annotations

import functools
import html
import re
from typing import Callable

from . import syntax
from .index import Mention, VaultIndex

_DIGITS = re.compile(r"(\d+)")
# The `$` first, its lookbehind after: a search can then jump from one `$` to the next.
_INLINE_MATH = re.compile(r"\$(?<![\\$]\$)([^$\s](?:[^$]*[^$\s])?)\$(?!\d)")


@functools.lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple:
    """Sort key that orders 3.4.2 before 3.4.10 (numbers compared as numbers)."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in _DIGITS.split(text) if part)


@functools.lru_cache(maxsize=1024)  # a line that links several notes is shown on each
def _context_text(line: str) -> str:
    """A mention's line as plain text: link labels kept, markup dropped."""
    def label(m: re.Match[str]) -> str:
        parts = syntax.split_link(m.group(2))
        return parts.label or parts.name or "#".join(parts.subpath)
    text = syntax.WIKILINK.sub(label, line) if "[[" in line else line
    # Each pass only where its syntax occurs: a backlink is built for every link in the vault.
    if "%%" in text:
        text = _COMMENT.sub("", text)
    k = text.rfind("^")
    if k >= 0 and (block_id := _BLOCK_ID.search(text, max(k - 1, 0))):  # only ever at the end
        text = text[: block_id.start()]
    if "**" in text or "__" in text or "==" in text or "~~" in text:
        text = _EMPHASIS.sub(r"\2", text)
    marker = _LINE_MARKER.match(text)
    if marker:
        text = text[marker.end():]
    return " ".join(text.split())[:240]


_COMMENT = re.compile(r"%%.*?%%")
_BLOCK_ID = re.compile(r"(?:^|\s)\^[A-Za-z0-9_-]+\s*$")
_EMPHASIS = re.compile(r"(\*\*|__|==|~~)(.+?)\1")
_LINE_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>|#+)\s*")


def backlinks_html(mentions: list[Mention], index: VaultIndex, url: Callable[[str], str]) -> str:
    """The "linked mentions" section: each linking note with the line that links."""
    items = []
    for m in sorted(mentions, key=lambda m: (natural_key(m.source), m.line)):
        source = index.note(m.source)
        title = html.escape(source.title)
        ctx = html.escape(_context_text(source.line_from(m.start)), quote=False)
        if "$" in ctx:
            ctx = _INLINE_MATH.sub(r'<span class="arithmatex">\\(\1\\)</span>', ctx)
        items.append(f'<li><a href="{html.escape(url(m.source), quote=True)}">{title}</a>'
                     f'<span class="mathvault-backlink-context">{ctx}</span></li>')
    count = len(mentions)
    body = "<ul>" + "".join(items) + "</ul>" if items else "<p>No other note links here.</p>"
    return (f'<aside class="mathvault-backlinks">\n'
            f'<p class="mathvault-backlinks-title">Linked mentions ({count})</p>\n{body}\n</aside>\n')


def home_markdown(index: VaultIndex) -> str:
    """A home page for a vault without `index.md`: every note, by folder, in natural order."""
    from urllib.parse import quote

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
