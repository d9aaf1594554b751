"""The graph view: notes as nodes, links as edges, laid out at build time, drawn as HTML.

Two drawings, both plain HTML and CSS (no script, no CDN):

- the **local graph** under a note: the note in the middle, the notes it links to and
  the notes linking to it on a ring around it, optionally their neighbours on an outer
  ring (`depth=2`). A radial layout needs no simulation, so it costs microseconds per
  page, and each page carries only its own neighbourhood (`limit` caps the rings).
- the **global graph** page: every note, placed by a force-directed layout
  (`force_layout`, Fruchterman-Reingold vectorised with numpy). networkx's
  `spring_layout` gives the same picture but took 96 s for 5,000 notes here (its sparse
  path loops in Python); this one takes seconds and its result is cached by the plugin.

Nodes are HTML links positioned in percent over an SVG of the edges: Material's instant
navigation and hover previews only follow HTML `<a>` elements (an SVG `<a>` would be a
full page load), and colours come from Material's palette variables in mathvault.css,
so the light/dark toggle recolours the graph.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .index import VaultIndex
from .render import natural_key

SAMPLE = 1500  # force_layout: above this many notes, repulsion from a random sample
LABELLED = 150  # a global graph of at most this many notes shows every title


@dataclass
class Graph:
    """Notes and the links between them (undirected, no self-links)."""

    nodes: list[str]  # vault paths, natural order
    neighbours: dict[str, set[str]]  # path -> linked notes, either direction

    @property
    def edges(self) -> list[tuple[str, str]]:
        return sorted(
            {(a, b) if a < b else (b, a) for a, near in self.neighbours.items() for b in near}
        )

    def fingerprint(self) -> str:
        """A hash of the nodes and edges: the cache key of a layout."""
        digest = hashlib.sha256()
        for path in self.nodes:
            digest.update(path.encode() + b"\0")
        for a, b in self.edges:
            digest.update(f"{a}\1{b}\0".encode())
        return digest.hexdigest()[:32]


def note_graph(index: VaultIndex) -> Graph:
    """The graph of the vault's notes, from the index's backlinks (links between notes)."""
    nodes = sorted(index.note_paths, key=natural_key)
    neighbours: dict[str, set[str]] = {path: set() for path in nodes}
    for target, mentions in index.backlinks.items():
        if target not in neighbours:
            continue  # an attachment, not a note
        for m in mentions:
            if m.source in neighbours and m.source != target:
                neighbours[target].add(m.source)
                neighbours[m.source].add(target)
    return Graph(nodes, neighbours)


@dataclass
class Placed:
    path: str
    x: float  # 0..100, percent of the drawing's width
    y: float  # 0..100, percent of its height
    ring: int  # 0 the current note, 1 its neighbours, 2 theirs; 1 everywhere on the global graph
    degree: int  # links of the note in the whole vault


def local_layout(
    graph: Graph, here: str, depth: int = 1, limit: int = 40
) -> tuple[list[Placed], list[tuple[str, str]]]:
    """The note `here`, its neighbours (at most `limit`, best connected first) and, with
    `depth=2`, up to `limit` of theirs, on rings; plus the edges among those shown."""
    near = graph.neighbours.get(here, set())

    def best(paths: Iterable[str], n: int) -> list[str]:
        ranked = sorted(paths, key=lambda p: (-len(graph.neighbours[p]), natural_key(p)))
        return sorted(ranked[:n], key=natural_key)

    ring1 = best(near, limit)
    placed = [Placed(here, 50.0, 50.0, 0, len(near))]
    angle: dict[str, float] = {}
    radius1 = 30.0 if depth == 1 else 22.0
    for i, path in enumerate(ring1):
        a = 2 * math.pi * i / max(len(ring1), 1) - math.pi / 2
        angle[path] = a
        placed.append(_at(path, a, radius1, 1, len(graph.neighbours[path])))
    if depth >= 2:
        shown = {here, *ring1}
        parent: dict[str, str] = {}
        for path in ring1:
            for other in sorted(graph.neighbours[path], key=natural_key):
                if other not in shown:
                    parent.setdefault(other, path)
        ring2 = best(parent, limit)
        # Each outer note sits beside the inner note it was reached from.
        by_parent: dict[str, list[str]] = {}
        for path in ring2:
            by_parent.setdefault(parent[path], []).append(path)
        slot = 2 * math.pi / max(len(ring1), 1)
        for inner, outer in by_parent.items():
            for j, path in enumerate(outer):
                a = angle[inner] + slot * 0.8 * ((j + 0.5) / len(outer) - 0.5)
                radius = 42.0 if j % 2 == 0 else 37.0  # alternate, so labels overlap less
                placed.append(_at(path, a, radius, 2, len(graph.neighbours[path])))
    shown_paths = {p.path for p in placed}
    edges = [(a, b) for a in shown_paths for b in graph.neighbours[a] if a < b and b in shown_paths]
    return placed, sorted(edges)


def _at(path: str, angle: float, radius: float, ring: int, degree: int) -> Placed:
    return Placed(path, 50 + radius * math.cos(angle), 50 + radius * math.sin(angle), ring, degree)


def force_layout(
    graph: Graph, iterations: int = 60, seed: int = 1
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold positions in 0..100 for every note of `graph`.

    Repulsion between all pairs is computed in row blocks (memory stays ~20 MB at 5,000
    notes), attraction along edges with `np.add.at`; a weak pull to the centre keeps
    notes without links from drifting to the border. Deterministic for a given seed.
    """
    import numpy as np  # the core's only numpy use; imported where the layout is computed

    n = len(graph.nodes)
    if n == 0:
        return {}
    if n == 1:
        return {graph.nodes[0]: (50.0, 50.0)}
    number = {path: i for i, path in enumerate(graph.nodes)}
    pairs = np.array([(number[a], number[b]) for a, b in graph.edges], dtype=np.int64)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    k = np.float32(1.0 / math.sqrt(n))
    temperature = 0.1
    cool = temperature / (iterations + 1)
    block = max(1, 1_000_000 // min(n, SAMPLE))
    for _ in range(iterations):
        disp = np.zeros((n, 2), dtype=np.float32)
        xs, ys = pos[:, 0], pos[:, 1]
        # Past SAMPLE notes, each note is pushed by a fresh random SAMPLE of the others,
        # scaled up: the same expected force for a fraction of the pairs.
        if n > SAMPLE:
            pick = rng.choice(n, SAMPLE, replace=False)
            ox, oy, weight = xs[pick], ys[pick], np.float32(k * k * n / SAMPLE)
        else:
            ox, oy, weight = xs, ys, k * k
        for start in range(0, n, block):  # x and y apart: contiguous sums, 16x faster
            dx = xs[start : start + block, None] - ox[None, :]
            dy = ys[start : start + block, None] - oy[None, :]
            force = dx * dx + dy * dy
            np.maximum(force, np.float32(1e-6), out=force)
            np.divide(weight, force, out=force)
            disp[start : start + block, 0] += (dx * force).sum(axis=1)
            disp[start : start + block, 1] += (dy * force).sum(axis=1)
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dist = np.sqrt((delta * delta).sum(axis=1))[:, None]
            pull = delta * dist / k
            np.add.at(disp, pairs[:, 0], -pull)
            np.add.at(disp, pairs[:, 1], pull)
        disp -= (pos - 0.5) * np.float32(n * k * 0.1)  # gravity
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), np.float32(1e-9))[:, None]
        pos += disp / length * np.minimum(length, np.float32(temperature))
        temperature -= cool
    low, high = pos.min(axis=0), pos.max(axis=0)
    span = np.maximum(high - low, np.float32(1e-9))
    scaled = 4 + 92 * (pos - low) / span
    return {
        path: (round(float(x), 2), round(float(y), 2)) for path, (x, y) in zip(graph.nodes, scaled)
    }


