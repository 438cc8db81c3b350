"""The main job: read a release, translate it, render each requested language and format, write them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config
from .errors import PressToolkitError
from .languages import check_languages
from .render.options import Branding, PdfOptions
from .formats import DEFAULT_FORMATS, FORMATS
from .write import OutputFile

if TYPE_CHECKING:
    from .run.options import Progress, RunOptions
    from .translate.pipeline import Translation, Translator

__all__ = ["FORMATS", "BuildResult", "build", "parse_formats", "parse_languages"]


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    slug: str
    directory: Path
    files: tuple[OutputFile, ...]
    manifest: Path
    translations: dict[str, Translation]
    #: Names of the files this build wrote; the others were up to date.
    built: tuple[str, ...] = ()


def parse_formats(value: str) -> tuple[str, ...]:
    """``"pdf,html"`` → ``('pdf', 'html')``; unknown formats are an error."""
    formats = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise PressToolkitError(f"unknown output format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def parse_languages(value: str) -> tuple[str, ...]:
    """``"de,en,fr"`` → ``('de', 'en', 'fr')``; a code Babel does not know is an error."""
    return check_languages(value.split(","))


def build(
    source: str | Path,
    *,
    languages: Sequence[str] = ("de",),
    formats: Sequence[str] = DEFAULT_FORMATS,
    out_dir: str | Path = "output",
    make_translator: Callable[[], Translator] | None = None,
    pdf_options: PdfOptions | None = None,
    branding: Branding | None = None,
    folder: str = "{slug}",
    date: dt.date | None = None,
    progress: Progress | None = None,
    show_version: bool = False,
) -> BuildResult:
    """Build ``out_dir/<slug>/<lang>.<format>``, a QA report per translation, and the manifest.

    ``make_translator`` is called only when a language needs translating
    (default: :func:`default_translator`), so a build in the release's own
    language never loads a model or opens the translation memory. Outputs
    whose inputs have not changed since the last build are kept (see
    :mod:`toolkit.batch`). Any problem raises the toolkit error that names it;
    a missing model is found before anything is written.
    """
    from .batch import RunOptions

    options = RunOptions(languages=tuple(languages), formats=tuple(formats), out_dir=Path(out_dir), folder=folder,
                         pdf_options=pdf_options or PdfOptions(), branding=branding, jobs=1, date=date,
                         show_version=show_version, precheck=False)  # one release: read it, so its QA reports are at hand
    return build_with_options(source, options, make_translator=make_translator, progress=progress)


def build_with_options(source: str | Path, options: RunOptions, *, make_translator: Callable[[], Translator] | None = None,
                       progress: Progress | None = None) -> BuildResult:
    """Build one release with ``options`` through the same run as a batch (:func:`toolkit.batch.run_batch`); raise its error."""
    from .batch import run_batch

    outcome = run_batch([source], options, make_translator=make_translator, progress=progress).releases[0]
    if outcome.error is not None:
        raise outcome.error
    assert outcome.slug is not None and outcome.directory is not None and outcome.manifest is not None
    return BuildResult(slug=outcome.slug, directory=outcome.directory, files=tuple(outcome.files), manifest=outcome.manifest,
                       translations=outcome.translations, built=tuple(outcome.built))


def build_with_config(source: str | Path, config: Config, *, languages: Sequence[str] | None = None,
                      date: dt.date | None = None, progress: Progress | None = None) -> BuildResult:
    """:func:`build` with the settings of ``config`` (languages, formats, output folder, translation, PDF, branding)."""
    from .batch import RunOptions
    from .translate.setup import translator_for

    options = replace(RunOptions.from_config(config, languages=languages), jobs=1, date=date, precheck=False)
    return build_with_options(source, options, make_translator=lambda: translator_for(config.translation), progress=progress)
