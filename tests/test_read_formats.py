"""One invented release, written at test time as Word, OpenDocument, a CMS web page, PDF and e-mail, read back alike.

The release (the Lindenau solar park, invented names, example.de addresses)
is written with each format's own tools: python-docx, odfpy, WeasyPrint
(HTML to PDF), the stdlib ``email`` package and a hand-written web page
with navigation, breadcrumbs, a cookie banner and JSON-LD. Every format
must give the same headline, date, speakers, e-mail addresses and phones.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from toolkit.errors import ReadError, ReaderWarning
from toolkit.model import ListBlock, Quote, Release
from toolkit.read import read_release
from toolkit.release_json import dumps

# -- the release ---------------------------------------------------------------

HEADLINE = "Stadtwerke Lindenau eröffnen Solarpark am Mühlenberg"
SUBHEADLINE = ("Strom für 3.200 Haushalte", "Bürgerinnen und Bürger können sich ab April beteiligen")
DATELINE = "Lindenau, 12. März 2025"
DATE = dt.date(2025, 3, 12)
CAPTION = "Bürgermeisterin Jana Kessler und Geschäftsführer Matthias Brandt nehmen den Solarpark am Mühlenberg in Betrieb."
CREDIT = "Stadtwerke Lindenau"
PARAGRAPH_1 = (
    "Die Stadtwerke Lindenau haben am Mittwoch den Solarpark am Mühlenberg in Betrieb genommen. Auf einer früheren "
    "Deponiefläche von neun Hektar erzeugen 14.600 Module künftig rund 11 Millionen Kilowattstunden Strom im Jahr. "
    "Das reicht rechnerisch für 3.200 Haushalte."
)
QUOTE_1 = "„Der Mühlenberg war jahrzehntelang eine Last für unsere Stadt. Heute wird er zu einem Kraftwerk, das allen Lindenauerinnen und Lindenauern gehört.“"
SPEAKER_1 = "Bürgermeisterin Jana Kessler"
PARAGRAPH_2 = (
    "Der Bau hat sieben Monate gedauert und 8,4 Millionen Euro gekostet. Die Stadtwerke finanzieren den Park zum Teil "
    "über eine Bürgerbeteiligung:"
)
ITEMS = ("Anteile ab 250 Euro", "Laufzeit zehn Jahre", "Zeichnung ab 1. April 2025 im Kundenzentrum")
QUOTE_2 = (
    "„Wir wollen, dass die Wertschöpfung in der Region bleibt“, sagte Matthias Brandt, Geschäftsführer der Stadtwerke "
    "Lindenau. „Jeder Anteil macht den Solarpark ein Stück mehr zum Park der Bürgerinnen und Bürger.“"
)
PARAGRAPH_3 = (
    "Zwischen den Modulreihen weiden künftig Schafe eines Betriebs aus dem Ortsteil Hohenfeld. Eine Blühwiese am Rand "
    "der Fläche bietet Insekten Nahrung."
)
CONTACT = (
    "Pressekontakt",
    "Stadtwerke Lindenau GmbH",
    "Clara Vogt",
    "Telefon: 03421 / 55-210",
    "E-Mail: presse@stadtwerke-lindenau.example.de",
)
EMAILS = {"presse@stadtwerke-lindenau.example.de"}
PHONES = {"+49342155210"}
SPEAKERS = ["Jana Kessler", "Matthias Brandt"]
FOOTNOTE = "Berechnet mit dem Strommix des Jahres 2024."


def plain_text() -> str:
    """The release as the plain-text reader knows it: the reference every format is compared with."""
    blocks = [HEADLINE, " / ".join(SUBHEADLINE), DATELINE, CAPTION, f"Foto: {CREDIT}", PARAGRAPH_1,
              f"{SPEAKER_1}: {QUOTE_1}", PARAGRAPH_2, "\n".join(f"- {item}" for item in ITEMS), QUOTE_2, PARAGRAPH_3,
              "\n".join(CONTACT)]
    return "\n\n".join(blocks) + "\n"


def png_bytes() -> bytes:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (48, 32), (30, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


# -- writers ----------------------------------------------------------------


def write_docx(path: Path, *, contact_in_footer: bool = True) -> Path:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Stadtwerke Lindenau GmbH – Pressemitteilung"
    if contact_in_footer:
        # The letterhead carries the press contact, as office templates do; the body has none.
        section.footer.paragraphs[0].text = " · ".join(CONTACT)
    document.add_paragraph(HEADLINE, style="Title")
    document.add_paragraph(" / ".join(SUBHEADLINE), style="Subtitle")
    document.add_paragraph(DATELINE)
    document.add_paragraph().add_run().add_picture(io.BytesIO(png_bytes()), width=Cm(8))
    document.add_paragraph(CAPTION, style="Caption")
    document.add_paragraph(f"Foto: {CREDIT}")
    first = document.add_paragraph(PARAGRAPH_1)
    _add_footnote_reference(first)
    document.add_paragraph(f"{SPEAKER_1}: {QUOTE_1}")
    document.add_paragraph(PARAGRAPH_2)
    for item in ITEMS:
        document.add_paragraph(item, style="List Bullet")
    document.add_paragraph(QUOTE_2)
    document.add_paragraph(PARAGRAPH_3)
    table = document.add_table(rows=2, cols=2)
    for row, (key, value) in zip(table.rows, [("Leistung", "9,8 Megawatt"), ("Fläche", "neun Hektar")]):
        row.cells[0].text, row.cells[1].text = key, value
    if not contact_in_footer:
        document.add_paragraph("\n".join(CONTACT))
    document.save(str(path))
    return path


def _add_footnote_reference(paragraph: object) -> None:
    """A footnote mark in the text (Word keeps the note itself in footnotes.xml, which a reader must not mix in)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    run = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>')
    paragraph._p.append(run)  # type: ignore[attr-defined]


