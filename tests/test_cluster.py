"""presskit batch --cluster: a real Dask scheduler and workers on loopback, the fixture models, the local batch's result.

The tests start ``dask scheduler`` and ``dask worker --nthreads 1`` processes (their ``ARGOS_PACKAGES_DIR`` pointing
at the fixture packages, or at an empty folder) and run ``presskit batch`` as a user does; the first two share a
cluster of two workers, and the second kills one of them. Translations use beam size 1 and one CTranslate2 thread, to
keep the suite short; the local batch they are compared with uses the same.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the 'cluster' extra (dask[distributed]) is not installed")

from conftest import EXAMPLES, release_folders  # noqa: E402
from test_batch import assert_manifests_right, snapshot  # noqa: E402
from test_cli import PRESSKIT, presskit  # noqa: E402

sys.path.insert(0, str(EXAMPLES))
from make_batch import write_variations  # noqa: E402

from toolkit.cluster import loaded_models  # noqa: E402
from toolkit.errors import PressToolkitError  # noqa: E402
from toolkit.write import MANIFEST_NAME  # noqa: E402

DASK = Path(sys.executable).parent / "dask"
#: What every batch of this module builds: a dozen releases into three languages (French through English).
BATCH = ("--lang", "de,en,fr", "--format", "json,html", "--beam-size", "1", "--threads", "1")
EXPECTED = {f"{language}.{suffix}" for language in ("de", "en", "fr") for suffix in ("json", "html")} | {"en.qa.json", "fr.qa.json"}


@dataclass
class Cluster:
    address: str
    workers: dict[str, subprocess.Popen[bytes]]

    @contextlib.contextmanager
    def client(self) -> Iterator[object]:
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            yield client

    def kill(self, name: str) -> None:
        """``kill -9`` the worker and its nanny: the worker is gone for good."""
        os.killpg(self.workers[name].pid, signal.SIGKILL)


def _environment(folder: Path) -> dict[str, str]:
    return {**os.environ, "XDG_DATA_HOME": str(folder / "xdg-data"), "XDG_CONFIG_HOME": str(folder / "xdg-config"),
            "XDG_CACHE_HOME": str(folder / "xdg-cache")}


@contextlib.contextmanager
def dask_cluster(folder: Path, workers: dict[str, Path], *, wrap: dict[str, list[str]] | None = None) -> Iterator[Cluster]:
    """``dask scheduler`` on 127.0.0.1 and one ``dask worker --nthreads 1`` per name, with that ARGOS_PACKAGES_DIR.

    ``wrap`` puts a command before a worker's (``unshare …``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []

    def start(command: list[str], name: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (folder / f"{name}.log").open("wb")
        process = subprocess.Popen(command, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(process)
        return process

    try:
        scheduler_file = folder / "scheduler.json"
        start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
              "scheduler", _environment(folder))
        deadline = time.monotonic() + 60
        address = None
        while address is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError, KeyError):
                address = json.loads(scheduler_file.read_text("utf-8"))["address"]
            time.sleep(0.05)
        assert address is not None, (folder / "scheduler.log").read_text("utf-8", "replace")
        processes = {}
        for name, packages in workers.items():
            env = {**_environment(folder / name), "ARGOS_PACKAGES_DIR": str(packages)}
            command = [str(DASK), "worker", address, "--nthreads", "1", "--name", name, "--no-dashboard",
                       "--local-directory", str(folder / name / "dask"), "--death-timeout", "60"]
            processes[name] = start([*(wrap or {}).get(name, []), *command], name, env)
        cluster = Cluster(address, processes)
        with cluster.client() as client:
            client.wait_for_workers(len(workers), timeout=90)  # type: ignore[attr-defined]
        yield cluster
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for process in started:
            process.wait(timeout=30)


