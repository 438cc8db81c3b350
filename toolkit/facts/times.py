"""Clock times in German text as facts: "14:30 Uhr", "14 Uhr", "10.00 Uhr", "14 bis 18 Uhr".

The grammar is :mod:`toolkit.german.times`.

>>> [(f.start, f.end, f.fact.time, f.fact.end) for f in find_times("von 10 bis 18 Uhr, Einlass 9.30 Uhr")]
[(4, 17, datetime.time(10, 0), datetime.time(18, 0)), (27, 35, datetime.time(9, 30), None)]
"""

from __future__ import annotations

from collections.abc import Iterator

from ..german import times as german
from ..model import SpanKind
from ..values import TimeFact
from .found import Found

__all__ = ["find_times"]


def find_times(text: str) -> Iterator[Found]:
    for hit in german.find_times(text):
        yield Found(start=hit.start, end=hit.end, kind=SpanKind.TIME, fact=TimeFact(time=hit.time, end=hit.until))
