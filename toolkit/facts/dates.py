"""Dates in German text.

Vague expressions ("Mitte März", "Ende 2025", "im Frühjahr") are not facts:
they stay text for the translator. A day without a year ("am 22. Mai") takes
its year from the release date.

>>> import datetime as dt
>>> [(f.start, f.end, f.fact) for f in find_dates("Am Freitag, 19. April 2024, in Redmond.", reference=dt.date(2024, 4, 19))]
[(3, 26, DateFact(type='date', date=datetime.date(2024, 4, 19), weekday=True, year=True, style='long'))]
>>> [f.fact.end for f in find_dates("vom 10. bis 12. Oktober 2025", reference=dt.date(2025, 1, 1))]
[datetime.date(2025, 10, 12)]
>>> list(find_dates("Mitte März und Ende 2025", reference=dt.date(2024, 4, 19)))
[]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..german import dates as german
from ..model import SpanKind
from ..values import DateFact, DateRangeFact, MonthFact
from .found import Found

__all__ = ["find_dates"]


def find_dates(text: str, *, reference: dt.date | None) -> Iterator[Found]:
    """Every date, date range and month-year in ``text``; ranges first, then single days.

    The grammar is :mod:`toolkit.german.dates`; as facts count the German forms
    only, numeric ones with a four-digit year: "07.11.09" stays text.
    """
    taken: list[tuple[int, int]] = []
    for found in _ranges(text, reference):
        taken.append((found.start, found.end))
        yield found
    for found in _days(text, reference):
        if not _overlaps(found, taken):
            taken.append((found.start, found.end))
            yield found
    for hit in german.find_month_years(text):
        found = Found(start=hit.start, end=hit.end, kind=SpanKind.DATE, fact=MonthFact(year=hit.year, month=hit.month))
        if not _overlaps(found, taken):
            yield found


def _overlaps(found: Found, taken: list[tuple[int, int]]) -> bool:
    return any(found.start < end and start < found.end for start, end in taken)


def _ranges(text: str, reference: dt.date | None) -> Iterator[Found]:
    for hit in german.find_date_ranges(text):
        year_written = hit.last_year is not None
        if hit.last_year is None:
            if reference is None:
                continue  # "22. Mai" in an undated release: no year to give it
            last_year = _infer_year(hit.last_month, hit.last_day, reference)
        else:
            last_year = hit.last_year
        try:
            start = dt.date(hit.first_year or last_year, hit.first_month, hit.first_day)
            end = dt.date(last_year, hit.last_month, hit.last_day)
        except ValueError:
            continue
        if end <= start:
            continue
        fact = DateRangeFact(start=start, end=end, relation="pair" if hit.pair else "range", year=year_written)
        yield Found(start=hit.start, end=hit.end, kind=SpanKind.DATE, fact=fact)


def _days(text: str, reference: dt.date | None) -> Iterator[Found]:
    for hit in german.find_dates(text):
        if hit.form is german.DateForm.WRITTEN:
            year_written, style = hit.year is not None, "long"
            if hit.year is not None:
                date = hit.on()
            elif reference is not None:
                date = hit.on(_infer_year(hit.month, hit.day, reference))
            else:
                continue  # "22. Mai" in an undated release
        elif hit.form is german.DateForm.NUMERIC and hit.year is not None and not hit.short_year:
            year_written, style = True, "numeric"
            date = hit.on()
        else:
            continue  # ISO, English and two-digit years are no German dates to localize
        if date is None:  # 31. Februar
            continue
        # "den" before a day stays text; a weekday (with its "den") is part of the date.
        start = hit.start if hit.weekday else hit.start + hit.lead
        yield Found(start=start, end=hit.end, kind=SpanKind.DATE,
                    fact=DateFact(date=date, weekday=hit.weekday, year=year_written, style=style))  # type: ignore[arg-type]


def _infer_year(month: int, day: int, reference: dt.date) -> int:
    """The year of "22. Mai" in a release dated ``reference``.

    The same year, unless that day lies more than four months before the
    release: a November release announcing "15. Januar" means next January.
    """
    try:
        candidate = dt.date(reference.year, month, day)
    except ValueError:
        return reference.year
    return reference.year + 1 if (reference - candidate).days > 122 else reference.year
