r"""Print corrections to Babel's output: the one place they are made.

CLDR describes how a value reads, not how it behaves at the end of a line.
Every formatter in :mod:`toolkit.localize` passes its result through
:func:`for_print`, which makes these corrections, each for a reason:

1. **A number stays with its neighbour.** A plain space (U+0020) next to a
   numeral becomes a no-break space (U+00A0): "19 April", "EUR 3.2",
   "18:00 Uhr" and "+49 211 8371134" must not break across lines. A space
   after a comma stays breakable ("Friday, April 19, | 2024" is a fine
   break). In languages that write ordinals with a dot, "19." counts as a
   numeral ("19. April"). Spaces CLDR already made unbreakable stay as they
   are: U+202F in French digit grouping ("1 250,50") and before "PM", U+00A0
   before "%" and "€".
2. **A quantity stays whole** (``keep_together=True``, for amounts and
   percentages): every plain space becomes U+00A0, so "3,2 milliards
   d’euros" never leaves "d’euros" on the next line.
3. **Range dashes are spaced by one rule in every locale.** CLDR is not
   consistent: English puts thin spaces around the en dash even between
   bare numbers ("Oct 10 – 12"), French and German close it up ("10–12 oct.",
   "10.–12. Okt."), Polish closes it even between names ("30 paź–2 lis").
   One rule instead, the same for every locale: closed up between two lone
   numbers ("10–12", "14:00–18:00"), as every style guide has it; spaced
   between longer expressions ("30 October – 2 November", "30 décembre 2024
   – 2 janvier 2025"), as CLDR itself does and as British and German
   practice prefers (Chicago would close up even these). The spaced form
   uses thin spaces as CLDR does, but the one before the dash is no-break
   (U+202F): a line must not begin with a dash, while a break after it is
   the natural one.
4. **Apostrophes are typographic.** A straight apostrophe between letters
   ("d'euros") becomes U+2019 ("d’euros"), as in print.
5. **A hyphen between digits does not break** ("+1 202-555-0100"): it
   becomes a non-breaking hyphen (U+2011), so a phone number stays on one
   line.

The corrections are idempotent: correcting corrected text changes nothing.
"""

from __future__ import annotations

import re

from babel import Locale

from .core import LocaleArg, get_locale

__all__ = ["EN_DASH", "NARROW_NBSP", "NBSP", "NB_HYPHEN", "THIN_SPACE", "for_print"]

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
THIN_SPACE = "\u2009"
EN_DASH = "\u2013"
NB_HYPHEN = "\u2011"

#: Languages that write an ordinal number with a dot ("19. April").
ORDINAL_DOT_LANGUAGES = frozenset({"cs", "da", "de", "et", "fi", "hr", "hu", "is", "lv", "nb", "nn", "no", "sk", "sl"})

# Any space CLDR or a formatter may put around a range dash.
_DASH_WITH_SPACES = re.compile(rf"[ {NBSP}{NARROW_NBSP}{THIN_SPACE}]*{EN_DASH}[ {NBSP}{NARROW_NBSP}{THIN_SPACE}]*")
# A number at the end of a text: "12", "14:00", "1.250,50", "19." (ordinal).
_LAST_NUMERAL = re.compile(r"\d+(?:[.,:]\d+)*\.?$")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_DIGIT_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")
_SPACE_BEFORE_NUMERAL = re.compile(r"(?<!,) (?=\d)")
_SPACE_AFTER_NUMERAL = re.compile(r"(?<=\d) ")
_SPACE_AFTER_ORDINAL = re.compile(r"(?<=\d\.) ")


def for_print(text: str, *, locale: LocaleArg, keep_together: bool = False) -> str:
    r"""``text``, one formatted fact, corrected for print (see the module's list).

    >>> for_print("Oct 10\u2009–\u200912, 2025", locale="en")
    'Oct\xa010–12, 2025'
    >>> for_print("30 oct.\u2009–\u20092 nov. 2025", locale="fr")
    '30\xa0oct.\u202f–\u20092\xa0nov.\xa02025'
    >>> for_print("19. April 2024", locale="de")
    '19.\xa0April\xa02024'
    >>> for_print("3,2 milliards d'euros", locale="fr", keep_together=True)
    '3,2\xa0milliards\xa0d’euros'
    >>> for_print("+1 202-555-0100", locale="de")
    '+1\xa0202‑555‑0100'
    """
    babel_locale = get_locale(locale)
    text = _APOSTROPHE.sub("\u2019", text)
    text = _space_range_dashes(text, babel_locale)
    text = _DIGIT_HYPHEN.sub(NB_HYPHEN, text)
    text = _bind_numerals(text, babel_locale)
    if keep_together:
        text = text.replace(" ", NBSP)
    return text


def _uses_ordinal_dot(locale: Locale) -> bool:
    return locale.language in ORDINAL_DOT_LANGUAGES


def _ends_with_numeral(before: str, locale: Locale) -> bool:
    if before[-1:].isdigit():
        return True
    return _uses_ordinal_dot(locale) and before.endswith(".") and before[-2:-1].isdigit()


def _joins_numbers(before: str, after: str, locale: Locale) -> bool:
    """The dash stands between a lone number and a number: "10–12 October", "14:00–18:00".

    A number before the dash that is not alone ("30 December 2024 – 2 January")
    ends a longer expression, so that dash is spaced.
    """
    if not (_ends_with_numeral(before, locale) and after[:1].isdigit()):
        return False
    return not any(char.isdigit() for char in _LAST_NUMERAL.sub("", before))


def _space_range_dashes(text: str, locale: Locale) -> str:
    def respace(match: re.Match[str]) -> str:
        if _joins_numbers(text[: match.start()], text[match.end() :], locale):
            return EN_DASH
        return f"{NARROW_NBSP}{EN_DASH}{THIN_SPACE}"

    return _DASH_WITH_SPACES.sub(respace, text)


def _bind_numerals(text: str, locale: Locale) -> str:
    text = _SPACE_BEFORE_NUMERAL.sub(NBSP, text)
    text = _SPACE_AFTER_NUMERAL.sub(NBSP, text)
    if _uses_ordinal_dot(locale):
        text = _SPACE_AFTER_ORDINAL.sub(NBSP, text)
    return text
