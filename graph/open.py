"""Open the store the settings name: the embedded one, or Neo4j for a `neo4j://`/`bolt://` URI."""

from __future__ import annotations

import importlib
from pathlib import Path

from graph.store import GraphStore

_NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")


class StoreUnavailable(Exception):
    """The requested store cannot be opened (unknown URI scheme, missing driver or module)."""


def open_store(data_dir: Path, uri: str | None = None) -> GraphStore:
    """The embedded store under `data_dir` when `uri` is None, else the Neo4j store at `uri`."""
    if not uri:
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(data_dir)
    if not uri.startswith(_NEO4J_SCHEMES):
        raise StoreUnavailable(f"unknown store URI {uri!r}: expected neo4j://… or bolt://…")
    try:
        module = importlib.import_module("graph.neo4j_store")
    except ImportError as exc:
        raise StoreUnavailable(f"the Neo4j store is not available ({exc}); "
                               "omit --store to use the embedded store") from exc
    store_class = getattr(module, "Neo4jStore", None)
    if store_class is None:
        raise StoreUnavailable("graph.neo4j_store has no Neo4jStore class")
    return store_class(uri)
