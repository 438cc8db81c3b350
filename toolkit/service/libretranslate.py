"""LibreTranslate's API, so its clients (libretranslatepy, CAT tools, browser add-ons …) can use the service.

The endpoints, fields, status codes and error shape ``{"error": "…"}`` follow
LibreTranslate's ``libretranslate/app.py``: ``POST /translate``, ``GET
/languages``, ``POST /detect``, ``POST /translate_file`` with ``GET
/download_file/<name>``, ``GET /frontend/settings``, ``GET /health`` and
``POST /suggest`` (suggestions are off, as they are by default there).
Fields come from a JSON body, or else from the query string and a form body
(query first), as LibreTranslate reads them; a form may repeat ``q`` for a
list. They sit at the root or under ``service.libretranslate_prefix``.

What differs, on purpose:

* Texts go through the toolkit's pipeline (facts protected and localized,
  glossary and do-not-translate applied, translation memory used), in a
  dedicated translation process (:mod:`toolkit.service.lt_process`), with
  concurrent requests gathered into shared model calls
  (:mod:`toolkit.service.batcher`).
* The toolkit makes one translation, so ``alternatives`` is answered with
  empty lists.
* Every answer also has a ``presskit`` field (route, QA findings, segments
  by origin) and an ``X-Presskit-QA`` header (``passed; errors=0;
  warnings=2``); LibreTranslate clients ignore both.
* Keys: ``api_key`` in the body or query, or the service's own headers.
  As in LibreTranslate, an unknown key is refused with 403 ``Invalid API
  key`` and a missing one with 400 ``Please contact the server operator to
  get an API key``; ``/languages``, ``/frontend/settings``, ``/health`` and
  a download (its URL holds a random token) need none.
* A text file (``.txt``) is translated line by line, as LibreTranslate does;
  any other file :func:`toolkit.read.read_release` reads (``.md``, release
  ``.json``, ``.docx`` …) is read as a release and answered with the
  translated release as release JSON.

``$PRESSKIT_LT_BATCH_MS`` (default 20; 0 turns batching off: one request
per model call) and ``$PRESSKIT_LT_BATCH_LINES`` (default 64) tune the
batching.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from ..config import Config
from ..errors import PressToolkitError
from .batcher import Batcher
from .lt_files import FileStore, suffix_of, supported_suffixes
from .lt_languages import UNKNOWN, LanguageTable, detect, language_name, language_table
from .lt_process import TranslationProcess
from .lt_worker import FileJob, TextJob, TextResult, translate_file, translate_texts
from .security import Keys

__all__ = ["QA_HEADER", "LibreTranslate", "LibreTranslateError", "router"]

logger = logging.getLogger(__name__)

QA_HEADER = "X-Presskit-QA"
WINDOW_VARIABLE = "PRESSKIT_LT_BATCH_MS"
LINES_VARIABLE = "PRESSKIT_LT_BATCH_LINES"
DEFAULT_WINDOW_MS = 20
DEFAULT_LINES = 64
#: Seconds the list of installed routes is reused before the packages folder is read again.
TABLE_SECONDS = 5.0
NEED_KEY = "Please contact the server operator to get an API key"


class LibreTranslateError(Exception):
    """Answered as LibreTranslate answers errors: ``{"error": message}`` with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _missing(name: str) -> LibreTranslateError:
    return LibreTranslateError(400, f"Invalid request: missing {name} parameter")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        logger.warning("$%s=%r is not a whole number ≥ 0; using %d", name, value, default)
        return default
    return int(value)


# --- the running part ---------------------------------------------------------------------


