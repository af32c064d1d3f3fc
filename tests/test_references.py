"""References: relations from cues, descriptions and second-order links, footnotes, jurisdiction,
merging — on lines of the sample documents (OCR'd seeds in data/samples, clean extra documents)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract import extract_file
from ingest.references import Context, extract_references
from tests.gold_data import EXTRA, require

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
QUANG_NGAI_COMMUNE = Context(province="Quảng Ngãi", commune="Ngọk Bay", level="commune",
                             jurisdiction="Ngọk Bay", is_plan=True)


def refs(text: str, context: Context | None = None) -> dict[str, dict]:
    references, _links = extract_references(text, context or QUANG_NGAI_COMMUNE)
    return {r["id"]: r for r in references}


def sample(prefix: str) -> dict:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return extract_file(path)


def by_id(record: dict) -> dict[str, dict]:
    return {r["id"]: r for r in record["references"]}


# ---- relations from the cue before the mention (OCR'd sample lines) ------------------------------

@pytest.mark.parametrize(("text", "ref_id", "relation"), [
    # 000 title: "Triển khai thực hiện Kế hoạch số 01-KH/BCĐ"
    ("KE HOACH\n\nTrién khai thyuc hién Ké hoach sé 01-KH/BCP, ngay 17/10/2025 ciia Ban\n"
     "Chi dao tinh veé phat trién khoa hoc", "01-KH/BCĐ", "implements"),
    # 003 preamble: "Căn cứ"
    ("Can cir Nghi quyét s6 57-NQ/TW ngay 22/12/2024 ciia B Chinh tri vé dot\n"
     "phé phét trién khoa hoc;\n", "57-NQ/TW", "based_on"),
    # 000 purpose: "Quán triệt và triển khai … Thông báo Kết luận số 07-TB/CQTTBCĐ"
    ("1. Muc dich: Quan triét va trién khai nghiém tac, hiéu qua Thong bao Két\n"
     "luan s6 07- TB/CQTTBCPD ngay 15/10/2025 ciia dong chi Tong Bi thu", "07-TB/CQTTBCĐ", "implements"),
    # 003 purpose: "Cụ thể hóa … tại Nghị quyết số …"
    ("- Cu thé hoa cac quan diém, muyc tiéu, nhiém vu va giai phap tai Nghi\n"
     "quyét s6 57-NQ/TW, Nghi quyét s6 71/NQ-CP va Ké hoach s6 02-KH/BCDTW", "71/NQ-CP", "implements"),
    # 000 task II.8: "theo chỉ đạo tại … Công văn số 85-CV/TU"
    ("8. Tang cuwong cong tac bio dam an ninh mang theo chi dao tai ciia Thwong trwe Tinh uy tai Cong\n"
     "vin so 85-\nCV/TU ngay 15/10/2025", "85-CV/TU", "implements"),
    # 000 task II.5: complying with a decree is a citation
    ("5. Ra soat, b sung ha tang tai b phin mjt cira cAp xa bao dam phuc vu gidi quyét thit tuc\n"
     "hanh chinh theo Nghi dinh s\n118/2025/ND-CP:\n", "118/2025/NĐ-CP", "cites"),
    # 002 footnote: "Xét nội dung tham mưu … tại Công văn số 189/CV-VHXH"
    ("1 Xét ngi dung tham muu ciia phong Vin hoa - X4 hoi tai Cong van s6 189/CV-VHXH, ngay 09/10/2025.",
     "189/CV-VHXH", "based_on"),
    # 001 preamble: "qua xem xét đề xuất … tại các Văn bản"
    ("qua xem xét dé xuat cua Sé Khoa hoc va\nCong nghé (Co quan Thuong truc Ban Chi dao) tai cac Van "
     "ban: SO 1749/TTr-\nSKHCN ngay 29/9/2025", "1749/TTr-SKHCN", "based_on"),
    # 002 body: "Căn cứ chức năng, nhiệm vụ, … quán triệt Nghị quyết": the nearer cue governs
    ("Can ctr chirc ning, nhiém vu, to chuc phd bién, quan triét Nghi quyét sb 57-\nNQ/TW cua Bo "
     "Chinh tri", "57-NQ/TW", "implements"),
    # a plan of Hồ Chí Minh City (2019): complying "theo quy định tại" a decree cites it
    ("Sở, ban, ngành thực hiện đúng yêu cầu, tiến độ tại Kế hoạch, bảo đảm tiến độ vận hành chính thức Hệ "
     "thống đánh giá hài lòng theo quy định tại Nghị định số\n61/2018/NĐ-CP.", "61/2018/NĐ-CP", "cites"),
    # 002 targets: a document named without any cue is cited
    ("+ Bao dam cung cap dich vu cong truc tuyén toan trinh d6i véi 82 nhém thu\ntuc hanh chinh theo "
     "Quyét dinh s6 06/QD-TTg ngay 06/01/2022", "06/QĐ-TTg", "cites"),
])
def test_relation_from_the_cue(text: str, ref_id: str, relation: str) -> None:
    assert refs(text)[ref_id]["relation"] == relation


@pytest.mark.parametrize(("text", "ref_id", "level", "jurisdiction"), [
    # "thành phố" with OCR's "6" for "ố" is the issuer's level, before the territory's commune
    ("Trien khai thuc hien Ke hoach so 585/KH-UBND ngày 29/07/2025 cua Uy ban nhan dan\n"
     "thanh ph6 Cân Thơ tren dia ban xã Hiep Hung, thanh phố Can Tho", "585/KH-UBND", "province", "Cần Thơ"),
    # the province's name on the next line
    ("Triển khai thuc hien Ke hoach sé 62/KH-UBND ngay 30/08/2025 cila Uy ban nhan dân tinh\n"
     "An Giang tren đja ban xa An Bien, tnh An Giang", "62/KH-UBND", "province", "An Giang"),
    # "tỉnh" with its ỉ lost
    ("Thuc hien Ké hoach so 62/KH-UBND ngay 30/08/2025 cila iiy ban nhan dân tnh An Giang,",
     "62/KH-UBND", "province", "An Giang"),
])
def test_issuer_place_of_a_reference(text: str, ref_id: str, level: str, jurisdiction: str) -> None:
    found = refs(text, Context(level="commune", province="Hải Phòng", jurisdiction="An Biên"))[ref_id]
    assert (found["level"], found["jurisdiction"]) == (level, jurisdiction)


def test_a_review_conference_of_a_resolution_cites_it() -> None:
    text = ("Ngày 02/7/2025, Ban Chỉ đạo Trung ương đã tổ chức Hội nghị sơ kết công tác 6 tháng đầu năm "
            "và nhiệm vụ trọng tâm 6 tháng cuối năm 2025 thực hiện Nghị quyết số 57-NQ/TW, ngày "
            "22/12/2024 của Bộ Chính trị.")
    assert refs(text, Context(level="national", jurisdiction="national"))["57-NQ/TW"]["relation"] == "cites"


def test_amending_is_read_from_the_description() -> None:
    text = ("Căn cứ Nghị định số 88/2017/NĐ-CP ngày 27/7/2017 của Chính phủ sửa đổi, bổ sung một số điều "
            "của Nghị định số 56/2015/NĐ-CP ngày 09/6/2015 của Chính phủ;\n")
    references, links = extract_references(text, Context(level="province", province="Hải Phòng"))
    found = {r["id"]: r["relation"] for r in references}
    assert found == {"88/2017/NĐ-CP": "based_on", "56/2015/NĐ-CP": "cites"}
    assert [(lk["from"], lk["to"], lk["relation"]) for lk in links] == \
        [("88/2017/NĐ-CP", "56/2015/NĐ-CP", "amends")]


# ---- descriptions: second-order links --------------------------------------------------------------

def test_a_document_named_in_a_description_is_cited_and_linked() -> None:
    # 000 footnote 1: "Kế hoạch số 01-KH/BCĐ … về thực hiện các nhiệm vụ được giao tại Thông báo số 07-TB/…"
    text = ("Căn cứ Kế hoạch số 59/KH-UBND\nngày 25/4/2022 của UBND tỉnh về thực hiện Nghị quyết số "
            "05-NQ/TU ngày 20/9/2021\ncủa Ban Thường vụ Tỉnh ủy (khóa XX) về chuyển đổi số Bình Định;\n")
    references, links = extract_references(text, Context(level="province", province="Bình Định",
                                                         jurisdiction="Bình Định", is_plan=True))
    found = {r["id"]: r for r in references}
    assert found["59/KH-UBND"]["relation"] == "based_on"
    assert found["05-NQ/TU"]["relation"] == "cites"
    assert [(lk["from"], lk["to"], lk["relation"]) for lk in links] == \
        [("59/KH-UBND", "05-NQ/TU", "implements")]


def test_second_order_links_in_an_ocr_footnote() -> None:
    record = sample("000")
    links = {(lk["from"], lk["to"]): lk["relation"] for lk in record["links"]}
    assert links[("01-KH/BCĐ", "07-TB/CQTTBCĐ")] == "implements"
    assert links[("17-KH/ĐU", "02-KH/BCĐTW")] == "implements"


def test_a_list_after_a_semicolon_is_not_a_description() -> None:
    # 001 purpose: "…; Nghị quyết số 13-NQ/TU …; Kế hoạch hành động số 359-KH/TU … về thực hiện NQ 57"
    found = by_id(sample("001"))
    assert found["13-NQ/TU"]["relation"] == "implements"
    assert found["327/QĐ-UBND"]["relation"] == "implements"


# ---- footnotes ------------------------------------------------------------------------------------------

def test_footnote_cue_wins_over_the_plan() -> None:
    found = by_id(sample("000"))
    assert found["187/TTr-VHXH"]["relation"] == "based_on"  # "Trên cơ sở tham mưu … tại Tờ trình"


def test_footnote_without_a_cue_takes_the_plan_relation() -> None:
    found = by_id(sample("000"))
    for ref_id in ("22-CV/TU", "359-KH/TU", "02-CV/BCĐ", "17-KH/ĐU", "44-TB/TGV"):
        assert found[ref_id]["relation"] == "implements", ref_id


def test_footnote_of_a_regulation_is_cited() -> None:
    found = by_id(sample("004"))
    assert found["02-QC/BCĐTW"]["relation"] == "cites"
    assert found["04-KH/BCĐ"]["relation"] == "implements"


def test_footnote_references_are_anchored_to_the_marker() -> None:
    from ingest.text import fold

    text = (SAMPLES / "000_a0bb7dffa801626d.txt").read_text(encoding="utf-8")
    references, _ = extract_references(text, QUANG_NGAI_COMMUNE)
    found = {r["id"]: r for r in references}
    lines = text.split("\n")
    # footnote 1's marker is the "?" after "chuyển đổi số" in the opening sentence
    (anchor,) = found["75/KH-UBND"]["anchors"]
    assert "so?" in fold(lines[anchor - 1])
    # footnote 3 lists the directions that task II.1 (line 63) concretises
    assert found["22-CV/TU"]["anchors"] == [63]
    assert 91 in found["22-CV/TU"]["footnote_lines"]


# ---- jurisdiction --------------------------------------------------------------------------------------

def test_bare_provincial_body_is_the_documents_province() -> None:
    found = by_id(sample("000"))
    assert (found["01-KH/BCĐ"]["level"], found["01-KH/BCĐ"]["jurisdiction"]) == ("province", "Quảng Ngãi")
    assert found["22-CV/TU"]["jurisdiction"] == "Quảng Ngãi"


def test_commune_party_committee_is_the_documents_commune() -> None:
    found = by_id(sample("000"))
    assert (found["17-KH/ĐU"]["level"], found["17-KH/ĐU"]["jurisdiction"]) == ("commune", "Ngọk Bay")
    assert found["187/TTr-VHXH"]["level"] == "commune"


def test_national_issuers_are_national() -> None:
    found = by_id(sample("000"))
    for ref_id in ("57-NQ/TW", "02-KH/BCĐTW", "07-TB/CQTTBCĐ", "44-TB/TGV", "118/2025/NĐ-CP"):
        assert found[ref_id]["jurisdiction"] == "national", ref_id


def test_a_named_place_wins_over_the_documents_own() -> None:
    text = ("Thực hiện Kế hoạch số 50/KH-UBND ngày 11/3/2024 của UBND huyện Sơn Tịnh về triển khai thực "
            "hiện Nghị quyết số 13-NQ/TU ngày 06/9/2023 của Ban Thường vụ Tỉnh ủy khóa XX về Chuyển đổi số "
            "tỉnh Quảng Ngãi;")
    found = refs(text, Context(province="Quảng Ngãi", commune="Tịnh Trà", level="commune",
                               jurisdiction="Tịnh Trà", is_plan=True))
    assert (found["50/KH-UBND"]["level"], found["50/KH-UBND"]["jurisdiction"]) == ("district", "Sơn Tịnh")
    assert found["13-NQ/TU"]["jurisdiction"] == "Quảng Ngãi"


def test_bare_district_body_resolved_from_later_in_the_sentence() -> None:
    (_gold, corpus_dir), = require(EXTRA)
    record = extract_file(corpus_dir / "21_kh335-ubnd-camha-2022.txt")
    plan = by_id(record)["2788/KH-UBND"]
    assert (plan["level"], plan["jurisdiction"]) == ("district", "Cẩm Xuyên")


# ---- merging, self, dates ---------------------------------------------------------------------------

def test_one_notice_printed_with_two_symbols_is_merged() -> None:
    found = by_id(sample("000"))
    notices = [r for r in found.values() if r["id"].startswith("06-TB/")]
    assert len(notices) == 1
    assert {m["line"] for m in notices[0]["mentions"]} == {88, 202}


def test_two_documents_with_one_id_and_different_dates_stay_apart() -> None:
    (_gold, corpus_dir), = require(EXTRA)
    record = extract_file(corpus_dir / "08_qd146-ttg-2022.txt")
    dates = sorted(r["date"] for r in record["references"] if r["id"] == "50/NQ-CP")
    assert dates == ["2020-04-17", "2021-05-20"]


def test_the_document_itself_is_not_a_reference() -> None:
    record = sample("001")  # header lost; its id shows only in the appendix headings
    assert record["self"]["id"] == "52/KH-BCĐ"
    assert "52/KH-BCĐ" not in by_id(record)


def test_mentions_are_exact_substrings_at_their_line() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        (path,) = SAMPLES.glob(f"{prefix}_*.txt")
        lines = path.read_text(encoding="utf-8").split("\n")
        for reference in extract_file(path)["references"]:
            for mention in reference["mentions"]:
                first = mention["raw"].split("\n")[0]
                assert first in lines[mention["line"] - 1], (prefix, mention)


def test_dates_are_read_after_the_id_even_when_ocr_lost_the_slashes() -> None:
    found = by_id(sample("000"))
    assert found["01-KH/BCĐ"]["date"] == "2025-10-17"
    assert found["02-KH/BCĐTW"]["date"] == "2025-06-19"  # "02-KH/BCDTW 19/6/2025" (no "ngày")
    assert found["118/2025/NĐ-CP"]["date"] is None


def test_the_alias_short_form_is_a_mention() -> None:
    found = by_id(sample("004"))
    notice = found["07-TB/CQTTBCĐ"]
    assert {"line": 21, "raw": "07-CQTTBCD"} in notice["mentions"]
    assert notice["aliases"]


def test_project_known_by_number_only() -> None:
    found = by_id(sample("002"))
    assert found["Đề án 06"]["relation"] == "implements"  # "Chủ trì thực hiện Đề án 06"
    assert found["Đề án 06"]["jurisdiction"] == "national"


def test_a_title_carrying_out_an_unnumbered_programme_implements_its_issuer() -> None:
    # 003's title: "Triển khai thực hiện Chương trình hành động của Chính phủ thực hiện Nghị quyết 57";
    # line 13: "Nghị quyết số 03/NQ-CP … về ban hành Chương trình hành động của Chính phủ …"
    assert by_id(sample("003"))["03/NQ-CP"]["relation"] == "implements"


def test_a_title_amending_the_programme_keeps_the_stronger_basis() -> None:
    (_gold, corpus_dir), = require(EXTRA)
    record = extract_file(corpus_dir / "06_nq71-cp-2025.txt")  # "Sửa đổi, bổ sung … Chương trình hành động"
    assert by_id(record)["03/NQ-CP"]["relation"] == "based_on"


def test_bracketed_footnotes_of_a_web_copy() -> None:
    """000's opening sentence and footnote 1 as a web copy of the Word file prints them ("[1]")."""
    text = ("KẾ HOẠCH\n\nThực hiện kế hoạch của Ủy ban nhân dân tỉnh, Ban Chỉ đạo tỉnh về phát triển khoa "
            "học, công nghệ, đổi mới sáng tạo và chuyển đổi số[1], Ủy ban nhân dân xã Ngọk Bay ban hành "
            "Kế hoạch triển khai thực hiện như sau:\nI. MỤC ĐÍCH, YÊU CẦU\n"
            "[1] Kế hoạch số 75/KH-UBND, ngày 04/11/2025 của Ủy ban nhân dân tỉnh Quảng Ngãi.\n"
            "[2] Trên cơ sở tham mưu của phòng Văn hóa - Xã hội xã tại Tờ trình số 187/TTr-VHXH ngày "
            "07/11/2025.\n")
    references, _ = extract_references(text, QUANG_NGAI_COMMUNE)
    found = {r["id"]: r for r in references}
    assert found["75/KH-UBND"]["relation"] == "implements"
    assert found["75/KH-UBND"]["anchors"] == [3]
    assert found["187/TTr-VHXH"]["relation"] == "based_on"
    assert found["75/KH-UBND"]["footnote_lines"] == [5]


