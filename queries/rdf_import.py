"""Read an RDF export (Turtle or JSON-LD) back into a chidao store.

The inverse of `queries.rdf_export`: nodes are the subjects carrying `chidao:key`, their kind
comes from their class (eli:LegalResource, p-plan:Step, org:Organization, chidao:Place), their
properties from the predicates of `NODE_PROPS` and the generic `prop:` ones; edges are the
`rdf:Statement`s (with confidence and evidence) and, for RDF written by other tools, plain triples
between two keyed nodes in a known predicate. Derived statements (the ELI super-property, the PROV
qualified associations, OWL-Time readings, jurisdiction concepts) are not read back: they follow
from the rest.

Each node goes into the contribution of every source file in its `sources` property and each
edge into exactly one, so writing the contributions into an empty store rebuilds the same merged
graph (the store merges repeated nodes and concatenates the evidence of repeated edges).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any
from urllib.parse import unquote

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.exceptions import ParserError
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node as RdfNode

from graph.model import IMPLEMENTS, PART_OF, Contribution, Edge, Node
from graph.store import GraphStore
from queries.rdf_export import (
    CHIDAO,
    EDGE_PREDICATES,
    ELI,
    FORMATS,
    GENERIC_EDGE,
    JURISDICTION_PREDICATE,
    KIND_CLASS,
    NODE_PROPS,
    PART_OF_PREDICATES,
    PROP,
)

_NUMERIC = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger, XSD.double,
            XSD.float, XSD.decimal, XSD.boolean}
_KIND_OF_CLASS = {cls: kind for kind, cls in KIND_CLASS.items()}
_EDGE_TYPE_OF = {predicate: edge_type for edge_type, predicate in EDGE_PREDICATES.items()}
_EDGE_TYPE_OF.update({predicate: PART_OF for predicate in PART_OF_PREDICATES.values()})
_EDGE_TYPE_OF[DCTERMS.isPartOf] = PART_OF
#: plain-triple readings only (an export's statements name the primary predicate)
_PLAIN_EDGE_TYPE_OF = {**_EDGE_TYPE_OF, ELI.ensures_implementation_of: IMPLEMENTS}
_JURISDICTION_PREDICATES = set(JURISDICTION_PREDICATE.values())


class RdfImportError(ValueError):
    """The RDF cannot be read or does not describe a chidao graph."""


def parse_rdf(path: FilePath, fmt: str | None = None) -> Graph:
    """Parse a Turtle or JSON-LD file; the format defaults from the suffix (.ttl, .jsonld)."""
    name = fmt or path.suffix.lstrip(".").lower()
    if name == "json":
        name = "jsonld"
    if name not in FORMATS:
        raise RdfImportError(f"{path}: unknown RDF format {name!r}; use .ttl or .jsonld (or --format)")
    graph = Graph()
    try:
        graph.parse(path, format=FORMATS[name])
    except (ParserError, SyntaxError, ValueError, json.JSONDecodeError) as exc:
        raise RdfImportError(f"{path}: not valid {FORMATS[name]}: {exc}") from exc
    except OSError as exc:
        raise RdfImportError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return graph


def python_value(value: RdfNode) -> Any:
    """The Python value a literal was written from (see `rdf_export.literal`)."""
    if not isinstance(value, Literal):
        return str(value)
    if value.datatype == RDF.JSON:
        return json.loads(str(value))
    if value.datatype in _NUMERIC:
        return value.toPython()
    return str(value)


class RdfReader:
    """Nodes and edges of one parsed export."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.keys: dict[RdfNode, str] = {s: str(o) for s, o in graph.subject_objects(CHIDAO.key)}

    def nodes(self) -> list[Node]:
        return [self.node(subject, key) for subject, key in sorted(self.keys.items(), key=lambda i: i[1])]

    def node(self, subject: RdfNode, key: str) -> Node:
        kind = self.kind(subject, key)
        names = {predicate: name for name, predicate in NODE_PROPS.get(kind, {}).items()}
        props: dict[str, Any] = {}
        for predicate, value in self.graph.predicate_objects(subject):
            if predicate in names:
                props[names[predicate]] = python_value(value)
            elif predicate in _JURISDICTION_PREDICATES:
                props["jurisdiction"] = self.jurisdiction(value)
            elif predicate == CHIDAO.deadline:
                props["deadline"] = self.deadline(value)
            else:
                self.read_common(subject, predicate, value, props)
        return Node(key, kind, props)

    def kind(self, subject: RdfNode, key: str) -> str:
        for cls in self.graph.objects(subject, RDF.type):
            if cls in _KIND_OF_CLASS:
                return _KIND_OF_CLASS[cls]
        for cls in self.graph.objects(subject, RDF.type):
            if isinstance(cls, URIRef) and str(cls).startswith(str(CHIDAO)):
                return str(cls)[len(str(CHIDAO)):]
        raise RdfImportError(f"node {key!r} has no chidao node class (Document, Task, Agency, Place)")

    def read_common(self, subject: RdfNode, predicate: RdfNode, value: RdfNode,
                    props: dict[str, Any]) -> None:
        """Properties nodes and statements share: null markers, evidence, generic `prop:`."""
        if predicate == CHIDAO.unset:
            props[str(value)] = None
        elif predicate == CHIDAO.evidenceList:
            props["evidence"] = [self.evidence(item) for item in Collection(self.graph, value)]
        elif predicate == PROV.wasDerivedFrom and "evidence" not in props \
                and (subject, CHIDAO.evidenceList, None) not in self.graph:
            props["evidence"] = sorted((self.evidence(item) for item in
                                        self.graph.objects(subject, PROV.wasDerivedFrom)),
                                       key=lambda e: (e["file"], e["line"], e["raw"]))
        elif isinstance(predicate, URIRef) and str(predicate).startswith(str(PROP)):
            props[unquote(str(predicate)[len(str(PROP)):])] = python_value(value)

    def evidence(self, item: RdfNode) -> dict[str, Any]:
        g = self.graph
        source = g.value(item, PROV.wasQuotedFrom)
        file = g.value(source, CHIDAO.fileName) if source is not None else None
        line, raw = g.value(item, CHIDAO.line), g.value(item, PROV.value)
        if file is None or line is None or raw is None:
            raise RdfImportError(f"evidence {item} lacks its file, line or raw text")
        return {"file": str(file), "line": int(line.toPython()), "raw": str(raw)}

    def jurisdiction(self, concept: RdfNode) -> str:
        label = self.graph.value(concept, SKOS.prefLabel)
        return str(label) if label is not None else unquote(str(concept).rsplit("/", 1)[-1])

    def deadline(self, entity: RdfNode) -> dict[str, Any]:
        kind = self.graph.value(entity, CHIDAO.deadlineKind)
        value = self.graph.value(entity, CHIDAO.deadlineValue)
        return {"kind": str(kind) if kind is not None else "none",
                "value": str(value) if value is not None else None}

    def edges(self) -> list[Edge]:
        found: dict[tuple[str, str, str], Edge] = {}
        for statement in self.graph.subjects(RDF.type, RDF.Statement):
            edge = self.statement_edge(statement)
            if edge:
                found[(edge.src, edge.dst, edge.type)] = edge
        for edge in self.plain_edges():
            found.setdefault((edge.src, edge.dst, edge.type), edge)
        return sorted(found.values(), key=lambda e: (e.src, e.type, e.dst))

    def statement_edge(self, statement: RdfNode) -> Edge | None:
        g = self.graph
        src = self.keys.get(g.value(statement, RDF.subject))
        dst = self.keys.get(g.value(statement, RDF.object))
        edge_type = self.edge_type(g.value(statement, RDF.predicate), _EDGE_TYPE_OF)
        if src is None or dst is None or edge_type is None:
            return None
        props: dict[str, Any] = {}
        for predicate, value in g.predicate_objects(statement):
            if predicate == CHIDAO.confidence:
                props["confidence"] = python_value(value)
            else:
                self.read_common(statement, predicate, value, props)
        return Edge(src, dst, edge_type, props)

    def plain_edges(self) -> Iterator[Edge]:
        for subject, src in self.keys.items():
            for predicate, value in self.graph.predicate_objects(subject):
                dst = self.keys.get(value)
                edge_type = self.edge_type(predicate, _PLAIN_EDGE_TYPE_OF) if dst else None
                if dst and edge_type:
                    yield Edge(src, dst, edge_type, {})

    @staticmethod
    def edge_type(predicate: RdfNode | None, table: dict[URIRef, str]) -> str | None:
        if predicate in table:
            return table[predicate]  # type: ignore[index]
        if isinstance(predicate, URIRef) and str(predicate).startswith(str(GENERIC_EDGE)):
            return unquote(str(predicate)[len(str(GENERIC_EDGE)):])
        return None


