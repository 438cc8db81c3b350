"""Quality checks of translated segments, with the real py3langid model."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from toolkit.facts import mark_text
from toolkit.localize import format_fact
from toolkit.model import Span, SpanKind, Text
from toolkit.translate.protect import Repair, protect, restore
from toolkit.translate.qa import (
    QAReport,
    check_facts,
    check_glossary,
    check_length_ratio,
    check_names,
    check_repetition,
    check_segment,
    check_untranslated,
    check_wrong_language,
)
from toolkit.translate.units import Finding, Segment
from toolkit.values import AmountFact

REFERENCE = dt.date(2025, 5, 15)

SOURCE = (
    "Ministerpräsidentin Katrin Albers hat am 15. Mai 2025 in Hamm eine Vereinbarung mit den Netzbetreibern unterzeichnet. "
    "Die Netzbetreiber investieren rund 1,8 Milliarden Euro in das Wasserstoff-Kernnetz."
)
# What a good model returns for the protected source.
GOOD = (
    "Minister President XZ1 signed an agreement with the network operators in Hamm on XZ2. "
    "The network operators are investing around XZ3 in the hydrogen core network."
)


def source_text() -> Text:
    return mark_text(Text.plain(SOURCE).mark("Katrin Albers", SpanKind.PERSON), reference=REFERENCE)


def translate(output: str, language: str = "en") -> tuple[Text, tuple[Repair, ...]]:
    """Restore a model's output as the pipeline does."""

    def replacement(span: Span, piece: str) -> str:
        return format_fact(span.fact, locale=language) if span.fact is not None else piece

    restored = restore(output, protect(source_text(), replacement=replacement))
    return restored.text, restored.repairs


def report(target: Text, *, repairs: tuple[Repair, ...] = (), glossary: dict[str, str] | None = None, language: str = "en") -> Segment:
    return check_segment(location="body 1", source=source_text(), target=target, source_language="de", target_language=language,
                         repairs=repairs, glossary=glossary or {})


def checks(segment: Segment) -> list[tuple[str, str]]:
    return [(f.check, f.severity) for f in segment.findings]


def test_a_good_translation_has_no_findings() -> None:
    target, repairs = translate(GOOD)
    assert repairs == ()
    assert target.text.startswith("Minister President Katrin Albers signed an agreement")
    segment = report(target, glossary={"Kernnetz": "core network"})
    assert segment.findings == ()
    assert segment.location == "body 1"
    assert segment.source == SOURCE
    assert segment.target == target.text


@pytest.mark.parametrize(
    ("language", "output"),
    [
        ("fr", "La ministre-présidente XZ1 a signé à Hamm le XZ2 un accord avec les gestionnaires de réseau. "
               "Les gestionnaires de réseau investissent environ XZ3 dans le réseau central d'hydrogène."),
        ("es", "La ministra presidenta XZ1 firmó el XZ2 en Hamm un acuerdo con los operadores de red. "
               "Los operadores de red invierten unos XZ3 en la red troncal de hidrógeno."),
        ("it", "La ministra presidente XZ1 ha firmato il XZ2 ad Hamm un accordo con i gestori di rete. "
               "I gestori di rete investono circa XZ3 nella rete centrale dell'idrogeno."),
        ("nl", "Minister-president XZ1 heeft op XZ2 in Hamm een overeenkomst met de netbeheerders ondertekend. "
               "De netbeheerders investeren ongeveer XZ3 in het waterstofkernnet."),
        ("pl", "Premier XZ1 podpisała XZ2 w Hamm porozumienie z operatorami sieci. "
               "Operatorzy sieci inwestują około XZ3 w podstawową sieć wodorową."),
    ],
)
def test_good_translations_into_the_other_languages_pass(language: str, output: str) -> None:
    target, repairs = translate(output, language)
    segment = report(target, language=language)
    assert segment.findings == (), segment.findings


def test_gibberish_is_flagged() -> None:
    target, _ = translate("xqzt vbnm wrtz plkj hgfd XZ1 qwer tyui zxcv bnmq XZ2 wert poiu lkjh mnbv XZ3 trpl")
    assert ("wrong_language", "error") in checks(report(target))


def test_the_output_of_a_random_model_is_flagged() -> None:
    """Pieces of both languages thrown together, as an untrained model produces them."""
    target, _ = translate("ungStadt XZ1 thepri ausen, leg 12ition schaft wer ative XZ2 ment ungen the ation Kern XZ3 lichkeit")
    findings = report(target).findings
    assert any(f.check == "wrong_language" and f.severity == "error" for f in findings)


