"""Hostile and broken vaults (tests/data/hostile/corpus.py), each built with the real
`mkdocs build --strict`: every case gets exactly its warnings (or none), the pages show
what they must, nothing outside the vault reaches the site, and `--strict` fails exactly
when a warning was given.

Cases are grouped so that one build serves many of them (five builds in all).
"""

from __future__ import annotations

import os
import re
import sys
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from site_tests.sitebuild import build
from tests.data.hostile import corpus

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "data" / "hostile"

CASES = corpus.CASES
GROUPS = sorted({c.group for c in CASES})
# Located warnings, as mathvault words them: docs_dir shown relative to mkdocs.yml.
LOCATED = re.compile(
    r"^WARNING -  mathvault: \.\./vault/(?P<where>(?P<path>.+?):(?P<line>\d+)): (?P<msg>.*)$"
)
HREF = re.compile(r'\b(?:href|src)="([^"]*)"')


def shown_name(name: str | bytes) -> str:
    """A corpus file name as a warning shows it (undecodable bytes as \\udcXX)."""
    text = os.fsdecode(name) if isinstance(name, bytes) else name
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def expected_patterns(case) -> list[re.Pattern[str]]:
    out = []
    for w in case.warns:
        if isinstance(w, str):
            out.append(re.compile(w))
        else:
            path, line, msg = w
            out.append(re.compile(f"{re.escape(path)}:{line}: .*{msg}"))
    return out


def owns(case, warning_path: str) -> bool:
    for name in case.files:
        shown = shown_name(name)
        if warning_path == shown or warning_path.startswith(shown + "/"):
            return True
    return False


class Site:
    def __init__(self, root: Path, result):
        self.root = root
        self.result = result
        self.vault = root / "vault"
        self.dir = result.site_dir
        self.warnings = result.warnings
        self.located = [m for m in map(LOCATED.match, self.warnings) if m]

    def page(self, src: str) -> str:
        stem = src[: -len(".md")]
        rel = "index.html" if stem == "index" else f"{stem}/index.html"
        path = self.dir / rel
        assert path.is_file(), f"no page {rel} for {src}"
        return path.read_text(encoding="utf-8")


_SITES: dict[str, Site] = {}


@pytest.fixture(scope="module")
def site_for(tmp_path_factory):
    def get(group: str) -> Site:
        if group not in _SITES:
            root = tmp_path_factory.mktemp(f"hostile-{group}")
            corpus.materialize([c for c in CASES if c.group == group], root / "vault")
            extra = {"hooks": [str(HOSTILE / "vanish_hook.py")]} if group == "escape" else None
            result = build(
                root / "vault",
                root / "work",
                strict=True,
                timeout=400,
                plugin={"execute": False, "verify": False},
                extra=extra,
            )
            _SITES[group] = Site(root, result)
        return _SITES[group]

    yield get
    _SITES.clear()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case, site_for):
    site = site_for(case.group)
    mine = [m for m in site.located if owns(case, m.group("path"))]
    patterns = expected_patterns(case)
    for pattern in patterns:
        assert any(pattern.match(f"{m.group('where')}: {m.group('msg')}") for m in mine), (
            f"{case.id}: no warning matches {pattern.pattern!r}; got:\n"
            + "\n".join(m.string for m in mine)
        )
    for m in mine:
        text = f"{m.group('where')}: {m.group('msg')}"
        assert any(p.match(text) for p in patterns), f"{case.id}: unexpected warning {m.string}"
    for src, texts in case.shows.items():
        page = site.page(src)
        for text in texts:
            assert text in page, f"{case.id}: {src} does not show {text!r}"
    for src, texts in case.hides.items():
        page = site.page(src)
        for text in texts:
            assert text not in page, f"{case.id}: {src} shows {text!r}"
    published = [p.relative_to(site.dir).as_posix() for p in site.dir.rglob("*")]
    for pattern in case.absent:
        hits = [p for p in published if fnmatch(p, pattern)]
        assert not hits, f"{case.id}: published {hits}"


@pytest.mark.parametrize("group", GROUPS)
def test_build(group, site_for):
    """No crash; every warning located and owned by a case; --strict fails iff warned."""
    site = site_for(group)
    log = site.result.log
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
    assert len(site.located) == len(site.warnings), "unlocated warnings:\n" + "\n".join(
        w for w in site.warnings if not LOCATED.match(w)
    )
    cases = [c for c in CASES if c.group == group]
    for m in site.located:
        assert any(owns(c, m.group("path")) for c in cases), f"warning owned by no case: {m.string}"
    if site.warnings:
        assert site.result.returncode == 1
        assert f"Aborted with {len(site.warnings)} warnings in strict mode!" in log
    else:
        assert site.result.returncode == 0, log[-3000:]
    assert (site.dir / "index.html").is_file() or any(site.dir.glob("*/index.html"))


