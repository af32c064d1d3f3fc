"""From one extraction record (the JSON of `chidao extract`) to one file's graph Contribution.

The record names its own document (`self`), the documents it refers to (`references`, each with
every mention), second-order `links` between two referenced documents, and its tasks (nhiệm vụ)
with lead (chủ trì) and supporting (phối hợp) units. Referenced documents become stub nodes
(`stub=True`); the store completes a stub when the referenced document's own file is ingested.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path as FilePath
from typing import Any

import yaml

from graph.model import (
    AGENCY,
    CITES,
    DIRECTIVE,
    DOCUMENT,
    ISSUED_BY,
    LED_BY,
    LOCATED_IN,
    NATIONAL,
    PART_OF,
    PLACE,
    PLAN,
    REFERENCE_TYPES,
    RELATION_TO_EDGE,
    SUPPORTED_BY,
    TASK,
    Contribution,
    Edge,
    Evidence,
    Node,
    agency_key,
    clean_name,
    document_key,
    file_document_key,
    id_key_part,
    place_key,
    task_key,
)
from ingest.text import fold

_VOCABULARY = FilePath(__file__).with_name("data") / "graph_vocabulary.yaml"
#: confidence of a statement the record does not grade ("Where confidence is absent, the
#: annotation is considered reliable"); a gold-style "low" flag maps to LOW_CONFIDENCE
DEFAULT_CONFIDENCE, LOW_CONFIDENCE = 1.0, 0.5
_PARTY_ID = re.compile(r"^(?P<num>\d+[A-Za-z]?)-(?P<type>[^/\s]+)/(?P<issuer>\S+)$")
_STATE_ID = re.compile(r"^(?P<num>\d+[A-Za-z]?)/(?:(?P<year>\d{4})/)?(?P<rest>\S+)$")


@cache
def vocabulary() -> dict[str, Any]:
    with _VOCABULARY.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class IdParts:
    """What a symbol says: its family (party/state/letter), type code and issuer code."""

    family: str
    type_code: str | None
    issuer_code: str | None


def parse_id(doc_id: str | None) -> IdParts:
    """Split `57-NQ/TW`, `118/2025/NĐ-CP`, `152/BTTTT-THH` into family, type and issuer codes."""
    if not doc_id:
        return IdParts("none", None, None)
    doc_id = doc_id.replace(" ", "")
    party = _PARTY_ID.match(doc_id)
    if party:
        return IdParts("party", _known_code(party["type"]), party["issuer"])
    state = _STATE_ID.match(doc_id)
    if not state:
        return IdParts("name", None, None)
    head, _, tail = state["rest"].partition("-")
    code = _known_code(head)
    if code and tail:
        return IdParts("state", code, tail)
    return IdParts("letter", None, head)


def _known_code(text: str) -> str | None:
    by_upper = {code.upper(): code for code in vocabulary()["type_codes"]}
    return by_upper.get(text.upper())


def document_role(type_code: str | None, type_name: str | None, level: str | None,
                  title: str | None) -> str | None:
    """Directive (NQ, KL, CT, central TB/QĐ), Plan (KH, CTr, a QĐ adopting a plan) or None."""
    roles = vocabulary()["roles"]
    national = level == NATIONAL
    folded_title = fold(title or "")
    if type_code in roles["plan_adopting_codes"] and any(
            cue in folded_title for cue in roles["plan_adopting_title_cues"]):
        return PLAN
    if type_code:
        if type_code in roles["directive_codes"]:
            return DIRECTIVE
        if type_code in roles["plan_codes"]:
            return PLAN
        if national and type_code in roles["national_directive_codes"]:
            return DIRECTIVE
        return None
    name = fold(type_name or "")
    if name.startswith(tuple(roles["directive_type_names"])):
        return DIRECTIVE
    if name.startswith(tuple(roles["plan_type_names"])):
        return PLAN
    if national and name.startswith(tuple(roles["national_directive_type_names"])):
        return DIRECTIVE
    return None


def confidence_of(value: Any) -> float:
    """A record's confidence as a number in [0, 1]: numbers as given, "low" → 0.5, absent → 1."""
    if isinstance(value, bool) or value is None:
        return DEFAULT_CONFIDENCE
    if isinstance(value, int | float):
        return max(0.0, min(1.0, float(value)))
    return LOW_CONFIDENCE if str(value).lower() == "low" else DEFAULT_CONFIDENCE


