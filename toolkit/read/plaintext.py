"""Read a release from the plain text a web page, an e-mail or a PDF gives.

The text has no markup, so its structure comes from layout and wording. The
reader does not expect a fixed order of parts: it repairs the layout
(:mod:`~toolkit.read.layout`: hard-wrapped lines, a text without line
breaks, lost quotation marks), scores every line on several cues
(:mod:`~toolkit.read.cues`), chooses the most likely sequence of zones over
all lines (:mod:`~toolkit.read.zones`) and builds the release from the
labelled lines. Facts that stand somewhere unexpected (a date in the
headline, after the release number, in a CMS byline or only in the first
sentence) are looked for in order of trust.

It never refuses a release that has text: a missing date, a missing year or
a headline that had to be guessed is a :class:`~toolkit.errors.ReaderWarning`
naming the file and the guess.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReadError, ReaderWarning
from ..german.addresses import EMAIL_PATTERN, URL_PATTERN, deobfuscate_emails, normalize_url
from ..german.dates import DATE_PATTERN, DateHit, find_dates
from ..model import (
    Block,
    Boilerplate,
    Contact,
    Embargo,
    Heading,
    Image,
    LinkLine,
    ListBlock,
    Paragraph,
    Quote,
    Release,
    SpanKind,
    Text,
)
from .contacts import is_contact_label, parse_contact_block, split_inline_contact
from .cues import Role, score_lines
from .layout import Line, prepare
from .quotes import quote_match
from .source import read_source
from .zones import Labelled, Zone, decode

__all__ = ["parse_plain_text", "read_plain_text"]

_CREDIT = re.compile(
    r"^(?:(?:bildnachweis|bildnachweise|fotos?|bild|bilder|bildquelle|foto\s?credit|copyright|quelle)\s*:|©|\(c\)\s)\s*(?P<credit>.+)$",
    re.IGNORECASE,
)
_TRAILING_CREDIT = re.compile(
    r"\s*\((?:foto|bild|fotos|bildnachweis|©)\s*:?\s*(?P<credit>[^)]+)\)\s*$"
    r"|(?<=[.!?])\s+(?:foto|fotos|bild|bildnachweis|quelle|©)\s*:?\s*(?P<inline>[^.!?]{2,80})$",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^(?:bildunterschrift|bu|bildtext)\s*:\s*(?P<caption>.+)$", re.IGNORECASE)
_IMAGE_TITLE = re.compile(r"^(?:bildtitel|bild)\s*:\s*(?P<title>.+)$", re.IGNORECASE)
_BOILERPLATE_TITLE = re.compile(
    r"^(?:über\s+(?:die|den|das|uns|unser\w*)\b.{0,80}|über\s+[A-ZÄÖÜ].{0,80}|kurzporträt.{0,60}|kurzprofil.{0,60}|zum\s+unternehmen|hintergrund\s+zu[mr]?\s.{0,60})$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-•*–·▪]|\d{1,2}[.)])\s+(?P<item>.+)$")
_ORDERED_BULLET = re.compile(r"^\s*\d{1,2}[.)]\s+")
#: "Köln, 14. März 2025 – Die Stadt …" or a dateline standing alone.
_PLACE_BEFORE_DATE = re.compile(r"^(?P<place>[A-ZÄÖÜ][\w .()/'-]{1,50}?),\s*(?:den\s+)?$")
_LINK_LEAD = re.compile(
    r"(?:informationen|infos?|details|mehr|programm|anmeldung|download|link|website|webseite|internetseite|online|livestream|pressemappe|bilder|fotos)",
    re.IGNORECASE,
)
_LINK_END = re.compile(r"\b(?:hier|unter folgendem link|im internet|online)(?:\s+(?:abrufbar|verfügbar|zum download))?\s*[.:!]?$", re.IGNORECASE)
#: "… finden Sie hier." — the reader is sent somewhere, whatever the thing is called.
_LINK_INVITATION = re.compile(r"\b(?:finden|erhalten|lesen|sehen|gibt es|steht|stehen|ist|sind)\b[^.]*\bhier\b", re.IGNORECASE)



_MARKER_NUMBER = re.compile(
    r"(?:nr\.?|nummer|no\.?)\s*:?\s*(?P<number>\d[\w/.-]*(?:\s?/\s?\d{2,4})?)"
    r"|^(?:pressemitteilung|presseinformation|medieninformation|pm)\s+(?P<bare>\d{1,4}\s?/\s?\d{2,4})(?![\d./])",
    re.IGNORECASE,
)
_EMBARGO_LEAD = re.compile(r"^\W{0,3}(?:sperrfrist|embargo|veröffentlichung\s+nicht\s+vor|frei\s+(?:zur\s+veröffentlichung\s+)?ab|nicht\s+vor)\b\s*:?\s*", re.IGNORECASE)
_TIME = re.compile(r"\b(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*uhr\b|\b(?P<h24>\d{1,2}):(?P<m24>\d{2})\b", re.IGNORECASE)
_AGENCY_PREFIX = re.compile(r"^(?P<prefix>[A-ZÄÖÜ]{2,6}(?:-[A-ZÄÖÜ0-9]{1,10}){1,2})\s?:\s*")
_PAREN_PREFIX = re.compile(r"^\([A-ZÄÖÜ]{2,6}(?:[ -][A-ZÄÖÜ]{2,6})?\)\s+(?=[A-ZÄÖÜ])")
_ITEM_NUMBER = re.compile(r"^\d{1,2}[.)]\s+(?=[A-ZÄÖÜ])")
#: "K 31/2013 Hochwasser …": the release number in front of the headline.
_NUMBER_PREFIX = re.compile(r"^(?P<number>[A-Z]{1,3}\s?\d{1,4}/\d{2,4})\s+(?=[A-ZÄÖÜ])")
#: "[Bundesregierung - 06.09.2013] Kulturstaatsminister …": a repost's source and date in brackets.
_BRACKET_PREFIX = re.compile(r"^\[(?P<inside>[^\]]{3,80})\]\s*")
_LEADING_DATE = re.compile(r"^(?P<date>\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{1,2}\.\s?[A-Za-zäöüÄÖÜ]{3,9}\.?\s\d{4})\s*(?:[-–—:|]\s*)")
_TRAILING_DATE = re.compile(
    r"\s*[(\[](?P<date>\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4})[)\]]\s*$"
    r"|,\s*(?P<after>\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}\.\s?[A-Za-zäöüÄÖÜ]{3,9}\.?\s\d{4})\s*$"
)
_KICKER_WITH_YEAR = re.compile(r"^(?P<kicker>[A-ZÄÖÜ][\w-]{2,30}(?:\s[\w-]{2,30})?\s(?:19|20)\d{2})\s(?=[A-ZÄÖÜ][a-zäöüß])")
_PLACE = re.compile(r"^(?P<place>[A-ZÄÖÜ][\w .()/'-]{1,50}?)\s*(?:,\s*(?:den\s+)?|\s*[-–|/]\s*|\s+)$")
_OTS = re.compile(r"^(?P<place>[A-ZÄÖÜ][\w .'/-]{1,60}?)?\s*\(ots\)\s*[-–—:]?\s*")
_PLACE_DEN = re.compile(r"(?:^|\s)(?P<place>[A-ZÄÖÜ][\w-]{2,30}),\s+den\s+(?=\d)")
_BODY_DATELINE = re.compile(r"^\s*(?:[–—-]|\(\w+\)\s*[–—-])")
_YEAR = re.compile(r"(?<![\d.,])(?:19[5-9]\d|20[0-4]\d)(?![\d.,])")
_CLOUDFLARE = re.compile(r"\[email\s*(?:&#160;)?\s*protected\]", re.IGNORECASE)
_LOST_AT = re.compile(r"\b[\w-]+(?:\s?\[\s?(?:dot|punkt)\s?\]\s?[\w-]+){2,}\b", re.IGNORECASE)

@dataclass
class _Head:
    """What the head yields, filled in as labelled lines are read."""

    number: str | None = None
    issuer: str | None = None
    embargo_text: str | None = None
    place: str | None = None
    subheadline: list[str] = field(default_factory=list)
    image_title: str | None = None
    caption: str | None = None
    credit: str | None = None
    #: Date candidates in order of trust: (rank, hit, the text it stood in, where).
    dates: list[tuple[int, DateHit, str, str]] = field(default_factory=list)


# Lines that alone make no release: header lines, residue, contact data.
_NOT_RELEASE_TEXT = {Role.MARKER, Role.NUMBER, Role.EMBARGO, Role.DATELINE, Role.BYLINE, Role.NOISE, Role.FOOTER,
                     Role.CONTACT_LABEL, Role.CONTACT}
_HEAD_ROLES = (Role.DATELINE, Role.BYLINE, Role.NUMBER, Role.MARKER, Role.EMBARGO)
_TITLE_ZONES = {Zone.TITLE_2: Zone.TITLE, Zone.TITLE_3: Zone.TITLE}
#: The least total score of the headline's lines for them to stand as the headline.
_HEADLINE_SCORE = 6


class _Notes:
    """The warnings of one read, each naming the file."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = str(path) if path is not None else "text"

    def warn(self, message: str) -> None:
        warnings.warn(f"{self.path}: {message}", ReaderWarning, stacklevel=4)


