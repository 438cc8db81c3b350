"""Clock times as German releases write them: "14:30 Uhr", "14 Uhr", "10.00 Uhr", "14 bis 18 Uhr".

A bare number is a time only with "Uhr" after it, or written as "14:30".

>>> [(hit.start, hit.end, hit.time, hit.until) for hit in find_times("von 10 bis 18 Uhr, Einlass 9.30 Uhr, Beginn 19:00")]
[(4, 17, datetime.time(10, 0), datetime.time(18, 0)), (27, 35, datetime.time(9, 30), None), (44, 49, datetime.time(19, 0), None)]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["TimeHit", "find_times"]

_CLOCK = r"(?P<{p}hour>[01]?\d|2[0-3])(?:[:.](?P<{p}minute>[0-5]\d))?"
# Not after a digit, a decimal comma or a colon: "3,10 Uhr" and "10:00:00" hold no clock time of their own.
_UHR_TIME = re.compile(
    rf"""(?<![\w.,:])
    (?:{_CLOCK.format(p="start_")}\s*(?:Uhr\s*)?(?:bis|[–-])\s*)?
    {_CLOCK.format(p="")}\s*Uhr\b""",
    re.IGNORECASE | re.VERBOSE,
)
_COLON_TIME = re.compile(r"(?<![\w.,:])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?![\d:])")


@dataclass(frozen=True)
class TimeHit:
    """A clock time written in a text; ``until`` ends a span of time ("14 bis 18 Uhr")."""

    start: int
    end: int
    time: dt.time
    until: dt.time | None = None


def find_times(text: str) -> list[TimeHit]:
    """Every clock time in ``text``, in order; "10 bis 14:30 Uhr" is one span, not also a "14:30"."""
    hits: list[TimeHit] = []
    for match in _UHR_TIME.finditer(text):
        time = dt.time(int(match["hour"]), int(match["minute"] or 0))
        if match["start_hour"] is not None:
            hits.append(TimeHit(match.start(), match.end(), dt.time(int(match["start_hour"]), int(match["start_minute"] or 0)), time))
        else:
            hits.append(TimeHit(match.start(), match.end(), time))
    taken = list(hits)
    for match in _COLON_TIME.finditer(text):
        if not any(match.start() < hit.end and hit.start < match.end() for hit in taken):
            hits.append(TimeHit(match.start(), match.end(), dt.time(int(match["hour"]), int(match["minute"]))))
    return sorted(hits, key=lambda hit: hit.start)
