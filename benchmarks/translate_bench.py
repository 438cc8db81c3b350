"""Throughput of the toolkit's Engine against raw CTranslate2 and Argos Translate's per-paragraph path.

    .venv/bin/python benchmarks/translate_bench.py [--paragraphs 40] [--beam 2] [--rounds 3] [--max-decoding-length 64]

Prints figures; it is not a test, but it fails when an output differs where it
must not. No real model can be downloaded here, so it builds a fixture
package of a real Argos model's shape (6+6 layers, d=512, 8 heads, FFN 2048, a
32,000-token vocabulary, int8 weights: ~94 MB, like Argos's de→en package) with
random weights, and installs it with ``install_file`` into a temporary Argos
home. The German paragraphs are the body paragraphs and quotes of
``examples/``, repeated to the requested number; every path gets the same
sentences, decodes to the same length cap and runs at the same beam.

The machine may be shared, so the paths run in interleaved rounds (A, B, C, …,
A, B, C, …) and every figure is a ratio against its baseline *in the same
round*, shown as min / median over the rounds; seconds are shown for scale.

(floor)  raw ``ctranslate2.Translator.translate_batch`` in the fastest
         configuration whose outputs equal each sentence's alone: the thread
         layout the engine picks (``thread_layout``: inter × intra threads),
         sentences of equal length batched, ``batch_type="tokens"``, all
         batches queued at once. Pre-tokenized: no SentencePiece in the time.
(engine) ``Engine.translate`` with its default options (tokenizing and
         decoding included); baseline: (floor).
(mixed)  raw, the same but with sentences of any length in one batch (padded):
         the fastest raw configuration measured, shown for what identical
         outputs cost; its outputs differ from the sentences' alone.
(before) raw, the engine's configuration before issue 17 (1 × all-core
         threads, 32 sentences a batch, lengths mixed); baseline for (engine).
(argos)  ``argostranslate.translate.translate(paragraph, "de", "en")`` per
         paragraph at the same beam (``settings.beam_size``) - Argos's own code,
         with two substitutions because its sentence splitter (MiniSBD)
         downloads a model on first use and the fixture model never emits
         ``</s>``: the splitter is pysbd (the same split as the others), and
         ``max_decoding_length`` is added to its ``translate_batch`` calls.
         The engine's outputs must equal Argos's, paragraph by paragraph.
(memory) the pipeline on the example releases: a first run (model) against a
         re-run served by the translation memory.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
EXAMPLES = REPO / "examples"


def german_paragraphs(count: int) -> list[str]:
    """Body paragraphs and quotes of the examples, repeated to ``count``."""
    import warnings

    from toolkit.errors import PressToolkitError
    from toolkit.model import Paragraph, Quote
    from toolkit.read import read_release

    found = []
    for path in sorted((REPO / "examples").glob("*")):
        if path.suffix not in (".txt", ".md") or ".expected" in path.name:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                release = read_release(path)
        except PressToolkitError:
            continue  # not a release (e.g. a list of names)
        if release.language == "de":
            found += [block.text.text for block in release.body if isinstance(block, (Paragraph, Quote))]
    return list(itertools.islice(itertools.cycle(found), count))


def split_sentences(paragraph: str) -> list[str]:
    import pysbd

    return [s.strip() for s in pysbd.Segmenter(language="de", clean=False).segment(paragraph) if s.strip()]


def timed(action: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


class Rounds:
    """Seconds per path and round; ratios are taken round by round (paired), then min and median."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = defaultdict(list)

    def run(self, name: str, action: Callable[[], T]) -> T:
        seconds, result = timed(action)
        self.seconds[name].append(seconds)
        return result

    def time(self, name: str) -> str:
        values = self.seconds[name]
        return f"{min(values):7.2f} / {statistics.median(values):7.2f} s"

    def ratio(self, name: str, baseline: str) -> str:
        ratios = [a / b for a, b in zip(self.seconds[name], self.seconds[baseline])]
        return f"{_figure(min(ratios))}× / {_figure(statistics.median(ratios))}×"


def _figure(value: float) -> str:
    return f"{value:5.2f}" if value >= 0.1 else f"{value:5.3f}"


