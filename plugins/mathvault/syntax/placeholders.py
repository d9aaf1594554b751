"""The private-use characters that stand in converted text for what Markdown must not touch.

The converter replaces each formula with `MATH_OPEN N MATH_CLOSE` and each resolved
link with `LINK_OPEN N LINK_LABEL label LINK_CLOSE`; Python-Markdown passes them
through untouched, and `convert.restore_math` / `convert.restore_links` put the LaTeX
and the `<a>` back into the HTML. `vault.source` replaces these characters in every note
(a note can never forge a placeholder). Every module that writes or reads one uses the
names below, never the literal characters.
"""

from __future__ import annotations

import re

MATH_OPEN = "\ue000"
MATH_CLOSE = "\ue001"
LINK_OPEN = "\ue002"
LINK_LABEL = "\ue003"
LINK_CLOSE = "\ue004"

ANY = re.compile("[\ue000-\ue004]")  # every placeholder character, for cleaning a note
MATH = re.compile(MATH_OPEN + r"(\d+)" + MATH_CLOSE)  # formula N
LINK_NUMBER = re.compile(LINK_OPEN + r"(\d+)" + LINK_LABEL)  # the head of link N
LINK_MARK = re.compile(LINK_OPEN + r"(\d+)" + LINK_LABEL + "|" + LINK_CLOSE)  # a link's marks


def math(n: int) -> str:
    """The placeholder of formula `n`."""
    return f"{MATH_OPEN}{n}{MATH_CLOSE}"


def link(n: int, label: str) -> str:
    """Link `n` around its (already converted) label."""
    return f"{LINK_OPEN}{n}{LINK_LABEL}{label}{LINK_CLOSE}"
