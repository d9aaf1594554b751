"""The snippet sandbox (issue 13), probed with hostile notes in real `mkdocs build` runs.

Each test writes a throwaway vault whose notes attack the build, runs the real
`mkdocs build` in a subprocess and asserts on what a reader and the build's user
would see: the page, the log (located at the note's line), the vault, the site, the
processes left and the temporary folder. No part of the sandbox is mocked; "no
Landlock" is played with the engine's own switch `MATHVAULT_LANDLOCK_ABI=0`.

Where each probe of the issue's "Must show" list is tested (real builds):

- read outside the vault, environment secret, network connect and listen, `os.open`
  with `dir_fd` and `sh -c` writes: tests/test_hostile.py
  `test_hostile_snippets_are_refused_by_the_kernel`; a plain `open()` write:
  `test_misbehaving_snippets_site` there;
- `ctypes` and guard-switched-off writes, dot-folder plants (refused), state leaks,
  `.md` written, `timeout=inf`, control characters, `os._exit`/segfault survivors
  (and a forked child holding the note's pipes, which must not stall the build),
  Hangul with no system font, warnings at the note's line, `env:` and
  `max_processes`: `test_hostile_notes_in_one_build`;
- concurrent scratch-folder tampering and cache poisoning (also after the attacker is
  deleted): `test_scratch_tampering_and_cache_poisoning`;
- same-size rewrite with the mtime restored, dot-folder plants seen by the content
  hash: `test_vault_changes_found_without_landlock`;
- the machine's missing walls do not fail `--strict`: `test_no_landlock_is_info_not_a_warning`;
- SIGTERM/SIGKILL of mkdocs: `test_killed_build_leaves_no_process_and_no_temp_files`;
- auto-captured figure: site_tests/test_snippets_site.py.
"""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageChops

from mathvault.snippets.engine import describe_changes, vault_digests
from mathvault.snippets.pool import sweep_leftovers
from mathvault.snippets.sandbox import landlock_abi, make_pids_cgroup, remove_cgroup
from site_tests.sitebuild import build

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the sandbox's kernel walls are Linux only"
)

LOCATED = re.compile(r"^WARNING -  mathvault: \.\./vault/(?P<path>.+?):(?P<line>\d+): (?P<msg>.*)$")


def note(*code: str, fence: str = "```python exec", after: str = "") -> str:
    """A note whose exec fence opens on line 3 (so the block's first line is line 4)."""
    return "\n".join(["# probe", "", fence, *code, "```", "", after or "AFTER-TEXT", ""])


