"""The batch pre-check (``toolkit/run/precheck.py``): up-to-date releases are not read again, and nothing else is skipped.

What an office relies on: a re-run of an unchanged inbox reads no release yet
reports the same files, QA verdicts and reading warnings; any change an output
is made from (the source, a setting, the templates, a reviewed translation,
the photo, the output files themselves) sends that release through the full
run; and ``.presskit-index.json`` is only ever a shortcut: damaged or edited
by hand, it is ignored, never trusted, and it names no local path.

The runs are real ``run_batch`` runs in this process (German-only runs need
no model; the translated ones use the fixture model of ``argos_fixture``).
Which releases a run reads is counted at ``toolkit.run.reading.prepare_release``,
the one door every release goes through when it is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argos_fixture import FixturePairs
from conftest import EXAMPLES
from lxml import etree
from PIL import Image
from pypdf import PdfReader
from test_batch import assert_manifests_right, snapshot
from test_cli import presskit

from toolkit.batch import (
    BatchResult,
    ReleaseOutcome,
    RunOptions,
    find_releases,
    run_batch,
)
from toolkit.config import read_config
from toolkit.render.pdf import PdfOptions
from toolkit.run import keys, reading
from toolkit.run.precheck import INDEX_NAME
from toolkit.translate.engine import Engine, EngineOptions
from toolkit.translate.memory import TranslationMemory
from toolkit.translate.pipeline import Translator
from toolkit.write import MANIFEST_NAME

sys.path.insert(0, str(EXAMPLES))
from make_batch import write_variations

HYDROGEN = "wasserstoff-001.txt"
CULTURE = "kulturnacht-002.md"  # names a photo, bilder/kulturnacht-plakat.jpg, that is not there at first


@dataclass
class Run:
    result: BatchResult
    #: Names of the sources the run read.
    read: list[str]
    #: The warnings the run gave, in order.
    warnings: list[str]

    def outcome(self, name: str) -> ReleaseOutcome:
        [found] = [outcome for outcome in self.result.releases if outcome.source.name == name]
        return found

    def report(self) -> list[tuple[object, ...]]:
        """What the run reports per release, except whether it built it: folder, files, QA verdicts, version."""
        return [(o.source.name, o.directory, o.slug, sorted((f.name, f.sha256, f.size, f.key) for f in o.files), o.qa_passed,
                 o.version, o.error) for o in self.result.releases]

    def statuses(self) -> dict[str, str]:
        return {outcome.source.name: outcome.status for outcome in self.result.releases}


@pytest.fixture
def batch_run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """``batch_run(inbox, out_dir, make_translator=None, **RunOptions)``: one batch in this process, its reads counted."""
    real = reading.prepare_release

    def run(inbox: Path, out_dir: Path, make_translator: Callable[[], Translator] | None = None, **options: object) -> Run:
        read: list[str] = []

        def counted(source: Path, *args: object, **kwargs: object) -> object:
            read.append(Path(source).name)
            return real(source, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(reading, "prepare_release", counted)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run_batch(find_releases(inbox), RunOptions(out_dir=out_dir, jobs=1, **options),  # type: ignore[arg-type]
                               make_translator=make_translator or _no_translator)
        assert not result.failed, [str(outcome.error) for outcome in result.failed]
        return Run(result, sorted(read), [str(warning.message) for warning in caught])

    return run


def _no_translator() -> Translator:
    raise AssertionError("a German-only run must not make a translator")


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    write_variations(2, folder)
    return folder


def reading_warnings(run: Run) -> list[str]:
    return [message for outcome in run.result.releases for _, message in outcome.warnings]


def contents(out_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out_dir)): p.read_bytes() for p in sorted(out_dir.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def files(run: Run, name: str) -> list[tuple[str, str, int, str]]:
    return sorted((file.name, file.sha256, file.size, file.key) for file in run.outcome(name).files)


def folder_of(run: Run, name: str) -> Path:
    directory = run.outcome(name).directory
    assert directory is not None
    return directory


# --- a re-run without changes ------------------------------------------------------------------


def test_a_no_change_rerun_reads_nothing_and_reports_the_same_files_verdicts_and_warnings(
    installed_pairs: FixturePairs, argos_home: Path, tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]
) -> None:
    memory = tmp_path / "memory.sqlite"

    def translator() -> Translator:  # as the CLI makes it: a new one per run, the memory file kept
        return Translator(engine=Engine(EngineOptions(beam_size=1, max_decoding_length=12)), memory=TranslationMemory(memory))

    out_dir = tmp_path / "output"
    first = batch_run(inbox, out_dir, translator, languages=("de", "en"), formats=("pdf", "json"))
    assert first.read == [CULTURE, HYDROGEN]
    assert set(first.statuses().values()) == {"built"}
    assert all(set(outcome.qa_passed) == {"en"} for outcome in first.result.releases)
    # Both examples warn when read: the photo is missing, a link line has no address.
    said = reading_warnings(first)
    assert any("kulturnacht-plakat.jpg" in message for message in said) and any("has no address" in message for message in said)
    before = snapshot(out_dir)

    second = batch_run(inbox, out_dir, translator, languages=("de", "en"), formats=("pdf", "json"))
    assert second.read == []
    assert set(second.statuses().values()) == {"up to date"}
    assert second.report() == first.report()  # the same folders, files (hash, size, key), QA verdicts and versions
    assert sorted(second.warnings) == sorted(said)  # the reading warnings again, word for word (paths included)
    assert snapshot(out_dir) == before  # not a file touched, manifests and QA reports included
    assert_manifests_right(out_dir, {"de.pdf", "de.json", "en.pdf", "en.json", "en.qa.json"})


def test_the_cli_says_the_same_on_a_no_change_rerun(tmp_path: Path, inbox: Path) -> None:
    first = presskit("batch", inbox, "--lang", "de", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    second = presskit("batch", inbox, "--lang", "de", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "Nothing to do: all 2 outputs of 2 releases" in second.stdout

    def warning_lines(stderr: str) -> list[str]:
        # A long warning wraps; join the lines and split at each "warning:".
        text = " ".join(line.strip() for line in stderr.splitlines() if "━" not in line and "reading" not in line)
        return sorted(part.strip() for part in text.split("warning:")[1:])

    assert warning_lines(second.stderr) == warning_lines(first.stderr) and len(warning_lines(first.stderr)) >= 2
    assert str(inbox / CULTURE) in second.stderr  # the warning names the file, as when it was read


def test_editing_one_source_reads_only_that_one_again(tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]) -> None:
    out_dir = tmp_path / "output"
    first = batch_run(inbox, out_dir, formats=("json",))
    edited = inbox / CULTURE
    edited.write_text(edited.read_text("utf-8").replace("Busse und Fähre", "Busse, Bahnen und Fähre"), "utf-8")
    second = batch_run(inbox, out_dir, formats=("json",))
    assert second.read == [CULTURE]
    assert second.statuses() == {CULTURE: "built", HYDROGEN: "up to date"}
    assert "Busse, Bahnen und Fähre" in (folder_of(second, CULTURE) / "de.json").read_text("utf-8")
    assert files(second, HYDROGEN) == files(first, HYDROGEN)
    assert batch_run(inbox, out_dir, formats=("json",)).read == []  # and the edit is recorded


# --- changes that send every release through the full run ---------------------------------------


def _letter_pages(run: Run) -> bool:
    return all(PdfReader(folder_of(run, name) / "de.pdf").pages[0].mediabox.width == 612 for name in (CULTURE, HYDROGEN))


SETTINGS: dict[str, tuple[dict[str, object], dict[str, object], Callable[[Run], bool]]] = {
    # name: (options of the first run, options of the second, what the second run's outputs show)
    "formats": ({"formats": ("json",)}, {"formats": ("json", "html")},
                lambda run: all((folder_of(run, name) / "de.html").is_file() for name in (CULTURE, HYDROGEN))),
    "page size": ({"formats": ("pdf",)}, {"formats": ("pdf",), "pdf_options": PdfOptions(page_size="Letter")}, _letter_pages),
    "branding": ({"formats": ("html",)}, {"formats": ("html",), "branding": read_config(EXAMPLES / "presskit.toml").branded},
                 lambda run: all("Land Beispielland" in (folder_of(run, name) / "de.html").read_text("utf-8")
                                 for name in (CULTURE, HYDROGEN))),
    "release date": ({"formats": ("json",)}, {"formats": ("json",), "date": dt.date(2025, 12, 1)},
                     lambda run: all(o.release is not None and o.release.date == dt.date(2025, 12, 1) for o in run.result.releases)),
}


@pytest.mark.parametrize("setting", SETTINGS)
def test_a_changed_setting_sends_every_release_through_the_full_run(
    setting: str, tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]
) -> None:
    before, after, shows = SETTINGS[setting]
    out_dir = tmp_path / "output"
    batch_run(inbox, out_dir, **before)
    assert batch_run(inbox, out_dir, **before).read == []
    changed = batch_run(inbox, out_dir, **after)
    assert changed.read == [CULTURE, HYDROGEN]
    assert set(changed.statuses().values()) == {"built"}
    assert shows(changed)
    assert batch_run(inbox, out_dir, **after).read == []


@pytest.fixture
def templates_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the templates the batch's templates digest is taken from (the repository's are shared, never edited)."""
    copy = tmp_path / "templates"
    shutil.copytree(keys.templates_dir(), copy)
    monkeypatch.setattr(keys, "templates_dir", lambda: copy)
    keys.templates_digest.cache_clear()
    yield copy
    keys.templates_digest.cache_clear()  # the monkeypatch is undone after this; the next digest is the real one again


