"""The query sub-commands (coverage, search, unresolved, explain, workload) on the hand-written
cascade: text and --json output, and one-line errors with suggestions for unknown ids."""

from __future__ import annotations

import json

import pytest

from chidao.cli import main
from tests.query_fixtures import build_cascade


@pytest.fixture
def data(tmp_path):
    build_cascade(tmp_path / "store")
    return str(tmp_path / "store")


@pytest.mark.parametrize(("argv", "expected"), [
    (["coverage", "9-NQ/TW", "--missing", "2"], "3/34 provinces"),
    (["coverage", "3-KH/TU", "--gaps"], "1 with no carrying-out task"),
    (["search", "cong", "an", "xa"], "Công an xã (Bắc Bình)"),
    (["unresolved"], "9-NQ/TW"),
    (["explain", "40/KH-UBND", "20/KH-UBND"], "40/KH-UBND (An Lạc) — 9-NQ/TW — 20/KH-UBND (Bắc Bình)"),
    (["workload", "cong an xa@Bac Binh", "--as-of", "2026-01-01"], "1 overdue as of 2026-01-01"),
])
def test_text_output(data, capsys, argv, expected):
    assert main(["--data", data, *argv]) == 0
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["coverage", "9-NQ/TW"], ["search", "so noi vu"], ["unresolved"],
    ["explain", "3-KH/TU", "9-NQ/TW"], ["workload", "Sở Nội vụ"],
])
def test_json_output_parses(data, capsys, argv):
    assert main(["--data", data, *argv, "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), dict)


def test_unknown_id_is_one_line_with_suggestions(data, capsys):
    assert main(["--data", data, "coverage", "9-NQ/TU"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "did you mean" in err and "9-NQ/TW" in err


def test_bad_date_is_a_clear_error(data, capsys):
    assert main(["--data", data, "workload", "Sở Nội vụ", "--as-of", "tomorrow"]) == 2
    assert "--as-of 'tomorrow'" in capsys.readouterr().err
