"""The output formats a release is rendered in; a module of its own so the command line can name them without loading the renderers."""

from __future__ import annotations

__all__ = ["FORMATS"]

#: Output formats, in the order they are written.
FORMATS = ("pdf", "html", "json")
