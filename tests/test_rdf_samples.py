"""RDF export of the five OCR'd samples: SHACL validation, evidence traceable to file and line,
round trip through Turtle and JSON-LD, the SPARQL lineage question, and the CLI.

The graph comes from the real pipeline (ingest.extract.extract_file → graph.build.build_contribution
→ EmbeddedStore.write) and, as a second source, from the hand annotations in ../shared/gold run
through the same builder; each source skips with the reason when it is not there."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import RDF, Graph

from chidao.cli import main
from graph.build import build_contribution, document_role, parse_id
from graph.embedded import EmbeddedStore
from graph.model import DOCUMENT, NATIONAL, PLAN, REFERENCE_TYPES, id_key_part
from ingest import extract
from ingest.text import fold
from queries.rdf_export import (
    CHIDAO,
    SHAPES_FILE,
    commune_plans_implementing,
    export_rdf,
    node_iri,
    statement_iri,
    store_to_graph,
)
from queries.rdf_import import import_rdf
from tests.test_rdf_export import snapshot

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
GOLD = ROOT.parent / "shared" / "gold"
SOURCES = ["extractor", "gold"]

def extractor_records() -> list[tuple[dict, str]]:
    return [(extract.extract_file(path), str(path)) for path in sorted(SAMPLES.glob("*.txt"))]


def gold_records() -> list[tuple[dict, str]]:
    files = sorted(GOLD.glob("*.json"))
    if not files:
        pytest.skip(f"no gold annotations at {GOLD}")
    return [(json.loads(path.read_text(encoding="utf-8")), path.name) for path in files]


def build_store(source: str, folder: Path) -> EmbeddedStore:
    records = extractor_records() if source == "extractor" else gold_records()
    store = EmbeddedStore(folder)
    store.write([build_contribution(record, source_file=name) for record, name in records])
    return store


@pytest.fixture(scope="module", params=SOURCES)
def sample_store(request, tmp_path_factory) -> EmbeddedStore:
    return build_store(request.param, tmp_path_factory.mktemp(f"store-{request.param}"))


@pytest.fixture(scope="module")
def sample_graph(sample_store: EmbeddedStore) -> Graph:
    return store_to_graph(sample_store)


def test_samples_export_conforms_to_the_shapes(sample_graph: Graph) -> None:
    pyshacl = pytest.importorskip("pyshacl", reason="pyshacl is a dev dependency: pip install -e '.[dev]'")
    conforms, _, text = pyshacl.validate(sample_graph, shacl_graph=Graph().parse(SHAPES_FILE),
                                         inference="none")
    assert conforms, text[:4000]


def source_lines(file: str) -> list[str]:
    return (SAMPLES / Path(file).name).read_text(encoding="utf-8").splitlines()


def test_every_edge_is_traceable_to_a_line_of_a_sample(sample_store: EmbeddedStore,
                                                       sample_graph: Graph) -> None:
    """Each edge is one rdf:Statement carrying the same evidence, in order, each quotation a line
    of a sample file."""
    edges = [e for n in sample_store.nodes() for e in sample_store.edges_out(n.key)]
    assert len(list(sample_graph.subjects(RDF.type, RDF.Statement))) == len(edges) > 0
    lines: dict[str, list[str]] = {}
    for edge in edges:
        statement = statement_iri(edge)
        assert sample_graph.value(statement, RDF.subject) == node_iri(edge.src)
        assert sample_graph.value(statement, RDF.object) == node_iri(edge.dst)
        quoted = []
        for item in sample_graph.items(sample_graph.value(statement, CHIDAO.evidenceList)):
            file = str(sample_graph.value(sample_graph.value(item, rns.PROV.wasQuotedFrom), CHIDAO.fileName))
            line = sample_graph.value(item, CHIDAO.line).toPython()
            text = lines.setdefault(file, source_lines(file))
            assert 0 <= line <= len(text), f"{file}:{line} is outside the file"
            quoted.append((file, line, str(sample_graph.value(item, rns.PROV.value))))
        assert quoted, f"{edge.src} {edge.type} {edge.dst} is not traceable to any line"
        assert quoted == [(e["file"], e["line"], e["raw"]) for e in edge.props["evidence"]]


def test_reference_mentions_are_quoted_from_their_line(sample_store: EmbeddedStore) -> None:
    """The raw text of a document-to-document reference starts on the line it names."""
    checked = 0
    for node in sample_store.nodes(DOCUMENT):
        for edge in sample_store.edges_out(node.key, REFERENCE_TYPES):
            for item in edge.props["evidence"]:
                if item["line"] == 0:
                    continue
                first = item["raw"].split("\n", 1)[0]
                assert first in source_lines(item["file"])[item["line"] - 1], item
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("fmt", ["ttl", "jsonld"])
def test_samples_round_trip(sample_store: EmbeddedStore, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"samples.{fmt}"
    path.write_text(export_rdf(sample_store, fmt), encoding="utf-8")
    again = EmbeddedStore(tmp_path / "again")
    import_rdf(again, path)
    assert snapshot(again) == snapshot(sample_store)


def gold_commune_plans_implementing(target_id: str) -> set[str]:
    """From the hand annotations: communes whose plan reaches `target_id` (national) along
    `implements`, across the annotated documents."""
    records = [record for record, _ in gold_records()]

    def ident(doc_id: str, scope: str | None) -> tuple[str, str]:
        return fold(id_key_part(doc_id)), fold(scope or NATIONAL)

    implements: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for record in records:
        me = record["self"]
        for ref in record["references"]:
            if ref["relation"] == "implements":
                implements[ident(me["id"], me["jurisdiction"])].add(ident(ref["id"], ref["jurisdiction"]))
    target = ident(target_id, NATIONAL)

    def reaches(start: tuple[str, str], seen: set) -> bool:
        return any(nxt == target or (nxt not in seen and reaches(nxt, seen | {nxt}))
                   for nxt in implements[start])

    communes = set()
    for record in records:
        me = record["self"]
        role = document_role(parse_id(me["id"]).type_code, me["type"], me["level"], me["title"])
        if me["level"] == "commune" and role == PLAN and reaches(ident(me["id"], me["jurisdiction"]), set()):
            communes.add(fold(me["jurisdiction"]))
    return communes


def test_sparql_commune_plans_implementing_57_nq_tw(sample_graph: Graph) -> None:
    expected = gold_commune_plans_implementing("57-NQ/TW")
    assert expected, "the annotations name no commune plan under 57-NQ/TW"
    found = {fold(commune) for commune, _ in commune_plans_implementing(sample_graph, "57-NQ/TW")}
    assert found == expected


def test_cli_export_and_import(sample_store: EmbeddedStore, tmp_path: Path, capsys) -> None:
    data = sample_store.data_dir
    for fmt in ("jsonld",):  # Turtle is covered by test_samples_round_trip
        out = tmp_path / f"graph.{fmt}"
        assert main(["--data", str(data), "export", "--format", fmt, "-o", str(out)]) == 0
        again = tmp_path / f"again-{fmt}"
        assert main(["--data", str(again), "import-rdf", str(out)]) == 0
        assert snapshot(EmbeddedStore(again)) == snapshot(sample_store)
    assert "imported" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["export", "--format", "csv"], "--format csv needs -o"),
    (["export", "--base", "https://x.example/id"], "must end with / or #"),
    (["import-rdf", "missing.ttl"], "missing.ttl: cannot read"),
    (["import-rdf", "notes.txt"], "unknown RDF format 'txt'"),
])
def test_cli_errors_are_one_clear_line(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    code = main(["--data", str(tmp_path / "data"), *[str(tmp_path / a) if a.endswith((".ttl", ".txt"))
                                                     else a for a in args]])
    err = capsys.readouterr().err
    assert code != 0 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_places_link_to_their_2025_administrative_unit(sample_store: EmbeddedStore,
                                                       sample_graph: Graph) -> None:
    """Each province and commune of the samples carries its code in the 2025 unit list, and the
    code names that unit in `vietnam-provinces` itself."""
    from vietnam_provinces import Province, Ward

    places = list(sample_store.nodes("Place"))
    assert places
    for place in places:
        unit = sample_graph.value(node_iri(place.key), CHIDAO.adminUnit)
        assert unit is not None, f"{place.key} has no 2025 unit"
        code = int(sample_graph.value(unit, rns.SKOS.notation))
        official = Province.from_code(code) if place.props["level"] == "province" else Ward.from_code(code)
        assert fold(str(official.name)).endswith(fold(place.props["name"])), (place.key, official.name)
    # agencies carry codes too (issuer codes such as UBND): those are not administrative units
    in_scheme = set(sample_graph.subjects(rns.SKOS.inScheme, CHIDAO.AdministrativeUnits2025))
    assert in_scheme == set(sample_graph.objects(None, CHIDAO.adminUnit))
