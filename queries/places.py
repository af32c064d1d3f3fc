"""Where a document lies (province, commune) and the 2025 administrative units to measure
coverage against: 34 provinces (tỉnh, thành phố) and 3,321 communes (xã, phường, đặc khu)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from graph.model import LOCATED_IN, PLACE, Edge, Node
from graph.store import GraphStore
from ingest.text import fold
from queries import props

_PROVINCE_PREFIXES = ("thanh pho ", "tinh ")
_COMMUNE_PREFIXES = ("phuong ", "xa ", "dac khu ")


@dataclass(frozen=True)
class Unit:
    """An administrative unit of the gazetteer: display name without its prefix (Ngọk Bay)."""

    name: str
    province: str | None = None


def strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    """`Tỉnh Quảng Ngãi` → `Quảng Ngãi`, `Xã Ngọk Bay` → `Ngọk Bay` (accents kept)."""
    folded = fold(name)
    for prefix in prefixes:
        if folded.startswith(prefix):
            return name.strip()[len(prefix):].strip()
    return name.strip()


@lru_cache(maxsize=1 << 14)
def place_token(name: str) -> str:
    """Comparable form of a place name: folded, no prefix (`Tỉnh Khánh Hòa` ≡ `khanh hoa`)."""
    return fold(strip_prefix(strip_prefix(name, _PROVINCE_PREFIXES), _COMMUNE_PREFIXES))


@cache
def provinces() -> tuple[Unit, ...]:
    from vietnam_provinces import Province

    return tuple(sorted((Unit(strip_prefix(p.name, _PROVINCE_PREFIXES)) for p in Province.iter_all()),
                        key=lambda u: fold(u.name)))


@cache
def communes() -> tuple[Unit, ...]:
    from vietnam_provinces import Province, Ward

    by_code = {p.code: strip_prefix(p.name, _PROVINCE_PREFIXES) for p in Province.iter_all()}
    units = (Unit(strip_prefix(w.name, _COMMUNE_PREFIXES), by_code.get(w.province_code))
             for w in Ward.iter_all())
    return tuple(sorted(units, key=lambda u: (fold(u.province or ""), fold(u.name))))


@lru_cache(maxsize=1 << 12)
def current_province(name: str) -> str:
    """The 2025 province a province name is in today ("Kon Tum" → "Quảng Ngãi"); the name itself
    when the gazetteer does not know it."""
    from ingest.places import resolve_province

    found = resolve_province(name) if name else None
    return (found.current_province or name) if found else name


def place_of(store: GraphStore, node: Node) -> tuple[str, str]:
    """(province, commune) of a document or agency; ('', '') for national ones. The node's own
    properties first, else its LOCATED_IN places (a commune lies in its province)."""
    return places_of(store, [node])[node.key]


def places_of(store: GraphStore, nodes: list[Node]) -> dict[str, tuple[str, str]]:
    """`place_of` of each node, by key, in two store calls for all the nodes that need their
    LOCATED_IN places."""
    found: dict[str, tuple[str, str]] = {}
    pending = []
    for node in nodes:
        if props.province(node) or props.level(node) == props.NATIONAL:
            found[node.key] = (props.province(node), props.commune(node))
        else:
            pending.append(node)
    located = store.edges_out_many([n.key for n in pending], [LOCATED_IN]) if pending else {}
    place_nodes = store.nodes_by_key(e.dst for edges in located.values() for e in edges)
    for node in pending:
        found[node.key] = _place_from(located[node.key], place_nodes, props.commune(node))
    return found


def _place_from(edges: list[Edge], place_nodes: dict[str, Node], commune: str) -> tuple[str, str]:
    for edge in edges:
        place = place_nodes.get(edge.dst)
        if place is None or place.kind != PLACE:
            continue
        if props.text_prop(place, "level") == "province":
            return props.place_name(place), ""
        return props.text_prop(place, "province"), props.place_name(place)
    return "", commune
