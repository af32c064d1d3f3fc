"""`chidao workload UNIT [--as-of DATE]`: the tasks a unit leads (chủ trì) or supports (phối hợp),
earliest deadline first, and which are overdue on that day."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from chidao.common import CommandError
from chidao.query_cli import add_json, query_command
from queries.workload import workload


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("workload", help="a unit's tasks and deadlines, overdue ones",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("unit", nargs="+", metavar="UNIT",
                        help="unit name (Công an xã, cong an xa@Ngok Bay) or key")
    parser.add_argument("--as-of", help="day for overdue, YYYY-MM-DD (default today)")
    parser.add_argument("--limit", type=int, default=100, help="tasks shown (default 100)")
    add_json(parser)
    parser.set_defaults(func=query_command(_query, _format))


def _query(store, args: argparse.Namespace) -> dict[str, Any]:
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError as exc:
        raise CommandError(f"--as-of {args.as_of!r}: expected a date YYYY-MM-DD", code=2) from exc
    return workload(store, " ".join(args.unit), as_of, 0, max(args.limit, 1))


def _format(result: dict[str, Any]) -> str:
    names = ", ".join(u["label"] for u in result["units"])
    lines = [f"{names}: leads {result['lead']}, supports {result['support']}, "
             f"{result['overdue']} overdue as of {result['as_of']}"]
    for task in result["tasks"]["items"]:
        flag = "OVERDUE " if task["overdue"] else ""
        due = task["due"] or task["deadline"]["kind"]
        where = task["document"]["label"] if task["document"] else ""
        lines.append(f"  {flag}{due:<11} {task['role']:<7} {where} {task['label']}")
    return "\n".join(lines)
