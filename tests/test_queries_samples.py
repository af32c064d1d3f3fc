"""Acceptance checks on the five OCR'd samples, ingested through the real pipeline (extractor →
builder → embedded store). They depend on extraction quality; they skip while the extractor is
not available."""

from __future__ import annotations

import pytest

from queries import coverage, search, trace
from queries.resolve import resolve
from tests.query_fixtures import all_pages, page_rows

pytest_plugins = ["tests.query_fixtures"]


def chains(result: dict) -> list[list[str]]:
    return [[n["key"] for n in path["nodes"]] for path in result["paths"]]


def ids_of(store, keys: list[str]) -> list[str]:
    return [store.node(k).props.get("id") for k in keys if k.startswith("doc:")]


def task_8_of_667(store) -> str:
    return resolve(store, "667/KH-UBND#8")


def test_trace_up_from_task_8_reaches_57_nq_tw_directly(sample_store):
    result = trace.trace_up(sample_store, task_8_of_667(sample_store), limit=500)
    reaching = [p for p in result["paths"] if p["nodes"][-1]["ref"] == "57-NQ/TW"]
    assert reaching, [p["nodes"][-1]["ref"] for p in result["paths"]]
    direct = min(reaching, key=lambda p: p["length"])
    assert ids_of(sample_store, [n["key"] for n in direct["nodes"]]) == ["667/KH-UBND", "57-NQ/TW"]
    for step in direct["steps"]:
        assert step["evidence"] and all(e["line"] > 0 and e["raw"] for e in step["evidence"]), step


def test_trace_up_with_cites_goes_through_01_kh_bcd_and_07_tb(sample_store):
    result = trace.trace_up(sample_store, task_8_of_667(sample_store), cites=True, limit=500)
    through = [ids_of(sample_store, c) for c in chains(result)]
    wanted = [c for c in through if c[-1:] == ["57-NQ/TW"] and "01-KH/BCĐ" in c and "07-TB/CQTTBCĐ" in c]
    assert wanted, through
    path = result["paths"][through.index(wanted[0])]
    quang_ngai = [n for n in path["nodes"] if n["ref"].startswith("01-KH/BCĐ")]
    assert quang_ngai[0]["ref"] == "01-KH/BCĐ@Quảng Ngãi"
    assert all(step["evidence"] for step in path["steps"])


def test_trace_down_from_57_nq_tw_reaches_the_plans_and_their_tasks(sample_store):
    result = trace.trace_down(sample_store, "57-NQ/TW", limit=500)
    documents = {d["document"]["id"]: d for g in result["groups"] for d in g["documents"]}
    for plan in ("667/KH-UBND", "95/KH-UBND", "52/KH-BCĐ"):
        assert plan in documents, sorted(documents)
        assert documents[plan]["tasks"], f"{plan} reached without its tasks"


@pytest.mark.parametrize(("size", "cites"), [(1, False), (2, False), (3, True)])
def test_trace_down_pages_of_57_nq_tw_make_the_whole_answer(sample_store, size, cites):
    whole = trace.trace_down(sample_store, "57-NQ/TW", cites=cites, limit=500)
    pages = all_pages(sample_store, "57-NQ/TW", size, cites=cites)
    assert [row for page in pages for row in page_rows(page)] == page_rows(whole)
    for page in pages:
        assert (page["total_tasks"], page["provinces"]) == (whole["total_tasks"], whole["provinces"])
    provinces = {s["province"]: s for s in whole["provinces"]}
    assert {"Quảng Ngãi", "Khánh Hòa"} <= set(provinces), whole["provinces"]
    assert sum(s["tasks"] for s in whole["provinces"]) == whole["total_tasks"] > 0


def test_coverage_of_07_tb_names_khanh_hoa_and_quang_ngai(sample_store):
    result = coverage.coverage(sample_store, "07-TB/CQTTBCĐ")
    provinces = {p["province"]: p for p in result["covered_provinces"]}
    assert "Khánh Hòa" in provinces and "Quảng Ngãi" in provinces, sorted(provinces)
    khanh_hoa = provinces["Khánh Hòa"]["documents"]
    assert any(d["id"] == "02-KH/BCĐ" and not d["stub"] for d in khanh_hoa), khanh_hoa
    quang_ngai = provinces["Quảng Ngãi"]
    assert any(d["id"] == "01-KH/BCĐ" and d["stub"] for d in quang_ngai["documents"]), quang_ngai
    communes = {c["commune"]: c for c in quang_ngai["communes"]}
    assert any(d["id"] == "667/KH-UBND" and not d["stub"] for d in communes["Ngọk Bay"]["documents"])


def test_search_cong_an_xa_finds_the_units_and_their_tasks(sample_store):
    result = search.search(sample_store, "cong an xa", kinds=["Agency"])
    units = [h for h in result["items"] if h["node"]["name"] == "Công an xã"]
    assert units, [h["node"]["label"] for h in result["items"]]
    assert any(h["tasks"] for h in units)
