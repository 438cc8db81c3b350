"""Render a :class:`~toolkit.model.Release` as HTML: the web page and the print sheet.

Both outputs come from the same Jinja2 structure (``templates/base.html.j2``);
``page.html.j2`` adds the inlined screen CSS, ``sheet.html.j2`` the print CSS
that WeasyPrint turns into the PDF (see :mod:`toolkit.render.pdf`).

Escaping is the rule everywhere: autoescape is on for every template, and
release text only becomes markup through :func:`rich_text`, which escapes
each piece of a :class:`~toolkit.model.Text` and adds links only for safe
URL schemes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup, escape

from ..errors import RenderError
from ..labels import (
    N_,
    babel_locale,
    format_long_date,
    format_short_time,
    translations_for,
)
from ..model import Release, Span, SpanKind, Text
from ..resources import templates_dir
from .branding import apply_branding, branding_css, logo_data_uri
from .options import Branding

__all__ = [
    "PAGE_LABEL",
    "css_string",
    "environment",
    "image_file",
    "issuer_of",
    "mailto_href",
    "page_counter_content",
    "render_html",
    "render_sheet_html",
    "rich_text",
    "safe_href",
    "tel_href",
]

Medium = Literal["screen", "print"]

# A language tag safe to put into a file name and an attribute ("de", "pt-BR").
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")

#: The footer label; its translation is turned into CSS counters, so it is
#: translated here rather than in a template (``pybabel`` finds the ``N_`` mark).
PAGE_LABEL = N_("Page %(page)s of %(pages)s")

# Schemes a reader may follow. Anything else (javascript:, data:, file:,
# relative paths) is printed as text, never made a link.
_SAFE_URL = re.compile(r"(?:https?://|mailto:)[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>\"'\x00-\x1f\x7f]+@[^@\s<>\"'\x00-\x1f\x7f]+\.[^@\s<>\"'\x00-\x1f\x7f]+")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_NAME_KINDS = frozenset({SpanKind.PERSON, SpanKind.ORGANIZATION})
_PAGE_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")
# An image path a web page may reference: relative, or on the web.
_WEB_IMAGE_SRC = re.compile(r"(?:https?://[^\s]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!//)[^\s\x00-\x1f]+)")


# --- links -------------------------------------------------------------------


def safe_href(url: str | None) -> str | None:
    """``url`` if a reader may follow it (http, https, mailto), else None.

    >>> safe_href("https://www.example.de/presse"), safe_href("javascript:alert(1)")
    ('https://www.example.de/presse', None)
    """
    if url is None:
        return None
    url = url.strip()
    return url if _SAFE_URL.fullmatch(url) else None


def mailto_href(address: str | None) -> str | None:
    """A ``mailto:`` link for a plausible e-mail address, else None.

    >>> mailto_href("presse@example.de"), mailto_href("presse [at] example.de")
    ('mailto:presse@example.de', None)
    """
    if address is None or not _EMAIL.fullmatch(address.strip()):
        return None
    return f"mailto:{address.strip()}"


def tel_href(e164: str | None) -> str | None:
    """A ``tel:`` link for an E.164 number, else None.

    >>> tel_href("+492118371134"), tel_href("0211 / 837-1134")
    ('tel:+492118371134', None)
    """
    if e164 is None or not _E164.fullmatch(e164):
        return None
    return f"tel:{e164}"


def web_image_src(src: str | None) -> str | None:
    """The image path for the web page: relative paths and http(s) URLs only.

    >>> web_image_src("bilder/wuest.jpg"), web_image_src("file:///etc/passwd"), web_image_src("../../etc/passwd")
    ('bilder/wuest.jpg', None, None)
    """
    if src is None or not _WEB_IMAGE_SRC.fullmatch(src.strip()):
        return None
    # A relative path stays below the page's folder: "../" or "/etc/…" would point the reader's browser elsewhere.
    if not re.match(r"^https?://", src.strip()) and (src.strip().startswith("/") or ".." in src.strip().split("/")):
        return None
    return src.strip()


# --- inline text ---------------------------------------------------------------


def _link(href: str, label: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, label)


def _printed_url(href: str) -> str:
    return href.removeprefix("mailto:")


def _render_span(piece: str, span: Span, medium: Medium) -> Markup:
    if span.kind is SpanKind.LINK:
        href = safe_href(span.value)
        if href is None:
            return escape(piece)
        printed = _printed_url(href)
        if medium == "print" and printed != piece.strip():
            # Paper cannot be clicked: print the target after the link text.
            return Markup("{} ({})").format(_link(href, piece), _link(href, printed))
        return _link(href, piece)
    if span.kind is SpanKind.URL:
        href = safe_href(span.value or piece)
        return _link(href, piece) if href else escape(piece)
    if span.kind is SpanKind.EMAIL:
        href = mailto_href(span.value or piece)
        return _link(href, piece) if href else escape(piece)
    if span.kind is SpanKind.PHONE:
        href = tel_href(span.value)
        return _link(href, piece) if href else escape(piece)
    if span.kind in _NAME_KINDS:
        # Proper names are not hyphenated ("Mi-crosoft"); see the .name CSS rule.
        return Markup('<span class="name">{}</span>').format(piece)
    return escape(piece)


def rich_text(text: Text | None, medium: Medium = "screen") -> Markup:
    """A :class:`Text` as escaped HTML, its link spans as links (Jinja filter ``rich``).

    >>> from toolkit.model import Text, SpanKind
    >>> t = Text.plain("Mehr <hier>.").mark("<hier>", SpanKind.LINK, "https://www.example.de")
    >>> str(rich_text(t, "print"))
    'Mehr <a href="https://www.example.de">&lt;hier&gt;</a> (<a href="https://www.example.de">https://www.example.de</a>).'
    """
    if text is None:
        return Markup("")
    return Markup("").join(
        escape(piece) if span is None else _render_span(piece, span, medium) for piece, span in text.spanned()
    )


# --- CSS generated from labels ---------------------------------------------------


def css_string(value: str) -> str:
    """``value`` as a double-quoted CSS string, safe inside an HTML ``<style>``.

    Quotes, backslashes, control characters and ``<>&`` become hex escapes,
    so neither the CSS string nor the ``<style>`` element can be closed early.

    >>> css_string('Seite "1" </style>')
    '"Seite \\\\22 1\\\\22  \\\\3c /style\\\\3e "'
    """
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>&' or ord(char) < 0x20 or ord(char) == 0x7F else char
        for char in value
    )
    return f'"{escaped}"'


def page_counter_content(label: str) -> str:
    """A CSS ``content`` value for a translated page label with placeholders.

    >>> page_counter_content("Seite %(page)s von %(pages)s")
    '"Seite " counter(page) " von " counter(pages)'
    """
    parts: list[str] = []
    position = 0
    for match in _PAGE_PLACEHOLDER.finditer(label):
        if match.start() > position:
            parts.append(css_string(label[position : match.start()].replace("%%", "%")))
        parts.append(f"counter({match.group(1)})")
        position = match.end()
    if position < len(label):
        parts.append(css_string(label[position:].replace("%%", "%")))
    return " ".join(parts) or '""'


# --- the template environment ------------------------------------------------------


@functools.cache
def environment(translations: Translations) -> Environment:
    """The Jinja2 environment for one label catalog, built once and reused.

    Keyed by the catalog object (cached per language by
    :func:`~toolkit.labels.translations_for`), so every render in a language
    shares one environment and its compiled templates, and no render ever
    swaps the translations of an environment another render is using.
    """
    env = Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        rich=rich_text,
        safe_href=safe_href,
        mailto_href=mailto_href,
        tel_href=tel_href,
        web_image_src=web_image_src,
        is_url_of=is_url_of,
        language_name=language_name,
    )
    return env


def language_name(tag: str) -> str:
    """A language's name in that language, as a language switch shows it.

    >>> language_name("de"), language_name("fr"), language_name("en-GB")
    ('Deutsch', 'Français', 'English (United Kingdom)')
    """
    try:
        locale = Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return tag
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


def is_url_of(text: str, href: str) -> bool:
    """Whether a link line's text is its address itself ("www.example.de/x"), so the sheet prints it once.

    >>> is_url_of("www.example.de/programm", "https://www.example.de/programm"), is_url_of("Programm", "https://x.de")
    (True, False)
    """
    def bare(value: str) -> str:
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", value.strip().lower()).rstrip("/")

    return bare(text) == bare(href)


# --- context ---------------------------------------------------------------------------


def issuer_of(release: Release) -> str | None:
    """Who issues the release: its issuer, else the first contact's organization."""
    if release.issuer:
        return release.issuer
    for contact in release.contacts[:1]:
        return contact.organization
    return None


