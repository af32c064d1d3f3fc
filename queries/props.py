"""Reading node and edge properties: the one place that knows which property holds what.

The graph builder (graph/build.py) decides the property names; every query reads them through
these functions, so a renamed property is fixed here once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graph.model import AGENCY, DOCUMENT, PLACE, TASK, Edge, Node
from ingest.text import fold

NATIONAL = "national"


@lru_cache(maxsize=1 << 18)
def cached_fold(text: str) -> str:
    """`fold`, remembered: searches and lookups fold the same names and titles again and again."""
    return fold(text)


DOCUMENT_PREFIX, TASK_PREFIX = "doc:", "task:"
_KIND_PREFIXES = {DOCUMENT_PREFIX: DOCUMENT, TASK_PREFIX: TASK, "agency:": AGENCY, "place:": PLACE}


def kind_of_key(key: str) -> str | None:
    """A node's kind read from its key (graph/model.py fixes the prefixes), so a walk need not
    fetch every node it passes — one round trip each on a server store."""
    for prefix, kind in _KIND_PREFIXES.items():
        if key.startswith(prefix):
            return kind
    return None


def task_document_key(key: str) -> str | None:
    """The plan of a task, from the task's key `task:{document key}#{section}.{number}`."""
    if not key.startswith("task:") or "#" not in key:
        return None
    return key.removeprefix("task:").rsplit("#", 1)[0]


def text_prop(node: Node, *names: str) -> str:
    """The first non-empty string among the properties `names`, else ''."""
    for name in names:
        value = node.props.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def key_tail(key: str) -> str:
    """`doc:57-NQ/TW@national` → `57-NQ/TW@national` (the key without its kind prefix)."""
    return key.split(":", 1)[1] if ":" in key else key


def doc_id(node: Node) -> str:
    """The document's canonical id ("số, ký hiệu"), or its key when it has none."""
    found = text_prop(node, "id", "doc_id")
    if found:
        return found
    return key_tail(node.key).split("@", 1)[0]


def jurisdiction(node: Node) -> str:
    """`national`, a province or a commune name."""
    found = text_prop(node, "jurisdiction")
    if found:
        return found
    tail = key_tail(node.key)
    return tail.rsplit("@", 1)[1].split("#", 1)[0] if "@" in tail else ""


def level(node: Node) -> str:
    """`national`, `province`, `district` or `commune` ('' when unknown)."""
    found = text_prop(node, "level")
    if found:
        return found
    return NATIONAL if jurisdiction(node) == NATIONAL else ""


def province(node: Node) -> str:
    """The province a document or agency belongs to ('' for national or unknown)."""
    found = text_prop(node, "province")
    if found:
        return found
    if level(node) == "province":
        return jurisdiction(node)
    return ""


def commune(node: Node) -> str:
    """The commune (xã, phường) of a commune-level document or agency, else ''."""
    found = text_prop(node, "commune")
    if found:
        return found
    return jurisdiction(node) if level(node) == "commune" else ""


def is_stub(node: Node) -> bool:
    """A document known only from other documents' references, not ingested itself."""
    if "stub" in node.props:
        return bool(node.props["stub"])
    if "ingested" in node.props:
        return not node.props["ingested"]
    return not (node.props.get("file") or node.props.get("source_file"))


def role(node: Node) -> str:
    """`directive`, `plan` or `other` for documents ('' when the builder did not say)."""
    found = text_prop(node, "role")
    if found:
        return found.lower()
    labels = node.props.get("labels") or []
    for name in ("Directive", "Plan"):
        if name in labels:
            return name.lower()
    return ""


def agency_name(node: Node) -> str:
    return text_prop(node, "name", "canonical") or key_tail(node.key).rsplit("@", 1)[0]


def place_name(node: Node) -> str:
    if text_prop(node, "name"):
        return text_prop(node, "name")
    tail = key_tail(node.key)  # province:Quảng Ngãi or commune:Ngọk Bay@Quảng Ngãi
    return tail.split(":", 1)[-1].split("@", 1)[0]


def task_number(node: Node) -> str:
    """`II.8`, `Phụ lục I/III.4`: section and number as printed."""
    section = text_prop(node, "section")
    number = text_prop(node, "number")
    if section and number:
        return f"{section}.{number}"
    return number or key_tail(node.key).rsplit("#", 1)[-1]


def deadline(node: Node) -> dict[str, Any]:
    """{kind, value, raw} of a task's deadline; kind `none` when it has none."""
    raw_deadline = node.props.get("deadline")
    if isinstance(raw_deadline, dict):
        kind = raw_deadline.get("kind") or "none"
        value = raw_deadline.get("value")
    else:
        kind = node.props.get("deadline_kind") or "none"
        value = node.props.get("deadline_value", raw_deadline)
    raw = node.props.get("deadline_raw") or ""
    return {"kind": str(kind), "value": None if value is None else str(value), "raw": str(raw)}


def label(node: Node) -> str:
    """A short human label for any node."""
    if node.kind == DOCUMENT:
        where = jurisdiction(node)
        return f"{doc_id(node)} ({where})" if where and where != NATIONAL else doc_id(node)
    if node.kind == TASK:
        return f"{task_number(node)}: {text_prop(node, 'text')[:80]}"
    if node.kind == AGENCY:
        where = jurisdiction(node)
        return f"{agency_name(node)} ({where})" if where and where != NATIONAL else agency_name(node)
    if node.kind == PLACE:
        return place_name(node)
    return node.key


def searchable_text(node: Node) -> str:
    """The folded text a full-text search looks at: ids, titles, task texts, names, aliases."""
    parts: list[str] = []
    if node.kind == DOCUMENT:
        parts += [doc_id(node), text_prop(node, "title"), text_prop(node, "type"), text_prop(node, "issuer")]
    elif node.kind == TASK:
        parts += [text_prop(node, "text"), text_prop(node, "text_canonical")]
    elif node.kind == AGENCY:
        parts += [agency_name(node)]
    elif node.kind == PLACE:
        parts += [place_name(node)]
    for name in ("aliases", "raw_names", "variants"):
        values = node.props.get(name)
        if isinstance(values, list):
            parts += [str(v) for v in values]
    return cached_fold(" | ".join(p for p in parts if p))


def evidence(edge: Edge) -> list[dict[str, Any]]:
    """The evidence list of an edge, each {file, line, raw}."""
    found = edge.props.get("evidence") or []
    if isinstance(found, dict):
        found = [found]
    return [dict(item) for item in found if isinstance(item, dict)]


def confidence(item: Node | Edge) -> float | None:
    value = item.props.get("confidence")
    return float(value) if isinstance(value, int | float) else None
