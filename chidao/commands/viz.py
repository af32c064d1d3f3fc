"""`chidao viz [ID] -o FILE.html`: one graph view as a self-contained page (assets inlined, no
network access needed to open it): the lineage of a document or task, a unit's tasks, or with no
ID the overview of directives and plans."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from chidao.common import CommandError, run, store_from
from graph.model import AGENCY
from queries.resolve import Ambiguous, NotFound, resolve
from viz import views
from viz.assets import MissingAsset
from viz.render import RenderOptions, render


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("viz", help="write an interactive graph page (self-contained HTML)",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("id", metavar="ID", nargs="?",
                        help="document id, task (667/KH-UBND#II.8), unit name or node key; none: overview")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.html", help="page to write")
    parser.add_argument("--unit", action="store_true", help="ID names a unit: show its tasks")
    parser.add_argument("--expand", action="store_true",
                        help="draw every task and unit from the start instead of folding large views")
    parser.set_defaults(func=run(viz_command))


def viz_command(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        view = _view(store, args.id, args.unit)
        started = time.perf_counter()
        page = render(view, RenderOptions(inline=True, link_base=None, expand=args.expand))
    except MissingAsset as exc:
        raise CommandError(str(exc), code=2) from exc
    finally:
        store.close()
    output = Path(args.output)
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{output}: cannot write ({exc.strerror or exc})") from exc
    elapsed = time.perf_counter() - started
    print(f"{output}: {view.title} — {len(view.nodes)} nodes, {len(view.edges)} edges "
          f"({len(page) // 1024} KiB, {elapsed:.2f} s)")
    return 0


def _view(store, ref: str | None, unit: bool) -> views.View:
    if not ref:
        return views.overview(store)
    try:
        key = resolve(store, ref, AGENCY if unit else None)
    except NotFound as exc:
        hint = f"; did you mean: {', '.join(exc.suggestions)}" if exc.suggestions else ""
        raise CommandError(f"{exc}{hint}") from exc
    except Ambiguous as exc:
        raise CommandError(f"{exc}: {', '.join(exc.candidates)}") from exc
    return views.unit(store, key) if unit else views.for_node(store, key)
