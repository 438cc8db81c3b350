"""XLIFF round trip: machine translations out to a reviewer's CAT tool, reviewed ones back into the memory.

:func:`export_xliff` takes a finished translation of a release (the caller
translates) and writes one translation unit per segment *as the translation
memory stores it* (a sentence or link text with its placeholders), each
segment once however often the release uses it. :func:`import_xliff` reads
the file back after review and stores the units the reviewer changed or
approved in the :class:`~toolkit.translate.memory.TranslationMemory` as
reviewed entries, which every later translation uses instead of machine
output.

What a unit carries
-------------------

* ``<source>``/``<target>``: the segment and its current translation. Every
  placeholder ("XZ1") is an inline code ``<x id="1" ctype="x-person"
  equiv-text="Katrin Albers"/>`` that CAT tools show as a protected tag,
  never as text: ``equiv-text`` is the source text in the source and what
  the toolkit puts into the translation in the target ("15. Mai 2025" /
  "May 15, 2025"); ``ctype`` is ``x-`` + the span kind. A placeholder the
  model mangled ("xz 1") is a code too; one it repeated or invented is left
  out, one it dropped is missing (CAT tools flag the missing tag).
* ``state``: machine output (new, or kept in the memory) is
  ``needs-review-translation`` with ``state-qualifier="mt-suggestion"``; a
  reviewed memory entry is ``final`` (``leveraged-tm``, ``approved="yes"``).
* ``resname``: the memory key (the segment with its placeholders).
* ``<alt-trans alttranstype="previous-version">``: the target as exported,
  so the import can tell what the reviewer changed.
* ``<context-group purpose="location">`` and a note: where the segment
  occurs (``body[2].text``); one ``<note from="qa">`` per QA finding of
  those places (priority 1 error, 2 warning, 3 info).
* The ``<file>`` names the source file (``original``), both languages, and
  in its ``<header>`` the model route: ``<tool tool-id="mt">`` with the
  route's description as ``tool-name`` and the memory's model identity as
  ``tool-version``.

Import rules
------------

A unit is stored as reviewed when its target differs from the exported one
(compared in placeholder form, whitespace normalized) or when it is marked
``translated``, ``signed-off`` or ``final`` (or ``approved="yes"``) and was
not exported as a reviewed entry already. Unchanged units still in a
needs-review state are skipped; so is a unit whose target was emptied. If a
CAT tool dropped the ``alt-trans``, only the state decides. A stored target
that lost, invented or repeated an inline code is stored anyway and
reported in :attr:`XliffImport.warnings` (the pipeline's restore step
re-inserts dropped placeholders and records every repair in QA).

Why XLIFF 1.2
-------------

translate-toolkit (3.20) handles XLIFF 1.2 better for this: ``xlifffile``
reads and writes ``<x>``/``<bx>``/``<ex>``/``<g>`` as placeables keeping
their attributes (``equiv-text``, ``ctype``), notes with ``from``,
``alt-trans``, context groups and the 1.2 state values. Its XLIFF 2 store
(``xliff2.Xliff2File``) parses ``<ph>`` only as "unknown XML", writes
``<notes>`` inside ``<segment>`` (the 2.0 schema allows only ``<source>``
and ``<target>`` there), knows only the four 2.0 states with no standard
way to say "machine translation", and has no ``original`` in its API.
XLIFF 1.2 is also what CAT tools import most reliably. What translate-toolkit
lacks is done with lxml: its empty store is XLIFF 1.1 (the skeleton here
declares 1.2); it sets no ``state-qualifier`` (a FIXME in its code), note
``priority`` or ``<header>``; the inline elements it creates carry no
namespace until serialized, so they are put into the XLIFF namespace
explicitly. Input is checked with lxml first (safe parser: no entities, no
network) so that a bad file gets a precise error naming it.

Hostile files
-------------

A reviewed file comes back from outside the office, so the import trusts
nothing in it (every refusal is one :class:`XliffError` naming the file):

* Size: a file over :data:`MAX_BYTES` is refused before it is read (a pipe
  or device is read no further than that). expat then streams through the
  file keeping nothing and stops at more than :data:`MAX_UNITS` translation
  units or :data:`MAX_ELEMENTS` elements, before lxml or translate-toolkit
  build a tree (a release has a few hundred segments at most).
* XML: the same expat pass refuses a DOCTYPE before reading its internal
  subset, so no entity is defined, expanded or fetched; lxml then parses
  without entities, DTDs or network and rejects any DOCTYPE it sees. An
  entity reference without a DOCTYPE is not well-formed XML.
* ``original`` and units: ``presskit export-xliff`` records each export in
  an *export record* in the data folder (:func:`export_record_path`): the
  XLIFF file written, the resolved source file, the languages and the id of
  every unit. With ``record=`` the import accepts ``<file original>`` only
  when it resolves (symlinks followed, ``..`` removed, relative to the
  XLIFF's folder) to a source file recorded for the same languages, and
  stores only units whose memory key is one of the recorded export's: a
  unit the file invents is ignored and counted in one warning. Without a
  record (library use) ``original`` is reported but never used as a path
  (:attr:`XliffImport.source` is None), and a unit counts as the release's
  when the memory holds its key for the file's languages and model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.parsers import expat

from lxml import etree  # type: ignore[import-untyped]
from translate.storage import xliff
from translate.storage.placeables import StringElem, base
from translate.storage.placeables import xliff as xliff_placeables
from translate.storage.placeables.lisa import strelem_to_xml, xml_to_strelem

from ..version import __version__
from ..errors import PressToolkitError
from ..files import atomic_write, waiting_lock
from ..paths import data_dir
from .memory import TranslationMemory, normalize_language, normalize_segment
from .pipeline import Translation
from .protect import PREFIXES, find_placeholders
from .units import Finding, Placeholder, Segment

__all__ = [
    "MAX_BYTES",
    "MAX_ELEMENTS",
    "MAX_UNITS",
    "NAMESPACE",
    "WarningKind",
    "XliffError",
    "XliffExport",
    "XliffImport",
    "XliffWarning",
    "export_record_path",
    "export_xliff",
    "import_xliff",
]

#: The XLIFF 1.2 namespace; files in the 1.1 namespace are read too.
NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
_NAMESPACES = frozenset({NAMESPACE, "urn:oasis:names:tc:xliff:document:1.1"})
_VERSIONS = frozenset({"1.1", "1.2"})
#: ``tool-id`` of the toolkit and of the translation model in the header.
TOOL_ID = "press-toolkit"
MT_TOOL_ID = "mt"
#: Target states that mean "a person approved this".
APPROVED_STATES = frozenset({"translated", "signed-off", "final"})
_MACHINE_STATE = ("needs-review-translation", "mt-suggestion")
_REVIEWED_STATE = ("final", "leveraged-tm")
_CLOSING = ",.;:!?)]}»“”’…"
_PRIORITY = {"error": "1", "warning": "2", "info": "3"}
_ORIGIN_NOTE = {
    "machine": "Machine translation, new in this export",
    "memory": "Machine translation, kept in the translation memory",
    "reviewed": "Reviewed translation from the translation memory",
}

_MB = 1024 * 1024
#: The largest XLIFF file the import reads, checked before parsing. An export
#: of a long release (200 segments with notes and QA findings) is about 0.5 MB.
MAX_BYTES = 20 * _MB
#: The most translation units an XLIFF file to import may have; a release has a few hundred segments at most.
MAX_UNITS = 5000
#: The most XML elements an XLIFF file to import may have (an export has about 12 per unit), so that no
#: file of inline codes or notes makes a parse tree of millions of nodes.
MAX_ELEMENTS = 40 * MAX_UNITS
#: Inline code warnings reported for one unit; the rest are counted in one more.
MAX_UNIT_WARNINGS = 10
#: Exports an export record keeps (the newest); older files can no longer be imported.
MAX_RECORDED_EXPORTS = 1000
EXPORT_RECORD_NAME = "xliff-exports.json"
_RECORD_SCHEMA = "press-toolkit/xliff-exports"

_SKELETON = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{NAMESPACE}">
<file original="NoName" source-language="en" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""


#: What an :class:`XliffWarning` is about.
WarningKind = Literal["code_lost", "code_invented", "code_duplicated", "source_changed", "empty_target", "not_in_release"]


class XliffError(PressToolkitError):
    """An XLIFF file could not be read, or was not one this toolkit can import.

    >>> str(XliffError("review/en.xlf", "not XML: Start tag expected"))
    'review/en.xlf: not XML: Start tag expected'
    """

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


@dataclass(frozen=True, kw_only=True)
class XliffExport:
    """What :func:`export_xliff` wrote."""

    path: Path
    #: The translation the file was made from (its release, QA report and segments).
    translation: Translation
    #: The source file as recorded in the ``original`` attribute.
    original: str
    source_language: str
    target_language: str
    #: The model identity of the route (the memory's key for machine output).
    model: str
    #: Translation units written (distinct segments).
    units: int
    #: Units with machine output, to be reviewed.
    needs_review: int
    #: Units with a reviewed memory entry.
    reviewed: int


@dataclass(frozen=True, kw_only=True)
class XliffWarning:
    """Something the import noticed in one unit (or, for ``not_in_release``, in the whole file)."""

    #: The trans-unit's ``id``; empty for a warning about the whole file.
    unit: str
    #: The unit's memory key (segment with placeholders); empty for a warning about the whole file.
    source: str
    kind: WarningKind
    message: str


@dataclass(frozen=True, kw_only=True)
class XliffImport:
    """What :func:`import_xliff` read and stored."""

    path: Path
    source_language: str
    target_language: str
    #: The source file as written at export (the ``<file original>``).
    original: str
    #: The model identity the machine output came from, if the file names it.
    model: str | None
    #: Translation units read.
    units: int
    #: Units stored in the memory as reviewed.
    stored: int
    #: Units left alone: unchanged and not approved, already reviewed, or empty.
    skipped: int
    warnings: tuple[XliffWarning, ...]
    #: Units ignored because they are no segment of the exported release (invented by the file).
    ignored: int = 0
    #: The source file ``original`` names, resolved and checked against the export record;
    #: None when the import had no record to check it against (then never use ``original`` as a path).
    source: Path | None = None


# -- export ---------------------------------------------------------------------------------


def export_xliff(
    translation: Translation,
    path: str | Path,
    *,
    original: str | Path,
    record: str | Path | None = None,
) -> XliffExport:
    """Write the segments of a finished ``translation`` for review as XLIFF 1.2 (atomically).

    The caller translates (:meth:`Translator.translate <toolkit.translate.pipeline.Translator.translate>`,
    with the release's facts marked and the translation memory the import will
    store into, so that the units line up with its machine output).
    ``original`` is the source file recorded in the XLIFF. With ``record``
    (an export record, see :func:`export_record_path`) the export is recorded
    there, so that :func:`import_xliff` with the same record accepts the
    file's ``original`` and units. A file that cannot be written is a
    :class:`~toolkit.errors.WriteError` naming it.
    """
    path = Path(path)
    name = os.fspath(original)
    units = _merge(translation.segments)
    atomic_write(path, _render(translation, units, original=name))
    reviewed = sum(1 for unit in units.values() if unit.reviewed)
    if record is not None:
        _record_export(Path(record), path, original=name, source_language=translation.route.source,
                       target_language=translation.route.target, model=translation.route.identity, keys=list(units))
    return XliffExport(
        path=path,
        translation=translation,
        original=name,
        source_language=translation.route.source,
        target_language=translation.route.target,
        model=translation.route.identity,
        units=len(units),
        needs_review=len(units) - reviewed,
        reviewed=reviewed,
    )


# -- the export record ----------------------------------------------------------------------


def export_record_path() -> Path:
    """``<data folder>/xliff-exports.json``: where ``presskit export-xliff`` records its exports and ``import-xliff`` checks them."""
    return data_dir() / EXPORT_RECORD_NAME


def _resolve_original(original: str, base: Path) -> Path | None:
    """``original`` as an absolute path with symlinks followed and ``..`` removed (relative to ``base``), or None."""
    if not original.strip():
        return None
    try:
        path = Path(original)
        return (path if path.is_absolute() else base / path).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte
        return None


def _read_record(record: Path) -> list[dict[str, Any]]:
    """The exports a record lists (empty when there is none or it is unreadable)."""
    try:
        data = json.loads(record.read_text("utf-8"))
        exports = data["exports"] if data.get("schema") == _RECORD_SCHEMA else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    return [entry for entry in exports if isinstance(entry, dict)] if isinstance(exports, list) else []


def _record_export(
    record: Path, path: Path, *, original: str, source_language: str, target_language: str, model: str, keys: Sequence[str]
) -> None:
    xliff_path = path.resolve()
    source = _resolve_original(original, xliff_path.parent)
    entry = {
        "xliff": str(xliff_path),
        "original": str(source) if source is not None else "",
        "source_language": source_language,
        "target_language": target_language,
        "model": model,
        "exported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "units": sorted({_unit_id(key) for key in keys}),
    }
    # Waiting for another export's update of the record, so that no export is lost.
    with waiting_lock(record.with_name(record.name + ".lock")):
        # A new export to the same file replaces the file, and so its entry.
        exports = [e for e in _read_record(record) if e.get("xliff") != entry["xliff"]]
        exports = [*exports, entry][-MAX_RECORDED_EXPORTS:]
        data = json.dumps({"schema": _RECORD_SCHEMA, "version": 1, "exports": exports}, ensure_ascii=False, indent=1) + "\n"
        atomic_write(record, data.encode("utf-8"))  # a WriteError names the record


@dataclass(frozen=True)
class _Code:
    """One inline code of a unit: a placeholder number, what it stands for on each side."""

    number: int
    ctype: str
    source: str
    target: str


def _merge(segments: Sequence[Segment]) -> dict[str, Segment]:
    """One segment per memory key (a unit each), with the locations and placeholder meanings of every occurrence."""
    grouped: dict[str, list[Segment]] = {}
    for segment in segments:
        grouped.setdefault(normalize_segment(segment.source), []).append(segment)
    return {
        key: dataclasses.replace(
            occurrences[0],
            locations=tuple(dict.fromkeys(location for segment in occurrences for location in segment.locations)),
            placeholders=tuple(p for segment in occurrences for p in segment.placeholders),
        )
        for key, occurrences in grouped.items()
    }


def _codes(placeholders: Iterable[Placeholder], prefix: str) -> dict[int, _Code]:
    """The inline code of each placeholder; one that stands for several texts lists them all ("A | B")."""
    by_number: dict[int, list[Placeholder]] = {}
    for placeholder in placeholders:
        by_number.setdefault(int(placeholder.token[len(prefix) :]), []).append(placeholder)
    return {
        number: _Code(
            number=number,
            ctype=f"x-{variants[0].kind.value}",
            source=" | ".join(dict.fromkeys(p.source for p in variants)),
            target=" | ".join(dict.fromkeys(p.target for p in variants)),
        )
        for number, variants in sorted(by_number.items())
    }


def _render(translation: Translation, units: Mapping[str, Segment], *, original: str) -> bytes:
    route = translation.route
    store: xliff.Xliff1File[xliff.Xliff1Unit] = xliff.xlifffile(io.BytesIO(_SKELETON.encode("utf-8")))
    filenode = store.getfilenode("NoName")
    filenode.set("original", original)
    filenode.set("source-language", route.source)
    filenode.set("target-language", route.target)
    filenode.set("tool-id", TOOL_ID)
    _header(store, filenode, route_name=route.describe(), model=route.identity)
    findings = _findings_by_location(translation)
    for key, item in units.items():
        codes = _codes(item.placeholders, item.prefix or "")
        unit = store.addsourceunit(item.source, filename=original)
        unit.setid(_unit_id(key))
        unit.xmlelement.set("resname", key)
        unit.rich_source = [_rich(item.source, item.prefix, codes, side="source")]
        target = _rich(item.target, item.prefix, codes, side="target")
        unit.rich_target = [target]
        reviewed = item.reviewed
        _set_state(unit.get_target_dom(), reviewed=reviewed)
        if reviewed:
            unit.xmlelement.set("approved", "yes")
        unit.createcontextgroup(f"{_unit_id(key)}-location", [("x-location", location) for location in item.locations], "location")
        _note(unit, f"{_ORIGIN_NOTE[item.origin]}; in {', '.join(item.locations)}", origin=TOOL_ID)
        for location in item.locations:
            for finding in findings.get(location, ()):
                _note(unit, f"{location}: {finding.severity} [{finding.check}] {finding.message}",
                      origin="qa", priority=_PRIORITY[finding.severity], annotates="target")
        _previous_version(store, unit, target, reviewed=reviewed)
    _namespace_inline_codes(store.document.getroot(), store.namespace)
    # Units start out in translate-toolkit's XLIFF 1.1 namespace; drop its leftover declarations.
    etree.cleanup_namespaces(store.document)
    buffer = io.BytesIO()
    store.serialize(buffer)
    return buffer.getvalue()


def _header(store: Any, filenode: Any, *, route_name: str, model: str) -> None:
    header = etree.Element(store.namespaced("header"))
    etree.SubElement(header, store.namespaced("tool"), {"tool-id": TOOL_ID, "tool-name": "press-toolkit", "tool-version": __version__})
    etree.SubElement(header, store.namespaced("tool"), {"tool-id": MT_TOOL_ID, "tool-name": f"Argos Translate {route_name}", "tool-version": model})
    note = etree.SubElement(header, store.namespaced("note"), {"from": TOOL_ID})
    note.text = (
        f"Machine translation {route_name} for review. Inline codes stand for names, facts, terms and links "
        "that press-toolkit puts into the translation itself: keep them. Edit a segment, or mark it translated, "
        "signed-off or final, to store it in the translation memory as reviewed. QA notes name placeholders "
        "as XZ1, XZ2 ...: inline codes 1, 2 ... of the place they name."
    )
    filenode.insert(0, header)


def _unit_id(key: str) -> str:
    return "s" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _rich(text: str, prefix: str | None, codes: Mapping[int, _Code], *, side: Literal["source", "target"]) -> StringElem:
    """``text`` with each placeholder as an ``<x>`` code; in a target, the kept occurrence of each only."""
    if prefix is None or not codes:
        return StringElem([text])
    matches = find_placeholders(text, prefix)
    kept: dict[int, Any] = {}
    for match in matches:
        if match.index in codes and (match.index not in kept or (match.exact and not kept[match.index].exact)):
            kept[match.index] = match
    pieces: list[Any] = []
    position = 0
    for match in matches:
        pieces.append(text[position : match.start])
        position = match.end
        if kept.get(match.index) is match:
            code = codes[match.index]
            equiv = code.source if side == "source" else code.target
            pieces.append(xliff_placeables.X(id=str(code.number), xml_attrib={"ctype": code.ctype, "equiv-text": equiv}))
        else:
            pieces.append(None)  # a repeated or invented placeholder, left out
    pieces.append(text[position:])
    return StringElem(_join_text(pieces))


def _join_text(pieces: list[Any]) -> list[Any]:
    """Adjacent strings joined, with one space where a left-out placeholder stood between two."""
    joined: list[Any] = []
    removed = False
    for piece in pieces:
        if piece is None:
            removed = True
            continue
        if isinstance(piece, str) and joined and isinstance(joined[-1], str):
            left, right = joined[-1], piece
            if removed and left.endswith(" ") and (right.startswith(" ") or right[:1] in _CLOSING):
                left = left[:-1]
            joined[-1] = left + right
        elif piece != "":
            if removed and isinstance(piece, str) and not joined:
                piece = piece.lstrip()
            joined.append(piece)
        removed = False
    return [piece for piece in joined if piece != ""]


def _set_state(target: Any, *, reviewed: bool) -> None:
    state, qualifier = _REVIEWED_STATE if reviewed else _MACHINE_STATE
    target.set("state", state)
    target.set("state-qualifier", qualifier)


def _note(unit: Any, text: str, *, origin: str, priority: str | None = None, annotates: str | None = None) -> None:
    unit.addnote(text, origin=origin)
    note = unit.xmlelement.findall(unit.namespaced("note"))[-1]
    if priority:
        note.set("priority", priority)
    if annotates:
        note.set("annotates", annotates)


def _previous_version(store: Any, unit: Any, target: StringElem, *, reviewed: bool) -> None:
    """The exported target as ``<alt-trans alttranstype="previous-version">``, for telling changes on import."""
    unit.addalttrans("", origin="translation memory (reviewed)" if reviewed else "machine translation")
    alternative = unit.xmlelement.findall(store.namespaced("alt-trans"))[-1]
    alternative.set("alttranstype", "previous-version")
    alternative.set("tool-id", TOOL_ID if reviewed else MT_TOOL_ID)
    node = alternative.find(store.namespaced("target"))
    node.text = None
    strelem_to_xml(node, target)
    _set_state(node, reviewed=reviewed)


def _namespace_inline_codes(root: Any, namespace: str) -> None:
    """Put elements translate-toolkit created without a namespace (``<x>``) into the document's."""
    for element in root.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = f"{{{namespace}}}{element.tag}"


