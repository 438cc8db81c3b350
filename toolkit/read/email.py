"""Read a release that came by e-mail (.eml), with the stdlib :mod:`email` package.

- The **subject**, without "Fwd:", "WG:", "PM:" and the like, is the
  headline when the text has no headline line.
- The **Date header** is the date when the text has none.
- The **text**: the text/plain part, else the text/html part read like a
  web page (:mod:`.html`). The greeting ("Sehr geehrte Damen und Herren,"),
  a line pointing to the release ("anbei erhalten Sie …"), the headers of a
  forwarded message and the closing ("Mit freundlichen Grüßen") are
  removed; the signature after them is read as a letterhead, so its
  contact data become a contact when the release gives none.
- **Attachments**: when the text only points to an attached release (a
  short note), the attachment is read instead: Word, then OpenDocument,
  then PDF; its photo is saved beside the .eml file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from pathlib import Path

from ..errors import ReadError
from ..model import Release
from .container import read_bytes, sniff
from .structured import Hints, blocks_to_text, release_from_text

__all__ = ["parse_email", "read_email"]

_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:fwd?|wg|aw|re|pm|pi|fw|tr)\s*:|\[[^\]]{1,40}\]|(?:presse|medien)(?:mitteilung|information)\s*:)\s*",
    re.IGNORECASE,
)
_GREETING = re.compile(r"^(?:sehr\s+geehrte|liebe|lieber|hallo|guten\s+(?:tag|morgen)|moin|dear|hello|hi)\b", re.IGNORECASE)
_POINTER = re.compile(r"\b(?:anbei|beigefügt|im\s+anhang|in\s+der\s+anlage|als\s+anlage|attached|angehängt)\b", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(?:mit\s+(?:den\s+)?(?:freundlichen|besten|herzlichen)\s+grüßen|(?:viele|beste|freundliche|herzliche|liebe)\s+grüße|"
    r"best\s+regards|kind\s+regards|regards)\b[,.!]?$",
    re.IGNORECASE,
)
_FORWARD_MARK = re.compile(
    r"^-{2,}\s*(?:forwarded\s+message|weitergeleitete\s+nachricht|original\s+message|ursprüngliche\s+nachricht)\s*-{2,}$",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(r"^(?:von|from|gesendet|sent|datum|date|an|to|cc|betreff|subject)\s*:", re.IGNORECASE)
#: A text with fewer words only points to its attachment ("anbei unsere Pressemitteilung …").
_NOTE_WORDS = 80
#: Attachments that are releases, in the order they are preferred: Word keeps the most structure.
_RELEASE_KINDS = (".docx", ".odt", ".pdf")


@dataclass(frozen=True, kw_only=True)
class _Attachment:
    name: str
    kind: str
    data: bytes


def read_email(path: str | Path, *, image_dir: str | Path | None = None, language: str = "de") -> Release:
    path = Path(path)
    return parse_email(read_bytes(path), path=path, image_dir=image_dir, language=language)


def parse_email(data: bytes, *, path: Path, image_dir: str | Path | None = None, language: str = "de") -> Release:
    message = _message(data, path)
    subject = _subject(message)
    sent = _sent(message)
    text, html_hints = _body(message, path)
    body, signature = _cleaned(text)
    attachments = _release_attachments(message)
    if attachments and len(body.split()) < _NOTE_WORDS:
        return _read_attachment(attachments[0], path, image_dir=image_dir, language=language, date=sent)
    if not body.strip():
        raise ReadError(path, "the e-mail has no text and no attached release (.docx, .odt, .pdf)")
    hints = Hints(headline=html_hints.headline or subject, date=html_hints.date or sent, image=html_hints.image,
                  letterhead=(tuple(signature),) if signature else ())
    return release_from_text(body, hints, path=path, language=language)


def _message(data: bytes, path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not isinstance(message, EmailMessage) or not (message.keys() and (message["From"] or message["Subject"] or message["Date"])):
        raise ReadError(path, "is not an e-mail message (no From, Subject or Date header)")
    return message


def _subject(message: EmailMessage) -> str | None:
    try:
        subject = str(message["Subject"] or "")
    except (ValueError, LookupError):
        return None
    previous = None
    while previous != subject:
        previous, subject = subject, _SUBJECT_PREFIX.sub("", subject)
    subject = " ".join(subject.split())
    return subject or None


def _sent(message: EmailMessage) -> dt.date | None:
    try:
        header = message["Date"]
        moment = getattr(header, "datetime", None)
    except (ValueError, TypeError, LookupError):
        return None
    return moment.date() if isinstance(moment, dt.datetime) else None


# -- the text ------------------------------------------------------------------------


def _body(message: EmailMessage, path: Path) -> tuple[str, Hints]:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", Hints()
    content = _decoded(part)
    if part.get_content_subtype() == "html":
        from .html import page_text

        try:
            page = page_text(content, path=path)
        except ReadError:
            return "", Hints()
        return page.text, page.hints
    return content, Hints()


def _decoded(part: MIMEPart) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        # An unknown or wrong charset: the bytes as Windows-1252, which every byte decodes to.
        raw = part.get_payload(decode=True)
        content = raw.decode("cp1252", errors="replace") if isinstance(raw, bytes) else ""
    return content if isinstance(content, str) else ""


def _cleaned(text: str) -> tuple[str, list[str]]:
    """The release text without greeting, pointer, forwarded headers and closing; and the signature's lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line for line in text.split("\n") if not line.startswith(">"))
    blocks = [block.split("\n") for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    blocks = [_without_forward_headers(block) for block in blocks]
    blocks = [block for block in blocks if any(line.strip() for line in block)]
    while blocks and _is_opening(blocks[0]):
        blocks.pop(0)
    body, signature = _split_signature(blocks)
    return blocks_to_text(body) if body else "", signature


def _without_forward_headers(block: list[str]) -> list[str]:
    if block and _FORWARD_MARK.match(block[0].strip()):
        block = block[1:]
    if block and all(_HEADER_LINE.match(line.strip()) or not line.strip() for line in block):
        return []
    return block


def _is_opening(block: list[str]) -> bool:
    """A greeting, or a short line pointing to the release ("anbei erhalten Sie unsere Pressemitteilung")."""
    text = " ".join(line.strip() for line in block)
    return len(text) <= 400 and bool(_GREETING.match(text) or (_POINTER.search(text) and len(block) <= 3))


def _split_signature(blocks: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """The blocks before the signature ("-- " or a closing such as "Mit freundlichen Grüßen"), and its lines."""
    for index, block in enumerate(blocks):
        for row, line in enumerate(block):
            if line.rstrip() == "--" or line == "-- " or _CLOSING.match(line.strip()):
                before = [*blocks[:index], block[:row]] if row else blocks[:index]
                after = [line.strip() for rest in [block[row + 1 :], *blocks[index + 1 :]] for line in rest if line.strip()]
                return [b for b in before if b], [line for line in after if line.rstrip() != "--"]
    return blocks, []


# -- attachments -----------------------------------------------------------------------


def _release_attachments(message: EmailMessage) -> list[_Attachment]:
    found: list[_Attachment] = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_disposition() not in ("attachment", "inline"):
            continue
        name = Path(part.get_filename() or "anhang").name
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            continue
        kind = sniff(data) or Path(name).suffix.lower()
        if kind in _RELEASE_KINDS:
            found.append(_Attachment(name=name, kind=kind, data=data))
    return sorted(found, key=lambda attachment: _RELEASE_KINDS.index(attachment.kind))


def _read_attachment(attachment: _Attachment, path: Path, *, image_dir: str | Path | None, language: str,
                     date: dt.date | None) -> Release:
    # Messages name the mail and the attachment; the attachment's photo goes beside the mail.
    where = path.with_name(f"{path.name} ({attachment.name})")
    stem = f"{path.stem}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', Path(attachment.name).stem).strip('-.') or 'anhang'}"
    if attachment.kind == ".docx":
        from .docx import parse_docx

        release = parse_docx(attachment.data, path=where, image_dir=image_dir, image_stem=stem, language=language, date=date)
    elif attachment.kind == ".odt":
        from .odt import parse_odt

        release = parse_odt(attachment.data, path=where, image_dir=image_dir, image_stem=stem, language=language, date=date)
    else:
        from .pdf import parse_pdf

        release = parse_pdf(attachment.data, path=where, language=language, date=date)
    return release