def test_no_language_at_all_is_gibberish() -> None:
    finding = check_wrong_language(Text.plain("asdf jkl asdf qwe rty uiop zxc vbn asdf jkl qwe rty uiop zxc vbn"),
                                   target_language="en", source_language="de")
    assert finding is not None and finding.severity == "error"


def test_german_left_in_an_english_target_is_the_wrong_language() -> None:
    target, _ = translate(
        "Ministerpräsidentin XZ1 hat am XZ2 in Hamm eine Vereinbarung mit den Betreibern der Netze unterzeichnet. "
        "Die Netzbetreiber investieren XZ3."
    )
    segment = report(target)
    wrong = [f for f in segment.findings if f.check == "wrong_language"]
    assert wrong and wrong[0].severity == "error"
    assert "German" in wrong[0].message and "English" in wrong[0].message


def test_another_language_than_the_target_is_flagged() -> None:
    finding = check_wrong_language(Text.plain("Le gouvernement du Land a donné le coup d'envoi du réseau d'hydrogène à Hamm."),
                                   target_language="en", source_language="de")
    assert finding is not None and "French" in finding.message


def test_lorem_ipsum_reads_as_latin() -> None:
    finding = check_wrong_language(Text.plain("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor."),
                                   target_language="en", source_language="de")
    assert finding is not None and "Latin" in finding.message


def test_short_segments_are_not_judged_by_language() -> None:
    assert check_wrong_language(Text.plain("Weitere Informationen."), target_language="en", source_language="de") is None
    # Names and facts do not count: what is left is too short to judge.
    text = Text.plain("Westfälische Ferngas AG und Stadtwerke Lindenau GmbH: gut").mark(
        "Westfälische Ferngas AG", SpanKind.ORGANIZATION).mark("Stadtwerke Lindenau GmbH", SpanKind.ORGANIZATION)
    assert check_wrong_language(text, target_language="en", source_language="de") is None


def test_a_language_py3langid_does_not_know_is_not_judged() -> None:
    text = Text.plain("This is a long enough English sentence about the hydrogen network in Westphalia.")
    assert check_wrong_language(text, target_language="tlh", source_language="de") is None


def test_a_missing_fact_is_an_error() -> None:
    target = Text.plain("Minister President Katrin Albers signed an agreement with the network operators in Hamm on May 15, 2025. "
                        "The network operators are investing heavily in the hydrogen core network.")
    target = target.add_span(Span(start=target.text.index("May"), end=target.text.index("May") + 12, kind=SpanKind.DATE,
                                  fact=next(s.fact for s in source_text().spans if s.kind is SpanKind.DATE)))
    segment = report(target)
    assert ("fact_missing", "error") in checks(segment)
    message = next(f.message for f in segment.findings if f.check == "fact_missing")
    assert "1,8 Milliarden Euro" in message and "amount" in message
    failed = QAReport(source_language="de", target_language="en", route="de→en", segments=(segment,))
    assert not failed.passed


def test_a_fact_with_another_value_is_missing() -> None:
    source = Text.plain("Es kostet 3 Euro.").add_span(Span(start=10, end=16, kind=SpanKind.AMOUNT,
                                                          fact=AmountFact(value=Decimal("3"), currency="EUR")))
    target = Text.plain("It costs EUR 4.").add_span(Span(start=9, end=14, kind=SpanKind.AMOUNT,
                                                        fact=AmountFact(value=Decimal("4"), currency="EUR")))
    assert check_facts(source, target) is not None
    same = Text.plain("It costs EUR 3.").add_span(Span(start=9, end=14, kind=SpanKind.AMOUNT,
                                                      fact=AmountFact(value=Decimal("3"), currency="EUR")))
    assert check_facts(source, same) is None


def test_facts_count_as_often_as_the_source_has_them() -> None:
    fact = AmountFact(value=Decimal("3"), currency="EUR")
    source = Text.plain("3 Euro und 3 Euro").add_span(Span(start=0, end=6, kind=SpanKind.AMOUNT, fact=fact)).add_span(
        Span(start=11, end=17, kind=SpanKind.AMOUNT, fact=fact))
    target = Text.plain("EUR 3 and more").add_span(Span(start=0, end=5, kind=SpanKind.AMOUNT, fact=fact))
    assert check_facts(source, target) is not None


