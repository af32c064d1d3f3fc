"""`chidao units [NAME] [--place NAME]`: units (cơ quan, đơn vị) with the tasks they lead
(chủ trì) and support (phối hợp); names and places match without accents or case."""

from __future__ import annotations

import argparse

from chidao.common import run, store_from
from graph.lookup import in_place, unit_matches
from graph.model import AGENCY, ISSUED_BY, LED_BY, SUPPORTED_BY, Node
from graph.store import GraphStore
from ingest.text import fold


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("units", help="units with the tasks they lead and support",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("name", nargs="?", help="part of a unit name, accents optional")
    parser.add_argument("--place", metavar="NAME", help="only units of this province or commune")
    parser.add_argument("--all", action="store_true", help="also units that only issue documents")
    parser.set_defaults(func=run(units_command))


def units_command(args: argparse.Namespace) -> int:
    store = store_from(args)
    rows = []
    for unit in store.nodes(AGENCY):
        if args.place and not in_place(unit, args.place):
            continue
        if args.name and not unit_matches(unit, args.name):
            continue
        counts = role_counts(store, unit)
        if args.all or counts[0] or counts[1]:
            rows.append((unit, counts))
    if not rows:
        print("no unit matches")
        return 0
    rows.sort(key=lambda row: (fold(str(row[0].props.get("jurisdiction") or "")),
                               fold(str(row[0].props.get("name") or ""))))
    print(f"{'lead':>5} {'support':>7} {'issued':>6}  unit (jurisdiction)")
    for unit, (lead, support, issued) in rows:
        print(f"{lead:>5} {support:>7} {issued:>6}  {unit.props.get('name')} "
              f"({unit.props.get('jurisdiction')})")
    return 0


def role_counts(store: GraphStore, unit: Node) -> tuple[int, int, int]:
    incoming = store.edges_in(unit.key, [LED_BY, SUPPORTED_BY, ISSUED_BY])
    return (sum(e.type == LED_BY for e in incoming), sum(e.type == SUPPORTED_BY for e in incoming),
            sum(e.type == ISSUED_BY for e in incoming))
