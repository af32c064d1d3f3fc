"""Explain: the paths that connect two nodes, whatever the direction of each edge, shortest first.

ISSUED_BY and LOCATED_IN are left out by default: every document of a province meets every other
at its place node, which connects everything and explains nothing.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from graph.model import EDGE_TYPES, ISSUED_BY, LOCATED_IN, Edge
from graph.store import GraphStore
from queries import views
from queries.resolve import resolve

DEFAULT_TYPES = tuple(t for t in EDGE_TYPES if t not in (ISSUED_BY, LOCATED_IN))
STEP_BUDGET = 200_000


class _Neighbours:
    """Undirected adjacency read through the store, cached for one query."""

    def __init__(self, store: GraphStore, types: list[str]):
        self.store, self.types, self.cache = store, types, {}

    def __call__(self, key: str) -> list[tuple[str, Edge]]:
        if key not in self.cache:
            out = [(e.dst, e) for e in self.store.edges_out(key, self.types)]
            out += [(e.src, e) for e in self.store.edges_in(key, self.types)]
            self.cache[key] = out
        return self.cache[key]


def _distances(neighbours: _Neighbours, target: str, max_depth: int) -> dict[str, int]:
    dist = {target: 0}
    queue = deque([target])
    while queue:
        key = queue.popleft()
        if dist[key] >= max_depth:
            continue
        for other, _ in neighbours(key):
            if other not in dist:
                dist[other] = dist[key] + 1
                queue.append(other)
    return dist


def _paths_of_length(neighbours: _Neighbours, dist: dict[str, int], start: str, target: str,
                     length: int, limit: int) -> list[list[Edge]]:
    """Simple paths of exactly `length` edges, pruned by the distance to `target`."""
    found: list[list[Edge]] = []
    budget = STEP_BUDGET
    stack: list[tuple[str, list[Edge], frozenset[str]]] = [(start, [], frozenset([start]))]
    while stack and len(found) < limit and budget > 0:
        key, edges, seen = stack.pop()
        budget -= 1
        if key == target:
            if len(edges) == length:
                found.append(edges)
            continue
        left = length - len(edges) - 1
        for other, edge in reversed(neighbours(key)):
            if other not in seen and dist.get(other, length + 1) <= left:
                stack.append((other, [*edges, edge], seen | {other}))
    return found


def explain(store: GraphStore, a: str, b: str, max_depth: int = 6, limit: int = 10,
            types: list[str] | None = None) -> dict[str, Any]:
    """Up to `limit` simple paths between `a` and `b`, shortest first, each step with its evidence
    and direction."""
    start, target = resolve(store, a), resolve(store, b)
    neighbours = _Neighbours(store, list(types or DEFAULT_TYPES))
    dist = _distances(neighbours, target, max_depth)
    paths: list[list[Edge]] = []
    if start in dist and start != target:
        for length in range(dist[start], max_depth + 1):
            paths += _paths_of_length(neighbours, dist, start, target, length, limit - len(paths))
            if len(paths) >= limit:
                break
    return {
        "source": views.node_view(store.node(start)),
        "target": views.node_view(store.node(target)),
        "edge_types": list(types or DEFAULT_TYPES),
        "paths": [_path_view(store, start, p) for p in paths],
    }


def _path_view(store: GraphStore, start: str, edges: list[Edge]) -> dict[str, Any]:
    keys, steps = [start], []
    for edge in edges:
        forward = edge.src == keys[-1]
        keys.append(edge.dst if forward else edge.src)
        steps.append({**views.edge_view(edge), "direction": "forward" if forward else "backward"})
    nodes = [store.node(k) for k in keys]
    return {"length": len(edges), "nodes": [views.node_ref(n) for n in nodes if n], "steps": steps}