def test_restored_facts_are_found_even_after_repairs() -> None:
    # The model dropped the date and mangled the amount: restoration puts both back, QA sees them, and reports the repairs.
    target, repairs = translate("Minister President XZ1 signed an agreement with the network operators in Hamm. "
                                "The network operators are investing around xz 3 in the hydrogen core network.")
    segment = report(target, repairs=repairs)
    assert checks(segment) == [("placeholder_repair", "warning"), ("placeholder_repair", "info")]
    assert [f.message.split(":")[0] for f in segment.findings] == ["dropped XZ2", "mangled XZ3"]
    assert "May\xa015, 2025" in target.text and "EUR\xa01.8\xa0billion" in target.text
    assert QAReport(source_language="de", target_language="en", route="de→en", segments=(segment,)).passed


def test_a_missing_name_is_an_error() -> None:
    source = Text.plain("Das sagte Eva Roth von der Westfälische Ferngas AG heute.").mark("Eva Roth", SpanKind.PERSON).mark(
        "Westfälische Ferngas AG", SpanKind.ORGANIZATION)
    finding = check_names(source, Text.plain("Eve Red of Westfälische Ferngas AG said so today."))
    assert finding is not None and finding.check == "fact_missing" and finding.severity == "error"
    assert "'Eva Roth'" in finding.message and "Ferngas" not in finding.message
    assert check_names(source, Text.plain("Eva Roth of Westfälische Ferngas AG said so today.")) is None


def test_empty_translation() -> None:
    segment = report(Text.plain("  "))
    assert ("empty", "error") in checks(segment)


def test_untranslated() -> None:
    segment = report(source_text())
    assert ("untranslated", "error") in checks(segment)
    assert check_untranslated(Text.plain("Hamm"), Text.plain("hamm ")) is not None
    assert check_untranslated(Text.plain("Hamm"), Text.plain("hamm ")).severity == "warning"  # type: ignore[union-attr]
    # A segment of names and facts only is the same in every language.
    names = Text.plain("Katrin Albers").mark("Katrin Albers", SpanKind.PERSON)
    assert check_untranslated(names, names) is None
    assert check_untranslated(Text.plain("2025"), Text.plain("2025")) is None


def test_glossary_terms_must_be_used() -> None:
    target, _ = translate(GOOD.replace("hydrogen core network", "hydrogen backbone"))
    segment = report(target, glossary={"Kernnetz": "core network", "Staatskanzlei": "State Chancellery"})
    assert checks(segment) == [("glossary", "warning")]
    assert "'Kernnetz' → 'core network'" in segment.findings[0].message
    assert "Staatskanzlei" not in segment.findings[0].message


def test_glossary_matches_whole_words_and_ignores_names() -> None:
    source = Text.plain("Die Kernnetzbetreiber und die Kernnetz AG.").mark("Kernnetz AG", SpanKind.ORGANIZATION)
    assert check_glossary(source, Text.plain("The operators and Kernnetz AG."), {"Kernnetz": "core network"}) is None
    source = Text.plain("Das Kernnetz wächst.")
    assert check_glossary(source, Text.plain("The Core Networks grow."), {"Kernnetz": "core network"}) is None


def test_length_ratio() -> None:
    source = Text.plain("Die Netzbetreiber investieren viel Geld.")
    finding = check_length_ratio(source, Text.plain("Yes."))
    assert finding is not None and finding.severity == "warning"
    assert check_length_ratio(source, Text.plain("The network operators invest a lot of money.")) is None
    assert check_length_ratio(source, Text.plain("x" * 200)) is not None
    assert check_length_ratio(Text.plain("Ja."), Text.plain("Yes, indeed, certainly.")) is None


def test_repetition() -> None:
    source = Text.plain("Das Netz wird gebaut.")
    finding = check_repetition(source, Text.plain("The network the network the network the network is built."))
    assert finding is not None and finding.severity == "error" and "'the network'" in finding.message
    assert check_repetition(source, Text.plain("The network is built, very, very, very quickly.")) is None


def test_each_repair_is_a_finding() -> None:
    repairs = (
        Repair(kind="mangled", token="XZ1", detail="found 'xz1'"),
        Repair(kind="dropped", token="XZ2", detail="re-inserted"),
        Repair(kind="duplicated", token="XZ3", detail="kept one"),
        Repair(kind="invented", token="XZ9", detail="removed"),
    )
    target, _ = translate(GOOD)
    segment = report(target, repairs=repairs)
    assert checks(segment) == [
        ("placeholder_repair", "info"), ("placeholder_repair", "warning"), ("placeholder_repair", "warning"), ("placeholder_repair", "info"),
    ]
    assert segment.findings[0].message == "mangled XZ1: found 'xz1'"


