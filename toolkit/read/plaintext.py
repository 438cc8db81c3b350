"""Read a release from the plain text a web page or an e-mail gives.

The text has no markup, so structure comes from layout and wording: blocks
separated by blank lines; a headline first; a head zone with subheadline,
dateline, embargo, release number and image lines; body paragraphs; then an
"Über …" boilerplate and contact blocks. Lines left over from the web page's
navigation ("Überblick", "Drucken") are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReadError
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
from .contacts import (
    is_contact_label,
    looks_like_contact_data,
    normalize_url,
    parse_contact_block,
)
from .german import (
    DATE_PATTERN,
    EMAIL_PATTERN,
    URL_PATTERN,
    deobfuscate_emails,
    parse_date,
    parse_date_time,
)
from .quotes import quote_match
from .source import read_source

__all__ = ["parse_plain_text", "read_plain_text"]

_NAVIGATION = {
    "überblick", "übersicht", "kontakt", "drucken", "seite drucken", "teilen", "seite teilen", "artikel teilen",
    "nach oben", "zurück", "zurück zur übersicht", "zur übersicht", "startseite", "inhalt", "menü", "suche",
    "schließen", "weiterlesen", "link kopieren", "facebook", "twitter", "x", "linkedin", "instagram", "whatsapp",
    "mastodon", "bluesky", "xing", "pressemitteilungen", "alle pressemitteilungen", "download", "downloads",
    "barrierefreiheit", "impressum", "datenschutz", "share", "print", "top",
}
_MARKER = re.compile(
    r"^(?:presse(?:mitteilung|information|meldung|info)|medien(?:information|mitteilung)|pm)\b\s*"
    r"(?:(?:nr\.?|nummer|no\.?)\s*:?\s*(?P<number>\S+))?\s*$",
    re.IGNORECASE,
)
_NUMBER_LINE = re.compile(r"^(?:Nr\.|Nummer)\s*:?\s*(?P<number>\S+)$", re.IGNORECASE)
_EMBARGO = re.compile(r"^\s*(?:sperrfrist|embargo|veröffentlichung\s+nicht\s+vor|frei\s+ab)\b\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
_CREDIT = re.compile(
    r"^(?:(?:bildnachweis|bildnachweise|fotos?|bild|bilder|bildquelle|foto\s?credit|copyright|quelle)\s*:|©|\(c\)\s)\s*(?P<credit>.+)$",
    re.IGNORECASE,
)
_TRAILING_CREDIT = re.compile(r"\s*\((?:foto|bild|fotos|bildnachweis|©)\s*:?\s*(?P<credit>[^)]+)\)\s*$", re.IGNORECASE)
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


@dataclass
class _Head:
    """What the head zone yields, filled in as lines are recognized."""

    number: str | None = None
    issuer: str | None = None
    embargo: Embargo | None = None
    date: dt.date | None = None
    place: str | None = None
    subheadline: list[str] = field(default_factory=list)
    image_title: str | None = None
    caption: str | None = None
    credit: str | None = None


def read_plain_text(path: str | Path) -> Release:
    source = read_source(path)
    return parse_plain_text(source.text, path=source.path)


def parse_plain_text(text: str, *, path: str | Path | None = None, language: str = "de") -> Release:
    blocks = [block for block in _blocks(text) if not _is_navigation(block)]
    if not blocks:
        raise ReadError(path, "no text found")
    head = _Head()
    blocks = _read_preamble(blocks, head)
    if not blocks:
        raise ReadError(path, "no headline found (the file holds only header lines)")
    headline_lines = blocks[0]
    headline, *headline_rest = _split_slashes(headline_lines[0])
    if not _looks_like_headline(headline):
        raise ReadError(path, f"no headline found: the first line reads like body text ({_shorten(headline)!r})")
    head.subheadline.extend(headline_rest)
    rest = _read_head_zone([headline_lines[1:], *blocks[1:]] if len(headline_lines) > 1 else blocks[1:], head)
    body_blocks, boilerplate_blocks, contact_blocks = _split_tail(rest)
    if not body_blocks:
        raise ReadError(path, "no body found: the release has a headline but no paragraphs")
    _read_dateline_in_body(body_blocks[0], head)
    if head.date is None:
        raise ReadError(path, "no release date found (expected a date line such as '19. April 2024' or 'Köln, 3. Mai 2023')")
    body = tuple(_body_block(block) for block in body_blocks)
    return Release(
        language=language,
        headline=Text.plain(headline),
        subheadline=tuple(Text.plain(line) for line in head.subheadline),
        date=head.date,
        place=head.place,
        embargo=head.embargo,
        number=head.number,
        issuer=head.issuer,
        image=_image(head),
        body=body,
        boilerplate=_boilerplate(boilerplate_blocks),
        contacts=_contacts(contact_blocks),
    )


# -- layout ---------------------------------------------------------------


def _blocks(text: str) -> Iterator[list[str]]:
    block: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.replace("\u00a0", " ").split())
        if line:
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _is_navigation(block: list[str]) -> bool:
    return all(line.lower().strip(" :|›»>") in _NAVIGATION for line in block)


def _split_slashes(line: str) -> list[str]:
    return [part.strip() for part in line.split(" / ") if part.strip()]


def _looks_like_headline(line: str) -> bool:
    return len(line) <= 250 and not DATE_PATTERN.match(line)


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _is_sentence(line: str) -> bool:
    return line.rstrip("“”\"»«)").endswith((".", "!", "?", ":"))


# -- head -----------------------------------------------------------------


def _read_preamble(blocks: list[list[str]], head: _Head) -> list[list[str]]:
    """Consume marker, number, embargo and date lines above the headline."""
    remaining = [list(block) for block in blocks]
    pending_issuer: list[str] = []
    while remaining:
        block = remaining[0]
        while block:
            line = block[0]
            if _read_header_line(line, head):
                if _MARKER.match(line) and pending_issuer and head.issuer is None:
                    head.issuer = pending_issuer[0]
                block.pop(0)
            elif len(block) > 1 and _MARKER.match(block[1]) and len(line) <= 80:
                pending_issuer.append(block.pop(0))
            else:
                break
        if block:
            break
        remaining.pop(0)
    return remaining


def _read_header_line(line: str, head: _Head) -> bool:
    marker = _MARKER.match(line)
    if marker:
        head.number = head.number or marker["number"]
        return True
    number = _NUMBER_LINE.match(line)
    if number:
        head.number = head.number or number["number"]
        return True
    embargo = _EMBARGO.match(line)
    if embargo:
        date, time = parse_date_time(embargo["rest"])
        if date is not None:
            head.embargo = Embargo(date=date, time=time)
            return True
        return False
    if head.date is None and _read_date_line(line, head):
        return True
    return False


def _read_date_line(line: str, head: _Head) -> bool:
    """A line that is a dateline and nothing else: "19. April 2024", "Düsseldorf, 3. Mai 2023"."""
    match = DATE_PATTERN.search(line)
    if match is None or line[match.end() :].strip(" –—-:"):
        return False
    before = line[: match.start()]
    place = None
    if before.strip():
        place_match = _PLACE_BEFORE_DATE.match(before)
        if place_match is None:
            return False
        place = place_match["place"].strip()
    head.date = parse_date(match.group(0))
    head.place = place
    return head.date is not None


def _read_head_zone(blocks: list[list[str]], head: _Head) -> list[list[str]]:
    """Consume subheadline, dateline, embargo and image lines under the headline."""
    index = 0
    image_title_expected = False
    # Subheadlines stand right under the headline, before the dateline and image lines.
    subheadline_open = True
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else []
        if not block:
            index += 1
            continue
        if all(_is_head_line(line, head) for line in block):
            subheadline_open = False
            for line in block:
                _read_header_line(line, head)
            index += 1
            continue
        if _read_header_line(block[0], head):
            subheadline_open = False
            # Seed layout: the line right under the date line is the image title.
            if head.date is not None and len(block) == 2 and not _is_sentence(block[1]) and _is_image_block(following, blocks[index + 2 : index + 3]):
                head.image_title = block[1]
                image_title_expected = True
                index += 1
                continue
            blocks[index] = block[1:]
            continue
        consumed = _read_image_block(block, following, head, after_title=image_title_expected)
        if consumed:
            subheadline_open = False
            index += consumed
            image_title_expected = False
            continue
        if subheadline_open and len(block) == 1 and not _is_sentence(block[0]) and len(block[0]) <= 300:
            head.subheadline.extend(_split_slashes(block[0]))
            index += 1
            continue
        break
    return blocks[index:]


def _is_head_line(line: str, head: _Head) -> bool:
    probe = _Head(date=head.date)
    return _read_header_line(line, probe)


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
        caption = _CAPTION.match(line)
        credit = _CREDIT.match(line)
        title = _IMAGE_TITLE.match(line)
        if caption:
            head.caption = caption["caption"].strip()
        elif credit:
            head.credit = credit["credit"].strip()
        elif title:
            head.image_title = title["title"].strip()
        else:
            continue
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
            head.credit = match["credit"].strip()
            head.caption = head.caption[: match.start()].rstrip()


def _read_dateline_in_body(first: list[str], head: _Head) -> None:
    """Take place and date from "Köln, 14. März 2025 – Die Stadt …" when no date line stood alone."""
    if head.date is not None:
        return
    text = first[0]
    match = DATE_PATTERN.search(text[:120])
    if match is None or not re.match(r"^\s*(?:[–—-]|\(\w+\)\s*[–—-])", text[match.end() :]):
        return
    before = text[: match.start()]
    place_match = _PLACE_BEFORE_DATE.match(before)
    if before.strip() and place_match is None:
        return
    head.date = parse_date(match.group(0))
    head.place = place_match["place"].strip() if place_match else None


def _image(head: _Head) -> Image | None:
    if not (head.image_title or head.caption or head.credit):
        return None
    return Image(
        title=Text.plain(head.image_title) if head.image_title else None,
        caption=Text.plain(head.caption) if head.caption else None,
        credit=head.credit,
    )


# -- tail: boilerplate and contacts ----------------------------------------


def _split_tail(blocks: list[list[str]]) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    contact_start = next((i for i, block in enumerate(blocks) if i > 0 and _starts_contacts(blocks, i)), len(blocks))
    body, contacts = blocks[:contact_start], blocks[contact_start:]
    boilerplate: list[list[str]] = []
    for source, first_candidate in ((body, 1), (contacts, 0)):
        start = next((i for i in range(first_candidate, len(source)) if _is_boilerplate_title(source[i])), None)
        if start is None:
            continue
        end = next((i for i in range(start + 1, len(source)) if _starts_contacts(source, i)), len(source))
        boilerplate = source[start:end]
        del source[start:end]
        break
    return body, boilerplate, contacts


def _starts_contacts(blocks: list[list[str]], index: int) -> bool:
    block = blocks[index]
    if is_contact_label(block[0]):
        return any(looks_like_contact_data(line) for later in blocks[index:] for line in later)
    return _is_unlabelled_contact(block) and _is_contact_only_tail(blocks[index:])


def _is_unlabelled_contact(block: list[str]) -> bool:
    """Name and address lines with phone or e-mail lines, and no sentence among them."""
    data = sum(1 for line in block if looks_like_contact_data(line))
    others = [line for line in block if not looks_like_contact_data(line)]
    return data >= min(2, len(block)) and all(len(line) <= 120 and not _is_sentence(line) for line in others)


def _is_contact_only_tail(blocks: list[list[str]]) -> bool:
    return all(len(" ".join(block)) <= 300 for block in blocks)


def _is_boilerplate_title(block: list[str]) -> bool:
    return bool(_BOILERPLATE_TITLE.match(block[0])) and not _is_sentence(block[0])


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
        for line in block:
            if is_contact_label(line) or not groups:
                groups.append([line])
            else:
                groups[-1].append(line)
    contacts = (parse_contact_block(group) for group in groups)
    # A label with nothing under it is the web page's "Kontakt" tab.
    return tuple(c for c in contacts if c.organization or c.person or c.phones or c.emails or c.urls)


# -- body -----------------------------------------------------------------


def _join_lines(block: list[str]) -> str:
    text = block[0]
    for line in block[1:]:
        joiner = "" if text.endswith("-") and line[:1].isupper() and text[-2:-1].isalpha() else " "
        text += joiner + line
    return text


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
    result = Text.plain(text)
    for match in URL_PATTERN.finditer(text):
        result = result.mark(match.group(0), SpanKind.URL, normalize_url(match.group(0)))
    for match in EMAIL_PATTERN.finditer(text):
        result = result.mark(match.group(0), SpanKind.EMAIL, match.group(0))
    return result
