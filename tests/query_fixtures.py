"""Stores for the query and API tests.

`cascade_store`: a small hand-written cascade in the extractor's record format (a national
resolution, a provincial plan, two commune plans, a stub provincial plan known only from a
second-order reference), built through graph.build and the embedded store — no extractor needed.
`sample_store`: data/samples through the real pipeline (extractor → builder → store); skips with
a message while the extractor is not available.
`generated_store_dir`: a cascade written by bench/generate.py, through the same pipeline.
`all_pages` and `page_rows` read a trace-down answer page by page.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from graph.build import build_contribution
from graph.embedded import EmbeddedStore
from graph.model import CARRIES_OUT, TASK, Contribution, Edge, Node, document_key, task_key

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"


def mention(line: int, raw: str) -> list[dict]:
    return [{"line": line, "raw": raw}]


def reference(doc_id: str, jurisdiction: str, level: str, relation: str, line: int, **extra) -> dict:
    return {"id": doc_id, "type": extra.pop("type", "Kế hoạch"), "jurisdiction": jurisdiction,
            "level": level, "relation": relation, "mentions": mention(line, doc_id), **extra}


def task(number: str, text: str, lead: list[str], support: list[str], kind: str, value: str | None,
         line: int, cites: list[str] | None = None) -> dict:
    return {"section": "II", "number": number, "text": text, "lead": lead, "support": support,
            "deadline_raw": value or "Thường xuyên", "deadline": {"kind": kind, "value": value},
            "cites": cites or [], "line": line}


PROVINCE_PLAN = {
    "file": "lamdong-3.txt",
    "self": {"id": "3-KH/TU", "type": "Kế hoạch", "issuer": "Tỉnh ủy Lâm Đồng", "jurisdiction": "Lâm Đồng",
             "province": "Lâm Đồng", "level": "province", "date": "2025-02-01",
             "title": "Thực hiện Nghị quyết số 9-NQ/TW về chuyển đổi số",
             "evidence": mention(5, "Thực hiện Nghị quyết số 9-NQ/TW về chuyển đổi số")},
    "references": [
        reference("9-NQ/TW", "national", "national", "implements", 5, type="Nghị quyết"),
        reference("8-KH/BCĐ", "Cao Bằng", "province", "cites", 30),
    ],
    "links": [{"from": "8-KH/BCĐ", "to": "9-NQ/TW", "relation": "implements",
               "mentions": mention(30, "8-KH/BCĐ")}],
    "tasks": [
        task("1", "Xây dựng nền tảng dữ liệu dùng chung của tỉnh", ["Sở Khoa học và Công nghệ"], [],
             "quarter", "2025-Q4", 40),
        task("2", "Đào tạo kỹ năng số cho cán bộ", ["Sở Nội vụ"], ["Công an tỉnh"], "year", "2026", 44),
    ],
}

COMMUNE_PLAN = {
    "file": "bacbinh-20.txt",
    "self": {"id": "20/KH-UBND", "type": "Kế hoạch", "issuer": "Ủy ban nhân dân xã Bắc Bình",
             "jurisdiction": "Bắc Bình", "province": "Lâm Đồng", "level": "commune", "date": "2025-03-01",
             "title": "Triển khai Kế hoạch số 3-KH/TU của Tỉnh ủy",
             "evidence": mention(6, "Triển khai Kế hoạch số 3-KH/TU của Tỉnh ủy")},
    "references": [
        reference("3-KH/TU", "Lâm Đồng", "province", "implements", 6),
        reference("9-NQ/TW", "national", "national", "cites", 12, type="Nghị quyết"),
        reference("5/TTr-VHXH", "Bắc Bình", "commune", "based_on", 14, type="Tờ trình"),
    ],
    "tasks": [
        task("1", "Bảo đảm an ninh mạng trên địa bàn xã", ["Công an xã"], [], "month", "2025-11", 50,
             cites=["9-NQ/TW"]),
        task("2", "Rà soát thủ tục hành chính trực tuyến", ["Văn phòng HĐND và UBND xã"], ["Công an xã"],
             "recurring", None, 55),
    ],
}

OTHER_COMMUNE_PLAN = {
    "file": "anlac-40.txt",
    "self": {"id": "40/KH-UBND", "type": "Kế hoạch", "issuer": "Ủy ban nhân dân xã An Lạc",
             "jurisdiction": "An Lạc", "province": "Bắc Ninh", "level": "commune", "date": "2025-04-01",
             "title": "Thực hiện Nghị quyết 9-NQ/TW", "evidence": mention(4, "Thực hiện Nghị quyết 9-NQ/TW")},
    "references": [reference("9-NQ/TW", "national", "national", "implements", 4, type="Nghị quyết"),
                   {**reference("8-KH/BCĐ", "Cao Bằng", "province", "cites", 9),
                    "mentions": mention(9, "8-KH/BCP")}],
    "tasks": [task("1", "Tuyên truyền về chuyển đổi số", ["Công an xã"], [], "date", "2027-01-15", 20)],
}


def add_carries_out(contribution: Contribution) -> None:
    """Commune task II.1 carries out the provincial task II.1 (the builder does not infer these).
    The store keeps an edge from the files that state both its ends, so the provincial task is
    stated here too, as a reference."""
    province_doc = document_key("3-KH/TU", "Lâm Đồng")
    commune_doc = document_key("20/KH-UBND", "Bắc Bình")
    upper = task_key(province_doc, "II", "1")
    evidence = {"file": "bacbinh-20.txt", "line": 50, "raw": "Bảo đảm an ninh mạng"}
    contribution.nodes.append(Node(upper, TASK, {"document": province_doc}))
    contribution.edges.append(Edge(task_key(commune_doc, "II", "1"), upper, CARRIES_OUT,
                                   {"confidence": 0.9, "evidence": [evidence]}))


def cascade_contributions() -> list[Contribution]:
    contributions = [build_contribution(r) for r in (PROVINCE_PLAN, COMMUNE_PLAN, OTHER_COMMUNE_PLAN)]
    add_carries_out(contributions[1])
    return contributions


def build_cascade(folder: Path) -> EmbeddedStore:
    store = EmbeddedStore(folder)
    store.write(cascade_contributions())
    return store


@pytest.fixture
def cascade_store(tmp_path) -> EmbeddedStore:
    return build_cascade(tmp_path / "cascade")


def extractor():
    try:
        from ingest.extract import extract_file
    except ImportError as exc:
        pytest.skip(f"the extractor (ingest.extract.extract_file) is not available yet: {exc}")
    return extract_file


def build_samples(folder: Path) -> EmbeddedStore:
    extract_file = extractor()
    store = EmbeddedStore(folder)
    store.write([build_contribution(extract_file(path), source_file=path.name)
                 for path in sorted(SAMPLES.glob("*.txt"))])
    return store


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("samples-store")
    build_samples(folder)
    return folder


@pytest.fixture
def sample_store(sample_store_dir, tmp_path) -> EmbeddedStore:
    """A private copy of the session's sample store (tests may write to it)."""
    copy = tmp_path / "store"
    shutil.copytree(sample_store_dir, copy)
    return EmbeddedStore(copy)


