"""Watch an inbox folder: build each release dropped or changed there; move failed ones aside.

``presskit watch INBOX`` first builds what is already in the folder (outputs
that are up to date are skipped, as in a batch), then waits for file-system
events (watchdog: inotify on Linux). A file is built once it has been quiet
for ``settle`` seconds, so a release still being copied in is not read half
written. A release that fails is moved to ``INBOX/failed/`` with
``<name>.error.txt`` beside it saying what is wrong; fix it and move it back.

The translator (and so a loaded model) is kept for the whole session.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .batch import RELEASE_SUFFIXES, ReleaseOutcome, RunOptions, run_batch
from .errors import PressToolkitError

if TYPE_CHECKING:
    from .translate.pipeline import Translator

__all__ = ["FAILED_FOLDER", "WatchResult", "move_aside", "watch_folder"]

FAILED_FOLDER = "failed"


@dataclass(frozen=True)
class WatchResult:
    """One release handled: its outcome, and where it was moved if it failed."""

    outcome: ReleaseOutcome
    moved_to: Path | None = None


class _Pending(FileSystemEventHandler):
    """Collects release files touched since the last build, with the time of their last event."""

    def __init__(self, inbox: Path, ignored: list[Path]) -> None:
        self.inbox = inbox.resolve()
        self.ignored = [path.resolve() for path in ignored]
        self.lock = threading.Lock()
        self.seen: dict[Path, float] = {}

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in {"created", "modified", "moved", "closed"}:
            return
        raw = event.dest_path if event.event_type == "moved" else event.src_path
        path = Path(raw.decode() if isinstance(raw, bytes) else raw)
        if self._wanted(path):
            with self.lock:
                self.seen[path] = time.monotonic()

    def _wanted(self, path: Path) -> bool:
        if path.suffix.lower() not in RELEASE_SUFFIXES:
            return False
        resolved = path.resolve()
        try:
            relative = resolved.relative_to(self.inbox)
        except ValueError:
            return False
        if any(part.startswith(".") for part in relative.parts):
            return False
        return not any(resolved.is_relative_to(other) for other in self.ignored)

    def take_settled(self, settle: float) -> list[Path]:
        now = time.monotonic()
        with self.lock:
            ready = sorted(path for path, last in self.seen.items() if now - last >= settle)
            for path in ready:
                del self.seen[path]
        return [path for path in ready if path.is_file()]


def move_aside(source: Path, failed_dir: Path, error: PressToolkitError) -> Path:
    """Move a failed release into ``failed_dir`` with ``<name>.error.txt``; an earlier failure of the same name is replaced."""
    failed_dir.mkdir(parents=True, exist_ok=True)
    target = failed_dir / source.name
    report = failed_dir / f"{source.name}.error.txt"
    report.write_text(f"{error}\n\nFix the release and move it back into the inbox to build it again.\n", "utf-8")
    shutil.move(source, target)
    return target


def watch_folder(
    inbox: str | Path,
    options: RunOptions,
    *,
    make_translator: Callable[[], Translator] | None = None,
    on_result: Callable[[WatchResult], None] = lambda result: None,
    stop: threading.Event | None = None,
    settle: float = 1.0,
    poll: float = 0.2,
) -> None:
    """Build releases appearing in ``inbox`` until ``stop`` is set (or forever)."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise PressToolkitError(f"{inbox}: no such folder")
    stop = stop or threading.Event()
    failed_dir = inbox / FAILED_FOLDER
    pending = _Pending(inbox, ignored=[failed_dir, options.out_dir])
    translator: list[Translator] = []

    def shared_translator() -> Translator:
        if not translator:
            from .translate.setup import default_translator

            translator.append((make_translator or default_translator)())
        return translator[0]

    def build(paths: list[Path]) -> None:
        for outcome in run_batch(paths, options, make_translator=shared_translator).releases:
            moved = None
            if outcome.error is not None and outcome.source.is_file():
                moved = move_aside(outcome.source, failed_dir, outcome.error)
            on_result(WatchResult(outcome=outcome, moved_to=moved))

    observer = Observer()
    observer.schedule(pending, str(inbox), recursive=True)
    observer.start()
    try:
        existing = sorted(path for path in inbox.rglob("*") if path.is_file() and pending._wanted(path))
        if existing:
            build(existing)
        while not stop.wait(poll):
            ready = pending.take_settled(settle)
            if ready:
                build(ready)
    finally:
        observer.stop()
        observer.join(timeout=5)
