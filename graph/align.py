"""Task-level lineage, derived from the stored graph after ingest.

- `CARRIES_OUT` task → task: a task of a plan carries out a task of a document its plan implements
  (thực hiện). Where the implemented document is only a stub, the walk goes on up its own
  IMPLEMENTS edges to the nearest ingested ancestor that has tasks.
- `CARRIES_OUT` task → document: a task row that names its source ("Ghi chú: 03-TB/BCĐTW ngày
  06/3/2025", "theo Kế hoạch số 02-KH/BCĐTW") carries out that document when its plan implements it.
- `COUNTERPART_OF` task — task: tasks of documents of other places that implement a common parent
  and say the same thing (one row of the parent, copied, shortened or reworded).

Matching survives OCR noise and paraphrase: texts are folded (accents dropped) and compared as
TF-IDF vectors of character n-grams of words (a misread letter spoils a few n-grams, not the
word); a little structure is added (same deadline kind, a common cited document). Every edge keeps
its `score` and the `method` that found it. The result is one Contribution with source file
`derived:alignment`, written through the store interface, so it works on every store and
re-running replaces it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.model import (
    CARRIES_OUT,
    CITES,
    COUNTERPART_OF,
    DOCUMENT,
    IMPLEMENTS,
    PART_OF,
    TASK,
    Contribution,
    Edge,
    Node,
)
from graph.store import GraphStore

DERIVED_SOURCE = "derived:alignment"
METHOD_TEXT = "char-ngram-tfidf"
METHOD_CITED = "cited-source"

_NON_WORD = re.compile(r"[^0-9a-z]+")
_MARKS = re.compile("[\u0300-\u036f]+")
_FOLD_TABLE = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D"})


@dataclass(frozen=True)
class AlignSettings:
    """Thresholds, chosen on the dev half of tests/data/counterparts_gold.json.

    A pair is kept when its score reaches `threshold`; below that, down to `mutual_threshold`,
    only when each task is the other's best match (two plans copying one parent row rarely have
    a better partner for it, while a generic task has many weak ones).

    Measured on that gold (precision / recall, dev 7 pairs · held-out 5): character 4-grams
    1.00/1.00 · 1.00/0.60; 3-grams 1.00/0.86 · 1.00/0.40; 5-grams as 4-grams; without the
    deadline and citation bonuses 1.00/0.71 on dev; rapidfuzz token_set_ratio at 0.7 0.78/1.00 ·
    0.30/0.60, partial_ratio at 0.7 1.00/0.86 · 0.60/0.60 (OCR junk in table rows matches
    anything partially). A bonus for the same lead-unit kind changed nothing, one for the same
    relative position in the document nothing or worse, so neither is used."""

    ngram: int = 4
    #: n-grams in more than this share of the tasks say nothing about a task (max_df)
    max_df: float = 0.5
    threshold: float = 0.40
    mutual_threshold: float = 0.32
    #: a parent implemented by more than this share of the documents with tasks (57-NQ/TW, which
    #: every plan carries out) does not make two plans copy each other row for row
    hub_share: float = 0.5
    #: structure: same deadline kind (other than none), a cited document in common
    deadline_bonus: float = 0.03
    cite_bonus: float = 0.05
    #: how far up a chain of stubs the walk looks for an ingested ancestor
    max_depth: int = 4
    #: candidate search: each task probes with its `probes` heaviest n-grams found in 2 to
    #: `max_postings` tasks and scores the `candidates` tasks with the largest partial overlap
    probes: int = 24
    max_postings: int = 200
    candidates: int = 30


#: a TF-IDF vector: its n-grams' numbers (ascending) and their weights, side by side in two flat
#: arrays (16 bytes an n-gram; a dict of number → float took ~100)
Vector = tuple["array[int]", "array[float]"]


@dataclass
class TaskInfo:
    """What alignment needs of one task."""

    key: str
    document: str
    jurisdiction: str
    text: str
    line: int
    file: str
    deadline_kind: str
    cites: frozenset[str]
    vector: Vector = field(default_factory=lambda: (array("l"), array("d")))


@dataclass
class AlignmentSummary:
    carries_out_tasks: int = 0
    carries_out_documents: int = 0
    counterparts: int = 0

    def __str__(self) -> str:
        return (f"aligned: {self.carries_out_tasks} task → task CARRIES_OUT, "
                f"{self.carries_out_documents} task → document CARRIES_OUT, "
                f"{self.counterparts} COUNTERPART_OF")


# -- text model ---------------------------------------------------------------------------------

def normalise(text: str) -> str:
    """Folded words of letters and digits only: 'Rà soát, bổ sung …' → 'ra soat bo sung'.
    (`ingest.text.fold` with the combining marks dropped by one regex: the same skeleton, many
    times faster on long task texts.)"""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    return _NON_WORD.sub(" ", _MARKS.sub("", decomposed).lower()).strip()


def ngrams(text: str, n: int) -> Counter[str]:
    """Character n-grams of each word padded with blanks (short words count whole)."""
    grams: Counter[str] = Counter()
    for word in text.split():
        padded = f" {word} "
        if len(padded) <= n:
            grams[padded] += 1
            continue
        for i in range(len(padded) - n + 1):
            grams[padded[i:i + n]] += 1
    return grams


def tfidf_vectors(texts: list[str], settings: AlignSettings) -> list[Vector]:
    """L2-normalised TF-IDF vectors (sublinear tf, smoothed idf, n-grams above max_df dropped),
    n-grams numbered in the order of their text (ties between n-grams break as on the text).

    Why numbers and arrays: at national scale (~300 k tasks) vectors as dicts keyed by each
    task's own n-gram strings took ~4.5 GB; here each task's counts are two small arrays, dropped
    as soon as its vector is made."""
    numbers: dict[str, int] = {}
    counts: list[tuple[array[int], array[int]] | None] = []
    df: Counter[int] = Counter()
    for text in texts:
        grams = ngrams(text, settings.ngram)
        found = array("l", (numbers.setdefault(g, len(numbers)) for g in grams))
        df.update(found)
        counts.append((found, array("l", grams.values())))
    renumber = [0] * len(numbers)
    for rank, gram in enumerate(sorted(numbers)):
        renumber[numbers[gram]] = rank
    del numbers
    total = len(texts)
    limit = max(1.0, settings.max_df * total)
    idf = {g: math.log((1 + total) / (1 + d)) + 1 for g, d in df.items() if d <= limit or total < 4}
    del df
    vectors = []
    for index, task_counts in enumerate(counts):
        grams, times = task_counts  # type: ignore[misc]
        counts[index] = None
        vector = [(renumber[g], (1 + math.log(c)) * idf[g])
                  for g, c in zip(grams, times, strict=True) if g in idf]
        norm = math.sqrt(sum(v * v for _, v in vector)) or 1.0
        vector.sort()
        vectors.append((array("l", [g for g, _ in vector]), array("d", [v / norm for _, v in vector])))
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    if len(a[0]) > len(b[0]):
        a, b = b, a
    weight = dict(zip(*b, strict=True)).get
    return sum(v * weight(g, 0.0) for g, v in zip(*a, strict=True))


def pair_score(a: TaskInfo, b: TaskInfo, settings: AlignSettings) -> float:
    """Text similarity plus small structure bonuses, capped at 1."""
    score = cosine(a.vector, b.vector)
    if a.deadline_kind == b.deadline_kind and a.deadline_kind not in ("none", ""):
        score += settings.deadline_bonus
    if a.cites & b.cites:
        score += settings.cite_bonus
    return min(1.0, score)


# -- reading the store --------------------------------------------------------------------------

def load_tasks(store: GraphStore, settings: AlignSettings) -> list[TaskInfo]:
    """Every task of the store with its document, place, cited documents and vector."""
    tasks = []
    for node in store.nodes(TASK):
        props = node.props
        document = props.get("document") or _document_of(store, node.key)
        if not document or not props.get("text"):
            continue
        doc = store.node(document)
        jurisdiction = str((doc.props.get("jurisdiction") if doc else None) or "")
        deadline = props.get("deadline") or {}
        cites = frozenset(e.dst for e in store.edges_out(node.key, (CITES,)))
        tasks.append(TaskInfo(node.key, document, jurisdiction, normalise(str(props["text"])),
                              int(props.get("line") or 0), str(props.get("file") or ""),
                              str(deadline.get("kind") or "none"), cites))
    tasks.sort(key=lambda t: t.key)
    for task, vector in zip(tasks, tfidf_vectors([t.text for t in tasks], settings), strict=True):
        task.vector = vector
    return tasks


def _document_of(store: GraphStore, task_key: str) -> str | None:
    parts = store.edges_out(task_key, (PART_OF,))
    return parts[0].dst if parts else None


def implemented_ancestors(store: GraphStore, document: str, with_tasks: set[str],
                          max_depth: int) -> dict[str, int]:
    """The documents `document` implements, each replaced, when it has no tasks of its own (a
    stub), by its nearest implemented ancestors that have: document key → distance."""
    found: dict[str, int] = {}
    frontier, seen = [document], {document}
    for depth in range(1, max_depth + 1):
        onward = []
        for key in frontier:
            for edge in store.edges_out(key, (IMPLEMENTS,)):
                if edge.dst in seen:
                    continue
                seen.add(edge.dst)
                if edge.dst in with_tasks:
                    found[edge.dst] = depth
                else:
                    onward.append(edge.dst)
        frontier = onward
        if not frontier:
            break
    return found


def parents(store: GraphStore, document: str) -> set[str]:
    """The documents `document` implements directly (ingested or stubs)."""
    return {e.dst for e in store.edges_out(document, (IMPLEMENTS,))}


def lineage(store: GraphStore, document: str, max_depth: int) -> set[str]:
    """Every document `document` implements, directly or through others, up to `max_depth`."""
    found: set[str] = set()
    frontier = {document}
    for _ in range(max_depth):
        frontier = {p for key in frontier for p in parents(store, key)} - found - {document}
        if not frontier:
            break
        found |= frontier
    return found


# -- alignment ----------------------------------------------------------------------------------

def candidate_pairs(tasks: list[TaskInfo], settings: AlignSettings) -> set[tuple[int, int]]:
    """Pairs of tasks (indexes, of two documents) worth scoring: each task probes an inverted
    index with its heaviest n-grams that other tasks share (but not too many of them) and keeps
    the tasks with the largest partial dot products. Scoring every pair would grow with the
    square of the store."""
    # the tasks and weights of each n-gram in two flat arrays (a tuple a posting took ~5x more)
    holders: dict[int, array[int]] = defaultdict(lambda: array("l"))
    weights: dict[int, array[float]] = defaultdict(lambda: array("d"))
    for index, task in enumerate(tasks):
        for gram, weight in zip(*task.vector, strict=True):
            holders[gram].append(index)
            weights[gram].append(weight)
    documents = [task.document for task in tasks]
    pairs: set[tuple[int, int]] = set()
    for index, task in enumerate(tasks):
        shared = [(-weight, gram) for gram, weight in zip(*task.vector, strict=True)
                  if 2 <= len(holders[gram]) <= settings.max_postings]
        partial: dict[int, float] = defaultdict(float)
        for weight, gram in sorted(shared)[:settings.probes]:
            weight = -weight
            for other, other_weight in zip(holders[gram], weights[gram], strict=True):
                partial[other] += weight * other_weight
        own = documents[index]
        ranked = sorted((o for o in partial if documents[o] != own), key=lambda o: (-partial[o], o))
        for other in ranked[:settings.candidates]:
            pairs.add((min(index, other), max(index, other)))
    return pairs


Scored = list[tuple[TaskInfo, TaskInfo, float]]


def scored_pairs(tasks: list[TaskInfo], settings: AlignSettings) -> dict[tuple[str, str], Scored]:
    """The candidate pairs with their scores, by document pair: `(doc A, doc B)` with A < B holds
    `(task of A, task of B, score)`."""
    by_documents: dict[tuple[str, str], Scored] = defaultdict(list)
    for i, j in sorted(candidate_pairs(tasks, settings)):
        a, b = tasks[i], tasks[j]
        if a.document > b.document:
            a, b = b, a
        by_documents[(a.document, b.document)].append((a, b, pair_score(a, b, settings)))
    return by_documents


def between(scores: dict[tuple[str, str], Scored], left: str, right: str) -> Scored:
    """The scored pairs of two documents, each as (task of `left`, task of `right`, score)."""
    if left < right:
        return scores.get((left, right), [])
    return [(b, a, score) for a, b, score in scores.get((right, left), [])]


def select_pairs(scored: Scored, settings: AlignSettings,
                 mutual: bool = True) -> list[tuple[TaskInfo, TaskInfo, float, str]]:
    """Pairs above the threshold, or (when `mutual`) above the mutual threshold where each is the
    other's best; one task may match several (a commune task that merges two rows of its parent)."""
    best_left: dict[str, float] = defaultdict(float)
    best_right: dict[str, float] = defaultdict(float)
    for a, b, score in scored:
        best_left[a.key] = max(best_left[a.key], score)
        best_right[b.key] = max(best_right[b.key], score)
    kept = []
    for a, b, score in sorted(scored, key=lambda p: (p[0].key, p[1].key)):
        if score >= settings.threshold:
            kept.append((a, b, score, "threshold"))
        elif (mutual and score >= settings.mutual_threshold and score == best_left[a.key]
              and score == best_right[b.key]):
            kept.append((a, b, score, "mutual-best"))
    return kept