def test_a_report_with_only_warnings_passes() -> None:
    de_en = {"source_language": "de", "target_language": "en", "origin": "machine"}
    warning = Segment(locations=("body 2",), source="Ja.", target="Yes.", **de_en,
                      findings=(Finding(check="length_ratio", severity="warning", message="too long"),
                                Finding(check="placeholder_repair", severity="info", message="mangled XZ1")))
    clean = Segment(locations=("headline",), source="Hallo.", target="Hello.", **de_en)
    qa = QAReport(source_language="de", target_language="en", route="de→en", segments=(clean, warning))
    assert qa.passed
    assert qa.counts() == {"length_ratio": 1, "placeholder_repair": 1}
    error = Segment(locations=("body 3",), source="3 Euro", target="", **de_en, findings=(Finding(check="empty", severity="error", message="empty"),))
    failed = QAReport(source_language="de", target_language="fr", route="de→en→fr", segments=(clean, warning, error))
    assert not failed.passed
    assert failed.counts() == {"empty": 1, "length_ratio": 1, "placeholder_repair": 1}


def test_report_to_dict_and_summary() -> None:
    target, repairs = translate(GOOD.replace("XZ2", "xz2"))
    segments = (report(target, repairs=repairs), report(Text.plain("")))
    qa = QAReport(source_language="de", target_language="en", route="de→en", segments=segments)
    data = qa.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["passed"] is False and data["route"] == "de→en"
    assert data["counts"] == {"empty": 1, "placeholder_repair": 1}
    assert data["segments"][0]["findings"] == [{"check": "placeholder_repair", "severity": "info", "message": "mangled XZ2: found 'xz2'"}]
    assert data["segments"][1]["target"] == ""
    summary = qa.summary()
    lines = summary.splitlines()
    assert lines[0].startswith("QA de → en (de→en): FAILED — 2 segments, 1 errors, 0 warnings, 1 notes")
    assert "empty 1" in lines[1] and "placeholder_repair 1" in lines[1]
    assert lines[2].strip().startswith("error   body 1: [empty]")
    assert "[placeholder_repair] mangled XZ2" in lines[3]


def test_a_passing_report_summary() -> None:
    qa = QAReport(source_language="de", target_language="en", route="de→en", segments=())
    assert qa.passed and qa.counts() == {}
    assert qa.summary() == "QA de → en (de→en): passed — 0 segments, 0 errors, 0 warnings, 0 notes"


def test_unmarked_names_that_read_as_german_are_only_a_warning() -> None:
    finding = check_wrong_language(Text.plain("The “Dorfladen Eichenrode eG” opens on Kirchstraße in Eichenrode."),
                                   target_language="en", source_language="de")
    assert finding is not None and finding.severity == "warning"
    german = check_wrong_language(Text.plain("The Netzbetreiber haben die Trassen in den vergangenen Jahren gemeinsam geplant."),
                                  target_language="en", source_language="de")
    assert german is not None and german.severity == "error"


def test_a_real_argos_model_with_random_weights_fails_qa(tmp_path: Path) -> None:
    """The project's fixture builds a real .argosmodel with random weights: its output must never pass."""
    import ctranslate2
    import sentencepiece as spm
    from argos_fixture import build_argos_package

    sources = [
        source_text(),
        mark_text(Text.plain("Das Land beteiligt sich mit bis zu 240 Millionen Euro an den Kosten für Stichleitungen zu Gewerbegebieten."),
                  reference=REFERENCE),
        Text.plain("Dort können sich Bürgerinnen und Bürger über den Verlauf der Leitungen und Fragen der Sicherheit informieren."),
    ]
    segments = []
    for seed in (0, 1, 2):
        archive = build_argos_package(tmp_path, source="de", target="en", seed=seed)
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp_path / str(seed))
        root = tmp_path / str(seed) / "translate-de_en"
        sp = spm.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
        translator = ctranslate2.Translator(str(root / "model"))
        protected = [protect(source, replacement=lambda span, piece: piece) for source in sources]
        results = translator.translate_batch([sp.encode(p.text, out_type=str) for p in protected], max_decoding_length=60)
        for source, p, result in zip(sources, protected, results):
            restored = restore(sp.decode_pieces(result.hypotheses[0]), p)
            segments.append(check_segment(location=f"seed {seed}", source=source, target=restored.text, source_language="de",
                                          target_language="en", repairs=restored.repairs))
    for segment in segments:
        assert any(f.severity == "error" and f.check in {"wrong_language", "repetition"} for f in segment.findings), segment
    assert not QAReport(source_language="de", target_language="en", route="de→en", segments=tuple(segments)).passed