def write_vault(root: Path, notes: dict[str, str]) -> Path:
    for rel, text in notes.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def located(result) -> dict[str, list[tuple[int, str]]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for m in map(LOCATED.match, result.warnings):
        if m:
            found.setdefault(m["path"], []).append((int(m["line"]), m["msg"]))
    return found


def page(result, name: str) -> str:
    return (result.site_dir / name / "index.html").read_text(encoding="utf-8")


def alive_with(marker: str) -> list[int]:
    """Non-zombie processes whose command line contains ``marker``."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
            state = Path(f"/proc/{name}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != b"Z":
            found.append(int(name))
    return found


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def sleep_mark() -> str:
    """A unique `sleep` duration: the marker by which the test finds a snippet's children."""
    return f"{5000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6}"


def needs_landlock(abi: int = 4) -> None:
    if landlock_abi() < abi:
        pytest.skip(f"the kernel has no Landlock ABI >= {abi}; the walls cannot be probed here")


# -- many probes, one build ----------------------------------------------------------


def test_hostile_notes_in_one_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_landlock()
    mark = sleep_mark()
    monkeypatch.setenv("MV_ALLOWED", "ALLOWED-VALUE")
    monkeypatch.setenv("MV_SECRET", "SECRET-VALUE-" + uuid.uuid4().hex)
    vault = tmp_path / "vault"
    (vault / ".obsidian" / "plugins").mkdir(parents=True)
    (vault / ".git" / "hooks").mkdir(parents=True)
    hangul = [
        "from matplotlib import font_manager as fm",
        "import matplotlib.pyplot as plt",
        "fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist"
        " if 'site-packages' in f.fname{extra}]",
        "fm.fontManager._findfont_cached.cache_clear()",
        "plt.figure(figsize=(3, 1))",
        "plt.text(0.1, 0.4, '미분과 접선', fontsize=20)",
        "plt.savefig('{name}.png')",  # line 10 of the note
    ]
    notes = {
        "ctypes.md": note(
            "import ctypes, os",
            "libc = ctypes.CDLL(None, use_errno=True)",
            "fd = libc.open(str(VAULT_DIR / 'ctypes.md').encode(), os.O_WRONLY | os.O_TRUNC)",
            "if fd < 0:",
            "    raise PermissionError(ctypes.get_errno(), 'ctypes open refused')",
            "libc.write(fd, b'# pwned', 8)",
        ),
        "guardoff.md": note(
            "import sys",
            "sys.modules['__main__'].GUARD.active = False",
            "open(VAULT_DIR / 'guardoff.md', 'w').write('# pwned')",
        ),
        "dotplant.md": note(
            "import subprocess",
            "subprocess.run(['sh', '-c', 'mkdir -p \"$0/.obsidian/plugins/evil\" && "
            'echo x > "$0/.obsidian/plugins/evil/main.js"\', str(VAULT_DIR)], check=True)',
        ),
        "githook.md": note(
            "import os",
            "hook = VAULT_DIR / '.git' / 'hooks' / 'post-checkout'",
            "fd = os.open(hook, os.O_WRONLY | os.O_CREAT)",
        ),
        "leak1.md": note(
            "import builtins, math, sys, numpy",
            "builtins.print = lambda *a, **k: None",
            "math.pi = 3",
            "numpy.LEAKED = True",
            "sys.addaudithook(lambda *a: None)",
            "sys.modules['__main__'].Session.run = None",
        ),
        "leak2.md": note(
            "import math, numpy",
            "print('STATE', math.pi == 3, hasattr(numpy, 'LEAKED'))",
        ),
        "pages.md": note("open('notes.md', 'w').write('# planted page')", "print('PAGES-RAN')"),
        "inf.md": note("print('never')", fence="```python exec timeout=inf"),
        "ctl.md": note("print('CTL \\x1b[31mRED\\x1b[0m NUL \\x00 BELL \\x07')"),
        "exit.md": note(
            "import os, subprocess",
            f"subprocess.Popen(['sleep', '{mark}'], start_new_session=True)",
            "if os.fork() == 0:  # holds the note's pipes: must not stall the build",
            "    os.setsid()",
            f"    os.execvp('sleep', ['sleep', '{mark}'])",
            "os._exit(3)",
        ),
        "segv.md": note(
            "import ctypes, subprocess",
            f"subprocess.Popen(['sleep', '{mark}'], start_new_session=True)",
            "ctypes.string_at(0)",
        ),
        "hangul.md": note(*[line.format(extra="", name="hangul") for line in hangul]),
        "boxes.md": note(
            *[line.format(extra=" and 'Nanum' not in f.name", name="boxes") for line in hangul]
        ),
        "env.md": note(
            "import os",
            "print('ENV', os.environ.get('MV_ALLOWED'), os.environ.get('MV_SECRET'))",
        ),
        "bomb.md": note(
            "import subprocess",
            "procs = []",
            "try:",
            "    for _ in range(200):",
            f"        procs.append(subprocess.Popen(['sleep', '{mark}']))",
            "except OSError as exc:",
            "    print('BOMB', len(procs), type(exc).__name__)",
        ),
    }
    write_vault(vault, notes)
    before = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file()}
    started = time.monotonic()
    result = build(
        vault,
        tmp_path / "work",
        timeout=400,
        plugin={
            "verify": False,
            "timeout": 200,  # a stalled block would hold the build this long
            "jobs": 1,  # every note on the same worker: a leak would reach the next note
            "env": ["MV_ALLOWED"],
            "max_processes": 8,
        },
    )
    log = result.log
    assert result.returncode == 0, log[-3000:]
    assert time.monotonic() - started < 150, "a block stalled until its timeout"
    assert "Traceback" not in log.split("INFO")[0]
    where = located(result)
    assert len(sum(where.values(), [])) == len(result.warnings), log[-3000:]

    def refused(name: str, line: int, error: str) -> None:
        assert any(n == line and error in msg for n, msg in where.get(name, [])), (name, log)
        html = page(result, name[:-3])
        assert "Snippet failed" in html and "AFTER-TEXT" in html, name

    # the five ways to write into the vault: the kernel refuses each
    refused("ctypes.md", 8, "PermissionError")
    refused("guardoff.md", 6, "PermissionError")
    refused("dotplant.md", 5, "CalledProcessError")
    refused("githook.md", 6, "PermissionError")
    assert {p: p.read_bytes() for p in vault.rglob("*") if p.is_file()} == before
    assert not (vault / ".obsidian" / "plugins" / "evil").exists()
    # notes share nothing: not builtins, modules, audit hooks nor the worker's code
    assert "STATE False False" in page(result, "leak2")
    # a generated page is refused with a warning at its block; no page is built
    assert (
        3,
        "generated file 'notes.md' was not published: a snippet may not make pages; "
        "give it another extension (e.g. .txt)",
    ) in where["pages.md"]
    assert "PAGES-RAN" in page(result, "pages")
    assert not [p for p in result.site_dir.rglob("notes*") if p.name in ("notes.md", "notes")]
    # timeout=inf is an error at the fence, the block does not run
    assert any(n == 3 and "timeout must be a positive number" in msg for n, msg in where["inf.md"])
    # control characters: escaped on the page and in the log
    assert "\x1b" not in log and "\x00" not in log
    ctl = page(result, "ctl")
    assert "\\x1b[31mRED\\x1b[0m NUL \\x00 BELL \\x07" in ctl and "\x1b" not in ctl
    # a crashed or exiting note takes its children along
    assert any(n == 3 and "exit status 3" in msg for n, msg in where["exit.md"]), log
    assert any(n == 6 and "SIGSEGV" in msg for n, msg in where["segv.md"]), log
    assert wait_for(lambda: not alive_with(mark), 5), alive_with(mark)
    # Hangul with only matplotlib's fonts and the pip-installed NanumGothic: no missing
    # glyph; with NanumGothic dropped too, the same figure warns (in the log, at the line
    # of savefig) and draws different pixels: the boxes
    assert "hangul.md" not in where
    assert any(
        n == 10 and msg.startswith("snippet warning: UserWarning: Glyph") and "missing from" in msg
        for n, msg in where["boxes.md"]
    ), where.get("boxes.md")
    assert "Glyph" not in page(result, "boxes")
    generated = result.site_dir / "_mathvault" / "generated"
    with Image.open(generated / "hangul.png") as good, Image.open(generated / "boxes.png") as bad:
        assert good.size == bad.size
        assert ImageChops.difference(good.convert("RGBA"), bad.convert("RGBA")).getbbox()
    # env: only the allowed variable; max_processes: the cap binds (the note's own two
    # processes, the waiter and its init, count too)
    assert "ENV ALLOWED-VALUE None" in page(result, "env")
    count, error = re.search(r"BOMB (\d+) (\w+)", page(result, "bomb")).groups()  # type: ignore[union-attr]
    assert error == "BlockingIOError" and int(count) < 8
    assert "env.md" not in where and "bomb.md" not in where


