"""Sheets per second: a German-only ``run_batch`` of PDFs against WeasyPrint alone on the same HTML.

    .venv/bin/python benchmarks/render_bench.py [--releases 40] [--jobs 2] [--rounds 3]

Prints figures; it is not a test. The releases are variations of the examples
(``examples/make_batch.py``: the plain-text and the Markdown example in turn),
built in German only, one A4 PDF (tagged PDF/A-3u, the default) each.

(toolkit)    ``run_batch`` with ``formats=("pdf",)`` and ``jobs`` render processes
             into an empty output folder: reading, facts, planning, starting
             and warming up the render processes, laying out, writing
             (atomic, fsync) and the manifests: everything a user waits for.
(weasyprint) ``weasyprint.HTML(string=…).write_pdf(…)`` per sheet in ``jobs``
             processes of a ``multiprocessing`` pool, on the sheet HTML the
             toolkit renders (``render_sheet_html``, made once before the
             rounds), with the same stylesheets (page size, ``fonts.css``,
             ``sheet.css``, each parsed once per process), the same font
             configuration, PDF variant and tags, and WeasyPrint's own URL
             fetcher. Timed from handing over the first sheet to the last
             PDF's bytes, in processes started and warmed up (one sheet laid
             out each) before: WeasyPrint's floor.
(weasyprint+start) the same, including starting the pool and its warm-up,
             for comparison with (toolkit), which starts its processes
             within its time.
(… steady)   seconds per sheet once both run, from the first PDF finished to
             the last (the toolkit's from the PDFs' write times, WeasyPrint's
             as the results arrive), times the number of sheets: the
             per-sheet cost without the one-off start-up.

The machine may be shared, so the paths run in interleaved rounds (toolkit,
WeasyPrint, toolkit, WeasyPrint …) and the ratio is taken round by round,
shown as min / median. Goals (issue 17): toolkit ≥ 8 sheets/s (end to end),
toolkit / WeasyPrint ≤ 1.3× per sheet (steady state).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "examples"))

SHEETS_PER_SECOND_GOAL = 8.0
RATIO_GOAL = 1.3

# --- WeasyPrint alone, in a worker process -------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _start_weasyprint(ready: Any, sample: str, base_url: str) -> None:
    """Pool initializer: WeasyPrint imported, stylesheets parsed once, one sheet laid out (as the toolkit's warm-up)."""
    from weasyprint import CSS

    from toolkit.render.fonts import font_configuration, font_stylesheet
    from toolkit.render.pdf import PdfOptions, page_stylesheet
    from toolkit.resources import templates_dir

    font_config = font_configuration()
    folder = templates_dir().resolve()
    options = PdfOptions()
    _WORKER.update(
        font_config=font_config,
        stylesheets=[CSS(string=page_stylesheet(options), font_config=font_config), font_stylesheet(font_config),
                     CSS(filename=str(folder / "sheet.css"), font_config=font_config)],
        variant=options.pdf_variant.weasyprint_variant,
        tagged=options.pdf_variant.tagged,
    )
    _write_pdf(sample, base_url)
    ready.put(os.getpid())


def _write_pdf(html: str, base_url: str) -> int:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=base_url).write_pdf(stylesheets=_WORKER["stylesheets"], font_config=_WORKER["font_config"],
                                                         pdf_variant=_WORKER["variant"], pdf_tags=_WORKER["tagged"])
    assert pdf is not None
    return len(pdf)


def _write_pdf_task(job: tuple[str, str]) -> int:
    return _write_pdf(*job)


# --- the rounds --------------------------------------------------------------------------------------


def sheet_html(sources: list[Path]) -> list[str]:
    """Each release's print sheet HTML as the toolkit hands it to WeasyPrint (``sheet.css`` passed parsed, not linked)."""
    from toolkit.batch import prepare_release
    from toolkit.render.html import render_sheet_html

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [render_sheet_html(prepare_release(source), assets_dir=source.parent, link_stylesheet=False) for source in sources]


def steady(finished: list[float]) -> float:
    """Seconds per sheet once the processes run: from the first sheet done to the last, over the sheets between."""
    finished = sorted(finished)
    return (finished[-1] - finished[0]) / max(len(finished) - 1, 1)


def toolkit_round(sources: list[Path], scratch: Path, jobs: int, number: int) -> tuple[float, float, list[int]]:
    """(seconds of the run, seconds per sheet in steady state from the PDFs' write times, PDF sizes)."""
    from toolkit.batch import RunOptions, run_batch

    out_dir = scratch / f"toolkit-{number}"
    began = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_batch(sources, RunOptions(out_dir=out_dir, formats=("pdf",), jobs=jobs))
    seconds = time.perf_counter() - began
    assert not result.failed, [str(outcome.error) for outcome in result.failed]
    sizes = [next(file.size for file in outcome.files if file.format == "pdf") for outcome in result.releases]
    assert all(outcome.directory is not None for outcome in result.releases)
    written = [(outcome.directory / "de.pdf").stat().st_mtime_ns / 1e9 for outcome in result.releases]  # type: ignore[operator]
    return seconds, steady(written), sizes