def read_plain_text(path: str | Path) -> Release:
    source = read_source(path)
    return parse_plain_text(source.text, path=source.path)


def parse_plain_text(text: str, *, path: str | Path | None = None, language: str = "de") -> Release:
    """Read ``text`` as a release; warnings say what was repaired or guessed, errors only for a text with no release in it."""
    notes = _Notes(path)
    lines = _prepared_lines(text, notes)
    if not lines:
        raise ReadError(path, "no text found")
    scores = _scores(lines)
    if all(max(score, key=score.__getitem__) in _NOT_RELEASE_TEXT for score in scores):
        raise ReadError(path, "no release text found: the file holds only header lines, web page residue or contact data")
    labelled = _settled(_decoded(lines, scores), scores)
    head = _Head()
    by_zone = _by_zone(labelled)
    headline = _read_headline(" ".join(item.line.text for item in by_zone[Zone.TITLE]), head, notes)
    if headline is None or sum(item.score for item in by_zone[Zone.TITLE]) < _HEADLINE_SCORE:
        # No line reads as a headline: read the text without one; the first sentence will stand in.
        head = _Head()
        headline = None
        by_zone = _by_zone(_settled(_decoded(lines, scores, headline=False), scores))
    letterhead = [item for item in by_zone[Zone.ABOVE] if item.role in (Role.CONTACT, Role.CONTACT_LABEL)]
    head_lines = [item for item in by_zone[Zone.ABOVE] if item not in letterhead] + by_zone[Zone.HEAD]
    body_lines = by_zone[Zone.BODY]
    _read_head(head_lines, head, notes)
    body_blocks = _blocks_of(body_lines)
    _read_image_at_body_start(head_lines, body_blocks, head)
    boilerplate_lines = by_zone[Zone.BOILERPLATE]
    if not body_blocks and boilerplate_lines:
        body_blocks, boilerplate_lines = _blocks_of(boilerplate_lines), []
    if headline is None:
        headline = _headline_from_first_sentence(body_blocks, notes) or lines[0].text
    if not body_blocks:
        notes.warn("no body text found; the headline stands as the only paragraph")
        body_blocks = [[headline]]
    _read_dateline_in_body(body_blocks[0], head)
    _read_date_lines_below(labelled, scores, head)
    date = _choose_date(head, body_blocks, lines, notes)
    embargo = _embargo(head, date, notes)
    body = _merge_spanning_quotes([_body_block(block) for block in body_blocks])
    for block in body:
        if isinstance(block, LinkLine) and block.url is None:
            notes.warn(f"the link line {_shorten(block.text.text)!r} has no address (the web page's link was lost); "
                       "it is printed as text")
    contacts = _contacts(_blocks_of(letterhead)) + _contacts(_blocks_of(by_zone[Zone.CONTACTS]))
    _warn_about_hidden_emails(text, notes)
    return Release(
        language=language,
        headline=Text.plain(headline),
        subheadline=tuple(Text.plain(line) for line in head.subheadline),
        date=date,
        place=head.place,
        embargo=embargo,
        number=head.number,
        issuer=head.issuer,
        image=_image(head),
        body=tuple(body),
        boilerplate=_boilerplate(_blocks_of(boilerplate_lines)),
        contacts=contacts,
    )


