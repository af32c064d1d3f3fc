"""`chidao show ID`: the document(s) with an id in every jurisdiction, their properties and their
edges with evidence (file:line "raw")."""

from __future__ import annotations

import argparse

from chidao.common import CommandError, run, store_from
from graph.lookup import close_ids, document_label, find_documents
from graph.model import DOCUMENT, PART_OF, Edge, Node
from graph.store import GraphStore

_SHOWN_PROPS = ("type", "role", "level", "jurisdiction", "province", "issuer", "date", "title",
                "confidence", "aliases", "sources")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("show", help="a document, its properties and edges with evidence",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("id", metavar="ID", help="canonical id or OCR form (57-NQ/TW, 01-KH/BCP) or node key")
    parser.add_argument("--jurisdiction", help="only the document of this province/commune (or national)")
    parser.add_argument("--evidence", type=int, default=3, metavar="N",
                        help="evidence lines shown per edge (default 3, 0 for all)")
    parser.set_defaults(func=run(show_command))


def show_command(args: argparse.Namespace) -> int:
    store = store_from(args)
    documents = documents_or_fail(store, args.id, args.jurisdiction)
    blocks = [describe(store, node, args.evidence) for node in documents]
    print("\n\n".join(blocks))
    return 0


def documents_or_fail(store: GraphStore, ident: str, jurisdiction: str | None) -> list[Node]:
    """The documents an id names, or a CommandError listing close ids."""
    found = find_documents(store, ident, jurisdiction)
    if found:
        return found
    where = f" in {jurisdiction}" if jurisdiction else ""
    close = close_ids(store, ident)
    hint = f"; close ids: {', '.join(close)}" if close else ""
    raise CommandError(f"no document {ident!r}{where}{hint}")


def describe(store: GraphStore, node: Node, evidence_limit: int) -> str:
    lines = [document_label(node), f"  key: {node.key}"]
    for name in _SHOWN_PROPS:
        value = node.props.get(name)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        lines.append(f"  {name}: {value}")
    outgoing = [e for e in store.edges_out(node.key) if e.type != PART_OF]
    incoming = [e for e in store.edges_in(node.key) if e.type != PART_OF]
    tasks = store.edges_in(node.key, [PART_OF])
    if outgoing:
        lines.append("  out:")
        lines += [line for e in outgoing for line in edge_lines(store, e, e.dst, "→", evidence_limit)]
    if incoming:
        lines.append("  in:")
        lines += [line for e in incoming for line in edge_lines(store, e, e.src, "←", evidence_limit)]
    if tasks:
        lines.append(f"  tasks: {len(tasks)} (chidao tasks --doc {node.props.get('id') or node.key})")
    return "\n".join(lines)


def edge_lines(store: GraphStore, edge: Edge, other: str, arrow: str, evidence_limit: int) -> list[str]:
    lines = [f"    {arrow} {edge.type} {node_label(store, other)}{confidence_note(edge)}"]
    lines += [f"        {item}" for item in evidence_lines(edge, evidence_limit)]
    return lines


def node_label(store: GraphStore, key: str) -> str:
    node = store.node(key)
    if node is None:
        return key
    if node.kind == DOCUMENT:
        return document_label(node)
    name = node.props.get("name") or node.props.get("text") or key
    where = node.props.get("jurisdiction")
    return f"{name} ({where})" if where else str(name)


def confidence_note(edge: Edge) -> str:
    value = edge.props.get("confidence")
    return f"  [confidence {value:.2f}]" if isinstance(value, int | float) else ""


def evidence_lines(edge: Edge, limit: int = 0) -> list[str]:
    """`file:line "raw"` for each piece of evidence, at most `limit` (0: all)."""
    items = edge.props.get("evidence") or []
    shown = items if limit <= 0 else items[:limit]
    out = [f'{e.get("file")}:{e.get("line")} "{" ".join(str(e.get("raw") or "").split())}"'
           for e in shown]
    if len(items) > len(shown):
        out.append(f"… {len(items) - len(shown)} more")
    return out
