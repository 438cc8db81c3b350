"""Readers: turn a source file into a :class:`~toolkit.model.Release`.

``read_release`` picks the reader by the file's content where its first
bytes tell (a ZIP container holding a Word or OpenDocument text, a PDF), else
by its suffix; each reader raises :class:`~toolkit.errors.ReadError` naming
the file and the problem.
"""

from __future__ import annotations

import importlib
import stat
import warnings
from collections.abc import Callable
from pathlib import Path

from ..errors import ReadError, ReaderWarning
from ..model import Release
from .container import MAX_FILE_BYTES, sniff

__all__ = ["READERS", "read_release"]


def _read_json(path: str | Path) -> Release:
    from ..release_json import loads
    from .source import read_source

    source = read_source(path)
    return loads(source.text, path=source.path)


def _reader(module: str, function: str) -> Callable[[str | Path], Release]:
    """A reader imported when first used: a plain-text run never loads python-docx, trafilatura or pdfplumber."""

    def read(path: str | Path) -> Release:
        reader: Callable[[str | Path], Release] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return reader(path)

    read.__name__ = function
    return read


_read_plain_text = _reader("plaintext", "read_plain_text")
_read_markdown = _reader("markdown", "read_markdown")
_read_html = _reader("html", "read_html")

#: Reader per file suffix; a file without a suffix is read as plain text.
READERS: dict[str, Callable[[str | Path], Release]] = {
    "": _read_plain_text,
    ".txt": _read_plain_text,
    ".text": _read_plain_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".json": _read_json,
    ".docx": _reader("docx", "read_docx"),
    ".odt": _reader("odt", "read_odt"),
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _reader("pdf", "read_pdf"),
    ".eml": _reader("email", "read_email"),
}

_FORMAT_NAMES = {".docx": "a Word document", ".odt": "an OpenDocument text", ".pdf": "a PDF"}


def read_release(path: str | Path) -> Release:
    """The release in ``path``, read by the reader its content or suffix calls for; :class:`ReadError` in one line otherwise."""
    path = Path(path)
    try:
        return _read(path)
    except RecursionError:
        raise ReadError(path, "is nested too deeply to read") from None


def _read(path: Path) -> Release:
    suffix = path.suffix.lower()
    found = _sniffed(path)
    if found is not None and found != suffix:
        if suffix in READERS:
            # A .txt that is a PDF, a .docx saved by LibreOffice as .odt: the content decides, and the user hears of it.
            named = f"a {suffix} file" if suffix else "plain text"
            warnings.warn(f"{path}: is {_FORMAT_NAMES[found]}, not {named}; read as such", ReaderWarning, stacklevel=2)
        return READERS[found](path)
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(s for s in READERS if s))
        raise ReadError(path, f"unsupported file type {path.suffix!r} (press-toolkit reads {known} and files without a suffix as plain text)")
    return reader(path)


def _sniffed(path: Path) -> str | None:
    """The reader's suffix by the file's first bytes; None when they do not tell or the file cannot be read (the reader says why)."""
    try:
        # A FIFO or a device is never opened here: reading it could block forever (the reader refuses it).
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as file:
            head = file.read(8)
            if not head.startswith(b"PK\x03\x04"):
                return sniff(head)
            # A ZIP: the mimetype or [Content_Types].xml entry tells Word from OpenDocument.
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            file.seek(0)
            return sniff(file.read())
    except OSError:
        return None
