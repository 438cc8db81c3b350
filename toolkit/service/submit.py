"""A submitted release: its bytes, its declared type and the languages asked for.

Two ways in, both bounded by :class:`~toolkit.service.security.BodyLimitMiddleware`:

* a **raw body** whose ``Content-Type`` declares the type: ``text/plain``
  (a release as a web page or an e-mail gives it), ``text/markdown``
  (Markdown with front matter) or ``application/json`` (release JSON); a
  ``charset`` other than UTF-8 is converted to UTF-8. Only a text encoding
  is a charset (:func:`text_codec`): ``rot13``, ``base64``, ``zlib`` and the
  other codecs Python also looks up are refused with 415, like an unknown name;
* a **multipart form** (the web page, ``curl -F``) with a ``file`` or a
  ``text`` field, an optional ``format`` (``text``, ``markdown``, ``json``;
  otherwise the file's suffix, or for pasted text its first characters,
  decide) and ``languages``.

Languages must be ones the service offers: configured (``service.languages``)
and with an installed route from the release language
(:mod:`toolkit.service.offer`); a configured language without one is refused
with :class:`LanguageUnavailable`, so no job is queued that cannot be built.
Each problem is a :class:`SubmissionError` with the HTTP status to answer.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import get_args

from starlette.datastructures import FormData, UploadFile

from ..errors import PressToolkitError
from ..languages import check_language
from ..read.container import sniff
from .offer import LanguageOffer
from .store import SourceKind

__all__ = [
    "MEDIA_TYPES",
    "LanguageUnavailable",
    "Submission",
    "SubmissionError",
    "check_form_charset",
    "detect_kind",
    "from_form",
    "from_raw",
    "parse_languages",
    "text_codec",
]

#: Content types of a raw body, and the release type each declares.
MEDIA_TYPES: dict[str, SourceKind] = {
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/json": "json",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/html": "html",
    "application/pdf": "pdf",
    "message/rfc822": "email",
}
_SUFFIXES: dict[str, SourceKind] = {
    "": "text", ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".json": "json", ".docx": "docx",
    ".odt": "odt", ".html": "html", ".htm": "html", ".pdf": "pdf", ".eml": "email",
}
#: Types whose bytes are a document, not text in a charset.
_BINARY_KINDS = frozenset({"docx", "odt", "pdf"})
_SNIFFED: dict[str, SourceKind] = {".docx": "docx", ".odt": "odt", ".pdf": "pdf"}
_BOM = b"\xef\xbb\xbf"
#: Codecs that decode bytes to text but are no charset a sender declares: escape sequences, host-name
#: encodings, Python's placeholders. (Bytes-to-bytes codecs such as base64 and zlib are no text encoding at all.)
_NOT_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "charmap"})
#: Longer than any charset's name: not looked up.
_MAX_CHARSET_NAME = 40


class SubmissionError(PressToolkitError):
    """A submission the service cannot take; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class LanguageUnavailable(SubmissionError):
    """A configured language no installed model (nor two through English) translates into from the release language."""

    def __init__(self, language: str, source: str, missing: Sequence[str]) -> None:
        self.language = language
        self.source = source
        self.missing = tuple(missing)
        packages = f" (missing: {', '.join(self.missing)})" if self.missing else ""
        super().__init__(
            422,
            f"language {_shown(language)} cannot be built: no translation model from {source} to {language} is installed "
            f"on this service{packages}; ask the service's administrator to install it",
        )


@dataclass(frozen=True, kw_only=True)
class Submission:
    data: bytes
    kind: SourceKind
    languages: tuple[str, ...]


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def parse_languages(values: Iterable[str], offered: Sequence[str] | LanguageOffer) -> tuple[str, ...]:
    """The languages asked for (repeated and/or comma-separated), each one the service offers.

    >>> parse_languages(["en,FR", "en"], ["de", "en", "fr"])
    ('en', 'fr')
    >>> parse_languages(["es"], LanguageOffer(("de", "en"), {"es": ("translate-en_es",)}))
    Traceback (most recent call last):
    toolkit.service.submit.LanguageUnavailable: language 'es' cannot be built: no translation model from de to es is installed on this service (missing: translate-en_es); ask the service's administrator to install it
    """
    offer = offered if isinstance(offered, LanguageOffer) else LanguageOffer(tuple(offered))
    by_folded = {language.lower(): language for language in (*offer.offered, *offer.missing)}
    choices = ", ".join(offer.offered)
    asked = [part.strip() for value in values for part in value.split(",") if part.strip()]
    if not asked:
        raise SubmissionError(422, f"no language given; ask for one or more of {choices} (languages=en,fr)")
    chosen: list[str] = []
    for code in asked:
        language = by_folded.get(code.lower())
        if language is None:
            try:
                check_language(code)
            except PressToolkitError:
                raise SubmissionError(422, f"unknown language {_shown(code)}; this service offers {choices}") from None
            raise SubmissionError(422, f"language {_shown(code)} is not offered by this service; it offers {choices}")
        if language in offer.missing:
            raise LanguageUnavailable(language, offer.source, offer.missing[language])
        if language not in chosen:
            chosen.append(language)
    return tuple(chosen)


def _media_type(content_type: str) -> tuple[str, dict[str, str]]:
    """``text/plain; charset=UTF-8`` → ``('text/plain', {'charset': 'UTF-8'})``."""
    media_type, *parameters = content_type.split(";")
    options = {}
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        options[name.strip().lower()] = value.strip().strip('"')
    return media_type.strip().lower(), options