def write_odt(path: Path) -> Path:
    from odf.draw import Frame, TextBox
    from odf.draw import Image as DrawImage
    from odf.opendocument import OpenDocumentText
    from odf.style import Footer, Header, MasterPage, PageLayout, Style
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, List, ListItem, ListLevelStyleBullet, ListStyle, Note, NoteBody, NoteCitation, P

    document = OpenDocumentText()
    for name, display in (("Title", "Title"), ("Subtitle", "Subtitle"), ("Heading_20_2", "Heading 2"),
                          ("Illustration", "Illustration"), ("Standard", "Default Paragraph Style")):
        document.styles.addElement(Style(name=name, displayname=display, family="paragraph"))
    # An automatic style as LibreOffice writes one when a paragraph is formatted by hand: the Title is its parent.
    document.automaticstyles.addElement(Style(name="P1", family="paragraph", parentstylename="Title"))
    bullets = ListStyle(name="L1")
    bullets.addElement(ListLevelStyleBullet(level=1, bulletchar="•"))
    document.automaticstyles.addElement(bullets)
    layout = PageLayout(name="pm1")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header, footer = Header(), Footer()
    header.addElement(P(text="Stadtwerke Lindenau GmbH – Pressemitteilung"))
    footer.addElement(P(text="Seite 1"))
    master.addElement(header)
    master.addElement(footer)
    document.masterstyles.addElement(master)

    body = document.text
    body.addElement(P(stylename="P1", text=HEADLINE))
    for line in SUBHEADLINE:
        body.addElement(P(stylename="Subtitle", text=line))
    body.addElement(P(stylename="Standard", text=DATELINE))
    # LibreOffice's caption: an outer frame whose text box holds the photo's frame and the numbered caption.
    href = document.addPicture("Pictures/solarpark.png", "image/png", png_bytes())
    outer, box = Frame(width="8cm", height="6cm", anchortype="paragraph"), TextBox()
    caption = P(stylename="Illustration")
    inner = Frame(width="8cm", height="5cm", anchortype="as-char")
    inner.addElement(DrawImage(href=href))
    caption.addElement(inner)
    caption.addText(f"Abbildung 1: {CAPTION}")
    box.addElement(caption)
    outer.addElement(box)
    holder = P(stylename="Standard")
    holder.addElement(outer)
    body.addElement(holder)
    body.addElement(P(stylename="Standard", text=f"Foto: {CREDIT}"))
    first = P(stylename="Standard", text=PARAGRAPH_1)
    note = Note(noteclass="footnote", id="ftn1")
    note.addElement(NoteCitation(text="1"))
    note_body = NoteBody()
    note_body.addElement(P(text=FOOTNOTE))
    note.addElement(note_body)
    first.addElement(note)
    body.addElement(first)
    body.addElement(P(stylename="Standard", text=f"{SPEAKER_1}: {QUOTE_1}"))
    body.addElement(P(stylename="Standard", text=PARAGRAPH_2))
    items = List(stylename="L1")
    for item in ITEMS:
        list_item = ListItem()
        list_item.addElement(P(text=item))
        items.addElement(list_item)
    body.addElement(items)
    body.addElement(P(stylename="Standard", text=QUOTE_2))
    body.addElement(H(outlinelevel=2, stylename="Heading_20_2", text="Schafe statt Rasenmäher"))
    body.addElement(P(stylename="Standard", text=PARAGRAPH_3))
    table = Table(name="Daten")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for key, value in (("Leistung", "9,8 Megawatt"), ("Fläche", "neun Hektar")):
        row = TableRow()
        for text in (key, value):
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
    body.addElement(table)
    contact = P(stylename="Standard")
    for index, line in enumerate(CONTACT):
        if index:
            contact.addElement(LineBreak())
        contact.addText(line)
    body.addElement(contact)
    document.save(str(path))
    return path


