"""Text helpers shared by the extractors: accent folding and Unicode normalisation."""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache, lru_cache

_SPACES = re.compile(r"\s+")
_FOLD_TABLE = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D"})


def nfc(text: str) -> str:
    """Compose combining marks, so 'ế' typed as e + two marks compares equal to the precomposed one."""
    return unicodedata.normalize("NFC", text)


def char_class(keep) -> str:
    """A regex character class of the Basic Plane characters `keep` accepts."""
    codes = [c for c in range(0x10000) if keep(chr(c))]
    ranges, start = [], codes[0]
    for prev, code in itertools.pairwise([*codes, -1]):
        if code != prev + 1:
            ranges.append(f"\\u{start:04x}-\\u{prev:04x}" if prev > start else f"\\u{start:04x}")
            start = code
    return "[" + "".join(ranges) + "]"


_MARKS = re.compile(char_class(lambda ch: unicodedata.category(ch) == "Mn") + "+")
_ASTRAL = re.compile("[^\u0000-\uffff]")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case ASCII skeleton: Vietnamese accents dropped, Đ → d, white space squeezed.

    A few C-level passes (decompose, drop marks, squeeze, lower): the readers fold every line
    and candidate cell. Remembered (bounded): the header lines, unit names and cells that the
    identity, reference and task readers each fold come back across readers and documents.

    >>> fold("Công an  xã Ngọk Bay")
    'cong an xa ngok bay'
    """
    if text.isascii():  # most OCR'd words lost their marks: nothing to decompose
        return " ".join(text.split()).lower()
    if _ASTRAL.search(text):  # the marks' class covers the Basic Plane only
        return _fold_chars(text)
    text = text.replace("Đ", "D").replace("đ", "d").replace("Ð", "D")  # faster than translate
    return " ".join(_MARKS.sub("", unicodedata.normalize("NFD", text)).split()).lower()


def _fold_chars(text: str) -> str:
    """`fold` character by character (any plane)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def fold_keep_length(text: str) -> str:
    """`fold` without squeezing spaces: one output character per input character, so offsets
    found in the folded text are offsets in the original."""
    if text.isascii():
        return text.lower()
    if _ASTRAL.search(text):  # the table covers the Basic Plane only
        return "".join(_fold_one(ch) for ch in text)
    return text.translate(_keep_length_table())


def _fold_one(ch: str) -> str:
    """One character of `fold_keep_length`: its lower-case base letter, or itself."""
    base = unicodedata.normalize("NFD", ch.translate(_FOLD_TABLE))[0]
    return base.lower() if len(base.lower()) == 1 else ch


@cache
def _keep_length_table() -> dict[int, str]:
    """`_fold_one` of every Basic Plane character, for one C-level `str.translate` (unchanged
    characters too: a character the table lacks costs `translate` a caught LookupError)."""
    return {code: _fold_one(chr(code)) for code in range(0x10000)}
