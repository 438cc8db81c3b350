"""The label catalogs: complete, compiled by the build hook, used by the sheet.

Real Babel, real catalogs (``locales/``), real hatchling for the build hook.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.support import Translations
from conftest import FIXTURES, REPO
from pypdf import PdfReader

from toolkit import labels
from toolkit.label_words import CENTS, PERCENTAGE_POINTS
from toolkit.labels import MissingCatalogWarning, translations_for
from toolkit.model import (
    Contact,
    Embargo,
    Image,
    Paragraph,
    Phone,
    PhoneKind,
    Release,
    Text,
)
from toolkit.render.html import render_sheet_html
from toolkit.render.pdf import render_pdf
from toolkit.resources import locales_dir
from toolkit.service.web import UI_LANGUAGES

# The photo the sample releases print (a caption and credit only print with their picture).
IMAGES = FIXTURES / "images"
# The languages the issue asks for; more catalogs are welcome and tested the same way.
REQUIRED_LANGUAGES = {"de", "en", "fr", "es", "it", "nl", "pl"}
POT = locales_dir() / "messages.pot"
CATALOGS = sorted(path.parent.parent.name for path in locales_dir().glob("*/LC_MESSAGES/messages.po"))
# Babel's placeholders in a fresh header ("FIRST AUTHOR <EMAIL@ADDRESS>", ...).
HEADER_PLACEHOLDERS = (
    "FIRST AUTHOR", "EMAIL@ADDRESS", "FULL NAME", "ORGANIZATION", "LL@li.org", "YEAR-MO-DA", "PROJECT", "VERSION",
)
# The extraction command of babel.cfg and the README (the header options do not change msgids).
EXTRACT_OPTIONS = ("-F", "babel.cfg", "-k", "N_plural:1,2", "-k", "N_context:1c,2", "-c", "Translators:", "-s", "--project=press-toolkit")


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file, locale=locale)


def po_path(language: str) -> Path:
    return locales_dir() / language / "LC_MESSAGES" / "messages.po"


@pytest.fixture(scope="module")
def hatch_build() -> ModuleType:
    """The repository's build hook module (hatch_build.py is not part of the package)."""
    spec = importlib.util.spec_from_file_location("hatch_build", REPO / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fresh_catalogs():
    """Forget loaded catalogs before and after a test that loads them from elsewhere."""
    labels._compiled_catalog.cache_clear()
    yield
    labels._compiled_catalog.cache_clear()


def small_release(language: str) -> Release:
    return Release(
        language=language,
        headline=Text.plain("Neues Wasserstoffnetz in Beispielstadt"),
        date=dt.date(2024, 4, 19),
        place="Düsseldorf",
        embargo=Embargo(date=dt.date(2024, 4, 19), time=dt.time(18, 0)),
        number="123/2024",
        issuer="Stadtwerke Beispielstadt",
        image=Image(src="foto.png", caption=Text.plain("Die neue Leitung."), credit="Stadtwerke / Lena Brandt"),
        body=(Paragraph(text=Text.plain("Die Stadtwerke bauen ein Netz für Wasserstoff.")),),
        contacts=(
            Contact(
                person="Sabine Kühnert",
                phones=(
                    Phone(number="0211 / 5550-100", e164="+492115550100"),
                    Phone(number="0211 / 5550-199", e164="+492115550199", kind=PhoneKind.FAX),
                    Phone(number="0171 5550100", e164="+491715550100", kind=PhoneKind.MOBILE),
                ),
                emails=("presse@example.de",),
            ),
        ),
    )


# --- the catalogs ---------------------------------------------------------------------


def test_required_languages_have_catalogs() -> None:
    assert REQUIRED_LANGUAGES <= set(CATALOGS)


def _in_service(path: str) -> bool:
    return path.startswith(("templates/service/", "toolkit/service/"))


@pytest.mark.parametrize("language", CATALOGS)
def test_catalog_translates_every_msgid(language: str) -> None:
    """Every catalog translates the sheet's labels; the web page's labels only in the web page's languages."""
    template = read_catalog(POT)
    catalog = read_catalog(po_path(language), locale=language)
    msgids = {message.id for message in template if message.id}
    web_only = {message.id for message in template if message.id and message.locations and all(_in_service(path) for path, _ in message.locations)}
    required = msgids if language in UI_LANGUAGES else msgids - web_only
    present = {message.id for message in catalog if message.id}
    assert required <= present <= msgids, "run `pybabel update` (README)"
    for message in catalog:
        if not message.id or message.id not in required:
            continue
        assert not message.fuzzy, f"{language}: fuzzy translation of {message.id!r}"
        if isinstance(message.id, tuple):
            assert isinstance(message.string, tuple) and len(message.string) == catalog.num_plurals, message.id
            assert all(form.strip() for form in message.string), f"{language}: untranslated {message.id!r}"
        else:
            assert isinstance(message.string, str), message.id
            assert message.string.strip(), f"{language}: untranslated {message.id!r}"
    # Babel's checkers: the same %(name)s placeholders, the right number of plural forms.
    assert [(message.id, errors) for message, errors in catalog.check()] == []


@pytest.mark.parametrize("language", CATALOGS)
def test_catalog_header(language: str) -> None:
    """The header names the language and the project, and its plural rule is one Babel can read.

    The rule's text is not compared with Babel's: a Babel release may word it
    differently (2.19 added the "many" form for a round million in es, fr and
    it). What users rely on, the form chosen for a number, is tested below.
    """
    path = po_path(language)
    catalog = read_catalog(path, locale=language)
    headers = dict(catalog.mime_headers)
    assert headers["Language"] == language
    assert catalog.num_plurals >= 1 and catalog.plural_expr
    assert headers["Project-Id-Version"].startswith("press-toolkit ")
    header_text = path.read_text(encoding="utf-8").split('\n\n', 1)[0]
    assert not [word for word in HEADER_PLACEHOLDERS if word in header_text]


# The counted label for 0, 1, 2, 5 and 1.5 as a reader of each language expects it (CLDR's plural categories:
# French 0 and 1,5 are singular; Polish fractions take the genitive singular, a form no whole number takes).
PLURAL_CHOICES = {
    "de": ("0 Prozentpunkte", "1 Prozentpunkt", "2 Prozentpunkte", "5 Prozentpunkte", "1,5 Prozentpunkte"),
    "en": ("0 percentage points", "1 percentage point", "2 percentage points", "5 percentage points", "1.5 percentage points"),
    "fr": ("0 point de pourcentage", "1 point de pourcentage", "2 points de pourcentage", "5 points de pourcentage", "1,5 point de pourcentage"),
    "es": ("0 puntos porcentuales", "1 punto porcentual", "2 puntos porcentuales", "5 puntos porcentuales", "1,5 puntos porcentuales"),
    "it": ("0 punti percentuali", "1 punto percentuale", "2 punti percentuali", "5 punti percentuali", "1,5 punti percentuali"),
    "nl": ("0 procentpunten", "1 procentpunt", "2 procentpunten", "5 procentpunten", "1,5 procentpunten"),
    "pl": ("0 punktów procentowych", "1 punkt procentowy", "2 punkty procentowe", "5 punktów procentowych", "1,5 punktu procentowego"),
}
CENT_CHOICES = {
    "de": ("0 Cent", "1 Cent", "2 Cent", "5 Cent", "1,5 Cent"),
    "en": ("0 cents", "1 cent", "2 cents", "5 cents", "1.5 cents"),
    "fr": ("0 centime", "1 centime", "2 centimes", "5 centimes", "1,5 centime"),
    "es": ("0 céntimos", "1 céntimo", "2 céntimos", "5 céntimos", "1,5 céntimos"),
    "it": ("0 centesimi", "1 centesimo", "2 centesimi", "5 centesimi", "1,5 centesimi"),
    "pl": ("0 eurocentów", "1 eurocent", "2 eurocenty", "5 eurocentów", "1,5 eurocenta"),
}
COUNTS = ("0", "1", "2", "5", "1.5")


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("language", sorted(PLURAL_CHOICES))
def test_plural_form_chosen_for_each_count(language: str) -> None:
    from decimal import Decimal

    from toolkit.localize.numbers import format_amount, format_percent_fact
    from toolkit.values import AmountFact, PercentFact

    points = [_plain(format_percent_fact(PercentFact(value=Decimal(n), points=True), locale=language)) for n in COUNTS]
    assert tuple(points) == PLURAL_CHOICES[language]
    if language in CENT_CHOICES:
        cents = [_plain(format_amount(AmountFact(value=Decimal(n), currency="EUR", minor=True), locale=language)) for n in COUNTS]
        assert tuple(cents) == CENT_CHOICES[language]


def test_arabic_plural_forms_follow_cldr_categories() -> None:
    """Arabic has six forms: zero, one, two, few (3-10), many (11-99), other (100, fractions)."""
    translations = translations_for("ar")
    forms = {n: translations.ngettext(*CENTS, n) for n in (0, 1, 2, 5, 11, 100)}
    catalog = read_catalog(po_path("ar"), locale="ar")
    expected = catalog[CENTS[0]].string
    assert [forms[n] for n in (0, 1, 2, 5, 11, 100)] == list(expected)


@pytest.mark.parametrize("language", CATALOGS)
def test_catalog_compiles(language: str, hatch_build: ModuleType, tmp_path: Path) -> None:
    mo_path = tmp_path / "messages.mo"
    hatch_build.compile_catalog(po_path(language), mo_path)
    with mo_path.open("rb") as mo_file:
        translations = Translations(mo_file)
    assert translations.gettext("Press release") == translations_for(language).gettext("Press release")


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ('msgstr "Pressekontakt"', 'msgstr "Pressekontakt'),  # a missing closing quote
        ('msgstr "Telefon: %(number)s"', 'msgstr "Telefon: %(nummer)s"'),  # a placeholder renamed
        ('msgid "Press release"', 'msgid "Press release"\nmsgid "Press release"'),  # two msgids in a row
    ],
)
def test_broken_catalog_fails_the_build(broken: str, problem: str, hatch_build: ModuleType, tmp_path: Path) -> None:
    text = po_path("de").read_text(encoding="utf-8")
    assert broken in text
    path = tmp_path / "de" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace(broken, problem, 1), encoding="utf-8")
    with pytest.raises(hatch_build.CatalogError, match=re.escape(str(path))):
        hatch_build.compile_catalog(path, tmp_path / "messages.mo")
    assert not (tmp_path / "messages.mo").exists()


