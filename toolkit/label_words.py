"""Label words that code, not a template, puts into a release's text.

Each is a plural pair, marked with :func:`~toolkit.labels.N_plural` so that
``pybabel extract -k N_plural:1,2`` writes it to ``locales/messages.pot`` as a
plural message. Translate one with the release language's catalog:

>>> from toolkit.labels import translations_for
>>> translations_for("de").ngettext(*PERCENTAGE_POINTS, 2) % {"number": "2,5"}
'2,5 Prozentpunkte'
>>> translations_for("pl").ngettext(*CENTS, 5) % {"number": "5"}
'5 eurocentów'

``n`` picks the plural form by the language's integer rule (an ``int``);
``number`` is the number as the release prints it.
"""

from __future__ import annotations

from .labels import N_plural

__all__ = ["CENTS", "PERCENTAGE_POINTS"]

# Translators: a difference between two percentages, e.g. "2 percentage points".
PERCENTAGE_POINTS = N_plural("%(number)s percentage point", "%(number)s percentage points")

# Translators: the euro's minor unit (1/100 euro), e.g. "50 cents"; not a national currency's unit.
CENTS = N_plural("%(number)s cent", "%(number)s cents")
