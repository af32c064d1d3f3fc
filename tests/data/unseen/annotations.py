# ruff: noqa: E501  (one annotation row per line reads best as a table)
"""Hand annotations of the robustness set, written compactly; `python annotations.py` expands them
into gold/*.json (the format of ../../../../shared/gold-extra) and locates every mention's line.

Each row of REFS: (id, type, issuer, jurisdiction, level, date, relation, [printed forms]).
The judgements follow shared/gold/README.md and shared/corpus-extra/README.md; the notes say where a
reading was a choice.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
N = "national"

DOCS: dict[str, dict] = {
    "u01_nq-cp-chinhphu": {
        "self": ("88/NQ-CP", "Nghị quyết", "Chính phủ", N, None, N, "2024-05-14"),
        "refs": [
            ("69-KL/TW", "Kết luận", "Bộ Chính trị", N, N, "2024-01-05", "implements", []),
            ("39/2022/NĐ-CP", "Nghị định", "Chính phủ", N, N, "2022-06-18", "based_on", []),
            ("412/TTr-BKHCN", "Tờ trình", "Bộ Khoa học và Công nghệ", N, N, "2024-04-02", "based_on", []),
            ("17/NQ-CP", "Nghị quyết", "Chính phủ", N, N, "2019-03-07", "cites", []),
        ],
        "note": "69-KL/TW: title and Điều 1 (implements) and 'Trên cơ sở' (based_on); 17/NQ-CP is repealed (cites).",
    },
    "u02_qd-ttg-thutuong": {
        "self": ("1131/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", N, None, N, "2025-06-12"),
        "refs": [
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "based_on", []),
            ("03/NQ-CP", "Nghị quyết", "Chính phủ", N, N, "2025-01-09", "based_on", []),
            ("749/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", N, N, "2020-06-03", "based_on", []),
            ("655/TTr-BGDĐT", "Tờ trình", "Bộ Giáo dục và Đào tạo", N, N, "2025-05-20", "based_on", []),
        ],
    },
    "u03_ct-ttg-thutuong": {
        "self": ("07/CT-TTg", "Chỉ thị", "Thủ tướng Chính phủ", N, None, N, "2025-03-25"),
        "refs": [
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "implements", []),
            ("03/NQ-CP", "Nghị quyết", "Chính phủ", N, N, "2025-01-09", "implements", []),
            ("06/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", N, N, "2022-01-06", "implements", []),
            ("04/CT-TTg", "Chỉ thị", "Thủ tướng Chính phủ", N, N, "2024-02-11", "cites", []),
            ("59/2022/NĐ-CP", "Nghị định", "Chính phủ", N, N, "2022-09-05", "implements", []),
        ],
        "note": "06/QĐ-TTg: task a) 'Tập trung hoàn thành các nhiệm vụ được giao tại'; 59/2022/NĐ-CP: task b) 'Thực hiện nghiêm'. Đề án 06 not recorded (no symbol).",
    },
    "u04_tt-bkhcn": {
        "self": ("12/2025/TT-BKHCN", "Thông tư", "Bộ Khoa học và Công nghệ", N, None, N, "2025-06-30"),
        "refs": [
            ("93/2025/QH15", "Luật", "Quốc hội", N, N, "2025-06-27", "based_on", []),
            ("55/2025/NĐ-CP", "Nghị định", "Chính phủ", N, N, "2025-03-02", "based_on", []),
            ("08/2017/TT-BKHCN", "Thông tư", "Bộ trưởng Bộ Khoa học và Công nghệ", N, N, "2017-06-26", "cites", []),
        ],
    },
    "u05_qd-bkhcn": {
        "self": ("2140/QĐ-BKHCN", "Quyết định", "Bộ trưởng Bộ Khoa học và Công nghệ", N, None, N, "2025-09-08"),
        "refs": [
            ("55/2025/NĐ-CP", "Nghị định", "Chính phủ", N, N, "2025-03-02", "based_on", []),
            ("71/NQ-CP", "Nghị quyết", "Chính phủ", N, N, "2025-04-01", "implements", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, None, "cites", []),
            ("1812/QĐ-BKHCN", "Quyết định", "Bộ trưởng Bộ Khoa học và Công nghệ", N, N, "2024-07-15", "cites", []),
        ],
        "note": "57-NQ/TW is named only in 71/NQ-CP's description (cites).",
    },
    "u06_nq-tw-bochinhtri": {
        "self": ("66-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, None, N, "2025-04-30"),
        "refs": [
            ("27-NQ/TW", "Nghị quyết", "Ban Chấp hành Trung ương Đảng", N, N, "2022-11-09", "implements", []),
            ("19-KL/TW", "Kết luận", "Bộ Chính trị", N, N, "2021-10-14", "cites", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "cites", []),
        ],
        "note": "27-NQ/TW: sentence opens with 'Thực hiện' (lexical implements, though in the review section); 57-NQ/TW: 'gắn kết … với việc thực hiện' (cites).",
    },
    "u07_ct-tw-banbithu": {
        "self": ("45-CT/TW", "Chỉ thị", "Ban Bí thư", N, None, N, "2025-04-14"),
        "refs": [
            ("24-QĐ/TW", "Quy định", "Ban Chấp hành Trung ương Đảng", N, N, "2021-07-30", "implements", []),
            ("118-KL/TW", "Kết luận", "Bộ Chính trị", N, N, "2025-01-18", "implements", []),
            ("35-CT/TW", "Chỉ thị", "Bộ Chính trị", N, N, "2024-06-14", "cites", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "cites", []),
        ],
        "note": "35-CT/TW and 57-NQ/TW: objects of the review ('việc thực hiện'), and 35-CT/TW is replaced (cites).",
    },
    "u08_kl-tw-bochinhtri": {
        "self": ("123-KL/TW", "Kết luận", "Bộ Chính trị", N, None, N, "2025-01-24"),
        "refs": [
            ("456-TTr/BCSĐCP", "Tờ trình", "Ban cán sự đảng Chính phủ", N, N, "2025-01-20", "based_on", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "implements", []),
            ("97-KL/TW", "Kết luận", "Ban Chấp hành Trung ương Đảng", N, N, "2024-07-15", "implements", []),
            ("01/NQ-CP", "Nghị quyết", "Chính phủ", N, N, "2025-01-08", "amends", []),
        ],
        "note": "456-TTr/BCSĐCP: the submission the conclusion answers (advisory submission in the preamble, based_on); 01/NQ-CP: 'sửa đổi, bổ sung' (amends).",
    },
    "u09_tb-vpcp": {
        "self": ("318/TB-VPCP", "Thông báo", "Văn phòng Chính phủ", N, None, N, "2025-06-19"),
        "refs": [
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, None, "cites", []),
            ("71/NQ-CP", "Nghị quyết", "Chính phủ", N, N, None, "cites", []),
            ("126/QĐ-BCĐCP", "Quyết định", "Ban Chỉ đạo của Chính phủ", N, N, "2025-04-16", "implements", []),
            ("02-KH/BCĐTW", "Kế hoạch", "Ban Chỉ đạo Trung ương", N, N, "2025-06-19", "implements", []),
        ],
    },
    "u10_kh-ubnd-langson-2024": {
        "self": ("142/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", "Lạng Sơn", "province", "2024-06-21"),
        "refs": [
            ("749/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", N, N, "2020-06-03", "based_on", []),
            ("12-NQ/TU", "Nghị quyết", "Ban Chấp hành Đảng bộ tỉnh Lạng Sơn", "Lạng Sơn", "province", "2021-11-26", "implements", []),
            ("58/TTr-STTTT", "Tờ trình", "Sở Thông tin và Truyền thông tỉnh Lạng Sơn", "Lạng Sơn", "province", "2024-06-12", "based_on", []),
            ("2045/QĐ-UBND", "Quyết định", "Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", "province", "2021-11-09", "implements", []),
            ("35/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", "province", "2024-02-15", "implements", []),
        ],
    },
    "u11_qd-ubnd-thainguyen-2025": {
        "self": ("1620/QĐ-UBND", "Quyết định", "Ủy ban nhân dân tỉnh Thái Nguyên", "Thái Nguyên", "Thái Nguyên", "province", "2025-09-18"),
        "refs": [
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "implements", []),
            ("71/NQ-CP", "Nghị quyết", "Chính phủ", N, N, "2025-04-01", "based_on", []),
            ("08-KH/TU", "Kế hoạch", "Ban Thường vụ Tỉnh ủy Thái Nguyên", "Thái Nguyên", "province", "2025-08-12", "implements", []),
            ("205/TTr-SKHCN", "Tờ trình", "Sở Khoa học và Công nghệ tỉnh Thái Nguyên", "Thái Nguyên", "province", "2025-09-10", "based_on", []),
        ],
    },
    "u12_kh-ubnd-cantho-2025": {
        "self": ("214/KH-UBND", "Kế hoạch", "Ủy ban nhân dân thành phố Cần Thơ", "Cần Thơ", "Cần Thơ", "province", "2025-10-23"),
        "refs": [
            ("07-TB/CQTTBCĐ", "Thông báo", "Cơ quan Thường trực Ban Chỉ đạo Trung ương", N, N, "2025-10-15", "implements", []),
            ("02-KH/BCĐTW", "Kế hoạch", "Ban Chỉ đạo Trung ương", N, N, "2025-06-19", "implements", []),
            ("15-KH/TU", "Kế hoạch", "Thành ủy Cần Thơ", "Cần Thơ", "province", "2025-08-28", "implements", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "implements", []),
            ("1250/QĐ-UBND", "Quyết định", "Ủy ban nhân dân thành phố Cần Thơ", "Cần Thơ", "province", "2025-08-20", "implements", []),
        ],
        "note": "Thành ủy of a centrally-run city: province level.",
    },
    "u13_qd-ubnd-hcm-2025": {
        "self": ("3305/QĐ-UBND", "Quyết định", "Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh", "Hồ Chí Minh", "Hồ Chí Minh", "province", "2025-08-27"),
        "refs": [
            ("98/2023/QH15", "Nghị quyết", "Quốc hội", N, N, "2023-06-24", "based_on", []),
            ("12-CTr/TU", "Chương trình hành động", "Thành ủy Thành phố Hồ Chí Minh", "Hồ Chí Minh", "province", "2025-07-15", "based_on", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, None, "cites", []),
            ("3571/TTr-SKHCN", "Tờ trình", "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh", "Hồ Chí Minh", "province", "2025-08-20", "based_on", []),
        ],
    },
    "u14_kh-ubnd-hue-2025": {
        "self": ("377/KH-UBND", "Kế hoạch", "Ủy ban nhân dân thành phố Huế", "Huế", "Huế", "province", "2025-09-11"),
        "refs": [
            ("1898/QĐ-BTTTT", "Quyết định", "Bộ Thông tin và Truyền thông", N, N, "2021-10-07", "based_on", []),
            ("22-KH/TU", "Kế hoạch", "Thành ủy Huế", "Huế", "province", "2025-05-05", "implements", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "cites", []),
            ("1452/UBND-KGVX", "Công văn", "Ủy ban nhân dân thành phố Huế", "Huế", "province", "2025-08-14", "cites", []),
        ],
    },
    "u15_cv-ubnd-danang-2025": {
        "self": ("2874/UBND-KT", "Công văn", "Ủy ban nhân dân thành phố Đà Nẵng", "Đà Nẵng", "Đà Nẵng", "province", "2025-10-16"),
        "refs": [
            ("318/TB-VPCP", "Thông báo", "Văn phòng Chính phủ", N, N, "2025-06-19", "implements", []),
            ("41/KH-UBND", "Kế hoạch", "Ủy ban nhân dân thành phố Đà Nẵng", "Đà Nẵng", "province", "2025-03-10", "implements", []),
            ("1987/SKHCN-CĐS", "Công văn", "Sở Khoa học và Công nghệ thành phố Đà Nẵng", "Đà Nẵng", "province", "2025-10-09", "based_on", []),
            ("2240/QĐ-UBND", "Quyết định", "Ủy ban nhân dân thành phố Đà Nẵng", "Đà Nẵng", "province", "2025-08-01", "cites", []),
        ],
    },
    "u16_kh-tu-angiang-2025": {
        "self": ("27-KH/TU", "Kế hoạch", "Ban Thường vụ Tỉnh ủy An Giang", "An Giang", "An Giang", "province", "2025-08-22"),
        "refs": [
            ("66-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2025-04-30", "implements", []),
            ("48-KH/TW", "Kế hoạch", "Bộ Chính trị", N, N, "2025-05-12", "implements", []),
            ("01-QC/TU", "Quy chế", "Ban Chấp hành Đảng bộ tỉnh An Giang", "An Giang", "province", "2025-07-10", "based_on", []),
            ("05-CTr/TU", "Chương trình hành động", "Tỉnh ủy An Giang", "An Giang", "province", "2025-07-25", "cites", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, None, "cites", []),
        ],
    },
    "u17_ctr-tu-tuyenquang-2025": {
        "self": ("09-CTr/TU", "Chương trình hành động", "Ban Thường vụ Tỉnh ủy Tuyên Quang", "Tuyên Quang", "Tuyên Quang", "province", "2025-09-04"),
        "refs": [
            ("68-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2025-05-04", "implements", []),
            ("138/NQ-CP", "Nghị quyết", "Chính phủ", N, N, "2025-05-16", "based_on", []),
            ("15-CV/TU", "Công văn", "Tỉnh ủy Tuyên Quang", "Tuyên Quang", "province", "2025-07-14", "implements", []),
            ("110/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Tuyên Quang", "Tuyên Quang", "province", "2025-07-30", "cites", []),
        ],
    },
    "u18_cv-skhcn-laocai-2025": {
        "self": ("1345/SKHCN-CĐS", "Công văn", "Sở Khoa học và Công nghệ tỉnh Lào Cai", "Lào Cai", "Lào Cai", "province", "2025-10-24"),
        "refs": [
            ("320/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Lào Cai", "Lào Cai", "province", "2025-10-07", "implements", []),
            ("2418/QĐ-UBND", "Quyết định", "Ủy ban nhân dân tỉnh Lào Cai", "Lào Cai", "province", "2025-09-15", "based_on", []),
            ("12/2025/TT-BKHCN", "Thông tư", "Bộ Khoa học và Công nghệ", N, N, "2025-06-30", "cites", []),
        ],
    },
    "u19_qd-skhcn-tuyenquang-2025": {
        "self": ("215/QĐ-SKHCN", "Quyết định", "Giám đốc Sở Khoa học và Công nghệ tỉnh Tuyên Quang", "Tuyên Quang", "Tuyên Quang", "province", "2025-11-06"),
        "refs": [
            ("35/2025/QĐ-UBND", "Quyết định", "Ủy ban nhân dân tỉnh Tuyên Quang", "Tuyên Quang", "province", "2025-07-01", "based_on", []),
            ("09-CTr/TU", "Chương trình hành động", "Ban Thường vụ Tỉnh ủy Tuyên Quang", "Tuyên Quang", "province", "2025-09-04", "based_on", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, None, "cites", []),
        ],
        "note": "57-NQ/TW is named inside the name of a working group (cites).",
    },
    "u20_kh-ubnd-huyen-vanquan-2023": {
        "self": ("96/KH-UBND", "Kế hoạch", "Ủy ban nhân dân huyện Văn Quan", "Văn Quan", "Lạng Sơn", "district", "2023-04-17"),
        "refs": [
            ("58/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Lạng Sơn", "Lạng Sơn", "province", "2023-03-06", "implements", []),
            ("08-NQ/HU", "Nghị quyết", "Ban Chấp hành Đảng bộ huyện Văn Quan", "Văn Quan", "district", "2021-12-20", "based_on", []),
            ("1898/QĐ-BTTTT", "Quyết định", "Bộ Thông tin và Truyền thông", N, N, "2021-10-07", "implements", []),
            ("12/HD-STTTT", "Hướng dẫn", "Sở Thông tin và Truyền thông tỉnh Lạng Sơn", "Lạng Sơn", "province", "2023-02-21", "cites", []),
        ],
    },
    "u21_kh-hu-bachthong-2024": {
        "self": ("112-KH/HU", "Kế hoạch", "Ban Thường vụ Huyện ủy Bạch Thông", "Bạch Thông", "Bắc Kạn", "district", "2024-05-09"),
        "refs": [
            ("69-KL/TW", "Kết luận", "Bộ Chính trị", N, N, "2024-01-05", "implements", []),
            ("245-KH/TU", "Kế hoạch", "Ban Thường vụ Tỉnh ủy Bắc Kạn", "Bắc Kạn", "province", "2024-03-22", "implements", []),
            ("08-NQ/HU", "Nghị quyết", "Ban Chấp hành Đảng bộ huyện Bạch Thông", "Bạch Thông", "district", "2021-12-15", "implements", []),
        ],
        "note": "08-NQ/HU: 'Quán triệt' in the purpose section (implements).",
    },
    "u22_kh-ubnd-phuong-haichau-2025": {
        "self": ("58/KH-UBND", "Kế hoạch", "Ủy ban nhân dân phường Hải Châu", "Hải Châu", "Đà Nẵng", "commune", "2025-10-20"),
        "refs": [
            ("41/KH-UBND", "Kế hoạch", "Ủy ban nhân dân thành phố Đà Nẵng", "Đà Nẵng", "province", "2025-03-10", "implements", []),
            ("2874/UBND-KT", "Công văn", "Ủy ban nhân dân thành phố Đà Nẵng", "Đà Nẵng", "province", "2025-10-16", "implements", []),
            ("05-NQ/ĐU", "Nghị quyết", "Đảng ủy phường Hải Châu", "Hải Châu", "commune", "2025-08-15", "implements", []),
            ("118/2025/NĐ-CP", "Nghị định", "Chính phủ", N, N, "2025-06-09", "cites", []),
            ("35/QĐ-UBND", "Quyết định", "Ủy ban nhân dân phường Hải Châu", "Hải Châu", "commune", "2025-07-01", "cites", []),
        ],
    },
    "u23_kh-ubnd-xa-trabong-2025": {
        "self": ("143/KH-UBND", "Kế hoạch", "Ủy ban nhân dân xã Trà Bồng", "Trà Bồng", "Quảng Ngãi", "commune", "2025-11-05"),
        "refs": [
            ("01-KH/BCĐ", "Kế hoạch", "Ban Chỉ đạo tỉnh Quảng Ngãi", "Quảng Ngãi", "province", "2025-10-30", "implements", []),
            ("52/KH-BCĐ", "Kế hoạch", "Ban Chỉ đạo Ủy ban nhân dân tỉnh Quảng Ngãi", "Quảng Ngãi", "province", "2025-10-29", "based_on", []),
            ("21-KH/ĐU", "Kế hoạch", "Đảng ủy xã Trà Bồng", "Trà Bồng", "commune", "2025-11-02", "implements", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, "2024-12-22", "implements", []),
            ("37-CV/ĐU", "Công văn", "Đảng ủy xã Trà Bồng", "Trà Bồng", "commune", "2025-11-03", "implements", []),
        ],
    },
    "u24_kh-du-baothang-2025": {
        "self": ("14-KH/ĐU", "Kế hoạch", "Ban Thường vụ Đảng ủy xã Bảo Thắng", "Bảo Thắng", "Lào Cai", "commune", "2025-09-12"),
        "refs": [
            ("07-CTr/TU", "Chương trình hành động", "Ban Chấp hành Đảng bộ tỉnh Lào Cai", "Lào Cai", "province", "2025-08-20", "implements", []),
            ("57-NQ/TW", "Nghị quyết", "Bộ Chính trị", N, N, None, "implements", []),
            ("01-QC/ĐU", "Quy chế", "Đảng ủy xã Bảo Thắng", "Bảo Thắng", "commune", "2025-07-05", "based_on", []),
            ("320/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Lào Cai", "Lào Cai", "province", "2025-10-07", "implements", []),
        ],
        "note": "57-NQ/TW and 320/KH-UBND: 'quán triệt' in the purpose section (implements).",
    },
}


def mentions(lines: list[str], printed: list[str]) -> list[dict]:
    """Every occurrence of each printed form, as {line, raw}; a form not bounded by word
    characters or another digit (so 57-NQ/TW is not found inside 157-NQ/TW)."""
    found = []
    for raw in printed:
        pattern = re.compile(r"(?<![\w/.-])" + re.escape(raw) + r"(?![\w])")
        for number, line in enumerate(lines, 1):
            found += [{"line": number, "raw": raw} for _ in pattern.finditer(line)]
    return sorted(found, key=lambda m: m["line"])


def evidence(lines: list[str], self_id: str | None, date: str | None) -> list[dict]:
    """The header lines that carry the document's identity: issuer, number, place and date."""
    rows = []
    for number, line in enumerate(lines[:12], 1):
        if line.strip() and line.strip() not in {"-------", "*", "---------------"} and "CỘNG HÒA" not in line \
                and "Độc lập" not in line and "ĐẢNG CỘNG SẢN" not in line:
            rows.append({"line": number, "raw": line})
    return rows


