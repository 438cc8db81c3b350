"""The web page: paste or upload a release, pick languages, watch the job, see previews, download, read the QA.

Server-rendered from ``templates/service/`` (Jinja2, autoescaped: release
text is always escaped), with labels from the gettext catalogs in German or
English (``?lang=``, else ``Accept-Language``). The job page refreshes itself
while the job runs (a few lines of ``static/service.js``; a ``<noscript>``
meta refresh without JavaScript). With API keys configured, a sign-in form
takes a key and sets a session cookie (:mod:`toolkit.service.security`);
every form carries a CSRF token.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..labels import N_, translations_for
from ..resources import templates_dir
from . import api, files, views
from .runtime import Service, service_of
from .security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_SECONDS,
    new_csrf_token,
    same_token,
)
from .store import JOB_ID_PATTERN, JobRecord
from .submit import LanguageUnavailable, SubmissionError, check_form_charset, from_form

__all__ = ["CONTENT_SECURITY_POLICY", "UI_LANGUAGES", "router", "static_folder", "ui_language"]

#: Languages of the web page's labels; any other asks for English.
UI_LANGUAGES = ("en", "de")
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
router = APIRouter(include_in_schema=False)


def static_folder() -> str:
    return str(templates_dir() / "service" / "static")


def ui_language(request: Request) -> tuple[str, bool]:
    """The page's language and whether ``?lang=`` chose it (then links keep it).

    ``?lang=`` if it is one of :data:`UI_LANGUAGES`; else the first of them in
    ``Accept-Language`` by quality; else English.
    """
    asked = request.query_params.get("lang", "").lower()
    if asked in UI_LANGUAGES:
        return asked, True
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, parameters = item.strip().partition(";")
        quality = 1.0
        if parameters.strip().startswith("q="):
            try:
                quality = float(parameters.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, position, tag.split("-")[0].strip().lower()))
    for _, _, language in sorted(ranked):
        if language in UI_LANGUAGES:
            return language, False
    return "en", False


@functools.cache
def _environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir() / "service"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations_for(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def _signed_in(request: Request, service: Service) -> bool:
    return not service.keys.required or service.keys.valid_session(request.cookies.get(SESSION_COOKIE))


class _Page:
    """What every page needs: language, links that keep it, the CSRF token, the session."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.service = service_of(request)
        self.language, self.explicit = ui_language(request)
        self.csrf = request.cookies.get(CSRF_COOKIE) or new_csrf_token()
        self.signed_in = _signed_in(request, self.service)

    def url(self, path: str) -> str:
        return f"{path}?lang={self.language}" if self.explicit else path

    def render(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        env = _environment(self.language)
        html = env.get_template(template).render(
            ui_lang=self.language,
            ui_choices=[("de", "Deutsch"), ("en", "English")],
            url=self.url,
            static=lambda name: f"/static/{name}",
            csrf_token=self.csrf,
            signed_in=self.signed_in,
            keys_required=self.service.keys.required,
            organization=self.service.config.branding.organization if self.service.config.branded else None,
            **{"refresh": False, **context},
        )
        response = HTMLResponse(html, status_code=status, headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-store", "Vary": "Accept-Language, Cookie",
        })
        if self.request.cookies.get(CSRF_COOKIE) != self.csrf:
            _set_cookie(self.request, response, CSRF_COOKIE, self.csrf, max_age=None)
        return response

    def redirect(self, path: str) -> RedirectResponse:
        return RedirectResponse(self.url(path), status_code=303)

    def error(self, status: int, title: str, message: str) -> HTMLResponse:
        gettext = translations_for(self.language).gettext
        return self.render("error.html.j2", status=status, title=gettext(title), message=message)

    def check_csrf(self, token: str | None) -> HTMLResponse | None:
        """None if the form's token matches the cookie; else the page to answer with."""
        if same_token(token, self.request.cookies.get(CSRF_COOKIE)):
            return None
        gettext = translations_for(self.language).gettext
        return self.error(403, N_("The form has expired"),
                          gettext("The form has expired or came from another page. Reload the page and send it again."))


