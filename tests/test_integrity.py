"""Building never changes the vault, and a killed build leaves nothing broken behind.

* A copy of the demo vault is checksummed before and after `mkdocs build` (twice, the
  second from the cache), `mathvault check` and `mathvault figures`; the only change
  allowed is the files `mathvault figures` says it wrote.
* A build killed with SIGKILL half-way (snippet workers running) is followed by a build
  whose site equals a clean build's, with no warning: the cache survived the kill. No
  process of the killed build may stay alive.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_tests.sitebuild import DEMO_VAULT, build, unexpected_warnings

REPO = Path(__file__).resolve().parent.parent

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under `root` (dot files, symlinks and folders included) -> its digest."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def changes(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def session_alive(sid: int) -> list[str]:
    """Processes still running in session `sid` (zombies excluded)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields: state, ppid, pgrp, session
            alive.append(f"{entry.name}: {(entry / 'cmdline').read_bytes()[:120]!r}")
    return alive


def test_vault_never_changes(tmp_path):
    vault = tmp_path / "vault"
    shutil.copytree(DEMO_VAULT, vault, symlinks=True)
    before = snapshot(vault)
    assert any(k.endswith(".md") for k in before)

    for round_ in (1, 2):  # the second build is served from the cache
        result = build(vault, tmp_path / "work", plugin={"timeout": 120})
        assert result.returncode == 0, result.log[-3000:]
        assert changes(before, snapshot(vault)) == set(), f"build {round_} changed the vault"

    cli = [sys.executable, "-m", "mathvault.cli"]
    check = subprocess.run(
        cli + ["check", str(vault)],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        text=True,
        timeout=600,
        env=ENV,
    )
    assert check.returncode in (0, 1), check.stderr[-3000:]
    assert "Traceback" not in check.stderr, check.stderr[-3000:]
    assert changes(before, snapshot(vault)) == set(), "mathvault check changed the vault"

    figures = subprocess.run(
        cli + ["figures", str(vault), "--into", "attachments"],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env=ENV,
    )
    assert figures.returncode == 0, figures.stderr[-3000:]
    prefix = vault.as_posix().rstrip("/") + "/"
    wrote = {
        line[len("wrote ") + len(prefix) :]
        for line in figures.stdout.splitlines()
        if line.startswith("wrote ")
    }
    assert wrote, figures.stdout + figures.stderr  # the demo vault draws figures
    after = snapshot(vault)
    changed = changes(before, after)
    new_dirs = {k for k in changed if after.get(k) == "dir" and k not in before}
    assert changed - new_dirs == wrote, f"changed {sorted(changed)}, reported {sorted(wrote)}"
    assert all(k not in before for k in wrote), "figures replaced an existing file"


# How the formula checker proved a claim ("symbolic: ..." or, when SymPy ran out of its time
# limit on a busy machine, "numeric: ...") may differ between two builds; the verdict may not.
_PROOF_METHOD = re.compile("(</code>) — (?:symbolic|numeric): [^<]*".encode())


def _html_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): _PROOF_METHOD.sub(rb"\1", p.read_bytes())
        for p in site.rglob("*.html")
    }


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    """A clean build, and a build of the same vault SIGKILLed half-way then run again."""
    tmp_path = tmp_path_factory.mktemp("killed")
    vault = tmp_path / "vault"
    shutil.copytree(DEMO_VAULT, vault, symlinks=True)
    before = snapshot(vault)
    clean = build(vault, tmp_path / "clean", plugin={"timeout": 120})
    assert clean.returncode == 0, clean.log[-3000:]
    work = tmp_path / "work"
    work.mkdir()
    config = work / "mkdocs.yml"  # the same config, its own site and cache folders
    config.write_text(
        clean.config_file.read_text(encoding="utf-8").replace(
            str((tmp_path / "clean" / "site").resolve()), str((work / "site").resolve())
        ),
        encoding="utf-8",
    )
    cache = work / ".cache" / "plugin" / "mathvault"

    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
        cwd=work,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not cache.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the snippet engine is at work...
    time.sleep(1.0)  # ...then kill the build in the middle of it
    if proc.poll() is not None:
        pytest.skip("the build finished before it could be killed (machine too fast)")
    os.kill(proc.pid, signal.SIGKILL)  # only the main process, as a crash would
    proc.wait()
    time.sleep(3)  # workers notice their parent is gone
    left = session_alive(proc.pid)
    for line in left:  # never leave them running, whatever the tests say
        os.kill(int(line.split(":")[0]), signal.SIGKILL)

    again = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
        cwd=work,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        env=ENV,
    )
    return {
        "clean": clean,
        "again": again,
        "site": work / "site",
        "left": left,
        "vault_changes": changes(before, snapshot(vault)),
    }


def test_build_after_kill_equals_clean_build(killed):
    again, clean = killed["again"], killed["clean"]
    log = again.stdout + again.stderr
    assert again.returncode == 0, log[-3000:]
    # cache not corrupt: no warning but the demo's known finding
    assert unexpected_warnings(log) == [] and "Traceback" not in log, log[-3000:]
    rebuilt, fresh = _html_files(killed["site"]), _html_files(clean.site_dir)
    assert sorted(rebuilt) == sorted(fresh)
    differ = [name for name in fresh if rebuilt[name] != fresh[name]]
    assert not differ, f"pages differ from a clean build: {differ[:10]}"

    def figures(site: Path) -> list[str]:
        return sorted(p.name for p in site.rglob("_mathvault/generated/*"))

    assert figures(killed["site"]) == figures(clean.site_dir)
    assert figures(clean.site_dir), "the demo vault draws figures"
    assert killed["vault_changes"] == set()


def test_killed_build_leaves_no_process(killed):
    assert not killed["left"], f"processes left behind by the killed build: {killed['left']}"
