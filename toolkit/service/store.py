"""The service's jobs: their state in SQLite, their files in one folder each.

Layout under ``config.service.jobs_path``::

    jobs.sqlite           the state of every job (WAL: the server and the worker processes share it)
    service.lock          held by the running service: one service per jobs folder
    <job id>/             32 lowercase hex digits, made by the server; nothing else names a folder
        release.txt       the submitted text, under a name chosen by its declared type
                          (release.txt, release.md or release.json)
        <slug>/           what :func:`toolkit.builder.build` wrote: <lang>.pdf, .html, .json,
                          <lang>.qa.json and manifest.json
        previews/<lang>.png   first-page previews, rendered on first request

Every method opens its own short-lived connection, so the store may be used
from any thread of the server and from the worker processes at once; each
change is one ``BEGIN IMMEDIATE`` transaction, and SQLite's busy timeout
serializes writers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import secrets
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from ..errors import PressToolkitError
from ..files import atomic_write, connect, open_database, transaction

__all__ = [
    "DATABASE_NAME",
    "JOB_ID_PATTERN",
    "MAX_ATTEMPTS",
    "SOURCE_NAMES",
    "FileRecord",
    "JobRecord",
    "JobState",
    "JobStore",
    "JobStoreError",
    "LanguageProblem",
    "LanguageRecord",
    "LanguageState",
    "SourceKind",
    "is_job_id",
]

DATABASE_NAME = "jobs.sqlite"
#: A job id as the server makes it (:func:`secrets.token_hex`); checked before any path is built from one.
JOB_ID_PATTERN = r"^[0-9a-f]{32}$"
_JOB_ID = re.compile(JOB_ID_PATTERN)
#: A job whose worker died this many times is failed instead of being tried again.
MAX_ATTEMPTS = 3
SCHEMA_VERSION = 1

JobState = Literal["queued", "running", "done", "failed"]
LanguageState = Literal["queued", "translating", "translated", "rendering", "done", "failed"]
SourceKind = Literal["text", "markdown", "json", "docx", "odt", "html", "pdf", "email"]
#: Why one language of a job was not delivered (the web page words each for the office; the API gives ``error`` too):
#: no model is installed for it, its model could not be used, its files could not be typeset, anything else.
LanguageProblem = Literal["no_model", "model_failed", "render_failed", "internal"]

#: The file name of the submitted release per declared type: the reader goes by the suffix.
SOURCE_NAMES: Mapping[SourceKind, str] = {
    "text": "release.txt", "markdown": "release.md", "json": "release.json", "docx": "release.docx", "odt": "release.odt",
    "html": "release.html", "pdf": "release.pdf", "email": "release.eml",
}

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        source_name TEXT NOT NULL,
        -- JSON list of the languages the client asked for
        requested TEXT NOT NULL,
        source_language TEXT,
        headline TEXT,
        -- the folder build() wrote, below the job's folder (the release's slug)
        output TEXT,
        error TEXT,
        -- JSON list of the reader's and renderer's warnings
        warnings TEXT NOT NULL DEFAULT '[]',
        attempts INTEGER NOT NULL DEFAULT 0,
        worker_pid INTEGER,
        -- UTC, ISO 8601
        created TEXT NOT NULL,
        started TEXT,
        finished TEXT
    )
    """,
    "CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, created)",
    """
    CREATE TABLE IF NOT EXISTS job_languages (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        language TEXT NOT NULL,
        state TEXT NOT NULL,
        route TEXT,
        qa_passed INTEGER,
        PRIMARY KEY (job_id, language)
    )
    """,
    """
    -- A table of its own rather than columns of job_languages: a database made before stays readable as it is.
    CREATE TABLE IF NOT EXISTS job_language_problems (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        language TEXT NOT NULL,
        -- LanguageProblem, and the message for the API
        problem TEXT NOT NULL,
        error TEXT NOT NULL,
        PRIMARY KEY (job_id, language)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS job_files (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        language TEXT NOT NULL,
        format TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (job_id, name)
    )
    """,
)


class JobStoreError(PressToolkitError):
    """The jobs folder or its database cannot be used."""


def is_job_id(value: str) -> bool:
    """Whether ``value`` has the form of a job id (and so is safe as a folder name).

    >>> is_job_id("0123456789abcdef0123456789abcdef"), is_job_id("../../etc"), is_job_id("0123456789ABCDEF0123456789ABCDEF")
    (True, False, False)
    """
    return _JOB_ID.fullmatch(value) is not None


