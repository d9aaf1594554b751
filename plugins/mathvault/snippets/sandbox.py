"""The kernel-enforced walls around one note's process (Linux).

Applied by the worker in the process it forks for a note, after imports and
before the first block runs, in this order:

1. **processes**: the note process joins a ``pids`` cgroup whose ``pids.max``
   caps the note's whole process tree (where a writable pids controller is
   found), and ``RLIMIT_NPROC`` is set to the user's current count plus the
   cap (it binds only users without ``CAP_SYS_RESOURCE``, i.e. not root);
2. **namespaces**: a new, empty network namespace and a new PID namespace whose
   init runs the note (``unshare``, with a user namespace when unprivileged),
   where the kernel allows them; note processes die with their parent
   (``PR_SET_PDEATHSIG``), so the chain build -> worker -> note -> everything the
   note started cannot outlive a killed worker;
3. **Landlock** (via the ``landlockpy`` package): reads only from the Python
   installation, system libraries, fonts, the vault and the scratch folder;
   writes only into the scratch folder; no TCP bind/connect (ABI >= 4); no
   signals or abstract UNIX sockets to processes outside (ABI >= 6).

Each step that the kernel refuses is recorded, not fatal: :func:`apply`
returns what is active so the engine can say once, loudly, what is missing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import site
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
CLONE_NEWPID = 0x20000000
PR_SET_PDEATHSIG = 1

# Read (and execute) beneath these, when they exist: system libraries and tools,
# the interpreter, fonts and their configuration. Not /etc as a whole, not /proc,
# not /home or /root, not /tmp.
SYSTEM_READ = (
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/opt",
    "/etc/fonts",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/alternatives",
    "/etc/matplotlibrc",
    "/etc/mime.types",
    "/etc/ssl/openssl.cnf",
)
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")


def python_roots(package_root: str) -> list[str]:
    """The interpreter's own folders, site-packages and the folder holding mathvault/."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, package_root}
    roots.update(p for p in sysconfig.get_paths().values() if p)
    try:
        roots.update(site.getsitepackages())
    except AttributeError:  # some virtualenvs' site module lacks it
        pass
    user = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    if user:
        roots.add(user)
    # modules already imported from elsewhere (e.g. a .pth file's editable install)
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and os.path.isabs(path):
            top = os.path.dirname(path)
            if os.path.basename(top) != "site-packages":
                roots.add(top)
    too_wide = {"/", os.path.expanduser("~"), tempfile.gettempdir()}
    return sorted(r for r in roots if r and r not in too_wide and os.path.exists(r))


def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def limit_processes(cgroup: str | None, max_processes: int) -> list[str]:
    """Join ``cgroup`` (its pids.max already set) and set RLIMIT_NPROC; what is active."""
    active = []
    if cgroup:
        try:
            _write(os.path.join(cgroup, "cgroup.procs"), str(os.getpid()))
            active.append(f"pids cgroup (pids.max {max_processes})")
        except OSError:
            pass
    if os.geteuid() != 0:
        import resource

        mine = 0
        uid = os.getuid()
        try:
            names = os.listdir("/proc")
        except OSError:  # no /proc (macOS): the user's count is unknown, a cap could
            return active  # stop every fork, so none is set
        for name in names:
            if name.isdigit():
                try:
                    mine += os.stat(f"/proc/{name}").st_uid == uid
                except OSError:
                    continue
        try:
            cap = mine + max_processes
            resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
            active.append(f"RLIMIT_NPROC ({max_processes} more processes)")
        except (ValueError, OSError):
            pass
    return active


def pids_cgroup_bases() -> list[str]:
    """Folders under which this process may make a ``pids`` cgroup (v1 or v2 layout)."""
    try:
        lines = Path("/proc/self/cgroup").read_text(encoding="ascii").splitlines()
    except OSError:
        return []
    candidates = []
    for line in lines:
        _, controllers, rel = line.split(":", 2)
        if "pids" in controllers.split(","):
            candidates.append(os.path.join("/sys/fs/cgroup/pids", rel.lstrip("/")))
        elif controllers == "":
            base = os.path.join("/sys/fs/cgroup", rel.lstrip("/"))
            try:
                if "pids" in Path(base, "cgroup.subtree_control").read_text().split():
                    candidates.append(base)
            except OSError:
                pass
    return candidates


def make_pids_cgroup(name: str, max_processes: int) -> str | None:
    """Create a child of this process's pids cgroup with ``pids.max``; None if not allowed."""
    for base in pids_cgroup_bases():
        path = os.path.join(base, name)
        try:
            os.makedirs(path, exist_ok=True)
            _write(os.path.join(path, "pids.max"), str(max_processes))
            return path
        except OSError:
            try:
                os.rmdir(path)
            except OSError:
                pass
    return None


