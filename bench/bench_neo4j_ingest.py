"""Ingest and lineage time: the embedded store against Neo4j, on the samples and on copies of them,
or on a whole embedded store (a generated national corpus, `--store`).

The five samples are extracted once; copy i of a file renames every node that is not a national
document (its own plan, tasks, units, places, provincial references) with a `~i` suffix, so the
copies share the central directives (57-NQ/TW, 71/NQ-CP …) as a real national graph does: hubs
with thousands of incoming edges. Runs against the server named by CHIDAO_TEST_NEO4J_URI:

    .venv/bin/python scripts/neo4j_server.py run -- .venv/bin/python bench/bench_neo4j_ingest.py \
        [--copies 1 200] [--json]

With `--store DIR` the files of the embedded store at DIR are written as bench/bench_national.py
writes them (central and province plans first, 250 files a call), then trace-up is timed from
random commune tasks: the store's walk (`paths_up`) and the full query (`queries.trace.trace_up`).
`--keep` writes into the database as it is (no wipe), `--no-write` only queries it; the load
average is reported next to the timings (other work shares the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.build import build_contribution  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.model import DOCUMENT, LINEAGE_TYPES, NATIONAL, TASK, Contribution, Edge, Node  # noqa: E402
from graph.neo4j_store import Neo4jStore  # noqa: E402
from ingest.extract import extract_file  # noqa: E402
from queries import trace  # noqa: E402

WRITE_CALL = 250  # files a write call, as bench/bench_national.py writes them


def samples() -> list[Contribution]:
    return [build_contribution(extract_file(p)) for p in sorted((ROOT / "data" / "samples").glob("*.txt"))]


def shared(node: Node) -> bool:
    return node.kind == DOCUMENT and node.props.get("jurisdiction") == NATIONAL


def copy_of(contribution: Contribution, i: int) -> Contribution:
    if i == 0:
        return contribution
    keep = {n.key for n in contribution.nodes if shared(n)}

    def rename(key: str) -> str:
        return key if key in keep else f"{key}~{i}"

    file = f"{contribution.source_file}~{i}"
    nodes = [Node(rename(n.key), n.kind, n.props) for n in contribution.nodes]
    edges = [Edge(rename(e.src), rename(e.dst), e.type, e.props) for e in contribution.edges]
    return Contribution(file, nodes, edges)


def timed(job) -> float:
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def neo4j_store(wipe: bool = True) -> Neo4jStore:
    uri = os.environ.get("CHIDAO_TEST_NEO4J_URI")
    if not uri:
        sys.exit("CHIDAO_TEST_NEO4J_URI is not set: run under scripts/neo4j_server.py run -- …")
    store = Neo4jStore(uri, os.environ.get("CHIDAO_TEST_NEO4J_USER"),
                       os.environ.get("CHIDAO_TEST_NEO4J_PASSWORD"))
    if wipe:  # a bench database starts empty
        with store._driver.session(database=store.database) as session:  # implicit: batched
            session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    return store


def run(copies: int, base: list[Contribution]) -> dict:
    contributions = [copy_of(c, i) for i in range(copies) for c in base]
    nodes = sum(len(c.nodes) for c in contributions)
    edges = sum(len(c.edges) for c in contributions)
    with tempfile.TemporaryDirectory() as folder:
        embedded = EmbeddedStore(folder)
        neo = neo4j_store()
        try:
            row = {"files": len(contributions), "node_rows": nodes, "edge_rows": edges,
                   "embedded_write_s": timed(lambda: embedded.write(contributions)),
                   "neo4j_write_s": timed(lambda: neo.write(contributions)),
                   "neo4j_rewrite_5_s": timed(lambda: neo.write(contributions[:5]))}
            docs = [n.key for n in embedded.nodes(DOCUMENT)][:50]
            row["embedded_paths_50_s"] = timed(lambda: [embedded.paths_down(k, LINEAGE_TYPES) for k in docs])
            row["neo4j_paths_50_s"] = timed(lambda: [neo.paths_down(k, LINEAGE_TYPES) for k in docs])
        finally:
            neo.close()
    return row


# -- a whole embedded store --------------------------------------------------------------------


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": pick(0.5) * 1e3, "p99_ms": pick(0.99) * 1e3,
            "max_ms": ordered[-1] * 1e3}


def write_store(neo: Neo4jStore, source: EmbeddedStore, limit: int | None, budget: float) -> dict:
    """Write the source's files (central and province plans first) within `budget` seconds."""
    files = sorted(source.source_files(), key=lambda f: (Path(f).name.startswith("c"), f))[:limit]
    started, written, before = time.perf_counter(), 0, load()
    for start in range(0, len(files), WRITE_CALL):
        batch = files[start:start + WRITE_CALL]
        neo.write([source.contribution(f) for f in batch])
        written += len(batch)
        seconds = time.perf_counter() - started
        print(f"  {written:>6} files {seconds:7.1f} s  {written / seconds:6.1f} files/s  load {load()}",
              file=sys.stderr, flush=True)
        if seconds > budget:
            break
    seconds = time.perf_counter() - started
    return {"files_written": written, "files": len(files), "write_s": seconds,
            "files_per_s": written / seconds, "load_before": before, "load_after": load()}


