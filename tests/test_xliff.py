"""XLIFF round trip on the fixture model: export for review, hand edits, import into the memory, translate again.

The fixture model writes gibberish (and drops most placeholders); these tests
check the file's structure, the inline codes and the round trip through the
translation memory, never the wording.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from argos_fixture import FixturePairs
from conftest import EXAMPLES, release_folders
from lxml import etree  # type: ignore[import-untyped]
from pypdf import PdfReader
from test_cli import presskit
from translate.storage import xliff
from translate.storage.placeables import xliff as xliff_placeables

from toolkit.errors import PressToolkitError
from toolkit.facts import mark_facts
from toolkit.model import Release, iter_texts
from toolkit.read import read_release
from toolkit.translate.memory import TranslationMemory, normalize_segment
from toolkit.translate.pipeline import Translation, Translator
from toolkit.translate.xliff import XliffError, XliffExport, export_xliff, import_xliff

NS = "urn:oasis:names:tc:xliff:document:1.2"
SOURCE = EXAMPLES / "wasserstoff-netz.txt"
ORIGINAL = "examples/wasserstoff-netz.txt"
RAW_PLACEHOLDER = re.compile(r"XZ\d")
NBSP = {"\u00a0": " ", "\u202f": " ", "\u2011": "-"}


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def plain(text: str) -> str:
    for special, ordinary in NBSP.items():
        text = text.replace(special, ordinary)
    return text


def all_text(translation: Translation) -> str:
    return plain(" ".join(text.text for text in iter_texts(translation.release)))


@pytest.fixture(scope="module")
def release() -> Release:
    return mark_facts(read_release(SOURCE))


@pytest.fixture
def memory(tmp_path: Path) -> TranslationMemory:
    return TranslationMemory(tmp_path / "memory.sqlite")


@pytest.fixture
def translator(installed_pairs: FixturePairs, memory: TranslationMemory) -> Translator:
    return Translator(memory=memory)


@pytest.fixture
def exported(release: Release, translator: Translator, tmp_path: Path) -> XliffExport:
    return export_xliff(translator.translate(release, "en"), tmp_path / "review" / "en.xlf", original=ORIGINAL)


def parse(path: Path) -> Any:
    return etree.parse(str(path)).getroot()


def units(root: Any) -> list[Any]:
    return list(root.iter(q("trans-unit")))


def equivs(node: Any) -> list[str]:
    return [code.get("equiv-text") for code in node.iter(q("x"))]


def unit_with(root: Any, *names: str) -> Any:
    """The first unit whose source has an inline code for each of ``names`` (and no other)."""
    return next(unit for unit in units(root) if sorted(equivs(unit.find(q("source")))) == sorted(names))


def attributes(placeable: Any) -> dict[str, str]:
    """The XML attributes translate-toolkit keeps on a parsed inline code."""
    return dict(placeable.xml_attrib)


def with_codes(node: Any) -> str:
    """The node's text with each inline code as ``{id}``."""
    return (node.text or "") + "".join(f"{{{child.get('id')}}}{child.tail or ''}" for child in node)


