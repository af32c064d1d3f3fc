"""The document's own identity (the `self` record): id, type, issuer, jurisdiction, date, title.

Vietnamese administrative documents share one layout (Nghị định 30/2020/NĐ-CP, Quy định 66-QĐ/TW):
a two-column header block — issuing body on the left, the national motto on the right — then
"Số: …" and "<place>, ngày … tháng … năm …", the type heading ("KẾ HOẠCH"), the title, and the body.
This module reads that block line by line, tolerating OCR damage and web renderings that split or
flatten the columns ("Số:" / "146/QĐ-TTg" on two lines, "Số: 30/2018/QĐ-UBND | Hải Phòng, ngày …").

When the header is missing or unreadable the identity comes from evidence further down:
appendix headers "(Kèm theo Kế hoạch số 52/KH-BCĐ ngày 29/10/2025 của …)", the closing "Trên đây là
Kế hoạch …" and digital-signature time stamps. Every value carries its evidence lines.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import yaml

from ingest import codes, places
from ingest.dates import DateMatch, find_dates
from ingest.ids import IdMatch, find_identifiers
from ingest.text import fold, fold_keep_length

_DATA = Path(__file__).parent / "data" / "identity.yaml"
HEADER_MAX_LINES = 40
REFORM_DATE = dt.date(2025, 7, 1)  # the 2025 units exist from this date on
_NUMBER_OFFSET = 8  # the id starts within this many characters after "Số"
_REF_DATE_GAP = re.compile(r"^[\s,;(]{0,3}(?:ng\w{1,3}\.?)?\s{0,2}$", re.IGNORECASE)
_SO_START = re.compile(r"^[^\w$]{0,4}([S$])", re.IGNORECASE)  # OCR reads "S" as "$" too
_BLANK_NUMBER = re.compile(r"^[^\w$]{0,4}[s$]\S{0,2}\s*[:.]?\s*/\s*[A-ZĐ]", re.IGNORECASE)
_LINE_START_ID = 3  # an id this close to the start of a header line is the number without its "Số"
# "<place>, ngày": a word that is not the tail of an id ("…/TW, ngày" is a cited document's date)
_PLACE_BEFORE_DATE = re.compile(r"(?<![/\-\w])[^\W\d_]{2,}\s*,\s*(?:ng\w{1,3}\.?\s*)?$")
# starts only at a word start, and the letters are taken possessively: no quadratic backtracking
_DATE_LINE = re.compile(r"(?<![^\W\d_])[^\W\d_]{2,}+\s*,\s*ng\w{1,3}\b", re.IGNORECASE)
_APPENDIX = re.compile(r"k[eéèẽ]m\s+theo", re.IGNORECASE)
_APPENDIX_HEAD = re.compile(r"^[\W_]{0,3}ph[uụ]\s*l[uụ]c\b", re.IGNORECASE)
_CLOSING = re.compile(r"tr[eê]n\s+[dđ][aâ]y\s+l[aà]\s+", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[\s\-_=*|.]*$")
_LETTERS = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W_]+|[^\w\s]")
_UNIT_WORD = re.compile(r"\b(xa|phuong|thi tran|huyen|thi xa|tinh|thanh pho)$")
_NEW_BODY = re.compile(r"^(ban|uy ban|hoi dong|so|phong|van phong|dang uy|bo|co quan|chinh phu)\b")
_UNIT_NAMES = frozenset({"xã", "phường", "thị trấn", "huyện", "thị xã", "tỉnh", "thành phố"})
_CONTINUATION = re.compile(r"^(ve |va |cua |tinh$|xa |phuong |huyen |thanh pho |tinh |[a-z]+ [a-z]+,)")


@dataclass
class _Found:
    """A value with the lines (0-based) that support it and how sure we are."""

    value: object = None
    lines: list[int] = field(default_factory=list)
    confidence: float = 0.0


def identify(text: str, lines: list[str] | None = None) -> dict:
    """The `self` record of the document `text` (split into `lines`; line numbers are 1-based)."""
    lines = text.split("\n") if lines is None else lines
    doc = _Doc(text, lines)
    heading = _heading(doc)
    number = _number(doc, heading)
    date_line = _date_line(doc, heading)
    if not date_line.lines and number.lines:
        date_line = _date_near_number(doc, number)
    # the appendix and closing are read only when the header leaves something open
    fallback = _Once(lambda: _appendix_evidence(doc, number.value if number.value else None))

    self_id = number if number.lines else fallback()["id"]
    doc_type = heading if heading.value else _type_from_code(self_id) or fallback()["type"]
    date = _self_date(doc, date_line, self_id, fallback)
    issuer = _issuer(doc, number, heading, date_line)
    if not issuer.value and fallback()["issuer"].value:
        issuer = fallback()["issuer"]
    title = _title(doc, heading, date_line, number)
    where = _jurisdiction(doc, self_id, issuer, date_line, title, date.value)

    record_id = self_id.value.canonical if isinstance(self_id.value, IdMatch) else None
    evidence_lines = sorted({*issuer.lines, *self_id.lines, *date.lines, *doc_type.lines, *title.lines})
    parts = [self_id, doc_type, date, where]
    return {
        "id": record_id,
        "type": doc_type.value,
        "issuer": _display_issuer(issuer.value, where.value, _issuer_code(self_id)) if issuer.value else None,
        "jurisdiction": where.value["jurisdiction"] if where.value else None,
        "province": where.value["province"] if where.value else None,
        "level": where.value["level"] if where.value else None,
        "date": date.value.isoformat() if date.value else None,
        "title": title.value,
        "evidence": [{"line": i + 1, "raw": lines[i]} for i in evidence_lines],
        "confidence": round(sum(p.confidence for p in parts) / len(parts), 2),
    }


class _Once:
    """A computation run on first call only (cheaper to make than a `functools.cache` wrapper)."""

    def __init__(self, compute: Callable[[], object]) -> None:
        self._compute = compute
        self._value: object = _Once

    def __call__(self):
        if self._value is _Once:
            self._value = self._compute()
        return self._value


def _issuer_code(found: _Found) -> str | None:
    return found.value.issuer_code if isinstance(found.value, IdMatch) else None


# ----------------------------------------------------------------------------------- the document


class _Doc:
    """The lines of a document with folded forms and the extent of its header block."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.lines = lines
        self.vocab = _vocabulary()
        self._folded: dict[int, str] = {}
        self.header_end = self._header_end()

    def folded(self, i: int) -> str:
        """Line i accent-folded (computed once per line)."""
        if i not in self._folded:
            self._folded[i] = fold(self.lines[i])
        return self._folded[i]

    def _header_end(self) -> int:
        """Index of the first body line ("Căn cứ", "Kính gửi", "I. …") within the first lines."""
        limit = min(len(self.lines), HEADER_MAX_LINES)
        for i in range(limit):
            if self.vocab.strong_body.match(self.folded(i)):
                return i
        return limit

    @cached_property
    def dates(self) -> list[DateMatch]:
        return find_dates(self.text)

    @cached_property
    def stamps(self) -> list[DateMatch]:
        """Digital-signature time stamps ("2025-10-29T09:39:14+0700")."""
        return [m for m in self.dates if m.kind == "iso"]

    @cached_property
    def places(self) -> list[places.Place]:
        return [place for _, _, place in places.find_places(self.text)]

    @cached_property
    def provinces(self) -> list[places.Place]:
        """The provinces the text names (only province and city words are read: their places are
        the same as in the full reading, which narrows only units below a province)."""
        found = places.find_places(self.text, levels=("province", "city"))
        return [place for _, _, place in found if place.level == "province"]

    @cached_property
    def ids(self) -> list[IdMatch]:
        return find_identifiers(self.text)


