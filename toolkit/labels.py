"""The fixed wording of rendered output ("Pressemitteilung", "Seite 1 von 2").

Labels are gettext messages with English msgids. Their catalogs live as
``locales/<lang>/LC_MESSAGES/messages.po``. Installing the package (a wheel or
``pip install -e .``) compiles each one to ``messages.mo`` beside it (see
``hatch_build.py``); this module loads that ``.mo`` the first time a language
asks for it. A catalog whose ``.mo`` is missing, or older than its ``.po``
(a catalog edited since the last install), is compiled in memory from the
``.po`` instead, and the ``toolkit.labels`` logger says so.

Labels always follow the release's language. A language without a catalog
gets the English labels and a :class:`MissingCatalogWarning`.

Dates and times in labels are formatted with Babel's CLDR data for the same
language (:func:`format_long_date`, :func:`format_short_time`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import warnings
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from .errors import RenderError
from .resources import locales_dir

__all__ = [
    "DOMAIN",
    "FALLBACK_LANGUAGE",
    "MissingCatalogWarning",
    "N_",
    "N_context",
    "N_plural",
    "babel_locale",
    "catalog_names",
    "format_long_date",
    "format_short_time",
    "translations_for",
]

DOMAIN = "messages"
FALLBACK_LANGUAGE = "en"

logger = logging.getLogger(__name__)

# A catalog folder name: a language subtag, optionally "_" and a region or
# script. Anything else (a path separator, "..") never reaches the file system.
_CATALOG_NAME = re.compile(r"[A-Za-z]{2,8}(?:_[A-Za-z0-9]{2,8})?")


class MissingCatalogWarning(UserWarning):
    """A release's language has no label catalog; English labels were used."""


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for ``pybabel extract`` without translating it here."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - a gettext marker
    """Mark a plural message for ``pybabel extract -k N_plural:1,2``; returns both forms.

    Translate later with ``translations.ngettext(*pair, n)``:

    >>> pair = N_plural("%(number)s cent", "%(number)s cents")
    >>> translations_for("en").ngettext(*pair, 2) % {"number": "2"}
    '2 cents'
    """
    return (singular, plural)


def N_context(context: str, message: str) -> tuple[str, str]:  # noqa: N802 - a gettext marker
    """Mark a message with a context for ``pybabel extract -k N_context:1c,2``; returns both.

    Translate later with ``translations.pgettext(*pair)``:

    >>> pair = N_context("fraction", "%(number)s cents")
    >>> translations_for("pl").pgettext(*pair) % {"number": "1,5"}
    '1,5 eurocenta'
    """
    return (context, message)


def catalog_names(language: str) -> tuple[str, ...]:
    """Catalog folder names to try for a BCP 47 tag, most specific first.

    >>> catalog_names("pt-BR")
    ('pt_BR', 'pt')
    >>> catalog_names("de")
    ('de',)
    >>> catalog_names("../etc")
    ()
    """
    subtags = language.strip().replace("_", "-").split("-")
    candidates = []
    if len(subtags) > 1:
        candidates.append(f"{subtags[0].lower()}_{subtags[1]}")
    candidates.append(subtags[0].lower())
    return tuple(name for name in candidates if _CATALOG_NAME.fullmatch(name))


def _compile_po(po_path: Path, name: str) -> Translations:
    """The catalog ``name`` at ``po_path``, compiled in memory as its ``.mo`` would be."""
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=name, domain=DOMAIN)
    mo_buffer = BytesIO()
    # Fuzzy entries are unreviewed guesses: the English msgid reads better than a wrong label.
    write_mo(mo_buffer, catalog, use_fuzzy=False)
    mo_buffer.seek(0)
    return Translations(mo_buffer, domain=DOMAIN)


@functools.lru_cache(maxsize=None)
def _compiled_catalog(name: str) -> Translations | None:
    """The catalog ``locales/<name>/LC_MESSAGES/messages`` (``.mo``, else ``.po``), or None."""
    folder = locales_dir() / name / "LC_MESSAGES"
    po_path = folder / f"{DOMAIN}.po"
    mo_path = folder / f"{DOMAIN}.mo"
    po_mtime = po_path.stat().st_mtime if po_path.is_file() else None
    if mo_path.is_file() and (po_mtime is None or mo_path.stat().st_mtime >= po_mtime):
        with mo_path.open("rb") as mo_file:
            return Translations(mo_file, domain=DOMAIN)
    if po_mtime is None:
        return None
    if mo_path.is_file():
        logger.warning(
            "label catalog %s is newer than its compiled %s; compiled it in memory "
            "(reinstall, e.g. `pip install -e .`, to update the .mo)",
            po_path,
            mo_path.name,
        )
    else:
        logger.info("label catalog %s has no compiled %s; compiled it in memory", po_path, mo_path.name)
    return _compile_po(po_path, name)


def translations_for(language: str) -> Translations:
    """The label translations for a release in ``language`` (a BCP 47 tag).

    Catalogs are loaded once per process. A language without a catalog
    falls back to English and warns on every call, so each affected render
    reports it.
    """
    for name in catalog_names(language):
        translations = _compiled_catalog(name)
        if translations is not None:
            return translations
    warnings.warn(
        f"no label catalog for language {language!r}; using English labels",
        MissingCatalogWarning,
        stacklevel=2,
    )
    fallback = _compiled_catalog(FALLBACK_LANGUAGE)
    if fallback is None:
        raise RenderError(f"the {FALLBACK_LANGUAGE} label catalog is missing from {locales_dir()}")
    return fallback


@functools.lru_cache(maxsize=64)
def babel_locale(language: str) -> Locale:
    """The CLDR locale for a BCP 47 tag; English when Babel does not know the language.

    >>> str(babel_locale("pt-BR")), str(babel_locale("de")), str(babel_locale("xx"))
    ('pt_BR', 'de', 'en')
    """
    for candidate in (language, language.split("-")[0]):
        try:
            return Locale.parse(candidate.replace("_", "-"), sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return Locale.parse(FALLBACK_LANGUAGE)


def format_long_date(date: dt.date, language: str) -> str:
    """A date as a dateline writes it.

    >>> format_long_date(dt.date(2024, 4, 19), "de")
    '19. April 2024'
    """
    return format_date(date, format="long", locale=babel_locale(language))


def format_short_time(time: dt.time, language: str) -> str:
    """A clock time without seconds.

    >>> format_short_time(dt.time(10, 0), "de")
    '10:00'
    """
    return format_time(time, format="short", locale=babel_locale(language))
