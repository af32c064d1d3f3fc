"""Lineage: up from a task or plan to its root directives, down from a directive to everything
that carries it out (kế hoạch, nhiệm vụ, đơn vị), grouped by province and commune."""

from __future__ import annotations

from collections import deque
from typing import Any

from graph.model import (
    BASED_ON,
    CARRIES_OUT,
    CITES,
    DOCUMENT,
    IMPLEMENTS,
    LED_BY,
    PART_OF,
    SUPPORTED_BY,
    TASK,
    Edge,
    Path,
)
from graph.store import GraphStore
from queries import places, props, task_lineage, views
from queries.resolve import resolve

MAX_PATHS = 500


def lineage_types(based_on: bool = False, cites: bool = False) -> list[str]:
    """Edges a lineage walk follows: a task's plan (PART_OF), IMPLEMENTS, CARRIES_OUT, and on request
    BASED_ON (căn cứ) and CITES."""
    types = [PART_OF, IMPLEMENTS, CARRIES_OUT]
    if based_on:
        types.append(BASED_ON)
    if cites:
        types.append(CITES)
    return types


def path_view(store: GraphStore, path: Path) -> dict[str, Any]:
    nodes = [store.node(key) for key in path.nodes]
    return {
        "length": len(path.edges),
        "nodes": [views.node_ref(n) for n in nodes if n is not None],
        "steps": [views.edge_view(edge) for edge in path.edges],
    }


def trace_up(
    store: GraphStore,
    ref: str,
    based_on: bool = False,
    cites: bool = False,
    max_depth: int = 8,
    limit: int = 50,
    directives_only: bool = False,
) -> dict[str, Any]:
    """Every path from `ref` (a task or a document) up to a root, shortest first, each step with its
    evidence; `roots` lists each root once with its shortest distance, directives first.
    `directives_only` keeps the paths that end at a directive (nghị quyết, chỉ thị, kết luận…).
    A task goes task → task where it carries one out (queries/task_lineage.py)."""
    start = resolve(store, ref)
    found = task_lineage.paths_up(store, start, lineage_types(based_on, cites), max_depth)
    found = sorted(found[:MAX_PATHS], key=lambda p: (len(p.edges), p.nodes))
    found = [p for p in found if p.edges and (not directives_only or _ends_at_directive(store, p))]
    roots: dict[str, dict[str, Any]] = {}
    for path in found:
        end = store.node(path.nodes[-1])
        if end is not None and end.key not in roots:
            roots[end.key] = {**views.node_view(end), "distance": len(path.edges)}
    return {
        "start": views.node_view(store.node(start)),
        "edge_types": lineage_types(based_on, cites),
        "roots": sorted(roots.values(), key=lambda r: (r["role"] != "directive", r["distance"])),
        "total_paths": len(found),
        "truncated": len(found) > limit,
        "paths": [path_view(store, p) for p in found[:limit]],
    }


def _ends_at_directive(store: GraphStore, path: Path) -> bool:
    end = store.node(path.nodes[-1])
    return end is not None and props.role(end) == "directive"


def descendants(store: GraphStore, start: str, types: list[str],
                max_depth: int) -> dict[str, tuple[int, Edge]]:
    """Breadth-first walk against `types`: every node below `start` with its depth and the edge that
    first reached it. A task reached through CARRIES_OUT brings its own plan along."""
    seen: dict[str, tuple[int, Edge | None]] = {start: (0, None)}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        depth = seen[key][0]
        if depth >= max_depth:
            continue
        for edge in store.edges_in(key, types):
            if edge.src in seen:
                continue
            seen[edge.src] = (depth + 1, edge)
            queue.append(edge.src)
            if edge.type != PART_OF and props.kind_of_key(edge.src) == TASK:
                for up in store.edges_out(edge.src, [PART_OF]):
                    if up.dst not in seen:
                        seen[up.dst] = (depth + 1, up)
                        queue.append(up.dst)
    del seen[start]
    return seen  # type: ignore[return-value]


def task_entry(store: GraphStore, task_key: str, seen: dict[str, Any] | None = None) -> dict[str, Any]:
    """A task with its lead and supporting units; `seen` remembers units across the tasks of one
    answer (the same "Công an xã" supports most tasks of a plan)."""
    seen = {} if seen is None else seen
    node = store.node(task_key)
    units = store.edges_out(task_key, [LED_BY, SUPPORTED_BY])
    return {
        **views.task_view(node),
        "lead": _unit_refs(store, [e.dst for e in units if e.type == LED_BY], seen),
        "support": _unit_refs(store, [e.dst for e in units if e.type == SUPPORTED_BY], seen),
    }


def _unit_refs(store: GraphStore, keys: list[str], seen: dict[str, Any]) -> list[dict[str, Any]]:
    for key in keys:
        if key not in seen:
            node = store.node(key)
            seen[key] = views.node_ref(node) if node is not None else None
    return [seen[k] for k in keys if seen[k] is not None]


def trace_down(
    store: GraphStore,
    ref: str,
    based_on: bool = False,
    cites: bool = False,
    max_depth: int = 8,
    offset: int = 0,
    limit: int = 50,
) -> dict[str, Any]:
    """Every document below a directive with its tasks and their units, grouped by province and
    commune; paginated over documents (ordered by province, commune, depth, id)."""
    start = resolve(store, ref)
    reached = descendants(store, start, lineage_types(based_on, cites), max_depth)
    documents, tasks_of = [], {}
    for key, (depth, via) in reached.items():
        kind = props.kind_of_key(key)
        if kind == DOCUMENT and (node := store.node(key)) is not None:
            documents.append((node, depth, via))
        elif kind == TASK:
            plan = via.dst if via.type == PART_OF else props.task_document_key(key)
            tasks_of.setdefault(plan, []).append(key)
    documents.sort(key=lambda item: (*places.place_of(store, item[0]), item[1], props.doc_id(item[0])))
    window = documents[max(offset, 0) : max(offset, 0) + limit]
    total_tasks = sum(len(v) for k, v in tasks_of.items() if k in {d.key for d, _, _ in documents})
    return {
        "start": views.node_view(store.node(start)),
        "edge_types": lineage_types(based_on, cites),
        "total_documents": len(documents),
        "total_tasks": total_tasks,
        "offset": max(offset, 0),
        "limit": limit,
        "groups": _group(store, window, tasks_of),
    }


def _group(store: GraphStore, window: list, tasks_of: dict[str, list[str]]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    seen: dict[str, Any] = {}
    for node, depth, via in window:
        entry = {
            "document": views.document_view(node),
            "depth": depth,
            "via": views.edge_view(via) if via is not None else None,
            "tasks": [task_entry(store, t, seen) for t in sorted(tasks_of.get(node.key, []))],
        }
        groups.setdefault(places.place_of(store, node), []).append(entry)
    return [
        {"province": province or None, "commune": commune or None, "documents": entries}
        for (province, commune), entries in groups.items()
    ]
