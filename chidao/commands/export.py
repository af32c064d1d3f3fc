"""`chidao export --format ttl|jsonld|csv [-o PATH]`: the whole graph as RDF (ELI, W3C ORG, PROV-O,
P-Plan, OWL-Time; see docs/rdf.md) or as spreadsheet tables; `chidao import-rdf FILE` reads an
RDF export back into the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chidao.common import CommandError, run, store_from
from queries.csv_export import CsvExportError, write_csv
from queries.rdf_export import BASE, ExportError, export_rdf
from queries.rdf_import import RdfImportError, import_rdf

FORMATS = ("ttl", "jsonld", "csv")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="write the graph as Turtle, JSON-LD or CSV tables",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--format", choices=FORMATS, default="ttl", help="output format (default ttl)")
    parser.add_argument("-o", "--output", type=Path, metavar="PATH",
                        help="output file (RDF; default standard output), or folder / .zip (csv)")
    parser.add_argument("--base", default=BASE, help=f"base of the node IRIs (default {BASE})")
    parser.set_defaults(func=run(export_command))
    importer = subparsers.add_parser("import-rdf", help="read a Turtle or JSON-LD export into the store",
                                     description="Read an RDF export (chidao export) into the store; "
                                                 "each source file's contribution is replaced.")
    importer.add_argument("file", type=Path, metavar="FILE", help="a .ttl or .jsonld export")
    importer.add_argument("--format", choices=("ttl", "jsonld"), help="default: from the file suffix")
    importer.set_defaults(func=run(import_command))


def export_command(args: argparse.Namespace) -> int:
    if not args.base.endswith(("/", "#")):
        raise CommandError(f"--base {args.base!r} must end with / or #", code=2)
    store = store_from(args)
    try:
        if args.format == "csv":
            return export_csv(store, args.output)
        text = export_rdf(store, args.format, args.base)
    except (ExportError, CsvExportError) as exc:
        raise CommandError(str(exc)) from exc
    finally:
        store.close()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{args.output}: cannot write: {exc.strerror or exc}") from exc
    print(f"wrote {args.output} ({len(text.encode('utf-8'))} bytes)", file=sys.stderr)
    return 0


def export_csv(store, output: Path | None) -> int:
    if output is None:
        raise CommandError("--format csv needs -o FOLDER or -o FILE.zip", code=2)
    names = write_csv(store, output)
    print(f"wrote {', '.join(names)} to {output}", file=sys.stderr)
    return 0


def import_command(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        nodes, edges = import_rdf(store, args.file, args.format)
    except RdfImportError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"cannot write the store: {exc}; nothing was changed", code=2) from exc
    finally:
        store.close()
    print(f"imported {nodes} nodes and {edges} edges from {args.file}")
    return 0
