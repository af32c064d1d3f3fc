"""`chidao trace ID --up|--down`: lineage chains from a document to the directives it carries out
(--up) or to the documents carrying it out (--down), each edge with its evidence."""

from __future__ import annotations

import argparse

from chidao.commands.show import confidence_note, documents_or_fail, evidence_lines, node_label
from chidao.common import run, store_from
from graph.model import BASED_ON, CITES, LINEAGE_TYPES, Path
from graph.store import GraphStore


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("trace", help="lineage chains up to directives or down to plans",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("id", metavar="ID", help="canonical id or OCR form, or node key")
    direction = parser.add_mutually_exclusive_group(required=True)
    direction.add_argument("--up", action="store_true", help="towards the directives it carries out")
    direction.add_argument("--down", action="store_true", help="towards the plans that carry it out")
    parser.add_argument("--include-cites", action="store_true", help="also follow CITES edges")
    parser.add_argument("--include-based-on", action="store_true", help="also follow BASED_ON (căn cứ)")
    parser.add_argument("--jurisdiction", help="only the document of this province/commune (or national)")
    parser.add_argument("--depth", type=int, default=8, help="longest chain followed (default 8)")
    parser.add_argument("--evidence", type=int, default=3, metavar="N",
                        help="evidence lines shown per edge (default 3, 0 for all)")
    parser.set_defaults(func=run(trace_command))


def edge_types(include_cites: bool, include_based_on: bool) -> list[str]:
    types = list(LINEAGE_TYPES)
    if include_based_on:
        types.append(BASED_ON)
    if include_cites:
        types.append(CITES)
    return types


def trace_command(args: argparse.Namespace) -> int:
    store = store_from(args)
    types = edge_types(args.include_cites, args.include_based_on)
    blocks = []
    documents = documents_or_fail(store, args.id, args.jurisdiction)
    for node in documents:
        walk = store.paths_up if args.up else store.paths_down
        paths = walk(node.key, types, max_depth=args.depth)
        if len(documents) > 1:  # one id, several jurisdictions: say whose lineage follows
            blocks.append(f"== {node_label(store, node.key)} ==")
        if not paths:
            where = "up" if args.up else "down"
            hint = "" if args.include_cites and args.include_based_on else (
                " (--include-based-on and --include-cites follow weaker links)")
            blocks.append(f"{node_label(store, node.key)}: no {where} lineage along "
                          f"{', '.join(types)}{hint}")
            continue
        blocks += [path_block(store, index, path, args.evidence) for index, path in enumerate(paths, 1)]
    print("\n\n".join(blocks))
    return 0


def path_block(store: GraphStore, index: int, path: Path, evidence_limit: int) -> str:
    """`1. A (x) → B (y, stub) → C (national)` then each edge with its evidence."""
    lines = [f"{index}. " + " → ".join(node_label(store, key) for key in path.nodes)]
    for edge in path.edges:
        lines.append(f"   {node_label(store, edge.src)} —{edge.type}→ {node_label(store, edge.dst)}"
                     f"{confidence_note(edge)}")
        lines += [f"      {item}" for item in evidence_lines(edge, evidence_limit)]
    return "\n".join(lines)
