"""`chidao trace REF --up|--down`: lineage chains from a document to the directives it carries out
(--up) or to the documents carrying it out (--down), each edge with its evidence.

REF is a document (canonical id, OCR form, `ID@jurisdiction` or node key) or a task
(`667/KH-UBND#II.3`, `667/KH-UBND@Ngọk Bay#II.3`, `DOCUMENT#NUMBER` when the number is unique in
its plan, or a task key). A task goes up task → task where the alignment (`chidao align`, run by
`chidao ingest`) found what it carries out, and through its plan, document → document, otherwise;
down, to the tasks carrying it out. Alignment edges show their score and method.

Down prints the answer of the API's /trace/down (queries/trace.py trace_down): the whole cascade
summed up per province, then one page of its documents (by province, commune, depth, id) with
their tasks and units; `--offset`/`--limit` page through it, `--json` prints the answer as is."""

from __future__ import annotations

import argparse
import json
import shlex
from typing import Any

from chidao.commands.show import confidence_note, documents_or_fail, evidence_lines, node_label
from chidao.common import CommandError, run, store_from
from graph.model import BASED_ON, CITES, DOCUMENT, LINEAGE_TYPES, PART_OF, TASK, Edge, Node, Path
from graph.store import GraphStore
from queries import props, task_lineage, trace, views
from queries.resolve import resolve_all

TEXT_SHOWN = 160
DEFAULT_LIMIT = 50


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
    parser.add_argument("--offset", type=int, default=0, metavar="N",
                        help="--down: documents skipped, in the answer's order (default 0)")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N",
                        help=f"--down: documents shown (default {DEFAULT_LIMIT})")
    parser.add_argument("--json", action="store_true", help="--down: print the answer as JSON (as the API)")
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
    if args.down:
        return down_command(store, args)
    if args.offset or args.limit != DEFAULT_LIMIT or args.json:
        raise CommandError("--offset, --limit and --json page the answer of --down", code=2)
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
    """Up: a task through what it carries out, else its plan (queries/task_lineage.py)."""
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


# -- down: the pages of trace_down ---------------------------------------------------------------

def down_command(store: GraphStore, args: argparse.Namespace) -> int:
    """One trace_down page per document the reference names (an id repeats across jurisdictions;
    --json wants one, as the API does)."""
    if args.limit < 1 or args.offset < 0:
        raise CommandError("--limit must be at least 1 and --offset at least 0", code=2)
    starts = down_starts(store, args.id, args.jurisdiction)
    if args.json and len(starts) > 1:
        raise CommandError(f"{args.id!r} names {len(starts)} documents; add --jurisdiction or "
                           f"'@jurisdiction': {', '.join(views.reference(n) for n in starts)}")
    answers = [trace.trace_down(store, node.key, args.include_based_on, args.include_cites,
                                args.depth, args.offset, args.limit) for node in starts]
    if args.json:
        print(json.dumps(answers[0], ensure_ascii=False, indent=2))
        return 0
    blocks = [down_text(store, answer, args) for answer in answers]
    print("\n\n".join(blocks))
    return 0


def down_starts(store: GraphStore, ref: str, jurisdiction: str | None) -> list[Node]:
    """The documents (or tasks) a reference names: as the API resolves it (an id, `ID@place`,
    `ID#NUMBER`, a key), else through the OCR forms and aliases `chidao show` knows (start_nodes)."""
    if not jurisdiction:
        kind = TASK if ref.startswith("task:") or "#" in ref else DOCUMENT
        found = [node for node in map(store.node, resolve_all(store, ref, kind)) if node is not None]
        if found:
            return found
    return start_nodes(store, ref, jurisdiction)


def down_text(store: GraphStore, answer: dict[str, Any], args: argparse.Namespace) -> str:
    """The summary per province, then the page's documents by province and commune, then how to
    get the next page."""
    head = (f"{label(store, answer['start']['key'])}: {answer['total_documents']} documents and "
            f"{answer['total_tasks']} tasks below, along {', '.join(answer['edge_types'])}")
    if not answer["total_documents"]:
        return f"{head}{weaker_links_hint(args)}"
    lines = [head, "", *province_table(answer["provinces"]), ""]
    shown = sum(len(group["documents"]) for group in answer["groups"])
    offset, total = answer["offset"], answer["total_documents"]
    if not shown:
        lines.append(f"no documents from --offset {offset}: the answer holds {total} "
                     f"(the last page starts at --offset {last_page(total, answer['limit'])})")
        return "\n".join(lines)
    lines.append(f"documents {offset + 1}–{offset + shown} of {total}, by province, commune, depth, id:")
    labels = via_labels(store, answer["groups"])
    for group in answer["groups"]:
        lines += ["", place_header(group)]
        for entry in group["documents"]:
            lines += document_lines(entry, labels, args.evidence)
    lines += ["", next_page(answer, shown, args)]
    return "\n".join(lines)


