"""How German releases write where to reach someone: e-mail addresses (also
written to fool harvesters), web addresses, phone numbers and series of them.

>>> deobfuscate_emails("E-Mail: presse [at] example [punkt] de")
'E-Mail: presse@example.de'
>>> find_emails("presse@example.de oder info (at) example.org")
['presse@example.de', 'info@example.org']
>>> normalize_url("www.example.de/presse.")
'https://www.example.de/presse'
>>> parse_phone("0211 / 837-1134").e164
'+492118371134'
"""

from __future__ import annotations

import re

import phonenumbers

from ..model import Phone, PhoneKind

__all__ = [
    "EMAIL_PATTERN",
    "OBFUSCATED_EMAIL_PATTERN",
    "SERIES_TAIL",
    "URL_PATTERN",
    "deobfuscate_emails",
    "expand_number_series",
    "find_emails",
    "normalize_url",
    "parse_phone",
    "series_member",
]

# An address starts where a run of the characters of its local part starts: a scan that tried every
# position inside "1.2.1.2.…" would read the rest of the run again from each one.
_LOCAL = r"(?<![\w.+-])[\w.+-]+"
EMAIL_PATTERN = re.compile(rf"{_LOCAL}@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{{2,}}")
#: A web address with its scheme or starting with "www."; closing punctuation after it is not part of it.
URL_PATTERN = re.compile(r"\b(?:https?://|www\.)[^\s<>„“\"]+[^\s<>„“\".,;:!?)]")

_AT = r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|<\s*at\s*>|\s@\s)\s*"
_DOT = r"\s*(?:\[\s*(?:dot|punkt)\s*\]|\(\s*(?:dot|punkt)\s*\)|\{\s*(?:dot|punkt)\s*\})\s*"
#: ``presse [at] example [dot] de``, ``presse (at) example.de``, ``presse @ example.de``.
OBFUSCATED_EMAIL_PATTERN = re.compile(rf"(?P<local>{_LOCAL}){_AT}(?P<domain>[\w-]+(?:(?:\.|{_DOT})[\w-]+)+)", re.IGNORECASE)

#: A further number of a series, after the first: the "/-5514" of "567-5504/-5514", the "/32929" of "227-32924/32929".
SERIES_TAIL = r"(?<=\d)\s?/\s?-?\s?(?P<tail>\d{2,6})"
_SERIES = re.compile(rf"{SERIES_TAIL}(?=\s*(?:/|$|,|;|\)))")


def deobfuscate_emails(text: str) -> str:
    """Undo ``name [at] domain [dot] de`` style obfuscation."""

    def join(match: re.Match[str]) -> str:
        domain = re.sub(_DOT, ".", match["domain"], flags=re.IGNORECASE)
        return f"{match['local']}@{domain}"

    return OBFUSCATED_EMAIL_PATTERN.sub(join, text)


def find_emails(text: str) -> list[str]:
    """Every e-mail address in ``text``, obfuscated or not, in order."""
    return EMAIL_PATTERN.findall(deobfuscate_emails(text))


def normalize_url(url: str) -> str:
    """A web address as a link needs it: without closing punctuation, with a scheme."""
    url = url.strip().rstrip(".,;")
    return url if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE) else f"https://{url}"


def parse_phone(number: str, *, kind: PhoneKind = PhoneKind.PHONE, region: str = "DE") -> Phone:
    """A :class:`Phone` keeping the number as written, with E.164 when it parses."""
    number = number.strip()
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return Phone(number=number, kind=kind)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Phone(number=number, e164=e164 if phonenumbers.is_possible_number(parsed) else None, kind=kind)


def series_member(first: str, tail: str) -> str:
    """The number a series' ``tail`` stands for: it replaces as many last digits of ``first``.

    A tail as long as the first number's digits is a number of its own.

    >>> series_member("(0391) 567-5504", "5514"), series_member("4921122736045", "36245"), series_member("123", "4567")
    ('(0391) 567-5514', '4921122736245', '4567')
    """
    if len(tail) < len(re.sub(r"\D", "", first)):
        return first[: len(first) - len(tail)] + tail
    return tail


def expand_number_series(value: str) -> list[str]:
    """``(0391) 567-5504/-5514`` → both numbers: each ``/-NNNN`` replaces as many last digits of the first.

    >>> expand_number_series("(0391) 567-5504/-5514/-5516")
    ['(0391) 567-5504', '(0391) 567-5514', '(0391) 567-5516']
    >>> expand_number_series("0211 / 837-1134")
    ['0211 / 837-1134']
    >>> expand_number_series("030-227-36045/ 36245")
    ['030-227-36045', '030-227-36245']
    """
    value = value.strip().rstrip(",;")
    first_tail = _SERIES.search(value)
    if first_tail is None:
        return [value]
    first = value[: first_tail.start()]
    return [first] + [series_member(first, tail) for tail in _SERIES.findall(value)]
