"""What the web page shows of jobs, prepared in the page's language (the templates only lay it out)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime

from ..labels import N_, translations_for
from . import files
from .offer import LanguageOffer
from .store import JobRecord, JobStore, LanguageProblem

__all__ = [
    "FORMAT_LABELS",
    "JOB_STATES",
    "LANGUAGE_STATES",
    "MAX_FINDINGS_SHOWN",
    "SEVERITIES",
    "JobSummary",
    "LanguageChoice",
    "LanguageView",
    "language_choices",
    "language_name",
    "language_views",
    "moment",
    "problem_message",
    "qa_summary",
    "unavailable_message",
    "unavailable_messages",
]

#: Findings listed per language on the job page; the QA file has them all.
MAX_FINDINGS_SHOWN = 100

JOB_STATES = {"queued": N_("Queued"), "running": N_("Running"), "done": N_("Done"), "failed": N_("Failed")}
LANGUAGE_STATES = {
    "queued": N_("waiting"),
    "translating": N_("translating"),
    "translated": N_("translated"),
    "rendering": N_("typesetting"),
    "done": N_("done"),
    "failed": N_("failed"),
}
SEVERITIES = {"error": N_("Error"), "warning": N_("Warning"), "info": N_("Note")}
#: The parts of a release a QA finding's place names (``body[1].speaker.role``), as the web page says them.
PLACES = {
    "headline": N_("headline"),
    "subheadline": N_("subheadline %(number)s"),
    "image": N_("image"),
    "body": N_("paragraph %(number)s"),
    "boilerplate": N_("about the sender"),
    "contacts": N_("contact %(number)s"),
    "speaker": N_("speaker"),
    "items": N_("item %(number)s"),
    "paragraphs": N_("paragraph %(number)s"),
    "caption": N_("caption"),
    "credit": N_("credit"),
    "title": N_("title"),
    "alt": N_("image description"),
    "label": N_("label"),
    "role": N_("role"),
    "name": N_("name"),
}
_PLACE_PART = re.compile(r"(?P<name>[a-z_]+)(?:\[(?P<index>\d+)\])?")
FORMAT_LABELS = {"pdf": N_("PDF (print)"), "html": N_("HTML (web page)"), "json": N_("JSON (release data)")}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def language_name(code: str, ui: str) -> str:
    """``en`` in German: ``Englisch``; a code Babel does not know stays as it is.

    >>> language_name("en", "de"), language_name("pt-BR", "en"), language_name("xx", "en")
    ('Englisch', 'Portuguese (Brazil)', 'xx')
    """
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(ui) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def moment(value: dt.datetime | None, ui: str, zone: str = "UTC") -> str:
    """A time as the page shows it, in the office's time zone (``service.time_zone``), with the zone's abbreviation.

    >>> stored = dt.datetime(2026, 7, 1, 21, 18, tzinfo=dt.UTC)
    >>> moment(stored, "de", "Europe/Berlin"), moment(stored, "en", "UTC")
    ('01.07.26, 23:18 CEST', '7/1/26, 9:18\u202fPM UTC')
    """
    if value is None:
        return ""
    local = value.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{format_datetime(local, format='short', tzinfo=local.tzinfo, locale=ui)} {local.tzname()}"


# Office words: which language could not be built and whom to ask; never a command, a package name or a path
# (the API's ``error`` has those for the administrator).
_PROBLEMS: dict[LanguageProblem, str] = {
    "no_model": N_("%(target)s could not be built: there is no translation model from %(source)s into %(target)s on "
                   "this service. Ask your IT/administrator to install the %(source)s→%(target)s translation model."),
    "model_failed": N_("%(target)s could not be built: the %(source)s→%(target)s translation model could not be used; "
                       "it may be damaged. Ask your IT/administrator to reinstall the %(source)s→%(target)s translation "
                       "model."),
    "render_failed": N_("%(target)s could not be typeset. Ask your IT/administrator to look into the service's log."),
    "internal": N_("%(target)s could not be built. Ask your IT/administrator to look into the service's log."),
}


def problem_message(problem: LanguageProblem, source: str, target: str, ui: str) -> str:
    """Why ``target`` was not delivered, for the office, in the page's language.

    >>> problem_message("no_model", "de", "es", "en")
    'Spanish could not be built: there is no translation model from German into Spanish on this service. Ask your IT/administrator to install the German→Spanish translation model.'
    """
    gettext = translations_for(ui).gettext
    return gettext(_PROBLEMS[problem]) % {"source": language_name(source, ui), "target": language_name(target, ui)}


def unavailable_message(source: str, language: str, ui: str) -> str:
    """A submission refused for want of a model, for the office, in the page's language."""
    gettext = translations_for(ui).gettext
    return gettext(
        "%(language)s cannot be built at the moment: there is no translation model from %(source)s into %(language)s on "
        "this service. Ask your IT/administrator to install the %(source)s→%(language)s translation model."
    ) % {"source": language_name(source, ui), "language": language_name(language, ui)}


def unavailable_messages(offer: LanguageOffer, ui: str) -> list[str]:
    """Under the form: each configured language that cannot be built now, and whom to ask."""
    gettext = translations_for(ui).gettext
    return [
        gettext("Not available at the moment: %(language)s. Ask your IT/administrator to install the "
                "%(source)s→%(language)s translation model.")
        % {"source": language_name(offer.source, ui), "language": language_name(language, ui)}
        for language in offer.missing
    ]


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str
    checked: bool


