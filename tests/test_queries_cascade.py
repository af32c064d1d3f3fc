"""The queries on a small hand-written cascade (tests/query_fixtures.py): national resolution →
provincial plan → commune plan → tasks → units, with a stub plan known from a second-order
reference. Runs on the embedded store through the GraphStore interface only."""

from __future__ import annotations

from datetime import date

import pytest

from graph.embedded import EmbeddedStore
from graph.model import CITES, IMPLEMENTS, PART_OF
from graph.store import GraphStore
from queries import (
    cascade_index,
    coverage,
    details,
    explain,
    neighbourhood,
    search,
    trace,
    unresolved,
    workload,
)
from queries.resolve import Ambiguous, NotFound, resolve
from tests.query_fixtures import all_pages, build_cascade, cascade_contributions, page_rows

pytest_plugins = ["tests.query_fixtures"]


@pytest.mark.parametrize(("ref", "expected"), [
    ("9-NQ/TW", "doc:9-NQ/TW@national"),
    ("9-nq/tw", "doc:9-NQ/TW@national"),
    ("09-NQ/TW", "doc:9-NQ/TW@national"),          # numbers compare as integers
    ("9-NQ~TW", "doc:9-NQ/TW@national"),           # URL slug form
    ("8-KH/BCD", "doc:8-KH/BCĐ@Cao Bằng"),         # Đ folded
    ("20/KH-UBND@Bac Binh", "doc:20/KH-UBND@Bắc Bình"),
    ("20/KH-UBND#II.1", "task:doc:20/KH-UBND@Bắc Bình#II.1"),
    ("20/KH-UBND#1", "task:doc:20/KH-UBND@Bắc Bình#II.1"),  # number alone when unique
    ("cong an xa@Bac Binh", "agency:Công an xã@Bắc Bình"),
    ("doc:3-KH/TU@Lâm Đồng", "doc:3-KH/TU@Lâm Đồng"),
])
def test_resolve_forms(cascade_store, ref, expected):
    assert resolve(cascade_store, ref) == expected


def test_unknown_id_suggests_close_ids(cascade_store):
    with pytest.raises(NotFound) as caught:
        resolve(cascade_store, "9-NQ/TU")
    assert "9-NQ/TW" in caught.value.suggestions


def test_same_name_in_two_communes_is_ambiguous(cascade_store):
    with pytest.raises(Ambiguous) as caught:
        resolve(cascade_store, "Công an xã")
    assert len(caught.value.candidates) == 2


def test_trace_up_from_a_commune_task_reaches_the_resolution_with_evidence(cascade_store):
    result = trace.trace_up(cascade_store, "20/KH-UBND#II.2")
    chains = [[n["ref"] for n in p["nodes"]] for p in result["paths"]]
    assert ["20/KH-UBND@Bắc Bình#II.2", "20/KH-UBND@Bắc Bình", "3-KH/TU@Lâm Đồng", "9-NQ/TW"] in chains
    assert [r["ref"] for r in result["roots"]] == ["9-NQ/TW"]
    path = result["paths"][0]
    assert [s["type"] for s in path["steps"]] == [PART_OF, IMPLEMENTS, IMPLEMENTS]
    assert all(step["evidence"] for step in path["steps"])
    assert path["steps"][1]["evidence"][0]["line"] == 6


def test_trace_up_with_cites_adds_the_shorter_cited_path(cascade_store):
    plain = trace.trace_up(cascade_store, "20/KH-UBND#II.1")
    cited = trace.trace_up(cascade_store, "20/KH-UBND#II.1", cites=True)
    assert cited["total_paths"] > plain["total_paths"]
    shortest = cited["paths"][0]
    assert shortest["length"] == 1 and shortest["steps"][0]["type"] == CITES
    lengths = [p["length"] for p in cited["paths"]]
    assert lengths == sorted(lengths)


def test_trace_down_groups_descendants_by_province_and_commune(cascade_store):
    result = trace.trace_down(cascade_store, "9-NQ/TW")
    places = {(g["province"], g["commune"]): [d["document"]["ref"] for d in g["documents"]]
              for g in result["groups"]}
    assert places[("Lâm Đồng", None)] == ["3-KH/TU@Lâm Đồng"]
    assert places[("Lâm Đồng", "Bắc Bình")] == ["20/KH-UBND@Bắc Bình"]
    assert places[("Bắc Ninh", "An Lạc")] == ["40/KH-UBND@An Lạc"]
    assert places[("Cao Bằng", None)] == ["8-KH/BCĐ@Cao Bằng"]
    commune = next(d for g in result["groups"] for d in g["documents"] if d["document"]["id"] == "20/KH-UBND")
    task = next(t for t in commune["tasks"] if t["number"] == "2")
    assert [u["label"] for u in task["support"]] == ["Công an xã (Bắc Bình)"]
    assert result["total_documents"] == 4 and result["total_tasks"] == 5


