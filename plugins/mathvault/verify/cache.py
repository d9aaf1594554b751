"""A content-addressed store of verdicts.

Keys are hashes of everything that determines a verdict (verifier and SymPy
versions, both resolved sides, the parse notes, the time limit), so a hit is
always safe to reuse.  The cache is a plain dict that can be saved as JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from .decide import Verdict


class VerdictCache:
    """Verdicts by key, optionally persisted to ``path``."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else None
        self._data: dict[str, tuple[str, str, str | None, str]] = {}
        self.hits = 0
        self.misses = 0
        if self.path is not None and self.path.exists():
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self._data = {k: (v[0], v[1], v[2], v[3] if len(v) > 3 else "") for k, v in raw.items()}

    def get(self, key: str) -> Verdict | None:
        hit = self._data.get(key)
        if hit is None:
            self.misses += 1
            return None
        self.hits += 1
        return Verdict(*hit)

    def put(self, key: str, verdict: Verdict) -> None:
        self._data[key] = (verdict.verdict, verdict.reason, verdict.counterexample, verdict.method)

    def __len__(self) -> int:
        return len(self._data)

    def save(self) -> None:
        """Write the cache to ``path`` (an error is raised, never swallowed)."""
        if self.path is None:
            raise ValueError("this cache has no path")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self._data, ensure_ascii=False), encoding="utf-8")
