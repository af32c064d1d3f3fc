"""The graph browser's pages as a FastAPI router, to be included into the API application.

    /graph/                  overview: directives and plans
    /graph/node/{ref}        a node's natural page: a unit's view for a unit, its lineage otherwise
    /graph/lineage/{ref}     lineage (trace up and down) of a document or task
    /graph/unit/{ref}        a unit (cơ quan, đơn vị) with its tasks
    /graph/static/{name}     the page assets (vis-network, our script and style sheet)

`ref` is a node key or anything queries.resolve accepts (`57-NQ/TW`, `01-KH/BCĐ@Quảng Ngãi`, …).
Every page takes `?expand=1` to draw folded tasks and units from the start, and `?fold=N` to fold
task groups until at most N nodes show (default 100).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse

from graph.model import AGENCY
from graph.store import GraphStore
from queries.resolve import Ambiguous, NotFound, resolve
from viz import assets, views
from viz.render import RenderOptions, node_href, render

PREFIX = "/graph"
DEFAULT_FOLD = RenderOptions.collapse_above
Fold = Annotated[int, Query(ge=1, le=100_000, description="fold task groups above this many nodes")]


def make_router(get_store: Callable[..., GraphStore], prefix: str = PREFIX) -> APIRouter:
    """A router serving the pages under `prefix`; `get_store` is a FastAPI dependency (any callable
    FastAPI can call) returning the GraphStore to read."""
    router = APIRouter(prefix=prefix, tags=["graph browser"])
    store_dependency = Depends(get_store)

    def page_options(expand: bool = False, fold: Fold = DEFAULT_FOLD) -> RenderOptions:
        return RenderOptions(static_url=f"{prefix}/static", link_base=prefix, expand=expand,
                             collapse_above=fold)

    options_dependency = Depends(page_options)

    @router.get("/", response_class=HTMLResponse, summary="Overview: directives and plans")
    def overview(options: RenderOptions = options_dependency,
                 store: GraphStore = store_dependency) -> HTMLResponse:
        return HTMLResponse(render(views.overview(store), options))

    @router.get("/node/{ref:path}", response_class=HTMLResponse, summary="A node's page")
    def node_page(ref: str, options: RenderOptions = options_dependency,
                  store: GraphStore = store_dependency) -> HTMLResponse:
        return _resolved(store, ref, prefix, lambda key: render(views.for_node(store, key), options))

    @router.get("/lineage/{ref:path}", response_class=HTMLResponse, summary="Lineage of a node")
    def lineage_page(ref: str, options: RenderOptions = options_dependency,
                     store: GraphStore = store_dependency) -> HTMLResponse:
        return _resolved(store, ref, prefix, lambda key: render(views.lineage(store, key), options))

    @router.get("/unit/{ref:path}", response_class=HTMLResponse, summary="A unit and its tasks")
    def unit_page(ref: str, options: RenderOptions = options_dependency,
                  store: GraphStore = store_dependency) -> HTMLResponse:
        return _resolved(store, ref, prefix, lambda key: render(views.unit(store, key), options),
                         kind=AGENCY)

    @router.get("/static/{name}", summary="Page assets")
    def static(name: str) -> FileResponse:
        if name not in assets.ASSETS:
            raise HTTPException(status_code=404, detail=f"no asset '{name}'")
        try:
            path = assets.asset_path(name)
        except assets.MissingAsset as error:
            raise HTTPException(status_code=500, detail=str(error)) from error
        return FileResponse(path, media_type=assets.ASSETS[name].media_type,
                            headers={"Cache-Control": "public, max-age=3600"})

    return router


def _resolved(store: GraphStore, ref: str, prefix: str, make: Callable[[str], str],
              kind: str | None = None) -> HTMLResponse:
    """The page of the node `ref` names, or a small page listing suggestions or candidates."""
    try:
        key = resolve(store, ref, kind)
    except NotFound as missing:
        return _choice_page(f"Không tìm thấy “{ref}”", "Có phải bạn muốn tìm:", missing.suggestions,
                            prefix, status=404)
    except Ambiguous as ambiguous:
        return _choice_page(f"“{ref}” chỉ nhiều văn bản", "Chọn một:", ambiguous.candidates,
                            prefix, status=300)
    return HTMLResponse(make(key))


def _choice_page(title: str, lead: str, choices: list[str], prefix: str, status: int) -> HTMLResponse:
    items = "".join(
        f'<li><a href="{html.escape(node_href(prefix, c))}">{html.escape(c)}</a></li>'
        for c in choices
    )
    body = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f'</title></head><body style="font-family: sans-serif; margin: 2em">'
            f"<h1>{html.escape(title)}</h1><p>{html.escape(lead) if choices else ''}</p><ul>{items}</ul>"
            f'<p><a href="{prefix}/">Tổng quan</a></p></body></html>')
    return HTMLResponse(body, status_code=status)