@dataclass(frozen=True, kw_only=True)
class LanguageRecord:
    language: str
    state: LanguageState
    #: How it was translated (``de→en direct (translate-de_en 1.9)``); None for the release's own language.
    route: str | None = None
    #: The QA verdict of a translation; None for the release's own language and before it is done.
    qa_passed: bool | None = None
    #: Why this language alone failed while the others were delivered; None otherwise (a failed job says why in its error).
    problem: LanguageProblem | None = None
    #: That reason as one line for the API (package names, no server paths).
    error: str | None = None


@dataclass(frozen=True, kw_only=True)
class FileRecord:
    """One file build() wrote, as its manifest lists it."""

    name: str
    language: str
    format: str
    sha256: str
    size: int


@dataclass(frozen=True, kw_only=True)
class JobRecord:
    id: str
    state: JobState
    source_name: str
    requested: tuple[str, ...]
    created: dt.datetime
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    source_language: str | None = None
    headline: str | None = None
    output: str | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    attempts: int = 0
    #: Every language built, the release's own first; empty until a worker has read the release.
    languages: tuple[LanguageRecord, ...] = ()
    files: tuple[FileRecord, ...] = ()

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(entry.language for entry in self.languages)

    @property
    def progress(self) -> float:
        """0 to 1: each language counts its steps (translate, render); a finished job is 1."""
        if self.state in ("done", "failed"):
            return 1.0
        if not self.languages:
            return 0.0
        weights = {"queued": 0.0, "translating": 0.25, "translated": 0.5, "rendering": 0.75, "done": 1.0, "failed": 1.0}
        return round(sum(weights[entry.state] for entry in self.languages) / len(self.languages), 3)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _job_state(value: str) -> JobState:
    if value not in get_args(JobState):
        raise JobStoreError(f"unknown job state {value!r} in the jobs database")
    return value  # type: ignore[return-value]  # checked above


def _language_problem(value: str | None) -> LanguageProblem | None:
    if value is None:
        return None
    # A reason this version does not know (a newer one wrote it) is still a failure, worded generally.
    return value if value in get_args(LanguageProblem) else "internal"  # type: ignore[return-value]  # checked


def _language_state(value: str) -> LanguageState:
    if value not in get_args(LanguageState):
        raise JobStoreError(f"unknown language state {value!r} in the jobs database")
    return value  # type: ignore[return-value]  # checked above


