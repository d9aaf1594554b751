"""Real runs of the snippet engine: worker processes, cache, limits, hostile snippets.

Every test starts real worker processes (no mocks). Process leaks are checked
by scanning ``/proc`` for a marker argument only the test's children carry.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

import pytest
from PIL import Image

from mathvault.snippets import NoteResult, SnippetEngine, format_traceback

REPO = Path(__file__).resolve().parents[1]
SEED = "3. 미적분/3.4.3. 미분.md"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="worker isolation relies on Linux /proc and prctl"
)


def write(vault: Path, rel: str, text: str) -> str:
    path = vault / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def run(
    vault: Path, cache: Path, notes: list[str], **options: object
) -> tuple[dict[str, NoteResult], str]:
    with SnippetEngine(vault, cache, **options) as engine:  # type: ignore[arg-type]
        for rel in notes:
            engine.submit(rel, (vault / rel).read_text(encoding="utf-8"))
        results = engine.wait_all()
        summary = engine.summary()
        assert engine.warnings() == []
    return results, summary


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


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


def wait_gone(marker: str, seconds: float = 3.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := alive_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    return root


# -- caching --------------------------------------------------------------------------

CACHE_NOTES = {
    "a.md": "# A\n\n```python exec\nprint(sum(range(10)))\n```\n",
    "sub/b.md": "# B\n\nprose\n\n```python exec\nb = 2\n```\n\n```python exec\nprint(b * 21)\n```\n",  # noqa: E501 (a note's text, kept on one line)
    "sub/c.md": "```python exec\nprint(open(NOTE_DIR / 'data.csv').read().strip())\n```\n",
    "plain.md": "```python\nprint('not executed')\n```\n",
}


def test_cache_second_run_prose_edit_snippet_edit_and_input_file(
    vault: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    for rel, text in CACHE_NOTES.items():
        write(vault, rel, text)
    write(vault, "sub/data.csv", "1,2,3\n")
    notes = list(CACHE_NOTES)

    first, summary = run(vault, cache, notes, jobs=2)
    assert set(first) == {"a.md", "sub/b.md", "sub/c.md"}  # plain.md has no exec block
    assert [b.stdout for b in first["sub/b.md"].blocks] == ["", "42\n"]
    assert first["sub/c.md"].blocks[0].stdout == "1,2,3\n"
    assert not any(r.cached for r in first.values())
    assert "4 snippets in 3 notes: 4 run, 0 cached" in summary

    second, summary = run(vault, cache, notes, jobs=2)
    assert all(r.cached for r in second.values())
    assert "4 snippets in 3 notes: 0 run, 4 cached" in summary
    assert second["sub/b.md"].blocks[1].stdout == "42\n"

    # prose edits change nothing; one edited snippet reruns exactly that note
    write(vault, "a.md", CACHE_NOTES["a.md"].replace("# A", "# A, now longer\n\nmore prose"))
    write(vault, "sub/b.md", CACHE_NOTES["sub/b.md"].replace("b * 21", "b * 50"))
    third, summary = run(vault, cache, notes, jobs=2)
    assert {p for p, r in third.items() if not r.cached} == {"sub/b.md"}
    assert third["sub/b.md"].blocks[1].stdout == "100\n"
    assert "2 run, 2 cached" in summary

    # a vault file the snippet read is part of the key
    write(vault, "sub/data.csv", "4,5,6\n")
    fourth, _ = run(vault, cache, notes, jobs=2)
    assert {p for p, r in fourth.items() if not r.cached} == {"sub/c.md"}
    assert fourth["sub/c.md"].blocks[0].stdout == "4,5,6\n"


def test_cached_error_line_follows_the_block_and_corrupt_entry_reruns(
    vault: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    text = write(
        vault,
        "n.md",
        "intro\n\n```python exec\nx = 1\ny = x / 0\n```\n\n```python exec\nprint(2)\n```\n",
    )
    (first,) = run(vault, cache, ["n.md"]).__getitem__(0).values()
    assert [b.status for b in first.blocks] == ["error", "skipped"]
    assert first.messages() == ["n.md:5: snippet failed: ZeroDivisionError: division by zero"]
    assert "n.md:5" not in first.blocks[1].error and "line 5" in first.blocks[1].error

    write(vault, "n.md", "intro\nnew line\nanother\n" + text[len("intro\n") :])
    results, _ = run(vault, cache, ["n.md"])
    assert results["n.md"].cached
    assert results["n.md"].messages() == [
        "n.md:7: snippet failed: ZeroDivisionError: division by zero"
    ]
    blocks = [b.block for b in results["n.md"].blocks]
    assert 'File "n.md", line 7' in format_traceback(results["n.md"].blocks[0], blocks, "n.md")

    for entry in (cache / "entries").rglob("*.json"):
        entry.write_text('{"blocks": [', encoding="utf-8")  # as if torn mid-write
    with SnippetEngine(vault, cache) as engine:
        engine.submit("n.md", (vault / "n.md").read_text(encoding="utf-8"))
        assert not engine.result("n.md").cached  # type: ignore[union-attr]
        assert any("ignoring unreadable snippet cache entry" in w for w in engine.warnings())


# -- figures and fonts ----------------------------------------------------------------


def test_open_figures_are_captured_and_hangul_renders(vault: Path, tmp_path: Path) -> None:
    from mathvault.snippets.fonts import configure_matplotlib

    if configure_matplotlib() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    write(
        vault,
        "f/그림.md",
        """```python exec
import warnings
import matplotlib.pyplot as plt
warnings.simplefilter("error")  # a missing Hangul glyph warning fails the block
fig, ax = plt.subplots()
ax.plot([0, 1], [1, 0])
ax.set_title("미분과 접선")
fig.canvas.draw()
```