def set_target(unit: Any, *pieces: str | Any) -> None:
    """Replace the unit's target content with text and inline code elements (copied)."""
    target = unit.find(q("target"))
    for child in list(target):
        target.remove(child)
    target.text = None
    last = None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                target.text = (target.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        else:
            last = copy.deepcopy(piece)
            last.tail = None
            target.append(last)


def write(root: Any, path: Path) -> None:
    root.getroottree().write(str(path), xml_declaration=True, encoding="UTF-8")


# -- export ---------------------------------------------------------------------------------


def test_export_writes_xliff_12_with_one_unit_per_memory_segment(exported: XliffExport, translator: Translator) -> None:
    path = exported.path
    assert sorted(p.name for p in path.parent.iterdir()) == ["en.xlf"]  # written atomically, no temporary left
    root = parse(path)
    assert root.tag == q("xliff") and root.get("version") == "1.2"
    [file] = root.findall(q("file"))
    assert (file.get("original"), file.get("source-language"), file.get("target-language")) == (ORIGINAL, "de", "en")
    identity = translator.route("de", "en").identity
    assert {tool.get("tool-id"): tool.get("tool-version") for tool in file.iter(q("tool"))}["mt"] == identity
    assert exported.model == identity

    # One unit per distinct segment as the memory keys it; the memory key is the unit's resname.
    keys = [unit.get("resname") for unit in units(root)]
    expected = {normalize_segment(segment.source) for segment in exported.translation.segments}
    assert len(keys) == len(set(keys)) == exported.units == len(expected) > 30
    assert set(keys) == expected
    # A segment used twice (the speaker role of two quotes) is one unit with both locations.
    role = next(unit for unit in units(root) if unit.get("resname") == "Ministerpräsidentin")
    assert [c.text for c in role.iter(q("context"))] == ["body[1].speaker.role", "body[6].speaker.role"]

    # translate-toolkit reads it back, inline codes included.
    store = xliff.xlifffile.parsestring(path.read_bytes())
    assert len(store.units) == exported.units
    codes = {
        (attributes(element).get("ctype"), attributes(element).get("equiv-text"))
        for unit in store.units
        for element in unit.rich_source[0].depth_first()
        if isinstance(element, xliff_placeables.X)
    }
    assert {("x-person", "Katrin Albers"), ("x-date", "Donnerstag, 15. Mai 2025"), ("x-amount", "1,8 Milliarden Euro")} <= codes

    # Placeholders are inline codes, never text.
    for unit in units(root):
        for side in (unit.find(q("source")), unit.find(q("target"))):
            assert not RAW_PLACEHOLDER.search("".join(side.itertext())), etree.tostring(side, encoding="unicode")
    assert not RAW_PLACEHOLDER.search(" ".join(str(u.source) + str(u.target) for u in store.units))

    # Fresh machine output: to be reviewed, flagged as a machine suggestion.
    for unit in units(root):
        target = unit.find(q("target"))
        assert (target.get("state"), target.get("state-qualifier")) == ("needs-review-translation", "mt-suggestion")
    assert exported.needs_review == exported.units and exported.reviewed == 0

    # Every QA finding of a place is a note on each unit of that place.
    notes = {(unit.get("resname"), note.text) for unit in units(root) for note in unit.findall(q("note")) if note.get("from") == "qa"}
    findings = [(segment.location, f) for segment in exported.translation.report.segments for f in segment.findings]
    assert findings
    for location, finding in findings:
        expected_note = f"{location}: {finding.severity} [{finding.check}] {finding.message}"
        assert any(text == expected_note for _, text in notes), expected_note


def test_targets_from_memory_carry_codes_and_their_state(release: Release, translator: Translator, memory: TranslationMemory, tmp_path: Path) -> None:
    segments = translator.translate(release, "en").segments
    identity = translator.route("de", "en").identity
    amount = next(s for s in segments if [p.source for p in s.placeholders] == ["1,8 Milliarden Euro"])
    percent = next(s for s in segments if [p.source for p in s.placeholders] == ["12,5 Prozent"])
    number = amount.placeholders[0].token[2:]
    # Machine output that mangled its placeholder, repeated it and invented another one.
    memory.store_machine([(amount.source, f"The operators invest xz {number}, XZ{number} and XZ99.")],
                         source_language="de", target_language="en", model=identity)
    memory.store_reviewed([(percent.source, percent.source.replace("Das entspricht rund", "That is around").replace(
        "der industriellen Treibhausgasemissionen des Landes", "of the state's industrial emissions"))],
        source_language="de", target_language="en")

    exported = export_xliff(translator.translate(release, "en"), tmp_path / "en.xlf", original=ORIGINAL)
    root = parse(exported.path)
    machine = next(unit for unit in units(root) if unit.get("resname") == normalize_segment(amount.source))
    target = machine.find(q("target"))
    assert with_codes(target) == f"The operators invest, {{{number}}} and."
    [code] = target.iter(q("x"))
    assert (code.get("id"), code.get("equiv-text")) == (number, "EUR\u00a01.8\u00a0billion")
    assert target.get("state") == "needs-review-translation"

    reviewed = next(unit for unit in units(root) if unit.get("resname") == normalize_segment(percent.source))
    assert reviewed.get("approved") == "yes"
    assert (reviewed.find(q("target")).get("state"), reviewed.find(q("target")).get("state-qualifier")) == ("final", "leveraged-tm")
    assert equivs(reviewed.find(q("target"))) == ["12.5%"]
    assert equivs(reviewed.find(q("source"))) == ["12,5 Prozent"]
    assert exported.reviewed == 1

    # Nothing changed: nothing is stored, the reviewed unit included.
    result = import_xliff(exported.path, memory)
    assert (result.stored, result.skipped, result.warnings) == (0, exported.units, ())


# -- import ---------------------------------------------------------------------------------


def test_round_trip_with_a_hand_edit(exported: XliffExport, release: Release, translator: Translator, memory: TranslationMemory) -> None:
    unchanged = import_xliff(exported.path, memory)
    assert (unchanged.stored, unchanged.skipped) == (0, exported.units)

    root = parse(exported.path)
    unit = unit_with(root, "Katrin Albers", "Donnerstag, 15. Mai 2025")
    person, date = list(unit.find(q("source")).iter(q("x")))
    set_target(unit, "Minister-President ", person, " signed the agreement on ", date, " in Hamm.")
    write(root, exported.path)

    result = import_xliff(exported.path, memory)
    assert (result.stored, result.skipped, result.warnings) == (1, exported.units - 1, ())
    assert (result.source_language, result.target_language, result.original) == ("de", "en", ORIGINAL)
    assert result.model == translator.route("de", "en").identity

    key = unit.get("resname")
    entry = memory.lookup_many([key], source_language="de", target_language="en", model=result.model)[key]
    p, d = person.get("id"), date.get("id")
    assert entry.reviewed and entry.target == f"Minister-President XZ{p} signed the agreement on XZ{d} in Hamm."

    again = translator.translate(release, "en")
    assert "Minister-President Katrin Albers signed the agreement on Thursday, May 15, 2025 in Hamm." in all_text(again)
    assert next(s for s in again.segments if normalize_segment(s.source) == key).origin == "reviewed"


def test_marking_a_unit_final_stores_it_unchanged(exported: XliffExport, memory: TranslationMemory) -> None:
    root = parse(exported.path)
    chosen, other = units(root)[0], units(root)[1]
    chosen.find(q("target")).set("state", "final")
    write(root, exported.path)

    result = import_xliff(exported.path, memory)
    assert (result.stored, result.skipped) == (1, exported.units - 1)
    keys = [chosen.get("resname"), other.get("resname")]
    entries = memory.lookup_many(keys, source_language="de", target_language="en", model=exported.model)
    assert entries[keys[0]].reviewed
    assert entries[keys[0]].target == normalize_segment("".join(chosen.find(q("target")).itertext()))
    assert not entries[keys[1]].reviewed  # still in needs-review: stays machine output


def test_lost_and_invented_codes_are_warned_and_stored(
    exported: XliffExport, release: Release, translator: Translator, memory: TranslationMemory
) -> None:
    root = parse(exported.path)
    unit = unit_with(root, "Katrin Albers", "Donnerstag, 15. Mai 2025")
    person, date = list(unit.find(q("source")).iter(q("x")))
    invented = copy.deepcopy(person)
    invented.set("id", "99")
    set_target(unit, "Minister-President ", person, " signed the agreement in Hamm", invented, ".")
    write(root, exported.path)

    result = import_xliff(exported.path, memory)
    assert result.stored == 1
    assert sorted((w.kind, w.unit) for w in result.warnings) == [("code_invented", unit.get("id")), ("code_lost", unit.get("id"))]
    lost = next(w for w in result.warnings if w.kind == "code_lost")
    assert f"inline code {date.get('id')}" in lost.message and lost.source == unit.get("resname")

    key = unit.get("resname")
    assert memory.lookup_many([key], source_language="de", target_language="en", model=exported.model)[key].reviewed
    # The pipeline puts the lost date back, drops the invented code, and says so in QA.
    again = all_text(translator.translate(release, "en"))
    assert "Minister-President Katrin Albers" in again and "signed the agreement" in again
    assert "Thursday, May 15, 2025" in again and "XZ99" not in again


XLIFF_WITHOUT_TARGET_LANGUAGE = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{NS}">
  <file original="x.txt" source-language="de" datatype="plaintext">
    <body><trans-unit id="1"><source>Hallo</source><target state="final">Hello</target></trans-unit></body>
  </file>
</xliff>
"""

XLIFF_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="de" trgLang="en">
  <file id="f1"><unit id="u1"><segment state="final"><source>Hallo</source><target>Hello</target></segment></unit></file>
</xliff>
"""


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("Das ist kein XML.\n", "not XML"),
        ("", "not XML"),
        ('<?xml version="1.0"?>\n<html><body>Hallo</body></html>\n', "not an XLIFF file: the root element is <html>"),
        (XLIFF_WITHOUT_TARGET_LANGUAGE, "has no target-language"),
        (XLIFF_2, "XLIFF 2.0 is not supported"),
    ],
    ids=["not-xml", "empty", "not-xliff", "no-target-language", "xliff-2"],
)
def test_bad_files_are_refused_naming_the_file(tmp_path: Path, memory: TranslationMemory, content: str, problem: str) -> None:
    path = tmp_path / "review.xlf"
    path.write_text(content, "utf-8")
    with pytest.raises(XliffError) as raised:
        import_xliff(path, memory)
    assert isinstance(raised.value, PressToolkitError)
    assert str(raised.value).startswith(f"{path}: ")
    assert problem in str(raised.value)
    assert memory.lookup_many(["Hallo"], source_language="de", target_language="en", model="any") == {}


