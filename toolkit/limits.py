"""Limits on what a release's text may ask of a parser, checked before the parser runs.

YAML, JSON and Markdown parsers recurse into nested structures; 600 levels of
``[`` or ``*`` in a few hundred bytes exhaust Python's stack, and a JSON
integer of thousands of digits takes quadratic time to convert. A release
never nests deeper than a handful of levels, so a generous limit costs
nothing and turns such input into one error line.

>>> nesting_depth("[[{}]]")
3
>>> nesting_depth('["[[[["]')
1
"""

from __future__ import annotations

import re

__all__ = ["MAX_DIGITS", "MAX_NESTING", "emphasis_depth", "longest_digit_run", "nesting_depth"]

#: Levels of brackets (JSON, YAML flow collections) or emphasis markers a release may use.
MAX_NESTING = 50
#: Digits a number in release JSON or front matter may have (Python refuses more than 4,300).
MAX_DIGITS = 100

_OPEN = "[{"
_CLOSE = "]}"


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``[]``/``{}`` in ``text``, outside double-quoted strings; linear in its length."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth = max(0, depth - 1)
    return deepest


_DIGITS = re.compile(r"\d+")


def longest_digit_run(text: str) -> int:
    """The length of the longest run of digits in ``text``."""
    return max((len(run) for run in _DIGITS.findall(text)), default=0)


def emphasis_depth(text: str) -> int:
    """The longest run of Markdown emphasis or quote markers (``*``, ``_``, ``>``, ``[``) on one line."""
    return max((len(run) for run in re.findall(r"[*_>\[]+", text)), default=0)
