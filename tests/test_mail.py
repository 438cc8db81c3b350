"""`--format email`: an .eml draft per language, ready for a mail client, with nothing fetched from anywhere."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

from conftest import EXAMPLES, release_folders
from test_cli import presskit

from toolkit.model import Paragraph, Release, Text
from toolkit.render.mail import render_mail_html


def test_email_format_writes_a_draft_with_text_html_and_the_pdf(tmp_path: Path) -> None:
    result = presskit("build", EXAMPLES / "kulturnacht.md", "--lang", "de", "--format", "email", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [folder] = release_folders(tmp_path / "output")
    assert sorted(path.name for path in folder.iterdir()) == ["de.eml", "manifest.json"]
    message = email.message_from_bytes((folder / "de.eml").read_bytes(), policy=policy.default)
    assert message["Subject"] == "Auenbrück lädt zur ersten Kulturnacht ein"
    assert message["X-Unsent"] == "1" and message["To"] is None
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Auenbrück, 10. September 2025" in text and "Petra Lindqvist" in text
    assert "Petra Lindqvist" in html and 'lang="de"' in html
    # Nothing a mail client would fetch, nothing it would drop.
    assert not re.search(r"<(?:img|link|script|style|table|iframe)\b|\bsrc=|url\(", html, re.IGNORECASE)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf" and attachment.get_filename().endswith("-de.pdf")
    assert attachment.get_content().startswith(b"%PDF-")


def test_email_html_escapes_the_release_text() -> None:
    hostile = '<img src="https://tracker.example/x.gif"> & <script>alert(1)</script>'
    release = Release(language="de", headline=Text.plain(hostile), body=(Paragraph(text=Text.plain(hostile)),))
    html = render_mail_html(release)
    assert "<img" not in html and "<script" not in html and "&lt;script&gt;" in html
