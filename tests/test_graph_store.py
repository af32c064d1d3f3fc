"""The embedded store: per-file contributions, stubs, deterministic merge, atomic persistence,
lineage walks. Built from the gold annotations (same shape as the extractor's records), so these
tests do not depend on extraction quality; they skip when the gold folder is absent."""

from __future__ import annotations

import gc
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from graph import embedded, packed
from graph.build import build_contribution
from graph.embedded import EmbeddedStore, StoreError, merge_contributions
from graph.model import CITES, DOCUMENT, IMPLEMENTS, LINEAGE_TYPES, Contribution, document_key
from graph.packed import PackedGraph

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
ROOT = Path(__file__).resolve().parents[1]


def gold_record(prefix: str) -> dict:
    if not GOLD.is_dir():
        pytest.skip(f"gold annotations not found at {GOLD}")
    found = sorted(GOLD.glob(f"{prefix}*.json"))
    if not found:
        pytest.skip(f"no gold file {prefix}* in {GOLD}")
    return json.loads(found[0].read_text(encoding="utf-8"))


def contribution(prefix: str) -> Contribution:
    return build_contribution(gold_record(prefix))


def snapshot(store: EmbeddedStore) -> tuple:
    nodes = sorted((n.key, n.kind, json.dumps(n.props, sort_keys=True, ensure_ascii=False))
                   for n in store.nodes())
    edges = sorted((e.src, e.dst, e.type, json.dumps(e.props, sort_keys=True, ensure_ascii=False))
                   for n in store.nodes() for e in store.edges_out(n.key))
    return nodes, edges


def the_record_for(record: dict, doc_id: str) -> dict:
    """A minimal record of a referenced document's own file, from what the citing record says."""
    ref = next(r for r in record["references"] if r["id"] == doc_id)
    me = {k: ref.get(k) for k in ("id", "type", "issuer", "jurisdiction", "level", "date")}
    me["title"] = "own text"
    return {"file": f"own-{doc_id.replace('/', '_')}.txt", "self": me, "references": [], "tasks": []}