```python exec
import os
plt.plot([1, 2])
os.makedirs("data", exist_ok=True)
with open("data/points.csv", "w") as fh:
    fh.write("1,2\\n")
```
""",
    )
    with SnippetEngine(vault, tmp_path / "cache", jobs=1) as engine:
        engine.submit("f/그림.md", (vault / "f/그림.md").read_text(encoding="utf-8"))
        result = engine.result("f/그림.md")
        assert result is not None and result.ok, result.messages() if result else None
        first, second = result.blocks
        assert first.figures == ["그림-1.png"]
        assert second.figures == [] and second.written == ["data/points.csv"]
        generated = engine.generated()
        assert set(generated) == {"그림-1.png", "data/points.csv"}
        assert image_size(generated["그림-1.png"])[0] >= 600
        assert generated["data/points.csv"].read_text() == "1,2\n"
        assert [str(p) for p in engine.asset_clashes({"그림-1.png"})] == [
            (
                "f/그림.md:1: generated file '그림-1.png' has the same name as a vault file; "
                "the vault file is used, rename one"
            )
        ]


def test_seed_note_draws_dev_and_partial_dev(tmp_path: Path) -> None:
    vault = REPO / "vault"
    before = {p: p.stat().st_mtime_ns for p in vault.rglob("*") if p.is_file()}
    with SnippetEngine(vault, tmp_path / "cache", jobs=1) as engine:
        engine.submit(SEED, (vault / SEED).read_text(encoding="utf-8"))
        result = engine.result(SEED)
        assert result is not None and result.ok, result.messages() if result else None
        generated = engine.generated()
        assert {"dev.png", "partial_dev.png"} <= set(generated)
        for name in ("dev.png", "partial_dev.png"):
            width, height = image_size(generated[name])
            assert width >= 600 and height >= 400
    assert {p: p.stat().st_mtime_ns for p in vault.rglob("*") if p.is_file()} == before


# -- failures, limits and hostile snippets --------------------------------------------


def test_failures_limits_and_leftover_processes(vault: Path, tmp_path: Path) -> None:
    mark = f"{3000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6}"  # a sleep duration
    notes = {
        "fail.md": "# f\n\n```python exec\nimport math\nx = math.sqrt(4)\ny = 1 / (x - 2)\n```\n\n```python exec\nprint('later')\n```\n",  # noqa: E501 (a note's text, kept on one line)
        "hang.md": "```python exec timeout=2\nimport time\nprint('before')\nwhile True:\n    time.sleep(0.1)\n```\n",  # noqa: E501 (a note's text, kept on one line)
        "memory.md": "```python exec\nchunks = []\nfor _ in range(200):\n    chunks.append(bytearray(50 * 2**20))\n```\n",  # noqa: E501 (a note's text, kept on one line)
        "exit.md": "text\n\n```python exec\nimport os\nos._exit(3)\n```\n",
        "segv.md": "```python exec\nimport ctypes\n\nctypes.string_at(0)\n```\n",
        "forks.md": (
            "```python exec timeout=2\nimport os, subprocess, time\n"
            f"procs = [subprocess.Popen(['sleep', '{mark}']) for _ in range(20)]\n"
            "for _ in range(20):\n"
            "    if os.fork() == 0:\n"
            "        os.fork()\n"
            f"        os.execvp('sleep', ['sleep', '{mark}'])\n"
            "time.sleep(60)\n```\n"
        ),
        "loud.md": "```python exec\nfor _ in range(1_000_000):\n    print('x' * 99)\n```\n",
        "leftover.md": (
            "```python exec\nimport os, subprocess\n"
            f"subprocess.Popen(['sleep', '{mark}1'])\n"
            f"subprocess.Popen(['sleep', '{mark}1'], start_new_session=True)\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            f"        os.execvp('sleep', ['sleep', '{mark}1'])\n"
            "    os._exit(0)\n"
            "print('done')\n```\n"
        ),
        "vault_open.md": "```python exec\nwith open(NOTE_DIR / 'evil.txt', 'w') as fh:\n    fh.write('x')\n```\n",  # noqa: E501 (a note's text, kept on one line)
        "fine.md": "```python exec\nprint('still working')\n```\n",
    }
    for rel, text in notes.items():
        write(vault, rel, text)
    started = time.monotonic()
    results, summary = run(vault, tmp_path / "cache", list(notes), jobs=2, memory_mb=1024)
    elapsed = time.monotonic() - started

    def only(rel: str) -> tuple[str, str, int | None]:
        block = results[rel].blocks[0]
        return block.status, block.error or "", block.error_line

    assert results["fail.md"].messages() == [
        "fail.md:6: snippet failed: ZeroDivisionError: float division by zero"
    ]
    assert results["fail.md"].blocks[1].status == "skipped"

    status, error, line = only("hang.md")
    assert (status, line) == ("timeout", 5) and "timed out after 2 s" in error
    assert results["hang.md"].blocks[0].stdout == "before\n"  # printed before the hang

    status, error, line = only("memory.md")
    assert (status, line) == ("error", 4) and "MemoryError" in error

    status, error, line = only("exit.md")
    assert (status, line) == ("killed", 3) and "exit status 3" in error

    status, error, line = only("segv.md")
    assert (status, line) == ("killed", 4) and "SIGSEGV" in error

    status, error, line = only("forks.md")
    # under heavy load the 2 s may run out while still forking (lines 3-7)
    assert status == "timeout" and line is not None and 3 <= line <= 8

    loud = results["loud.md"].blocks[0]
    assert loud.status == "ok"
    assert 1_000_000 <= len(loud.stdout) < 1_001_000
    assert "output truncated after 1000000 characters; 99000000 more not shown" in loud.stdout

    assert results["leftover.md"].blocks[0].stdout == "done\n"

    status, error, line = only("vault_open.md")
    assert (status, line) == ("error", 2) and "may not write vault files ('evil.txt')" in error
    assert not (vault / "evil.txt").exists()

    assert results["fine.md"].blocks[0].stdout == "still working\n"
    assert wait_gone(mark) == []  # covers forks.md and leftover.md ("{mark}1")
    assert "11 snippets in 10 notes: 10 run, 0 cached, 7 failed" in summary
    assert elapsed < 60


def test_vault_write_by_a_subprocess_is_refused_by_the_kernel(vault: Path, tmp_path: Path) -> None:
    write(
        vault,
        "shell.md",
        "```python exec\nimport subprocess\n"
        "subprocess.run(['touch', str(NOTE_DIR / 'evil2.txt')], check=True)\n```\n",
    )
    results, _ = run(vault, tmp_path / "cache", ["shell.md"], jobs=1)
    block = results["shell.md"].blocks[0]
    assert block.status == "error" and block.error_line == 3
    assert "CalledProcessError" in (block.error or "")
    assert not (vault / "evil2.txt").exists()


def test_vault_change_is_still_reported_without_landlock(vault: Path, tmp_path: Path) -> None:
    """The second wall: with Landlock off (as on an old kernel) the change is reported."""
    write(
        vault,
        "shell.md",
        "```python exec\nimport subprocess\n"
        "subprocess.run(['touch', str(NOTE_DIR / 'evil2.txt')], check=True)\n```\n",
    )
    with SnippetEngine(vault, tmp_path / "cache", jobs=1, landlock_abi=0) as engine:
        engine.submit("shell.md", (vault / "shell.md").read_text(encoding="utf-8"))
        block = engine.result("shell.md").blocks[0]  # type: ignore[union-attr]
        assert engine.warnings() == []  # the machine's limit is said in the summary (INFO)
        assert "snippets are NOT walled in by the kernel" in engine.summary()
    assert block.status == "error" and block.error_line == 1
    assert (block.error or "").startswith("the snippets changed the vault: evil2.txt (created)")


def test_notes_do_not_share_state_and_bad_options_fail_at_the_fence(
    vault: Path, tmp_path: Path
) -> None:
    write(
        vault,
        "one.md",
        "```python exec\nimport os, matplotlib\nsecret = 1\n"
        "os.environ['MV_LEAK'] = 'yes'\nmatplotlib.rcParams['lines.linewidth'] = 9\n"
        "os.chdir('/')\n```\n",
    )
    write(
        vault,
        "two.md",
        "```python exec\nimport os, matplotlib\n"
        "print('secret' in globals(), os.environ.get('MV_LEAK'),\n"
        "      matplotlib.rcParams['lines.linewidth'], os.listdir('.'))\n```\n\n"
        "```python exec timeout=soon\nprint('never')\n```\n",
    )
    results, _ = run(vault, tmp_path / "cache", ["one.md", "two.md"], jobs=1)  # same worker
    assert results["one.md"].ok
    first, second = results["two.md"].blocks
    assert first.stdout == "False None 1.5 []\n"
    assert (second.status, second.error_line) == ("error", 7)
    assert "timeout must be a positive number" in (second.error or "")


def test_disabled_engine_runs_nothing(vault: Path, tmp_path: Path) -> None:
    write(vault, "n.md", "```python exec\nopen('ran.txt', 'w').write('x')\n```\n")
    results, summary = run(vault, tmp_path / "cache", ["n.md"], enabled=False)
    assert [b.status for b in results["n.md"].blocks] == ["disabled"]
    assert "not executed (disabled)" in summary
    assert not (tmp_path / "cache").exists()


# -- sandbox, fonts, outputs (issue 13) ------------------------------------------------


def test_degraded_sandbox_says_what_is_open(vault: Path, tmp_path: Path) -> None:
    """As on a kernel with Landlock ABI 3 and no network namespace: files stay walled in,
    the network does not, and the summary says so (not a warning: the kernel is not a
    problem of the vault)."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    write(
        vault,
        "n.md",
        f"```python exec\nimport socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5)\nprint('connected')\nopen('/etc/passwd')\n```\n",  # noqa: E501 (a note's text, kept on one line)
    )
    try:
        with SnippetEngine(
            vault, tmp_path / "cache", jobs=1, landlock_abi=3, network_namespace=False
        ) as engine:
            engine.submit("n.md", (vault / "n.md").read_text(encoding="utf-8"))
            block = engine.result("n.md").blocks[0]  # type: ignore[union-attr]
            warnings = engine.warnings()
            summary = engine.summary()
    finally:
        listener.close()
    assert warnings == []
    assert "; snippets can use the network (Landlock ABI 3 cannot restrict TCP" in summary
    assert block.stdout == "connected\n"
    assert block.status == "error" and "PermissionError" in (block.error or "")


