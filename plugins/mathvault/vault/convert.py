"""Turn one Obsidian note into Markdown that Python-Markdown + pymdownx render as Obsidian does.

Hand-written on purpose: no Markdown library parses Obsidian's dialect (wikilinks,
embeds, callouts, `%%`, `==`, math anywhere), and the math must reach MathJax byte for
byte, which Python-Markdown's escaping cannot guarantee. So this is a pre-pass over the
raw note, block-aware and code-aware:

* fenced code is copied untouched (an executable fence is handed to `render_fence`);
* `>` quotes are de-quoted and converted recursively; `> [!type]` becomes an admonition;
* in the remaining text one left-to-right scan handles code spans, `$`/`$$` math,
  `%%comments%%`, `[[links]]`, `![[embeds]]`, `==highlights==`, `#tags` and `^block-ids`.

Math is replaced by private-use placeholders (`\\ue000N\\ue001`) that Markdown leaves
alone; `restore_math` puts the LaTeX back into the rendered HTML. A resolved link with a
plain label becomes `\\ue002N\\ue003label\\ue004` the same way (`restore_links`): the index
already knows its URL, so MkDocs need not parse and resolve it a second time (a Markdown
link costs Python-Markdown's link parser and MkDocs' path resolution, ~5 % of a build).
"""

from __future__ import annotations

import bisect
import functools
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from ..problems import Problem
from ..syntax import fences, markup, mathspans, placeholders
from ..syntax.placeholders import LINK_CLOSE, LINK_LABEL, LINK_OPEN, MATH_CLOSE, MATH_OPEN
from .index import NOTE_EXT, Note, VaultIndex, key

IMAGE_EXT = {".avif", ".bmp", ".gif", ".jpeg", ".jpg", ".png", ".svg", ".webp"}
AUDIO_EXT = {".flac", ".m4a", ".mp3", ".ogg", ".wav", ".3gp"}
VIDEO_EXT = {".mkv", ".mov", ".mp4", ".ogv", ".webm"}

# Obsidian callout type -> (Material admonition type, title shown when none is given)
CALLOUTS = {
    "note": "note",
    "abstract": "abstract",
    "summary": "abstract",
    "tldr": "abstract",
    "info": "info",
    "todo": "info",
    "tip": "tip",
    "hint": "tip",
    "important": "tip",
    "success": "success",
    "check": "success",
    "done": "success",
    "question": "question",
    "help": "question",
    "faq": "question",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "failure": "failure",
    "fail": "failure",
    "missing": "failure",
    "danger": "danger",
    "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote",
    "cite": "quote",
}
CALLOUT_HEAD = re.compile(r"^\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)$")
QUOTE_LINE = markup.QUOTE_LINE
MAX_EMBED_DEPTH = 30
# Per page. A long page of a real vault embeds a few hundred notes and well under 1 MB;
# without a bound, notes that each embed the next one twice grow a page as 2^depth.
EMBED_LIMIT = 2000
EMBED_CHARS_LIMIT = 2_000_000
_NEWLINE = re.compile("\n")
_SPECIAL = re.compile(r"[\\`$%!\[=#^]")
_ACTIVE_IN_LABEL = re.compile(r"[*_`\[\]<>\\~{}\n" + LINK_OPEN + "-" + LINK_CLOSE + "]")


@dataclass
class Context:
    """What converting one page needs; one per page build."""

    index: VaultIndex
    page: str  # vault path of the page being built: links are relative to it
    url_for: Callable[[str, str], str] | None = None  # (page, target path) -> relative URL
    render_fence: Callable[[str, int, list[str], str], list[str] | None] | None = None
    on_missing: Callable[[str], bool] | None = None  # called once for an unknown embed name
    missing_hint: str = ""  # added to "broken embed" messages (e.g. snippets were not run)
    math: list[tuple[str, bool]] = field(default_factory=list)  # (latex, display)
    math_lines: list[tuple[str, int, int]] = field(default_factory=list)  # (note, first, last line)
    links: list[str] = field(default_factory=list)  # href of link placeholder N
    problems: list[Problem] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    embed_limit: int = EMBED_LIMIT  # note embeds one page may expand, nested ones included
    embed_chars_limit: int = EMBED_CHARS_LIMIT  # characters of embedded text one page may show
    memo: Sections | None = None  # converted sections shared by the pages of a build
    embeds_used: int = 0  # the page's expansions so far (reused sections count in full)
    chars_used: int = 0
    budget_hit: bool = False
    _relocating: int = 0  # >0 while converting an embedded section: URLs become tokens
    _cut_at: int = 1 << 30  # lowest stack index a cycle or depth cut referred to
    _deepest: int = 0  # longest embed stack an embed was written at
    _seen: set[str] = field(default_factory=set)  # notes the embeds being converted reached

    def __post_init__(self) -> None:
        if self.memo is None:  # one per index, so one per build
            if not isinstance(self.index.sections, Sections):
                self.index.sections = Sections()
            self.memo = self.index.sections

    def url(self, target: str) -> str:
        if self._relocating:
            return self.memo.token("url", target)
        if self.url_for is not None:
            return self.url_for(self.page, target)
        return quote(relative_path(self.page, target))

    def link(self, href: str, label_md: str) -> str | None:
        """The placeholder form of a link, or None when its label holds Markdown that
        could pair with text outside it (emphasis, code, brackets, raw HTML): such a
        link stays a Markdown link, parsed in isolation."""
        if _ACTIVE_IN_LABEL.search(label_md):
            return None
        self.links.append(href)
        return placeholders.link(len(self.links) - 1, label_md)

    def md_path(self, target: str) -> str:
        """A Markdown link target MkDocs will turn into the page URL (and validate)."""
        if self._relocating:
            return self.memo.token("md", target)
        return _quoted_relative(self.page.rpartition("/")[0], target)

    def place_urls(self, text: str) -> str:
        """The URL tokens of embedded sections (`Sections.token`) made relative to this page."""
        if _URL_TOKEN_START not in text:
            return text

        def one(m: re.Match[str]) -> str:
            kind, target = self.memo.urls[int(m.group(1))]
            return self.url(target) if kind == "url" else self.md_path(target)

        return _URL_TOKEN.sub(one, text)


