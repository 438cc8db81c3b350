"""Recognize facts in German text and mark them as typed spans on a release.

Recognizers run in order of precedence — URLs, e-mails, phones, amounts,
percentages, dates, times, bare numbers — and a later one never takes text
an earlier one took ("3,2 Milliarden Euro" is one amount, not a number and
an amount). Spans the reader set that are not facts (persons, links) are
kept, and facts never overlap them.

>>> import datetime as dt
>>> [(text[f.start:f.end], f.kind.value) for text in ["Am 22. Mai 2024 kamen 100.000 Menschen für 3,2 Milliarden Euro."]
...  for f in recognize(text, reference=dt.date(2024, 4, 19))]
[('22. Mai 2024', 'date'), ('100.000', 'number'), ('3,2 Milliarden Euro', 'amount')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from ..labels import format_long_date
from ..model import Release, Span, SpanKind, Text, iter_texts, map_texts
from ..values import (
    AmountFact,
    DateFact,
    DateRangeFact,
    EmailFact,
    Fact,
    MonthFact,
    NumberFact,
    PercentFact,
    PhoneFact,
    TimeFact,
    UrlFact,
)
from .contacts import find_contacts
from .dates import find_dates
from .found import Found
from .numbers import find_amounts, find_numbers, find_percentages
from .times import find_times

__all__ = ["FACT_KINDS", "FactEntry", "Found", "describe", "list_facts", "mark_facts", "mark_text", "recognize"]

#: Span kinds this layer owns; marking facts replaces spans of these kinds.
FACT_KINDS = frozenset(
    {SpanKind.DATE, SpanKind.TIME, SpanKind.NUMBER, SpanKind.AMOUNT, SpanKind.PERCENT, SpanKind.PHONE, SpanKind.EMAIL, SpanKind.URL}
)


def recognize(text: str, *, reference: dt.date | None, keep: Iterable[Span] = ()) -> list[Found]:
    """Every fact in ``text``, left to right, without overlaps (also not with ``keep``).

    ``reference`` is the release date; without it, "22. Mai" has no year and stays text.
    """
    taken = [(span.start, span.end) for span in keep]
    accepted: list[Found] = []
    for found in _candidates(text, reference):
        if not any(found.start < end and start < found.end for start, end in taken):
            taken.append((found.start, found.end))
            accepted.append(found)
    return sorted(accepted, key=lambda found: found.start)


def _candidates(text: str, reference: dt.date | None) -> Iterator[Found]:
    yield from find_contacts(text)
    yield from find_amounts(text)
    yield from find_percentages(text)
    yield from find_dates(text, reference=reference)
    yield from find_times(text)
    yield from find_numbers(text)


def mark_text(text: Text, *, reference: dt.date | None) -> Text:
    """``text`` with its fact spans recognized anew; other spans are kept."""
    kept = tuple(span for span in text.spans if span.kind not in FACT_KINDS)
    found = recognize(text.text, reference=reference, keep=kept)
    facts = tuple(Span(start=f.start, end=f.end, kind=f.kind, value=_link_target(f.fact), fact=f.fact) for f in found)
    return replace(text, spans=tuple(sorted(kept + facts, key=lambda span: span.start)))


def _link_target(fact: Fact) -> str | None:
    """What a renderer links to: the URL, the e-mail address, the E.164 number."""
    if isinstance(fact, UrlFact):
        return fact.url
    if isinstance(fact, EmailFact):
        return fact.address
    if isinstance(fact, PhoneFact):
        return fact.e164
    return None


def mark_facts(release: Release) -> Release:
    """The release with every fact in its text marked; day-month dates take the year from the release date."""
    return map_texts(release, lambda text: mark_text(text, reference=release.date))


@dataclass(frozen=True, kw_only=True)
class FactEntry:
    """One fact of a release, for listing: where it is, as written, and its value."""

    where: str
    source: str
    kind: SpanKind
    fact: Fact


def list_facts(release: Release) -> list[FactEntry]:
    """Every fact in a release marked by :func:`mark_facts`, plus the phones and e-mails of its contact blocks."""
    # The dateline and embargo are model fields, not text; the reader parsed
    # them, so their written form is shown as the release's language writes it.
    entries = []
    if release.date is not None:
        entries.append(FactEntry(where="dateline", source=format_long_date(release.date, release.language), kind=SpanKind.DATE,
                                 fact=DateFact(date=release.date)))
    if release.embargo is not None:
        entries.append(FactEntry(where="embargo", source=format_long_date(release.embargo.date, release.language), kind=SpanKind.DATE,
                                 fact=DateFact(date=release.embargo.date)))
        if release.embargo.time is not None:
            entries.append(FactEntry(where="embargo", source=release.embargo.time.strftime("%H:%M"), kind=SpanKind.TIME,
                                     fact=TimeFact(time=release.embargo.time)))
    entries += [
        FactEntry(where=where, source=text.text[span.start : span.end], kind=span.kind, fact=span.fact)
        for where, text in _located_texts(release)
        for span in text.spans
        if span.fact is not None
    ]
    for number, contact in enumerate(release.contacts, 1):
        where = f"contact {number}"
        entries += [FactEntry(where=where, source=phone.number, kind=SpanKind.PHONE, fact=PhoneFact(e164=phone.e164))
                    for phone in contact.phones if phone.e164]
        entries += [FactEntry(where=where, source=email, kind=SpanKind.EMAIL, fact=EmailFact(address=email)) for email in contact.emails]
    return entries


def _located_texts(release: Release) -> Iterator[tuple[str, Text]]:
    yield "headline", release.headline
    for number, line in enumerate(release.subheadline, 1):
        yield f"subheadline {number}", line
    if release.image:
        for name in ("title", "caption", "alt"):
            text = getattr(release.image, name)
            if text is not None:
                yield f"image {name}", text
    for number, block in enumerate(release.body, 1):
        for text in iter_texts(block):
            yield f"body {number}", text
    for text in iter_texts(release.boilerplate):
        yield "boilerplate", text
    for number, contact in enumerate(release.contacts, 1):
        for text in iter_texts(contact):
            yield f"contact {number}", text


def describe(fact: Fact) -> str:
    """The typed value in a neutral, unambiguous notation (ISO dates, decimal points, E.164).

    >>> from decimal import Decimal
    >>> from toolkit.values import AmountFact, DateFact
    >>> describe(AmountFact(value=Decimal("3.2"), currency="EUR", scale=9))
    'EUR 3200000000 (3.2 × 10^9)'
    >>> describe(DateFact(date=dt.date(2024, 4, 19), weekday=True))
    '2024-04-19 (with weekday)'
    """
    if isinstance(fact, DateFact):
        notes = [note for note, present in (("with weekday", fact.weekday), ("year from release date", not fact.year)) if present]
        return fact.date.isoformat() + (f" ({', '.join(notes)})" if notes else "")
    if isinstance(fact, DateRangeFact):
        return f"{fact.start.isoformat()} {'to' if fact.relation == 'range' else 'and'} {fact.end.isoformat()}"
    if isinstance(fact, MonthFact):
        return f"{fact.year:04d}-{fact.month:02d}"
    if isinstance(fact, TimeFact):
        return fact.time.strftime("%H:%M") + (f"–{fact.end.strftime('%H:%M')}" if fact.end else "")
    if isinstance(fact, NumberFact):
        return str(fact.value)
    if isinstance(fact, AmountFact):
        total = f"{fact.currency} {fact.total:f}"
        if fact.scale:
            return f"{total} ({fact.value} × 10^{fact.scale})"
        return total + (" (in cents)" if fact.minor else "")
    if isinstance(fact, PercentFact):
        return f"{fact.value} {'percentage points' if fact.points else '%'}"
    if isinstance(fact, PhoneFact):
        return fact.e164
    if isinstance(fact, EmailFact):
        return fact.address
    return fact.url
