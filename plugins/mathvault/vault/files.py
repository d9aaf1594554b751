"""Which files of a vault folder may be published, decided without following anything out.

Obsidian keeps settings in `.obsidian/` and users keep `.trash/`, `.git/`: dot files and
folders are never part of the site. A symlink may point anywhere, so every path is
resolved and must stay inside the vault; pipes and devices are never opened (reading a
FIFO would hang the build).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def unsafe_reason(path: Path, root: Path, real_dirs: dict[str, str] | None = None) -> str | None:
    """Why `path` must not be published, or None. `root` must already be resolved.

    `real_dirs` (folder -> its real path) lets the files of one folder share the work:
    a file that is not itself a symlink is where its folder really is."""
    if real_dirs is not None:
        try:
            st = os.lstat(path)
        except OSError:
            return "file disappeared during the build"
        if not stat.S_ISLNK(st.st_mode):
            folder = os.path.dirname(path)
            real_dir = real_dirs.get(folder)
            if real_dir is None:
                real_dir = real_dirs[folder] = os.path.realpath(folder)
            top = str(root)
            if real_dir != top and not real_dir.startswith(top.rstrip(os.sep) + os.sep):
                return "symlink to a file outside the vault"
            if not stat.S_ISREG(st.st_mode):
                return "not a regular file (pipe, device or socket)"
            return None
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        if not os.path.lexists(path):
            return "file disappeared during the build"
        return "broken or looping symlink"
    if real != root and root not in real.parents:
        return "symlink to a file outside the vault"
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        return f"cannot read it ({exc.strerror})"
    if not stat.S_ISREG(mode):
        return "not a regular file (pipe, device or socket)"
    return None


def walk_vault(root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """Vault-relative POSIX paths of publishable files, and (path, reason) of skipped ones."""
    root = Path(root).resolve()
    paths: list[str] = []
    skipped: list[tuple[str, str]] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder)
        for d in list(dirs):
            if (base / d).is_symlink():
                dirs.remove(d)
                rel = (base / d).relative_to(root).as_posix()
                reason = unsafe_reason(base / d, root)
                skipped.append((rel, reason or "symlinked folder (not followed)"))
        for name in sorted(names):
            if name.startswith("."):
                continue
            full = base / name
            rel = full.relative_to(root).as_posix()
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                skipped.append(
                    (rel.encode("utf-8", "replace").decode(), "file name is not valid UTF-8")
                )
                continue
            reason = unsafe_reason(full, root)
            if reason:
                skipped.append((rel, reason))
            else:
                paths.append(rel)
    return paths, skipped
