"""The package face: a program imports everything it needs from `toolkit`, and the package is typed."""

from __future__ import annotations

import importlib
from pathlib import Path

import toolkit


def test_every_public_name_resolves() -> None:
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name


def test_the_readme_python_example_works(tmp_path: Path) -> None:
    from toolkit import build, read_release

    release = read_release("examples/kulturnacht.md")
    assert release.headline.text == "Auenbrück lädt zur ersten Kulturnacht ein"
    result = build("examples/kulturnacht.md", languages=("de",), formats=("json",), out_dir=tmp_path)
    assert (result.directory / "de.json").is_file()


def test_the_package_is_marked_typed() -> None:
    assert (Path(importlib.import_module("toolkit").__file__).parent / "py.typed").is_file()