@functools.lru_cache(maxsize=4096)
def _quoted_relative(page_dir: str, target: str) -> str:
    """Shared by the pages of a folder that link the same notes (a few in five links)."""
    return quote(relative_path(f"{page_dir}/x" if page_dir else "x", target), safe="/")


def relative_path(page: str, target: str) -> str:
    """`target` relative to the folder of `page` (both vault-relative POSIX paths).
    posixpath.relpath does the same but asks the OS for the working directory each call."""
    here = page.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


@dataclass
class _Scope:
    """Where converted text comes from: its note, first line, and whether to report."""

    note: Note
    first_line: int
    stack: tuple[str, ...]  # the page, then each note embedded on the way here
    quiet: bool = False
    via: tuple[int, ...] = ()  # line of each embed of `stack` (stack[i] embeds stack[i+1])

    def at(self, line: int, quiet: bool | None = None) -> _Scope:
        """The same note and embed chain, from `line` on."""
        return _Scope(self.note, line, self.stack, self.quiet if quiet is None else quiet, self.via)


def convert_note(note: Note, ctx: Context) -> str:
    """The page Markdown for `note` (its body, without frontmatter)."""
    for line, message in note.problems:
        ctx.problems.append(Problem(note.path, line, message))
    if note.binary:
        return '!!! failure "Not a text note"\n    This file is not text and was not published.\n'
    scope = _Scope(note, note.body_line, (note.path,))
    text = "\n".join(_convert_lines(note.body.split("\n"), scope, ctx))
    if ctx.memo.urls:
        ctx.links[:] = [ctx.place_urls(href) for href in ctx.links]
        text = ctx.place_urls(text)
    return text


def _report(scope: _Scope, ctx: Context, line: int, message: str, *, always: bool = False) -> None:
    """Problems inside transcluded text are reported when their own note is built,
    except those that only exist through the embedding (`always`)."""
    if always or not scope.quiet:
        ctx.problems.append(Problem(scope.note.path, line, message))


# -- blocks ------------------------------------------------------------------------


def _convert_lines(lines: list[str], scope: _Scope, ctx: Context) -> list[str]:
    out: list[str] = []
    chunk: list[str] = []
    chunk_start = 0
    i = 0

    def flush() -> None:
        if chunk:
            text = _convert_text("\n".join(chunk), scope.first_line + chunk_start, scope, ctx)
            out.extend(_commonmark_lists(text.split("\n")))
            chunk.clear()

    in_math = False  # inside a $$ block that a later line closes: `>` or ``` there are LaTeX

    while i < len(lines):
        line = lines[i]
        if in_math:
            chunk.append(line)
            in_math = mathspans.open_display_count(line) % 2 == 0
            i += 1
            continue
        fence = fences.fence_at(lines, i)
        if fence is not None:
            flush()
            j = fence.end
            block = lines[i : j + 1]
            if not fence.closed:
                _report(
                    scope,
                    ctx,
                    scope.first_line + i,
                    "code fence is never closed; everything after it is shown as code",
                )
            rendered = None
            if ctx.render_fence is not None:
                rendered = ctx.render_fence(
                    scope.note.path, scope.first_line + i, block, fence.indent
                )
            if rendered is None:
                block = [fences.plain_fence_open(block[0])] + block[1:]
            out.extend(block if rendered is None else rendered)
            i = j + 1
            chunk_start = i
            continue
        if line[:1] in (" ", "\t") and (i == 0 or not lines[i - 1].strip()):
            end = fences.indented_code_end(lines, i)
            if end is not None:  # an indented code block: shown as written, like a fence
                flush()
                out.extend(lines[i:end])
                i = end
                chunk_start = i
                continue
        item_quote = _ITEM_QUOTE.match(line) if ">" in line else None
        if item_quote and CALLOUT_HEAD.match(item_quote.group(4)):
            # `- > [!tip] Title`: the callout is all the list item holds. Python-Markdown
            # takes an admonition on the marker line when its body follows a blank line.
            flush()
            col = _columns(item_quote.group(1))
            inner, j = [item_quote.group(4)], i + 1
            while j < len(lines):
                m = QUOTE_LINE.match(lines[j])
                if not m or _columns(m.group(1)) <= col:
                    break
                inner.append(m.group(2))
                j += 1
            pad = " " * (col // 4 * 4 + 4)
            block = _convert_quote(inner, pad, scope.first_line + i, scope, ctx)
            head = item_quote.group(1) + item_quote.group(2) + " " + block[0].lstrip()
            out.extend([head, ""] + [b for b in block[1:] if b] + [""])
            i = j
            chunk_start = i
            continue
        quote_m = QUOTE_LINE.match(line) if ">" in line else None
        if quote_m:
            flush()
            indent = quote_m.group(1)
            j = i
            inner: list[str] = []
            while j < len(lines):
                m = QUOTE_LINE.match(lines[j])
                if not m or m.group(1) != indent:
                    break
                inner.append(m.group(2))
                j += 1
            owner = _list_owner(lines, i, _columns(indent)) if indent else None
            if owner is not None:
                # A quote or callout inside a list item, where Obsidian (CommonMark) puts it:
                # at the item's content column. Python-Markdown wants it 4 columns in from
                # the item's marker, between blank lines.
                pad = " " * (owner // 4 * 4 + 4)
                block = _convert_quote(inner, pad, scope.first_line + i, scope, ctx)
                out.extend([""] + block + [""])
            else:
                out.extend(_convert_quote(inner, indent, scope.first_line + i, scope, ctx))
            i = j
            chunk_start = i
            continue
        if not chunk:
            chunk_start = i
        chunk.append(line)
        if "$$" in line and mathspans.open_display_count(line) % 2 == 1:
            in_math = any("$$" in later for later in lines[i + 1 :])
        i += 1
    flush()
    return out


_LIST_ITEM = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)")
_LIST_START = frozenset(" -*+0123456789")
_ITEM_QUOTE = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)>[ \t]?(.*)$")
_columns = markup.columns
_list_owner = markup.list_owner


