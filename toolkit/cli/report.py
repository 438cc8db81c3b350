"""What ``build``, ``translate`` and ``batch`` print when they are done: the files, one QA line per language, a table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from .app import err, out

if TYPE_CHECKING:
    from ..batch import BatchResult
    from ..builder import BuildResult

__all__ = ["print_batch", "print_result"]

def print_batch(result: BatchResult, input_dir: Path, out_dir: Path) -> None:
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
    out.print(table)
    for outcome in result.failed:
        stage = outcome.failed_in.value if outcome.failed_in else "?"
        err.print(f"[bold red]error[/] ({stage}): {outcome.error}", highlight=False, soft_wrap=True)
    count = len(result.releases)
    if result.files_built == 0 and not result.failed:
        out.print(f"Nothing to do: all {result.files_up_to_date} outputs of {count} releases in {out_dir} are up to date "
                   f"({result.seconds:.1f} s).", highlight=False, soft_wrap=True)
        return
    built = sum(1 for outcome in result.releases if outcome.status == "built")
    out.print(
        f"{count} releases: {built} built, {count - built - len(result.failed)} up to date, {len(result.failed)} failed; "
        f"{result.files_built} files written to {out_dir}, {result.files_up_to_date} kept, in {result.seconds:.1f} s.",
        highlight=False,
        soft_wrap=True,
    )

def print_result(result: BuildResult, *, verbose: bool = False) -> None:
    out.print(f"Wrote [bold]{escape(str(result.directory))}[/]", highlight=False, soft_wrap=True)
    for language, translation in result.translations.items():
        report = translation.report
        out.print(
            f"{language}: {translation.route.describe()}; {translation.from_model} segments from the model, "
            f"{translation.from_memory} from memory",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )
        # One line per language; the findings are in <lang>.qa.json, and on screen with --verbose.
        out.print(report.summary() if verbose else f"{report.verdict()}; report: {result.directory / f'{language}.qa.json'}",
                   highlight=False, soft_wrap=True, markup=False)
    table = Table(show_edge=False)
    table.add_column("file")
    table.add_column("size", justify="right")
    table.add_column("sha256")
    table.add_column("")
    for file in result.files:
        table.add_row(file.name, f"{file.size / 1024:.1f} KiB", file.sha256[:16] + "…", "" if file.name in result.built else "up to date")
    table.add_row(result.manifest.name, "", "")
    out.print(table)
