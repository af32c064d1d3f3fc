"""Latency of the lineage queries and API endpoints on a store scaled up from the samples.

The five samples are extracted once; the commune plan (667/KH-UBND) is then copied into N
communes of the 2025 gazetteer (a new number and commune each, same references and tasks), so
57-NQ/TW gets N + 4 documents below it, each with its tasks and units. Each query is timed as the
best of `--repeat` runs on the embedded store.

    .venv/bin/python bench/bench_queries.py [--communes 1000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from graph.build import build_contribution  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from ingest.extract import extract_file  # noqa: E402
from queries import coverage, explain, search, trace, unresolved, workload  # noqa: E402
from queries.places import communes  # noqa: E402


def records() -> list[dict]:
    return [extract_file(p) for p in sorted((ROOT / "data" / "samples").glob("*.txt"))]


def commune_copies(template: dict, count: int) -> list[dict]:
    """`template` (a commune plan) re-issued by `count` other communes."""
    out = []
    for index, unit in enumerate(communes()[:count]):
        record = copy.deepcopy(template)
        record["file"] = f"copy-{index:05d}.txt"
        me = record["self"]
        me["id"] = f"{1000 + index}/KH-UBND"
        me["jurisdiction"], me["province"] = unit.name, unit.province
        out.append(record)
    return out


def build(folder: Path, count: int) -> tuple[EmbeddedStore, float]:
    base = records()
    commune_plan = next(r for r in base if r["self"].get("level") == "commune" and r["tasks"])
    every = base + commune_copies(commune_plan, count)
    started = time.perf_counter()
    store = EmbeddedStore(folder)
    store.write([build_contribution(r, source_file=r["file"]) for r in every])
    return store, time.perf_counter() - started


def best_of(repeat: int, job: Callable[[], object]) -> float:
    job()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return min(times)


def jobs(store: EmbeddedStore, client: TestClient) -> dict[str, Callable[[], object]]:
    task = "1000/KH-UBND#8" if store.node("doc:1000/KH-UBND@" + communes()[0].name) else "667/KH-UBND#8"
    return {
        "trace_up(task, cites)": lambda: trace.trace_up(store, task, cites=True),
        "trace_down(57-NQ/TW, page 50)": lambda: trace.trace_down(store, "57-NQ/TW"),
        "coverage(07-TB/CQTTBCĐ)": lambda: coverage.coverage(store, "07-TB/CQTTBCĐ"),
        "search('cong an xa')": lambda: search.search(store, "cong an xa"),
        "workload('Công an xã')": lambda: workload.workload(store, "Công an xã"),
        "unresolved(page 50)": lambda: unresolved.unresolved(store),
        "explain(52/KH-BCĐ, 667/KH-UBND)": lambda: explain.explain(store, "52/KH-BCĐ", "667/KH-UBND"),
        "GET /documents/57-NQ~TW": lambda: client.get("/documents/57-NQ~TW").raise_for_status(),
        "GET /trace/down?ref=57-NQ/TW": lambda: client.get("/trace/down", params={"ref": "57-NQ/TW"}
                                                           ).raise_for_status(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--communes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chidao-bench-") as folder:
        store, write_seconds = build(Path(folder), args.communes)
        nodes = sum(1 for _ in store.nodes())
        with TestClient(create_app(lambda: store)) as client:
            results = {name: best_of(args.repeat, job) for name, job in jobs(store, client).items()}
    if args.json:
        print(json.dumps({"communes": args.communes, "nodes": nodes, "write_seconds": write_seconds,
                          "seconds": results}, indent=2))
        return 0
    print(f"{args.communes} commune copies, {nodes} nodes, store written in {write_seconds:.1f} s")
    for name, seconds in results.items():
        print(f"  {seconds * 1000:9.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