def test_trace_down_paginates(cascade_store):
    first = trace.trace_down(cascade_store, "9-NQ/TW", limit=2)
    second = trace.trace_down(cascade_store, "9-NQ/TW", offset=2, limit=2)
    refs = [d["document"]["key"] for r in (first, second) for g in r["groups"] for d in g["documents"]]
    assert len(refs) == 4 and len(set(refs)) == 4


def assert_pages_make_the_whole(store, ref: str, size: int, **options) -> dict:
    """The pages of `size` documents, read one after another, are the unpaged answer: same
    documents in the same order with the same places, tasks and units; every page carries the
    whole answer's totals and province summary. Returns the unpaged answer."""
    whole = trace.trace_down(store, ref, limit=10**6, **options)
    pages = all_pages(store, ref, size, **options)
    assert [row for page in pages for row in page_rows(page)] == page_rows(whole)
    shared = ("start", "edge_types", "total_documents", "total_tasks", "provinces")
    for number, page in enumerate(pages):
        assert {k: page[k] for k in shared} == {k: whole[k] for k in shared}
        assert page["offset"] == number * size and page["limit"] == size
    assert pages[-1]["groups"] == []
    return whole


def assert_ordered_and_summed_up(answer: dict) -> None:
    """Documents ordered by province, commune, depth, id; `provinces` counts what the groups hold."""
    rows = page_rows(answer)
    order = [(p or "", c or "", d["depth"], d["document"]["id"]) for p, c, d in rows]
    assert order == sorted(order)
    assert answer["total_documents"] == len(rows)
    assert answer["total_tasks"] == sum(len(d["tasks"]) for _, _, d in rows)
    summary = {s["province"]: s for s in answer["provinces"]}
    assert [s["province"] for s in answer["provinces"]] == list(dict.fromkeys(p for p, _, _ in rows))
    for province, row in summary.items():
        mine = [(position, c, d) for position, (p, c, d) in enumerate(rows) if p == province]
        assert row["offset"] == mine[0][0]
        assert row["documents"] == len(mine)
        assert row["tasks"] == sum(len(d["tasks"]) for _, _, d in mine)
        assert row["communes"] == len({c for _, c, _ in mine if c})


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5])
def test_trace_down_pages_concatenate_to_the_whole_answer(cascade_store, size):
    whole = assert_pages_make_the_whole(cascade_store, "9-NQ/TW", size)
    assert_ordered_and_summed_up(whole)


def test_trace_down_sums_up_each_province(cascade_store):
    result = trace.trace_down(cascade_store, "9-NQ/TW", limit=1)
    summary = {s["province"]: s for s in result["provinces"]}
    assert summary["Lâm Đồng"] == {"province": "Lâm Đồng", "documents": 2, "tasks": 4, "communes": 1,
                                   "offset": summary["Lâm Đồng"]["offset"]}
    assert summary["Bắc Ninh"]["communes"] == 1 and summary["Bắc Ninh"]["documents"] == 1
    assert summary["Cao Bằng"]["tasks"] == 0                        # a stub: no tasks known
    assert sum(s["documents"] for s in result["provinces"]) == result["total_documents"]
    # a province's offset is the page that starts with it
    page = trace.trace_down(cascade_store, "9-NQ/TW", offset=summary["Lâm Đồng"]["offset"], limit=2)
    assert {g["province"] for g in page["groups"]} == {"Lâm Đồng"}


@pytest.mark.parametrize("size", [1, 7, 50])
def test_trace_down_pages_on_a_generated_cascade(generated_store_dir, size):
    store = EmbeddedStore(generated_store_dir)
    whole = assert_pages_make_the_whole(store, "57-NQ/TW", size)
    assert_ordered_and_summed_up(whole)
    assert whole["total_documents"] > 50 and len(whole["provinces"]) > 3, whole["provinces"]


class UnversionedStore(EmbeddedStore):
    """An embedded store that does not say which version of its graph it reads."""

    generation = property(lambda self: None, lambda self, value: None)