class JobStore:
    """The jobs of one jobs folder (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.database = root / DATABASE_NAME
        try:
            root.mkdir(parents=True, exist_ok=True)
            open_database(self.database, schema=_SCHEMA, version=SCHEMA_VERSION, what="the jobs database",
                          error=lambda problem: JobStoreError(f"{self.database}: {problem}")).close()
        except OSError as error:
            raise JobStoreError(f"{root}: cannot use the jobs folder: {error}") from error

    # -- plumbing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = connect(self.database, row_factory=sqlite3.Row)
        try:
            yield db
        finally:
            db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db, transaction(db):
            yield db

    def folder(self, job_id: str) -> Path:
        """The job's folder; ``job_id`` must have the server's form (never a path)."""
        if not is_job_id(job_id):
            raise ValueError(f"not a job id: {job_id[:40]!r}")
        return self.root / job_id

    # -- creating -------------------------------------------------------------------------

    def create(self, data: bytes, *, kind: SourceKind, languages: Sequence[str]) -> JobRecord:
        """A queued job for the release ``data``: its folder with the release file, then its row."""
        job_id = secrets.token_hex(16)
        folder = self.folder(job_id)
        source_name = SOURCE_NAMES[kind]
        folder.mkdir(parents=True)
        try:
            atomic_write(folder / source_name, data)
            with self._write() as db:
                db.execute(
                    "INSERT INTO jobs (id, state, source_name, requested, created) VALUES (?, 'queued', ?, ?, ?)",
                    (job_id, source_name, json.dumps(list(languages)), _now()),
                )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job = self.get(job_id)
        assert job is not None
        return job

    # -- reading --------------------------------------------------------------------------

    def get(self, job_id: str) -> JobRecord | None:
        if not is_job_id(job_id):
            return None
        with self._connect() as db:
            row = db.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                return None
            return self._record(db, row, with_files=True)

    def recent(self, *, limit: int = 50) -> list[JobRecord]:
        """The newest jobs first, without their file lists."""
        with self._connect() as db:
            rows = db.execute(f"SELECT {_JOB_COLUMNS} FROM jobs ORDER BY created DESC, rowid DESC LIMIT ?", (limit,)).fetchall()
            return [self._record(db, row, with_files=False) for row in rows]

    def counts(self) -> dict[JobState, int]:
        """Jobs per state (every state listed)."""
        with self._connect() as db:
            found = dict(db.execute("SELECT state, count(*) FROM jobs GROUP BY state").fetchall())
        return {state: int(found.get(state, 0)) for state in get_args(JobState)}

    def queued_ids(self) -> list[str]:
        with self._connect() as db:
            return [row[0] for row in db.execute("SELECT id FROM jobs WHERE state = 'queued' ORDER BY created, rowid")]

    def _record(self, db: sqlite3.Connection, row: sqlite3.Row, *, with_files: bool) -> JobRecord:
        job_id = str(row["id"])
        languages = tuple(
            LanguageRecord(
                language=str(entry["language"]),
                state=_language_state(entry["state"]),
                route=entry["route"],
                qa_passed=None if entry["qa_passed"] is None else bool(entry["qa_passed"]),
                problem=_language_problem(entry["problem"]),
                error=entry["error"],
            )
            for entry in db.execute(
                "SELECT l.language, l.state, l.route, l.qa_passed, p.problem, p.error FROM job_languages AS l "
                "LEFT JOIN job_language_problems AS p ON p.job_id = l.job_id AND p.language = l.language "
                "WHERE l.job_id = ? ORDER BY l.position",
                (job_id,),
            )
        )
        files: tuple[FileRecord, ...] = ()
        if with_files:
            files = tuple(
                FileRecord(name=entry["name"], language=entry["language"], format=entry["format"], sha256=entry["sha256"],
                           size=int(entry["size"]))
                for entry in db.execute(
                    "SELECT name, language, format, sha256, size FROM job_files WHERE job_id = ? ORDER BY name", (job_id,)
                )
            )
        return JobRecord(
            id=job_id,
            state=_job_state(row["state"]),
            source_name=str(row["source_name"]),
            requested=tuple(json.loads(row["requested"])),
            created=dt.datetime.fromisoformat(row["created"]),
            started=_time(row["started"]),
            finished=_time(row["finished"]),
            source_language=row["source_language"],
            headline=row["headline"],
            output=row["output"],
            error=row["error"],
            warnings=tuple(json.loads(row["warnings"])),
            attempts=int(row["attempts"]),
            languages=languages,
            files=files,
        )

    # -- the worker's side ----------------------------------------------------------------

    def claim(self, worker_pid: int) -> JobRecord | None:
        """Take the oldest queued job for the worker process ``worker_pid``: it is running from now on."""
        with self._write() as db:
            row = db.execute("SELECT id FROM jobs WHERE state = 'queued' ORDER BY created, rowid LIMIT 1").fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, worker_pid = ?, started = ?, "
                "error = NULL, finished = NULL WHERE id = ?",
                (worker_pid, _now(), row[0]),
            )
        return self.get(row[0])

    def begin(self, job_id: str, *, source_language: str, headline: str, languages: Sequence[str]) -> None:
        """The release is read: record its language, headline and every language to build."""
        with self._write() as db:
            db.execute("UPDATE jobs SET source_language = ?, headline = ? WHERE id = ?", (source_language, headline, job_id))
            db.execute("DELETE FROM job_languages WHERE job_id = ?", (job_id,))
            db.execute("DELETE FROM job_language_problems WHERE job_id = ?", (job_id,))
            db.executemany(
                "INSERT INTO job_languages (job_id, position, language, state) VALUES (?, ?, ?, 'queued')",
                [(job_id, position, language) for position, language in enumerate(languages)],
            )

    def set_language_state(self, job_id: str, languages: Iterable[str], state: LanguageState) -> None:
        with self._write() as db:
            db.executemany(
                "UPDATE job_languages SET state = ? WHERE job_id = ? AND language = ?",
                [(state, job_id, language) for language in languages],
            )

    def fail_language(self, job_id: str, language: str, *, problem: LanguageProblem, error: str) -> None:
        """``language`` of a running job cannot be delivered; the job goes on with its other languages."""
        with self._write() as db:
            db.execute("UPDATE job_languages SET state = 'failed' WHERE job_id = ? AND language = ?", (job_id, language))
            db.execute(
                "INSERT OR REPLACE INTO job_language_problems (job_id, language, problem, error) VALUES (?, ?, ?, ?)",
                (job_id, language, problem, error),
            )

    def finish(
        self,
        job_id: str,
        *,
        output: str,
        files: Sequence[FileRecord],
        routes: Mapping[str, str],
        qa_passed: Mapping[str, bool],
        warnings: Sequence[str],
    ) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET state = 'done', output = ?, warnings = ?, finished = ?, worker_pid = NULL WHERE id = ?",
                (output, json.dumps(list(warnings)), _now(), job_id),
            )
            db.execute("UPDATE job_languages SET state = 'done' WHERE job_id = ? AND state != 'failed'", (job_id,))
            db.executemany(
                "UPDATE job_languages SET route = ?, qa_passed = ? WHERE job_id = ? AND language = ?",
                [(routes.get(language), qa_passed.get(language), job_id, language) for language in {*routes, *qa_passed}],
            )
            db.execute("DELETE FROM job_files WHERE job_id = ?", (job_id,))
            db.executemany(
                "INSERT INTO job_files (job_id, name, language, format, sha256, size) VALUES (?, ?, ?, ?, ?, ?)",
                [(job_id, f.name, f.language, f.format, f.sha256, f.size) for f in files],
            )

    def fail(self, job_id: str, error: str, *, warnings: Sequence[str] = ()) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE jobs SET state = 'failed', error = ?, warnings = ?, finished = ?, worker_pid = NULL WHERE id = ?",
                (error, json.dumps(list(warnings)), _now(), job_id),
            )
            db.execute("UPDATE job_languages SET state = 'failed' WHERE job_id = ? AND state != 'done'", (job_id,))

    # -- recovery -------------------------------------------------------------------------

    def fail_running(self, worker_pid: int, error: str, *, job_id: str | None = None) -> list[str]:
        """Fail the job a dead worker process was building (only ``job_id``, if given); returns its id (or nothing)."""
        with self._write() as db:
            ids = [row[0] for row in db.execute("SELECT id FROM jobs WHERE state = 'running' AND worker_pid = ?", (worker_pid,))]
        for running in ids:
            if job_id is None or running == job_id:
                self.fail(running, error)
        return [running for running in ids if job_id is None or running == job_id]

    def overdue(self, seconds: float) -> dict[int, str]:
        """The jobs running for more than ``seconds``: job id by worker process id."""
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)).isoformat(timespec="milliseconds")
        with self._connect() as db:
            rows = db.execute(
                "SELECT worker_pid, id FROM jobs WHERE state = 'running' AND worker_pid IS NOT NULL AND started < ?", (since,)
            ).fetchall()
        return {int(pid): str(job_id) for pid, job_id in rows}

    def requeue_running(self, worker_pid: int) -> list[str]:
        """Queue again the jobs a stopped worker process had taken (through no fault of theirs); returns their ids."""
        with self._write() as db:
            ids = [row[0] for row in db.execute("SELECT id FROM jobs WHERE state = 'running' AND worker_pid = ?", (worker_pid,))]
            db.executemany("UPDATE jobs SET state = 'queued', worker_pid = NULL WHERE id = ?", [(job_id,) for job_id in ids])
            db.executemany("UPDATE job_languages SET state = 'queued' WHERE job_id = ?", [(job_id,) for job_id in ids])
        return ids

    def requeue_interrupted(self) -> tuple[list[str], list[str]]:
        """At start-up: jobs left running by a service that died are queued again (ids requeued, ids failed).

        A job already tried :data:`MAX_ATTEMPTS` times is failed instead, so a
        release that kills its worker cannot keep the service busy forever.
        """
        with self._write() as db:
            rows = db.execute("SELECT id, attempts FROM jobs WHERE state = 'running'").fetchall()
            requeued = [job_id for job_id, attempts in rows if attempts < MAX_ATTEMPTS]
            given_up = [job_id for job_id, attempts in rows if attempts >= MAX_ATTEMPTS]
            db.executemany("UPDATE jobs SET state = 'queued', worker_pid = NULL WHERE id = ?", [(job_id,) for job_id in requeued])
            db.executemany(
                "UPDATE job_languages SET state = 'queued' WHERE job_id = ?", [(job_id,) for job_id in requeued]
            )
        for job_id in given_up:
            self.fail(job_id, f"gave up after {MAX_ATTEMPTS} attempts: the service stopped during each of them")
        return requeued, given_up


_JOB_COLUMNS = (
    "id, state, source_name, requested, source_language, headline, output, error, warnings, attempts, created, started, finished"
)
