"""``presskit batch --cluster``: the same batch, planned here and executed on the workers of a Dask cluster.

This process (the *client*) does what needs one place: it reads the releases,
holds the output folder's lock, looks up and writes the translation memory
(SQLite is never shared), plans which outputs are up to date, writes the QA
reports and, last of each release, its manifest. The workers do the heavy
work, as Dask tasks:

1. **segment** (``presskit-segment-<from>-<to>``): shards of releases per
   language pair are protected and split into segments; the client collects
   the segments of all releases of the pair and looks them up in the memory;
2. **translate** (``presskit-plan-…``, ``presskit-translate-<from>-<to>``): the
   segments the memory does not know, each once, route step by route step, in
   exactly the batches CTranslate2 makes of them in the local batch's one call
   (a ``presskit-plan`` task finds them), several batches per task. Every
   worker loads each model once, in its :data:`PLUGIN_NAME` worker plugin
   (found by the package's fingerprint, kept between runs). The client stores
   the output in the memory;
3. **restore** (``presskit-restore-<from>-<to>``): the shards again, with the
   memory's entries and the model's output for their segments: placeholders
   restored, typography, QA — the :class:`~toolkit.translate.pipeline.Translation`
   comes back to the client;
4. **render** (``presskit-render``): one task per release renders and writes its
   outputs with :func:`~toolkit.files.atomic_write`; the client then writes
   the release's manifest.

The result is the local batch's (:func:`toolkit.batch.run_batch`): the same
segments reach the same model in the same CTranslate2 batches (a sentence's
output depends, in rare last digits, on the other sentences of its batch), with
the client's engine options and a package whose files are byte for byte the
client's, so the same keys and files come out (on workers with the same
CTranslate2 build and CPU instruction set as the machine compared with). A
worker that dies has its tasks run again elsewhere (Dask does that); a run
that is stopped leaves only complete files, and the next run builds what is
missing. A render task writes only while its run is the current one
(:data:`RUN_FILE` holds the run's token).

Before any task, each worker confirms (``client.run``) that it reads the input
folders and writes the output folder at the same paths as this machine
(shared storage), runs the same toolkit with the same templates, and has each
model this run needs, with the same fingerprint (:func:`package_fingerprint`);
otherwise the run stops with one line naming the worker and what is missing.
The plugin also undoes, for CTranslate2's sake, the ``MALLOC_TRIM_THRESHOLD_``
that Dask's nanny gives its workers (:func:`_malloc_for_ctranslate2`).

Dask is the optional ``cluster`` extra; it is imported only in here, and only
when a cluster run starts (importing this module imports none of it).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import math
import os
import re
import secrets
import threading
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .version import __version__
from .run.options import Progress, RunOptions, Silent, Stage
from .run.outcome import BatchResult, ReleaseOutcome
from .run.planning import RenderTask, plan_all
from .run.reading import read_all
from .run.rendering import record_render, render_guarded, write_release_manifest
from .run.keys import templates_digest
from .run.translating import translation_groups
from .errors import PressToolkitError
from .files import atomic_write, output_lock, remove_temporaries, sha256_of
from .write import OutputFile

if TYPE_CHECKING:
    from distributed import Client, Future

    from .model import Release
    from .translate.engine import Engine, EngineOptions
    from .translate.glossary import Glossary
    from .translate.routes import InstalledModel, Route
    from .translate.pipeline import Translation, Translator
    from .translate.units import Segment

__all__ = [
    "PLUGIN_NAME",
    "RUN_FILE",
    "ModelSpec",
    "WorkerModels",
    "connect",
    "loaded_models",
    "package_fingerprint",
    "parse_address",
    "run_cluster_batch",
]

#: The worker plugin that keeps the loaded models of a worker.
PLUGIN_NAME = "presskit-models"
#: In the output folder while a cluster run holds it: the run's token. A render task of an older run writes nothing.
RUN_FILE = ".presskit-cluster-run"
#: How long to wait for the scheduler, and for a first worker.
CONNECT_TIMEOUT = 30.0
_STORAGE_HINT = "every worker must see the input and output folders at the same paths (shared storage)"
_LOCAL = re.compile(r"local(?::(\d+))?")


def parse_address(address: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local:N`` (``local``: one worker per CPU core), else ``(address, None)``.

    >>> parse_address("local:2"), parse_address("tcp://10.0.0.5:8786")
    (('local', 2), ('tcp://10.0.0.5:8786', None))
    """
    address = address.strip()
    match = _LOCAL.fullmatch(address)
    if match is None:
        return address, None
    count = int(match[1]) if match[1] else (os.cpu_count() or 1)
    if count < 1:
        raise PressToolkitError(f"{address}: a local cluster needs at least one worker")
    return "local", count


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise PressToolkitError(
            'presskit batch --cluster needs the \'cluster\' extra (dask[distributed]): pip install "press-toolkit[cluster]"'
        ) from None
    return distributed


