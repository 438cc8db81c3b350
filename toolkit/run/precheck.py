"""Which releases of a batch are up to date, known before any of them is read.

A batch re-run decides per output whether it is up to date from its key
(:mod:`toolkit.batch`), which needs the release read, its facts marked and its
translations looked up: for 1,000 unchanged releases most of a ten-second run.
This pre-check answers first, from what the last run recorded for each source
in ``<output folder>/.presskit-index.json``:

* the SHA-256 of the source file (the manifest holds it too, and must agree);
* a digest of the run's settings: languages, formats, folder pattern, PDF
  options, branding, release date, versions shown, the templates, fonts and
  label catalogs, the toolkit's version and the key's recipe;
* for a translated release, per language pair: the model route's identity,
  the glossary and do-not-translate entries, the engine settings that change
  the output, and the translation memory's generation
  (:meth:`~toolkit.translate.memory.TranslationMemory.generation`);
* the release's photo (its SHA-256, or that it was missing);
* the QA verdicts and the warnings the release gave when it was read.

A release whose entry still matches on every point, whose manifest lists every
output the run asks for and whose files still have the SHA-256 the manifest
lists is up to date: it is not read, translated or checked again, its warnings
are repeated, its QA verdicts come from the entry. Anything else (no entry, a
changed source or setting, a missing or altered file, an unreadable index)
sends the release through the full run, which is always right; the index is
only ever a shortcut. Entries are written at the end of a run, under the
output folder's lock, for the releases that run read and found or made up to
date; an entry made while the translation memory changed under the run is
not written.
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..version import __version__
from ..files import atomic_write, sha256_file
from ..write import MANIFEST_NAME, OutputFile, read_manifest, recorded_version
from .keys import KEY_SCHEMA, branding_digest, templates_digest

if TYPE_CHECKING:
    from ..translate.pipeline import Translator
    from .options import RunOptions
    from .outcome import ReleaseOutcome

__all__ = ["INDEX_NAME", "Precheck", "recorded_warnings"]

#: The index, in the output folder (hidden: it is the toolkit's, not an output).
INDEX_NAME = ".presskit-index.json"
_SCHEMA = "press-toolkit/batch-index/1"


def source_key(source: Path) -> str:
    """An index entry's key: the SHA-256 of the source's absolute path (the index names no local path)."""
    return hashlib.sha256(str(source.resolve()).encode("utf-8")).hexdigest()


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def settings_digest(options: RunOptions) -> str:
    """Everything of a run's settings an output is made from, except translation (see :func:`pair_digest`)."""
    return _digest({
        "schema": KEY_SCHEMA,
        "toolkit": __version__,
        "templates": templates_digest(),
        "languages": list(options.languages),
        "formats": list(options.formats),
        "folder": options.folder,
        "pdf": repr(options.pdf_options),
        "branding": branding_digest(options.branding),
        "date": options.date.isoformat() if options.date else None,
        "show_version": options.show_version,
    })


def pair_digest(translator: Any, source: str, target: str) -> str | None:
    """What a language pair's translations are made from with ``translator``, memory generation included;
    ``None`` when it cannot be told (no route, an unknown kind of translator, an unreadable memory)."""
    try:
        route = translator.route(source, target)
        glossaries = translator.glossaries
        glossary = glossaries.get((source, target)) or glossaries.get((route.source, route.target))
        engine = translator.engine
        memory = translator.memory
        return _digest({
            "route": route.identity,
            "glossary": None if glossary is None else [glossary.source_language, glossary.target_language,
                                                       sorted(glossary.terms.items()), sorted(glossary.do_not_translate)],
            "keep": sorted(translator.do_not_translate),
            "engine": list(engine.options.output_settings()) if hasattr(engine, "options") else type(engine).__qualname__,
            "memory": None if memory is None else [str(memory.path), memory.generation()],
        })
    except Exception:  # noqa: BLE001 - any doubt sends the release through the full run
        return None


@dataclass
class _Entry:
    folder: str
    source_sha256: str
    settings: str
    #: Language pairs translated, and the digest of their pair digests (None: nothing translated).
    pairs: list[list[str]]
    translation: str | None
    #: The photo's src → its SHA-256 (None: it was not a file in the release's folder).
    assets: dict[str, str | None]
    qa: dict[str, bool]
    warnings: list[list[str]] = field(default_factory=list)

    @classmethod
    def parse(cls, data: object) -> _Entry | None:
        try:
            assert isinstance(data, dict)
            entry = cls(folder=str(data["folder"]), source_sha256=str(data["source_sha256"]), settings=str(data["settings"]),
                        pairs=[[str(a), str(b)] for a, b in data["pairs"]],
                        translation=None if data["translation"] is None else str(data["translation"]),
                        assets={str(k): None if v is None else str(v) for k, v in dict(data["assets"]).items()},
                        qa={str(k): bool(v) for k, v in dict(data["qa"]).items()},
                        warnings=[[str(a), str(b)] for a, b in data.get("warnings", [])])
        except (AssertionError, KeyError, TypeError, ValueError):
            return None
        return entry


