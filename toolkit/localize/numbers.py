r"""Numbers, percentages and amounts of money, with the decimals as written.

A source's "1.250,50" has two decimals on purpose, so the rendering keeps
them: "1,250.50", not Babel's default "1,250.5". Babel drops trailing zeros
even with ``decimal_quantization=False``; this module instead formats with
the locale's CLDR pattern whose fraction precision is set to the decimals
written (:func:`_with_fraction_digits`).

Words (percentage points, cents) come from the label catalogs
(:mod:`toolkit.label_words`), numbers and currency names from CLDR.

>>> from decimal import Decimal
>>> format_number_fact(NumberFact(value=Decimal("1250.50")), locale="fr")
'1\u202f250,50'
>>> format_amount(AmountFact(value=Decimal("3.2"), currency="EUR", scale=9), locale="fr")
'3,2\xa0milliards\xa0d’euros'
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.numbers import NumberPattern, get_currency_name, get_currency_precision

from ..label_words import CENTS, CENTS_FRACTION, PERCENTAGE_POINTS, PERCENTAGE_POINTS_FRACTION
from ..labels import translations_for
from ..values import AmountFact, NumberFact, PercentFact
from .core import LocaleArg, get_locale
from .typography import for_print

__all__ = ["SCALED_AMOUNT_CONVENTIONS", "ScaledAmountConvention", "format_amount", "format_number_fact", "format_percent_fact"]


@dataclass(frozen=True, kw_only=True)
class ScaledAmountConvention:
    """How a language writes an amount with a scale word ("3.2 billion").

    ``template`` joins ``{number}`` (the number with its scale word, from
    CLDR's long compact format), ``{code}`` (ISO 4217) and ``{name}`` (the
    CLDR currency name, plural form for the amount). ``preposition`` goes
    before the name after a scale word that is a noun (million and up,
    "3,2 milliards d'euros"), but not after a numeral ("500 mille euros");
    ``elides`` turns it into "d'" before a vowel.
    """

    template: str
    preposition: str | None = None
    elides: bool = False


SCALED_AMOUNT_CONVENTIONS: dict[str, ScaledAmountConvention] = {
    # Financial English writes the ISO code first ("EUR 3.2 billion"): it is
    # unambiguous where "$" is not, and CLDR has no long compact currency form.
    "en": ScaledAmountConvention(template="{code} {number}"),
    # The other languages name the currency after the scale word, as their
    # press writes it: "3,2 Milliarden Euro", "3,2 milliards d'euros",
    # "3,2 mil millones de euros", "3,2 miliardi di euro", "3,2 miljard
    # euro", "3,2 miliarda euro".
    "de": ScaledAmountConvention(template="{number} {name}"),
    "fr": ScaledAmountConvention(template="{number} {name}", preposition="de", elides=True),
    "es": ScaledAmountConvention(template="{number} {name}", preposition="de"),
    "it": ScaledAmountConvention(template="{number} {name}", preposition="di"),
    "nl": ScaledAmountConvention(template="{number} {name}"),
    "pl": ScaledAmountConvention(template="{number} {name}"),
}
"""Per language, how an amount with a scale word is written.

