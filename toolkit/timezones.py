"""The office's time zone: the machine's by default, checked against the IANA database (``zoneinfo``).

The service stores times in UTC; a press officer reads them in the office's
zone (``service.time_zone``), summer time included.
"""

from __future__ import annotations

import os
import zoneinfo
from pathlib import Path

from .errors import PressToolkitError

__all__ = ["DEFAULT_TIME_ZONE", "check_time_zone", "machine_time_zone"]

#: When the machine names no zone (a container without ``/etc/localtime``).
DEFAULT_TIME_ZONE = "UTC"
_LOCALTIME = Path("/etc/localtime")
_TIMEZONE_FILE = Path("/etc/timezone")


def check_time_zone(name: str) -> str:
    """``name`` if the IANA database knows it (``Europe/Berlin``), else a :class:`PressToolkitError` saying so.

    >>> check_time_zone("Europe/Berlin")
    'Europe/Berlin'
    >>> check_time_zone("Europe/Bonn")
    Traceback (most recent call last):
    toolkit.errors.PressToolkitError: unknown time zone 'Europe/Bonn'; use an IANA name such as "Europe/Berlin" or "UTC"
    """
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # ValueError: a path or other form no zone name has
        raise PressToolkitError(f'unknown time zone {name[:60]!r}; use an IANA name such as "Europe/Berlin" or "UTC"') from None
    return name


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return check_time_zone(name)
    except PressToolkitError:
        return None


def machine_time_zone() -> str:
    """The machine's zone by name: ``$TZ``, else where ``/etc/localtime`` points, else ``/etc/timezone``, else UTC."""
    found = _known(os.environ.get("TZ", "").removeprefix(":"))
    if found:
        return found
    try:
        target = str(_LOCALTIME.resolve(strict=True))
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        found = _known(target.split("zoneinfo/", 1)[1])
        if found:
            return found
    try:
        found = _known(_TIMEZONE_FILE.read_text(encoding="utf-8").strip())
    except OSError:
        found = None
    return found or DEFAULT_TIME_ZONE
