"""``presskit``: the command line.

Exit codes: 0 success; 1 bad input or a failed build (one line on stderr
saying which file and what is wrong); 2 wrong usage of the command.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Self, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import __version__
from .errors import PressToolkitError
from .formats import DEFAULT_FORMATS, FORMATS

# The commands import what they need (readers, pydantic, WeasyPrint, CTranslate2) when they run, so that
# `presskit --help` starts at once; tests/test_startup.py keeps it so.

if TYPE_CHECKING:
    from rich.progress import TaskID

    from .batch import BatchResult, Stage
    from .builder import BuildResult
    from .config import Config
    
app = typer.Typer(
    name="presskit",
    help="Read, translate, localize and typeset press releases.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help: Rich's help panels import rich.markdown (and markdown-it) at every start; tests/test_startup.py.
    rich_markup_mode=None,
)
_out = Console()
_err = Console(stderr=True)

T = TypeVar("T")

SourceArgument = Annotated[
    Path,
    typer.Argument(help="Release file: plain text (.txt), Markdown (.md), Word (.docx), LibreOffice (.odt), a saved web page (.html), "
                        "PDF, e-mail (.eml) or release JSON."),
]


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
            _err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=1) from None
    _print_warnings(caught)


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    # Warnings addressed to the user (a guessed encoding, a missing catalog);
    # library housekeeping such as ResourceWarning stays out of the output.
    for warning in caught:
        if not issubclass(warning.category, UserWarning):
            continue
        _err.print(f"[yellow]warning:[/] {escape(str(warning.message))}", highlight=False, soft_wrap=True)


# Commands whose libraries come with an extra (pyproject.toml), and the modules that tell it is installed.
_EXTRAS = {
    "service": ("fastapi", "uvicorn", "multipart"),
    "watch": ("watchdog",),
    "cluster": ("distributed",),
}


def _require_extra(extra: str, command: str) -> None:
    """Stop with one line naming the extra to install when ``command`` lacks its libraries."""
    import importlib.util

    missing = [module for module in _EXTRAS[extra] if importlib.util.find_spec(module) is None]
    if missing:
        _err.print(
            f"[bold red]error:[/] presskit {command} needs the '{extra}' extra ({', '.join(missing)} missing): "
            + escape(f'pip install "press-toolkit[{extra}]"'),
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=1)


def _run(action: Callable[[], T]) -> T:
    with _reported():
        return action()
    raise AssertionError("unreachable: _reported() re-raises every error")


@app.command()
def parse(source: SourceArgument) -> None:
    """Print the release read from SOURCE as JSON."""
    from .read import read_release
    from .release_json import dumps

    release = _run(lambda: read_release(source))
    sys.stdout.write(dumps(release))


LanguagesOption = Annotated[
    str | None, typer.Option("--lang", "-l", help="Languages to build, comma-separated; others than the release's are translated. Default: build.languages of the configuration (de).")
]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Output folder; each release gets a subfolder. Default: output.directory of the configuration (output).")]
GlossaryOption = Annotated[
    list[Path] | None,
    typer.Option("--glossary", "-g", help="Glossary CSV for a pair, named …-<from>-<to>.csv (e.g. glossary-de-en.csv); repeatable; replaces the configured ones."),
]
DoNotTranslateOption = Annotated[Path | None, typer.Option("--do-not-translate", help="File with one name or term per line to keep as written.")]
MemoryOption = Annotated[Path | None, typer.Option("--memory", help="Translation memory (SQLite); default in the user's data folder.")]
BeamOption = Annotated[int | None, typer.Option("--beam-size", min=1, max=16, help="Beam size of the decoder (larger: slower, sometimes better); default 2.")]
ThreadsOption = Annotated[int | None, typer.Option("--threads", min=0, help="CPU threads for the model; 0 (default) lets CTranslate2 choose.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="List every QA finding, not only one line per language.")]
ComputeOption = Annotated[str | None, typer.Option("--compute-type", help="CTranslate2 compute type: int8 (default on CPU), int8_float32, float32 …")]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="presskit.toml to use; default: ./presskit.toml, then the user's config folder.")
]
FormatOption = Annotated[str | None, typer.Option("--format", "-f", help=f"Formats, comma-separated: {', '.join(FORMATS)} (default: {', '.join(DEFAULT_FORMATS)}).")]
PdfVariantOption = Annotated[
    str | None, typer.Option("--pdf-variant", help="pdf/a-3u+tags (default: archival and accessible), pdf/ua-1, pdf/a-2b, plain.")
]
PageSizeOption = Annotated[str | None, typer.Option("--page-size", help="A4 (default) or Letter.")]
BleedOption = Annotated[float | None, typer.Option("--bleed", help="Bleed in mm with crop marks, for print shops (e.g. 3).")]
AttachOption = Annotated[bool | None, typer.Option("--attach-source/--no-attach-source", help="Embed the release JSON in the PDF.")]


def _configured(config_path: Path | None, **options: object) -> Config:
    """The configuration file's settings with the command line's options on top (``None``: not given)."""
    from .builder import parse_formats, parse_languages
    from .config import check_cluster_address, load_config

    config = load_config(config_path)
    converters: dict[str, Callable[[object], object]] = {
        "build.languages": lambda value: parse_languages(str(value)),
        "build.formats": lambda value: parse_formats(str(value)),
        "translation.glossaries": lambda value: tuple(value) if isinstance(value, list) and value else None,
        "cluster.address": lambda value: check_cluster_address(str(value)),
    }
    for name, value in options.items():
        key, flag = _OPTION_KEYS[name]
        if value is None:
            continue
        converted = converters.get(key, lambda v: v)(value)
        config = config.override(key, converted, flag)
    return config


_OPTION_KEYS: dict[str, tuple[str, str]] = {
    "lang": ("build.languages", "--lang"),
    "format": ("build.formats", "--format"),
    "jobs": ("build.jobs", "--jobs"),
    "out": ("output.directory", "--out"),
    "glossary": ("translation.glossaries", "--glossary"),
    "do_not_translate": ("translation.do_not_translate", "--do-not-translate"),
    "memory": ("translation.memory", "--memory"),
    "beam_size": ("translation.beam_size", "--beam-size"),
    "threads": ("translation.threads", "--threads"),
    "compute_type": ("translation.compute_type", "--compute-type"),
    "pdf_variant": ("pdf.variant", "--pdf-variant"),
    "page_size": ("pdf.page_size", "--page-size"),
    "bleed": ("pdf.bleed", "--bleed"),
    "attach_source": ("pdf.attach_source", "--attach-source"),
    "cluster": ("cluster.address", "--cluster"),
}


@app.command("build")
def build_command(
    source: SourceArgument,
    lang: LanguagesOption = None,
    out: OutOption = None,
    format: FormatOption = None,
    glossary: GlossaryOption = None,
    do_not_translate: DoNotTranslateOption = None,
    memory: MemoryOption = None,
    beam_size: BeamOption = None,
    threads: ThreadsOption = None,
    compute_type: ComputeOption = None,
    pdf_variant: PdfVariantOption = None,
    page_size: PageSizeOption = None,
    bleed: BleedOption = None,
    attach_source: AttachOption = None,
    config: ConfigOption = None,
    date: Annotated[
        dt.datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Release date (YYYY-MM-DD) for a release that gives none, or to correct it."),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Render SOURCE as PDF, HTML and JSON into OUT/<slug>/, translating where needed."""
    # Imported here so that `presskit parse` does not pay for loading WeasyPrint.
    from .builder import build_with_config

    def run() -> BuildResult:
        settings = _configured(
            config, lang=lang, out=out, format=format, glossary=glossary, do_not_translate=do_not_translate, memory=memory,
            beam_size=beam_size, threads=threads, compute_type=compute_type, pdf_variant=pdf_variant, page_size=page_size,
            bleed=bleed, attach_source=attach_source,
        )
        with _RichProgress(_err, only_on_a_terminal=True) as progress:
            return build_with_config(source, settings, date=date.date() if date else None, progress=progress)

    result = _run(run)
    _print_result(result, verbose=verbose)