def _commonmark_lists(lines: list[str]) -> list[str]:
    """Python-Markdown needs a blank line before a list that follows a paragraph, and
    a space after a bare `-`; Obsidian (CommonMark) needs neither. Add both."""
    out: list[str] = []
    in_list = False
    for line in lines:
        m = _LIST_ITEM.match(line) if line[:1] in _LIST_START else None
        if m:
            if out and out[-1].strip() and not in_list:
                out.append("")
            in_list = True
            if not line[m.end() :].strip():
                line = line.rstrip() + " &#8203;"  # an empty item stays an item
        elif not line.strip():
            in_list = False
        out.append(line)
    return out


def _convert_quote(
    inner: list[str], indent: str, line: int, scope: _Scope, ctx: Context
) -> list[str]:
    sub = scope.at(line)
    head = CALLOUT_HEAD.match(inner[0])
    if not head:
        body = _convert_lines(inner, sub, ctx)
        return [f"{indent}> {b}" if b.strip() else f"{indent}>" for b in body]
    kind = head.group(1).lower()
    material = CALLOUTS.get(kind, "note")
    fold = head.group(2)
    title_src = head.group(3).strip()
    title = _convert_text(title_src, line, sub, ctx) if title_src else kind.capitalize()
    title = " ".join(title.split()).replace('"', "&quot;")
    marker = {"": "!!!", "+": "???+", "-": "???"}[fold]
    classes = material if material == kind else f"{material} {_css_class(kind)}"
    sub.first_line = line + 1
    body = _convert_lines(inner[1:], sub, ctx)
    pad = indent + "    "
    return [f'{indent}{marker} {classes} "{title}"'] + [pad + b if b.strip() else "" for b in body]


def _css_class(name: str) -> str:
    return re.sub(r"[^\w-]", "-", name) or "note"


# -- inline scan ---------------------------------------------------------------------


def _convert_text(
    text: str, first_line: int, scope: _Scope, ctx: Context, *, label: bool = False
) -> str:
    """One left-to-right pass over text that holds no fences or quotes.

    `label` is for link labels and captions: no block-id anchors there."""
    out: list[str] = []
    pos = 0
    n = len(text)
    closers: set[int] = set()  # positions of '==' that close an open highlight

    newlines: list[int] | None = None

    def line_at(p: int) -> int:  # only called for problems and links: build the table lazily
        nonlocal newlines
        if newlines is None:
            newlines = [m.start() for m in _NEWLINE.finditer(text)]
        return first_line + bisect.bisect_left(newlines, p)

    while True:
        m = _SPECIAL.search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        p = m.start()
        out.append(text[pos:p])
        ch = text[p]
        pos = p + 1
        if ch == "\\":
            nxt = text[p + 1 : p + 2]
            if nxt == "$":
                out.append("&#36;")
                pos = p + 2
            elif nxt and not nxt.isalnum() and not nxt.isspace():
                out.append(text[p : p + 2])
                pos = p + 2
            else:
                out.append("\\")
        elif ch == "`":
            run = re.match(r"`+", text[p:]).group(0)
            close = re.compile(r"(?<!`)" + run + r"(?!`)").search(text, p + len(run))
            end = close.end() if close else p + len(run)
            out.append(text[p:end])
            pos = end
        elif ch == "$":
            pos = _math(text, p, out, scope, ctx, line_at)
        elif ch == "%":
            if text.startswith("%%", p):
                close = text.find("%%", p + 2)
                if close < 0:
                    _report(
                        scope,
                        ctx,
                        line_at(p),
                        "'%%' comment is never closed: Obsidian hides the rest of the note",
                    )
                    pos = n
                else:
                    pos = close + 2
            else:
                out.append("%")
        elif ch == "!" and text.startswith("![[", p):
            pos = _link(text, p + 1, out, scope, ctx, line_at, embed=True)
        elif ch == "[" and text.startswith("[[", p):
            pos = _link(text, p, out, scope, ctx, line_at, embed=False)
        elif ch == "[" and (md := _MD_LINK.match(text, p)):
            pos = _markdown_link(
                md, out, scope, ctx, line_at(p), image=p > 0 and text[p - 1] == "!"
            )
        elif ch == "=" and text.startswith("==", p):
            if p in closers:
                closers.discard(p)
                out.append("</mark>")
                pos = p + 2
            else:
                eol = text.find("\n", p)
                eol = n if eol < 0 else eol
                close = text.find("==", p + 2, eol)
                while close >= 0 and (text[close - 1].isspace() or text.startswith("===", close)):
                    close = text.find("==", close + 2, eol)
                if close > p + 2 and not text[p + 2].isspace() and text[p + 2] != "=":
                    closers.add(close)
                    out.append("<mark>")
                    pos = p + 2
                else:
                    out.append(text[p : p + 2])
                    pos = p + 2
        elif ch == "#":
            pos = _tag(text, p, out, ctx)
        elif ch == "^":
            bm = re.match(r"\^([A-Za-z0-9_-]+)[ \t]*(?=\n|$)", text[p:])
            if bm and not label and (p == 0 or text[p - 1] in " \t\n"):
                bid = bm.group(1)
                out.append(f'<a id="^{bid}" class="mathvault-block-anchor"></a>')
                pos = p + bm.end()
            else:
                out.append("^")
        else:
            out.append(ch)
    return "".join(out)


