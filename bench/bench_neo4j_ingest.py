"""Ingest and lineage time: the embedded store against Neo4j, on the samples and on copies of them.

The five samples are extracted once; copy i of a file renames every node that is not a national
document (its own plan, tasks, units, places, provincial references) with a `~i` suffix, so the
copies share the central directives (57-NQ/TW, 71/NQ-CP …) as a real national graph does: hubs
with thousands of incoming edges. Runs against the server named by CHIDAO_TEST_NEO4J_URI:

    .venv/bin/python scripts/neo4j_server.py run -- .venv/bin/python bench/bench_neo4j_ingest.py \
        [--copies 1 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.build import build_contribution  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.model import DOCUMENT, LINEAGE_TYPES, NATIONAL, Contribution, Edge, Node  # noqa: E402
from graph.neo4j_store import Neo4jStore  # noqa: E402
from ingest.extract import extract_file  # noqa: E402


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


def neo4j_store() -> Neo4jStore:
    uri = os.environ.get("CHIDAO_TEST_NEO4J_URI")
    if not uri:
        sys.exit("CHIDAO_TEST_NEO4J_URI is not set: run under scripts/neo4j_server.py run -- …")
    store = Neo4jStore(uri, os.environ.get("CHIDAO_TEST_NEO4J_USER"),
                       os.environ.get("CHIDAO_TEST_NEO4J_PASSWORD"))
    store._driver.execute_query("MATCH (n) DETACH DELETE n")  # a bench database starts empty
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
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
