"""The ``presskit`` application: its consoles, and how a command reports warnings, errors and missing extras.

Exit codes: 0 success; 1 bad input or a failed build (one line on stderr
saying which file and what is wrong); 2 wrong usage of the command.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import PressToolkitError
from ..version import __version__

__all__ = ["EXTRAS", "SourceArgument", "app", "err", "out", "print_warnings", "reported", "require_extra", "run_reported"]

app = typer.Typer(
    name="presskit",
    help="Read, translate, localize and typeset press releases.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help: Rich's help panels import rich.markdown (and markdown-it) at every start; tests/test_startup.py.
    rich_markup_mode=None,
)

out = Console()

err = Console(stderr=True)

T = TypeVar("T")

SourceArgument = Annotated[
    Path,
    typer.Argument(help="Release file: plain text (.txt), Markdown (.md), Word (.docx), LibreOffice (.odt), a saved web page (.html), "
                        "PDF, e-mail (.eml) or release JSON."),
]

def _version(value: bool) -> None:
    if value:
        out.print(f"presskit {__version__}")
        raise typer.Exit()

@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """press-toolkit: from a German press release to print-ready sheets."""

@contextmanager
def reported() -> Iterator[None]:
    """Print reader warnings, and turn toolkit errors into one line and exit code 1."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except PressToolkitError as error:
            print_warnings(caught)
            err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=1) from None
    print_warnings(caught)

def print_warnings(caught: list[warnings.WarningMessage]) -> None:
    # Warnings addressed to the user (a guessed encoding, a missing catalog);
    # library housekeeping such as ResourceWarning stays out of the output.
    for warning in caught:
        if not issubclass(warning.category, UserWarning):
            continue
        err.print(f"[yellow]warning:[/] {escape(str(warning.message))}", highlight=False, soft_wrap=True)

# Commands whose libraries come with an extra (pyproject.toml), and the modules that tell it is installed.
EXTRAS = {
    "service": ("fastapi", "uvicorn", "multipart"),
    "watch": ("watchdog",),
    "cluster": ("distributed",),
}

def require_extra(extra: str, command: str) -> None:
    """Stop with one line naming the extra to install when ``command`` lacks its libraries."""
    import importlib.util

    missing = [module for module in EXTRAS[extra] if importlib.util.find_spec(module) is None]
    if missing:
        err.print(
            f"[bold red]error:[/] presskit {command} needs the '{extra}' extra ({', '.join(missing)} missing): "
            + escape(f'pip install "press-toolkit[{extra}]"'),
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=1)

def run_reported(action: Callable[[], T]) -> T:
    with reported():
        return action()
    raise AssertionError("unreachable: reported() re-raises every error")
