"""The main job: read a release, translate it, render each requested language and format, write them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Branding, Config, PdfSettings, TranslationSettings
from .errors import PressToolkitError
from .languages import check_languages
from .render.pdf import PdfOptions
from .formats import DEFAULT_FORMATS, FORMATS
from .write import OutputFile

if TYPE_CHECKING:
    from .batch import Progress
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


def default_translator() -> Translator:
    """A translator with the default settings (the user's translation memory, Argos's models folder)."""
    return translator_for(TranslationSettings())


def glossary_pair(path: Path) -> tuple[str, str]:
    """The language pair a glossary file is for, from its name: ``glossary-de-en.csv`` → ``('de', 'en')``."""
    match = re.search(r"([a-z]{2,3})-([a-z]{2,3})$", path.stem, re.IGNORECASE)
    if match is None:
        raise PressToolkitError(f"{path}: cannot tell the language pair; name the file …-<from>-<to>.csv, e.g. glossary-de-en.csv")
    return match[1].lower(), match[2].lower()


def translator_for(settings: TranslationSettings) -> Translator:
    """A translator as ``settings`` describe it: memory, glossaries, do-not-translate list, models folder, engine options."""
    from .translate.engine import Engine, EngineOptions
    from .translate.glossary import load_do_not_translate, load_glossary
    from .translate.memory import TranslationMemory
    from .translate.packages import installed_models
    from .translate.pipeline import Translator

    keep = load_do_not_translate(settings.do_not_translate) if settings.do_not_translate else frozenset()
    glossaries = []
    for path in settings.glossaries:
        source_language, target_language = glossary_pair(path)
        glossaries.append(load_glossary(path, source_language=source_language, target_language=target_language))
    engine = Engine(EngineOptions(beam_size=settings.beam_size, threads=settings.threads, inter_threads=settings.inter_threads,
                                  max_batch_size=settings.batch_tokens, compute_type=settings.compute_type))
    memory_path = settings.memory_path
    memory_path.parent.mkdir(parents=True, exist_ok=True)
    models = installed_models(settings.models) if settings.models is not None else None
    return Translator(engine=engine, memory=TranslationMemory(memory_path), glossaries=glossaries, models=models, do_not_translate=keep)


def pdf_options_for(settings: PdfSettings) -> PdfOptions:
    return PdfOptions(variant=settings.variant, page_size=settings.page_size, bleed_mm=settings.bleed,  # type: ignore[arg-type]
                      attach_source=settings.attach_source)


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
    from .batch import RunOptions, run_batch

    options = RunOptions(languages=tuple(languages), formats=tuple(formats), out_dir=Path(out_dir), folder=folder,
                         pdf_options=pdf_options or PdfOptions(), branding=branding, jobs=1, date=date,
                         show_version=show_version, precheck=False)  # one release: read it, so its QA reports are at hand
    outcome = run_batch([source], options, make_translator=make_translator, progress=progress).releases[0]
    if outcome.error is not None:
        raise outcome.error
    assert outcome.slug is not None and outcome.directory is not None and outcome.manifest is not None
    return BuildResult(slug=outcome.slug, directory=outcome.directory, files=tuple(outcome.files), manifest=outcome.manifest,
                       translations=outcome.translations, built=tuple(outcome.built))


def build_with_config(source: str | Path, config: Config, *, languages: Sequence[str] | None = None,
                      date: dt.date | None = None, progress: Progress | None = None) -> BuildResult:
    """:func:`build` with the settings of ``config`` (languages, formats, output folder, translation, PDF, branding)."""
    return build(
        source,
        languages=languages or config.build.languages,
        formats=config.build.formats,
        out_dir=config.output.directory,
        make_translator=lambda: translator_for(config.translation),
        pdf_options=pdf_options_for(config.pdf),
        branding=config.branded,
        folder=config.output.folder,
        date=date,
        progress=progress,
        show_version=config.output.show_version,
    )