# -- layout ---------------------------------------------------------------


def _prepared_lines(text: str, notes: _Notes) -> list[Line]:
    prepared = prepare(text)
    for repair in prepared.repairs:
        notes.warn(repair)
    return prepared.lines


def _blocks_of(items: Iterable[Labelled]) -> list[list[str]]:
    """Lines grouped as the text's blank lines group them."""
    blocks: list[list[str]] = []
    last_block = None
    for item in items:
        if item.line.block != last_block:
            blocks.append([])
            last_block = item.line.block
        blocks[-1].append(item.line.text)
    return blocks


def _split_slashes(line: str) -> list[str]:
    return [part.strip() for part in line.split(" / ") if part.strip()]


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _is_sentence(line: str) -> bool:
    return line.rstrip("“”\"»«)").endswith((".", "!", "?", ":"))


# -- head -----------------------------------------------------------------

# Trust of a date by where it stands: a date line of its own beats a date in a byline or after the release
# number, which beats one in the headline, which beats a dateline opening the body, then the first sentence.
_RANK_DATELINE, _RANK_HEADER, _RANK_HEADLINE, _RANK_BODY_DATELINE, _RANK_DATE_BELOW, _RANK_FIRST_SENTENCE = range(6)


def _read_head(items: list[Labelled], head: _Head, notes: _Notes) -> None:
    for position, item in enumerate(items):
        text = item.line.text
        role = item.role
        if role == Role.MARKER or role == Role.NUMBER:
            number = _MARKER_NUMBER.search(text)
            if number and head.number is None:
                head.number = (number["number"] or number["bare"]).replace(" ", "").rstrip(".,")
            _add_dates(head, text, _RANK_HEADER, "the release number line" if number else "the header")
            if role == Role.MARKER and text.lower().startswith("es gilt das gesprochene wort"):
                head.subheadline.append(text)
        elif role == Role.EMBARGO:
            head.embargo_text = head.embargo_text or text
        elif role == Role.ISSUER:
            head.issuer = head.issuer or text
        elif role in (Role.DATELINE, Role.BYLINE):
            number = _MARKER_NUMBER.search(text)
            if number and head.number is None:
                head.number = (number["number"] or number["bare"]).replace(" ", "").rstrip(".,")
            ots = _OTS.match(text)
            if ots and head.place is None and ots["place"]:
                head.place = ots["place"].strip()
                continue
            hits = find_dates(text)
            if hits:
                _add_dates(head, text, _RANK_DATELINE if role == Role.DATELINE else _RANK_HEADER,
                           "a date line" if role == Role.DATELINE else "the byline")
                before = text[: hits[0].start].strip()
                place = _PLACE.match(before + " ") if before else None
                if place and head.place is None and not re.search(r"\d|\b(?:am|vom|stand|datum)\b", place["place"], re.IGNORECASE):
                    head.place = place["place"].strip(" ,")
            elif role == Role.DATELINE and not re.match(r"^\d", text) and head.place is None:
                head.place = text.strip(" ,")
        elif role == Role.IMAGE:
            _read_image_line(text, head, items[position + 1].line.text if position + 1 < len(items) else "")
        elif role == Role.SUBHEADLINE:
            head.subheadline.extend(_split_slashes(text))
        elif role == Role.HEADLINE:
            head.subheadline.append(text)