def manifests(out_dir: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """Per release folder: every file its manifest lists, with the file's SHA-256 and key."""
    return {folder.name: {entry["name"]: (entry["sha256"], entry["key"])
                          for entry in json.loads((folder / MANIFEST_NAME).read_text("utf-8"))["files"]}
            for folder in release_folders(out_dir)}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cluster") / "inbox"
    write_variations(12, folder)
    return folder


@pytest.fixture(scope="module")
def local_batch(installed_pairs: object, argos_home: Path, inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of the same batch, run here without a cluster."""
    cwd = tmp_path_factory.mktemp("local-batch")
    result = presskit("batch", inbox, *BATCH, cwd=cwd, packages=argos_home)
    assert result.returncode == 0, result.stderr
    return cwd / "output"


@pytest.fixture(scope="module")
def two_workers(installed_pairs: object, argos_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler and two workers with the fixture models, for the tests below in turn (the last one kills a worker)."""
    with dask_cluster(tmp_path_factory.mktemp("two-workers"), {"w1": argos_home, "w2": argos_home}) as cluster:
        yield cluster


def test_a_cluster_batch_writes_what_the_local_batch_writes_and_each_worker_loads_a_model_once(
    local_batch: Path, two_workers: Cluster, argos_home: Path, inbox: Path, tmp_path: Path
) -> None:
    cluster = two_workers
    first = presskit("batch", inbox, *BATCH, "--cluster", cluster.address, cwd=tmp_path, packages=argos_home)
    assert first.returncode == 0, first.stderr
    assert "12 releases: 12 built" in first.stdout
    assert f"Dask cluster {cluster.address}: 2 workers" in first.stderr
    for stage in ("reading", "translating", "rendering"):
        assert stage in first.stderr  # the same progress bars as a local batch
    out_dir = tmp_path / "output"
    assert manifests(out_dir) == manifests(local_batch)  # same files, same SHA-256, same keys
    assert_manifests_right(out_dir, EXPECTED)
    assert not [path for path in out_dir.iterdir() if path.name.startswith(".presskit-cluster")]

    with cluster.client() as client:
        loads = client.run(loaded_models)  # type: ignore[attr-defined]
    assert set(loads) and all(count == 1 for counts in loads.values() for count in counts.values()), loads
    identities = {identity for counts in loads.values() for identity in counts}
    assert {identity.split(":")[0] for identity in identities} == {"de-en", "en-fr"}

    # Resume: a lost output and a lost manifest. The next run builds those from the client's memory, nothing else.
    first_folder, second_folder = release_folders(out_dir)[:2]
    (first_folder / "en.html").unlink()
    (second_folder / MANIFEST_NAME).unlink()
    before = snapshot(out_dir)
    second = presskit("batch", inbox, *BATCH, "--cluster", cluster.address, cwd=tmp_path, packages=argos_home)
    assert second.returncode == 0, second.stderr
    assert "12 releases: 2 built, 10 up to date, 0 failed" in second.stdout
    after = snapshot(out_dir)
    rebuilt = sorted(name for name in after if after[name] != before.get(name))
    assert rebuilt == sorted([f"{first_folder.name}/en.html", f"{first_folder.name}/{MANIFEST_NAME}",
                              *(f"{second_folder.name}/{name}" for name in [*EXPECTED, MANIFEST_NAME])])
    assert manifests(out_dir) == manifests(local_batch)


def test_a_worker_killed_mid_run_leaves_the_run_to_the_others(local_batch: Path, two_workers: Cluster, argos_home: Path, inbox: Path,
                                                              tmp_path: Path) -> None:
    cluster = two_workers
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PRESSKIT_DATA_DIR": str(tmp_path / "data"),
           "ARGOS_PACKAGES_DIR": str(argos_home), "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
           "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")}
    run = subprocess.Popen([str(PRESSKIT), "batch", str(inbox), *BATCH, "--cluster", cluster.address], cwd=tmp_path, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    with cluster.client() as client:
        deadline = time.monotonic() + 90
        while killed is None and time.monotonic() < deadline and run.poll() is None:
            names = {address: info["name"] for address, info in client.scheduler_info(n_workers=-1)["workers"].items()}
            for address, keys in client.processing().items():
                if any(str(key).startswith(("presskit-translate", "presskit-restore")) for key in keys):
                    killed = names[address]
                    cluster.kill(killed)  # while it translates
                    break
            time.sleep(0.02)
    assert killed is not None, "the run ended before a worker could be killed mid-translation"
    stdout, stderr = run.communicate(timeout=180)
    assert run.returncode == 0, stderr
    assert "12 releases: 12 built" in stdout
    out_dir = tmp_path / "output"
    assert manifests(out_dir) == manifests(local_batch)
    assert_manifests_right(out_dir, EXPECTED)  # no leftover temporary file either


def test_a_worker_without_the_models_is_refused_before_any_work(installed_pairs: object, argos_home: Path, inbox: Path,
                                                                tmp_path: Path) -> None:
    empty = tmp_path / "no-packages"
    empty.mkdir()
    with dask_cluster(tmp_path / "cluster", {"good": argos_home, "bare": empty}) as cluster:
        result = presskit("batch", inbox, *BATCH, "--cluster", cluster.address, cwd=tmp_path, packages=argos_home)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert "worker bare (tcp://127.0.0.1:" in errors[0]
    assert f"lacks translate-de_en 1.0 (de→en) (not installed in {empty})" in errors[0]
    assert "lacks translate-en_fr 1.0 (en→fr)" in errors[0]
    assert "worker good" not in errors[0]
    assert "Traceback" not in result.stderr
    assert not release_folders(tmp_path / "output")  # nothing written


def test_a_worker_that_sees_another_output_folder_is_refused(installed_pairs: object, argos_home: Path, inbox: Path,
                                                             tmp_path: Path) -> None:
    storage = tmp_path / "storage"
    (storage / "output").mkdir(parents=True)
    # The worker gets a private mount namespace with an empty file system over the output's folder: a machine
    # on which the path exists, but is not the shared storage.
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", f"mount -t tmpfs tmpfs {storage}"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a private mount namespace here: {probe.stderr.strip()}")
    private = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
               f'mkdir -p {storage} && mount -t tmpfs tmpfs {storage} && mkdir {storage}/output && exec "$@"', "sh"]
    with dask_cluster(tmp_path / "cluster", {"shared": argos_home, "elsewhere": argos_home}, wrap={"elsewhere": private}) as cluster:
        result = presskit("batch", inbox, *BATCH, "--cluster", cluster.address, "--out", storage / "output", cwd=tmp_path,
                          packages=argos_home)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert f"worker elsewhere (tcp://127.0.0.1:" in errors[0]
    assert f"sees another folder at {storage / 'output'} than this machine" in errors[0]
    assert "shared storage" in errors[0] and "worker shared" not in errors[0]
    assert not release_folders(storage / "output")


