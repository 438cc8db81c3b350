"""The German conventions (toolkit.german): one grammar that the reader and the fact recognizer both read with.

The cases here are those where the reader's and the recognizer's date
grammars used to disagree; each is asserted on both sides.
"""

from __future__ import annotations

import ast
import datetime as dt
import time
from pathlib import Path

import pytest

from toolkit.facts import recognize
from toolkit.facts.contacts import find_phones
from toolkit.german.addresses import expand_number_series, parse_phone
from toolkit.german.dates import find_dates, parse_date, parse_date_time
from toolkit.model import SpanKind
from toolkit.read.plaintext import parse_plain_text
from toolkit.values import DateFact

RELEASE_DATE = dt.date(2024, 4, 19)
TOOLKIT = Path(__file__).resolve().parent.parent / "toolkit"


def marked_dates(text: str) -> list[tuple[str, dt.date]]:
    """The dates the fact recognizer marks in ``text``, as written and as dates."""
    return [(text[f.start : f.end], f.fact.date) for f in recognize(text, reference=RELEASE_DATE)
            if isinstance(f.fact, DateFact)]


def read_dates(text: str) -> list[tuple[str, dt.date | None]]:
    """The dates the reader finds in ``text``, as written and as dates in the release's year."""
    return [(text[hit.start : hit.end], hit.on(RELEASE_DATE.year)) for hit in find_dates(text)]


@pytest.mark.parametrize(
    ("text", "written", "date"),
    [
        # Austrian January and the abbreviations CLDR does not list.
        ("Wien, am 15. Jänner 2024 eröffnet", "15. Jänner 2024", dt.date(2024, 1, 15)),
        ("bis 3. Febr. 2025 verlängert", "3. Febr. 2025", dt.date(2025, 2, 3)),
        # A numeric date closing a sentence: the reader used to pass it over, the recognizer marked it.
        ("Die Frist endet am 12.06.2024.", "12.06.2024", dt.date(2024, 6, 12)),
        # A weekday with "dem" belongs to the date on both sides.
        ("Anklage am Freitag, dem 08.09.2023 erhoben", "Freitag, dem 08.09.2023", dt.date(2023, 9, 8)),
        # The genitive: "des 20. Oktobers".
        ("in den Mittagsstunden des 20. Oktobers", "20. Oktobers", dt.date(2024, 10, 20)),
    ],
)
def test_reader_and_facts_read_the_same_date(text: str, written: str, date: dt.date) -> None:
    assert read_dates(text) == [(written, date)]
    assert marked_dates(text) == [(written, date)]


@pytest.mark.parametrize(
    "text",
    [
        "In der 3. Märzwoche beginnt der Umbau.",  # a month inside a longer word
        "Zur 14. Mai-Feier kamen viele.",
        "Version 1.5.2 und die Adresse 10.11.12.13",  # numbers with dots, not dates
        "Akte Nr. 19.04.3024",  # no year a release speaks of
    ],
)
def test_neither_reader_nor_facts_take_what_is_no_date(text: str) -> None:
    assert find_dates(text) == []
    assert marked_dates(text) == []


def test_dem_without_a_weekday_belongs_to_the_sentence() -> None:
    text = "Ab dem 1. Juni ist das Bürgerbüro donnerstags länger geöffnet."
    assert read_dates(text) == [("1. Juni", dt.date(2024, 6, 1))]
    assert marked_dates(text) == [("1. Juni", dt.date(2024, 6, 1))]


def test_den_opens_a_dateline_but_is_no_part_of_a_marked_date() -> None:
    text = "Magdeburg, den 4. Februar 2004"
    assert read_dates(text) == [("den 4. Februar 2004", dt.date(2004, 2, 4))]
    assert marked_dates(text) == [("4. Februar 2004", dt.date(2004, 2, 4))]
    release = parse_plain_text(f"Land fördert neue Radwege\n\n{text}\n\nDas Land fördert neue Radwege in allen Kreisen.")
    assert (release.date, release.place) == (dt.date(2004, 2, 4), "Magdeburg")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Stand: 2024-04-19", dt.date(2024, 4, 19)),
        ("(07.11.09)", dt.date(2009, 11, 7)),
        ("Posted Apr 19, 2024", dt.date(2024, 4, 19)),
        ("Posted 19 Apr 2024", dt.date(2024, 4, 19)),
    ],
)
def test_the_reader_reads_web_page_dates_that_are_no_facts_to_localize(text: str, date: dt.date) -> None:
    assert [hit.on() for hit in find_dates(text)] == [date]
    assert marked_dates(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sperrfrist: 12.06.2024, 10:00 Uhr", (dt.date(2024, 6, 12), dt.time(10, 0))),
        ("10.09.2025,10:00", (dt.date(2025, 9, 10), dt.time(10, 0))),  # no space after the comma
        ("Freitag, 19. April 2024 um 9.30 Uhr", (dt.date(2024, 4, 19), dt.time(9, 30))),
        ("19. April 2024, 25:00 Uhr", (dt.date(2024, 4, 19), None)),
        ("31. Februar 2024", (None, None)),
    ],
)
def test_an_embargo_date_and_time(text: str, expected: tuple[dt.date | None, dt.time | None]) -> None:
    assert parse_date_time(text) == expected


def test_a_year_is_only_a_year_a_release_speaks_of() -> None:
    assert parse_date("am 19. April 3024") is None
    assert read_dates("am 19. April 3024") == [("19. April", dt.date(2024, 4, 19))]


def test_a_number_series_gives_the_same_numbers_to_the_reader_and_the_facts() -> None:
    written = "030 227-32924/32929"
    read = [parse_phone(number).e164 for number in expand_number_series(written)]
    marked = [found.fact.e164 for found in find_phones(f"Telefon {written}")]  # type: ignore[union-attr]
    assert read == marked == ["+493022732924", "+493022732929"]


def test_facts_mark_phones_but_not_dates_that_look_like_numbers() -> None:
    kinds = [(text, f.kind) for text in ["am 06.12.2019 um", "Tel. 0211 837-1134"] for f in recognize(text, reference=RELEASE_DATE)]
    assert kinds == [("am 06.12.2019 um", SpanKind.DATE), ("Tel. 0211 837-1134", SpanKind.PHONE)]


def _imports(folder: Path) -> set[tuple[str, str]]:
    """(module file, imported module) for every relative or toolkit import below ``folder``."""
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("toolkit")):
                found.add((path.name, "." * node.level + (node.module or "")))
            elif isinstance(node, ast.Import):
                found.update((path.name, alias.name) for alias in node.names if alias.name.startswith("toolkit"))
    return found


def test_the_german_conventions_sit_below_the_reader_and_the_facts() -> None:
    allowed = {"..errors", "..model", "..limits", "toolkit.errors", "toolkit.model", "toolkit.limits"}
    german = {(name, module) for name, module in _imports(TOOLKIT / "german") if module not in allowed
              and not (module.startswith(".") and not module.startswith(".."))}
    assert german == set()
    assert {module for _, module in _imports(TOOLKIT / "facts") if "read" in module} == set()
    assert {module for _, module in _imports(TOOLKIT / "read") if "facts" in module} == set()


def test_a_long_run_of_dotted_digits_is_scanned_for_e_mail_addresses_in_linear_time() -> None:
    # Each position inside the run used to start a scan to its end: 20 000 characters took seconds.
    started = time.perf_counter()
    assert recognize("1.2." * 5000 + " presse@example.de", reference=RELEASE_DATE)[-1].kind == SpanKind.EMAIL
    assert time.perf_counter() - started < 2
