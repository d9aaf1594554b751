"""The browser assets on a small site built without the mathvault plugin.

The reference vault (conftest.REFERENCE_PAGES) is plain MkDocs + Material + arithmatex
generic + `site_assets`: if these pass and the demo tests fail, the fault is in the
plugin's wiring, not in the MathJax config, the CSS or the search settings.
"""

from __future__ import annotations

import json
import re

import pytest

from mathvault.mkdocs import site_assets
from site_tests.conftest import source_math_count

pytestmark = pytest.mark.browser

MATH_PAGES = ["", "미분/", "선형대수/"]


@pytest.mark.parametrize("rel", MATH_PAGES, ids=["index", "미분", "선형대수"])
def test_every_formula_is_typeset_without_error(reference_site, visit_factory, rel):
    visit = visit_factory(reference_site)
    visit.page.goto(reference_site.url(rel))
    state = visit.wait_for_math()
    report = visit.math_report()
    expected = source_math_count(reference_site.html(rel))
    assert expected > 0
    assert report["math"] == expected
    assert report["rendered"] == expected, f"left as raw TeX: {report['raw']}"
    assert report["containers"] == expected
    assert report["errors"] == [] and state["errors"] == []
    assert report["empty"] == 0


def test_broken_formulas_are_reported(reference_site, visit_factory):
    # The control for the test above: the same checks see MathJax's errors.
    visit = visit_factory(reference_site)
    visit.page.goto(reference_site.url("오류/"))
    state = visit.wait_for_math()
    report = visit.math_report()
    assert report["math"] == 2
    assert len(report["errors"]) == 2, report
    assert any("undefinedmacro" in e for e in report["errors"]), report["errors"]
    assert len(state["errors"]) == 2
    assert len(visit.console_errors) >= 2  # each error is logged with its TeX


def test_macros_and_autoloaded_packages_render(reference_site, visit_factory):
    visit = visit_factory(reference_site)
    visit.page.goto(reference_site.url(""))
    visit.wait_for_math()
    # \R from mathjax_macros becomes a double-struck R (U+211D in MathJax's TeX fonts).
    mathml = visit.page.evaluate(
        "() => [...document.querySelectorAll('mjx-assistive-mml')].map(m => m.innerHTML).join(' ')"
    )
    assert "ℝ" in mathml or 'mathvariant="double-struck"' in mathml, mathml
    # \boldsymbol is not in tex-chtml.js: autoload fetched it from this site.
    assert visit.local("input/tex/extensions/boldsymbol.js"), visit.requests
    assert 'mathvariant="bold-italic"' in mathml, mathml


def test_math_fonts_come_from_the_site(reference_site, visit_factory):
    visit = visit_factory(reference_site)
    visit.page.goto(reference_site.url("미분/"))
    visit.wait_for_math()
    families = visit.mathjax_fonts_loaded()
    assert any(f.strip('"').startswith("MJXTEX") for f in families), families
    woff = visit.local(".woff")
    assert woff and all("/assets/mathvault/mathjax/output/chtml/fonts/" in u for u in woff)
    assert visit.foreign == []


def test_display_span_is_a_block_of_its_own(reference_site, visit_factory):
    visit = visit_factory(reference_site)
    visit.page.goto(reference_site.url("미분/"))
    visit.wait_for_math()
    box = visit.page.evaluate(
        """() => {
            const s = document.querySelector("span.arithmatex.mathvault-display");
            const c = s.querySelector("mjx-container");
            return {display: getComputedStyle(s).display, block: c.getAttribute("display")};
        }"""
    )
    assert box == {"display": "block", "block": "true"}


