"""The benchmark's corpus generator (bench/generate.py): deterministic, a real cascade of 2025
administrative units, OCR-damaged text the extractor reads back with the intended ids."""

from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from pathlib import Path

import pytest

from ingest.extract import extract_file

BENCH = Path(__file__).resolve().parents[1] / "bench"
COMMUNES, PLANS, TASKS, PER_PROVINCE = 4, 2, 8, 1


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_generate", module)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


gen = _load_generator()


def _make(folder: Path, seed: int = 7) -> list[dict]:
    gen.generate(folder, COMMUNES, PLANS, TASKS, seed, PER_PROVINCE)
    return json.loads((folder / gen.MANIFEST).read_text(encoding="utf-8"))["files"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    folder = tmp_path_factory.mktemp("corpus")
    return folder, _make(folder)


@pytest.fixture(scope="module")
def records(corpus: tuple[Path, list[dict]]) -> dict[str, dict]:
    folder, rows = corpus
    return {row["file"]: extract_file(folder / row["file"]) for row in rows}


def _texts(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_text(tmp_path: Path) -> None:
    _make(tmp_path / "a")
    _make(tmp_path / "b")
    _make(tmp_path / "c", seed=8)
    assert _texts(tmp_path / "a") == _texts(tmp_path / "b")
    first, other = _texts(tmp_path / "a"), _texts(tmp_path / "c")
    assert sum(first[name] != other.get(name) for name in first) > len(first) // 2


def test_cascade_levels_and_counts(corpus: tuple[Path, list[dict]]) -> None:
    _, rows = corpus
    by_level: dict[str, list[dict]] = {}
    for row in rows:
        by_level.setdefault(row["level"], []).append(row)
    assert len(by_level["province"]) == 34 * PER_PROVINCE
    assert len(by_level["commune"]) == COMMUNES * PLANS
    assert {r["implements"]["id"] for r in by_level["national"]} == {"57-NQ/TW"}
    provincial = {(r["id"], r["jurisdiction"]) for r in by_level["province"]}
    for row in by_level["commune"]:  # a commune implements a plan of its own province
        assert (row["implements"]["id"], row["implements"]["jurisdiction"]) in provincial
        assert row["implements"]["jurisdiction"] == row["province"]
        assert row["date"] >= row["implements"]["date"]


def test_communes_spread_over_provinces() -> None:
    chosen = gen.chosen_communes(34 * 3)
    assert len({c.name for c in chosen}) > 90
    assert len({c.province for c in chosen}) >= 30


def test_text_is_damaged_like_a_scan(corpus: tuple[Path, list[dict]]) -> None:
    folder, rows = corpus
    text = (folder / rows[-1]["file"]).read_text(encoding="utf-8")
    marked = sum(1 for ch in text if unicodedata.normalize("NFD", ch) != ch)
    letters = sum(1 for ch in text if ch.isalpha())
    assert 0 < marked < letters * 0.1  # most diacritics lost, some kept, as in data/samples


def test_extractor_reads_back_every_own_id(corpus: tuple[Path, list[dict]],
                                           records: dict[str, dict]) -> None:
    _, rows = corpus
    wrong = [(r["file"], r["id"], records[r["file"]]["self"].get("id")) for r in rows
             if records[r["file"]]["self"].get("id") != r["id"]]
    assert wrong == []


def test_extractor_reads_back_the_implemented_plan(corpus: tuple[Path, list[dict]],
                                                   records: dict[str, dict]) -> None:
    _, rows = corpus
    missing = [r["file"] for r in rows if not any(
        ref.get("id") == r["implements"]["id"] and ref.get("relation") == "implements"
        for ref in records[r["file"]]["references"])]
    assert missing == []


def test_extractor_reads_back_places_and_tasks(corpus: tuple[Path, list[dict]],
                                               records: dict[str, dict]) -> None:
    _, rows = corpus
    places = sum(records[r["file"]]["self"].get("jurisdiction") == r["jurisdiction"] for r in rows)
    assert places >= 0.8 * len(rows)  # OCR damage garbles some place names beyond reading
    written = sum(r["tasks"] + r["appendix_tasks"] for r in rows)
    read = sum(len(records[r["file"]]["tasks"]) for r in rows)
    assert 0.8 * written <= read <= written
