"""Formula checks in a real build: a wrong step is reported with its line, marked on the
page, fails --strict, and a plain build still finishes; an unchanged rebuild checks nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from sitebuild import build

NOTE = (
    "---\ntitle: Sigmoid check\n---\n"
    "# Wrong step\n\n"
    "$$\\sigma(z) = \\frac{1}{1+e^{-z}}$$\n\n"
    "- the derivative:\n"
    "\t$$\\sigma^{\\prime}(z) = \\sigma(z)(1+\\sigma(z))$$\n\n"
    "$$\\frac{d}{dx}\\sin(x^2) = 2x\\cos(x^2)$$\n"
)


def test_refuted_formula_is_reported_marked_and_strict_fails(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text(NOTE, encoding="utf-8")
    cache = str(tmp_path / "cache")
    strict = build(vault, tmp_path / "strict", plugin={"execute": False, "cache_dir": cache}, strict=True)
    assert strict.returncode != 0
    plain = build(vault, tmp_path / "plain", plugin={"execute": False, "cache_dir": cache})
    assert plain.returncode == 0
    [warning] = plain.warnings
    assert re.search(r"vault/index\.md:9: formula refuted: \\sigma\^\{\\prime\}\(z\) = .*z=", warning)
    soup = BeautifulSoup((plain.site_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    marked = soup.select(".arithmatex.mathvault-refuted")
    assert len(marked) == 1 and "1+\\sigma(z)" in marked[0].get_text()
    box = soup.select_one(".mathvault-checks")
    assert box is not None and "1 refuted" in box.get_text() and "1 verified" in box.get_text()
    # a refuted claim keeps the box open: a failure admonition, one row per claim, the
    # wrong claim's row carrying its counterexample; inside the article, after the note
    assert "failure" in box["class"] and box.select_one(".admonition-title") is not None
    rows = [li.get_text() for li in box.select("li")]
    assert any(r.startswith("✘ line 9") and "z=" in r for r in rows), rows
    assert box.find_parent("article") is not None
    index = json.loads((plain.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert all("Formula check" not in d["text"] for d in index["docs"])  # not the note's text
    assert "1 notes cached" in plain.log  # the second build reused the first one's verdicts

