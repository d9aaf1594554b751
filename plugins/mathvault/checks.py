"""Runs the formula checker (verify/) for a build: in worker processes, cached on disk.

Each note is checked in a separate process (sympy can spin for a long time on a hard
claim); results are cached by the note's text and the checker's version, so a rebuild
with nothing changed checks nothing.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import html
import json
import multiprocessing
import os
import time
from dataclasses import asdict
from pathlib import Path


def _die_with_parent() -> None:
    """Worker initializer: if the build is killed (even with SIGKILL), its checker workers
    go too. Linux prctl(PR_SET_PDEATHSIG); elsewhere the pool's own shutdown must do."""
    try:
        import ctypes
        import signal

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
    from .verify import check_note
    return [asdict(c) for c in check_note(text, path=path, time_limit=limit)]


class Checker:
    """Formula checks of one build."""

    def __init__(self, cache_dir: Path, jobs: int, limit: float,
                 pool: cf.ProcessPoolExecutor | None = None):
        from importlib.metadata import version

        from .verify.version import VERIFIER_VERSION

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
            self.pool = cf.ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                               initializer=_die_with_parent)
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
            claims = [{"line": 1, "latex": "", "verdict": "skipped", "counterexample": None,
                       "reason": f"the formula checker failed on this note ({type(exc).__name__})"}]
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
        for path, future in list(self.pending.items()):
            future.cancel()

    def summary(self) -> str:
        for path in list(self.pending):
            self.claims(path)
        counts = {"verified": 0, "refuted": 0, "skipped": 0, "definition": 0}
        notes = 0
        for claims in self.results.values():
            notes += bool(claims)
            for claim in claims:
                counts[claim["verdict"]] = counts.get(claim["verdict"], 0) + 1
        total = sum(counts.values())
        seconds = time.monotonic() - self.started
        return (f"{total} formulas in {notes} notes: {counts['verified']} verified, "
                f"{counts['refuted']} refuted, {counts['skipped']} skipped, "
                f"{counts['definition']} definitions ({self.cached} notes cached, {seconds:.1f} s)")

    def close(self) -> None:
        self._kill_pool()


def start(plugin, old: Checker | None) -> Checker:
    pool = None
    if old is not None:
        for future in old.pending.values():
            future.cancel()
        pool, old.pool = old.pool, None
    checker = Checker(plugin.cache_dir / "checks", plugin.config.jobs or os.cpu_count() or 1,
                      float(plugin.config.check_time_limit), pool)
    reparsed = plugin.index.reparsed
    for path in plugin.index.note_paths:
        if old is not None and old.salt == checker.salt and path not in reparsed and path in old.results:
            checker.results[path] = old.results[path]  # `mkdocs serve`: the note did not change
            checker.cached += 1
            continue
        checker.submit(path, plugin.index.note(path).text)
    return checker


def page_report(plugin, path: str) -> str:
    """Warn about refuted claims; return the box listing every verdict for the page, as
    HTML (what admonition / details would make of it, without a Markdown pass): it is
    added after the search plugin read the page, like the backlinks."""
    claims = [c for c in plugin.checker.claims(path) if c["verdict"] != "definition"]
    if not claims:
        return ""
    refuted = [c for c in claims if c["verdict"] == "refuted"]
    for c in refuted:
        detail = f" ({c['counterexample']})" if c.get("counterexample") else ""
        message = f"formula refuted: {c['latex'].strip()}{detail}; fix the step or mark it %% verify: off %%"
        if plugin.config.refuted == "error":
            from mkdocs.exceptions import PluginError
            raise PluginError(f"{plugin.shown_prefix}{path}:{c['line']}: {message}")
        plugin._warn(path, c["line"], message)
    verified = sum(c["verdict"] == "verified" for c in claims)
    skipped = len(claims) - verified - len(refuted)
    title = f"Formula check: {verified} verified, {len(refuted)} refuted, {skipped} skipped"
    rows = []
    for c in claims:
        symbol = {"verified": "✔", "refuted": "✘", "skipped": "–"}.get(c["verdict"], "?")
        why = c.get("counterexample") or c.get("reason") or ""
        latex = html.escape(" ".join(c["latex"].split()))
        rows.append(f'<li>{symbol} line {c["line"]}: <code>{latex}</code> — {html.escape(why)}</li>')
    body = "<ul>\n" + "\n".join(rows) + "\n</ul>"
    if refuted:  # open, as a failure admonition
        return (f'<div class="admonition failure mathvault-checks">\n'
                f'<p class="admonition-title">{title}</p>\n{body}\n</div>\n')
    return f'<details class="success mathvault-checks">\n<summary>{title}</summary>\n{body}\n</details>\n'


def refuted_formulas(plugin, path: str, math_lines: list[tuple[str, int, int]]) -> dict[int, str]:
    """Formula number -> message, for the formulas of `path` holding a refuted claim."""
    flags: dict[int, str] = {}
    for c in plugin.checker.claims(path):
        if c["verdict"] != "refuted":
            continue
        for i, (note, first, last) in enumerate(math_lines):
            if note == path and first <= c["line"] <= last:
                flags[i] = f"line {c['line']}: refuted ({c.get('counterexample') or c['reason']})"
    return flags


def finish(plugin) -> None:
    from .plugin import log
    log.info(plugin.checker.summary())
