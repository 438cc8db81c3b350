"""The press sheet as printed: nothing runs off the page, nothing is missing, nothing is printed twice.

Checked on real PDFs from WeasyPrint, by text (pypdf) and by the position of
every glyph (pdfplumber), in German, English, French and Arabic.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pdfplumber
import pytest
from conftest import FIXTURES
from pypdf import PdfReader

from toolkit.model import Contact, Image, LinkLine, Paragraph, Phone, Quote, Release, Speaker, Text
from toolkit.render.pdf import render_pdf

LONG_WORDS = {
    "de": "Landesentwicklungsplanungsgesetzesnovellierungsentwurf",
    "en": "Pneumonoultramicroscopicsilicovolcanoconiosisprevention",
    "fr": "Anticonstitutionnellementréglementairementadministratif",
    "ar": "والمستشفياتالجامعيةالمتخصصةبالأمراضالمزمنةوالنادرة",
}
LONG_URL = "https://www.example.de/pressemitteilungen/2024/landesentwicklungsplan/anhang-mit-einer-sehr-langen-adresse.pdf"


def sheet(language: str) -> Release:
    word = LONG_WORDS[language]
    quote = " ".join(["Dieser Satz steht in einem langen Zitat und füllt die Seite, damit es umbrechen muss."] * 30)
    return Release(
        language=language,
        headline=Text.plain(f"{word} tritt in Kraft"),
        subheadline=(Text.plain(f"Neue Regeln: {word}"),),
        date=dt.date(2024, 4, 19),
        place="Düsseldorf",
        image=Image(src="foto.png", caption=Text.plain(f"Bildunterschrift mit {word}"), credit=f"Land / {word}"),
        body=(
            Paragraph(text=Text.plain(f"Der {word} regelt vieles. Mehr unter {LONG_URL} und bei der Pressestelle.")),
            Quote(text=Text.plain(f"„{quote}“"), speaker=Speaker(name="Eva Roth", role="Ministerin")),
            LinkLine(text=Text.plain(LONG_URL), url=LONG_URL),
            LinkLine(text=Text.plain("Die Unterlagen finden Sie hier."), url="https://www.example.de/unterlagen"),
        ),
        contacts=(
            Contact(label=Text.plain(f"Pressekontakt {word}"), organization=f"Ministerium für {word}", person="Anna Beispiel",
                    role="Pressesprecherin", phones=(Phone(number="0211 5550-100", e164="+492115550100"),),
                    emails=("presse@example.de",), urls=(LONG_URL,)),
        ),
    )


@pytest.fixture(scope="module", params=sorted(LONG_WORDS))
def printed(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    language = request.param
    return language, render_pdf(sheet(language), assets_dir=FIXTURES / "images")


def test_no_glyph_leaves_the_page(printed: tuple[str, bytes]) -> None:
    language, pdf = printed
    with pdfplumber.open(BytesIO(pdf)) as document:
        for page in document.pages:
            outside = [char["text"] for char in page.chars
                       if char["x0"] < -0.5 or char["x1"] > page.width + 0.5 or char["top"] < -0.5 or char["bottom"] > page.height + 0.5]
            assert not outside, f"{language}: {''.join(outside)[:80]!r} runs off page {page.page_number}"


def test_text_keeps_to_the_margins(printed: tuple[str, bytes]) -> None:
    """Long words hyphenate or break inside the text column (the margins are 20 mm or more)."""
    language, pdf = printed
    margin = 15 / 25.4 * 72  # 15 mm: less than any margin of the sheet
    with pdfplumber.open(BytesIO(pdf)) as document:
        for page in document.pages:
            wide = [char["text"] for char in page.chars if char["x1"] > page.width - margin or char["x0"] < margin]
            assert not wide, f"{language}: {''.join(wide)[:80]!r} in the margin of page {page.page_number}"


def test_contact_role_is_printed_and_a_bare_address_once(printed: tuple[str, bytes]) -> None:
    language, pdf = printed
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Pressesprecherin" in text
    flat = text.replace("\n", "").replace(" ", "").replace("-", "")
    # Body, link line and contact each print it once (right-to-left extraction may split one of them).
    assert 2 <= flat.count("anhangmiteinersehrlangenadresse.pdf") <= 3, "the link line prints its address once"


def test_a_long_quotation_breaks_instead_of_leaving_a_blank_band() -> None:
    pdf = render_pdf(sheet("de"), assets_dir=FIXTURES / "images")
    with pdfplumber.open(BytesIO(pdf)) as document:
        first = document.pages[0]
        lowest = max(char["bottom"] for char in first.chars if char["top"] < first.height - 25 / 25.4 * 72)
        assert first.height - lowest < 45 / 25.4 * 72, "page 1 ends more than 45 mm above its foot"
