r"""Dates, months and clock times, rendered as the source wrote them.

The source's style carries over: a weekday written out gives the full
format, a date without a year stays without one, and a range or a pair of
days stays a range or a pair.

CLDR "skeletons" name the fields wanted ("yMMMMd": year, full month name,
day); a locale maps each skeleton to its pattern. When a locale has no
pattern for the exact skeleton, CLDR (TR35, "Matching Skeletons") says to
take the closest one and adjust its field widths. Babel finds the closest
one but does not adjust the widths, so ``format_interval(..., "yMMMMd",
locale="en")`` gives "Oct 10 – 12, 2025" with an abbreviated month. This
module makes that adjustment for month and weekday names
(:func:`_skeleton_pattern`, :func:`_interval_patterns`).

>>> import datetime as dt
>>> format_date_fact(DateFact(date=dt.date(2024, 4, 19), weekday=True), locale="en")
'Friday, April\xa019, 2024'
>>> format_date_range(DateRangeFact(start=dt.date(2025, 10, 10), end=dt.date(2025, 10, 12)), locale="fr")
'10–12\xa0octobre\xa02025'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from babel import Locale
from babel.dates import format_date, format_interval, format_time, match_skeleton
from babel.lists import format_list

from ..values import DateFact, DateRangeFact, MonthFact, TimeFact
from .core import LocaleArg, get_locale
from .typography import for_print

__all__ = ["format_date_fact", "format_date_range", "format_month", "format_time_fact"]

# A quoted literal in a CLDR pattern ('de ', or '' for an apostrophe).
_QUOTED = re.compile(r"('(?:[^']|'')*')")
# Name-valued fields whose width CLDR allows to adjust: month (format and
# stand-alone) and weekday (format and stand-alone); width 3 or more is a name.
_NAME_FIELD = re.compile(r"M{3,}|L{3,}|E+|c{3,}")


def format_date_fact(fact: DateFact, *, locale: LocaleArg) -> str:
    r"""A calendar day in the source's style.

    >>> import datetime as dt
    >>> day = dt.date(2024, 4, 19)
    >>> format_date_fact(DateFact(date=day), locale="en"), format_date_fact(DateFact(date=day), locale="es")
    ('April\xa019, 2024', '19\xa0de abril de\xa02024')
    >>> format_date_fact(DateFact(date=day, weekday=True), locale="fr")
    'vendredi\xa019\xa0avril\xa02024'
    >>> format_date_fact(DateFact(date=dt.date(2024, 5, 22), year=False), locale="en")
    'May\xa022'
    >>> format_date_fact(DateFact(date=day, style="numeric"), locale="en")
    'April\xa019, 2024'
    """
    babel_locale = get_locale(locale)
    # A numeric source date ("19.04.2024") is rendered long, like any other:
    # 04/19/2024, 19/04/2024 and 2024-04-19 all exist, and a reader cannot
    # tell which order a numeric date uses. A month name is unambiguous.
    return for_print(_day(fact.date, babel_locale, weekday=fact.weekday, year=fact.year), locale=babel_locale)


def format_date_range(fact: DateRangeFact, *, locale: LocaleArg) -> str:
    r"""Two days: a range ("10–12 October") or a pair ("June 3 and June 4").

    A range uses the locale's CLDR interval patterns, which write shared
    parts once; where the locale has none, "<start> – <end>" with the
    locale's fallback pattern. A pair is a list of the two days as the
    locale writes lists; CLDR repeats the month ("3 juin et 4 juin").

    >>> import datetime as dt
    >>> october = DateRangeFact(start=dt.date(2025, 10, 10), end=dt.date(2025, 10, 12))
    >>> format_date_range(october, locale="en"), format_date_range(october, locale="de")
    ('October\xa010–12, 2025', '10.–12.\xa0Oktober\xa02025')
    >>> pair = DateRangeFact(start=dt.date(2024, 6, 3), end=dt.date(2024, 6, 4), relation="pair", year=False)
    >>> format_date_range(pair, locale="en")
    'June\xa03\xa0and June\xa04'
    """
    babel_locale = get_locale(locale)
    if fact.relation == "pair":
        days = [_day(day, babel_locale, weekday=False, year=fact.year) for day in (fact.start, fact.end)]
        text = format_list(days, locale=babel_locale)
    else:
        text = _date_interval(fact.start, fact.end, babel_locale, year=fact.year)
    return for_print(text, locale=babel_locale)


def format_month(fact: MonthFact, *, locale: LocaleArg) -> str:
    """A month of a year ("April 2024", "avril 2024", "kwiecień 2024").

    >>> format_month(MonthFact(year=2024, month=4), locale="fr")
    'avril\\xa02024'
    """
    babel_locale = get_locale(locale)
    first = dt.date(fact.year, fact.month, 1)
    return for_print(format_date(first, _skeleton_pattern("yMMMM", babel_locale), locale=babel_locale), locale=babel_locale)


def format_time_fact(fact: TimeFact, *, locale: LocaleArg) -> str:
    r"""A clock time ("2:30 PM", "14:30") or a range of times.

    A range keeps the locale's hour cycle: 12-hour locales share the
    AM/PM marker ("2:00–6:00 PM"); German adds "Uhr" as CLDR does.

    >>> import datetime as dt
    >>> format_time_fact(TimeFact(time=dt.time(14, 30)), locale="en")
    '2:30\u202fPM'
    >>> format_time_fact(TimeFact(time=dt.time(14), end=dt.time(18)), locale="en")
    '2:00–6:00\u202fPM'
    >>> format_time_fact(TimeFact(time=dt.time(14), end=dt.time(18)), locale="de")
    '14:00–18:00\xa0Uhr'
    """
    babel_locale = get_locale(locale)
    if fact.end is None:
        text = format_time(fact.time, "short", locale=babel_locale)
    else:
        text = format_interval(fact.time, fact.end, _hour_skeleton(babel_locale), locale=babel_locale)
    return for_print(text, locale=babel_locale)


def _day(day: dt.date, locale: Locale, *, weekday: bool, year: bool) -> str:
    if year:
        return format_date(day, "full" if weekday else "long", locale=locale)
    skeleton = "MMMMEEEEd" if weekday else "MMMMd"
    return format_date(day, _skeleton_pattern(skeleton, locale), locale=locale)


def _date_interval(start: dt.date, end: dt.date, locale: Locale, *, year: bool) -> str:
    """The range as CLDR's interval pattern for the field that differs first."""
    skeleton = "yMMMMd" if year else "MMMMd"
    patterns = _interval_patterns(skeleton, locale)
    if start == end:
        return _day(start, locale, weekday=False, year=year)
    differences = (("y", start.year != end.year), ("M", start.month != end.month), ("d", start.day != end.day))
    for field, differs in differences:
        if differs and field in patterns:
            start_pattern, end_pattern = patterns[field]
            return format_date(start, start_pattern, locale=locale) + format_date(end, end_pattern, locale=locale)
    # CLDR's fallback pattern, "{0} – {1}" in most locales.
    fallback = str(locale.interval_formats.get(None) or "{0} – {1}")
    first, last = (_day(day, locale, weekday=False, year=year) for day in (start, end))
    return fallback.replace("{0}", first).replace("{1}", last)


