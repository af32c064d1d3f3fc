"""CSV export of the samples: four tables, UTF-8 with BOM, Vietnamese text intact, folder or zip."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from chidao.cli import main
from graph.embedded import EmbeddedStore
from graph.model import AGENCY, DOCUMENT, REFERENCE_TYPES, TASK
from queries.csv_export import (
    DOCUMENT_COLUMNS,
    REFERENCE_COLUMNS,
    TASK_COLUMNS,
    UNIT_COLUMNS,
    CsvExportError,
    cell,
    csv_text,
    tables,
    write_csv,
)
from tests.test_rdf_samples import SOURCES, build_store

BOM = b"\xef\xbb\xbf"
COLUMNS = {"documents.csv": DOCUMENT_COLUMNS, "references.csv": REFERENCE_COLUMNS,
           "tasks.csv": TASK_COLUMNS, "units.csv": UNIT_COLUMNS}


@pytest.fixture(scope="module", params=SOURCES)
def sample_store(request, tmp_path_factory) -> EmbeddedStore:
    return build_store(request.param, tmp_path_factory.mktemp(f"csv-{request.param}"))


def read_table(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(BOM), "no byte-order mark: Excel would guess the encoding"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(("value", "shown"), [
    (None, ""),
    (True, "yes"),
    (False, "no"),
    (["Sở Nội vụ", "", None, "Công an tỉnh"], "Sở Nội vụ | Công an tỉnh"),
    (0.5, 0.5),
    ("Quý IV/2025", "Quý IV/2025"),
])
def test_cells(value: object, shown: object) -> None:
    assert cell(value) == shown


def test_folder_tables_have_one_row_per_item(sample_store: EmbeddedStore, tmp_path: Path) -> None:
    assert write_csv(sample_store, tmp_path / "out") == list(COLUMNS)
    rows = {name: read_table((tmp_path / "out" / name).read_bytes()) for name in COLUMNS}
    for name, columns in COLUMNS.items():
        header = (tmp_path / "out" / name).read_bytes().decode("utf-8-sig").splitlines()[0]
        assert header == ",".join(columns)
    documents = list(sample_store.nodes(DOCUMENT))
    assert {r["key"] for r in rows["documents.csv"]} == {n.key for n in documents}
    assert {r["key"] for r in rows["tasks.csv"]} == {n.key for n in sample_store.nodes(TASK)}
    assert {r["key"] for r in rows["units.csv"]} == {n.key for n in sample_store.nodes(AGENCY)}
    references = {(n.key, e.type.lower(), e.dst) for n in documents
                  for e in sample_store.edges_out(n.key, REFERENCE_TYPES)}
    assert {(r["from_key"], r["relation"], r["to_key"]) for r in rows["references.csv"]} == references


def test_vietnamese_text_survives(sample_store: EmbeddedStore, tmp_path: Path) -> None:
    write_csv(sample_store, tmp_path / "out")
    tasks = {r["key"]: r for r in read_table((tmp_path / "out" / "tasks.csv").read_bytes())}
    units = {r["key"]: r for r in read_table((tmp_path / "out" / "units.csv").read_bytes())}
    non_ascii = 0
    for node in sample_store.nodes(TASK):
        assert tasks[node.key]["text"] == node.props["text"]
        assert tasks[node.key]["deadline_raw"] == node.props["deadline_raw"]
    for node in sample_store.nodes(AGENCY):
        assert unicodedata.is_normalized("NFC", units[node.key]["name"])
        assert units[node.key]["name"] == node.props["name"]
        non_ascii += not units[node.key]["name"].isascii()
    assert non_ascii > 5, "the samples' unit names should carry Vietnamese letters"


def test_evidence_cells_keep_line_breaks_and_commas(sample_store: EmbeddedStore) -> None:
    header, rows = tables(sample_store)["references.csv"]
    parsed = read_table(BOM + csv_text((header, rows)).encode("utf-8"))
    assert [r["evidence"] for r in parsed] == [cell(row[header.index("evidence")]) for row in rows]
    assert all(r["evidence"] for r in parsed), "every reference row names where it was read"


def test_zip_holds_the_same_tables(sample_store: EmbeddedStore, tmp_path: Path) -> None:
    write_csv(sample_store, tmp_path / "out")
    write_csv(sample_store, tmp_path / "export.zip")
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        assert archive.namelist() == list(COLUMNS)
        for name in COLUMNS:
            assert archive.read(name) == (tmp_path / "out" / name).read_bytes()


def test_unwritable_target_is_a_clear_error(sample_store: EmbeddedStore, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CsvExportError, match="cannot write the CSV export"):
        write_csv(sample_store, blocker / "out")


def test_cli_csv(sample_store: EmbeddedStore, tmp_path: Path, capsys) -> None:
    target = tmp_path / "tables.zip"
    assert main(["--data", str(sample_store.data_dir), "export", "--format", "csv", "-o", str(target)]) == 0
    assert "documents.csv" in capsys.readouterr().err
    with zipfile.ZipFile(target) as archive:
        assert len(read_table(archive.read("tasks.csv"))) == len(list(sample_store.nodes(TASK)))
