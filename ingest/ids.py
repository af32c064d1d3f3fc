"""Document identifiers ("số, ký hiệu") in OCR-damaged Vietnamese text.

Two families (conventions.md):
- Party (Đảng): ``NUMBER-TYPE/ISSUER`` — 57-NQ/TW, 02-KH/BCĐTW, 07-TB/CQTTBCĐ;
- state (Nhà nước): ``NUMBER/[YEAR/]TYPE-ISSUER`` — 71/NQ-CP, 118/2025/NĐ-CP, and laws
  ``NUMBER/YEAR/QHnn``; official letters ``NUMBER/ISSUER-UNIT`` — 2029/SKHCN-KHCN&ĐMST.

A few bounded regexes find candidates (spaces and one line break tolerated around the separators,
"I", "[" or "1" read for "/"); each candidate is then validated and repaired against the code
vocabulary (`ingest.codes`), which restores Đ, Q and dropped or spurious letters. Candidates whose
codes do not validate are dropped, which keeps dates, phone numbers and headings out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest import codes

# Bounded white space: up to three blanks, optionally one line break and three more blanks.
_WS = r"[ \t]{0,3}(?:\n[ \t]{0,3})?"
_UPPER = "A-ZĐÐ"
# An upper-case code, with the conventional lower-case endings of TTg, TTr, CTr.
_CODE = rf"[{_UPPER}][{_UPPER}&]{{0,13}}(?:(?<=TT)[gr]|(?<=CT)r)?"
_SLASH = r"[/\[I1]"  # OCR reads the slash as I, [ or 1 between a number and a type code
_PARTY_SLASH = r"[/\[]"  # … but between two codes "I" and "1" are letters and digits
_NUM = r"(?<![\d/])\d{1,5}[a-z]?"
_DASH = "[-–—]"  # OCR and word processors turn the hyphen into en and em dashes
_YEAR = r"(?:19|20)\d\d"
# the type codes of the vocabulary, longest first (CTr before CT)
_TYPE_CODES = "(?:" + "|".join(sorted(codes.types().entries, key=len, reverse=True)) + ")"

_ID_RE = re.compile(
    # every id opens with its number: positions that are not a digit are rejected at once (the
    # look-ahead first: it fails faster than the look-behind at the many positions without a digit)
    r"(?=\d)(?<![\d/])(?:"
    # laws and National Assembly resolutions: 67/2006/QH11, 35/2023/UBTVQH15
    rf"(?P<l_num>{_NUM}){_WS}[/\[I]{_WS}(?P<l_year>{_YEAR}){_WS}/{_WS}(?P<l_code>(?:UBTV)?QH\d{{1,2}})(?!\d)"
    # state documents and letters: 71/NQ-CP, 118/2025/NĐ-CP, 2029/SKHCN-KHCN&ĐMST
    rf"|(?P<s_num>{_NUM}){_WS}(?P<s_slash>{_SLASH}){_WS}(?:(?P<s_year>{_YEAR}){_WS}/{_WS})?"
    rf"(?P<s_type>{_CODE}){_WS}{_DASH}{_WS}(?P<s_tail>{_CODE}(?:{_DASH}{_CODE}){{0,4}})"
    # Party documents: 57-NQ/TW, 02-KH/BCĐTW
    rf"|(?P<p_num>{_NUM}){_WS}{_DASH}{_WS}(?P<p_type>{_CODE}){_WS}(?P<p_slash>{_PARTY_SLASH}){_WS}"
    rf"(?P<p_iss>{_CODE})"
    # a Party id whose slash OCR read as "I": 01-KHIBCĐ, 09-CTrITU, 57-NOITW
    rf"|(?P<i_num>{_NUM}){_WS}{_DASH}{_WS}(?P<i_type>{_TYPE_CODES}|[{_UPPER}]{{2,3}})I(?P<i_iss>{_CODE})"
    # a Party id cut by a table column: "44- | other cell text\nTB/TGV"
    rf"|(?P<c_num>{_NUM})[ \t]?-[ \t]*\|[^\n|]{{0,60}}\n[ \t]{{0,3}}(?P<c_type>{_CODE})/(?P<c_iss>{_CODE})"
    r")"
)
# "số" as OCR renders it when glued to the number: S667, Sb:55, s0, sd …
_SO_PREFIX = re.compile(r"(?:^|[^A-Za-z])[Ss$][A-Za-z0-9éèẽ]?[:.]?$")
_BLANKS = re.compile(r"\s+")
_MIN_CONFIDENCE = 0.4


@dataclass(frozen=True)
class IdMatch:
    """One identifier found in a text.

    `symbol` is the part after the number (and after the year for ``NUMBER/YEAR/…`` ids):
    "KH/BCĐTW" for 02-KH/BCĐTW, "NĐ-CP" for 118/2025/NĐ-CP, "QH11" for 67/2006/QH11.
    """

    start: int
    end: int
    raw: str
    canonical: str
    number: str
    symbol: str
    family: str  # "party" | "state" | "letter"
    type_code: str | None
    issuer_code: str | None
    year: int | None
    confidence: float


def find_identifiers(text: str) -> list[IdMatch]:
    """Every document identifier in `text`, in order, with OCR damage repaired."""
    found = []
    # `_ID_RE` is tried only where `_ID_START` finds a number that may open an id (the scan skips
    # other positions ~3x faster than the pattern's own look-ahead); the matches are `finditer`'s
    search, match_at = _ID_START.search, _ID_RE.match
    start = search(text)
    while start is not None:
        m = match_at(text, start.start())
        if m is None:
            start = search(text, start.start() + 1)
            continue
        start = search(text, m.end())
        if not _number_stands_alone(text, m.start()):
            continue
        match = _validated(m)
        if match is not None:
            found.append(match)
    return found


# Where `_ID_RE` can match: a number (after no digit or "/") and the white space every branch
# allows after it, then a character one of them accepts there (a slash, its OCR readings, a dash).
_ID_START = re.compile(rf"\d(?<![\d/]\d)\d{{0,4}}[a-z]?{_WS}[/\[I1\-–—]")


def _validated(m: re.Match) -> IdMatch | None:
    """`_validate` remembered by the matched text and its branch (the last group that took part),
    which fix every group's value: the same ids recur in every document."""
    memo = (m.group(0), m.lastindex)
    known = _VALIDATED.get(memo, _UNSEEN)
    if known is _UNSEEN:
        if len(_VALIDATED) >= _MAX_VALIDATED:
            _VALIDATED.clear()
        known = _VALIDATED[memo] = _validate(m)
        return known
    if known is None:
        return None
    return IdMatch(m.start(), m.end(), known.raw, known.canonical, known.number, known.symbol,
                   known.family, known.type_code, known.issuer_code, known.year, known.confidence)


