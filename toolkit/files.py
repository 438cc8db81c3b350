"""Files at the ground floor: atomic writes, locks, digests and SQLite databases.

Every stage that keeps something on disk (the outputs of a run, the
translation memory, an XLIFF export and its record, the service's jobs)
writes it through here, so each gets the same guarantees:

* :func:`atomic_write` puts a file in place whole or not at all (a reader, or
  a crash, never sees half a PDF); :func:`remove_temporaries` clears what a
  killed writer left;
* :func:`exclusive_lock` (and :func:`output_lock`) let one process at a time
  into a folder, :func:`waiting_lock` makes the others queue;
* :func:`open_database` opens an SQLite file several processes share (WAL, a
  busy timeout), with its schema created and its version checked, and
  :func:`transaction` makes a change one ``BEGIN IMMEDIATE`` transaction.

Errors are one line naming the file (:class:`~toolkit.errors.WriteError`,
:class:`DatabaseError`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .errors import PressToolkitError, WriteError

__all__ = [
    "BUSY_TIMEOUT",
    "LOCK_NAME",
    "DatabaseError",
    "LockedError",
    "OutputLockedError",
    "atomic_write",
    "connect",
    "exclusive_lock",
    "open_database",
    "output_lock",
    "remove_temporaries",
    "sha256_file",
    "sha256_of",
    "transaction",
    "waiting_lock",
]

#: The lock file of an output folder (:func:`output_lock`).
LOCK_NAME = ".presskit.lock"
#: How long a database write waits for another process's transaction, in seconds.
BUSY_TIMEOUT = 30.0
#: What :func:`atomic_write` names its temporary file: ``.<name>.<random>.tmp``.
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]+\.tmp")


class LockedError(PressToolkitError):
    """Another process holds a lock this one needs."""


class OutputLockedError(LockedError):
    """Another run is writing into the same output folder."""


class DatabaseError(PressToolkitError):
    """An SQLite file could not be opened or used; the message names the file."""


# -- writing ---------------------------------------------------------------------------------


def _current_umask() -> int:
    # Read once at import, while no other thread can create files; os.umask has no read-only form.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_current_umask()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that ``path`` holds either the old or the new content.

    The file gets the permissions the user's umask gives new files (as ``cp``
    or an editor would), so a web server running as another user can serve it.
    A read-only folder or a full disk is a :class:`WriteError` naming the file;
    nothing half-written stays behind.
    """
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), _FILE_MODE)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise WriteError.from_os_error(path, error) from None
    except BaseException:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise


def remove_temporaries(directory: Path) -> list[str]:
    """Remove what :func:`atomic_write` leaves behind when a run is killed mid-write; return the names removed.

    Call it only while holding :func:`output_lock`, so no live writer's file is taken away.
    """
    removed = []
    if directory.is_dir():
        for path in directory.iterdir():
            if path.is_file() and _TEMPORARY.fullmatch(path.name):
                path.unlink(missing_ok=True)
                removed.append(path.name)
    return sorted(removed)


# -- digests ---------------------------------------------------------------------------------


def sha256_of(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex.

    >>> sha256_of(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (a large PDF or photo is never held in memory whole); raises OSError."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


# -- locks -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _flock(lock_file: Path, *, busy: str | None, error: type[LockedError]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``lock_file``; wait for it when ``busy`` is None, else raise ``error(busy)``."""
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_file, "a+b")  # noqa: SIM115 - closed below; an OSError must become one line first
    except OSError as problem:
        raise WriteError.from_os_error(lock_file.parent, problem) from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if busy is None else fcntl.LOCK_NB))
        except BlockingIOError:
            raise error(busy or "") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def exclusive_lock(lock_file: Path, *, busy: str, error: type[LockedError] = LockedError) -> contextlib.AbstractContextManager[None]:
    """Hold an exclusive ``flock`` on ``lock_file`` (created if need be); if another process holds it, raise ``error(busy)``.

    The kernel drops an ``flock`` when the process ends, also on ``kill -9``,
    so a killed holder never blocks the next one.
    """
    return _flock(lock_file, busy=busy, error=error)


def waiting_lock(lock_file: Path) -> contextlib.AbstractContextManager[None]:
    """Hold an exclusive ``flock`` on ``lock_file``, waiting while another process holds it (for short updates)."""
    return _flock(lock_file, busy=None, error=LockedError)


def output_lock(out_dir: Path) -> contextlib.AbstractContextManager[None]:
    """Hold ``out_dir/.presskit.lock`` for one run: one run at a time writes into an output folder."""
    return exclusive_lock(out_dir / LOCK_NAME, busy=f"{out_dir}: another presskit run is writing here; wait for it to finish",
                          error=OutputLockedError)


# -- SQLite ----------------------------------------------------------------------------------


def connect(path: Path | str, *, row_factory: type[sqlite3.Row] | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode (changes go through :func:`transaction`), waiting up to
    :data:`BUSY_TIMEOUT` for other writers, with foreign keys enforced; raises :class:`sqlite3.Error`."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        db.close()
        raise
    if row_factory is not None:
        db.row_factory = row_factory
    return db


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction; ``BEGIN IMMEDIATE`` takes the write lock up front, so two writers never deadlock
    upgrading a read lock. Rolled back on any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        raise


def open_database(path: Path | str, *, schema: Sequence[str], version: int, what: str,
                  row_factory: type[sqlite3.Row] | None = None,
                  error: Callable[[str], PressToolkitError] | None = None) -> sqlite3.Connection:
    """Open (or create) the SQLite file ``path`` (or ``":memory:"``) with its ``schema`` at ``version``.

    A file is put into write-ahead logging (readers never wait for a writer;
    several processes share it). The ``schema`` statements (each idempotent,
    ``CREATE ... IF NOT EXISTS``) run in one transaction with the
    ``schema_version`` table; a file a newer press-toolkit wrote (a higher
    version) is refused. ``what`` names the database in errors ("the
    translation memory"). Any problem is one error naming the file: the one
    ``error(problem)`` makes, else a :class:`DatabaseError`.

    >>> open_database(":memory:", schema=["CREATE TABLE IF NOT EXISTS t (x)"], version=1, what="a test").execute(
    ...     "SELECT version FROM schema_version").fetchall()
    [(1,)]
    """

    def refused(problem: str) -> PressToolkitError:
        return error(problem) if error is not None else DatabaseError(f"{path}: {problem}")

    in_memory = str(path) == ":memory:"
    try:
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = connect(path, row_factory=row_factory)
    except (OSError, sqlite3.Error) as problem:
        raise refused(f"cannot open {what}: {problem}") from problem
    try:
        if not in_memory:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        with transaction(db):
            # One statement at a time: executescript() would commit on its own.
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            for statement in schema:
                db.execute(statement)
            found = db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            if found is None:
                db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            elif found > version:
                raise refused(f"{what} has schema version {found}, written by a newer press-toolkit "
                              f"(this one reads up to version {version})")
    except sqlite3.Error as problem:
        db.close()
        raise refused(f"{what} is not usable: {problem}") from problem
    except BaseException:
        db.close()
        raise
    return db
