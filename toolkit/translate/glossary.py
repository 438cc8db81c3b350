"""Glossaries and do-not-translate lists, and marking their terms in a text.

A :class:`Glossary` holds, for one language pair, the terms with a
prescribed translation ("Staatskanzlei" → "State Chancellery") and the
strings to keep exactly as written (organization and brand names such as
"Westfälische Ferngas AG"). :func:`mark_terms` marks them in a
:class:`~toolkit.model.Text` as spans; the pipeline turns the spans into
placeholders, so the model never sees (or mistranslates) them, and puts the
target term (``SpanKind.TERM``, ``value`` = target term) or the original
string (``SpanKind.PROTECTED``) back in.

Matching rules of :func:`mark_terms`:

* **Case-sensitive**, exactly as the glossary writes the term (German nouns are
  capitalized; "Revier" is not "revier").
* **Whole words only.** A term matches only where it is not preceded or followed
  by a letter, digit or underscore. So "Staatskanzlei" does *not* match inside
  "Staatskanzleien", "Ministerpräsident" not inside "Ministerpräsidentin", and
  "Kernnetz" not inside "Kernnetzbetreiber": a closed German compound or an
  inflected form is a different word, whose translation the glossary cannot
  guess (list such forms as their own entries). A hyphen *is* a boundary, so
  "Kernnetz" matches in "Wasserstoff-Kernnetz": each part of a hyphenated
  compound is a word. Spaces inside a term match any run of whitespace.
* **Longest match first**, over the whole text: "Wasserstoff-Kernnetz" wins over
  "Kernnetz", "Ministerpräsidentin" over a shorter term inside the same words.
  For the same string a do-not-translate entry wins over a term.
* **Never overlapping**: an occurrence overlapping a span already in the text (a
  person marked by the reader, a date) or an already marked longer term is
  skipped.

Files: glossaries are CSV (``.csv``, ``.tsv``, ``.txt``) or TBX (``.tbx``);
do-not-translate lists are plain text, one entry per line. Every error names
the file and, where there is one, the line (``path:line: problem``).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import PressToolkitError
from ..model import Span, SpanKind, Text
from .memory import normalize_language

__all__ = [
    "Glossary",
    "GlossaryError",
    "load_do_not_translate",
    "load_glossary",
    "mark_terms",
    "merge",
]

_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w")
#: Delimiters tried on the header line, in this order.
_DELIMITERS = (",", ";", "\t")
_CSV_SUFFIXES = {".csv", ".tsv", ".txt"}


class GlossaryError(PressToolkitError):
    """A glossary or do-not-translate file could not be read.

    >>> str(GlossaryError("glossary.csv", "no target term", line=7))
    'glossary.csv:7: no target term'
    """

    def __init__(self, path: str | Path, problem: str, *, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path}:{line}: {problem}" if line is not None else f"{self.path}: {problem}")


class _Terms(Mapping[str, str]):
    """A read-only, hashable mapping (so a :class:`Glossary` is a hashable value)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[str, str]) -> None:
        self._data = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return repr(self._data)


@dataclass(frozen=True, kw_only=True)
class Glossary:
    """Terms and do-not-translate strings for one language pair.

    >>> g = Glossary(source_language="de", target_language="en", terms={"Staatskanzlei": "State Chancellery"},
    ...              do_not_translate=frozenset({"Westfälische Ferngas AG"}))
    >>> g.terms["Staatskanzlei"], g.terms == {"Staatskanzlei": "State Chancellery"}
    ('State Chancellery', True)
    """

    source_language: str
    target_language: str
    #: Source term → target term.
    terms: Mapping[str, str]
    #: Strings kept exactly as written.
    do_not_translate: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        terms = _Terms(self.terms) if not isinstance(self.terms, _Terms) else self.terms
        for source, target in terms.items():
            if not isinstance(source, str) or not source.strip() or not isinstance(target, str) or not target.strip():
                raise ValueError(f"a glossary term and its translation must not be empty: {source!r} → {target!r}")
        if any(not isinstance(entry, str) or not entry.strip() for entry in self.do_not_translate):
            raise ValueError("a do-not-translate entry must not be empty")
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "do_not_translate", frozenset(self.do_not_translate))


# -- loading --------------------------------------------------------------------------------


def _clean(cell: str) -> str:
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", cell)).strip()


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise GlossaryError(path, f"cannot read: {error.strerror or error}") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GlossaryError(path, "not UTF-8 text (save it as UTF-8, e.g. \"CSV UTF-8\")", line=line) from error


def load_do_not_translate(path: Path) -> frozenset[str]:
    """The strings of a do-not-translate list: one per line; blank lines and lines starting with ``#`` are skipped.

    Entries are NFC-normalized, inner whitespace collapsed and ends stripped.
    """
    path = Path(path)
    return frozenset(
        entry for line in _decode(path).splitlines() if (entry := _clean(line)) and not entry.startswith("#")
    )


