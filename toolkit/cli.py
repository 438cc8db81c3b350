"""``presskit``: the command line.

Exit codes: 0 success; 1 bad input or a failed build (one line on stderr
saying which file and what is wrong); 2 wrong usage of the command.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import PressToolkitError
from .read import read_release
from .release_json import dumps
from .write import FORMATS

if TYPE_CHECKING:
    from .build import BuildResult
    from .translate.pipeline import Translator

app = typer.Typer(
    name="presskit",
    help="Read, translate, localize and typeset press releases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_out = Console()
_err = Console(stderr=True)

T = TypeVar("T")

SourceArgument = Annotated[Path, typer.Argument(help="Release file: plain text (.txt), Markdown with front matter (.md) or release JSON.")]


def _version(value: bool) -> None:
    if value:
        _out.print(f"presskit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """press-toolkit: from a German press release to print-ready sheets."""


@contextmanager
def _reported() -> Iterator[None]:
    """Print reader warnings, and turn toolkit errors into one line and exit code 1."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except PressToolkitError as error:
            _print_warnings(caught)
            _err.print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=1) from None
    _print_warnings(caught)


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    # Warnings addressed to the user (a guessed encoding, a missing catalog);
    # library housekeeping such as ResourceWarning stays out of the output.
    for warning in caught:
        if not issubclass(warning.category, UserWarning):
            continue
        _err.print(f"[yellow]warning:[/] {warning.message}", highlight=False, soft_wrap=True)


def _run(action: Callable[[], T]) -> T:
    with _reported():
        return action()
    raise AssertionError("unreachable: _reported() re-raises every error")


@app.command()
def parse(source: SourceArgument) -> None:
    """Print the release read from SOURCE as JSON."""
    release = _run(lambda: read_release(source))
    sys.stdout.write(dumps(release))


LanguagesOption = Annotated[str, typer.Option("--lang", "-l", help="Languages to build, comma-separated; others than the release's are translated.")]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Output folder; each release gets a subfolder.")]
GlossaryOption = Annotated[
    list[Path] | None,
    typer.Option("--glossary", "-g", help="Glossary CSV for a pair, named …-<from>-<to>.csv (e.g. glossary-de-en.csv); repeatable."),
]
DoNotTranslateOption = Annotated[Path | None, typer.Option("--do-not-translate", help="File with one name or term per line to keep as written.")]
MemoryOption = Annotated[Path | None, typer.Option("--memory", help="Translation memory (SQLite); default in the user's data folder.")]
BeamOption = Annotated[int, typer.Option("--beam-size", min=1, max=16, help="Beam size of the decoder (larger: slower, sometimes better).")]
ThreadsOption = Annotated[int, typer.Option("--threads", min=0, help="CPU threads for the model; 0 lets CTranslate2 choose.")]
ComputeOption = Annotated[str, typer.Option("--compute-type", help="CTranslate2 compute type: int8 (default on CPU), int8_float32, float32 …")]


def _translator(
    glossaries: list[Path] | None, do_not_translate: Path | None, memory: Path | None, *, beam_size: int, threads: int, compute_type: str
) -> Translator:
    from .translate.engine import Engine, EngineOptions
    from .translate.glossary import load_do_not_translate, load_glossary
    from .translate.memory import TranslationMemory
    from .translate.pipeline import Translator

    keep = load_do_not_translate(do_not_translate) if do_not_translate else frozenset()
    loaded = []
    for path in glossaries or []:
        match = re.search(r"([a-z]{2,3})-([a-z]{2,3})$", path.stem, re.IGNORECASE)
        if match is None:
            raise PressToolkitError(f"{path}: cannot tell the language pair; name the file …-<from>-<to>.csv, e.g. glossary-de-en.csv")
        glossary = load_glossary(path, source_language=match[1].lower(), target_language=match[2].lower())
        loaded.append(glossary)
    engine = Engine(EngineOptions(beam_size=beam_size, threads=threads, compute_type=compute_type))
    return Translator(engine=engine, memory=TranslationMemory(_memory_path(memory)), glossaries=loaded, do_not_translate=keep)


