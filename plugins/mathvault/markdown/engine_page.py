"""Which page is being converted, when the engine says so only through its internals.

Python-Markdown has no notion of a page. Zensical (0.0.x and 0.1.x) builds one `Markdown`
per page and registers its own `zensical.extensions.context` extension first, whose
preprocessor `rendering_context` carries the page (`.page.path`, the source path relative
to `docs_dir`; `.page.url`; `.page.meta`) and the whole config (`.config["docs_dir"]`,
`.config["use_directory_urls"]`). That is internal API (Zensical's public module API is
announced, not out): this function is the one place that reads it, by duck typing and
without importing Zensical, and `tests/test_markdown_door.py` pins the shape it expects.
When Zensical publishes its API, only this function changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class EnginePage:
    path: str  # the page's source path, relative to the docs folder, "/"-separated
    docs_dir: str | None  # the engine's docs folder, when it says
    directory_urls: bool  # `a/b.md` is served at `a/b/` (else `a/b.html`)
    meta: dict | None  # the page's metadata dict the engine will use, when it shares it


def engine_page(md: Any) -> EnginePage | None:
    """The page `md` is converting, as Zensical's rendering context tells it; None when
    no engine said (plain Python-Markdown: the extension's `page` option is used)."""
    try:
        context = md.preprocessors["rendering_context"]
    except (KeyError, AttributeError, TypeError):
        return None
    page = getattr(context, "page", None)
    path = getattr(page, "path", None)
    if not isinstance(path, str) or not path:
        return None
    config = getattr(context, "config", None)
    config = config if isinstance(config, dict) else {}
    docs_dir = config.get("docs_dir")
    meta = getattr(page, "meta", None)
    return EnginePage(
        path=path.replace("\\", "/").lstrip("/"),
        docs_dir=str(docs_dir) if docs_dir else None,
        directory_urls=bool(config.get("use_directory_urls", True)),
        meta=meta if isinstance(meta, dict) else None,
    )
