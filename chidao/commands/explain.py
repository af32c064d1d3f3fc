"""`chidao explain A B`: the shortest paths connecting two nodes (documents, tasks, units), each
edge with its direction and evidence."""

from __future__ import annotations

import argparse
from typing import Any

from chidao.query_cli import add_json, evidence_text, query_command
from queries.explain import explain


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("explain", help="paths connecting two nodes",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("a", metavar="A", help="document id, task (667/KH-UBND#II.8), unit or key")
    parser.add_argument("b", metavar="B", help="the other node")
    parser.add_argument("--depth", type=int, default=6, help="longest path in edges (default 6)")
    parser.add_argument("--limit", type=int, default=5, help="paths shown (default 5)")
    add_json(parser)
    parser.set_defaults(func=query_command(_query, _format))


def _query(store, args: argparse.Namespace) -> dict[str, Any]:
    return explain(store, args.a, args.b, max(args.depth, 1), max(args.limit, 1))


def _format(result: dict[str, Any]) -> str:
    if not result["paths"]:
        return f"no path between {result['source']['label']} and {result['target']['label']}"
    lines = []
    for index, path in enumerate(result["paths"], 1):
        lines.append(f"{index}. " + " — ".join(n["label"] for n in path["nodes"]))
        for step in path["steps"]:
            arrow = "→" if step["direction"] == "forward" else "←"
            lines.append(f"   {arrow} {step['type']}")
            lines += evidence_text(step)
    return "\n".join(lines)