@pytest.fixture
def counted_builds(monkeypatch) -> list[str]:
    built: list[str] = []
    real = cascade_index.build_index

    def counting(store, start, types, max_depth):
        built.append(start)
        return real(store, start, types, max_depth)

    monkeypatch.setattr(cascade_index, "build_index", counting)
    return built


def test_trace_down_pages_of_one_generation_share_one_walk(tmp_path, counted_builds):
    store = EmbeddedStore(tmp_path / "versioned")
    store.write(cascade_contributions()[:2])
    first = trace.trace_down(store, "9-NQ/TW", limit=2)
    second = trace.trace_down(store, "9-NQ/TW", offset=2, limit=2)
    assert [d["document"]["key"] for _, _, d in page_rows(first) + page_rows(second)] == [
        d["document"]["key"] for _, _, d in page_rows(trace.trace_down(store, "9-NQ/TW", limit=4))]
    assert trace.trace_down(store, "9-NQ/TW", cites=True, limit=2)["edge_types"][-1] == CITES
    assert len(counted_builds) == 2                                  # two walks: plain and with CITES
    store.refresh()                                                   # nothing new: the walk is kept
    trace.trace_down(store, "9-NQ/TW", limit=2)
    assert len(counted_builds) == 2
    store.write(cascade_contributions()[2:])                          # a new commune plan: a new generation
    after = trace.trace_down(store, "9-NQ/TW", limit=10)
    assert len(counted_builds) == 3
    assert after["total_documents"] == first["total_documents"] + 1
    assert after == trace.trace_down(build_cascade(tmp_path / "plain"), "9-NQ/TW", limit=10)
    assert len(counted_builds) == 4                                  # the plain store is walked


def test_a_write_by_another_process_is_seen_after_refresh(tmp_path, counted_builds):
    reader = EmbeddedStore(tmp_path)
    writer = EmbeddedStore(tmp_path)  # the store file is all two processes share
    writer.write(cascade_contributions()[:2])
    reader.refresh()
    first = trace.trace_down(reader, "9-NQ/TW", limit=10)
    writer.write(cascade_contributions()[2:])
    assert trace.trace_down(reader, "9-NQ/TW", limit=10) == first    # not refreshed: the same graph
    assert len(counted_builds) == 1
    reader.refresh()
    after = trace.trace_down(reader, "9-NQ/TW", limit=10)
    assert len(counted_builds) == 2
    assert after["total_documents"] == first["total_documents"] + 1


def test_trace_down_walks_again_on_a_store_without_generation(tmp_path, counted_builds):
    store = UnversionedStore(tmp_path)
    store.write(cascade_contributions())
    trace.trace_down(store, "9-NQ/TW", limit=2)
    trace.trace_down(store, "9-NQ/TW", offset=2, limit=2)
    assert len(counted_builds) == 2


def test_coverage_counts_a_commune_plan_for_its_province_and_tells_stubs_apart(cascade_store):
    result = coverage.coverage(cascade_store, "9-NQ/TW", missing_limit=5)
    by_province = {p["province"]: p for p in result["covered_provinces"]}
    assert set(by_province) == {"Lâm Đồng", "Bắc Ninh", "Cao Bằng"}
    assert by_province["Bắc Ninh"]["documents"] == []                      # only its commune's plan
    assert by_province["Bắc Ninh"]["communes"][0]["commune"] == "An Lạc"
    assert by_province["Cao Bằng"]["status"] == "stub"
    assert by_province["Lâm Đồng"]["status"] == "ingested"
    assert result["provinces_total"] == 34 and result["provinces_covered"] == 3
    assert len(result["provinces_without"]) == 31 and "Cao Bằng" not in result["provinces_without"]
    assert result["communes_total"] == 3321 and result["communes_covered"] == 2
    assert result["communes_without"]["total"] == 3319 and len(result["communes_without"]["items"]) == 5
    assert result["unmatched_places"] == []


def test_plan_gaps_lists_tasks_without_a_carrying_task(cascade_store):
    result = coverage.plan_gaps(cascade_store, "3-KH/TU")
    assert [t["number"] for t in result["carried"]] == ["1"]
    assert result["carried"][0]["carried_out_by"][0]["ref"] == "20/KH-UBND@Bắc Bình#II.1"
    assert [t["number"] for t in result["without_carrying_task"]] == ["2"]
    assert [d["ref"] for d in result["implementing_documents"]] == ["20/KH-UBND@Bắc Bình"]