def language_choices(offered: Sequence[str], chosen: Sequence[str], ui: str) -> list[LanguageChoice]:
    return [LanguageChoice(code, language_name(code, ui), code in chosen) for code in offered]


@dataclass(frozen=True)
class JobSummary:
    id: str
    url: str
    title: str
    state: str
    state_label: str
    created: str
    languages: str

    @classmethod
    def of(cls, job: JobRecord, ui: str, url: Callable[[str], str], zone: str = "UTC") -> JobSummary:
        gettext = translations_for(ui).gettext
        return cls(
            id=job.id, url=url(f"/jobs/{job.id}"), title=job.headline or job.id[:8], state=job.state,
            state_label=gettext(JOB_STATES[job.state]), created=moment(job.created, ui, zone),
            languages=", ".join(job.language_codes or job.requested),
        )


@dataclass(frozen=True)
class Download:
    label: str
    url: str
    size: str


@dataclass(frozen=True)
class Finding:
    location: str
    check: str
    severity: str
    severity_label: str
    message: str


@dataclass(frozen=True)
class QASummary:
    passed: bool
    errors: int
    warnings: int
    notes: int
    #: The first :data:`MAX_FINDINGS_SHOWN`, errors first.
    findings: tuple[Finding, ...]
    more: int


def place_in_words(location: str, ui: str) -> str:
    """Where in the release a finding is, in the page's language: ``body[1].speaker.role`` → "Paragraph 2, speaker, role".

    >>> place_in_words("body[1].speaker.role", "en"), place_in_words("contacts[0].label", "de")
    ('Paragraph 2, speaker, role', 'Kontakt 1, Bezeichnung')
    >>> place_in_words("subheadline[0]", "en"), place_in_words("body[3].text", "de")
    ('Subheadline 1', 'Absatz 4')
    """
    gettext = translations_for(ui).gettext
    words = []
    for part in location.split("."):
        match = _PLACE_PART.fullmatch(part)
        if match is None or match["name"] == "text":
            continue  # a paragraph's text is the paragraph
        message = PLACES.get(match["name"])
        if message is None:
            words.append(match["name"].replace("_", " "))
        elif "%(number)s" in message:
            words.append(gettext(message) % {"number": int(match["index"] or 0) + 1})
        else:
            words.append(gettext(message))
    text = ", ".join(words)
    return text[:1].upper() + text[1:] if text else location


def qa_summary(report: Mapping[str, Any] | None, ui: str) -> QASummary | None:
    """The verdict, the counts and the findings of a QA report (``QAReport.to_dict()``)."""
    if report is None:
        return None
    gettext = translations_for(ui).gettext
    found = [
        Finding(
            location=place_in_words(str(segment.get("location", "")), ui),
            check=str(finding.get("check", "")),
            severity=str(finding.get("severity", "")),
            severity_label=gettext(SEVERITIES.get(str(finding.get("severity")), str(finding.get("severity", "")))),
            message=str(finding.get("message", "")),
        )
        for segment in report.get("segments", [])
        for finding in segment.get("findings", [])
    ]
    found.sort(key=lambda finding: _SEVERITY_ORDER.get(finding.severity, len(_SEVERITY_ORDER)))
    count = {severity: sum(1 for finding in found if finding.severity == severity) for severity in _SEVERITY_ORDER}
    return QASummary(
        passed=bool(report.get("passed")), errors=count["error"], warnings=count["warning"], notes=count["info"],
        findings=tuple(found[:MAX_FINDINGS_SHOWN]), more=max(0, len(found) - MAX_FINDINGS_SHOWN),
    )


@dataclass(frozen=True)
class LanguageView:
    code: str
    name: str
    state: str
    state_label: str
    route: str | None
    preview_url: str | None
    pdf_url: str | None
    downloads: tuple[Download, ...]
    qa: QASummary | None
    #: Why this language alone was not delivered, in office words (:func:`problem_message`); None otherwise.
    problem: str | None = None


def language_views(store: JobStore, job: JobRecord, ui: str) -> list[LanguageView]:
    """Each language of ``job``: its state, preview, downloads (web page links) and QA."""
    gettext = translations_for(ui).gettext
    views = []
    for entry in job.languages:
        records = sorted(
            (f for f in job.files if f.language == entry.language and f.format in files.DOWNLOAD_FORMATS),
            key=lambda f: files.DOWNLOAD_FORMATS.index(f.format),
        )
        has_pdf = any(f.format == "pdf" for f in records)
        views.append(LanguageView(
            code=entry.language,
            name=language_name(entry.language, ui),
            state=entry.state,
            state_label=gettext(LANGUAGE_STATES[entry.state]),
            route=entry.route,
            preview_url=f"/jobs/{job.id}/preview/{entry.language}.png" if has_pdf else None,
            pdf_url=f"/jobs/{job.id}/files/{entry.language}.pdf" if has_pdf else None,
            downloads=tuple(Download(label=gettext(FORMAT_LABELS[f.format]), url=f"/jobs/{job.id}/files/{f.name}",
                                     size=_size(f.size)) for f in records),
            qa=qa_summary(files.qa_report(store, job, entry.language), ui) if entry.route else None,
            problem=problem_message(entry.problem, job.source_language or entry.language, entry.language, ui)
            if entry.problem is not None else None,
        ))
    return views
