"""Read a release written in LibreOffice or another OpenDocument editor (.odt) with odfpy.

The same rules as for Word (:mod:`.docx`): the Title style or a first
heading is the headline, Subtitle and headings under it the subheadline;
paragraphs, lists and tables in order; footnotes (``text:note``), comments
and tracked deletions dropped; bold and italics dropped; header and footer
text read as a letterhead's contact data; the first photo after the
headline, with its caption (LibreOffice's caption frame, a Caption-styled
paragraph, or a short paragraph followed by "Foto: …"), becomes the image,
saved beside the document.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ReadError
from ..model import Image, Release, Text
from .container import ODT_MIMETYPE, error_reason, library, open_zip, read_bytes
from .structured import Hints, Piece, caption_and_credit, outline, release_from_text, save_image, split_letterhead, table_row

__all__ = ["parse_odt", "read_odt"]

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_XLINK = "http://www.w3.org/1999/xlink"
#: Inline elements whose text is not the paragraph's: footnotes, comments, frames (photos, text boxes), deleted changes.
_SKIPPED = {(_TEXT, "note"), (_OFFICE, "annotation"), (_DRAW, "frame"), (_TEXT, "tracked-changes"), (_TEXT, "deletion")}
_PHOTO_SUFFIXES = {".png": ".png", ".jpg": ".jpg", ".jpeg": ".jpg", ".gif": ".gif", ".webp": ".webp"}
#: LibreOffice numbers captions: "Abbildung 1: …", "Illustration 2: …".
_CAPTION_NUMBER = re.compile(r"^(?:abbildung|illustration|bild|figure|foto|grafik)\s*\d+\s*[:.–-]\s*", re.IGNORECASE)
_WHAT = "OpenDocument text"


@dataclass
class _Walk:
    """State while walking the document body."""

    styles: dict[str, tuple[str | None, str]]
    list_styles: dict[str, bool]
    pictures: dict[str, Any]
    pieces: list[Piece] = field(default_factory=list)
    #: The first photo after the headline, and the first of all (for a document without one).
    photo: tuple[bytes, str, str | None, int] | None = None
    first_photo: tuple[bytes, str, str | None, int] | None = None
    tables: int = 0


def read_odt(path: str | Path, *, image_dir: str | Path | None = None, language: str = "de") -> Release:
    path = Path(path)
    return parse_odt(read_bytes(path), path=path, image_dir=image_dir, language=language)


def parse_odt(
    data: bytes,
    *,
    path: Path,
    image_dir: str | Path | None = None,
    image_stem: str | None = None,
    language: str = "de",
    date: dt.date | None = None,
) -> Release:
    """Read an .odt given as bytes; ``path`` names it in messages and places its photo; ``date`` stands in for a missing one."""
    document = _open(data, path)
    walk = _Walk(styles=_styles(document), list_styles=_list_styles(document), pictures=document.Pictures)
    for child in document.text.childNodes:
        _block(child, walk)
    image = None
    # A picture above the title is the letterhead's logo, not the release's photo; without a title, take the first.
    chosen = walk.photo if any(piece.kind in ("title", "heading") for piece in walk.pieces) else walk.first_photo
    if chosen is not None:
        photo, suffix, caption_in_frame, position = chosen
        caption, credit = caption_and_credit(walk.pieces, position)
        src = save_image(photo, suffix, source=path, folder=Path(image_dir) if image_dir is not None else None,
                         stem=f"{image_stem or path.stem}-image")
        caption = caption_in_frame or caption
        image = Image(caption=Text.plain(caption) if caption else None, credit=credit, src=src)
    text, hints = outline(walk.pieces)
    letterhead = tuple(tuple(line for text in texts for line in split_letterhead(text)) for texts in _letterhead(document))
    hints = Hints(headline=hints.headline, structural=hints.structural, subheadline=hints.subheadline, image=image,
                  letterhead=letterhead, date=date)
    return release_from_text(text, hints, path=path, language=language)


def _open(data: bytes, path: Path) -> Any:
    archive = open_zip(data, path, _WHAT)
    names = set(archive.namelist())
    try:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
        manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ReadError(path, f"is not a readable {_WHAT}: the ZIP container is damaged ({error})") from None
    if mimetype and mimetype != ODT_MIMETYPE:
        raise ReadError(path, f"is an OpenDocument file of type {mimetype!r}, not a text document (.odt)")
    if b"encryption-data" in manifest:
        raise ReadError(path, f"is a password-protected {_WHAT}; save it without a password and try again")
    opendocument = library("odf.opendocument", "odfpy", path, "an OpenDocument text")
    try:
        document = opendocument.load(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - odfpy raises KeyError, SAX and zipfile errors … for a broken file
        raise ReadError(path, f"is not a readable {_WHAT} ({error_reason(error)})") from None
    if getattr(document, "text", None) is None:
        raise ReadError(path, f"is not a readable {_WHAT} (it has no text body)")
    return document



# -- styles -----------------------------------------------------------------------


def _styles(document: Any) -> dict[str, tuple[str | None, str]]:
    """Paragraph style name → (parent style, display name), from the named and the automatic styles."""
    styles: dict[str, tuple[str | None, str]] = {}
    for container in (document.styles, document.automaticstyles):
        for style in _elements(container, (_STYLE, "style")):
            name = _attribute(style, _STYLE, "name")
            if name:
                styles[name] = (_attribute(style, _STYLE, "parent-style-name"),
                                _attribute(style, _STYLE, "display-name") or name.replace("_20_", " "))
    return styles


def _style_names(name: str | None, styles: dict[str, tuple[str | None, str]]) -> list[str]:
    """The style and its ancestors, lowercased ("p1", "title")."""
    names: list[str] = []
    while name and name.lower() not in names and len(names) < 20:
        parent, display = styles.get(name, (None, name.replace("_20_", " ")))
        names.extend([name.lower(), display.lower()])
        name = parent
    return names


def _list_styles(document: Any) -> dict[str, bool]:
    """List style name → numbered (True) or bulleted, by its first level."""
    result: dict[str, bool] = {}
    for container in (document.styles, document.automaticstyles):
        for style in _elements(container, (_TEXT, "list-style")):
            name = _attribute(style, _STYLE, "name")
            levels = [child for child in style.childNodes if getattr(child, "qname", None)]
            if name and levels:
                result[name] = levels[0].qname == (_TEXT, "list-level-style-number")
    return result


# -- the body -----------------------------------------------------------------------


def _block(node: Any, walk: _Walk) -> None:
    qname = getattr(node, "qname", None)
    if qname in ((_TEXT, "p"), (_TEXT, "h")):
        _paragraph(node, walk)
    elif qname == (_TEXT, "list"):
        _list(node, walk, numbered=walk.list_styles.get(_attribute(node, _TEXT, "style-name") or "", False))
    elif qname == (_TABLE, "table"):
        _table(node, walk)
    elif qname in ((_TEXT, "section"), (_TEXT, "index-body"), (_TABLE, "table-header-rows"), (_TABLE, "table-rows")):
        for child in node.childNodes:
            _block(child, walk)


def _paragraph(node: Any, walk: _Walk) -> None:
    if walk.photo is None:
        found = _photo(node, walk)
        walk.first_photo = walk.first_photo or found
        if any(piece.kind in ("title", "heading") for piece in walk.pieces):
            walk.photo = found
    text = _text(node)
    if not text:
        return
    names = _style_names(_attribute(node, _TEXT, "style-name"), walk.styles)
    if "title" in names or "titel" in names:
        walk.pieces.append(Piece(kind="title", text=text))
    elif "subtitle" in names or "untertitel" in names:
        walk.pieces.append(Piece(kind="subtitle", text=text))
    elif node.qname == (_TEXT, "h"):
        level = _attribute(node, _TEXT, "outline-level") or "1"
        walk.pieces.append(Piece(kind="heading", text=text, level=int(level) if level.isdigit() else 1))
    elif any(name in ("caption", "beschriftung", "illustration", "abbildung", "figure") for name in names):
        walk.pieces.append(Piece(kind="caption", text=_CAPTION_NUMBER.sub("", text)))
    else:
        walk.pieces.append(Piece(kind="paragraph", text=text))


def _list(node: Any, walk: _Walk, *, numbered: bool) -> None:
    for item in node.childNodes:
        if getattr(item, "qname", None) not in ((_TEXT, "list-item"), (_TEXT, "list-header")):
            continue
        for child in item.childNodes:
            if getattr(child, "qname", None) == (_TEXT, "list"):
                _list(child, walk, numbered=numbered)
            elif getattr(child, "qname", None) in ((_TEXT, "p"), (_TEXT, "h")):
                text = _text(child)
                if text:
                    walk.pieces.append(Piece(kind="item", text=text, level=1 if numbered else 0))


def _table(node: Any, walk: _Walk) -> None:
    walk.tables += 1
    rows = [[_cell_text(cell) for cell in _elements(row, (_TABLE, "table-cell"))] for row in _elements(node, (_TABLE, "table-row"))]
    if all(sum(1 for cell in row if cell) <= 1 for row in rows):
        # A table used for layout: its paragraphs are ordinary paragraphs.
        for cell in _elements(node, (_TABLE, "table-cell")):
            for child in cell.childNodes:
                _block(child, walk)
        return
    for cells in rows:
        line = table_row(cells)
        if line:
            walk.pieces.append(Piece(kind="row", text=line, level=walk.tables))


def _cell_text(cell: Any) -> str:
    return "\n".join(text for child in cell.childNodes if (text := _text(child)))


def _text(node: Any) -> str:
    """The paragraph's visible text: spans and links, ``text:s`` as spaces, line breaks as new lines."""
    parts: list[str] = []
    _collect(node, parts)
    return "".join(parts).strip()


