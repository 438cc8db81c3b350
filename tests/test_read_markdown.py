"""The Markdown reader: YAML front matter and Markdown body into a Release."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from toolkit import release_json
from toolkit.errors import ReadError, ReaderWarning
from toolkit.model import (
    Embargo,
    Heading,
    LinkLine,
    ListBlock,
    Paragraph,
    PhoneKind,
    Quote,
    Release,
    SpanKind,
    Speaker,
    Text,
)
from toolkit.read.markdown import parse_markdown, read_markdown

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "kulturnacht.md"
README = ROOT / "README.md"

FRONT = "headline: Stadt lädt zur Kulturnacht ein\ndate: 2025-09-12\n"


def release(body: str = "Ein Absatz.", front: str = FRONT) -> Release:
    return parse_markdown(f"---\n{front}---\n{body}")


def body(markdown: str) -> tuple[object, ...]:
    return release(markdown).body


def read_error(tmp_path: Path, text: str) -> str:
    """The problem a file with ``text`` is reported with; checks the message names the file."""
    path = tmp_path / "mitteilung.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read_markdown(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message
    return caught.value.problem


def spanned(text: Text, kind: SpanKind) -> list[tuple[str, str | None]]:
    return [(text.text[span.start : span.end], span.value) for span in text.spans if span.kind == kind]


# --- The example file -----------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Release:
    return read_markdown(EXAMPLE)


def test_example_front_matter(example: Release) -> None:
    assert example.language == "de"
    assert example.headline.text == "Auenbrück lädt zur ersten Kulturnacht ein"
    assert [line.text for line in example.subheadline] == [
        "60 Orte, ein Ticket – am 27. September bis 2 Uhr nachts",
        "Busse und Fähre fahren die ganze Nacht",
    ]
    assert example.date == dt.date(2025, 9, 10)
    assert example.place == "Auenbrück"
    assert example.embargo == Embargo(date=dt.date(2025, 9, 10), time=dt.time(11, 0))
    assert example.number == "214/2025"
    assert example.issuer == "Stadt Auenbrück"
    assert example.keywords == ("Kultur", "Kulturnacht", "Auenbrück", "Museen", "Veranstaltungen")


def test_example_image(example: Release) -> None:
    image = example.image
    assert image is not None
    assert image.src == "bilder/kulturnacht-plakat.jpg"
    assert image.credit == "Stadt Auenbrück / Miriam Vogt"
    assert image.caption is not None and image.caption.text.startswith("Oberbürgermeisterin Petra Lindqvist und")
    assert image.caption.text.endswith("im Alten Zollhaus vor.")  # the folded YAML lines are one line
    assert image.alt is not None and "„Kulturnacht 27.09.“" in image.alt.text


def test_example_body_structure(example: Release) -> None:
    kinds = [type(block).__name__ for block in example.body]
    assert kinds == [
        "Paragraph", "Quote", "Heading", "Paragraph", "ListBlock", "Quote",
        "Heading", "ListBlock", "Paragraph", "LinkLine", "LinkLine",
    ]  # fmt: skip
    first = example.body[0]
    assert isinstance(first, Paragraph)
    assert first.text.text.startswith("Am Samstag, 27. September 2025, öffnen in Auenbrück erstmals 60 Museen, Galerien,")
    assert "\n" not in first.text.text


def test_example_quotes(example: Release) -> None:
    quotes = [block for block in example.body if isinstance(block, Quote)]
    assert [quote.speaker for quote in quotes] == [
        Speaker(name="Petra Lindqvist", role="Oberbürgermeisterin der Stadt Auenbrück"),
        Speaker(name="Jonas Feldmann", role="Leiter des Kulturamts"),
    ]
    assert quotes[0].text.text.startswith("„Kultur gehört mitten in die Stadt")
    assert quotes[0].text.text.endswith("nicht nur für Eingeweihte.“")
    assert quotes[1].text.text.endswith("das Depot des Stadtmuseums.“")
    assert not any(quote.attributed_in_text for quote in quotes)
    assert [speaker.name for speaker in example.speakers] == ["Petra Lindqvist", "Jonas Feldmann"]


def test_example_headings_and_lists(example: Release) -> None:
    headings = [block for block in example.body if isinstance(block, Heading)]
    assert [(heading.text.text, heading.level) for heading in headings] == [
        ("Ein Abend, sechzig Orte", 1),
        ("So funktioniert das Ticket", 2),
    ]
    bullets, steps = [block for block in example.body if isinstance(block, ListBlock)]
    assert not bullets.ordered and steps.ordered
    assert bullets.items[0].text == "Siebdruck-Werkstatt im Kunstverein Auenbrück"  # ** dropped
    assert steps.items[0].text == "Ticket online unter kulturnacht.example.de oder an allen teilnehmenden Orten kaufen."
    assert spanned(steps.items[0], SpanKind.LINK) == [("kulturnacht.example.de", "https://kulturnacht.example.de/tickets")]


def test_example_link_lines(example: Release) -> None:
    program, more = [block for block in example.body if isinstance(block, LinkLine)]
    assert program.text.text == "Das vollständige Programm als PDF: Programmheft herunterladen"
    assert program.url == "https://www.example.de/kulturnacht/programm-2025.pdf"
    assert more.text.text == "Weitere Informationen finden Sie hier."
    assert more.url == "https://kulturnacht.example.de"


def test_example_contacts(example: Release) -> None:
    press, program = example.contacts
    assert press.label is not None and press.label.text == "Pressekontakt"
    assert press.organization == "Stadt Auenbrück, Presse- und Informationsamt"
    assert press.person == "Dr. Anna Schneider"
    assert str(press.role) == "Pressesprecherin"
    assert press.address == ("Rathausplatz 1", "27999 Auenbrück")
    assert [(phone.kind, phone.number, phone.e164) for phone in press.phones] == [
        (PhoneKind.PHONE, "04791 4455-120", "+4947914455120"),
        (PhoneKind.MOBILE, "0170 1234567", "+491701234567"),
        (PhoneKind.FAX, "04791 4455-199", "+4947914455199"),
    ]
    assert press.emails == ("presse@example.de",)
    assert press.urls == ("https://www.example.de/presse",)
    assert program.emails == ("kulturnacht@example.de",)


def test_example_boilerplate(example: Release) -> None:
    boilerplate = example.boilerplate
    assert boilerplate is not None
    assert boilerplate.title is not None and boilerplate.title.text == "Über die Stadt Auenbrück"
    assert len(boilerplate.paragraphs) == 2
    assert boilerplate.paragraphs[0].text.startswith("Auenbrück liegt an der Mündung der Aue in die Weser und hat rund 84.000 Einwohnerinnen")
    assert spanned(boilerplate.paragraphs[1], SpanKind.URL) == [("www.example.de/kultur", "https://www.example.de/kultur")]


def test_example_json_round_trip(example: Release) -> None:
    assert release_json.loads(release_json.dumps(example)) == example


def test_docs_example_parses() -> None:
    """The complete example in the format's documentation is a valid release."""
    blocks = re.findall(r"^```markdown\n(.*?)^```$", README.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    assert blocks, "README.md has no ```markdown example"
    documented = parse_markdown(blocks[0], path="README.md")
    assert documented.headline.text and documented.contacts and documented.boilerplate
    assert release_json.loads(release_json.dumps(documented)) == documented


# --- Front matter ---------------------------------------------------------


def test_minimal_release_defaults() -> None:
    minimal = release()
    assert minimal.language == "de"
    assert minimal.body == (Paragraph(text=Text.plain("Ein Absatz.")),)
    assert (minimal.subheadline, minimal.embargo, minimal.contacts, minimal.keywords) == ((), None, (), ())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-09-12", dt.date(2025, 9, 12)),
        ('"2025-09-12"', dt.date(2025, 9, 12)),
        ("12.09.2025", dt.date(2025, 9, 12)),
        ("12. September 2025", dt.date(2025, 9, 12)),
        ("Freitag, 12. Sept. 2025", dt.date(2025, 9, 12)),
    ],
)
def test_date_forms(value: str, expected: dt.date) -> None:
    assert release(front=f"headline: Titel\ndate: {value}\n").date == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-09-10", Embargo(date=dt.date(2025, 9, 10))),
        ("10.09.2025", Embargo(date=dt.date(2025, 9, 10))),
        ("2025-09-10 10:00", Embargo(date=dt.date(2025, 9, 10), time=dt.time(10, 0))),
        ("2025-09-10T10:00", Embargo(date=dt.date(2025, 9, 10), time=dt.time(10, 0))),
        ("2025-09-10 10:00:00", Embargo(date=dt.date(2025, 9, 10), time=dt.time(10, 0))),  # a YAML timestamp
        ("10.09.2025, 10:00 Uhr", Embargo(date=dt.date(2025, 9, 10), time=dt.time(10, 0))),
        ("10.09.2025 14:30", Embargo(date=dt.date(2025, 9, 10), time=dt.time(14, 30))),
        ("10. September 2025 um 9.30 Uhr", Embargo(date=dt.date(2025, 9, 10), time=dt.time(9, 30))),
    ],
)
def test_embargo_with_and_without_time(value: str, expected: Embargo) -> None:
    assert release(front=f"{FRONT}embargo: {value}\n").embargo == expected


