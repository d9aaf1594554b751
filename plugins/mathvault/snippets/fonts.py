"""Pick a CJK font so Korean labels in figures render as glyphs, not boxes.

Matplotlib (3.6+) falls back glyph by glyph along ``font.sans-serif``, so the
Latin default stays first and the CJK font fills in Hangul. Imported by the
worker only; it needs matplotlib.
"""

from __future__ import annotations

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


def find_cjk_font() -> str | None:
    """Name of the first installed preferred CJK font, or None if there is none."""
    from matplotlib import font_manager

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
