"""Tasks (nhiệm vụ) of a plan, with their lead and supporting units and deadlines.

`extract_tasks(lines, context)` reads the numbered items of the task sections ("NHIỆM VỤ TRỌNG
TÂM", "NHIỆM VỤ CỤ THỂ", "CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"), their labelled lines ("Cơ quan chủ trì",
"Cơ quan phối hợp", "Thời gian thực hiện") and the rows of appendix tables (see
`ingest.task_tables`). "TỔ CHỨC THỰC HIỆN" sections are responsibilities, not tasks. Footnotes that
a page break drops into the middle of a task are skipped. Everything is matched on accent-folded
text, so OCR'd lines ("I1. NHIEM VU TRONG TAM", "Co quan chii tri") read like clean ones.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.deadlines import none_deadline, parse_deadline
from ingest.text import fold_keep_length
from ingest.units import few_capitals, fold, letter_counts, resolve_unit, resolve_units

VOCABULARY = Path(__file__).parent / "data" / "tasks.yaml"

BODY_CONFIDENCE = 0.9
UNLABELLED_CONFIDENCE = 0.75


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The compiled patterns of ingest/data/tasks.yaml."""
    with VOCABULARY.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    labels = {kind: re.compile(r"^(?:" + "|".join(pats) + r")") for kind, pats in data["labels"].items()}
    # one pass for all kinds: an ordered alternation tries the kinds in the order of the loop it replaces
    any_label = re.compile("^(?:" + "|".join(f"(?P<{kind}>{'|'.join(pats)})"
                                           for kind, pats in data["labels"].items()) + ")")
    inline = {kind: re.compile(r"[;.]\s{0,3}-?\s{0,3}(?:" + "|".join(pats) + r")[^:]{0,40}:")
              for kind, pats in data["labels"].items()}
    return {
        "task_sections": re.compile("|".join(data["task_sections"])),
        "excluded_sections": re.compile("|".join(data["excluded_sections"])),
        "excluded_items": re.compile(r"^(?:" + "|".join(data["excluded_items"]) + r")"),
        "labels": labels,
        "any_label": any_label,
        "inline_labels": inline,
        "appendix_heading": re.compile(data["appendix_heading"]),
        "table_header": [re.compile(p) for p in data["table_header"]],
        "any_table_header": re.compile("|".join(f"(?:{p})" for p in data["table_header"])),
        "object_words": re.compile(data.get("object_words") or "(?!)"),
    }


# ---------------------------------------------------------------------------------------------------
# the document as lines

@dataclass
class Doc:
    """Lines of one document with their folded forms and the footnote lines to skip."""

    lines: list[str]
    folded: list[str] = field(init=False)
    footnote: list[bool] = field(init=False)
    median: float = field(init=False)
    blanks: list[bool] = field(init=False)
    lowers: list[int] = field(init=False)  # lower-case ASCII letters of each line
    item_lines: set[int] = field(init=False)  # the lines that may open a numbered item
    _text_index: list[int] = field(init=False)  # the text lines (`text_lines`) of the whole document
    _joined: str | None = field(init=False)  # the lines joined, when no line holds a line break
    _folded_joined: str | None = field(init=False)  # `folded` joined, when `_joined` is
    _breaks: list[int] | None = field(init=False)  # where each line's break stands in "\n" + `_joined`
    _signatures: list[int] | None = field(init=False)  # the lines opening a signature block

    def __post_init__(self) -> None:
        # the whole text is scanned at once where it can be: one C-level pass, not one per line
        joined = "\n".join(self.lines)
        self._joined = joined if joined.count("\n") == len(self.lines) - 1 else None
        self._breaks = self._signatures = None
        # one folded character per original character, so offsets found in folded text are valid
        self._folded_joined = None if self._joined is None else _fold_line(self._joined)
        self.folded = _per_line(self, lambda _text: self._folded_joined.split("\n"), _fold_line)
        self.lowers = _per_line(self, _ascii_lowercase_counts, lambda one: sum(_ascii_lowercase_counts(one)))
        widths = [len(line.strip()) for line in self.lines]
        self.blanks = [not width for width in widths]
        lengths = [width for width in widths if width > 20]
        self.median = statistics.median(lengths) if lengths else 60.0
        self.footnote = _footnote_mask(self)
        self.item_lines = set(_lines_starting(self, _ITEM_STARTS, _ITEM_OR_LOST))
        pairs = zip(self.blanks, self.footnote, strict=True)
        self._text_index = [i for i, (blank, note) in enumerate(pairs) if not (blank or note)]

    def breaks(self) -> list[int]:
        """Where the break before each line stands in "\\n" + the joined lines (`_lines_starting`)."""
        if self._breaks is None:
            # the lengths of the lines before line k, plus one break each (C-level iterators only)
            lengths = itertools.accumulate(map(len, self.lines[:-1]), initial=0)
            self._breaks = list(map(operator.add, lengths, itertools.count()))
        return self._breaks

    def signatures(self) -> list[int]:
        """The lines opening a signature block ('Nơi nhận'), in order: one scan per document."""
        if self._signatures is None:
            self._signatures = _lines_starting(self, _SIGNATURES, _SIGNATURE, folded=True)
        return self._signatures

    def blank(self, i: int) -> bool:
        return self.blanks[i]

    def few_capitals(self, i: int, share: float) -> bool:
        """`ingest.units.few_capitals` of line i, from the counts made for the whole document."""
        return self.lowers[i] > (1.05 - share) * len(self.lines[i])

    def text_lines(self, start: int, end: int) -> list[int]:
        """Indexes of non-empty, non-footnote lines in [start, end)."""
        index = self._text_index
        return index[bisect.bisect_left(index, start):bisect.bisect_left(index, max(start, end))]