def _year(date: str | None) -> str | None:
    return date[:4] if date and len(date) >= 4 and date[:4].isdigit() else None


def _evidence_list(file: str, items: list[Any] | None) -> list[dict[str, Any]]:
    """Mentions / evidence as `{file, line, raw}` dicts; a bare string (gold `self.evidence`) has
    no line number and gets line 0."""
    out = []
    for item in items or []:
        if isinstance(item, dict):
            out.append(Evidence(file, int(item.get("line") or 0), str(item.get("raw") or "")).as_dict())
        else:
            out.append(Evidence(file, 0, str(item)).as_dict())
    return out


@dataclass
class _Builder:
    """Collects one file's nodes and edges, merging repeats of the same node or edge."""

    file: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)

    def node(self, key: str, kind: str, props: dict[str, Any]) -> None:
        existing = self.nodes.get(key)
        if existing is None:
            self.nodes[key] = Node(key, kind, dict(props))
            return
        for name, value in props.items():
            if name == "aliases":
                existing.props[name] = sorted(set(existing.props.get(name) or []) | set(value or []))
            elif existing.props.get(name) in (None, "", []):
                existing.props[name] = value

    def edge(self, src: str, dst: str, type_: str, evidence: list[dict[str, Any]],
             confidence: float, **extra: Any) -> None:
        if src == dst:
            return
        existing = self.edges.get((src, dst, type_))
        if existing is None:
            props = {"confidence": confidence, "evidence": list(evidence), **extra}
            self.edges[(src, dst, type_)] = Edge(src, dst, type_, props)
            return
        existing.props["confidence"] = max(existing.props["confidence"], confidence)
        seen = {(e["file"], e["line"], e["raw"]) for e in existing.props["evidence"]}
        existing.props["evidence"].extend(
            e for e in evidence if (e["file"], e["line"], e["raw"]) not in seen)

    def contribution(self, source_file: str) -> Contribution:
        edges = _strongest_per_pair(list(self.edges.values()))
        return Contribution(source_file, list(self.nodes.values()), edges)


def _strongest_per_pair(edges: list[Edge]) -> list[Edge]:
    """Between two documents keep only the strongest relation (implements > based_on > amends >
    cites), with the evidence of every weaker mention folded into it."""
    rank = {t: i for i, t in enumerate(REFERENCE_TYPES)}
    best: dict[tuple[str, str], Edge] = {}
    others = []
    for edge in edges:
        if edge.type not in rank:
            others.append(edge)
            continue
        pair = (edge.src, edge.dst)
        kept = best.get(pair)
        if kept is None:
            best[pair] = edge
            continue
        strong, weak = (edge, kept) if rank[edge.type] < rank[kept.type] else (kept, edge)
        strong.props["confidence"] = max(strong.props["confidence"], weak.props["confidence"])
        strong.props["evidence"] = strong.props["evidence"] + weak.props["evidence"]
        best[pair] = strong
    return others + list(best.values())


@dataclass
class DocumentContext:
    """The record's own document: where bare references and units are resolved."""

    file: str
    key: str
    jurisdiction: str
    province: str | None
    level: str | None


def build_contribution(record: dict[str, Any], source_file: str | None = None) -> Contribution:
    """One extraction record → the nodes and edges it states, keyed per graph/model.py.

    `source_file` identifies the contribution in the store (default: the record's `file`)."""
    file = str(record.get("file") or source_file or "unknown")
    builder = _Builder(file)
    context = _add_self(builder, record.get("self") or {}, file)
    index = _add_references(builder, context, record.get("references") or [])
    _add_links(builder, context, index, record.get("links") or [])
    for task in record.get("tasks") or []:
        _add_task(builder, context, index, task)
    return builder.contribution(source_file or file)