def test_committed_pot_is_current(tmp_path: Path) -> None:
    """`pybabel extract` finds exactly the msgids of locales/messages.pot (the README's command)."""
    output = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", *EXTRACT_OPTIONS, "-o", str(output), "."],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    extracted = {message.id for message in read_catalog(output) if message.id}
    committed = {message.id for message in read_catalog(POT) if message.id}
    assert extracted == committed, "locales/messages.pot is stale: run the extract and update commands (README)"
    # Plural entries (msgid + msgid_plural), not two singular ones.
    assert PERCENTAGE_POINTS in committed and CENTS in committed


# --- the compiled catalogs --------------------------------------------------------------


@pytest.mark.parametrize("language", CATALOGS)
def test_install_compiled_the_catalog(language: str) -> None:
    """The build hook ran: `pip install -e .` (or a wheel) put a current .mo beside the .po."""
    po = po_path(language)
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing: reinstall (`pip install -e .`) to compile the catalogs"
    assert mo.stat().st_mtime >= po.stat().st_mtime, f"{po} changed since the last install: reinstall"


def test_labels_load_the_compiled_catalog(fresh_catalogs: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="toolkit.labels"):
        assert translations_for("de").gettext("Press release") == "Pressemitteilung"
    assert caplog.records == []


def test_missing_or_stale_mo_is_compiled_in_memory(
    fresh_catalogs: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    locales = tmp_path / "locales"
    for language in ("de", "fr"):
        shutil.copytree(locales_dir() / language, locales / language, ignore=shutil.ignore_patterns("*.mo"))
    # de: no .mo at all. fr: a .mo from before the .po was edited ("Contact presse" → "Service de presse").
    fr_po = locales / "fr" / "LC_MESSAGES" / "messages.po"
    shutil.copy(po_path("fr").with_suffix(".mo"), fr_po.with_suffix(".mo"))
    fr_po.write_text(fr_po.read_text(encoding="utf-8").replace('"Contact presse"', '"Service de presse"'), "utf-8")
    past = fr_po.stat().st_mtime - 60
    os.utime(fr_po.with_suffix(".mo"), (past, past))
    monkeypatch.setattr(labels, "locales_dir", lambda: locales)

    with caplog.at_level(logging.INFO, logger="toolkit.labels"):
        assert translations_for("de").gettext("Press contact") == "Pressekontakt"
        assert translations_for("fr").gettext("Press contact") == "Service de presse"
    messages = {record.levelno: record.getMessage() for record in caplog.records}
    assert "de/LC_MESSAGES/messages.po has no compiled messages.mo" in messages[logging.INFO]
    assert "fr/LC_MESSAGES/messages.po is newer than its compiled messages.mo" in messages[logging.WARNING]


def test_wheel_carries_compiled_catalogs(tmp_path: Path) -> None:
    """A regular wheel build: the hook's .mo files land in toolkit/_data/locales/, once each."""
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(REPO)).build(directory=str(tmp_path), versions=["standard"])
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        for language in CATALOGS:
            name = f"toolkit/_data/locales/{language}/LC_MESSAGES/messages.mo"
            assert names.count(name) == 1, name
            assert f"toolkit/_data/locales/{language}/LC_MESSAGES/messages.po" in names
        translations = Translations(BytesIO(archive.read("toolkit/_data/locales/de/LC_MESSAGES/messages.mo")))
    assert translations.gettext("Press release") == "Pressemitteilung"
    assert not [name for name in names if name.endswith(".partial")]