def _evidence(task: TaskInfo, limit: int = 160) -> dict[str, Any]:
    return {"file": task.file, "line": task.line, "raw": task.text[:limit]}


def _edge(src: TaskInfo, dst: TaskInfo, type_: str, score: float, rule: str, **extra: Any) -> Edge:
    return Edge(src.key, dst.key, type_, {
        "score": round(score, 4), "confidence": round(score, 4), "method": f"{METHOD_TEXT}/{rule}",
        "evidence": [_evidence(src), _evidence(dst)], **extra})


def carries_out_edges(store: GraphStore, by_document: dict[str, list[TaskInfo]],
                      scores: dict[tuple[str, str], Scored], settings: AlignSettings) -> list[Edge]:
    """Task → task: each plan's tasks against the tasks of its nearest ingested ancestors."""
    edges = []
    with_tasks = set(by_document)
    for document in sorted(by_document):
        ancestors = implemented_ancestors(store, document, with_tasks, settings.max_depth)
        for ancestor, depth in sorted(ancestors.items()):
            for child, parent, score, rule in select_pairs(between(scores, document, ancestor), settings):
                edges.append(_edge(child, parent, CARRIES_OUT, score, rule, depth=depth))
    return edges


def cited_source_edges(store: GraphStore, tasks: list[TaskInfo]) -> list[Edge]:
    """Task → document: the task row names a document its plan implements."""
    edges = []
    implemented: dict[str, set[str]] = {}
    for task in tasks:
        if not task.cites:
            continue
        targets = implemented.setdefault(task.document, parents(store, task.document))
        for cited in sorted(task.cites & targets):
            cites = [e for e in store.edges_out(task.key, (CITES,)) if e.dst == cited]
            confidence = min((float(e.props.get("confidence", 1.0)) for e in cites), default=1.0)
            evidence = [ev for e in cites for ev in e.props.get("evidence") or []]
            edges.append(Edge(task.key, cited, CARRIES_OUT, {
                "score": confidence, "confidence": confidence, "method": METHOD_CITED,
                "evidence": evidence or [_evidence(task)]}))
    return edges


