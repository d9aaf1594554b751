"""The `mathvault` Python-Markdown extension: Obsidian notes in any engine that builds pages
with Python-Markdown (Zensical, or plain `markdown.markdown`), no MkDocs needed.

    markdown_extensions:            # mkdocs.yml read by Zensical, or [project.markdown_extensions]
      - mathvault:                  # in zensical.toml
          vault_dir: build/docs     # default: the engine's docs_dir

Per page, the same core calls as the MkDocs plugin (docs/architecture.md):

1. preprocessor `mathvault` (priority 40, before Python-Markdown's whitespace normaliser
   at 30, so the converter sees the note's own tabs): finds the page (`engine_page`, or
   the `page` option), takes the vault index (`vaults.open_vault`: built once, reused
   while files are unchanged), converts the note (`vault.convert.convert_note`): links,
   embeds and transclusions, callouts, highlights, comments, tags, math placeholders;
   an exec fence is replaced by what `mathvault prepare` rendered for it.
2. Python-Markdown renders it with the extensions of `vault.extensions` (those the
   engine's list lacks are added here; the table of contents gets our Korean-keeping
   `slugify`, so `[[Note#제목]]` lands on the id the heading gets).
3. postprocessor `mathvault` (priority -10, after every other one; on the whole page
   only, as treeprocessor `mathvault_done` tells it, not on the toc's heading fragments):
   puts the formulas and links back (`restore_math`, `restore_links`), cleans the table
   of contents of placeholders and of embedded notes' headings, adds the linked mentions.

Problems go to the `mathvault` logger as WARNINGs, each once per index.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..syntax import markup
from ..vault import convert
from ..vault.extensions import EXTENSIONS
from ..vault.index import NOTE_EXT, parse_note
from ..vault.properties import normalised
from ..vault.render import backlinks_html
from ..vault.slugs import slugify
from ..vault.urls import page_url, relative_url
from .engine_page import engine_page
from .vaults import OpenVault, open_vault

log = logging.getLogger("mathvault")
FENCES_FILE = "_mathvault/fences.json"  # exec fences rendered by `mathvault prepare`


class MathvaultExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "vault_dir": ["", "the vault folder (default: the engine's docs_dir)"],
            "page": ["", "vault path of the note being converted, when no engine says"],
            "backlinks": [True, "add the linked mentions under each note"],
            "directory_urls": [True, "pages are served at a/b/ (else a/b.html)"],
            "embed_limit": [convert.EMBED_LIMIT, "note embeds one page may expand"],
            "embed_chars_limit": [convert.EMBED_CHARS_LIMIT, "characters embeds may show"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        loaded = {type(e).__module__ for e in md.registeredExtensions}
        missing = [
            name
            for name in EXTENSIONS
            if (name if "." in name else f"markdown.extensions.{name}") not in loaded
        ]
        if missing:
            md.registerExtensions(missing, {name: dict(EXTENSIONS[name]) for name in missing})
        page = _Page()
        md.preprocessors.register(_Convert(md, self, page), "mathvault", 40)
        md.treeprocessors.register(_TreeDone(md, page), "mathvault_done", -100)
        md.postprocessors.register(_Restore(md, self, page), "mathvault", -10)


class _Page:
    """What the preprocessor leaves for the postprocessor, for the page being converted."""

    def __init__(self) -> None:
        self.vault: OpenVault | None = None
        self.path: str | None = None
        self.directory_urls = True
        # Zensical rewrites the relative hrefs and srcs of the rendered page itself (from
        # the source file's folder to the page's URL), so links stay vault paths there;
        # plain Python-Markdown gets the final URLs.
        self.engine_rewrites = False
        self.math: list[tuple[str, bool]] = []
        self.links: list[str] = []
        self.tree_done = False  # the whole page reached the postprocessors (not a heading)

    def url_for(self, page: str, target: str) -> str:
        if self.engine_rewrites:  # Zensical makes every relative href of the page a URL
            return quote(convert.relative_path(page, target))
        du = self.directory_urls
        return relative_url(quote(page_url(target, du)), quote(page_url(page, du)))


class _Convert(Preprocessor):
    def __init__(self, md: Markdown, ext: MathvaultExtension, page: _Page) -> None:
        super().__init__(md)
        self.ext = ext
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        page = self.page
        page.path = None
        engine = engine_page(self.md)
        vault_dir = self.ext.getConfig("vault_dir") or (engine.docs_dir if engine else None)
        if not vault_dir:
            log.warning("mathvault: no vault_dir option and no engine docs_dir; not converted")
            return lines
        vault = open_vault(Path(vault_dir))
        if "toc" in self.md.treeprocessors:  # heading ids as our links expect them
            self.md.treeprocessors["toc"].slugify = slugify
        path = (engine.path if engine else "") or self.ext.getConfig("page") or "index.md"
        page.engine_rewrites = engine is not None
        page.directory_urls = (
            engine.directory_urls if engine else bool(self.ext.getConfig("directory_urls"))
        )
        with vault.lock:
            index = vault.index
            text = "\n".join(lines)
            note = index.note(path) if path in index.paths and path.endswith(NOTE_EXT) else None
            if note is None or text.strip() not in (note.body.strip(), note.text.strip()):
                note = parse_note(path, text.encode("utf-8"))  # the engine changed the text
            fences = _fences(vault)
            ctx = convert.Context(
                index,
                path,
                url_for=page.url_for,
                render_fence=_fence_renderer(fences),
                embed_limit=int(self.ext.getConfig("embed_limit")),
                embed_chars_limit=int(self.ext.getConfig("embed_chars_limit")),
            )
            out = convert.convert_note(note, ctx)
            for problem in ctx.problems:
                shown = str(problem)
                if shown not in vault.reported:
                    vault.reported.add(shown)
                    log.warning(shown)
        if engine is not None and engine.meta is not None:
            meta = normalised(engine.meta)
            meta["tags"] = list(dict.fromkeys(meta.get("tags", []) + ctx.tags))
            engine.meta.clear()
            engine.meta.update(meta)
        page.vault, page.path, page.math, page.links = vault, path, ctx.math, ctx.links
        page.tree_done = False
        return out.split("\n")


class _TreeDone(Treeprocessor):
    """Marks the end of the tree stage. Python-Markdown's toc runs the postprocessors over
    each heading's inner HTML while it builds `toc_tokens`; `_Restore` must act once, on
    the whole page, and leave those fragments to `_fixed_toc`."""

    def __init__(self, md: Markdown, page: _Page) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: Any) -> None:
        self.page.tree_done = True


class _Restore(Postprocessor):
    def __init__(self, md: Markdown, ext: MathvaultExtension, page: _Page) -> None:
        super().__init__(md)
        self.ext = ext
        self.page = page

    def run(self, text: str) -> str:
        page = self.page
        if page.path is None or page.vault is None or not page.tree_done:
            return text
        dropped = convert.embedded_heading_ids(text)
        tokens = getattr(self.md, "toc_tokens", None)
        if isinstance(tokens, list):
            self.md.toc_tokens = _fixed_toc(tokens, page.math, dropped)
        text = convert.restore_math(convert.restore_links(text, page.links), page.math)
        if self.ext.getConfig("backlinks") and page.path.endswith(NOTE_EXT):
            path = page.path
            with page.vault.lock:
                index = page.vault.index
                mentions = index.backlinks.get(path, [])
                text += "\n" + backlinks_html(
                    mentions, index, lambda t: page.url_for(path, t), here=path
                )
        page.path = None
        return text


def _fixed_toc(tokens: list[dict], math: list[tuple[str, bool]], dropped: set[str]) -> list[dict]:
    """Python-Markdown's `toc_tokens` without placeholders (titles show `$x$` and link
    labels) and without the headings of embedded notes, nested again by level."""
    flat: list[dict] = []

    def walk(items: list[dict]) -> None:
        for item in items:
            flat.append(item)
            walk(item.get("children", []))

    walk(tokens)
    roots: list[dict] = []
    stack: list[dict] = []
    for item in flat:
        if item.get("id") in dropped:
            continue
        for k in ("name", "html"):
            if isinstance(item.get(k), str):
                item[k] = convert.plain_math(markup.strip_links(item[k]), math)
        item["children"] = []
        while stack and stack[-1]["level"] >= item["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(item)
        stack.append(item)
    return roots


def _fences(vault: OpenVault) -> dict[str, dict[str, list[str]]]:
    """The exec fences `mathvault prepare` rendered: note path -> fence line -> lines."""
    cached = vault.fences
    if cached is None:
        cached = {}
        if FENCES_FILE in vault.index.paths:
            try:
                cached = json.loads((vault.root / FENCES_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning(f"mathvault: {FENCES_FILE}: {exc}; snippets shown as code")
        vault.fences = cached
    return cached


def _fence_renderer(fences: dict[str, dict[str, list[str]]]):
    def render(note_path: str, line: int, fence: list[str], indent: str) -> list[str] | None:
        rendered = fences.get(note_path, {}).get(str(line))
        if rendered is None:
            return None
        return [indent + x if x else x for x in rendered]

    return render


def makeExtension(**kwargs: Any) -> MathvaultExtension:  # noqa: N802 - Python-Markdown's name
    return MathvaultExtension(**kwargs)
