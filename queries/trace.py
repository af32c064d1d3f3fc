"""Lineage: up from a task or plan to its root directives, down from a directive to everything
that carries it out (kế hoạch, nhiệm vụ, đơn vị), grouped by province and commune."""

from __future__ import annotations

from typing import Any

from graph.model import (
    BASED_ON,
    CARRIES_OUT,
    CITES,
    IMPLEMENTS,
    LED_BY,
    PART_OF,
    SUPPORTED_BY,
    Edge,
    Path,
)
from graph.store import GraphStore
from queries import cascade_index, props, task_lineage, views
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
    """Every node below `start` against `types` with its depth and the edge that first reached it
    (GraphStore.descendants: a task reached through CARRIES_OUT brings its own plan along)."""
    return store.descendants(start, types, max_depth)


def task_entry(store: GraphStore, task_key: str, seen: dict[str, Any] | None = None) -> dict[str, Any]:
    """A task with its lead and supporting units; `seen` remembers units across the tasks of one
    answer (the same "Công an xã" supports most tasks of a plan)."""
    return task_entries(store, [task_key], seen)[0]


def task_entries(store: GraphStore, task_keys: list[str],
                 seen: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """`task_entry` of each task, the tasks, their unit edges and the units read in three calls."""
    seen = {} if seen is None else seen
    nodes = store.nodes_by_key(task_keys)
    units_of = store.edges_out_many(task_keys, [LED_BY, SUPPORTED_BY])
    _remember_units(store, [e.dst for edges in units_of.values() for e in edges], seen)
    return [{
        **views.task_view(nodes.get(key)),
        "lead": [seen[e.dst] for e in units_of[key] if e.type == LED_BY and seen[e.dst] is not None],
        "support": [seen[e.dst] for e in units_of[key] if e.type == SUPPORTED_BY and seen[e.dst] is not None],
    } for key in task_keys]


def _remember_units(store: GraphStore, keys: list[str], seen: dict[str, Any]) -> None:
    missing = [k for k in dict.fromkeys(keys) if k not in seen]
    found = store.nodes_by_key(missing) if missing else {}
    for key in missing:
        seen[key] = views.node_ref(found[key]) if key in found else None


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
    commune; paginated over documents (ordered by province, commune, depth, id). `provinces`
    sums up the whole answer per province (documents, tasks, communes, and the offset of the
    province's first document, to page straight to it).

    Only the page's documents are spelled out: the order and the totals need no more than each
    document's place, depth and id and its tasks' keys (queries/cascade_index.py)."""
    start = cascade_index.remembered(store, ("resolve", ref), lambda: resolve(store, ref))
    types = lineage_types(based_on, cites)
    index = cascade_index.down_index(store, start, types, max_depth)
    offset = max(offset, 0)
    return {
        "start": views.node_view(store.node(start)),
        "edge_types": types,
        "total_documents": len(index.documents),
        "total_tasks": index.total_tasks,
        "offset": offset,
        "limit": limit,
        "provinces": [dict(summary) for summary in index.provinces],
        "groups": _group(store, index, index.documents[offset : offset + limit]),
    }


def _group(store: GraphStore, index: cascade_index.DownIndex,
           window: list[cascade_index.Reached]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    nodes = store.nodes_by_key(item.key for item in window)
    ordered = {item.key: sorted(index.tasks_of.get(item.key, ())) for item in window}
    entries = iter(task_entries(store, [t for keys in ordered.values() for t in keys]))
    for item in window:
        entry = {
            "document": views.document_view(nodes[item.key]),
            "depth": item.depth,
            "via": views.edge_view(item.via) if item.via is not None else None,
            "tasks": [next(entries) for _ in ordered[item.key]],
        }
        groups.setdefault(item.place, []).append(entry)
    return [
        {"province": province or None, "commune": commune or None, "documents": entries}
        for (province, commune), entries in groups.items()
    ]
