"""Numbers, amounts of money and percentages in German text.

Compounds keep their numbers as text: "40-jährigen", "3-Zimmer-Wohnung",
"B 54", "Nr. 123/2024", "1960er-Jahre". A four-digit year ("Ende 2025",
"seit 1989") is not a number fact either: it reads the same in every
language, and grouping it ("2,025") would be wrong.

>>> [f.fact for f in find_amounts("mit 3,2 Milliarden Euro und 13,50 €")]
[AmountFact(type='amount', value=Decimal('3.2'), currency='EUR', scale=9, minor=False), AmountFact(type='amount', value=Decimal('13.50'), currency='EUR', scale=0, minor=False)]
>>> [f.fact for f in find_percentages("um 12,5 Prozent, 2 Prozentpunkte")]
[PercentFact(type='percent', value=Decimal('12.5'), points=False), PercentFact(type='percent', value=Decimal('2'), points=True)]
>>> [f.fact.value for f in find_numbers("100.000 Menschen, 40-jährigen, B 54, Ende 2025, 1.250,50")]
[Decimal('100000'), Decimal('1250.50')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..german.numbers import (
    CURRENCY,
    CURRENCY_BEFORE,
    NUMBER,
    PERCENT,
    SCALE,
    currency_of,
    is_minor_unit,
    is_points,
    parse_number,
    scale_of,
)
from ..model import SpanKind
from ..values import AmountFact, NumberFact, PercentFact
from .found import Found, compile_pattern

__all__ = ["find_amounts", "find_numbers", "find_percentages"]

_AMOUNT_AFTER = compile_pattern(
    rf"(?P<number>{NUMBER})(?:\s*(?P<scale>{SCALE}))?\s*(?P<currency>{CURRENCY})(?![\w-])"
)
_AMOUNT_BEFORE = compile_pattern(
    rf"(?<![\w-])(?P<currency>{CURRENCY_BEFORE})\s*(?P<number>{NUMBER})(?:\s*(?P<scale>{SCALE}))?(?![\w-])"
)
_PERCENT = compile_pattern(rf"(?P<number>{NUMBER})\s*(?P<unit>{PERCENT})")
_NUMBER = re.compile(NUMBER)
_ROAD_OR_CODE = re.compile(r"(?:\b[A-ZÄÖÜ]{1,3}|Nr\.|Nummer|Paragraf|§|Art\.|Artikel|Abs\.)\s*$")
_YEAR = re.compile(r"1\d{3}|20\d{2}|21\d{2}")


def find_amounts(text: str) -> Iterator[Found]:
    taken: list[tuple[int, int]] = []
    for pattern in (_AMOUNT_AFTER, _AMOUNT_BEFORE):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            scale = scale_of(match["scale"]) if match["scale"] else 0
            fact = AmountFact(value=parse_number(match["number"]), currency=currency_of(match["currency"]), scale=scale,
                              minor=is_minor_unit(match["currency"]))
            taken.append((match.start(), match.end()))
            yield Found(start=match.start(), end=match.end(), kind=SpanKind.AMOUNT, fact=fact)


def find_percentages(text: str) -> Iterator[Found]:
    for match in _PERCENT.finditer(text):
        fact = PercentFact(value=parse_number(match["number"]), points=is_points(match["unit"]))
        yield Found(start=match.start(), end=match.end(), kind=SpanKind.PERCENT, fact=fact)


def find_numbers(text: str) -> Iterator[Found]:
    for match in _NUMBER.finditer(text):
        written = match.group(0)
        if _YEAR.fullmatch(written) or _ROAD_OR_CODE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        if written.isdigit() and _is_ordinal(text, match.end()):
            continue
        yield Found(start=match.start(), end=match.end(), kind=SpanKind.NUMBER, fact=NumberFact(value=parse_number(written)))


def _is_ordinal(text: str, end: int) -> bool:
    """ "zum 3. Mal", "der 2. Platz", "am 4. Juni".

    "bei 38. Im Vorjahr" (a sentence ending in a number) cannot be told apart
    from an ordinal; leaving a small integer as text costs nothing, because it
    reads the same in every language.
    """
    return re.match(r"\.\s+\w", text[end : end + 3]) is not None
