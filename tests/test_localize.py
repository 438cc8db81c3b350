"""Facts rendered per locale: exact strings, including CLDR's special spaces.

Expected strings spell special characters as escapes so a reviewer sees them:
U+00A0 no-break space, U+202F narrow no-break space, U+2009 thin space,
U+2013 en dash, U+2011 non-breaking hyphen, U+2019 apostrophe.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from decimal import Decimal

import pytest
from babel import Locale

from toolkit.label_words import CENTS, PERCENTAGE_POINTS
from toolkit.labels import MissingCatalogWarning, translations_for
from toolkit.localize import (
    InvalidPhoneNumberError,
    UnsupportedLocaleError,
    for_print,
    format_amount,
    format_date_fact,
    format_date_range,
    format_fact,
    format_month,
    format_number_fact,
    format_percent_fact,
    format_phone,
    format_time_fact,
    get_locale,
)
from toolkit.localize.numbers import SCALED_AMOUNT_CONVENTIONS
from toolkit.values import (
    AmountFact,
    DateFact,
    DateRangeFact,
    EmailFact,
    MonthFact,
    NumberFact,
    PercentFact,
    PhoneFact,
    TimeFact,
    UrlFact,
)

NBSP = "\u00a0"
D = Decimal

APRIL_19 = dt.date(2024, 4, 19)
OCTOBER_10_12 = DateRangeFact(start=dt.date(2025, 10, 10), end=dt.date(2025, 10, 12))
OCTOBER_30_NOVEMBER_2 = DateRangeFact(start=dt.date(2025, 10, 30), end=dt.date(2025, 11, 2))
NEW_YEAR = DateRangeFact(start=dt.date(2024, 12, 30), end=dt.date(2025, 1, 2))
JUNE_3_AND_4 = DateRangeFact(start=dt.date(2024, 6, 3), end=dt.date(2024, 6, 4), relation="pair", year=False)
BILLIONS = AmountFact(value=D("3.2"), currency="EUR", scale=9)


# --- locales ---------------------------------------------------------------


@pytest.mark.parametrize("tag", ["pt-BR", "pt_BR", " pt-BR "])
def test_bcp47_and_babel_tags_name_the_same_locale(tag: str) -> None:
    assert get_locale(tag) == Locale("pt", territory="BR")


def test_a_babel_locale_is_accepted_as_is() -> None:
    locale = Locale.parse("de")
    assert format_number_fact(NumberFact(value=D("1250.5")), locale=locale) == "1.250,5"


@pytest.mark.parametrize("tag", ["xx", "en-XX", "en-", ""])
def test_an_unknown_locale_is_an_error_naming_it(tag: str) -> None:
    with pytest.raises(UnsupportedLocaleError, match=re.escape(repr(tag))) as caught:
        format_fact(NumberFact(value=D("1")), locale=tag)
    assert isinstance(caught.value, ValueError)
    assert caught.value.locale == tag


def test_an_unknown_locale_is_an_error_even_for_facts_that_ignore_it() -> None:
    with pytest.raises(UnsupportedLocaleError):
        format_fact(EmailFact(address="presse@example.de"), locale="xx")


# --- dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "April\u00a019, 2024"),
        ("fr", "19\u00a0avril\u00a02024"),
        ("es", "19\u00a0de abril de\u00a02024"),
        ("de", "19.\u00a0April\u00a02024"),
    ],
)
def test_a_long_date_stays_long(locale: str, expected: str) -> None:
    assert format_date_fact(DateFact(date=APRIL_19), locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Friday, April\u00a019, 2024"),
        ("fr", "vendredi\u00a019\u00a0avril\u00a02024"),
        ("es", "viernes, 19\u00a0de abril de\u00a02024"),
        ("de", "Freitag, 19.\u00a0April\u00a02024"),
    ],
)
def test_a_weekday_written_out_gives_the_full_format(locale: str, expected: str) -> None:
    assert format_date_fact(DateFact(date=APRIL_19, weekday=True), locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "May\u00a022"), ("fr", "22\u00a0mai"), ("es", "22\u00a0de mayo"), ("de", "22.\u00a0Mai")],
)
def test_a_date_without_year_stays_without_year(locale: str, expected: str) -> None:
    assert format_date_fact(DateFact(date=dt.date(2024, 5, 22), year=False), locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        # CLDR fr and de have only abbreviated month-weekday-day patterns ("mer. 22 mai"); widened.
        ("en", "Wednesday, May\u00a022"),
        ("fr", "mercredi\u00a022\u00a0mai"),
        ("es", "miércoles, 22\u00a0de mayo"),
        ("de", "Mittwoch, 22.\u00a0Mai"),
    ],
)
def test_a_weekday_without_year_is_written_out(locale: str, expected: str) -> None:
    fact = DateFact(date=dt.date(2024, 5, 22), weekday=True, year=False)
    assert format_date_fact(fact, locale=locale) == expected


@pytest.mark.parametrize("locale", ["en", "fr", "es", "de"])
def test_a_numeric_date_is_rendered_long(locale: str) -> None:
    numeric = format_date_fact(DateFact(date=APRIL_19, style="numeric"), locale=locale)
    assert numeric == format_date_fact(DateFact(date=APRIL_19), locale=locale)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "October\u00a010\u201312, 2025"),
        ("fr", "10\u201312\u00a0octobre\u00a02025"),
        ("es", "10\u201312\u00a0de octubre de\u00a02025"),
        ("de", "10.\u201312.\u00a0Oktober\u00a02025"),
        ("it", "10\u201312\u00a0ottobre\u00a02025"),
        ("pl", "10\u201312\u00a0pa\u017adziernika\u00a02025"),
    ],
)
def test_a_range_within_a_month_has_full_month_names_and_a_closed_dash(locale: str, expected: str) -> None:
    assert format_date_range(OCTOBER_10_12, locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "October\u00a030\u202f\u2013\u2009November\u00a02, 2025"),
        ("fr", "30\u00a0octobre\u202f\u2013\u20092\u00a0novembre\u00a02025"),
        ("es", "30\u00a0de octubre\u202f\u2013\u20092\u00a0de noviembre de\u00a02025"),
        ("de", "30.\u00a0Oktober\u202f\u2013\u20092.\u00a0November\u00a02025"),
    ],
)
def test_a_range_across_months_has_a_spaced_dash_that_never_starts_a_line(locale: str, expected: str) -> None:
    assert format_date_range(OCTOBER_30_NOVEMBER_2, locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "December\u00a030, 2024\u202f\u2013\u2009January\u00a02, 2025"),
        ("fr", "30\u00a0d\u00e9cembre\u00a02024\u202f\u2013\u20092\u00a0janvier\u00a02025"),
        ("de", "30.\u00a0Dezember\u00a02024\u202f\u2013\u20092.\u00a0Januar\u00a02025"),
    ],
)
def test_a_range_across_years_is_spaced_although_numbers_meet_at_the_dash(locale: str, expected: str) -> None:
    assert format_date_range(NEW_YEAR, locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "October\u00a010\u201312"), ("fr", "10\u201312\u00a0octobre"), ("de", "10.\u201312.\u00a0Oktober")],
)
def test_a_range_without_year_stays_without_year(locale: str, expected: str) -> None:
    fact = DateRangeFact(start=OCTOBER_10_12.start, end=OCTOBER_10_12.end, year=False)
    assert format_date_range(fact, locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        # CLDR's list patterns repeat the month; the days are joined as the locale joins a list.
        ("en", "June\u00a03\u00a0and June\u00a04"),
        ("fr", "3\u00a0juin et\u00a04\u00a0juin"),
        ("es", "3\u00a0de junio y\u00a04\u00a0de junio"),
        ("de", "3.\u00a0Juni und\u00a04.\u00a0Juni"),
    ],
)
def test_a_pair_of_days_is_a_list(locale: str, expected: str) -> None:
    assert format_date_range(JUNE_3_AND_4, locale=locale) == expected


def test_a_range_of_one_day_is_that_day() -> None:
    fact = DateRangeFact(start=APRIL_19, end=APRIL_19)
    assert format_date_range(fact, locale="en") == "April\u00a019, 2024"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "April\u00a02024"), ("fr", "avril\u00a02024"), ("es", "abril de\u00a02024"), ("de", "April\u00a02024"), ("pl", "kwiecie\u0144\u00a02024")],
)
def test_a_month(locale: str, expected: str) -> None:
    assert format_month(MonthFact(year=2024, month=4), locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "2:30\u202fPM"), ("fr", "14:30"), ("es", "14:30"), ("de", "14:30")],
)
def test_a_time(locale: str, expected: str) -> None:
    assert format_time_fact(TimeFact(time=dt.time(14, 30)), locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "start", "expected"),
    [
        ("en", dt.time(14), "2:00\u20136:00\u202fPM"),
        ("en", dt.time(10), "10:00\u202fAM\u202f\u2013\u20096:00\u202fPM"),
        ("fr", dt.time(14), "14:00\u201318:00"),
        ("es", dt.time(14), "14:00\u201318:00"),
        ("de", dt.time(14), "14:00\u201318:00\u00a0Uhr"),
    ],
)
def test_a_time_range_keeps_the_locales_hour_cycle(locale: str, start: dt.time, expected: str) -> None:
    assert format_time_fact(TimeFact(time=start, end=dt.time(18)), locale=locale) == expected


# --- numbers and percentages -----------------------------------------------


@pytest.mark.parametrize(
    ("locale", "value", "expected"),
    [
        ("en", "1250.50", "1,250.50"),
        ("fr", "1250.50", "1\u202f250,50"),
        ("es", "1250.50", "1.250,50"),
        ("de", "1250.50", "1.250,50"),
        ("en", "100000", "100,000"),
        ("fr", "100000", "100\u202f000"),
        ("en", "3.20", "3.20"),
        ("de", "-3.2", "-3,2"),
    ],
)
def test_a_number_keeps_the_decimals_written(locale: str, value: str, expected: str) -> None:
    assert format_number_fact(NumberFact(value=D(value)), locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "value", "expected"),
    [
        ("en", "12.5", "12.5%"),
        ("fr", "12.5", "12,5\u00a0%"),
        ("de", "12.5", "12,5\u00a0%"),
        ("es", "12.5", "12,5\u00a0%"),
        ("en", "12.50", "12.50%"),
        ("de", "100", "100\u00a0%"),
    ],
)
def test_a_percentage(locale: str, value: str, expected: str) -> None:
    assert format_percent_fact(PercentFact(value=D(value)), locale=locale) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", "1\u00a0percentage\u00a0point"),
        ("2", "2\u00a0percentage\u00a0points"),
        ("1.5", "1.5\u00a0percentage\u00a0points"),
        ("0.5", "0.5\u00a0percentage\u00a0points"),
    ],
)
def test_percentage_points_in_english(value: str, expected: str) -> None:
    assert format_percent_fact(PercentFact(value=D(value), points=True), locale="en") == expected


def _from_catalog(language: str, message: tuple[str, str], n: int, number: str) -> str:
    """What the catalog says today; the English msgid until a translation lands."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingCatalogWarning)
        text = translations_for(language).ngettext(*message, n) % {"number": number}
    return text.replace(" ", NBSP)