def _asset_state(source: Path, src: str) -> str | None:
    """The SHA-256 of a release's photo as the sheet would find it (:func:`toolkit.render.html.image_file`), or None."""
    root = source.parent.resolve()
    candidate = (root / src).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    try:
        return sha256_file(candidate)
    except OSError:
        return None


def _warning_category(name: str) -> type[Warning]:
    """A recorded warning's class: one of the toolkit's (the index is data, so nothing else is imported)."""
    from .. import errors, labels

    for module in (errors, labels):
        found = getattr(module, name, None)
        if isinstance(found, type) and issubclass(found, Warning):
            return found
    return UserWarning


class Precheck:
    """The pre-check of one run: :meth:`skip_up_to_date` before reading, :meth:`translation_starts` before
    translating, :meth:`record` at the end (under the output folder's lock)."""

    def __init__(self, options: RunOptions, make_translator: Callable[[], Translator]) -> None:
        self.options = options
        self._make_translator = make_translator
        self._translator: Translator | None = None
        self._index: dict[str, _Entry] | None = None
        self._settings: str | None = None
        self._pairs: dict[tuple[str, str], str | None] = {}
        self._generation_before: str | None = None
        #: The source SHA-256 of every release of the run, taken before it was read.
        self.source_sha256: dict[Path, str] = {}
        #: Folders of the releases found up to date → their sources (no other release may take them).
        self.taken: dict[Path, Path] = {}

    # -- the translator, made once --------------------------------------------------------

    def translator(self) -> Translator:
        """The run's translator, made on first use (the pre-check and the translation stage share it)."""
        if self._translator is None:
            self._translator = self._make_translator()
        return self._translator

    # -- before reading ----------------------------------------------------------------------

    def skip_up_to_date(self, outcomes: Iterable[ReleaseOutcome]) -> list[ReleaseOutcome]:
        """Fill in the outcomes found up to date (their files, QA verdicts, warnings again); return the others."""
        if self._index is None:
            self._index = self._read_index()
        todo = []
        for outcome in outcomes:
            began = time.perf_counter()
            try:
                self.source_sha256[outcome.source] = sha256_file(outcome.source)
            except OSError:
                todo.append(outcome)  # reading it will say what is wrong
                continue
            entry = self._index.get(source_key(outcome.source))
            if entry is None or not self._up_to_date(outcome, entry):
                todo.append(outcome)
                continue
            outcome.seconds += time.perf_counter() - began
            for category, message in entry.warnings:
                warnings.warn(_with_paths(message, outcome.source), _warning_category(category), stacklevel=2)
        return todo

    def _up_to_date(self, outcome: ReleaseOutcome, entry: _Entry) -> bool:
        options = self.options
        sha = self.source_sha256[outcome.source]
        if entry.source_sha256 != sha or entry.settings != self._settings_digest():
            return False
        if entry.pairs and entry.translation != self._translation_digest([(a, b) for a, b in entry.pairs]):
            return False
        if any(_asset_state(outcome.source, src) != state for src, state in entry.assets.items()):
            return False
        directory = options.out_dir / entry.folder
        if not directory.resolve().is_relative_to(options.out_dir.resolve()) or directory in self.taken:
            return False
        recorded = recorded_version(directory)
        if recorded.source_sha256 != sha:
            return False
        try:
            manifest = json.loads((directory / MANIFEST_NAME).read_text("utf-8"))
            slug = str(manifest["slug"])
        except (OSError, ValueError, KeyError, TypeError):
            return False
        listed = {(file.language, file.format): file for file in read_manifest(directory)}
        wanted = [(language, output_format) for language in options.languages for output_format in options.formats]
        wanted += [(target, "qa") for _, target in entry.pairs]
        files: list[OutputFile] = []
        for key in wanted:
            file = listed.get(key)
            if file is None or not file.key or not _intact(directory, file):
                return False
            files.append(file)
        if entry.qa != _qa_verdicts(directory, files):
            return False  # a verdict is what the QA report the manifest vouches for says, not the index alone
        outcome.directory, outcome.slug, outcome.manifest = directory, slug, directory / MANIFEST_NAME
        outcome.files = files
        outcome.version, outcome.corrected = recorded.version, recorded.corrected
        outcome.qa_recorded = dict(entry.qa)
        self.taken[directory] = outcome.source
        return True

    def _settings_digest(self) -> str:
        if self._settings is None:
            self._settings = settings_digest(self.options)
        return self._settings

    def _translation_digest(self, pairs: list[tuple[str, str]]) -> str | None:
        digests = []
        for pair in pairs:
            if pair not in self._pairs:
                try:
                    translator = self.translator()
                except Exception:  # noqa: BLE001 - the translation stage reports it properly
                    return None
                self._pairs[pair] = pair_digest(translator, *pair)
            if self._pairs[pair] is None:
                return None
            digests.append(self._pairs[pair])
        return _digest(digests)

    # -- around translating -------------------------------------------------------------------

    def translation_starts(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Note what the pairs about to be translated are made from (before any segment is stored)."""
        pairs = list(pairs)
        if not pairs:
            return
        try:
            translator = self.translator()
        except Exception:  # noqa: BLE001 - the translation stage reports it properly
            return
        self._generation_before = _generation(translator)
        for pair in pairs:
            self._pairs[pair] = pair_digest(translator, *pair)  # now, not as the pre-check found it

    # -- at the end ---------------------------------------------------------------------------

    def record(self, outcomes: Iterable[ReleaseOutcome]) -> None:
        """Write the entries of the releases this run read and found or made up to date (call under the output lock)."""
        translation_valid = self._translator is None or _generation(self._translator) == self._generation_before
        updates: dict[str, dict[str, Any] | None] = {}
        for outcome in outcomes:
            key = source_key(outcome.source)
            release = outcome.release
            sha = self.source_sha256.get(outcome.source)
            if outcome.error is not None or release is None or outcome.directory is None or sha is None:
                updates[key] = None
                continue
            pairs = [(release.language, target) for target in outcome.translations]
            translation = None
            if pairs:
                translation = self._translation_digest(pairs) if translation_valid else None
                if translation is None:
                    updates[key] = None  # made while the memory changed: the next run reads it again
                    continue
            image = release.image
            src = image.src if image is not None and image.src and "://" not in image.src else None
            assets = {src: _asset_state(outcome.source, src)} if src else {}
            try:
                folder = outcome.directory.resolve().relative_to(self.options.out_dir.resolve()).as_posix()
            except ValueError:
                updates[key] = None
                continue
            updates[key] = {
                "folder": folder, "source_sha256": sha, "settings": self._settings_digest(),
                "pairs": [list(pair) for pair in pairs], "translation": translation, "assets": assets,
                "qa": dict(outcome.qa_passed),
                "warnings": [[category, _without_paths(message, outcome.source)] for category, message in outcome.warnings],
            }
        if not updates:
            return
        path = self.options.out_dir / INDEX_NAME
        stored = self._read_raw(path)  # again: another run may have written it since this one started
        entries = dict(stored)
        for key, value in updates.items():
            if value is None:
                entries.pop(key, None)
            else:
                entries[key] = value
        if entries == stored:
            return
        data = json.dumps({"schema": _SCHEMA, "releases": entries}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        try:
            atomic_write(path, (data + "\n").encode("utf-8"))
        except Exception:  # noqa: BLE001 - without the index the next run only takes longer
            pass

    # -- the index file --------------------------------------------------------------------------

    def _read_index(self) -> dict[str, _Entry]:
        entries = {}
        for key, data in self._read_raw(self.options.out_dir / INDEX_NAME).items():
            entry = _Entry.parse(data)
            if entry is not None:
                entries[key] = entry
        return entries

    @staticmethod
    def _read_raw(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("schema") != _SCHEMA or not isinstance(data.get("releases"), dict):
            return {}
        return dict(data["releases"])


def _intact(directory: Path, file: OutputFile) -> bool:
    path = directory / file.name
    try:
        return path.parent == directory and path.stat().st_size == file.size and sha256_file(path) == file.sha256
    except OSError:
        return False


def _qa_verdicts(directory: Path, files: Iterable[OutputFile]) -> dict[str, bool] | None:
    """The verdicts of the QA reports (``<lang>.qa.json``) among ``files``; None when one cannot be read."""
    verdicts = {}
    for file in files:
        if file.format == "qa":
            try:
                verdicts[file.language] = json.loads((directory / file.name).read_text("utf-8"))["passed"]
            except (OSError, ValueError, KeyError, TypeError):
                return None
    return verdicts


def _generation(translator: Any) -> str | None:
    memory = getattr(translator, "memory", None)
    if memory is None:
        return "no memory"
    try:
        return str(memory.generation())
    except Exception:  # noqa: BLE001
        return None


#: What stands in a recorded warning for the source's path and its folder (no reader puts a NUL in a message).
_SOURCE, _FOLDER = "\0source\0", "\0folder\0"


def _without_paths(message: str, source: Path) -> str:
    """A warning as the index keeps it: the source's path and folder (which most warnings name) left out."""
    for path in dict.fromkeys((source, source.resolve())):
        message = message.replace(str(path), _SOURCE)
    for folder in dict.fromkeys((source.parent, source.resolve().parent)):
        if folder.is_absolute() and folder != folder.parent:  # a relative folder names nothing of the machine
            message = message.replace(str(folder), _FOLDER)
    return message


def _with_paths(message: str, source: Path) -> str:
    """A recorded warning as it was said: with the source's path and folder as this run names them."""
    return message.replace(_SOURCE, str(source)).replace(_FOLDER, str(source.parent))


def recorded_warnings(caught: Iterable[warnings.WarningMessage]) -> list[tuple[str, str]]:
    """Warnings as an index entry keeps them: the class's name and the message."""
    return [(warning.category.__name__, str(warning.message)) for warning in caught]
