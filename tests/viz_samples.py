"""The sample store the graph browser tests draw: data/samples ingested through the real pipeline
(`chidao ingest`), or, while the extractor is missing, the hand annotations of the same five files
(../shared/gold) through the real graph builder. Skips with the reason when neither is there."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from graph.build import build_contribution
from graph.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
GOLD = ROOT.parent / "shared" / "gold"
TEST_OUTPUT = ROOT / "test-output"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def build_sample_store(folder: Path) -> tuple[EmbeddedStore, str]:
    """The store and where its data came from ("pipeline" or "gold")."""
    try:
        import ingest.extract  # noqa: F401  (only its presence decides)
    except ImportError:
        return _gold_store(folder), "gold"
    from chidao.cli import main

    assert main(["--data", str(folder), "ingest", "--no-progress", str(SAMPLES)]) == 0
    return EmbeddedStore(folder), "pipeline"


def _gold_store(folder: Path) -> EmbeddedStore:
    files = sorted(GOLD.glob("*.json"))
    if not files:
        pytest.skip(f"no extractor yet and no hand annotations under {GOLD}")
    store = EmbeddedStore(folder)
    store.write(build_contribution(json.loads(f.read_text(encoding="utf-8"))) for f in files)
    return store
