"""Sentence segmentation: pysbd with German corrections, offline."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from toolkit.errors import ReadError
from toolkit.facts import mark_facts
from toolkit.model import iter_texts
from toolkit.read import read_release
from toolkit.translate.protect import protect
from toolkit.translate.segment import join_sentences, split_sentences

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "plaintext"


def same_text(sentences: list[str], text: str) -> bool:
    """Joining the sentences with single spaces gives back the text, up to whitespace."""
    return re.sub(r"\s+", " ", " ".join(sentences)).strip() == re.sub(r"\s+", " ", text).strip()


GERMAN = [
    (
        "Die Konferenz findet am 19. April 2024 in Berlin statt. Sie beginnt um 9 Uhr.",
        ["Die Konferenz findet am 19. April 2024 in Berlin statt.", "Sie beginnt um 9 Uhr."],
    ),
    (
        "Es gibt viele Angebote, z. B. Führungen und Konzerte. Der Eintritt ist frei.",
        ["Es gibt viele Angebote, z. B. Führungen und Konzerte.", "Der Eintritt ist frei."],
    ),
    (
        "Dr. Müller eröffnet die Tagung. Prof. Dr. Anna Schmidt spricht danach.",
        ["Dr. Müller eröffnet die Tagung.", "Prof. Dr. Anna Schmidt spricht danach."],
    ),
    (
        "Das Projekt Nr. 5 kostet 3,2 Mrd. Euro. Die Finanzierung steht.",
        ["Das Projekt Nr. 5 kostet 3,2 Mrd. Euro.", "Die Finanzierung steht."],
    ),
    (
        "Es kamen ca. 500 Gäste, u. a. aus Frankreich bzw. Polen. Alle waren zufrieden.",
        ["Es kamen ca. 500 Gäste, u. a. aus Frankreich bzw. Polen.", "Alle waren zufrieden."],
    ),
    (
        "Das Team belegte den 2. Platz im Wettbewerb. Der Trainer war stolz.",
        ["Das Team belegte den 2. Platz im Wettbewerb.", "Der Trainer war stolz."],
    ),
    (
        "Der Verein feiert seinen 100. Geburtstag. Das Fest beginnt am 3. Oktober.",
        ["Der Verein feiert seinen 100. Geburtstag.", "Das Fest beginnt am 3. Oktober."],
    ),
    (
        "Er war der 1. Vorsitzende des Vereins. Am 2. Mai trat er zurück.",
        ["Er war der 1. Vorsitzende des Vereins.", "Am 2. Mai trat er zurück."],
    ),
    ("Der 7. Kongress tagt am 20. und 21. Juni.", ["Der 7. Kongress tagt am 20. und 21. Juni."]),
    ("Die Zahl stieg auf 250. Das ist ein Rekord.", ["Die Zahl stieg auf 250.", "Das ist ein Rekord."]),
    (
        "Die Halle in der Hauptstr. 12 ist offen. Tel. 0211 123 ist die Nummer. Fragen per E-Mail.",
        ["Die Halle in der Hauptstr. 12 ist offen.", "Tel. 0211 123 ist die Nummer.", "Fragen per E-Mail."],
    ),
    (
        "Ministerin Dr. med. Eva Klein ist ggf. anwesend. Sie spricht inkl. Fragen.",
        ["Ministerin Dr. med. Eva Klein ist ggf. anwesend.", "Sie spricht inkl. Fragen."],
    ),
    (
        "Die Studie lief bis Okt. 2024. Sie ist ca. 80 Seiten lang.",
        ["Die Studie lief bis Okt. 2024.", "Sie ist ca. 80 Seiten lang."],
    ),
    (
        'Er sagte: „Das ist gut. Wir machen weiter.“ Dann ging er.',
        ['Er sagte: „Das ist gut. Wir machen weiter.“', "Dann ging er."],
    ),
    (
        '"Das ist gelebte Gemeinschaft", sagte sie. "Wir sind stolz. Das ist schön."',
        ['"Das ist gelebte Gemeinschaft", sagte sie.', '"Wir sind stolz.', 'Das ist schön."'],
    ),
    (
        "Mehr unter www.example.de. Oder per E-Mail an info@example.de. Danke.",
        ["Mehr unter www.example.de.", "Oder per E-Mail an info@example.de.", "Danke."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), GERMAN)
def test_german_sentences(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text, language="de")
    assert sentences == expected
    assert same_text(sentences, text)


def test_a_line_break_separates_lines() -> None:
    text = "Kontakt\nPressestelle der Stadt\n\nWeitere Informationen finden Sie hier."
    assert split_sentences(text, language="de") == ["Kontakt", "Pressestelle der Stadt", "Weitere Informationen finden Sie hier."]


def test_whitespace_and_empty_text() -> None:
    assert split_sentences("", language="de") == []
    assert split_sentences("  \n ", language="de") == []
    assert split_sentences("  Ein Satz.  Noch einer.  ", language="de") == ["Ein Satz.", "Noch einer."]


def test_placeholders_stay_whole() -> None:
    text = "Am XZ1 kamen XZ2 Besucher. Das Budget beträgt XZ3. Weitere Infos: XZ4. XZ5 sagte: „XZ6 ist gut.“"
    sentences = split_sentences(text, language="de")
    assert sentences == ["Am XZ1 kamen XZ2 Besucher.", "Das Budget beträgt XZ3.", "Weitere Infos: XZ4.", "XZ5 sagte: „XZ6 ist gut.“"]
    assert re.findall(r"XZ\d+", " ".join(sentences)) == [f"XZ{n}" for n in range(1, 7)]


@pytest.mark.parametrize("language", ["en", "fr", "es", "it", "nl", "pl", "pt-BR", "sv", "en_GB"])
def test_other_languages_and_the_english_fallback(language: str) -> None:
    text = "The first part ends here. Mr. Smith said so. The second one starts now!"
    sentences = split_sentences(text, language=language)
    assert sentences[0] == "The first part ends here."
    assert sentences[-1] == "The second one starts now!"
    assert same_text(sentences, text)


def test_join_sentences() -> None:
    assert join_sentences(["Hello.", "Good bye."], language="en") == "Hello. Good bye."
    assert join_sentences([" Hello. ", "", "Good bye."], language="fr") == "Hello. Good bye."
    assert join_sentences(["你好。", "再见。"], language="zh") == "你好。再见。"
    assert join_sentences(["こんにちは。", "さようなら。"], language="ja-JP") == "こんにちは。さようなら。"


def _releases() -> list[tuple[str, object]]:
    releases = []
    paths = sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.md")) + sorted(FIXTURES.glob("*.txt"))
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the fixtures in Latin-1 warn about their encoding
            try:
                releases.append((path.name, read_release(path)))
            except ReadError:
                continue  # not a release (a do-not-translate list)
    return releases


RELEASES = _releases()


def test_the_examples_are_read() -> None:
    names = [name for name, _ in RELEASES]
    assert "wasserstoff-netz.txt" in names and "kulturnacht.md" in names
    assert len(names) >= 10


@pytest.mark.parametrize(("name", "release"), RELEASES, ids=[name for name, _ in RELEASES])
def test_joining_gives_back_the_text(name: str, release: object) -> None:
    count = 0
    for text in iter_texts(release):
        sentences = split_sentences(text.text, language="de")
        assert same_text(sentences, text.text), text.text
        assert all(sentence == sentence.strip() and sentence for sentence in sentences)
        count += len(sentences)
    assert count > 5


@pytest.mark.parametrize(("name", "release"), RELEASES, ids=[name for name, _ in RELEASES])
def test_protected_paragraphs_keep_their_placeholders(name: str, release: object) -> None:
    for text in iter_texts(mark_facts(release)):  # type: ignore[arg-type]
        protected = protect(text, replacement=lambda span, piece: piece)
        sentences = split_sentences(protected.text, language="de")
        assert same_text(sentences, protected.text)
        tokens = [slot.token for slot in protected.slots]
        assert re.findall(r"[A-Z]{2}\d+", " ".join(sentences)) == tokens


def test_the_wasserstoff_release_is_split_into_whole_sentences() -> None:
    release = dict(RELEASES)["wasserstoff-netz.txt"]
    sentences = [s for text in iter_texts(release) for s in split_sentences(text.text, language="de")]
    assert "Die Netzbetreiber investieren rund 1,8 Milliarden Euro." in sentences
    assert "Das entspricht rund 12,5 Prozent der industriellen Treibhausgasemissionen des Landes." in sentences
    assert "Land und Netzbetreiber stellen die Planungen am 22. Mai 2025 auf einer Fachkonferenz in Dortmund vor." in sentences
