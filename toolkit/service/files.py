"""A finished job's files: which names may be asked for, where they are, the ZIP of all.

A download name comes from a fixed set, ``<lang>.<pdf|html|json>`` for the
languages of the job, and must be a file the job's build recorded; only then
is a path made, from the job's folder (a checked id), its output folder (the
slug the build chose) and that name. No part of a request reaches the file
system unchecked.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from .store import FileRecord, JobRecord, JobStore

__all__ = ["DOWNLOAD_FORMATS", "MEDIA_TYPES", "archive_bytes", "download", "output_folder", "preview_cache", "qa_report"]

DOWNLOAD_FORMATS = ("pdf", "html", "json")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8", "json": "application/json", "qa": "application/json"}
# What build() names a folder and a file; anything else in the database is refused, not served.
_OUTPUT_FOLDER = re.compile(r"[a-z0-9][a-z0-9-]{0,200}")
_FILE_NAME = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*\.(?:pdf|html|json|qa\.json)")


def output_folder(store: JobStore, job: JobRecord) -> Path | None:
    """The folder the job's build wrote, or None before it is done."""
    if job.state != "done" or job.output is None or not _OUTPUT_FOLDER.fullmatch(job.output):
        return None
    return store.folder(job.id) / job.output


def download(store: JobStore, job: JobRecord, name: str) -> tuple[FileRecord, Path] | None:
    """The file ``name`` of a done job, if it is one of ``<lang>.<pdf|html|json>`` the build wrote."""
    allowed = {f"{language}.{file_format}" for language in job.language_codes for file_format in DOWNLOAD_FORMATS}
    folder = output_folder(store, job)
    if folder is None or name not in allowed:
        return None
    record = next((file for file in job.files if file.name == name), None)
    if record is None or not _FILE_NAME.fullmatch(record.name):
        return None
    path = folder / record.name
    return (record, path) if path.is_file() else None


def archive_bytes(store: JobStore, job: JobRecord) -> bytes | None:
    """A ZIP of every file the build wrote (and its manifest), in a folder named like the release; None before done."""
    folder = output_folder(store, job)
    if folder is None:
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in job.files:
            if _FILE_NAME.fullmatch(record.name) and (folder / record.name).is_file():
                archive.write(folder / record.name, f"{folder.name}/{record.name}")
        manifest = folder / "manifest.json"
        if manifest.is_file():
            archive.write(manifest, f"{folder.name}/manifest.json")
    return buffer.getvalue()


def qa_report(store: JobStore, job: JobRecord, language: str) -> dict[str, object] | None:
    """The QA report the build wrote for a translation (``<lang>.qa.json``), or None."""
    folder = output_folder(store, job)
    record = next((file for file in job.files if file.language == language and file.format == "qa"), None)
    if folder is None or record is None or not _FILE_NAME.fullmatch(record.name):
        return None
    try:
        report = json.loads((folder / record.name).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def preview_cache(store: JobStore, job: JobRecord, language: str) -> tuple[Path, Path] | None:
    """(the language's PDF, where its preview PNG is kept) for a done job, or None."""
    found = download(store, job, f"{language}.pdf")
    if found is None:
        return None
    return found[1], store.folder(job.id) / "previews" / f"{found[0].language}.png"