def _char_fold(code: int) -> str:
    folded = fold_keep_length(chr(code))
    return folded if len(folded) == 1 else chr(code)


# Latin, Vietnamese and the common symbols are tabled up front; rarer characters join on first sight.
_FOLDED_CHARS: dict[int, str] = {c: _char_fold(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF}
_UNTABLED = re.compile("[^\u0000-\u2fff]")


def _fold_line(line: str) -> str:
    """`fold_keep_length` through a per-character table: one lookup per character."""
    if _UNTABLED.search(line):
        for ch in set(line):
            if ord(ch) not in _FOLDED_CHARS:
                _FOLDED_CHARS[ord(ch)] = _char_fold(ord(ch))
    return line.translate(_FOLDED_CHARS)


def _per_line(doc: Doc, whole: Callable[[str], list], each: Callable[[str], object]) -> list:
    """`each` of every line, computed by `whole` in one pass over the joined lines."""
    if doc._joined is None:
        return [each(line) for line in doc.lines]
    return whole(doc._joined)


def _lines_starting(doc: Doc, pattern: re.Pattern, per_line: re.Pattern, folded: bool = False) -> list[int]:
    """The lines that `per_line` matches, found by one scan of the joined lines with `pattern`:
    the same regex after a line break ('\\n…', found by a fast scan for that character), its
    classes leaving out the line break. `folded`: the folded lines are scanned."""
    if doc._joined is None:
        lines = doc.folded if folded else doc.lines
        return [i for i, line in enumerate(lines) if per_line.match(line)]
    breaks = doc.breaks()
    # in "\n" + joined, the break before line k stands at breaks[k]
    joined = doc._folded_joined if folded else doc._joined
    return [bisect.bisect_left(breaks, m.start()) for m in pattern.finditer("\n" + joined)]


_NOT_ASCII_LOWER = bytes(b for b in range(256) if not ord("a") <= b <= ord("z") and b != ord("\n"))


def _ascii_lowercase_counts(text: str) -> list[int]:
    """Lower-case ASCII letters of each line of `text`."""
    return [len(part) for part in text.encode().translate(None, _NOT_ASCII_LOWER).split(b"\n")]


_FOOTNOTE_START = re.compile(r"^\s?\d{1,2}\s?\.?\s+\S")
_MID_SENTENCE = re.compile(r"[\w,]$")
_HAS_DATE_OR_ID = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d+\s?-\s?\w{2,4}/|\d+/\w{2,4}-")


# `_FOOTNOTE_START` and the numbered item lines (`_ITEM`, `_LOST_NUMBER`) after every line break
_FOOTNOTE_STARTS = re.compile(r"\n[^\S\n]?\d{1,2}[^\S\n]?\.?[^\S\n]+\S")
_ITEM_STARTS = re.compile(r"\n[^\S\n]{0,4}(?:\d{1,2}[^\S\n]?[.)]|[/|][^\S\n]?\.)[^\S\n]+\S")
_ITEM_OR_LOST = re.compile(r"^\s{0,4}(?:\d{1,2}\s?[.)]|[/|]\s?\.)\s+\S")


def _has_date_or_id(line: str) -> bool:
    return "/" in line and bool(_HAS_DATE_OR_ID.search(line))  # each form has a slash


def _footnote_mask(doc: Doc) -> list[bool]:
    """Footnote blocks: a numbered, long, reference-laden paragraph that interrupts a sentence."""
    mask = [False] * len(doc.lines)
    for i in _lines_starting(doc, _FOOTNOTE_STARTS, _FOOTNOTE_START):
        line = doc.lines[i]
        if mask[i] or len(line.strip()) < 1.1 * doc.median or not _has_date_or_id(line):
            continue
        if not _interrupts(doc, i):
            continue
        j = i
        while j < len(doc.lines) and not doc.blank(j):
            mask[j] = True
            nxt = j + 1
            if _short_body_line(doc, nxt, len(line.strip())):
                break  # the body text resumes right after a one-line footnote
            j = nxt
    return mask


def _short_body_line(doc: Doc, i: int, width: int) -> bool:
    """Line i is shorter than the footnote and followed by more text (not a paragraph's last line)."""
    if i + 1 >= len(doc.lines) or doc.blank(i) or doc.blank(i + 1):
        return False
    return len(doc.lines[i].strip()) < 0.8 * width


def _interrupts(doc: Doc, i: int) -> bool:
    """True when the text before line i stops mid-sentence (a page break, then the footnote)."""
    j = i - 1
    while j >= 0 and doc.blank(j):
        j -= 1
    if j < 0 or i - j < 2:
        return False
    prev = doc.lines[j].rstrip()
    if not _MID_SENTENCE.search(prev):
        return False
    if few_capitals(prev, 0.7):
        return True
    letters, capitals = letter_counts(prev)
    return not capitals > 0.7 * max(1, letters)


# ---------------------------------------------------------------------------------------------------
# sections

_HEADING = re.compile(r"^\W{0,3}(?:phan\s+)?([ivxl1|]{1,5})\s?[.)|:-]?\s+(\S.{2,})$")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_NUMERALS = {v: k.upper() for k, v in _ROMAN.items()}
_SIGNATURE = re.compile(r"^\W{0,3}n\w{1,2}i\s+nh\w{1,2}n\b")
_SIGNATURES = re.compile(r"\n[^\w\n]{0,3}n\w{1,2}i[^\S\n]+nh\w{1,2}n\b")  # `_SIGNATURE` after each line break


@dataclass
class Section:
    numeral: str
    title: str
    start: int  # index of the heading line
    end: int  # exclusive


def roman(value: int) -> str:
    return _NUMERALS.get(value, str(value))


def _capitalised(text: str) -> bool:
    """An upper-case line (its few-capitals test, `Doc.few_capitals`, passed first)."""
    letters, capitals = letter_counts(text)
    return letters >= 4 and capitals >= 0.7 * letters


def find_sections(doc: Doc, stop: int) -> list[Section]:
    """Major sections (upper-case headings with a Roman numeral) before line `stop`."""
    heads: list[tuple[int, int, str]] = []
    last = 0
    factor = 1.05 - 0.7  # `Doc.few_capitals(i, 0.7)` of every line at once
    lowers, lines = doc.lowers, doc.lines
    blanks = doc.blanks
    for i in [i for i in range(stop) if not (lowers[i] > factor * len(lines[i]) or blanks[i])]:
        if not _capitalised(lines[i]):
            continue
        m = _HEADING.match(doc.folded[i])
        if not m:
            title = _unnumbered_heading(doc.folded[i])
            if title:
                last += 1
                heads.append((i, last, title))
            continue
        token = re.sub(r"[1l|]", "i", m.group(1))
        value = _ROMAN.get(token)
        if value is None:
            continue
        if value <= last:
            value = last + 1
        last = value
        heads.append((i, value, m.group(2)))
    sections = []
    for k, (i, value, title) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else stop
        sections.append(Section(roman(value), title, i, _cut_signature(doc, i + 1, end)))
    return sections


_LETTER_FIRST = re.compile(r"^[^\W\d]")


def _unnumbered_heading(folded: str) -> str | None:
    """A capitalised heading without a numeral that opens or closes a task section
    ("NHIỆM VỤ VÀ GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN")."""
    title = folded.strip(" .:")
    if not _LETTER_FIRST.match(title) or len(title.split()) > 12:
        return None
    voc = vocabulary()
    if voc["excluded_sections"].match(title) or voc["task_sections"].match(title):
        return title
    return None


def _cut_signature(doc: Doc, start: int, end: int) -> int:
    signatures = doc.signatures()
    k = bisect.bisect_left(signatures, start)
    return signatures[k] if k < len(signatures) and signatures[k] < end else end


def is_task_section(section: Section) -> bool:
    voc = vocabulary()
    title = section.title
    return bool(voc["task_sections"].search(title)) and not voc["excluded_sections"].match(title)


# ---------------------------------------------------------------------------------------------------
# items of a task section

_ITEM = re.compile(r"^\s{0,4}(\d{1,2})\s?[.)]\s+(\S.*)$")
_LOST_NUMBER = re.compile(r"^\s{0,4}[/|]\s?\.\s+(\S.*)$")
_LETTERED = re.compile(r"^\W{0,3}(?:[a-hđ]\s?\)|\))\s*")
_BULLET = re.compile(r"^\s{0,4}[-–•+]\s+")
_LABEL_PREFIX = re.compile(r"^[\s\-–~+•*·.]*")
_HEAD_DEADLINE = re.compile(
    r"\b(?:truoc|den(?: het)?|trong)\s+(?:ngay\s+\d{1,2}\s?/\s?\d{1,2}\s?/\s?\d{4}"
    r"|thang\s+\d{1,2}\s?/\s?\d{4})|\b(?:truoc|trong)\s+nam\s+\d{4}"
    r"|\bquy\s?[iv1l\\]{1,4}\s?(?:/|nam|n\wm)\s?\d{4}|\b0?3\s+thang\s+cuoi\s+nam\s+\d{4}"
)
_SENTENCE_END = re.compile(r"[.:!?]\s*$")
_TERMINAL = re.compile(r"[.;:!?)\]”\"]\s*$")


def _item_start(line: str) -> tuple[int | None, str] | None:
    """(number or None when unreadable, text) of a numbered item line."""
    m = _ITEM.match(line)
    if m and _starts_sentence(m.group(2)):
        return int(m.group(1)), m.group(2)
    m = _LOST_NUMBER.match(line)
    if m and _starts_sentence(m.group(1)):
        return None, m.group(1)
    return None


def _starts_sentence(text: str) -> bool:
    first = text.lstrip("\"“[(")[:1]
    return first.isalpha() and first.isupper()


@lru_cache(maxsize=16384)
def label_of(folded_line: str) -> tuple[str, int] | None:
    """(kind, offset of the value) when a folded line is a labelled line."""
    prefix = _LABEL_PREFIX.match(folded_line).end()
    body = folded_line[prefix:]
    m = vocabulary()["any_label"].match(body)
    if not m:
        return None
    colon = body.find(":", 0, 80)
    offset = colon + 1 if colon >= 0 else m.end()
    return m.lastgroup, prefix + offset


def body_tasks(doc: Doc, section: Section, context: dict) -> list[dict]:
    starts: list[tuple[int, str, str]] = []  # (line index, number, text)
    expected = 1
    for i in doc.text_lines(section.start + 1, section.end):
        found = _item_start(doc.lines[i]) if i in doc.item_lines else None
        if not found:
            continue
        number, text = found
        if number is None or number in (expected, expected + 1):
            number = number or expected
            starts.append((i, str(number), text))
            expected = number + 1
    tasks: list[dict] = []
    for k, (i, number, _text) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else section.end
        tasks.extend(_item_tasks(doc, section, i, end, number, context))
    return tasks


@dataclass
class _Segment:
    start: int
    text_lines: list[int] = field(default_factory=list)
    values: dict[str, tuple[int, str]] = field(default_factory=dict)  # kind -> (line, raw value)
    end: int = 0


def _item_tasks(doc: Doc, section: Section, start: int, end: int, number: str, context: dict) -> list[dict]:
    heading = _heading_text(doc, start, end)
    if vocabulary()["excluded_items"].match(fold(_strip_number(heading))):
        return []
    segments = _segments(doc, start, end)
    labelled = [s for s in segments if s.values]
    if len(labelled) >= 2:
        return [_task(doc, section, _sub_number(doc, seg, number, k), seg, context, sub=True)
                for k, seg in enumerate(labelled)]
    if not labelled:
        bullets = _dated_bullets(doc, start, end, number, section, context)
        if bullets:
            return bullets
    seg = labelled[0] if labelled else segments[0]
    seg.start = start
    first_label = _first_label(seg, end)
    seg.text_lines = [i for i in doc.text_lines(start, end) if i < first_label]
    seg.end = max([seg.end, *seg.text_lines])
    return [_task(doc, section, number, seg, context)]


_DOTTED = re.compile(r"^\s{0,4}(\d{1,2}\.\d{1,2})\.?\s")


def _sub_number(doc: Doc, seg: _Segment, number: str, k: int) -> str:
    """'1.2' when the sub-task prints a dotted number, else '1.a', '1.b' … by order."""
    for i in seg.text_lines[:3]:
        m = _DOTTED.match(doc.lines[i])
        if m and m.group(1).split(".")[0] == number:
            return m.group(1)
    return f"{number}.{'abcdefghijklmnopqrstuvwxyz'[k % 26]}"


def _first_label(seg: _Segment, default: int) -> int:
    return min((line for line, _ in seg.values.values()), default=default)


def _segments(doc: Doc, start: int, end: int) -> list[_Segment]:
    """Cut an item into runs of text lines each closed by its labelled lines."""
    segments = [_Segment(start)]
    lines = doc.text_lines(start, end)
    k = 0
    while k < len(lines):
        i = lines[k]
        label = label_of(doc.folded[i])
        seg = segments[-1]
        if label is None:
            if seg.values:
                seg = _Segment(i)
                segments.append(seg)
            seg.text_lines.append(i)
            seg.end = i
            k += 1
            continue
        kind, offset = label
        value, last = _label_value(doc, lines, k, offset)
        for part_kind, part in _split_inline(kind, value):
            if part_kind not in seg.values:
                seg.values[part_kind] = (i, part)
        seg.end = lines[last]
        k = last + 1
    return segments


def _split_inline(kind: str, value: str) -> list[tuple[str, str]]:
    """'Sở Nội vụ; Cơ quan phối hợp: Sở Tài chính; Thời gian: Quý IV/2025' → one value per label."""
    if ":" not in value:  # every inline label ends with one
        return [(kind, value)]
    folded = _fold_line(value)
    patterns = vocabulary()["inline_labels"].items()
    # each pattern's first match is its leftmost one: the earliest of those is the earliest of all
    found = [(m.start(), m.end(), k) for k, p in patterns if (m := p.search(folded))]
    if not found:
        return [(kind, value)]
    start, end, next_kind = min(found)
    return [(kind, value[:start].strip(" ;.")), *_split_inline(next_kind, value[end:].strip())]


def _label_value(doc: Doc, lines: list[int], k: int, offset: int) -> tuple[str, int]:
    """The value of the labelled line lines[k], with its continuation lines; (value, last k)."""
    parts = [_original_tail(doc, lines[k], offset)]
    last = k
    while last + 1 < len(lines):
        nxt = lines[last + 1]
        gap = 1 if nxt == lines[last] + 1 else _gap(doc, lines[last], nxt)
        text = doc.lines[nxt].strip()
        if label_of(doc.folded[nxt]) or _LETTERED.match(doc.lines[nxt]):
            break
        if nxt in doc.item_lines and _item_start(doc.lines[nxt]):  # item_lines holds every item line
            break
        if _BULLET.match(doc.lines[nxt]):
            break
        joined = " ".join(parts)
        if gap > 1 and _TERMINAL.search(joined):
            break
        if _DOTTED.match(doc.lines[nxt]) or (_SENTENCE_END.search(joined) and not text[:1].islower()):
            break  # a new sentence: the value has ended
        if gap > 6:
            break
        parts.append(text)
        last += 1
        if len(parts) > 6:
            break
    return " ".join(p for p in parts if p).strip(), last


def _gap(doc: Doc, prev: int, nxt: int) -> int:
    """Lines from `prev` to `nxt`, footnote lines aside."""
    return sum(1 for j in range(prev + 1, nxt) if not doc.footnote[j]) + 1


def _original_tail(doc: Doc, i: int, offset: int) -> str:
    """The original text of line i from an offset in its folded form."""
    return doc.lines[i][offset:].strip(" :")


def _heading_text(doc: Doc, start: int, end: int) -> str:
    """The item's first paragraph, up to its closing ':' or a blank line."""
    parts = []
    for i in range(start, end):
        if doc.footnote[i]:
            continue
        if doc.blank(i):
            if parts:
                break
            continue
        parts.append(doc.lines[i].strip())
        if doc.lines[i].rstrip().endswith(":"):
            break
    return " ".join(parts)


_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[/|])\s?[.)]\s*")


