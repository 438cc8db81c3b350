"""Batch planning, in process: which outputs of a release a run renders again, and which it keeps."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EXAMPLES

from toolkit.batch import RunOptions, run_batch
from toolkit.render.options import PdfOptions
from toolkit.run.outcome import ReleaseOutcome
from toolkit.run.planning import plan_all
from toolkit.run.reading import read_all
from toolkit.run.options import Silent

pytestmark = pytest.mark.filterwarnings("ignore::toolkit.errors.ReaderWarning", "ignore::toolkit.errors.BuildWarning")

SOURCE = EXAMPLES / "wasserstoff-netz.txt"


def planned(options: RunOptions, source: Path = SOURCE) -> list[tuple[str, str]]:
    """The outputs a run with ``options`` would render for ``source``, as (language, format)."""
    outcomes = [ReleaseOutcome(source=source)]
    read_all(outcomes, options, Silent())
    assert outcomes[0].error is None, outcomes[0].error
    return sorted((task.language, task.format) for task in plan_all(outcomes, options))


@pytest.fixture
def built(tmp_path: Path) -> RunOptions:
    options = RunOptions(formats=("json", "html", "pdf"), out_dir=tmp_path / "out", precheck=False)
    result = run_batch([SOURCE], options)
    assert not result.failed
    return options


def test_a_new_release_plans_every_language_and_format(tmp_path: Path) -> None:
    options = RunOptions(languages=("de", "de-AT"), formats=("json", "html"), out_dir=tmp_path / "out")
    assert planned(options) == [("de", "html"), ("de", "json"), ("de-AT", "html"), ("de-AT", "json")]


def test_nothing_is_planned_when_nothing_changed(built: RunOptions) -> None:
    assert planned(built) == []


def test_a_pdf_option_replans_only_the_pdf(built: RunOptions) -> None:
    assert planned(replace(built, pdf_options=PdfOptions(page_size="Letter"))) == [("de", "pdf")]


def test_a_new_language_link_replans_the_web_pages_only(built: RunOptions) -> None:
    # A second language version: de's web page must link it; de's PDF and JSON do not change.
    assert ("de", "html") in planned(replace(built, languages=("de", "de-CH")))
    assert ("de", "pdf") not in planned(replace(built, languages=("de", "de-CH")))


def test_a_damaged_or_missing_output_is_planned_again(built: RunOptions) -> None:
    [folder] = [path for path in built.out_dir.iterdir() if path.is_dir()]
    (folder / "de.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    (folder / "de.json").unlink()
    assert planned(built) == [("de", "html"), ("de", "json")]


def test_an_edited_source_replans_every_output(built: RunOptions, tmp_path: Path) -> None:
    source = tmp_path / "release.txt"
    source.write_text(SOURCE.read_text("utf-8"), encoding="utf-8")
    options = replace(built, out_dir=tmp_path / "other")
    run_batch([source], options)
    assert planned(options, source) == []
    source.write_text(SOURCE.read_text("utf-8").replace("Kernnetz", "Kern-Netz"), encoding="utf-8")
    assert planned(options, source) == [("de", "html"), ("de", "json"), ("de", "pdf")]
