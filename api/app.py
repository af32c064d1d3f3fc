"""The FastAPI service: read endpoints over any GraphStore, the lineage queries, and uploads.

Identifiers with "/" (`57-NQ/TW`) work in paths: `/documents/57-NQ/TW` or the slug form
`/documents/57-NQ~TW` (`~` stands for `/`, for clients and proxies that mangle `%2F`). A task is
`667/KH-UBND#II.8`; in a path its `#` must be sent as `%23`. Query parameters take the same forms.

Task-level lineage comes from the alignment run after every ingest (uploads included): a task's
trace up goes task → task where it carries one out, and `/tasks/{ref}/counterparts` lists the same
task in other places with the score of each match.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, Header, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from api import errors, models, uploads
from api.examples import EXAMPLES, describe
from api.locking import ReadWriteLock
from graph.store import GraphStore
from queries import (
    counterparts,
    coverage,
    details,
    explain,
    neighbourhood,
    search,
    task_lineage,
    trace,
    unresolved,
    workload,
)
from queries.rdf_export import export_rdf
from queries.resolve import NotFound
from viz.web import make_router

StoreFactory = Callable[[], GraphStore]
Kind = Literal["Document", "Task", "Agency", "Place"]

Limit = Annotated[int, Query(ge=1, le=500, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
Depth = Annotated[int, Query(ge=1, le=12, description="longest walk, in edges")]
Ref = Annotated[str, Query(min_length=1, max_length=300, description="a document or task reference",
                           examples=["57-NQ/TW"])]


class StoreHolder:
    """Opens the store on first use (so a bad store URI fails one request, not the import) and
    serialises writes."""

    def __init__(self, factory: StoreFactory):
        self.factory, self.store, self.lock = factory, None, threading.Lock()
        self.access = ReadWriteLock()

    def get(self) -> GraphStore:
        if self.store is None:
            with self.lock:
                if self.store is None:
                    try:
                        self.store = self.factory()
                    except Exception as exc:  # a store that cannot open is a 503, not a trace
                        raise errors.ApiError(503, f"the store cannot be opened: {exc}") from exc
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def create_app(store_factory: StoreFactory, upload_token: str | None = None,
               max_upload_bytes: int | None = None) -> FastAPI:
    """The app over the store `store_factory()` opens. Uploads need `upload_token` (default
    CHIDAO_API_TOKEN; none → uploads disabled); size cap per file `max_upload_bytes` (default
    CHIDAO_UPLOAD_MAX_MB, else 20 MB)."""
    holder = StoreHolder(store_factory)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        holder.close()

    app = FastAPI(title="chidao", version="0.1.0", lifespan=lifespan,
                  description=__doc__ + "\n\nErrors are JSON `{error, message}`; an unknown id gives "
                  "404 with `suggestions` of close ids, an id in several jurisdictions 409 with "
                  "`candidates`.",
                  responses={code: {"model": models.ErrorOut} for code in (404, 409, 422, 500, 503)})
    app.state.holder = holder
    app.state.uploads = uploads.UploadSettings.from_env(upload_token, max_upload_bytes)
    errors.install(app)
    _read_routes(app)
    _query_routes(app)
    _upload_routes(app)
    _export_routes(app)
    app.include_router(make_router(get_store))
    return app


def get_store(request: Request) -> Iterator[GraphStore]:
    """The store, read under the shared lock so an upload never rewrites it mid-request."""
    holder: StoreHolder = request.app.state.holder
    store = holder.get()
    refresh = getattr(store, "refresh", None)  # the embedded store: see other processes' ingests
    if callable(refresh):
        refresh()  # one stat when nothing changed; a reload swaps in a whole graph
    with holder.access.reading():
        yield store


StoreDep = Annotated[GraphStore, Depends(get_store)]


def _route(name: str, response_model: Any, summary: str) -> dict[str, Any]:
    """Keyword arguments of a GET route with its example (api/examples.py) in the OpenAPI."""
    return {"response_model": response_model, "summary": summary, "operation_id": name,
            "description": describe(name), "openapi_extra": {"x-example": EXAMPLES[name]}}


def _with_task_suggestions(store: GraphStore, ref: str, answer: Callable[[], Any]) -> Any:
    """`answer()`, with close task references added to a 404 (the lookup suggests no tasks)."""
    try:
        return answer()
    except NotFound as missing:
        if missing.suggestions:
            raise
        raise NotFound(missing.ref, missing.kind, task_lineage.task_suggestions(store, ref)) from missing


def _read_routes(app: FastAPI) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return _HOME

    @app.get("/health", **_route("health", models.Health, "Store status"))
    def health(store: StoreDep) -> dict[str, Any]:
        return {"status": "ok", "documents": sum(1 for _ in store.nodes("Document")),
                "files": len(store.source_files())}

    @app.get("/documents", **_route("list_documents", models.Page[models.DocumentOut], "List documents"))
    def documents(store: StoreDep, offset: Offset = 0, limit: Limit = 50,
                  role: Annotated[str | None, Query(pattern="^(directive|plan)$")] = None,
                  level: Annotated[str | None, Query(max_length=20)] = None,
                  stub: bool | None = None, q: Annotated[str | None, Query(max_length=200)] = None):
        return details.list_documents(store, role, level, stub, q, offset, limit)

    @app.get("/documents/{ref:path}", **_route("get_document", models.DocumentDetail, "One document"))
    def document(store: StoreDep, ref: str, limit: Limit = 100):
        return details.document_detail(store, ref, limit)

    @app.get("/tasks", **_route("list_tasks", models.Page[models.TaskOut], "List tasks"))
    def tasks(store: StoreDep, offset: Offset = 0, limit: Limit = 50,
              document: Annotated[str | None, Query(max_length=300)] = None,
              q: Annotated[str | None, Query(max_length=200)] = None):
        return details.list_tasks(store, document, q, offset, limit)

    # before /tasks/{ref}, whose `path` parameter would swallow the "/counterparts" suffix
    @app.get("/tasks/{ref:path}/counterparts", **_route("task_counterparts", models.TaskCounterparts,
                                                         "The same task in other places, side by side"))
    def task_counterparts(store: StoreDep, ref: str, min_score: Annotated[
            float, Query(ge=0.0, le=1.0, description="only counterparts scoring at least this")] = 0.0):
        return _with_task_suggestions(store, ref, lambda: counterparts.counterparts(store, ref, min_score))

    @app.get("/tasks/{ref:path}", **_route("get_task", models.TaskDetail, "One task"))
    def task(store: StoreDep, ref: str):
        return _with_task_suggestions(store, ref, lambda: details.task_detail(store, ref))

    @app.get("/units", **_route("list_units", models.Page[models.UnitOut], "List units (agencies)"))
    def units(store: StoreDep, offset: Offset = 0, limit: Limit = 50,
              q: Annotated[str | None, Query(max_length=200)] = None):
        return details.list_units(store, q, offset, limit)

    @app.get("/units/{ref:path}", **_route("get_unit", models.UnitDetail, "One unit"))
    def unit(store: StoreDep, ref: str):
        return details.unit_detail(store, ref)

    @app.get("/places", **_route("list_places", models.Page[models.PlaceOut], "List places"))
    def places(store: StoreDep, offset: Offset = 0, limit: Limit = 50,
               level: Annotated[str | None, Query(max_length=20)] = None):
        return details.list_places(store, level, offset, limit)

    @app.get("/places/{ref:path}", **_route("get_place", models.PlaceDetail, "One place"))
    def place(store: StoreDep, ref: str):
        return details.place_detail(store, ref)


def _query_routes(app: FastAPI) -> None:
    @app.get("/trace/up", **_route("trace_up", models.TraceUp, "Lineage up to the root directives"))
    def trace_up(store: StoreDep, ref: Ref, based_on: bool = False, cites: bool = False,
                 max_depth: Depth = 8, limit: Limit = 50, directives_only: bool = False):
        return trace.trace_up(store, ref, based_on, cites, max_depth, limit, directives_only)

    @app.get("/trace/down", **_route("trace_down", models.TraceDown, "Everything carrying a directive out"))
    def trace_down(store: StoreDep, ref: Ref, based_on: bool = False, cites: bool = False,
                   max_depth: Depth = 8, offset: Offset = 0, limit: Limit = 50):
        return trace.trace_down(store, ref, based_on, cites, max_depth, offset, limit)

    @app.get("/coverage", **_route("coverage", models.Coverage, "Provinces and communes covered"))
    def cover(store: StoreDep, ref: Ref, cites: bool = False, offset: Offset = 0, limit: Limit = 100):
        return coverage.coverage(store, ref, cites, offset, limit)

    @app.get("/gaps", **_route("plan_gaps", models.PlanGaps, "Tasks of a plan with nothing below"))
    def gaps(store: StoreDep, ref: Ref):
        return coverage.plan_gaps(store, ref)

    @app.get("/workload", **_route("workload", models.Workload, "A unit's tasks and overdue ones"))
    def load(store: StoreDep, unit: Annotated[str, Query(min_length=1, max_length=300)],
             as_of: date | None = None, offset: Offset = 0, limit: Limit = 100):
        return workload.workload(store, unit, as_of, offset, limit)

    @app.get("/search", **_route("search", models.SearchResult, "Accent-insensitive search"))
    def find(store: StoreDep, q: Annotated[str, Query(min_length=1, max_length=200)],
             kind: Annotated[list[Kind] | None, Query(description="only these node kinds")] = None,
             offset: Offset = 0, limit: Limit = 20):
        return search.search(store, q, list(kind) if kind else None, offset, limit)

    @app.get("/unresolved", **_route("unresolved", models.Page[models.UnresolvedRow],
                                     "Stub documents, most cited first"))
    def stubs(store: StoreDep, offset: Offset = 0, limit: Limit = 50):
        return unresolved.unresolved(store, offset, limit)

    @app.get("/explain", **_route("explain", models.Explain, "Paths connecting two nodes"))
    def connect(store: StoreDep, a: Ref, b: Ref, max_depth: Annotated[int, Query(ge=1, le=8)] = 6,
                limit: Annotated[int, Query(ge=1, le=100)] = 10):
        return explain.explain(store, a, b, max_depth, limit)

    @app.get("/neighbourhood", **_route("neighbourhood", models.Neighbourhood,
                                        "A node's neighbourhood as JSON (nodes, edges)"))
    def graph(store: StoreDep, ref: Ref, depth: Annotated[int, Query(ge=1, le=3)] = 1,
              limit: Annotated[int, Query(ge=1, le=2000)] = 200):
        return neighbourhood.neighbourhood(store, ref, depth, limit)


_RDF_MEDIA_TYPES = {"ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}


def _export_routes(app: FastAPI) -> None:
    """The whole graph as linked data (ELI, ORG, PROV-O; docs/rdf.md), as `chidao export` writes it."""
    for fmt, media_type in _RDF_MEDIA_TYPES.items():
        name = f"export_{fmt}"
        app.get(f"/export.{fmt}", response_class=Response, summary=f"The graph as RDF ({fmt})",
                operation_id=name, description=describe(name),
                openapi_extra={"x-example": EXAMPLES[name]},
                responses={200: {"content": {media_type.split(";")[0]: {}}}})(_exporter(fmt, media_type))


def _exporter(fmt: str, media_type: str) -> Callable[..., Response]:
    """One export endpoint; the format is fixed here, not a query parameter."""

    def export(store: StoreDep) -> Response:
        return Response(export_rdf(store, fmt), media_type=media_type)

    return export


def _upload_routes(app: FastAPI) -> None:
    @app.post("/ingest", response_model=models.IngestResult, operation_id="ingest",
              summary="Upload text files into the store (bearer token)",
              description=uploads.__doc__,
              responses={401: {"model": models.ErrorOut}, 403: {"model": models.ErrorOut},
                         413: {"model": models.ErrorOut}, 415: {"model": models.ErrorOut}})
    async def ingest(request: Request,
                     files: Annotated[list[UploadFile], File(min_length=1, description="text files")],
                     authorization: Annotated[str | None, Header()] = None):
        settings: uploads.UploadSettings = request.app.state.uploads
        settings.authorize(authorization)
        store = request.app.state.holder.get()
        return await uploads.ingest_uploads(store, files, settings, request.app.state.holder.access)


_HOME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chidao</title></head>
<body style="font-family: sans-serif; max-width: 50em; margin: 2em auto">
<h1>chidao</h1>
<p>A knowledge graph of Vietnamese directives, the plans that carry them out, their tasks and units.</p>
<ul>
<li><a href="/docs">API documentation (try every endpoint)</a> · <a href="/redoc">ReDoc</a> ·
<a href="/openapi.json">OpenAPI schema</a></li>
<li><a href="/graph/">graph browser</a>: directives, plans, their lineage and units</li>
<li><a href="/documents">documents</a> · <a href="/unresolved">most cited documents not ingested yet</a></li>
<li><a href="/trace/down?ref=57-NQ~TW">what carries out 57-NQ/TW</a></li>
<li><a href="/tasks/667~KH-UBND%23II.3/counterparts">the same task in other places</a></li>
</ul>
</body></html>
"""
