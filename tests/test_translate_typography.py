"""Typography of translated text: quotation marks per language, French spacing, apostrophes."""

from __future__ import annotations

import pytest

from toolkit.model import SpanKind, Text
from toolkit.translate.protect import protect, restore
from toolkit.translate.typography import apply_typography

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "He said: “It is ‘new’ here.” Then he left."),
        ("fr", f"He said{NBSP}: «{NBSP}It is “new” here.{NBSP}» Then he left."),
        ("es", "He said: «It is “new” here.» Then he left."),
        ("it", "He said: «It is “new” here.» Then he left."),
        ("nl", "He said: “It is ‘new’ here.” Then he left."),
        ("pl", "He said: „It is «new» here.” Then he left."),
        ("de", "He said: „It is ‚new‘ here.“ Then he left."),
    ],
)
def test_quotation_marks_per_language(language: str, expected: str) -> None:
    # The model copied the German marks ...
    assert apply_typography("He said: „It is ‚new‘ here.“ Then he left.", language=language) == expected
    # ... or wrote straight ones ...
    assert apply_typography("He said: \"It is 'new' here.\" Then he left.", language=language) == expected
    # ... or English ones, or German guillemets.
    assert apply_typography("He said: “It is ‘new’ here.” Then he left.", language=language) == expected
    assert apply_typography("He said: »It is ›new‹ here.« Then he left.", language=language) == expected


@pytest.mark.parametrize("language", ["en", "fr", "es", "it", "nl", "pl", "de", "pt", "sv"])
def test_typography_is_idempotent(language: str) -> None:
    text = 'Sie sagte: „Das ist ‚gut‘!“ Und: "Wirklich?" XZ1 ; XZ2 : l\'XZ3.'
    once = apply_typography(text, language=language)
    assert apply_typography(once, language=language) == once


def test_french_spaced_guillemets_from_the_model() -> None:
    assert apply_typography("« Bonjour », dit-il.", language="fr") == f"«{NBSP}Bonjour{NBSP}», dit-il."
    assert apply_typography("«Bonjour», dit-il.", language="fr") == f"«{NBSP}Bonjour{NBSP}», dit-il."
    # Into another language the spaces inside go.
    assert apply_typography("« Bonjour », dit-il.", language="en") == "“Bonjour”, dit-il."


def test_french_no_break_spaces_before_high_punctuation() -> None:
    text = "Attention : entrée libre ; venez nombreux ! Pourquoi ? Parce que !"
    assert apply_typography(text, language="fr") == (
        f"Attention{NBSP}: entrée libre{NNBSP}; venez nombreux{NNBSP}! Pourquoi{NNBSP}? Parce que{NNBSP}!"
    )
    # Also where the model left no space at all, and only once before "?!".
    assert apply_typography("Vraiment?! Oui: demain.", language="fr") == f"Vraiment{NNBSP}?! Oui{NBSP}: demain."


def test_french_spacing_leaves_times_urls_and_mail_alone() -> None:
    text = "Ouverture à 14:30 ; voir https://example.fr/?q=1&a=b:c ou écrire à info@example.fr ?"
    assert apply_typography(text, language="fr") == (
        f"Ouverture à 14:30{NNBSP}; voir https://example.fr/?q=1&a=b:c ou écrire à info@example.fr{NNBSP}?"
    )


def test_other_languages_get_no_french_spacing() -> None:
    assert apply_typography("Really ? Yes : now.", language="en") == "Really ? Yes : now."


def test_placeholders_are_not_touched() -> None:
    text = "„XZ1“ sagte XZ2: XZ3 ? XZ4!"
    assert apply_typography(text, language="fr") == f"«{NBSP}XZ1{NBSP}» sagte XZ2{NBSP}: XZ3{NNBSP}? XZ4{NNBSP}!"
    assert apply_typography(text, language="en") == "“XZ1” sagte XZ2: XZ3 ? XZ4!"


def test_runs_before_restoration_so_facts_keep_their_form() -> None:
    """The contract: typography on the text with placeholders, then restore."""
    source = Text.plain('Siehe https://example.de/?a="b" und "Eva" Roth.').mark('https://example.de/?a="b"', SpanKind.URL).mark(
        '"Eva" Roth', SpanKind.PERSON
    )
    protected = protect(source, replacement=lambda span, piece: piece)
    output = apply_typography('Voir XZ1 et "XZ2" ?', language="fr")
    restored = restore(output, protected)
    assert restored.text.text == f'Voir https://example.de/?a="b" et «{NBSP}"Eva" Roth{NBSP}»{NNBSP}?'


def test_apostrophes_become_typographic() -> None:
    assert apply_typography("L'État et l'industrie", language="fr") == "L’État et l’industrie"
    assert apply_typography("It's the city's plan", language="en") == "It’s the city’s plan"
    assert apply_typography("the '90s and the Müllers' house", language="en") == "the '90s and the Müllers' house"


def test_unmatched_marks_are_left_alone() -> None:
    assert apply_typography('He said "yes and left.', language="en") == 'He said "yes and left.'
    assert apply_typography("He said yes“ and left.", language="fr") == "He said yes“ and left."


def test_unknown_languages_keep_their_quotes() -> None:
    assert apply_typography('Han sa: "Ja." Hen\'s', language="sv") == 'Han sa: "Ja." Hen’s'


def test_several_quotations_and_nesting() -> None:
    text = '"One," he said, "two \'three\' four." "Five."'
    assert apply_typography(text, language="en") == "“One,” he said, “two ‘three’ four.” “Five.”"
    assert apply_typography(text, language="de") == "„One,“ he said, „two ‚three‘ four.“ „Five.“"
