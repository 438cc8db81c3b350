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

from babel import Locale

from ..model import SpanKind
from ..read.german import MONTHS
from ..values import DateFact, DateRangeFact, MonthFact
from .found import Found, compile_pattern

__all__ = ["find_dates"]

_MONTH = "|".join(sorted((m for m in MONTHS), key=len, reverse=True))
_WEEKDAY = "|".join(Locale("de").days["format"]["wide"].values())
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_NAMED = rf"(?P<{{p}}day>{_DAY})\.\s*(?P<{{p}}month>{_MONTH})\.?(?:\s+(?P<{{p}}year>{_YEAR}))?(?![\w-])"
_NUMERIC = rf"(?P<{{p}}nday>{_DAY})\.\s?(?P<{{p}}nmonth>0?[1-9]|1[0-2])\.\s?(?P<{{p}}nyear>{_YEAR})(?!\d)"

_RANGE = compile_pattern(
    rf"""(?<![\w.])
    (?P<day1>{_DAY})\.(?:\s*(?P<month1>{_MONTH})\.?)?(?:\s+(?P<year1>{_YEAR}))?
    \s*(?P<link>bis(?:\s+(?:zum|einschließlich))?|[–-]|und)\s*
    (?P<day2>{_DAY})\.\s*(?P<month2>{_MONTH})\.?(?:\s+(?P<year2>{_YEAR}))?(?![\w-])"""
)
_DATE = compile_pattern(
    rf"""(?<![\w.])(?P<weekday>(?:{_WEEKDAY}),?\s+(?:(?:den|dem)\s+)?)?
    (?:{_NAMED.format(p="")}|{_NUMERIC.format(p="")})"""
)
_MONTH_YEAR = compile_pattern(rf"(?<![\w.])(?P<month>{_MONTH})\s+(?P<year>{_YEAR})(?!\d)")
#: Month names that are also common words; "Mai" and "März" are not, "Juni" is not, but abbreviations are risky.
_AMBIGUOUS_MONTH_WORDS = {"mär", "jun", "jul", "sep", "okt", "nov", "dez", "jan", "feb", "apr", "aug"}


def find_dates(text: str, *, reference: dt.date | None) -> Iterator[Found]:
    """Every date, date range and month-year in ``text``; ranges first, then single days."""
    taken: list[tuple[int, int]] = []
    for found in _ranges(text, reference):
        taken.append((found.start, found.end))
        yield found
    for found in _days(text, reference):
        if not _overlaps(found, taken):
            taken.append((found.start, found.end))
            yield found
    for match in _MONTH_YEAR.finditer(text):
        if match["month"].lower() in _AMBIGUOUS_MONTH_WORDS:
            continue
        found = Found(start=match.start(), end=match.end(), kind=SpanKind.DATE,
                      fact=MonthFact(year=int(match["year"]), month=MONTHS[match["month"].lower().rstrip(".")]))
        if not _overlaps(found, taken):
            yield found


def _overlaps(found: Found, taken: list[tuple[int, int]]) -> bool:
    return any(found.start < end and start < found.end for start, end in taken)


def _ranges(text: str, reference: dt.date | None) -> Iterator[Found]:
    for match in _RANGE.finditer(text):
        month2 = MONTHS[match["month2"].lower().rstrip(".")]
        month1 = MONTHS[match["month1"].lower().rstrip(".")] if match["month1"] else month2
        year_written = match["year2"] is not None
        if not year_written and reference is None:
            continue  # "22. Mai" in an undated release: no year to give it
        year2 = int(match["year2"]) if year_written else _infer_year(month2, int(match["day2"]), reference)
        year1 = int(match["year1"]) if match["year1"] else year2
        try:
            start = dt.date(year1, month1, int(match["day1"]))
            end = dt.date(year2, month2, int(match["day2"]))
        except ValueError:
            continue
        if end <= start:
            continue
        fact = DateRangeFact(start=start, end=end, relation="pair" if match["link"].lower() == "und" else "range", year=year_written)
        yield Found(start=match.start(), end=match.end(), kind=SpanKind.DATE, fact=fact)


def _days(text: str, reference: dt.date | None) -> Iterator[Found]:
    for match in _DATE.finditer(text):
        try:
            if match["day"]:
                month = MONTHS[match["month"].lower().rstrip(".")]
                year_written = match["year"] is not None
                if not year_written and reference is None:
                    continue
                year = int(match["year"]) if year_written else _infer_year(month, int(match["day"]), reference)
                date = dt.date(year, month, int(match["day"]))
                style = "long"
            else:
                date = dt.date(int(match["nyear"]), int(match["nmonth"]), int(match["nday"]))
                year_written, style = True, "numeric"
        except ValueError:  # 31. Februar
            continue
        yield Found(start=match.start(), end=match.end(), kind=SpanKind.DATE,
                    fact=DateFact(date=date, weekday=bool(match["weekday"]), year=year_written, style=style))  # type: ignore[arg-type]


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
