"""The graph view's core (vault/graph.py) and the Korean sub-words of the search index."""

from __future__ import annotations

from mathvault.mkdocs.search_glue import FIELD, add_subwords, subwords
from mathvault.vault.graph import Graph, force_layout, graph_html, local_layout


def _graph(edges: list[tuple[str, str]], nodes: list[str] | None = None) -> Graph:
    names = nodes or sorted({n for e in edges for n in e})
    neighbours: dict[str, set[str]] = {n: set() for n in names}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    return Graph(names, neighbours)


def test_local_graph_holds_the_note_its_neighbours_and_only_them():
    g = _graph([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "e")])
    placed, edges = local_layout(g, "a")
    assert [p.path for p in placed if p.ring == 0] == ["a"]
    assert {p.path for p in placed} == {"a", "b", "c"}
    assert edges == [("a", "b"), ("a", "c"), ("b", "c")]
    placed, _ = local_layout(g, "a", depth=2)
    assert {p.path: p.ring for p in placed} == {"a": 0, "b": 1, "c": 1, "d": 2}
    assert all(0 <= p.x <= 100 and 0 <= p.y <= 100 for p in placed)


def test_local_graph_is_capped():
    g = _graph([("hub", f"n{i:03d}") for i in range(200)])
    placed, edges = local_layout(g, "hub", limit=40)
    assert len(placed) == 41 and len(edges) == 40


def test_force_layout_is_deterministic_and_inside_the_box():
    g = _graph([(f"n{i}", f"n{(i * 7) % 50}") for i in range(50) if i != (i * 7) % 50])
    first, second = force_layout(g), force_layout(g)
    assert first == second
    assert all(4 <= x <= 96 and 4 <= y <= 96 for x, y in first.values())


def test_graph_html_is_links_over_an_svg():
    g = _graph([("a", "b")])
    placed, edges = local_layout(g, "a")
    out = graph_html(placed, edges, str.upper, lambda p: f"../{p}/", kind="local")
    assert out.count("<a class=") == 2 and 'href="../b/"' in out and '<path d="M' in out
    assert "mathvault-graph-here" in out and ">A<" in out


def test_subwords_are_the_suffixes_of_hangul_words():
    assert subwords("편미분과 전미분") == "미분과 분과 미분"
    assert subwords("미분 sigmoid <b>미분계수</b>") == "분계수 계수"
    assert subwords("gradient descent") == ""


def test_add_subwords_declares_a_low_boost_field():
    index = {
        "config": {"fields": {"title": {"boost": 1000}, "text": {"boost": 1}}},
        "docs": [
            {"location": "a/", "title": "편미분", "text": ""},
            {"location": "b/", "title": "x", "text": "sigmoid"},
        ],
    }
    out = add_subwords(index)
    assert out["config"]["fields"][FIELD]["boost"] < 1
    assert out["docs"][0][FIELD] == "미분" and FIELD not in out["docs"][1]
