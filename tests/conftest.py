"""Shared fixtures.

`ingested_store`: a factory of store folders holding files ingested by `chidao ingest` (which
aligns after writing), for the CLI and lineage tests.

Neo4j: `make test` runs pytest under scripts/neo4j_server.py, which starts a throwaway server and
exports CHIDAO_TEST_NEO4J_URI / _USER / _PASSWORD (or CHIDAO_TEST_NEO4J_SKIP with the reason it
could not). Tests that use the `neo4j_server` or `neo4j_store` fixtures skip without a server,
with the reason; under CI (`CI=true`) such a skip fails the run instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

NEO4J_MARK = "neo4j"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str | None
    version: str


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{NEO4J_MARK}: needs the Neo4j test server (fails under CI "
                                       "when it is missing)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if {"neo4j_server", "neo4j_store"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(NEO4J_MARK)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    if report.skipped and running_in_ci() and item.get_closest_marker(NEO4J_MARK) is not None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"Neo4j test skipped under CI, which counts as a failure: {reason}"
    return report


@pytest.fixture(scope="session")
def neo4j_server() -> Neo4jServer:
    uri = os.environ.get("CHIDAO_TEST_NEO4J_URI")
    if not uri:
        reason = os.environ.get("CHIDAO_TEST_NEO4J_SKIP") or (
            "CHIDAO_TEST_NEO4J_URI is not set: run `make test`, or "
            "`python scripts/neo4j_server.py run -- pytest`")
        pytest.skip(f"no Neo4j server: {reason}")
    return Neo4jServer(uri, os.environ.get("CHIDAO_TEST_NEO4J_USER") or "neo4j",
                       os.environ.get("CHIDAO_TEST_NEO4J_PASSWORD"),
                       os.environ.get("CHIDAO_TEST_NEO4J_VERSION") or "unknown")


def wipe_neo4j(server: Neo4jServer) -> None:
    """Empty the database (Community has one user database, shared by all tests)."""
    import neo4j

    auth = (server.user, server.password) if server.password is not None else None
    quiet = neo4j.NotificationMinimumSeverity.OFF
    with (neo4j.GraphDatabase.driver(server.uri, auth=auth, notifications_min_severity=quiet) as driver,
          driver.session() as session):
        session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture
def neo4j_store(neo4j_server: Neo4jServer):
    """A Neo4jStore on an empty database."""
    from graph.neo4j_store import Neo4jStore

    wipe_neo4j(neo4j_server)
    store = Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    yield store
    store.close()


@pytest.fixture(scope="session")
def ingested_store(tmp_path_factory) -> Callable[..., Path]:
    """`make(*sources)`: a new store folder holding `sources` as `chidao ingest --no-progress`
    leaves them. Each set of sources is ingested once per session and each call gets its own copy,
    so a test module may write to its store without the others seeing it."""
    from chidao.cli import main

    built: dict[tuple[str, ...], Path] = {}

    def make(*sources: Path) -> Path:
        wanted = tuple(str(source) for source in sources)
        if wanted not in built:
            folder = tmp_path_factory.mktemp("ingested") / "store"
            assert main(["--data", str(folder), "ingest", "--no-progress", *wanted]) == 0
            built[wanted] = folder
        copy = tmp_path_factory.mktemp("store") / "store"
        shutil.copytree(built[wanted], copy)
        return copy

    return make
