"""Unresolved references: documents known only as stubs, ranked by how many documents cite them —
the next files worth finding and ingesting."""

from __future__ import annotations

from typing import Any

from graph.model import DOCUMENT, PART_OF, REFERENCE_TYPES, TASK
from graph.store import GraphStore
from queries import props, views

CITERS_SHOWN = 10


def citing_documents(store: GraphStore, key: str) -> dict[str, str]:
    """Document key → strongest relation, for every document referring to `key` (a task's
    reference counts for its plan)."""
    rank = {t: i for i, t in enumerate(REFERENCE_TYPES)}
    found: dict[str, str] = {}
    for edge in store.edges_in(key, REFERENCE_TYPES):
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
    counted = []
    for node in store.nodes(DOCUMENT):
        if props.is_stub(node):
            citing = citing_documents(store, node.key)
            counted.append((-len(citing), props.doc_id(node), node.key, node, citing))
    counted.sort(key=lambda row: row[:3])
    window = views.page(counted, offset, limit)
    window["items"] = [_row(store, node, citing) for *_, node, citing in window["items"]]
    return window


def _row(store: GraphStore, node: Any, citing: dict[str, str]) -> dict[str, Any]:
    relations: dict[str, int] = {}
    for relation in citing.values():
        relations[relation] = relations.get(relation, 0) + 1
    citers = [store.node(k) for k in sorted(citing)[:CITERS_SHOWN]]
    return {"document": views.document_view(node), "cited_by_count": len(citing),
            "relations": relations, "cited_by": [views.node_ref(c) for c in citers if c]}
