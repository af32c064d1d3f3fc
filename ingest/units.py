"""Units (cơ quan, đơn vị) named as lead ("chủ trì") or supporting ("phối hợp") in plans.

`split_units(text)` cuts an OCR'd unit list into one string per unit; `resolve_unit(name, context)`
maps one of them to a canonical agency of the gazetteer `ingest/data/agencies.yaml`, with
diacritics restored, its kind and level. Matching is done on accent-folded text with rapidfuzz, so
OCR damage to diacritics and single letters ("Cong an xi", "Uy ban Mt tran T quéc") is tolerated.
A well-formed name that the gazetteer does not know is kept as printed (lower confidence); a
fragment that is not a name is dropped.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from ingest.fuzzy import closest
from ingest.text import char_class, fold, nfc

GAZETTEER = Path(__file__).parent / "data" / "agencies.yaml"

FULL_MATCH = 88  # rapidfuzz ratio for a whole name
HEAD_MATCH = 85  # ratio for the leading words of a name followed by a qualifier
WORD_MATCH = 50  # ratio for each of those words against the name's word in its place
UNKNOWN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Unit:
    """A resolved unit: canonical name, kind, level (national/province/district/commune or None)."""

    name: str
    kind: str
    level: str | None
    is_group: bool = False
    known: bool = True
    confidence: float = 1.0
    exact: bool = True  # the whole printed name was read: no unread words after a known name


@dataclass(frozen=True)
class _Entry:
    key: str  # folded canonical form used for matching
    name: str
    kind: str
    level: str | None
    is_group: bool
    scoped: bool
    words: int  # number of folded words of the matched form
    tokens: tuple[str, ...] = ()  # the folded words


class Gazetteer:
    """The agency vocabulary, indexed for fuzzy matching on folded text."""

    def __init__(self, data: dict) -> None:
        self.levels: dict[str, str] = {fold(k): v for k, v in (data.get("levels") or {}).items()}
        self.level_words: dict[str, str] = {fold(k): k for k in (data.get("levels") or {})}
        self.abbreviations: dict[str, str] = dict(data.get("abbreviations") or {})
        self._abbreviation = self._abbreviation_pattern()
        # the abbreviations alone, without the word-boundary tests: a fast scan says most names hold none
        self._abbreviation_hint = re.compile("|".join(re.escape(a) for a in self.abbreviations) or "(?!)")
        self.entries: list[_Entry] = []
        for item in data.get("agencies") or []:
            self._add_agency(item)
        for name in data.get("groups") or []:
            self._add(name, name, "group", None, is_group=True, scoped=False)
        self.keys = [e.key for e in self.entries]
        self.key_index: dict[str, int] = {}
        for k, key in enumerate(self.keys):
            self.key_index.setdefault(key, k)
        self.heads = {" ".join(e.key.split()[:2]) for e in self.entries if not e.key.startswith("cac ")}
        self.head_words: dict[str, list[tuple[str, ...]]] = {}
        for h in self.heads:
            if len(h.split()) == 2:
                self.head_words.setdefault(h[:1], []).append(tuple(h.split()))
        self.by_initial: dict[str, list[_Entry]] = {}
        for e in self.entries:
            self.by_initial.setdefault(e.key[:1], []).append(e)
        self.phrases = self._phrase_table(data)
        levels = "|".join(sorted((re.escape(w) for w in self.levels), key=len, reverse=True))
        qualifiers = "|".join(sorted((re.escape(fold(q)) for q in data.get("qualifiers") or []),
                                     key=len, reverse=True)) or "(?!)"
        self.qualified_tail = re.compile(rf"^(?:(?:{qualifiers})(?: (?:{levels}))?(?= |$) ?)*")
        self.level_tail = re.compile(rf"^(?:{levels})(?= |$)")
        # leading n words of the names, by initial: one C-level fuzzy scan per question
        self.prefixes: dict[tuple[str, int], list[str]] = {}
        self.by_size: dict[tuple[str, int], list[_Entry]] = {}
        for e in self.entries:
            for n in range(2, e.words + 1):
                prefix = " ".join(e.tokens[:n])
                bucket = self.prefixes.setdefault((e.key[:1], n), [])
                if prefix not in bucket:
                    bucket.append(prefix)
            self.by_size.setdefault((e.key[:1], e.words), []).append(e)
        self.size_keys = {k: [e.key for e in v] for k, v in self.by_size.items()}

    def _add_agency(self, item: dict) -> None:
        if not isinstance(item, dict) or not item.get("name") or not item.get("kind"):
            raise ValueError(f"{GAZETTEER}: agency entry without a name or kind: {item!r}")
        unknown = set(item) - {"name", "kind", "scoped", "level", "aliases"}
        if unknown:
            raise ValueError(f"{GAZETTEER}: agency {item['name']!r} has unknown fields {sorted(unknown)} "
                             "(a comma in an unquoted name?)")
        scoped = bool(item.get("scoped"))
        forms = [item["name"], *(item.get("aliases") or [])]
        for form in forms:
            form = self.expand(form)
            self._add(form, item["name"], item["kind"], item.get("level"), is_group=False, scoped=scoped)
            if scoped:
                for word, level in self.level_words.items():
                    self._add(f"{form} {level}", f"{item['name']} {level}", item["kind"],
                              self.levels[word], is_group=False, scoped=True)

    def _add(self, form: str, name: str, kind: str, level: str | None, *, is_group: bool,
             scoped: bool) -> None:
        key = normalise_key(form)
        tokens = tuple(key.split())
        self.entries.append(_Entry(key, nfc(name), kind, level, is_group, scoped, len(tokens), tokens))

    @cached_property
    def words_by_initial(self) -> dict[str, tuple[str, ...]]:
        """The words of the names of three letters or more, by first letter."""
        words = sorted({t for e in self.entries for t in e.tokens if len(t) >= 3})
        return {c: tuple(w for w in words if w[0] == c) for c in {w[0] for w in words}}

    @cached_property
    def levels_longest_first(self) -> list[str]:
        """The folded level words, the longest first ('cap xa' before 'xa')."""
        return sorted(self.levels, key=len, reverse=True)

    @cached_property
    def level_patterns(self) -> list[tuple[re.Pattern, str]]:
        """Each level word as a whole word of a folded tail, with its level, in the order of `levels`."""
        return [(re.compile(rf"\b{re.escape(word)}\b"), level) for word, level in self.levels.items()]

    @cached_property
    def by_rare_token(self) -> dict[str, list[_Entry]]:
        """Names of three words or more read scattered over a table row (not those that take a
        level word and print it, 'Công an cấp xã', a short name), by their rarest word after the
        first: such a name needs all those words among the row's words, so only the names whose
        rarest word is there need a closer look (far fewer than by their second word)."""
        return _rarest_word_index([e for e in self.entries if e.words >= 3 and not (e.scoped and e.level)])

    @cached_property
    def cell_by_rare_token(self) -> dict[str, list[_Entry]]:
        """`by_rare_token` for the names read scattered in one cell: the names of three words or
        more, except a name that takes a level word (only with it, or as a group)."""
        names = [e for e in self.entries
                 if e.words >= 3 and not (e.scoped and e.level is None and not e.is_group)]
        return _rarest_word_index(names)

    @cached_property
    def name_tails(self) -> frozenset[str]:
        """The keys of the last words (not all) of the names of `by_rare_token`, with and without
        a level word after them: only such a name can end a longer name read scattered."""
        tails: set[str] = set()
        for entries in self.by_rare_token.values():
            for e in entries:
                for word in (None, *OWN_LEVEL_WORDS):
                    words = normalise_key(f"{e.name} {word}" if word else e.name).split()
                    tails.update(" ".join(words[i:]) for i in range(1, len(words)))
        return frozenset(tails)

    @cached_property
    def phrase_heads(self) -> frozenset[str]:
        """The first words of the phrases of two words or more: no longer phrase opens elsewhere."""
        return frozenset(k[0] for k in self.phrases if len(k) >= 2)

    @cached_property
    def words_by_initial_and_length(self) -> dict[tuple[str, int], tuple[str, ...]]:
        """`words_by_initial` cut by length: a word one edit away is at most one letter longer."""
        out: dict[tuple[str, int], tuple[str, ...]] = {}
        for initial, words in self.words_by_initial.items():
            for word in words:
                out[(initial, len(word))] = (*out.get((initial, len(word)), ()), word)
        return out

    def expand(self, text: str) -> str:
        """Abbreviations (UBND, HĐND, BQL KKT …) written out, as whole words."""
        if self._abbreviation is None or not self._abbreviation_hint.search(text):
            return text
        return self._abbreviation.sub(lambda m: self.abbreviations[m.group(0)], text)

    def _abbreviation_pattern(self) -> re.Pattern | None:
        """The abbreviations as whole words of `_WORD` (not inside 'KH&CN-…' or 'xUBND')."""
        if not self.abbreviations:
            return None
        names = "|".join(re.escape(a) for a in sorted(self.abbreviations, key=len, reverse=True))
        return re.compile(rf"(?<![\w&])(?<![\w&][&-])(?:{names})(?![\w&]|[&-]\w)")

    def _phrase_table(self, data: dict) -> dict[tuple[str, ...], list[str]]:
        """Folded word n-grams → accented words, from every name and vocabulary phrase."""
        phrases = [e.name for e in self.entries] + list(data.get("vocabulary") or [])
        phrases += list(self.level_words.values())
        table: dict[tuple[str, ...], Counter] = {}
        for phrase in phrases:
            words = [w.strip(",;:.()") for w in nfc(phrase).split()]
            words = [w for w in words if w]
            for n in range(1, min(4, len(words)) + 1):
                for i in range(len(words) - n + 1):
                    gram = words[i:i + n]
                    key = tuple(_token_key(w) for w in gram)
                    table.setdefault(key, Counter())[" ".join(gram)] += 1
        return {k: c.most_common(1)[0][0].split() for k, c in table.items()}


def _rarest_word_index(entries: list[_Entry]) -> dict[str, list[_Entry]]:
    """The entries by the rarest of their words after the first (ties: the first in order)."""
    counts = Counter(t for e in entries for t in set(e.tokens[1:]))
    out: dict[str, list[_Entry]] = {}
    for e in entries:
        out.setdefault(min(e.tokens[1:], key=lambda t: (counts[t], t)), []).append(e)
    return out


# ---------------------------------------------------------------------------------------------------
# folding

_UPPER = re.compile(char_class(str.isupper))
_LETTER = re.compile(char_class(str.isalpha))
# runs, not single characters: fewer match objects for the same count
_UPPERS = re.compile(_UPPER.pattern + "+")
_LETTERS = re.compile(_LETTER.pattern + "+")


_WORD = re.compile(r"[\w&]+(?:[&-][\w]+)*")
_OCR_CHARS = str.maketrans({"&": "o", "¢": "e", "€": "e", "@": "o", "|": "", "’": "", "'": ""})
_SHORT_SO = re.compile(r"^s[\dowde]$|^s$")
_SHORT_XA = re.compile(r"^x[\daideo]$")
_DETERMINER = re.compile(r"^(?:c[aeiod]{1,2}c|qac)$")
# 'ư' read as 'ir' ('chirc', 'thirc', 'tirng'): folded Vietnamese never has an 'i' before an 'r'
_OCR_IR = re.compile(r"ir(?=[a-z])")
_DIGIT_LETTERS = str.maketrans({"1": "l", "0": "o", "6": "o"})


@lru_cache(maxsize=65536)
def _token_key(word: str) -> str:
    """Folded form of one word with the OCR confusions of unit names undone ('x3' → 'xa')."""
    token = _OCR_IR.sub("u", fold(word).translate(_OCR_CHARS))
    if _SHORT_XA.match(token):
        return "xa"
    if _SHORT_SO.match(token):
        return "so"
    token = token.strip(",;:.()[]{}\"“”")
    if _DETERMINER.match(token):
        return "cac"
    if any(ch.isalpha() for ch in token) and any(ch.isdigit() for ch in token):
        token = token.translate(_DIGIT_LETTERS)
    return token


@lru_cache(maxsize=16384)
def normalise_key(text: str) -> str:
    """Folded, OCR-repaired matching key of a name: 'Cong an x3' → 'cong an xa'."""
    words = (_token_key(w) for w in nfc(text).replace("-", " - ").split())
    return " ".join(w for w in words if w and w != "-").replace(",", "")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    with GAZETTEER.open(encoding="utf-8") as fh:
        return Gazetteer(yaml.safe_load(fh) or {})


def letter_counts(text: str) -> tuple[int, int]:
    """(letters, upper-case letters) of `text`, counted by compiled scans."""
    return sum(map(len, _LETTERS.findall(text))), sum(map(len, _UPPERS.findall(text)))


_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def few_capitals(text: str, share: float) -> bool:
    """True when `text` certainly has fewer upper-case letters than `share` of its letters: its
    lower-case ASCII letters alone are too many. One C-level pass over the bytes; a False answer
    settles nothing (count with `letter_counts`). Most prose lines are settled here."""
    data = text.encode()
    lower = len(data) - len(data.translate(None, _ASCII_LOWER))
    # capitals ≤ letters − lower and letters ≤ len(text); the margin keeps float rounding out
    return lower > (1.05 - share) * len(text)


# ---------------------------------------------------------------------------------------------------
# splitting

_TAIL_CLAUSE = re.compile(
    r"\s(?:chu dong|thuc hien theo|theo chuc nang|chiu trach nhiem|phoi hop thuc hien)\b"
)
_QUALIFIER = re.compile(r"\s((?:truc )?(?:th\w{2}c|tr\w{1,2}n d\w{1,2} b\w{1,2}n)\s.+)$")


def split_units(text: str) -> list[str]:
    """One string per unit of a printed list, qualifiers shared by a list distributed to each part.

    >>> split_units("Cac phong chuyén mon, cac Trung tam thudc xa; Cong an xa")
    ['Cac phong chuyén mon thudc xa', 'cac Trung tam thudc xa', 'Cong an xa']
    """
    return list(_split_units(text))


@lru_cache(maxsize=16384)
def _split_units(text: str) -> tuple[str, ...]:
    return tuple(unit for chunk in _list_chunks(text) for unit in _chunk_units(chunk))


@lru_cache(maxsize=16384)
def _list_chunks(text: str) -> tuple[str, ...]:
    """The ';' chunks of a printed list, a short lower-case chunk joined to the one before it."""
    gaz = gazetteer()
    text = nfc(" ".join(text.split())).strip(" .;,:-")
    return tuple(_merge_pieces(_split_top(text, ";"), gaz, max_words=3))


@lru_cache(maxsize=16384)
def _chunk_units(chunk: str) -> tuple[str, ...]:
    """The units of one ';' chunk of a list: each chunk is cut on its own, and chunks ('Công an
    xã') repeat far more than whole lists."""
    gaz = gazetteer()
    chunk = _cut_tail_clause(chunk)
    parts = _merge_pieces([p.strip() for p in _split_top(chunk, ",")], gaz)
    pieces = [r for p in parts for q in _split_and(p, gaz) for r in _split_heads(q, gaz)]
    units = _distribute_qualifier(pieces)
    return tuple(u.strip(" .;,:-") for u in units if u.strip(" .;,:-"))


def _split_top(text: str, sep: str) -> list[str]:
    """Split at `sep` outside parentheses."""
    if "(" not in text:
        return [p.strip() for p in text.split(sep) if p.strip()]
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [p.strip() for p in out if p.strip()]


def _cut_tail_clause(chunk: str) -> str:
    folded = fold(chunk)
    m = _TAIL_CLAUSE.search(folded)
    if not m:
        return chunk
    words_before = len(folded[: m.start()].split())
    return " ".join(chunk.split()[:words_before])


def starts_unit(piece: str, gaz: Gazetteer | None = None) -> bool:
    """Does `piece` begin a new unit name (determiner 'các' or the head words of a known agency)?"""
    return _starts_unit(" ".join(piece.split()[:4]))


@lru_cache(maxsize=8192)
def _starts_unit(piece: str) -> bool:
    gaz = gazetteer()
    key = normalise_key(gaz.expand(piece))
    words = key.split()
    if not words:
        return False
    if words[0] in {"cac", "nhung"} and len(words) > 1:
        return True
    if len(words) < 2:
        return False
    return _known_head(words[0], words[1])


@lru_cache(maxsize=16384)
def _known_head(first: str, second: str) -> bool:
    """Are two folded words the head of a known agency, or close to one? Once per pair of words,
    whatever follows them."""
    gaz = gazetteer()
    if f"{first} {second}" in gaz.heads:
        return True
    return any(_similar_head([first, second], h) for h in gaz.head_words.get(first[:1], ()))


def _similar_head(words: list[str], head: tuple[str, str]) -> bool:
    """Two leading words close to a known head: same first letter, each word ≥ 80 similar."""
    return (words[0][:1] == head[0][:1] and fuzz.ratio(words[0], head[0]) >= 80
            and fuzz.ratio(words[1], head[1]) >= 80)


def _merge_pieces(pieces: list[str], gaz: Gazetteer, max_words: int = 99) -> list[str]:
    """Re-join comma pieces that continue a name ('các sở, ban, ngành'; 'Sở Văn hóa, Thể thao …')."""
    out: list[str] = []
    for piece in pieces:
        short = len(piece.split()) <= max_words and (max_words > 3 or piece[:1].islower())
        head = " ".join(piece.split()[:3])
        if out and short and not starts_unit(piece, gaz) and not is_unit_fragment(head):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


_AND = re.compile(r"\s(?:và|va|vả|vá)\s", re.IGNORECASE)


def _split_and(piece: str, gaz: Gazetteer) -> list[str]:
    """Split at 'và' between two named units, unless the whole is one known name."""
    if not _AND.search(piece) or _full_match(piece, gaz) is not None:
        return [piece]
    out = [piece]
    for m in reversed(list(_AND.finditer(piece))):
        left, right = piece[: m.start()], piece[m.end():]
        if len(left.split()) >= 2 and starts_unit(right, gaz) and (
            normalise_key(right).startswith("cac ") or _known(left, gaz) or _known(right, gaz)
        ):
            out = [*_split_and(left, gaz), right]
            break
    return out


_PREPOSITIONS = {"cho", "cua", "thuoc", "tai", "tren", "voi", "o", "truc"}


def _split_heads(piece: str, gaz: Gazetteer) -> list[str]:
    """'Văn phòng Tỉnh ủy Cơ quan tham mưu' → two units: a known name followed by a capitalised
    unit head with no separator between them (a lost comma or a cell boundary)."""
    words = piece.split()
    if len(words) < 4 or _full_match(piece, gaz) is not None:
        return [piece]
    for j in range(2, len(words) - 1):
        if not words[j][:1].isupper():
            continue
        left, right = " ".join(words[:j]), " ".join(words[j:])
        if fold(words[j - 1]).strip(",") in _PREPOSITIONS:
            continue  # "… giúp việc cho Tỉnh ủy": the name goes on
        if starts_unit(right, gaz) and _full_match(left, gaz) is not None:
            return [left, *_split_heads(right, gaz)]
    return [piece]


def _known(name: str, gaz: Gazetteer) -> bool:
    return _full_match(name, gaz) is not None or _head_match(name, gaz) is not None


def _distribute_qualifier(pieces: list[str]) -> list[str]:
    """'các phòng chuyên môn, các Trung tâm thuộc xã' → both parts 'thuộc xã'."""
    if len(pieces) < 2:
        return pieces
    m = _QUALIFIER.search(fold(pieces[-1]))
    if not m:
        return pieces
    n_words = len(m.group(1).split())
    qualifier = " ".join(pieces[-1].split()[-n_words:])
    out = []
    for p in pieces[:-1]:
        if normalise_key(p).startswith("cac ") and not _QUALIFIER.search(fold(p)):
            p = f"{p} {qualifier}"
        out.append(p)
    return [*out, pieces[-1]]


# ---------------------------------------------------------------------------------------------------
# resolution

def _full_match(name: str, gaz: Gazetteer) -> _Entry | None:
    return _full_match_cached(name)


@lru_cache(maxsize=8192)
def _full_match_cached(name: str) -> _Entry | None:
    gaz = gazetteer()
    key = normalise_key(gaz.expand(name))
    if not key:
        return None
    if key in gaz.key_index:  # the common case: a name printed whole and read cleanly
        return gaz.entries[gaz.key_index[key]]
    return _closest_entry(key)


@lru_cache(maxsize=16384)
def _closest_entry(key: str) -> _Entry | None:
    """The entry whose key is closest to `key` (FULL_MATCH at least): once per folded key, however
    the name was printed ('Công en xã', 'Cong en xa')."""
    gaz = gazetteer()
    found = closest(key, gaz.keys, FULL_MATCH)
    return gaz.entries[found[2]] if found else None


def _head_match(name: str, gaz: Gazetteer) -> tuple[_Entry, str] | None:
    return _head_match_cached(name)


@lru_cache(maxsize=8192)
def _head_match_cached(name: str) -> tuple[_Entry, str] | None:
    """The longest known name that begins `name`, and the printed words after it."""
    gaz = gazetteer()
    expanded = gaz.expand(name)
    head = _head_entry(normalise_key(expanded))
    if head is None:
        return None
    entry, size = head
    tail_words = [w for w in expanded.replace("-", " - ").split() if normalise_key(w)]
    return entry, " ".join(tail_words[size:])


@lru_cache(maxsize=16384)
def _head_entry(key: str) -> tuple[_Entry, int] | None:
    """The longest known name that begins the folded `key`, and its number of words."""
    gaz = gazetteer()
    words = key.split()
    for size in range(len(words) - 1, 1, -1):
        entries = gaz.by_size.get((key[:1], size))
        if not entries:
            continue
        found = closest(" ".join(words[:size]), gaz.size_keys[(key[:1], size)], HEAD_MATCH)
        if found is not None and _word_by_word(words[:size], entries[found[2]].tokens):
            return entries[found[2]], size
    return None


def _word_by_word(words: list[str], tokens: tuple[str, ...]) -> bool:
    """Every word close to the name's word in its place: a close string is not enough on short
    names ('cong nghe phuong' reads 87 against 'cong an phuong')."""
    return all(fuzz.ratio(w, t) >= WORD_MATCH for w, t in zip(words, tokens, strict=False))


@lru_cache(maxsize=8192)
def trim_tail(name: str) -> str:
    """`name` cut after its known head and the qualifiers that may follow it ('Ủy ban nhân dân cấp xã
    liệu' → 'Ủy ban nhân dân cấp xã', 'Sở Xây dựng quận' → 'Sở Xây dựng'); other names unchanged.
    A scrambled table cell mixes columns, so words after a known name are not part of it."""
    gaz = gazetteer()
    head = _head_match(name, gaz)
    if head is None or normalise_key(gaz.expand(name)) in gaz.key_index:
        return name
    entry, tail = head
    words = tail.split()
    folded = " ".join(fold(w).strip(",;:.()") for w in words)
    keep = gaz.qualified_tail.match(folded).end()
    has_level = any(f" {entry.key} ".endswith(f" {w} ") for w in gaz.levels)
    if not keep and (entry.scoped or entry.is_group) and not has_level:
        level = gaz.level_tail.match(folded)
        keep = level.end() if level else 0
    kept = len(folded[:keep].split())
    if kept == len(words):
        return name
    printed = name.split()
    head_words = printed[: len(printed) - len(words)]
    if normalise_key(gaz.expand(" ".join(head_words))) != entry.key:
        head_words = entry.name.split()  # read fuzzily: the gazetteer's spelling, not the OCR's
    return " ".join(head_words + words[:kept])


def printed_level(name: str, printed: str, context: dict | None = None) -> str:
    """`name` with its level word only if the printed text has it: a fuzzy match may end a name
    with a level word read from other words ('… công ca nhan' → '… công cấp tỉnh'); such a word is
    replaced by the document's own level word."""
    gaz = gazetteer()
    folded = f" {fold(name)}"
    tokens = normalise_key(gaz.expand(printed)).split()
    for word in gaz.levels_longest_first:
        if folded.endswith(f" {word}"):
            size = len(word.split())
            windows = (" ".join(tokens[k:k + size]) for k in range(len(tokens) - size + 1))
            if any(fuzz.ratio(word, w) >= HEAD_MATCH - 5 for w in windows):
                return name
            base = name[: len(name) - len(word)].rstrip()
            own = context_level_word(context or {})
            return f"{base} {own}" if own else base
    return name


def resolve_unit(name: str, context: dict | None = None) -> Unit | None:
    """Canonical unit for a printed name, or None when the text is not a unit name."""
    return _resolve(name, *unit_scope(context))


@lru_cache(maxsize=16384)
def _resolve(name: str, level: str | None, level_word: str | None) -> Unit | None:
    context = scope_context(level, level_word)
    gaz = gazetteer()
    name = nfc(" ".join(name.split())).strip(" .;,:-|")
    if not name:
        return None
    entry = _whole_entry(name, gaz)
    if entry is not None:
        return _unit(entry, entry.name, context)
    head = _head_match(name, gaz)
    if head is not None:
        entry, tail = head
        unit = _unit(entry, f"{entry.name} {restore_diacritics(tail)}".strip(), context,
                     tail=normalise_key(tail))
        return replace(unit, exact=_qualifier_only(tail))
    if not _well_formed(name):
        return None
    restored = restore_diacritics(gaz.expand(name))
    return Unit(restored, "unknown", context.get("level"), is_group=fold(name).startswith("cac "),
                known=False, confidence=UNKNOWN_CONFIDENCE)


def _whole_entry(name: str, gaz: Gazetteer) -> _Entry | None:
    """The gazetteer entry `name` spells whole; a group entry ("các phòng") followed by more words
    is not read whole: those words name the group's members."""
    entry = _full_match(name, gaz)
    if entry is None:
        return None
    longer = len(normalise_key(gaz.expand(name)).split()) > entry.words
    return None if entry.is_group and longer else entry


@lru_cache(maxsize=16384)
def reads_as_known(name: str) -> bool:
    """Does `name` resolve to a known agency read whole (`resolve_unit(name)` known and exact)?
    The same answer without building the name: callers weighing many candidate cuts of a line
    need only this."""
    gaz = gazetteer()
    name = nfc(" ".join(name.split())).strip(" .;,:-|")
    if not name:
        return False
    if _whole_entry(name, gaz) is not None:
        return True
    head = _head_match(name, gaz)
    return head is not None and _qualifier_only(head[1])


def _qualifier_only(tail: str) -> bool:
    """A tail made of known words only ('trên địa bàn xã', 'có liên quan')."""
    keys = [_token_key(w) for w in tail.split()]
    vocab = gazetteer().phrases
    return len(keys) <= 6 and all((k,) in vocab for k in keys if k)


def _unit(entry: _Entry, name: str, context: dict, tail: str = "") -> Unit:
    level = entry.level
    if entry.scoped and level is None:
        level = _level_of(tail, context)
        word = context_level_word(context)
        if word and not tail:
            name = f"{name} {word}"
    if entry.is_group:
        level = _level_of(tail, context) if tail else context.get("level")
    return Unit(name, entry.kind, level, is_group=entry.is_group)


def _level_of(tail: str, context: dict) -> str | None:
    if tail:  # no level word in an empty tail
        for pattern, level in gazetteer().level_patterns:
            if pattern.search(tail):
                return level
    return context.get("level")


def context_level_word(context: dict) -> str | None:
    """The level word a bare scoped name takes in this document ('Công an' → 'Công an xã')."""
    if "level_word" in context:  # a scope context (`scope_context`)
        return context["level_word"]
    return _level_word(context.get("level"), context.get("jurisdiction"))


OWN_LEVEL_WORDS = ("tỉnh", "phường", "xã")  # every answer of `context_level_word` but None


@lru_cache(maxsize=1024)
def _level_word(level: str | None, jurisdiction: str | None) -> str | None:
    if level == "province":
        return "tỉnh"
    if level == "commune":
        return "phường" if fold(jurisdiction or "").startswith("phuong") else "xã"
    return None


def unit_scope(context: dict | None) -> tuple[str | None, str | None]:
    """(level, level word): all that reading units takes from a document's context, so a name read
    once is read for every document of the same level (a commune's name does not matter, only
    whether it is a 'xã' or a 'phường')."""
    context = context or {}
    return context.get("level"), context_level_word(context)


def scope_context(level: str | None, level_word: str | None) -> dict:
    """The context of a `unit_scope`, as the readers of units take it."""
    return {"level": level, "level_word": level_word}


def _well_formed(name: str) -> bool:
    """A name: mostly letters, at least two real words, starting with a letter."""
    compact = name.replace(" ", "")
    if not compact or not name[0].isalpha():
        return False
    letters = sum(ch.isalpha() for ch in compact)
    words = [w for w in name.split() if sum(ch.isalpha() for ch in w) >= 3]
    if any(a.islower() and b.isupper() for w in name.split() for a, b in itertools.pairwise(w)):
        return False  # "oAl": case flips inside a word are OCR noise
    return letters / len(compact) >= 0.8 and len(words) >= 2 and len(words) * 2 >= len(name.split())


def restore_diacritics(text: str) -> str:
    """Diacritics put back on words the gazetteer knows ('tren dia ban xa' → 'trên địa bàn xã')."""
    gaz = gazetteer()
    table, heads = gaz.phrases, gaz.phrase_heads
    words = text.split()
    cores = [_split_punct(w) for w in words]
    keys = [_token_key(c[1]) for c in cores]
    out: list[str] = []
    i = 0
    while i < len(words):
        # a phrase of two words or more opens only with a phrase head: else one word is looked up
        longest = min(4, len(words) - i) if keys[i] in heads else 1
        for n in range(longest, 0, -1):
            accented = _lookup(table, keys[i:i + n], cores[i][1])
            if accented and all(keys[i:i + n]):
                for j, acc in enumerate(accented):
                    lead, core, trail = cores[i + j]
                    out.append(lead + _match_case(acc, core) + trail)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _lookup(table: dict, keys: list[str], printed: str) -> list[str] | None:
    """Accented words for folded `keys`; a lone capitalised word only maps to a capitalised entry,
    so proper nouns ('Dung Quất') are not turned into common words ('dựng')."""
    accented = table.get(tuple(keys))
    if accented is None and len(keys) == 1 and keys[0][:1] in "pb":
        accented = table.get((f"d{keys[0][1:]}",))  # OCR reads Đ as P or B
    if accented is None and len(keys) == 1 and not printed[:1].isupper():
        accented = _near_word(keys[0])
    proper = bool(accented) and len(keys) == 1 and printed[:1].isupper()
    if proper and (not accented[0][:1].isupper() or printed != fold(printed).capitalize()):
        return None  # a proper noun, or a capitalised word already printed with its diacritics
    return accented


@lru_cache(maxsize=16384)
def _near_word(key: str) -> list[str] | None:
    """A vocabulary word one OCR slip away ('thudc' → 'thuộc', 'Pang' → 'Đảng')."""
    table = gazetteer().phrases
    if key[:1] in "pb" and (f"d{key[1:]}",) in table:
        return table[(f"d{key[1:]}",)]
    if len(key) < 4:
        return None
    found = closest(key, _unigrams(), 80)
    if not found or found[0][0] != key[0] or found[0][-1] != key[-1]:
        return None
    return table[(found[0],)]


@lru_cache(maxsize=16384)
def is_unit_word(word: str) -> bool:
    """Is `word` (OCR'd) one of the words agency names are made of ('quéc' → 'quốc')?"""
    key = _token_key(word)
    if not key or (key,) in gazetteer().phrases or word.strip(",;:.()") in gazetteer().abbreviations:
        return True
    if len(key) < 4:
        return False
    found = closest(key, _unigrams(), 75)
    return bool(found) and found[0][0] == key[0] and found[0][-1] == key[-1]


@lru_cache(maxsize=1)
def _unigrams() -> list[str]:
    return [k[0] for k in gazetteer().phrases if len(k) == 1 and len(k[0]) >= 4]


_PUNCT_AROUND = re.compile(r"^([^\w]*)(.*?)([^\w]*)$")


@lru_cache(maxsize=16384)
def _split_punct(word: str) -> tuple[str, str, str]:
    m = _PUNCT_AROUND.match(word)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", word, "")


def _match_case(accented: str, printed: str) -> str:
    if not printed:
        return accented
    if printed.isupper() and len(printed) > 1:
        return accented
    first = accented[0].upper() if printed[0].isupper() else accented[0].lower()
    return first + accented[1:]


@lru_cache(maxsize=8192)
def is_unit_fragment(text: str) -> bool:
    """Do the (two or more) words of `text` begin a known agency name ('Trung tdm Phuc vu')?"""
    words = normalise_key(gazetteer().expand(text)).split()
    return len(words) >= 2 and _begins_name(" ".join(words), len(words))


@lru_cache(maxsize=16384)
def _begins_name(key: str, size: int) -> bool:
    """`is_unit_fragment` of a folded key of `size` words, once per key."""
    prefixes = gazetteer().prefixes.get((key[:1], size))
    return bool(prefixes) and closest(key, prefixes, HEAD_MATCH) is not None


def resolve_units(text: str, context: dict | None = None) -> list[Unit]:
    """`split_units` then `resolve_unit`, garbage dropped and duplicates removed."""
    return list(_resolve_units(text, *unit_scope(context)))


@lru_cache(maxsize=16384)
def _resolve_units(text: str, level: str | None, level_word: str | None) -> tuple[Unit, ...]:
    seen: set[str] = set()
    out: list[Unit] = []
    for chunk in _list_chunks(text):
        for unit, folded in _chunk_resolved(chunk, level, level_word):
            if folded not in seen:
                seen.add(folded)
                out.append(unit)
    return tuple(out)


@lru_cache(maxsize=16384)
def _chunk_resolved(chunk: str, level: str | None, level_word: str | None) -> tuple[tuple[Unit, str], ...]:
    """The units of one chunk of a list (`_chunk_units`) with their folded names: lists are new
    far more often than their chunks."""
    found = (_resolve(piece, level, level_word) for piece in _chunk_units(chunk))
    return tuple((unit, fold(unit.name)) for unit in found if unit is not None)
