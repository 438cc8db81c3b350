"""Rendering a release: the web page, the print sheet and the PDF.

Real Jinja2, Babel and WeasyPrint throughout; PDFs are read back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import FIXTURES
from pypdf import PdfReader

from toolkit.labels import MissingCatalogWarning, translations_for
from toolkit.model import (
    Boilerplate,
    Contact,
    Embargo,
    Heading,
    Image,
    LinkLine,
    ListBlock,
    Paragraph,
    Phone,
    PhoneKind,
    Quote,
    Release,
    SpanKind,
    Speaker,
    Text,
)
from toolkit.render.fetch import SafeURLFetcher
from toolkit.render.html import environment, render_html, render_sheet_html
from toolkit.render.pdf import render_pdf
from toolkit.resources import locales_dir, templates_dir

HEADLINE = "Digitalministerin Albrecht eröffnet Rechenzentrum in Beispielstadt"
ISSUER = "Ministerium für Digitales des Landes Beispielland"
MORE_INFO_URL = "https://www.example.de/digital-und-innovationsregion"

_PARAGRAPHS = (
    "Das Land Beispielland und die Auenfeld Datensysteme AG wollen ihre Zusammenarbeit beim Aufbau der "
    "Digital- und Innovationsregion Musterhausen langfristig absichern. Darauf haben sich Digitalministerin "
    "Jana Albrecht und der Vorstandsvorsitzende des Unternehmens, Markus Feldhaus, bei der Eröffnung des "
    "ersten Rechenzentrums am Freitag, 19. April 2024, in Beispielstadt verständigt.",
    "Auenfeld investiert nach eigenen Angaben rund 1,4 Milliarden Euro in drei Rechenzentren, die bis 2027 "
    "schrittweise in Betrieb gehen sollen. Die Abwärme der Anlagen wird über ein neues Nahwärmenetz in "
    "umliegende Wohngebiete, Schulen und ein Hallenbad geleitet. Das Vorhaben zählt damit zu den größten "
    "Infrastrukturprojekten in der Geschichte des Landes.",
    "Auenfeld richtet am 22. Mai 2024 in Beispielstadt zudem das erste „Digitalforum Mittelstand“ aus, zu dem "
    "rund 800 Gäste aus Handwerk, Industrie und Verwaltung erwartet werden. Weitere Ausgaben der "
    "Veranstaltungsreihe sind in Musterhausen, Beispielhafen und Neustadt am Mustersee geplant. Das Land "
    "Beispielland unterstützt die Reihe als Partner und stellt Fachleute für die Workshops.",
    "Nach dem Rundgang durch die Serverhallen hat sich Ministerin Albrecht mit Auszubildenden, Technikerinnen "
    "und Technikern sowie Vertreterinnen und Vertretern der umliegenden Gemeinden über den Ausbau der "
    "digitalen Infrastruktur ausgetauscht. Auch der Wasser- und Strombedarf der Anlagen war Thema, ebenso die "
    "Chancen und Risiken von Künstlicher Intelligenz für die öffentliche Verwaltung.",
    "Gemeinsam mit den Hochschulen der Region startet das Unternehmen außerdem ein Weiterbildungsprogramm zu "
    "Künstlicher Intelligenz und Datensicherheit. Bis Ende 2025 sollen mehr als 20.000 Beschäftigte aus "
    "kleinen und mittleren Unternehmen sowie aus Kommunalverwaltungen kostenfreie Kurse, Lernmaterialien und "
    "Beratungsangebote nutzen können.",
    "Die Ansiedlung der Rechenzentren ist das Ergebnis eines mehrjährigen Planungsverfahrens, das die "
    "Landesregierung gemeinsam mit den Kommunen vor Ort und der landeseigenen Wirtschaftsförderung "
    "Beispielland Invest begleitet hat. Der Standort gilt als Baustein einer nachhaltigen Digitalregion, in "
    "der Rechenleistung, erneuerbare Energie und Wärmeversorgung zusammengedacht werden.",
)


def build_sample_release() -> Release:
    """A fictional German release, long enough for two A4 pages.

    Also used by the visual check script (``/tmp``), hence a plain function.
    """
    albrecht = Speaker(name="Jana Albrecht", role="Ministerin für Digitales des Landes Beispielland")
    feldhaus = Speaker(name="Markus Feldhaus", role="Vorstandsvorsitzender der Auenfeld Datensysteme AG")
    link_paragraph = Text.plain(
        "Das Programm des Digitalforums finden Sie hier, Anmeldungen nimmt das Ministerium für Digitales entgegen."
    ).mark("hier", SpanKind.LINK, "https://www.example.de/veranstaltungen/digitalforum")
    body = (
        Paragraph(text=Text.plain(_PARAGRAPHS[0])),
        Paragraph(text=Text.plain(_PARAGRAPHS[1])),
        Quote(
            text=Text.plain(
                "„Beispielland setzt auf Rechenzentren, die Daten verarbeiten und zugleich Wohnungen heizen. "
                "Auenfeld baut seine Aktivität in unserem Land aus. Das ist eine gute Nachricht für die "
                "Beschäftigten – und für die ganze Region Musterhausen.“"
            ).mark("Auenfeld", SpanKind.ORGANIZATION),
            speaker=albrecht,
        ),
        Quote(
            text=Text.plain(
                "„Wir wollen Handwerksbetrieben, Mittelständlern und Kommunen einen einfachen Zugang zu sicherer "
                "Rechenleistung und zu Künstlicher Intelligenz verschaffen“, sagte Markus Feldhaus, "
                "Vorstandsvorsitzender der Auenfeld Datensysteme AG."
            ).mark("Markus Feldhaus", SpanKind.PERSON),
            speaker=feldhaus,
            attributed_in_text=True,
        ),
        Heading(text=Text.plain("Digitalforum im Mai in Beispielstadt"), level=1),
        Paragraph(text=Text.plain(_PARAGRAPHS[2])),
        Paragraph(text=link_paragraph),
        ListBlock(
            items=(
                Text.plain("Drei Rechenzentren mit Abwärmenutzung in Beispielstadt"),
                Text.plain("Weiterbildungsprogramm für mehr als 20.000 Beschäftigte bis Ende 2025"),
                Text.plain("Digitalforum Mittelstand am 22. Mai 2024 in Beispielstadt"),
            )
        ),
        Paragraph(text=Text.plain(_PARAGRAPHS[3])),
        Paragraph(text=Text.plain(_PARAGRAPHS[4])),
        Paragraph(text=Text.plain(_PARAGRAPHS[5])),
        LinkLine(
            text=Text.plain("Weitere Informationen zur Digital- und Innovationsregion Musterhausen finden Sie hier."),
            url=MORE_INFO_URL,
        ),
    )
    return Release(
        language="de",
        headline=Text.plain(HEADLINE).mark("Albrecht", SpanKind.PERSON),
        subheadline=(
            Text.plain("Austausch mit dem Vorstandsvorsitzenden Markus Feldhaus"),
            Text.plain("Auenfeld investiert in die Digitalregion Musterhausen"),
        ),
        date=dt.date(2024, 4, 19),
        place="Düsseldorf",
        embargo=Embargo(date=dt.date(2024, 4, 19), time=dt.time(18, 0)),
        number="123/2024",
        issuer=ISSUER,
        image=Image(
            title=Text.plain("Ministerin Albrecht in Beispielstadt"),
            caption=Text.plain("Jana Albrecht und Markus Feldhaus im neuen Rechenzentrum von Auenfeld."),
            credit="Land Beispielland / Lena Brandt",
        ),
        body=body,
        boilerplate=Boilerplate(
            title=Text.plain("Über das Ministerium für Digitales"),
            paragraphs=(
                Text.plain(
                    "Das Ministerium für Digitales verantwortet die Digitalisierung der Landesverwaltung und den "
                    "Ausbau der Netzinfrastruktur und koordiniert die Digitalpolitik des Landes Beispielland."
                ),
            ),
        ),
        contacts=(
            Contact(
                label=Text.plain("Pressekontakt"),
                organization=ISSUER,
                person="Sabine Kühnert",
                address=("Beispielallee 7", "40210 Düsseldorf"),
                phones=(
                    Phone(number="0211 / 5550-100", e164="+492115550100"),
                    Phone(number="0211 / 5550-199", e164="+492115550199", kind=PhoneKind.FAX),
                ),
                emails=("presse@example.de",),
                urls=("https://www.example.de",),
            ),
            Contact(
                label=Text.plain("Bürgeranfragen"),
                organization=ISSUER,
                phones=(Phone(number="0211 5550-0", e164="+4921155500"),),
                emails=("buergerservice@example.org",),
            ),
        ),
        keywords=("Rechenzentren", "Künstliche Intelligenz", "Digitalregion Musterhausen"),
    )


@pytest.fixture(scope="module")
def release() -> Release:
    return build_sample_release()


@pytest.fixture(scope="module")
def pdf(release: Release, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    assets = tmp_path_factory.mktemp("assets")
    _write_png(assets / "foto.png")
    return render_pdf(replace(release, image=replace(release.image, src="foto.png")), assets_dir=assets)


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def pdf_text(reader: PdfReader) -> str:
    """All pages' text as one line: words split at a line end are joined again.

    WeasyPrint's automatic hyphenation inserts U+2010 (dropped here); a line
    broken after a real hyphen ("Digital-") keeps it.
    """
    pages = (page.extract_text().replace("\u2010\n", "").replace("-\n", "-") for page in reader.pages)
    return " ".join(" ".join(page.split()) for page in pages)


def image_count(pdf: bytes) -> int:
    """Distinct image XObjects in the PDF (WeasyPrint shares one resource dict across pages)."""
    return len({image.name for page in PdfReader(BytesIO(pdf)).pages for image in page.images})


def with_paragraph(release: Release, text: Text) -> Release:
    return replace(release, body=(Paragraph(text=text),))


# --- the PDF ------------------------------------------------------------------


def test_pdf_is_a4_with_two_pages(pdf: bytes, reader: PdfReader) -> None:
    assert pdf.startswith(b"%PDF")
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_pdf_metadata(release: Release, reader: PdfReader) -> None:
    meta = reader.metadata
    assert meta is not None
    assert meta.title == HEADLINE
    assert meta.author == ISSUER
    assert meta.subject == " / ".join(line.text for line in release.subheadline)
    assert meta.get("/Keywords") == "Rechenzentren, Künstliche Intelligenz, Digitalregion Musterhausen"
    assert meta.creation_date is not None and meta.creation_date.date() == dt.date(2024, 4, 19)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "de"


def test_pdf_is_tagged(reader: PdfReader) -> None:
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]


def test_pdf_text_has_labels_contacts_and_footer(reader: PdfReader) -> None:
    text = pdf_text(reader)
    pages = len(reader.pages)
    assert "Pressemitteilung" in text
    assert "Nr. 123/2024" in text
    assert "Düsseldorf, 19. April 2024" in text
    assert "Sperrfrist: 19. April 2024, 18:00 Uhr" in text
    assert HEADLINE in text
    assert "Telefon: 0211 / 5550-100" in text
    assert "Fax: 0211 / 5550-199" in text
    assert "E-Mail: presse@example.de" in text
    assert "Bildnachweis: Land Beispielland / Lena Brandt" in text
    for number in range(1, pages + 1):
        assert f"Seite {number} von {pages}" in text
    # The issuer is in the footer of every page, not only in the letterhead.
    assert all(ISSUER in page.extract_text() for page in reader.pages)


def test_pdf_names_speaker_only_when_text_does_not(reader: PdfReader) -> None:
    text = pdf_text(reader)
    assert "— Jana Albrecht, Ministerin für Digitales des Landes Beispielland" in text
    assert "— Markus Feldhaus" not in text


def test_print_shows_link_targets(reader: PdfReader) -> None:
    # URLs may break across lines anywhere, so compare without spaces.
    text = pdf_text(reader).replace(" ", "")
    assert "hier(https://www.example.de/veranstaltungen/digitalforum)" in text
    assert MORE_INFO_URL in text


def test_pdf_shows_the_picture_with_its_caption_and_credit(pdf: bytes) -> None:
    assert image_count(pdf) == 1


# --- escaping and links ---------------------------------------------------------

HOSTILE = '<script>alert(1)</script> und <img src="file:///etc/passwd">'


def test_html_escapes_release_text(release: Release) -> None:
    hostile = replace(with_paragraph(release, Text.plain(HOSTILE)), headline=Text.plain(HOSTILE))
    for html in (render_html(hostile), render_sheet_html(hostile)):
        assert "<script>" not in html
        assert '<img src="file:' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_pdf_prints_hostile_text_and_fetches_nothing(release: Release, caplog: pytest.LogCaptureFixture) -> None:
    hostile = with_paragraph(release, Text.plain(HOSTILE))
    fetcher = SafeURLFetcher([templates_dir()])
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(hostile, url_fetcher=fetcher)
    assert HOSTILE in pdf_text(PdfReader(BytesIO(pdf)))
    assert image_count(pdf) == 0
    assert fetcher.refused == []
    assert "passwd" not in caplog.text


def test_javascript_link_span_is_not_a_link(release: Release) -> None:
    text = Text.plain("Klicken Sie hier bitte.").mark("hier", SpanKind.LINK, "javascript:alert(1)")
    tricky = with_paragraph(release, text)
    for html in (render_html(tricky), render_sheet_html(tricky)):
        assert "javascript:" not in html
        assert "<p>Klicken Sie hier bitte.</p>" in html


def test_safe_link_span_is_a_link_and_printed(release: Release) -> None:
    text = Text.plain("Mehr dazu hier.").mark("hier", SpanKind.LINK, "https://www.example.de/a?b=1&c=2")
    linked = with_paragraph(release, text)
    assert '<a href="https://www.example.de/a?b=1&amp;c=2">hier</a>.' in render_html(linked)
    assert "(<a href" in render_sheet_html(linked)


def test_unsafe_link_line_prints_text_only(release: Release) -> None:
    line = LinkLine(text=Text.plain("Mehr Informationen"), url="javascript:alert(1)")
    html = render_html(replace(release, body=(line,)))
    assert "javascript:" not in html
    assert "Mehr Informationen" in html


# --- labels -----------------------------------------------------------------------


def test_english_release_has_english_labels(release: Release) -> None:
    english = replace(release, language="en", place="Düsseldorf", image=replace(release.image, src="foto.png"))
    html = render_sheet_html(english, assets_dir=FIXTURES / "images")
    assert '<html lang="en">' in html
    assert "Press release" in html and "Pressemitteilung" not in html
    assert "Embargo: " in html and "Phone: " in html and "Image credit: " in html
    assert '"Page " counter(page) " of " counter(pages)' in html
    assert "April 19, 2024" in html
    text = pdf_text(PdfReader(BytesIO(render_pdf(english, assets_dir=FIXTURES / "images"))))
    assert "Page 1 of " in text


def test_unknown_language_falls_back_to_english_with_warning(release: Release) -> None:
    unknown = replace(release, language="xx")
    with pytest.warns(MissingCatalogWarning, match="'xx'"):
        html = render_html(unknown)
    assert "Press release" in html
    assert '<html lang="xx">' in html


def test_regional_tag_uses_language_catalog(release: Release) -> None:
    assert "Pressemitteilung" in render_html(replace(release, language="de-AT"))


def test_catalogs_are_complete_and_consistent() -> None:
    with (locales_dir() / "messages.pot").open("rb") as pot_file:
        msgids = {message.id for message in read_po(pot_file) if message.id}
    for language in ("de", "en"):
        with (locales_dir() / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
            catalog = read_po(po_file, locale=language)
        translated = {message.id for message in catalog if message.id and message.string and not message.fuzzy}
        assert translated == msgids, language
        # Babel's checkers: same python-format placeholders in msgid and msgstr.
        assert [problem for problem in catalog.check()] == [], language


def test_environment_is_built_once_per_catalog() -> None:
    assert environment(translations_for("de")) is environment(translations_for("de-DE"))
    assert environment(translations_for("de")) is not environment(translations_for("en"))


# --- the web page -----------------------------------------------------------------


def test_web_page_is_semantic_and_standalone(release: Release) -> None:
    html = render_html(release)
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in html
    assert "<article" in html
    assert '<time datetime="2024-04-19">19. April 2024</time>' in html
    assert '<time datetime="2024-04-19T18:00">' in html
    assert "<blockquote>" in html and "<cite>Jana Albrecht</cite>" in html
    assert "<address" in html
    assert 'href="tel:+492115550100"' in html
    assert 'href="mailto:presse@example.de"' in html
    assert f'<a href="{MORE_INFO_URL}">' in html
    assert "<style>" in html and "<link" not in html
    assert '<meta name="author" content="Ministerium für Digitales des Landes Beispielland">' in html


def test_issuer_defaults_to_first_contact_organization(release: Release) -> None:
    anonymous = replace(release, issuer=None)
    html = render_html(anonymous)
    assert '<p class="issuer">Ministerium für Digitales des Landes Beispielland</p>' in html


# --- images and the fetcher -----------------------------------------------------


def _write_png(path: Path) -> None:
    from PIL import Image as PILImage

    PILImage.new("RGB", (60, 40), (29, 63, 110)).save(path)


def test_image_inside_assets_dir_is_shown(release: Release, tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    _write_png(assets / "foto.png")
    with_image = replace(release, image=replace(release.image, src="foto.png"))
    assert image_count(render_pdf(with_image, assets_dir=assets)) == 1
    # Without its picture, the caption and credit say nothing: the sheet leaves the figure out.
    without = render_pdf(with_image)
    assert image_count(without) == 0
    assert "Lena Brandt" not in pdf_text(PdfReader(BytesIO(without)))


def test_image_outside_assets_dir_is_not_shown(release: Release, tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    _write_png(tmp_path / "secret.png")
    escaping = replace(release, image=replace(release.image, src="../secret.png"))
    assert "secret.png" not in render_sheet_html(escaping, assets_dir=assets)
    assert image_count(render_pdf(escaping, assets_dir=assets)) == 0


def test_fetcher_serves_files_under_its_roots(tmp_path: Path) -> None:
    (tmp_path / "a.css").write_text("p { color: red }", encoding="utf-8")
    response = SafeURLFetcher([tmp_path]).fetch((tmp_path / "a.css").as_uri())
    try:
        assert response.read() == b"p { color: red }"
        assert response.content_type == "text/css"
    finally:
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "ftp://example.org/x.png",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_with_a_warning(url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fetcher = SafeURLFetcher([tmp_path])
    with caplog.at_level(logging.WARNING, logger="toolkit.render.fetch"), pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert "refused to fetch" in caplog.text


def test_fetcher_refuses_symlink_out_of_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(ValueError):
        SafeURLFetcher([root]).fetch((root / "link.txt").as_uri())


def test_fetcher_limits_data_urls(tmp_path: Path) -> None:
    fetcher = SafeURLFetcher([tmp_path], max_data_bytes=1024)
    small = fetcher.fetch("data:text/plain;base64,b2s=")
    try:
        assert small.read() == b"ok"
    finally:
        small.close()
    with pytest.raises(ValueError):
        fetcher.fetch("data:text/plain;base64," + "A" * 4096)
    assert len(fetcher.refused) == 1


def test_sheet_stylesheet_resolves_inside_templates(release: Release, caplog: pytest.LogCaptureFixture) -> None:
    fetcher = SafeURLFetcher([templates_dir()])
    with caplog.at_level(logging.WARNING):
        render_pdf(release, url_fetcher=fetcher)
    assert fetcher.refused == []
    assert not re.search(r"(?i)failed to load stylesheet", caplog.text)


def test_web_page_links_the_other_language_versions(release: Release) -> None:
    page = render_html(release, alternates=["de", "en", "fr", '"><script>alert(1)</script>'])
    assert '<link rel="alternate" hreflang="en" href="en.html">' in page
    assert '<link rel="alternate" hreflang="fr" href="fr.html">' in page
    assert page.count('hreflang="de"') == 1
    assert "<script>" not in page
