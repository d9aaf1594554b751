"""Shared low-level Obsidian syntax: fences, headings, tags, block ids, wikilink parts.

Everything here works on plain strings and is used both by the vault index (which
only needs to find things) and by the converter (which rewrites them).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import placeholders

SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
# Obsidian block ids: Latin letters, digits and dashes (Quartz also accepts "_"), after
# a space, or glued to a link or embed (`![[image.png]]^figure-1`).
BLOCK_ID_END = re.compile(r"(?:^|[ \t]|(?<=\]\]))\^([A-Za-z0-9_-]+)[ \t]*$")


def block_id_at_end(line: str) -> re.Match[str] | None:
    """BLOCK_ID_END, tried only where it can match: at the line's last `^` (an id holds
    none). A search would try every position of every line that has math like `x^2`."""
    k = line.rfind("^")
    return BLOCK_ID_END.search(line, k - 1 if k > 0 else 0) if k >= 0 else None


# A tag needs one non-digit; letters of any script, digits, "_", "-", "/" for nesting.
TAG = re.compile(r"(?<![^\s\[{,;:!?\"'])#((?:[^\W_]|[_/-])(?:[\w/-])*)", re.UNICODE)
_HASH_NAME = re.compile(r"#((?:[^\W_]|[_/-])(?:[\w/-])*)", re.UNICODE)
_BEFORE_TAG = frozenset("[{,;:!?\"'")


def find_tags(text: str) -> list[str]:
    """TAG.findall, faster: the `#` is looked for first and the character before it
    checked after (the lookbehind first would be tried at every position)."""
    found = []
    for m in _HASH_NAME.finditer(text):
        p = m.start()
        if (p == 0 or text[p - 1].isspace() or text[p - 1] in _BEFORE_TAG) and is_tag(m.group(1)):
            found.append(m.group(1))
    return found


# A resolved link in converted text (convert.Context.link), see placeholders.py.
LINK_MARK = placeholders.LINK_MARK


def strip_links(text: str) -> str:
    """Link placeholders removed, labels kept (titles, the table of contents, slugs)."""
    return LINK_MARK.sub("", text) if placeholders.LINK_CLOSE in text else text


# A `>` quote (or callout) line: its indent and its text one level in.
QUOTE_LINE = re.compile(r"^([ \t]*)>[ \t]?(.*)$")
CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")


# Syntax that needs a Markdown extension every page would otherwise pay for (each adds
# set-up and a pass over the text). A rough test on the raw text is enough: a false
# positive only costs time.
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]|\^\[")
_TASK = re.compile(r"^[ \t>]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\]", re.M)
_FENCE_ANYWHERE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})", re.M)


def optional_syntax(text: str) -> frozenset[str]:
    """Which of "footnotes", "tasks", "strike", "fences" a note's text may use."""
    found = set()
    # Substring tests first: a regex search over every note would cost more than it saves.
    if ("[^" in text or "^[" in text) and _FOOTNOTE.search(text):
        found.add("footnotes")
    if ("[ ]" in text or "[x]" in text or "[X]" in text) and _TASK.search(text):
        found.add("tasks")
    if "~~" in text:
        found.add("strike")
    if ("```" in text or "~~~" in text) and _FENCE_ANYWHERE.search(text):
        found.add("fences")
    return frozenset(found)


def is_tag(name: str) -> bool:
    return any(not ch.isdigit() and ch not in "/-_" for ch in name)


_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*")
_CODE_OR_COMMENT = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)|%%")


