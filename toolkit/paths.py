"""Where press-toolkit keeps its own data between runs (the translation memory)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "default_memory_path"]


def data_dir() -> Path:
    """``$PRESSKIT_DATA_DIR``, else ``$XDG_DATA_HOME/press-toolkit``, else ``~/.local/share/press-toolkit``."""
    explicit = os.environ.get("PRESSKIT_DATA_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "press-toolkit"


def default_memory_path() -> Path:
    return data_dir() / "translation-memory.sqlite"
