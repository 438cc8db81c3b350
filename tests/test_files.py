"""The ground floor's files: atomic writes, locks between processes, SQLite files with a schema version."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest

from toolkit.files import (
    DatabaseError,
    LockedError,
    atomic_write,
    exclusive_lock,
    open_database,
    remove_temporaries,
    sha256_file,
    sha256_of,
    transaction,
    waiting_lock,
)
from toolkit.service.store import JobStore, JobStoreError

SCHEMA = ["CREATE TABLE IF NOT EXISTS notes (text TEXT NOT NULL)"]


def _hold(lock_file: str, ready: multiprocessing.synchronize.Event, seconds: float) -> None:
    with exclusive_lock(Path(lock_file), busy="busy"):
        ready.set()
        time.sleep(seconds)


def _holding_process(lock_file: Path, seconds: float) -> multiprocessing.Process:
    """Another process that holds ``lock_file`` for ``seconds``, started and holding it when this returns."""
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    process = context.Process(target=_hold, args=(str(lock_file), ready, seconds))
    process.start()
    assert ready.wait(60)
    return process


def test_atomic_write_replaces_the_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out" / "de.html"
    atomic_write(path, b"old")
    atomic_write(path, b"new content")
    assert path.read_bytes() == b"new content"
    assert sha256_file(path) == sha256_of(b"new content")
    assert [p.name for p in path.parent.iterdir()] == ["de.html"]


def test_remove_temporaries_takes_only_what_a_killed_writer_left(tmp_path: Path) -> None:
    (tmp_path / ".de.pdf.k2j4_x.tmp").write_bytes(b"half")
    (tmp_path / "de.pdf").write_bytes(b"whole")
    (tmp_path / "notes.tmp").write_bytes(b"the user's")
    assert remove_temporaries(tmp_path) == [".de.pdf.k2j4_x.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["de.pdf", "notes.tmp"]


def test_exclusive_lock_refuses_while_another_process_holds_it(tmp_path: Path) -> None:
    lock = tmp_path / "run.lock"
    holder = _holding_process(lock, seconds=3)
    try:
        with pytest.raises(LockedError, match="another run is busy"), exclusive_lock(lock, busy="another run is busy"):
            pass
    finally:
        holder.join()
    with exclusive_lock(lock, busy="free again"):  # the holder ended: the lock is free
        pass


def test_waiting_lock_waits_for_the_other_process(tmp_path: Path) -> None:
    lock = tmp_path / "record.lock"
    holder = _holding_process(lock, seconds=1.5)
    started = time.monotonic()
    with waiting_lock(lock):
        waited = time.monotonic() - started
    holder.join()
    assert waited > 0.5


def test_a_database_keeps_its_schema_version_and_refuses_a_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "data" / "notes.sqlite"
    open_database(path, schema=SCHEMA, version=2, what="the notes").close()
    db = open_database(path, schema=SCHEMA, version=2, what="the notes")  # opening again changes nothing
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(2,)]
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()
    with pytest.raises(DatabaseError) as caught:
        open_database(path, schema=SCHEMA, version=1, what="the notes")
    assert str(caught.value) == (f"{path}: the notes has schema version 2, written by a newer press-toolkit "
                                 "(this one reads up to version 1)")


def test_a_file_that_is_no_database_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("not SQLite\n" * 100)
    with pytest.raises(DatabaseError, match=rf"^{path}: the notes is not usable: file is not a database$"):
        open_database(path, schema=SCHEMA, version=1, what="the notes")


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    db = open_database(tmp_path / "notes.sqlite", schema=SCHEMA, version=1, what="the notes")
    with pytest.raises(RuntimeError), transaction(db):
        db.execute("INSERT INTO notes (text) VALUES ('half')")
        raise RuntimeError("crashed")
    with transaction(db):
        db.execute("INSERT INTO notes (text) VALUES ('whole')")
    assert db.execute("SELECT text FROM notes").fetchall() == [("whole",)]
    db.close()


def test_a_jobs_database_of_a_newer_service_is_refused(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs")
    with sqlite3.connect(store.database) as db:
        db.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(JobStoreError, match=rf"^{store.database}: the jobs database has schema version 99, written by a newer"):
        JobStore(tmp_path / "jobs")
