"""`chidao align`: derive task-level lineage over the stored graph — CARRIES_OUT (a task carries
out a task, or a cited document, of what its plan implements) and COUNTERPART_OF (the same task in
another place). `chidao ingest` runs it after writing; re-running replaces the previous result."""

from __future__ import annotations

import argparse

from chidao.common import CommandError, run, store_from
from graph.align import AlignSettings, run_alignment


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("align", help="derive CARRIES_OUT and COUNTERPART_OF between tasks",
                                   description=__doc__.split("\n\n", 1)[0])
    defaults = AlignSettings()
    parser.add_argument("--threshold", type=float, default=defaults.threshold, metavar="S",
                        help=f"lowest score kept for a match (default {defaults.threshold})")
    parser.set_defaults(func=run(align_command))


def align_command(args: argparse.Namespace) -> int:
    if not 0.0 < args.threshold <= 1.0:
        raise CommandError(f"--threshold must be in (0, 1], not {args.threshold}")
    store = store_from(args)
    settings = AlignSettings(threshold=args.threshold,
                             mutual_threshold=min(args.threshold, AlignSettings().mutual_threshold))
    try:
        print(run_alignment(store, settings))
    except OSError as exc:
        raise CommandError(f"cannot write the store: {exc}", code=2) from exc
    return 0
