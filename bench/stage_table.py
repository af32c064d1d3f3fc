"""The result table the extraction benchmarks print: one row per stage, a figure per column."""

from __future__ import annotations

COLUMNS = {"seconds": ("seconds", "8.3f"), "mb_per_s": ("MB/s", "8.2f"), "x_floor": ("× floor", "8.1f")}


def print_stages(heading: str, rows: dict[str, dict[str, float]]) -> None:
    """`heading`, then each stage with the figures of `COLUMNS` that its row holds (in that order).

    >>> print_stages("text: 1.00 MB", {"tasks": {"seconds": 0.5, "mb_per_s": 2.0}})
    text: 1.00 MB
    stage             seconds     MB/s
    tasks               0.500     2.00
    """
    keys = [k for k in COLUMNS if rows and k in next(iter(rows.values()))]
    print(heading)
    print(f"{'stage':16} " + " ".join(f"{COLUMNS[k][0]:>8}" for k in keys))
    for name, row in rows.items():
        print(f"{name:16} " + " ".join(format(row[k], COLUMNS[k][1]) for k in keys))
