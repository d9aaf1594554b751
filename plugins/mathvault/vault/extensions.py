"""The Python-Markdown setup a converted note is written for: one list, shared by the MkDocs
plugin (which adds it to the site's config) and the tests (which render notes without a
build), so both render a note the same way.
"""

from __future__ import annotations

from typing import Any

import markdown

from .slugs import slugify

EXTENSIONS: dict[str, dict[str, Any]] = {
    "toc": {"slugify": slugify},
    "admonition": {},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "footnotes": {},
    "pymdownx.tilde": {"subscript": False},  # Obsidian has ~~strike~~ only; "1~3장" stays text
    "pymdownx.tasklist": {"custom_checkbox": True},
}
# Extensions only a vault that uses their syntax gets (see markup.optional_syntax): each one
# costs every page its set-up and a pass over the text. The user's own list always wins.
OPTIONAL = {
    "footnotes": "footnotes",
    "pymdownx.tasklist": "tasks",
    "pymdownx.tilde": "strike",
    "pymdownx.superfences": "fences",
}


def new_markdown() -> markdown.Markdown:
    """A Markdown instance with every extension a mathvault page may get."""
    return markdown.Markdown(
        extensions=list(EXTENSIONS),
        extension_configs={name: dict(options) for name, options in EXTENSIONS.items() if options},
    )
