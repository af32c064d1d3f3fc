"""The merge rules of the stores: how the contributions of many files become one graph.

A node is merged from every file that has it, full nodes (the document's own file) before stubs
(files that only mention it), then by file name: a property takes the first non-empty value, list
properties (aliases) are unions. The edges between two nodes are merged from the files that have
both nodes, in file order: one edge per type with all the evidence (without repeats) and the
highest confidence; between two documents only the strongest relation (implements > based_on >
amends > cites) remains, with every mention. Every rule sorts first, so the graph does not depend
on the order files were written.

`Versions` collects what files say about the nodes and pairs being merged, packed (a national
write holds a few hundred MB of versions, not several GB of objects), and `apply` merges them into
a copy of a PackedGraph.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graph.model import DOCUMENT, REFERENCE_TYPES, Contribution, Edge, Node
from graph.packed import EdgeRecord, PackedGraph, load_values, pack, unpack

_LIST_PROPS = ("aliases",)
_RANK = {t: i for i, t in enumerate(REFERENCE_TYPES)}

Pair = tuple[str, str]
#: file, stub?, kind, shape, packed props
NodeVersion = tuple[str, bool, str, tuple[str, ...], bytes]
#: file, position in the file's edges, type, shape, packed props
EdgeVersion = tuple[str, int, str, tuple[str, ...], bytes]


class Versions:
    """What each file says about some nodes and (src, dst) pairs, packed."""

    def __init__(self) -> None:
        self.nodes: dict[str, list[NodeVersion]] = {}
        self.pairs: dict[Pair, list[EdgeVersion]] = {}

    def add(self, contribution: Contribution, keys: set[str] | None = None,
            pairs: set[Pair] | None = None) -> None:
        """The contribution's nodes among `keys` and edges among `pairs` (None: all of them)."""
        file = contribution.source_file
        for node in contribution.nodes:
            if keys is not None and node.key not in keys:
                continue
            version = (file, bool(node.props.get("stub")), node.kind, *pack(node.props))
            found = self.nodes.setdefault(node.key, [])
            if found and found[-1][0] == file:
                found[-1] = version  # a key twice in one file: the last one wins
            else:
                found.append(version)
        for seq, edge in enumerate(contribution.edges):
            pair = (edge.src, edge.dst)
            if pairs is None or pair in pairs:
                self.pairs.setdefault(pair, []).append((file, seq, edge.type, *pack(edge.props)))

    def forget(self, files: set[str]) -> None:
        """Drop what `files` said (files unchanged after all, or given again later in a write)."""
        for table in (self.nodes, self.pairs):
            for name, found in list(table.items()):
                kept = [v for v in found if v[0] not in files]
                if len(kept) == len(found):
                    continue
                if kept:
                    table[name] = kept  # type: ignore[index]
                else:
                    del table[name]  # type: ignore[arg-type]

    def mentioned(self) -> tuple[set[str], set[Pair]]:
        """The node keys and pairs held (with the ends of every pair among the keys)."""
        keys, pairs = set(self.nodes), set(self.pairs)
        keys.update(k for pair in pairs for k in pair)
        return keys, pairs


def mentioned(contribution: Contribution, keys: set[str], pairs: set[Pair]) -> None:
    """Add the contribution's node keys and edge pairs (and their ends) to `keys` and `pairs`."""
    keys.update(node.key for node in contribution.nodes)
    for edge in contribution.edges:
        pairs.add((edge.src, edge.dst))
        keys.add(edge.src)
        keys.add(edge.dst)


def merged_node(key: str, versions: list[NodeVersion]) -> tuple[str, dict[str, Any]]:
    """(kind, props) of a node from its versions."""
    ordered = sorted(versions, key=lambda v: (v[1], v[0]))
    nodes = [Node(key, kind, unpack(shape, blob)) for _, _, kind, shape, blob in ordered]
    return nodes[0].kind, merge_props(nodes, sorted(v[0] for v in ordered))


def merged_edges(pair: Pair, versions: list[EdgeVersion], files: set[str]) -> list[Edge]:
    """The edges of a pair from the versions of the files in `files` (those having both ends)."""
    src, dst = pair
    stated = [Edge(src, dst, type_, unpack(shape, blob))
              for file, _, type_, shape, blob in sorted(versions, key=lambda v: (v[0], v[1]))
              if file in files]
    return merge_edges(stated)


def apply(graph: PackedGraph, versions: Versions, keys: set[str], pairs: set[Pair]) -> PackedGraph:
    """A copy of `graph` with the nodes `keys` and the pairs `pairs` merged again from
    `versions`, which must hold every version of them (a node without versions is removed,
    with its edges). The edges of a pair need both of its ends among `keys`. Consumes
    `versions` as it goes, so the merged graph grows into the memory they free."""
    new = graph.copy()
    canon: dict[str, str] = {}
    files_of: dict[str, set[str]] = {}
    for key in sorted(keys):
        found = versions.nodes.pop(key, None)
        if not found:
            if key in new.nodes:
                pairs = pairs | set(graph.incident_pairs(key))
                del new.nodes[key]
            continue
        key = canon.setdefault(key, key)  # one string object per key in every record
        kind, props = merged_node(key, found)
        new.nodes[key] = (sys.intern(kind), *pack(props))
        files_of[key] = {v[0] for v in found}
    added_out: dict[str, list[EdgeRecord]] = defaultdict(list)
    added_in: dict[str, list[EdgeRecord]] = defaultdict(list)
    for pair in sorted(pairs):
        src, dst = canon.get(pair[0], pair[0]), canon.get(pair[1], pair[1])
        stated = versions.pairs.pop(pair, None)
        if src not in new.nodes or dst not in new.nodes or stated is None:
            continue
        files = _files_of(new, files_of, src) & _files_of(new, files_of, dst)
        if len(stated) == 1 and _merges_to_itself(stated[0]):
            if stated[0][0] in files:
                record = (src, dst, sys.intern(stated[0][2]), stated[0][3], stated[0][4])
                added_out[src].append(record)
                added_in[dst].append(record)
            continue
        for edge in merged_edges(pair, stated, files):
            record = (src, dst, sys.intern(edge.type), *pack(edge.props))
            added_out[src].append(record)
            added_in[dst].append(record)
    files_of.clear()
    # only nodes that had edges before can lose some (none when the graph starts empty)
    dropped_out: dict[str, set[str]] = defaultdict(set)
    dropped_in: dict[str, set[str]] = defaultdict(set)
    for src, dst in pairs:
        if src in graph.out:
            dropped_out[src].add(dst)
        if dst in graph.inn:
            dropped_in[dst].add(src)
    _rewire(new.out, dropped_out, added_out, 1)
    _rewire(new.inn, dropped_in, added_in, 0)
    return new


