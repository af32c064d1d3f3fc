"""The graph commands on the real samples: ingest (idempotent, bad input reported, the rest
stored), show, trace, tasks, units. The extractor (ingest.extract) runs for real."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph import embedded
from tests.cli_run import run_chidao_on as chidao

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
ARROW_PATH = re.compile(r"^\d+\. (.+)$")
EVIDENCE = re.compile(r'^\s+\S+\.txt:\d+ ".+"$')


@pytest.fixture(scope="module")
def store_dir(ingested_store) -> Path:
    return ingested_store(SAMPLES)


def chains(output: str) -> list[list[str]]:
    """Path header lines `1. A (x) → B (y, stub) → C` as lists of "id (details)"."""
    found = []
    for line in output.splitlines():
        match = ARROW_PATH.match(line)
        if match:
            found.append([part.strip() for part in match[1].split(" → ")])
    return found


def ids(chain: list[str]) -> list[str]:
    return [part.split(" (", 1)[0] for part in chain]


def task_numbers(output: str, doc_id: str) -> set[str]:
    return {m[1] for m in re.finditer(rf"^{re.escape(doc_id)} \(.*?\) task (?:\S+\.)?(\S+)$",
                                      output, re.MULTILINE)}


# -- ingest ------------------------------------------------------------------------------------

def test_ingest_summary_counts(capsys, tmp_path):
    code, out, _ = chidao(capsys, tmp_path, "ingest", str(SAMPLES))
    assert code == 0
    match = re.search(r"ingested (\d+) of (\d+) files: (\d+) documents, (\d+) references, "
                      r"(\d+) stubs in the store, (\d+) tasks, 0 failures", out)
    assert match, out
    files, attempted, documents, references, stubs, tasks = (int(g) for g in match.groups())
    assert files == attempted == documents == len(list(SAMPLES.glob("*.txt")))
    assert references > stubs > 0 and tasks > 0


def test_reingest_changes_nothing(capsys, tmp_path):
    assert chidao(capsys, tmp_path, "ingest", str(SAMPLES))[0] == 0
    store_file = tmp_path / embedded.STORE_FILE
    first = store_file.read_bytes()
    _, show_before, _ = chidao(capsys, tmp_path, "show", "57-NQ/TW", "--evidence", "0")
    assert chidao(capsys, tmp_path, "ingest", str(SAMPLES))[0] == 0
    assert store_file.read_bytes() == first
    assert chidao(capsys, tmp_path, "show", "57-NQ/TW", "--evidence", "0")[1] == show_before


def test_stub_completed_when_its_own_text_arrives(capsys, tmp_path):
    """52/KH-BCĐ (seed 001) is cited by no other sample, 01-KH/BCĐ by seed 000 only: ingesting
    000 first leaves 01-KH/BCĐ a stub; a document's own file makes its node full."""
    commune_plan = next(SAMPLES.glob("000_*.txt"))
    assert chidao(capsys, tmp_path, "ingest", str(commune_plan))[0] == 0
    _, out, _ = chidao(capsys, tmp_path, "show", "01-KH/BCĐ")
    assert "(Quảng Ngãi, stub)" in out
    _, out, _ = chidao(capsys, tmp_path, "show", "667/KH-UBND")
    assert out.splitlines()[0].startswith("667/KH-UBND (") and "stub" not in out.splitlines()[0]


EXTRA = ROOT.parent / "shared" / "corpus-extra"


