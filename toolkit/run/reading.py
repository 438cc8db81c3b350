"""Stage 1 of a run: read every release, dated and with the office's defaults, facts marked."""

from __future__ import annotations

import datetime as dt
import re
import time
import warnings
from dataclasses import replace
from pathlib import Path

from ..errors import BuildWarning, PressToolkitError, ReaderWarning
from ..facts import mark_facts
from ..model import Release
from ..read import read_release
from ..render.branding import apply_branding
from ..render.html import image_file
from ..render.options import Branding
from ..write import folder_for, slug_for
from .options import Progress, RunOptions, Stage
from .outcome import ReleaseOutcome
from .precheck import recorded_warnings

__all__ = ["check_image", "prepare_release", "read_all"]


def prepare_release(source: Path, branding: Branding | None = None, *, date: dt.date | None = None) -> Release:
    """A release as every later stage receives it: read, dated (``date`` wins), with the office's defaults, facts marked."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        release = read_release(source)
    for warning in caught:
        # A date given by the caller answers the reader's "no release date found".
        if not (date is not None and "date" in str(warning.message) and release.date is None):
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if date is not None and date != release.date:
        if release.date is not None:
            warnings.warn(f"{source}: the given date {date.isoformat()} replaces the release's own {release.date.isoformat()}",
                          ReaderWarning, stacklevel=2)
        release = replace(release, date=date)
    if branding is not None:
        # Default boilerplate and contacts join before facts and translation, so they are translated too.
        release = apply_branding(release, branding)
    check_image(release, source)
    return mark_facts(release)


def check_image(release: Release, source: Path) -> None:
    """Say so when the release names a photo the sheet cannot print (missing, or outside the release's folder)."""
    image = release.image
    if image is None or not image.src or re.match(r"^https?://", image.src):
        return
    if image_file(release, source.parent) is None:
        warnings.warn(f"{source}: image {image.src[:80]!r} is not a file in the release's folder; the sheet is printed without it",
                      BuildWarning, stacklevel=3)


def read_all(outcomes: list[ReleaseOutcome], options: RunOptions, progress: Progress,
              taken: dict[Path, Path] | None = None) -> None:
    """Read every release; ``taken``: folders already another source's (releases found up to date without reading)."""
    progress.start(Stage.READ, len(outcomes))
    folders: dict[Path, Path] = dict(taken or {})
    for outcome in outcomes:
        began = time.perf_counter()
        try:
            caught: list[warnings.WarningMessage] = []
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    outcome.release = prepare_release(outcome.source, options.branding, date=options.date)
            finally:
                # Said again outside the recording context: inside it, each warning said is recorded again, endlessly.
                outcome.warnings = recorded_warnings(caught)  # kept in the index, said again when up to date
                for warning in caught:
                    warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
            outcome.directory = options.out_dir / folder_for(outcome.release, options.folder)
            outcome.slug = slug_for(outcome.release)
            other = folders.setdefault(outcome.directory, outcome.source)
            if other != outcome.source:
                raise PressToolkitError(
                    f"{outcome.source}: same date and headline as {other}, so both would be written to {outcome.directory}"
                )
        except PressToolkitError as error:
            outcome.fail(error, Stage.READ)
        outcome.seconds += time.perf_counter() - began
        progress.advance(Stage.READ)
