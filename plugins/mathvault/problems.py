"""A problem found in a vault, as data: where it is, what is wrong, what to do.

Every core package returns problems as `Problem` values; each front door decides how to
show them (the MkDocs plugin logs a WARNING with the vault folder in front, the CLI prints
them). Nothing formats `"path:line: message"` only to parse it back.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """`path` is vault-relative (None: not about one note); `line` is 1-based (None: the
    whole note); `message` says what is wrong, then what to do."""

    path: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"
