"""Load on the LibreTranslate endpoints: many small concurrent ``/translate`` requests, batching on and off.

    .venv/bin/python benchmarks/libretranslate_load.py [--clients 20] [--requests 10] [--rounds 3] [--layers 1 --d-model 32]

Prints figures; it is not a test. No real model can be downloaded here, so it
builds a de→en fixture package (``tests/argos_fixture.py``: a real
CTranslate2 + SentencePiece package with random weights; ``--layers``,
``--d-model`` and ``--vocabulary`` give it a real model's size, e.g. 6, 512
and 32000) and installs it in a temporary Argos home. Its output never ends
early, so every sentence decodes the engine's full 256 tokens: a model call
costs what a long real sentence costs.

For each mode it starts ``presskit serve`` on 127.0.0.1 (an API key,
a fresh data folder and translation memory) and runs ``--clients``
concurrent clients (httpx, one connection each), each sending ``--requests``
``POST /translate`` requests in turn, form-encoded as libretranslatepy sends
them: one German sentence with an amount, each with a made-up place name of
its own, so the translation memory never answers and every request needs
the model. The modes:

* ``batched``   the default: requests gathered for up to 20 ms, up to 64 lines per model call;
* ``one-by-one`` ``PRESSKIT_LT_BATCH_MS=0``: one request per model call.

Both servers run side by side and the modes take turns for ``--rounds``
rounds, so a busy moment of the machine hits both alike. For each mode it
prints requests per second (the median of the rounds), latency p50/p95/p99
over all rounds, the errors (any status but 200, a transport error, or the
amount missing from the answer) and the mean batch size the server logged;
at the end the ratio of the two throughputs.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
PRESSKIT = Path(sys.executable).parent / "presskit"
KEY = "benchmark-key-0123456789abcdef"
MODES = ("batched", "one-by-one")
SYLLABLES = ("ost", "kern", "hau", "sen", "bro", "lin", "feld", "mar", "dor", "wes", "tal", "berg", "stein", "au")


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def place_names() -> Iterator[str]:
    """Made-up place names, all different ("Ostkern", "Ostkernhau" …): no two requests share a segment."""
    for length in itertools.count(2):
        for parts in itertools.product(SYLLABLES, repeat=length):
            yield "".join(parts).capitalize()


def install_model(home: Path, *, layers: int, d_model: int, vocabulary: int | None) -> Path:
    from argos_fixture import build_argos_package

    packages = home / "packages"
    packages.mkdir(parents=True)
    os.environ.update(ARGOS_PACKAGES_DIR=str(packages), XDG_DATA_HOME=str(home / "xdg-data"),
                      XDG_CONFIG_HOME=str(home / "xdg-config"), XDG_CACHE_HOME=str(home / "xdg-cache"))
    from toolkit.translate.packages import install_file

    archive = build_argos_package(home / "built", source="de", target="en", seed=1, layers=layers, d_model=d_model,
                                  heads=8 if d_model >= 256 else 2, ffn=4 * d_model, pad_vocabulary_to=vocabulary,
                                  quantization="int8" if vocabulary else None)
    install_file(archive)
    return packages


def start_server(folder: Path, packages: Path, *, batching: bool) -> tuple[subprocess.Popen[bytes], str, Path]:
    folder.mkdir(parents=True)
    config = folder / "presskit.toml"
    config.write_text(f'[service]\napi_keys = ["{KEY}"]\nlanguages = ["en"]\nworkers = 1\njobs_dir = "jobs"\n', "utf-8")
    env = {**os.environ, "PRESSKIT_DATA_DIR": str(folder / "data"), "ARGOS_PACKAGES_DIR": str(packages)}
    env.pop("PRESSKIT_API_KEYS", None)
    env["PRESSKIT_LT_BATCH_MS"] = "20" if batching else "0"
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as stream:
        process = subprocess.Popen([str(PRESSKIT), "serve", "--port", str(port), "--config", str(config)], cwd=folder,
                                   env=env, stdout=stream, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"presskit serve exited with code {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=1).json()["status"] == "ok":
                return process, url, log
        except (httpx.TransportError, ValueError, KeyError):
            pass
        time.sleep(0.1)
    process.kill()
    sys.exit("presskit serve did not answer within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def sentence(place: str) -> str:
    return f"Der Kreis {place} erhält 3,2 Millionen Euro für neue Radwege."


async def client_run(url: str, texts: Sequence[str], results: Results) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=1)) as client:
        for text in texts:
            began = time.perf_counter()
            try:
                response = await client.post("/translate", data={"q": text, "source": "de", "target": "en", "api_key": KEY})
            except httpx.TransportError:
                results.errors += 1
                continue
            results.latencies.append(time.perf_counter() - began)
            if response.status_code != 200 or "3.2" not in response.json().get("translatedText", ""):
                results.errors += 1


async def load(url: str, clients: int, requests: int, names: Iterator[str]) -> Results:
    results = Results()
    work = [[sentence(next(names)) for _ in range(requests)] for _ in range(clients)]
    began = time.perf_counter()
    await asyncio.gather(*(client_run(url, texts, results) for texts in work))
    results.seconds = time.perf_counter() - began
    return results


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def batches_logged(log: Path) -> str:
    match = re.search(r"LibreTranslate: (\d+) requests in (\d+) model batches", log.read_text("utf-8", errors="replace"))
    if match is None:
        return "batches: not logged"
    requests, batches = int(match[1]), int(match[2])
    return f"{requests} requests in {batches} model calls ({requests / max(batches, 1):.1f} per call)"


def report(name: str, rounds: Sequence[Results], log: Path) -> float:
    """Print the mode's figures over all rounds; return its requests per second (median of the rounds)."""
    latencies = [value * 1000 for results in rounds for value in results.latencies]
    rates = sorted(len(results.latencies) / results.seconds for results in rounds)
    rate = rates[len(rates) // 2] if len(rates) % 2 else (rates[len(rates) // 2 - 1] + rates[len(rates) // 2]) / 2
    errors = sum(results.errors for results in rounds)
    print(f"{name:<11} {len(latencies):>4} requests, {rate:6.1f} requests/s (median of {len(rounds)} rounds: "
          f"{', '.join(f'{r:.1f}' for r in rates)})  p50 {percentile(latencies, 0.5):6.0f} ms  "
          f"p95 {percentile(latencies, 0.95):6.0f} ms  p99 {percentile(latencies, 0.99):6.0f} ms  errors {errors}")
    print(f"{'':<11} {batches_logged(log)} (incl. the warm-up)")
    return rate


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--requests", type=int, default=10, help="requests per client and round (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per mode, the modes taking turns (default 3)")
    parser.add_argument("--layers", type=int, default=1, help="encoder and decoder layers of the model (default 1)")
    parser.add_argument("--d-model", type=int, default=32, help="model width (default 32; a real model: 512)")
    parser.add_argument("--vocabulary", type=int, default=None, help="pad the vocabulary to this size, int8 (real: 32000)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="presskit-lt-load-") as work:
        home = Path(work)
        packages = install_model(home, layers=args.layers, d_model=args.d_model, vocabulary=args.vocabulary)
        print(f"model      de→en fixture, {args.layers} layer(s), d={args.d_model}, vocabulary {args.vocabulary or 'fixture (~320)'}; "
              f"{args.clients} clients × {args.requests} requests × {args.rounds} rounds per mode; CPU cores: {os.cpu_count()}")
        names = place_names()
        # Both servers run side by side and take turns, so a busy moment of the machine hits both modes alike.
        servers = {mode: start_server(home / mode, packages, batching=mode == "batched") for mode in MODES}
        results: dict[str, list[Results]] = {mode: [] for mode in MODES}
        try:
            for _, url, _ in servers.values():
                asyncio.run(load(url, 2, 2, names))  # loads the model in the translation process; not counted
            for _ in range(args.rounds):
                for mode, (_, url, _) in servers.items():
                    results[mode].append(asyncio.run(load(url, args.clients, args.requests, names)))
        finally:
            for process, _, _ in servers.values():
                stop_server(process)
        rates = {mode: report(mode, results[mode], servers[mode][2]) for mode in MODES}
    p50 = (percentile([v for r in results["one-by-one"] for v in r.latencies], 0.5)
           / percentile([v for r in results["batched"] for v in r.latencies], 0.5))
    print(f"batching   {rates['batched'] / rates['one-by-one']:.2f}× the requests/s of one request per model call; "
          f"p50 latency {p50:.2f}× lower")


if __name__ == "__main__":
    main()
