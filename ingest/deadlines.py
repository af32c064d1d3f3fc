"""Deadlines of tasks ("thời gian thực hiện", "thời hạn hoàn thành").

`parse_deadline(raw, doc_date)` reads the OCR'd value of a deadline cell or line and returns
{"kind", "value"}: date (ISO day), month (`YYYY-MM`), quarter (`YYYY-Qn`), year (`YYYY`), recurring
("thường xuyên", "hằng tuần"), conditional ("sau khi Trung ương ban hành", "theo chỉ đạo …") or none.
The text is accent-folded first, so OCR damage to diacritics does not matter; letters that OCR
confuses inside numerals (`1V` for IV, `1\\V`) are repaired before matching.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ingest.dates import parse_date
from ingest.units import fold

KINDS = ("date", "month", "quarter", "year", "recurring", "conditional", "none")

_DAY = re.compile(r"(?<!\d)(\d{1,2})\s?[/.-]\s?(\d{1,2})\s?[/.-]\s?(\d{4})(?!\d)")
_QUARTER = re.compile(r"\bq\w?y\s?([iv1l|\\]{1,4})\b[\s/,]*(?:nam|n\wm)?\s*(\d{4})?")
_LAST_MONTHS = re.compile(r"\b0?([36])\s+thang\s+cu\w{1,3}\s+n\w{1,2}m\s*(\d{4})?")
_MONTH_YEAR = re.compile(r"(?<![\d/])(\d{1,2})\s?/\s?(\d{4})(?!\d)")
_MONTH_WORD = re.compile(r"\bth\w{0,3}n\s?g\s?(\d{1,2})(?:\s*(?:/|nam|n\wm)\s*|)(\d{4})?")
_RECURRING = re.compile(
    r"x+u[vy]?[vy]?en\b|\bh\w{1,3}ng\s+(?:n\w{1,2}m|th\w{1,3}ng|tu\w{1,2}n|quy|ngay)\b|\bdinh ky\b"
)
_CONDITIONAL = re.compile(
    r"\bsau khi\b|\bkhi co\b|\btheo (?:chi dao|huong dan|yeu cau|ke hoach|lo trinh|tien do)"
    r"|\bkhi (?:trung uong|cap tren|duoc)\b"
)
_YEAR = re.compile(r"(?<![\d/])(20\d{2})(?![\d/])")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR_FIRST = re.compile(r"\d{4}")


def none_deadline() -> dict:
    return {"kind": "none", "value": None}


def parse_deadline(raw: str | None, doc_date: str | date | None = None) -> dict:
    """Classify a raw deadline; `doc_date` (ISO or date) supplies the year when the text omits it.

    >>> parse_deadline("Hoan thanh truée ngay 31/12/2025.")
    {'kind': 'date', 'value': '2025-12-31'}
    >>> parse_deadline("Quy 1V/2025")
    {'kind': 'quarter', 'value': '2025-Q4'}
    """
    if not raw or not raw.strip():
        return none_deadline()
    return dict(_parse(raw, _doc_year(doc_date)))  # a copy: the caller may change its record


@lru_cache(maxsize=16384)
def _parse(raw: str, doc_year: int | None) -> dict:
    """`parse_deadline` once per distinct text and year (cells repeat across rows and plans)."""
    text = fold(raw)
    day = parse_date(raw)
    if day is not None:
        return {"kind": "date", "value": day.isoformat()}
    for reader in (_read_day, _read_quarter, _read_month):
        found = reader(text, doc_year)
        if found:
            return found
    if _RECURRING.search(text):
        return {"kind": "recurring", "value": None}
    if _CONDITIONAL.search(text):
        return {"kind": "conditional", "value": None}
    year = _YEAR.search(text)
    if year:
        return {"kind": "year", "value": year.group(1)}
    return none_deadline()


def has_deadline(raw: str) -> bool:
    """True when `raw` carries a readable deadline of any kind."""
    return parse_deadline(raw)["kind"] != "none"


@lru_cache(maxsize=1024)
def _doc_year(doc_date: str | date | None) -> int | None:
    """The year of a document's date (once per date: every task of a plan asks)."""
    if isinstance(doc_date, date):
        return doc_date.year
    if isinstance(doc_date, str) and _YEAR_FIRST.match(doc_date):
        return int(doc_date[:4])
    return None


def _plausible_year(value: str | None, doc_year: int | None) -> int | None:
    if value and 1990 <= int(value) <= 2100:
        return int(value)
    return doc_year


def _read_day(text: str, _doc_year: int | None) -> dict | None:
    for m in _DAY.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            return {"kind": "date", "value": date(year, month, day).isoformat()}
        except ValueError:
            continue
    return None


def _read_quarter(text: str, doc_year: int | None) -> dict | None:
    m = _QUARTER.search(text)
    if m:
        numeral = re.sub(r"[1l|\\]", "i", m.group(1)).replace("iiv", "iv")
        quarter = _ROMAN.get(numeral) or (int(m.group(1)) if m.group(1).isdigit() else None)
        year = _plausible_year(m.group(2), doc_year)
        if quarter and 1 <= quarter <= 4 and year:
            return {"kind": "quarter", "value": f"{year}-Q{quarter}"}
    m = _LAST_MONTHS.search(text)
    if m:
        year = _plausible_year(m.group(2), doc_year)
        if year:
            return {"kind": "quarter", "value": f"{year}-Q{3 if m.group(1) == '6' else 4}"}
    return None


def _read_month(text: str, doc_year: int | None) -> dict | None:
    for m in _MONTH_YEAR.finditer(text):
        month, year = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1990 <= year <= 2100:
            return {"kind": "month", "value": f"{year}-{month:02d}"}
    m = _MONTH_WORD.search(text)
    if m:
        month = int(m.group(1))
        year = _plausible_year(m.group(2), doc_year)
        if 1 <= month <= 12 and year:
            return {"kind": "month", "value": f"{year}-{month:02d}"}
    return None
