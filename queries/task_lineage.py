"""Lineage at the level of tasks (nhiệm vụ): a task goes up through what it carries out, a document
through the documents it implements.

The rule of the walk up: a task that carries something out (CARRIES_OUT, from the alignment step,
graph/align.py) steps to that parent task or cited document instead of its own plan; a task that
does not steps to its plan (PART_OF), and from a document on the walk goes document → document.
So an aligned task of a commune plan reads `commune task → provincial task → its plan → directive`,
not the coarser `commune task → commune plan → …` that every task of the plan shares.

Also: close task references for a reference that names no task (a task's text is too long to
compare, so suggestions come from its plan and its number).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from graph.model import CARRIES_OUT, DOCUMENT, PART_OF, TASK, Edge, Path
from graph.store import GraphStore
from queries import props, views
from queries.resolve import compact, resolve_all, suggest, unslug

MAX_PATHS = 500


def up_steps(store: GraphStore, key: str, types: Iterable[str]) -> list[Edge]:
    """The edges of `types` one step up from `key`, except a task's step to its plan (PART_OF)
    when the task carries something out (CARRIES_OUT): that replaces it. A task's own citations
    (CITES, when asked for) stay."""
    edges = store.edges_out(key, tuple(types))
    if props.kind_of_key(key) == TASK and any(e.type == CARRIES_OUT for e in edges):
        return [e for e in edges if e.type != PART_OF]
    return edges


def paths_up(store: GraphStore, start: str, types: Iterable[str], max_depth: int = 8) -> list[Path]:
    """Every simple path from `start` up to a root along `types` (a node with no further step),
    shortest first; a task's steps follow `up_steps`. Past the tasks the store walks on by itself
    (one query on a server store): no walk up from a document meets a task."""
    wanted = tuple(types)
    if props.kind_of_key(start) != TASK:
        return store.paths_up(start, wanted, max_depth=max_depth)
    found: list[list[Edge]] = []
    above: dict[tuple[str, int], list[Path]] = {}  # a document's own paths up, per depth left

    def extend(key: str, walked: list[Edge], seen: set[str]) -> None:
        if len(found) >= MAX_PATHS:
            return
        if props.kind_of_key(key) != TASK and walked:
            left = max_depth - len(walked)
            tails = above.setdefault((key, left), store.paths_up(key, wanted, max_depth=left) if left else [])
            tails = [t for t in tails if not seen & set(t.nodes[1:])]
            if not tails:
                found.append(list(walked))
            found.extend([*walked, *t.edges] for t in tails)
            return
        onward = [] if len(walked) >= max_depth else [
            e for e in up_steps(store, key, wanted) if e.dst not in seen]
        if not onward:
            if walked:
                found.append(list(walked))
            return
        for edge in sorted(onward, key=lambda e: (e.dst, e.type)):
            walked.append(edge)
            seen.add(edge.dst)
            extend(edge.dst, walked, seen)
            seen.discard(edge.dst)
            walked.pop()

    extend(start, [], {start})
    found.sort(key=lambda edges: (len(edges), [(e.src, e.dst, e.type) for e in edges]))
    return [Path(edges) for edges in found[:MAX_PATHS]]


def task_suggestions(store: GraphStore, ref: str, limit: int = 5) -> list[str]:
    """Task references close to `ref` (`DOCUMENT#NUMBER`): the tasks of the document it names
    whose numbers are nearest, else the same number in documents with a close id."""
    doc_ref, hash_sign, number = unslug(ref).rpartition("#")
    if not hash_sign:
        doc_ref, number = unslug(ref), ""
    documents = resolve_all(store, doc_ref, DOCUMENT)
    if documents:
        return _closest_tasks(store, documents, number, limit)
    out: list[str] = []
    for close in suggest(store, doc_ref, DOCUMENT, limit):
        found = resolve_all(store, f"{close}#{number}", TASK) if number else []
        out += [views.reference(n) for n in map(store.node, found) if n is not None]
    return out[:limit]


def _closest_tasks(store: GraphStore, documents: list[str], number: str, limit: int) -> list[str]:
    choices: dict[str, str] = {}
    for doc_key in documents:
        for edge in store.edges_in(doc_key, [PART_OF]):
            node = store.node(edge.src)
            if node is not None and node.kind == TASK:
                choices[views.reference(node)] = compact(props.task_number(node))
    if not number:
        return sorted(choices)[:limit]
    matches = process.extract(compact(number), choices, scorer=fuzz.ratio, limit=limit)
    return [reference for _, _, reference in sorted(matches, key=lambda m: (-m[1], m[2]))]