# --- labels on the sheet ---------------------------------------------------------------


def test_german_sheet_labels() -> None:
    html = render_sheet_html(small_release("de"), assets_dir=IMAGES)
    for label in ("Pressemitteilung", "Pressekontakt", "Telefon: ", "Fax: ", "Mobil: ", "E-Mail: ", "Nr. 123/2024"):
        assert label in html, label
    assert 'Düsseldorf, <time datetime="2024-04-19">19. April 2024</time>' in html
    assert 'Sperrfrist: <time datetime="2024-04-19T18:00">19. April 2024, 18:00 Uhr</time>' in html
    assert "Bildnachweis: Stadtwerke / Lena Brandt" in html
    assert '"Seite " counter(page) " von " counter(pages)' in html


def test_french_sheet_labels() -> None:
    html = render_sheet_html(small_release("fr"), assets_dir=IMAGES)
    assert '<html lang="fr">' in html
    nbsp = "\u00a0"  # French sets a no-break space before ":"
    for label in ("Communiqué de presse", "Contact presse", f"Tél.{nbsp}: ", f"Fax{nbsp}: ", f"Mobile{nbsp}: "):
        assert label in html, label
    assert f"N°{nbsp}123/2024" in html
    assert 'Düsseldorf, le <time datetime="2024-04-19">19 avril 2024</time>' in html
    assert 'Sous embargo jusqu’au <time datetime="2024-04-19T18:00">19 avril 2024 à 18:00</time>' in html
    assert "Crédit photo\u00a0: Stadtwerke / Lena Brandt" in html
    assert '"Page " counter(page) " sur " counter(pages)' in html
    assert "Pressemitteilung" not in html and "Press release" not in html


