"""The kernel-enforced walls around one note's process (Linux).

Applied by the worker in the process it forks for a note, after imports and
before the first block runs, in this order:

1. **processes**: the note process joins a ``pids`` cgroup whose ``pids.max``
   caps the note's whole process tree (where a writable pids controller is
   found), and ``RLIMIT_NPROC`` is set to the user's current count plus the
   cap (it binds only users without ``CAP_SYS_RESOURCE``, i.e. not root);
2. **network**: a new, empty network namespace (``unshare(CLONE_NEWNET)``, or
   with a user namespace when unprivileged) where the kernel allows it;
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
import site
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000

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
        for name in os.listdir("/proc"):
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


def make_pids_cgroup(name: str, max_processes: int) -> str | None:
    """Create a child of this process's pids cgroup with ``pids.max``; None if not allowed."""
    try:
        lines = Path("/proc/self/cgroup").read_text(encoding="ascii").splitlines()
    except OSError:
        return None
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
    for base in candidates:
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
    if path:
        try:
            os.rmdir(path)
        except OSError:
            pass


def unshare_network() -> str | None:
    """Move into a new, empty network namespace; a description, or None if refused."""
    libc = _libc()
    if libc.unshare(CLONE_NEWNET) == 0:
        return "empty network namespace"
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return None
    try:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError:
        pass
    return "empty network namespace (user namespace)"


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


def apply_landlock(
    *, reads: list[str], writes: list[str], abi_cap: int | None = None
) -> tuple[int, list[str]]:
    """Restrict this process and its future children; (ABI used, what is active)."""
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
        for path in reads:
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
