"""Content-addressed cache of note results and their generated files.

Layout under the cache dir::

    entries/ab/<key>.json    one note's block results, files and input hashes
    blobs/cd/<sha256>.<ext>  generated files, named by content

Only the build process writes here: snippets run walled off from this folder
(Landlock, see ``sandbox.py``). An entry is checked on load: it must name its
own key and note, generated names must be relative paths, every file must be a
blob of this cache whose content matches its hash; otherwise it is dropped with
a warning and the note reruns.

The key hashes what determines a run: the note's path, every exec block's code
and timeout (in order), the memory limit, the cache format and the versions of
Python, numpy, matplotlib and sympy. Prose is not part of it. An entry is only
used while every vault file the snippets read still has the recorded hash.
Every write goes to a temporary file first and is moved in with ``os.replace``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from .blocks import Block
from .results import BlockResult, NoteResult

CACHE_FORMAT = 3  # 3: figures drawn for light and dark pages (fonts.BOTH_SCHEMES)
CACHED_STATUSES = ("ok", "error")  # timeouts and crashes may be transient: rerun them


def environment_fingerprint() -> dict[str, str]:
    """Interpreter and library versions that can change a snippet's result."""
    found = {"python": sys.version, "format": str(CACHE_FORMAT)}
    for dist in ("numpy", "matplotlib", "sympy"):
        try:
            found[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[dist] = "missing"
    return found


def file_sha256(path: Path) -> str | None:
    """Hex sha256 of a file's bytes, None if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


_BLOB = re.compile(r"blobs/([0-9a-f]{2})/\1[0-9a-f]{62}(\.[a-z0-9]{1,16})?")


def _safe_name(name: object) -> bool:
    """A relative posix path with no ``..``, no backslash, no control characters."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name:
        return False
    parts = name.split("/")
    return all(p not in ("", ".", "..") for p in parts) and name.isprintable()


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


class SnippetCache:
    """Load and store :class:`NoteResult` entries; ``warn`` receives cache problems."""

    def __init__(self, root: Path, warn: Callable[[str, str], None]) -> None:
        self.root = Path(root)
        self.warn = warn
        self.fingerprint = environment_fingerprint()

    def key(self, note_path: str, blocks: list[Block], timeout: float, memory_mb: int) -> str:
        """sha256 over everything that decides what the note's snippets do."""
        material = {
            "note": note_path,
            "env": self.fingerprint,
            "memory_mb": memory_mb,
            "blocks": [[b.code, b.options.timeout or timeout, b.problem] for b in blocks],
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    def _entry_path(self, key: str) -> Path:
        return self.root / "entries" / key[:2] / f"{key}.json"

    def load(self, key: str, note_path: str, blocks: list[Block], vault: Path) -> NoteResult | None:
        """The cached result if present and its vault inputs are unchanged, else None."""
        path = self._entry_path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            self.warn(f"ignoring unreadable snippet cache entry {path}: {exc}", note_path)
            return None
        try:
            if data["key"] != key or data["note"] != note_path:
                raise ValueError("it belongs to another note")
            for rel, digest in data["inputs"].items():
                if not _safe_name(rel):
                    raise ValueError(f"input path {rel!r} is not inside the vault")
                if file_sha256(vault / rel) != digest:
                    return None
            files = {}
            for name, rel in data["files"].items():
                if not _safe_name(name):
                    raise ValueError(f"generated file name {name!r} is not a relative path")
                if not isinstance(rel, str) or not _BLOB.fullmatch(rel):
                    raise ValueError(f"{rel!r} is not a blob of this cache")
                blob = self.root / rel
                if not blob.is_file() or blob.is_symlink():
                    return None
                if file_sha256(blob) != rel.split("/")[-1].split(".")[0]:
                    raise ValueError(f"blob {rel} does not match its hash")
                files[name] = blob
            results = [BlockResult.from_json(b, d) for b, d in zip(blocks, data["blocks"])]
            if len(results) != len(blocks):
                raise ValueError("block count differs")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.warn(f"dropped a bad snippet cache entry {path}: {exc}; rerunning", note_path)
            return None
        return NoteResult(note_path, results, cached=True, files=files)

    def store_blob(self, source: Path) -> Path:
        """Copy a generated file into ``blobs/`` under its content hash; return its path."""
        digest = file_sha256(source)
        if digest is None:
            raise OSError(f"cannot read generated file {source}")
        suffix = source.suffix.lower()
        if not re.fullmatch(r"\.[a-z0-9]{1,16}", suffix):
            suffix = ""
        target = self.root / "blobs" / digest[:2] / (digest + suffix)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            os.close(fd)
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        return target

    def store(self, key: str, result: NoteResult, inputs: dict[str, str | None]) -> None:
        """Save a result whose blocks all finished (ok or error) with its input hashes."""
        if not all(b.status in CACHED_STATUSES or b.status == "skipped" for b in result.blocks):
            return
        entry: dict[str, Any] = {
            "key": key,
            "note": result.note_path,
            "blocks": [b.to_json() for b in result.blocks],
            "files": {n: p.relative_to(self.root).as_posix() for n, p in result.files.items()},
            "inputs": inputs,
        }
        try:
            _atomic_write(self._entry_path(key), json.dumps(entry, indent=1).encode())
        except OSError as exc:
            self.warn(f"could not write snippet cache entry: {exc}", result.note_path)
