"""Placeholders that carry protected spans through machine translation, and their robust restoration.

Before a segment goes to the model, every span the model must not touch —
each fact (date, time, number, amount, percentage, phone, e-mail, URL), each
name (person, organization, anything marked protected), each glossary term
and each link — is replaced by a placeholder; after translation the
placeholders are found again and replaced by the target-language text the
caller prepared (a fact formatted for the target locale, a name unchanged,
the glossary's target term, the separately translated link text).

>>> from toolkit.model import SpanKind, Text
>>> source = Text.plain("Eva Roth spricht mit Jan Ek.").mark("Eva Roth", SpanKind.PERSON).mark("Jan Ek", SpanKind.PERSON)
>>> protected = protect(source, replacement=lambda span, piece: piece)
>>> protected.text
'XZ1 spricht mit XZ2.'
>>> restored = restore("XZ1 talks to xz 2.", protected)
>>> restored.text.text
'Eva Roth talks to Jan Ek.'
>>> [r.kind for r in restored.repairs]
['mangled']

The placeholder form: ``XZ`` + a 1-based number ("XZ1", "XZ2", ...)
-------------------------------------------------------------------

Chosen for these reasons:

* **It survives SentencePiece.** The Argos/OPUS models tokenize with a
  SentencePiece vocabulary, and ASCII letters and digits are in every such
  vocabulary, so "XZ12" always encodes to known pieces and decodes to
  itself. Brackets and symbols that look safer to a human (``⟦1⟧``, ``§1§``,
  ``{1}``, ``<x1/>``) are often missing from the vocabulary: they become the
  unknown piece, which decodes to "⁇", and the placeholder is lost.
  ``tests/test_protect.py`` checks both on a SentencePiece model it trains.
* **The model copies it instead of translating it.** An unknown capitalized
  letter cluster with digits reads to a model like a code or a product name
  ("A40", "CO2"), and such tokens are copied verbatim. "XZ" is no word or
  common abbreviation in any of the languages the toolkit translates into,
  and has no vowel, so there is nothing to translate or inflect. Numbers
  alone ("1") would be re-formatted or spelled out; words ("PLATZHALTER")
  would be translated.
* **It cannot be confused with real text.** A short code such as "X1" may
  well occur in a release. So the prefix is chosen per text: "XZ" unless
  the source already contains a word starting with those letters (in any
  case or spacing), then the next of :data:`PREFIXES` that it does not
  contain. Anything in the model's output that looks like the prefix
  followed by digits was therefore made from a placeholder.
* **It can be matched fuzzily.** Models sometimes change case, split or
  glue pieces, or put punctuation inside ("xz3", "XZ 3", "X Z3", "XZ-3",
  "X.Z.3"): the prefix letters with up to two separators between them and
  before the digits are accepted (recorded as a "mangled" repair), and the
  number says which span it was.

Restoration is robust and never loses a span: a placeholder the model
dropped is re-inserted at the word boundary nearest to where it stood in the
source (proportionally, and between the placeholders around it that were
found), a placeholder it repeated is kept once, a number that was not in the
source is removed; each of these is recorded as a :class:`Repair` for QA.
Every replacement is marked in the target :class:`~toolkit.model.Text` by a
span of the source span's kind, value and fact, so later stages and QA see
the facts in the target too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..facts import FACT_KINDS
from ..model import Span, SpanKind, Text

__all__ = [
    "PREFIXES",
    "PROTECTED_KINDS",
    "PlaceholderMatch",
    "Protected",
    "Repair",
    "Restored",
    "Slot",
    "find_placeholders",
    "protect",
    "restore",
]

#: Span kinds replaced by placeholders: every fact kind, names, protected text, glossary terms and links.
PROTECTED_KINDS: frozenset[SpanKind] = FACT_KINDS | frozenset(
    {SpanKind.PERSON, SpanKind.ORGANIZATION, SpanKind.PROTECTED, SpanKind.TERM, SpanKind.LINK}
)

#: Placeholder prefixes in order of preference; the first one the source text does not contain is used.
PREFIXES = ("XZ", "ZX", "XQ", "QX", "ZQ", "QZ", "XJ", "JX")

# Characters a model may put between the letters of a placeholder or before its digits.
_SEPARATORS = r"[\s\-._:·/]{0,2}"

# Opening and closing punctuation for spacing around inserted and removed text.
_OPENING = "([{«„“‘‚‹¿¡"
_CLOSING = ",.;:!?)]}»“”’›…"

# In the working string every restored placeholder is one character of
# Unicode plane 15 (private use): slot n is chr(_SENTINEL_BASE + n).
# _REMOVED marks where a placeholder was taken out.
_REMOVED = "\U000f0000"
_SENTINEL_BASE = 0xF0000
_MAX_SLOTS = 0xFFFD
_PRIVATE = re.compile("[\U000f0000-\U000ffffd]")


@dataclass(frozen=True, kw_only=True)
class Slot:
    #: The placeholder as put into the source text ("XZ1").
    token: str
    #: 1-based number of the placeholder.
    index: int
    #: The source span it replaced.
    span: Span
    #: What goes back into the target text.
    replacement: str


@dataclass(frozen=True, kw_only=True)
class Protected:
    #: Source text with placeholders.
    text: str
    #: The letters of its placeholders ("XZ", or the next of :data:`PREFIXES` the source does not contain).
    prefix: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True, kw_only=True)
class Repair:
    """Something :func:`restore` had to fix in the model's output."""

    kind: Literal["mangled", "dropped", "duplicated", "invented"]
    token: str
    detail: str