def load_glossary(path: Path, *, source_language: str, target_language: str) -> Glossary:
    """Load a glossary for one language pair from CSV or TBX.

    CSV: UTF-8 (with or without BOM), delimiter comma, semicolon or tab (taken
    from the header line), a header naming the columns ``source`` and ``target``
    (case-insensitive; further columns such as ``note`` are ignored) or naming
    languages (``de;en;fr``: the columns of the requested pair are used, and a
    row without a term in the target language is skipped). Lines before the
    header and rows whose first cell starts with ``#`` are comments. A term
    listed twice with different translations is an error.

    TBX (TBX 2/martif, as translate-toolkit reads it): every concept with a term
    in both languages (``xml:lang`` "de-DE" serves "de"); deprecated terms are
    left out, a preferred target term is taken over the others, and every
    source synonym maps to it.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".tbx":
        terms = _load_tbx(path, source_language, target_language)
    elif suffix in _CSV_SUFFIXES:
        terms = _load_csv(path, source_language, target_language)
    else:
        raise GlossaryError(path, f"unknown glossary format {path.suffix!r} (use .csv or .tbx)")
    return Glossary(source_language=source_language, target_language=target_language, terms=terms)


def _same_language(name: str, language: str) -> bool:
    try:
        return normalize_language(name) == normalize_language(language)
    except ValueError:
        return False


def _header_columns(cells: list[str], source_language: str, target_language: str) -> tuple[int, int, bool] | None:
    """(source column, target column, target named by language) for a header row, or ``None``."""
    names = [cell.strip().lower() for cell in cells]
    if "source" in names and "target" in names:
        return names.index("source"), names.index("target"), False
    source = next((i for i, name in enumerate(names) if _same_language(name, source_language)), None)
    target = next((i for i, name in enumerate(names) if _same_language(name, target_language)), None)
    if source is not None and target is not None and source != target:
        return source, target, True
    return None


def _load_csv(path: Path, source_language: str, target_language: str) -> dict[str, str]:
    text = _decode(path)
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), None)
    if header_index is None:
        raise GlossaryError(path, "empty: a glossary needs a header line such as 'source,target,note'")
    header_line = lines[header_index]
    delimiter, columns = ",", None
    for candidate in _DELIMITERS:
        columns = _header_columns(next(csv.reader([header_line], delimiter=candidate)), source_language, target_language)
        if columns is not None:
            delimiter = candidate
            break
    if columns is None:
        raise GlossaryError(
            path,
            f"the header {header_line.strip()!r} does not name a 'source' and a 'target' column "
            f"(or the languages {source_language!r} and {target_language!r}), separated by ',' or ';'",
            line=header_index + 1,
        )
    source_column, target_column, by_language = columns
    width = len(next(csv.reader([header_line], delimiter=delimiter)))

    terms: dict[str, str] = {}
    first_line: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header_seen = False
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise GlossaryError(path, f"not valid CSV: {error}", line=line) from error
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        if any(cell.strip() for cell in row[width:]):
            raise GlossaryError(
                path,
                f"{len(row)} cells, but the header has {width} columns (put cells containing {delimiter!r} in double quotes)",
                line=line,
            )
        source = _clean(row[source_column]) if source_column < len(row) else ""
        target = _clean(row[target_column]) if target_column < len(row) else ""
        if not source:
            raise GlossaryError(path, f"the term {target!r} has no source term" if target else "no source term", line=line)
        if not target:
            if by_language:
                continue  # not translated into this language (yet)
            raise GlossaryError(
                path,
                f"{source!r} has no target term (names to keep as written belong in the do-not-translate list)",
                line=line,
            )
        _add_term(terms, first_line, source, target, path=path, line=line)
    return terms


def _load_tbx(path: Path, source_language: str, target_language: str) -> dict[str, str]:
    from lxml import etree  # type: ignore[import-untyped]
    from translate.misc.xml_helpers import getXMLlang
    from translate.storage import tbx

    try:
        data = path.read_bytes()
    except OSError as error:
        raise GlossaryError(path, f"cannot read: {error.strerror or error}") from error
    try:
        store = tbx.tbxfile(io.BytesIO(data))
    except etree.XMLSyntaxError as error:
        raise GlossaryError(path, f"not valid XML: {error.msg}", line=error.lineno) from error
    except (AssertionError, AttributeError, ValueError) as error:
        raise GlossaryError(path, "not a TBX file (expected a <martif> root element)") from error
    if etree.QName(store.document.getroot()).localname != "martif":
        raise GlossaryError(path, "not a TBX file (expected a <martif> root element)")

    terms: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for unit in store.units:
        codes = [code for node in unit.getlanguageNodes() if (code := getXMLlang(node))]
        source_code = next((code for code in codes if _same_language(code, source_language)), None)
        target_code = next((code for code in codes if _same_language(code, target_language)), None)
        if source_code is None or target_code is None or source_code == target_code:
            continue
        sources = [_clean(term.text) for term in unit.get_target_terms(source_code) if _clean(term.text) and not term.deprecated]
        targets = [term for term in unit.get_target_terms(target_code) if _clean(term.text) and not term.deprecated]
        if not sources or not targets:
            continue
        preferred = next((term for term in targets if "preferred" in (term.administrative_status or "").lower()), targets[0])
        target = _clean(preferred.text)
        line = unit.xmlelement.sourceline
        for source in sources:
            _add_term(terms, first_line, source, target, path=path, line=line)
    return terms


def _add_term(terms: dict[str, str], first_line: dict[str, int], source: str, target: str, *, path: Path, line: int) -> None:
    """Add a term; the same source term with two different translations is an error naming both lines."""
    if source in terms and terms[source] != target:
        raise GlossaryError(
            path,
            f"{source!r} is translated as {terms[source]!r} on line {first_line[source]} and as {target!r} here",
            line=line,
        )
    terms[source] = target
    first_line.setdefault(source, line)


# -- combining ------------------------------------------------------------------------------


def merge(*glossaries: Glossary) -> Glossary:
    """One glossary from several of the same language pair; a later one overrides an earlier one.

    A term of a later glossary replaces the same term of an earlier one, and
    moving a string between terms and do-not-translate works the same way.

    >>> general = Glossary(source_language="de", target_language="en", terms={"Kernnetz": "core network"})
    >>> project = Glossary(source_language="de", target_language="en", terms={"Kernnetz": "backbone"},
    ...                    do_not_translate=frozenset({"Wasserstoff.Westfalen"}))
    >>> merged = merge(general, project)
    >>> dict(merged.terms), sorted(merged.do_not_translate)
    ({'Kernnetz': 'backbone'}, ['Wasserstoff.Westfalen'])
    """
    if not glossaries:
        raise ValueError("merge() needs at least one glossary")
    first = glossaries[0]
    for glossary in glossaries[1:]:
        if not (
            _same_language(glossary.source_language, first.source_language)
            and _same_language(glossary.target_language, first.target_language)
        ):
            raise ValueError(
                f"cannot merge glossaries of different language pairs: {first.source_language}→{first.target_language} "
                f"and {glossary.source_language}→{glossary.target_language}"
            )
    terms: dict[str, str] = {}
    keep: set[str] = set()
    for glossary in glossaries:
        for source, target in glossary.terms.items():
            terms[source] = target
            keep.discard(source)
        for entry in glossary.do_not_translate:
            keep.add(entry)
            terms.pop(entry, None)
    return Glossary(
        source_language=first.source_language,
        target_language=first.target_language,
        terms=terms,
        do_not_translate=frozenset(keep),
    )


# -- marking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Needle:
    #: The first word of the entry: a quick substring test before the regular expression.
    probe: str
    pattern: re.Pattern[str]
    kind: SpanKind
    value: str | None


def _pattern(entry: str) -> re.Pattern[str]:
    words = entry.split()
    body = r"\s+".join(re.escape(word) for word in words)
    # Word boundaries only where the entry itself starts or ends with a word character.
    before = r"(?<!\w)" if _WORD.match(words[0][0]) else ""
    after = r"(?!\w)" if _WORD.match(words[-1][-1]) else ""
    return re.compile(before + body + after)


@functools.lru_cache(maxsize=32)
def _needles(glossary: Glossary) -> tuple[_Needle, ...]:
    needles: list[_Needle] = []
    for entry in glossary.do_not_translate:
        needles.append(_Needle(entry.split()[0], _pattern(entry), SpanKind.PROTECTED, None))
    for source, target in glossary.terms.items():
        if source not in glossary.do_not_translate:
            needles.append(_Needle(source.split()[0], _pattern(source), SpanKind.TERM, target))
    return tuple(needles)


def mark_terms(text: Text, glossary: Glossary) -> Text:
    """Mark the glossary's terms (``TERM``, value = target term) and do-not-translate strings (``PROTECTED``).

    >>> g = Glossary(source_language="de", target_language="en",
    ...              terms={"Kernnetz": "core network", "Ministerpräsident": "Minister-President"},
    ...              do_not_translate=frozenset({"Westfälische Ferngas AG"}))
    >>> t = mark_terms(Text.plain("Ministerpräsidentin und Westfälische Ferngas AG bauen das Wasserstoff-Kernnetz."), g)
    >>> [(t.text[s.start:s.end], s.kind.value, s.value) for s in t.spans]
    [('Westfälische Ferngas AG', 'protected', None), ('Kernnetz', 'term', 'core network')]
    """
    candidates: list[tuple[int, int, int, SpanKind, str | None]] = []
    for needle in _needles(glossary):
        if needle.probe not in text.text:
            continue
        for match in needle.pattern.finditer(text.text):
            # Sort key: longest first, then leftmost, then do-not-translate before a term.
            candidates.append((match.start(), match.end(), 0 if needle.kind is SpanKind.PROTECTED else 1, needle.kind, needle.value))
    if not candidates:
        return text
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[2]))
    taken: list[tuple[int, int]] = [(span.start, span.end) for span in text.spans]
    added: list[Span] = []
    for start, end, _, kind, value in candidates:
        if any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
            continue
        taken.append((start, end))
        added.append(Span(start=start, end=end, kind=kind, value=value))
    if not added:
        return text
    return replace(text, spans=tuple(sorted((*text.spans, *added), key=lambda span: span.start)))
