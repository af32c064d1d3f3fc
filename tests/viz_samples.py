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
from graph.model import AGENCY, DOCUMENT, IMPLEMENTS, LED_BY, PART_OF, TASK, Contribution, Edge, Node

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


def synthetic_store(folder: Path, provinces: int, communes: int, tasks: int) -> EmbeddedStore:
    """One directive, `provinces` plans implementing it, each with `communes` commune plans of
    `tasks` tasks, each task led by a commune unit."""
    root = Node("doc:1-NQ/TW@national", DOCUMENT, {"id": "1-NQ/TW", "role": "directive",
                                                   "level": "national", "jurisdiction": "national"})
    contributions = [Contribution("root.txt", [root])]
    for p in range(provinces):
        plan = Node(f"doc:{p}-KH/TU@P{p}", DOCUMENT, {"id": f"{p}-KH/TU", "role": "plan",
                                                      "level": "province", "jurisdiction": f"P{p}"})
        stub = Node(root.key, DOCUMENT, {"id": "1-NQ/TW", "stub": True})  # as the builder states it
        nodes, edges = [plan, stub], [Edge(plan.key, root.key, IMPLEMENTS, {"confidence": 1.0})]
        for c in range(communes):
            doc = Node(f"doc:{c}/KH-UBND@C{p}.{c}", DOCUMENT, {
                "id": f"{c}/KH-UBND", "role": "plan", "level": "commune", "jurisdiction": f"C{p}.{c}",
                "province": f"P{p}"})
            unit = Node(f"agency:Công an xã@C{p}.{c}", AGENCY, {"name": "Công an xã", "level": "commune",
                                                               "jurisdiction": f"C{p}.{c}"})
            nodes += [doc, unit]
            edges.append(Edge(doc.key, plan.key, IMPLEMENTS, {"confidence": 1.0}))
            for t in range(tasks):
                task = Node(f"task:{doc.key}#II.{t}", TASK, {"number": str(t), "section": "II",
                                                               "text": f"Nhiệm vụ {t}"})
                nodes.append(task)
                edges += [Edge(task.key, doc.key, PART_OF, {}), Edge(task.key, unit.key, LED_BY, {})]
        contributions.append(Contribution(f"p{p}.txt", nodes, edges))
    store = EmbeddedStore(folder)
    store.write(contributions)
    return store
