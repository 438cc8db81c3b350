"""The shipped fonts: the PDF embeds them and never the machine's fonts.

Real WeasyPrint throughout; the PDFs are read back with pypdf and the
embedded fonts checked against ``templates/fonts/`` with fontTools.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from io import BytesIO

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from weasyprint import HTML

from toolkit.model import Contact, Heading, Paragraph, Quote, Release, Speaker, Text
from toolkit.render.fetch import SafeURLFetcher
from toolkit.render.fonts import font_configuration, font_stylesheet
from toolkit.render.html import render_html, render_sheet_html
from toolkit.resources import templates_dir

# Arabic has no label catalog yet; the sheet falls back to English labels.
pytestmark = pytest.mark.filterwarnings("ignore::toolkit.labels.MissingCatalogWarning")

FONTS_DIR = templates_dir() / "fonts"
SHIPPED = (
    "NotoSans-Regular.ttf",
    "NotoSans-Italic.ttf",
    "NotoSans-Bold.ttf",
    "NotoSans-BoldItalic.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
)

GERMAN_TEXT = (
    "Größere Förderung für Bürgerinnen und Bürger: „Wir übernehmen 1\u202f250\u00a0€ je Haushalt“ – "
    "sagte die Ministerin am 3.\u2009Mai in Düsseldorf (Tel. 0211\u2011555)."
)
ARABIC_HEADLINE = "وزيرة الاقتصاد تفتتح مركز البيانات الجديد"
ARABIC_TEXT = (
    "أعلنت الوزارة اليوم عن افتتاح مركز البيانات الجديد في المدينة، "
    "والذي سيوفر أكثر من ٢٠٠ فرصة عمل للشباب في المنطقة."
)


def german_release() -> Release:
    return Release(
        language="de",
        headline=Text.plain("Neues Förderprogramm für Bürgerhäuser in Düsseldorf"),
        subheadline=(Text.plain("Straßen, Plätze und Gärten – ein Überblick"),),
        date=dt.date(2024, 5, 3),
        place="Düsseldorf",
        issuer="Ministerium für Heimat und Kommunales",
        body=(
            Paragraph(text=Text.plain(GERMAN_TEXT)),
            Heading(text=Text.plain("Anträge ab Juni"), level=1),
            Quote(
                text=Text.plain("„Jede Gemeinde soll profitieren – ob groß oder klein.“"),
                speaker=Speaker(name="Jana Müller", role="Ministerin"),
            ),
        ),
        contacts=(Contact(organization="Ministerium für Heimat und Kommunales", emails=("presse@example.de",)),),
    )


def arabic_release() -> Release:
    return Release(
        language="ar",
        headline=Text.plain(ARABIC_HEADLINE),
        date=dt.date(2024, 5, 3),
        place="دبي",
        issuer="وزارة الاقتصاد",
        body=(
            Paragraph(text=Text.plain(ARABIC_TEXT)),
            Heading(text=Text.plain("التسجيل يبدأ في يونيو"), level=1),
            Paragraph(text=Text.plain("للمزيد من المعلومات: presse@example.de")),
        ),
    )


def render(release: Release) -> bytes:
    folder = templates_dir()
    cfg = font_configuration()
    html = HTML(
        string=render_sheet_html(release),
        base_url=folder.resolve().as_uri() + "/",
        url_fetcher=SafeURLFetcher([folder]),
    )
    pdf = html.write_pdf(stylesheets=[font_stylesheet(cfg)], font_config=cfg, pdf_tags=True)
    assert pdf is not None
    return pdf


def pdf_fonts(pdf: bytes) -> list[DictionaryObject]:
    """Every descendant (CID) font in the pages' resources, by object."""
    fonts: dict[int, DictionaryObject] = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        resources = page["/Resources"].get_object()
        for ref in resources.get("/Font", DictionaryObject()).get_object().values():
            font = ref.get_object()
            fonts[id(font)] = font
    return list(fonts.values())


def descendant(font: DictionaryObject) -> DictionaryObject:
    return font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font


