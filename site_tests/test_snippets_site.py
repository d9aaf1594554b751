"""Snippets in real builds: the seed's figures are real images, the cache makes an unchanged
rebuild run nothing and a one-snippet edit rerun one note, and failing, hanging and
memory-hungry snippets are stopped, located and shown on the page while the site builds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from site_tests.sitebuild import DEMO_VAULT, build

SEED = "3. 미적분/3.4.3. 미분.md"
SUMMARY = re.compile(r"mathvault: (\d+) snippets in (\d+) notes: (\d+) run, (\d+) cached")


def summary(log: str) -> tuple[int, int, int, int]:
    found = SUMMARY.findall(log)
    assert len(found) == 1, log
    return tuple(int(x) for x in found[0])


@pytest.fixture(scope="module")
def demo_builds(tmp_path_factory):
    """The demo vault (a copy: this test edits a snippet) built three times on one cache."""
    root = tmp_path_factory.mktemp("snippets")
    vault = root / "vault"
    shutil.copytree(DEMO_VAULT, vault)
    plugin = {"verify": False, "cache_dir": str(root / "cache")}
    first = build(vault, root / "b1", plugin=plugin, strict=True)
    second = build(vault, root / "b2", plugin=plugin, strict=True)
    seed = vault / SEED
    text = seed.read_text(encoding="utf-8")
    assert "import numpy as np" in text
    seed.write_text(
        text.replace("import numpy as np", "import numpy as np  # edited", 1), encoding="utf-8"
    )
    third = build(vault, root / "b3", plugin=plugin, strict=True)
    return first, second, third


def test_seed_figures_are_real_wide_images(demo_builds) -> None:
    first, _, _ = demo_builds
    assert first.returncode == 0, first.log
    page = first.site_dir / "3. 미적분" / "3.4.3. 미분" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    srcs = {Path(img["src"]).name: img["src"] for img in soup.select("article img")}
    for name in ("dev.png", "partial_dev.png"):
        assert name in srcs, srcs
        with Image.open((page.parent / srcs[name]).resolve()) as image:
            image.load()
            assert image.format == "PNG" and image.width >= 600
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
            assert colours is not None and len(colours) > 200  # a drawing, not a blank canvas


def test_unchanged_rebuild_runs_nothing_and_one_edit_reruns_one_note(demo_builds) -> None:
    first, second, third = demo_builds
    snippets, notes, ran, cached = summary(first.log)
    assert snippets >= 3 and notes >= 2 and ran == snippets and cached == 0
    assert summary(second.log) == (snippets, notes, 0, snippets)
    seed_blocks = len(
        re.findall(r"^```python exec", (DEMO_VAULT / SEED).read_text(encoding="utf-8"), re.M)
    )
    assert summary(third.log) == (snippets, notes, seed_blocks, snippets - seed_blocks)


def test_failing_hanging_and_hungry_snippets(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    notes = {
        "fail": "# Fail\n\n```python exec\nx = 1\ny = x / 0\n```\n\nFAIL-AFTER\n",
        "hang": "# Hang\n\n```python exec timeout=3\nimport time\nwhile True:\n    time.sleep(0.01)\n```\n\nHANG-AFTER\n",  # noqa: E501 (a note's text, kept on one line)
        "hungry": "# Hungry\n\n```python exec\nblocks = []\nblocks.append(bytearray(4 * 1024 ** 3))\n```\n\nHUNGRY-AFTER\n",  # noqa: E501 (a note's text, kept on one line)
        "fine": "# Fine\n\n```python exec\nprint('FINE-' + 'OUTPUT')\n```\n",
    }
    for name, text in notes.items():
        (vault / f"{name}.md").write_text(text, encoding="utf-8")
    result = build(
        vault,
        tmp_path / "out",
        timeout=300,
        plugin={"verify": False, "memory_mb": 1024, "cache_dir": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.log  # the site builds
    warnings = "\n".join(result.warnings)
    assert re.search(r"vault/fail\.md:5: .*ZeroDivisionError", warnings), warnings
    assert re.search(r"vault/hang\.md:[4-7]: .*timed out", warnings), warnings
    assert re.search(r"vault/hungry\.md:5: .*MemoryError", warnings), warnings
    assert "fine.md" not in warnings
    for name in ("fail", "hang", "hungry"):
        soup = BeautifulSoup(
            (result.site_dir / name / "index.html").read_text(encoding="utf-8"), "html.parser"
        )
        assert soup.select_one(".admonition.failure, details.failure") is not None, name
        assert f"{name.upper()}-AFTER" in soup.get_text()
    fine = (result.site_dir / "fine" / "index.html").read_text(encoding="utf-8")
    assert "FINE-OUTPUT" in fine


def test_auto_captured_figure_is_an_image_and_warnings_stay_off_the_page(tmp_path: Path) -> None:
    """A figure left open (no savefig) shows as an image at its block, not as the literal
    text `![[auto-1.png]]`; a Hangul title draws with the pip-installed font (no missing-glyph
    warning anywhere); a snippet's own warning goes to the build log at its line, not onto
    the page; control characters in output reach neither page nor log raw."""
    vault = tmp_path / "vault"
    (vault / "sub").mkdir(parents=True)
    (vault / "sub" / "auto.md").write_text(
        "# Auto\n\n```python exec\nimport matplotlib.pyplot as plt\nplt.plot([0, 1, 4])\n"
        "plt.title('미분과 접선')\n```\n\nAUTO-AFTER\n",
        encoding="utf-8",
    )
    (vault / "warn.md").write_text(
        "# Warn\n\n```python exec source=hide\nimport warnings\nprint('WARN-\\x1b[31mOUT')\n"
        "warnings.warn('WARN-SNIPPET-TEXT')\n```\n",
        encoding="utf-8",
    )
    result = build(
        vault,
        tmp_path / "out",
        timeout=300,
        plugin={"verify": False, "cache_dir": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.log
    assert result.warnings == [
        "WARNING -  mathvault: ../vault/warn.md:6: snippet warning: UserWarning: WARN-SNIPPET-TEXT"
    ], result.log
    assert "Glyph" not in result.log and "\x1b" not in result.log
    page = result.site_dir / "sub" / "auto" / "index.html"
    html = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert "![[" not in soup.get_text() and "Glyph" not in html
    (img,) = soup.select("article img")
    assert Path(unquote(img["src"])).name == "auto-1.png"
    with Image.open((page.parent / unquote(img["src"])).resolve()) as image:
        assert image.format == "PNG" and image.width >= 600
    warn_html = (result.site_dir / "warn" / "index.html").read_text(encoding="utf-8")
    assert "WARN-SNIPPET-TEXT" not in warn_html and "\x1b" not in warn_html
    assert "WARN-\\x1b[31mOUT" in BeautifulSoup(warn_html, "html.parser").get_text()
