"""The graph view of one build: the local graph under a note, the global graph page.

Takes values, returns HTML (the drawing itself is `vault.graph`). The global layout is
cached under the plugin's cache folder by the graph's fingerprint (its notes and links),
so a rebuild that changed no link costs nothing; a cache that cannot be read is computed
again, one that cannot be written is reported by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..vault.graph import Graph, force_layout, global_layout, graph_html, local_layout

GRAPH_PAGE = "graph.md"
GRAPH_MARK = "<!-- mathvault: global graph -->"


def graph_page_markdown() -> str:
    """The generated "Graph" page; its drawing is put in after search indexed the page."""
    return f"# Graph\n\n{GRAPH_MARK}\n"


def local_graph(
    graph: Graph,
    path: str,
    title: Callable[[str], str],
    url: Callable[[str], str],
    depth: int,
    global_url: str | None,
) -> str:
    """The local graph under note `path`; `url(target)` is relative to that note."""
    placed, edges = local_layout(graph, path, depth=depth)
    caption = "Graph"
    if global_url is not None:
        caption += f' · <a href="{global_url}">whole vault</a>'
    return graph_html(placed, edges, title, url, kind="local", caption=caption)


def global_graph(
    graph: Graph,
    positions: dict[str, tuple[float, float]],
    title: Callable[[str], str],
    url: Callable[[str], str],
) -> str:
    placed, edges = global_layout(graph, positions)
    caption = f"{len(placed)} notes, {len(edges)} links"
    return graph_html(placed, edges, title, url, kind="global", caption=caption)


def cached_layout(graph: Graph, cache_dir: Path) -> tuple[dict[str, tuple[float, float]], str]:
    """The global layout, from the cache when the graph is unchanged; and a problem, if the
    cache could not be written ("" otherwise)."""
    file = cache_dir / f"layout-{graph.fingerprint()}.json"
    try:
        stored = json.loads(file.read_text(encoding="utf-8"))
        if set(stored) == set(graph.nodes):
            return {p: (x, y) for p, (x, y) in stored.items()}, ""
    except (OSError, ValueError, TypeError):
        pass  # no cache yet, or a damaged one: compute it again
    positions = force_layout(graph)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob("layout-*.json"):
            old.unlink()
        file.write_text(json.dumps(positions, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        return positions, f"graph layout not cached ({exc}); the next build computes it again"
    return positions, ""