def counterpart_edges(store: GraphStore, by_document: dict[str, list[TaskInfo]],
                      scores: dict[tuple[str, str], Scored], settings: AlignSettings) -> list[Edge]:
    """Task — task between documents of other places that implement a common parent; one edge
    per pair, from the smaller key to the larger, with the parents in common. The mutual-best
    rule applies only under a specific common parent (not a hub such as 57-NQ/TW). A document and
    one it implements are parent and child (CARRIES_OUT), never counterparts."""
    documents = sorted(by_document)
    parents_of = {d: parents(store, d) for d in documents}
    lineage_of = {d: lineage(store, d, settings.max_depth) for d in documents}
    place = {d: by_document[d][0].jurisdiction for d in documents}
    hubs = hub_parents(parents_of, settings.hub_share)
    edges = []
    for (left, right), scored in sorted(scores.items()):
        common = parents_of[left] & parents_of[right]
        if (not common or place[left] == place[right] or left in lineage_of[right]
                or right in lineage_of[left]):
            continue
        for a, b, score, rule in select_pairs(scored, settings, mutual=bool(common - hubs)):
            src, dst = (a, b) if a.key < b.key else (b, a)
            edges.append(_edge(src, dst, COUNTERPART_OF, score, rule, parents=sorted(common)))
    return edges


