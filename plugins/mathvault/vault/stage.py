"""A staged copy of a vault: what an engine that reads the docs folder itself (Zensical)
builds from, so the vault the user keeps in Obsidian is never written.

`stage(vault, out, extra)` makes `out` hold every publishable file of the vault (as
`files.walk_vault` chooses them), notes with their frontmatter normalised
(`properties.normalised_text`: same lines, so problems name the vault's lines), plus the
`extra` files (generated figures, MathJax, rendered snippets). It is a sync, not a copy:
a file whose bytes are already there is not touched (its mtime stays, so the engine's own
cache holds), files no longer wanted are removed. `out` must not overlap the vault, and a
non-empty `out` must carry the `STAMP` file of an earlier stage: a folder of the user's is
never emptied.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .files import walk_vault
from .properties import normalised_text
from .source import decode_note

STAMP = ".mathvault-staged"  # marks a folder `stage` made (a dot file: never published)


class StageError(ValueError):
    """`out` cannot be a staging folder (overlaps the vault, or holds the user's files)."""


@dataclass
class Staged:
    written: list[str] = field(default_factory=list)  # paths (re)written this time
    removed: list[str] = field(default_factory=list)  # stale paths removed
    normalised: list[str] = field(default_factory=list)  # notes whose frontmatter was fixed
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why) not published


def stage(vault: Path, out: Path, extra: dict[str, Path | bytes] | None = None) -> Staged:
    """Sync `out` to the vault's publishable files plus `extra` (path -> file or bytes)."""
    vault, out = Path(vault).resolve(), Path(out).resolve()
    if out == vault or vault in out.parents or out in vault.parents:
        raise StageError(f"{out}: the staging folder must not overlap the vault {vault}")
    if out.exists() and any(out.iterdir()) and not (out / STAMP).exists():
        raise StageError(f"{out}: not empty and not made by `mathvault prepare`; not touched")
    out.mkdir(parents=True, exist_ok=True)
    (out / STAMP).write_text("made by `mathvault prepare`; rewritten on every run\n")
    paths, skipped = walk_vault(vault)
    report = Staged(skipped=skipped)
    wanted: dict[str, Path | bytes] = {}
    for path in paths:
        source = vault / path
        if path.lower().endswith(".md"):
            raw = source.read_bytes()
            text = decode_note(raw).text
            fixed = normalised_text(text)
            if fixed != text:
                report.normalised.append(path)
                wanted[path] = fixed.encode("utf-8")
                continue
        wanted[path] = source
    for path, content in (extra or {}).items():
        if path in wanted:
            continue  # the vault's own file wins
        wanted[path] = content
    for path, content in sorted(wanted.items()):
        if _sync(out / path, content):
            report.written.append(path)
    for folder, dirs, names in os.walk(out, topdown=False):
        for name in names:
            rel = (Path(folder) / name).relative_to(out).as_posix()
            if rel != STAMP and rel not in wanted:
                (Path(folder) / name).unlink()
                report.removed.append(rel)
        for d in dirs:
            try:
                (Path(folder) / d).rmdir()  # only empty ones
            except OSError:
                pass
    return report


def _sync(dest: Path, content: Path | bytes) -> bool:
    """Make `dest` hold `content`; False when it already did."""
    data = content if isinstance(content, bytes) else None
    try:
        have = dest.stat()
        if data is not None:
            if have.st_size == len(data) and dest.read_bytes() == data:
                return False
        else:
            want = Path(content).stat()
            if have.st_size == want.st_size and have.st_mtime_ns == want.st_mtime_ns:
                return False
    except OSError:
        pass
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_symlink():
        dest.unlink()
    if data is not None:
        dest.write_bytes(data)
    else:
        shutil.copy2(content, dest)
    return True
