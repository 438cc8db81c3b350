"""Read a release from a PDF with pdfplumber (pdfminer.six underneath).

A PDF has lines at positions, not paragraphs, so the reader rebuilds what
the plain-text reader needs:

- **reading order**: lines top to bottom; a page set in two columns (the
  body beside a letterhead's contact column) is read column by column;
- **paragraphs**: a blank line where the space between two lines is clearly
  larger than the page's usual line spacing, or the type size changes
  (headline, subheadline);
- **hyphenation**: a word broken at the line end ("Solar-" / "park") is
  joined again; a hyphen before a capital stays ("Wasserstoff-" /
  "Kernnetz"), and so does one before "und"/"oder" ("Lese- und …");
- **page headers and footers**: a line at the top or bottom of a page that
  recurs (digits aside) on another page is dropped, and so are lone page
  numbers ("Seite 2 von 3").

A PDF without a text layer (a scan) is an error: press-toolkit does no OCR.
So is an encrypted PDF that needs a password to open.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ReadError
from ..model import Release
from .container import error_reason, library, read_bytes
from .structured import Hints, blocks_to_text, release_from_text

__all__ = ["parse_pdf", "pdf_text", "read_pdf"]

#: A release is a few pages; more is a report or a brochure, not read page by page here.
MAX_PAGES = 40
#: Lines this close to the top or bottom of a page (in lines) may be running headers or footers.
_EDGE_LINES = 3
_HYPHENS = ("-", "\u2010", "\u00ad")
_KEEP_HYPHEN_BEFORE = {"und", "oder", "bis", "sowie", "wie", "als"}
_BULLET = re.compile(r"^[•▪◦●‣∙·–-]\s*")
_PAGE_NUMBER = re.compile(r"^(?:(?:seite|page|s\.)\s*)?[-–]?\s*\d{1,3}\s*(?:(?:von|of|/)\s*\d{1,3})?\s*[-–]?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:“”\"»«)]$")


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def read_pdf(path: str | Path, *, language: str = "de") -> Release:
    path = Path(path)
    return parse_pdf(read_bytes(path), path=path, language=language)


def parse_pdf(data: bytes, *, path: Path, language: str = "de", date: dt.date | None = None) -> Release:
    """Read a PDF given as bytes; ``date`` stands in when the text has none (an e-mail's Date header)."""
    return release_from_text(pdf_text(data, path=path), Hints(date=date), path=path, language=language)


def pdf_text(data: bytes, *, path: Path) -> str:
    """The PDF's text as blocks of lines, headers, footers and hyphenation removed."""
    pages = _pages(data, path)
    if not any(pages):
        raise ReadError(path, "has no text layer (scanned?); press-toolkit does no OCR: export the release as text or run OCR first")
    repeated = _running_lines(pages)
    blocks: list[list[str]] = []
    for lines in pages:
        kept = [line for index, line in enumerate(lines) if not _is_running(line, index, len(lines), repeated)]
        for number, column in enumerate(_columns(kept)):
            _add_column(blocks, column, new_page=number == 0)
    return blocks_to_text(blocks)


def _pages(data: bytes, path: Path) -> list[list[_Line]]:
    pdfplumber = library("pdfplumber", "pdfplumber", path, "a PDF")
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ReadError(path, f"has {len(pdf.pages)} pages; press-toolkit reads releases of up to {MAX_PAGES} pages")
            return [_page_lines(page) for page in pdf.pages]
    except ReadError:
        raise
    except PdfminerException as error:
        raise ReadError(path, _pdfminer_problem(error)) from None
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds of errors for a damaged file
        raise ReadError(path, f"is not a readable PDF ({error_reason(error)})") from None


def _pdfminer_problem(error: Exception) -> str:
    cause = error.args[0] if error.args else error
    name = type(cause).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning") or "password" in str(cause).lower():
        return "is an encrypted PDF that needs a password to open; save it without a password and try again"
    return f"is not a readable PDF ({error_reason(cause) if isinstance(cause, BaseException) else cause})"



def _page_lines(page: Any) -> list[_Line]:
    """The page's lines, built from its words: a wide horizontal gap ends a line, so two columns never share one."""
    words = page.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda word: (word["top"], word["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= max(2.0, 0.3 * word["size"]):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines: list[_Line] = []
    for row in rows:
        segment: list[dict[str, Any]] = []
        for word in sorted(row, key=lambda word: word["x0"]):
            if segment and word["x0"] - segment[-1]["x1"] > 1.2 * max(word["size"], segment[-1]["size"]):
                lines.append(_line_of(segment))
                segment = []
            segment.append(word)
        if segment:
            lines.append(_line_of(segment))
    return lines


def _line_of(words: list[dict[str, Any]]) -> _Line:
    size = Counter(round(word["size"], 1) for word in words).most_common(1)[0][0]
    return _Line(" ".join(word["text"] for word in words), words[0]["x0"], max(word["x1"] for word in words),
                 min(word["top"] for word in words), max(word["bottom"] for word in words), size)


# -- running headers and footers ----------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold())


def _edge_indexes(count: int) -> set[int]:
    return set(range(min(_EDGE_LINES, count))) | set(range(max(0, count - _EDGE_LINES), count))


def _running_lines(pages: list[list[_Line]]) -> set[str]:
    """Keys of edge lines that appear on two or more pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(lines[index].text) for index in _edge_indexes(len(lines))})
    return {key for key, count in counts.items() if count >= 2}


def _is_running(line: _Line, index: int, count: int, repeated: set[str]) -> bool:
    if index not in _edge_indexes(count):
        return False
    return _key(line.text) in repeated or bool(_PAGE_NUMBER.match(line.text))


# -- reading order ------------------------------------------------------------------


def _columns(lines: list[_Line]) -> list[list[_Line]]:
    """The page's lines in reading order, as columns left to right.

    A gutter is an x position with three lines or more on each side and no
    line across it, except lines above or below both columns (a headline over
    the body and a letterhead's sidebar).
    """
    # Half a point below each line start, so that the lines starting there lie right of it.
    for gutter in sorted({round(line.x0, 1) - 0.5 for line in lines}):
        left = [line for line in lines if line.x1 <= gutter]
        right = [line for line in lines if line.x0 >= gutter]
        if len(left) < 3 or len(right) < 3:
            continue
        crossing = [line for line in lines if line.x0 < gutter < line.x1]
        top = min(line.top for line in left + right)
        bottom = max(line.bottom for line in left + right)
        above = [line for line in crossing if line.bottom <= top]
        below = [line for line in crossing if line.top >= bottom]
        if len(above) + len(below) == len(crossing):
            return [part for part in (above, left, *_columns(right), below) if part]
    return [lines] if lines else []


def _add_column(blocks: list[list[str]], lines: list[_Line], *, new_page: bool) -> None:
    """Append a column's lines to ``blocks``: a new block at a wide gap or a change of type size.

    Inside a block, a line the typesetter broke (the next word would not have
    fitted) is joined to the next, so a paragraph is one line again; a line
    that ends short ("Clara Vogt" in a contact block) keeps its break.
    """
    lines = sorted(lines, key=lambda line: (round(line.top), line.x0))
    spacing = _usual_gap(lines)
    right = max((line.x1 for line in lines), default=0.0)
    left = min((line.x0 for line in lines), default=0.0)
    # Text set to fill the column has several lines reaching its right edge; a sidebar of short lines has one.
    flowing = sum(1 for line in lines if line.x1 >= right - 0.1 * (right - left)) >= 2
    previous: _Line | None = None
    for line in lines:
        text = _BULLET.sub("- ", line.text) if _BULLET.match(line.text) and len(line.text) > 2 else line.text
        if previous is None:
            starts_block = not blocks or _ends_block(blocks[-1][-1], text, new_page=new_page)
        else:
            gap = line.top - previous.bottom
            starts_block = gap > spacing + 0.45 * max(line.size, previous.size, 1.0) or abs(line.size - previous.size) > 0.6
        if starts_block or not blocks:
            blocks.append([text])
        elif text.startswith("- "):
            blocks[-1].append(text)  # the next list item
        elif previous is None or _wrapped(previous, text, right if flowing else float("inf")):
            _join(blocks[-1], text)  # on a new page or column, a block goes on only with a sentence running on
        else:
            blocks[-1].append(text)
        previous = line


def _usual_gap(lines: list[_Line]) -> float:
    """The space between two lines of a paragraph: a low quantile of the gaps, at most 0.6 of the type size.

    The cap keeps a page of one-line paragraphs (all gaps wide) from reading as one paragraph.
    """
    gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:]) if b.top > a.bottom and abs(a.size - b.size) <= 0.6)
    sizes = sorted(line.size for line in lines if line.size > 0)
    cap = 0.6 * sizes[len(sizes) // 2] if sizes else float("inf")
    return min(gaps[len(gaps) // 4], cap) if gaps else 0.0


def _wrapped(line: _Line, following: str, right: float) -> bool:
    """Whether the typesetter broke ``line``: the next line's first word would not have fitted after it."""
    if line.text.endswith(_HYPHENS):
        return True
    width = (line.x1 - line.x0) / max(len(line.text), 1)
    first_word = following.split(" ", 1)[0]
    return line.x1 + width * (len(first_word) + 1) > right - width


def _ends_block(last: str, first: str, *, new_page: bool) -> bool:
    """Across a page break: a new block unless a sentence or a list runs on.

    Across a column break on the same page (the body, then a sidebar) only a
    hyphenated word or a lower-case start runs on: German nouns start with
    a capital, so a capital says nothing on a new page, but a new column
    beside the body is usually a block of its own.
    """
    if first.startswith("- "):
        return not last.startswith("- ")
    if not new_page:
        return not (last.endswith(_HYPHENS) or first[:1].islower())
    return bool(_SENTENCE_END.search(last))


def _join(block: list[str], text: str) -> None:
    """Join a line to the block's last line, rejoining a word hyphenated at the line end."""
    last = block[-1]
    if last.endswith(_HYPHENS) and len(last) > 1 and last[-2].isalpha() and text[:1].isalpha():
        next_word = text.split(" ", 1)[0]
        # An address broken at its own hyphen ("presse@stadtwerke-" / "lindenau.de") keeps it.
        in_address = any(mark in last.rsplit(" ", 1)[-1] for mark in ("@", "www.", "://"))
        if text[:1].islower() and next_word not in _KEEP_HYPHEN_BEFORE and not (in_address and last[-1] == "-"):
            block[-1] = last[:-1] + text
            return
        if last[-1] == "\u00ad":
            block[-1] = last[:-1] + text  # a soft hyphen is never part of the word
            return
        block[-1] = last[:-1] + "-" + (" " if next_word in _KEEP_HYPHEN_BEFORE else "") + text
        return
    block[-1] = f"{last} {text}"
