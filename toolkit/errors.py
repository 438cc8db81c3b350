"""Precise exceptions and warnings, each naming the file and the problem."""

from __future__ import annotations

import errno
from pathlib import Path

__all__ = ["BuildWarning", "PressToolkitError", "ReadError", "ReaderWarning", "RenderError", "WriteError"]


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


class WriteError(PressToolkitError):
    """A file could not be written: the folder is read-only, the disk is full, a name is not allowed.

    >>> import errno
    >>> str(WriteError.from_os_error(Path("out/x.pdf"), OSError(errno.ENOSPC, "No space left on device")))
    'out/x.pdf: cannot write: the disk is full (No space left on device)'
    """

    @classmethod
    def from_os_error(cls, path: Path, error: OSError) -> WriteError:
        reasons = {
            errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is used up",
            errno.EROFS: "the file system is read-only",
            errno.EACCES: "no permission to write in this folder",
            errno.EPERM: "no permission to write in this folder",
        }
        reason = reasons.get(error.errno or 0, "the system refused it")
        return cls(f"{path}: cannot write: {reason} ({error.strerror or error})")


class ReaderWarning(UserWarning):
    """Something a reader guessed or repaired; the release was still read."""


class BuildWarning(UserWarning):
    """Something a build could not use (a photo that is not there); the outputs were still written."""