@pytest.mark.parametrize(
    ("locale", "value", "n", "number"),
    [
        ("de", "2.5", 2, "2,5"),
        ("de", "1", 1, "1"),
        ("fr", "2.5", 2, "2,5"),
        # French 1,5 is singular (CLDR "one"), like 0 and 1.
        ("fr", "1.5", 1, "1,5"),
        ("es", "1", 1, "1"),
        ("es", "3", 3, "3"),
    ],
)
def test_percentage_points_follow_the_catalog(locale: str, value: str, n: int, number: str) -> None:
    # The wording belongs to the catalogs; the number, the plural form and the spaces to us.
    fact = PercentFact(value=D(value), points=True)
    assert format_percent_fact(fact, locale=locale) == _from_catalog(locale, PERCENTAGE_POINTS, n, number)


def test_percentage_points_are_translated_once_the_catalog_has_them() -> None:
    for language, word in (("de", "Prozentpunkt"), ("fr", "point")):
        if _from_catalog(language, PERCENTAGE_POINTS, 2, "2") == _from_catalog("en", PERCENTAGE_POINTS, 2, "2"):
            continue  # not translated yet: the English fallback is what the catalog gives
        assert word in format_percent_fact(PercentFact(value=D("2"), points=True), locale=language)


# --- amounts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "EUR\u00a03.2\u00a0billion"),
        ("de", "3,2\u00a0Milliarden\u00a0Euro"),
        ("fr", "3,2\u00a0milliards\u00a0d\u2019euros"),
        ("es", "3,2\u00a0mil\u00a0millones\u00a0de\u00a0euros"),
        ("it", "3,2\u00a0miliardi\u00a0di\u00a0euro"),
        ("nl", "3,2\u00a0miljard\u00a0euro"),
        ("pl", "3,2\u00a0miliarda\u00a0euro"),
        # A language without a convention: "<compact> <ISO code>".
        ("pt", "3,2\u00a0bilh\u00f5es\u00a0EUR"),
    ],
)
def test_an_amount_with_a_scale_word_is_spelled_out(locale: str, expected: str) -> None:
    assert format_amount(BILLIONS, locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "value", "currency", "scale", "expected"),
    [
        # Babel's format_compact_decimal writes French "1 millions"; CLDR says "1 million".
        ("fr", "1", "EUR", 6, "1\u00a0million\u00a0d\u2019euros"),
        ("fr", "1.5", "USD", 6, "1,5\u00a0million\u00a0de\u00a0dollars\u00a0des\u00a0\u00c9tats-Unis"),
        # "mille" and "mil" are numerals, not nouns: no preposition.
        ("fr", "500", "EUR", 3, "500\u00a0mille\u00a0euros"),
        ("es", "500", "EUR", 3, "500\u00a0mil\u00a0euros"),
        ("it", "500", "EUR", 3, "500\u00a0mila\u00a0euro"),
        ("es", "1", "EUR", 6, "1\u00a0mill\u00f3n\u00a0de\u00a0euros"),
        ("de", "1", "EUR", 6, "1\u00a0Million\u00a0Euro"),
        ("de", "1.5", "USD", 6, "1,5\u00a0Millionen\u00a0US-Dollar"),
        # Polish: the genitive plural after a scale word.
        ("pl", "1.5", "USD", 6, "1,5\u00a0miliona\u00a0dolar\u00f3w\u00a0ameryka\u0144skich"),
        ("pl", "0.5", "EUR", 9, "500\u00a0milion\u00f3w\u00a0euro"),
        # The decimals written stay, also when Babel would drop a trailing zero.
        ("en", "1.50", "EUR", 6, "EUR\u00a01.50\u00a0million"),
        # A number too big or too small for its scale word moves to the fitting one.
        ("en", "1500", "EUR", 6, "EUR\u00a01.5\u00a0billion"),
        ("en", "0.5", "EUR", 9, "EUR\u00a0500\u00a0million"),
        ("en", "500", "USD", 3, "USD\u00a0500\u00a0thousand"),
    ],
)
def test_scaled_amounts(locale: str, value: str, currency: str, scale: int, expected: str) -> None:
    fact = AmountFact(value=D(value), currency=currency, scale=scale)
    assert format_amount(fact, locale=locale) == expected


