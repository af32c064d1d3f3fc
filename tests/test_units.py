"""Unit lists as the OCR'd plans print them: splitting, qualifier sharing, resolution to the
gazetteer (ingest/data/agencies.yaml), unknown names kept, garbage dropped."""

from __future__ import annotations

import pytest

from ingest.text import fold
from ingest.units import Gazetteer, resolve_unit, resolve_units, split_units

COMMUNE = {"level": "commune", "jurisdiction": "Ngok Bay", "province": "Quảng Ngãi"}
PROVINCE = {"level": "province", "jurisdiction": "Quảng Ngãi", "province": "Quảng Ngãi"}


def names(text: str, context: dict) -> list[str]:
    return [u.name for u in resolve_units(text, context)]


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        # sample 000: commune units, OCR'd
        ("Cac phong chuyén mon, cac Trung tam thudc xa;", COMMUNE,
         ["các phòng chuyên môn thuộc xã", "các Trung tâm thuộc xã"]),
        ("Cong an xa; Ban Chi huy Quan sy xa;", COMMUNE, ["Công an xã", "Ban Chỉ huy Quân sự xã"]),
        ("Cong an xi", COMMUNE, ["Công an xã"]),
        ("Cong an x3", COMMUNE, ["Công an xã"]),
        # "ư" OCR'd as "ir"
        ("cac to chirc doan thé tinh", PROVINCE, ["các tổ chức đoàn thể tỉnh"]),
        ("CoOng an xa", COMMUNE, ["Công an xã"]),
        ("Uy ban Mat tran T6 quoc Viét Nam va cac td chire chinh tri - xa hoi x3", COMMUNE,
         ["Ủy ban Mặt trận Tổ quốc Việt Nam xã", "các tổ chức chính trị - xã hội xã"]),
        ("Uy ban Mt tran T quéc Viét Nam x3 va céc td churc chinh tri - xa hoi x3", COMMUNE,
         ["Ủy ban Mặt trận Tổ quốc Việt Nam xã", "các tổ chức chính trị - xã hội xã"]),
        ("cac Tram y té va cac Truong hoc trén dia ban xa.", COMMUNE,
         ["các Trạm y tế trên địa bàn xã", "các Trường học trên địa bàn xã"]),
        ("Van phong Hoi dong nhan dan va Uy ban nhan dan xa.", COMMUNE,
         ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"]),
        ("Van phong HDND va UBND xa", COMMUNE, ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"]),
        ("Trung tam Phuc vu hanh chinh cong xa.", COMMUNE, ["Trung tâm Phục vụ hành chính công xã"]),
        ("Phong Kinh té xa.", COMMUNE, ["Phòng Kinh tế xã"]),
        ("Phong Van hoa - Xa hoi xa; phong Kinh t€ xa.", COMMUNE,
         ["Phòng Văn hóa - Xã hội xã", "Phòng Kinh tế xã"]),
        ("Phong Vian hoa - Xa hoi, Trung tam Dich vu Toéng hop", COMMUNE,
         ["Phòng Văn hóa - Xã hội xã", "Trung tâm Dịch vụ tổng hợp xã"]),
        ("Cac co quan tham muu, gitp viéc Pang uy xi", COMMUNE,
         ["các cơ quan tham mưu, giúp việc Đảng ủy xã"]),
        ("Ban Nhan dan cic thon trén dia ban xa", COMMUNE, ["Ban Nhân dân các thôn trên địa bàn xã"]),
        # samples 001 and 004: provincial units
        ("S6 Khoa hoc va Céng nghé;", PROVINCE, ["Sở Khoa học và Công nghệ"]),
        ("So Khoa hoc va Cong nghe", PROVINCE, ["Sở Khoa học và Công nghệ"]),
        ("S& Noi vy, Cong an tinh, Thanh vién Ban Chi dao, cac To gidp viéc Ban Chi dao;", PROVINCE,
         ["Sở Nội vụ", "Công an tỉnh", "thành viên Ban Chỉ đạo", "các Tổ giúp việc Ban Chỉ đạo"]),
        ("Céc sé, ban, nganh; UBND céc x4, phuong, dic khu; cac co quan, don vi c0 lién quan;", PROVINCE,
         ["các sở, ban, ngành", "Ủy ban nhân dân các xã, phường, đặc khu",
          "các cơ quan, đơn vị có liên quan"]),
        ("Cac co quan, don vi, Cac s&, ban, nganh, dia phuong, cac to chirc doan thé tinh; "
         "Mt tran T quéc Viét Nam tinh", PROVINCE,
         ["các cơ quan, đơn vị", "các sở, ban, ngành, địa phương", "các tổ chức đoàn thể tỉnh",
          "Mặt trận Tổ quốc Việt Nam tỉnh"]),
        ("Van phong UBND tinh, Cong an tinh, S& Khoa hoc va Cong ngh¢", PROVINCE,
         ["Văn phòng Ủy ban nhân dân tỉnh", "Công an tỉnh", "Sở Khoa học và Công nghệ"]),
        ("Cong an tinh; Van phong UND tinh; S Khoa hoc va Cong ngh¢", PROVINCE,
         ["Công an tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Khoa học và Công nghệ"]),
        ("S& Vin hoa, Thé thao va Du lich; S& Cone thuong", PROVINCE,
         ["Sở Văn hóa, Thể thao và Du lịch", "Sở Công Thương"]),
        ("Sở Giáo dục và Đào tạo", PROVINCE, ["Sở Giáo dục và Đào tạo"]),
        ("Các sở, ban, ngành; địa phương", PROVINCE, ["các sở, ban, ngành, địa phương"]),
        ("cac so, nganh; dia phuong", PROVINCE, ["các sở, ngành, địa phương"]),
        ("Van phong Tinh uy Co quan tham muu, gitp viéc cho Tinh uy", PROVINCE,
         ["Văn phòng Tỉnh ủy", "Cơ quan tham mưu, giúp việc cho Tỉnh ủy"]),
        ("So Cong Thuong; Cty Dién luc Quang Ngai", PROVINCE,
         ["Sở Công Thương", "Công ty Điện lực Quang Ngai"]),
        ("UBND cap xa", PROVINCE, ["Ủy ban nhân dân cấp xã"]),
        # a bare scoped name takes the document's level
        ("Công an", PROVINCE, ["Công an tỉnh"]),
        ("Công an", COMMUNE, ["Công an xã"]),
        # clean text
        ("Sở Khoa học và Công nghệ, Sở Tài chính, Công an tỉnh, Sở Nội vụ", PROVINCE,
         ["Sở Khoa học và Công nghệ", "Sở Tài chính", "Công an tỉnh", "Sở Nội vụ"]),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị - xã hội xã", COMMUNE,
         ["Ủy ban Mặt trận Tổ quốc Việt Nam xã", "các tổ chức chính trị - xã hội xã"]),
    ],
)
def test_resolve_units(text: str, context: dict, expected: list[str]) -> None:
    assert [fold(n) for n in names(text, context)] == [fold(n) for n in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sở Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
        ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã",
         ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"]),
        ("Các sở, ban, ngành; địa phương", ["Các sở, ban, ngành, địa phương"]),
        ("các phòng chuyên môn, các Trung tâm thuộc xã",
         ["các phòng chuyên môn thuộc xã", "các Trung tâm thuộc xã"]),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("các phòng, ban, đơn vị trên địa bàn xã", ["các phòng, ban, đơn vị trên địa bàn xã"]),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị - xã hội xã",
         ["Ủy ban Mặt trận Tổ quốc Việt Nam xã", "các tổ chức chính trị - xã hội xã"]),
        ("Sở Nội vụ (chủ trì, tổng hợp); Sở Tài chính", ["Sở Nội vụ (chủ trì, tổng hợp)", "Sở Tài chính"]),
    ],
)
def test_split_units(text: str, expected: list[str]) -> None:
    assert split_units(text) == expected


