"""The render stage's options: how the PDF is written (:class:`PdfOptions`) and the office's look (:class:`Branding`).

A leaf module: it imports only :mod:`toolkit.settings`, the model, the variant registry and the German phone and
e-mail helpers, so that the configuration, a batch's main process and the service can name these types without
loading the renderers or WeasyPrint.

``[branding]`` is written in the file in its own shape (``[branding.colors]``, ``[branding.boilerplate]``,
``[[branding.contacts]]``, phones and e-mails as written); :class:`BrandingTable` validates that shape and
:meth:`BrandingTable.branding` turns it into the :class:`Branding` the renderers use.

The configuration is trusted (it is the office's own file), but release text still never reaches the logo: the
renderer passes the logo's path itself, and the PDF's URL fetcher allows that one file, not its folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, InstanceOf, PlainValidator, StrictBool, ValidationError

from ..errors import RenderError
from ..german.addresses import deobfuscate_emails, parse_phone
from ..model import Boilerplate, Contact, Text
from ..settings.base import ConfigError, Number, OptionalLine, Section, describe, resolved_path
from .variants import DEFAULT_VARIANT, MAX_BLEED_MM, PAGE_SIZES, PageSize, PdfVariant, variant

__all__ = ["DEFAULT_ACCENT", "DEFAULT_PRIMARY", "LOGO_SUFFIXES", "MAX_LOGO_BYTES", "PAGE_SIZES", "Branding", "BrandingTable",
           "PdfOptions", "check_logo", "valid_color"]

DEFAULT_PRIMARY = "#1f3a5f"
DEFAULT_ACCENT = "#c8102e"
#: A logo is a small file; this keeps the inlined web page and the PDF sane.
MAX_LOGO_BYTES = 1024 * 1024
LOGO_SUFFIXES = {".svg": "image/svg+xml", ".png": "image/png"}

_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


# --- the PDF ---------------------------------------------------------------------------------------------------------


def _known_variant(name: str) -> str:
    variant(name)  # raises UnknownVariantError listing the choices
    return name


class PdfOptions(Section):
    """How to write the PDF (``[pdf]``); validated when created.

    ``bleed_mm`` (``bleed`` in the file): bleed on every side, with crop marks (print shops ask for 3 mm); 0 means a
    trimmed page without marks. ``attach_source``: embed the release as ``release.json``
    (:func:`toolkit.release_json.dumps`); PDF/A-3 allows this, PDF/A-2b drops non-PDF attachments.
    """

    variant: Annotated[str, AfterValidator(_known_variant)] = DEFAULT_VARIANT
    page_size: PageSize = "A4"
    bleed_mm: Annotated[Number, Field(alias="bleed", ge=0, le=MAX_BLEED_MM)] = 0.0
    attach_source: StrictBool = False

    @classmethod
    def invalid(cls, error: ValidationError) -> Exception:
        # In code (and from the command line) a wrong option is a render error; UnknownVariantError is one already.
        wrong = super().invalid(error)
        return RenderError(str(wrong)) if isinstance(wrong, ConfigError) else wrong

    @property
    def pdf_variant(self) -> PdfVariant:
        return variant(self.variant)

    @property
    def bleed(self) -> float:
        """``bleed_mm`` by its name in the file (``pdf.bleed``)."""
        return self.bleed_mm


# --- branding --------------------------------------------------------------------------------------------------------


def valid_color(value: Any) -> str:
    """``value`` lower-cased if it is ``#rgb`` or ``#rrggbb``; else ValueError.

    >>> valid_color("#1F3A5F")
    '#1f3a5f'
    """
    if not isinstance(value, str) or not _HEX_COLOR.fullmatch(value):
        raise ValueError(f"expected a colour as #rgb or #rrggbb, not {value!r}")
    return value.lower()


def check_logo(path: Path) -> Path:
    """``path`` if it is an SVG or PNG file of at most :data:`MAX_LOGO_BYTES` whose content is what its name says."""
    suffix = path.suffix.lower()
    if suffix not in LOGO_SUFFIXES:
        raise ValueError(f"the logo must be an SVG or PNG file, not {path.name!r}")
    if not path.is_file():
        raise ValueError(f"the logo file {str(path)!r} does not exist")
    size = path.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise ValueError(f"the logo file has {size} bytes, more than {MAX_LOGO_BYTES}")
    with path.open("rb") as stream:
        head = stream.read(4096)
    if suffix == ".png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError(f"{str(path)!r} is not a PNG file")
    if suffix == ".svg" and b"<svg" not in head:
        raise ValueError(f"{str(path)!r} is not an SVG file")
    return path


#: Only a validated ``#rgb``/``#rrggbb`` colour ever reaches CSS.
Color = Annotated[str, PlainValidator(valid_color)]
Logo = Annotated[Path, resolved_path, AfterValidator(check_logo)]


class Branding(Section):
    """The sender's look and standing texts, as the renderers use them."""

    organization: OptionalLine = None
    #: An existing SVG or PNG file (absolute once loaded from a file).
    logo: Logo | None = None
    logo_alt: OptionalLine = None
    primary_color: Color = DEFAULT_PRIMARY
    accent_color: Color = DEFAULT_ACCENT
    #: One line, under the letterhead and in the footer.
    address: OptionalLine = None
    #: Used when a release has no boilerplate of its own.
    boilerplate: InstanceOf[Boilerplate] | None = None
    #: Used when a release has no contacts of its own.
    contacts: tuple[InstanceOf[Contact], ...] = ()

    @property
    def alt_text(self) -> str:
        """The logo's alt text: ``logo_alt``, else the organization, else empty."""
        return self.logo_alt or self.organization or ""

    @property
    def logo_media_type(self) -> str | None:
        return LOGO_SUFFIXES[self.logo.suffix.lower()] if self.logo else None

    def display(self, name: str) -> str | None:
        if name == "boilerplate":
            return "yes" if self.boilerplate else "(none)"
        if name == "contacts":
            return str(len(self.contacts))
        return None


