"""`chidao trace REF --up|--down`: lineage chains from a document to the directives it carries out
(--up) or to the documents carrying it out (--down), each edge with its evidence.

REF is a document (canonical id, OCR form, `ID@jurisdiction` or node key) or a task
(`667/KH-UBND#II.3`, `667/KH-UBND@Ngọk Bay#II.3`, `DOCUMENT#NUMBER` when the number is unique in
its plan, or a task key). A task goes up task → task where the alignment (`chidao align`, run by
`chidao ingest`) found what it carries out, and through its plan, document → document, otherwise;
down, to the tasks carrying it out. Alignment edges show their score and method."""

from __future__ import annotations

import argparse

from chidao.commands.show import confidence_note, documents_or_fail, evidence_lines, node_label
from chidao.common import CommandError, run, store_from
from graph.model import BASED_ON, CITES, LINEAGE_TYPES, PART_OF, TASK, Edge, Node, Path
from graph.store import GraphStore
from queries import props, task_lineage, views
from queries.resolve import resolve_all

TEXT_SHOWN = 160


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("trace", help="lineage chains up to directives or down to plans",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("id", metavar="REF", help="document id (canonical or OCR form), node key, or task "
                        "DOCUMENT#NUMBER (667/KH-UBND#II.3)")
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
    starts = start_nodes(store, args.id, args.jurisdiction)
    for node in starts:
        paths = walk(store, node, types, args.up, args.depth)
        if node.kind == TASK:
            blocks.append(task_header(store, node))
        elif len(starts) > 1:  # one id, several jurisdictions: say whose lineage follows
            blocks.append(f"== {node_label(store, node.key)} ==")
        if not paths:
            blocks.append(no_lineage(store, node, types, args))
            continue
        blocks += [path_block(store, index, path, args.evidence) for index, path in enumerate(paths, 1)]
    print("\n\n".join(blocks))
    return 0


def walk(store: GraphStore, node: Node, types: list[str], up: bool, depth: int) -> list[Path]:
    """Up: a task through what it carries out, else its plan (queries/task_lineage.py); down:
    the store's walk against the edges."""
    if not up:
        return store.paths_down(node.key, types, max_depth=depth)
    if node.kind == TASK:
        types = [PART_OF, *types]
    return task_lineage.paths_up(store, node.key, types, depth)


def no_lineage(store: GraphStore, node: Node, types: list[str], args: argparse.Namespace) -> str:
    where = "up" if args.up else "down"
    hint = "" if args.include_cites and args.include_based_on else (
        " (--include-based-on and --include-cites follow weaker links)")
    return f"{label(store, node.key)}: no {where} lineage along {', '.join(types)}{hint}"


def start_nodes(store: GraphStore, ref: str, jurisdiction: str | None) -> list[Node]:
    """The tasks a task reference names, or the documents an id names; a CommandError otherwise."""
    if ref.startswith("task:") or "#" in ref:  # no document id or key holds a "#"
        return tasks_or_fail(store, ref, jurisdiction)
    return documents_or_fail(store, ref, jurisdiction)


def tasks_or_fail(store: GraphStore, ref: str, jurisdiction: str | None) -> list[Node]:
    """The tasks `DOCUMENT#NUMBER` names in every document the id names (its OCR forms and
    `@jurisdiction` included), or the task of a key; a CommandError with close tasks otherwise."""
    if ref.startswith("task:"):
        node = store.node(ref)
        if node is None or node.kind != TASK:
            raise CommandError(f"no task {ref!r}")
        return [node]
    doc_ref, _, number = ref.rpartition("#")
    name, place = (doc_ref, "") if doc_ref.startswith("doc:") else doc_ref.partition("@")[::2]
    documents = documents_or_fail(store, name.strip(), jurisdiction or place.strip() or None)
    refs = [f"{views.reference(d)}#{number}" for d in documents]  # one document each
    keys = sorted({k for r in refs for k in resolve_all(store, r, TASK)})
    if not keys:
        close = [s for r in refs for s in task_lineage.task_suggestions(store, r)]
        hint = f"; close tasks: {', '.join(close[:5])}" if close else "; the document has no tasks"
        raise CommandError(f"no task {ref!r}{hint}")
    return [node for node in map(store.node, keys) if node is not None]


def task_header(store: GraphStore, node: Node) -> str:
    """`task 667/KH-UBND#II.3 (Ngọk Bay, task): Rà soát …`"""
    text = " ".join(props.text_prop(node, "text").split())
    text = text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + " …"
    return f"task {label(store, node.key)}: {text}"


def label(store: GraphStore, key: str) -> str:
    """A document's label (`01-KH/BCĐ (Quảng Ngãi, stub)`), or a task's `ID#NUMBER (place, task)`."""
    node = store.node(key)
    if node is None or node.kind != TASK:
        return node_label(store, key)
    document = store.node(props.task_document_key(key) or "")
    if document is None:
        return f"{props.task_number(node)} (task)"
    where = props.jurisdiction(document) or props.NATIONAL
    return f"{props.doc_id(document)}#{props.task_number(node)} ({where}, task)"


def edge_note(edge: Edge) -> str:
    """`[score 0.62, char-ngram-tfidf/threshold]` for a derived edge, else its confidence."""
    score, method = edge.props.get("score"), edge.props.get("method")
    if isinstance(score, int | float):
        return f"  [score {score:.2f}{', ' + str(method) if method else ''}]"
    return confidence_note(edge)


def path_block(store: GraphStore, index: int, path: Path, evidence_limit: int) -> str:
    """`1. A (x) → B (y, stub) → C (national)` then each edge with its evidence."""
    lines = [f"{index}. " + " → ".join(label(store, key) for key in path.nodes)]
    for edge in path.edges:
        lines.append(f"   {label(store, edge.src)} —{edge.type}→ {label(store, edge.dst)}{edge_note(edge)}")
        if edge.type != PART_OF:  # a task's link to its plan: its evidence is the whole task row
            lines += [f"      {item}" for item in evidence_lines(edge, evidence_limit)]
    return "\n".join(lines)
