"""The alignment's memory and time on an existing embedded store (read only: nothing is written):
this process's peak RSS after opening the store and after `graph.align.align`, the CPU seconds it
took, and a digest of the derived edges (the same digest: the same alignment):

    .venv/bin/python bench/bench_align_memory.py DATA_DIR [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.align import align  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    store = EmbeddedStore(args.data)
    opened = peak_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    derived = align(store)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    edges = sorted((e.src, e.dst, e.type, round(float(e.props.get("score") or 0), 9),
                    json.dumps(e.props, sort_keys=True, ensure_ascii=False, default=str))
                   for e in derived.edges)
    row = {"peak_after_open_mb": opened, "peak_after_align_mb": peak_mb(), "align_cpu_s": cpu,
           "align_wall_s": wall, "edges": len(edges), "loadavg": os.getloadavg()[0],
           "edges_sha256": hashlib.sha256(json.dumps(edges, ensure_ascii=False).encode()).hexdigest()[:16]}
    print(json.dumps(row) if args.json else
          f"peak RSS {row['peak_after_open_mb']:.0f} MB opened → {row['peak_after_align_mb']:.0f} MB after "
          f"aligning ({row['align_cpu_s']:.1f}s cpu, {row['align_wall_s']:.1f}s wall, load "
          f"{row['loadavg']:.2f}); {row['edges']} edges, digest {row['edges_sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
