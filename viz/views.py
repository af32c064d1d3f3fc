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
    # going down, a task met brings its own plan: a commune plan carrying out a provincial task
    # is reached whole (GraphStore.descendants, one query a level on a server store)
    walked = [*_walk(store, key, max_depth),
              *store.descendants(key, (IMPLEMENTS, CARRIES_OUT), max_depth)]
    _add_all(store, view, walked)
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
        _add_all(store, view, _walk(store, task_key, max_depth))
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


def _walk(store: GraphStore, start: str, max_depth: int) -> list[str]:
    """Breadth-first up along TRACE_TYPES (out-edges): the way up is a few nodes, one call each."""
    seen = {start: 0}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if seen[key] >= max_depth:
            continue
        for nxt in (edge.dst for edge in store.edges_out(key, TRACE_TYPES)):
            if nxt not in seen:
                seen[nxt] = seen[key] + 1
                queue.append(nxt)
    del seen[start]
    return list(seen)


def _add_all(store: GraphStore, view: View, keys: list[str]) -> None:
    """Add the nodes of `keys` in that order, read in one call."""
    found = store.nodes_by_key(k for k in keys if k not in view.nodes)
    for key in keys:
        view.add(found.get(key))


def _add_tasks_and_units(store: GraphStore, view: View) -> None:
    documents = [k for k, n in view.nodes.items() if n.kind == DOCUMENT]
    tasks_of = store.edges_in_many(documents, [PART_OF])
    _add_all(store, view, [e.src for d in documents for e in tasks_of[d]])
    tasks = [k for k, n in view.nodes.items() if n.kind == TASK]
    units_of = store.edges_out_many(tasks, UNIT_TYPES)
    _add_all(store, view, [e.dst for t in tasks for e in units_of[t]])


def _connect(store: GraphStore, view: View, types: Iterable[str]) -> None:
    """Every edge of `types` whose both ends are in the view, once."""
    wanted = tuple(types)
    seen: set[tuple[str, str, str]] = set()
    out = store.edges_out_many(list(view.nodes), wanted)
    for key in view.nodes:
        for edge in out[key]:
            ident = (edge.src, edge.dst, edge.type)
            if edge.dst in view.nodes and ident not in seen:
                seen.add(ident)
                view.edges.append(edge)
