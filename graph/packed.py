"""Compact forms of the embedded store: a file's contribution as one `bytes`, and the merged graph
as plain dicts of small tuples whose properties stay packed until a read asks for them.

Why: at national scale (~400 k nodes, ~1.4 M edges) a networkx MultiDiGraph of property dicts
took ~3.1 GB and ~6 s to unpickle, because every edge was five to eight Python containers
(adjacency dicts, key dict, attribute dict, props dict, evidence list, evidence dicts). Here a
node is one tuple `(kind, shape, blob)` and an edge one tuple `(src, dst, type, shape, blob)`:
`shape` is the tuple of property names (shared by every node or edge with the same names) and
`blob` the marshalled tuple of values. A read unpacks only the nodes and edges it returns
(a few microseconds each) into fresh dicts, so callers may change what they get without
touching the store. marshal is used because it is the fastest (de)serialiser of plain values
in the standard library; a value it cannot hold (a str subclass, a custom object) falls back
to pickle, told apart by the first byte (pickle protocol ≥ 2 starts with 0x80, which no marshal
stream does).
"""

from __future__ import annotations

import marshal
import pickle
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from graph.model import Contribution, Edge, Node

#: first value of an encoded contribution: bump when the tuple layout changes
CODEC = 1
_PICKLED = 0x80
#: packed values at least this long are unmarshalled once per graph and kept (see `unpack`)
HOT_BYTES = 4096
#: a kept list of at least this many plain values (a hub's `sources`: 16,777 files for 57-NQ/TW)
#: is shared by every read, read only, instead of copied for each (~20 us a read of the hub)
SHARED_ITEMS = 64
_PLAIN = (str, int, float, bool, type(None))
_SHAPES: dict[tuple[str, ...], tuple[str, ...]] = {}

NodeRecord = tuple[str, tuple[str, ...], bytes]  # kind, shape, packed values
EdgeRecord = tuple[str, str, str, tuple[str, ...], bytes]  # src, dst, type, shape, packed values


def dump_values(value: Any) -> bytes:
    try:
        return marshal.dumps(value)
    except ValueError:  # something marshal cannot hold: pickle keeps it exactly
        return pickle.dumps(value, protocol=5)


def load_values(blob: bytes) -> Any:
    return pickle.loads(blob) if blob[0] == _PICKLED else marshal.loads(blob)


def pack(props: dict[str, Any]) -> tuple[tuple[str, ...], bytes]:
    """A props dict as (shared shape, packed values)."""
    names = tuple(props)
    shape = _SHAPES.get(names)
    if shape is None:
        shape = _SHAPES[names] = tuple(sys.intern(n) for n in names)
    return shape, dump_values(tuple(props.values()))


class SharedList(list):
    """A long list of plain values kept by the graph and given to every read as it is: equal to
    and read as any list (json, iteration, `len`, slices), but it cannot be changed in place, so
    no reader changes what the next one reads. `list(value)` (or `value.copy()`) is a list of
    one's own; a pickled SharedList is a plain list."""

    __slots__ = ()

    def _shared(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("this list is the graph store's, shared by its readers: change a copy "
                        "(list(value)) instead")

    append = extend = insert = remove = pop = clear = sort = reverse = _shared
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _shared  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type, tuple[list[Any]]]:
        return list, (list(self),)


def unpack(shape: tuple[str, ...], blob: bytes, hot: dict[bytes, tuple] | None = None) -> dict[str, Any]:
    """The props dict of (shape, blob). With `hot`, a big blob (a hub: 57-NQ/TW has 16 k sources
    and takes over a millisecond to unmarshal) is unmarshalled once and kept there; each read gets
    copies of its containers, but its long lists of plain values shared (SharedList)."""
    if hot is None or len(blob) < HOT_BYTES:
        return dict(zip(shape, load_values(blob), strict=True))
    values = hot.get(blob)
    if values is None:
        values = hot[blob] = tuple(_shared(value) for value in load_values(blob))
    return {name: _copy(value) for name, value in zip(shape, values, strict=True)}


def _shared(value: Any) -> Any:
    """A top-level value as kept: a long list of plain values as a SharedList."""
    if type(value) is list and len(value) >= SHARED_ITEMS and all(type(v) in _PLAIN for v in value):
        return SharedList(value)
    return value