def test_a_changed_template_sends_every_release_through_the_full_run(
    tmp_path: Path, inbox: Path, templates_copy: Path, batch_run: Callable[..., Run]
) -> None:
    out_dir = tmp_path / "output"
    batch_run(inbox, out_dir, formats=("json",))
    assert batch_run(inbox, out_dir, formats=("json",)).read == []
    sheet = templates_copy / "sheet.css"
    sheet.write_text(sheet.read_text("utf-8") + "\n/* an office's change */\n", "utf-8")
    keys.templates_digest.cache_clear()  # a new process would see the new digest
    changed = batch_run(inbox, out_dir, formats=("json",))
    assert changed.read == [CULTURE, HYDROGEN]
    assert set(changed.statuses().values()) == {"built"}  # the outputs' keys hold the templates digest too


def test_a_reviewed_memory_entry_sends_the_translated_releases_through_the_full_run(
    installed_pairs: FixturePairs, argos_home: Path, tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]
) -> None:
    memory_path = tmp_path / "memory.sqlite"

    def translator() -> Translator:
        return Translator(engine=Engine(EngineOptions(beam_size=1, max_decoding_length=12)), memory=TranslationMemory(memory_path))

    out_dir = tmp_path / "output"
    options: dict[str, object] = {"languages": ("de", "en"), "formats": ("json",)}
    first = batch_run(inbox, out_dir, translator, **options)
    # Machine output stored by the first run does not count as a change.
    assert batch_run(inbox, out_dir, translator, **options).read == []

    tmx = tmp_path / "de-en.tmx"
    with TranslationMemory(memory_path) as memory:
        memory.export_tmx(tmx, source_language="de", target_language="en")
    tree = etree.parse(str(tmx))
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    unit = next(tu for tu in tree.iter("tu")
                if "Kulturnacht" in "".join(tu.find(f"tuv[@{lang}='de']/seg").itertext()) and not len(tu.find(f"tuv[@{lang}='de']/seg")))
    unit.find(f"tuv[@{lang}='en']/seg").text = "The reviewers wrote this sentence about the culture night."
    tree.write(str(tmx), encoding="utf-8", xml_declaration=True)
    with TranslationMemory(memory_path) as memory:
        assert memory.import_tmx(tmx, reviewed=True) >= 1

    reviewed = batch_run(inbox, out_dir, translator, **options)
    assert reviewed.read == [CULTURE, HYDROGEN]  # the memory changed: every translated release is read again
    assert "The reviewers wrote this sentence about the culture night." in (folder_of(reviewed, CULTURE) / "en.json").read_text("utf-8")
    assert files(reviewed, HYDROGEN) == files(first, HYDROGEN)  # read again; its outputs were right
    assert batch_run(inbox, out_dir, translator, **options).read == []