def hide_comments(lines: list[str], mask: list[bool]) -> list[str]:
    """The lines with every `%%comment%%` (inline or over many lines) blanked with spaces,
    so offsets still hold. A comment's text is never published and its links are no links.

    Follows the converter: `%%` in code is text, a fence or a change of quote level ends
    an open comment (each is converted on its own), and a `%%` never closed hides the rest
    of its block, as Obsidian hides the rest of the note."""
    out: list[str] = []
    open_at: str | None = None  # quote prefix of the block a comment is open in
    for i, line in enumerate(lines):
        if open_at is None and (mask[i] or "%%" not in line):
            out.append(line)
            continue
        prefix = _QUOTE_PREFIX.match(line).group(0).replace(" ", "").replace("\t", "")
        if mask[i] or (open_at is not None and prefix != open_at):
            open_at = None
            if mask[i] or "%%" not in line:
                out.append(line)
                continue
        kept: list[str] = []
        pos = 0
        if open_at is not None:
            close = line.find("%%")
            if close < 0:
                out.append(" " * len(line))
                continue
            kept.append(" " * (close + 2))
            pos = close + 2
            open_at = None
        while True:
            m = _CODE_OR_COMMENT.search(line, pos)
            if m is None:
                kept.append(line[pos:])
                break
            if m.group(0) != "%%":  # a code span: kept as it is
                kept.append(line[pos : m.end()])
                pos = m.end()
                continue
            kept.append(line[pos : m.start()])
            close = line.find("%%", m.end())
            if close < 0:
                kept.append(" " * (len(line) - m.start()))
                open_at = prefix
                break
            kept.append(" " * (close + 2 - m.start()))
            pos = close + 2
        out.append("".join(kept))
    return out


def strip_code_spans(line: str) -> str:
    """Blank out inline code so tags/links inside it are not seen."""
    if "`" not in line:
        return line
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


@dataclass(frozen=True)
class LinkParts:
    """A wikilink `[[name#sub#sub|label]]` split into its parts."""

    name: str
    subpath: tuple[str, ...]
    label: str | None

    @property
    def block(self) -> str | None:
        if self.subpath and self.subpath[-1].startswith("^"):
            return self.subpath[-1][1:]
        return None


@functools.lru_cache(maxsize=1 << 16)  # a vault repeats the same links many times
def split_link(inner: str) -> LinkParts:
    """Split the text between `[[` and `]]`; `\\|` (used inside tables) also separates."""
    inner = inner.replace("\\|", "|")
    target, sep, label = inner.partition("|")
    name, *sub = target.split("#")
    subpath = tuple(s.strip() for s in sub if s.strip())
    return LinkParts(name.strip(), subpath, label.strip() if sep else None)


_HEADING_MARKUP = re.compile(r"[$\[*_`=~]")


def plain_heading_text(src: str) -> str:
    """The text a reader sees in a heading, from its Markdown source (approximately)."""
    if not _HEADING_MARKUP.search(src):
        return src.strip()
    text = re.sub(r"\$[^$]*\$", "", src)
    text = WIKILINK.sub(lambda m: split_link(m.group(2)).label or split_link(m.group(2)).name, text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*{1,3}|_{1,3}|`+|==|~~)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return text.strip()


# -- list items (CommonMark, as Obsidian reads them) -------------------------------------

LIST_ITEM_ANY = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_OWNER_LOOKBACK = 200  # lines searched back for the list item a line belongs to


def columns(indent: str) -> int:
    """The column an indent reaches, a tab to the next multiple of 4 (CommonMark)."""
    col = 0
    for ch in indent:
        col = col + 4 - col % 4 if ch == "\t" else col + 1
    return col


def list_owner(lines: list[str], i: int, col: int) -> int | None:
    """The marker column of the list item that line `i`, indented to `col`, continues;
    None when it continues none (text at a lower indent comes first)."""
    for k in range(i - 1, max(-1, i - 1 - _OWNER_LOOKBACK), -1):
        line = lines[k]
        if not line.strip():
            continue
        m = LIST_ITEM_ANY.match(line)
        indent = columns(m.group(1) if m else line[: len(line) - len(line.lstrip())])
        if indent < col and (m or not line.lstrip().startswith(">")):
            return indent if m else None
    return None
