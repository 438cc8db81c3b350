"""Contact blocks at the end of a German release.

>>> block = parse_contact_block(["Pressekontakt", "Staatskanzlei Beispielland",
...     "Telefon: 0211 / 837-1134", "E-Mail: presse [at] example.de"])
>>> block.label.text, block.organization, block.phones[0].e164, block.emails
('Pressekontakt', 'Staatskanzlei Beispielland', '+492118371134', ('presse@example.de',))
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..german.addresses import EMAIL_PATTERN, URL_PATTERN, deobfuscate_emails, expand_number_series, normalize_url, parse_phone
from ..model import Contact, Phone, PhoneKind, Text

__all__ = ["is_contact_label", "looks_like_contact_data", "parse_contact_block", "split_inline_contact"]

_LABEL = re.compile(
    r"^(?:[\w-]+(?:e|er|es)\s+)?"  # "Wissenschaftlicher Kontakt", "Fachliche Ansprechpartnerin"
    r"(?:presse-?\s?kontakte?|pressekontakt\w*|medienkontakte?|kontakte?|ansprechpartner(?:in|innen)?"
    r"|ansprechperson(?:en)?|bürgeranfragen|bürgerservice|für\s+rückfragen|rückfragen|pressestelle"
    r"|press\s+contacts?|contacts?|media\s+contacts?|media\s+enquiries)"
    r"(?:\s+(?:(?:bitte\s+)?(?:für|zu|bei|an|der|des)|bitte\s+an)\b.{0,50})?\s*:?$",
    re.IGNORECASE,
)
# The key must end as a word: "Telefax" is a fax, not "Tel" followed by "efax".
_FIELD = re.compile(
    r"^(?P<key>telefon|telefax|tel\.?|fon|phone|fax|mobiltelefon|mobil|handy|mobile|e-?mail|mail|internet|web|www|homepage)(?![a-zäöü])"
    r"\s*[.:]?\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_LABELLED_NUMBER = re.compile(r"^(?:[^:\d]{2,40}:\s*)?(?P<number>[+(]?\d[\d\s()/+–-]{5,24}\d)(?:\s*\([^()\d]{2,60}\))?$")
#: "Vorwahl: 0 47 21" above numbers written without their area code.
_AREA_CODE = re.compile(r"^(?:vorwahl|ortsvorwahl)\s*:?\s*(?P<code>[+\d][\d\s()]{1,12}\d)$", re.IGNORECASE)
_PHONE_KINDS = {"fax": PhoneKind.FAX, "telefax": PhoneKind.FAX, "mobil": PhoneKind.MOBILE, "mobiltelefon": PhoneKind.MOBILE,
                "handy": PhoneKind.MOBILE, "mobile": PhoneKind.MOBILE}
_ORGANIZATION = re.compile(
    r"gmbh|\bag\b|e\.\s?v\.|\bkg\b|ministerium|staatskanzlei|kanzlei|stadt|gemeinde|kreis|land\b|landes|amt\b|ämter|"
    r"universität|hochschule|institut|stiftung|verein|verband|museum|behörde|senat|regierung|referat|abteilung|"
    r"pressestelle|verwaltung|zentrum|agentur|klinikum|bank|kammer|gesellschaft|\bse\b|\bgroup\b|inc\.|ltd",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"\b\d{5}\b|(?:straße|str\.|weg|platz|allee|ring|gasse|ufer|damm|markt|hof)\s+\d|postfach", re.IGNORECASE)
_PERSON = re.compile(r"^(?:(?:Prof\.|Dr\.|Dipl\.-\w+\.?)\s+)*[A-ZÄÖÜ][\w'-]+(?:\s+(?:von|van|de|zu)?\s*[A-ZÄÖÜ][\w'-]+){1,2}$")


def is_contact_label(line: str) -> bool:
    return bool(_LABEL.match(line.strip()))


def looks_like_contact_data(line: str) -> bool:
    """A phone, e-mail or web line as contact blocks carry them."""
    line = line.strip()
    return bool(_FIELD.match(line) or EMAIL_PATTERN.fullmatch(deobfuscate_emails(line)))


_INLINE_LABEL = re.compile(r"^(?P<label>[^:]{3,60}):\s+(?P<rest>\S.*)$")
_INLINE_FIELD = re.compile(r",\s+(?=(?:tel(?:efon)?\.?|telefax|fax|mobil|handy|e-?mail|internet|web)\b)", re.IGNORECASE)


def split_inline_contact(line: str) -> list[str]:
    """A contact written on one line, as e-mails and one-line texts do, cut into the lines of a contact block.

    >>> split_inline_contact("Für Rückfragen: Jana Albers, Pressesprecherin, Tel. 069 90009-412, E-Mail: j.albers@example.de")
    ['Für Rückfragen:', 'Jana Albers', 'Pressesprecherin', 'Tel. 069 90009-412', 'E-Mail: j.albers@example.de']
    """
    parts: list[str] = []
    label = _INLINE_LABEL.match(line)
    if label and is_contact_label(label["label"]):
        parts.append(label["label"] + ":")
        line = label["rest"]
    if not _INLINE_FIELD.search(line) and not parts:
        return [line]
    for piece in _INLINE_FIELD.split(line):
        # A field keeps its commas; names and roles before the fields are cut at them.
        pieces = [piece] if _FIELD.match(piece) else re.split(r",\s+", piece)
        parts.extend(part.strip() for part in pieces if part.strip())
    return parts


def parse_contact_block(lines: Sequence[str]) -> Contact:
    """One contact block: an optional label line, then names and fields."""
    lines = [line.strip() for line in lines if line.strip()]
    label = None
    if lines and is_contact_label(lines[0]):
        label = Text.plain(lines[0].rstrip(":").strip())
        lines = lines[1:]
    phones: list[Phone] = []
    emails: list[str] = []
    urls: list[str] = []
    names: list[str] = []
    area_code = None
    for line in lines:
        code = _AREA_CODE.match(line)
        if code:
            area_code = code["code"]
        elif not _collect_field(line, phones, emails, urls):
            names.append(line)
    if area_code:
        phones = [_with_area_code(phone, area_code) for phone in phones]
    organization, person, role, address = _classify_names(names)
    return Contact(
        label=label,
        organization=organization,
        person=person,
        role=Text.plain(role) if role else None,
        address=tuple(address),
        phones=tuple(phones),
        emails=tuple(dict.fromkeys(emails)),
        urls=tuple(dict.fromkeys(urls)),
    )


def _collect_field(line: str, phones: list[Phone], emails: list[str], urls: list[str]) -> bool:
    line = line.strip().rstrip(",;")
    field = _FIELD.match(line)
    if field:
        key = field["key"].lower().rstrip(".")
        value = field["value"].strip()
        if key in {"e-mail", "email", "mail"}:
            emails.extend(EMAIL_PATTERN.findall(deobfuscate_emails(value)))
        elif key in {"internet", "web", "homepage"}:
            urls.extend(normalize_url(url) for url in URL_PATTERN.findall(value) or [value])
        elif key == "www":
            urls.append(normalize_url(line))
        else:
            kind = _PHONE_KINDS.get(key, PhoneKind.PHONE)
            phones.extend(parse_phone(number, kind=kind) for number in expand_number_series(value))
        return True
    deobfuscated = deobfuscate_emails(line)
    if EMAIL_PATTERN.fullmatch(deobfuscated):
        emails.append(deobfuscated)
        return True
    url = URL_PATTERN.fullmatch(line)
    if url:
        urls.append(normalize_url(line))
        return True
    # "Außerhalb der Bürozeiten: 0221 4710-320", or a number standing alone under the name.
    labelled = _LABELLED_NUMBER.match(line)
    if labelled:
        phones.append(parse_phone(labelled["number"]))
        return True
    # An address inside a sentence ("… die sich unter presse@example.de anmelden"): keep it; the line stays as text.
    emails.extend(EMAIL_PATTERN.findall(deobfuscated))
    return False


def _with_area_code(phone: Phone, area_code: str) -> Phone:
    """A number written without its area code ("2 44-1 23 45" under "Vorwahl: 0 47 21") gets it."""
    if phone.number.lstrip().startswith(("0", "+", "(")):
        return phone
    joined = parse_phone(f"{area_code} {phone.number}", kind=phone.kind)
    return Phone(number=f"{area_code} {phone.number}", e164=joined.e164, kind=phone.kind) if joined.e164 else phone


def _classify_names(names: list[str]) -> tuple[str | None, str | None, str | None, list[str]]:
    organization = person = role = None
    address: list[str] = []
    for line in names:
        if _ADDRESS.search(line):
            address.append(line)
        elif person is None and _PERSON.match(line) and not _ORGANIZATION.search(line):
            person = line
        elif organization is None and (_ORGANIZATION.search(line) or person is None):
            organization = line
        elif person is not None and role is None and not _ORGANIZATION.search(line):
            role = line
        else:
            address.append(line)
    return organization, person, role, address
