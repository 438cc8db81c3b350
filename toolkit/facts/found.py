"""What a recognizer reports, and German number syntax shared by the recognizers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..model import SpanKind
from ..values import Fact

__all__ = ["NUMBER", "Found", "parse_number"]

#: A German number as written: "100.000", "3,2", "1.250,50", "500".
#: Not part of a longer token: "40-jährigen", "B54", "123/2024", "H2" and "2.0" are not numbers.
NUMBER = r"(?<![\w.,/+-])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\w/]|[.,]\d|-\w)"


@dataclass(frozen=True, kw_only=True)
class Found:
    """A fact a recognizer found at ``text[start:end]``."""

    start: int
    end: int
    kind: SpanKind
    fact: Fact


def parse_number(written: str) -> Decimal:
    """The value of a German number, keeping the decimals written.

    >>> parse_number("1.250,50"), parse_number("100.000"), parse_number("3,2")
    (Decimal('1250.50'), Decimal('100000'), Decimal('3.2'))
    """
    return Decimal(written.replace(".", "").replace(",", "."))


def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)
