"""Which part of the graph a page shows: the overview (directives and plans), the lineage of one
node (its trace up to the root directives and down to everything that carries it out, with the
tasks and units of the documents on the way) and a unit's view (its tasks and their plans).

A view is plain data (nodes and edges read through the GraphStore interface); drawing is render.py's job.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.model import (
    AGENCY,
    CARRIES_OUT,
    COUNTERPART_OF,
    DOCUMENT,
    IMPLEMENTS,
    ISSUED_BY,
    LED_BY,
    PART_OF,
    REFERENCE_TYPES,
    SUPPORTED_BY,
    TASK,
    Edge,
    Node,
)
from graph.store import GraphStore
from queries import props

#: edges a lineage walks (a task reaches its plan by PART_OF, a plan its directive by IMPLEMENTS)
TRACE_TYPES = (PART_OF, IMPLEMENTS, CARRIES_OUT)
#: edges drawn between two nodes that are both in a view
DRAWN_TYPES = (*REFERENCE_TYPES, CARRIES_OUT, COUNTERPART_OF, PART_OF, LED_BY, SUPPORTED_BY)
UNIT_TYPES = (LED_BY, SUPPORTED_BY)
PAGE_ROLES = ("directive", "plan")


@dataclass
class View:
    """A titled subgraph; `focus` is the node the page is about (None for the overview)."""

    kind: str
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    focus: str | None = None

    def add(self, node: Node | None) -> bool:
        if node is None or node.key in self.nodes:
            return False
        self.nodes[node.key] = node
        return True


def overview(store: GraphStore) -> View:
    """Every directive and plan, with the references between them."""
    view = View("overview", "Tổng quan: chỉ thị, nghị quyết và kế hoạch")
    for node in store.nodes(DOCUMENT):
        if props.role(node) in PAGE_ROLES:
            view.add(node)
    _connect(store, view, REFERENCE_TYPES)
    return view


def lineage(store: GraphStore, key: str, max_depth: int = 8) -> View:
    """The node, everything above it along TRACE_TYPES, everything below it, the tasks (with
    their lead and supporting units) of every document in that trace, and the counterparts in
    other places of the focus task (or of the focus document's tasks)."""
    start = _require(store, key)
    view = View("lineage", f"Dòng chỉ đạo: {props.label(start)}", focus=key)
    view.add(start)
    for walked in (_walk(store, key, up=True, max_depth=max_depth),
                   _walk(store, key, up=False, max_depth=max_depth)):
        for found in walked:
            view.add(store.node(found))
    _add_tasks_and_units(store, view)
    _add_counterparts(store, view, key)
    _connect(store, view, DRAWN_TYPES)
    return view


def _add_counterparts(store: GraphStore, view: View, key: str) -> None:
    """The same tasks in other places (COUNTERPART_OF) of the focus task, or of the focus
    document's tasks, each with its plan: a lineage walk never reaches a sibling plan."""
    tasks = [key] if view.nodes[key].kind == TASK else [e.src for e in store.edges_in(key, [PART_OF])]
    for task_key in tasks:
        edges = store.edges_out(task_key, [COUNTERPART_OF]) + store.edges_in(task_key, [COUNTERPART_OF])
        for other in {e.dst if e.src == task_key else e.src for e in edges}:
            view.add(store.node(other))
            view.add(store.node(props.task_document_key(other) or ""))


def unit(store: GraphStore, key: str, max_depth: int = 8) -> View:
    """A unit (cơ quan, đơn vị), the tasks it leads or supports, their plans, and those plans' trace
    up to the root directives."""
    agency = _require(store, key)
    view = View("unit", f"Đơn vị: {props.label(agency)}", focus=key)
    view.add(agency)
    for edge in store.edges_in(key, UNIT_TYPES):
        view.add(store.node(edge.src))
    for task_key in [k for k, n in list(view.nodes.items()) if n.kind == TASK]:
        for found in _walk(store, task_key, up=True, max_depth=max_depth):
            view.add(store.node(found))
    for edge in store.edges_in(key, [ISSUED_BY]):
        view.add(store.node(edge.src))
    _connect(store, view, DRAWN_TYPES)
    return view


def for_node(store: GraphStore, key: str) -> View:
    """The natural page of a node: a unit's view for an agency, its lineage otherwise."""
    node = _require(store, key)
    return unit(store, key) if node.kind == AGENCY else lineage(store, key)


def _require(store: GraphStore, key: str) -> Node:
    node = store.node(key)
    if node is None:
        raise KeyError(key)
    return node


def _walk(store: GraphStore, start: str, up: bool, max_depth: int) -> list[str]:
    """Breadth-first along TRACE_TYPES (out-edges going up, in-edges going down); a task met going
    down brings its own plan, so a commune plan carrying out a provincial task is reached whole."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if seen[key] >= max_depth:
            continue
        for nxt in _steps(store, key, up):
            if nxt not in seen:
                seen[nxt] = seen[key] + 1
                queue.append(nxt)
    del seen[start]
    return list(seen)


def _steps(store: GraphStore, key: str, up: bool) -> Iterable[str]:
    if up:
        return [edge.dst for edge in store.edges_out(key, TRACE_TYPES)]
    found = []
    for edge in store.edges_in(key, (IMPLEMENTS, CARRIES_OUT)):
        found.append(edge.src)
        node = store.node(edge.src)
        if node is not None and node.kind == TASK:
            found += [e.dst for e in store.edges_out(edge.src, [PART_OF])]
    return found


def _add_tasks_and_units(store: GraphStore, view: View) -> None:
    documents = [k for k, n in view.nodes.items() if n.kind == DOCUMENT]
    for doc_key in documents:
        for edge in store.edges_in(doc_key, [PART_OF]):
            view.add(store.node(edge.src))
    for task_key in [k for k, n in view.nodes.items() if n.kind == TASK]:
        for edge in store.edges_out(task_key, UNIT_TYPES):
            view.add(store.node(edge.dst))


def _connect(store: GraphStore, view: View, types: Iterable[str]) -> None:
    """Every edge of `types` whose both ends are in the view, once."""
    wanted = tuple(types)
    seen: set[tuple[str, str, str]] = set()
    for key in view.nodes:
        for edge in store.edges_out(key, wanted):
            ident = (edge.src, edge.dst, edge.type)
            if edge.dst in view.nodes and ident not in seen:
                seen.add(ident)
                view.edges.append(edge)
