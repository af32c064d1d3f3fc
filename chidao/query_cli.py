"""What the query sub-commands share: `--json`, and lookup errors as one line with suggestions."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from chidao.common import CommandError, run, store_from
from graph.store import GraphStore
from queries.resolve import Ambiguous, NotFound

Query = Callable[[GraphStore, argparse.Namespace], dict[str, Any]]
Formatter = Callable[[dict[str, Any]], str]


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def query_command(query: Query, formatter: Formatter):
    """A handler that runs `query` on the store and prints text (or JSON with --json)."""

    def handler(args: argparse.Namespace) -> int:
        store = store_from(args)
        try:
            result = query(store, args)
        except NotFound as exc:
            hint = f"; did you mean: {', '.join(exc.suggestions)}" if exc.suggestions else ""
            raise CommandError(f"{exc}{hint}") from exc
        except Ambiguous as exc:
            raise CommandError(f"{exc}: {', '.join(exc.candidates)}") from exc
        finally:
            store.close()
        print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else formatter(result))
        return 0

    return run(handler)


def evidence_text(step: dict[str, Any], limit: int = 2) -> list[str]:
    return [f"      {e['file'].rsplit('/', 1)[-1]}:{e['line']}: {e['raw']}" for e in step["evidence"][:limit]]
