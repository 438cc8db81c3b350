"""Translation memory: translated segments kept in SQLite, exchanged as TMX.

The memory answers one question for the pipeline: has this segment been
translated before, and may that translation be used again? Two kinds of
entry answer it:

* a **reviewed** entry (a person approved it: imported from a TMX file or
  stored with :meth:`TranslationMemory.store_reviewed`) is always used;
* a **machine** entry is used only for the model identity that produced it,
  so replacing or updating a model never serves the old model's output.

A reviewed entry wins over machine output for the same segment.

Segments are keyed by :func:`normalize_segment` (Unicode NFC, whitespace
collapsed, ends stripped), so a segment that differs only in line breaks or
composed umlauts still hits. The memory treats segments as opaque strings:
the pipeline stores them in their placeholder-protected form ("Die Stadt
investiert XZ1 in XZ2."). Languages are keyed by :func:`normalize_language`
("de-DE", "de_DE" and "de" are the same key).

The SQLite file uses write-ahead logging and a busy timeout, so several
processes (a batch run) can read and write one memory at the same time; each
write is one ``BEGIN IMMEDIATE`` transaction.

TMX exchange goes through translate-toolkit. Machine entries are exported
with a ``<prop type="x-presskit-model">`` naming their model identity and
come back as machine entries of that model on import; every other unit is
imported as reviewed (or, with ``reviewed=False``, as machine output of the
model identity :data:`IMPORTED_MODEL`, which the pipeline never reuses).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import PressToolkitError
from ..files import atomic_write, open_database, transaction
from .protect import PREFIXES
from .units import Segment

__all__ = [
    "IMPORTED_MODEL",
    "MODEL_PROP",
    "SCHEMA_VERSION",
    "TranslationMemory",
    "TranslationMemoryError",
    "normalize_language",
    "normalize_segment",
]

#: Version of the SQLite schema this module writes; a file with a higher one is refused.
SCHEMA_VERSION = 1
#: Model identity of TMX units imported with ``reviewed=False`` that name no model.
IMPORTED_MODEL = "tmx-import"
#: ``<prop type=...>`` of a TMX unit that carries the model identity of machine output.
MODEL_PROP = "x-presskit-model"

#: Bound parameters per ``IN (...)`` query; far below SQLite's smallest limit (999).
_CHUNK = 500

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS segments (
        source_language TEXT NOT NULL,
        target_language TEXT NOT NULL,
        -- normalize_segment() of the source: the key
        source TEXT NOT NULL,
        -- model identity of machine output, '' for a reviewed entry
        model TEXT NOT NULL,
        target TEXT NOT NULL,
        -- UTC, in TMX's date format (YYYYMMDDThhmmssZ)
        changed TEXT NOT NULL,
        PRIMARY KEY (source_language, target_language, source, model)
    ) WITHOUT ROWID
    """,
    # The memory's generation (TranslationMemory.generation): a name of its own and a count of the changes that can
    # change what a lookup returns. Storing new machine output is not one: before it was stored, the same model
    # gave the same output (the engine's output for a sentence never depends on its batch).
    """
    CREATE TABLE IF NOT EXISTS generation (
        memory TEXT NOT NULL,
        changes INTEGER NOT NULL
    )
    """,
    "INSERT INTO generation (memory, changes) SELECT lower(hex(randomblob(8))), 0 WHERE NOT EXISTS (SELECT 1 FROM generation)",
    """
    CREATE TRIGGER IF NOT EXISTS reviewed_entry_added AFTER INSERT ON segments WHEN NEW.model = ''
    BEGIN UPDATE generation SET changes = changes + 1; END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS entry_changed AFTER UPDATE ON segments
    WHEN OLD.target IS NOT NEW.target OR OLD.source IS NOT NEW.source OR OLD.model IS NOT NEW.model
        OR OLD.source_language IS NOT NEW.source_language OR OLD.target_language IS NOT NEW.target_language
    BEGIN UPDATE generation SET changes = changes + 1; END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS entry_removed AFTER DELETE ON segments
    BEGIN UPDATE generation SET changes = changes + 1; END
    """,
)

_UPSERT = """
INSERT INTO segments (source_language, target_language, source, model, target, changed)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (source_language, target_language, source, model)
DO UPDATE SET target = excluded.target, changed = excluded.changed
"""

_WHITESPACE = re.compile(r"\s+")
_TMX_DATE = re.compile(r"\d{8}T\d{6}Z")


