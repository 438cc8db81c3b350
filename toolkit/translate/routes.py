"""What a translation model and a route are: the data types the engine, the packages and the pipeline share.

An :class:`InstalledModel` is an Argos package on disk (found by
:func:`toolkit.translate.packages.installed_models`); a :class:`Route` is the
one package, or the two through English, that translate one language into
another (chosen by :func:`toolkit.translate.packages.find_route`), and what
the :class:`~toolkit.translate.engine.Engine` runs. This module imports
nothing of the toolkit, so the engine and the packages both stand on it and
the packages may try a new model with the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["InstalledModel", "Route"]


@dataclass(frozen=True, kw_only=True)
class InstalledModel:
    """An installed Argos translation package."""

    source: str
    target: str
    #: The package's name: ``code`` from its metadata, else Argos's ``translate-<from>_<to>``.
    name: str
    #: ``package_version`` from its metadata.
    version: str
    #: The installed package folder (holds ``metadata.json``, ``model/``, ``sentencepiece.model``).
    path: Path
    #: Stable id for the translation memory:
    #: ``"<source>-<target>:<name>@<version>:" + first 12 hex digits of sha256(model/model.bin)``.
    identity: str


@dataclass(frozen=True, kw_only=True)
class Route:
    """How to get from ``source`` to ``target``: one package, or two through English."""

    source: str
    target: str
    steps: tuple[InstalledModel, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a route needs at least one step")
        if self.steps[0].source != self.source or self.steps[-1].target != self.target:
            raise ValueError(f"the steps of a route do not lead from {self.source} to {self.target}")
        for first, second in zip(self.steps, self.steps[1:]):
            if first.target != second.source:
                raise ValueError(f"route steps {first.name} and {second.name} do not connect")

    @property
    def pivot(self) -> str | None:
        """The language in between (``"en"``) when the route has two steps."""
        return self.steps[0].target if len(self.steps) > 1 else None

    @property
    def identity(self) -> str:
        """The identities of the steps, joined with ``+``: the model key of the translation memory."""
        return "+".join(step.identity for step in self.steps)

    def describe(self) -> str:
        """``de→en direct (translate-de_en 1.0)`` or ``de→fr via en (translate-de_en 1.0, translate-en_fr 1.0)``."""
        packages = ", ".join(f"{step.name} {step.version}" for step in self.steps)
        how = f"via {self.pivot}" if self.pivot else "direct"
        return f"{self.source}→{self.target} {how} ({packages})"