def _add_self(builder: _Builder, me: dict[str, Any], file: str) -> DocumentContext:
    jurisdiction = me.get("jurisdiction") or NATIONAL
    key = document_key(me["id"], jurisdiction) if me.get("id") else file_document_key(
        FilePath(file).name)
    context = DocumentContext(file, key, jurisdiction, me.get("province"), me.get("level"))
    evidence = _evidence_list(file, me.get("evidence"))
    props = _document_props(me, stub=False)
    props.update(file=file, evidence=evidence)
    builder.node(key, DOCUMENT, props)
    confidence = confidence_of(me.get("confidence"))
    _add_issuer(builder, context, key, me, evidence[:1], confidence)
    _add_place(builder, key, context.level, jurisdiction, context.province, evidence[:1], confidence)
    return context


def _document_props(entry: dict[str, Any], stub: bool) -> dict[str, Any]:
    parts = parse_id(entry.get("id"))
    level = entry.get("level")
    aliases = sorted({m["raw"].replace("\n", " ") for m in entry.get("mentions") or []
                      if isinstance(m, dict) and m.get("raw")} | set(entry.get("aliases") or [])
                     | set(entry.get("alt_ids") or []))
    return {
        "id": entry.get("id"),
        "type": entry.get("type"),
        "type_code": parts.type_code,
        "role": document_role(parts.type_code, entry.get("type"), level, entry.get("title")),
        "level": level,
        "jurisdiction": entry.get("jurisdiction") or NATIONAL,
        "province": entry.get("province"),
        "issuer": entry.get("issuer"),
        "issuer_code": parts.issuer_code,
        "date": entry.get("date"),
        "title": entry.get("title"),
        "aliases": aliases,
        "stub": stub,
        "confidence": confidence_of(entry.get("confidence")),
    }


def _add_issuer(builder: _Builder, context: DocumentContext, doc_key: str, entry: dict[str, Any],
                evidence: list[dict[str, Any]], confidence: float) -> None:
    """ISSUED_BY: identity from the symbol's issuer code and the jurisdiction (a Party body and a
    state body with the same code are different agencies); the display name is a property."""
    parts = parse_id(entry.get("id"))
    name = entry.get("issuer")
    code = parts.issuer_code
    if not code and not name:
        return
    ident = f"{code} ({'Đảng' if parts.family == 'party' else 'Nhà nước'})" if code else name
    jurisdiction = entry.get("jurisdiction") or context.jurisdiction
    key = agency_key(ident, jurisdiction)
    builder.node(key, AGENCY, {"name": name or code, "code": code, "jurisdiction": jurisdiction,
                               "level": entry.get("level")})
    builder.edge(doc_key, key, ISSUED_BY, evidence, confidence)


def _add_place(builder: _Builder, node_key: str, level: str | None, jurisdiction: str,
               province: str | None, evidence: list[dict[str, Any]], confidence: float) -> None:
    """LOCATED_IN: a document → its commune/district/province; a commune → its province."""
    if not level or level == NATIONAL or jurisdiction == NATIONAL:
        return
    if level == "province" or not province or fold(province) == fold(jurisdiction):
        # a province, or a unit whose province the record does not say
        place_level = "province" if level == "province" or province else level
        key = place_key(place_level, jurisdiction)
        builder.node(key, PLACE, {"name": clean_name(jurisdiction), "level": place_level})
        builder.edge(node_key, key, LOCATED_IN, evidence, confidence)
        return
    province_place = place_key("province", province)
    key = place_key(level, jurisdiction, province)
    builder.node(province_place, PLACE, {"name": clean_name(province), "level": "province"})
    builder.node(key, PLACE, {"name": clean_name(jurisdiction), "level": level,
                              "province": clean_name(province)})
    builder.edge(node_key, key, LOCATED_IN, evidence, confidence)
    builder.edge(key, province_place, LOCATED_IN, evidence, confidence)


