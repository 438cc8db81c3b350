"""Numbers and amounts as German releases write them: "100.000", "1.250,50", "3,2 Milliarden Euro", "13,50 €".

German groups thousands with a dot and writes decimals after a comma; scale
words ("Mio.", "Milliarden") and currencies follow the number, signs and
codes may stand before it.

>>> parse_number("1.250,50"), parse_number("100.000"), parse_number("3,2")
(Decimal('1250.50'), Decimal('100000'), Decimal('3.2'))
>>> scale_of("Mrd."), currency_of("Schweizer  Franken"), currency_of("€")
(9, 'CHF', 'EUR')
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["CURRENCY", "CURRENCY_BEFORE", "NUMBER", "PERCENT", "SCALE", "currency_of", "is_minor_unit", "is_points", "parse_number", "scale_of"]

#: A German number as written: "100.000", "3,2", "1.250,50", "500".
#: Not part of a longer token: "40-jährigen", "B54", "123/2024", "H2" and "2.0" are not numbers.
NUMBER = r"(?<![\w.,/+-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\w/]|[.,]\d|-\w)"

#: Scale words and their power of ten.
_SCALES = {
    "tausend": 3, "tsd.": 3, "tsd": 3,
    "million": 6, "millionen": 6, "mio.": 6, "mio": 6,
    "milliarde": 9, "milliarden": 9, "mrd.": 9, "mrd": 9,
    "billion": 12, "billionen": 12, "bio.": 12,
}
#: A scale word after a number (match it ignoring case).
SCALE = r"(?:Tausend|Tsd\.?|Millionen|Million|Mio\.?|Milliarden|Milliarde|Mrd\.?|Billionen|Billion|Bio\.)"
#: Currency words and signs and their ISO 4217 code; "Cent" is the euro's minor unit.
_CURRENCIES = {
    "euro": "EUR", "€": "EUR", "eur": "EUR", "cent": "EUR",
    "us-dollar": "USD", "dollar": "USD", "usd": "USD", "$": "USD",
    "pfund": "GBP", "britische pfund": "GBP", "gbp": "GBP", "£": "GBP",
    "franken": "CHF", "schweizer franken": "CHF", "chf": "CHF",
    "yen": "JPY", "jpy": "JPY", "¥": "JPY",
}
#: A currency after a number: "3,2 Milliarden Euro", "13,50 €" (match it ignoring case).
CURRENCY = r"(?:US-Dollar|Dollar|USD|Euro|EUR|Cent|Schweizer\s+Franken|Franken|CHF|Britische\s+Pfund|Pfund|GBP|Yen|JPY|[€$£¥])"
#: A currency before a number: "EUR 500", "€ 13,50"; words are not written there.
CURRENCY_BEFORE = r"(?:EUR|USD|CHF|GBP|[€$£])"

#: A percent sign or word after a number: "12,5 Prozent", "2 Prozentpunkte", "3 %" (match it ignoring case).
PERCENT = r"(?:Prozentpunkte?n?|Prozent\b|%)"


def parse_number(written: str) -> Decimal:
    """The value of a German number, keeping the decimals written."""
    return Decimal(written.replace(".", "").replace(",", "."))


def scale_of(word: str) -> int:
    """The power of ten of a scale word matched by :data:`SCALE`."""
    return _SCALES[word.lower()]


def currency_of(word: str) -> str:
    """The ISO 4217 code of a currency matched by :data:`CURRENCY` or :data:`CURRENCY_BEFORE`."""
    return _CURRENCIES[" ".join(word.lower().split())]


def is_minor_unit(word: str) -> bool:
    """Whether a currency word names the minor unit ("Cent"): "50 Cent" is half a euro.

    >>> is_minor_unit("Cent"), is_minor_unit("Euro")
    (True, False)
    """
    return word.lower() == "cent"


def is_points(word: str) -> bool:
    """Whether a word matched by :data:`PERCENT` speaks of percentage points, not of percent.

    >>> is_points("Prozentpunkten"), is_points("%")
    (True, False)
    """
    return word.lower().startswith("prozentpunkt")
