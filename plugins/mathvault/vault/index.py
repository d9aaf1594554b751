"""The vault index: every file by name, path suffix and alias; each note's headings,
block ids, tags and outgoing links. Built once per build; a link is a dict lookup.

Resolution follows Obsidian's "shortest path when possible": `[[Name]]` finds a note by
file name anywhere in the vault, `[[folder/Name]]` by the end of its path, `[[./x]]` /
`[[../x]]` relative to the linking note. Case and Unicode form (macOS writes Korean as
NFD) do not matter; `.md` is optional; frontmatter `aliases` are names too. Several
matches resolve to the shortest path and are reported. Nothing outside the vault can
ever be returned: only paths that are in the index exist.
"""

from __future__ import annotations

import itertools
import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..syntax import fences, markup
from ..syntax.frontmatter import as_list, split_frontmatter
from .slugs import unique_slugs
from .source import decode_note

NOTE_EXT = ".md"
_LIST_OR_QUOTE = re.compile(r"^\s*(?:[-*+>]|\d+[.)])(?:\s|$)")


def key(name: str) -> str:
    """Lookup key: NFC, case-folded, trimmed."""
    return unicodedata.normalize("NFC", name).strip().casefold()


@dataclass(slots=True)
class Heading:
    level: int
    text: str  # what the reader sees
    slug: str  # the id the page gives it
    line: int  # 1-based line in the note file


@dataclass(slots=True)
class Mention:
    source: str  # vault path of the linking note
    line: int
    start: int  # offset of that line in the note's text (Note.line_from)


@dataclass
class Note:
    path: str
    text: str
    meta: dict
    body_start: int  # offset of the body (after the frontmatter) in `text`
    body_line: int
    problems: list[tuple[int, str]]
    binary: bool = False
    headings: list[Heading] = field(default_factory=list)
    blocks: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> (first, last) line
    tags: list[str] = field(default_factory=list)
    links: list[tuple[str, int, int]] = field(
        default_factory=list
    )  # (inner text, line, its offset)
    syntax: frozenset[str] = frozenset()  # optional syntax it may use (markup.optional_syntax)
    embeds: set[str] = field(default_factory=set)  # inner texts of its `![[...]]`
    visible: str | None = None  # `text` with its %%comments%% blanked (same offsets), if it has any

    @property
    def body(self) -> str:  # not stored: a vault's text is held once
        return self.text[self.body_start :]

    def line_from(self, start: int) -> str:
        """The line starting at offset `start`, stripped: a link's context. Kept as an
        offset, not a copy: most lines of prose hold a link, so copies would double
        the vault's text in memory."""
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)].strip()

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def title(self) -> str:
        title = self.meta.get("title")
        if title not in (None, ""):
            return str(title)
        return posixpath.basename(self.path)[: -len(NOTE_EXT)]

    def find_heading(self, chain: tuple[str, ...]) -> Heading | None:
        """`[[Note#A#B]]`: B under A. Matches the heading text case-insensitively, also in
        the form Obsidian's link suggestions write it (`Step 1: Go` as `Step 1 Go`)."""
        start, level_limit, found = 0, 0, None
        for wanted in chain:
            want = key(markup.plain_heading_text(wanted))
            loose = _link_form(want)
            found = None
            for i in range(start, len(self.headings)):
                h = self.headings[i]
                if found is None and level_limit and h.level <= level_limit and i > start:
                    break
                if key(h.text) == want or h.slug == want or _link_form(key(h.text)) == loose:
                    found, start, level_limit = h, i + 1, h.level
                    break
            if found is None:
                return None
        return found


# Characters Obsidian leaves out of a heading when it writes a link to it (they would end
# or break the link); both sides are compared without them.
_NOT_IN_LINKS = re.compile(r"[#|^:%\[\]\\]+")


def _link_form(heading: str) -> str:
    return " ".join(_NOT_IN_LINKS.sub(" ", heading).split())