@pytest.mark.parametrize(
    ("locale", "value", "expected"),
    [
        ("en", "500", "\u20ac500"),
        ("fr", "500", "500\u00a0\u20ac"),
        ("de", "500", "500\u00a0\u20ac"),
        ("es", "500", "500\u00a0\u20ac"),
        ("nl", "500", "\u20ac\u00a0500"),
        ("en", "13.50", "\u20ac13.50"),
        ("fr", "13.50", "13,50\u00a0\u20ac"),
        # Money with decimals shows the currency's minor digits.
        ("en", "13.5", "\u20ac13.50"),
        ("en", "250000", "\u20ac250,000"),
        ("fr", "250000", "250\u202f000\u00a0\u20ac"),
    ],
)
def test_an_amount_without_a_scale_word(locale: str, value: str, expected: str) -> None:
    assert format_amount(AmountFact(value=D(value), currency="EUR"), locale=locale) == expected


@pytest.mark.parametrize(("value", "expected"), [("34.2", "34.2\u00a0cents"), ("1", "1\u00a0cent"), ("50", "50\u00a0cents")])
def test_cents_in_english(value: str, expected: str) -> None:
    assert format_amount(AmountFact(value=D(value), currency="EUR", minor=True), locale="en") == expected


@pytest.mark.parametrize(("locale", "number"), [("de", "34,2"), ("fr", "34,2"), ("es", "34,2")])
def test_cents_follow_the_catalog(locale: str, number: str) -> None:
    fact = AmountFact(value=D("34.2"), currency="EUR", minor=True)
    # 34.2 is plural in all three: the form for 34.
    assert format_amount(fact, locale=locale) == _from_catalog(locale, CENTS, 34, number)


