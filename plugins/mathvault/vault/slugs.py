"""Heading ids that keep Korean (and every other script).

MkDocs' default `toc` slugify drops non-ASCII, so `#### 3.4.3. 미분` gets the id `343`.
We use pymdownx's Unicode slugify and strip our own math placeholders first, so the
ids the page gets and the anchors our links point to are computed by the same function.
"""

from __future__ import annotations

import re

from pymdownx.slugs import slugify as _pymdownx_slugify

from ..syntax import placeholders
from ..syntax.markup import strip_links

_unicode_slug = _pymdownx_slugify(case="lower")
_PLACEHOLDER = placeholders.MATH


def slugify(text: str, sep: str = "-") -> str:
    """The toc extension's slugify: Unicode-preserving, lower-case, math removed, a
    link's label kept without its placeholder marks."""
    return _unicode_slug(" ".join(_PLACEHOLDER.sub(" ", strip_links(text)).split()), sep)


def unique_slugs(texts: list[str]) -> list[str]:
    """Slugs for a page's headings in order, de-duplicated like Python-Markdown's toc."""
    seen: set[str] = set()
    out = []
    for text in texts:
        slug = slugify(text)
        while slug in seen or not slug:  # the same rule as markdown.extensions.toc.unique
            m = re.match(r"^(.*)_([0-9]+)$", slug)
            slug = f"{m.group(1)}_{int(m.group(2)) + 1}" if m else f"{slug}_1"
        seen.add(slug)
        out.append(slug)
    return out
