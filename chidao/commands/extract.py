"""`chidao extract FILE… --json`: the record of each document (self, references, tasks, links).

One JSON object for one file, a JSON array for several. A file that cannot be read gives one line
on stderr naming the file, the line when one applies, and the reason; the exit code is then 1.
"""

from __future__ import annotations

import argparse
import json
import sys

from ingest.errors import InputError
from ingest.extract import extract_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("extract", help="extract ids, references and tasks from documents",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help="text files (UTF-8 or UTF-16)")
    parser.add_argument("--json", action="store_true",
                        help="print JSON (the only output format; accepted for clarity)")
    parser.add_argument("--indent", type=int, default=None, help="indent the JSON by N spaces")
    parser.set_defaults(func=extract_command)


def extract_command(args: argparse.Namespace) -> int:
    records = []
    failed = False
    for name in args.files:
        try:
            record = extract_file(name)
        except InputError as exc:
            print(f"chidao extract: {exc}", file=sys.stderr)
            failed = True
            continue
        for warning in record.get("warnings", []):
            print(f"chidao extract: {name}: {warning}", file=sys.stderr)
        records.append(record)
    if failed:
        return 1
    out = records[0] if len(records) == 1 else records
    json.dump(out, sys.stdout, ensure_ascii=False, indent=args.indent)
    sys.stdout.write("\n")
    return 0
