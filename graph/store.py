"""The store interface, implemented by the embedded (networkx) and the Neo4j stores.

Queries in `queries/` use only these methods, so they run unchanged on either store.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

from graph.model import Contribution, Edge, Node, Path


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

    @abstractmethod
    def source_files(self) -> list[str]:
        """The files whose contributions are stored."""

    def remove(self, source_files: Iterable[str]) -> None:
        """Forget what these files said; their stubs revert or vanish with them."""
        raise NotImplementedError(f"{type(self).__name__} cannot remove files")

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections or flush; the embedded store persists on every write."""
