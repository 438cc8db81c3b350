"""A release as an e-mail: an HTML part with inline styles, a plain-text part, the PDF attached, as an .eml draft.

Press offices send releases by e-mail. The HTML part carries its styles on
each element (mail clients drop stylesheets), loads nothing (no remote image,
font or stylesheet) and uses no table layout; the text part says the same for
clients that show text only. The draft has a subject and no recipients: the
office opens it in its mail client (``X-Unsent: 1``), adds the distribution
list and sends it.
"""

from __future__ import annotations

import textwrap
from email.message import EmailMessage
from email.policy import SMTP

from ..labels import format_long_date
from ..model import Heading, LinkLine, ListBlock, Paragraph, Quote, Release
from .html import render_template
from .options import Branding

__all__ = ["render_eml", "render_mail_html", "render_mail_text"]

_DEFAULT_ACCENT = "#1f3a5f"
_WIDTH = 72


def render_mail_html(release: Release, *, branding: Branding | None = None) -> str:
    """The HTML part: the release with inline styles only."""
    accent = branding.primary_color if branding is not None else _DEFAULT_ACCENT
    return render_template("mail.html.j2", release, medium="screen", branding=branding, accent=accent)


def render_mail_text(release: Release) -> str:
    """The plain-text part: headline, dateline, paragraphs wrapped at 72 characters, links written out, contacts."""
    lines = [release.headline.text, *(line.text for line in release.subheadline), ""]
    written_date = format_long_date(release.date, release.language) if release.date else None
    dateline = ", ".join(part for part in (release.place, written_date) if part)
    if dateline:
        lines += [dateline, ""]
    for block in release.body:
        if isinstance(block, (Paragraph, Heading)):
            lines += [*textwrap.wrap(block.text.text, _WIDTH), ""]
        elif isinstance(block, Quote):
            lines += [*(f"> {line}" for line in textwrap.wrap(block.text.text, _WIDTH - 2)), ""]
            if block.speaker and not block.attributed_in_text:
                lines += [f"  — {block.speaker.name}" + (f", {block.speaker.role.text}" if block.speaker.role else ""), ""]
        elif isinstance(block, ListBlock):
            lines += [*(f"- {item.text}" for item in block.items), ""]
        elif isinstance(block, LinkLine):
            lines += [block.text.text + (f" <{block.url}>" if block.url else ""), ""]
    if release.boilerplate:
        if release.boilerplate.title:
            lines.append(release.boilerplate.title.text)
        for paragraph in release.boilerplate.paragraphs:
            lines += [*textwrap.wrap(paragraph.text, _WIDTH), ""]
    for contact in release.contacts:
        lines.append(contact.label.text if contact.label else "")
        lines += [part for part in (contact.organization, contact.person, contact.role.text if contact.role else None) if part]
        lines += list(contact.address)
        lines += [phone.number for phone in contact.phones] + list(contact.emails) + list(contact.urls)
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def render_eml(release: Release, *, pdf: bytes | None = None, pdf_name: str = "release.pdf", branding: Branding | None = None) -> bytes:
    """An .eml draft: subject, text and HTML alternatives, the PDF attached."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = release.headline.text
    message["X-Unsent"] = "1"  # Outlook and Thunderbird open the file as a draft to send
    if branding is not None and branding.organization:
        message["X-Presskit-Sender"] = branding.organization
    message["Content-Language"] = release.language
    message.set_content(render_mail_text(release), subtype="plain", charset="utf-8")
    message.add_alternative(render_mail_html(release, branding=branding), subtype="html", charset="utf-8")
    if pdf is not None:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return message.as_bytes()
