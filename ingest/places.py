"""Place gazetteer: provinces, districts and communes, 2025 units first, then the older ones.

Sources: the 2025 units (34 provinces, 3,321 communes and wards) from the `vietnam-provinces`
package; the units in force before the July 2025 reorganisation (63 provinces, their districts and
communes, with the 2025 province each went into) from `data/legacy_places.yaml`; keywords, stop
phrases and aliases from `data/places.yaml`.

Matching is on accent-folded text (`ingest.text.fold`), so OCR that lost the accents still
resolves ("xa Ngok Bay" → xã Ngọk Bay of Quảng Ngãi), with rapidfuzz for small OCR damage
("XA NGOQK BAY", "Pong Nai") above a strict similarity cutoff and only for names long enough to
make a chance hit unlikely. The index is built once, on first use.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from vietnam_provinces import Province, Ward

from ingest.text import fold

_DATA = Path(__file__).parent / "data"
FUZZY_CUTOFF = 85.0
FUZZY_MIN_LENGTH = 7  # folded characters: shorter names must match exactly
_MAX_NAME_WORDS = 4
_NEAR = 40  # characters between a unit and the province named after it ("xã X, huyện Y, tỉnh Z")
# up to four words, and a number closing the name ("xã Long Phú 1", "A Lưới 4"); a line may
# break after the unit word or inside the name ("tỉnh\nAn Giang", "tỉnh An\nGiang")
_NAME = re.compile(r"(?:[ \t]+|[ \t]*\n[ \t]*)"
                   r"([^\W\d_]\w*(?:(?:[ \t]+|[ \t]*[-\n][ \t]*)[^\W\d_]\w*){0,3}"
                   r"(?:[ \t]+\d{1,2}(?!\w))?)")
_WORD = re.compile(r"[^\W\d_]\w*|(?<!\w)\d{1,2}(?!\w)")  # a word of a name, or its number
_HYPHEN = re.compile(r"\s*-\s*")
_PROVINCE_PREFIX = re.compile(r"^\s*(?:t[iỉ]nh|th[aà]nh ph[oố]|tp\.?)\s+", re.IGNORECASE)
_UNIT_PREFIX = re.compile(
    r"^\s*(?:x[aã]|ph[uư][oờơ]ng|th[iị] tr[aấ]n|[đd][aặ]c khu|huy[eệ]n|qu[aậ]n|th[iị] x[aã]|"
    r"th[aà]nh ph[oố])\s+", re.IGNORECASE)
# OCR reads the capital Đ as P, B or D: "Pong Nai", "Béng Nai" for Đồng Nai
_D_CONFUSIONS = re.compile(r"\b[pb]")


@dataclass(frozen=True)
class Place:
    """An administrative unit. `province` is the province it belongs to (its own name for a
    province); `successor` is the 2025 province that took over a pre-2025 unit (None for 2025
    units); `kind` is the unit word ("xã", "phường", "tỉnh", "thành phố", "huyện" …)."""

    name: str
    level: str  # "province" | "district" | "commune"
    province: str | None
    code: str | None = None
    kind: str | None = None
    successor: str | None = None

    @property
    def current_province(self) -> str | None:
        """The 2025 province this unit is in (today's name for a pre-2025 unit)."""
        return self.successor or self.province


@lru_cache(maxsize=1 << 16)
def key(name: str) -> str:
    """The matching key of a name: accent-folded, lower case, hyphens as spaces (memoised: the
    same names come back in every document)."""
    return fold(_HYPHEN.sub(" ", name))


def resolve_province(text: str) -> Place | None:
    """The province named by `text` ("tinh Quang Ngai", "TỈNH LÂM ĐỒNG", "Thành phố Hà Nội")."""
    name = _PROVINCE_PREFIX.sub("", text)
    return _lookup(_index().provinces, name, _index().province_keys)


def resolve_district(name: str, province: str | None = None) -> Place | None:
    """A district-level unit (huyện, quận, thị xã, provincial city) of the pre-2025 map."""
    return _resolve("district", _UNIT_PREFIX.sub("", name), province)


def resolve_commune(name: str, province: str | None = None) -> Place | None:
    """A commune or ward ("xa Ngok Bay", "Phú Trung"), within `province` when it is given;
    a unit word in `name` ("phường …") prefers units of that kind."""
    kind = _UNIT_PREFIX.match(name)
    return _resolve("commune", _UNIT_PREFIX.sub("", name), province,
                    kind=_kind_of(kind.group(0)) if kind else None)


def candidates(name: str, level: str, province: str | None = None, fuzzy: bool = True) -> list[Place]:
    """Every unit of `level` ("commune" | "district" | "province") that `name` may name, best
    first (exact before fuzzy, 2025 units before older ones), within `province` when given;
    `fuzzy=False` for exact readings only."""
    if level == "province":
        index = _index()
        return _lookup_all(index.provinces, _PROVINCE_PREFIX.sub("", name), index.province_keys,
                           fuzzy=fuzzy)
    name = _UNIT_PREFIX.sub("", name)
    table = _table(level)
    keys = _keys_in_province(level, key(province)) if province else _all_keys(level)
    places = _lookup_all(table, name, keys, fuzzy=fuzzy)
    if province:
        places = [p for p in places if _in_province(p, key(province))]
    return sorted(places, key=lambda p: p.code is None)


def namesakes(place: Place) -> list[Place]:
    """The units of `place`'s level with its name (itself among them), 2025 units first for
    communes and districts. Read by the name's own key: "Xa Dung" is a name, not "xã Dung"."""
    if place.level == "province":
        return _index().provinces.get(key(place.name)) or [place]
    same = _table(place.level).get(key(place.name)) or [place]
    return sorted(same, key=lambda p: p.code is None)


def find_places(text: str, province: str | None = None,
                levels: tuple[str, ...] | None = None) -> list[tuple[int, int, Place]]:
    """Places introduced by a unit word: "xã X", "phường X", "tỉnh Y", "thành phố Z", "huyện W".

    Names are read from capitalised words after the keyword (as headers and body text write
    them); `province` narrows communes and districts to those of that province. `levels` reads
    only the unit words of those keyword levels (commune, district, city, province): the
    provinces of a whole document are read without resolving its many "xã …" (the units a
    narrower search does not read are never narrowed by, nor narrow, the ones it reads).
    """
    if len(text) > _MEMO_TEXT:
        return _find_places(text, province, levels)
    return list(_find_places_memo(text, province, levels))


_MEMO_TEXT = 400  # characters: issuer names and phrases recur from document to document


@lru_cache(maxsize=8192)
def _find_places_memo(text: str, province: str | None,
                      levels: tuple[str, ...] | None) -> tuple[tuple[int, int, Place], ...]:
    return tuple(_find_places(text, province, levels))


def _find_places(text: str, province: str | None,
                 levels: tuple[str, ...] | None) -> list[tuple[int, int, Place]]:
    found = []
    for start, name_start, level, kind, words in _unit_phrases(text, levels):
        hit = _best_name(level, words, province, kind)
        if hit:
            n_words, place = hit
            end = _end_of_words(text, name_start, n_words)
            found.append((start, end, place, level, " ".join(words[:n_words])))
    return _narrow_by_following_province(found)


def find_unit_names(text: str) -> list[tuple[int, int, str, str]]:
    """Every "unit word + capitalised name" phrase, named in the gazetteer or not:
    (start, end, level, name) with level commune | district | city | province and the name as
    printed ("XÃ HÒA BÌNH MỚI" → "HÒA BÌNH MỚI"). For units the gazetteer does not know yet."""
    out = []
    for start, name_start, level, _kind, words in _unit_phrases(text):
        end = _end_of_words(text, name_start, len(words))
        out.append((start, end, level, " ".join(words)))
    return out


def _unit_phrases(text: str, levels: tuple[str, ...] | None = None):
    """(keyword start, name start, level, unit kind, capitalised words) after each unit word."""
    for m in _keyword_matches(text, levels):
        name_match = _NAME.match(text, m.end())
        if not name_match:
            continue
        words = _name_words(m.group(0), name_match.group(1))
        if words:
            yield m.start(), name_match.start(1), m.lastgroup or "", _kind_of(m.group(0)), words


@lru_cache(maxsize=8192)
def _name_words(keyword: str, phrase: str) -> tuple[str, ...]:
    """The capitalised words of `phrase` that may name a unit after `keyword`; none for a common
    phrase ("xã hội chủ nghĩa"). Remembered: the same unit phrases recur in every document."""
    words = tuple(_capitalised_prefix(phrase))
    return () if not words or _is_common_phrase(keyword, words) else words


def _narrow_by_following_province(found: list) -> list[tuple[int, int, Place]]:
    """"xã An Phú, huyện …, tỉnh Quảng Ngãi": a unit named with its province is that province's."""
    out = []
    for i, (start, end, place, level, name) in enumerate(found):
        if place.level != "province":
            for later in found[i + 1:i + 3]:
                if later[2].level == "province" and later[0] - end <= _NEAR:
                    place = _by_level(level, name, later[2].name, False) or place
                    break
        out.append((start, end, place))
    return out


@lru_cache(maxsize=4096)
def _best_name(level: str, words: tuple[str, ...], province: str | None,
               kind: str | None) -> tuple[int, Place] | None:
    """The longest run of the words that names a unit of the keyword's level: exact, then fuzzy."""
    for fuzzy in (False, True):
        for n in range(min(len(words), _MAX_NAME_WORDS), 0, -1):
            place = _by_level(level, " ".join(words[:n]), province, fuzzy, kind)
            if place:
                return n, place
    return None


@lru_cache(maxsize=8192)
def _by_level(level: str, name: str, province: str | None, fuzzy: bool,
              kind: str | None = None) -> Place | None:
    index = _index()
    if level == "province":
        return _lookup(index.provinces, name, index.province_keys, fuzzy=fuzzy, exact=not fuzzy)
    if level == "city":
        return (_lookup(index.provinces, name, index.province_keys, fuzzy=fuzzy, exact=not fuzzy)
                or _resolve("district", name, province, fuzzy=fuzzy, exact=not fuzzy))
    return _resolve(level, name, province, fuzzy=fuzzy, exact=not fuzzy, kind=kind)


def _resolve(level: str, name: str, province: str | None, fuzzy: bool = True, exact: bool = True,
             kind: str | None = None) -> Place | None:
    table = _table(level)
    if province:
        wanted = key(province)
        places = _lookup_all(table, name, _keys_in_province(level, wanted), fuzzy=fuzzy, exact=exact)
        places = [p for p in places if _in_province(p, wanted)]
    else:
        places = _lookup_all(table, name, _all_keys(level), fuzzy=fuzzy, exact=exact)
    # a 2025 unit before an older one, and a unit of the printed kind ("phường") before others
    ranked = sorted(places, key=lambda p: (p.code is None, bool(kind) and p.kind != kind))
    return ranked[0] if ranked else None


@lru_cache(maxsize=256)
def _kind_of(keyword: str) -> str | None:
    """The unit word of a printed keyword: "x&" → "xã", "PHUONG" → "phường"."""
    folded = key(keyword.strip()).replace("&", "a").replace("4", "a").replace("3", "a")
    return {"xa": "xã", "phuong": "phường", "thi tran": "thị trấn", "dac khu": "đặc khu",
            "huyen": "huyện", "quan": "quận", "thi xa": "thị xã", "thanh pho": "thành phố"}.get(folded)


def _lookup(table: dict[str, list[Place]], name: str, keys: list[str],
            fuzzy: bool = True, exact: bool = True) -> Place | None:
    places = _lookup_all(table, name, keys, fuzzy=fuzzy, exact=exact)
    return places[0] if places else None


def _lookup_all(table: dict[str, list[Place]], name: str, keys: list[str],
                fuzzy: bool = True, exact: bool = True) -> list[Place]:
    """The units `name` names in `table` (exact, then fuzzy among `keys`), remembered: the same
    names are looked up in every document. `table` and `keys` are the index's own objects, built
    once, so their identities key the memo."""
    wanted = key(name)
    if not wanted:
        return []
    memo = (id(table), id(keys), wanted, fuzzy, exact)
    found = _LOOKUPS.get(memo)
    if found is None:
        if len(_LOOKUPS) >= _MAX_LOOKUPS:
            _LOOKUPS.clear()
        found = _LOOKUPS[memo] = _search(table, wanted, keys, fuzzy, exact)
    return found


_LOOKUPS: dict[tuple[int, int, str, bool, bool], list[Place]] = {}
_MAX_LOOKUPS = 1 << 15


def _search(table: dict[str, list[Place]], wanted: str, keys: list[str], fuzzy: bool,
            exact: bool) -> list[Place]:
    # OCR's readings: a capital Đ as P or B, ư as w ("LwONG HOA" for Lương Hòa; Vietnamese
    # writes no w, and a name that does is matched as printed first)
    variants = [wanted, _D_CONFUSIONS.sub("d", wanted), wanted.replace("w", "u")]
    if exact:
        for variant in [*variants, *_d_readings_by_word(wanted)]:
            if variant in table:
                return table[variant]
    if fuzzy and len(wanted) >= FUZZY_MIN_LENGTH and keys:
        best = None
        for variant in dict.fromkeys(variants[:2]):  # the same variant twice gives the same hit
            hit = _closest(variant, keys)
            if hit and (best is None or hit[1] > best[1]):
                best = hit
        if best:
            return table[best[0]]
    return []


def _d_readings_by_word(wanted: str) -> list[str]:
    """The name with OCR's P or B read as Đ in some of its words only ("phu hoa pong" → "phu hoa
    dong" for Phú Hòa Đông), fewest words changed first; at most four words."""
    words = wanted.split(" ")
    doubtful = [i for i, word in enumerate(words) if word[:1] in ("p", "b")][:4]
    readings = []
    for count in range(1, len(doubtful)):
        for chosen in itertools.combinations(doubtful, count):
            readings.append(" ".join("d" + w[1:] if i in chosen else w for i, w in enumerate(words)))
    return readings


def _closest(query: str, keys: list[str]) -> tuple[str, float] | None:
    """The first key most similar to `query` at or above the cutoff (`fuzz.ratio`), looked for
    only among the keys whose length can reach the cutoff."""
    choices = _reachable(keys, len(query))
    found = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return (found[0], found[1]) if found else None


def _reachable(keys: list[str], length: int) -> list[str]:
    """The keys, in their order, long enough and short enough to reach the cutoff against a query
    of `length` characters: fuzz.ratio is 200·LCS/(len a + len b), so length bounds the score."""
    by_length = _BY_LENGTH.get(id(keys))
    if by_length is None:
        by_length = _BY_LENGTH[id(keys)] = _LengthIndex(keys)
    return by_length.within_reach(length)


class _LengthIndex:
    """A fixed key list's positions sorted by key length, so the keys of a range of lengths are
    one slice; each query length's subset is built once."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys  # kept alive: the index is found by the list's identity
        lengths = list(map(len, keys))
        self.order = sorted(range(len(keys)), key=lengths.__getitem__)
        self.lengths = [lengths[i] for i in self.order]
        self.subsets: dict[int, list[str]] = {}

    def within_reach(self, length: int) -> list[str]:
        subset = self.subsets.get(length)
        if subset is None:
            shortest, longest = _length_range(length, self.lengths[-1] if self.lengths else 0)
            first = bisect.bisect_left(self.lengths, shortest)
            last = bisect.bisect_right(self.lengths, longest)
            subset = self.subsets[length] = [self.keys[i] for i in sorted(self.order[first:last])]
        return subset


_BY_LENGTH: dict[int, _LengthIndex] = {}


def _length_range(length: int, longest: int) -> tuple[int, int]:
    """The shortest and longest key lengths whose best ratio against `length` reaches the cutoff."""
    reach = [n for n in range(longest + 1) if 200 * min(length, n) >= FUZZY_CUTOFF * (length + n) - 1]
    return (reach[0], reach[-1]) if reach else (1, 0)


def _in_province(place: Place, wanted: str) -> bool:
    return wanted in _province_keys_of(place.province, place.successor)


@cache
def _province_keys_of(province: str | None, successor: str | None) -> frozenset[str]:
    """The keys of the provinces a unit lies in (its own and the 2025 one that took it over)."""
    return frozenset(key(p) for p in (province, successor) if p)


def _table(level: str) -> dict[str, list[Place]]:
    return _index().districts if level == "district" else _index().communes


@cache
def _all_keys(level: str) -> list[str]:
    """The keys of a level's table, as one list built once (the fuzzy look-up indexes it)."""
    return list(_table(level))


def _keys_in_province(level: str, wanted: str) -> list[str]:
    """The keys of a level's table naming a unit of the province `wanted`, in table order."""
    return _keys_by_province(level).get(wanted, _NO_KEYS)


_NO_KEYS: list[str] = []


@cache
def _keys_by_province(level: str) -> dict[str, list[str]]:
    """Province key → the level's keys with a unit there, built in one pass over the table (the
    fuzzy look-up indexes each list by identity, so the lists are built once and kept)."""
    by_province: dict[str, list[str]] = defaultdict(list)
    for name_key, places in _table(level).items():
        for wanted in {w for p in places for w in _province_keys_of(p.province, p.successor)}:
            by_province[wanted].append(name_key)
    return dict(by_province)


def _capitalised_prefix(phrase: str) -> list[str]:
    words = []
    for word in _WORD.findall(phrase):
        if word.isdigit():  # a number only closes a name
            words += [word] if words else []
            break
        if not word[0].isupper():
            break
        words.append(word)
    return words[:_MAX_NAME_WORDS]


@lru_cache(maxsize=4096)
def _is_common_phrase(keyword: str, words: tuple[str, ...]) -> bool:
    folded = key(" ".join([keyword, *words]))
    groups = ("always", "unaccented") if keyword.isascii() else ("always",)
    phrases = [_common_phrases(group) for group in groups]
    # the phrase whole, or the words it begins with
    heads = {" ".join(folded.split(" ")[:n]) for n in range(1, folded.count(" ") + 2)}
    matched = [phrase for exact, _by_length in phrases for phrase in heads & exact]
    if matched:
        # "tinh Thanh Hoa" begins like "tinh thanh" (provinces and cities) but names Thanh Hóa:
        # a unit name running past the phrase's words is a name
        covered = max(phrase.count(" ") + 1 for phrase in matched) - len(key(keyword).split())
        return not _names_a_unit_beyond(words, covered)
    if _names_a_unit(words):  # never a common phrase, near one or not: no fuzzy reading needed
        return False
    return any(process.extractOne(folded[:length], group, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
               for _exact, by_length in phrases for length, group in by_length.items())


@cache
def _common_phrases(group: str) -> tuple[frozenset[str], dict[int, list[str]]]:
    """A group of `not_names`: the phrases, and those long enough for a fuzzy reading by length."""
    phrases = _index().not_names[group]
    by_length: dict[int, list[str]] = defaultdict(list)
    for phrase in phrases:
        if len(phrase) >= 8:
            by_length[len(phrase)].append(phrase)
    return frozenset(phrases), dict(by_length)


def _names_a_unit_beyond(words: tuple[str, ...], covered: int) -> bool:
    """Some of the words, more than the first `covered`, are exactly a unit's name."""
    index = _index()
    for n in range(len(words), covered, -1):
        name = key(" ".join(words[:n]))
        if name in index.provinces or name in index.districts or name in index.communes:
            return True
    return False


def _names_a_unit(words: tuple[str, ...]) -> bool:
    """The words after the keyword begin with the exact name of a unit: "TINH THAI NGUYEN" is
    near "tinh than" (spirit), "PHUONG HAI CHAU" near "phuong tay", but both name a place."""
    index = _index()
    for n in range(len(words), 0, -1):
        name = key(" ".join(words[:n]))
        if name in index.provinces or name in index.districts or name in index.communes:
            return n > 1 or len(name) >= 4
    return False


def _end_of_words(text: str, start: int, n_words: int) -> int:
    end = start
    for i, m in enumerate(_WORD.finditer(text, start)):
        end = m.end()
        if i + 1 == n_words:
            break
    return end


def _keyword_matches(text: str, levels: tuple[str, ...] | None):
    """The matches of `_keywords(levels)` in `text`. On a long text, one scan per first letter
    (a scan for one plain letter is ~6x faster than for a set of them; the provinces of a whole
    document: ~2x faster in all) merged by position: the same matches as one scan when no two of
    them overlap (else the one scan is run instead)."""
    scans = _keyword_scans(levels)
    if len(text) < _SPLIT_SCAN or not 0 < len(scans) <= _MAX_SCANS:
        return _keywords(levels).finditer(text)
    found: list[re.Match[str]] = []
    for letter, scan in scans:
        if letter in text:
            found += scan.finditer(text)
    found.sort(key=re.Match.start)
    end = 0
    for m in found:
        if m.start() < end:
            return _keywords(levels).finditer(text)
        end = m.end()
    return found


_SPLIT_SCAN = 2000  # characters: below this one scan costs less than a scan per letter
_MAX_SCANS = 4  # more scans (all unit words: 14 letters and cases) cost as much as the one scan


@cache
def _keywords(levels: tuple[str, ...] | None) -> re.Pattern[str]:
    """The unit words of `levels` (all when None) as one pattern that opens with a character set
    of the words' first letters in either case (the regex engine then skips other positions fast,
    which it does not for a look-ahead or a case-insensitive set), checked back by each word's own
    alternative; then one flat alternation behind a single boundary check (~8x faster than a
    boundary per group)."""
    alternation = _checked_back_alternation(levels)
    if alternation is None:
        chosen = _chosen_patterns(levels)
        alternation = "|".join(f"(?P<{level}>{'|'.join(patterns)})" for level, patterns in chosen.items())
        return re.compile(r"(?<!\w)(?:" + alternation + ")", re.IGNORECASE)
    return re.compile(f"[{re.escape(''.join(_first_letters(levels)))}]" + r"(?<!\w.)(?i:" + alternation + ")")


@cache
def _keyword_scans(levels: tuple[str, ...] | None) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """`_keywords(levels)` as one pattern per first letter (each case apart), or none."""
    alternation = _checked_back_alternation(levels)
    if alternation is None:
        return ()
    return tuple((letter, re.compile(re.escape(letter) + r"(?<!\w.)(?i:" + alternation + ")"))
                 for letter in _first_letters(levels))


def _chosen_patterns(levels: tuple[str, ...] | None) -> dict[str, list[str]]:
    return {level: patterns for level, patterns in _index().keyword_patterns.items()
            if levels is None or level in levels}


@cache
def _checked_back_alternation(levels: tuple[str, ...] | None) -> str | None:
    """The keyword alternation with each word's first token checked back behind the letter
    already read; None when a word does not open with a plain letter or set of letters."""
    chosen = _chosen_patterns(levels)
    heads = [_first_token(p) for patterns in chosen.values() for p in patterns]
    if not heads or not all(heads):
        return None
    return "|".join(
        f"(?P<{level}>{'|'.join(f'(?<={first}){rest}' for first, rest, _ in map(_first_token, patterns))})"
        for level, patterns in chosen.items())


@cache
def _first_letters(levels: tuple[str, ...] | None) -> str:
    """Every character that a keyword's first token matches, case ignored."""
    heads = [_first_token(p) for patterns in _chosen_patterns(levels).values() for p in patterns]
    letters = re.compile("[" + "".join(dict.fromkeys(h[2] for h in heads if h)) + "]", re.IGNORECASE)
    return "".join(ch for ch in map(chr, range(0x10000)) if letters.fullmatch(ch))


def _first_token(pattern: str) -> tuple[str, str, str] | None:
    """(first token, the rest, its letters) of a keyword pattern, or None when the pattern does
    not open with a plain letter or set of letters read exactly once."""
    m = _FIRST_TOKEN.match(pattern)
    if not m or "|" in pattern or pattern[m.end():m.end() + 1] in ("?", "*", "+", "{"):
        return None
    return m.group(0), pattern[m.end():], m.group(1) or m.group(2)


# the first token of a keyword: a bracketed set of plain letters, or one plain letter
_FIRST_TOKEN = re.compile(r"\[([^\W\d_]+)\]|([^\W\d_])")


@dataclass
class _Index:
    provinces: dict[str, list[Place]]
    districts: dict[str, list[Place]]
    communes: dict[str, list[Place]]
    province_keys: list[str]
    keyword_patterns: dict[str, list[str]]
    not_names: dict[str, list[str]]


@cache
def _index() -> _Index:
    config = yaml.safe_load((_DATA / "places.yaml").read_text(encoding="utf-8"))
    provinces: dict[str, list[Place]] = defaultdict(list)
    districts: dict[str, list[Place]] = defaultdict(list)
    communes: dict[str, list[Place]] = defaultdict(list)
    _add_2025_units(provinces, communes)
    _add_legacy_units(provinces, districts, communes)
    for official, aliases in config["province_aliases"].items():
        for alias in aliases:
            provinces[key(alias)].extend(provinces[key(official)])
    return _Index(
        provinces=dict(provinces), districts=dict(districts), communes=dict(communes),
        province_keys=list(provinces), keyword_patterns=config["keywords"],
        not_names={group: [key(p) for p in phrases] for group, phrases in config["not_names"].items()},
    )


def _add_2025_units(provinces: dict[str, list[Place]], communes: dict[str, list[Place]]) -> None:
    names = {}
    for p in Province.iter_all():
        name = p.name.removeprefix("Thành phố ")
        kind = "thành phố" if name != p.name else "tỉnh"
        names[p.code] = name
        provinces[key(name)].append(Place(name, "province", name, str(int(p.code)), kind))
    for w in Ward.iter_all():
        kind = w.division_type.value
        name = w.name[len(kind) + 1:] if w.name.lower().startswith(kind) else w.name
        communes[key(name)].append(Place(name, "commune", names[w.province_code], str(int(w.code)), kind))


def _add_legacy_units(provinces: dict[str, list[Place]], districts: dict[str, list[Place]],
                      communes: dict[str, list[Place]]) -> None:
    legacy = yaml.load((_DATA / "legacy_places.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    for p in legacy:
        successor = p["merged_into"] if p["merged_into"] != p["name"] else None
        if key(p["name"]) not in provinces:
            provinces[key(p["name"])].append(Place(p["name"], "province", p["name"], None, p["kind"],
                                                   successor or p["name"]))
        for d in p["districts"]:
            place = Place(d["name"], "district", p["name"], None, d["kind"], p["merged_into"])
            districts[key(d["name"])].append(place)
            for commune in d["communes"]:
                kind, _, name = commune.partition(" ") if not commune.startswith("thị trấn") \
                    else ("thị trấn", "", commune[len("thị trấn "):])
                communes[key(name)].append(Place(name, "commune", p["name"], None, kind,
                                                 p["merged_into"]))


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
