"""Language codes as the toolkit accepts them: whatever Babel knows, written one way.

A code is normalized once (case, ``_`` or ``-``, three-letter codes) into
the tag form output files are named by, so ``EN``, ``en`` and ``eng`` are one
language and no code can name a path.

>>> check_language("pt-BR"), check_language("EN"), check_language("en_gb"), check_language("deu")
('pt-BR', 'en', 'en-GB', 'de')
>>> check_language("xx")
Traceback (most recent call last):
...
toolkit.errors.PressToolkitError: unknown language 'xx'; use a code such as de, en, fr or pt-BR
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from babel import Locale, UnknownLocaleError

from .errors import PressToolkitError
from .model import LANGUAGE_TAG

_ROUGH_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}")

__all__ = ["check_language", "check_languages"]


def check_language(code: str) -> str:
    """``code`` as a tag (``de``, ``pt-BR``) if Babel knows it; else an error naming it."""
    cleaned = code.strip().replace("_", "-")
    if not _ROUGH_TAG.fullmatch(cleaned):
        raise PressToolkitError(f"unknown language {code[:40]!r}; use a code such as de, en, fr or pt-BR")
    try:
        locale = Locale.parse(cleaned, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise PressToolkitError(f"unknown language {code[:40]!r}; use a code such as de, en, fr or pt-BR") from None
    subtags = cleaned.split("-")[1:]
    # Babel fills in a likely region ("deu" → de_DE); the tag keeps only what was written.
    script = locale.script if locale.script and any(len(part) == 4 for part in subtags) else None
    region = locale.territory if locale.territory and any(len(part) in (2, 3) for part in subtags) else None
    tag = "-".join(part for part in (locale.language, script, region) if part)
    if not LANGUAGE_TAG.fullmatch(tag):
        raise PressToolkitError(f"unknown language {code[:40]!r}; use a code such as de, en, fr or pt-BR")
    return tag


def check_languages(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes without blanks and repeats, each checked; at least one."""
    languages = tuple(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not languages:
        raise PressToolkitError("no language given")
    return tuple(check_language(code) for code in languages)
