"""The release model and its JSON form."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from toolkit.errors import ReadError
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
    Span,
    SpanKind,
    Speaker,
    Text,
)
from toolkit.release_json import SCHEMA_VERSION, dumps, loads


def full_release() -> Release:
    quote = Text.plain("„Wir investieren 1,8 Milliarden Euro“, sagte Dr. Eva Roth.").mark("Dr. Eva Roth", SpanKind.PERSON)
    return Release(
        language="de",
        headline=Text.plain("Land baut Wasserstoffnetz aus"),
        subheadline=(Text.plain("Erste Leitung geht 2026 in Betrieb"),),
        date=dt.date(2025, 5, 22),
        place="Düsseldorf",
        embargo=Embargo(date=dt.date(2025, 5, 22), time=dt.time(10, 0)),
        number="123/2025",
        issuer="Staatskanzlei Beispielland",
        image=Image(title=Text.plain("Spatenstich"), caption=Text.plain("Der Spatenstich in Duisburg."), credit="Land / M. Muster"),
        body=(
            Paragraph(text=Text.plain("Am 22. Mai 2025 beginnt der Bau.").mark("22. Mai 2025", SpanKind.DATE, "2025-05-22")),
            Quote(text=quote, speaker=Speaker(name="Dr. Eva Roth", role="Ministerin"), attributed_in_text=True),
            Heading(text=Text.plain("Zeitplan"), level=1),
            ListBlock(items=(Text.plain("Planung"), Text.plain("Bau")), ordered=True),
            LinkLine(text=Text.plain("Weitere Informationen finden Sie hier."), url="https://www.example.de/h2"),
        ),
        boilerplate=Boilerplate(title=Text.plain("Über das Land"), paragraphs=(Text.plain("Das Land …"),)),
        contacts=(
            Contact(
                label=Text.plain("Pressekontakt"), organization="Staatskanzlei", person="Anna Schneider", role="Sprecherin",
                address=("Musterstraße 1", "40213 Düsseldorf"),
                phones=(Phone(number="0211 / 837-1134", e164="+492118371134"), Phone(number="0211 837-1100", kind=PhoneKind.FAX)),
                emails=("presse@example.de",), urls=("https://www.example.de",),
            ),
        ),
        keywords=("Wasserstoff",),
    )


def test_json_round_trip_gives_an_equal_release() -> None:
    release = full_release()
    assert loads(dumps(release)) == release


def test_json_form_is_versioned_and_readable() -> None:
    data = json.loads(dumps(full_release()))
    assert data["schema"] == "press-toolkit/release"
    assert data["version"] == SCHEMA_VERSION
    assert data["date"] == "2025-05-22"
    assert data["embargo"] == {"date": "2025-05-22", "time": "10:00:00"}
    assert [block["type"] for block in data["body"]] == ["paragraph", "quote", "heading", "list", "link"]


def test_json_from_a_newer_toolkit_is_refused_with_the_file_name() -> None:
    data = json.loads(dumps(full_release()))
    data["version"] = SCHEMA_VERSION + 1
    with pytest.raises(ReadError, match=rf"^rel\.json: release JSON version {SCHEMA_VERSION + 1} is not supported"):
        loads(json.dumps(data), path="rel.json")


def test_invalid_json_names_the_place_of_the_problem() -> None:
    data = json.loads(dumps(full_release()))
    data["date"] = "2025-02-30"
    with pytest.raises(ReadError, match=r"invalid release JSON at date"):
        loads(json.dumps(data), path="rel.json")
    with pytest.raises(ReadError, match=r"not valid JSON \(line 1"):
        loads("{", path="rel.json")


def test_spans_must_lie_inside_the_text_and_not_overlap() -> None:
    with pytest.raises(ValueError, match="outside"):
        Text(text="abc", spans=(Span(start=1, end=5, kind=SpanKind.PERSON),))
    with pytest.raises(ValueError, match="overlap"):
        Text(text="abcdef", spans=(Span(start=0, end=3, kind=SpanKind.PERSON), Span(start=2, end=4, kind=SpanKind.ORGANIZATION)))


def test_mark_skips_occurrences_inside_existing_spans() -> None:
    text = Text.plain("Jonas Feld trifft Feld-Fans").mark("Jonas Feld", SpanKind.PERSON).mark("Feld", SpanKind.PROTECTED)
    assert [(piece, span.kind if span else None) for piece, span in text.spanned()] == [
        ("Jonas Feld", SpanKind.PERSON), (" trifft ", None), ("Feld", SpanKind.PROTECTED), ("-Fans", None),
    ]


def test_a_release_needs_headline_and_body() -> None:
    with pytest.raises(ValueError, match="headline"):
        Release(language="de", headline=Text.plain(" "), date=dt.date(2024, 1, 1), body=(Paragraph(text=Text.plain("x")),))
    with pytest.raises(ValueError, match="body"):
        Release(language="de", headline=Text.plain("T"), date=dt.date(2024, 1, 1), body=())


def test_speakers_lists_each_quoted_person_once() -> None:
    assert full_release().speakers == (Speaker(name="Dr. Eva Roth", role="Ministerin"),)


def test_a_corrected_release_keeps_its_version_and_roles_are_text_in_json() -> None:
    release = replace(full_release(), version=3, corrected=dt.date(2025, 5, 23))
    data = json.loads(dumps(release))
    assert (data["version"], data["release_version"]) == (SCHEMA_VERSION, 3)
    assert data["contacts"][0]["role"] == {"text": "Sprecherin", "spans": []}
    assert loads(dumps(release)) == release


def test_version_1_json_with_string_roles_is_still_read() -> None:
    data = json.loads(dumps(full_release()))
    data["version"] = 1
    del data["release_version"]
    data["contacts"][0]["role"] = "Sprecherin"
    quote = next(block for block in data["body"] if block["type"] == "quote")
    quote["speaker"]["role"] = "Ministerin"
    release = loads(json.dumps(data))
    assert release == full_release()
    assert str(release.contacts[0].role) == "Sprecherin"
