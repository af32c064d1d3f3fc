"""References from a document to other documents, with their relation, jurisdiction and evidence.

Relations (conventions.md), from the cue that governs a mention, matched on accent-folded text
with OCR tolerance:
- implements: "Thực hiện", "Triển khai (thực hiện)", "cụ thể hóa", "quán triệt", "theo chỉ đạo",
  "ban hành kèm theo", the title of a plan;
- based_on: "Căn cứ", "Trên cơ sở (tham mưu)", "Xét (nội dung tham mưu / đề nghị)", "Theo đề nghị",
  "qua xem xét đề xuất";
- amends: "sửa đổi, bổ sung";
- cites: anything else — also documents named only inside another reference's description
  ("Kế hoạch số 59/KH-UBND … về thực hiện Nghị quyết số 05-NQ/TU": 05-NQ/TU is cited, and the
  description gives the second-order link 59/KH-UBND implements 05-NQ/TU).
A document keeps its strongest relation over all mentions (implements > based_on > amends > cites).

Footnotes (lines set in a smaller font below the page, each opened by its number) take their own cue,
else the relation a plan has to the directives it carries out; their references are anchored to the
line of the marker that OCR left in the body ("?" or a digit glued to a word), so that tasks cite them.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from rapidfuzz import fuzz

from ingest import codes
from ingest.dates import find_dates, make_date
from ingest.ids import IdMatch, find_identifiers
from ingest.text import fold


def _folding_table() -> dict[int, str]:
    """Each Latin letter (Vietnamese accented ones included) to its lower-case base letter; letters
    whose folded form is not one character are left alone, so the text keeps its length."""
    table = {}
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch.replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
        base = "".join(c for c in base if unicodedata.category(c) != "Mn").lower()
        if len(base) == 1 and base != ch:
            table[code] = base
    # every other Basic Plane character maps to itself: `str.translate` pays for each character a
    # table lacks (a caught LookupError), ~2x the time of a look-up that succeeds
    return {code: table.get(code, chr(code)) for code in range(0x10000)}


_FOLD_TABLE = _folding_table()


def fold_offsets(text: str) -> str:
    """Lower-case, accent-free twin of `text` with the same length, so offsets found in it are
    offsets in `text` (a table-driven `ingest.text.fold_keep_length`)."""
    return text.translate(_FOLD_TABLE)


STRENGTH = {"implements": 3, "based_on": 2, "amends": 1, "cites": 0}

# ---- cues, on folded text (lower case, no accents, same offsets as the original) -------------
_THUC_HIEN = r"th[a-z]{0,3}[ce]\s+h[a-z]{1,3}n\b"
_TRIEN_KHAI = r"tri[a-z]{0,2}n\s+kh[a-z]{1,2}i\b"
_SUA_DOI = r"s[a-z]{1,2}a\s+[dpb][a-z0-9]{1,2}i\b"
_CUES: list[tuple[str, str]] = [
    (rf"\b{_TRIEN_KHAI}(?:\s+{_THUC_HIEN})?", "implements"),
    (rf"\b{_THUC_HIEN}", "implements"),
    (r"\bc[uy]\s+th\S?\s+h\S{1,2}\b", "implements"),  # cụ thể hóa
    (r"\bqu[a-z]n\s+tri[a-z]{0,2}t\b", "implements"),  # quán triệt
    (r"\btheo\s+ch[a-z]\s+[dpb][a-z]{1,2}o\b", "implements"),  # theo chỉ đạo
    (r"\bhoan\s+thanh\s+(?:cac\s+)?nhi[a-z]{0,2}m\s+vu\b", "implements"),  # hoàn thành nhiệm vụ … theo
    (r"\bban\s+hanh\s+kem\s+theo\b", "implements"),
    (r"\bc[aiă][a-z]?n\s+c(?:u|ir|tr|it|t|ur)\b", "based_on"),  # căn cứ
    (r"\btr[a-z]n\s+c[a-z]\s+s[a-z]\b", "based_on"),  # trên cơ sở
    (r"\bx[a-z]t\s+(?:n\S{0,2}i\s+dung|[dpb][a-z]\s+ngh[a-z]|[dpb][a-z]\s+xu[a-z]t)", "based_on"),  # xét …
    (r"\bqua\s+xem\s+x[a-z]t\b", "based_on"),
    (r"\btheo\s+[dpb][a-z]\s+ngh[a-z]\b", "based_on"),  # theo đề nghị (OCR: Đ as P or B)
    (rf"\b{_SUA_DOI}", "amends"),
]
# OCR leaves junk for accented letters ("thu&c hien", "Ca¢n cứ"): a letter slot accepts it too.
_OCR_LETTER = "[a-z&¢€@§?]"
_CUES = [(pattern.replace("[a-z]", _OCR_LETTER), relation) for pattern, relation in _CUES]


def _cue_regex() -> re.Pattern[str]:
    """All cues in one pattern whose alternatives each open with a plain letter (the regex engine
    then skips to candidate letters fast, and at one of them tries only the cues opening with it,
    in their order): a letter before it means the middle of a word."""
    by_first: dict[str, list[str]] = {}
    for i, (pattern, _) in enumerate(_CUES):
        by_first.setdefault(pattern[2], []).append(f"(?P<c{i}>{pattern[3:]})")
    return re.compile("|".join(f"{first}(?<![a-z]{first})(?:{'|'.join(alternatives)})"
                               for first, alternatives in by_first.items()))


_CUE_RE = _cue_regex()
_CUE_RELATION = {f"c{i}": relation for i, (_pattern, relation) in enumerate(_CUES)}  # group → relation
# A review conference "of the implementation of …" is about the directive, not carrying it out.
_REVIEW = re.compile(r"\b(?:hoi\s+ngh[a-z]|s[a-z]\s+k[a-z]t|t[a-z]ng\s+k[a-z]t)\b")
# "kết quả / tình hình thực hiện …": reporting on a document, not carrying it out
# "việc thực hiện …" (the carrying out of …) names it as an object, as in "gắn với việc thực hiện"
_REPORTING = re.compile(
    r"\b(?:k[a-z]t\s+qu[a-z]|t[a-z]nh\s+h[a-z]nh|vi[a-z]c)\s+(?:tri[a-z]{0,2}n\s+kh[a-z]{1,2}i\s+)?$")
# Words that tie a document to the one named in its description.
_CONNECTOR = re.compile(rf"\bve\b|\bban\s+hanh\b|{_THUC_HIEN}|\b{_TRIEN_KHAI}|\b{_SUA_DOI}|\btai\b")
# A new item of a list: "; Kế hoạch số", ", Nghị quyết số", " và Thông báo số".
_LIST_SEPARATOR = re.compile(
    r"(?:[;,(]|\bva|\)|\.)(?:\s*(?:cac\s+)?[a-z&]{1,6}(?:\s+[a-z&]{1,6}){0,3}\s*\S{0,3})?\s*$")
_BOUNDARY = re.compile(
    r"\.[ \t]*\n|\.[ \t]+(?=[A-ZĐÀ-Ỹ0-9])|:[ \t]*\n"
    r"|\n[ \t]*(?:[-+•*~]|[a-zđ]\)|\d{1,2}[.)]|[IVXL]{1,4}[.)])[ \t]"
)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SCOPE = 700  # characters a cue reaches back at most
_DESCRIPTION = 420  # characters a reference's description runs at most
# "Theo Nghị định …": compliance with a legal norm is a citation even in a plan's tasks.
_NORM_TYPES = {"NĐ", "TT", "TTLT"}
_THEO_BEFORE = re.compile(r"\b(?:theo|tai)\s+\S{1,6}\s+\S{1,6}\s*(?:s\S{0,2}\s*)?$")
# "(đúng / theo) quy định tại …": any document named as a rule to comply with is cited
_RULE_BEFORE = re.compile(
    r"\bquy\s+dinh\s+(?:tai|cua|theo)\s+(?:cac\s+)?\S{1,6}(?:\s+\S{1,6}){0,2}\s*(?:s\S{0,2}\s*)?$")
_DIRECTIVE_TYPES = {"NQ", "KL", "CT", "TB", "KH", "CTr", "QĐ", "ĐA", "HD"}
_FOOTNOTE_DIRECTIVE_TYPES = _DIRECTIVE_TYPES | {"CV"}  # a plan's footnote lists the letters it carries out
_TASK_HEADING = re.compile(
    r"^[^\w\n]{0,3}(?:[IVXLl1|]{1,4}[^\w\n]{1,3})?(?:NHI[EỆÊÉ]M\s+V[UỤ]|PH[UỤ]\s+L[UỤ]C)", re.M)

# ---- names of project documents without a symbol: "Đề án 06" (gold: id is the name) -----------
# "… án 06": its end, found cheaply (a scan for a plain letter is ~3x faster than for a set)
_PROJECT_NUMBER = re.compile(r"n[ \t]+(?P<n>\d{2,3})(?!\d)")
_PROJECT_NUMBER_UPPER = re.compile(r"N[ \t]+(?P<n>\d{2,3})(?!\d)")
_PROJECT = re.compile(
    # "Đề" as OCR spells it (De, Pe, Bé, D&, B¢ …) but not "Dự án" (du, dy)
    r"(?<![a-z])(?:[dpb](?![uy])[a-z&€¢?]{0,2}|e)[ \t]{0,2}\n?[ \t]{0,2}d?[a4&]n[ \t]+(?P<n>\d{2,3})(?!\d)")

# ---- footnotes -------------------------------------------------------------------------------
# "1 Kế hoạch số …" (OCR), "¹ Kế hoạch …", "[1] Kế hoạch …" (web copies of Word files)
_FOOTNOTE_START = re.compile(r"^[ \t]?(?:(?P<n>[1-9])\.?|(?P<sup>[¹²³⁴⁵⁶⁷⁸⁹])|\[(?P<br>[1-9]\d?)\])[ \t]*"
                             r"(?=[A-ZĐÐÀ-Ỹ$])")
# the same after every line break of a text (the first line is matched on its own): the candidate
# lines in one scan that skips to line breaks fast
_FOOTNOTE_AFTER_BREAK = re.compile("\n" + _FOOTNOTE_START.pattern.removeprefix("^"))
# a marker glued to the word it hangs on (checked after the match): "?" or a superscript left by OCR,
# "[1]" in web copies
_MARKER = re.compile(r"(?:[?¹²³⁴⁵⁶⁷⁸⁹]|\[[1-9]\d?\])(?=[\s,.;:)]|$)")

# ---- jurisdiction words in an issuer phrase ------------------------------------------------------
_LEVEL_WORDS = [
    (re.compile(r"\b(?:xa|phuong|thi\s+tran|dang\s+u\S?\s+xa)\b|\bx[a-z0-9]\b(?=\s|$|[;,.])"), "commune"),
    (re.compile(r"\b(?:huyen|quan|thi\s+xa)\b"), "district"),
    (re.compile(r"\bti?nh\b"), "province"),  # "tnh": OCR lost the ỉ
    # a city is a province (Hà Nội, Hải Phòng …) or, seen from a district-level city, that city
    # ("thanh ph6", "thanh phé": OCR's stand-ins for ố)
    (re.compile(r"\bthanh\s+(?:ph[o6e]|u\S?)\b"), "city"),
]
_TINH_UY = re.compile(r"\b(?:T|t)[iỉ]nh\s+\S{1,3}y\b")
_DATE_LEAD = re.compile(r"[\s,.(]*(?:ng\S{0,3})?[\s,.:]*")
_ISSUER_PHRASE = re.compile(r"\bc\S{0,3}a\s+(.)", re.S)


_UNREAD = object()


@dataclass
class Mention:
    """One occurrence of an identifier, with what the text around it says about it."""

    match: IdMatch
    line: int
    date: str | None = None
    relation: str = "cites"
    head: int | None = None  # index of the mention whose description names this one
    link_relation: str | None = None
    footnote: int | None = None  # index of the footnote block it sits in
    anchor_line: int | None = None
    phrase: str = ""  # the text after the id up to the next id or ";": date, issuer, subject
    type_word: str | None = None
    aliases: list[str] = field(default_factory=list)
    named: object = _UNREAD  # (level, place, confidence) from the issuer phrase, once read


@dataclass
class Context:
    """What the document says about itself, used to resolve bare issuers."""

    self_id: str | None = None
    self_type_code: str | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    level: str | None = None
    jurisdiction: str | None = None
    is_plan: bool = False
    exclude: set[str] = field(default_factory=set)


# =================================================================================================


def extract_references(text: str, context: Context | None = None,
                       lines: list[str] | None = None) -> tuple[list[dict], list[dict]]:
    """References (the JSON contract's `references`) and second-order `links` found in `text`.

    Besides the contract's fields a reference may carry `aliases` (names the text gives it),
    `anchors` (1-based lines its footnote markers hang on), `footnote_lines` (lines of its mentions
    that sit in footnotes) and `alias_lines` (lines that name it by number only, "Nghị quyết 57").
    `lines`, when given, is `text.split("\n")` (the caller's, read only).
    """
    context = context or Context()
    doc = _Document(text, lines)
    mentions = _mentions(doc, context)
    _assign_dates(doc, mentions)
    _assign_heads(doc, mentions)
    _assign_relations(doc, mentions, context)
    references = _merge(mentions, context)
    _number_only_aliases(doc, references)
    links = _links(mentions, references)
    return references, links


_NUMBER_ONLY_TYPES = ("Nghị quyết", "Kế hoạch", "Thông báo", "Chỉ thị", "Kết luận", "Quyết định", "Quy định",
                      "Chương trình", "Công văn", "Hướng dẫn")
_NUMBER_ONLY = re.compile(r"(?P<type>\w+ \w+)\s+(?:số\s+)?(?P<n>\d{1,4})(?![\d/\-–—])")


def _number_only_names(text: str, types: set[str] | None = None):
    """Matches of "<type> (số) <number>" without a symbol; the type words are found by `str.find`
    (fast on long texts), the rest is matched where they stand. With `types` (accent-folded type
    names), only the type words that begin one of them are looked for."""
    for word in _NUMBER_ONLY_TYPES:
        if types is not None and not any(t.startswith(fold(word)) for t in types):
            continue
        for variant in (word, word[0].lower() + word[1:]):
            position = text.find(variant)
            while position >= 0:
                m = _NUMBER_ONLY.match(text, position)
                if m and (position == 0 or not text[position - 1].isalnum()):
                    yield m
                position = text.find(variant, position + len(variant))


def _number_only_aliases(doc: _Document, references: list[dict]) -> None:
    """ "Nghị quyết 57" names 57-NQ/TW when one reference of that type has that number."""
    ids = set(doc.id_starts)
    # a name whose type begins no reference's type matches none of them
    for m in _number_only_names(doc.text, {fold(r["type"]) for r in references}):
        if m.start("n") in ids:
            continue
        number, type_name = int(m.group("n")), fold(m.group("type"))
        same = [r for r in references
                if _number_of(r["id"]) == number and fold(r["type"]).startswith(type_name)]
        if len(same) != 1:
            continue
        reference = same[0]
        alias = " ".join(m.group(0).split())
        reference.setdefault("aliases", [])
        if alias not in reference["aliases"]:
            reference["aliases"].append(alias)
        reference.setdefault("alias_lines", []).append(doc.line_of(m.start()))


def _number_of(doc_id: str) -> int | None:
    m = re.match(r"\d+", doc_id)
    return int(m.group(0)) if m else None


class _Document:
    """The text with its folded twin, line offsets, boundaries, cues and footnote blocks."""

    def __init__(self, text: str, lines: list[str] | None = None):
        self.text = text
        self.lines = text.split("\n") if lines is None else lines
        # line k starts after the k lines before it and their line breaks
        self.offsets = [0, *itertools.accumulate(map((1).__add__, map(len, self.lines)))]
        self.identifiers = find_identifiers(text)
        self.id_starts = [m.start for m in self.identifiers]
        project_hits = _project_numbers(text)
        starts = sorted([*self.id_starts, *map(re.Match.start, project_hits)])
        self.windows = _windows(starts, _SCOPE + 150, len(text))
        self.folded = _fold_windows(text, self.windows)
        self.projects = _projects(self, project_hits)
        self.cues = self._cues_near()
        self.cue_starts = [c[0] for c in self.cues]
        self.footnotes = _footnote_blocks(self)
        self.footnote_firsts = [first for first, _last, _n in self.footnotes]
        self.task_zone = _task_zone_start(self)
        self.title = _title_span(self)
        self.boundaries = sorted(self._boundaries())

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.offsets, offset)

    def boundary_before(self, offset: int) -> int:
        i = bisect.bisect_right(self.boundaries, offset) - 1
        return self.boundaries[i] if i >= 0 else 0

    def footnote_at(self, line: int) -> int | None:
        i = bisect.bisect_right(self.footnote_firsts, line) - 1
        return i if i >= 0 and line <= self.footnotes[i][1] else None

    def _cues_near(self) -> list[tuple[int, int, str]]:
        """Cues in the stretches a mention can reach back to (cues far from any id govern nothing)."""
        cues = []
        for begin, end in self.windows:
            cues += [(m.start(), m.end(), _CUE_RELATION[m.lastgroup])
                     for m in _CUE_RE.finditer(self.folded, begin, end)]
        return cues

    def _boundaries(self) -> set[int]:
        """Clause starts: after a full stop or a colon at a line end, at a bullet or numbered item,
        at a capitalised cue opening a line ("Căn cứ …", "Thực hiện …"), after the title."""
        found = set()
        for begin, end in self.windows:  # clauses far from every mention bound none of them
            for m in _BOUNDARY.finditer(self.text, _free_line_break(self.text, begin)):
                if m.start() > end:
                    break
                found.add(m.end())
        for start, _end, _relation in self.cues:
            if (start == 0 or self.text[start - 1] == "\n") and self.text[start].isupper():
                found.add(start)
        if self.title:
            found.add(self.title[1])
        return found



# ---- mentions ------------------------------------------------------------------------------------


def _mentions(doc: _Document, context: Context) -> list[Mention]:
    identifiers = doc.identifiers
    own = _appendix_self_ids(doc, identifiers, context)
    found = [m for m in identifiers if not _is_self(m, context, own)]
    found += doc.projects
    found.sort(key=lambda m: m.start)
    found, aliases = _with_aliases(doc, found)
    mentions = []
    for m in found:
        line = doc.line_of(m.start)
        mentions.append(Mention(match=m, line=line, footnote=doc.footnote_at(line),
                                aliases=aliases.get(m.start, [])))
    return mentions


_ALIAS = re.compile(r"\(\s*(?:sau\s+\S{2,4}\s+)?(?:viet|goi)\s+tat\s+\S{1,2}\s+(?P<alias>[^()]{1,90})\)")
_SHORT_FORM = re.compile(r"(?<![\w/-])\d{1,4}[ \t]?-[ \t]?[A-ZĐÐ]{2,12}(?![\w/-])")


def _with_aliases(doc: _Document, found: list[IdMatch]) -> tuple[list[IdMatch], dict[int, list[str]]]:
    """ "(sau đây viết tắt là Thông báo số 07-CQTTBCĐ)": the name a document is given for the rest of
    the text. An alias that restates an id is a plain mention; one that names a document type
    ("Nghị quyết", "Kế hoạch" …) belongs to the nearest document before it of that type (or of the
    short form's number: "07-CQTTBCD" is a mention of 07-TB/CQTTBCĐ); other aliases name bodies."""
    starts = [m.start for m in found]
    aliases: dict[int, list[str]] = defaultdict(list)
    extra = []
    for a in _ALIAS.finditer(doc.folded):
        alias_start, alias_end = a.span("alias")
        j = bisect.bisect_left(starts, alias_start)
        if j < len(starts) and starts[j] < alias_end:
            continue  # "(sau đây viết tắt là Nghị quyết số 57-NQ/TW)": the id is already a mention
        text = " ".join(doc.text[alias_start:alias_end].split())
        type_word = _type_word_re_start().match(doc.folded, alias_start, alias_end)
        if not type_word:
            continue
        short = _SHORT_FORM.search(doc.text, alias_start, alias_end)
        head = _alias_head(found, starts, a.start(), short.group(0) if short else None,
                           type_word.group("name"))
        if head is None:
            continue
        aliases[head.start].append(text)
        if short:
            extra.append(replace(head, start=short.start(), end=short.end(), raw=short.group(0),
                                 confidence=min(head.confidence, 0.6)))
    return sorted(found + extra, key=lambda m: m.start), aliases


def _alias_head(found: list[IdMatch], starts: list[int], offset: int, short: str | None,
                type_word: str) -> IdMatch | None:
    """The mention an alias at `offset` names: the nearest before it (within 400 characters) with
    the short form's number, else with the alias's type."""
    first = bisect.bisect_left(starts, offset - 400)
    candidates = found[first:bisect.bisect_left(starts, offset)][::-1]
    if short:
        number = int(re.match(r"\d+", short).group(0))
        return next((m for m in candidates if m.number.isdigit() and int(m.number) == number), None)
    wanted = _type_names().get(re.sub(r"\s+", " ", type_word))
    return next((m for m in candidates if codes.type_name(m.type_code) == wanted), None)


@cache
def _type_word_re_start() -> re.Pattern[str]:
    names = sorted(_type_names(), key=len, reverse=True)
    return re.compile("(?P<name>" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in names) + r")\b")


_KEM_THEO = re.compile(r"\(\s*kem\s+theo\s+\S+\s+\S+\s*(?:\S+\s*)?$")


def appendix_self_id(text: str) -> str | None:
    """The id in "(Kèm theo Kế hoạch số …)" heading an appendix: the document's own id."""
    folded = fold_offsets(text)
    for m in find_identifiers(text):
        if _KEM_THEO.search(folded[max(0, m.start - 40):m.start]):
            return m.canonical
    return None


def _appendix_self_ids(doc: _Document, identifiers: list[IdMatch], context: Context) -> set[str]:
    if context.self_id:
        return set()
    return {m.canonical for m in identifiers if _KEM_THEO.search(doc.folded[max(0, m.start - 40):m.start])}


def _is_self(m: IdMatch, context: Context, own: set[str]) -> bool:
    if m.canonical in context.exclude or m.canonical in own:
        return True
    return bool(context.self_id) and _same_id(m.canonical, context.self_id)


@lru_cache(maxsize=4096)
def _same_id(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a).upper() == re.sub(r"\s", "", b).upper()


def _projects(doc: _Document, hits: list[re.Match[str]]) -> list[IdMatch]:
    """ "Đề án 06": a programme known by its number only (`hits`: the `_PROJECT_NUMBER` matches)."""
    out = []
    for hit in hits:
        m = _PROJECT.search(doc.folded, max(0, hit.start() - 10), hit.end())
        if m is None or m.end() != hit.end():
            continue
        raw = doc.text[m.start():m.end()]
        if not re.match(r"[^\W\d_]", raw):
            continue
        number = m.group("n")
        out.append(IdMatch(start=m.start(), end=m.end(), raw=raw, canonical=f"Đề án {number}",
                           number=number, symbol="", family="name", type_code="ĐA", issuer_code=None,
                           year=None, confidence=0.6))
    return out


# ---- dates and descriptions ----------------------------------------------------------------------


def _assign_dates(doc: _Document, mentions: list[Mention]) -> None:
    """The date printed right after an id ("ngày 17/10/2025", ", 19/6/2025", "ngay. 2911012025"),
    and the phrase that describes it (up to the next id or ";")."""
    for i, mention in enumerate(mentions):
        end = mention.match.end
        limit = mentions[i + 1].match.start if i + 1 < len(mentions) else len(doc.text)
        window = doc.text[end:min(limit, end + 70)]
        mention.date = _date_after(window)
        stop = doc.text.find(";", end, limit)
        phrase_end = min(limit, stop if stop >= 0 else limit, end + 220)
        mention.phrase = doc.text[end:phrase_end]
        mention.type_word = _type_word(doc, mention)


_PLAIN_DATE = re.compile(
    r"[\s,.(]{0,3}(?:ng\S{0,3}[\s.,:]{0,3})?(\d{1,2})[ \t]?/[ \t]?(\d{1,2})[ \t]?/[ \t]?(\d{4})(?!\d)", re.I)


def _date_after(window: str) -> str | None:
    """The date that follows an id: "ngày 17/10/2025" directly, other forms through `find_dates`."""
    m = _PLAIN_DATE.match(window)
    if m:
        date = make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.isoformat() if date else None
    for d in find_dates(window):
        if _DATE_LEAD.fullmatch(fold(window[:d.start]) or ""):
            return d.date.isoformat()
        return None
    return None


def _type_word(doc: _Document, mention: Mention) -> str | None:
    """The Vietnamese type printed before "số" ("Kế hoạch hành động số …")."""
    start = mention.match.start
    m = _type_word_re().search(doc.folded, max(0, start - 45), start)
    if not m:
        return None
    name = _type_names()[re.sub(r"\s+", " ", m.group("name"))]
    qualifier = m.group("qualifier")
    if qualifier:
        name += " " + _QUALIFIERS[re.sub(r"\s+", " ", qualifier)]
    return name


_QUALIFIERS = {"hanh dong": "hành động", "ket luan": "kết luận", "lien tich": "liên tịch"}


@cache
def _type_names() -> dict[str, str]:
    names = {e.name for e in codes.types().entries.values()} | {"Luật", "Văn bản", "Quy định"}
    return {fold(n): n for n in names}


@cache
def _type_word_re() -> re.Pattern[str]:
    names = sorted(_type_names(), key=len, reverse=True)
    alternation = "|".join(r"\s+".join(map(re.escape, n.split())) for n in names)
    qualifier = r"(?:\s+(?P<qualifier>hanh\s+dong|ket\s+luan|lien\s+tich))?"
    return re.compile(rf"(?<![a-z])(?P<name>{alternation}){qualifier}\s*(?:so|s\S{{0,2}})?[\s:.]*$")


# ---- second-order: a mention inside another reference's description ---------------------------


def _assign_heads(doc: _Document, mentions: list[Mention]) -> None:
    """Mark each mention named inside the description of the mention before it (same clause, no
    new list item, a connecting word such as "về", "thực hiện", "ban hành") with that head."""
    for i in range(1, len(mentions)):
        prev, cur = mentions[i - 1], mentions[i]
        if prev.footnote != cur.footnote or prev.match.canonical == cur.match.canonical:
            continue
        gap = doc.folded[prev.match.end:cur.match.start]
        if len(gap) > _DESCRIPTION or ";" in gap or _crosses_boundary(doc, prev.match.end, cur.match.start):
            continue
        if _LIST_SEPARATOR.search(gap) or not _CONNECTOR.search(gap):
            continue
        if "(" in gap and re.search(r"viet\s+tat|goi\s+tat", gap):
            continue
        cur.head = i - 1
        cur.link_relation = _link_relation(gap)


def _crosses_boundary(doc: _Document, start: int, end: int) -> bool:
    i = bisect.bisect_right(doc.boundaries, start)
    return i < len(doc.boundaries) and doc.boundaries[i] <= end


def _link_relation(gap: str) -> str:
    """How a reference relates to a document its description names: by the last cue of the
    description ("về thực hiện …" implements, "sửa đổi, bổ sung …" amends); a review conference
    "of the implementation of …" only cites it."""
    cue = None
    for m in _CUE_RE.finditer(gap):
        cue = _CUES[int(m.lastgroup[1:])][1]
    if cue == "implements" and _REVIEW.search(gap):
        return "cites"
    return cue if cue in ("implements", "amends") else "cites"


# ---- relations -----------------------------------------------------------------------------------


def _assign_relations(doc: _Document, mentions: list[Mention], context: Context) -> None:
    anchors = _footnote_anchors(doc)
    for i, mention in enumerate(mentions):
        if mention.footnote is not None:
            mention.anchor_line = anchors.get(mention.footnote)
        if mention.head is not None:
            mention.relation = "cites"
            continue
        mention.relation = _primary_relation(doc, mentions, i, context)
    _issuers_of_the_title_object(doc, mentions)


_OBJECT_WORDS = 6


def _issuers_of_the_title_object(doc: _Document, mentions: list[Mention]) -> None:
    """A title that carries out an unnumbered document ("Triển khai thực hiện Chương trình hành động
    của Chính phủ …") relates the same way to the reference that issued it ("Nghị quyết số 03/NQ-CP
    … ban hành Chương trình hành động của Chính phủ …")."""
    found = _title_object(doc)
    if found is None:
        return
    relation, wanted = found
    for mention in mentions:
        issued = re.search(r"\bban\s+hanh\s+(.*)", fold(mention.phrase[:200]))
        if not issued:
            continue
        words = " ".join(issued.group(1).split()[:_OBJECT_WORDS])
        if fuzz.ratio(words, wanted) >= 85 and STRENGTH[relation] > STRENGTH[mention.relation]:
            mention.relation = relation


def _title_object(doc: _Document) -> tuple[str, str] | None:
    """(relation, first words of the object) of a title whose cue governs an unnumbered document."""
    if doc.title is None:
        return None
    title = fold(doc.text[doc.title[0]:doc.title[1]])
    cue = _CUE_RE.search(title)
    if cue is None:
        return None
    words = title[cue.end():].split()[:_OBJECT_WORDS]
    obj = " ".join(words)
    numbered = re.search(r"\d|\bs\S{0,2}$|\bso\b", obj)
    is_document = any(fuzz.ratio(obj[:len(name)], name) >= 80 for name in _type_names())
    if len(words) < 3 or numbered or not is_document:
        return None
    return _CUES[int(cue.lastgroup[1:])][1], obj


def _primary_relation(doc: _Document, mentions: list[Mention], i: int, context: Context) -> str:
    mention = mentions[i]
    start = mention.match.start
    cue = _governing_cue(doc, mentions, i)
    if cue is not None and cue[2] == "implements":
        if _REVIEW.search(doc.folded[max(0, cue[0] - 100):cue[0]]) or \
                _REPORTING.search(doc.folded[max(0, cue[0] - 30):cue[0]]):
            return "cites"
        before = doc.folded[max(0, start - 40):start]
        if (mention.match.type_code in _NORM_TYPES and _THEO_BEFORE.search(before)) or \
                _RULE_BEFORE.search(before):
            return "cites"
    if cue is not None:
        return cue[2]
    if _in_title(doc, start) and context.is_plan:
        return "implements"
    if not context.is_plan:
        return "cites"
    type_code = mention.match.type_code or ("CV" if mention.match.family == "letter" else None)
    if mention.footnote is not None and type_code in _FOOTNOTE_DIRECTIVE_TYPES:
        return "implements"
    if type_code in _DIRECTIVE_TYPES and doc.task_zone is not None and start >= doc.task_zone:
        return "implements"
    return "cites"


def _governing_cue(doc: _Document, mentions: list[Mention], i: int) -> tuple[int, int, str] | None:
    """The nearest clause-level cue before mention i in its clause (descriptions of earlier
    mentions are skipped: "Căn cứ A về thực hiện X; B" — B is governed by "Căn cứ")."""
    mention = mentions[i]
    start = mention.match.start
    floor = max(doc.boundary_before(start), start - _SCOPE)
    if mention.footnote is not None:
        floor = max(floor, doc.offsets[doc.footnotes[mention.footnote][0] - 1])
    k = bisect.bisect_left(doc.cue_starts, start) - 1
    while k >= 0 and doc.cues[k][0] >= floor:
        cue = doc.cues[k]
        if cue[1] <= start and not _inside_description(doc, mentions, i, cue[0]):
            return cue
        k -= 1
    return _list_head_cue(doc, mention) if mention.footnote is None else None


_BULLET_LINE = re.compile(r"^[ \t]*(?:[-+•*–]|[a-zđ]\)|\d{1,2}[.)])[ \t]")
_SECTION_HEADING = re.compile(r"^[ \t]*[IVXL]{1,4}[.)\s]")


def _continues_list(line: str) -> bool:
    """A line above a bulleted item that still belongs to the list (an item or its wrapped text),
    not its head (ends with ":") nor a section heading or a blank line."""
    stripped = line.strip()
    if not stripped or stripped.endswith(":") or _SECTION_HEADING.match(line):
        return False
    letters = [c for c in stripped if c.isalpha()]
    return not (letters and all(c.isupper() for c in letters))
_LIST_RUN = 30  # lines a bulleted list runs at most under its head


def _list_head_cue(doc: _Document, mention: Mention) -> tuple[int, int, str] | None:
    """ "Căn cứ các văn bản sau:" / "- Nghị quyết số …;" / "- Kế hoạch số …;": a cue that ends its line
    with a colon governs the bulleted items under it."""
    n = mention.line - 1
    if not _BULLET_LINE.match(doc.lines[n]):
        return None
    first = n
    while first > 0 and n - first < _LIST_RUN and _continues_list(doc.lines[first - 1]):
        first -= 1
    if first == 0 or not doc.lines[first - 1].rstrip().endswith(":"):
        return None
    head = fold(doc.lines[first - 1])
    cues = list(_CUE_RE.finditer(head))
    if not cues:
        return None
    last = cues[-1]
    start = doc.offsets[first - 1]
    return start + last.start(), start + last.end(), _CUES[int(last.lastgroup[1:])][1]


def _inside_description(doc: _Document, mentions: list[Mention], i: int, offset: int) -> bool:
    """True when `offset` falls in the description of an earlier mention of the same clause."""
    for j in range(i - 1, -1, -1):
        earlier = mentions[j].match
        if earlier.end > offset:
            continue
        gap = doc.folded[earlier.end:offset]
        if ";" in gap or len(gap) >= _DESCRIPTION or _BLANK_LINE.search(gap) or _LIST_SEPARATOR.search(gap):
            return False
        return not _crosses_boundary(doc, earlier.end, offset)
    return False


def _in_title(doc: _Document, offset: int) -> bool:
    return doc.title is not None and doc.title[0] <= offset < doc.title[1]


# ---- document layout -----------------------------------------------------------------------------


_TYPE_HEADINGS = re.compile(
    r"^\s*(?:ke hoach|to trinh|nghi quyet|quyet dinh|thong bao(?: ket luan)?|chuong trinh(?: hanh dong)?|"
    r"quy che|quy dinh|de cuong|cong van|chi thi|ket luan|de an|huong dan)\W{0,4}$")


def _title_span(doc: _Document) -> tuple[int, int] | None:
    """The title block: up to six lines after the type heading ("KẾ HOẠCH"), ending at a blank
    line or at the first preamble cue ("Căn cứ", "Thực hiện")."""
    for n, line in enumerate(doc.lines[:40]):
        if not _TYPE_HEADINGS.match(fold(line)):
            continue
        first = n + 1
        while first < len(doc.lines) and not doc.lines[first].strip():
            first += 1
        last = first + 1
        while last < min(len(doc.lines), first + 6) and doc.lines[last].strip() and \
                not _CUE_RE.match(fold(doc.lines[last])[:14]):
            last += 1
        return doc.offsets[min(first, len(doc.lines))], doc.offsets[min(last, len(doc.lines))]
    return None


def _task_zone_start(doc: _Document) -> int | None:
    m = _TASK_HEADING.search(doc.text)  # upper case: a heading, NHIỆM VỤ …, PHỤ LỤC
    return m.start() if m else None


def _footnote_blocks(doc: _Document) -> list[tuple[int, int, int]]:
    """(first line, last line, number) of each footnote: a line opened by a small number that
    names a document, either without a dot after the number ("1 Kế hoạch số …") or set wider than
    the body (footnotes use a smaller font); wide lines that follow continue it."""
    openings = [0] if _FOOTNOTE_START.match(doc.lines[0]) else []
    openings += [doc.line_of(m.start() + 1) - 1 for m in _FOOTNOTE_AFTER_BREAK.finditer(doc.text)]
    lengths = [n for n in map(len, doc.lines) if n > 20]
    if not openings or not lengths:
        return []
    wide = statistics.median(lengths) * 1.12
    blocks = []
    after_block = 0  # lines of a block are not read again as openings
    for n in openings:
        line = doc.lines[n]
        m = _FOOTNOTE_START.match(line)
        if n < after_block or not m:
            continue
        if "|" not in line and (len(line) > wide or "." not in m.group(0)) and \
                _has_identifier(doc, n) and \
                not (m.group("n") and _in_numbered_list(doc.lines, n)):
            last = n
            while last + 1 < len(doc.lines) and len(doc.lines[last + 1]) > wide and \
                    not _FOOTNOTE_START.match(doc.lines[last + 1]):
                last += 1
            blocks.append((n + 1, last + 1, _footnote_number(m)))
            after_block = last + 1
    return blocks


def _project_numbers(text: str) -> list[re.Match]:
    """`_PROJECT_NUMBER` matches in either case, in order (two matches never overlap: each opens
    with its letter and holds only blanks and digits after it)."""
    hits = list(_PROJECT_NUMBER.finditer(text))
    if "N" in text:
        hits += _PROJECT_NUMBER_UPPER.finditer(text)
        hits.sort(key=re.Match.start)
    return hits


def _windows(starts: list[int], reach: int, size: int) -> list[tuple[int, int]]:
    """Merged [start - reach, start + 500) stretches around the given offsets: all the text a
    mention's cue, description, date and alias can occupy."""
    merged: list[list[int]] = []
    for start in starts:
        begin, end = max(0, start - reach), min(size, start + 500)
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    return [(b, e) for b, e in merged]


def _free_line_break(text: str, offset: int) -> int:
    """A line break at or before `offset` where a scan for `_BOUNDARY` from the start of the text
    stands between matches (0 when there is none): a match holds a line break only as its first
    character, or as its last after "." or ":", so a break after another character is one. A scan
    from there finds the same boundaries as one from the start."""
    at = text.rfind("\n", 0, offset + 1)
    while at > 0:
        before = at - 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        if before < 0 or text[before] not in ".:":
            return at
        at = text.rfind("\n", 0, at)
    return 0


def _fold_windows(text: str, windows: list[tuple[int, int]]) -> str:
    """The folded twin of `text` inside the windows, blanks elsewhere (same length throughout)."""
    parts = []
    done = 0
    for begin, end in windows:
        parts.append(" " * (begin - done))
        parts.append(fold_offsets(text[begin:end]))
        done = end
    parts.append(" " * (len(text) - done))
    return "".join(parts)


def _has_identifier(doc: _Document, n: int) -> bool:
    i = bisect.bisect_left(doc.id_starts, doc.offsets[n])
    return i < len(doc.id_starts) and doc.id_starts[i] < doc.offsets[n + 1]


def _footnote_number(m: re.Match) -> int:
    if m.group("sup"):
        return "¹²³⁴⁵⁶⁷⁸⁹".index(m.group("sup")) + 1
    return int(m.group("n") or m.group("br"))


def _in_numbered_list(lines: list[str], n: int) -> bool:
    """ "1. …", "2. …" on consecutive lines: a list in the body, not footnotes."""
    def number(i: int) -> int | None:
        m = _FOOTNOTE_START.match(lines[i]) if 0 <= i < len(lines) else None
        return int(m.group("n")) if m and m.group("n") else None

    here = number(n)
    if here is None:
        return False
    if number(n + 1) == here + 1 or number(n - 1) == here - 1:
        return True
    # the previous item wrapped onto short lines: "1. Triển khai … Truyền" / "thông." / "2. …"
    for i in range(n - 1, max(-1, n - _ITEM_WRAP - 1), -1):
        if not lines[i].strip() or number(i) is not None:
            return number(i) == here - 1 and "." in lines[i][:3] and "." in lines[n][:3]
    return False


_ITEM_WRAP = 4  # lines a numbered body item wraps over at most


def _footnote_anchors(doc: _Document) -> dict[int, int]:
    """Footnote block index → line of its marker in the body: the k-th marker of the page (the
    text since the previous footnote block) for the k-th footnote of the page."""
    anchors = {}
    page_start = 0
    k = 0
    previous_end = 0
    all_markers = [m.start() for m in _MARKER.finditer(doc.text)
                   if m.start() and doc.text[m.start() - 1].isalpha()] if doc.footnotes else []
    for index, (first, last, _n) in enumerate(doc.footnotes):
        start = doc.offsets[first - 1]
        if _body_lines(doc, previous_end, first - 1) > 3:  # a new page of body text
            page_start = doc.offsets[previous_end] if previous_end else 0
            k = 0
        first_marker = bisect.bisect_left(all_markers, page_start)
        markers = all_markers[first_marker:bisect.bisect_left(all_markers, start)]
        if k < len(markers):
            anchors[index] = doc.line_of(markers[k])
        else:
            anchors[index] = _first_item_line(doc, page_start, start)
        k += 1
        previous_end = last
    return anchors


def _body_lines(doc: _Document, start: int, end: int) -> int:
    return sum(1 for line in doc.lines[start:end] if line.strip())


def _first_item_line(doc: _Document, start: int, end: int) -> int | None:
    m = re.compile(r"^\d{1,2}\.\s", re.M).search(doc.text, start, end)
    return doc.line_of(m.start()) if m else None


# ---- merging mentions into references -------------------------------------------------------------


def _merge(mentions: list[Mention], context: Context) -> list[dict]:
    groups = [part for group in _group(mentions) for part in _split_by_place(group, context)]
    references = []
    for group in groups:
        references.append(_reference(group, context))
    return references


def _group(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions of one document: same canonical id (or the same number and type with a compatible
    issuer on the same date); two dated groups with different dates stay apart."""
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[_identity_key(m.match)].append(m)
    groups = []
    for same in by_key.values():
        groups.extend(_split_by_date(same))
    return _merge_compatible(groups)


def _split_by_place(group: list[Mention], context: Context) -> list[list[Mention]]:
    """ "01-KH/BCĐ của Ban Chỉ đạo tỉnh Quảng Ngãi" and "01-KH/BCĐ của Ban Chỉ đạo tỉnh Khánh Hòa"
    are two documents: mentions that name different places stay apart (an unnamed mention joins
    the named one before it)."""
    if codes.is_national(group[0].match.issuer_code) or group[0].match.family == "name":
        return [group]
    places = []
    for m in group:
        found = _named_level_of(m, context)
        places.append(found[1] if found and found[2] == 1.0 else None)
    if len({p for p in places if p}) < 2:
        return [group]
    parts: dict[str, list[Mention]] = {}
    current = next(p for p in places if p)
    for m, place in zip(group, places, strict=True):
        current = place or current
        parts.setdefault(current, []).append(m)
    return list(parts.values())


def _identity_key(m: IdMatch) -> str:
    return m.canonical.upper()


def _split_by_date(mentions: list[Mention]) -> list[list[Mention]]:
    dates = sorted({m.date for m in mentions if m.date})
    if len(dates) <= 1:
        return [mentions]
    groups: dict[str, list[Mention]] = {d: [] for d in dates}
    last_date = dates[0]
    for m in mentions:
        if m.date:
            last_date = m.date
        groups[m.date or last_date].append(m)
    return [g for g in groups.values() if g]


def _merge_compatible(groups: list[list[Mention]]) -> list[list[Mention]]:
    """06-TB/BCĐTW and 06-TB/CQTTBCĐ of the same date: one notice printed with two symbols."""
    merged: list[list[Mention]] = []
    for group in groups:
        target = next((g for g in merged if _compatible(g, group)), None)
        if target is None:
            merged.append(list(group))
        else:
            target.extend(group)
    for group in merged:
        group.sort(key=lambda m: m.match.start)
    return merged


def _compatible(a: list[Mention], b: list[Mention]) -> bool:
    ma, mb = a[0].match, b[0].match
    if ma.canonical == mb.canonical or ma.number != mb.number or ma.type_code != mb.type_code:
        return False
    if ma.family == "name" or mb.family == "name":
        return False
    da, db = {m.date for m in a if m.date}, {m.date for m in b if m.date}
    if not da or da != db:
        return False
    ea, eb = codes.issuer_entry(ma.issuer_code), codes.issuer_entry(mb.issuer_code)
    return bool(ea and eb and ea.level == eb.level == "national")


def _reference(group: list[Mention], context: Context) -> dict:
    best = _preferred(group)
    match = best.match
    relation = max((m.relation for m in group), key=lambda r: STRENGTH[r])
    level, jurisdiction, jur_confidence = _jurisdiction(group, context)
    date = next((m.date for m in group if m.date), None)
    type_word = next((m.type_word for m in group if m.type_word), None)
    confidence = min(m.match.confidence for m in group) * jur_confidence
    reference = {
        "id": match.canonical,
        "type": _type_name(match, type_word),
        "issuer": _issuer_name(match, group, jurisdiction, level),
        "jurisdiction": jurisdiction,
        "level": level,
        "date": date,
        "relation": relation,
        "mentions": [{"line": m.line, "raw": m.match.raw} for m in group],
        "confidence": round(max(0.3, confidence), 2),
    }
    alt = sorted({m.match.canonical for m in group} - {match.canonical})
    if alt:
        reference["alt_ids"] = alt
    anchors = sorted({m.anchor_line for m in group if m.anchor_line})
    if anchors:
        reference["anchors"] = anchors
    aliases = sorted({a for m in group for a in m.aliases})
    if aliases:
        reference["aliases"] = aliases
    footnote_lines = sorted({m.line for m in group if m.footnote is not None})
    if footnote_lines:
        reference["footnote_lines"] = footnote_lines
    return reference


def _preferred(group: list[Mention]) -> Mention:
    """The mention whose spelling names the document: the most frequent, then one in the body
    rather than a footnote, then the most specific issuer code, then the most confident."""
    counts: dict[str, int] = defaultdict(int)
    for m in group:
        counts[m.match.canonical] += 1
    return max(group, key=lambda m: (counts[m.match.canonical], m.footnote is None,
                                     len(m.match.issuer_code or ""), m.match.confidence))


def _type_name(match: IdMatch, type_word: str | None) -> str:
    if match.family == "name":
        return "Đề án"
    code_name = codes.type_name(match.type_code)
    if type_word and (code_name is None or fold(type_word).startswith(fold(code_name)[:6]) or
                      match.type_code == "QĐ"):
        return type_word
    if code_name:
        return code_name
    if match.issuer_code in ("QH", "UBTVQH"):
        return type_word or "Luật" if match.issuer_code == "QH" else "Nghị quyết"
    return type_word or "Công văn"


# ---- jurisdiction ----------------------------------------------------------------------------------


def _jurisdiction(group: list[Mention], context: Context) -> tuple[str, str, float]:
    """(level, jurisdiction, confidence factor) of a referenced document."""
    match = group[0].match
    if match.family == "name" or codes.is_national(match.issuer_code):
        return "national", "national", 1.0
    for m in group:
        found = _named_level_of(m, context)
        if found:
            return found
    return _default_level(match, context)


def _named_level_of(mention: Mention, context: Context) -> tuple[str, str, float] | None:
    """`_named_level` of a mention's phrase, read once per mention."""
    if mention.named is _UNREAD:
        mention.named = _named_level(mention.phrase, mention.match, context)
    return mention.named


def _named_level(phrase: str, match: IdMatch, context: Context) -> tuple[str, str, float] | None:
    """The issuer phrase "của Ủy ban nhân dân tỉnh Quảng Ngãi", "của UBND huyện Sơn Tịnh",
    "của Ban Thường vụ Thành ủy" read for its level and, when named, its place."""
    issuer = _issuer_phrase(phrase)
    if not issuer:
        return None
    folded = fold(issuer)
    level = None
    for pattern, name in _LEVEL_WORDS:
        m = pattern.search(folded)
        if m and (level is None or m.start() < level[1]):
            level = (name, m.start())
    if level is None:
        return None
    if level[0] == "city":
        level = ("district" if context.level == "district" else "province", level[1])
    named = _named_place(issuer, level[0], context)
    if named:
        return level[0], named, 1.0
    own = _own_unit(level[0], context)
    return (level[0], own, 0.8) if own else None


def _issuer_phrase(phrase: str) -> str:
    """ "ngày 17/10/2025 của Ban Chỉ đạo tỉnh về …" → "Ban Chỉ đạo tỉnh về …"."""
    m = _ISSUER_PHRASE.search(phrase[:90])
    if m:
        return phrase[m.start(1):m.start(1) + 160]
    m = re.search(r"\b(?:UBND|Ủy ban|Uy ban|Tỉnh ủy|Tinh uy|Ban )", phrase[:60])
    return phrase[m.start():] if m else ""


def _named_place(issuer: str, level: str, context: Context) -> str | None:
    from ingest import places

    text = _TINH_UY.sub("tỉnh", issuer[:140])
    # a province is read the same from its own and city words alone (a full reading narrows
    # only the units below a province): the many unseen commune names are then not looked up
    levels = ("province", "city") if level == "province" else None
    found = places.find_places(text, context.province, levels)
    for _start, _end, place in found:
        if place.level == level:
            return place.name
    return None


def _own_unit(level: str, context: Context) -> str | None:
    if level == "province":
        return context.province
    if level == "district":
        return context.district or (context.jurisdiction if context.level == "district" else None)
    if level == "commune":
        return context.commune or (context.jurisdiction if context.level == "commune" else None)
    return None


def _default_level(match: IdMatch, context: Context) -> tuple[str, str | None, float]:
    """No place word near the id: the issuer code's level (a bare local body — UBND, BCĐ, Tỉnh ủy,
    a Sở — is taken as provincial), resolved to the document's own unit; None when the document
    does not say where it is."""
    entry = codes.issuer_entry(match.issuer_code)
    level = entry.level if entry else None
    if level in (None, "context"):
        level = "province"
    return level, _own_unit(level, context), 0.7


def _issuer_name(match: IdMatch, group: list[Mention], jurisdiction: str | None, level: str) -> str:
    """The issuing body for display: as a clean text prints it after "của" ("Bộ Chính trị"), else
    the vocabulary name of the issuer code with the place."""
    if match.family == "name":
        return "Thủ tướng Chính phủ"
    for mention in group:
        printed = _printed_issuer(mention.phrase)
        if printed and jurisdiction not in ("national", None) and \
                fold(printed).split()[-1] in ("tinh", "xa", "huyen", "phuong", "uy", "pho"):
            return f"{printed} {jurisdiction}"  # "Ủy ban nhân dân tỉnh" → "… tỉnh Bình Định"
        if printed:
            return printed
    entry = codes.issuer_entry(match.issuer_code)
    name = entry.name if entry else (match.issuer_code or "")
    if jurisdiction in ("national", None) or not name:
        return name
    unit = {"province": "tỉnh", "district": "huyện", "commune": "xã"}.get(level, "")
    if name in ("Tỉnh ủy", "Huyện ủy"):
        return f"{name} {jurisdiction}"
    return f"{name} {unit} {jurisdiction}".replace("  ", " ")


_ISSUER_END = re.compile(r"\s+(?:về|ve|ban hành|thực hiện|triển khai|tại|trên|phê duyệt|sửa đổi|quy định|"
                         r"hướng dẫn|ngày|đã|thông báo|kết luận)\b|[,;:.()“\"\n]", re.IGNORECASE)
_BODY_START = re.compile(r"(?:Ban|Bộ|Ủy ban|UBND|Sở|Phòng|Tỉnh ủy|Thành ủy|Huyện ủy|Đảng ủy|Chính phủ|"
                         r"Thủ tướng|Quốc hội|Hội đồng|Văn phòng|Cơ quan|Tổ|Chủ tịch|Trưởng|Giám đốc|"
                         r"Thường trực)\b")
_OCR_JUNK = re.compile(r"[&¢€§@$?\d]")


def _printed_issuer(phrase: str) -> str | None:
    """ "ngày 22/12/2024 của Bộ Chính trị về …" → "Bộ Chính trị", when the text is clean."""
    m = re.search(r"\bcủa\s+", phrase[:90])
    if not m:
        return None
    rest = phrase[m.end():m.end() + 160]
    end = _ISSUER_END.search(rest)
    name = " ".join(rest[:end.start() if end else len(rest)].split())
    if not _BODY_START.match(name) or _OCR_JUNK.search(name) or len(name) < 4:
        return None
    return re.sub(r"\bUBND\b", "Ủy ban nhân dân", name)


# ---- second-order links ------------------------------------------------------------------------------


def _links(mentions: list[Mention], references: list[dict]) -> list[dict]:
    """Second-order edges {from, to, relation, mentions} from the heads of descriptions; an id that
    names two documents here (two 50/NQ-CP of different dates) carries `from_date` / `to_date`."""
    id_of = {}
    for ref in references:
        for mention in ref["mentions"]:
            id_of[(mention["line"], mention["raw"])] = ref["id"]
    counts = Counter(r["id"] for r in references)
    ambiguous = {i for i, n in counts.items() if n > 1}
    links: dict[tuple, dict] = {}
    for m in mentions:
        if m.head is None or m.link_relation is None:
            continue
        head = mentions[m.head]
        source = id_of.get((head.line, head.match.raw))
        target = id_of.get((m.line, m.match.raw))
        if not source or not target or source == target or m.match.family == "name":
            continue
        dates = {}
        if source in ambiguous and head.date:
            dates["from_date"] = head.date
        if target in ambiguous and m.date:
            dates["to_date"] = m.date
        key = (source, target, *sorted(dates.items()))
        link = links.setdefault(key, {"from": source, "to": target, "relation": m.link_relation,
                                      "mentions": [], **dates})
        if STRENGTH[m.link_relation] > STRENGTH[link["relation"]]:
            link["relation"] = m.link_relation
        link["mentions"].append({"line": m.line, "raw": m.match.raw})
    return list(links.values())
