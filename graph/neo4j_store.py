"""The Neo4j store: the same graph as the embedded store, in a Neo4j 5 database.

Layout in the database:

- the merged graph, for queries: one node per key, labelled `Entity` plus its kind (`Document`,
  `Task`, `Agency`, `Place`) and, for documents, its role (`Directive`, `Plan`); one relationship
  per edge, typed from the fixed vocabulary (graph/model.py). Properties are the merged props;
  values Neo4j cannot hold (maps, lists of maps such as `evidence`) are JSON strings named in the
  `_json` list, None values are named in `_null`. Nodes carry `sources` (the files that mention
  them), relationships too.
- the contributions, for re-ingesting: `ChidaoNodeVersion` / `ChidaoEdgeVersion` nodes hold what
  each file said about a node or an edge (JSON), and `ChidaoSource` names each stored file.

Writing a file replaces its versions and recomputes only the nodes and document pairs it touches
(before or after), with the embedded store's merge rules (graph.embedded.merge_contributions), so
both stores hold the same graph. Files are written in batches, one transaction per batch, rows in
`UNWIND $rows` chunks; data always travels as parameters, and labels and relationship types come
from the fixed vocabulary only. Every write also gives the database a new write version (a random
token on the `ChidaoLock` node).

Lineage walks (`paths_up`, `paths_down`) run in Cypher as variable-length patterns bounded by the
depth and restricted to the given relationship types; `descendants` expands a breadth-first
frontier one level per query (at most `max_depth` round trips), `descendant_keys` too with keys
and relationship types only (trace-down: no property of the ~320 k edges a national walk reaches
travels), and the batched reads
(`nodes_by_key`, `edges_out_many`, `edges_in_many`) take all their keys in one `UNWIND`.

Each read is a round trip, and a query answer asks for the same nodes again and again (trace-up:
the start, each node of each path, each root). So the reads that meet nodes keep them in a small
per-store cache (`_NodeCache`): `paths_up` returns the properties of every node on its paths,
`node`, `nodes_by_key` and `edges_out`/`edges_in` those of the nodes they name. Each such query also
returns the database's write version; a cached node is used only while the version it was read
at is the last one seen, and that was seen less than `NODE_CACHE_FRESH_S` ago (writes from other
processes show within that time); a write through this store empties the cache. A node mentioned
by many files (57-NQ/TW: every plan's `sources`) is not sent again while it is cached.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph.embedded import MAX_PATHS, merge_contributions
from graph.model import (
    DIRECTIVE,
    DOCUMENT,
    EDGE_TYPES,
    NODE_KINDS,
    PART_OF,
    PLAN,
    REFERENCE_TYPES,
    Contribution,
    Edge,
    Node,
    Path,
)
from graph.open import StoreUnavailable
from graph.store import TASK_PREFIX, GraphStore, Level, Link, walk_levels

ENTITY = "Entity"
#: what files say about one node or one pair of nodes: (file, place in the file, node or edge)
NodeRows = list[tuple[str, int, Node]]
EdgeRows = list[tuple[str, int, Edge]]
Pair = tuple[str, str]
ROLE_LABELS = (DIRECTIVE, PLAN)
#: bookkeeping labels: what each file said, the files stored, the writers' lock
NODE_VERSION, EDGE_VERSION = "ChidaoNodeVersion", "ChidaoEdgeVersion"
SOURCE, LOCK = "ChidaoSource", "ChidaoLock"
#: a transaction takes files until it holds this many files or node + edge rows (a server's
#: transaction memory is bounded: 70% of the heap by default); an UNWIND takes ROWS_PER_CHUNK rows.
#: Measured: 4× larger transactions made relationship writes on dense nodes (a commune's "Công an
#: xã", supporting hundreds of tasks) 5–8× slower per row; below this size they cost little.
FILES_PER_BATCH = int(os.environ.get("CHIDAO_NEO4J_FILES_PER_TX", 200))
ROWS_PER_BATCH = int(os.environ.get("CHIDAO_NEO4J_ROWS_PER_TX", 5000))
ROWS_PER_CHUNK = 2000
_INT64 = (-(2**63), 2**63 - 1)
#: the node cache: at most this many nodes, trusted this long after a query saw the write version
NODE_CACHE_SIZE = 4096
NODE_CACHE_FRESH_S = 1.0
#: a cached node with more `sources` than this is named to path queries, which then leave out its
#: properties (57-NQ/TW's are every file's name); at most KNOWN_LIMIT such names a query
BIG_NODE_SOURCES = 64
KNOWN_LIMIT = 256
#: the database's write version, first in every read that returns nodes
VERSION = (f"OPTIONAL MATCH (lock:{LOCK} {{name: 'write'}}) "
           "WITH coalesce(lock.version, '') AS version ")
_BOOKKEEPING = ("key", "_json", "_null")

SCHEMA = (
    f"CREATE CONSTRAINT chidao_entity_key IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.key IS UNIQUE",
    *(f"CREATE CONSTRAINT chidao_{kind.lower()}_key IF NOT EXISTS FOR (n:{kind}) REQUIRE n.key IS UNIQUE"
      for kind in NODE_KINDS),
    f"CREATE CONSTRAINT chidao_lock_name IF NOT EXISTS FOR (l:{LOCK}) REQUIRE l.name IS UNIQUE",
    f"CREATE CONSTRAINT chidao_source_file IF NOT EXISTS FOR (s:{SOURCE}) REQUIRE s.file IS UNIQUE",
    f"CREATE INDEX chidao_document_id IF NOT EXISTS FOR (n:{DOCUMENT}) ON (n.id)",
    *(f"CREATE INDEX chidao_{kind.lower()}_name IF NOT EXISTS FOR (n:{kind}) ON (n.name)"
      for kind in NODE_KINDS if kind != DOCUMENT),
    f"CREATE INDEX chidao_node_version_key IF NOT EXISTS FOR (v:{NODE_VERSION}) ON (v.key)",
    f"CREATE INDEX chidao_node_version_file IF NOT EXISTS FOR (v:{NODE_VERSION}) ON (v.file)",
    f"CREATE INDEX chidao_edge_version_pair IF NOT EXISTS FOR (v:{EDGE_VERSION}) ON (v.src, v.dst)",
    f"CREATE INDEX chidao_edge_version_file IF NOT EXISTS FOR (v:{EDGE_VERSION}) ON (v.file)",
)


class Neo4jStore(GraphStore):
    """A GraphStore in Neo4j. `user`/`password` default to the URI's `user:password@`, then to
    `CHIDAO_NEO4J_USER`/`CHIDAO_NEO4J_PASSWORD`; with no password, the server must run without
    auth. `database` (or `CHIDAO_NEO4J_DATABASE`) defaults to the server's default database."""

    def __init__(self, uri: str, user: str | None = None, password: str | None = None,
                 database: str | None = None) -> None:
        uri, uri_user, uri_password = _split_credentials(uri)
        user = user or uri_user or os.environ.get("CHIDAO_NEO4J_USER")
        password = password or uri_password or os.environ.get("CHIDAO_NEO4J_PASSWORD")
        self.uri, self.database = uri, database or os.environ.get("CHIDAO_NEO4J_DATABASE") or None
        self._cache = _NodeCache(NODE_CACHE_SIZE, NODE_CACHE_FRESH_S)
        auth = (user or "neo4j", password) if password is not None else None
        # queries name every relationship type of the vocabulary, present or not: no warnings
        self._driver = neo4j.GraphDatabase.driver(
            uri, auth=auth, notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF)
        try:
            self._driver.verify_connectivity()
            self._ensure_schema()
        except (ServiceUnavailable, AuthError, OSError) as exc:
            self._driver.close()
            raise StoreUnavailable(f"cannot use Neo4j at {uri}: {exc}") from exc

    def close(self) -> None:
        self._driver.close()

    def _ensure_schema(self) -> None:
        """Create the missing constraints and indexes; when all exist (every open after the
        first) this is one read, so a user without schema rights can still read the graph."""
        existing = {r["name"] for r in self._read("SHOW INDEXES YIELD name RETURN name")}
        missing = [statement for statement in SCHEMA if statement.split()[2] not in existing]
        for statement in missing:
            self._run(statement)
        if missing:
            self._run("CALL db.awaitIndexes(300)")

    def _run(self, query: str, **params: Any) -> list[neo4j.Record]:
        records, _, _ = self._driver.execute_query(query, params, database_=self.database)
        return records

    def _read(self, query: str, **params: Any) -> list[neo4j.Record]:
        """One statement in an auto-commit transaction, all records in one pull: queries walk
        the graph call by call, so each call's round trips count."""
        with self._driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                  fetch_size=-1) as session:
            return list(session.run(query, params))

    # -- writes ------------------------------------------------------------------------------

    def write(self, contributions: Iterable[Contribution]) -> None:
        batch: dict[str, Contribution] = {}
        rows = 0
        shared = _SharedVersions()
        for contribution in contributions:
            if contribution.source_file in batch:  # a repeated file: the last one wins
                self._write_batch(batch, True, shared)
                batch, rows = {}, 0
            batch[contribution.source_file] = contribution
            rows += len(contribution.nodes) + len(contribution.edges)
            if len(batch) >= FILES_PER_BATCH or rows >= ROWS_PER_BATCH:
                self._write_batch(batch, True, shared)
                batch, rows = {}, 0
        if batch:
            self._write_batch(batch, True, shared)

    def remove(self, source_files: Iterable[str]) -> None:
        """Forget what these files said (their stubs revert or vanish as the files are gone)."""
        files = list(dict.fromkeys(source_files))
        shared = _SharedVersions()
        for start in range(0, len(files), FILES_PER_BATCH):
            chunk = files[start:start + FILES_PER_BATCH]
            self._write_batch({f: Contribution(f) for f in chunk}, False, shared)

    def _write_batch(self, batch: dict[str, Contribution], keep_sources: bool,
                     shared: _SharedVersions) -> None:
        try:
            with self._driver.session(database=self.database) as session:
                outcome = session.execute_write(_replace_files, batch, keep_sources, shared)
            shared.apply(*outcome)
        except BaseException:
            shared.clear()
            raise
        finally:
            self._cache.clear()

    # -- reads -------------------------------------------------------------------------------

    def node(self, key: str) -> Node | None:
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        return self._fetch_nodes([key]).get(key)

    def _fetch_nodes(self, keys: list[str]) -> dict[str, Node]:
        """The nodes among `keys` read from the database (one query), remembered in the cache."""
        records = self._read(VERSION + f"UNWIND $keys AS k MATCH (n:{ENTITY} {{key: k}}) "
                             "RETURN version, k AS key, labels(n) AS labels, properties(n) AS props",
                             keys=keys)
        if not records:
            return {}
        found = {r["key"]: _node(r["key"], r["labels"], r["props"]) for r in records}
        self._cache.put(records[0]["version"], found.values())
        return found

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        if kind is not None and kind not in NODE_KINDS:
            return iter(())
        label = kind or ENTITY
        records = self._read(f"MATCH (n:{label}) RETURN n.key AS key, labels(n) AS labels, "
                             "properties(n) AS props ORDER BY key")
        return (_node(r["key"], r["labels"], r["props"]) for r in records)

    def edges_out(self, key: str, types: Iterable[str] | None = None) -> list[Edge]:
        return self._edges(key, types, outgoing=True)

    def edges_in(self, key: str, types: Iterable[str] | None = None) -> list[Edge]:
        return self._edges(key, types, outgoing=False)

    def _edges(self, key: str, types: Iterable[str] | None, outgoing: bool) -> list[Edge]:
        """The edges of `key`, and the node itself for the cache (unless it is there already)."""
        pattern = _type_pattern(types)
        if pattern is None:
            return []
        arrow = f"-[r{pattern}]->(o)" if outgoing else f"<-[r{pattern}]-(o)"
        (record,) = self._read(
            VERSION + f"OPTIONAL MATCH (n:{ENTITY} {{key: $key}}) "
            f"CALL {{ WITH n MATCH (n){arrow} WITH o.key AS other, type(r) AS type, properties(r) AS props "
            "ORDER BY other, type RETURN collect([other, type, props]) AS edges } "
            "RETURN version, labels(n) AS labels, "
            "CASE WHEN $known THEN null ELSE properties(n) END AS props, edges",
            key=key, known=self._cache.get(key) is not None)
        if record["props"] is not None:
            self._cache.put(record["version"], [_node(key, record["labels"], record["props"])])
        else:
            self._cache.seen(record["version"])
        return [Edge(key, other, type_, _edge_props(props)) if outgoing else
                Edge(other, key, type_, _edge_props(props)) for other, type_, props in record["edges"]]

    def nodes_by_key(self, keys: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(keys))
        cached = {key: node for key in wanted if (node := self._cache.get(key)) is not None}
        missing = [key for key in wanted if key not in cached]
        fetched = self._fetch_nodes(missing) if missing else {}
        return {key: node for key in wanted if (node := cached.get(key) or fetched.get(key)) is not None}

    def edges_out_many(self, keys: Iterable[str],
                       types: Iterable[str] | None = None) -> dict[str, list[Edge]]:
        return self._edges_many(keys, types, outgoing=True)

    def edges_in_many(self, keys: Iterable[str],
                      types: Iterable[str] | None = None) -> dict[str, list[Edge]]:
        return self._edges_many(keys, types, outgoing=False)

    def _edges_many(self, keys: Iterable[str], types: Iterable[str] | None,
                    outgoing: bool) -> dict[str, list[Edge]]:
        found: dict[str, list[Edge]] = {key: [] for key in dict.fromkeys(keys)}
        pattern = _type_pattern(types)
        if pattern is None or not found:
            return found
        arrow = f"-[r{pattern}]->(o)" if outgoing else f"<-[r{pattern}]-(o)"
        records = self._read(
            f"UNWIND $keys AS k MATCH (n:{ENTITY} {{key: k}}){arrow} "
            "RETURN k AS key, o.key AS other, type(r) AS type, properties(r) AS props "
            "ORDER BY key, other, type", keys=list(found))
        for r in records:
            src, dst = (r["key"], r["other"]) if outgoing else (r["other"], r["key"])
            found[r["key"]].append(Edge(src, dst, r["type"], _edge_props(r["props"])))
        return found

    def descendants(self, key: str, types: Iterable[str] | None,
                    max_depth: int = 8) -> dict[str, tuple[int, Edge]]:
        """The interface's breadth-first walk, one query per level: the frontier's in-edges and,
        for each task they reach other than through PART_OF, its plan."""
        pattern = _type_pattern(types)
        if pattern is None:
            return {}
        query = (f"UNWIND $frontier AS k MATCH (n:{ENTITY} {{key: k}})<-[r{pattern}]-(m) "
                 "RETURN k AS key, m.key AS other, type(r) AS type, properties(r) AS props, "
                 "CASE WHEN type(r) <> $part_of AND m.key STARTS WITH $task "
                 f"THEN [(m)-[u:{PART_OF}]->(p) | [p.key, properties(u)]] ELSE [] END AS plans")

        def read_level(frontier: list[str], _seen: dict) -> Level:
            incoming: dict[str, list[Edge]] = defaultdict(list)
            plans: dict[str, list[Edge]] = {}
            for r in self._read(query, frontier=frontier, part_of=PART_OF, task=TASK_PREFIX):
                incoming[r["key"]].append(Edge(r["other"], r["key"], r["type"], _edge_props(r["props"])))
                if r["plans"]:
                    plans[r["other"]] = [Edge(r["other"], dst, PART_OF, _edge_props(props))
                                         for dst, props in r["plans"]]
            return incoming, plans

        return walk_levels(key, max_depth, read_level)

    def descendant_keys(self, key: str, types: Iterable[str] | None,
                        max_depth: int = 8) -> dict[str, tuple[int, Link]]:
        """`descendants` with only keys and relationship types travelling, one query per level:
        a national walk reaches ~320 k edges, and reading their properties was most of its time.
        Each frontier node's in-edges come as one list, a task's plans (reached other than
        through PART_OF) with it."""
        pattern = _type_pattern(types)
        if pattern is None:
            return {}
        query = (f"UNWIND $frontier AS k MATCH (:{ENTITY} {{key: k}})<-[r{pattern}]-(m) "
                 "WITH k, m, m.key AS other, type(r) AS type "
                 "RETURN k AS key, collect([other, type, "
                 "CASE WHEN type <> $part_of AND other STARTS WITH $task "
                 f"THEN [(m)-[:{PART_OF}]->(p) | p.key] ELSE [] END]) AS edges")

        def read_level(frontier: list[str], _seen: dict) -> Level:
            incoming: dict[str, list[Edge]] = {}
            plans: dict[str, list[Edge]] = {}
            for r in self._read(query, frontier=frontier, part_of=PART_OF, task=TASK_PREFIX):
                incoming[r["key"]] = [Edge(src, r["key"], type_, {}) for src, type_, _ in r["edges"]]
                for src, _, task_plans in r["edges"]:
                    if task_plans:
                        plans[src] = [Edge(src, plan, PART_OF, {}) for plan in task_plans]
            return incoming, plans

        reached = walk_levels(key, max_depth, read_level)
        return {node: (depth, (edge.src, edge.dst, edge.type)) for node, (depth, edge) in reached.items()}

    def paths_up(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
        return self._walk(key, types, max_depth, upward=True)

    def paths_down(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
        """Paths from each descendant to `key`, edges in their own direction (descendant → key)."""
        return self._walk(key, types, max_depth, upward=False)

    def _walk(self, key: str, types: Iterable[str], max_depth: int, upward: bool) -> list[Path]:
        """One query: the paths as relationship ids, each relationship's properties once and,
        walking up, the properties of each node on them (for the node cache) except those of the
        big nodes the cache holds."""
        pattern = _type_pattern(types)
        depth = int(max_depth)
        if pattern is None or pattern == "" or depth < 1:
            return []
        if upward:
            match = f"MATCH p = (s:{ENTITY} {{key: $key}})-[{pattern}*1..{depth}]->(end)"
            onward = f"(end)-[{pattern}]->(next)"
        else:
            match = f"MATCH p = (end)-[{pattern}*1..{depth}]->(s:{ENTITY} {{key: $key}})"
            onward = f"(next)-[{pattern}]->(end)"
        nodes = ("CALL { WITH ps UNWIND ps AS p UNWIND nodes(p) AS n WITH DISTINCT n "
                 "RETURN collect([n.key, labels(n), CASE WHEN n.key IN $known THEN null "
                 "ELSE properties(n) END]) AS nodes } " if upward else
                 "WITH version, ps, steps, [] AS nodes ")
        # a path is simple (no node twice) and ends where no edge leads to a node not yet on it;
        # paths share their first steps, so each relationship's properties travel once
        query = (f"{VERSION}{match} WITH version, p, end, nodes(p) AS on "
                 "WHERE all(i IN range(1, size(on) - 1) WHERE NOT on[i] IN on[0..i]) "
                 f"AND (length(p) = $depth OR NOT EXISTS {{ MATCH {onward} WHERE NOT next IN on }}) "
                 "WITH version, p ORDER BY length(p) LIMIT $limit "
                 "WITH version, collect(p) AS ps "
                 "CALL { WITH ps UNWIND ps AS p UNWIND relationships(p) AS r WITH DISTINCT r "
                 "RETURN collect([elementId(r), startNode(r).key, endNode(r).key, type(r), properties(r)]) "
                 f"AS steps }} {nodes}"
                 "RETURN version, [p IN ps | [r IN relationships(p) | elementId(r)]] AS paths, steps, nodes")
        records = self._read(query, key=key, depth=depth, limit=MAX_PATHS,
                             known=self._cache.big_keys() if upward else [])
        if not records:  # no path: the OPTIONAL MATCH's row went with the MATCH
            return []
        (record,) = records
        self._cache.put(record["version"], [_node(k, labels, props) for k, labels, props in record["nodes"]
                                            if props is not None])
        edges = {rid: Edge(src, dst, type_, _edge_props(props))
                 for rid, src, dst, type_, props in record["steps"]}
        found = [[edges[rid] for rid in path] for path in record["paths"]]
        found.sort(key=lambda walked: (len(walked), [(e.src, e.dst, e.type) for e in walked]))
        return [Path(edges) for edges in found]

    def source_files(self) -> list[str]:
        return [r["file"] for r in self._read(f"MATCH (s:{SOURCE}) RETURN s.file AS file ORDER BY file")]


class _SharedVersions:
    """What every file says about the nodes and node pairs many files state (57-NQ/TW and its
    issuer; `57-NQ/TW ISSUED_BY TW` is in every plan), kept by one `write` from one transaction
    to the next: each transaction merges such a node or pair again from all its versions, and
    reading 16,000 of them each time made writing the national corpus slow down as it grew.
    Valid only while the database's write version is the one this writer's own last transaction
    set: another writer in between, and they are read again."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.nodes: dict[str, NodeRows] = {}  # key → (file, seq, node)
        self.pairs: dict[Pair, EdgeRows] = {}  # (src, dst) → (file, seq, edge)

    def valid(self, version_before: str | None) -> bool:
        return self.version is not None and version_before == self.version

    def apply(self, version: str, touched: tuple[set[str], set[Pair]],
              nodes: dict[str, NodeRows],
              pairs: dict[Pair, EdgeRows]) -> None:
        """After a transaction: what it touched is forgotten unless it returned the new state."""
        self.version = version
        keys, touched_pairs = touched
        for key in keys:
            self.nodes.pop(key, None)
        for pair in touched_pairs:
            self.pairs.pop(pair, None)
        self.nodes.update(nodes)
        self.pairs.update(pairs)

    def clear(self) -> None:
        self.version, self.nodes, self.pairs = None, {}, {}


class _NodeCache:
    """The nodes read lately, least recently used first out, valid for one write version.

    `put` and `seen` take the write version a query returned: another version than the last one
    empties the cache (the database changed). A node is served while that version was seen less
    than `fresh_s` ago; after that the next read asks the database again. Thread-safe: the API
    answers from several threads."""

    def __init__(self, size: int, fresh_s: float) -> None:
        self.size, self.fresh_s = size, fresh_s
        self._nodes: OrderedDict[str, Node] = OrderedDict()
        self._big: dict[str, None] = {}
        self._version: str | None = None
        self._seen_at = float("-inf")
        self._lock = threading.Lock()

    def get(self, key: str) -> Node | None:
        with self._lock:
            if time.monotonic() - self._seen_at >= self.fresh_s:
                return None
            node = self._nodes.get(key)
            if node is not None:
                self._nodes.move_to_end(key)
            return node

    def big_keys(self) -> list[str]:
        """The cached nodes whose properties are large (many `sources`): a query may skip them."""
        with self._lock:
            return list(self._big)[-KNOWN_LIMIT:]

    def seen(self, version: str) -> None:
        with self._lock:
            self._see(version)

    def put(self, version: str, nodes: Iterable[Node]) -> None:
        with self._lock:
            self._see(version)
            for node in nodes:
                self._nodes[node.key] = node
                self._nodes.move_to_end(node.key)
                if len(node.props.get("sources") or ()) > BIG_NODE_SOURCES:
                    self._big[node.key] = None
            while len(self._nodes) > self.size:
                key, _ = self._nodes.popitem(last=False)
                self._big.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._nodes.clear()
            self._big.clear()
            self._version, self._seen_at = None, float("-inf")

    def _see(self, version: str) -> None:
        if version != self._version:
            self._nodes.clear()
            self._big.clear()
            self._version = version
        self._seen_at = time.monotonic()


# -- the write transaction ---------------------------------------------------------------------


def _replace_files(tx: neo4j.ManagedTransaction, batch: dict[str, Contribution], keep_sources: bool,
                   shared: _SharedVersions
                   ) -> tuple[str, tuple[set[str], set[Pair]], dict[str, NodeRows], dict[Pair, EdgeRows]]:
    """Replace the batch's files' contributions and recompute every node and document pair they
    touch, before or after, from the versions of all files. One transaction: all or nothing.
    Returns the new write version, the keys and pairs it touched, and every version of the
    widely stated ones among them, for the next transaction of the same writer (`shared` is
    read, never changed, here: a retried transaction starts from the same state)."""
    files = sorted(batch)
    # one writer at a time; readers' node caches see the new version
    lock = tx.run(f"MERGE (l:{LOCK} {{name: 'write'}}) WITH l, l.version AS before "
                  "SET l.at = timestamp(), l.version = randomUUID() "
                  "RETURN before, l.version AS after").single()
    old_keys = {r["key"] for r in tx.run(
        f"UNWIND $files AS f MATCH (v:{NODE_VERSION} {{file: f}}) {_hint(NODE_VERSION, 'file')} "
        "RETURN DISTINCT v.key AS key",
        files=files)}
    old_pairs = {(r["src"], r["dst"]) for r in tx.run(
        f"UNWIND $files AS f MATCH (v:{EDGE_VERSION} {{file: f}}) {_hint(EDGE_VERSION, 'file')} "
        "RETURN DISTINCT v.src AS src, v.dst AS dst", files=files)}
    pairs = sorted(old_pairs | {(e.src, e.dst) for c in batch.values() for e in c.edges})
    # a pair's edges count only from files naming both ends: its ends are merged again too
    keys = sorted(old_keys | {n.key for c in batch.values() for n in c.nodes}
                  | {key for pair in pairs for key in pair})
    known = shared if shared.valid(lock["before"]) else _SharedVersions()
    versions, widely_stated, widely_paired = _other_versions(tx, files, keys, pairs, known)
    for contribution in batch.values():
        versions[contribution.source_file] = contribution
    merged = merge_contributions(versions.values())

    for label in (NODE_VERSION, EDGE_VERSION):
        tx.run(f"UNWIND $files AS f MATCH (v:{label} {{file: f}}) {_hint(label, 'file')} DELETE v",
               files=files).consume()
    if keep_sources:
        _chunked(tx, f"UNWIND $rows AS f MERGE (:{SOURCE} {{file: f}})", files)
    else:
        _chunked(tx, f"UNWIND $rows AS f MATCH (s:{SOURCE} {{file: f}}) DELETE s", files)
    _chunked(tx, f"UNWIND $rows AS r CREATE (v:{NODE_VERSION}) SET v = r",
             [_node_version(c.source_file, i, n) for c in batch.values() for i, n in enumerate(c.nodes)])
    _chunked(tx, f"UNWIND $rows AS r CREATE (v:{EDGE_VERSION}) SET v = r",
             [_edge_version(c.source_file, i, e) for c in batch.values() for i, e in enumerate(c.edges)])

    # only pairs some file stated before can have relationships now; both ends first, so that
    # Expand(Into) walks the smaller side of a hub such as 57-NQ/TW
    stated_before = old_pairs | {(e.src, e.dst) for c in versions.values() if c.source_file not in batch
                                 for e in c.edges}
    _chunked(tx, f"UNWIND $rows AS p MATCH (a:{ENTITY} {{key: p[0]}}) MATCH (b:{ENTITY} {{key: p[1]}}) "
                 "MATCH (a)-[r]->(b) DELETE r", [list(p) for p in sorted(stated_before)])
    gone = [k for k in keys if not merged.nodes.get(k, {}).get("kind")]
    _chunked(tx, f"UNWIND $rows AS k MATCH (n:{ENTITY} {{key: k}}) DETACH DELETE n", gone)
    gone_set = set(gone)
    existing = old_keys | {n.key for c in versions.values() if c.source_file not in batch for n in c.nodes}
    _upsert_nodes(tx, merged, [k for k in keys if k not in gone_set], existing)
    _create_edges(tx, merged, versions, set(pairs))
    nodes_after, pairs_after = _with_batch(widely_stated, widely_paired, batch)
    return lock["after"], (set(keys), set(pairs)), nodes_after, pairs_after


def _with_batch(nodes: dict[str, NodeRows], pairs: dict[Pair, EdgeRows],
                batch: dict[str, Contribution]) -> tuple[dict[str, NodeRows], dict[Pair, EdgeRows]]:
    """The versions of these nodes and pairs once the batch is written: the other files' and
    the batch's."""
    nodes_after = {key: list(rows) for key, rows in nodes.items()}
    pairs_after = {pair: list(rows) for pair, rows in pairs.items()}
    for contribution in batch.values():
        for seq, node in enumerate(contribution.nodes):
            if node.key in nodes_after:
                nodes_after[node.key].append((contribution.source_file, seq, node))
        for seq, edge in enumerate(contribution.edges):
            if (edge.src, edge.dst) in pairs_after:
                pairs_after[(edge.src, edge.dst)].append((contribution.source_file, seq, edge))
    return nodes_after, pairs_after


def _other_versions(tx: neo4j.ManagedTransaction, files: list[str], keys: list[str],
                    pairs: list[tuple[str, str]], known: _SharedVersions
                    ) -> tuple[dict[str, Contribution], dict[str, NodeRows],
                               dict[Pair, EdgeRows]]:
    """What the files outside the batch say about these nodes and pairs, as one partial
    Contribution per file, in each file's own order. A pair's edges count only from files that
    name both of its ends, so only pairs with such a file are looked up. The versions of widely
    stated nodes and pairs come from `known` when it has them; returned too, for the next batch."""
    in_batch = set(files)
    widely = {key: [row for row in known.nodes[key] if row[0] not in in_batch]
              for key in keys if key in known.nodes}
    node_rows: NodeRows = [row for rows in widely.values() for row in rows]
    fetched: dict[str, NodeRows] = defaultdict(list)
    for chunk in _chunks([key for key in keys if key not in widely]):
        # the versions of a node that many files mention are mostly alike (a stub of 57-NQ/TW):
        # each distinct version travels and is decoded once, with the files that state it
        for r in tx.run(f"UNWIND $keys AS k MATCH (v:{NODE_VERSION} {{key: k}}) {_hint(NODE_VERSION, 'key')} "
                        "WHERE NOT v.file IN $files "
                        "RETURN v.key AS key, v.kind AS kind, v.props AS props, "
                        "collect(v.file) AS stated_in, collect(v.seq) AS at", keys=chunk, files=files):
            node = Node(r["key"], r["kind"], json.loads(r["props"]))
            stated = zip(r["stated_in"], r["at"], strict=True)
            fetched[node.key].extend((file, seq, node) for file, seq in stated)
    for key, rows in fetched.items():
        node_rows.extend(rows)
        widely[key] = rows
    files_of: dict[str, set[str]] = defaultdict(set)
    for file, _, node in node_rows:
        files_of[node.key].add(file)
    wanted = [(src, dst) for src, dst in pairs if files_of.get(src, set()) & files_of.get(dst, set())]
    paired = {pair: [row for row in known.pairs[pair] if row[0] not in in_batch]
              for pair in wanted if pair in known.pairs}
    edge_rows: EdgeRows = [row for rows in paired.values() for row in rows]
    for chunk in _chunks([list(pair) for pair in wanted if pair not in paired]):
        for r in tx.run(f"UNWIND $pairs AS p MATCH (v:{EDGE_VERSION} {{src: p[0], dst: p[1]}}) "
                        f"{_hint(EDGE_VERSION, 'src, dst')} WHERE NOT v.file IN $files "
                        "RETURN v.file AS file, v.seq AS seq, v.src AS src, v.dst AS dst, v.type AS type, "
                        "v.props AS props", pairs=chunk, files=files):
            row = (r["file"], r["seq"], Edge(r["src"], r["dst"], r["type"], json.loads(r["props"])))
            edge_rows.append(row)
            paired.setdefault((r["src"], r["dst"]), []).append(row)
    partial: dict[str, Contribution] = {}
    for file, _, node in sorted(node_rows, key=lambda row: row[:2]):
        partial.setdefault(file, Contribution(file)).nodes.append(node)
    for file, _, edge in sorted(edge_rows, key=lambda row: row[:2]):
        partial.setdefault(file, Contribution(file)).edges.append(edge)
    return (partial, {key: rows for key, rows in widely.items() if len(rows) > BIG_NODE_SOURCES},
            {pair: rows for pair, rows in paired.items() if len(rows) > BIG_NODE_SOURCES})


def _node_version(file: str, seq: int, node: Node) -> dict[str, Any]:
    return {"key": node.key, "file": file, "seq": seq, "kind": node.kind, "props": _to_json(node.props)}


def _edge_version(file: str, seq: int, edge: Edge) -> dict[str, Any]:
    return {"src": edge.src, "dst": edge.dst, "type": edge.type, "file": file, "seq": seq,
            "props": _to_json(edge.props)}


def _upsert_nodes(tx: neo4j.ManagedTransaction, merged: Any, keys: list[str], existing: set[str]) -> None:
    """Write the merged nodes: CREATE those no file stated before (no index look-up, no labels to
    take off), MERGE the others. A node exists exactly when some file states it."""
    groups: dict[tuple[str, str | None, bool], list[dict[str, Any]]] = defaultdict(list)
    for key in keys:
        data = merged.nodes[key]
        role = data["props"].get("role") if data["kind"] == DOCUMENT else None
        groups[(data["kind"], role if role in ROLE_LABELS else None, key in existing)].append(
            {"key": key, "props": {**encode_props(data["props"]), "key": key}})
    for (kind, role, exists), rows in groups.items():
        if kind not in NODE_KINDS:
            raise ValueError(f"node {rows[0]['key']!r}: unknown kind {kind!r}")
        other_kinds = "".join(f":{k}" for k in NODE_KINDS if k != kind)
        labels = f":{kind}" + (f":{role}" if role else "")
        if exists:
            _chunked(tx, f"UNWIND $rows AS r MERGE (n:{ENTITY} {{key: r.key}}) SET n = r.props "
                         f"REMOVE n{other_kinds}:{DIRECTIVE}:{PLAN} SET n{labels}", rows)
        else:
            _chunked(tx, f"UNWIND $rows AS r CREATE (n:{ENTITY}{labels}) SET n = r.props", rows)


def _create_edges(tx: neo4j.ManagedTransaction, merged: Any, versions: dict[str, Contribution],
                  pairs: set[tuple[str, str]]) -> None:
    """The merged edges of the touched pairs, each with the files that stated it (`sources`):
    for a document → document relation, every file that stated any relation of the pair; as in
    the embedded store, only files that name both ends count."""
    files_of: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for contribution in versions.values():
        for e in contribution.edges:
            files_of[(e.src, e.dst, e.type)].add(contribution.source_file)
            files_of[(e.src, e.dst, "*")].add(contribution.source_file)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for src, dst, type_, props in merged.edges(keys=True, data="props"):
        if (src, dst) not in pairs:
            continue
        if type_ not in EDGE_TYPES:
            raise ValueError(f"edge {src} → {dst}: unknown relationship type {type_!r}")
        stated = files_of[(src, dst, "*" if type_ in REFERENCE_TYPES else type_)]
        ends = set(merged.nodes[src]["props"]["sources"]) & set(merged.nodes[dst]["props"]["sources"])
        sources = stated & ends
        by_type[type_].append({"src": src, "dst": dst,
                               "props": {**encode_props(props), "sources": sorted(sources)}})
    for type_, rows in by_type.items():
        created = _chunked(tx, f"UNWIND $rows AS r MATCH (a:{ENTITY} {{key: r.src}}) "
                               f"MATCH (b:{ENTITY} {{key: r.dst}}) CREATE (a)-[e:{type_}]->(b) "
                               "SET e = r.props RETURN count(e) AS n", rows)
        if created != len(rows):
            missing = [f"{r['src']} → {r['dst']}" for r in rows][:3]
            raise ValueError(f"{type_} edges whose endpoints are not nodes of any file: {missing}")


def _hint(label: str, properties: str) -> str:
    """Pin the index: a plan cached while the label was nearly empty would scan it later on."""
    return f"USING INDEX v:{label}({properties})"


def _chunks(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), ROWS_PER_CHUNK):
        yield rows[start:start + ROWS_PER_CHUNK]


def _chunked(tx: neo4j.ManagedTransaction, query: str, rows: list[Any]) -> int:
    """Run `query` over `rows` in chunks; the sum of its `n` column where it returns one."""
    total = 0
    for chunk in _chunks(rows):
        record = tx.run(query, rows=chunk).single()
        total += (record.get("n") or 0) if record is not None else 0
    return total


# -- property encoding -------------------------------------------------------------------------


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "as_dict"):
        return value.as_dict()
    raise TypeError(f"cannot store a {type(value).__name__} in a property")