def weasyprint_round(pages: list[str], base_url: str, jobs: int) -> tuple[float, float, float, list[int]]:
    """(seconds of the sheets alone, including the pool's start and warm-up, per sheet in steady state; PDF sizes)."""
    context = multiprocessing.get_context("spawn")  # as the toolkit's render processes
    ready = context.Queue()
    began = time.perf_counter()
    with context.Pool(processes=jobs, initializer=_start_weasyprint, initargs=(ready, pages[0], base_url)) as pool:
        for _ in range(jobs):
            ready.get(timeout=600)
        started = time.perf_counter()
        sizes, done = [], []
        for size in pool.imap(_write_pdf_task, [(page, base_url) for page in pages], chunksize=1):
            sizes.append(size)
            done.append(time.perf_counter())
        finished = time.perf_counter()
    return finished - started, finished - began, steady(done), sizes


def figures(values: list[float]) -> str:
    return f"{min(values):7.2f} / {statistics.median(values):7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=40, help="sheets per round")
    parser.add_argument("--jobs", type=int, default=2, help="render processes of both paths")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="render-bench-") as work:
        scratch = Path(work)
        # The toolkit's caches (hyphenation patterns) and data in a private home; the render processes inherit it.
        for name in ("DATA", "CONFIG", "CACHE"):
            os.environ[f"XDG_{name}_HOME"] = str(scratch / name.lower())
        os.environ["PRESSKIT_DATA_DIR"] = str(scratch / "data")
        from make_batch import write_variations

        from toolkit.render.hyphenation import load_patterns
        from toolkit.resources import templates_dir

        sources = write_variations(arguments.releases, scratch / "inbox")
        load_patterns("de")  # an office's first run fills the cache; every later one finds it (not what is measured)
        pages = sheet_html(sources)
        base_url = templates_dir().resolve().as_uri() + "/"
        print(f"{len(sources)} German releases → {len(sources)} A4 PDFs (PDF/A-3u, tagged) per round, {arguments.jobs} processes, "
              f"{arguments.rounds} interleaved rounds; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")

        seconds: dict[str, list[float]] = defaultdict(list)
        toolkit_sizes: list[int] = []
        weasyprint_sizes: list[int] = []
        for number in range(arguments.rounds):
            took, per_sheet, toolkit_sizes = toolkit_round(sources, scratch, arguments.jobs, number)
            seconds["toolkit"].append(took)
            seconds["toolkit steady"].append(per_sheet * len(sources))
            alone, with_start, per_sheet, weasyprint_sizes = weasyprint_round(pages, base_url, arguments.jobs)
            seconds["weasyprint"].append(alone)
            seconds["weasyprint+start"].append(with_start)
            seconds["weasyprint steady"].append(per_sheet * len(sources))
            print(f"  round {number + 1}: toolkit {took:.2f} s, WeasyPrint {alone:.2f} s ({with_start:.2f} s with start-up)", flush=True)

        # The same work on both sides: the PDFs differ only in their dates and IDs, so their sizes nearly agree.
        worst = max(abs(a - b) / b for a, b in zip(toolkit_sizes, weasyprint_sizes))
        count = len(sources)
        print(f"PDF sizes toolkit vs WeasyPrint alone: within {worst:.1%} of each other")
        print("                        seconds min / median   sheets/s best / median")
        for name in ("toolkit", "weasyprint", "weasyprint+start", "toolkit steady", "weasyprint steady"):
            rates = [count / value for value in seconds[name]]
            print(f"  {name:20} {figures(seconds[name])} s     {max(rates):6.1f} / {statistics.median(rates):6.1f}")
        for path, baseline in (("toolkit", "weasyprint"), ("toolkit", "weasyprint+start"), ("toolkit steady", "weasyprint steady")):
            ratios = [a / b for a, b in zip(seconds[path], seconds[baseline])]
            print(f"  {path} / {baseline:18} {min(ratios):5.2f}× / {statistics.median(ratios):5.2f}× per sheet")
        rate = count / statistics.median(seconds["toolkit"])
        ratio = statistics.median(a / b for a, b in zip(seconds["toolkit steady"], seconds["weasyprint steady"]))
        print(f"goal ≥ {SHEETS_PER_SECOND_GOAL:g} sheets/s: median {rate:.1f} sheets/s "
              f"({'met' if rate >= SHEETS_PER_SECOND_GOAL else 'MISSED'}, {rate / SHEETS_PER_SECOND_GOAL:.2f}× the goal)")
        print(f"goal ≤ {RATIO_GOAL:g}× WeasyPrint per sheet (steady state): median {ratio:.2f}× "
              f"({'met' if ratio <= RATIO_GOAL else 'MISSED'})")


if __name__ == "__main__":
    main()
