"""Trace-down from the root directive: the embedded store, Neo4j with its batched reads, and Neo4j
read one node at a time (the store interface's default, loop-based batched reads: what the query
cost before the Neo4j store answered them in Cypher). On copies of the samples as
bench/bench_neo4j_ingest.py builds them (copies share the national directives); runs against the
server named by CHIDAO_TEST_NEO4J_URI:

    .venv/bin/python scripts/neo4j_server.py run -- .venv/bin/python bench/bench_trace_down.py \
        [--copies 1 20 100] [--repeats 3] [--json]

On an existing embedded store (read only), pages of the answer one after another — first, next,
middle, last, first again — each timed in CPU and wall seconds, in a fresh process per setting:
`plain` (the store as it is: it freezes a big graph out of the collector's reach itself) and
`frozen` (gc.freeze() after loading whatever the size); then the store's walk alone, with the
edges' properties (`descendants`) and without (`descendant_keys`, what trace-down uses), and with
--check both compared with the interface's walk (GraphStore.descendants, one edges_in call per
node):

    .venv/bin/python bench/bench_trace_down.py --store /path/to/store [--ref 57-NQ/TW] \
        [--settings plain frozen] [--check] [--json]

The same pages through Neo4j, after copying an embedded store into the test server (as `chidao
push` does), with the time spent in each store call:

    .venv/bin/python scripts/neo4j_server.py run -- .venv/bin/python bench/bench_trace_down.py \
        --neo4j-from /path/to/store [--ref 57-NQ/TW] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
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
from queries.resolve import resolve  # noqa: E402

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


STORE_PAGES = ("first", "next", "middle", "last", "first again")


def cpu_timed(job) -> tuple[float, float, Any]:
    cpu, wall = time.process_time(), time.perf_counter()
    answer = job()
    return time.process_time() - cpu, time.perf_counter() - wall, answer


def store_setting(folder: str, ref: str, setting: str, check: bool) -> dict[str, Any]:
    """Open the store, then ask for the pages of STORE_PAGES in turn (this process's first
    queries: a CLI call pays what the first page costs here)."""
    load_cpu, load_wall, store = cpu_timed(lambda: EmbeddedStore(folder))
    if setting == "frozen":
        gc.freeze()
    row: dict[str, Any] = {"setting": setting, "load_cpu_s": load_cpu, "load_wall_s": load_wall,
                           "loadavg_before": os.getloadavg()[0], "pages": []}
    offsets = {"first": 0, "next": PAGE}
    for name in STORE_PAGES:
        offset = offsets.get(name, 0)
        cpu, wall, answer = cpu_timed(lambda: trace.trace_down(store, ref, offset=offset))  # noqa: B023
        total = answer["total_documents"]
        offsets.update(middle=total // 2, last=max(total - 1, 0) // PAGE * PAGE)
        row["pages"].append({"page": name, "offset": answer["offset"], "cpu_s": cpu, "wall_s": wall,
                             "shown": sum(len(g["documents"]) for g in answer["groups"])})
    row.update(documents=answer["total_documents"], tasks=answer["total_tasks"],
               provinces=len(answer["provinces"]))
    start, types = resolve(store, ref), trace.lineage_types()
    row["walk_cpu_s"], _, reached = cpu_timed(lambda: store.descendants(start, types))
    row["walk_without_props_cpu_s"], _, keys = cpu_timed(lambda: store.descendant_keys(start, types))
    if check:
        interface = GraphStore.descendants(store, start, types)
        row["same_descendants"] = list(reached.items()) == list(interface.items())
        row["same_descendant_keys"] = keys == {k: (d, (e.src, e.dst, e.type))
                                               for k, (d, e) in interface.items()}
    row["loadavg_after"] = os.getloadavg()[0]
    return row


def store_main(args: argparse.Namespace) -> int:
    """Each setting in its own process (the collector's state and the caches are per process)."""
    rows = []
    for setting in args.settings:
        command = [sys.executable, __file__, "--store", args.store, "--ref", args.ref, "--one", setting]
        if args.check:
            command.append("--check")
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        print(f"{row['setting']}: load {row['load_cpu_s']:.1f}s cpu; {row['documents']} documents, "
              f"{row['tasks']} tasks, {row['provinces']} provinces; load average "
              f"{row['loadavg_before']:.2f} → {row['loadavg_after']:.2f}"
              + (f"; same descendants {row['same_descendants']}, same keys {row['same_descendant_keys']}"
                 if "same_descendants" in row else ""))
        for page in row["pages"]:
            print(f"  {page['page']:<12} offset {page['offset']:>6}: {page['cpu_s']:7.3f}s cpu "
                  f"{page['wall_s']:7.3f}s wall, {page['shown']} documents shown")
        print(f"  store.descendants alone: {row['walk_cpu_s']:.3f}s cpu, store.descendant_keys "
              f"(no edge properties) {row['walk_without_props_cpu_s']:.3f}s cpu")
    return 0


class CallTimer(GraphStore):
    """A store seen through a stopwatch: CPU and wall seconds and calls per store method (the
    batched reads and the walk included), per page."""

    TIMED = ("node", "nodes_by_key", "edges_out", "edges_in", "edges_out_many", "edges_in_many",
             "descendants", "descendant_keys", "paths_up", "paths_down", "nodes")

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.calls: dict[str, list[float]] = {}

    def __getattribute__(self, name: str) -> Any:
        if name in CallTimer.TIMED:
            method = getattr(object.__getattribute__(self, "store"), name)
            calls = object.__getattribute__(self, "calls")

            def timed_call(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return method(*args, **kwargs)
                finally:
                    row = calls.setdefault(name, [0, 0.0])
                    row[0] += 1
                    row[1] += time.perf_counter() - started
            return timed_call
        return object.__getattribute__(self, name)

    def write(self, contributions: Iterable[Contribution]) -> None:
        self.store.write(contributions)

    def node(self, key: str) -> Node | None: ...  # timed through __getattribute__

    def nodes(self, kind: str | None = None) -> Iterator[Node]: ...

    def edges_out(self, key: str, types: Iterable[str] | None = None) -> list[Edge]: ...

    def edges_in(self, key: str, types: Iterable[str] | None = None) -> list[Edge]: ...

    def paths_up(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[GraphPath]: ...

    def paths_down(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[GraphPath]: ...

    def source_files(self) -> list[str]:
        return self.store.source_files()

    def taken(self) -> dict[str, dict[str, float]]:
        """{method: {calls, wall_s}} since the last call, then start again."""
        found = {name: {"calls": n, "wall_s": seconds} for name, (n, seconds) in sorted(self.calls.items())}
        self.calls.clear()
        return found


def neo4j_main(args: argparse.Namespace) -> int:
    """Copy the embedded store into the test server, then time the pages on both stores."""
    embedded = EmbeddedStore(args.neo4j_from)
    files = embedded.source_files()
    neo = neo4j_store()
    try:
        push_s = cpu_timed(lambda: neo.write(embedded.contribution(name) for name in files))[1]
        timer = CallTimer(neo)
        rows, offsets = [], {"first": 0, "next": PAGE}
        for name in STORE_PAGES:
            offset = offsets.get(name, 0)
            cpu, wall, found = cpu_timed(lambda: trace.trace_down(timer, args.ref, offset=offset))  # noqa: B023
            calls = timer.taken()
            expected = trace.trace_down(embedded, args.ref, offset=offset)
            total = found["total_documents"]
            offsets.update(middle=total // 2, last=max(total - 1, 0) // PAGE * PAGE)
            rows.append({"page": name, "offset": offset, "cpu_s": cpu, "wall_s": wall,
                         "same_answer": found == expected, "calls": calls})
    finally:
        neo.close()
    report = {"files": len(files), "push_s": push_s, "documents": found["total_documents"],
              "tasks": found["total_tasks"], "loadavg": os.getloadavg()[0], "pages": rows}
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(f"pushed {report['files']} files in {push_s:.0f}s; {report['documents']} documents, "
          f"{report['tasks']} tasks below {args.ref}; load average {report['loadavg']:.2f}")
    for row in rows:
        print(f"  {row['page']:<12} offset {row['offset']:>6}: {row['cpu_s']:7.3f}s cpu "
              f"{row['wall_s']:7.3f}s wall, same answer {row['same_answer']}")
        for method, spent in row["calls"].items():
            print(f"      {method:<16} {spent['calls']:>6} calls {spent['wall_s']:8.3f}s")
    return 0


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
    parser.add_argument("--store", help="an embedded store folder, read only: time its pages instead")
    parser.add_argument("--ref", default="57-NQ/TW", help="the directive traced down (--store)")
    parser.add_argument("--settings", nargs="+", choices=("plain", "frozen"), default=["plain", "frozen"])
    parser.add_argument("--check", action="store_true",
                        help="check the store's walks against GraphStore.descendants (--store)")
    parser.add_argument("--neo4j-from", metavar="STORE",
                        help="copy this embedded store into the test server and time the pages there")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # one setting, in this process, as JSON
    args = parser.parse_args(argv)
    if args.store and args.one:
        print(json.dumps(store_setting(args.store, args.ref, args.one, args.check)))
        return 0
    if args.store:
        return store_main(args)
    if args.neo4j_from:
        return neo4j_main(args)
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
