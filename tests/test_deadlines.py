"""Deadlines as the OCR'd plans print them (samples 000–004), clean forms, and non-deadlines."""

from __future__ import annotations

import pytest

from ingest.deadlines import parse_deadline

DOC_DATE = "2025-10-29"


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        # full dates
        ("Hoan thanh truée ngay 31/12/2025.", "date", "2025-12-31"),
        ("Hoan thanh trudc ngay 31/12/2025.", "date", "2025-12-31"),
        ("Hoan thanh trude ngay 31/12/2025.", "date", "2025-12-31"),
        ("Hoàn thành trước ngày 31/12/2025", "date", "2025-12-31"),
        ("Trudc ngay 20/12/2025", "date", "2025-12-20"),
        ("30/09/2025", "date", "2025-09-30"),
        ("dén ngay 30/6/2025", "date", "2025-06-30"),
        # months
        ("Thang 10/2025.", "month", "2025-10"),
        ("Tháng 10/2025", "month", "2025-10"),
        ("Théng 10/2025", "month", "2025-10"),
        ("Than g 10/2025", "month", "2025-10"),
        (",11ang 12/2025", "month", "2025-12"),
        ("12/2026", "month", "2026-12"),
        ("Pén hét 11/2025", "month", "2025-11"),
        ("Đến hết 11/2025", "month", "2025-11"),
        ("Hoan thanh trong thang 11/2025.", "month", "2025-11"),
        ("Thang 121205", "month", "2025-12"),  # slash and a digit lost: year from the document
        # quarters
        ("Quý IV/2025", "quarter", "2025-Q4"),
        ("Quy 1V/2025.", "quarter", "2025-Q4"),
        ("Quy 1\\V/2025.", "quarter", "2025-Q4"),
        ("quy 1V nim 2025", "quarter", "2025-Q4"),
        ("Quy 1/2026", "quarter", "2026-Q1"),
        ("03 tháng cuối năm 2025", "quarter", "2025-Q4"),
        # years
        ("2025", "year", "2025"),
        ("Năm 2026", "year", "2026"),
        # recurring
        ("Thuong xuyén.", "recurring", None),
        ("Thường xuyên", "recurring", None),
        ("Thuc hién thuong xuyén.", "recurring", None),
        ("Thyc hién thuong xuyén.", "recurring", None),
        ("Thusne xuvén", "recurring", None),
        ("Thuand XUVen", "recurring", None),
        ("Thudne xuvén", "recurring", None),
        ("Thuong xXuyén", "recurring", None),
        ("ong xuyen", "recurring", None),
        ("Hang ndm", "recurring", None),
        ("Hằng năm", "recurring", None),
        ("Hang thang", "recurring", None),
        ("Héng tuan hodc theo yéu cau, chi dao cua 1anh dao Ban Chi dao.", "recurring", None),
        ("Thuonlg xuyen céac thang cuoi nam", "recurring", None),
        # conditional
        ("Sau khi Trun Y uong ban hanh Chuong trinh", "conditional", None),
        ("Sau khi Trung uvong ban hanh", "conditional", None),
        ("Sau khi c¢6 huéng din caa Vian phong Chinh phu", "conditional", None),
        ("Theo chi dao, huéng dan cua cac s&, nganh.", "conditional", None),
        ("Theo chỉ đạo, hướng dẫn của các sở, ngành", "conditional", None),
        # nothing readable
        ("", "none", None),
        ("   ", "none", None),
        ("Ban Chi dao", "none", None),
        ("13/45/2025", "none", None),
    ],
)
def test_parse_deadline(raw: str, kind: str, value: str | None) -> None:
    assert parse_deadline(raw, DOC_DATE) == {"kind": kind, "value": value}


def test_month_without_readable_year_needs_the_document_date() -> None:
    assert parse_deadline("Thang 121205") == {"kind": "none", "value": None}
    assert parse_deadline("Tháng 12", "2024-03-01") == {"kind": "month", "value": "2024-12"}


def test_quarter_year_falls_back_to_document_date() -> None:
    assert parse_deadline("Quý III", "2026-01-05") == {"kind": "quarter", "value": "2026-Q3"}
