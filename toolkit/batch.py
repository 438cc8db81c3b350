"""Build many releases in one run: read all, translate per language pair, render in worker processes.

The stages follow the data:

1. **read** every release (a broken one is reported and skipped);
2. **translate**: per target language, the releases of one source language go
   to :meth:`~toolkit.translate.pipeline.Translator.translate_all` together —
   one model load per pair, the new segments of all releases in one batch,
   everything known to the translation memory served from it;
3. **plan**: every output gets a *key*, the SHA-256 of everything it is made
   from — the release as the renderer receives it (so: the source text, the
   model's output, the glossary, the translation-memory entries used), the
   image, the templates and label catalogs, the branding, the PDF options, the
   language versions linked, the format and the toolkit's version. An output
   whose manifest entry has the same key, and whose file still has the
   SHA-256 the manifest lists, is up to date and skipped;
4. **render** the rest, in ``jobs`` worker processes; each file is written
   atomically (temporary file + rename) by the worker;
5. **manifest**: per release, after all its files, written atomically too.

A run killed at any moment (``kill -9``) leaves only complete files behind
(plus temporaries that the next run removes) and a manifest that lists only
files that were complete when it was written; the next run rebuilds what is
missing. One run at a time writes into an output folder
(:func:`toolkit.write.output_lock`).

The library reports progress through :class:`Progress`; the CLI shows it with
Rich.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import ctypes.util
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import re
import signal
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from . import __version__
from .config import Branding, Config
from .errors import BuildWarning, PressToolkitError, ReaderWarning, RenderError
from .facts import mark_facts
from .localize.regional import regional_variant, same_language
from .model import Release
from .precheck import Precheck, recorded_warnings
from .read import READERS, read_release
from .release_json import dumps
from .render.branding import apply_branding
from .render.html import image_file
from .render.pdf import PdfOptions
from .resources import locales_dir, templates_dir
from .formats import DEFAULT_FORMATS, file_name
from .write import (
    MANIFEST_NAME,
    OutputFile,
    atomic_write,
    folder_for,
    inside,
    keep_previous_version,
    output_lock,
    read_manifest,
    recorded_version,
    remove_temporaries,
    sha256_file,
    sha256_of,
    slug_for,
    write_manifest,
)

if TYPE_CHECKING:
    from .translate.pipeline import Translation, Translator

__all__ = [
    "COMPANION_SUFFIXES",
    "FolderScan",
    "RELEASE_SUFFIXES",
    "BatchResult",
    "Progress",
    "ReleaseOutcome",
    "RunOptions",
    "Stage",
    "find_releases",
    "scan_folder",
    "prepare_release",
    "run_batch",
]

#: Files a batch picks up: every format the readers read (release JSON is the toolkit's own output, so it is left
#: out of folders; build it by name).
RELEASE_SUFFIXES = tuple(suffix for suffix in READERS if suffix not in ("", ".json"))
#: Files that stand beside releases and are not releases: their photos (a Word file's photo is saved beside it).
COMPANION_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".tif", ".tiff", ".xlf", ".xliff", ".tmx")
#: Bumped when the key's recipe changes, so old keys never match.
KEY_SCHEMA = "press-toolkit/output-key/1"


class Stage(str, Enum):
    READ = "reading"
    TRANSLATE = "translating"
    RENDER = "rendering"


class Progress(Protocol):
    """What a run tells its caller; every method is optional to act on."""

    def start(self, stage: Stage, total: int) -> None: ...

    def advance(self, stage: Stage, amount: int = 1) -> None: ...


class _Silent:
    def start(self, stage: Stage, total: int) -> None:
        pass

    def advance(self, stage: Stage, amount: int = 1) -> None:
        pass


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """What to build and where; :meth:`from_config` takes it from ``presskit.toml``."""

    languages: tuple[str, ...] = ("de",)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    out_dir: Path = Path("output")
    #: The release's folder below ``out_dir``; see :func:`toolkit.write.folder_for`.
    folder: str = "{slug}"
    pdf_options: PdfOptions = field(default_factory=PdfOptions)
    branding: Branding | None = None
    #: Render processes; 0: one per CPU core; 1: render in this process.
    jobs: int = 1
    #: The release date to print (``build --date``), for a release that carries none or a wrong one.
    date: dt.date | None = None
    #: Print "Version 2, corrected on …" on a corrected release's sheets (``output.show_version``).
    show_version: bool = False
    #: Skip, before reading them, the releases the output folder's index shows up to date (:mod:`toolkit.precheck`).
    precheck: bool = True

    @classmethod
    def from_config(cls, config: Config, *, languages: Sequence[str] | None = None) -> RunOptions:
        from .builder import pdf_options_for

        return cls(
            languages=tuple(languages or config.build.languages),
            formats=config.build.formats,
            out_dir=config.output.directory,
            folder=config.output.folder,
            pdf_options=pdf_options_for(config.pdf),
            branding=config.branded,
            jobs=config.build.jobs,
            show_version=config.output.show_version,
        )

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


Status = Literal["built", "up to date", "failed"]


@dataclass(kw_only=True)
class ReleaseOutcome:
    """What became of one source file."""

    source: Path
    release: Release | None = None
    slug: str | None = None
    directory: Path | None = None
    #: Every output of the release: rebuilt ones and up-to-date ones.
    files: list[OutputFile] = field(default_factory=list)
    #: Names of the outputs this run wrote.
    built: list[str] = field(default_factory=list)
    translations: dict[str, Translation] = field(default_factory=dict)
    manifest: Path | None = None
    error: PressToolkitError | None = None
    #: The stage the release failed in.
    failed_in: Stage | None = None
    seconds: float = 0.0
    #: The release's version in its output folder (2 and up after a corrected source), and when it was corrected.
    version: int = 1
    corrected: dt.date | None = None
    #: QA verdicts of translations this run did not redo (the release was up to date), as recorded when made.
    qa_recorded: dict[str, bool] = field(default_factory=dict)
    #: The warnings reading the release gave: (class name, message).
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status(self) -> Status:
        if self.error is not None:
            return "failed"
        return "built" if self.built else "up to date"

    @property
    def qa_passed(self) -> dict[str, bool]:
        return {**self.qa_recorded, **{language: translation.report.passed for language, translation in self.translations.items()}}

    def fail(self, error: PressToolkitError, stage: Stage) -> None:
        if self.error is None:
            self.error, self.failed_in = error, stage


@dataclass(frozen=True)
class BatchResult:
    releases: tuple[ReleaseOutcome, ...]
    seconds: float

    @property
    def failed(self) -> list[ReleaseOutcome]:
        return [outcome for outcome in self.releases if outcome.error is not None]

    @property
    def files_built(self) -> int:
        return sum(len(outcome.built) for outcome in self.releases)

    @property
    def files_up_to_date(self) -> int:
        return sum(len(outcome.files) - len(outcome.built) for outcome in self.releases if outcome.error is None)


# --- finding the releases ---------------------------------------------------------


@dataclass(frozen=True)
class FolderScan:
    """The releases below a folder, and the files left out with the reason."""

    releases: list[Path]
    skipped: list[tuple[Path, str]]


def scan_folder(folder: str | Path, *, exclude: Iterable[Path] = ()) -> FolderScan:
    """Releases below ``folder`` (every format the readers read), sorted; hidden files and folders and ``exclude``
    are left out, photos beside releases too; any other file is listed as skipped, with the reason.

    A missing folder, or one without releases, is an error naming it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PressToolkitError(f"{folder}: no such folder")
    excluded = [path.resolve() for path in exclude]
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(other) for other in excluded):
            continue
        suffix = path.suffix.lower()
        if suffix in RELEASE_SUFFIXES:
            found.append(path)
        elif suffix not in COMPANION_SUFFIXES:
            skipped.append((path, f"unsupported file type {path.suffix or '(none)'!r}; releases are {', '.join(RELEASE_SUFFIXES)}"))
    if not found:
        raise PressToolkitError(f"{folder}: no releases ({', '.join(RELEASE_SUFFIXES)}) found")
    return FolderScan(found, skipped)