@app.command()
def translate(
    source: SourceArgument,
    to: Annotated[str, typer.Option("--to", "-t", help="Target languages, comma-separated.")],
    out: OutOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with code 3 when a QA check reports an error.")] = False,
    glossary: GlossaryOption = None,
    do_not_translate: DoNotTranslateOption = None,
    memory: MemoryOption = None,
    beam_size: BeamOption = None,
    threads: ThreadsOption = None,
    compute_type: ComputeOption = None,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Translate SOURCE offline; write OUT/<slug>/<lang>.json and a QA report per language."""
    from .builder import build_with_config

    def run() -> BuildResult:
        settings = _configured(
            config, lang=to, out=out, format="json", glossary=glossary, do_not_translate=do_not_translate, memory=memory,
            beam_size=beam_size, threads=threads, compute_type=compute_type,
        )
        with _RichProgress(_err, only_on_a_terminal=True) as progress:
            return build_with_config(source, settings, progress=progress)

    result = _run(run)
    _print_result(result, verbose=verbose)
    if strict and not all(t.report.passed for t in result.translations.values()):
        _err.print("[bold red]QA failed[/] (--strict): see the QA lines above and the <lang>.qa.json reports (--verbose lists them)",
                   highlight=False)
        raise typer.Exit(code=3)


@app.command()
def batch(
    input_dir: Annotated[Path, typer.Argument(help="Folder with releases (.txt, .md), searched recursively.")],
    lang: LanguagesOption = None,
    out: OutOption = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=0, help="Render processes; 0: one per CPU core (default).")] = None,
    format: FormatOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with code 3 when a QA check reports an error.")] = False,
    glossary: GlossaryOption = None,
    do_not_translate: DoNotTranslateOption = None,
    memory: MemoryOption = None,
    beam_size: BeamOption = None,
    threads: ThreadsOption = None,
    compute_type: ComputeOption = None,
    pdf_variant: PdfVariantOption = None,
    page_size: PageSizeOption = None,
    config: ConfigOption = None,
    cluster: Annotated[str | None, typer.Option("--cluster", help="Run on a Dask cluster: its scheduler (tcp://host:8786), or local[:N] "
                                                "for N worker processes here; 'none' runs here. Default: cluster.address of the configuration.")] = None,
) -> None:
    """Build every release in INPUT_DIR; unchanged outputs are skipped, a broken release is reported and skipped (exit 1)."""
    from .batch import RunOptions, run_batch, scan_folder
    from .builder import translator_for

    def run() -> tuple[BatchResult, Path]:
        settings = _configured(
            config, lang=lang, out=out, jobs=jobs, format=format, glossary=glossary, do_not_translate=do_not_translate, memory=memory,
            beam_size=beam_size, threads=threads, compute_type=compute_type, pdf_variant=pdf_variant, page_size=page_size,
            cluster=None if cluster == "none" else cluster,
        )
        address = None if cluster == "none" else settings.cluster.address
        if address is not None:
            _require_extra("cluster", "batch --cluster")
        options = RunOptions.from_config(settings)
        scan = scan_folder(input_dir, exclude=[options.out_dir])
        for path, reason in scan.skipped:
            _err.print(f"[yellow]skipped:[/] {escape(str(path))}: {escape(reason)}", highlight=False, soft_wrap=True)
        sources = scan.releases
        with _RichProgress(_err) as progress:
            if address is not None:  # Dask is imported only here
                from .cluster import run_cluster_batch

                batch = run_cluster_batch(sources, options, address=address, make_translator=lambda: translator_for(settings.translation),
                                          models_dir=settings.translation.models, input_dirs=[input_dir], progress=progress,
                                          announce=lambda line: _err.print(escape(line), highlight=False, soft_wrap=True))
            else:
                batch = run_batch(sources, options, make_translator=lambda: translator_for(settings.translation), progress=progress)
        return batch, options.out_dir

    result, out_dir = _run(run)
    _print_batch(result, input_dir, out_dir)
    if result.failed:
        raise typer.Exit(code=1)
    if strict and not all(all(outcome.qa_passed.values()) for outcome in result.releases):
        _err.print("[bold red]QA failed[/] (--strict): see the QA column and the <lang>.qa.json reports", highlight=False)
        raise typer.Exit(code=3)


@app.command()
def watch(
    inbox: Annotated[Path, typer.Argument(help="Folder to watch; releases (.txt, .md, .docx, .odt, .html, .pdf, .eml) dropped or changed there are built.")],
    lang: LanguagesOption = None,
    out: OutOption = None,
    format: FormatOption = None,
    glossary: GlossaryOption = None,
    do_not_translate: DoNotTranslateOption = None,
    memory: MemoryOption = None,
    settle: Annotated[float, typer.Option("--settle", min=0.0, help="Seconds a file must be quiet before it is read.")] = 1.0,
    config: ConfigOption = None,
) -> None:
    """Build each new or changed release in INBOX until stopped (Ctrl+C); failed ones move to INBOX/failed/ with an error file."""
    _require_extra("watch", "watch")
    import signal
    import threading

    from .batch import RunOptions
    from .builder import translator_for
    from .watch import WatchResult, watch_folder

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def report(result: WatchResult) -> None:
        outcome = result.outcome
        if outcome.error is not None:
            where = f" (moved to {result.moved_to})" if result.moved_to else ""
            _err.print(f"[bold red]failed[/] {outcome.source.name}: {outcome.error}{where}", highlight=False, soft_wrap=True)
        else:
            _out.print(f"{outcome.status} {outcome.source.name} → {outcome.directory}", highlight=False, soft_wrap=True)

    def run() -> None:
        settings = _configured(config, lang=lang, out=out, format=format, glossary=glossary, do_not_translate=do_not_translate, memory=memory)
        options = RunOptions.from_config(settings)
        _out.print(f"Watching {inbox} (Ctrl+C to stop); outputs in {options.out_dir}", highlight=False, soft_wrap=True)
        try:
            watch_folder(inbox, options, make_translator=lambda: translator_for(settings.translation), on_result=report, stop=stop,
                         settle=settle)
        except KeyboardInterrupt:
            pass

    _run(run)
    _out.print("Stopped.", highlight=False)


@app.command("export-xliff")
def export_xliff_command(
    source: SourceArgument,
    to: Annotated[str, typer.Option("--to", "-t", help="Target languages, comma-separated (one .xlf each), e.g. en,fr.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="XLIFF file to write; default: <output>/<release folder>/<lang>.xlf.")] = None,
    glossary: GlossaryOption = None,
    do_not_translate: DoNotTranslateOption = None,
    memory: MemoryOption = None,
    config: ConfigOption = None,
) -> None:
    """Write SOURCE's translation as XLIFF 1.2 for review in a CAT tool (machine output marked for review, QA findings as notes)."""
    from .batch import prepare_release
    from .builder import parse_languages, translator_for
    from .translate.xliff import XliffExport, export_record_path, export_xliff
    from .write import folder_for

    def run() -> list[XliffExport]:
        settings = _configured(config, glossary=glossary, do_not_translate=do_not_translate, memory=memory)
        targets = parse_languages(to)
        if out is not None and len(targets) > 1:
            raise PressToolkitError(f"--out names one file, but {len(targets)} languages were asked for; leave --out out to "
                                    "write <lang>.xlf for each into the release's folder")
        release = prepare_release(source, settings.branded)
        translator = translator_for(settings.translation)
        exports = []
        for target in targets:
            if target == release.language:
                raise PressToolkitError(f"{source}: the release is already in {target}; choose another language to translate into")
            path = out or settings.output.directory / folder_for(release, settings.output.folder) / f"{target}.xlf"
            exports.append(export_xliff(release, target, translator, path, original=source.resolve(), record=export_record_path()))
        return exports

    for result in _run(run):
        _out.print(
            f"Wrote {result.path}: {result.units} segments {result.source_language}→{result.target_language} "
            f"({result.needs_review} machine output to review, {result.reviewed} already reviewed)",
            highlight=False, soft_wrap=True,
        )


@app.command("import-xliff")
def import_xliff_command(
    path: Annotated[Path, typer.Argument(help="A reviewed XLIFF file written by export-xliff.")],
    lang: LanguagesOption = None,
    out: OutOption = None,
    render: Annotated[bool, typer.Option("--render/--no-render", help="Re-render the release afterwards (default).")] = True,
    memory: MemoryOption = None,
    config: ConfigOption = None,
) -> None:
    """Store the reviewed segments of PATH in the translation memory and re-render the language they belong to."""
    from .builder import build_with_config
    from .translate.memory import TranslationMemory
    from .translate.xliff import XliffImport, export_record_path, import_xliff
    from .write import read_manifest

    def run() -> tuple[XliffImport, BuildResult | None]:
        settings = _configured(config, lang=lang, out=out, memory=memory)
        with TranslationMemory(_memory_path(memory, config)) as store:
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

    imported, result = _run(run)
    _out.print(f"Stored {imported.stored} reviewed segments ({imported.source_language}→{imported.target_language}), "
               f"{imported.skipped} unchanged", highlight=False)
    for warning in imported.warnings:
        _err.print(f"[yellow]warning:[/] {escape(str(warning.message))}", highlight=False, soft_wrap=True)  # names its unit, or the file
    if result is not None:
        _print_result(result)


class _RichProgress:
    """:class:`toolkit.batch.Progress` as Rich progress bars, one per stage."""

    def __init__(self, console: Console, *, only_on_a_terminal: bool = False) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        # A single build shows its bars only to a person at a terminal: piped, its output stays the result alone.
        self._progress = Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                  console=console, transient=False, disable=only_on_a_terminal and not console.is_terminal)
        self._tasks: dict[object, TaskID] = {}

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, stage: Stage, total: int) -> None:
        self._tasks[stage] = self._progress.add_task(stage.value, total=total)

    def advance(self, stage: Stage, amount: int = 1) -> None:
        self._progress.advance(self._tasks[stage], amount)


