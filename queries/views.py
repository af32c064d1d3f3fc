"""JSON-ready views of nodes and edges, shared by every query (and so by the CLI and the API)."""

from __future__ import annotations

from typing import Any

from graph.model import AGENCY, DOCUMENT, PLACE, TASK, Edge, Node
from queries import props


def reference(node: Node) -> str:
    """The short form a user can type back: `57-NQ/TW`, `01-KH/BCĐ@Quảng Ngãi`,
    `667/KH-UBND@Ngọk Bay#II.8`."""
    if node.kind == TASK:
        doc_key = node.props.get("document") or node.key.removeprefix("task:").rsplit("#", 1)[0]
        doc_tail = props.key_tail(str(doc_key))
        doc_ref = doc_tail.removesuffix("@national")
        return f"{doc_ref}#{props.task_number(node)}"
    if node.kind in (DOCUMENT, AGENCY):
        name = props.doc_id(node) if node.kind == DOCUMENT else props.agency_name(node)
        where = props.jurisdiction(node)
        return f"{name}@{where}" if where and where != props.NATIONAL else name
    return node.key


def node_ref(node: Node) -> dict[str, Any]:
    """{key, kind, label, ref}: enough to show a node and ask for it again."""
    return {"key": node.key, "kind": node.kind, "label": props.label(node), "ref": reference(node)}


def document_view(node: Node) -> dict[str, Any]:
    return {
        **node_ref(node),
        "id": props.doc_id(node),
        "type": props.text_prop(node, "type") or None,
        "title": props.text_prop(node, "title") or None,
        "issuer": props.text_prop(node, "issuer") or None,
        "date": props.text_prop(node, "date") or None,
        "jurisdiction": props.jurisdiction(node) or None,
        "province": props.province(node) or None,
        "level": props.level(node) or None,
        "role": props.role(node) or None,
        "stub": props.is_stub(node),
        "file": props.text_prop(node, "file", "source_file") or None,
        "confidence": props.confidence(node),
    }


def task_view(node: Node) -> dict[str, Any]:
    return {
        **node_ref(node),
        "section": props.text_prop(node, "section") or None,
        "number": props.text_prop(node, "number") or None,
        "text": props.text_prop(node, "text"),
        "deadline": props.deadline(node),
        "file": props.text_prop(node, "file", "source_file") or None,
        "line": node.props.get("line") if isinstance(node.props.get("line"), int) else None,
        "confidence": props.confidence(node),
    }


def agency_view(node: Node) -> dict[str, Any]:
    return {
        **node_ref(node),
        "name": props.agency_name(node),
        "jurisdiction": props.jurisdiction(node) or None,
        "level": props.level(node) or None,
    }


def place_view(node: Node) -> dict[str, Any]:
    return {
        **node_ref(node),
        "name": props.place_name(node),
        "level": props.text_prop(node, "level") or props.key_tail(node.key).split(":", 1)[0] or None,
        "province": props.text_prop(node, "province") or None,
    }


VIEWS = {DOCUMENT: document_view, TASK: task_view, AGENCY: agency_view, PLACE: place_view}


def node_view(node: Node) -> dict[str, Any]:
    return VIEWS.get(node.kind, node_ref)(node)


def edge_view(edge: Edge) -> dict[str, Any]:
    """{source, target, type, confidence, evidence[]} of an edge."""
    return {
        "source": edge.src,
        "target": edge.dst,
        "type": edge.type,
        "confidence": props.confidence(edge),
        "evidence": props.evidence(edge),
    }


def page(items: list[Any], offset: int, limit: int) -> dict[str, Any]:
    """A slice of `items` with its position: {total, offset, limit, items}."""
    offset = max(offset, 0)
    return {"total": len(items), "offset": offset, "limit": limit, "items": items[offset : offset + limit]}
