"""Find and kill the processes a snippet left behind, by reading ``/proc``.

A worker is started as a session leader (``start_new_session=True``), so every
process it forks shares its session id unless it calls ``setsid`` itself; the
worker also makes itself a child subreaper, so double-forked orphans are
re-parented to it and stay visible as descendants. Linux only; on other
systems these helpers find nothing and only the direct kill applies.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def _stat_fields(pid: int) -> tuple[int, int, int] | None:
    """(ppid, pgrp, session) of a live, non-zombie process, or None."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    rest = raw[raw.rfind(b")") + 2 :].split()
    if not rest or rest[0] in (b"Z", b"X"):
        return None
    return int(rest[1]), int(rest[2]), int(rest[3])


def _all_pids() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []


def related_processes(root: int) -> set[int]:
    """Live processes in ``root``'s session or descended from ``root`` (not root)."""
    table = {pid: fields for pid in _all_pids() if (fields := _stat_fields(pid))}
    found = {pid for pid, (_, _, sid) in table.items() if sid == root}
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    found.discard(root)
    found.discard(os.getpid())
    return found


def kill_related(root: int, *, include_root: bool, rounds: int = 20) -> int:
    """SIGKILL ``root``'s session and descendants until none is left; return the count.

    Repeats because a process may fork between the scan and the kill.
    """
    killed: set[int] = set()
    if include_root:
        try:
            os.killpg(root, signal.SIGKILL)
        except OSError:
            pass
    for _ in range(rounds):
        pids = related_processes(root)
        if include_root and _stat_fields(root):
            pids.add(root)
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except OSError:
                pass
        time.sleep(0.01)
    return len(killed)


def reap_children() -> None:
    """Collect exit statuses of our dead children so no zombies remain."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def become_subreaper() -> bool:
    """Make orphaned descendants re-parent to this process (Linux prctl); True on success."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def kill_cgroup(path: str | None, rounds: int = 20) -> int:
    """SIGKILL every process in a cgroup (it catches ``setsid`` and double-fork escapes)."""
    if not path:
        return 0
    killed: set[int] = set()
    for _ in range(rounds):
        try:
            pids = [int(p) for p in Path(path, "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return len(killed)
        pids = [p for p in pids if p != os.getpid()]
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except OSError:
                pass
        time.sleep(0.01)
    return len(killed)