def test_stub_of_a_sample_completed_by_its_own_text(capsys, tmp_path):
    """Samples 001 and 003 cite Resolution 71/NQ-CP; its own text (corpus-extra 06) completes the
    stub, which then carries its own title and the evidence of every file."""
    own = sorted(EXTRA.glob("06_*.txt")) if EXTRA.is_dir() else []
    if not own:
        pytest.skip(f"no corpus-extra document 06 under {EXTRA}")
    assert chidao(capsys, tmp_path, "ingest", str(SAMPLES))[0] == 0
    _, before, _ = chidao(capsys, tmp_path, "show", "71/NQ-CP", "--evidence", "0")
    assert before.splitlines()[0] == "71/NQ-CP (national, stub)"
    code, out, _ = chidao(capsys, tmp_path, "ingest", str(own[0]))
    assert code == 0 and re.search(r"\b1 documents", out)
    _, after, _ = chidao(capsys, tmp_path, "show", "71/NQ-CP", "--evidence", "0")
    assert after.splitlines()[0] == "71/NQ-CP (national)"
    sources = next(line for line in after.splitlines() if line.startswith("  sources: "))
    assert own[0].name in sources and "001_" in sources and "003_" in sources
    # the citing plans' evidence is still there, next to the resolution's own
    assert re.search(r'001_\S+\.txt:\d+ "71/N', after) and own[0].name + ":" in after


BIG = 50 * 1024 * 1024


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """Bad files next to the samples; returns name → a word the failure reason must contain."""
    from ingest.reader import encode_legacy

    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    sentence = ("Kế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về phát triển "
                "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia. ")
    (folder / "tcvn3.txt").write_bytes(encode_legacy(sentence * 40, "tcvn3"))
    with (folder / "huge.txt").open("wb") as handle:
        handle.truncate(BIG)  # 50 MB: refused by size before a byte is read
    (folder / "gone.txt").symlink_to(folder / "missing-target.txt")  # unreadable even for root
    return {"empty.txt": "empty", "binary.txt": "binary", "tcvn3.txt": "TCVN3",
            "huge.txt": "size", "gone.txt": "no such file"}


