"""The HTTP API on the hand-written cascade (tests/query_fixtures.py): ids with "/", JSON errors
with suggestions, parameter validation, uploads guarded by a bearer token and capped in size."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.build import build_contribution
from graph.embedded import EmbeddedStore
from tests.query_fixtures import SAMPLES, build_cascade, extractor

TOKEN = "test-token-123"


@pytest.fixture
def store_dir(tmp_path):
    build_cascade(tmp_path / "store")
    return tmp_path / "store"


@pytest.fixture
def client(store_dir):
    app = create_app(lambda: EmbeddedStore(store_dir), upload_token=TOKEN, max_upload_bytes=64 * 1024)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("path", [
    "/documents/3-KH/TU",        # the raw "/" inside the id
    "/documents/3-KH%2FTU",      # percent-encoded
    "/documents/3-KH~TU",        # slug form
    "/documents/doc:3-KH%2FTU@L%C3%A2m%20%C4%90%E1%BB%93ng",  # the node key
    "/documents/03-kh/tu",       # case and leading zeros do not matter
])
def test_document_ids_with_slashes(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.json()["document"]["key"] == "doc:3-KH/TU@Lâm Đồng"


@pytest.mark.parametrize(("path", "key"), [
    ("/tasks/20~KH-UBND%23II.1", "task:doc:20/KH-UBND@Bắc Bình#II.1"),
    ("/tasks/20/KH-UBND%231", "task:doc:20/KH-UBND@Bắc Bình#II.1"),
    ("/units/c%C3%B4ng an x%C3%A3@B%E1%BA%AFc B%C3%ACnh", "agency:Công an xã@Bắc Bình"),
    ("/places/Lâm Đồng", "place:province:Lâm Đồng"),
])
def test_other_node_kinds_by_reference(client, path, key):
    response = client.get(path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert next(iter(body.values()))["key"] == key


def test_unknown_id_is_404_with_close_suggestions(client):
    response = client.get("/documents/9-NQ/TU")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found"
    assert "9-NQ/TW" in body["suggestions"] and "9-NQ/TW" in body["message"]


def test_same_name_in_two_places_is_409_with_candidates(client):
    response = client.get("/units/Công an xã")
    assert response.status_code == 409
    assert len(response.json()["candidates"]) == 2


@pytest.mark.parametrize("path", [
    "/trace/up",                               # ref missing
    "/trace/up?ref=9-NQ/TW&max_depth=0",
    "/trace/down?ref=9-NQ/TW&limit=100000",
    "/documents?offset=-1",
    "/documents?role=memo",
    "/workload?unit=x&as_of=yesterday",
    "/search?q=",
    "/search?q=x&kind=Robot",
    "/explain?a=9-NQ/TW",
])
def test_bad_parameters_are_422_json(client, path):
    response = client.get(path)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_parameters" and body["message"]


def test_unknown_endpoint_is_json_404(client):
    response = client.get("/no/such/thing")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_internal_errors_are_json_without_a_trace(tmp_path):
    class Broken(EmbeddedStore):
        def nodes(self, kind=None):
            raise RuntimeError("disk on fire at /secret/path")

    app = create_app(lambda: Broken(tmp_path))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/documents")
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "internal" and "Traceback" not in response.text
    assert "/secret/path" not in response.text


def test_a_store_that_cannot_open_is_503(tmp_path):
    def fail():
        raise OSError("no such store")

    with TestClient(create_app(fail), raise_server_exceptions=False) as test_client:
        response = test_client.get("/health")
    assert response.status_code == 503 and "no such store" in response.json()["message"]


def test_root_page_links_to_docs(client):
    response = client.get("/")
    assert response.status_code == 200 and 'href="/docs"' in response.text
    assert client.get("/docs").status_code == 200
    assert 'href="/graph/"' in response.text and client.get("/graph/").status_code == 200


def test_pagination(client):
    first = client.get("/documents", params={"limit": 2}).json()
    second = client.get("/documents", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 6
    keys = [d["key"] for d in first["items"] + second["items"]]
    assert len(set(keys)) == 4


def test_graph_neighbourhood_json(client):
    body = client.get("/neighbourhood", params={"ref": "20/KH-UBND", "depth": 1}).json()
    keys = {n["key"] for n in body["nodes"]}
    assert body["center"] == "doc:20/KH-UBND@Bắc Bình"
    assert {e["source"] for e in body["edges"]} <= keys and body["edges"]


# -- uploads -------------------------------------------------------------------------------------

def upload(client, files, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/ingest", files=[("files", f) for f in files], headers=headers)


def test_upload_disabled_without_configured_token(store_dir, monkeypatch):
    monkeypatch.delenv("CHIDAO_API_TOKEN", raising=False)
    with TestClient(create_app(lambda: EmbeddedStore(store_dir))) as test_client:
        response = upload(test_client, [("a.txt", b"text", "text/plain")])
    assert response.status_code == 403 and "disabled" in response.json()["message"]


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_upload_refused_without_the_right_token(client, token):
    response = upload(client, [("a.txt", b"text", "text/plain")], token=token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_oversized_upload_is_413_and_writes_nothing(client):
    before = client.get("/health").json()
    big = ("big.txt", b"x" * (64 * 1024 + 1), "text/plain")
    response = upload(client, [("small.txt", "Kế hoạch".encode(), "text/plain"), big])
    assert response.status_code == 413
    statuses = {f["file"]: f["status"] for f in response.json()["files"]}
    assert statuses == {"small.txt": "accepted", "big.txt": "too_large"}
    assert client.get("/health").json() == before


@pytest.mark.parametrize("data", [
    b"Ke hoach \xc3\x28 so 1",           # invalid UTF-8
    b"\x00\x01\x02\x03" * 64,            # binary
])
def test_undecodable_upload_is_415(client, data):
    response = upload(client, [("bad.txt", data, "text/plain")])
    assert response.status_code == 415
    body = response.json()
    assert body["files"][0]["status"] == "undecodable" and "bad.txt" in body["files"][0]["message"]


def test_upload_path_is_reduced_to_its_base_name(client):
    response = upload(client, [("../../etc/evil.txt", b"\xff\xfe\x00", "text/plain")])
    assert response.json()["files"][0]["file"] == "evil.txt"


def test_upload_a_sample_then_read_it(client):
    extractor()
    sample = sorted(SAMPLES.glob("004_*.txt"))[0]
    response = upload(client, [(sample.name, sample.read_bytes(), "text/plain")])
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["written"] == 1, result
    row = result["files"][0]
    assert row["status"] == "ingested" and row["document"] and row["tasks"] > 0
    assert client.get("/documents/" + row["document"].replace("/", "~")).status_code == 200


def test_sees_what_another_process_ingests(client, store_dir):
    assert client.get("/documents/71/NQ-CP").status_code == 404
    other = EmbeddedStore(store_dir)  # another writer, as `chidao ingest` would be
    record = {"file": "nq71.txt", "self": {"id": "71/NQ-CP", "type": "Nghị quyết", "jurisdiction": "national",
                                           "level": "national"}, "references": [], "tasks": []}
    other.write([build_contribution(record)])
    assert client.get("/documents/71/NQ-CP").status_code == 200
