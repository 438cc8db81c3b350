"""Machine translation with installed Argos packages, run with CTranslate2 and SentencePiece directly.

:func:`argostranslate.translate.translate` splits every paragraph into
sentences with a model it downloads on first use, and calls the model once per
paragraph. The toolkit segments text itself (:mod:`toolkit.translate.segment`),
so the :class:`Engine` takes the sentences of a whole batch of releases and
sends them to CTranslate2 together, per route step. It
mirrors how Argos calls the model (``argostranslate.translate.
apply_packaged_translation``): SentencePiece pieces in (``out_type=str``), the
package's ``target_prefix`` if its metadata has one, ``replace_unknowns=True``,
``length_penalty=0.2``, pieces decoded with the package's SentencePiece model
and a leading space removed. It never opens a network connection.

Deliberate differences from Argos: beam size 2 instead of 4 (Argos's
``ARGOS_BEAM_SIZE``; :class:`EngineOptions`), int8 weights by default,
underscores in the output are kept (Argos turns every ``_`` into a space), and
the batching: Argos passes ``batch_type="tokens"`` with 32, which makes nearly
every sentence its own batch. The engine batches many sentences, yet every
output is the one the sentence gets alone (as from Argos), because two things
that make CTranslate2's int8 output depend on the rest of a batch are avoided
(both measured, ``tests/test_engine.py`` and ``benchmarks/translate_bench.py``):

* **padding**: a batch holds sentences of *equal* token length only, up to
  ``max_batch_size`` tokens, longest first (:func:`plan_batches`);
* ``replace_unknowns``: which source piece replaces an ``<unk>`` follows the
  attention, whose near-ties fall differently in a batch. Batches are
  translated without it, and the few sentences whose output has ``<unk>`` are
  translated again alone with it, as Argos calls the model.

All batches of a step go to CTranslate2 at once (``asynchronous=True``), and
one loaded model serves ``inter_threads`` batches at the same time with
``intra_threads`` threads each (:func:`thread_layout`; on a 2-core machine
2 × 1 measured fastest).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PressToolkitError
from .routes import InstalledModel, Route

__all__ = ["Engine", "EngineOptions", "plan_batches", "thread_layout"]


@dataclass(frozen=True, kw_only=True)
class EngineOptions:
    """How CTranslate2 runs the models.

    Only ``beam_size``, ``compute_type`` and ``max_decoding_length`` change what
    the model writes (:meth:`output_settings`); the threads and the batch size
    change only how fast: the batches never mix sentence lengths, so a
    sentence's output is the same in any batch (:func:`plan_batches`).
    Defaults measured with ``benchmarks/translate_bench.py``.
    """

    beam_size: int = 2
    #: CTranslate2 compute type; ``int8`` on a CPU without int8 support falls back to ``default``.
    compute_type: str = "int8"
    #: CPU threads for the model in all; 0: one per CPU core this process may use (:func:`thread_layout`).
    threads: int = 0
    #: Batches translated at the same time by the one loaded model (CTranslate2 ``inter_threads``), each with
    #: ``threads // inter_threads`` threads (``intra_threads``); 0: as many as ``threads`` (one thread a batch).
    inter_threads: int = 0
    max_decoding_length: int = 256
    #: What ``max_batch_size`` counts: ``"tokens"`` (source tokens of a batch) or ``"examples"`` (sentences).
    batch_type: str = "tokens"
    #: The most a batch holds; a longer sentence is a batch of its own.
    max_batch_size: int = 1024

    def __post_init__(self) -> None:
        if self.batch_type not in ("tokens", "examples"):
            raise ValueError(f"batch_type must be 'tokens' or 'examples', not {self.batch_type!r}")
        for name in ("threads", "inter_threads"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be 0 or more")
        if self.max_batch_size < 1 or self.beam_size < 1 or self.max_decoding_length < 1:
            raise ValueError("beam_size, max_batch_size and max_decoding_length must be at least 1")

    def output_settings(self) -> tuple[object, ...]:
        """What of these options changes the model's output (a translation memory entry stays valid across the rest)."""
        return (self.beam_size, self.compute_type, self.max_decoding_length)