def parse_note(path: str, raw: bytes) -> Note:
    """Decode and scan one note: properties, headings, block ids, tags, links."""
    decoded = decode_note(raw)
    fm = split_frontmatter(decoded.text)
    note = Note(
        path,
        decoded.text,
        fm.meta,
        len(decoded.text) - len(fm.body),
        fm.body_line,
        decoded.problems + fm.problems,
        decoded.binary,
    )
    note.syntax = markup.optional_syntax(decoded.text)
    raw_lines = note.lines
    mask = fences.code_mask(raw_lines)
    lines = raw_lines
    if "%%" in decoded.text:
        lines = markup.hide_comments(raw_lines, mask)
        if lines != raw_lines:
            note.visible = "\n".join(lines)
    first = fm.body_line - 1
    heading_src: list[tuple[int, str, int]] = []
    tags: list[str] = as_list(fm.meta.get("tags"))
    in_math = False
    para_start = first
    starts: list[int] | None = None  # offset of each line, once a line holds a link
    for i in range(first, len(lines)):
        line = lines[i]
        if mask[i]:
            para_start = i + 1
            continue
        if line.count("$$") % 2 == 1:
            in_math = not in_math
        if not line.strip():
            para_start = i + 1
            continue
        if in_math:
            continue
        m = markup.HEADING.match(line) if line[0] == "#" else None
        if m:
            heading_src.append((len(m.group(1)), m.group(2), i + 1))
            para_start = i + 1
        elif (
            line.lstrip(" ")[:1] in ("=", "-")
            and markup.SETEXT.match(line)
            and para_start == i - 1
            and i - 1 >= first
            and not markup.HEADING.match(lines[i - 1])
            and not _LIST_OR_QUOTE.match(lines[i - 1])
        ):
            # `Title` over `===` / `---`: Python-Markdown's setext rule (one-line paragraph)
            heading_src.append((1 if line.lstrip()[0] == "=" else 2, lines[i - 1].strip(), i))
            para_start = i + 1
            continue
        visible = markup.strip_code_spans(line)
        if "#" in visible:
            tags.extend(markup.find_tags(visible))
        if "[[" in visible:
            if starts is None:
                starts = list(itertools.accumulate((len(x) + 1 for x in lines), initial=0))
            for lm in markup.WIKILINK.finditer(visible):
                note.links.append((lm.group(2), i + 1, starts[i]))
                if lm.group(1):
                    note.embeds.add(lm.group(2))
        b = markup.block_id_at_end(line)
        if b:
            if line.strip() == "^" + b.group(1):  # own line: the block just above
                j = i - 1
                while j > first and lines[j - 1].strip() and not mask[j - 1]:
                    j -= 1
                note.blocks[b.group(1)] = (j + 1, i)
            elif line.lstrip().startswith(("- ", "* ", "+ ")) or line.lstrip()[:1].isdigit():
                note.blocks[b.group(1)] = (i + 1, i + 1)
            else:
                note.blocks[b.group(1)] = (para_start + 1, i + 1)
    texts = [markup.plain_heading_text(src) for _, src, _ in heading_src]
    note.headings = [
        Heading(level, text, slug, line)
        for (level, _, line), text, slug in zip(heading_src, texts, unique_slugs(texts))
    ]
    seen: set[str] = set()
    note.tags = [t for t in tags if not (key(t) in seen or seen.add(key(t)))]
    return note


def _names_of(note: Note) -> tuple:
    """What a link to `note` shows or points at."""
    return (note.title, [(h.level, h.text, h.slug) for h in note.headings], sorted(note.blocks))


_BLOCK_LINES = 60  # lines looked at on each side of a link (render.py quotes fewer)


def _block_around(text: str, start: int) -> str:
    """The lines between the blank lines around offset `start`, spaces collapsed: all a
    backlink context can quote of the paragraph or list item holding a link."""
    lo = hi = start
    for _ in range(_BLOCK_LINES):
        prev = text.rfind("\n", 0, max(lo - 1, 0))
        if lo == 0 or not text[prev + 1 : lo - 1].strip():
            break
        lo = prev + 1
    for _ in range(_BLOCK_LINES):
        nxt = text.find("\n", hi)
        if nxt < 0:
            hi = len(text)
            break
        hi = nxt + 1
        end = text.find("\n", hi)
        if not text[hi : end if end >= 0 else len(text)].strip():
            break
    return " ".join(text[lo:hi].split())


def _links_of(note: Note) -> list[tuple[str, str]]:
    """Each link with the block its backlink context quotes (comments left out), so an
    edit anywhere in that paragraph reaches the linked page under `mkdocs serve --dirty`."""
    text = note.visible or note.text
    return [(inner, _block_around(text, start)) for inner, _, start in note.links]


@dataclass(slots=True)
class Resolved:
    path: str | None
    candidates: list[str] = field(default_factory=list)
    problem: str | None = None


def _shortest(paths: list[str]) -> list[str]:
    return sorted(set(paths), key=lambda p: (p.count("/"), len(p), p))