@pytest.mark.parametrize(("kind", "value", "due"), [
    ("date", "2025-11-30", date(2025, 11, 30)),
    ("month", "2025-02", date(2025, 2, 28)),
    ("month", "2024-02", date(2024, 2, 29)),
    ("quarter", "2025-Q4", date(2025, 12, 31)),
    ("quarter", "2025-Q1", date(2025, 3, 31)),
    ("year", "2026", date(2026, 12, 31)),
    ("recurring", None, None),
    ("conditional", None, None),
    ("month", "2025-13", None),
    ("quarter", "2025-Q5", None),
])
def test_due_date(kind, value, due):
    assert workload.due_date(kind, value) == due


def test_workload_of_a_unit_name_in_several_communes(cascade_store):
    result = workload.workload(cascade_store, "cong an xa", as_of=date(2026, 1, 1))
    assert {u["jurisdiction"] for u in result["units"]} == {"Bắc Bình", "An Lạc"}
    assert (result["lead"], result["support"], result["overdue"]) == (2, 1, 1)
    rows = result["tasks"]["items"]
    assert [r["due"] for r in rows] == ["2025-11-30", "2027-01-15", None]  # earliest first, none last
    assert rows[0]["overdue"] and not rows[1]["overdue"]


@pytest.mark.parametrize(("query", "expected_label"), [
    ("cong an xa", "Công an xã (Bắc Bình)"),
    ("CÔNG AN XÃ", "Công an xã (An Lạc)"),
    ("so noi vu", "Sở Nội vụ (Lâm Đồng)"),
    ("an ninh mang", "II.1: Bảo đảm an ninh mạng trên địa bàn xã"),
    ("8-KH/BCD", "8-KH/BCĐ (Cao Bằng)"),
    ("8-KH/BCP", "8-KH/BCĐ (Cao Bằng)"),       # the OCR form, recorded as an alias
    ("Cong an xaa", "Công an xã (Bắc Bình)"),  # fuzzy: a damaged word still finds the unit
    ("Cong an x4", "Công an xã (An Lạc)"),      # OCR reads ã as 4
])
def test_search_is_accent_insensitive(cascade_store, query, expected_label):
    result = search.search(cascade_store, query, limit=50)
    labels = [h["node"]["label"] for h in result["items"]]
    assert expected_label in labels, labels


def test_search_ranks_the_nearly_exact_phrase_above_scattered_words(cascade_store):
    hits = search.search(cascade_store, "Cong an x4")["items"]
    assert hits[0]["node"]["name"] == "Công an xã" and hits[0]["score"] >= 85


def test_search_brings_a_units_tasks(cascade_store):
    result = search.search(cascade_store, "cong an xa")
    hit = next(h for h in result["items"] if h["node"]["label"] == "Công an xã (Bắc Bình)")
    assert {(t["ref"], t["role"]) for t in hit["tasks"]} == {
        ("20/KH-UBND@Bắc Bình#II.1", "lead"), ("20/KH-UBND@Bắc Bình#II.2", "support")}
    assert "Công an tỉnh (Lâm Đồng)" not in [h["node"]["label"] for h in result["items"]]


def test_unresolved_ranks_stubs_by_citing_documents(cascade_store):
    rows = unresolved.unresolved(cascade_store)["items"]
    counts = [(r["document"]["ref"], r["cited_by_count"]) for r in rows]
    assert counts == [("9-NQ/TW", 4), ("8-KH/BCĐ@Cao Bằng", 2), ("5/TTr-VHXH@Bắc Bình", 1)]
    assert rows[0]["relations"] == {IMPLEMENTS: 3, CITES: 1}


def test_explain_walks_edges_both_ways(cascade_store):
    result = explain.explain(cascade_store, "40/KH-UBND", "20/KH-UBND")
    first = result["paths"][0]
    assert [n["ref"] for n in first["nodes"]] == ["40/KH-UBND@An Lạc", "9-NQ/TW", "20/KH-UBND@Bắc Bình"]
    assert [s["direction"] for s in first["steps"]] == ["forward", "backward"]
    lengths = [p["length"] for p in result["paths"]]
    assert lengths == sorted(lengths)


def test_explain_reports_no_path_within_the_depth(cascade_store):
    assert explain.explain(cascade_store, "40/KH-UBND", "20/KH-UBND", max_depth=1)["paths"] == []


