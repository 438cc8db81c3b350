"""``presskit``: the command line.

Exit codes: 0 success; 1 bad input or a failed build (one line on stderr
saying which file and what is wrong); 2 wrong usage of the command.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .errors import PressToolkitError
from .read import read_release
from .release_json import dumps
from .write import FORMATS

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
    for warning in caught:
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


@app.command("build")
def build_command(
    source: SourceArgument,
    lang: Annotated[str, typer.Option("--lang", "-l", help="Languages to build, comma-separated.")] = "de",
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder; each release gets a subfolder.")] = Path("output"),
    format: Annotated[str, typer.Option("--format", "-f", help=f"Formats, comma-separated: {', '.join(FORMATS)}.")] = ",".join(FORMATS),
) -> None:
    """Render SOURCE as PDF, HTML and JSON into OUT/<slug>/."""
    # Imported here so that `presskit parse` does not pay for loading WeasyPrint.
    from .build import build, parse_formats, parse_languages

    result = _run(lambda: build(source, languages=parse_languages(lang), formats=parse_formats(format), out_dir=out))
    _out.print(f"Wrote [bold]{result.directory}[/]", highlight=False, soft_wrap=True)
    table = Table(show_edge=False)
    table.add_column("file")
    table.add_column("size", justify="right")
    table.add_column("sha256")
    for file in result.files:
        table.add_row(file.name, f"{file.size / 1024:.1f} KiB", file.sha256[:16] + "…")
    table.add_row(result.manifest.name, "", "")
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
