"""The JSON the API answers with, as pydantic models (they make ``/openapi.json``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from .store import JobState, LanguageState

__all__ = [
    "Accepted",
    "ErrorMessage",
    "FileLink",
    "Health",
    "JobList",
    "JobStatus",
    "JobSummary",
    "LanguagePair",
    "LanguageStatus",
    "Languages",
    "QAFinding",
    "QAReport",
    "QASegment",
    "UnavailableLanguage",
]


class ErrorMessage(BaseModel):
    """Every error: one message saying what is wrong and, where it can, what to do."""

    detail: str = Field(examples=["unknown language 'xx'; this service offers de, en, fr"])


class Health(BaseModel):
    status: Literal["ok"]
    version: str = Field(description="press-toolkit's version.")
    workers: int = Field(description="Worker processes configured (service.workers).")
    workers_alive: int = Field(description="Worker processes running now; a dead one is replaced within a second.")
    queued: int = Field(description="Jobs waiting for a worker.")
    running: int = Field(description="Jobs being built.")


class LanguagePair(BaseModel):
    """An installed Argos translation model."""

    source: str
    target: str
    name: str
    version: str


class UnavailableLanguage(BaseModel):
    """A configured language that cannot be built: no installed model translates into it from the release language."""

    language: str
    missing: list[str] = Field(description="The Argos packages to install (e.g. `translate-en_es`).",
                               examples=[["translate-en_es"]])


class Languages(BaseModel):
    offered: list[str] = Field(description="Languages a job may ask for: those of service.languages that an installed "
                                           "model (or two through English) translates into from German, and German.")
    unavailable: list[UnavailableLanguage] = Field(
        [], description="Languages of service.languages not offered now, for want of a model; a job asking for one is refused.")
    pairs: list[LanguagePair] = Field(description="Installed translation models; a pair without one goes through English.")


class FileLink(BaseModel):
    name: str = Field(examples=["en.pdf"])
    language: str
    format: Literal["pdf", "html", "json"]
    size: int
    sha256: str
    url: str = Field(description="Path of the download, relative to the service.")


class QAFinding(BaseModel):
    check: str
    severity: Literal["error", "warning", "info"]
    message: str


class QASegment(BaseModel):
    location: str
    source: str
    target: str
    findings: list[QAFinding]


class QAReport(BaseModel):
    """A translation's quality checks, as the build writes them to ``<lang>.qa.json``."""

    source_language: str
    target_language: str
    route: str
    passed: bool
    counts: dict[str, int]
    segments: list[QASegment]


class LanguageStatus(BaseModel):
    language: str
    state: LanguageState
    route: str | None = Field(None, description="How it was translated; null for the release's own language.")
    error: str | None = Field(None, description="Why this language alone could not be built (the job's other languages "
                                                "are delivered); null otherwise.")
    files: list[FileLink] = []
    preview_url: str | None = Field(None, description="PNG of the PDF's first page, once the job is done.")
    qa: QAReport | None = Field(None, description="Quality checks of a translation, once the job is done.")


class JobSummary(BaseModel):
    id: str
    state: JobState
    created: dt.datetime
    finished: dt.datetime | None
    headline: str | None = Field(description="Known once a worker has read the release.")
    languages: list[str]
    error: str | None
    status_url: str


class JobStatus(BaseModel):
    id: str
    state: JobState
    progress: float = Field(ge=0, le=1, description="0 to 1 over every language's translation and rendering.")
    created: dt.datetime
    started: dt.datetime | None
    finished: dt.datetime | None
    requested: list[str] = Field(description="The languages the job asked for.")
    source_language: str | None = Field(description="The release's language, always built too; known once read.")
    headline: str | None
    error: str | None = Field(description="Why the job failed (the release, a missing model …).")
    warnings: list[str] = Field(description="What the reader repaired or guessed (an encoding, …).")
    languages: list[LanguageStatus]
    archive_url: str | None = Field(description="ZIP of every file, once the job is done.")


class JobList(BaseModel):
    jobs: list[JobSummary]


class Accepted(BaseModel):
    id: str
    state: JobState
    status_url: str