@contextlib.contextmanager
def connect(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Client]:
    """A Dask client of the scheduler at ``address``, or of a new local cluster (``local[:N]``, one thread per worker)."""
    distributed = _distributed()
    where, local_workers = parse_address(address)
    with contextlib.ExitStack() as stack:
        try:
            if local_workers is not None:
                import importlib.util

                dashboard = ":0" if importlib.util.find_spec("bokeh") is not None else None
                cluster = stack.enter_context(
                    distributed.LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True,
                                             dashboard_address=dashboard, silence_logs=logging.ERROR)
                )
                client = stack.enter_context(distributed.Client(cluster, set_as_default=False))
            else:
                client = stack.enter_context(distributed.Client(where, timeout=timeout, set_as_default=False))
        except (OSError, TimeoutError) as error:
            raise PressToolkitError(f"cannot reach the Dask scheduler at {address} ({_one_line(error)})") from None
        yield client


def _worker_names(client: Client, address: str, *, timeout: float) -> dict[str, str]:
    """The workers (address → how to name it in a message); waits up to ``timeout`` for a first one."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise PressToolkitError(
            f"the Dask cluster at {address} has no workers (waited {timeout:.0f} s); start some with `dask worker {address}`"
        ) from None
    import inspect

    # Newer clients list only the first few workers unless asked for all.
    everyone = {"n_workers": -1} if "n_workers" in inspect.signature(client.scheduler_info).parameters else {}
    workers = client.scheduler_info(**everyone)["workers"]
    return {worker: _describe_worker(worker, info.get("name")) for worker, info in workers.items()}


def _describe_worker(address: str, name: object) -> str:
    return f"worker {name} ({address})" if name is not None and str(name) != address else f"worker {address}"


# --- models: identity across machines ------------------------------------------------------


_FILE_DIGESTS: dict[tuple[str, int, int, int], str] = {}
_DIGEST_LOCK = threading.Lock()


def _file_digest(path: Path) -> str:
    status = path.stat()
    key = (str(path.resolve()), status.st_size, status.st_mtime_ns, status.st_ino)
    with _DIGEST_LOCK:
        known = _FILE_DIGESTS.get(key)
    if known is not None:
        return known
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            sha.update(chunk)
    with _DIGEST_LOCK:
        _FILE_DIGESTS[key] = sha.hexdigest()
    return _FILE_DIGESTS[key]


def package_fingerprint(folder: Path) -> str:
    """SHA-256 over what translates in an installed package: ``metadata.json``, the tokenizer model and every file of
    ``model/``, each with its path, size and SHA-256. Two machines with the same fingerprint translate alike.

    A package's :attr:`~toolkit.translate.routes.InstalledModel.identity` (name, version, 12 hex digits of
    ``model.bin``'s hash) keys the translation memory; the fingerprint also covers the vocabulary, the configuration
    and the SentencePiece model. Digests are cached per file (path, size, modification time, inode).
    """
    folder = Path(folder)
    files = [folder / "metadata.json", folder / "sentencepiece.model", folder / "bpe.model"]
    files += sorted(path for path in (folder / "model").rglob("*") if path.is_file()) if (folder / "model").is_dir() else []
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            relative = path.relative_to(folder).as_posix()
            digest.update(f"{relative}\0{path.stat().st_size}\0{_file_digest(path)}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True, kw_only=True)
class ModelSpec:
    """One package a run needs, as a worker finds it: by fingerprint, whatever its folder there."""

    source: str
    target: str
    name: str
    version: str
    identity: str
    fingerprint: str

    @classmethod
    def of(cls, model: InstalledModel) -> ModelSpec:
        return cls(source=model.source, target=model.target, name=model.name, version=model.version, identity=model.identity,
                   fingerprint=package_fingerprint(model.path))

    def describe(self) -> str:
        return f"{self.name} {self.version} ({self.source}→{self.target})"


def _installed_here(models_dir: Path | None) -> tuple[Path, dict[str, InstalledModel], list[tuple[str, InstalledModel]]]:
    """The packages folder of this process, its models by fingerprint, and (fingerprint, model) of each."""
    from .translate.packages import PackageWarning, installed_models, packages_dir

    folder = models_dir if models_dir is not None else packages_dir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PackageWarning)
        models = installed_models(folder)
    listed = [(package_fingerprint(model.path), model) for model in models]
    return folder, dict(listed), listed


class WorkerModels:
    """A worker's engines and loaded models, for the worker's lifetime (its :data:`PLUGIN_NAME` plugin holds one).

    One :class:`~toolkit.translate.engine.Engine` per set of engine options; each loads a package once and keeps it.
    :attr:`loads` counts the loads per model identity.
    """

    def __init__(self) -> None:
        self._engines: dict[EngineOptions, Engine] = {}
        self._routes: dict[tuple[object, ...], Route] = {}
        self._lock = threading.Lock()
        self.loads: Counter[str] = Counter()

    def engine(self, options: EngineOptions) -> Engine:
        with self._lock:
            engine = self._engines.get(options)
            if engine is None:
                engine = self._engines[options] = _counting_engine(options, self.loads)
            return engine

    def route(self, specs: Sequence[ModelSpec], source: str, target: str, models_dir: Path | None) -> Route:
        """The route over this worker's packages whose fingerprints are ``specs``'; an error names what is missing."""
        from .translate.routes import Route

        key = (tuple(spec.fingerprint for spec in specs), source, target, models_dir)
        with self._lock:
            known = self._routes.get(key)
        if known is not None and all(package_fingerprint(step.path) == spec.fingerprint for step, spec in zip(known.steps, specs)):
            return known
        folder, found, listed = _installed_here(models_dir)
        problems = [_lacking(spec, folder, listed) for spec in specs if spec.fingerprint not in found]
        if problems:
            raise PressToolkitError(f"{_describe_worker(_this_worker(), None)} {'; '.join(problems)}")
        route = Route(source=source, target=target, steps=tuple(found[spec.fingerprint] for spec in specs))
        with self._lock:
            self._routes[key] = route
        return route


def _counting_engine(options: EngineOptions, loads: Counter[str]) -> Engine:
    from .translate.engine import Engine

    class CountingEngine(Engine):
        """An engine that counts its model loads (thread-safe: a worker may run tasks in several threads)."""

        _guard = threading.Lock()

        def _load(self, model: InstalledModel) -> Any:
            with self._guard:
                cached = self._cache.get(model.path / "model")
                if cached is None or cached.identity != model.identity:
                    loads[model.identity] += 1
                return super()._load(model)

    return CountingEngine(options)


def _lacking(spec: ModelSpec, folder: Path, listed: Sequence[tuple[str, InstalledModel]]) -> str:
    same = [(fingerprint, model) for fingerprint, model in listed if (model.source, model.target) == (spec.source, spec.target)]
    if not same:
        return f"lacks {spec.describe()} (not installed in {folder})"
    fingerprint, model = same[0]
    return (f"has another {model.name} {model.version} ({spec.source}→{spec.target}) in {folder} than this machine "
            f"(files differ: {fingerprint[:12]} there, {spec.fingerprint[:12]} here)")


_FALLBACK_MODELS = WorkerModels()


def _plugin() -> Any:
    """The worker plugin, a class made when Dask is imported (so that importing this module does not import Dask)."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class PresskitModels(WorkerPlugin):  # type: ignore[misc]
        """Keeps a worker's loaded translation models between tasks and runs."""

        idempotent = True  # a later run keeps the loaded models of the one before

        def __init__(self) -> None:
            self.models: WorkerModels | None = None

        def setup(self, worker: object) -> None:
            _malloc_for_ctranslate2()
            self.models = WorkerModels()

        def teardown(self, worker: object) -> None:
            self.models = None

    return PresskitModels()