def _copy(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        return [_copy(v) for v in value] if value and type(value[0]) in (list, dict) else list(value)
    if kind is dict:
        return {k: _copy(v) for k, v in value.items()}
    return value


def encode_contribution(contribution: Contribution) -> bytes:
    """One file's contribution as bytes: what the store keeps per file, and what a worker
    process sends back (cheaper to move between processes than the objects)."""
    return dump_values((CODEC, contribution.source_file,
                        [(n.key, n.kind, n.props) for n in contribution.nodes],
                        [(e.src, e.dst, e.type, e.props) for e in contribution.edges]))


def decode_contribution(blob: bytes) -> Contribution:
    value = load_values(blob)
    if isinstance(value, Contribution):  # stores of format 2 pickled the object itself
        return value
    codec, source_file, nodes, edges = value
    if codec != CODEC:
        raise ValueError(f"contribution codec {codec}, expected {CODEC}")
    return Contribution(source_file, [Node(*n) for n in nodes], [Edge(*e) for e in edges])


class PackedGraph:
    """The merged graph: `nodes` key → NodeRecord; `out` / `inn` key → the tuple of its out- or
    in-edges, each EdgeRecord shared by both sides and sorted by (other end, type)."""

    __slots__ = ("hot", "inn", "nodes", "out")

    def __init__(self, nodes: dict[str, NodeRecord] | None = None,
                 out: dict[str, tuple[EdgeRecord, ...]] | None = None,
                 inn: dict[str, tuple[EdgeRecord, ...]] | None = None) -> None:
        self.nodes = nodes if nodes is not None else {}
        self.out = out if out is not None else {}
        self.inn = inn if inn is not None else {}
        #: big packed values already unmarshalled, by blob (not saved)
        self.hot: dict[bytes, tuple] = {}

    def copy(self) -> PackedGraph:
        """A graph a write can change while readers keep this one (records are immutable)."""
        return PackedGraph(dict(self.nodes), dict(self.out), dict(self.inn))

    def state(self) -> tuple[dict, dict, dict]:
        return self.nodes, self.out, self.inn

    # -- reads -----------------------------------------------------------------------------------

    def __contains__(self, key: object) -> bool:
        return key in self.nodes

    def node(self, key: str) -> Node | None:
        record = self.nodes.get(key)
        if record is None:
            return None
        kind, shape, blob = record
        return Node(key, kind, unpack(shape, blob, self.hot))

    def props(self, key: str) -> dict[str, Any] | None:
        record = self.nodes.get(key)
        return unpack(record[1], record[2], self.hot) if record is not None else None

    def iter_nodes(self, kind: str | None = None) -> Iterator[Node]:
        hot = self.hot
        for key, (node_kind, shape, blob) in self.nodes.items():
            if kind is None or node_kind == kind:
                yield Node(key, node_kind, unpack(shape, blob, hot))

    def edges_out(self, key: str, wanted: set[str] | frozenset[str] | None = None) -> list[Edge]:
        return _edges(self.out.get(key, ()), wanted, self.hot)

    def edges_in(self, key: str, wanted: set[str] | frozenset[str] | None = None) -> list[Edge]:
        return _edges(self.inn.get(key, ()), wanted, self.hot)

    def sources(self, key: str) -> list[str]:
        props = self.props(key)
        return list(props.get("sources") or []) if props is not None else []

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return sum(len(records) for records in self.out.values())

    def edges(self, keys: bool = True) -> Iterator[tuple[str, str, str]]:
        """(src, dst, type) of every edge (the networkx call the benchmarks make)."""
        for records in self.out.values():
            for src, dst, type_, _, _ in records:
                yield src, dst, type_

    def incident_pairs(self, key: str) -> Iterable[tuple[str, str]]:
        for src, dst, *_ in self.out.get(key, ()):
            yield src, dst
        for src, dst, *_ in self.inn.get(key, ()):
            yield src, dst


def _edges(records: tuple[EdgeRecord, ...], wanted: set[str] | frozenset[str] | None,
           hot: dict[bytes, tuple]) -> list[Edge]:
    return [Edge(src, dst, type_, unpack(shape, blob, hot)) for src, dst, type_, shape, blob in records
            if wanted is None or type_ in wanted]
