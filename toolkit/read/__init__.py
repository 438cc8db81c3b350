"""Readers: turn a source file into a :class:`~toolkit.model.Release`.

``read_release`` picks the reader by file suffix; each reader raises
:class:`~toolkit.errors.ReadError` naming the file and the problem.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import ReadError
from ..model import Release
from ..release_json import loads
from .markdown import read_markdown
from .plaintext import read_plain_text
from .source import read_source

__all__ = ["READERS", "read_release"]


def _read_json(path: str | Path) -> Release:
    source = read_source(path)
    return loads(source.text, path=source.path)


#: Reader per file suffix; a file without a suffix is read as plain text.
READERS: dict[str, Callable[[str | Path], Release]] = {
    "": read_plain_text,
    ".txt": read_plain_text,
    ".text": read_plain_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".json": _read_json,
}


def read_release(path: str | Path) -> Release:
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(s for s in READERS if s))
        raise ReadError(path, f"unsupported file type {path.suffix!r} (press-toolkit reads {known} and files without a suffix as plain text)")
    return reader(path)
