"""The Markdown extensions a vault's syntax asks for: present when a note uses them,
left out (and their cost saved) when none does, and fences Obsidian shows as code
always shown as code."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from site_tests.sitebuild import build

OPTIONAL = ("footnotes", "pymdownx.tasklist", "pymdownx.tilde", "pymdownx.superfences")


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _extensions_after_build(vault: Path, work: Path, user: list | None = None) -> list[str]:
    """Build in this process (a real build) and return the extensions pages were rendered with."""
    config = {
        "site_name": "x",
        "docs_dir": str(vault),
        "site_dir": str(work / "site"),
        "theme": {"name": "material"},
        "plugins": ["search", {"mathvault": {"verify": False}}],
    }
    if user:
        config["markdown_extensions"] = user
    work.mkdir(parents=True, exist_ok=True)
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    cfg = load_config(str(work / "mkdocs.yml"))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return list(cfg.markdown_extensions)


def test_unused_extensions_are_left_out(tmp_path: Path) -> None:
    vault = _write(
        tmp_path / "plain",
        {
            "a.md": "# A\n\nText with [[b]], $x^2$ and ==mark==.\n",
            "b.md": "# B\n\n> [!tip] Tip\n> body\n",
        },
    )
    used = _extensions_after_build(vault, tmp_path / "w1")
    assert not set(OPTIONAL) & set(used), used
    # the user's own list wins even when no note needs it
    used = _extensions_after_build(vault, tmp_path / "w2", user=["footnotes"])
    assert "footnotes" in used


def test_used_syntax_gets_its_extension_and_renders(tmp_path: Path) -> None:
    vault = _write(
        tmp_path / "v",
        {
            "a.md": "# A\n\nA claim[^1] and ~~gone~~ words; 1~3장, 5~7장 stay text.\n\n"
            "- [ ] open task\n- [x] done task\n\n[^1]: The footnote.\n",
            "b.md": "# B\n\n> [!note] Code in a callout\n> ```python\n> print(1)\n> ```\n",
            "c.md": "# C\n\n```python exec source=fold\nprint('never run')\n```\n\n"
            "```dataview\nLIST FROM #x\n```\n",
        },
    )
    used = _extensions_after_build(vault, tmp_path / "w0")
    assert set(OPTIONAL) <= set(used), used
    site = build(vault, tmp_path / "w", plugin={"verify": False, "execute": False}, strict=False)
    assert site.returncode == 0, site.log

    a = BeautifulSoup(site.page("a/index.html"), "html.parser").select_one("article")
    assert a.select_one("sup a[href^='#fn']") is not None and "The footnote." in a.get_text()
    assert a.select_one("del").get_text() == "gone"
    assert "1~3장, 5~7장" in a.get_text() and a.select_one("sub") is None
    boxes = a.select("li.task-list-item input[type=checkbox]")
    assert len(boxes) == 2 and [b.has_attr("checked") for b in boxes] == [False, True]

    b = BeautifulSoup(site.page("b/index.html"), "html.parser").select_one("article")
    assert "print(1)" in b.select_one(".admonition.note pre").get_text()

    c = BeautifulSoup(site.page("c/index.html"), "html.parser").select_one("article")
    codes = [p.get_text() for p in c.select("pre")]
    assert any("print('never run')" in t for t in codes), codes
    assert any("LIST FROM #x" in t for t in codes), codes
    assert "```" not in c.get_text()
