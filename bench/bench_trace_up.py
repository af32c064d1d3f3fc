"""Trace-up latency on an existing embedded store (read only): `queries.trace.trace_up` of random
commune tasks (bench/bench_national.py's commune_tasks), each call timed in CPU and wall
milliseconds, p50/p99 of each, with a digest of the answers (the same digest before and after a
change to the store: the same answers):

    .venv/bin/python bench/bench_trace_up.py --store /path/to/store [--count 1000] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_national import commune_tasks  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from queries import trace  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(store: EmbeddedStore, tasks: list[str]) -> dict[str, Any]:
    cpu_ms, wall_ms = [], []
    digest = hashlib.sha256()
    for key in tasks:
        cpu, wall = time.process_time_ns(), time.perf_counter_ns()
        answer = trace.trace_up(store, key)
        cpu_ms.append((time.process_time_ns() - cpu) / 1e6)
        wall_ms.append((time.perf_counter_ns() - wall) / 1e6)
        digest.update(json.dumps(answer, sort_keys=True, ensure_ascii=False, default=str).encode())
    return {"calls": len(tasks), "cpu_p50_ms": percentile(cpu_ms, 0.5),
            "cpu_p99_ms": percentile(cpu_ms, 0.99), "cpu_mean_ms": statistics.fmean(cpu_ms),
            "wall_p50_ms": percentile(wall_ms, 0.5),
            "wall_p99_ms": percentile(wall_ms, 0.99), "answers_sha256": digest.hexdigest()[:16]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    store = EmbeddedStore(args.store)
    tasks = commune_tasks(store, args.count, args.seed)
    measure(store, tasks[:50])  # warm: the first calls fill the store's and the queries' caches
    row = {"loadavg_before": os.getloadavg()[0], **measure(store, tasks),
           "loadavg_after": os.getloadavg()[0]}
    if args.json:
        print(json.dumps(row))
        return 0
    print(f"trace_up over {row['calls']} commune tasks: cpu p50 {row['cpu_p50_ms']:.3f} ms, p99 "
          f"{row['cpu_p99_ms']:.3f} ms (mean {row['cpu_mean_ms']:.3f}); wall p50 "
          f"{row['wall_p50_ms']:.3f} ms, "
          f"p99 {row['wall_p99_ms']:.3f} ms; load average {row['loadavg_before']:.2f} → "
          f"{row['loadavg_after']:.2f}; answers {row['answers_sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
