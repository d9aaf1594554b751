"""The demo vault built with the real `mkdocs build`, checked as a reader would see it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from site_tests.sitebuild import DEMO_FINDINGS, DEMO_VAULT, REPO, unexpected_warnings

SEED = DEMO_VAULT / "3. 미적분" / "3.4.3. 미분.md"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The repository's own mkdocs.yml, built into a temporary folder: the only warning is the
    checker's finding in the seed (see DEMO_FINDINGS); `--strict` fails on it, as it should."""
    out = tmp_path_factory.mktemp("demo")
    config = out / "mkdocs.yml"
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: vault", f"docs_dir: {DEMO_VAULT}")
    config.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-f",
            str(config),
            "-d",
            str(out / "site"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log
    assert unexpected_warnings(log) == [], log
    findings = [line for line in log.splitlines() if line.startswith("WARNING")]
    assert len(findings) == len(DEMO_FINDINGS), log  # the seed's typo is reported, once
    return out / "site"


def pages(site: Path):
    for html in sorted(site.rglob("*.html")):
        if "assets" in html.relative_to(site).parts:
            continue
        yield html, BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def article_text(soup: BeautifulSoup) -> str:
    art = soup.select_one("article") or soup
    art = BeautifulSoup(str(art), "html.parser")
    for tag in art.select("code, pre, .arithmatex"):
        tag.decompose()
    return art.get_text(" ")


def seed_page(site: Path) -> BeautifulSoup:
    html = next(p for p in site.rglob("index.html") if "3.4.3. 미분" in str(p))
    return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def source_formulas(text: str) -> tuple[list[str], list[str]]:
    """Display and inline formulas of a note, found independently of mathvault."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    text = re.sub(r"^---\n.*?\n---\n", "", text, count=1, flags=re.S)
    display = re.findall(r"\$\$(.+?)\$\$", text, flags=re.S)
    rest = re.sub(r"\$\$(.+?)\$\$", " ", text, flags=re.S)
    inline = re.findall(r"(?<!\\)\$(\S[^$\n]*?)(?<!\s)\$(?!\d)", rest)
    return display, inline


def test_seed_formulas_arrive_byte_for_byte(demo: Path) -> None:
    display, inline = source_formulas(SEED.read_text(encoding="utf-8"))
    assert len(display) == 10
    soup = seed_page(demo)
    for aside in soup.select(".mathvault-backlinks"):  # other notes' lines, quoted
        aside.decompose()
    shown_display = [
        el.get_text()[2:-2] for el in soup.select(".arithmatex") if el.get_text().startswith("\\[")
    ]
    shown_inline = [
        el.get_text()[2:-2] for el in soup.select(".arithmatex") if el.get_text().startswith("\\(")
    ]
    assert shown_display == display
    assert shown_inline == inline
    assert any("\\\\" in d for d in shown_display)  # row breaks survive


def test_seed_finding_is_marked_with_its_counterexample(demo: Path) -> None:
    soup = seed_page(demo)
    [refuted] = soup.select("article .arithmatex.mathvault-refuted")  # line 38, the typo
    assert "t_{i}" in refuted.get_text() and "t_{1}" in refuted.get_text()
    shown = refuted.parent.select_one(".mathvault-counterexample")
    assert shown is not None and "counterexample" in shown.get_text()
    assert soup.select("article .mathvault-mark-verified")  # the rest: ✓ where checked


def test_seed_heading_keeps_korean(demo: Path) -> None:
    soup = seed_page(demo)
    h4 = soup.select_one("article h4")
    assert h4 is not None and "미분" in h4["id"]


def test_seed_figures_are_generated_images(demo: Path) -> None:
    soup = seed_page(demo)
    srcs = [img["src"] for img in soup.select("article img")]
    assert any(s.endswith("dev.png") and "partial" not in s for s in srcs)
    part = [img for img in soup.select("article img") if img["src"].endswith("partial_dev.png")]
    assert part and part[0].get("width") == "600"


def test_no_obsidian_syntax_left_in_text(demo: Path) -> None:
    for html, soup in pages(demo):
        text = article_text(soup)
        for raw in ("[[", "![[", "%%", "==", "[!"):
            assert raw not in text, (
                f"{html}: raw {raw!r} in {text[max(0, text.find(raw) - 80) : text.find(raw) + 80]!r}"  # noqa: E501 (a note's text, kept on one line)
            )


def test_every_link_and_anchor_resolves(demo: Path) -> None:
    ids: dict[Path, set[str]] = {}
    checked = 0
    for html, soup in pages(demo):
        ids[html] = {el["id"] for el in soup.select("[id]")}
    for html, soup in pages(demo):
        art = soup.select_one("article")
        if art is None:
            continue
        for el in art.select("[href], [src]"):
            url = el.get("href") or el.get("src")
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue
            target = html if not parts.path else (html.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{html}: {url} does not exist"
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in ids[target], (
                    f"{html}: no #{parts.fragment} in {target}"
                )
            checked += 1
    assert checked > 50


def test_backlinks_and_tags(demo: Path) -> None:
    soup = seed_page(demo)
    back = soup.select_one(".mathvault-backlinks")
    assert back is not None and len(back.select("li")) >= 2
    # inside the article, right after the note's text
    assert back.find_parent("article") is not None
    # other notes' lines are not this page's text: search must not find them here
    index = json.loads((demo / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"], "empty search index"
    for doc in index["docs"]:
        assert "Linked mentions" not in doc["text"], doc["location"]
    tags_page = demo / "tags" / "index.html"
    assert tags_page.exists()


def test_natural_order_in_navigation(demo: Path) -> None:
    soup = seed_page(demo)
    titles = [
        a.get_text(" ", strip=True) for a in soup.select("nav.md-nav--primary a.md-nav__link")
    ]
    order = [
        next(i for i, t in enumerate(titles) if t.startswith(p))
        for p in ("3.4.2.", "3.4.3.", "3.4.10.")
    ]
    assert order == sorted(order)
