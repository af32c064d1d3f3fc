"""`chidao tasks`: tasks (nhiệm vụ) filtered by unit, role, document and deadline.

`--unit` matches unit names without accents or case ("cong an xa" finds "Công an xã");
`--role lead` keeps tasks the unit leads (chủ trì), `--role support` those it supports (phối hợp).
`--due-before D` keeps tasks whose deadline ends before D; `--overdue-on D` those already past
their deadline on D (a month, quarter or year deadline ends on its last day; recurring,
conditional and missing deadlines are never due)."""

from __future__ import annotations

import argparse
import calendar
import re
from datetime import date

from chidao.commands.show import documents_or_fail
from chidao.common import CommandError, run, store_from
from graph.lookup import document_label, unit_matches
from graph.model import LED_BY, PART_OF, SUPPORTED_BY, TASK, Node
from graph.store import GraphStore

_ROLE_EDGES = {"lead": (LED_BY,), "support": (SUPPORTED_BY,), None: (LED_BY, SUPPORTED_BY)}
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("tasks", help="tasks by unit, role, document and deadline",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--unit", metavar="NAME", help="unit name, accents optional")
    parser.add_argument("--role", choices=("lead", "support"), help="the unit's role (with --unit)")
    parser.add_argument("--doc", metavar="ID", help="only tasks of this document (id or OCR form)")
    parser.add_argument("--jurisdiction", help="with --doc: only the document of this place")
    parser.add_argument("--due-before", type=iso_date, metavar="YYYY-MM-DD")
    parser.add_argument("--overdue-on", type=iso_date, metavar="YYYY-MM-DD")
    parser.set_defaults(func=run(tasks_command))


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from exc


def deadline_end(kind: str | None, value: str | None) -> date | None:
    """The last day a deadline allows: a date itself, the last day of its month, quarter or year;
    None for recurring, conditional or missing deadlines (or unreadable values)."""
    if not value:
        return None
    try:
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "month":
            year, month = (int(p) for p in value.split("-")[:2])
            return date(year, month, calendar.monthrange(year, month)[1])
        if kind == "quarter":
            match = _QUARTER.match(value)
            if not match:
                return None
            year, month = int(match[1]), 3 * int(match[2])
            return date(year, month, calendar.monthrange(year, month)[1])
        if kind == "year":
            return date(int(value[:4]), 12, 31)
    except ValueError:
        return None
    return None


def task_deadline(task: Node) -> tuple[str, str | None]:
    deadline = task.props.get("deadline")
    if isinstance(deadline, dict):
        return str(deadline.get("kind") or "none"), deadline.get("value")
    return str(task.props.get("deadline_kind") or "none"), deadline


def tasks_command(args: argparse.Namespace) -> int:
    if args.role and not args.unit:
        raise CommandError("--role needs --unit", code=2)
    store = store_from(args)
    tasks = candidate_tasks(store, args.doc, args.jurisdiction)
    if args.unit:
        tasks = [t for t in tasks if has_unit(store, t, args.unit, args.role)]
    for limit in (args.due_before, args.overdue_on):
        if limit:
            tasks = [t for t in tasks if (end := deadline_end(*task_deadline(t))) and end < limit]
    if not tasks:
        print("no task matches")
        return 0
    print("\n\n".join(task_block(store, t, args.overdue_on) for t in sorted(tasks, key=task_order)))
    return 0


def candidate_tasks(store: GraphStore, doc: str | None, jurisdiction: str | None) -> list[Node]:
    if not doc:
        return list(store.nodes(TASK))
    found = []
    for document in documents_or_fail(store, doc, jurisdiction):
        for edge in store.edges_in(document.key, [PART_OF]):
            node = store.node(edge.src)
            if node is not None and node.kind == TASK:
                found.append(node)
    return found


def has_unit(store: GraphStore, task: Node, unit: str, role: str | None) -> bool:
    for edge in store.edges_out(task.key, _ROLE_EDGES[role]):
        agency = store.node(edge.dst)
        if agency is not None and unit_matches(agency, unit):
            return True
    return False


def _natural(text: str) -> list[tuple[int, int | str]]:
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part]


def task_order(task: Node) -> tuple:
    return (str(task.props.get("document") or ""), _natural(str(task.props.get("section") or "")),
            _natural(str(task.props.get("number") or "")))


def task_block(store: GraphStore, task: Node, overdue_on: date | None) -> str:
    props = task.props
    document = store.node(str(props.get("document") or ""))
    where = document_label(document) if document is not None else str(props.get("document"))
    kind, value = task_deadline(task)
    deadline = props.get("deadline_raw") or "—"
    late = ""
    end = deadline_end(kind, value)
    if overdue_on and end:
        late = f", {(overdue_on - end).days} days overdue on {overdue_on.isoformat()}"
    lines = [f"{where} task {props.get('section')}.{props.get('number')}",
             f"  {props.get('text')}",
             f"  deadline: {deadline} [{kind}{' ' + value if value else ''}{late}]"]
    for role, edge_type in (("lead", LED_BY), ("support", SUPPORTED_BY)):
        names = [str(store.node(e.dst).props.get("name")) for e in store.edges_out(task.key, [edge_type])
                 if store.node(e.dst) is not None]
        if names:
            lines.append(f"  {role}: {'; '.join(sorted(names))}")
    lines.append(f"  at {props.get('file')}:{props.get('line')}")
    return "\n".join(lines)
