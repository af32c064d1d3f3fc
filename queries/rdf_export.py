"""Export a chidao graph as RDF (Turtle or JSON-LD) in standard vocabularies.

Mapping (details and examples in docs/rdf.md):

- Document → `eli:LegalResource` (`chidao:Directive` / `chidao:Plan` by role), `eli:id_local`,
  `eli:date_document`, `eli:title`, `eli:jurisdiction` (a SKOS concept), `eli:passed_by` (ISSUED_BY);
  IMPLEMENTS → `chidao:implements` and its ELI super-property `eli:ensures_implementation_of`
  (both written, so SPARQL without inference sees the ELI one), BASED_ON → `eli:based_on`,
  AMENDS → `eli:amends`, CITES → `eli:cites`.
- Agency (cơ quan, đơn vị) → `org:Organization` and `prov:Agent`; PART_OF between agencies →
  `org:subOrganizationOf`; LOCATED_IN → `dcterms:spatial`.
- Place → `chidao:Place`, `skos:notation` = its 2025 administrative unit code when known.
- Task (nhiệm vụ) → `p-plan:Step` of its plan (`p-plan:isStepOfPlan`); its execution is a
  `p-plan:Activity` (`prov:Activity`) whose `prov:qualifiedAssociation`s name the lead (chủ trì,
  `chidao:LeadRole`) and supporting (phối hợp, `chidao:SupportRole`) units; the deadline is an
  OWL-Time entity (`time:Instant` with `time:inXSDDate` / `inXSDgYearMonth` / `inXSDgYear`, or a
  `time:ProperInterval` for a quarter) keeping the printed text as its `rdfs:label`.

Evidence — why reification: every edge carries a confidence and the places (file, line, raw OCR
text) it was read from. rdflib 7 cannot parse or serialise RDF-star (Turtle-star `<< s p o >>`
is a syntax error) and JSON-LD 1.1 has no quoted triples, so each edge is written once as a plain
triple and once as an `rdf:Statement` (rdf:subject / rdf:predicate / rdf:object) that carries
`chidao:confidence` and `prov:wasDerivedFrom` → `chidao:Evidence` (line, `prov:value` = raw text,
`prov:wasQuotedFrom` → the `chidao:SourceFile`). Node-level evidence hangs on the node itself.

IRIs are derived from node keys (graph/model.py), hence from the canonical identity: under the
base `https://chidao.example/id/` (the reserved `.example` domain: replace it when publishing),
`doc:57-NQ/TW@national` → `doc/national/57-NQ_TW`, each segment NFC and percent-encoded, `/` of an
id written `_` (a literal `_` is `%5F`), so the mapping is deterministic and one-to-one.

Every node property survives the trip: a property without a standard term is written with a
`https://chidao.example/ns/prop#NAME` predicate (lists and mappings as `rdf:JSON` literals) and a
null value as `chidao:unset "NAME"`, so `queries.rdf_import` rebuilds the same graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, SKOS, TIME

from graph.model import (
    AGENCY,
    AMENDS,
    BASED_ON,
    CARRIES_OUT,
    CITES,
    COUNTERPART_OF,
    DOCUMENT,
    IMPLEMENTS,
    ISSUED_BY,
    LED_BY,
    LOCATED_IN,
    PART_OF,
    PLACE,
    SUPPORTED_BY,
    TASK,
    Edge,
    Node,
)
from graph.store import GraphStore

BASE = "https://chidao.example/id/"
CHIDAO = Namespace("https://chidao.example/ns#")
PROP = Namespace("https://chidao.example/ns/prop#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PPLAN = Namespace("http://purl.org/net/p-plan#")
VOCABULARY_FILE = FilePath(__file__).parent / "data" / "chidao.ttl"
SHAPES_FILE = FilePath(__file__).parent / "data" / "shapes.ttl"
EU_VIETNAM = URIRef("http://publications.europa.eu/resource/authority/country/VNM")
NATIONAL = "national"

FORMATS = {"ttl": "turtle", "turtle": "turtle", "jsonld": "json-ld", "json-ld": "json-ld"}

#: the class that marks each node kind (an import reads the kind back from it)
KIND_CLASS = {DOCUMENT: ELI.LegalResource, TASK: PPLAN.Step, AGENCY: ORG.Organization,
              PLACE: CHIDAO.Place}
ROLE_CLASSES = {"Directive": (CHIDAO.Directive,), "Plan": (CHIDAO.Plan, PPLAN.Plan, PROV.Plan)}

#: scalar properties with a standard (or chidao) term, per node kind
NODE_PROPS: dict[str, dict[str, URIRef]] = {
    DOCUMENT: {"id": ELI.id_local, "date": ELI.date_document, "title": ELI.title,
               "type": CHIDAO.documentType, "issuer": CHIDAO.issuerName, "level": CHIDAO.level,
               "province": CHIDAO.province, "role": CHIDAO.role, "confidence": CHIDAO.confidence},
    TASK: {"text": DCTERMS.description, "section": CHIDAO.section, "number": CHIDAO.number,
           "deadline_raw": CHIDAO.deadlineRaw, "line": CHIDAO.line, "confidence": CHIDAO.confidence},
    AGENCY: {"name": SKOS.prefLabel, "level": CHIDAO.level, "confidence": CHIDAO.confidence},
    PLACE: {"name": SKOS.prefLabel, "level": CHIDAO.level, "code": SKOS.notation,
            "province": CHIDAO.province},
}
#: properties holding Vietnamese prose, tagged @vi
VIETNAMESE_TEXT = {"title", "text", "name", "issuer", "type", "deadline_raw"}
#: jurisdiction links to a SKOS concept; for documents through ELI
JURISDICTION_PREDICATE = {DOCUMENT: ELI.jurisdiction, AGENCY: CHIDAO.jurisdiction,
                          TASK: CHIDAO.jurisdiction, PLACE: CHIDAO.jurisdiction}

#: edge type → predicate; PART_OF depends on the kinds it joins (see `edge_predicate`)
EDGE_PREDICATES = {IMPLEMENTS: CHIDAO.implements, BASED_ON: ELI.based_on, AMENDS: ELI.amends,
                   CITES: ELI.cites, ISSUED_BY: ELI.passed_by, LED_BY: CHIDAO.ledBy,
                   SUPPORTED_BY: CHIDAO.supportedBy, LOCATED_IN: DCTERMS.spatial,
                   CARRIES_OUT: CHIDAO.carriesOut, COUNTERPART_OF: CHIDAO.counterpartOf}
PART_OF_PREDICATES = {TASK: PPLAN.isStepOfPlan, AGENCY: ORG.subOrganizationOf}
#: predicates written alongside the primary one, for consumers without inference
SUPER_PREDICATES = {CHIDAO.implements: ELI.ensures_implementation_of}
ROLES = {LED_BY: CHIDAO.LeadRole, SUPPORTED_BY: CHIDAO.SupportRole}
GENERIC_EDGE = Namespace("https://chidao.example/ns/edge#")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"\d{4}")
_EVIDENCE_KEYS = {"file", "line", "raw"}


class ExportError(ValueError):
    """The graph cannot be written as RDF (e.g. two keys give one IRI)."""


# --- IRIs ------------------------------------------------------------------------------------

def segment(text: str) -> str:
    """One percent-encoded IRI path segment (NFC first, so equal text gives equal IRIs)."""
    return quote(unicodedata.normalize("NFC", str(text)), safe="")


def id_segment(doc_id: str) -> str:
    """A document id as a segment: `57-NQ/TW` → `57-NQ_TW`; a literal `_` becomes `%5F`."""
    encoded = quote(unicodedata.normalize("NFC", doc_id), safe="/")
    return encoded.replace("_", "%5F").replace("/", "_")


def document_path(key: str) -> str | None:
    """`doc:{id}@{jurisdiction}[#year]` → `doc/{jurisdiction}/{id}[/{year}]`."""
    rest = key.removeprefix("doc:")
    if rest.startswith("file:"):
        return f"docfile/{segment(rest.removeprefix('file:'))}"
    rest, _, year = rest.partition("#")
    doc_id, at, jurisdiction = rest.rpartition("@")
    if not at or not doc_id:
        return None
    path = f"doc/{segment(jurisdiction)}/{id_segment(doc_id)}"
    return f"{path}/{segment(year)}" if year else path


def key_path(key: str) -> str:
    """The IRI path (below the base) of a node key; unknown shapes fall back to `node/{key}`."""
    path: str | None = None
    if key.startswith("doc:"):
        path = document_path(key)
    elif key.startswith("task:"):
        doc_key, sep, local = key.removeprefix("task:").rpartition("#")
        doc = document_path(doc_key) if sep and doc_key.startswith("doc:") else None
        path = f"{doc}/task/{segment(local)}" if doc else None
    elif key.startswith("agency:"):
        name, at, jurisdiction = key.removeprefix("agency:").rpartition("@")
        path = f"agency/{segment(jurisdiction)}/{segment(name)}" if at and name else None
    elif key.startswith("place:"):
        level, colon, name = key.removeprefix("place:").partition(":")
        name, at, parent = name.rpartition("@") if "@" in name else (name, "", "")
        if colon and name:
            path = f"place/{segment(level)}/" + (f"{segment(parent)}/" if at else "") + segment(name)
    return path or f"node/{segment(key)}"


def node_iri(key: str, base: str = BASE) -> URIRef:
    return URIRef(base + key_path(key))


def jurisdiction_iri(name: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}jurisdiction/{segment(name)}")


def file_iri(name: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}file/{segment(name)}")


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def evidence_iri(item: dict[str, Any], base: str = BASE) -> URIRef:
    return URIRef(f"{base}evidence/{segment(item['file'])}/{int(item['line'])}/{_digest(item['raw'])}")


def statement_iri(edge: Edge, base: str = BASE) -> URIRef:
    return URIRef(f"{base}statement/{_digest(edge.src, edge.type, edge.dst)}")


# --- literals --------------------------------------------------------------------------------

def literal(name: str, value: Any, predicate: URIRef) -> Literal:
    """A literal that gives back the same Python value on import (see `rdf_import.python_value`)."""
    if isinstance(value, bool | int | float):
        return Literal(value)
    if isinstance(value, str):
        if predicate == ELI.date_document and is_iso_date(value):
            return Literal(value, datatype=XSD.date)
        return Literal(value, lang="vi") if name in VIETNAMESE_TEXT else Literal(value)
    return Literal(json.dumps(value, ensure_ascii=False, sort_keys=True), datatype=RDF.JSON)


def is_iso_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_evidence_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and set(item) == _EVIDENCE_KEYS and isinstance(item["line"], int)
        and isinstance(item["file"], str) and isinstance(item["raw"], str) for item in value)


def is_deadline(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"kind", "value"} and isinstance(value["kind"], str) \
        and (value["value"] is None or isinstance(value["value"], str))


# --- the graph -------------------------------------------------------------------------------

class RdfWriter:
    """Builds one rdflib Graph from nodes and edges; one method per kind of statement."""

    def __init__(self, nodes: Iterable[Node], edges: Iterable[Edge], base: str = BASE):
        self.base = base
        self.nodes = {node.key: node for node in nodes}
        self.edges = list(edges)
        self.graph = new_graph(base)
        self.iris: dict[str, URIRef] = {}
        self.plans_of: dict[str, list[str]] = {}
        for edge in self.edges:
            if edge.type == PART_OF:
                self.plans_of.setdefault(edge.src, []).append(edge.dst)

    def build(self) -> Graph:
        self._assign_iris()
        for node in self.nodes.values():
            self.add_node(node)
        for edge in self.edges:
            self.add_edge(edge)
        return self.graph

    def _assign_iris(self) -> None:
        seen: dict[URIRef, str] = {}
        for key in sorted(self.nodes):
            iri = node_iri(key, self.base)
            if iri in seen:
                raise ExportError(f"nodes {seen[iri]!r} and {key!r} give the same IRI {iri}")
            seen[iri] = key
            self.iris[key] = iri

    def iri(self, key: str) -> URIRef:
        return self.iris.get(key) or node_iri(key, self.base)

    # nodes

    def add_node(self, node: Node) -> None:
        g, subject = self.graph, self.iri(node.key)
        g.add((subject, CHIDAO.key, Literal(node.key)))
        g.add((subject, RDF.type, KIND_CLASS.get(node.kind, CHIDAO[node.kind])))
        if node.kind == AGENCY:
            g.add((subject, RDF.type, PROV.Agent))
        if node.kind == PLACE:
            g.add((subject, RDF.type, SKOS.Concept))
            self.add_admin_unit(node, subject)
        for name, value in sorted(node.props.items()):
            self.add_property(node, subject, name, value)

    def add_property(self, node: Node, subject: URIRef, name: str, value: Any) -> None:
        g = self.graph
        if value is None:
            g.add((subject, CHIDAO.unset, Literal(name)))
        elif name == "evidence" and is_evidence_list(value):
            self.add_evidence(subject, value)
        elif name == "jurisdiction" and isinstance(value, str):
            g.add((subject, JURISDICTION_PREDICATE.get(node.kind, CHIDAO.jurisdiction),
                   self.jurisdiction(value)))
        elif name == "deadline" and node.kind == TASK and is_deadline(value):
            self.add_deadline(node, subject, value)
        else:
            predicate = NODE_PROPS.get(node.kind, {}).get(name, PROP[quote(name, safe="")])
            g.add((subject, predicate, literal(name, value, predicate)))
            if node.kind == DOCUMENT and name == "role":
                for cls in ROLE_CLASSES.get(value, ()):
                    g.add((subject, RDF.type, cls))

    def add_admin_unit(self, node: Node, subject: URIRef) -> None:
        """Link a place to its 2025 administrative unit (code list of `vietnam-provinces`): the
        node's `code` when the builder set one, else the unit its name resolves to."""
        unit = admin_unit(node)
        if unit is None:
            return
        code, name = unit
        g, concept = self.graph, URIRef(f"{self.base}unit2025/{segment(code)}")
        g.add((subject, CHIDAO.adminUnit, concept))
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, CHIDAO.AdministrativeUnits2025))
        g.add((concept, SKOS.notation, Literal(code, datatype=CHIDAO.AdminUnitCode2025)))
        g.add((concept, SKOS.prefLabel, Literal(name, lang="vi")))

    def jurisdiction(self, name: str) -> URIRef:
        g, concept = self.graph, jurisdiction_iri(name, self.base)
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, CHIDAO.Jurisdictions))
        g.add((concept, SKOS.prefLabel, Literal(name)))
        if name == NATIONAL:
            g.add((concept, SKOS.exactMatch, EU_VIETNAM))
        return concept

    def add_evidence(self, subject: URIRef, items: list[dict[str, Any]]) -> None:
        """`prov:wasDerivedFrom` each quotation; `chidao:evidenceList` keeps their order and
        repeats, which a set of triples cannot."""
        g = self.graph
        collection = BNode()
        Collection(g, collection, [evidence_iri(item, self.base) for item in items])
        g.add((subject, CHIDAO.evidenceList, collection))
        for item in items:
            evidence, source = evidence_iri(item, self.base), file_iri(item["file"], self.base)
            g.add((subject, PROV.wasDerivedFrom, evidence))
            g.add((evidence, RDF.type, CHIDAO.Evidence))
            g.add((evidence, PROV.value, Literal(item["raw"])))
            g.add((evidence, CHIDAO.line, Literal(int(item["line"]))))
            g.add((evidence, PROV.wasQuotedFrom, source))
            g.add((source, RDF.type, CHIDAO.SourceFile))
            g.add((source, CHIDAO.fileName, Literal(item["file"])))

    def add_deadline(self, node: Node, subject: URIRef, deadline: dict[str, Any]) -> None:
        g, entity = self.graph, URIRef(f"{subject}/deadline")
        kind, value = deadline["kind"], deadline["value"]
        g.add((subject, CHIDAO.deadline, entity))
        g.add((entity, RDF.type, TIME.TemporalEntity))
        g.add((entity, CHIDAO.deadlineKind, Literal(kind)))
        if value is not None:
            g.add((entity, CHIDAO.deadlineValue, Literal(value)))
            self.add_time_value(entity, kind, value)
        raw = node.props.get("deadline_raw")
        if isinstance(raw, str) and raw:
            g.add((entity, RDFS.label, Literal(raw, lang="vi")))

    def add_time_value(self, entity: URIRef, kind: str, value: str) -> None:
        """The OWL-Time reading of a normalised deadline; unreadable values stay text only."""
        g = self.graph
        if kind == "date" and is_iso_date(value):
            g.add((entity, RDF.type, TIME.Instant))
            g.add((entity, TIME.inXSDDate, Literal(value, datatype=XSD.date)))
        elif kind == "month" and _YEAR_MONTH.fullmatch(value):
            g.add((entity, RDF.type, TIME.Instant))
            g.add((entity, TIME.inXSDgYearMonth, Literal(value, datatype=XSD.gYearMonth)))
        elif kind == "year" and _YEAR.fullmatch(value):
            g.add((entity, RDF.type, TIME.Instant))
            g.add((entity, TIME.inXSDgYear, Literal(value, datatype=XSD.gYear)))
        elif kind == "quarter" and (match := _QUARTER.fullmatch(value)):
            self.add_quarter(entity, int(match[1]), int(match[2]))

    def add_quarter(self, entity: URIRef, year: int, quarter: int) -> None:
        g = self.graph
        first = dt.date(year, 3 * quarter - 2, 1)
        after = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        g.add((entity, RDF.type, TIME.ProperInterval))
        for predicate, suffix, day in ((TIME.hasBeginning, "begin", first),
                                       (TIME.hasEnd, "end", after - dt.timedelta(days=1))):
            instant = URIRef(f"{entity}/{suffix}")
            g.add((entity, predicate, instant))
            g.add((instant, RDF.type, TIME.Instant))
            g.add((instant, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date)))

    # edges

    def edge_predicate(self, edge: Edge) -> URIRef:
        if edge.type == PART_OF:
            src = self.nodes.get(edge.src)
            return PART_OF_PREDICATES.get(src.kind if src else "", DCTERMS.isPartOf)
        return EDGE_PREDICATES.get(edge.type, GENERIC_EDGE[quote(edge.type, safe="")])

    def add_edge(self, edge: Edge) -> None:
        g = self.graph
        src, dst, predicate = self.iri(edge.src), self.iri(edge.dst), self.edge_predicate(edge)
        g.add((src, predicate, dst))
        if predicate in SUPER_PREDICATES:
            g.add((src, SUPER_PREDICATES[predicate], dst))
        statement = statement_iri(edge, self.base)
        g.add((statement, RDF.type, RDF.Statement))
        g.add((statement, RDF.subject, src))
        g.add((statement, RDF.predicate, predicate))
        g.add((statement, RDF.object, dst))
        for name, value in sorted(edge.props.items()):
            self.add_edge_property(statement, name, value)
        if edge.type in ROLES:
            self.add_association(edge, src, dst)

    def add_edge_property(self, statement: URIRef, name: str, value: Any) -> None:
        if value is None:
            self.graph.add((statement, CHIDAO.unset, Literal(name)))
        elif name == "evidence" and is_evidence_list(value):
            self.add_evidence(statement, value)
        else:
            predicate = CHIDAO.confidence if name == "confidence" else PROP[quote(name, safe="")]
            self.graph.add((statement, predicate, literal(name, value, predicate)))

    def add_association(self, edge: Edge, task: URIRef, agency: URIRef) -> None:
        """PROV's qualified form of a lead/support edge: the task's execution was associated
        with the unit in the role chủ trì or phối hợp, following the plan the task is a step of."""
        g, activity = self.graph, URIRef(f"{task}/execution")
        association = URIRef(f"{activity}/association/{_digest(edge.type, edge.dst)}")
        g.add((activity, RDF.type, PPLAN.Activity))
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, PPLAN.correspondsToStep, task))
        g.add((activity, PROV.wasAssociatedWith, agency))
        g.add((activity, PROV.qualifiedAssociation, association))
        g.add((association, RDF.type, PROV.Association))
        g.add((association, PROV.agent, agency))
        g.add((association, PROV.hadRole, ROLES[edge.type]))
        for plan in self.plans_of.get(edge.src, ()):
            g.add((association, PROV.hadPlan, self.iri(plan)))


