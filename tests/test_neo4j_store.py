"""The Neo4j store on the throwaway test server: schema, property round trip, per-file
replacement, lineage in Cypher. Small hand-built contributions, so each test names the behaviour
it checks; tests/test_store_parity.py compares whole graphs with the embedded store."""

from __future__ import annotations

import json

import neo4j
import pytest

from graph.model import (
    AGENCY,
    CARRIES_OUT,
    CITES,
    DOCUMENT,
    IMPLEMENTS,
    ISSUED_BY,
    LINEAGE_TYPES,
    PART_OF,
    TASK,
    Contribution,
    Edge,
    Node,
)
from graph.neo4j_store import decode_props, encode_props


def ev(file: str, line: int, raw: str = "…") -> dict:
    return {"file": file, "line": line, "raw": raw}


def doc(key: str, file: str | None = None, stub: bool = False, **props) -> Node:
    return Node(key, DOCUMENT, {"id": key.split(":", 1)[1].split("@")[0], "stub": stub,
                                "file": file, **props})


def rel(src: str, dst: str, type_: str, file: str, line: int, confidence: float = 1.0) -> Edge:
    return Edge(src, dst, type_, {"confidence": confidence, "evidence": [ev(file, line)]})


def cypher(store, query: str, **params) -> list[neo4j.Record]:
    records, _, _ = store._driver.execute_query(query, params)
    return records


NQ57, KH02, KH01, KH667 = ("doc:57-NQ/TW@national", "doc:2-KH/BCĐTW@national",
                           "doc:1-KH/BCĐ@Quảng Ngãi", "doc:667/KH-UBND@Ngọk Bay")


def chain() -> list[Contribution]:
    """A commune plan → a provincial plan → a central plan → the resolution, one file each."""
    central = Contribution("02.txt", [doc(KH02, "02.txt", role="Plan"), doc(NQ57, stub=True)],
                           [rel(KH02, NQ57, IMPLEMENTS, "02.txt", 3)])
    province = Contribution("01.txt", [doc(KH01, "01.txt", role="Plan"), doc(KH02, stub=True),
                                       doc(NQ57, stub=True)],
                            [rel(KH01, KH02, IMPLEMENTS, "01.txt", 5),
                             rel(KH01, NQ57, CITES, "01.txt", 6)])
    commune = Contribution("667.txt", [doc(KH667, "667.txt", role="Plan"), doc(KH01, stub=True)],
                           [rel(KH667, KH01, IMPLEMENTS, "667.txt", 9)])
    return [central, province, commune]


@pytest.mark.parametrize("props", [
    {"id": "57-NQ/TW", "stub": True, "confidence": 0.5, "aliases": ["57-NO/TW", "57- NQ/TW"]},
    {"evidence": [ev("a.txt", 1, "Căn cứ Nghị quyết số 57-NQ/TW")], "date": None},
    {"aliases": [], "mixed": [1, "a"], "nested": {"k": [1, 2]}, "big": 2**70},
    {"deadline": {"kind": "quarter", "value": "2025-Q4"}, "lead": ["Sở Khoa học và Công nghệ"]},
])
def test_props_survive_the_neo4j_encoding(props):
    encoded = encode_props(props)
    assert all(not isinstance(v, dict) for v in encoded.values())
    assert decode_props(encoded) == props


def test_reserved_property_names_are_refused():
    with pytest.raises(ValueError, match="reserved"):
        encode_props({"_json": "x"})


def test_server_is_neo4j_5_community(neo4j_store):
    (row,) = cypher(neo4j_store, "CALL dbms.components() YIELD name, versions, edition "
                                 "RETURN versions[0] AS version, edition")
    assert row["version"].startswith("5.")
    assert row["edition"] == "community"


def test_schema_has_key_constraints_and_lookup_indexes(neo4j_store):
    constraints = {(tuple(r["labelsOrTypes"]), tuple(r["properties"])) for r in cypher(
        neo4j_store, "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
                     "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes, properties")}
    for label in ("Entity", "Document", "Task", "Agency", "Place"):
        assert ((label,), ("key",)) in constraints
    indexes = {(tuple(r["labelsOrTypes"] or ()), tuple(r["properties"] or ())) for r in cypher(
        neo4j_store, "SHOW INDEXES YIELD labelsOrTypes, properties RETURN labelsOrTypes, properties")}
    assert (("Document",), ("id",)) in indexes
    assert (("Agency",), ("name",)) in indexes


