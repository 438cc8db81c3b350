"""What a worker process does: take queued jobs from the store and build them.

Workers are **processes**, not threads, for three reasons:

* rendering (WeasyPrint) and most of the pipeline are pure Python and hold
  the GIL; in a thread they would stall the server's event loop and every
  request with it, and two threads would never render at the same time;
* a crash in native code (CTranslate2, Pango, PDFium) or running out of
  memory takes down one worker, which the pool notices, reports on the job
  and replaces, instead of the whole service;
* a :class:`~toolkit.translate.pipeline.Translator` is bound to the thread
  that made it: its :class:`~toolkit.translate.memory.TranslationMemory` is
  an ``sqlite3`` connection with ``check_same_thread`` on. Each process makes
  one translator, the first time a job needs one, and keeps it (with the
  models its engine has loaded) for every later job; all processes share the
  memory file, which the memory opens in WAL mode with a busy timeout for
  exactly this.

The price is memory: each worker loads its own copy of a model
(``service.workers`` sizes that).
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import warnings
from dataclasses import replace
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import PressToolkitError
from ..formats import DEFAULT_FORMATS
from ..run.options import LanguageState as RunLanguageState
from ..run.options import Silent
from .store import FileRecord, JobRecord, JobStore, LanguageState

if TYPE_CHECKING:
    from ..translate.pipeline import Translator

__all__ = ["JobRunner", "public_message", "worker_main"]

logger = logging.getLogger(__name__)

#: Seconds an idle worker waits for a wake-up before it looks at the queue anyway.
IDLE_POLL_SECONDS = 2.0


def public_message(message: str, folder: Path) -> str:
    """``message`` without the server's paths: ``/srv/jobs/<id>/release.txt: …`` → ``release.txt: …``.

    >>> public_message("/srv/jobs/ab/release.txt: file is empty", Path("/srv/jobs/ab"))
    'release.txt: file is empty'
    """
    return message.replace(f"{folder}{os.sep}", "").replace(str(folder), "the job folder")


class JobRunner:
    """Builds jobs in one worker process; keeps one translator for the process's lifetime."""

    def __init__(self, config: Config, store: JobStore) -> None:
        self.config = config
        self.store = store
        self._translator: Translator | None = None

    def translator(self) -> Translator:
        """The process's translator, with the models installed now.

        Without ``translation.models`` the translator reads Argos's packages
        folder for every route anyway. With it, :func:`translator_for` lists
        that folder once; it is listed again for each job (a few small
        ``metadata.json`` files; the model digests are cached), so a model
        installed while the service runs (``presskit models install-file``)
        serves the next job, and the models already loaded stay loaded.
        """
        if self._translator is None:
            from ..translate.setup import translator_for

            self._translator = translator_for(self.config.translation)
        elif self.config.translation.models is not None:
            from ..translate.packages import installed_models

            self._translator.models = installed_models(self.config.translation.models)
        return self._translator

    def run(self, job: JobRecord) -> None:
        """Build ``job``; every outcome ends up in the store (done, or failed with a message for the client)."""
        folder = self.store.folder(job.id)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            try:
                self._build(job, folder, caught)
            except PressToolkitError as error:
                self.store.fail(job.id, public_message(str(error), folder), warnings=_messages(caught, folder))
            except Exception:
                logger.exception("job %s: the build failed", job.id)
                self.store.fail(job.id, "internal error while building the release; the service's log has the details",
                                warnings=_messages(caught, folder))

    def _build(self, job: JobRecord, folder: Path, caught: list[warnings.WarningMessage]) -> None:
        """Read the release, translate each language on its own, typeset what was translated (:mod:`.delivery`)."""
        from ..batch import RunOptions, prepare_release
        from ..builder import BuildResult, build_with_options
        from ..localize.regional import same_language
        from .delivery import DeliveringTranslator, build_each, translate_each

        source = folder / job.source_name
        release = prepare_release(source, self.config.branded)  # as build() reads it, so its translations serve build()
        languages = list(dict.fromkeys([release.language, *job.requested]))
        targets = [language for language in languages if not same_language(language, release.language)]
        self.store.begin(job.id, source_language=release.language, headline=release.headline.text, languages=languages)

        def report(language: str, state: LanguageState) -> None:
            self.store.set_language_state(job.id, [language], state)

        translator: DeliveringTranslator | None = None

        def make_translator() -> DeliveringTranslator:
            nonlocal translator
            if translator is None:  # only a job with something to translate loads models and opens the memory
                translator = DeliveringTranslator(self.translator(), report)
            return translator

        failed = translate_each(make_translator(), release, targets, job_id=job.id) if targets else {}
        for language, failure in failed.items():
            self.store.fail_language(job.id, language, problem=failure.problem, error=failure.error)
        delivering = [language for language in languages if language not in failed]

        def build_languages(chosen: Sequence[str]) -> BuildResult:
            # The office's settings as every run takes them; the job's own folder, formats and languages on top.
            options = replace(RunOptions.from_config(self.config, languages=chosen), formats=DEFAULT_FORMATS, out_dir=folder,
                              folder="{slug}", jobs=1, precheck=False)
            return build_with_options(source, options, make_translator=make_translator, progress=_JobProgress(report))

        result, unbuilt = build_each(delivering, build_languages, job_id=job.id,
                                     public=lambda message: public_message(message, folder))
        for language, failure in unbuilt.items():
            self.store.fail_language(job.id, language, problem=failure.problem, error=failure.error)
        if result.directory.parent != folder:
            raise PressToolkitError(f"the build wrote outside the job folder ({result.directory.name})")
        self.store.finish(
            job.id,
            output=result.directory.name,
            files=[
                FileRecord(name=f.name, language=f.language, format=f.format, sha256=f.sha256, size=f.size)
                for f in result.files
            ],
            routes={language: translation.route.describe() for language, translation in result.translations.items()},
            qa_passed={language: translation.report.passed for language, translation in result.translations.items()},
            warnings=_messages(caught, folder),
        )


