"""The worker process: runs one note's snippets at a time, like a notebook kernel.

Started by :mod:`.pool` as ``python -m mathvault.snippets.worker FD_IN FD_OUT
CRASH_LOG MEMORY_MB``. It imports numpy and matplotlib once, then serves notes:

- ``{"op": "note", ...}``: fresh globals, ``cwd`` = the note's scratch dir;
- ``{"op": "block", "index": i, "code": ...}``: run one block, reply with its
  output, error (with the line inside the block), figures and written files;
- ``{"op": "end"}``: kill processes the snippets left behind, reply with the
  vault files they read.

An audit hook records vault files opened for reading and refuses writes into
the vault. This guards against accidents, not against hostile code (ctypes,
subprocesses and ``os.open`` on a dir fd get around it; the engine also checks
the vault afterwards).
"""

from __future__ import annotations

import builtins
import faulthandler
import io
import json
import linecache
import os
import re
import signal
import sys
import time
import traceback
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .procs import become_subreaper, kill_related, reap_children

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


def _save_partial_output(spool: str) -> None:
    """On SIGUSR2 (sent before a timeout kill) save what the block printed so far."""
    if CURRENT_OUTPUT:
        with open(spool + ".tmp", "w", encoding="utf-8", errors="replace") as handle:
            handle.write(CURRENT_OUTPUT[-1].getvalue())
        os.replace(spool + ".tmp", spool)


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
        return reply


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


def _reset_process_state(environ: dict[str, str], filters: list[Any], path: list[str]) -> None:
    from .fonts import configure_matplotlib

    os.environ.clear()
    os.environ.update(environ)
    warnings.filters[:] = filters
    sys.path[:] = path
    configure_matplotlib()


def main(argv: list[str]) -> int:
    """Serve notes over the two pipe fds until EOF or ``quit``."""
    rx = Connection(int(argv[0]), writable=False)
    tx = Connection(int(argv[1]), readable=False)
    crash = open(argv[2], "w")  # noqa: SIM115 - lives as long as the process
    memory_mb = int(argv[3])
    output_limit = int(argv[4])
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    faulthandler.enable(crash)
    faulthandler.register(signal.SIGUSR1, crash, all_threads=False)
    signal.signal(signal.SIGUSR2, lambda *_: _save_partial_output(argv[2] + ".out"))

    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot
    import numpy  # noqa: F401

    from .fonts import configure_matplotlib

    configure_matplotlib()
    become_subreaper()
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    environ, filters, path = dict(os.environ), list(warnings.filters), list(sys.path)
    sys.addaudithook(GUARD.hook)
    tx.send_bytes(json.dumps({"op": "ready", "pid": os.getpid()}).encode())

    session: Session | None = None
    while True:
        try:
            msg = json.loads(rx.recv_bytes())
        except (EOFError, OSError):
            break
        op = msg["op"]
        if op == "note":
            _reset_process_state(environ, filters, path)
            os.chdir(msg["scratch"])
            GUARD.vault = os.path.realpath(msg["vault_dir"])
            GUARD.reads = set()
            session = Session(msg, output_limit)
            tx.send_bytes(b'{"op": "started"}')
        elif op == "block" and session is not None:
            reply = session.run(msg["index"], msg["code"], crash.fileno())
            tx.send_bytes(json.dumps(reply).encode())
        elif op == "end":
            killed = kill_related(os.getpid(), include_root=False)
            reap_children()
            os.chdir("/")
            session = None
            tx.send_bytes(json.dumps({"reads": sorted(GUARD.reads), "killed": killed}).encode())
        elif op == "quit":
            break
    kill_related(os.getpid(), include_root=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