@dataclass(frozen=True, kw_only=True)
class Restored:
    #: Target text with the replacements put back, each marked by a span of the original span's kind, value and fact.
    text: Text
    repairs: tuple[Repair, ...]


def protect(text: Text, *, replacement: Callable[[Span, str], str]) -> Protected:
    """``text`` with every span of :data:`PROTECTED_KINDS` replaced by a placeholder.

    ``replacement(span, source_piece)`` gives the text that goes back into
    the target for that span; an empty result falls back to the source
    piece, so that a span is never lost.
    """
    prefix = _choose_prefix(text.text)
    pieces: list[str] = []
    slots: list[Slot] = []
    for piece, span in text.spanned():
        if span is None or span.kind not in PROTECTED_KINDS:
            pieces.append(piece)
            continue
        index = len(slots) + 1
        if index > _MAX_SLOTS:
            raise ValueError(f"too many protected spans in one text ({index})")
        token = f"{prefix}{index}"
        slots.append(Slot(token=token, index=index, span=span, replacement=replacement(span, piece) or piece))
        pieces.append(token)
    return Protected(text="".join(pieces), prefix=prefix, slots=tuple(slots))


def _choose_prefix(source: str) -> str:
    for prefix in PREFIXES:
        if not _prefix_pattern(prefix, digits=False).search(source):
            return prefix
    raise ValueError("the text contains every placeholder prefix; it cannot be protected")


