"""What the browser tests look at: typeset math, search results, images. No fixtures here."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

MATH_TIMEOUT_MS = 30_000
SEARCH_TIMEOUT_MS = 15_000


def source_math_count(html: str) -> int:
    """How many `.arithmatex` elements the built HTML file holds inside the article."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup
    return len(article.select(".arithmatex"))


def wait_for_math(page, path: str | None = None) -> dict:
    """Wait until mathvault's MathJax hook has typeset the current page; return its state."""
    page.wait_for_function(
        """(path) => {
            const s = window.mathvault && window.mathvault.math;
            return s && s.typesets > 0 && !s.pending
                && (path === null || s.path === path);
        }""",
        arg=path,
        timeout=MATH_TIMEOUT_MS,
    )
    return page.evaluate("() => JSON.parse(JSON.stringify(window.mathvault.math))")


def math_report(page) -> dict:
    """Counts a reader would notice: formulas, rendered formulas, errors, raw TeX left."""
    return page.evaluate(
        """() => {
            const scope = document.querySelector("article") || document.body;
            const nodes = [...scope.querySelectorAll(".arithmatex")];
            return {
                math: nodes.length,
                rendered: nodes.filter(n => n.querySelectorAll("mjx-container").length === 1).length,
                containers: scope.querySelectorAll(".arithmatex mjx-container").length,
                errors: [...scope.querySelectorAll("mjx-merror, [data-mjx-error]")].map(
                    e => e.getAttribute("data-mjx-error") || e.textContent),
                raw: nodes.filter(n => !n.querySelector("mjx-container")).map(n => n.textContent),
                empty: nodes.filter(n => {
                    const c = n.querySelector("mjx-container");
                    return c && c.getBoundingClientRect().width === 0;
                }).length,
            };
        }"""
    )


def mathjax_fonts_loaded(page) -> list[str]:
    """Families of the MathJax web fonts the page actually loaded."""
    return page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter(f => f.family.replace(/"/g, "").startsWith("MJXTEX")
                          || f.family.replace(/"/g, "").startsWith("MJXZERO"))
                .filter(f => f.status === "loaded")
                .map(f => f.family);
        }"""
    )


def site_path(url: str) -> str:
    """'/3.%20x/y/' -> '3. x/y/' (decoded, no leading slash, no fragment)."""
    return unquote(urlsplit(url).path).lstrip("/")


def search(page, query: str) -> list[str]:
    """Type `query` into Material's search box like a reader; return result page paths.

    Material reacts to keyup, and Hangul typed through an IME arrives as composition
    text, so the value is filled and a key is released, as a real keyboard would.
    """
    toggle = page.locator("label[for='__search']").first
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        toggle.click()
    box.fill("")
    box.press("End")
    meta = page.locator(".md-search-result__meta")
    placeholder = meta.inner_text()
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        """([placeholder]) => {
            const m = document.querySelector(".md-search-result__meta");
            return m && m.innerText !== placeholder;
        }""",
        arg=[placeholder],
        timeout=SEARCH_TIMEOUT_MS,
    )
    hrefs = page.locator(".md-search-result__item > a").evaluate_all(
        "els => els.map(e => e.href)"
    )
    return [site_path(h) for h in hrefs]


def wait_search_ready(page) -> None:
    """Search is ready once a query for a word every page has returns results."""
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta') !== null",
        timeout=SEARCH_TIMEOUT_MS,
    )


def broken_images(page) -> list[str]:
    """Every <img> in the article scrolled into view and decoded; return those that failed."""
    return page.evaluate(
        """async () => {
            const scope = document.querySelector("article") || document.body;
            const bad = [];
            for (const img of scope.querySelectorAll("img")) {
                img.loading = "eager";
                img.scrollIntoView();
                try { await img.decode(); } catch (e) { /* judged below */ }
                if (!img.complete || img.naturalWidth === 0) bad.push(img.currentSrc || img.src);
            }
            window.scrollTo(0, 0);
            return bad;
        }"""
    )
