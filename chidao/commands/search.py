"""`chidao search TEXT`: accent-insensitive search over document ids and titles, task texts and
unit names ("cong an xa" finds "Công an xã" and the tasks it leads or supports)."""

from __future__ import annotations

import argparse
from typing import Any

from chidao.query_cli import add_json, query_command
from graph.model import NODE_KINDS
from queries.search import search


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("search", help="accent-insensitive full-text search",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("text", nargs="+", metavar="TEXT", help="words to find, with or without accents")
    parser.add_argument("--kind", action="append", choices=NODE_KINDS, help="only these node kinds")
    parser.add_argument("--limit", type=int, default=20, help="hits shown (default 20)")
    add_json(parser)
    parser.set_defaults(func=query_command(_query, _format))


def _query(store, args: argparse.Namespace) -> dict[str, Any]:
    return search(store, " ".join(args.text), args.kind, 0, max(args.limit, 1))


def _format(result: dict[str, Any]) -> str:
    lines = [f"{result['total']} hits for '{result['query']}'"]
    for hit in result["items"]:
        node = hit["node"]
        lines.append(f"  {hit['score']:5.1f}  {node['kind']:<8} {node['label']}")
        lines += [f"           {t['role']:<7} {t['label']}" for t in hit["tasks"]]
    return "\n".join(lines)
