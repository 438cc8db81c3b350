"""Render a :class:`~toolkit.model.Release` as an A4 PDF with WeasyPrint.

The PDF is the print sheet (:func:`~toolkit.render.html.render_sheet_html`)
laid out by WeasyPrint. Its document metadata comes from the sheet's
``<head>``; WeasyPrint 70 reads ``<title>`` (Title), ``<html lang>``
(catalog /Lang), ``<meta name=author>`` (Author), ``<meta name=description>``
(Subject), ``<meta name=keywords>`` (Keywords, comma-separated),
``<meta name=generator>`` (Creator) and ``<meta name=dcterms.created>``
(CreationDate).

WeasyPrint reads resources only through :class:`SafeURLFetcher`: the
templates folder and, when given, the release's assets folder.
"""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

from ..errors import RenderError
from ..model import Release
from ..resources import templates_dir
from .fetch import SafeURLFetcher
from .html import render_sheet_html

__all__ = ["render_pdf"]


def _fetcher(assets_dir: Path | None) -> SafeURLFetcher:
    roots = [templates_dir()] if assets_dir is None else [templates_dir(), assets_dir]
    return SafeURLFetcher(roots)


def render_pdf(
    release: Release,
    *,
    assets_dir: Path | None = None,
    url_fetcher: SafeURLFetcher | None = None,
) -> bytes:
    """The release as a tagged A4 PDF.

    ``assets_dir`` is the folder the release's image ``src`` is relative to;
    without it the sheet shows the image's caption and credit but no picture.
    Pass ``url_fetcher`` to inspect what was refused (``url_fetcher.refused``);
    it must allow the templates folder.
    """
    sheet = render_sheet_html(release, assets_dir=assets_dir)
    fetcher = url_fetcher if url_fetcher is not None else _fetcher(assets_dir)
    # A trailing slash makes the folder itself the base, so "sheet.css" resolves inside it.
    base_url = templates_dir().resolve().as_uri() + "/"
    try:
        pdf = HTML(string=sheet, base_url=base_url, url_fetcher=fetcher).write_pdf(pdf_tags=True)
    except Exception as error:  # WeasyPrint raises many kinds; the caller needs one.
        raise RenderError(f"could not lay out the PDF for {release.headline.text!r}: {error}") from error
    if pdf is None:  # only when a target is given, which it is not
        raise RenderError("WeasyPrint returned no PDF")
    return pdf
