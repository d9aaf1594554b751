"""Static files a published vault needs in the browser: MathJax, its config, our CSS.

Nothing here imports MkDocs. The plugin copies `asset_files()` into the site, writes
`mathjax_config_js(macros)` to `CONFIG_JS`, and appends `EXTRA_JAVASCRIPT` / `EXTRA_CSS`
to the MkDocs config (`write_assets()` does the copying and writing in one call).

MathJax 3 comes from the PyPI package `django-static-mathjax` (pure data, no Django
import, no dependencies): a pip install brings a complete MathJax 3.2.2 and the site
never talks to a CDN. Only the parts a reader can reach are copied (~3.5 MB): the
`tex-chtml.js` component, its woff fonts, the TeX extensions that `autoload` fetches on
first use (boldsymbol, cancel, mhchem, ...), and the menu / accessibility parts with the
English speech rules.

CHTML rather than SVG output: it is what Obsidian shows, its text can be selected and
zoomed like text, and its fonts (~400 KB woff2, cached once) weigh less than the extra
1 MB that `tex-svg.js` costs on every first visit.
"""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"

SITE_PREFIX = "assets/mathvault"
MATHJAX_PREFIX = f"{SITE_PREFIX}/mathjax"
CONFIG_JS = f"{SITE_PREFIX}/mathjax-config.js"
MATHJAX_JS = f"{MATHJAX_PREFIX}/tex-chtml.js"

# Material's offline plugin makes search work from file:// with squidfunk's iframe-worker
# shim (npm `iframe-worker` 1.0.4, MIT, 1.4 KB, vendored in assets/iframe-worker/ with its
# licence), which it loads from unpkg.com: a site opened from disk has no network.
IFRAME_WORKER_JS = f"{SITE_PREFIX}/iframe-worker/shim.js"

# Load order matters: the config must define window.MathJax before MathJax starts.
EXTRA_JAVASCRIPT: list[str] = [CONFIG_JS, MATHJAX_JS]
EXTRA_CSS: list[str] = [f"{SITE_PREFIX}/mathvault.css"]

# What MathJax's es5/ folder contributes, as glob patterns relative to es5/.
_MATHJAX_PARTS = (
    "tex-chtml.js",
    "output/chtml/fonts/woff-v2/*.woff",
    "input/tex/extensions/*.js",
    "a11y/*.js",
    "ui/*.js",
    "sre/mathmaps/base.json",
    "sre/mathmaps/en.json",
    "sre/mathmaps/nemeth.json",
)

# Settings for Material's search plugin (docs/reading.md, "Search"). Material appends a
# trailing wildcard to every query term, so "미분" already finds "미분은", "미분법": what
# breaks Korean search is how the text is cut into tokens. The separator also cuts
#  - at brackets, quotes, CJK punctuation and TeX syntax: "(편미분)", "“미분”", "\\sigma"
#    are indexed as "편미분", "미분", "sigma";
#  - where Hangul meets Latin letters or digits: "increment변화량" -> "increment", "변화량",
#    "sigmoid의" -> "sigmoid", "의", "2차원" -> "2", "차원";
#  - camelCase and "." not followed by a digit (Material's own recommendation).
# "en" + "ko" makes lunr keep Hangul when trimming tokens (the English trimmer alone strips
# every non-\w character, so "(미분)" would never be found) and drops Korean stop words.
# The stemmer stays off: a stemmed index cannot be prefix-matched ("derivative" -> "deriv").
SEARCH_SEPARATOR = (
    r"""[\s\-,:;!?=\[\](){}<>"'`“”‘’/\\|^_$~·…、。「」『』【】]+"""
    r"|(?<=[A-Za-z0-9])(?=[가-힣])|(?<=[가-힣])(?=[A-Za-z0-9])"
    r"|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&[lg]t;|&amp;"
)
SEARCH_CONFIG: dict[str, object] = {
    "lang": ["en", "ko"],
    "separator": SEARCH_SEPARATOR,
    "pipeline": ["stopWordFilter"],
}

_MACRO_NAME = re.compile(r"^[A-Za-z]+$")
_MACROS_SLOT = re.compile(r"/\*mathvault:macros\*/.*?/\*mathvault:end\*/", re.DOTALL)


class MathJaxNotInstalled(RuntimeError):
    """The MathJax data package is missing or not the expected MathJax 3."""


