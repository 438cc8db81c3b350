"""What the written PDF declares: variants, page geometry, attachments, pagination.

Real WeasyPrint output read back with pikepdf (structure, XMP, attachments)
and pypdf (text per page). veraPDF is not available, so these check the
markers a validator starts from, not full conformance.
"""

from __future__ import annotations

import math
from dataclasses import replace
from io import BytesIO

import pytest
from pypdf import PdfReader
from test_render import HEADLINE, ISSUER, build_sample_release

from toolkit.errors import PressToolkitError, RenderError
from toolkit.model import Paragraph, Release, Text
from toolkit.release_json import loads
from toolkit.render.pdf import PdfOptions, render_pdf
from toolkit.render.variants import (
    DEFAULT_VARIANT,
    PDF_VARIANTS,
    UnknownVariantError,
    variant,
)

pikepdf = pytest.importorskip("pikepdf")

MM = 72 / 25.4
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


@pytest.fixture(scope="module")
def release() -> Release:
    return build_sample_release()


@pytest.fixture(scope="module")
def default_pdf(release: Release) -> pikepdf.Pdf:
    return pikepdf.open(BytesIO(render_pdf(release)))


def xmp(pdf: pikepdf.Pdf) -> str:
    return bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")


def struct_types(pdf: pikepdf.Pdf) -> set[str]:
    """Every /S (structure type) in the structure tree."""
    seen: set[str] = set()
    stack = [pdf.Root.StructTreeRoot]
    visited: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in visited:
                continue
            visited.add(node.objgen)
        if "/S" in node:
            seen.add(str(node.S))
        if "/K" in node:
            stack.append(node.K)
    return seen


def box(page: pikepdf.Page, name: str) -> list[float]:
    return [float(value) for value in page.obj[name]]


# --- the registry -----------------------------------------------------------------


def test_default_variant_is_tagged_pdfa3u() -> None:
    default = variant(DEFAULT_VARIANT)
    assert (default.weasyprint_variant, default.tagged) == ("pdf/a-3u", True)
    assert PdfOptions().variant == DEFAULT_VARIANT
    assert {"pdf/a-3u+tags", "pdf/ua-1", "pdf/a-2b", "plain"} <= set(PDF_VARIANTS)
    assert not any(v.needs_cmyk_intent for v in PDF_VARIANTS.values())


def test_unknown_variant_is_a_clear_error(release: Release) -> None:
    with pytest.raises(UnknownVariantError) as caught:
        PdfOptions(variant="pdf/x-4")
    assert isinstance(caught.value, PressToolkitError)
    assert "pdf/x-4" in str(caught.value)
    for name in PDF_VARIANTS:
        assert name in str(caught.value)


@pytest.mark.parametrize("kwargs", [{"page_size": "A5"}, {"bleed_mm": -1}, {"bleed_mm": 50}, {"bleed_mm": math.nan}])
def test_invalid_options_are_refused(kwargs: dict) -> None:
    with pytest.raises(RenderError):
        PdfOptions(**kwargs)


# --- the default: tagged PDF/A-3u ---------------------------------------------------


def test_default_declares_pdfa3u_with_srgb_output_intent(default_pdf: pikepdf.Pdf) -> None:
    meta = xmp(default_pdf)
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="U"' in meta
    intents = default_pdf.Root.OutputIntents
    assert len(intents) == 1
    assert intents[0].S == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intents[0]
    # WeasyPrint embeds its own sRGB2014.icc; the identifier is the profile's description.
    assert "sRGB" in str(intents[0].OutputConditionIdentifier)
    assert intents[0].DestOutputProfile.N == 3


def test_default_is_tagged_with_headings_and_paragraphs(default_pdf: pikepdf.Pdf, release: Release) -> None:
    assert default_pdf.Root.MarkInfo.Marked is True
    types = struct_types(default_pdf)
    assert "/H1" in types or "/H" in types
    assert "/P" in types
    assert str(default_pdf.Root.Lang) == release.language


def test_default_embeds_every_font(default_pdf: pikepdf.Pdf) -> None:
    fonts = []
    for page in default_pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            descendants = font.get("/DescendantFonts")
            fonts.append(descendants[0] if descendants is not None else font)
    assert fonts
    for font in fonts:
        descriptor = font.FontDescriptor
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")


def test_default_keeps_the_metadata(default_pdf: pikepdf.Pdf) -> None:
    assert str(default_pdf.docinfo.Title) == HEADLINE
    assert str(default_pdf.docinfo.Author) == ISSUER
    assert HEADLINE in xmp(default_pdf)


