"""The REST API under ``/api/v1`` (see ``docs/service.md``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError

from ..version import __version__
from ..errors import PressToolkitError
from . import files, schemas
from .preview import preview_png
from .runtime import Service, service_of
from .store import JOB_ID_PATTERN, JobRecord
from .submit import MEDIA_TYPES, SubmissionError, check_form_charset, from_form, from_raw

__all__ = ["PREFIX", "archive_response", "file_response", "job_status", "offer_languages", "preview_response", "router"]

logger = logging.getLogger(__name__)

PREFIX = "/api/v1"

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="One of the service's API keys.")
_bearer = HTTPBearer(auto_error=False, description="One of the service's API keys, as a bearer token.")


Responses = dict[int | str, dict[str, Any]]


def _error(description: str) -> dict[str, Any]:
    return {"model": schemas.ErrorMessage, "description": description}


AUTH_ERRORS: Responses = {
    401: _error("No API key was sent (the service has keys configured)."),
    403: _error("The API key is not one of the service's keys."),
}
NOT_FOUND: Responses = {404: _error("No such job, or no such file in it (yet).")}
INVALID: Responses = {422: _error("A parameter is not valid; the message names it.")}


def require_api_key(
    request: Request,
    api_key: Annotated[str | None, Security(_api_key)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> None:
    """The request carries one of the configured keys (any request passes when none are configured)."""
    keys = service_of(request).keys
    if not keys.required:
        return
    candidate = api_key or (bearer.credentials if bearer is not None else None)
    if not candidate:
        raise HTTPException(
            401,
            "this service needs an API key: send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'",
            headers={"WWW-Authenticate": 'Bearer realm="presskit"'},
        )
    if not keys.valid(candidate):
        raise HTTPException(403, "the API key is not valid")


router = APIRouter(prefix=PREFIX)
protected = APIRouter(dependencies=[Depends(require_api_key)], responses=AUTH_ERRORS)

JobId = Annotated[str, Path(pattern=JOB_ID_PATTERN, description="A job id as the service returned it (32 hex digits).")]


def _job(service: Service, job_id: str) -> JobRecord:
    job = service.store.get(job_id)
    if job is None:
        raise HTTPException(404, f"no job {job_id}")
    return job


def job_status(service: Service, job: JobRecord, *, include_qa: bool = True) -> schemas.JobStatus:
    """The status of ``job``, with the API's links to its files."""
    base = f"{PREFIX}/jobs/{job.id}"
    languages = []
    for entry in job.languages:
        links = [
            schemas.FileLink(name=f.name, language=f.language, format=f.format,  # type: ignore[arg-type]  # pydantic checks it
                             size=f.size, sha256=f.sha256, url=f"{base}/files/{f.name}")
            for f in job.files
            if f.language == entry.language and f.format in files.DOWNLOAD_FORMATS
        ]
        languages.append(schemas.LanguageStatus(
            language=entry.language, state=entry.state, route=entry.route, error=entry.error, files=links,
            qa=_qa(service, job, entry.language) if include_qa and entry.route is not None else None,
            preview_url=f"{base}/preview/{entry.language}.png" if any(link.format == "pdf" for link in links) else None,
        ))
    return schemas.JobStatus(
        id=job.id, state=job.state, progress=job.progress, created=job.created, started=job.started, finished=job.finished,
        requested=list(job.requested), source_language=job.source_language, headline=job.headline, error=job.error,
        warnings=list(job.warnings), languages=languages,
        archive_url=f"{base}/archive.zip" if files.output_folder(service.store, job) is not None else None,
    )


def _qa(service: Service, job: JobRecord, language: str) -> schemas.QAReport | None:
    report = files.qa_report(service.store, job, language)
    if report is None:
        return None
    try:
        return schemas.QAReport.model_validate(report)
    except ValidationError as error:
        logger.warning("job %s: %s.qa.json does not have the expected form: %s", job.id, language, error)
        return None


# --- public ---------------------------------------------------------------------------


@router.get("/health", response_model=schemas.Health, summary="Is the service up?", tags=["service"])
def health(request: Request) -> schemas.Health:
    """Needs no key. Counts the worker processes alive and the jobs waiting."""
    service = service_of(request)
    counts = service.store.counts()
    return schemas.Health(status="ok", version=__version__, workers_alive=service.pool.alive(), workers=service.pool.size,
                          queued=counts["queued"], running=counts["running"])