def test_a_missing_file_is_named(tmp_path: Path, memory: TranslationMemory) -> None:
    with pytest.raises(XliffError, match=rf"^{re.escape(str(tmp_path / 'gone.xlf'))}: cannot read"):
        import_xliff(tmp_path / "gone.xlf", memory)


# -- the command line: export, edit by hand, import, re-rendered PDF ------------------------


def test_a_hand_edited_xliff_comes_back_into_the_memory_and_the_reexported_pdf(
    installed_pairs: FixturePairs, argos_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "kulturnacht.md"
    shutil.copy(EXAMPLES / "kulturnacht.md", source)
    built = presskit("build", source, "--lang", "de,en", cwd=tmp_path, packages=argos_home)
    assert built.returncode == 0, built.stderr
    [folder] = release_folders(tmp_path / "output")
    german_pdf = (folder / "de.pdf").stat().st_mtime_ns

    exported = presskit("export-xliff", source, "--to", "en", cwd=tmp_path, packages=argos_home)
    assert exported.returncode == 0, exported.stderr
    xliff = folder / "en.xlf"
    assert f"Wrote {xliff.relative_to(tmp_path)}: " in exported.stdout.replace("\n", "")
    root = parse(xliff)
    # A sentence without inline codes, so the edit is plain text a reviewer types.
    unit = next(u for u in units(root) if not list(u.find(q("source"))) and len(u.find(q("source")).text or "") > 40)
    set_target(unit, "The reviewer rewrote this sentence by hand.")
    write(root, xliff)

    imported = presskit("import-xliff", xliff, "--lang", "de,en", cwd=tmp_path, packages=argos_home)
    assert imported.returncode == 0, imported.stderr
    assert "Stored 1 reviewed segments (de→en)" in imported.stdout
    text = plain(" ".join(page.extract_text() for page in PdfReader(folder / "en.pdf").pages))
    assert "The reviewer rewrote this sentence by hand." in text
    assert (folder / "de.pdf").stat().st_mtime_ns == german_pdf  # only the reviewed language was rendered again
    entry = json.loads((folder / "manifest.json").read_text("utf-8"))
    en_pdf = next(file for file in entry["files"] if file["name"] == "en.pdf")
    assert en_pdf["sha256"] == hashlib.sha256((folder / "en.pdf").read_bytes()).hexdigest()


def test_export_for_several_languages_and_import_keeps_the_language_links(
    installed_pairs: FixturePairs, argos_home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "kulturnacht.md"
    shutil.copy(EXAMPLES / "kulturnacht.md", source)
    built = presskit("build", source, "--lang", "de,en,fr", "--format", "html", cwd=tmp_path, packages=argos_home)
    assert built.returncode == 0, built.stderr
    [folder] = release_folders(tmp_path / "output")
    exported = presskit("export-xliff", source, "--to", "fr,en", cwd=tmp_path, packages=argos_home)
    assert exported.returncode == 0, exported.stderr
    assert (folder / "fr.xlf").is_file() and (folder / "en.xlf").is_file()
    refused = presskit("export-xliff", source, "--to", "fr,en", "--out", tmp_path / "x.xlf", cwd=tmp_path, packages=argos_home)
    assert refused.returncode == 1 and "--out names one file" in refused.stderr

    root = parse(folder / "fr.xlf")
    unit = next(u for u in units(root) if not list(u.find(q("source"))) and len(u.find(q("source")).text or "") > 40)
    set_target(unit, "Le relecteur a réécrit cette phrase.")
    write(root, folder / "fr.xlf")
    # The office's configuration builds German only; the folder also holds English and French.
    imported = presskit("import-xliff", folder / "fr.xlf", cwd=tmp_path, packages=argos_home)
    assert imported.returncode == 0, imported.stderr
    german = (folder / "de.html").read_text("utf-8")
    assert 'hreflang="fr" href="fr.html"' in german and 'hreflang="en" href="en.html"' in german
