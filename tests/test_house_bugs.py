"""Three bugs the layout once hid: branding set in code, glossaries of one pair, contact roles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from argos_fixture import FixturePairs

from toolkit.config import Branding, Config
from toolkit.model import Contact, Paragraph, Release, Text
from toolkit.translate.glossary import Glossary
from toolkit.translate.memory import TranslationMemory
from toolkit.translate.pipeline import Translator


def test_branding_set_in_code_is_used() -> None:
    branding = Branding(organization="Stadt Musterstadt")
    assert Config(branding=branding).branded == branding
    assert Config().branded is None


def test_two_glossaries_of_one_pair_both_apply_the_later_winning() -> None:
    office = Glossary(source_language="de", target_language="en", terms={"Kernnetz": "core network", "Landrat": "district administrator"})
    project = Glossary(source_language="de", target_language="en", terms={"Kernnetz": "backbone"})
    translator = Translator(glossaries=[office, project], memory=TranslationMemory(":memory:"))
    merged = translator.glossaries[("de", "en")]
    assert dict(merged.terms) == {"Kernnetz": "backbone", "Landrat": "district administrator"}


def test_a_contact_role_is_translated_like_a_speaker_role(installed_pairs: FixturePairs, argos_home: Path) -> None:
    release = Release(
        language="de", headline=Text.plain("Neue Brücke"), date=dt.date(2024, 5, 3),
        body=(Paragraph(text=Text.plain("Die Stadt baut eine Brücke.")),),
        contacts=(Contact(person="Anna Beispiel", role="Pressesprecherin der Stadt"),),
    )
    translation = Translator(memory=TranslationMemory(":memory:")).translate(release, "en")
    assert any("contacts[0].role" in segment.locations for segment in translation.segments)
    assert translation.release.contacts[0].role != "Pressesprecherin der Stadt"
    assert translation.release.contacts[0].person == "Anna Beispiel"