# --- with a key -----------------------------------------------------------------------


@protected.get("/languages", response_model=schemas.Languages, summary="Languages offered and models installed", tags=["service"])
def languages(request: Request) -> schemas.Languages:
    """Read at each request: a model installed while the service runs is offered at once."""
    import warnings

    from ..translate.packages import PackageWarning, installed_models

    service = service_of(request)
    offer = service.language_offer()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PackageWarning)
        models = installed_models(service.config.translation.models)
    return schemas.Languages(
        offered=list(offer.offered),
        unavailable=[schemas.UnavailableLanguage(language=language, missing=list(missing))
                     for language, missing in offer.missing.items()],
        pairs=[schemas.LanguagePair(source=m.source, target=m.target, name=m.name, version=m.version) for m in models],
    )


_SUBMIT_BODY = {
    "required": True,
    "description": (
        "The release: a raw body with a Content-Type declaring its type (`text/plain`, `text/markdown` for Markdown "
        "with front matter, `application/json` for release JSON), or a multipart form with `file` (the suffix "
        ".txt/.md/.json tells the type) or `text`, optional `format` (text, markdown, json) and `languages`."
    ),
    "content": {
        **{media_type: {"schema": {"type": "string"}} for media_type in MEDIA_TYPES if media_type != "application/json"},
        "application/json": {"schema": {"type": "object", "description": "Release JSON, as `presskit parse` prints it."}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "text": {"type": "string"},
                    "format": {"type": "string", "enum": ["auto", "text", "markdown", "json"]},
                    "languages": {"type": "array", "items": {"type": "string"}},
                },
            }
        },
    },
}


@protected.post(
    "/jobs",
    status_code=202,
    response_model=schemas.Accepted,
    summary="Submit a release to translate and typeset",
    tags=["jobs"],
    openapi_extra={"requestBody": _SUBMIT_BODY},
    responses={
        202: {"description": "Queued; poll the status URL (also in the Location header)."},
        413: _error("The body is larger than service.max_request_mb."),
        415: _error("The Content-Type or file type is not a release type."),
        422: _error("Empty release, or a language not offered or without an installed model; the message names it "
                    "and the choices or the reason."),
        503: _error("Too many jobs are waiting."),
    },
)
async def submit_job(
    request: Request,
    languages: Annotated[list[str] | None, Query(description="Languages to build, e.g. `en,fr` (or repeated); the "
                                                 "release's own language is always built too.")] = None,
) -> JSONResponse:
    service = service_of(request)
    offered = await run_in_threadpool(service.language_offer)  # lists the model folders: not on the event loop
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.lower().startswith("multipart/form-data"):
            check_form_charset(content_type)
            limit = service.settings.max_request_bytes
            async with request.form(max_files=1, max_fields=50, max_part_size=limit) as form:
                submission = await from_form(form, offered, languages=languages or ())
        else:
            submission = from_raw(await request.body(), content_type, languages or (), offered)
        job = await run_in_threadpool(service.submit, submission)
    except SubmissionError as error:
        raise HTTPException(error.status, str(error)) from None
    status_url = f"{PREFIX}/jobs/{job.id}"
    body = schemas.Accepted(id=job.id, state=job.state, status_url=status_url)
    return JSONResponse(body.model_dump(mode="json"), status_code=202, headers={"Location": status_url})


def offer_languages(schema: dict[str, Any], languages: Sequence[str]) -> dict[str, Any]:
    """The OpenAPI ``schema`` with the languages this service offers as the only choices of ``languages``.

    The routes are made once, the languages are the configuration's: without
    this the schema allows any string, which a client (or a schema-driven
    tester) can only learn from a 422.
    """
    choices = {"type": "string", "enum": list(languages)}
    submit = schema.get("paths", {}).get(f"{PREFIX}/jobs", {}).get("post", {})
    for parameter in submit.get("parameters", []):
        if parameter.get("name") == "languages":
            for branch in parameter.get("schema", {}).get("anyOf", [parameter.get("schema", {})]):
                if branch.get("type") == "array":
                    branch["items"] = dict(choices)
    form = submit.get("requestBody", {}).get("content", {}).get("multipart/form-data", {}).get("schema", {})
    if "languages" in form.get("properties", {}):
        form["properties"]["languages"]["items"] = dict(choices)
    return schema


