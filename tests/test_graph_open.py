"""open_store: embedded by default, Neo4j for neo4j:// and bolt:// URIs, clear errors otherwise."""

from __future__ import annotations

import pickle
import sys

import pytest

from chidao.cli import main
from graph import embedded
from graph.embedded import EmbeddedStore
from graph.open import StoreUnavailable, open_store


def test_embedded_when_no_uri(tmp_path):
    store = open_store(tmp_path / "data", None)
    assert isinstance(store, EmbeddedStore)
    assert store.source_files() == []


@pytest.mark.parametrize("uri", ["http://localhost:7474", "sqlite:///x.db", "localhost:7687"])
def test_unknown_scheme_is_a_clear_error(tmp_path, uri):
    with pytest.raises(StoreUnavailable, match="unknown store URI"):
        open_store(tmp_path, uri)


def test_missing_neo4j_module_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "graph.neo4j_store", None)  # makes the import fail
    with pytest.raises(StoreUnavailable, match="Neo4j store is not available"):
        open_store(tmp_path, "bolt://127.0.0.1:1")


@pytest.mark.parametrize("content", [b"not a store", pickle.dumps({"format": 999})])
def test_an_unusable_store_is_one_line_telling_to_ingest_again(tmp_path, capsys, content):
    (tmp_path / embedded.STORE_FILE).write_bytes(content)
    code = main(["--data", str(tmp_path), "show", "57-NQ/TW"])
    err = capsys.readouterr().err
    assert code == 2
    assert "ingest again" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
