"""Bytes of binary release files, checked before any library parses them.

Word, OpenDocument and PDF files arrive by e-mail and upload from anyone, so
a reader must fail with one line, never a traceback and never by filling the
memory: a ZIP container is opened only after its table of contents shows
that it unpacks to a sane size (a "zip bomb" of a few kilobytes can claim
gigabytes), and an encrypted Office file is named as such instead of being
reported as a broken ZIP.

:func:`sniff` tells the format from the first bytes, so a ``.docx`` that is
really an OpenDocument file, or a PDF saved without a suffix, still finds
its reader.
"""

from __future__ import annotations

import importlib
import io
import zipfile
from pathlib import Path
from types import ModuleType

from ..errors import ReadError
from . import source

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "ODT_MIMETYPE",
    "check_not_ole",
    "error_reason",
    "library",
    "open_zip",
    "read_bytes",
    "sniff",
]

#: Largest release file read at all (a PDF with press photos is large, but not this large).
MAX_FILE_BYTES = 100 * 1024 * 1024
#: Largest total a ZIP container (.docx, .odt) may unpack to.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
#: More members than this is no office document.
MAX_MEMBERS = 5000

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_DOCX_MAIN = b"wordprocessingml.document.main"
_ZIP = b"PK\x03\x04"
_PDF = b"%PDF-"
#: Compound File Binary: old .doc files, and every password-protected .docx/.xlsx (an "EncryptedPackage" inside).
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MB = 1024 * 1024


def error_reason(error: BaseException) -> str:
    """A library's error as a short clause for a one-line message (its first line, at most 120 characters)."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text if len(text) <= 120 else text[:119] + "…"


def library(module: str, package: str, path: str | Path, what: str) -> ModuleType:
    """Import a format's library when a file of that format is read, or say in one line which package is missing.

    Imported on use, so that reading text and Markdown never loads them.
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        if (error.name or module).split(".")[0] == module.split(".")[0]:
            raise ReadError(path, f"reading {what} needs the Python package {package}, which is not installed "
                                  f"(pip install {package})") from None
        # The package is there but one of its own imports fails (trafilatura without lxml_html_clean).
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ReadError(path, f"reading {what} needs {package}, which cannot be imported: {first_line}") from None


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable, special, empty or oversized file is a :class:`ReadError`."""
    data = source.read_bytes(path, limit=MAX_FILE_BYTES, what="a release document")
    if not data.strip():
        raise ReadError(path, "file is empty")
    return data


def open_zip(data: bytes, path: str | Path, what: str) -> zipfile.ZipFile:
    """``data`` as a ZIP whose declared sizes were checked; ``what`` names the format in messages ("Word document").

    The declared sizes bind: :mod:`zipfile` stops reading a member at its
    declared size (and fails the CRC check), so a member cannot unpack to more
    than the table of contents claims.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ReadError(path, f"is not a readable {what}: the ZIP container is damaged ({error})") from None
    if len(members) > MAX_MEMBERS:
        raise ReadError(path, f"is not a readable {what}: its ZIP container holds {len(members)} files")
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(
            path,
            f"would unpack to {unpacked // _MB} MB, more than the {MAX_UNPACKED_BYTES // _MB} MB a release may hold "
            "(a zip bomb?); not read",
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise ReadError(path, f"is an encrypted ZIP file, not a readable {what}")
    return archive


def check_not_ole(data: bytes, path: str | Path, what: str) -> None:
    """Name the two kinds of Compound File that pose as an Office document: encrypted OOXML and the old binary format."""
    if not data.startswith(_OLE):
        return
    # Word stores a password-protected .docx as a Compound File with these two streams (MS-OFFCRYPTO).
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise ReadError(path, f"is a password-protected {what}; save it without a password (File › Info › Protect) and try again")
    raise ReadError(path, f"is an old binary Office file (.doc), not a {what}; save it as .docx or .odt and try again")


def sniff(data: bytes) -> str | None:
    """The suffix of the reader for ``data`` by its content (".docx", ".odt", ".pdf"), or None.

    >>> sniff(b"%PDF-1.7 ..."), sniff(b"plain text")
    ('.pdf', None)
    """
    if data.startswith(_PDF):
        return ".pdf"
    if data.startswith(_OLE):
        return ".docx"  # the Word reader says whether it is encrypted or an old .doc
    if not data.startswith(_ZIP):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        # The two small entries that name the format; reading them cannot blow up (checked sizes first).
        if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
            if archive.read("mimetype").decode("ascii", "replace").strip() == ODT_MIMETYPE:
                return ".odt"
        types = "[Content_Types].xml"
        if types in names and archive.getinfo(types).file_size < 100_000 and _DOCX_MAIN in archive.read(types):
            return ".docx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        return None  # a damaged ZIP: the reader its suffix names reports it
    return None