def test_reingest_changes_nothing(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.write([contribution("000"), contribution("001")])
    first = snapshot(store)
    before = (tmp_path / embedded.STORE_FILE).read_bytes()
    store.write([contribution("000")])
    assert snapshot(store) == first
    assert snapshot(EmbeddedStore(tmp_path)) == first
    assert (tmp_path / embedded.STORE_FILE).read_bytes() == before


def test_merge_does_not_depend_on_ingest_order(tmp_path):
    one, two = EmbeddedStore(tmp_path / "a"), EmbeddedStore(tmp_path / "b")
    prefixes = ["000", "001", "002", "003", "004"]
    for prefix in prefixes:
        one.write([contribution(prefix)])
    for prefix in reversed(prefixes):
        two.write([contribution(prefix)])
    assert snapshot(one) == snapshot(two)


def test_stub_is_completed_and_reverts(tmp_path):
    record = gold_record("000")
    store = EmbeddedStore(tmp_path)
    store.write([build_contribution(record)])
    key = document_key("01-KH/BCĐ", "Quảng Ngãi")
    assert store.node(key).props["stub"] is True
    own = build_contribution(the_record_for(record, "01-KH/BCĐ"))
    store.write([own])
    completed = store.node(key)
    assert completed.props["stub"] is False
    assert completed.props["title"] == "own text"
    assert sorted(completed.props["sources"]) == sorted([own.source_file, record["file"]])
    store.remove([own.source_file])
    assert store.node(key).props["stub"] is True
    store.remove([record["file"]])
    assert store.node(key) is None
    assert list(store.nodes()) == []


def test_replacing_a_file_drops_what_it_no_longer_says(tmp_path):
    record = gold_record("000")
    store = EmbeddedStore(tmp_path)
    store.write([build_contribution(record)])
    gone = document_key("118/2025/NĐ-CP", "national")
    assert store.node(gone) is not None
    record["references"] = [r for r in record["references"] if r["id"] != "118/2025/NĐ-CP"]
    for task in record["tasks"]:
        task["cites"] = [c for c in task["cites"] if c != "118/2025/NĐ-CP"]
    store.write([build_contribution(record)])
    assert store.node(gone) is None


def test_same_id_in_two_jurisdictions_stays_two_documents(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.write([contribution("000"), contribution("004")])
    ids = {(n.props["id"], n.props["jurisdiction"]) for n in store.nodes(DOCUMENT)}
    assert ("01-KH/BCĐ", "Quảng Ngãi") in ids
    assert ("02-KH/BCĐ", "Khánh Hòa") in ids
    # one national notice cited from two provinces is one node
    notice = store.node(document_key("07-TB/CQTTBCĐ", "national"))
    assert len(notice.props["sources"]) == 2


def test_units_are_scoped_to_the_document_jurisdiction(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.write([contribution("000"), contribution("003")])
    police = [n for n in store.nodes("Agency") if n.props["name"] == "Công an xã"]
    assert len({n.props["jurisdiction"] for n in police}) == len(police) >= 2


def test_lineage_paths_shortest_first(tmp_path):
    record = gold_record("000")
    record["links"] = [{"from": "01-KH/BCĐ", "to": "07-TB/CQTTBCĐ", "relation": "implements",
                        "mentions": [{"line": 40, "raw": "07-TB/CQTTBCD"}]},
                       {"from": "07-TB/CQTTBCĐ", "to": "57-NQ/TW", "relation": "cites",
                        "mentions": [{"line": 18, "raw": "57-NQ/TW"}]}]
    store = EmbeddedStore(tmp_path)
    store.write([build_contribution(record)])
    start = document_key("667/KH-UBND", record["self"]["jurisdiction"])
    paths = store.paths_up(start, LINEAGE_TYPES)
    chains = [[store.node(k).props["id"] for k in p.nodes] for p in paths]
    assert ["667/KH-UBND", "01-KH/BCĐ", "07-TB/CQTTBCĐ"] in chains
    assert ["667/KH-UBND", "57-NQ/TW"] in chains
    assert [len(p.edges) for p in paths] == sorted(len(p.edges) for p in paths)
    with_cites = store.paths_up(start, (*LINEAGE_TYPES, CITES))
    chains = [[store.node(k).props["id"] for k in p.nodes] for p in with_cites]
    assert ["667/KH-UBND", "01-KH/BCĐ", "07-TB/CQTTBCĐ", "57-NQ/TW"] in chains
    down = store.paths_down(document_key("07-TB/CQTTBCĐ", "national"), [IMPLEMENTS])
    assert any(p.nodes[0] == start and p.nodes[-1] == document_key("07-TB/CQTTBCĐ", "national")
               for p in down)
    assert store.paths_up(start, LINEAGE_TYPES, max_depth=1)
    assert all(len(p.edges) == 1 for p in store.paths_up(start, LINEAGE_TYPES, max_depth=1))


def test_failed_write_keeps_the_previous_store(tmp_path, monkeypatch):
    store = EmbeddedStore(tmp_path)
    store.write([contribution("000")])
    before = snapshot(EmbeddedStore(tmp_path))

    def broken_dump(payload, handle, protocol=None):
        handle.write(b"half a pickle")
        raise OSError("disk full")

    monkeypatch.setattr(embedded.pickle, "dump", broken_dump)
    with pytest.raises(OSError, match="disk full"):
        store.write([contribution("001")])
    monkeypatch.undo()
    assert snapshot(EmbeddedStore(tmp_path)) == before
    assert snapshot(store) == before  # the open store did not half-apply the failed write
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(embedded.TEMP_PREFIX)] == []


CRASHING_WRITER = """
import json, os, sys
from graph import embedded, packed
from graph.build import build_contribution
from graph.embedded import EmbeddedStore
record = json.load(open(sys.argv[2], encoding="utf-8"))
real_dump = embedded.pickle.dump
def dump_then_die(payload, handle, protocol=None):
    handle.write(b"partial")
    handle.flush()
    os._exit(9)  # the process dies mid-write: no cleanup, no exception handler runs
embedded.pickle.dump = dump_then_die
EmbeddedStore(sys.argv[1]).write([build_contribution(record)])
"""


def test_process_killed_mid_write_loses_nothing(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.write([contribution("000")])
    before = snapshot(EmbeddedStore(tmp_path))
    gold_001 = sorted(GOLD.glob("001*.json"))[0]
    result = subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(tmp_path), str(gold_001)],
                            cwd=ROOT, capture_output=True, timeout=60)
    assert result.returncode == 9, result.stderr.decode()
    assert snapshot(EmbeddedStore(tmp_path)) == before
    # the next write succeeds and sees both files
    EmbeddedStore(tmp_path).write([contribution("001")])
    assert len(EmbeddedStore(tmp_path).source_files()) == 2


def test_unreadable_or_foreign_store_is_a_clear_error(tmp_path):
    (tmp_path / embedded.STORE_FILE).write_bytes(b"not a pickle")
    with pytest.raises(StoreError, match="cannot read the store"):
        EmbeddedStore(tmp_path)
    (tmp_path / embedded.STORE_FILE).write_bytes(pickle.dumps({"format": 999}))
    with pytest.raises(StoreError, match="format 999"):
        EmbeddedStore(tmp_path)


def test_two_stores_on_one_folder_see_each_other(tmp_path):
    one, two = EmbeddedStore(tmp_path), EmbeddedStore(tmp_path)
    one.write([contribution("000")])
    two.write([contribution("001")])  # reloads before writing, so 000 is kept
    assert len(EmbeddedStore(tmp_path).source_files()) == 2
    assert os.path.exists(tmp_path / embedded.STORE_FILE)


def graph_snapshot(graph) -> tuple:
    """Nodes and edges of a store's packed graph or of a networkx graph (merge_contributions);
    a packed graph's in-edges must be its out-edges seen from the other end."""
    dump = lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False)  # noqa: E731
    if isinstance(graph, PackedGraph):
        nodes = sorted((n.key, n.kind, dump(n.props)) for n in graph.iter_nodes())
        edges = sorted((e.src, e.dst, e.type, dump(e.props)) for k in graph.out for e in graph.edges_out(k))
        assert edges == sorted((e.src, e.dst, e.type, dump(e.props)) for k in graph.inn
                               for e in graph.edges_in(k))
        return nodes, edges
    nodes = sorted((k, d["kind"], dump(d["props"])) for k, d in graph.nodes(data=True))
    edges = sorted((s, d, t, dump(p)) for s, d, t, p in graph.edges(keys=True, data="props"))
    return nodes, edges


