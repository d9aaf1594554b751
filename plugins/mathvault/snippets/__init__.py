"""Executable notes: run ```` ```python exec ```` fences at build time.

A note's exec blocks run in order in one namespace (like a notebook), in a worker
process outside MkDocs with a scratch working directory, a per-block timeout, a
memory limit and capped output. Figures left open are saved automatically; every
file a snippet writes becomes a generated asset. Results are cached on disk by
the code, the vault files it read and the library versions.

Nothing here imports MkDocs; ``plugin.py`` wires it in.
"""

from .blocks import Block, BlockOptions, find_blocks
from .engine import SnippetEngine
from .render import render_block
from .results import BlockResult, NoteResult, format_traceback

__all__ = [
    "Block",
    "BlockOptions",
    "BlockResult",
    "NoteResult",
    "SnippetEngine",
    "find_blocks",
    "format_traceback",
    "render_block",
]