def test_subheadline_as_string_or_list() -> None:
    single = release(front=f"{FRONT}subheadline: 60 Orte, ein Ticket\n")
    several = release(front=f"{FRONT}subheadline:\n  - 60 Orte, ein Ticket\n  - Bis 2 Uhr nachts\n")
    assert single.subheadline == (Text.plain("60 Orte, ein Ticket"),)
    assert several.subheadline == (Text.plain("60 Orte, ein Ticket"), Text.plain("Bis 2 Uhr nachts"))


def test_empty_optional_keys_are_absent() -> None:
    empty = release(front=f"{FRONT}subheadline:\nplace:\nembargo:\ncontacts: []\n")
    assert (empty.subheadline, empty.place, empty.embargo, empty.contacts) == ((), None, None, ())


def test_keywords_as_comma_separated_text() -> None:
    assert release(front=f"{FRONT}keywords: Kultur, Nacht,  Stadt\n").keywords == ("Kultur", "Nacht", "Stadt")


def test_boilerplate_as_plain_string() -> None:
    boilerplate = release(front=f"{FRONT}boilerplate: |\n  Erster Absatz\n  geht weiter.\n\n  Zweiter *Absatz*.\n").boilerplate
    assert boilerplate is not None and boilerplate.title is None
    assert [p.text for p in boilerplate.paragraphs] == ["Erster Absatz geht weiter.", "Zweiter Absatz."]