def _strip_number(text: str) -> str:
    return _NUMBER.sub("", text)


def _dated_bullets(doc: Doc, start: int, end: int, number: str, section: Section,
                   context: dict) -> list[dict]:
    """Bullets ('- …') of an unlabelled item that carry their own deadline ('đến ngày 31/12/2025')."""
    bullets = [i for i in doc.text_lines(start + 1, end) if _BULLET.match(doc.lines[i])]
    tasks = []
    for k, i in enumerate(bullets):
        stop = bullets[k + 1] if k + 1 < len(bullets) else end
        text_lines = [j for j in doc.text_lines(i, stop)]
        text = " ".join(doc.lines[j].strip() for j in text_lines)
        text = _BULLET.sub("", text)
        head = text.split(":")[0]
        m = _HEAD_DEADLINE.search(fold(head))
        if not m:
            continue
        raw = _raw_span(head, m)
        tasks.append(_make_task(section.numeral, f"{number}.-{k + 1}", text, [], [], raw, context,
                                i, text_lines[-1], confidence=UNLABELLED_CONFIDENCE))
    return tasks


def _raw_span(text: str, m: re.Match) -> str:
    """The original words of `text` covering the folded match m (word-aligned)."""
    words = text.split()
    folded_words = [fold(w) for w in words]
    start = len(fold(text)[: m.start()].split())
    length = len(m.group(0).split())
    if start < len(folded_words) and not fold(text)[m.start() - 1: m.start()].isspace() and m.start() > 0:
        start = max(0, start - 1)
    return " ".join(words[start:start + length])


