"""The plain-text reader on the seed, on varied real-world layouts and on awkward input."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES

from toolkit.errors import ReadError, ReaderWarning
from toolkit.model import (
    Heading,
    LinkLine,
    ListBlock,
    Paragraph,
    PhoneKind,
    Quote,
    Release,
)
from toolkit.read import read_release
from toolkit.read.plaintext import parse_plain_text, read_plain_text
from toolkit.release_json import dumps, loads

# -- the seed ----------------------------------------------------------------


@pytest.fixture
def seed(seed_path: Path) -> Release:
    # The seed's "… finden Sie hier." lost its link on the way from the web page: the reader says so.
    with pytest.warns(ReaderWarning, match="has no address"):
        return read_plain_text(seed_path)


def test_seed_headline_and_subheadline(seed: Release) -> None:
    assert seed.headline.text == "Ministerpräsident Wüst besucht Microsoft-Unternehmenszentrale in Seattle"
    assert [line.text for line in seed.subheadline] == [
        "Austausch mit Vice-Chair und President Brad Smith",
        "Microsoft baut seine Aktivität in Nordrhein-Westfalen aus",
        "Internationale Partnerkonferenz „Microsoft AI Partner Training Roadshow“ im Mai in Bonn",
    ]


def test_seed_date_and_image(seed: Release) -> None:
    assert seed.date == dt.date(2024, 4, 19)
    assert seed.image is not None
    assert seed.image.title is not None and seed.image.title.text == "Ministerpräsident Wüst besucht Microsoft-Zentrale in Seattle"
    assert seed.image.caption is not None and seed.image.caption.text.startswith("Nach dem Gespräch mit Brad Smith")
    assert seed.image.credit == "Staatskanzlei Nordrhein-Westfalen"


def test_seed_body_has_every_paragraph_and_no_navigation(seed: Release, seed_path: Path) -> None:
    source_paragraphs = [p.strip() for p in seed_path.read_text("utf-8").split("\n\n")]
    first_body = next(i for i, p in enumerate(source_paragraphs) if p.startswith("Nordrhein-Westfalen und Microsoft wollen"))
    last_body = next(i for i, p in enumerate(source_paragraphs) if p.startswith("Weitere Informationen"))
    expected = source_paragraphs[first_body : last_body + 1]
    assert [block.text.text for block in seed.body] == expected  # type: ignore[union-attr]
    everything = dumps(seed)
    assert "Überblick" not in everything
    assert '"Kontakt"' not in everything


def test_seed_quotes_and_speakers(seed: Release) -> None:
    quotes = [block for block in seed.body if isinstance(block, Quote)]
    assert len(quotes) >= 3
    assert [(q.speaker.name if q.speaker else None) for q in quotes] == ["Hendrik Wüst", "Brad Smith", "Wüst"]
    assert quotes[0].speaker is not None and str(quotes[0].speaker.role) == "Ministerpräsident"
    assert quotes[1].speaker is not None and str(quotes[1].speaker.role) == "Vice Chair und Präsident von Microsoft"
    assert all(q.attributed_in_text for q in quotes)
    # The paragraph that only mentions the „Tech-Accord“ in quotation marks is not a quote.
    tech_accord = next(b for b in seed.body if "Tech-Accord" in b.text.text)  # type: ignore[union-attr]
    assert isinstance(tech_accord, Paragraph)


def test_seed_link_line(seed: Release) -> None:
    assert isinstance(seed.body[-1], LinkLine)
    assert seed.body[-1].text.text.endswith("finden Sie hier.")
    assert seed.body[-1].url is None


def test_seed_contacts(seed: Release) -> None:
    assert [(c.label.text if c.label else None) for c in seed.contacts] == ["Pressekontakt", "Bürgeranfragen"]
    assert [c.emails for c in seed.contacts] == [("presse@stk.nrw.de",), ("nrwdirekt@nrw.de",)]
    assert [[p.e164 for p in c.phones] for c in seed.contacts] == [["+492118371134"], ["+4921183701"]]
    assert [[p.number for p in c.phones] for c in seed.contacts] == [["0211 / 837-1134"], ["0211837-01"]]
    assert {c.organization for c in seed.contacts} == {"Staatskanzlei Nordrhein-Westfalen"}


def test_seed_round_trips_through_json(seed: Release) -> None:
    assert loads(dumps(seed)) == seed


# -- varied releases with written expectations ---------------------------------


def _cases() -> list[Path]:
    candidates = [*(FIXTURES / "plaintext").glob("*.txt"), *EXAMPLES.glob("*.txt")]
    return sorted(path for path in candidates if path.with_suffix(".expected.json").is_file())


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.name)
def test_release_matches_its_expectations(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    expected_warnings = expected.get("warnings", ["Windows-1252"] if "cp1252" in path.name or "latin1" in path.name else [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        release = read_release(path)
    messages = [str(warning.message) for warning in caught if issubclass(warning.category, ReaderWarning)]
    for expected_warning in expected_warnings:
        assert any(expected_warning in message for message in messages), messages
    assert len(messages) == len(expected_warnings), messages
    _check(release, expected)


class _no_warning:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _starts(texts: list[str], expected: list[str]) -> None:
    assert len(texts) == len(expected), f"{len(texts)} found, {len(expected)} expected: {[t[:30] for t in texts]}"
    for text, start in zip(texts, expected):
        assert text.startswith(start), f"{text[:60]!r} does not start with {start!r}"


def _check(release: Release, expected: dict) -> None:  # type: ignore[type-arg]
    assert release.headline.text == expected["headline"]
    assert [t.text for t in release.subheadline] == expected["subheadline"]
    assert release.date.isoformat() == expected["date"]
    assert release.place == expected["place"]
    if expected["embargo"] is None:
        assert release.embargo is None
    else:
        assert release.embargo is not None
        assert release.embargo.date.isoformat() == expected["embargo"]["date"]
        time = expected["embargo"].get("time")
        assert (release.embargo.time.strftime("%H:%M") if release.embargo.time else None) == time
    assert release.number == expected["number"]
    if expected["image"] is None:
        assert release.image is None
    else:
        image = release.image
        assert image is not None
        assert (image.title.text if image.title else None) == expected["image"]["title"]
        assert (image.caption.text if image.caption else None) == expected["image"]["caption"]
        assert image.credit == expected["image"]["credit"]
    quotes = [b for b in release.body if isinstance(b, Quote)]
    assert [(q.speaker.name if q.speaker else None) for q in quotes] == [q["speaker"] for q in expected["quotes"]]
    assert [(str(q.speaker.role) if q.speaker and q.speaker.role else None) for q in quotes] == [q["role"] for q in expected["quotes"]]
    _starts([q.text.text for q in quotes], [q["starts_with"] for q in expected["quotes"]])
    paragraphs = [b.text.text for b in release.body if isinstance(b, (Paragraph, Heading))]
    _starts(paragraphs, expected["paragraph_starts"])
    assert [[item.text for item in b.items] for b in release.body if isinstance(b, ListBlock)] == expected["lists"]
    assert [b.text.text for b in release.body if isinstance(b, LinkLine)] == expected["link_lines"]
    boilerplate = release.boilerplate
    assert (boilerplate.title.text if boilerplate and boilerplate.title else None) == expected["boilerplate_title"]
    _starts([p.text for p in boilerplate.paragraphs] if boilerplate else [], expected["boilerplate_starts"])
    assert len(release.contacts) == len(expected["contacts"])
    for contact, want in zip(release.contacts, expected["contacts"]):
        assert (contact.label.text if contact.label else None) == want["label"]
        assert contact.organization == want["organization"]
        assert contact.person == want["person"]
        by_kind = lambda kind: [p.e164 for p in contact.phones if p.kind == kind]  # noqa: E731
        assert by_kind(PhoneKind.PHONE) == want["phones_e164"]
        assert by_kind(PhoneKind.FAX) == want["fax_e164"]
        assert by_kind(PhoneKind.MOBILE) == want["mobile_e164"]
        assert list(contact.emails) == want["emails"]
        assert list(contact.urls) == want["urls"]
    everything = dumps(release)
    for absent in expected["absent"]:
        assert f'"{absent}"' not in everything


# -- awkward input ---------------------------------------------------------------


RELEASE = """Stadt eröffnet neue Bibliothek

