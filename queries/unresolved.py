"""Unresolved references: documents known only as stubs, ranked by how many documents cite them —
the next files worth finding and ingesting."""

from __future__ import annotations

from typing import Any

from graph.model import DOCUMENT, PART_OF, REFERENCE_TYPES, TASK, Edge, Node
from graph.store import GraphStore
from queries import props, views

CITERS_SHOWN = 10


def citing_documents(store: GraphStore, key: str, edges: list[Edge] | None = None) -> dict[str, str]:
    """Document key → strongest relation, for every document referring to `key` (a task's
    reference counts for its plan); `edges` are `key`'s incoming references when already read."""
    rank = {t: i for i, t in enumerate(REFERENCE_TYPES)}
    found: dict[str, str] = {}
    for edge in store.edges_in(key, REFERENCE_TYPES) if edges is None else edges:
        kind = props.kind_of_key(edge.src)
        owners = [edge.src] if kind == DOCUMENT else []
        if kind == TASK:
            owners = _plans_of(store, edge.src)
        for owner in owners:
            if owner not in found or rank[edge.type] < rank[found[owner]]:
                found[owner] = edge.type
    return found


def _plans_of(store: GraphStore, task_key: str) -> list[str]:
    plan = props.task_document_key(task_key)  # the key names it; the edge is the fallback
    return [plan] if plan else [e.dst for e in store.edges_out(task_key, [PART_OF])]


def unresolved(store: GraphStore, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    """Stub documents, most cited first, each with its citing documents and relations."""
    stubs = [node for node in store.nodes(DOCUMENT) if props.is_stub(node)]
    incoming = store.edges_in_many([n.key for n in stubs], REFERENCE_TYPES)
    counted = []
    for node in stubs:
        citing = citing_documents(store, node.key, incoming[node.key])
        counted.append((-len(citing), props.doc_id(node), node.key, node, citing))
    counted.sort(key=lambda row: row[:3])
    window = views.page(counted, offset, limit)
    citers = store.nodes_by_key(k for *_, citing in window["items"] for k in sorted(citing)[:CITERS_SHOWN])
    window["items"] = [_row(node, citing, citers) for *_, node, citing in window["items"]]
    return window


def _row(node: Any, citing: dict[str, str], known: dict[str, Node]) -> dict[str, Any]:
    relations: dict[str, int] = {}
    for relation in citing.values():
        relations[relation] = relations.get(relation, 0) + 1
    citers = [known[k] for k in sorted(citing)[:CITERS_SHOWN] if k in known]
    return {"document": views.document_view(node), "cited_by_count": len(citing),
            "relations": relations, "cited_by": [views.node_ref(c) for c in citers]}