def bench_generator():
    """bench/generate.py, loaded by path (bench/ is not a package the tests import)."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_generate", module)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="session")
def generated_store_dir(tmp_path_factory) -> Path:
    """A generated cascade (bench/generate.py: 24 communes of several provinces, 2 plans each, 6
    tasks a plan) through the extractor and the builder."""
    extract_file = extractor()
    corpus = tmp_path_factory.mktemp("generated")
    bench_generator().generate(corpus, 24, plans=2, tasks=6, seed=5, per_province=1)
    folder = tmp_path_factory.mktemp("generated-store")
    EmbeddedStore(folder).write([build_contribution(extract_file(path), source_file=path.name)
                                 for path in sorted(corpus.glob("*.txt"))])
    return folder


def all_pages(store, ref: str, size: int, **options) -> list[dict]:
    """Every page of `trace_down(ref)` of `size` documents, first to last (one empty page past
    the end included)."""
    from queries import trace

    pages, offset = [], 0
    while True:
        pages.append(trace.trace_down(store, ref, offset=offset, limit=size, **options))
        if offset >= pages[-1]["total_documents"]:
            return pages
        offset += size


def page_rows(answer: dict) -> list[tuple]:
    """(province, commune, document entry) of each document of an answer, in order."""
    return [(g["province"], g["commune"], d) for g in answer["groups"] for d in g["documents"]]
