"""Connects the snippet engine (snippets/) to one build: submit, render fences, publish figures.

Kept apart from plugin.py so the adapter stays short. Everything it needs comes in as
arguments (the index, a callback that adds a generated file to the site) and everything
it finds goes out as values (`Problem`s, the summary line); it imports no MkDocs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from ..problems import Problem
from ..snippets import SnippetEngine, render_block
from ..snippets.engine import DEFAULT_MAX_PROCESSES
from ..snippets.results import BlockResult, format_traceback
from ..vault.convert import relative_path
from ..vault.index import VaultIndex

GENERATED_DIR = "_mathvault/generated"


class BuildSnippets:
    """The snippets of one build: the engine running them and what was shown of them."""

    def __init__(
        self, engine: SnippetEngine, index: VaultIndex, add_file: Callable[[str, str], None]
    ) -> None:
        self.engine = engine
        self.index = index
        self.add_file = add_file  # publishes a generated file: (site path, real file)
        self.published = False  # generated files handed to the site (once per build)
        self.reported: set[tuple[str, int]] = set()  # (note, fence line) already reported
        self.problems: list[Problem] = []  # found while rendering; the plugin takes them

    @classmethod
    def start(
        cls,
        old: BuildSnippets | None,
        index: VaultIndex,
        docs_dir: Path,
        cache_dir: Path,
        add_file: Callable[[str, str], None],
        *,
        jobs: int | None,
        timeout: float,
        memory_mb: int,
        enabled: bool,
        max_processes: int = DEFAULT_MAX_PROCESSES,
        env: Mapping[str, str] | None = None,
    ) -> BuildSnippets:
        """A fresh engine for this build (the disk cache makes unchanged notes free).
        `env`: the variables snippets may see, with their values (the `env:` allow-list
        looked up in the build's environment by the caller)."""
        if old is not None:
            old.close()
        engine = SnippetEngine(
            docs_dir,
            cache_dir,
            jobs=jobs,
            timeout=timeout,
            memory_mb=memory_mb,
            enabled=enabled,
            max_processes=max_processes,
            env=dict(env or {}),
        )
        for path in index.note_paths:
            note = index.note(path)
            if "exec" in note.text:
                engine.submit(path, note.text)
        return cls(engine, index, add_file)

    def render_fence(
        self, note_path: str, line: int, fence: list[str], indent: str
    ) -> list[str] | None:
        """The converter's `render_fence`: an exec fence becomes its rendered result."""
        info = fence[0].strip().lstrip("`~").split()
        if len(info) < 2 or info[0] != "python" or "exec" not in info[1:]:
            return None
        result = self.engine.result(note_path)
        if result is None:
            return None
        for block_result in result.blocks:
            if block_result.block.line == line:
                self._report(note_path, block_result)
                tb = format_traceback(block_result, [b.block for b in result.blocks], note_path)
                image = self._figure_markdown(note_path) if block_result.figures else None
                text = render_block(block_result, indent, traceback=tb, image=image)
                return text.split("\n")
        return None

    def _figure_markdown(self, note_path: str) -> Callable[[str], str]:
        """Markdown image for an automatically captured figure, linked to its published file.

        The fence's rendering is not converted again, so an Obsidian embed (`![[x.png]]`) would
        reach the page as literal text; a plain Markdown image with the page-relative URL does not.
        """
        self.publish()

        def image(name: str) -> str:
            virtual = f"{GENERATED_DIR}/{name}"
            if virtual not in self.index.generated:
                return f"![[{name}]]"  # a vault file of that name wins; the converter reports it
            alt = re.sub(r"([\\\[\]])", r"\\\1", name)
            return f"![{alt}](<{relative_path(note_path, virtual)}>)"  # MkDocs makes it a URL

        return image

    def _report(self, note_path: str, block_result: BlockResult) -> None:
        key = (note_path, block_result.block.line)
        if key in self.reported:
            return
        self.reported.add(key)
        if block_result.error and block_result.status != "skipped":
            line = block_result.error_line or block_result.block.line
            self.problems.append(Problem(note_path, line, block_result.error))
        for line, message in block_result.warning_messages():
            self.problems.append(Problem(note_path, line, message))

    def publish(self) -> bool:
        """Publish every generated file once, through `add_file(site path, real file)`;
        True if any new name became resolvable. Waits for every snippet."""
        if self.published:
            return False
        self.published = True
        self.engine.wait_all()
        names = {posixpath.basename(p) for p in self.index.paths} | set(self.index.paths)
        self.problems.extend(self.engine.asset_clashes(names))
        added = False
        for name, real in sorted(self.engine.generated().items()):
            if name in names or posixpath.basename(name) in names:
                continue  # the user's own file wins (reported above)
            virtual = f"{GENERATED_DIR}/{name}"
            self.index.add_generated(virtual, str(real))
            self.add_file(virtual, str(real))
            added = True
        return added

    def take_problems(self) -> list[Problem]:
        """The problems found so far, each handed out once."""
        problems, self.problems = self.problems, []
        return problems

    def finish(self) -> str:
        """Wait for every snippet; the engine's own problems join `take_problems()`.
        Returns the one-line summary."""
        self.engine.wait_all()
        self.problems.extend(self.engine.problems())
        return self.engine.summary().removeprefix("mathvault: ")

    def close(self) -> None:
        self.engine.close()