def test_every_convention_language_has_a_test() -> None:
    tested = {"en", "de", "fr", "es", "it", "nl", "pl"}
    assert set(SCALED_AMOUNT_CONVENTIONS) == tested


QUANTITIES = [
    BILLIONS,
    AmountFact(value=D("1.5"), currency="USD", scale=6),
    AmountFact(value=D("500"), currency="EUR", scale=3),
    AmountFact(value=D("250000"), currency="EUR"),
    AmountFact(value=D("13.50"), currency="EUR"),
    AmountFact(value=D("34.2"), currency="EUR", minor=True),
    PercentFact(value=D("12.5")),
    PercentFact(value=D("2.5"), points=True),
]


@pytest.mark.parametrize("locale", ["en", "de", "fr", "es", "it", "nl", "pl", "pt"])
@pytest.mark.parametrize("fact", QUANTITIES, ids=lambda fact: f"{fact.type}-{fact.value}")
def test_an_amount_or_percentage_never_breaks_across_lines(locale: str, fact: AmountFact | PercentFact) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingCatalogWarning)  # pt has no label catalog
        text = format_fact(fact, locale=locale)
    assert not re.search(r"\d | \d", text), text  # nothing between a number and its unit
    assert " " not in text, text  # nor anywhere inside the quantity