def _photo(path: Path, color: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())


def test_the_photo_added_or_changed_sends_its_release_through_the_full_run(
    tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]
) -> None:
    out_dir = tmp_path / "output"
    first = batch_run(inbox, out_dir, formats=("json",))
    assert any("kulturnacht-plakat.jpg" in message for message in first.warnings)
    photo = inbox / "bilder" / "kulturnacht-plakat.jpg"

    _photo(photo, "red")
    added = batch_run(inbox, out_dir, formats=("json",))
    assert added.read == [CULTURE]
    assert added.statuses() == {CULTURE: "built", HYDROGEN: "up to date"}
    assert not any("kulturnacht-plakat.jpg" in message for message in added.warnings)  # no stale "photo missing"
    assert batch_run(inbox, out_dir, formats=("json",)).read == []

    _photo(photo, "blue")
    assert batch_run(inbox, out_dir, formats=("json",)).read == [CULTURE]

    photo.unlink()
    removed = batch_run(inbox, out_dir, formats=("json",))
    assert removed.read == [CULTURE]
    assert any("kulturnacht-plakat.jpg" in message for message in removed.warnings)


@pytest.mark.parametrize("damage", ["deleted", "altered", "manifest deleted"])
def test_a_deleted_or_altered_output_sends_its_release_through_the_full_run(
    damage: str, tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]
) -> None:
    out_dir = tmp_path / "output"
    first = batch_run(inbox, out_dir, formats=("json", "html"))
    expected = contents(out_dir)
    folder = folder_of(first, HYDROGEN)
    target = folder / "de.html"
    if damage == "deleted":
        target.unlink()
    elif damage == "altered":  # the same size, one byte different: the SHA-256 tells
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
    else:
        (folder / MANIFEST_NAME).unlink()
    repaired = batch_run(inbox, out_dir, formats=("json", "html"))
    assert repaired.read == [HYDROGEN]
    assert repaired.statuses()[CULTURE] == "up to date"
    assert contents(out_dir) == expected  # the file is back, as it was
    assert_manifests_right(out_dir, {"de.json", "de.html"})


