"""Stage 3 of a run: which outputs are up to date (their keys in the manifest), which to render; the QA reports."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PressToolkitError
from ..localize.regional import regional_variant, same_language
from ..model import Release
from ..render.options import Branding, PdfOptions
from ..files import atomic_write, remove_temporaries, sha256_file, sha256_of
from ..write import (
    OutputFile,
    inside,
    keep_previous_version,
    read_manifest,
    recorded_version,
)
from .keys import output_key
from .options import RunOptions, Stage
from .outcome import ReleaseOutcome

if TYPE_CHECKING:
    from ..translate.pipeline import Translation

__all__ = ["RenderTask", "plan_all"]


@dataclass(frozen=True, kw_only=True)
class RenderTask:
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


def plan_all(outcomes: list[ReleaseOutcome], options: RunOptions) -> list[RenderTask]:
    tasks: list[RenderTask] = []
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
        planned: list[RenderTask] = []
        for language, version in versions.items():
            for output_format in options.formats:
                key = output_key(version, output_format, source=outcome.source, options=options)
                known = earlier.get((language, output_format))
                if known is not None and known.key == key and _intact(outcome.directory / known.name, known.sha256):
                    outcome.files.append(known)
                    continue
                planned.append(
                    RenderTask(index=index, release=version, language=language, format=output_format, directory=outcome.directory,
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