@pytest.mark.parametrize(
    "written",
    [
        "presse [at] example.de",
        "presse(at)example.de",
        "presse (at) example (dot) de",
        "presse [at] example [punkt] de",
        "presse{at}example{dot}de",
        "mailto:presse@example.de",
        "presse@example.de",
    ],
)
def test_obfuscated_contact_emails_are_restored(written: str) -> None:
    contact = release(front=f"{FRONT}contacts:\n  - email: {written}\n").contacts[0]
    assert contact.emails == ("presse@example.de",)


def test_contact_lists_and_strings() -> None:
    front = (
        f"{FRONT}contacts:\n"
        "  - person: Jonas Feldmann\n"
        "    address: |\n      Kulturamt\n      Rathausplatz 1\n"
        "    email:\n      - a [at] example.de\n      - b@example.de\n"
        "    fax: 04791 4455-199\n"
        "    phone: ['04791 4455-310', '+49 170 1234567']\n"
        "    url: [example.de/kultur, https://kulturnacht.example.de]\n"
    )
    contact = release(front=front).contacts[0]
    assert contact.address == ("Kulturamt", "Rathausplatz 1")
    assert contact.emails == ("a@example.de", "b@example.de")
    assert [(phone.kind, phone.e164) for phone in contact.phones] == [
        (PhoneKind.FAX, "+4947914455199"),  # in the order written
        (PhoneKind.PHONE, "+4947914455310"),
        (PhoneKind.PHONE, "+491701234567"),
    ]
    assert contact.urls == ("https://example.de/kultur", "https://kulturnacht.example.de")


# --- Body -----------------------------------------------------------------