# ------------------------------------------------------------------------------------ number (id)


def _number(doc: _Doc, heading: _Found) -> _Found:
    """The "Số: …" line of the header (above the type heading): the id, or an explicitly blank
    number ("Số: /KH-UBND")."""
    stop = heading.lines[0] if heading.lines else doc.header_end
    for i in range(min(stop, doc.header_end)):
        line = doc.lines[i]
        if not _SO_START.match(line):
            continue
        if _BLANK_NUMBER.match(line):
            return _Found(None, [i], 0.9)
        so_end = _SO_START.match(line).end()
        window = line + ("\n" + doc.lines[i + 1] if i + 1 < len(doc.lines) else "")
        ids = [m for m in find_identifiers(window) if m.start - so_end <= _NUMBER_OFFSET]
        if ids:
            used = [i] if ids[0].end <= len(line) else [i, i + 1]
            return _Found(ids[0], used, ids[0].confidence)
    return _number_without_so(doc, min(stop, doc.header_end))


def _number_without_so(doc: _Doc, stop: int) -> _Found:
    """An id opening a header line above the heading: the number whose "Số" OCR lost."""
    for i in range(stop):
        line = doc.lines[i]
        ids = find_identifiers(line) if any(ch.isdigit() for ch in line[:8]) else []
        if ids and len(line[:ids[0].start].strip(" |([")) == 0 and ids[0].start <= _LINE_START_ID:
            return _Found(ids[0], [i], 0.7 * ids[0].confidence)
    return _Found()


def _type_from_code(found: _Found) -> _Found | None:
    """The type a symbol names ("KH" → Kế hoạch); an official letter (NUMBER/ISSUER-UNIT,
    no type code) is a Công văn."""
    match = found.value
    if not isinstance(match, IdMatch):
        return None
    if codes.type_name(match.type_code):
        return _Found(codes.type_name(match.type_code), [], 0.7)
    if match.family == "letter":
        return _Found("Công văn", [], 0.6)
    return None


# ----------------------------------------------------------------------------------- type heading


def _heading(doc: _Doc) -> _Found:
    """The upper-case type heading ("KẾ HOẠCH", "KE HOACH ‘ ]", "THÔNG BÁO KẾT LUẬN")."""
    end = doc.header_end
    for i in range(end):
        name = _heading_name(doc.lines[i], doc.folded(i), doc.vocab.headings_by_initial)
        if name and not _number_or_date_below(doc, i, end):
            return _Found(name, [i], 0.95)
    return _Found()


def _number_or_date_below(doc: _Doc, i: int, end: int) -> bool:
    """The heading comes after the number and date: a heading-like line above them is part of the
    issuer's name ("SỞ" / "KẾ HOẠCH VÀ ĐẦU TƯ")."""
    for j in range(i + 1, end):
        line = doc.lines[j]
        if _is_date_line(line):
            return True
        so = _SO_START.match(line)
        if so and any(m.start - so.end() <= _NUMBER_OFFSET for m in find_identifiers(line)):
            return True
    return False


def _is_date_line(line: str) -> bool:
    """"<place>, ngày …", not "…/TW, ngày …" (the date of a cited document)."""
    m = _DATE_LINE.search(line)
    if not m or (m.start() and line[m.start() - 1] in "/-"):
        return False
    # "ngày" is followed by the day (or the line breaks there); "các bộ, ngành" is no date line
    after = line[m.end():m.end() + 6]
    return any(ch.isdigit() for ch in after) or not after.strip()


