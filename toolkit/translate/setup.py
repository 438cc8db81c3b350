"""A :class:`~toolkit.translate.pipeline.Translator` as the translation settings describe it.

The one place where ``[translation]`` of ``presskit.toml``
(:class:`~toolkit.translate.options.TranslationSettings`) becomes a working
translator: the translation memory, the glossaries (two files for the same
language pair are merged, the later one winning a term both define), the
do-not-translate list, the models folder and the engine's options. The CLI,
batch runs, the watch folder and the service all make their translator here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PressToolkitError
from .options import TranslationSettings

if TYPE_CHECKING:
    from .pipeline import Translator

__all__ = ["default_translator", "glossary_pair", "translator_for"]


def glossary_pair(path: Path) -> tuple[str, str]:
    """The language pair a glossary file is for, from its name.

    >>> glossary_pair(Path("glossary-de-en.csv"))
    ('de', 'en')
    """
    match = re.search(r"([a-z]{2,3})-([a-z]{2,3})$", path.stem, re.IGNORECASE)
    if match is None:
        raise PressToolkitError(f"{path}: cannot tell the language pair; name the file …-<from>-<to>.csv, e.g. glossary-de-en.csv")
    return match[1].lower(), match[2].lower()


def translator_for(settings: TranslationSettings) -> Translator:
    """A translator as ``settings`` describe it: memory, glossaries, do-not-translate list, models folder, engine options."""
    # Imported here: CTranslate2 and SQLite are loaded only by a command that translates.
    from .engine import Engine, EngineOptions
    from .glossary import load_do_not_translate, load_glossary
    from .memory import TranslationMemory
    from .packages import installed_models
    from .pipeline import Translator

    keep = load_do_not_translate(settings.do_not_translate) if settings.do_not_translate else frozenset()
    glossaries = []
    for path in settings.glossaries:
        source_language, target_language = glossary_pair(path)
        glossaries.append(load_glossary(path, source_language=source_language, target_language=target_language))
    engine = Engine(EngineOptions(beam_size=settings.beam_size, threads=settings.threads, inter_threads=settings.inter_threads,
                                  max_batch_size=settings.batch_tokens, compute_type=settings.compute_type))
    memory_path = settings.memory_path
    memory_path.parent.mkdir(parents=True, exist_ok=True)
    models = installed_models(settings.models) if settings.models is not None else None
    return Translator(engine=engine, memory=TranslationMemory(memory_path), glossaries=glossaries, models=models, do_not_translate=keep)


def default_translator() -> Translator:
    """A translator with the default settings (the user's translation memory, Argos's models folder)."""
    return translator_for(TranslationSettings())
