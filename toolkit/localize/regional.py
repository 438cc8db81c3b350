"""A release in a regional variant of its own language: de → de-AT, de-CH; en → en-GB.

No model translates German into Austrian German: the text stays, and the
region's conventions apply where the toolkit writes text itself (dates in the
dateline, numbers, labels through Babel's CLDR data for the tag) plus the
orthography rules a region has, such as Swiss German writing "ss" for "ß".

>>> from toolkit.model import Paragraph, Release, Text
>>> release = Release(language="de", headline=Text.plain("Straße frei"), body=(Paragraph(text=Text.plain("Grüße")),))
>>> swiss = regional_variant(release, "de-CH")
>>> swiss.language, swiss.headline.text, swiss.body[0].text.text
('de-CH', 'Strasse frei', 'Grüsse')
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Release, Text, map_texts

__all__ = ["base_language", "regional_variant", "same_language"]

#: Regions whose orthography has no "ß" (Switzerland, Liechtenstein).
_WITHOUT_SHARP_S = frozenset({"de-CH", "de-LI"})


def base_language(tag: str) -> str:
    """The language subtag: ``en-GB`` → ``en``."""
    return tag.split("-", 1)[0].lower()


def same_language(first: str, second: str) -> bool:
    """Whether two tags name the same language (``de`` and ``de-AT``): a variant, not a translation."""
    return base_language(first) == base_language(second)


def regional_variant(release: Release, tag: str) -> Release:
    """``release`` as its ``tag`` variant: the language set, the region's spelling applied."""
    if tag in _WITHOUT_SHARP_S:
        # "ß" → "ss" keeps the length of neither, so spans are rebuilt over the new text.
        release = map_texts(release, _without_sharp_s)
    return replace(release, language=tag)


def _without_sharp_s(text: Text) -> Text:
    if "ß" not in text.text:
        return text
    new = text.text.replace("ß", "ss")
    if not text.spans:
        return Text.plain(new)
    # Spans shift by one character for every "ß" before their start (and inside them).
    def shifted(position: int) -> int:
        return position + text.text.count("ß", 0, position)

    spans = tuple(replace(span, start=shifted(span.start), end=shifted(span.end)) for span in text.spans)
    return replace(text, text=new, spans=spans)
