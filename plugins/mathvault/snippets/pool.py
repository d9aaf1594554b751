"""Engine-side handle on one worker process: start, talk, time out, kill.

Messages are JSON over two pipes (``multiprocessing.connection`` framing); the
worker's own stdin/stdout/stderr are ``/dev/null`` so nothing a snippet prints
at the file-descriptor level can corrupt the protocol.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .procs import kill_cgroup, kill_related
from .sandbox import pids_cgroup_bases, remove_cgroup
from .worker import SPOOL_HEADER

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding mathvault/
_CRASH_FRAME = re.compile(r'File "<mathvault-block-(\d+)>", line (\d+)')
# What a build leaves in the temporary folder, each named by the pid of its build:
# workers' crash logs and notes' scratch folders.
WORKER_PREFIX = "mathvault-worker-"
SCRATCH_PREFIX = "mathvault-snippet-"
_OWNED = re.compile(r"^mathvault-(?:worker|snippet)-(\d+)-")
_CGROUP = re.compile(r"^mathvault-(\d+)$")  # a worker's pids cgroup, named by its pid
STALE_AFTER = 3600.0  # seconds since a dead build's temporary file was last changed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_leftovers(tmpdir: str | None = None) -> list[str]:
    """Remove what builds that were killed left behind; the paths removed.

    A build killed with SIGKILL cleans nothing up; its workers do when they see it
    go (see ``worker._wait_note``), but a worker killed too cannot. So each build
    first removes the crash logs and scratch folders of builds whose process is
    gone, and the pids cgroups of dead workers, killing anything still inside
    them. A recycled pid makes a leftover look alive: it then waits for a later build.
    Temporary files changed in the last hour are spared (a build in another PID
    namespace, e.g. a container sharing ``/tmp``, would look dead).
    """
    removed = []
    folder = tmpdir or tempfile.gettempdir()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        entries = []
    for entry in entries:
        match = _OWNED.match(entry.name)
        if not match or _alive(int(match[1])):
            continue
        try:  # a build in another PID namespace sharing this folder looks dead: spare
            if time.time() - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER:
                continue  # what was touched recently
        except OSError:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(entry.path)
        except OSError:
            pass
    for base in pids_cgroup_bases():
        try:
            names = os.listdir(base)
        except OSError:
            continue
        for name in names:
            match = _CGROUP.match(name)
            if match and not _alive(int(match[1])):
                path = os.path.join(base, name)
                kill_cgroup(path)
                remove_cgroup(path)
                if not os.path.exists(path):
                    removed.append(path)
    return removed


def worker_env(allowed: dict[str, str]) -> dict[str, str]:
    """A minimal environment for workers: none of the build's variables (tokens) but these."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": os.path.expanduser("~"),
        "MPLBACKEND": "Agg",
        # one worker per core already; threaded BLAS would oversubscribe
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONPATH": _PACKAGE_ROOT,
        "PYTHONNOUSERSITE": os.environ.get("PYTHONNOUSERSITE", ""),
    }
    for name in ("MPLCONFIGDIR", "VIRTUAL_ENV", "TZ", "TMPDIR"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(allowed)
    return {k: v for k, v in env.items() if v}


class WorkerDied(Exception):
    """The worker process ended while a block was running."""


class WorkerProcess:
    """One ``python -m mathvault.snippets.worker`` process in its own session."""

    def __init__(
        self, *, memory_mb: int, output_limit: int, settings: dict[str, Any] | None = None
    ) -> None:
        fd, self.crash_log = tempfile.mkstemp(
            prefix=f"{WORKER_PREFIX}{os.getpid()}-", suffix=".log"
        )
        os.close(fd)
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        settings = dict(settings or {})
        settings["package_root"] = _PACKAGE_ROOT
        env = worker_env(settings.get("env", {}))
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mathvault.snippets.worker",
                str(to_worker_r),
                str(from_worker_w),
                self.crash_log,
                str(memory_mb),
                str(output_limit),
                json.dumps(settings),
            ],
            pass_fds=(to_worker_r, from_worker_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
            cwd=tempfile.gettempdir(),
        )
        os.close(to_worker_r)
        os.close(from_worker_w)
        self.tx = Connection(to_worker_w, readable=False)
        self.rx = Connection(from_worker_r, writable=False)
        self.ready = False
        self.dead = False
        self.cgroup: str | None = None
        self.note_pid: int | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, msg: dict[str, Any]) -> None:
        """Send one message; raise :class:`WorkerDied` if the worker is gone."""
        try:
            self.tx.send_bytes(json.dumps(msg).encode())
        except OSError as exc:
            raise WorkerDied(str(exc)) from exc

    def recv(self, timeout: float | None) -> dict[str, Any] | None:
        """Next message, None after ``timeout`` seconds; :class:`WorkerDied` on EOF."""
        try:
            if not self.rx.poll(timeout):
                return None
            return json.loads(self.rx.recv_bytes())
        except (EOFError, OSError) as exc:
            raise WorkerDied(str(exc)) from exc

    def wait_ready(self, timeout: float = 120.0) -> bool:
        """Wait for the worker's imports to finish; False if it died or hung."""
        if not self.ready:
            try:
                hello = self.recv(timeout)
                self.ready = hello is not None
                self.cgroup = (hello or {}).get("cgroup")
            except WorkerDied:
                self.ready = False
        return self.ready

    def _signal_note(self, signum: int) -> bool:
        try:
            os.kill(self.note_pid or self.pid, signum)
        except OSError:
            return False
        return True

    def partial_output(self) -> str:
        """Ask a hung note for what the running block printed so far ("" if stuck in C)."""
        spool = Path(self.crash_log + ".out")
        try:
            spool.write_bytes(b"")
        except OSError:
            return ""
        if not self._signal_note(signal.SIGUSR2):
            return ""
        deadline = time.monotonic() + 0.5
        text = ""
        while time.monotonic() < deadline and not text:
            time.sleep(0.02)
            try:
                text = spool.read_text(encoding="utf-8", errors="replace")
            except OSError:
                return ""
        return text.removeprefix(SPOOL_HEADER)

    def dump_stack(self) -> None:
        """Ask faulthandler in the note process to write the current stack to the crash log."""
        if not self._signal_note(signal.SIGUSR1):
            return
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline and "<mathvault-block-" not in self.crash_text():
            time.sleep(0.02)

    def crash_text(self) -> str:
        """What faulthandler wrote (stack dumps, fatal-signal reports)."""
        try:
            return Path(self.crash_log).read_text(errors="replace")
        except OSError:
            return ""

    def crash_offset(self, index: int) -> int | None:
        """Innermost line of block ``index`` in the last stack dump, if any."""
        for match in _CRASH_FRAME.finditer(self.crash_text()):
            if int(match[1]) == index:
                return int(match[2])  # faulthandler lists the innermost frame first
        return None

    def exit_description(self, code: int | None = None) -> str:
        """Human-readable reason the note process (``code``) or the worker ended."""
        if code is None:
            try:
                code = self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                return "the Python worker stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            hint = {
                "SIGSEGV": " (a segmentation fault in native code)",
                "SIGKILL": " (killed, possibly by the out-of-memory killer)",
                "SIGABRT": " (aborted by native code)",
            }.get(name, "")
            return f"the Python worker was killed by {name}{hint}"
        return (
            f"the snippet ended the Python worker with exit status {code}"
            " (os._exit() or a native library calling exit())"
        )

    def kill(self) -> None:
        """Kill the worker, its session and its descendants; reap it; close pipes."""
        kill_related(self.pid, include_root=True)
        kill_cgroup(self.cgroup)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        remove_cgroup(self.cgroup)
        self.dead = True
        self.close_files()

    def quit(self) -> None:
        """Ask the worker to exit, then make sure nothing of it survives."""
        try:
            self.send({"op": "quit"})
            self.proc.wait(timeout=2)
        except (WorkerDied, subprocess.TimeoutExpired):
            pass
        self.kill()

    def close_files(self) -> None:
        for conn in (self.tx, self.rx):
            try:
                conn.close()
            except OSError:
                pass
        for leftover in (self.crash_log, self.crash_log + ".out"):
            try:
                os.unlink(leftover)
            except OSError:
                pass
