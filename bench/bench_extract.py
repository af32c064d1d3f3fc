"""Throughput of the extractor against a single compiled-regex scan of the same text.

The five OCR'd samples are repeated to a few MB; the floor is one `finditer` pass of a compiled
id-shaped regex over that text (the cheapest thing an extractor could do). Each stage is warmed up
once (vocabularies and gazetteers load lazily), then timed as the best of `--repeat` runs.

    .venv/bin/python bench/bench_extract.py [--mb 3] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stage_table import print_stages  # noqa: E402
from ingest.extract import extract_text  # noqa: E402
from ingest.ids import find_identifiers  # noqa: E402
from ingest.references import Context, extract_references  # noqa: E402

FLOOR_RE = re.compile(r"\d{1,5}[ \t]?[-/][ \t]?[A-ZĐ]{1,8}[-/][A-ZĐ]{1,10}")


def corpus(megabytes: float) -> str:
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "samples").glob("*.txt"))]
    one = "\n".join(samples)
    copies = max(1, int(megabytes * 1_000_000 // len(one.encode("utf-8"))))
    return "\n".join([one] * copies)


def best_of(repeat: int, job: Callable[[], object]) -> float:
    job()  # warm-up: lazy vocabularies, gazetteer index, compiled patterns
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=3.0, help="size of the repeated text in MB")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    text = corpus(args.mb)
    size = len(text.encode("utf-8")) / 1_000_000
    context = Context(province="Quảng Ngãi", level="province", jurisdiction="Quảng Ngãi", is_plan=True)
    stages = {
        "regex floor": lambda: sum(1 for _ in FLOOR_RE.finditer(text)),
        "identifiers": lambda: find_identifiers(text),
        "references": lambda: extract_references(text, context),
        "extract (all)": lambda: extract_text(text, "bench.txt"),
    }
    seconds = {name: best_of(args.repeat, job) for name, job in stages.items()}
    floor = seconds["regex floor"]
    rows = {name: {"seconds": round(s, 3), "mb_per_s": round(size / s, 2), "x_floor": round(s / floor, 1)}
            for name, s in seconds.items()}
    if args.json:
        print(json.dumps({"mb": round(size, 2), "stages": rows}))
        return 0
    print_stages(f"text: {size:.2f} MB (samples repeated)", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