def test_neighbourhood_returns_nodes_and_edges_among_them(cascade_store):
    result = neighbourhood.neighbourhood(cascade_store, "20/KH-UBND")
    keys = {n["key"] for n in result["nodes"]}
    assert "doc:3-KH/TU@Lâm Đồng" in keys and "task:doc:20/KH-UBND@Bắc Bình#II.1" in keys
    assert all(e["source"] in keys and e["target"] in keys for e in result["edges"])
    small = neighbourhood.neighbourhood(cascade_store, "20/KH-UBND", limit=3)
    assert len(small["nodes"]) == 3 and small["truncated"]


def test_document_detail_and_listings(cascade_store):
    detail = details.document_detail(cascade_store, "3-KH/TU")
    assert [link["node"]["ref"] for link in detail["referenced_by"]] == ["20/KH-UBND@Bắc Bình"]
    assert [t["number"] for t in detail["tasks"]] == ["1", "2"]
    stubs = details.list_documents(cascade_store, stub=True)
    assert [d["id"] for d in stubs["items"]] == ["5/TTr-VHXH", "8-KH/BCĐ", "9-NQ/TW"]
    plans = details.list_documents(cascade_store, role="plan", stub=False)
    assert plans["total"] == 3


def test_document_detail_caps_referring_links_strongest_first(cascade_store):
    full = details.document_detail(cascade_store, "9-NQ/TW")
    capped = details.document_detail(cascade_store, "9-NQ/TW", limit=2)
    assert full["referenced_by_total"] == capped["referenced_by_total"] == len(full["referenced_by"]) == 5
    assert capped["referenced_by"] == full["referenced_by"][:2]
    assert [link["type"] for link in capped["referenced_by"]] == [IMPLEMENTS, IMPLEMENTS]


def test_trace_up_directives_only_drops_paths_ending_elsewhere(cascade_store):
    everything = trace.trace_up(cascade_store, "20/KH-UBND", based_on=True)
    directives = trace.trace_up(cascade_store, "20/KH-UBND", based_on=True, directives_only=True)
    assert [r["ref"] for r in everything["roots"]] == ["9-NQ/TW", "5/TTr-VHXH@Bắc Bình"]  # directives first
    assert [r["ref"] for r in directives["roots"]] == ["9-NQ/TW"]
    assert directives["total_paths"] == everything["total_paths"] - 1
    assert trace.trace_up(cascade_store, "20/KH-UBND")["total_paths"] == directives["total_paths"]


class EdgeCountingStore(UnversionedStore):
    """Counts the lineage edges whose properties a query reads, by the node they leave."""

    def __init__(self, folder) -> None:
        super().__init__(folder)
        self.edges_read: list[str] = []

    def edges_out_many(self, keys, types=None):
        keys = list(keys)
        if types is not None and set(types) <= set(trace.lineage_types(based_on=True, cites=True)):
            self.edges_read += keys
        return super().edges_out_many(keys, types)

    def descendants(self, key, types, max_depth=8):
        raise AssertionError("trace-down walks without the edges' properties")


@pytest.mark.parametrize("types", [[IMPLEMENTS, PART_OF], trace.lineage_types(cites=True), None])
@pytest.mark.parametrize("max_depth", [1, 2, 8])
def test_the_embedded_walk_is_the_interfaces_walk(generated_store_dir, types, max_depth):
    store = EmbeddedStore(generated_store_dir)
    start = resolve(store, "57-NQ/TW")
    walked = store.descendants(start, types, max_depth)
    assert walked == GraphStore.descendants(store, start, types, max_depth)
    assert list(walked) == list(GraphStore.descendants(store, start, types, max_depth))  # same order
    keys = store.descendant_keys(start, types, max_depth)
    assert keys == GraphStore.descendant_keys(store, start, types, max_depth)
    assert any(edge.props for _, edge in walked.values())
    assert store.descendant_keys("no such key", types) == {}


def test_trace_down_reads_the_properties_of_the_pages_edges_only(generated_store_dir, tmp_path):
    store = EmbeddedStore(generated_store_dir)
    counting = EdgeCountingStore(generated_store_dir)
    plain = trace.trace_down(store, "57-NQ/TW", offset=3, limit=7)
    assert trace.trace_down(counting, "57-NQ/TW", offset=3, limit=7) == plain
    shown = [d for _, _, d in page_rows(plain)]
    assert all(d["via"]["evidence"] for d in shown)          # the page's edges come with their evidence
    assert plain["total_documents"] > cascade_index.EDGES_READ_TOGETHER
    assert len(counting.edges_read) <= cascade_index.EDGES_READ_TOGETHER
    assert {d["via"]["source"] for d in shown} <= set(counting.edges_read)
