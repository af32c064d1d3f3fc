"""Reading input files: encodings accepted, bad input refused with file, line and reason."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from ingest.errors import InputError
from ingest.reader import decode_bytes, encode_legacy, read_document

SAMPLES = sorted((Path(__file__).parent.parent / "data" / "samples").glob("*.txt"))

HEADER = ("Ủy ban nhân dân xã Ngọk Bay\nCộng hòa xã hội chủ nghĩa Việt Nam\n"
          "Độc lập - Tự do - Hạnh phúc\nKế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW ngày "
          "22 tháng 12 năm 2024 của Bộ Chính trị về phát triển khoa học, công nghệ, đổi mới sáng tạo "
          "và chuyển đổi số trên địa bàn xã\n")


def _legacy_sample(key: str) -> bytes:
    # the legacy tables cover lower-case letters, as the ".Vn" fonts of TCVN3 do
    return encode_legacy(HEADER.lower(), key)


def test_error_str_names_file_and_line():
    assert str(InputError("a.txt", "bad", line=3)) == "a.txt:3: bad"
    assert str(InputError("a.txt", "bad")) == "a.txt: bad"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_read_as_nfc_text(path):
    text = read_document(path)
    assert "\r" not in text
    assert text.splitlines()[0] == path.read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize(("data", "expected"), [
    (codecs.BOM_UTF8 + "Số: 667/KH-UBND\r\n".encode(), "Số: 667/KH-UBND\n"),
    (codecs.BOM_UTF16_LE + "Việt Nam\r\nHà Nội".encode("utf-16-le"), "Việt Nam\nHà Nội"),
    (codecs.BOM_UTF16_BE + "Quảng Ngãi\n".encode("utf-16-be"), "Quảng Ngãi\n"),
    ("Vie\u0302\u0323t".encode(), "Việt"),  # decomposed marks are composed (NFC)
    (b"line one\rline two", "line one\nline two"),
    (b"page one\x0cpage two\n", "page one\x0cpage two\n"),  # OCR page breaks are text
])
def test_accepted_encodings(data, expected):
    assert decode_bytes(data, "doc.txt") == expected


@pytest.mark.parametrize(("data", "line", "reason"), [
    (b"", None, "empty file"),
    (b" \n\n  \n", None, "only white space"),
    (codecs.BOM_UTF8, None, "only white space"),
    (b"%PDF-1.4\n\x00\x00\x01\x02binary", 2, "binary data"),
    (b"abc" + bytes(range(1, 9)) * 20, None, "binary data"),
    (b"S\xe1\xbb\x91: 1/KH\nline two\nbad \xe1\xbb here\n", 3, "byte 0xE1 at offset"),
    ("Hà Nam, café\nnote\n".encode("latin-1"), 1, "not valid UTF-8"),
    (codecs.BOM_UTF16_LE + b"a\x00\n\x00\x00\xdc", 2, "not valid UTF-16-LE"),
])
def test_refused_input(data, line, reason):
    with pytest.raises(InputError) as caught:
        decode_bytes(data, "doc.txt")
    assert caught.value.file == "doc.txt"
    assert caught.value.line == line
    assert reason in caught.value.reason


@pytest.mark.parametrize(("key", "label"), [("tcvn3", "TCVN3"), ("vni", "VNI")])
def test_legacy_bytes_are_named(key, label):
    data = _legacy_sample(key)
    assert ("vi\xd6t nam" if key == "tcvn3" else "vieät nam") in data.decode("latin-1")
    with pytest.raises(InputError, match=f"legacy Vietnamese encoding {label}"):
        decode_bytes(data, "old.txt")


def test_windows_1258_is_named():
    # Windows-1258 has no precomposed "ệ": the tone mark is a combining character after the letter
    data = unicodedata.normalize("NFD", HEADER.lower()).encode("cp1258", errors="ignore")
    with pytest.raises(InputError, match="legacy Vietnamese encoding Windows-1258"):
        decode_bytes(data, "old.txt")


@pytest.mark.parametrize(("key", "label"), [("tcvn3", "TCVN3"), ("vni", "VNI")])
def test_legacy_text_already_in_utf8_is_named(key, label):
    mojibake = _legacy_sample(key).decode("cp1252", errors="replace").encode("utf-8")
    with pytest.raises(InputError, match=f"{label}.*mis-converted"):
        decode_bytes(mojibake, "old.txt")


@pytest.mark.parametrize(("raw", "expected"), [
    ("Việt Nam", b"Vi\xd6t Nam"),
    ("độc lập", b"\xae\xe9c l\xcbp"),
])
def test_tcvn3_table_matches_known_bytes(raw, expected):
    assert encode_legacy(raw, "tcvn3") == expected


def test_vni_table_matches_known_bytes():
    assert encode_legacy("Việt Nam", "vni").decode("latin-1") == "Vieät Nam"


def test_unicode_text_with_latin1_letters_is_not_legacy():
    text = "Café à la crème, première année: résumé du rôle élevé. " * 5
    assert decode_bytes(text.encode(), "fr.txt").startswith("Café")


def test_oversized_file_names_size_and_cap(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 3000)
    with pytest.raises(InputError, match=r"3000 bytes.*cap of .*2048 bytes"):
        read_document(big, max_bytes=2048)
    assert len(read_document(big, max_bytes=4096)) == 3000


@pytest.mark.parametrize("make", [lambda p: p / "missing.txt", lambda p: p])
def test_missing_file_or_directory_is_an_input_error(tmp_path, make):
    with pytest.raises(InputError):
        read_document(make(tmp_path))
