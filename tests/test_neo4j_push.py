"""`chidao push --neo4j URI` copies an embedded store into Neo4j: the same commands then print
the same from both, and pushing twice changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import run_chidao as chidao
from tests.conftest import wipe_neo4j

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture
def pushed(tmp_path, neo4j_server, monkeypatch, capsys):
    monkeypatch.delenv("CHIDAO_NEO4J_USER", raising=False)
    monkeypatch.delenv("CHIDAO_NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    wipe_neo4j(neo4j_server)
    data = ["--data", str(tmp_path / "embedded")]
    code, _, err = chidao(capsys, *data, "ingest", "--no-progress", str(SAMPLES))
    assert code == 0, err
    code, out, err = chidao(capsys, *data, "push", "--neo4j", neo4j_server.uri)
    assert code == 0, err
    assert out.startswith("pushed ") and f"to {neo4j_server.uri}" in out
    # the read side takes the same credentials under the names the store reads
    monkeypatch.setenv("CHIDAO_NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("CHIDAO_NEO4J_PASSWORD", neo4j_server.password or "")
    return data, ["--store", neo4j_server.uri]


@pytest.mark.parametrize("command", [["trace", "667/KH-UBND", "--up"], ["tasks", "--doc", "667/KH-UBND"],
                                     ["counterparts", "667/KH-UBND#II.3"]])
def test_pushed_store_answers_like_the_embedded_one(pushed, capsys, command):
    embedded, neo4j = pushed
    expected = chidao(capsys, *embedded, *command)
    assert expected[0] == 0 and expected[1].strip(), expected[2]
    assert chidao(capsys, *neo4j, *command) == expected


def test_pushing_twice_changes_nothing(pushed, capsys, neo4j_server):
    embedded, neo4j = pushed
    before = chidao(capsys, *neo4j, "trace", "57-NQ/TW", "--down")
    code, _, err = chidao(capsys, *embedded, "push", "--neo4j", neo4j_server.uri)
    assert code == 0, err
    assert chidao(capsys, *neo4j, "trace", "57-NQ/TW", "--down") == before


def test_pushing_an_empty_store_is_a_clear_error(tmp_path, capsys):
    code, _, err = chidao(capsys, "--data", str(tmp_path / "none"), "push", "--neo4j", "bolt://127.0.0.1:1")
    assert code == 1
    assert "is empty: run `chidao ingest` first" in err and "Traceback" not in err