def release_html(*, page_css: str = "") -> str:
    """The release as a simple HTML document (the PDF is made from it)."""
    from html import escape

    def paragraph(text: str) -> str:
        return f"<p>{escape(text)}</p>"

    items = "".join(f"<li>{escape(item)}</li>" for item in ITEMS)
    contact = "<br>".join(escape(line) for line in CONTACT)
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><style>{page_css}</style></head><body>'
        f"<h1>{escape(HEADLINE)}</h1><h2>{escape(' / '.join(SUBHEADLINE))}</h2>{paragraph(DATELINE)}"
        f"{paragraph(CAPTION)}{paragraph('Foto: ' + CREDIT)}{paragraph(PARAGRAPH_1)}"
        f"{paragraph(SPEAKER_1 + ': ' + QUOTE_1)}{paragraph(PARAGRAPH_2)}<ul>{items}</ul>{paragraph(QUOTE_2)}"
        f"{paragraph(PARAGRAPH_3)}<p>{contact}</p></body></html>"
    )


#: A5 pages with a running header and footer: the release takes three pages, so both repeat.
PDF_CSS = """
@page { size: A5; margin: 22mm 16mm;
        @top-center { content: "Stadtwerke Lindenau · Pressemitteilung"; font-size: 8pt }
        @bottom-center { content: "Seite " counter(page) " von " counter(pages); font-size: 8pt } }
body { font-family: sans-serif; font-size: 11pt; line-height: 1.35; hyphens: auto }
h1 { font-size: 17pt } h2 { font-size: 12pt } p { margin: 0 0 8pt }
"""


def write_pdf(path: Path) -> Path:
    from weasyprint import HTML

    HTML(string=release_html(page_css=PDF_CSS)).write_pdf(str(path))
    return path


def cms_page() -> str:
    """A release page as a CMS serves it: cookie banner, navigation, breadcrumbs, JSON-LD, share links, related news, footer."""
    from html import escape

    items = "".join(f"<li>{escape(item)}</li>" for item in ITEMS)
    contact = "<br>".join(escape(line) for line in CONTACT[:-1])
    email = sorted(EMAILS)[0]
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>{escape(HEADLINE)} | Stadtwerke Lindenau</title>
<meta property="og:title" content="{escape(HEADLINE)}"><meta property="og:type" content="article">
<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [
 {{"@type": "Organization", "name": "Stadtwerke Lindenau GmbH"}},
 {{"@type": "NewsArticle", "headline": "{HEADLINE}", "datePublished": "2025-03-12T10:30:00+01:00"}}]}}</script>
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>Wir verwenden Cookies, um unsere Website für Sie zu verbessern.
 Mit der Nutzung stimmen Sie der Datenschutzerklärung zu.</p><button>Alle akzeptieren</button></div>
