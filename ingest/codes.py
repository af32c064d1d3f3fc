"""Vocabulary of document-symbol codes and an OCR-aware matcher against it.

The codes (type codes such as NQ, KH, TTr; issuer codes such as TW, BCĐTW, UBND) live in
`ingest/data/codes.yaml`. OCR mangles them in a few systematic ways — Đ read as P/B/D/H/Ð,
Q read as O, a spurious trailing letter, a lost final letter — so a token is matched against the
vocabulary by generating its OCR-repair variants and, failing an exact hit, by a one-edit fuzzy
match (rapidfuzz) restricted to insertions/deletions on long codes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

DATA_FILE = Path(__file__).parent / "data" / "codes.yaml"

# OCR readings of a letter, by the letter they stand for.
_CONFUSIONS: dict[str, str] = {"P": "Đ", "B": "Đ", "D": "Đ", "H": "Đ", "Ð": "Đ", "O": "Q", "0": "Q"}
_MAX_CONFUSABLE = 6  # 2**6 variants at most per token
REPAIR_COST = 0.1  # confidence lost per repaired letter
FUZZY_COST = 0.2  # confidence lost for a dropped / restored letter


@dataclass(frozen=True)
class Code:
    """One vocabulary entry: `code` in canonical spelling, its Vietnamese `name`, and for issuers
    the `level` (national | province | district | commune | context) and `family`."""

    code: str
    name: str
    level: str | None = None
    family: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class CodeMatch:
    code: str  # canonical spelling
    cost: float  # 0 for an exact hit; grows with each OCR repair


class Vocabulary:
    """Codes of one kind (types or issuers), looked up case-insensitively with OCR repair."""

    def __init__(self, entries: list[Code]):
        self.entries = {e.code: e for e in entries}
        self._by_upper = {e.code.upper(): e.code for e in entries}
        self._fuzzy_targets = [c for c in self._by_upper if len(c) >= 3]

    def __contains__(self, code: str) -> bool:
        return code in self.entries

    def get(self, code: str | None) -> Code | None:
        return self.entries.get(code) if code else None

    def match(self, token: str) -> CodeMatch | None:
        """The vocabulary code `token` stands for, or None. Exact (case-insensitive) hits win, then
        OCR letter repairs (fewest first), then one dropped or restored letter."""
        return _match_cached(self, token.upper())

    def _exact_or_repaired(self, upper: str) -> CodeMatch | None:
        if upper in self._by_upper:
            return CodeMatch(self._by_upper[upper], 0.0)
        for variant, repairs in _variants(upper):
            if variant in self._by_upper:
                return CodeMatch(self._by_upper[variant], REPAIR_COST * repairs)
        return None

    def _fuzzy(self, upper: str) -> CodeMatch | None:
        for variant, repairs in _variants(upper, include_self=True):
            hit = process.extractOne(variant, self._fuzzy_targets, scorer=Levenshtein.distance,
                                     score_cutoff=1)
            if hit is None or hit[1] != 1:
                continue
            target = hit[0]
            if _acceptable_fuzzy(variant, target):
                return CodeMatch(self._by_upper[target], REPAIR_COST * repairs + FUZZY_COST)
        return None


def _acceptable_fuzzy(token: str, target: str) -> bool:
    """Only the two damages seen in practice: a spurious extra letter (CQTTBCĐD, BCĐD), or a lost
    final letter on a long code (CQTTBC). Substitutions are left to the confusion table."""
    if len(token) == len(target) + 1:
        return len(token) >= 4 and (token[:-1] == target or token[1:] == target or
                                    _one_insertion(target, token))
    if len(token) + 1 == len(target):
        return len(target) >= 6 and target.startswith(token)
    return False


def _one_insertion(short: str, long: str) -> bool:
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@lru_cache(maxsize=8192)
def _match_cached(vocab: Vocabulary, upper: str) -> CodeMatch | None:
    return vocab._exact_or_repaired(upper) or vocab._fuzzy(upper)


def _variants(upper: str, include_self: bool = False):
    """Spellings `upper` may stand for, with the number of letters changed, fewest first."""
    positions = [i for i, ch in enumerate(upper) if ch in _CONFUSIONS][:_MAX_CONFUSABLE]
    if include_self:
        yield upper, 0
    for size in range(1, len(positions) + 1):
        for chosen in itertools.combinations(positions, size):
            chars = list(upper)
            for i in chosen:
                chars[i] = _CONFUSIONS[chars[i]]
            yield "".join(chars), size


@cache
def _load() -> tuple[Vocabulary, Vocabulary]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    types = Vocabulary([Code(**row) for row in data["types"]])
    issuers = Vocabulary([Code(**row) for row in data["issuers"]])
    return types, issuers


def types() -> Vocabulary:
    """Document-type codes (NQ, KH, TB, TTr …)."""
    return _load()[0]


def issuers() -> Vocabulary:
    """Issuing-body codes (TW, BCĐTW, CP, UBND, TU, ĐU …)."""
    return _load()[1]


def type_name(code: str | None) -> str | None:
    """Vietnamese name of a type code: 'KH' → 'Kế hoạch'."""
    entry = types().get(code)
    return entry.name if entry else None


def issuer_entry(code: str | None) -> Code | None:
    return issuers().get(code)


# Local boards whose codes also open with "B": Ban Chỉ đạo, Ban Thường vụ, Ban cán sự, Ban quản lý,
# Ban Chỉ huy, and the Party boards of a province or district (BTGTU, BDVHU …).
_LOCAL_B_PREFIXES = ("BCĐ", "BTV", "BCS", "BQL", "BCH", "BĐD")
_LOCAL_PARTY_ENDINGS = ("TU", "HU", "QU", "ĐU")


def is_national(issuer_code: str | None) -> bool:
    """National issuers: listed as such, central Party boards ("…TW"), and ministries, the "B…"
    codes (BTTTT, BYT …) not all of which are listed."""
    entry = issuers().get(issuer_code)
    if entry is not None:
        return entry.level == "national"
    if not issuer_code or not issuer_code.replace("Đ", "D").isupper():
        return False
    if issuer_code.endswith("TW"):
        return True
    return issuer_code.startswith("B") and len(issuer_code) >= 3 and \
        not issuer_code.startswith(_LOCAL_B_PREFIXES) and not issuer_code.endswith(_LOCAL_PARTY_ENDINGS)