def _print_batch(result: BatchResult, input_dir: Path, out_dir: Path) -> None:
    table = Table(show_edge=False)
    for column in ("release", "languages", "QA", "files", "time", "status"):
        table.add_column(column, overflow="fold")
    for outcome in result.releases:
        try:
            name = str(outcome.source.relative_to(input_dir))
        except ValueError:
            name = str(outcome.source)
        qa = " ".join(f"{language} {'[green]passed[/]' if passed else '[red]failed[/]'}" for language, passed in outcome.qa_passed.items())
        languages = ", ".join(sorted({file.language for file in outcome.files if file.format != "qa"}))
        files = f"{len(outcome.built)} new, {len(outcome.files) - len(outcome.built)} kept" if outcome.error is None else ""
        status = {"built": "[green]built[/]", "up to date": "up to date", "failed": "[bold red]failed[/]"}[outcome.status]
        table.add_row(name, languages, qa or "–", files, f"{outcome.seconds:.1f} s", status)
    _out.print(table)
    for outcome in result.failed:
        stage = outcome.failed_in.value if outcome.failed_in else "?"
        _err.print(f"[bold red]error[/] ({stage}): {outcome.error}", highlight=False, soft_wrap=True)
    count = len(result.releases)
    if result.files_built == 0 and not result.failed:
        _out.print(f"Nothing to do: all {result.files_up_to_date} outputs of {count} releases in {out_dir} are up to date "
                   f"({result.seconds:.1f} s).", highlight=False, soft_wrap=True)
        return
    built = sum(1 for outcome in result.releases if outcome.status == "built")
    _out.print(
        f"{count} releases: {built} built, {count - built - len(result.failed)} up to date, {len(result.failed)} failed; "
        f"{result.files_built} files written to {out_dir}, {result.files_up_to_date} kept, in {result.seconds:.1f} s.",
        highlight=False,
        soft_wrap=True,
    )


