"""Turning what a user types into node keys, with close suggestions when nothing matches.

Accepted references (every query and API endpoint takes the same forms):

- a node key: `doc:57-NQ/TW@national`, `task:doc:667/KH-UBND@Ngọk Bay#II.8`, `agency:…`, `place:…`;
- a document id, accents and case ignored: `57-NQ/TW`, `57-nq/tw`, `01-KH/BCD`;
- a document id with its jurisdiction: `01-KH/BCĐ@Quảng Ngãi` (ids repeat across provinces);
- a task: `667/KH-UBND#II.8` or, when the number is unique in that plan, `667/KH-UBND#8`;
- a unit (cơ quan, đơn vị) or place by name: `Công an xã@Ngọk Bay`, `Quảng Ngãi`.

In URLs `~` may stand for `/` (`57-NQ~TW`), because proxies and Starlette decode `%2F`.

A name is looked up in an index (compacted name → keys and places) built once per kind for the
store's current generation, when the store says which version of the graph it reads (a
`generation`, queries/cascade_index.py); a store that does not say is scanned on every call, so
no answer can go stale.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable

from rapidfuzz import fuzz, process

from graph.model import AGENCY, DOCUMENT, NODE_KINDS, PART_OF, PLACE, TASK, Node
from graph.store import GraphStore
from queries import cascade_index, props

KEY_PREFIXES = {"doc:": DOCUMENT, "task:": TASK, "agency:": AGENCY, "place:": PLACE}


class NotFound(LookupError):
    """No node answers a reference; `suggestions` holds close references that do exist."""

    def __init__(self, ref: str, kind: str | None, suggestions: list[str]):
        self.ref, self.kind, self.suggestions = ref, kind, suggestions
        what = (kind or "node").lower()
        super().__init__(f"no {what} '{ref}'")


class Ambiguous(LookupError):
    """Several nodes answer a reference (the same id in several jurisdictions)."""

    def __init__(self, ref: str, candidates: list[str]):
        self.ref, self.candidates = ref, candidates
        super().__init__(f"'{ref}' names {len(candidates)} nodes; add '@jurisdiction' or use a key")


_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def compact(text: str) -> str:
    """Folded, without spaces or leading zeros: `57- NQ/TW`, `57-nq/tw`; `02-KH` and `2-KH` compare
    equal (numbers compare as integers)."""
    return _LEADING_ZEROS.sub("", props.cached_fold(text).replace(" ", ""))


def unslug(ref: str) -> str:
    return ref.strip().replace("~", "/")


def resolve(store: GraphStore, ref: str, kind: str | None = None) -> str:
    """The key of the one node `ref` names; raises NotFound or Ambiguous."""
    keys = resolve_all(store, ref, kind)
    if not keys:
        raise NotFound(ref, kind, suggest(store, ref, kind))
    if len(keys) > 1:
        raise Ambiguous(ref, keys)
    return keys[0]


def resolve_all(store: GraphStore, ref: str, kind: str | None = None) -> list[str]:
    """Every node key `ref` may name, most specific form first."""
    ref = unslug(ref)
    if not ref:
        return []
    for prefix, prefix_kind in KEY_PREFIXES.items():
        if ref.startswith(prefix):
            node = store.node(ref)
            return [ref] if node and kind in (None, prefix_kind) else []
    if "#" in ref and kind in (None, TASK):
        return _tasks(store, ref)
    kinds = [kind] if kind else [DOCUMENT, AGENCY, PLACE]
    for each in kinds:
        found = _by_name(store, ref, each)
        if found:
            return found
    return []


def _split_place(ref: str) -> tuple[str, str]:
    name, _, where = ref.partition("@")
    return name.strip(), where.strip()


def _name_of(node: Node) -> str:
    if node.kind == DOCUMENT:
        return props.doc_id(node)
    if node.kind == AGENCY:
        return props.agency_name(node)
    if node.kind == PLACE:
        return props.place_name(node)
    return node.key


def _by_name(store: GraphStore, ref: str, kind: str) -> list[str]:
    name, where = _split_place(ref)
    wanted_where = compact(where)
    token = cascade_index.generation(store)
    if token is None:  # the store does not say when it changes: read it as it is now
        named = _scan(store, kind, name)
    else:
        named = _name_index(store, token, kind).get(compact(name), [])
    return sorted(key for key, place in named if not wanted_where or place == wanted_where)


#: name indexes per store and generation: one per kind (Document, Agency, Place)
_INDEXES = cascade_index.IndexCache(size=3)

NameIndex = dict[str, list[tuple[str, str]]]


def _name_index(store: GraphStore, token: Hashable, kind: str) -> NameIndex:
    """Compacted name → (key, compacted jurisdiction or province) of every node of `kind`, built
    once for the store's generation `token`: one scan, then a lookup per reference."""
    found = _INDEXES.get(store, token, (kind,))
    if found is None:
        found = {}
        for node in store.nodes(kind):
            found.setdefault(compact(_name_of(node)), []).append((node.key, _place_of(node)))
        _INDEXES.put(store, token, (kind,), found)
    return found


def _scan(store: GraphStore, kind: str, name: str) -> list[tuple[str, str]]:
    """The index's rows for `name`, read from every node of `kind` (a store with no generation)."""
    wanted = compact(name)
    return [(node.key, _place_of(node)) for node in store.nodes(kind) if compact(_name_of(node)) == wanted]


def _place_of(node: Node) -> str:
    return compact(props.jurisdiction(node) or props.province(node))


def _tasks(store: GraphStore, ref: str) -> list[str]:
    doc_ref, _, number = ref.rpartition("#")
    wanted = compact(number)
    found: list[str] = []
    for doc_key in resolve_all(store, doc_ref, DOCUMENT):
        tasks = [store.node(edge.src) for edge in store.edges_in(doc_key, [PART_OF])]
        tasks = [t for t in tasks if t is not None and t.kind == TASK]
        exact = [t.key for t in tasks if compact(props.task_number(t)) == wanted]
        found += exact or [t.key for t in tasks if compact(props.text_prop(t, "number")) == wanted]
    return sorted(set(found))


def suggest(store: GraphStore, ref: str, kind: str | None = None, limit: int = 5) -> list[str]:
    """Close references that exist (rapidfuzz over ids and names), best first."""
    ref = unslug(ref)
    choices: dict[str, str] = {}
    for each in [kind] if kind else NODE_KINDS:
        if each == TASK:
            continue  # task texts are long; a task is suggested through its document
        for node in store.nodes(each):
            choices[_reference_of(node)] = compact(_name_of(node))
    return _best(compact(ref.split("#", 1)[0]), choices, limit)


def _reference_of(node: Node) -> str:
    where = props.jurisdiction(node)
    name = _name_of(node)
    return f"{name}@{where}" if where and where != props.NATIONAL else name


def _best(query: str, choices: dict[str, str], limit: int) -> list[str]:
    if not query or not choices:
        return []
    matches = process.extract(query, choices, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=50)
    ranked = sorted(matches, key=lambda m: (-m[1], m[2]))
    out: list[str] = []
    for _, _, reference in ranked:
        if reference not in out:
            out.append(reference)
    return out[:limit]


def nodes_of(store: GraphStore, keys: Iterable[str]) -> list[Node]:
    """The nodes of `keys` that exist, in order."""
    found = (store.node(key) for key in keys)
    return [node for node in found if node is not None]