class LibreTranslate:
    """The translation process, the batcher, the file store and the route list of the endpoints."""

    def __init__(self, config: Config, keys: Keys) -> None:
        self.config = config
        self.keys = keys
        self.process = TranslationProcess(config.translation, config.branded)
        self.files = FileStore(config.service.jobs_path / "libretranslate")
        window_ms, lines = _env_int(WINDOW_VARIABLE, DEFAULT_WINDOW_MS), _env_int(LINES_VARIABLE, DEFAULT_LINES)
        self.batching = window_ms > 0
        self.batcher: Batcher[TextJob, TextResult] = Batcher(
            self._run_batch,
            window=window_ms / 1000,
            max_weight=max(1, lines) if self.batching else 1,
            weight=lambda job: sum(text.count("\n") + 1 for text in job.texts),
        )
        self._table: tuple[float, LanguageTable] | None = None
        self._awake = False

    def start(self) -> None:
        how = (f"batching {self.batcher.window * 1000:g} ms, up to {self.batcher.max_weight} lines" if self.batching
               else "batching off")
        logger.info("LibreTranslate endpoints at %s/; %s", self.config.service.libretranslate_prefix, how)

    def wake(self) -> None:
        """On the first request: start the translation process and load py3langid (about a second) in the background.

        Not at start-up, so a service whose LibreTranslate endpoints nobody uses has no extra process.
        Clients usually ask for ``/languages`` first, so the model is loading by their first ``/translate``.
        """
        if self._awake:
            return
        self._awake = True
        self.process.start()
        threading.Thread(target=detect, args=("Guten Tag", ("de", "en")), name="langid-warm-up", daemon=True).start()

    async def stop(self) -> None:
        await self.batcher.close()
        await run_in_threadpool(self.process.stop)
        if self.batcher.batches:
            logger.info("LibreTranslate: %d requests in %d model batches", self.batcher.items, self.batcher.batches)

    async def translate(self, job: TextJob) -> TextResult:
        return await self.batcher.submit(job)

    async def _run_batch(self, jobs: Sequence[TextJob]) -> list[TextResult]:
        return await self.process.call(translate_texts, list(jobs))

    async def languages(self) -> LanguageTable:
        cached = self._table
        if cached is not None and time.monotonic() - cached[0] < TABLE_SECONDS:
            return cached[1]
        table = await run_in_threadpool(self._read_table)
        self._table = (time.monotonic(), table)
        return table

    def _read_table(self) -> LanguageTable:
        from ..translate.packages import installed_models

        return language_table(installed_models(self.config.translation.models), self.config.service.languages)

    def check_key(self, request: Request, fields: Fields) -> None:
        """As LibreTranslate: a wrong key is 403, a missing one 400 (when the service has keys)."""
        if not self.keys.required:
            return
        bearer = request.headers.get("authorization", "")
        candidate = (fields.text("api_key") or request.headers.get("x-api-key")
                     or (bearer[7:].strip() if bearer[:7].lower() == "bearer " else None))
        if not candidate:
            raise LibreTranslateError(400, NEED_KEY)
        if not self.keys.valid(candidate):
            raise LibreTranslateError(403, "Invalid API key")


def runtime_of(request: Request) -> LibreTranslate:
    runtime = request.app.state.libretranslate
    assert isinstance(runtime, LibreTranslate)
    runtime.wake()
    return runtime


# --- reading fields -------------------------------------------------------------------------


@dataclass
class Fields:
    """A request's fields: a JSON object, or the query string followed by the form."""

    values: dict[str, list[Any]]
    is_json: bool
    form: FormData | None = field(default=None, repr=False)

    def first(self, name: str) -> Any:
        values = self.values.get(name)
        return values[0] if values else None

    def text(self, name: str) -> str | None:
        value = self.first(name)
        if value is None or isinstance(value, UploadFile):
            return None
        if isinstance(value, (list, dict)):
            raise LibreTranslateError(400, f"Invalid request: {name} parameter must be a string")
        return str(value)

    def code(self, name: str) -> str:
        """A language code, lower case as LibreTranslate compares them; missing is an error."""
        value = (self.text(name) or "").strip().lower()
        if not value:
            raise _missing(name)
        return value

    def texts(self, name: str) -> list[str] | str | None:
        """``q``: one string, or a list (a JSON list, or the field repeated in a form)."""
        values = self.values.get(name) or []
        if self.is_json:
            value = values[0] if values else None
            if isinstance(value, list):
                if not all(isinstance(item, str) for item in value):
                    raise LibreTranslateError(400, f"Invalid request: {name} must be a string or a list of strings")
                return value
            return None if value is None else self.text(name)
        strings = [value for value in values if isinstance(value, str)]
        return strings if len(strings) > 1 else (strings[0] if strings else None)