def _heading_name(line: str, folded: str, headings: dict[str, list[tuple[str, str]]]) -> str | None:
    """The type heading a header line opens with; `headings` by the initial of their folded key."""
    stripped = folded.lstrip(" '\"‘’“”([|-.")
    name = _heading_name_exact(line, stripped, headings)
    if name is None and stripped[:1] in ("p", "b"):  # OCR's "P"/"B" for "Đ": "PE CUONG", "BE AN"
        name = _heading_name_exact(line, "d" + stripped[1:], headings)
    return name


def _heading_name_exact(line: str, stripped: str, headings: dict[str, list[tuple[str, str]]]
                        ) -> str | None:
    for key, name in headings.get(stripped[:1], ()):
        if stripped.startswith(key) and (len(stripped) == len(key) or not stripped[len(key)].isalnum()):
            letters = _LETTERS.findall(line)[:len(key.replace(" ", ""))]
            if letters and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
                return name
    return None


# ------------------------------------------------------------------------------------------- date


def _date_line(doc: _Doc, heading: _Found) -> _Found:
    """The "<place>, ngày … tháng … năm …" line of the header, above the type heading (a date in
    the title is a cited document's); value is the DateMatch, or None when the line is there but
    its date cannot be read."""
    rng = range(min(doc.header_end, heading.lines[0] + 1 if heading.lines else doc.header_end))
    if not rng:
        return _Found()
    start_offsets = []
    joined = ""
    for i in rng:
        start_offsets.append(len(joined))
        joined += doc.lines[i] + "\n"
    for m in find_dates(joined):
        before = joined[max(0, m.start - 40):m.start].replace("|", " ")
        if _PLACE_BEFORE_DATE.search(before) or (m.kind != "numeric" and _PLACE_BEFORE_DATE.search(
                before + m.raw.split()[0] + " ")):
            first = _line_at(start_offsets, m.start)
            last = _line_at(start_offsets, m.end - 1)
            lines = list(range(first, last + 1))
            if first > 0 and _DATE_LINE.search(doc.lines[first - 1] + " " + doc.lines[first]) and \
                    not _DATE_LINE.search(doc.lines[first]):
                lines.insert(0, first - 1)
            return _Found(m, lines, m.confidence)
    for i in rng:
        m = _DATE_LINE.search(doc.lines[i])
        if m and _PLACE_BEFORE_DATE.search(_before_comma(doc.lines[i], m) + ", "):
            return _Found(None, [i], 0.8)  # a date line whose date cannot be read
    return _Found()


def _date_near_number(doc: _Doc, number: _Found) -> _Found:
    """A date next to the number when the "<place>," before it was lost ("… Ngok Bay ngay 12 …")."""
    first, last = max(0, number.lines[0] - 1), min(len(doc.lines), number.lines[-1] + 2)
    for i in range(first, last):
        for m in find_dates(doc.lines[i]):
            if m.kind in ("words", "repaired", "numeric"):
                return _Found(m, [i], 0.8 * m.confidence)
    return _Found()


def _self_date(doc: _Doc, date_line: _Found, self_id: _Found, fallback: Callable[[], dict]) -> _Found:
    match = date_line.value
    if isinstance(match, DateMatch):
        chosen = _choose_candidate(doc, match, self_id)
        return _Found(chosen, date_line.lines, match.confidence)
    if date_line.lines:
        return _Found(None, date_line.lines, date_line.confidence)
    if fallback()["date"].value:
        return fallback()["date"]
    return _signature_date(doc)


def _choose_candidate(doc: _Doc, match: DateMatch, self_id: _Found) -> dt.date:
    """A repaired date has several readings: take the first that is not earlier than any document
    the text cites (a document cannot cite a later one) nor later than its signature stamps."""
    if len(match.candidates) == 1 and match.kind != "repaired":
        return match.date
    own = self_id.value.canonical if isinstance(self_id.value, IdMatch) else None
    floor = max(_reference_dates(doc, own), default=None)
    ceiling = max((m.date for m in doc.stamps), default=None)
    for date in match.candidates:
        if (floor is None or date >= floor) and (ceiling is None or date <= ceiling):
            return date
    return match.date


def _reference_dates(doc: _Doc, own: str | None) -> list[dt.date]:
    """Dates printed right after the ids of cited documents ("01-KH/BCĐ ngày 17/10/2025")."""
    text, dates = doc.text, doc.dates
    out = []
    starts = [d.start for d in dates]
    for m in doc.ids:
        if m.canonical == own:
            continue
        k = bisect.bisect_left(starts, m.end)
        if k < len(dates) and dates[k].start - m.end <= 12 and \
                _REF_DATE_GAP.match(text[m.end:dates[k].start]):
            out.append(dates[k].date)
    return out


def _signature_date(doc: _Doc) -> _Found:
    """The most common date among digital-signature time stamps ("2025-10-29T09:39:14+0700")."""
    stamps = doc.stamps
    if not stamps:
        return _Found()
    date, _ = Counter(m.date for m in stamps).most_common(1)[0]
    lines = sorted({doc.text.count("\n", 0, m.start) for m in stamps if m.date == date})[:3]
    return _Found(date, lines, 0.5)


# ------------------------------------------------------------------------- appendix and closing


