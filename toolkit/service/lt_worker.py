"""The translation process behind the LibreTranslate endpoints: one translator, its models kept loaded.

The server sends it batches of :class:`TextJob` (the texts of several
requests, gathered by :mod:`toolkit.service.batcher`) and single
:class:`FileJob`. Each text goes through the same pipeline as a release:
its units (:mod:`toolkit.service.lt_units`) become the paragraphs of a
release with their facts marked, and every request of a batch with the same
pair goes to :meth:`Translator.translate_all` together, so their new
segments share one model call per route step. Facts therefore come back
localized, glossary and do-not-translate entries are applied, and the
translation memory is used.

It is a process of its own, not a thread of the server, for the reasons
:mod:`toolkit.service.worker` gives: the pipeline is Python that holds the
GIL (the server's event loop would stall), a crash in native code must not
take down the server, and a translator's memory belongs to the thread that
opened it. Everything here runs in that process's main thread.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..render.options import Branding
from ..translate.options import TranslationSettings
from ..errors import PressToolkitError
from ..model import Paragraph, Release, Text
from ..translate.packages import NoRouteError
from .lt_units import Layout, join, split_html, split_plain, units

if TYPE_CHECKING:
    from ..translate.pipeline import Translation, Translator

__all__ = ["FileJob", "FileResult", "TextJob", "TextResult", "initialize", "translate_file", "translate_texts", "warm_up"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextJob:
    """The texts of one ``/translate`` request (``q``), all in one pair."""

    texts: tuple[str, ...]
    source: str
    target: str
    html: bool = False


@dataclass(frozen=True)
class TextResult:
    texts: tuple[str, ...]
    #: ``de→fr via en (translate-de_en 1.0, …)``; None when nothing was translated.
    route: str | None = None
    #: QA findings: ``{"text": index in q, "check", "severity", "message"}``.
    findings: tuple[dict[str, Any], ...] = ()
    #: Distinct segments by origin: ``machine``, ``memory``, ``reviewed``.
    origins: tuple[tuple[str, int], ...] = ()
    error: str | None = None
    #: The error is the request's (no route: 400), not the service's (500).
    client_error: bool = False


@dataclass(frozen=True)
class FileJob:
    kind: Literal["text", "release"]
    source_path: str
    output_path: str
    #: The client's file name, which replaces the stored file's name in messages.
    filename: str
    source: str
    target: str
    #: The languages ``auto`` may detect.
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileResult:
    source: str | None = None
    route: str | None = None
    findings: tuple[dict[str, Any], ...] = ()
    origins: tuple[tuple[str, int], ...] = ()
    error: str | None = None
    client_error: bool = False


# --- the process --------------------------------------------------------------------------

_settings: TranslationSettings | None = None
_branding: Branding | None = None
_translator: Translator | None = None


def initialize(settings: TranslationSettings, branding: Branding | None, parent_pid: int) -> None:
    """Set the process up; must not fail (a failing initializer breaks the pool for good)."""
    global _settings, _branding
    _settings, _branding = settings, branding
    # Ctrl-C and SIGTERM reach the whole process group; the server decides when this process ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent_pid: int) -> None:
    """End this process when the server is gone (``kill -9`` leaves no one to stop it)."""
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(1)


def translator() -> Translator:
    global _translator
    if _translator is None:
        from ..translate.setup import translator_for

        _translator = translator_for(_settings or TranslationSettings())
    return _translator


def warm_up() -> None:
    """Open the memory and import the engine now, so the first request does not wait for it."""
    translator()
    import ctranslate2  # noqa: F401
    import sentencepiece  # noqa: F401


# --- texts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Document:
    """One job's texts cut into units, and the release the pipeline translates."""

    layouts: tuple[Layout, ...]
    html: bool
    #: For each unit, the index of its text in the job.
    owners: tuple[int, ...]
    release: Release | None


def translate_texts(jobs: Sequence[TextJob]) -> list[TextResult]:
    """Translate every job; jobs with the same pair share one :meth:`Translator.translate_all` call."""
    results: dict[int, TextResult] = {}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, job in enumerate(jobs):
        groups[(job.source, job.target)].append(index)
    for (_, target), indexes in groups.items():
        documents = [_document(jobs[i]) for i in indexes]
        results.update(zip(indexes, _translate_group(documents, [jobs[i] for i in indexes], target)))
    return [results[index] for index in range(len(jobs))]


def _document(job: TextJob) -> _Document:
    from ..facts import mark_text

    split = split_html if job.html else split_plain
    layouts = tuple(split(text) for text in job.texts)
    owned = [(owner, unit) for owner, layout in enumerate(layouts) for unit in units(layout)]
    if not owned or job.source == job.target:
        return _Document(layouts=layouts, html=job.html, owners=(), release=None)
    # No release date: a date without its year ("22. Mai") stays text rather than getting a guessed year.
    texts = [mark_text(Text.plain(unit), reference=None) for _, unit in owned]
    # A release needs a headline and a body: the first unit is the headline, the others the body's paragraphs.
    # A single unit gets a blank paragraph as its body, which the pipeline skips (nothing is translated twice).
    body = tuple(Paragraph(text=text) for text in texts[1:]) or (Paragraph(text=Text.plain(" ")),)
    release = Release(language=job.source, headline=texts[0], body=body)
    return _Document(layouts=layouts, html=job.html, owners=tuple(owner for owner, _ in owned), release=release)


