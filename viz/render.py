"""Drawing a View as an interactive vis-network page, through pyvis.

pyvis holds the network (nodes, edges, options); our own template (viz/static/page.html) turns it
into a page whose scripts and styles are either local URLs (served pages) or inlined (a file that
opens anywhere): never a CDN. Pages stay responsive at any size: above `collapse_above` nodes each
document's tasks and units fold into one count node (double-click to open); above `physics_limit`
visible nodes positions are computed here and physics is off.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jinja2
from pyvis.network import Network

from graph.model import AGENCY, DOCUMENT, PART_OF, TASK, Edge, Node
from queries import props
from viz import assets, style
from viz.views import UNIT_TYPES, View

GROUP_PREFIX = "group:"
LABEL_WIDTH = 18
TIP_TEXT_LIMIT = 320
MAX_EVIDENCE = 6
NODE_SPACING = 120
MIN_LEVEL_SEPARATION, MAX_LEVEL_SEPARATION = 170, 420
SCREEN_ASPECT = 1.75
#: fixed layout (above the physics limit): spacing in a sub-row, between sub-rows, between tiers
FIXED_SPACING_DOCUMENT, FIXED_SPACING_OTHER = 170, 110
FIXED_LINE_GAP, FIXED_TIER_GAP = 110, 300
MIN_WRAP = 30
ROLE_NAMES = {"directive": "chỉ đạo (nghị quyết, chỉ thị, kết luận)", "plan": "kế hoạch, chương trình"}


@dataclass(frozen=True)
class RenderOptions:
    inline: bool = False
    static_url: str = "/graph/static"
    #: prefix of node links (`{link_base}/node/{key}`), None in a file with no server behind it
    link_base: str | None = "/graph"
    collapse_above: int = 100
    physics_limit: int = 1000
    expand: bool = False


def render(view: View, options: RenderOptions | None = None) -> str:
    """The page's HTML."""
    options = options or RenderOptions()
    payload = graph_payload(view, options)
    network = _network(payload)
    nodes, edges, heading, height, width, vis_options = network.get_network_data()
    data = {k: v for k, v in payload.items() if k not in ("visible_nodes", "visible_edges")}
    data.update(nodes=nodes, edges=edges, options=json.loads(vis_options))
    return _template().render(
        title=heading,
        view=view,
        data_json=_script_json(data),
        legend=legend(),
        inline=options.inline,
        static_url=options.static_url.rstrip("/"),
        link_base=options.link_base,
        scripts=assets.SCRIPTS,
        styles=assets.STYLES,
        asset_text=assets.inline_text,
        height=height,
        width=width,
    )


# ---------------------------------------------------------------- payload


def graph_payload(view: View, options: RenderOptions) -> dict[str, Any]:
    """Everything the page script needs: visible nodes and edges, folded groups, vis options."""
    tiers = _compact_tiers(view)
    all_nodes = {key: vis_node(node, tiers[key], options.link_base) for key, node in view.nodes.items()}
    all_edges = [vis_edge(edge, index) for index, edge in enumerate(view.edges)]
    _inherit_places(all_nodes, view)
    if view.focus in all_nodes:
        _emphasise(all_nodes[view.focus])
    groups, hidden = fold(view, options.collapse_above) if not options.expand else ({}, set())
    visible = [n for key, n in all_nodes.items() if key not in hidden]
    visible += [_group_node(doc_key, group, tiers, view) for doc_key, group in groups.items()]
    shown_ids = {n["id"] for n in visible}
    shown_edges = [e for e in all_edges if e["from"] in shown_ids and e["to"] in shown_ids]
    shown_edges += [_group_edge(doc_key) for doc_key in groups]
    physics = len(visible) <= options.physics_limit
    if not physics:
        _place(visible, shown_edges)
    return {
        "title": view.title,
        "kind": view.kind,
        "focus": view.focus,
        "visible_nodes": visible,
        "visible_edges": shown_edges,
        "hidden_nodes": [all_nodes[k] for k in all_nodes if k in hidden],
        "hidden_edges": [e for e in all_edges if e["from"] not in shown_ids or e["to"] not in shown_ids],
        "groups": {GROUP_PREFIX + k: {"nodes": g["nodes"], "document": k} for k, g in groups.items()},
        "physics": physics,
        "physics_limit": options.physics_limit,
        "relations": _relations(view),
        "places": _places(all_nodes.values()),
        "total_nodes": len(all_nodes),
    }


