"""Identifier finder: every OCR row of conventions.md, more damage seen in scans, and strings that
must not be read as identifiers."""

from __future__ import annotations

import pytest

from ingest.ids import canonicalize, find_identifiers
from tests.gold_data import EXTRA, SEEDS, require

# (raw text, canonical ids expected in order)
OCR_TABLE = [
    ("02-KH/BCPTW", ["02-KH/BCĐTW"]),
    ("02-KH/BCBTW", ["02-KH/BCĐTW"]),
    ("02-KH/BCDTW", ["02-KH/BCĐTW"]),
    ("57-NO/TW", ["57-NQ/TW"]),
    ("57- NQ/TW", ["57-NQ/TW"]),
    ("s6 57-\nNQ/TW", ["57-NQ/TW"]),
    ("71/NO- CP", ["71/NQ-CP"]),
    ("07- TB/CQTTBCPD", ["07-TB/CQTTBCĐ"]),
    ("07-TB/CQTTBCP", ["07-TB/CQTTBCĐ"]),
    ("52IKH-BCH ngay. 2911012025", ["52/KH-BCĐ"]),
    ("52 IKH-BCD", ["52/KH-BCĐ"]),
    ("18/QB-BCP", ["18/QĐ-BCĐ"]),
    ("37-CV/PU", ["37-CV/ĐU"]),
    ("36-TB/DU", ["36-TB/ĐU"]),
    ("S667  /KH-UBND", ["667/KH-UBND"]),
    ("Sb:55 [TTr-UBND", ["55/TTr-UBND"]),
]

