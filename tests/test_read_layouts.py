"""The plain-text reader on the layouts real releases arrive in (``tests/fixtures/releases/``).

Each fixture imitates one layout with invented text (see the folder's
README) and says what must be read. The reader must read every one — a
missing date or headline is a warning, never a refusal — and get the facts
a press officer checks first: headline, date, place, number, embargo, the
contacts' e-mail addresses and phone numbers; it must not invent a speaker,
and web residue must not reach the release.
"""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_cli import presskit

from toolkit.errors import ReadError, ReaderWarning
from toolkit.model import Quote, Release, SpanKind, iter_texts
from toolkit.read import read_release
from toolkit.read.plaintext import parse_plain_text
from toolkit.release_json import dumps

LAYOUTS = FIXTURES / "releases"
CASES = sorted(LAYOUTS.glob("*.txt"))


def read_with_warnings(path: Path) -> tuple[Release, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        release = read_release(path)
    return release, [str(warning.message) for warning in caught if issubclass(warning.category, ReaderWarning)]


def emails_read(release: Release) -> set[str]:
    found = {email.lower() for contact in release.contacts for email in contact.emails}
    for text in iter_texts(release):
        found |= {str(span.value).removeprefix("mailto:").lower() for span in text.spans if span.kind == SpanKind.EMAIL}
    return found


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_layout_is_read(path: Path) -> None:
    expected: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    release, messages = read_with_warnings(path)
    assert all(message.startswith(str(path)) for message in messages), "every warning names the file"
    for wanted in expected.get("warnings", []):
        assert any(wanted in message for message in messages), (wanted, messages)
    assert release.headline.text == expected["headline"]
    if "date" in expected:
        assert (release.date.isoformat() if release.date else None) == expected["date"]
    for key in ("place", "number"):
        if key in expected:
            assert getattr(release, key) == expected[key], key
    if "embargo" in expected:
        assert (release.embargo.date.isoformat() if release.embargo else None) == expected["embargo"]
    if "emails" in expected:
        assert emails_read(release) == set(expected["emails"])
    if "phones" in expected:
        assert {phone.e164 for contact in release.contacts for phone in contact.phones} == set(expected["phones"])
    if "speakers" in expected:
        speakers = {block.speaker.name for block in release.body if isinstance(block, Quote) and block.speaker}
        assert speakers <= set(expected["speakers"]), "a speaker was invented"
    printed = dumps(release)
    for absent in expected.get("absent", []):
        texts = [release.headline.text, *(line.text for line in release.subheadline), *(text.text for text in iter_texts(release.body))]
        assert not any(absent in text for text in texts), absent
    assert "Traceback" not in printed


def test_quotes_read_across_the_layouts() -> None:
    """Across all layouts, most quoted people are recognized (a quotation paragraph with its speaker)."""
    wanted = found = 0
    for path in CASES:
        expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
        release, _ = read_with_warnings(path)
        speakers = {block.speaker.name for block in release.body if isinstance(block, Quote) and block.speaker}
        wanted += len(expected.get("speakers", []))
        found += len(speakers & set(expected.get("speakers", [])))
    assert found >= 0.85 * wanted, f"{found} of {wanted} speakers"


@pytest.mark.parametrize("name", ["11-ohne-jahr-nirgends", "24-eine-zeile", "31-idw-universitaet"])
def test_presskit_parse_reads_the_layout_with_warnings_on_standard_error(name: str, tmp_path: Path) -> None:
    result = presskit("parse", LAYOUTS / f"{name}.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["headline"]
    assert "Traceback" not in result.stderr
    assert all(line.startswith("warning: ") for line in result.stderr.splitlines())


def test_undated_release_builds_a_sheet_without_a_date_line(tmp_path: Path) -> None:
    result = presskit("build", LAYOUTS / "13-ots-ohne-datum.txt", "--lang", "de", "--format", "html,json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no release date found" in result.stderr
    [folder] = [path for path in (tmp_path / "output").iterdir() if not path.name.startswith(".")]
    assert not folder.name[:4].isdigit(), "the slug of an undated release has no date"
    html = (folder / "de.html").read_text("utf-8")
    assert 'class="date"' not in html or "<time" not in html.split('class="date"', 1)[1].split("</p>", 1)[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000))
def test_any_text_gives_a_release_or_one_error_line_quickly(text: str) -> None:
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            release = parse_plain_text(text, path="fuzz.txt")
        except ReadError as error:
            assert "\n" not in str(error) and str(error).startswith("fuzz.txt: ")
        else:
            assert release.headline.text.strip() and release.body
    assert time.perf_counter() - started < 2.0


_LINE = st.sampled_from([
    "Pressemitteilung Nr. 12/2024", "POL-XY: Einbruch in Kiosk", "14.02.2024", "10:32 Uhr", "Musterstadt (ots)",
    "Sperrfrist: 12.06.2024, 10:00 Uhr", "„Wir freuen uns“, sagte Anna Beispiel.", "Pressekontakt:", "Tel. 0511 123-45",
    "E-Mail: presse [at] example.de", "Über die Beispiel AG", "Teilen", "Drucken", "Startseite > Presse",
    "Die Stadt baut eine neue Brücke über den Fluss. Sie kostet 3,2 Millionen Euro.", "Weitere Storys: Beispiel",
    "Original-Content von: Beispiel, übermittelt durch news aktuell", "", "",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=40))
def test_any_arrangement_of_release_lines_is_read_or_refused_in_one_line(lines: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            release = parse_plain_text("\n".join(lines), path="mix.txt")
        except ReadError as error:
            assert "\n" not in str(error)
        else:
            assert release.headline.text.strip()