def _network(payload: dict[str, Any]) -> Network:
    network = Network(height="100%", width="100%", directed=True, heading=payload["title"])
    for node in payload["visible_nodes"]:
        attributes = {k: v for k, v in node.items() if k not in ("id", "label", "shape", "color")}
        network.add_node(node["id"], label=node["label"], shape=node["shape"], color=node["color"],
                         **attributes)
    for edge in payload["visible_edges"]:
        attributes = {k: v for k, v in edge.items() if k not in ("from", "to")}
        network.add_edge(edge["from"], edge["to"], **attributes)
    network.options = vis_options(payload["physics"], level_separation(payload["visible_nodes"]))
    return network


def level_separation(nodes: list[dict[str, Any]]) -> int:
    """Row spacing that gives the drawing about the shape of a screen: wide rows, taller spacing."""
    rows: dict[int, int] = {}
    for node in nodes:
        rows[node["level"]] = rows.get(node["level"], 0) + 1
    if len(rows) < 2:
        return MIN_LEVEL_SEPARATION
    wanted = max(rows.values()) * NODE_SPACING / SCREEN_ASPECT / (len(rows) - 1)
    return int(min(max(wanted, MIN_LEVEL_SEPARATION), MAX_LEVEL_SEPARATION))


def vis_options(physics: bool, separation: int = MIN_LEVEL_SEPARATION) -> dict[str, Any]:
    """Hierarchical top-down layout on the explicit tiers; precomputed positions when too big."""
    options: dict[str, Any] = {
        "layout": {"hierarchical": {
            "enabled": physics, "direction": "UD", "levelSeparation": separation,
            "nodeSpacing": NODE_SPACING,
            "treeSpacing": 170, "blockShifting": True, "edgeMinimization": True,
            "parentCentralization": True,
        }},
        "physics": {
            "enabled": physics, "solver": "hierarchicalRepulsion",
            "hierarchicalRepulsion": {"nodeDistance": 135, "springLength": 150, "avoidOverlap": 0.7},
            "stabilization": {"enabled": True, "iterations": 250, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "multiselect": True, "keyboard": False},
        "nodes": {"font": {"size": 14, "face": "Segoe UI, Roboto, Noto Sans, Arial, sans-serif"},
                  "margin": 8, "widthConstraint": {"maximum": 190}},
        "edges": {"arrows": {"to": {"scaleFactor": 0.55}}, "selectionWidth": 2,
                  "smooth": ({"type": "cubicBezier", "forceDirection": "vertical", "roundness": 0.45}
                             if physics else False)},
    }
    return options


# ---------------------------------------------------------------- nodes


def node_level(node: Node) -> str:
    found = props.level(node)
    return found if found in style.GEO_LEVELS else ("national" if props.jurisdiction(node) == "national"
                                                     else "province")


def node_tier(node: Node) -> int:
    if node.kind == TASK:
        return style.TASK_TIER
    if node.kind == AGENCY:
        return style.UNIT_TIER
    if node.kind == DOCUMENT:
        return style.document_tier(node_level(node), props.role(node) or style.OTHER_ROLE)
    return style.UNIT_TIER + 1


def node_style(node: Node) -> style.NodeStyle:
    if node.kind == TASK:
        return style.TASK_STYLE
    if node.kind == AGENCY:
        return style.UNIT_STYLE
    return style.document_style(node_level(node), props.role(node) or style.OTHER_ROLE)


def _compact_tiers(view: View) -> dict[str, int]:
    """Tiers renumbered 0..n over the tiers present, so empty rows leave no gaps."""
    raw = {key: node_tier(node) for key, node in view.nodes.items()}
    order = {tier: index for index, tier in enumerate(sorted(set(raw.values())))}
    return {key: order[tier] for key, tier in raw.items()}


def vis_node(node: Node, level: int, link_base: str | None) -> dict[str, Any]:
    look = node_style(node)
    stub = node.kind == DOCUMENT and props.is_stub(node)
    item: dict[str, Any] = {
        "id": node.key,
        "label": short_label(node),
        "shape": look.shape,
        "color": {"background": look.color, "border": look.border,
                  "highlight": {"background": look.color, "border": "#111111"},
                  "hover": {"background": look.color, "border": "#111111"}},
        "font": {"color": look.font, "size": look.font_size},
        "size": look.size,
        "level": level,
        "borderWidth": 1.5,
        "kind": node.kind,
        "tip": tooltip(node),
        "search": _search_text(node),
        "places": _node_places(node),
    }
    if stub:
        item.update(opacity=style.STUB_OPACITY, shapeProperties={"borderDashes": [4, 3]})
    if link_base is not None:
        item["href"] = node_href(link_base, node.key)
    return item


def node_href(link_base: str, key: str) -> str:
    """`#` starts a URL fragment and keys hold it (`task:…#II.8`): quote everything but `/:@`."""
    return f"{link_base}/node/{quote(key, safe='/:@')}"


def short_label(node: Node) -> str:
    if node.kind == DOCUMENT:
        where = props.jurisdiction(node)
        doc = props.doc_id(node)
        return doc if where in ("", "national") else f"{doc}\n{where}"
    if node.kind == TASK:
        return props.task_number(node)
    if node.kind == AGENCY:
        return _wrap(props.agency_name(node))
    return props.label(node)


def _wrap(text: str, width: int = LABEL_WIDTH, lines: int = 3) -> str:
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = [*out[: lines - 1], out[lines - 1] + " …"]
    return "\n".join(out)


def _clip(text: str, limit: int = TIP_TEXT_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tooltip(node: Node) -> dict[str, Any]:
    """{head, rows: [[label, value]]}; the page script builds the tooltip element from it."""
    if node.kind == DOCUMENT:
        return _document_tip(node)
    if node.kind == TASK:
        return _task_tip(node)
    rows = [["Cấp", props.level(node)], ["Địa bàn", props.jurisdiction(node)]]
    return {"head": props.agency_name(node), "rows": [r for r in rows if r[1]]}


def _document_tip(node: Node) -> dict[str, Any]:
    doc_type = props.text_prop(node, "type")
    rows = [
        ["Trích yếu", _clip(props.text_prop(node, "title"))],
        ["Cơ quan ban hành", props.text_prop(node, "issuer")],
        ["Ngày ban hành", props.text_prop(node, "date")],
        ["Địa bàn", props.jurisdiction(node)],
        ["Vai trò", ROLE_NAMES.get(props.role(node), props.role(node))],
        ["Độ tin cậy", _confidence_text(props.confidence(node))],
        ["Tệp", props.text_prop(node, "file", "source_file")],
        ["Ghi chú", "chỉ biết qua dẫn chiếu (chưa nạp văn bản)" if props.is_stub(node) else ""],
    ]
    head = f"{props.doc_id(node)} — {doc_type}" if doc_type else props.doc_id(node)
    return {"head": head, "rows": [r for r in rows if r[1]]}


def _task_tip(node: Node) -> dict[str, Any]:
    deadline = props.deadline(node)
    when = deadline["raw"] or ("" if deadline["kind"] == "none" else deadline["kind"])
    if deadline["value"]:
        when = f"{when} ({deadline['value']})" if when else deadline["value"]
    where = props.text_prop(node, "file", "source_file")
    line = node.props.get("line")
    rows = [
        ["Nội dung", _clip(props.text_prop(node, "text"))],
        ["Chủ trì", "; ".join(map(str, node.props.get("lead") or []))],
        ["Phối hợp", "; ".join(map(str, node.props.get("support") or []))],
        ["Thời hạn", when],
        ["Nguồn", f"{where}:{line}" if where and line else where],
    ]
    doc = props.key_tail(str(node.props.get("document") or "")).split("@", 1)[0]
    head = f"Nhiệm vụ {props.task_number(node)}" + (f" — {doc}" if doc else "")
    return {"head": head, "rows": [[k, _clip(v)] for k, v in rows if v]}


def _confidence_text(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _search_text(node: Node) -> str:
    parts = [props.label(node)]
    if node.kind == DOCUMENT:
        parts += [props.text_prop(node, "title"), props.text_prop(node, "issuer")]
    elif node.kind == TASK:
        parts += [props.text_prop(node, "text")]
    return " | ".join(p for p in parts if p)


def _node_places(node: Node) -> list[str]:
    """Provinces and communes a node belongs to (none for national ones): the place filter's key."""
    found = [props.jurisdiction(node), props.province(node)]
    doc_key = node.props.get("document")
    if node.kind == TASK and isinstance(doc_key, str):
        found.append(props.key_tail(doc_key).rsplit("@", 1)[-1].split("#", 1)[0])
    return sorted({p for p in found if p and p != "national"})


def _emphasise(node: dict[str, Any]) -> None:
    """The node a page is about: thicker border, larger shape and label."""
    node.update(borderWidth=4, size=int(node["size"] * 1.6))
    node["font"] = {**node["font"], "size": node["font"]["size"] + 3, "bold": True}
    node["color"] = {**node["color"], "border": "#111111"}


def _inherit_places(all_nodes: dict[str, dict[str, Any]], view: View) -> None:
    """A task lies where its plan does; a local unit where the tasks it takes part in do."""
    for edge in view.edges:
        if edge.type == PART_OF and edge.dst in all_nodes and edge.src in all_nodes:
            task = all_nodes[edge.src]
            task["places"] = sorted(set(task["places"]) | set(all_nodes[edge.dst]["places"]))
    for edge in view.edges:
        target = all_nodes.get(edge.dst)
        if edge.type in UNIT_TYPES and target is not None and target["places"] and edge.src in all_nodes:
            target["places"] = sorted(set(target["places"]) | set(all_nodes[edge.src]["places"]))


# ---------------------------------------------------------------- edges


def vis_edge(edge: Edge, index: int) -> dict[str, Any]:
    look = style.edge_style(edge.type)
    return {
        "id": f"e{index}",
        "from": edge.src,
        "to": edge.dst,
        "relation": edge.type,
        "color": {"color": look.color, "highlight": "#111111", "hover": look.color, "opacity": 0.9},
        "width": look.width,
        "dashes": look.dashes,
        "arrows": look.arrows,
        "tip": edge_tooltip(edge),
    }


def edge_tooltip(edge: Edge) -> dict[str, Any]:
    rows: list[list[str]] = []
    if props.confidence(edge) is not None:
        rows.append(["Độ tin cậy", _confidence_text(props.confidence(edge))])
    evidence = props.evidence(edge)
    for item in evidence[:MAX_EVIDENCE]:
        where = f"{item.get('file', '')}:{item.get('line', '')}".strip(":")
        rows.append([where or "Bằng chứng", _clip(item.get("raw", ""), 200)])
    if len(evidence) > MAX_EVIDENCE:
        rows.append(["…", f"còn {len(evidence) - MAX_EVIDENCE} dòng bằng chứng"])
    return {"head": style.edge_style(edge.type).legend, "rows": rows}


# ---------------------------------------------------------------- folding and placing


def fold(view: View, budget: int) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """Fold the largest task groups first (a document's tasks, with the units only they name)
    until at most `budget` nodes are visible. Returns the folded groups and the hidden keys."""
    groups = _task_groups(view)
    links: dict[str, int] = {}  # unit → visible tasks naming it
    for group in groups.values():
        for unit in group["units"]:
            links[unit] = links.get(unit, 0) + group["units"][unit]
    visible = len(view.nodes)
    folded: dict[str, dict[str, Any]] = {}
    hidden: set[str] = set()
    for doc_key in sorted(groups, key=lambda k: (-len(groups[k]["tasks"]), k)):
        if visible <= budget:
            break
        group = groups[doc_key]
        folded[doc_key] = group
        hidden.update(group["tasks"])
        visible += 1 - len(group["tasks"])
        for unit, count in group["units"].items():
            links[unit] -= count
            if links[unit] == 0:
                hidden.add(unit)
                visible -= 1
    for group in folded.values():
        group["nodes"] = group["tasks"] + list(group["units"])
    return folded, hidden


def _task_groups(view: View) -> dict[str, dict[str, Any]]:
    """Per document, its tasks and the units they name ({unit: number of links}); the focus and
    the nodes right next to it are never folded."""
    keep = _near_focus(view)
    groups: dict[str, dict[str, Any]] = {}
    for edge in view.edges:
        if edge.type == PART_OF and edge.src not in keep and view.nodes[edge.src].kind == TASK:
            groups.setdefault(edge.dst, {"tasks": [], "units": {}})["tasks"].append(edge.src)
    task_group = {task: doc for doc, g in groups.items() for task in g["tasks"]}
    for edge in view.edges:
        doc = task_group.get(edge.src)
        if doc and edge.type in UNIT_TYPES and edge.dst not in keep:
            units = groups[doc]["units"]
            units[edge.dst] = units.get(edge.dst, 0) + 1
    return groups


def _near_focus(view: View) -> set[str]:
    if view.focus is None:
        return set()
    keep = {view.focus}
    for edge in view.edges:
        if view.focus in (edge.src, edge.dst) and edge.type != PART_OF:
            keep.update((edge.src, edge.dst))
        elif edge.dst == view.focus and edge.type == PART_OF:
            keep.add(edge.src)  # the focus document's own tasks
    return {k for k in keep if view.nodes[k].kind != DOCUMENT or k == view.focus}


def _group_node(doc_key: str, group: dict[str, Any], tiers: dict[str, int], view: View) -> dict[str, Any]:
    look = style.GROUP_STYLE
    doc = view.nodes[doc_key]
    task_count, unit_count = len(group["tasks"]), len(group["units"])
    label = f"{task_count} nhiệm vụ" + (f"\n{unit_count} đơn vị" if unit_count else "")
    return {
        "id": GROUP_PREFIX + doc_key,
        "label": label,
        "shape": look.shape,
        "color": {"background": look.color, "border": look.border,
                  "highlight": {"background": look.color, "border": "#111111"}},
        "font": {"color": look.font, "size": 12},
        "level": tiers[group["tasks"][0]],
        "borderWidth": 1.5,
        "kind": "Group",
        "tip": {"head": f"{props.doc_id(doc)}: {label.replace(chr(10), ', ')}",
                "rows": [["", "Nhấp đúp để mở nhóm này"]]},
        "search": "",
        "places": _node_places(doc),
    }


def _group_edge(doc_key: str) -> dict[str, Any]:
    look = style.edge_style(PART_OF)
    return {"id": f"{GROUP_PREFIX}e:{doc_key}", "from": GROUP_PREFIX + doc_key, "to": doc_key,
            "relation": PART_OF, "color": {"color": look.color}, "width": look.width,
            "dashes": [6, 4], "arrows": look.arrows, "tip": {"head": look.legend, "rows": []}}


def _place(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
    """Fixed positions for a graph too big for physics: one band per tier, each ordered by the
    mean x of the node's neighbours in the bands above (one barycentre sweep, linear time) and
    wrapped into sub-rows so that a tier of thousands stays a block, not a line miles long."""
    rows: dict[int, list[dict[str, Any]]] = {}
    for node in nodes:
        rows.setdefault(node["level"], []).append(node)
    neighbours: dict[str, list[str]] = {}
    for edge in edges:
        neighbours.setdefault(edge["from"], []).append(edge["to"])
        neighbours.setdefault(edge["to"], []).append(edge["from"])
    per_row = max(MIN_WRAP, math.ceil(math.sqrt(len(nodes) * SCREEN_ASPECT * 2)))
    x_of: dict[str, float] = {}
    y = 0.0
    for level in sorted(rows):
        row = sorted(rows[level], key=lambda n: _barycentre(n["id"], neighbours, x_of))
        spacing = FIXED_SPACING_DOCUMENT if row[0]["kind"] == DOCUMENT else FIXED_SPACING_OTHER
        width = min(len(row), per_row)
        for index, node in enumerate(row):
            line, column = divmod(index, per_row)
            x_of[node["id"]] = (column - (width - 1) / 2) * spacing
            node.update(x=x_of[node["id"]], y=y + line * FIXED_LINE_GAP, physics=False)
        y += (len(row) - 1) // per_row * FIXED_LINE_GAP + FIXED_TIER_GAP


def _barycentre(key: str, neighbours: dict[str, list[str]], x_of: dict[str, float]) -> float:
    placed = [x_of[k] for k in neighbours.get(key, []) if k in x_of]
    return sum(placed) / len(placed) if placed else float("inf")


# ---------------------------------------------------------------- page parts


def _relations(view: View) -> list[dict[str, str]]:
    present = sorted({e.type for e in view.edges}, key=lambda t: list(style.EDGE_STYLES).index(t)
                     if t in style.EDGE_STYLES else 99)
    return [{"type": t, "legend": style.edge_style(t).legend} for t in present]


def _places(nodes: Any) -> list[str]:
    return sorted({place for node in nodes for place in node["places"]})


def legend() -> dict[str, Any]:
    """Legend rows from the same style tables as the drawing."""
    documents = [style.document_style(level, role) for level in style.GEO_LEVELS
                 for role in (style.DIRECTIVE_ROLE, style.PLAN_ROLE, style.OTHER_ROLE)]
    return {
        "nodes": [*documents, style.TASK_STYLE, style.UNIT_STYLE, style.GROUP_STYLE],
        "edges": [(t, s) for t, s in style.EDGE_STYLES.items()],
    }


def _script_json(value: Any) -> str:
    """JSON for a `<script type="application/json">` element: `<`, `>`, `&` escaped so nothing in
    the data ends the element early, and `/` escaped (`\\/`, the same JSON string) so a web address
    quoted in a document's text stays text and never reads as a link to another host."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/")):
        text = text.replace(char, escaped)
    return text


_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(assets.STATIC_DIR)),
                          autoescape=jinja2.select_autoescape(["html"]))


def _template() -> jinja2.Template:
    return _ENV.get_template(assets.TEMPLATE.name)