@pytest.mark.parametrize("group", GROUPS)
def test_nothing_leaks(group, site_for):
    """Nothing from outside the vault or from dot folders is in the site; every link and
    image of every page points to a file inside the site; no YAML tag ever ran."""
    site = site_for(group)
    secrets = [s.encode() for s in corpus.SECRETS]
    dangling = []
    for path in site.dir.rglob("*"):
        if path.is_dir():
            continue
        data = path.read_bytes()
        for secret in secrets:
            assert secret not in data, f"{secret!r} leaked into {path}"
        if path.suffix != ".html" or path.name == "404.html":  # MkDocs roots 404 at "/"
            continue
        page_dir = path.parent.relative_to(site.dir).as_posix()
        for url in HREF.findall(data.decode("utf-8")):
            parts = urlsplit(url.replace("&amp;", "&"))
            if parts.scheme or parts.netloc:
                assert parts.scheme in ("http", "https", "mailto", "data"), url
                continue
            if not parts.path:
                continue
            assert not parts.path.startswith("/"), f"absolute path {url} in {path}"
            target = os.path.normpath(os.path.join(page_dir, unquote(parts.path)))
            assert not target.startswith(".."), f"{url} in {path} leaves the site"
            full = site.dir / target
            if full.is_dir():
                full = full / "index.html"
            if not full.is_file():
                dangling.append((path.relative_to(site.dir).as_posix(), url))
    # The only allowed dangling reference: the image deleted mid-build (and warned about).
    assert all(url.endswith("late.png") for _, url in dangling), dangling
    for where in (site.root, site.root / "work", Path.cwd()):
        assert not (where / "PWNED-BY-YAML").exists()


