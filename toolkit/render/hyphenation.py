"""The hyphenation patterns WeasyPrint uses, read once per machine rather than once per process.

WeasyPrint hyphenates with Pyphen, which parses a language's ``hyph_*.dic``
file the first time a process needs it: 0.55–1.2 s for German, in every
render process of every batch. :func:`load_patterns` does that parse once,
keeps the result as JSON in the user's cache folder
(``$XDG_CACHE_HOME/press-toolkit/hyphenation/``, keyed by the dictionary
file's path, size and date and Pyphen's version) and from then on fills
Pyphen's own cache of patterns from that file (~0.1 s), so WeasyPrint's
``pyphen.Pyphen(lang=…)`` finds the patterns already there. The hyphenation
is the same: the patterns are Pyphen's, only not parsed again.

Anything unexpected (no cache folder, a damaged file, another Pyphen) falls
back to Pyphen's own parse.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "load_patterns"]

_FORMAT = "press-toolkit/hyphenation/1"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/press-toolkit/hyphenation`` (``~/.cache/…`` when the variable is unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "press-toolkit" / "hyphenation"


def load_patterns(language: str) -> bool:
    """Make sure Pyphen holds the patterns WeasyPrint will use for ``language`` (a BCP 47 tag, as in ``<html lang>``).

    Returns ``False`` when Pyphen has no dictionary for the language (WeasyPrint then does not hyphenate it).
    """
    import pyphen

    name = pyphen.language_fallback(language)
    if not name:
        return False
    path = Path(pyphen.LANGUAGES[name])
    if path in pyphen.hdcache:
        return True
    try:
        stat = path.stat()
        key = hashlib.sha256(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{getattr(pyphen, 'VERSION', '')}".encode()).hexdigest()
        cached = cache_dir() / f"{name}-{key[:16]}.json"
    except OSError:
        pyphen.hdcache[path] = pyphen.HyphDict(path)
        return True
    loaded = _read(cached, pyphen)
    if loaded is None:
        loaded = pyphen.HyphDict(path)
        _write(cached, loaded)
    pyphen.hdcache[path] = loaded
    return True


def _read(cached: Path, pyphen: Any) -> Any:
    try:
        data = json.loads(cached.read_bytes())
        if data.get("format") != _FORMAT:
            return None
        patterns = {}
        for tag, (start, values) in data["patterns"].items():
            patterns[tag] = (start, tuple(value if isinstance(value, int) else pyphen.DataInt(value[0], tuple(value[1]))
                                          for value in values))
        loaded = pyphen.HyphDict.__new__(pyphen.HyphDict)
        loaded.patterns, loaded.cache, loaded.maxlen = patterns, {}, int(data["maxlen"])
        return loaded
    except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return None


def _write(cached: Path, loaded: Any) -> None:
    def value(item: int) -> object:
        data = getattr(item, "data", None)
        return [int(item), list(data)] if data is not None else int(item)

    try:
        patterns = {tag: [start, [value(item) for item in values]] for tag, (start, values) in loaded.patterns.items()}
        text = json.dumps({"format": _FORMAT, "maxlen": loaded.maxlen, "patterns": patterns}, ensure_ascii=False,
                          separators=(",", ":"))
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        temporary.write_text(text, "utf-8")
        os.replace(temporary, cached)
    except (OSError, TypeError, ValueError, AttributeError):
        pass  # no cache this time; the patterns are in memory all the same