def _appendix_evidence(doc: _Doc, number: IdMatch | None) -> dict:
    """Id, type, date and issuer from appendix headers "(Kèm theo Kế hoạch số X ngày D của Y)"
    and the closing "Trên đây là Kế hoạch …"; the most frequent reading wins."""
    ids: Counter[str] = Counter()
    matches: dict[str, list[tuple[int, IdMatch, DateMatch | None, str]]] = {}
    types: Counter[str] = Counter()
    type_lines: dict[str, int] = {}
    after_appendix = -10
    for i, line in enumerate(doc.lines):
        if _APPENDIX_HEAD.match(line):
            after_appendix = i
        in_header = bool(_APPENDIX.search(line))
        if in_header or _CLOSING.search(line):
            name = _type_in_phrase(fold(line), doc.vocab.headings)
            if name:
                types[name] += 1
                type_lines.setdefault(name, i)
        if not in_header and i - after_appendix > 4:
            continue
        window = line + "\n" + "\n".join(doc.lines[i + 1:i + 5])
        for m in find_identifiers(window):
            if m.start > len(line) or (not in_header and m.start > 3):
                continue
            if in_header and not re.search(r"s\S{0,2}\s*[:.]?\s*$", fold_keep_length(window[:m.start])):
                continue
            date = _date_after(window, m)
            tail = window[m.end:].split("\n")[0]
            ids[m.canonical] += 2 if in_header else 1
            matches.setdefault(m.canonical, []).append((i, m, date, tail))
    result = {"id": _Found(), "type": _Found(), "date": _Found(), "issuer": _Found()}
    if types:
        name = types.most_common(1)[0][0]
        result["type"] = _Found(name, [type_lines[name]], 0.7)
    if not ids:
        return result
    canonical = number.canonical if number and number.canonical in ids else ids.most_common(1)[0][0]
    rows = matches[canonical]
    best = max(rows, key=lambda r: r[1].confidence)
    result["id"] = _Found(best[1], sorted({r[0] for r in rows}), min(0.85, best[1].confidence))
    dated = Counter(r[2].date for r in rows if r[2])
    if dated:
        date, votes = dated.most_common(1)[0]
        agree = date in {m.date for m in doc.stamps}
        confidence = min(0.9, 0.5 + 0.15 * votes + (0.1 if agree else 0))
        result["date"] = _Found(date, sorted({r[0] for r in rows if r[2] and r[2].date == date}), confidence)
    issuers = [(tail, r[0]) for r in rows if (tail := _issuer_after_date(r[3]))]
    if issuers:
        # OCR damages each copy differently: keep the copy whose words read best
        tail, line = max(issuers, key=lambda item: _known_word_share(item[0]))
        result["issuer"] = _Found(tail, [line], 0.6)
    return result


def _known_word_share(text: str) -> float:
    known = _vocabulary().known_words
    words = fold(text).split()
    return sum(w in known for w in words) / (len(words) or 1)


def _type_in_phrase(folded: str, headings: list[tuple[str, str]]) -> str | None:
    """The type named in "kèm theo Kế hoạch số …" / "Trên đây là Kế hoạch …"."""
    for key, name in headings:
        if re.search(rf"(?:kem theo|tren day la)\s+{re.escape(key)}\b", folded):
            return name
    return None


def _date_after(window: str, m: IdMatch) -> DateMatch | None:
    for d in find_dates(window[m.end:m.end + 40]):
        if _REF_DATE_GAP.match(window[m.end:m.end + d.start]):
            return d
    return None


def _issuer_after_date(tail: str) -> str | None:
    """"… ngày 29/10/2025 của Trưởng Ban Chỉ đạo UBND tỉnh về …" → "Trưởng Ban Chỉ đạo UBND tỉnh"."""
    folded = fold_keep_length(tail)
    m = re.search(r"\bc\w{1,3}\s+(.+?)(?:\s+v[eé]\s|\)|$)", folded)
    if not m:
        return None
    return tail[m.start(1):m.end(1)].strip(" ,;.") or None


# --------------------------------------------------------------------------------------- issuer


def _issuer(doc: _Doc, number: _Found, heading: _Found, date_line: _Found) -> _Found:
    """The issuing body: the left column of the header block, or the enacting authority line."""
    authority = _authority_line(doc, heading)
    stops = [doc.header_end, *number.lines[:1], *heading.lines[:1]]
    end = min(stops)
    parts: list[tuple[int, str]] = []
    for i in range(end):
        if i in number.lines:
            continue
        cleaned = _clean_header_line(doc, i, date_line)
        if cleaned:
            parts.append((i, cleaned))
    if authority.value and (not parts or _more_specific(authority.value, parts)):
        return authority
    if not parts:
        return _Found()
    bodies = _split_bodies([p[1] for p in parts])
    value = bodies[-1] if len(bodies) == 1 else f"{bodies[-1]} ({bodies[0]})"
    return _Found(value, [p[0] for p in parts], 0.9)


def _more_specific(authority: str, parts: list[tuple[int, str]]) -> bool:
    """The enacting line ("ỦY BAN NHÂN DÂN TỈNH NGHỆ AN") says more than a header ("ỦY BAN NHÂN
    DÂN") whose words it contains."""
    header = fold(" ".join(p[1] for p in parts))
    return fold(authority).find(header) >= 0 or not places.find_places(" ".join(p[1] for p in parts))


