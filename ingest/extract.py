"""One document in, one record out: the JSON contract of `chidao extract` (conventions.md).

    {file, self, references, tasks, links, confidence}

The document's own identity comes from `ingest.identity`, its references from
`ingest.references`, its tasks from `ingest.tasks`; a task cites every reference mentioned in its
lines or whose footnote marker sits in them.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from ingest import codes
from ingest.ids import find_identifiers
from ingest.reader import read_document
from ingest.references import Context, appendix_self_id, extract_references
from ingest.text import fold

_PLAN_TYPE_NAMES = ("ke hoach", "chuong trinh")


def extract_file(path: str | Path) -> dict:
    """Read and extract the file at `path`; raises `ingest.errors.InputError` on unreadable input."""
    text = read_document(path)
    return extract_text(text, Path(path).name)


def extract_text(text: str, file_name: str) -> dict:
    """The record of one document given as text (see the module docstring)."""
    lines = text.split("\n")
    warnings: list[str] = []
    self_record = _stage("identity", warnings, lambda: _identify(text, lines),
                         lambda: _fallback_identity(text, lines), "the header was read minimally")
    context = _context(self_record)
    references, links = extract_references(text, context, lines)
    tasks = _stage("tasks", warnings, lambda: _tasks(lines, self_record, references), list,
                   "no tasks extracted")
    for reference in references:
        for internal in ("anchors", "footnote_lines", "alias_lines"):
            reference.pop(internal, None)
    record = {
        "file": file_name,
        "self": self_record,
        "references": references,
        "tasks": tasks,
        "links": links,
        "confidence": _overall_confidence(self_record, references),
    }
    if warnings:
        record["warnings"] = warnings
    return record


def _stage(name: str, warnings: list[str], run, fallback, consequence: str):
    """Run one optional stage; a failure there costs that stage only, not the references: it is
    reported in the record's `warnings` and the fallback is used."""
    try:
        return run()
    except Exception as exc:  # any bug in an optional stage must not lose the whole record
        warnings.append(f"{name} stage failed ({type(exc).__name__}: {exc}); {consequence}")
        return fallback()


# ---- the document itself -----------------------------------------------------------------------


def _identify(text: str, lines: list[str]) -> dict:
    try:
        from ingest.identity import identify
    except ImportError:
        return _fallback_identity(text, lines)
    return identify(text, lines)


_SO_LINE = re.compile(r"^\W{0,3}(?:s\S{0,2}|so)\b\W{0,3}\s*$")
_HEADINGS = ("ke hoach", "to trinh", "nghi quyet", "quyet dinh", "thong bao", "chuong trinh", "quy che",
             "quy dinh", "cong van", "de cuong", "chi thi", "ket luan")


def _fallback_identity(text: str, lines: list[str]) -> dict:
    """A minimal self record (the id printed after "Số" at the start of a header line, the type
    heading, the place in the header) for when the identity module is not available."""
    self_id = None
    for n, line in enumerate(lines[:15]):
        found = find_identifiers(line)
        if not found:
            continue
        lead = fold(line[:found[0].start])
        previous = fold(lines[n - 1]) if n else ""
        if re.fullmatch(r"\W{0,3}(?:s\S{0,2}|so)?\W{0,3}", lead) or _SO_LINE.match(previous):
            self_id = found[0]
            break
    type_name = None
    for line in lines[:40]:
        if fold(line).strip(" .:") in _HEADINGS:
            type_name = line.strip().capitalize()
            break
    canonical = self_id.canonical if self_id else appendix_self_id(text)
    if type_name is None and canonical:
        found = find_identifiers(canonical)
        type_name = codes.type_name(found[0].type_code) if found else None
    level, jurisdiction, province = _header_place(lines[:8])
    if province is None:
        level, jurisdiction, province = _main_province(text)
    return {"id": canonical, "type": type_name, "issuer": None,
            "jurisdiction": jurisdiction, "province": province, "level": level, "date": None,
            "title": None, "evidence": [], "confidence": 0.3}


def _header_place(lines: list[str]) -> tuple[str | None, str | None, str | None]:
    from ingest import places

    header = re.sub(r"\b(?:T|t)(?:INH|ỈNH|inh|ỉnh)\s+(?:UY|ỦY|uy|ủy)\b", "tỉnh", "\n".join(lines))
    found = places.find_places(header)
    for wanted in ("commune", "district", "province"):
        for _start, _end, place in found:
            if place.level == wanted:
                return wanted, place.name, place.province
    return None, None, None


def _main_province(text: str) -> tuple[str | None, str | None, str | None]:
    """The province the text names most often (a header the OCR lost)."""
    from collections import Counter

    from ingest import places

    counts = Counter(p.province for _s, _e, p in places.find_places(text) if p.level == "province")
    if not counts:
        return None, None, None
    province = counts.most_common(1)[0][0]
    return "province", province, province


def _context(self_record: dict) -> Context:
    level = self_record.get("level")
    jurisdiction = self_record.get("jurisdiction")
    type_name = fold(self_record.get("type") or "")
    self_id = self_record.get("id")
    type_code = None
    if self_id:
        found = find_identifiers(self_id)
        type_code = found[0].type_code if found else None
    return Context(
        self_id=self_id,
        self_type_code=type_code,
        province=self_record.get("province"),
        district=jurisdiction if level == "district" else None,
        commune=jurisdiction if level == "commune" else None,
        level=level,
        jurisdiction=jurisdiction,
        is_plan=type_name.startswith(_PLAN_TYPE_NAMES) or type_code in ("KH", "CTr"),
    )


# ---- tasks -------------------------------------------------------------------------------------


def _tasks(lines: list[str], self_record: dict, references: list[dict]) -> list[dict]:
    try:
        from ingest.tasks import extract_tasks

        tasks = extract_tasks(lines, {"self": self_record, "references": references})
    except ImportError:  # the task extractor is optional while it is being built
        return []
    cite_lines = _cite_lines(references)
    for task in tasks:
        task["cites"] = _cites(task, cite_lines)
    return tasks


def _cite_lines(references: list[dict]) -> list[tuple[str, list[int]]]:
    """Each reference's id with the sorted lines that cite it: its mentions outside footnotes, its
    footnote anchors, and the lines naming it by number only ("Nghị quyết 57"). Built once per
    document, so each task asks by bisection instead of scanning every mention."""
    out = []
    for reference in references:
        footnote_lines = set(reference.get("footnote_lines") or [])
        lines = [m["line"] for m in reference["mentions"] if m["line"] not in footnote_lines]
        lines += [*(reference.get("anchors") or []), *(reference.get("alias_lines") or [])]
        out.append((reference["id"], sorted(lines)))
    return out


def _cites(task: dict, cite_lines: list[tuple[str, list[int]]]) -> list[str]:
    """Ids mentioned in the task's lines (footnote lines excepted), footnote-anchored there, or named
    there by number only."""
    first = task.get("line")
    last = task.get("end_line") or first
    if first is None:
        return list(task.get("cites") or [])
    cited = []
    for doc_id, lines in cite_lines:
        k = bisect.bisect_left(lines, first)
        if k < len(lines) and lines[k] <= last:
            cited.append(doc_id)
    return cited


def _overall_confidence(self_record: dict, references: list[dict]) -> float:
    values = [_number(self_record.get("confidence"))]
    values += [_number(r.get("confidence")) for r in references]
    return round(sum(values) / len(values), 2)


def _number(value: object, default: float = 0.5) -> float:
    return float(value) if isinstance(value, int | float) else default