def _is_json(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


@contextlib.asynccontextmanager
async def request_fields(request: Request) -> AsyncIterator[Fields]:
    """The request's fields; uploaded files are closed when the block ends."""
    if _is_json(request):
        try:
            data = json.loads(await request.body() or b"null")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise LibreTranslateError(400, "Invalid JSON format")
        yield Fields({key: [value] for key, value in data.items()}, is_json=True)
        return
    values: dict[str, list[Any]] = {}
    for key, value in request.query_params.multi_items():
        values.setdefault(key, []).append(value)
    form = None
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST" and media_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form()
        except Exception as error:  # noqa: BLE001 - Starlette raises several kinds for a broken body
            raise LibreTranslateError(400, f"Invalid request: the form cannot be read ({error})") from None
        for name, item in form.multi_items():
            values.setdefault(name, []).append(item)
    try:
        yield Fields(values, is_json=False, form=form)
    finally:
        if form is not None:
            await form.close()


# --- answers --------------------------------------------------------------------------------


def qa_summary(findings: Sequence[dict[str, Any]], *, translated: bool) -> str:
    """The ``X-Presskit-QA`` value: ``passed``/``failed``/``skipped`` and the counts (ASCII, as headers must be).

    >>> qa_summary([{"severity": "warning"}], translated=True)
    'passed; errors=0; warnings=1'
    """
    errors = sum(1 for finding in findings if finding.get("severity") == "error")
    warnings = sum(1 for finding in findings if finding.get("severity") == "warning")
    verdict = "skipped" if not translated else "failed" if errors else "passed"
    return f"{verdict}; errors={errors}; warnings={warnings}"


def _presskit(route: str | None, findings: Sequence[dict[str, Any]], origins: Sequence[tuple[str, int]] = ()) -> dict[str, Any]:
    return {
        "route": route,
        "qa": {"passed": not any(f.get("severity") == "error" for f in findings), "findings": list(findings)},
        "segments": dict(origins),
    }


class LibreTranslateRoute(APIRoute):
    """A route whose :class:`LibreTranslateError` becomes LibreTranslate's ``{"error": …}`` answer."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except LibreTranslateError as error:
                return JSONResponse({"error": error.message}, status_code=error.status)
            except PressToolkitError as error:  # the translation process died, or the service is stopping
                return JSONResponse({"error": str(error)}, status_code=500)
            except Exception:  # noqa: BLE001 - LibreTranslate's error shape for everything, logged with its traceback
                logger.exception("%s %s failed", request.method, request.url.path)
                return JSONResponse({"error": "internal error; the service's log has the details"}, status_code=500)

        return answer


# Not in /openapi.json, which describes the service's own API: LibreTranslate documents these endpoints itself.
router = APIRouter(route_class=LibreTranslateRoute, include_in_schema=False)


# --- endpoints ------------------------------------------------------------------------------


@router.get("/languages", summary="Languages and the languages each translates into (LibreTranslate)")
async def languages(request: Request) -> Response:
    table = await runtime_of(request).languages()
    return JSONResponse([{"code": code, "name": language_name(code), "targets": list(targets)}
                         for code, targets in table.targets.items()])


@dataclass(frozen=True)
class _TranslateRequest:
    texts: list[str]
    batch: bool
    source: str
    target: str
    text_format: str
    alternatives: int


def _translate_request(fields: Fields) -> _TranslateRequest:
    """The fields of ``/translate``, checked in LibreTranslate's order and with its messages."""
    q = fields.texts("q")
    if not q:
        raise _missing("q")
    source, target = fields.code("source"), fields.code("target")
    try:
        alternatives = max(0, int(fields.text("alternatives") or 0))
    except ValueError:
        raise LibreTranslateError(400, "Invalid request: alternatives parameter is not a number") from None
    texts = q if isinstance(q, list) else [q]
    if not fields.is_json:
        texts = ["\n".join(text.splitlines()) for text in texts]  # line ends as LibreTranslate normalizes a form's
    return _TranslateRequest(texts=texts, batch=isinstance(q, list), source=source, target=target,
                             text_format=(fields.text("format") or "text").strip().lower(), alternatives=alternatives)


def _check_pair(table: LanguageTable, source: str, target: str) -> None:
    for code in (source, target):
        if not table.knows(code):
            raise LibreTranslateError(400, f"{code} is not supported")
    if source != target and not table.translates(source, target):
        raise LibreTranslateError(400, f"{language_name(target)} ({target}) is not available as a target language "
                                       f"from {language_name(source)} ({source})")


@router.post("/translate", summary="Translate text (LibreTranslate)")
async def translate(request: Request) -> Response:
    runtime = runtime_of(request)
    async with request_fields(request) as fields:
        runtime.check_key(request, fields)
        asked = _translate_request(fields)
    table = await runtime.languages()
    translatable = any(char.isalnum() for text in asked.texts for char in text)
    detected: dict[str, Any] | None = None
    source = asked.source
    if not translatable:
        detected, source = dict(UNKNOWN), asked.target  # nothing to translate: the text comes back as it is
    elif source == "auto":
        detected = (await run_in_threadpool(detect, "\n".join(asked.texts), table.codes))[0]
        source = str(detected["language"])
    _check_pair(table, source, asked.target)
    if asked.text_format not in ("text", "html"):
        raise LibreTranslateError(400, f"{asked.text_format} format is not supported")
    if source == asked.target:
        result = TextResult(texts=tuple(asked.texts))
    else:
        result = await runtime.translate(TextJob(texts=tuple(asked.texts), source=source, target=asked.target,
                                                  html=asked.text_format == "html"))
    if result.error is not None:
        raise LibreTranslateError(400 if result.client_error else 500, result.error)
    body: dict[str, Any] = {"translatedText": list(result.texts) if asked.batch else result.texts[0]}
    if asked.source == "auto":
        body["detectedLanguage"] = [detected] * len(asked.texts) if asked.batch else detected
    if asked.alternatives > 0:
        body["alternatives"] = [[] for _ in asked.texts] if asked.batch else []
    body["presskit"] = _presskit(result.route, result.findings, result.origins)
    return JSONResponse(body, headers={QA_HEADER: qa_summary(result.findings, translated=result.route is not None)})


@router.post("/detect", summary="Detect the language of a text (LibreTranslate)")
async def detect_language(request: Request) -> Response:
    runtime = runtime_of(request)
    async with request_fields(request) as fields:
        runtime.check_key(request, fields)
        q = fields.texts("q")
    if not q:
        raise _missing("q")
    table = await runtime.languages()
    text = "\n".join(q) if isinstance(q, list) else q
    return JSONResponse(await run_in_threadpool(detect, text, table.codes))


@router.post("/translate_file", summary="Translate a file (LibreTranslate)")
async def translate_a_file(request: Request) -> Response:
    runtime = runtime_of(request)
    async with request_fields(request) as fields:
        runtime.check_key(request, fields)
        upload = fields.first("file")
        if not isinstance(upload, UploadFile):
            raise _missing("file")
        source, target = fields.code("source"), fields.code("target")
        if not upload.filename:
            raise LibreTranslateError(400, "Invalid request: empty file")
        if suffix_of(upload.filename) not in supported_suffixes():
            raise LibreTranslateError(400, "Invalid request: file format not supported")
        table = await runtime.languages()
        if source == "auto":
            if not table.knows(target):
                raise LibreTranslateError(400, f"{target} is not supported")
        else:
            _check_pair(table, source, target)
        await run_in_threadpool(runtime.files.prune)
        stored = await run_in_threadpool(runtime.files.save, upload.file, upload.filename)
    job = FileJob(kind=stored.kind, source_path=str(stored.source_path), output_path=str(stored.output_path),
                  filename=upload.filename, source=source, target=target, candidates=table.codes)
    result = await runtime.process.call(translate_file, job)
    if result.error is not None:
        raise LibreTranslateError(400 if result.client_error else 500, result.error)
    url = str(request.url_for("lt_download_file", filename=stored.url_name))
    return JSONResponse({"translatedFileUrl": url, "presskit": _presskit(result.route, result.findings, result.origins)},
                        headers={QA_HEADER: qa_summary(result.findings, translated=result.route is not None)})


@router.get("/download_file/{filename}", name="lt_download_file", summary="Download a translated file (LibreTranslate)")
async def download_file(request: Request, filename: str) -> Response:
    path = await run_in_threadpool(runtime_of(request).files.download, filename)
    if path is None:
        raise LibreTranslateError(404, "Invalid filename: no such translated file (they are kept for 30 minutes)")
    media_type = "application/json" if path.suffix == ".json" else "text/plain; charset=utf-8"
    return FileResponse(path, media_type=media_type, filename=path.name, headers={"Content-Security-Policy": "sandbox"})


@router.get("/frontend/settings", summary="Settings for LibreTranslate's web page and clients")
async def frontend_settings(request: Request) -> Response:
    runtime = runtime_of(request)
    table = await runtime.languages()
    targets = sorted({target for targets in table.targets.values() for target in targets})
    target = "en" if "en" in targets else (targets[0] if targets else "en")
    return JSONResponse({
        "charLimit": -1,
        "frontendTimeout": 500,
        "apiKeys": runtime.keys.required,
        "keyRequired": runtime.keys.required,
        "suggestions": False,
        "filesTranslation": True,
        "supportedFilesFormat": [suffix for suffix in supported_suffixes() if suffix],
        "language": {
            "source": {"code": "auto", "name": "Auto Detect"},
            "target": {"code": target, "name": language_name(target)},
        },
    })


@router.get("/health", summary="Is the service up? (LibreTranslate)")
async def health() -> Response:
    return JSONResponse({"status": "ok"})


@router.post("/suggest", summary="Suggestions are off (LibreTranslate)")
async def suggest() -> Response:
    raise LibreTranslateError(403, "Suggestions are disabled on this server.")
