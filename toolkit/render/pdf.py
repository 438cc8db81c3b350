"""Render a :class:`~toolkit.model.Release` as a PDF with WeasyPrint.

The PDF is the print sheet (:func:`~toolkit.render.html.render_sheet_html`)
laid out by WeasyPrint. Its document metadata comes from the sheet's
``<head>``; WeasyPrint 70 reads ``<title>`` (Title), ``<html lang>``
(catalog /Lang), ``<meta name=author>`` (Author), ``<meta name=description>``
(Subject), ``<meta name=keywords>`` (Keywords, comma-separated),
``<meta name=generator>`` (Creator) and ``<meta name=dcterms.created>``
(CreationDate).

How the PDF is written is chosen with :class:`PdfOptions`: the variant (see
:mod:`toolkit.render.variants`; by default tagged PDF/A-3u), the page size,
bleed with crop marks for print shops, and the release's JSON as an embedded
``release.json``. Page size and bleed reach WeasyPrint as a small stylesheet
generated here from the validated options only, never from release text.

WeasyPrint reads resources only through :class:`SafeURLFetcher`: the
templates folder, when given the release's assets folder, and with branding
the logo file itself (not its folder).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML, Attachment

from ..config import Branding
from ..errors import RenderError
from ..model import Release
from ..release_json import dumps
from ..resources import templates_dir
from .branding import apply_branding
from .fetch import SafeURLFetcher
from .fonts import font_configuration, font_stylesheet
from .html import render_sheet_html
from .variants import (
    DEFAULT_VARIANT,
    MAX_BLEED_MM,
    PAGE_SIZES,
    PageSize,
    PdfVariant,
    variant,
)

__all__ = ["MAX_BLEED_MM", "PAGE_SIZES", "PdfOptions", "page_stylesheet", "render_pdf"]

#: The attachment's name inside the PDF.
SOURCE_NAME = "release.json"


@dataclass(frozen=True, kw_only=True)
class PdfOptions:
    """How to write the PDF; validated when created.

    ``bleed_mm``: bleed on every side, with crop marks (print shops ask for
    3 mm); 0 means a trimmed page without marks. ``attach_source``: embed the
    release as ``release.json`` (:func:`toolkit.release_json.dumps`); PDF/A-3
    allows this, PDF/A-2b drops non-PDF attachments.
    """

    variant: str = DEFAULT_VARIANT
    page_size: PageSize = "A4"
    bleed_mm: float = 0
    attach_source: bool = False

    def __post_init__(self) -> None:
        variant(self.variant)  # raises UnknownVariantError listing the choices
        if self.page_size not in PAGE_SIZES:
            raise RenderError(f"unknown page size {self.page_size!r}; choose one of: {', '.join(PAGE_SIZES)}")
        bleed = self.bleed_mm
        if isinstance(bleed, bool) or not isinstance(bleed, (int, float)) or not math.isfinite(bleed):
            raise RenderError(f"bleed must be a number of millimetres, not {bleed!r}")
        if not 0 <= bleed <= MAX_BLEED_MM:
            raise RenderError(f"bleed must be between 0 and {MAX_BLEED_MM:g} mm, not {bleed:g} mm")

    @property
    def pdf_variant(self) -> PdfVariant:
        return variant(self.variant)


def page_stylesheet(options: PdfOptions) -> str:
    """The ``@page`` rules for ``options``: size, and bleed with crop marks.

    WeasyPrint gives stylesheets passed to ``write_pdf`` *user* origin, below
    the sheet's own ``sheet.css``; ``!important`` lets these win.

    >>> print(page_stylesheet(PdfOptions(page_size="Letter", bleed_mm=3)))
    @page { size: letter !important; bleed: 3mm !important; marks: crop !important; }
    """
    rules = [f"size: {PAGE_SIZES[options.page_size]} !important;"]
    if options.bleed_mm > 0:
        rules.append(f"bleed: {float(options.bleed_mm):g}mm !important;")
        rules.append("marks: crop !important;")
    return "@page { " + " ".join(rules) + " }"


def _fetcher(assets_dir: Path | None, branding: Branding | None = None) -> SafeURLFetcher:
    roots = [templates_dir()] if assets_dir is None else [templates_dir(), assets_dir]
    logo = [branding.logo] if branding is not None and branding.logo is not None else []
    return SafeURLFetcher(roots, files=logo)


def _source_attachment(release: Release) -> Attachment:
    return Attachment(
        string=dumps(release),
        name=SOURCE_NAME,
        description="The press release as press-toolkit JSON",
        relationship="Source",
    )


def render_pdf(
    release: Release,
    *,
    assets_dir: Path | None = None,
    url_fetcher: SafeURLFetcher | None = None,
    options: PdfOptions = PdfOptions(),
    stylesheets: Sequence[CSS] = (),
    font_config: Any = None,
    branding: Branding | None = None,
) -> bytes:
    """The release as a PDF, by default tagged PDF/A-3u on A4.

    ``assets_dir`` is the folder the release's image ``src`` is relative to;
    without it the sheet shows the image's caption and credit but no picture.
    Pass ``url_fetcher`` to inspect what was refused (``url_fetcher.refused``);
    it must allow the templates folder. Without ``font_config`` the shipped
    fonts (:mod:`toolkit.render.fonts`) are used; with it, ``stylesheets``
    (e.g. ``@font-face`` rules built with that configuration) go to
    WeasyPrint as they are. ``branding`` (:mod:`toolkit.config`) adds the
    sender's logo, name, address and colours, and default boilerplate and
    contacts where the release has none; a custom ``url_fetcher`` must then
    allow the logo file too (``SafeURLFetcher(roots, files=[branding.logo])``).
    """
    chosen = options.pdf_variant
    if font_config is None:
        # The shipped fonts, so that output never depends on the machine's fonts.
        font_config = font_configuration()
        stylesheets = [font_stylesheet(font_config), *stylesheets]
    release = apply_branding(release, branding)
    sheet = render_sheet_html(release, assets_dir=assets_dir, branding=branding)
    fetcher = url_fetcher if url_fetcher is not None else _fetcher(assets_dir, branding)
    # A trailing slash makes the folder itself the base, so "sheet.css" resolves inside it.
    base_url = templates_dir().resolve().as_uri() + "/"
    try:
        page_css = CSS(string=page_stylesheet(options), url_fetcher=fetcher, font_config=font_config)
        pdf = HTML(string=sheet, base_url=base_url, url_fetcher=fetcher).write_pdf(
            stylesheets=[page_css, *stylesheets],
            font_config=font_config,
            pdf_variant=chosen.weasyprint_variant,
            pdf_tags=chosen.tagged,
            attachments=[_source_attachment(release)] if options.attach_source else None,
        )
    except Exception as error:  # WeasyPrint raises many kinds; the caller needs one.
        raise RenderError(f"could not lay out the PDF for {release.headline.text!r}: {error}") from error
    if pdf is None:  # only when a target is given, which it is not
        raise RenderError("WeasyPrint returned no PDF")
    return pdf
