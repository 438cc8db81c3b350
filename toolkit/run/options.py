"""What a run builds and where (:class:`RunOptions`, made from settings in one place: :meth:`RunOptions.from_config`), and the progress a run reports."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from ..render.options import Branding, PdfOptions
from ..formats import DEFAULT_FORMATS

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["LanguageState", "Progress", "RunOptions", "Silent", "Stage"]


class Stage(str, Enum):
    READ = "reading"
    TRANSLATE = "translating"
    RENDER = "rendering"


#: Where a language of a run stands; the service's job states are these (plus queued and failed).
LanguageState = Literal["translating", "translated", "rendering", "done"]


class Progress(Protocol):
    """The events a run sends its caller, in order: a stage starts with its total, advances, and each target language
    moves through :data:`LanguageState`. The CLI shows them as Rich bars, the service as job states; acting on them
    is optional."""

    def start(self, stage: Stage, total: int) -> None: ...

    def advance(self, stage: Stage, amount: int = 1) -> None: ...

    def language(self, language: str, state: LanguageState) -> None: ...


class Silent:
    """A :class:`Progress` that ignores every event (the default); subclass it to act on some."""

    def start(self, stage: Stage, total: int) -> None:
        pass

    def advance(self, stage: Stage, amount: int = 1) -> None:
        pass

    def language(self, language: str, state: LanguageState) -> None:
        pass


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """What to build and where; :meth:`from_config` takes it from ``presskit.toml``."""

    languages: tuple[str, ...] = ("de",)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    out_dir: Path = Path("output")
    #: The release's folder below ``out_dir``; see :func:`toolkit.write.folder_for`.
    folder: str = "{slug}"
    pdf_options: PdfOptions = field(default_factory=PdfOptions)
    branding: Branding | None = None
    #: Render processes; 0: one per CPU core; 1: render in this process.
    jobs: int = 1
    #: The release date to print (``build --date``), for a release that carries none or a wrong one.
    date: dt.date | None = None
    #: Print "Version 2, corrected on …" on a corrected release's sheets (``output.show_version``).
    show_version: bool = False
    #: Skip, before reading them, the releases the output folder's index shows up to date (:mod:`toolkit.run.precheck`).
    precheck: bool = True

    @classmethod
    def from_config(cls, config: Config, *, languages: Sequence[str] | None = None) -> RunOptions:
        return cls(
            languages=tuple(languages or config.build.languages),
            formats=config.build.formats,
            out_dir=config.output.directory,
            folder=config.output.folder,
            pdf_options=config.pdf,
            branding=config.branded,
            jobs=config.build.jobs,
            show_version=config.output.show_version,
        )

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1