def _set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def _printable(text: str) -> str:
    """``text`` as the page can show it again: half a surrogate pair (a form in UTF-7 can send one) becomes ``?``."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _require_session(request: Request) -> None:
    """For downloads: a signed-in browser (or no keys configured)."""
    if not _signed_in(request, service_of(request)):
        raise HTTPException(401, "sign in on the web page first (or use the API with an API key)")


# --- pages ----------------------------------------------------------------------------


def _index(page: _Page, *, status: int = 200, error: str | None = None, text: str = "", chosen: tuple[str, ...] = (),
           source_format: str = "auto") -> HTMLResponse:
    jobs = page.service.store.recent(limit=20)
    offer = page.service.language_offer()  # the models installed now: one installed a minute ago is offered
    zone = page.service.settings.time_zone
    return page.render(
        "index.html.j2", status=status, error=error, text=text, source_format=source_format,
        languages=views.language_choices(offer.offered, chosen, page.language),
        unavailable=views.unavailable_messages(offer, page.language),
        jobs=[views.JobSummary.of(job, page.language, page.url, zone) for job in jobs],
    )


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> Response:
    page = _Page(request)
    if not page.signed_in:
        return page.redirect("/login")
    return _index(page)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    page = _Page(request)
    if not page.service.keys.required:
        return page.redirect("/")
    return page.render("login.html.j2", error=None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, key: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "") -> Response:
    page = _Page(request)
    refused = page.check_csrf(csrf_token)
    if refused is not None:
        return refused
    if not page.service.keys.valid(key.strip()):
        gettext = translations_for(page.language).gettext
        return page.render("login.html.j2", status=403, error=gettext("This API key is not valid."))
    response = page.redirect("/")
    _set_cookie(request, response, SESSION_COOKIE, page.service.keys.session(key.strip()), max_age=SESSION_SECONDS)
    return response


@router.post("/logout", response_class=HTMLResponse)
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    page = _Page(request)
    refused = page.check_csrf(csrf_token)
    if refused is not None:
        return refused
    response = page.redirect("/login" if page.service.keys.required else "/")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.post("/jobs", response_class=HTMLResponse)
async def submit(request: Request) -> Response:
    page = _Page(request)
    limit = page.service.settings.max_request_bytes
    try:
        check_form_charset(request.headers.get("content-type", ""))  # browsers send none; a made-up one is refused
    except SubmissionError as error:
        raise HTTPException(error.status, str(error)) from None
    async with request.form(max_files=1, max_fields=50, max_part_size=limit) as form:
        token = form.get("csrf_token")
        refused = page.check_csrf(token if isinstance(token, str) else None)
        if refused is not None:
            return refused
        if not page.signed_in:
            return page.redirect("/login")
        text = form.get("text")
        chosen = tuple(value for value in form.getlist("languages") if isinstance(value, str))
        declared = form.get("format")
        try:
            offer = await run_in_threadpool(page.service.language_offer)
            submission = await from_form(form, offer)
            job = await run_in_threadpool(page.service.submit, submission)
        except SubmissionError as error:
            message = (views.unavailable_message(error.source, error.language, page.language)
                       if isinstance(error, LanguageUnavailable) else str(error))
            return await run_in_threadpool(
                _index, page, status=error.status, error=message, text=_printable(text) if isinstance(text, str) else "",
                chosen=chosen, source_format=declared if isinstance(declared, str) else "auto",
            )
    return page.redirect(f"/jobs/{job.id}")


def _job_page(page: _Page, job: JobRecord) -> HTMLResponse:
    gettext = translations_for(page.language).gettext
    store = page.service.store
    return page.render(
        "job.html.j2",
        job=job,
        state_label=gettext(views.JOB_STATES[job.state]),
        percent=round(job.progress * 100),
        created=views.moment(job.created, page.language, page.service.settings.time_zone),
        finished=views.moment(job.finished, page.language, page.service.settings.time_zone),
        requested=", ".join(views.language_name(code, page.language) for code in job.requested),
        languages=views.language_views(store, job, page.language),
        archive_url=f"/jobs/{job.id}/archive.zip" if files.output_folder(store, job) else None,
        refresh=job.state in ("queued", "running"),
    )


WebJobId = Annotated[str, Path(pattern=JOB_ID_PATTERN)]


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: WebJobId) -> Response:
    page = _Page(request)
    if not page.signed_in:
        return page.redirect("/login")
    job = page.service.store.get(job_id)
    if job is None:
        gettext = translations_for(page.language).gettext
        return page.error(404, N_("No such job"), gettext("There is no job %(id)s.") % {"id": job_id})
    return _job_page(page, job)


@router.get("/jobs/{job_id}/files/{name}", dependencies=[Depends(_require_session)])
def web_download(request: Request, job_id: WebJobId, name: str) -> FileResponse:
    return api.file_response(service_of(request), job_id, name)


@router.get("/jobs/{job_id}/archive.zip", dependencies=[Depends(_require_session)])
def web_archive(request: Request, job_id: WebJobId) -> Response:
    return api.archive_response(service_of(request), job_id)


@router.get("/jobs/{job_id}/preview/{language}.png", dependencies=[Depends(_require_session)])
def web_preview(request: Request, job_id: WebJobId, language: str) -> FileResponse:
    return api.preview_response(service_of(request), job_id, language)
