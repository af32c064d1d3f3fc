"""The embedded store: a networkx MultiDiGraph kept in one file under the data folder.

The file holds the merged graph and every source file's Contribution. Writing replaces the
contributions of the files written, merges again only the nodes and edges those files mention
(before or after), and saves the whole store with an atomic replace (temporary file, fsync,
`os.replace`, fsync of the folder): a crash at any point leaves either the old store or the new
one, never half of each.

Format (FORMAT_VERSION 2): a pickle (protocol 5) of `{"format": 2, "graph": bytes, "files":
{source file: bytes}}`, where `graph` is the pickled merged graph and each file's bytes its
pickled Contribution. Why pickle: loading is one C-level call with no parsing or graph rebuilding
(JSON or GraphML would need both, several times slower) and networkx graphs pickle natively.
Why the inner blobs: a reader (show, trace, tasks, the API) unpickles only the graph; a writer
unpickles only the contributions it needs to merge again, and re-pickles only the files that
changed. Pickle is only safe for files this program wrote itself, which is what the data folder
holds.

Merging is deterministic: contributions are merged in the order of their source file names, a
full node (the document's own file) before stubs (files that only mention it), and a property
takes the first non-empty value, so the graph does not depend on the order files were ingested.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path as FilePath
from typing import Any

import networkx as nx

from graph.model import DOCUMENT, REFERENCE_TYPES, Contribution, Edge, Node, Path
from graph.store import GraphStore

FORMAT_VERSION = 2
STORE_FILE = "graph.pickle"
LOCK_FILE = ".lock"
TEMP_PREFIX = ".graph-"
#: a walk stops collecting beyond this many paths: lineage is for reading, and a dense CITES
#: graph has more simple paths than anyone can read
MAX_PATHS = 5000
_LIST_PROPS = ("aliases",)
_PROTOCOL = 5


class StoreError(Exception):
    """The store file cannot be used (corrupt, from another format version, not writable)."""


class Contributions(Mapping[str, Contribution]):
    """Source file → Contribution, kept pickled and unpickled on first use."""

    def __init__(self, blobs: dict[str, bytes] | None = None,
                 loaded: dict[str, Contribution] | None = None) -> None:
        self.blobs = blobs if blobs is not None else {}
        self.loaded = loaded if loaded is not None else {}

    def __getitem__(self, source_file: str) -> Contribution:
        found = self.loaded.get(source_file)
        if found is None:
            found = self.loaded[source_file] = pickle.loads(self.blobs[source_file])
        return found

    def __contains__(self, source_file: object) -> bool:
        return source_file in self.blobs

    def __iter__(self) -> Iterator[str]:
        return iter(self.blobs)

    def __len__(self) -> int:
        return len(self.blobs)

    def changed(self, new: dict[str, Contribution], removed: set[str]) -> Contributions:
        """A copy with `new` contributions in and `removed` files out."""
        blobs = {f: b for f, b in self.blobs.items() if f not in removed}
        loaded = {f: c for f, c in self.loaded.items() if f not in removed}
        for source_file, contribution in new.items():
            blobs[source_file] = pickle.dumps(contribution, protocol=_PROTOCOL)
            loaded[source_file] = contribution
        return Contributions(blobs, loaded)


class EmbeddedStore(GraphStore):
    """A GraphStore on networkx, persisted in `data_dir/graph.pickle`."""

    def __init__(self, data_dir: str | os.PathLike[str] | None = None) -> None:
        self.data_dir = FilePath(data_dir) if data_dir is not None else FilePath(".chidao")
        self.path = self.data_dir / STORE_FILE
        self._files = Contributions()
        self._merger = Merger()
        self._stamp: tuple[int, int, int] | None = None
        self._load()

    # -- persistence -------------------------------------------------------------------------

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _load(self) -> None:
        stamp = self._file_stamp()
        if stamp is None:
            self._files, self._merger, self._stamp = Contributions(), Merger(), None
            return
        try:
            with self.path.open("rb") as handle, _no_gc():
                payload = pickle.load(handle)
                if isinstance(payload, dict) and payload.get("format") == FORMAT_VERSION:
                    graph = pickle.loads(payload["graph"])
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError,
                TypeError) as exc:
            raise StoreError(f"{self.path}: cannot read the store ({exc}); remove it and ingest again"
                             ) from exc
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
            found = payload.get("format") if isinstance(payload, dict) else "unknown"
            raise StoreError(f"{self.path}: store format {found}, this chidao reads format "
                             f"{FORMAT_VERSION}; remove it and ingest again")
        self._files = Contributions(payload["files"])
        self._merger = Merger(graph)
        self._stamp = stamp

    def _refresh(self) -> None:
        """Reload when another process replaced the file since we read it."""
        if self._file_stamp() != self._stamp:
            self._load()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time across processes; readers need no lock (os.replace is atomic)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.data_dir / LOCK_FILE).open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @property
    def _graph(self) -> nx.MultiDiGraph:
        return self._merger.graph

    def _save(self, files: Contributions, graph: nx.MultiDiGraph) -> None:
        payload = {"format": FORMAT_VERSION, "graph": pickle.dumps(graph, protocol=_PROTOCOL),
                   "files": files.blobs}
        atomic_write(self.path, lambda handle: pickle.dump(payload, handle, protocol=_PROTOCOL))
        self._stamp = self._file_stamp()

    # -- writes ------------------------------------------------------------------------------

    def write(self, contributions: Iterable[Contribution]) -> None:
        new = {c.source_file: c for c in contributions}  # a file given twice: the last one wins
        self._update(new, set())

    def remove(self, source_files: Iterable[str]) -> None:
        """Forget what these files said (their stubs revert or vanish as the files are gone)."""
        self._update({}, set(source_files))

    def _update(self, new: dict[str, Contribution], removed: set[str]) -> None:
        with self._locked(), _no_gc():
            self._refresh()
            current = self._files
            new = {f: c for f, c in new.items() if f not in current or current[f] != c}
            removed = {f for f in removed if f in current and f not in new}
            if not new and not removed:
                return  # re-ingesting unchanged files leaves the store file untouched
            updated = current.changed(new, removed)
            # merge into a copy: readers (API threads) keep a whole graph until the swap, and a
            # failed save leaves this store as the file is, the previous version
            merger = self._merger.fork()
            merger.apply(current, updated, set(new) | removed)
            self._save(updated, merger.graph)
            self._files, self._merger = updated, merger

    def refresh(self) -> None:
        """See writes made by other processes since this store was opened (a long-running
        reader such as the API calls it per request; it costs one stat when nothing changed)."""
        self._refresh()

    # -- reads -------------------------------------------------------------------------------

    def node(self, key: str) -> Node | None:
        data = self._graph.nodes.get(key)
        return Node(key, data["kind"], data["props"]) if data is not None else None

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        for key, data in self._graph.nodes(data=True):
            if kind is None or data["kind"] == kind:
                yield Node(key, data["kind"], data["props"])

    def edges_out(self, key: str, types: Iterable[str] | None = None) -> list[Edge]:
        if key not in self._graph:
            return []
        wanted = set(types) if types is not None else None
        return [Edge(src, dst, t, props) for src, dst, t, props in
                self._graph.out_edges(key, keys=True, data="props") if wanted is None or t in wanted]

    def edges_in(self, key: str, types: Iterable[str] | None = None) -> list[Edge]:
        if key not in self._graph:
            return []
        wanted = set(types) if types is not None else None
        return [Edge(src, dst, t, props) for src, dst, t, props in
                self._graph.in_edges(key, keys=True, data="props") if wanted is None or t in wanted]

    def paths_up(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
        return self._walk(key, tuple(types), max_depth, upward=True)

    def paths_down(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
        """Paths from each descendant to `key`: edges in their own direction, so `Path.nodes`
        reads descendant → … → key."""
        return self._walk(key, tuple(types), max_depth, upward=False)

    def _walk(self, start: str, types: tuple[str, ...], max_depth: int, upward: bool) -> list[Path]:
        if start not in self._graph or max_depth < 1:
            return []
        step = self.edges_out if upward else self.edges_in
        found: list[list[Edge]] = []

        def extend(node: str, walked: list[Edge], seen: set[str]) -> None:
            if len(found) >= MAX_PATHS:
                return
            onward = [] if len(walked) >= max_depth else [
                e for e in step(node, types) if (e.dst if upward else e.src) not in seen]
            if not onward:
                if walked:
                    found.append(list(walked) if upward else list(reversed(walked)))
                return
            for edge in sorted(onward, key=lambda e: (e.dst, e.src, e.type)):
                nxt = edge.dst if upward else edge.src
                walked.append(edge)
                seen.add(nxt)
                extend(nxt, walked, seen)
                seen.discard(nxt)
                walked.pop()

        extend(start, [], {start})
        found.sort(key=lambda edges: (len(edges), [(e.src, e.dst, e.type) for e in edges]))
        return [Path(edges) for edges in found]

    def source_files(self) -> list[str]:
        return sorted(self._files)

    def contribution(self, source_file: str) -> Contribution | None:
        return self._files.get(source_file)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: merging and (un)pickling create hundreds of thousands
    of small containers, and the collections their allocation triggers, each walking the whole
    graph, make loading ~5× slower. Nothing here builds reference cycles that need collecting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def atomic_write(path: FilePath, write: Callable[[Any], None]) -> None:
    """Write `path` through a temporary file in the same folder, fsync it, then `os.replace`:
    readers and a crash see the old file or the new one, never a partial one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())  # mkstemp makes 0600; a store is a normal file
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_folder(path.parent)


