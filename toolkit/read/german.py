"""German conventions the readers share: dates in datelines, e-mail
addresses written to fool harvesters, phone numbers.

Month and weekday names come from Babel's CLDR data, not from a list typed
here.

>>> parse_date("Freitag, 19. April 2024")
datetime.date(2024, 4, 19)
>>> parse_date("Düsseldorf, 3. Mai 2023")
datetime.date(2023, 5, 3)
>>> parse_date_time("Sperrfrist: 12.06.2024, 10:00 Uhr")
(datetime.date(2024, 6, 12), datetime.time(10, 0))
>>> deobfuscate_emails("E-Mail: presse [at] example.de")
'E-Mail: presse@example.de'
>>> parse_phone("0211 / 837-1134").e164
'+492118371134'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from babel import Locale

from ..model import Phone, PhoneKind

__all__ = [
    "DATE_PATTERN",
    "DateHit",
    "EMAIL_PATTERN",
    "MONTHS",
    "OBFUSCATED_EMAIL_PATTERN",
    "URL_PATTERN",
    "deobfuscate_emails",
    "find_dates",
    "find_emails",
    "parse_date",
    "parse_date_time",
    "parse_phone",
]

_de = Locale("de")
MONTHS: dict[str, int] = {}
for _number, _name in _de.months["format"]["wide"].items():
    MONTHS[_name.lower()] = _number
for _number, _name in _de.months["format"]["abbreviated"].items():
    MONTHS[_name.lower().rstrip(".")] = _number
MONTHS.update({"jänner": 1, "sept": 9, "febr": 2})  # Austrian January; common abbreviations
_MONTH_ALTERNATION = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WEEKDAYS = "|".join(re.escape(d) for d in _de.days["format"]["wide"].values())

#: A German calendar date, written out ("19. April 2024") or numeric ("19.04.2024").
DATE_PATTERN = re.compile(
    rf"(?:(?:{_WEEKDAYS}),?\s+)?(?:den\s+)?"
    rf"(?:(?P<day>\d{{1,2}})\.\s*(?P<month_name>{_MONTH_ALTERNATION})\.?\s+(?P<year>\d{{4}})"
    rf"|(?P<nday>\d{{1,2}})\.\s?(?P<nmonth>\d{{1,2}})\.\s?(?P<nyear>\d{{4}}))",
    re.IGNORECASE,
)
_TIME_PATTERN = re.compile(r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*Uhr\b|(?P<h24>\d{1,2}):(?P<m24>\d{2})\b")

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
URL_PATTERN = re.compile(r"\b(?:https?://|www\.)[^\s<>„“\"]+[^\s<>„“\".,;:!?)]")

_AT = r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|<\s*at\s*>|\s@\s)\s*"
_DOT = r"\s*(?:\[\s*(?:dot|punkt)\s*\]|\(\s*(?:dot|punkt)\s*\)|\{\s*(?:dot|punkt)\s*\})\s*"
OBFUSCATED_EMAIL_PATTERN = re.compile(rf"(?P<local>[\w.+-]+){_AT}(?P<domain>[\w-]+(?:(?:\.|{_DOT})[\w-]+)+)", re.IGNORECASE)


def parse_date(text: str) -> dt.date | None:
    """The first German date in ``text``, or ``None``."""
    match = DATE_PATTERN.search(text)
    if match is None:
        return None
    try:
        if match["day"]:
            return dt.date(int(match["year"]), MONTHS[match["month_name"].lower().rstrip(".")], int(match["day"]))
        return dt.date(int(match["nyear"]), int(match["nmonth"]), int(match["nday"]))
    except ValueError:  # 31. Februar
        return None


def parse_date_time(text: str) -> tuple[dt.date | None, dt.time | None]:
    """The first German date in ``text`` and a clock time after it, if any."""
    match = DATE_PATTERN.search(text)
    date = parse_date(text)
    rest = text[match.end() :] if match else text
    time_match = _TIME_PATTERN.search(rest)
    time = None
    if time_match:
        hour = int(time_match["hour"] or time_match["h24"])
        minute = int(time_match["minute"] or time_match["m24"] or 0)
        if hour < 24 and minute < 60:
            time = dt.time(hour, minute)
    return date, time


def deobfuscate_emails(text: str) -> str:
    """Undo ``name [at] domain [dot] de`` style obfuscation."""

    def join(match: re.Match[str]) -> str:
        domain = re.sub(_DOT, ".", match["domain"], flags=re.IGNORECASE)
        return f"{match['local']}@{domain}"

    return OBFUSCATED_EMAIL_PATTERN.sub(join, text)


def find_emails(text: str) -> list[str]:
    """Every e-mail address in ``text``, obfuscated or not, in order."""
    return EMAIL_PATTERN.findall(deobfuscate_emails(text))


def parse_phone(number: str, *, kind: PhoneKind = PhoneKind.PHONE, region: str = "DE") -> Phone:
    """A :class:`Phone` keeping the number as written, with E.164 when it parses."""
    number = number.strip()
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return Phone(number=number, kind=kind)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Phone(number=number, e164=e164 if phonenumbers.is_possible_number(parsed) else None, kind=kind)


# -- dates as releases really write them ------------------------------------------------

_ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        1,
    )
    for name in names
}
_ENGLISH_ALTERNATION = "|".join(sorted(_ENGLISH_MONTHS, key=len, reverse=True))
# Each form is anchored on digits or a month name and bounded in length, so a scan is linear in the text.
_DATE_FORMS = re.compile(
    rf"(?<![\w.])(?:(?:{_WEEKDAYS}),?\s{{1,3}})?(?:den\s+)?"
    rf"(?:(?P<wd>\d{{1,2}})\.\s{{0,2}}(?P<wm>{_MONTH_ALTERNATION})\.?(?:\s{{1,3}}(?P<wy>\d{{4}})(?!\d))?"
    rf"|(?P<nd>\d{{1,2}})\.\s?(?P<nm>\d{{1,2}})\.(?:\s?(?P<ny>\d{{4}}|\d{{2}})(?![\d.]))?"
    rf"|(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})(?!\d)"
    rf"|(?P<hd>\d{{1,2}})-(?P<hm>\d{{1,2}})-(?P<hy>\d{{4}})(?!\d)"
    rf"|(?P<em>{_ENGLISH_ALTERNATION})\.?\s{{1,3}}(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?,?\s{{1,3}}(?P<ey>\d{{4}})(?!\d)"
    rf"|(?P<ed2>\d{{1,2}})\s(?P<em2>{_ENGLISH_ALTERNATION})\.?\s(?P<ey2>\d{{4}})(?!\d))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateHit:
    """A date written in a text: where, and its parts; ``year`` is ``None`` for "14. Mai"."""

    start: int
    end: int
    day: int
    month: int
    year: int | None

    def on(self, year: int | None = None) -> dt.date | None:
        """The calendar date, with ``year`` standing in for a missing one; ``None`` if it is no date."""
        try:
            return dt.date(self.year or year, self.month, self.day) if (self.year or year) else None
        except ValueError:
            return None


def find_dates(text: str) -> list[DateHit]:
    """Every date in ``text``: German, numeric (two-digit years too), ISO and English forms, with or without a year.

    >>> [(hit.day, hit.month, hit.year) for hit in find_dates("FW-MS: 03.02.2024 - Brand; (07.11.09); Mar 03 2022; 14. Mai")]
    [(3, 2, 2024), (7, 11, 2009), (3, 3, 2022), (14, 5, None)]
    """
    hits = []
    for match in _DATE_FORMS.finditer(text):
        if match["wd"]:
            day, month, year = int(match["wd"]), MONTHS[match["wm"].lower().rstrip(".")], match["wy"]
        elif match["nd"]:
            day, month, year = int(match["nd"]), int(match["nm"]), match["ny"]
            if year is None and not re.match(r"\s|$|[,;)]", text[match.end():match.end() + 1]):
                continue  # "1.5." inside a number, not a date
        elif match["iy"]:
            day, month, year = int(match["id"]), int(match["im"]), match["iy"]
        elif match["hd"]:
            day, month, year = int(match["hd"]), int(match["hm"]), match["hy"]
        elif match["em"]:
            day, month, year = int(match["ed"]), _ENGLISH_MONTHS[match["em"].lower()], match["ey"]
        else:
            day, month, year = int(match["ed2"]), _ENGLISH_MONTHS[match["em2"].lower()], match["ey2"]
        full_year = None
        if year is not None:
            full_year = int(year)
            if len(year) == 2:
                full_year += 2000 if full_year <= (dt.date.today().year % 100) + 1 else 1900
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        hits.append(DateHit(match.start(), match.end(), day, month, full_year))
    return hits
