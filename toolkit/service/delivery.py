"""Each language of a job delivered on its own: one that cannot be translated or typeset never takes the others down.

:func:`toolkit.builder.build` fails a release as a whole when one of its
languages fails (right for the CLI: a run either delivers or says why). A
press office waiting for English and French wants the English sheet even
when the French model is broken. So the worker first translates each target
language alone (:func:`translate_each`): a language without a model, or whose
model fails, is recorded as failed with its reason and left out. It then
builds the remaining languages together, with a :class:`DeliveringTranslator`
that hands ``build`` the translations already made (the models run once per
language). Should typesetting fail, :func:`build_each` tries every language
alone to find which one cannot be typeset, then builds the others together
again, so the job folder's manifest and the web pages' language links list
exactly what was delivered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..builder import BuildResult
from ..errors import PressToolkitError
from ..model import Release
from ..translate.packages import NoRouteError
from ..translate.pipeline import Translation, Translator
from ..translate.routes import Route
from .progress import ReportingTranslator
from .store import LanguageProblem, LanguageState

__all__ = ["DeliveringTranslator", "LanguageFailure", "build_each", "no_model_error", "translate_each"]

logger = logging.getLogger(__name__)

#: Longest reason kept from an error's own message.
_MAX_REASON = 300


@dataclass(frozen=True)
class LanguageFailure:
    """Why one language was not delivered: the kind (worded for the office by the web page) and one line for the API."""

    problem: LanguageProblem
    error: str


class DeliveringTranslator(ReportingTranslator):
    """A :class:`ReportingTranslator` that keeps each language's translations and hands them out again.

    ``build`` reads the release again and asks for its translations; it gets
    those :func:`translate_each` made when the release is the same one
    (otherwise, or for a language not translated yet, it translates).
    """

    def __init__(self, inner: Translator, report: Callable[[str, LanguageState], None]) -> None:
        super().__init__(inner, report)
        self._made: dict[str, tuple[list[Release], list[Translation]]] = {}

    def route(self, source: str, target: str) -> Route:
        made = self._made.get(target)
        if made is not None and made[1] and made[1][0].route.source == source.split("-")[0].lower():
            return made[1][0].route  # the route the translations were made with, even if its model is gone since
        return super().route(source, target)

    def translate_all(self, releases: Sequence[Release], target: str) -> list[Translation]:
        made = self._made.get(target)
        if made is not None and made[0] == list(releases):
            return list(made[1])
        translations = super().translate_all(releases, target)
        self._made[target] = (list(releases), list(translations))
        return translations


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= _MAX_REASON else line[: _MAX_REASON - 1] + "…"


def no_model_error(source: str, target: str, missing: Sequence[str]) -> str:
    """The API's one line for a language without a model (package names; no commands, no paths).

    >>> no_model_error("de", "es", ["translate-en_es"])
    "no installed translation model translates de→es (missing: translate-en_es); ask the service's administrator to install it"
    """
    packages = f" (missing: {', '.join(missing)})" if missing else ""
    return f"no installed translation model translates {source}→{target}{packages}; ask the service's administrator to install it"


def translate_each(
    translator: DeliveringTranslator, release: Release, targets: Sequence[str], *, job_id: str
) -> dict[str, LanguageFailure]:
    """Translate ``release`` into each of ``targets`` on its own; the languages that failed, and why.

    The error's own text goes to the service's log only: a model's error
    names files on the server, which a client has no business seeing.
    """
    failed: dict[str, LanguageFailure] = {}
    for target in targets:
        try:
            translator.translate_all([release], target)
        except NoRouteError as error:
            failed[target] = LanguageFailure("no_model", no_model_error(release.language, target, error.missing))
        except Exception as error:
            if isinstance(error, PressToolkitError):
                logger.error("job %s: cannot translate into %s: %s", job_id, target, error)
            else:
                logger.exception("job %s: cannot translate into %s", job_id, target)
            failed[target] = LanguageFailure(
                "model_failed",
                f"the {release.language}→{target} translation model could not be used (it may be damaged; the service's "
                "log has the details); ask the service's administrator to reinstall it",
            )
    return failed


def build_each(
    languages: Sequence[str],
    build_languages: Callable[[Sequence[str]], BuildResult],
    *,
    job_id: str,
    public: Callable[[str], str],
) -> tuple[BuildResult, dict[str, LanguageFailure]]:
    """Build ``languages`` together; if that fails, find the languages that cannot be typeset and build the others.

    ``public`` turns an error message into one without the server's paths.
    Raises the first error when no language can be built.
    """
    try:
        return build_languages(languages), {}
    except Exception as error:
        if len(languages) <= 1:
            raise
        first = error
    logger.warning("job %s: building %s together failed (%s); trying each language alone", job_id, ", ".join(languages),
                   _first_line(str(first)))
    failed: dict[str, LanguageFailure] = {}
    for language in languages:
        try:
            build_languages([language])
        except Exception as error:
            if not isinstance(error, PressToolkitError):
                logger.exception("job %s: cannot build %s", job_id, language)
            reason = _first_line(public(str(error))) if isinstance(error, PressToolkitError) else "internal error"
            failed[language] = LanguageFailure("render_failed", f"the {language} files could not be typeset: {reason}")
    delivered = [language for language in languages if language not in failed]
    if not delivered:
        raise first
    return build_languages(delivered), failed
