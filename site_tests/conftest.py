"""Fixtures for the real-browser tests: built sites, a local HTTP server, headless Chromium.

Two sites are built once per session:
  * `reference_site`: a small vault of our own, built with plain MkDocs + Material +
    pymdownx.arithmatex (generic) + the files from `mathvault.site_assets`. It proves the
    browser assets (MathJax config, CSS, search settings) without the mathvault plugin.
  * `demo_site`: the repository's own `mkdocs.yml` over `vault/`, i.e. what a reader gets.

Each test gets a `visit` (a fresh browser page) that records every request: any request
to a host other than the local server is aborted and fails the test, and so does any
HTTP error from the local server or an uncaught page error.

Chromium is Debian's `/usr/bin/chromium` (never `playwright install`). Without it the
browser tests are skipped with a loud reason, except under CI=true where they fail.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from mathvault.mkdocs import site_assets

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
CHROMIUM = Path(os.environ.get("MATHVAULT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MATH_TIMEOUT_MS = 30_000
SEARCH_TIMEOUT_MS = 15_000
IN_CI = os.environ.get("CI", "").lower() == "true"

# Macros the reference site defines, to prove the `mathjax_macros` path end to end.
REFERENCE_MACROS = {"R": r"\mathbb{R}", "norm": r"\left\lVert #1 \right\rVert"}


def unavailable(reason: str) -> None:
    """Skip loudly, or fail under CI, where everything must be installed."""
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if IN_CI:
        pytest.fail(message + " (CI=true: a missing browser is a failure)", pytrace=False)
    pytest.skip(message)


def source_math_count(html: str) -> int:
    """How many `.arithmatex` elements the built HTML file holds inside the article."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup
    return len(article.select(".arithmatex"))


def site_path(url: str) -> str:
    """'/3.%20x/y/' -> '3. x/y/' (decoded, no leading slash, no fragment)."""
    return unquote(urlsplit(url).path).lstrip("/")


# -- building ------------------------------------------------------------------------


def run_mkdocs(config_file: Path, site_dir: Path) -> str:
    """`mkdocs build` in a subprocess; returns the log, fails the session on error."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        check=False,  # the log is shown below
        timeout=900,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    log = proc.stdout + proc.stderr
    if proc.returncode != 0:
        pytest.fail(f"mkdocs build -f {config_file} failed ({proc.returncode}):\n{log}")
    return log


# A page per thing a reader must see rendered; math as Obsidian users write it.
REFERENCE_PAGES = {
    "index.md": """# 노트 모음

선형대수와 미적분 노트. Inline $x^2$, $\\boldsymbol{v}$ and $\\R^n$.

- [미분](미분.md)
- [선형대수](선형대수.md)
""",
    "미분.md": """# 미분

미분은 접선의 기울기를 구하는 방법이다. 미분법에는 연쇄법칙이 있다. 시그모이드의 도함수.

- 증분(increment변화량) : $\\triangle x$
- 평균변화율 : <span class="arithmatex mathvault-display">\\\\[\\frac{\\triangle y}{\\triangle x}\\\\]</span>
- “편미분”은 (전미분)과 다르다. 2차원 gradient의 성질.

$$
\\begin{align}
&\\sigma(z) = \\frac{1}{1+e^{-z}} \\\\ \\\\
&\\sigma^{\\prime}(z) = \\sigma(z)[1-\\sigma(z)]
\\end{align}
$$

$$
\\nabla f(p) =
    \\begin{bmatrix}
        \\frac{\\partial f}{\\partial x_{1}(p)} \\\\
        \\vdots \\\\
        \\frac{\\partial f}{\\partial x_{n}(p)}
    \\end{bmatrix}
$$

$$
|x| = \\begin{cases} x & x \\ge 0 \\\\ -x & x < 0 \\end{cases}, \\quad \\norm{\\boldsymbol{w}}
$$

sigmoid 의 미분은 $\\sigma^{\\prime}(z) = out(1-out)$ 과 같다.
""",
    "선형대수.md": """# 선형대수

행렬을 곱한다. Matrix multiplication $AB \\in \\R^{m \\times n}$.

$$
A = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}
$$
""",
    "오류.md": """# 오류