def _math(text: str, p: int, out: list[str], scope: _Scope, ctx: Context, line_at) -> int:
    """`$...$` or `$$...$$` starting at p: emit a placeholder, return the new position.
    Where math starts and ends is syntax/mathspans.py's to say."""
    if text.startswith("$$", p):
        close = mathspans.display_end(text, p)
        if close < 0:
            _report(scope, ctx, line_at(p), "'$$' math block is never closed; shown as text")
            out.append("$$")
            return p + 2
        latex = text[p + 2 : close]
        if mathspans.is_blank_display(latex):
            out.append(text[p : close + 2])
            return close + 2
        out.append(_placeholder(ctx, latex, True, (line_at(p), line_at(close)), scope))
        return close + 2
    q = mathspans.inline_end(text, p)
    if q < 0:
        out.append("$")
        return p + 1
    out.append(_placeholder(ctx, text[p + 1 : q], False, (line_at(p), line_at(p)), scope))
    return q + 1


def _placeholder(
    ctx: Context, latex: str, display: bool, lines: tuple[int, int], scope: _Scope
) -> str:
    ctx.math.append((latex, display))
    ctx.math_lines.append((scope.note.path, lines[0], lines[1]))
    return placeholders.math(len(ctx.math) - 1)


def _tag(text: str, p: int, out: list[str], ctx: Context) -> int:
    if p > 0 and not (text[p - 1].isspace() or text[p - 1] in "[{,;:!?\"'"):
        out.append("#")
        return p + 1
    m = markup.TAG.match(text, p)
    if not m or not markup.is_tag(m.group(1)):
        out.append("#")
        return p + 1
    name = m.group(1)
    if name not in ctx.tags:
        ctx.tags.append(name)
    out.append(f'<span class="mathvault-tag">#{html.escape(name)}</span>')
    return m.end()


# -- links and embeds -------------------------------------------------------------------


def _link(
    text: str, p: int, out: list[str], scope: _Scope, ctx: Context, line_at, embed: bool
) -> int:
    """`[[...]]` at p (or `![[...]]` at p-1): emit the HTML/Markdown, return new position."""
    start = p - 1 if embed else p
    eol = text.find("\n", p)
    eol = len(text) if eol < 0 else eol
    close = text.find("]]", p + 2, eol)
    if close < 0:
        _report(
            scope,
            ctx,
            line_at(p),
            f"'{'![[' if embed else '[['}' is never closed with ']]'; shown as text",
        )
        out.append(html.escape(text[start : p + 2]).replace("[", "&#91;"))
        return p + 2
    inner = text[p + 2 : close]
    line = line_at(p)
    parts = markup.split_link(inner)
    if embed:
        before = text[text.rfind("\n", 0, start) + 1 : start]
        at_line_end = not text[close + 2 : eol].strip()
        item = _LIST_ITEM_PREFIX.fullmatch(before)
        # The body of a block embed is indented like the embed, or like a list item's content
        # when the embed is all the item holds (`- ![[Note]]`).
        indent = item.group(1).expandtabs(4) + "    " if item else before
        out.append(
            _embed(
                parts,
                inner,
                scope,
                ctx,
                line,
                block=(item or not before.strip()) and at_line_end,
                indent=indent,
            )
        )
    else:
        out.append(_wikilink(parts, inner, scope, ctx, line))
    glued = _GLUED_BLOCK_ID.match(text, close + 2, eol) if text.startswith("^", close + 2) else None
    if glued:  # `![[image.png]]^figure-1`: the id of the block, not text
        out.append(f'<a id="^{glued.group(1)}" class="mathvault-block-anchor"></a>')
        return glued.end()
    return close + 2


_GLUED_BLOCK_ID = re.compile(r"\^([A-Za-z0-9_-]+)[ \t]*$", re.M)


_LIST_ITEM_PREFIX = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+")
_MD_LINK = re.compile(r"\[([^\[\]\n]*)\]\((<[^<>\n]+>|[^()\s<>]+)((?:\s+\"[^\"\n]*\")?)\)")