def graph_elements(graph: Graph) -> tuple[list[Node], list[Edge]]:
    reader = RdfReader(graph)
    if not reader.keys:
        raise RdfImportError("no chidao nodes (subjects with chidao:key) in the RDF")
    return reader.nodes(), reader.edges()


def contributions(nodes: list[Node], edges: list[Edge], fallback: str) -> list[Contribution]:
    """One contribution per source file: a node in each file of its `sources`, an edge in one
    file that holds both its ends (a store keeps an edge only from a file that states both),
    preferring a file its evidence quotes; nodes without `sources` go to `fallback`."""
    by_file: dict[str, Contribution] = {}
    files_of: dict[str, list[str]] = {}
    for node in nodes:
        files = [f for f in node.props.get("sources") or [] if isinstance(f, str)] or [fallback]
        files_of[node.key] = files
        for file in files:
            by_file.setdefault(file, Contribution(file)).nodes.append(node)
    for edge in edges:
        src_files = files_of.get(edge.src, [fallback])
        files = [f for f in src_files if f in files_of.get(edge.dst, [fallback])] or src_files
        quoted = {str(e.get("file")) for e in edge.props.get("evidence") or [] if isinstance(e, dict)}
        file = next((f for f in files if f in quoted or FilePath(f).name in quoted), files[0])
        by_file.setdefault(file, Contribution(file)).edges.append(edge)
    return [by_file[name] for name in sorted(by_file)]


def import_rdf(store: GraphStore, path: FilePath, fmt: str | None = None) -> tuple[int, int]:
    """Write the graph of an RDF export into `store`; returns (nodes, edges) read."""
    graph = parse_rdf(path, fmt)
    try:
        nodes, edges = graph_elements(graph)
    except RdfImportError as exc:
        raise RdfImportError(f"{path}: {exc}") from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise RdfImportError(f"{path}: not a chidao export ({exc.__class__.__name__}: {exc})") from exc
    store.write(contributions(nodes, edges, fallback=path.name))
    return len(nodes), len(edges)
