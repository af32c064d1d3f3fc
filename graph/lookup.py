"""Finding documents by what a user types: a canonical id, an OCR form, or a node key.

An id names one document per jurisdiction (`01-KH/BCĐ` of Quảng Ngãi ≠ that of Khánh Hòa), so a
lookup returns every document with that id; close ids (rapidfuzz) help when nothing matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from graph.model import DOCUMENT, NATIONAL, Node
from graph.store import GraphStore
from ingest.text import fold

_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def compact(text: str) -> str:
    """Folded, no blanks, numbers without leading zeros: `02-KH/BCĐTW` ≡ `2-kh/bcdtw`."""
    return _LEADING_ZEROS.sub("", re.sub(r"\s+", "", fold(text)))


def canonical_forms(text: str) -> set[str]:
    """What the user typed, plus its repaired canonical id when the id reader can read it
    (`01-KH/BCP` → `01-KH/BCĐ`)."""
    forms = {text.strip()}
    try:
        from ingest.ids import canonicalize
    except ImportError:  # the id reader is optional here: plain matching still works
        return forms
    repaired = canonicalize(text)
    if repaired:
        forms.add(repaired)
    return forms


def find_documents(store: GraphStore, text: str, jurisdiction: str | None = None) -> list[Node]:
    """Every document whose id (or a recorded OCR alias, or key) matches `text`, in key order."""
    if text.startswith("doc:"):
        node = store.node(text)
        return [node] if node is not None and node.kind == DOCUMENT else []
    wanted = {compact(form) for form in canonical_forms(text)}
    found = []
    for node in store.nodes(DOCUMENT):
        names = [node.props.get("id") or "", *(node.props.get("aliases") or [])]
        if not wanted & {compact(name) for name in names if name}:
            continue
        if jurisdiction and not in_place(node, jurisdiction):
            continue
        found.append(node)
    return sorted(found, key=lambda n: n.key)


def in_place(node: Node, place: str) -> bool:
    """Whether a node lies in `place` (its jurisdiction or its province), accents ignored."""
    wanted = fold(place)
    return wanted in {fold(str(node.props.get(name) or "")) for name in ("jurisdiction", "province")}


def close_ids(store: GraphStore, text: str, limit: int = 5) -> list[str]:
    """Existing ids near `text`, best first, each with its jurisdiction."""
    choices: dict[str, str] = {}
    for node in store.nodes(DOCUMENT):
        if node.props.get("id"):
            choices[document_label(node, stub=False)] = compact(node.props["id"])
    query = max((compact(f) for f in canonical_forms(text)), key=len)
    matches = process.extract(query, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=50)
    return [label for _, _, label in sorted(matches, key=lambda m: (-m[1], m[2]))]


def document_label(node: Node, stub: bool = True) -> str:
    """`01-KH/BCĐ (Quảng Ngãi, stub)`, `57-NQ/TW (national)`."""
    ident = node.props.get("id") or node.key
    details = [str(node.props.get("jurisdiction") or NATIONAL)]
    if stub and node.props.get("stub"):
        details.append("stub")
    return f"{ident} ({', '.join(details)})"


def labels(store: GraphStore, keys: Iterable[str]) -> list[str]:
    out = []
    for key in keys:
        node = store.node(key)
        out.append(document_label(node) if node is not None and node.kind == DOCUMENT else key)
    return out


def unit_matches(node: Node, query: str) -> bool:
    """Whether a unit's name or one of its spellings contains `query`, accents and case ignored
    ("cong an xa" finds "Công an xã")."""
    wanted = fold(query)
    names = [node.props.get("name") or "", *(node.props.get("aliases") or [])]
    return any(wanted in fold(str(name)) for name in names)
