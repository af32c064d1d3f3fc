"""Dates in Vietnamese administrative text, clean or OCR-damaged.

Forms read (accents optional, any case, line breaks allowed between the words):
- numeric: "ngày 17/10/2025", "17-10-2025", "22/ 12/2024", "12 /11/2025";
- words: "ngày 22 tháng 12 năm 2024", split over lines ("Hà Nội, ngày 01" / "tháng 4 năm 2025"),
  OCR'd words ("ngdy", "thdng", "ndm", "11ndm");
- OCR runs where the slashes were read as "1" or lost: "ngay. 2911012025" (29/10/2025);
- signature time stamps: "2025-10-28T19:05:55+0700".

Impossible dates (31/02, month 13) are rejected. In the words form a day or month that is not valid
as printed is repaired by reading OCR "7" as "1" ("ngay 70 thang 77/ nam 2025" → 10/11/2025); a
repaired date carries every valid reading in `candidates` and a low confidence, so a caller that
knows more (dates the document cites must not be later than the document) can choose.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

MIN_YEAR, MAX_YEAR = 1900, 2099
CONFIDENCE = {"numeric": 0.95, "words": 0.95, "iso": 0.9, "run": 0.7, "run-ambiguous": 0.5,
              "repaired": 0.4}
# OCR digit confusions tried, in order, when a printed day or month is impossible
_DIGIT_REPAIRS = {"7": "1"}

_GAP = r"[ \t]{0,2}"
_WS = r"[ \t\n]{0,3}"
_DAY_WORD = r"\bng\w{1,3}\.?"  # ngày, ngay, ngdy, ngay.
_NUMERIC = re.compile(
    rf"(?<![\d/.-])(?P<d>\d{{1,2}}){_GAP}(?P<s>[/.-]){_GAP}(?P<m>\d{{1,2}}){_GAP}(?P=s){_GAP}"
    r"(?P<y>\d{4})(?![\d/])"
)
_ISO = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?=T\d{2}:\d{2})")
_WORDS = re.compile(
    rf"{_DAY_WORD}{_WS}(?P<d>[^\s]{{1,3}}?){_WS}\bth\w{{2,4}}g{_WS}(?P<m>[^\s]{{1,3}}?){_WS}"
    rf"n\w{{1,3}}m{_WS}(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_RUN = re.compile(rf"{_DAY_WORD}{_GAP}(?P<run>\d{{7,10}})(?!\d)", re.IGNORECASE)
_TRAILING_NOISE = re.compile(r"^(\d{1,2})[/.,:;']?$")


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: span and raw text, the chosen reading, every valid reading."""

    start: int
    end: int
    raw: str
    date: dt.date
    candidates: tuple[dt.date, ...]
    confidence: float
    kind: str  # numeric | words | iso | run | run-ambiguous | repaired


def parse_date(text: str) -> dt.date | None:
    """The first date in `text`, or None: parse_date("ngày 22 tháng 12 năm 2024") → 2024-12-22."""
    found = find_dates(text)
    return found[0].date if found else None


def find_dates(text: str) -> list[DateMatch]:
    """Every date in `text`, in order, without overlaps (the earliest, then longest, match wins)."""
    matches = [*_numeric(text), *_iso(text), *_words(text), *_runs(text)]
    matches.sort(key=lambda m: (m.start, -m.end))
    kept: list[DateMatch] = []
    for match in matches:
        if not kept or match.start >= kept[-1].end:
            kept.append(match)
    return kept


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A real calendar date in the accepted year range, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numeric(text: str) -> list[DateMatch]:
    out = []
    for m in _NUMERIC.finditer(text):
        date = make_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if date:
            out.append(_match(text, m, (date,), "numeric"))
    return out


def _iso(text: str) -> list[DateMatch]:
    out = []
    for m in _ISO.finditer(text):
        date = make_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if date:
            out.append(_match(text, m, (date,), "iso"))
    return out


def _words(text: str) -> list[DateMatch]:
    out = []
    for m in _WORDS.finditer(text):
        day, month = _number_token(m["d"]), _number_token(m["m"])
        if day is None or month is None:
            continue  # an unreadable day or month ("/¢") gives no date, not a guess
        year = int(m["y"])
        exact = make_date(year, int(month), int(day))
        if exact:
            out.append(_match(text, m, (exact,), "words"))
            continue
        repaired = tuple(dict.fromkeys(
            date for d, mo in itertools.product(_repairs(day), _repairs(month))
            if (date := make_date(year, int(mo), int(d)))
        ))
        if repaired:
            out.append(_match(text, m, repaired, "repaired"))
    return out


def _runs(text: str) -> list[DateMatch]:
    out = []
    for m in _RUN.finditer(text):
        readings = _read_run(m["run"])
        if readings:
            out.append(_match(text, m, readings, "run" if len(readings) == 1 else "run-ambiguous"))
    return out


def _read_run(run: str) -> tuple[dt.date, ...]:
    """'2911012025' → (29/10/2025,): day, month and year with each slash read as '1' or lost."""
    year = int(run[-4:])
    head = run[:-4]
    readings = []
    for day_len, sep1, month_len, sep2 in itertools.product((1, 2), ("", "1"), (1, 2), ("", "1")):
        if not sep1 and not sep2:
            continue  # with no slash left the split is a guess, not a reading
        if day_len + len(sep1) + month_len + len(sep2) != len(head):
            continue
        day, rest = head[:day_len], head[day_len:]
        if not rest.startswith(sep1):
            continue
        month, rest = rest[len(sep1):len(sep1) + month_len], rest[len(sep1) + month_len:]
        if rest != sep2:
            continue
        date = make_date(year, int(month), int(day))
        if date:
            readings.append((month.startswith("0"), date))
    # The documents mostly write the month without a leading zero ("01/4/2025"), so a reading that
    # needs one ("29/01") comes after one that does not ("29/10").
    readings.sort(key=lambda pair: pair[0])
    return tuple(dict.fromkeys(date for _, date in readings))


def _number_token(token: str) -> str | None:
    """The digits of a day or month token, tolerating one trailing OCR mark ("77/")."""
    m = _TRAILING_NOISE.match(token)
    return m.group(1) if m else None


def _repairs(digits: str) -> list[str]:
    """The token itself, then every reading with OCR-confusable digits replaced."""
    options = [[ch, _DIGIT_REPAIRS[ch]] if ch in _DIGIT_REPAIRS else [ch] for ch in digits]
    readings = ["".join(combo) for combo in itertools.product(*options)]
    return sorted(readings, key=lambda r: sum(a != b for a, b in zip(r, digits, strict=True)))


def _match(text: str, m: re.Match[str], dates: tuple[dt.date, ...], kind: str) -> DateMatch:
    return DateMatch(m.start(), m.end(), text[m.start():m.end()], dates[0], dates, CONFIDENCE[kind], kind)
