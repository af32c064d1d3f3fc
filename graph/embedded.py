"""The embedded store: the merged graph and every file's contribution in one file under the data
folder, the graph held in memory in a packed form (graph/packed.py).

Writing replaces the contributions of the files written, merges again only the nodes and pairs
those files mention (before or after) from every file that has them, and saves the whole store
with an atomic replace (temporary file, fsync, `os.replace`, fsync of the folder): a crash at any
point leaves either the old store or the new one, never half of each. Contributions are taken as
they come (an iterable, e.g. from extraction workers) and kept packed, so a write of the whole
national corpus never holds every file's objects at once.

File layout (FORMAT_VERSION 3): `MAGIC`, the offset of the files section (8 bytes, little
endian), then two pickles (protocol 5): the graph section `{"format": 3, "graph": (nodes, out,
in), "files": [source file, …]}` and the files section `{source file: encoded contribution}`.
A reader (show, trace, tasks, the API) unpickles only the graph section; the files section is
read when a write needs it. Why pickle: loading is one C-level call with no parsing or graph
rebuilding. Pickle is only safe for files this program wrote itself, which is what the data
folder holds. Stores of formats 1 and 2 (a pickled networkx graph) are still read, converted in
memory (slowly: the whole networkx graph is unpickled first), and saved in format 3 by the next
write, even one that changes nothing (`chidao ingest` of a file already stored upgrades a store).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import itertools
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path as FilePath
from typing import IO, Any

from graph.merge import Pair, Versions, apply, mentioned, merge_graph
from graph.model import PART_OF, Contribution, Edge, Node, Path
from graph.packed import EdgeRecord, PackedGraph, decode_contribution, encode_contribution, pack, unpack
from graph.store import TASK_PREFIX, GraphStore, Link

FORMAT_VERSION = 3
MAGIC = b"CHIDAO\x00\x03"
_HEADER = len(MAGIC) + 8
STORE_FILE = "graph.pickle"
LOCK_FILE = ".lock"
TEMP_PREFIX = ".graph-"
#: a walk stops collecting beyond this many paths: lineage is for reading, and a dense CITES
#: graph has more simple paths than anyone can read
MAX_PATHS = 5000
_PROTOCOL = 5
#: a graph of at least this many nodes is big: frozen out of the garbage collector's reach when
#: loaded, and its files section not kept in memory between writes
FREEZE_NODES = 100_000
#: every graph a store of this process holds gets the next number (see EmbeddedStore.generation)
_GENERATIONS = itertools.count(1)
_READ_ERRORS = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError,
                TypeError, ValueError, IndexError)


class StoreError(Exception):
    """The store file cannot be used (corrupt, from another format version, not writable)."""


class EmbeddedStore(GraphStore):
    """A GraphStore kept in `data_dir/graph.pickle`."""

    def __init__(self, data_dir: str | os.PathLike[str] | None = None) -> None:
        self.data_dir = FilePath(data_dir) if data_dir is not None else FilePath(".chidao")
        self.path = self.data_dir / STORE_FILE
        self._graph = PackedGraph()
        self._files: list[str] = []
        self._blobs: dict[str, bytes] | None = {}
        self._stamp: tuple[int, int, int] | None = None
        self._upgrade = False  # read from an older format: the next write saves it in this one
        #: which graph the reads see: a new number on every load (a refresh that finds another
        #: process's write included) and every write, never reused in this process, so answers
        #: remembered for one number (queries/cascade_index.py, queries/resolve.py) stay right
        self.generation = next(_GENERATIONS)
        self._load()

    # -- persistence -------------------------------------------------------------------------

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            return _stamp_of(self.path.stat())
        except FileNotFoundError:
            return None

    def _load(self) -> None:
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            self._graph, self._files, self._blobs, self._stamp = PackedGraph(), [], {}, None
            self._upgrade = False
            self.generation = next(_GENERATIONS)
            return
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read the store ({exc})") from exc
        with handle, _no_gc():
            stamp = _stamp_of(os.fstat(handle.fileno()))
            try:
                if handle.read(len(MAGIC)) == MAGIC:
                    handle.seek(_HEADER)
                    graph, files, blobs = _read_graph(self.path, handle), None, None
                else:
                    handle.seek(0)
                    graph, files, blobs = _read_legacy(self.path, handle)
            except StoreError:
                raise
            except _READ_ERRORS as exc:
                raise StoreError(f"{self.path}: cannot read the store ({exc}); remove it and ingest "
                                 "again") from exc
        self._graph, self._stamp = graph["graph"], stamp
        self.generation = next(_GENERATIONS)
        self._files = files if files is not None else graph["files"]
        self._blobs = blobs
        self._upgrade = files is not None
        if len(self._graph.nodes) >= FREEZE_NODES:
            # the loaded records never form cycles: keep the collector from walking millions of
            # them (the first full collection after loading the national graph took 3.4 s)
            gc.freeze()

    def _stored_blobs(self) -> dict[str, bytes]:
        """Every file's encoded contribution, read from the file on first use (writers only)."""
        while self._blobs is None:
            try:
                with self.path.open("rb") as handle:
                    if _stamp_of(os.fstat(handle.fileno())) != self._stamp:
                        self._load()  # replaced since we read the graph: take the new one whole
                        continue
                    handle.seek(len(MAGIC))
                    handle.seek(int.from_bytes(handle.read(8), "little"))
                    with _no_gc():
                        blobs = pickle.load(handle)
            except FileNotFoundError:
                self._load()
                continue
            except _READ_ERRORS as exc:
                raise StoreError(f"{self.path}: cannot read the stored files ({exc}); remove it and "
                                 "ingest again") from exc
            if not isinstance(blobs, dict):
                raise StoreError(f"{self.path}: the files section is damaged; remove it and ingest again")
            self._blobs = blobs
        return self._blobs

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

    def _save(self, blobs: dict[str, bytes], graph: PackedGraph) -> None:
        files = sorted(blobs)

        def write(handle: IO[bytes]) -> None:
            handle.write(MAGIC + bytes(8))
            pickle.dump({"format": FORMAT_VERSION, "graph": graph.state(), "files": files}, handle,
                        protocol=_PROTOCOL)
            files_at = handle.tell()
            pickle.dump(blobs, handle, protocol=_PROTOCOL)
            handle.seek(len(MAGIC))
            handle.write(files_at.to_bytes(8, "little"))

        atomic_write(self.path, write)
        self._stamp = self._file_stamp()
        self._graph, self._files, self._upgrade = graph, files, False
        self.generation = next(_GENERATIONS)
        # a big store's writer reads the files again when it next writes rather than holding them
        # in between (`chidao ingest` aligns the whole graph right after its write)
        self._blobs = blobs if len(graph.nodes) < FREEZE_NODES else None

    # -- writes ------------------------------------------------------------------------------

    def write(self, contributions: Iterable[Contribution]) -> None:
        """Store the contributions (taken one at a time; a file given twice: the last one wins)."""
        self._update(contributions, set())

    def remove(self, source_files: Iterable[str]) -> None:
        """Forget what these files said (their stubs revert or vanish as the files are gone)."""
        self._update((), set(source_files))

    def _update(self, contributions: Iterable[Contribution], removed: set[str]) -> None:
        with _no_gc():
            # encoding and indexing need nothing stored: done before taking the lock, so a long
            # extraction feeding this write does not hold other writers back
            versions, incoming = _take(contributions)
            with self._locked():
                self._refresh()
                stored = self._stored_blobs()
                unchanged = {f for f, blob in incoming.items() if _same(stored.get(f), blob)}
                if unchanged:
                    versions.forget(unchanged)
                    incoming = {f: b for f, b in incoming.items() if f not in unchanged}
                gone = {f for f in removed if f in stored and f not in incoming}
                if not incoming and not gone:
                    if self._upgrade:  # an older format: saved in this one, even unchanged
                        self._save(stored, self._graph)
                    return  # re-ingesting unchanged files leaves the store file untouched
                keys, pairs = versions.mentioned()
                for file in [f for f in incoming if f in stored] + sorted(gone):
                    mentioned(decode_contribution(stored[file]), keys, pairs)
                keys.update(k for pair in pairs for k in pair)
                after = {f: b for f, b in stored.items() if f not in gone}
                after.update(incoming)
                self._gather(versions, keys, pairs, after, set(incoming))
                # merge into a copy: readers (API threads) keep a whole graph until the swap,
                # and a failed save leaves this store as the file is, the previous version
                graph = apply(self._graph, versions, keys, pairs)
                del versions
                self._save(after, graph)

    def _gather(self, versions: Versions, keys: set[str], pairs: set[Pair],
                after: dict[str, bytes], taken: set[str]) -> None:
        """Add to `versions` what the other stored files say about `keys` and `pairs`: the files
        that have one of the keys, each decoded once and dropped."""
        files: set[str] = set()
        for key in keys:
            files.update(self._graph.sources(key))
        for file in sorted(files - taken):
            if file in after:
                versions.add(decode_contribution(after[file]), keys, pairs)

    def refresh(self) -> None:
        """See writes made by other processes since this store was opened (a long-running
        reader such as the API calls it per request; it costs one stat when nothing changed)."""
        self._refresh()

    # -- reads -------------------------------------------------------------------------------

    def node(self, key: str) -> Node | None:
        return self._graph.node(key)

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        return self._graph.iter_nodes(kind)

    def edges_out(self, key: str, types: Iterable[str] | None = None) -> list[Edge]:
        return self._graph.edges_out(key, set(types) if types is not None else None)

    def edges_in(self, key: str, types: Iterable[str] | None = None) -> list[Edge]:
        return self._graph.edges_in(key, set(types) if types is not None else None)

    def descendants(self, key: str, types: Iterable[str] | None,
                    max_depth: int = 8) -> dict[str, tuple[int, Edge]]:
        """GraphStore.descendants over the packed edge records: only the edges that first reach a
        node are unpacked."""
        hot = self._graph.hot
        reached = self._descend(key, types, max_depth)
        return {node: (depth, Edge(src, dst, type_, unpack(shape, blob, hot)))
                for node, (depth, (src, dst, type_, shape, blob)) in reached.items()}

    def descendant_keys(self, key: str, types: Iterable[str] | None,
                        max_depth: int = 8) -> dict[str, tuple[int, Link]]:
        """GraphStore.descendant_keys with no edge unpacked (a national walk: ~1.4 s, against
        ~3.7 s with the properties of the 309 k reaching edges)."""
        reached = self._descend(key, types, max_depth)
        return {node: (depth, record[:3]) for node, (depth, record) in reached.items()}

    def _descend(self, key: str, types: Iterable[str] | None,
                 max_depth: int) -> dict[str, tuple[int, EdgeRecord]]:
        """The walk of GraphStore.descendants, in its order: a node's in-edge records are already
        sorted by (src, type) and a task's out-edges by (dst, type)."""
        graph = self._graph
        if key not in graph:
            return {}
        wanted = None if types is None else frozenset(types)
        inn, out = graph.inn, graph.out
        seen: dict[str, tuple[int, Any]] = {key: (0, None)}
        frontier = [key]
        for depth in range(1, max(int(max_depth), 0) + 1):
            if not frontier:
                break
            reached: list[str] = []
            for node in frontier:
                for record in inn.get(node, ()):
                    src, edge_type = record[0], record[2]
                    if src in seen or (wanted is not None and edge_type not in wanted):
                        continue
                    seen[src] = (depth, record)
                    reached.append(src)
                    if edge_type != PART_OF and src.startswith(TASK_PREFIX):
                        # a task carrying out another task brings its own plan, at its depth
                        for up in out.get(src, ()):
                            if up[2] == PART_OF and up[1] not in seen:
                                seen[up[1]] = (depth, up)
                                reached.append(up[1])
            frontier = reached
        del seen[key]
        return seen

    def paths_up(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
        return self._walk(key, tuple(types), max_depth, upward=True)

    def paths_down(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
        """Paths from each descendant to `key`: edges in their own direction, so `Path.nodes`
        reads descendant → … → key."""
        return self._walk(key, tuple(types), max_depth, upward=False)

    def _walk(self, start: str, types: tuple[str, ...], max_depth: int, upward: bool) -> list[Path]:
        graph = self._graph
        if start not in graph or max_depth < 1:
            return []
        wanted = frozenset(types)
        step = graph.edges_out if upward else graph.edges_in
        found: list[list[Edge]] = []

        def extend(node: str, walked: list[Edge], seen: set[str]) -> None:
            if len(found) >= MAX_PATHS:
                return
            onward = [] if len(walked) >= max_depth else [
                e for e in step(node, wanted) if (e.dst if upward else e.src) not in seen]
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
        return list(self._files)

    def contribution(self, source_file: str) -> Contribution | None:
        blob = self._stored_blobs().get(source_file)
        return decode_contribution(blob) if blob is not None else None


def _take(contributions: Iterable[Contribution]) -> tuple[Versions, dict[str, bytes]]:
    """Encode and index each contribution as it comes (the last one of a file wins): what the
    files say, and their encoded contributions by file."""
    versions = Versions()
    incoming: dict[str, bytes] = {}
    for contribution in contributions:
        file = contribution.source_file
        if file in incoming:
            versions.forget({file})
        incoming[file] = encode_contribution(contribution)
        versions.add(contribution)
    return versions, incoming


def _same(stored: bytes | None, blob: bytes) -> bool:
    """Whether a file's new contribution is the stored one (equal bytes, or equal once decoded:
    the encoding of equal values can differ in how it shares repeated strings)."""
    if stored is None:
        return False
    return stored == blob or decode_contribution(stored) == decode_contribution(blob)


def _stamp_of(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _read_graph(path: FilePath, handle: IO[bytes]) -> dict[str, Any]:
    section = pickle.load(handle)
    if not isinstance(section, dict) or section.get("format") != FORMAT_VERSION:
        found = section.get("format") if isinstance(section, dict) else "unknown"
        raise StoreError(f"{path}: store format {found}, this chidao reads format {FORMAT_VERSION}; "
                         "remove it and ingest again")
    section["graph"] = PackedGraph(*section["graph"])
    return section


def _read_legacy(path: FilePath, handle: IO[bytes]) -> tuple[dict[str, Any], list[str], dict[str, bytes]]:
    """A store of format 1 or 2 (the networkx graph pickled whole), converted in memory."""
    payload = pickle.load(handle)
    found = payload.get("format") if isinstance(payload, dict) else "unknown"
    if found == 2:
        graph, blobs = pickle.loads(payload["graph"]), dict(payload["files"])
    elif found == 1:
        graph = payload["graph"]
        blobs = {f: encode_contribution(c) for f, c in payload["contributions"].items()}
    else:
        raise StoreError(f"{path}: store format {found}, this chidao reads format {FORMAT_VERSION}; "
                         "remove it and ingest again")
    return {"graph": _from_networkx(graph)}, sorted(blobs), blobs


def _from_networkx(graph: Any) -> PackedGraph:
    """The packed form of an older store's graph; each attribute dict is emptied once packed,
    so the packed graph grows into the memory the old one frees."""
    packed = PackedGraph()
    for key, data in graph.nodes(data=True):
        packed.nodes[key] = (data["kind"], *pack(data["props"]))
        data.clear()
    canon = {key: key for key in packed.nodes}  # edge ends share the node keys' strings
    out: dict[str, list] = {}
    inn: dict[str, list] = {}
    for src, dst, type_, data in graph.edges(keys=True, data=True):
        src, dst = canon.get(src, src), canon.get(dst, dst)
        record = (src, dst, type_, *pack(data["props"]))
        data.clear()
        out.setdefault(src, []).append(record)
        inn.setdefault(dst, []).append(record)
    packed.out = {k: tuple(sorted(v, key=lambda r: (r[1], r[2]))) for k, v in out.items()}
    packed.inn = {k: tuple(sorted(v, key=lambda r: (r[0], r[2]))) for k, v in inn.items()}
    return packed


def merge_contributions(contributions: Iterable[Contribution]) -> Any:
    """The merged graph of all contributions as a networkx MultiDiGraph (nodes with `kind` and
    `props`, edges keyed by type with `props`), independent of their order: the rules both
    stores share (graph/merge.py)."""
    import networkx as nx

    with _no_gc():
        packed = merge_graph(contributions)
    graph = nx.MultiDiGraph()
    for node in packed.iter_nodes():
        graph.add_node(node.key, kind=node.kind, props=node.props)
    for key in packed.out:
        for edge in packed.edges_out(key):
            graph.add_edge(edge.src, edge.dst, key=edge.type, props=edge.props)
    return graph


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: merging and (un)pickling create hundreds of thousands
    of small containers, and the collections their allocation triggers, each walking the whole
    graph, make loading several times slower. Nothing here builds reference cycles."""
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