def title(lines: list[str]) -> str | None:
    """The title lines under the type heading, up to the first blank or body line."""
    for i, line in enumerate(lines):
        if line.isupper() and i > 5 and len(line.split()) <= 4 and not line.startswith("Số"):
            out = []
            for nxt in lines[i + 1:]:
                if not nxt.strip() or nxt.startswith(("-----", "Căn cứ", "Thực hiện", "Ngày ")) or (nxt.isupper() and len(nxt.split()) <= 5):
                    break
                out.append(nxt.strip())
            text = " ".join(out)
            return text[:1].upper() + text[1:].lower() if text.isupper() else text
    return None


def build(name: str, spec: dict) -> dict:
    lines = (HERE / "text" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    sid, stype, sissuer, sjur, sprov, slevel, sdate = spec["self"]
    refs = []
    for rid, rtype, issuer, jur, level, date, relation, printed in spec["refs"]:
        ments = mentions(lines, printed or [rid])
        if not ments:
            raise SystemExit(f"{name}: {rid} not printed")
        refs.append({"id": rid, "type": rtype, "issuer": issuer, "jurisdiction": jur, "level": level,
                     "date": date, "relation": relation, "mentions": ments})
    return {
        "file": f"{name}.txt",
        "self": {"id": sid, "type": stype, "issuer": sissuer, "jurisdiction": sjur, "province": sprov,
                 "level": slevel, "date": sdate, "title": title(lines),
                 "evidence": evidence(lines, sid, sdate), "note": spec.get("note", "")},
        "references": refs,
        "tasks": [],
    }


def main() -> None:
    out = HERE / "gold"
    out.mkdir(exist_ok=True)
    for name, spec in DOCS.items():
        doc = build(name, spec)
        (out / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
