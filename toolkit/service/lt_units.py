"""Cut a LibreTranslate text into the units the toolkit translates, and put the translations back in place.

* **Plain text**: every line is a unit, as Argos and LibreTranslate translate
  line by line. A unit is the line without its leading and trailing
  whitespace, so indentation, blank lines and line ends come back exactly.
* **HTML**: every text node is a unit, its runs of whitespace made one space
  (what a browser shows). Tags, attributes, comments, entities outside the
  units, and the content of ``script``, ``style``, ``code``, ``pre`` … and of
  elements marked ``translate="no"`` or ``class="notranslate"`` are kept byte
  for byte. A unit's text is unescaped before translation and its
  translation escaped again, so ``&amp;`` never turns into a bare ``&``.

A piece without a letter or digit (an emoji, a dash, "…") is no unit: the
model could only spoil it.

>>> layout = split_plain("  Guten Tag.\\n\\n* * *\\n")
>>> units(layout)
['Guten Tag.']
>>> join(layout, ["Good day."])
'  Good day.\\n\\n* * *\\n'
>>> layout = split_html('<p class="x">Preis: <b>3 &amp; 4</b></p><code>a = 1</code>')
>>> units(layout)
['Preis:', '3 & 4']
>>> join(layout, ["Price:", "3 & 4"], html=True)
'<p class="x">Price: <b>3 &amp; 4</b></p><code>a = 1</code>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Layout", "Piece", "join", "split_html", "split_plain", "units"]


@dataclass(frozen=True)
class Piece:
    """Text kept as written, or (``unit``) text to translate."""

    text: str
    unit: bool = False


Layout = tuple[Piece, ...]

_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
_AROUND = re.compile(r"(\s*)(.*?)(\s*)", re.DOTALL)
# A tag, comment, CDATA section, doctype or processing instruction; a quoted attribute value may hold ">".
_MARKUP = re.compile(
    r"""<!--.*?(?:-->|\Z)
      | <!\[CDATA\[.*?(?:\]\]>|\Z)
      | <[!?][^>]*>?
      | </?[A-Za-z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.DOTALL | re.VERBOSE,
)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
#: Elements whose content is not markup: it runs to the matching end tag.
_RAW_TEXT = frozenset({"script", "style"})
#: Elements whose content is code, input or data, not prose.
_KEEP = frozenset({"code", "pre", "kbd", "samp", "var", "textarea", "svg", "math"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_NO_TRANSLATE = re.compile(r"""\stranslate\s*=\s*["']?no\b|\sclass\s*=\s*(["'])[^"']*\bnotranslate\b""", re.IGNORECASE)


def _translatable(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _add(pieces: list[Piece], text: str, unit: bool = False) -> None:
    """Append ``text``, merging it into the previous kept piece (fewer, longer pieces)."""
    if not text:
        return
    if not unit and pieces and not pieces[-1].unit:
        pieces[-1] = Piece(pieces[-1].text + text)
    else:
        pieces.append(Piece(text, unit))


def split_plain(text: str) -> Layout:
    """Every line with letters or digits as a unit, the rest kept."""
    pieces: list[Piece] = []
    for part in _LINE_BREAK.split(text):
        lead, core, trail = _around(part)
        _add(pieces, lead)
        _add(pieces, core, unit=_translatable(core))
        _add(pieces, trail)
    return tuple(pieces)


def _around(text: str) -> tuple[str, str, str]:
    match = _AROUND.fullmatch(text)
    assert match is not None  # the pattern matches every string
    return match[1], match[2], match[3]


def split_html(markup: str) -> Layout:
    """Every text node with letters or digits, outside code and ``translate="no"``, as a unit; all markup kept."""
    pieces: list[Piece] = []
    #: Open elements, each with whether its content is kept as written.
    open_elements: list[tuple[str, bool]] = []
    position = 0
    while position < len(markup):
        match = _MARKUP.search(markup, position)
        end = match.start() if match else len(markup)
        _add_text_node(pieces, markup[position:end], keep=any(keep for _, keep in open_elements))
        if match is None:
            break
        tag = match.group()
        _add(pieces, tag)
        position = match.end()
        named = _TAG_NAME.match(tag)
        if named is None:
            continue  # a comment, doctype …
        closing, name = named[1] == "/", named[2].lower()
        if closing:
            _close(open_elements, name)
        elif name in _RAW_TEXT:
            close = re.compile(rf"</{name}\b", re.IGNORECASE).search(markup, position)
            raw_end = close.start() if close else len(markup)
            _add(pieces, markup[position:raw_end])
            position = raw_end
        elif name not in _VOID and not tag.endswith("/>"):
            keep = name in _KEEP or _NO_TRANSLATE.search(tag) is not None
            open_elements.append((name, keep or any(k for _, k in open_elements)))
    return tuple(pieces)


def _close(open_elements: list[tuple[str, bool]], name: str) -> None:
    """Close ``name`` and what is still open inside it; a stray end tag closes nothing (as browsers do)."""
    for index in range(len(open_elements) - 1, -1, -1):
        if open_elements[index][0] == name:
            del open_elements[index:]
            return


def _add_text_node(pieces: list[Piece], raw: str, *, keep: bool) -> None:
    lead, core, trail = _around(raw)
    # HTML's whitespace only: a no-break space (&nbsp;) is meant.
    text = re.sub(r"[ \t\n\r\f]+", " ", html.unescape(core))
    _add(pieces, lead)
    if keep or not _translatable(text):
        _add(pieces, core)
    else:
        _add(pieces, text, unit=True)
    _add(pieces, trail)


def units(layout: Layout) -> list[str]:
    """The texts to translate, in order."""
    return [piece.text for piece in layout if piece.unit]


def join(layout: Layout, translations: Iterable[str], *, html: bool = False) -> str:
    """``layout`` with its units replaced, in order, by ``translations`` (escaped for HTML)."""
    given = iter(translations)
    out = []
    for piece in layout:
        if not piece.unit:
            out.append(piece.text)
            continue
        translated = next(given)
        out.append(_escape(translated) if html else translated)
    return "".join(out)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
