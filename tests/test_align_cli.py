"""`chidao align` and `chidao counterparts` on the real samples (plus the parent written for the
alignment tests, tests/data/07-TB-CQTTBCD_tasks.txt): ingest aligns, align alone replaces, the
counterparts of a task are listed side by side with their scores, bad references are one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_run import run_chidao_on as chidao

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
PARENT = ROOT / "tests" / "data" / "07-TB-CQTTBCD_tasks.txt"


@pytest.fixture(scope="module")
def store_dir(ingested_store) -> Path:
    return ingested_store(SAMPLES, PARENT)


def test_ingest_reports_the_alignment(capsys, tmp_path):
    code, out, _ = chidao(capsys, tmp_path, "ingest", "--no-progress", str(SAMPLES))
    assert code == 0
    assert "aligned: 0 task → task CARRIES_OUT" in out  # the samples hold no parent with tasks
    assert " COUNTERPART_OF" in out and "aligned: " in out


def test_align_alone_gives_the_same_result_again(capsys, store_dir):
    code, first, _ = chidao(capsys, store_dir, "align")
    assert code == 0 and first.startswith("aligned: ")
    assert chidao(capsys, store_dir, "align")[1] == first


def test_align_rejects_a_threshold_outside_0_1(capsys, store_dir):
    code, _, err = chidao(capsys, store_dir, "align", "--threshold", "1.5")
    assert code == 1 and "--threshold" in err


def test_counterparts_side_by_side(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "counterparts", "667/KH-UBND@Ngọk Bay#II.3")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("task 667/KH-UBND@Ngọk Bay#II.3  [Ngọk Bay] 000_")
    assert any(line.startswith("= score ") and "[Khánh Hòa] 004_" in line for line in lines)
    assert "common parents:" in out and "7-TB/CQTTBCĐ@national" in out
    assert "carries out:" in out and "7-TB/CQTTBCĐ#II.6" in out


def test_counterparts_json(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "counterparts", "667/KH-UBND@Ngọk Bay#II.5", "--json")
    assert code == 0
    result = json.loads(out)
    places = {m["document"]["jurisdiction"] for m in result["counterparts"]}
    assert "Khánh Hòa" in places and "Ngọk Bay" not in places
    scores = [m["score"] for m in result["counterparts"]]
    assert scores == sorted(scores, reverse=True)
    assert [m["ref"] for m in result["carries_out"] if m["kind"] == "Task"] == ["7-TB/CQTTBCĐ#II.8"]


def test_min_score_filters(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "counterparts", "667/KH-UBND@Ngọk Bay#II.5", "--json",
                          "--min-score", "0.99")
    assert code == 0 and json.loads(out)["counterparts"] == []


@pytest.mark.parametrize(("ref", "message"), [
    ("667/KH-UBND@Ngọk Bay#99", "no task '667/KH-UBND@Ngọk Bay#99'"),
    ("999/KH-XYZ#1", "no task"),
])
def test_unknown_task_is_one_line(capsys, store_dir, ref, message):
    code, out, err = chidao(capsys, store_dir, "counterparts", ref)
    assert code == 1 and out == ""
    assert err.startswith("chidao counterparts: ") and message in err and len(err.splitlines()) == 1
