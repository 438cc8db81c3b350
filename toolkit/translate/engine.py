"""Machine translation with installed Argos packages, run with CTranslate2 and SentencePiece directly.

:func:`argostranslate.translate.translate` splits every paragraph into
sentences with a model it downloads on first use, and calls the model once per
paragraph. The toolkit segments text itself (:mod:`toolkit.translate.segment`),
so the :class:`Engine` takes the sentences of a whole batch of releases and
sends them to CTranslate2 in one ``translate_batch`` call per route step. It
mirrors how Argos calls the model (``argostranslate.translate.
apply_packaged_translation``): SentencePiece pieces in (``out_type=str``), the
package's ``target_prefix`` if its metadata has one, ``replace_unknowns=True``,
``length_penalty=0.2``, pieces decoded with the package's SentencePiece model
and a leading space removed. It never opens a network connection.

Deliberate differences from Argos: beam size 2 instead of 4 (Argos's
``ARGOS_BEAM_SIZE``; :class:`EngineOptions`), ``max_batch_size`` counts
sentences (Argos passes ``batch_type="tokens"`` with 32, which makes every
sentence its own batch), int8 weights by default, and underscores in the output
are kept (Argos turns every ``_`` into a space).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PressToolkitError
from .packages import InstalledModel, NoRouteError, installed_models, latest_by_pair

__all__ = ["Engine", "EngineOptions", "PIVOT_LANGUAGE", "Route", "find_route"]

#: Argos's packages translate between other languages through English.
PIVOT_LANGUAGE = "en"


@dataclass(frozen=True, kw_only=True)
class Route:
    """How to get from ``source`` to ``target``: one package, or two through English."""

    source: str
    target: str
    steps: tuple[InstalledModel, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a route needs at least one step")
        if self.steps[0].source != self.source or self.steps[-1].target != self.target:
            raise ValueError(f"the steps of a route do not lead from {self.source} to {self.target}")
        for first, second in zip(self.steps, self.steps[1:]):
            if first.target != second.source:
                raise ValueError(f"route steps {first.name} and {second.name} do not connect")

    @property
    def pivot(self) -> str | None:
        """The language in between (``"en"``) when the route has two steps."""
        return self.steps[0].target if len(self.steps) > 1 else None

    @property
    def identity(self) -> str:
        """The identities of the steps, joined with ``+``: the model key of the translation memory."""
        return "+".join(step.identity for step in self.steps)

    def describe(self) -> str:
        """``de→en direct (translate-de_en 1.0)`` or ``de→fr via en (translate-de_en 1.0, translate-en_fr 1.0)``."""
        packages = ", ".join(f"{step.name} {step.version}" for step in self.steps)
        how = f"via {self.pivot}" if self.pivot else "direct"
        return f"{self.source}→{self.target} {how} ({packages})"


def find_route(source: str, target: str, models: Sequence[InstalledModel] | None = None) -> Route:
    """The route from ``source`` to ``target`` over ``models`` (default: :func:`installed_models`).

    A direct package if one is installed, else two through English; of several
    versions of a package the highest is used. Raises
    :class:`~toolkit.translate.packages.NoRouteError` naming the package(s) to
    install, and :class:`PressToolkitError` when source and target are the same.
    """
    # A model translates languages, not regions: en-GB and en share the en model (the region's conventions apply later).
    source, target = source.strip().lower().split("-")[0], target.strip().lower().split("-")[0]
    if source == target:
        raise PressToolkitError(f"source and target language are both {source!r}: nothing to translate")
    available = latest_by_pair(installed_models() if models is None else models)
    direct = available.get((source, target))
    if direct is not None:
        return Route(source=source, target=target, steps=(direct,))
    pivot = PIVOT_LANGUAGE
    installed = [f"{s}→{t}" for s, t in sorted(available)]
    if pivot in (source, target):
        raise NoRouteError(source, target, [(source, target)], installed=installed)
    first, second = available.get((source, pivot)), available.get((pivot, target))
    if first is not None and second is not None:
        return Route(source=source, target=target, steps=(first, second))
    missing = [pair for pair, model in (((source, pivot), first), ((pivot, target), second)) if model is None]
    raise NoRouteError(source, target, missing, installed=installed)


@dataclass(frozen=True, kw_only=True)
class EngineOptions:
    """How CTranslate2 runs the models."""

    beam_size: int = 2
    #: CTranslate2 compute type; ``int8`` on a CPU without int8 support falls back to ``default``.
    compute_type: str = "int8"
    #: Threads per translation (CTranslate2 ``intra_threads``); 0 = CTranslate2's default (all cores).
    threads: int = 0
    max_decoding_length: int = 256
    #: Sentences per batch inside the one ``translate_batch`` call (CTranslate2 batches internally).
    max_batch_size: int = 32


@dataclass
class _Loaded:
    """A package loaded for translation."""

    identity: str
    translator: Any  # ctranslate2.Translator
    tokenizer: Any  # sentencepiece.SentencePieceProcessor
    target_prefix: str


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
        try:
            metadata = json.loads((model.path / "metadata.json").read_text(encoding="utf-8"))
            translator = ctranslate2.Translator(
                str(model_path),
                device="cpu",
                compute_type=compute_type,
                inter_threads=1,
                intra_threads=self.options.threads,
            )
            tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(model.path / "sentencepiece.model"))
        except (OSError, ValueError, RuntimeError) as error:
            raise PressToolkitError(f"{model.path}: cannot load the {model.name} {model.version} model ({error})") from None
        prefix = metadata.get("target_prefix", "") if isinstance(metadata, dict) else ""
        loaded = _Loaded(identity=model.identity, translator=translator, tokenizer=tokenizer, target_prefix=str(prefix or ""))
        self._cache[model_path] = loaded
        return loaded

    def _translate_step(self, texts: list[str], model: InstalledModel) -> list[str]:
        loaded = self._load(model)
        tokens = loaded.tokenizer.encode(texts, out_type=str)
        prefix = [[loaded.target_prefix] for _ in texts] if loaded.target_prefix else None
        results = loaded.translator.translate_batch(
            tokens,
            target_prefix=prefix,
            max_batch_size=self.options.max_batch_size,
            beam_size=self.options.beam_size,
            num_hypotheses=1,
            length_penalty=0.2,
            max_decoding_length=self.options.max_decoding_length,
            replace_unknowns=True,
        )
        return [self._decode(loaded, result.hypotheses[0]) for result in results]

    @staticmethod
    def _decode(loaded: _Loaded, pieces: list[str]) -> str:
        if loaded.target_prefix and pieces[:1] == [loaded.target_prefix]:
            pieces = pieces[1:]
        # Pieces copied from the source by replace_unknowns may keep their ▁.
        text = loaded.tokenizer.decode_pieces(pieces).replace("\u2581", " ")
        return text[1:] if text.startswith(" ") else text