Babel's compact currency format has only a short form ("€3.2B",
"3,2 Mrd. €"), which abbreviates what a press text spells out, and
``format_compact_currency(..., format_type="long")`` raises. So the long
form is built here from CLDR pieces that do exist, the long compact number
("3,2 Milliarden") and the currency name ("Euro"), joined by one convention
per language. A language not in this table gets the neutral
"<number> <ISO code>" (:data:`DEFAULT_SCALED_AMOUNT_CONVENTION`), which is
correct everywhere if not idiomatic.
"""

DEFAULT_SCALED_AMOUNT_CONVENTION = ScaledAmountConvention(template="{number} {code}")

_VOWELS = frozenset("aeiouàâäéèêëîïôöùûü")
# The smallest scale whose word is a noun taking a preposition: million.
_NOUN_SCALE = 6


def format_number_fact(fact: NumberFact, *, locale: LocaleArg) -> str:
    r"""A number with the locale's separators and the decimals written.

    >>> from decimal import Decimal
    >>> [format_number_fact(NumberFact(value=Decimal("1250.50")), locale=tag) for tag in ("en", "de", "fr")]
    ['1,250.50', '1.250,50', '1\u202f250,50']
    """
    babel_locale = get_locale(locale)
    return for_print(_decimal(fact.value, babel_locale), locale=babel_locale)


def format_percent_fact(fact: PercentFact, *, locale: LocaleArg) -> str:
    r"""A percentage ("12.5%", "12,5 %") or percentage points (through the label catalog).

    >>> from decimal import Decimal
    >>> format_percent_fact(PercentFact(value=Decimal("12.5")), locale="en")
    '12.5%'
    >>> format_percent_fact(PercentFact(value=Decimal("12.5")), locale="fr")
    '12,5\xa0%'
    >>> format_percent_fact(PercentFact(value=Decimal("2"), points=True), locale="en")
    '2\xa0percentage\xa0points'
    """
    babel_locale = get_locale(locale)
    if fact.points:
        text = _counted(PERCENTAGE_POINTS, PERCENTAGE_POINTS_FRACTION, fact.value, babel_locale)
    else:
        pattern = _with_fraction_digits(babel_locale.percent_formats[None], _decimals(fact.value))
        # The pattern multiplies by 100 ("%" in it): 12.5 percent is 0.125.
        text = pattern.apply(fact.value.scaleb(-2), babel_locale)
    return for_print(text, locale=babel_locale, keep_together=True)


def format_amount(fact: AmountFact, *, locale: LocaleArg) -> str:
    r"""Money as the source writes it: with a scale word, in cents, or in full.

    >>> from decimal import Decimal
    >>> billions = AmountFact(value=Decimal("3.2"), currency="EUR", scale=9)
    >>> [format_amount(billions, locale=tag) for tag in ("en", "de", "es")]
    ['EUR\xa03.2\xa0billion', '3,2\xa0Milliarden\xa0Euro', '3,2\xa0mil\xa0millones\xa0de\xa0euros']
    >>> format_amount(AmountFact(value=Decimal("500"), currency="EUR"), locale="en")
    '€500'
    >>> format_amount(AmountFact(value=Decimal("13.50"), currency="EUR"), locale="fr")
    '13,50\xa0€'
    >>> format_amount(AmountFact(value=Decimal("34.2"), currency="EUR", minor=True), locale="en")
    '34.2\xa0cents'
    """
    babel_locale = get_locale(locale)
    if fact.minor:
        text = _counted(CENTS, CENTS_FRACTION, fact.value, babel_locale)
    elif fact.scale:
        text = _scaled_amount(fact, babel_locale)
    else:
        text = _currency(fact.value, fact.currency, babel_locale)
    return for_print(text, locale=babel_locale, keep_together=True)


def _decimals(value: Decimal) -> int:
    """How many decimals ``value`` was written with: 2 for Decimal("1250.50")."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0  # NaN and infinity have none


def _with_fraction_digits(pattern: NumberPattern, digits: int) -> NumberPattern:
    """A copy of a CLDR number pattern that shows exactly ``digits`` decimals."""
    adjusted = copy.copy(pattern)
    adjusted.frac_prec = (digits, digits)
    return adjusted


def _decimal(value: Decimal, locale: Locale, digits: int | None = None) -> str:
    pattern = _with_fraction_digits(locale.decimal_formats[None], _decimals(value) if digits is None else digits)
    return str(pattern.apply(value, locale))


def _currency(value: Decimal, currency: str, locale: Locale) -> str:
    """A plain amount: "€500" for "500 Euro", "€13.50" for "13,50 €".

    A whole amount stays whole (CLDR would write "€500.00"). An amount with
    decimals shows at least the currency's minor digits, so "13,5 €" reads
    "€13.50", as money is written.
    """
    digits = _decimals(value)
    if digits:
        digits = max(digits, get_currency_precision(currency))
    pattern = _with_fraction_digits(locale.currency_formats["standard"], digits)
    return str(pattern.apply(value, locale, currency=currency, currency_digits=False))


def _scaled_amount(fact: AmountFact, locale: Locale) -> str:
    total = fact.value.scaleb(fact.scale)
    number, magnitude = _compact_long(fact.value, fact.scale, locale)
    convention = SCALED_AMOUNT_CONVENTIONS.get(locale.language, DEFAULT_SCALED_AMOUNT_CONVENTION)
    # The currency name agrees with the whole amount ("1 million d'euros",
    # Polish "1 milion dolarów": the genitive plural CLDR gives for such counts).
    name = get_currency_name(fact.currency, count=abs(total), locale=locale)
    if convention.preposition and magnitude >= _NOUN_SCALE:
        name = _with_preposition(name, convention)
    return convention.template.format(number=number, code=fact.currency.upper(), name=name)