def global_layout(
    graph: Graph, positions: dict[str, tuple[float, float]]
) -> tuple[list[Placed], list[tuple[str, str]]]:
    placed = [
        Placed(path, *positions[path], 1, len(graph.neighbours[path])) for path in graph.nodes
    ]
    return placed, graph.edges


def graph_html(
    placed: list[Placed],
    edges: list[tuple[str, str]],
    title: Callable[[str], str],
    url: Callable[[str], str],
    *,
    kind: str,
    caption: str = "",
) -> str:
    """The drawing: an SVG of the edges under HTML links, one per note.

    `kind` is "local" (labels shown) or "global" (labels on hover); `url(path)` is the
    link from the page the drawing is on, `title(path)` the note's title.
    """
    where = {p.path: p for p in placed}
    # Integer coordinates in a 0..1000 box keep the path short: ~16 bytes an edge.
    lines = "".join(
        f"M{where[a].x * 10:.0f} {where[a].y * 10:.0f}L{where[b].x * 10:.0f} {where[b].y * 10:.0f}"
        for a, b in edges
    )
    nodes = []
    for p in placed:
        size = min(4, 1 + int(math.log2(1 + p.degree)))  # 1..4: degree classes
        name = html.escape(title(p.path))
        cls = f"mathvault-graph-node mathvault-graph-size{size}"
        if p.ring == 0:
            cls += " mathvault-graph-here"
        elif p.ring == 2:
            cls += " mathvault-graph-far"
        nodes.append(
            f'<a class="{cls}" href="{html.escape(url(p.path), quote=True)}" '
            f'style="left:{p.x:.2f}%;top:{p.y:.2f}%"><span>{name}</span></a>'
        )
    head = f'<p class="mathvault-graph-title">{caption}</p>\n' if caption else ""
    labelled = " mathvault-graph-labelled" if len(placed) <= LABELLED else ""
    return (
        f'<div class="mathvault-graph mathvault-graph-{kind}{labelled}" '
        f'data-nodes="{len(placed)}">\n'
        f"{head}"
        f'<div class="mathvault-graph-canvas">'
        f'<svg viewBox="0 0 1000 1000" preserveAspectRatio="none" aria-hidden="true">'
        f'<path d="{lines}"/></svg>' + "".join(nodes) + "</div>\n</div>\n"
    )
