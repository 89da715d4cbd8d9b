"""The one FastAPI application: the pages, the REST API under ``/api/v1`` and the CDS Hooks
service (``heliotrope serve`` runs it on 127.0.0.1:8000 by default).

Every asset is served by the app (``/static``), the CSP forbids inline scripts and anything from
elsewhere, request bodies are size-limited, and errors are a clear page (or JSON under ``/api``)
with a 4xx status, never a traceback.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from heliotrope import __version__
from heliotrope.errors import HeliotropeError
from heliotrope.interop.cds_hooks.routes import router as cds_hooks_router
from heliotrope.web import api, pages
from heliotrope.web.security import BodyLimit, SameOriginWrites, Scope, SecurityHeaders
from heliotrope.web.settings import Settings
from heliotrope.web.templating import templates

__all__ = ["create_app", "create_app_from_env"]

STATIC = Path(__file__).parent / "static"
#: The CDS Hooks router (issue 9): ``router`` in this module joins the app when present.
#: Room for the form's other fields around the largest accepted file.
FORM_OVERHEAD = 1024 * 1024
_log = logging.getLogger(__name__)


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.startswith("/cds-services")


def _error_body(
    code: str, message: str, details: list[dict[str, str]] | None = None
) -> dict[str, object]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def _error(request: Request, status: int, title: str, message: str, code: str) -> Response:
    if _wants_json(request):
        return JSONResponse(_error_body(code, message), status_code=status)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"title": title, "message": message, "status": status},
        status_code=status,
    )


def _refuse_body(scope: Scope, limit: int) -> tuple[bytes, bytes]:
    message = f"The request is larger than the limit of {limit // (1024 * 1024)} MB."
    if str(scope.get("path", "")).startswith(("/api/", "/cds-services")):
        return json.dumps(_error_body("HT413", message)).encode(), b"application/json"
    html = templates.get_template("error.html").render(
        title="The upload was refused", message=message, status=413
    )
    return html.encode(), b"text/html; charset=utf-8"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The heliotrope web application."""
    settings = settings or Settings()
    app = FastAPI(
        title="heliotrope",
        version=__version__,
        description="Dermatomyositis and cancer-associated myositis reasoning: classification "
        "criteria, paraneoplastic status, serology, screening, RECIST, timelines and clinical "
        "text. Criteria classify; they do not diagnose.",
        docs_url=None,  # Swagger UI loads from a CDN: the schema is served, the UI is not
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(cds_hooks_router)  # CDS Hooks 2.0.1 (issue 9): the same app

    @app.exception_handler(HeliotropeError)
    async def heliotrope_error(request: Request, exc: HeliotropeError) -> Response:
        if _wants_json(request):
            details = [{"location": d.location, "message": d.message} for d in exc.details]
            return JSONResponse(_error_body(exc.code, exc.message, details), status_code=422)
        return _error(request, 422, "Heliotrope could not read this input", str(exc), exc.code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"location": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg"))}
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse(
                _error_body("HT101", "The request is not valid.", details), status_code=422
            )
        text = "; ".join(f"{d['location']}: {d['message']}" for d in details)
        return _error(request, 422, "The request is not valid", text, "HT101")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Method not allowed"}
        title = titles.get(exc.status_code, "Request refused")
        return _error(request, exc.status_code, title, str(exc.detail), f"HT{exc.status_code}")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        _log.exception("internal error on %s", request.url.path)
        return _error(
            request,
            500,
            "Internal error",
            "Heliotrope hit an internal error; nothing was stored. Please report it.",
            "HT500",
        )

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response((STATIC / "favicon.svg").read_bytes(), media_type="image/svg+xml")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    # Outermost last: every response, the size refusal included, gets the security headers.
    app.add_middleware(SameOriginWrites)
    app.add_middleware(
        BodyLimit, limit=settings.max_upload_bytes + FORM_OVERHEAD, on_refuse=_refuse_body
    )
    app.add_middleware(SecurityHeaders)
    return app


def create_app_from_env() -> FastAPI:
    """The app with settings from ``HELIOTROPE_WEB_DB`` and ``HELIOTROPE_WEB_MAX_UPLOAD``
    (bytes): the factory each worker process calls under ``heliotrope serve --workers N``."""
    return create_app(Settings.from_env())
