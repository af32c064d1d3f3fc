"""Dates: clean and OCR-damaged forms from the corpus, impossible dates rejected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.dates import find_dates, parse_date

SAMPLES = Path(__file__).parent.parent / "data" / "samples"
D = dt.date


@pytest.mark.parametrize(("text", "expected"), [
    ("ngày 17/10/2025", D(2025, 10, 17)),
    ("Thông báo số 36-TB/ĐU, ngày 04-10-2025 của Đảng ủy", D(2025, 10, 4)),
    ("ngày 22 tháng 12 năm 2024", D(2024, 12, 22)),
    ("SỐ 57-NQ/TW NGÀY 22 THÁNG 12 NĂM 2024 CỦA BỘ CHÍNH TRỊ", D(2024, 12, 22)),
    ("Hà Nội, ngày 01\ntháng 4 năm 2025", D(2025, 4, 1)),
    ("Bình Định, ngày\n19 tháng 05 năm 2022", D(2022, 5, 19)),
    ("Nghi quyét s6 57-NQ/TW ngay 22/ 12/2024", D(2024, 12, 22)),
    ("95 [KH-UBND ngay 12 /11/2025 ciia UBND", D(2025, 11, 12)),
    ("07-TB/CQTTBCD ngdy 15/10/2025 cua", D(2025, 10, 15)),
    ("Sb: 95 /KH-UBND Phi Trung, ngay 12 thang 11ndm 2025", D(2025, 11, 12)),
    ("Khanh Hoa, ngay 18 thang 10 ném 2025", D(2025, 10, 18)),
    ("52IKH-BCH ngay. 2911012025 ciia Truong Ban", D(2025, 10, 29)),
    ("I2IKH-BCD ngay 291012025 cua Truwong Ban", D(2025, 10, 29)),
    ("\t\t2025-10-28T19:05:55+0700", D(2025, 10, 28)),
    ("Ngok Bay, ngay 70 thang 77/ nam 2025", D(2025, 11, 10)),
    ("Ngok Bay, ngay /¢ thang 70 nam 2025", None),  # the day cannot be read: no guess
    ("ngày 31/02/2025", None),
    ("ngày 12/13/2025", None),
    ("ngày 30 tháng 2 năm 2024", None),
    ("Số: 30/2018/QĐ-UBND", None),
    ("Luật số 67/2006/QH11", None),
    ("Hoàn thành trong tháng 11/2025.", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "kind", "candidates"), [
    ("ngày 17/10/2025", "numeric", [D(2025, 10, 17)]),
    ("ngay. 2911012025", "run", [D(2025, 10, 29)]),
    ("ngay 291012025", "run-ambiguous", [D(2025, 10, 29), D(2025, 1, 29)]),
    ("ngay 70 thang 77/ nam 2025", "repaired", [D(2025, 11, 10)]),
    ("ngay 77 thang 10 nam 2025", "repaired", [D(2025, 10, 17), D(2025, 10, 11)]),
])
def test_damaged_dates_carry_kind_and_candidates(text, kind, candidates):
    (match,) = find_dates(text)
    assert match.kind == kind
    assert list(match.candidates) == candidates


def test_confidence_orders_clean_above_repaired():
    clean, run, repaired = (find_dates(t)[0].confidence for t in
                            ("ngày 17/10/2025", "ngay. 2911012025", "ngay 70 thang 77/ nam 2025"))
    assert clean > run > repaired


def test_spans_point_at_the_raw_text():
    text = "Căn cứ Kế hoạch số 01-KH/BCĐ ngày 17/10/2025 và Nghị quyết ngày 22 tháng 12 năm 2024;"
    found = find_dates(text)
    assert [text[m.start:m.end] for m in found] == ["17/10/2025", "ngày 22 tháng 12 năm 2024"]
    assert [m.raw for m in found] == ["17/10/2025", "ngày 22 tháng 12 năm 2024"]


def test_sample_001_appendix_headers_agree():
    text = (SAMPLES / "001_c63f9e107fae73a1.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    headers = [line for line in lines if "KH-BC" in line and "ngay" in line and "Kém theo" in line]
    assert len(headers) >= 2
    assert {parse_date(line) for line in headers} == {D(2025, 10, 29)}


def test_repeated_samples_give_every_date_each_time():
    one = "".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))
    assert len(find_dates(one * 20)) == 20 * len(find_dates(one)) > 1000