# --- other variants ----------------------------------------------------------------------


def test_pdfua1_declares_pdfuaid(release: Release) -> None:
    pdf = pikepdf.open(BytesIO(render_pdf(release, options=PdfOptions(variant="pdf/ua-1"))))
    assert 'pdfuaid:part="1"' in xmp(pdf)
    assert pdf.Root.MarkInfo.Marked is True


def test_pdfa2b_and_plain(release: Release) -> None:
    a2b = pikepdf.open(BytesIO(render_pdf(release, options=PdfOptions(variant="pdf/a-2b"))))
    assert 'pdfaid:part="2"' in xmp(a2b) and 'pdfaid:conformance="B"' in xmp(a2b)
    plain = pikepdf.open(BytesIO(render_pdf(release, options=PdfOptions(variant="plain"))))
    assert "/OutputIntents" not in plain.Root
    assert plain.Root.MarkInfo.Marked is True


# --- page geometry -----------------------------------------------------------------------


def test_page_sizes(default_pdf: pikepdf.Pdf, release: Release) -> None:
    assert box(default_pdf.pages[0], "/MediaBox") == pytest.approx([0, 0, *A4], abs=0.01)
    letter = pikepdf.open(BytesIO(render_pdf(release, options=PdfOptions(page_size="Letter"))))
    assert box(letter.pages[0], "/MediaBox") == pytest.approx([0, 0, *LETTER], abs=0.01)


def test_bleed_adds_3mm_each_side_and_crop_marks(default_pdf: pikepdf.Pdf, release: Release) -> None:
    pdf_bytes = render_pdf(release, options=PdfOptions(bleed_mm=3))
    pdf = pikepdf.open(BytesIO(pdf_bytes))
    page = pdf.pages[0]
    media, trim = box(page, "/MediaBox"), box(page, "/TrimBox")
    assert trim == pytest.approx([0, 0, *A4], abs=0.01)
    bleed = 3 * MM  # ≈ 8.5 pt
    assert media == pytest.approx([-bleed, -bleed, A4[0] + bleed, A4[1] + bleed], abs=0.01)
    # Crop marks are strokes outside the trim box: the bleed page has more
    # stroke operators than the same page without bleed.
    assert strokes(page) > strokes(default_pdf.pages[0])


def strokes(page: pikepdf.Page) -> int:
    """Stroke operators in the page's content and its form XObjects (WeasyPrint draws into one)."""
    count, seen = 0, set()
    stack = [page.obj]
    while stack:
        holder = stack.pop()
        count += sum(1 for _, op in pikepdf.parse_content_stream(holder) if str(op) in {"S", "s", "B", "B*", "b", "b*"})
        resources = holder.get("/Resources", page.obj.Resources)
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                stack.append(xobject)
    return count


# --- attachment ------------------------------------------------------------------------------


def test_attach_source_round_trips_the_release(release: Release) -> None:
    pdf = pikepdf.open(BytesIO(render_pdf(release, options=PdfOptions(attach_source=True))))
    assert list(pdf.attachments) == ["release.json"]
    data = pdf.attachments["release.json"].get_file().read_bytes().decode("utf-8")
    assert loads(data) == release
    # PDF/A-3 associates the file with the document (WeasyPrint 70 lists the
    # same file specification twice in /AF).
    assert {spec.objgen for spec in pdf.Root.AF} == {pdf.attachments["release.json"].obj.objgen}


def test_no_attachment_by_default(default_pdf: pikepdf.Pdf) -> None:
    assert list(default_pdf.attachments) == []


# --- pagination ------------------------------------------------------------------------------


def _page_texts(pdf_bytes: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf_bytes)).pages]


def test_long_release_has_running_header_from_page_2(release: Release) -> None:
    extra = tuple(
        Paragraph(text=Text.plain(f"Absatz {n}: " + "Die Landesregierung fördert den Ausbau der Netze. " * 12))
        for n in range(1, 16)
    )
    long_release = replace(release, body=release.body + extra)
    pages = _page_texts(render_pdf(long_release))
    assert len(pages) >= 3
    # The headline on page 1 (in the page itself, once: no header there).
    assert pages[0].count("Digitalministerin Albrecht") == 1
    assert pages[0].count(ISSUER) >= 1
    for page in pages[1:]:
        assert "Digitalministerin Albrecht eröffnet" in page
        assert ISSUER in page
