"""The RDF export and import run unchanged on the Neo4j store: the samples exported from the
embedded store, imported into Neo4j and exported again give the same Turtle, byte for byte."""

from __future__ import annotations

from pathlib import Path

from queries.rdf_export import export_rdf
from queries.rdf_import import import_rdf
from tests.test_rdf_samples import build_store


def test_neo4j_round_trip(neo4j_store, tmp_path: Path) -> None:
    embedded = build_store("gold", tmp_path / "embedded")
    turtle = export_rdf(embedded, "ttl")
    path = tmp_path / "samples.ttl"
    path.write_text(turtle, encoding="utf-8")
    nodes, edges = import_rdf(neo4j_store, path)
    assert nodes == len(list(embedded.nodes())) and edges > 0
    assert sorted(neo4j_store.source_files()) == sorted(embedded.source_files())
    assert export_rdf(neo4j_store, "ttl") == turtle
