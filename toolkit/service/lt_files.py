"""Uploaded and translated files of ``/translate_file``, kept in the service's data folder.

Each upload gets a folder named by a random token (128 bits) under
``<jobs folder>/libretranslate/``: ``in/source<suffix>`` is the upload (the
suffix picks the reader), ``out/<name>`` the translation. The client's file
name is used only after :func:`safe_name` has reduced it to letters, digits,
``.``, ``_`` and ``-``; a download must name a token and that file, and the
resolved path must lie in the token's ``out`` folder. As in LibreTranslate,
the download URL is the capability (the token cannot be guessed), and files
are removed after :data:`KEEP_SECONDS`.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

__all__ = ["KEEP_SECONDS", "TEXT_SUFFIXES", "FileStore", "StoredFile", "release_suffixes", "safe_name", "suffix_of",
           "supported_suffixes"]

#: Translated files are kept this long (LibreTranslate: 30 minutes).
KEEP_SECONDS = 30 * 60
#: Read as plain text and translated line by line, as LibreTranslate does with a .txt file.
TEXT_SUFFIXES = ("", ".txt", ".text")
_TOKEN = re.compile(r"[0-9a-f]{32}")
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")
_CHUNK = 1 << 20


def release_suffixes() -> tuple[str, ...]:
    """What else :func:`toolkit.read.read_release` reads (Markdown, release JSON, Word …): a release, answered as release JSON."""
    from ..read import READERS

    return tuple(sorted(suffix for suffix in READERS if suffix not in TEXT_SUFFIXES))


def supported_suffixes() -> tuple[str, ...]:
    return (*TEXT_SUFFIXES, *release_suffixes())


def safe_name(filename: str) -> str:
    """The last part of ``filename`` in letters, digits, ``.``, ``_``, ``-``; ``file`` when nothing is left.

    >>> safe_name("../../etc/passwd"), safe_name("C:\\\\Users\\\\Grüße an alle.txt"), safe_name(".htaccess"), safe_name("..")
    ('passwd', 'Grusse_an_alle.txt', 'htaccess', 'file')
    """
    last = re.split(r"[/\\]", filename)[-1]
    ascii_name = unicodedata.normalize("NFKD", last.replace("ß", "ss")).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).lstrip("._-")
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and len(cleaned) > 120:
        cleaned = f"{stem[: 119 - len(suffix)]}.{suffix}"[:120]
    cleaned = cleaned[:120]
    return cleaned if _SAFE.fullmatch(cleaned) else "file"


def suffix_of(filename: str) -> str:
    """The lower-case suffix of the client's name (``""`` for none)."""
    return Path(safe_name(filename)).suffix.lower()


@dataclass(frozen=True)
class StoredFile:
    token: str
    kind: Literal["text", "release"]
    source_path: Path
    output_path: Path

    @property
    def download_name(self) -> str:
        return self.output_path.name

    @property
    def url_name(self) -> str:
        """``<token>.<name>``, the path segment of the download URL (as LibreTranslate forms it)."""
        return f"{self.token}.{self.download_name}"


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, upload: BinaryIO, filename: str) -> StoredFile:
        """Store an upload whose suffix is one of :func:`supported_suffixes`."""
        name = safe_name(filename)
        suffix = Path(name).suffix.lower()
        kind: Literal["text", "release"] = "text" if suffix in TEXT_SUFFIXES else "release"
        # A release is answered as release JSON, so its download is named …json.
        output_name = name if kind == "text" or suffix == ".json" else f"{Path(name).stem or 'release'}.json"
        token = secrets.token_hex(16)
        folder = self.root / token
        (folder / "in").mkdir(parents=True)
        (folder / "out").mkdir()
        source = folder / "in" / f"source{suffix}"
        with source.open("wb") as stream:
            shutil.copyfileobj(upload, stream, _CHUNK)
        return StoredFile(token=token, kind=kind, source_path=source, output_path=folder / "out" / output_name)

    def download(self, url_name: str) -> Path | None:
        """The translated file ``<token>.<name>`` names, or None; nothing outside its ``out`` folder is ever returned."""
        token, _, name = url_name.partition(".")
        if not _TOKEN.fullmatch(token) or not _SAFE.fullmatch(name):
            return None
        folder = (self.root / token / "out").resolve()
        path = (folder / name).resolve()
        if path.parent != folder or not path.is_file():
            return None
        return path

    def prune(self, *, now: float | None = None) -> int:
        """Remove the folders older than :data:`KEEP_SECONDS`; how many were removed."""
        limit = (now if now is not None else time.time()) - KEEP_SECONDS
        removed = 0
        if not self.root.is_dir():
            return 0
        for folder in self.root.iterdir():
            try:
                if _TOKEN.fullmatch(folder.name) and folder.is_dir() and folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
            except OSError:
                continue  # removed meanwhile by another request
        return removed
