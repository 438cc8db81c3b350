"""A corrected release: the earlier sheets are kept, the manifest counts versions, the sheet can say so."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES, release_folders
from test_cli import presskit


def test_a_corrected_release_keeps_the_earlier_files_and_counts_its_version(tmp_path: Path) -> None:
    source = tmp_path / "release.txt"
    text = (EXAMPLES / "wasserstoff-netz.txt").read_text("utf-8")
    source.write_text(text, encoding="utf-8")
    (tmp_path / "presskit.toml").write_text("[output]\nshow_version = true\n", encoding="utf-8")
    first = presskit("build", source, "--lang", "de", "--format", "html,json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    [folder] = release_folders(tmp_path / "output")
    original = (folder / "de.html").read_text("utf-8")
    assert json.loads((folder / "manifest.json").read_text("utf-8"))["release_version"] == 1
    assert 'class="version"' not in original

    unchanged = presskit("build", source, "--lang", "de", "--format", "html,json", cwd=tmp_path)
    assert unchanged.returncode == 0 and not (folder / "previous").exists(), "an unchanged source is no new version"

    source.write_text(text.replace("Kernnetz", "Wasserstoff-Kernnetz", 1), encoding="utf-8")
    corrected = presskit("build", source, "--lang", "de", "--format", "html,json", cwd=tmp_path)
    assert corrected.returncode == 0, corrected.stderr
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["release_version"] == 2 and manifest["release_corrected"]
    assert (folder / "previous" / "v1" / "de.html").read_text("utf-8") == original
    assert (folder / "previous" / "v1" / "manifest.json").is_file()
    assert "Fassung 2, korrigiert am" in (folder / "de.html").read_text("utf-8")
