"""What the Word, OpenDocument, web-page, PDF and e-mail readers share.

Each of them turns its format into the plain text the plain-text reader
reads best (headline first, a blank line between paragraphs, list items as
``- item``), lets :func:`~toolkit.read.plaintext.parse_plain_text` find the
release's parts, and then applies what the format knows better than the
wording (:class:`Hints`): the headline a Title style or ``<h1>`` marks, the
date in a page's metadata or a mail's ``Date`` header, the embedded photo,
the contact data of a letterhead.

Keeping one parser for the parts means a quotation, a dateline or a
contact block is recognized the same way whichever format it came in.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ReaderWarning
from ..model import Contact, Heading, Image, Paragraph, Release, Text
from .contacts import is_contact_label, looks_like_contact_data, parse_contact_block
from .plaintext import parse_plain_text

__all__ = [
    "Hints",
    "Piece",
    "blocks_to_text",
    "caption_and_credit",
    "letterhead_contacts",
    "outline",
    "release_from_text",
    "save_image",
    "split_letterhead",
    "table_row",
]

#: The plain-text reader's warnings that a hint can make moot (their wording is in plaintext.py).
_GUESSED_HEADLINE = "no line reads as a headline"
_NO_DATE = "no release date found"
_FIRST_SENTENCE_DATE = "took the date from the first sentence"

_CREDIT = re.compile(r"^(?:bildnachweis|bildquelle|fotos?|bild|quelle|copyright)\s*:\s*(?P<credit>.+)$|^(?:©|\(c\))\s*(?P<sign>.+)$", re.IGNORECASE)
_TRAILING_CREDIT = re.compile(r"\s*\((?:foto|fotos|bild|bildnachweis|©)\s*:?\s*(?P<credit>[^)]+)\)\s*$", re.IGNORECASE)
_CAPTION_LABEL = re.compile(r"^(?:bildunterschrift|bildtext|bu)\s*:\s*", re.IGNORECASE)
#: Letterhead residue that is no contact data.
_LETTERHEAD_NOISE = re.compile(
    r"^(?:seite|page)\s*\d+(?:\s*(?:von|/|of)\s*\d+)?$|^\d+(?:\s*/\s*\d+)?$|^(?:presse|medien)(?:mitteilung|information)$",
    re.IGNORECASE,
)
_LETTERHEAD_SEPARATORS = re.compile(r"\s+[·•|]\s+|\t+|\s{3,}")
#: Longest caption taken from the paragraph under a photo; a longer one is body text.
_MAX_CAPTION = 300


@dataclass(frozen=True, kw_only=True)
class Piece:
    """One paragraph-level part of a document, as its format marks it."""

    #: title, subtitle, heading, paragraph, item, row (of a table), caption.
    kind: str
    text: str
    #: Heading level; for items 1 = ordered; for rows the table's number.
    level: int = 0


@dataclass(frozen=True, kw_only=True)
class Hints:
    """What a format knows beyond its text; applied after the plain-text reader."""

    headline: str | None = None
    #: True when the headline comes from the document's structure (Title style, ``<h1>``) and
    #: replaces the reader's; False when it is only a candidate for a text without a headline line.
    structural: bool = False
    #: Subheadline lines from the structure (a Subtitle style); None keeps the reader's.
    subheadline: tuple[str, ...] | None = None
    #: Used when the text has no date.
    date: dt.date | None = None
    #: Merged over the image the text reader found (the photo's file, its caption).
    image: Image | None = None
    #: The lines of each header and footer: a letterhead's contact data.
    letterhead: tuple[tuple[str, ...], ...] = ()


def blocks_to_text(blocks: Iterable[Sequence[str]]) -> str:
    """Blocks of lines as plain text: lines of a block on consecutive lines, blocks apart by a blank line.

    >>> blocks_to_text([["Titel"], ["Zeile 1", "Zeile 2"], []])
    'Titel\\n\\nZeile 1\\nZeile 2\\n'
    """
    kept = ["\n".join(line.strip() for line in block if line.strip()) for block in blocks]
    return "\n\n".join(block for block in kept if block) + "\n"


def outline(pieces: Sequence[Piece]) -> tuple[str, Hints]:
    """Plain text for the plain-text reader, and the headline and subheadline the styles give.

    The pieces keep their order (lines above the title, such as a release
    number or an embargo, stay above it, where the reader expects them). The
    headline is the Title piece, else a heading standing before any
    paragraph; subtitles and headings right under it are the subheadline.
    """
    blocks: list[list[str]] = []
    previous: Piece | None = None
    for piece in pieces:
        line = _line_of(piece)
        if previous is not None and _same_block(previous, piece):
            blocks[-1].append(line)
        else:
            blocks.append([line])
        previous = piece
    headline, subheadline = _head_of(pieces)
    hints = Hints(headline=headline, structural=headline is not None, subheadline=subheadline)
    return blocks_to_text(blocks), hints


def _head_of(pieces: Sequence[Piece]) -> tuple[str | None, tuple[str, ...] | None]:
    start = next((index for index, piece in enumerate(pieces) if piece.kind == "title"), None)
    if start is None:
        first_text = next((i for i, piece in enumerate(pieces) if piece.kind not in ("heading", "subtitle")), len(pieces))
        start = next((i for i in range(first_text) if pieces[i].kind == "heading"), None)
    if start is None:
        return None, None
    end = start + 1
    while end < len(pieces) and pieces[end].kind in ("subtitle", "heading"):
        end += 1
    subheadline = tuple(line for piece in pieces[start + 1 : end] for line in _lines(piece.text))
    # No styled subheadline: keep what the reader found under the headline (a plain paragraph, say).
    return " ".join(_lines(pieces[start].text)), subheadline or None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _line_of(piece: Piece) -> str:
    text = piece.text.strip()
    if piece.kind == "item":
        return ("1. " if piece.level == 1 else "- ") + " ".join(_lines(text))
    if piece.kind == "row":
        return text if looks_like_contact_data(text) or is_contact_label(text) else "- " + text
    return text


def _same_block(previous: Piece, piece: Piece) -> bool:
    if piece.kind == "item":
        return previous.kind == "item"
    if piece.kind == "row":
        return previous.kind == "row" and previous.level == piece.level
    return False


def table_row(cells: Sequence[str]) -> str:
    """One table row as a line: "Leistung: 4,2 Megawatt" for two cells, else the cells joined by dashes.

    >>> table_row(["Telefon", "0341 12345"]), table_row(["A", "", "B", "C"])
    ('Telefon: 0341 12345', 'A – B – C')
    """
    kept = [" ".join(_lines(cell)) for cell in cells if cell.strip()]
    if len(kept) == 2:
        key, value = kept
        return f"{key} {value}" if key.endswith(":") else f"{key}: {value}"
    return " – ".join(kept)


def caption_and_credit(pieces: list[Piece], after: int) -> tuple[str | None, str | None]:
    """Take the photo's caption and credit from the pieces right after position ``after``; they leave ``pieces``.

    A caption is a Caption-styled paragraph, or a short one followed by a
    credit line or ending in "(Foto: …)"; a credit is "Foto: …", "© …".
    """
    caption: str | None = None
    credit: str | None = None
    index = after
    while index < len(pieces) and index < after + 2:
        piece = pieces[index]
        text = " ".join(_lines(piece.text))
        found = _CREDIT.match(text)
        following = pieces[index + 1].text.strip() if index + 1 < len(pieces) else ""
        if found and credit is None:
            credit = (found["credit"] or found["sign"]).strip()
        elif caption is None and piece.kind in ("caption", "paragraph") and len(text) <= _MAX_CAPTION and (
            piece.kind == "caption" or _CAPTION_LABEL.match(text) or _TRAILING_CREDIT.search(text) or _CREDIT.match(following)
        ):
            caption = _CAPTION_LABEL.sub("", text)
            trailing = _TRAILING_CREDIT.search(caption)
            if trailing and credit is None:
                credit, caption = trailing["credit"].strip(), caption[: trailing.start()].rstrip()
        else:
            break
        del pieces[index]
    return caption, credit


def split_letterhead(text: str) -> list[str]:
    """A header or footer line cut into its parts; "Pressekontakt: Clara Vogt" gives the label its own line.

    >>> split_letterhead("Pressekontakt: Clara Vogt · Telefon 0341 12345 | presse@example.de")
    ['Pressekontakt', 'Clara Vogt', 'Telefon 0341 12345', 'presse@example.de']
    """
    lines: list[str] = []
    for line in text.split("\n"):
        for part in _LETTERHEAD_SEPARATORS.split(line):
            part = part.strip()
            label, colon, rest = part.partition(":")
            if colon and rest.strip() and is_contact_label(label):
                lines.extend([label.strip(), rest.strip()])
            elif part:
                lines.append(part)
    return lines


def letterhead_contacts(groups: Sequence[Sequence[str]]) -> list[Contact]:
    """The contacts a letterhead gives: per header or footer (``groups``), per contact label in it.

    Parts without a phone, e-mail or web line (a slogan, "Seite 1 von 2")
    give none.
    """
    contacts: list[Contact] = []
    for group in groups:
        parts: list[list[str]] = []
        for line in group:
            if _LETTERHEAD_NOISE.match(line):
                continue
            if is_contact_label(line) or not parts:
                parts.append([line])
            else:
                parts[-1].append(line)
        contacts.extend(parse_contact_block(part) for part in parts if any(looks_like_contact_data(line) for line in part))
    return contacts


def save_image(data: bytes, suffix: str, *, source: Path, folder: Path | None, stem: str) -> str | None:
    """Write a photo from inside a document beside the source (or into ``folder``); its ``src`` relative to the source.

    The renderer looks for the image relative to the release's file and only
    inside its folder, so a ``folder`` elsewhere is written but warned about.
    Writing is skipped when the same bytes are there already, so reading a
    release twice changes no file (and no build key).
    """
    folder = folder if folder is not None else source.parent
    target = folder / f"{stem}{suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not (target.is_file() and target.read_bytes() == data):
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_bytes(data)
            temporary.replace(target)
    except OSError as error:
        warnings.warn(f"{source}: cannot save the document's photo as {target} ({error.strerror or error}); the release has no image file",
                      ReaderWarning, stacklevel=3)
        return None
    src = Path(os.path.relpath(target.resolve(), source.resolve().parent)).as_posix()
    if src.startswith("../"):
        warnings.warn(f"{source}: the photo was saved to {target}, outside the release's folder; the sheet cannot show it from there",
                      ReaderWarning, stacklevel=3)
    return src


def release_from_text(text: str, hints: Hints, *, path: str | Path | None, language: str = "de") -> Release:
    """Read ``text`` with the plain-text reader, then apply ``hints``; warnings a hint made moot are dropped."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        release = parse_plain_text(text, path=path, language=language)
    messages = [str(item.message) for item in caught if issubclass(item.category, ReaderWarning)]
    guessed = any(_GUESSED_HEADLINE in message for message in messages)
    if hints.headline and (hints.structural or guessed):
        release = _with_head(release, hints.headline, hints.subheadline)
        messages = [message for message in messages if _GUESSED_HEADLINE not in message]
    guessed_date = any(_FIRST_SENTENCE_DATE in message for message in messages)
    if hints.date is not None and (release.date is None or guessed_date):
        # A date the metadata states beats none, and beats one guessed from the first sentence.
        release = replace(release, date=hints.date)
        messages = [message for message in messages if _NO_DATE not in message and _FIRST_SENTENCE_DATE not in message]
    if hints.image is not None:
        release = replace(release, image=_merged_image(release.image, hints.image))
    for contact in letterhead_contacts(hints.letterhead):
        if not _known(contact, release.contacts):
            release = replace(release, contacts=(*release.contacts, contact))
    for item in caught:
        if not issubclass(item.category, ReaderWarning):
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    for message in messages:
        warnings.warn(message, ReaderWarning, stacklevel=3)
    return release


