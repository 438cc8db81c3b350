"""Finding and reading ``presskit.toml``, the environment's overrides, and a setting changed after reading.

Where the file is looked up (:func:`find_config`), first match wins:

1. an explicit path (the CLI's ``--config``); it must exist;
2. ``presskit.toml`` in the current directory;
3. ``$XDG_CONFIG_HOME/press-toolkit/presskit.toml``
   (``~/.config/press-toolkit/presskit.toml`` when ``XDG_CONFIG_HOME`` is unset);
4. none: built-in defaults (no branding; the output looks as without a config).

Every value notes where it came from (its *origin*): ``default``, the file's path, ``environment PRESSKIT_API_KEYS``
or a command-line option (``--lang``); ``presskit config show`` prints it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .base import ConfigError, Section, config_error, describe
from .sections import MIN_API_KEY_LENGTH

__all__ = ["API_KEYS_VARIABLE", "CONFIG_NAME", "environment_overrides", "find_config", "overridden", "read_section",
           "read_toml", "user_config_path"]

CONFIG_NAME = "presskit.toml"
#: Comma-separated API keys of ``presskit serve``; wins over ``service.api_keys`` of the file.
API_KEYS_VARIABLE = "PRESSKIT_API_KEYS"

S = TypeVar("S", bound=Section)


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


def read_toml(path: Path, *, tables: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The file's tables by name; a syntax error gives the line and column, a key that is not one of ``tables`` is an error."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(path, None, f"cannot read the file: {error.strerror or error}") from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(path, None, f"not UTF-8 text ({error.reason} at byte {error.start})") from error
    except tomllib.TOMLDecodeError as error:
        # The message already ends with "(at line N, column M)".
        raise ConfigError(path, None, f"invalid TOML: {error}") from error
    for key, value in data.items():
        if key not in tables:
            raise ConfigError(path, key, f"unknown key; allowed here: {', '.join(sorted(tables))}")
        if not isinstance(value, dict):
            raise ConfigError(path, key, f"expected a table, not {describe(value)}")
    return data


def read_section(model: type[S], data: dict[str, dict[str, Any]], name: str, path: Path) -> tuple[S, dict[str, str]]:
    """Section ``name`` of the file read from ``path`` and the origin of each key it sets (``pdf.bleed`` → the path)."""
    table = data.get(name, {})
    return model.read(table, path=path, prefix=name), {f"{name}.{key}": str(path) for key in table}


def overridden(section: S, name: str, key: str, value: Any, origin: str) -> S:
    """``section`` with its key ``key`` (as in the file) set to ``value``, checked as a value in the file would be.

    KeyError when the section has no such key; a wrong value is a ConfigError naming ``origin`` (``--bleed``).
    """
    fields = type(section).file_keys()
    if key not in fields:
        raise KeyError(f"{name}.{key}")
    try:
        return type(section).model_validate({**dict(section), fields[key]: value})
    except ValidationError as error:
        wrong = config_error(error, type(section), path=None, prefix=name)
        # The problem first: "unknown PDF variant 'pdf/x-9'; choose one of: … (--pdf-variant)".
        raise ConfigError(None, None, f"{wrong.problem} ({origin})") from None


def environment_overrides() -> list[tuple[str, Any, str]]:
    """(key, value, origin) of each setting the environment gives: ``$PRESSKIT_API_KEYS`` (comma-separated)."""
    keys = os.environ.get(API_KEYS_VARIABLE)
    if keys is None:
        return []
    values = tuple(key.strip() for key in keys.split(",") if key.strip())
    # The same rule as for keys in presskit.toml: a short key is guessed, wherever it is set.
    short = [key for key in values if len(key) < MIN_API_KEY_LENGTH]
    if short:
        raise ConfigError(f"environment {API_KEYS_VARIABLE}", None,
                          f"an API key has {len(short[0])} characters; use at least {MIN_API_KEY_LENGTH} (e.g. openssl rand -hex 16)")
    return [("service.api_keys", values, f"environment {API_KEYS_VARIABLE}")]
