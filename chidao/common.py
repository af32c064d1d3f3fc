"""Helpers the sub-commands share: opening the store the global options name, printing errors."""

from __future__ import annotations

import argparse
import sys

from chidao import settings
from graph.embedded import StoreError
from graph.open import StoreUnavailable, open_store
from graph.store import GraphStore


class CommandError(Exception):
    """An error the user can fix; printed as one line, exit code `code`."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def store_from(args: argparse.Namespace) -> GraphStore:
    """The store of `--data`/`--store` (or CHIDAO_DATA/CHIDAO_STORE); a clear error if unusable."""
    try:
        store = open_store(settings.data_dir(getattr(args, "data", None)),
                           settings.store_uri(getattr(args, "store", None)))
    except (StoreError, StoreUnavailable) as exc:
        raise CommandError(str(exc), code=2) from exc
    args.opened_stores = [*getattr(args, "opened_stores", []), store]
    return store


def run(handler):
    """Wrap a command handler: CommandError becomes `chidao COMMAND: message` and its exit code,
    and the stores the handler opened are closed (a Neo4j driver holds connections)."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return int(handler(args) or 0)
        except CommandError as exc:
            print(f"chidao {args.command}: {exc}", file=sys.stderr)
            return exc.code
        finally:
            for store in getattr(args, "opened_stores", []):
                store.close()

    return wrapped
