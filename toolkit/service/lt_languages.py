"""Which languages the LibreTranslate endpoints offer, their names, and language detection.

A pair is offered when the engine has a route for it (:func:`toolkit.
translate.packages.find_route`: one package, or two through English) and the
target is one of ``service.languages``. Detection uses py3langid (its own
bundled model, offline), restricted to the languages offered, and answers as
LibreTranslate does: up to three ``{"confidence": 0–100, "language": code}``.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import PressToolkitError
from ..translate.packages import find_route
from ..translate.routes import InstalledModel

__all__ = ["LanguageTable", "detect", "language_name", "language_table"]

#: What LibreTranslate answers when it cannot tell: English with no confidence.
UNKNOWN = {"confidence": 0.0, "language": "en"}


@dataclass(frozen=True)
class LanguageTable:
    """Every language offered, with the languages it can be translated into (possibly none)."""

    targets: Mapping[str, tuple[str, ...]]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.targets)

    def knows(self, code: str) -> bool:
        return code in self.targets

    def translates(self, source: str, target: str) -> bool:
        return target in self.targets.get(source, ())


def language_table(models: Sequence[InstalledModel], offered: Collection[str]) -> LanguageTable:
    """The routes among the installed ``models`` whose target is ``offered``.

    >>> from pathlib import Path
    >>> def model(s, t): return InstalledModel(source=s, target=t, name=f"translate-{s}_{t}", version="1", path=Path(), identity="")
    >>> language_table([model("de", "en"), model("en", "fr")], ["de", "en", "fr"]).targets
    {'de': ('en', 'fr'), 'en': ('fr',), 'fr': ()}
    """
    languages = sorted({model.source for model in models} | {model.target for model in models})
    routes = {source: tuple(t for t in languages if t in offered and _has_route(source, t, models)) for source in languages}
    reachable = {target for targets in routes.values() for target in targets}
    return LanguageTable({code: targets for code, targets in routes.items() if targets or code in reachable})


def _has_route(source: str, target: str, models: Sequence[InstalledModel]) -> bool:
    if source == target:
        return False
    try:
        find_route(source, target, models)
    except PressToolkitError:
        return False
    return True


def language_name(code: str) -> str:
    """The language's English name, as LibreTranslate gives it ("German"); the code when CLDR has none.

    >>> language_name("de"), language_name("pt-BR"), language_name("xx")
    ('German', 'Brazilian Portuguese', 'xx')
    """
    from babel import Locale

    names = Locale("en").languages
    tag = code.replace("-", "_")
    return str(names.get(tag) or names.get(tag.split("_")[0]) or code)


def detect(text: str, candidates: Iterable[str]) -> list[dict[str, Any]]:
    """The three likeliest of ``candidates`` for ``text``, most likely first, confidence in percent."""
    labels = _labels()
    by_base: dict[str, str] = {}
    for code in candidates:
        by_base.setdefault(code.split("-")[0].lower(), code)
    known = frozenset(base for base in by_base if base in labels)
    if not known or not any(char.isalpha() for char in text):
        return [dict(UNKNOWN)]
    ranked = [(base, round(float(probability) * 100, 1)) for base, probability in _identifier(known).rank(text)[:3]]
    # Like LibreTranslate's detector, list only languages with some confidence (the first always).
    return [{"confidence": confidence, "language": by_base[base]} for number, (base, confidence) in enumerate(ranked)
            if confidence > 0 or number == 0]


@functools.cache
def _identifier(languages: frozenset[str] | None) -> Any:
    """py3langid's identifier with probabilities, over ``languages`` (None: all it knows); built once per set."""
    from py3langid import langid

    if hasattr(langid.LanguageIdentifier, "from_model_file"):  # py3langid 0.4
        identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    else:  # py3langid 0.3
        identifier = langid.LanguageIdentifier.from_pickled_model(langid.MODEL_FILE, norm_probs=True)
    if languages is not None:
        identifier.set_languages(sorted(languages))
    return identifier


@functools.cache
def _labels() -> frozenset[str]:
    return frozenset(_identifier(None).nb_classes)
