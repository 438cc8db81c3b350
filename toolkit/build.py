"""The main job: read a release, render each requested language and format, write them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import PressToolkitError
from .facts import mark_facts
from .model import Release
from .read import read_release
from .release_json import dumps
from .render.html import render_html
from .render.pdf import render_pdf
from .write import FORMATS, OutputFile, atomic_write, sha256_of, slug_for, write_manifest

__all__ = ["FORMATS", "BuildResult", "UnsupportedLanguageError", "build", "parse_formats", "parse_languages"]


class UnsupportedLanguageError(PressToolkitError):
    """A language was requested that the release cannot be built in."""


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    slug: str
    directory: Path
    files: tuple[OutputFile, ...]
    manifest: Path


def parse_formats(value: str) -> tuple[str, ...]:
    """``"pdf,html"`` → ``('pdf', 'html')``; unknown formats are an error."""
    formats = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise PressToolkitError(f"unknown output format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def parse_languages(value: str) -> tuple[str, ...]:
    languages = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if not languages:
        raise PressToolkitError("no language given")
    return languages


def build(
    source: str | Path,
    *,
    languages: Sequence[str] = ("de",),
    formats: Sequence[str] = FORMATS,
    out_dir: str | Path = "output",
) -> BuildResult:
    """Build ``out_dir/<slug>/<lang>.<format>`` and the manifest for one release."""
    source = Path(source)
    release = mark_facts(read_release(source))
    for language in languages:
        if language != release.language:
            raise UnsupportedLanguageError(
                f"{source}: cannot build {language!r}: the release is written in {release.language!r} "
                "and this version of press-toolkit does not translate yet"
            )
    slug = slug_for(release)
    directory = Path(out_dir) / slug
    written = [
        _write(directory, release, language, output_format, assets_dir=source.parent)
        for language in languages
        for output_format in formats
    ]
    manifest = write_manifest(directory, slug=slug, source=source, source_sha256=sha256_of(source.read_bytes()), files=written)
    return BuildResult(slug=slug, directory=directory, files=tuple(written), manifest=manifest)


def _write(directory: Path, release: Release, language: str, output_format: str, *, assets_dir: Path) -> OutputFile:
    data = _render(release, output_format, assets_dir=assets_dir)
    name = f"{language}.{output_format}"
    atomic_write(directory / name, data)
    return OutputFile(name=name, language=language, format=output_format, sha256=sha256_of(data), size=len(data))


def _render(release: Release, output_format: str, *, assets_dir: Path) -> bytes:
    if output_format == "pdf":
        return render_pdf(release, assets_dir=assets_dir)
    if output_format == "html":
        return render_html(release).encode("utf-8")
    return dumps(release).encode("utf-8")