def _collect(node: Any, parts: list[str]) -> None:
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
            continue
        qname = getattr(child, "qname", None)
        if qname in _SKIPPED:
            continue
        if qname == (_TEXT, "s"):
            count = _attribute(child, _TEXT, "c") or "1"
            parts.append(" " * min(int(count) if count.isdigit() else 1, 100))
        elif qname == (_TEXT, "tab"):
            parts.append(" ")
        elif qname == (_TEXT, "line-break"):
            parts.append("\n")
        else:
            _collect(child, parts)


# -- the photo and the letterhead ------------------------------------------------


def _photo(paragraph: Any, walk: _Walk) -> tuple[bytes, str, str | None, int] | None:
    for frame in _elements(paragraph, (_DRAW, "frame")):
        for image in _elements(frame, (_DRAW, "image")):
            href = _attribute(image, _XLINK, "href") or ""
            suffix = _PHOTO_SUFFIXES.get(PurePosixPath(href).suffix.lower())
            stored = walk.pictures.get(href)
            if suffix is None or stored is None or not isinstance(stored[1], bytes):
                continue
            return stored[1], suffix, _frame_caption(image, paragraph), len(walk.pieces)
    return None


def _frame_caption(image: Any, paragraph: Any) -> str | None:
    """LibreOffice's caption: the text beside the photo in the paragraph of the caption frame's text box."""
    node = image.parentNode
    while node is not None and node is not paragraph:
        if getattr(node, "qname", None) == (_TEXT, "p"):
            text = _CAPTION_NUMBER.sub("", _text(node))
            return text or None
        node = node.parentNode
    return None


def _letterhead(document: Any) -> Iterator[list[str]]:
    seen: set[tuple[str, ...]] = set()
    for page in _elements(document.masterstyles, (_STYLE, "master-page")):
        for part in page.childNodes:
            if getattr(part, "qname", (None, ""))[1] not in ("header", "footer", "header-first", "footer-first", "header-left", "footer-left"):
                continue
            texts = [text for child in _elements(part, (_TEXT, "p")) if (text := _text(child))]
            texts += [text for child in _elements(part, (_TEXT, "h")) if (text := _text(child))]
            if texts and tuple(texts) not in seen:
                seen.add(tuple(texts))
                yield texts


# -- odfpy helpers ---------------------------------------------------------------


def _elements(node: Any, qname: tuple[str, str]) -> Iterator[Any]:
    """Descendants of ``node`` with ``qname``, in document order."""
    for child in getattr(node, "childNodes", ()):
        if getattr(child, "qname", None) == qname:
            yield child
        yield from _elements(child, qname)


def _attribute(node: Any, namespace: str, name: str) -> str | None:
    value = node.attributes.get((namespace, name)) if hasattr(node, "attributes") else None
    return str(value) if value is not None else None
