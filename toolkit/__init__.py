"""press-toolkit: read, translate offline, localize and typeset press releases.

The public face; everything a program needs is importable from here::

    from toolkit import read_release, build, Translator, Release

Names are loaded on first use (PEP 562), so ``import toolkit`` stays as
quick as the command line's start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

#: Public name → the module that defines it.
_EXPORTS = {
    "read_release": "toolkit.read",
    "Release": "toolkit.model",
    "Text": "toolkit.model",
    "Paragraph": "toolkit.model",
    "Quote": "toolkit.model",
    "Contact": "toolkit.model",
    "mark_facts": "toolkit.facts",
    "build": "toolkit.builder",
    "build_with_config": "toolkit.builder",
    "BuildResult": "toolkit.builder",
    "run_batch": "toolkit.batch",
    "RunOptions": "toolkit.batch",
    "Translator": "toolkit.translate.pipeline",
    "Translation": "toolkit.translate.pipeline",
    "TranslationMemory": "toolkit.translate.memory",
    "Config": "toolkit.config",
    "Branding": "toolkit.render.options",
    "load_config": "toolkit.config",
    "PdfOptions": "toolkit.render.options",
    "render_pdf": "toolkit.render.pdf",
    "render_html": "toolkit.render.html",
    "PressToolkitError": "toolkit.errors",
    "ReadError": "toolkit.errors",
    "ReaderWarning": "toolkit.errors",
    "dumps": "toolkit.release_json",
    "loads": "toolkit.release_json",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .batch import RunOptions, run_batch
    from .builder import BuildResult, build, build_with_config
    from .config import Config, load_config
    from .errors import PressToolkitError, ReadError, ReaderWarning
    from .facts import mark_facts
    from .model import Contact, Paragraph, Quote, Release, Text
    from .read import read_release
    from .release_json import dumps, loads
    from .render.html import render_html
    from .render.options import Branding, PdfOptions
    from .render.pdf import render_pdf
    from .translate.memory import TranslationMemory
    from .translate.pipeline import Translation, Translator
