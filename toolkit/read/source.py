"""Turn a source file's bytes into text, or fail with one clear line.

Press offices send UTF-8 from their CMS, but Windows-1252 from older mail
clients and Word's "plain text" export is common; a reader must not turn
"Grüße" into "GrÃ¼ÃŸe" or fail on it.
"""

from __future__ import annotations

import codecs
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import ReadError, ReaderWarning

__all__ = ["MAX_TEXT_BYTES", "SourceText", "read_bytes", "read_source"]

#: The largest text release read: a release is a few kilobytes; 1 MB is a transcript of 300 pages. Above it, one error
#: line, so that no input can make the reader run for minutes.
MAX_TEXT_BYTES = 1024 * 1024

#: Signatures of binary formats a user may hand us by mistake, with a hint.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP container (a Word .docx or OpenDocument file?)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document (.doc)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, kw_only=True)
class SourceText:
    path: Path
    text: str
    #: The codec used, as Python names it ("utf-8", "cp1252", ...).
    encoding: str


def read_source(path: str | Path) -> SourceText:
    """Read ``path`` as text; warn (:class:`ReaderWarning`) when it is not UTF-8.

    Raises :class:`ReadError` for a missing, unreadable, empty or binary file.
    """
    path = Path(path)
    data = read_bytes(path, limit=MAX_TEXT_BYTES, what="a text release")
    text, encoding = _decode(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError(path, "file is empty")
    return SourceText(path=path, text=text, encoding=encoding)


def read_bytes(path: Path, *, limit: int, what: str = "a release") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or :class:`ReadError` in one line.

    A FIFO, a device such as ``/dev/zero`` or a socket is refused before it is
    opened (reading it could block forever or never end); a file that grows
    while it is read is cut off at ``limit`` + 1 bytes and refused.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        raise ReadError(path, "file not found") from None
    except OSError as error:
        raise ReadError(path, f"cannot read file ({error.strerror or error})") from None
    if stat.S_ISDIR(status.st_mode):
        raise ReadError(path, "is a directory, not a release file")
    if not stat.S_ISREG(status.st_mode):
        raise ReadError(path, "is not a regular file (a pipe, device or socket); save the release to a file first")
    if status.st_size > limit:
        raise ReadError(path, f"is {_megabytes(status.st_size)}; {what} is read up to {_megabytes(limit)}")
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        raise ReadError(path, f"cannot read file ({error.strerror or error})") from None
    if len(data) > limit:
        raise ReadError(path, f"is larger than {_megabytes(limit)}; {what} is read up to {_megabytes(limit)}")
    return data


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise ReadError(path, f"starts with a {codec} byte-order mark but is not valid {codec}") from None
    for signature, what in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise ReadError(path, f"is {what}, not a text release")
    if b"\x00" in data:
        raise ReadError(path, "is a binary file, not a text release")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8. Windows-1252 is by far the likeliest in a German office and
    # a superset of Latin-1 for printable text; statistical detection tends
    # to call it cp1250, which would mislabel (and for some bytes misread) it.
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None or best.encoding is None:
            raise ReadError(path, "is a binary file or in an unknown encoding, not a text release") from None
        text, encoding = str(best), best.encoding
    if _looks_binary(text):
        raise ReadError(path, "is a binary file, not a text release")
    warnings.warn(
        ReaderWarning(f"{path}: not UTF-8; read as {_encoding_name(encoding)}"),
        stacklevel=3,
    )
    return text, encoding


def _looks_binary(text: str) -> bool:
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    return controls > max(2, len(text) // 100)


def _encoding_name(encoding: str) -> str:
    names = {"cp1252": "Windows-1252 (Latin-1)", "latin_1": "Latin-1 (ISO-8859-1)", "iso8859_15": "ISO-8859-15"}
    return names.get(encoding, encoding)
