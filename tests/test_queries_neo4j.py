"""Every query gives the same answer on the Neo4j store as on the embedded one: they use only
the GraphStore interface. Needs the Neo4j test server (`make test`); skips without it."""

from __future__ import annotations

from datetime import date

import pytest

from queries import coverage, details, explain, neighbourhood, search, trace, unresolved, workload
from tests.query_fixtures import build_cascade, cascade_contributions

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
