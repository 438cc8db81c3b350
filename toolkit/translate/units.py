"""The segment: a source text and its translation, the one shape the translation stages share.

A :class:`Segment` is what the pipeline produces (:attr:`Translation.segments
<toolkit.translate.pipeline.Translation.segments>`), what the translation
memory stores and answers (:meth:`TranslationMemory.lookup
<toolkit.translate.memory.TranslationMemory.lookup>`), what a TMX file holds
per language pair, what an XLIFF export writes as a translation unit, and
what a QA report lists with its findings. Each fills the fields it knows:

* memory, TMX and XLIFF: a sentence (or a link text) in placeholder form
  ("XZ1 spricht."), the form the memory keys;
* QA: the whole text at one place of the release after the placeholders were
  restored ("Eva Roth spricht. Sie dankt."), with the checks' findings.

>>> segment = Segment(source="XZ1 spricht.", target="XZ1 speaks.", source_language="de", target_language="en",
...     origin="machine", model="de-en:translate-de_en@1.9:0123456789ab", locations=("body[0].text",),
...     placeholders=(Placeholder(token="XZ1", kind=SpanKind.PERSON, source="Eva Roth", target="Eva Roth"),))
>>> segment.prefix, segment.location, segment.reviewed
('XZ', 'body[0].text', False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import SpanKind

__all__ = ["Finding", "Origin", "Placeholder", "Segment", "Severity"]

#: Where a translation came from: the model in this run, machine output kept in the
#: translation memory, or a translation a person reviewed.
Origin = Literal["machine", "memory", "reviewed"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem a QA check found in a segment (see :mod:`toolkit.translate.qa`)."""

    #: The check's name: "empty", "untranslated", "wrong_language", "repetition", "fact_missing", "glossary",
    #: "length_ratio", "placeholder_repair".
    check: str
    severity: Severity
    message: str


@dataclass(frozen=True, kw_only=True)
class Placeholder:
    """What a placeholder ("XZ1") of a segment stands for."""

    token: str
    kind: SpanKind
    #: The source text it replaced ("15. Mai 2025").
    source: str
    #: What goes back into the target for it ("May 15, 2025").
    target: str


@dataclass(frozen=True, kw_only=True)
class Segment:
    """A source text and its translation, where it came from and where the release uses it."""

    source: str
    target: str
    source_language: str
    target_language: str
    origin: Origin
    #: The model identity that wrote a machine translation (the memory's key for it); None for a reviewed one.
    model: str | None = None
    #: Where the segment occurs in the release ("body[2].text"), in document order.
    locations: tuple[str, ...] = ()
    #: The placeholders in order of first occurrence. A token is listed once per distinct
    #: meaning: the same sentence in two places may stand for two names.
    placeholders: tuple[Placeholder, ...] = ()
    #: What the QA checks found (only in a QA report).
    findings: tuple[Finding, ...] = ()
    #: When the memory last stored it, UTC in TMX's form (``20250515T093000Z``); None where not known.
    changed: str | None = None

    @property
    def reviewed(self) -> bool:
        """A person approved this translation: it wins over machine output of every model."""
        return self.origin == "reviewed"

    @property
    def location(self) -> str:
        """Where the segment first occurs ("" if not known)."""
        return self.locations[0] if self.locations else ""

    @property
    def prefix(self) -> str | None:
        """The letters of its placeholders ("XZ"; see :mod:`toolkit.translate.protect`), None without any."""
        return self.placeholders[0].token.rstrip("0123456789") if self.placeholders else None
