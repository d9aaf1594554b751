"""Which file events start a `mkdocs serve` rebuild, and where inotify is trusted."""

from __future__ import annotations

import os
from pathlib import Path

from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from mathvault.mkdocs.serve_watch import filesystem_type, is_published_change

DOCS = "/vault"


def test_saves_count_reads_and_hidden_folders_do_not() -> None:
    assert is_published_change(DOCS, FileModifiedEvent("/vault/3. 미적분/note.md"))
    assert is_published_change(DOCS, FileCreatedEvent("/vault/new.md"))
    assert is_published_change(DOCS, FileDeletedEvent("/vault/img/x.png"))
    assert is_published_change(DOCS, FileClosedEvent("/vault/note.md"))
    # The build reading notes must not start the next build.
    assert not is_published_change(DOCS, FileOpenedEvent("/vault/note.md"))
    assert not is_published_change(DOCS, FileClosedNoWriteEvent("/vault/note.md"))
    assert not is_published_change(DOCS, DirModifiedEvent("/vault/sub"))
    # Obsidian's own state and other hidden folders are never published.
    assert not is_published_change(DOCS, FileModifiedEvent("/vault/.obsidian/workspace.json"))
    assert not is_published_change(DOCS, FileCreatedEvent("/vault/sub/.trash/old.md"))
    # An editor's save: a hidden temporary file renamed over the note.
    assert is_published_change(DOCS, FileMovedEvent("/vault/.note.md.swp", "/vault/note.md"))
    assert is_published_change(
        DOCS, FileMovedEvent("/vault/a.md", "/vault/.trash/a.md")
    )  # a note gone
    assert not is_published_change(DOCS, FileMovedEvent("/vault/.obsidian/a", "/vault/.obsidian/b"))
    assert is_published_change(DOCS, FileModifiedEvent(os.fsencode("/vault/bytes name.md")))


def test_filesystem_type_takes_the_longest_mount_point(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "overlay / overlay rw 0 0\n"
        "server:/export /mnt/nfs nfs4 rw 0 0\n"
        "drvfs /mnt/c 9p rw 0 0\n"
        "tmpfs /mnt/nfs/local\\040dir tmpfs rw 0 0\n",
        encoding="utf-8",
    )
    assert filesystem_type("/home/me/vault", str(mounts)) == "overlay"
    assert filesystem_type("/mnt/nfs/vault", str(mounts)) == "nfs4"
    assert filesystem_type("/mnt/c/Users/me/vault", str(mounts)) == "9p"
    assert filesystem_type("/mnt/nfs/local dir/vault", str(mounts)) == "tmpfs"
    assert filesystem_type("/mnt/cc", str(mounts)) == "overlay"  # not under /mnt/c
    assert filesystem_type("/x", str(tmp_path / "missing")) is None
