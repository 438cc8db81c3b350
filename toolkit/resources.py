"""Where the toolkit's templates and catalogs are.

In a source checkout (and an editable install) they are the repository's
top-level ``templates/`` and ``locales/``; a wheel carries them inside the
package as ``toolkit/_data/``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["locales_dir", "templates_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"press-toolkit is installed without its {name}/ folder (looked in {_PACKAGE})")


def templates_dir() -> Path:
    return _data_dir("templates")


def locales_dir() -> Path:
    return _data_dir("locales")