def test_instant_navigation_typesets_the_new_page(reference_site, visit_factory):
    visit = visit_factory(reference_site)
    page = visit.page
    page.goto(reference_site.url(""))
    first = visit.wait_for_math()
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator("article a[href*='%EC%84%A0%ED%98%95'], article a[href*='선형']").first.click()
    page.wait_for_url("**/%EC%84%A0%ED%98%95%EB%8C%80%EC%88%98/")
    state = visit.wait_for_math(path=page.evaluate("() => location.pathname"))
    # No reload happened: Material swapped the content and our hook ran again.
    assert page.evaluate("() => window.__sameDocument === true")
    assert state["typesets"] == first["typesets"] + 1
    report = visit.math_report()
    expected = source_math_count(reference_site.html("선형대수/"))
    assert report["rendered"] == expected and report["errors"] == []


def test_dark_mode_toggle(reference_site, visit_factory):
    visit = visit_factory(reference_site)
    page = visit.page
    page.goto(reference_site.url("미분/"))
    visit.wait_for_math()
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator("label.md-header__button[for='__palette_1']").click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    # Math follows the text colour, so it stays readable on the dark background.
    colors = page.evaluate(
        """() => [getComputedStyle(document.querySelector("article")).color,
                  getComputedStyle(document.querySelector(".arithmatex mjx-container")).color]"""
    )
    assert colors[0] == colors[1]


# Words as they stand in the reference notes, with particles, brackets and mixed scripts.
QUERIES = {
    "미분": "미분/",  # title, and "미분은", "미분법" in the text
    "미분은": "미분/",
    "시그모이드": "미분/",  # "시그모이드의"
    "sigmoid": "미분/",  # "sigmoid 의"
    "변화량": "미분/",  # "증분(increment변화량)"
    "increment": "미분/",
    "편미분": "미분/",  # "“편미분”은"
    "전미분": "미분/",  # "(전미분)과"
    "차원": "미분/",  # "2차원"
    "sigma": "미분/",  # "\sigma" inside a formula
    "행렬": "선형대수/",  # "행렬을"
}


def test_korean_and_english_search(reference_site, visit_factory):
    visit = visit_factory(reference_site)
    visit.page.goto(reference_site.url(""))
    missed = {}
    for query, expected in QUERIES.items():
        results = visit.search(query)
        if expected not in results:
            missed[query] = results
    assert missed == {}, f"query -> results that lack the expected page: {missed}"


def test_default_search_settings_miss_korean_words(default_search_site, visit_factory):
    # The control: with Material's defaults, words glued to brackets, quotes or Latin
    # letters are not found; SEARCH_CONFIG is what makes the test above pass.
    visit = visit_factory(default_search_site)
    visit.page.goto(default_search_site.url(""))
    words = ("변화량", "편미분", "전미분", "차원")
    missed = [q for q in words if "미분/" not in visit.search(q)]
    assert missed == ["변화량", "편미분", "전미분", "차원"]


# -- the Python side of the assets (no browser) ----------------------------------------


def test_asset_list_covers_what_the_pages_load():
    files = site_assets.asset_files()
    for rel in site_assets.EXTRA_JAVASCRIPT + site_assets.EXTRA_CSS:
        assert rel in files and files[rel].is_file(), rel
    js = site_assets.EXTRA_JAVASCRIPT
    assert js.index(site_assets.CONFIG_JS) < js.index(site_assets.MATHJAX_JS)
    fonts = [rel for rel in files if rel.endswith(".woff")]
    assert len(fonts) >= 20  # every MathJax TeX font face CHTML may ask for
    assert 2_000_000 < sum(p.stat().st_size for p in files.values()) < 6_000_000


def test_macros_are_written_into_the_config():
    js = site_assets.mathjax_config_js({"\\R": r"\mathbb{R}", "norm": r"\lVert #1 \rVert"})
    literal = re.search(r"/\*mathvault:macros\*/(.*?)/\*mathvault:end\*/", js).group(1)
    assert json.loads(literal) == {"R": r"\mathbb{R}", "norm": [r"\lVert #1 \rVert", 1]}
    assert "</script" not in site_assets.mathjax_config_js({"x": "</script>"})


@pytest.mark.parametrize("name", ["R1", "my-macro", ""])
def test_macro_names_must_be_control_words(name):
    with pytest.raises(ValueError, match="mathjax_macros"):
        site_assets.mathjax_config_js({name: "x"})
