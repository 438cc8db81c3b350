"""Stage 4 and 5 of a run: render each planned output (in worker processes), write it atomically, then the manifest."""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import time
from collections import defaultdict
from collections.abc import Callable, Iterator

from ..errors import PressToolkitError, RenderError
from ..release_json import dumps
from ..formats import file_name
from ..files import atomic_write, sha256_file, sha256_of
from ..write import (
    MANIFEST_NAME,
    OutputFile,
    inside,
    read_manifest,
    write_manifest,
)
from .options import Progress, RunOptions, Stage
from .outcome import ReleaseOutcome
from .planning import RenderTask

__all__ = ["die_with_parent", "record_render", "render_all", "render_guarded", "render_output", "render_pool", "write_release_manifest"]


@contextlib.contextmanager
def render_pool(options: RunOptions, releases: int) -> Iterator[concurrent.futures.ProcessPoolExecutor | None]:
    """The render processes for ``releases`` releases, started at once; ``None`` when rendering stays in this process."""
    workers = min(options.workers, releases * len(options.formats))
    if options.workers <= 1 or workers <= 1:
        yield None
        return
    # "spawn": the parent has CTranslate2's threads and an SQLite connection, which a fork would copy mid-flight.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_render_process,
                                                initargs=(os.getpid(), options.languages)) as pool:
        for _ in range(workers):
            pool.submit(int)  # a process is started per task submitted while none is idle
        yield pool


def _start_render_process(parent_pid: int, languages: tuple[str, ...]) -> None:
    die_with_parent(parent_pid)
    from ..render.pdf import warm_up

    warm_up(languages)


def render_all(outcomes: list[ReleaseOutcome], tasks: list[RenderTask], options: RunOptions, progress: Progress,
                pool: concurrent.futures.ProcessPoolExecutor | None = None) -> None:
    progress.start(Stage.RENDER, len(tasks))
    pending: dict[int, int] = defaultdict(int)
    languages: dict[str, int] = defaultdict(int)
    for task in tasks:
        pending[task.index] += 1
        languages[task.language] += 1
    for language in options.languages:
        progress.language(language, "rendering")

    def finish(task: RenderTask, result: tuple[OutputFile, float] | PressToolkitError) -> None:
        outcome = outcomes[task.index]
        record_render(outcome, result)
        pending[task.index] -= 1
        languages[task.language] -= 1
        progress.advance(Stage.RENDER)
        if pending[task.index] == 0:
            write_release_manifest(outcome)
        if languages[task.language] == 0:
            progress.language(task.language, "done")

    for index, outcome in enumerate(outcomes):
        if outcome.directory is not None and outcome.release is not None and pending[index] == 0 and outcome.error is None:
            write_release_manifest(outcome)  # nothing to render: keep the manifest in step with the QA reports
    for language in options.languages:
        if languages[language] == 0:
            progress.language(language, "done")  # up to date
    if pool is None:
        for task in tasks:
            finish(task, render_guarded(task))
        return
    futures = {pool.submit(render_guarded, task): task for task in tasks}
    for future in concurrent.futures.as_completed(futures):
        finish(futures[future], future.result())


def record_render(outcome: ReleaseOutcome, result: tuple[OutputFile, float] | PressToolkitError) -> None:
    """Note a render's result in its release's outcome (also used by :mod:`toolkit.cluster`)."""
    if isinstance(result, PressToolkitError):
        outcome.fail(result, Stage.RENDER)
    else:
        file, seconds = result
        outcome.files.append(file)
        outcome.built.append(file.name)
        outcome.seconds += seconds


_PARENT_PID: int | None = None


def die_with_parent(parent_pid: int) -> None:
    """In a render worker: be killed when the batch process dies (``kill -9`` included), and remember who that is.

    Linux's ``PR_SET_PDEATHSIG`` has the kernel send SIGKILL; if the parent
    died before it was set, the worker leaves at once. Elsewhere,
    :func:`_parent_gone` still stops a worker before it writes.
    """
    global _PARENT_PID
    _PARENT_PID = parent_pid
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _parent_gone() -> bool:
    return _PARENT_PID is not None and os.getppid() != _PARENT_PID


def render_guarded(task: RenderTask, gone: Callable[[], bool] = _parent_gone) -> tuple[OutputFile, float] | PressToolkitError:
    """Render and write one output (in a worker process); a toolkit error comes back as a value.

    Nothing is written when ``gone()`` says the run that planned it has ended (a Dask worker's check: :mod:`toolkit.cluster`).
    """
    began = time.perf_counter()
    try:
        data = render_output(task)
    except PressToolkitError as error:
        return error
    if gone():
        return RenderError("the batch that started this render worker has ended; nothing written")
    name = file_name(task.language, task.format)
    try:
        atomic_write(inside(task.directory, name), data)
    except PressToolkitError as error:
        return error
    file = OutputFile(name=name, language=task.language, format=task.format, sha256=sha256_of(data), size=len(data), key=task.key)
    return file, time.perf_counter() - began


def render_output(task: RenderTask) -> bytes:
    if task.format == "pdf":
        from ..render.pdf import render_pdf

        return render_pdf(task.release, assets_dir=task.assets_dir, options=task.pdf_options, branding=task.branding)
    if task.format == "html":
        from ..render.html import render_html

        return render_html(task.release, branding=task.branding, alternates=task.alternates).encode("utf-8")
    if task.format == "email":
        from ..render.mail import render_eml
        from ..render.pdf import render_pdf

        pdf = render_pdf(task.release, assets_dir=task.assets_dir, options=task.pdf_options, branding=task.branding)
        return render_eml(task.release, pdf=pdf, pdf_name=f"{task.directory.name}-{task.language}.pdf", branding=task.branding)
    return dumps(task.release).encode("utf-8")


def write_release_manifest(outcome: ReleaseOutcome) -> None:
    """The manifest, last of a release's files; a folder that cannot be written fails this release only."""
    try:
        _write_manifest_now(outcome)
    except PressToolkitError as error:
        outcome.fail(error, Stage.RENDER)


def _write_manifest_now(outcome: ReleaseOutcome) -> None:
    if outcome.directory is None or outcome.slug is None:
        return
    manifest = outcome.directory / MANIFEST_NAME
    if not outcome.built and manifest.is_file() and set(read_manifest(outcome.directory)) >= set(outcome.files):
        outcome.manifest = manifest  # nothing changed: leave the file (and its date) alone
        return
    source_sha = sha256_file(outcome.source)
    outcome.manifest = write_manifest(outcome.directory, slug=outcome.slug, source=outcome.source, source_sha256=source_sha,
                                      files=outcome.files, version=outcome.version, corrected=outcome.corrected)