Köln, 3. Mai 2023

Die Stadt Köln eröffnet am Samstag ihre neue Zentralbibliothek. Für den Bau wurden 48,5 Millionen Euro investiert.

„Die Bibliothek ist ein Ort für alle Kölnerinnen und Kölner“, sagte Oberbürgermeisterin Henriette Muster.

Pressekontakt
Stadt Köln, Presseamt
Telefon: 0221 / 221-26456
E-Mail: presse [at] example.de
"""


def test_windows_1252_text_is_read_with_a_warning_naming_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(RELEASE.replace("Die Stadt", "Die Stadt – mit 1,5 Mio. € –").encode("cp1252"))
    with pytest.warns(ReaderWarning, match=r"cp1252\.txt: not UTF-8; read as Windows-1252"):
        release = read_plain_text(path)
    assert release.headline.text == "Stadt eröffnet neue Bibliothek"
    assert "– mit 1,5 Mio. € –" in release.body[0].text.text  # type: ignore[union-attr]
    assert release.body[1].text.text.startswith("„Die Bibliothek")  # type: ignore[union-attr]


def test_latin_1_text_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(RELEASE.replace("„", '"').replace("“", '"').encode("latin-1"))
    with pytest.warns(ReaderWarning, match="Windows-1252 \\(Latin-1\\)"):
        release = read_plain_text(path)
    assert release.headline.text == "Stadt eröffnet neue Bibliothek"
    assert release.contacts[0].emails == ("presse@example.de",)


def test_utf8_with_byte_order_mark_and_crlf_reads_without_warning(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + RELEASE.replace("\n", "\r\n").encode("utf-8"))
    release = read_plain_text(path)
    assert release.headline.text == "Stadt eröffnet neue Bibliothek"
    assert release.place == "Köln"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\n \t\n", "file is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF document, not a text release"),
        (bytes(range(256)) * 8, "is a binary file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP container"),
    ],
    ids=["empty", "blank", "pdf", "binary", "docx"],
)
def test_unreadable_files_give_one_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "release.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message) as raised:
        read_plain_text(path)
    assert str(raised.value).startswith(str(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"missing\.txt: file not found"):
        read_release(tmp_path / "missing.txt")


def test_only_header_lines_is_an_error() -> None:
    with pytest.raises(ReadError, match="no release text found"):
        parse_plain_text("Pressemitteilung\n\n19. April 2024\n", path="x.txt")


def test_no_headline_line_takes_the_first_sentence_with_a_warning() -> None:
    long_first_line = "Die Stadt Köln eröffnet am Samstag ihre neue Zentralbibliothek, die größte im Land. " * 4
    with pytest.warns(ReaderWarning, match=r"x\.txt: no line reads as a headline; the first sentence stands in"):
        release = parse_plain_text(long_first_line + "\n\n19. April 2024\n\nText.", path="x.txt")
    assert release.headline.text == "Die Stadt Köln eröffnet am Samstag ihre neue Zentralbibliothek, die größte im Land."
    assert release.date == dt.date(2024, 4, 19)


def test_no_body_keeps_the_headline_as_the_only_paragraph() -> None:
    with pytest.warns(ReaderWarning, match="no body text found"):
        release = parse_plain_text("Stadt eröffnet Bibliothek\n\n3. Mai 2023\n", path="x.txt")
    assert release.headline.text == "Stadt eröffnet Bibliothek"
    assert [block.text.text for block in release.body] == ["Stadt eröffnet Bibliothek"]  # type: ignore[union-attr]


def test_no_date_is_a_warning_and_the_release_is_undated() -> None:
    with pytest.warns(ReaderWarning, match=r"x\.txt: no release date found; the sheet shows no date line"):
        release = parse_plain_text("Stadt eröffnet Bibliothek\n\nDie Stadt eröffnet am Samstag ihre Bibliothek.\n", path="x.txt")
    assert release.date is None
    assert release.headline.text == "Stadt eröffnet Bibliothek"


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "figures.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(ReadError, match=r"unsupported file type '\.xlsx'"):
        read_release(path)


def test_dateline_inside_first_paragraph() -> None:
    release = parse_plain_text(
        "Museum zeigt Werke von Paula Muster\n\n"
        "Bonn, 14. März 2025 – Das Kunstmuseum zeigt ab Freitag 120 Werke der Malerin.\n\n"
        "Die Ausstellung läuft bis zum 31. August 2025.\n"
    )
    assert (release.place, release.date) == ("Bonn", dt.date(2025, 3, 14))
    assert release.body[0].text.text.startswith("Bonn, 14. März 2025 – Das Kunstmuseum")  # type: ignore[union-attr]


def test_header_lines_number_embargo_and_issuer() -> None:
    release = parse_plain_text(
        "Ministerium für Beispiele\nPressemitteilung Nr. 123/2024\n\n"
        "Sperrfrist: 12.06.2024, 10:00 Uhr\n\n"
        "Land fördert 40 neue Radwege\n\n"
        "Düsseldorf, 11. Juni 2024\n\n"
        "Das Land stellt 12,5 Millionen Euro für neue Radwege bereit.\n"
    )
    assert release.issuer == "Ministerium für Beispiele"
    assert release.number == "123/2024"
    assert release.embargo is not None
    assert (release.embargo.date, release.embargo.time) == (dt.date(2024, 6, 12), dt.time(10, 0))
    assert release.headline.text == "Land fördert 40 neue Radwege"
    assert (release.place, release.date) == ("Düsseldorf", dt.date(2024, 6, 11))
