"""Apply an office's :class:`~toolkit.render.options.Branding` to a release and its pages.

Only three things from the configuration reach the output, each in a safe form:

* default boilerplate and contacts, as ordinary release content
  (:func:`apply_branding`), escaped like any release text;
* the colours, as a ``<style>`` block built from validated ``#rgb``/``#rrggbb``
  values only (:func:`branding_css`);
* the logo: for print, its absolute ``file:`` URL, which the PDF's
  :class:`~toolkit.render.fetch.SafeURLFetcher` allows as that one file; for the
  web page, a ``data:`` URI (:func:`logo_data_uri`) so the page stays one file.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from .options import Branding, valid_color
from ..model import Release

__all__ = ["apply_branding", "branding_css", "logo_data_uri"]


def apply_branding(release: Release, branding: Branding | None) -> Release:
    """``release`` with the branding's boilerplate and contacts where it has none.

    A release's own boilerplate or contacts always win; the sender's name and
    address are not release content and are handled by the renderer.
    """
    if branding is None:
        return release
    changes: dict[str, Any] = {}
    if release.boilerplate is None and branding.boilerplate is not None:
        changes["boilerplate"] = branding.boilerplate
    if not release.contacts and branding.contacts:
        changes["contacts"] = branding.contacts
    return replace(release, **changes) if changes else release


def logo_data_uri(branding: Branding) -> str | None:
    """The logo as a ``data:`` URI: SVG percent-encoded as it is, PNG in base64."""
    if branding.logo is None:
        return None
    data = branding.logo.read_bytes()
    if branding.logo_media_type == "image/svg+xml":
        return "data:image/svg+xml;charset=utf-8," + quote(data, safe="")
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def branding_css(branding: Branding) -> Markup:
    """The colour custom properties, from re-validated hex values only.

    >>> str(branding_css(Branding(primary_color="#123", accent_color="#abcdef")))
    ':root { --accent: #123; --brand-accent: #abcdef; }'
    """
    primary = valid_color(branding.primary_color)
    accent = valid_color(branding.accent_color)
    return Markup(f":root {{ --accent: {primary}; --brand-accent: {accent}; }}")
