"""``presskit models install`` shows how far a download is: the callback of ``install_from_index`` and the CLI's bar.

The Argos package index and a package file are served over HTTP on 127.0.0.1
(the online path, without internet), as ``tests/test_engine.py`` does.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argos_fixture import build_argos_package

from toolkit.translate.packages import install_from_index, installed_models

PRESSKIT = Path(sys.executable).parent / "presskit"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Index:
    url: str
    package: Path


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """``index.json`` and one de→en package (a real, larger than one chunk ``.argosmodel``) on a loopback server."""
    served = tmp_path_factory.mktemp("served")
    package = build_argos_package(served, source="de", target="en", version="1.9", d_model=64, ffn=256)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(served)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    (served / "index.json").write_text(json.dumps([
        {"package_version": "1.9", "argos_version": "1.9.0", "from_code": "de", "from_name": "German", "to_code": "en",
         "to_name": "English", "type": "translate", "links": [url + package.name]},
    ]), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Index(url=url, package=package)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def own_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argos_home: Path, index: Index) -> Path:
    """An empty packages folder of this test's own, and the loopback index as Argos's index."""
    folder = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index.url)
    return folder


def test_the_download_reports_its_bytes_up_to_the_announced_size(own_packages: Path, index: Index) -> None:
    size = index.package.stat().st_size
    assert size > 3 * 64 * 1024, "the package must take several chunks for this test to mean anything"
    reports: list[tuple[int, int | None]] = []

    model = install_from_index("de", "en", progress=lambda done, total: reports.append((done, total)))

    assert (model.source, model.target, model.version) == ("de", "en", "1.9")
    assert installed_models() == [model]
    assert reports[0] == (0, size) and reports[-1] == (size, size)
    assert len(reports) > 3
    received = [done for done, _ in reports]
    assert received == sorted(received) and all(total == size for _, total in reports)


def test_models_install_draws_a_bar_with_the_size(own_packages: Path, index: Index, tmp_path: Path) -> None:
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(own_packages), "ARGOS_PACKAGE_INDEX": index.url,
           "PRESSKIT_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    result = subprocess.run([str(PRESSKIT), "models", "install", "de", "en"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "Installed translate-de_en 1.9 (de→en)" in result.stdout
    size_kb = index.package.stat().st_size / 1000
    # Rich's DownloadColumn: "<received>/<total> kB" once the download is complete.
    shown = f"{size_kb:.1f}/{size_kb:.1f} kB"
    assert "translate-de_en" in result.stderr and shown in result.stderr, result.stderr
    assert "━" in result.stderr  # the bar itself


def test_models_install_offline_leaves_no_empty_bar(own_packages: Path, tmp_path: Path) -> None:
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(own_packages), "ARGOS_PACKAGE_INDEX": "http://127.0.0.1:9/",
           "PRESSKIT_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    result = subprocess.run([str(PRESSKIT), "models", "install", "de", "en"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 1
    assert "cannot reach the Argos package index" in result.stderr
    assert "━" not in result.stderr and "kB" not in result.stderr
