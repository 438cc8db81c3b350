"""Locale lookup shared by the localize modules.

Every formatter takes ``locale=`` as a BCP 47 tag ("en", "pt-BR"), a
Babel/POSIX identifier ("pt_BR") or a :class:`babel.Locale`. A locale Babel
has no CLDR data for is an error, never a silent fallback: a release
rendered for "xx" in English would look correct and be wrong.
"""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError

from ..errors import PressToolkitError

__all__ = ["LocaleArg", "UnsupportedLocaleError", "get_locale"]

LocaleArg = str | Locale
"""What a ``locale=`` argument accepts."""


class UnsupportedLocaleError(PressToolkitError, ValueError):
    """Babel knows no locale by this name (or the name is not a locale tag).

    It is a :class:`ValueError` (a bad argument) and a toolkit error, so the
    command line reports it in one line.

    >>> str(UnsupportedLocaleError("xx"))
    "unsupported locale 'xx': Babel has no CLDR data for it"
    """

    def __init__(self, locale: str) -> None:
        self.locale = locale
        super().__init__(f"unsupported locale {locale!r}: Babel has no CLDR data for it")


def get_locale(locale: LocaleArg) -> Locale:
    """The Babel locale for ``locale``; "pt-BR" and "pt_BR" are the same.

    >>> get_locale("pt-BR"), get_locale("pt_BR"), get_locale("de")
    (Locale('pt', territory='BR'), Locale('pt', territory='BR'), Locale('de'))
    >>> get_locale("xx")
    Traceback (most recent call last):
    ...
    toolkit.localize.core.UnsupportedLocaleError: unsupported locale 'xx': Babel has no CLDR data for it
    """
    if isinstance(locale, Locale):
        return locale
    return _parse(locale)


@functools.lru_cache(maxsize=64)
def _parse(tag: str) -> Locale:
    try:
        # Babel's own separator is "_"; BCP 47 uses "-". Accept both.
        return Locale.parse(tag.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as error:
        # ValueError: a malformed tag ("en-", ""), which is just as unusable.
        raise UnsupportedLocaleError(tag) from error