def hub_parents(parents_of: dict[str, set[str]], share: float) -> set[str]:
    """Parents implemented by more than `share` of the documents (with at least three of them)."""
    counts = Counter(p for found in parents_of.values() for p in found)
    limit = max(2.0, share * len(parents_of))
    return {p for p, n in counts.items() if n > limit}


def align(store: GraphStore, settings: AlignSettings | None = None) -> Contribution:
    """The derived contribution: CARRIES_OUT and COUNTERPART_OF edges over the stored tasks."""
    settings = settings or AlignSettings()
    tasks = load_tasks(store, settings)
    by_document: dict[str, list[TaskInfo]] = defaultdict(list)
    for task in tasks:
        by_document[task.document].append(task)
    scores = scored_pairs(tasks, settings)
    edges = [*carries_out_edges(store, by_document, scores, settings),
             *cited_source_edges(store, tasks), *counterpart_edges(store, by_document, scores, settings)]
    return Contribution(DERIVED_SOURCE, _endpoint_nodes(store, edges), edges)


def _endpoint_nodes(store: GraphStore, edges: Iterable[Edge]) -> list[Node]:
    """The ends of the derived edges, without properties of their own (a store counts an edge only
    from a file that names both ends); a document end is marked a stub, so it never turns a stub
    into a full document."""
    nodes = {}
    for edge in edges:
        for key in (edge.src, edge.dst):
            if key in nodes:
                continue
            found = store.node(key)
            kind = found.kind if found else TASK
            nodes[key] = Node(key, kind, {"stub": True} if kind == DOCUMENT else {})
    return list(nodes.values())


def run_alignment(store: GraphStore, settings: AlignSettings | None = None) -> AlignmentSummary:
    """Align and write the result, replacing the previous alignment (a store leaves itself
    untouched when the result is the same). The previous alignment does not feed the new one: it
    adds only CARRIES_OUT and COUNTERPART_OF edges, which alignment never reads, and property-less
    nodes, which it skips."""
    contribution = align(store, settings)
    store.write([contribution])
    return summarise(contribution)


def summarise(contribution: Contribution) -> AlignmentSummary:
    summary = AlignmentSummary()
    for edge in contribution.edges:
        if edge.type == COUNTERPART_OF:
            summary.counterparts += 1
        elif edge.dst.startswith("task:"):
            summary.carries_out_tasks += 1
        else:
            summary.carries_out_documents += 1
    return summary