def _findings_by_location(translation: Translation) -> dict[str, tuple[Finding, ...]]:
    return {segment.location: segment.findings for segment in translation.report.segments if segment.findings}


# -- import ---------------------------------------------------------------------------------


def import_xliff(path: str | Path, memory: TranslationMemory, *, record: str | Path | None = None) -> XliffImport:
    """Store the units of a reviewed XLIFF file that the reviewer changed or approved, as reviewed entries.

    Raises :class:`XliffError` naming the file, before anything is stored, for
    a file that is too large (:data:`MAX_BYTES`, :data:`MAX_UNITS`,
    :data:`MAX_ELEMENTS`), is not XML or has a DOCTYPE, is not XLIFF 1.x, or
    lacks a language. With ``record`` (see :func:`export_record_path`) the
    file's ``original`` must be a source file recorded there for the file's
    languages (else :class:`XliffError`), and only units of that export are
    stored; without it, only units whose key the memory holds for the
    file's languages and model. Other units are ignored, with one
    ``not_in_release`` warning counting them.
    """
    path = Path(path)
    data = _read(path)
    _scan(path, data)
    filenode, source_language, target_language, original = _validate(path, data)
    model = _model(filenode)
    source: Path | None = None
    recorded: frozenset[str] | None = None
    if record is not None:
        source, recorded = _check_original(path, Path(record), original, source_language, target_language)
    try:
        store: xliff.Xliff1File[xliff.Xliff1Unit] = xliff.xlifffile(io.BytesIO(data))
    except Exception as error:  # translate-toolkit asserts and raises what it meets
        raise XliffError(path, f"not a usable XLIFF file: {error}") from error
    candidates = [(unit, _unit_key(unit)) for unit in store.units if unit.istranslatable()]
    if recorded is not None:
        known = {key for _, key in candidates if _unit_id(key) in recorded}
    else:
        keys = list(dict.fromkeys(key for _, key in candidates if key))
        known = set(memory.lookup_many(keys, source_language=source_language, target_language=target_language, model=model or ""))
    pairs: dict[str, str] = {}
    warnings: list[XliffWarning] = []
    stored = ignored = 0
    for unit, key in candidates:
        if key not in known:
            ignored += 1
            continue
        decision = _decide(unit, store.namespace)
        if decision is None:
            continue
        key, target, unit_warnings = decision
        warnings += unit_warnings
        if target is not None:
            pairs[key] = target
            stored += 1
    if ignored:
        where = ("the export recorded for its original" if recorded is not None
                 else f"the translation memory ({source_language}→{target_language})")
        warnings.append(XliffWarning(
            unit="", source="", kind="not_in_release",
            message=f"{path}: ignored {ignored} of {len(candidates)} translation units that are no segment of the release "
                    f"(not in {where}); nothing of them was stored",
        ))
    memory.store_reviewed(pairs.items(), source_language=source_language, target_language=target_language)
    return XliffImport(
        path=path,
        source_language=source_language,
        target_language=target_language,
        original=original,
        model=model,
        units=len(candidates),
        stored=stored,
        skipped=len(candidates) - stored - ignored,
        warnings=tuple(warnings),
        ignored=ignored,
        source=source,
    )


