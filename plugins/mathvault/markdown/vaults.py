"""The vault index the extension converts against: built once, reused while files are
unchanged.

An engine such as Zensical makes a fresh `Markdown` (and so a fresh extension) for every
page, so the index cannot live on the extension: it lives here, one per vault folder, for
the life of the process. That is this door's only process-wide state, guarded by a lock
(an engine may render pages from several threads). Before a page is converted the vault's
files are stat-ed again at most once per `RECHECK_SECONDS`; unchanged stamps reuse the
index as it is, changed ones build a new index that re-reads only the changed notes
(`VaultIndex(reuse=...)`, as `mkdocs serve` rebuilds do).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..vault.files import walk_vault
from ..vault.index import VaultIndex

RECHECK_SECONDS = 1.0


@dataclass
class OpenVault:
    root: Path
    index: VaultIndex
    stamps: dict[str, tuple[int, int]]
    checked: float  # time.monotonic() of the last look at the files
    builds: int = 1  # indexes built for this folder (tests read it)
    lock: threading.RLock = field(default_factory=threading.RLock)  # one page at a time
    reported: set[str] = field(default_factory=set)  # problems logged (each once)
    fences: dict | None = None  # `mathvault prepare`'s rendered exec fences, once read


_LOCK = threading.Lock()
_OPEN: dict[Path, OpenVault] = {}


def open_vault(root: Path | str, now: float | None = None) -> OpenVault:
    """The vault at `root`, its index current (re-checked at most once a second)."""
    root = Path(root).resolve()
    now = time.monotonic() if now is None else now
    with _LOCK:
        found = _OPEN.get(root)
        if found is not None and now - found.checked < RECHECK_SECONDS:
            return found
        paths, _skipped = walk_vault(root)
        stamps = {p: _stamp(root, p) for p in paths}
        if found is not None and stamps == found.stamps:
            found.checked = now
            return found
        reuse = found.index.reuse if found is not None else {}
        index = VaultIndex(
            paths, lambda p: (root / p).read_bytes(), lambda p: _stamp(root, p), reuse
        )
        index.scan_all(found.index if found is not None else None)
        opened = OpenVault(root, index, stamps, now, builds=(found.builds + 1 if found else 1))
        _OPEN[root] = opened
        return opened


def _stamp(root: Path, path: str) -> tuple[int, int]:
    st = os.stat(root / path)
    return (st.st_mtime_ns, st.st_size)


def forget_all() -> None:
    """Drop every open vault (tests)."""
    with _LOCK:
        _OPEN.clear()
