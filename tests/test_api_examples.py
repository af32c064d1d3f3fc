"""Every GET endpoint documents an example request (OpenAPI `x-example`), and each example
answers 200 with a valid body on the samples ingested through the real pipeline and aligned
(graph/align.py), as `chidao ingest` leaves them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import EXAMPLES
from graph.align import run_alignment
from graph.embedded import EmbeddedStore

pytest_plugins = ["tests.query_fixtures"]


@pytest.fixture(scope="module")
def aligned_store_dir(sample_store_dir, tmp_path_factory) -> Path:
    """The samples aligned as `chidao ingest` leaves them, so the task-level examples show links."""
    folder = tmp_path_factory.mktemp("examples") / "store"
    shutil.copytree(sample_store_dir, folder)
    run_alignment(EmbeddedStore(folder))
    return folder


@pytest.fixture(scope="module")
def sample_client(aligned_store_dir):
    with TestClient(create_app(lambda: EmbeddedStore(aligned_store_dir)),
                    raise_server_exceptions=False) as client:
        yield client


def test_every_get_endpoint_has_an_example(tmp_path):
    with TestClient(create_app(lambda: EmbeddedStore(tmp_path))) as client:
        schema = client.get("/openapi.json").json()
    documented = {}
    for methods in schema["paths"].values():
        if "get" in methods and "graph browser" not in methods["get"].get("tags", []):  # HTML pages
            documented[methods["get"]["operationId"]] = methods["get"].get("x-example")
    assert set(documented) == set(EXAMPLES)
    assert all(documented.values())
    assert "post" in schema["paths"]["/ingest"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_runs_on_the_samples(sample_client, name):
    example = EXAMPLES[name]
    response = sample_client.get(example["path"], params=example["params"])
    assert response.status_code == 200, f"{name}: {response.text[:500]}"


def test_the_counterparts_example_shows_counterparts(sample_client):
    example = EXAMPLES["task_counterparts"]
    body = sample_client.get(example["path"], params=example["params"]).json()
    assert body["counterparts"], "the documented task has a counterpart in another place"
    assert all(m["score"] and m["method"] and m["parents"] for m in body["counterparts"])


def test_the_rdf_exports_parse_and_name_the_resolution(sample_client):
    import rdflib

    for path, fmt in (("/export.ttl", "turtle"), ("/export.jsonld", "json-ld")):
        response = sample_client.get(path)
        assert response.status_code == 200
        graph = rdflib.Graph().parse(data=response.text, format=fmt)
        ids = {str(o) for o in graph.objects(None, rdflib.URIRef("http://data.europa.eu/eli/ontology#id_local"))}
        assert {"57-NQ/TW", "667/KH-UBND"} <= ids, path