def image_file(release: Release, assets_dir: Path | None) -> Path | None:
    """The release image's file when it exists inside ``assets_dir``; else None.

    ``src`` comes from the release, so ``../`` or an absolute path must not
    lead out of the assets folder.
    """
    image = release.image
    if image is None or not image.src or assets_dir is None:
        return None
    root = assets_dir.resolve()
    candidate = (root / image.src).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _branding_context(release: Release, branding: Branding | None, medium: Medium) -> dict[str, Any]:
    """The sender's part of the context; without branding, exactly today's values."""
    issuer = issuer_of(release)
    if branding is None:
        return {"issuer": issuer, "author": issuer, "logo_src": None, "logo_alt": "",
                "sender_address": None, "brand_css": None}
    if branding.logo is None:
        logo_src = None
    elif medium == "print":
        logo_src = branding.logo.as_uri()  # the PDF's fetcher allows exactly this file
    else:
        logo_src = logo_data_uri(branding)
    return {
        # The configured organization is the sender: letterhead and footer.
        "issuer": branding.organization or issuer,
        # The document author stays the release's own issuer when it names one.
        "author": release.issuer or branding.organization or issuer,
        "logo_src": logo_src,
        "logo_alt": branding.alt_text,
        "sender_address": branding.address,
        "brand_css": branding_css(branding),
    }


