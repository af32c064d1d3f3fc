"""Text helpers shared by the extractors: accent folding and Unicode normalisation."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_FOLD_TABLE = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D"})


def nfc(text: str) -> str:
    """Compose combining marks, so 'ế' typed as e + two marks compares equal to the precomposed one."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case ASCII skeleton: Vietnamese accents dropped, Đ → d, white space squeezed.

    >>> fold("Công an  xã Ngọk Bay")
    'cong an xa ngok bay'
    """
    if text.isascii():  # no marks to drop: squeeze and lower only
        return " ".join(text.split()).lower()
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def fold_keep_length(text: str) -> str:
    """`fold` without squeezing spaces: one output character per input character, so offsets
    found in the folded text are offsets in the original."""
    out = []
    for ch in text.translate(_FOLD_TABLE):
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)
