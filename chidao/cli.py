"""The `chidao` command line: one sub-command per module in `chidao/commands/`.

Each command module exposes `register(subparsers)`, which adds its parser and sets
`func(args) -> int` as the handler. Errors the user can fix are printed as one clear
line (file, line, reason) and give exit code 1 or 2; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from chidao import commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chidao",
        description="Knowledge graph of Vietnamese directives, plans, tasks and units.",
    )
    parser.add_argument("--data", help="embedded store folder (default ./.chidao, or CHIDAO_DATA)")
    parser.add_argument("--store", help="neo4j://… or bolt://… store URI (or CHIDAO_STORE); default embedded")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"chidao.commands.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
