"""What became of each release of a run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..errors import PressToolkitError
from ..model import Release
from ..write import OutputFile
from .options import Stage

if TYPE_CHECKING:
    from ..translate.pipeline import Translation

__all__ = ["BatchResult", "ReleaseOutcome", "Status"]


Status = Literal["built", "up to date", "failed"]


@dataclass(kw_only=True)
class ReleaseOutcome:
    """What became of one source file."""

    source: Path
    release: Release | None = None
    slug: str | None = None
    directory: Path | None = None
    #: Every output of the release: rebuilt ones and up-to-date ones.
    files: list[OutputFile] = field(default_factory=list)
    #: Names of the outputs this run wrote.
    built: list[str] = field(default_factory=list)
    translations: dict[str, Translation] = field(default_factory=dict)
    manifest: Path | None = None
    error: PressToolkitError | None = None
    #: The stage the release failed in.
    failed_in: Stage | None = None
    seconds: float = 0.0
    #: The release's version in its output folder (2 and up after a corrected source), and when it was corrected.
    version: int = 1
    corrected: dt.date | None = None
    #: QA verdicts of translations this run did not redo (the release was up to date), as recorded when made.
    qa_recorded: dict[str, bool] = field(default_factory=dict)
    #: The warnings reading the release gave: (class name, message).
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status(self) -> Status:
        if self.error is not None:
            return "failed"
        return "built" if self.built else "up to date"

    @property
    def qa_passed(self) -> dict[str, bool]:
        return {**self.qa_recorded, **{language: translation.report.passed for language, translation in self.translations.items()}}

    def fail(self, error: PressToolkitError, stage: Stage) -> None:
        if self.error is None:
            self.error, self.failed_in = error, stage


@dataclass(frozen=True)
class BatchResult:
    releases: tuple[ReleaseOutcome, ...]
    seconds: float

    @property
    def failed(self) -> list[ReleaseOutcome]:
        return [outcome for outcome in self.releases if outcome.error is not None]

    @property
    def files_built(self) -> int:
        return sum(len(outcome.built) for outcome in self.releases)

    @property
    def files_up_to_date(self) -> int:
        return sum(len(outcome.files) - len(outcome.built) for outcome in self.releases if outcome.error is None)
