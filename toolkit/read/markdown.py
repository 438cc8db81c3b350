"""Read the Markdown authoring format: YAML front matter, then the body.

The press office writes the release by hand: the facts (headline, date,
contacts, ...) as YAML between two ``---`` lines, the text as Markdown below.
``docs/markdown-format.md`` describes the format for its users.

The reader is strict where a slip would otherwise pass silently (an unknown
key such as ``headlin:``, a date it cannot read, a link to a local file) and
reports each problem as one :class:`~toolkit.errors.ReadError` line naming the
file and, where it can, the line.

Raw HTML in the body is never interpreted: ``<img src="...">`` stays in the
text as the literal characters the author typed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from ..errors import PressToolkitError, ReadError
from ..german.addresses import EMAIL_PATTERN, URL_PATTERN, deobfuscate_emails, parse_phone
from ..german.dates import DATE_PATTERN, parse_date, parse_date_time
from ..languages import check_language
from ..limits import MAX_DIGITS, MAX_NESTING, emphasis_depth, longest_digit_run, nesting_depth
from ..model import (
    Block,
    Boilerplate,
    Contact,
    Embargo,
    Heading,
    Image,
    LinkLine,
    ListBlock,
    Paragraph,
    Phone,
    PhoneKind,
    Quote,
    Release,
    Span,
    SpanKind,
    Speaker,
    Text,
)
from .source import read_source

__all__ = ["parse_markdown", "read_markdown"]

T = TypeVar("T")

_FRONT_MATTER_KEYS = (
    "language", "number", "headline", "subheadline", "date", "place", "embargo",
    "issuer", "keywords", "image", "boilerplate", "contacts",
)  # fmt: skip
_IMAGE_KEYS = ("src", "title", "caption", "credit", "alt")
_BOILERPLATE_KEYS = ("title", "text")
_PHONE_KEYS = {"phone": PhoneKind.PHONE, "mobile": PhoneKind.MOBILE, "fax": PhoneKind.FAX}
_CONTACT_KEYS = ("label", "organization", "person", "role", "address", *_PHONE_KEYS, "email", "url")

_DELIMITER = re.compile(r"-{3,}[ \t]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")
#: What may follow the date of an embargo: ", 10:00 Uhr", "um 10 Uhr", "10:00".
_CLOCK = re.compile(r",?\s*(?:um\s+)?(?:\d{1,2}(?:[:.]\d{2})?\s*Uhr|\d{1,2}:\d{2})", re.IGNORECASE)
_BARE_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+(?:[/?#]\S*)?")
_OTHER_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]+:")  # two letters at least: "C:\bilder" is a path

_LINK_SCHEMES = ("http", "https", "mailto", "tel")
#: A link line's text before the link: a short lead-in, not a sentence of its own.
_LINK_LINE_MAX_LEAD_IN = 80
_LINK_LINE_TAIL = re.compile(r"\s*[.:!]?")
_SENTENCE_END = re.compile(r"[.!?]\s")

_DASH = r"(?:—[ \t]*|(?:–|--)[ \t]+)"
_WHO = r"(?P<who>[^\s,][^\n]*)"
#: "— Anna Schneider, Rolle" as the last line (or only line) of a quotation.
_ATTRIBUTION_LINE = re.compile(rf"(?:^|\n)[ \t]*{_DASH}{_WHO}$")
#: "„…“ — Anna Schneider, Rolle" on one line: the dash right after a closing
#: quotation mark or a sentence's end, so that a dash inside the quotation
#: ("wir freuen uns – sehr – auf …") is not taken for an attribution.
_ATTRIBUTION_AFTER_QUOTE = re.compile(rf"(?<=[“”\"»«‘’.!?…])[ \t]+{_DASH}(?P<who>[^\s,„“”\"»«\n][^„“”\"»«\n]*)$")
#: A name after such a dash: a few words, not the rest of a sentence ("— und dann?").
_SPEAKER_NAME = re.compile(r"(?:[\w.'-]+\s+){0,4}[\w'-]+")

_YAML_HINTS = {
    "mapping values are not allowed here": "put a value that contains ': ' in quotes",
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "found undefined alias": "put a value that starts with '*' or '&' in quotes",
}
_BLOCK_NAMES = {
    "bullet_list": "a list", "ordered_list": "a list", "blockquote": "a quotation", "heading": "a heading",
    "hr": "a horizontal rule", "fence": "a code block",
}  # fmt: skip


class _Problem(Exception):
    """A problem in the source; :func:`parse_markdown` adds the path."""


def read_markdown(path: str | Path) -> Release:
    """Read a Markdown release file (YAML front matter, Markdown body)."""
    source = read_source(path)
    return parse_markdown(source.text, path=source.path)


def parse_markdown(text: str, *, path: str | Path | None = None) -> Release:
    """Parse a Markdown release; ``path`` only names the source in errors.

    >>> release = parse_markdown('''---
    ... headline: Stadt lädt zur Kulturnacht ein
    ... date: 12.09.2025
    ... ---
    ... Am Samstag öffnen *60 Orte* ihre Türen.
    ...
    ... Programm: [kulturnacht.example.de](https://kulturnacht.example.de)
    ... ''')
    >>> release.date, release.body[0].text.text
    (datetime.date(2025, 9, 12), 'Am Samstag öffnen 60 Orte ihre Türen.')
    >>> release.body[1].url
    'https://kulturnacht.example.de'
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        parts = _split(text)
        front = _load_yaml(parts.front_matter, parts.front_matter_line)
        return _release(front, _BodyReader(parts.body_line).blocks(parts.body))
    except _Problem as problem:
        raise ReadError(path, str(problem)) from None


