"""Task rows of appendix tables ("PHỤ LỤC …": TT / Tên nhiệm vụ / Cơ quan chủ trì / Cơ quan phối hợp
/ Thời hạn / Ghi chú).

OCR reads such tables line by line across the columns, so a row's cells are interleaved with its
task text ("… trong cac khu cong nghiép, | S¢ Khoa hoc va | Thang") or serialised one cell after
the other, separated by blank lines. A row starts at a line that opens a sentence (a capitalised
word and several more words) which is neither a unit, a deadline nor a group heading. Its task
text is the run of sentence lines from there; its units are the known agencies found in the rest
of its lines (the first cell holding one is the lead column); its deadline is the deadline-like
fragment found towards the right of its lines. Every such row carries a lower confidence, and no
unit that the gazetteer does not know is taken from a scrambled line.

Layout rules for interleaved rows (cells read line by line, by position, never by their words):
- a unit cell taller than the task text is centred on the row, so its first fragments stand on
  the lines right above the text; those lines belong to the row below them;
- on one line, the lead cell's fragment comes before the supporting cell's; two names side by
  side without a list separator (',', ';', 'và') belong to adjacent columns;
- a fragment continues the unfinished name of its column from the line above; the words of a line
  are shared between the columns so that both read as known names;
- words after a known name are dropped unless they are qualifiers or a printed level word;
- a row showing one unit cell reads it as the lead column, unless that unit stands in the
  supporting column across the table (the row's lead cell was lost).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from ingest.deadlines import parse_deadline
from ingest.tasks import Doc, _make_task, label_of, roman, vocabulary
from ingest.units import (
    context_level_word,
    few_capitals,
    fold,
    gazetteer,
    is_unit_fragment,
    is_unit_word,
    letter_counts,
    normalise_key,
    printed_level,
    reads_as_known,
    resolve_unit,
    resolve_units,
    scope_context,
    split_units,
    starts_unit,
    trim_tail,
    unit_scope,
)

ROW_CONFIDENCE = 0.6
SCATTER_GAP = 6  # words of other columns that may stand between two words of one scattered name
SHARE_WORDS = 12  # a cell line longer than this is read from its last words (the split is quadratic)
TAIL_WORDS = 8  # words of a column kept to judge how a line continues it
SHARE_SKIP = 2  # leading words of a cell line that may be dropped as debris of other columns
SCRAMBLED_CONFIDENCE = 0.4


@dataclass
class Table:
    start: int  # first line of the region (heading or header row)
    end: int  # exclusive
    index: int  # 1-based appendix number
    count: int  # number of appendix regions in the document


_TIMESTAMP = re.compile(r"^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def find_tables(doc: Doc) -> list[Table]:
    """Appendix regions: from a 'PHỤ LỤC' heading (or a table header row) to the next one."""
    voc = vocabulary()
    starts = [i for i, f in enumerate(doc.folded)
              if voc["appendix_heading"].search(f) and len(doc.lines[i].strip()) <= 40
              and _mostly_upper(doc.lines[i])]
    if not starts:
        starts = [i for i, f in enumerate(doc.folded)
                  if _header_words(f) >= 3 and label_of(f) is None]
        starts = starts[:1]
    tables = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(doc.lines)
        stamps = [i for i in range(start, end) if _TIMESTAMP.match(doc.lines[i])]
        end = stamps[0] if stamps else end
        tables.append(Table(start, end, k + 1, len(starts)))
    return tables


def _mostly_upper(text: str) -> bool:
    if few_capitals(text, 0.6):
        return False
    letters, capitals = letter_counts(text)
    return letters >= 4 and capitals >= 0.6 * letters


# ---------------------------------------------------------------------------------------------------
# lines of a table

_ROW_NUMBER = re.compile(r"^\W{0,3}(\d{1,2})(?![\d/.,]\d)\s?[.|\[]?\s*\|?\s*")
# a numeral followed by a word ('I A A A e 1i Cac so,' is OCR debris before a unit cell)
_GROUP = re.compile(r"^\W{0,3}([IVXl1|]{1,4})\s?[.|]?\s*(?:\||\s)\s*\W{0,2}[^\W\d_]{2}"
                    r"|^\W{0,3}([IVXivxl]{1,4})\W*$")
_VE = re.compile(r"^\W{0,3}(?:V|\\/)[eéèẽẹ]\s")
_WORD = re.compile(r"[^\W\d_]{2,}")
_DEADLINE_WORD = re.compile(
    r"^(?:th\w{0,4}\s?x+u|\w{0,3}ong\s+x\w{1,3}en|h\w{1,3}ng\s+(?:n\w{1,2}m|th|tu)|sau\s+khi|thang\b|quy\b"
    r"|th\w{0,2}n\s?g\b|tr\w{1,3}c\s+ng|den\s+het|\d)"
)


@lru_cache(maxsize=16384)
def _rest_after_number(line: str) -> tuple[int | None, str]:
    m = _ROW_NUMBER.match(line)
    if m and not re.match(r"\s*\d", line[m.end():]):
        return int(m.group(1)), line[m.end():]
    return None, line


@lru_cache(maxsize=16384)
def _is_group_heading(line: str) -> bool:
    stripped = line.strip()
    if not few_capitals(stripped, 0.8) and _capitalised(stripped, 0.8) and len(_WORD.findall(stripped)) >= 3:
        return True
    m = _GROUP.match(stripped)
    if m:
        token = m.group(1) or m.group(2) or ""
        if re.search(r"[IVXivx]", token):
            return True
    return bool(_VE.match(stripped))


def _capitalised(text: str, share: float) -> bool:
    letters, capitals = letter_counts(text)
    return capitals >= share * letters


def _row_start(doc: Doc, i: int) -> bool:
    """Does line i open the task text of a row?"""
    line = doc.lines[i]
    if _is_group_heading(line):
        return False
    _number, rest = _rest_after_number(line)
    if _number is not None and _numbered_sentence(rest):
        return True
    if rest.lstrip().startswith("("):
        return False  # "(Kèm theo Kế hoạch …)"
    rest = rest.lstrip(" [|\"“'~")
    words = rest.split()
    if not words or not _opens_sentence(words[0]):  # the cheapest test first: most lines fail it
        return False
    if len(_WORD.findall(rest)) < (4 if _number is not None else 5):
        return False
    if len(_text_cell(rest).split()) < 3:
        return False  # a column rule after a word or two: cells of other columns, not a task text
    folded = fold(rest)
    if _DEADLINE_WORD.match(folded) and len(words) <= 4:
        return False
    head = " ".join(words[:4])
    if starts_unit(head) or is_unit_fragment(head) or _looks_like_unit_line(rest):
        return False
    return not _continues_sentence(doc, i)


def _opens_sentence(first: str) -> bool:
    """Can `first` be the first word of a task text (a capitalised word, not an abbreviation)?"""
    if not first[:1].isalpha() or not first[:1].isupper() or first[-1:] in ",;:.":
        return False
    if first.isupper() and sum(ch.isalpha() for ch in first) > 1:
        return False  # an abbreviation ("CSDL …") goes on a sentence; a task opens with a verb
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(first)):
        return False  # "SInE": case flipping inside a word is OCR debris
    # "A A Th o LA …" is column debris; "T6 chire" is OCR'd "Tổ chức"
    return len(first) >= 2 and sum(ch.isdigit() for ch in first) <= 1


def _numbered_sentence(rest: str) -> bool:
    """After a printed row number, a capitalised sentence of several words ('1. | Các cơ quan …')."""
    rest = rest.lstrip(" [|\"“'~")
    words = rest.split()
    return (len(_WORD.findall(rest)) >= 6 and words[0][:1].isupper() and words[0][:1].isalpha()
            and sum(ch.isalpha() for ch in words[0]) >= 2)


def _looks_like_unit_line(text: str) -> bool:
    """A line made of unit names only ('Phong Van hoa - Xa', 'Trung tam Phuc vu')."""
    units = [u for u in resolve_units(text) if u.known]
    return bool(units) and len(text.split()) <= 8


_UNENDED = re.compile(r"(?:,|\bv[aà]|-|\bc[uủ]a|:|\(\d\))$")


def _continues_sentence(doc: Doc, i: int) -> bool:
    """The prose line just above (at most one blank line between) has not ended."""
    j = i - 1
    while j >= 0 and j >= i - 2 and doc.blank(j):
        j -= 1
    if j < 0 or doc.blank(j):
        return False
    prev = doc.lines[j].rstrip()
    return bool(_UNENDED.search(prev)) and len(_WORD.findall(prev)) >= 4


# ---------------------------------------------------------------------------------------------------
# rows

@dataclass
class Row:
    start: int  # the first line of the task text
    end: int  # exclusive
    group: str
    number: str
    top: int = -1  # the first line of the row: unit cells may stand above its text (-1: start)

    def __post_init__(self) -> None:
        if self.top < 0:
            self.top = self.start


def table_tasks(doc: Doc, table: Table, context: dict) -> list[dict]:
    tasks = []
    rows = []
    for row in _rows(doc, table):
        task = _row_task(doc, table, row, context)
        if task is not None:
            tasks.append(task)
            rows.append(row)
    _lone_cells_by_column(tasks, lambda k: _scattered_row_units(doc, rows[k], context))
    return tasks


def _lone_cells_by_column(tasks: list[dict], scattered: Callable[[int], list[str]] | None = None) -> None:
    """A row showing a single unit cell reads it as the lead column, unless every unit in it stands
    mostly in the supporting column across the table (at least three rows, twice as many as in
    the lead column; a name read short, 'các phòng, ban', counts for the name holding its words):
    then the row's lead cell is the one missing, and the cell stays a supporting one, as in its
    neighbours. The lead cell may still be read scattered over the row's lines (`scattered(k)`:
    the names of row k in reading order), a name the supporting cell does not hold."""
    support_rows: dict[str, int] = {}
    lead_rows: dict[str, int] = {}
    for task in tasks:
        for name in {fold(u) for u in task["support"]}:
            support_rows[name] = support_rows.get(name, 0) + 1
        for name in {fold(u) for u in task["lead"]}:
            lead_rows[name] = lead_rows.get(name, 0) + 1
    wider = {n: [m for m in support_rows if _words(n) < _words(m)]
             for task in tasks for n in map(fold, task["lead"])}
    for k, task in enumerate(tasks):
        names = {fold(u) for u in task["lead"]}
        if task["support"] or not names:
            continue
        if all(_mostly_support(n, support_rows, lead_rows, wider.get(n, [])) for n in names):
            found = _other_names(scattered(k) if scattered else [], task["lead"])
            task["support"], task["lead"] = task["lead"], found


def _may_be_tails(names: list[str]) -> bool:
    """Can one of `names` be `_tail_of` a name read scattered (else the row need not be searched)?"""
    tails = gazetteer().name_tails
    return any(normalise_key(name) in tails for name in names)


def _tail_of(name: str, names: list[str]) -> bool:
    """Is `name` the last words of a wider name of `names` ('Ủy ban nhân dân tỉnh' of 'Văn phòng
    Ủy ban nhân dân tỉnh')?"""
    key = normalise_key(name)
    return any(len(normalise_key(n)) > len(key) and normalise_key(n).endswith(f" {key}") for n in names)


def _other_names(found: list[str], names: list[str]) -> list[str]:
    """The names of `found` that neither hold nor are held by one of `names`, level words aside
    ('Ủy ban nhân dân tỉnh' is held by 'Ủy ban nhân dân cấp xã')."""
    held = [_base_words(u) for u in names]
    return [u for u in found if not any(_base_words(u) <= m or m <= _base_words(u) for m in held)]


def _base_words(name: str) -> frozenset[str]:
    return _words(name) - _level_tokens()


@lru_cache(maxsize=1)
def _level_tokens() -> frozenset[str]:
    return frozenset(t for word in gazetteer().levels for t in word.split())


def _words(name: str) -> frozenset[str]:
    return frozenset(normalise_key(name).split())


def _mostly_support(name: str, support_rows: dict[str, int], lead_rows: dict[str, int],
                    wider: list[str]) -> bool:
    count = support_rows.get(name, 0) + sum(support_rows[m] for m in wider)
    return count >= max(3, 2 * lead_rows.get(name, 0))


def _rows(doc: Doc, table: Table) -> list[Row]:
    group_index = 0
    group = ""
    starts: list[tuple[int, str, str]] = []
    counter = 0
    for i in range(table.start + 1, table.end):
        if doc.blank(i) or doc.footnote[i]:
            continue
        line = doc.lines[i]
        if _is_group_heading(line):
            group_index += 1
            group = _group_numeral(line, group_index)
            counter = 0
            starts.append((i, "", "heading"))
            continue
        if _is_header_row(doc.folded[i]):
            continue
        if _row_start(doc, i):
            counter += 1
            number = _row_number(doc, i, table.end)
            starts.append((i, group, str(number or counter)))
    rows = []
    for k, (i, group, number) in enumerate(starts):
        if number == "heading":
            continue
        end = starts[k + 1][0] if k + 1 < len(starts) else table.end
        floor = starts[k - 1][0] + 1 if k else table.start + 1
        rows.append(Row(i, end, group, number, _cells_above(doc, i, floor)))
    for upper, lower in itertools.pairwise(rows):
        upper.end = min(upper.end, lower.top)
    return rows


def _cells_above(doc: Doc, start: int, floor: int) -> int:
    """The first line of a row whose unit cells begin above its task text.

    A cell taller than the task text is centred on the row, so OCR prints its first fragments
    on the lines right above the text ('Trung tâm Phục vụ' over 'Hạ tầng số … hành chính công'),
    after the previous row's last line; those lines open with a unit name, and the row's number
    may stand among them. A blank line ends the climb: serialised cells of the row above are
    printed as blocks of their own."""
    top = start
    j = start - 1
    while j >= floor and not doc.blank(j) and not doc.footnote[j]:
        if _opens_with_unit(doc.lines[j]):
            top = j
        elif not _NUMBER_ONLY.match(doc.lines[j]):
            break
        j -= 1
    return top


_NUMBER_ONLY = re.compile(r"^\W{0,3}\d{1,2}(?:\s+\S{1,2}){0,4}\W*$")
_DEBRIS = re.compile(r"^(?:[^\w\s]+|\S{1,2}[^\w\s]*|\d+\W*)$")


def _opens_with_unit(line: str) -> bool:
    """A line whose first words (past OCR debris such as '. o 1A') begin a unit name: a unit
    cell printed on a line of its own ('Trung tâm Phục vụ …', 'Các phòng, ban, đơn'), not task text."""
    words = _rest_after_number(line)[1].split()
    k = 0
    while k < len(words) - 1 and k < 8 and _DEBRIS.match(words[k]):
        k += 1
    head = words[k:k + 4]
    return (len(head) >= 2 and head[0][:1].isupper()
            and (starts_unit(" ".join(head)) or is_unit_fragment(" ".join(head))))


def _is_header_row(folded: str) -> bool:
    """The column titles of a table ('STT | Tên nhiệm vụ | Cơ quan chủ trì | …')."""
    return _header_words(folded) >= 2


def _header_words(folded: str) -> int:
    """How many of the header row's column titles a folded line holds (one scan for most lines,
    which hold none)."""
    voc = vocabulary()
    if not voc["any_table_header"].search(folded):
        return 0
    return sum(bool(p.search(folded)) for p in voc["table_header"])


def _group_numeral(line: str, order: int) -> str:
    m = re.match(r"^\W{0,3}([IVXivxl1|]{1,4})\b", line.strip())
    if m and re.search(r"[IVXivx]", m.group(1)):
        token = re.sub(r"[1l|]", "i", m.group(1).lower())
        values = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
        if token in values:
            return roman(values[token])
    return roman(order)


def _row_number(doc: Doc, i: int, end: int) -> int | None:
    """The row number printed on the start line or on one of the next two lines."""
    for j in range(i, min(i + 4, end)):
        number, _rest = _rest_after_number(doc.lines[j])
        if number is not None and 0 < number < 60:
            return number
    return None


def _row_task(doc: Doc, table: Table, row: Row, context: dict) -> dict | None:
    lines = [i for i in range(row.start, row.end) if not doc.blank(i) and not doc.footnote[i]]
    text_lines, cell_lines = _split_text(doc, lines)
    above = [i for i in range(row.top, row.start) if not doc.blank(i) and not doc.footnote[i]]
    lines, cell_lines = above + lines, above + cell_lines
    text = " ".join(_text_cell(doc.lines[i]) for i in text_lines)
    raw = ""
    if not _interleaved(doc, text_lines):  # cells printed after the text: the deadline is a cell
        raw, _line = _find_deadline(doc, cell_lines, context.get("date"))
    if not raw:
        raw, _line = _find_deadline(doc, lines, context.get("date"))
    lead, support = _find_units(doc, row, text_lines, cell_lines, context)
    local = [u for u in lead if not _above_the_plan(u, context)]
    lead = local or lead
    if not raw and not lead and not support:
        return None
    section = f"Phụ lục {roman(table.index)}" if table.count > 1 else "Phụ lục"
    if row.group:
        section = f"{section}/{row.group}"
    scrambled = any(len(doc.lines[i]) > 1.2 * doc.median for i in text_lines) or "|" in text
    confidence = SCRAMBLED_CONFIDENCE if scrambled else ROW_CONFIDENCE
    last = max(lines)
    task = _make_task(section, row.number, _clean_text(text), lead, support, raw, context, row.start,
                      last, confidence)
    output = None if _interleaved(doc, text_lines) else _expected_output(doc, cell_lines, context)
    if output:
        task["expected_output"] = output
    return task


_LOCAL_LEVELS = ("province", "district", "commune")


def _above_the_plan(name: str, context: dict) -> bool:
    """A national body ('Chính phủ') beside local ones in the lead column of a local plan: a plan
    assigns its tasks to bodies of its own level or below, so the name is a word of the task
    text ('Chính phủ số') read into the column."""
    if context.get("level") not in _LOCAL_LEVELS:
        return False
    unit = resolve_unit(name, context)
    return unit is not None and unit.known and unit.level == "national"


def _expected_output(doc: Doc, cell_lines: list[int], context: dict) -> str | None:
    """The 'Dự kiến kết quả' cell of a row whose cells are printed one after the other: the first
    cell after the unit cells that is neither a unit list nor a deadline."""
    seen_units = False
    for block in _cell_blocks(doc, cell_lines):
        if _known_units(block, context):
            seen_units = True
            continue
        if parse_deadline(block)["kind"] != "none" and len(block.split()) <= 6:
            continue
        if seen_units and _WORD.search(block):
            return " ".join(block.split())
    return None


_WRAPPED = re.compile(r"[-,]\s*$")


def _split_text(doc: Doc, lines: list[int]) -> tuple[list[int], list[int]]:
    """The task-text lines of a row (the first paragraph) and the other lines (cells)."""
    text_lines = [lines[0]]
    for prev, i in itertools.pairwise(lines):
        rest = doc.lines[i].strip()
        if i - prev > 2 or (i - prev == 2 and not _prose_continues(doc.lines[prev], rest)):
            break
        wrapped = rest[:1].islower() or _WRAPPED.search(doc.lines[prev])
        if i - prev == 1 and wrapped and not _TERMINAL_PUNCT.search(doc.lines[prev]):
            text_lines.append(i)  # a wrapped sentence, even when it names units or years
            continue
        if _looks_like_unit_line(rest) or (_DEADLINE_WORD.match(fold(rest)) and len(rest.split()) <= 4):
            break
        text_lines.append(i)
    cells = [i for i in lines if i not in text_lines]
    return text_lines, cells


_TERMINAL_PUNCT = re.compile(r"[.;:!?]\s*$")


def _prose_continues(prev: str, line: str) -> bool:
    """Across one blank line, does `line` go on with the sentence of `prev`?"""
    if len(_WORD.findall(line)) < 5 or _looks_like_unit_line(line):
        return False
    return line[:1].islower() or prev.rstrip().endswith(",")


def _text_cell(line: str) -> str:
    """The task column of a table line: before the first column rule, without the row number."""
    pieces = _column_pieces(_rest_after_number(line)[1])
    return pieces[0].strip() if pieces else ""


@lru_cache(maxsize=16384)
def _column_pieces(text: str) -> tuple[str, ...]:
    """The non-empty pieces of `text` between column rules."""
    if not _RULE_HINT.search(text):  # every rule holds one of these characters
        return (text,) if text.strip() else ()
    return tuple(p for p in _COLUMN_BREAK.split(text) if p.strip())


_RULE_HINT = re.compile(r"[|\t\\\[\]]")


def _clean_text(text: str) -> str:
    return " ".join(text.replace("|", " ").split())


# ---------------------------------------------------------------------------------------------------
# deadlines in a row

_DEADLINE_FRAGMENT = re.compile(
    r"(?:(?:tr\w{1,3}c|d\w{1,2}n(?:\s+h\w{1,2}t)?)\s+ng\w?y\s+)?\d{1,2}\s?/\s?\d{1,2}\s?/\s?\d{4}"
    r"|(?:th\w{0,3}n\s?g\s*)?\d{1,2}\s?/\s?\d{4}|th\w{0,3}n\s?g\s+\d{3,6}"
    r"|qu\w\s?[iv1l\\]{1,4}\s?/\s?\d{4}"
    r"|(?:th\w{0,4}\s?)?x+u[vy]?[vy]?en|\b\w{0,4}ong\s+x\w{1,3}en|\bh\w{1,3}ng\s+(?:n\w{1,2}m|th\w{1,3}ng|tu\w{1,2}n)"
    r"|sau\s+khi\s+\S.{0,40}|(?<![\d/.-])20\d{2}(?![\d/])"
)
# Where a `_DEADLINE_FRAGMENT` match may start (each alternative's first letters, looked ahead
# loosely): a superset the engine finds by skipping ahead, the exact pattern then tried with
# `.match` only there. The alternative '\w{0,4}ong\s+x…' may start at any word, so it is
# located by its 'ong' instead (`_ONG_X`), up to four characters earlier.
_FRAGMENT_START = re.compile(
    r"\d(?=\d?\s?/)|2(?=0\d\d)|t(?=r\w{1,3}c\s|h\w{0,4}\s?x|h\w{0,3}n\s?g\s*\d)"
    r"|d(?=\w{1,2}n(?:\s+h\w{1,2}t)?\s+ng)|q(?=u\w\s?[iv1l\\])|x(?=x*u)|h(?=\w{1,3}ng\s)|s(?=au\s)"
)
_ONG_X = re.compile(r"ong(?=\s+x)")
_MONTH_WORD_ONLY = re.compile(r"\s*th\w{0,3}n\s?g\s*")
_REFERENCE_DATE = re.compile(r"\bng\w?y\.?\s*$")


@lru_cache(maxsize=16384)
def _deadline_spans(folded: str) -> tuple[tuple[int, int], ...]:
    """Where deadline-like fragments stand in the right part of a folded line (not after 'ngày',
    which dates a reference)."""
    width = max(len(folded.rstrip()), 1)
    short = len(folded.split()) <= 5
    return tuple((m.start(), m.end()) for m in _fragments(folded)
                 if not _REFERENCE_DATE.search(folded[: m.start()]) and (short or m.end() / width >= 0.55))


def _fragments(folded: str) -> list[re.Match]:
    """`_DEADLINE_FRAGMENT.finditer(folded)`, the pattern tried only where a match may start."""
    starts = [m.start() for m in _FRAGMENT_START.finditer(folded)]
    if "ong" in folded:
        starts.extend(k for m in _ONG_X.finditer(folded) for k in range(max(0, m.start() - 4), m.start() + 1))
        starts = sorted(set(starts))
    found = []
    end = 0
    for start in starts:
        if start < end:
            continue  # inside the previous match: finditer goes on from its end
        m = _DEADLINE_FRAGMENT.match(folded, start)
        if m:
            found.append(m)
            end = m.end()
    return found


def _find_deadline(doc: Doc, lines: list[int], doc_date: str | None = None) -> tuple[str, int | None]:
    """The deadline fragment of a row: the first one standing in the right part of its line."""
    for i in lines:
        for start, end in _deadline_spans(doc.folded[i]):
            raw = doc.lines[i][start:end]
            if _MONTH_WORD_ONLY.fullmatch(fold(raw)):
                continue
            if parse_deadline(raw, doc_date)["kind"] != "none":
                return raw.strip(), i
    return "", None


# ---------------------------------------------------------------------------------------------------
# units in a row

def _find_units(doc: Doc, row: Row, text_lines: list[int], cell_lines: list[int],
                context: dict) -> tuple[list[str], list[str]]:
    """Lead and supporting units of a row: known agencies only, read column by column."""
    if not _interleaved(doc, text_lines):
        found = (_known_units(b, context) for b in _cell_blocks(doc, cell_lines))
        blocks = [units for units in found if units]
        if blocks:
            return blocks[0], [u for b in blocks[1:2] for u in b if u not in blocks[0]]
    lead_stream, support_stream = _column_streams(doc, row, text_lines)
    lead = _widest(_known_units(lead_stream, context))
    support = [u for u in _widest(_known_units(support_stream, context)) if u not in lead]
    if _may_be_tails(lead + support):  # 'UBND tỉnh' read in a column whose 'Văn phòng' went to another one
        wider = _scattered_row_units(doc, row, context)
        lead = [u for u in lead if not _tail_of(u, wider)]
        support = [u for u in support if not _tail_of(u, wider)]
    if not lead:  # the lead cell is scattered over the lines, or a single unit cell is the lead
        scattered = _other_names(_scattered_row_units(doc, row, context), support)
        if scattered and not support:  # read in order, the first cell is the lead column
            return scattered[:1], scattered[1:]
        return (scattered, support) if scattered else (support, [])
    return lead, support


_RULE_CHARS = re.compile(r"[|\[\]{}]")


def _scattered_row_units(doc: Doc, row: Row, context: dict) -> list[str]:
    """Known names scattered over the lines of an interleaved row whose columns gave none.

    A cell's fragments stand line under line ('Các sở,' … 'ngành; địa' … 'phương'), each among
    the words of the other columns, and the task text hides where the columns begin. So a name
    of four words or more (without its level word) may go on anywhere on the next two lines; on
    one line its words stay at most SCATTER_GAP apart, and a word may lack one letter. A name of
    three words is read only whole on one line ('Phong Kinh té'). A group that lost its leading
    'các' in the rule ('Sở, ngành, địa phương') is read too. In a row whose cells are printed
    apart from its task text, no name starts in the text: names there are prose."""
    lines = doc.text_lines(row.top, row.end)
    texts = tuple(doc.lines[i] for i in lines)
    return list(_scattered_names(texts, _prose_lines(doc, row, lines), *unit_scope(context)))


def _prose_lines(doc: Doc, row: Row, lines: list[int]) -> frozenset[int]:
    """Positions in `lines` where no name may start: the task text of a row whose cells are
    printed apart from it."""
    own = [i for i in lines if i >= row.start]
    if own:
        text_lines = _split_text(doc, own)[0]
        if not _interleaved(doc, text_lines):
            return frozenset(k for k, i in enumerate(lines) if i in text_lines)
    return frozenset()


@lru_cache(maxsize=8192)
def _scattered_names(texts: tuple[str, ...], prose: frozenset[int], level: str | None,
                     level_word: str | None) -> tuple[str, ...]:
    """`_scattered_row_units` of a row's text lines, once per distinct row and unit scope."""
    context = scope_context(level, level_word)
    gaz = gazetteer()
    tokens: list[str] = []
    rows_of: list[int] = []
    for k, text in enumerate(texts):
        keys = _line_name_tokens(text)
        tokens.extend(keys)
        rows_of.extend(itertools.repeat(k, len(keys)))
    where = _positions(tokens)
    present = set(tokens)
    hits: list[tuple[int, int, str]] = []
    candidates = (e for t in present for e in gaz.by_rare_token.get(t, ()))
    for entry in candidates:
        needle = list(entry.tokens)
        if not present.issuperset(needle[1:]):
            continue
        scattered = entry.words >= 4
        first = _line_subsequence(needle, tokens, rows_of, scattered, where)
        if first is None and needle[0] == "cac" and scattered:
            first = _line_subsequence(needle[1:], tokens, rows_of, scattered, where)
        if first is not None and rows_of[first] not in prose:
            hits.append((first, -entry.words, _with_own_level(entry.name, entry.scoped, context)))
    names: list[str] = []
    for _first, _size, name in sorted(hits):
        if name not in names:
            names.append(name)
    return tuple(_widest(names))


@lru_cache(maxsize=16384)
def _line_name_tokens(text: str) -> tuple[str, ...]:
    """The name tokens (`_name_token`) of one line of a row, once per line text: a line is read
    by every row whose lines hold it, and lines repeat across documents."""
    gaz = gazetteer()
    line = gaz.expand(_strip_deadline(_RULE_CHARS.sub(" ", text)))  # 'dia[So': a rule
    keys = (_name_token(normalise_key(word)) for word in line.split())
    return tuple(key for key in keys if key)


@lru_cache(maxsize=16384)
def _name_token(key: str) -> str:
    """An OCR'd word read as the word of agency names it misspells by one letter ('tdm' → 'tam',
    'phuyc' → 'phuc'), when there is exactly one such word with its first letter; else itself."""
    vocab = _name_vocabulary()
    if len(key) < 3 or key in vocab:
        return key
    by_length = gazetteer().words_by_initial_and_length
    near = [w for size in (len(key) - 1, len(key), len(key) + 1) for w in by_length.get((key[0], size), ())
            if Levenshtein.distance(w, key, score_cutoff=1) <= 1]
    return near[0] if len(near) == 1 else key


def _name_vocabulary() -> dict[str, tuple[str, ...]]:
    """The words of the gazetteer's names of three letters or more, by first letter (built once
    with the gazetteer, not per document)."""
    return gazetteer().words_by_initial


def _with_own_level(name: str, scoped: bool, context: dict) -> str:
    """A name that takes a level word, read without one, is the document's own body ('Ủy ban nhân
    dân' in a commune plan is 'Ủy ban nhân dân xã')."""
    own = context_level_word(context) if scoped else None
    return f"{name} {own}" if own else name


def _line_subsequence(needle: list[str], tokens: list[str], rows_of: list[int],
                      scattered: bool = True, where: dict[str, list[int]] | None = None) -> int | None:
    """Where the tightest reading of `needle` in `tokens` starts: in order, each next word within
    SCATTER_GAP words on the same line or anywhere on one of the next two lines; a name that is
    not `scattered` is read whole on one line. `where`: the positions of each token (`_positions`)."""
    where = _positions(tokens) if where is None else where
    best: tuple[int, int] | None = None  # (span, first)
    for first in where.get(needle[0], ()):
        pos = first
        for word in needle[1:]:
            if not scattered:
                pos = pos + 1 if pos + 1 < len(tokens) and tokens[pos + 1] == word else -1
            else:
                pos = _next_word(pos, where.get(word, ()), rows_of)
            if pos < 0:
                break
        if pos >= 0 and (best is None or pos - first < best[0]):
            best = (pos - first, first)
    return best[1] if best else None


def _positions(tokens: list[str]) -> dict[str, list[int]]:
    """The positions of each token, in order."""
    where: dict[str, list[int]] = {}
    for k, token in enumerate(tokens):
        where.setdefault(token, []).append(k)
    return where


def _next_word(pos: int, places: list[int], rows_of: list[int]) -> int:
    """The next of a word's `places` after `pos` that may continue a name, or -1. Lines only go
    down along the tokens, so the first place more than two lines down ends the search."""
    for k in range(bisect.bisect_right(places, pos), len(places)):
        q = places[k]
        lines_down = rows_of[q] - rows_of[pos]
        if lines_down > 2:
            break
        if lines_down > 0 or q - pos <= SCATTER_GAP + 1:
            return q
    return -1


def _widest(names: list[str]) -> list[str]:
    """Names not contained in another of the list: 'các phòng, đơn vị' and 'các đơn vị' are read
    from the words of 'các phòng, ban, đơn vị' when a scrambled cell is searched for names."""
    return list(_widest_of(tuple(names)))


@lru_cache(maxsize=8192)
def _widest_of(names: tuple[str, ...]) -> tuple[str, ...]:
    words = [set(normalise_key(n).split()) for n in names]
    return tuple(n for k, n in enumerate(names)
                 if not any(j != k and words[k] < words[j] for j in range(len(names))))


def _known_units(text: str, context: dict) -> list[str]:
    """Units of `text` that the gazetteer knows, cut at every unit head: in a scrambled cell the
    words around a name belong to other columns, so they are dropped rather than read as a name.
    Names whose words the other columns split ('S& Khoa hoc va] … Cong nghé') are read scattered
    too, beside the names read whole."""
    return list(_known_units_in(text, *unit_scope(context)))


@lru_cache(maxsize=16384)
def _known_units_in(text: str, level: str | None, level_word: str | None) -> tuple[str, ...]:
    """`_known_units` for one unit scope (cells repeat across rows and documents)."""
    context = scope_context(level, level_word)
    found: list[str] = []
    for piece in split_units(text):
        for part in _cut_at_heads(piece):
            name = _part_name(part, level, level_word)
            if name and name not in found:
                found.append(name)
    return tuple(_widest(found + _scattered_units(text, context, found)))


@lru_cache(maxsize=16384)
def _part_name(part: str, level: str | None, level_word: str | None) -> str | None:
    """The known name one cut part of a cell reads as (None or '' when none)."""
    context = scope_context(level, level_word)
    unit = resolve_unit(part, context)
    if unit is None or not unit.known or _unfinished(part, unit.name):
        return None
    name = unit.name if unit.exact else _head_name(part, context)
    return printed_level(trim_tail(name), part, context) if name else name


def _unfinished(part: str, read_as: str) -> bool:
    """Is `part` the first words of a longer known name, which a fuzzy match read as another name
    ('UBND các địa' of 'Ủy ban nhân dân các địa phương', whose last word stands on the next line
    of the column, read as 'Ủy ban nhân dân cấp xã')?"""
    gaz = gazetteer()
    tokens = [_name_token(t) for t in normalise_key(gaz.expand(part)).split()]
    if len(tokens) < 3:
        return False
    key = " ".join(tokens)
    if key in gaz.key_index or normalise_key(gaz.expand(read_as)).startswith(key):
        return False
    return key in gaz.prefixes.get((key[0], len(tokens)), ())


def _scattered_units(text: str, context: dict, found: list[str]) -> list[str]:
    """Known names whose words occur in order in `text`, other columns' words between them
    ('Cac so, … nganh; dia … phuong' → 'các sở, ngành, địa phương'): OCR interleaves the cells."""
    gaz = gazetteer()
    tokens = [normalise_key(w) for w in text.split()]
    tokens = [t for t in tokens if t]
    present = set(tokens)
    hits: list[tuple[int, int, str]] = []
    candidates = (e for t in present for e in gaz.cell_by_rare_token.get(t, ()))
    for entry in candidates:
        if not present.issuperset(entry.tokens):
            continue
        span = _subsequence(list(entry.tokens), tokens, SCATTER_GAP)
        if span is not None:
            hits.append((span[0], -entry.words, entry.name))
    out = []
    taken: set[str] = {fold(n) for n in found}
    for _start, _size, name in sorted(hits):
        if fold(name) not in taken and not any(fold(name) in t or t in fold(name) for t in taken):
            out.append(name)
            taken.add(fold(name))
    return out


def _subsequence(needle: list[str], tokens: list[str], max_gap: int = 3) -> tuple[int, int] | None:
    """(first, last) positions of `needle` in `tokens`, in order, at most `max_gap` tokens apart."""
    for first, token in enumerate(tokens):
        if token != needle[0]:
            continue
        pos, ok = first, True
        for word in needle[1:]:
            window = tokens[pos + 1: pos + 2 + max_gap]
            if word not in window:
                ok = False
                break
            pos = pos + 1 + window.index(word)
        if ok:
            return first, pos
    return None


def _cut_at_heads(piece: str) -> list[str]:
    """'chuyén nganh dé cong Céc s0, nganh So Tu phap' → ['Céc s0, nganh', 'So Tu phap']."""
    return list(_cuts_at_heads(piece))


@lru_cache(maxsize=16384)
def _cuts_at_heads(piece: str) -> tuple[str, ...]:
    words = piece.split()
    cuts, start = [0], 0
    for j in range(1, len(words)):
        if not _head_at(words, j):
            continue
        if j - start <= 5 and is_unit_fragment(" ".join(words[start:j + 2])):
            continue  # still inside one name: "Văn phòng | Tỉnh ủy", "Văn phòng HĐND và | UBND xã"
        cuts.append(j)
        start = j
    cuts.append(len(words))
    return tuple(" ".join(words[a:b]) for a, b in itertools.pairwise(cuts) if b > a)


def _head_at(words: list[str], j: int) -> bool:
    if j > 0 and not (words[j][:1].isupper() or normalise_key(words[j]) == "cac"):
        return False
    if j > 0 and normalise_key(words[j - 1]) in {"cac", "cho", "cua", "thuoc"}:
        return False
    rest = " ".join(words[j:j + 4])
    return starts_unit(rest) or is_unit_fragment(" ".join(words[j:j + 3]))


def _head_name(part: str, context: dict) -> str | None:
    """The known name at the start of `part` when only a few stray words follow it."""
    words = part.split()
    for k in range(len(words) - 1, max(1, len(words) - 4), -1):
        unit = resolve_unit(" ".join(words[:k]), context)
        if unit is not None and unit.known and unit.exact:
            return unit.name
    return None


# rules read as '|', a tab, '\', '[' before a word or an unopened ']' after one ('va] UBND')
_COLUMN_BREAK = re.compile(r"\s*\|\s*|\s*\t\s*|\s\\\s|\s\[(?=\S)|(?<=[^\W\d_])\](?=\s)")


def _column_streams(doc: Doc, row: Row, text_lines: list[int]) -> tuple[str, str]:
    """The text of the first and second unit columns, gathered line by line.

    On a line holding task text the cells start after a column rule ('|') or, without one, at the
    run of unit words that ends the line; other lines are cells from their start."""
    lead: list[str] = []
    support: list[str] = []
    for i in range(row.top, row.end):
        if doc.blank(i) or doc.footnote[i]:
            continue
        _number, rest = _rest_after_number(doc.lines[i])
        pieces = list(_column_pieces(rest))
        if i not in text_lines:
            cells = _split_cells(pieces)
        elif len(pieces) > 1:  # a lead cell may also end the text piece, before the first rule
            head = _unit_suffix(pieces[0])
            cells = [head, *pieces[1:]] if head and _known_units(head, {}) else _after_group(pieces[1:])
        else:  # cells without a rule: on the row's first lines, or on lines wider than the text
            before = text_lines[: text_lines.index(i) + 1]
            first_block = all(b - a == 1 for a, b in itertools.pairwise(before))
            wide = first_block or len(rest.strip()) >= doc.median
            cells = _split_cells([_unit_suffix(rest)]) if wide else []
        cells = [c for c in (_strip_deadline(c) for c in cells) if c]
        if len(cells) == 1 and lead and support:
            to_lead, to_support = _share(" ".join(lead), " ".join(support), cells[0].split())
            lead.append(to_lead)
            support.append(to_support)
        elif cells:
            lead.append(cells[0])
            support.extend(cells[1:2])
    return " ".join(lead), " ".join(support)


def _after_group(pieces: list[str]) -> list[str]:
    """The cells after a text line's column rule: a collective enumeration ('Các sở, ngành, địa')
    followed by a name without a list separator ('Sở Nội vụ') is two adjacent cells."""
    cells = _split_cells(pieces)
    first = normalise_key(cells[0].split()[0]) if cells and cells[0].split() else ""
    return cells if len(cells) == 2 and _name_token(first) == "cac" else pieces


def _split_cells(pieces: list[str]) -> list[str]:
    """A cell line printed without a column rule between its two unit cells ('Trung tâm Phục vụ
    Các phòng, ban, đơn', 'Các sở, ngành Sở Tư pháp') is cut where the second name begins. Names of
    one cell are listed with a comma, a semicolon or 'và' between them; names of adjacent columns
    are not, so only a name opening after none of those starts the next column."""
    if len(pieces) != 1:
        return pieces
    parts: list[str] = []
    for part in _cut_at_heads(pieces[0]):
        if parts and not _LIST_END.search(parts[-1]):
            parts.append(part)
        elif parts:
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    if len(parts) >= 2 and len(parts[0].split()) >= 2:
        return [parts[0], " ".join(parts[1:])]
    return pieces


_LIST_END = re.compile(r"(?:[,;]|\bv[aàả])\s*$", re.IGNORECASE)


def _share(lead: str, support: str, words: list[str]) -> tuple[str, str]:
    """Split one line's unit words between the two columns so that both read as known units
    ('S¢ Khoa hoc va' + 'Cong nghé', 'Cac so, nganh,' + 'dia phuong'); leading words that fit
    neither column are dropped."""
    lead, support = " ".join(lead.split()[-TAIL_WORDS:]), " ".join(support.split()[-TAIL_WORDS:])
    return _share_of(lead, support, tuple(words[-SHARE_WORDS:]))


@lru_cache(maxsize=4096)
def _share_of(lead: str, support: str, words: tuple[str, ...]) -> tuple[str, str]:
    """`_share` of the columns' last words. A cut is scored only while it can still beat the best
    one so far (each column scores at most 1): the same cut wins, with fewer names read."""
    right: dict[int, float] = {}
    best, best_score = (" ".join(words), ""), -1.0
    for skip in range(min(len(words), SHARE_SKIP) + 1):
        for k in range(skip, len(words) + 1):
            if best_score >= 2 * _FULL_SCORE:
                return best
            left = " ".join(words[skip:k])
            left_score = _tail_score(f"{lead} {left}".strip())
            if left_score + _FULL_SCORE <= best_score:
                continue
            if k not in right:
                right[k] = _tail_score(f"{support} {' '.join(words[k:])}".strip())
            score = left_score + right[k]
            if score > best_score:
                best, best_score = (left, " ".join(words[k:])), score
    return best


_FULL_SCORE = 1.0  # `_tail_score` of a known name read whole, its highest


@lru_cache(maxsize=8192)
def _tail_score(text: str) -> float:
    """1 when the last unit of `text` is a known name read whole, ½ for the start of one."""
    pieces = split_units(text)
    if not pieces:
        return 0.0
    last = _cut_at_heads(pieces[-1])[-1]  # words of other columns before the name are not part of it
    if reads_as_known(last):
        return 1.0
    return 0.5 if is_unit_fragment(" ".join(last.split()[-4:])) else 0.0


_DEADLINE_TAIL = re.compile(
    r"\s(?:th\w{0,4}\s?x+u[vy]?[vy]?en|\w{0,4}ong\s+x\w{1,3}en|th\w{0,2}n\s?g\s*(?:\d|$)"
    r"|qu\w\s?[iv1l\\]{1,4}\s?/\s?\d|h\w{1,3}ng\s+(?:n\w{1,2}m|th\w{1,3}ng|tu\w{1,2}n)|sau\s+khi"
    r"|tr\w{1,3}c\s+ng\w{1,3}|\d{1,2}\s?/\s?\d{4}|20\d\d\b).*$"
)


@lru_cache(maxsize=16384)
def _strip_deadline(cell: str) -> str:
    """A cell with the deadline column that follows it on the same line removed."""
    folded = fold(cell)
    m = _DEADLINE_TAIL.search(" " + folded)
    if m:
        words_before = len((" " + folded)[: m.start()].split())
        cell = " ".join(cell.split()[:words_before])
    return cell.strip()


_SENTENCE_END = re.compile(r"\w{2,}[.!?]$")


def _unit_suffix(text: str) -> str:
    """The words that end `text` and belong to unit names ('… phai thé tinh; Mt tran T quéc')."""
    words = _strip_deadline(text).split()
    k = len(words)
    while k > 0:
        key = normalise_key(words[k - 1])
        if len(key) > 2 and not is_unit_word(words[k - 1]):
            break
        if k < len(words) and _SENTENCE_END.search(words[k - 1]):
            break  # the task text's sentence ends there ('… chính trị - xã hội. | thể tỉnh; …')
        k -= 1
    suffix = words[k:]
    if k and vocabulary()["object_words"].match(normalise_key(words[k - 1])):
        return ""  # 'phối hợp với Công an tỉnh': the names are the sentence's object
    return " ".join(suffix) if any(len(normalise_key(w)) > 2 for w in suffix) else ""


def _cell_blocks(doc: Doc, lines: list[int]) -> list[str]:
    """Blank-separated runs of cell lines, each joined into one string."""
    blocks: list[list[str]] = []
    prev = None
    for i in lines:
        if prev is None or i - prev > 1:
            blocks.append([])
        blocks[-1].append(doc.lines[i].strip())
        prev = i
    return [" ".join(b) for b in blocks]


def _interleaved(doc: Doc, text_lines: list[int]) -> bool:
    """Cells printed on the same lines as the task text."""
    return any("|" in doc.lines[i] or len(doc.lines[i].strip()) > 1.3 * doc.median for i in text_lines)
