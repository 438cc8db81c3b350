"""From raw text to the lines the plain-text reader classifies.

Real releases arrive with their layout damaged in a few recurring ways, each
repaired here before any line is classified, and each repair reported:

- **hard-wrapped e-mail text**: lines cut at a fixed width (~60–80
  characters) are joined back into paragraphs;
- **no line breaks at all**: one long line is cut before datelines, contact
  labels and fields, boilerplate titles and quotations;
- **quotation marks lost** in an encoding accident (``?Wir …?, sagte``)
  are restored as „…“ when the text has none of its own.

>>> [line.text for line in split_lines("Titel\\n\\nErster Absatz.\\nZweite Zeile.")]
['Titel', 'Erster Absatz.', 'Zweite Zeile.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Line", "Prepared", "lost_quote_marks", "one_line_segments", "prepare", "rewrap", "split_lines"]

#: A single token longer than this is cut: no word, address or number is, and regexes stay fast on what remains.
MAX_TOKEN = 200

_LINE_OF_ITS_OWN = re.compile(r"^(?:\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}-\d{1,2}-\d{4}|(?:geschrieben|veröffentlicht|erstellt|gespeichert)\s+(?:am|von)\b|[A-ZÄÖÜ][\w .-]{1,40}\(ots\))", re.IGNORECASE)
_BULLET_START = re.compile(r"^\s*(?:[-•*–·▪]|\d{1,2}[.)])\s")
# A web address on the next line usually continues the sentence ("… finden Sie unter\nhttps://…"), so it is no field.
_FIELD_START = re.compile(r"^(?:tel(?:efon)?\.?|fon|fax|telefax|mobil|handy|e-?mail|mail|internet|web)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """One non-empty line of the release, with the layout around it."""

    text: str
    #: Index of the blank-line separated block it belongs to.
    block: int
    #: Position inside its block (0: first line).
    row: int
    #: Number of lines in its block.
    rows: int


def _clean(raw: str) -> str:
    line = raw.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    words = line.split()
    if any(len(word) > MAX_TOKEN for word in words):
        words = [word[:MAX_TOKEN] for word in words]
    return " ".join(words)


def split_lines(text: str) -> list[Line]:
    """The non-empty lines, cleaned (spaces collapsed, invisible characters removed), with their blocks."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = _clean(raw)
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return [Line(text, index, row, len(block)) for index, block in enumerate(blocks) for row, text in enumerate(block)]


def wrap_width(lines: list[str]) -> int | None:
    """The column at which the text was hard-wrapped, or ``None`` if it was not.

    A wrapped text has many lines ending within a few characters of one
    width between 55 and 80; prose typed with free line ends does not.
    """
    lengths = sorted(len(line) for line in lines)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9) - 1]
    if not 55 <= width <= 80:
        return None
    near = sum(1 for length in lengths if width - 14 <= length <= width + 2)
    # A few longer lines (a headline typed on one line) do not make the rest unwrapped.
    longer = sum(1 for length in lengths if length > width + 6)
    return width if near >= 0.4 * len(lengths) and longer <= max(3, len(lengths) * 0.15) else None


def rewrap(text: str) -> tuple[str, int | None]:
    """Join lines of a hard-wrapped text back into paragraphs; returns the text and the width found (or None)."""
    raw_lines = text.split("\n")
    width = wrap_width([line.strip() for line in raw_lines if line.strip()])
    if width is None:
        return text, None
    out: list[str] = []
    for raw in raw_lines:
        line = raw.strip()
        previous = out[-1] if out else ""
        joinable = (
            previous
            and line
            # The first line is the headline, typed on one line; a date or byline below it starts a line of its own.
            and any(earlier.strip() for earlier in out[:-1])
            and not _LINE_OF_ITS_OWN.match(line)
            and len(previous) >= width - 14
            and not _BULLET_START.match(line)
            and not _FIELD_START.match(line)
            and not previous.endswith(":")
        )
        if joinable:
            if previous.endswith("-") and previous[-2:-1].isalpha() and line[:1].islower():
                out[-1] = previous[:-1] + line
            else:
                out[-1] = previous + " " + line
        else:
            out.append(line)
    return "\n".join(out), width


