"""The same task in other places (COUNTERPART_OF), and what a task carries out (CARRIES_OUT), from
the alignment step (graph/align.py) that runs after ingest."""

from __future__ import annotations

from typing import Any

from graph.model import CARRIES_OUT, COUNTERPART_OF, PART_OF, TASK, Edge
from graph.store import GraphStore
from queries import props, views
from queries.resolve import resolve


def _document_of(store: GraphStore, task_key: str) -> dict[str, Any] | None:
    for edge in store.edges_out(task_key, [PART_OF]):
        node = store.node(edge.dst)
        if node is not None:
            return views.document_view(node)
    return None


def _match(store: GraphStore, edge: Edge, other: str) -> dict[str, Any] | None:
    node = store.node(other)
    if node is None:
        return None
    entry = views.task_view(node) if node.kind == TASK else views.node_view(node)
    return {
        **entry,
        "document": _document_of(store, other) if node.kind == TASK else None,
        "score": edge.props.get("score"),
        "method": edge.props.get("method"),
        "parents": list(edge.props.get("parents") or []),
        "evidence": props.evidence(edge),
    }


def _sorted(matches: list[dict[str, Any] | None]) -> list[dict[str, Any]]:
    found = [m for m in matches if m is not None]
    return sorted(found, key=lambda m: (-(m["score"] or 0.0), m["key"]))


def counterparts(store: GraphStore, ref: str, min_score: float = 0.0) -> dict[str, Any]:
    """`ref`'s task with its counterparts in other places (best first), the tasks and documents
    it carries out and the tasks that carry it out."""
    key = resolve(store, ref, TASK)
    same = [_match(store, e, e.dst) for e in store.edges_out(key, [COUNTERPART_OF])]
    same += [_match(store, e, e.src) for e in store.edges_in(key, [COUNTERPART_OF])]
    up = [_match(store, e, e.dst) for e in store.edges_out(key, [CARRIES_OUT])]
    down = [_match(store, e, e.src) for e in store.edges_in(key, [CARRIES_OUT])]
    keep = [m for m in _sorted(same) if (m["score"] or 0.0) >= min_score]
    return {
        "task": views.task_view(store.node(key)),
        "document": _document_of(store, key),
        "counterparts": keep,
        "carries_out": _sorted(up),
        "carried_out_by": _sorted(down),
    }
