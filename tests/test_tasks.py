"""Task extraction on the OCR'd samples (data/samples), a clean plan, and the scores against the
hand annotations of ../shared/gold (skipped when absent)."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from ingest.tasks import extract_tasks
from ingest.text import fold
from tests.gold_data import SHARED

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
GOLD = SHARED / "gold"
SAMPLE_000 = "000_a0bb7dffa801626d.txt"
COMMUNE = {"jurisdiction": "Ngok Bay", "province": "Quảng Ngãi", "level": "commune", "date": "2025-11-10"}


def lines_of(name: str) -> list[str]:
    return (SAMPLES / name).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def tasks_000() -> dict[str, dict]:
    return {t["number"]: t for t in extract_tasks(lines_of(SAMPLE_000), COMMUNE)}


def test_sample_000_has_the_nine_numbered_tasks_of_section_ii(tasks_000: dict[str, dict]) -> None:
    assert sorted(tasks_000, key=int) == [str(n) for n in range(1, 10)]
    assert {t["section"] for t in tasks_000.values()} == {"II"}


def test_organisation_section_is_not_a_task(tasks_000: dict[str, dict]) -> None:
    # "III. TO CHUC THUC HIEN" starts at line 237 and has numbered items of its own
    assert max(t["line"] for t in tasks_000.values()) < 237


@pytest.mark.parametrize("number", ["1", "8"])
def test_police_leads_tasks_1_and_8(tasks_000: dict[str, dict], number: str) -> None:
    assert "Công an xã" in tasks_000[number]["lead"]


def test_task_1_implementing_units_are_all_lead(tasks_000: dict[str, dict]) -> None:
    lead = {fold(u) for u in tasks_000["1"]["lead"]}
    assert {"cac phong chuyen mon thuoc xa", "cac trung tam thuoc xa", "ban chi huy quan su xa",
            "uy ban mat tran to quoc viet nam xa", "cac truong hoc tren dia ban xa"} <= lead
    assert tasks_000["1"]["support"] == []


@pytest.mark.parametrize(
    ("number", "kind", "value"),
    [("1", "recurring", None), ("2", "recurring", None), ("4", "date", "2025-12-31"),
     ("5", "month", "2025-11"), ("6", "conditional", None), ("7", "date", "2025-12-31"),
     ("8", "recurring", None), ("9", "date", "2025-12-31")],
)
def test_sample_000_deadlines(tasks_000: dict[str, dict], number: str, kind: str, value: str | None) -> None:
    assert tasks_000[number]["deadline"] == {"kind": kind, "value": value}


def test_footnote_inside_task_2_is_skipped(tasks_000: dict[str, dict]) -> None:
    # lead unit "Van phong Hoi dong nhan dan va" (line 86) continues after footnote 3 as "Uy ban nhan dan xa."
    task = tasks_000["2"]
    assert task["lead"] == ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"]
    assert "02-KH/BCDTW" not in task["text"]
    assert task["line"] == 76 and task["end_line"] >= 110


def test_task_text_spans_its_wrapped_lines(tasks_000: dict[str, dict]) -> None:
    text = tasks_000["3"]["text"]
    assert text.startswith("Ra soat lai quy trinh") and "chi khai bdo thong tin" in text


CLEAN_PLAN = """ỦY BAN NHÂN DÂN XÃ HÒA AN

KẾ HOẠCH
Triển khai thực hiện Nghị quyết số 57-NQ/TW

I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức về chuyển đổi số.

II. NHIỆM VỤ TRỌNG TÂM

1. Rà soát, hoàn thiện quy trình nội bộ trên môi trường điện tử:
Thực hiện số hóa hồ sơ, tài liệu theo quy định.
- Cơ quan chủ trì: Văn phòng HĐND và UBND xã.
- Cơ quan phối hợp: Công an xã; các phòng chuyên môn, các Trung tâm thuộc xã.
- Thời gian thực hiện: Hoàn thành trước ngày 31/12/2025.

2. Tổ chức tập huấn kỹ năng số cho cán bộ, công chức:
- Đơn vị thực hiện: Phòng Văn hóa - Xã hội xã.
- Đơn vị phối hợp: Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị - xã hội xã.
- Thời hạn: Quý IV/2025.

III. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội xã chủ trì theo dõi, đôn đốc.
"""


def test_clean_plan() -> None:
    tasks = extract_tasks(CLEAN_PLAN.split("\n"), {"level": "commune", "date": "2025-11-01"})
    assert [(t["section"], t["number"], t["line"]) for t in tasks] == [("II", "1", 11), ("II", "2", 17)]
    first, second = tasks
    assert first["lead"] == ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"]
    assert first["support"] == ["Công an xã", "các phòng chuyên môn thuộc xã", "các Trung tâm thuộc xã"]
    assert first["deadline"] == {"kind": "date", "value": "2025-12-31"}
    assert first["deadline_raw"] == "Hoàn thành trước ngày 31/12/2025."
    assert second["lead"] == ["Phòng Văn hóa - Xã hội xã"]
    assert second["support"] == ["Ủy ban Mặt trận Tổ quốc Việt Nam xã", "các tổ chức chính trị - xã hội xã"]
    assert second["deadline"] == {"kind": "quarter", "value": "2025-Q4"}


DOTTED_PLAN = """II. NHIỆM VỤ CỤ THỂ

1. Hoàn thiện thể chế:
1.1. Rà soát các văn bản quy phạm pháp luật của tỉnh.
- Cơ quan chủ trì: Sở Tư pháp.
- Thời gian thực hiện: Tháng 12/2025.
1.2. Xây dựng quy chế quản lý dữ liệu.
- Cơ quan chủ trì: Sở Khoa học và Công nghệ.
- Cơ quan phối hợp: Các sở, ban, ngành; UBND các xã, phường.
- Thời gian thực hiện: Năm 2026.
"""


def test_dotted_sub_items_are_tasks_of_their_own() -> None:
    tasks = extract_tasks(DOTTED_PLAN.split("\n"), {"level": "province"})
    assert [(t["number"], t["line"], t["text"][:8]) for t in tasks] == [
        ("1.1", 4, "Rà soát "), ("1.2", 7, "Xây dựng")]
    assert tasks[0]["lead"] == ["Sở Tư pháp"]
    assert tasks[0]["deadline"] == {"kind": "month", "value": "2025-12"}
    assert tasks[1]["support"] == ["các sở, ban, ngành", "Ủy ban nhân dân các xã, phường"]
    assert tasks[1]["deadline"] == {"kind": "year", "value": "2026"}


INLINE_PLAN = """II. NHIỆM VỤ TRỌNG TÂM

1. Rà soát thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình.
- Cơ quan chủ trì: Sở Nội vụ; Cơ quan phối hợp: Sở Tài chính, Công an tỉnh; Thời gian: Quý IV/2025.

2. Xây dựng cơ sở dữ liệu về cán bộ, công chức, viên chức (Sở Nội vụ chủ trì, phối hợp với Sở Khoa
học và Công nghệ, các sở, ban, ngành; hoàn thành trong tháng 12/2025).

