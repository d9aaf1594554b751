"""Unit tests for the benchmark vault generator (bench/genvault.py), on a 20-note vault."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from bench import genvault as gv

REPO = Path(__file__).resolve().parent.parent


N = 20


def _generate(out: Path, seed: int = 3) -> None:
    gv.generate(out, gv.Options(notes=N, seed=seed, snippets=2, formulas_checked=True))


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("v20")
    _generate(out)
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _notes(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if p.name not in ("index.md", "개요.md"))


def _body(path: Path) -> str:
    """The note without its YAML front matter."""
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def test_same_seed_gives_identical_bytes(vault: Path, tmp_path: Path) -> None:
    _generate(tmp_path / "again")
    assert _tree(vault) == _tree(tmp_path / "again")


def test_other_seed_gives_other_vault(vault: Path, tmp_path: Path) -> None:
    _generate(tmp_path / "other", seed=4)
    assert _tree(vault / "obsidian") != _tree(tmp_path / "other" / "obsidian")


def test_both_forms_have_same_files(vault: Path) -> None:
    notes_a = {p.relative_to(vault / "obsidian") for p in (vault / "obsidian").rglob("*.md")}
    notes_b = {p.relative_to(vault / "plain") for p in (vault / "plain").rglob("*.md")}
    assert notes_a == notes_b
    assert len(notes_a) == N + 1  # plus index.md
    assert len(list((vault / "obsidian" / "attachments").glob("*.png"))) >= 3
    assert len(list((vault / "plain" / "attachments" / "figures").glob("*.png"))) == 2


@pytest.mark.parametrize("syntax", ["[[", "%%", "==", "> [!", "```python exec"])
def test_plain_form_has_no_obsidian_syntax(vault: Path, syntax: str) -> None:
    offenders = [
        p.name for p in (vault / "plain").rglob("*.md") if syntax in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "syntax",
    ["[[#", "|", "#^", "![[", "%%", "==", "> [!", "]-", "\\begin{align}", "```python exec"],
)
def test_obsidian_form_uses_every_construct(vault: Path, syntax: str) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in (vault / "obsidian").rglob("*.md"))
    assert syntax in text


LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
BLOCK_ID = re.compile(r"^\{: #([a-z0-9]+) \}$", re.MULTILINE)


def _anchors(path: Path) -> set[str]:
    text = _body(path)
    return {gv.slug(h) for h in HEADING.findall(text)} | set(BLOCK_ID.findall(text))


def test_every_plain_link_target_exists(vault: Path) -> None:
    plain = vault / "plain"
    checked = 0
    for page in plain.rglob("*.md"):
        for url in LINK.findall(page.read_text(encoding="utf-8")):
            if url.startswith("http"):
                continue
            path, _, anchor = url.partition("#")
            target = (page.parent / unquote(path)).resolve() if path else page
            assert target.is_file(), f"{page.relative_to(plain)}: missing {url}"
            if anchor:
                assert unquote(anchor) in _anchors(target), f"{page.name}: no anchor {url}"
            checked += 1
    assert checked > 8 * (N - 4)


DISPLAY = re.compile(r"^\$\$\n.*?\n\$\$$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"\$[^$\n]+\$")


def test_counts_per_note_are_in_range(vault: Path) -> None:
    notes = _notes(vault / "obsidian")
    words = 0
    for note in notes:
        body = _body(note)
        outside_display = DISPLAY.sub("", body)
        # callouts carry one extra formula each; the requested ~6 are in the prose
        prose = "\n".join(
            line for line in outside_display.splitlines() if not line.startswith("> ")
        )
        assert 6 <= len(re.findall(r"(?<!!)\[\[", body)) <= 10, note.name
        assert 5 <= len(INLINE.findall(prose)) <= 7, note.name
        assert 2 <= len(DISPLAY.findall(body)) <= 4, note.name
        words += len(INLINE.sub("", re.sub(r"\[\[[^\]]*\]\]", "", prose)).split())
    assert 500 <= words / len(notes) <= 800


def test_configs_name_the_right_plugins(vault: Path) -> None:
    obsidian = (vault / "mkdocs-obsidian.yml").read_text(encoding="utf-8")
    plain = (vault / "mkdocs-plain.yml").read_text(encoding="utf-8")
    assert "- mathvault" in obsidian and "navigation.prune" in obsidian
    assert "mathvault" not in plain and "pymdownx.arithmatex" in plain
    default = gv.mkdocs_config("plain", "default", "site")
    assert "navigation.prune" not in default


def test_plain_form_builds_strictly(vault: Path) -> None:
    """MkDocs itself validates every link and anchor of the plain form."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(vault / "mkdocs-plain.yml"),
        ],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "WARNING" not in run.stderr