def test_bad_input_reported_and_the_rest_stored(capsys, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    expected = make_bad_inputs(folder)
    code, out, err = chidao(capsys, tmp_path / "store", "ingest", str(folder))
    assert code == 1
    failures = [line for line in err.splitlines() if line.startswith("  failed: ")]
    assert len(failures) == len(expected), err
    for name, word in expected.items():
        line = next((f for f in failures if name in f), None)
        assert line is not None, (name, err)
        assert word.lower() in line.lower(), line
        assert "Traceback" not in line
    assert f"ingested {len(list(SAMPLES.glob('*.txt')))} of" in out
    _, out, _ = chidao(capsys, tmp_path / "store", "show", "667/KH-UBND")
    assert "667/KH-UBND" in out


def test_unreadable_file_reported(capsys, tmp_path, monkeypatch):
    """Tests run as root, for whom chmod 000 changes nothing: the read itself is made to fail."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    locked = next(folder.glob("002_*.txt"))
    real_read = Path.read_bytes

    def read_bytes(self):
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, err = chidao(capsys, tmp_path / "store", "ingest", str(folder))
    assert code == 1
    assert re.search(rf"failed: .*{re.escape(locked.name)}.*permission denied", err, re.IGNORECASE), err
    assert "ingested 4 of 5 files" in out


def test_missing_path_is_reported(capsys, tmp_path):
    code, _, err = chidao(capsys, tmp_path, "ingest", str(SAMPLES / "000_nothing.txt"))
    assert code == 1 and "000_nothing.txt" in err


def test_cli_never_shows_a_traceback_on_a_broken_store(tmp_path):
    (tmp_path / embedded.STORE_FILE).write_bytes(b"garbage")
    result = subprocess.run([sys.executable, "-m", "chidao.cli", "--data", str(tmp_path), "show", "57-NQ/TW"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "cannot read the store" in result.stderr


# -- show --------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["57-NQ/TW", "57-nq/tw", "57- NQ/TW", "57-NO/TW"])
def test_show_accepts_ocr_forms(capsys, store_dir, typed):
    code, out, _ = chidao(capsys, store_dir, "show", typed)
    assert code == 0
    assert out.splitlines()[0].startswith("57-NQ/TW (national")
    assert re.search(r'^\s+\S+\.txt:\d+ "', out, re.MULTILINE)  # edges carry evidence


def test_show_unknown_id_suggests_close_ids(capsys, store_dir):
    code, _, err = chidao(capsys, store_dir, "show", "667/KH-UBNX")
    assert code == 1
    assert "no document" in err and "close ids" in err and "667/KH-UBND" in err


def test_show_filters_by_jurisdiction(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "show", "01-KH/BCĐ", "--jurisdiction", "quang ngai")
    assert code == 0 and "(Quảng Ngãi" in out.splitlines()[0]
    code, _, _ = chidao(capsys, store_dir, "show", "01-KH/BCĐ", "--jurisdiction", "Khánh Hòa")
    assert code == 1


# -- trace -------------------------------------------------------------------------------------

def test_trace_up_from_the_commune_plan(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "trace", "667/KH-UBND", "--up")
    assert code == 0
    found = chains(out)
    assert ["667/KH-UBND", "01-KH/BCĐ", "07-TB/CQTTBCĐ"] in [ids(c) for c in found], out
    assert ["667/KH-UBND", "57-NQ/TW"] in [ids(c) for c in found], out
    via_province = next(c for c in found if ids(c) == ["667/KH-UBND", "01-KH/BCĐ", "07-TB/CQTTBCĐ"])
    assert via_province[1] == "01-KH/BCĐ (Quảng Ngãi, stub)"
    # every edge line is followed by at least one evidence line
    lines = out.splitlines()
    for index, line in enumerate(lines):
        if "—" in line and "→" in line and not ARROW_PATH.match(line):
            assert EVIDENCE.match(lines[index + 1]), (line, lines[index + 1])


def test_trace_up_with_cites_reaches_the_resolution_through_the_notice(capsys, store_dir):
    _, out, _ = chidao(capsys, store_dir, "trace", "667/KH-UBND", "--up", "--include-cites")
    found = [ids(c) for c in chains(out)]
    assert any(c[-2:] == ["07-TB/CQTTBCĐ", "57-NQ/TW"] for c in found), out
    assert re.search(r"07-TB/CQTTBCĐ \(national, stub\) —CITES→ 57-NQ/TW", out), out


DOWN_HEAD = re.compile(r"^(.+?): (\d+) documents and (\d+) tasks below, along ")
PROVINCE_ROW = re.compile(r"^(\S.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$")
DOCUMENT_LINE = re.compile(r"^(\S+ \(.+?\))  \[depth (\d+)\]")
NEXT_PAGE = re.compile(r"^next page: chidao (.+)$", re.MULTILINE)


def down_summary(output: str) -> tuple[str, int, int, dict[str, tuple[int, ...]]]:
    """The start, its totals and the province table of a `trace --down` page."""
    lines = output.splitlines()
    start, documents, tasks = DOWN_HEAD.match(lines[0]).groups()  # type: ignore[union-attr]
    rows = {}
    for line in lines[2:]:
        if not line:
            break
        match = PROVINCE_ROW.match(line)
        if match:
            rows[match[1]] = tuple(int(g) for g in match.groups()[1:])
    return start, int(documents), int(tasks), rows


def page_documents(output: str) -> list[tuple[str, str]]:
    """(place header, document label) of each document a page spells out, in order."""
    found, place = [], ""
    for line in output.splitlines():
        if line.startswith("== "):
            place = line.strip("= ")
        match = DOCUMENT_LINE.match(line)
        if match:
            found.append((place, match[1]))
    return found


def test_trace_down_from_the_resolution(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "trace", "57-NQ/TW", "--down")
    assert code == 0
    start, documents, tasks, provinces = down_summary(out)
    assert start == "57-NQ/TW (national, stub)"
    # the province table sums up the whole answer; the first page holds all of the samples' documents
    assert sum(row[0] for row in provinces.values()) == documents == len(page_documents(out))
    assert sum(row[1] for row in provinces.values()) == tasks > 0
    assert provinces["Quảng Ngãi"][2] >= 1, provinces  # Ngọk Bay's plans
    assert ("Quảng Ngãi / Ngọk Bay", "667/KH-UBND (Ngọk Bay)") in page_documents(out), out
    assert "last page" in out and "next page" not in out


def test_trace_down_lists_the_tasks_and_units_of_a_plan(capsys, store_dir):
    _, out, _ = chidao(capsys, store_dir, "trace", "57-NQ/TW", "--down", "--evidence", "1")
    block = out.split("\n667/KH-UBND (Ngọk Bay)", 1)[1].split("\n== ", 1)[0]
    numbers = re.findall(r"^   task (\S+?)(?: \[due .+?\])?: ", block, re.MULTILINE)
    tasks_out = chidao(capsys, store_dir, "tasks", "--doc", "667/KH-UBND")[1]
    assert {n.rpartition(".")[2] for n in numbers} == task_numbers(tasks_out, "667/KH-UBND"), block
    # the commune police lead tasks (see test_tasks_led_by_the_commune_police)
    assert re.search(r"^      lead: Công an xã \(Ngọk Bay\)", block, re.MULTILINE), block
    assert re.search(r"^   667/KH-UBND \(Ngọk Bay\) —IMPLEMENTS→ ", block, re.MULTILINE), block
    assert EVIDENCE.match(block.splitlines()[2]), block


@pytest.mark.parametrize("size", [1, 3, 5])
def test_trace_down_pages_follow_the_next_page_line(capsys, store_dir, size):
    """Following each page's `next page` command visits every document once, in the order of one
    big page, and each province's --offset is where its first document comes."""
    _, whole, _ = chidao(capsys, store_dir, "trace", "57-NQ/TW", "--down", "--limit", "1000")
    expected = page_documents(whole)
    argv, seen, pages = ["trace", "57-NQ/TW", "--down", "--limit", str(size)], [], 0
    while argv:
        code, out, _ = chidao(capsys, store_dir, *argv)
        assert code == 0 and down_summary(out) == down_summary(whole)
        page = page_documents(out)
        assert 0 < len(page) <= size
        seen += page
        pages += 1
        following = NEXT_PAGE.search(out)
        argv = shlex.split(following[1]) if following else []
    assert seen == expected and pages == -(-len(expected) // size)
    for province, row in down_summary(whole)[3].items():
        assert seen[row[3]][0].split(" / ")[0] == province


def test_trace_down_offset_past_the_end(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "trace", "57-NQ/TW", "--down", "--offset", "10000")
    assert code == 0
    _, documents, _, provinces = down_summary(out)
    assert provinces and not page_documents(out)
    assert f"no documents from --offset 10000: the answer holds {documents}" in out


@pytest.mark.parametrize("argv", [["--limit", "0"], ["--offset", "-1"]])
def test_trace_down_bad_page_is_a_clear_error(capsys, store_dir, argv):
    code, out, err = chidao(capsys, store_dir, "trace", "57-NQ/TW", "--down", *argv)
    assert code == 2 and not out and "--limit" in err and "Traceback" not in err


def test_trace_down_json_is_the_api_answer(capsys, store_dir):
    from fastapi.testclient import TestClient

    from api.app import create_app

    code, out, _ = chidao(capsys, store_dir, "trace", "57-NQ/TW", "--down", "--json", "--offset", "2",
                          "--limit", "4", "--include-cites")
    assert code == 0
    with TestClient(create_app(lambda: embedded.EmbeddedStore(store_dir))) as client:
        response = client.get("/trace/down",
                              params={"ref": "57-NQ/TW", "offset": 2, "limit": 4, "cites": True})
    assert response.status_code == 200
    assert json.loads(out) == response.json()
    assert json.loads(out)["groups"]


@pytest.mark.parametrize("argv", [
    ["01-KH/BCĐ@Quảng Ngãi"], ["01-KH/BCĐ", "--jurisdiction", "quang ngai"], ["01-KH/BCP"],
])
def test_trace_down_accepts_places_and_ocr_forms(capsys, store_dir, argv):
    code, out, _ = chidao(capsys, store_dir, "trace", *argv, "--down")
    assert code == 0
    assert down_summary(out)[0] == "01-KH/BCĐ (Quảng Ngãi, stub)"
    assert ("Quảng Ngãi / Ngọk Bay", "667/KH-UBND (Ngọk Bay)") in page_documents(out), out


def test_trace_down_unknown_id_suggests_close_ids(capsys, store_dir):
    code, _, err = chidao(capsys, store_dir, "trace", "667/KH-UBNX", "--down")
    assert code == 1 and "close ids" in err and "667/KH-UBND" in err


def test_trace_up_takes_no_page_options(capsys, store_dir):
    code, _, err = chidao(capsys, store_dir, "trace", "667/KH-UBND", "--up", "--json")
    assert code == 2 and "--down" in err


# -- tasks and units ---------------------------------------------------------------------------

def test_tasks_led_by_the_commune_police(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "tasks", "--unit", "Công an xã", "--role", "lead",
                          "--doc", "667/KH-UBND")
    assert code == 0
    assert task_numbers(out, "667/KH-UBND") == {"1", "8"}, out


def test_tasks_unit_matches_without_accents(capsys, store_dir):
    accented = chidao(capsys, store_dir, "tasks", "--unit", "Công an xã", "--doc", "667/KH-UBND")[1]
    folded = chidao(capsys, store_dir, "tasks", "--unit", "cong an xa", "--doc", "667/KH-UBND")[1]
    assert accented == folded and "task" in folded


def test_tasks_overdue_on_new_year(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "tasks", "--doc", "667/KH-UBND", "--overdue-on", "2026-01-01")
    assert code == 0
    assert task_numbers(out, "667/KH-UBND") == {"4", "5", "7", "9"}, out


def test_tasks_due_before_excludes_later_deadlines(capsys, store_dir):
    _, out, _ = chidao(capsys, store_dir, "tasks", "--doc", "667/KH-UBND", "--due-before", "2025-12-01")
    assert task_numbers(out, "667/KH-UBND") == {"5"}, out


def test_units_in_a_commune(capsys, store_dir):
    code, out, _ = chidao(capsys, store_dir, "units", "cong an xa", "--place", "ngok bay")
    assert code == 0
    assert re.search(r"^\s*\d+\s+\d+\s+\d+\s+Công an xã \(Ng[oọ]k Bay\)$", out, re.MULTILINE), out


def test_progress_bar_only_on_a_terminal(tmp_path):
    """stderr a terminal: a progress bar; stderr a pipe: none (logs stay clean)."""
    import os
    import pty

    command = [sys.executable, "-m", "chidao.cli", "--data", str(tmp_path), "ingest", str(SAMPLES)]
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=follower, timeout=300)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    assert result.returncode == 0
    assert re.search(rb"\r\[#+\] \d+/\d+", b"".join(chunks))
    piped = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=300)
    assert piped.returncode == 0 and b"\r[" not in piped.stderr


