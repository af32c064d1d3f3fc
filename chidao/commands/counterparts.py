"""`chidao counterparts TASK`: the same task in other places (COUNTERPART_OF) side by side, with
the score of each match, and what the task carries out (CARRIES_OUT).

TASK is a task key or `DOCUMENT#NUMBER` (`667/KH-UBND@Ngọk Bay#II.3`). The links come from the
alignment that `chidao ingest` runs after writing (or `chidao align`)."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from chidao.query_cli import add_json, query_command
from queries.counterparts import counterparts

_WIDTH = 100


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("counterparts", help="the same task in other places, side by side",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("task", metavar="TASK", help="task key or DOCUMENT#NUMBER (667/KH-UBND#II.3)")
    parser.add_argument("--min-score", type=float, default=0.0, metavar="S",
                        help="only counterparts scoring at least S (0..1)")
    add_json(parser)
    parser.set_defaults(func=query_command(
        lambda store, args: counterparts(store, args.task, args.min_score), format_counterparts))


def _place(entry: dict[str, Any]) -> str:
    document = entry.get("document") or {}
    return str(document.get("jurisdiction") or "?")


def _block(title: str, entry: dict[str, Any], limit: int = 400) -> list[str]:
    text = entry.get("text") or entry.get("label") or ""
    text = text if len(text) <= limit else text[:limit] + " …"
    where = f"{(entry.get('file') or '').rsplit('/', 1)[-1]}:{entry.get('line')}" if entry.get("file") else ""
    lines = [f"{title} {entry['ref']}  [{_place(entry)}] {where}".rstrip()]
    lines += textwrap.wrap(text, _WIDTH, initial_indent="    ", subsequent_indent="    ")
    return lines


def format_counterparts(result: dict[str, Any]) -> str:
    task = {**result["task"], "document": result["document"]}
    lines = _block("task", task)
    if not result["counterparts"]:
        lines.append("no counterparts in other places (run `chidao align` after ingesting)")
    for match in result["counterparts"]:
        lines.append("")
        lines += _block(f"= score {match['score']:.2f} ({match['method']})", match)
        if match["parents"]:
            lines.append(f"    common parents: {', '.join(p.removeprefix('doc:') for p in match['parents'])}")
    for title, key in (("carries out", "carries_out"), ("carried out by", "carried_out_by")):
        if result[key]:
            lines += ["", f"{title}:"]
            lines += [f"  {m['ref']}  score {m['score']:.2f} ({m['method']})" for m in result[key]]
    return "\n".join(lines)
