"""Connects the snippet engine (snippets/) to a build: submit, render fences, publish figures.

Kept apart from plugin.py so the adapter stays short; nothing here imports MkDocs except
through the plugin object it is given (`files`, `_warn`).
"""

from __future__ import annotations

import os
import posixpath
import re

from ..snippets import SnippetEngine, render_block
from ..snippets.results import format_traceback
from ..vault.convert import relative_path

GENERATED_DIR = "_mathvault/generated"


def start(plugin, old: SnippetEngine | None) -> SnippetEngine:
    """A fresh engine for this build (the disk cache makes unchanged notes free)."""
    if old is not None:
        old.close()
    engine = SnippetEngine(
        plugin.docs_dir, plugin.cache_dir / "snippets",
        jobs=plugin.config.jobs or os.cpu_count(), timeout=plugin.config.timeout,
        memory_mb=plugin.config.memory_mb, enabled=plugin.config.execute,
    )
    plugin._generated_done = False
    plugin._snippet_reported: set[str] = set()
    for path in plugin.index.note_paths:
        note = plugin.index.note(path)
        if "exec" in note.text:
            engine.submit(path, note.text)
    return engine


def fence_renderer(plugin):
    """The converter's `render_fence`: an exec fence becomes its rendered result."""

    def render(note_path: str, line: int, fence: list[str], indent: str) -> list[str] | None:
        info = fence[0].strip().lstrip("`~").split()
        if len(info) < 2 or info[0] != "python" or "exec" not in info[1:]:
            return None
        result = plugin.engine.result(note_path)
        if result is None:
            return None
        for block_result in result.blocks:
            if block_result.block.line == line:
                _report(plugin, note_path, block_result)
                tb = format_traceback(block_result, [b.block for b in result.blocks], note_path)
                image = _figure_markdown(plugin, note_path) if block_result.figures else None
                text = render_block(block_result, indent, traceback=tb, image=image)
                return text.split("\n")
        return None

    return render


def _figure_markdown(plugin, note_path: str):
    """Markdown image for an automatically captured figure, linked to its published file.

    The fence's rendering is not converted again, so an Obsidian embed (`![[x.png]]`) would
    reach the page as literal text; a plain Markdown image with the page-relative URL does not.
    """
    register_generated(plugin)

    def image(name: str) -> str:
        virtual = f"{GENERATED_DIR}/{name}"
        if virtual not in plugin.index.generated:
            return f"![[{name}]]"  # a vault file of that name wins; the converter reports it
        alt = re.sub(r"([\\\[\]])", r"\\\1", name)
        return f"![{alt}](<{relative_path(note_path, virtual)}>)"  # MkDocs makes it a URL

    return image


def _report(plugin, note_path: str, block_result) -> None:
    key = f"{note_path}:{block_result.block.line}"
    if key in plugin._snippet_reported:
        return
    plugin._snippet_reported.add(key)
    if block_result.error and block_result.status != "skipped":
        line = block_result.error_line or block_result.block.line
        plugin._warn(note_path, line, block_result.error)
    for line, message in block_result.warning_messages():
        plugin._warn(note_path, line, message)


def register_generated(plugin) -> bool:
    """Publish every generated file once; True if any new name became resolvable."""
    if plugin._generated_done:
        return False
    plugin._generated_done = True
    engine = plugin.engine
    engine.wait_all()
    from mkdocs.structure.files import File

    names = {posixpath.basename(p) for p in plugin.index.paths} | set(plugin.index.paths)
    for message in engine.asset_clashes(names):
        path, line, rest = re.match(r"^(.*):(\d+): (.*)$", message).groups()
        plugin._warn(path, int(line), rest)
    added = False
    for name, real in sorted(engine.generated().items()):
        if name in names or posixpath.basename(name) in names:
            continue  # the user's own file wins (reported above)
        virtual = f"{GENERATED_DIR}/{name}"
        plugin.index.add_generated(virtual, str(real))
        plugin.files.append(File.generated(plugin._config, virtual, abs_src_path=str(real)))
        added = True
    return added


_LOCATED = re.compile(r"^(.*?):(\d+): (.*)$", re.S)


def finish(plugin) -> None:
    engine = plugin.engine
    engine.wait_all()
    for message in engine.warnings():
        located = _LOCATED.match(message)
        if located:
            path, line, rest = located.groups()
            plugin._warn(path, int(line), rest)
        else:
            from .plugin import log
            log.warning(message)
    from .plugin import log
    log.info(engine.summary().removeprefix("mathvault: "))
