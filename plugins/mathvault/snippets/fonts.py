"""Pick a CJK font so Korean labels in figures render as glyphs, not boxes.

Matplotlib (3.6+) falls back glyph by glyph along ``font.family``, so the Latin
default stays first and the CJK font fills in Hangul. The CJK font is NanumGothic
(SIL Open Font License 1.1) from the ``koreanize-matplotlib`` package, a
dependency of mathvault: every machine draws the same figure without a system
CJK font. Only its font files are used; its module is never imported (it sets
global rcParams and imports ``distutils``, gone in Python 3.12). A system CJK
font is the fallback when that package is missing. Imported by the worker only;
it needs matplotlib.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

BUNDLED_PACKAGE = "koreanize_matplotlib"
BUNDLED_FONT = "NanumGothic"

PREFERRED_CJK = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Source Han Sans K",
    "Source Han Sans KR",
    "NanumGothic",
    "NanumBarunGothic",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "AppleGothic",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans CJK TC",
    "Noto Serif CJK KR",
    "UnDotum",
)


def bundled_font_files() -> list[Path]:
    """The NanumGothic .ttf files shipped by the font package (empty if not installed)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return sorted(folder.glob("NanumGothic*.ttf"))


def find_cjk_font() -> str | None:
    """The bundled CJK font (registered with matplotlib), else the first installed one."""
    from matplotlib import font_manager

    files = bundled_font_files()
    for path in files:
        font_manager.fontManager.addfont(str(path))
    if files:
        return BUNDLED_FONT
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in PREFERRED_CJK if name in installed), None)


def configure_matplotlib() -> str | None:
    """Use Agg, put the CJK font in the fallback chain, set a sharp default dpi.

    Returns the CJK font name in use (None: Hangul will render as boxes and
    matplotlib will warn about missing glyphs).
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    matplotlib.rcdefaults()
    font = find_cjk_font()
    if font:
        # a generic family ("sans-serif") resolves to one font; a list of real
        # family names is what enables per-glyph fallback
        matplotlib.rcParams["font.family"] = ["DejaVu Sans", font]
    matplotlib.rcParams["savefig.dpi"] = 200  # the default 6.4 in wide figure -> 1280 px
    matplotlib.rcParams["axes.unicode_minus"] = False  # some CJK fonts lack U+2212
    return font
