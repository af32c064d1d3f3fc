"""A node's neighbourhood as JSON nodes and edges, for the graph pages."""

from __future__ import annotations

from typing import Any

from graph.model import EDGE_TYPES
from graph.store import GraphStore
from queries import views
from queries.resolve import resolve


def neighbourhood(store: GraphStore, ref: str, depth: int = 1, limit: int = 200,
                  types: list[str] | None = None) -> dict[str, Any]:
    """Nodes within `depth` steps of `ref` (either direction), at most `limit` of them, and every
    edge among them."""
    center = resolve(store, ref)
    types = list(types or EDGE_TYPES)
    keys, frontier, truncated = [center], [center], False
    seen = {center}
    for _ in range(depth):
        nxt = []
        for key in frontier:
            edges = store.edges_out(key, types) + store.edges_in(key, types)
            for other in sorted({e.dst if e.src == key else e.src for e in edges}):
                if other in seen:
                    continue
                if len(keys) >= limit:
                    truncated = True
                    break
                seen.add(other)
                keys.append(other)
                nxt.append(other)
        frontier = nxt
    edges = {(e.src, e.dst, e.type): e for k in keys for e in store.edges_out(k, types) if e.dst in seen}
    nodes = [store.node(k) for k in keys]
    return {
        "center": center,
        "nodes": [views.node_view(n) for n in nodes if n is not None],
        "edges": [views.edge_view(e) for _, e in sorted(edges.items())],
        "truncated": truncated,
    }
