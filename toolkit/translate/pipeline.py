"""Translate releases: protect, segment, look up the memory, batch-translate, restore, check.

For each language pair, the segments of every release given are collected
first and the ones the translation memory does not know go to the model in
one :meth:`Engine.translate` call (batched by CTranslate2 per route step).
Facts, names and glossary terms travel as placeholders and come back
rendered for the target language; every repair the restoration makes and
every problem the checks find is in the release's :class:`QAReport`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..errors import PressToolkitError
from ..localize import format_fact
from ..model import (
    Phone,
    Release,
    Span,
    SpanKind,
    Text,
    map_texts,
    walk_texts,
)
from ..values import PhoneFact
from .engine import Engine
from .glossary import Glossary, mark_terms, merge
from .memory import TranslationMemory
from .packages import find_route
from .protect import Protected, Repair, protect, restore
from .qa import QAReport, check_segment
from .routes import InstalledModel, Route
from .segment import join_sentences, split_sentences
from .typography import apply_typography
from .units import Origin, Placeholder, Segment

__all__ = ["Translation", "Translator"]

_NAME_KINDS = frozenset({SpanKind.PERSON, SpanKind.ORGANIZATION, SpanKind.PROTECTED})


@dataclass(frozen=True, kw_only=True)
class Translation:
    """A release in a target language, how it got there, and what the checks found."""

    release: Release
    route: Route
    report: QAReport
    #: Segments served from the translation memory / sent to the model.
    from_memory: int
    from_model: int
    #: Each distinct segment of the release once (a sentence or link text with its placeholders, as the
    #: memory stores it), in order of first occurrence.
    segments: tuple[Segment, ...] = ()


@dataclass
class _Unit:
    """One piece of text to translate: a Text of a release, or a speaker's role.

    Not a :class:`Segment`: the pipeline's working state for one place of the release (its marked source
    Text, filled in with the sentences and link texts it is split into), which becomes many segments.
    """

    location: str
    source: Text
    sentences: list[str] = field(default_factory=list)
    #: Link texts inside this unit, translated as segments of their own.
    link_texts: list[str] = field(default_factory=list)


class Translator:
    """Translates releases with installed Argos models, a memory and glossaries.

    The engine keeps loaded models for its lifetime, so one ``Translator``
    serves many releases and calls.
    """

    def __init__(
        self,
        *,
        engine: Engine | None = None,
        memory: TranslationMemory | None = None,
        glossaries: Iterable[Glossary] = (),
        models: Sequence[InstalledModel] | None = None,
        do_not_translate: Iterable[str] = (),
    ) -> None:
        self.engine = engine if engine is not None else Engine()
        self.memory = memory
        # Several glossaries of one pair (the office's and a project's) are merged, later ones winning.
        by_pair: dict[tuple[str, str], list[Glossary]] = {}
        for glossary in glossaries:
            by_pair.setdefault((glossary.source_language, glossary.target_language), []).append(glossary)
        self.glossaries = {pair: merge(*group) for pair, group in by_pair.items()}
        self.models = models
        #: Names and terms kept as written in every language pair.
        self.do_not_translate = frozenset(do_not_translate)

    def route(self, source: str, target: str) -> Route:
        """The route for a pair, or :class:`~toolkit.translate.packages.NoRouteError` with install instructions."""
        return find_route(source, target, self.models)

    def translate(self, release: Release, target: str) -> Translation:
        return self.translate_all([release], target)[0]

    def translate_all(self, releases: Sequence[Release], target: str) -> list[Translation]:
        """Translate every release into ``target``; all new segments go to the model in one batch."""
        languages = {release.language for release in releases}
        if len(languages) > 1:
            raise PressToolkitError(f"releases in several languages ({', '.join(sorted(languages))}) cannot share one batch")
        if not releases:
            return []
        source = releases[0].language
        route = self.route(source, target)
        # Glossaries are per language pair: de→en serves en-GB too.
        glossary = self.glossaries.get((source, target)) or self.glossaries.get((route.source, route.target))
        prepared = [_prepare(release, glossary, self.do_not_translate) for release in releases]
        units = [_units(release, glossary) for release in prepared]
        for release_units in units:
            for unit in release_units:
                _segment(unit, source_language=source)
        segments = list(dict.fromkeys(s for release_units in units for unit in release_units for s in (*unit.sentences, *unit.link_texts)))
        translated, origins = self._translate_segments(segments, route)
        return [
            self._assemble(release, release_units, translated, route=route, glossary=glossary, origins=origins, target=target)
            for release, release_units in zip(prepared, units)
        ]

    def _translate_segments(self, segments: list[str], route: Route) -> tuple[dict[str, str], dict[str, Origin]]:
        """The translation of every segment, and where each came from."""
        known: dict[str, str] = {}
        origins: dict[str, Origin] = {}
        if self.memory is not None:
            entries = self.memory.lookup_many(segments, source_language=route.source, target_language=route.target, model=route.identity)
            known = {source: entry.target for source, entry in entries.items()}
            origins = {source: entry.origin for source, entry in entries.items()}
        missing = [segment for segment in segments if segment not in known]
        if missing:
            outputs = self.engine.translate(missing, route)
            machine = dict(zip(missing, outputs))
            if self.memory is not None:
                self.memory.store_machine(machine.items(), source_language=route.source, target_language=route.target, model=route.identity)
            known.update(machine)
            origins.update(dict.fromkeys(missing, "machine"))
        return known, origins

    def _assemble(
        self,
        release: Release,
        units: list[_Unit],
        translated: Mapping[str, str],
        *,
        route: Route,
        glossary: Glossary | None,
        origins: Mapping[str, Origin],
        target: str,
    ) -> Translation:
        # ``target`` is the full tag (en-GB): facts and labels follow the region, the model is the language's.
        reports: list[Segment] = []
        results: dict[str, Text] = {}
        collected = _SegmentCollector(translated, origins, route)
        for unit in units:
            text, repairs, protected = _restore_unit(unit, translated, target=target)
            results[unit.location] = text
            collected.add(unit, protected)
            origin = _least_reviewed(origins[s] for s in (*unit.sentences, *unit.link_texts))
            reports.append(
                check_segment(
                    location=unit.location,
                    source=unit.source,
                    target=text,
                    source_language=route.source,
                    target_language=target,
                    repairs=repairs,
                    glossary=glossary.terms if glossary else {},
                    origin=origin,
                    model=None if origin == "reviewed" else route.identity,
                )
            )
        translated_release = _rebuild(release, results, target)
        segments = [s for unit in units for s in (*unit.sentences, *unit.link_texts)]
        report = QAReport(source_language=route.source, target_language=target, route=route.describe(), segments=tuple(reports))
        served = sum(1 for s in segments if origins[s] != "machine")
        return Translation(
            release=translated_release,
            route=route,
            report=report,
            from_memory=served,
            from_model=len(segments) - served,
            segments=collected.segments(),
        )


_ORIGIN_ORDER: tuple[Origin, ...] = ("machine", "memory", "reviewed")


def _least_reviewed(origins: Iterable[Origin]) -> Origin:
    """The origin of a text of several segments: reviewed only if all are, machine if any is new."""
    return min(origins, key=_ORIGIN_ORDER.index, default="machine")


class _SegmentCollector:
    """Gathers the distinct segments of one release with their locations and placeholder meanings."""

    def __init__(self, translated: Mapping[str, str], origins: Mapping[str, Origin], route: Route) -> None:
        self._translated = translated
        self._origins = origins
        self._route = route
        self._locations: dict[str, list[str]] = {}
        self._placeholders: dict[str, list[Placeholder]] = {}

    def add(self, unit: _Unit, protected: Protected) -> None:
        slots = {slot.token: slot for slot in protected.slots}
        pattern = re.compile(rf"{re.escape(protected.prefix)}\d+(?!\d)") if slots else None
        for segment in (*unit.sentences, *unit.link_texts):
            locations = self._locations.setdefault(segment, [])
            if unit.location not in locations:
                locations.append(unit.location)
            placeholders = self._placeholders.setdefault(segment, [])
            for token in dict.fromkeys(pattern.findall(segment) if pattern else ()):
                slot = slots.get(token)
                if slot is None:
                    continue
                placeholder = Placeholder(
                    token=token,
                    kind=slot.span.kind,
                    source=unit.source.text[slot.span.start : slot.span.end],
                    target=slot.replacement,
                )
                if placeholder not in placeholders:
                    placeholders.append(placeholder)

    def segments(self) -> tuple[Segment, ...]:
        route = self._route
        return tuple(
            Segment(
                source=segment,
                target=self._translated[segment],
                source_language=route.source,
                target_language=route.target,
                origin=self._origins[segment],
                model=None if self._origins[segment] == "reviewed" else route.identity,
                locations=tuple(locations),
                placeholders=tuple(self._placeholders[segment]),
            )
            for segment, locations in self._locations.items()
        )


# -- preparing the source ----------------------------------------------------------


def _prepare(release: Release, glossary: Glossary | None, keep: frozenset[str]) -> Release:
    """Mark the release's own names (speakers, contacts, issuer), the do-not-translate list and the glossary's terms."""
    names = _release_names(release) + sorted(((entry, SpanKind.PROTECTED) for entry in keep), key=lambda item: -len(item[0]))

    def mark(text: Text) -> Text:
        for name, kind in names:
            text = text.mark(name, kind)
        return mark_terms(text, glossary) if glossary else text

    return map_texts(release, mark)


def _release_names(release: Release) -> list[tuple[str, SpanKind]]:
    names: dict[str, SpanKind] = {}
    for speaker in release.speakers:
        names[speaker.name] = SpanKind.PERSON
    for contact in release.contacts:
        if contact.person:
            names[contact.person] = SpanKind.PERSON
        if contact.organization:
            names[contact.organization] = SpanKind.ORGANIZATION
    if release.issuer:
        names[release.issuer] = SpanKind.ORGANIZATION
    # Longest first, so "Hendrik Wüst" is marked before a bare "Wüst" could be.
    return sorted(names.items(), key=lambda item: -len(item[0]))


def _units(release: Release, glossary: Glossary | None) -> list[_Unit]:
    # Every text of the release, roles of speakers and contacts included ("Pressesprecherin" matters abroad too).
    return [_Unit(location=path, source=text) for path, text in walk_texts(release) if text.text.strip()]


def _segment(unit: _Unit, *, source_language: str) -> None:
    unit.link_texts = [unit.source.text[s.start : s.end] for s in unit.source.spans if s.kind is SpanKind.LINK]
    # Placeholders do not depend on the replacement, which needs the translated
    # link texts: protect now for the source text, again when restoring.
    protected = protect(unit.source, replacement=lambda span, piece: piece)
    unit.sentences = split_sentences(protected.text, language=source_language)


# -- restoring the target --------------------------------------------------------------


def _restore_unit(unit: _Unit, translated: Mapping[str, str], *, target: str) -> tuple[Text, tuple[Repair, ...], Protected]:
    links = iter(translated[piece] for piece in unit.link_texts)
    protected = protect(unit.source, replacement=_replacement(unit.source.text, target, links))
    output = join_sentences([translated[sentence] for sentence in unit.sentences], language=target)
    restored = restore(apply_typography(output, language=target), protected)
    return restored.text, restored.repairs, protected


def _replacement(source: str, target: str, links: Iterator[str]) -> Callable[[Span, str], str]:
    def replacement(span: Span, piece: str) -> str:
        if span.fact is not None:
            return format_fact(span.fact, locale=target)
        if span.kind is SpanKind.TERM and span.value:
            # "state government" opens a sentence as "State government".
            opens_sentence = not source[: span.start].strip() or re.search(r"[.!?:]\s*$", source[: span.start]) is not None
            return span.value[:1].upper() + span.value[1:] if opens_sentence else span.value
        if span.kind is SpanKind.LINK:
            return next(links)
        return piece

    return replacement


def _rebuild(release: Release, results: Mapping[str, Text], target: str) -> Release:
    texts = iter(results.get(path, text) for path, text in walk_texts(release))
    translated = map_texts(release, lambda _: next(texts))
    contacts = tuple(replace(contact, phones=tuple(_localized_phone(phone, target) for phone in contact.phones))
                     for contact in translated.contacts)
    return replace(translated, language=target, contacts=contacts)


def _localized_phone(phone: Phone, target: str) -> Phone:
    """A contact's number as a reader abroad dials it (international format outside Germany)."""
    if phone.e164 is None:
        return phone
    return replace(phone, number=format_fact(PhoneFact(e164=phone.e164), locale=target))