def _print_result(result: BuildResult, *, verbose: bool = False) -> None:
    _out.print(f"Wrote [bold]{escape(str(result.directory))}[/]", highlight=False, soft_wrap=True)
    for language, translation in result.translations.items():
        report = translation.report
        _out.print(
            f"{language}: {translation.route.describe()}; {translation.from_model} segments from the model, "
            f"{translation.from_memory} from memory",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )
        # One line per language; the findings are in <lang>.qa.json, and on screen with --verbose.
        _out.print(report.summary() if verbose else f"{report.verdict()}; report: {result.directory / f'{language}.qa.json'}",
                   highlight=False, soft_wrap=True, markup=False)
    table = Table(show_edge=False)
    table.add_column("file")
    table.add_column("size", justify="right")
    table.add_column("sha256")
    table.add_column("")
    for file in result.files:
        table.add_row(file.name, f"{file.size / 1024:.1f} KiB", file.sha256[:16] + "…", "" if file.name in result.built else "up to date")
    table.add_row(result.manifest.name, "", "")
    _out.print(table)


models_app = typer.Typer(help="Manage the offline translation models (Argos packages).", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.callback()
def models_main(config: ConfigOption = None) -> None:
    """Manage the offline translation models (Argos packages)."""
    settings = _run(lambda: _configured(config))
    if settings.translation.models is not None:
        # packages.py resolves Argos's folder at each call, from this variable first.
        os.environ["ARGOS_PACKAGES_DIR"] = str(settings.translation.models)


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
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; keep 127.0.0.1 unless API keys are configured.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    config: ConfigOption = None,
) -> None:
    """Serve the HTTP API and the web page (see README, "HTTP service and web page")."""
    _require_extra("service", "serve")
    from .service import serve as run_service

    settings = _run(lambda: _configured(config))
    _run(lambda: run_service(settings, host=host, port=port))


