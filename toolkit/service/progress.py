"""A translator that says which language it is translating, for a job's progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Release
from ..translate.pipeline import Translation, Translator
from .store import LanguageState

__all__ = ["ReportingTranslator"]


class ReportingTranslator(Translator):
    """Shares another translator's engine (its loaded models), memory and glossaries; reports each target language.

    Made per job around the worker's long-lived translator, so the report
    goes to that job while the models stay loaded.
    """

    def __init__(self, inner: Translator, report: Callable[[str, LanguageState], None]) -> None:
        super().__init__(
            engine=inner.engine,
            memory=inner.memory,
            glossaries=inner.glossaries.values(),
            models=inner.models,
            do_not_translate=inner.do_not_translate,
        )
        self._report = report

    def translate_all(self, releases: Sequence[Release], target: str) -> list[Translation]:
        self._report(target, "translating")
        translations = super().translate_all(releases, target)
        self._report(target, "translated")
        return translations
