"""Accent-insensitive full-text search over document ids and titles, task texts and unit names.

"cong an xa" finds "Công an xã"; OCR-damaged forms ("01-KH/BCP", "Cong an x4") find the canonical
node through its recorded aliases or, failing an exact word match, a fuzzy one (rapidfuzz).
A unit found brings the tasks it leads or supports along.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from graph.model import AGENCY, DOCUMENT, LED_BY, NODE_KINDS, PLACE, SUPPORTED_BY, TASK, Node
from graph.store import GraphStore
from ingest.text import fold
from queries import props, views

#: the phrase as whole words > the phrase nearly (OCR damage, 85–95) > every word somewhere
PHRASE, ALL_WORDS, FUZZY_WEIGHT = 100.0, 80.0, 0.95
FUZZY_CUTOFF = 85.0
KIND_ORDER = {AGENCY: 0, DOCUMENT: 1, PLACE: 2, TASK: 3}
TASKS_PER_UNIT = 20


def _word_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9a-z]){re.escape(words)}(?![0-9a-z])")


class Matcher:
    """Scores folded texts against one folded query: 100 for the phrase as whole words, 90 for
    every word present, else (`fuzzy`) the partial ratio when it reaches FUZZY_CUTOFF."""

    def __init__(self, query: str):
        self.query = query
        self.phrase = _word_pattern(query) if query else None
        words = query.split()
        self.words = [(w, _word_pattern(w)) for w in words] if len(words) > 1 else []

    def exact(self, text: str) -> float:
        if not self.phrase or not text:
            return 0.0
        if self.query in text and self.phrase.search(text):
            return PHRASE
        if self.words and all(w in text and p.search(text) for w, p in self.words):
            return ALL_WORDS
        return 0.0

    def fuzzy(self, text: str) -> float:
        if len(self.query) < 4 or not text:
            return 0.0  # fuzzy matching of two or three letters finds everything
        ratio = fuzz.partial_ratio(self.query, text, score_cutoff=FUZZY_CUTOFF)
        return float(ratio) * FUZZY_WEIGHT if ratio else 0.0


def _unit_tasks(store: GraphStore, units: list[Node]) -> dict[str, list[dict[str, Any]]]:
    """The tasks each unit leads or supports (at most TASKS_PER_UNIT), in two store calls."""
    incoming = store.edges_in_many([u.key for u in units], [LED_BY, SUPPORTED_BY])
    tasks = store.nodes_by_key(e.src for edges in incoming.values() for e in edges)
    found = {}
    for unit in units:
        out = [{**views.node_ref(tasks[e.src]), "role": role}
               for role, edge_type in (("lead", LED_BY), ("support", SUPPORTED_BY))
               for e in incoming[unit.key] if e.type == edge_type and e.src in tasks]
        found[unit.key] = sorted(out, key=lambda t: t["key"])[:TASKS_PER_UNIT]
    return found


def search(store: GraphStore, query: str, kinds: list[str] | None = None, offset: int = 0,
           limit: int = 20) -> dict[str, Any]:
    """Nodes matching `query`, best first ({score, node, tasks} per hit; tasks only for units)."""
    folded = fold(query)
    matcher = Matcher(folded)
    texts = [(node, props.searchable_text(node))
             for kind in kinds or NODE_KINDS for node in store.nodes(kind)]
    hits = [(found, node, text) for node, text in texts if (found := matcher.exact(text))]
    if not any(found == PHRASE for found, _, _ in hits):  # no phrase: OCR damage or a typo?
        fuzzy = ((max(found, matcher.fuzzy(text)), node) for found, node, text in hits)
        exact = {node.key for _, node, _ in hits}
        hits = [*fuzzy, *((f, n) for n, t in texts if n.key not in exact and (f := matcher.fuzzy(t)))]
    else:
        hits = [(found, node) for found, node, _ in hits]
    hits.sort(key=lambda h: (-h[0], KIND_ORDER.get(h[1].kind, 9), props.label(h[1])))
    window = views.page(hits, offset, limit)
    tasks = _unit_tasks(store, [n for _, n in window["items"] if n.kind == AGENCY])
    window["items"] = [_hit(s, n, tasks.get(n.key, [])) for s, n in window["items"]]
    return {"query": query, "folded": folded, **window}


def _hit(found: float, node: Node, tasks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"score": round(found, 1), "node": views.node_view(node), "tasks": tasks}
