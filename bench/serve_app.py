"""The API app for the benchmark's uvicorn workers: each worker opens the embedded store named by
CHIDAO_DATA (`uvicorn --factory --workers 2 serve_app:create`, from the bench folder)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import json  # noqa: E402

from fastapi import FastAPI  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse, Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

from api.app import create_app  # noqa: E402
from chidao.settings import data_dir  # noqa: E402
from graph.embedded import EmbeddedStore  # noqa: E402
from queries import trace  # noqa: E402


def create() -> FastAPI:
    store = EmbeddedStore(data_dir())  # loaded before the worker accepts requests
    return create_app(lambda: store)


def create_bare() -> Starlette:
    """The same trace-up query behind a bare Starlette route (no FastAPI validation or response
    model, stdlib JSON): how much of a request's cost is the framework's."""
    store = EmbeddedStore(data_dir())

    async def trace_up(request: Request) -> Response:
        try:
            answer = trace.trace_up(store, request.query_params["ref"])
        except LookupError as exc:
            return JSONResponse({"error": "not_found", "message": str(exc)}, status_code=404)
        return Response(json.dumps(answer, ensure_ascii=False, default=str), media_type="application/json")

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/trace/up", trace_up), Route("/health", health)])
