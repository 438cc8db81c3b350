"""Stage 2 of a run: per language pair, the releases of one source language translated together (one model load, one batch)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import PressToolkitError
from ..localize.regional import same_language
from .options import Progress, RunOptions, Stage
from .outcome import ReleaseOutcome

if TYPE_CHECKING:
    from ..translate.pipeline import Translation, Translator

__all__ = ["translate_all", "translation_groups"]


def translation_groups(outcomes: list[ReleaseOutcome], options: RunOptions) -> dict[tuple[str, str], list[ReleaseOutcome]]:
    """The releases to translate, per (source, target) language pair (also used by :mod:`toolkit.cluster`)."""
    groups: dict[tuple[str, str], list[ReleaseOutcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.release is None or outcome.error is not None:
            continue
        for language in options.languages:
            # de → de-AT is a regional variant of the same text, not a translation.
            if not same_language(language, outcome.release.language):
                groups[(outcome.release.language, language)].append(outcome)
    return groups


def translate_all(
    outcomes: list[ReleaseOutcome], options: RunOptions, make_translator: Callable[[], Translator] | None, progress: Progress
) -> None:
    groups = translation_groups(outcomes, options)
    progress.start(Stage.TRANSLATE, sum(len(group) for group in groups.values()))
    if not groups:
        return
    from ..translate.setup import default_translator

    translator = (make_translator or default_translator)()
    for (source, target), group in groups.items():
        began = time.perf_counter()
        group = [outcome for outcome in group if outcome.error is None]
        try:
            translator.route(source, target)
        except PressToolkitError as error:
            # A missing model: nothing of these releases is written, as with a single build.
            for outcome in group:
                outcome.fail(error, Stage.TRANSLATE)
            progress.advance(Stage.TRANSLATE, len(group))
            continue
        progress.language(target, "translating")
        translations: list[Translation | None]
        try:
            translations = list(translator.translate_all([outcome.release for outcome in group if outcome.release], target))
        except PressToolkitError:
            # One release broke the shared batch: translate one by one to find it, keep the others.
            translations = [_translate_one(translator, outcome, target) for outcome in group]
        share = (time.perf_counter() - began) / max(len(group), 1)
        for outcome, translation in zip(group, translations):
            if translation is not None:
                outcome.translations[target] = translation
            outcome.seconds += share
        progress.advance(Stage.TRANSLATE, len(group))
        progress.language(target, "translated")


def _translate_one(translator: Translator, outcome: ReleaseOutcome, target: str) -> Translation | None:
    assert outcome.release is not None
    try:
        return translator.translate(outcome.release, target)
    except PressToolkitError as error:
        outcome.fail(error, Stage.TRANSLATE)
        return None
