"""Write a release's outputs: stable folder names, a manifest, earlier versions kept.

Every file is written with :func:`toolkit.files.atomic_write`, so a reader
(or a crash) never sees half a PDF; the manifest is written last and lists
each file with its SHA-256.

>>> import datetime as dt
>>> from toolkit.model import Paragraph, Release, Text
>>> release = Release(language="de", date=dt.date(2024, 4, 19),
...     headline=Text.plain("Ministerin Müller eröffnet Wasserstoff-Forschungszentrum „H2 Süd“ in Großenbrück"),
...     body=(Paragraph(text=Text.plain("…")),))
>>> slug_for(release)
'2024-04-19-ministerin-mueller-eroeffnet-wasserstoff-forschungszentrum'
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slugify import slugify

from .version import __version__
from .errors import WriteError
from .files import atomic_write, sha256_file
from .formats import FORMATS
from .model import Release

__all__ = [
    "FORMATS",
    "MANIFEST_NAME",
    "OutputFile",
    "RecordedVersion",
    "folder_for",
    "inside",
    "keep_previous_version",
    "read_manifest",
    "recorded_version",
    "slug_for",
    "write_manifest",
]

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = "press-toolkit/manifest"
_SLUG_WORDS_LENGTH = 60
_GERMAN_TRANSLITERATION = [["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ß", "ss"]]


@dataclass(frozen=True, kw_only=True)
class OutputFile:
    """One written file, relative to the release's output folder.

    ``key`` fingerprints everything the file was made from (see
    :mod:`toolkit.batch`); a later run skips the file while the key and the
    file's SHA-256 still match.
    """

    name: str
    language: str
    format: str
    sha256: str
    size: int
    key: str = ""


def slug_for(release: Release) -> str:
    """``<date>-<headline words>``: stable for the same date and headline."""
    words = slugify(release.headline.text, replacements=_GERMAN_TRANSLITERATION)
    if len(words) > _SLUG_WORDS_LENGTH:
        # Cut at a word boundary; python-slugify's own word_boundary mode skips
        # a long word and goes on with later short ones, which reads oddly.
        words = words[: _SLUG_WORDS_LENGTH + 1].rsplit("-", 1)[0]
    if release.date is None:
        return words or "undated"
    return f"{release.date.isoformat()}-{words or 'release'}"


def folder_for(release: Release, pattern: str = "{slug}") -> str:
    """The release's folder below the output folder, from a pattern (see :data:`toolkit.config.FOLDER_FIELDS`).

    >>> import datetime as dt
    >>> from toolkit.model import Paragraph, Release, Text
    >>> release = Release(language="de", date=dt.date(2024, 4, 19), number="123/2024",
    ...     headline=Text.plain("Neue Brücke"), body=(Paragraph(text=Text.plain("…")),))
    >>> folder_for(release, "{year}/{month}/{slug}")
    '2024/04/2024-04-19-neue-bruecke'
    >>> folder_for(release, "{number}-{slug}")
    '123-2024-2024-04-19-neue-bruecke'
    """
    number = slugify(release.number or "", replacements=_GERMAN_TRANSLITERATION) or "ohne-nummer"
    date = release.date
    if date is None:
        return pattern.format(slug=slug_for(release), date="undated", year="undated", month="undated", number=number)
    return pattern.format(slug=slug_for(release), date=date.isoformat(), year=f"{date.year:04d}", month=f"{date.month:02d}", number=number)


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refused unless it stays inside ``folder`` (a name from a release is data, never a path).

    >>> inside(Path("out"), "de.pdf")
    PosixPath('out/de.pdf')
    >>> inside(Path("out"), "../x.pdf")
    Traceback (most recent call last):
    ...
    toolkit.errors.WriteError: out: refusing to write '../x.pdf' outside the folder
    """
    target = folder / name
    if "/" in name or "\\" in name or name in ("", ".", "..") or not target.resolve().is_relative_to(folder.resolve()):
        raise WriteError(f"{folder}: refusing to write {name!r} outside the folder")
    return target


def write_manifest(directory: Path, *, slug: str, source: Path, source_sha256: str, files: list[OutputFile],
                   version: int = 1, corrected: dt.date | None = None) -> Path:
    """Write ``manifest.json``, keeping entries of earlier runs whose files are still intact."""
    entries = {(f.language, f.format): _entry(f) for f in _intact_earlier_files(directory)}
    entries.update({(f.language, f.format): _entry(f) for f in files})
    manifest: dict[str, Any] = {
        "schema": MANIFEST_SCHEMA,
        "version": 1,
        "slug": slug,
        "source": {"name": source.name, "sha256": source_sha256},
        "release_version": version,
        "release_corrected": corrected.isoformat() if corrected else None,
        "toolkit": __version__,
        "files": [entries[key] for key in sorted(entries)],
    }
    path = directory / MANIFEST_NAME
    atomic_write(path, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path


def _entry(file: OutputFile) -> dict[str, Any]:
    return {"name": file.name, "language": file.language, "format": file.format, "sha256": file.sha256, "size": file.size, "key": file.key}


@dataclass(frozen=True)
class RecordedVersion:
    """What an earlier run's manifest says of the release: its source's SHA-256, its version and correction date."""

    source_sha256: str | None = None
    version: int = 1
    corrected: dt.date | None = None


def recorded_version(directory: Path) -> RecordedVersion:
    """The release version the folder holds; after a run killed between keeping a version and writing the next
    manifest, the highest kept version counts."""
    try:
        earlier = json.loads((directory / MANIFEST_NAME).read_text("utf-8"))
        corrected = earlier.get("release_corrected")
        return RecordedVersion(str(earlier["source"]["sha256"]), int(earlier.get("release_version", 1)),
                               dt.date.fromisoformat(corrected) if corrected else None)
    except (OSError, ValueError, KeyError, TypeError):
        kept = [int(path.name[1:]) for path in (directory / "previous").glob("v*") if path.name[1:].isdigit()]
        return RecordedVersion(None, max(kept) + 1 if kept else 1)


def keep_previous_version(directory: Path, version: int) -> Path | None:
    """Move the files of ``version`` (as its manifest lists them) into ``previous/v<version>/``; return that folder."""
    files = read_manifest(directory)
    if not files:
        return None
    target = directory / "previous" / f"v{version}"
    try:
        target.mkdir(parents=True, exist_ok=True)
        for file in [*files, OutputFile(name=MANIFEST_NAME, language="", format="manifest", sha256="", size=0)]:
            if (directory / file.name).is_file():
                os.replace(directory / file.name, inside(target, file.name))
    except OSError as error:
        raise WriteError.from_os_error(target, error) from None
    return target


def read_manifest(directory: Path) -> list[OutputFile]:
    """The files an earlier run's manifest lists (empty when there is none or it is unreadable)."""
    try:
        earlier = json.loads((directory / MANIFEST_NAME).read_text("utf-8"))
        return [OutputFile(**entry) for entry in earlier["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _intact_earlier_files(directory: Path) -> list[OutputFile]:
    intact = []
    for file in read_manifest(directory):
        path = directory / file.name
        if path.parent == directory and path.is_file() and sha256_file(path) == file.sha256:
            intact.append(file)
    return intact
