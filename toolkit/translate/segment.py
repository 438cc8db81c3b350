"""Sentence segmentation without network access: pysbd's rules, corrected for German press text.

Translation models translate sentence by sentence, so a paragraph is split
into sentences before it goes to the model and joined again afterwards.

pysbd (the rule-based segmenter, a port of Ruby's pragmatic_segmenter) runs
offline and knows most German abbreviations, but splits some German text
wrongly. Its result is therefore corrected by merging pieces that belong
together (only merging: no sentence is ever split further):

* a piece directly followed by the next one (no space between: pysbd split
  before a closing quote) or followed by one without letters or digits
  continues in it;
* a piece that does not end like a sentence (with ``.``, ``!``, ``?`` or
  ``…``, possibly followed by a closing quote or bracket) continues in the
  next one ("Er war der | 1. Vorsitzende" — pysbd takes "1." for a list item);
* a piece followed by one that starts with a lower-case letter continues in it;
* German: a piece ending with an abbreviation that never ends a sentence
  ("Tel.", "Hauptstr.", "inkl.", "Prof.") continues in the next one, and one
  ending with an abbreviation that may ("Okt.", "Mio.", "Std.") continues in
  a next one that starts with a digit or, for "Mio."/"Mrd.", a currency;
* German: an ordinal number ("100.") followed by a month name or by a
  capitalized word that is not a usual first word of a sentence ("Der",
  "Das", "Am", "Insgesamt" ...) continues ("zum 100. Geburtstag"), while
  "Die Zahl stieg auf 250. Das ist ein Rekord." stays two sentences.

A line break is always kept as a boundary: separate lines are separate
segments. Sentences are slices of the input (stripped), so joining them
with single spaces gives back the text up to whitespace. Placeholders of
:mod:`toolkit.translate.protect` ("XZ1") contain no dot and are never split.

pysbd knows: am ar bg da de el en es fa fr hi hy it ja kk mr my nl pl ru sk
ur zh. Any other language is split with the English rules.

>>> split_sentences("Dr. Müller kam am 19. April um 9 Uhr. Er sprach u. a. über Nr. 5.", language="de")
['Dr. Müller kam am 19. April um 9 Uhr.', 'Er sprach u. a. über Nr. 5.']
>>> join_sentences(["Hello.", "Good bye."], language="en")
'Hello. Good bye.'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import pysbd
from pysbd.languages import LANGUAGE_CODES

__all__ = ["join_sentences", "split_sentences"]

#: Languages written without spaces between sentences.
_UNSPACED = frozenset({"zh", "ja", "yue", "wuu"})

_SENTENCE_END = re.compile(r"[.!?…][\"'»«“”„’‘)\]]*$")
_FIRST_LETTER = re.compile(r"^[\"'»«“”„’‘(\[]*([^\W\d_])")

# German abbreviations that never end a sentence: titles, "Nr.", "Tel.", street names, "z. B." ...
_DE_CONTINUE = (
    r"Nr|Nrn|Tel|Fax|Str|[A-ZÄÖÜ][a-zäöüß]+str|Abs|Art|Bd|Kap|Ziff|Dr|Prof|Hr|Fr|Dipl|Ing|med|phil|rer|nat|jur|"
    r"St|ca|bzw|bzgl|ggf|evtl|inkl|exkl|zzgl|vgl|sog|rd|mind|gem|geb|Hrsg|Tab|Abb|Anm|Fa|Pkt|Reg|Bzw|Ca|Vgl|"
    r"z\.\s?B|u\.\s?a|d\.\s?h|u\.\s?U|z\.\s?T|i\.\s?d\.\s?R|o\.\s?ä|v\.\s?a|u\.\s?v\.\s?m|s\.\s?o|s\.\s?u|i\.\s?A|i\.\s?V|"
    r"Z\.\s?B|U\.\s?a|D\.\s?h"
)
_DE_CONTINUE_END = re.compile(rf"(?:^|[\s(„“\"'‚/-])(?:{_DE_CONTINUE})\.$")
# German abbreviations that may end a sentence, but not when a number follows ("Okt. 2024", "S. 12").
_DE_BEFORE_NUMBER_END = re.compile(
    r"(?:^|[\s(„“\"'‚/-])(?:Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez|Mio|Mrd|Tsd|Std|Min|Sek|Jh|Jhd|Mo|Di|Mi|Do|Fr|Sa|So|max|min|S|Bl)\.$"
)
_DE_SCALE_END = re.compile(r"(?:^|\s)(?:Mio|Mrd|Tsd|Bio)\.$")
_CURRENCY_START = re.compile(r"^(?:Euro|EUR|Dollar|US-Dollar|USD|Franken|CHF|Pfund|GBP|Yen|Kronen|€|\$|£)(?![^\W\d_])")
_STARTS_DIGIT = re.compile(r"^[\"'»«“”„(\[]*\d")
_ORDINAL_END = re.compile(r"(?:^|[\s(„“\"'‚/-])\d{1,3}\.$")
_FIRST_WORD = re.compile(r"^[\"'»«“”„(\[]*([^\W\d_][^\W_]*)")
_DE_MONTHS = frozenset(
    "Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember".split()
)
#: Usual first words of a German sentence: after "250." they start a new one.
_DE_SENTENCE_STARTERS = frozenset(
    """
    Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Es Er Sie Wir Ich Ihr Man Mit Dies Diese Dieser Dieses Diesen
    Damit Dazu Dabei Dafür Dagegen Daher Danach Darauf Darüber Davon Dann Doch Denn Dort Da Hier Heute Gestern Morgen
    Jetzt Nun Nur Noch Schon Bereits Auch Aber Und Oder Sondern So Wie Wer Was Wo Wann Warum Weshalb Wenn Weil Als Ob Obwohl
    Im Am Ins Ans Beim Vom Zum Zur In An Auf Aus Bei Nach Seit Von Vor Zu Für Über Unter Um Bis Durch Gegen Ohne Neben
    Zwischen Hinter Während Trotz Wegen Laut Insgesamt Alle Alles Allein Mehr Weitere Weiteren Viele Einige Rund Etwa
    Fast Knapp Nicht Kein Keine Somit Zudem Außerdem Allerdings Trotzdem Deshalb Deswegen Gleichzeitig Zugleich Ebenso
    Zunächst Anschließend Schließlich Zuletzt Erst Später Künftig Inzwischen Mittlerweile Seitdem Sein Seine Ihre Unser
    Unsere Mein Meine Jeder Jede Jedes Dabei Dennoch Stattdessen Vielmehr Ferner Überdies Hierzu Hierfür Hingegen Jedoch
    """.split()
)


def split_sentences(text: str, *, language: str) -> list[str]:
    """The sentences of ``text``, each stripped; ``" ".join`` of them is ``text`` up to whitespace."""
    if not text.strip():
        return []
    code = _language_code(language)
    ranges = _pysbd_ranges(text, code)
    merged = [ranges[0]]
    for start, end in ranges[1:]:
        previous_start, previous_end = merged[-1]
        previous = text[previous_start:previous_end]
        gap = previous[len(previous.rstrip()) :]
        if _continues(previous.strip(), text[start:end].strip(), gap, code):
            merged[-1] = (previous_start, end)
        else:
            merged.append((start, end))
    return [sentence for start, end in merged if (sentence := text[start:end].strip())]


def join_sentences(sentences: Sequence[str], *, language: str) -> str:
    """The sentences joined as one paragraph: with single spaces, or without any for Chinese and Japanese."""
    separator = "" if language.replace("_", "-").split("-")[0].lower() in _UNSPACED else " "
    return separator.join(sentence.strip() for sentence in sentences if sentence.strip())


def _language_code(language: str) -> str:
    code = language.replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGE_CODES else "en"


@functools.cache
def _segmenter(code: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=code, clean=False)


def _pysbd_ranges(text: str, code: str) -> list[tuple[int, int]]:
    """Consecutive ranges covering ``text``, one per sentence pysbd found.

    pysbd's pieces are located in ``text`` (they are its substrings with
    ``clean=False``; a piece that cannot be found is left in the range
    before it), so the ranges always cover the whole text.
    """
    starts = [0]
    cursor = 0
    for piece in _segmenter(code).segment(text):
        stripped = piece.strip()
        if not stripped:
            continue
        found = text.find(stripped, cursor)
        if found == -1:
            pattern = r"\s*".join(re.escape(part) for part in stripped.split())
            match = re.compile(pattern).search(text, cursor)
            if match is None:
                continue
            found, end = match.start(), match.end()
        else:
            end = found + len(stripped)
        if found > starts[-1] and text[starts[-1] : found].strip():
            starts.append(found)
        cursor = end
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(text)])]


def _continues(previous: str, following: str, gap: str, code: str) -> bool:
    """Whether ``previous`` and ``following`` (pieces split by pysbd) are one sentence."""
    if not gap:
        return True  # pysbd split inside a word or before a closing quote
    if "\n" in gap or not previous or not following:
        return False
    if not any(char.isalnum() for char in following):
        return True
    if not _SENTENCE_END.search(previous):
        return True
    if (first := _FIRST_LETTER.match(following)) and first.group(1).islower():
        return True
    if code == "de":
        return _german_continues(previous, following)
    return False


def _german_continues(previous: str, following: str) -> bool:
    if _DE_CONTINUE_END.search(previous):
        return True
    if _DE_BEFORE_NUMBER_END.search(previous) and _STARTS_DIGIT.match(following):
        return True
    if _DE_SCALE_END.search(previous) and _CURRENCY_START.match(following):
        return True
    if _ORDINAL_END.search(previous):
        first = _FIRST_WORD.match(following)
        if first and (first.group(1) in _DE_MONTHS or first.group(1) not in _DE_SENTENCE_STARTERS):
            return True
    return False
