"""queries/resolve.py with its name index: a store that says its generation is scanned once per
kind and generation and answers as the scan does (the same id in two jurisdictions included); a
store that does not say is scanned on every call, so a write is seen at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.build import build_contribution
from graph.embedded import EmbeddedStore
from graph.model import AGENCY, DOCUMENT, PLACE, TASK
from queries import resolve
from tests.query_fixtures import PROVINCE_PLAN, build_cascade, cascade_contributions

pytest_plugins = ["tests.query_fixtures"]


class CountingStore(EmbeddedStore):
    """The embedded store with a `generation` the test sets (None: the store does not say) and a
    count of the scans (`nodes`) per kind."""

    def __init__(self, folder: Path, generation: int | None = 1) -> None:
        super().__init__(folder)
        self.generation = generation
        self.scans: dict[str | None, int] = {}

    def nodes(self, kind: str | None = None):
        self.scans[kind] = self.scans.get(kind, 0) + 1
        return super().nodes(kind)


def twin_plan() -> dict:
    """The cascade's provincial plan 3-KH/TU issued again by another province: one id, two
    documents (ids repeat across provinces)."""
    own = {**PROVINCE_PLAN["self"], "jurisdiction": "Bắc Ninh", "province": "Bắc Ninh",
           "issuer": "Tỉnh ủy Bắc Ninh"}
    return {**PROVINCE_PLAN, "file": "bacninh-3.txt", "self": own, "links": []}


def build_twins(folder: Path) -> None:
    """The hand-written cascade (tests/query_fixtures.py) with a second 3-KH/TU."""
    build_cascade(folder).write([build_contribution(twin_plan())])


@pytest.fixture
def samples(sample_store_dir, tmp_path) -> Path:
    copy = tmp_path / "samples"
    shutil.copytree(sample_store_dir, copy)
    return copy


@pytest.fixture
def twins(tmp_path) -> Path:
    build_twins(tmp_path / "twins")
    return tmp_path / "twins"


# (reference, kind, whether the samples hold what it names)
SAMPLE_REFS = [
    ("57-NQ/TW", None, True),
    ("57-nq/tw", DOCUMENT, True),
    ("57- NQ/TW", None, True),             # spaces ignored
    ("2-KH/BCĐTW", None, True),           # the number as an integer
    ("02-KH/BCDTW", DOCUMENT, True),      # accents folded
    ("01-KH/BCĐ@quang ngai", None, True),
    ("01-KH/BCĐ@Khánh Hòa", None, False),  # the id exists, not there
    ("667/KH-UBND@Ngọk Bay", DOCUMENT, True),
    ("Công an xã", AGENCY, True),         # one name, several communes
    ("cong an xa@Ngok Bay", None, True),
    ("Quảng Ngãi", PLACE, True),
    ("667/KH-UBND#II.8", None, True),
    ("667/KH-UBND#8", TASK, True),
    ("doc:57-NQ/TW@national", None, True),
    ("57-NQ~TW", None, True),
    ("57-NQ/TW", AGENCY, False),
    ("9999/KH-UBND", None, False),
]


@pytest.mark.parametrize(("ref", "kind", "exists"), SAMPLE_REFS)
def test_the_index_answers_as_the_scan(samples, ref, kind, exists):
    indexed = resolve.resolve_all(CountingStore(samples, generation=1), ref, kind)
    scanned = resolve.resolve_all(CountingStore(samples, generation=None), ref, kind)
    assert indexed == scanned
    assert bool(indexed) == exists, indexed


def test_one_scan_per_kind_and_generation(samples):
    store = CountingStore(samples, generation=1)
    for ref in ("57-NQ/TW", "01-KH/BCĐ@Quảng Ngãi", "667/KH-UBND", "02-KH/BCDTW"):
        assert resolve.resolve_all(store, ref)
    assert store.scans == {DOCUMENT: 1}
    store.generation = 2
    assert resolve.resolve_all(store, "57-NQ/TW")
    assert store.scans == {DOCUMENT: 2}


def test_a_store_without_generation_is_scanned_each_time(samples):
    store = CountingStore(samples, generation=None)
    for _ in range(3):
        assert resolve.resolve_all(store, "57-NQ/TW")
    assert store.scans == {DOCUMENT: 3}


@pytest.mark.parametrize("generation", [None, 1])
def test_a_write_is_seen(tmp_path, generation):
    """A new document is found once the store's generation moves (at once with none)."""
    store = CountingStore(tmp_path / "store", generation)
    store.write(cascade_contributions())
    with pytest.raises(resolve.NotFound):
        resolve.resolve(store, "3-KH/TU@Bắc Ninh")
    store.write([build_contribution(twin_plan())])
    if generation is not None:
        store.generation = generation + 1
    assert resolve.resolve(store, "3-KH/TU@Bắc Ninh").endswith("@Bắc Ninh")


@pytest.mark.parametrize("generation", [None, 1])
def test_one_id_in_two_jurisdictions_is_ambiguous(twins, generation):
    store = CountingStore(twins, generation)
    with pytest.raises(resolve.Ambiguous) as caught:
        resolve.resolve(store, "3-KH/TU")
    assert [key.rsplit("@", 1)[1] for key in caught.value.candidates] == ["Bắc Ninh", "Lâm Đồng"]
    assert resolve.resolve(store, "3-kh/tu@bac ninh") == caught.value.candidates[0]
    assert resolve.resolve(store, "3-KH/TU@Lâm Đồng") == caught.value.candidates[1]
    tasks = resolve.resolve_all(store, "3-KH/TU#II.1")
    assert len(tasks) == 2 and len({key.split("#")[0] for key in tasks}) == 2


def test_a_missing_reference_still_gets_suggestions(twins):
    with pytest.raises(resolve.NotFound) as caught:
        resolve.resolve(CountingStore(twins, 1), "3-KH/TV")
    assert any(s.startswith("3-KH/TU") for s in caught.value.suggestions)
