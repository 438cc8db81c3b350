"""The PDF variants the toolkit can write: one registry, WeasyPrint's names.

Each :class:`PdfVariant` says which WeasyPrint 70 ``pdf_variant`` it uses and
whether the PDF is tagged (``pdf_tags=True``: a structure tree with headings,
paragraphs, lists and figures, and ``/MarkInfo /Marked true``).

The default is ``pdf/a-3u+tags``: PDF/A-3u (archivable, Unicode text, sRGB
output intent) *and* tagged. Public bodies in Germany must publish accessible
PDFs (BITV 2.0), and an archive-grade file is what press offices keep.
WeasyPrint 70 accepts ``pdf/a-3u`` together with ``pdf_tags=True``; the file
declares PDF/A-3 conformance level U (not A: level A additionally requires
checks WeasyPrint does not make) and carries the tags.

Not offered: ``pdf/x-4`` (print shops). WeasyPrint's PDF/X variants set the
output intent to ``device-cmyk`` but embed no CMYK profile of their own; the
only ICC profile WeasyPrint ships is ``sRGB2014.icc`` (a display profile, not
a printer characterization). Without a CMYK profile supplied through a CSS
``@color-profile device-cmyk { src: url(...) }`` rule the PDF/X file has no
``/OutputIntents`` at all, which PDF/X-4 requires. Once a licensed CMYK
profile (e.g. ISO Coated v2 / FOGRA39, PSO Coated v3) is shipped with the
templates, add the variant here with ``needs_cmyk_intent=True``. Until then,
print shops get ``pdf/a-2b`` or the default with ``bleed_mm=3`` (crop marks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..errors import PressToolkitError

__all__ = ["DEFAULT_VARIANT", "MAX_BLEED_MM", "PAGE_SIZES", "PDF_VARIANTS", "PageSize", "PdfVariant", "UnknownVariantError", "variant"]


class UnknownVariantError(PressToolkitError, ValueError):
    """A PDF variant name that is not in :data:`PDF_VARIANTS`."""


@dataclass(frozen=True)
class PdfVariant:
    """One way to write the PDF.

    ``weasyprint_variant`` is passed as ``pdf_variant`` to WeasyPrint
    (``None``: a plain PDF); ``tagged`` as ``pdf_tags``.
    ``needs_cmyk_intent``: the variant is only valid with a CMYK output
    profile (PDF/X); none of the registered variants needs one.
    """

    name: str
    weasyprint_variant: str | None
    tagged: bool
    description: str
    needs_cmyk_intent: bool = False


DEFAULT_VARIANT = "pdf/a-3u+tags"

PageSize = Literal["A4", "Letter"]
#: Page sizes as CSS ``size`` keywords.
PAGE_SIZES: dict[str, str] = {"A4": "A4", "Letter": "letter"}
#: More bleed than this is a typo (print shops ask for 3 mm, some 5 mm).
MAX_BLEED_MM = 10.0

PDF_VARIANTS: dict[str, PdfVariant] = {
    v.name: v
    for v in (
        PdfVariant(
            name=DEFAULT_VARIANT,
            weasyprint_variant="pdf/a-3u",
            tagged=True,
            description="PDF/A-3u, tagged for accessibility (BITV 2.0); the default",
        ),
        PdfVariant(
            name="pdf/ua-1",
            weasyprint_variant="pdf/ua-1",
            tagged=True,
            description="PDF/UA-1 (universal accessibility), tagged, declares pdfuaid:part 1",
        ),
        PdfVariant(
            name="pdf/a-2b",
            weasyprint_variant="pdf/a-2b",
            tagged=False,
            description="PDF/A-2b, untagged, for archives and print workflows that expect PDF/A-2",
        ),
        PdfVariant(
            name="plain",
            weasyprint_variant=None,
            tagged=True,
            description="a tagged PDF 1.7 without any conformance claim",
        ),
    )
}


def variant(name: str) -> PdfVariant:
    """The registered variant called ``name``.

    >>> variant("pdf/ua-1").weasyprint_variant
    'pdf/ua-1'
    >>> variant("pdf/x-4")
    Traceback (most recent call last):
    ...
    toolkit.render.variants.UnknownVariantError: unknown PDF variant 'pdf/x-4'; choose one of: pdf/a-3u+tags, pdf/ua-1, pdf/a-2b, plain
    """
    try:
        return PDF_VARIANTS[name]
    except (KeyError, TypeError):
        choices = ", ".join(PDF_VARIANTS)
        raise UnknownVariantError(f"unknown PDF variant {name!r}; choose one of: {choices}") from None