<header class="site-header"><a href="/" class="logo">Stadtwerke Lindenau</a>
 <nav class="main-nav"><ul><li><a href="/strom">Strom</a></li><li><a href="/presse">Presse</a></li><li><a href="/kontakt">Kontakt</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Startseite</a> › <a href="/presse">Presse</a> › Pressemitteilungen</div>
<main><article class="press-release">
 <h1>{escape(HEADLINE)}</h1>
 <p class="subtitle">{escape(" / ".join(SUBHEADLINE))}</p>
 <p class="meta">Pressemitteilung vom <time datetime="2025-03-12">12.03.2025</time></p>
 <figure><img src="page_files/solarpark.png" alt="Solarmodule am Mühlenberg">
  <figcaption>{escape(CAPTION)} (Foto: {escape(CREDIT)})</figcaption></figure>
 <p>{escape(PARAGRAPH_1)}</p>
 <blockquote><p>{escape(QUOTE_1)}</p><footer>— {escape(SPEAKER_1)}</footer></blockquote>
 <p>{escape(PARAGRAPH_2)}</p><ul>{items}</ul>
 <p>{escape(QUOTE_2)}</p><p>{escape(PARAGRAPH_3)}</p>
 <div class="press-contact"><h2>{escape(CONTACT[0])}</h2>
  <p>{contact.split("<br>", 1)[1]}<br>E-Mail: <a href="mailto:{email}">{email}</a></p></div>
 <div class="share-buttons"><a href="#">Teilen</a> <a href="#">Drucken</a></div>
</article>
<aside class="related"><h2>Weitere Meldungen</h2><ul><li><a href="/presse/1">Neue Ladesäulen am Bahnhof</a></li></ul></aside>
</main>
<footer class="site-footer"><p>Stadtwerke Lindenau GmbH · Am Markt 1 · 04808 Lindenau · Telefon 03421 55-0 ·
 info@stadtwerke-lindenau.example.de</p><p><a href="/impressum">Impressum</a> | <a href="/datenschutz">Datenschutz</a></p></footer>
</body></html>"""


def write_html(path: Path) -> Path:
    path.write_text(cms_page(), encoding="utf-8")
    # "Save page as … complete" keeps the photo in a folder beside the page.
    (path.parent / "page_files").mkdir(exist_ok=True)
    (path.parent / "page_files" / "solarpark.png").write_bytes(png_bytes())
    return path


SENT = dt.datetime(2025, 3, 12, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SIGNATURE = ("Clara Vogt", "Pressesprecherin", "Stadtwerke Lindenau GmbH", CONTACT[3], CONTACT[4])


def mail(subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Clara Vogt <presse@stadtwerke-lindenau.example.de>"
    message["To"] = "redaktion@zeitung.example.de"
    message["Subject"] = subject
    message["Date"] = format_datetime(SENT)
    message.set_content(body)
    return message


def write_eml(path: Path) -> Path:
    """The release pasted into a forwarded mail: greeting, pointer, the text, a closing and a signature with the contact."""
    release = plain_text().split("\n\nPressekontakt")[0]
    body = (f"Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie unsere aktuelle Pressemitteilung.\n\n{release}\n\n"
            f"Mit freundlichen Grüßen\n\n" + "\n".join(SIGNATURE) + "\n")
    path.write_bytes(mail(f"WG: PM: {HEADLINE}", body).as_bytes())
    return path


WRITERS: dict[str, Callable[[Path], Path]] = {
    "docx": write_docx, "odt": write_odt, "html": write_html, "pdf": write_pdf, "eml": write_eml,
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each format written once (WeasyPrint takes a few seconds), each in a folder of its own."""
    files = {}
    for name, writer in WRITERS.items():
        folder = tmp_path_factory.mktemp(name)
        files[name] = writer(folder / f"mitteilung.{name}")
    return files


@pytest.fixture(scope="module")
def releases(written: dict[str, Path]) -> dict[str, Release]:
    # The project's pytest settings turn a ReaderWarning into an error: every format must read without one.
    return {name: read_release(path) for name, path in written.items()}


def texts(release: Release) -> list[str]:
    return [block.text.text if not isinstance(block, ListBlock) else " | ".join(item.text for item in block.items)
            for block in release.body]


# -- the same release from every format --------------------------------------------


