"""``presskit config show``: every effective setting, as text, with where it came from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import Section

__all__ = ["Setting", "setting_rows", "shown"]


@dataclass(frozen=True)
class Setting:
    """One effective value as ``presskit config show`` prints it."""

    key: str
    value: str
    origin: str


def shown(value: Any) -> str:
    """A value as the table prints it: lists comma-separated, None as ``(none)``, TOML's ``true``/``false``.

    >>> shown(("de", "en")), shown(None), shown(True), shown(10.0)
    ('de, en', '(none)', 'true', '10')
    """
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value) or "(none)"
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def setting_rows(source: Path | None, sections: Mapping[str, Section], origin: Callable[[str], str]) -> list[Setting]:
    """The rows of ``presskit config show``: the file read, then each key of each section (by its name in the file)."""
    rows = [Setting("config file", str(source) if source else "(none)", "lookup")]
    for name, section in sections.items():
        for key, field in type(section).file_keys().items():
            text = section.display(field)
            dotted = f"{name}.{key}"
            rows.append(Setting(dotted, shown(getattr(section, field)) if text is None else text, origin(dotted)))
    return rows