# --- the index: a shortcut, never trusted ----------------------------------------------------------


def _edit_index(out_dir: Path, change: Callable[[dict], object]) -> None:
    path = out_dir / INDEX_NAME
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


def _entries(data: dict) -> list[dict]:
    return list(data["releases"].values())


def _swap_folders(data: dict) -> None:
    first, second = _entries(data)
    first["folder"], second["folder"] = second["folder"], first["folder"]


DAMAGE: dict[str, Callable[[Path], object]] = {
    "not JSON": lambda out: (out / INDEX_NAME).write_text("{\"schema\": \"press-toolkit/batch-", "utf-8"),
    "cut in half": lambda out: (out / INDEX_NAME).write_bytes((out / INDEX_NAME).read_bytes()[: (out / INDEX_NAME).stat().st_size // 2]),
    "empty": lambda out: (out / INDEX_NAME).write_bytes(b""),
    "another schema": lambda out: _edit_index(out, lambda data: data.update(schema="press-toolkit/batch-index/99")),
    "entries of the wrong shape": lambda out: _edit_index(out, lambda data: [entry.update(pairs=42, qa="yes") for entry in _entries(data)]),
    "folders outside the output folder": lambda out: _edit_index(out, lambda data: [entry.update(folder="../../inbox") for entry in _entries(data)]),
    "folders swapped": lambda out: _edit_index(out, _swap_folders),
    "settings digest forged": lambda out: _edit_index(out, lambda data: [entry.update(settings="0" * 64) for entry in _entries(data)]),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_or_hand_edited_index_is_ignored_and_the_run_is_right(
    damage: str, tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]
) -> None:
    out_dir = tmp_path / "output"
    batch_run(inbox, out_dir, formats=("json", "html"))
    expected = contents(out_dir)
    DAMAGE[damage](out_dir)
    run = batch_run(inbox, out_dir, formats=("json", "html"))
    assert run.read == [CULTURE, HYDROGEN]
    assert set(run.statuses().values()) == {"up to date"}  # read again, and its outputs found right by their keys
    assert contents(out_dir) == expected
    assert batch_run(inbox, out_dir, formats=("json", "html")).read == []  # the index is written anew, whole


def test_an_index_claiming_an_edited_source_unchanged_is_not_believed(
    tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]
) -> None:
    out_dir = tmp_path / "output"
    batch_run(inbox, out_dir, formats=("json",))
    edited = inbox / HYDROGEN
    edited.write_text(edited.read_text("utf-8").replace("420 Kilometer", "430 Kilometer"), "utf-8")
    new_sha = hashlib.sha256(edited.read_bytes()).hexdigest()
    # A hand edit puts the new source's SHA-256 into every entry: the manifest still names the old one.
    _edit_index(out_dir, lambda data: [entry.update(source_sha256=new_sha) for entry in _entries(data)])
    run = batch_run(inbox, out_dir, formats=("json",))
    assert HYDROGEN in run.read
    assert "430 Kilometer" in (folder_of(run, HYDROGEN) / "de.json").read_text("utf-8")


def test_a_qa_verdict_edited_in_the_index_is_not_believed(
    installed_pairs: FixturePairs, argos_home: Path, tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]
) -> None:
    def translator() -> Translator:
        return Translator(engine=Engine(EngineOptions(beam_size=1, max_decoding_length=12)),
                          memory=TranslationMemory(tmp_path / "memory.sqlite"))

    out_dir = tmp_path / "output"
    options: dict[str, object] = {"languages": ("de", "en"), "formats": ("json",)}
    first = batch_run(inbox, out_dir, translator, **options)
    verdicts = {outcome.source.name: outcome.qa_passed for outcome in first.result.releases}
    _edit_index(out_dir, lambda data: [entry.update(qa={"en": not entry["qa"]["en"]}) for entry in _entries(data)])
    run = batch_run(inbox, out_dir, translator, **options)
    assert run.read == [CULTURE, HYDROGEN]
    assert {outcome.source.name: outcome.qa_passed for outcome in run.result.releases} == verdicts
    again = batch_run(inbox, out_dir, translator, **options)
    assert again.read == [] and {outcome.source.name: outcome.qa_passed for outcome in again.result.releases} == verdicts


def test_the_index_names_no_local_path(tmp_path: Path, inbox: Path, batch_run: Callable[..., Run]) -> None:
    out_dir = tmp_path / "output"
    run = batch_run(inbox, out_dir, formats=("json",))
    assert reading_warnings(run)  # the warnings name the source's path; the index keeps them without it
    text = (out_dir / INDEX_NAME).read_text("utf-8")
    for local in (str(tmp_path), str(inbox), str(out_dir), str(Path.home()), str(EXAMPLES.parent), tmp_path.name, CULTURE, HYDROGEN):
        assert local not in text, local
    for entry in json.loads(text)["releases"].values():
        assert not Path(entry["folder"]).is_absolute() and ".." not in Path(entry["folder"]).parts