def _task(doc: Doc, section: Section, number: str, seg: _Segment, context: dict, sub: bool = False) -> dict:
    text_lines = seg.text_lines
    if sub:
        marked = [i for i in text_lines if _LETTERED.match(doc.lines[i]) or _DOTTED.match(doc.lines[i])]
        if marked:
            text_lines = [i for i in text_lines if i >= marked[0]]
    text = " ".join(doc.lines[i].strip() for i in text_lines)
    text = _DOTTED.sub("", text, count=1)
    text = _LETTERED.sub("", _strip_number(text), count=1).strip()
    values = {kind: raw for kind, (_line, raw) in seg.values.items()}
    lead = [u.name for u in resolve_units(values["lead"], context)] if "lead" in values else []
    support = [u.name for u in resolve_units(values["support"], context)] if "support" in values else []
    if not seg.values:
        lead = _subject_unit(doc, text_lines, context)
        inline = _parenthetical(text, context)
        if inline:
            lead, inline_support, inline_raw = inline
            support = support or inline_support
            values.setdefault("deadline", inline_raw)
    raw = values.get("deadline", "")
    if not raw:
        m = _HEAD_DEADLINE.search(fold(text.split(":")[0]))
        raw = _raw_span(text.split(":")[0], m) if m else ""
    first = text_lines[0] if text_lines else seg.start
    confidence = BODY_CONFIDENCE if seg.values else UNLABELLED_CONFIDENCE
    task = _make_task(section.numeral, number, text, lead, support, raw, context, first,
                      max(seg.end, first), confidence)
    if values.get("output"):
        task["expected_output"] = values["output"]
    return task