# Where a release that lost its line breaks is cut: before a dateline, a contact label or field, a boilerplate
# title, an ots footer, and before a quotation or a sentence that opens one.
_CUT_BEFORE = re.compile(
    r"(?<=[.!?“”\"«)])\s+(?=[„»\"“]|[A-ZÄÖÜ][\w.-]{1,40}(?:\s[A-ZÄÖÜ][\w.-]{1,40})?\s?(?:\(ots\)|,\s(?:den\s)?\d{1,2}\.))"
    r"|\s+(?=(?:Pressekontakt|Medienkontakt|Rückfragen|Kontakt:|Ansprechpartner|Über (?:die|den|das|uns)\b|Original-Content von"
    r"|Tel(?:efon)?\.?:|Tel\.\s|Telefon\s|Fax:?\s|Mobil:?\s|E-Mail:?\s|Internet:|Bildnachweis|Foto:))",
)
_SENTENCE_CUT = re.compile(r"(?<=[a-zäöüß0-9)][.!?])\s+(?=[A-ZÄÖÜ])")


def one_line_segments(text: str, *, min_length: int = 600) -> list[str] | None:
    """Cut a release that has no line breaks into lines; ``None`` if it has line breaks of its own.

    >>> one_line_segments("Neue Brücke für Musterstadt Musterstadt, 3. Mai 2024 – Die Stadt baut. "
    ...     "„Wir freuen uns“, sagte Anna Beispiel. Pressekontakt Stadt Musterstadt Tel.: 0511 123-4", min_length=80)
    ['Neue Brücke für Musterstadt', 'Musterstadt, 3. Mai 2024 – Die Stadt baut.', '„Wir freuen uns“, sagte Anna Beispiel.', 'Pressekontakt Stadt Musterstadt', 'Tel.: 0511 123-4']
    """
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) > 3 or max((len(line) for line in lines), default=0) < min_length:
        return None
    segments: list[str] = []
    for line in lines:
        pieces = _CUT_BEFORE.split(line)
        # The headline runs into the dateline: "Neue Brücke für Musterstadt Musterstadt, 3. Mai 2024 – …".
        first = pieces[0]
        dateline = re.search(r"\s(?=[A-ZÄÖÜ][\w.-]{1,40}\s?(?:\(ots\)|,\s(?:den\s)?\d{1,2}\.))", first[:400])
        if dateline and not segments:
            pieces[0:1] = [first[: dateline.start()], first[dateline.end():]]
        segments.extend(piece.strip() for piece in pieces if piece.strip())
    # Long runs of body text become one paragraph per few sentences, as a reader would see them.
    result: list[str] = []
    for segment in segments:
        if len(segment) > 1200:
            sentences = _SENTENCE_CUT.split(segment)
            chunk = ""
            for sentence in sentences:
                chunk = f"{chunk} {sentence}".strip()
                if len(chunk) > 500:
                    result.append(chunk)
                    chunk = ""
            if chunk:
                result.append(chunk)
        else:
            result.append(segment)
    return result


_LOST_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(:]))[?¿](?=[A-ZÄÖÜa-zäöü0-9])")
_LOST_CLOSE = re.compile(r"(?<=[\w.!,…])[?¿](?=[\s,.;:)]|$)")


def lost_quote_marks(text: str) -> str | None:
    """Restore „…“ where an encoding accident turned them into ``?`` or ``¿``; ``None`` when nothing was restored.

    Only a text without quotation marks of its own is touched, and only a
    ``?`` that opens a word and one that later closes it.

    >>> lost_quote_marks("?Wir freuen uns?, sagte Anna Beispiel. Kommt sie?")
    '„Wir freuen uns“, sagte Anna Beispiel. Kommt sie?'
    """
    if any(mark in text for mark in "„“”»«") or len(_LOST_OPEN.findall(text)) < 1:
        return None
    out: list[str] = []
    changed = False
    for line in text.split("\n"):
        position = 0
        pieces: list[str] = []
        while True:
            opening = _LOST_OPEN.search(line, position)
            if opening is None:
                break
            closing = _LOST_CLOSE.search(line, opening.end())
            if closing is None:
                break
            pieces.append(line[position:opening.start()] + "„" + line[opening.end():closing.start()] + "“")
            position = closing.end()
            changed = True
        pieces.append(line[position:])
        out.append("".join(pieces))
    return "\n".join(out) if changed else None