def test_hangul_draws_with_the_pip_font_and_no_system_cjk_font(vault: Path, tmp_path: Path) -> None:
    """Only matplotlib's own fonts and the pip-installed NanumGothic are visible (every
    system font is dropped from the font manager): a Hangul title draws with no missing
    glyph. The same figure with NanumGothic dropped too does warn, in the build log's list
    (block.warnings, at the block's line), never in the printed output."""
    code = (
        "from matplotlib import font_manager as fm\n"
        "import matplotlib.pyplot as plt\n"
        "fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if 'site-packages' in f.fname{extra}]\n"  # noqa: E501 (a note's text, kept on one line)
        "fm.fontManager._findfont_cached.cache_clear()\n"
        "print(sorted({{f.name for f in fm.fontManager.ttflist}}))\n"
        "plt.title('미분과 접선')\n"
        "plt.savefig('t.png')\n"
    )
    write(vault, "ok.md", "```python exec\n" + code.format(extra="") + "```\n")
    write(
        vault,
        "boxes.md",
        "```python exec\n" + code.format(extra=" and 'Nanum' not in f.name") + "```\n",
    )
    results, _ = run(vault, tmp_path / "cache", ["ok.md", "boxes.md"], jobs=1)
    ok = results["ok.md"].blocks[0]
    assert ok.status == "ok", ok.error
    assert "NanumGothic" in ok.stdout and "Noto Sans CJK" not in ok.stdout
    assert ok.warnings == [] and "Glyph" not in ok.stdout
    boxes = results["boxes.md"].blocks[0]
    assert boxes.status == "ok" and "Glyph" not in boxes.stdout
    assert boxes.warnings and all("missing from font" in w["message"] for w in boxes.warnings)
    assert {line for line, _ in boxes.warning_messages()} == {8}  # savefig: fence line 1 + 7


