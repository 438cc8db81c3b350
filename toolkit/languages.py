"""Language codes as the toolkit accepts them: whatever Babel knows, written one way.

A code is normalized once (case, ``_`` or ``-``, three-letter codes) into
the tag form output files are named by, so ``EN``, ``en`` and ``eng`` are one
language and no code can name a path.

>>> check_language("pt-BR"), check_language("EN"), check_language("en_gb"), check_language("deu")
('pt-BR', 'en', 'en-GB', 'de')
>>> check_language("Deutsch")
Traceback (most recent call last):
...
toolkit.errors.PressToolkitError: unknown language 'Deutsch'; did you mean de?
>>> check_language("xx")
Traceback (most recent call last):
...
toolkit.errors.PressToolkitError: unknown language 'xx'; use a code such as de, en, fr or pt-BR
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

from babel import Locale, UnknownLocaleError

from .errors import PressToolkitError
from .model import LANGUAGE_TAG

_ROUGH_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}")

__all__ = ["check_language", "check_languages"]


def check_language(code: str) -> str:
    """``code`` as a tag (``de``, ``pt-BR``) if Babel knows it; else an error naming it, with a suggestion."""
    cleaned = code.strip().replace("_", "-")
    if not _ROUGH_TAG.fullmatch(cleaned):
        raise PressToolkitError(_unknown(code))
    try:
        locale = Locale.parse(cleaned, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise PressToolkitError(_unknown(code)) from None
    subtags = cleaned.split("-")[1:]
    # Babel fills in a likely region ("deu" → de_DE); the tag keeps only what was written.
    script = locale.script if locale.script and any(len(part) == 4 for part in subtags) else None
    region = locale.territory if locale.territory and any(len(part) in (2, 3) for part in subtags) else None
    tag = "-".join(part for part in (locale.language, script, region) if part)
    if not LANGUAGE_TAG.fullmatch(tag):
        raise PressToolkitError(_unknown(code))
    return tag


#: Tags a press office is likeliest to mean, tried first for a suggestion.
_COMMON = ("de", "de-AT", "de-CH", "en", "en-GB", "en-US", "fr", "fr-CH", "es", "it", "nl", "pl", "pt", "pt-BR", "ar", "tr",
           "ru", "uk", "zh", "ja", "cs", "da", "sv", "fi", "el", "hu", "ro", "bg", "hr", "sk", "sl", "lt", "lv", "et")


def _unknown(code: str) -> str:
    message = f"unknown language {code[:40]!r}"
    suggestion = _suggestion(code.strip())
    return f"{message}; did you mean {suggestion}?" if suggestion else f"{message}; use a code such as de, en, fr or pt-BR"


def _suggestion(code: str) -> str | None:
    """A likely meant tag: by language name ("German", "Deutsch"), else the closest common tag ("de-DE " → de-DE)."""
    names = _language_names()
    if code.lower() in names:
        return names[code.lower()]
    close = difflib.get_close_matches(code.replace("_", "-"), _COMMON, n=1, cutoff=0.6)
    return close[0] if close else None


@functools.lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Language names in English and German, lower case, to their tags: "german" and "deutsch" → "de"."""
    names: dict[str, str] = {}
    for display in ("en", "de"):
        for tag, name in Locale.parse(display).languages.items():
            if tag in _COMMON:
                names.setdefault(name.lower(), tag)
    return names


def check_languages(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes without blanks and repeats, each checked; at least one."""
    languages = tuple(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not languages:
        raise PressToolkitError("no language given")
    return tuple(check_language(code) for code in languages)
