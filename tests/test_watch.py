"""presskit watch: a real watcher process, files dropped into its inbox."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLES, release_folders
from test_cli import PRESSKIT


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[tuple[Path, Path, subprocess.Popen[str]]]:
    inbox, out_dir = tmp_path / "inbox", tmp_path / "output"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "kulturnacht.md", inbox / "schon-da.md")  # there before the watcher starts
    env = {**os.environ, "PRESSKIT_DATA_DIR": str(tmp_path / "data"), "ARGOS_PACKAGES_DIR": str(tmp_path / "no-models"),
           "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "COLUMNS": "200"}
    process = subprocess.Popen([str(PRESSKIT), "watch", str(inbox), "--lang", "de", "--format", "json", "--settle", "0.3",
                                "--out", str(out_dir)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield inbox, out_dir, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_watch_builds_new_and_changed_releases_and_moves_failed_ones_aside(watcher: tuple[Path, Path, subprocess.Popen[str]]) -> None:
    inbox, out_dir, process = watcher
    wait_for(lambda: out_dir.is_dir() and len(release_folders(out_dir)) == 1)  # the release already in the inbox

    text = (EXAMPLES / "wasserstoff-netz.txt").read_text("utf-8")
    (inbox / "neu.txt").write_text(text, "utf-8")
    wait_for(lambda: len(release_folders(out_dir)) == 2)
    [folder] = [f for f in release_folders(out_dir) if "wasserstoff" in f.name]
    wait_for(lambda: (folder / "de.json").is_file())

    (inbox / "neu.txt").write_text(text.replace("420 Kilometer", "430 Kilometer"), "utf-8")
    wait_for(lambda: "430 Kilometer" in (folder / "de.json").read_text("utf-8"))

    (inbox / "leer.txt").write_text("", "utf-8")
    failed = inbox / "failed"
    wait_for(lambda: (failed / "leer.txt.error.txt").is_file())
    assert (failed / "leer.txt").is_file() and not (inbox / "leer.txt").exists()
    assert "file is empty" in (failed / "leer.txt.error.txt").read_text("utf-8")

    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert "built schon-da.md" in stdout and "built neu.txt" in stdout
    assert "failed leer.txt" in stderr and "file is empty" in stderr
    assert len(release_folders(out_dir)) == 2  # the failed release wrote nothing
