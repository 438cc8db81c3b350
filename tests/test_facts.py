"""Recognizers for facts in German text, one kind at a time, and on the seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit.facts import FactEntry, list_facts, mark_facts, recognize
from toolkit.model import SpanKind
from toolkit.read import read_release
from toolkit.release_json import dumps, loads
from toolkit.values import (
    AmountFact,
    DateFact,
    DateRangeFact,
    EmailFact,
    MonthFact,
    NumberFact,
    PercentFact,
    PhoneFact,
    TimeFact,
    UrlFact,
)

REFERENCE = dt.date(2024, 4, 19)


def facts_in(text: str, reference: dt.date = REFERENCE) -> list[tuple[str, object]]:
    return [(text[f.start : f.end], f.fact) for f in recognize(text, reference=reference)]


@pytest.mark.parametrize(
    ("text", "written", "fact"),
    [
        ("am 19. April 2024 in Bonn", "19. April 2024", DateFact(date=dt.date(2024, 4, 19))),
        ("am Freitag, 19. April 2024, in Bonn", "Freitag, 19. April 2024", DateFact(date=dt.date(2024, 4, 19), weekday=True)),
        ("bis 19.04.2024 melden", "19.04.2024", DateFact(date=dt.date(2024, 4, 19), style="numeric")),
        ("am 22. Mai in Bonn", "22. Mai", DateFact(date=dt.date(2024, 5, 22), year=False)),
        ("vom 10. bis 12. Oktober 2025", "10. bis 12. Oktober 2025",
         DateRangeFact(start=dt.date(2025, 10, 10), end=dt.date(2025, 10, 12))),
        ("am 3. und 4. Juni", "3. und 4. Juni",
         DateRangeFact(start=dt.date(2024, 6, 3), end=dt.date(2024, 6, 4), relation="pair", year=False)),
        ("seit April 2024", "April 2024", MonthFact(year=2024, month=4)),
    ],
)
def test_dates(text: str, written: str, fact: object) -> None:
    assert facts_in(text) == [(written, fact)]


def test_day_without_year_in_the_next_year() -> None:
    assert facts_in("am 15. Januar", reference=dt.date(2024, 11, 20)) == [("15. Januar", DateFact(date=dt.date(2025, 1, 15), year=False))]


@pytest.mark.parametrize("text", ["Mitte März", "Ende 2025", "Anfang des Jahres", "im Frühjahr 2025", "seit 1989"])
def test_vague_dates_and_years_stay_text(text: str) -> None:
    assert facts_in(text) == []


@pytest.mark.parametrize(
    ("text", "written", "fact"),
    [
        ("um 14:30 Uhr", "14:30 Uhr", TimeFact(time=dt.time(14, 30))),
        ("um 14 Uhr", "14 Uhr", TimeFact(time=dt.time(14))),
        ("ab 10.00 Uhr", "10.00 Uhr", TimeFact(time=dt.time(10))),
        ("von 14 bis 18 Uhr", "14 bis 18 Uhr", TimeFact(time=dt.time(14), end=dt.time(18))),
    ],
)
def test_times(text: str, written: str, fact: object) -> None:
    assert facts_in(text) == [(written, fact)]


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [("100.000 Menschen", "100.000", "100000"), ("Faktor 3,2 höher", "3,2", "3.2"), ("1.250,50 Stück", "1.250,50", "1250.50")],
)
def test_numbers_keep_the_decimals_written(text: str, written: str, value: str) -> None:
    [(found, fact)] = facts_in(text)
    assert found == written
    assert fact == NumberFact(value=Decimal(value))
    assert str(fact.value) == value  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text", ["der 40-jährigen Firmengeschichte", "eine 3-Zimmer-Wohnung", "auf der B 54", "Pressemitteilung Nr. 123/2024",
             "in den 1960er-Jahren", "Web 2.0", "das H2-Netz", "zum 3. Mal"],
)
def test_compounds_and_codes_stay_text(text: str) -> None:
    assert facts_in(text) == []


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("3,2 Milliarden Euro", AmountFact(value=Decimal("3.2"), currency="EUR", scale=9)),
        ("1,5 Mio. €", AmountFact(value=Decimal("1.5"), currency="EUR", scale=6)),
        ("EUR 250.000", AmountFact(value=Decimal("250000"), currency="EUR")),
        ("500 Euro", AmountFact(value=Decimal("500"), currency="EUR")),
        ("2 Mrd. US-Dollar", AmountFact(value=Decimal("2"), currency="USD", scale=9)),
        ("13,50 €", AmountFact(value=Decimal("13.50"), currency="EUR")),
        ("34,2 Cent", AmountFact(value=Decimal("34.2"), currency="EUR", minor=True)),
    ],
)
def test_amounts(text: str, fact: AmountFact) -> None:
    assert facts_in(f"Es geht um {text} im Jahr.") == [(text, fact)]


def test_amount_total() -> None:
    assert AmountFact(value=Decimal("3.2"), currency="EUR", scale=9).total == Decimal("3200000000")
    assert AmountFact(value=Decimal("34.2"), currency="EUR", minor=True).total == Decimal("0.342")


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("12,5 Prozent", PercentFact(value=Decimal("12.5"))),
        ("12,5 %", PercentFact(value=Decimal("12.5"))),
        ("31%", PercentFact(value=Decimal("31"))),
        ("2,5 Prozentpunkte", PercentFact(value=Decimal("2.5"), points=True)),
        ("einen Prozentpunkt", None),
    ],
)
def test_percentages(text: str, fact: PercentFact | None) -> None:
    assert facts_in(f"stieg um {text}.") == ([(text, fact)] if fact else [])


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("0211 / 837-1134", "+492118371134"),
        ("0211837-01", "+4921183701"),
        ("+49 (0)211 5867-3505", "+4921158673505"),
        ("(069) 798 12498", "+496979812498"),
        ("0171 2345678", "+491712345678"),
    ],
)
def test_phones(written: str, e164: str) -> None:
    assert facts_in(f"Telefon: {written} (werktags)") == [(written, PhoneFact(e164=e164))]


@pytest.mark.parametrize(
    ("written", "address"),
    [
        ("presse@example.de", "presse@example.de"),
        ("presse [at] example.de", "presse@example.de"),
        ("presse(at)example.de", "presse@example.de"),
        ("presse [at] example [dot] de", "presse@example.de"),
    ],
)
def test_emails(written: str, address: str) -> None:
    assert facts_in(f"Schreiben Sie an {written}.") == [(written, EmailFact(address=address))]


@pytest.mark.parametrize(
    ("written", "url"),
    [("https://www.example.de/presse", "https://www.example.de/presse"), ("www.example.de", "https://www.example.de")],
)
def test_urls(written: str, url: str) -> None:
    assert facts_in(f"Mehr unter {written}.") == [(written, UrlFact(url=url))]


def test_an_amount_is_one_fact_not_a_number_and_an_amount() -> None:
    assert [kind for kind in (f.kind for f in recognize("rund 1,8 Milliarden Euro", reference=REFERENCE))] == [SpanKind.AMOUNT]


# -- the seed -------------------------------------------------------------------


@pytest.fixture
def seed_facts(seed_path: Path) -> list[FactEntry]:
    return list_facts(mark_facts(read_release(seed_path)))


def test_seed_facts_are_exactly_these(seed_facts: list[FactEntry]) -> None:
    assert [(entry.source, entry.fact) for entry in seed_facts] == [
        ("19. April 2024", DateFact(date=dt.date(2024, 4, 19))),
        ("Freitag, 19. April 2024", DateFact(date=dt.date(2024, 4, 19), weekday=True)),
        ("3,2 Milliarden Euro", AmountFact(value=Decimal("3.2"), currency="EUR", scale=9)),
        ("22. Mai 2024", DateFact(date=dt.date(2024, 5, 22))),
        ("100.000", NumberFact(value=Decimal("100000"))),
        ("0211 / 837-1134", PhoneFact(e164="+492118371134")),
        ("presse@stk.nrw.de", EmailFact(address="presse@stk.nrw.de")),
        ("0211837-01", PhoneFact(e164="+4921183701")),
        ("nrwdirekt@nrw.de", EmailFact(address="nrwdirekt@nrw.de")),
    ]


def test_seed_vague_expressions_and_compounds_stay_text(seed_facts: list[FactEntry]) -> None:
    sources = " | ".join(entry.source for entry in seed_facts)
    for text in ("Ende 2025", "2025", "Mitte März", "März", "40-jährigen", "40"):
        assert text not in sources.split(" | "), text


def test_marked_facts_survive_the_json_round_trip(seed_path: Path) -> None:
    release = mark_facts(read_release(seed_path))
    assert loads(dumps(release)) == release


def test_marking_twice_gives_the_same_release(seed_path: Path) -> None:
    once = mark_facts(read_release(seed_path))
    assert mark_facts(once) == once
