"""`mkdocs serve --dirty`: an edit to a note reaches the pages that transclude it, not only
its own page (MkDocs alone re-renders just the edited file)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import yaml

from site_tests.sitebuild import DEMO_VAULT

HOST_PAGE = "5. 최적화/경사하강법 (Gradient Descent)/"  # embeds ![[Momentum]]
EMBEDDED = "5. 최적화/advanced/Momentum.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def _serving(tmp_path: Path, vault: Path, *flags: str) -> Iterator[tuple[str, Path]]:
    """`mkdocs serve` on `vault` in a subprocess (snippets and checks off); yields the site
    URL and the server's log file; stops the server's whole process group at the end."""
    port = _free_port()
    config = {
        "site_name": "serve",
        "docs_dir": str(vault),
        "site_url": f"http://127.0.0.1:{port}/",
        "theme": {"name": "material"},
        "plugins": [
            "search",
            {
                "mathvault": {
                    "execute": False,
                    "verify": False,
                    "cache_dir": str(tmp_path / "cache"),
                }
            },
        ],
    }
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
    )
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                *flags,
                "-a",
                f"127.0.0.1:{port}",
                "-f",
                str(tmp_path / "mkdocs.yml"),
            ],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            start_new_session=True,
        )
        try:
            yield f"http://127.0.0.1:{port}/", log_path
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)


def test_dirty_serve_updates_transcluding_pages(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(DEMO_VAULT, vault)
    with _serving(tmp_path, vault, "--dirty") as (site, _):
        url = site + quote(HOST_PAGE)
        assert _wait_for(lambda: "Momentum" in _get(url), 120), "the server never served the page"
        assert "EDIT-MARKER-7731" not in _get(url)
        note = vault / EMBEDDED
        note.write_text(note.read_text(encoding="utf-8") + "\nEDIT-MARKER-7731\n", encoding="utf-8")
        assert _wait_for(lambda: "EDIT-MARKER-7731" in _get(url), 60), (
            "the embedding page never updated"
        )


def test_serve_rebuilds_do_not_recompile_templates_or_reparse_notes(tmp_path: Path) -> None:
    """The rebuilds `mkdocs serve` makes, in one process with one plugin instance, as
    serve does: the second one compiles no theme template and parses no note again."""
    import jinja2
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    vault = tmp_path / "vault"
    shutil.copytree(DEMO_VAULT, vault)
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump(
            {
                "site_name": "serve",
                "docs_dir": str(vault),
                "site_dir": str(tmp_path / "site"),
                "theme": {"name": "material"},
                "plugins": ["search", {"mathvault": {"execute": False, "verify": False}}],
            }
        ),
        encoding="utf-8",
    )
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    compiled: list[str] = []
    real_compile = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real_compile(self, source, name, filename, raw, defer_init)

    first = load_config(str(config_file))
    first.plugins.on_startup(command="serve", dirty=True)
    jinja2.Environment.compile = counting
    try:
        mkdocs_build(first, dirty=True)
        assert compiled, "the first build compiled no template?"
        compiled.clear()
        second = load_config(str(config_file))  # serve loads the config again for each rebuild
        mathvault = second.plugins["mathvault"]
        assert mathvault is first.plugins["mathvault"], "MkDocs did not keep the plugin instance"
        mkdocs_build(second, dirty=True)
        assert compiled == [], compiled
        assert mathvault.index.reparsed == set()
    finally:
        jinja2.Environment.compile = real_compile
        first.plugins.on_shutdown()


def test_serve_notices_saves_natively_and_ignores_obsidian_state(tmp_path: Path) -> None:
    """Under `mkdocs serve` on Linux the vault is watched with inotify: a note's save shows,
    while Obsidian writing its workspace (`.obsidian/`, never published) starts no rebuild
    (MkDocs' polling rebuilt the whole site for each of those writes)."""
    import pytest

    if not sys.platform.startswith("linux"):
        pytest.skip(
            "SKIPPED LOUDLY: inotify watching is Linux-only; other systems keep MkDocs' polling"
        )
    vault = tmp_path / "vault"
    shutil.copytree(DEMO_VAULT, vault)
    (vault / ".obsidian").mkdir(exist_ok=True)
    workspace = vault / ".obsidian" / "workspace.json"
    workspace.write_text("{}", encoding="utf-8")
    with _serving(tmp_path, vault) as (site, log_path):
        url = site + quote(HOST_PAGE)

        def builds() -> int:
            return log_path.read_text(encoding="utf-8", errors="replace").count(
                "Building documentation"
            )

        assert _wait_for(lambda: "Momentum" in _get(url), 120), "the server never served the page"
        text = log_path.read_text(encoding="utf-8", errors="replace")
        assert "watching the vault with inotify" in text, text
        assert builds() == 1
        for i in range(5):  # Obsidian saving its layout while the user clicks around
            workspace.write_text('{"active": %d}' % i, encoding="utf-8")
            time.sleep(0.3)
        time.sleep(2.0)  # MkDocs' polling (every 0.5 s) would have started a rebuild by now
        assert builds() == 1, log_path.read_text(encoding="utf-8", errors="replace")
        note = vault / EMBEDDED
        note.write_text(note.read_text(encoding="utf-8") + "\nEDIT-MARKER-5521\n", encoding="utf-8")
        assert _wait_for(lambda: "EDIT-MARKER-5521" in _get(url), 60), "the save was never noticed"
        assert builds() >= 2


def test_dirty_serve_updates_backlink_contexts(tmp_path: Path) -> None:
    """Y's linked mentions quote X's paragraph: an edit to another line of that paragraph
    (the link's own line unchanged) reaches Y's page under `--dirty`."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "Y.md").write_text("# Y\n\nPlain note.\n", encoding="utf-8")
    x = vault / "X.md"
    x.write_text("# X\n\nFirst line of the paragraph,\nthen a link to [[Y]].\n", encoding="utf-8")
    with _serving(tmp_path, vault, "--dirty") as (site, _):
        url = site + "Y/"
        assert _wait_for(lambda: "First line of the paragraph" in _get(url), 120), (
            "the server never served Y's backlinks"
        )
        x.write_text(x.read_text(encoding="utf-8").replace("First", "CONTEXT-EDIT-5521"))
        assert _wait_for(lambda: "CONTEXT-EDIT-5521" in _get(url), 60), (
            "Y's backlink context never updated"
        )
