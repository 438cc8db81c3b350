"""Finding the releases below a folder: every format the readers read, photos and exchange files left beside them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import PressToolkitError
from ..read import READERS

__all__ = ["COMPANION_SUFFIXES", "RELEASE_SUFFIXES", "FolderScan", "find_releases", "scan_folder"]


#: Files a batch picks up: every format the readers read (release JSON is the toolkit's own output, so it is left
#: out of folders; build it by name).
RELEASE_SUFFIXES = tuple(suffix for suffix in READERS if suffix not in ("", ".json"))


#: Files that stand beside releases and are not releases: their photos (a Word file's photo is saved beside it).
COMPANION_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".tif", ".tiff", ".xlf", ".xliff", ".tmx")


@dataclass(frozen=True)
class FolderScan:
    """The releases below a folder, and the files left out with the reason."""

    releases: list[Path]
    skipped: list[tuple[Path, str]]


def scan_folder(folder: str | Path, *, exclude: Iterable[Path] = ()) -> FolderScan:
    """Releases below ``folder`` (every format the readers read), sorted; hidden files and folders and ``exclude``
    are left out, photos beside releases too; any other file is listed as skipped, with the reason.

    A missing folder, or one without releases, is an error naming it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise PressToolkitError(f"{folder}: no such folder")
    excluded = [path.resolve() for path in exclude]
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(other) for other in excluded):
            continue
        suffix = path.suffix.lower()
        if suffix in RELEASE_SUFFIXES:
            found.append(path)
        elif suffix not in COMPANION_SUFFIXES:
            skipped.append((path, f"unsupported file type {path.suffix or '(none)'!r}; releases are {', '.join(RELEASE_SUFFIXES)}"))
    if not found:
        raise PressToolkitError(f"{folder}: no releases ({', '.join(RELEASE_SUFFIXES)}) found")
    return FolderScan(found, skipped)


def find_releases(folder: str | Path, *, exclude: Iterable[Path] = ()) -> list[Path]:
    """The releases of :func:`scan_folder`."""
    return scan_folder(folder, exclude=exclude).releases