def _add_dates(head: _Head, text: str, rank: int, where: str) -> None:
    for hit in find_dates(text)[:1]:
        head.dates.append((rank, hit, text, where))


def _labelled_image_line(text: str, head: _Head) -> bool:
    """Read "Bildunterschrift: …", "Foto: …" or "Bildtitel: …" into ``head``; False for a line without such a label."""
    caption = _CAPTION.match(text)
    credit = _CREDIT.match(text)
    title = _IMAGE_TITLE.match(text)
    if caption:
        head.caption = caption["caption"].strip()
    elif credit:
        head.credit = credit["credit"].strip()
    elif title:
        head.image_title = title["title"].strip()
    else:
        return False
    return True


def _read_image_line(text: str, head: _Head, following: str) -> None:
    if not _labelled_image_line(text, head) and head.caption is None:
        # A short line without a sentence end is the title; the caption is the sentence under it (or above the credit).
        if len(text) <= 120 and not _is_sentence(text) and (_CAPTION.match(following) or not _CREDIT.match(following)):
            head.image_title = head.image_title or text
        else:
            head.caption = text
    _take_trailing_credit(head)


def _read_image_at_body_start(head_lines: list[Labelled], body_blocks: list[list[str]], head: _Head) -> None:
    """The seed's layout: date line, image title in the same block, then caption and credit as blocks of their own."""
    if head.caption is not None or not body_blocks:
        return
    after_title = False
    if head_lines and head_lines[-1].role == Role.SUBHEADLINE and len(head_lines) >= 2:
        last, before = head_lines[-1], head_lines[-2]
        if (before.role == Role.DATELINE and before.line.block == last.line.block and not _is_sentence(last.line.text)
                and _is_image_block(body_blocks[0], body_blocks[1:2])):
            head.image_title = last.line.text
            if head.subheadline and head.subheadline[-1] == last.line.text:
                head.subheadline.pop()
            after_title = True
    if not after_title and not (head.dates and head.dates[0][0] == _RANK_DATELINE):
        return
    consumed = _read_image_block(body_blocks[0], body_blocks[1] if len(body_blocks) > 1 else [], head, after_title=after_title)
    if consumed and consumed < len(body_blocks):
        del body_blocks[:consumed]
    elif consumed:
        head.caption = head.credit = None


