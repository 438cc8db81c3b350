"""The release model: the typed spine every stage of the toolkit shares.

Readers build a :class:`Release`; translation, localization and rendering
read it and produce new ones. Every class is a frozen, keyword-only
dataclass, so a release is a value: two releases with the same content are
equal, and a stage never changes the release it was given.

Human-readable strings that a later stage may translate or localize are
:class:`Text` values: the string plus marked :class:`Span` ranges (a person
not to translate, a link, a date to localize). Plain ``str`` fields hold
things that are never translated (URLs, e-mail addresses, proper names in
contact blocks).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Annotated, Any, Literal, TypeVar, Union

from pydantic import Field

from .values import Fact

__all__ = [
    "Block",
    "Boilerplate",
    "Contact",
    "Embargo",
    "Heading",
    "Image",
    "LinkLine",
    "ListBlock",
    "Paragraph",
    "Phone",
    "PhoneKind",
    "Quote",
    "Release",
    "Span",
    "SpanKind",
    "Speaker",
    "Text",
    "iter_texts",
    "map_texts",
    "walk_texts",
]


class SpanKind(enum.StrEnum):
    """What a marked range of text is, and so how later stages treat it."""

    #: A person's name: never translated.
    PERSON = "person"
    #: An organization's name: never translated.
    ORGANIZATION = "organization"
    #: A place name: translated only through the glossary.
    PLACE = "place"
    #: Anything else an editor or glossary marks as do-not-translate.
    PROTECTED = "protected"
    #: A glossary term with a prescribed translation (``value`` = term id).
    TERM = "term"
    #: A hyperlink; ``value`` is the URL.
    LINK = "link"
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    #: Facts localized per target language; ``value`` is the canonical form
    #: (ISO 8601 for dates and times, a decimal string for numbers, ...).
    DATE = "date"
    TIME = "time"
    NUMBER = "number"
    AMOUNT = "amount"
    PERCENT = "percent"


@dataclass(frozen=True, kw_only=True)
class Span:
    """A marked range ``text[start:end]`` of a :class:`Text`."""

    start: int
    end: int
    kind: SpanKind
    #: Canonical machine form of the span (a link's URL, a term id ...).
    value: str | None = None
    #: The typed value of a fact (date, amount, phone ...), see :mod:`toolkit.values`.
    fact: Fact | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"span [{self.start}, {self.end}) is empty or negative")


@dataclass(frozen=True, kw_only=True)
class Text:
    """A string with marked spans.

    Spans lie inside the string, are sorted and do not overlap, so every
    stage can walk them left to right and replace them safely.

    >>> t = Text.plain("Eva Roth reist nach Lissabon.").mark("Eva Roth", SpanKind.PERSON)
    >>> [t.text[s.start:s.end] for s in t.spans]
    ['Eva Roth']
    """

    text: str
    spans: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        previous_end = 0
        for span in self.spans:
            if span.end > len(self.text):
                raise ValueError(f"span [{span.start}, {span.end}) lies outside a text of {len(self.text)} characters")
            if span.start < previous_end:
                raise ValueError("spans must be sorted and must not overlap")
            previous_end = span.end

    @classmethod
    def plain(cls, text: str) -> Text:
        return cls(text=text)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def spanned(self) -> Iterator[tuple[str, Span | None]]:
        """Yield the text as pieces, each with its span or ``None``."""
        position = 0
        for span in self.spans:
            if span.start > position:
                yield self.text[position : span.start], None
            yield self.text[span.start : span.end], span
            position = span.end
        if position < len(self.text):
            yield self.text[position:], None

    def add_span(self, span: Span) -> Text:
        """Return a copy with ``span`` added; a span overlapping an existing one is an error."""
        spans = sorted((*self.spans, span), key=lambda s: s.start)
        return replace(self, spans=tuple(spans))

    def mark(self, needle: str, kind: SpanKind, value: str | None = None) -> Text:
        """Mark every free occurrence of ``needle`` (occurrences overlapping a span are skipped)."""
        if not needle:
            return self
        return self.with_spans([(start, start + len(needle), value) for start in _occurrences(self.text, needle)], kind)

    def with_spans(self, ranges: Iterable[tuple[int, int, str | None]], kind: SpanKind) -> Text:
        """A copy with a span of ``kind`` over each ``(start, end, value)`` that overlaps no span already there (or added before it).

        Linear in the number of spans (after sorting), so a text with thousands of addresses stays fast.
        """
        existing = sorted((span.start, span.end) for span in self.spans)
        added: list[Span] = []
        position = 0  # into ``existing``: the spans ending at or before the current range are behind it
        last_end = -1
        for start, end, value in sorted(ranges, key=lambda item: item[0]):
            while position < len(existing) and existing[position][1] <= start:
                position += 1
            overlaps_existing = position < len(existing) and existing[position][0] < end
            if overlaps_existing or start < last_end:
                continue
            added.append(Span(start=start, end=end, kind=kind, value=value))
            last_end = end
        if not added:
            return self
        return replace(self, spans=tuple(sorted((*self.spans, *added), key=lambda span: span.start)))


def _occurrences(text: str, needle: str) -> Iterator[int]:
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + len(needle))


#: A language tag as the toolkit writes it: language, optional script and region ("de", "pt-BR", "zh-Hant-TW").
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?")


def _text_field(instance: object, name: str) -> None:
    """Accept a plain string for a text field (as code and older release JSON give it): it becomes ``Text.plain``."""
    value = getattr(instance, name)
    if isinstance(value, str):
        object.__setattr__(instance, name, Text.plain(value) if value.strip() else None)


@dataclass(frozen=True, kw_only=True)
class Speaker:
    """Who is quoted: a name, and the role as the release gives it (text, translated like the rest)."""

    name: str
    role: Text | None = None

    def __post_init__(self) -> None:
        _text_field(self, "role")


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    type: Literal["paragraph"] = "paragraph"
    text: Text


@dataclass(frozen=True, kw_only=True)
class Quote:
    """A quotation, set apart in print.

    ``text`` is the quotation as it is to be printed. When the release names
    the speaker inside the sentence (``„…“, sagte Jonas Feld.``) the text keeps
    that wording and ``attributed_in_text`` is true, so renderers do not name
    the speaker twice.
    """

    type: Literal["quote"] = "quote"
    text: Text
    speaker: Speaker | None = None
    attributed_in_text: bool = False


@dataclass(frozen=True, kw_only=True)
class Heading:
    type: Literal["heading"] = "heading"
    text: Text
    #: 1 is the highest level inside the body (the headline is above it).
    level: int = 1


@dataclass(frozen=True, kw_only=True)
class ListBlock:
    type: Literal["list"] = "list"
    items: tuple[Text, ...]
    ordered: bool = False


@dataclass(frozen=True, kw_only=True)
class LinkLine:
    """A line pointing to more information, e.g. "Weitere Informationen finden Sie hier."

    ``url`` is ``None`` when the source (plain text from a web page) lost it.
    """

    type: Literal["link"] = "link"
    text: Text
    url: str | None = None


Block = Annotated[Union[Paragraph, Quote, Heading, ListBlock, LinkLine], Field(discriminator="type")]


@dataclass(frozen=True, kw_only=True)
class Image:
    title: Text | None = None
    caption: Text | None = None
    #: Who holds the rights ("Bildnachweis"), as the release states it.
    credit: str | None = None
    #: Location of the image file, relative to the release's file.
    src: str | None = None
    #: Alternative text for accessible output; defaults to title or caption when rendering.
    alt: Text | None = None


class PhoneKind(enum.StrEnum):
    PHONE = "phone"
    MOBILE = "mobile"
    FAX = "fax"


@dataclass(frozen=True, kw_only=True)
class Phone:
    #: The number as the release writes it ("0211 / 837-1134").
    number: str
    #: E.164 form ("+492118371134") when the number could be parsed.
    e164: str | None = None
    kind: PhoneKind = PhoneKind.PHONE


@dataclass(frozen=True, kw_only=True)
class Contact:
    """A contact block such as "Pressekontakt" or "Bürgeranfragen"."""

    label: Text | None = None
    organization: str | None = None
    person: str | None = None
    #: The person's function ("Pressesprecherin"), as the release gives it (text, translated like the rest).
    role: Text | None = None
    #: Further lines (department, street, city) in their original order.
    address: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _text_field(self, "role")



@dataclass(frozen=True, kw_only=True)
class Boilerplate:
    """The standing text about the issuer ("Über die XYZ GmbH")."""

    title: Text | None = None
    paragraphs: tuple[Text, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Embargo:
    """Not to be published before this day and, when given, this time (issuer's local time)."""

    date: dt.date
    time: dt.time | None = None


@dataclass(frozen=True, kw_only=True)
class Release:
    """One press release in one language."""

    #: BCP 47 language tag of the text ("de", "en", "pt-BR").
    language: str
    headline: Text
    #: Lines under the headline, in order (a headline's part after " / " comes first).
    subheadline: tuple[Text, ...] = ()
    #: The release date; ``None`` when the source gives none (the sheet then prints no date line).
    date: dt.date | None = None
    #: Place of the dateline ("Düsseldorf, 3. Mai 2023").
    place: str | None = None
    embargo: Embargo | None = None
    #: The issuer's reference, e.g. "123/2024".
    number: str | None = None
    #: Who issues the release ("Staatskanzlei Nordrhein-Westfalen").
    issuer: str | None = None
    image: Image | None = None
    body: tuple[Block, ...]
    boilerplate: Boilerplate | None = None
    contacts: tuple[Contact, ...] = ()
    #: Keywords for the document metadata.
    keywords: tuple[str, ...] = field(default=())
    #: The release's version: 2 and up for a corrected release, shown on the sheet with the date of the correction.
    version: int = 1
    corrected: dt.date | None = None

    def __post_init__(self) -> None:
        # The language names output files (<language>.pdf): only a plain tag may reach a path.
        if not LANGUAGE_TAG.fullmatch(self.language):
            raise ValueError(f"language {self.language[:40]!r} is not a language tag such as de, en or pt-BR")
        if not self.headline.text.strip():
            raise ValueError("a release needs a headline")
        if not self.body:
            raise ValueError("a release needs a body")

    @property
    def speakers(self) -> tuple[Speaker, ...]:
        """Everyone quoted in the body, in order of first appearance."""
        seen: dict[str, Speaker] = {}
        for block in self.body:
            if isinstance(block, Quote) and block.speaker and block.speaker.name not in seen:
                seen[block.speaker.name] = block.speaker
        return tuple(seen.values())


_Node = TypeVar("_Node")


def map_texts(node: _Node, function: Callable[[Text], Text]) -> _Node:
    """A copy of ``node`` (a release or any part of it) with ``function`` applied to every :class:`Text` in it.

    Stages use this to rewrite all inline text without knowing every field.
    """
    if isinstance(node, Text):
        return function(node)  # type: ignore[return-value]
    if isinstance(node, tuple):
        return tuple(map_texts(item, function) for item in node)  # type: ignore[return-value]
    if is_dataclass(node) and not isinstance(node, type):
        changes: dict[str, Any] = {}
        for item in fields(node):
            value = getattr(node, item.name)
            mapped = map_texts(value, function)
            if mapped is not value:
                changes[item.name] = mapped
        return replace(node, **changes) if changes else node  # type: ignore[type-var]
    return node


def iter_texts(node: object) -> Iterator[Text]:
    """Every :class:`Text` in ``node``, in document order (the order :func:`map_texts` visits them)."""
    for _, text in walk_texts(node):
        yield text


def walk_texts(node: object, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every :class:`Text` in ``node`` with its path, such as ``body[2].text`` or ``contacts[0].label``."""
    if isinstance(node, Text):
        yield path, node
    elif isinstance(node, tuple):
        for index, item in enumerate(node):
            yield from walk_texts(item, f"{path}[{index}]")
    elif is_dataclass(node) and not isinstance(node, type):
        for item in fields(node):
            yield from walk_texts(getattr(node, item.name), f"{path}.{item.name}" if path else item.name)
