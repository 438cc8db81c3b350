"""The output formats a release is rendered in; a module of its own so the command line can name them without loading the renderers."""

from __future__ import annotations

__all__ = ["DEFAULT_FORMATS", "FORMATS", "file_name"]

#: Every output format, in the order they are written: "email" is an .eml draft (HTML and text, the PDF attached).
FORMATS = ("pdf", "html", "json", "email")
#: What a build writes unless told otherwise.
DEFAULT_FORMATS = ("pdf", "html", "json")
_SUFFIXES = {"email": "eml"}


def file_name(language: str, output_format: str) -> str:
    """The output's file name: ``de.pdf``, ``en.eml``.

    >>> file_name("de", "pdf"), file_name("en-GB", "email")
    ('de.pdf', 'en-GB.eml')
    """
    return f"{language}.{_SUFFIXES.get(output_format, output_format)}"
