"""What the web page shows of jobs, prepared in the page's language (the templates only lay it out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime

from ..labels import N_, translations_for
from . import files
from .store import JobRecord, JobStore

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
    "qa_summary",
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


def moment(value: dt.datetime | None, ui: str) -> str:
    """A time as the page shows it, in UTC: ``24.11.26, 23:18 UTC``."""
    if value is None:
        return ""
    return format_datetime(value, format="short", tzinfo=dt.UTC, locale=ui) + " UTC"


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
    def of(cls, job: JobRecord, ui: str, url: Callable[[str], str]) -> JobSummary:
        gettext = translations_for(ui).gettext
        return cls(
            id=job.id, url=url(f"/jobs/{job.id}"), title=job.headline or job.id[:8], state=job.state,
            state_label=gettext(JOB_STATES[job.state]), created=moment(job.created, ui),
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


def qa_summary(report: Mapping[str, Any] | None, ui: str) -> QASummary | None:
    """The verdict, the counts and the findings of a QA report (``QAReport.to_dict()``)."""
    if report is None:
        return None
    gettext = translations_for(ui).gettext
    found = [
        Finding(
            location=str(segment.get("location", "")),
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
        ))
    return views
