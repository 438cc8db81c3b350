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

from .labels import N_context, N_plural

__all__ = ["CENTS", "CENTS_FRACTION", "PERCENTAGE_POINTS", "PERCENTAGE_POINTS_FRACTION"]

# Translators: a difference between two percentages, e.g. "2 percentage points".
PERCENTAGE_POINTS = N_plural("%(number)s percentage point", "%(number)s percentage points")

# Translators: the euro's minor unit (1/100 euro), e.g. "50 cents"; not a national currency's unit.
CENTS = N_plural("%(number)s cent", "%(number)s cents")

# gettext's plural rules take whole numbers, so a language whose fractions take a plural form
# no whole number takes needs a message of its own for them.
# Translators: a fractional number of percentage points ("1.5 percentage points"), used only where fractions
# take a plural form of their own that no whole number takes (Polish "1,5 punktu procentowego"); elsewhere give
# the form a fraction takes in your language.
PERCENTAGE_POINTS_FRACTION = N_context("fraction", "%(number)s percentage points")

# Translators: a fractional number of euro cents ("34.2 cents"), used as the message above.
CENTS_FRACTION = N_context("fraction", "%(number)s cents")
