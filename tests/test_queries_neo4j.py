"""Every query gives the same answer on the Neo4j store as on the embedded one: they use only
the GraphStore interface. Needs the Neo4j test server (`make test`); skips without it."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from graph.embedded import EmbeddedStore
from queries import coverage, details, explain, neighbourhood, search, trace, unresolved, workload
from tests.query_fixtures import all_pages, build_cascade, cascade_contributions

pytest_plugins = ["tests.query_fixtures"]

QUERIES = {
    "trace_up": lambda s: trace.trace_up(s, "20/KH-UBND#II.1", cites=True),
    "trace_down": lambda s: trace.trace_down(s, "9-NQ/TW"),
    "coverage": lambda s: coverage.coverage(s, "9-NQ/TW", missing_limit=3),
    "plan_gaps": lambda s: coverage.plan_gaps(s, "3-KH/TU"),
    "workload": lambda s: workload.workload(s, "Công an xã", as_of=date(2026, 1, 1)),
    "search": lambda s: search.search(s, "cong an xa"),
    "unresolved": lambda s: unresolved.unresolved(s),
    "explain": lambda s: explain.explain(s, "40/KH-UBND", "20/KH-UBND"),
    "neighbourhood": lambda s: neighbourhood.neighbourhood(s, "20/KH-UBND"),
    "document": lambda s: details.document_detail(s, "9-NQ/TW"),
    "task": lambda s: details.task_detail(s, "20/KH-UBND#II.1"),
}


@pytest.fixture
def both(tmp_path, neo4j_store):
    neo4j_store.write(cascade_contributions())
    return build_cascade(tmp_path / "embedded"), neo4j_store


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_answer_on_both_stores(both, name):
    embedded, neo4j_store = both
    expected = QUERIES[name](embedded)
    assert QUERIES[name](neo4j_store) == expected


@pytest.fixture
def generated_both(tmp_path, neo4j_store, generated_store_dir):
    """The generated cascade, aligned (tasks carrying out tasks), in both stores."""
    from graph.align import run_alignment

    copy = tmp_path / "generated"
    shutil.copytree(generated_store_dir, copy)
    embedded = EmbeddedStore(copy)
    run_alignment(embedded)
    neo4j_store.write(embedded.contribution(name) for name in embedded.source_files())
    return embedded, neo4j_store


def without_full_walk(monkeypatch, store) -> None:
    """trace-down must take the walk without properties: the full walk fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("trace-down read every reached edge's properties")
    monkeypatch.setattr(store, "descendants", refuse)


@pytest.mark.parametrize("options", [{}, {"cites": True}, {"max_depth": 2}])
def test_trace_down_pages_are_the_same_on_both_stores(generated_both, monkeypatch, options):
    embedded, neo4j_store = generated_both
    without_full_walk(monkeypatch, neo4j_store)
    expected = all_pages(embedded, "57-NQ/TW", 7, **options)
    assert len(expected) > 3 and expected[0]["total_tasks"], "too few pages to compare"
    assert all_pages(neo4j_store, "57-NQ/TW", 7, **options) == expected


def test_cascade_trace_down_pages_are_the_same_on_both_stores(both, monkeypatch):
    embedded, neo4j_store = both
    without_full_walk(monkeypatch, neo4j_store)
    expected = all_pages(embedded, "9-NQ/TW", 1, cites=True)
    assert len(expected) > 2, "too few pages to compare"
    assert all_pages(neo4j_store, "9-NQ/TW", 1, cites=True) == expected