#: glibc's ``mallopt`` parameters.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def _malloc_for_ctranslate2() -> bool:
    """Let glibc keep freed memory for reuse, in a worker Dask's nanny started with ``MALLOC_TRIM_THRESHOLD_``.

    With that variable set, glibc hands every large buffer back to the system when it is freed, and CTranslate2
    allocates and frees large buffers at each decoding step: on the worker it translated 3 to 10 times slower than in
    a process started without it. Raising the mmap and trim thresholds (as glibc's own dynamic thresholds would)
    makes it as fast as a local run; the worker then holds up to some 128 MB of freed memory for reuse.
    """
    import ctypes
    import sys

    if not os.environ.get("MALLOC_TRIM_THRESHOLD_") or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's C library; not every one has mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, 32 << 20)) and bool(mallopt(_M_TRIM_THRESHOLD, 128 << 20))


def _worker_models(worker: Any = None) -> WorkerModels:
    """The models of this worker's plugin (``worker``: the worker, when not called from a task)."""
    if worker is None:
        try:
            from distributed import get_worker

            worker = get_worker()
        except (ImportError, ValueError):
            worker = None
    models = getattr(getattr(worker, "plugins", {}).get(PLUGIN_NAME), "models", None)
    return models if isinstance(models, WorkerModels) else _FALLBACK_MODELS


def _this_worker() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return "this process"


def loaded_models(dask_worker: Any = None) -> dict[str, int]:
    """On a worker (``client.run(loaded_models)``): how often each model identity was loaded there."""
    return dict(_worker_models(dask_worker).loads)


# --- checks before the run -----------------------------------------------------------------


@dataclass(frozen=True)
class _Sample:
    """A file a worker must read with the same content as the client: a release or the branding's logo."""

    folder: Path
    path: Path
    sha256: str


def _check_worker_storage(samples: Sequence[_Sample], out_dir: Path, token: str, version: str, templates: str) -> list[str]:
    """On a worker: the problems with its view of the shared storage and of the toolkit (empty: none)."""
    from .version import __version__ as here

    from .run.keys import templates_digest as templates_here

    if here != version:
        return [f"runs press-toolkit {here}, this machine {version}; install the same version on every worker"]
    if templates_here() != templates:
        return ["has other templates or label catalogs than this machine; install the same press-toolkit on every worker"]
    problems = []
    for sample in samples:
        try:
            os.listdir(sample.folder)
            data = sample.path.read_bytes()
        except OSError as error:
            problems.append(f"cannot read the input folder {sample.folder} ({_os_reason(error)}); {_STORAGE_HINT}")
            continue
        if sha256_of(data) != sample.sha256:
            problems.append(f"sees other files in {sample.folder} than this machine ({sample.path.name} differs); {_STORAGE_HINT}")
    try:
        seen = (out_dir / RUN_FILE).read_text("utf-8").strip()
    except FileNotFoundError:
        seen = None  # the folder there is not the one this machine just wrote into
    except OSError as error:
        return [*problems, f"cannot read the output folder {out_dir} ({_os_reason(error)}); {_STORAGE_HINT}"]
    if seen != token:
        return [*problems, f"sees another folder at {out_dir} than this machine; {_STORAGE_HINT}"]
    probe = out_dir / f".presskit-probe-{secrets.token_hex(6)}"
    try:
        atomic_write(probe, b"presskit\n")
        probe.unlink()
    except (PressToolkitError, OSError) as error:
        return [*problems, f"cannot write the output folder {out_dir} ({_one_line(error)}); {_STORAGE_HINT}"]
    return problems