def _with_preposition(name: str, convention: ScaledAmountConvention) -> str:
    preposition = convention.preposition or ""
    if convention.elides and name[:1].lower() in _VOWELS:
        # The straight apostrophe becomes typographic in for_print().
        return f"{preposition[:-1]}'{name}"
    return f"{preposition} {name}"


def _compact_long(value: Decimal, scale: int, locale: Locale) -> tuple[str, int]:
    """``value * 10**scale`` with a spelled-out scale word, and that word's power of ten.

    This is CLDR's compact number algorithm, as Babel's
    ``format_compact_decimal(..., format_type="long")`` implements it, with
    two differences. The decimals written are kept ("1,50 Mio." stays
    "1.50 million"), where Babel drops trailing zeros. And a count of exactly
    1 falls back to the plural category's pattern when the locale's explicit
    "1" pattern does not cover the magnitude; Babel falls back to "other" and
    writes French "1 millions".

    >>> from babel import Locale
    >>> _compact_long(Decimal("1"), 6, Locale.parse("fr"))
    ('1 million', 6)
    >>> _compact_long(Decimal("0.5"), 9, Locale.parse("en"))
    ('500 million', 6)
    """
    total = value.scaleb(scale)
    formats = _compact_formats(locale)
    magnitudes = sorted((int(key) for key in formats.get("other", {})), reverse=True) if formats else []
    magnitude = next((key for key in magnitudes if abs(total) >= key), None)
    # Too small for a scale word, or CLDR's "0" (this magnitude has none): the plain number.
    if formats is None or magnitude is None or str(formats["other"][str(magnitude)].pattern) == "0":
        return _decimal(total, locale, max(0, _decimals(value) - scale)), 0
    zeros = str(formats["other"][str(magnitude)].pattern).count("0")
    power = len(str(magnitude)) - zeros  # the scale word's power of ten: 9 for "Milliarden"
    number = total.scaleb(-power)
    shift = power - scale  # how far the source's number moved to fit the scale word
    digits = max(_decimals(value), _decimals(number.normalize())) if shift > 0 else max(0, _decimals(value) + shift)
    pattern = _with_fraction_digits(_compact_pattern(formats, magnitude, number, locale), digits)
    return pattern.apply(number, locale), power


def _compact_formats(locale: Locale) -> dict[str, dict[str, NumberPattern]] | None:
    formats = locale.compact_decimal_formats
    for format_type in ("long", "short"):  # Japanese, for one, has no long form
        if format_type in formats:
            return {count: dict(patterns) for count, patterns in formats[format_type].items()}
    return None


def _compact_pattern(formats: dict[str, dict[str, NumberPattern]], magnitude: int, number: Decimal, locale: Locale) -> NumberPattern:
    key = str(magnitude)
    candidates = [locale.plural_form(abs(number)), "other"]
    if number == 1:
        candidates.insert(0, "1")  # an explicit pattern for exactly one ("mille")
    return next(formats[count][key] for count in candidates if key in formats.get(count, {}))


def _counted(message: tuple[str, str], fraction: tuple[str, str], value: Decimal, locale: Locale) -> str:
    """A catalog message counting ``value`` ("2 percentage points", "34.2 cents", "1,5 punktu procentowego")."""
    translations = translations_for(str(locale))
    number = {"number": _decimal(value, locale)}
    count = _gettext_count(value, locale)
    if count is None:
        return str(translations.pgettext(*fraction)) % number
    return str(translations.ngettext(*message, count)) % number


def _gettext_count(value: Decimal, locale: Locale) -> int | None:
    """The integer to choose a gettext plural form for ``value``, or None for the fraction message.

    gettext plural rules take integers only. A whole number is itself; for a
    fraction, the smallest integer in the same CLDR plural category stands
    in: English 1.5 is "other" like 0 ("1.5 points"), French 1,5 is "one"
    like 0 ("1,5 point"). Catalogs Babel creates use CLDR's integer rules,
    so the stand-in picks the form CLDR intends. A language whose fractions
    have a category no integer has (Polish "other") gets None: the catalog's
    fraction message.

    >>> from babel import Locale
    >>> _gettext_count(Decimal("1.5"), Locale.parse("en")), _gettext_count(Decimal("1.5"), Locale.parse("fr"))
    (0, 0)
    >>> _gettext_count(Decimal("2.0"), Locale.parse("de"))
    2
    >>> _gettext_count(Decimal("1.5"), Locale.parse("pl")) is None
    True
    """
    magnitude = abs(value)
    if magnitude == magnitude.to_integral_value():
        return int(magnitude)
    category = locale.plural_form(magnitude)
    return next((n for n in range(200) if locale.plural_form(n) == category), None)
