"""Reading round 2 in headless Chromium: the graph view, Korean search inside compounds,
figures on the dark scheme, hover previews, and the demo opened from disk (file://) with
Material's offline plugin."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from site_tests.conftest import REPO, run_mkdocs, source_math_count
from site_tests.test_browser_demo import SEED, _page_of

pytestmark = pytest.mark.browser

SCHEME = "() => document.body.getAttribute('data-md-color-scheme')"


def _to_dark(page) -> None:
    page.locator("label.md-header__button[for^='__palette']:visible").click()
    page.wait_for_function(f"() => ({SCHEME})() === 'slate'")
    page.wait_for_timeout(300)  # Material's colour transition


# -- graph -------------------------------------------------------------------------------


def test_local_graph_shows_the_neighbours_and_a_click_navigates(demo_site, visit_factory):
    base = demo_site.url(SEED)
    soup = BeautifulSoup(demo_site.html(SEED), "html.parser")
    links = {
        urljoin(base, a["href"].split("#")[0])
        for a in soup.select("article a[href]")
        if not a.find_parent(class_=["mathvault-graph", "mathvault-backlinks", "md-tags"])
        and not a["href"].startswith(("#", "http"))
        and not any(x in a["href"] for x in ("_mathvault", "attachments", "formula-checks"))
    }
    backlinks = {urljoin(base, a["href"]) for a in soup.select(".mathvault-backlinks a[href]")}
    visit = visit_factory(demo_site)
    page = visit.page
    page.goto(base)
    visit.wait_for_math()
    graph = page.locator(".mathvault-graph-local")
    graph.scroll_into_view_if_needed()
    assert graph.is_visible()
    here = graph.locator(".mathvault-graph-here")
    assert here.count() == 1 and "미분" in here.inner_text()
    nodes = graph.locator(".mathvault-graph-node:not(.mathvault-graph-here)")
    hrefs = set(nodes.evaluate_all("els => els.map(e => e.href)"))
    # Its neighbours: every note it links to and every note linking to it (no others).
    assert hrefs == (links | backlinks) - {base}, (hrefs, links, backlinks)
    assert len(hrefs) >= 5
    assert page.locator(".mathvault-graph-local svg path").get_attribute("d").count("M") >= 5

    page.evaluate("() => { window.__sameDocument = true; }")
    first = visit.wait_for_math()
    target = nodes.first
    href = target.evaluate("a => a.href")
    target.click()
    page.wait_for_url(href)
    visit.wait_for_math(path=page.evaluate("() => location.pathname"))
    assert page.evaluate("() => window.__sameDocument === true"), "full reload, not instant"
    assert visit.wait_for_math()["typesets"] == first["typesets"] + 1
    # The new page's own graph, centred on it.
    here = page.locator(".mathvault-graph-local .mathvault-graph-here")
    assert here.evaluate("a => a.href") == page.url.split("#")[0]


def test_global_graph_page_and_dark_mode_colours(demo_site, visit_factory, screenshot_dir):
    notes = len(
        [
            a
            for a in BeautifulSoup(demo_site.html(SEED), "html.parser").select(
                ".mathvault-graph-node"
            )
        ]
    )
    visit = visit_factory(demo_site)
    page = visit.page
    page.goto(demo_site.url("graph/"))
    graph = page.locator(".mathvault-graph-global")
    assert graph.is_visible()
    count = graph.locator(".mathvault-graph-node").count()
    assert count >= notes and count == int(graph.get_attribute("data-nodes"))
    box = graph.locator(".mathvault-graph-canvas").bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    # Every node is inside the drawing.
    inside = graph.locator(".mathvault-graph-node").evaluate_all(
        """(els) => { const c = els[0].parentElement.getBoundingClientRect();
            return els.every(e => { const r = e.getBoundingClientRect();
                return r.left >= c.left - 1 && r.right <= c.right + 1
                    && r.top >= c.top - 1 && r.bottom <= c.bottom + 1; }); }"""
    )
    assert inside

    colours = """() => {
        const node = document.querySelector(".mathvault-graph-node:not(.mathvault-graph-here)");
        const path = document.querySelector(".mathvault-graph svg path");
        const canvas = document.querySelector(".mathvault-graph-canvas");
        return [getComputedStyle(node).backgroundColor, getComputedStyle(path).stroke,
                getComputedStyle(canvas).backgroundColor];
    }"""
    light = page.evaluate(colours)
    graph.screenshot(path=str(screenshot_dir / "graph-light.png"))
    _to_dark(page)
    dark = page.evaluate(colours)
    graph.screenshot(path=str(screenshot_dir / "graph-dark.png"))
    assert all(a != b for a, b in zip(light, dark)), (light, dark)

    # The local graph of the seed page follows the scheme too (kept across navigation).
    page.goto(demo_site.url(SEED))
    assert page.evaluate(SCHEME) == "slate"
    local = page.locator(".mathvault-graph-local")
    local.scroll_into_view_if_needed()
    local.screenshot(path=str(screenshot_dir / "seed-graph-dark.png"))


# -- search ------------------------------------------------------------------------------


def _pages_with(site, pattern: str) -> set[str]:
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = set()
    for doc in index["docs"]:
        text = BeautifulSoup(doc["title"] + " " + doc["text"], "html.parser").get_text(" ")
        if re.search(pattern, text):
            found.add(_page_of(doc["location"]))
    return found


def test_search_finds_korean_words_inside_compounds(demo_site, visit_factory):
    compound = _pages_with(demo_site, "편미분")
    whole = _pages_with(demo_site, r"(?:^|[^가-힣])미분")
    inside_only = _pages_with(demo_site, r"[가-힣]미분") - whole
    assert compound, "no note of vault/ contains 편미분 any more"
    visit = visit_factory(demo_site)
    visit.page.goto(demo_site.url(SEED))
    results = visit.search("미분")
    assert compound <= set(results), (compound, results)
    # A note with the whole word ranks above one that has it only inside a compound.
    if inside_only:
        last_whole = max(results.index(p) for p in whole if p in results)
        first_inside = min(results.index(p) for p in inside_only if p in results)
        assert last_whole < first_inside, (results, whole, inside_only)
    # The sub-words are never shown to the reader.
    shown = visit.page.locator(".md-search-result").inner_text()
    assert "subwords" not in shown
    for query in ("sigmoid", "시그모이드"):
        assert _pages_with(demo_site, query) & set(visit.search(query)), query


# -- figures -----------------------------------------------------------------------------


def _luminance_of(png: Path) -> float:
    from PIL import Image, ImageStat

    with Image.open(png) as img:
        return ImageStat.Stat(img.convert("L")).mean[0]


def test_figures_fit_the_dark_scheme(demo_site, visit_factory, screenshot_dir):
    from PIL import Image

    soup = BeautifulSoup(demo_site.html(SEED), "html.parser")
    generated = [img["src"] for img in soup.select("article img") if "_mathvault" in img["src"]]
    assert len(generated) >= 2, generated
    for src in generated:  # transparent background: the page shows through
        with Image.open((demo_site.root / SEED / src).resolve()) as img:
            assert img.mode == "RGBA" and img.getpixel((2, 2))[3] == 0, src
    visit = visit_factory(demo_site)
    page = visit.page
    page.goto(demo_site.url(SEED))
    visit.wait_for_math()
    assert visit.broken_images() == []
    _to_dark(page)
    page.screenshot(path=str(screenshot_dir / "seed-dark-figures.png"), full_page=True)
    for n, src in enumerate(generated):
        img = page.locator(f'article img[alt="{src.rsplit("/", 1)[-1]}"]')
        img.scroll_into_view_if_needed()
        shot = screenshot_dir / f"seed-dark-figure-{n + 1}.png"
        img.screenshot(path=str(shot))
        # Mean grey level of the figure as the reader sees it on the dark page: a white
        # background would be > 200.
        assert _luminance_of(shot) < 80, (src, _luminance_of(shot))


# -- hover previews ----------------------------------------------------------------------


def _preview_shows(page, link) -> bool:
    link.scroll_into_view_if_needed()
    link.hover()
    try:
        page.wait_for_function(
            """() => [...document.querySelectorAll('.md-tooltip2')].some(
                t => t.querySelector('article, .md-typeset') && t.offsetParent !== null)""",
            timeout=10_000,
        )
        return True
    except Exception:  # noqa: BLE001 - a timeout is the answer
        return False
    finally:
        page.mouse.move(0, 0)
        page.wait_for_timeout(400)


def test_hover_previews_on_links_embeds_backlinks_and_graph(demo_site, visit_factory):
    visit = visit_factory(demo_site)
    page = visit.page
    page.goto(demo_site.url(SEED))
    visit.wait_for_math()
    places = {
        "note text": "article p a[href]:not([href*='_mathvault'])"
        ":not([href*='formula-checks']):visible",
        "backlinks": ".mathvault-backlinks a[href]:visible",
        "graph": ".mathvault-graph-local .mathvault-graph-node:not(.mathvault-graph-here)",
    }
    failed = [
        where
        for where, selector in places.items()
        if not _preview_shows(page, page.locator(selector).first)
    ]
    assert failed == []


# -- opened from disk --------------------------------------------------------------------


@dataclass
class _Origin:
    origin: str


@dataclass
class FileSite:
    """A site opened from disk: what visit_factory needs (file:// is the only 'host')."""

    root: Path
    server: _Origin

    def url(self, rel: str) -> str:
        return (self.root / rel).as_uri()


@pytest.fixture(scope="module")
def offline_demo(tmp_path_factory) -> FileSite:
    root = tmp_path_factory.mktemp("offline-demo")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str((REPO / "vault").resolve())
    config["plugins"] = ["search", "offline", *config["plugins"][1:]]  # where users list it
    config["plugins"] = [p for p in config["plugins"] if p != "mathvault"]
    config["plugins"].append({"mathvault": {"cache_dir": str(root / ".cache")}})
    file = root / "mkdocs.yml"
    file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    run_mkdocs(file, root / "site")
    return FileSite(root / "site", _Origin("file://"))


def test_offline_demo_opened_from_disk(offline_demo, visit_factory):
    site = offline_demo
    pages = sorted(
        p.relative_to(site.root).as_posix()
        for p in site.root.rglob("*.html")
        if not p.relative_to(site.root).as_posix().startswith(("assets/", "search/", "404"))
    )
    seed = SEED.rstrip("/") + ".html"
    assert seed in pages
    visit = visit_factory(site)
    page = visit.page
    problems, formulas = {}, 0
    for rel in pages:
        html = (site.root / rel).read_text(encoding="utf-8")
        expected = source_math_count(html)
        page.goto(site.url(rel))
        state = visit.wait_for_math()
        report = visit.math_report()
        broken = visit.broken_images()
        formulas += report["rendered"]
        graph = "mathvault-graph-node" in html
        shown = page.locator(".mathvault-graph").count() > 0 if graph else True
        if report["rendered"] != expected or report["errors"] or state["errors"] or broken:
            problems[rel] = {"expected": expected, **report, "broken": broken}
        if not shown:
            problems[rel] = "graph missing"
    assert problems == {}
    assert formulas >= 100, formulas
    page.goto(site.url(seed))
    visit.wait_for_math()
    assert visit.math_report()["rendered"] == 33
    assert page.locator(".mathvault-backlinks a").count() > 0
    assert page.locator(".mathvault-graph-local .mathvault-graph-node").count() >= 5
    results = visit.search("sigmoid")
    assert any("시그모이드" in r or "Sigmoid" in r for r in results), results
    assert any("3.4.3" in r for r in visit.search("편미분")), "compound search from disk"
    assert visit.console_errors == [], visit.console_errors
