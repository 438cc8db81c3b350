"""Dates as German releases write them: the toolkit's one date grammar.

The reader takes datelines and embargoes with it, the fact recognizer marks
dates in running text with it, so both see the same month names, the same
day and year ranges and the same word boundaries.

Month and weekday names come from Babel's CLDR data, not from a list typed
here; releases add the Austrian "Jänner" and the abbreviations "Febr." and
"Sept" that CLDR does not list.

>>> parse_date("Freitag, 19. April 2024")
datetime.date(2024, 4, 19)
>>> parse_date("Wien, am 15. Jänner 2024")
datetime.date(2024, 1, 15)
>>> parse_date_time("Sperrfrist: 12.06.2024, 10:00 Uhr")
(datetime.date(2024, 6, 12), datetime.time(10, 0))
>>> [(hit.day, hit.month, hit.year, hit.form.value) for hit in find_dates("Düsseldorf, den 3. Mai 2023; am 14. Mai")]
[(3, 5, 2023, 'written'), (14, 5, None, 'written')]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

from babel import Locale

from .times import find_times

__all__ = [
    "DATE_PATTERN",
    "MONTHS",
    "WEEKDAYS",
    "DateForm",
    "DateHit",
    "DateRangeHit",
    "MonthHit",
    "find_date_ranges",
    "find_dates",
    "find_month_years",
    "parse_date",
    "parse_date_time",
]

_de = Locale("de")
#: Month names and abbreviations, lower case, without their dot, to the month's number.
MONTHS: dict[str, int] = {}
for _number, _name in _de.months["format"]["wide"].items():
    MONTHS[_name.lower()] = _number
for _number, _name in _de.months["format"]["abbreviated"].items():
    MONTHS[_name.lower().rstrip(".")] = _number
MONTHS.update({"jänner": 1, "sept": 9, "febr": 2})  # Austrian January; common abbreviations
#: Weekday names as CLDR writes them ("Montag" … "Sonntag").
WEEKDAYS: tuple[str, ...] = tuple(_de.days["format"]["wide"].values())

# -- the pieces every date form below is built from ---------------------------------------
# Longest first, so that "Juni" is not read as "Jun" followed by "i".
_MONTH_NAME = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAY_NAME = "|".join(re.escape(day) for day in WEEKDAYS)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
# Years a release speaks of, 1800 to 2199: in "19.04.3024" or "19. April 3024" no year is written.
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
# Every form is anchored on digits or a name and its white space is bounded, so a scan is linear in the text.
#: Not inside a word or a number: "B19. April", "1.19.04.2024".
_BEFORE = r"(?<![\w.])"
_YearRule = Literal["required", "optional"]
#: "Freitag, ", "Freitag, den ", "Freitag, dem ", "den ": what may stand before the day and belongs to the date.
#: "dem" only after a weekday: in "ab dem 1. Juni" it belongs to the sentence.
_LEAD = rf"(?P<lead>(?P<weekday>(?:{_WEEKDAY_NAME}),?\s{{1,3}}(?:(?:den|dem)\s{{1,3}})?)?(?:den\s{{1,3}})?)"


def _written(year: _YearRule) -> str:
    """ "19. April 2024", "3. Sept. 2025", and with ``year="optional"`` "14. Mai".

    The month ends as a word, or in the genitive's "s" ("des 20. Oktobers"):
    "3. Märzwoche" and "14. Mai-Feier" are no dates.
    """
    written_year = rf"(?:\s{{1,3}}(?P<year>{_YEAR}))" + ("?" if year == "optional" else "")
    return rf"(?P<day>{_DAY})\.\s{{0,2}}(?P<month>{_MONTH_NAME})(?:\.|s)?{written_year}(?![\w-])"


def _numeric(year: _YearRule) -> str:
    """ "19.04.2024", and with ``year="optional"`` "07.11.09" and "1.5." too.

    A year is not followed by more digits: "10.11.12.13" is no date.
    """
    if year == "optional":
        return rf"(?P<nday>{_DAY})\.\s?(?P<nmonth>{_MONTH_NUMBER})\.(?:\s?(?P<nyear>{_YEAR}|\d\d)(?!\d|\.\d))?"
    return rf"(?P<nday>{_DAY})\.\s?(?P<nmonth>{_MONTH_NUMBER})\.\s?(?P<nyear>{_YEAR})(?!\d|\.\d)"


#: A German calendar date with its year, written out ("19. April 2024") or numeric ("19.04.2024"),
#: with the weekday or "den" before it that belongs to it.
DATE_PATTERN = re.compile(
    rf"{_BEFORE}{_LEAD}(?:{_written('required')}|{_numeric('required')})",
    re.IGNORECASE,
)

_ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        1,
    )
    for name in names
}
_ENGLISH_NAME = "|".join(sorted(_ENGLISH_MONTHS, key=len, reverse=True))
# German forms first: where one matches, it is the reading.
_ANY_DATE = re.compile(
    rf"{_BEFORE}{_LEAD}(?:{_written('optional')}|{_numeric('optional')}"
    rf"|(?P<iy>{_YEAR})-(?P<im>{_MONTH_NUMBER})-(?P<id>{_DAY})(?!\d)"  # ISO 8601, as CMS pages print it
    rf"|(?P<hd>{_DAY})-(?P<hm>{_MONTH_NUMBER})-(?P<hy>{_YEAR})(?!\d)"
    rf"|(?P<em>{_ENGLISH_NAME})\.?\s{{1,3}}(?P<ed>{_DAY})(?:st|nd|rd|th)?,?\s{{1,3}}(?P<ey>{_YEAR})(?!\d)"
    rf"|(?P<ed2>{_DAY})\s(?P<em2>{_ENGLISH_NAME})\.?\s(?P<ey2>{_YEAR})(?!\d))",
    re.IGNORECASE,
)
_DATE_RANGE = re.compile(
    rf"{_BEFORE}(?P<first_day>{_DAY})\.(?:\s{{0,2}}(?P<first_month>{_MONTH_NAME})\.?)?(?:\s{{1,3}}(?P<first_year>{_YEAR}))?"
    rf"\s{{0,3}}(?P<link>bis(?:\s{{1,3}}(?:zum|einschließlich))?|[–-]|und)\s{{0,3}}{_written('optional')}",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"{_BEFORE}(?P<month>{_MONTH_NAME})\s{{1,3}}(?P<year>{_YEAR})(?!\d)", re.IGNORECASE)
#: Abbreviations that are also words or names ("Jan", "Jun", "Sep"): before a year they are too often no month.
_AMBIGUOUS_MONTH_WORDS = {"mär", "jun", "jul", "sep", "okt", "nov", "dez", "jan", "feb", "apr", "aug"}


class DateForm(str, Enum):
    """How a date is written."""

    WRITTEN = "written"  # 19. April 2024, Freitag, den 14. Mai
    NUMERIC = "numeric"  # 19.04.2024, 07.11.09, 1.5.
    ISO = "iso"  # 2024-04-19
    DASHED = "dashed"  # 19-04-2024
    ENGLISH = "english"  # Apr 19, 2024; 19 April 2024


@dataclass(frozen=True)
class DateHit:
    """A date written in a text: where, and its parts; ``year`` is ``None`` for "14. Mai".

    ``start`` includes a weekday or "den" before the day; ``lead`` is how many
    characters those take, ``weekday`` whether a weekday is among them.
    """

    start: int
    end: int
    day: int
    month: int
    year: int | None
    form: DateForm = field(default=DateForm.WRITTEN, kw_only=True)
    weekday: bool = field(default=False, kw_only=True)
    lead: int = field(default=0, kw_only=True)
    #: The year was written with two digits ("07.11.09").
    short_year: bool = field(default=False, kw_only=True)

    def on(self, year: int | None = None) -> dt.date | None:
        """The calendar date, with ``year`` standing in for a missing one; ``None`` if it is no date.

        >>> find_dates("am 14. Mai")[0].on(2024), find_dates("31.02.2024")[0].on()
        (datetime.date(2024, 5, 14), None)
        """
        year = self.year or year
        if year is None:
            return None
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class DateRangeHit:
    """Two days joined by "bis", a dash or "und": "10. bis 12. Oktober 2025", "3. März – 5. April".

    The first day takes the month and year of the last where it leaves them out.
    """

    start: int
    end: int
    first_day: int
    first_month: int
    first_year: int | None
    last_day: int
    last_month: int
    last_year: int | None
    #: "10. und 12. Oktober": two days, not the days between.
    pair: bool


@dataclass(frozen=True)
class MonthHit:
    """A month of a year: "März 2025"."""

    start: int
    end: int
    month: int
    year: int


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def find_dates(text: str) -> list[DateHit]:
    """Every date in ``text``: German, numeric (two-digit years too), ISO and English forms, with or without a year.

    >>> [(hit.day, hit.month, hit.year) for hit in find_dates("FW-MS: 03.02.2024 - Brand; (07.11.09); Mar 03 2022; 14. Mai")]
    [(3, 2, 2024), (7, 11, 2009), (3, 3, 2022), (14, 5, None)]
    >>> [(hit.start, hit.lead, hit.weekday, hit.form.value) for hit in find_dates("Am Freitag, den 19.04.2024.")]
    [(3, 13, True, 'numeric')]
    >>> find_dates("Version 1.5.2 vom 10.11.12.13, die 3. Märzwoche")
    []
    """
    hits = []
    for match in _ANY_DATE.finditer(text):
        year: str | None
        if match["day"]:
            form, day, month, year = DateForm.WRITTEN, int(match["day"]), _month(match["month"]), match["year"]
        elif match["nday"]:
            form, day, month, year = DateForm.NUMERIC, int(match["nday"]), int(match["nmonth"]), match["nyear"]
            if year is None and not re.match(r"\s|$|[,;)]", text[match.end() : match.end() + 1]):
                continue  # "1.5." inside a number, not a date
        elif match["iy"]:
            form, day, month, year = DateForm.ISO, int(match["id"]), int(match["im"]), match["iy"]
        elif match["hd"]:
            form, day, month, year = DateForm.DASHED, int(match["hd"]), int(match["hm"]), match["hy"]
        elif match["em"]:
            form, day, month, year = DateForm.ENGLISH, int(match["ed"]), _ENGLISH_MONTHS[match["em"].lower()], match["ey"]
        else:
            form, day, month, year = DateForm.ENGLISH, int(match["ed2"]), _ENGLISH_MONTHS[match["em2"].lower()], match["ey2"]
        full_year = None
        if year is not None:
            full_year = int(year)
            if len(year) == 2:  # "07.11.09": this century up to next year, else the last one
                full_year += 2000 if full_year <= (dt.date.today().year % 100) + 1 else 1900
        hits.append(DateHit(match.start(), match.end(), day, month, full_year, form=form, weekday=bool(match["weekday"]),
                            lead=len(match["lead"]), short_year=year is not None and len(year) == 2))
    return hits


def find_date_ranges(text: str) -> list[DateRangeHit]:
    """Every span of days ("10. bis 12. Oktober 2025") or pair of days ("3. und 4. Mai") in ``text``.

    >>> [(r.first_day, r.first_month, r.last_day, r.last_month, r.last_year, r.pair) for r in find_date_ranges(
    ...     "vom 10. bis 12. Oktober 2025, am 3. und 4. Mai, 30. März – 2. April")]
    [(10, 10, 12, 10, 2025, False), (3, 5, 4, 5, None, True), (30, 3, 2, 4, None, False)]
    """
    hits = []
    for match in _DATE_RANGE.finditer(text):
        last_month = _month(match["month"])
        hits.append(DateRangeHit(
            start=match.start(), end=match.end(),
            first_day=int(match["first_day"]),
            first_month=_month(match["first_month"]) if match["first_month"] else last_month,
            first_year=int(match["first_year"]) if match["first_year"] else None,
            last_day=int(match["day"]), last_month=last_month,
            last_year=int(match["year"]) if match["year"] else None,
            pair=match["link"].lower() == "und",
        ))
    return hits


def find_month_years(text: str) -> list[MonthHit]:
    """Every month of a year ("März 2025", "Sept. 2024") in ``text``; "Jan 2024" may be a name and is left out.

    >>> [(m.month, m.year) for m in find_month_years("Ende März 2025, ab Sept 2024, Jan 2024")]
    [(3, 2025), (9, 2024)]
    """
    return [MonthHit(match.start(), match.end(), _month(match["month"]), int(match["year"]))
            for match in _MONTH_YEAR.finditer(text) if match["month"].lower() not in _AMBIGUOUS_MONTH_WORDS]


def parse_date(text: str) -> dt.date | None:
    """The first German date with a year in ``text``, or ``None``.

    >>> parse_date("Düsseldorf, 3. Mai 2023"), parse_date("am 31.02.2024"), parse_date("am 14. Mai")
    (datetime.date(2023, 5, 3), None, None)
    """
    match = DATE_PATTERN.search(text)
    return _date_of(match) if match else None


def _date_of(match: re.Match[str]) -> dt.date | None:
    try:
        if match["day"]:
            return dt.date(int(match["year"]), _month(match["month"]), int(match["day"]))
        return dt.date(int(match["nyear"]), int(match["nmonth"]), int(match["nday"]))
    except ValueError:  # 31. Februar
        return None


def parse_date_time(text: str) -> tuple[dt.date | None, dt.time | None]:
    """The first German date in ``text`` and a clock time after it, if any.

    >>> parse_date_time("10.09.2025,10:00"), parse_date_time("19. April 2024 um 9.30 Uhr")
    ((datetime.date(2025, 9, 10), datetime.time(10, 0)), (datetime.date(2024, 4, 19), datetime.time(9, 30)))
    """
    match = DATE_PATTERN.search(text)
    date = _date_of(match) if match else None
    # ",10:00" right after the date: the comma separates, it is no decimal comma.
    rest = (text[match.end() :] if match else text).lstrip(" ,")
    times = find_times(rest)
    return date, times[0].time if times else None
