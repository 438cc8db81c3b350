"""Does a batch stay linear? ``presskit batch`` of 10, 100 and 1,000 German releases, its memory, and a no-change re-run.

    .venv/bin/python benchmarks/scale_bench.py [--sizes 10,100,1000] [--jobs 2] [--formats pdf,html,json]

Prints figures; it is not a test. The releases are variations of the examples
(``examples/make_batch.py``), built in German only (no model needed) with
the venv's ``presskit batch --lang de --jobs N``, each size into an empty
output folder, in a private data and cache home (the hyphenation cache filled
once before, as on any office machine after its first run).

* **time per release** at each size, and its ratio to the smallest size's
  figure (goal: flat within 20 %). The smallest size carries the fixed costs
  (start-up, starting the render processes) over few releases, so the
  **marginal** time per release between two sizes, ``(t₂ − t₁) / (n₂ − n₁)``,
  is printed too: growing marginals are what a non-linear step shows as.
* **peak RSS** of the whole process tree (``presskit`` and its render
  processes, summed at each sample, every 50 ms; psutil when installed, else
  ``/proc``; goal < 1 GB).
* **no-change re-run** of the largest size (goal < 10 s): every release is up
  to date, so the pre-check (``toolkit/precheck.py``) skips it unread.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "examples"))

FLAT_GOAL = 1.2
RSS_GOAL = 1 << 30
RERUN_GOAL_SECONDS = 10.0


# --- memory of a process tree ---------------------------------------------------------------------


def _tree_rss_psutil(pid: int) -> int:
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue  # ended between the listing and the reading
    return total


def _tree_rss_proc(pid: int) -> int:
    """The same from /proc: VmRSS of ``pid`` and, through each thread's ``children`` file, of its descendants."""
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def tree_rss() -> tuple[Callable[[int], int], str]:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return _tree_rss_proc, "/proc"
    return _tree_rss_psutil, "psutil"


@dataclass
class Measured:
    seconds: float
    peak_rss: int
    stdout: str


def run_measured(command: list[str], env: dict[str, str], sample: Callable[[int], int]) -> Measured:
    """Run ``command``, sampling the RSS of its process tree every 50 ms; fail with its output if it fails."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        peak = 0
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, sample(process.pid))
                done.wait(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        code = process.wait()
        seconds = time.perf_counter() - began
        done.set()
        watcher.join()
        out.seek(0)
        err.seek(0)
        stdout = out.read()
        if code != 0:
            sys.exit(f"error: {' '.join(command)} exited with {code}:\n{err.read()[-3000:]}")
    return Measured(seconds, peak, stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="batch sizes, comma-separated (ascending)")
    parser.add_argument("--jobs", type=int, default=2, help="render processes")
    parser.add_argument("--formats", default="pdf,html,json", help="output formats (the default of presskit batch)")
    arguments = parser.parse_args()
    sizes = sorted(int(size) for size in arguments.sizes.split(","))
    presskit = Path(sys.executable).parent / "presskit"
    if not presskit.is_file():
        sys.exit(f"error: {presskit}: no presskit here; run this with the venv's python (.venv/bin/python)")
    sample, sampler = tree_rss()

    with tempfile.TemporaryDirectory(prefix="scale-bench-") as work:
        scratch = Path(work)
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PRESSKIT_DATA_DIR": str(scratch / "data"),
               "ARGOS_PACKAGES_DIR": str(scratch / "no-models")}
        for name in ("DATA", "CONFIG", "CACHE"):
            env[f"XDG_{name}_HOME"] = os.environ[f"XDG_{name}_HOME"] = str(scratch / name.lower())
        from make_batch import write_variations

        from toolkit.render.hyphenation import load_patterns

        load_patterns("de")  # fills the private cache, as an office's first run does
        print(f"presskit batch --lang de --format {arguments.formats} --jobs {arguments.jobs}; sizes {sizes}; "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; RSS sampled with {sampler}", flush=True)

        results: dict[int, Measured] = {}
        for size in sizes:
            inbox = scratch / f"inbox-{size}"
            write_variations(size, inbox)
            results[size] = measured = run_measured(batch_command(presskit, scratch, size, arguments), env, sample)
            assert f"{size} releases: {size} built, 0 up to date, 0 failed" in measured.stdout, measured.stdout[-500:]
            print(f"  {size:5} releases: {measured.seconds:8.1f} s, {measured.seconds / size:6.3f} s a release, "
                  f"peak RSS {measured.peak_rss / 2**20:6.0f} MiB (load {os.getloadavg()[0]:.1f})", flush=True)

        largest = sizes[-1]
        rerun = run_measured(batch_command(presskit, scratch, largest, arguments), env, sample)
        assert "Nothing to do" in rerun.stdout, rerun.stdout[-500:]

        base = results[sizes[0]].seconds / sizes[0]
        print("size  s/release  × smallest   marginal s/release  × first marginal   peak RSS")
        first_marginal = None
        previous = None
        for size in sizes:
            per_release = results[size].seconds / size
            marginal = ""
            if previous is not None:
                value = (results[size].seconds - results[previous].seconds) / (size - previous)
                first_marginal = first_marginal or value
                marginal = f"{value:10.3f}            {value / first_marginal:5.2f}×"
            print(f"{size:5} {per_release:9.3f}   {per_release / base:6.2f}×     {marginal:34}  {results[size].peak_rss / 2**20:6.0f} MiB")
            previous = size
        worst = max(results[size].seconds / size / base for size in sizes)
        peak = max(measured.peak_rss for measured in [*results.values(), rerun])
        print(f"goal: time per release flat within 20 % of the {sizes[0]}-release figure: worst {worst:.2f}× "
              f"({'met' if worst <= FLAT_GOAL else 'MISSED'})")
        print(f"goal: peak RSS of the process tree < 1 GiB: {peak / 2**20:.0f} MiB, {peak / RSS_GOAL:.2f}× the goal "
              f"({'met' if peak < RSS_GOAL else 'MISSED'})")
        print(f"goal: no-change re-run of {largest} releases < {RERUN_GOAL_SECONDS:g} s: {rerun.seconds:.2f} s, "
              f"{rerun.seconds / RERUN_GOAL_SECONDS:.2f}× the goal ({'met' if rerun.seconds < RERUN_GOAL_SECONDS else 'MISSED'}); "
              f"peak RSS {rerun.peak_rss / 2**20:.0f} MiB")


def batch_command(presskit: Path, scratch: Path, size: int, arguments: argparse.Namespace) -> list[str]:
    return [str(presskit), "batch", str(scratch / f"inbox-{size}"), "--lang", "de", "--format", arguments.formats,
            "--jobs", str(arguments.jobs), "--out", str(scratch / f"output-{size}")]


if __name__ == "__main__":
    main()