def _read_headline(text: str, head: _Head, notes: _Notes) -> str | None:
    """The headline without agency prefix, kicker or date; its part after " / " goes to the subheadline."""
    text = text.strip()
    if not text:
        return None
    bracket = _BRACKET_PREFIX.match(text)
    if bracket:
        _add_dates(head, bracket["inside"], _RANK_HEADLINE, "the headline")
        text = text[bracket.end():]
    number = _NUMBER_PREFIX.match(text)
    if number:
        head.number = head.number or number["number"]
        text = text[number.end():]
    prefix = _AGENCY_PREFIX.match(text) or _PAREN_PREFIX.match(text)
    if prefix:
        text = text[prefix.end():]
    leading = _LEADING_DATE.match(text)
    if leading and find_dates(leading["date"]):
        _add_dates(head, leading["date"], _RANK_HEADLINE, "the headline")
        text = text[leading.end():]
    item = _ITEM_NUMBER.match(text)
    if item:
        text = text[item.end():]
    trailing = _TRAILING_DATE.search(text)
    written = trailing and (trailing["date"] or trailing["after"])
    if trailing and written and find_dates(written) and trailing.start() > 0:
        _add_dates(head, written, _RANK_HEADLINE, "the headline")
        text = text[: trailing.start()]
    kicker = _KICKER_WITH_YEAR.match(text)
    if kicker:
        notes.warn(f"read '{kicker['kicker']}' at the start of the headline as a section label, not part of the headline")
        text = text[kicker.end():]
    parts = _split_slashes(text)
    if not parts:
        return None
    head.subheadline[:0] = parts[1:]
    return parts[0]


def _headline_from_first_sentence(body_blocks: list[list[str]], notes: _Notes) -> str:
    source = " ".join(body_blocks[0]) if body_blocks else ""
    first = re.split(r"(?<=[a-zäöüß)“”\"][.!?])\s+(?=[A-ZÄÖÜ„])", source, maxsplit=1)[0].strip()
    if len(first) > 200:
        first = first[:200].rsplit(" ", 1)[0] + " …"
    notes.warn(f"no line reads as a headline; the first sentence stands in: {_shorten(first)!r}")
    return first


#: Lines classified at each end of a long text; the lines between are body text. Head and tail of a release lie
#: within its first and last lines, and this keeps a transcript of 50,000 lines as fast to read as a release.
_ENDS = 200


def _scores(lines: list[Line]) -> list[dict[Role, float]]:
    if len(lines) <= 2 * _ENDS:
        return score_lines(lines)
    middle = dict.fromkeys(Role, 0.0) | {Role.BODY: 5.0}
    ends = score_lines(lines[:_ENDS] + lines[-_ENDS:])
    return ends[:_ENDS] + [dict(middle) for _ in range(len(lines) - 2 * _ENDS)] + ends[_ENDS:]


def _decoded(lines: list[Line], scores: list[dict[Role, float]], *, headline: bool = True) -> list[Labelled]:
    if len(lines) <= 2 * _ENDS:
        return decode(lines, scores, headline=headline)
    ends = decode(lines[:_ENDS] + lines[-_ENDS:], scores[:_ENDS] + scores[-_ENDS:], headline=headline)
    middle = [Labelled(line, Zone.BODY, Role.BODY, 5.0) for line in lines[_ENDS:-_ENDS]]
    return ends[:_ENDS] + middle + ends[_ENDS:]