def _authority_line(doc: _Doc, heading: _Found) -> _Found:
    """The upper-case enacting authority between title and body ("BỘ TRƯỞNG BỘ NỘI VỤ")."""
    start = heading.lines[0] + 1 if heading.lines else 0
    for i in range(start, min(doc.header_end + 1, len(doc.lines))):
        line = doc.lines[i].strip(" |")
        if not line or not _mostly_upper(line):
            continue
        if doc.vocab.authority.match(doc.folded(i).strip(" |")) and not _is_motto(doc, line):
            return _Found(line, [i], 0.85)
    return _Found()


def _clean_header_line(doc: _Doc, i: int, date_line: _Found) -> str:
    """A header line without the motto, separators, the place-and-date part and OCR debris."""
    line = doc.lines[i]
    if i in date_line.lines or _DATE_LINE.search(line):
        line = _cut_place_date(line)
    for span in reversed(_motto_spans(doc, line)):
        line = line[:span[0]] + " " + line[span[1]:]
    line = line.replace("|", " ")
    words = _header_words(line.split())
    cleaned = " ".join(words).strip(" ,;:()'\"‘’*-_")
    if not cleaned or _SEPARATOR.match(cleaned) or not _mostly_upper(cleaned):
        return ""
    return cleaned


def _header_words(tokens: list[str]) -> list[str]:
    """The words of a header line without OCR debris (no letter, a stray small letter); a short
    number after a name is the unit's number ("XÃ LONG PHÚ 1", "PHƯỜNG A LƯỚI 4")."""
    words: list[str] = []
    for token in tokens:
        is_word = bool(_LETTERS.search(token)) and not (len(token) == 1 and token.islower())
        closes_name = bool(words) and token.isdigit() and len(token) <= 2 and words[-1].isupper()
        if is_word or closes_name:
            words.append(token)
    return words


def _cut_place_date(line: str) -> str:
    """"o BAN CHI PAO ) Khanh Hoa, ngay 18 …" → "o BAN CHI PAO )": drop the place and date."""
    m = _DATE_LINE.search(line)
    if not m:
        return line
    words = _before_comma(line, m).split()
    # the place name is written in title case ("Khanh Hoa"), the header column in capitals
    while words and _title_case(words[-1].strip(",")):
        words.pop()
    return " ".join(words)


def _before_comma(line: str, m: re.Match[str]) -> str:
    """The text of `line` before the comma of a "<place>, ngày" match."""
    return line[:m.start() + m.group(0).index(",")]


def _motto_spans(doc: _Doc, line: str) -> list[tuple[int, int]]:
    return list(_motto_spans_of(line))


@lru_cache(maxsize=4096)
def _motto_spans_of(line: str) -> tuple[tuple[int, int], ...]:
    """The motto's spans in a header line (remembered: the motto opens every document)."""
    folded = fold_keep_length(line)
    spans: list[tuple[int, int]] = []
    for pattern in _vocabulary().motto:
        for m in pattern.finditer(folded):
            if not any(a <= m.start() < b for a, b in spans):
                spans.append((m.start(), m.end()))
    return tuple(sorted(spans))


def _is_motto(doc: _Doc, line: str) -> bool:
    return bool(_motto_spans(doc, line))


def _split_bodies(parts: list[str]) -> list[str]:
    """Header lines grouped into bodies: "UY BAN NHAN DAN" + "XA NGOK BAY" is one body;
    "TỈNH ỦY KHÁNH HÒA" then "BAN CHỈ ĐẠO" + "VỀ PHÁT TRIỂN …" are two (parent, then issuer)."""
    bodies: list[str] = []
    for part in parts:
        folded = fold(part)
        starts_body = bool(_NEW_BODY.match(folded)) and not _CONTINUATION.match(folded)
        previous_open = bool(bodies) and (len(bodies[-1].split()) == 1 or _ends_open(bodies[-1]))
        if bodies and (not starts_body or previous_open):
            bodies[-1] = f"{bodies[-1]} {part}"
        else:
            bodies.append(part)
    return bodies


def _ends_open(body: str) -> bool:
    """A body name that needs its unit ("ỦY BAN NHÂN DÂN" without "XÃ …") or ends on a comma."""
    folded = fold(body)
    return folded.endswith((",", "uy ban nhan dan", "hoi dong nhan dan", " ve", " va"))


# --------------------------------------------------------------------------------------- title


def _title(doc: _Doc, heading: _Found, date_line: _Found, number: _Found) -> _Found:
    """The lines under the type heading (or under the date when there is no heading)."""
    if heading.lines:
        start = heading.lines[0]
        rest = _heading_rest(doc, start)
        collected = [start] if rest else []
        start += 1
    else:
        anchors = [*date_line.lines, *number.lines]
        if not anchors:
            return _Found()
        start = max(anchors) + 1
        collected, rest = [], ""
    texts = [rest] if rest else []
    for i in range(start, min(len(doc.lines), start + 8)):
        line = doc.lines[i].strip(" |")
        if not line and texts and _title_goes_on(doc, i, texts[-1]):
            continue
        if _SEPARATOR.match(line):
            if texts:
                break
            continue
        folded = doc.folded(i)
        is_body = doc.vocab.body.match(folded) or doc.vocab.strong_body.match(folded)
        if (is_body and texts) or doc.vocab.strong_body.match(folded) or _is_authority(doc, i):
            break
        if not heading.lines and not _mostly_upper(line):
            break
        texts.append(line)
        collected.append(i)
    if not texts:
        return _Found()
    return _Found(_sentence_case(" ".join(texts)), collected, 0.8)