_VALIDATED: dict[tuple[str, int | None], IdMatch | None] = {}
_MAX_VALIDATED = 1 << 14
_UNSEEN = object()


def canonicalize(raw: str) -> str | None:
    """The canonical id printed (possibly damaged) in `raw`, or None when `raw` holds no id."""
    matches = find_identifiers(raw)
    return matches[0].canonical if matches else None


def _number_stands_alone(text: str, start: int) -> bool:
    """A number glued to capitals is part of a code ("I2IKH"), unless the letters spell "số"
    ("S667"); glued to a lower-case word it is a lost space ("quyết57-NQ/TW")."""
    previous = text[start - 1] if start else " "
    if previous.islower() or (not previous.isalpha() and previous != "$"):
        return True
    return bool(_SO_PREFIX.search(text, max(0, start - 4), start))


def _validate(m: re.Match) -> IdMatch | None:
    if m.group("l_num"):
        return _law(m)
    if m.group("s_num"):
        return _state(m)
    if m.group("c_num"):
        return _party(m, "c", cost=0.4)
    if m.group("i_num"):
        return _party_slash_i(m)
    return _party(m)


def _law(m: re.Match) -> IdMatch:
    number, year, code = m.group("l_num"), m.group("l_year"), m.group("l_code")
    issuer = "UBTVQH" if code.startswith("UBTV") else "QH"
    return _build(m, number=number, symbol=code, family="state", type_code=None, issuer_code=issuer,
                  year=int(year), canonical=f"{number}/{year}/{code}", cost=0.0)


def _state(m: re.Match) -> IdMatch | None:
    number, year = m.group("s_num"), m.group("s_year")
    slash_cost = 0.0 if m.group("s_slash") == "/" else codes.REPAIR_COST * 2
    head = m.group("s_type")
    tail_parts = re.split(_DASH, m.group("s_tail"))
    type_hit = codes.types().match(head)
    if type_hit is not None and slash_cost and not _slash_repair_believed(type_hit, tail_parts[0]):
        return None
    if type_hit is not None and (type_hit.cost == 0 or _looks_like_code(head)):
        tail = [_issuer_part(p) for p in tail_parts]
        if any(t is None for t in tail):
            return None
        issuer_code = tail[0][0]
        cost = slash_cost + type_hit.cost + sum(c for _, c in tail)
        entry = codes.issuer_entry(issuer_code)
        if entry is not None and entry.family == "party" and len(tail) == 1 and not year:
            # A Party issuer printed in the state form (02/KH-BCĐTW): the Party form is canonical.
            return _build(m, number=number, symbol=f"{type_hit.code}/{issuer_code}", family="party",
                          type_code=type_hit.code, issuer_code=issuer_code, year=None,
                          canonical=f"{number}-{type_hit.code}/{issuer_code}", cost=cost + 0.1)
        symbol = f"{type_hit.code}-{'-'.join(t[0] for t in tail)}"
        prefix = f"{number}/{year}/" if year else f"{number}/"
        return _build(m, number=number, symbol=symbol, family="state", type_code=type_hit.code,
                      issuer_code=issuer_code, year=int(year) if year else None,
                      canonical=prefix + symbol, cost=cost)
    return _letter(m, number, year, head, tail_parts, slash_cost)