def test_nodes_get_kind_and_role_labels_and_typed_relationships(neo4j_store):
    neo4j_store.write(chain())
    plans = {r["key"] for r in cypher(neo4j_store, "MATCH (d:Document:Plan) RETURN d.key AS key")}
    assert plans == {KH02, KH01, KH667}
    assert cypher(neo4j_store, "MATCH (:Document {key: $a})-[r:IMPLEMENTS]->(:Document {key: $b}) "
                               "RETURN count(r) AS n", a=KH01, b=KH02)[0]["n"] == 1
    node = neo4j_store.node(KH01)
    assert node.kind == DOCUMENT
    assert node.props["stub"] is False  # the own file wins over the stub in 667.txt
    assert node.props["sources"] == ["01.txt", "667.txt"]
    assert neo4j_store.node("doc:nothing@national") is None


def test_evidence_is_a_json_string_in_neo4j_and_a_list_in_the_store(neo4j_store):
    neo4j_store.write(chain())
    (row,) = cypher(neo4j_store, "MATCH (:Document {key: $a})-[r:IMPLEMENTS]->() "
                                 "RETURN r.evidence AS evidence, r.sources AS sources", a=KH667)
    assert json.loads(row["evidence"]) == [ev("667.txt", 9)]
    assert row["sources"] == ["667.txt"]
    (edge,) = neo4j_store.edges_out(KH667, [IMPLEMENTS])
    assert edge.props == {"confidence": 1.0, "evidence": [ev("667.txt", 9)]}


def test_reingest_changes_nothing(neo4j_store):
    neo4j_store.write(chain())
    counts = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    before = (cypher(neo4j_store, counts)[0].values(), snapshot(neo4j_store))
    neo4j_store.write(chain()[1:])
    assert (cypher(neo4j_store, counts)[0].values(), snapshot(neo4j_store)) == before


def test_a_file_replaces_its_earlier_contribution(neo4j_store):
    neo4j_store.write(chain())
    task = "task:" + KH01 + "#I.1"
    changed = Contribution("01.txt", [doc(KH01, "01.txt", role="Plan"), doc(KH02, stub=True),
                                      Node(task, TASK, {"text": "Tuyên truyền"}),
                                      Node("agency:Sở KH&CN@Quảng Ngãi", AGENCY, {"name": "Sở KH&CN"})],
                           [rel(KH01, KH02, IMPLEMENTS, "01.txt", 7),
                            rel(task, KH01, PART_OF, "01.txt", 20),
                            rel(KH01, "agency:Sở KH&CN@Quảng Ngãi", ISSUED_BY, "01.txt", 1)])
    neo4j_store.write([changed])
    assert neo4j_store.edges_out(KH01, [CITES]) == []  # the dropped mention is gone
    (implements,) = neo4j_store.edges_out(KH01, [IMPLEMENTS])
    assert implements.props["evidence"] == [ev("01.txt", 7)]
    assert neo4j_store.node(NQ57).props["sources"] == ["02.txt"]
    assert [e.src for e in neo4j_store.edges_in(KH01, [PART_OF])] == [task]
    neo4j_store.write([Contribution("01.txt", [doc(KH01, "01.txt")], [])])
    assert neo4j_store.node(task) is None  # no file mentions the task any more
    assert neo4j_store.node("agency:Sở KH&CN@Quảng Ngãi") is None


def test_stub_completes_and_reverts(neo4j_store):
    neo4j_store.write(chain()[:2])
    assert neo4j_store.node(NQ57).props["stub"] is True
    own = Contribution("57.txt", [doc(NQ57, "57.txt", title="Về đột phá phát triển khoa học")], [])
    neo4j_store.write([own])
    assert neo4j_store.node(NQ57).props["stub"] is False
    assert neo4j_store.node(NQ57).props["title"] == "Về đột phá phát triển khoa học"
    neo4j_store.remove(["57.txt"])
    assert neo4j_store.node(NQ57).props["stub"] is True
    assert "title" not in neo4j_store.node(NQ57).props
    assert neo4j_store.source_files() == ["01.txt", "02.txt"]


