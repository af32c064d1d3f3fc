"""The embedded and the Neo4j store hold the same graph: the same contributions, written to both
(in different orders, batched or one by one, re-ingested, removed), give the same nodes, edges,
source files and lineage paths. Hand-built contributions for the merge rules; the gold records
and the extraction of data/samples for real graphs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph.build import build_contribution
from graph.embedded import EmbeddedStore
from graph.model import (
    AGENCY,
    AMENDS,
    BASED_ON,
    CARRIES_OUT,
    CITES,
    DOCUMENT,
    EDGE_TYPES,
    IMPLEMENTS,
    LED_BY,
    LINEAGE_TYPES,
    PART_OF,
    REFERENCE_TYPES,
    TASK,
    Contribution,
    Edge,
    Node,
)
from ingest.extract import extract_file

pytest_plugins = ["tests.query_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "data" / "samples"
WALK_TYPES = (LINEAGE_TYPES, (*REFERENCE_TYPES, PART_OF, LED_BY))


def dump(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def graph_of(store) -> dict:
    """Everything a query can see through the store interface, in a comparable form."""
    nodes = sorted((n.key, n.kind, dump(n.props)) for n in store.nodes())
    keys = [key for key, _, _ in nodes]
    edges_out = sorted((e.src, e.dst, e.type, dump(e.props)) for k in keys for e in store.edges_out(k))
    edges_in = sorted((e.src, e.dst, e.type, dump(e.props)) for k in keys for e in store.edges_in(k))
    by_kind = {kind: sorted(n.key for n in store.nodes(kind)) for kind in (DOCUMENT, TASK, AGENCY)}
    documents = [key for key, kind, _ in nodes if kind == DOCUMENT]
    paths = {(key, types, direction): [[(e.src, e.dst, e.type, dump(e.props)) for e in p.edges]
                                       for p in walk(store, key, types, direction)]
             for key in documents for types in WALK_TYPES for direction in ("up", "down")}
    return {"nodes": nodes, "edges_out": edges_out, "edges_in": edges_in, "by_kind": by_kind,
            "files": store.source_files(), "paths": paths}


def walk(store, key: str, types: tuple[str, ...], direction: str):
    return store.paths_up(key, types) if direction == "up" else store.paths_down(key, types)


def assert_same_graph(embedded, neo4j_store) -> dict:
    expected, found = graph_of(embedded), graph_of(neo4j_store)
    for part in expected:
        assert found[part] == expected[part], part
    assert found["nodes"], "an empty graph proves nothing"
    return expected


@pytest.fixture
def embedded(tmp_path):
    return EmbeddedStore(tmp_path / "embedded")


# -- hand-built: the merge rules --------------------------------------------------------------

A, B, C, D = ("doc:5-KH/TU@Quảng Ngãi", "doc:57-NQ/TW@national", "doc:2-KH/BCĐTW@national",
              "doc:667/KH-UBND@Ngọk Bay")
TASK_A = f"task:{A}#II.1"
UNIT = "agency:Sở Khoa học và Công nghệ@Quảng Ngãi"


def ev(file: str, line: int) -> dict:
    return {"file": file, "line": line, "raw": f"dòng {line} của {file}"}


def e(src: str, dst: str, type_: str, file: str, line: int, confidence: float = 1.0, **extra) -> Edge:
    return Edge(src, dst, type_, {"confidence": confidence, "evidence": [ev(file, line)], **extra})


def d(key: str, stub: bool, **props) -> Node:
    return Node(key, DOCUMENT, {"stub": stub, **props})


def hand_built() -> dict[str, Contribution]:
    files = {
        "a.txt": Contribution("a.txt", [
            d(A, False, id="05-KH/TU", title="Kế hoạch thực hiện", date=None, aliases=["05-KH/TU"],
              role="Plan"),
            d(B, True, id="57-NQ/TW", aliases=["57-NO/TW"], role="Directive"),
            d(C, True, id="02-KH/BCĐTW", title="", role="Plan"),
            Node(TASK_A, TASK, {"text": "Tuyên truyền", "deadline": {"kind": "quarter", "value": "2025-Q4"},
                                "lead": ["Sở KH&CN"]}),
            Node(UNIT, AGENCY, {"name": "Sở Khoa học và Công nghệ", "code": None}),
        ], [
            e(A, B, CITES, "a.txt", 3, 0.4), e(A, C, IMPLEMENTS, "a.txt", 4, 0.8),
            e(TASK_A, A, PART_OF, "a.txt", 30), e(TASK_A, UNIT, LED_BY, "a.txt", 31),
            e(A, TASK_A, CARRIES_OUT, "a.txt", 30),
        ]),
        "b.txt": Contribution("b.txt", [
            d(B, False, id="57-NQ/TW", title="Về đột phá phát triển khoa học, công nghệ",
              aliases=["57- NQ/TW"], date="2024-12-22", role="Directive"),
            d(C, True, id="02-KH/BCĐTW", title="Kế hoạch của Ban Chỉ đạo Trung ương"),
        ], [e(B, C, CITES, "b.txt", 9), e(B, D, CITES, "b.txt", 10)]),  # b.txt does not name D
        "c.txt": Contribution("c.txt", [
            d(C, False, id="02-KH/BCĐTW", role="Plan"), d(B, True, id="57-NQ/TW"),
            d(A, True, id="5-KH/TU", issuer="Tỉnh ủy Quảng Ngãi"),
        ], [e(C, B, IMPLEMENTS, "c.txt", 2, 0.9, second_order=False), e(A, B, BASED_ON, "c.txt", 12, 0.7),
            e(A, C, IMPLEMENTS, "c.txt", 13, 0.95, second_order=True)]),
        "d.txt": Contribution("d.txt", [
            d(D, False, id="667/KH-UBND", role="Plan"), d(A, True, id="05-KH/TU"), d(C, True),
        ], [e(D, A, IMPLEMENTS, "d.txt", 5), e(D, C, AMENDS, "d.txt", 6, 0.3),
            e(D, C, CITES, "d.txt", 7, 0.2)]),
        "empty.txt": Contribution("empty.txt"),
    }
    return files


SEQUENCES = {
    "all at once": [("write", ["a.txt", "b.txt", "c.txt", "d.txt", "empty.txt"])],
    "one by one, reversed": [("write", [f]) for f in ["empty.txt", "d.txt", "c.txt", "b.txt", "a.txt"]],
    "re-ingest": [("write", ["a.txt", "b.txt", "c.txt", "d.txt"]), ("write", ["c.txt", "a.txt"]),
                  ("write", ["a.txt"])],
    "remove and return": [("write", ["a.txt", "b.txt", "c.txt", "d.txt"]), ("remove", ["b.txt", "c.txt"]),
                          ("write", ["c.txt"])],
    "a file changes": [("write", ["a.txt", "b.txt", "c.txt", "d.txt"]), ("change", ["a.txt"])],
}


def changed_a() -> Contribution:
    """a.txt says less and differently: the task and its unit go, the CITES becomes AMENDS."""
    return Contribution("a.txt", [d(A, False, id="05-KH/TU", role="Plan"), d(B, True, id="57-NQ/TW")],
                        [e(A, B, AMENDS, "a.txt", 3, 0.6)])


@pytest.mark.parametrize("sequence", SEQUENCES, ids=list(SEQUENCES))
def test_hand_built_contributions_give_the_same_graph(sequence, embedded, neo4j_store):
    files = hand_built()
    for operation, names in SEQUENCES[sequence]:
        for store in (embedded, neo4j_store):
            if operation == "write":
                store.write([files[name] for name in names])
            elif operation == "change":
                store.write([changed_a()])
            else:
                store.remove(names)
    assert_same_graph(embedded, neo4j_store)


def test_every_relationship_type_round_trips(embedded, neo4j_store):
    nodes = [d(A, False), d(B, False)]
    edges = [e(A, B, type_, "all.txt", i) for i, type_ in enumerate(EDGE_TYPES)]
    for store in (embedded, neo4j_store):
        store.write([Contribution("all.txt", nodes, edges)])
    graph = assert_same_graph(embedded, neo4j_store)
    # the four document relations collapse into the strongest, as conventions.md says
    assert sorted(t for _, _, t, _ in graph["edges_out"]) == sorted(
        {IMPLEMENTS, *(t for t in EDGE_TYPES if t not in REFERENCE_TYPES)})


# -- real graphs ------------------------------------------------------------------------------


def gold_contributions() -> list[Contribution]:
    files = sorted((SHARED / "gold").glob("*.json")) + sorted((SHARED / "gold-extra").glob("*.json"))
    if not files:
        pytest.skip(f"no gold annotations under {SHARED}")
    return [build_contribution(json.loads(f.read_text(encoding="utf-8"))) for f in files]


def sample_contributions() -> list[Contribution]:
    samples = sorted(SAMPLES.glob("*.txt"))
    assert samples, f"no samples in {SAMPLES}"
    return [build_contribution(extract_file(path)) for path in samples]


def test_gold_records_give_the_same_graph(embedded, neo4j_store):
    contributions = gold_contributions()
    embedded.write(contributions)
    for contribution in reversed(contributions):
        neo4j_store.write([contribution])
    graph = assert_same_graph(embedded, neo4j_store)
    assert any(paths for (_, types, _), paths in graph["paths"].items() if types == LINEAGE_TYPES)
    gone = [c.source_file for c in contributions[::3]]
    for store in (embedded, neo4j_store):
        store.remove(gone)
    assert_same_graph(embedded, neo4j_store)


def test_samples_give_the_same_graph(embedded, neo4j_store):
    contributions = sample_contributions()
    embedded.write(contributions)
    neo4j_store.write(contributions)
    assert_same_graph(embedded, neo4j_store)
    neo4j_store.write(contributions[:2])  # re-ingest changes nothing
    assert_same_graph(embedded, neo4j_store)


@pytest.mark.parametrize("interloper", [False, True])
def test_one_file_a_transaction_gives_the_same_graph(embedded, neo4j_store, neo4j_server, monkeypatch,
                                                      interloper):
    """One write call, one transaction a file: the versions of widely stated nodes are carried
    from one transaction to the next, and read again when another writer came in between."""
    import graph.neo4j_store as module

    monkeypatch.setattr(module, "FILES_PER_BATCH", 1)
    monkeypatch.setattr(module, "BIG_NODE_SOURCES", 1)  # every node two files state is carried
    contributions = gold_contributions()
    first, rest = contributions[: len(contributions) // 2], contributions[len(contributions) // 2:]
    other = rest.pop() if interloper else None

    def files():
        yield from first
        if other is not None:  # between two transactions of the same write call
            writer = module.Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
            try:
                writer.write([other])
            finally:
                writer.close()
        yield from rest

    embedded.write(contributions)
    neo4j_store.write(files())
    assert_same_graph(embedded, neo4j_store)
    gone = [c.source_file for c in contributions[1::2]]
    for store in (embedded, neo4j_store):
        store.remove(gone)
    assert_same_graph(embedded, neo4j_store)


# -- whole-subtree queries --------------------------------------------------------------------

DESCENDANT_TYPES = ((PART_OF, IMPLEMENTS, CARRIES_OUT), (PART_OF, IMPLEMENTS, CARRIES_OUT, BASED_ON, CITES),
                    (IMPLEMENTS,))


def subtrees(store, keys: list[str], max_depth: int = 8) -> dict:
    """`descendants` of each key for each type set, in a comparable form."""
    return {(key, types): sorted((node, depth, edge.src, edge.dst, edge.type, dump(edge.props))
                                 for node, (depth, edge) in store.descendants(key, types, max_depth).items())
            for key in keys for types in DESCENDANT_TYPES}


def written_both(embedded, neo4j_store, contributions: list[Contribution]) -> list[str]:
    embedded.write(contributions)
    neo4j_store.write(contributions)
    return sorted(n.key for n in embedded.nodes(DOCUMENT))


@pytest.mark.parametrize("source", ["samples", "gold", "hand-built"])
def test_descendants_agree(source, embedded, neo4j_store):
    contributions = {"samples": sample_contributions, "gold": gold_contributions,
                     "hand-built": lambda: list(hand_built().values())}[source]()
    documents = written_both(embedded, neo4j_store, contributions)
    expected = subtrees(embedded, documents)
    assert subtrees(neo4j_store, documents) == expected
    assert any(expected.values()), "no document has anything below it: the comparison proves nothing"
    shallow = subtrees(embedded, documents, max_depth=1)
    assert subtrees(neo4j_store, documents, max_depth=1) == shallow
    assert all(depth == 1 for found in shallow.values() for _, depth, *_ in found)


@pytest.mark.parametrize("walk", ["descendants", "descendant_keys"])
def test_walks_take_one_query_per_level(embedded, neo4j_store, monkeypatch, walk):
    documents = written_both(embedded, neo4j_store, gold_contributions())
    walk_embedded, walk_neo4j = getattr(embedded, walk), getattr(neo4j_store, walk)
    root = max(documents, key=lambda k: len(walk_embedded(k, DESCENDANT_TYPES[0])))
    depth = max(d for d, _ in walk_embedded(root, DESCENDANT_TYPES[0]).values())
    assert depth >= 2, "the deepest subtree is one level deep: the bound proves nothing"
    reads = []
    original = neo4j_store._read
    monkeypatch.setattr(neo4j_store, "_read", lambda query, **p: reads.append(query) or original(query, **p))
    walk_neo4j(root, DESCENDANT_TYPES[0], max_depth=8)
    assert len(reads) <= depth + 1  # the last level finds nothing more
    if walk == "descendant_keys":
        assert not any("properties(" in query for query in reads), "the walk read properties"


def test_trace_down_agrees_on_every_directive(embedded, neo4j_store):
    from queries import props, trace

    written_both(embedded, neo4j_store, gold_contributions())
    roots = [n.key for n in embedded.nodes(DOCUMENT) if embedded.edges_in(n.key, [IMPLEMENTS])]
    assert roots, "no document is implemented by another"
    for key in roots:
        ref = props.doc_id(embedded.node(key))
        for cites in (False, True):
            expected = trace.trace_down(embedded, key, cites=cites, limit=1000)
            assert trace.trace_down(neo4j_store, key, cites=cites, limit=1000) == expected, (ref, cites)


def test_lineage_pages_agree(embedded, neo4j_store):
    from viz import views

    documents = written_both(embedded, neo4j_store, gold_contributions())

    def page(store, key: str) -> tuple:
        view = views.lineage(store, key)
        return (sorted(view.nodes), sorted((e.src, e.dst, e.type, dump(e.props)) for e in view.edges))

    pages = {key: page(embedded, key) for key in documents}
    assert any(len(nodes) > 2 for nodes, _ in pages.values()), "every page is a lone document"
    assert {key: page(neo4j_store, key) for key in documents} == pages


# -- the walk without properties (trace-down) ---------------------------------------------------


def aligned_generated(generated_store_dir, tmp_path) -> list[Contribution]:
    """The generated cascade with its alignment (task → task CARRIES_OUT), as the files say it."""
    from graph.align import run_alignment

    copy = tmp_path / "generated"
    shutil.copytree(generated_store_dir, copy)
    store = EmbeddedStore(copy)
    run_alignment(store)
    return [store.contribution(name) for name in store.source_files()]


def key_walks(store, keys: list[str], max_depth: int) -> dict:
    """`descendant_keys` of each key for each type set (and any type), in the walk's order.
    Without IMPLEMENTS, a plan below is reached only through a task carrying out one above."""
    return {(key, types): list(store.descendant_keys(key, types, max_depth).items())
            for key in keys for types in (*DESCENDANT_TYPES, (PART_OF, CARRIES_OUT), None)}


def plans_brought_along(walks: dict) -> int:
    """How many plans a walk reached from a task it reached other than through PART_OF."""
    return sum(1 for found in walks.values() for node, (_, (src, dst, type_)) in found
               if type_ == PART_OF and dst == node and src.startswith("task:"))


@pytest.mark.parametrize("source", ["samples", "cascade", "generated"])
def test_descendant_keys_agree(source, embedded, neo4j_store, generated_store_dir, tmp_path):
    from tests.query_fixtures import cascade_contributions

    contributions = {"samples": sample_contributions, "cascade": cascade_contributions,
                     "generated": lambda: aligned_generated(generated_store_dir, tmp_path)}[source]()
    documents = written_both(embedded, neo4j_store, contributions)
    for max_depth in (8, 2, 1):
        expected = key_walks(embedded, documents, max_depth)
        assert key_walks(neo4j_store, documents, max_depth) == expected, max_depth
    assert any(expected.values()), "no document has anything below it: the comparison proves nothing"
    if source != "samples":  # the samples state no CARRIES_OUT
        assert plans_brought_along(key_walks(embedded, documents, 8)), "no task brought its plan"
    assert neo4j_store.descendant_keys("doc:no such key", None) == {}
