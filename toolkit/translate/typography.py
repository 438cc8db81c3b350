r"""Target-language typography of machine-translated text: quotation marks, French spacing, apostrophes.

Contract: :func:`apply_typography` runs on the model's output **before**
:func:`~toolkit.translate.protect.restore`, on the text that still holds
the placeholders ("XZ1"). Facts, names, e-mail addresses and URLs are
placeholders at that point, so they are never touched: a URL's "?" gets no
space before it, a name's quotation marks stay as the release wrote them,
and a formatted fact keeps the spaces :mod:`toolkit.localize` chose. As a
second safeguard anything in the text that still looks like a URL or an
e-mail address is left alone.

Quotation marks. The model may copy the German marks („…“, ‚…‘, »…«), write
straight ones ("…", '…') or the target's own; all are matched in pairs,
opening and closing told apart by what stands before and after them (and,
where that is ambiguous, by which quotation is open), and rewritten in the
target's style — the outer level with the primary marks, a quotation inside
a quotation with the secondary ones:

======== ============== ============== =====================================
language outer          inner          note
======== ============== ============== =====================================
de       „…“            ‚…‘
en       “…”            ‘…’
fr       « … »          “…”            U+00A0 inside the guillemets
es       «…»            “…”
it       «…»            “…”
nl       “…”            ‘…’
pl       „…”            «…»
pt       “…”            ‘…’
======== ============== ============== =====================================

In other languages the quotation marks are left as the model wrote them. A
mark that has no partner (an unmatched straight quote) is left as it is.

French spacing follows the Imprimerie nationale (*Lexique des règles
typographiques en usage à l'Imprimerie nationale*): a narrow no-break space
(U+202F, *espace fine insécable*) before ``;``, ``!`` and ``?``, a no-break
space (U+00A0, *espace mot insécable*) before ``:`` and inside « ». The
narrow space is what French print uses before the high punctuation marks;
the colon and the guillemets take the full word space. Any space the model
put there is replaced, so the rule is applied once, whatever came in. A
colon between digits (``14:30``) is no punctuation and gets no space.

Apostrophes: a straight apostrophe between letters becomes U+2019 ("l'État"
→ "l’État", "don't" → "don’t"), in every language.

>>> apply_typography('Sie sagte: „Das ist gut.“', language="en")
'Sie sagte: “Das ist gut.”'
>>> apply_typography('Il a dit : "C\'est bien !" XZ1 ?', language="fr")
'Il a dit\xa0: «\xa0C’est bien\u202f!\xa0» XZ1\u202f?'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["QUOTES", "apply_typography"]

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"

#: (outer open, outer close, inner open, inner close) per language.
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "de": ("„", "“", "‚", "‘"),
    "en": ("“", "”", "‘", "’"),
    "fr": ("«", "»", "“", "”"),
    "es": ("«", "»", "“", "”"),
    "it": ("«", "»", "“", "”"),
    "nl": ("“", "”", "‘", "’"),
    "pl": ("„", "”", "«", "»"),
    "pt": ("“", "”", "‘", "’"),
}

_DOUBLE = frozenset('"„“”«»‟')
_SINGLE = frozenset("'‚‘’‹›")
_OPENING_CONTEXT = frozenset("([{—–-/") | _DOUBLE | _SINGLE
_SPACES = " \t\n\r\u00a0\u202f\u2009\u2007\u2008\u200a"
# Spaces just inside a quotation, removed (or, in French guillemets, made one no-break space).
_INNER_SPACES = " \u00a0\u202f\u2009\u2007\u2008\u200a"
# URLs and e-mail addresses the model wrote itself (protected ones are placeholders).
_UNTOUCHABLE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+?(?=[.,;:!?\"'“”«»’)\]]*(?:\s|$))|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
# While a rule runs, each untouchable range is one private-use character from here on.
_MASK_BASE = 0xF0000


@dataclass
class _Mark:
    position: int
    char: str
    double: bool
    role: str  # "open" or "close"
    partner: int | None = None
    depth: int = 0


def apply_typography(text: str, *, language: str) -> str:
    """``text`` (model output with placeholders) with the quotation marks and spacing of ``language``."""
    code = language.replace("_", "-").split("-")[0].lower()
    protected = [(m.start(), m.end()) for m in _UNTOUCHABLE.finditer(text)]
    if code in QUOTES:
        text = _requote(text, QUOTES[code], french=code == "fr", skip=protected)
        protected = [(m.start(), m.end()) for m in _UNTOUCHABLE.finditer(text)]
    text = _outside(text, protected, _apostrophes)
    if code == "fr":
        protected = [(m.start(), m.end()) for m in _UNTOUCHABLE.finditer(text)]
        text = _outside(text, protected, _french_spacing)
    return text


def _outside(text: str, protected: list[tuple[int, int]], function: Callable[[str], str]) -> str:
    """``function`` applied to ``text`` with the ``protected`` ranges masked.

    Each range stands in as one private-use character while ``function``
    runs, so the rules still see a word there ("info@example.fr ?").
    """
    if not protected:
        return function(text)
    pieces: list[str] = []
    position = 0
    for number, (start, end) in enumerate(protected):
        pieces += [text[position:start], chr(_MASK_BASE + number)]
        position = end
    pieces.append(text[position:])
    result = function("".join(pieces))
    return re.sub(f"[{chr(_MASK_BASE)}-{chr(_MASK_BASE + len(protected) - 1)}]",
                  lambda m: text[slice(*protected[ord(m.group()) - _MASK_BASE])], result)


def _apostrophes(text: str) -> str:
    return re.sub(r"(?<=[^\W\d_])'(?=[^\W\d_])", "’", text)


def _french_spacing(text: str) -> str:
    spaces = re.escape(_SPACES.replace("\n", "").replace("\r", ""))
    text = re.sub(rf"(?<=[^\s;:!?])[{spaces}]*([;!?]+)(?=$|[\s»”’)\]}},.…\"'])", lambda m: NARROW_NBSP + m.group(1), text)
    text = re.sub(rf"(?<=[^\s;:!?])[{spaces}]*:(?=$|[\s»”’)\]}},.…\"'«])", NBSP + ":", text)
    return text


def _requote(text: str, style: tuple[str, str, str, str], *, french: bool, skip: list[tuple[int, int]]) -> str:
    marks = _pair(text, skip)
    if not marks:
        return text
    outer_open, outer_close, inner_open, inner_close = style
    # position -> (new mark, "open"/"close", space inside the quotation)
    replacements: dict[int, tuple[str, str, str]] = {}
    for mark in marks:
        if mark.partner is None or mark.role != "open":
            continue
        outer = mark.depth % 2 == 0
        opening_char, closing_char = (outer_open, outer_close) if outer else (inner_open, inner_close)
        inside = NBSP if french and opening_char == "«" else ""
        replacements[mark.position] = (opening_char, "open", inside)
        replacements[marks[mark.partner].position] = (closing_char, "close", inside)
    pieces: list[str] = []
    position = 0
    for index in sorted(replacements):
        char, role, inside = replacements[index]
        if role == "open":
            pieces += [text[position:index], char, inside]
            position = index + 1
            while position < len(text) and text[position] in _INNER_SPACES:
                position += 1
        else:
            pieces += [text[position:index].rstrip(_INNER_SPACES), inside, char]
            position = index + 1
    pieces.append(text[position:])
    return "".join(pieces)


def _pair(text: str, skip: list[tuple[int, int]]) -> list[_Mark]:
    """The quotation marks of ``text``, each with its role and, when it has one, its partner's index."""
    marks: list[_Mark] = []
    stack: list[int] = []
    for position, char in enumerate(text):
        if char not in _DOUBLE and char not in _SINGLE:
            continue
        if any(start <= position < end for start, end in skip):
            continue
        double = char in _DOUBLE
        role = _role(text, position, char, double, [marks[i] for i in stack])
        if role is None:
            continue
        mark = _Mark(position=position, char=char, double=double, role=role)
        marks.append(mark)
        index = len(marks) - 1
        if role == "open":
            mark.depth = len(stack)
            stack.append(index)
            continue
        # A closing mark closes the innermost open quotation of its kind; open ones inside it stay unmatched.
        for level in range(len(stack) - 1, -1, -1):
            opening = marks[stack[level]]
            if opening.double == double:
                opening.partner, mark.partner = index, stack[level]
                del stack[level:]
                break
    # Depth counts matched quotations only.
    depth = 0
    for mark in marks:
        if mark.partner is None:
            continue
        if mark.role == "open":
            mark.depth = depth
            depth += 1
        else:
            depth -= 1
    return marks


