"""Language tags as people type them: normalized once, regions as variants, typos answered with a suggestion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from argos_fixture import FixturePairs
from conftest import release_folders
from test_cli import presskit

from toolkit.errors import PressToolkitError
from toolkit.languages import check_language

JANUARY_RELEASE = """Stadt eröffnet neue Straßenbahnlinie

Musterstadt, 15. Januar 2024

Die Stadt eröffnet am Montag die neue Straßenbahnlinie 7. Die Strecke ist 12,5 Kilometer lang.

Pressekontakt
Stadt Musterstadt
Telefon: 0221 4710-310
"""


@pytest.mark.parametrize(("typed", "tag"), [("EN", "en"), ("en_gb", "en-GB"), ("de-at", "de-AT"), ("deu", "de"), ("eng", "en"),
                                            ("fr-FR", "fr-FR"), ("pt_BR", "pt-BR")])
def test_tags_are_normalized_once(typed: str, tag: str) -> None:
    assert check_language(typed) == tag


@pytest.mark.parametrize(("typed", "suggestion"), [("Deutsch", "de"), ("english", "en"), ("dee", "de")])
def test_a_typo_gets_a_suggestion(typed: str, suggestion: str) -> None:
    with pytest.raises(PressToolkitError, match=f"did you mean {suggestion}\\?"):
        check_language(typed)


def test_regional_tags_use_the_language_model_and_the_region_conventions(
    installed_pairs: FixturePairs, argos_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "tram.txt"
    source.write_text(JANUARY_RELEASE, encoding="utf-8")
    result = presskit("build", source, "--lang", "DE,de-AT,de-CH,en-GB", "--format", "json,html", cwd=tmp_path, packages=argos_home)
    assert result.returncode == 0, result.stderr
    [folder] = release_folders(tmp_path / "output")
    names = sorted(path.name for path in folder.iterdir())
    assert {"de.json", "de-AT.json", "de-CH.json", "en-GB.json", "en-GB.qa.json"} <= set(names)
    assert "DE.json" not in names and not any(name.startswith("de-AT.qa") for name in names), "de-AT is no translation"
    austrian = (folder / "de-AT.html").read_text("utf-8")
    assert "15. Jänner 2024" in austrian
    swiss = json.loads((folder / "de-CH.json").read_text("utf-8"))
    assert swiss["language"] == "de-CH" and "Strassenbahnlinie" in swiss["headline"]["text"] and "ß" not in json.dumps(swiss)
    british = (folder / "en-GB.html").read_text("utf-8")
    assert "15 January 2024" in british and 'lang="en-GB"' in british
    # A visible switch to the other versions, each named in its own language.
    assert '<nav class="languages" aria-label="Other languages">' in british
    assert '<a href="de-AT.html" hreflang="de-AT" lang="de-AT">Deutsch (Österreich)</a>' in british
    assert '<nav class="languages" aria-label="Weitere Sprachen">' in (folder / "de.html").read_text("utf-8")