@pytest.mark.parametrize("name", list(WRITERS))
def test_every_format_gives_the_same_release(releases: dict[str, Release], name: str) -> None:
    release = releases[name]
    assert release.headline.text == HEADLINE
    assert [line.text for line in release.subheadline] == list(SUBHEADLINE)
    assert release.date == DATE
    assert [speaker.name for speaker in release.speakers] == SPEAKERS
    assert {email for contact in release.contacts for email in contact.emails} == EMAILS
    assert {phone.e164 for contact in release.contacts for phone in contact.phones} == PHONES
    assert PARAGRAPH_1 in texts(release) and PARAGRAPH_3 in texts(release)
    assert " | ".join(ITEMS) in texts(release)
    assert [block.speaker.name for block in release.body if isinstance(block, Quote) and block.speaker] == SPEAKERS


def test_plain_text_reference_reads_alike() -> None:
    from toolkit.read.plaintext import parse_plain_text

    release = parse_plain_text(plain_text(), path="reference.txt")
    assert (release.headline.text, release.date, [s.name for s in release.speakers]) == (HEADLINE, DATE, SPEAKERS)


# -- Word -----------------------------------------------------------------------------------


def test_docx_photo_and_caption_become_the_image(written: dict[str, Path], releases: dict[str, Release]) -> None:
    image = releases["docx"].image
    assert image is not None and image.src == "mitteilung-image.png"
    assert (written["docx"].parent / image.src).read_bytes() == png_bytes()
    assert image.caption is not None and image.caption.text == CAPTION
    assert image.credit == CREDIT
    assert CAPTION not in texts(releases["docx"])


def test_docx_letterhead_footer_gives_the_contact_and_tables_become_items(releases: dict[str, Release]) -> None:
    release = releases["docx"]
    (contact,) = release.contacts
    assert (contact.label and contact.label.text, contact.organization, contact.person) == (
        "Pressekontakt", "Stadtwerke Lindenau GmbH", "Clara Vogt")
    assert "Leistung: 9,8 Megawatt | Fläche: neun Hektar" in texts(release)
    assert "Pressemitteilung" not in dumps(release)  # the header line without contact data is not a contact


def test_docx_contact_in_body_is_not_doubled_by_the_letterhead(tmp_path: Path) -> None:
    release = read_release(write_docx(tmp_path / "body.docx", contact_in_footer=False))
    assert len(release.contacts) == 1 and release.contacts[0].emails == tuple(EMAILS)


def test_docx_image_folder_can_be_given(tmp_path: Path) -> None:
    from toolkit.read.docx import read_docx

    source = write_docx(tmp_path / "pm.docx")
    release = read_docx(source, image_dir=tmp_path / "bilder")
    assert release.image is not None and release.image.src == "bilder/pm-image.png"
    assert (tmp_path / "bilder" / "pm-image.png").is_file()


# -- OpenDocument ----------------------------------------------------------------------------


def test_odt_caption_frame_footnote_and_heading(written: dict[str, Path], releases: dict[str, Release]) -> None:
    release = releases["odt"]
    assert release.image is not None and release.image.caption is not None
    assert (release.image.caption.text, release.image.credit) == (CAPTION, CREDIT)
    assert (written["odt"].parent / str(release.image.src)).read_bytes() == png_bytes()
    assert FOOTNOTE not in dumps(release)  # footnotes are dropped
    assert "Schafe statt Rasenmäher" in texts(release)


# -- web page -------------------------------------------------------------------------------


def test_web_page_residue_never_reaches_the_release(releases: dict[str, Release]) -> None:
    everything = dumps(releases["html"])
    for residue in ("Cookies", "akzeptieren", "Startseite", "Strom</a>", "Weitere Meldungen", "Ladesäulen", "Impressum",
                    "info@stadtwerke", "Teilen", "Drucken", "Am Markt 1"):
        assert residue not in everything, residue


def test_web_page_figure_and_blockquote(releases: dict[str, Release]) -> None:
    release = releases["html"]
    assert release.image is not None
    assert (release.image.src, release.image.credit) == ("page_files/solarpark.png", CREDIT)
    assert release.image.caption is not None and release.image.caption.text == CAPTION
    quote = next(block for block in release.body if isinstance(block, Quote))
    assert quote.speaker is not None and (quote.speaker.name, str(quote.speaker.role)) == ("Jana Kessler", "Bürgermeisterin")


