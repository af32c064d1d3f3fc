"""A unit's workload (cơ quan chủ trì / phối hợp): the tasks it leads or supports, their deadlines,
and which are overdue on a given day."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from graph.model import AGENCY, LED_BY, PART_OF, SUPPORTED_BY, Node
from graph.store import GraphStore
from queries import props, views
from queries.resolve import NotFound, resolve_all, suggest

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def due_date(kind: str, value: str | None) -> date | None:
    """The last day a deadline allows: a date itself, the end of its month, quarter or year;
    None for recurring, conditional or missing deadlines (never overdue)."""
    if not value:
        return None
    try:
        if kind == "date":
            return date.fromisoformat(value[:10])
        if kind == "month" and (m := _MONTH.match(value)):
            year, month = int(m[1]), int(m[2])
            return date(year, month, calendar.monthrange(year, month)[1])
        if kind == "quarter" and (m := _QUARTER.match(value)):
            year, month = int(m[1]), int(m[2]) * 3
            return date(year, month, calendar.monthrange(year, month)[1])
        if kind == "year" and (m := _YEAR.match(value)):
            return date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def _due(task: Node) -> date | None:
    deadline = props.deadline(task)
    return due_date(deadline["kind"], deadline["value"])


def _task_entries(store: GraphStore, items: list[tuple[Any, Node, str, str]],
                  as_of: date) -> list[dict[str, Any]]:
    """The page's tasks with their plans, read in two store calls."""
    plans_of = store.edges_out_many([task.key for _, task, _, _ in items], [PART_OF])
    plans = store.nodes_by_key(e.dst for edges in plans_of.values() for e in edges)
    return [_task_entry(task, role, key, as_of, [plans.get(e.dst) for e in plans_of[task.key]])
            for _, task, role, key in items]


def _task_entry(task: Node, role: str, unit_key: str, as_of: date,
                documents: list[Node | None]) -> dict[str, Any]:
    due = _due(task)
    return {
        **views.task_view(task),
        "role": role,
        "unit": unit_key,
        "document": next((views.node_ref(d) for d in documents if d is not None), None),
        "due": due.isoformat() if due else None,
        "overdue": bool(due and due < as_of),
    }


def workload(store: GraphStore, ref: str, as_of: date | None = None, offset: int = 0,
             limit: int = 100) -> dict[str, Any]:
    """Tasks every unit named `ref` leads or supports (one name may be a unit in many communes:
    "Công an xã"), earliest due first; `overdue` is as of `as_of` (default today). Counts cover
    every task; only the page's tasks are spelled out."""
    as_of = as_of or date.today()
    keys = resolve_all(store, ref, AGENCY)
    if not keys:
        raise NotFound(ref, AGENCY, suggest(store, ref, AGENCY))
    incoming = store.edges_in_many(keys, [LED_BY, SUPPORTED_BY])
    found = store.nodes_by_key([*keys, *(e.src for edges in incoming.values() for e in edges)])
    rows = []
    for key in keys:
        for role, edge_type in (("lead", LED_BY), ("support", SUPPORTED_BY)):
            for edge in incoming[key]:
                if edge.type == edge_type and (task := found.get(edge.src)) is not None:
                    rows.append((_due(task), task, role, key))
    rows.sort(key=lambda r: (r[0] is None, r[0] or date.min, r[1].key, r[2]))
    window = views.page(rows, offset, limit)
    window["items"] = _task_entries(store, window["items"], as_of)
    units = [found.get(k) for k in keys]
    return {
        "units": [views.agency_view(u) for u in units if u is not None],
        "as_of": as_of.isoformat(),
        "lead": sum(r[2] == "lead" for r in rows),
        "support": sum(r[2] == "support" for r in rows),
        "overdue": sum(bool(r[0] and r[0] < as_of) for r in rows),
        "tasks": window,
    }