def _markdown_link(
    m: re.Match[str], out: list[str], scope: _Scope, ctx: Context, line: int, image: bool = False
) -> int:
    """`[text](Note.md)` as Obsidian writes it with Markdown links: a path from the vault
    root or the shortest unique name, URL-encoded. Rewritten relative to the page so MkDocs
    finds it; links MkDocs can already resolve, and URLs, are left alone."""
    label, dest, title = m.group(1), m.group(2), m.group(3)
    raw = dest[1:-1] if dest.startswith("<") else dest
    path, _, frag = raw.partition("#")
    size = ""
    if image:  # Obsidian: ![250](url), ![alt|250](url), ![alt|250x100](url)
        sized = re.fullmatch(r"(?:(.*)\|)?\s*(\d+)(?:x(\d+))?\s*", label)
        if sized:
            label = sized.group(1) or ""
            size = (
                f'{{ width="{sized.group(2)}"'
                + (f' height="{sized.group(3)}"' if sized.group(3) else "")
                + " }"
            )
    label_md = _convert_text(label, line, scope.at(line, quiet=True), ctx, label=True)
    keep = f"[{label_md}]({dest}{title}){size}"
    if not path and frag and not image:  # [text](#Heading%20text): a heading of this note
        heading = scope.note.find_heading(tuple(unquote(frag).split("#")))
        if heading is not None and scope.note.path == ctx.page:
            out.append(f"[{label_md}](#{heading.slug}{title})")
            return m.end()
    if not path or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) or path.startswith("/"):
        out.append(keep)
        return m.end()
    name = unquote(path)
    here = posixpath.normpath(posixpath.join(posixpath.dirname(scope.note.path), name))
    if here in ctx.index.paths and scope.note.path == ctx.page and not frag:
        out.append(keep)
        return m.end()
    found = here if here in ctx.index.paths else ctx.index.resolve(name, scope.note.path).path
    if found is None:
        out.append(keep)  # MkDocs reports it, as for any Markdown link
        return m.end()
    anchor = ""
    if frag:  # Obsidian writes the heading's text, URL-encoded: `Note.md#Some%20heading`
        parts = markup.LinkParts(name, tuple(unquote(frag).split("#")), None)
        anchor = _anchor(found, parts, scope, ctx, line) or ""
    out.append(f"[{label_md}]({ctx.md_path(found)}{anchor}{title}){size}")
    return m.end()


def _resolve(
    parts: markup.LinkParts, scope: _Scope, ctx: Context, line: int, what: str
) -> str | None:
    if not parts.name:
        return scope.note.path
    found = ctx.index.resolve(parts.name, scope.note.path)
    if found.path is None and ctx.on_missing is not None and ctx.on_missing(parts.name):
        found = ctx.index.resolve(parts.name, scope.note.path)
    if found.path is None:
        reason = found.problem or "no file in the vault has that name"
        if what == "embed" and ctx.missing_hint and found.problem is None:
            reason += ctx.missing_hint
        _report(
            scope,
            ctx,
            line,
            f"broken {what} '{parts.name}': {reason}; fix the name or create the note",
        )
        return None
    if len(found.candidates) > 1:
        first = found.candidates[0]
        example = first[: -len(NOTE_EXT)] if first.endswith(NOTE_EXT) else first
        _report(
            scope,
            ctx,
            line,
            f"ambiguous {what} '{parts.name}' matches {len(found.candidates)} files; using "
            f"'{found.path}' (write more of the path, e.g. [[{example}]])",
        )
    return found.path


def _anchor(
    target: str, parts: markup.LinkParts, scope: _Scope, ctx: Context, line: int
) -> str | None:
    """The `#id` for a link's subpath, or None (and a warning) when it does not exist."""
    if not parts.subpath:
        return ""
    if not target.lower().endswith(NOTE_EXT):
        return ""
    note = ctx.index.note(target)
    if parts.block:
        if parts.block in note.blocks:
            return "#^" + parts.block
        _report(
            scope,
            ctx,
            line,
            f"no block '^{parts.block}' in '{target}'; add it after the paragraph or fix the id",
        )
        return None
    heading = note.find_heading(parts.subpath)
    if heading is None:
        _report(
            scope,
            ctx,
            line,
            f"no heading '{'#'.join(parts.subpath)}' in '{target}'; fix the heading name",
        )
        return None
    return "#" + heading.slug


def _label_md(label: str, scope: _Scope, ctx: Context, line: int) -> str:
    """Link text may hold Markdown and math; brackets must not end the link early."""
    if _SPECIAL.search(label) is None:  # most labels are plain note names
        return label
    inner = scope.at(line, quiet=True)
    converted = _convert_text(label, line, inner, ctx, label=True)
    return converted.replace("[", "\\[").replace("]", "\\]")


def _wikilink(parts: markup.LinkParts, inner: str, scope: _Scope, ctx: Context, line: int) -> str:
    display = parts.label
    if display is None:
        shown = [parts.name] if parts.name else []
        shown += [s for s in parts.subpath]
        display = " > ".join(shown) or inner
    target = _resolve(parts, scope, ctx, line, "link")
    if target is None:
        shown = html.escape(display)
        return f'<span class="mathvault-broken-link" title="missing note">{shown}</span>'
    anchor = _anchor(target, parts, scope, ctx, line)
    label = _label_md(display, scope, ctx, line)
    if target == ctx.page and anchor and not ctx._relocating:
        return ctx.link(anchor, label) or f"[{label}]({anchor or '#'})"
    return (
        ctx.link(ctx.url(target) + (anchor or ""), label)
        or f"[{label}]({ctx.md_path(target)}{anchor or ''})"
    )


def _embed(
    parts: markup.LinkParts,
    inner: str,
    scope: _Scope,
    ctx: Context,
    line: int,
    block: bool,
    indent: str,
) -> str:
    target = _resolve(parts, scope, ctx, line, "embed")
    if target is None:
        return (
            f'<span class="mathvault-missing-embed">missing embed: {html.escape(parts.name)}</span>'
        )
    ext = posixpath.splitext(target)[1].lower()
    if ext == NOTE_EXT:
        return _transclude(target, parts, scope, ctx, line, block, indent)
    url = html.escape(ctx.url(target), quote=True)
    name = html.escape(posixpath.basename(target))
    if ext in IMAGE_EXT:
        return _image(url, name, parts.label, scope, ctx, line)
    if ext in AUDIO_EXT:
        return f'<audio class="mathvault-audio" controls src="{url}"></audio>'
    if ext in VIDEO_EXT:
        return f'<video class="mathvault-video" controls src="{url}"></video>'
    if ext == ".pdf":
        frag = ""
        for sub in parts.subpath:
            if re.fullmatch(r"(page|height)=\d+", sub):
                frag = "#" + sub
        height = re.search(r"height=(\d+)", frag)
        style = f' style="height:{height.group(1)}px"' if height else ""
        view = frag.replace("height", "view=FitH&height") if height else frag
        return f'<iframe class="mathvault-pdf" src="{url}{view}" title="{name}"{style}></iframe>'
    return f'<a class="mathvault-file" href="{url}">{name}</a>'


