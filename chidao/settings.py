"""Where chidao keeps its data, read from options first, then the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATA_DIR = Path(".chidao")


def data_dir(option: str | None = None) -> Path:
    """The embedded store's folder: `--data`, else `CHIDAO_DATA`, else `./.chidao/`."""
    chosen = option or os.environ.get("CHIDAO_DATA")
    return Path(chosen) if chosen else DEFAULT_DATA_DIR


def store_uri(option: str | None = None) -> str | None:
    """A `neo4j://…`/`bolt://…` store URI from `--store` or `CHIDAO_STORE`; None means embedded."""
    return option or os.environ.get("CHIDAO_STORE") or None