_RefIndex = dict[str, list[tuple[str | None, str]]]  # id part → [(date, document key)]


def _add_references(builder: _Builder, context: DocumentContext,
                    references: list[dict[str, Any]]) -> _RefIndex:
    references = [_with_jurisdiction(ref, context) for ref in references]
    keys = _reference_keys(references)
    index: _RefIndex = defaultdict(list)
    me = builder.nodes[context.key].props
    if me.get("id"):
        index[id_key_part(me["id"])].append((me.get("date"), context.key))
    for ref, key in zip(references, keys, strict=True):
        if key is None:
            continue
        index[id_key_part(ref["id"])].append((ref.get("date"), key))
        _add_reference(builder, context, ref, key)
    return index


def _with_jurisdiction(ref: dict[str, Any], context: DocumentContext) -> dict[str, Any]:
    """A reference whose jurisdiction the record left out is resolved from its level and the
    citing document (a provincial reference → the document's province), never silently national:
    `…/KH-UBND` exists in every commune."""
    if ref.get("jurisdiction"):
        return ref
    level = ref.get("level")
    if level == NATIONAL:
        jurisdiction = NATIONAL
    elif level == "province":
        jurisdiction = context.province or context.jurisdiction
    else:
        jurisdiction = context.jurisdiction
    return {**ref, "jurisdiction": jurisdiction,
            "confidence": min(confidence_of(ref.get("confidence")), LOW_CONFIDENCE)}


def _reference_keys(references: list[dict[str, Any]]) -> list[str | None]:
    """Document keys of the references; a year is appended only where two references with the
    same id and jurisdiction carry different years (two Government resolutions 50/NQ-CP)."""
    years: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ref in references:
        if ref.get("id"):
            ident = (id_key_part(ref["id"]), ref.get("jurisdiction") or NATIONAL)
            years[ident].add(_year(ref.get("date")) or "")
    keys: list[str | None] = []
    for ref in references:
        if not ref.get("id"):
            keys.append(None)
            continue
        jurisdiction = ref.get("jurisdiction") or NATIONAL
        ambiguous = len(years[(id_key_part(ref["id"]), jurisdiction)] - {""}) > 1
        keys.append(document_key(ref["id"], jurisdiction, _year(ref.get("date")) if ambiguous else None))
    return keys


def _add_reference(builder: _Builder, context: DocumentContext, ref: dict[str, Any], key: str) -> None:
    evidence = _evidence_list(context.file, ref.get("mentions"))
    confidence = confidence_of(ref.get("confidence"))
    if key == context.key:
        return
    jurisdiction = ref.get("jurisdiction") or NATIONAL
    province = ref.get("province") or _province_of(context, jurisdiction, ref.get("level"))
    props = _document_props(ref, stub=True)
    if jurisdiction != NATIONAL:
        props["province"] = province
    builder.node(key, DOCUMENT, props)
    edge_type = RELATION_TO_EDGE.get(str(ref.get("relation") or "cites"), CITES)
    builder.edge(context.key, key, edge_type, evidence, confidence)
    _add_issuer(builder, context, key, ref, evidence[:1], confidence)
    _add_place(builder, key, ref.get("level"), jurisdiction, province, evidence[:1], confidence)


def _province_of(context: DocumentContext, jurisdiction: str, level: str | None) -> str | None:
    """A reference below province level in the document's own commune (or an unnamed one) lies in
    the document's province; a provincial reference is its own province."""
    if level == "province":
        return jurisdiction
    return context.province


def _resolve(index: _RefIndex, doc_id: str | None, date: str | None = None) -> str | None:
    """The key a record gives an id; among same-id documents the one with the matching date."""
    if not doc_id:
        return None
    candidates = index.get(id_key_part(doc_id)) or []
    if date:
        dated = [key for d, key in candidates if d == date]
        if dated:
            return dated[0]
    return candidates[0][1] if candidates else None