def mathjax_root() -> Path:
    """The es5/ folder of the installed MathJax 3 (package `django-static-mathjax`)."""
    try:
        base = Path(str(resources.files("mathjax"))) / "static" / "mathjax"
    except ModuleNotFoundError as exc:
        raise MathJaxNotInstalled(
            "MathJax is not installed: pip install 'django-static-mathjax>=3.2.2,<3.3'"
        ) from exc
    package_json = base / "package.json"
    es5 = base / "es5"
    if not package_json.is_file() or not (es5 / "tex-chtml.js").is_file():
        raise MathJaxNotInstalled(
            f"{base}: no MathJax 3 es5/tex-chtml.js here; the Python package named "
            "'mathjax' is not django-static-mathjax. Reinstall 'django-static-mathjax'."
        )
    version = json.loads(package_json.read_text(encoding="utf-8")).get("version", "")
    if not version.startswith("3."):
        raise MathJaxNotInstalled(f"{base}: MathJax {version!r} found, mathvault needs 3.x")
    return es5


def asset_files() -> dict[str, Path]:
    """Site-relative destination -> source file, for every static file the site needs."""
    files: dict[str, Path] = {}
    es5 = mathjax_root()
    for pattern in _MATHJAX_PARTS:
        matches = sorted(es5.glob(pattern))
        if not matches:
            raise MathJaxNotInstalled(f"{es5}: nothing matches {pattern!r}; incomplete MathJax")
        for source in matches:
            files[f"{MATHJAX_PREFIX}/{source.relative_to(es5).as_posix()}"] = source
    files[f"{MATHJAX_PREFIX}/LICENSE"] = es5.parent / "LICENSE"
    for source in sorted(ASSETS_DIR.rglob("*")):
        if source.is_file():
            files[f"{SITE_PREFIX}/{source.relative_to(ASSETS_DIR).as_posix()}"] = source
    return files


def local_polyfills(polyfills: list | None) -> list:
    """Material's `extra.polyfills` with the CDN copy of iframe-worker replaced by ours."""
    return [
        IFRAME_WORKER_JS
        if isinstance(url, str) and "://" in url and "iframe-worker" in url
        else url
        for url in polyfills or []
    ]


def macros_problem(macros: dict) -> str | None:
    """What is wrong with `mathjax_macros` (checked when MkDocs loads the config), or None."""
    for name, body in macros.items():
        name = str(name).lstrip("\\")
        if not _MACRO_NAME.match(name):
            return (
                f"mathjax_macros: {name!r} is not a TeX control word; use letters only, "
                "e.g. 'R' for \\R"
            )
        if not isinstance(body, str):
            return f"mathjax_macros: \\{name}: definition must be a string"
    return None


def mathjax_config_js(macros: dict[str, str] | None = None) -> str:
    """The MathJax config script with the user's macros (name without backslash -> TeX).

    A definition may use #1..#9 for arguments; their count is read from the body, so
    `{"norm": r"\\left\\lVert #1 \\right\\rVert"}` defines a one-argument `\\norm`.
    """
    problem = macros_problem(macros or {})
    if problem:
        raise ValueError(problem)
    table: dict[str, object] = {}
    for name, body in (macros or {}).items():
        name = name.lstrip("\\")
        args = max((int(n) for n in re.findall(r"#([1-9])", body)), default=0)
        table[name] = [body, args] if args else body
    template = (ASSETS_DIR / "mathjax-config.js").read_text(encoding="utf-8")
    # json.dumps output is a valid JS object literal; escape "</" for safety in HTML.
    literal = json.dumps(table, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    if not _MACROS_SLOT.search(template):
        raise RuntimeError(f"{ASSETS_DIR / 'mathjax-config.js'}: macros slot is missing")
    return _MACROS_SLOT.sub(lambda _m: f"/*mathvault:macros*/{literal}/*mathvault:end*/", template)


def write_assets(site_dir: Path, macros: dict[str, str] | None = None) -> list[Path]:
    """Copy every asset into `site_dir` and write the config with `macros`; return paths."""
    written = []
    for dest, source in asset_files().items():
        target = Path(site_dir) / dest
        written.append(target)
        try:  # a `mkdocs serve` rebuild: MathJax is already there (70 files)
            have, want = target.stat(), Path(source).stat()
            if have.st_size == want.st_size and have.st_mtime_ns >= want.st_mtime_ns:
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    config = Path(site_dir) / CONFIG_JS
    config.write_text(mathjax_config_js(macros), encoding="utf-8")
    return written
