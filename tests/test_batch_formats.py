"""Batch runs over folders of mixed formats: every readable release is built, other files are named."""

from __future__ import annotations

from pathlib import Path

from conftest import release_folders
from test_cli import presskit
from test_read_formats import write_docx, write_eml


def test_batch_builds_documents_skips_unsupported_files_and_fails_only_the_corrupt_one(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_docx(inbox / "solarpark.docx")
    (inbox / "zahlen.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    (inbox / "kaputt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> trailing garbage")
    result = presskit("batch", inbox, "--lang", "de", "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "skipped:" in result.stderr and "zahlen.xlsx: unsupported file type '.xlsx'" in result.stderr
    assert "kaputt.pdf" in result.stderr and "Traceback" not in result.stderr
    [folder] = release_folders(tmp_path / "output")
    assert (folder / "de.pdf").read_bytes().startswith(b"%PDF-")
    assert "1 failed" in result.stdout


def test_build_reads_an_email_and_a_word_document(tmp_path: Path) -> None:
    for source in (write_eml(tmp_path / "mail.eml"), write_docx(tmp_path / "release.docx")):
        result = presskit("build", source, "--lang", "de", "--format", "html", "--out", tmp_path / source.stem, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        [folder] = release_folders(tmp_path / source.stem)
        assert "Solarpark" in (folder / "de.html").read_text("utf-8")