def test_misbehaving_snippets_site(tmp_path):
    """A vault whose snippets loop forever, kill their worker and write into the vault
    still builds; each problem is a warning on the right line of its note."""
    vault = tmp_path / "vault"
    (vault / "snip").mkdir(parents=True)
    notes = {
        "loop": [
            "# Loop",
            "",
            "Text LOOP-BEFORE.",
            "",
            "```python exec",
            "x = 1",
            "while True:",
            "    x += 1",
            "```",
            "",
            "LOOP-AFTER",
        ],
        "exit": [
            "# Exit",
            "",
            "```python exec",
            "import os",
            "os._exit(3)",
            "```",
            "",
            "EXIT-AFTER",
        ],
        "write": [
            "# Write",
            "",
            "```python exec",
            f"open({str(vault / 'snip' / 'written.md')!r}, 'w').write('# planted')",
            "print('WROTE-ATTEMPT')",
            "```",
            "",
            "WRITE-AFTER",
        ],
        "fine": ["```python exec", "print('FINE-OUTPUT')", "```"],
    }
    for name, lines in notes.items():
        (vault / "snip" / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(
        vault,
        tmp_path / "work",
        strict=True,
        timeout=300,
        plugin={"execute": True, "verify": False, "timeout": 2},
    )
    log = result.log
    assert "Traceback (most recent call last)" not in log.split("INFO")[0]
    located = [m for m in map(LOCATED.match, result.warnings) if m]
    assert len(located) == len(result.warnings), log[-3000:]
    by_note = {}
    for m in located:
        by_note.setdefault(m.group("path"), []).append((int(m.group("line")), m.group("msg")))
    # The loop is reported on a line of its block (5-9: fence to closing fence), as a timeout.
    assert any(
        5 <= line <= 9 and "timed out" in msg for line, msg in by_note.get("snip/loop.md", [])
    ), log
    # The worker's death is reported on the exit block (lines 3-6).
    assert any(3 <= line <= 6 for line, _ in by_note.get("snip/exit.md", [])), log
    assert "snip/fine.md" not in by_note
    assert result.returncode == 1  # --strict: warnings were given
    for name in ("loop", "exit", "write"):
        page = (result.site_dir / "snip" / name / "index.html").read_text(encoding="utf-8")
        assert f"{name.upper()}-AFTER" in page
    assert "FINE-OUTPUT" in (result.site_dir / "snip" / "fine" / "index.html").read_text(
        encoding="utf-8"
    )
    # Writing into the vault is refused, and reported on the line that tried.
    assert any(
        line == 4 and "may not write vault files" in msg
        for line, msg in by_note.get("snip/write.md", [])
    ), log
    assert not (vault / "snip" / "written.md").exists()
    assert sorted(p.name for p in (vault / "snip").iterdir()) == sorted(f"{n}.md" for n in notes)


# -- hostile snippets, run for real (execute: true) ---------------------------------------


def _landlock_abi() -> int:
    from mathvault.snippets.sandbox import landlock_abi

    return landlock_abi()


HOSTILE_SNIPPETS = {
    # name: (code lines, what the page must show as the refusal)
    "secret": (["print(open(VAULT_DIR.parent / 'secret.txt').read())"], "PermissionError"),
    "passwd": (["print(open('/etc/passwd').read())"], "PermissionError"),
    "environ": (
        [
            "import os",
            "assert 'CI_TOKEN' not in os.environ, os.environ['CI_TOKEN']",
            # every process's environment (the build's among them); os.getppid() is 0
            # inside the note's PID namespace, so look them all up
            "print([open(f'/proc/{p}/environ').read() for p in os.listdir('/proc') if p.isdigit()])",  # noqa: E501 (a note's text, kept on one line)
        ],
        "PermissionError",
    ),
    "connect": (
        [
            "import socket",
            "socket.create_connection(('127.0.0.1', PORT), timeout=5).sendall(b'LEAK')",
        ],
        "PermissionError",
    ),
    "listen": (
        ["import socket", "s = socket.socket()", "s.bind(('127.0.0.1', 0))", "s.listen()"],
        "PermissionError",
    ),
    "dirfd": (
        [
            "import os",
            "d = os.open(VAULT_DIR, os.O_RDONLY)",
            "fd = os.open('planted.md', os.O_WRONLY | os.O_CREAT, dir_fd=d)",
            "os.write(fd, b'# planted')",
        ],
        "PermissionError",
    ),
    "shell": (
        [
            "import subprocess",
            "subprocess.run(['sh', '-c', 'echo x > \"$0/planted2.md\"', str(VAULT_DIR)], check=True)",  # noqa: E501 (a note's text, kept on one line)
        ],
        "CalledProcessError",
    ),
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Landlock is Linux only")
def test_hostile_snippets_are_refused_by_the_kernel(tmp_path, monkeypatch):
    """Each hostile snippet is refused by the kernel: the page shows a readable error, the
    build goes on, no secret reaches the site, the listener saw no connection, the vault is
    unchanged. Needs Landlock ABI >= 4 (TCP rules) and the process to be able to make a
    network namespace, as here; elsewhere the engine warns which walls are missing."""
    import socket
    import threading

    if _landlock_abi() < 4:
        pytest.skip("the kernel has no Landlock ABI >= 4 (test_degraded_sandbox_warns covers it)")
    secret_value = "SECRET-NEXT-TO-PROJECT-" + os.urandom(4).hex()
    token = "CI-TOKEN-" + os.urandom(4).hex()
    monkeypatch.setenv("CI_TOKEN", token)
    (tmp_path / "secret.txt").write_text(secret_value, encoding="utf-8")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    accepted = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0].recv(100))
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    vault = tmp_path / "vault"
    vault.mkdir()
    for name, (code, _) in HOSTILE_SNIPPETS.items():
        body = [f"PORT = {port}", *code] if name == "connect" else code
        text = "\n".join(
            [f"# {name}", "", "```python exec", *body, "```", "", f"{name.upper()}-AFTER", ""]
        )
        (vault / f"{name}.md").write_text(text, encoding="utf-8")
    (vault / "fine.md").write_text(
        "```python exec\nprint('FINE-' + 'OUTPUT')\n```\n", encoding="utf-8"
    )
    before = sorted(p.name for p in vault.iterdir())
    try:
        result = build(
            vault, tmp_path / "work", timeout=300, plugin={"execute": True, "verify": False}
        )
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log.split("INFO")[0]
    located = {m.group("path"): m.group("msg") for m in map(LOCATED.match, result.warnings) if m}
    for name, (_, refusal) in HOSTILE_SNIPPETS.items():
        assert refusal in located.get(f"{name}.md", ""), (name, result.log[-3000:])
        page = (result.site_dir / name / "index.html").read_text(encoding="utf-8")
        assert "Snippet failed" in page and refusal in page and f"{name.upper()}-AFTER" in page, (
            name
        )
    assert "FINE-OUTPUT" in (result.site_dir / "fine" / "index.html").read_text(encoding="utf-8")
    assert "fine.md" not in located
    assert accepted == []
    assert sorted(p.name for p in vault.iterdir()) == before
    for path in result.site_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert secret_value.encode() not in data and token.encode() not in data, path
            assert b"root:x:0:0" not in data, path
