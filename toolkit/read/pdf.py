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
from .container import read_bytes
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
        for column in _columns(kept):
            _add_column(blocks, column)
    return blocks_to_text(blocks)


def _pages(data: bytes, path: Path) -> list[list[_Line]]:
    import pdfplumber  # here, so that reading text and Markdown does not load it
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
        raise ReadError(path, f"is not a readable PDF ({_reason(error)})") from None


def _pdfminer_problem(error: Exception) -> str:
    cause = error.args[0] if error.args else error
    name = type(cause).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning") or "password" in str(cause).lower():
        return "is an encrypted PDF that needs a password to open; save it without a password and try again"
    return f"is not a readable PDF ({_reason(cause) if isinstance(cause, BaseException) else cause})"


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text if len(text) <= 120 else text[:119] + "…"


def _page_lines(page: Any) -> list[_Line]:
    lines = []
    for found in page.extract_text_lines(strip=True, return_chars=True):
        text = " ".join(found["text"].split())
        if not text:
            continue
        sizes = [char.get("size", 0.0) for char in found.get("chars", ()) if not char.get("text", " ").isspace()]
        size = Counter(round(value, 1) for value in sizes).most_common(1)[0][0] if sizes else 0.0
        lines.append(_Line(text, found["x0"], found["x1"], found["top"], found["bottom"], size))
    return lines


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
    """The page's lines as columns, left to right: split at a gutter no line crosses, with three lines on each side."""
    for gutter in sorted({round(line.x0, 1) for line in lines}):
        left = [line for line in lines if line.x1 <= gutter]
        right = [line for line in lines if line.x0 >= gutter]
        if len(left) >= 3 and len(right) >= 3 and len(left) + len(right) == len(lines):
            return [left, *_columns(right)]
    return [lines] if lines else []


def _add_column(blocks: list[list[str]], lines: list[_Line]) -> None:
    """Append a column's lines to ``blocks``: a new block at a wide gap or a change of type size.

    Inside a block, a line the typesetter broke (the next word would not have
    fitted) is joined to the next, so a paragraph is one line again; a line
    that ends short ("Clara Vogt" in a contact block) keeps its break.
    """
    lines = sorted(lines, key=lambda line: (round(line.top), line.x0))
    spacing = _usual_gap(lines)
    right = max((line.x1 for line in lines), default=0.0)
    previous: _Line | None = None
    for line in lines:
        text = _BULLET.sub("- ", line.text) if _BULLET.match(line.text) and len(line.text) > 2 else line.text
        if previous is None:
            starts_block = not blocks or _ends_block(blocks[-1][-1], text)
        else:
            gap = line.top - previous.bottom
            starts_block = gap > spacing + 0.45 * max(line.size, previous.size, 1.0) or abs(line.size - previous.size) > 0.6
        if starts_block or not blocks:
            blocks.append([text])
        elif text.startswith("- "):
            blocks[-1].append(text)  # the next list item
        elif previous is None or _wrapped(previous, text, right):
            _join(blocks[-1], text)  # on a new page or column, a block goes on only with a sentence running on
        else:
            blocks[-1].append(text)
        previous = line


def _usual_gap(lines: list[_Line]) -> float:
    gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:]) if b.top > a.bottom and abs(a.size - b.size) <= 0.6)
    return gaps[len(gaps) // 4] if gaps else 0.0


def _wrapped(line: _Line, following: str, right: float) -> bool:
    """Whether the typesetter broke ``line``: the next line's first word would not have fitted after it."""
    if line.text.endswith(_HYPHENS):
        return True
    width = (line.x1 - line.x0) / max(len(line.text), 1)
    first_word = following.split(" ", 1)[0]
    return line.x1 + width * (len(first_word) + 1) > right - width


def _ends_block(last: str, first: str) -> bool:
    """Across a page or column break: a new block unless a sentence or a list runs on."""
    if first.startswith("- "):
        return not last.startswith("- ")
    return bool(_SENTENCE_END.search(last))


def _join(block: list[str], text: str) -> None:
    """Join a line to the block's last line, rejoining a word hyphenated at the line end."""
    last = block[-1]
    if last.endswith(_HYPHENS) and len(last) > 1 and last[-2].isalpha() and text[:1].isalpha():
        next_word = text.split(" ", 1)[0]
        if text[:1].islower() and next_word not in _KEEP_HYPHEN_BEFORE:
            block[-1] = last[:-1] + text
            return
        if last[-1] == "\u00ad":
            block[-1] = last[:-1] + text  # a soft hyphen is never part of the word
            return
        block[-1] = last[:-1] + "-" + (" " if next_word in _KEEP_HYPHEN_BEFORE else "") + text
        return
    block[-1] = f"{last} {text}"