_PARENTHETICAL = re.compile(r"\(([^()]{3,200}?)\s+ch\w{0,2}\s?tr\w{0,2}\b([^()]{0,300})\)")
_SUPPORT_PHRASE = re.compile(r"ph\w{1,3}\s+h\w{1,3}p\s+(?:v\w{1,2}i\s+)?([^;]+)")


def _parenthetical(text: str, context: dict) -> tuple[list[str], list[str], str] | None:
    """'(Sở Tư pháp chủ trì, phối hợp với các sở, ngành; hoàn thành trong Quý II/2025)' →
    (lead, support, raw deadline)."""
    folded = _fold_line(text)
    m = _PARENTHETICAL.search(folded)
    if not m:
        return None
    lead = [u.name for u in resolve_units(text[m.start(1):m.end(1)], context) if u.known]
    if not lead:
        return None
    rest = text[m.start(2):m.end(2)]
    folded_rest = folded[m.start(2):m.end(2)]
    support_match = _SUPPORT_PHRASE.search(folded_rest)
    support = []
    if support_match:
        raw_support = rest[support_match.start(1):support_match.end(1)]
        support = [u.name for u in resolve_units(raw_support, context) if u.known]
    deadline = _HEAD_DEADLINE.search(folded_rest)
    raw = _raw_span(rest, deadline) if deadline else ""
    return lead, support, raw