# -- notes running at the same time, and the cache ------------------------------------


def test_scratch_tampering_and_cache_poisoning(tmp_path: Path) -> None:
    """Two workers: the attacker looks for other notes' scratch folders and the snippet
    cache for 15 s while victims draw their figures; nothing is reachable. Rebuilt
    with the attacker deleted, every victim still shows its own output and figure."""
    needs_landlock()
    cache = tmp_path / "cache"
    attack = [
        "import glob, os, tempfile, time",
        "hits, errors = [], set()",
        "end = time.time() + 15",
        "while time.time() < end:",
        f"    for pattern in ('/tmp/mathvault-snippet-*/*', {str(cache)!r} + '/**/*'):",
        "        try:",
        "            for path in glob.glob(pattern, recursive=True):",
        "                open(path, 'wb').write(b'ATTACKER')",
        "                hits.append(path)",
        "        except OSError as exc:",
        "            errors.add(type(exc).__name__)",
        f"    for folder in ('/tmp', {str(cache)!r}):",
        "        try:",
        "            os.listdir(folder)",
        "            hits.append(folder)",
        "        except OSError as exc:",
        "            errors.add(type(exc).__name__)",
        "    time.sleep(0.05)",
        "print('ATTACK', hits[:3], sorted(errors))",
    ]

    def victim(n: int) -> str:
        return note(
            "import time, matplotlib.pyplot as plt",
            "time.sleep(1)",
            f"plt.plot([0, {n}])",
            f"plt.savefig('v{n}.png')",
            f"print('VICTIM-{n}')",
        )

    vault = write_vault(
        tmp_path / "vault",
        {"attacker.md": note(*attack), **{f"victim{n}.md": victim(n) for n in range(6)}},
    )
    plugin = {"verify": False, "jobs": 2, "cache_dir": str(cache)}
    first = build(vault, tmp_path / "one", timeout=400, plugin=plugin)
    assert first.returncode == 0 and first.warnings == [], first.log[-3000:]
    attacked = re.search(r"ATTACK (\[.*?\]) (\[.*?\])", html.unescape(page(first, "attacker")))
    assert attacked and attacked[1] == "[]" and "PermissionError" in attacked[2], attacked
    figures = {}
    for n in range(6):
        assert f"VICTIM-{n}" in page(first, f"victim{n}")
        png = first.site_dir / "_mathvault" / "generated" / f"v{n}.png"
        figures[n] = png.read_bytes()
        assert figures[n].startswith(b"\x89PNG")
    (vault / "attacker.md").unlink()
    second = build(vault, tmp_path / "two", timeout=400, plugin=plugin)
    assert second.returncode == 0 and second.warnings == [], second.log[-3000:]
    assert "6 snippets in 6 notes: 0 run, 6 cached" in second.log
    for n in range(6):
        assert f"VICTIM-{n}" in page(second, f"victim{n}")
        png = second.site_dir / "_mathvault" / "generated" / f"v{n}.png"
        assert png.read_bytes() == figures[n]


