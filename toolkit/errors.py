"""Precise exceptions and warnings, each naming the file and the problem."""

from __future__ import annotations

from pathlib import Path

__all__ = ["PressToolkitError", "ReadError", "ReaderWarning", "RenderError"]


class PressToolkitError(Exception):
    """Base class of every error the toolkit reports to its user."""


class ReadError(PressToolkitError):
    """A source could not be read as a release.

    >>> str(ReadError("examples/x.txt", "no headline found"))
    'examples/x.txt: no headline found'
    """

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


class RenderError(PressToolkitError):
    """A release could not be rendered or written."""


class ReaderWarning(UserWarning):
    """Something a reader guessed or repaired; the release was still read."""
