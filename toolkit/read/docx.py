"""Read a release written in Word (.docx) with python-docx.

The document's styles carry what plain text has to guess: the Title style
(or a first heading) is the headline, Subtitle and headings right under it
are the subheadline. Paragraphs, lists and tables go, in their order, into
the plain text the plain-text reader reads (see :mod:`.structured`), so
quotations, datelines and contact blocks are found as in every other format.

- Bold, italics and links are dropped: the release model's spans mark
  meaning (persons, links, facts), not type styles, and Word's links are
  rare in releases; URLs written out are still found.
- Footnotes and endnotes are dropped (their references are not text, and
  their text is never read); so are comments, deleted tracked changes and
  text boxes.
- Header and footer text is read as a letterhead: its contact data become a
  contact at the end, unless the body's contacts already hold it.
- The first photo after the headline, with its caption (a Caption-styled
  paragraph, or a short one followed by "Foto: …") and credit, becomes the
  release's image; the photo is saved beside the document (or into
  ``image_dir``) as ``<name>-image.png`` and ``Image.src`` names it relative
  to the document, as the renderer expects.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ReadError
from ..model import Image, Release, Text
from .container import check_not_ole, error_reason, library, open_zip, read_bytes
from .structured import Hints, Piece, caption_and_credit, outline, release_from_text, save_image, split_letterhead, table_row

__all__ = ["parse_docx", "read_docx"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {
    "w": _W,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}
#: Text under these is not the paragraph's own: text boxes, deleted changes, the fallback copy of a drawing.
_SKIPPED = {f"{{{_W}}}txbxContent", f"{{{_W}}}del", f"{{{_W}}}moveFrom", f"{{{_MC}}}Fallback"}
_TEXT_TAGS = (f"{{{_W}}}t", f"{{{_W}}}tab", f"{{{_W}}}br", f"{{{_W}}}cr", f"{{{_W}}}noBreakHyphen")
#: Formats a sheet can show; Word's EMF/WMF drawings are no photos.
_PHOTO_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}
_WHAT = "Word document"


@dataclass(frozen=True)
class _Photo:
    data: bytes
    suffix: str
    alt: str | None
    #: Where it stood among the pieces.
    position: int


def read_docx(path: str | Path, *, image_dir: str | Path | None = None, language: str = "de") -> Release:
    path = Path(path)
    return parse_docx(read_bytes(path), path=path, image_dir=image_dir, language=language)


def parse_docx(
    data: bytes,
    *,
    path: Path,
    image_dir: str | Path | None = None,
    image_stem: str | None = None,
    language: str = "de",
    date: dt.date | None = None,
) -> Release:
    """Read a .docx given as bytes; ``path`` names it in messages and places its photo (see the module's notes).

    ``date`` stands in when the document gives none (the Date header of the e-mail it came with).
    """
    document = _open(data, path)
    pieces, photo = _pieces(document)
    letterhead = tuple(tuple(line for text in texts for line in split_letterhead(text)) for texts in _letterhead_parts(document))
    image = None
    if photo is not None:
        caption, credit = caption_and_credit(pieces, photo.position)
        folder = Path(image_dir) if image_dir is not None else None
        src = save_image(photo.data, photo.suffix, source=path, folder=folder, stem=f"{image_stem or path.stem}-image")
        image = Image(caption=Text.plain(caption) if caption else None, credit=credit, src=src,
                      alt=Text.plain(photo.alt) if photo.alt else None)
    text, hints = outline(pieces)
    hints = Hints(headline=hints.headline, structural=hints.structural, subheadline=hints.subheadline,
                  image=image, letterhead=letterhead, date=date)
    return release_from_text(text, hints, path=path, language=language)


def _open(data: bytes, path: Path) -> Any:
    check_not_ole(data, path, _WHAT)
    open_zip(data, path, _WHAT)  # sizes checked before python-docx unpacks anything
    docx = library("docx", "python-docx", path, "a Word document")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-docx raises KeyError, ValueError, lxml errors … for a broken file
        raise ReadError(path, f"is not a readable {_WHAT} ({error_reason(error)})") from None



# -- the body ---------------------------------------------------------------


def _pieces(document: Any) -> tuple[list[Piece], _Photo | None]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    pieces: list[Piece] = []
    first: _Photo | None = None
    after_title: _Photo | None = None
    numbering = _numbering(document)
    for table_number, block in enumerate(document.iter_inner_content()):
        if isinstance(block, Paragraph):
            piece = _paragraph_piece(block, numbering)
            if first is None or after_title is None:
                # Position before the paragraph's own text: text beside a photo is its caption.
                found = _photo(block, document, len(pieces))
                first = first or found
                if any(p.kind in ("title", "heading") for p in pieces):
                    after_title = after_title or found
            if piece is not None:
                pieces.append(piece)
        elif isinstance(block, Table):
            pieces.extend(_table_pieces(block, table_number, numbering))
    # A picture above the title is the letterhead's logo, not the release's photo; without a title, take the first.
    has_title = any(piece.kind in ("title", "heading") for piece in pieces)
    return pieces, after_title if has_title else first


def _paragraph_piece(paragraph: Any, numbering: Any) -> Piece | None:
    text = _text(paragraph._p)
    if not text.strip():
        return None
    name = _style_name(paragraph)
    if name in ("title", "titel"):
        return Piece(kind="title", text=text)
    if name in ("subtitle", "untertitel"):
        return Piece(kind="subtitle", text=text)
    if name in ("caption", "beschriftung"):
        return Piece(kind="caption", text=text)
    level = _heading_level(paragraph, name)
    if level:
        return Piece(kind="heading", text=text, level=level)
    kind = _list_kind(paragraph, name, numbering)
    if kind is not None:
        return Piece(kind="item", text=text, level=1 if kind == "number" else 0)
    return Piece(kind="paragraph", text=text)


def _style_name(paragraph: Any) -> str:
    style = paragraph.style
    return (style.name or "").strip().lower() if style is not None else ""


def _heading_level(paragraph: Any, name: str) -> int:
    for prefix in ("heading ", "überschrift "):
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            return int(name[len(prefix):])
    levels = paragraph._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    return int(levels[0]) + 1 if levels and levels[0].isdigit() and int(levels[0]) < 9 else 0


def _text(element: Any) -> str:
    """The element's visible text: runs, hyperlinks, inserted changes; line breaks kept as new lines."""
    parts: list[str] = []
    for node in element.iter(*_TEXT_TAGS):
        if _skipped(node, element) or _hidden(node):
            continue
        tag = node.tag.rsplit("}", 1)[1]
        if tag == "t":
            parts.append(node.text or "")
        elif tag == "tab":
            parts.append(" ")
        elif tag == "noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts).strip()


def _hidden(node: Any) -> bool:
    """Text formatted as hidden (Word's "Ausgeblendet") is not printed, so it is no release text."""
    run = node.getparent()
    vanish = run.find(f"{{{_W}}}rPr/{{{_W}}}vanish") if run is not None else None
    return vanish is not None and vanish.get(f"{{{_W}}}val", "true") not in ("0", "false", "off")


def _skipped(node: Any, root: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not root:
        if parent.tag in _SKIPPED:
            return True
        parent = parent.getparent()
    return False


def _table_pieces(table: Any, number: int, numbering: Any) -> Iterator[Piece]:
    from docx.text.paragraph import Paragraph

    rows = [[_text(cell._tc) for cell in row.cells] for row in table.rows]
    if all(sum(1 for cell in row if cell) <= 1 for row in rows):
        # A table used for layout (a box, a column): its paragraphs are ordinary paragraphs.
        seen: set[int] = set()
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell appears once per spanned column
                    continue
                seen.add(id(cell._tc))
                for paragraph in cell.paragraphs:
                    piece = _paragraph_piece(Paragraph(paragraph._p, cell), numbering)
                    if piece is not None:
                        yield piece
        return
    for cells in rows:
        distinct = [cell for index, cell in enumerate(cells) if index == 0 or cell != cells[index - 1]]
        line = table_row(distinct)
        if line:
            yield Piece(kind="row", text=line, level=number)


# -- lists --------------------------------------------------------------------


def _numbering(document: Any) -> Any:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return None


def _list_kind(paragraph: Any, name: str, numbering: Any) -> str | None:
    """"bullet", "number" or None, from the paragraph's numbering or its style's (List Bullet, List Number)."""
    num_ids = paragraph._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    levels = paragraph._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
    style = paragraph.style
    while not num_ids and style is not None:
        num_ids = style.element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        style = style.base_style
    if not num_ids:
        if name.startswith("list number"):
            return "number"
        return "bullet" if name.startswith("list bullet") else None
    if num_ids[0] == "0":  # numbering switched off
        return None
    fmt = _number_format(numbering, num_ids[0], levels[0] if levels else "0")
    if fmt == "none":
        return None
    if fmt is None:
        return "number" if "number" in name else "bullet"
    return "bullet" if fmt == "bullet" else "number"


def _number_format(numbering: Any, num_id: str, level: str) -> str | None:
    if numbering is None:
        return None
    abstract = numbering.xpath(f"./w:num[@w:numId='{_digits(num_id)}']/w:abstractNumId/@w:val")
    if not abstract:
        return None
    formats = numbering.xpath(
        f"./w:abstractNum[@w:abstractNumId='{_digits(abstract[0])}']/w:lvl[@w:ilvl='{_digits(level)}']/w:numFmt/@w:val"
    )
    return str(formats[0]) if formats else None


def _digits(value: str) -> str:
    # Values go into an XPath expression: only digits may.
    return "".join(char for char in str(value) if char.isdigit()) or "0"


# -- the photo and the letterhead -----------------------------------------


def _photo(paragraph: Any, document: Any, position: int) -> _Photo | None:
    for drawing in paragraph._p.xpath(".//w:drawing"):
        ids = drawing.xpath(".//a:blip/@r:embed")
        if not ids:
            continue
        part = document.part.related_parts.get(ids[0])
        suffix = _PHOTO_TYPES.get(getattr(part, "content_type", ""))
        if part is None or suffix is None:
            continue
        descriptions = drawing.xpath(".//wp:docPr/@descr")
        alt = str(descriptions[0]).strip() if descriptions and str(descriptions[0]).strip() else None
        return _Photo(data=part.blob, suffix=suffix, alt=alt, position=position)
    return None


def _letterhead_parts(document: Any) -> Iterator[list[str]]:
    """The texts of each header and footer, once each (sections share them)."""
    seen: set[tuple[str, ...]] = set()
    for section in document.sections:
        for part in (section.first_page_header, section.header, section.even_page_header,
                     section.first_page_footer, section.footer, section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            texts = list(_part_texts(part))
            if texts and tuple(texts) not in seen:
                seen.add(tuple(texts))
                yield texts


def _part_texts(part: Any) -> Iterator[str]:
    for paragraph in part.paragraphs:
        text = _text(paragraph._p)
        if text:
            yield text
    for table in part.tables:
        for row in table.rows:
            for cell in row.cells:
                text = _text(cell._tc)
                if text:
                    yield text