@app.command("build")
def build_command(
    source: SourceArgument,
    lang: LanguagesOption = "de",
    out: OutOption = Path("output"),
    format: Annotated[str, typer.Option("--format", "-f", help=f"Formats, comma-separated: {', '.join(FORMATS)}.")] = ",".join(FORMATS),
    glossary: GlossaryOption = None,
    do_not_translate: DoNotTranslateOption = None,
    memory: MemoryOption = None,
    beam_size: BeamOption = 2,
    threads: ThreadsOption = 0,
    compute_type: ComputeOption = "int8",
    pdf_variant: Annotated[str, typer.Option("--pdf-variant", help="pdf/a-3u+tags (default: archival and accessible), pdf/ua-1, pdf/a-2b, plain.")] = "pdf/a-3u+tags",
    page_size: Annotated[str, typer.Option("--page-size", help="A4 or Letter.")] = "A4",
    bleed: Annotated[float, typer.Option("--bleed", help="Bleed in mm with crop marks, for print shops (e.g. 3).")] = 0,
    attach_source: Annotated[bool, typer.Option("--attach-source", help="Embed the release JSON in the PDF.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="presskit.toml with the branding; default: ./presskit.toml, then the user's config folder.")] = None,
) -> None:
    """Render SOURCE as PDF, HTML and JSON into OUT/<slug>/, translating where needed."""
    # Imported here so that `presskit parse` does not pay for loading WeasyPrint.
    from .build import build, parse_formats, parse_languages
    from .config import load_config
    from .render.pdf import PdfOptions

    def run() -> BuildResult:
        languages = parse_languages(lang)
        formats = parse_formats(format)
        pdf_options = PdfOptions(variant=pdf_variant, page_size=page_size, bleed_mm=bleed, attach_source=attach_source)  # type: ignore[arg-type]
        settings = load_config(config)
        branding = settings.branding if settings.source is not None else None
        return build(source, languages=languages, formats=formats, out_dir=out, pdf_options=pdf_options, branding=branding,
                     make_translator=lambda: _translator(glossary, do_not_translate, memory, beam_size=beam_size, threads=threads, compute_type=compute_type))

    result = _run(run)
    _print_result(result)


@app.command()
def translate(
    source: SourceArgument,
    to: Annotated[str, typer.Option("--to", "-t", help="Target languages, comma-separated.")],
    out: OutOption = Path("output"),
    strict: Annotated[bool, typer.Option("--strict", help="Exit with code 3 when a QA check reports an error.")] = False,
    glossary: GlossaryOption = None,
    do_not_translate: DoNotTranslateOption = None,
    memory: MemoryOption = None,
    beam_size: BeamOption = 2,
    threads: ThreadsOption = 0,
    compute_type: ComputeOption = "int8",
) -> None:
    """Translate SOURCE offline; write OUT/<slug>/<lang>.json and a QA report per language."""
    from .build import build, parse_languages

    def run() -> BuildResult:
        languages = parse_languages(to)
        return build(source, languages=languages, formats=("json",), out_dir=out,
                     make_translator=lambda: _translator(glossary, do_not_translate, memory, beam_size=beam_size, threads=threads, compute_type=compute_type))

    result = _run(run)
    _print_result(result)
    if strict and not all(t.report.passed for t in result.translations.values()):
        _err.print("[bold red]QA failed[/] (--strict): see the QA reports above", highlight=False)
        raise typer.Exit(code=3)


def _print_result(result: BuildResult) -> None:
    _out.print(f"Wrote [bold]{result.directory}[/]", highlight=False, soft_wrap=True)
    for language, translation in result.translations.items():
        report = translation.report
        status = "[green]passed[/]" if report.passed else "[red]failed[/]"
        _out.print(
            f"{language}: {translation.route.describe()}; {translation.from_model} segments from the model, "
            f"{translation.from_memory} from memory; QA {status}",
            highlight=False,
            soft_wrap=True,
        )
        _out.print(report.summary(), highlight=False, soft_wrap=True, markup=False)
    table = Table(show_edge=False)
    table.add_column("file")
    table.add_column("size", justify="right")
    table.add_column("sha256")
    for file in result.files:
        table.add_row(file.name, f"{file.size / 1024:.1f} KiB", file.sha256[:16] + "…")
    table.add_row(result.manifest.name, "", "")
    _out.print(table)


models_app = typer.Typer(help="Manage the offline translation models (Argos packages).", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list() -> None:
    """List installed language pairs."""
    from .translate.packages import installed_models, packages_dir

    models = _run(installed_models)
    if not models:
        _out.print(f"No translation models installed in {packages_dir()}. Install one with `presskit models install de en` "
                   "(online) or `presskit models install-file PATH.argosmodel` (offline).", highlight=False, soft_wrap=True)
        return
    table = Table(show_edge=False)
    for column in ("pair", "package", "version", "identity"):
        table.add_column(column)
    for model in models:
        table.add_row(f"{model.source}→{model.target}", model.name, model.version, model.identity)
    _out.print(table)


@models_app.command("install")
def models_install(
    source: Annotated[str, typer.Argument(help="Language to translate from, e.g. de.")],
    target: Annotated[str, typer.Argument(help="Language to translate into, e.g. en.")],
) -> None:
    """Download and install a model from the Argos package index (needs the internet)."""
    from .translate.packages import install_from_index

    model = _run(lambda: install_from_index(source, target))
    _out.print(f"Installed {model.name} {model.version} ({model.source}→{model.target}) in {model.path}", highlight=False)


@models_app.command("install-file")
def models_install_file(path: Annotated[Path, typer.Argument(help="An .argosmodel file.")]) -> None:
    """Install a model from an .argosmodel file (offline)."""
    from .translate.packages import install_file

    model = _run(lambda: install_file(path))
    _out.print(f"Installed {model.name} {model.version} ({model.source}→{model.target}) in {model.path}", highlight=False)


@models_app.command("remove")
def models_remove(source: Annotated[str, typer.Argument()], target: Annotated[str, typer.Argument()]) -> None:
    """Remove an installed model."""
    from .translate.packages import remove

    model = _run(lambda: remove(source, target))
    _out.print(f"Removed {model.name} {model.version} ({model.source}→{model.target})", highlight=False)


@app.command()
def facts(
    source: SourceArgument,
    locale: Annotated[str, typer.Option("--locale", "-L", help="Locale to render the facts in (en, fr, es, pt-BR …).")] = "en",
) -> None:
    """List every fact recognized in SOURCE with its typed value and its rendering in LOCALE."""
    from .facts import describe, list_facts, mark_facts
    from .localize import format_fact

    def collect() -> list[tuple[str, str, str, str, str]]:
        release = mark_facts(read_release(source))
        return [
            (entry.where, entry.kind.value, entry.source, describe(entry.fact), format_fact(entry.fact, locale=locale))
            for entry in list_facts(release)
        ]

    rows = _run(collect)
    table = Table(show_edge=False)
    for column in ("where", "kind", "source", "value", f"in {locale}"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    _out.print(table)
    _out.print(f"{len(rows)} facts", highlight=False)


memory_app = typer.Typer(help="The translation memory: exchange with CAT tools as TMX.", no_args_is_help=True)
app.add_typer(memory_app, name="memory")


@memory_app.command("import")
def memory_import(
    path: Annotated[Path, typer.Argument(help="A TMX file.")],
    machine: Annotated[bool, typer.Option("--machine", help="Store as unreviewed (never reused); default: reviewed, which always wins.")] = False,
    memory: MemoryOption = None,
) -> None:
    """Import translation units from a TMX file."""
    from .translate.memory import TranslationMemory

    def run() -> int:
        with TranslationMemory(_memory_path(memory)) as store:
            return store.import_tmx(path, reviewed=not machine)

    count = _run(run)
    _out.print(f"Imported {count} {'machine' if machine else 'reviewed'} segments from {path}", highlight=False)


@memory_app.command("export")
def memory_export(
    path: Annotated[Path, typer.Argument(help="The TMX file to write.")],
    source: Annotated[str, typer.Option("--from", help="Source language.")] = "de",
    target: Annotated[str, typer.Option("--to", help="Target language.")] = "en",
    reviewed_only: Annotated[bool, typer.Option("--reviewed-only", help="Leave machine output out.")] = False,
    memory: MemoryOption = None,
) -> None:
    """Export the memory of one language pair as TMX."""
    from .translate.memory import TranslationMemory

    def run() -> int:
        with TranslationMemory(_memory_path(memory)) as store:
            return store.export_tmx(path, source_language=source, target_language=target, reviewed_only=reviewed_only)

    count = _run(run)
    _out.print(f"Exported {count} segments ({source}→{target}) to {path}", highlight=False)


def _memory_path(memory: Path | None) -> Path:
    from .paths import default_memory_path

    path = memory or default_memory_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
