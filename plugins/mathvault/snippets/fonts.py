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
    matplotlib.rcParams.update(BOTH_SCHEMES)
    _neutral_ink_on_save()
    return font


def _neutral_ink_on_save() -> None:
    """Every savefig first turns pure black ink (`"k"`, the usual "plain" colour, which
    vanishes on a dark page) into NEUTRAL; other colours are the author's and stay."""
    from matplotlib.figure import Figure

    if getattr(Figure.savefig, "mathvault_neutral", False):
        return
    original = Figure.savefig

    def savefig(self, *args, **kwargs):
        neutral_ink(self)
        return original(self, *args, **kwargs)

    savefig.mathvault_neutral = True  # type: ignore[attr-defined]
    Figure.savefig = savefig  # type: ignore[method-assign]


def neutral_ink(fig) -> None:
    """Black lines, markers, text and patch edges of `fig` drawn in NEUTRAL instead."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    def black(colour) -> bool:
        try:
            return to_rgba(colour)[:3] == (0.0, 0.0, 0.0)
        except (ValueError, TypeError):
            return False

    for artist in fig.findobj():
        if isinstance(artist, Line2D):
            if black(artist.get_color()):
                artist.set_color(NEUTRAL)
            if black(artist.get_markerfacecolor()):
                artist.set_markerfacecolor(NEUTRAL)
            if black(artist.get_markeredgecolor()):
                artist.set_markeredgecolor(NEUTRAL)
        elif isinstance(artist, Text) and black(artist.get_color()):
            artist.set_color(NEUTRAL)
        elif isinstance(artist, Patch) and black(artist.get_edgecolor()):
            artist.set_edgecolor(NEUTRAL)


# A figure sits on Material's white page or on its dark (slate) one: a transparent
# background and a mid grey for text, axes, ticks and grid read on both (contrast about
# 4:1 on each), and matplotlib's default line colours are mid-tones that do too. Pure
# black ink is drawn in the same grey when saved (neutral_ink); a snippet's other colours
# (`facecolor="white"` included) are its own.
NEUTRAL = "#808080"
BOTH_SCHEMES = {
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "legend.facecolor": "none",
    "legend.edgecolor": NEUTRAL,
    "legend.labelcolor": NEUTRAL,
    "text.color": NEUTRAL,
    "axes.labelcolor": NEUTRAL,
    "axes.edgecolor": NEUTRAL,
    "axes.titlecolor": NEUTRAL,
    "xtick.color": NEUTRAL,
    "ytick.color": NEUTRAL,
    "xtick.labelcolor": NEUTRAL,
    "ytick.labelcolor": NEUTRAL,
    "grid.color": NEUTRAL,
    "grid.alpha": 0.35,
}