def test_heading_levels() -> None:
    headings = body("# Eins\n\n## Auch eins\n\n### Zwei\n\n#### Drei\n\nText.")
    assert [(block.text.text, block.level) for block in headings if isinstance(block, Heading)] == [
        ("Eins", 1), ("Auch eins", 1), ("Zwei", 2), ("Drei", 3),
    ]  # fmt: skip


def test_emphasis_dropped_and_inline_code_kept() -> None:
    (paragraph,) = body("Das **ganze** Programm ist *kostenlos*, Code `K-2025` an der Kasse nennen.")
    assert paragraph == Paragraph(text=Text.plain("Das ganze Programm ist kostenlos, Code K-2025 an der Kasse nennen."))


def test_link_spans_have_correct_offsets() -> None:
    (paragraph,) = body(
        "Das **Programm** steht [online](https://kulturnacht.example.de/programm) bereit,\n"
        "Tickets gibt es im [Bürgerbüro *am Markt*](https://www.example.de/buergerbuero) und unter <https://tickets.example.de>."
    )
    assert isinstance(paragraph, Paragraph)
    assert spanned(paragraph.text, SpanKind.LINK) == [
        ("online", "https://kulturnacht.example.de/programm"),
        ("Bürgerbüro am Markt", "https://www.example.de/buergerbuero"),
        ("https://tickets.example.de", "https://tickets.example.de"),
    ]


def test_links_in_headings_lists_and_quotes_keep_offsets() -> None:
    heading, items, quote = body(
        "## Alles zur [Kulturnacht](https://kulturnacht.example.de)\n\n"
        "- Erstens\n- Zweitens: [Plan](https://example.de/plan.pdf)\n\n"
        "> „Kommen Sie [vorbei](https://example.de)!“ — Anna Schneider"
    )
    assert isinstance(heading, Heading) and isinstance(items, ListBlock) and isinstance(quote, Quote)
    assert spanned(heading.text, SpanKind.LINK) == [("Kulturnacht", "https://kulturnacht.example.de")]
    assert spanned(items.items[1], SpanKind.LINK) == [("Plan", "https://example.de/plan.pdf")]
    assert spanned(quote.text, SpanKind.LINK) == [("vorbei", "https://example.de")]
    assert quote.text.text == "„Kommen Sie vorbei!“"


def test_link_targets_are_normalized() -> None:
    (paragraph,) = body("Siehe [Seite](www.example.de/kultur), schreiben Sie an [uns](presse@example.de) oder [rufen an](tel:+4925149213).")
    assert isinstance(paragraph, Paragraph)
    assert [value for _, value in spanned(paragraph.text, SpanKind.LINK)] == [
        "https://www.example.de/kultur",
        "mailto:presse@example.de",
        "tel:+4925149213",
    ]


def test_empty_link_text_shows_the_address() -> None:
    (paragraph,) = body("Mehr dazu: [](https://example.de/mehr) und sonst nichts weiter, danke.")
    assert isinstance(paragraph, Paragraph)
    assert spanned(paragraph.text, SpanKind.LINK) == [("https://example.de/mehr", "https://example.de/mehr")]


def test_bare_urls_and_emails_get_spans() -> None:
    (paragraph,) = body("Alles unter www.example.de/kultur, Fragen an presse@example.de oder https://example.de/faq.")
    assert isinstance(paragraph, Paragraph)
    assert spanned(paragraph.text, SpanKind.URL) == [
        ("www.example.de/kultur", "https://www.example.de/kultur"),
        ("https://example.de/faq", "https://example.de/faq"),
    ]
    assert spanned(paragraph.text, SpanKind.EMAIL) == [("presse@example.de", "presse@example.de")]


@pytest.mark.parametrize(
    ("markdown", "text", "url"),
    [
        ("Weitere Informationen finden Sie [hier](https://example.de/kultur).", "Weitere Informationen finden Sie hier.", "https://example.de/kultur"),
        ("[Programm als PDF](https://example.de/programm.pdf)", "Programm als PDF", "https://example.de/programm.pdf"),
        ("Programm: [PDF](https://example.de/p.pdf):", "Programm: PDF:", "https://example.de/p.pdf"),
        ("Mehr unter www.example.de/kulturnacht", "Mehr unter www.example.de/kulturnacht", "https://www.example.de/kulturnacht"),
        ("<https://example.de/kultur>", "https://example.de/kultur", "https://example.de/kultur"),
    ],
)
def test_link_lines(markdown: str, text: str, url: str) -> None:
    assert body(markdown) == (LinkLine(text=Text.plain(text), url=url),)