def _title_goes_on(doc: _Doc, i: int, last: str) -> bool:
    """A blank line inside a title: the last line ends on a comma or the next line is capitals."""
    following = next((j for j in range(i + 1, min(len(doc.lines), i + 3)) if doc.lines[j].strip()), None)
    if following is None or _is_authority(doc, following):
        return False
    if doc.vocab.strong_body.match(doc.folded(following)):
        return False
    return last.rstrip().endswith(",") or _mostly_upper(doc.lines[following])


def _heading_rest(doc: _Doc, i: int) -> str:
    """The title words on the heading line itself ("ĐỀ CƯƠNG TUYÊN TRUYỀN SẮP XẾP …")."""
    line = doc.lines[i].strip()
    words = line.split()
    return line if len(words) > 4 and _mostly_upper(line) else ""


def _is_authority(doc: _Doc, i: int) -> bool:
    line = doc.lines[i].strip(" |")
    return bool(line) and _mostly_upper(line) and bool(doc.vocab.authority.match(doc.folded(i).strip(" |")))


def _sentence_case(text: str) -> str:
    """An upper-case title as a sentence: "PHÊ DUYỆT ĐỀ ÁN …" → "Phê duyệt đề án …"."""
    text = re.sub(r"\s+", " ", text).strip()
    if not _mostly_upper(text):
        return text
    words = [w if any(ch.isdigit() for ch in w) else w.lower() for w in text.split(" ")]
    lowered = " ".join(words)
    return lowered[:1].upper() + lowered[1:]


# --------------------------------------------------------------------------------- jurisdiction


def _jurisdiction(doc: _Doc, self_id: _Found, issuer: _Found, date_line: _Found, title: _Found,
                  date: dt.date | None) -> _Found:
    """national / a province / a district / a commune, with the province it lies in."""
    code = self_id.value.issuer_code if isinstance(self_id.value, IdMatch) else None
    issuer_text = issuer.value or ""
    if codes.is_national(code) or doc.vocab.national.search(fold(issuer_text)):
        return _Found({"jurisdiction": "national", "province": None, "level": "national"}, [], 0.95)
    provinces = _Once(lambda: _document_provinces(doc))
    title_raw = " ".join(doc.lines[i] for i in title.lines)
    sources = [(issuer_text, 0.9), (_place_of_date_line(doc, date_line), 0.8), (title_raw, 0.7)]
    for source, confidence in sources:
        place = _lowest_place(source, provinces, date)
        if place:
            return _Found(_where(place), [], confidence)
    unknown = _unknown_unit(issuer_text, provinces)
    if unknown:
        return _Found(unknown, [], 0.5)
    level = _bare_level(issuer_text) or _level_from_code(code)
    if level in ("province", "commune"):
        named = _document_units(doc, level)
        place = named[0] if named else None
        return _Found(_where(place), [], 0.6) if place else _Found()
    return _Found(None, [], 0.0)


def _unknown_unit(text: str, provinces: Callable[[], list[str]]) -> dict | None:
    """"XÃ HÒA BÌNH MỚI" that the gazetteer does not know (a new or misspelt unit): the header
    still says it is a commune; its province is the one the document names most."""
    for level in ("commune", "district"):
        for _, _, found_level, name in places.find_unit_names(text):
            if found_level == level:
                shown = " ".join(w.capitalize() if w.isupper() else w for w in name.split())
                province = provinces()[0] if provinces() else None
                return {"jurisdiction": shown, "province": province, "level": level, "kind": None}
    return None


def _where(place: places.Place) -> dict:
    return {"jurisdiction": place.name, "province": place.province, "level": place.level, "kind": place.kind}


def _lowest_place(text: str, provinces: Callable[[], list[str]], date: dt.date | None
                  ) -> places.Place | None:
    """The most local unit the text names: commune, then district, then province."""
    if not text:
        return None
    spans = places.find_places(text)
    found = [p for _, _, p in spans]
    # "TỈNH LẠNG SƠN" already names its unit by keyword: the name closing it is that province,
    # not the provincial city of the same name read as a bare district
    if not any(end >= len(text.rstrip()) for _, end, _ in spans):
        found += [p for p in [_trailing_province(text), _trailing_district(text)] if p]
    for level in ("commune", "district", "province"):
        for place in found:
            if place.level == level:
                return _within_named_province(text, _best_reading(place, provinces, date), provinces)
    return None


def _within_named_province(text: str, place: places.Place, provinces: Callable[[], list[str]]
                           ) -> places.Place:
    """A commune or district outside every province the document names is read again among the
    units of the province it names most: OCR damage ("XA BONG SƠN" for Đồng Sơn, "THwONG TAN")
    can spell another province's unit exactly or nearly."""
    if place.level == "province" or not provinces() or _in_provinces(place, provinces()):
        return place
    again = [p for _, _, p in places.find_places(text, provinces()[0]) if p.level == place.level]
    return again[0] if again else place


def _in_provinces(place: places.Place, names: list[str]) -> bool:
    return bool({fold(p) for p in names} & {fold(place.province or ""), fold(place.successor or "")})


def _best_reading(place: places.Place, provinces: Callable[[], list[str]], date: dt.date | None
                  ) -> places.Place:
    """Among units of the same name, the one in a province the document names, and a pre-2025
    unit for a document dated before the July 2025 reform."""
    options = places.namesakes(place)
    if place.level != "province" and len(options) > 1:
        in_text = [p for prov in provinces() for p in options
                   if fold(prov) in {fold(p.province or ""), fold(p.successor or "")}]
        options = in_text or options
    if date and date < REFORM_DATE:
        legacy = [p for p in options if p.code is None]
        options = legacy or options
    return options[0]


