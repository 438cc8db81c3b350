"""``[translation]``: the translation stage's options (glossaries, memory, models, engine settings).

A leaf module: it imports only :mod:`toolkit.settings` and :mod:`toolkit.paths`, so the configuration can name
these options without loading CTranslate2 or the translation pipeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from ..paths import default_memory_path
from ..settings.base import OptionalPath, Section, Whole, existing_file, existing_folder, resolved_path

__all__ = ["COMPUTE_TYPES", "ComputeType", "TranslationSettings"]

#: CTranslate2's compute types.
ComputeType = Literal["int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32",
                      "auto", "default"]
COMPUTE_TYPES: tuple[str, ...] = ComputeType.__args__  # type: ignore[attr-defined]

_ExistingFile = Annotated[Path, resolved_path, AfterValidator(existing_file)]
_ExistingFolder = Annotated[Path, resolved_path, AfterValidator(existing_folder)]


class TranslationSettings(Section):
    """How releases are translated: :func:`toolkit.translate.setup.translator_for` builds the translator from these."""

    #: Glossaries named ``…-<from>-<to>.csv`` (or ``.tbx``).
    glossaries: tuple[_ExistingFile, ...] = ()
    do_not_translate: _ExistingFile | None = None
    #: None: :func:`toolkit.paths.default_memory_path`.
    memory: OptionalPath = None
    #: None: Argos's own packages folder (``$ARGOS_PACKAGES_DIR`` or its default).
    models: _ExistingFolder | None = None
    beam_size: Annotated[Whole, Field(ge=1, le=16)] = 2
    #: CPU threads for the model; 0: one per core.
    threads: Annotated[Whole, Field(ge=0, le=256)] = 0
    #: Batches the model translates at the same time (:class:`toolkit.translate.engine.EngineOptions`).
    inter_threads: Annotated[Whole, Field(ge=0, le=256)] = 0
    #: Source tokens per batch.
    batch_tokens: Annotated[Whole, Field(ge=1, le=1_000_000)] = 1024
    compute_type: ComputeType = "int8"

    @property
    def memory_path(self) -> Path:
        return self.memory or default_memory_path()

    def display(self, name: str) -> str | None:
        if name == "memory" and self.memory is None:
            return str(default_memory_path())
        if name == "models" and self.models is None:
            from .packages import packages_dir  # only for `presskit config show`

            return str(packages_dir())
        return None