def _translate_group(documents: list[_Document], jobs: list[TextJob], target: str) -> list[TextResult]:
    releases = [document.release for document in documents if document.release is not None]
    try:
        translations = iter(translator().translate_all(releases, target) if releases else [])
    except Exception as error:  # noqa: BLE001 - one bad request must not fail the others of its batch
        if len(releases) > 1:
            return [result for document, job in zip(documents, jobs) for result in _translate_group([document], [job], target)]
        return [_failure(error) if document.release is not None else TextResult(texts=job.texts)
                for document, job in zip(documents, jobs)]
    return [
        _result(document, next(translations)) if document.release is not None else TextResult(texts=job.texts)
        for document, job in zip(documents, jobs)
    ]


def _failure(error: Exception) -> TextResult:
    if isinstance(error, NoRouteError):
        return TextResult(texts=(), error=str(error), client_error=True)
    if isinstance(error, PressToolkitError):
        return TextResult(texts=(), error=f"Cannot translate text: {error}")
    logger.error("translation failed", exc_info=error)
    return TextResult(texts=(), error="Cannot translate text: internal error; the service's log has the details")


def _unit_texts(release: Release, count: int) -> list[str]:
    """The units of a release made by :func:`_document`, in order: the headline, then the paragraphs."""
    paragraphs = [block.text.text for block in release.body if isinstance(block, Paragraph)]
    return [release.headline.text, *paragraphs][:count]


def _result(document: _Document, translation: Translation) -> TextResult:
    translated = iter(_unit_texts(translation.release, len(document.owners)))
    texts = tuple(join(layout, [next(translated) for _ in units(layout)], html=document.html) for layout in document.layouts)
    return TextResult(
        texts=texts,
        route=translation.route.describe(),
        findings=tuple(_findings(translation, document.owners)),
        origins=_origins(translation),
    )


def _origins(translation: Translation) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(segment.origin for segment in translation.segments).items()))


_BODY_TEXT = re.compile(r"body\[(\d+)\]\.text")


def _unit_index(location: str) -> int | None:
    """The unit a QA location of a :func:`_document` release stands for: the headline is 0, ``body[i]`` is i + 1."""
    if location == "headline":
        return 0
    match = _BODY_TEXT.fullmatch(location)
    return int(match[1]) + 1 if match else None


def _findings(translation: Translation, owners: Sequence[int] | None) -> list[dict[str, Any]]:
    """Every QA finding; with ``owners``, each with the index of the text (in ``q``) its unit came from."""
    found = []
    for segment in translation.report.segments:
        where: dict[str, Any] = {"location": segment.location}
        if owners is not None:
            unit = _unit_index(segment.location)
            if unit is None or unit >= len(owners):
                continue
            where = {"text": owners[unit]}
        found += [{**where, "check": f.check, "severity": f.severity, "message": f.message} for f in segment.findings]
    return found


# --- files ------------------------------------------------------------------------------------


def translate_file(job: FileJob) -> FileResult:
    """Translate an uploaded file into ``job.output_path``: a text line by line, a release as release JSON."""
    try:
        if job.kind == "text":
            return _translate_text_file(job)
        return _translate_release_file(job)
    except PressToolkitError as error:  # unreadable file, no route …
        return FileResult(error=_public(str(error), job), client_error=True)


def _public(message: str, job: FileJob) -> str:
    """``message`` naming the client's file, never the server's paths."""
    from .worker import public_message

    path = Path(job.source_path)
    return public_message(message.replace(str(path), job.filename), path.parent)


def _translate_text_file(job: FileJob) -> FileResult:
    from ..read.source import read_source
    from ..files import atomic_write
    from .lt_languages import detect

    text = read_source(job.source_path).text
    source = detect(text, job.candidates)[0]["language"] if job.source == "auto" else job.source
    result = translate_texts([TextJob(texts=(text,), source=source, target=job.target)])[0]
    if result.error is not None:
        return FileResult(source=source, error=_public(result.error, job), client_error=result.client_error)
    atomic_write(Path(job.output_path), result.texts[0].encode("utf-8"))
    return FileResult(source=source, route=result.route, findings=result.findings, origins=result.origins)


def _translate_release_file(job: FileJob) -> FileResult:
    from ..batch import prepare_release
    from ..release_json import dumps
    from ..files import atomic_write

    release = prepare_release(Path(job.source_path), _branding)
    if job.source != "auto":
        release = replace(release, language=job.source)  # the client knows better than a reader's default
    if release.language == job.target:
        atomic_write(Path(job.output_path), dumps(release).encode("utf-8"))
        return FileResult(source=release.language)
    translation = translator().translate(release, job.target)
    atomic_write(Path(job.output_path), dumps(translation.release).encode("utf-8"))
    return FileResult(source=release.language, route=translation.route.describe(), findings=tuple(_findings(translation, None)),
                      origins=_origins(translation))
