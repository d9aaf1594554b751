"""The worker process: a pre-warmed template that forks one process per note.

Started by :mod:`.pool` as ``python -m mathvault.snippets.worker FD_IN FD_OUT
CRASH_LOG MEMORY_MB OUTPUT_LIMIT SETTINGS_JSON``. It imports numpy and matplotlib
once, then for each ``{"op": "note", ...}`` forks a note process that walls
itself in (:mod:`.sandbox`: pids cgroup, network namespace, Landlock, minimal
environment, ``cwd`` = the note's scratch dir) and answers ``started``, then
serves ``{"op": "block", ...}`` (one reply per block: output, error with the
line inside the block, warnings, figures, written files) and ``{"op": "end"}``
(the vault files it read). When the note process ends, for whatever reason, the
worker kills what it left behind and sends ``{"op": "exited", "code": ...}``.
Nothing a note does to modules or settings reaches the next note.

An audit hook records vault files opened for reading (for the cache) and
refuses writes into the vault at the Python level; the kernel walls are what
hold against hostile code.
"""

from __future__ import annotations

import builtins
import faulthandler
import io
import json
import linecache
import os
import re
import select
import shutil
import signal
import sys
import time
import traceback
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .procs import become_subreaper, kill_cgroup, kill_related, reap_children

BLOCK_FILE = "<mathvault-block-{}>"
BLOCK_FILE_RE = re.compile(r"^<mathvault-block-(\d+)>$")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# audit events that change the file system, with the argument positions that are paths
_FS_EVENTS = {
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "os.symlink": (1,),
    "os.link": (0, 1),
    "shutil.rmtree": (0,),
    "os.setxattr": (0,),
    "os.removexattr": (0,),
    "os.chflags": (0,),
}