# -- the second wall: the vault's content, without Landlock ---------------------------


def test_vault_digests_see_a_same_size_rewrite_with_the_mtime_restored(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "v", {"a.md": "alpha\n", ".git/hooks/pre-commit": "exit 0\n"})
    before = vault_digests(vault)
    target = vault / "a.md"
    st = target.stat()
    target.write_bytes(b"omega\n")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    (vault / ".obsidian" / "plugins" / "evil").mkdir(parents=True)
    (vault / ".obsidian" / "plugins" / "evil" / "main.js").write_text("x")
    assert target.stat().st_size == st.st_size and target.stat().st_mtime_ns == st.st_mtime_ns
    assert describe_changes(before, vault_digests(vault)) == (
        ".obsidian/plugins/evil/main.js (created), a.md (modified)"
    )


def test_vault_changes_found_without_landlock(tmp_path: Path, monkeypatch) -> None:
    """With the kernel wall off (as on a kernel without Landlock), a child process (no
    audit hook) rewrites a note with the same size and restores its mtime, and plants
    files in `.obsidian/plugins` and `.git/hooks`: every change is reported, located."""
    monkeypatch.setenv("MATHVAULT_LANDLOCK_ABI", "0")
    rewrite = (
        "import os, sys; p = sys.argv[1]; st = os.stat(p); "
        "open(p, 'r+').write('EVIL'); os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))"
    )
    plant = (
        "import os, sys; v = sys.argv[1]; os.makedirs(v + '/.obsidian/plugins/evil'); "
        "open(v + '/.obsidian/plugins/evil/main.js', 'w').write('x'); "
        "open(v + '/.git/hooks/post-checkout', 'r+').write('EVIL')"
    )
    vault = write_vault(
        tmp_path / "vault",
        {
            "data.txt": "good data\n",
            ".git/hooks/post-checkout": "exit 0 # fine\n",
            "rewrite.md": note(
                "import subprocess, sys",
                f"subprocess.run([sys.executable, '-c', {rewrite!r}, str(NOTE_DIR / 'data.txt')])",
            ),
            "plant.md": note(
                "import subprocess, sys",
                f"subprocess.run([sys.executable, '-c', {plant!r}, str(VAULT_DIR)], check=True)",
            ),
        },
    )
    size = (vault / "data.txt").stat().st_size
    result = build(vault, tmp_path / "work", timeout=300, plugin={"verify": False, "jobs": 1})
    assert (vault / "data.txt").read_text() == "EVIL data\n"  # not refused: no kernel wall
    assert (vault / "data.txt").stat().st_size == size
    where = located(result)
    assert any(
        n == 3 and msg.startswith("the snippets changed the vault: data.txt (modified)")
        for n, msg in where.get("rewrite.md", [])
    ), result.log[-3000:]
    hash_msg = "this vault file changed while the snippets ran ({}); snippets may only write"
    for path, what in (
        (".obsidian/plugins/evil/main.js", "created"),
        (".git/hooks/post-checkout", "its bytes changed"),
    ):
        assert any(
            line.startswith(f"WARNING -  mathvault: ../vault/{path}: {hash_msg.format(what)}")
            for line in result.warnings
        ), (path, result.log[-3000:])
    assert "snippets are NOT walled in by the kernel" in result.log


def test_no_landlock_is_info_not_a_warning(tmp_path: Path, monkeypatch) -> None:
    """A kernel without Landlock is the machine's limit, not a problem in the vault: said
    once, at INFO, and `--strict` passes."""
    monkeypatch.setenv("MATHVAULT_LANDLOCK_ABI", "0")
    vault = write_vault(tmp_path / "vault", {"a.md": note("print('FINE')"), "b.md": note("1")})
    result = build(vault, tmp_path / "work", strict=True, timeout=300, plugin={"verify": False})
    assert result.returncode == 0, result.log[-3000:]
    assert result.warnings == []
    lines = [line for line in result.log.splitlines() if "NOT walled in by the kernel" in line]
    assert len(lines) == 1 and lines[0].startswith("INFO"), result.log
    assert "use `execute: false` for a vault you do not trust" in lines[0]
    assert "FINE" in page(result, "a")