def _role(text: str, position: int, char: str, double: bool, open_marks: list[_Mark]) -> str | None:
    before = text[position - 1] if position > 0 else None
    after = text[position + 1] if position + 1 < len(text) else None
    can_open = after is not None and after not in _SPACES and (before is None or before in _SPACES or before in _OPENING_CONTEXT)
    can_close = before is not None and before not in _SPACES and (after is None or after in _SPACES or not after.isalnum())
    is_open = any(mark.double == double for mark in open_marks)
    innermost_same = bool(open_marks) and open_marks[-1].double == double
    if not double:
        # Single marks are quotation marks only where they clearly are; elsewhere apostrophes.
        if char == "‚":
            return "open"
        if char in "‘‹›'" and can_open and not can_close and not (after or "").isdigit():
            return "open"
        if char in "‘’›‹'" and can_close and not can_open and innermost_same:
            return "close"
        return None
    if char == "„":
        return "open"
    if char == "»":
        # Closes a French quotation, opens a German one ("»Hallo«", set closed up).
        return "open" if can_open and not can_close and not is_open else ("close" if is_open else "open")
    if char == "«":
        # Opens a French quotation, closes a German one.
        return "close" if can_close and not can_open and is_open and _german_guillemets(open_marks) else "open"
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close" if is_open else None
    # Ambiguous (a mark between letters or between spaces): the open quotations decide.
    return "close" if is_open else "open"


def _german_guillemets(open_marks: list[_Mark]) -> bool:
    doubles = [mark for mark in open_marks if mark.double]
    return bool(doubles) and doubles[-1].char == "»"