def _by_zone(labelled: list[Labelled]) -> dict[Zone, list[Labelled]]:
    """The lines that carry release text, by zone (the headline's lines all under TITLE); residue is dropped."""
    by_zone: dict[Zone, list[Labelled]] = {zone: [] for zone in Zone}
    for item in labelled:
        if item.role not in (Role.NOISE, Role.FOOTER, Role.KICKER):
            by_zone[_TITLE_ZONES.get(item.zone, item.zone)].append(item)
    return by_zone


def _settled(labelled: list[Labelled], scores: list[dict[Role, float]]) -> list[Labelled]:
    """Lines the path put into the body only because a body had to come: a date line among the first blocks is head."""
    result = list(labelled)
    body_blocks_seen: set[int] = set()
    for index, item in enumerate(result):
        if item.zone != Zone.BODY:
            continue
        body_blocks_seen.add(item.line.block)
        if len(body_blocks_seen) > 3:
            break
        score = scores[index]
        role = max(_HEAD_ROLES, key=score.__getitem__)
        if score[role] >= 8 and score[role] > score[Role.BODY] and item.line.rows == 1:
            result[index] = Labelled(item.line, Zone.HEAD, role, score[role])
    return result


def _read_dateline_in_body(first: list[str], head: _Head) -> None:
    """"Köln, 14. März 2025 – Die Stadt …" and "Musterstadt (ots) - Am Dienstag, 5. März 2024, …"."""
    text = first[0]
    ots = _OTS.match(text)
    if ots:
        head.place = head.place or (ots["place"] or "").strip() or None
        sentence = re.split(r"(?<=[a-zäöüß)][.!?])\s+(?=[A-ZÄÖÜ„])", text[ots.end():], maxsplit=1)[0]
        for hit in find_dates(sentence)[:1]:
            head.dates.append((_RANK_FIRST_SENTENCE, hit, sentence, "the first sentence"))
        return
    # "Staatskanzlei - Pressemitteilung Nr.: 584/02 Magdeburg, den 18. September 2002 …": a CMS strung the head together.
    den = _PLACE_DEN.search(text[:300])
    if den:
        for hit in find_dates(text[den.end("place"):300])[:1]:
            offset = den.end("place")
            head.dates.append((_RANK_BODY_DATELINE, DateHit(hit.start + offset, hit.end + offset, hit.day, hit.month, hit.year),
                               text[:300], "the dateline"))
            head.place = head.place or den["place"]
            return
    hits = find_dates(text[:120])
    if not hits:
        return
    hit = hits[0]
    if not _BODY_DATELINE.match(text[hit.end:]):
        return
    before = text[: hit.start]
    place = _PLACE.match(before) if before.strip() else None
    if before.strip() and place is None:
        return
    head.dates.append((_RANK_BODY_DATELINE, hit, text[:120], "the dateline"))
    if place and head.place is None:
        head.place = place["place"].strip(" ,")


def _read_date_lines_below(labelled: list[Labelled], scores: list[dict[Role, float]], head: _Head) -> None:
    """A date line of its own further down (a portal's time stamp under the text), for a release with no date above."""
    for item, score in zip(labelled, scores):
        if item.zone not in (Zone.ABOVE, Zone.HEAD) and score[Role.DATELINE] >= 11 and len(item.line.text) <= 40:
            for hit in find_dates(item.line.text)[:1]:
                head.dates.append((_RANK_DATE_BELOW, hit, item.line.text, "a date line below the text"))
            return


def _choose_date(head: _Head, body_blocks: list[list[str]], lines: list[Line], notes: _Notes) -> dt.date | None:
    if not head.dates:
        notes.warn("no release date found; the sheet shows no date line (give one with --date YYYY-MM-DD)")
        return None
    rank, hit, context, where = min(head.dates, key=lambda item: item[0])
    written = context[hit.start:hit.end].strip()
    if hit.year is None:
        year, source = _year_elsewhere(head, lines)
        if year is None:
            notes.warn(f"the date {written!r} in {where} has no year and no year was found elsewhere; the release has no date")
            return None
        notes.warn(f"the date {written!r} in {where} has no year; took {year} from {source!r}")
        date = hit.on(year)
    else:
        date = hit.on()
    if date is None:
        notes.warn(f"{written!r} in {where} is not a calendar date; the release has no date")
        return None
    if rank == _RANK_FIRST_SENTENCE:
        notes.warn(f"no date line; took the date from the first sentence ({written!r}), check it")
    return date


