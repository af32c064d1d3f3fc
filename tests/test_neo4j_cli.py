"""`chidao --store bolt://…`: the samples ingested into Neo4j through the command line read back
exactly as from the embedded store, command by command; and a bad Neo4j URI or password is one
clear line, not a traceback."""

from __future__ import annotations

import contextlib
import io
import socket
from pathlib import Path

import pytest

from chidao.cli import main
from graph.open import StoreUnavailable, open_store
from tests.cli_run import run_chidao as chidao
from tests.conftest import wipe_neo4j

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
READ_COMMANDS = [
    ["show", "57-NQ/TW"],
    ["show", "667/KH-UBND"],
    ["trace", "667/KH-UBND", "--up"],
    ["trace", "57-NQ/TW", "--down"],
    ["unresolved"],
    ["units"],
    ["tasks"],
    ["coverage", "57-NQ/TW"],
    ["search", "khoa học"],
]


@pytest.fixture(scope="module")
def both_stores(tmp_path_factory, neo4j_server):
    """The samples ingested into an embedded store and into Neo4j, through `chidao ingest`; once
    for the module, as ingesting is the slow part."""
    wipe_neo4j(neo4j_server)
    embedded = ["--data", str(tmp_path_factory.mktemp("cli") / "embedded")]
    neo4j = ["--store", neo4j_server.uri]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHIDAO_NEO4J_USER", neo4j_server.user)
        patch.setenv("CHIDAO_NEO4J_PASSWORD", neo4j_server.password or "")
        for store in (embedded, neo4j):
            out, err = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main([*store, "ingest", "--no-progress", str(SAMPLES)])
            assert code == 0, err.getvalue()
            assert "ingested 5 of 5 files" in out.getvalue()
    return embedded, neo4j


@pytest.mark.parametrize("command", READ_COMMANDS, ids=[" ".join(c) for c in READ_COMMANDS])
def test_read_commands_print_the_same_from_both_stores(command, both_stores, neo4j_server, capsys,
                                                      monkeypatch):
    embedded, neo4j = both_stores
    monkeypatch.setenv("CHIDAO_NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("CHIDAO_NEO4J_PASSWORD", neo4j_server.password or "")
    expected = chidao(capsys, *embedded, *command)
    assert expected[0] == 0, expected[2]
    assert expected[1].strip(), "the command printed nothing: the comparison would prove nothing"
    assert chidao(capsys, *neo4j, *command) == expected


def test_unreachable_neo4j_is_a_clear_error(capsys):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = chidao(capsys, "--store", f"bolt://127.0.0.1:{port}", "show", "57-NQ/TW")
    assert code == 2
    assert err.startswith("chidao show: cannot use Neo4j at bolt://127.0.0.1:")
    assert "Traceback" not in err


def test_wrong_password_is_a_clear_error(neo4j_server, tmp_path):
    with pytest.raises(StoreUnavailable, match="cannot use Neo4j"):
        open_store(tmp_path, neo4j_server.uri.replace("bolt://", "bolt://neo4j:wrong-password@"))


def test_credentials_in_the_uri(neo4j_store, neo4j_server, tmp_path, monkeypatch):
    monkeypatch.delenv("CHIDAO_NEO4J_USER", raising=False)
    monkeypatch.delenv("CHIDAO_NEO4J_PASSWORD", raising=False)
    uri = neo4j_server.uri.replace("bolt://", f"bolt://{neo4j_server.user}:{neo4j_server.password}@")
    store = open_store(tmp_path, uri)
    try:
        assert store.source_files() == []
    finally:
        store.close()


def test_routing_scheme_works_on_a_single_server(neo4j_store, neo4j_server, tmp_path, monkeypatch):
    monkeypatch.setenv("CHIDAO_NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("CHIDAO_NEO4J_PASSWORD", neo4j_server.password or "")
    store = open_store(tmp_path, neo4j_server.uri.replace("bolt://", "neo4j://"))
    try:
        store.write([])
        assert store.source_files() == []
    finally:
        store.close()