def _worker_inventory(models_dir: Path | None) -> tuple[str, list[tuple[str, str, str, str, str]]]:
    """On a worker: its packages folder and (fingerprint, name, version, source, target) of each package there."""
    folder, _, listed = _installed_here(models_dir)
    return str(folder), [(fingerprint, m.name, m.version, m.source, m.target) for fingerprint, m in listed]


def _run_everywhere(client: Client, workers: Mapping[str, str], function: Callable[..., Any], *args: Any) -> dict[str, Any]:
    answers = client.run(function, *args, workers=list(workers), on_error="return")
    return {worker: answers.get(worker, RuntimeError("no answer")) for worker in workers}


def _check_storage(client: Client, workers: Mapping[str, str], samples: Sequence[_Sample], out_dir: Path, token: str) -> None:
    answers = _run_everywhere(client, workers, _check_worker_storage, list(samples), out_dir, token, __version__, templates_digest())
    problems = []
    for worker, answer in answers.items():
        if isinstance(answer, BaseException) and "No module named 'toolkit'" in str(answer):
            problems.append(f'{workers[worker]} has no press-toolkit; install it on every worker: pip install "press-toolkit[cluster]"')
        elif isinstance(answer, BaseException):
            problems.append(f"{workers[worker]} did not answer the storage check ({_one_line(answer)})")
        else:
            problems.extend(f"{workers[worker]} {problem}" for problem in answer)
    if problems:
        raise PressToolkitError("cluster: " + "; ".join(problems))


def _check_models(client: Client, workers: Mapping[str, str], specs: Sequence[ModelSpec], models_dir: Path | None) -> None:
    if not specs:
        return
    answers = _run_everywhere(client, workers, _worker_inventory, models_dir)
    problems = []
    for worker, answer in answers.items():
        if isinstance(answer, BaseException):
            problems.append(f"{workers[worker]} did not answer the model check ({_one_line(answer)})")
            continue
        folder, rows = answer
        listed = [(fingerprint, _Listed(name=name, version=version, source=source, target=target))
                  for fingerprint, name, version, source, target in rows]
        have = {fingerprint for fingerprint, _ in listed}
        problems.extend(f"{workers[worker]} {_lacking(spec, Path(folder), listed)}"  # type: ignore[arg-type]
                        for spec in specs if spec.fingerprint not in have)
    if problems:
        raise PressToolkitError(
            "cluster: " + "; ".join(problems) + "; install the same .argosmodel files on every worker "
            "(presskit models install-file FILE there) or point translation.models at a folder they all see"
        )


@dataclass(frozen=True, kw_only=True)
class _Listed:
    """A worker's package as its inventory lists it (what :func:`_lacking` needs of an InstalledModel)."""

    name: str
    version: str
    source: str
    target: str


# --- the run --------------------------------------------------------------------------------