def test_control_characters_notes_md_and_bad_timeouts(vault: Path, tmp_path: Path) -> None:
    write(
        vault,
        "ctl.md",
        "```python exec\nprint('red \\x1b[31mALERT\\x1b[0m nul \\x00 bell \\x07')\n"
        "raise ValueError('\\x1b]8;;http://x\\x07click')\n```\n",
    )
    write(
        vault, "page.md", "# P\n\n```python exec\nopen('notes.md', 'w').write('# planted')\n```\n"
    )
    write(vault, "inf.md", "```python exec timeout=inf\nprint(1)\n```\n")
    with SnippetEngine(vault, tmp_path / "cache", jobs=1) as engine:
        for rel in ("ctl.md", "page.md", "inf.md"):
            engine.submit(rel, (vault / rel).read_text(encoding="utf-8"))
        results = engine.wait_all()
        generated = engine.generated()
        warnings = engine.warnings()
    ctl = results["ctl.md"].blocks[0]
    assert ctl.stdout == "red \\x1b[31mALERT\\x1b[0m nul \\x00 bell \\x07\n"
    assert "\x1b" not in (ctl.error or "") and "\\x1b]8;;http://x\\x07click" in (ctl.error or "")
    assert "notes.md" not in generated
    assert warnings == [
        "page.md:3: generated file 'notes.md' was not published: a snippet may not make "
        "pages; give it another extension (e.g. .txt)"
    ]
    inf = results["inf.md"].blocks[0]
    assert inf.status == "error" and "timeout must be a positive number" in (inf.error or "")
    with pytest.raises(ValueError, match="positive finite"):
        SnippetEngine(vault, tmp_path / "cache", timeout=float("inf"))