def admin_unit(node: Node) -> tuple[str, str] | None:
    """(code, official name) of a Place among the 2025 units, or None when unknown."""
    name, level = node.props.get("name"), node.props.get("level")
    code = node.props.get("code")
    if code not in (None, ""):
        return str(code), str(name or code)
    if not isinstance(name, str) or level not in ("province", "commune"):
        return None
    province = node.props.get("province")
    return _resolve_unit(name, level, province if isinstance(province, str) else None)


@lru_cache(maxsize=4096)
def _resolve_unit(name: str, level: str, province: str | None) -> tuple[str, str] | None:
    from ingest import places

    found = places.resolve_province(name) if level == "province" else places.resolve_commune(name, province)
    if found is None or not found.code or found.successor or found.level != level:
        return None
    return found.code, found.name


#: communes whose plans ensure the implementation of a national document, directly or through
#: other documents (the property path `+`); `?wantedId` is bound to the id as printed
COMMUNE_PLANS_QUERY = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX chidao: <https://chidao.example/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?commune ?plan WHERE {
    ?target eli:id_local ?wantedId ; eli:jurisdiction/skos:prefLabel "national" .
    ?plan a chidao:Plan ;
          chidao:level "commune" ;
          eli:jurisdiction/skos:prefLabel ?commune ;
          eli:ensures_implementation_of+ ?target .
}"""


def commune_plans_implementing(graph: Graph, doc_id: str) -> list[tuple[str, URIRef]]:
    """(commune, plan IRI) for every commune plan under the national document `doc_id`."""
    rows = graph.query(COMMUNE_PLANS_QUERY, initBindings={"wantedId": Literal(doc_id)})
    return sorted((str(row.commune), row.plan) for row in rows)  # type: ignore[union-attr]


def new_graph(base: str = BASE) -> Graph:
    g = Graph(bind_namespaces="core")
    for prefix, namespace in (("chidao", CHIDAO), ("prop", PROP), ("eli", ELI), ("org", ORG),
                              ("prov", PROV), ("p-plan", PPLAN), ("time", TIME), ("skos", SKOS),
                              ("dcterms", DCTERMS), ("owl", OWL), ("id", Namespace(base))):
        g.bind(prefix, namespace)
    return g


def store_elements(store: GraphStore) -> tuple[list[Node], list[Edge]]:
    """Every node and every edge of a store, in a stable order."""
    nodes = sorted(store.nodes(), key=lambda n: n.key)
    edges = [edge for node in nodes for edge in store.edges_out(node.key)]
    edges.sort(key=lambda e: (e.src, e.type, e.dst))
    return nodes, edges


def store_to_graph(store: GraphStore, base: str = BASE) -> Graph:
    nodes, edges = store_elements(store)
    return RdfWriter(nodes, edges, base).build()


def serialize(graph: Graph, fmt: str) -> str:
    """Turtle or JSON-LD text; `fmt` is ttl, turtle, jsonld or json-ld."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown RDF format {fmt!r}; use one of: ttl, jsonld")
    if FORMATS[fmt] == "json-ld":
        return graph.serialize(format="json-ld", context=jsonld_context(graph), indent=1)
    return graph.serialize(format="turtle")


def jsonld_context(graph: Graph) -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in graph.namespaces()
            if prefix in {"chidao", "prop", "eli", "org", "prov", "p-plan", "time", "skos", "dcterms",
                          "rdf", "rdfs", "xsd", "owl"}}


def export_rdf(store: GraphStore, fmt: str = "ttl", base: str = BASE) -> str:
    """The whole graph as Turtle or JSON-LD text (what `GET /export.ttl|.jsonld` serves)."""
    return serialize(store_to_graph(store, base), fmt)


def write_rdf(store: GraphStore, path: FilePath, fmt: str = "ttl", base: str = BASE) -> int:
    """Write the export to `path`; returns the number of triples."""
    graph = store_to_graph(store, base)
    path.write_text(serialize(graph, fmt), encoding="utf-8")
    return len(graph)
