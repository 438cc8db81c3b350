"""presskit batch: many releases, resume and idempotence, a broken release, kill -9 mid-run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from argos_fixture import FixturePairs
from conftest import EXAMPLES, release_folders
from lxml import etree
from pypdf import PdfReader
from test_cli import PRESSKIT, presskit

sys.path.insert(0, str(EXAMPLES))
from make_batch import write_variations

from toolkit.batch import RunOptions, find_releases, run_batch
from toolkit.errors import PressToolkitError
from toolkit.files import OutputLockedError, output_lock, sha256_of
from toolkit.write import MANIFEST_NAME


def snapshot(out_dir: Path) -> dict[str, int]:
    """Every output file (not the lock) with its modification time in nanoseconds."""
    return {str(p.relative_to(out_dir)): p.stat().st_mtime_ns for p in sorted(out_dir.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def assert_manifests_right(out_dir: Path, expected_names: set[str]) -> None:
    """Every release folder has a manifest listing exactly the expected files, each with its real SHA-256 and size."""
    for folder in release_folders(out_dir):
        manifest = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
        listed = {entry["name"]: entry for entry in manifest["files"]}
        assert set(listed) == expected_names, folder
        for name, entry in listed.items():
            data = (folder / name).read_bytes()
            assert entry["sha256"] == sha256_of(data) and entry["size"] == len(data), f"{folder.name}/{name}"
        assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def assert_complete_pdfs(out_dir: Path) -> int:
    pdfs = sorted(out_dir.rglob("*.pdf"))
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), f"truncated: {pdf}"
        assert len(PdfReader(pdf).pages) >= 1
    return len(pdfs)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    write_variations(6, folder)
    return folder


def test_find_releases_takes_text_and_markdown_recursively_and_skips_hidden_and_output(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("one.txt", "a/two.md", "a/b/three.markdown", ".hidden.txt", "a/picture.jpg", "output/old.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    found = find_releases(tmp_path, exclude=[tmp_path / "output"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/b/three.markdown", "a/two.md", "one.txt"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(PressToolkitError, match="empty: no releases"):
        find_releases(tmp_path / "empty")
    with pytest.raises(PressToolkitError, match="missing: no such folder"):
        find_releases(tmp_path / "missing")


def test_second_run_does_no_work_and_an_edit_rebuilds_only_that_release(
    installed_pairs: FixturePairs, argos_home: Path, tmp_path: Path, inbox: Path
) -> None:
    first = presskit("batch", inbox, "--lang", "de,en,fr", "--jobs", "2", cwd=tmp_path, packages=argos_home)
    assert first.returncode == 0, first.stderr
    out_dir = tmp_path / "output"
    assert len(release_folders(out_dir)) == 6
    assert "6 releases: 6 built" in first.stdout
    for stage in ("reading", "translating", "rendering"):
        assert stage in first.stderr  # the progress bars
    assert_manifests_right(out_dir, {f"{lang}.{fmt}" for lang in ("de", "en", "fr") for fmt in ("pdf", "html", "json")}
                           | {"en.qa.json", "fr.qa.json"})
    before = snapshot(out_dir)

    second = presskit("batch", inbox, "--lang", "de,en,fr", cwd=tmp_path, packages=argos_home)
    assert second.returncode == 0, second.stderr
    assert "Nothing to do" in second.stdout
    assert snapshot(out_dir) == before  # not a single file touched, manifests included

    edited = inbox / "kulturnacht-004.md"
    edited.write_text(edited.read_text("utf-8").replace("Busse und Fähre", "Busse, Bahnen und Fähre"), "utf-8")
    third = presskit("batch", inbox, "--lang", "de,en,fr", cwd=tmp_path, packages=argos_home)
    assert third.returncode == 0, third.stderr
    assert "1 built, 5 up to date" in third.stdout
    after = snapshot(out_dir)
    changed = {name.split("/")[0] for name in after if after[name] != before.get(name)}
    [folder] = [f.name for f in release_folders(out_dir) if "nummer-4" in f.name]
    assert changed == {folder}
    changed_files = {name.split("/")[1] for name in after if after[name] != before.get(name)}
    assert {"de.pdf", "en.pdf", "fr.pdf", MANIFEST_NAME} <= changed_files
    assert "Busse, Bahnen und Fähre" in (out_dir / folder / "de.json").read_text("utf-8")


def test_a_reviewed_memory_entry_rebuilds_the_languages_that_use_it(
    installed_pairs: FixturePairs, argos_home: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "kulturnacht.md", inbox)
    assert presskit("batch", inbox, "--lang", "de,en", "--format", "pdf,json", cwd=tmp_path, packages=argos_home).returncode == 0
    before = snapshot(tmp_path / "output")
    tmx = tmp_path / "de-en.tmx"
    assert presskit("memory", "export", tmx, "--from", "de", "--to", "en", cwd=tmp_path).returncode == 0
    tree = etree.parse(str(tmx))
    namespace = "{http://www.w3.org/XML/1998/namespace}lang"
    unit = next(tu for tu in tree.iter("tu") if "Kulturnacht" in "".join(tu.find(f"tuv[@{namespace}='de']/seg").itertext()))
    unit.find(f"tuv[@{namespace}='en']/seg").text = "The reviewers wrote this sentence about the culture night."
    tree.write(str(tmx), encoding="utf-8", xml_declaration=True)
    assert presskit("memory", "import", tmx, cwd=tmp_path).returncode == 0

    result = presskit("batch", inbox, "--lang", "de,en", "--format", "pdf,json", cwd=tmp_path, packages=argos_home)
    assert result.returncode == 0, result.stderr
    after = snapshot(tmp_path / "output")
    changed = sorted(name.split("/")[1] for name in after if after[name] != before[name])
    assert changed == ["en.json", "en.pdf", "en.qa.json", MANIFEST_NAME]
    [folder] = release_folders(tmp_path / "output")
    assert "The reviewers wrote this sentence about the culture night." in (folder / "en.json").read_text("utf-8")


def test_changed_pdf_options_rebuild_only_the_pdfs(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_variations(2, inbox)
    assert presskit("batch", inbox, "--lang", "de", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "output")
    result = presskit("batch", inbox, "--lang", "de", "--page-size", "Letter", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    after = snapshot(tmp_path / "output")
    assert sorted({name.split("/")[1] for name in after if after[name] != before[name]}) == ["de.pdf", MANIFEST_NAME]


def test_a_broken_release_is_reported_and_skipped_and_the_others_complete(tmp_path: Path, inbox: Path) -> None:
    (inbox / "leer.txt").write_text("", "utf-8")
    (inbox / "kaputt.md").write_text("---\nheadline: [unclosed\n---\nText\n", "utf-8")
    result = presskit("batch", inbox, "--lang", "de", cwd=tmp_path)
    assert result.returncode == 1
    assert f"{inbox / 'leer.txt'}: file is empty" in result.stderr
    assert "kaputt.md" in result.stderr
    assert "6 built" in result.stdout and "2 failed" in result.stdout
    assert len(release_folders(tmp_path / "output")) == 6
    assert "Traceback" not in result.stderr


def test_a_missing_model_fails_those_releases_and_writes_nothing_for_them(tmp_path: Path, inbox: Path) -> None:
    result = presskit("batch", inbox, "--lang", "de,pl", cwd=tmp_path)
    assert result.returncode == 1
    assert "presskit models install" in result.stderr
    assert not (tmp_path / "output").exists() or not release_folders(tmp_path / "output")


def test_output_folder_layout_from_the_configuration(tmp_path: Path, inbox: Path) -> None:
    (tmp_path / "presskit.toml").write_text('[output]\ndirectory = "archiv"\nfolder = "{year}/{month}/{slug}"\n', "utf-8")
    result = presskit("batch", inbox, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    years = sorted(p.name for p in release_folders(tmp_path / "archiv"))
    assert years == ["2025"]
    assert sorted(p.name for p in (tmp_path / "archiv" / "2025").iterdir()) == ["05", "09"]
    assert len(list((tmp_path / "archiv").rglob("de.json"))) == 6


def test_two_releases_with_the_same_folder_are_an_error_not_an_overwrite(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(EXAMPLES / "kulturnacht.md", inbox / "a.md")
    shutil.copy(EXAMPLES / "kulturnacht.md", inbox / "b.md")
    result = run_batch(find_releases(inbox), RunOptions(out_dir=tmp_path / "out", formats=("json",)))
    assert [outcome.status for outcome in result.releases] == ["built", "failed"]
    assert "same date and headline as" in str(result.releases[1].error)


def test_kill_9_mid_batch_leaves_complete_files_and_the_rerun_completes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_variations(12, inbox)
    out_dir = tmp_path / "output"
    env = {**os.environ, "PRESSKIT_DATA_DIR": str(tmp_path / "data"), "ARGOS_PACKAGES_DIR": str(tmp_path / "no-models"),
           "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "COLUMNS": "200"}
    process = subprocess.Popen([str(PRESSKIT), "batch", str(inbox), "--lang", "de", "--format", "pdf,html", "--jobs", "2"],
                               cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(out_dir.rglob("*.pdf"))) < 3:
            time.sleep(0.02)
        assert process.poll() is None, "the batch finished before it could be killed; make it longer"
        os.killpg(process.pid, signal.SIGKILL)  # the CLI and its render workers, mid-write
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    written = assert_complete_pdfs(out_dir)
    assert 3 <= written < 12

    rerun = presskit("batch", inbox, "--lang", "de", "--format", "pdf,html", "--jobs", "2", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert assert_complete_pdfs(out_dir) == 12
    assert_manifests_right(out_dir, {"de.pdf", "de.html"})
    again = presskit("batch", inbox, "--lang", "de", "--format", "pdf,html", cwd=tmp_path)
    assert "Nothing to do" in again.stdout


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(tmp_path: Path, inbox: Path) -> None:
    with output_lock(tmp_path / "output"), pytest.raises(OutputLockedError, match="another presskit run is writing here"):
        run_batch(find_releases(inbox), RunOptions(out_dir=tmp_path / "output", formats=("json",)))
    assert run_batch(find_releases(inbox), RunOptions(out_dir=tmp_path / "output", formats=("json",))).failed == []
