"""``presskit.toml``: an office's branding, kept out of the templates.

Where the file is looked up (:func:`find_config`), first match wins:

1. an explicit path (the CLI's ``--config``); it must exist;
2. ``presskit.toml`` in the current directory;
3. ``$XDG_CONFIG_HOME/press-toolkit/presskit.toml``
   (``~/.config/press-toolkit/presskit.toml`` when ``XDG_CONFIG_HOME`` is unset);
4. none: built-in defaults (no branding; the output looks as without a config).

The format (every key optional; unknown keys are an error, so typos show)::

    [branding]
    organization = "Land Beispielland"          # the sender: letterhead and footer
    logo = "branding/logo.svg"                  # SVG or PNG, relative to this file's folder
    logo_alt = "Land Beispielland"              # alt text; default: organization
    address = "Horionplatz 1 · 40213 Düsseldorf" # one line, under the letterhead and in the footer

    [branding.colors]
    primary = "#1f3a5f"    # rules, sender name, links, contact labels
    accent = "#c8102e"     # the logo rule, quote bars, contact boxes
    # only "#rgb" or "#rrggbb": a colour never carries anything else into CSS

    [branding.boilerplate]  # used when a release has no boilerplate of its own
    title = "Über Beispielland"
    text = \"\"\"First paragraph.

    Second paragraph (paragraphs are separated by a blank line).\"\"\"

    [[branding.contacts]]   # used when a release has no contacts of its own; repeatable
    label = "Pressestelle"
    organization = "Staatskanzlei Beispielland"
    person = "Erika Mustermann"
    role = "Pressesprecherin"
    phone = "0211 837-1134"                    # a string or a list of strings
    email = "presse [at] beispielland [dot] de" # de-obfuscated; string or list
    url = "https://www.beispielland.de"         # string or list

Errors are :class:`ConfigError`, naming the file, the key path
(``branding.colors.primary``) and the problem; TOML syntax errors give the
line and column.

The configuration is trusted (it is the office's own file), but release text
still never reaches the logo: the renderer passes the logo's path itself,
and the PDF's URL fetcher allows that one file, not its folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import PressToolkitError
from .model import Boilerplate, Contact, Text
from .read.german import deobfuscate_emails, parse_phone

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_ACCENT",
    "DEFAULT_PRIMARY",
    "MAX_LOGO_BYTES",
    "Branding",
    "Config",
    "ConfigError",
    "find_config",
    "load_config",
    "read_config",
    "user_config_path",
]

CONFIG_NAME = "presskit.toml"
DEFAULT_PRIMARY = "#1f3a5f"
DEFAULT_ACCENT = "#c8102e"
#: A logo is a small file; this keeps the inlined web page and the PDF sane.
MAX_LOGO_BYTES = 1024 * 1024
LOGO_SUFFIXES = {".svg": "image/svg+xml", ".png": "image/png"}

_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class ConfigError(PressToolkitError):
    """``presskit.toml`` could not be used.

    >>> str(ConfigError("presskit.toml", "branding.colors.primary", "expected a string"))
    'presskit.toml: branding.colors.primary: expected a string'
    """

    def __init__(self, path: str | Path | None, key: str | None, problem: str) -> None:
        self.path = str(path) if path is not None else None
        self.key = key
        self.problem = problem
        parts = [part for part in (self.path, key) if part]
        super().__init__(": ".join([*parts, problem]))


def valid_color(value: str) -> str:
    """``value`` lower-cased if it is ``#rgb`` or ``#rrggbb``; else ValueError.

    >>> valid_color("#1F3A5F")
    '#1f3a5f'
    """
    if not isinstance(value, str) or not _HEX_COLOR.fullmatch(value):
        raise ValueError(f"expected a colour as #rgb or #rrggbb, not {value!r}")
    return value.lower()


@dataclass(frozen=True, kw_only=True)
class Branding:
    """The sender's look and standing texts; see the module docstring."""

    organization: str | None = None
    #: An existing SVG or PNG file (absolute once loaded from a file).
    logo: Path | None = None
    logo_alt: str | None = None
    primary_color: str = DEFAULT_PRIMARY
    accent_color: str = DEFAULT_ACCENT
    address: str | None = None
    boilerplate: Boilerplate | None = None
    contacts: tuple[Contact, ...] = ()

    def __post_init__(self) -> None:
        # Also when built in code: only validated colours ever reach CSS.
        object.__setattr__(self, "primary_color", valid_color(self.primary_color))
        object.__setattr__(self, "accent_color", valid_color(self.accent_color))
        if self.logo is not None:
            suffix = self.logo.suffix.lower()
            if suffix not in LOGO_SUFFIXES:
                raise ValueError(
                    f"the logo must be an SVG or PNG file, not {self.logo.name!r}"
                )
            if not self.logo.is_file():
                raise ValueError(f"the logo file {str(self.logo)!r} does not exist")
            if self.logo.stat().st_size > MAX_LOGO_BYTES:
                raise ValueError(
                    f"the logo file {str(self.logo)!r} is larger than {MAX_LOGO_BYTES} bytes"
                )

    @property
    def alt_text(self) -> str:
        """The logo's alt text: ``logo_alt``, else the organization, else empty."""
        return self.logo_alt or self.organization or ""

    @property
    def logo_media_type(self) -> str | None:
        return LOGO_SUFFIXES[self.logo.suffix.lower()] if self.logo else None