def _add_links(builder: _Builder, context: DocumentContext, index: _RefIndex,
               links: list[dict[str, Any]]) -> None:
    """Second-order references: "Kế hoạch 01-KH/BCĐ … thực hiện Thông báo 07-TB/CQTTBCĐ"."""
    for link in links:
        src = _resolve(index, link.get("from"), link.get("from_date"))
        dst = _resolve(index, link.get("to"), link.get("to_date"))
        if not src or not dst:
            continue
        edge_type = RELATION_TO_EDGE.get(str(link.get("relation") or "cites"), CITES)
        builder.edge(src, dst, edge_type, _evidence_list(context.file, link.get("mentions")),
                     confidence_of(link.get("confidence")), second_order=True)


def _add_task(builder: _Builder, context: DocumentContext, index: _RefIndex, task: dict[str, Any]) -> None:
    key = task_key(context.key, task.get("section"), task.get("number"))
    line = int(task.get("line") or 0)
    text = " ".join(str(task.get("text") or "").split())
    confidence = confidence_of(task.get("confidence"))
    deadline = task.get("deadline") or {}
    builder.node(key, TASK, {
        "document": context.key, "section": task.get("section"), "number": task.get("number"),
        "text": text, "line": line, "end_line": task.get("end_line"),
        "deadline_raw": task.get("deadline_raw") or "",
        "deadline": {"kind": deadline.get("kind") or "none", "value": deadline.get("value")},
        "expected_output": task.get("expected_output"),
        "lead": list(task.get("lead") or []), "support": list(task.get("support") or []),
        "file": context.file, "confidence": confidence,
    })
    evidence = [Evidence(context.file, line, text).as_dict()]
    builder.edge(key, context.key, PART_OF, evidence, confidence)
    for edge_type, units in ((LED_BY, task.get("lead")), (SUPPORTED_BY, task.get("support"))):
        for unit in units or []:
            _add_unit(builder, context, key, edge_type, unit, line, confidence)
    for cited in task.get("cites") or []:
        target = _resolve(index, cited)
        if target:
            builder.edge(key, target, CITES, [Evidence(context.file, line, cited).as_dict()], confidence)


def _add_unit(builder: _Builder, context: DocumentContext, task: str, edge_type: str, unit: str,
              line: int, confidence: float) -> None:
    name = clean_name(unit)
    if not name:
        return
    jurisdiction = unit_jurisdiction(name, context)
    key = agency_key(name, jurisdiction)
    level = context.level
    if jurisdiction == NATIONAL:
        level = NATIONAL
    elif jurisdiction != context.jurisdiction:
        level = "province"
    builder.node(key, AGENCY, {"name": name, "aliases": [name], "jurisdiction": jurisdiction,
                               "level": level})
    builder.edge(task, key, edge_type, [Evidence(context.file, line, unit).as_dict()], confidence)


def unit_jurisdiction(name: str, context: DocumentContext) -> str:
    """Where a named unit belongs: national bodies are national, provincial bodies named in a
    commune plan ("Công an tỉnh", "Sở …") belong to its province, the rest to the document's own
    jurisdiction (so "Công an xã" of Ngọk Bay ≠ "Công an xã" of Phú Trung)."""
    scope = vocabulary()["agency_scope"]
    folded = fold(name)
    national = (folded.startswith(tuple(scope["national_prefixes"]))
                and not folded.startswith(tuple(scope["national_exclude_prefixes"])))
    if national or any(cue in folded for cue in scope["national_contains"]):
        return NATIONAL
    provincial = (folded.startswith(tuple(scope["province_prefixes"]))
                  or folded.endswith(tuple(scope["province_suffixes"]))
                  or any(cue in folded for cue in scope["province_contains"]))
    if provincial and context.province and context.level not in ("province", NATIONAL):
        return context.province
    return context.jurisdiction
