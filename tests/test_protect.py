"""Placeholders: the form survives SentencePiece, restoration repairs what a model does to them."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import string

import pytest
import sentencepiece as spm

from toolkit.facts import FACT_KINDS, mark_text
from toolkit.localize import format_fact
from toolkit.model import Span, SpanKind, Text
from toolkit.translate.protect import (
    PROTECTED_KINDS,
    Protected,
    Repair,
    Restored,
    Slot,
    protect,
    restore,
)

REFERENCE = dt.date(2024, 4, 19)


def english(span: Span, piece: str) -> str:
    """The replacement the pipeline passes for an English target."""
    if span.fact is not None:
        return format_fact(span.fact, locale="en")
    if span.kind is SpanKind.TERM and span.value:
        return span.value
    return piece


def release_text() -> Text:
    text = Text.plain(
        "Ministerpräsidentin Katrin Albers hat am 19. April 2024 in Hamm mit der Westfälische Ferngas AG "
        "eine Vereinbarung über 1,8 Milliarden Euro unterzeichnet. Infos: www.example.de"
    )
    text = text.mark("Katrin Albers", SpanKind.PERSON).mark("Westfälische Ferngas AG", SpanKind.ORGANIZATION)
    return mark_text(text, reference=REFERENCE)


def assert_spans_consistent(restored: Restored, protected: Protected) -> None:
    """Every slot is in the target exactly once, as a span of the original kind, value and fact."""
    text = restored.text
    assert len(text.spans) == len(protected.slots)
    by_replacement = sorted((slot.replacement, slot.span.kind, slot.span.value, slot.span.fact) for slot in protected.slots)
    found = sorted((text.text[s.start : s.end], s.kind, s.value, s.fact) for s in text.spans)
    assert found == by_replacement


# -- the API --------------------------------------------------------------------------


def test_protected_kinds_are_the_facts_names_terms_and_links() -> None:
    assert FACT_KINDS <= PROTECTED_KINDS
    assert {SpanKind.PERSON, SpanKind.ORGANIZATION, SpanKind.PROTECTED, SpanKind.TERM, SpanKind.LINK} <= PROTECTED_KINDS
    assert SpanKind.PLACE not in PROTECTED_KINDS


def test_protect_numbers_the_spans_in_order() -> None:
    source = release_text()
    protected = protect(source, replacement=english)
    assert protected.text == (
        "Ministerpräsidentin XZ1 hat am XZ2 in Hamm mit der XZ3 eine Vereinbarung über XZ4 unterzeichnet. Infos: XZ5"
    )
    assert [slot.index for slot in protected.slots] == [1, 2, 3, 4, 5]
    assert [slot.token for slot in protected.slots] == ["XZ1", "XZ2", "XZ3", "XZ4", "XZ5"]
    assert [slot.span.kind for slot in protected.slots] == [
        SpanKind.PERSON, SpanKind.DATE, SpanKind.ORGANIZATION, SpanKind.AMOUNT, SpanKind.URL,
    ]
    assert [slot.replacement for slot in protected.slots] == [
        "Katrin Albers", "April\xa019, 2024", "Westfälische Ferngas AG", "EUR\xa01.8\xa0billion", "https://www.example.de",
    ]
    assert isinstance(protected.slots[0], Slot)


def test_the_replacement_gets_the_span_and_its_source_text() -> None:
    calls: list[tuple[SpanKind, str]] = []

    def replacement(span: Span, piece: str) -> str:
        calls.append((span.kind, piece))
        return piece.upper()

    source = Text.plain("Eva Roth liest.").mark("Eva Roth", SpanKind.PERSON)
    protected = protect(source, replacement=replacement)
    assert calls == [(SpanKind.PERSON, "Eva Roth")]
    assert protected.slots[0].replacement == "EVA ROTH"


def test_spans_of_other_kinds_stay_for_the_model() -> None:
    source = Text.plain("Eva Roth reist nach Lissabon.").mark("Lissabon", SpanKind.PLACE)
    protected = protect(source, replacement=english)
    assert protected.text == "Eva Roth reist nach Lissabon."
    assert protected.slots == ()


def test_a_text_without_spans_is_unchanged() -> None:
    source = Text.plain("Der Eintritt ist frei.")
    protected = protect(source, replacement=english)
    assert protected == Protected(text="Der Eintritt ist frei.", prefix="XZ", slots=())
    restored = restore("Admission is free.", protected)
    assert restored == Restored(text=Text.plain("Admission is free."), repairs=())


def test_an_empty_replacement_falls_back_to_the_source_text() -> None:
    source = Text.plain("Siehe hier.").mark("hier", SpanKind.LINK, "https://example.de")
    protected = protect(source, replacement=lambda span, piece: "")
    assert protected.slots[0].replacement == "hier"


def test_a_prefix_the_source_contains_is_not_used() -> None:
    source = Text.plain("Die XZ 300 von Eva Roth und der Xz-Bus.").mark("Eva Roth", SpanKind.PERSON)
    protected = protect(source, replacement=english)
    assert protected.text == "Die XZ 300 von ZX1 und der Xz-Bus."
    restored = restore("The XZ 300 by ZX1 and the Xz bus.", protected)
    assert restored.text.text == "The XZ 300 by Eva Roth and the Xz bus."
    assert restored.repairs == ()


# -- restoring ------------------------------------------------------------------------


def test_identity_translation_round_trips_with_the_same_facts() -> None:
    source = release_text()
    protected = protect(source, replacement=lambda span, piece: piece)
    restored = restore(protected.text, protected)
    assert restored.repairs == ()
    assert restored.text.text == source.text
    assert [(s.start, s.end, s.kind, s.value, s.fact) for s in restored.text.spans] == [
        (s.start, s.end, s.kind, s.value, s.fact) for s in source.spans
    ]


def test_restored_spans_carry_the_target_text_at_the_right_offsets() -> None:
    source = release_text()
    protected = protect(source, replacement=english)
    translated = "Minister President XZ1 signed an agreement worth XZ4 with XZ3 in Hamm on XZ2. Information: XZ5"
    restored = restore(translated, protected)
    assert restored.repairs == ()
    assert restored.text.text == (
        "Minister President Katrin Albers signed an agreement worth EUR\xa01.8\xa0billion with Westfälische Ferngas AG "
        "in Hamm on April\xa019, 2024. Information: https://www.example.de"
    )
    assert_spans_consistent(restored, protected)
    source_facts = sorted(repr(s.fact) for s in source.spans if s.fact is not None)
    assert sorted(repr(s.fact) for s in restored.text.spans if s.fact is not None) == source_facts
    url = next(s for s in restored.text.spans if s.kind is SpanKind.URL)
    assert url.value == "https://www.example.de"


@pytest.mark.parametrize(
    "mangled",
    ["xz2", "Xz2", "XZ 2", "X Z2", "X Z 2", "XZ-2", "X-Z-2", "X.Z.2", "XZ.2", "xz 2", "X Z-2", "XZ:2"],
)
def test_mangled_placeholders_are_restored_and_recorded(mangled: str) -> None:
    source = release_text()
    protected = protect(source, replacement=english)
    translated = f"Minister President XZ1 signed an agreement worth XZ4 with XZ3 in Hamm on {mangled}. Information: XZ5"
    restored = restore(translated, protected)
    assert "April\xa019, 2024. Information" in restored.text.text
    assert restored.repairs == (Repair(kind="mangled", token="XZ2", detail=f"found {mangled!r}"),)
    assert_spans_consistent(restored, protected)


def test_a_placeholder_glued_to_a_word_is_found() -> None:
    protected = protect(Text.plain("Das sagte Eva Roth.").mark("Eva Roth", SpanKind.PERSON), replacement=english)
    restored = restore("That saidXZ1.", protected)
    assert restored.text.text == "That saidEva Roth."
    assert restored.repairs == ()


def test_a_dropped_placeholder_is_reinserted_at_a_word_boundary_and_recorded() -> None:
    source = release_text()
    protected = protect(source, replacement=english)
    translated = "Minister President XZ1 signed an agreement worth XZ4 with XZ3 in Hamm. Information: XZ5"
    restored = restore(translated, protected)
    assert [(r.kind, r.token) for r in restored.repairs] == [("dropped", "XZ2")]
    assert_spans_consistent(restored, protected)
    text = restored.text.text
    date = next(s for s in restored.text.spans if s.kind is SpanKind.DATE)
    # At a word boundary, with single spaces around it, and between its neighbours in the source (XZ1 ... XZ3).
    assert text[date.start - 1] == " " and (text[date.end] == " " or text[date.end] in ".,")
    person = next(s for s in restored.text.spans if s.kind is SpanKind.PERSON)
    organization = next(s for s in restored.text.spans if s.kind is SpanKind.ORGANIZATION)
    assert person.end < date.start < organization.start
    assert "  " not in text


def test_a_dropped_placeholder_at_the_end_goes_before_the_final_stop() -> None:
    protected = protect(Text.plain("Der Preis geht an Eva Roth.").mark("Eva Roth", SpanKind.PERSON), replacement=english)
    restored = restore("The prize goes to.", protected)
    assert restored.text.text == "The prize goes to Eva Roth."
    assert restored.repairs[0].kind == "dropped"


def test_a_dropped_placeholder_at_the_start() -> None:
    protected = protect(Text.plain("Eva Roth gewinnt den Preis der Stadt.").mark("Eva Roth", SpanKind.PERSON), replacement=english)
    restored = restore("wins the city's prize.", protected)
    assert restored.text.text == "Eva Roth wins the city's prize."


def test_everything_dropped_from_an_empty_translation_is_reinserted() -> None:
    source = release_text()
    protected = protect(source, replacement=english)
    restored = restore("", protected)
    assert [r.kind for r in restored.repairs] == ["dropped"] * 5
    assert_spans_consistent(restored, protected)
    assert restored.text.text.split("Katrin Albers")[0] == ""


def test_a_duplicated_placeholder_is_kept_once() -> None:
    protected = protect(Text.plain("Eva Roth liest.").mark("Eva Roth", SpanKind.PERSON), replacement=english)
    restored = restore("XZ1 reads XZ1 aloud.", protected)
    assert restored.text.text == "Eva Roth reads aloud."
    assert restored.repairs == (Repair(kind="duplicated", token="XZ1", detail="kept the first of 2 occurrences"),)
    assert_spans_consistent(restored, protected)


def test_of_duplicates_the_exact_one_is_kept() -> None:
    protected = protect(Text.plain("Eva Roth liest.").mark("Eva Roth", SpanKind.PERSON), replacement=english)
    restored = restore("xz 1 reads, XZ1 too.", protected)
    assert restored.text.text == "reads, Eva Roth too."
    assert [r.kind for r in restored.repairs] == ["duplicated"]


def test_an_invented_placeholder_is_removed() -> None:
    protected = protect(Text.plain("Eva Roth liest.").mark("Eva Roth", SpanKind.PERSON), replacement=english)
    restored = restore("XZ1 reads XZ7 today. XZ9, yes.", protected)
    assert restored.text.text == "Eva Roth reads today. yes."
    assert [(r.kind, r.token) for r in restored.repairs] == [("invented", "XZ7"), ("invented", "XZ9")]
    assert_spans_consistent(restored, protected)


def test_spacing_is_normalized_around_restored_text() -> None:
    protected = protect(Text.plain("Eva Roth liest (Jan Ek hört).").mark("Eva Roth", SpanKind.PERSON).mark("Jan Ek", SpanKind.PERSON),
                        replacement=english)
    restored = restore("XZ1   reads ( XZ2  listens) .", protected)
    assert restored.text.text == "Eva Roth reads (Jan Ek listens) ."


def test_reordered_placeholders_are_fine() -> None:
    source = release_text()
    protected = protect(source, replacement=english)
    restored = restore("XZ5: XZ4 from XZ3, signed on XZ2 by XZ1.", protected)
    assert restored.repairs == ()
    assert restored.text.text.startswith("https://www.example.de: EUR\xa01.8\xa0billion from Westfälische Ferngas AG")
    assert_spans_consistent(restored, protected)


def test_no_span_is_ever_lost_whatever_the_model_does() -> None:
    """Random damage: drops, duplicates, inventions, case and spacing changes."""
    source = release_text()
    protected = protect(source, replacement=english)
    rng = random.Random(20240419)
    words = "the network operators invest in Hamm and Marl , .".split()
    for _ in range(300):
        tokens: list[str] = []
        for slot in protected.slots:
            tokens += rng.sample(words, 2)
            roll = rng.random()
            if roll < 0.2:
                continue  # dropped
            token = slot.token
            if roll < 0.4:
                token = rng.choice([token.lower(), f"{token[:2]} {token[2:]}", f"{token[0]} {token[1:]}", f"{token[:2]}-{token[2:]}"])
            tokens.append(token)
            if roll > 0.9:
                tokens.append(slot.token)  # duplicated
        if rng.random() < 0.3:
            tokens.insert(rng.randrange(len(tokens) + 1), f"XZ{rng.randint(6, 40)}")  # invented
        rng.shuffle(tokens[: rng.randrange(len(tokens))])
        restored = restore(" ".join(tokens), protected)
        assert_spans_consistent(restored, protected)
        assert not re.search(r"(?i)x\W?z\W?\d", restored.text.text)


# -- the placeholder form and SentencePiece ----------------------------------------------

CORPUS = [
    "Das Land und fünf Netzbetreiber bauen gemeinsam das Rückgrat für eine klimaneutrale Industrie.",
    "Ministerpräsidentin Katrin Albers hat am Donnerstag in Hamm eine Vereinbarung unterzeichnet.",
    "Bis 2030 sollen rund 420 Kilometer Leitungen in Betrieb gehen.",
    "Die Netzbetreiber investieren rund 1,8 Milliarden Euro.",
    "Heute ist ein guter Tag für die Industrie in Westfalen.",
    "Wer Stahl, Chemie, Glas und Papier klimaneutral herstellen will, braucht Wasserstoff.",
    "Die ersten Abschnitte sollen bereits 2027 in Betrieb gehen.",
    "Das entspricht rund 12,5 Prozent der Emissionen des Landes.",
    "Damit der Zeitplan hält, beschleunigt das Land die Genehmigungen.",
    "Weitere Informationen finden Sie hier.",
    "Der Eintritt ist frei, eine Anmeldung ist nicht erforderlich.",
    "Die Ausstellung ist bis zum 2. Februar geöffnet.",
    "Zur Eröffnung kamen rund 300 Gäste aus Politik und Wirtschaft.",
    "Die Stadt baut ihr Netz von Mobilstationen weiter aus.",
    "Der Verein sucht ehrenamtliche Trainerinnen und Trainer.",
    "Kinder und Jugendliche unter 16 Jahren haben freien Eintritt.",
    "Das Programm startet nach den Herbstferien.",
    "Die Stiftung fördert Lesepaten an Grundschulen.",
    "The state and five network operators are jointly building the backbone of a climate-neutral industry.",
    "Minister President Katrin Albers signed an agreement in Hamm on Thursday.",
    "By 2030, around 420 kilometres of pipelines are to go into operation.",
    "The network operators are investing around 1.8 billion euros.",
    "Today is a good day for industry in Westphalia.",
    "Anyone who wants to produce steel, chemicals, glass and paper needs hydrogen.",
    "The first sections are due to go into operation as early as 2027.",
    "This corresponds to around 12.5 percent of the state's emissions.",
    "To keep to the schedule, the state is speeding up approvals.",
    "Further information can be found here.",
    "Admission is free, registration is not required.",
    "The exhibition is open until 2 February.",
    "Around 300 guests from politics and business attended the opening.",
    "The city is expanding its network of mobility stations.",
    "The club is looking for volunteer coaches.",
    "Children and young people under 16 have free admission.",
    "The programme starts after the autumn holidays.",
    "The foundation supports reading mentors at primary schools.",
    "Kontakt: Pressestelle (Staatskanzlei), Telefon 0211 837-1134.",
    "Contact: press office (State Chancellery), phone +49 211 8371134.",
]


@pytest.fixture(scope="module")
def sentencepiece_model() -> spm.SentencePieceProcessor:
    """A tiny model trained like an Argos/OPUS vocabulary: every ASCII letter and digit is in it."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS),
        model_writer=model,
        vocab_size=300,
        character_coverage=1.0,
        required_chars=string.ascii_letters + string.digits,
        minloglevel=2,
    )
    return spm.SentencePieceProcessor(model_proto=model.getvalue())


