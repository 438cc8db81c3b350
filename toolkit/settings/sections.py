"""The orchestration layer's own sections: ``[build]``, ``[output]``, ``[service]``, ``[cluster]``.

They are here rather than next to their owners because those owners (batch, the HTTP service, the Dask cluster,
the CLI) sit at the top and import heavy things; :mod:`toolkit.config` and the stages' options modules must be able
to name these types without loading any of that.
"""

from __future__ import annotations

import os
import re
import string
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool

from ..errors import PressToolkitError
from ..formats import DEFAULT_FORMATS, FORMATS
from ..paths import data_dir
from ..timezones import check_time_zone, machine_time_zone
from .base import Languages, Line, Number, OptionalPath, Section, Strings, Whole, checked, resolved_path

__all__ = ["CATALOG_LANGUAGES", "FOLDER_FIELDS", "MIN_API_KEY_LENGTH", "BuildSettings", "ClusterSettings", "OutputSettings",
           "ServiceSettings", "check_cluster_address", "check_folder_pattern"]

#: Languages with a label catalog in ``locales/``: what the service offers by default.
CATALOG_LANGUAGES = ("de", "en", "fr", "es", "it", "nl", "pl", "ar")
#: The fields a release folder's pattern may use (:func:`toolkit.write.release_folder`).
FOLDER_FIELDS = ("slug", "date", "year", "month", "number")
#: A shorter API key can be guessed.
MIN_API_KEY_LENGTH = 16

_CLUSTER_ADDRESS = re.compile(r"local(?::[1-9]\d{0,2})?|(?:(?:tcp|tls|ws|wss|ucx)://)?[A-Za-z0-9_.\-\[\]:]+:\d{1,5}")
_URL_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


def check_folder_pattern(pattern: str) -> str:
    """``pattern`` if it only uses :data:`FOLDER_FIELDS` and stays below the output folder.

    >>> check_folder_pattern("{year}/{slug}")
    '{year}/{slug}'
    >>> check_folder_pattern("{title}")
    Traceback (most recent call last):
    ...
    ValueError: unknown field {title}; use {slug}, {date}, {year}, {month}, {number}
    """
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:  # an unmatched brace
        raise ValueError(f"not a folder pattern ({error})") from None
    for name in fields:
        if name not in FOLDER_FIELDS:
            raise ValueError(f"unknown field {{{name}}}; use {', '.join('{' + f + '}' for f in FOLDER_FIELDS)}")
    if "slug" not in fields:
        raise ValueError("the pattern must contain {slug}, so that every release gets a folder of its own")
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise ValueError("the pattern must stay inside the output folder (no leading / and no ..)")
    return pattern


def check_cluster_address(value: str) -> str:
    """``value`` if it names a Dask scheduler (``tcp://host:8786``, ``host:8786``) or ``local`` / ``local:N``.

    >>> check_cluster_address("tcp://10.0.0.5:8786"), check_cluster_address("local:4")
    ('tcp://10.0.0.5:8786', 'local:4')
    """
    value = value.strip()
    if not _CLUSTER_ADDRESS.fullmatch(value):
        raise PressToolkitError(f"{value!r} is not a Dask scheduler address such as tcp://scheduler:8786, nor local or local:N")
    return value


def _formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def _api_keys(keys: tuple[str, ...]) -> tuple[str, ...]:
    if any(len(key) < MIN_API_KEY_LENGTH for key in keys):
        raise ValueError(f"an API key needs at least {MIN_API_KEY_LENGTH} characters")
    return keys


def _url_prefix(value: str) -> str:
    """A URL path prefix, normalized: "" or "/a/b" (no trailing slash, no "." or ".." segments)."""
    parts = [part for part in value.strip().split("/") if part]
    if any(part in (".", "..") or not _URL_SEGMENT.fullmatch(part) for part in parts):
        raise ValueError(f"{value!r} is not a URL path such as \"/libretranslate\"")
    return "".join(f"/{part}" for part in parts)


class BuildSettings(Section):
    """``[build]``: what ``build``, ``batch`` and ``watch`` make by default."""

    languages: Languages = ("de",)
    formats: Annotated[Strings, AfterValidator(_formats)] = DEFAULT_FORMATS
    #: Render processes of a batch; 0: one per CPU core.
    jobs: Annotated[Whole, Field(ge=0, le=256)] = 0

    def display(self, name: str) -> str | None:
        if name == "jobs" and self.jobs == 0:
            return f"0 (one per CPU core: {os.cpu_count() or 1})"
        return None


class OutputSettings(Section):
    """``[output]``: where the sheets are written."""

    directory: Annotated[Path, resolved_path] = Path("output")
    #: The folder of one release under ``directory``; see :data:`FOLDER_FIELDS`.
    folder: Annotated[Line, AfterValidator(check_folder_pattern)] = "{slug}"
    #: Print "Version 2, corrected on …" on the sheets of a corrected release.
    show_version: StrictBool = False


class ServiceSettings(Section):
    """``[service]``: ``presskit serve``."""

    #: Keys a client must send (``X-API-Key``); empty: the service refuses to start on a non-loopback host.
    api_keys: Annotated[Strings, AfterValidator(_api_keys)] = ()
    languages: Languages = CATALOG_LANGUAGES
    max_request_mb: Annotated[Number, Field(ge=0.001, le=1024)] = 10.0
    workers: Annotated[Whole, Field(ge=1, le=64)] = 1
    #: None: ``<data folder>/service``.
    jobs_dir: OptionalPath = None
    cors_origins: Strings = ()
    #: Where the LibreTranslate-compatible endpoints are mounted: "" (the root) or a path such as "/libretranslate".
    libretranslate_prefix: Annotated[str, AfterValidator(_url_prefix)] = ""
    #: Seconds a job may run; a longer one fails and its worker process is replaced.
    job_timeout: Annotated[Number, Field(ge=1, le=7 * 24 * 3600)] = 300.0
    #: Seconds a client has to send a request's headers; then its connection is closed (slowloris).
    header_timeout: Annotated[Number, Field(ge=0.1, le=3600)] = 10.0
    #: The office's IANA time zone (``Europe/Berlin``): the web page shows job times in it (they are stored in UTC).
    time_zone: Annotated[Line, checked(check_time_zone)] = Field(default_factory=machine_time_zone)

    @property
    def max_request_bytes(self) -> int:
        return int(self.max_request_mb * 1024 * 1024)

    @property
    def jobs_path(self) -> Path:
        return self.jobs_dir or data_dir() / "service"

    def display(self, name: str) -> str | None:
        if name == "api_keys":  # never the keys themselves
            return f"{len(self.api_keys)} key(s)" if self.api_keys else "(none)"
        if name == "jobs_dir" and self.jobs_dir is None:
            return str(self.jobs_path)
        return None


class ClusterSettings(Section):
    """``[cluster]``: ``presskit batch`` on a Dask cluster (the "cluster" extra)."""

    #: The Dask scheduler (``tcp://scheduler:8786``; ``local`` / ``local:N``: a cluster of N worker processes on this
    #: machine); None: the batch runs here. See :mod:`toolkit.cluster`.
    address: Annotated[Line, checked(check_cluster_address)] | None = None