@dataclass(frozen=True)
class Config:
    branding: Branding
    #: The file read, or None for the built-in defaults.
    source: Path | None = None


# --- lookup ------------------------------------------------------------------


def user_config_path() -> Path:
    """``$XDG_CONFIG_HOME/press-toolkit/presskit.toml`` (default ``~/.config/…``)."""
    base = os.environ.get("XDG_CONFIG_HOME")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "press-toolkit" / CONFIG_NAME


def find_config(explicit: str | Path | None = None) -> Path | None:
    """The file to read (see the module docstring), or None for the defaults."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(path, None, "no such configuration file")
        return path
    for candidate in (Path.cwd() / CONFIG_NAME, user_config_path()):
        if candidate.is_file():
            return candidate
    return None


def load_config(explicit: str | Path | None = None) -> Config:
    """The configuration found by :func:`find_config`, or the defaults."""
    path = find_config(explicit)
    return (
        Config(branding=Branding(), source=None) if path is None else read_config(path)
    )


# --- reading -------------------------------------------------------------------


def read_config(path: str | Path) -> Config:
    """Read and validate one ``presskit.toml``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(
            path, None, f"cannot read the file: {error.strerror or error}"
        ) from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(
            path, None, f"not UTF-8 text ({error.reason} at byte {error.start})"
        ) from error
    except tomllib.TOMLDecodeError as error:
        # The message already ends with "(at line N, column M)".
        raise ConfigError(path, None, f"invalid TOML: {error}") from error
    reader = _Reader(path)
    reader.keys(data, "", {"branding"})
    branding_table = reader.table(data, "branding")
    return Config(branding=reader.branding(branding_table), source=path.resolve())


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.resolve().parent

    def error(self, key: str | None, problem: str) -> ConfigError:
        return ConfigError(self.path, key or None, problem)

    @staticmethod
    def join(prefix: str, key: str) -> str:
        return f"{prefix}.{key}" if prefix else key

    def keys(self, table: dict[str, Any], prefix: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                where = self.join(prefix, key)
                raise self.error(
                    where, f"unknown key; allowed here: {', '.join(sorted(allowed))}"
                )

    def table(
        self, parent: dict[str, Any], key: str, prefix: str = ""
    ) -> dict[str, Any]:
        value = parent.get(key, {})
        if not isinstance(value, dict):
            raise self.error(
                self.join(prefix, key), f"expected a table, not {_kind(value)}"
            )
        return value

    def string(self, table: dict[str, Any], key: str, prefix: str) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str):
            raise self.error(
                self.join(prefix, key), f"expected a string, not {_kind(value)}"
            )
        value = value.strip()
        return value or None

    def line(self, table: dict[str, Any], key: str, prefix: str) -> str | None:
        value = self.string(table, key, prefix)
        if value is not None and any(
            ord(char) < 0x20 or ord(char) == 0x7F for char in value
        ):
            raise self.error(self.join(prefix, key), "must be a single line of text")
        return value

    def strings(self, table: dict[str, Any], key: str, prefix: str) -> tuple[str, ...]:
        if key not in table:
            return ()
        value = table[key]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(
            isinstance(item, str) for item in items
        ):
            raise self.error(
                self.join(prefix, key),
                f"expected a string or a list of strings, not {_kind(value)}",
            )
        return tuple(item.strip() for item in items if item.strip())

    def color(self, table: dict[str, Any], key: str, prefix: str, default: str) -> str:
        value = table.get(key, default)
        try:
            return valid_color(value)
        except ValueError as error:
            raise self.error(self.join(prefix, key), str(error)) from None

    def branding(self, table: dict[str, Any]) -> Branding:
        prefix = "branding"
        self.keys(
            table,
            prefix,
            {
                "organization",
                "logo",
                "logo_alt",
                "address",
                "colors",
                "boilerplate",
                "contacts",
            },
        )
        colors = self.table(table, "colors", prefix)
        self.keys(colors, "branding.colors", {"primary", "accent"})
        logo = self.logo(table, prefix)
        try:
            return Branding(
                organization=self.line(table, "organization", prefix),
                logo=logo,
                logo_alt=self.line(table, "logo_alt", prefix),
                address=self.line(table, "address", prefix),
                primary_color=self.color(
                    colors, "primary", "branding.colors", DEFAULT_PRIMARY
                ),
                accent_color=self.color(
                    colors, "accent", "branding.colors", DEFAULT_ACCENT
                ),
                boilerplate=self.boilerplate(table, prefix),
                contacts=self.contacts(table, prefix),
            )
        except ValueError as error:  # a check in Branding itself
            raise self.error(prefix, str(error)) from None

    def logo(self, table: dict[str, Any], prefix: str) -> Path | None:
        value = self.string(table, "logo", prefix)
        if value is None:
            return None
        key = self.join(prefix, "logo")
        path = (self.folder / Path(value).expanduser()).resolve()
        if path.suffix.lower() not in LOGO_SUFFIXES:
            raise self.error(key, f"the logo must be an SVG or PNG file, not {value!r}")
        if not path.is_file():
            raise self.error(key, f"the logo file {str(path)!r} does not exist")
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise self.error(
                key, f"the logo file has {size} bytes, more than {MAX_LOGO_BYTES}"
            )
        head = path.read_bytes()[:4096]
        if path.suffix.lower() == ".png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
            raise self.error(key, f"{str(path)!r} is not a PNG file")
        if path.suffix.lower() == ".svg" and b"<svg" not in head:
            raise self.error(key, f"{str(path)!r} is not an SVG file")
        return path

    def boilerplate(self, table: dict[str, Any], prefix: str) -> Boilerplate | None:
        if "boilerplate" not in table:
            return None
        prefix = self.join(prefix, "boilerplate")
        section = self.table(table, "boilerplate", "branding")
        self.keys(section, prefix, {"title", "text"})
        title = self.line(section, "title", prefix)
        text = self.string(section, "text", prefix) or ""
        paragraphs = tuple(
            Text.plain(" ".join(part.split()))
            for part in _PARAGRAPH_BREAK.split(text)
            if part.strip()
        )
        if title is None and not paragraphs:
            return None
        return Boilerplate(
            title=Text.plain(title) if title else None, paragraphs=paragraphs
        )

    def contacts(self, table: dict[str, Any], prefix: str) -> tuple[Contact, ...]:
        if "contacts" not in table:
            return ()
        value = table["contacts"]
        key = self.join(prefix, "contacts")
        if not isinstance(value, list) or not all(
            isinstance(item, dict) for item in value
        ):
            raise self.error(
                key, f"expected [[branding.contacts]] tables, not {_kind(value)}"
            )
        return tuple(
            self.contact(item, f"{key}[{index}]") for index, item in enumerate(value)
        )

    def contact(self, table: dict[str, Any], prefix: str) -> Contact:
        self.keys(
            table,
            prefix,
            {"label", "organization", "person", "role", "phone", "email", "url"},
        )
        label = self.line(table, "label", prefix)
        emails = tuple(
            deobfuscate_emails(email) for email in self.strings(table, "email", prefix)
        )
        return Contact(
            label=Text.plain(label) if label else None,
            organization=self.line(table, "organization", prefix),
            person=self.line(table, "person", prefix),
            role=self.line(table, "role", prefix),
            phones=tuple(
                parse_phone(number) for number in self.strings(table, "phone", prefix)
            ),
            emails=emails,
            urls=self.strings(table, "url", prefix),
        )


def _kind(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)
