"""How graph elements look: tier (row of the hierarchical layout), colour and shape of nodes, style
of edges. One table per concern so that the legend is generated from the same data as the drawing.

Tiers follow the user's card, top to bottom: national → province → commune documents (a directive
above the plans of its level), then tasks (nhiệm vụ), then units (cơ quan chủ trì / phối hợp).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import (
    AMENDS,
    BASED_ON,
    CARRIES_OUT,
    CITES,
    COUNTERPART_OF,
    IMPLEMENTS,
    ISSUED_BY,
    LED_BY,
    PART_OF,
    SUPPORTED_BY,
)

GEO_LEVELS = ("national", "province", "commune")
DIRECTIVE_ROLE, PLAN_ROLE, OTHER_ROLE = "directive", "plan", "other"
TASK_TIER = 2 * len(GEO_LEVELS)
UNIT_TIER = TASK_TIER + 1


@dataclass(frozen=True)
class NodeStyle:
    """A legend row and the vis-network attributes of the nodes it describes."""

    legend: str
    color: str
    shape: str
    border: str
    font: str = "#ffffff"
    size: int = 16
    font_size: int = 15


@dataclass(frozen=True)
class EdgeStyle:
    legend: str
    color: str
    width: float
    dashes: bool | list[int]
    arrows: str = "to"


_GEO_COLORS = {  # directive, plan/other, border
    "national": ("#8e1b1b", "#c0392b", "#5c1010"),
    "province": ("#0d47a1", "#1e74c9", "#0a2f6b"),
    "commune": ("#1b5e20", "#2e8b3e", "#103d14"),
}
_GEO_NAMES = {"national": "trung ương", "province": "tỉnh", "commune": "xã"}


def document_style(level: str, role: str) -> NodeStyle:
    """Directives are boxes, plans ellipses, other papers (công văn, tờ trình) plain text boxes."""
    directive_color, plan_color, border = _GEO_COLORS.get(level, _GEO_COLORS["province"])
    name = _GEO_NAMES.get(level, level)
    if role == DIRECTIVE_ROLE:
        return NodeStyle(f"Chỉ thị, nghị quyết ({name})", directive_color, "box", border)
    if role == PLAN_ROLE:
        return NodeStyle(f"Kế hoạch ({name})", plan_color, "ellipse", border)
    return NodeStyle(f"Văn bản khác ({name})", "#f4f6f8", "box", plan_color, font=border)


TASK_STYLE = NodeStyle("Nhiệm vụ (task)", "#f0a202", "dot", "#a86f00", font="#3b2a00", size=11,
                       font_size=13)
UNIT_STYLE = NodeStyle("Cơ quan, đơn vị (unit)", "#6a3d9a", "triangle", "#3f2260", font="#2d1a42", size=12,
                       font_size=12)
GROUP_STYLE = NodeStyle("Nhóm thu gọn (nhấp đúp để mở)", "#fff4d6", "database", "#a86f00", font="#3b2a00")
STUB_OPACITY = 0.55

EDGE_STYLES: dict[str, EdgeStyle] = {
    IMPLEMENTS: EdgeStyle("thực hiện (implements)", "#c0392b", 2.4, False),
    BASED_ON: EdgeStyle("căn cứ (based on)", "#1e74c9", 1.6, [8, 5]),
    AMENDS: EdgeStyle("sửa đổi (amends)", "#e67e22", 1.6, [3, 4]),
    CITES: EdgeStyle("dẫn chiếu (cites)", "#9aa3ab", 1.0, [2, 6]),
    CARRIES_OUT: EdgeStyle("triển khai nhiệm vụ (carries out)", "#2e8b3e", 2.2, False),
    PART_OF: EdgeStyle("thuộc văn bản (part of)", "#b08a3e", 1.0, False),
    LED_BY: EdgeStyle("chủ trì (lead)", "#6a3d9a", 1.8, False),
    SUPPORTED_BY: EdgeStyle("phối hợp (support)", "#9b7cc0", 1.0, [6, 4]),
    ISSUED_BY: EdgeStyle("ban hành (issued by)", "#7f8c8d", 1.0, [4, 4]),
    COUNTERPART_OF: EdgeStyle("tương ứng (counterpart)", "#16a085", 1.4, [2, 3], arrows=""),
}
DEFAULT_EDGE_STYLE = EdgeStyle("khác", "#b0b0b0", 1.0, [2, 2])


def document_tier(level: str, role: str) -> int:
    """Row of a document: two rows per level so a directive sits above the plans that carry it out."""
    geo = GEO_LEVELS.index(level) if level in GEO_LEVELS else 1
    return 2 * geo + (0 if role == DIRECTIVE_ROLE else 1)


def edge_style(edge_type: str) -> EdgeStyle:
    return EDGE_STYLES.get(edge_type, DEFAULT_EDGE_STYLE)
