"""Graph browser pages without a browser: what the views hold, how they are drawn (tiers, styles,
tooltips, folding, fixed positions above the physics limit), that pages are offline, the router
and `chidao viz`. Real data: the five samples (see tests/viz_samples.py)."""

from __future__ import annotations

import json
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chidao.cli import main
from graph.embedded import EmbeddedStore
from graph.model import AGENCY, DOCUMENT, IMPLEMENTS, LED_BY, PART_OF, TASK, Node
from queries import props
from queries.resolve import resolve
from tests.viz_samples import build_sample_store, synthetic_store
from viz import assets, views
from viz.render import RenderOptions, fold, graph_payload, render
from viz.web import make_router

URL = re.compile(r"https?://([^/\s\"'<>)]+)", re.IGNORECASE)
PAGE_DATA = re.compile(r'<script id="cg-data" type="application/json">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> EmbeddedStore:
    store, _ = build_sample_store(tmp_path_factory.mktemp("viz-store"))
    return store


@pytest.fixture(scope="module")
def root_key(sample) -> str:
    return resolve(sample, "57-NQ/TW")


@pytest.fixture(scope="module")
def client(sample) -> TestClient:
    app = FastAPI()
    app.include_router(make_router(lambda: sample))
    return TestClient(app)


def page_data(html: str) -> dict:
    match = PAGE_DATA.search(html)
    assert match, "page carries its graph as JSON"
    return json.loads(match.group(1))


def foreign_hosts(html: str) -> set[str]:
    return {host for host in URL.findall(html) if host.split(":")[0] not in ("127.0.0.1", "localhost")}


# ---------------------------------------------------------------- views


def test_lineage_holds_every_document_implementing_the_directive(sample, root_key):
    view = views.lineage(sample, root_key)
    implementers = {e.src for e in sample.edges_in(root_key, [IMPLEMENTS])}
    assert implementers, "the samples implement 57-NQ/TW"
    assert implementers <= set(view.nodes)
    assert view.focus == root_key


def test_lineage_brings_tasks_of_its_documents_with_their_units(sample, root_key):
    view = views.lineage(sample, root_key)
    for doc_key in [k for k, n in view.nodes.items() if n.kind == DOCUMENT]:
        tasks = {e.src for e in sample.edges_in(doc_key, [PART_OF])}
        assert tasks <= set(view.nodes), doc_key
        for task in tasks:
            assert {e.dst for e in sample.edges_out(task, [LED_BY])} <= set(view.nodes), task


def test_lineage_of_a_task_goes_up_to_the_directive(sample, root_key):
    task = next(n for n in sample.nodes(TASK))
    view = views.lineage(sample, task.key)
    doc = next(e.dst for e in sample.edges_out(task.key, [PART_OF]))
    assert {task.key, doc} <= set(view.nodes)


def test_unit_view_shows_its_tasks_and_their_plans(sample):
    led = {}
    for task in sample.nodes(TASK):
        for edge in sample.edges_out(task.key, [LED_BY]):
            led.setdefault(edge.dst, set()).add(task.key)
    busiest = max(led, key=lambda k: len(led[k]))
    view = views.unit(sample, busiest)
    assert led[busiest] <= set(view.nodes)
    plans = {e.dst for t in led[busiest] for e in sample.edges_out(t, [PART_OF])}
    assert plans <= set(view.nodes)


def test_overview_is_directives_and_plans_only(sample):
    view = views.overview(sample)
    assert view.nodes
    assert {props.role(n) for n in view.nodes.values()} <= {"directive", "plan"}
    assert all(e.src in view.nodes and e.dst in view.nodes for e in view.edges)


# ---------------------------------------------------------------- drawing


def test_tiers_run_national_province_commune_task_unit(sample, root_key):
    payload = graph_payload(views.lineage(sample, root_key), RenderOptions(expand=True))
    level_of = {n["id"]: n["level"] for n in payload["visible_nodes"]}
    nodes = {n.key: n for n in views.lineage(sample, root_key).nodes.values()}

    def tiers(test) -> set[int]:
        return {level_of[k] for k, n in nodes.items() if test(n)}

    national = tiers(lambda n: n.kind == DOCUMENT and props.level(n) == "national")
    province = tiers(lambda n: n.kind == DOCUMENT and props.level(n) == "province")
    commune = tiers(lambda n: n.kind == DOCUMENT and props.level(n) == "commune")
    task, unit = tiers(lambda n: n.kind == TASK), tiers(lambda n: n.kind == AGENCY)
    assert national and province and commune and task and unit
    assert max(national) < min(province) <= max(province) < min(commune)
    assert max(commune) < min(task) <= max(task) < min(unit)


def test_tooltips_carry_title_issuer_date_and_edge_evidence(sample, root_key):
    payload = graph_payload(views.lineage(sample, root_key), RenderOptions(expand=True))
    documents = {k: n for k, n in views.lineage(sample, root_key).nodes.items() if n.kind == DOCUMENT}
    shown = 0
    for node in payload["visible_nodes"]:
        if node["id"] not in documents:
            continue
        rows = dict(node["tip"]["rows"])
        stated = documents[node["id"]].props
        for label, prop in (("Trích yếu", "title"), ("Cơ quan ban hành", "issuer"),
                            ("Ngày ban hành", "date"), ("Tệp", "file")):
            assert (label in rows) == bool(stated.get(prop)), (node["id"], label)
            shown += label in rows
        assert node["tip"]["head"].startswith(props.doc_id(documents[node["id"]]))
    assert shown
    implements = [e for e in payload["visible_edges"] if e["relation"] == IMPLEMENTS]
    assert implements
    assert all(any(re.match(r".+\.txt:\d+$", row[0]) and row[1] for row in e["tip"]["rows"])
               for e in implements)
    tasks = [n for n in payload["visible_nodes"] if n["kind"] == TASK]
    assert any(r[0] == "Nội dung" and r[1] for n in tasks for r in n["tip"]["rows"])


def test_edge_style_follows_relation(sample, root_key):
    payload = graph_payload(views.lineage(sample, root_key), RenderOptions(expand=True))
    styles = {}
    for edge in payload["visible_edges"]:
        styles.setdefault(edge["relation"], set()).add((json.dumps(edge["dashes"]), edge["width"]))
    assert all(len(found) == 1 for found in styles.values()), styles
    assert len({next(iter(v)) for v in styles.values()}) == len(styles)


def test_folding_keeps_every_node_reachable(sample, root_key):
    view = views.lineage(sample, root_key)
    budget = 30
    groups, hidden = fold(view, budget)
    assert groups and hidden
    visible = len(view.nodes) - len(hidden) + len(groups)
    assert visible <= max(budget, len(view.nodes) - sum(len(g["tasks"]) for g in groups.values()))
    in_groups = {k for g in groups.values() for k in g["nodes"]}
    assert hidden <= in_groups
    assert root_key not in hidden


def test_focus_document_keeps_its_tasks_open(sample):
    doc = max((n for n in sample.nodes(DOCUMENT) if not props.is_stub(n)),
              key=lambda n: len(sample.edges_in(n.key, [PART_OF])))
    view = views.lineage(sample, doc.key)
    _, hidden = fold(view, 5)
    assert not {e.src for e in sample.edges_in(doc.key, [PART_OF])} & hidden


# ---------------------------------------------------------------- offline pages


def test_served_page_links_assets_locally_and_they_load(client):
    response = client.get("/graph/lineage/57-NQ/TW")
    assert response.status_code == 200
    assert foreign_hosts(response.text) == set()
    sources = re.findall(r'(?:src|href)="(/graph/static/[^"]+)"', response.text)
    assert {s.rsplit("/", 1)[1] for s in sources} == set(assets.ASSETS)
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_self_contained_page_has_no_url_to_another_host(sample, root_key):
    html = render(views.lineage(sample, root_key), RenderOptions(inline=True, link_base=None))
    assert foreign_hosts(html) == set()
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=", html)
    assert "vis.Network" in html and "chidaoGraph" in html


@pytest.mark.parametrize("title", [
    "</script><b>x</b>",
    "Hệ thống giám sát (https://nq57.vn) và <!-- x -->",
    "a & b > c",
])
def test_page_data_keeps_any_text_and_stays_inert(title):
    node = Node("doc:1-KH/X@national", DOCUMENT, {"id": "1-KH/X", "title": title})
    one_node = views.View("lineage", "t", {node.key: node}, [], node.key)
    html = render(one_node, RenderOptions(inline=True, link_base=None))
    assert page_data(html)["nodes"][0]["tip"]["rows"][0][1] == title
    assert foreign_hosts(html) == set()
    assert html.count("</script>") == len(assets.SCRIPTS) + 1


def test_router_pages_and_errors(client, sample):
    assert client.get("/graph/").status_code == 200
    unit = next(sample.nodes(AGENCY))
    assert client.get(f"/graph/unit/{unit.key}").status_code == 200
    missing = client.get("/graph/node/57-NQ/TX")
    assert missing.status_code == 404
    assert "57-NQ/TW" in missing.text  # suggested
    assert client.get("/graph/static/page.html").status_code == 404
    assert client.get("/graph/static/..%2Fweb.py").status_code == 404


def test_task_links_survive_the_hash_in_their_key(client, sample, root_key):
    html = client.get("/graph/lineage/57-NQ/TW?expand=1").text
    hrefs = [n["href"] for n in page_data(html)["nodes"] if n["kind"] == TASK]
    assert hrefs and all("#" not in h for h in hrefs)
    assert client.get(hrefs[0]).status_code == 200


# ---------------------------------------------------------------- scale


def test_large_view_gets_fixed_positions_and_no_physics(tmp_path):
    store = synthetic_store(tmp_path, provinces=30, communes=40, tasks=3)
    view = views.lineage(store, "doc:1-NQ/TW@national")
    assert len(view.nodes) > 5000
    html = render(view, RenderOptions(inline=True, link_base=None))
    data = page_data(html)
    assert not data["physics"] and not data["options"]["physics"]["enabled"]
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert len(data["nodes"]) + len(data["hidden_nodes"]) - len(data["groups"]) == len(view.nodes)


def test_medium_view_keeps_physics(tmp_path):
    store = synthetic_store(tmp_path, provinces=10, communes=10, tasks=4)
    data = page_data(render(views.lineage(store, "doc:1-NQ/TW@national")))
    assert data["physics"] and len(data["nodes"]) <= 1000
    assert data["options"]["layout"]["hierarchical"]["enabled"]


# ---------------------------------------------------------------- CLI


def test_cli_writes_a_self_contained_page(sample, tmp_path, capsys):
    output = tmp_path / "57.html"
    code = main(["--data", str(sample.data_dir), "viz", "57-NQ/TW", "-o", str(output)])
    assert code == 0, capsys.readouterr().err
    html = output.read_text(encoding="utf-8")
    assert foreign_hosts(html) == set()
    assert page_data(html)["focus"] == resolve(sample, "57-NQ/TW")


def test_cli_unknown_id_is_one_clear_line(sample, tmp_path, capsys):
    code = main(["--data", str(sample.data_dir), "viz", "57-NQ/TX", "-o", str(tmp_path / "x.html")])
    err = capsys.readouterr().err
    assert code == 1
    assert "57-NQ/TX" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.html").exists()