def _umask() -> int:
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


def _fsync_folder(folder: FilePath) -> None:
    """Make the rename itself durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- merging ---------------------------------------------------------------------------------

class _FileIndex:
    """One contribution's nodes by key and edges by (src, dst) pair, for quick re-merging."""

    def __init__(self, contribution: Contribution) -> None:
        self.contribution = contribution
        self.nodes = {node.key: node for node in contribution.nodes}
        self.pairs: dict[tuple[str, str], list[Edge]] = {}
        for edge in contribution.edges:
            self.pairs.setdefault((edge.src, edge.dst), []).append(edge)


class Merger:
    """Keeps the merged graph of a set of contributions up to date when some files change.

    Only the nodes and (src, dst) pairs the changed files mention (before or after) are merged
    again, from every file that mentions them; the result is the same as merging everything
    (`merge_contributions`), at a cost proportional to the change."""

    def __init__(self, graph: nx.MultiDiGraph | None = None) -> None:
        self.graph = graph if graph is not None else nx.MultiDiGraph()
        self._indexes: dict[str, _FileIndex] = {}

    def fork(self) -> Merger:
        """A merger on a copy of the graph (node and edge attribute dicts copied, values shared)."""
        twin = Merger(self.graph.copy())
        twin._indexes = dict(self._indexes)
        return twin

    def index(self, contribution: Contribution) -> _FileIndex:
        cached = self._indexes.get(contribution.source_file)
        if cached is None or cached.contribution is not contribution:
            cached = self._indexes[contribution.source_file] = _FileIndex(contribution)
        return cached

    def apply(self, before: Mapping[str, Contribution], after: Mapping[str, Contribution],
              changed: Iterable[str]) -> None:
        changed = sorted(set(changed))
        old = [self.index(before[f]) for f in changed if f in before]
        new = [self.index(after[f]) for f in changed if f in after]
        keys = sorted({k for i in old + new for k in i.nodes})
        pairs = sorted({p for i in old + new for p in i.pairs})
        mentioned_by: dict[str, list[str]] = {}
        for index in new:
            for key in index.nodes:
                mentioned_by.setdefault(key, []).append(index.contribution.source_file)
        for key in keys:
            self._merge_node(key, after, mentioned_by.get(key, []))
        for pair in pairs:
            self._merge_pair(pair, after)
        for f in changed:
            if f not in after:
                self._indexes.pop(f, None)

    def _sources(self, key: str) -> list[str]:
        data = self.graph.nodes.get(key)
        return list(data["props"].get("sources", [])) if data is not None else []

    def _merge_node(self, key: str, after: Mapping[str, Contribution], new_files: list[str]) -> None:
        candidates = sorted(set(self._sources(key)) | set(new_files))
        versions = [(f, self.index(after[f]).nodes[key]) for f in candidates
                    if f in after and key in self.index(after[f]).nodes]
        if not versions:
            if key in self.graph:
                self.graph.remove_node(key)
            return
        versions.sort(key=lambda v: (bool(v[1].props.get("stub")), v[0]))
        props = _merge_props([n for _, n in versions], sorted(f for f, _ in versions))
        if key in self.graph:
            self.graph.nodes[key].update(kind=versions[0][1].kind, props=props)
        else:
            self.graph.add_node(key, kind=versions[0][1].kind, props=props)

    def _merge_pair(self, pair: tuple[str, str], after: Mapping[str, Contribution]) -> None:
        src, dst = pair
        if self.graph.has_edge(src, dst):
            for edge_type in list(self.graph[src][dst]):
                self.graph.remove_edge(src, dst, key=edge_type)
        if src not in self.graph or dst not in self.graph:
            return
        files = sorted(set(self._sources(src)) & set(self._sources(dst)))
        stated = [edge for f in files if f in after for edge in self.index(after[f]).pairs.get(pair, [])]
        for edge in _merge_edges(stated):
            self.graph.add_edge(src, dst, key=edge.type, props=edge.props)


def merge_contributions(contributions: Iterable[Contribution]) -> nx.MultiDiGraph:
    """The merged graph of all contributions, independent of their order."""
    after = {c.source_file: c for c in contributions}
    merger = Merger()
    with _no_gc():
        merger.apply({}, after, after)
    return merger.graph


def _merge_props(versions: list[Node], files: list[str]) -> dict[str, Any]:
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


def _merge_edges(stated: list[Edge]) -> list[Edge]:
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
    rank = {t: i for i, t in enumerate(REFERENCE_TYPES)}
    references = sorted((e for e in by_type.values() if e.type in rank), key=lambda e: rank[e.type])
    others = [e for e in by_type.values() if e.type not in rank]
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