def _interval_patterns(skeleton: str, locale: Locale) -> Mapping[str, Sequence[str]]:
    """Start and end pattern per greatest differing field, widths adjusted; empty if CLDR has none."""
    formats = locale.interval_formats
    if skeleton in formats:
        return {str(field): [str(part) for part in parts] for field, parts in formats[skeleton].items()}
    closest = match_skeleton(skeleton, [str(key) for key in formats if key])
    if closest is None:
        return {}
    return {str(field): [_adjust_widths(str(part), skeleton) for part in parts] for field, parts in formats[closest].items()}


def _skeleton_pattern(skeleton: str, locale: Locale) -> str:
    """The locale's pattern for ``skeleton``: exact, or the closest with widths adjusted.

    >>> from babel import Locale
    >>> _skeleton_pattern("MMMMEEEEd", Locale.parse("fr"))  # CLDR fr has only MMMEd: "E d MMM"
    'EEEE d MMMM'
    """
    skeletons = locale.datetime_skeletons
    if skeleton in skeletons:
        return str(skeletons[skeleton].pattern)
    closest = match_skeleton(skeleton, skeletons)
    if closest is None:  # no date skeletons at all: the long date is the safe choice
        return str(locale.date_formats["long"].pattern)
    return _adjust_widths(str(skeletons[closest].pattern), skeleton)


def _adjust_widths(pattern: str, skeleton: str) -> str:
    """Widen month and weekday names in ``pattern`` to the widths ``skeleton`` asks for.

    Only names are widened (MMM → MMMM); a numeric month (M, MM) stays
    numeric, since the pattern's punctuation was made for numbers.
    Quoted literals are left alone.

    >>> _adjust_widths("MMM d, y", "yMMMMd"), _adjust_widths("d 'de' MMM", "MMMMd")
    ('MMMM d, y', "d 'de' MMMM")
    >>> _adjust_widths("EEE, d. MMM", "MMMMEEEEd")
    'EEEE, d. MMMM'
    """
    wanted = {"M": skeleton.count("M"), "E": skeleton.count("E")}

    def widen(match: re.Match[str]) -> str:
        run = match.group()
        field = "E" if run[0] in "Ec" else "M"
        width = wanted[field]
        return run[0] * width if width >= 3 and width > len(run) else run

    parts = _QUOTED.split(pattern)
    # split() with a capturing group puts the quoted literals at odd indexes.
    return "".join(part if index % 2 else _NAME_FIELD.sub(widen, part) for index, part in enumerate(parts))


def _hour_skeleton(locale: Locale) -> str:
    """"hm" for a 12-hour locale, "Hm" for a 24-hour one, read from its short time format."""
    pattern = _QUOTED.sub("", str(locale.time_formats["short"].pattern))
    hour = next((char for char in pattern if char in "hHKk"), "H")
    return "hm" if hour in "hK" else "Hm"
