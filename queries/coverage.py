"""Coverage: where a directive has been carried out, and which tasks of a plan have nothing below.

A province counts as covered when it has an implementing document of its own or one of its
communes has; documents ingested and documents known only from references (stubs) are counted
apart, since a stub says "someone cited it", not "we have read it".
"""

from __future__ import annotations

from typing import Any

from graph.model import CARRIES_OUT, DOCUMENT, IMPLEMENTS, PART_OF, TASK
from graph.store import GraphStore
from queries import places, props, views
from queries.resolve import resolve
from queries.trace import descendants, lineage_types


def implementing_documents(store: GraphStore, key: str, cites: bool = False,
                           max_depth: int = 8) -> list[tuple[Any, int]]:
    """Every document below `key` (transitively), with its depth."""
    reached = descendants(store, key, lineage_types(based_on=False, cites=cites), max_depth)
    nodes = store.nodes_by_key(k for k in reached if props.kind_of_key(k) == DOCUMENT)
    return [(nodes[k], depth) for k, (depth, _) in reached.items()
            if k in nodes and nodes[k].kind == DOCUMENT]


def _doc_entry(node: Any, depth: int) -> dict[str, Any]:
    return {**views.node_ref(node), "id": props.doc_id(node), "level": props.level(node) or None,
            "stub": props.is_stub(node), "depth": depth}


def _status(documents: list[dict[str, Any]]) -> str:
    return "ingested" if any(not d["stub"] for d in documents) else "stub"


def coverage(store: GraphStore, ref: str, cites: bool = False, missing_offset: int = 0,
             missing_limit: int = 100) -> dict[str, Any]:
    """Provinces and communes with an implementing document (ingested or stub), national documents
    apart, and the gazetteer units with none; missing communes are paginated."""
    key = resolve(store, ref, DOCUMENT)
    by_province: dict[str, dict[str, Any]] = {}
    national = []
    documents = implementing_documents(store, key, cites=cites)
    place = places.places_of(store, [node for node, _ in documents])
    for node, depth in documents:
        province, commune = place[node.key]
        province = places.current_province(province)
        entry = _doc_entry(node, depth)
        if not province and not commune:
            national.append(entry)
            continue
        slot = by_province.setdefault(places.place_token(province or commune), {
            "province": province or None, "documents": [], "communes": {}})
        if commune:
            slot["communes"].setdefault(places.place_token(commune), {"commune": commune, "documents": []})[
                "documents"].append(entry)
        else:
            slot["documents"].append(entry)
    covered = [_province_view(slot) for _, slot in sorted(by_province.items())]
    return {
        "directive": views.node_view(store.node(key)),
        **_missing(covered, missing_offset, missing_limit),
        "national_documents": national,
        "covered_provinces": covered,
    }


def _province_view(slot: dict[str, Any]) -> dict[str, Any]:
    communes = [{**c, "status": _status(c["documents"])} for _, c in sorted(slot["communes"].items())]
    everything = slot["documents"] + [d for c in communes for d in c["documents"]]
    return {"province": slot["province"], "status": _status(everything), "documents": slot["documents"],
            "communes": communes, "ingested_documents": sum(not d["stub"] for d in everything),
            "stub_documents": sum(d["stub"] for d in everything)}


def _commune_token(province: str | None, commune: str) -> tuple[str, str]:
    return places.place_token(province or ""), places.place_token(commune)


def _missing(covered: list[dict[str, Any]], offset: int, limit: int) -> dict[str, Any]:
    """Gazetteer units without any implementing document; covered names the gazetteer does not
    know (pre-2025 provinces, OCR-damaged names) are listed as unmatched."""
    known_provinces = {places.place_token(u.name): u for u in places.provinces()}
    communes = places.communes()
    known_communes = {_commune_token(u.province, u.name) for u in communes}
    covered_provinces = {places.place_token(c["province"] or ""): c["province"] for c in covered}
    covered_communes = {_commune_token(c["province"], m["commune"]): m["commune"]
                        for c in covered for m in c["communes"]}
    missing_communes = [{"commune": u.name, "province": u.province} for u in communes
                        if _commune_token(u.province, u.name) not in covered_communes]
    unmatched = [name for token, name in covered_provinces.items() if token not in known_provinces]
    unmatched += [name for token, name in covered_communes.items() if token not in known_communes]
    return {
        "provinces_total": len(known_provinces),
        "provinces_covered": len(covered_provinces.keys() & known_provinces.keys()),
        "provinces_without": [u.name for t, u in known_provinces.items() if t not in covered_provinces],
        "communes_total": len(communes),
        "communes_covered": len(communes) - len(missing_communes),
        "communes_without": views.page(missing_communes, offset, limit),
        "unmatched_places": sorted(name for name in unmatched if name),
    }


def plan_gaps(store: GraphStore, ref: str) -> dict[str, Any]:
    """For a plan (kế hoạch): each task with the tasks below that carry it out (CARRIES_OUT); the
    tasks with none are the gaps."""
    key = resolve(store, ref, DOCUMENT)
    incoming = store.edges_in_many([key], [PART_OF, IMPLEMENTS])[key]
    found = store.nodes_by_key(e.src for e in incoming)
    tasks = [found.get(e.src) for e in incoming if e.type == PART_OF]
    tasks = sorted((t for t in tasks if t is not None and t.kind == TASK), key=lambda t: t.key)
    below_of = store.edges_in_many([t.key for t in tasks], [CARRIES_OUT])
    below_nodes = store.nodes_by_key(e.src for edges in below_of.values() for e in edges)
    carried, gaps = [], []
    for task in tasks:
        below_refs = [views.node_ref(below_nodes[e.src]) for e in below_of[task.key] if e.src in below_nodes]
        entry = {**views.task_view(task), "carried_out_by": below_refs}
        (carried if below_refs else gaps).append(entry)
    implementing = [found.get(e.src) for e in incoming if e.type == IMPLEMENTS]
    return {
        "plan": views.node_view(store.node(key)),
        "total_tasks": len(tasks),
        "carried": carried,
        "without_carrying_task": gaps,
        "implementing_documents": [views.node_ref(n) for n in implementing
                                   if n is not None and n.kind == DOCUMENT],
    }