def _storable(value: Any) -> bool:
    """Whether Neo4j holds `value` as a property as it is: a scalar or a list of one scalar type."""
    if isinstance(value, bool | str | float):
        return True
    if isinstance(value, int):
        return _INT64[0] <= value <= _INT64[1]
    if isinstance(value, list):
        kinds = {type(item) for item in value}
        return len(kinds) <= 1 and all(_storable(item) and not isinstance(item, list) for item in value)
    return False


def encode_props(props: dict[str, Any]) -> dict[str, Any]:
    """Props as Neo4j properties: JSON for what Neo4j cannot hold, names of None values kept."""
    out: dict[str, Any] = {}
    as_json, nulls = [], []
    for name, value in props.items():
        if name in _BOOKKEEPING:
            raise ValueError(f"property name {name!r} is reserved by the Neo4j store")
        if value is None:
            nulls.append(name)
        elif _storable(value):
            out[name] = value
        else:
            out[name] = _to_json(value)
            as_json.append(name)
    if as_json:
        out["_json"] = as_json
    if nulls:
        out["_null"] = nulls
    return out


def decode_props(stored: dict[str, Any], drop: Iterable[str] = ()) -> dict[str, Any]:
    """The props `encode_props` was given, from what Neo4j returns."""
    as_json = set(stored.get("_json") or ())
    skip = {*_BOOKKEEPING, *drop}
    props = {name: json.loads(value) if name in as_json else value
             for name, value in stored.items() if name not in skip}
    props.update(dict.fromkeys(stored.get("_null") or ()))
    return props


def _edge_props(stored: dict[str, Any]) -> dict[str, Any]:
    # `sources` serves Cypher users; the interface's Edge carries its files in `evidence`
    return decode_props(stored, drop=("sources",))


def _node(key: str, labels: list[str], stored: dict[str, Any]) -> Node:
    kind = next((label for label in labels if label in NODE_KINDS), ENTITY)
    return Node(key, kind, decode_props(stored))


def _type_pattern(types: Iterable[str] | None) -> str | None:
    """`:A|B` for the known types among `types`, "" for any type, None when none is known."""
    if types is None:
        return ""
    wanted = [t for t in dict.fromkeys(types) if t in EDGE_TYPES]
    return ":" + "|".join(wanted) if wanted else None


def _split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """`bolt://user:pw@host:7687` → (`bolt://host:7687`, user, pw); the driver takes auth apart."""
    parts = urlsplit(uri)
    if parts.username is None:
        return uri, None, None
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    password = unquote(parts.password) if parts.password is not None else None
    return clean, unquote(parts.username), password
