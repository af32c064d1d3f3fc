"""The API app for the benchmark's uvicorn workers: each worker opens the embedded store named by
CHIDAO_DATA (`uvicorn --factory --workers 2 serve_app:create`, from the bench folder)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fastapi import FastAPI  # noqa: E402

from api.app import create_app  # noqa: E402
from chidao.settings import data_dir  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402


def create() -> FastAPI:
    store = EmbeddedStore(data_dir())  # loaded before the worker accepts requests
    return create_app(lambda: store)