def _usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def thread_layout(options: EngineOptions, cores: int | None = None) -> tuple[int, int]:
    """CTranslate2's ``(inter_threads, intra_threads)`` for ``options`` on ``cores`` cores (default: this process's).

    >>> thread_layout(EngineOptions(), cores=2)
    (2, 1)
    >>> thread_layout(EngineOptions(threads=1), cores=8)
    (1, 1)
    >>> thread_layout(EngineOptions(threads=8, inter_threads=2), cores=8)
    (2, 4)
    """
    total = options.threads or (cores if cores is not None else _usable_cores())
    inter = min(options.inter_threads or total, total)
    return inter, max(1, total // inter)


def plan_batches(lengths: Sequence[int], options: EngineOptions) -> list[list[int]]:
    """Batches of positions in ``lengths`` (token counts): equal lengths only, longest first, each at most
    ``max_batch_size`` tokens (or sentences, for ``batch_type="examples"``).

    >>> plan_batches([3, 5, 3, 3, 5], EngineOptions(max_batch_size=6))
    [[1], [4], [0, 2], [3]]
    >>> plan_batches([3, 5, 3, 3, 5], EngineOptions(max_batch_size=2, batch_type="examples"))
    [[1, 4], [0, 2], [3]]
    """
    by_length: dict[int, list[int]] = {}
    for position, length in enumerate(lengths):
        by_length.setdefault(length, []).append(position)
    batches: list[list[int]] = []
    for length in sorted(by_length, reverse=True):
        cost = max(1, length) if options.batch_type == "tokens" else 1
        size = max(1, options.max_batch_size // cost)
        positions = by_length[length]
        batches.extend(positions[start : start + size] for start in range(0, len(positions), size))
    return batches


@dataclass
class _Loaded:
    """A package loaded for translation."""

    identity: str
    translator: Any  # ctranslate2.Translator
    tokenizer: Any  # sentencepiece.SentencePieceProcessor
    target_prefix: str
    #: The model's unknown-word piece (``unk_token`` of CTranslate2's ``config.json``).
    unknown: str = "<unk>"


def _unknown_token(model_path: Path) -> str:
    try:
        config = json.loads((model_path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "<unk>"
    unknown = config.get("unk_token") if isinstance(config, dict) else None
    return unknown if isinstance(unknown, str) and unknown else "<unk>"


class Engine:
    """Translates sentences along a :class:`Route`; keeps loaded models for its lifetime."""

    def __init__(self, options: EngineOptions = EngineOptions()) -> None:
        self.options = options
        #: Loaded packages, keyed by the package's model path (``<package>/model``).
        self._cache: dict[Path, _Loaded] = {}

    def translate(self, sentences: Sequence[str], route: Route) -> list[str]:
        """Translate ``sentences``: one output per input, in order.

        Empty (or whitespace-only) inputs come back unchanged without reaching
        the model; all others go through one ``translate_batch`` call per
        route step.
        """
        outputs = list(sentences)
        pending = [i for i, sentence in enumerate(outputs) if sentence.strip()]
        for step in route.steps:
            if not pending:
                break
            translated = self._translate_step([outputs[i] for i in pending], step)
            for i, text in zip(pending, translated):
                outputs[i] = text
            # A pivot sentence the first model turned into nothing stays empty.
            pending = [i for i in pending if outputs[i].strip()]
        return outputs

    def _load(self, model: InstalledModel) -> _Loaded:
        model_path = model.path / "model"
        loaded = self._cache.get(model_path)
        if loaded is not None and loaded.identity == model.identity:
            return loaded
        import ctranslate2
        import sentencepiece

        compute_type = self.options.compute_type
        if compute_type not in ("default", "auto") and compute_type not in ctranslate2.get_supported_compute_types("cpu"):
            compute_type = "default"
        inter_threads, intra_threads = thread_layout(self.options)
        try:
            metadata = json.loads((model.path / "metadata.json").read_text(encoding="utf-8"))
            # One model in memory; its inter_threads replicas share the weights.
            translator = ctranslate2.Translator(
                str(model_path),
                device="cpu",
                compute_type=compute_type,
                inter_threads=inter_threads,
                intra_threads=intra_threads,
            )
            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
        except (OSError, ValueError, RuntimeError) as error:
            raise PressToolkitError(f"{model.path}: cannot load the {model.name} {model.version} model ({error})") from None
        prefix = metadata.get("target_prefix", "") if isinstance(metadata, dict) else ""
        loaded = _Loaded(identity=model.identity, translator=translator, tokenizer=tokenizer, target_prefix=str(prefix or ""),
                         unknown=_unknown_token(model_path))
        self._cache[model_path] = loaded
        return loaded

    def _translate_step(self, texts: list[str], model: InstalledModel) -> list[str]:
        loaded = self._load(model)
        tokens = loaded.tokenizer.encode(texts, out_type=str)
        # Every batch is queued at once; CTranslate2 runs inter_threads of them at a time.
        pending = [(batch, self._queue(loaded, [tokens[i] for i in batch], replace_unknowns=False))
                   for batch in plan_batches([len(pieces) for pieces in tokens], self.options)]
        hypotheses: list[list[str]] = [[] for _ in texts]
        for batch, results in pending:
            for i, result in zip(batch, results):
                hypotheses[i] = result.result().hypotheses[0]
        # An <unk> is replaced by a source piece the attention points at: alone, as Argos translates the sentence.
        again = [(i, self._queue(loaded, [tokens[i]], replace_unknowns=True)) for i, pieces in enumerate(hypotheses)
                 if loaded.unknown in pieces]
        for i, results in again:
            hypotheses[i] = results[0].result().hypotheses[0]
        return [self._decode(loaded, pieces) for pieces in hypotheses]

    def _queue(self, loaded: _Loaded, tokens: list[list[str]], *, replace_unknowns: bool) -> list[Any]:
        """Queue one batch (``asynchronous=True``); returns CTranslate2's async results."""
        prefix = [[loaded.target_prefix] for _ in tokens] if loaded.target_prefix else None
        return loaded.translator.translate_batch(  # type: ignore[no-any-return]
            tokens,
            target_prefix=prefix,
            max_batch_size=self.options.max_batch_size,
            batch_type=self.options.batch_type,
            beam_size=self.options.beam_size,
            num_hypotheses=1,
            length_penalty=0.2,
            max_decoding_length=self.options.max_decoding_length,
            replace_unknowns=replace_unknowns,
            asynchronous=True,
        )

    @staticmethod
    def _decode(loaded: _Loaded, pieces: list[str]) -> str:
        if loaded.target_prefix and pieces[:1] == [loaded.target_prefix]:
            pieces = pieces[1:]
        # Pieces copied from the source by replace_unknowns may keep their ▁.
        text = loaded.tokenizer.decode_pieces(pieces).replace("\u2581", " ")
        return text[1:] if text.startswith(" ") else text