def test_parallel_ingest_stores_the_same_graph(capsys, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    expected = make_bad_inputs(folder)
    one = chidao(capsys, tmp_path / "one", "ingest", str(folder))
    two = chidao(capsys, tmp_path / "two", "ingest", "--jobs", "2", str(folder))
    assert one[0] == two[0] == 1
    assert one[1] == two[1] and one[2] == two[2]  # same summary, same failures in the same order
    assert len([line for line in two[2].splitlines() if "failed:" in line]) == len(expected)
    for ident in ("57-NQ/TW", "667/KH-UBND", "02-KH/BCĐ"):
        shown = [chidao(capsys, tmp_path / name, "show", ident, "--evidence", "0")[1]
                 for name in ("one", "two")]
        assert shown[0] == shown[1]


def test_an_extractor_crash_is_one_failure_not_a_traceback(capsys, tmp_path, monkeypatch):
    import ingest.extract

    real = ingest.extract.extract_file

    def crashing(path):
        if Path(path).name.startswith("003_"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(path)

    monkeypatch.setattr(ingest.extract, "extract_file", crashing)
    code, out, err = chidao(capsys, tmp_path, "ingest", str(SAMPLES))
    assert code == 1
    assert re.search(r"failed: \S*003_\S+\.txt: extraction failed \(RecursionError", err), err
    assert "ingested 4 of 5 files" in out
