"""Throughput of task and unit extraction on the five OCR'd samples.

Each sample is extracted as its own document (tasks are read per document), and the list of
samples is repeated until it holds about `--mb` MB of text. Two figures: the task stage alone
(`extract_tasks`, given each document's identity and references computed beforehand) and the
whole extractor (`extract_text`). A warm-up pass first loads the vocabularies and gazetteer; then
the best of `--repeat` timed passes is kept, in CPU time of this process (MB/s per core, whatever
else the machine runs). The unit caches stay warm across repetitions, as they
do in a long-running ingest; `--cold` clears them before every document (each read as unseen text).

    .venv/bin/python bench/bench_tasks.py [--mb 2] [--repeat 3] [--cold] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stage_table import print_stages  # noqa: E402
from ingest.extract import extract_text  # noqa: E402
from ingest.tasks import extract_tasks  # noqa: E402


def samples() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "samples").glob("*.txt"))]


def clear_caches() -> None:
    """Empty every function cache of the task and unit modules (not the loaded vocabularies)."""
    from ingest import deadlines, task_tables, tasks, units

    keep = {"vocabulary", "gazetteer", "_unigrams"}
    for module in (units, tasks, task_tables, deadlines):
        for name, value in vars(module).items():
            if hasattr(value, "cache_clear") and name not in keep:
                value.cache_clear()


def timed(repeat: int, job: Callable[[], object]) -> float:
    job()  # warm-up: vocabularies, gazetteer index, compiled patterns
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        job()
        best = min(best, time.process_time() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=2.0, help="size of the repeated text in MB")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="clear the unit caches before each document")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    texts = samples()
    one = sum(len(t.encode("utf-8")) for t in texts)
    docs = texts * max(1, round(args.mb * 1_000_000 / one))
    size = len(docs) * one / len(texts) / 1_000_000
    prepared = []
    for text in texts:
        record = extract_text(text, "bench.txt")
        prepared.append((text.split("\n"), {"self": record["self"], "references": record["references"]}))
    prepared = prepared * (len(docs) // len(texts))

    def fresh() -> None:
        if args.cold:
            clear_caches()

    stages = {
        "tasks": lambda: [fresh() or extract_tasks(lines, context) for lines, context in prepared],
        "extract (all)": lambda: [fresh() or extract_text(text, "bench.txt") for text in docs],
    }
    seconds = {name: timed(args.repeat, job) for name, job in stages.items()}
    rows = {name: {"seconds": round(s, 3), "mb_per_s": round(size / s, 2)} for name, s in seconds.items()}
    if args.json:
        print(json.dumps({"mb": round(size, 2), "cold": args.cold, "stages": rows}))
        return 0
    print_stages(f"text: {size:.2f} MB ({len(docs)} documents){' , cold caches' if args.cold else ''}", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