config_app = typer.Typer(help="The configuration (presskit.toml).", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("init")
def config_init(
    path: Annotated[Path, typer.Argument(help="File to write.")] = Path("presskit.toml"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented presskit.toml with every setting and its default."""
    from .resources import templates_dir
    from .write import atomic_write

    def run() -> None:
        if path.exists() and not force:
            raise PressToolkitError(f"{path}: already exists; use --force to replace it")
        atomic_write(path, (templates_dir() / "presskit.toml").read_bytes())

    _run(run)
    _out.print(f"Wrote {escape(str(path))}; edit it, then check it with: presskit config show --config {escape(str(path))}",
               highlight=False, soft_wrap=True)


@config_app.command("show")
def config_show(config: ConfigOption = None) -> None:
    """Print the effective configuration and where each value comes from."""
    settings = _run(lambda: _configured(config))
    table = Table(show_edge=False)
    for column in ("key", "value", "from"):
        table.add_column(column, overflow="fold")
    for row in settings.settings():
        table.add_row(row.key, row.value, row.origin)
    _out.print(table)


@app.command()
def facts(
    source: SourceArgument,
    locale: Annotated[str, typer.Option("--locale", "-L", help="Locale to render the facts in (en, fr, es, pt-BR …).")] = "en",
) -> None:
    """List every fact recognized in SOURCE with its typed value and its rendering in LOCALE."""
    from .facts import describe, list_facts, mark_facts
    from .localize import format_fact

    def collect() -> list[tuple[str, str, str, str, str]]:
        from .read import read_release

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


def _memory_path(memory: Path | None, config: Path | None = None) -> Path:
    path = _configured(config, memory=memory).translation.memory_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
