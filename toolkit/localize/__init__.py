r"""Facts rendered for a target locale with Babel's CLDR data.

Recognizers (:mod:`toolkit.facts`) find dates, times, numbers, amounts,
percentages, phone numbers, e-mail addresses and URLs in the German text
as typed values (:mod:`toolkit.values`); this package writes each one as a
reader of the target locale expects it, following the source's style
(a weekday written out, a scale word, the decimals written).

One module per domain, as in Babel: :mod:`~toolkit.localize.dates`,
:mod:`~toolkit.localize.numbers`, :mod:`~toolkit.localize.phones`; every
result passes through :func:`~toolkit.localize.typography.for_print`, the
one place where Babel's output is corrected for print (no line break inside
a quantity, range dashes, apostrophes).

``locale=`` is keyword-only everywhere and takes "en", "pt-BR", "pt_BR" or
a :class:`babel.Locale`; a locale Babel does not know raises
:class:`UnsupportedLocaleError`.

>>> import datetime as dt
>>> from decimal import Decimal
>>> format_fact(AmountFact(value=Decimal("3.2"), currency="EUR", scale=9), locale="en")
'EUR\xa03.2\xa0billion'
>>> format_fact(DateFact(date=dt.date(2024, 4, 19)), locale="pt-BR")
'19\xa0de abril de\xa02024'
>>> format_fact(UrlFact(url="https://www.example.de"), locale="fr")
'https://www.example.de'
>>> format_fact(NumberFact(value=Decimal("3.2")), locale="xx")
Traceback (most recent call last):
...
toolkit.localize.core.UnsupportedLocaleError: unsupported locale 'xx': Babel has no CLDR data for it
"""

from __future__ import annotations

from ..values import (
    AmountFact,
    DateFact,
    DateRangeFact,
    EmailFact,
    Fact,
    MonthFact,
    NumberFact,
    PercentFact,
    PhoneFact,
    TimeFact,
    UrlFact,
)
from .core import LocaleArg, UnsupportedLocaleError, get_locale
from .dates import format_date_fact, format_date_range, format_month, format_time_fact
from .numbers import format_amount, format_number_fact, format_percent_fact
from .phones import InvalidPhoneNumberError, format_phone
from .typography import for_print

__all__ = [
    "InvalidPhoneNumberError",
    "UnsupportedLocaleError",
    "for_print",
    "format_amount",
    "format_date_fact",
    "format_date_range",
    "format_fact",
    "format_month",
    "format_number_fact",
    "format_percent_fact",
    "format_phone",
    "format_time_fact",
    "get_locale",
]


def format_fact(fact: Fact, *, locale: LocaleArg) -> str:
    """``fact`` as a reader in ``locale`` reads it; e-mail addresses and URLs unchanged.

    The locale is checked first, so an unknown one is reported even for a
    fact that does not depend on it.
    """
    babel_locale = get_locale(locale)
    match fact:
        case DateFact():
            return format_date_fact(fact, locale=babel_locale)
        case DateRangeFact():
            return format_date_range(fact, locale=babel_locale)
        case MonthFact():
            return format_month(fact, locale=babel_locale)
        case TimeFact():
            return format_time_fact(fact, locale=babel_locale)
        case NumberFact():
            return format_number_fact(fact, locale=babel_locale)
        case PercentFact():
            return format_percent_fact(fact, locale=babel_locale)
        case AmountFact():
            return format_amount(fact, locale=babel_locale)
        case PhoneFact():
            return format_phone(fact, locale=babel_locale)
        case EmailFact():
            return fact.address
        case UrlFact():
            return fact.url
    raise TypeError(f"not a fact: {fact!r}")
