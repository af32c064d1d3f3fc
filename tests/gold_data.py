"""Where the shared hand annotations live: ../shared/gold (OCR'd seeds) and ../shared/gold-extra
(clean extra documents), each with its corpus. Tests that need them skip when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = (SHARED / "gold", SHARED / "corpus")
EXTRA = (SHARED / "gold-extra", SHARED / "corpus-extra")


def require(*pairs: tuple[Path, Path]) -> list[tuple[Path, Path]]:
    """The (gold, corpus) folders, or a skip naming the first one missing."""
    for gold, corpus in pairs:
        for folder in (gold, corpus):
            if not folder.is_dir():
                pytest.skip(f"gold annotations not available: {folder} is missing")
    return list(pairs)