def _context(
    release: Release, translations: Translations, medium: Medium, branding: Branding | None = None
) -> dict[str, Any]:
    embargo = release.embargo
    return {
        "release": release,
        "medium": medium,
        "language": release.language,
        # <html dir>: Arabic, Persian, Hebrew, … are set right to left.
        "direction": "rtl" if babel_locale(release.language).character_order == "right-to-left" else "ltr",
        **_branding_context(release, branding, medium),
        "description": " / ".join(line.text for line in release.subheadline),
        "date_text": format_long_date(release.date, release.language) if release.date else None,
        "corrected_text": format_long_date(release.corrected, release.language) if release.corrected else "",
        "embargo_date_text": format_long_date(embargo.date, release.language) if embargo else None,
        "embargo_time_text": (
            format_short_time(embargo.time, release.language) if embargo and embargo.time else None
        ),
        "page_counter": Markup(page_counter_content(translations.gettext(PAGE_LABEL))),
    }


def _render(
    template_name: str, release: Release, medium: Medium, branding: Branding | None = None, **extra: Any
) -> str:
    release = apply_branding(release, branding)
    translations = translations_for(release.language)
    try:
        template = environment(translations).get_template(template_name)
        return template.render(**_context(release, translations, medium, branding), **extra)
    except TemplateError as error:
        raise RenderError(f"could not render {template_name}: {error}") from error


def render_template(template_name: str, release: Release, *, medium: Medium = "screen", branding: Branding | None = None,
                    **extra: Any) -> str:
    """``templates/<template_name>`` rendered for ``release`` with the sheet's context (labels, dates, branding)."""
    return _render(template_name, release, medium, branding, **extra)


def render_html(release: Release, *, branding: Branding | None = None, alternates: Sequence[str] = ()) -> str:
    """The release as a standalone web page (HTML5, CSS inlined).

    ``alternates`` are the languages of the other versions built beside this
    one; the page links them as ``<link rel="alternate" hreflang>`` to
    ``<lang>.html`` in the same folder.

    With ``branding`` (see :mod:`toolkit.config`) the letterhead shows the
    sender, the logo inlined as a ``data:`` URI, the address and the colours,
    and the release gets the default boilerplate/contacts it lacks.
    """
    others = [language for language in dict.fromkeys(alternates) if language != release.language and _LANGUAGE_TAG.fullmatch(language)]
    return _render("page.html.j2", release, "screen", branding, alternates=others)


def render_sheet_html(
    release: Release, *, assets_dir: Path | None = None, branding: Branding | None = None, link_stylesheet: bool = True
) -> str:
    """The print sheet's HTML, as WeasyPrint reads it.

    Relative URLs in it (the stylesheet) resolve against the templates folder;
    the image, when it exists under ``assets_dir``, is referenced by its
    absolute ``file:`` URL, and so is the branding's logo (the PDF's fetcher
    allows that one file; see :func:`toolkit.render.pdf.render_pdf`).
    ``link_stylesheet=False`` leaves out the link to ``sheet.css``, for a
    caller that hands WeasyPrint the stylesheet parsed once (as the PDF does).
    """
    image = image_file(release, assets_dir)
    return _render("sheet.html.j2", release, "print", branding, image_url=image.as_uri() if image else None,
                   link_sheet_css=link_stylesheet)
