"""Build many releases in one run: read all, translate per language pair, render in worker processes.

The stages follow the data:

1. **read** every release (a broken one is reported and skipped);
2. **translate**: per target language, the releases of one source language go
   to :meth:`~toolkit.translate.pipeline.Translator.translate_all` together —
   one model load per pair, the new segments of all releases in one batch,
   everything known to the translation memory served from it;
3. **plan**: every output gets a *key*, the SHA-256 of everything it is made
   from — the release as the renderer receives it (so: the source text, the
   model's output, the glossary, the translation-memory entries used), the
   image, the templates and label catalogs, the branding, the PDF options, the
   language versions linked, the format and the toolkit's version. An output
   whose manifest entry has the same key, and whose file still has the
   SHA-256 the manifest lists, is up to date and skipped;
4. **render** the rest, in ``jobs`` worker processes; each file is written
   atomically (temporary file + rename) by the worker;
5. **manifest**: per release, after all its files, written atomically too.

A run killed at any moment (``kill -9``) leaves only complete files behind
(plus temporaries that the next run removes) and a manifest that lists only
files that were complete when it was written; the next run rebuilds what is
missing. One run at a time writes into an output folder
(:func:`toolkit.files.output_lock`).

The stages live in :mod:`toolkit.run` (one module each); this module runs
them in order. ``presskit build`` (:func:`toolkit.builder.build`), ``batch``,
``watch`` and the service's worker all run through :func:`run_batch`, with one
:class:`RunOptions` made from settings in one place
(:meth:`RunOptions.from_config`). The run reports progress as events to a
:class:`Progress`; the CLI shows them as Rich bars, the service as job states.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .files import output_lock
from .run.options import Progress, RunOptions, Silent, Stage
from .run.outcome import BatchResult, ReleaseOutcome, Status
from .run.planning import plan_all
from .run.precheck import Precheck
from .run.reading import prepare_release, read_all
from .run.rendering import render_all, render_pool
from .run.scan import COMPANION_SUFFIXES, RELEASE_SUFFIXES, FolderScan, find_releases, scan_folder
from .run.translating import translate_all, translation_groups

if TYPE_CHECKING:
    from .translate.pipeline import Translator

__all__ = [
    "COMPANION_SUFFIXES",
    "RELEASE_SUFFIXES",
    "BatchResult",
    "FolderScan",
    "Progress",
    "ReleaseOutcome",
    "RunOptions",
    "Stage",
    "Status",
    "find_releases",
    "prepare_release",
    "run_batch",
    "scan_folder",
]


def run_batch(
    sources: Sequence[str | Path],
    options: RunOptions,
    *,
    make_translator: Callable[[], Translator] | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Build every source; a failing release is reported in its outcome, the others complete.

    ``make_translator`` is called once, and only if some language needs translating.
    """
    started = time.perf_counter()
    report = progress or Silent()
    outcomes = [ReleaseOutcome(source=Path(source)) for source in sources]
    if make_translator is None:
        from .translate.setup import default_translator

        make_translator = default_translator
    check = Precheck(options, make_translator)  # makes the translator once, for both the pre-check and translating
    # Releases the index shows up to date are not read at all (a no-change run of 1,000 releases: seconds).
    todo = check.skip_up_to_date(outcomes) if options.precheck else outcomes
    # The render processes start now and get ready (WeasyPrint, fonts, hyphenation) while this one reads and translates.
    with render_pool(options, len(todo)) as pool:
        read_all(todo, options, report, taken=check.taken)
        check.translation_starts(translation_groups(todo, options))
        translate_all(todo, options, check.translator, report)
        if any(outcome.error is None for outcome in todo):
            # Reading and translating write nothing here; a release that fails there leaves no trace in the output folder.
            with output_lock(options.out_dir):
                tasks = plan_all(todo, options)
                render_all(todo, tasks, options, report, pool)
                if options.precheck:
                    check.record(todo)
        else:
            report.start(Stage.RENDER, 0)
    return BatchResult(releases=tuple(outcomes), seconds=time.perf_counter() - started)