# --- Front matter ---------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Parts:
    front_matter: str
    #: File line (1-based) of the first YAML line and of the first body line.
    front_matter_line: int
    body: str
    body_line: int


def _split(text: str) -> _Parts:
    lines = text.split("\n")
    start = next((index for index, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise _Problem("file is empty")
    if not _DELIMITER.fullmatch(lines[start]):
        raise _Problem(
            "no front matter: the file must begin with a line '---', then the keys (headline: …, date: …), "
            "then another line '---' before the text"
        )
    end = next((index for index in range(start + 1, len(lines)) if _DELIMITER.fullmatch(lines[index])), None)
    if end is None:
        raise _Problem(f"the front matter opened on line {start + 1} is never closed by a line '---'")
    return _Parts(
        front_matter="\n".join(lines[start + 1 : end]),
        front_matter_line=start + 2,
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
    )


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice (it would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key_node.value!r} appears twice", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def _load_yaml(text: str, first_line: int) -> dict[Any, Any]:
    if nesting_depth(text) > MAX_NESTING:
        raise _Problem(f"the front matter is nested more than {MAX_NESTING} levels deep")
    if longest_digit_run(text) > MAX_DIGITS:
        raise _Problem(f"a value in the front matter has more than {MAX_DIGITS} digits")
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        raise _Problem(_yaml_problem(error, first_line)) from None
    except yaml.YAMLError as error:
        raise _Problem(f"invalid YAML in the front matter: {_one_line(str(error))}") from None
    except RecursionError:
        raise _Problem("the front matter is nested too deeply") from None
    except ValueError as error:  # a timestamp such as 2025-02-30
        raise _Problem(f"invalid value in the front matter: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _Problem("the front matter must be 'key: value' lines such as 'headline: …'")
    return data


def _yaml_problem(error: yaml.MarkedYAMLError, first_line: int) -> str:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "syntax error"
    where = f", line {first_line + mark.line}" if mark is not None else ""
    hint = _YAML_HINTS.get(problem)
    return f"invalid YAML in the front matter{where}: {_one_line(problem)}" + (f" ({hint})" if hint else "")


def _one_line(message: str) -> str:
    """PyYAML's messages run over several lines ("… not allowed\n  in "<unicode string>", position 15")."""
    return " ".join(message.split("\n")[0].split())


def _release(front: dict[Any, Any], body: tuple[Block, ...]) -> Release:
    _check_keys(front, _FRONT_MATTER_KEYS, "front-matter")
    headline = _optional(front, "headline", _string)
    if headline is None:
        raise _Problem("headline is missing or empty; add e.g. 'headline: Stadt lädt zur Kulturnacht ein'")
    date = _optional(front, "date", _date)
    if date is None:
        raise _Problem("date is missing; add e.g. 'date: 2025-09-12' to the front matter")
    if not body:
        raise _Problem("the body is empty; write the release text below the front matter's closing '---'")
    return Release(
        language=_optional(front, "language", _language) or "de",
        headline=Text.plain(headline),
        subheadline=tuple(Text.plain(line) for line in _optional(front, "subheadline", _strings) or ()),
        date=date,
        place=_optional(front, "place", _string),
        embargo=_optional(front, "embargo", _embargo),
        number=_optional(front, "number", _string),
        issuer=_optional(front, "issuer", _string),
        image=_optional(front, "image", _image),
        body=body,
        boilerplate=_optional(front, "boilerplate", _boilerplate),
        contacts=_optional(front, "contacts", _contacts) or (),
        keywords=_optional(front, "keywords", _keywords) or (),
    )


def _check_keys(mapping: dict[Any, Any], allowed: Sequence[str], where: str) -> None:
    unknown = [str(key) for key in mapping if key not in allowed]
    if not unknown:
        return
    named = ", ".join(_with_suggestion(key, allowed) for key in unknown)
    plural = "s" if len(unknown) > 1 else ""
    raise _Problem(f"unknown {where} key{plural} {named}; allowed keys: {', '.join(allowed)}")


def _with_suggestion(key: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(key.lower(), allowed, n=1)
    return f"'{key}' (did you mean '{close[0]}'?)" if close else f"'{key}'"


def _optional(mapping: dict[Any, Any], key: str, convert: Callable[[Any, str], T]) -> T | None:
    """``convert(value, key)``, or ``None`` when the key is absent or left empty."""
    value = mapping.get(key)
    return None if _is_empty(value) else convert(value, key)


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value; put the text in quotes)"
    if isinstance(value, (int, float)):
        return f"the number {value} (put it in quotes)"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of 'key: value' lines"
    return repr(value)


def _string(value: Any, name: str) -> str:
    """A one-line text value: whitespace (a folded YAML line, say) collapses to single spaces."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _Problem(f"{name} must be text, not {_describe(value)}")
    return " ".join(str(value).split())


def _strings(value: Any, name: str) -> tuple[str, ...]:
    """One text or a list of texts; empty entries are left out."""
    items = value if isinstance(value, list) else [value]
    return tuple(text for text in (_string(item, name) for item in items if item is not None) if text)


def _mapping(value: Any, name: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise _Problem(f"{name} must be a group of indented 'key: value' lines, not {_describe(value)}")
    return value


def _language(value: Any, name: str) -> str:
    language = _string(value, name)
    try:
        return check_language(language)
    except PressToolkitError:
        raise _Problem(f"language {language[:40]!r} is not a language tag such as 'de' or 'en-GB'") from None


def _keywords(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(word.strip() for word in value.split(",") if word.strip())
    return _strings(value, name)


def _date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Problem(f"{name} {value.isoformat(' ')} has a time of day; give the day only (a time goes in 'embargo')")
    if isinstance(value, dt.date):
        return value
    date = _date_from_text(" ".join(value.split())) if isinstance(value, str) else None
    if date is None:
        raise _Problem(
            f"{name} {_shown(value)} is not a date; write it as 2025-09-12, 12.09.2025 or 12. September 2025"
        )
    return date


def _date_from_text(text: str) -> dt.date | None:
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return parse_date(text) if DATE_PATTERN.fullmatch(text) else None


def _embargo(value: Any, name: str) -> Embargo:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise _Problem(f"{name} {value.isoformat(' ')}: give the issuer's local time, without a time zone")
        return Embargo(date=value.date(), time=value.time())
    if isinstance(value, dt.date):
        return Embargo(date=value)
    embargo = _embargo_from_text(" ".join(value.split())) if isinstance(value, str) else None
    if embargo is None:
        raise _Problem(
            f"{name} {_shown(value)} is not a date or a date and time; "
            "write it as 2025-09-10, 2025-09-10 10:00 or 10.09.2025, 10:00 Uhr"
        )
    return embargo


def _embargo_from_text(text: str) -> Embargo | None:
    if _ISO_DATE_TIME.fullmatch(text):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        return Embargo(date=moment.date(), time=moment.time() if len(text) > 10 else None)
    match = DATE_PATTERN.match(text)
    if match is None:
        return None
    rest = text[match.end() :].strip()
    if rest and not _CLOCK.fullmatch(rest):
        return None
    date, time = parse_date_time(text)
    if date is None or (rest and time is None):
        return None
    return Embargo(date=date, time=time)


def _shown(value: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, str) else str(value)
    return _describe(value)


def _image(value: Any, name: str) -> Image:
    mapping = _mapping(value, name)
    _check_keys(mapping, _IMAGE_KEYS, name)
    src = _optional(mapping, "src", _within(name, _image_source))
    title, caption, alt = (_optional(mapping, key, _within(name, _string)) for key in ("title", "caption", "alt"))
    if src is None and title is None and caption is None:
        raise _Problem("image needs at least a src (the image file) or a title or caption")
    return Image(
        src=src,
        title=Text.plain(title) if title else None,
        caption=Text.plain(caption) if caption else None,
        credit=_optional(mapping, "credit", _within(name, _string)),
        alt=Text.plain(alt) if alt else None,
    )


def _image_source(value: Any, name: str) -> str:
    src = _string(value, name)
    if _OTHER_SCHEME.match(src) and urlsplit(src).scheme.lower() not in ("http", "https"):
        raise _Problem(f"{name} {src!r} must be a file path relative to the release or an http(s) address")
    return src


def _boilerplate(value: Any, name: str) -> Boilerplate:
    title: str | None = None
    if isinstance(value, dict):
        _check_keys(value, _BOILERPLATE_KEYS, name)
        title = _optional(value, "title", _within(name, _string))
        value = value.get("text")
        if value is None:
            raise _Problem("boilerplate needs a text (the 'text:' key)")
    if not isinstance(value, str):
        raise _Problem(f"boilerplate must be a text, or 'title:' and 'text:', not {_describe(value)}")
    paragraphs = tuple(_inline_markdown(part, "boilerplate") for part in re.split(r"\n[ \t]*\n", value.strip()))
    return Boilerplate(title=Text.plain(title) if title else None, paragraphs=tuple(p for p in paragraphs if p))


def _contacts(value: Any, name: str) -> tuple[Contact, ...]:
    if not isinstance(value, list):
        raise _Problem(f"contacts must be a list, each contact starting with '- ', not {_describe(value)}")
    return tuple(_contact(entry, f"contact {number}") for number, entry in enumerate(value, 1))


def _contact(value: Any, where: str) -> Contact:
    mapping = _mapping(value, where)
    _check_keys(mapping, _CONTACT_KEYS, where)
    if all(_is_empty(item) for item in mapping.values()):
        raise _Problem(f"{where} is empty")
    label = _optional(mapping, "label", _within(where, _string))
    return Contact(
        label=Text.plain(label) if label else None,
        organization=_optional(mapping, "organization", _within(where, _string)),
        person=_optional(mapping, "person", _within(where, _string)),
        role=_text_or_none(_optional(mapping, "role", _within(where, _string))),
        address=_optional(mapping, "address", _within(where, _address)) or (),
        phones=_phones(mapping, where),
        emails=_each(mapping, "email", where, _email),
        urls=_each(mapping, "url", where, _web_address),
    )


def _each(mapping: dict[Any, Any], key: str, where: str, convert: Callable[[str, str], T]) -> tuple[T, ...]:
    """``convert`` applied to each of the texts a key holds (one text or a list)."""
    name = f"{where} {key}"
    return tuple(convert(text, name) for text in _optional(mapping, key, _within(where, _strings)) or ())


def _within(where: str, convert: Callable[[Any, str], T]) -> Callable[[Any, str], T]:
    """``convert`` with its error messages naming the key as "``where`` key"."""
    return lambda value, key: convert(value, f"{where} {key}")


def _address(value: Any, name: str) -> tuple[str, ...]:
    """A list of lines, or one text (split at its line breaks, not at commas)."""
    return _strings(value.split("\n") if isinstance(value, str) else value, name)


def _phones(mapping: dict[Any, Any], where: str) -> tuple[Phone, ...]:
    """Phone, mobile and fax numbers in the order the author wrote the keys."""
    phones: list[Phone] = []
    for key in (key for key in mapping if key in _PHONE_KEYS):
        numbers = _optional(mapping, key, _within(where, _phone_numbers)) or ()
        phones.extend(_phone(number, _PHONE_KEYS[key], f"{where} {key}") for number in numbers)
    return tuple(phones)


def _phone_numbers(value: Any, name: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, (int, float)) and not isinstance(item, bool) for item in items):
        # YAML reads 0221123456 as an octal number and drops a leading "+".
        raise _Problem(f'{name}: write the phone number in quotes, e.g. "0251 492-1300" (YAML read it as a number)')
    return _strings(items, name)


def _phone(number: str, kind: PhoneKind, name: str) -> Phone:
    if not re.search(r"\d", number):
        raise _Problem(f"{name} {number!r} is not a phone number")
    return parse_phone(number, kind=kind)


def _email(value: str, name: str) -> str:
    address = deobfuscate_emails(value).strip().removeprefix("mailto:")
    if not EMAIL_PATTERN.fullmatch(address):
        raise _Problem(f"{name} {value!r} is not an e-mail address")
    return address


def _web_address(value: str, name: str) -> str:
    if re.match(r"https?://\S+$", value, re.IGNORECASE):
        return value
    if _BARE_HOST.fullmatch(value):
        return f"https://{value}"
    raise _Problem(f"{name} {value!r} is not a web address such as www.example.de or https://example.de/presse")


# --- Body -----------------------------------------------------------------


class _ReleaseMarkdown(MarkdownIt):
    """CommonMark with raw HTML and indented code switched off, and our own link check."""

    def __init__(self) -> None:
        super().__init__("commonmark", {"html": False})
        # HTML tags stay literal text; indented text (a stray tab) is prose, not code.
        self.disable(["html_block", "html_inline", "code"])

    def normalizeLink(self, url: str) -> str:  # noqa: N802 - markdown-it's name
        if url.lower().startswith("www."):
            url = f"https://{url}"
        elif EMAIL_PATTERN.fullmatch(url):
            url = f"mailto:{url}"
        return super().normalizeLink(url)

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        # Accept every target here, so that _link_target can reject a bad one
        # with a clear error instead of the link silently staying raw text.
        return True


_MARKDOWN = _ReleaseMarkdown()


@dataclass(frozen=True)
class _BodyReader:
    #: File line (1-based) of the body's first line, for error messages.
    first_line: int

    def blocks(self, markdown: str) -> tuple[Block, ...]:
        if emphasis_depth(markdown) > MAX_NESTING:
            raise _Problem(f"the body nests emphasis, quotes or links more than {MAX_NESTING} levels deep")
        try:
            tree = SyntaxTreeNode(_MARKDOWN.parse(markdown))
        except RecursionError:
            raise _Problem("the body is nested too deeply to read") from None
        converted = (self._block(node) for node in tree.children)
        return tuple(block for block in converted if block is not None)

    def _where(self, node: SyntaxTreeNode) -> str:
        return f"line {self.first_line + node.map[0]}" if node.map else "body"

    def _block(self, node: SyntaxTreeNode) -> Block | None:
        match node.type:
            case "paragraph":
                return self._paragraph(node)
            case "heading":
                text = _flow(self._raw_text(node))
                return Heading(text=text, level=max(1, int(node.tag[1:]) - 1)) if text else None
            case "bullet_list" | "ordered_list":
                return self._list(node)
            case "blockquote":
                return self._quote(node)
            case "hr":
                return None  # a visual separator; the model has none
            case "fence":
                raise _Problem(f"{self._where(node)}: code blocks (```) are not part of a press release")
            case _:
                raise _Problem(f"{self._where(node)}: unsupported Markdown ({node.type})")

    def _raw_text(self, node: SyntaxTreeNode) -> Text:
        """The node's inline text with each line break still a newline."""
        inline = node.children[0] if node.children else None
        if inline is None:
            return Text.plain("")
        builder = _TextBuilder(self._where(node))
        builder.collect(inline)
        return builder.text()

    def _paragraph(self, node: SyntaxTreeNode) -> Paragraph | LinkLine:
        raw = self._raw_text(node)
        text = _flow(raw)
        url = _link_line_url(text) if "\n" not in raw.text else None
        return LinkLine(text=Text.plain(text.text), url=url) if url else Paragraph(text=text)

    def _list(self, node: SyntaxTreeNode) -> ListBlock | None:
        items = tuple(item for item in (self._list_item(child) for child in node.children) if item)
        return ListBlock(items=items, ordered=node.type == "ordered_list") if items else None

    def _list_item(self, node: SyntaxTreeNode) -> Text:
        return _join([_flow(raw) for raw in self._paragraphs_in(node, "a list item")])

    def _quote(self, node: SyntaxTreeNode) -> Quote | None:
        paragraphs = self._paragraphs_in(node, "a quotation")
        if not paragraphs:
            return None
        speaker = None
        attribution = _find_attribution(paragraphs[-1].text)
        if attribution is not None:
            cut_at, speaker = attribution
            paragraphs[-1] = _cut(paragraphs[-1], 0, cut_at)
            paragraphs = [paragraph for paragraph in paragraphs if paragraph]
            if not paragraphs:
                raise _Problem(f"{self._where(node)}: the quotation names {speaker.name} but quotes nothing")
        return Quote(text=_join([_flow(raw) for raw in paragraphs]), speaker=speaker)

    def _paragraphs_in(self, node: SyntaxTreeNode, container: str) -> list[Text]:
        for child in node.children:
            if child.type != "paragraph":
                what = _BLOCK_NAMES.get(child.type, child.type)
                raise _Problem(f"{self._where(child)}: {container} may hold only text paragraphs, not {what}")
        return [self._raw_text(child) for child in node.children]


class _TextBuilder:
    """Concatenates inline text, dropping emphasis markup and marking links."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[Span] = []

    def text(self) -> Text:
        return Text(text="".join(self.parts), spans=tuple(self.spans))

    def add(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def collect(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            match child.type:
                case "text" | "code_inline":
                    self.add(child.content)
                case "softbreak" | "hardbreak":
                    self.add("\n")
                case "link":
                    self.collect_link(child)
                case "image":
                    raise _Problem(
                        f"{self.where}: images in the body are not supported; "
                        "put the press photo under 'image:' in the front matter"
                    )
                case _:  # emphasis, strong: the markup goes, the text stays
                    self.collect(child)

    def collect_link(self, node: SyntaxTreeNode) -> None:
        url = _link_target(str(node.attrs.get("href", "")), self.where)
        start = self.length
        self.collect(node)
        if self.length == start:  # [](https://…): show the address itself
            self.add(url)
        self.spans.append(Span(start=start, end=self.length, kind=SpanKind.LINK, value=url))


def _link_target(href: str, where: str) -> str:
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in _LINK_SCHEMES:
        raise _Problem(
            f"{where}: link target {_MARKDOWN.normalizeLinkText(href)!r} is not a web, e-mail or phone address; "
            "write a full address such as https://www.example.de/programm.pdf"
        )
    return href


def _inline_markdown(source: str, where: str) -> Text:
    """One paragraph of inline Markdown outside the body (the boilerplate's text)."""
    builder = _TextBuilder(where)
    for token in SyntaxTreeNode(_MARKDOWN.parseInline(source.strip())).children:
        builder.collect(token)
    return _flow(builder.text())


def _flow(raw: Text) -> Text:
    """Line breaks become spaces; bare web and e-mail addresses get spans."""
    text = Text(text=raw.text.replace("\n", " "), spans=raw.spans)
    for match in URL_PATTERN.finditer(text.text):
        url = match[0]
        text = _add_free_span(text, match.start(), match.end(), SpanKind.URL, url if "://" in url else f"https://{url}")
    for match in EMAIL_PATTERN.finditer(text.text):
        text = _add_free_span(text, match.start(), match.end(), SpanKind.EMAIL, match[0])
    return text


def _add_free_span(text: Text, start: int, end: int, kind: SpanKind, value: str) -> Text:
    if any(span.start < end and start < span.end for span in text.spans):
        return text  # already inside a link, or an address inside a URL
    return text.add_span(Span(start=start, end=end, kind=kind, value=value))


def _link_line_url(text: Text) -> str | None:
    """The URL if ``text`` is a link line: one link at its end after a short lead-in."""
    if len(text.spans) != 1 or text.spans[0].kind not in (SpanKind.LINK, SpanKind.URL):
        return None
    link = text.spans[0]
    lead_in = text.text[: link.start]
    if not _LINK_LINE_TAIL.fullmatch(text.text[link.end :]):
        return None
    if len(lead_in) > _LINK_LINE_MAX_LEAD_IN or _SENTENCE_END.search(lead_in):
        return None
    return link.value


def _find_attribution(text: str) -> tuple[int, Speaker] | None:
    """Where a trailing "— Name, Rolle" starts in a quotation, and the speaker it names."""
    match = _ATTRIBUTION_LINE.search(text)
    if match is None:
        match = _ATTRIBUTION_AFTER_QUOTE.search(text)
        if match is None or not _SPEAKER_NAME.fullmatch(match["who"].partition(",")[0].strip()):
            return None
    name, _, role = match["who"].partition(",")
    return match.start(), Speaker(name=" ".join(name.split()), role=Text.plain(" ".join(role.split())) if role.strip() else None)


def _cut(text: Text, start: int, end: int) -> Text:
    """``text[start:end]`` without surrounding whitespace, its spans clipped to it."""
    piece = text.text[start:end]
    start += len(piece) - len(piece.lstrip())
    end = max(start, end - (len(piece) - len(piece.rstrip())))
    spans = tuple(
        replace(span, start=max(span.start, start) - start, end=min(span.end, end) - start)
        for span in text.spans
        if span.start < end and start < span.end
    )
    return Text(text=text.text[start:end], spans=spans)


def _join(texts: Sequence[Text], separator: str = " ") -> Text:
    parts: list[str] = []
    spans: list[Span] = []
    offset = 0
    for index, text in enumerate(texts):
        if index:
            parts.append(separator)
            offset += len(separator)
        parts.append(text.text)
        spans.extend(replace(span, start=span.start + offset, end=span.end + offset) for span in text.spans)
        offset += len(text.text)
    return Text(text="".join(parts), spans=tuple(spans))


def _text_or_none(value: str | None) -> Text | None:
    return Text.plain(value) if value else None
