"""Every GET endpoint documents an example request (OpenAPI `x-example`), and each example
answers 200 with a valid body on the samples ingested through the real pipeline."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import EXAMPLES
from graph.embedded import EmbeddedStore

pytest_plugins = ["tests.query_fixtures"]


@pytest.fixture(scope="module")
def sample_client(sample_store_dir):
    with TestClient(create_app(lambda: EmbeddedStore(sample_store_dir)),
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
