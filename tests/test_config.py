"""presskit.toml beyond branding: settings per stage, their origins, presskit config show."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from test_cli import presskit

from toolkit.config import Config, ConfigError, load_config, read_config

FULL = """
[build]
languages = ["de", "en"]
formats = ["pdf", "json"]
jobs = 3

[translation]
glossaries = ["glossary-de-en.csv"]
do_not_translate = "do-not-translate.txt"
memory = "tm/memory.sqlite"
beam_size = 4
compute_type = "int8_float32"

[output]
directory = "archiv"
folder = "{year}/{slug}"

[pdf]
variant = "pdf/ua-1"
page_size = "Letter"
bleed = 3
attach_source = true

[service]
api_keys = ["0123456789abcdef0123"]
languages = ["de", "en"]
max_request_mb = 2
workers = 2
"""


@pytest.fixture
def office(tmp_path: Path) -> Path:
    for name in ("glossary-de-en.csv", "do-not-translate.txt"):
        (tmp_path / name).write_bytes((EXAMPLES / name).read_bytes())
    path = tmp_path / "presskit.toml"
    path.write_text(FULL, "utf-8")
    return path


def test_every_section_is_read_with_paths_relative_to_the_file(office: Path) -> None:
    config = read_config(office)
    folder = office.parent.resolve()
    assert config.build.languages == ("de", "en") and config.build.formats == ("pdf", "json") and config.build.jobs == 3
    assert config.translation.glossaries == (folder / "glossary-de-en.csv",)
    assert config.translation.memory_path == folder / "tm" / "memory.sqlite"
    assert config.translation.beam_size == 4 and config.translation.compute_type == "int8_float32"
    assert config.output.directory == folder / "archiv" and config.output.folder == "{year}/{slug}"
    assert (config.pdf.variant, config.pdf.page_size, config.pdf.bleed, config.pdf.attach_source) == ("pdf/ua-1", "Letter", 3, True)
    assert config.service.max_request_bytes == 2 * 1024 * 1024 and config.service.workers == 2
    assert config.origin("pdf.bleed") == str(office) and config.origin("translation.threads") == "default"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[pdf]\nbleed = \"3\"\n", r"pdf\.bleed: expected a number, not a string"),
        ("[pdf]\nbleed = 30\n", r"pdf\.bleed: must be between 0 and 10"),
        ("[pdf]\nvariant = \"pdf/x-4\"\n", r"pdf\.variant: unknown PDF variant 'pdf/x-4'"),
        ("[build]\nlanguages = [\"de\", \"xx\"]\n", r"build\.languages: unknown language 'xx'"),
        ("[build]\nformats = [\"docx\"]\n", r"build\.formats: unknown format docx"),
        ("[build]\njobs = true\n", r"build\.jobs: expected a whole number, not a boolean"),
        ("[build]\nlangauges = [\"de\"]\n", r"build\.langauges: unknown key"),
        ("[output]\nfolder = \"{title}\"\n", r"output\.folder: unknown field \{title\}"),
        ("[output]\nfolder = \"../{slug}\"\n", r"output\.folder: the pattern must stay inside"),
        ("[translation]\nglossaries = [\"missing-de-en.csv\"]\n", r"translation\.glossaries: no such file"),
        ("[service]\napi_keys = [\"short\"]\n", r"service\.api_keys: an API key needs at least 16 characters"),
        ("[servce]\nworkers = 2\n", r"servce: unknown key"),
        # TOML is typed: no quiet conversion of a string or a fraction into a number
        ("[translation]\nbeam_size = \"two\"\n", r"translation\.beam_size: expected a whole number, not a string \('two'\)"),
        ("[translation]\nbeam_size = 2.5\n", r"translation\.beam_size: expected a whole number, not a number \(2\.5\)"),
        ("[translation]\nbeam_size = 20\n", r"translation\.beam_size: must be between 1 and 16, not 20"),
        ("[output]\nshow_version = \"yes\"\n", r"output\.show_version: expected true or false, not a string"),
        ("[pdf]\nbleed_mm = 3\n", r"pdf\.bleed_mm: unknown key; allowed here: attach_source, bleed, page_size, variant"),
    ],
)
def test_wrong_settings_are_errors_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "presskit.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        read_config(path)
    assert str(raised.value).startswith(str(path))


def test_environment_overrides_the_api_keys(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSKIT_API_KEYS", "fedcba9876543210fedc, second-key-0123456789")
    config = load_config(office)
    assert config.service.api_keys == ("fedcba9876543210fedc", "second-key-0123456789")
    assert config.origin("service.api_keys") == "environment PRESSKIT_API_KEYS"


def test_override_keeps_the_rest_and_notes_the_origin() -> None:
    config = Config().override("build.languages", ("de", "fr"), "--lang")
    assert config.build.languages == ("de", "fr") and config.build.formats == Config().build.formats
    assert config.origin("build.languages") == "--lang"
    assert Config().override("build.languages", None, "--lang") == Config()
    with pytest.raises(KeyError):
        Config().override("build.colour", "x", "--x")


def test_an_option_is_checked_like_the_same_key_in_the_file() -> None:
    with pytest.raises(ConfigError, match=r"^unknown value 'A5'; choose 'A4' or 'Letter' \(--page-size\)$"):
        Config().override("pdf.page_size", "A5", "--page-size")
    assert Config().override("pdf.bleed", 3.0, "--bleed").pdf.bleed_mm == 3.0


def test_config_show_prints_values_and_where_they_came_from(office: Path) -> None:
    result = presskit("config", "show", "--config", office, cwd=office.parent)
    assert result.returncode == 0, result.stderr
    rows = {line.split("│")[0].strip(): [cell.strip() for cell in line.split("│")[1:]] for line in result.stdout.splitlines() if "│" in line}
    assert rows["pdf.variant"] == ["pdf/ua-1", str(office)]
    assert rows["translation.threads"] == ["0", "default"]
    assert rows["service.api_keys"] == ["1 key(s)", str(office)]  # never the key itself
    assert "0123456789abcdef0123" not in result.stdout


def test_build_takes_the_file_found_in_the_current_folder_with_options_on_top(office: Path) -> None:
    result = presskit("config", "show", cwd=office.parent)  # found as ./presskit.toml
    assert result.returncode == 0, result.stderr
    assert str(office) in result.stdout
    built = presskit("build", EXAMPLES / "kulturnacht.md", "--format", "json", "--lang", "de", cwd=office.parent)
    assert built.returncode == 0, built.stderr
    [folder] = (office.parent / "archiv" / "2025").iterdir()  # output.directory and output.folder from the file
    assert folder.name == "2025-09-10-auenbrueck-laedt-zur-ersten-kulturnacht-ein"
    assert sorted(p.name for p in folder.iterdir()) == ["de.json", "manifest.json"]  # --format json over formats = pdf, json


def test_a_short_api_key_in_the_environment_is_refused_like_one_in_the_file(tmp_path: Path) -> None:
    """The same 16-character rule wherever a key is set: `PRESSKIT_API_KEYS=short` does not start a service."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PRESSKIT_API_KEYS": "short", "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    presskit_command = Path(sys.executable).parent / "presskit"
    result = subprocess.run([str(presskit_command), "serve", "--port", "0"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "environment PRESSKIT_API_KEYS: an API key has 5 characters; use at least 16" in result.stderr


def test_config_init_writes_a_commented_file_that_reads_as_the_defaults(tmp_path: Path) -> None:
    import subprocess
    import sys

    presskit_command = Path(sys.executable).parent / "presskit"
    target = tmp_path / "presskit.toml"
    first = subprocess.run([str(presskit_command), "config", "init", str(target)], capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    text = target.read_text("utf-8")
    assert "[translation]" in text and "# glossaries" in text and "api_keys" in text
    shown = subprocess.run([str(presskit_command), "config", "show", "--config", str(target)], capture_output=True, text=True,
                           timeout=60)
    assert shown.returncode == 0, shown.stderr
    again = subprocess.run([str(presskit_command), "config", "init", str(target)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "already exists; use --force" in again.stderr