class _JobProgress(Silent):
    """The run's "rendering" events as the job's language states.

    Translating and translated are reported by :func:`.delivery.translate_each`, which translates each language
    before the run (the run then takes the translations from the cache); "done" waits until the job's files are stored.
    """

    def __init__(self, report: Callable[[str, LanguageState], None]) -> None:
        self._report = report

    def language(self, language: str, state: RunLanguageState) -> None:
        if state == "rendering":
            self._report(language, state)


def _messages(caught: Sequence[warnings.WarningMessage], folder: Path) -> list[str]:
    """The distinct user-facing warnings of a build, without server paths."""
    return list(dict.fromkeys(
        public_message(str(warning.message), folder) for warning in caught if issubclass(warning.category, UserWarning)
    ))


def _exit_with_parent(parent_pid: int) -> None:
    """End this process when the service that started it is gone (``kill -9`` leaves no one to stop us)."""
    while True:
        if os.getppid() != parent_pid:
            os._exit(1)
        time.sleep(1.0)


#: What the service writes to a worker's wake-up pipe: a job is waiting / stop when idle.
WAKE = b"j"
QUIT = b"q"


def _wait(wake: Connection, timeout: float) -> bytes:
    """The bytes on the wake-up pipe, waiting up to ``timeout`` seconds for the first; :data:`QUIT` at its end."""
    if not wake.poll(timeout):
        return b""
    received = b""
    try:
        while chunk := os.read(wake.fileno(), 4096):
            received += chunk
    except BlockingIOError:  # read all there is for now
        return received
    return received + QUIT  # end of file: the service closed the pipe, or is gone


def worker_main(config: Config, wake: Connection, parent_pid: int) -> None:
    """The body of a worker process (started with ``spawn`` by :class:`~toolkit.service.pool.WorkerPool`).

    ``wake`` is the read end of a pipe: the service writes :data:`WAKE` when a
    job arrives and :data:`QUIT` to stop an idle worker (raw bytes, so the
    service's writes never block). The jobs database itself is the queue.
    """
    # Ctrl-C, and a service manager's SIGTERM, reach the whole process group. The service
    # decides when its workers stop: it lets them finish or kills them, and a job left
    # running is built again on the next start (instead of failing as a crashed one would).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # The format of uvicorn's lines; the libraries' chatter (WeasyPrint's steps) stays below WARNING.
    logging.basicConfig(level=logging.WARNING, format=f"%(levelname)s:     worker {os.getpid()}: %(message)s")
    logging.getLogger("toolkit").setLevel(logging.INFO)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()
    os.set_blocking(wake.fileno(), False)
    store = JobStore(config.service.jobs_path)
    runner = JobRunner(config, store)
    while True:
        job = store.claim(os.getpid())
        if job is None:
            if QUIT in _wait(wake, IDLE_POLL_SECONDS):
                return
            continue
        began = time.perf_counter()
        logger.info("job %s: building %s", job.id, ", ".join(job.requested))
        runner.run(job)
        finished = store.get(job.id)
        logger.info("job %s: %s in %.1f s", job.id, finished.state if finished else "gone", time.perf_counter() - began)
        if QUIT in _wait(wake, 0):
            return