@lru_cache(maxsize=4096)
def _trailing_province(text: str) -> places.Place | None:
    """"TỈNH ỦY KHÁNH HÒA", "THÀNH ỦY HÀ NỘI": a province name closing the issuer's name."""
    words = text.split()
    for n in (3, 2):
        if len(words) > n:
            place = places.resolve_province(" ".join(words[-n:]))
            if place and fold(" ".join(words[-n:])).replace(" ", "") == fold(place.name).replace(" ", ""):
                return place
    return None


@lru_cache(maxsize=4096)
def _trailing_district(text: str) -> places.Place | None:
    """"HUYỆN ỦY SƠN TỊNH": a district name closing the issuer's name (exact, not fuzzy)."""
    words = text.split()
    for n in (4, 3, 2, 1):
        if len(words) > n:
            tail = " ".join(words[-n:])
            # a fuzzy reading never has the tail's own key (that would have been read exactly)
            for place in places.candidates(tail, "district", fuzzy=False):
                if places.key(place.name) == places.key(tail):
                    return place
    return None


def _place_of_date_line(doc: _Doc, date_line: _Found) -> str:
    """"Hậu Giang, ngày 27 …" → "tỉnh Hậu Giang" (the place before the comma, as a province)."""
    for i in date_line.lines:
        m = _DATE_LINE.search(doc.lines[i])
        if m:
            words = _before_comma(doc.lines[i], m).replace("|", " ").split()
            name = []
            while words and _title_case(words[-1]) and len(name) < 4:
                name.insert(0, words.pop())
            if name and places.resolve_province(" ".join(name)):
                return "tỉnh " + " ".join(name)
    return ""


def _document_provinces(doc: _Doc) -> list[str]:
    """Provinces the document names, most often named first."""
    return [place.name for place in _document_units(doc, "province")]


def _document_units(doc: _Doc, level: str) -> list[places.Place]:
    """Units of `level` the document names, most often named first: a bare "UBND tỉnh" or
    "UBND xã" is the document's own province or commune."""
    named = doc.provinces if level == "province" else doc.places
    counts: Counter[places.Place] = Counter(p for p in named if p.level == level)
    return [place for place, _ in counts.most_common()]


def _ends_with_bare_unit(text: str) -> bool:
    """"… UBND tỉnh" ends on a unit word with no name; "HUYỆN ỦY SƠN TỊNH" ends on a name."""
    text = text.rstrip(" )")
    if not _UNIT_WORD.search(fold(text)):
        return False
    if _trailing_province(text) or _trailing_district(text):
        return False
    return not any(end >= len(text) for _, end, _ in places.find_places(text))


def _bare_level(issuer: str) -> str | None:
    """"Ban Chỉ đạo UBND tỉnh" → province: a unit word with no name after it."""
    folded = fold(issuer)
    m = _UNIT_WORD.search(folded)
    if not m or not _ends_with_bare_unit(issuer):
        return None
    return {"xa": "commune", "phuong": "commune", "thi tran": "commune", "huyen": "district",
            "thi xa": "district", "tinh": "province", "thanh pho": "province"}[m.group(1)]


def _level_from_code(code: str | None) -> str | None:
    entry = codes.issuer_entry(code)
    return entry.level if entry and entry.level in ("province", "district", "commune") else None


# ------------------------------------------------------------------------------ issuer display


def _display_issuer(issuer: str, where: dict | None, code: str | None) -> str:
    """Header capitals as a name: "UY BAN NHAN DAN XA NGOK BAY" → "Ủy ban nhân dân xã Ngọk Bay".
    A parent body in brackets is shown the same way; a bare unit word ("… UBND tỉnh") gets the
    jurisdiction's name; a body known only by its unit ("XÃ PHÚ TRUNG") gets the name of the
    symbol's issuer code ("Ủy ban nhân dân")."""
    body, _, parent = issuer.partition(" (")
    shown = _display_name(body)
    if where and where.get("level") != "national":
        if _ends_with_bare_unit(body):
            shown = f"{shown} {where['jurisdiction']}"
        elif _ends_open(shown) and where.get("kind"):
            shown = f"{shown} {where['kind']} {where['jurisdiction']}"
    entry = codes.issuer_entry(code)
    if entry and entry.level != "national" and _opens_with_place(shown):
        shown = f"{entry.name} {shown[:1].lower()}{shown[1:]}"
    if parent:
        shown = f"{shown} ({_display_name(parent.rstrip(')'))})"
    return shown


def _opens_with_place(text: str) -> bool:
    found = places.find_places(text)
    return bool(found) and found[0][0] == 0


@lru_cache(maxsize=4096)
def _display_name(issuer: str) -> str:
    vocab = _vocabulary()
    tokens: list[str] = []
    spans = places.find_places(issuer)
    trailing = None if spans else _trailing_province(issuer) or _trailing_district(issuer)
    if trailing:
        n = len(places.key(trailing.name).split())
        start = len(issuer) - len(" ".join(issuer.split()[-n:]))
        spans = [(start, len(issuer), trailing)]
    pos = 0
    pieces: list[tuple[str, bool]] = []
    for start, end, place in spans:
        pieces.append((issuer[pos:start], False))
        printed = fold(issuer[start:end])
        if places.key(printed) == places.key(place.name):
            kind = ""  # the name alone, as printed ("TỈNH ỦY KHÁNH HÒA")
        elif place.level != "province":
            kind = place.kind
        elif printed.startswith(("thanh pho", "tp")):
            kind = "thành phố"
        else:
            kind = "tỉnh" if printed.startswith("tinh") else ""
        pieces.append((f"{kind} {place.name}".strip(), True))
        pos = end
    pieces.append((issuer[pos:], False))
    for piece, fixed in pieces:
        if fixed:
            tokens.append(piece)
        else:
            tokens.extend(_display_words(piece, vocab))
    text = re.sub(r"\s+([,)])", r"\1", " ".join(t for t in tokens if t)).replace("( ", "(")
    return text[:1].upper() + text[1:]


