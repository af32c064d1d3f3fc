"""Export the graph as spreadsheet tables: documents, references, tasks and units (cơ quan, đơn vị).

Each table is a CSV file in UTF-8 with a byte-order mark, so that Excel and LibreOffice open the
Vietnamese text intact without an import dialog; the four files go into a folder, or into one zip
when the target ends in `.zip`. Lists inside a cell (lead units, evidence) are joined with " | ".
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path as FilePath
from typing import Any

from graph.model import (
    AGENCY,
    DOCUMENT,
    ISSUED_BY,
    LED_BY,
    PART_OF,
    REFERENCE_TYPES,
    SUPPORTED_BY,
    TASK,
    Edge,
    Node,
)
from graph.store import GraphStore
from queries import props
from queries.rdf_export import node_iri

ENCODING = "utf-8-sig"
SEPARATOR = " | "

Table = tuple[list[str], list[list[Any]]]

DOCUMENT_COLUMNS = ["key", "iri", "id", "type", "role", "level", "jurisdiction", "province", "issuer",
                    "date", "title", "ingested", "confidence", "sources"]
REFERENCE_COLUMNS = ["from_key", "from_id", "relation", "to_key", "to_id", "to_jurisdiction",
                     "confidence", "evidence"]
TASK_COLUMNS = ["key", "document_key", "document_id", "section", "number", "text", "lead", "support",
                "deadline_raw", "deadline_kind", "deadline_value", "file", "line", "confidence"]
UNIT_COLUMNS = ["key", "name", "jurisdiction", "level", "documents_issued", "tasks_led",
                "tasks_supported"]


class CsvExportError(ValueError):
    """The CSV target cannot be written."""


def joined(values: Iterable[Any]) -> str:
    return SEPARATOR.join(str(v) for v in values if v not in (None, ""))


def evidence_cell(edge: Edge) -> str:
    return joined(f"{e.get('file')}:{e.get('line')}: {e.get('raw')}" for e in props.evidence(edge))


def cell(value: Any) -> Any:
    """Spreadsheet-friendly value: lists joined, None empty, booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return joined(value)
    return value


def document_row(node: Node) -> list[Any]:
    p = node.props
    return [node.key, str(node_iri(node.key)), props.doc_id(node), p.get("type"), props.role(node),
            props.level(node), props.jurisdiction(node), props.province(node), p.get("issuer"),
            p.get("date"), p.get("title"), not props.is_stub(node), props.confidence(node),
            p.get("sources")]


def reference_rows(store: GraphStore, node: Node) -> list[list[Any]]:
    rows = []
    for edge in sorted(store.edges_out(node.key, REFERENCE_TYPES), key=lambda e: (e.type, e.dst)):
        target = store.node(edge.dst)
        rows.append([node.key, props.doc_id(node), edge.type.lower(), edge.dst,
                     props.doc_id(target) if target else "", props.jurisdiction(target) if target else "",
                     props.confidence(edge), evidence_cell(edge)])
    return rows


def task_row(store: GraphStore, node: Node) -> list[Any]:
    p = node.props
    plans = store.edges_out(node.key, [PART_OF])
    plan = store.node(plans[0].dst) if plans else None
    deadline = props.deadline(node)
    return [node.key, plan.key if plan else p.get("document"), props.doc_id(plan) if plan else "",
            p.get("section"), p.get("number"), p.get("text"), unit_names(store, node, LED_BY),
            unit_names(store, node, SUPPORTED_BY), deadline["raw"], deadline["kind"], deadline["value"],
            p.get("file"), p.get("line"), props.confidence(node)]


def unit_names(store: GraphStore, task: Node, edge_type: str) -> list[str]:
    names = []
    for edge in store.edges_out(task.key, [edge_type]):
        unit = store.node(edge.dst)
        names.append(props.agency_name(unit) if unit else edge.dst)
    return names


def unit_row(store: GraphStore, node: Node) -> list[Any]:
    incoming = store.edges_in(node.key, [ISSUED_BY, LED_BY, SUPPORTED_BY])
    count = {t: sum(1 for e in incoming if e.type == t) for t in (ISSUED_BY, LED_BY, SUPPORTED_BY)}
    return [node.key, props.agency_name(node), props.jurisdiction(node), props.level(node),
            count[ISSUED_BY], count[LED_BY], count[SUPPORTED_BY]]


def tables(store: GraphStore) -> dict[str, Table]:
    """The four tables, rows in key order."""
    documents = sorted(store.nodes(DOCUMENT), key=lambda n: n.key)
    return {
        "documents.csv": (DOCUMENT_COLUMNS, [document_row(n) for n in documents]),
        "references.csv": (REFERENCE_COLUMNS, [r for n in documents for r in reference_rows(store, n)]),
        "tasks.csv": (TASK_COLUMNS, [task_row(store, n) for n in
                                     sorted(store.nodes(TASK), key=lambda n: n.key)]),
        "units.csv": (UNIT_COLUMNS, [unit_row(store, n) for n in
                                     sorted(store.nodes(AGENCY), key=lambda n: n.key)]),
    }


def csv_text(table: Table) -> str:
    """One table as CSV text (without the BOM, which the writers add through the encoding)."""
    header, rows = table
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def write_csv(store: GraphStore, target: FilePath) -> list[str]:
    """Write the tables into the folder `target`, or the zip `target` when it ends in .zip;
    returns the table file names."""
    found = tables(store)
    try:
        if target.suffix.lower() == ".zip":
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, table in found.items():
                    archive.writestr(name, csv_text(table).encode(ENCODING))
        else:
            target.mkdir(parents=True, exist_ok=True)
            for name, table in found.items():
                (target / name).write_text(csv_text(table), encoding=ENCODING, newline="")
    except OSError as exc:
        raise CsvExportError(f"{target}: cannot write the CSV export: {exc.strerror or exc}") from exc
    return list(found)
