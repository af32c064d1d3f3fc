"""The extractor against the hand annotations, with the shared scorer's own measures.

Seeds (OCR'd): reference F1 ≥ 0.98, jurisdiction ≥ 0.95, relation ≥ 0.90.
Extra documents (clean web text): reference F1 ≥ 0.97, relation ≥ 0.90, jurisdiction ≥ 0.93.
Skipped when ../shared/gold or the scorer is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ingest.extract import extract_file
from tests.gold_data import EXTRA, SEEDS, SHARED, require

SCORER = SHARED / "tools" / "score_extraction.py"


def scorer():
    if not SCORER.is_file():
        pytest.skip(f"scorer not available: {SCORER} is missing")
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def totals(gold_dir: Path, corpus_dir: Path) -> dict[str, float]:
    score = scorer()
    hits = n_pred = n_gold = jur = rel = 0
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        result = score.score_doc(extract_file(corpus_dir / gold["file"]), gold)
        tp, p, g = result["ref"]
        hits, n_pred, n_gold = hits + tp, n_pred + p, n_gold + g
        jur += result["ref_jur"]
        rel += result["ref_rel"]
    _p, _r, f1 = score.prf(hits, n_pred, n_gold)
    return {"f1": f1, "jurisdiction": jur / (hits or 1), "relation": rel / (hits or 1)}


@pytest.mark.parametrize(("pair", "f1", "jurisdiction", "relation"), [
    (SEEDS, 0.98, 0.95, 0.90),
    (EXTRA, 0.97, 0.93, 0.90),
], ids=["seeds", "extra"])
def test_reference_scores_meet_the_targets(pair, f1: float, jurisdiction: float, relation: float) -> None:
    (gold_dir, corpus_dir), = require(pair)
    got = totals(gold_dir, corpus_dir)
    assert got["f1"] >= f1, got
    assert got["jurisdiction"] >= jurisdiction, got
    assert got["relation"] >= relation, got


def test_every_record_has_the_contract_fields() -> None:
    (_gold, corpus_dir), = require(SEEDS)
    for path in sorted(corpus_dir.glob("*.txt")):
        record = extract_file(path)
        assert set(record) >= {"file", "self", "references", "tasks", "links", "confidence"}
        assert 0.0 <= record["confidence"] <= 1.0
        for reference in record["references"]:
            assert set(reference) >= {"id", "type", "issuer", "jurisdiction", "level", "date", "relation",
                                      "mentions", "confidence"}
            assert reference["relation"] in ("implements", "based_on", "amends", "cites")
            assert 0.0 <= reference["confidence"] <= 1.0
            assert reference["mentions"]
