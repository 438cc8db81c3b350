"""``presskit`` as a user runs it: a real process, real files, exit codes and one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, release_folders
from pypdf import PdfReader

PRESSKIT = Path(sys.executable).parent / "presskit"


def presskit(*args: str | Path, cwd: Path, packages: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run presskit with its data and Argos packages in private folders (by default: no models at all)."""
    packages = packages or cwd / "no-models"
    packages.mkdir(exist_ok=True)
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PRESSKIT_DATA_DIR": str(cwd / "data"),
           "ARGOS_PACKAGES_DIR": str(packages), "XDG_DATA_HOME": str(cwd / "xdg-data"), "XDG_CONFIG_HOME": str(cwd / "xdg-config")}
    return subprocess.run([str(PRESSKIT), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_build_writes_pdf_html_json_and_a_manifest_with_hashes(tmp_path: Path) -> None:
    result = presskit("build", EXAMPLES / "wasserstoff-netz.txt", "--lang", "de", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [folder] = release_folders(tmp_path / "output")
    assert folder.name == "2025-05-15-landesregierung-gibt-startschuss-fuer-das-wasserstoff"
    assert sorted(p.name for p in folder.iterdir()) == ["de.html", "de.json", "de.pdf", "manifest.json"]
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["slug"] == folder.name
    assert {entry["name"] for entry in manifest["files"]} == {"de.pdf", "de.html", "de.json"}
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
    pdf = PdfReader(folder / "de.pdf")
    assert pdf.metadata is not None
    assert pdf.metadata.title == "Landesregierung gibt Startschuss für das Wasserstoff-Kernnetz Westfalen"
    assert pdf.trailer["/Root"]["/Lang"] == "de"
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Pressekontakt" in text and "presse@stk.westfalen.example.de" in text
    assert f"Seite 1 von {len(pdf.pages)}" in text


def test_build_is_stable_and_keeps_earlier_formats_in_the_manifest(tmp_path: Path) -> None:
    source = EXAMPLES / "kulturnacht.md"
    assert presskit("build", source, "--format", "json", cwd=tmp_path).returncode == 0
    [folder] = release_folders(tmp_path / "output")
    first_json = (folder / "de.json").read_bytes()
    assert presskit("build", source, "--format", "html", "--out", "output", cwd=tmp_path).returncode == 0
    assert [p.name for p in release_folders(tmp_path / "output")] == [folder.name]
    assert (folder / "de.json").read_bytes() == first_json
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert [entry["name"] for entry in manifest["files"]] == ["de.html", "de.json"]
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_parse_prints_release_json(tmp_path: Path) -> None:
    result = presskit("parse", EXAMPLES / "kulturnacht.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    release = json.loads(result.stdout)
    assert release["schema"] == "press-toolkit/release"
    assert release["language"] == "de"


def test_parse_prints_the_encoding_warning_on_stderr(tmp_path: Path) -> None:
    source = tmp_path / "alt.txt"
    source.write_bytes("Verein eröffnet Büro\n\n3. Mai 2023\n\nDer Verein hat ein neues Büro in Köln.\n".encode("cp1252"))
    result = presskit("parse", source, cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout)["headline"]["text"] == "Verein eröffnet Büro"
    assert "warning:" in result.stderr and "Windows-1252" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not a text release"),
        ("nohead.txt", b"Pressemitteilung\n\n19. April 2024\n", "no release text found"),
        ("missing.txt", None, "file not found"),
        ("broken.md", b"---\nheadline: [\n---\nText.\n", "invalid YAML"),
        ("broken.json", b"{\"schema\": 1", "not valid JSON"),
    ],
)
def test_bad_input_gives_exit_code_1_and_one_clear_line(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    for command in (["parse", source], ["build", source]):
        result = presskit(*command, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"error: {source}: ")
        assert message in lines[0]
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()


def test_unknown_format_and_unknown_language_are_refused(tmp_path: Path) -> None:
    result = presskit("build", EXAMPLES / "kulturnacht.md", "--format", "pdf,docx", cwd=tmp_path)
    assert result.returncode == 1 and "unknown output format docx" in result.stderr
    result = presskit("build", EXAMPLES / "kulturnacht.md", "--lang", "xx-unknown", cwd=tmp_path)
    assert result.returncode == 1 and "unknown language 'xx-unknown'" in result.stderr
    assert not (tmp_path / "output").exists()


def test_wrong_usage_is_exit_code_2(tmp_path: Path) -> None:
    assert presskit("build", cwd=tmp_path).returncode == 2
    assert presskit("--version", cwd=tmp_path).stdout.startswith("presskit ")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ["April 19, 2024", "Friday, April 19, 2024", "EUR 3.2 billion", "May 22, 2024", "100,000",
                "+49 211 8371134", "+49 211 83701", "presse@stk.nrw.de", "nrwdirekt@nrw.de"]),
        ("fr", ["19 avril 2024", "vendredi 19 avril 2024", "3,2 milliards d’euros", "22 mai 2024", "100 000",
                "+49 211 8371134", "+49 211 83701"]),
    ],
)
def test_facts_lists_and_renders_the_seed(tmp_path: Path, seed_path: Path, locale: str, expected: list[str]) -> None:
    result = presskit("facts", seed_path, "--locale", locale, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # Compare with ordinary spaces: the renderings carry no-break spaces for print.
    output = result.stdout.replace("\u00a0", " ").replace("\u202f", " ")
    for rendering in expected:
        assert rendering in output, rendering
    assert "9 facts" in output
    for not_a_fact in ("Ende 2025", "Mitte März", "40-jährigen"):
        assert not_a_fact not in output


def test_facts_with_an_unknown_locale_is_one_error_line(tmp_path: Path) -> None:
    result = presskit("facts", EXAMPLES / "kulturnacht.md", "--locale", "xx", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: unsupported locale 'xx': Babel has no CLDR data for it"


def test_pdf_options_reach_the_pdf_and_bad_ones_are_one_line(tmp_path: Path) -> None:
    result = presskit("build", EXAMPLES / "kulturnacht.md", "--format", "pdf", "--page-size", "Letter", "--attach-source", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [folder] = release_folders(tmp_path / "output")
    pdf = PdfReader(folder / "de.pdf")
    assert [round(float(v)) for v in pdf.pages[0].mediabox] == [0, 0, 612, 792]
    assert "release.json" in pdf.attachments
    result = presskit("build", EXAMPLES / "kulturnacht.md", "--pdf-variant", "pdf/x-9", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: unknown PDF variant 'pdf/x-9'")


def test_build_with_a_branding_config(tmp_path: Path) -> None:
    result = presskit("build", EXAMPLES / "wasserstoff-netz.txt", "--format", "pdf,html", "--config", EXAMPLES / "presskit.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [folder] = release_folders(tmp_path / "output")
    text = "\n".join(page.extract_text() for page in PdfReader(folder / "de.pdf").pages)
    assert "Land Beispielland" in text
    assert 'src="data:image/svg+xml' in (folder / "de.html").read_text("utf-8")
    broken = tmp_path / "presskit.toml"
    broken.write_text("[branding]\norganisation = 'Tippfehler'\n", "utf-8")
    result = presskit("build", EXAMPLES / "wasserstoff-netz.txt", cwd=tmp_path)  # found in the current folder
    assert result.returncode == 1
    assert "organisation" in result.stderr and str(broken.name) in result.stderr
