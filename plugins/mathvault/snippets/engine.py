"""SnippetEngine: run every note's exec blocks in a pool of workers, with a cache.

``submit`` looks a note up in the cache and, on a miss, queues it. One thread
per worker slot takes notes from the queue and drives its worker process block
by block, enforcing the per-block timeout from here (the worker cannot be
trusted to stop itself). A worker that hangs, crashes or exits is killed with
its whole session and replaced on the next note.
"""

from __future__ import annotations

import hashlib
import math
import os
import queue
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import Problem
from .blocks import Block, find_blocks
from .cache import SnippetCache, file_sha256
from .pool import SCRATCH_PREFIX, WorkerDied, WorkerProcess, sweep_leftovers
from .results import BlockResult, Frame, NoteResult, clean_text

MAX_ASSET_BYTES = 50 * 1024 * 1024
# names MkDocs would build as pages (a generated page crashes the build)
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
DEFAULT_MAX_PROCESSES = 64
LANDLOCK_ABI_VARIABLE = "MATHVAULT_LANDLOCK_ABI"  # e.g. 0: build as on a kernel without it


@dataclass
class _Job:
    note_path: str
    blocks: list[Block]
    key: str = ""
    done: threading.Event = field(default_factory=threading.Event)
    result: NoteResult | None = None

    def finish(self, result: NoteResult) -> None:
        self.result = result
        self.done.set()


def _walk_files(root: Path, skip: Path | None, *, hidden: bool) -> Iterator[tuple[str, Any]]:
    """(relative posix path, lstat) of every file under ``root``; dot-folders only if
    ``hidden``; symlinked folders are not followed, ``skip`` (the snippet cache) is left out."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = [
            d
            for d in dirs
            if (hidden or not d.startswith("."))
            and not os.path.islink(os.path.join(folder, d))
            and (skip is None or Path(folder, d) != skip)
        ]
        for name in files:
            full = os.path.join(folder, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            yield os.path.relpath(full, root).replace(os.sep, "/"), st


def _vault_state(root: Path, skip: Path | None) -> dict[str, tuple[int, ...]]:
    """Files of the vault (dot-folders skipped: a big ``.git`` would be walked twice per
    note) -> (size, mtime, ctime, inode): cheap, taken around every note to say which
    note changed what. The change time cannot be set back by a process (``utime`` sets
    it to now), so a same-size rewrite with the mtime restored shows here too.
    """
    return {
        rel: (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        for rel, st in _walk_files(root, skip, hidden=False)
    }


def vault_digests(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Files of the vault, dot-folders included (``.obsidian/plugins``, ``.git/hooks``
    are where a planted file does harm) -> sha256 of their bytes (a symlink: its target).

    Taken once before the first snippet runs and once after the last: what the
    kernel did not refuse and the per-note comparison did not see (dot-folders,
    clock games, a change after the note's check) shows as a different digest.
    """
    found = {}
    for rel, st in _walk_files(root, skip, hidden=True):
        full = root / rel
        if stat.S_ISLNK(st.st_mode):
            found[rel] = "symlink:" + os.readlink(full)
            continue
        if not stat.S_ISREG(st.st_mode):
            continue  # a fifo or socket has no content to compare (and could block)
        try:
            with open(full, "rb") as handle:
                found[rel] = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            found[rel] = f"unreadable: {exc.strerror}"
    return found


def describe_changes(before: Mapping[str, object], after: Mapping[str, object]) -> str:
    """``a.md (created), b.md (modified)``, or "" when nothing changed."""
    parts = [f"{p} (created)" for p in sorted(after.keys() - before.keys())]
    parts += [f"{p} (deleted)" for p in sorted(before.keys() - after.keys())]
    parts += [
        f"{p} (modified)" for p in sorted(after.keys() & before.keys()) if after[p] != before[p]
    ]
    return ", ".join(parts)