def _subject_unit(doc: Doc, text_lines: list[int], context: dict) -> list[str]:
    """Without unit labels, the unit that opens the item's first paragraph after its heading is
    the one that carries it out ("Tổ trưởng các Tổ công tác … chỉ đạo …")."""
    after_heading = [i for k, i in enumerate(text_lines[1:], 1) if i - text_lines[k - 1] > 1]
    if not after_heading:
        return []
    words = _BULLET.sub("", doc.lines[after_heading[0]]).split()[:12]
    for k in range(len(words), 2, -1):
        unit = resolve_unit(" ".join(words[:k]), context)
        if unit is not None and unit.known and unit.exact:
            return [unit.name]
    return []


def _make_task(section: str, number: str, text: str, lead: list[str], support: list[str], raw: str,
               context: dict, first: int, last: int, confidence: float) -> dict:
    raw = raw.strip()
    deadline = parse_deadline(raw, context.get("date")) if raw else none_deadline()
    return {
        "section": section,
        "number": number,
        "text": " ".join(text.split()),
        "lead": lead,
        "support": [u for u in support if u not in lead],
        "deadline_raw": raw,
        "deadline": deadline,
        "cites": [],
        "line": first + 1,
        "end_line": last + 1,
        "confidence": confidence,
    }


# ---------------------------------------------------------------------------------------------------
# entry point

def _flat_context(context: dict | None) -> dict:
    """The document's jurisdiction, province, level and date, given flat or as the `self` record."""
    context = dict(context or {})
    own = context.pop("self", None) or {}
    return {**{k: own.get(k) for k in ("jurisdiction", "province", "level", "date", "type", "id")}, **context}


def extract_tasks(lines: list[str], context: dict) -> list[dict]:
    """Tasks of a document given as its lines (0-based list; tasks report 1-based lines)."""
    from ingest.task_tables import find_tables, table_tasks

    context = _flat_context(context)
    doc = Doc([line.rstrip("\r\n") for line in lines])
    tables = find_tables(doc)
    stop = tables[0].start if tables else len(doc.lines)
    tasks: list[dict] = []
    for section in find_sections(doc, stop):
        if is_task_section(section):
            tasks.extend(body_tasks(doc, section, context))
    for table in tables:
        tasks.extend(table_tasks(doc, table, context))
    return sorted(tasks, key=lambda t: t["line"])
