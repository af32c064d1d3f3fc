"""Property-based run of every endpoint in the OpenAPI schema (schemathesis): generated
parameters must never produce a server error, and answers must match their documented schema."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a dev extra")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from api.app import create_app  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from tests.query_fixtures import build_cascade  # noqa: E402

EXAMPLES_PER_OPERATION = 50


def check_operation(operation) -> None:
    html_page = "graph browser" in (operation.definition.raw.get("tags") or [])

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call()
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
        if not html_page:  # the browser pages answer errors as HTML pages, by design
            case.validate_response(response)

    run()


def test_no_server_errors_on_generated_requests(tmp_path):
    build_cascade(tmp_path / "store")
    app = create_app(lambda: EmbeddedStore(tmp_path / "store"), upload_token="schema-token",
                     max_upload_bytes=4096)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    for operation in operations:
        check_operation(operation)