3. Tuyên truyền về chuyển đổi số trên các phương tiện thông tin đại chúng.
"""


def test_labels_on_one_line_and_units_in_parentheses() -> None:
    first, second, third = extract_tasks(INLINE_PLAN.split("\n"), {"level": "province"})
    assert (first["lead"], first["support"]) == (["Sở Nội vụ"], ["Sở Tài chính", "Công an tỉnh"])
    assert first["deadline"] == {"kind": "quarter", "value": "2025-Q4"}
    assert second["lead"] == ["Sở Nội vụ"]
    assert second["support"] == ["Sở Khoa học và Công nghệ", "các sở, ban, ngành"]
    assert second["deadline"] == {"kind": "month", "value": "2025-12"}
    assert (third["lead"], third["deadline"]["kind"]) == ([], "none")


def test_headings_without_numerals() -> None:
    lines = ["MỤC ĐÍCH, YÊU CẦU", "Nâng cao hiệu quả quản lý.", "", "NHIỆM VỤ TRỌNG TÂM",
             "1. Số hóa hồ sơ hộ tịch.", "- Đơn vị thực hiện: Phòng Văn hóa - Xã hội.",
             "- Thời gian: Tháng 3/2026.", "", "TỔ CHỨC THỰC HIỆN",
             "1. Giao Phòng Văn hóa - Xã hội theo dõi, đôn đốc."]
    [task] = extract_tasks(lines, {"level": "commune"})
    assert (task["number"], task["line"], task["lead"]) == ("1", 5, ["Phòng Văn hóa - Xã hội xã"])
    assert task["deadline"] == {"kind": "month", "value": "2026-03"}


def test_clean_extra_documents_have_no_tasks() -> None:
    corpus = SHARED / "corpus-extra"
    if not corpus.is_dir():
        pytest.skip(f"extra documents not available: {corpus} is missing")
    for path in sorted(corpus.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        assert extract_tasks(lines, {"level": "province"}) == [], path.name


def test_document_without_tasks() -> None:
    assert extract_tasks(["CÔNG VĂN", "Về việc báo cáo kết quả", "Kính gửi: các sở, ban, ngành."], {}) == []
    assert extract_tasks([], {}) == []


def test_appendix_rows_are_found_with_lower_confidence() -> None:
    tasks = extract_tasks(lines_of("004_f7373d26c45450a5.txt"), {"level": "province", "date": "2025-10-18"})
    rows = [t for t in tasks if t["section"].startswith("Phụ lục")]
    assert len(rows) >= 9
    assert all(t["confidence"] < 0.9 for t in rows)
    assert sum(t["deadline"]["kind"] == "recurring" for t in rows) >= 7


RULED_TABLE = "\n".join([
    "PHỤ LỤC",
    "DANH MỤC NHIỆM VỤ",
    "(Kèm theo Kế hoạch số 120/KH-UBND ngày 05/3/2025 của UBND tỉnh)",
    "",
    "| TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |",
    "|---|---|---|---|---|",
    "| I | Hoàn thiện thể chế | | | |",
    "| 1 | Rà soát, sửa đổi các quy định về thủ tục hành chính trên môi trường điện tử | Sở Tư pháp"
    " | Các sở, ban, ngành | Quý II/2025 |",
    "| II | Phát triển hạ tầng số | | | |",
    "| 2 | Phủ sóng di động 4G, 5G đến các thôn, bản chưa có sóng | Sở Khoa học và Công nghệ"
    " | Các doanh nghiệp viễn thông; UBND cấp xã | Năm 2025 |",
])


def test_ruled_table_rows() -> None:
    tasks = extract_tasks(RULED_TABLE.split("\n"), {"level": "province", "date": "2025-03-05"})
    assert [(t["section"], t["number"], t["line"]) for t in tasks] == [
        ("Phụ lục/I", "1", 8), ("Phụ lục/II", "2", 10)]
    first, second = tasks
    assert first["text"] == "Rà soát, sửa đổi các quy định về thủ tục hành chính trên môi trường điện tử"
    assert (first["lead"], first["support"]) == (["Sở Tư pháp"], ["các sở, ban, ngành"])
    assert first["deadline"] == {"kind": "quarter", "value": "2025-Q2"}
    assert second["support"] == ["các doanh nghiệp viễn thông", "Ủy ban nhân dân cấp xã"]
    assert second["deadline"] == {"kind": "year", "value": "2025"}


@pytest.mark.parametrize(
    ("row", "lead", "support", "deadline"),
    [
        ("1\tTriển khai nền tảng họp trực tuyến đến cấp xã\tVăn phòng UBND tỉnh\tSở Khoa học và Công nghệ"
         "\tTháng 6/2025", ["Văn phòng Ủy ban nhân dân tỉnh"], ["Sở Khoa học và Công nghệ"],
         {"kind": "month", "value": "2025-06"}),
        ("1\tHoàn thành số hóa hồ sơ đất đai của các xã\tSở Nông nghiệp và Môi trường\tUBND cấp xã"
         "\tđến ngày 30/6/2025", ["Sở Nông nghiệp và Môi trường"], ["Ủy ban nhân dân cấp xã"],
         {"kind": "date", "value": "2025-06-30"}),
        ("2\tĐào tạo kỹ năng số cho cán bộ, công chức cấp xã\tSở Nội vụ\tUBND các xã, phường\tThường xuyên",
         ["Sở Nội vụ"], ["Ủy ban nhân dân các xã, phường"], {"kind": "recurring", "value": None}),
    ],
)
def test_tab_separated_rows(row: str, lead: list[str], support: list[str], deadline: dict) -> None:
    header = "STT\tNội dung nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian hoàn thành"
    [task] = extract_tasks(["PHỤ LỤC", header, row], {"level": "province"})
    assert (task["lead"], task["support"], task["deadline"]) == (lead, support, deadline)
    assert task["line"] == 3 and "\t" not in task["text"]


def test_serialised_row_cells_and_expected_output() -> None:
    """Sample 003 prints each appendix cell as its own paragraph: task, lead, support, result, deadline."""
    context = {"level": "commune", "jurisdiction": "Phú Trung", "date": "2025-11-12"}
    rows = {t["line"]: t for t in extract_tasks(lines_of("003_39263234749c011c.txt"), context)}
    row = rows[586]  # "Thuong xuyén ra soat, hoan thién cac quy trinh ndi bo …"
    assert row["text"].startswith("Thuong xuyén ra soat")
    assert row["lead"] == ["Trung tâm Phục vụ hành chính công xã"]
    assert row["support"] == ["các phòng, ban, đơn vị trên địa bàn xã"]
    assert row["expected_output"] == "Cac Quyét dinh cua UBND xa"
    assert row["deadline"] == {"kind": "recurring", "value": None}
    assert rows[609]["deadline"] == {"kind": "quarter", "value": "2026-Q1"}


# ---------------------------------------------------------------------------------------------------
# scores against the gold (the rules of ../shared/tools/score_extraction.py)

TARGETS = {"recall": 0.95, "precision": 0.95, "deadline": 0.95}  # measured 0.974, 0.983, 0.965
LEAD_FLOOR = 0.851  # measured 0.8516; the target is 0.85 (scrambled appendix columns fall short)


def _unit_f1(pred: list[str], gold: list[str]) -> float:
    pred_set, gold_set = {fold(u) for u in pred if u}, {fold(u) for u in gold if u}
    if not pred_set and not gold_set:
        return 1.0

    def similar(p: str, g: str) -> float:
        return 1.0 if p.startswith(g) or g.startswith(p) else difflib.SequenceMatcher(None, p, g).ratio()

    matched, remaining = 0, set(pred_set)
    for g in gold_set:
        best = max(remaining, key=lambda p: similar(p, g), default=None)
        if best is not None and similar(best, g) >= 0.8:
            matched += 1
            remaining.discard(best)
    p = matched / len(pred_set) if pred_set else 0.0
    r = matched / len(gold_set) if gold_set else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _score() -> dict[str, float]:
    found = predicted = expected = 0
    lead = deadline = 0.0
    for gold_file in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        context = {k: gold["self"].get(k) for k in ("jurisdiction", "province", "level", "date")}
        pred = extract_tasks(lines_of(gold["file"]), context)
        predicted += len(pred)
        expected += len(gold["tasks"])
        for gt in gold["tasks"]:
            g_text = fold(gt["text"])[:120]
            best, best_score = None, 0.0
            for pt in pred:
                sim = difflib.SequenceMatcher(None, fold(pt["text"])[: len(g_text)], g_text).ratio()
                score = sim + (0.1 if abs(pt["line"] - gt["line"]) <= 3 else 0.0)
                if sim >= 0.5 and score > best_score:
                    best, best_score = pt, score
            if best is None:
                continue
            pred.remove(best)
            found += 1
            lead += _unit_f1(best["lead"], gt["lead"])
            deadline += best["deadline"] == {"kind": gt["deadline"]["kind"], "value": gt["deadline"]["value"]}
    return {"recall": found / expected, "precision": found / predicted, "lead": lead / found,
            "deadline": deadline / found}


def test_scores_against_the_gold() -> None:
    if not GOLD.is_dir():
        pytest.skip(f"gold annotations not available: {GOLD} is missing")
    scores = _score()
    for name, target in TARGETS.items():
        assert scores[name] >= target, (name, scores)
    assert scores["lead"] >= LEAD_FLOOR, scores


def _row(lead: list[str], support: list[str]) -> dict:
    return {"lead": list(lead), "support": list(support)}


GROUP = "các phòng, ban, đơn vị trên địa bàn xã"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # a lone cell holding the table's supporting unit: the lead cell was lost, the cell supports
        ([_row(["Phòng Kinh tế"], [GROUP])] * 3 + [_row([GROUP], [])], ([], [GROUP])),
        # too few rows to tell the column: the lone cell stays lead
        ([_row(["Phòng Kinh tế"], [GROUP])] * 2 + [_row([GROUP], [])], ([GROUP], [])),
        # the unit also leads other rows: the lone cell stays lead
        ([_row(["Phòng Kinh tế"], [GROUP])] * 3 + [_row([GROUP], ["Công an xã"])] * 2 + [_row([GROUP], [])],
         ([GROUP], [])),
    ],
)
def test_lone_unit_cell_follows_its_column(rows: list[dict], expected: tuple[list[str], list[str]]) -> None:
    from ingest.task_tables import _lone_cells_by_column

    rows = [dict(r) for r in rows]
    _lone_cells_by_column(rows)
    assert (rows[-1]["lead"], rows[-1]["support"]) == expected


SAMPLE_003 = "003_39263234749c011c.txt"


@pytest.mark.parametrize(
    ("text_line", "top_line"),
    [
        # 'Phòng Văn hóa - Xã hội | Các phòng, ban, đơn' stands on the line above 'Phủ sóng 5G …'
        (480, 479),
        # 'Trung tâm Phục vụ' then the number '5' above 'Hạ tầng số … hành chính công'
        (478, 476),
        # a row whose cells all stand beside its text keeps its first line
        (459, 459),
    ],
)
def test_unit_cells_above_the_task_text_belong_to_the_row(text_line: int, top_line: int) -> None:
    from ingest.task_tables import _rows, find_tables
    from ingest.tasks import Doc

    doc = Doc(lines_of(SAMPLE_003))
    rows = {r.start + 1: r for table in find_tables(doc) for r in _rows(doc, table)}
    assert rows[text_line].top + 1 == top_line


@pytest.mark.parametrize(
    ("line", "starts"),
    [
        ("So Khoahoo | ~2¢>% |Ké hoach/vin ban Y", False),  # cells of other columns
        ("Trung tim Phuc vu Céac phong, ban, don", False),  # unit cells
        ("Xay dung chuong trinh, ke hoach phat dong phong", True),
    ],
)
def test_row_start(line: str, starts: bool) -> None:
    from ingest.task_tables import _row_start
    from ingest.tasks import Doc

    assert _row_start(Doc(["", line]), 1) is starts


@pytest.mark.parametrize(
    ("lead", "support", "line", "expected"),
    [
        # one line carries the ends of both unit cells: each goes to the name it completes
        ("Trung tim Phuc vu", "Céac phong, ban, don", "Hanh chinh cong; vi trén dia ban xa .",
         ("Hanh chinh cong;", "vi trén dia ban xa .")),
        ("S& Khoa hoc", "Qac 50,", "va Cong nghé: nganh; dia", ("va Cong nghé:", "nganh; dia")),
    ],
)
def test_a_line_is_shared_between_the_unit_columns(lead: str, support: str, line: str,
                                                    expected: tuple[str, str]) -> None:
    from ingest.task_tables import _share

    assert _share(lead, support, line.split()) == expected


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["Trung tim Phuc vu Céac phong, ban, don"], ["Trung tim Phuc vu", "Céac phong, ban, don"]),
        (["Phong Van hoa - X&", "Céc phong, ban, don"], ["Phong Van hoa - X&", "Céc phong, ban, don"]),
        (["Van phong"], ["Van phong"]),
        (["Cac s6, nganh S0 Tu phdp"], ["Cac s6, nganh", "S0 Tu phdp"]),
        (["C4c so, nganh, dia S0 NOI vu; S\\O"], ["C4c so, nganh, dia", "S0 NOI vu; S\\O"]),
        # names listed in one cell (comma, semicolon, 'và') stay together
        (["Công an tỉnh; Các sở, ngành"], ["Công an tỉnh; Các sở, ngành"]),
        (["Sở Tài chính, Công an tỉnh"], ["Sở Tài chính, Công an tỉnh"]),
    ],
)
def test_a_cell_line_without_a_rule_is_cut_between_names(pieces: list[str], expected: list[str]) -> None:
    from ingest.task_tables import _split_cells

    assert _split_cells(pieces) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["các phòng, ban, đơn vị", "các phòng, đơn vị", "các đơn vị"], ["các phòng, ban, đơn vị"]),
        (["các sở, ngành", "các sở, ngành, địa phương", "Công an tỉnh"],
         ["các sở, ngành, địa phương", "Công an tỉnh"]),
        (["Sở Tài chính", "Sở Nội vụ"], ["Sở Tài chính", "Sở Nội vụ"]),
    ],
)
def test_names_read_from_the_words_of_a_wider_name_are_dropped(names: list[str], expected: list[str]) -> None:
    from ingest.task_tables import _widest

    assert _widest(names) == expected


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        # 'Các sở,' / 'ngành; địa' / 'phương' on three lines, other columns' words between them
        ("Cac so, 9 . , e X . chinh dugc nganh; dia , . cn b phuong", ["các sở, ngành, địa phương"]),
        ("Cac s0, ban, 42 2 nganh; dia ‘ A tin phuong", ["các sở, ban, ngành, địa phương"]),
        ("Ké hoach cong tac Thuong xuyén", []),
    ],
)
def test_a_name_scattered_over_a_column_is_read(stream: str, expected: list[str]) -> None:
    from ingest.task_tables import _known_units

    assert _known_units(stream, {}) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # 'Các sở,' / 'ngành; địa' / 'phương' at the ends of three task-text lines
        (["Cu the hoa nhiem vu chuyen doi so, phat trien khoa", "hoc, cong nghe trong chuong Cac SO’. . R",
          "3 nganh; dia Ke hoach cong tac|Thuong xuyen", "trinh, ke hoach cong tac hang nam", "phuong"],
         ["các sở, ngành, địa phương"]),
        # a rule glued to the words, and the leading 'các' lost in it
        (["Xay dung ke hoach ho tro doanh nghiep tham gia [So, nganh, dia[Ban Dan toc , Than",
          "1 phat trien cac ung dung, dich vu so moi theo hinh | phuong lien | Ke hoach g"],
         ["các sở, ngành, địa phương"]),
        # words of a name three lines apart do not make it up
        (["So tay ve nganh nghe", "mot", "hai", "ba dia ly phuong phap"], []),
        # a three-word name is not read across lines
        (["Ho tro ky thuat cho So", "Cong nghiep va Thuong mai"], []),
    ],
)
def test_a_cell_scattered_over_a_rows_lines_is_read(lines: list[str], expected: list[str]) -> None:
    from ingest.task_tables import Row, _scattered_row_units
    from ingest.tasks import Doc

    doc = Doc(["", *lines])
    assert _scattered_row_units(doc, Row(1, len(lines) + 1, "", "1"), {}) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("tdm", "tam"), ("phuyc", "phuc"), ("phuc", "phuc"), ("xyz", "xyz"), ("so", "so")],
)
def test_a_word_one_letter_off_reads_as_a_word_of_names(word: str, expected: str) -> None:
    from ingest.task_tables import _name_token

    assert _name_token(word) == expected


def test_a_lone_supporting_cell_leaves_the_lead_to_a_name_scattered_over_the_row() -> None:
    from ingest.task_tables import _lone_cells_by_column

    support = "các phòng, ban, đơn vị"
    rows = [{"lead": ["Phòng Kinh tế"], "support": [support]} for _ in range(3)]
    rows.append({"lead": ["các phòng, ban"], "support": []})
    found = {3: ["Trung tâm Phục vụ hành chính công", support]}
    _lone_cells_by_column(rows, lambda k: found.get(k, []))
    assert rows[3] == {"lead": ["Trung tâm Phục vụ hành chính công"], "support": ["các phòng, ban"]}


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("I11. [Ting cwong dau tw, hoan thién ha tang cho khoa hoc", True),
        ("IV. thong chinh tri; ndng cao hi¢u qua quan tri quoc gia", True),
        ("I A A A e 1i Cac so,", False),  # debris before a unit cell, not a numeral and a title
    ],
)
def test_group_heading(line: str, heading: bool) -> None:
    from ingest.task_tables import _is_group_heading

    assert _is_group_heading(line) is heading


@pytest.mark.parametrize(
    ("found", "names", "expected"),
    [
        (["Ủy ban nhân dân tỉnh", "Công ty Điện lực"], ["Ủy ban nhân dân cấp xã"], ["Công ty Điện lực"]),
        (["các sở, ngành, địa phương"], ["các sở, ngành"], []),
        (["Sở Khoa học và Công nghệ"], ["Sở Nội vụ"], ["Sở Khoa học và Công nghệ"]),
    ],
)
def test_other_names_set_level_words_aside(found: list[str], names: list[str], expected: list[str]) -> None:
    from ingest.task_tables import _other_names

    assert _other_names(found, names) == expected


def test_a_scattered_name_without_its_level_word_is_the_documents_own() -> None:
    from ingest.task_tables import Row, _scattered_row_units
    from ingest.tasks import Doc

    lines = ["", "Trung tdm Phuc vu Cac phong, ban, don", "Ha tang so Hanh chinh cong vi tren dia ban xa"]
    names = _scattered_row_units(Doc(lines), Row(2, 3, "", "1", top=1), COMMUNE)
    assert names[0] == "Trung tâm Phục vụ hành chính công xã"


@pytest.mark.parametrize(
    ("name", "names", "tail"),
    [
        ("Ủy ban nhân dân tỉnh", ["Văn phòng Ủy ban nhân dân tỉnh"], True),
        ("Văn phòng Ủy ban nhân dân tỉnh", ["Văn phòng Ủy ban nhân dân tỉnh"], False),
        ("Ủy ban nhân dân tỉnh", ["Ủy ban nhân dân tỉnh Quảng Ngãi"], False),  # a head, not a tail
    ],
)
def test_a_name_that_ends_a_wider_one_is_its_fragment(name: str, names: list[str], tail: bool) -> None:
    from ingest.task_tables import _tail_of

    assert _tail_of(name, names) is tail


@pytest.mark.parametrize(
    ("line", "suffix"),
    [
        ("chinh tri - x3 hoi. thé tinh; Mt tran T6 qudc", "thé tinh; Mt tran T6 qudc"),
        ("Xay dung va trien khai cac De an do thi thong minh. S¢ Xay dung", "S¢ Xay dung"),
        ("phai thé tinh; Mt tran T quéc", "thé tinh; Mt tran T quéc"),
        # names after 'với' are the object of the task's sentence, not a cell
        ("Phoi hgp vai Cong an tinh, So Khoa hoc va Cong nghé trong A . oz", ""),
    ],
)
def test_the_unit_cell_ending_a_text_line_starts_after_its_sentence(line: str, suffix: str) -> None:
    from ingest.task_tables import _unit_suffix

    assert _unit_suffix(line) == suffix


@pytest.mark.parametrize(
    ("name", "level", "above"),
    [("Chính phủ", "province", True), ("Sở Nội vụ", "province", False), ("Chính phủ", "national", False)],
)
def test_a_national_body_is_above_a_local_plan(name: str, level: str, above: bool) -> None:
    from ingest.task_tables import _above_the_plan

    assert _above_the_plan(name, {"level": level}) is above


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["C4c so, nganh, dia S0 NOI vu; S\\O"], ["C4c so, nganh, dia", "S0 NOI vu; S\\O"]),
        # a specific name first: the line is left whole for the columns to share
        (["S& Khoa hoc va Cong Céc s0, ban, nganh"], ["S& Khoa hoc va Cong Céc s0, ban, nganh"]),
    ],
)
def test_a_group_cell_after_a_rule_is_cut_from_the_next(pieces: list[str], expected: list[str]) -> None:
    from ingest.task_tables import _after_group

    assert _after_group(pieces) == expected


@pytest.mark.parametrize(
    ("part", "read_as", "unfinished"),
    [
        ("UBND céc dia", "Ủy ban nhân dân cấp xã", True),  # the start of 'UBND các địa phương'
        ("S& Khoa hoc va Cong", "Sở Khoa học và Công nghệ", False),  # read as the name it starts
        ("UBND cap tinh", "Ủy ban nhân dân cấp tỉnh", False),
    ],
)
def test_the_start_of_a_longer_name_is_not_read_as_another(part: str, read_as: str, unfinished: bool) -> None:
    from ingest.task_tables import _unfinished

    assert _unfinished(part, read_as) is unfinished


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        # a name read whole, and one whose words the other columns split
        ("Vian phong UBND tinh; S& Khoa hoc va xa Cong nghé phong",
         ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Khoa học và Công nghệ"]),
        ("Sở Tài chính, Công an tỉnh", ["Sở Tài chính", "Công an tỉnh"]),
    ],
)
def test_scattered_names_are_read_beside_whole_ones(stream: str, expected: list[str]) -> None:
    from ingest.task_tables import _known_units

    assert _known_units(stream, {"level": "province"}) == expected


def test_a_bracket_glued_after_a_word_is_a_column_rule() -> None:
    from ingest.task_tables import _COLUMN_BREAK

    cells = _COLUMN_BREAK.split("tinh; S& Khoa hoc va] UBND cap xd")
    assert cells == ["tinh; S& Khoa hoc va", " UBND cap xd"]
