"""The dedicated translation process of the LibreTranslate endpoints, seen from the server.

A one-process :class:`~concurrent.futures.ProcessPoolExecutor` (``spawn``,
as :mod:`toolkit.service.pool` explains) runs :mod:`toolkit.service.lt_worker`:
one translator, so each model is loaded once and stays loaded. Its queue
orders the work: text batches from the batcher and files one after the
other. If the process dies (out of memory, a crash in native code), the
calls in flight fail with :class:`TranslationProcessError` and the next call
gets a new process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ..render.options import Branding
from ..translate.options import TranslationSettings
from ..errors import PressToolkitError
from . import lt_worker

__all__ = ["TranslationProcess", "TranslationProcessError"]

logger = logging.getLogger(__name__)

R = TypeVar("R")
#: Seconds the translation process gets at shutdown to finish its call before it is killed.
STOP_GRACE_SECONDS = 5.0


class TranslationProcessError(PressToolkitError):
    """The translation process died while working on a call."""


class TranslationProcess:
    def __init__(self, settings: TranslationSettings, branding: Branding | None) -> None:
        self._settings = settings
        self._branding = branding
        self._executor: ProcessPoolExecutor | None = None
        self._stopped = False
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the process, if it is not running, and let it load the translator without waiting for that.

        Called on the first use, not with the service: an office that never uses the LibreTranslate
        endpoints runs no extra process and loads no extra copy of a model.
        """
        with self._lock:
            if self._executor is None and not self._stopped:
                self._executor = self._new_executor()
                self._executor.submit(lt_worker.warm_up).add_done_callback(_log_failure)

    def stop(self) -> None:
        """Drop the waiting calls, give the one in progress :data:`STOP_GRACE_SECONDS`, then end the process."""
        with self._lock:
            executor, self._executor, self._stopped = self._executor, None, True
        if executor is None:
            return
        # The executor's own processes: shutdown() has no timeout, and a long file must not hold up the stop.
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(STOP_GRACE_SECONDS)
            if process.is_alive():
                logger.info("the translation process is still busy; stopping it")
                process.kill()
                process.join()

    async def call(self, function: Callable[..., R], *args: Any) -> R:
        """``function(*args)`` in the translation process (both must pickle)."""
        self.start()
        with self._lock:
            executor = self._executor
        if executor is None:
            raise TranslationProcessError("the translation process is not running (the service is stopping)")
        try:
            future = executor.submit(function, *args)
        except BrokenProcessPool:
            # It died while idle: nothing of this call ran yet, so a new process can take it.
            executor = self._replace(executor)
            future = executor.submit(function, *args)
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._replace(executor)
            raise TranslationProcessError(
                "the translation process stopped unexpectedly (out of memory, or a crash in native code); "
                "a new one has been started, try again"
            ) from None

    def _replace(self, broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        """A working executor instead of ``broken`` (made by this call or another one)."""
        with self._lock:
            if self._executor is None:
                raise TranslationProcessError("the translation process is not running (the service is stopping)")
            if self._executor is broken:
                logger.error("the translation process died; starting a new one")
                broken.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
            return self._executor

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=lt_worker.initialize,
            initargs=(self._settings, self._branding, os.getpid()),
        )


def _log_failure(future: Future[None]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is not None and not isinstance(error, BrokenProcessPool):
        logger.warning("the translation process could not load its translator: %s", error)
