"""The plugin's settings (`plugins: - mathvault: ...` in mkdocs.yml), typed and checked
when MkDocs loads the config: a bad value stops `mkdocs build` at once, with the option's
name, before any note is read.

The defaults the command line shares live in `mathvault.settings`.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .. import settings
from ..snippets.engine import DEFAULT_MAX_PROCESSES
from ..vault import convert
from .site_assets import macros_problem


class Positive(c.Type):
    """A number (int or float, or only `int`) that must be greater than zero."""

    def __init__(self, kind: type | tuple[type, ...] = (int, float), default: Any = None) -> None:
        super().__init__(kind, default=default)

    def run_validation(self, value: object) -> Any:
        if isinstance(value, bool):
            raise base.ValidationError(f"expected a positive number, not {value!r}")
        value = super().run_validation(value)
        problem = settings.positive_problem("the value", value)
        if problem:
            raise base.ValidationError(f"{problem}")
        return value


class EnvName(c.Type):
    """A variable name for `env:` (letters, digits, `_`; not starting with a digit)."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> Any:
        value = super().run_validation(value)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
            raise base.ValidationError(
                f"{value!r} is not an environment variable name (letters, digits and _)"
            )
        return value


class Macros(c.Type):
    """`mathjax_macros`: TeX control word (without backslash) -> definition."""

    def __init__(self, default: Any = None) -> None:
        super().__init__(dict, default=default)

    def run_validation(self, value: object) -> Any:
        value = super().run_validation(value)
        problem = macros_problem(value)
        if problem:
            raise base.ValidationError(problem.removeprefix("mathjax_macros: "))
        return value


class MathvaultConfig(base.Config):
    """The `mathvault:` block of mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (the vault is then built as plain Markdown)."""
    execute = c.Type(bool, default=True)
    """Run `python exec` snippets. Set false to build a vault you do not trust."""
    verify = c.Type(bool, default=True)
    """Check worked formulas with SymPy."""
    timeout = Positive(default=settings.SNIPPET_TIMEOUT)
    """Seconds a note's snippet block may run before it is stopped."""
    memory_mb = Positive(int, default=settings.SNIPPET_MEMORY_MB)
    """Address-space limit of a snippet worker, in MiB."""
    max_processes = Positive(int, default=DEFAULT_MAX_PROCESSES)
    """Processes one note's snippets may have at once (pids cgroup or RLIMIT_NPROC)."""
    env = c.ListOfItems(EnvName(), default=[])
    """Names of build environment variables snippets may see (none by default)."""
    jobs = c.Optional(Positive(int))
    """Worker processes for snippets and checks (default: CPU count)."""
    check_time_limit = Positive(default=settings.CHECK_TIME_LIMIT)
    """Seconds the formula checker may spend on one claim."""
    refuted = c.Choice(("warn", "error"), default="warn")
    """A refuted formula warns (fails `--strict`) or always fails the build."""
    checks_page = c.Type(bool, default=True)
    """Add the "Formula checks" page (`formula-checks/`): every verdict, grouped by note."""
    backlinks = c.Type(bool, default=True)
    """Show "linked mentions" at the bottom of every note."""
    graph = c.Type(bool, default=True)
    """Show the local graph (the note, its links and backlinks) under every note."""
    graph_depth = c.Choice((1, 2), default=1)
    """1: the local graph shows the note's neighbours; 2: their neighbours too."""
    graph_page = c.Type(bool, default=True)
    """Add the "Graph" page (`graph/`): every note and link of the vault."""
    search_subwords = c.Type(bool, default=True)
    """Korean search finds words inside compounds (`미분` finds `편미분`), ranked lower."""
    tags_page = c.Type(bool, default=True)
    """Add a tags index page when Material's tags plugin is enabled."""
    auto_prune = c.Type(bool, default=True)
    """Turn on Material's navigation.prune for large vaults (linear build time)."""
    prune_threshold = c.Type(int, default=settings.PRUNE_THRESHOLD)
    """Number of notes above which auto_prune applies."""
    mathjax_macros = Macros(default={})
    """TeX macros for MathJax, name (without backslash) -> definition."""
    native_watch = c.Type(bool, default=True)
    """`mkdocs serve` on Linux: watch the vault with inotify, not MkDocs' polling, and
    ignore hidden folders such as `.obsidian/` (local file systems only)."""
    embed_limit = c.Type(int, default=convert.EMBED_LIMIT)
    """Note embeds one page may expand, nested ones included; past it they are links."""
    embed_chars_limit = c.Type(int, default=convert.EMBED_CHARS_LIMIT)
    """Characters of embedded notes one page may show; past it embeds are links."""
    cache_dir = c.Type(str, default=settings.CACHE_DIR)
    """Cache folder, relative to mkdocs.yml."""
