"""The FastAPI application: the API, the web page, their middleware and error format."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp

from ..version import __version__
from ..config import Config
from . import api, libretranslate, web
from .runtime import Service
from .security import BodyLimitMiddleware, ProtectiveHeadersMiddleware, RequestGuardMiddleware

__all__ = ["create_app"]

DESCRIPTION = """\
Translate and typeset German press releases: submit a release (plain text,
Markdown with front matter or release JSON) with the languages wanted, poll
the job, download each language's PDF, HTML and JSON or all as a ZIP, and
read the translation's quality checks.

Send an API key as `X-API-Key: <key>` or `Authorization: Bearer <key>`
(not needed when the service runs without keys, on 127.0.0.1 only). Every
error is `{"detail": "<message>"}`.
"""


def _validation_message(error: RequestValidationError) -> str:
    """FastAPI's list of problems as one line: ``query languages: …; path job_id: …``."""
    parts = []
    for problem in error.errors():
        location = " ".join(str(part) for part in problem.get("loc", ()))
        parts.append(f"{location}: {problem.get('msg', 'invalid')}" if location else str(problem.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


class _ServiceApp(FastAPI):
    """FastAPI, with the protective headers put on outside Starlette's own error handler, and the languages in its schema.

    Middleware added with ``add_middleware`` runs inside that handler, so its
    500 would go out without them; wrapping the whole stack reaches every answer.
    """

    def build_middleware_stack(self) -> ASGIApp:
        return ProtectiveHeadersMiddleware(super().build_middleware_stack())

    def openapi(self) -> dict[str, Any]:
        """FastAPI's schema, with the languages this service offers (:func:`api.offer_languages`)."""
        if self.openapi_schema is None:
            schema = copy.deepcopy(super().openapi())
            self.openapi_schema = api.offer_languages(schema, self.state.service.settings.languages)
        return self.openapi_schema


def create_app(config: Config) -> FastAPI:
    """The service for ``config``; its lifespan starts and stops the worker processes."""
    service = Service(config)
    translation = libretranslate.LibreTranslate(config, service.keys)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(service.start)
        try:
            await run_in_threadpool(translation.start)
            yield
        finally:
            await translation.stop()
            await run_in_threadpool(service.stop)

    app = _ServiceApp(
        title="press-toolkit",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN, which an offline office cannot reach; /openapi.json stays.
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    app.state.libretranslate = translation

    @app.exception_handler(RequestValidationError)
    async def validation_failed(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(error)}, status_code=422)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, error: Exception) -> JSONResponse:
        # Starlette re-raises the error after this answer, and uvicorn logs it with its traceback.
        return JSONResponse({"detail": "internal error; the service's log has the details"}, status_code=500)

    app.include_router(api.router)
    app.include_router(web.router)
    app.include_router(libretranslate.router, prefix=config.service.libretranslate_prefix)
    app.mount("/static", StaticFiles(directory=web.static_folder()), name="static")

    settings = config.service
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type"],
            expose_headers=["Location", "Content-Disposition"],
        )
    app.add_middleware(RequestGuardMiddleware, loopback_only=not settings.api_keys, cors_origins=settings.cors_origins)
    # Added last, so it runs first: a body too large is refused before anything else looks at the request.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    return app