def test_a_cluster_address_is_checked_and_an_unreachable_scheduler_named(tmp_path: Path, inbox: Path) -> None:
    result = presskit("batch", inbox, "--cluster", "scheduler", cwd=tmp_path)
    assert result.returncode == 1
    assert "'scheduler' is not a Dask scheduler address such as tcp://scheduler:8786" in result.stderr
    (tmp_path / "presskit.toml").write_text('[cluster]\naddress = "nowhere"\n', "utf-8")
    result = presskit("batch", inbox, cwd=tmp_path)
    assert result.returncode == 1
    assert "presskit.toml: cluster.address: 'nowhere' is not a Dask scheduler address" in result.stderr

    from toolkit.batch import RunOptions, find_releases
    from toolkit.cluster import run_cluster_batch

    with pytest.raises(PressToolkitError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9 "):
        run_cluster_batch(find_releases(inbox)[:1], RunOptions(out_dir=tmp_path / "out"), address="tcp://127.0.0.1:9", timeout=2)


def test_the_local_batch_imports_no_dask(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "kulturnacht.md", inbox)
    code = ("import sys, warnings\nwarnings.simplefilter('ignore')\nfrom pathlib import Path\nimport toolkit.cluster, toolkit.cli\n"
            "from toolkit.batch import RunOptions, find_releases, run_batch\n"
            f"run_batch(find_releases({str(inbox)!r}), RunOptions(out_dir=Path({str(tmp_path / 'out')!r}), formats=('json',)))\n"
            "print(sorted(name for name in ('dask', 'distributed') if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