@protected.get("/jobs", response_model=schemas.JobList, summary="The newest jobs", tags=["jobs"], responses=INVALID)
def list_jobs(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> schemas.JobList:
    store = service_of(request).store
    return schemas.JobList(jobs=[
        schemas.JobSummary(id=job.id, state=job.state, created=job.created, finished=job.finished, headline=job.headline,
                           languages=list(job.language_codes or job.requested), error=job.error,
                           status_url=f"{PREFIX}/jobs/{job.id}")
        for job in store.recent(limit=limit)
    ])


@protected.get("/jobs/{job_id}", response_model=schemas.JobStatus, summary="A job's progress, files and QA",
               tags=["jobs"], responses={**NOT_FOUND, **INVALID})
def get_job(
    request: Request,
    job_id: JobId,
    qa: Annotated[bool, Query(description="Include each translation's QA report (false for light polling).")] = True,
) -> schemas.JobStatus:
    service = service_of(request)
    return job_status(service, _job(service, job_id), include_qa=qa)


def _download_headers(job: JobRecord, name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{job.output}-{name}"', "Content-Security-Policy": "sandbox"}


def file_response(service: Service, job_id: str, name: str) -> FileResponse:
    job = _job(service, job_id)
    found = files.download(service.store, job, name)
    if found is None:
        offered = ", ".join(f.name for f in job.files if f.format in files.DOWNLOAD_FORMATS) or "none yet"
        raise HTTPException(404, f"job {job.id} has no file {name[:60]!r} (its files: {offered})")
    record, path = found
    return FileResponse(path, media_type=files.MEDIA_TYPES[record.format], headers=_download_headers(job, record.name))


def archive_response(service: Service, job_id: str) -> Response:
    job = _job(service, job_id)
    data = files.archive_bytes(service.store, job)
    if data is None:
        raise HTTPException(404, f"job {job.id} is {job.state}; its files can be downloaded once it is done")
    return Response(data, media_type="application/zip", headers=_download_headers(job, "files.zip"))


def preview_response(service: Service, job_id: str, language: str) -> FileResponse:
    job = _job(service, job_id)
    found = files.preview_cache(service.store, job, language)
    if found is None:
        raise HTTPException(404, f"job {job.id} has no PDF in {language[:20]!r} (yet)")
    pdf, cache = found
    try:
        png = preview_png(pdf, cache)
    except PressToolkitError as error:
        raise HTTPException(500, f"cannot render a preview: {error}") from None
    return FileResponse(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


_FILE_RESPONSES: Responses = {**NOT_FOUND, **INVALID}


@protected.get("/jobs/{job_id}/files/{name}", summary="Download one file (`<lang>.pdf`, `.html` or `.json`)",
               tags=["jobs"], response_class=FileResponse,
               responses={200: {"content": {"application/pdf": {}, "text/html": {}, "application/json": {}},
                                "description": "The file, as an attachment."}, **_FILE_RESPONSES})
def download_file(request: Request, job_id: JobId, name: Annotated[str, Path(description="`<lang>.<pdf|html|json>`")]) -> FileResponse:
    return file_response(service_of(request), job_id, name)


@protected.get("/jobs/{job_id}/archive.zip", summary="Download every file as a ZIP", tags=["jobs"],
               response_class=Response,
               responses={200: {"content": {"application/zip": {}}, "description": "The job's files in one folder."},
                          **_FILE_RESPONSES})
def download_archive(request: Request, job_id: JobId) -> Response:
    return archive_response(service_of(request), job_id)


@protected.get("/jobs/{job_id}/preview/{language}.png", summary="PNG of a PDF's first page", tags=["jobs"],
               response_class=FileResponse,
               responses={200: {"content": {"image/png": {}}, "description": "The first page, 640 pixels wide."},
                          **_FILE_RESPONSES})
def preview(request: Request, job_id: JobId, language: str) -> FileResponse:
    return preview_response(service_of(request), job_id, language)


router.include_router(protected)
