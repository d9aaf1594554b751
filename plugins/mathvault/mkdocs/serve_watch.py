"""Notice a saved note at once under `mkdocs serve`, and only a note.

MkDocs 1.x watches the docs folder with watchdog's *polling* observer: every 0.5 s it
lists and stats every file of the vault, so a save is noticed 0.25 s later on average
(more CPU the larger the vault), and every write Obsidian makes to `.obsidian/`
(workspace layout, plugin data: several per minute while the app is open) starts a full
rebuild although nothing published changed.

Where the kernel can tell us (Linux inotify, on a local file system) the vault is watched
with a native observer instead, and changes under hidden folders (never published) are
ignored. Anything else (network or FUSE mounts, WSL's Windows drives, other systems, an
unexpected MkDocs) keeps MkDocs' own polling: a missed save would be worse than a slow one.

This module touches two private attributes of MkDocs' LiveReloadServer (`_rebuild_cond`,
`_want_rebuild`); MkDocs 1.x is final (2.0 drops plugins), so they will not move.
"""

from __future__ import annotations

import os
import sys
from typing import Any

# File systems whose changes inotify reports reliably (local block devices and RAM).
LOCAL_FS = frozenset(
    {
        "ext2",
        "ext3",
        "ext4",
        "xfs",
        "btrfs",
        "tmpfs",
        "overlay",
        "zfs",
        "f2fs",
        "reiserfs",
        "jfs",
        "bcachefs",
        "nilfs2",
    }
)
# What a save can look like; reads (opened, closed_no_write) must not trigger a rebuild,
# or the build's own reading of the notes would start the next one.
CHANGE_EVENTS = frozenset({"created", "modified", "moved", "deleted", "closed"})


def filesystem_type(path: str, mounts: str = "/proc/self/mounts") -> str | None:
    """The type of the file system `path` lives on (Linux), or None when unknown."""
    try:
        with open(mounts, encoding="utf-8", errors="replace") as fh:
            table = [line.split() for line in fh]
    except OSError:
        return None
    real = os.path.realpath(path)
    best, kind = "", None
    for fields in table:
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def is_published_change(docs_dir: str, event: Any) -> bool:
    """A change a build could publish: a file event of a writing kind, on a path with no
    hidden (`.`) part below the docs folder (one end of a move is enough)."""
    if event.is_directory or event.event_type not in CHANGE_EVENTS:
        return False
    for path in (event.src_path, getattr(event, "dest_path", "")):
        if not path:
            continue
        rel = os.path.relpath(os.fsdecode(path), docs_dir)
        if rel.startswith(".."):
            continue
        if not any(part.startswith(".") for part in rel.split(os.sep)):
            return True
    return False


def use_native_watch(server: Any, docs_dir: str, log: Any) -> Any | None:
    """Replace MkDocs' polling of `docs_dir` with an inotify observer when that is safe.
    Returns the started observer (stop it on shutdown), or None when polling stays."""
    if not sys.platform.startswith("linux"):
        return None
    kind = filesystem_type(docs_dir)
    if kind not in LOCAL_FS:
        log.info(f"serve: {docs_dir} is on a '{kind}' file system; MkDocs' polling watch kept")
        return None
    if not all(
        hasattr(server, a) for a in ("_rebuild_cond", "_want_rebuild", "unwatch", "_watched_paths")
    ):
        return None
    docs_dir = os.path.abspath(docs_dir)
    if docs_dir not in server._watched_paths:
        return None
    try:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:
        return None

    def on_any_event(event: Any) -> None:
        if is_published_change(docs_dir, event):
            with server._rebuild_cond:
                server._want_rebuild = True
                server._rebuild_cond.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = on_any_event  # type: ignore[method-assign]
    observer = InotifyObserver()
    try:
        observer.schedule(handler, docs_dir, recursive=True)
        observer.start()
    except Exception as exc:  # e.g. OSError: the inotify watch limit (raised here, by start())
        log.info(f"serve: native file watching unavailable ({exc}); MkDocs' polling watch kept")
        return None
    server.unwatch(docs_dir)
    log.info(
        "serve: watching the vault with inotify (saves noticed at once; hidden folders such as "
        ".obsidian/ ignored)"
    )
    return observer
