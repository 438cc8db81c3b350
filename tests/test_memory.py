"""The translation memory: real SQLite files, real TMX through translate-toolkit."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from translate.storage import tmx

from toolkit.errors import PressToolkitError
from toolkit.translate.memory import (
    IMPORTED_MODEL,
    MODEL_PROP,
    SCHEMA_VERSION,
    TranslationMemory,
    normalize_language,
    normalize_segment,
)
from toolkit.translate.units import Segment

DE_EN = {"source_language": "de", "target_language": "en"}
MODEL = "argos:translate-de_en-1_9:sha256=0f3c"
OTHER_MODEL = "argos:translate-de_en-2_0:sha256=77ab"

SEGMENT = "Die Stadt investiert XZ1 in XZ2."


@pytest.fixture
def memory(tmp_path: Path):
    with TranslationMemory(tmp_path / "memory.sqlite") as tm:
        yield tm


def test_normalize_segment() -> None:
    assert normalize_segment("  Die Stadt\n\tinvestiert   XZ1.  ") == "Die Stadt investiert XZ1."
    decomposed = unicodedata.normalize("NFD", "Münster")
    assert decomposed != "Münster" and normalize_segment(decomposed) == "Münster"


def test_normalize_language() -> None:
    assert [normalize_language(tag) for tag in ("de", "de-DE", "de_AT", "EN-gb", "zh-Hant-TW")] == ["de", "de", "de", "en", "zh-Hant"]
    with pytest.raises(ValueError):
        normalize_language("")


def test_machine_entry_is_reused_for_the_same_model(memory: TranslationMemory) -> None:
    memory.store_machine([(SEGMENT, "The city invests XZ1 in XZ2.")], **DE_EN, model=MODEL)
    entry = memory.lookup(SEGMENT, **DE_EN, model=MODEL)
    assert entry is not None and re.fullmatch(r"\d{8}T\d{6}Z", entry.changed or "")
    assert dataclasses.replace(entry, changed=None) == Segment(
        source=SEGMENT, target="The city invests XZ1 in XZ2.", source_language="de", target_language="en", origin="memory", model=MODEL
    )
    assert not entry.reviewed


def test_machine_entry_of_another_model_is_not_reused(memory: TranslationMemory) -> None:
    memory.store_machine([(SEGMENT, "The city invests XZ1 in XZ2.")], **DE_EN, model=MODEL)
    assert memory.lookup(SEGMENT, **DE_EN, model=OTHER_MODEL) is None
    # Nor for another language pair.
    assert memory.lookup(SEGMENT, source_language="de", target_language="fr", model=MODEL) is None


def test_reviewed_beats_machine_whatever_the_order(memory: TranslationMemory) -> None:
    memory.store_machine([(SEGMENT, "machine")], **DE_EN, model=MODEL)
    memory.store_reviewed([(SEGMENT, "The city is investing XZ1 in XZ2.")], **DE_EN)
    memory.store_machine([(SEGMENT, "machine, stored later")], **DE_EN, model=MODEL)
    for model in (MODEL, OTHER_MODEL):
        entry = memory.lookup(SEGMENT, **DE_EN, model=model)
        assert entry is not None
        assert (entry.target, entry.reviewed, entry.model) == ("The city is investing XZ1 in XZ2.", True, None)
    many = memory.lookup_many([SEGMENT], **DE_EN, model=MODEL)
    assert many[SEGMENT].reviewed


def test_normalized_source_hits(memory: TranslationMemory) -> None:
    memory.store_machine([("Das  Museum in Münster\nöffnet.", "The museum in Münster opens.")], **DE_EN, model=MODEL)
    for variant in ("Das Museum in Münster öffnet.", " Das Museum in Mu\u0308nster öffnet. ", "Das Museum\u00a0in Münster öffnet."):
        entry = memory.lookup(variant, **DE_EN, model=MODEL)
        assert entry is not None and entry.target == "The museum in Münster opens."
        assert entry.source == "Das Museum in Münster öffnet."


def test_languages_are_normalized(memory: TranslationMemory) -> None:
    memory.store_reviewed([("Guten Tag.", "Good morning.")], source_language="de-DE", target_language="en_GB")
    entry = memory.lookup("Guten Tag.", source_language="de", target_language="en", model=MODEL)
    assert entry is not None and (entry.source_language, entry.target_language) == ("de", "en")


def test_lookup_many(memory: TranslationMemory) -> None:
    sources = [f"Satz Nummer XZ{i}." for i in range(1200)]  # more than one chunk
    memory.store_machine(((s, f"Sentence number XZ{i}.") for i, s in enumerate(sources)), **DE_EN, model=MODEL)
    memory.store_reviewed([(sources[7], "Reviewed sentence XZ7.")], **DE_EN)
    asked = [*sources, "Unbekannter Satz.", " Satz  Nummer XZ3. ", ""]
    found = memory.lookup_many(asked, **DE_EN, model=MODEL)
    assert set(found) == {*sources, " Satz  Nummer XZ3. "}  # keyed by the strings as given
    assert found[sources[1199]].target == "Sentence number XZ1199."
    assert found[" Satz  Nummer XZ3. "].target == "Sentence number XZ3."
    assert found[sources[7]].target == "Reviewed sentence XZ7." and found[sources[7]].reviewed
    assert memory.lookup_many(sources, **DE_EN, model=OTHER_MODEL) == {sources[7]: found[sources[7]]}
    assert memory.lookup_many([], **DE_EN, model=MODEL) == {}


def test_store_machine_needs_a_model(memory: TranslationMemory) -> None:
    with pytest.raises(ValueError):
        memory.store_machine([(SEGMENT, "x")], **DE_EN, model="")


def test_store_is_one_transaction(memory: TranslationMemory) -> None:
    def pairs():
        yield "Erster Satz.", "First sentence."
        raise RuntimeError("the model crashed")

    with pytest.raises(RuntimeError):
        memory.store_machine(pairs(), **DE_EN, model=MODEL)
    assert memory.lookup("Erster Satz.", **DE_EN, model=MODEL) is None


def test_persistence_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "memory.sqlite"
    with TranslationMemory(path) as tm:
        tm.store_machine([(SEGMENT, "The city invests XZ1 in XZ2.")], **DE_EN, model=MODEL)
        tm.store_reviewed([("Guten Tag.", "Hello.")], **DE_EN)
    assert path.is_file()
    with TranslationMemory(str(path)) as tm:
        assert tm.lookup(SEGMENT, **DE_EN, model=MODEL).target == "The city invests XZ1 in XZ2."
        assert tm.lookup("Guten Tag.", **DE_EN, model=OTHER_MODEL).target == "Hello."
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_two_connections_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    with TranslationMemory(path) as first, TranslationMemory(path) as second:
        first.store_machine([(SEGMENT, "one")], **DE_EN, model=MODEL)
        assert second.lookup(SEGMENT, **DE_EN, model=MODEL).target == "one"
        second.store_reviewed([(SEGMENT, "two")], **DE_EN)
        assert first.lookup(SEGMENT, **DE_EN, model=MODEL).target == "two"


def test_concurrent_writers(tmp_path: Path) -> None:
    """Several connections (as several processes of a batch run would) write at once; WAL and the busy timeout serialize them."""
    path = tmp_path / "memory.sqlite"
    TranslationMemory(path).close()

    def work(worker: int) -> None:
        with TranslationMemory(path) as tm:
            for batch in range(20):
                tm.store_machine([(f"Satz {worker}.{batch}.{i}", f"Sentence {worker}.{batch}.{i}") for i in range(5)], **DE_EN, model=MODEL)
                assert tm.lookup(f"Satz {worker}.{batch}.0", **DE_EN, model=MODEL) is not None

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(4)))
    with TranslationMemory(path) as tm:
        sources = [f"Satz {w}.{b}.{i}" for w in range(4) for b in range(20) for i in range(5)]
        assert len(tm.lookup_many(sources, **DE_EN, model=MODEL)) == 400


def test_in_memory_database() -> None:
    with TranslationMemory(":memory:") as tm:
        tm.store_reviewed([(SEGMENT, "x")], **DE_EN)
        assert tm.lookup(SEGMENT, **DE_EN, model=MODEL).target == "x"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    TranslationMemory(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(PressToolkitError, match="newer press-toolkit") as caught:
        TranslationMemory(path)
    assert str(path) in str(caught.value)


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    path.write_text("this is not SQLite\n" * 100)
    with pytest.raises(PressToolkitError) as caught:
        TranslationMemory(path)
    assert str(path) in str(caught.value)


def test_closed_memory(memory: TranslationMemory) -> None:
    memory.close()
    memory.close()
    with pytest.raises(PressToolkitError, match="closed"):
        memory.lookup(SEGMENT, **DE_EN, model=MODEL)


# -- TMX ----------------------------------------------------------------------------------------


def test_tmx_round_trip(tmp_path: Path, memory: TranslationMemory) -> None:
    memory.store_reviewed([("Guten Tag.", "Hello & <welcome>.")], **DE_EN)
    memory.store_machine([(SEGMENT, "The city invests XZ1 in XZ2."), ("Guten Tag.", "Good day.")], **DE_EN, model=MODEL)
    memory.store_machine([("Nur Französisch.", "Seulement en français.")], source_language="de", target_language="fr", model=MODEL)
    path = tmp_path / "export" / "de-en.tmx"

    assert memory.export_tmx(path, **DE_EN) == 3
    assert [p.name for p in path.parent.iterdir()] == ["de-en.tmx"]  # no temporary file left behind

    # A valid TMX file as translate-toolkit reads it.
    store = tmx.tmxfile(path.open("rb"))
    pairs = sorted((unit.source, unit.gettarget("en")) for unit in store.units)
    assert pairs == sorted([("Guten Tag.", "Hello & <welcome>."), ("Guten Tag.", "Good day."), (SEGMENT, "The city invests XZ1 in XZ2.")])
    assert store.document.getroot().find("header").get("srclang") == "de"
    props = [prop.text for unit in store.units for prop in unit.xmlelement.iter("prop") if prop.get("type") == MODEL_PROP]
    assert props == [MODEL, MODEL]

    with TranslationMemory(tmp_path / "other.sqlite") as other:
        assert other.import_tmx(path) == 3
        reviewed = other.lookup("Guten Tag.", **DE_EN, model=OTHER_MODEL)
        assert reviewed is not None and (reviewed.target, reviewed.reviewed) == ("Hello & <welcome>.", True)
        # Machine output comes back as machine output of its model, not as reviewed.
        machine = other.lookup(SEGMENT, **DE_EN, model=MODEL)
        assert machine is not None and (machine.target, machine.model, machine.reviewed) == ("The city invests XZ1 in XZ2.", MODEL, False)
        assert other.lookup(SEGMENT, **DE_EN, model=OTHER_MODEL) is None

    reviewed_path = tmp_path / "reviewed.tmx"
    assert memory.export_tmx(reviewed_path, **DE_EN, reviewed_only=True) == 1
    assert [unit.source for unit in tmx.tmxfile(reviewed_path.open("rb")).units] == ["Guten Tag."]


def test_export_replaces_an_existing_file(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "de-en.tmx"
    path.write_text("old content")
    assert memory.export_tmx(path, **DE_EN) == 0
    assert tmx.tmxfile(path.open("rb")).units == []


HAND_WRITTEN = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="SDL Trados Studio" creationtoolversion="17.0" segtype="sentence" o-tmf="SDL TM8"
          adminlang="en-GB" srclang="de-DE" datatype="xml"/>
  <body>
    <tu changedate="20240312T101500Z">
      <tuv xml:lang="de-DE"><seg>Die Landesregierung fördert das Rheinische Revier.</seg></tuv>
      <tuv xml:lang="en-GB"><seg>The state government supports the Rhenish mining area.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-GB"><seg>The Minister-President opened the conference.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Die   Ministerpräsidentin eröffnete
          die Konferenz.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>La ministre-présidente a ouvert la conférence.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="de-DE"><seg>Nur Deutsch.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_import_hand_written_tmx(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "trados.tmx"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    assert memory.import_tmx(path) == 3  # two de→en, one de→fr; a unit without a translation is skipped
    entry = memory.lookup("Die Landesregierung fördert das Rheinische Revier.", **DE_EN, model=MODEL)
    assert entry is not None and dataclasses.replace(entry, changed=None) == Segment(
        source="Die Landesregierung fördert das Rheinische Revier.",
        target="The state government supports the Rhenish mining area.",
        source_language="de",
        target_language="en",
        origin="reviewed",
        model=None,
    )
    assert entry.reviewed
    # The source is found by srclang, not by position, and is normalized as a key.
    entry = memory.lookup("Die Ministerpräsidentin eröffnete die Konferenz.", **DE_EN, model=MODEL)
    assert entry is not None and entry.target == "The Minister-President opened the conference."
    entry = memory.lookup("Die Ministerpräsidentin eröffnete die Konferenz.", source_language="de", target_language="fr", model=MODEL)
    assert entry is not None and entry.target == "La ministre-présidente a ouvert la conférence."


def test_import_unreviewed_tmx(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "trados.tmx"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    assert memory.import_tmx(path, reviewed=False) == 3
    source = "Die Landesregierung fördert das Rheinische Revier."
    assert memory.lookup(source, **DE_EN, model=MODEL) is None
    entry = memory.lookup(source, **DE_EN, model=IMPORTED_MODEL)
    assert entry is not None and not entry.reviewed


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="de"/><body><tu><tuv xml:lang="de"><seg>Kaputt',
        "",
        '<?xml version="1.0"?><xliff version="1.2"><file/></xliff>',
    ],
    ids=["truncated", "empty", "not-tmx"],
)
def test_broken_tmx_names_the_file(tmp_path: Path, memory: TranslationMemory, content: str) -> None:
    path = tmp_path / "broken.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PressToolkitError) as caught:
        memory.import_tmx(path)
    assert str(path) in str(caught.value)


def test_tmx_unit_without_language_names_file_and_line(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "nolang.tmx"
    path.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="de"/><body>\n<tu>\n'
        "<tuv xml:lang=\"de\"><seg>Hallo.</seg></tuv>\n<tuv><seg>Hello.</seg></tuv>\n</tu></body></tmx>\n",
        encoding="utf-8",
    )
    with pytest.raises(PressToolkitError, match=r"nolang\.tmx: line 5: <tuv> without a valid xml:lang"):
        memory.import_tmx(path)


def test_missing_tmx_names_the_file(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "missing.tmx"
    with pytest.raises(PressToolkitError, match="missing.tmx"):
        memory.import_tmx(path)


def test_tmx_export_writes_placeholders_as_inline_codes_and_reads_them_back(tmp_path: Path) -> None:
    """CAT tools (OmegaT, Trados) show <ph> as a tag the reviewer cannot mistype, instead of the word "XZ1"."""
    memory = TranslationMemory(tmp_path / "tm.sqlite")
    memory.store_reviewed([(SEGMENT, "The city invests XZ1 in XZ2.")], **DE_EN)
    exported = tmp_path / "de-en.tmx"
    memory.export_tmx(exported, source_language="de", target_language="en")
    xml = exported.read_text("utf-8")
    assert '<ph x="1" type="x-placeholder">XZ1</ph>' in xml and '<ph x="2" type="x-placeholder">XZ2</ph>' in xml
    assert not re.search(r">[^<]*\bXZ\d", xml.replace('type="x-placeholder">XZ', 'type="x-placeholder">')), "a placeholder as a word"
    again = TranslationMemory(tmp_path / "again.sqlite")
    assert again.import_tmx(exported) == 1
    entry = again.lookup(SEGMENT, **DE_EN, model="")
    assert entry is not None and entry.target == "The city invests XZ1 in XZ2."