def test_resolution_carries_kind_level_and_group() -> None:
    police = resolve_unit("Cong an xi", COMMUNE)
    assert (police.name, police.kind, police.level) == ("Công an xã", "police", "commune")
    assert not police.is_group
    dept = resolve_unit("S& Khoa hoc va Cong ngh¢", COMMUNE)
    assert (dept.kind, dept.level) == ("department", "province")
    group = resolve_unit("Céc sé, ban, nganh", PROVINCE)
    assert group.is_group and group.known


def test_unknown_well_formed_name_is_kept_with_lower_confidence() -> None:
    unit = resolve_unit("Hợp tác xã Nông nghiệp Tân Phú", COMMUNE)
    assert unit is not None and not unit.known and unit.confidence < 1.0
    assert unit.name == "Hợp tác xã Nông nghiệp Tân Phú"


@pytest.mark.parametrize("garbage", ["A oAl LA .", "~2¢>%", "3 T%/ggfz)gg", "| , ) e obs", "12/2025"])
def test_garbage_is_dropped(garbage: str) -> None:
    assert resolve_unit(garbage, PROVINCE) is None


def test_gazetteer_grows_without_code_changes() -> None:
    gaz = Gazetteer({"levels": {"xã": "commune"},
                     "agencies": [{"name": "Hợp tác xã Cà phê", "kind": "cooperative", "scoped": True}]})
    assert any(e.name == "Hợp tác xã Cà phê xã" for e in gaz.entries)


@pytest.mark.parametrize(
    "text",
    [
        "Công an  xã Ngọk Bay",
        "S& Khoa hoc va Cong nghé: Qac 50, Churong trinh ‘ A",
        "ĐẢNG ỦY XÃ Ð\u00a0Đ\tđ",
        "T\\nen khai cacz nen :[ang §0 quoc gia",
        "e\u0301 a\u0323\u0302 ",  # decomposed marks typed separately
        "İ ǅ Ⅳ ½ ²",
        "mixed 𝐀 astral",
    ],
)
def test_fast_fold_matches_reference_fold(text: str) -> None:
    from ingest import units

    assert units.fold(text) == fold(text)