def test_incremental_merge_equals_a_full_rebuild(tmp_path):
    """Writes re-merge only what the changed files mention; the result must be what merging
    every contribution from scratch gives, through additions, replacements and removals."""
    record = gold_record("000")
    changed = json.loads(json.dumps(record))
    changed["references"] = changed["references"][3:]
    for task in changed["tasks"]:
        task["cites"] = [c for c in task["cites"] if any(r["id"] == c for r in changed["references"])]
    own = build_contribution(the_record_for(record, "01-KH/BCĐ"))
    steps = [
        [contribution("001"), contribution("000")],
        [own, contribution("004")],
        [build_contribution(changed)],
        [contribution("002"), contribution("003")],
    ]
    store = EmbeddedStore(tmp_path)
    for step in steps:
        store.write(step)
        everything = [store.contribution(f) for f in store.source_files()]
        assert graph_snapshot(store._graph) == graph_snapshot(merge_contributions(everything))
    store.remove([own.source_file, "004_f7373d26c45450a5.txt"])
    everything = [store.contribution(f) for f in store.source_files()]
    assert graph_snapshot(store._graph) == graph_snapshot(merge_contributions(everything))
    assert graph_snapshot(EmbeddedStore(tmp_path)._graph) == graph_snapshot(store._graph)