def _read(path: Path) -> bytes:
    """The file's bytes; one over :data:`MAX_BYTES` is refused before its content is read."""
    limit = f"press-toolkit imports XLIFF files of up to {MAX_BYTES // _MB} MB"
    try:
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
                raise XliffError(path, f"too large: {info.st_size / _MB:.1f} MB; {limit}")
            data = file.read(MAX_BYTES + 1)  # a device or pipe has no size: read one byte past the limit at most
    except OSError as error:
        raise XliffError(path, f"cannot read: {error.strerror or error}") from error
    if len(data) > MAX_BYTES:
        raise XliffError(path, f"too large: more than {MAX_BYTES // _MB} MB; {limit}")
    return data


_DOCTYPE_REFUSED = ("has a DOCTYPE declaration: DTDs and entities are not allowed in an XLIFF file to import "
                    "(press-toolkit never writes them); refused")


class _Refused(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _scan(path: Path, data: bytes) -> None:
    """Refuse a DOCTYPE, too many units or too many elements before a parser builds a tree of the file.

    expat streams through the file without keeping anything: it stops at a
    DOCTYPE before reading its internal subset (so no entity is ever defined,
    expanded or fetched), and as soon as a count passes its limit, so memory
    stays flat however the file was made.
    """
    elements = units = 0

    def doctype(*_: object) -> None:
        raise _Refused(_DOCTYPE_REFUSED)

    def element(name: str, _attributes: object) -> None:
        nonlocal elements, units
        elements += 1
        if name.rpartition(":")[2] == "trans-unit":
            units += 1
            if units > MAX_UNITS:
                raise _Refused(f"too many translation units: more than {MAX_UNITS}, the most press-toolkit imports "
                               "(an export has one per segment of a release)")
        if elements > MAX_ELEMENTS:
            raise _Refused(f"too many XML elements: more than {MAX_ELEMENTS}, the most press-toolkit imports")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise XliffError(path, refused.problem) from None
    except expat.ExpatError as error:
        try:  # lxml's message says more
            etree.fromstring(data, parser=_parser())
        except etree.XMLSyntaxError as lxml_error:
            raise XliffError(path, f"not XML: {lxml_error}") from None
        raise XliffError(path, f"not XML: {expat.ErrorString(error.code)} (line {error.lineno}, column {error.offset})") from None


def _parser() -> Any:
    """lxml for untrusted input: no entity substitution, no DTD loaded, no network, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False)


def _check_original(path: Path, record: Path, original: str, source_language: str, target_language: str) -> tuple[Path, frozenset[str]]:
    """The source file ``original`` names, and the unit ids exported from it, if the record lists it for these languages."""
    source = _resolve_original(original, path.resolve().parent)
    if source is None:
        raise XliffError(path, f"the <file> element names no usable source file (original {original!r}); "
                               "import only files written by presskit export-xliff")
    units: set[str] = set()
    for entry in _read_record(record):
        if entry.get("original") != str(source):
            continue
        try:
            languages = (normalize_language(str(entry.get("source_language"))), normalize_language(str(entry.get("target_language"))))
        except ValueError:
            continue
        if languages == (source_language, target_language) and isinstance(entry.get("units"), list):
            units.update(str(unit) for unit in entry["units"])
    if not units:
        raise XliffError(
            path,
            f"refused: original {original!r} is not a release exported for review ({source_language}→{target_language}); "
            f"import-xliff reads and rebuilds only the source files export-xliff recorded in {record}",
        )
    return source, frozenset(units)


def _validate(path: Path, data: bytes) -> tuple[Any, str, str, str]:
    """The ``<file>`` element, languages and original of a well-formed XLIFF 1.x document, or an error saying what is wrong."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise XliffError(path, f"not XML: {error}") from error
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise XliffError(path, _DOCTYPE_REFUSED)
    name = etree.QName(root)
    if name.localname != "xliff":
        raise XliffError(path, f"not an XLIFF file: the root element is <{name.localname}>, not <xliff>")
    version = (root.get("version") or "").strip()
    if version.startswith("2") or (name.namespace or "").endswith(":2.0"):
        raise XliffError(path, f"XLIFF {version or '2.0'} is not supported: press-toolkit reads XLIFF 1.2, as it exports")
    if version not in _VERSIONS:
        found = f"version {version!r}" if version else "no version attribute"
        raise XliffError(path, f"unsupported XLIFF version: {found} (press-toolkit reads XLIFF 1.2)")
    if name.namespace not in _NAMESPACES:
        raise XliffError(path, f"not in the XLIFF {version} namespace ({name.namespace or 'no namespace'})")
    files = root.findall(f"{{{name.namespace}}}file")
    if len(files) != 1:
        raise XliffError(path, f"expected one <file> element, found {len(files)}")
    filenode = files[0]
    languages = []
    for attribute in ("source-language", "target-language"):
        value = (filenode.get(attribute) or "").strip()
        if not value:
            raise XliffError(path, f"the <file> element has no {attribute}")
        try:
            languages.append(normalize_language(value))
        except ValueError:
            raise XliffError(path, f"{attribute} {value!r} is not a language tag") from None
    if filenode.find(f"{{{name.namespace}}}body") is None:
        raise XliffError(path, "the <file> element has no <body>")
    return filenode, languages[0], languages[1], filenode.get("original") or ""


def _model(filenode: Any) -> str | None:
    namespace = etree.QName(filenode).namespace
    for tool in filenode.iterfind(f"{{{namespace}}}header/{{{namespace}}}tool"):
        if tool.get("tool-id") == MT_TOOL_ID and tool.get("tool-version"):
            return str(tool.get("tool-version"))
    return None


@dataclass(frozen=True)
class _Converted:
    """Rich XLIFF content in placeholder form, with the inline codes met on the way."""

    text: str
    #: ``id`` of each ``<x>``/``<bx>``/``<ex>``, in order.
    codes: tuple[str, ...]
    #: Other inline elements, which stand for no placeholder (``<ph>``, ``<bpt>`` ...).
    foreign: tuple[str, ...]


def _unit_key(unit: Any) -> str:
    """The memory key a unit is for: its ``resname``, else its source in placeholder form."""
    resname = unit.xmlelement.get("resname")
    if resname:
        return normalize_segment(resname)
    return normalize_segment(_convert(unit.rich_source[0], PREFIXES[0]).text)


def _decide(unit: Any, namespace: str) -> tuple[str, str | None, list[XliffWarning]] | None:
    """``(key, target to store or None, warnings)``, or None for a unit without a target."""
    if unit.get_target_dom() is None:
        return None
    unit_id = str(unit.xmlelement.get("id") or "")
    source_elem = unit.rich_source[0]
    resname = unit.xmlelement.get("resname")
    prefix = _prefix(source_elem, resname)
    source = _convert(source_elem, prefix)
    key = normalize_segment(resname) if resname else normalize_segment(source.text)
    warnings: list[XliffWarning] = []

    def warn(kind: WarningKind, message: str) -> None:
        warnings.append(XliffWarning(unit=unit_id, source=key, kind=kind, message=f"unit {unit_id}: {message}"))

    target = _convert(unit.rich_target[0], prefix)
    previous = _previous(unit, namespace, prefix)
    changed = previous is not None and normalize_segment(target.text) != normalize_segment(previous[0].text)
    state = unit.get_target_dom().get("state")
    approved = state in APPROVED_STATES or unit.xmlelement.get("approved") == "yes"
    was_reviewed = previous is not None and previous[1]
    if not (changed or (approved and not was_reviewed)):
        return key, None, warnings
    if not normalize_segment(target.text):
        warn("empty_target", "the target is empty: not stored")
        return key, None, warnings
    if resname and normalize_segment(source.text) != key:
        warn("source_changed", f"the source differs from the exported segment; stored for the exported one {key!r}")
    _check_codes(source, target, warn)
    return key, normalize_segment(target.text), warnings


def _check_codes(source: _Converted, target: _Converted, warn: Callable[[WarningKind, str], None]) -> None:
    # Counted once (a hostile unit may carry a hundred thousand codes), and at most MAX_UNIT_WARNINGS reported.
    wanted, found = Counter(source.codes), Counter(target.codes)
    problems: list[tuple[WarningKind, str]] = []
    for code in wanted:
        if code not in found:
            problems.append(("code_lost", f"the target lost inline code {code}"))
    for code, count in found.items():
        if code not in wanted:
            problems.append(("code_invented", f"the target has inline code {code}, which the source does not"))
        elif count > wanted[code]:
            problems.append(("code_duplicated", f"the target repeats inline code {code}"))
    for element in target.foreign:
        problems.append(("code_invented", f"the target has an inline <{element}>, which stands for nothing in the source: left out"))
    for kind, message in problems[:MAX_UNIT_WARNINGS]:
        warn(kind, message)
    if len(problems) > MAX_UNIT_WARNINGS:
        kind = problems[MAX_UNIT_WARNINGS][0]
        warn(kind, f"{len(problems) - MAX_UNIT_WARNINGS} more inline code problems like these, not listed")


def _previous(unit: Any, namespace: str, prefix: str) -> tuple[_Converted, bool] | None:
    """The exported target (from ``alt-trans`` previous-version) and whether it was a reviewed entry."""
    for alternative in unit.xmlelement.iterfind(f"{{{namespace}}}alt-trans"):
        if alternative.get("alttranstype") != "previous-version":
            continue
        node = alternative.find(f"{{{namespace}}}target")
        if node is not None:
            return _convert(xml_to_strelem(node, "preserve"), prefix), node.get("state") in APPROVED_STATES
    return None


def _prefix(source: StringElem, resname: str | None) -> str:
    """The placeholder prefix that turns the source's codes back into the memory key."""
    ids = _convert(source, "").codes
    if not ids or not resname:
        return PREFIXES[0]
    key = normalize_segment(resname)
    for prefix in PREFIXES:
        if normalize_segment(_convert(source, prefix).text) == key:
            return prefix
    for prefix in PREFIXES:
        if all(re.search(rf"{prefix}{re.escape(code)}(?!\d)", key) for code in ids):
            return prefix
    return PREFIXES[0]


def _convert(elem: Any, prefix: str) -> _Converted:
    text: list[str] = []
    codes: list[str] = []
    foreign: list[str] = []
    for piece in _walk(elem, foreign):
        if isinstance(piece, str):
            text.append(piece)
        else:
            codes.append(piece[0])
            text.append(f"{prefix}{piece[0]}")
    return _Converted(text="".join(text), codes=tuple(codes), foreign=tuple(foreign))


def _walk(elem: Any, foreign: list[str]) -> Iterator[str | tuple[str]]:
    """Text pieces and ``(id,)`` for each placeholder code, depth first."""
    if isinstance(elem, str):
        yield elem
        return
    if isinstance(elem, (base.X, base.Bx, base.Ex)):
        if elem.id is not None:
            yield (str(elem.id),)
        return
    if isinstance(elem, xliff_placeables.UnknownXML):
        tag = etree.QName(elem.xml_node).localname
        if tag != "mrk":  # <mrk> marks text; <ph>, <bpt>, <ept>, <it> hold native code, not text
            foreign.append(tag)
            return
    for sub in elem.sub:
        yield from _walk(sub, foreign)