MORE = [
    # line breaks and spaces inside ids
    ("Ké hoach sb 02-\nKH/BCDTW ngay 19/6/2025", ["02-KH/BCĐTW"]),
    ("Nghi quyét s6 13-\nNQ/TU ngay 06/9/2023", ["13-NQ/TU"]),
    ("Tờ trình SO 1749/TTr-\nSKHCN ngay 29/9/2025", ["1749/TTr-SKHCN"]),
    ("Nghi quyét s6 71/NQ-\nCP ngay 01/4/2025", ["71/NQ-CP"]),
    ("Ké hoach s6 01 -KH/BCD, ngay", ["01-KH/BCĐ"]),
    ("Nghi quyét s6 57 - NQ/TW ngay", ["57-NQ/TW"]),
    ("Ké hoach s6 211/KH- UBND ngay", ["211/KH-UBND"]),
    ("Chuong trinh hanh dong sé 63-\nCTr/TU ngay", ["63-CTr/TU"]),
    # a lost space: the number glued to the word before it
    ("Nghị quyết57-NQ/TW ngày 22/12/2024", ["57-NQ/TW"]),
    ("Ké hoach sé01-KH/BCP, ngay 17/10/2025", ["01-KH/BCĐ"]),
    # dashes set as en or em dashes
    ("Nghị quyết số 57–NQ/TW ngày 22/12/2024", ["57-NQ/TW"]),
    ("Nghị quyết số 71/NQ—CP", ["71/NQ-CP"]),
    # "số" glued or mangled in front of the number
    ("Cong van 6 22-CV/TU ngay 11/7/2025", ["22-CV/TU"]),
    ("Ké hoach s0 368-KH/TU ngay", ["368-KH/TU"]),
    ("Sb: 95 /KH-UBND Phu Trung", ["95/KH-UBND"]),
    ("$6 57-NQ/TW", ["57-NQ/TW"]),
    ("SỐ 57-NQ/TW NGÀY 22 THÁNG 12 NĂM 2024", ["57-NQ/TW"]),
    ("Số: 30/2018/QĐ-UBND | Hải Phòng", ["30/2018/QĐ-UBND"]),
    # Đ restored in issuer and unit codes
    ("Quyét dinh s6 126/QD-BCDCP ngay", ["126/QĐ-BCĐCP"]),
    ("Cong vin s6 04-CV/BCH ngay 18/8/2025", ["04-CV/BCĐ"]),
    ("Ké hoach sé 04-KH/BCPD ngay 30/6/2025", ["04-KH/BCĐ"]),
    ("Ké hoach hanh dong s6 17-KH/DU ngay", ["17-KH/ĐU"]),
    ("Ké hogch s6 19-KH/PU ngay", ["19-KH/ĐU"]),
    ("tai Thong bao (07-TB/CQTTBC)", ["07-TB/CQTTBCĐ"]),
    ("sé 2029/SKHCN-KHCN&DMST ngay 10/10/2025", ["2029/SKHCN-KHCN&ĐMST"]),
    ("Nghị định số 118/2025/ND-CP", ["118/2025/NĐ-CP"]),
    ("Quyét dinh s6 06/QD-TTg ngay 06/01/2022", ["06/QĐ-TTg"]),
    ("Thong bao sé 06-TB/BCDTW ngay 27/9/2025", ["06-TB/BCĐTW"]),
    # letters, laws, joint symbols, suffixed numbers, the Party plan printed in state form
    ("van ban so6 152/BTTTT-TTH va 708/BTTTT-CATTT;", ["152/BTTTT-TTH", "708/BTTTT-CATTT"]),
    ("Công văn số 189/CV-VHXH, ngay 09/10/2025", ["189/CV-VHXH"]),
    ("Luật số 67/2006/QH11 ngày 29/6/2006", ["67/2006/QH11"]),
    ("Nghị quyết số 35/2023/UBTVQH15 ngày 12/7/2023", ["35/2023/UBTVQH15"]),
    ("số 19/2012/TTLT-BTC-BKH&ĐT-BTTTT ngày 15/02/2012", ["19/2012/TTLT-BTC-BKH&ĐT-BTTTT"]),
    ("Nghị quyết số 30c/NQ-CP ngày 08/11/2011", ["30c/NQ-CP"]),
    ("Nghị quyết 36a/NQ-CP của Chính phủ", ["36a/NQ-CP"]),
    ("Kế hoạch số 02/KH-BCĐTW ngày 19 tháng 6", ["02-KH/BCĐTW"]),
    ("số 2231/SNV-CCHC&PC ngày 28/9/2018", ["2231/SNV-CCHC&PC"]),
    ("Báo cáo thẩm định số 18/BCTĐ-STP", ["18/BCTĐ-STP"]),
    ("Quy định số 337-QĐ/TW ngày 27/6/2025", ["337-QĐ/TW"]),
    ("Chương trình hành động số 09-CTr/TU", ["09-CTr/TU"]),
    ("Phương án số 316/PA-UBND ngày 19/01/2024", ["316/PA-UBND"]),
    # footnote markers and neighbours glued to ids
    ("thực hiện Nghị quyết số 57-NQ/TW1, ngày", ["57-NQ/TW"]),
    ("Nghi quyét s6 57-NQ/TW (https://ng57.vn)", ["57-NQ/TW"]),
    ("Ké hoach sb 02-KH/BCPTW:; xéac dinh", ["02-KH/BCĐTW"]),
    ("Thong bao s 44-TB/TGV ngay 12/9/2025, Thong bao s 46-TB/TGV ngay 30/9/2025",
     ["44-TB/TGV", "46-TB/TGV"]),
    # a Party id cut by a table column: the number ends one cell, the symbol opens the next line
    ("Théng bao s 44- | hién theo chirc ning nhiém\nTB/TGV, ngay 12/9/2025", ["44-TB/TGV"]),
    # several in a row
    ("Nghi quyét sb 57-NQ/TW, Nghi quyét sb 71/NQ-CP, Ké hoach sb 02-KH/BCPTW",
     ["57-NQ/TW", "71/NQ-CP", "02-KH/BCĐTW"]),
]

NOT_IDS = [
    "ngày 17/10/2025",
    "ngay 1/7/2025",
    "giai đoạn 2021-2025",
    "2025 - 2030",
    "2025 – 2030",
    "Quý IV/2025",
    "quy I11/2025",
    "Điều 5. Hiệu lực",
    "Điện thoại: 0255.3822.123",
    "Tel 0912-345-678",
    "5 [auy dinh cua phap luat",
    "I11- TO CHUC THUC HIEN",
    "1- NHIEM VU",
    "I2IKH-BCD ngay 291012025",
    "Trang 3/12",
    "tỷ lệ 100%/năm",
    "https://ng57.vn",
    "Kế hoạch này",
    "Số: /KH-UBND",
    "2 [li",
    "6 Iuu y phdi bao dam",
    "COVID-19",
]


