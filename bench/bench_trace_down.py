"""Trace-down from the root directive: the embedded store, Neo4j with its batched reads, and Neo4j
read one node at a time (the store interface's default, loop-based batched reads: what the query
cost before the Neo4j store answered them in Cypher). On copies of the samples as
bench/bench_neo4j_ingest.py builds them (copies share the national directives); runs against the
server named by CHIDAO_TEST_NEO4J_URI:

    .venv/bin/python scripts/neo4j_server.py run -- .venv/bin/python bench/bench_trace_down.py \
        [--copies 1 20 100] [--repeats 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_neo4j_ingest import copy_of, neo4j_store, samples  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.model import DOCUMENT, IMPLEMENTS, Contribution, Edge, Node  # noqa: E402
from graph.model import Path as GraphPath  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from queries import trace  # noqa: E402

PAGE = 50  # the CLI's and the API's default page of documents


class OneByOne(GraphStore):
    """A store seen only through its per-node reads: every batched read falls back to loops."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def write(self, contributions: Iterable[Contribution]) -> None:
        self.store.write(contributions)

    def node(self, key: str) -> Node | None:
        return self.store.node(key)

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        return self.store.nodes(kind)

    def edges_out(self, key: str, types: Iterable[str] | None = None) -> list[Edge]:
        return self.store.edges_out(key, types)

    def edges_in(self, key: str, types: Iterable[str] | None = None) -> list[Edge]:
        return self.store.edges_in(key, types)

    def paths_up(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[GraphPath]:
        return self.store.paths_up(key, types, max_depth)

    def paths_down(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[GraphPath]:
        return self.store.paths_down(key, types, max_depth)

    def source_files(self) -> list[str]:
        return self.store.source_files()


def timed(job, repeats: int) -> tuple[float, Any]:
    times, answer = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        answer = job()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def root_of(store: EmbeddedStore) -> str:
    """The document most others implement (57-NQ/TW in the samples)."""
    documents = [n.key for n in store.nodes(DOCUMENT)]
    return max(documents, key=lambda k: (len(store.edges_in(k, [IMPLEMENTS])), k))


def run(copies: int, base: list[Contribution], repeats: int) -> dict[str, Any]:
    contributions = [copy_of(c, i) for i in range(copies) for c in base]
    with tempfile.TemporaryDirectory() as folder:
        embedded = EmbeddedStore(folder)
        embedded.write(contributions)
        neo = neo4j_store()
        try:
            neo.write(contributions)
            root = root_of(embedded)
            row: dict[str, Any] = {"copies": copies, "root": root}
            everything = sum(1 for _ in embedded.nodes(DOCUMENT))
            trace.trace_down(neo, root)  # the first call plans the queries
            for page, limit in (("page", PAGE), ("all", everything)):
                row[page] = measure(embedded, neo, root, limit, repeats)
        finally:
            neo.close()
    return row


def measure(embedded: EmbeddedStore, neo: GraphStore, root: str, limit: int, repeats: int) -> dict[str, Any]:
    """Trace-down from `root` with `limit` documents spelled out, on each store."""
    down = lambda store: trace.trace_down(store, root, limit=limit)  # noqa: E731
    embedded_s, expected = timed(lambda: down(embedded), repeats)
    neo4j_s, found = timed(lambda: down(neo), repeats)
    one_by_one_s, slow = timed(lambda: down(OneByOne(neo)), 1)
    shown = sum(len(g["documents"]) for g in expected["groups"])
    return {"documents": expected["total_documents"], "tasks": expected["total_tasks"], "shown": shown,
            "same_answer": found == expected == slow, "embedded_s": embedded_s, "neo4j_s": neo4j_s,
            "neo4j_one_by_one_s": one_by_one_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 20, 100])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    base = samples()
    rows = [run(copies, base, args.repeats) for copies in args.copies]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print(f"{'copies':>6} {'docs':>6} {'tasks':>6} {'shown':>6} {'embedded':>9} {'neo4j':>8} "
          f"{'one by one':>10} same")
    for row in rows:
        for page in ("page", "all"):
            r = row[page]
            print(f"{row['copies']:>6} {r['documents']:>6} {r['tasks']:>6} {r['shown']:>6} "
                  f"{r['embedded_s']:>8.3f}s {r['neo4j_s']:>7.3f}s {r['neo4j_one_by_one_s']:>9.3f}s "
                  f"{r['same_answer']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
