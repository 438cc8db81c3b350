"""Hostile XLIFF files (issue 13): a reviewed file comes back from outside the office and is trusted in nothing.

Every test starts from a real export on the fixture model and tampers with
it as an attacker would: a DOCTYPE with entities, an ``original`` that
points at another file, a file far too large, units the release never had.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argos_fixture import FixturePairs
from conftest import EXAMPLES, release_folders
from lxml import etree  # type: ignore[import-untyped]
from test_cli import presskit
from test_xliff import NS, parse, q, set_target, units, write

from toolkit.facts import mark_facts
from toolkit.read import read_release
from toolkit.translate.memory import TranslationMemory, normalize_segment
from toolkit.translate.pipeline import Translator
from toolkit.translate.xliff import (
    MAX_BYTES,
    MAX_ELEMENTS,
    MAX_UNIT_WARNINGS,
    MAX_UNITS,
    XliffError,
    export_xliff,
    import_xliff,
)

SECRET = "TOP-SECRET-7f3a"
_MB = 1024 * 1024


@dataclass(frozen=True)
class Workspace:
    """An office folder after ``presskit export-xliff``: the source, the output, the data folder (memory, export record)."""

    root: Path
    source: Path
    xliff: Path
    packages: Path

    @property
    def memory(self) -> Path:
        return self.root / "data" / "translation-memory.sqlite"

    def tampered(self, name: str, root: Any) -> Path:
        """``root`` written as ``name`` next to the exported file (the release's output folder)."""
        path = self.xliff.parent / name
        write(root, path)
        return path

    def reviewed(self, keys: list[str]) -> dict[str, str]:
        """The reviewed memory entries among ``keys`` (machine output of any model is left out)."""
        with TranslationMemory(self.memory) as memory:
            found = memory.lookup_many(keys, source_language="de", target_language="en", model="no such model")
        return {key: entry.target for key, entry in found.items() if entry.reviewed}


@pytest.fixture(scope="module")
def workspace(installed_pairs: FixturePairs, argos_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("office")
    source = root / "kulturnacht.md"
    shutil.copy(EXAMPLES / "kulturnacht.md", source)
    exported = presskit("export-xliff", source, "--to", "en", cwd=root, packages=argos_home)
    assert exported.returncode == 0, exported.stderr
    [folder] = release_folders(root / "output")
    assert (root / "data" / "xliff-exports.json").is_file()  # the export is recorded in the data folder
    return Workspace(root=root, source=source, xliff=folder / "en.xlf", packages=argos_home)


def import_cli(workspace: Workspace, path: Path, *args: str) -> Any:
    return presskit("import-xliff", path, *args, cwd=workspace.root, packages=workspace.packages)


def one_error_line(result: Any, path: Path) -> str:
    """The single stderr line of a refused import: exit 1, the file named, no traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    [line] = lines
    assert line.startswith(f"error: {path}: "), line
    return line


def plain_unit(root: Any, index: int = 0) -> Any:
    """A unit whose source is plain text (no inline codes), long enough to be a sentence; another one for each index."""
    plain = [u for u in units(root) if not list(u.find(q("source"))) and len(u.find(q("source")).text or "") > 40]
    return plain[index % len(plain)]


# -- DOCTYPE and entities: one error line, nothing read, nothing stored ----------------------


def _with_doctype(xml: bytes, doctype: str) -> bytes:
    declaration, rest = xml.split(b"\n", 1)
    return declaration + b"\n" + doctype.encode("utf-8") + b"\n" + rest


ENTITY_ATTACKS = {
    # name: (DOCTYPE to insert or "", text put into a target, what the error says)
    "internal-entity": ('<!DOCTYPE xliff [<!ENTITY custom "Hallo Welt">]>', "Reviewed: &custom;.", "DOCTYPE"),
    "external-entity": ('<!DOCTYPE xliff [<!ENTITY ext SYSTEM "file://{secret}">]>', "Reviewed: &ext;.", "DOCTYPE"),
    "billion-laughs": (
        '<!DOCTYPE xliff [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
        "Reviewed: &f;.",
        "DOCTYPE",
    ),
    "external-dtd": ('<!DOCTYPE xliff SYSTEM "http://127.0.0.1:9/xliff.dtd">', "Reviewed by hand, nothing else.", "DOCTYPE"),
    "undeclared-entity": ("", "Reviewed: &custom;.", "not XML"),
}


@pytest.mark.parametrize("attack", list(ENTITY_ATTACKS))
def test_doctype_and_entities_give_one_error_line(workspace: Workspace, tmp_path: Path, attack: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, "utf-8")
    doctype, text, problem = ENTITY_ATTACKS[attack]
    root = parse(workspace.xliff)
    unit = plain_unit(root, list(ENTITY_ATTACKS).index(attack))  # each attack its own unit: a stored one shows in no other test
    marker = f"ENTITYMARK{attack}"
    set_target(unit, marker)
    unit.find(q("target")).set("state", "final")
    data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
    data = data.replace(marker.encode(), text.encode())
    if doctype:
        data = _with_doctype(data, doctype.format(secret=secret))
    path = workspace.xliff.parent / f"{attack}.xlf"
    path.write_bytes(data)

    result = import_cli(workspace, path)
    line = one_error_line(result, path)
    assert problem in line
    assert SECRET not in result.stdout + result.stderr
    assert workspace.reviewed([unit.get("resname")]) == {}


# -- original: only the source file the export recorded is read and rebuilt -----------------


def _outside_release(tmp_path: Path) -> Path:
    """A valid release outside every folder the office exported from (another release, so another output folder)."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    target = outside / "release.txt"
    shutil.copy(EXAMPLES / "wasserstoff-netz.txt", target)
    return target


ESCAPES = ["absolute", "dotdot", "symlink", "relative-dotdot"]


@pytest.mark.parametrize("how", ESCAPES)
def test_an_original_pointing_outside_is_refused(workspace: Workspace, tmp_path: Path, how: str) -> None:
    target = _outside_release(tmp_path)
    before = (target.read_bytes(), target.stat().st_mtime_ns, sorted(p.name for p in target.parent.iterdir()))
    outputs = sorted(p.name for p in (workspace.root / "output").iterdir())
    if how == "absolute":
        original = str(target)
    elif how == "dotdot":  # starts in the exported source's folder, climbs out
        original = str(workspace.source.parent / ".." / os.path.relpath(target, workspace.source.parent.parent))
    elif how == "symlink":  # a link in the source folder that points outside
        link = workspace.source.parent / f"link-{tmp_path.name}.txt"
        link.symlink_to(target)
        original = str(link)
    else:  # relative: to the XLIFF file's folder, climbing out
        original = os.path.relpath(target, workspace.xliff.parent)

    root = parse(workspace.xliff)
    root.find(q("file")).set("original", original)
    unit = plain_unit(root, len(ENTITY_ATTACKS) + ESCAPES.index(how))
    set_target(unit, f"An edit that would be stored ({how}).")
    path = workspace.tampered(f"original-{how}.xlf", root)

    result = import_cli(workspace, path, "--lang", "de,en")
    line = one_error_line(result, path)
    assert "refused" in line and repr(original) in line
    # Nothing read, rebuilt or stored: the outside file and its folder are as they were, no new output folder.
    assert (target.read_bytes(), target.stat().st_mtime_ns, sorted(p.name for p in target.parent.iterdir())) == before
    assert sorted(p.name for p in (workspace.root / "output").iterdir()) == outputs
    assert not list((workspace.root / "output").rglob("*.pdf"))
    assert workspace.reviewed([unit.get("resname")]) == {}


def test_the_recorded_original_is_still_accepted(workspace: Workspace) -> None:
    """The untampered file passes the checks (nothing changed, so nothing is stored or rendered)."""
    result = import_cli(workspace, workspace.xliff, "--no-render")
    assert result.returncode == 0, result.stderr
    assert "Stored 0 reviewed segments (de→en)" in result.stdout
    assert result.stderr == ""


# -- invented units: ignored with one warning, never in the memory ---------------------------


def _invent(root: Any, count: int, *, steal_id_from: Any | None = None) -> list[str]:
    """Append ``count`` units the release does not have, marked final; returns their memory keys."""
    body = root.find(f"{q('file')}/{q('body')}")
    keys = []
    for number in range(count):
        text = f"Erfundener Satz Nummer {number}, den die Pressemitteilung nie hatte."
        unit = etree.SubElement(body, q("trans-unit"), {"id": f"invented{number}", "resname": text})
        etree.SubElement(unit, q("source")).text = text
        etree.SubElement(unit, q("target"), {"state": "final"}).text = f"Invented sentence number {number}."
        keys.append(normalize_segment(text))
    if steal_id_from is not None:  # a real unit's id does not make a foreign segment the release's
        forged = copy.deepcopy(steal_id_from)
        forged.set("resname", "Ein untergeschobener Satz.")
        forged.find(q("source")).text = "Ein untergeschobener Satz."
        for child in list(forged.find(q("source"))):
            forged.find(q("source")).remove(child)
        set_target(forged, "A smuggled sentence.")
        forged.find(q("target")).set("state", "final")
        body.append(forged)
        keys.append("Ein untergeschobener Satz.")
    return keys


def test_invented_units_are_ignored_with_a_warning_on_the_command_line(workspace: Workspace) -> None:
    root = parse(workspace.xliff)
    invented = _invent(root, 40, steal_id_from=units(root)[0])
    path = workspace.tampered("invented.xlf", root)

    result = import_cli(workspace, path, "--no-render")
    assert result.returncode == 0, result.stderr
    assert "Stored 0 reviewed segments (de→en)" in result.stdout
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 1 and warnings[0].startswith("warning: ") and "ignored 41 of" in warnings[0], result.stderr
    assert workspace.reviewed(invented) == {}


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory(tmp_path / "memory.sqlite") as store:
        yield store


@pytest.mark.parametrize("with_record", [True, False], ids=["export-record", "memory"])
def test_invented_units_are_not_stored_only_the_releases_own(
    installed_pairs: FixturePairs, memory: TranslationMemory, tmp_path: Path, with_record: bool
) -> None:
    source = tmp_path / "wasserstoff-netz.txt"
    shutil.copy(EXAMPLES / "wasserstoff-netz.txt", source)
    record = tmp_path / "data" / "xliff-exports.json" if with_record else None
    translation = Translator(memory=memory).translate(mark_facts(read_release(source)), "en")
    exported = export_xliff(translation, tmp_path / "review" / "en.xlf", original=source, record=record)
    root = parse(exported.path)
    real = plain_unit(root)
    set_target(real, "The reviewer rewrote this sentence.")
    invented = _invent(root, 25, steal_id_from=units(root)[1])
    write(root, exported.path)

    result = import_xliff(exported.path, memory, record=record)
    assert (result.stored, result.ignored, result.units) == (1, 26, exported.units + 26)
    assert result.skipped == exported.units - 1
    [warning] = [w for w in result.warnings if w.kind == "not_in_release"]
    assert "ignored 26 of" in warning.message and str(exported.path) in warning.message
    assert result.source == (source.resolve() if with_record else None)
    found = memory.lookup_many([*invented, real.get("resname")], source_language="de", target_language="en", model=exported.model)
    assert set(found) == {real.get("resname")} and found[real.get("resname")].reviewed


# -- size limits: refused before parsing ------------------------------------------------------


def test_an_oversize_file_is_refused_quickly_before_parsing(
    installed_pairs: FixturePairs, memory: TranslationMemory, tmp_path: Path
) -> None:
    source = tmp_path / "wasserstoff-netz.txt"
    shutil.copy(EXAMPLES / "wasserstoff-netz.txt", source)
    exported = export_xliff(Translator(memory=memory).translate(mark_facts(read_release(source)), "en"), tmp_path / "en.xlf", original=source)
    # The attack: tens of thousands of invented "final" units, padded past the limit.
    text = exported.path.read_bytes()
    unit = (b'<trans-unit id="x%d" resname="Erfunden %d."><source>Erfunden %d.</source>'
            b'<target state="final">Invented %d. ' + b"padding " * 100 + b"</target></trans-unit>\n")
    head, tail = text.rsplit(b"</body>", 1)
    padding = b"".join(unit % (n, n, n, n) for n in range(MAX_BYTES // len(unit % (0, 0, 0, 0)) + 100))
    exported.path.write_bytes(head + padding + b"</body>" + tail)
    assert exported.path.stat().st_size > MAX_BYTES

    started = time.perf_counter()
    with pytest.raises(XliffError, match=r"too large: .* MB") as raised:
        import_xliff(exported.path, memory)
    assert time.perf_counter() - started < 1.0
    assert str(raised.value).startswith(f"{exported.path}: ")
    assert memory.lookup_many(["Erfunden 1."], source_language="de", target_language="en", model=exported.model) == {}


def test_too_many_units_are_refused(memory: TranslationMemory, tmp_path: Path) -> None:
    body = "".join(
        f'<trans-unit id="u{n}"><source>Satz {n}.</source><target state="final">Sentence {n}.</target></trans-unit>'
        for n in range(MAX_UNITS + 1)
    )
    path = _xliff_file(tmp_path / "many.xlf", body)
    assert path.stat().st_size < MAX_BYTES
    with pytest.raises(XliffError, match=rf"too many translation units: more than {MAX_UNITS}"):
        import_xliff(path, memory)
    assert memory.lookup_many(["Satz 1."], source_language="de", target_language="en", model="any") == {}


def test_a_flood_of_inline_codes_is_refused_before_a_tree_is_built(memory: TranslationMemory, tmp_path: Path) -> None:
    codes = "".join(f'<x id="{n}"/>' for n in range(MAX_ELEMENTS))
    unit = f'<trans-unit id="u"><source>Satz.</source><target state="final">{codes}</target></trans-unit>'
    path = _xliff_file(tmp_path / "codes.xlf", unit)
    assert path.stat().st_size < MAX_BYTES
    started = time.perf_counter()
    with pytest.raises(XliffError, match=rf"too many XML elements: more than {MAX_ELEMENTS}"):
        import_xliff(path, memory)
    assert time.perf_counter() - started < 5.0


def test_a_units_code_warnings_are_capped(installed_pairs: FixturePairs, memory: TranslationMemory, tmp_path: Path) -> None:
    source = tmp_path / "wasserstoff-netz.txt"
    shutil.copy(EXAMPLES / "wasserstoff-netz.txt", source)
    exported = export_xliff(Translator(memory=memory).translate(mark_facts(read_release(source)), "en"), tmp_path / "en.xlf", original=source)
    root = parse(exported.path)
    unit = plain_unit(root)
    code = etree.Element(q("x"), {"id": "1"})
    invented = []
    for number in range(500):
        copied = copy.deepcopy(code)
        copied.set("id", str(1000 + number))
        invented += [copied, " "]
    set_target(unit, "Edited: ", *invented)
    write(root, exported.path)

    result = import_xliff(exported.path, memory)
    assert result.stored == 1
    mine = [w for w in result.warnings if w.unit == unit.get("id")]
    assert len(mine) == MAX_UNIT_WARNINGS + 1
    assert "490 more inline code problems" in mine[-1].message


def _xliff_file(path: Path, body: str) -> Path:
    file = '<file original="x.txt" source-language="de" target-language="en" datatype="plaintext">'
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="{NS}">{file}<body>{body}</body></file></xliff>',
                    "utf-8")
    return path


def test_a_pipe_is_read_no_further_than_the_limit(memory: TranslationMemory, tmp_path: Path) -> None:
    """A pipe or device has no size to check: the import reads one byte past the limit at most (not all of /dev/zero)."""
    fifo = tmp_path / "review.xlf"
    os.mkfifo(fifo)
    def feed() -> None:
        chunk = b"<" * _MB
        try:
            with fifo.open("wb") as pipe:
                for _ in range(MAX_BYTES // _MB + 4):  # bounded, so that an import reading everything still ends
                    pipe.write(chunk)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    with pytest.raises(XliffError, match="too large: more than"):
        import_xliff(fifo, memory)
    writer.join(timeout=10)
    assert not writer.is_alive()


def test_the_export_record_lists_the_resolved_source_and_unit_ids(workspace: Workspace) -> None:
    record = json.loads((workspace.root / "data" / "xliff-exports.json").read_text("utf-8"))
    [entry] = [e for e in record["exports"] if e["xliff"] == str(workspace.xliff.resolve())]
    assert entry["original"] == str(workspace.source.resolve())
    ids = {u.get("id") for u in units(parse(workspace.xliff))}
    assert set(entry["units"]) == ids
    assert all(len(i) == 17 and i.startswith("s") for i in ids)