def test_two_copies_of_one_file_do_not_repeat_evidence(tmp_path):
    record = gold_record("000")
    single, double = EmbeddedStore(tmp_path / "one"), EmbeddedStore(tmp_path / "two")
    single.write([build_contribution(record, source_file="a/000.txt")])
    double.write([build_contribution(record, source_file="a/000.txt"),
                  build_contribution(record, source_file="b/000.txt")])
    key = document_key("57-NQ/TW", "national")
    assert double.node(key).props["sources"] == ["a/000.txt", "b/000.txt"]
    evidence = lambda store: [e.props["evidence"] for e in store.edges_in(key)]  # noqa: E731
    assert evidence(double) == evidence(single)


def write_format_2(folder: Path, contributions: list[Contribution]) -> None:
    """A store as chidao wrote it before format 3: the networkx graph and each file's
    Contribution pickled separately inside one pickled dict."""
    payload = {"format": 2, "graph": pickle.dumps(merge_contributions(contributions), protocol=5),
               "files": {c.source_file: pickle.dumps(c, protocol=5) for c in contributions}}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / embedded.STORE_FILE).write_bytes(pickle.dumps(payload, protocol=5))


def test_a_format_2_store_still_opens_and_the_next_write_upgrades_it(tmp_path):
    first = [contribution("000"), contribution("001")]
    write_format_2(tmp_path / "old", first)
    current = EmbeddedStore(tmp_path / "new")
    current.write(first)
    old = EmbeddedStore(tmp_path / "old")
    assert snapshot(old) == snapshot(current)
    assert old.source_files() == current.source_files()
    assert old.contribution(first[0].source_file) == first[0]
    path = tmp_path / "old" / embedded.STORE_FILE
    assert not path.read_bytes().startswith(embedded.MAGIC)  # reading does not rewrite it
    old.write([first[0]])  # unchanged, but saved in the current format
    assert path.read_bytes().startswith(embedded.MAGIC)
    assert snapshot(EmbeddedStore(tmp_path / "old")) == snapshot(current)
    old.write([contribution("002")])
    current.write([contribution("002")])
    assert path.read_bytes().startswith(embedded.MAGIC)
    assert snapshot(EmbeddedStore(tmp_path / "old")) == snapshot(current)


def test_readers_never_read_the_files_section(tmp_path):
    store = EmbeddedStore(tmp_path)
    store.write([contribution("000"), contribution("001")])
    before = snapshot(store)
    path = tmp_path / embedded.STORE_FILE
    data = path.read_bytes()
    files_at = int.from_bytes(data[len(embedded.MAGIC):len(embedded.MAGIC) + 8], "little")
    path.write_bytes(data[:files_at + 10])  # the files section cut short
    reader = EmbeddedStore(tmp_path)
    assert snapshot(reader) == before
    assert reader.source_files() == store.source_files()
    with pytest.raises(StoreError, match="cannot read the stored files"):
        reader.write([contribution("002")])


@pytest.mark.parametrize("hot_bytes", [packed.HOT_BYTES, 0])
def test_read_props_are_the_callers_to_change(tmp_path, monkeypatch, hot_bytes):
    """Also when the props come from the kept unmarshalled values of big blobs (all of them
    with HOT_BYTES 0)."""
    monkeypatch.setattr(packed, "HOT_BYTES", hot_bytes)
    store = EmbeddedStore(tmp_path)
    store.write([contribution("000")])
    before = snapshot(store)
    for node in store.nodes():
        node.props.clear()
        for edge in store.edges_out(node.key):
            edge.props["evidence"].append({"file": "x", "line": 0, "raw": "x"})
    assert snapshot(store) == before


def test_write_takes_contributions_one_at_a_time_and_the_last_copy_of_a_file_wins(tmp_path):
    record = gold_record("000")
    shorter = json.loads(json.dumps(record))
    shorter["tasks"] = shorter["tasks"][:2]
    streamed, listed = EmbeddedStore(tmp_path / "a"), EmbeddedStore(tmp_path / "b")
    streamed.write(c for c in [build_contribution(shorter), contribution("001"), build_contribution(record)])
    listed.write([contribution("001"), build_contribution(record)])
    assert snapshot(streamed) == snapshot(listed)
    assert len([n for n in streamed.nodes("Task") if record["file"] in n.props["sources"]]) == len(
        record["tasks"])


