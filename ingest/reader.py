"""Read an input document into clean text, or refuse it with a clear reason.

Accepted: UTF-8 (with or without BOM) and UTF-16 LE/BE with a BOM. The text comes back
NFC-normalised with LF line ends. Refused with `InputError`: missing or unreadable files, empty
files, files over the size cap, binary data, undecodable bytes (the line of the first bad byte is
named) and the pre-Unicode Vietnamese encodings TCVN3 (ABC) and VNI, whether stored as raw bytes or
already mis-converted to UTF-8 ("ViÖt Nam", "Vieät Nam"), and Windows-1258.
"""

from __future__ import annotations

import codecs
import re
from functools import cache, lru_cache
from pathlib import Path

import yaml

from ingest.errors import InputError
from ingest.text import nfc

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Size cap of one input document: 20 MB is far above any real plan or resolution as text."""

_DATA = Path(__file__).parent / "data" / "legacy_encodings.yaml"
_SNIFF = 64 * 1024  # bytes (or characters) examined by the heuristics: enough, and keeps them fast
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f\v")  # \f: OCR tools put it between pages
_MAX_CONTROL_RATIO = 0.01
_WORD = re.compile(r"[^\W\d_]+")
_LATIN1_SUPPLEMENT = re.compile(r"[\u00a0-\u00ff]")
_VIETNAMESE_LETTERS = re.compile(r"[\u0100-\u01b0\u1ea0-\u1ef9]")
_MIN_LEGACY_HITS = 5
_MIN_LEGACY_RATIO = 0.05


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of the file at `path` (see the module docstring for what is accepted)."""
    name = str(path)
    file = Path(path)
    try:
        size = file.stat().st_size
        if not file.is_file():
            raise InputError(name, "not a regular file")
        if size > max_bytes:
            raise InputError(name, f"file is {_mb(size)} ({size} bytes), over the size cap of "
                                   f"{_mb(max_bytes)} ({max_bytes} bytes)")
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    return decode_bytes(data, name)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode the raw bytes of a document called `name` (used in error messages)."""
    if not data:
        raise InputError(name, "empty file")
    text = _decode(data, name)
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise InputError(name, "file has no text (only white space)")
    _refuse_mis_converted_legacy(text, name)
    return text


def _decode(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", name)
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[len(bom):], codec, name)
    _refuse_binary(data, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        legacy = _legacy_encoding(data[:_SNIFF].decode("latin-1"))
        if legacy:
            raise InputError(name, _legacy_reason(legacy)) from None
        raise InputError(name, _bad_byte_reason(data, exc.start, "UTF-8"),
                         line=data.count(b"\n", 0, exc.start) + 1) from None


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        unit = 2 if codec.startswith("utf-16") else 1
        newline = "\n".encode(codec)
        line = 1 + sum(1 for i in range(0, exc.start - exc.start % unit, unit)
                       if data[i:i + unit] == newline)
        raise InputError(name, _bad_byte_reason(data, exc.start, codec.upper()), line=line) from None


def _bad_byte_reason(data: bytes, offset: int, codec: str) -> str:
    return f"not valid {codec} text: byte 0x{data[offset]:02X} at offset {offset} cannot be decoded"


def _refuse_binary(data: bytes, name: str) -> None:
    head = data[:_SNIFF]
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InputError(name, "binary data (NUL byte), not a text document; UTF-16 text needs a BOM",
                         line=head.count(b"\n", 0, nul) + 1)
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _ALLOWED_CONTROLS)
    if controls > _MAX_CONTROL_RATIO * len(head):
        raise InputError(name, f"binary data ({controls} control bytes in the first {len(head)}), "
                               "not a text document")


def _refuse_mis_converted_legacy(text: str, name: str) -> None:
    """A TCVN3/VNI file once read as Latin-1 and saved as UTF-8 is valid UTF-8 but unreadable."""
    head = text[:_SNIFF]
    latin = len(_LATIN1_SUPPLEMENT.findall(head))
    if latin < _MIN_LEGACY_HITS or latin <= len(_VIETNAMESE_LETTERS.findall(head)):
        return
    legacy = _legacy_encoding(head.encode("latin-1", errors="replace").decode("latin-1"))
    if legacy and _common_word_hits(head) < _MIN_LEGACY_HITS:
        raise InputError(name, _legacy_reason(legacy) + " (already mis-converted to UTF-8)")


def _legacy_reason(encoding: str) -> str:
    return (f"text is in the legacy Vietnamese encoding {encoding}, not Unicode; "
            "convert it to UTF-8 first (e.g. with UniKey's converter)")


def _legacy_encoding(latin1_text: str) -> str | None:
    """'TCVN3' or 'VNI' when the text, read through that table, is mostly common Vietnamese words."""
    words = len(_WORD.findall(latin1_text)) or 1
    readings = {
        "TCVN3 (ABC)": _from_legacy(latin1_text, "tcvn3"),
        "VNI": _from_legacy(latin1_text, "vni"),
        # Windows-1258 writes tone marks as combining characters after the letter
        "Windows-1258": nfc(latin1_text.encode("latin-1").decode("cp1258", errors="replace")),
    }
    best, best_hits = None, 0
    for label, reading in readings.items():
        hits = _common_word_hits(reading)
        if hits > best_hits:
            best, best_hits = label, hits
    if best_hits >= _MIN_LEGACY_HITS and best_hits >= _MIN_LEGACY_RATIO * words:
        return best
    return None


def _common_word_hits(text: str) -> int:
    common = _tables()["common_words"]
    return sum(1 for word in _WORD.findall(text.lower()) if word in common)


def _from_legacy(latin1_text: str, key: str) -> str:
    pattern, reverse = _decoder(key)
    return pattern.sub(lambda m: reverse[m.group(0)], latin1_text)


@cache
def _decoder(key: str) -> tuple[re.Pattern[str], dict[str, str]]:
    reverse = {raw: letter for letter, raw in _tables()[key].items()}
    alternatives = sorted(reverse, key=len, reverse=True)  # VNI: "aâ" before a lone "â"
    return re.compile("|".join(map(re.escape, alternatives))), reverse


@lru_cache(maxsize=1)
def _tables() -> dict:
    tables = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    tables["common_words"] = frozenset(tables["common_words"])
    return tables


def encode_legacy(text: str, key: str) -> bytes:
    """Write Vietnamese `text` in a legacy encoding ('tcvn3' or 'vni'); used to build test samples."""
    table = _tables()[key]
    return "".join(table.get(ch, ch) for ch in nfc(text)).encode("latin-1")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
