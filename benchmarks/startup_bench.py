"""Start-up time of the command line: ``presskit --help`` against ``python -c pass``.

    .venv/bin/python benchmarks/startup_bench.py [--runs 5]

Prints figures; it is not a test. Both commands run as new processes of the
venv's interpreter (``presskit`` is the venv's console script), in interleaved
rounds (python, presskit, python, presskit, …) so a busy moment of a shared
machine hits both alike. Goal (issue 17): ``presskit --help`` under 0.3 s; the
difference to ``python -c pass`` is what the toolkit itself costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL_SECONDS = 0.3


def wall_time(command: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (each runs both commands once)")
    arguments = parser.parse_args()
    python = Path(sys.executable)
    presskit = python.parent / "presskit"
    if not presskit.is_file():
        sys.exit(f"error: {presskit}: no presskit here; run this with the venv's python (.venv/bin/python)")
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    commands = {"python -c pass": [str(python), "-c", "pass"], "presskit --help": [str(presskit), "--help"]}
    for command in commands.values():
        wall_time(command, env)  # warm the file cache: the first run reads every module from disk
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(arguments.runs):
        for name, command in commands.items():
            seconds[name].append(wall_time(command, env))

    print(f"{arguments.runs} rounds, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; min / median")
    for name, values in seconds.items():
        print(f"  {name:16} {min(values):6.3f} / {statistics.median(values):6.3f} s")
    own = [p - b for p, b in zip(seconds["presskit --help"], seconds["python -c pass"])]
    median = statistics.median(seconds["presskit --help"])
    print(f"  toolkit's share  {min(own):6.3f} / {statistics.median(own):6.3f} s (presskit minus python, per round)")
    verdict = "met" if median < GOAL_SECONDS else "MISSED"
    print(f"goal: presskit --help < {GOAL_SECONDS} s: median {median:.3f} s, {median / GOAL_SECONDS:.2f}× the goal ({verdict})")


if __name__ == "__main__":
    main()
