"""The MkDocs adapter: wires MkDocs' build events to the mathvault core.

Event flow of one build (`mkdocs serve` repeats it; `on_startup` keeps this instance,
its snippet workers and its caches alive between rebuilds):

1. on_config        adds the Markdown extensions and assets the notes need; resets
                    per-build state.
2. on_files         drops what must not be published (files outside the vault via
                    symlinks, non-regular files), builds the vault index once (every
                    note parsed once), starts snippets and formula checks in worker
                    processes, adds the tags index page.
3. on_nav           orders folders and notes naturally (3.4.2 before 3.4.10).
4. on_page_read_source  hands MkDocs the decoded body (never a UnicodeDecodeError).
5. on_page_markdown converts Obsidian syntax (core: vault/convert.py), waiting only for the
                    snippets/checks of that page; reports problems.
6. on_page_content  puts the formulas and resolved links back; marks where the check
                    box and backlinks go.
7. on_env           registers generated figures (after every page's content).
8. on_post_page     fills in the check box and backlinks (after search indexed the page).
9. on_post_build    copies MathJax, prints the one-line summaries, saves caches.

`mkdocs serve` only: on_serve swaps MkDocs' polling of the vault for inotify where that is
safe (serve_watch.py).
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
import stat
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation, Section

from ..problems import Problem
from ..syntax import markup
from ..vault import convert, properties
from ..vault.extensions import EXTENSIONS, OPTIONAL
from ..vault.files import unsafe_reason
from ..vault.graph import Graph, note_graph
from ..vault.index import VaultIndex
from ..vault.render import backlinks_html, home_markdown, natural_key
from ..vault.urls import relative_url
from ..verify.pool import Checker, start_checks
from . import checks_glue as checks
from . import graph_glue, search_glue, serve_watch, site_assets
from .config import MathvaultConfig
from .snippets_glue import BuildSnippets

log = get_plugin_logger(__name__)
AFTER_MARK = "\n<!-- mathvault: formula checks, linked mentions -->\n"


class MathvaultPlugin(BasePlugin[MathvaultConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        # -- kept across `mkdocs serve` rebuilds (on_startup keeps this instance) --
        self.command = "build"  # the mkdocs command: "build", "gh-deploy" or "serve"
        self._readme_filter = _ReadmeBesideIndex()  # MkDocs' README/index warning, ours instead
        self.dirty = False  # `mkdocs serve --dirty`: only edited pages are rebuilt
        self.snippets: BuildSnippets | None = None  # the snippet engine of the current build
        self.checker: Checker | None = None  # formula checks; its warm workers outlive a build
        self.index: VaultIndex | None = None  # the vault index; the next build reuses its notes
        self._built_once = False  # a later build is a `mkdocs serve` rebuild
        self._parsed: dict = {}  # vault path -> (mtime, size), parsed note
        self._templates = _MemoryStore()  # compiled theme templates
        self._observer: Any = None  # `mkdocs serve`: our inotify watch of the vault
        # vault path -> {claim position: formula anchor id}: `--dirty` re-renders only some
        # notes and the checks page links to them all
        self._anchors: dict[str, dict[int, str]] = {}
        # -- set in on_config, for one build --
        self._started = 0.0  # time.monotonic() when the build started
        self._mkdocs_config: Any = None  # MkDocs' whole config (File.generated needs it)
        self.docs_dir = Path()  # the vault folder
        self.cache_dir = Path()  # the resolved cache folder
        self.shown_prefix = ""  # the vault folder as messages show it ("vault/")
        self._math: dict[str, list[tuple[str, bool]]] = {}  # vault path -> its formulas, in order
        self._links: dict[str, list[str]] = {}  # vault path -> hrefs of its link placeholders
        self._warned: set[str] = set()  # messages logged (a transcluded problem shows once)
        self._urls: dict[str, str] = {}  # vault path -> its page URL
        self._marks: dict[str, dict[int, checks.Mark]] = {}  # vault path -> formula number -> Mark
        self._checks_page: str | None = None  # src path of the generated checks page
        self._graph_page: str | None = None  # src path of the generated graph page
        self.graph: Graph | None = None  # links between notes (graph view), set in on_files
        self._after: dict[str, str] = {}  # vault path -> HTML added after the note (check box)
        self._vault_extensions: list[str] | None = None  # set in on_files: what the vault uses
        self._user_extensions: set[str] = set()  # extensions the user listed in mkdocs.yml
        # -- set in on_files --
        self.files: Files | None = None  # the site's files (generated figures join them)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty

    # -- 1 ---------------------------------------------------------------------------
    @event_priority(100)  # before the search plugin reads its settings
    def on_config(self, config):
        if not self.config.enabled:
            return config
        self._started = time.monotonic()
        self._mkdocs_config = config
        files_log = logging.getLogger("mkdocs.structure.files")
        if self._readme_filter not in files_log.filters:  # on_files publishes both
            files_log.addFilter(self._readme_filter)
        self.docs_dir = Path(config.docs_dir)
        config_dir = Path(config.config_file_path or ".").resolve().parent
        self.cache_dir = (config_dir / self.config.cache_dir).resolve()
        shown = os.path.relpath(self.docs_dir, config_dir)
        self.shown_prefix = "" if shown == "." else shown.replace(os.sep, "/") + "/"
        self._math = {}
        self._links = {}
        self._warned = set()
        self._urls = {}
        self._marks = {}
        self._checks_page = None
        self._graph_page = None
        self.graph = None
        self._after = {}
        self._vault_extensions = None
        self._user_extensions = set(config.markdown_extensions) - {"toc", "tables", "fenced_code"}
        if "fenced_code" in config.markdown_extensions:  # superfences does all it does, and more
            config.markdown_extensions.remove("fenced_code")
        for name, options in EXTENSIONS.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
            merged = dict(options)
            merged.update(config.mdx_configs.get(name, {}))
            config.mdx_configs[name] = merged
        theme = config.theme
        if theme.name == "material":
            if theme.get("font") is None or theme.get("font") == {
                "text": "Roboto",
                "code": "Roboto Mono",
            }:
                theme["font"] = False  # Google Fonts would be fetched from the network
        for js in site_assets.EXTRA_JAVASCRIPT:
            if js not in [str(x) for x in config.extra_javascript]:
                config.extra_javascript.append(js)
        for css in site_assets.EXTRA_CSS:
            if css not in config.extra_css:
                config.extra_css.append(css)
        search = config.plugins.get("search") or config.plugins.get("material/search")
        if search is not None:
            user = search.config
            defaults = {"lang": (None, ["en"], "en"), "separator": (None, r"[\s\-]+")}
            for k, v in site_assets.SEARCH_CONFIG.items():
                if user.get(k) in defaults.get(k, (None,)):  # the user's own settings win
                    user[k] = v
        return config

    # -- 2 ---------------------------------------------------------------------------
    @event_priority(-100)  # after other plugins added or removed files
    def on_files(self, files: Files, *, config) -> Files:
        if not self.config.enabled:
            return files
        root = self.docs_dir.resolve()
        self._add_readmes(files, config)
        kept = []
        in_vault: dict[str, bool] = {}
        real_dirs: dict[str, str] = {}
        for f in list(files):
            if f.abs_src_path is None or f.inclusion is InclusionLevel.EXCLUDED:
                continue
            if f.src_dir is None:
                continue
            if f.src_dir not in in_vault:
                in_vault[f.src_dir] = Path(f.src_dir).resolve() == root
            if not in_vault[f.src_dir]:
                continue  # theme and generated files are not part of the vault
            reason = unsafe_reason(Path(f.abs_src_path), root, real_dirs)
            if reason is None:
                try:
                    f.src_uri.encode("utf-8")
                except UnicodeEncodeError:
                    reason = "file name is not valid UTF-8 (rename it)"
            if reason:
                self._warn(f.src_uri, 1, f"{reason}; not published")
                files.remove(f)
                continue
            kept.append(f.src_uri)
        self.files = files
        published = set(kept)
        self._parsed = {p: v for p, v in self._parsed.items() if p in published}
        previous = self.index if self._built_once else None  # `mkdocs serve`: the last build's
        self.index = VaultIndex(kept, self._read, self._stamp, self._parsed)
        self.index.scan_all(previous)
        used = self.index.syntax_used()
        for name, feature in OPTIONAL.items():
            if (
                feature not in used
                and name not in self._user_extensions
                and name in config.markdown_extensions
            ):
                config.markdown_extensions.remove(name)
        self._vault_extensions = list(config.markdown_extensions)
        if self.dirty and self._built_once:
            # `mkdocs serve --dirty` re-renders only edited files; pages that show
            # something of an edited note (embeds, link targets, backlinks) go as well.
            for path in self.index.dependents(self.index.reparsed, previous):
                f = files.get_file_from_path(path)
                if f is not None:
                    f.is_modified = lambda: True  # type: ignore[method-assign]
        notes = len(self.index.note_paths)
        if (
            self.command == "serve"
            and not self.dirty
            and not self._built_once
            and notes > self.config.prune_threshold
        ):
            log.info(
                f"{notes} notes: `mkdocs serve --dirty` rebuilds only the pages an edit shows on "
                "(the note, its embedders, its backlinks) instead of every page"
            )
        self._built_once = True
        self._prune_if_large(config, notes)
        if self.config.tags_page and "tags" in {k.split("/")[-1] for k in config.plugins}:
            if not any(f.src_uri.lower() == "tags.md" for f in files):
                files.append(
                    File.generated(config, "tags.md", content="# Tags\n\n<!-- material/tags -->\n")
                )
        if files.get_file_from_path("index.md") is None and not any(
            f.dest_uri == "index.html" for f in files.documentation_pages()
        ):
            files.append(File.generated(config, "index.md", content=home_markdown(self.index)))
        self._add_checks_page(config, files)
        self._add_graph(config, files)
        self._start_workers()
        return files

    def _add_readmes(self, files: Files, config) -> None:
        """Publish `README.md` beside an `index.md` under its own name, as Obsidian shows both.

        MkDocs serves `README.md` at its folder's URL, so beside an `index.md` it drops the
        README (with its own warning, which `_ReadmeBesideIndex` holds back). Here the README
        comes back as a page named `README` (`Case/README/`, or `Case/README.html` without
        directory URLs), so `[[README]]` and `[[Case/README]]` link to it; only a file already
        at that URL (a `Case/README/index.md`) keeps it out, with a warning.
        """
        taken = {f.dest_uri for f in files}
        for index in list(files.documentation_pages()):
            folder, name = posixpath.split(index.src_uri)
            if name != "index.md" or index.src_dir is None:
                continue
            src = posixpath.join(folder, "README.md")
            if files.get_file_from_path(src) is not None:
                continue
            if not os.path.lexists(os.path.join(index.src_dir, *src.split("/"))):
                continue
            readme = File(src, index.src_dir, config.site_dir, config.use_directory_urls)
            readme.name = "README"  # not "index": a page of its own, not the folder page
            set_exclusions([readme], config)
            if readme.inclusion is InclusionLevel.EXCLUDED:
                continue
            if readme.dest_uri in taken:
                clash = next(f.src_uri for f in files if f.dest_uri == readme.dest_uri)
                self._warn(
                    src,
                    1,
                    f"README.md beside index.md would be published at {readme.url}, where "
                    f"'{clash}' is; not published (rename one of them)",
                )
                continue
            taken.add(readme.dest_uri)
            files.append(readme)

    def _add_checks_page(self, config, files: Files) -> None:
        """The "Formula checks" page: its body is filled in on_post_page, when every note
        has been converted (MkDocs converts all pages before it renders any)."""
        self._anchors = {p: a for p, a in self._anchors.items() if p in self.index.paths}
        if not (self.config.verify and self.config.checks_page):
            return
        if any(f.src_uri.lower() == checks.CHECKS_PAGE for f in files):
            log.info(
                f"{self.shown_prefix}{checks.CHECKS_PAGE} exists: no generated formula checks page"
            )
            return
        files.append(
            File.generated(config, checks.CHECKS_PAGE, content=checks.checks_page_markdown())
        )
        self._checks_page = checks.CHECKS_PAGE

    def _add_graph(self, config, files: Files) -> None:
        """The graph view's links; the "Graph" page, drawn in on_post_page."""
        if not (self.config.graph or self.config.graph_page):
            return
        self.graph = note_graph(self.index)
        if self.config.graph_page and self.files.get_file_from_path(graph_glue.GRAPH_PAGE) is None:
            files.append(
                File.generated(
                    config, graph_glue.GRAPH_PAGE, content=graph_glue.graph_page_markdown()
                )
            )
            self._graph_page = graph_glue.GRAPH_PAGE

    def _graph_html(self, path: str) -> str:
        """The local graph under note `path`, or the whole vault's on the graph page."""
        title = lambda p: self.index.note(p).title  # noqa: E731
        url = lambda p: self._url_for(path, p)  # noqa: E731
        if path == self._graph_page:
            positions, problem = graph_glue.cached_layout(self.graph, self.cache_dir / "graph")
            if problem:
                log.warning(problem)
            return graph_glue.global_graph(self.graph, positions, title, url)
        whole = self._url_for(path, self._graph_page) if self._graph_page else None
        return graph_glue.local_graph(self.graph, path, title, url, self.config.graph_depth, whole)

    def _stamp(self, path: str) -> tuple[int, int]:
        st = os.stat(self.docs_dir / path)
        return (st.st_mtime_ns, st.st_size)

    def _read(self, path: str) -> bytes:
        full = self.docs_dir / path
        st = os.stat(full)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path} is not a regular file")
        with open(full, "rb") as fh:
            return fh.read()

    def _prune_if_large(self, config, notes: int) -> None:
        theme = config.theme
        if not (
            self.config.auto_prune
            and theme.name == "material"
            and notes > self.config.prune_threshold
        ):
            return
        features = list(theme.get("features") or [])
        if any(
            f.startswith("navigation.")
            and f != "navigation.instant"
            and not f.startswith("navigation.instant.")
            for f in features
        ):
            return
        features.append("navigation.prune")
        theme["features"] = features
        log.info(
            f"{notes} notes: turned on Material's navigation.prune so the build stays linear "
            "(set a navigation.* feature yourself or auto_prune: false to opt out)"
        )

    def _start_workers(self) -> None:
        jobs = self.config.jobs or os.cpu_count() or 1
        if self.config.execute:
            self.snippets = BuildSnippets.start(
                self.snippets,
                self.index,
                self.docs_dir,
                self.cache_dir / "snippets",
                self._add_generated,
                jobs=jobs,
                timeout=self.config.timeout,
                memory_mb=self.config.memory_mb,
                enabled=self.config.execute,
                max_processes=self.config.max_processes,
                env={n: os.environ[n] for n in self.config.env if n in os.environ},
            )
        if self.config.verify:
            index = self.index
            self.checker = start_checks(
                self.checker,
                self.cache_dir / "checks",
                jobs,
                float(self.config.check_time_limit),
                {path: index.note(path).text for path in index.note_paths},
                unchanged=lambda path: path not in index.reparsed,
            )

    # -- 3 ---------------------------------------------------------------------------
    def on_nav(self, nav: Navigation, *, config, files) -> Navigation:
        if not self.config.enabled:
            return nav

        def order(items: list, depth: int = 0) -> None:
            for item in items:  # folder names as written: MkDocs shows `ml` as `Ml`
                if isinstance(item, Section):
                    item.title = _folder_name(item, depth) or item.title

            def sort_key(item):
                if isinstance(item, Section):
                    return (1, natural_key(item.title or ""))
                src = getattr(getattr(item, "file", None), "src_uri", "") or ""
                if src and src in (self._checks_page, self._graph_page):
                    return (3, src)  # the generated "Formula checks" and "Graph" pages last
                name = posixpath.basename(src)
                # Like Obsidian's file explorer: the folder note first, then folders, then notes.
                folder_page = getattr(getattr(item, "file", None), "name", "") == "index"
                return (0 if folder_page else 2, natural_key(name))

            items.sort(key=sort_key)
            for item in items:
                if isinstance(item, Section):
                    order(item.children, depth + 1)

        if config.nav is None:
            order(nav.items)
            pages = []

            def walk(items):
                for item in items:
                    if isinstance(item, Section):
                        walk(item.children)
                    elif getattr(item, "is_page", False):
                        pages.append(item)

            walk(nav.items)
            for prev, nxt in zip([None] + pages, pages + [None]):
                if nxt is not None:
                    nxt.previous_page = prev
                if prev is not None:
                    prev.next_page = nxt
            nav.pages = pages
        return nav

    # -- 4 ---------------------------------------------------------------------------
    def on_page_read_source(self, *, page, config) -> str | None:
        if (
            not self.config.enabled
            or self.index is None
            or page.file.src_uri not in self.index.paths
        ):
            return None
        # A leading newline keeps MkDocs from reading the body's first `---` block as
        # frontmatter a second time; our own (safe, located) parse already happened.
        return "\n" + self.index.note(page.file.src_uri).body

    # -- 5 ---------------------------------------------------------------------------
    @event_priority(50)  # before Material's tags plugin reads page.meta
    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if (
            not self.config.enabled
            or self.index is None
            or page.file.src_uri not in self.index.paths
        ):
            if self.config.enabled and self._vault_extensions is not None:
                config.markdown_extensions[:] = self._vault_extensions  # not a note: all of them
            return markdown
        path = page.file.src_uri
        note = self.index.note(path)
        ctx = convert.Context(
            self.index,
            path,
            url_for=self._url_for,
            render_fence=self.snippets.render_fence if self.snippets else None,
            on_missing=self._on_missing,
            missing_hint="" if self.config.execute else " (snippets are not run: `execute: false`)",
            embed_limit=self.config.embed_limit,
            embed_chars_limit=self.config.embed_chars_limit,
        )
        text = convert.convert_note(note, ctx)
        meta = properties.normalised(note.meta)  # empty tags:, blank dates (every engine)
        meta["title"] = note.title
        meta["tags"] = list(dict.fromkeys(note.tags + ctx.tags))  # properties, then inline tags
        page.meta = meta
        dates = [
            f"{label} {html.escape(str(meta[k]))}"
            for k, label in (("created", "Created"), ("updated", "Updated"))
            if meta.get(k) not in (None, "")
        ]
        if dates:
            text = f'<p class="mathvault-dates">{" · ".join(dates)}</p>\n\n' + text
        if self.snippets is not None:  # found while its fences were rendered, so first
            self._report(self.snippets.take_problems())
        self._report(ctx.problems)
        if self.checker is not None:
            claims = self.checker.claims(path)
            marks, self._anchors[path] = checks.formula_marks(
                claims, path, ctx.math_lines, ctx.math
            )
            refuted = checks.refuted_problems(claims, path)
            if refuted and self.config.refuted == "error":
                raise PluginError(self._located(refuted[0]))
            self._report(refuted)
            checks_url = self._url_for(path, self._checks_page) if self._checks_page else None
            report = checks.page_report(claims, self._anchors[path], checks_url)
            if report:
                self._after[path] = report
            if marks:
                self._marks[path] = marks
        self._math[path] = ctx.math
        self._links[path] = ctx.links
        # MkDocs makes this page's Markdown instance right after this event, from the
        # config: leave out the optional extensions the page's own text does not need.
        page_syntax = markup.optional_syntax(text)
        config.markdown_extensions[:] = [
            name
            for name in self._vault_extensions
            if name not in OPTIONAL
            or name in self._user_extensions
            or OPTIONAL[name] in page_syntax
        ]
        return text

    def _located(self, problem: Problem) -> str:
        """The problem as the log shows it: the vault folder in front of its path."""
        return f"{self.shown_prefix}{problem}" if problem.path is not None else str(problem)

    def _report(self, problems: list[Problem]) -> None:
        """Log each problem once as a WARNING (so `--strict` fails on it)."""
        for problem in problems:
            text = self._located(problem)
            if text not in self._warned:  # a transcluded problem shows once, not once per page
                self._warned.add(text)
                log.warning(text)

    def _warn(self, path: str, line: int, message: str) -> None:
        self._report([Problem(path, line, message)])

    def _add_generated(self, site_path: str, real_file: str) -> None:
        """Publish a file a snippet generated (the snippets glue's `add_file`)."""
        self.files.append(File.generated(self._mkdocs_config, site_path, abs_src_path=real_file))

    def _publish_generated(self) -> bool:
        added = self.snippets.publish()
        self._report(self.snippets.take_problems())
        return added

    def _url_for(self, page: str, target: str) -> str:
        """Relative URL from `page`'s page to `target` (both vault paths)."""
        src, dst = self._url_of(page), self._url_of(target)
        if src is None or dst is None:
            return quote(convert.relative_path(page, target))
        return relative_url(dst, src)

    def _url_of(self, path: str) -> str | None:
        url = self._urls.get(path)
        if url is None:
            f = self.files.get_file_from_path(path)
            if f is None:
                return None
            url = self._urls[path] = f.url
        return url

    def _on_missing(self, name: str) -> bool:
        """An unknown embed name may be a figure a snippet is still drawing."""
        return self._publish_generated() if self.snippets else False

    # -- 6 ---------------------------------------------------------------------------
    def on_page_content(self, html: str, *, page, config, files) -> str:
        if (
            not self.config.enabled
            or self.index is None
            or page.file.src_uri not in self.index.paths
        ):
            return html
        path = page.file.src_uri
        if self.config.backlinks or self.config.graph or path in self._after:  # on_post_page
            html += AFTER_MARK
        embedded = convert.embedded_heading_ids(html)
        if embedded:
            _drop_from_toc(page.toc, embedded)
        links = self._links.pop(path, None)
        math = self._math.pop(path, None)
        if links or math:
            for item in _walk_toc(page.toc):
                item.title = convert.plain_math(markup.strip_links(item.title), math or [])
        if links:
            html = convert.restore_links(html, links)
        if math:
            marks = self._marks.get(path)
            html = convert.restore_math(html, math, checks.mark_flags(marks) if marks else None)
            if marks:
                html = checks.place_marks(html, marks)
        return html

    # -- 7 ---------------------------------------------------------------------------
    @event_priority(100)  # before a minifier (listed earlier) strips the marker comment
    def on_post_page(self, output: str, *, page, config) -> str:
        """The formula-check box and the backlinks go into the finished page: they are
        not the note's text, so search should not index them, and leaving them out of
        `page.content` spares the search plugin from parsing them (a tenth of a large
        vault's build)."""
        if not self.config.enabled or self.index is None:
            return output
        path = page.file.src_uri
        if path == self._graph_page and self.graph is not None:
            return output.replace(graph_glue.GRAPH_MARK, self._graph_html(path), 1)
        if path in self._marks or path == self._checks_page:
            if path == self._checks_page:
                return checks.fill_checks_page(output, self._checks_listing())
            output = checks.fill_marks(output, self._marks.pop(path))
        before, mark, after = output.rpartition(AFTER_MARK)
        if not mark:
            return output
        tail = self._after.pop(path, "")
        if self.config.backlinks:
            mentions = self.index.backlinks.get(path, [])
            tail += backlinks_html(
                mentions, self.index, lambda t: self._url_for(path, t), here=path
            )
        if self.config.graph and self.graph is not None and path in self.index.paths:
            tail += self._graph_html(path)
        return before + "\n" + tail + after

    def _checks_listing(self) -> list[tuple[str, str, list[tuple[dict, str | None]]]]:
        """Every note's checked claims for the checks page, notes in natural order of paths."""
        listing = []
        if self.checker is None or self._checks_page is None:
            return listing
        for path in sorted(self.index.note_paths, key=natural_key):
            anchors = self._anchors.get(path, {})
            claims = [
                (c, anchors.get(pos))
                for pos, c in enumerate(self.checker.claims(path))
                if c["verdict"] != "definition"
            ]
            if claims:
                listing.append(
                    (self.index.note(path).title, self._url_for(self._checks_page, path), claims)
                )
        return listing

    def on_env(self, env, *, config, files):
        if self.config.enabled and self._vault_extensions is not None:
            config.markdown_extensions[:] = self._vault_extensions  # pages are rendered
        if self.config.enabled and config.extra.get("polyfills"):  # the offline plugin's
            config.extra["polyfills"] = site_assets.local_polyfills(config.extra["polyfills"])
        if self.config.enabled and self.command == "serve" and env.bytecode_cache is None:
            # Every `mkdocs serve` rebuild makes a new Jinja environment and compiles the
            # theme's templates again (about a quarter of a rebuild of one page). Keep the
            # compiled templates across rebuilds; Jinja checks each against its source.
            env.bytecode_cache = jinja2.MemcachedBytecodeCache(self._templates)
        if self.config.enabled and self.snippets is not None:
            self._publish_generated()
        if self.config.enabled:
            self._drop_vanished(files)
        return env

    def _drop_vanished(self, files: Files) -> None:
        """MkDocs copies attachments next; one deleted or swapped since on_files would
        crash the build (FileNotFoundError) or leak, so check them once more."""
        root = self.docs_dir.resolve()
        real_dirs: dict[str, str] = {}
        for f in list(files.media_files()):
            if f.abs_src_path is None or f.src_dir is None or Path(f.src_dir).resolve() != root:
                continue
            reason = unsafe_reason(Path(f.abs_src_path), root, real_dirs)
            if reason:
                self._warn(f.src_uri, 1, f"{reason}; not published")
                files.remove(f)

    @event_priority(-50)  # after search wrote its index, before `offline` inlines it (-100)
    def on_post_build(self, *, config) -> None:
        if not self.config.enabled:
            return
        site_assets.write_assets(Path(config.site_dir), self.config.mathjax_macros)
        if self.config.search_subwords:
            search_glue.rewrite_index(Path(config.site_dir))
        if self.snippets is not None:
            summary = self.snippets.finish()
            self._report(self.snippets.take_problems())
            log.info(summary)
        if self.checker is not None:
            log.info(self.checker.summary())
            if self.command == "serve":
                self.checker.warm_up()
        if self.command != "serve":
            self.close()

    def on_serve(self, server, *, config, builder):
        if self.config.enabled and self.config.native_watch and self._observer is None:
            self._observer = serve_watch.use_native_watch(server, config.docs_dir, log)
        return server

    def on_shutdown(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer = None
        self.close()

    def close(self) -> None:
        if self.snippets is not None:
            self.snippets.close()
            self.snippets = None
        if self.checker is not None:
            self.checker.close()
            self.checker = None


class _MemoryStore:
    """The two calls Jinja's MemcachedBytecodeCache makes, on a dict in this process."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._data.get(key)

    def set(self, key: str, value: bytes, timeout: int | None = None) -> None:
        self._data[key] = value


def _folder_name(section: Section, depth: int) -> str | None:
    """The name of the folder a section of MkDocs' automatic navigation stands for."""
    todo = list(section.children)
    while todo:
        item = todo.pop(0)
        src = getattr(getattr(item, "file", None), "src_uri", None)
        if src:
            parts = src.split("/")
            return parts[depth] if len(parts) > depth + 1 else None
        todo.extend(getattr(item, "children", None) or [])
    return None


def _drop_from_toc(toc, ids: set[str]) -> None:
    """Remove the entries with these ids and nest the rest again by heading level (an
    embedded `# Title` must not adopt the page's own `## Sections`)."""
    kept = [item for item in _walk_toc(toc.items) if item.id not in ids]
    roots: list = []
    stack: list = []
    for item in kept:
        item.children = []
        while stack and stack[-1].level >= item.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(item)
        stack.append(item)
    toc.items[:] = roots


def _walk_toc(items):
    for item in items:
        yield item
        yield from _walk_toc(item.children)


class _ReadmeBesideIndex(logging.Filter):
    """Holds back MkDocs' "Excluding 'Case/README.md' … conflicts with 'Case/index.md'":
    the plugin publishes that README under its own name (`_add_readmes`), so nothing is
    excluded; a real clash gets the plugin's own located warning."""

    _MESSAGE = re.compile(r"Excluding '(?:.*/)?README\.md' from the site because it conflicts")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self._MESSAGE.match(record.getMessage())