def _checked(data: bytes) -> bytes:
    if not data.replace(_BOM, b"", 1).strip():
        raise SubmissionError(422, "the release is empty")
    return data


def text_codec(charset: str) -> codecs.CodecInfo:
    """The codec of a declared ``charset``: a text encoding, which decodes bytes to text, or a 415.

    ``codecs.lookup`` also finds ``rot13``, ``base64``, ``hex``, ``zlib``,
    ``bz2``, ``quopri`` and ``uu``, which turn bytes into bytes or text into
    text, and ``bytes.decode`` then fails in ways no text encoding does.

    >>> text_codec("Latin-1").name, text_codec("utf8").name
    ('iso8859-1', 'utf-8')
    >>> text_codec("rot13")
    Traceback (most recent call last):
    toolkit.service.submit.SubmissionError: charset 'rot13' is not a text encoding; send UTF-8, or name the charset the text is in (ISO-8859-1, windows-1252 …)
    """
    try:
        if len(charset) > _MAX_CHARSET_NAME:
            raise LookupError(charset)
        codec = codecs.lookup(charset)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise SubmissionError(415, f"unknown charset {_shown(charset)}; send UTF-8") from None
    # CodecInfo._is_text_encoding is False for every codec that does not decode bytes to str (Python's own marker).
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_CHARSETS:
        raise SubmissionError(
            415,
            f"charset {_shown(charset)} is not a text encoding; send UTF-8, "
            "or name the charset the text is in (ISO-8859-1, windows-1252 …)",
        )
    return codec


def check_form_charset(content_type: str) -> None:
    """A form's ``charset`` parameter, if it has one, names a text encoding (else :class:`SubmissionError` 415)."""
    charset = _media_type(content_type)[1].get("charset")
    if charset:
        text_codec(charset)


def _to_utf8(data: bytes, charset: str | None) -> bytes:
    """The body as UTF-8; a declared charset other than UTF-8 is decoded first (without one, the reader guesses)."""
    if not charset:
        return data
    codec = text_codec(charset)
    if codec.name == "utf-8":
        return data
    try:
        text = data.decode(codec.name)
    except UnicodeError as error:
        where = f" (byte {error.start})" if isinstance(error, UnicodeDecodeError) else ""
        raise SubmissionError(422, f"the release is not valid {codec.name}{where}") from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:  # UTF-7 and a few others can spell half of a surrogate pair
        raise SubmissionError(
            422, f"the release is not valid {codec.name}: character {error.start} is half of a surrogate pair, not text"
        ) from None


def from_raw(data: bytes, content_type: str | None, languages: Iterable[str], offered: Sequence[str] | LanguageOffer) -> Submission:
    media_type, options = _media_type(content_type or "")
    kind = MEDIA_TYPES.get(media_type)
    if kind is None:
        raise SubmissionError(
            415,
            f"unsupported Content-Type {_shown(media_type or '(none)')}; send the release as "
            f"{', '.join(MEDIA_TYPES)} or as multipart/form-data",
        )
    chosen = parse_languages(languages, offered)
    if kind not in _BINARY_KINDS:
        data = _to_utf8(data, options.get("charset"))
    return Submission(data=_checked(data), kind=kind, languages=chosen)


def detect_kind(data: bytes, filename: str | None, declared: str | None = None) -> SourceKind:
    """The release type: declared (``text``, ``markdown``, ``json``), else by file suffix, else by the text's start.

    >>> detect_kind(b"---\\nheadline: X\\n---\\nText", None), detect_kind(b"{}", None), detect_kind(b"x", "a.md")
    ('markdown', 'json', 'markdown')
    """
    if declared and declared != "auto":
        if declared not in get_args(SourceKind):
            raise SubmissionError(422, f"unknown format {_shown(declared)}; use {', '.join(get_args(SourceKind))}")
        return declared  # type: ignore[return-value]  # checked above
    if filename:
        suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
        kind = _SUFFIXES.get(suffix)
        if kind is None:
            raise SubmissionError(415, f"unsupported file type {_shown(suffix)}; upload {', '.join(s for s in _SUFFIXES if s)}")
        return kind
    sniffed = sniff(data)
    if sniffed in _SNIFFED:
        return _SNIFFED[sniffed]
    start = data.removeprefix(_BOM).lstrip()
    if start.startswith(b"---"):
        return "markdown"
    if start.startswith(b"{"):
        return "json"
    return "text"


async def from_form(form: FormData, offered: Sequence[str] | LanguageOffer, *, languages: Iterable[str] = ()) -> Submission:
    """A multipart submission: ``file`` or ``text``, optional ``format``, ``languages`` (form fields and ``languages``)."""
    upload = form.get("file")
    text = form.get("text")
    declared = form.get("format")
    data = b""
    filename: str | None = None
    if isinstance(upload, UploadFile) and (upload.filename or upload.size):
        data = await upload.read()
        filename = upload.filename or None
    try:
        pasted = text.encode("utf-8") if isinstance(text, str) else b""
    except UnicodeEncodeError as error:  # a form in UTF-7 can spell half of a surrogate pair
        raise SubmissionError(
            422, f"the pasted text is not valid: character {error.start} is half of a surrogate pair, not text"
        ) from None
    if data.strip() and pasted.strip():
        raise SubmissionError(422, "paste the release or upload a file, not both")
    if not data.strip():
        data, filename = pasted, None
    chosen = parse_languages([*languages, *(value for value in form.getlist("languages") if isinstance(value, str))], offered)
    kind = detect_kind(_checked(data), filename, declared if isinstance(declared, str) else None)
    return Submission(data=data, kind=kind, languages=chosen)