def _prefix_pattern(prefix: str, *, digits: bool) -> re.Pattern[str]:
    """The prefix's letters at the start of a word, any case, with separators between them (and then digits)."""
    letters = _SEPARATORS.join(re.escape(letter) for letter in prefix)
    tail = rf"{_SEPARATORS}(?P<number>\d+)(?!\d)" if digits else ""
    return re.compile(rf"(?<![^\W\d_]){letters}{tail}", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceholderMatch:
    """A placeholder found in a text, as written there (exactly, or mangled by a model)."""

    start: int
    end: int
    #: Its number ("XZ3" and "xz 3" are 3).
    index: int
    #: The text matched ("xz 3").
    found: str
    #: Written exactly as :func:`protect` wrote it ("XZ3").
    exact: bool


def find_placeholders(text: str, prefix: str) -> list[PlaceholderMatch]:
    """Every placeholder of ``prefix`` in ``text``, also mangled ones ("xz 3", "X.Z.3"), in order.

    >>> [(m.index, m.found, m.exact) for m in find_placeholders("XZ1 talks to xz 2.", "XZ")]
    [(1, 'XZ1', True), (2, 'xz 2', False)]
    """
    matches = [
        PlaceholderMatch(m.start(), m.end(), int(m["number"]), m.group(), m.group() == f"{prefix}{int(m['number'])}")
        for m in _prefix_pattern(prefix, digits=True).finditer(text)
    ]
    # The exact form glued to a preceding word ("DieXZ1"), which the word-start pattern skips.
    for m in re.finditer(rf"{re.escape(prefix)}(\d+)(?!\d)", text):
        if not any(other.start < m.end() and m.start() < other.end for other in matches):
            matches.append(PlaceholderMatch(m.start(), m.end(), int(m[1]), m.group(), m.group() == f"{prefix}{int(m[1])}"))
    return sorted(matches, key=lambda match: match.start)


def restore(translated: str, protected: Protected) -> Restored:
    """The model's output ``translated`` with every placeholder of ``protected`` replaced, repairs recorded."""
    if not protected.slots:
        return Restored(text=Text.plain(translated), repairs=())
    prefix = protected.prefix
    slots = {slot.index: slot for slot in protected.slots}
    repairs: list[Repair] = []
    translated = _PRIVATE.sub("", translated)

    # Decide which occurrence of each placeholder is kept: the first exact one, else the first one.
    occurrences: dict[int, list[PlaceholderMatch]] = {}
    edits: list[tuple[PlaceholderMatch, str]] = []
    for match in find_placeholders(translated, prefix):
        if match.index in slots:
            occurrences.setdefault(match.index, []).append(match)
        else:
            repairs.append(Repair(kind="invented", token=f"{prefix}{match.index}",
                                  detail=f"removed {match.found!r}: the source has no placeholder {match.index}"))
            edits.append((match, _REMOVED))
    for index, found in occurrences.items():
        token = slots[index].token
        kept = next((match for match in found if match.exact), found[0])
        if not kept.exact:
            repairs.append(Repair(kind="mangled", token=token, detail=f"found {kept.found!r}"))
        if len(found) > 1:
            repairs.append(Repair(kind="duplicated", token=token, detail=f"kept the first of {len(found)} occurrences"))
        edits += [(match, _sentinel(index) if match is kept else _REMOVED) for match in found]

    working = _apply_edits(translated, edits)
    working = _clean_removals(working)

    # Re-insert what the model dropped, in source order.
    for slot in protected.slots:
        if slot.index not in occurrences:
            working, position = _insert(working, slot, protected)
            repairs.append(Repair(kind="dropped", token=slot.token,
                                  detail=f"re-inserted {slot.replacement!r} at character {position} of the translation"))

    working = _normalize_spacing(working)
    return Restored(text=_expand(working, slots), repairs=tuple(sorted(repairs, key=lambda r: _token_order(r.token, prefix))))


def _token_order(token: str, prefix: str) -> int:
    return int(token[len(prefix):])


def _sentinel(index: int) -> str:
    return chr(_SENTINEL_BASE + index)


def _sentinel_index(char: str) -> int | None:
    code = ord(char) - _SENTINEL_BASE
    return code if 0 < code <= _MAX_SLOTS else None


def _apply_edits(text: str, edits: list[tuple[PlaceholderMatch, str]]) -> str:
    pieces: list[str] = []
    position = 0
    for match, replacement in sorted(edits, key=lambda edit: edit[0].start):
        pieces += [text[position : match.start], replacement]
        position = match.end
    pieces.append(text[position:])
    return "".join(pieces)


def _clean_removals(text: str) -> str:
    """Take out the removal marks, leaving one space or none where each was.

    A comma, semicolon or colon right after a removed placeholder goes with
    it when nothing but punctuation or the start of the text is before it
    ("today. XZ9, yes" → "today. yes").
    """
    pieces: list[str] = []
    position = 0
    for match in re.finditer(rf" *{_REMOVED}[ {_REMOVED}]*(?P<punct>[,;:](?= |$))?", text):
        pieces.append(text[position : match.start()])
        position = match.end()
        done = "".join(pieces)
        before = done[-1] if done else None
        after = text[position] if position < len(text) else None
        if match["punct"] and (before is None or before in ".!?;:,…" or before in _OPENING):
            while position < len(text) and text[position] == " " and (before is None or before in _OPENING):
                position += 1
            continue
        if match["punct"]:
            pieces.append(match["punct"])
            continue
        if before is None or after is None or before.isspace() or after.isspace() or before in _OPENING or after in _CLOSING:
            continue
        if " " in match.group():
            pieces.append(" ")
    pieces.append(text[position:])
    return "".join(pieces)


def _insert(text: str, slot: Slot, protected: Protected) -> tuple[str, int]:
    """``text`` with the slot's sentinel inserted at a word boundary, and the position it went to."""
    # Where the placeholder stood in the source, as a share of the text around it (placeholders left out).
    source_start = _token_position(protected, slot)
    tokens = re.compile(rf"{re.escape(protected.prefix)}\d+")
    share_before = len(tokens.sub("", protected.text[:source_start]))
    share_after = len(tokens.sub("", protected.text[source_start + len(slot.token) :]))
    ratio = share_before / max(share_before + share_after, 1)
    # Stay between the neighbours that are in the translation already.
    positions = {index: i for i, char in enumerate(text) if (index := _sentinel_index(char)) is not None}
    lower = max((positions[i] + 1 for i in positions if i < slot.index), default=0)
    upper = min((positions[i] for i in positions if i > slot.index), default=len(text))
    if lower > upper:
        lower, upper = upper, lower
    desired = round(ratio * len(text))
    end_of_content = len(text.rstrip())
    while end_of_content > 0 and text[end_of_content - 1] in _CLOSING and text[end_of_content - 1] not in ",;:":
        end_of_content -= 1
    candidates = [p for p in range(lower, upper + 1) if p == 0 or (p < len(text) and text[p - 1].isspace() and not text[p].isspace())]
    if lower <= end_of_content <= upper:
        candidates.append(end_of_content)
    position = min(candidates, key=lambda p: (abs(p - desired), p)) if candidates else upper
    before = text[position - 1] if position > 0 else None
    after = text[position] if position < len(text) else None
    left = "" if before is None or before.isspace() or before in _OPENING else " "
    right = "" if after is None or after.isspace() or after in _CLOSING else " "
    return text[:position] + left + _sentinel(slot.index) + right + text[position:], position


_SENTINELS = "[\U000f0001-\U000ffffd]"


def _token_position(protected: Protected, slot: Slot) -> int:
    match = re.search(rf"{re.escape(slot.token)}(?!\d)", protected.text)
    return match.start() if match else 0


def _normalize_spacing(text: str) -> str:
    """One plain space at most next to a restored placeholder, none before closing punctuation."""
    text = re.sub(rf" {{2,}}(?={_SENTINELS})", " ", text)
    text = re.sub(rf"(?<={_SENTINELS}) {{2,}}", " ", text)
    text = re.sub(rf"(?<={_SENTINELS}) +(?=[,.)\]}}])", "", text)
    text = re.sub(rf"(?<=[(\[{{]) +(?={_SENTINELS})", "", text)
    return text


def _expand(text: str, slots: dict[int, Slot]) -> Text:
    pieces: list[str] = []
    spans: list[Span] = []
    length = 0
    for char in text:
        index = _sentinel_index(char)
        slot = slots.get(index) if index is not None else None
        if slot is None:
            pieces.append(char)
            length += 1
            continue
        original = slot.span
        spans.append(Span(start=length, end=length + len(slot.replacement), kind=original.kind, value=original.value, fact=original.fact))
        pieces.append(slot.replacement)
        length += len(slot.replacement)
    return Text(text="".join(pieces), spans=tuple(spans))