def _image(url: str, name: str, label: str | None, scope: _Scope, ctx: Context, line: int) -> str:
    width = height = None
    alt = None
    for part in label.split("|") if label else []:
        part = part.strip()
        size = re.fullmatch(r"(\d+)(?:x(\d+))?", part)
        if size:
            width, height = size.group(1), size.group(2)
        elif part:
            alt = part
    attrs = f' width="{width}"' if width else ""
    attrs += f' height="{height}"' if height else ""
    alt_text = html.escape(alt if alt else name, quote=True)
    img = f'<img src="{url}" alt="{alt_text}"{attrs} loading="lazy">'
    link = f'<a class="mathvault-zoom" href="{url}">{img}</a>'
    if alt:
        caption = _convert_text(alt, line, scope.at(line, quiet=True), ctx, label=True)
        return f'<figure class="mathvault-figure">{link}<figcaption>{caption}</figcaption></figure>'
    return f'<span class="mathvault-image">{link}</span>'


def _section(
    note: Note, parts: markup.LinkParts, scope: _Scope, ctx: Context, line: int
) -> tuple[list[str], int] | None:
    """The lines an embed shows, and the note line they start on."""
    lines = note.lines
    if parts.block:
        span = note.blocks.get(parts.block)
        if span is None:
            _report(
                scope, ctx, line, f"no block '^{parts.block}' in '{note.path}' to embed; fix the id"
            )
            return None
        first, last = span
        chosen = lines[first - 1 : last]
        chosen = [
            re.sub(r"(^|[ \t]|(?<=\]\]))\^" + re.escape(parts.block) + r"[ \t]*$", "", ln)
            for ln in chosen
        ]
        return [ln for ln in chosen if ln.strip()], first
    if parts.subpath:
        heading = note.find_heading(parts.subpath)
        if heading is None:
            _report(
                scope,
                ctx,
                line,
                f"no heading '{'#'.join(parts.subpath)}' in '{note.path}' to embed; "
                "fix the heading name",
            )
            return None
        end = len(lines)
        for h in note.headings:
            if h.line > heading.line and h.level <= heading.level:
                end = h.line - 1
                break
        return lines[heading.line - 1 : end], heading.line
    return note.body.split("\n"), note.body_line


def _transclude(
    target: str,
    parts: markup.LinkParts,
    scope: _Scope,
    ctx: Context,
    line: int,
    block: bool,
    indent: str,
) -> str:
    anchor = _anchor(target, parts, scope.at(line, quiet=True), ctx, line) or ""
    note = ctx.index.note(target)
    # Obsidian's title bar: the note and heading, never a block id.
    shown = " > ".join([note.title] + [s for s in parts.subpath if not s.startswith("^")]).replace(
        '"', "'"
    )
    # Markdown link text, not HTML: an entity here trips Python-Markdown's inline stash.
    title = re.sub(r"([\[\]\\`*_<])", r"\\\1", shown)

    def md_link() -> str:  # MkDocs resolves it (a label with Markdown; a cut cycle's attributes)
        return f"[{title}]({ctx.md_path(target)}{anchor})"

    def title_link() -> str:
        return ctx.link(ctx.url(target) + anchor, shown) or md_link()

    ctx._seen.add(target)
    ctx._deepest = max(ctx._deepest, len(scope.stack))
    if target in scope.stack:
        ctx._cut_at = min(ctx._cut_at, scope.stack.index(target))
        chain = " → ".join(list(scope.stack[scope.stack.index(target) :]) + [target])
        _report(
            scope,
            ctx,
            line,
            f"embed cycle {chain}; cut here and shown as a link (remove one of the embeds)",
            always=True,
        )
        return md_link() + "{ .mathvault-embed-cut }"
    if len(scope.stack) > MAX_EMBED_DEPTH:
        ctx._cut_at = 0
        _report(
            scope,
            ctx,
            line,
            f"embeds nested deeper than {MAX_EMBED_DEPTH}; cut here and shown as a link",
            always=True,
        )
        return title_link()
    body = _expand(note, parts, scope, ctx, line)
    if body is None:
        return title_link()
    if not block:
        if len([b for b in body if b.strip()]) == 1:
            text = next(b for b in body if b.strip()).strip()
            text = re.sub(r"^([-*+]|\d+[.)])\s+", "", text)
            return f'<span class="mathvault-embed-inline">{text}</span>'
        return title_link()
    head = f'!!! mathvault-embed "{title_link()}"'  # `indent` is already in the output
    pad = indent + "    "
    return (
        "\n".join([head, ""] + [pad + b if b.strip() else "" for b in _mark_headings(body)]) + "\n"
    )


