"""Every error as JSON `{error, message, …}` with a clear message; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from queries.resolve import Ambiguous, NotFound

log = logging.getLogger("chidao.api")

STATUS_NAMES = {500: "internal", 400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "ambiguous", 413: "too_large",
                415: "unsupported_media_type", 422: "invalid_parameters", 503: "unavailable"}


class ApiError(Exception):
    """An error the client can act on: status, short code, message and extra fields."""

    def __init__(self, status: int, message: str, **extra: Any):
        self.status, self.message, self.extra = status, message, extra
        super().__init__(message)


def error_body(status: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": STATUS_NAMES.get(status, "error"), "message": message, **extra}


def _json(status: int, message: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(error_body(status, message, **extra), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"location": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors()]


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into a JSON error."""

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        hint = f"; did you mean {', '.join(exc.suggestions[:3])}?" if exc.suggestions else ""
        return _json(404, f"{exc}{hint}", suggestions=exc.suggestions)

    @app.exception_handler(Ambiguous)
    async def ambiguous(_: Request, exc: Ambiguous) -> JSONResponse:
        return _json(409, str(exc), candidates=exc.candidates)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return _json(exc.status, exc.message, headers=headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        summary = "; ".join(f"{d['location']}: {d['message']}" for d in details[:5])
        return _json(422, f"invalid parameters: {summary}", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no endpoint {request.url.path}; see /docs"
        return _json(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return _json(500, f"internal error ({type(exc).__name__}); the server log has the details")