def test_web_page_metadata_stands_in_for_a_missing_headline_and_date(tmp_path: Path) -> None:
    page = tmp_path / "kurz.html"
    page.write_text(
        '<html><head><meta property="og:title" content="Stadtwerke Lindenau eröffnen Solarpark">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Stadtwerke Lindenau eröffnen Solarpark",'
        ' "datePublished": "2025-03-12"}</script></head><body><main><article>'
        f"<p>{PARAGRAPH_1}</p><p>{PARAGRAPH_3}</p></article></main></body></html>",
        encoding="utf-8",
    )
    release = read_release(page)
    assert (release.headline.text, release.date) == ("Stadtwerke Lindenau eröffnen Solarpark", DATE)


# -- PDF --------------------------------------------------------------------------------------


def test_pdf_drops_running_headers_and_joins_hyphenated_words(releases: dict[str, Release]) -> None:
    release = releases["pdf"]
    everything = dumps(release)
    assert "Seite" not in everything and "· Pressemitteilung" not in everything
    assert "\u2010" not in everything and "Solar-" not in everything
    assert release.image is not None and release.image.caption is not None and release.image.caption.text == CAPTION


def test_pdf_without_text_layer_is_an_error(tmp_path: Path) -> None:
    import pikepdf

    scan = pikepdf.new()
    scan.add_blank_page()
    path = tmp_path / "scan.pdf"
    scan.save(path)
    with pytest.raises(ReadError, match=r"scan\.pdf: has no text layer \(scanned\?\); press-toolkit does no OCR"):
        read_release(path)


# -- e-mail --------------------------------------------------------------------------------


def test_email_signature_gives_the_contact_and_the_greeting_is_dropped(releases: dict[str, Release]) -> None:
    release = releases["eml"]
    everything = dumps(release)
    assert "Sehr geehrte" not in everything and "anbei" not in everything and "Grüßen" not in everything
    (contact,) = release.contacts
    assert contact.person == "Clara Vogt"


def test_email_subject_and_date_header_stand_in(tmp_path: Path) -> None:
    path = tmp_path / "kurz.eml"
    path.write_bytes(mail(f"Fwd: PM: {HEADLINE}", f"{PARAGRAPH_1} {PARAGRAPH_3}\n\n{PARAGRAPH_2}\n").as_bytes())
    release = read_release(path)
    assert (release.headline.text, release.date) == (HEADLINE, DATE)


def test_email_pointing_to_an_attached_docx_reads_the_attachment(tmp_path: Path) -> None:
    document = write_docx(tmp_path / "Solarpark Mühlenberg.docx")
    message = mail(f"PM: {HEADLINE}", "Liebe Kolleginnen und Kollegen,\n\nanbei unsere Pressemitteilung zum Solarpark.\n\n"
                   "Viele Grüße\nClara Vogt\n")
    message.add_attachment(document.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename=document.name)
    path = tmp_path / "post.eml"
    path.write_bytes(message.as_bytes())
    release = read_release(path)
    assert (release.headline.text, release.date, [s.name for s in release.speakers]) == (HEADLINE, DATE, SPEAKERS)
    assert release.image is not None and release.image.src == "post-Solarpark-M-hlenberg-image.png"
    assert (tmp_path / release.image.src).is_file()


