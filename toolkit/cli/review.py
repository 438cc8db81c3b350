"""``presskit export-xliff``, ``import-xliff`` and ``memory``: translations out to reviewers and CAT tools, and back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from ..errors import PressToolkitError
from .app import SourceArgument, app, err, out, run_reported
from .options import CommandOptions, MemoryOption, configured, memory_path, shared_options
from .report import print_result

if TYPE_CHECKING:
    from ..builder import BuildResult

__all__ = ["export_xliff_command", "import_xliff_command", "memory_app"]


@app.command("export-xliff")
@shared_options("glossary", "do_not_translate", "memory")
def export_xliff_command(
    source: SourceArgument,
    to: Annotated[str, typer.Option("--to", "-t", help="Target languages, comma-separated (one .xlf each), e.g. en,fr.")],
    options: CommandOptions,
    out_file: Annotated[Path | None, typer.Option("--out", "-o", help="XLIFF file to write; default: <output>/<release folder>/<lang>.xlf.")] = None,
) -> None:
    """Write SOURCE's translation as XLIFF 1.2 for review in a CAT tool (machine output marked for review, QA findings as notes)."""
    from ..batch import prepare_release
    from ..builder import parse_languages
    from ..translate.setup import translator_for
    from ..translate.xliff import XliffExport, export_record_path, export_xliff
    from ..write import folder_for

    def run() -> list[XliffExport]:
        settings = options.settings()
        targets = parse_languages(to)
        if out_file is not None and len(targets) > 1:
            raise PressToolkitError(f"--out names one file, but {len(targets)} languages were asked for; leave --out out to "
                                    "write <lang>.xlf for each into the release's folder")
        release = prepare_release(source, settings.branded)
        translator = translator_for(settings.translation)
        exports = []
        for target in targets:
            if target == release.language:
                raise PressToolkitError(f"{source}: the release is already in {target}; choose another language to translate into")
            path = out_file or settings.output.directory / folder_for(release, settings.output.folder) / f"{target}.xlf"
            translation = translator.translate(release, target)
            exports.append(export_xliff(translation, path, original=source.resolve(), record=export_record_path()))
        return exports

    for result in run_reported(run):
        out.print(
            f"Wrote {result.path}: {result.units} segments {result.source_language}→{result.target_language} "
            f"({result.needs_review} machine output to review, {result.reviewed} already reviewed)",
            highlight=False, soft_wrap=True,
        )


@app.command("import-xliff")
@shared_options("lang", "out", "memory")
def import_xliff_command(
    path: Annotated[Path, typer.Argument(help="A reviewed XLIFF file written by export-xliff.")],
    options: CommandOptions,
    render: Annotated[bool, typer.Option("--render/--no-render", help="Re-render the release afterwards (default).")] = True,
) -> None:
    """Store the reviewed segments of PATH in the translation memory and re-render the language they belong to."""
    from ..builder import build_with_config
    from ..translate.memory import TranslationMemory
    from ..translate.xliff import XliffImport, export_record_path, import_xliff
    from ..write import read_manifest

    def run() -> tuple[XliffImport, BuildResult | None]:
        settings = options.settings()
        with TranslationMemory(memory_path(settings)) as store:
            # Only an original that export-xliff recorded is read and rebuilt, and only its units are stored.
            imported = import_xliff(path, store, record=export_record_path())
        source = imported.source
        if not render or imported.stored == 0:
            return imported, None
        if source is None or not source.is_file():
            raise PressToolkitError(
                f"{path}: stored {imported.stored} reviewed segments, but the release {source} is not there to re-render; "
                f"run presskit build SOURCE --lang {imported.target_language}"
            )
        # Every language the office builds and every one already built beside the file (so the web pages keep linking
        # each other), plus the reviewed one: only outputs whose inputs changed are rebuilt.
        built = [file.language for file in read_manifest(path.parent) if file.format != "qa"]
        languages = tuple(dict.fromkeys([*settings.build.languages, *built, imported.target_language]))
        return imported, build_with_config(source, settings, languages=languages)

    imported, result = run_reported(run)
    out.print(f"Stored {imported.stored} reviewed segments ({imported.source_language}→{imported.target_language}), "
               f"{imported.skipped} unchanged", highlight=False)
    for warning in imported.warnings:
        err.print(f"[yellow]warning:[/] {escape(str(warning.message))}", highlight=False, soft_wrap=True)  # names its unit, or the file
    if result is not None:
        print_result(result)


memory_app = typer.Typer(help="The translation memory: exchange with CAT tools as TMX.", no_args_is_help=True)


app.add_typer(memory_app, name="memory")


@memory_app.command("import")
def memory_import(
    path: Annotated[Path, typer.Argument(help="A TMX file.")],
    machine: Annotated[bool, typer.Option("--machine", help="Store as unreviewed (never reused); default: reviewed, which always wins.")] = False,
    memory: MemoryOption = None,
) -> None:
    """Import translation units from a TMX file."""
    from ..translate.memory import TranslationMemory

    def run() -> int:
        with TranslationMemory(memory_path(configured(None, memory=memory))) as store:
            return store.import_tmx(path, reviewed=not machine)

    count = run_reported(run)
    out.print(f"Imported {count} {'machine' if machine else 'reviewed'} segments from {path}", highlight=False)


@memory_app.command("export")
def memory_export(
    path: Annotated[Path, typer.Argument(help="The TMX file to write.")],
    source: Annotated[str, typer.Option("--from", help="Source language.")] = "de",
    target: Annotated[str, typer.Option("--to", help="Target language.")] = "en",
    reviewed_only: Annotated[bool, typer.Option("--reviewed-only", help="Leave machine output out.")] = False,
    memory: MemoryOption = None,
) -> None:
    """Export the memory of one language pair as TMX."""
    from ..translate.memory import TranslationMemory

    def run() -> int:
        with TranslationMemory(memory_path(configured(None, memory=memory))) as store:
            return store.export_tmx(path, source_language=source, target_language=target, reviewed_only=reviewed_only)

    count = run_reported(run)
    out.print(f"Exported {count} segments ({source}→{target}) to {path}", highlight=False)
