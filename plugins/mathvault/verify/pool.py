"""Runs the formula checker for a build or a `mathvault check`: in worker processes,
verdicts stored on disk.

Each note is checked in a separate process (SymPy can spin for a long time on a hard
claim); verdicts are stored under the cache folder, keyed by a hash of the note's text,
the checker's version, SymPy's version and the time limit, so a rebuild with nothing
changed checks nothing. Nothing here imports MkDocs.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import hashlib
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from .version import VERIFIER_VERSION


def _die_with_parent() -> None:
    """Worker initializer: if the build is killed (even with SIGKILL), its checker workers
    go too. Linux prctl(PR_SET_PDEATHSIG); elsewhere the pool's own shutdown must do."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before we got here
            os._exit(0)
    except (OSError, AttributeError):
        pass


def _warm() -> None:
    """Import SymPy (the slow part of a first check) and run the checker once."""
    _check("$x = x$", "warm-up.md", 1.0)


def _check(text: str, path: str, limit: float) -> list[dict]:
    from . import check_note

    return [asdict(c) for c in check_note(text, path=path, time_limit=limit)]


class Checker:
    """Formula checks of one build."""

    def __init__(
        self, cache_dir: Path, jobs: int, limit: float, pool: cf.ProcessPoolExecutor | None = None
    ):
        self.cache_dir = cache_dir
        self.limit = limit
        self.salt = f"{VERIFIER_VERSION}|sympy {version('sympy')}|{limit}"
        self.jobs = jobs
        self.pool = pool  # warm workers (sympy imported) survive `mkdocs serve` rebuilds
        self.pending: dict[str, cf.Future] = {}
        self.results: dict[str, list[dict]] = {}
        self.keys: dict[str, str] = {}
        self.cached = 0
        self.started = time.monotonic()

    def submit(self, path: str, text: str) -> None:
        if "$" not in text:
            self.results[path] = []
            return
        key = hashlib.sha256(f"{self.salt}\0{text}".encode()).hexdigest()
        self.keys[path] = key
        try:
            self.results[path] = json.loads((self.cache_dir / f"{key}.json").read_text("utf-8"))
            self.cached += 1
            return
        except (OSError, ValueError):
            pass
        self.pending[path] = self._pool().submit(_check, text, path, self.limit)

    def _pool(self) -> cf.ProcessPoolExecutor:
        if self.pool is None:
            self.pool = cf.ProcessPoolExecutor(
                self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_die_with_parent,
            )
        return self.pool

    def warm_up(self) -> None:
        """`mkdocs serve`: start the workers and import SymPy now, while the user reads,
        so the first edit does not wait for it."""
        if self.pool is None:
            pool = self._pool()
            for _ in range(self.jobs):
                pool.submit(_warm)

    def claims(self, path: str) -> list[dict]:
        if path in self.results:
            return self.results[path]
        future = self.pending.pop(path, None)
        if future is None:
            return []
        try:
            claims = future.result(timeout=max(120.0, self.limit * 40))
        except Exception as exc:  # a crashed or hung worker: nothing is claimed about the note
            claims = [
                {
                    "line": 1,
                    "latex": "",
                    "verdict": "skipped",
                    "counterexample": None,
                    "reason": f"the formula checker failed on this note ({type(exc).__name__})",
                }
            ]
            if isinstance(exc, (cf.TimeoutError, cf.process.BrokenProcessPool)):
                self._kill_pool()
        else:
            self._save(path, claims)
        self.results[path] = claims
        return claims

    def _save(self, path: str, claims: list[dict]) -> None:
        key = self.keys.get(path)
        if key is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_dir / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(claims, ensure_ascii=False), "utf-8")
        os.replace(tmp, self.cache_dir / f"{key}.json")

    def _kill_pool(self) -> None:
        if self.pool is None:
            return
        procs = list(getattr(self.pool, "_processes", {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            proc.kill()
        self.pool = None
        for future in list(self.pending.values()):
            future.cancel()

    def summary(self) -> str:
        for path in list(self.pending):
            self.claims(path)
        counts = {"verified": 0, "refuted": 0, "skipped": 0, "definition": 0}
        notes = 0
        timed_out: list[str] = []  # claims stopped by the per-claim or per-note time box
        for path, claims in self.results.items():
            notes += bool(claims)
            for claim in claims:
                counts[claim["verdict"]] = counts.get(claim["verdict"], 0) + 1
                why = claim.get("reason", "")
                if claim.get("method") == "timeout" or "time limit" in why or "time budget" in why:
                    timed_out.append(f"{path}:{claim['line']}")
        total = sum(counts.values())
        seconds = time.monotonic() - self.started
        boxed = ""
        if timed_out:
            shown = ", ".join(timed_out[:5]) + (" ..." if len(timed_out) > 5 else "")
            boxed = f"; {len(timed_out)} hit the time box ({shown})"
        return (
            f"{total} formulas in {notes} notes: {counts['verified']} verified, "
            f"{counts['refuted']} refuted, {counts['skipped']} skipped, "
            f"{counts['definition']} definitions "
            f"({self.cached} notes cached, {seconds:.1f} s){boxed}"
        )

    def close(self) -> None:
        self._kill_pool()


def start_checks(
    old: Checker | None,
    cache_dir: Path,
    jobs: int,
    limit: float,
    notes: dict[str, str],
    unchanged: Callable[[str], bool],
) -> Checker:
    """A checker for this build with every note submitted. `notes` maps vault path to
    the note's text; `mkdocs serve` passes the last build's checker as `old`: its warm
    workers are kept, and the verdicts of notes for which `unchanged(path)` holds too."""
    pool = None
    if old is not None:
        for future in old.pending.values():
            future.cancel()
        pool, old.pool = old.pool, None
    checker = Checker(cache_dir, jobs, limit, pool)
    for path, text in notes.items():
        if old is not None and old.salt == checker.salt and unchanged(path) and path in old.results:
            checker.results[path] = old.results[path]  # `mkdocs serve`: the note did not change
            checker.cached += 1
            continue
        checker.submit(path, text)
    return checker