def test_one_note_cannot_poison_another_notes_cache(vault: Path, tmp_path: Path) -> None:
    """The victim's entry is written by the build only. The attacker note cannot reach the
    cache folder (Landlock); an entry tampered with from outside (pointing at a local file,
    at another note's entry, or at a blob whose bytes changed) is dropped and the note reruns."""
    cache = tmp_path / "cache"
    write(
        vault,
        "victim.md",
        "```python exec\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.savefig('v.png')\nprint('VICTIM')\n```\n",  # noqa: E501 (a note's text, kept on one line)
    )
    first, _ = run(vault, cache, ["victim.md"])
    assert first["victim.md"].blocks[0].stdout == "VICTIM\n"
    attack = (
        "```python exec\nimport os\nhits = []\n"
        f"for folder, _, files in os.walk({str(cache)!r}):\n"
        "    for name in files:\n"
        "        path = os.path.join(folder, name)\n"
        "        try:\n"
        "            open(path, 'w').write('{}')\n"
        "            hits.append(path)\n"
        "        except OSError as exc:\n"
        "            hits.append(type(exc).__name__)\n"
        "print(hits or 'cache not visible')\n```\n"
    )
    write(vault, "attacker.md", attack)
    second, _ = run(vault, cache, ["attacker.md", "victim.md"])
    assert second["attacker.md"].blocks[0].stdout == "cache not visible\n"
    assert second["victim.md"].cached and second["victim.md"].blocks[0].stdout == "VICTIM\n"

    import json

    (entry,) = [
        e
        for e in (cache / "entries").rglob("*.json")
        if json.loads(e.read_text(encoding="utf-8"))["note"] == "victim.md"
    ]
    good = entry.read_text(encoding="utf-8")

    def tampered(change) -> list[str]:
        data = json.loads(good)
        change(data)
        entry.write_text(json.dumps(data), encoding="utf-8")
        with SnippetEngine(vault, cache) as engine:
            engine.submit("victim.md", (vault / "victim.md").read_text(encoding="utf-8"))
            result = engine.result("victim.md")
            assert result is not None and not result.cached
            assert result.blocks[0].stdout == "VICTIM\n"
            assert all(not str(p).startswith("/etc") for p in engine.generated().values())
            return engine.warnings()

    blob = next(iter(json.loads(good)["files"].values()))
    assert any(
        "dropped a bad snippet cache entry" in w and "not a blob" in w
        for w in tampered(lambda d: d["files"].update({"v.png": "/etc/hostname"}))
    )
    assert any(
        "dropped a bad snippet cache entry" in w and "not a blob" in w
        for w in tampered(lambda d: d["files"].update({"v.png": "blobs/../../x"}))
    )
    assert any(
        "belongs to another note" in w for w in tampered(lambda d: d.update(note="attacker.md"))
    )
    (cache / blob).write_bytes(b"not the figure")
    assert any("does not match its hash" in w for w in tampered(lambda d: None))