def commune_tasks(neo: Neo4jStore, source: EmbeddedStore, count: int, seed: int) -> list[str]:
    """Random tasks of commune plans that the Neo4j store holds."""
    plans = {n.key for n in source.nodes(DOCUMENT) if n.props.get("level") == "commune"}
    keys = sorted(n.key for n in source.nodes(TASK)
                  if n.key.removeprefix("task:").rsplit("#", 1)[0] in plans)
    rng = random.Random(seed)
    picked = [rng.choice(keys) for _ in range(count * 2)] if keys else []
    present = neo.nodes_by_key(picked)
    return [k for k in picked if k in present][:count]


def time_each(keys: list[str], job) -> list[float]:
    times = []
    for key in keys:
        started = time.perf_counter()
        job(key)
        times.append(time.perf_counter() - started)
    return times


def query_store(neo: Neo4jStore, tasks: list[str]) -> dict:
    types = trace.lineage_types()
    for key in tasks[:20]:  # plans cached, connections open
        trace.trace_up(neo, key)
    before = load()
    walk = time_each(tasks, lambda k: neo.paths_up(k, types))
    full = time_each(tasks, lambda k: trace.trace_up(neo, k))
    return {"walk": percentiles(walk), "trace_up": percentiles(full), "load_before": before,
            "load_after": load()}


def run_store(args: argparse.Namespace) -> dict:
    source = EmbeddedStore(args.store)
    neo = neo4j_store(wipe=not (args.keep or args.no_write))
    try:
        row: dict = {"store": str(args.store)}
        if not args.no_write:
            row["write"] = write_store(neo, source, args.files, args.budget)
        tasks = commune_tasks(neo, source, args.tasks, args.seed)
        row["query"] = query_store(neo, tasks) if tasks else {"skipped": "no commune task stored"}
    finally:
        neo.close()
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--store", type=Path, help="write this embedded store's files instead")
    parser.add_argument("--files", type=int, help="with --store: write only the first N files")
    parser.add_argument("--budget", type=float, default=3600.0, help="with --store: stop writing after S s")
    parser.add_argument("--keep", action="store_true", help="with --store: do not wipe the database")
    parser.add_argument("--no-write", action="store_true", help="with --store: only query")
    parser.add_argument("--tasks", type=int, default=500, help="with --store: trace-up from N tasks")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.store is not None:
        print(json.dumps(run_store(args), indent=2))
        return 0
    base = samples()
    rows = [run(copies, base) for copies in args.copies]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'files':>6} {'nodes':>7} {'edges':>7} {'embedded':>9} {'neo4j':>8} {'re-5':>6} "
          f"{'paths emb':>9} {'paths neo':>9}")
    for r in rows:
        print(f"{r['files']:>6} {r['node_rows']:>7} {r['edge_rows']:>7} {r['embedded_write_s']:>8.2f}s "
              f"{r['neo4j_write_s']:>7.2f}s {r['neo4j_rewrite_5_s']:>5.2f}s "
              f"{r['embedded_paths_50_s']:>8.3f}s {r['neo4j_paths_50_s']:>8.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