Two formulas MathJax must reject: $\\undefinedmacro{x}$ and $\\left( x$.
""",
}


def reference_config(docs: Path, search: dict | None, origin: str) -> dict:
    return {
        "site_name": "mathvault reference",
        # Material's instant navigation only follows links found in sitemap.xml, whose
        # URLs come from site_url and must match the served origin, port included.
        "site_url": origin + "/",
        "docs_dir": str(docs),
        "theme": {
            "name": "material",
            "language": "ko",
            "font": False,
            "features": ["navigation.instant"],
            "palette": [
                {"scheme": "default", "toggle": {"icon": "material/weather-night", "name": "Dark"}},
                {"scheme": "slate", "toggle": {"icon": "material/weather-sunny", "name": "Light"}},
            ],
        },
        "plugins": [{"search": search} if search is not None else "search"],
        "markdown_extensions": [{"pymdownx.arithmatex": {"generic": True}}],
        "extra_javascript": list(site_assets.EXTRA_JAVASCRIPT),
        "extra_css": list(site_assets.EXTRA_CSS),
    }


def build_reference(root: Path, search: dict | None, origin: str) -> Path:
    docs = root / "docs"
    for name, text in REFERENCE_PAGES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    # Plain MkDocs copies everything in docs/ into the site: that is how the assets go in.
    site_assets.write_assets(docs, REFERENCE_MACROS)
    config_file = root / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump(reference_config(docs, search, origin), allow_unicode=True), encoding="utf-8"
    )
    run_mkdocs(config_file, root / "site")
    return root / "site"


# -- serving -------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the base class logs every request to stderr
        pass


class SiteServer:
    """A built site on http://127.0.0.1:<free port>/, served from a thread."""

    def __init__(self, root: Path):
        self.root = root
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"

    def url(self, rel: str = "") -> str:
        """URL of a site-relative path such as '3. 미적분/3.4.3. 미분/'."""
        return f"{self.origin}/{quote(rel)}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


@dataclass
class Site:
    root: Path
    server: SiteServer

    def url(self, rel: str = "") -> str:
        return self.server.url(rel)

    def html(self, rel_dir: str) -> str:
        return (self.root / rel_dir / "index.html").read_text(encoding="utf-8")


def _serve(site_dir: Path, build):
    """Bind a port first, so the build can know its own URL; then build and serve."""
    server = SiteServer(site_dir)
    try:
        build(server.origin)
        yield Site(site_dir, server)
    finally:
        server.close()


@pytest.fixture(scope="session")
def reference_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("reference")
    yield from _serve(
        root / "site", lambda origin: build_reference(root, site_assets.SEARCH_CONFIG, origin)
    )


@pytest.fixture(scope="session")
def default_search_site(tmp_path_factory):
    """The reference vault with Material's search defaults: the control for search tests."""
    root = tmp_path_factory.mktemp("default-search")
    yield from _serve(root / "site", lambda origin: build_reference(root, None, origin))


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The repository's mkdocs.yml over vault/, as deployed at the local server's URL."""
    config = REPO / "mkdocs.yml"
    if not config.is_file():
        pytest.fail(f"{config} is missing: the demo site cannot be built")
    root = tmp_path_factory.mktemp("demo")

    def build(origin: str) -> None:
        # Inherit everything from the real config; only the site's own URL differs.
        child = root / "mkdocs.yml"
        child.write_text(
            yaml.safe_dump(
                {
                    "INHERIT": str(config),
                    "docs_dir": str((REPO / "vault").resolve()),
                    "site_url": origin + "/",
                },
                allow_unicode=True,
            ),
            encoding="utf-8",
        )
        run_mkdocs(child, root / "site")

    yield from _serve(root / "site", build)


# -- browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} not found; install Debian's chromium (see .ci/run)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        unavailable(f"python playwright is not installed ({exc}); pip install -e '.[test]'")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class Visit:
    """One browser page plus everything it asked the network for."""

    page: object
    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def wait_for_math(self, path: str | None = None) -> dict:
        """Wait until mathvault's MathJax hook has typeset the current page; return its state."""
        self.page.wait_for_function(
            """(path) => {
                const s = window.mathvault && window.mathvault.math;
                return s && s.typesets > 0 && !s.pending
                    && (path === null || s.path === path);
            }""",
            arg=path,
            timeout=MATH_TIMEOUT_MS,
        )
        return self.page.evaluate("() => JSON.parse(JSON.stringify(window.mathvault.math))")

    def math_report(self) -> dict:
        """Counts a reader would notice: formulas, rendered formulas, errors, raw TeX left."""
        return self.page.evaluate(
            """() => {
                const scope = document.querySelector("article") || document.body;
                const nodes = [...scope.querySelectorAll(".arithmatex")];
                return {
                    math: nodes.length,
                    rendered: nodes.filter(
                        n => n.querySelectorAll("mjx-container").length === 1).length,
                    containers: scope.querySelectorAll(".arithmatex mjx-container").length,
                    errors: nodes.map(n => n.querySelector("mjx-merror, [data-mjx-error]"))
                        .filter(e => e !== null)
                        .map(e => e.getAttribute("data-mjx-error") || e.textContent),
                    raw: nodes.filter(n => !n.querySelector("mjx-container"))
                        .map(n => n.textContent),
                    empty: nodes.filter(n => {
                        const c = n.querySelector("mjx-container");
                        return c && c.getBoundingClientRect().width === 0;
                    }).length,
                };
            }"""
        )

    def mathjax_fonts_loaded(self) -> list[str]:
        """Families of the MathJax web fonts the page actually loaded."""
        return self.page.evaluate(
            """async () => {
                await document.fonts.ready;
                return [...document.fonts]
                    .filter(f => f.family.replace(/"/g, "").startsWith("MJXTEX")
                              || f.family.replace(/"/g, "").startsWith("MJXZERO"))
                    .filter(f => f.status === "loaded")
                    .map(f => f.family);
            }"""
        )

    def search(self, query: str) -> list[str]:
        """Type `query` into Material's search box like a reader; return result page paths.

        Material reacts to keyup, and Hangul typed through an IME arrives as composition
        text, so the value is filled and a key is released, as a real keyboard would.
        """
        toggle = self.page.locator("label[for='__search']").first
        box = self.page.locator("input.md-search__input")
        if not box.is_visible():
            toggle.click()
        # The result line says "no results" / "1 result" / "# results" in the theme's
        # language once a query has been answered; Material's own strings decide.
        answered = r"""(query) => {
            const t = JSON.parse(document.getElementById("__config").textContent).translations;
            const esc = s => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            const many = esc(t["search.result.other"]).replace("#", "\\d+");
            const other = new RegExp("^" + many + "$");
            const box = document.querySelector("input.md-search__input");
            const text = document.querySelector(".md-search-result__meta").innerText.trim();
            if (query === "") return box.value === "" && text === t["search.result.placeholder"];
            return box.value === query && (text === t["search.result.none"]
                || text === t["search.result.one"] || other.test(text));
        }"""
        box.fill("")
        box.press("End")
        self.page.wait_for_function(answered, arg="", timeout=SEARCH_TIMEOUT_MS)
        box.fill(query)
        box.press("End")
        self.page.wait_for_function(answered, arg=query, timeout=SEARCH_TIMEOUT_MS)
        hrefs = self.page.locator(".md-search-result__item > a").evaluate_all(
            "els => els.map(e => e.href)"
        )
        return [site_path(h) for h in hrefs]

    def broken_images(self) -> list[str]:
        """Every <img> in the article scrolled into view and decoded; return those that failed."""
        return self.page.evaluate(
            """async () => {
                const scope = document.querySelector("article") || document.body;
                const bad = [];
                for (const img of scope.querySelectorAll("img")) {
                    img.loading = "eager";
                    img.scrollIntoView();
                    try { await img.decode(); } catch (e) { /* judged below */ }
                    if (!img.complete || img.naturalWidth === 0) {
                        bad.push(img.currentSrc || img.src);
                    }
                }
                window.scrollTo(0, 0);
                return bad;
            }"""
        )

    def local(self, suffix: str) -> list[str]:
        return [u for u in self.requests if u.startswith(self.origin) and u.endswith(suffix)]


def _open_visit(browser, origin: str, color_scheme: str = "light") -> tuple[object, Visit]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme=color_scheme, locale="ko-KR"
    )
    page = context.new_page()
    visit = Visit(page=page, origin=origin)
    local_host = urlsplit(origin).netloc

    def route(r):
        url = r.request.url
        visit.requests.append(url)
        parts = urlsplit(url)
        # data:/blob: URLs and the browser's own pages (its built-in PDF viewer for an
        # embedded PDF) never touch the network.
        internal = parts.scheme in ("data", "blob", "about", "chrome", "chrome-extension")
        if internal or parts.netloc == local_host:
            r.continue_()
        else:
            visit.foreign.append(url)
            r.abort()

    context.route("**/*", route)
    page.on(
        "response",
        lambda resp: resp.status >= 400 and visit.http_errors.append(f"{resp.status} {resp.url}"),
    )
    page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and visit.console_errors.append(msg.text))
    return context, visit


def _check_visit(visit: Visit) -> None:
    problems = []
    if visit.foreign:
        problems.append("requests left the local server:\n  " + "\n  ".join(visit.foreign))
    if visit.http_errors:
        problems.append("HTTP errors from the local server:\n  " + "\n  ".join(visit.http_errors))
    if visit.page_errors:
        problems.append("uncaught page errors:\n  " + "\n  ".join(visit.page_errors))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def visit_factory(browser):
    """visit_factory(site, color_scheme='light') -> Visit; checked when the test ends."""
    opened = []

    def make(site: Site, color_scheme: str = "light") -> Visit:
        context, visit = _open_visit(browser, site.server.origin, color_scheme)
        opened.append((context, visit))
        return visit

    yield make
    for context, _ in opened:
        context.close()
    for _, visit in opened:
        _check_visit(visit)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    target = ARTIFACTS / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    return target