def memory_rerun(max_decoding_length: int) -> Callable[[Rounds], int]:
    """The whole pipeline on the example releases: a first run (model), then a re-run served by the memory."""
    import warnings

    from toolkit.facts import mark_facts
    from toolkit.read import read_release
    from toolkit.translate.engine import Engine, EngineOptions
    from toolkit.translate.memory import TranslationMemory
    from toolkit.translate.pipeline import Translator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        releases = [mark_facts(read_release(path)) for path in sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.md"))
                    if path.with_suffix(".expected.json").exists() or path.suffix == ".md"]
    engine = Engine(EngineOptions(max_decoding_length=max_decoding_length))

    def one_round(rounds: Rounds) -> int:
        translator = Translator(engine=engine, memory=TranslationMemory(":memory:"))
        first = rounds.run("memory: first run", lambda: translator.translate_all(releases, "en"))
        rerun = rounds.run("memory: re-run", lambda: translator.translate_all(releases, "en"))
        assert all(t.from_model == 0 for t in rerun), "the re-run should not reach the model"
        assert [t.release for t in rerun] == [t.release for t in first]
        return sum(t.from_model for t in first)

    return one_round


def argos_path(max_decoding_length: int, beam: int) -> Callable[[Sequence[str]], list[str]]:
    """Argos's per-paragraph path at ``beam``; loads the model before returning."""
    import argostranslate.settings as argos_settings
    import argostranslate.translate as argos_translate
    import ctranslate2

    class PysbdSentencizer:
        """Stand-in for Argos's MiniSBDSentencizer, which would download its model."""

        def __init__(self, pkg: object) -> None:
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return split_sentences(text)

    class CappedTranslator:
        """ctranslate2.Translator that adds max_decoding_length to translate_batch."""

        def __init__(self, **params: Any) -> None:
            self.inner = ctranslate2.Translator(**params)

        def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("max_decoding_length", max_decoding_length)
            return self.inner.translate_batch(*args, **kwargs)

    class Shim:
        Translator = CappedTranslator

    argos_translate.MiniSBDSentencizer = PysbdSentencizer  # type: ignore[attr-defined,misc]
    argos_translate.ctranslate2 = Shim  # type: ignore[attr-defined,assignment]
    argos_settings.beam_size = beam  # read at each call (apply_packaged_translation)
    argos_translate.get_installed_languages.cache_clear()
    argos_translate.translate("Guten Tag.", "de", "en")  # loads the model
    return lambda paragraphs: [argos_translate.translate(p, "de", "en") for p in paragraphs]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=40)
    parser.add_argument("--beam", type=int, default=2, help="beam size of every path (default: the engine's, 2)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-decoding-length", type=int, default=64)
    parser.add_argument("--skip-argos", action="store_true", help="leave out Argos's path")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="translate-bench-") as work:
        home = Path(work)
        # Before anything imports argostranslate: it reads these once, at import.
        os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
        for name in ("DATA", "CONFIG", "CACHE"):
            os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
        import ctranslate2
        from argos_fixture import build_argos_package

        from toolkit.translate.engine import Engine, EngineOptions, plan_batches, thread_layout
        from toolkit.translate.packages import find_route
        from toolkit.translate.packages import install_file

        archive = build_argos_package(home / "built", source="de", target="en", layers=6, d_model=512, heads=8, ffn=2048,
                                      pad_vocabulary_to=32000, quantization="int8")
        model = install_file(archive)
        route = find_route("de", "en")
        paragraphs = german_paragraphs(args.paragraphs)
        per_paragraph = [split_sentences(p) for p in paragraphs]
        sentences = [s for group in per_paragraph for s in group]
        options = EngineOptions(beam_size=args.beam, max_decoding_length=args.max_decoding_length)
        inter, intra = thread_layout(options)
        print(f"model      {model.name} {model.version}: 6+6 layers, d=512, 8 heads, FFN 2048, vocab 32000, int8, "
              f"{archive.stat().st_size / 1e6:.0f} MB; ctranslate2 {ctranslate2.__version__}; {os.cpu_count()} CPU cores")
        print(f"input      {len(paragraphs)} German paragraphs, {len(sentences)} sentences; beam {args.beam}, decoding capped at "
              f"{args.max_decoding_length} tokens; {args.rounds} interleaved rounds; figures: min / median over the rounds")

        engine = Engine(options)
        engine.translate(["Guten Tag."], route)  # load the model outside the timing
        loaded = engine._cache[route.steps[0].path / "model"]
        tokens = loaded.tokenizer.encode(sentences, out_type=str)
        call = {"beam_size": args.beam, "num_hypotheses": 1, "length_penalty": 0.2,
                "max_decoding_length": args.max_decoding_length, "replace_unknowns": True}
        model_dir = str(route.steps[0].path / "model")

        def translator(inter_threads: int, intra_threads: int) -> Any:
            return ctranslate2.Translator(model_dir, device="cpu", compute_type="int8", inter_threads=inter_threads,
                                          intra_threads=intra_threads)

        best, before = translator(inter, intra), translator(1, 0)

        def floor() -> list[list[str]]:
            queued = [(batch, best.translate_batch([tokens[i] for i in batch], max_batch_size=options.max_batch_size,
                                                   batch_type="tokens", asynchronous=True, **call))
                      for batch in plan_batches([len(t) for t in tokens], options)]
            out: list[list[str]] = [[] for _ in tokens]
            for batch, results in queued:
                for i, result in zip(batch, results):
                    out[i] = result.result().hypotheses[0]
            return out

        def mixed() -> list[list[str]]:
            return [r.hypotheses[0] for r in best.translate_batch(tokens, max_batch_size=options.max_batch_size,
                                                                  batch_type="tokens", **call)]

        def shipped_before() -> list[list[str]]:
            return [r.hypotheses[0] for r in before.translate_batch(tokens, max_batch_size=32, **call)]

        argos = None if args.skip_argos else argos_path(args.max_decoding_length, args.beam)
        rerun = memory_rerun(args.max_decoding_length)
        rounds = Rounds()
        outputs: dict[str, Any] = {}
        segments = 0
        for _ in range(args.rounds):
            outputs["floor"] = rounds.run("floor", floor)
            outputs["engine"] = rounds.run("engine", lambda: engine.translate(sentences, route))
            outputs["mixed"] = rounds.run("mixed", mixed)
            outputs["before"] = rounds.run("before", shipped_before)
            if argos is not None:
                outputs["argos"] = rounds.run("argos", lambda: argos(paragraphs))
            segments = rerun(rounds)

        # What must be equal is equal: the engine and the floor, each sentence's output alone, Argos's paragraphs.
        alone = [best.translate_batch([t], **call)[0].hypotheses[0] for t in tokens]
        assert outputs["floor"] == alone, "the floor's batches changed an output"
        decoded_alone = [Engine._decode(loaded, pieces) for pieces in alone]
        assert outputs["engine"] == decoded_alone, "the engine's batching changed an output"
        differ = {name: sum(a != b for a, b in zip(outputs[name], alone)) for name in ("mixed", "before")}
        same_as_argos = None
        if argos is not None:
            position, same_as_argos = 0, 0
            for group, argos_text in zip(per_paragraph, outputs["argos"]):
                ours = " ".join(outputs["engine"][position : position + len(group)])
                position += len(group)
                same_as_argos += " ".join(ours.replace("_", " ").split()) == " ".join(argos_text.split())
            assert same_as_argos == len(paragraphs), f"the engine equals Argos for {same_as_argos}/{len(paragraphs)} paragraphs"

        layout = f"{inter} × {intra} threads"
        rows: list[tuple[str, str, str, str]] = [
            (f"(floor)  raw translate_batch, {layout}, equal-length batches ≤{options.max_batch_size} tokens", "floor", "floor",
             "outputs = each sentence alone"),
            ("(engine) Engine.translate, default options", "engine", "floor", "outputs = each sentence alone"),
            (f"(mixed)  raw, {layout}, any lengths per batch (padded)", "mixed", "floor",
             f"{differ['mixed']}/{len(tokens)} outputs differ from alone"),
            ("(before) raw, the engine's configuration before: 1 × all-core threads, 32 sentences/batch", "before", "engine",
             f"{differ['before']}/{len(tokens)} outputs differ from alone"),
        ]
        if argos is not None:
            rows.append((f"(argos)  Argos per paragraph, beam {args.beam}, 1 × all-core threads", "argos", "engine",
                         f"engine's output = Argos's for {same_as_argos}/{len(paragraphs)} paragraphs"))
        rows.append((f"(memory) re-run from the translation memory ({segments} segments)", "memory: re-run",
                     "memory: first run", "same releases"))
        print(f"{'path':<92} {'seconds (min / med)':>21}  {'ratio (min / med)':>17}  against")
        for label, name, baseline, note in rows:
            against = "—" if name == baseline else {"floor": "(floor)", "engine": "(engine)",
                                                    "memory: first run": "first run"}[baseline]
            ratio = "1.00× /  1.00×" if name == baseline else rounds.ratio(name, baseline)
            print(f"{label:<92} {rounds.time(name):>21}  {ratio:>17}  {against:<9} {note}")
        print(f"engine ÷ floor {rounds.ratio('engine', 'floor')} (goal ≤ 1.2×); engine ÷ mixed {rounds.ratio('engine', 'mixed')} "
              "(the price of outputs that never depend on the batch)")
        if argos is not None:
            print(f"Argos ÷ engine at equal beam {args.beam}: {rounds.ratio('argos', 'engine')}")


if __name__ == "__main__":
    main()
