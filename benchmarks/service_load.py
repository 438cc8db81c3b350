"""Load on ``presskit serve``: concurrent clients against a real server process.

    /work/venv/bin/python benchmarks/service_load.py [--clients 20] [--requests 15] [--workers 2]

Prints figures; it is not a test. Starts ``presskit serve`` on 127.0.0.1 (a
free port, a temporary data and jobs folder, one API key, ``--workers``
worker processes), then runs ``--clients`` concurrent clients (httpx, one
connection each), each sending ``--requests`` requests in turn:

* ``health``  ``GET /api/v1/health``;
* ``submit``  ``POST /api/v1/jobs?languages=de`` with ``examples/wasserstoff-netz.txt``
  (a German-only build: no model needed, so the figures are the service's,
  not a fixture model's);
* ``status``  ``GET /api/v1/jobs/<id>`` of the client's latest job.

It prints requests per second, latency percentiles per kind and in all, and
the errors (any status but 200/202, or a transport error); then it waits for
every job and prints how long the worker processes took to build them all.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
RELEASE = REPO / "examples" / "wasserstoff-netz.txt"
PRESSKIT = Path(sys.executable).parent / "presskit"
KEY = "benchmark-key-0123456789abcdef"
KINDS = ("health", "submit", "status")


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    job_ids: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(folder: Path, *, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    config = folder / "presskit.toml"
    config.write_text(f'[service]\napi_keys = ["{KEY}"]\nworkers = {workers}\njobs_dir = "jobs"\nmax_request_mb = 2\n', "utf-8")
    port = free_port()
    env = {**os.environ, "PRESSKIT_DATA_DIR": str(folder / "data"), "XDG_DATA_HOME": str(folder / "xdg-data"),
           "XDG_CONFIG_HOME": str(folder / "xdg-config"), "ARGOS_PACKAGES_DIR": str(folder / "no-models")}
    env.pop("PRESSKIT_API_KEYS", None)
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen([str(PRESSKIT), "serve", "--port", str(port), "--config", str(config)], cwd=folder, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"presskit serve exited with code {process.returncode}:\n{(folder / 'server.log').read_text()}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).json()["workers_alive"] == workers:
                return process, url
        except (httpx.TransportError, ValueError, KeyError):
            pass
        time.sleep(0.1)
    process.kill()
    sys.exit("presskit serve did not answer within 60 s")


async def client_run(url: str, requests: int, release: bytes, results: Results) -> None:
    latest: str | None = None
    async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": KEY}, timeout=60,
                                 limits=httpx.Limits(max_connections=1)) as client:
        for number in range(requests):
            kind = KINDS[number % len(KINDS)]
            began = time.perf_counter()
            try:
                if kind == "health":
                    response = await client.get("/api/v1/health")
                elif kind == "submit":
                    response = await client.post("/api/v1/jobs?languages=de", content=release,
                                                 headers={"Content-Type": "text/plain"})
                else:
                    response = await client.get(f"/api/v1/jobs/{latest}")
            except httpx.TransportError:
                results.errors[kind] += 1
                continue
            results.latencies[kind].append(time.perf_counter() - began)
            if response.status_code not in (200, 202):
                results.errors[kind] += 1
            elif kind == "submit":
                latest = response.json()["id"]
                results.job_ids.append(latest)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def line(name: str, values: Sequence[float], errors: int) -> str:
    if not values:
        return f"{name:<8} {'0':>6}  errors {errors}"
    ms = [value * 1000 for value in values]
    return (f"{name:<8} {len(values):>6}  p50 {percentile(ms, 0.5):7.1f} ms  p90 {percentile(ms, 0.9):7.1f} ms  "
            f"p99 {percentile(ms, 0.99):7.1f} ms  max {max(ms):7.1f} ms  errors {errors}")


async def load(url: str, clients: int, requests: int) -> tuple[Results, float]:
    results = Results()
    release = RELEASE.read_bytes()
    began = time.perf_counter()
    await asyncio.gather(*(client_run(url, requests, release, results) for _ in range(clients)))
    return results, time.perf_counter() - began


def wait_for_jobs(url: str, job_ids: Sequence[str], timeout: float) -> tuple[dict[str, int], list[float]]:
    """Final states, and each job's build time (finished − started) once all are finished."""
    states: dict[str, int] = defaultdict(int)
    durations: list[float] = []
    with httpx.Client(base_url=url, headers={"X-API-Key": KEY}, timeout=30) as client:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            health = client.get("/api/v1/health").json()
            if not health["queued"] and not health["running"]:
                break
            time.sleep(0.5)
        for job_id in job_ids:
            status = client.get(f"/api/v1/jobs/{job_id}", params={"qa": "false"}).json()
            states[status["state"]] += 1
            if status["started"] and status["finished"]:
                finished, started = (dt.datetime.fromisoformat(status[key]) for key in ("finished", "started"))
                durations.append((finished - started).total_seconds())
    return dict(states), durations


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--requests", type=int, default=15, help="requests per client (default 15: 5 of each kind)")
    parser.add_argument("--workers", type=int, default=2, help="the service's worker processes (default 2)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="presskit-load-") as work:
        started = time.perf_counter()
        process, url = start_server(Path(work), workers=args.workers)
        print(f"service    {url}, {args.workers} worker process(es), started in {time.perf_counter() - started:.1f} s; "
              f"CPU cores: {os.cpu_count()}")
        try:
            results, seconds = asyncio.run(load(url, args.clients, args.requests))
            total = sum(len(values) for values in results.latencies.values())
            errors = sum(results.errors.values())
            print(f"load       {args.clients} clients × {args.requests} requests = {args.clients * args.requests} requests "
                  f"in {seconds:.2f} s: {total / seconds:.1f} requests/s, {errors} errors")
            for kind in KINDS:
                print(line(kind, results.latencies[kind], results.errors[kind]))
            print(line("all", [value for values in results.latencies.values() for value in values], errors))
            drain_began = time.perf_counter()
            states, durations = wait_for_jobs(url, results.job_ids, timeout=600)
            drained = time.perf_counter() - drain_began
            print(f"jobs       {len(results.job_ids)} German-only builds: {json.dumps(states)}; all finished "
                  f"{seconds + drained:.1f} s after the first request ({len(results.job_ids) / (seconds + drained):.2f} jobs/s); "
                  f"build time per job p50 {statistics.median(durations):.2f} s, p90 {percentile(durations, 0.9):.2f} s"
                  if durations else f"jobs       {len(results.job_ids)}: {json.dumps(states)}")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