@pytest.mark.parametrize(
    "markdown",
    [
        "Auf [dieser Seite](https://example.de) steht das Programm der ganzen Nacht.",  # text after the link
        "Das Programm ist fertig. Sie finden es [hier](https://example.de).",  # a sentence before it
        "[Programm](https://example.de/p) und [Karte](https://example.de/k)",  # two links
        "Weitere Informationen\nfinden Sie [hier](https://example.de).",  # two lines
        "Fragen an presse@example.de oder [hier](https://example.de).",  # another marked address
        "Das Kulturamt hat in diesem Jahr besonders viele Orte gewonnen, die sich beteiligen, siehe [Liste](https://example.de).",
    ],
)
def test_paragraphs_that_are_not_link_lines(markdown: str) -> None:
    (block,) = body(markdown)
    assert isinstance(block, Paragraph)


@pytest.mark.parametrize(
    "markdown",
    [
        "> „Ein großer Abend.“\n> — Petra Lindqvist, Oberbürgermeisterin",
        "> „Ein großer Abend.“ — Petra Lindqvist, Oberbürgermeisterin",
        "> „Ein großer Abend.“ -- Petra Lindqvist, Oberbürgermeisterin",
        "> „Ein großer Abend.“ – Petra Lindqvist, Oberbürgermeisterin",
        "> „Ein großer Abend.“\n>\n> — Petra Lindqvist, Oberbürgermeisterin",
        "> „Ein großer Abend.“\n> -- *Petra Lindqvist*, Oberbürgermeisterin",
        "> »Ein großer Abend.«\n> —Petra Lindqvist, Oberbürgermeisterin",
        "> Ein großer Abend. — Petra Lindqvist, Oberbürgermeisterin",
    ],
)
def test_quote_attribution_forms(markdown: str) -> None:
    (quote,) = body(markdown)
    assert isinstance(quote, Quote)
    assert quote.speaker == Speaker(name="Petra Lindqvist", role="Oberbürgermeisterin")
    assert quote.text.text in ("„Ein großer Abend.“", "»Ein großer Abend.«", "Ein großer Abend.")
    assert quote.attributed_in_text is False


def test_quote_without_role_and_without_attribution() -> None:
    named, anonymous, dashed = body(
        "> „Ein großer Abend.“ — Petra Lindqvist\n\n"
        "> „Ein großer Abend.“\n\n"
        "> „Wir freuen uns – sehr – auf die Nacht.“"
    )
    assert isinstance(named, Quote) and named.speaker == Speaker(name="Petra Lindqvist")
    assert isinstance(anonymous, Quote) and anonymous.speaker is None and anonymous.text.text == "„Ein großer Abend.“"
    assert isinstance(dashed, Quote) and dashed.speaker is None
    assert dashed.text.text == "„Wir freuen uns – sehr – auf die Nacht.“"


@pytest.mark.parametrize(
    "markdown",
    [
        "> Wir freuen uns. — Und dann kam alles ganz anders als gedacht.",  # a sentence, not a name
        "> „Wir freuen uns.“ — und dann?",
        "> Wir freuen uns – sehr – auf die Nacht",  # no sentence end or closing mark before the dash
    ],
)
def test_dashes_inside_quotations_are_not_attributions(markdown: str) -> None:
    (quote,) = body(markdown)
    assert isinstance(quote, Quote) and quote.speaker is None
    assert quote.text.text == markdown.removeprefix("> ")


def test_quote_of_several_paragraphs() -> None:
    (quote,) = body("> „Erster Gedanke.\n>\n> Zweiter Gedanke.“\n>\n> — Jonas Feldmann, Leiter des Kulturamts")
    assert quote == Quote(
        text=Text.plain("„Erster Gedanke. Zweiter Gedanke.“"),
        speaker=Speaker(name="Jonas Feldmann", role="Leiter des Kulturamts"),
    )


