"""The running service: configuration, keys, job store and worker pool, shared by the API and the web page."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from fastapi import Request

from ..config import Config
from ..errors import PressToolkitError
from ..files import exclusive_lock
from .offer import LanguageOffer, current_offer
from .pool import WorkerPool
from .security import Keys
from .store import JobRecord, JobStore
from .submit import Submission, SubmissionError

__all__ = ["LOCK_NAME", "MAX_PENDING_JOBS", "Service", "jobs_folder_lock", "service_of"]

logger = logging.getLogger(__name__)

LOCK_NAME = "service.lock"
#: Jobs queued or running at most; a submission beyond that is answered 503.
MAX_PENDING_JOBS = 1000


def jobs_folder_lock(root: Path) -> contextlib.AbstractContextManager[None]:
    """Hold ``root/service.lock`` while the service runs: two services on one jobs folder would build each job twice."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PressToolkitError(f"{root}: cannot use the jobs folder: {error.strerror or error}") from None
    return exclusive_lock(root / LOCK_NAME, busy=f"{root}: another presskit service uses this jobs folder (service.jobs_dir)")


class Service:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.settings = config.service
        self.keys = Keys(config.service.api_keys)
        self.store = JobStore(config.service.jobs_path)
        self.pool = WorkerPool(config, self.store)
        self._lock: contextlib.ExitStack | None = None

    def start(self) -> None:
        """Lock the jobs folder, queue again what a stopped service left running, start the workers."""
        stack = contextlib.ExitStack()
        stack.enter_context(jobs_folder_lock(self.store.root))
        self._lock = stack
        requeued, given_up = self.store.requeue_interrupted()
        if requeued:
            logger.info("queued again %d job(s) that were running when the service stopped", len(requeued))
        if given_up:
            logger.warning("failed %d job(s) that were interrupted too often: %s", len(given_up), ", ".join(given_up))
        self.pool.start()
        if self.store.queued_ids():
            self.pool.notify()
        auth = f"{len(self.settings.api_keys)} API key(s)" if self.keys.required else "no API keys (loopback only)"
        logger.info("jobs in %s; %d worker process(es); %s", self.store.root, self.pool.size, auth)

    def stop(self) -> None:
        self.pool.stop()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def language_offer(self) -> LanguageOffer:
        """The configured languages that can be built with the models installed now (read at each call)."""
        return current_offer(self.settings.languages, self.config.translation.models)

    def submit(self, submission: Submission) -> JobRecord:
        counts = self.store.counts()
        if counts["queued"] + counts["running"] >= MAX_PENDING_JOBS:
            raise SubmissionError(503, f"the service has {MAX_PENDING_JOBS} jobs waiting; try again in a few minutes")
        job = self.store.create(submission.data, kind=submission.kind, languages=submission.languages)
        self.pool.notify()
        return job


def service_of(request: Request) -> Service:
    service = request.app.state.service
    assert isinstance(service, Service)
    return service
