"""Language codes as the toolkit accepts them: whatever Babel knows.

>>> check_language("pt-BR")
'pt-BR'
>>> check_language("xx")
Traceback (most recent call last):
...
toolkit.errors.PressToolkitError: unknown language 'xx'; use a code such as de, en, fr or pt-BR
"""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale, UnknownLocaleError

from .errors import PressToolkitError

__all__ = ["check_language", "check_languages"]


def check_language(code: str) -> str:
    """``code`` unchanged if Babel knows it; else an error naming it."""
    try:
        Locale.parse(code, sep="-" if "-" in code else "_")
    except (UnknownLocaleError, ValueError, TypeError):
        raise PressToolkitError(f"unknown language {code!r}; use a code such as de, en, fr or pt-BR") from None
    return code


def check_languages(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes without blanks and repeats, each checked; at least one."""
    languages = tuple(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not languages:
        raise PressToolkitError("no language given")
    return tuple(check_language(code) for code in languages)
