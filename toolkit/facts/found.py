"""What a recognizer reports."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import SpanKind
from ..values import Fact

__all__ = ["Found", "compile_pattern"]


@dataclass(frozen=True, kw_only=True)
class Found:
    """A fact a recognizer found at ``text[start:end]``."""

    start: int
    end: int
    kind: SpanKind
    fact: Fact


def compile_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)