def test_placeholders_survive_sentencepiece(sentencepiece_model: spm.SentencePieceProcessor) -> None:
    sp = sentencepiece_model
    assert sp.get_piece_size() == 300
    source = release_text().add_span(Span(start=0, end=19, kind=SpanKind.TERM, value="Minister President"))
    protected = protect(source, replacement=english)
    many = " ".join(f"XZ{index}" for index in range(1, 40))
    for text in [protected.text, many, "(XZ12), XZ3. XZ4: XZ5XZ6", "Die Netzbetreiber investieren XZ1 in XZ2."]:
        ids = sp.encode(text)
        assert sp.unk_id() not in ids, sp.encode(text, out_type=str)
        assert sp.decode(ids) == text
        # Every placeholder is made of pieces without the unknown piece, and comes back intact.
        for token in re.findall(r"XZ\d+", text):
            assert sp.unk_id() not in sp.encode(token)
            assert sp.decode(sp.encode(token)) == token


def test_bracket_placeholders_would_be_lost(sentencepiece_model: spm.SentencePieceProcessor) -> None:
    """Why not ⟦1⟧: symbols outside the vocabulary become <unk> and decode to '⁇'."""
    sp = sentencepiece_model
    ids = sp.encode("Die Netzbetreiber investieren ⟦1⟧.")
    assert sp.unk_id() in ids
    assert "⟦" not in sp.decode(ids)
    assert "⁇" in sp.decode(ids)


def test_restore_after_a_sentencepiece_round_trip(sentencepiece_model: spm.SentencePieceProcessor) -> None:
    sp = sentencepiece_model
    source = release_text()
    protected = protect(source, replacement=english)
    # The model's output arrives as pieces; decoding them gives the placeholders back.
    pieces = sp.encode("Minister President XZ1 signed an agreement worth XZ4 with XZ3 on XZ2. Information: XZ5", out_type=str)
    restored = restore(sp.decode_pieces(pieces), protected)
    assert restored.repairs == ()
    assert_spans_consistent(restored, protected)
