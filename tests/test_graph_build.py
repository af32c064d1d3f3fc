"""graph/build.py: from an extraction record to nodes and edges (keys, roles, stubs, evidence)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.build import (
    DocumentContext,
    build_contribution,
    confidence_of,
    document_role,
    parse_id,
    unit_jurisdiction,
)
from graph.model import (
    AGENCY,
    BASED_ON,
    CITES,
    DIRECTIVE,
    DOCUMENT,
    IMPLEMENTS,
    LED_BY,
    LOCATED_IN,
    PART_OF,
    PLAN,
    SUPPORTED_BY,
    TASK,
    Contribution,
    document_key,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"


def gold(folder: str, prefix: str) -> dict:
    found = sorted((SHARED / folder).glob(f"{prefix}*.json")) if (SHARED / folder).is_dir() else []
    if not found:
        pytest.skip(f"no gold file {prefix}* under {SHARED / folder}")
    return json.loads(found[0].read_text(encoding="utf-8"))


def edges_of(contribution: Contribution, type_: str) -> list:
    return [e for e in contribution.edges if e.type == type_]


@pytest.mark.parametrize(("doc_id", "family", "type_code", "issuer"), [
    ("57-NQ/TW", "party", "NQ", "TW"),
    ("02-KH/BCĐTW", "party", "KH", "BCĐTW"),
    ("07-TB/CQTTBCĐ", "party", "TB", "CQTTBCĐ"),
    ("71/NQ-CP", "state", "NQ", "CP"),
    ("118/2025/NĐ-CP", "state", "NĐ", "CP"),
    ("55/TTr-UBND", "state", "TTr", "UBND"),
    ("152/BTTTT-THH", "letter", None, "BTTTT"),
    ("2029/SKHCN-KHCN&ĐMST", "letter", None, "SKHCN"),
    ("193/2025/QH15", "letter", None, "QH15"),
    ("30c/NQ-CP", "state", "NQ", "CP"),
    ("Đề án 06", "name", None, None),
    (None, "none", None, None),
])
def test_parse_id(doc_id, family, type_code, issuer):
    parts = parse_id(doc_id)
    assert (parts.family, parts.type_code, parts.issuer_code) == (family, type_code, issuer)


@pytest.mark.parametrize(("type_code", "type_name", "level", "title", "role"), [
    ("NQ", "Nghị quyết", "national", None, DIRECTIVE),
    ("KL", "Kết luận", "national", None, DIRECTIVE),
    ("CT", "Chỉ thị", "province", None, DIRECTIVE),
    ("TB", "Thông báo", "national", None, DIRECTIVE),
    ("TB", "Thông báo", "province", None, None),  # a provincial notice is not a directive
    ("QĐ", "Quyết định", "national", "Phê duyệt Đề án", DIRECTIVE),
    ("QĐ", "Quyết định", "province", "Ban hành Kế hoạch chuyển đổi số", PLAN),
    ("KH", "Kế hoạch", "commune", None, PLAN),
    ("CTr", "Chương trình", "province", None, PLAN),
    ("CV", "Công văn", "province", None, None),
    ("TTr", "Tờ trình", "commune", None, None),
    (None, "Kế hoạch hành động", "commune", None, PLAN),
    (None, "Nghị quyết", "national", None, DIRECTIVE),
    (None, "Luật", "national", None, None),
])
def test_document_role(type_code, type_name, level, title, role):
    assert document_role(type_code, type_name, level, title) == role


COMMUNE = DocumentContext("f.txt", "doc:1/KH-UBND@Ngọk Bay", "Ngọk Bay", "Quảng Ngãi", "commune")
PROVINCE = DocumentContext("f.txt", "doc:52/KH-BCĐ@Quảng Ngãi", "Quảng Ngãi", "Quảng Ngãi", "province")


@pytest.mark.parametrize(("name", "context", "jurisdiction"), [
    ("Công an xã", COMMUNE, "Ngọk Bay"),
    ("Phòng Văn hóa - Xã hội xã", COMMUNE, "Ngọk Bay"),
    ("Bộ phận một cửa xã", COMMUNE, "Ngọk Bay"),  # "Bộ phận" is not a ministry
    ("Công an tỉnh", COMMUNE, "Quảng Ngãi"),
    ("Sở Khoa học và Công nghệ", COMMUNE, "Quảng Ngãi"),
    ("Sở Khoa học và Công nghệ", PROVINCE, "Quảng Ngãi"),
    ("Bộ Khoa học và Công nghệ", PROVINCE, "national"),
    ("Ban Chỉ đạo Trung ương", COMMUNE, "national"),
    ("Ủy ban nhân dân các xã, phường, đặc khu", PROVINCE, "Quảng Ngãi"),
])
def test_unit_jurisdiction(name, context, jurisdiction):
    assert unit_jurisdiction(name, context) == jurisdiction


@pytest.mark.parametrize(("value", "expected"), [
    (0.8, 0.8), (1, 1.0), (1.7, 1.0), (-1, 0.0), ("low", 0.5), (None, 1.0), ("high", 1.0)])
def test_confidence_of(value, expected):
    assert confidence_of(value) == expected


def test_every_edge_has_evidence_and_confidence():
    for prefix in ("000", "001", "002", "003", "004"):
        contribution = build_contribution(gold("gold", prefix))
        for edge in contribution.edges:
            assert edge.props["evidence"], (prefix, edge.src, edge.type, edge.dst)
            assert all({"file", "line", "raw"} <= set(e) for e in edge.props["evidence"])
            assert 0.0 <= edge.props["confidence"] <= 1.0


def test_self_is_full_and_references_are_stubs():
    record = gold("gold", "000")
    contribution = build_contribution(record)
    documents = {n.key: n for n in contribution.nodes if n.kind == DOCUMENT}
    me = documents[document_key(record["self"]["id"], record["self"]["jurisdiction"])]
    assert me.props["stub"] is False and me.props["role"] == PLAN
    refs = [n for key, n in documents.items() if key != me.key]
    assert len(refs) == len(record["references"])
    assert all(n.props["stub"] for n in refs)
    # every mention of a reference is evidence on the one edge to it
    for ref in record["references"]:
        key = document_key(ref["id"], ref["jurisdiction"])
        edge = next(e for e in contribution.edges if e.src == me.key and e.dst == key)
        assert len(edge.props["evidence"]) == len(ref["mentions"])


def test_strongest_relation_per_pair_keeps_all_mentions():
    record = gold("gold", "000")
    ref = dict(record["references"][0])
    weaker = {**ref, "relation": "cites", "mentions": [{"line": 999, "raw": "weak mention"}]}
    record["references"] = [weaker, ref]
    contribution = build_contribution(record)
    to_ref = [e for e in contribution.edges if e.dst == document_key(ref["id"], ref["jurisdiction"])
              and e.type in (IMPLEMENTS, CITES, BASED_ON)]
    assert [e.type for e in to_ref] == [IMPLEMENTS]
    assert any(item["raw"] == "weak mention" for item in to_ref[0].props["evidence"])


def test_tasks_units_and_places():
    record = gold("gold", "000")
    contribution = build_contribution(record)
    tasks = [n for n in contribution.nodes if n.kind == TASK]
    assert len(tasks) == len(record["tasks"])
    assert len(edges_of(contribution, PART_OF)) == len(tasks)
    assert len(edges_of(contribution, LED_BY)) == sum(len(t["lead"]) for t in record["tasks"])
    assert len(edges_of(contribution, SUPPORTED_BY)) == sum(len(t["support"]) for t in record["tasks"])
    police = [n for n in contribution.nodes if n.kind == AGENCY and n.props["name"] == "Công an xã"]
    assert [n.props["jurisdiction"] for n in police] == [record["self"]["jurisdiction"]]
    located = {(e.src.split(":")[0], e.dst.split(":")[1]) for e in edges_of(contribution, LOCATED_IN)}
    assert ("doc", "commune") in located and ("place", "province") in located


def test_two_documents_with_one_id_get_years():
    record = gold("gold-extra", "08")
    contribution = build_contribution(record)
    keys = sorted(n.key for n in contribution.nodes if n.kind == DOCUMENT and "50/NQ-CP" in n.key)
    assert keys == ["doc:50/NQ-CP@national#2020", "doc:50/NQ-CP@national#2021"]
    # the link "50/NQ-CP of 17/4/2020 implements 52-NQ/TW" lands on the 2020 resolution
    links = [e for e in contribution.edges if e.props.get("second_order")]
    assert [(e.src, e.type) for e in links] == [("doc:50/NQ-CP@national#2020", IMPLEMENTS)]


def test_second_order_links_between_references():
    record = gold("gold-extra", "06")
    contribution = build_contribution(record)
    links = [e for e in contribution.edges if e.props.get("second_order")]
    assert [(e.src, e.dst, e.type) for e in links] == [
        (document_key("03/NQ-CP", "national"), document_key("57-NQ/TW", "national"), IMPLEMENTS)]
    assert links[0].props["evidence"][0]["line"] == record["links"][0]["mentions"][0]["line"]


def test_document_without_id_is_keyed_by_file():
    record = gold("gold-extra", "19")
    contribution = build_contribution(record)
    assert f"doc:file:{record['file']}" in {n.key for n in contribution.nodes}


@pytest.mark.parametrize(("level", "jurisdiction", "province", "places"), [
    ("commune", "Ngọk Bay", "Quảng Ngãi", ["place:commune:Ngọk Bay@Quảng Ngãi", "place:province:Quảng Ngãi"]),
    ("commune", "Ngọk Bay", None, ["place:commune:Ngọk Bay"]),
    ("province", "Quảng Ngãi", "Quảng Ngãi", ["place:province:Quảng Ngãi"]),
    ("district", "Sơn Tịnh", "Quảng Ngãi",
     ["place:district:Sơn Tịnh@Quảng Ngãi", "place:province:Quảng Ngãi"]),
    ("national", "national", None, []),
])
def test_document_places(level, jurisdiction, province, places):
    record = {"file": "x.txt", "self": {"id": "1/KH-UBND", "type": "Kế hoạch", "level": level,
                                        "jurisdiction": jurisdiction, "province": province},
              "references": [], "tasks": []}
    contribution = build_contribution(record)
    assert sorted(n.key for n in contribution.nodes if n.kind == "Place") == sorted(places)
    located = {(e.src, e.dst) for e in edges_of(contribution, LOCATED_IN)}
    doc = document_key("1/KH-UBND", jurisdiction)
    assert all(any(dst == place for _, dst in located) for place in places)
    assert (doc, places[0]) in located if places else not located


@pytest.mark.parametrize(("level", "expected"), [
    ("national", "national"), ("province", "Quảng Ngãi"), ("commune", "Ngọk Bay"), (None, "Ngọk Bay")])
def test_reference_without_jurisdiction_resolved_from_the_citing_document(level, expected):
    record = {"file": "x.txt",
              "self": {"id": "1/KH-UBND", "level": "commune", "jurisdiction": "Ngọk Bay",
                       "province": "Quảng Ngãi"},
              "references": [{"id": "52/KH-BCĐ", "level": level, "relation": "implements",
                              "mentions": [{"line": 3, "raw": "52/KH-BCD"}]}],
              "tasks": []}
    contribution = build_contribution(record)
    ref = next(n for n in contribution.nodes if n.kind == DOCUMENT and n.props["stub"])
    assert ref.key == document_key("52/KH-BCĐ", expected)
    assert ref.props["confidence"] <= 0.5  # a guess, and the graph says so