def test_strongest_relation_wins_across_files(neo4j_store):
    a, b = "doc:5-KH/TU@Quảng Ngãi", NQ57
    neo4j_store.write([Contribution("x.txt", [doc(a, "x.txt"), doc(b, stub=True)],
                                    [rel(a, b, CITES, "x.txt", 2, 0.4)])])
    neo4j_store.write([Contribution("y.txt", [doc(a, stub=True), doc(b, stub=True)],
                                    [rel(a, b, IMPLEMENTS, "y.txt", 8, 0.9)])])
    (edge,) = neo4j_store.edges_out(a)
    assert edge.type == IMPLEMENTS
    assert edge.props["confidence"] == 0.9
    assert sorted(e["file"] for e in edge.props["evidence"]) == ["x.txt", "y.txt"]
    neo4j_store.remove(["y.txt"])
    assert [e.type for e in neo4j_store.edges_out(a)] == [CITES]


def test_lineage_up_and_down_in_cypher(neo4j_store):
    neo4j_store.write(chain())
    up = neo4j_store.paths_up(KH667, LINEAGE_TYPES)
    assert [p.nodes for p in up] == [[KH667, KH01, KH02, NQ57]]
    assert [p.nodes for p in neo4j_store.paths_up(KH667, LINEAGE_TYPES, max_depth=2)] == [
        [KH667, KH01, KH02]]
    down = neo4j_store.paths_down(NQ57, (IMPLEMENTS, CITES))
    # KH01 → NQ57 is no path of its own: KH667 still leads on to KH01
    assert [p.nodes for p in down] == [[KH667, KH01, NQ57], [KH667, KH01, KH02, NQ57]]
    assert neo4j_store.paths_up(NQ57, LINEAGE_TYPES) == []
    assert neo4j_store.paths_up("doc:missing@national", LINEAGE_TYPES) == []


def test_lineage_stops_at_cycles(neo4j_store):
    a, b, c = "doc:1-KH/X@national", "doc:2-KH/X@national", "doc:3-KH/X@national"
    neo4j_store.write([Contribution("c.txt", [doc(a, "c.txt"), doc(b), doc(c)],
                                    [rel(a, b, IMPLEMENTS, "c.txt", 1), rel(b, c, CARRIES_OUT, "c.txt", 2),
                                     rel(c, a, IMPLEMENTS, "c.txt", 3)])])
    assert [p.nodes for p in neo4j_store.paths_up(a, LINEAGE_TYPES)] == [[a, b, c]]
    assert [p.nodes for p in neo4j_store.paths_down(a, LINEAGE_TYPES)] == [[b, c, a]]


def test_data_never_becomes_cypher(neo4j_store):
    hostile = "doc:x'}) DETACH DELETE n //`@national"
    neo4j_store.write([Contribution("h.txt", [doc(hostile, "h.txt", title="'; MATCH (n) DELETE n")], [])])
    assert neo4j_store.node(hostile).props["title"] == "'; MATCH (n) DELETE n"
    assert neo4j_store.edges_out(hostile, ["NOT_A_TYPE"]) == []


def test_an_edge_counts_only_from_files_naming_both_ends(neo4j_store):
    nowhere = "doc:nowhere@national"
    neo4j_store.write([Contribution("e.txt", [doc(KH01, "e.txt")],
                                    [rel(KH01, nowhere, IMPLEMENTS, "e.txt", 1)])])
    assert neo4j_store.edges_out(KH01) == []
    assert neo4j_store.node(nowhere) is None
    neo4j_store.write([Contribution("n.txt", [doc(nowhere, "n.txt"), doc(KH01, stub=True)],
                                    [rel(KH01, nowhere, CITES, "n.txt", 4)])])
    (edge,) = neo4j_store.edges_out(KH01)
    assert (edge.type, edge.props["evidence"]) == (CITES, [ev("n.txt", 4)])
    neo4j_store.write([Contribution("e.txt", [doc(KH01, "e.txt")], [])])  # e.txt's write keeps n.txt's edge
    assert [e.type for e in neo4j_store.edges_out(KH01)] == [CITES]


def snapshot(store) -> tuple:
    nodes = sorted((n.key, n.kind, json.dumps(n.props, sort_keys=True, ensure_ascii=False))
                   for n in store.nodes())
    edges = sorted((e.src, e.dst, e.type, json.dumps(e.props, sort_keys=True, ensure_ascii=False))
                   for n in store.nodes() for e in store.edges_out(n.key))
    return nodes, edges


# -- the node cache: fewer round trips, never an answer from before a write --------------------


