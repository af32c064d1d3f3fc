"""Task-level lineage (CARRIES_OUT, COUNTERPART_OF) through the API, `chidao trace` and the graph
pages, on the real samples plus the parent written for the alignment tests
(tests/data/07-TB-CQTTBCD_tasks.txt), ingested by `chidao ingest`, which aligns after writing.

What is asserted is read back from the store the pipeline built (which tasks the alignment linked),
not copied from a gold: the walk up from a task follows what the task carries out where there is
something, its plan otherwise; counterparts keep score, method and common parents; uploads align."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.align import run_alignment
from graph.embedded import EmbeddedStore
from graph.model import CARRIES_OUT, COUNTERPART_OF, DOCUMENT, PART_OF, TASK
from graph.store import GraphStore
from queries import views
from tests.cli_run import run_chidao_on as chidao
from viz import views as viz_views
from viz.render import RenderOptions, render

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
PARENT = ROOT / "tests" / "data" / "07-TB-CQTTBCD_tasks.txt"
NGOK_BAY = "000_a0bb7dffa801626d.txt"
TOKEN = "lineage-token"
PAGE_DATA = re.compile(r'<script id="cg-data" type="application/json">(.*?)</script>', re.DOTALL)
CHAIN = re.compile(r"^\d+\. (.+)$")


@pytest.fixture(scope="module")
def store_dir(ingested_store) -> Path:
    return ingested_store(SAMPLES, PARENT)


@pytest.fixture(scope="module")
def store(store_dir) -> EmbeddedStore:
    return EmbeddedStore(store_dir)


@pytest.fixture(scope="module")
def client(store_dir):
    with TestClient(create_app(lambda: EmbeddedStore(store_dir)), raise_server_exceptions=False) as test:
        yield test


def is_task(key: str) -> bool:
    return key.startswith("task:")


def sample_tasks(store: GraphStore) -> list[str]:
    """The tasks of the samples (not of the written parent), in key order."""
    return sorted(n.key for n in store.nodes(TASK) if file_of(n.props) != PARENT.name)


def aligned_to_tasks(store: GraphStore) -> list[str]:
    """Sample tasks carrying out at least one task of the parent."""
    return [k for k in sample_tasks(store) if any(is_task(e.dst) for e in store.edges_out(k, [CARRIES_OUT]))]


def unaligned(store: GraphStore) -> list[str]:
    return [k for k in sample_tasks(store) if not store.edges_out(k, [CARRIES_OUT])]


def task_at(store: GraphStore, file: str, line: int) -> str:
    (key,) = [n.key for n in store.nodes(TASK) if file_of(n.props) == file and line in lines_of(n.props)]
    return key


def lines_of(props: dict) -> range:
    first = int(props.get("line") or 0)
    return range(first, int(props.get("end_line") or first) + 1)


def file_of(props: dict) -> str:
    return Path(str(props.get("file") or "")).name


def ref_of(store: GraphStore, key: str) -> str:
    return views.reference(store.node(key))


def url_ref(ref: str) -> str:
    return ref.replace("/", "~").replace("#", "%23")


# -- API: trace up from a task --------------------------------------------------------------------

def test_the_pipeline_aligned_the_samples_to_the_parent(store):
    assert len(aligned_to_tasks(store)) >= 5
    assert unaligned(store)


def test_trace_up_from_an_aligned_task_goes_task_to_task(client, store):
    for key in aligned_to_tasks(store):
        body = client.get("/trace/up", params={"ref": ref_of(store, key)}).json()
        assert body["start"]["key"] == key and body["paths"], key
        carried = {e.dst for e in store.edges_out(key, [CARRIES_OUT])}
        firsts = {(p["steps"][0]["type"], p["steps"][0]["target"]) for p in body["paths"]}
        assert firsts <= {(CARRIES_OUT, target) for target in carried}, key  # never its plan first
        for path in body["paths"]:
            assert_task_first(store, path)


def assert_task_first(store: GraphStore, path: dict) -> None:
    """Each task on the path steps through what it carries out if anything, else to its plan;
    once on a document, the path stays on documents."""
    kinds = [n["kind"] for n in path["nodes"]]
    first_document = kinds.index(DOCUMENT)
    assert set(kinds[first_document:]) == {DOCUMENT}, path
    for node, step in zip(path["nodes"][:first_document], path["steps"], strict=False):
        aligned = bool(store.edges_out(node["key"], [CARRIES_OUT]))
        assert step["type"] == (CARRIES_OUT if aligned else PART_OF), (node["key"], path)


def test_an_aligned_task_reaches_the_notice_through_its_task(client, store):
    key = task_at(store, NGOK_BAY, 143)  # the one-stop centre row (Decree 118/2025/NĐ-CP)
    body = client.get("/trace/up", params={"ref": ref_of(store, key)}).json()
    notice = "doc:7-TB/CQTTBCĐ@national"
    via_task = [p for p in body["paths"] if p["nodes"][1]["key"].startswith(f"task:{notice}#")]
    assert via_task, body["paths"][:2]
    assert all(p["nodes"][2]["key"] == notice for p in via_task)
    step = via_task[0]["steps"][0]
    assert step["type"] == CARRIES_OUT and step["evidence"] and 0 < step["confidence"] <= 1


def test_trace_up_from_an_unaligned_task_goes_document_to_document(client, store):
    key = unaligned(store)[0]
    body = client.get("/trace/up", params={"ref": ref_of(store, key)}).json()
    plan = props_document(store, key)
    assert body["paths"]
    for path in body["paths"]:
        assert path["steps"][0]["type"] == PART_OF and path["nodes"][1]["key"] == plan
        assert {n["kind"] for n in path["nodes"][1:]} == {DOCUMENT}


def props_document(store: GraphStore, task_key: str) -> str:
    (edge,) = store.edges_out(task_key, [PART_OF])
    return edge.dst


# -- API: counterparts ----------------------------------------------------------------------------

def test_counterparts_side_by_side(client, store):
    key = task_at(store, NGOK_BAY, 112)  # online public services, a row of the notice
    response = client.get(f"/tasks/{url_ref(ref_of(store, key))}/counterparts")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["task"]["key"] == key and body["document"]["jurisdiction"] == "Ngọk Bay"
    linked = {e.dst for e in store.edges_out(key, [COUNTERPART_OF])} | {
        e.src for e in store.edges_in(key, [COUNTERPART_OF])}
    assert linked and {m["key"] for m in body["counterparts"]} == linked
    scores = [m["score"] for m in body["counterparts"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    for match in body["counterparts"]:
        assert match["method"].startswith("char-ngram-tfidf/")
        assert match["document"]["jurisdiction"] != "Ngọk Bay"
        assert "doc:7-TB/CQTTBCĐ@national" in match["parents"]
        assert len(match["evidence"]) == 2
    assert {m["key"] for m in body["carries_out"]} == {e.dst for e in store.edges_out(key, [CARRIES_OUT])}
    assert all(m["kind"] == TASK and m["document"]["id"] == "07-TB/CQTTBCĐ" for m in body["carries_out"])


def test_a_parent_task_lists_what_carries_it_out(client, store):
    key = task_at(store, PARENT.name, 36)
    body = client.get(f"/tasks/{url_ref(ref_of(store, key))}/counterparts").json()
    below = {e.src for e in store.edges_in(key, [CARRIES_OUT])}
    assert len(below) >= 2 and {m["key"] for m in body["carried_out_by"]} == below
    assert {m["document"]["jurisdiction"] for m in body["carried_out_by"]} >= {"Ngọk Bay", "Khánh Hòa"}


def test_counterparts_min_score(client, store):
    ref = url_ref(ref_of(store, task_at(store, NGOK_BAY, 112)))
    assert client.get(f"/tasks/{ref}/counterparts", params={"min_score": 0.99}).json()["counterparts"] == []
    assert client.get(f"/tasks/{ref}/counterparts", params={"min_score": 2}).status_code == 422


@pytest.mark.parametrize(("ref", "suggested"), [
    ("667/KH-UBND@Ngọk Bay#99", "667/KH-UBND@Ngọk Bay#II."),   # no such number in the plan
    ("668/KH-UBND#II.3", "667/KH-UBND@Ngọk Bay#II.3"),          # a close id with that number
])
@pytest.mark.parametrize("suffix", ["/counterparts", ""])
def test_unknown_task_is_404_with_task_suggestions(client, ref, suggested, suffix):
    response = client.get(f"/tasks/{url_ref(ref)}{suffix}")
    assert response.status_code == 404, response.text
    body = response.json()
    assert body["error"] == "not_found" and body["suggestions"]
    assert any(s.startswith(suggested) for s in body["suggestions"]), body
    assert suggested.rstrip(".") in body["message"]


# -- API: uploads align ---------------------------------------------------------------------------

def upload(client: TestClient, paths: list[Path]):
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]
    return client.post("/ingest", files=files, headers={"Authorization": f"Bearer {TOKEN}"})


def test_an_upload_is_aligned_like_chidao_ingest(tmp_path):
    app = create_app(lambda: EmbeddedStore(tmp_path), upload_token=TOKEN)
    with TestClient(app, raise_server_exceptions=False) as test:
        response = upload(test, [SAMPLES / NGOK_BAY, PARENT])
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["written"] == 2 and result["alignment_error"] is None
        assert result["alignment"]["carries_out_tasks"] > 0
        store = EmbeddedStore(tmp_path)
        key = task_at(store, NGOK_BAY, 143)
        body = test.get(f"/tasks/{url_ref(ref_of(store, key))}/counterparts").json()
    assert any(m["key"].startswith("task:doc:7-TB/CQTTBCĐ@national#") for m in body["carries_out"])
    again = run_alignment(store)  # what the upload wrote is the alignment of the whole store
    assert [again.carries_out_tasks, again.carries_out_documents, again.counterparts] == [
        result["alignment"][k] for k in ("carries_out_tasks", "carries_out_documents", "counterparts")]


def test_a_failing_alignment_keeps_the_upload(tmp_path, monkeypatch):
    import graph.align

    def broken(store, settings=None):
        raise RuntimeError("alignment broke")

    monkeypatch.setattr(graph.align, "run_alignment", broken)
    app = create_app(lambda: EmbeddedStore(tmp_path), upload_token=TOKEN)
    with TestClient(app, raise_server_exceptions=False) as test:
        response = upload(test, [PARENT])
        result = response.json()
        assert response.status_code == 200 and result["written"] == 1 and result["alignment"] is None
        assert "alignment failed" in result["alignment_error"] and "chidao align" in result["alignment_error"]
        assert test.get("/documents/07-TB~CQTTBCĐ").status_code == 200


# -- CLI: chidao trace TASK --up ------------------------------------------------------------------

def chains(output: str) -> list[list[str]]:
    return [[part.strip() for part in m[1].split(" → ")] for m in map(CHAIN.match, output.splitlines()) if m]


@pytest.mark.parametrize("form", ["reference", "short", "key", "jurisdiction option"])
def test_cli_trace_up_from_an_aligned_task(capsys, store_dir, store, form):
    key = task_at(store, NGOK_BAY, 112)
    number = key.rsplit("#", 1)[1]
    ref, extra = {"reference": (ref_of(store, key), []), "short": (f"667/KH-UBND#{number}", []),
                  "key": (key, []),
                  "jurisdiction option": (f"667/kh-ubnd#{number}", ["--jurisdiction", "ngok bay"])}[form]
    code, out, err = chidao(capsys, store_dir, "trace", ref, "--up", *extra)
    assert code == 0, err
    assert out.startswith(f"task 667/KH-UBND#{number} (Ngọk Bay, task): ")
    found = chains(out)
    assert found and all(c[0] == f"667/KH-UBND#{number} (Ngọk Bay, task)" for c in found)
    assert all(c[1].startswith("07-TB/CQTTBCĐ#") and c[1].endswith("(national, task)") for c in found), out
    assert all(c[2] == "07-TB/CQTTBCĐ (national)" for c in found)
    lines = out.splitlines()
    edge = next(i for i, line in enumerate(lines) if "—CARRIES_OUT→" in line)
    assert re.search(r"\[score 0\.\d\d, char-ngram-tfidf/\S+\]$", lines[edge])
    assert re.match(rf"^\s+{re.escape(NGOK_BAY)}:112 \".+\"$", lines[edge + 1])


def test_cli_trace_up_from_an_unaligned_task_goes_through_its_plan(capsys, store_dir, store):
    key = next(k for k in unaligned(store) if "667/KH-UBND" in k)
    code, out, _ = chidao(capsys, store_dir, "trace", key, "--up")
    assert code == 0
    found = chains(out)
    assert found and all(c[1] == "667/KH-UBND (Ngọk Bay)" for c in found)
    assert all("task)" not in part for c in found for part in c[1:])
    assert "—PART_OF→" in out and "—CARRIES_OUT→" not in out


def test_cli_trace_down_from_a_parent_task(capsys, store_dir, store):
    """Down from a task: the plans of the tasks carrying it out, each with its tasks."""
    key = task_at(store, PARENT.name, 36)
    code, out, _ = chidao(capsys, store_dir, "trace", key, "--down")
    assert code == 0
    assert out.startswith(f"07-TB/CQTTBCĐ#{key.rsplit('#', 1)[1]} (national, task): ")
    carrying = store.edges_in(key, [CARRIES_OUT])
    plans = {views.reference(store.node(store.edges_out(e.src, [PART_OF])[0].dst)) for e in carrying}
    listed = re.findall(r"^(\S+) \((\S[^,)]*)(?:, stub)?\)  \[depth \d+\]", out, re.MULTILINE)
    assert {f"{doc}@{where}" for doc, where in listed} == plans and len(carrying) >= 2, out


@pytest.mark.parametrize(("ref", "message"), [
    ("667/KH-UBND#99", "close tasks: 667/KH-UBND@Ngọk Bay#"),
    ("task:doc:667/KH-UBND@Ngọk Bay#X.1", "no task"),
    ("999/KH-XYZ#1", "no document"),
])
def test_cli_unknown_task_is_one_line(capsys, store_dir, ref, message):
    code, out, err = chidao(capsys, store_dir, "trace", ref, "--up")
    assert code == 1 and out == ""
    assert err.startswith("chidao trace: ") and message in err and len(err.splitlines()) == 1


# -- graph pages ----------------------------------------------------------------------------------

def test_lineage_page_of_an_aligned_task_draws_carries_out_and_counterparts(client, store):
    key = task_at(store, NGOK_BAY, 112)
    view = viz_views.lineage(store, key)
    kinds = {e.type for e in view.edges if key in (e.src, e.dst)}
    assert {CARRIES_OUT, COUNTERPART_OF} <= kinds
    for page in ("lineage", "node"):
        url = f"/graph/{page}/{url_ref(ref_of(store, key))}"
        response = client.get(url)
        assert response.status_code == 200, url
        data = json.loads(PAGE_DATA.search(response.text)[1])
        drawn = {(e["from"], e["to"], e["relation"]) for e in data["edges"]}
        assert any(rel == CARRIES_OUT and src == key and is_task(dst) for src, dst, rel in drawn)
        assert any(rel == COUNTERPART_OF and key in (src, dst) for src, dst, rel in drawn)
        other = {dst if src == key else src for src, dst, rel in drawn if rel == COUNTERPART_OF}
        placed = {n["id"] for n in data["nodes"]} | {n["id"] for n in data["hidden_nodes"]}
        assert {props_document(store, o) for o in other} <= placed  # each counterpart with its plan


def test_lineage_page_of_a_plan_draws_both_edge_kinds(store):
    plan = props_document(store, task_at(store, NGOK_BAY, 112))
    data = json.loads(PAGE_DATA.search(render(viz_views.lineage(store, plan), RenderOptions(expand=True)))[1])
    relations = {e["relation"] for e in data["edges"]}
    assert {CARRIES_OUT, COUNTERPART_OF} <= relations


# -- the same on Neo4j ----------------------------------------------------------------------------

def chain_keys(result: dict) -> list[list[str]]:
    return [[n["key"] for n in p["nodes"]] for p in result["paths"]]


def test_the_neo4j_store_traces_tasks_the_same_way(neo4j_store, store):
    from graph.align import DERIVED_SOURCE
    from queries import counterparts, trace

    neo4j_store.write([store.contribution(f) for f in store.source_files() if f != DERIVED_SOURCE])
    run_alignment(neo4j_store)
    for key in [*aligned_to_tasks(store)[:4], *unaligned(store)[:2]]:
        for cites in (False, True):
            assert chain_keys(trace.trace_up(neo4j_store, key, cites=cites)) == chain_keys(
                trace.trace_up(store, key, cites=cites)), key
    key = task_at(store, NGOK_BAY, 112)
    assert counterparts.counterparts(neo4j_store, key) == counterparts.counterparts(store, key)
