"""Throughput of the toolkit's batched Engine against Argos Translate's per-paragraph path.

    /work/venv/bin/python benchmarks/translate_bench.py [--paragraphs 40] [--max-decoding-length 64]

Prints figures; it is not a test. No real model can be downloaded here, so it
builds a fixture package of a real Argos model's shape (6+6 layers, d=512, 8
heads, FFN 2048, a 32,000-token vocabulary, int8 weights: ~94 MB, like Argos's
de→en package) with random weights, and installs it with ``install_file`` into
a temporary Argos home. The German paragraphs are the body paragraphs and
quotes of ``examples/``, repeated to the requested number.

(a) toolkit: every sentence of every paragraph through ``Engine.translate`` -
    one ``translate_batch`` call (beam 2 by default; also shown at beam 4).
(b) Argos: ``argostranslate.translate.translate(paragraph, "de", "en")`` for each
    paragraph - Argos's own code (Package, SentencePieceTokenizer, settings,
    CachedTranslation, apply_packaged_translation: one ``translate_batch`` per
    paragraph with beam 4, ``batch_type="tokens"``, ``max_batch_size=32``),
    with two substitutions, because its default sentence splitter (MiniSBD)
    downloads a model on first use and the fixture model never emits ``</s>``:
    the sentence splitter is pysbd (the same split as in (a)), and
    ``max_decoding_length`` is added to its ``translate_batch`` calls (Argos
    passes none, i.e. CTranslate2's 256).

Both paths load the model before timing, run on the CPU with CTranslate2's
default thread count and decode every sentence to the same length cap.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
EXAMPLES = REPO / "examples"


def german_paragraphs(count: int) -> list[str]:
    """Body paragraphs and quotes of the examples, repeated to ``count``."""
    from toolkit.errors import PressToolkitError
    from toolkit.model import Paragraph, Quote
    from toolkit.read import read_release

    found = []
    for path in sorted((REPO / "examples").glob("*")):
        if path.suffix not in (".txt", ".md") or ".expected" in path.name:
            continue
        try:
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


def measure_memory_rerun(max_decoding_length: int) -> tuple[int, float, float]:
    """The whole pipeline on the example releases: a first run (model) and a re-run served by the memory.

    Returns (segments, seconds of the first run, seconds of the re-run).
    """
    from toolkit.facts import mark_facts
    from toolkit.read import read_release
    from toolkit.translate.engine import Engine, EngineOptions
    from toolkit.translate.memory import TranslationMemory
    from toolkit.translate.pipeline import Translator

    releases = [mark_facts(read_release(path)) for path in sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.md"))
                if path.with_suffix(".expected.json").exists() or path.suffix == ".md"]
    translator = Translator(engine=Engine(EngineOptions(max_decoding_length=max_decoding_length)), memory=TranslationMemory(":memory:"))
    translator.engine.translate(["Guten Tag."], translator.route("de", "en"))  # load the model outside the timing
    first_seconds, first = timed(lambda: translator.translate_all(releases, "en"))
    rerun_seconds, rerun = timed(lambda: translator.translate_all(releases, "en"))
    assert all(t.from_model == 0 for t in rerun), "the re-run should not reach the model"
    return sum(t.from_model for t in first), first_seconds, rerun_seconds


def argos_path(paragraphs: Sequence[str], max_decoding_length: int) -> tuple[float, float, list[str]]:
    """Run (b); returns (load seconds, translate seconds, outputs)."""
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

        def __init__(self, **params: object) -> None:
            self.inner = ctranslate2.Translator(**params)
            self.params = params

        def translate_batch(self, *args: object, **kwargs: object) -> object:
            kwargs.setdefault("max_decoding_length", max_decoding_length)
            return self.inner.translate_batch(*args, **kwargs)

    class Shim:
        Translator = CappedTranslator

    argos_translate.MiniSBDSentencizer = PysbdSentencizer
    argos_translate.ctranslate2 = Shim
    argos_translate.get_installed_languages.cache_clear()
    load, _ = timed(lambda: argos_translate.translate("Guten Tag.", "de", "en"))  # loads the model
    seconds, outputs = timed(lambda: [argos_translate.translate(p, "de", "en") for p in paragraphs])
    return load, seconds, outputs


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=40)
    parser.add_argument("--max-decoding-length", type=int, default=64)
    parser.add_argument("--skip-argos", action="store_true", help="measure the toolkit only")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="translate-bench-") as work:
        home = Path(work)
        # Before anything imports argostranslate: it reads these once, at import.
        os.environ["ARGOS_PACKAGES_DIR"] = str(home / "packages")
        for name in ("DATA", "CONFIG", "CACHE"):
            os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
        import ctranslate2
        from argos_fixture import build_argos_package

        from toolkit.translate.engine import Engine, EngineOptions, find_route
        from toolkit.translate.packages import install_file

        build, archive = timed(
            lambda: build_argos_package(
                home / "built", source="de", target="en", layers=6, d_model=512, heads=8, ffn=2048,
                pad_vocabulary_to=32000, quantization="int8",
            )
        )
        install, model = timed(lambda: install_file(archive))
        route = find_route("de", "en")
        paragraphs = german_paragraphs(args.paragraphs)
        sentences = [s for p in paragraphs for s in split_sentences(p)]
        words = sum(len(p.split()) for p in paragraphs)
        print(f"model      {model.name} {model.version}: 6+6 layers, d=512, 8 heads, FFN 2048, vocab 32000, int8; "
              f"{archive.stat().st_size / 1e6:.0f} MB; built in {build:.1f} s, installed in {install:.1f} s")
        print(f"input      {len(paragraphs)} German paragraphs, {len(sentences)} sentences, {words} words; "
              f"decoding capped at {args.max_decoding_length} tokens; CPU threads: {os.cpu_count()}; ctranslate2 {ctranslate2.__version__}")

        results: dict[str, float] = {}
        outputs_beam4: list[str] = []
        for beam in (2, 4):
            options = EngineOptions(beam_size=beam, max_decoding_length=args.max_decoding_length)
            engine = Engine(options)
            load, _ = timed(lambda: engine.translate(["Guten Tag."], route))
            seconds, outputs = timed(lambda: engine.translate(sentences, route))
            if beam == 4:
                outputs_beam4 = outputs
            results[f"beam {beam}"] = seconds
            print(f"(a) toolkit Engine, beam {beam}, one batched call: {seconds:6.1f} s  "
                  f"{len(paragraphs) / seconds:6.2f} paragraphs/s  {len(sentences) / seconds:6.2f} sentences/s  (warm-up incl. loading {load:.2f} s)")

        if not args.skip_argos:
            load, seconds, argos_outputs = argos_path(paragraphs, args.max_decoding_length)
            results["argos"] = seconds
            print(f"(b) Argos per paragraph, beam 4 (emulated splitter): {seconds:6.1f} s  "
                  f"{len(paragraphs) / seconds:6.2f} paragraphs/s  {len(sentences) / seconds:6.2f} sentences/s  (warm-up incl. loading {load:.2f} s)")
            print(f"    speed-up of (a) over (b): {seconds / results['beam 2']:.1f}x at beam 2 (the default), "
                  f"{seconds / results['beam 4']:.1f}x at Argos's beam 4 (batching alone)")
            # Sanity check of the emulation: same model, same beam -> same words.
            position, same = 0, 0
            for paragraph, argos_text in zip(paragraphs, argos_outputs):
                count = len(split_sentences(paragraph))
                ours = " ".join(outputs_beam4[position : position + count])
                position += count
                same += " ".join(ours.replace("_", " ").split()) == " ".join(argos_text.split())
            print(f"    check: beam-4 outputs of (a) equal Argos's for {same}/{len(paragraphs)} paragraphs (whitespace-normalized)")

        segments, first, rerun = measure_memory_rerun(args.max_decoding_length)
        print(f"(c) pipeline on the example releases, {segments} segments: first run {first:.2f} s (model), "
              f"re-run {rerun:.3f} s (translation memory) — {first / rerun:.0f}x faster")


if __name__ == "__main__":
    main()