def test_raw_html_stays_inert_text() -> None:
    image, inline, script = body(
        '<img src="file:///etc/passwd">\n\n'
        'Das Programm <b>kostet</b> nichts.\n\n'
        "<script>alert('x')</script>"
    )
    assert image == Paragraph(text=Text.plain('<img src="file:///etc/passwd">'))
    assert inline == Paragraph(text=Text.plain("Das Programm <b>kostet</b> nichts."))
    assert script == Paragraph(text=Text.plain("<script>alert('x')</script>"))


def test_indented_text_is_a_paragraph_and_rules_are_skipped() -> None:
    assert body("    Eingerückter Absatz.\n\n***\n\nNächster Absatz.") == (
        Paragraph(text=Text.plain("Eingerückter Absatz.")),
        Paragraph(text=Text.plain("Nächster Absatz.")),
    )


def test_windows_line_endings_and_byte_order_mark() -> None:
    parsed = parse_markdown(f"\ufeff---\r\n{FRONT.replace(chr(10), chr(13) + chr(10))}---\r\nErste Zeile\r\nzweite Zeile.\r\n")
    assert parsed.body == (Paragraph(text=Text.plain("Erste Zeile zweite Zeile.")),)


def test_windows_1252_file_warns_and_reads(tmp_path: Path) -> None:
    path = tmp_path / "alt.md"
    path.write_bytes(f"---\n{FRONT}---\nGrüße aus der Stadt.\n".encode("cp1252"))
    with pytest.warns(ReaderWarning, match="not UTF-8"):
        parsed = read_markdown(path)
    assert parsed.headline.text == "Stadt lädt zur Kulturnacht ein"
    assert parsed.body == (Paragraph(text=Text.plain("Grüße aus der Stadt.")),)


# --- Errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stadt lädt zur Kulturnacht ein\n\nText.", "no front matter"),
        ("headline: Titel\ndate: 2025-09-12\n---\nText.", "no front matter"),
        (f"---\n{FRONT}Text ohne Ende.", "never closed"),
        ("---\n- headline\n- date\n---\nText.", "must be 'key: value' lines"),
        (f"---\n{FRONT}---\n", "the body is empty"),
        (f"---\n{FRONT}---\n\n***\n\n", "the body is empty"),
    ],
)
def test_structure_errors(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in read_error(tmp_path, text)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    problem = read_error(tmp_path, "---\ndate: 2025-09-12\nheadline: Kulturnacht: 60 Orte\n---\nText.")
    assert problem.startswith("invalid YAML in the front matter, line 3: mapping values are not allowed here")
    assert "in quotes" in problem


def test_invalid_yaml_after_blank_lines_names_the_file_line(tmp_path: Path) -> None:
    problem = read_error(tmp_path, "\n\n---\nheadline: Titel\ndate: 2025-09-12\n\tplace: Stadt\n---\nText.")
    assert "line 6" in problem and "tabs" in problem


def test_duplicate_key(tmp_path: Path) -> None:
    problem = read_error(tmp_path, f"---\n{FRONT}headline: Noch ein Titel\n---\nText.")
    assert "line 4" in problem and "'headline' appears twice" in problem


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("date: 2025-09-12\n", "headline is missing or empty"),
        ("headline:\ndate: 2025-09-12\n", "headline is missing or empty"),
        ("headline: '  '\ndate: 2025-09-12\n", "headline is missing or empty"),
        ("headline: Titel\n", "date is missing"),
        ("headline: Titel\ndate: 32.13.2025\n", "date '32.13.2025' is not a date"),
        ("headline: Titel\ndate: nächsten Freitag\n", "date 'nächsten Freitag' is not a date"),
        ("headline: Titel\ndate: 2025-09-12 10:00:00\n", "has a time of day"),
        ("headline: Titel\ndate: 2025-02-30\n", "day is out of range"),
        ("headline: yes\ndate: 2025-09-12\n", "headline must be text, not true"),
        (f"{FRONT}subheadline: {{a: b}}\n", "subheadline must be text"),
        (f"{FRONT}embargo: morgen früh\n", "embargo 'morgen früh' is not a date or a date and time"),
        (f"{FRONT}embargo: 10.09.2025 nach der Pressekonferenz\n", "embargo '10.09.2025 nach der Pressekonferenz'"),
        (f"{FRONT}language: Deutsch!\n", "language 'Deutsch!' is not a language tag"),
        (f"{FRONT}image: bild.jpg\n", "image must be a group of indented 'key: value' lines"),
        (f"{FRONT}image:\n  src: file:///etc/passwd\n", "image src 'file:///etc/passwd' must be a file path"),
        (f"{FRONT}image:\n  credit: Stadt\n", "image needs at least a src"),
        (f"{FRONT}boilerplate:\n  title: Über uns\n", "boilerplate needs a text"),
        (f"{FRONT}contacts:\n  person: Anna Schneider\n", "contacts must be a list"),
        (f"{FRONT}contacts: [Anna Schneider]\n", "contact 1 must be a group"),
        (f"{FRONT}contacts:\n  - person: A\n  - email: presse at example\n", "contact 2 email 'presse at example' is not an e-mail address"),
        (f"{FRONT}contacts:\n  - phone: 0221123456\n", "contact 1 phone: write the phone number in quotes"),
        (f"{FRONT}contacts:\n  - phone: keine\n", "contact 1 phone 'keine' is not a phone number"),
        (f"{FRONT}contacts:\n  - url: Presseportal der Stadt\n", "contact 1 url 'Presseportal der Stadt' is not a web address"),
        (f"{FRONT}contacts:\n  - label:\n", "contact 1 is empty"),
    ],
)
def test_front_matter_errors(tmp_path: Path, front: str, expected: str) -> None:
    assert expected in read_error(tmp_path, f"---\n{front}---\nText.")


