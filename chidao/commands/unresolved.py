"""`chidao unresolved`: documents known only from references (stubs), most cited first — the
next files worth finding and ingesting."""

from __future__ import annotations

import argparse
from typing import Any

from chidao.query_cli import add_json, query_command
from queries.unresolved import unresolved


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("unresolved", help="stub documents ranked by how many cite them",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--limit", type=int, default=30, help="rows shown (default 30)")
    add_json(parser)
    parser.set_defaults(func=query_command(_query, _format))


def _query(store, args: argparse.Namespace) -> dict[str, Any]:
    return unresolved(store, 0, max(args.limit, 1))


def _format(result: dict[str, Any]) -> str:
    lines = [f"{result['total']} documents known only from references"]
    for row in result["items"]:
        relations = ", ".join(f"{k.lower()} {v}" for k, v in sorted(row["relations"].items()))
        lines.append(f"  {row['cited_by_count']:3d}  {row['document']['label']}  ({relations})")
    return "\n".join(lines)