@pytest.mark.parametrize(("raw", "expected"), OCR_TABLE + MORE)
def test_identifiers_are_found_and_canonical(raw: str, expected: list[str]) -> None:
    assert [m.canonical for m in find_identifiers(raw)] == expected


@pytest.mark.parametrize("raw", NOT_IDS)
def test_false_positives_are_rejected(raw: str) -> None:
    assert find_identifiers(raw) == []


@pytest.mark.parametrize(("raw", "expected"), OCR_TABLE)
def test_canonicalize_reads_one_id(raw: str, expected: list[str]) -> None:
    assert canonicalize(raw) == expected[0]


def test_match_fields_for_a_party_id() -> None:
    (m,) = find_identifiers("Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025")
    assert (m.number, m.symbol, m.family, m.type_code, m.issuer_code) == \
        ("02", "KH/BCĐTW", "party", "KH", "BCĐTW")
    assert m.confidence == 1.0


def test_match_fields_for_a_state_id_with_a_year() -> None:
    (m,) = find_identifiers("Nghị định số 118/2025/NĐ-CP")
    assert (m.number, m.symbol, m.family, m.type_code, m.issuer_code, m.year) == \
        ("118", "NĐ-CP", "state", "NĐ", "CP", 2025)


def test_letter_has_no_type_code() -> None:
    (m,) = find_identifiers("Công văn số 2029/SKHCN-KHCN&ĐMST")
    assert (m.family, m.type_code, m.issuer_code) == ("letter", None, "SKHCN")


def test_offsets_and_raw_span_the_damaged_text() -> None:
    text = "Thong bao Két luan s6 07- TB/CQTTBCPD ngay 15/10/2025"
    (m,) = find_identifiers(text)
    assert text[m.start:m.end] == m.raw == "07- TB/CQTTBCPD"


def test_repairs_lower_the_confidence() -> None:
    clean = find_identifiers("07-TB/CQTTBCĐ")[0].confidence
    damaged = find_identifiers("07- TB/CQTTBCPD")[0].confidence
    assert damaged < clean


def test_no_unbounded_backtracking_on_hostile_input() -> None:
    import time

    hostile = ("1" * 40 + " " * 3 + "-" + " " * 3 + "A" * 40 + "/") * 2000 + "9/" * 20000
    started = time.perf_counter()
    find_identifiers(hostile)
    assert time.perf_counter() - started < 2.0


def test_every_gold_mention_is_read_as_its_id() -> None:
    """Each mention the annotators marked (raw text at its line) is found at that line and read as the
    gold id or one of its alternative spellings. Short forms without a symbol ("07-CQTTBCD", given
    by "viết tắt là") are not ids by themselves: the reference extractor reads those."""
    import json

    missed = []
    total = 0
    for gold_dir, corpus_dir in require(SEEDS, EXTRA):
        for gold_file in sorted(gold_dir.glob("*.json")):
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            text = (corpus_dir / gold["file"]).read_text(encoding="utf-8")
            offsets = [0]
            for line in text.split("\n"):
                offsets.append(offsets[-1] + len(line) + 1)
            found = {(text.count("\n", 0, m.start) + 1, m.raw): m.canonical for m in find_identifiers(text)}
            for ref in gold["references"]:
                if ref["id"].startswith("Đề án"):
                    continue
                accepted = {ref["id"], *ref.get("alt_ids", [])}
                for mention in ref["mentions"]:
                    total += 1
                    if found.get((mention["line"], mention["raw"])) not in accepted and "/" in mention["raw"]:
                        missed.append((gold["file"], mention["line"], mention["raw"]))
    assert total > 200
    assert not missed, missed


@pytest.mark.parametrize(("code", "national"), [
    ("TW", True), ("BCĐTW", True), ("CQTTBCĐ", True), ("TGV", True), ("CP", True), ("TTg", True),
    ("BCĐCP", True), ("BTTTT", True), ("BKHCN", True), ("UBKTTW", True),  # listed or "…TW" / "B…"
    ("TU", False), ("ĐU", False), ("BCĐ", False), ("UBND", False), ("SKHCN", False),
    ("BTGTU", False), ("BDVHU", False), ("BQLKKT", False), ("BCHQS", False),  # local "B…" boards
])
def test_national_issuer_codes(code: str, national: bool) -> None:
    from ingest.codes import is_national

    assert is_national(code) is national
