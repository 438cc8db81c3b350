"""Progress of a run (:class:`toolkit.batch.Progress` events) as Rich bars, one per stage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import TaskID

    from ..run.options import LanguageState, Stage

__all__ = ["RichProgress"]

class RichProgress:
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
        self._progress = Progress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                  console=console, transient=False, disable=only_on_a_terminal and not console.is_terminal)
        self._tasks: dict[str, TaskID] = {}  # by the stage's name: Stage is not imported at start

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, stage: Stage, total: int) -> None:
        self._tasks[stage.value] = self._progress.add_task(stage.value, total=total)

    def advance(self, stage: Stage, amount: int = 1) -> None:
        self._progress.advance(self._tasks[stage.value], amount)

    def language(self, language: str, state: LanguageState) -> None:
        """The translating bar names the language pair at work ("translating en"); languages render side by side."""
        if state == "translating" and state in self._tasks:
            self._progress.update(self._tasks[state], description=f"{state} {language}")