class SnippetEngine:
    """Runs the ``python exec`` blocks of notes; see the module docstring."""

    def __init__(
        self,
        vault_dir: Path,
        cache_dir: Path,
        *,
        jobs: int | None = None,
        timeout: float = 60,
        memory_mb: int = 2048,
        enabled: bool = True,
        output_limit: int = 1_000_000,
        max_processes: int = DEFAULT_MAX_PROCESSES,
        env: dict[str, str] | None = None,
        landlock_abi: int | None = None,
        network_namespace: bool = True,
        pid_namespace: bool = True,
    ) -> None:
        """``env``: variables passed to snippets (nothing else of the build's environment is);
        ``landlock_abi``: use at most this Landlock ABI (tests; None = what the kernel has,
        or the environment variable ``MATHVAULT_LANDLOCK_ABI``, so a real build can play
        an older kernel); ``network_namespace``, ``pid_namespace``: False to not even try
        one (tests of a degraded machine)."""
        if landlock_abi is None and os.environ.get(LANDLOCK_ABI_VARIABLE, "").isdigit():
            landlock_abi = int(os.environ[LANDLOCK_ABI_VARIABLE])
        if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
            raise ValueError(f"snippet timeout must be a positive finite number, not {timeout!r}")
        self.vault_dir = Path(vault_dir).resolve()
        self.cache_dir = Path(cache_dir).resolve()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.enabled = enabled
        self.output_limit = output_limit
        self.settings = {
            "max_processes": max_processes,
            "env": dict(env or {}),
            "landlock_abi": landlock_abi,
            "unshare_net": network_namespace,
            "unshare_pid": pid_namespace,
        }
        self.protections: list[str] | None = None  # walls the first note process reported
        self.landlock = 0  # the Landlock ABI it used
        self.cache = SnippetCache(self.cache_dir, self._warn)
        self._jobs: dict[str, _Job] = {}
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._workers: set[WorkerProcess] = set()
        self._lock = threading.Lock()
        self._warnings: list[Problem] = []
        self._started: float | None = None
        self._finished: float | None = None
        self._closed = False
        self._active: set[str] = set()
        self._overlaps: dict[str, set[str]] = {}
        self._digests: dict[str, str] | None = None  # vault content before the first note ran
        self._digest_checked = False
        self._changed: set[str] = set()  # vault files a note's own comparison reported
        self.vault_hash_seconds = 0.0  # time spent hashing the vault (both passes)
        if enabled:
            sweep_leftovers()

    # -- public API -------------------------------------------------------------------

    def submit(self, note_path: str, text: str) -> None:
        """Queue a note's exec blocks (non-blocking); no-op if it has none."""
        blocks = find_blocks(text)
        if not blocks:
            self._jobs.pop(note_path, None)
            return
        if self._started is None:
            self._started = time.monotonic()
        job = _Job(note_path, blocks)
        self._jobs[note_path] = job
        if not self.enabled:
            job.finish(NoteResult(note_path, [BlockResult(b, status="disabled") for b in blocks]))
            return
        job.key = self.cache.key(note_path, blocks, self.timeout, self.memory_mb)
        hit = self.cache.load(job.key, note_path, blocks, self.vault_dir)
        if hit is not None:
            self._complete(job, hit)
            return
        self._start_threads()
        self._queue.put(job)

    def result(self, note_path: str) -> NoteResult | None:
        """Wait for and return a note's result; None if it has no exec blocks."""
        job = self._jobs.get(note_path)
        if job is None:
            return None
        job.done.wait()
        return job.result

    def wait_all(self) -> dict[str, NoteResult]:
        """Wait for every submitted note; note path -> result. The first time all are done,
        the vault's content is compared with before the first note ran."""
        results = {path: r for path in list(self._jobs) if (r := self.result(path)) is not None}
        self._check_vault()
        return results

    def _check_vault(self) -> None:
        """Report vault files whose bytes changed while snippets ran and that no note's
        own comparison reported (each file once, as a warning located at that file)."""
        with self._lock:
            if self._digests is None or self._digest_checked:
                return
            self._digest_checked = True
            before = self._digests
        started = time.perf_counter()
        after = vault_digests(self.vault_dir, self.cache_dir)
        self.vault_hash_seconds += time.perf_counter() - started
        for rel in sorted(before.keys() | after.keys()):
            if before.get(rel) == after.get(rel) or rel in self._changed:
                continue
            what = (
                "created"
                if rel not in before
                else "deleted"
                if rel not in after
                else ("its bytes changed")
            )
            self._warn(
                f"this vault file changed while the snippets ran ({what}); snippets may only "
                "write to their working directory: restore the file (e.g. from version "
                "control) and find the snippet that wrote it, or build with `execute: false`",
                rel,
            )

    def generated(self) -> dict[str, Path]:
        """Generated file name (relative path as written) -> file in the cache dir.

        Only notes that have finished contribute. When two notes write the same
        name, the note whose path sorts first wins and a warning is recorded.
        """
        found: dict[str, Path] = {}
        owner: dict[str, str] = {}
        for path in sorted(self._jobs):
            job = self._jobs[path]
            if job.result is None:
                continue
            for name, file in job.result.files.items():
                if name.lower().endswith(PAGE_SUFFIXES):
                    self._warn(
                        f"generated file '{name}' was not published: a snippet may not make "
                        "pages; give it another extension (e.g. .txt)",
                        path,
                        self._writer_line(job.result, name),
                    )
                    continue
                if name in found and found[name] != file:
                    self._warn(
                        f"generated file '{name}' is also generated by {owner[name]}; "
                        "using that one",
                        path,
                        self._writer_line(job.result, name),
                    )
                    continue
                found[name], owner[name] = file, path
        return found

    def asset_clashes(self, vault_files: set[str] | frozenset[str]) -> list[Problem]:
        """Generated names that a real vault file already uses (it wins).

        ``vault_files`` holds vault-relative paths and bare file names, whichever
        form the caller resolves embeds by.
        """
        messages = []
        for path in sorted(self._jobs):
            result = self._jobs[path].result
            for name in sorted(result.files if result else ()):
                if name in vault_files:
                    messages.append(
                        Problem(
                            path,
                            self._writer_line(result, name),
                            f"generated file '{name}' has the same name as a vault file; "
                            "the vault file is used, rename one",
                        )
                    )
        return messages

    def summary(self) -> str:
        """One line: how many snippets ran, came from the cache, failed; wall time."""
        results = [j.result for j in self._jobs.values() if j.result is not None]
        total = sum(len(r.blocks) for r in results)
        cached = sum(len(r.blocks) for r in results if r.cached)
        ran = sum(
            1
            for r in results
            if not r.cached
            for b in r.blocks
            if b.status not in ("skipped", "disabled")
        )
        failed = sum(
            1 for r in results for b in r.blocks if b.status in ("error", "timeout", "killed")
        )
        end = self._finished or time.monotonic()
        seconds = end - self._started if self._started is not None else 0.0
        text = f"mathvault: {total} snippets in {len(results)} notes: {ran} run, {cached} cached"
        if not self.enabled:
            text = f"mathvault: {total} snippets in {len(results)} notes: not executed (disabled)"
        if failed:
            text += f", {failed} failed"
        text += f" ({seconds:.1f} s)"
        sandbox = self.sandbox_summary()
        return f"{text}; {sandbox}" if sandbox else text

    def problems(self) -> list[Problem]:
        """Problems that are not a block's own error (cache trouble, name clashes)."""
        with self._lock:
            return list(dict.fromkeys(self._warnings))

    def warnings(self) -> list[str]:
        """`problems()` as text, `path:line: message`."""
        return [str(p) for p in self.problems()]

    def close(self) -> None:
        """Stop the threads, kill every worker and anything they left running."""
        self._closed = True
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.finish(self._all_skipped(job, "not run: the snippet engine was closed"))
        for _ in self._threads:
            self._queue.put(None)
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.kill()
        for thread in self._threads:
            thread.join(timeout=15)
        self._threads.clear()

    def __enter__(self) -> SnippetEngine:  # noqa: PYI034 - Self needs Python 3.11
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals --------------------------------------------------------------------

    def _warn(self, message: str, path: str | None = None, line: int | None = None) -> None:
        with self._lock:
            self._warnings.append(Problem(path, line, message))

    @staticmethod
    def _writer_line(result: NoteResult, name: str) -> int:
        for b in result.blocks:
            if name in b.written or name in b.figures:
                return b.block.line
        return result.blocks[0].block.line

    def _complete(self, job: _Job, result: NoteResult) -> None:
        job.finish(result)
        self._finished = time.monotonic()

    @staticmethod
    def _all_skipped(job: _Job, why: str) -> NoteResult:
        return NoteResult(
            job.note_path, [BlockResult(b, status="skipped", error=why) for b in job.blocks]
        )

    def _start_threads(self) -> None:
        with self._lock:
            if self._threads or self._closed:
                return
            started = time.perf_counter()
            self._digests = vault_digests(self.vault_dir, self.cache_dir)
            self.vault_hash_seconds += time.perf_counter() - started
            for n in range(self.jobs):
                thread = threading.Thread(
                    target=self._serve, name=f"mathvault-snippets-{n}", daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def _new_worker(self) -> WorkerProcess:
        worker = WorkerProcess(
            memory_mb=self.memory_mb, output_limit=self.output_limit, settings=self.settings
        )
        with self._lock:
            self._workers.add(worker)
        return worker

    def _drop_worker(self, worker: WorkerProcess) -> None:
        worker.kill()
        with self._lock:
            self._workers.discard(worker)

    def _serve(self) -> None:
        worker: WorkerProcess | None = None
        while True:
            job = self._queue.get()
            if job is None or self._closed:
                break
            try:
                if worker is None or worker.dead:
                    worker = self._new_worker()
                worker, result = self._run_note(worker, job)
            except Exception as exc:  # noqa: BLE001 - report, never hang result()
                if worker is not None:
                    self._drop_worker(worker)
                worker = None
                result = self._all_skipped(job, f"snippet engine error: {exc!r}")
                result.blocks[0].status = "error"
            self._complete(job, result)
        if worker is not None:
            worker.quit()
            with self._lock:
                self._workers.discard(worker)

    def _run_note(
        self, worker: WorkerProcess, job: _Job
    ) -> tuple[WorkerProcess | None, NoteResult]:
        """Run one note's blocks on ``worker``; return the worker (None if killed) and result."""
        started = time.monotonic()
        if not worker.wait_ready():
            reason = worker.crash_text().strip()[-500:] or "it did not start"
            self._drop_worker(worker)
            result = self._all_skipped(job, "")
            result.blocks[0].status = "killed"
            result.blocks[0].error = f"could not start the Python worker: {reason}"
            return None, result
        scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
        with self._lock:  # who ran at the same time, to attribute vault changes honestly
            for other in self._active:
                self._overlaps[other].add(job.note_path)
            self._overlaps[job.note_path] = set(self._active)
            self._active.add(job.note_path)
        vault_before = _vault_state(self.vault_dir, self.cache_dir)
        note_dir = (self.vault_dir / job.note_path).parent
        alive: WorkerProcess | None = worker
        results: list[BlockResult] = []
        inputs: list[str] = []
        try:
            worker.send(
                {
                    "op": "note",
                    "note_path": job.note_path,
                    "scratch": str(scratch),
                    "note_dir": str(note_dir),
                    "vault_dir": str(self.vault_dir),
                    "stem": Path(job.note_path).stem,
                }
            )
            hello = worker.recv(60)
            if hello is None:
                raise WorkerDied("the worker did not acknowledge the note")
            if hello.get("op") == "exited":
                raise WorkerDied(
                    "the note's process could not start: " + worker.exit_description(hello["code"])
                )
            worker.note_pid = hello["pid"]
            self._record_protections(hello)
            failed_line: int | None = None
            for index, block in enumerate(job.blocks):
                if failed_line is not None:
                    results.append(
                        BlockResult(
                            block,
                            status="skipped",
                            error=(f"not run: the snippet at line {failed_line} failed"),
                        )
                    )
                elif block.problem:
                    results.append(BlockResult(block, status="error", error=block.problem))
                elif alive is not None:
                    res = self._run_block(alive, index, block)
                    if res.status in ("timeout", "killed"):
                        self._drop_worker(alive)
                        alive = None
                    results.append(res)
                if results[-1].status not in ("ok", "skipped"):
                    failed_line = results[-1].error_line
            if alive is not None:
                if not alive.note_pid:  # the note's process already ended (reported)
                    pass
                else:
                    alive.send({"op": "end"})
                    end = alive.recv(30)
                    if end is None:
                        raise WorkerDied("no answer after the note")
                    if end.get("op") == "end":
                        inputs = list(end["reads"])
                        end = alive.recv(30)
                    if end is None or end.get("op") != "exited":
                        raise WorkerDied("the note's process did not end")
                    alive.note_pid = None
        except WorkerDied as exc:
            if alive is not None:
                self._drop_worker(alive)
            alive = None
            if len(results) < len(job.blocks):  # died between blocks: account for the rest
                block = job.blocks[len(results)]
                why = f"snippet failed: the Python worker stopped before this block ran ({exc})"
                results.append(BlockResult(block, status="killed", error=why))
                results += [
                    BlockResult(
                        b,
                        status="skipped",
                        error=f"not run: the snippet at line {block.line} failed",
                    )
                    for b in job.blocks[len(results) :]
                ]
        vault_after = _vault_state(self.vault_dir, self.cache_dir)
        changes = describe_changes(vault_before, vault_after)
        if changes:
            with self._lock:
                self._changed.update(
                    p
                    for p in vault_before.keys() | vault_after.keys()
                    if vault_before.get(p) != vault_after.get(p)
                )
        with self._lock:
            self._active.discard(job.note_path)
            partners = sorted(self._overlaps.pop(job.note_path, set()))
        ran = [r for r in results if r.status not in ("skipped",)]
        if changes and ran and not partners:
            last = ran[-1]
            last.status = "error"
            last.error = (
                f"the snippets changed the vault: {changes}; snippets may only write "
                "to their working directory"
            )
        elif changes:
            self._warn(
                f"the vault changed while its snippets ran (together with "
                f"{', '.join(partners)}): {changes}; snippets may only write to "
                "their working directory",
                job.note_path,
            )
        files = self._collect(job, scratch)
        shutil.rmtree(scratch, ignore_errors=True)
        result = NoteResult(
            job.note_path, results, cached=False, files=files, seconds=time.monotonic() - started
        )
        if not changes:
            digests = {rel: file_sha256(self.vault_dir / rel) for rel in inputs}
            self.cache.store(job.key, result, digests)
        return alive, result

    def _run_block(self, worker: WorkerProcess, index: int, block: Block) -> BlockResult:
        limit = block.options.timeout or self.timeout
        worker.send({"op": "block", "index": index, "code": block.code})
        try:
            reply = worker.recv(limit)
        except WorkerDied:
            offset = worker.crash_offset(index)
            return BlockResult(
                block,
                status="killed",
                error_offset=offset,
                error=f"snippet failed: {worker.exit_description()}",
            )
        if reply is not None and reply.get("op") == "exited":  # the note's process died
            worker.note_pid = None
            return BlockResult(
                block,
                status="killed",
                error_offset=worker.crash_offset(index),
                error=f"snippet failed: {worker.exit_description(reply['code'])}",
            )
        if reply is None:
            printed = clean_text(worker.partial_output())
            worker.dump_stack()
            return BlockResult(
                block,
                status="timeout",
                stdout=printed,
                error_offset=worker.crash_offset(index),
                error=f"snippet timed out after {limit:g} s; make it faster or "
                "raise the limit with the fence option timeout=SECONDS",
            )
        frames = [Frame(**f) for f in reply["frames"]]
        for frame in frames:
            frame.text, frame.name = clean_text(frame.text), clean_text(frame.name)
        return BlockResult(
            block,
            status=reply["status"],
            stdout=clean_text(reply["stdout"]),
            error=clean_text(reply["error"]) if reply["error"] else None,
            error_offset=reply["offset"],
            frames=frames,
            figures=reply["figures"],
            written=[clean_text(w) for w in reply["written"]],
            seconds=reply["seconds"],
            warnings=[
                {"message": clean_text(w["message"]), "offset": w["offset"]}
                for w in reply.get("warnings", [])
            ],
        )

    def _record_protections(self, started: dict[str, Any]) -> None:
        """Keep what the first note process reports as active (the same for every note)."""
        with self._lock:
            if self.protections is None:
                self.protections = [str(p) for p in started.get("protections", [])]
                self.landlock = int(started.get("landlock", 0))

    def sandbox_summary(self) -> str | None:
        """Which walls hold on this machine, for the summary line (INFO, once per build);
        None if no snippet ran. A kernel without Landlock is the machine's limit, not a
        problem of the vault, so it does not fail `mkdocs build --strict`."""
        if self.protections is None:
            return None
        active = ", ".join(self.protections) or "none"
        if not self.landlock:
            return (
                "snippets are NOT walled in by the kernel (no Landlock here: a snippet can "
                "read and write every file your user can; use `execute: false` for a vault "
                f"you do not trust); active: {active}"
            )
        if not any("network" in p for p in self.protections):
            return (
                f"snippets can use the network (Landlock ABI {self.landlock} cannot restrict "
                f"TCP, that needs 4, and no network namespace could be made); active: {active}"
            )
        return f"sandbox: Landlock ABI {self.landlock}; active: {active}"

    def _collect(self, job: _Job, scratch: Path) -> dict[str, Path]:
        """Move the note's generated files into the cache's blob store."""
        files: dict[str, Path] = {}
        for path in sorted(scratch.rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue
            name = path.relative_to(scratch).as_posix()
            if path.stat().st_size > MAX_ASSET_BYTES:
                self._warn(
                    f"generated file '{name}' is larger than "
                    f"{MAX_ASSET_BYTES // 2**20} MiB and was not published",
                    job.note_path,
                )
                continue
            if not name.isprintable() or "\\" in name:
                self._warn(
                    f"generated file {clean_text(repr(name))} was not "
                    "published: its name has control characters or a backslash",
                    job.note_path,
                )
                continue
            try:
                files[name] = self.cache.store_blob(path)
            except OSError as exc:
                self._warn(f"generated file '{name}' was not published: {exc}", job.note_path)
        return files