class VaultIndex:
    """All files of one build, and the notes parsed lazily (each at most once)."""

    def __init__(
        self,
        paths: list[str],
        read: Callable[[str], bytes],
        stamp: Callable[[str], object] | None = None,
        reuse: dict[str, tuple[object, Note]] | None = None,
    ):
        """`stamp(path)` (e.g. mtime and size) lets a later index `reuse` the notes an
        earlier one parsed (`mkdocs serve` rebuilds): only changed notes are read again."""
        self._read = read
        self._stamp = stamp
        self.reuse = reuse if reuse is not None else {}
        self.reparsed: set[str] = set()  # notes read afresh (not reused) by this index
        self.replaced: dict[str, Note] = {}  # reparsed path -> the note `reuse` held before
        self.paths: set[str] = set()
        self._notes: dict[str, Note] = {}
        self._by_name: dict[str, list[str]] = defaultdict(list)  # "x.png", "note" (stem of .md)
        self._by_suffix: dict[str, list[str]] = defaultdict(list)  # "dir/x.png", "dir/note"
        self._aliases: dict[str, list[str]] = defaultdict(list)
        self.generated: dict[str, str] = {}  # virtual path -> real file outside the vault
        self._resolved: dict[tuple[str, str], Resolved] = {}
        self.backlinks: dict[str, list[Mention]] = defaultdict(list)  # filled by scan_all
        self.sections: object = None  # convert.Sections: embedded sections converted this build
        self.scanned = False
        for path in paths:
            self._add(path)

    def _add(self, path: str) -> None:
        self.paths.add(path)
        parts = path.split("/")
        stem_parts = list(parts)
        if path.lower().endswith(NOTE_EXT):
            stem_parts[-1] = parts[-1][: -len(NOTE_EXT)]
        for n in range(1, len(parts) + 1):
            self._by_suffix[key("/".join(parts[-n:]))].append(path)
            if stem_parts is not parts:
                self._by_suffix[key("/".join(stem_parts[-n:]))].append(path)

    def add_generated(self, virtual_path: str, real_file: str) -> None:
        self.generated[virtual_path] = real_file
        self._add(virtual_path)
        self._resolved.clear()

    # -- notes -------------------------------------------------------------------
    @property
    def note_paths(self) -> list[str]:
        return sorted(p for p in self.paths if p.lower().endswith(NOTE_EXT))

    def note(self, path: str) -> Note:
        note = self._notes.get(path)
        if note is None and self._stamp is not None:
            try:
                stamp = self._stamp(path)
            except OSError:
                stamp = None
            old = self.reuse.get(path)
            if stamp is not None and old is not None and old[0] == stamp:
                note = self._notes[path] = old[1]
                return note
            if old is not None:
                self.replaced[path] = old[1]
        if note is None:
            try:
                raw = self._read(path)
            except OSError as exc:
                raw = b""
                problems = [
                    (1, f"could not read the note ({exc.strerror or exc}); published empty")
                ]
            else:
                problems = []
            note = parse_note(path, raw)
            note.problems[:0] = problems
            self._notes[path] = note
            self.reparsed.add(path)
            if self._stamp is not None:
                try:
                    self.reuse[path] = (self._stamp(path), note)
                except OSError:
                    pass
        return note

    def scan_all(self, previous: VaultIndex | None = None) -> None:
        """Parse every note once (aliases and backlinks need all of them). With the index
        of the previous build (`mkdocs serve`) and the same file names and aliases, its
        link resolutions still hold and are reused."""
        self.backlinks = defaultdict(list)
        for path in self.note_paths:
            note = self.note(path)
            for alias in as_list(note.meta.get("aliases") or note.meta.get("alias"), names=True):
                self._aliases[key(alias)].append(path)
        self._resolved.clear()
        if previous is not None and self.same_names(previous):
            self._resolved.update(
                (k, r)
                for k, r in previous._resolved.items()
                if all(c in self.paths for c in r.candidates)
                and (r.path is None or r.path in self.paths)
            )
            if previous.scanned and set(self.replaced) == self.reparsed:
                # Only edited notes (`mkdocs serve`): patch the last build's backlinks rather
                # than resolve every link of the vault again. Their lists are shared with
                # `previous`, so a changed one is replaced, never modified in place.
                self.backlinks.update(previous.backlinks)
                for path in self.reparsed:
                    for target in {
                        self.link_target(inner, path) for inner, _, _ in self.replaced[path].links
                    }:
                        if target in self.backlinks:
                            self.backlinks[target] = [
                                m for m in self.backlinks[target] if m.source != path
                            ]
                for path in self.reparsed:
                    for target, mention in self._mentions(path):
                        self.backlinks[target] = self.backlinks.get(target, []) + [mention]
                self.scanned = True
                return
        for path in self.note_paths:
            for target, mention in self._mentions(path):
                self.backlinks[target].append(mention)
        self.scanned = True

    def _mentions(self, path: str) -> list[tuple[str, Mention]]:
        """(target, mention) for each link of note `path` to another file."""
        out = []
        for inner, line, start in self.note(path).links:
            target = self.link_target(inner, path)
            if target and target != path:
                out.append((target, Mention(path, line, start)))
        return out

    def same_names(self, other: VaultIndex) -> bool:
        """Would every name resolve as in `other`? (Same files and aliases.)"""
        return (
            self.paths - self.generated.keys() == other.paths - other.generated.keys()
            and self._aliases == other._aliases
        )

    def link_target(self, inner: str, source: str) -> str | None:
        name = markup.split_link(inner).name
        return self.resolve(name, source).path if name else None

    def syntax_used(self) -> frozenset[str]:
        """Optional syntax any note may use: the Markdown extensions the build needs."""
        used: set[str] = set()
        for path in self.note_paths:
            used |= self.note(path).syntax
        return frozenset(used)

    def dependents(self, changed: set[str], previous: VaultIndex | None = None) -> set[str]:
        """Notes whose page shows something of a `changed` note, so `mkdocs serve --dirty`
        must render them again: they embed it; they link to it and its title, headings
        or block ids changed; it linked or links to them and its links changed (their
        backlinks quote its lines). When files or aliases changed, links anywhere may
        now resolve differently: every note."""
        if previous is None or not self.same_names(previous):
            return set(self.note_paths) - changed
        out: set[str] = set()
        shown: set[str] = (
            set()
        )  # changed notes whose link targets (title, headings, blocks) changed
        for path in changed:
            old, new = self.replaced.get(path), self.note(path)
            if old is None or _names_of(old) != _names_of(new):
                shown.add(path)
            if old is None or _links_of(old) != _links_of(new):
                for note in (old, new):
                    for inner, _, _ in note.links if note is not None else []:
                        target = self.link_target(inner, path)
                        if target:
                            out.add(target)
        # The notes that link to a changed note, before or after the edit (backlinks).
        if self.scanned and previous.scanned:
            linking = {
                m.source
                for path in changed
                for index in (self, previous)
                for m in index.backlinks.get(path, [])
            }
        else:
            linking = set(self.note_paths)
        for path in linking - changed:
            note = self.note(path)
            for inner, _, _ in note.links:
                target = self.link_target(inner, path)
                if target in changed and (target in shown or inner in note.embeds):
                    out.add(path)
                    break
        return out - changed

    # -- resolution ----------------------------------------------------------------
    def resolve(self, name: str, source: str) -> Resolved:
        """Find the file `[[name]]` in note `source` points to (memoised per build)."""
        cache_key = (name, source if name.lstrip().startswith(".") or not name.strip() else "")
        found = self._resolved.get(cache_key)
        if found is None:
            found = self._resolved[cache_key] = self._resolve(name, source)
        return found

    def _resolve(self, name: str, source: str) -> Resolved:
        name = unicodedata.normalize("NFC", name.strip())
        if not name:
            return Resolved(source)
        if name.startswith(("./", "../")):
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), name))
            if joined.startswith("../") or joined == "..":
                return Resolved(None, problem="points outside the vault")
            hit = self._exact(joined)
            return Resolved(hit) if hit else Resolved(None)
        if name.startswith("/"):
            name = name.lstrip("/")
        if any(part == ".." for part in name.split("/")):
            return Resolved(None, problem="points outside the vault")
        k = key(name)
        candidates = self._by_suffix.get(k) or self._aliases.get(k) or []
        if not candidates:
            return Resolved(None)
        ordered = _shortest(candidates)
        if len(ordered) > 1:
            # An exact file-name match (with extension) beats a stem match of another file.
            exact = [
                p
                for p in ordered
                if key(p).endswith(k) and key(p)[-len(k) - 1 : -len(k)] in ("", "/")
            ]
            notes = [p for p in (exact or ordered) if p.lower().endswith(NOTE_EXT)]
            ordered = _shortest(notes or exact or ordered)
        return Resolved(ordered[0], ordered)

    def _exact(self, path: str) -> str | None:
        for cand in self._by_suffix.get(key(path), []) + self._by_suffix.get(
            key(path + NOTE_EXT), []
        ):
            if key(cand) in (key(path), key(path + NOTE_EXT)):
                return cand
        return None