def _slash_repair_believed(type_hit: codes.CodeMatch, issuer: str) -> bool:
    """ "I" or "[" for the slash is believed before a clean type code and a known issuer (52IKH-BCH),
    or before a type code with one misread letter and an issuer printed exactly (03INO-CP)."""
    known = codes.issuers().match(issuer)
    if known is None:
        return False
    return type_hit.cost == 0 or (type_hit.cost <= codes.REPAIR_COST and known.cost == 0)


def _party_slash_i(m: re.Match) -> IdMatch | None:
    """NUMBER-TYPEIISSUER (01-KHIBCĐ): type and issuer codes of the vocabulary with at most one
    letter repaired in all (37-CVIPU → 37-CV/ĐU, 57-NOITW → 57-NQ/TW)."""
    type_hit = codes.types().match(m.group("i_type"))
    issuer = codes.issuers().match(m.group("i_iss"))
    if type_hit is None or issuer is None or type_hit.cost + issuer.cost > codes.REPAIR_COST:
        return None
    type_code = type_hit.code
    symbol = f"{type_code}/{issuer.code}"
    return _build(m, number=m.group("i_num"), symbol=symbol, family="party", type_code=type_code,
                  issuer_code=issuer.code, year=None, canonical=f"{m.group('i_num')}-{symbol}",
                  cost=type_hit.cost + issuer.cost + codes.REPAIR_COST * 2)


def _letter(m: re.Match, number: str, year: str | None, head: str, tail_parts: list[str],
            slash_cost: float) -> IdMatch | None:
    """NUMBER/ISSUER-UNIT: an official letter (công văn) whose symbol carries no type code."""
    if year or len(head) < 2 or not head.isupper():
        return None
    issuer = _issuer_part(head)
    if slash_cost and not (issuer and issuer[1] == 0 and _known_issuer(head)):
        return None  # "2874IUBND-KT": the slash read as I only before an issuer printed exactly
    tail = [_issuer_part(p) for p in tail_parts]
    if issuer is None or any(t is None for t in tail):
        return None
    symbol = f"{issuer[0]}-{'-'.join(t[0] for t in tail)}"
    cost = issuer[1] + sum(c for _, c in tail)
    return _build(m, number=number, symbol=symbol, family="letter", type_code=None,
                  issuer_code=issuer[0], year=None, canonical=f"{number}/{symbol}", cost=cost)


def _party(m: re.Match, group: str = "p", cost: float = 0.0) -> IdMatch | None:
    number = m.group(f"{group}_num")
    type_hit = codes.types().match(m.group(f"{group}_type"))
    if type_hit is None:
        return None
    issuer = _issuer_part(m.group(f"{group}_iss"))
    if issuer is None:
        return None
    slash = m.group("p_slash") if group == "p" else "/"
    slash_cost = cost + (0.0 if slash == "/" else codes.REPAIR_COST * 2)
    symbol = f"{type_hit.code}/{issuer[0]}"
    return _build(m, number=number, symbol=symbol, family="party", type_code=type_hit.code,
                  issuer_code=issuer[0], year=None, canonical=f"{number}-{symbol}",
                  cost=type_hit.cost + issuer[1] + slash_cost)


def _issuer_part(token: str) -> tuple[str, float] | None:
    """An issuer or unit code, repaired against the vocabulary; '&'-joined codes part by part.
    Codes outside the vocabulary are kept when they are plain upper case."""
    if "&" in token:
        pieces = [_issuer_part(p) for p in token.split("&")]
        if any(p is None for p in pieces):
            return None
        return "&".join(p[0] for p in pieces), sum(p[1] for p in pieces)
    hit = codes.issuers().match(token)
    if hit is not None:
        return hit.code, hit.cost
    if _looks_like_code(token):
        return token, 0.0
    return None


def _known_issuer(token: str) -> bool:
    return codes.issuers().match(token) is not None


def _looks_like_code(token: str) -> bool:
    return 1 <= len(token) <= 14 and token.replace("Đ", "D").isupper()


def _build(m: re.Match, *, number: str, symbol: str, family: str, type_code: str | None,
           issuer_code: str | None, year: int | None, canonical: str, cost: float) -> IdMatch:
    raw = m.group(0)
    if _BLANKS.search(raw):
        cost += 0.05  # split ids are read correctly, but are a sign of a rough scan
    return IdMatch(start=m.start(), end=m.end(), raw=raw, canonical=canonical, number=number,
                   symbol=symbol, family=family, type_code=type_code, issuer_code=issuer_code,
                   year=year, confidence=round(max(_MIN_CONFIDENCE, 1.0 - cost), 2))
