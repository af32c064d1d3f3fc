"""The shape of a trace-down answer without its contents: which documents lie below a directive,
in the answer's order (province, commune, depth, id), with their tasks' keys and a summary per
province. A page of the answer spells out only its own documents (queries/trace.py), so what
every page needs — the order, the totals — must stay cheap: no views, no units, one place lookup
per document from its own properties.

A store that says which version of the graph it reads (a `generation` attribute or method that
changes with every write or reload) gets its indexes, and the references the query resolved,
remembered, so the next page of a national answer costs only the page; a store that does not
say is walked again for each page.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graph.model import PART_OF, Edge
from graph.store import GraphStore, Link
from queries import places, props

#: answers remembered per store and generation (an index per start, edge types and depth; a
#: resolved reference per reference): the national index of 57-NQ/TW holds ~15 k documents and
#: ~300 k task keys, some 20 MB
CACHED_PER_STORE = 16
#: reaching edges read together: the first one a page shows and the ones after it (the CLI's and
#: the API's page of 50 documents in one store call)
EDGES_READ_TOGETHER = 50
T = TypeVar("T")


class Vias:
    """The edges that first reached an index's documents, by position in the answer, their
    properties read from the store when a page first shows them: the walk leaves them unread
    (at national scale reading the 309 k reaching edges' properties took ~2.3 s of a 3.7 s walk,
    for the 50 a page shows). The store is held weakly: the cache holding this index is keyed
    on the store (held weakly too), and a strong reference from its value would keep both."""

    def __init__(self, store: GraphStore, links: list[Link | None]) -> None:
        self._store = weakref.ref(store)
        self._links = links
        self._edges: dict[int, Edge | None] = {}
        self._lock = threading.Lock()

    def edge(self, position: int) -> Edge | None:
        with self._lock:
            if position not in self._edges:
                self._read(range(position, min(position + EDGES_READ_TOGETHER, len(self._links))))
            return self._edges[position]

    def _read(self, positions: range) -> None:
        wanted = {p: self._links[p] for p in positions if p not in self._edges}
        links = {link for link in wanted.values() if link is not None}
        store = self._store()
        found: dict[Link, Edge] = {}
        if links and store is not None:
            starts = sorted({src for src, _, _ in links})
            for edges in store.edges_out_many(starts, sorted({t for _, _, t in links})).values():
                found.update(((e.src, e.dst, e.type), e) for e in edges if (e.src, e.dst, e.type) in links)
        for position, link in wanted.items():
            # an edge gone since the walk (a store without generation written meanwhile): as walked
            self._edges[position] = None if link is None else found.get(link) or Edge(*link, {})


@dataclass(frozen=True)
class Reached:
    """A document below the start: its depth, the edge that first reached it (`link` without its
    properties, `via` with them, read when asked), its place."""

    key: str
    depth: int
    link: Link | None
    place: tuple[str, str]
    position: int = field(default=0, compare=False)
    vias: Vias | None = field(default=None, compare=False, repr=False)

    @property
    def via(self) -> Edge | None:
        if self.vias is None:
            return Edge(*self.link, {}) if self.link is not None else None
        return self.vias.edge(self.position)


@dataclass(frozen=True)
class DownIndex:
    documents: list[Reached]          # in the answer's order
    tasks_of: dict[str, list[str]]    # document key → keys of its reached tasks (unsorted)
    total_tasks: int
    provinces: tuple[dict[str, Any], ...]


def build_index(store: GraphStore, start: str, types: Iterable[str], max_depth: int) -> DownIndex:
    """Walk below `start` once and order what it reached; tasks are only counted and kept by plan.
    Kinds are read from the keys: a national walk reaches ~300,000 nodes, and no more than the
    documents among them are fetched."""
    reached = store.descendant_keys(start, list(types), max_depth)
    keys = [key for key in reached if key.startswith(props.DOCUMENT_PREFIX)]
    nodes = store.nodes_by_key(keys)
    found = [(nodes[key], *reached[key]) for key in keys if key in nodes]
    tasks_of: dict[str, list[str]] = {}
    for key, (_, (_, dst, edge_type)) in reached.items():
        if key.startswith(props.TASK_PREFIX):
            plan = dst if edge_type == PART_OF else props.task_document_key(key)
            tasks_of.setdefault(plan, []).append(key)  # type: ignore[arg-type]
    place = places.places_of(store, [node for node, _, _ in found])
    # stable: documents equal on every part of the key keep the walk's order
    found.sort(key=lambda item: (*place[item[0].key], item[1], props.doc_id(item[0])))
    vias = Vias(store, [link for _, _, link in found])
    documents = [Reached(node.key, depth, link, place[node.key], position, vias)
                 for position, (node, depth, link) in enumerate(found)]
    tasks_of = {d.key: tasks_of[d.key] for d in documents if d.key in tasks_of}
    return DownIndex(documents, tasks_of, sum(map(len, tasks_of.values())),
                     province_summary(documents, tasks_of))


def province_summary(documents: list[Reached], tasks_of: dict[str, list[str]]) -> tuple[dict[str, Any], ...]:
    """Per province in the answer's order: its documents, their tasks, the communes with a
    document, and `offset`, the position of its first document (national documents: province
    None)."""
    summary: dict[str, dict[str, Any]] = {}
    communes: dict[str, set[str]] = {}
    for position, item in enumerate(documents):
        province, commune = item.place
        row = summary.get(province)
        if row is None:
            row = summary[province] = {"province": province or None, "documents": 0, "tasks": 0,
                                       "communes": 0, "offset": position}
            communes[province] = set()
        row["documents"] += 1
        row["tasks"] += len(tasks_of.get(item.key, ()))
        if commune:
            communes[province].add(commune)
    for province, row in summary.items():
        row["communes"] = len(communes[province])
    return tuple(summary.values())


def generation(store: GraphStore) -> Hashable | None:
    """The version of the graph `store` reads, when it says (None: it does not, do not remember).
    The cache keeps the current value: a counter, not the graph itself."""
    found = getattr(store, "generation", None)
    return found() if callable(found) else found


class IndexCache:
    """Answers per store (held weakly: a closed store's indexes go with it) for its current
    generation only; a new generation forgets the old one's."""

    def __init__(self, size: int = CACHED_PER_STORE) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.stores: weakref.WeakKeyDictionary[GraphStore, tuple[Hashable, dict[tuple, Any]]] = (
            weakref.WeakKeyDictionary())

    def get(self, store: GraphStore, token: Hashable, key: tuple) -> Any:
        with self.lock:
            held = self.stores.get(store)
            if held is None or held[0] != token:
                return None
            found = held[1].pop(key, None)
            if found is not None:
                held[1][key] = found  # most recently used last
            return found

    def put(self, store: GraphStore, token: Hashable, key: tuple, value: Any) -> None:
        with self.lock:
            held = self.stores.get(store)
            if held is None or held[0] != token:
                held = self.stores[store] = (token, {})
            held[1][key] = value
            while len(held[1]) > self.size:
                del held[1][next(iter(held[1]))]

    def clear(self) -> None:
        with self.lock:
            self.stores.clear()


CACHE = IndexCache()


def remembered(store: GraphStore, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, remembered under `key` for the store's generation when it has one."""
    token = generation(store)
    if token is None:
        return compute()
    found = CACHE.get(store, token, key)
    if found is None:
        found = compute()
        CACHE.put(store, token, key, found)
    return found


def down_index(store: GraphStore, start: str, types: Iterable[str], max_depth: int) -> DownIndex:
    """`build_index`, remembered for the store's generation."""
    types = tuple(types)
    return remembered(store, ("down", start, types, int(max_depth)),
                      lambda: build_index(store, start, types, max_depth))
