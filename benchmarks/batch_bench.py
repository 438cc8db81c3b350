"""Releases per second: ``presskit batch`` against one build per release, and a resumed run.

    /work/venv/bin/python benchmarks/batch_bench.py [--releases 30] [--languages de,en,fr] [--jobs 2]

Prints figures; it is not a test. The releases are variations of the
examples (``examples/make_batch.py``). No real model can be downloaded here,
so the translation models are the test suite's fixture packages (tiny real
CTranslate2 + SentencePiece models, de→en and en→fr; French goes through
English), installed with ``install_file`` into a temporary Argos home. Each
measured run starts from its own empty output folder and translation memory.

(a) baseline: ``toolkit.builder.build`` once per release, in one process, a new
    translator per release (what a shell loop over ``presskit build`` does,
    minus the interpreter start-up);
(b) batch: ``run_batch`` over all releases, one translator, segments of all
    releases per language pair in one model call, rendering in ``--jobs``
    processes;
(c) resumed: the same batch again — every output up to date;
(d) one edit: the same batch after changing one release.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from toolkit.batch import BatchResult
    from toolkit.translate.pipeline import Translator

T = TypeVar("T")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "examples"))


def timed(action: Callable[[], T]) -> tuple[float, T]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=30)
    parser.add_argument("--languages", default="de,en,fr")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    arguments = parser.parse_args()
    languages = tuple(arguments.languages.split(","))

    with tempfile.TemporaryDirectory(prefix="batch-bench-") as scratch:
        home = Path(scratch)
        os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
        for name in ("DATA", "CONFIG", "CACHE"):
            os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
        from argos_fixture import build_argos_package
        from make_batch import write_variations

        from toolkit.batch import RunOptions, find_releases, run_batch
        from toolkit.builder import build
        from toolkit.translate.setup import translator_for
        from toolkit.config import TranslationSettings
        from toolkit.translate.packages import install_file

        for source, target, seed in (("de", "en", 1), ("en", "fr", 2)):
            install_file(build_argos_package(home / "built", source=source, target=target, seed=seed))
        sources = write_variations(arguments.releases, home / "inbox")
        count = len(sources)
        outputs = count * len(languages) * 3
        print(f"{count} releases × {len(languages)} languages ({', '.join(languages)}) × pdf, html, json = {outputs} outputs; "
              f"{os.cpu_count()} CPU cores, batch with {arguments.jobs} render processes")

        def translator(name: str) -> Callable[[], Translator]:
            return lambda: translator_for(TranslationSettings(memory=home / name / "tm.sqlite"))

        def baseline() -> None:
            for path in sources:
                build(path, languages=languages, out_dir=home / "baseline", make_translator=translator("tm-baseline"))

        options = RunOptions(languages=languages, out_dir=home / "batch", jobs=arguments.jobs)

        def batch() -> BatchResult:
            return run_batch(find_releases(home / "inbox"), options, make_translator=translator("tm-batch"))

        base_seconds, _ = timed(baseline)
        batch_seconds, first = timed(batch)
        resumed_seconds, resumed = timed(batch)
        edited = sources[len(sources) // 2]
        edited.write_text(edited.read_text("utf-8").replace("Fähre", "Fähren"), "utf-8")
        edit_seconds, after_edit = timed(batch)

        rows = [
            ("(a) baseline: build per release", base_seconds, outputs),
            ("(b) batch", batch_seconds, first.files_built),
            ("(c) resumed, nothing changed", resumed_seconds, resumed.files_built),
            ("(d) resumed after editing one release", edit_seconds, after_edit.files_built),
        ]
        print(f"{'run':<40} {'seconds':>8} {'releases/s':>11} {'files written':>14} {'vs (a)':>8}")
        for name, seconds, written in rows:
            print(f"{name:<40} {seconds:8.2f} {count / seconds:11.2f} {written:14d} {base_seconds / seconds:7.1f}×")
        failed = [o.source.name for result in (first, resumed, after_edit) for o in result.failed]
        if failed:
            print("failed:", ", ".join(failed))


if __name__ == "__main__":
    main()
