"""What a plain ``pip install .`` gives: the core commands without the extras, and a clear line when one is missing.

An extra's absence is simulated the way Python sees it: its modules cannot be
imported (a meta-path finder refuses them) in a real ``presskit`` process.
CI also installs the project without extras into a fresh venv and runs
``build`` there (``.ci/run``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from argos_fixture import FixturePairs
from conftest import EXAMPLES, release_folders

# Runs presskit with some top-level modules made unimportable, as if their distribution were not installed.
_WITHOUT = """
import sys
blocked = set(sys.argv[1].split(","))

class Missing:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.split(".")[0] in blocked:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Missing)
for name in list(sys.modules):
    if name.split(".")[0] in blocked:
        del sys.modules[name]
import importlib.util
_find_spec = importlib.util.find_spec
def find_spec(name, package=None):
    if name.split(".")[0] in blocked:
        return None
    return _find_spec(name, package)
importlib.util.find_spec = find_spec
from toolkit.cli import app
sys.argv = ["presskit", *sys.argv[2:]]
app()
"""


def presskit_without(blocked: tuple[str, ...], *args: str | Path, cwd: Path, packages: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PRESSKIT_DATA_DIR": str(cwd / "data"),
           "XDG_DATA_HOME": str(cwd / "xdg-data"), "XDG_CONFIG_HOME": str(cwd / "xdg-config"),
           "ARGOS_PACKAGES_DIR": str(packages or cwd / "no-models")}
    return subprocess.run([sys.executable, "-c", _WITHOUT, ",".join(blocked), *map(str, args)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


SERVICE_MODULES = ("fastapi", "uvicorn", "multipart", "starlette")


def test_serve_without_the_service_extra_names_the_extra(tmp_path: Path) -> None:
    result = presskit_without(SERVICE_MODULES, "serve", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "service" in lines[0] and 'pip install "press-toolkit[service]"' in lines[0]
    assert "Traceback" not in result.stderr


def test_watch_without_the_watch_extra_names_the_extra(tmp_path: Path) -> None:
    result = presskit_without(("watchdog",), "watch", tmp_path, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert 'pip install "press-toolkit[watch]"' in result.stderr


def test_build_needs_no_extra(tmp_path: Path) -> None:
    result = presskit_without((*SERVICE_MODULES, "watchdog", "PIL.ImageShow"), "build", EXAMPLES / "wasserstoff-netz.txt",
                              "--lang", "de", "--format", "pdf,html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [folder] = release_folders(tmp_path / "output")
    assert (folder / "de.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.usefixtures("installed_pairs")
def test_translation_never_imports_the_sentence_splitter_models(tmp_path: Path, installed_pairs: FixturePairs) -> None:
    """argos-translate-lt pulls minisbd and onnxruntime; the toolkit splits sentences itself and runs without them."""
    packages = Path(os.environ["ARGOS_PACKAGES_DIR"])
    result = presskit_without(("minisbd", "onnxruntime"), "build", EXAMPLES / "wasserstoff-netz.txt", "--lang", "de,en",
                              "--format", "json", cwd=tmp_path, packages=packages)
    assert result.returncode == 0, result.stderr
    [folder] = release_folders(tmp_path / "output")
    assert (folder / "en.json").is_file()