def test_unknown_key_is_named_with_suggestion_and_allowed_keys(tmp_path: Path) -> None:
    problem = read_error(tmp_path, "---\nheadlin: Titel\ndate: 2025-09-12\nOrt: Auenbrück\n---\nText.")
    assert problem.startswith("unknown front-matter keys 'headlin' (did you mean 'headline'?), 'Ort';")
    assert "allowed keys: language, number, headline, subheadline, date, place, embargo" in problem


def test_unknown_contact_key(tmp_path: Path) -> None:
    problem = read_error(tmp_path, f"---\n{FRONT}contacts:\n  - person: Anna\n    emial: a@example.de\n---\nText.")
    assert problem.startswith("unknown contact 1 key 'emial' (did you mean 'email'?); allowed keys: label, organization")


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Text.\n\n![Plakat](plakat.jpg)", "line 7: images in the body are not supported"),
        ("[Klick](javascript:alert(1))", "line 5: link target 'javascript:alert(1)' is not a web, e-mail or phone address"),
        ("Siehe [Programm](programm.pdf).", "link target 'programm.pdf' is not a web"),
        ("<file:///etc/passwd>", "link target 'file:///etc/passwd'"),
        ("- Eins\n  - Unterpunkt", "line 6: a list item may hold only text paragraphs, not a list"),
        ("> ## Überschrift im Zitat", "a quotation may hold only text paragraphs, not a heading"),
        ("```\ncode\n```", "line 5: code blocks"),
        ("> — Petra Lindqvist, Oberbürgermeisterin", "the quotation names Petra Lindqvist but quotes nothing"),
    ],
)
def test_body_errors_name_the_line(tmp_path: Path, markdown: str, expected: str) -> None:
    assert expected in read_error(tmp_path, f"---\n{FRONT}---\n{markdown}\n")


def test_boilerplate_link_error_names_the_boilerplate(tmp_path: Path) -> None:
    problem = read_error(tmp_path, f"---\n{FRONT}boilerplate: Mehr [hier](ordner/datei.html).\n---\nText.")
    assert problem.startswith("boilerplate: link target 'ordner/datei.html'")


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "file is empty"), (b"%PDF-1.7\n...", "is a PDF document"), (None, "file not found")],
)
def test_source_errors_come_from_read_source(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "mitteilung.md"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ReadError, match=re.escape(f"{path}: {expected}")):
        read_markdown(path)


def test_parse_without_path_gives_bare_problem() -> None:
    with pytest.raises(ReadError) as caught:
        parse_markdown("Nur Text.")
    assert caught.value.path is None
    assert str(caught.value).startswith("no front matter")
