"""``presskit parse``, ``facts``, ``build``, ``translate``, ``batch`` and ``watch``: from releases to sheets."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .app import SourceArgument, app, err, out, require_extra, run_reported
from .options import PDF, TRANSLATION, CommandOptions, VerboseOption, shared_options
from .progress import RichProgress
from .report import print_batch, print_result

if TYPE_CHECKING:
    from ..batch import BatchResult
    from ..builder import BuildResult

__all__ = ["batch", "build_command", "facts", "parse", "translate", "watch"]

StrictOption = Annotated[bool, typer.Option("--strict", help="Exit with code 3 when a QA check reports an error.")]


@app.command()
def parse(source: SourceArgument) -> None:
    """Print the release read from SOURCE as JSON."""
    from ..read import read_release
    from ..release_json import dumps

    release = run_reported(lambda: read_release(source))
    sys.stdout.write(dumps(release))


@app.command()
def facts(
    source: SourceArgument,
    locale: Annotated[str, typer.Option("--locale", "-L", help="Locale to render the facts in (en, fr, es, pt-BR …).")] = "en",
) -> None:
    """List every fact recognized in SOURCE with its typed value and its rendering in LOCALE."""
    from ..facts import describe, list_facts, mark_facts
    from ..localize import format_fact

    def collect() -> list[tuple[str, str, str, str, str]]:
        from ..read import read_release

        release = mark_facts(read_release(source))
        return [
            (entry.where, entry.kind.value, entry.source, describe(entry.fact), format_fact(entry.fact, locale=locale))
            for entry in list_facts(release)
        ]

    rows = run_reported(collect)
    table = Table(show_edge=False)
    for column in ("where", "kind", "source", "value", f"in {locale}"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    out.print(table)
    out.print(f"{len(rows)} facts", highlight=False)


@app.command("build")
@shared_options("lang", "out", "format", *TRANSLATION, *PDF)
def build_command(
    source: SourceArgument,
    options: CommandOptions,
    date: Annotated[
        dt.datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Release date (YYYY-MM-DD) for a release that gives none, or to correct it."),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Render SOURCE as PDF, HTML and JSON into OUT/<slug>/, translating where needed."""
    # Imported here so that `presskit parse` does not pay for loading WeasyPrint.
    from ..builder import build_with_config

    def run() -> BuildResult:
        settings = options.settings()
        with RichProgress(err, only_on_a_terminal=True) as progress:
            return build_with_config(source, settings, date=date.date() if date else None, progress=progress)

    result = run_reported(run)
    print_result(result, verbose=verbose)


@app.command()
@shared_options("out", *TRANSLATION)
def translate(
    source: SourceArgument,
    to: Annotated[str, typer.Option("--to", "-t", help="Target languages, comma-separated.")],
    options: CommandOptions,
    strict: StrictOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Translate SOURCE offline; write OUT/<slug>/<lang>.json and a QA report per language."""
    from ..builder import build_with_config

    def run() -> BuildResult:
        settings = options.settings(lang=to, format="json")
        with RichProgress(err, only_on_a_terminal=True) as progress:
            return build_with_config(source, settings, progress=progress)

    result = run_reported(run)
    print_result(result, verbose=verbose)
    if strict and not all(t.report.passed for t in result.translations.values()):
        err.print("[bold red]QA failed[/] (--strict): see the QA lines above and the <lang>.qa.json reports (--verbose lists them)",
                  highlight=False)
        raise typer.Exit(code=3)


@app.command()
@shared_options("lang", "out", "jobs", "format", *TRANSLATION, "pdf_variant", "page_size", "cluster")
def batch(
    input_dir: Annotated[Path, typer.Argument(help="Folder with releases (.txt, .md, .docx, .odt, .html, .pdf, .eml), searched recursively.")],
    options: CommandOptions,
    strict: StrictOption = False,
) -> None:
    """Build every release in INPUT_DIR; unchanged outputs are skipped, a broken release is reported and skipped (exit 1)."""
    from ..batch import RunOptions, run_batch, scan_folder
    from ..translate.setup import translator_for

    here = options.cluster == "none"

    def run() -> tuple[BatchResult, Path]:
        settings = options.settings(cluster=None) if here else options.settings()
        address = None if here else settings.cluster.address
        if address is not None:
            require_extra("cluster", "batch --cluster")
        run_options = RunOptions.from_config(settings)
        scan = scan_folder(input_dir, exclude=[run_options.out_dir])
        for path, reason in scan.skipped:
            err.print(f"[yellow]skipped:[/] {escape(str(path))}: {escape(reason)}", highlight=False, soft_wrap=True)
        sources = scan.releases
        with RichProgress(err) as progress:
            if address is not None:  # Dask is imported only here
                from ..cluster import run_cluster_batch

                result = run_cluster_batch(sources, run_options, address=address,
                                           make_translator=lambda: translator_for(settings.translation),
                                           models_dir=settings.translation.models, input_dirs=[input_dir], progress=progress,
                                           announce=lambda line: err.print(escape(line), highlight=False, soft_wrap=True))
            else:
                result = run_batch(sources, run_options, make_translator=lambda: translator_for(settings.translation), progress=progress)
        return result, run_options.out_dir

    result, out_dir = run_reported(run)
    print_batch(result, input_dir, out_dir)
    if result.failed:
        raise typer.Exit(code=1)
    if strict and not all(all(outcome.qa_passed.values()) for outcome in result.releases):
        err.print("[bold red]QA failed[/] (--strict): see the QA column and the <lang>.qa.json reports", highlight=False)
        raise typer.Exit(code=3)


@app.command()
@shared_options("lang", "out", "format", "glossary", "do_not_translate", "memory")
def watch(
    inbox: Annotated[Path, typer.Argument(help="Folder to watch; releases (.txt, .md, .docx, .odt, .html, .pdf, .eml) dropped or changed there are built.")],
    options: CommandOptions,
    settle: Annotated[float, typer.Option("--settle", min=0.0, help="Seconds a file must be quiet before it is read.")] = 1.0,
) -> None:
    """Build each new or changed release in INBOX until stopped (Ctrl+C); failed ones move to INBOX/failed/ with an error file."""
    require_extra("watch", "watch")
    import signal
    import threading

    from ..batch import RunOptions
    from ..translate.setup import translator_for
    from ..watch import WatchResult, watch_folder

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def report(result: WatchResult) -> None:
        outcome = result.outcome
        if outcome.error is not None:
            where = f" (moved to {result.moved_to})" if result.moved_to else ""
            err.print(f"[bold red]failed[/] {outcome.source.name}: {outcome.error}{where}", highlight=False, soft_wrap=True)
        else:
            out.print(f"{outcome.status} {outcome.source.name} → {outcome.directory}", highlight=False, soft_wrap=True)

    def run() -> None:
        settings = options.settings()
        run_options = RunOptions.from_config(settings)
        out.print(f"Watching {inbox} (Ctrl+C to stop); outputs in {run_options.out_dir}", highlight=False, soft_wrap=True)
        try:
            watch_folder(inbox, run_options, make_translator=lambda: translator_for(settings.translation), on_result=report, stop=stop,
                         settle=settle)
        except KeyboardInterrupt:
            pass

    run_reported(run)
    out.print("Stopped.", highlight=False)