def _with_head(release: Release, headline: str, subheadline: tuple[str, ...] | None) -> Release:
    # The plain-text convention holds for styled headlines too: a part after " / " is the first subheadline line.
    first, *more = [part.strip() for part in headline.split(" / ") if part.strip()] or [headline.strip()]
    if subheadline is None:
        lines = [*more, *(line.text for line in release.subheadline)]
    else:
        lines = [*more, *(part.strip() for line in subheadline for part in line.split(" / ") if part.strip())]
    lines = list(dict.fromkeys(line for line in lines if line != first))
    head = {first, *lines}
    # A styled line the reader took for body text must not stand twice.
    body = tuple(block for block in release.body
                 if not (isinstance(block, (Heading, Paragraph)) and block.text.text.strip() in head))
    return replace(release, headline=Text.plain(first), subheadline=tuple(Text.plain(line) for line in lines),
                   body=body or release.body)


def _merged_image(found: Image | None, hint: Image) -> Image:
    if found is None:
        return hint
    return Image(title=hint.title or found.title, caption=hint.caption or found.caption, credit=hint.credit or found.credit,
                 src=hint.src or found.src, alt=hint.alt or found.alt)


def _known(contact: Contact, contacts: Sequence[Contact]) -> bool:
    """Whether every phone and e-mail of ``contact`` is in ``contacts`` already (the letterhead repeats the body)."""
    emails = {email.lower() for other in contacts for email in other.emails}
    phones = {phone.e164 or phone.number for other in contacts for phone in other.phones}
    return all(email.lower() in emails for email in contact.emails) and all(
        (phone.e164 or phone.number) in phones for phone in contact.phones
    )
