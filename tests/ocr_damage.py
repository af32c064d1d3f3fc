"""Deterministic OCR damage for clean Vietnamese text, in the manner of the scanned samples.

The damage seen in data/samples: accents lost or misread ("Kế hoạch số" → "Ké hoach s6"), Đ read
as P, B or D, "số" as s6 / sé / sb, the two header columns run together on one line, and inside
identifiers "/" read as I or [, "NQ" as "NO", a space or a line break after the hyphen
("57- NQ/TW", "57-\\nNQ/TW"). Digits are left alone so that the gold of the clean text holds.

    python tests/ocr_damage.py SRC_DIR DST_DIR   # damage every *.txt, seeded by its name
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
import zlib
from pathlib import Path

# an identifier: number, optional year, then a symbol with a slash or hyphen
_ID = re.compile(r"\b\d{1,5}[a-z]?(?:/\d{4})?[-/][A-Za-zĐđ&]+(?:[-/][A-Za-zĐđ&0-9]+)*")
_WORD = re.compile(r"[^\W\d_]+")
_SO = re.compile(r"^[Ss][ốỐ]$")
# letters OCR misreads in place of an accented vowel (besides dropping the accent)
_LOOKALIKE = {"ế": "é", "ệ": "é", "ề": "è", "ố": "6", "ộ": "9", "ơ": "o", "ư": "w", "ạ": "a", "ả": "a",
              "ă": "a", "â": "a", "ị": "i", "ọ": "q", "ủ": "u", "ờ": "ò", "ớ": "é", "ấ": "á"}
_SO_FORMS = ("s6", "sé", "sb", "s6", "s0")


def strip_accents(text: str) -> str:
    """Vietnamese without its marks; Đ/đ become a letter OCR confuses them with."""
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def _d_letter(rng: random.Random, upper: bool) -> str:
    letter = rng.choice("PBDD")
    return letter if upper else letter.lower()


def damage_word(word: str, rng: random.Random) -> str:
    """One word: "số" → s6 …; else its accents stripped, misread or kept."""
    if _SO.match(word):
        form = rng.choice(_SO_FORMS)
        return form.capitalize() if word[0] == "S" else form
    roll = rng.random()
    if roll < 0.5:
        out = strip_accents(word)
    elif roll < 0.8:
        out = "".join(_LOOKALIKE.get(ch, strip_accents(ch)) if rng.random() < 0.5 else ch for ch in word)
    else:
        out = word
    return "".join(_d_letter(rng, ch == "Đ") if ch in "Đđ" and rng.random() < 0.8 else ch for ch in out)


def damage_id(ident: str, rng: random.Random) -> str:
    """One identifier: Đ misread, NQ → NO, a slash → I or [, a space or line break after '-'."""
    out = "".join(_d_letter(rng, True) if ch == "Đ" and rng.random() < 0.7 else ch for ch in ident)
    if "NQ" in out and rng.random() < 0.3:
        out = out.replace("NQ", "NO", 1)
    if "/" in out and rng.random() < 0.25:
        out = out.replace("/", rng.choice("I["), 1)
    if "-" in out:
        roll = rng.random()
        if roll < 0.2:
            out = out.replace("-", "- ", 1)
        elif roll < 0.3:
            out = out.replace("-", "-\n", 1)
        elif roll < 0.4:
            out = out.replace("-", " -", 1)
    return out


def _merge_header_columns(lines: list[str], rng: random.Random) -> list[str]:
    """The issuer column and the national motto printed side by side come out on the same lines."""
    starts = ("CỘNG HÒA", "Độc lập", "ĐẢNG CỘNG SẢN")
    motto = [i for i, line in enumerate(lines[:10]) if line.startswith(starts)]
    if not motto or motto[0] < 2 or rng.random() < 0.5:
        return lines
    merged = list(lines)
    for k, i in enumerate(motto):
        merged[k] = f"{merged[k]}  {merged[i]}"
    return [line for i, line in enumerate(merged) if i not in motto]


def damage(text: str, seed: int) -> str:
    """The damaged copy of `text`; the same seed gives the same copy."""
    rng = random.Random(seed)
    lines = _merge_header_columns(text.split("\n"), rng)
    out = []
    for line in lines:
        pieces, last = [], 0
        for m in _ID.finditer(line):
            pieces.append(_WORD.sub(lambda w: damage_word(w.group(), rng), line[last:m.start()]))
            pieces.append(damage_id(m.group(), rng))
            last = m.end()
        pieces.append(_WORD.sub(lambda w: damage_word(w.group(), rng), line[last:]))
        out.append("".join(pieces))
    return "\n".join(out)


def seed_of(name: str) -> int:
    """A stable seed from a file name (Python's hash() is salted per process)."""
    return zlib.crc32(name.encode("utf-8"))


def damage_dir(src: Path, dst: Path) -> list[Path]:
    """Damage every *.txt of `src` into `dst` under the same name; returns the files written."""
    dst.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(src.glob("*.txt")):
        target = dst / path.name
        target.write_text(damage(path.read_text(encoding="utf-8"), seed_of(path.name)), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tests/ocr_damage.py SRC_DIR DST_DIR")
    damage_dir(Path(sys.argv[1]), Path(sys.argv[2]))