# Word's style sheet and list residue that a copy from a web page built in Word carries into the text.
_WORD_RESIDUE = re.compile(
    r"Normal\s0\s\d{1,3}\s(?:false\s|true\s){2,}(?:[\w-]{2,20}\s){0,6}|/\*\s?Style Definitions\s?\*/[^}]{0,2000}\}"
    r"|X-NONE|MicrosoftInternetExplorer4",
)


@dataclass(frozen=True)
class Prepared:
    """The lines to classify, and the repairs made to get them (one sentence each, for a warning)."""

    lines: list[Line]
    repairs: list[str]


# A date glued to the next word by a lost line break ("Pressemeldung - 10.10.2005Erste"), contact fields glued to
# the line before ("39112 MagdeburgTel: (0391) …").
_GLUED_DATE = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{4})(?=[A-ZÄÖÜ][a-zäöüß])")
_GLUED_FIELD = re.compile(r"(?<=[a-zäöüß0-9)])(?=(?:Tel|Telefon|Fax|Telefax|Mail|E-Mail|Verantwortlich|Internet)\s?[.:])")
#: The word cut off such a date, alone at the end of its line, belongs to the line below: "Erste" + "Sitzung des …".
_GLUED_DATE_WORD = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{4})([A-ZÄÖÜ][a-zäöüß]{1,20})[ \t]*\r?\n(?=[A-Za-zÄÖÜäöü])")


#: "info@[>>> Please remove the brackets! <<<]eva.mpg.de": a note against harvesters inside an address.
_ADDRESS_NOTE = re.compile(r"(?<=@)\[[^\]\n]{0,60}\]")


def _unglue(text: str) -> str:
    text = _ADDRESS_NOTE.sub("", text)
    text = _GLUED_DATE_WORD.sub(lambda match: match.group(1) + "\n" + match.group(2) + " ", text)
    text = _GLUED_DATE.sub(lambda match: match.group(1) + "\n", text)
    return _GLUED_FIELD.sub("\n", text)


_OPEN_END = re.compile(r"(?:\b(?:der|die|das|des|dem|den|ein|eine|einer|einem|einen|und|oder|mit|im|in|zu|zum|zur|von|vom|auf|an|am|bei|nach|für|über|als|wie|dass|sich|sie|er|es|wir|ihr|ihre|seine|nicht|auch|noch|nur|so)|(?<=[a-zäöüß])[,–-])$", re.IGNORECASE)


def join_fragments(text: str) -> tuple[str, bool]:
    """Join wrapped lines that a web page turned into paragraphs of their own (a blank line after every line).

    Only done when many paragraphs end in the middle of a sentence; then a
    paragraph that ends so ("… teilte ein Zeuge der") is joined with the next.
    """
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    if len(blocks) < 8:
        return text, False
    open_ends = sum(1 for block in blocks[:-1] if _OPEN_END.search(block) or (not re.search(r"[.!?:“”\"»«)]$", block) and len(block) > 40))
    if open_ends < 0.3 * len(blocks):
        return text, False
    joined: list[str] = []
    for block in blocks:
        if joined and _OPEN_END.search(joined[-1]) and len(joined[-1]) > 30:
            joined[-1] = joined[-1] + " " + block
        else:
            joined.append(block)
    return "\n\n".join(joined), len(joined) < len(blocks)


def prepare(text: str) -> Prepared:
    """Remove word-processor residue, restore lost quotation marks, cut a one-line text, join hard-wrapped lines."""
    repairs: list[str] = []
    text = _unglue(_WORD_RESIDUE.sub(" ", text))
    restored = lost_quote_marks(text)
    if restored is not None:
        repairs.append("quotation marks were lost (written as '?' or '¿'); restored them as „…“")
        text = restored
    segments = one_line_segments(text)
    if segments is not None:
        repairs.append(f"the text has no line breaks; cut it into {len(segments)} lines at datelines, quotations and contact labels")
        text = "\n\n".join(segments)
    text, width = rewrap(text)
    if width is not None:
        repairs.append(f"lines were wrapped at about {width} characters (e-mail); joined them into paragraphs")
    text, fragments = join_fragments(text)
    if fragments:
        repairs.append("wrapped lines stood as paragraphs of their own; joined those that end mid-sentence")
    return Prepared(split_lines(text), repairs)