def _expand(
    note: Note, parts: markup.LinkParts, scope: _Scope, ctx: Context, line: int
) -> list[str] | None:
    """The converted lines of an embedded section; None when it does not exist or the
    page's budget is used up. A section converted for an earlier embed or page is reused
    when nothing it shows depends on where it is embedded."""
    if ctx.budget_hit:
        return None
    target = note.path
    key = (target, parts.subpath)
    done = ctx.memo.sections.get(key)
    if done is not None and done.fits(scope.stack) and _affordable(ctx, done.embeds, done.chars):
        return done.replay(ctx, len(scope.stack))
    section = _section(note, parts, scope, ctx, line)
    if section is None:
        return None
    chosen, first = section
    chars = sum(len(x) + 1 for x in chosen)
    if not _affordable(ctx, 1, chars):
        ctx.budget_hit = True
        chain = (
            " → ".join(f"{p}:{n}" for p, n in zip(scope.stack, scope.via + (line,)))
            + f" → {target}"
        )
        ctx.problems.append(
            Problem(
                ctx.page,
                (scope.via + (line,))[0],
                f"embeds on this page exceed the transclusion budget ({ctx.embed_limit} embeds, "
                f"{ctx.embed_chars_limit} characters) at {chain}; that embed and every later one "
                "are shown as links (embed fewer notes, or raise the `embed_limit` / "
                "`embed_chars_limit` options)",
            )
        )
        return None
    ctx.embeds_used += 1
    ctx.chars_used += chars
    mark = (
        len(ctx.math),
        len(ctx.links),
        len(ctx.problems),
        ctx.embeds_used - 1,
        ctx.chars_used - chars,
    )
    outer = (ctx.tags, ctx._seen, ctx._cut_at, ctx._deepest)
    ctx.tags, ctx._seen, ctx._cut_at, ctx._deepest = [], {target}, 1 << 30, len(scope.stack)
    ctx._relocating += 1
    inner_scope = _Scope(note, first, scope.stack + (target,), True, scope.via + (line,))
    try:
        body = _convert_lines(chosen, inner_scope, ctx)
    finally:
        ctx._relocating -= 1
        tags, seen, cut_at, deepest = ctx.tags, ctx._seen, ctx._cut_at, ctx._deepest
        ctx.tags, ctx._seen = outer[0], outer[1] | seen
        ctx._cut_at, ctx._deepest = min(outer[2], cut_at), max(outer[3], deepest)
        for tag in tags:
            if tag not in ctx.tags:
                ctx.tags.append(tag)
    ctx.memo.converted += 1
    # Reusable unless cut by the budget, or by a cycle or depth limit that involves the
    # notes above it (a cycle back to `target` itself is cut the same way everywhere).
    if not ctx.budget_hit and cut_at >= len(scope.stack):
        ctx.memo.sections[key] = _Section(
            body,
            mark[0],
            ctx.math[mark[0] :],
            ctx.math_lines[mark[0] :],
            mark[1],
            ctx.links[mark[1] :],
            ctx.problems[mark[2] :],
            tags,
            frozenset(seen),
            deepest - len(scope.stack),
            ctx.embeds_used - mark[3],
            ctx.chars_used - mark[4],
        )
    return body


def _affordable(ctx: Context, embeds: int, chars: int) -> bool:
    return (
        ctx.embeds_used + embeds <= ctx.embed_limit
        and ctx.chars_used + chars <= ctx.embed_chars_limit
    )


_MATH_NUMBER = placeholders.MATH
_LINK_NUMBER = placeholders.LINK_NUMBER
# A URL inside an embedded section, made relative to the page when the page is done.
# Built only of the characters notes can never hold (see source.py), so never forged.
_URL_TOKEN_START = LINK_LABEL * 2
_URL_TOKEN = re.compile(_URL_TOKEN_START + r"(\d+)" + LINK_LABEL)


@dataclass
class _Section:
    """An embedded section, converted once per build, and what its conversion added to
    the page: formulas and links (numbered from `math_base` / `links_base`), warnings, tags."""

    body: list[str]
    math_base: int
    math: list[tuple[str, bool]]
    math_lines: list[tuple[str, int, int]]
    links_base: int
    links: list[str]
    problems: list[Problem]
    tags: list[str]
    notes: frozenset[str]  # every note its embeds reached (a cycle if one is on the stack)
    height: int  # how much deeper than itself its embeds nest
    embeds: int  # expansions it holds, itself included (the page budget pays them all)
    chars: int

    def fits(self, stack: tuple[str, ...]) -> bool:
        """Would converting it again under `stack` give the same lines?"""
        return len(stack) + self.height <= MAX_EMBED_DEPTH and self.notes.isdisjoint(stack)

    def replay(self, ctx: Context, depth: int) -> list[str]:
        math_shift, link_shift = len(ctx.math) - self.math_base, len(ctx.links) - self.links_base
        ctx.math += self.math
        ctx.math_lines += self.math_lines
        ctx.links += self.links
        ctx.problems += self.problems
        for tag in self.tags:
            if tag not in ctx.tags:
                ctx.tags.append(tag)
        ctx._seen |= self.notes
        ctx._deepest = max(ctx._deepest, depth + self.height)
        ctx.embeds_used += self.embeds
        ctx.chars_used += self.chars
        ctx.memo.reused += 1
        if not (math_shift and self.math) and not (link_shift and self.links):
            return list(self.body)

        def shift(pattern: re.Pattern[str], by: int, start: str, end: str, line: str) -> str:
            return pattern.sub(lambda m: f"{start}{int(m.group(1)) + by}{end}", line)

        out = []
        for line in self.body:
            if math_shift and MATH_OPEN in line:
                line = shift(_MATH_NUMBER, math_shift, MATH_OPEN, MATH_CLOSE, line)
            if link_shift and LINK_OPEN in line:
                line = shift(_LINK_NUMBER, link_shift, LINK_OPEN, LINK_LABEL, line)
            out.append(line)
        return out


