"""The progress bar of ``presskit models install``: size so far and in all, speed, time left.

A model package is tens to hundreds of MB; without a bar an office PC on a
slow line looks hung for minutes. :func:`download_bar` gives the callback
:func:`toolkit.translate.packages.install_from_index` reports to
(:data:`~toolkit.translate.packages.DownloadProgress`), drawn with Rich on the
CLI's error console so the command's own output stays clean.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from .translate.packages import DownloadProgress

__all__ = ["download_bar"]


@contextmanager
def download_bar(console: Console, description: str) -> Iterator[DownloadProgress]:
    """A bar on ``console`` for the block; yields the callback that moves it.

    The total comes with the reports (the server's ``Content-Length``);
    without one the bar shows the bytes received and no time left.
    """
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as progress:
        task: TaskID | None = None

        def report(done: int, total: int | None) -> None:
            nonlocal task
            # The bar appears with the download itself: an index that cannot be reached leaves no empty bar
            # behind its error, and speed and time left count from the first byte.
            if task is None:
                task = progress.add_task(description, total=total)
            progress.update(task, completed=done, total=total)

        yield report