def _year_elsewhere(head: _Head, lines: list[Line]) -> tuple[int | None, str]:
    for _, hit, context, _ in sorted(head.dates, key=lambda item: item[0]):
        if hit.year is not None:
            return hit.year, context
    for source in ([head.number] if head.number else []) + [line.text for line in lines]:
        for hit in find_dates(source):
            if hit.year is not None:
                return hit.year, _shorten(source)
        year = _YEAR.search(source)
        if year:
            return int(year.group(0)), _shorten(source)
    return None, ""


def _embargo(head: _Head, date: dt.date | None, notes: _Notes) -> Embargo | None:
    if head.embargo_text is None:
        return None
    rest = _EMBARGO_LEAD.sub("", head.embargo_text)
    hits = find_dates(rest)
    if not hits:
        notes.warn(f"embargo line {head.embargo_text!r} has no date I can read; no embargo set")
        return None
    hit = hits[0]
    year = hit.year or (date.year if date else None)
    day = hit.on(year)
    if day is None:
        notes.warn(f"embargo line {head.embargo_text!r} has no year; no embargo set")
        return None
    time = None
    match = _TIME.search(rest[hit.end:])
    if match:
        hour = int(match["hour"] or match["h24"])
        minute = int(match["minute"] or match["m24"] or 0)
        if hour < 24 and minute < 60:
            time = dt.time(hour, minute)
    return Embargo(date=day, time=time)


def _warn_about_hidden_emails(text: str, notes: _Notes) -> None:
    if _CLOUDFLARE.search(text):
        notes.warn("an e-mail address was hidden by the web page's protection ('[email protected]'); it is missing, add it by hand")
    lost = _LOST_AT.search(text)
    if lost and not re.search(r"\[\s?at\s?\]|\(\s?at\s?\)|@", text[max(0, lost.start() - 40):lost.end()], re.IGNORECASE):
        notes.warn(f"{lost.group(0)!r} looks like an e-mail address that lost its '@'; not read as an address")


def _merge_spanning_quotes(blocks: list[Block]) -> list[Block]:
    """A quotation over two paragraphs: the first opens „ without closing it, the second closes it and names the speaker."""
    result = list(blocks)
    for index in range(len(result) - 1):
        first, second = result[index], result[index + 1]
        if not isinstance(second, Quote) or second.speaker is None or isinstance(first, Quote):
            continue
        if not isinstance(first, Paragraph):
            continue
        text = first.text.text
        if text[:1] in "„»\"" and not any(mark in text[1:] for mark in "“«”\""):
            result[index] = Quote(text=first.text, speaker=second.speaker, attributed_in_text=False)
    return result


def _credit_line(block: list[str]) -> str | None:
    if len(block) != 1:
        return None
    match = _CREDIT.match(block[0])
    if match:
        return match["credit"].strip()
    return None


def _is_image_block(caption_block: list[str], after: list[list[str]]) -> bool:
    """Whether ``caption_block`` reads as a caption (followed by a credit)."""
    if not caption_block or len(" ".join(caption_block)) > 500:
        return False
    credit_block = after[0] if after else []
    return bool(_credit_line(credit_block) or (len(credit_block) == 1 and _looks_like_credit(credit_block[0])))


def _looks_like_credit(line: str) -> bool:
    return len(line) <= 80 and len(line.split()) <= 8 and not _is_sentence(line) and not DATE_PATTERN.search(line)


def _read_image_block(block: list[str], following: list[str], head: _Head, *, after_title: bool) -> int:
    """Read caption, title and credit; return how many blocks they took (0: not an image block)."""
    if head.caption is not None:
        return 0
    lines = list(block)
    explicit = False
    for line in list(lines):
        if _labelled_image_line(line, head):
            explicit = True
            lines.remove(line)
    if explicit:
        if lines and head.caption is None:
            if len(lines) > 1 and head.image_title is None:
                head.image_title = lines.pop(0)
            head.caption = " ".join(lines)
        _take_trailing_credit(head)
        if head.credit is None and _credit_line(following):
            head.credit = _credit_line(following)
            return 2
        return 1
    following_credit = _credit_line(following)
    if not (following_credit or (after_title and len(" ".join(lines)) <= 500)):
        return 0
    head.caption = " ".join(lines)
    _take_trailing_credit(head)
    if following_credit:
        head.credit = following_credit
        return 2
    if head.credit is None and len(following) == 1 and _looks_like_credit(following[0]):
        head.credit = following[0]
        return 2
    return 1