def run_cluster_batch(
    sources: Sequence[str | Path],
    options: RunOptions,
    *,
    address: str,
    make_translator: Callable[[], Translator] | None = None,
    models_dir: Path | None = None,
    input_dirs: Sequence[Path] | None = None,
    progress: Progress | None = None,
    announce: Callable[[str], None] | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> BatchResult:
    """:func:`toolkit.batch.run_batch` on the Dask cluster at ``address`` (``tcp://host:8786``, ``local``, ``local:N``).

    ``make_translator`` gives this process's translator (memory, glossaries,
    do-not-translate list, engine options; default
    :func:`toolkit.translate.setup.default_translator`); its engine options go to the
    workers. ``models_dir`` is the packages folder the workers use (default:
    each worker's own Argos folder). ``input_dirs`` are the folders the workers
    must read (default: the folders of the sources). ``announce`` receives one
    line about the cluster (workers, dashboard). A problem with the cluster,
    the shared storage or a worker's models is a :class:`PressToolkitError`
    raised before any output is written; a failing release is reported in its
    outcome, as with the local batch.
    """
    started = time.perf_counter()
    report = progress or Silent()
    outcomes = [ReleaseOutcome(source=Path(source)) for source in sources]
    # Workers have other working folders: every path they get is absolute.
    options = replace(options, out_dir=options.out_dir.resolve())
    folders = [Path(folder).resolve() for folder in input_dirs] if input_dirs else sorted({o.source.resolve().parent for o in outcomes})
    with connect(address, timeout=timeout) as client:
        workers = _worker_names(client, address, timeout=timeout)
        if announce is not None:
            link = f", dashboard {client.dashboard_link}" if _has_dashboard(client) else ""
            announce(f"Dask cluster {getattr(client.scheduler, 'address', address)}: {len(workers)} worker{'s' if len(workers) != 1 else ''}{link}")
        with output_lock(options.out_dir):
            token = secrets.token_hex(4) + "x"  # never all hex digits: Dask's dashboard keeps names apart from it
            run_file = options.out_dir / RUN_FILE
            atomic_write(run_file, f"{token}\n".encode())
            warming: list[Future] = []
            try:
                _check_storage(client, workers, _samples(outcomes, folders, options), options.out_dir, token)
                client.register_plugin(_plugin(), name=PLUGIN_NAME)
                # While this process reads: every worker loads what its first tasks need (kept for later runs).
                warming += [client.submit(_warm_up, options.languages, key=f"presskit-warm-up-{token}-{number}", workers=[worker],
                                         pure=False) for number, worker in enumerate(workers)]
                read_all(outcomes, options, report)
                run = _ClusterRun(client, workers, options, report, token, models_dir)
                run.translate(outcomes, make_translator)
                if any(outcome.error is None for outcome in outcomes):
                    run.render(outcomes)
                else:
                    report.start(Stage.RENDER, 0)
            finally:
                warming.clear()
                with contextlib.suppress(OSError):
                    if run_file.read_text("utf-8").strip() == token:
                        run_file.unlink()
    return BatchResult(releases=tuple(outcomes), seconds=time.perf_counter() - started)


def _has_dashboard(client: Client) -> bool:
    try:
        return "dashboard" in client.scheduler_info().get("services", {})
    except Exception:  # noqa: BLE001 - only for the announcement
        return False


def _samples(outcomes: Sequence[ReleaseOutcome], folders: Sequence[Path], options: RunOptions) -> list[_Sample]:
    samples = []
    for folder in folders:
        inside_folder = [o.source.resolve() for o in outcomes if o.source.resolve().is_relative_to(folder) and o.source.is_file()]
        if inside_folder:
            samples.append(_Sample(folder, inside_folder[0], sha256_of(inside_folder[0].read_bytes())))
    logo = options.branding.logo if options.branding is not None else None
    if logo is not None:
        samples.append(_Sample(logo.parent, logo, sha256_of(logo.read_bytes())))
    return samples


@dataclass(eq=False)
class _Pair:
    """One language pair of a run, through segmenting, translating (route step by route step) and restoring."""

    source: str
    target: str
    outcomes: list[ReleaseOutcome]
    route: Route
    specs: tuple[ModelSpec, ...]
    glossary: Glossary | None
    shards: list[list[int]]
    began: float = field(default_factory=time.perf_counter)
    segments: dict[int, list[str]] = field(default_factory=dict)
    known: dict[str, Segment] = field(default_factory=dict)
    #: The segments the memory does not know, their translations so far, and which still go through the next step.
    missing: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    step: int = 0
    #: The current step's inputs, and its outputs as they come back (by position in ``texts``).
    texts: list[str] = field(default_factory=list)
    results: dict[int, str] = field(default_factory=dict)
    waiting: int = 0
    finished: set[int] = field(default_factory=set)

    def alive(self, shard: Sequence[int]) -> list[int]:
        return [i for i in shard if self.outcomes[i].error is None and i in self.segments]


class _ClusterRun:
    def __init__(self, client: Client, workers: Mapping[str, str], options: RunOptions, progress: Progress, token: str,
                 models_dir: Path | None) -> None:
        self.client = client
        self.workers = workers
        self.options = options
        self.progress = progress
        self.token = token
        self.models_dir = models_dir.resolve() if models_dir is not None else None
        self.counter = 0

    def submit(self, kind: str, function: Callable[..., Any], *args: Any) -> Future:
        self.counter += 1
        return self.client.submit(function, *args, key=f"presskit-{kind}-{self.token}-{self.counter}", pure=False)

    # --- translating ---

    def translate(self, outcomes: list[ReleaseOutcome], make_translator: Callable[[], Translator] | None) -> None:
        """Translate as :func:`toolkit.run.translating.translate_all` does, with the work on the workers and the memory here."""
        groups = translation_groups(outcomes, self.options)
        self.progress.start(Stage.TRANSLATE, sum(len(group) for group in groups.values()))
        if not groups:
            return
        from .translate.setup import default_translator
        from .translate.engine import EngineOptions

        translator = (make_translator or default_translator)()
        pairs: list[_Pair] = []
        for (source, target), group in groups.items():
            group = [outcome for outcome in group if outcome.error is None]
            try:
                route = translator.route(source, target)
            except PressToolkitError as error:
                for outcome in group:  # a missing model here: nothing of these releases is written, as locally
                    outcome.fail(error, Stage.TRANSLATE)
                self.progress.advance(Stage.TRANSLATE, len(group))
                continue
            pairs.append(_Pair(source=source, target=target, outcomes=group, route=route,
                               specs=tuple(ModelSpec.of(step) for step in route.steps),
                               glossary=translator.glossaries.get((source, target)), shards=self._shards(len(group))))
        if not pairs:
            return
        _check_models(self.client, self.workers, list({spec: None for pair in pairs for spec in pair.specs}), self.models_dir)
        self.engine_options = getattr(translator.engine, "options", None) or EngineOptions()
        self.translator = translator
        self.jobs: dict[Future, tuple[str, _Pair, Any]] = {}
        self.running = _distributed().as_completed(loop=self.client.loop)
        for pair in pairs:
            for number, shard in enumerate(pair.shards):
                self.start("segment", pair, number, _segment_shard, [pair.outcomes[i].release for i in shard], pair.target,
                           pair.route.steps, pair.glossary, translator.do_not_translate)
            pair.waiting = len(pair.shards)
        for future in self.running:
            kind, pair, payload = self.jobs.pop(future)
            if len(pair.finished) == len(pair.shards):
                continue  # the pair failed as a whole already
            self.received(kind, pair, payload, _result(future))
        for outcome in outcomes:  # in the order of the languages, as the local batch has them
            order = {language: place for place, language in enumerate(self.options.languages)}
            outcome.translations = dict(sorted(outcome.translations.items(), key=lambda item: order.get(item[0], len(order))))

    def start(self, kind: str, pair: _Pair, payload: Any, function: Callable[..., Any], *args: Any) -> None:
        future = self.submit(f"{kind}-{pair.source}-{pair.target}", function, *args)
        self.jobs[future] = (kind, pair, payload)
        self.running.add(future)

    def received(self, kind: str, pair: _Pair, payload: Any, result: Any) -> None:
        if kind == "segment":
            for i, answer in zip(pair.shards[payload], result):
                if isinstance(answer, PressToolkitError):
                    pair.outcomes[i].fail(answer, Stage.TRANSLATE)
                else:
                    pair.segments[i] = answer
            pair.waiting -= 1
            if pair.waiting == 0:
                pair.missing = self._look_up(pair)
                pair.outputs = list(pair.missing)
                # As Engine.translate: empty segments never reach the model.
                pair.pending = [i for i, segment in enumerate(pair.outputs) if segment.strip()]
                self.begin_step(pair)
        elif isinstance(result, PressToolkitError):  # a model that cannot be loaded or found: the pair fails, as locally
            self._fail_pair(pair, result)
        elif kind == "plan":
            self.translate_batches(pair, result)
        elif kind == "translate":
            for batch, outputs in zip(payload, result):
                pair.results.update(zip(batch, outputs))
            pair.waiting -= 1
            if pair.waiting == 0:
                for position, i in enumerate(pair.pending):
                    pair.outputs[i] = pair.results[position]
                # A pivot sentence the first model turned into nothing stays empty.
                pair.pending = [i for i in pair.pending if pair.outputs[i].strip()]
                pair.step += 1
                self.begin_step(pair)
        else:
            number, alive = payload
            for i, answer in zip(alive, result):
                if isinstance(answer, PressToolkitError):
                    pair.outcomes[i].fail(answer, Stage.TRANSLATE)
                else:
                    pair.outcomes[i].translations[pair.target] = answer
            self._shard_done(pair, number)

    def begin_step(self, pair: _Pair) -> None:
        """The next route step of the pair's missing segments, or, after the last, the memory and the restoring."""
        if pair.step == len(pair.specs) or not pair.pending:
            self.restore(pair)
            return
        pair.texts = [pair.outputs[i] for i in pair.pending]
        pair.results = {}
        size = self.engine_options.max_batch_size
        if size <= 0 or len(pair.texts) <= size:
            self.translate_batches(pair, [list(range(len(pair.texts)))])
        else:
            self.start("plan", pair, None, _plan_batches, pair.texts, pair.specs[pair.step], self.engine_options, self.models_dir)

    def translate_batches(self, pair: _Pair, batches: list[list[int]]) -> None:
        """CTranslate2's batches of the step, in tasks of consecutive batches (about two tasks per worker)."""
        per_task = max(1, math.ceil(len(batches) / (2 * max(len(self.workers), 1))))
        groups = [batches[start : start + per_task] for start in range(0, len(batches), per_task)]
        pair.waiting = len(groups)
        for group in groups:
            self.start("translate", pair, group, _translate_batches, [[pair.texts[j] for j in batch] for batch in group],
                       pair.specs[pair.step], self.engine_options, self.models_dir)

    def restore(self, pair: _Pair) -> None:
        machine = dict(zip(pair.missing, pair.outputs))
        memory = self.translator.memory
        if machine and memory is not None:  # only the client writes the memory
            memory.store_machine(machine.items(), source_language=pair.route.source, target_language=pair.route.target,
                                 model=pair.route.identity)
        for number, shard in enumerate(pair.shards):
            alive = pair.alive(shard)
            if not alive:
                self._shard_done(pair, number)
                continue
            wanted = {segment for i in alive for segment in pair.segments[i]}
            self.start("restore", pair, (number, alive), _restore_shard, [pair.outcomes[i].release for i in alive], pair.target,
                       pair.route.steps, pair.glossary, self.translator.do_not_translate,
                       {s: e for s, e in pair.known.items() if s in wanted}, {s: t for s, t in machine.items() if s in wanted})

    def _shards(self, count: int) -> list[list[int]]:
        """Shards of releases: about two per worker, so that a slow or lost worker holds up little."""
        size = max(1, math.ceil(count / (2 * max(len(self.workers), 1))))
        return [list(range(start, min(start + size, count))) for start in range(0, count, size)]

    def _look_up(self, pair: _Pair) -> list[str]:
        """Every segment of the pair once, in the order of the releases; what the memory knows; the rest, to translate."""
        segments = list(dict.fromkeys(s for i in range(len(pair.outcomes)) if i in pair.segments and pair.outcomes[i].error is None
                                      for s in pair.segments[i]))
        memory = self.translator.memory
        if memory is not None:
            pair.known = memory.lookup_many(segments, source_language=pair.route.source, target_language=pair.route.target,
                                            model=pair.route.identity)
        return [segment for segment in segments if segment not in pair.known]

    def _fail_pair(self, pair: _Pair, error: PressToolkitError) -> None:
        for outcome in pair.outcomes:
            outcome.fail(error, Stage.TRANSLATE)
        for number in range(len(pair.shards)):
            self._shard_done(pair, number)

    def _shard_done(self, pair: _Pair, number: int) -> None:
        if number in pair.finished:
            return
        pair.finished.add(number)
        self.progress.advance(Stage.TRANSLATE, len(pair.shards[number]))
        if len(pair.finished) == len(pair.shards):
            share = (time.perf_counter() - pair.began) / max(len(pair.outcomes), 1)
            for outcome in pair.outcomes:
                outcome.seconds += share

    # --- rendering ---

    def render(self, outcomes: list[ReleaseOutcome]) -> None:
        tasks = plan_all(outcomes, self.options)
        self.progress.start(Stage.RENDER, len(tasks))
        by_release: dict[int, list[RenderTask]] = defaultdict(list)
        for task in tasks:
            by_release[task.index].append(replace(task, assets_dir=task.assets_dir.resolve()))
        for index, outcome in enumerate(outcomes):
            if outcome.directory is not None and outcome.release is not None and index not in by_release and outcome.error is None:
                write_release_manifest(outcome)  # nothing to render: keep the manifest in step with the QA reports
        run_file = self.options.out_dir / RUN_FILE
        distributed = _distributed()
        futures = {self.submit("render", _render_release, release_tasks, run_file, self.token): index
                   for index, release_tasks in by_release.items()}
        for future in distributed.as_completed(futures, loop=self.client.loop):
            index = futures[future]
            outcome = outcomes[index]
            for result in _result(future):
                record_render(outcome, result)
            self.progress.advance(Stage.RENDER, len(by_release[index]))
            if outcome.directory is not None:
                remove_temporaries(outcome.directory)  # what a worker that died mid-write left; its task ran again elsewhere
            write_release_manifest(outcome)


def _result(future: Future) -> Any:
    """The future's result; Dask's own failures (workers dying, the scheduler gone) as one toolkit error."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as error:
        raise PressToolkitError(f"cluster: the workers running {future.key} died, again and again ({_one_line(error)})") from None
    except (OSError, TimeoutError) as error:
        raise PressToolkitError(f"cluster: lost the connection to the Dask scheduler ({_one_line(error)})") from None
    except Exception as error:
        import concurrent.futures

        if isinstance(error, concurrent.futures.CancelledError):
            raise PressToolkitError(f"cluster: the task {future.key} was cancelled (the scheduler or its workers went away)") from None
        raise


# --- the tasks (they run on the workers) ------------------------------------------------------


class _Collected(Exception):
    """Stops a translation once its segments are known."""

    def __init__(self, segments: list[str]) -> None:
        super().__init__(f"{len(segments)} segments")
        self.segments = segments


class _CollectingEngine:
    """An engine that takes the segments the pipeline would send to the model, and stops the translation there."""

    def translate(self, sentences: Sequence[str], route: Route) -> list[str]:
        raise _Collected(list(sentences))


@dataclass(frozen=True)
class _Table:
    """An engine that answers from the translations a ``presskit-translate`` task made."""

    translations: Mapping[str, str]

    def translate(self, sentences: Sequence[str], route: Route) -> list[str]:
        missing = [sentence for sentence in sentences if sentence not in self.translations]
        if missing:
            raise PressToolkitError(f"cluster: {len(missing)} segments came back untranslated (first: {missing[0][:60]!r})")
        return [self.translations[sentence] for sentence in sentences]


@dataclass(frozen=True)
class _Known:
    """The translation memory's entries for a shard, as the client looked them up; storing is the client's job."""

    entries: Mapping[str, Segment]

    def lookup_many(self, sources: Sequence[str], *, source_language: str, target_language: str, model: str) -> dict[str, Segment]:
        return {source: self.entries[source] for source in sources if source in self.entries}

    def store_machine(self, pairs: object, **where: object) -> None:
        pass


def _translator(engine: object, memory: object, steps: Sequence[InstalledModel], glossary: Glossary | None,
                keep: frozenset[str]) -> Translator:
    from .translate.pipeline import Translator

    # The route's steps are the client's packages: the pipeline needs their names and identities, never their files.
    return Translator(engine=engine, memory=memory, glossaries=[glossary] if glossary else [], models=list(steps),  # type: ignore[arg-type]
                      do_not_translate=keep)


_WARM_UP_TEXT = "Das Land und fünf Netzbetreiber bauen gemeinsam das Wasserstoff-Kernnetz; die Arbeiten beginnen im Sommer."


def _warm_up(languages: Sequence[str]) -> None:
    """On a worker, before its first tasks: import the pipeline and the renderers, load the QA's language models."""
    with contextlib.suppress(Exception):  # only ever saves time
        from .model import Text
        from .render import html, pdf  # noqa: F401 - imported for later tasks
        from .translate.qa import check_segment

        for source in languages:
            for target in languages:
                if source != target:
                    check_segment(location="warm-up", source=Text.plain(_WARM_UP_TEXT), target=Text.plain(_WARM_UP_TEXT),
                                  source_language=source, target_language=target, repairs=(), glossary={})


def _segment_shard(releases: Sequence[Release], target: str, steps: Sequence[InstalledModel], glossary: Glossary | None,
                   keep: frozenset[str]) -> list[list[str] | PressToolkitError]:
    """Each release's segments (protected, split into sentences), as the pipeline would send them to the model."""
    translator = _translator(_CollectingEngine(), None, steps, glossary, keep)
    answers: list[list[str] | PressToolkitError] = []
    for release in releases:
        try:
            translator.translate_all([release], target)
            answers.append([])  # nothing to translate
        except _Collected as collected:
            answers.append(collected.segments)
        except PressToolkitError as error:
            answers.append(_portable(error))
    return answers


def _step_route(specs: Sequence[ModelSpec], models_dir: Path | None) -> tuple[WorkerModels, Route]:
    models = _worker_models()
    return models, models.route(specs, specs[0].source, specs[-1].target, models_dir)


def _plan_batches(texts: list[str], spec: ModelSpec, options: EngineOptions, models_dir: Path | None) -> list[list[int]] | PressToolkitError:
    """The batches CTranslate2 makes of ``texts`` in one call (it sorts them by length, then takes ``max_batch_size`` at a
    time), as lists of positions in ``texts``.

    A model's output for a sentence depends, in its last digits, on the other sentences of its batch; translating
    exactly these batches, on any worker, gives the output of the local batch's one call. Found by a call that
    decodes one token, with a callback noting the order in which the sentences come; if that fails, one batch of all.
    """
    try:
        models, route = _step_route([spec], models_dir)
        loaded = models.engine(options)._load(route.steps[0])  # the engine's loaded model: tokenizer, CTranslate2 translator
        tokens = loaded.tokenizer.encode(list(texts), out_type=str)
        prefix = [[loaded.target_prefix] for _ in texts] if loaded.target_prefix else None
        order: list[int] = []
        loaded.translator.translate_batch(tokens, target_prefix=prefix, max_batch_size=options.max_batch_size, beam_size=1,
                                          num_hypotheses=1, max_decoding_length=1, callback=lambda step: order.append(step.batch_id))
    except PressToolkitError as error:
        return _portable(error)
    except Exception:  # noqa: BLE001 - a CTranslate2 without callbacks: one batch is always right, only slower
        return [list(range(len(texts)))]
    order = list(dict.fromkeys(order))
    if sorted(order) != list(range(len(texts))):
        return [list(range(len(texts)))]
    size = options.max_batch_size
    return [order[start : start + size] for start in range(0, len(order), size)]


def _translate_batches(batches: list[list[str]], spec: ModelSpec, options: EngineOptions,
                       models_dir: Path | None) -> list[list[str]] | PressToolkitError:
    """One route step for each batch, one CTranslate2 call per batch, with this worker's copy of the package (loaded
    once per worker)."""
    try:
        models, route = _step_route([spec], models_dir)
        engine = models.engine(options)
        return [engine.translate(batch, route) for batch in batches]
    except PressToolkitError as error:
        return _portable(error)


def _restore_shard(releases: Sequence[Release], target: str, steps: Sequence[InstalledModel], glossary: Glossary | None,
                   keep: frozenset[str], known: Mapping[str, Segment], machine: Mapping[str, str]) -> list[Translation | PressToolkitError]:
    """The translations of a shard: the pipeline with the memory's entries and the model's output already at hand."""
    translator = _translator(_Table(machine), _Known(known), steps, glossary, keep)
    try:
        return list(translator.translate_all(list(releases), target))
    except PressToolkitError:
        # One release broke the shared batch: one by one, as the local batch does.
        answers: list[Translation | PressToolkitError] = []
        for release in releases:
            try:
                answers.append(translator.translate(release, target))
            except PressToolkitError as error:
                answers.append(_portable(error))
        return answers


def _render_release(tasks: Sequence[RenderTask], run_file: Path, token: str) -> list[tuple[OutputFile, float] | PressToolkitError]:
    """Render and write the outputs of one release, as the local batch does; nothing is written once the run that
    planned them is over (another run holds the folder, or none)."""
    over = functools.partial(_over, run_file, token)
    return [_portable_result(render_guarded(task, over)) for task in tasks]


def _over(run_file: Path, token: str) -> bool:
    try:
        return run_file.read_text("utf-8").strip() != token
    except OSError:
        return True


def _portable_result(result: tuple[OutputFile, float] | PressToolkitError) -> tuple[OutputFile, float] | PressToolkitError:
    return _portable(result) if isinstance(result, PressToolkitError) else result


# --- small helpers ----------------------------------------------------------------------------


def _portable(error: PressToolkitError) -> PressToolkitError:
    """``error`` if it survives pickling (it travels back to the client), else a plain toolkit error with its text."""
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - an exception class with its own __init__ arguments
        return PressToolkitError(str(error))
    return error


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


def _one_line(error: object) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:300]
