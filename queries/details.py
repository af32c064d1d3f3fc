"""One node with what surrounds it (a document's references and tasks, a task's units…), and
filtered listings of each kind."""

from __future__ import annotations

from typing import Any

from graph.model import (
    AGENCY,
    CARRIES_OUT,
    DOCUMENT,
    ISSUED_BY,
    LED_BY,
    LOCATED_IN,
    PART_OF,
    PLACE,
    REFERENCE_TYPES,
    SUPPORTED_BY,
    TASK,
    Edge,
    Node,
)
from graph.store import GraphStore
from ingest.text import fold
from queries import props, views
from queries.resolve import resolve


def _link(store: GraphStore, edge: Edge, other: str) -> dict[str, Any] | None:
    node = store.node(other)
    if node is None:
        return None
    return {"node": views.node_ref(node), "type": edge.type, "confidence": props.confidence(edge),
            "evidence": props.evidence(edge)}


def _links_out(store: GraphStore, key: str, types: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    found = (_link(store, e, e.dst) for e in store.edges_out(key, types))
    return sorted((f for f in found if f), key=lambda f: (f["type"], f["node"]["key"]))


def _links_in(store: GraphStore, key: str, types: tuple[str, ...] | list[str],
              limit: int | None = None) -> list[dict[str, Any]]:
    """Links from the nodes referring to `key`, strongest relation first, then by key."""
    rank = {t: i for i, t in enumerate(REFERENCE_TYPES)}
    edges = sorted(store.edges_in(key, types), key=lambda e: (rank.get(e.type, 9), e.type, e.src))
    found = (_link(store, e, e.src) for e in edges[:limit])
    return [f for f in found if f]


def _refs(store: GraphStore, keys: list[str]) -> list[dict[str, Any]]:
    nodes = (store.node(k) for k in sorted(set(keys)))
    return [views.node_ref(n) for n in nodes if n is not None]


def document_detail(store: GraphStore, ref: str, limit: int = 100) -> dict[str, Any]:
    """A document, its references, the first `limit` documents and tasks referring to it (a
    national resolution has thousands), its issuer, places and tasks."""
    key = resolve(store, ref, DOCUMENT)
    tasks = [store.node(e.src) for e in store.edges_in(key, [PART_OF])]
    citing = store.edges_in(key, REFERENCE_TYPES)
    return {
        "document": views.document_view(store.node(key)),
        "references": _links_out(store, key, REFERENCE_TYPES),
        "referenced_by_total": len(citing),
        "referenced_by": _links_in(store, key, REFERENCE_TYPES, limit),
        "issued_by": _refs(store, [e.dst for e in store.edges_out(key, [ISSUED_BY])]),
        "places": _refs(store, [e.dst for e in store.edges_out(key, [LOCATED_IN])]),
        "tasks": [views.task_view(t) for t in sorted((t for t in tasks if t and t.kind == TASK),
                                                      key=lambda t: t.key)],
    }


def task_detail(store: GraphStore, ref: str) -> dict[str, Any]:
    key = resolve(store, ref, TASK)
    documents = [e.dst for e in store.edges_out(key, [PART_OF])]
    return {
        "task": views.task_view(store.node(key)),
        "document": next(iter(_refs(store, documents)), None),
        "lead": _refs(store, [e.dst for e in store.edges_out(key, [LED_BY])]),
        "support": _refs(store, [e.dst for e in store.edges_out(key, [SUPPORTED_BY])]),
        "references": _links_out(store, key, REFERENCE_TYPES),
        "carries_out": _refs(store, [e.dst for e in store.edges_out(key, [CARRIES_OUT])]),
        "carried_out_by": _refs(store, [e.src for e in store.edges_in(key, [CARRIES_OUT])]),
    }


def unit_detail(store: GraphStore, ref: str) -> dict[str, Any]:
    key = resolve(store, ref, AGENCY)
    return {
        "unit": views.agency_view(store.node(key)),
        "leads": _refs(store, [e.src for e in store.edges_in(key, [LED_BY])]),
        "supports": _refs(store, [e.src for e in store.edges_in(key, [SUPPORTED_BY])]),
        "issued": _refs(store, [e.src for e in store.edges_in(key, [ISSUED_BY])]),
    }


def place_detail(store: GraphStore, ref: str) -> dict[str, Any]:
    key = resolve(store, ref, PLACE)
    inside = [store.node(e.src) for e in store.edges_in(key, [LOCATED_IN])]
    return {
        "place": views.place_view(store.node(key)),
        "within": _refs(store, [e.dst for e in store.edges_out(key, [LOCATED_IN])]),
        "places": [views.node_ref(n) for n in inside if n is not None and n.kind == PLACE],
        "documents": [views.node_ref(n) for n in inside if n is not None and n.kind == DOCUMENT],
    }


def _matches(node: Node, text: str | None) -> bool:
    return not text or fold(text) in props.searchable_text(node)


def list_documents(store: GraphStore, role: str | None = None, level: str | None = None,
                   stub: bool | None = None, text: str | None = None, offset: int = 0,
                   limit: int = 50) -> dict[str, Any]:
    """Documents filtered by role (directive, plan), level, stub-ness and a folded text, by id."""
    found = [n for n in store.nodes(DOCUMENT)
             if (role is None or props.role(n) == role.lower())
             and (level is None or props.level(n) == level)
             and (stub is None or props.is_stub(n) == stub)
             and _matches(n, text)]
    found.sort(key=lambda n: (fold(props.doc_id(n)), n.key))
    return views.page([views.document_view(n) for n in found], offset, limit)


def list_tasks(store: GraphStore, document: str | None = None, text: str | None = None,
               offset: int = 0, limit: int = 50) -> dict[str, Any]:
    if document:
        key = resolve(store, document, DOCUMENT)
        nodes = [store.node(e.src) for e in store.edges_in(key, [PART_OF])]
        found = [n for n in nodes if n is not None and n.kind == TASK and _matches(n, text)]
    else:
        found = [n for n in store.nodes(TASK) if _matches(n, text)]
    found.sort(key=lambda n: n.key)
    return views.page([views.task_view(n) for n in found], offset, limit)


def list_units(store: GraphStore, text: str | None = None, offset: int = 0,
               limit: int = 50) -> dict[str, Any]:
    found = sorted((n for n in store.nodes(AGENCY) if _matches(n, text)),
                   key=lambda n: (fold(props.agency_name(n)), n.key))
    return views.page([views.agency_view(n) for n in found], offset, limit)


def list_places(store: GraphStore, level: str | None = None, offset: int = 0,
                limit: int = 50) -> dict[str, Any]:
    found = [n for n in store.nodes(PLACE) if level is None or views.place_view(n)["level"] == level]
    found.sort(key=lambda n: (fold(props.place_name(n)), n.key))
    return views.page([views.place_view(n) for n in found], offset, limit)
