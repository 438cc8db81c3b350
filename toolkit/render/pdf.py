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

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RenderError
from ..model import Release
from ..release_json import dumps
from ..resources import templates_dir
from .branding import apply_branding
from .html import render_sheet_html
from .hyphenation import load_patterns
from .options import Branding, PdfOptions  # PdfOptions is re-exported: toolkit.render.pdf.PdfOptions
from .variants import MAX_BLEED_MM, PAGE_SIZES

if TYPE_CHECKING:
    from weasyprint import CSS, Attachment

    from .fetch import SafeURLFetcher

# WeasyPrint (0.8 s to import) is imported where a PDF is made, not here: a batch's main process, which only plans
# and hands the PDFs to render processes, and everything that needs just PdfOptions never loads it.

__all__ = ["MAX_BLEED_MM", "PAGE_SIZES", "PdfOptions", "page_stylesheet", "render_pdf"]

#: The attachment's name inside the PDF.
SOURCE_NAME = "release.json"


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


@functools.lru_cache(maxsize=32)
def _page_css(rules: str, font_config: Any) -> CSS:
    """The parsed ``@page`` stylesheet, once per process for each page setup (it names no URL, so needs no fetcher)."""
    from weasyprint import CSS

    return CSS(string=rules, font_config=font_config)


@functools.lru_cache(maxsize=4)
def _sheet_css(font_config: Any) -> CSS:
    """``templates/sheet.css``, parsed once per process.

    Passed to ``write_pdf`` it has user origin, below the author stylesheets of
    the sheet's HTML (the page counter, ``branding.css``) as when it was linked
    first among them; it uses no ``url()``.
    """
    from weasyprint import CSS

    from .fetch import SafeURLFetcher

    folder = templates_dir().resolve()
    return CSS(filename=str(folder / "sheet.css"), base_url=folder.as_uri() + "/", url_fetcher=SafeURLFetcher([folder]),
               font_config=font_config)


def _fetcher(assets_dir: Path | None, branding: Branding | None = None) -> SafeURLFetcher:
    from .fetch import SafeURLFetcher

    roots = [templates_dir()] if assets_dir is None else [templates_dir(), assets_dir]
    logo = [branding.logo] if branding is not None and branding.logo is not None else []
    return SafeURLFetcher(roots, files=logo)


def _source_attachment(release: Release) -> Attachment:
    from weasyprint import Attachment

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
    from weasyprint import HTML

    from .fonts import font_configuration, font_stylesheet

    load_patterns(release.language)  # hyphenation patterns from the user's cache, not parsed again (1 s for German)
    chosen = options.pdf_variant
    # sheet.css parsed once per process (25 ms a sheet otherwise) rather than linked from the HTML, unless the
    # caller brings stylesheets of its own, which then keep ranking below it as before.
    parsed_sheet = font_config is None and not stylesheets
    if font_config is None:
        # The shipped fonts, so that output never depends on the machine's fonts.
        font_config = font_configuration()
        stylesheets = [font_stylesheet(font_config), *stylesheets]
    if parsed_sheet:
        stylesheets = [*stylesheets, _sheet_css(font_config)]
    release = apply_branding(release, branding)
    sheet = render_sheet_html(release, assets_dir=assets_dir, branding=branding, link_stylesheet=not parsed_sheet)
    fetcher = url_fetcher if url_fetcher is not None else _fetcher(assets_dir, branding)
    # A trailing slash makes the folder itself the base, so "sheet.css" resolves inside it.
    base_url = templates_dir().resolve().as_uri() + "/"
    try:
        page_css = _page_css(page_stylesheet(options), font_config)
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


def warm_up(languages: Sequence[str]) -> None:
    """Do now what the first PDF of a process would pay for: import WeasyPrint, load the fonts and ``sheet.css``,
    compile the templates, load the hyphenation patterns of ``languages`` (:mod:`toolkit.render.hyphenation`) and
    lay out a small sheet and page in each language. A batch's render processes call it when they start, while the main process
    is still reading and translating. Never raises: a failure here shows again, properly, when the real PDF is made.
    """
    import datetime as dt
    import warnings

    from ..model import Contact, Paragraph, Text
    from .html import render_html

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for language in dict.fromkeys(languages):
            try:
                load_patterns(language)
                release = Release(language=language, headline=Text.plain("Warm-up"), date=dt.date(2000, 1, 1), place="-",
                                  issuer="-", body=(Paragraph(text=Text.plain("-")),),
                                  contacts=(Contact(organization="-"), Contact(organization="-")))
                render_pdf(release)
                render_html(release)
            except Exception:  # noqa: BLE001,S112 - only a head start; the real render reports any problem
                continue
