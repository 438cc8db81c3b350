"""Releases per second: the local batch against ``presskit batch --cluster`` on a loopback Dask cluster of 1 and 2 workers.

    .venv/bin/python benchmarks/cluster_bench.py [--releases 100] [--languages de,en] [--formats json,html] [--beam-size 2]

Prints figures; it is not a test. Needs the ``cluster`` extra (dask[distributed]).
The releases are variations of the examples (``examples/make_batch.py``); the
model is the test suite's fixture package (de→en: a tiny real CTranslate2 +
SentencePiece model whose output is 256 tokens of gibberish per sentence, so
its cost per sentence is fixed), installed into a temporary Argos home. Every
engine runs with one CTranslate2 thread, every Dask worker with one thread.

The default formats leave PDF out: WeasyPrint needs tens of seconds to lay out
a sheet of the fixture's gibberish (words hundreds of letters long), which a
real translation never has; ``--formats pdf,html,json --languages de`` measures
PDF rendering alone.

Rows:

* local, ``--jobs 1`` and ``--jobs 2``: :func:`toolkit.batch.run_batch`;
* cluster, 1 and 2 workers: :func:`toolkit.cluster.run_cluster_batch` on a
  ``LocalCluster`` (loopback TCP, worker processes with one thread each), first
  on new workers (they import the toolkit and load the model and the QA's
  language models), then again on the same workers.

Each run starts from an empty output folder and an empty translation memory,
so all do the same work; the outputs of every run are compared with the first
(same files, same SHA-256). The ratio is the cluster's time over the local
batch's with as many processes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "examples"))


def manifests(out_dir: Path) -> dict[str, dict[str, str]]:
    return {folder.name: {entry["name"]: entry["sha256"] for entry in json.loads((folder / "manifest.json").read_text("utf-8"))["files"]}
            for folder in sorted(out_dir.iterdir()) if not folder.name.startswith(".")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100)
    parser.add_argument("--languages", default="de,en")
    parser.add_argument("--formats", default="json,html")
    parser.add_argument("--beam-size", type=int, default=2)
    arguments = parser.parse_args()
    languages = tuple(arguments.languages.split(","))
    formats = tuple(arguments.formats.split(","))
    warnings.simplefilter("ignore")  # the examples' photo is not beside the variations; each run would say so

    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as scratch:
        home = Path(scratch)
        os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
        for name in ("DATA", "CONFIG", "CACHE"):
            os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
        import distributed
        from argos_fixture import build_argos_package
        from make_batch import write_variations

        from toolkit.batch import RunOptions, find_releases, run_batch
        from toolkit.translate.setup import translator_for
        from toolkit.cluster import run_cluster_batch
        from toolkit.config import TranslationSettings
        from toolkit.translate.packages import install_file

        pairs = [("de", "en", 1)] + ([("en", "fr", 2)] if "fr" in languages else [])
        for source, target, seed in pairs:
            install_file(build_argos_package(home / "built", source=source, target=target, seed=seed))
        write_variations(arguments.releases, home / "inbox")
        sources = find_releases(home / "inbox")
        count = len(sources)
        print(f"{count} releases × {', '.join(languages)} × {', '.join(formats)}; fixture model, beam size {arguments.beam_size}, "
              f"1 CTranslate2 thread; {os.cpu_count()} CPU cores")

        runs: list[tuple[str, float, int]] = []
        reference: dict[str, dict[str, str]] | None = None
        number = 0

        def record(name: str, run: object) -> None:
            nonlocal reference, number
            number += 1
            out_dir = home / f"out-{number}"
            options = RunOptions(languages=languages, formats=formats, out_dir=out_dir, jobs=jobs)

            def make() -> object:
                return translator_for(TranslationSettings(memory=home / f"tm-{number}.sqlite", beam_size=arguments.beam_size, threads=1))

            began = time.perf_counter()
            result = run(options, make)  # type: ignore[operator]
            seconds = time.perf_counter() - began
            failed = [outcome.source.name for outcome in result.failed]
            if failed:
                raise SystemExit(f"{name}: failed: {', '.join(failed)}")
            built = manifests(out_dir)
            if reference is None:
                reference = built
            same = "same outputs" if built == reference else "OUTPUTS DIFFER from the first run"
            runs.append((name, seconds, result.files_built))
            print(f"  {name:<38} {seconds:7.1f} s  {count / seconds:6.2f} releases/s  {result.files_built} files, {same}", flush=True)

        for jobs in (1, 2):
            record(f"local, --jobs {jobs}", lambda options, make: run_batch(sources, options, make_translator=make))
        for workers in (1, 2):
            jobs = workers
            with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                address = cluster.scheduler_address
                for state in ("new workers", "same workers again"):
                    record(f"cluster, {workers} worker{'s' if workers > 1 else ''}, {state}",
                           lambda options, make: run_cluster_batch(sources, options, address=address, make_translator=make))

        local = {1: runs[0][1], 2: runs[1][1]}
        print()
        print(f"{'run':<40} {'seconds':>8} {'releases/s':>11} {'vs local':>9}")
        for name, seconds, _ in runs:
            processes = 2 if ("--jobs 2" in name or "2 workers" in name) else 1
            ratio = f"{seconds / local[processes]:8.2f}×" if name.startswith("cluster") else ""
            print(f"{name:<40} {seconds:8.1f} {count / seconds:11.2f} {ratio:>9}")
        print("vs local: the cluster's time over the local batch's with as many processes (below 1: faster)")


if __name__ == "__main__":
    main()