def find_releases(folder: str | Path, *, exclude: Iterable[Path] = ()) -> list[Path]:
    """The releases of :func:`scan_folder`."""
    return scan_folder(folder, exclude=exclude).releases


# --- the run --------------------------------------------------------------------------


def run_batch(
    sources: Sequence[str | Path],
    options: RunOptions,
    *,
    make_translator: Callable[[], Translator] | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Build every source; a failing release is reported in its outcome, the others complete.

    ``make_translator`` is called once, and only if some language needs translating.
    """
    started = time.perf_counter()
    report = progress or _Silent()
    outcomes = [ReleaseOutcome(source=Path(source)) for source in sources]
    if make_translator is None:
        from .builder import default_translator

        make_translator = default_translator
    check = Precheck(options, make_translator)  # makes the translator once, for both the pre-check and translating
    # Releases the index shows up to date are not read at all (a no-change run of 1,000 releases: seconds).
    todo = check.skip_up_to_date(outcomes) if options.precheck else outcomes
    # The render processes start now and get ready (WeasyPrint, fonts, hyphenation) while this one reads and translates.
    with _render_pool(options, len(todo)) as pool:
        _read_all(todo, options, report, taken=check.taken)
        check.translation_starts(_translation_groups(todo, options))
        _translate_all(todo, options, check.translator, report)
        if any(outcome.error is None for outcome in todo):
            # Reading and translating write nothing here; a release that fails there leaves no trace in the output folder.
            with output_lock(options.out_dir):
                tasks = _plan_all(todo, options)
                _render_all(todo, tasks, options, report, pool)
                if options.precheck:
                    check.record(todo)
        else:
            report.start(Stage.RENDER, 0)
    return BatchResult(releases=tuple(outcomes), seconds=time.perf_counter() - started)


def prepare_release(source: Path, branding: Branding | None = None, *, date: dt.date | None = None) -> Release:
    """A release as every later stage receives it: read, dated (``date`` wins), with the office's defaults, facts marked."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        release = read_release(source)
    for warning in caught:
        # A date given by the caller answers the reader's "no release date found".
        if not (date is not None and "date" in str(warning.message) and release.date is None):
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if date is not None and date != release.date:
        if release.date is not None:
            warnings.warn(f"{source}: the given date {date.isoformat()} replaces the release's own {release.date.isoformat()}",
                          ReaderWarning, stacklevel=2)
        release = replace(release, date=date)
    if branding is not None:
        # Default boilerplate and contacts join before facts and translation, so they are translated too.
        release = apply_branding(release, branding)
    _check_image(release, source)
    return mark_facts(release)


def _check_image(release: Release, source: Path) -> None:
    """Say so when the release names a photo the sheet cannot print (missing, or outside the release's folder)."""
    image = release.image
    if image is None or not image.src or re.match(r"^https?://", image.src):
        return
    if image_file(release, source.parent) is None:
        warnings.warn(f"{source}: image {image.src[:80]!r} is not a file in the release's folder; the sheet is printed without it",
                      BuildWarning, stacklevel=3)


def _read_all(outcomes: list[ReleaseOutcome], options: RunOptions, progress: Progress,
              taken: dict[Path, Path] | None = None) -> None:
    """Read every release; ``taken``: folders already another source's (releases found up to date without reading)."""
    progress.start(Stage.READ, len(outcomes))
    folders: dict[Path, Path] = dict(taken or {})
    for outcome in outcomes:
        began = time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    outcome.release = prepare_release(outcome.source, options.branding, date=options.date)
                finally:
                    outcome.warnings = recorded_warnings(caught)  # kept in the index, said again when up to date
                    for warning in caught:
                        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
            outcome.directory = options.out_dir / folder_for(outcome.release, options.folder)
            outcome.slug = slug_for(outcome.release)
            other = folders.setdefault(outcome.directory, outcome.source)
            if other != outcome.source:
                raise PressToolkitError(
                    f"{outcome.source}: same date and headline as {other}, so both would be written to {outcome.directory}"
                )
        except PressToolkitError as error:
            outcome.fail(error, Stage.READ)
        outcome.seconds += time.perf_counter() - began
        progress.advance(Stage.READ)


def _translation_groups(outcomes: list[ReleaseOutcome], options: RunOptions) -> dict[tuple[str, str], list[ReleaseOutcome]]:
    """The releases to translate, per (source, target) language pair (also used by :mod:`toolkit.cluster`)."""
    groups: dict[tuple[str, str], list[ReleaseOutcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.release is None or outcome.error is not None:
            continue
        for language in options.languages:
            # de → de-AT is a regional variant of the same text, not a translation.
            if not same_language(language, outcome.release.language):
                groups[(outcome.release.language, language)].append(outcome)
    return groups


def _translate_all(
    outcomes: list[ReleaseOutcome], options: RunOptions, make_translator: Callable[[], Translator] | None, progress: Progress
) -> None:
    groups = _translation_groups(outcomes, options)
    progress.start(Stage.TRANSLATE, sum(len(group) for group in groups.values()))
    if not groups:
        return
    from .builder import default_translator

    translator = (make_translator or default_translator)()
    for (source, target), group in groups.items():
        began = time.perf_counter()
        group = [outcome for outcome in group if outcome.error is None]
        try:
            translator.route(source, target)
        except PressToolkitError as error:
            # A missing model: nothing of these releases is written, as with a single build.
            for outcome in group:
                outcome.fail(error, Stage.TRANSLATE)
            progress.advance(Stage.TRANSLATE, len(group))
            continue
        translations: list[Translation | None]
        try:
            translations = list(translator.translate_all([outcome.release for outcome in group if outcome.release], target))
        except PressToolkitError:
            # One release broke the shared batch: translate one by one to find it, keep the others.
            translations = [_translate_one(translator, outcome, target) for outcome in group]
        share = (time.perf_counter() - began) / max(len(group), 1)
        for outcome, translation in zip(group, translations):
            if translation is not None:
                outcome.translations[target] = translation
            outcome.seconds += share
        progress.advance(Stage.TRANSLATE, len(group))


def _translate_one(translator: Translator, outcome: ReleaseOutcome, target: str) -> Translation | None:
    assert outcome.release is not None
    try:
        return translator.translate(outcome.release, target)
    except PressToolkitError as error:
        outcome.fail(error, Stage.TRANSLATE)
        return None


# --- planning: which outputs are up to date -----------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Task:
    """One output to render, as a worker process receives it."""

    index: int
    release: Release
    language: str
    format: str
    directory: Path
    assets_dir: Path
    pdf_options: PdfOptions
    branding: Branding | None
    alternates: tuple[str, ...]
    key: str


def _version(outcome: ReleaseOutcome, language: str) -> Release:
    """The release as ``language`` gets it: translated, the source itself, or the source in a regional variant."""
    assert outcome.release is not None
    if language in outcome.translations:
        return outcome.translations[language].release
    if language == outcome.release.language:
        return outcome.release
    return regional_variant(outcome.release, language)


def _track_version(outcome: ReleaseOutcome) -> None:
    """A changed source after a build is a corrected release: keep the earlier files under ``previous/v<n>/``."""
    assert outcome.directory is not None
    recorded = recorded_version(outcome.directory)
    outcome.version, outcome.corrected = recorded.version, recorded.corrected
    if recorded.source_sha256 is None:
        return
    if recorded.source_sha256 != sha256_file(outcome.source):
        keep_previous_version(outcome.directory, recorded.version)
        outcome.version, outcome.corrected = recorded.version + 1, dt.date.today()


def _dated(release: Release, outcome: ReleaseOutcome, options: RunOptions) -> Release:
    """The release with its version on the sheet, when the office prints versions and this is a corrected one."""
    if not options.show_version or outcome.version <= 1:
        return release
    return replace(release, version=outcome.version, corrected=outcome.corrected)


def _plan_all(outcomes: list[ReleaseOutcome], options: RunOptions) -> list[_Task]:
    tasks: list[_Task] = []
    for index, outcome in enumerate(outcomes):
        if outcome.error is not None or outcome.release is None or outcome.directory is None:
            continue
        if any(not same_language(language, outcome.release.language) and language not in outcome.translations
               for language in options.languages):
            continue  # a translation failed; the outcome carries the error
        began = time.perf_counter()
        remove_temporaries(outcome.directory)
        try:
            _track_version(outcome)
        except PressToolkitError as error:
            outcome.fail(error, Stage.RENDER)
            continue
        earlier = {(file.language, file.format): file for file in read_manifest(outcome.directory)}
        versions = {language: _dated(_version(outcome, language), outcome, options) for language in options.languages}
        planned: list[_Task] = []
        for language, version in versions.items():
            for output_format in options.formats:
                key = _output_key(version, output_format, source=outcome.source, options=options)
                known = earlier.get((language, output_format))
                if known is not None and known.key == key and _intact(outcome.directory / known.name, known.sha256):
                    outcome.files.append(known)
                    continue
                planned.append(
                    _Task(index=index, release=version, language=language, format=output_format, directory=outcome.directory,
                          assets_dir=outcome.source.parent, pdf_options=options.pdf_options, branding=options.branding,
                          alternates=options.languages, key=key)
                )
        try:
            for language, translation in outcome.translations.items():
                _write_report(outcome, language, translation, earlier.get((language, "qa")))
        except PressToolkitError as error:  # a read-only folder or a full disk: this release fails, the others go on
            outcome.fail(error, Stage.RENDER)
        else:
            tasks.extend(planned)
        outcome.seconds += time.perf_counter() - began
    return tasks


def _intact(path: Path, sha256: str) -> bool:
    try:
        return sha256_file(path) == sha256
    except OSError:
        return False


def _write_report(outcome: ReleaseOutcome, language: str, translation: Translation, known: OutputFile | None) -> None:
    assert outcome.directory is not None
    data = (json.dumps(translation.report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    name = f"{language}.qa.json"
    digest = sha256_of(data)
    file = OutputFile(name=name, language=language, format="qa", sha256=digest, size=len(data), key=digest)
    if known is None or known.sha256 != digest or not _intact(outcome.directory / name, digest):
        atomic_write(inside(outcome.directory, name), data)
        outcome.built.append(name)
    outcome.files.append(file)


def _output_key(release: Release, output_format: str, *, source: Path, options: RunOptions) -> str:
    parts: dict[str, object] = {
        "schema": KEY_SCHEMA,
        "toolkit": __version__,
        "format": output_format,
        "release": sha256_of(dumps(release).encode("utf-8")),
        "image": _image_digest(release, source.parent),
        "templates": _templates_digest(),
        "branding": _branding_digest(options.branding),
    }
    if output_format == "pdf":
        parts["pdf"] = repr(options.pdf_options)
    if output_format == "html":
        parts["alternates"] = list(options.languages)
    return sha256_of(json.dumps(parts, sort_keys=True).encode("utf-8"))


def _image_digest(release: Release, assets_dir: Path) -> str | None:
    if release.image is None or not release.image.src:
        return None
    path = (assets_dir / release.image.src).resolve()
    if not path.is_relative_to(assets_dir.resolve()) or not path.is_file():
        return None
    return sha256_file(path)


@functools.cache
def _templates_digest() -> str:
    """The templates, stylesheets, fonts and label catalogs: a change to any of them rebuilds every output."""
    digest = hashlib.sha256()
    for root in (templates_dir(), locales_dir()):
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or relative.parts[0] == "service" or path.suffix == ".mo":
                continue
            digest.update(str(relative).encode("utf-8") + b"\0")
            with open(path, "rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
            digest.update(b"\0")
    return digest.hexdigest()


def _branding_digest(branding: Branding | None) -> str | None:
    if branding is None:
        return None
    logo = sha256_file(branding.logo) if branding.logo is not None else None
    return sha256_of(f"{branding!r}\0{logo}".encode())


# --- rendering --------------------------------------------------------------------------


@contextlib.contextmanager
def _render_pool(options: RunOptions, releases: int) -> Iterator[concurrent.futures.ProcessPoolExecutor | None]:
    """The render processes for ``releases`` releases, started at once; ``None`` when rendering stays in this process."""
    workers = min(options.workers, releases * len(options.formats))
    if options.workers <= 1 or workers <= 1:
        yield None
        return
    # "spawn": the parent has CTranslate2's threads and an SQLite connection, which a fork would copy mid-flight.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_render_process,
                                                initargs=(os.getpid(), options.languages)) as pool:
        for _ in range(workers):
            pool.submit(int)  # a process is started per task submitted while none is idle
        yield pool


def _start_render_process(parent_pid: int, languages: tuple[str, ...]) -> None:
    _die_with_parent(parent_pid)
    from .render.pdf import warm_up

    warm_up(languages)


def _render_all(outcomes: list[ReleaseOutcome], tasks: list[_Task], options: RunOptions, progress: Progress,
                pool: concurrent.futures.ProcessPoolExecutor | None = None) -> None:
    progress.start(Stage.RENDER, len(tasks))
    pending: dict[int, int] = defaultdict(int)
    for task in tasks:
        pending[task.index] += 1

    def finish(task: _Task, result: tuple[OutputFile, float] | PressToolkitError) -> None:
        outcome = outcomes[task.index]
        _record_render(outcome, result)
        pending[task.index] -= 1
        progress.advance(Stage.RENDER)
        if pending[task.index] == 0:
            _write_release_manifest(outcome)

    for index, outcome in enumerate(outcomes):
        if outcome.directory is not None and outcome.release is not None and pending[index] == 0 and outcome.error is None:
            _write_release_manifest(outcome)  # nothing to render: keep the manifest in step with the QA reports
    if pool is None:
        for task in tasks:
            finish(task, _render_guarded(task))
        return
    futures = {pool.submit(_render_guarded, task): task for task in tasks}
    for future in concurrent.futures.as_completed(futures):
        finish(futures[future], future.result())


def _record_render(outcome: ReleaseOutcome, result: tuple[OutputFile, float] | PressToolkitError) -> None:
    """Note a render's result in its release's outcome (also used by :mod:`toolkit.cluster`)."""
    if isinstance(result, PressToolkitError):
        outcome.fail(result, Stage.RENDER)
    else:
        file, seconds = result
        outcome.files.append(file)
        outcome.built.append(file.name)
        outcome.seconds += seconds


_PARENT_PID: int | None = None


def _die_with_parent(parent_pid: int) -> None:
    """In a render worker: be killed when the batch process dies (``kill -9`` included), and remember who that is.

    Linux's ``PR_SET_PDEATHSIG`` has the kernel send SIGKILL; if the parent
    died before it was set, the worker leaves at once. Elsewhere,
    :func:`_parent_gone` still stops a worker before it writes.
    """
    global _PARENT_PID
    _PARENT_PID = parent_pid
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _parent_gone() -> bool:
    return _PARENT_PID is not None and os.getppid() != _PARENT_PID


def _render_guarded(task: _Task, gone: Callable[[], bool] = _parent_gone) -> tuple[OutputFile, float] | PressToolkitError:
    """Render and write one output (in a worker process); a toolkit error comes back as a value.

    Nothing is written when ``gone()`` says the run that planned it has ended (a Dask worker's check: :mod:`toolkit.cluster`).
    """
    began = time.perf_counter()
    try:
        data = _render(task)
    except PressToolkitError as error:
        return error
    if gone():
        return RenderError("the batch that started this render worker has ended; nothing written")
    name = file_name(task.language, task.format)
    try:
        atomic_write(inside(task.directory, name), data)
    except PressToolkitError as error:
        return error
    file = OutputFile(name=name, language=task.language, format=task.format, sha256=sha256_of(data), size=len(data), key=task.key)
    return file, time.perf_counter() - began


def _render(task: _Task) -> bytes:
    if task.format == "pdf":
        from .render.pdf import render_pdf

        return render_pdf(task.release, assets_dir=task.assets_dir, options=task.pdf_options, branding=task.branding)
    if task.format == "html":
        from .render.html import render_html

        return render_html(task.release, branding=task.branding, alternates=task.alternates).encode("utf-8")
    if task.format == "email":
        from .render.mail import render_eml
        from .render.pdf import render_pdf

        pdf = render_pdf(task.release, assets_dir=task.assets_dir, options=task.pdf_options, branding=task.branding)
        return render_eml(task.release, pdf=pdf, pdf_name=f"{task.directory.name}-{task.language}.pdf", branding=task.branding)
    return dumps(task.release).encode("utf-8")


def _write_release_manifest(outcome: ReleaseOutcome) -> None:
    """The manifest, last of a release's files; a folder that cannot be written fails this release only."""
    try:
        _write_manifest_now(outcome)
    except PressToolkitError as error:
        outcome.fail(error, Stage.RENDER)


def _write_manifest_now(outcome: ReleaseOutcome) -> None:
    if outcome.directory is None or outcome.slug is None:
        return
    manifest = outcome.directory / MANIFEST_NAME
    if not outcome.built and manifest.is_file() and set(read_manifest(outcome.directory)) >= set(outcome.files):
        outcome.manifest = manifest  # nothing changed: leave the file (and its date) alone
        return
    source_sha = sha256_file(outcome.source)
    outcome.manifest = write_manifest(outcome.directory, slug=outcome.slug, source=outcome.source, source_sha256=source_sha,
                                      files=outcome.files, version=outcome.version, corrected=outcome.corrected)