def document_label(view: dict[str, Any]) -> str:
    """`01-KH/BCĐ (Quảng Ngãi, stub)`, as --up labels it."""
    details = [view["jurisdiction"] or props.NATIONAL, *(["stub"] if view["stub"] else [])]
    return f"{view['id']} ({', '.join(details)})"


def weaker_links_hint(args: argparse.Namespace) -> str:
    if args.include_cites and args.include_based_on:
        return ""
    return " (--include-based-on and --include-cites follow weaker links)"


def province_table(provinces: list[dict[str, Any]]) -> list[str]:
    """One row per province: documents, tasks, communes with a document, and the --offset of its
    first document."""
    names = [row["province"] or props.NATIONAL for row in provinces]
    width = max(len("province"), *map(len, names))
    lines = [f"{'province':<{width}}  {'documents':>9}  {'tasks':>7}  {'communes':>8}  {'--offset':>8}"]
    for name, row in zip(names, provinces, strict=True):
        lines.append(f"{name:<{width}}  {row['documents']:>9}  {row['tasks']:>7}  {row['communes']:>8}  "
                     f"{row['offset']:>8}")
    return lines


def place_header(group: dict[str, Any]) -> str:
    """`== Quảng Ngãi / Ngọk Bay ==`; documents with no province are national."""
    parts = [group["province"] or props.NATIONAL, *([group["commune"]] if group["commune"] else [])]
    return f"== {' / '.join(parts)} =="


def via_labels(store: GraphStore, groups: list[dict[str, Any]]) -> dict[str, str]:
    """Labels of the ends of the page's `via` edges (a task's: `02-KH/BCĐ#Phụ lục.7 (Khánh Hòa,
    task)`)."""
    keys = {key for group in groups for entry in group["documents"] if entry["via"]
            for key in (entry["via"]["source"], entry["via"]["target"])}
    return {key: label(store, key) for key in sorted(keys)}


def document_lines(entry: dict[str, Any], labels: dict[str, str], evidence_limit: int) -> list[str]:
    """The document, the edge that reached it with its evidence, then its tasks and units."""
    document, via = entry["document"], entry["via"]
    lines = [f"{document_label(document)}  [depth {entry['depth']}]  {document['type'] or ''}".rstrip()]
    if via:
        source, target = (labels.get(via[end], via[end]) for end in ("source", "target"))
        note = f"  [confidence {via['confidence']:.2f}]" if isinstance(via["confidence"], int | float) else ""
        lines.append(f"   {source} —{via['type']}→ {target}{note}")
        if via["type"] != PART_OF:  # reached as a task's plan: its evidence is the whole task row
            lines += [f"      {line}" for line in evidence_text(via["evidence"], evidence_limit)]
    for task in entry["tasks"]:
        lines += task_lines(task)
    return lines


def evidence_text(items: list[dict[str, Any]], limit: int) -> list[str]:
    """`file:line "raw"` as `chidao show` and --up print it, at most `limit` (0: all)."""
    shown = items if limit <= 0 else items[:limit]
    out = [f'{e.get("file")}:{e.get("line")} "{" ".join(str(e.get("raw") or "").split())}"' for e in shown]
    if len(items) > len(shown):
        out.append(f"… {len(items) - len(shown)} more")
    return out


def task_lines(task: dict[str, Any]) -> list[str]:
    """`   task II.3 [due 2025-12]: Rà soát …` then its lead (chủ trì) and supporting (phối hợp) units."""
    text = " ".join(str(task["text"] or "").split())
    text = text if len(text) <= TEXT_SHOWN else text[:TEXT_SHOWN] + " …"
    deadline = task["deadline"]
    due = deadline["value"] or (deadline["kind"] if deadline["kind"] != "none" else "")
    number = task["ref"].rpartition("#")[2]
    lines = [f"   task {number}{f' [due {due}]' if due else ''}: {text}"]
    units = [f"lead: {', '.join(u['label'] for u in task['lead'])}" if task["lead"] else "",
             f"support: {', '.join(u['label'] for u in task['support'])}" if task["support"] else ""]
    if any(units):
        lines.append("      " + "; ".join(u for u in units if u))
    return lines


def next_page(answer: dict[str, Any], shown: int, args: argparse.Namespace) -> str:
    """The command that prints the next page, or that this page is the last."""
    following = answer["offset"] + shown
    if following >= answer["total_documents"]:
        return f"last page ({answer['total_documents']} documents)"
    options = ["--down", *(["--include-based-on"] if args.include_based_on else []),
               *(["--include-cites"] if args.include_cites else []),
               *([f"--depth {args.depth}"] if args.depth != 8 else []),
               f"--offset {following}", *([f"--limit {args.limit}"] if args.limit != DEFAULT_LIMIT else [])]
    return f"next page: chidao trace {shlex.quote(answer['start']['ref'])} {' '.join(options)}"


def last_page(total: int, limit: int) -> int:
    return max(total - 1, 0) // limit * limit
