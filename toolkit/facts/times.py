"""Clock times in German text: "14:30 Uhr", "14 Uhr", "10.00 Uhr", "14 bis 18 Uhr".

A bare number is a time only with "Uhr" after it, or written as "14:30".

>>> [(f.start, f.end, f.fact.time, f.fact.end) for f in find_times("von 10 bis 18 Uhr, Einlass 9.30 Uhr")]
[(4, 17, datetime.time(10, 0), datetime.time(18, 0)), (27, 35, datetime.time(9, 30), None)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import SpanKind
from ..values import TimeFact
from .found import Found, compile_pattern

__all__ = ["find_times"]

_CLOCK = r"(?P<{p}hour>[01]?\d|2[0-3])(?:[:.](?P<{p}minute>[0-5]\d))?"
_TIME = compile_pattern(
    rf"""(?<![\w.,:])
    (?:{_CLOCK.format(p="start_")}\s*(?:Uhr\s*)?(?:bis|[–-])\s*)?
    {_CLOCK.format(p="")}\s*Uhr\b"""
)
_COLON_TIME = compile_pattern(r"(?<![\w.,:])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?![\d:])")


def find_times(text: str) -> Iterator[Found]:
    taken: list[tuple[int, int]] = []
    for match in _TIME.finditer(text):
        end = dt.time(int(match["hour"]), int(match["minute"] or 0))
        if match["start_hour"] is not None:
            start = dt.time(int(match["start_hour"]), int(match["start_minute"] or 0))
            fact = TimeFact(time=start, end=end)
        else:
            fact = TimeFact(time=end)
        taken.append((match.start(), match.end()))
        yield Found(start=match.start(), end=match.end(), kind=SpanKind.TIME, fact=fact)
    for match in _COLON_TIME.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        yield Found(start=match.start(), end=match.end(), kind=SpanKind.TIME,
                    fact=TimeFact(time=dt.time(int(match["hour"]), int(match["minute"]))))