def test_process_count_is_capped_per_note(vault: Path, tmp_path: Path) -> None:
    """A snippet that keeps starting processes gets EAGAIN at the cap; all are gone after."""
    from mathvault.snippets.sandbox import make_pids_cgroup, remove_cgroup

    probe = make_pids_cgroup(f"mathvault-probe-{os.getpid()}", 8)
    remove_cgroup(probe)
    if probe is None and os.geteuid() == 0:
        pytest.skip("root without a writable pids cgroup: no process cap can bind")
    mark = f"{4000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6}"
    write(
        vault,
        "bomb.md",
        (
            "```python exec\nimport subprocess\nprocs = []\ntry:\n    for _ in range(500):\n"
            f"        procs.append(subprocess.Popen(['sleep', '{mark}']))\n"
            "except OSError as exc:\n    print(len(procs), type(exc).__name__)\n```\n"
        ),
    )
    results, _ = run(vault, tmp_path / "cache", ["bomb.md"], jobs=1, max_processes=20)
    block = results["bomb.md"].blocks[0]
    count, error = block.stdout.split()
    assert error == "BlockingIOError" and int(count) < 20
    assert wait_gone(mark) == []


@pytest.mark.parametrize("pid_namespace", [True, False], ids=["pid-namespace", "no-namespace"])
def test_leftovers_die_with_and_without_a_pid_namespace(
    vault: Path, tmp_path: Path, pid_namespace: bool
) -> None:
    """A session leader and a double-forked daemon outlive the note's block; both are
    gone when the note ends, whether the note ran in a PID namespace (the kernel kills
    them with its init) or not (cgroup, session and subreaper scans find them)."""
    mark = f"{6000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6}"
    write(
        vault,
        "left.md",
        "```python exec\nimport os, subprocess\n"
        f"subprocess.Popen(['sleep', '{mark}'], start_new_session=True)\n"
        "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        f"        os.execvp('sleep', ['sleep', '{mark}'])\n    os._exit(0)\n"
        "print(os.getpid() == 1)\n```\n",
    )
    with SnippetEngine(vault, tmp_path / "cache", jobs=1, pid_namespace=pid_namespace) as engine:
        engine.submit("left.md", (vault / "left.md").read_text(encoding="utf-8"))
        block = engine.result("left.md").blocks[0]  # type: ignore[union-attr]
        assert block.status == "ok", block.error
        assert wait_gone(mark) == []  # while the worker lives on: the note's end did it
        summary = engine.summary()
    made = "PID namespace" in summary  # not everywhere: unprivileged user namespaces
    assert made or not pid_namespace or os.geteuid() != 0  # root can always make one
    assert not (made and not pid_namespace)
    assert block.stdout == f"{made}\n"  # in a namespace the note is its init, pid 1