# --- [branding] as written in the file -------------------------------------------------------------------------------


def _string_or_list(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"expected a string or a list of strings, not {describe(value)}")
    return tuple(item.strip() for item in items if item.strip())


_StringOrList = Annotated[tuple[str, ...], PlainValidator(_string_or_list)]


class ColorsTable(Section):
    """``[branding.colors]``."""

    #: Rules, sender name, links, contact labels.
    primary: Color = DEFAULT_PRIMARY
    #: The logo rule, quote bars, contact boxes.
    accent: Color = DEFAULT_ACCENT


class BoilerplateTable(Section):
    """``[branding.boilerplate]``: paragraphs are separated by a blank line."""

    title: OptionalLine = None
    text: str = ""

    def boilerplate(self) -> Boilerplate | None:
        paragraphs = tuple(Text.plain(" ".join(part.split())) for part in _PARAGRAPH_BREAK.split(self.text) if part.strip())
        if self.title is None and not paragraphs:
            return None
        return Boilerplate(title=Text.plain(self.title) if self.title else None, paragraphs=paragraphs)


class ContactTable(Section):
    """One ``[[branding.contacts]]``; phone, email and url are a string or a list of strings."""

    label: OptionalLine = None
    organization: OptionalLine = None
    person: OptionalLine = None
    role: OptionalLine = None
    phone: _StringOrList = ()
    #: De-obfuscated: "presse [at] example [dot] de" is read as presse@example.de.
    email: _StringOrList = ()
    url: _StringOrList = ()

    def contact(self) -> Contact:
        return Contact(label=Text.plain(self.label) if self.label else None, organization=self.organization,
                       person=self.person, role=Text.plain(self.role) if self.role else None, phones=tuple(parse_phone(number) for number in self.phone),
                       emails=tuple(deobfuscate_emails(email) for email in self.email), urls=self.url)


class BrandingTable(Section):
    """``[branding]`` as written in ``presskit.toml``; the logo is relative to the file's folder."""

    organization: OptionalLine = None
    logo: Logo | None = None
    logo_alt: OptionalLine = None
    address: OptionalLine = None
    colors: ColorsTable = ColorsTable()
    boilerplate: BoilerplateTable | None = None
    contacts: tuple[ContactTable, ...] = ()

    def branding(self) -> Branding:
        return Branding(organization=self.organization, logo=self.logo, logo_alt=self.logo_alt, address=self.address,
                        primary_color=self.colors.primary, accent_color=self.colors.accent,
                        boilerplate=self.boilerplate.boilerplate() if self.boilerplate else None,
                        contacts=tuple(table.contact() for table in self.contacts))
