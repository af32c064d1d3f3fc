"""`chidao ingest -j N` in its three stages, each timed: extraction (worker processes), the store
write, and the task alignment that follows every ingest (graph/align.py). Prints one JSON line per
stage as it finishes, so a caller that stops a slow stage still has the earlier ones.

    .venv/bin/python bench/ingest_stages.py DATA_DIR CORPUS_DIR [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chidao.commands.ingest import collect_files, extract_all, load_extractor  # noqa: E402
from graph.align import run_alignment  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402


def emit(stage: str, started: float, **extra: object) -> None:
    print(json.dumps({"stage": stage, "seconds": time.perf_counter() - started, **extra}), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    files, _ = collect_files([args.corpus])
    started = time.perf_counter()
    outcome = extract_all(files, load_extractor(), False, args.jobs)
    emit("extract", started, files=len(outcome.contributions), failures=len(outcome.failures))
    started = time.perf_counter()
    store = EmbeddedStore(args.data)
    store.write(outcome.contributions)
    emit("write", started)
    started = time.perf_counter()
    summary = run_alignment(store)
    emit("align", started, summary=str(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