def test_fast_fold_matches_reference_fold_on_samples() -> None:
    from pathlib import Path

    from ingest import units

    lines = [line for p in sorted((Path(__file__).resolve().parents[1] / "data" / "samples").glob("*.txt"))
             for line in p.read_text(encoding="utf-8").splitlines()]
    assert lines, "no sample text"
    assert [units.fold(line) for line in lines] == [fold(line) for line in lines]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PHỤ LỤC I", (7, 7)),
        ("Sở Khoa học", (9, 2)),
        ("12/2025 - ½ ²", (0, 0)),
        ("", (0, 0)),
    ],
)
def test_letter_counts(text: str, expected: tuple[int, int]) -> None:
    from ingest.units import letter_counts

    assert letter_counts(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # words of a neighbouring column after a known name are dropped
        ("Ủy ban nhân dân cấp xã liệu", "Ủy ban nhân dân cấp xã"),
        ("Sở Xây dựng quận", "Sở Xây dựng"),
        ("các sở, ngành địa tài", "các sở, ngành"),
        ("Trạm y tế xã vị trên địa bàn xã", "Trạm y tế xã"),
        ("Ủy ban nhân dân cấp xã xã", "Ủy ban nhân dân cấp xã"),  # a name with its level takes no other
        # qualifiers and level words that may follow a name are kept
        ("các phòng, ban, đơn vị trên địa bàn xã", "các phòng, ban, đơn vị trên địa bàn xã"),
        ("các sở, ban, ngành có liên quan", "các sở, ban, ngành có liên quan"),
        ("Công an tỉnh", "Công an tỉnh"),
        # a longer known name is not cut to a shorter one
        ("các doanh nghiệp viễn thông", "các doanh nghiệp viễn thông"),
        # no known head: unchanged
        ("Hợp tác xã Nông nghiệp", "Hợp tác xã Nông nghiệp"),
    ],
)
def test_trim_tail(name: str, expected: str) -> None:
    from ingest.units import trim_tail

    assert trim_tail(name) == expected


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("td chirc", "td chuc"),  # 'ư' OCR'd as 'ir'
        ("to chirc doan", "to chuc doan"),
        ("Cong an x3", "cong an xa"),
        ("S& Khoa hoc", "so khoa hoc"),
    ],
)
def test_normalise_key_undoes_ocr_confusions(printed: str, key: str) -> None:
    from ingest.units import is_unit_word, normalise_key

    assert normalise_key(printed) == key
    assert all(is_unit_word(w) for w in printed.split()[1:])


@pytest.mark.parametrize(
    ("name", "printed", "context", "expected"),
    [
        # a level word the print does not have is the document's own
        ("Trung tâm Phục vụ hành chính công cấp tỉnh", "Trung tim Phuc vu Hanh chinh cong; ca nhan", COMMUNE,
         "Trung tâm Phục vụ hành chính công xã"),
        ("Phòng Văn hóa - Xã hội đặc khu", "Phong Van hoa - X& hoi vi trén dia ban xi", COMMUNE,
         "Phòng Văn hóa - Xã hội xã"),
        # a printed level word stays, OCR'd or not
        ("Ủy ban nhân dân phường", "UBND xi phudng", PROVINCE, "Ủy ban nhân dân phường"),
        ("Ủy ban nhân dân cấp xã", "UBND cap xa", PROVINCE, "Ủy ban nhân dân cấp xã"),
        ("Sở Tư pháp", "S0 Tu phdp", PROVINCE, "Sở Tư pháp"),
    ],
)
def test_printed_level(name: str, printed: str, context: dict, expected: str) -> None:
    from ingest.units import printed_level

    assert printed_level(name, printed, context) == expected


@pytest.mark.parametrize(
    ("printed", "context", "known"),
    [
        ("Cong nghé phuong lién quan", PROVINCE, False),  # close as a string, not word by word
        ("Cong an x3 lién quan", COMMUNE, True),
    ],
)
def test_a_name_head_is_matched_word_by_word(printed: str, context: dict, known: bool) -> None:
    unit = resolve_unit(printed, context)
    assert unit is not None and unit.known is known


@pytest.mark.parametrize(
    "printed",
    ["Cong an x3", "S& Khoa hoc va Cong nghé", "Cac phong, ban, don vi trén dia ban xa",
     "Cong nghé phuong lién quan", "Trung tim Phuc vu", "UBND cap xa liệu", "ke hoach cong tac", ""],
)
def test_reads_as_known_agrees_with_resolve_unit(printed: str) -> None:
    from ingest.units import reads_as_known

    unit = resolve_unit(printed)
    assert reads_as_known(printed) is bool(unit is not None and unit.known and unit.exact)
