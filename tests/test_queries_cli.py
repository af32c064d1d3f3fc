"""The query sub-commands (coverage, search, unresolved, explain, workload, trace --down) on the
hand-written cascade: text and --json output, and one-line errors with suggestions for unknown ids."""

from __future__ import annotations

import json

import pytest

from chidao.cli import main
from tests.query_fixtures import build_cascade
from tests.test_resolve_index import build_twins


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
    (["trace", "9-NQ/TW", "--down"], "== Lâm Đồng / Bắc Bình =="),
    (["trace", "9-NQ/TW", "--down", "--limit", "1"],
     "next page: chidao trace 9-NQ/TW --down --offset 1 --limit 1"),
    (["trace", "3-KH/TU", "--down", "--offset", "5"], "no documents from --offset 5"),
])
def test_text_output(data, capsys, argv, expected):
    assert main(["--data", data, *argv]) == 0
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["coverage", "9-NQ/TW"], ["search", "so noi vu"], ["unresolved"],
    ["explain", "3-KH/TU", "9-NQ/TW"], ["workload", "Sở Nội vụ"], ["trace", "9-NQ/TW", "--down"],
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


def test_trace_down_json_pages_the_cascade(data, capsys):
    """--json is trace_down's answer: the province summary covers the whole cascade, the page only
    its slice."""
    assert main(["--data", data, "trace", "9-NQ/TW", "--down", "--json", "--limit", "1"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["--data", data, "trace", "9-NQ/TW", "--down", "--json", "--offset", "1",
                 "--limit", "100"]) == 0
    rest = json.loads(capsys.readouterr().out)
    assert first["provinces"] == rest["provinces"] and first["total_documents"] == rest["total_documents"]
    documents = [d["document"]["key"] for page in (first, rest)
                 for group in page["groups"] for d in group["documents"]]
    assert len(documents) == len(set(documents)) == first["total_documents"] > 1
    assert sum(p["documents"] for p in first["provinces"]) == first["total_documents"]


@pytest.fixture
def twins(tmp_path):
    build_twins(tmp_path / "twins")
    return str(tmp_path / "twins")


def test_trace_down_of_an_id_in_two_provinces_shows_both(twins, capsys):
    assert main(["--data", twins, "trace", "3-KH/TU", "--down"]) == 0
    heads = [line for line in capsys.readouterr().out.splitlines() if " documents and " in line]
    assert [h.split(":")[0] for h in heads] == ["3-KH/TU (Bắc Ninh)", "3-KH/TU (Lâm Đồng)"]
    assert main(["--data", twins, "trace", "3-KH/TU@Lâm Đồng", "--down", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["start"]["jurisdiction"] == "Lâm Đồng"


def test_trace_down_json_of_an_ambiguous_id_names_the_candidates(twins, capsys):
    assert main(["--data", twins, "trace", "3-KH/TU", "--down", "--json"]) == 1
    captured = capsys.readouterr()
    assert not captured.out and captured.err.count("\n") == 1
    assert "3-KH/TU@Bắc Ninh" in captured.err and "3-KH/TU@Lâm Đồng" in captured.err