def test_html_only_email(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"], message["Subject"], message["Date"] = "presse@stadtwerke-lindenau.example.de", f"PM: {HEADLINE}", format_datetime(SENT)
    message.set_content(cms_page(), subtype="html")
    path = tmp_path / "html.eml"
    path.write_bytes(message.as_bytes())
    release = read_release(path)
    assert (release.headline.text, release.date, [s.name for s in release.speakers]) == (HEADLINE, DATE, SPEAKERS)
    assert "Cookies" not in dumps(release)


# -- picking the reader by content -----------------------------------------------------------


def test_content_decides_over_the_suffix(written: dict[str, Path], tmp_path: Path) -> None:
    disguised = tmp_path / "mitteilung.docx"
    disguised.write_bytes(written["odt"].read_bytes())
    with pytest.warns(ReaderWarning, match=r"mitteilung\.docx: is an OpenDocument text, not a \.docx file; read as such"):
        release = read_release(disguised)
    assert release.headline.text == HEADLINE
    bare = tmp_path / "mitteilung"
    bare.write_bytes(written["pdf"].read_bytes())
    with pytest.warns(ReaderWarning, match="is a PDF, not plain text"):
        assert read_release(bare).headline.text == HEADLINE


# -- bad files: one line naming the file, never a traceback --------------------------------


def zip_bomb() -> bytes:
    """60 MB of zeros in a .docx-looking ZIP of about 60 kB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def encrypted_docx() -> bytes:
    """The start of what Word writes for a password-protected .docx: a Compound File with EncryptionInfo and
    EncryptedPackage streams (MS-OFFCRYPTO). Not a complete compound file, but all a reader looks at before refusing it."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    entries = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    return header + entries + b"\0" * 1024


def encrypted_pdf(source: Path) -> bytes:
    import pikepdf

    buffer = io.BytesIO()
    with pikepdf.open(source) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(user="geheim", owner="geheim", R=6))
    return buffer.getvalue()


BAD_FILES: dict[str, tuple[str, Callable[[dict[str, Path]], bytes], str]] = {
    "corrupt-zip": ("kaputt.docx", lambda w: w["docx"].read_bytes()[:1500], "is not a readable Word document: the ZIP container is damaged"),
    "zip-bomb": ("bombe.docx", lambda w: zip_bomb(), "would unpack to 60 MB, more than the 50 MB a release may hold"),
    "encrypted-docx": ("geheim.docx", lambda w: encrypted_docx(), "is a password-protected Word document"),
    "old-doc": ("alt.docx", lambda w: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, r"is an old binary Office file \(\.doc\)"),
    "encrypted-pdf": ("geheim.pdf", lambda w: encrypted_pdf(w["pdf"]), "is an encrypted PDF that needs a password"),
    "corrupt-pdf": ("kaputt.pdf", lambda w: b"%PDF-1.7\n1 0 obj\n<<", "is not a readable PDF"),
    "not-a-mail": ("leer.eml", lambda w: b"Nur ein Satz ohne Kopfzeilen.\n", "is not an e-mail message"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_give_one_read_error(written: dict[str, Path], tmp_path: Path, case: str) -> None:
    name, make, message = BAD_FILES[case]
    path = tmp_path / name
    path.write_bytes(make(written))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReaderWarning)  # a disguised file is announced before it fails
        with pytest.raises(ReadError, match=message) as raised:
            read_release(path)
    assert str(raised.value).startswith(f"{path}: ") and "\n" not in str(raised.value)


def test_cli_reports_a_bad_file_on_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    path = tmp_path / "bombe.docx"
    path.write_bytes(zip_bomb())
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}: would unpack to 60 MB" in result.output


def test_pdf_sidebar_column_is_read_after_the_body(tmp_path: Path) -> None:
    """A letterhead column beside the body (contact data) shares the body's baselines; it must not be mixed into it."""
    from weasyprint import HTML

    sidebar = ('<div style="position: absolute; right: 0; top: 0; width: 40mm; font-size: 8pt"><p>Stadtwerke Lindenau GmbH'
               "<br>Pressestelle<br>Am Markt 1<br>04808 Lindenau<br>Telefon 03421 55-0<br>info@stadtwerke-lindenau.example.de</p></div>")
    page = release_html(page_css="@page { size: A4; margin: 20mm } body { font: 10pt sans-serif } .main { width: 120mm }")
    path = tmp_path / "spalten.pdf"
    HTML(string=page.replace("<body>", f'<body>{sidebar}<div class="main">').replace("</body>", "</div></body>")).write_pdf(str(path))
    release = read_release(path)
    assert release.headline.text == HEADLINE
    assert PARAGRAPH_1 in texts(release)
    assert [contact.emails for contact in release.contacts] == [tuple(EMAILS), ("info@stadtwerke-lindenau.example.de",)]


def test_missing_library_is_named_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    path = write_docx(tmp_path / "x.docx")
    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    with pytest.raises(ReadError, match=r"x\.docx: reading a Word document needs the Python package python-docx, which is not installed"):
        read_release(path)
