"""RDF export on a small hand-built graph: IRIs, literals, OWL-Time deadlines, PROV roles,
reified evidence, SHACL shapes and the import back."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
import rdflib.namespace as rns
from rdflib import RDF, Graph, Literal, URIRef

from graph.embedded import EmbeddedStore
from graph.model import (
    AGENCY,
    DOCUMENT,
    IMPLEMENTS,
    LED_BY,
    PART_OF,
    SUPPORTED_BY,
    TASK,
    Contribution,
    Edge,
    Node,
    agency_key,
    document_key,
    task_key,
)
from queries.rdf_export import (
    BASE,
    CHIDAO,
    ELI,
    PPLAN,
    SHAPES_FILE,
    ExportError,
    RdfWriter,
    commune_plans_implementing,
    export_rdf,
    key_path,
    literal,
    node_iri,
    store_to_graph,
)
from queries.rdf_import import RdfImportError, graph_elements, python_value

FILE = "plan.txt"


@pytest.mark.parametrize(("key", "path"), [
    ("doc:57-NQ/TW@national", "doc/national/57-NQ_TW"),
    ("doc:1-KH/BCĐ@Quảng Ngãi", "doc/Qu%E1%BA%A3ng%20Ng%C3%A3i/1-KH_BC%C4%90"),
    ("doc:50/NQ-CP@national#2020", "doc/national/50_NQ-CP/2020"),
    ("doc:118/2025/NĐ-CP@national", "doc/national/118_2025_N%C4%90-CP"),
    ("doc:2029/SKHCN-KHCN&ĐMST@Quảng Ngãi",
     "doc/Qu%E1%BA%A3ng%20Ng%C3%A3i/2029_SKHCN-KHCN%26%C4%90MST"),
    ("doc:A_B/X@national", "doc/national/A%5FB_X"),
    ("doc:file:scan 12.txt", "docfile/scan%2012.txt"),
    ("task:doc:57-NQ/TW@national#Phụ lục I/III.4",
     "doc/national/57-NQ_TW/task/Ph%E1%BB%A5%20l%E1%BB%A5c%20I%2FIII.4"),
    ("agency:Công an xã@Ngọk Bay", "agency/Ng%E1%BB%8Dk%20Bay/C%C3%B4ng%20an%20x%C3%A3"),
    ("place:province:Quảng Ngãi", "place/province/Qu%E1%BA%A3ng%20Ng%C3%A3i"),
    ("place:commune:Ngọk Bay@Quảng Ngãi",
     "place/commune/Qu%E1%BA%A3ng%20Ng%C3%A3i/Ng%E1%BB%8Dk%20Bay"),
    ("something else", "node/something%20else"),
])
def test_iri_paths(key: str, path: str) -> None:
    assert key_path(key) == path
    assert node_iri(key) == URIRef(BASE + path)


def test_iris_do_not_depend_on_unicode_normal_form() -> None:
    composed = "agency:Sở Nội vụ@Quảng Ngãi"
    assert node_iri(unicodedata.normalize("NFD", composed)) == node_iri(composed)


def test_iris_are_one_to_one_on_lookalike_keys() -> None:
    keys = ["doc:A_B/X@national", "doc:A/B_X@national", "doc:A/B/X@national", "doc:A%5FB/X@national",
            "doc:1-KH/BCĐ@Khánh Hòa", "doc:1-KH/BCĐ@Quảng Ngãi", "doc:1-KH/BCĐ@Quảng Ngãi#2024",
            "place:commune:X", "place:commune:X@Y", "agency:X@Y", "agency:X@Y/Z"]
    assert len({node_iri(k) for k in keys}) == len(keys)


def test_two_keys_with_one_iri_is_an_error() -> None:
    # the segment encoder is one-to-one on NFC text, so only keys differing in normal form collide
    nfc = "agency:Sở Nội vụ@national"
    nodes = [Node(nfc, AGENCY, {}), Node(unicodedata.normalize("NFD", nfc), AGENCY, {})]
    with pytest.raises(ExportError, match="same IRI"):
        RdfWriter(nodes, []).build()


@pytest.mark.parametrize("value", [
    0.1, 1 / 3, 0.0, 1, 0, True, False, "", "Kế hoạch hành động", "01", "2025-11-10",
    ["Sở Nội vụ", "Công an tỉnh"], [], {"kind": "quarter", "value": "2025-Q4"}, {"a": [1, None]},
])
def test_literals_give_back_the_value(value: object) -> None:
    for name, predicate in (("title", ELI.title), ("extra", CHIDAO.extra), ("date", ELI.date_document)):
        decoded = python_value(literal(name, value, predicate))
        assert decoded == value and type(decoded) is type(value)


@pytest.mark.parametrize(("value", "datatype"), [("2025-11-10", rns.XSD.date), ("2025-02-30", None),
                                                  ("10/11/2025", None)])
def test_document_date_is_typed_only_when_it_is_a_date(value: str, datatype: URIRef | None) -> None:
    assert literal("date", value, ELI.date_document).datatype == datatype


def tiny_contribution() -> Contribution:
    """A commune plan implementing a national resolution, with one task led and supported."""
    directive = document_key("57-NQ/TW", "national")
    plan = document_key("667/KH-UBND", "Ngọk Bay")
    task = task_key(plan, "II", "1")
    lead, support = agency_key("Công an xã", "Ngọk Bay"), agency_key("Sở Nội vụ", "Quảng Ngãi")

    def evidence(line: int, raw: str) -> dict[str, object]:
        return {"confidence": 0.9, "evidence": [{"file": FILE, "line": line, "raw": raw}]}

    nodes = [
        Node(directive, DOCUMENT, {"id": "57-NQ/TW", "jurisdiction": "national", "role": "Directive",
                                   "level": "national", "date": None, "stub": True}),
        Node(plan, DOCUMENT, {"id": "667/KH-UBND", "jurisdiction": "Ngọk Bay", "role": "Plan",
                              "level": "commune", "date": "2025-11-10", "title": "Triển khai thực hiện",
                              "aliases": ["S667  /KH-UBND"], "stub": False}),
        Node(task, TASK, {"section": "II", "number": "1", "text": "Tổ chức quán triệt",
                          "deadline_raw": "Quý IV/2025", "line": 40, "end_line": None,
                          "deadline": {"kind": "quarter", "value": "2025-Q4"}, "lead": ["Công an xã"]}),
        Node(lead, AGENCY, {"name": "Công an xã", "jurisdiction": "Ngọk Bay", "level": "commune"}),
        Node(support, AGENCY, {"name": "Sở Nội vụ", "jurisdiction": "Quảng Ngãi", "level": "province"}),
    ]
    edges = [
        Edge(plan, directive, IMPLEMENTS, evidence(7, "57-NQ/TW")),
        Edge(task, plan, PART_OF, evidence(40, "Tổ chức quán triệt")),
        Edge(task, lead, LED_BY, evidence(41, "Công an xã")),
        Edge(task, support, SUPPORTED_BY, evidence(41, "Sở Nội vụ")),
    ]
    return Contribution(FILE, nodes, edges)


@pytest.fixture
def tiny_store(tmp_path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    store.write([tiny_contribution()])
    return store


def iri(key: str) -> URIRef:
    return node_iri(key)


def test_documents_and_relations_use_eli(tiny_store: EmbeddedStore) -> None:
    g = store_to_graph(tiny_store)
    plan, directive = iri("doc:667/KH-UBND@Ngọk Bay"), iri("doc:57-NQ/TW@national")
    assert (plan, RDF.type, ELI.LegalResource) in g and (plan, RDF.type, CHIDAO.Plan) in g
    assert (directive, RDF.type, CHIDAO.Directive) in g
    assert (plan, ELI.id_local, Literal("667/KH-UBND")) in g
    assert (plan, ELI.date_document, Literal("2025-11-10", datatype=rns.XSD.date)) in g
    assert (plan, CHIDAO.implements, directive) in g
    assert (plan, ELI.ensures_implementation_of, directive) in g
    assert (directive, CHIDAO.unset, Literal("date")) in g


def test_each_edge_is_a_statement_derived_from_file_and_line(tiny_store: EmbeddedStore) -> None:
    g = store_to_graph(tiny_store)
    plan, directive = iri("doc:667/KH-UBND@Ngọk Bay"), iri("doc:57-NQ/TW@national")
    [statement] = list(g.subjects(RDF.subject, plan))
    assert g.value(statement, RDF.predicate) == CHIDAO.implements
    assert g.value(statement, RDF.object) == directive
    assert g.value(statement, CHIDAO.confidence).toPython() == 0.9
    [evidence] = list(g.objects(statement, rns.PROV.wasDerivedFrom))
    assert g.value(evidence, CHIDAO.line).toPython() == 7
    assert str(g.value(evidence, rns.PROV.value)) == "57-NQ/TW"
    assert str(g.value(g.value(evidence, rns.PROV.wasQuotedFrom), CHIDAO.fileName)) == FILE


def test_task_is_a_plan_step_with_roles_and_an_owl_time_deadline(tiny_store: EmbeddedStore) -> None:
    g = store_to_graph(tiny_store)
    task, plan = iri("task:doc:667/KH-UBND@Ngọk Bay#II.1"), iri("doc:667/KH-UBND@Ngọk Bay")
    assert (task, PPLAN.isStepOfPlan, plan) in g
    [activity] = list(g.subjects(PPLAN.correspondsToStep, task))
    roles = {g.value(a, rns.PROV.agent): g.value(a, rns.PROV.hadRole)
             for a in g.objects(activity, rns.PROV.qualifiedAssociation)}
    assert roles == {iri("agency:Công an xã@Ngọk Bay"): CHIDAO.LeadRole,
                     iri("agency:Sở Nội vụ@Quảng Ngãi"): CHIDAO.SupportRole}
    assert all((a, rns.PROV.hadPlan, plan) in g for a in g.objects(activity, rns.PROV.qualifiedAssociation))
    deadline = g.value(task, CHIDAO.deadline)
    assert (deadline, RDF.type, rns.TIME.ProperInterval) in g
    assert str(g.value(deadline, RDFS_LABEL)) == "Quý IV/2025"
    begin, end = g.value(deadline, rns.TIME.hasBeginning), g.value(deadline, rns.TIME.hasEnd)
    assert str(g.value(begin, rns.TIME.inXSDDate)) == "2025-10-01"
    assert str(g.value(end, rns.TIME.inXSDDate)) == "2025-12-31"


RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.mark.parametrize(("kind", "value", "predicate", "lexical"), [
    ("date", "2025-12-31", rns.TIME.inXSDDate, "2025-12-31"),
    ("month", "2025-11", rns.TIME.inXSDgYearMonth, "2025-11"),
    ("year", "2026", rns.TIME.inXSDgYear, "2026"),
    ("recurring", None, None, None),
    ("date", "2025-02-30", None, None),  # impossible date: kept as text, no OWL-Time reading
])
def test_deadline_kinds(tmp_path, kind: str, value: str | None, predicate: URIRef | None,
                        lexical: str | None) -> None:
    contribution = tiny_contribution()
    contribution.nodes[2].props["deadline"] = {"kind": kind, "value": value}
    store = EmbeddedStore(tmp_path)
    store.write([contribution])
    g = store_to_graph(store)
    deadline = g.value(iri("task:doc:667/KH-UBND@Ngọk Bay#II.1"), CHIDAO.deadline)
    assert str(g.value(deadline, CHIDAO.deadlineKind)) == kind
    readings = {p for p in (rns.TIME.inXSDDate, rns.TIME.inXSDgYearMonth, rns.TIME.inXSDgYear)
                if g.value(deadline, p) is not None}
    assert readings == ({predicate} if predicate else set())
    if predicate:
        assert str(g.value(deadline, predicate)) == lexical


def test_sparql_follows_implementation_through_intermediate_plans(tmp_path) -> None:
    """commune plan → provincial plan → resolution: found only through the property path."""
    contribution = tiny_contribution()
    plan, directive = document_key("667/KH-UBND", "Ngọk Bay"), document_key("57-NQ/TW", "national")
    provincial = document_key("1-KH/BCĐ", "Quảng Ngãi")
    contribution.nodes.append(Node(provincial, DOCUMENT, {"id": "01-KH/BCĐ", "jurisdiction": "Quảng Ngãi",
                                                          "role": "Plan", "level": "province"}))
    implements = contribution.edges[0]
    contribution.edges[0] = Edge(plan, provincial, IMPLEMENTS, dict(implements.props))
    contribution.edges.append(Edge(provincial, directive, IMPLEMENTS, dict(implements.props)))
    store = EmbeddedStore(tmp_path)
    store.write([contribution])
    g = store_to_graph(store)
    assert (iri(plan), ELI.ensures_implementation_of, iri(directive)) not in g
    assert commune_plans_implementing(g, "57-NQ/TW") == [("Ngọk Bay", iri(plan))]
    assert commune_plans_implementing(g, "01-KH/BCĐ") == []  # not national


def validate(graph: Graph) -> tuple[bool, str]:
    pyshacl = pytest.importorskip("pyshacl", reason="pyshacl is a dev dependency: pip install -e '.[dev]'")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=Graph().parse(SHAPES_FILE), inference="none")
    return conforms, text


def copy(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(triple)
    return out


def test_tiny_export_conforms_to_the_shapes(tiny_store: EmbeddedStore) -> None:
    conforms, text = validate(store_to_graph(tiny_store))
    assert conforms, text


@pytest.mark.parametrize("breakage", ["no eli super-property", "statement not asserted", "no plan",
                                      "confidence above 1", "unknown role", "deadline kind"])
def test_shapes_reject_a_broken_export(tiny_store: EmbeddedStore, breakage: str) -> None:
    g = copy(store_to_graph(tiny_store))
    plan, task = iri("doc:667/KH-UBND@Ngọk Bay"), iri("task:doc:667/KH-UBND@Ngọk Bay#II.1")
    if breakage == "no eli super-property":
        g.remove((plan, ELI.ensures_implementation_of, None))
    elif breakage == "statement not asserted":
        g.remove((plan, CHIDAO.implements, None))
    elif breakage == "no plan":
        g.remove((task, PPLAN.isStepOfPlan, None))
    elif breakage == "confidence above 1":
        statement = next(g.subjects(RDF.subject, plan))
        g.set((statement, CHIDAO.confidence, Literal(1.5)))
    elif breakage == "unknown role":
        association = next(g.subjects(rns.PROV.hadRole, CHIDAO.LeadRole))
        g.set((association, rns.PROV.hadRole, CHIDAO.BossRole))
    elif breakage == "deadline kind":
        g.set((g.value(task, CHIDAO.deadline), CHIDAO.deadlineKind, Literal("soon")))
    assert not validate(g)[0]


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_tiny_round_trip(tiny_store: EmbeddedStore, tmp_path, fmt: str) -> None:
    from queries.rdf_import import import_rdf

    path = tmp_path / f"export.{fmt}"
    path.write_text(export_rdf(tiny_store, fmt), encoding="utf-8")
    again = EmbeddedStore(tmp_path / "again")
    import_rdf(again, path)
    assert snapshot(again) == snapshot(tiny_store)


def snapshot(store) -> tuple:
    nodes = {n.key: (n.kind, n.props) for n in store.nodes()}
    edges = sorted((e.src, e.type, e.dst, json.dumps(e.props, sort_keys=True, ensure_ascii=False))
                   for key in nodes for e in store.edges_out(key))
    return nodes, edges, store.source_files()


def test_export_is_deterministic(tiny_store: EmbeddedStore, tmp_path) -> None:
    other = EmbeddedStore(tmp_path / "other")
    other.write([tiny_contribution()])
    assert export_rdf(tiny_store, "ttl") == export_rdf(other, "ttl")


def test_unknown_format_is_a_clear_error(tiny_store: EmbeddedStore) -> None:
    with pytest.raises(ExportError, match="unknown RDF format 'xml'"):
        export_rdf(tiny_store, "xml")


def test_import_of_foreign_rdf_is_a_clear_error() -> None:
    g = Graph()
    g.add((URIRef("http://example.org/a"), RDF.type, URIRef("http://example.org/B")))
    with pytest.raises(RdfImportError, match="no chidao nodes"):
        graph_elements(g)


PREFIXES = """@prefix chidao: <https://chidao.example/ns#> .
@prefix prop: <https://chidao.example/ns/prop#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize(("body", "message"), [
    ("<a> <b> .", "not valid turtle"),
    ("", "no chidao nodes"),
    ('<http://x/d> chidao:key "doc:1/KH-UBND@X" .', "has no chidao node class"),
    ('<http://x/d> a eli:LegalResource ; chidao:key "doc:1/KH-UBND@X" ; '
     'prop:aliases "[unclosed"^^rdf:JSON .', "not a chidao export (JSONDecodeError"),
    ('<http://x/d> a eli:LegalResource ; chidao:key "doc:1/KH-UBND@X" ; prov:wasDerivedFrom <http://x/e> .'
     '<http://x/e> a chidao:Evidence ; chidao:line 3 .', "lacks its file, line or raw text"),
    ('<http://x/d> a eli:LegalResource ; chidao:key "doc:1/KH-UBND@X" ; prov:wasDerivedFrom <http://x/e> .'
     '<http://x/e> prov:value "r" ; chidao:line "three" ; prov:wasQuotedFrom <http://x/f> .'
     '<http://x/f> chidao:fileName "f.txt" .', "not a chidao export (ValueError"),
])
def test_bad_rdf_is_a_clear_error(tmp_path, body: str, message: str) -> None:
    from queries.rdf_import import import_rdf

    path = tmp_path / "bad.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    with pytest.raises(RdfImportError, match=re.escape(message)) as caught:
        import_rdf(EmbeddedStore(tmp_path / "store"), path)
    assert str(caught.value).startswith(str(path))