def _take_trailing_credit(head: _Head) -> None:
    if head.caption and head.credit is None:
        match = _TRAILING_CREDIT.search(head.caption)
        if match:
            head.credit = (match["credit"] or match["inline"]).strip()
            head.caption = head.caption[: match.start()].rstrip()



def _image(head: _Head) -> Image | None:
    if not (head.image_title or head.caption or head.credit):
        return None
    return Image(
        title=Text.plain(head.image_title) if head.image_title else None,
        caption=Text.plain(head.caption) if head.caption else None,
        credit=head.credit,
    )




# -- tail: boilerplate and contacts ----------------------------------------


def _boilerplate(blocks: list[list[str]]) -> Boilerplate | None:
    if not blocks:
        return None
    first, *rest = blocks
    title = Text.plain(first[0])
    paragraphs = ([" ".join(first[1:])] if len(first) > 1 else []) + [_join_lines(block) for block in rest]
    return Boilerplate(title=title, paragraphs=tuple(_inline(paragraph) for paragraph in paragraphs))


def _contacts(blocks: list[list[str]]) -> tuple[Contact, ...]:
    groups: list[list[str]] = []
    for block in blocks:
        for line in (part for raw in block for part in split_inline_contact(raw)):
            if is_contact_label(line) or not groups:
                groups.append([line])
            else:
                groups[-1].append(line)
    contacts = (parse_contact_block(group) for group in groups)
    # A label with nothing under it is the web page's "Kontakt" tab.
    return tuple(c for c in contacts if c.organization or c.person or c.phones or c.emails or c.urls)


# -- body -----------------------------------------------------------------


def _join_lines(block: list[str]) -> str:
    pieces = [block[0]]
    for previous, line in zip(block, block[1:]):
        # "Nordrhein-" + "Westfalen" at a line end is one hyphenated word; "Nord-" + "und Ostsee" keeps its space.
        pieces.append(("" if previous.endswith("-") and line[:1].isupper() and previous[-2:-1].isalpha() else " ") + line)
    return "".join(pieces)


def _body_block(block: list[str]) -> Block:
    if len(block) > 1 and all(_BULLET.match(line) for line in block):
        items = tuple(_inline(_BULLET.match(line)["item"]) for line in block)  # type: ignore[index]
        return ListBlock(items=items, ordered=all(_ORDERED_BULLET.match(line) for line in block))
    text = _join_lines(block)
    link = _link_line(text)
    if link is not None:
        return link
    match = quote_match(text)
    if match is not None:
        inline = _inline(text)
        if match.speaker is not None:
            inline = inline.mark(match.speaker.name, SpanKind.PERSON)
        return Quote(text=inline, speaker=match.speaker, attributed_in_text=match.speaker is not None)
    if len(block) == 1 and len(text) <= 100 and not _is_sentence(text) and not text.endswith(("“", "\"")):
        return Heading(text=_inline(text))
    return Paragraph(text=_inline(text))


def _link_line(text: str) -> LinkLine | None:
    """A short line pointing elsewhere: "Weitere Informationen finden Sie hier." or "Programm: https://…"."""
    if len(text) > 220 or text.count(". ") > 0:
        return None
    urls = URL_PATTERN.findall(text)
    if len(urls) == 1 and (_LINK_LEAD.search(text) or len(text) - len(urls[0]) < 40):
        return LinkLine(text=_inline(text), url=normalize_url(urls[0]))
    if not urls and _LINK_END.search(text) and (_LINK_LEAD.search(text) or _LINK_INVITATION.search(text)):
        return LinkLine(text=_inline(text), url=None)
    return None


def _inline(text: str) -> Text:
    """Text with URLs and e-mail addresses marked (obfuscated addresses restored)."""
    text = deobfuscate_emails(text)
    result = Text.plain(text).with_spans(
        ((match.start(), match.end(), normalize_url(match.group(0))) for match in URL_PATTERN.finditer(text)), SpanKind.URL)
    return result.with_spans(((match.start(), match.end(), match.group(0)) for match in EMAIL_PATTERN.finditer(text)), SpanKind.EMAIL)
