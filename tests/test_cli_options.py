"""The command line's options reach the settings and the run as the user meant them (in process, Typer's CliRunner)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

import toolkit.batch
import toolkit.builder
from toolkit.cli import app
from toolkit.config import Config

SOURCE = EXAMPLES / "wasserstoff-netz.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An office's presskit.toml in the working folder: French by default, Letter pages, beam 4."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "presskit.toml").write_text('[build]\nlanguages = ["de", "fr"]\n[pdf]\npage_size = "Letter"\n'
                                            "[translation]\nbeam_size = 4\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def captured_build(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Stands in for the build itself: records what the command hands it, builds nothing."""
    seen: dict[str, Any] = {}

    def record(source: Path, config: Config, **kwargs: Any) -> Any:
        seen.update(source=source, config=config, **kwargs)
        raise SystemExit(0)  # the command's work ends here; its option mapping is what is under test

    monkeypatch.setattr(toolkit.builder, "build_with_config", record)
    return seen


def test_build_options_lay_over_the_configuration_and_say_where_they_came_from(
    runner: CliRunner, office: Path, captured_build: dict[str, Any]
) -> None:
    result = runner.invoke(app, ["build", str(SOURCE), "--lang", "EN,fr", "--page-size", "A4", "--bleed", "3", "--out",
                                 "sheets", "--date", "2024-04-19"])
    assert result.exit_code == 0, result.output
    config: Config = captured_build["config"]
    assert config.build.languages == ("en", "fr")  # normalized once
    assert config.pdf.page_size == "A4" and config.pdf.bleed_mm == 3
    assert config.translation.beam_size == 4  # from the file: not given on the command line
    assert config.output.directory == Path("sheets")
    assert (config.origin("pdf.page_size"), config.origin("translation.beam_size"), config.origin("build.formats")) == (
        "--page-size", str(office / "presskit.toml"), "default")
    assert captured_build["date"] == dt.date(2024, 4, 19)


def test_translate_writes_json_only_into_the_languages_asked_for(runner: CliRunner, office: Path,
                                                                  captured_build: dict[str, Any]) -> None:
    result = runner.invoke(app, ["translate", str(SOURCE), "--to", "en", "--beam-size", "2", "--threads", "1"])
    assert result.exit_code == 0, result.output
    config: Config = captured_build["config"]
    assert config.build.languages == ("en",) and config.build.formats == ("json",)
    assert (config.translation.beam_size, config.translation.threads) == (2, 1)


def test_a_bad_option_value_is_one_line_naming_the_option(runner: CliRunner, office: Path, captured_build: dict[str, Any]) -> None:
    result = runner.invoke(app, ["build", str(SOURCE), "--page-size", "A5"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "A5" in lines[0] and "--page-size" in lines[0]
    assert captured_build == {}  # nothing was built
    result = runner.invoke(app, ["build", str(SOURCE), "--lang", "Deutsch"])
    assert result.exit_code == 1 and "did you mean de?" in result.output


def test_batch_hands_the_run_one_options_object_made_from_the_settings(runner: CliRunner, office: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def record(sources: list[Path], options: toolkit.batch.RunOptions, **kwargs: Any) -> Any:
        seen.update(sources=sources, options=options)
        raise SystemExit(0)

    monkeypatch.setattr(toolkit.batch, "run_batch", record)
    inbox = office / "inbox"
    inbox.mkdir()
    (inbox / "one.txt").write_text(SOURCE.read_text("utf-8"), encoding="utf-8")
    (inbox / "notes.xyz").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(inbox), "--jobs", "3", "--format", "pdf", "--cluster", "none"])
    assert result.exit_code == 0, result.output
    options: toolkit.batch.RunOptions = seen["options"]
    assert seen["sources"] == [inbox / "one.txt"]
    assert (options.jobs, options.formats, options.languages) == (3, ("pdf",), ("de", "fr"))
    assert options.pdf_options.page_size == "Letter"  # the office's, through the same settings
    assert "skipped:" in result.output and "notes.xyz" in result.output


def test_every_build_command_offers_the_shared_options_it_should(runner: CliRunner) -> None:
    expected = {
        "build": ["--lang", "--out", "--format", "--glossary", "--memory", "--beam-size", "--page-size", "--bleed", "--config"],
        "translate": ["--to", "--out", "--glossary", "--memory", "--beam-size", "--config"],
        "batch": ["--lang", "--jobs", "--format", "--glossary", "--page-size", "--cluster", "--config"],
        "watch": ["--lang", "--out", "--glossary", "--settle", "--config"],
        "export-xliff": ["--to", "--out", "--glossary", "--memory", "--config"],
        "import-xliff": ["--lang", "--out", "--memory", "--render", "--config"],
    }
    for command, flags in expected.items():
        result = runner.invoke(app, [command, "--help"], terminal_width=200)
        assert result.exit_code == 0, result.output
        missing = [flag for flag in flags if flag not in result.output]
        assert not missing, (command, missing)


def test_config_show_names_each_value_s_origin(runner: CliRunner, office: Path) -> None:
    result = runner.invoke(app, ["config", "show"], terminal_width=200)
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line for line in result.output.splitlines() if line.strip() and "." in line.split()[0]}
    assert "Letter" in rows["pdf.page_size"] and "/tmp" in rows["pdf.page_size"]  # the file's path (folded by the table)
    assert "default" in rows["build.formats"] and "default" not in rows["pdf.page_size"]