def _display_words(text: str, vocab: _Vocabulary) -> list[str]:
    words = _WORD.findall(text)
    known = _vocabulary().known_words
    folded = [_fold_ocr(w, known) for w in words]
    out = []
    i = 0
    in_name = False  # after "xã", "tỉnh" …: a proper name, capitalised
    while i < len(words):
        for phrase, shown in _display_candidates(vocab, folded, i):
            n = len(phrase)
            if _phrase_matches(folded[i:i + n], phrase):
                out.append(shown)
                in_name = shown in _UNIT_NAMES
                i += n
                break
        else:
            word = words[i]
            if word.isupper() and len(word) > 1:
                word = word.capitalize() if in_name else word.lower()
            out.append(word)
            in_name = in_name and word[:1].isalpha()
            i += 1
    return out


def _display_candidates(vocab: _Vocabulary, folded: list[str], i: int) -> list[tuple[list[str], str]]:
    """The display phrases that can match at word i, in their order: those with a word equal to
    the text's word at the same place (`_phrase_matches` needs one exact word)."""
    hits: set[int] = set()
    for j, word in enumerate(folded[i:i + vocab.display_longest]):
        hits.update(vocab.display_index.get((j, word), ()))
    return [vocab.display[k] for k in sorted(hits)]


def _display_index(display: list[tuple[list[str], str]]) -> dict[tuple[int, str], list[int]]:
    """(place in phrase, word) → positions in `display` of the phrases with that word there."""
    by_word: dict[tuple[int, str], list[int]] = defaultdict(list)
    for k, (phrase, _shown) in enumerate(display):
        for j, word in enumerate(phrase):
            by_word[(j, word)].append(k)
    return dict(by_word)


def _phrase_matches(words: list[str], phrase: list[str]) -> bool:
    """Equal, or for phrases of several words one letter misread in some words ("ban chi dgo")
    while at least one word is exact."""
    if words == phrase:
        return True
    if len(phrase) < 2 or len(words) != len(phrase):
        return False
    pairs = list(zip(words, phrase, strict=True))
    return any(w == p for w, p in pairs) and all(w == p or _one_substitution(w, p) for w, p in pairs)


def _one_substitution(word: str, target: str) -> bool:
    return len(target) >= 3 and len(word) == len(target) and \
        sum(a != b for a, b in zip(word, target, strict=True)) == 1


def _fold_ocr(word: str, known: frozenset[str]) -> str:
    """A folded word, with OCR's capital "P"/"B" for "Đ" undone when only the "Đ" reading is a
    known word ("PAO" → "dao", "POI" → "doi")."""
    folded = fold(word)
    if word.isupper() and folded[:1] in ("p", "b") and folded not in known and "d" + folded[1:] in known:
        return "d" + folded[1:]
    return folded


def _title_case(word: str) -> bool:
    """"Giang", "Hậu": a capital then small letters (how place names are written in a date line)."""
    return word[:1].isupper() and word[1:].islower() and word.isalpha()


def _mostly_upper(text: str) -> bool:
    letters = _LETTERS.findall(text)
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.7 * len(letters)


def _line_at(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset) - 1


# ---------------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class _Vocabulary:
    headings: list[tuple[str, str]]
    headings_by_initial: dict[str, list[tuple[str, str]]]  # the same, longest first, by initial
    motto: list[re.Pattern[str]]
    body: re.Pattern[str]
    strong_body: re.Pattern[str]
    authority: re.Pattern[str]
    national: re.Pattern[str]
    display: list[tuple[list[str], str]]
    display_index: dict[tuple[int, str], list[int]]
    display_longest: int
    known_words: frozenset[str]


def _by_initial(headings: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """Headings grouped by the first letter of their key, each group in the list's order: a line
    can only open with the headings of its own first letter."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for key, name in headings:
        grouped.setdefault(key[:1], []).append((key, name))
    return grouped


@cache
def _vocabulary() -> _Vocabulary:
    data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    headings = sorted(((fold(name), name) for name in data["type_headings"]), key=lambda h: -len(h[0]))
    weak = [p for p in data["body_start"] if p.startswith("thu")]
    strong = [p for p in data["body_start"] if p not in weak]
    display = sorted(((k.split(), v) for k, v in data["display_words"].items()), key=lambda d: -len(d[0]))
    return _Vocabulary(
        headings=headings,
        headings_by_initial=_by_initial(headings),
        motto=[re.compile(p) for p in data["motto"]],
        body=re.compile("|".join(f"(?:{p})" for p in weak)),
        strong_body=re.compile("|".join(f"(?:{p})" for p in strong)),
        authority=re.compile("|".join(f"(?:{p})" for p in data["authority_lines"])),
        national=re.compile(r"^(?:" + "|".join(data["national_issuers"]) + r")\b"),
        display=display,
        display_index=_display_index(display),
        display_longest=max((len(phrase) for phrase, _ in display), default=0),
        known_words=frozenset(w for phrase, _ in display for w in phrase),
    )