def remove_cgroup(path: str | None) -> None:
    """Remove an (empty) cgroup made by :func:`make_pids_cgroup`."""
    if not path:
        return
    for _ in range(50):  # exiting tasks may keep it busy for a moment
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.01)


def die_with_parent(parent: int) -> bool:
    """SIGKILL this process when ``parent`` (its parent now) dies; False if it already has.

    Set right after ``fork``; the kernel sends the signal when the parent thread
    exits, however it ends (SIGKILL included), so nothing below is orphaned.
    """
    try:
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return True
    return os.getppid() == parent


def unshare_namespaces(*, net: bool, pid: bool) -> tuple[bool, bool]:
    """Move into a new, empty network namespace and/or make later children start a new
    PID namespace; (network done, pid done).

    Tried as is (root), then inside a new user namespace (unprivileged users, where
    the kernel allows them), then one at a time. With a PID namespace the next
    child forked is its init: when that process ends, the kernel kills every
    process left inside it, however it was started (``setsid``, double fork,
    ``CLONE_PARENT``, PID-hopping loops), and none of them can see or signal
    anything outside.
    """
    libc = _libc()
    if not hasattr(libc, "unshare"):  # not Linux
        return False, False
    tries = []
    if net and pid:
        tries.append((True, True))
    if pid:
        tries.append((False, True))
    if net:
        tries.append((True, False))
    uid, gid = os.getuid(), os.getgid()
    for want_net, want_pid in tries:
        flags = (CLONE_NEWNET if want_net else 0) | (CLONE_NEWPID if want_pid else 0)
        if libc.unshare(flags) == 0:
            return want_net, want_pid
        if libc.unshare(CLONE_NEWUSER | flags) == 0:
            try:
                _write("/proc/self/setgroups", "deny")
                _write("/proc/self/uid_map", f"{uid} {uid} 1")
                _write("/proc/self/gid_map", f"{gid} {gid} 1")
            except OSError:
                pass
            return want_net, want_pid
    return False, False


def outer_pid() -> int:
    """This process's id as the build sees it (``/proc`` belongs to the outer PID
    namespace; ``os.getpid()`` is 1 for the init of a new one). Call before Landlock."""
    try:
        return int(os.readlink("/proc/self"))
    except (OSError, ValueError):
        return os.getpid()


def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0: none, or the package is missing)."""
    try:
        import landlockpy
    except ImportError:
        return 0
    try:
        return landlockpy.abi_version()
    except Exception:  # noqa: BLE001 - any failure means no Landlock
        return 0


def outermost(paths: list[str]) -> list[str]:
    """``paths`` without those inside another of them (a rule for the outer one covers
    them): fewer Landlock rules to add in every note process."""
    kept: list[str] = []
    for path in sorted({os.path.normpath(p) for p in paths}):
        if not any(path == k or path.startswith(k.rstrip(os.sep) + os.sep) for k in kept):
            kept.append(path)
    return kept


def apply_landlock(
    *, reads: list[str], writes: list[str], abi_cap: int | None = None, abi: int | None = None
) -> tuple[int, list[str]]:
    """Restrict this process and its future children; (ABI used, what is active).
    ``abi``: the kernel's ABI if already known (the worker asks once, before forking)."""
    if abi is None:
        abi = landlock_abi()
    if abi_cap is not None:
        abi = min(abi, abi_cap)
    if abi < 1:
        return 0, []
    from landlockpy import (
        AccessFS,
        AccessNet,
        Ruleset,
        Scope,
        fs_for_abi,
        net_for_abi,
        scope_for_abi,
    )

    handled_fs = fs_for_abi(abi)
    handled_net = net_for_abi(abi) & (AccessNet.BIND_TCP | AccessNet.CONNECT_TCP)
    scoped = scope_for_abi(abi)
    read = AccessFS.READ_FILE | AccessFS.READ_DIR | AccessFS.EXECUTE
    active = ["Landlock files (read: Python, system libraries, fonts, vault; write: scratch)"]
    with Ruleset(handled_fs=handled_fs, handled_net=handled_net, scoped=scoped) as ruleset:
        for path in outermost(reads):
            if os.path.exists(path):
                ruleset.allow_path(path, read if os.path.isdir(path) else AccessFS.READ_FILE)
        for path in DEVICES:
            if os.path.exists(path):
                ruleset.allow_path(path, AccessFS.READ_FILE | AccessFS.WRITE_FILE)
        for path in writes:
            ruleset.allow_path(path, handled_fs & ~(AccessFS.MAKE_CHAR | AccessFS.MAKE_BLOCK))
        ruleset.restrict()
    if handled_net:
        active.append("Landlock network (no TCP bind or connect)")
    if scoped & Scope.SIGNAL:
        active.append("Landlock scope (no signals or abstract sockets outside the note)")
    return abi, active