def to_unicode(font: DictionaryObject) -> dict[int, str]:
    """Glyph id → text, from the font's ToUnicode CMap (WeasyPrint writes bfchar lines)."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping: dict[int, str] = {}
    for glyph, text in re.findall(r"<([0-9a-fA-F]{4})> <([0-9a-fA-F]*)>", data.split("endcodespacerange", 1)[1]):
        mapping[int(glyph, 16)] = bytes.fromhex(text).decode("utf-16-be")
    return mapping


@cache
def shipped_glyph_counts() -> dict[str, int]:
    """PostScript name → glyph count of each shipped font."""
    counts = {}
    for name in SHIPPED:
        font = TTFont(FONTS_DIR / name)
        counts[font["name"].getDebugName(6)] = font["maxp"].numGlyphs
    return counts


def embedded_font(font: DictionaryObject) -> TTFont:
    """The font program embedded for ``font``; fails when there is none."""
    descriptor = descendant(font)["/FontDescriptor"].get_object()
    files = [key for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
    assert files, f"{font['/BaseFont']} is not embedded"
    return TTFont(BytesIO(descriptor[files[0]].get_object().get_data()))


def check_fonts(pdf: bytes) -> tuple[set[str], str]:
    """The PostScript names of the PDF's embedded fonts, and all the text they map.

    Fails when a font is not embedded, is not one of the shipped fonts, or
    shows a missing glyph (WeasyPrint gives those glyph 0 or an id past the
    font's end). The PDF's BaseFont is WeasyPrint's name for the CSS family
    ("ABCDEF+Press-Sans-Bold"); the embedded program keeps Noto's own name.
    """
    names: set[str] = set()
    text: list[str] = []
    counts = shipped_glyph_counts()
    fonts = pdf_fonts(pdf)
    assert fonts
    for font in fonts:
        base = str(font["/BaseFont"])
        assert "DejaVu" not in base
        assert "Press-Sans" in base, base
        postscript = embedded_font(font)["name"].getDebugName(6)
        assert postscript.startswith("Noto") and postscript in counts, f"{base} embeds {postscript}, not a shipped font"
        glyphs = to_unicode(font)
        missing = {gid: chars for gid, chars in glyphs.items() if gid == 0 or gid >= counts[postscript]}
        assert not missing, f"{base} lacks glyphs for {missing}"
        names.add(postscript)
        text.extend(glyphs.values())
    return names, "".join(text)


@pytest.fixture(scope="module")
def german_pdf() -> bytes:
    return render(german_release())


@pytest.fixture(scope="module")
def arabic_pdf() -> bytes:
    return render(arabic_release())


def test_font_files_are_shipped_and_small() -> None:
    # templates/ goes into the wheel as toolkit/_data/templates (pyproject force-include).
    files = [FONTS_DIR / name for name in SHIPPED]
    assert all(path.is_file() for path in files)
    assert (FONTS_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE Version 1.1") == 1
    assert (FONTS_DIR / "README.md").is_file()
    assert sum(path.stat().st_size for path in files) < 2.5 * 1024 * 1024
    css = (templates_dir() / "fonts.css").read_text()
    assert all(f"url(fonts/{name})" in css for name in SHIPPED)


def test_shipped_fonts_cover_the_needed_ranges() -> None:
    latin = TTFont(FONTS_DIR / "NotoSans-Regular.ttf").getBestCmap()
    needed = set("äöüßÄÖÜẞ„“”‚‘’–—…€§°«»ąćęłńśźżčřšžőűăâîșțçñéèêàâôûœæøåÁÉÍÓÚ") | {
        0x00A0, 0x2009, 0x2011, 0x202F, 0x2010,  # not U+2212: Noto Sans 2.004 has no minus sign
    }
    needed |= set("ΑΒΓαβγωΩάέ") | set("АБВабвЁёЖжЩщЇїЄє")
    codepoints = {c if isinstance(c, int) else ord(c) for c in needed}
    assert not {hex(c) for c in codepoints if c not in latin}
    arabic = TTFont(FONTS_DIR / "NotoSansArabic-Regular.ttf")
    assert not {hex(ord(c)) for c in ARABIC_TEXT + ARABIC_HEADLINE if not c.isspace() and ord(c) not in arabic.getBestCmap()}
    features = {record.FeatureTag for record in arabic["GSUB"].table.FeatureList.FeatureRecord}
    assert {"init", "medi", "fina", "isol", "rlig", "ccmp"} <= features
    features = {record.FeatureTag for record in arabic["GPOS"].table.FeatureList.FeatureRecord}
    assert {"mark", "mkmk"} <= features
    assert "kern" in {record.FeatureTag for record in TTFont(FONTS_DIR / "NotoSans-Bold.ttf")["GPOS"].table.FeatureList.FeatureRecord}


def test_german_pdf_embeds_only_shipped_fonts(german_pdf: bytes) -> None:
    names, text = check_fonts(german_pdf)
    assert {"NotoSans-Regular", "NotoSans-Bold"} <= names
    assert not any("Arabic" in name for name in names)
    assert set("äöüß„“–€") <= set(text)
    assert "\u2011" in set(text)


def test_arabic_pdf_uses_the_arabic_font(arabic_pdf: bytes) -> None:
    names, text = check_fonts(arabic_pdf)
    assert {"NotoSansArabic-Regular", "NotoSansArabic-Bold"} <= names
    # The Latin e-mail address comes from the Latin family.
    assert "NotoSans-Regular" in names
    letters = {c for c in ARABIC_TEXT + ARABIC_HEADLINE if not c.isspace()}
    assert letters <= set(text)


def test_arabic_sheet_is_right_to_left() -> None:
    assert '<html lang="ar" dir="rtl">' in render_sheet_html(arabic_release())
    assert '<html lang="ar" dir="rtl">' in render_html(arabic_release())
    assert '<html lang="de">' in render_sheet_html(german_release())  # ltr is the default


def test_font_configuration_is_shared() -> None:
    assert font_configuration() is font_configuration()
