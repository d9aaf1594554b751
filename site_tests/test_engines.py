"""Smoke suite, one engine per run (MATHVAULT_ENGINE): the demo vault built as
docs/engines.md says, checked as a reader sees it: the seed page's formulas byte for
byte and typeset offline in Chromium, both generated figures, wikilinks, embeds and
anchors that resolve, linked mentions, Korean heading ids, no Obsidian syntax left.

The full site suite runs on MkDocs 1.6 only; `scripts/engines` runs this file in a
virtualenv per other engine (ProperDocs, MkDocs NG, Zensical).
"""

from __future__ import annotations

import importlib.metadata as md
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from site_tests.conftest import _serve, source_math_count
from site_tests.engines import ENGINE, REPO

SEED_SOURCE = REPO / "vault" / "3. 미적분" / "3.4.3. 미분.md"
SEED = "3. 미적분/3.4.3. 미분/"
DISTRIBUTION = {
    "mkdocs": "mkdocs",
    "properdocs": "properdocs",
    "mkdocs-ng": "mkdocs-ng",
    "zensical": "zensical",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from site_tests.engines import build_demo

    root = tmp_path_factory.mktemp(f"engine-{ENGINE}")
    logs: list[str] = []
    yield from _serve(root / "site", lambda origin: logs.append(build_demo(root, origin)[1]))


def _pages(site_dir: Path):
    for html in sorted(site_dir.rglob("*.html")):
        if "assets" in html.relative_to(site_dir).parts or html.name == "404.html":
            continue
        yield html, BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")


def _seed(site) -> BeautifulSoup:
    return BeautifulSoup(site.html(SEED), "html.parser")


def _source_formulas(text: str) -> tuple[list[str], list[str]]:
    """Display and inline formulas of a note, found independently of mathvault."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    text = re.sub(r"^---\n.*?\n---\n", "", text, count=1, flags=re.S)
    display = re.findall(r"\$\$(.+?)\$\$", text, flags=re.S)
    rest = re.sub(r"\$\$(.+?)\$\$", " ", text, flags=re.S)
    inline = re.findall(r"(?<!\\)\$(\S[^$\n]*?)(?<!\s)\$(?!\d)", rest)
    return display, inline


def test_the_engine_is_the_one_named() -> None:
    version = md.version(DISTRIBUTION[ENGINE])
    print(f"engine {ENGINE} {version}")
    if ENGINE == "mkdocs-ng":  # a drop-in: the `mkdocs` module must be NG's
        assert "mkdocs" not in {d.metadata["Name"].lower() for d in md.distributions()}


def test_seed_formulas_arrive_byte_for_byte(site) -> None:
    display, inline = _source_formulas(SEED_SOURCE.read_text(encoding="utf-8"))
    soup = _seed(site)
    for aside in soup.select(".mathvault-backlinks"):
        aside.decompose()
    article = soup.select_one("article") or soup
    texts = [el.get_text() for el in article.select(".arithmatex")]
    assert [t[2:-2] for t in texts if t.startswith("\\[")] == display
    assert [t[2:-2] for t in texts if t.startswith("\\(")] == inline
    assert len(display) == 10 and inline


def test_seed_heading_keeps_korean(site) -> None:
    h4 = _seed(site).select_one("article h4")
    assert h4 is not None and "미분" in h4["id"]


def test_seed_figures_are_generated_images(site) -> None:
    imgs = _seed(site).select("article img")
    srcs = [img["src"] for img in imgs]
    assert any(s.endswith("/dev.png") for s in srcs), srcs
    part = [img for img in imgs if img["src"].endswith("partial_dev.png")]
    assert part and part[0].get("width") == "600"
    page_dir = site.root / SEED
    for src in srcs:
        assert (page_dir / unquote(src)).resolve().is_file(), src


def test_no_obsidian_syntax_left(site) -> None:
    for html, soup in _pages(site.root):
        art = soup.select_one("article")
        if art is None or "formula-checks" in html.parts:  # quotes the checker's reasons
            continue
        # the formula-check box quotes the checker's reasons, which may cite the note
        for tag in art.select("code, pre, .arithmatex, .mathvault-checks, .mathvault-backlinks"):
            tag.decompose()
        text = art.get_text(" ")
        for raw in ("[[", "![[", "%%", "==", "[!"):
            assert raw not in text, f"{html}: raw {raw!r}"


def test_every_link_embed_and_anchor_resolves(site) -> None:
    ids = {html: {el["id"] for el in soup.select("[id]")} for html, soup in _pages(site.root)}
    checked = 0
    for html, soup in _pages(site.root):
        art = soup.select_one("article")
        for el in art.select("[href], [src]") if art else []:
            url = el.get("href") or el.get("src")
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue
            target = html if not parts.path else (html.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{html}: {url} does not exist"
            if parts.fragment and target.suffix == ".html" and target in ids:
                assert unquote(parts.fragment) in ids[target], f"{html}: no #{parts.fragment}"
            checked += 1
    assert checked > 50


def test_linked_mentions(site) -> None:
    back = _seed(site).select_one(".mathvault-backlinks")
    assert back is not None and len(back.select("li")) >= 2


@pytest.mark.browser
def test_seed_math_typesets_offline_and_images_load(site, visit_factory) -> None:
    visit = visit_factory(site)
    visit.page.goto(site.url(SEED))
    visit.wait_for_math()
    report = visit.math_report()
    expected = source_math_count(site.html(SEED))
    assert report["math"] == expected and report["rendered"] == expected, report
    assert not report["errors"] and not report["raw"], report
    assert visit.mathjax_fonts_loaded(), "MathJax fonts did not load from the site"
    assert visit.broken_images() == []