def test_french_pdf_footer() -> None:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(render_pdf(small_release("fr"), assets_dir=IMAGES))).pages)
    assert "Page 1 sur 1" in text
    assert "Communiqué de presse" in text


@pytest.mark.parametrize("language", sorted(set(CATALOGS) - {"en"}))
def test_sheet_has_no_english_label_left(language: str) -> None:
    """Every label that differs from its English msgid is translated on the sheet."""
    html = render_sheet_html(small_release(language), assets_dir=IMAGES)
    translations = translations_for(language)
    assert translations.gettext("Press release") in html
    assert translations.gettext("Press contact") in html
    for message in read_catalog(POT):
        if not isinstance(message.id, str) or not message.id:
            continue
        if message.locations and all(_in_service(path) for path, _ in message.locations):
            continue  # the web page's words ("headline", "role") are not on the sheet, and are English HTML class names there
        fixed = message.id.split("%(", 1)[0].strip()
        if len(fixed) > 2 and fixed not in translations.gettext(message.id):
            assert fixed not in html, f"{language}: {fixed!r} left in English"


# --- plurals and the fallback ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "one", "two", "five"),
    [
        ("de", "1 Prozentpunkt", "2 Prozentpunkte", "5 Prozentpunkte"),
        ("en", "1 percentage point", "2 percentage points", "5 percentage points"),
        ("fr", "1 point de pourcentage", "2 points de pourcentage", "5 points de pourcentage"),
        ("pl", "1 punkt procentowy", "2 punkty procentowe", "5 punktów procentowych"),
    ],
)
def test_percentage_point_plurals(language: str, one: str, two: str, five: str) -> None:
    translations = translations_for(language)
    assert [translations.ngettext(*PERCENTAGE_POINTS, n) % {"number": n} for n in (1, 2, 5)] == [one, two, five]


@pytest.mark.parametrize(
    ("language", "one", "two", "five"),
    [
        ("de", "1 Cent", "2 Cent", "5 Cent"),
        ("fr", "1 centime", "2 centimes", "5 centimes"),
        ("es", "1 céntimo", "2 céntimos", "5 céntimos"),
        ("it", "1 centesimo", "2 centesimi", "5 centesimi"),
        ("pl", "1 eurocent", "2 eurocenty", "5 eurocentów"),
    ],
)
def test_cent_plurals(language: str, one: str, two: str, five: str) -> None:
    translations = translations_for(language)
    assert [translations.ngettext(*CENTS, n) % {"number": n} for n in (1, 2, 5)] == [one, two, five]


def test_polish_plural_rule_beyond_four() -> None:
    translations = translations_for("pl")
    forms = {n: translations.ngettext(*CENTS, n) % {"number": n} for n in (12, 22, 25, 102)}
    assert forms == {12: "12 eurocentów", 22: "22 eurocenty", 25: "25 eurocentów", 102: "102 eurocenty"}


def test_language_without_catalog_falls_back_to_english() -> None:
    assert "sv" not in CATALOGS
    with pytest.warns(MissingCatalogWarning, match="'sv'"):
        translations = translations_for("sv")
    assert translations.gettext("Press release") == "Press release"
    assert translations.ngettext(*PERCENTAGE_POINTS, 2) % {"number": 2} == "2 percentage points"
    with pytest.warns(MissingCatalogWarning):
        html = render_sheet_html(small_release("sv"), assets_dir=IMAGES)
    assert '<html lang="sv">' in html and "Press release" in html and "Press contact" in html