def test_a_number_only_name_is_an_alias_when_unambiguous() -> None:
    text = ("Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;\n"
            "Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ;\n"
            "- Tuyên truyền sâu rộng về Nghị quyết 57 và Kế hoạch 12 trong toàn xã.\n")
    found = refs(text)
    assert found["57-NQ/TW"]["aliases"] == ["Nghị quyết 57"]
    assert found["57-NQ/TW"]["alias_lines"] == [3]
    assert "aliases" not in found["71/NQ-CP"]


def test_an_alias_that_names_a_body_is_not_a_documents() -> None:
    (_gold, corpus_dir), = require(EXTRA)
    record = extract_file(corpus_dir / "11_tb05-bcdtw-2025.txt")  # "(sau đây gọi tắt là Ban Chỉ đạo)"
    assert all("aliases" not in r for r in record["references"])


def test_a_cue_ending_in_a_colon_governs_the_bulleted_list_under_it() -> None:
    """003's preamble documents set as a bulleted list under one "Căn cứ …:" line."""
    text = ("Căn cứ các văn bản sau:\n"
            "- Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học,\n"
            "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;\n"
            "- Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 của Ban Chỉ đạo Trung ương;\n"
            "I. MỤC TIÊU\n"
            "- Cung cấp dịch vụ công trực tuyến toàn trình theo Quyết định số 06/QĐ-TTg ngày 06/01/2022.\n")
    found = refs(text, Context(province="Đồng Nai", commune="Phú Trung", level="commune",
                               jurisdiction="Phú Trung"))
    assert found["57-NQ/TW"]["relation"] == "based_on"
    assert found["02-KH/BCĐTW"]["relation"] == "based_on"
    assert found["06/QĐ-TTg"]["relation"] == "cites"  # under a section heading, not the list head
