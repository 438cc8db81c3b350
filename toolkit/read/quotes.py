"""Recognize quotation paragraphs in German releases and who speaks in them.

German releases quote in two ways: the speaker leads
(``Ministerin Dr. Eva Roth: „…“``) or follows the quotation
(``„…“, sagte Jonas Feld, Vorstandsvorsitzender der Beispiel AG.``).

>>> find_quote('Ministerpräsident Karl Albers: „Wir gehen den Weg gemeinsam weiter.“')
Speaker(name='Karl Albers', role=Text(text='Ministerpräsident', spans=()))
>>> find_quote('„Das ist ein guter Tag für die Region“, sagte Jonas Feld, Präsident der Beispiel AG.')
Speaker(name='Jonas Feld', role=Text(text='Präsident der Beispiel AG', spans=()))
>>> find_quote('„Wir sind sehr zufrieden mit dem Ergebnis“, so Ministerin Dr. Eva Roth.')
Speaker(name='Dr. Eva Roth', role=Text(text='Ministerin', spans=()))
>>> find_quote('Der „Tech-Accord“ gilt seit Januar.') is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Speaker, Text

__all__ = ["QuoteMatch", "find_quote", "split_speaker"]

_OPENING = "„»“\"‚"
_CLOSING = "“«”\"‘"

_VERBS = (
    r"(?:sagte|sagt|so|erklärte|erklärt|betonte|betont|ergänzte|ergänzt|unterstrich|unterstreicht|"
    r"meinte|meint|erläuterte|erläutert|bekräftigte|bekräftigt|hob|hebt|fügte|fügt|versicherte|versichert|"
    r"freute sich|freut sich|zeigte sich|zeigt sich|kommentierte|kommentiert|resümierte|resümiert|"
    r"sagte auch|sagte weiter|so weiter)"
)
#: A full stop that ends the attribution, not the one of "Dr." or "Prof.".
_SENTENCE_END = r"(?<!\bDr)(?<!\bProf)(?<!\bSt)(?<!\bDipl)[.;]"
#: ``“, sagte Jonas Feld, …`` — the attribution after a closing quotation mark.
_TRAILING_ATTRIBUTION = re.compile(
    rf"[{_CLOSING}]\s*[,–—-]?\s*{_VERBS}\s+(?P<who>[^„»“\"]+?)(?:\s+(?:hinzu|hervor|überzeugt|erfreut))?\s*(?:{_SENTENCE_END}\s|{_SENTENCE_END}?$|\s[„»])"
)
#: ``Ministerin Dr. Eva Roth: „…`` — the speaker leading the paragraph.
_LEADING_ATTRIBUTION = re.compile(rf"^(?P<who>[^{_OPENING}:.!?]{{3,140}}?)\s*:\s*[{_OPENING}]")

_INSTITUTION = re.compile(
    r"(?:institut|lehrstuhl|zentrum|verband|ministerium|amt|bundes|landes|universität|hochschule|klinik|fachbereich|"
    r"department|vorstand|team|verein|unternehmen|land|bund|rat|stadt|kreis)",
    re.IGNORECASE,
)
_ARTICLES = {"der", "die", "das", "den", "dem", "des"}
_PARTICLES = {"von", "van", "de", "zu", "vom", "zur", "ter", "ten", "da", "di", "le", "la", "el", "al", "bin", "ibn"}
_TITLES = {"dr.", "prof.", "dr.-ing.", "dipl.-ing.", "mag.", "med.", "rer.", "nat.", "h.c.", "phil.", "jur.", "pd"}
#: Words (or word endings) that name an office rather than a person.
_ROLE = re.compile(
    r"(?:präsident|minister|meister|direktor|leiter|sprecher|führer|chef|vorsitzende[rn]?|rektor|dezernent|"
    r"referent|beauftragte[rn]?|sekretär|landrat|landrätin|senator|kanzler|vorstand|intendant|kurator|"
    r"gründer|inhaber|koordinator|manager|berater|bürgermeister|dekan|professor|abgeordnete[rn]?|"
    r"stellvertreter|staatssekretär|generalsekretär|obmann|obfrau|bischof|pfarrer|kommissar|ministerin)(?:in|innen|en|e)?$"
    r"|^(?:president|chair|chairman|chairwoman|ceo|cfo|cto|coo|vice|head|director|chief|officer|founder|"
    r"partner|senior|general|executive|managing|vp|svp|evp)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, kw_only=True)
class QuoteMatch:
    speaker: Speaker | None


def find_quote(paragraph: str) -> Speaker | None:
    """The speaker if ``paragraph`` is a quotation paragraph naming one, else ``None``.

    A paragraph that merely contains a quoted phrase is not a quotation.
    """
    match = quote_match(paragraph)
    return match.speaker if match else None


def quote_match(paragraph: str) -> QuoteMatch | None:
    """Whether ``paragraph`` is a quotation paragraph, and its speaker if named."""
    text = paragraph.strip()
    lead = _LEADING_ATTRIBUTION.match(text)
    if lead:
        speaker = split_speaker(lead["who"])
        if speaker is not None:
            return QuoteMatch(speaker=speaker)
    if text and text[0] not in _OPENING:
        return _embedded_quote(text)
    if not text:
        return None
    trailing = _TRAILING_ATTRIBUTION.search(text)
    if trailing:
        speaker = split_speaker(trailing["who"])
        if speaker is not None:
            return QuoteMatch(speaker=speaker)
    # No speaker named: still a quotation if it opens with a real sentence,
    # not a quoted title such as „Digital Partner Summit 2025“.
    closing = next((i for i, char in enumerate(text[1:], 1) if char in _CLOSING), len(text))
    quoted = text[1:closing]
    if len(quoted.split()) >= 6 and re.search(r"[.!?,]", quoted):
        return QuoteMatch(speaker=None)
    return None


def _embedded_quote(text: str) -> QuoteMatch | None:
    """A paragraph that is mostly one attributed quotation, after a sentence of context.

    ``Auch der Verband begrüßt den Schritt. „… lange gewartet“, sagte Sprecherin Anna Beispiel.``
    Only a quotation making up at least 40 % of the paragraph makes it a
    quotation paragraph; a quoted phrase inside a report does not.
    """
    if len(text) > 3000:
        return None
    opening = next((index for index, char in enumerate(text) if char in _OPENING), None)
    if opening is None:
        return None
    trailing = _TRAILING_ATTRIBUTION.search(text, opening)
    if trailing is None:
        return None
    quoted = trailing.start() - opening
    if quoted < 0.4 * len(text):
        return None
    speaker = split_speaker(trailing["who"])
    return QuoteMatch(speaker=speaker) if speaker is not None else None


def split_speaker(who: str) -> Speaker | None:
    """Split an attribution into name and role.

    >>> split_speaker("Vice Chair und President Jonas Feld")
    Speaker(name='Jonas Feld', role=Text(text='Vice Chair und President', spans=()))
    >>> split_speaker("Ministerpräsident Albers")
    Speaker(name='Albers', role=Text(text='Ministerpräsident', spans=()))
    >>> split_speaker("die Ministerin für Wirtschaft Mona Neubaur")
    Speaker(name='Mona Neubaur', role=Text(text='Ministerin für Wirtschaft', spans=()))
    >>> split_speaker("Anna Schneider, Leiterin des Museums")
    Speaker(name='Anna Schneider', role=Text(text='Leiterin des Museums', spans=()))
    >>> split_speaker("das Urteil") is None
    True
    """
    who = " ".join(who.split()).strip(" ,")
    head, _, tail = who.partition(",")
    name, role = _name_and_role(head)
    if name is None:
        return None
    # "so das Urteil", "sagte die Studie": an article before a single capitalized word names a thing, not a person.
    if not role and " " not in name and head.split(" ", 1)[0].lower() in _ARTICLES:
        return None
    tail = tail.strip()
    if tail:
        role = f"{role}, {tail}" if role else tail
    return Speaker(name=name, role=Text.plain(role) if role else None)


def _name_and_role(text: str) -> tuple[str | None, str]:
    tokens = text.split()
    while tokens and tokens[0].lower() in _ARTICLES:
        tokens.pop(0)
    # The first run of capitalized, non-office words is the name; words
    # after it ("am Freitag in Redmond") are not part of the attribution.
    start = None
    for index, token in enumerate(tokens):
        if _is_name_word(token) and not (index > 0 and _is_connector(tokens[index - 1]) and not _is_title(tokens[index - 1])):
            start = index
            break
    if start is None:
        return None, ""
    end = start
    while end < len(tokens) and (_is_name_word(tokens[end]) or _is_particle_in_name(tokens, end)):
        end += 1
    name_tokens = tokens[start:end]
    # Given name + surname at most; earlier capitalized words belong to the role ("für Wirtschaft").
    core = [t for t in name_tokens if not _is_title(t)]
    while len(core) > 2 and core[0].lower() not in _PARTICLES:
        name_tokens = name_tokens[1:]
        core = [t for t in name_tokens if not _is_title(t)]
    start = end - len(name_tokens)
    while start > 0 and _is_title(tokens[start - 1]):
        start -= 1
    role = " ".join(tokens[: start]).strip(" ,")
    return " ".join(tokens[start:end]), role


def _is_title(token: str) -> bool:
    return token.lower() in _TITLES


def _is_connector(token: str) -> bool:
    return token[:1].islower() and token.lower() not in _PARTICLES


def _is_name_word(token: str) -> bool:
    word = token.strip(",.;:()")
    if not word or _is_title(token):
        return _is_title(token)
    return word[0].isupper() and not any(ch.isdigit() for ch in word) and not _ROLE.search(word.split("-")[-1])


def _is_particle_in_name(tokens: list[str], index: int) -> bool:
    """"von" in "Ursula von der Leyen"; not "vom" in "Tobias Reinhold vom Institut für …"."""
    return (tokens[index].lower() in _PARTICLES and index + 1 < len(tokens) and _is_name_word(tokens[index + 1])
            and not _INSTITUTION.match(tokens[index + 1]))
