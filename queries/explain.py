"""Explain: the paths that connect two nodes, whatever the direction of each edge, shortest first.

ISSUED_BY and LOCATED_IN are left out by default: every document of a province meets every other
at its place node, which connects everything and explains nothing.
"""

from __future__ import annotations

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


class _Ball:
    """Distances to the target, grown one ring at a time: a path of length L only needs the ring
    of radius L - 1, and most answers are found long before the ball covers a whole province."""

    def __init__(self, neighbours: _Neighbours, target: str):
        self.neighbours, self.dist, self.ring, self.radius = neighbours, {target: 0}, [target], 0

    def grow_to(self, radius: int) -> None:
        while self.radius < radius and self.ring:
            following = []
            for key in self.ring:
                for other, _ in self.neighbours(key):
                    if other not in self.dist:
                        self.dist[other] = self.radius + 1
                        following.append(other)
            self.ring, self.radius = following, self.radius + 1

    @property
    def exhausted(self) -> bool:
        return not self.ring


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
    ball = _Ball(neighbours, target)
    paths: list[list[Edge]] = []
    for length in range(1, max_depth + 1) if start != target else ():
        ball.grow_to(length - 1)
        if ball.exhausted and start not in ball.dist:
            break  # the whole component is known and the start is not in it
        paths += _paths_of_length(neighbours, ball.dist, start, target, length, limit - len(paths))
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
