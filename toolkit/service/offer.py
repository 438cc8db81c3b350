"""Which of the configured languages the service can build now: those with an installed route from the release language.

``service.languages`` says what an office wants to offer; the installed Argos
models say what can be built. A language is offered when
:func:`toolkit.translate.packages.find_route` finds a route to it from the
release language (one package, or two through English: with de→en and en→fr
installed, de, en and fr are offered), or when it is the release language
itself (or a regional variant of it). The models are listed again at every
call (a few small ``metadata.json`` files; model digests are cached), so a
model installed while the service runs is offered on the next page load, as
the worker processes use it for the next job.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PressToolkitError
from ..localize.regional import same_language
from ..translate.packages import (
    NoRouteError,
    PackageWarning,
    find_route,
    installed_models,
)
from ..translate.routes import InstalledModel

__all__ = ["RELEASE_LANGUAGE", "LanguageOffer", "current_offer", "language_offer"]

#: The language the service's releases are written in: what the readers assume (a German press office's releases).
#: A release in another language (its front matter or JSON says so) is still built; each language then fails or
#: succeeds on its own in the worker.
RELEASE_LANGUAGE = "de"


@dataclass(frozen=True)
class LanguageOffer:
    """The configured languages split into those that can be built now and those that cannot."""

    #: Configured languages with a route from the release language, in the configuration's order.
    offered: tuple[str, ...]
    #: Configured languages without one: the Argos packages missing (``translate-en_es``), by language.
    missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = RELEASE_LANGUAGE


def language_offer(configured: Sequence[str], models: Sequence[InstalledModel], *, source: str = RELEASE_LANGUAGE) -> LanguageOffer:
    """Split ``configured`` by whether ``models`` translate ``source`` into each.

    >>> def model(s, t): return InstalledModel(source=s, target=t, name=f"translate-{s}_{t}", version="1", path=Path(), identity="")
    >>> offer = language_offer(["de", "en", "fr", "es", "de-AT"], [model("de", "en"), model("en", "fr")])
    >>> offer.offered, dict(offer.missing)
    (('de', 'en', 'fr', 'de-AT'), {'es': ('translate-en_es',)})
    """
    offered: list[str] = []
    missing: dict[str, tuple[str, ...]] = {}
    for language in configured:
        if same_language(language, source):
            offered.append(language)
            continue
        try:
            find_route(source, language, models)
        except NoRouteError as error:
            missing[language] = error.missing
        except PressToolkitError:
            missing[language] = ()
        else:
            offered.append(language)
    return LanguageOffer(offered=tuple(offered), missing=missing, source=source)


def current_offer(configured: Sequence[str], models_folder: Path | None) -> LanguageOffer:
    """:func:`language_offer` over the models installed now (``translation.models``, else Argos's folder)."""
    with warnings.catch_warnings():
        # A stray folder among the packages is said when a job uses the models, not at every page load.
        warnings.simplefilter("ignore", PackageWarning)
        models = installed_models(models_folder)
    return language_offer(configured, models)