# -- mkdocs itself terminated or killed ------------------------------------------------


def _pids_cgroup(worker: int) -> list[Path]:
    return [
        p / f"mathvault-{worker}"
        for p in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))
        if (p / f"mathvault-{worker}").exists()
    ]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_build_leaves_no_process_and_no_temp_files(tmp_path: Path, signum: int) -> None:
    """mkdocs is killed while a snippet runs that started a `start_new_session` sleeper
    and a double-forked (setsid) one: within seconds no process of the note is alive,
    the build's temporary folder is empty and the workers' cgroups are gone."""
    mark = sleep_mark()
    vault = write_vault(
        tmp_path / "vault",
        {
            "hang.md": note(
                "import os, subprocess, time",
                f"subprocess.Popen(['sleep', '{mark}'], start_new_session=True)",
                "if os.fork() == 0:",
                "    os.setsid()",
                "    if os.fork() == 0:",
                f"        os.execvp('sleep', ['sleep', '{mark}'])",
                "    os._exit(0)",
                "time.sleep(600)",
            ),
            "fine.md": note("print('fine')"),
        },
    )
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    config = work / "mkdocs.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "site_name": "killed",
                "docs_dir": str(vault),
                "site_dir": str(work / "site"),
                "plugins": [{"mathvault": {"verify": False, "jobs": 2, "timeout": 500}}],
            }
        ),
        encoding="utf-8",
    )
    env = dict(os.environ, TMPDIR=str(tmpdir), NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: len(alive_with(mark)) == 2, 120), "the sleepers never started"
        workers = [
            pid
            for pid in alive_with("mathvault.snippets.worker")
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1] == str(proc.pid)
        ]
        assert workers and any(tmpdir.iterdir())
        proc.send_signal(signum)
        proc.wait(timeout=30)
        assert wait_for(lambda: not alive_with(mark), 5), alive_with(mark)
        assert wait_for(lambda: not any(Path(f"/proc/{w}").exists() for w in workers), 5)
        assert wait_for(lambda: not any(tmpdir.iterdir()), 5), list(tmpdir.iterdir())
        assert not [c for w in workers for c in _pids_cgroup(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_next_build_sweeps_what_a_dead_build_left(tmp_path: Path) -> None:
    """Leftovers of a build whose process is gone (a worker killed with it could not clean
    up) go; those of a live build, or changed in the last hour, stay."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [
        tmp_path / f"mathvault-snippet-{dead.pid}-abc",
        tmp_path / f"mathvault-worker-{dead.pid}-abc.log",
    ]
    stale[0].mkdir()
    (stale[0] / "dev.png").write_bytes(b"x")
    stale[1].write_text("")
    live = tmp_path / f"mathvault-worker-{os.getpid()}-abc.log"
    live.write_text("")
    recent = tmp_path / f"mathvault-worker-{dead.pid}-new.log"  # maybe another namespace's
    recent.write_text("")
    old = time.time() - 2 * 3600
    for path in (*stale, live):
        os.utime(path, (old, old))
    cgroup = make_pids_cgroup(f"mathvault-{dead.pid}", 4)
    try:
        removed = sweep_leftovers(str(tmp_path))
        assert sorted(removed[:2]) == sorted(map(str, stale))
        assert live.exists() and recent.exists() and not any(p.exists() for p in stale)
        if cgroup:
            assert cgroup in removed and not os.path.exists(cgroup)
    finally:
        remove_cgroup(cgroup)


def test_env_and_max_processes_settings_are_checked_when_mkdocs_loads_them() -> None:
    from mathvault.mkdocs.config import MathvaultConfig

    def errors(options: dict) -> list[str]:
        config = MathvaultConfig()
        config.load_dict(options)
        return [f"{name}: {error}" for name, error in config.validate()[0]]

    assert errors({"env": ["CI_JOB_ID", "_X1"], "max_processes": 8}) == []
    assert errors({"env": ["A-B"]}) == [
        "env: 'A-B' is not an environment variable name (letters, digits and _)"
    ]
    assert errors({"max_processes": 0})[0].startswith("max_processes: ")
    assert errors({"env": "CI_JOB_ID"})[0].startswith("env: ")  # a list, not one name
