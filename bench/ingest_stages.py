"""`chidao ingest -j N` in its three stages, each timed: extraction (worker processes), the store
write, and the task alignment that follows every ingest (graph/align.py). The store takes the
contributions as they are extracted (as `chidao ingest` does), so "extract" is the time spent
waiting for the workers and "write" the rest of the write call. Prints one JSON line per stage as
it finishes (extract and write together), with this process's peak RSS so far.

    .venv/bin/python bench/ingest_stages.py DATA_DIR CORPUS_DIR [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chidao.commands.ingest import Outcome, collect_files, extract_each, load_extractor  # noqa: E402
from graph.align import run_alignment  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from graph.model import Contribution  # noqa: E402


def emit(stage: str, seconds: float, **extra: object) -> None:
    print(json.dumps({"stage": stage, "seconds": seconds, **extra}), flush=True)


def timed(items: Iterator[Contribution], clock: list[float]) -> Iterator[Contribution]:
    """Pass `items` through, adding to clock[0] the time spent waiting for each."""
    while True:
        started = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            clock[0] += time.perf_counter() - started
            return
        clock[0] += time.perf_counter() - started
        yield item


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    files, _ = collect_files([args.corpus])
    outcome = Outcome()
    extracting = [0.0]
    started = time.perf_counter()
    store = EmbeddedStore(args.data)
    store.write(timed(extract_each(files, load_extractor(), False, args.jobs, outcome), extracting))
    total = time.perf_counter() - started
    emit("extract", extracting[0], files=outcome.stored, failures=len(outcome.failures))
    emit("write", total - extracting[0], rss_mb=peak_rss_mb())
    started = time.perf_counter()
    summary = run_alignment(store)
    emit("align", time.perf_counter() - started, summary=str(summary), rss_mb=peak_rss_mb())
    return 0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
