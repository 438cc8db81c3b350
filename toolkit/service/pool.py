"""The worker processes: started with the service, watched, replaced when one dies, stopped with it.

The jobs database is the queue: a worker takes the oldest queued job in one
transaction (:meth:`~toolkit.service.store.JobStore.claim`), so no job is
built twice and none is lost when the service stops. The pool only wakes
idle workers when a job arrives, with a byte on each worker's pipe (plain
file descriptors: no semaphores or feeder threads to clean up); an idle
worker also looks at the database every few seconds on its own.

The supervisor replaces a worker that died, failing its job, and stops one
whose job has run longer than ``service.job_timeout``: that job fails saying
so, and a new worker takes the next one.

Processes are started with ``spawn``: the server has threads (uvicorn's
thread pool, this pool's supervisor), which a ``fork`` would copy in an
arbitrary state. See :mod:`toolkit.service.worker` for why processes at all.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import sqlite3
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess

from ..config import Config
from .store import JobStore
from .worker import QUIT, WAKE, worker_main

__all__ = ["WorkerPool", "timeout_message"]

logger = logging.getLogger(__name__)

#: Seconds between two looks at the worker processes.
SUPERVISE_SECONDS = 0.5
#: Seconds a worker gets at shutdown to finish its job before it is killed (the job is then built again on the next start).
STOP_GRACE_SECONDS = 3.0


def timeout_message(seconds: float) -> str:
    """A job's error when it ran longer than ``service.job_timeout``."""
    return (f"the job took longer than this service allows ({seconds:g} s, service.job_timeout); it was stopped. "
            "Send a shorter release, or ask for fewer languages at a time")


@dataclass
class _Worker:
    process: SpawnProcess
    #: The write end of the worker's wake-up pipe (non-blocking).
    wake: Connection

    def tell(self, message: bytes) -> None:
        # A full pipe already wakes the worker; a closed one belongs to a dead worker the supervisor replaces.
        with contextlib.suppress(BlockingIOError, BrokenPipeError, OSError):
            os.write(self.wake.fileno(), message)


class WorkerPool:
    def __init__(self, config: Config, store: JobStore) -> None:
        self.config = config
        self.store = store
        self.size = config.service.workers
        self.job_timeout = config.service.job_timeout
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    def start(self) -> None:
        self._workers = [self._spawn() for _ in range(self.size)]
        self._supervisor = threading.Thread(target=self._supervise, name="worker-supervisor", daemon=True)
        self._supervisor.start()

    def notify(self) -> None:
        """Jobs are waiting: wake the idle workers."""
        with self._lock:
            for worker in self._workers:
                worker.tell(WAKE)

    def alive(self) -> int:
        with self._lock:
            return sum(1 for worker in self._workers if worker.process.is_alive())

    def stop(self) -> None:
        """Stop every worker: idle ones at once; busy ones get a few seconds, then are killed."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join()
        with self._lock:
            for worker in self._workers:
                worker.tell(QUIT)
            for worker in self._workers:
                worker.process.join(STOP_GRACE_SECONDS)
            for worker in self._workers:
                if worker.process.is_alive():
                    logger.info("worker %s is still building; stopping it (its job is built again on the next start)",
                                worker.process.pid)
                    worker.process.kill()  # workers ignore SIGTERM (see worker_main)
                    worker.process.join()
                worker.wake.close()
                worker.process.close()
            self._workers = []

    def _spawn(self) -> _Worker:
        reader, writer = self._context.Pipe(duplex=False)
        process = self._context.Process(target=worker_main, args=(self.config, reader, os.getpid()), name="presskit-worker",
                                        daemon=True)
        process.start()
        reader.close()  # the worker has its own copy
        os.set_blocking(writer.fileno(), False)
        logger.info("started worker process %s", process.pid)
        return _Worker(process=process, wake=writer)

    def _supervise(self) -> None:
        while not self._stopping.wait(SUPERVISE_SECONDS):
            try:
                overdue = self.store.overdue(self.job_timeout)
            except sqlite3.Error as error:  # a busy or damaged database must not end the supervision
                logger.warning("cannot look for jobs over service.job_timeout: %s", error)
                overdue = {}
            with self._lock:
                for slot, worker in enumerate(self._workers):
                    if self._stopping.is_set():
                        break
                    if not worker.process.is_alive():
                        self._workers[slot] = self._replace(worker)
                    elif worker.process.pid in overdue:
                        self._workers[slot] = self._stop_overdue(worker, overdue[worker.process.pid])

    def _stop_overdue(self, worker: _Worker, job_id: str) -> _Worker:
        """Kill a worker whose job ran over ``service.job_timeout``, fail that job, start another worker."""
        pid = worker.process.pid
        assert pid is not None
        logger.error("job %s took longer than service.job_timeout (%g s); stopping worker process %s", job_id,
                     self.job_timeout, pid)
        worker.process.kill()  # workers ignore SIGTERM (see worker_main); a build stuck in native code ignores everything else
        worker.process.join()
        self.store.fail_running(pid, timeout_message(self.job_timeout), job_id=job_id)
        # The job may have finished in the meantime and the worker taken the next one, which is not at fault.
        requeued = self.store.requeue_running(pid)
        worker.wake.close()
        worker.process.close()
        replacement = self._spawn()
        if requeued:
            replacement.tell(WAKE)
        return replacement

    def _replace(self, dead: _Worker) -> _Worker:
        """Fail the job a dead worker was building, and start another worker in its place."""
        code = dead.process.exitcode
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with code {code}"
        assert dead.process.pid is not None
        failed = self.store.fail_running(
            dead.process.pid, f"the worker process building this job {how}; the release may be too large or trigger a bug"
        )
        logger.error("worker process %s %s%s; starting a new one", dead.process.pid, how,
                     f" while building job {failed[0]}" if failed else "")
        dead.wake.close()
        dead.process.close()
        return self._spawn()
