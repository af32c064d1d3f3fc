"""`chidao coverage ID`: the provinces and communes with a document carrying out a directive
(ingested or only referenced), and those with none yet; `--gaps` for a plan: its tasks that no
lower task carries out."""

from __future__ import annotations

import argparse
from typing import Any

from chidao.query_cli import add_json, query_command
from queries.coverage import coverage, plan_gaps


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("coverage",
                                   help="where a directive is carried out; a plan's uncovered tasks",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("id", metavar="ID", help="document id (57-NQ/TW, 01-KH/BCĐ@Quảng Ngãi) or key")
    parser.add_argument("--gaps", action="store_true", help="for a plan: tasks with no carrying-out task")
    parser.add_argument("--include-cites", action="store_true", help="also count documents that only cite it")
    parser.add_argument("--missing", type=int, default=20, metavar="N",
                        help="communes without a document shown (default 20)")
    add_json(parser)
    parser.set_defaults(func=query_command(_query, _format))


def _query(store, args: argparse.Namespace) -> dict[str, Any]:
    if args.gaps:
        return plan_gaps(store, args.id)
    return coverage(store, args.id, cites=args.include_cites, missing_limit=max(args.missing, 0))


def _format(result: dict[str, Any]) -> str:
    if "plan" in result:
        return _format_gaps(result)
    lines = [f"coverage of {result['directive']['label']}: {result['provinces_covered']}/"
             f"{result['provinces_total']} provinces, {result['communes_covered']}/"
             f"{result['communes_total']} communes"]
    for doc in result["national_documents"]:
        lines.append(f"  national: {_doc(doc)}")
    for province in result["covered_provinces"]:
        lines.append(f"  {province['province']} [{province['status']}]")
        lines += [f"    {_doc(d)}" for d in province["documents"]]
        for commune in province["communes"]:
            lines.append(f"    {commune['commune']} [{commune['status']}]: "
                         + ", ".join(_doc(d) for d in commune["documents"]))
    if result["unmatched_places"]:
        lines.append("  not in the 2025 gazetteer: " + ", ".join(result["unmatched_places"]))
    lines.append("provinces without: " + (", ".join(result["provinces_without"]) or "none"))
    missing = result["communes_without"]
    shown = ", ".join(f"{c['commune']} ({c['province']})" for c in missing["items"])
    lines.append(f"communes without: {missing['total']}" + (f", e.g. {shown}" if shown else ""))
    return "\n".join(lines)


def _doc(doc: dict[str, Any]) -> str:
    return f"{doc['label']}{' (stub)' if doc['stub'] else ''}"


def _format_gaps(result: dict[str, Any]) -> str:
    lines = [f"{result['plan']['label']}: {result['total_tasks']} tasks, "
             f"{len(result['without_carrying_task'])} with no carrying-out task"]
    for task in result["carried"]:
        lines.append(f"  carried  {task['label']} ← " + ", ".join(t["ref"] for t in task["carried_out_by"]))
    lines += [f"  gap      {task['label']}" for task in result["without_carrying_task"]]
    if result["implementing_documents"]:
        lines.append("implemented by: " + ", ".join(d["ref"] for d in result["implementing_documents"]))
    return "\n".join(lines)