class Sections:
    """Per build: embedded sections already converted, keyed by (note, subpath), and the
    table of the URLs inside them (a section is reused on pages in other folders)."""

    def __init__(self) -> None:
        self.sections: dict[tuple[str, tuple[str, ...]], _Section] = {}
        self.urls: list[tuple[str, str]] = []  # ("url" | "md", target path)
        self._url_ids: dict[tuple[str, str], int] = {}
        self.converted = 0  # sections converted (each expansion that was not a reuse)
        self.reused = 0

    def token(self, kind: str, target: str) -> str:
        i = self._url_ids.get((kind, target))
        if i is None:
            i = self._url_ids[(kind, target)] = len(self.urls)
            self.urls.append((kind, target))
        return f"{_URL_TOKEN_START}{i}{LINK_LABEL}"


def _mark_headings(lines: list[str]) -> list[str]:
    """An embedded note's headings show in the embed but are not the page's own: Obsidian
    leaves them out of the page outline. A class marks them; the adapter drops them from
    the table of contents."""
    mask = fences.code_mask(lines)
    out = []
    for i, line in enumerate(lines):
        m = None if mask[i] else markup.HEADING.match(line)
        out.append(f"{m.group(1)} {m.group(2)} {{ .{EMBEDDED_HEADING} }}" if m else line)
    return out


EMBEDDED_HEADING = "mathvault-embedded-heading"
_HEADING_TAG = re.compile(r"<h[1-6]\b([^>]*)>")
_ID_ATTR = re.compile(r'\bid="([^"]*)"')


def embedded_heading_ids(page_html: str) -> set[str]:
    """Ids of the headings `_mark_headings` marked, in the rendered page."""
    if EMBEDDED_HEADING not in page_html:
        return set()
    found = set()
    for m in _HEADING_TAG.finditer(page_html):
        if EMBEDDED_HEADING in m.group(1):
            ident = _ID_ATTR.search(m.group(1))
            if ident:
                found.add(html.unescape(ident.group(1)))
    return found


# -- math back into HTML -----------------------------------------------------------------

_BLOCK_TOKEN = re.compile(r"<p>\s*" + MATH_OPEN + r"(\d+)" + MATH_CLOSE + r"\s*</p>")
_TOKEN = placeholders.MATH


def restore_math(
    page_html: str, math: list[tuple[str, bool]], flags: dict[int, str] | None = None
) -> str:
    """Put each formula back as MathJax input: `\\(..\\)` inline, `\\[..\\]` display.

    `flags` maps a formula's number to a message: that formula is marked as refuted."""
    flags = flags or {}
    if MATH_OPEN not in page_html:
        return page_html

    def _flag(i: int) -> str:
        if i not in flags:
            return '"'
        return f' mathvault-refuted" title="{html.escape(flags[i], quote=True)}"'

    def block(m: re.Match[str]) -> str:
        i = int(m.group(1))
        if i >= len(math) or not math[i][1]:
            return m.group(0)
        return (
            f'<div class="arithmatex{_flag(i)}>\\[{html.escape(math[i][0], quote=False)}\\]</div>'
        )

    def inline(m: re.Match[str]) -> str:
        i = int(m.group(1))
        if i >= len(math):
            return ""
        if in_tag(m.start()):  # an attribute (an image's alt): the TeX as text
            return html.escape(f"${math[i][0]}$", quote=True)
        text, display = math[i]
        body = html.escape(text, quote=False)
        if display:
            return f'<span class="arithmatex mathvault-display{_flag(i)}>\\[{body}\\]</span>'
        return f'<span class="arithmatex{_flag(i)}>\\({body}\\)</span>'

    page_html = _BLOCK_TOKEN.sub(block, page_html)
    in_tag = _in_tag_tracker(page_html)
    return _TOKEN.sub(inline, page_html)


def _in_tag_tracker(page_html: str) -> Callable[[int], bool]:
    """`in_tag(p)`: is position p inside a tag (an attribute value) rather than in text?
    Positions must come in increasing order (as `re.sub` visits matches): each call looks
    only at the text since the previous one, so a page of many links stays linear."""
    state = [0, False]  # position checked up to, inside a tag there

    def in_tag(p: int) -> bool:
        lt = page_html.rfind("<", state[0], p)
        gt = page_html.rfind(">", state[0], p)
        if lt != gt:  # both -1: nothing new, the state holds
            state[1] = lt > gt
        state[0] = p
        return state[1]

    return in_tag


def restore_links(page_html: str, links: list[str]) -> str:
    """Link placeholders back to `<a href>`; inside a tag (an attribute such as `alt`)
    they are dropped, leaving the label's text."""
    if LINK_CLOSE not in page_html:
        return page_html

    in_tag = _in_tag_tracker(page_html)

    def anchor(m: re.Match[str]) -> str:
        if in_tag(m.start()):
            return ""
        if m.group(1) is None:
            return "</a>"
        i = int(m.group(1))
        return f'<a href="{html.escape(links[i], quote=True)}">' if i < len(links) else "<a>"

    return markup.LINK_MARK.sub(anchor, page_html)


def plain_math(text: str, math: list[tuple[str, bool]]) -> str:
    """Placeholders back to `$latex$` (for titles and the table of contents)."""
    return _TOKEN.sub(
        lambda t: f"${math[int(t.group(1))][0]}$" if int(t.group(1)) < len(math) else "", text
    )


__all__ = [
    "Context",
    "Problem",
    "convert_note",
    "restore_math",
    "restore_links",
    "plain_math",
    "key",
]
