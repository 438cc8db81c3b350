"""The main job: read a release, translate it, render each requested language and format, write them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Branding, Config, PdfSettings, TranslationSettings
from .errors import PressToolkitError
from .facts import mark_facts
from .languages import check_languages
from .model import Release
from .read import read_release
from .release_json import dumps
from .render.branding import apply_branding
from .render.html import render_html
from .render.pdf import PdfOptions, render_pdf
from .write import (
    FORMATS,
    OutputFile,
    atomic_write,
    sha256_of,
    slug_for,
    write_manifest,
)

if TYPE_CHECKING:
    from .translate.pipeline import Translation, Translator

__all__ = ["FORMATS", "BuildResult", "build", "parse_formats", "parse_languages", "translate_release"]


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    slug: str
    directory: Path
    files: tuple[OutputFile, ...]
    manifest: Path
    translations: dict[str, Translation]


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


def translate_release(release: Release, targets: Sequence[str], translator: Translator) -> dict[str, Translation]:
    """Translations into every target, after checking that every route exists (so a missing model writes nothing)."""
    targets = [target for target in targets if target != release.language]
    for target in targets:
        translator.route(release.language, target)
    return {target: translator.translate(release, target) for target in targets}


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
    engine = Engine(EngineOptions(beam_size=settings.beam_size, threads=settings.threads, compute_type=settings.compute_type))
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
    formats: Sequence[str] = FORMATS,
    out_dir: str | Path = "output",
    make_translator: Callable[[], Translator] | None = None,
    pdf_options: PdfOptions = PdfOptions(),
    branding: Branding | None = None,
) -> BuildResult:
    """Build ``out_dir/<slug>/<lang>.<format>``, a QA report per translation, and the manifest.

    ``make_translator`` is called only when a language needs translating
    (default: :func:`default_translator`), so a build in the release's own
    language never loads a model or opens the translation memory.
    """
    source = Path(source)
    release = read_release(source)
    if branding is not None:
        # Default boilerplate and contacts join the release before facts and translation, so they are translated too.
        release = apply_branding(release, branding)
    release = mark_facts(release)
    needs_translation = any(language != release.language for language in languages)
    translations = translate_release(release, languages, (make_translator or default_translator)()) if needs_translation else {}
    versions = {language: translations[language].release if language in translations else release for language in languages}
    slug = slug_for(release)
    directory = Path(out_dir) / slug
    written = [
        _write(directory, versions[language], language, output_format, assets_dir=source.parent, pdf_options=pdf_options,
               branding=branding, alternates=languages)
        for language in languages
        for output_format in formats
    ]
    for language, translation in translations.items():
        written.append(_write_report(directory, language, translation))
    manifest = write_manifest(directory, slug=slug, source=source, source_sha256=sha256_of(source.read_bytes()), files=written)
    return BuildResult(slug=slug, directory=directory, files=tuple(written), manifest=manifest, translations=translations)


def build_with_config(source: str | Path, config: Config, *, languages: Sequence[str] | None = None) -> BuildResult:
    """:func:`build` with the settings of ``config`` (languages, formats, output folder, translation, PDF, branding)."""
    return build(
        source,
        languages=languages or config.build.languages,
        formats=config.build.formats,
        out_dir=config.output.directory,
        make_translator=lambda: translator_for(config.translation),
        pdf_options=pdf_options_for(config.pdf),
        branding=config.branded,
    )


def _write(
    directory: Path, release: Release, language: str, output_format: str, *, assets_dir: Path, pdf_options: PdfOptions,
    branding: Branding | None, alternates: Sequence[str],
) -> OutputFile:
    data = _render(release, output_format, assets_dir=assets_dir, pdf_options=pdf_options, branding=branding, alternates=alternates)
    name = f"{language}.{output_format}"
    atomic_write(directory / name, data)
    return OutputFile(name=name, language=language, format=output_format, sha256=sha256_of(data), size=len(data))


def _write_report(directory: Path, language: str, translation: Translation) -> OutputFile:
    data = (json.dumps(translation.report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    name = f"{language}.qa.json"
    atomic_write(directory / name, data)
    return OutputFile(name=name, language=language, format="qa", sha256=sha256_of(data), size=len(data))


def _render(
    release: Release, output_format: str, *, assets_dir: Path, pdf_options: PdfOptions, branding: Branding | None, alternates: Sequence[str]
) -> bytes:
    if output_format == "pdf":
        return render_pdf(release, assets_dir=assets_dir, options=pdf_options, branding=branding)
    if output_format == "html":
        return render_html(release, branding=branding, alternates=alternates).encode("utf-8")
    return dumps(release).encode("utf-8")
