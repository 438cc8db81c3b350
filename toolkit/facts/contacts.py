"""Phone numbers, e-mail addresses (also obfuscated) and URLs (also bare ``www.``) in text.

>>> [(f.kind.value, f.fact) for f in find_contacts("Tel. 0211 / 837-1134, presse [at] example.de, www.example.de/presse.")]
[('url', UrlFact(type='url', url='https://www.example.de/presse')), ('email', EmailFact(type='email', address='presse@example.de')), ('phone', PhoneFact(type='phone', e164='+492118371134'))]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from ..german import dates as german_dates
from ..german.addresses import (
    EMAIL_PATTERN,
    OBFUSCATED_EMAIL_PATTERN,
    SERIES_TAIL,
    URL_PATTERN,
    deobfuscate_emails,
    normalize_url,
    series_member,
)
from ..model import SpanKind
from ..values import EmailFact, PhoneFact, UrlFact
from .found import Found

__all__ = ["find_contacts", "find_emails", "find_phones", "find_urls"]

#: A phone number is written with a leading 0 or +, or an area code in brackets.
_PHONE_START = re.compile(r"^(?:\+|\(?0)")
_MIN_PHONE_DIGITS = 7
_SERIES_TAIL = re.compile(rf"{SERIES_TAIL}$")


def find_contacts(text: str) -> Iterator[Found]:
    yield from find_urls(text)
    yield from find_emails(text)
    yield from find_phones(text)


def find_urls(text: str) -> Iterator[Found]:
    for match in URL_PATTERN.finditer(text):
        if "@" in text[max(0, match.start() - 1) : match.start()]:
            continue
        yield Found(start=match.start(), end=match.end(), kind=SpanKind.URL, fact=UrlFact(url=normalize_url(match.group(0))))


def find_emails(text: str) -> Iterator[Found]:
    for pattern in (EMAIL_PATTERN, OBFUSCATED_EMAIL_PATTERN):
        for match in pattern.finditer(text):
            address = deobfuscate_emails(match.group(0))
            if EMAIL_PATTERN.fullmatch(address):
                yield Found(start=match.start(), end=match.end(), kind=SpanKind.EMAIL, fact=EmailFact(address=address))


def find_phones(text: str, *, region: str = "DE") -> Iterator[Found]:
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        digits = sum(char.isdigit() for char in match.raw_string)
        if not _PHONE_START.match(match.raw_string) or digits < _MIN_PHONE_DIGITS or _starts_with_date(match.raw_string):
            continue
        series = _SERIES_TAIL.search(match.raw_string)
        if series:
            # "030-227-32924/32929": the matcher reads one long number; the first is the one written in full.
            first = match.raw_string[: series.start()]
            try:
                number = phonenumbers.parse(first, region)
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_valid_number(number):
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            yield Found(start=match.start, end=match.start + len(first), kind=SpanKind.PHONE, fact=PhoneFact(e164=e164))
            # The series' other numbers: each tail replaces as many last digits of the first ("…-32929/32924").
            tail = series["tail"]
            national = str(number.national_number)
            if len(tail) < len(national):
                try:
                    other = phonenumbers.parse(f"+{number.country_code}{series_member(national, tail)}", None)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(other):
                    start = match.start + series.start("tail")
                    yield Found(start=start, end=start + len(tail), kind=SpanKind.PHONE,
                                fact=PhoneFact(e164=phonenumbers.format_number(other, phonenumbers.PhoneNumberFormat.E164)))
            continue
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        yield Found(start=match.start, end=match.end, kind=SpanKind.PHONE, fact=PhoneFact(e164=e164))


def _starts_with_date(raw: str) -> bool:
    """ "06.12.2019" and "08.09.2023, 11" read as numbers by phonenumbers' matcher: dates, not phones."""
    hits = german_dates.find_dates(raw.removeprefix("("))
    return bool(hits) and hits[0].start == 0 and hits[0].form is german_dates.DateForm.NUMERIC and hits[0].year is not None