class TranslationMemoryError(PressToolkitError):
    """A memory or TMX file could not be opened, read or written.

    >>> str(TranslationMemoryError("memory/de-en.tmx", "not a TMX file"))
    'memory/de-en.tmx: not a TMX file'
    """

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def normalize_segment(text: str) -> str:
    """The key a segment is stored under: NFC, whitespace runs as one space, stripped.

    >>> normalize_segment("  Die Stadt\\n investiert\\u00a0XZ1. ")
    'Die Stadt investiert XZ1.'
    >>> normalize_segment("Mu\\u0308nster") == "Münster"
    True
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def normalize_language(tag: str) -> str:
    """The memory's key for a language tag: the primary subtag, and a script subtag if any.

    Region subtags are dropped, so TMX files from CAT tools ("de-DE", "en-GB")
    meet the pipeline's plain codes ("de", "en").

    >>> normalize_language("de-DE"), normalize_language("EN_gb"), normalize_language("zh-hant-TW")
    ('de', 'en', 'zh-Hant')
    """
    parts = tag.strip().replace("_", "-").split("-")
    primary = parts[0].lower()
    if not primary.isascii() or not primary.isalpha() or not 2 <= len(primary) <= 8:
        raise ValueError(f"not a language tag: {tag!r}")
    if len(parts) > 1 and len(parts[1]) == 4 and parts[1].isascii() and parts[1].isalpha():
        return f"{primary}-{parts[1].title()}"
    return primary


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _languages(source_language: str, target_language: str) -> tuple[str, str]:
    return normalize_language(source_language), normalize_language(target_language)


#: The columns :func:`_entry` reads, in its order.
_ENTRY_COLUMNS = "source_language, target_language, source, model, target, changed"


def _entry(row: tuple[str, str, str, str, str, str]) -> Segment:
    """A stored translation: ``source`` is the normalized segment (the key), languages are normalized;
    machine output kept in the memory has the origin ``memory`` and its model identity."""
    source_language, target_language, source, model, target, changed = row
    return Segment(
        source=source,
        target=target,
        source_language=source_language,
        target_language=target_language,
        origin="memory" if model else "reviewed",
        model=model or None,
        changed=changed,
    )


class TranslationMemory:
    """A translation memory in one SQLite file (or ``":memory:"``).

    >>> with TranslationMemory(":memory:") as memory:
    ...     memory.store_machine([("Guten Tag.", "Good day.")], source_language="de", target_language="en", model="m1")
    ...     memory.store_reviewed([("Guten Tag.", "Hello.")], source_language="de", target_language="en")
    ...     memory.lookup("Guten  Tag.", source_language="de", target_language="en", model="m1").target
    'Hello.'
    """

    def __init__(self, path: Path | str) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        self._db: sqlite3.Connection | None = open_database(
            path, schema=_SCHEMA, version=SCHEMA_VERSION, what="the translation memory",
            error=lambda problem: TranslationMemoryError(path, problem))

    # -- plumbing -------------------------------------------------------------------------

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise TranslationMemoryError(self.path, "the translation memory is closed")
        return self._db

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction (:func:`toolkit.files.transaction`)."""
        return transaction(self._connection)

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise TranslationMemoryError(self.path, f"{action}: {error}") from error

    def close(self) -> None:
        """Close the file; closing twice is harmless."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"TranslationMemory({str(self.path)!r})"

    def generation(self) -> str:
        """``"<memory>:<changes>"``: changes when a lookup could answer differently than before.

        Reviewed entries added, entries changed or removed and TMX imports count; storing new machine output does
        not (the model gave that output before it was stored). A batch compares it with the one its outputs were
        made with before it reads a release again (:mod:`toolkit.run.precheck`). The random name tells memories apart.
        """
        with self._errors("cannot read the translation memory"):
            row = self._connection.execute("SELECT memory, changes FROM generation").fetchone()
        return f"{row[0]}:{row[1]}"

    # -- lookup ---------------------------------------------------------------------------

    def lookup(self, source: str, *, source_language: str, target_language: str, model: str) -> Segment | None:
        """The entry to use for ``source``: a reviewed one, else machine output of exactly ``model``."""
        return self.lookup_many([source], source_language=source_language, target_language=target_language, model=model).get(source)

    def lookup_many(
        self, sources: Sequence[str], *, source_language: str, target_language: str, model: str
    ) -> dict[str, Segment]:
        """Entries for the sources the memory knows, keyed by the strings as given (one query per 500).

        Sources it does not know are absent from the result.
        """
        languages = _languages(source_language, target_language)
        keys: dict[str, list[str]] = {}
        for source in sources:
            keys.setdefault(normalize_segment(source), []).append(source)
        keys.pop("", None)
        found: dict[str, Segment] = {}
        normalized = list(keys)
        with self._errors("cannot read the translation memory"):
            for start in range(0, len(normalized), _CHUNK):
                chunk = normalized[start : start + _CHUNK]
                rows = self._connection.execute(
                    f"SELECT {_ENTRY_COLUMNS} FROM segments"
                    " WHERE source_language = ? AND target_language = ? AND model IN ('', ?)"
                    f" AND source IN ({', '.join('?' * len(chunk))})",
                    (*languages, model, *chunk),
                )
                for row in rows:
                    entry = _entry(row)
                    # A reviewed entry replaces machine output found for the same key, never the reverse.
                    if entry.reviewed or entry.source not in found:
                        found[entry.source] = entry
        return {source: found[key] for key, originals in keys.items() if key in found for source in originals}

    # -- storing --------------------------------------------------------------------------

    def store_machine(
        self, pairs: Iterable[tuple[str, str]], *, source_language: str, target_language: str, model: str
    ) -> None:
        """Store machine output of ``model`` (its identity: name, version, package hash) in one transaction."""
        if not isinstance(model, str) or not model.strip():
            raise ValueError("machine output needs a model identity")
        self._store(pairs, source_language=source_language, target_language=target_language, model=model)

    def store_reviewed(self, pairs: Iterable[tuple[str, str]], *, source_language: str, target_language: str) -> None:
        """Store translations a person approved; they win over machine output of every model."""
        self._store(pairs, source_language=source_language, target_language=target_language, model="")

    def _store(self, pairs: Iterable[tuple[str, str]], *, source_language: str, target_language: str, model: str) -> None:
        source_language, target_language = _languages(source_language, target_language)
        changed = _now()
        rows = [
            (source_language, target_language, key, model, target, changed)
            for source, target in pairs
            if (key := normalize_segment(source))
        ]
        with self._errors("cannot write to the translation memory"), self._write() as db:
            db.executemany(_UPSERT, rows)

    # -- TMX ------------------------------------------------------------------------------

    def import_tmx(self, path: Path, *, reviewed: bool = True) -> int:
        """Import a TMX file; returns the number of entries stored (one per source and target language).

        Languages come from the file's ``xml:lang`` (regions dropped: "de-DE" is "de"). The
        source of a unit is its ``srclang`` (or the header's); with ``*all*`` or none, its
        first ``<tuv>``. Each other ``<tuv>`` becomes one entry.
        """
        path = Path(path)
        rows: dict[tuple[str, str, str, str], tuple[str, str]] = {}
        now = _now()
        for segment in _read_tmx(path):
            model = segment.model if segment.model is not None else "" if reviewed else IMPORTED_MODEL
            rows[(segment.source_language, segment.target_language, segment.source, model)] = (segment.target, segment.changed or now)
        with self._errors(f"cannot import {path}"), self._write() as db:
            db.executemany(_UPSERT, [(*key, target, changed) for key, (target, changed) in rows.items()])
            if rows:  # imported machine output is not the model's own: a change like any other
                db.execute("UPDATE generation SET changes = changes + 1")
        return len(rows)

    def export_tmx(self, path: Path, *, source_language: str, target_language: str, reviewed_only: bool = False) -> int:
        """Write the entries of one language pair as TMX 1.4 (atomically); returns the number of units.

        Machine entries carry their model identity in ``<prop type="x-presskit-model">``.
        """
        from translate.storage import tmx

        from ..version import __version__

        path = Path(path)
        source_language, target_language = _languages(source_language, target_language)
        query = f"SELECT {_ENTRY_COLUMNS} FROM segments WHERE source_language = ? AND target_language = ?"
        if reviewed_only:
            query += " AND model = ''"
        with self._errors("cannot read the translation memory"):
            rows = self._connection.execute(query + " ORDER BY source, model", (source_language, target_language)).fetchall()
        segments = [_entry(row) for row in rows]
        store = tmx.tmxfile(sourcelanguage=source_language, targetlanguage=target_language)
        header = store.document.getroot().find("header")
        header.set("creationtool", "press-toolkit")
        header.set("creationtoolversion", __version__)
        header.set("o-tmf", "press-toolkit")
        header.set("datatype", "plaintext")
        for segment in segments:
            unit = store.addsourceunit(segment.source, source_language)
            unit.settarget(segment.target, target_language, append=True)
            unit.xmlelement.set("changedate", segment.changed)
            for seg in unit.xmlelement.iter(store.namespaced("seg")):
                _placeholders_as_inline_codes(seg)
            if segment.model:
                prop = unit.xmlelement.makeelement("prop", {"type": MODEL_PROP})
                prop.text = segment.model
                unit.xmlelement.insert(0, prop)
        buffer = io.BytesIO()
        store.serialize(buffer)
        atomic_write(path, buffer.getvalue())  # a WriteError names the file
        return len(segments)


#: A protected span's placeholder in a stored segment ("XZ1"; see :mod:`toolkit.translate.protect`).
_PLACEHOLDER = re.compile(rf"\b(?:{'|'.join(PREFIXES)})(\d+)\b")


def _placeholders_as_inline_codes(segment: Any) -> None:
    """Write each placeholder of a ``<seg>`` as a TMX 1.4 ``<ph x="n">`` inline code, as CAT tools show tags.

    The element's text is the code itself, so an import (ours, OmegaT's, Trados's) reads the segment back
    unchanged: ``Die Stadt investiert <ph x="1" type="x-placeholder">XZ1</ph>.``
    """
    text = segment.text or ""
    matches = list(_PLACEHOLDER.finditer(text))
    if not matches:
        return
    segment.text = text[: matches[0].start()]
    for match, following in zip(matches, [*matches[1:], None]):
        code = segment.makeelement("ph", {"x": match.group(1), "type": "x-placeholder"})
        code.text = match.group(0)
        code.tail = text[match.end() : following.start() if following else len(text)]
        segment.append(code)


def _read_tmx(path: Path) -> Iterator[Segment]:
    """One segment per pair of a unit's source and each other language: the source normalized, the model identity
    of a unit with :data:`MODEL_PROP` (else None: reviewed), the unit's ``changedate`` if valid."""
    from lxml import etree  # type: ignore[import-untyped]
    from translate.misc.xml_helpers import getXMLlang, getXMLspace
    from translate.storage import tmx

    try:
        data = path.read_bytes()
    except OSError as error:
        raise TranslationMemoryError(path, f"cannot read: {error.strerror or error}") from error
    try:
        store = tmx.tmxfile(io.BytesIO(data))
    except etree.XMLSyntaxError as error:
        raise TranslationMemoryError(path, f"not a valid TMX file: {error}") from error
    except (AssertionError, AttributeError, ValueError) as error:
        # translate-toolkit asserts the root element; AttributeError: no <body>.
        raise TranslationMemoryError(path, "not a TMX file (expected a <tmx> root element with a <body>)") from error
    root = store.document.getroot()
    if etree.QName(root).localname != "tmx" or store.body is None:
        raise TranslationMemoryError(path, "not a TMX file (expected a <tmx> root element with a <body>)")
    header = root.find(store.namespaced("header"))
    header_language = header.get("srclang") if header is not None else None

    def language(node: etree._Element) -> str:
        tag = getXMLlang(node) or node.get("lang")  # TMX 1.1 used a plain "lang"
        try:
            return normalize_language(tag or "")
        except ValueError:
            raise TranslationMemoryError(path, f"line {node.sourceline}: <tuv> without a valid xml:lang ({tag!r})") from None

    for unit in store.units:
        element = unit.xmlelement
        space = getXMLspace(element, "preserve")
        variants = [(language(node), unit.getNodeText(node, space) or "") for node in unit.getlanguageNodes()]
        if len(variants) < 2:
            continue
        declared = element.get("srclang") or header_language
        if declared and declared.strip().lower() != "*all*":
            try:
                source_language = normalize_language(declared)
            except ValueError:
                raise TranslationMemoryError(path, f"line {element.sourceline}: srclang {declared!r} is not a language tag") from None
            source = next((text for lang, text in variants if lang == source_language), None)
            if source is None:
                raise TranslationMemoryError(path, f"line {element.sourceline}: <tu> has no <tuv> in its source language {declared!r}")
        else:
            source_language, source = variants[0]
        source = normalize_segment(source)
        if not source:
            continue
        model = next(
            (prop.text.strip() for prop in element.iterchildren(store.namespaced("prop")) if prop.get("type") == MODEL_PROP and prop.text and prop.text.strip()),
            None,
        )
        changed = element.get("changedate")
        changed = changed if changed and _TMX_DATE.fullmatch(changed) else None
        for target_language, target in variants:
            if target_language != source_language and target.strip():
                yield Segment(source=source, target=target, source_language=source_language, target_language=target_language,
                              origin="memory" if model else "reviewed", model=model, changed=changed)
