r"""Phone numbers, written as a reader in the target locale dials them.

A reader in the number's own country dials it nationally ("0211 8371134");
everyone else needs the country code ("+49 211 8371134"). The locale's
country is its territory ("de-AT": Austria) or, for a bare language, the
territory CLDR's likely-subtags data gives it ("de": Germany, "en": the
United States, "fr": France).

>>> format_phone(PhoneFact(e164="+492118371134"), locale="de")
'0211\xa08371134'
>>> format_phone(PhoneFact(e164="+492118371134"), locale="en")
'+49\xa0211\xa08371134'
"""

from __future__ import annotations

import phonenumbers
from babel import Locale
from babel.core import get_global

from ..values import PhoneFact
from .core import LocaleArg, get_locale
from .typography import for_print

__all__ = ["InvalidPhoneNumberError", "format_phone"]


class InvalidPhoneNumberError(ValueError):
    """A :class:`PhoneFact` whose ``e164`` is not a phone number.

    >>> format_phone(PhoneFact(e164="+49"), locale="en")
    Traceback (most recent call last):
    ...
    toolkit.localize.phones.InvalidPhoneNumberError: '+49' is not an E.164 phone number
    """

    def __init__(self, e164: str) -> None:
        self.e164 = e164
        super().__init__(f"{e164!r} is not an E.164 phone number")


def format_phone(fact: PhoneFact, *, locale: LocaleArg) -> str:
    r"""The number in national format in its own country, international elsewhere.

    >>> format_phone(PhoneFact(e164="+492118371134"), locale="de-AT")
    '+49\xa0211\xa08371134'
    >>> format_phone(PhoneFact(e164="+33123456789"), locale="fr")
    '01\xa023\xa045\xa067\xa089'
    """
    babel_locale = get_locale(locale)
    try:
        number = phonenumbers.parse(fact.e164, None)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumberError(fact.e164) from error
    if phonenumbers.region_code_for_number(number) == _country(babel_locale):
        style = phonenumbers.PhoneNumberFormat.NATIONAL
    else:
        style = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return for_print(phonenumbers.format_number(number, style), locale=babel_locale)


def _country(locale: Locale) -> str | None:
    """The locale's territory, or the one CLDR considers likely for its language."""
    if locale.territory:
        return locale.territory
    likely = get_global("likely_subtags").get(locale.language, "")
    territory = likely.split("_")[-1]
    return territory if len(territory) == 2 and territory.isalpha() else None