def test_a_damaged_or_newer_store_is_a_clear_error(tmp_path):
    (tmp_path / embedded.STORE_FILE).write_bytes(embedded.MAGIC + bytes(8) + pickle.dumps({"format": 7}))
    with pytest.raises(StoreError, match=r"format 7.*ingest again"):
        EmbeddedStore(tmp_path)
    (tmp_path / embedded.STORE_FILE).write_bytes(embedded.MAGIC + b"\x00\x01")
    with pytest.raises(StoreError, match=r"cannot read the store.*ingest again"):
        EmbeddedStore(tmp_path)


def test_a_big_store_rereads_its_files_for_each_write(tmp_path, monkeypatch):
    """Past FREEZE_NODES a store does not keep the files section between writes (and freezes
    its graph out of the collector): writes read it again and give the same store."""
    small = EmbeddedStore(tmp_path / "small")
    monkeypatch.setattr(embedded, "FREEZE_NODES", 1)
    big = EmbeddedStore(tmp_path / "big")
    try:
        for store in (small, big):
            store.write([contribution("000"), contribution("001")])
            store.write([contribution("002")])
            store.remove([contribution("001").source_file])
        assert big._blobs is None
        assert snapshot(big) == snapshot(small)
        assert big.source_files() == small.source_files()
        assert snapshot(EmbeddedStore(tmp_path / "big")) == snapshot(small)
    finally:
        gc.unfreeze()


def test_generation_changes_with_every_graph_the_store_reads(tmp_path):
    one, two = EmbeddedStore(tmp_path), EmbeddedStore(tmp_path)
    assert one.generation != two.generation  # two stores never share a number
    empty = one.generation
    one.refresh()
    assert one.generation == empty           # nothing written: the same graph
    one.write([contribution("000")])
    written = one.generation
    assert written != empty
    one.write([contribution("000")])         # unchanged: the store file is left as it was
    assert one.generation == written
    before = two.generation
    two.refresh()                            # the other store's write, picked up
    assert two.generation != before and two.source_files() == one.source_files()
    two.write([contribution("001")])
    assert one.generation == written         # not yet seen ...
    one.refresh()
    assert one.generation not in (written, two.generation)  # ... then a new graph, a new number
    assert one.source_files() == two.source_files()


@pytest.mark.parametrize("hot_bytes", [packed.HOT_BYTES, 0])
def test_a_hubs_long_lists_are_shared_by_reads_and_read_only(tmp_path, monkeypatch, hot_bytes):
    """A node many files mention (57-NQ/TW: 16,777 sources) is read without copying its long
    lists, and no reader can change them for the next one."""
    monkeypatch.setattr(packed, "HOT_BYTES", hot_bytes)
    one = contribution("000")
    files = [f"copy-{i:03}.txt" for i in range(packed.SHARED_ITEMS * 2)]
    store = EmbeddedStore(tmp_path)
    store.write(Contribution(file, one.nodes, one.edges) for file in files)
    hub = max(store.nodes(), key=lambda n: len(n.props.get("sources") or ()))
    before = snapshot(store)
    first, second = store.node(hub.key).props, store.node(hub.key).props
    assert first["sources"] == sorted(files) and isinstance(first["sources"], list)
    assert (first["sources"] is second["sources"]) == (hot_bytes == 0 or len(packed.dump_values(
        tuple(hub.props.values()))) >= hot_bytes)
    for change in (lambda v: v.append("x"), lambda v: v.sort(reverse=True), lambda v: v.__setitem__(0, "x"),
                   lambda v: v.__delitem__(0), lambda v: v.extend(["x"]), lambda v: v.clear()):
        sources = store.node(hub.key).props["sources"]
        if sources is not first["sources"]:
            change(sources)  # a copy of its own: the caller's to change
        else:
            with pytest.raises(TypeError):
                change(sources)
    own = list(first["sources"])
    own.append("x")
    first["sources"] = []  # the dict is the caller's
    assert pickle.loads(pickle.dumps(second["sources"])) == sorted(files)
    assert type(pickle.loads(pickle.dumps(second["sources"]))) is list
    assert json.loads(json.dumps(second["sources"])) == sorted(files)
    assert snapshot(store) == before