# --- phones, e-mail, URLs --------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "e164", "expected"),
    [
        ("de", "+492118371134", "0211\u00a08371134"),
        ("en", "+492118371134", "+49\u00a0211\u00a08371134"),
        ("fr", "+492118371134", "+49\u00a0211\u00a08371134"),
        ("es", "+492118371134", "+49\u00a0211\u00a08371134"),
        # An Austrian reader needs Germany's country code.
        ("de-AT", "+492118371134", "+49\u00a0211\u00a08371134"),
        ("fr", "+33123456789", "01\u00a023\u00a045\u00a067\u00a089"),
        ("de", "+12025550100", "+1\u00a0202\u2011555\u20110100"),
    ],
)
def test_a_phone_number_is_national_at_home_and_international_abroad(locale: str, e164: str, expected: str) -> None:
    assert format_phone(PhoneFact(e164=e164), locale=locale) == expected


def test_a_phone_number_that_is_none_is_an_error() -> None:
    with pytest.raises(InvalidPhoneNumberError, match="'\\+49'"):
        format_phone(PhoneFact(e164="+49"), locale="en")


@pytest.mark.parametrize("locale", ["de", "en", "fr", "es"])
def test_email_and_url_are_unchanged(locale: str) -> None:
    assert format_fact(EmailFact(address="presse@example.de"), locale=locale) == "presse@example.de"
    assert format_fact(UrlFact(url="https://www.example.de/a-b"), locale=locale) == "https://www.example.de/a-b"


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        (DateFact(date=APRIL_19), "April\u00a019, 2024"),
        (OCTOBER_10_12, "October\u00a010\u201312, 2025"),
        (MonthFact(year=2024, month=4), "April\u00a02024"),
        (TimeFact(time=dt.time(14, 30)), "2:30\u202fPM"),
        (NumberFact(value=D("1250.50")), "1,250.50"),
        (PercentFact(value=D("12.5")), "12.5%"),
        (BILLIONS, "EUR\u00a03.2\u00a0billion"),
        (PhoneFact(e164="+492118371134"), "+49\u00a0211\u00a08371134"),
    ],
    ids=lambda value: getattr(value, "type", None),
)
def test_format_fact_dispatches_on_the_fact_type(fact: object, expected: str) -> None:
    assert format_fact(fact, locale="en") == expected  # type: ignore[arg-type]


# --- typography ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("Oct 10\u2009\u2013\u200912, 2025", "en", "Oct\u00a010\u201312, 2025"),
        ("10.\u2013\u00a012. Okt.", "de", "10.\u201312.\u00a0Okt."),
        ("30 oct.\u2013 2 nov.", "fr", "30\u00a0oct.\u202f\u2013\u20092\u00a0nov."),
        ("3,2 milliards d'euros", "fr", "3,2\u00a0milliards d\u2019euros"),
        ("Friday, April 19, 2024", "en", "Friday, April\u00a019, 2024"),
        # "19." is an ordinal in German, a number and a full stop in English.
        ("19. April", "de", "19.\u00a0April"),
        ("19. April", "en", "19. April"),
    ],
)
def test_for_print(text: str, locale: str, expected: str) -> None:
    assert for_print(text, locale=locale) == expected


def test_for_print_keeps_a_quantity_together() -> None:
    assert for_print("3,2 mil millones de euros", locale="es", keep_together=True) == "3,2\u00a0mil\u00a0millones\u00a0de\u00a0euros"


@pytest.mark.parametrize("locale", ["en", "fr", "de"])
def test_for_print_is_idempotent(locale: str) -> None:
    for fact in (OCTOBER_30_NOVEMBER_2, NEW_YEAR, JUNE_3_AND_4, BILLIONS, PhoneFact(e164="+12025550100")):
        once = format_fact(fact, locale=locale)
        assert for_print(once, locale=locale) == once
