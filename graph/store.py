"""The store interface, implemented by the embedded (networkx) and the Neo4j stores.

Queries in `queries/` use only these methods, so they run unchanged on either store.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator

from graph.model import PART_OF, Contribution, Edge, Node, Path

#: the key prefix of a task (graph.model.task_key): a walk tells a task from its key alone
TASK_PREFIX = "task:"

#: an edge without its properties: (src, dst, type)
Link = tuple[str, str, str]


class GraphStore(ABC):
    """A document graph. Writes are per source file and atomic; reads never see half a write."""

    @abstractmethod
    def write(self, contributions: Iterable[Contribution]) -> None:
        """Store each file's contribution, replacing that file's earlier one. A node that other
        files still mention stays; a Document node that only references mention is a stub."""

    @abstractmethod
    def node(self, key: str) -> Node | None: ...

    @abstractmethod
    def nodes(self, kind: str | None = None) -> Iterator[Node]: ...

    @abstractmethod
    def edges_out(self, key: str, types: Iterable[str] | None = None) -> list[Edge]: ...

    @abstractmethod
    def edges_in(self, key: str, types: Iterable[str] | None = None) -> list[Edge]: ...

    @abstractmethod
    def paths_up(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
        """Every simple path from `key` along edges of `types` to a node with no further such
        out-edge (a root), shortest first."""

    @abstractmethod
    def paths_down(self, key: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
        """Every simple path reaching `key` backwards along `types` (its descendants), shortest
        first. Edges keep their own direction, so `Path.nodes` reads descendant → … → `key`."""

    def nodes_by_key(self, keys: Iterable[str]) -> dict[str, Node]:
        """The nodes among `keys` that exist, by key: one call for a whole answer."""
        found = {}
        for key in dict.fromkeys(keys):
            if (node := self.node(key)) is not None:
                found[key] = node
        return found

    def edges_out_many(self, keys: Iterable[str],
                       types: Iterable[str] | None = None) -> dict[str, list[Edge]]:
        """`edges_out` of each of `keys` (every key present, maybe with no edge)."""
        wanted = None if types is None else tuple(types)
        return {key: self.edges_out(key, wanted) for key in dict.fromkeys(keys)}

    def edges_in_many(self, keys: Iterable[str],
                      types: Iterable[str] | None = None) -> dict[str, list[Edge]]:
        """`edges_in` of each of `keys` (every key present, maybe with no edge)."""
        wanted = None if types is None else tuple(types)
        return {key: self.edges_in(key, wanted) for key in dict.fromkeys(keys)}

    def descendants(self, key: str, types: Iterable[str] | None,
                    max_depth: int = 8) -> dict[str, tuple[int, Edge]]:
        """Every node below `key` against `types`, breadth first, with its depth and the edge that
        first reached it. A task reached other than through PART_OF (a task carrying out another
        task) brings its own plan along, at its own depth. Within a level, nodes are taken in the
        order they were reached and each node's edges by (other end, type), so both stores give
        the same first edges."""
        wanted = None if types is None else tuple(types)

        def read_level(frontier: list[str], seen: dict) -> Level:
            incoming = self.edges_in_many(frontier, wanted)
            tasks = [e.src for k in frontier for e in incoming.get(k, ())
                     if e.type != PART_OF and e.src.startswith(TASK_PREFIX) and e.src not in seen]
            return incoming, self.edges_out_many(tasks, [PART_OF]) if tasks else {}

        return walk_levels(key, max_depth, read_level)

    def descendant_keys(self, key: str, types: Iterable[str] | None,
                        max_depth: int = 8) -> dict[str, tuple[int, Link]]:
        """`descendants` without the edges' properties: each node below `key` with its depth and
        the (src, dst, type) of the edge that first reached it. For a caller that shows a few of
        the reached nodes (a page of trace-down) and reads those edges itself; a store that can
        walk without reading properties overrides it (the embedded store: a national walk reaches
        ~300 k edges)."""
        return {node: (depth, (edge.src, edge.dst, edge.type))
                for node, (depth, edge) in self.descendants(key, types, max_depth).items()}

    @abstractmethod
    def source_files(self) -> list[str]:
        """The files whose contributions are stored."""

    def remove(self, source_files: Iterable[str]) -> None:
        """Forget what these files said; their stubs revert or vanish with them."""
        raise NotImplementedError(f"{type(self).__name__} cannot remove files")

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections or flush; the embedded store persists on every write."""


Level = tuple[dict[str, list[Edge]], dict[str, list[Edge]]]  # in-edges by node, PART_OF by task
LevelReader = Callable[[list[str], dict[str, tuple[int, Edge | None]]], Level]


def walk_levels(key: str, max_depth: int, read_level: LevelReader) -> dict[str, tuple[int, Edge]]:
    """The breadth-first walk of GraphStore.descendants: `read_level(frontier, seen)` gives the
    frontier's in-edges and the PART_OF edges of the tasks they reach (a store reads a level in
    one go, in its own way); `expand_level` decides what each level reaches."""
    seen: dict[str, tuple[int, Edge | None]] = {key: (0, None)}
    frontier = [key]
    for depth in range(1, max(int(max_depth), 0) + 1):
        if not frontier:
            break
        incoming, plans = read_level(frontier, seen)
        frontier = expand_level(seen, frontier, incoming, plans, depth)
    del seen[key]
    return seen  # type: ignore[return-value]


def expand_level(seen: dict[str, tuple[int, Edge | None]], frontier: list[str],
                 incoming: dict[str, list[Edge]], plans: dict[str, list[Edge]], depth: int) -> list[str]:
    """One breadth-first level: record in `seen` what the frontier's in-edges reach first (and the
    plans of tasks they reach), return the next frontier in the order it was reached."""
    reached: list[str] = []

    def reach(node: str, edge: Edge) -> None:
        if node not in seen:
            seen[node] = (depth, edge)
            reached.append(node)

    for key in frontier:
        for edge in sorted(incoming.get(key, ()), key=lambda e: (e.src, e.type)):
            if edge.src in seen:
                continue
            reach(edge.src, edge)
            if edge.type != PART_OF and edge.src.startswith(TASK_PREFIX):
                for up in sorted(plans.get(edge.src, ()), key=lambda e: (e.dst, e.type)):
                    reach(up.dst, up)
    return reached