def _merges_to_itself(version: EdgeVersion) -> bool:
    """Whether an edge stated once merges to its own props (a list of at most one evidence item:
    nothing to copy, fold or deduplicate), so its packed values can be kept as they are. Most
    edges are: a task's PART_OF, LED_BY, SUPPORTED_BY."""
    _, _, _, shape, blob = version
    if "evidence" not in shape:
        return False
    evidence = load_values(blob)[shape.index("evidence")]
    return type(evidence) is list and len(evidence) <= 1


def _files_of(graph: PackedGraph, files_of: dict[str, set[str]], key: str) -> set[str]:
    found = files_of.get(key)
    if found is None:  # an end merged earlier, not in this write: its stored sources
        found = files_of[key] = set(graph.sources(key))
    return found


def _rewire(adjacency: dict[str, tuple[EdgeRecord, ...]], dropped: dict[str, set[str]],
            added: dict[str, list[EdgeRecord]], other: int) -> None:
    """Replace, per node, its edges to the `dropped` other ends by the `added` records; each
    node's edges sorted by (other end, type)."""
    for key in sorted(dropped.keys() | added.keys()):
        gone = dropped.get(key, set())
        kept = [r for r in adjacency.get(key, ()) if r[other] not in gone]
        kept.extend(added.get(key, ()))
        if kept:
            kept.sort(key=lambda r: (r[other], r[2]))
            adjacency[key] = tuple(kept)
        else:
            adjacency.pop(key, None)


def merge_graph(contributions: Iterable[Contribution]) -> PackedGraph:
    """The merged graph of all contributions, independent of their order (a file given twice:
    the last one wins)."""
    latest = {c.source_file: c for c in contributions}
    versions = Versions()
    keys: set[str] = set()
    pairs: set[Pair] = set()
    for contribution in latest.values():
        versions.add(contribution)
        mentioned(contribution, keys, pairs)
    return apply(PackedGraph(), versions, keys, pairs)


def merge_props(versions: list[Node], files: list[str]) -> dict[str, Any]:
    """Full nodes before stubs, then by file name; the first non-empty value of a property wins,
    list properties (aliases) are unions."""
    merged: dict[str, Any] = {}
    for node in versions:
        for name, value in node.props.items():
            if name in _LIST_PROPS:
                merged.setdefault(name, set()).update(value or [])
            elif merged.get(name) in (None, "", []):
                merged[name] = value
    for name in _LIST_PROPS:
        if name in merged:
            merged[name] = sorted(merged[name])
    if versions[0].kind == DOCUMENT:
        merged["stub"] = all(bool(n.props.get("stub")) for n in versions)
    merged["sources"] = files
    return merged


def merge_edges(stated: list[Edge]) -> list[Edge]:
    """The edges several files state between one pair of nodes (in file order): one edge per
    type with all the evidence and the highest confidence; between two documents only the
    strongest relation (implements > based_on > amends > cites) remains, with every mention."""
    by_type: dict[str, Edge] = {}
    for edge in stated:
        kept = by_type.get(edge.type)
        if kept is None:
            by_type[edge.type] = Edge(edge.src, edge.dst, edge.type, {
                **edge.props, "evidence": list(edge.props.get("evidence") or [])})
            continue
        kept.props["confidence"] = max(kept.props.get("confidence", 0.0), edge.props.get("confidence", 0.0))
        kept.props["evidence"].extend(edge.props.get("evidence") or [])
        for name, value in edge.props.items():
            kept.props.setdefault(name, value)
    references = sorted((e for e in by_type.values() if e.type in _RANK), key=lambda e: _RANK[e.type])
    others = [e for e in by_type.values() if e.type not in _RANK]
    if references:
        strongest = references[0]
        for weaker in references[1:]:
            strongest.props["evidence"].extend(weaker.props.get("evidence") or [])
            strongest.props["confidence"] = max(strongest.props.get("confidence", 0.0),
                                                weaker.props.get("confidence", 0.0))
        others.append(strongest)
    for edge in others:
        edge.props["evidence"] = _distinct(edge.props["evidence"])
    return sorted(others, key=lambda e: e.type)


def _distinct(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence without repeats: two copies of one file (same name, line and text) say it once."""
    seen: set[tuple[Any, Any, Any]] = set()
    out = []
    for item in evidence:
        mark = (item.get("file"), item.get("line"), item.get("raw"))
        if mark not in seen:
            seen.add(mark)
            out.append(item)
    return out