def write_elsewhere(server, contributions) -> None:
    """Write through a second store on the same database: another process, as far as caches go."""
    from graph.neo4j_store import Neo4jStore

    writer = Neo4jStore(server.uri, server.user, server.password)
    try:
        writer.write(contributions)
    finally:
        writer.close()


def resolution_with_title() -> list[Contribution]:
    return [Contribution("57.txt", [doc(NQ57, "57.txt", title="Về đột phá")], [])]


@pytest.fixture
def counted(neo4j_store, monkeypatch):
    """The store, and the list of statements it sends to the database from now on."""
    sent: list[str] = []
    read = neo4j_store._read

    def counting(query, **params):
        sent.append(query)
        return read(query, **params)

    monkeypatch.setattr(neo4j_store, "_read", counting)
    return neo4j_store, sent


def test_nodes_on_paths_up_are_read_with_the_paths(counted):
    store, sent = counted
    store.write(chain())
    (path,) = store.paths_up(KH667, LINEAGE_TYPES)
    sent.clear()
    assert [store.node(key).key for key in path.nodes] == [KH667, KH01, KH02, NQ57]
    assert store.nodes_by_key([KH01, NQ57]).keys() == {KH01, NQ57}
    assert store.node(KH01).props["sources"] == ["01.txt", "667.txt"]
    assert sent == []


def test_trace_up_takes_three_round_trips(counted):
    from queries import trace

    store, sent = counted
    task = "task:" + KH667 + "#1"
    commune = Contribution("667.txt", [doc(KH667, "667.txt", role="Plan"), doc(KH01, stub=True),
                                       Node(task, TASK, {"text": "Tuyên truyền", "number": "1"})],
                           [rel(KH667, KH01, IMPLEMENTS, "667.txt", 9),
                            rel(task, KH667, PART_OF, "667.txt", 12)])
    store.write([*chain()[:2], commune])
    sent.clear()
    answer = trace.trace_up(store, task)
    assert [n["key"] for n in answer["paths"][0]["nodes"]] == [task, KH667, KH01, KH02, NQ57]
    assert len(sent) == 3  # the start node, the task's step up, the plan's paths with their nodes


def test_a_write_empties_the_cache(neo4j_store):
    neo4j_store.write(chain())
    assert neo4j_store.node(NQ57).props["stub"] is True
    neo4j_store.write(resolution_with_title())
    assert neo4j_store.node(NQ57).props["title"] == "Về đột phá"
    neo4j_store.remove(["57.txt"])
    assert "title" not in neo4j_store.node(NQ57).props


def test_another_writer_shows_at_the_next_query(neo4j_store, neo4j_server):
    neo4j_store.write(chain())
    assert neo4j_store.node(NQ57).props["stub"] is True
    write_elsewhere(neo4j_server, resolution_with_title())
    neo4j_store.edges_out(KH01)  # any query that returns the write version
    assert neo4j_store.node(NQ57).props["title"] == "Về đột phá"


def test_cached_nodes_expire_without_queries(neo4j_store, neo4j_server, monkeypatch):
    neo4j_store.write(chain())
    assert neo4j_store.node(NQ57).props["stub"] is True
    write_elsewhere(neo4j_server, resolution_with_title())
    assert neo4j_store.node(NQ57).props["stub"] is True  # within NODE_CACHE_FRESH_S: as read
    monkeypatch.setattr(neo4j_store._cache, "fresh_s", 0.0)  # as if NODE_CACHE_FRESH_S had passed
    assert neo4j_store.node(NQ57).props["title"] == "Về đột phá"


def test_big_cached_nodes_are_not_sent_again(counted, neo4j_server, monkeypatch):
    import graph.neo4j_store as module

    monkeypatch.setattr(module, "BIG_NODE_SOURCES", 1)  # KH01, KH02 and NQ57 are named by two files
    store, sent = counted
    store.write(chain())
    store.paths_up(KH667, LINEAGE_TYPES)
    assert set(store._cache.big_keys()) == {KH01, KH02, NQ57}
    sent.clear()
    store.paths_up(KH667, LINEAGE_TYPES)
    assert store.node(NQ57).props["sources"] == ["01.txt", "02.txt"]
    assert len(sent) == 1
    # another write: the nodes the query left out are read again, not served from before it
    write_elsewhere(neo4j_server, resolution_with_title())
    store.paths_up(KH667, LINEAGE_TYPES)
    assert store.node(NQ57).props["title"] == "Về đột phá"