class CappedWriter(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.dropped = 0

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        room = self.limit - self.size
        kept = text[:room] if room > 0 else ""
        if kept:
            self.parts.append(kept)
            self.size += len(kept)
        self.dropped += len(text) - len(kept)
        return len(text)

    def getvalue(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += (
                f"\n[mathvault: output truncated after {self.limit} characters;"
                f" {self.dropped} more not shown]\n"
            )
        return text


class Guard:
    """Audit-hook state: which vault files were read; writes into the vault refused."""

    def __init__(self) -> None:
        self.vault = ""
        self.active = False
        self.busy = False
        self.reads: set[str] = set()

    def inside(self, path: Any) -> str | None:
        """Vault-relative posix path if ``path`` resolves inside the vault."""
        if isinstance(path, int) or path is None or not self.vault:
            return None
        try:
            real = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return None
        if real == self.vault or real.startswith(self.vault + os.sep):
            return os.path.relpath(real, self.vault).replace(os.sep, "/")
        return None

    def refuse(self, rel: str, action: str) -> None:
        raise PermissionError(
            f"mathvault: snippets may not {action} vault files ({rel!r}); write to the"
            " current directory instead, files there become generated assets"
        )

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active or self.busy:
            return
        if event != "open" and event not in _FS_EVENTS:
            return
        self.busy = True
        try:
            if event == "open":
                path, mode, flags = (tuple(args) + (None, None))[:3]
                rel = self.inside(path)
                if rel is None:
                    return
                writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                    isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
                )
                if writes:
                    self.refuse(rel, "write")
                self.reads.add(rel)
            else:
                for position in _FS_EVENTS[event]:
                    if position < len(args) and (rel := self.inside(args[position])):
                        self.refuse(rel, "change")
        finally:
            self.busy = False


GUARD = Guard()
CURRENT_OUTPUT: list[CappedWriter] = []  # the running block's output, for SIGUSR2
SPOOL_HEADER = "mathvault-partial-output\n"


def snapshot(root: str) -> dict[str, tuple[int, int]]:
    """Regular files under ``root`` (symlinks skipped) -> (size, mtime_ns)."""
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        for name in files:
            full = os.path.join(folder, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if os.path.isfile(full) and not os.path.islink(full):
                found[os.path.relpath(full, root).replace(os.sep, "/")] = (
                    st.st_size,
                    st.st_mtime_ns,
                )
    return found


class Session:
    """One note's run: its namespace, scratch dir and figure counter."""

    def __init__(self, msg: dict[str, Any], output_limit: int) -> None:
        self.note_path: str = msg["note_path"]
        self.scratch: str = msg["scratch"]
        self.stem: str = msg["stem"]
        self.output_limit = output_limit
        self.figure_count = 0
        self.namespace: dict[str, Any] = {
            "__name__": "__main__",
            "__builtins__": builtins,
            "NOTE_DIR": Path(msg["note_dir"]),
            "VAULT_DIR": Path(msg["vault_dir"]),
        }

    def run(self, index: int, code: str, crash_fd: int) -> dict[str, Any]:
        """Run one block in the shared namespace and describe what happened."""
        import matplotlib.pyplot as plt

        filename = BLOCK_FILE.format(index)
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        before = snapshot(self.scratch)
        out = CappedWriter(self.output_limit)
        reply: dict[str, Any] = {
            "index": index,
            "status": "ok",
            "error": None,
            "offset": None,
            "frames": [],
        }
        os.ftruncate(crash_fd, 0)
        os.lseek(crash_fd, 0, os.SEEK_SET)
        saved = sys.stdout, sys.stderr
        start = time.perf_counter()
        caught = WarningLog(index)
        with warnings.catch_warnings():
            warnings.showwarning = caught.show
            try:
                sys.stdout = sys.stderr = out
                CURRENT_OUTPUT[:] = [out]
                GUARD.active = True
                try:
                    exec(compile(code, filename, "exec", dont_inherit=True), self.namespace)  # noqa: S102
                finally:
                    GUARD.active = False
                    CURRENT_OUTPUT.clear()
                    sys.stdout, sys.stderr = saved
            except BaseException as exc:  # noqa: BLE001 - a snippet may raise anything
                reply.update(describe(exc, index))
            reply["seconds"] = time.perf_counter() - start
            changed = snapshot(self.scratch)
            reply["written"] = sorted(k for k, v in changed.items() if before.get(k) != v)
            reply["figures"] = []
            try:
                if not reply["written"]:
                    for number in plt.get_fignums():
                        self.figure_count += 1
                        name = f"{self.stem}-{self.figure_count}.png"
                        plt.figure(number).savefig(os.path.join(self.scratch, name))
                        reply["figures"].append(name)
            except Exception as exc:  # noqa: BLE001 - a broken figure is the snippet's error
                if reply["status"] == "ok":
                    reply.update(describe(exc, index))
                    reply["error"] = reply["error"].replace(
                        "snippet failed", "saving its figure failed"
                    )
            finally:
                plt.close("all")
        reply["stdout"] = out.getvalue()
        reply["warnings"] = caught.found
        return reply


class WarningLog:
    """``warnings.showwarning`` for one block: distinct warnings with the block's line.

    A warning goes to the build log (the engine reports it against the note's
    line), never into the printed output that lands on the page.
    """

    LIMIT = 20

    def __init__(self, index: int) -> None:
        self.index = index
        self.found: list[dict[str, Any]] = []
        self.seen: set[tuple[str, int | None]] = set()

    def show(self, message: Any, category: type, filename: str, lineno: int, *_: Any) -> None:
        offset = lineno if filename == BLOCK_FILE.format(self.index) else None
        frame = sys._getframe(1)
        while offset is None and frame is not None:  # the snippet line that led here
            if frame.f_code.co_filename == BLOCK_FILE.format(self.index):
                offset = frame.f_lineno
            frame = frame.f_back
        text = f"{category.__name__}: {message}"
        if (text, offset) in self.seen:
            return
        self.seen.add((text, offset))
        if len(self.found) < self.LIMIT:
            self.found.append({"message": text, "offset": offset})


def describe(exc: BaseException, index: int) -> dict[str, Any]:
    """Error message, failing line within block ``index`` and traceback frames."""
    frames = []
    for fs in traceback.extract_tb(exc.__traceback__):
        if fs.filename == __file__:
            continue  # the worker's own exec() frame
        match = BLOCK_FILE_RE.match(fs.filename)
        frames.append(
            {
                "file": fs.filename,
                "line": fs.lineno or 0,
                "name": fs.name,
                "text": (fs.line or "").strip(),
                "block": int(match[1]) if match else None,
            }
        )
    offset = next((f["line"] for f in reversed(frames) if f["block"] == index), None)
    name = type(exc).__name__
    if isinstance(exc, SyntaxError):
        if exc.filename == BLOCK_FILE.format(index):
            offset = exc.lineno
        message = f"snippet failed: {name}: {exc.msg}"
    else:
        detail = str(exc)
        message = f"snippet failed: {name}: {detail}" if detail else f"snippet failed: {name}"
    if isinstance(exc, MemoryError):
        message += " (the worker's memory limit was reached; raise memory_mb if this is expected)"
    return {"status": "error", "error": message, "offset": offset, "frames": frames}


def _save_partial(spool_fd: int) -> None:
    """On SIGUSR2 (sent before a timeout kill) write what the block printed so far."""
    text = CURRENT_OUTPUT[-1].getvalue() if CURRENT_OUTPUT else ""
    data = (SPOOL_HEADER + text).encode("utf-8", "replace")
    os.ftruncate(spool_fd, 0)
    os.pwrite(spool_fd, data, 0)


def _note_env(scratch: str, settings: dict[str, Any]) -> dict[str, str]:
    """The whole environment a note's code sees: nothing of the build's but ``env_allow``."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": scratch,
        "TMPDIR": scratch,
        "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    env.update(settings.get("env", {}))
    return env


def _note_process(msg: dict[str, Any], rx: Connection, tx: Connection, ctx: dict[str, Any]) -> None:
    """The forked note process: limits, namespaces, then the note itself; never returns.

    With a PID namespace the note runs in a child of this process that is the
    namespace's init (see :func:`.sandbox.unshare_namespaces`); this process only
    waits for it and ends the same way, so the worker sees the note's own status.
    Both die with their parent (``PR_SET_PDEATHSIG``), so killing the worker kills
    the note and, with the init, everything it started.
    """
    from . import sandbox

    settings = ctx["settings"]
    if not sandbox.die_with_parent(ctx["worker_pid"]):
        os._exit(70)
    protections = sandbox.limit_processes(ctx["cgroup"], settings["max_processes"])
    net, pid_ns = sandbox.unshare_namespaces(
        net=settings.get("unshare_net", True), pid=settings.get("unshare_pid", True)
    )
    if net:
        protections.append("empty network namespace")
    if not pid_ns:
        _run_note(msg, rx, tx, ctx, protections)
    protections.append("PID namespace (the note's processes die with it)")
    waiter = os.getpid()
    child = os.fork()
    if child == 0:
        sandbox.die_with_parent(waiter)  # getppid() is 0 across the namespace: no check
        _run_note(msg, rx, tx, ctx, protections)
    _, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        faulthandler.disable()
        try:
            signal.signal(signum, signal.SIG_DFL)
        except (OSError, ValueError):
            pass  # SIGKILL, SIGSTOP: already the default
        os.kill(os.getpid(), signum)
        os._exit(128 + signum)
    os._exit(os.WEXITSTATUS(status))


def _run_note(
    msg: dict[str, Any], rx: Connection, tx: Connection, ctx: dict[str, Any], protections: list[str]
) -> None:
    """Wall the note's process in, run its blocks, answer ``end``; never returns."""
    from . import sandbox

    settings = ctx["settings"]
    scratch = msg["scratch"]
    pid = sandbox.outer_pid()
    os.chdir(scratch)
    os.environ.clear()
    os.environ.update(_note_env(scratch, settings))
    vault = os.path.realpath(msg["vault_dir"])
    reads = [*ctx["python_roots"], *sandbox.SYSTEM_READ, vault]
    abi, walls = sandbox.apply_landlock(
        reads=reads, writes=[scratch], abi_cap=settings.get("landlock_abi"), abi=ctx["landlock"]
    )
    protections = protections + walls
    GUARD.vault = vault
    GUARD.reads = set()
    session = Session(msg, ctx["output_limit"])
    started = {"op": "started", "pid": pid, "landlock": abi, "protections": protections}
    tx.send_bytes(json.dumps(started).encode())
    while True:
        try:
            req = json.loads(rx.recv_bytes())
        except (EOFError, OSError):
            os._exit(0)
        if req["op"] == "block":
            reply = session.run(req["index"], req["code"], ctx["crash_fd"])
            tx.send_bytes(json.dumps(reply).encode())
        elif req["op"] == "end":
            tx.send_bytes(json.dumps({"op": "end", "reads": sorted(GUARD.reads)}).encode())
            os._exit(0)


def _wait_note(pid: int, rx_fd: int) -> tuple[int, bool]:
    """Wait for the note process; (its status as a code, whether the build went away).

    The worker is the build's watchdog: while a note runs it also watches the
    request pipe, and when the build's end of it closes (mkdocs exited, or was
    killed with SIGTERM or SIGKILL and could clean nothing up) it kills the note
    at once instead of letting it run to its timeout.
    """
    poller = select.poll()
    poller.register(rx_fd, 0)  # POLLHUP/POLLERR are always reported; pending data is not
    pidfd = None
    try:
        pidfd = os.pidfd_open(pid)
        poller.register(pidfd, select.POLLIN)
    except (AttributeError, OSError):
        pass  # no pidfd: poll the child every 50 ms
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            events = poller.poll(None if pidfd is not None else 50)
            if any(fd == rx_fd and ev & (select.POLLHUP | select.POLLERR) for fd, ev in events):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
                os.waitpid(pid, 0)
                return -signal.SIGKILL, True
    finally:
        if pidfd is not None:
            os.close(pidfd)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return code, False


def _leave(cgroup: str | None, files: list[str]) -> None:
    """Kill whatever the notes left, remove our cgroup and the given files and folders."""
    from . import sandbox

    kill_related(os.getpid(), include_root=False)
    kill_cgroup(cgroup)
    reap_children()
    sandbox.remove_cgroup(cgroup)
    for path in files:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def main(argv: list[str]) -> int:
    """Serve notes over the two pipe fds until EOF or ``quit``; each note in a fresh fork."""
    rx = Connection(int(argv[0]), writable=False)
    tx = Connection(int(argv[1]), readable=False)
    crash = open(argv[2], "w")  # noqa: SIM115 - lives as long as the process
    memory_mb = int(argv[3])
    output_limit = int(argv[4])
    settings = json.loads(argv[5]) if len(argv) > 5 else {}
    settings.setdefault("max_processes", 64)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    spool_fd = os.open(argv[2] + ".out", os.O_RDWR | os.O_CREAT, 0o600)
    own_files = [argv[2], argv[2] + ".out"]
    faulthandler.enable(crash)
    faulthandler.register(signal.SIGUSR1, crash, all_threads=False)
    signal.signal(signal.SIGUSR2, lambda *_: _save_partial(spool_fd))

    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot
    import numpy  # noqa: F401

    from . import sandbox
    from .fonts import configure_matplotlib

    configure_matplotlib()
    become_subreaper()
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cgroup = sandbox.make_pids_cgroup(f"mathvault-{os.getpid()}", settings["max_processes"])
    ctx = {
        "settings": settings,
        "cgroup": cgroup,
        "output_limit": output_limit,
        "crash_fd": crash.fileno(),
        "python_roots": sandbox.python_roots(settings.get("package_root", "")),
        "worker_pid": os.getpid(),
        # asked once here (it imports landlockpy): a note process then only adds its rules
        "landlock": sandbox.landlock_abi(),
    }
    sys.addaudithook(GUARD.hook)
    gone = True  # the build went away (EOF, HUP, broken pipe) rather than saying quit
    scratch: list[str] = []
    try:
        tx.send_bytes(json.dumps({"op": "ready", "pid": os.getpid(), "cgroup": cgroup}).encode())
        while True:
            try:
                msg = json.loads(rx.recv_bytes())
            except (EOFError, OSError):
                break
            if msg["op"] == "note":
                # kept until the next note: if the build dies before it removed the
                # folder (it collects the files first), the worker does
                scratch[:] = [msg["scratch"]]
                pid = os.fork()
                if pid == 0:
                    try:
                        _note_process(msg, rx, tx, ctx)
                    finally:
                        os._exit(70)
                code, hup = _wait_note(pid, rx.fileno())
                if hup:
                    break
                killed = kill_related(os.getpid(), include_root=False) + kill_cgroup(cgroup)
                reap_children()
                tx.send_bytes(json.dumps({"op": "exited", "code": code, "killed": killed}).encode())
            elif msg["op"] == "quit":
                gone = False
                break
    finally:
        # After a quit the engine removes its files itself (and may still read the crash
        # log); when it is gone, nobody else will.
        _leave(cgroup, own_files + scratch if gone else [])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
