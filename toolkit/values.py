"""Typed facts: the values behind dates, times, numbers, amounts, percentages,
phone numbers, e-mail addresses and URLs found in a release's text.

A fact is what a :class:`~toolkit.model.Span` holds in ``fact``: recognizers
(:mod:`toolkit.facts`) create them from German text, localization
(:mod:`toolkit.localize`) renders them for a target locale, and translation
carries them through as protected placeholders. Each records the source's
style where it matters for rendering (a weekday written out, a scale word
such as "Milliarden", the number of decimals written), so that rendering can
follow the source.

Numbers are :class:`decimal.Decimal`, never ``float``: "3,2" is exactly 3.2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal, Union

from pydantic import Field

__all__ = [
    "AmountFact",
    "DateFact",
    "DateRangeFact",
    "EmailFact",
    "Fact",
    "MonthFact",
    "NumberFact",
    "PercentFact",
    "PhoneFact",
    "TimeFact",
    "UrlFact",
]


@dataclass(frozen=True, kw_only=True)
class DateFact:
    """A calendar day: "19. April 2024", "Freitag, 19. April 2024", "19.04.2024", "22. Mai"."""

    type: Literal["date"] = "date"
    date: dt.date
    #: The source names the weekday ("Freitag, 19. April 2024").
    weekday: bool = False
    #: The source writes the year; "22. Mai" takes it from the release date.
    year: bool = True
    #: "long" for a month name, "numeric" for "19.04.2024".
    style: Literal["long", "numeric"] = "long"


@dataclass(frozen=True, kw_only=True)
class DateRangeFact:
    """Two days: a range ("vom 10. bis 12. Oktober 2025") or a pair ("am 3. und 4. Juni")."""

    type: Literal["date_range"] = "date_range"
    start: dt.date
    end: dt.date
    #: "range" reads "from … to …"; "pair" reads "… and …".
    relation: Literal["range", "pair"] = "range"
    year: bool = True


@dataclass(frozen=True, kw_only=True)
class MonthFact:
    """A month of a year: "April 2024"."""

    type: Literal["month"] = "month"
    year: int
    month: int


@dataclass(frozen=True, kw_only=True)
class TimeFact:
    """A clock time or a range of times: "14:30 Uhr", "14 Uhr", "14 bis 18 Uhr"."""

    type: Literal["time"] = "time"
    time: dt.time
    end: dt.time | None = None


@dataclass(frozen=True, kw_only=True)
class NumberFact:
    """A number: "100.000", "3,2", "1.250,50". ``value`` keeps the decimals written."""

    type: Literal["number"] = "number"
    value: Decimal


@dataclass(frozen=True, kw_only=True)
class AmountFact:
    """Money: "3,2 Milliarden Euro", "1,5 Mio. €", "EUR 250.000", "13,50 €", "34,2 Cent".

    ``value`` is the number as written (3.2) and ``scale`` the power of ten
    of the scale word (9 for "Milliarden"), so the whole amount is
    ``value * 10**scale`` in ``currency``; ``minor`` marks amounts given in
    the currency's minor unit ("34,2 Cent").
    """

    type: Literal["amount"] = "amount"
    value: Decimal
    currency: str
    scale: int = 0
    minor: bool = False

    @property
    def total(self) -> Decimal:
        amount = self.value.scaleb(self.scale)
        return amount / 100 if self.minor else amount


@dataclass(frozen=True, kw_only=True)
class PercentFact:
    """A percentage ("12,5 Prozent", "12,5 %") or percentage points ("2 Prozentpunkte")."""

    type: Literal["percent"] = "percent"
    #: In percent: 12.5 for "12,5 %".
    value: Decimal
    points: bool = False


@dataclass(frozen=True, kw_only=True)
class PhoneFact:
    type: Literal["phone"] = "phone"
    #: E.164: "+492118371134".
    e164: str


@dataclass(frozen=True, kw_only=True)
class EmailFact:
    type: Literal["email"] = "email"
    address: str


@dataclass(frozen=True, kw_only=True)
class UrlFact:
    type: Literal["url"] = "url"
    #: With scheme: "https://www.example.de".
    url: str


Fact = Annotated[
    Union[DateFact, DateRangeFact, MonthFact, TimeFact, NumberFact, AmountFact, PercentFact, PhoneFact, EmailFact, UrlFact],
    Field(discriminator="type"),
]
