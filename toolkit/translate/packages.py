"""Argos Translate model packages: where they live, which are installed, the route over them, install and remove.

Packages are Argos's own ``.argosmodel`` files and are installed into Argos's
own packages folder, so a model installed with ``argospm`` serves the toolkit
and the other way round. Packages are read and removed through
:mod:`argostranslate.package`; the toolkit adds checks and clear errors.

**Reading the settings.** :mod:`argostranslate.settings` computes its folders
once, when it is first imported (and creates ``~/.local/share/argos-translate``
and friends at that moment). A long-lived process, or a test that points
``ARGOS_PACKAGES_DIR`` somewhere else, would keep seeing the old folder. So this
module resolves the folder itself on every call, with exactly Argos's rules
(:func:`packages_dir`), imports :mod:`argostranslate` only inside the functions
that need it (importing this module touches no folder), and:

* :func:`installed_models` hands that folder to Argos's reader,
  :class:`argostranslate.package.Package`, one package folder at a time (so a
  stray folder without ``metadata.json`` is skipped instead of breaking
  everything, as ``get_installed_packages()`` would);
* :func:`remove` sets ``argostranslate.settings.package_data_dir`` to that
  folder for the duration of :func:`argostranslate.package.uninstall` and
  restores it afterwards.

**Installing a file** (:func:`install_file`) does not use Argos's
``install_from_path`` (``extractall`` straight into the packages folder, after
the old package was deleted): a package file is untrusted input. It is
checked entry by entry, unpacked into a temporary folder beside the packages
folder with its bytes counted, loaded and tried as the engine would use it,
and only then swapped in by renaming; whatever fails, the installed packages
stay as they were.

No function here opens a network connection except :func:`install_from_index`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import urllib.error
import urllib.request
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from ..errors import PressToolkitError
from .engine import Engine, EngineOptions
from .routes import InstalledModel, Route

__all__ = [
    "ARGOS_INDEX_PAGE",
    "PIVOT_LANGUAGE",
    "DownloadProgress",
    "NoRouteError",
    "PackageWarning",
    "find_route",
    "install_file",
    "install_from_index",
    "installed_models",
    "latest_by_pair",
    "package_file_name",
    "package_index_url",
    "package_name",
    "packages_dir",
    "remove",
]

#: The human-readable list of Argos packages, with download links.
ARGOS_INDEX_PAGE = "https://www.argosopentech.com/argospm/index/"
#: ``argostranslate.settings``'s default for ``ARGOS_PACKAGE_INDEX``; ``index.json`` is appended.
DEFAULT_PACKAGE_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"

_NETWORK_TIMEOUT = 30.0

#: Told, as a package downloads, the bytes received so far and the size the server announced (None if it did not);
#: a new download link starts again from 0. The CLI draws its progress bar from it; nothing here knows about drawing.
DownloadProgress = Callable[[int, int | None], None]


class PackageWarning(UserWarning):
    """A folder in the packages directory was skipped (not a usable translation package)."""


class NoRouteError(PressToolkitError):
    """No installed package, nor two through English, translates a pair.

    ``missing`` holds the names of the packages to install (``translate-de_en``, ...).
    """

    def __init__(self, source: str, target: str, missing: Sequence[tuple[str, str]], *, installed: Sequence[str] = ()) -> None:
        self.source = source
        self.target = target
        self.missing = tuple(package_name(s, t) for s, t in missing)
        pairs = list(missing)
        if len(pairs) == 1:
            what = f"install {self.missing[0]}"
        else:
            what = "install " + " and ".join(self.missing) + " (Argos translates between other languages through English)"
        have = f" ({', '.join(installed)} installed)" if installed else ""
        lines = [f"no installed Argos model translates {source}→{target}{have}; {what}:"]
        lines.append("  online:  " + "; ".join(f"presskit models install {s} {t}" for s, t in pairs))
        lines.append("  offline: " + "; ".join(f"presskit models install-file {package_file_name(s, t)}" for s, t in pairs))
        lines.append(
            f"  (the .argosmodel files are listed at {ARGOS_INDEX_PAGE} and in {package_index_url()}; "
            "download them on a machine with internet access)"
        )
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------
# Settings, resolved on every call with argostranslate.settings' rules


def _home() -> Path:
    if "SNAP" in os.environ and "SNAP_USER_DATA" in os.environ:
        return Path(os.environ["SNAP_USER_DATA"])
    return Path.home()


def _data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or _home() / ".local" / "share") / "argos-translate"


def _settings_file() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or _home() / ".config") / "argos-translate" / "settings.json"


def _setting(key: str) -> str | None:
    """An Argos setting: the environment variable, else ``settings.json``, else ``None``."""
    value = os.environ.get(key)
    if value is not None:
        return value
    try:
        settings = json.loads(_settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = settings.get(key) if isinstance(settings, dict) else None
    return str(value) if value is not None else None


def packages_dir() -> Path:
    """The folder Argos Translate installs packages into, resolved now.

    ``$ARGOS_PACKAGES_DIR`` if set, else ``ARGOS_PACKAGES_DIR`` in
    ``$XDG_CONFIG_HOME/argos-translate/settings.json`` (default
    ``~/.config/...``), else Argos's default
    ``$XDG_DATA_HOME/argos-translate/packages`` (default
    ``~/.local/share/argos-translate/packages``) - the rules of
    :mod:`argostranslate.settings`, applied at each call rather than once at import.
    """
    configured = _setting("ARGOS_PACKAGES_DIR")
    return Path(configured).expanduser() if configured else _data_dir() / "packages"


def package_index_url() -> str:
    """The URL of the Argos package index (``index.json``), from ``ARGOS_PACKAGE_INDEX`` or Argos's default."""
    base = _setting("ARGOS_PACKAGE_INDEX") or DEFAULT_PACKAGE_INDEX
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


def package_name(source: str, target: str) -> str:
    """Argos's name of the package for a pair: ``translate-de_en``."""
    return f"translate-{source}_{target}"


def package_file_name(source: str, target: str, version: str | None = None) -> str:
    """The file name of a package download: ``translate-de_en-1_0.argosmodel`` (``<version>`` if unknown)."""
    shown = version.replace(".", "_") if version else "<version>"
    return f"{package_name(source, target)}-{shown}.argosmodel"


@contextlib.contextmanager
def _argos_settings() -> Iterator[object]:
    """:mod:`argostranslate.package`, with its install folder pointing at :func:`packages_dir` for the block."""
    import argostranslate.package as argos_package
    import argostranslate.settings as argos_settings

    folder = packages_dir()
    saved = argos_settings.package_data_dir, list(argos_settings.package_dirs)
    argos_settings.package_data_dir = folder
    argos_settings.package_dirs[:] = [folder]
    try:
        yield argos_package
    finally:
        argos_settings.package_data_dir = saved[0]
        argos_settings.package_dirs[:] = saved[1]


# --------------------------------------------------------------------------
# Installed packages


_DIGESTS: dict[tuple[str, int, int, int], str] = {}


def _model_digest(model_bin: Path) -> str:
    """First 12 hex digits of the sha256 of ``model.bin``; cached by path, size, mtime and inode."""
    stat = model_bin.stat()
    key = (str(model_bin.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    digest = _DIGESTS.get(key)
    if digest is None:
        sha = hashlib.sha256()
        with model_bin.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                sha.update(chunk)
        digest = _DIGESTS[key] = sha.hexdigest()[:12]
    return digest


class _Unusable(Exception):
    """A package folder that cannot serve as a translation model (the reason is the message)."""


def _read_package(folder: Path) -> InstalledModel:
    """Read an installed package folder with Argos's :class:`~argostranslate.package.Package`."""
    from argostranslate.package import Package, argospm_package_name

    try:
        package = Package(folder)
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise _Unusable(f"its metadata.json cannot be read ({error})") from None
    if package.type != "translate":
        raise _Unusable(f"it is a {package.type!r} package, not a translation model")
    if not package.from_code or not package.to_code:
        raise _Unusable("its metadata.json names no from_code and to_code")
    model_bin = folder / "model" / "model.bin"
    if not model_bin.is_file():
        raise _Unusable("it has no model/model.bin (CTranslate2 model)")
    if not (folder / "sentencepiece.model").is_file():
        if (folder / "bpe.model").is_file():
            raise _Unusable("it tokenizes with BPE (bpe.model); press-toolkit supports SentencePiece packages only")
        raise _Unusable("it has no sentencepiece.model")
    name = package.code or argospm_package_name(package)
    version = str(package.package_version or "0")
    source, target = str(package.from_code), str(package.to_code)
    return InstalledModel(
        source=source,
        target=target,
        name=name,
        version=version,
        path=folder,
        identity=f"{source}-{target}:{name}@{version}:{_model_digest(model_bin)}",
    )


def installed_models(folder: Path | None = None) -> list[InstalledModel]:
    """The translation packages installed in ``folder`` (default :func:`packages_dir`), read now.

    Each package folder is read with Argos's :class:`argostranslate.package.Package`
    (as ``get_installed_packages()`` does, but for the folder resolved at this
    call). A folder that is not a usable SentencePiece translation package is
    skipped with a :class:`PackageWarning` naming it and the reason. Sorted by
    pair, then name and version.
    """
    folder = packages_dir() if folder is None else folder
    if not folder.is_dir():
        return []
    models = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        if not (child / "metadata.json").is_file():
            warnings.warn(f"{child}: skipped, not an Argos package (no metadata.json)", PackageWarning, stacklevel=2)
            continue
        try:
            models.append(_read_package(child))
        except _Unusable as reason:
            warnings.warn(f"{child}: skipped, {reason}", PackageWarning, stacklevel=2)
    return sorted(models, key=lambda m: (m.source, m.target, m.name, _version_key(m.version)))


def _version_key(version: str) -> tuple[int, object, str]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version), version)
    except InvalidVersion:
        return (0, version, version)


def latest_by_pair(models: Sequence[InstalledModel]) -> dict[tuple[str, str], InstalledModel]:
    """One model per ``(source, target)``: the highest ``package_version`` (then the name)."""
    chosen: dict[tuple[str, str], InstalledModel] = {}
    for model in models:
        pair = (model.source, model.target)
        current = chosen.get(pair)
        if current is None or (_version_key(model.version), model.name) > (_version_key(current.version), current.name):
            chosen[pair] = model
    return chosen


#: Argos's packages translate between other languages through English.
PIVOT_LANGUAGE = "en"


def find_route(source: str, target: str, models: Sequence[InstalledModel] | None = None) -> Route:
    """The route from ``source`` to ``target`` over ``models`` (default: :func:`installed_models`).

    A direct package if one is installed, else two through English; of several
    versions of a package the highest is used. Raises
    :class:`~toolkit.translate.packages.NoRouteError` naming the package(s) to
    install, and :class:`PressToolkitError` when source and target are the same.
    """
    # A model translates languages, not regions: en-GB and en share the en model (the region's conventions apply later).
    source, target = source.strip().lower().split("-")[0], target.strip().lower().split("-")[0]
    if source == target:
        raise PressToolkitError(f"source and target language are both {source!r}: nothing to translate")
    available = latest_by_pair(installed_models() if models is None else models)
    direct = available.get((source, target))
    if direct is not None:
        return Route(source=source, target=target, steps=(direct,))
    pivot = PIVOT_LANGUAGE
    installed = [f"{s}→{t}" for s, t in sorted(available)]
    if pivot in (source, target):
        raise NoRouteError(source, target, [(source, target)], installed=installed)
    first, second = available.get((source, pivot)), available.get((pivot, target))
    if first is not None and second is not None:
        return Route(source=source, target=target, steps=(first, second))
    missing = [pair for pair, model in (((source, pivot), first), ((pivot, target), second)) if model is None]
    raise NoRouteError(source, target, missing, installed=installed)


# --------------------------------------------------------------------------
# Installing and removing

#: Most bytes an ``.argosmodel`` may unpack to. The largest packages of the
#: Argos index unpack to a few hundred MB; 2 GiB leaves room for bigger models
#: and stops a zip bomb long before it fills a disk.
MAX_PACKAGE_BYTES = 2 * 1024**3
#: Most entries (files and folders) an ``.argosmodel`` may hold; real ones hold 10 to 30.
MAX_PACKAGE_ENTRIES = 1000
#: Most bytes of ``metadata.json`` read; real ones have under 2 KB.
MAX_METADATA_BYTES = 1024**2
#: Deepest nesting of arrays and objects in ``metadata.json``; real ones nest 2 deep.
MAX_METADATA_DEPTH = 20

#: Longest path inside a package, and longest part of one (most file systems allow 255 bytes).
_MAX_ENTRY_CHARS = 1024
_MAX_PART_CHARS = 255
#: Longest string value of ``metadata.json`` accepted.
_MAX_METADATA_STRING = 500
_CHUNK = 1 << 20
#: What a new package translates before it is put in place.
_TRIAL_SENTENCE = "Hello, world."

#: The package folder: a name Argos's index would use, never hidden, never a path.
_FOLDER_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]{0,99}")
#: ``code`` and ``package_version`` in ``metadata.json``: ``translate-de_en``, ``1.9``.
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9_.-]{0,100}")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_STRING_FIELDS = ("code", "type", "package_version", "argos_version", "from_code", "from_name", "to_code", "to_name", "target_prefix")
_LIST_FIELDS = ("links", "languages", "dependencies", "source_languages", "target_languages", "from_codes", "to_codes")
#: Zip entry types (``external_attr >> 16``, Unix ``st_mode``) that may be unpacked: unset, regular file, folder.
_ALLOWED_TYPES = {0: "file", stat.S_IFREG: "file", stat.S_IFDIR: "folder"}
_TYPE_NAMES = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


class _Refused(Exception):
    """A package file that must not be installed (the problem is the message)."""


class _Stranded(_Refused):
    """The new package could not be renamed into place, nor the old one back: keep the staging folder."""


def _shown(text: object, limit: int = 80) -> str:
    """``text`` quoted for an error line: no line breaks or control characters, short, no rich markup."""
    text = str(text)
    shown = repr(text[:limit] + ("…" if len(text) > limit else ""))
    # The CLI prints errors through rich, which would take "[/x]" for markup.
    return shown.replace("[", "\\x5b")


def _one_line(text: object, limit: int = 300) -> str:
    """An exception's text on one line, short, without rich markup."""
    line = " ".join(str(text).split())
    line = line if len(line) <= limit else line[:limit] + "…"
    return "".join(ch if ch.isprintable() else "?" for ch in line).replace("[", "(").replace("]", ")")


def _size(count: int) -> str:
    return f"{count / 1024**3:.1f} GB" if count >= 1024**3 else f"{max(count, 1) / 1024**2:.1f} MB"


@dataclass(frozen=True)
class _Entry:
    info: zipfile.ZipInfo
    #: The path inside the package folder's parent, split: ``("translate-de_en", "model", "model.bin")``.
    parts: tuple[str, ...]
    is_dir: bool


def _entry_parts(info: zipfile.ZipInfo) -> tuple[tuple[str, ...], bool]:
    """The checked path parts of an entry and whether it is a folder; :class:`_Refused` if unsafe."""
    name = info.filename
    if len(name) > _MAX_ENTRY_CHARS:
        raise _Refused(f"an entry's path is {len(name)} characters long (at most {_MAX_ENTRY_CHARS})")
    if any(not ch.isprintable() for ch in name) or "\\" in name or ":" in name:
        raise _Refused(f"unsafe entry name {_shown(name)} (control characters, backslashes and colons are not allowed)")
    if name.startswith("/"):
        raise _Refused(f"unsafe entry {_shown(name)}: an absolute path")
    is_dir = name.endswith("/")
    parts = tuple(name[:-1].split("/") if is_dir else name.split("/"))
    if ".." in parts:
        raise _Refused(f"unsafe entry {_shown(name)}: it climbs out of its folder with '..'")
    if any(part in ("", ".") for part in parts):
        raise _Refused(f"unsafe entry name {_shown(name)} (empty or '.' path parts)")
    if any(len(part) > _MAX_PART_CHARS for part in parts):
        raise _Refused(f"an entry's name is longer than {_MAX_PART_CHARS} characters ({_shown(name)})")
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind not in _ALLOWED_TYPES:
        what = _TYPE_NAMES.get(kind, f"of unknown type {kind:#o}")
        raise _Refused(f"unsafe entry {_shown(name)}: it is {what}; a package holds only files and folders")
    if kind == stat.S_IFDIR and not is_dir:
        raise _Refused(f"unsafe entry {_shown(name)}: a folder entry without a trailing '/'")
    if info.flag_bits & 0x1:
        raise _Refused(f"entry {_shown(name)} is encrypted; Argos packages are not")
    return parts, is_dir


def _inspect(archive: zipfile.ZipFile) -> tuple[str, list[_Entry], int]:
    """The package folder name, the checked entries and their declared total size, from the zip directory alone."""
    infos = archive.infolist()
    if len(infos) > MAX_PACKAGE_ENTRIES:
        raise _Refused(f"it holds {len(infos)} entries, more than the {MAX_PACKAGE_ENTRIES} a package may hold")
    entries = []
    tops: set[str] = set()
    files: set[tuple[str, ...]] = set()
    folders: set[tuple[str, ...]] = set()
    for info in infos:
        parts, is_dir = _entry_parts(info)
        if parts in files or (not is_dir and parts in folders):
            raise _Refused(f"entry {_shown(info.filename)} appears twice")
        (folders if is_dir else files).add(parts)
        folders.update(parts[:i] for i in range(1, len(parts)))
        tops.add(parts[0])
        entries.append(_Entry(info, parts, is_dir))
    clash = files & folders
    if clash:
        raise _Refused(f"{_shown('/'.join(min(clash)))} is both a file and a folder in it")
    top_files = sorted(parts[0] for parts in files if len(parts) == 1)
    if "metadata.json" in top_files:
        raise _Refused("not an Argos model package: no <folder>/metadata.json inside (it lies at the top of the archive)")
    if not entries:
        raise _Refused("not an Argos model package: the zip archive is empty")
    if len(tops) > 1 or top_files:
        shown = ", ".join(_shown(top, 40) for top in sorted(tops)[:5]) + (", …" if len(tops) > 5 else "")
        raise _Refused(f"not an Argos model package: it should hold one package folder, it holds {shown}")
    folder = next(iter(tops))
    if not _FOLDER_NAME.fullmatch(folder):
        raise _Refused(f"unsafe package folder name {_shown(folder)} (letters, digits, '_', '.', '+' and '-' only, not starting with '.')")
    if (folder, "metadata.json") not in files:
        raise _Refused("not an Argos model package: no <folder>/metadata.json inside")
    declared = sum(entry.info.file_size for entry in entries if not entry.is_dir)
    if declared > MAX_PACKAGE_BYTES:
        raise _Refused(f"it unpacks to {_size(declared)}, more than the {_size(MAX_PACKAGE_BYTES)} a package may take (a zip bomb?)")
    return folder, entries, declared


def _json_depth(text: str) -> int:
    """How deep arrays and objects nest in JSON ``text`` (counted past ``MAX_METADATA_DEPTH`` only to say so)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_METADATA_DEPTH:
                break
        else:
            depth -= 1
    return deepest


def _read_metadata(archive: zipfile.ZipFile, folder: str, entries: Sequence[_Entry]) -> dict[str, object]:
    """``<folder>/metadata.json``, read with a size and nesting limit and checked; :class:`_Refused` if not usable."""
    where = f"{folder}/metadata.json"
    [entry] = [entry for entry in entries if entry.parts == (folder, "metadata.json")]
    if entry.info.file_size > MAX_METADATA_BYTES:
        raise _Refused(f"{where} is {_size(entry.info.file_size)}, more than the {_size(MAX_METADATA_BYTES)} allowed")
    with archive.open(entry.info) as stream:
        data = stream.read(MAX_METADATA_BYTES + 1)
    if len(data) > MAX_METADATA_BYTES:
        raise _Refused(f"{where} is more than the {_size(MAX_METADATA_BYTES)} allowed")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Refused(f"{where} is not valid JSON (not UTF-8: {_one_line(error)})") from None
    if _json_depth(text) > MAX_METADATA_DEPTH:
        raise _Refused(f"{where} nests arrays and objects more than {MAX_METADATA_DEPTH} deep")
    try:
        metadata = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise _Refused(f"{where} is not valid JSON ({_one_line(error)})") from None
    if not isinstance(metadata, dict):
        raise _Refused(f"{where} should hold an object, not {type(metadata).__name__}")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise _Refused(f"a {_shown(kind)} package, not a translation model")
    for key in _STRING_FIELDS:
        value = metadata.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise _Refused(f"{where}: {key} should be a string, not {type(value).__name__}")
        if len(value) > _MAX_METADATA_STRING or not value.isprintable():
            raise _Refused(f"{where}: {key} {_shown(value)} is not a plain line of at most {_MAX_METADATA_STRING} characters")
    for key in ("code", "package_version"):  # shown in lists and part of the model's identity
        value = metadata.get(key)
        if value is not None and not _PLAIN_VALUE.fullmatch(str(value)):
            raise _Refused(f"{where}: {key} {_shown(value)} should hold only letters, digits, '_', '.' and '-'")
    for key in _LIST_FIELDS:
        value = metadata.get(key)
        if value is not None and not isinstance(value, list):
            raise _Refused(f"{where}: {key} should be a list, not {type(value).__name__}")
    absent = [key for key in ("from_code", "to_code") if not metadata.get(key)]
    if absent:
        raise _Refused(f"{where} lacks {' and '.join(absent)}")
    from ..languages import check_language
    from ..model import LANGUAGE_TAG

    for key in ("from_code", "to_code"):
        code = str(metadata[key])
        try:
            known = LANGUAGE_TAG.fullmatch(code) is not None and bool(check_language(code))
        except PressToolkitError:
            known = False
        if not known:
            raise _Refused(f"{where}: {key} {_shown(code)} is not a language code press-toolkit knows (such as de, en or pt-BR)")
    if metadata["from_code"] == metadata["to_code"]:
        raise _Refused(f"{where}: from_code and to_code are both {_shown(metadata['from_code'])}")
    return metadata


def _check_contents(folder: str, entries: Sequence[_Entry]) -> None:
    """The files a SentencePiece translation package needs; :class:`_Refused` naming what lacks."""
    files = {"/".join(entry.parts) for entry in entries if not entry.is_dir}
    if f"{folder}/sentencepiece.model" not in files and f"{folder}/bpe.model" in files:
        raise _Refused("it tokenizes with BPE (bpe.model); press-toolkit supports SentencePiece packages only")
    required = [f"{folder}/sentencepiece.model", f"{folder}/model/model.bin", f"{folder}/model/config.json"]
    missing = [name for name in required if name not in files]
    if not any(name.startswith(f"{folder}/model/") and "vocabulary" in name for name in files):
        missing.append(f"{folder}/model/shared_vocabulary.json")
    if missing:
        raise _Refused(f"incomplete Argos model package, it lacks {', '.join(missing)}")


def _extract(archive: zipfile.ZipFile, entries: Sequence[_Entry], root: Path) -> None:
    """Unpack ``entries`` into the empty folder ``root``: only files and folders, bytes counted as they come."""
    total = 0
    for entry in entries:
        target = root.joinpath(*entry.parts)
        if entry.is_dir:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        # "xb": never through an existing file or link; the entries were checked, this is the second lock.
        with archive.open(entry.info) as source, open(target, "xb") as out:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                total += len(chunk)
                if written > entry.info.file_size:
                    raise _Refused(f"entry {_shown(entry.info.filename)} unpacks to more than the {entry.info.file_size} bytes it declares")
                if total > MAX_PACKAGE_BYTES:
                    raise _Refused(f"it unpacks to more than the {_size(MAX_PACKAGE_BYTES)} a package may take (a zip bomb?)")
                out.write(chunk)
        if written != entry.info.file_size:
            raise _Refused(f"entry {_shown(entry.info.filename)} unpacks to {written} bytes, not the {entry.info.file_size} it declares")


def _try_translation(model: InstalledModel) -> None:
    """Load ``model`` as the :class:`~toolkit.translate.engine.Engine` does and translate one sentence."""
    try:
        engine = Engine(EngineOptions(max_decoding_length=16))
        [output] = engine.translate([_TRIAL_SENTENCE], Route(source=model.source, target=model.target, steps=(model,)))
    except Exception as error:  # anything at all: the model is not usable, say why and keep the old one
        detail = _one_line(str(error).replace(f"{model.path}: ", ""))
        if not isinstance(error, PressToolkitError):
            detail = f"{type(error).__name__}: {detail}"
        raise _Refused(f"the model does not load or translate ({detail})") from None
    if not isinstance(output, str) or not output.strip():
        raise _Refused(f"the model translates a test sentence ({_TRIAL_SENTENCE!r}) into nothing")


def _staging_parent(folder: Path) -> Path:
    """Where to unpack: beside ``folder`` (not scanned for packages) if on the same file system, else inside it."""
    parent = folder.parent
    try:
        if parent != folder and parent.stat().st_dev == folder.stat().st_dev and os.access(parent, os.W_OK | os.X_OK):
            return parent
    except OSError:
        pass
    return folder


@contextlib.contextmanager
def _install_lock(folder: Path) -> Iterator[None]:
    """One install at a time per packages folder (an advisory lock on the folder itself)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def _discard(path: Path) -> None:
    """Delete a folder (or link or file) moved aside; never follows a link."""
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _swap(staged: Path, final: Path, replaced: Sequence[Path], aside: Path) -> None:
    """Put ``staged`` at ``final`` and take ``replaced`` away; on failure everything stays as it was.

    ``aside`` is an empty folder in the staging area (same file system) that
    receives what is replaced; the caller deletes it. Whatever sits at
    ``final`` is renamed into ``aside``, the new package is renamed to
    ``final`` (if that fails, the old one is renamed back), then the other
    packages of the pair are renamed into ``aside`` - so no reader ever sees a
    half-deleted package.
    """
    moved: Path | None = None
    if os.path.lexists(final):
        moved = aside / "0"
        os.rename(final, moved)
    try:
        os.rename(staged, final)
    except OSError as error:
        if moved is not None:
            try:
                os.rename(moved, final)
            except OSError:
                raise _Stranded(
                    f"could not rename the new package into place ({_one_line(error)}) nor the old one back; "
                    f"the old one is kept in {moved}: move it back to {final}"
                ) from None
        raise
    for number, old in enumerate(replaced, start=1):
        if old != final:
            try:
                os.rename(old, aside / str(number))
            except OSError as error:
                warnings.warn(f"{old}: could not remove this replaced package ({error})", PackageWarning, stacklevel=3)


def install_file(path: Path) -> InstalledModel:
    """Install an ``.argosmodel`` file, offline; on any problem nothing changes.

    The archive is checked from its zip directory first: only files and
    folders (no links, devices or pipes), no absolute paths or ``..``, one
    package folder with a plain name, at most :data:`MAX_PACKAGE_ENTRIES`
    entries and :data:`MAX_PACKAGE_BYTES` unpacked, the files of a
    SentencePiece translation package; then ``metadata.json`` (at most
    :data:`MAX_METADATA_BYTES`, nested at most :data:`MAX_METADATA_DEPTH`
    deep, ``from_code`` and ``to_code`` language codes the toolkit knows,
    string and list fields of the right type). The package is unpacked into
    a temporary folder beside the packages folder, counting bytes as they
    come, loaded with CTranslate2 and SentencePiece exactly as the
    :class:`~toolkit.translate.engine.Engine` loads it and made to translate
    one sentence. Only then does it replace the installed package of the same
    pair (renamed aside, the new one renamed in, the old one deleted). A
    package whose folder name is that of another pair's installed package is
    refused. Any problem is one :class:`PressToolkitError` naming the file;
    the installed packages are then exactly as before.
    """
    path = Path(path)
    if not path.exists():
        raise PressToolkitError(f"{path}: no such file")
    if path.is_dir():
        raise PressToolkitError(f"{path}: a folder, not an .argosmodel file")
    if not path.is_file():
        raise PressToolkitError(f"{path}: not a regular file, not an .argosmodel file")
    if not zipfile.is_zipfile(path):
        raise PressToolkitError(f"{path}: not an Argos model package (an .argosmodel file is a zip archive)")
    folder = packages_dir()
    declared = 0
    try:
        with zipfile.ZipFile(path) as archive:
            folder_name, entries, declared = _inspect(archive)
            _check_contents(folder_name, entries)
            metadata = _read_metadata(archive, folder_name, entries)
            folder.mkdir(parents=True, exist_ok=True)
            with _install_lock(folder):
                return _install(archive, entries, declared, folder / folder_name, (str(metadata["from_code"]), str(metadata["to_code"])))
    except _Refused as problem:
        raise PressToolkitError(f"{path}: {problem}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as error:
        raise PressToolkitError(f"{path}: damaged zip archive ({_one_line(error)}); download it again") from None
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise PressToolkitError(
                f"{path}: not enough disk space to install it (it unpacks to {_size(declared)}); nothing was changed"
            ) from None
        raise PressToolkitError(f"{path}: could not be installed into {folder} ({_one_line(error)}); nothing was changed") from None


def _install(
    archive: zipfile.ZipFile, entries: Sequence[_Entry], declared: int, final: Path, pair: tuple[str, str]
) -> InstalledModel:
    """Unpack, try and swap in a checked package (under the install lock)."""
    folder = final.parent
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PackageWarning)
        installed = installed_models(folder)
    for other in installed:
        if other.path == final and (other.source, other.target) != pair:
            raise _Refused(
                f"its folder {final.name!r} is that of the installed {other.source}→{other.target} package "
                f"{_one_line(other.name, 100)} {_one_line(other.version, 50)}, which is kept; not installed"
            )
    replaced = [model.path for model in installed if (model.source, model.target) == pair]

    parent = _staging_parent(folder)
    free = shutil.disk_usage(parent).free
    if declared > free:
        raise _Refused(f"not enough disk space to install it (it unpacks to {_size(declared)}, {_size(free)} free); nothing was changed")
    stage = Path(tempfile.mkdtemp(prefix=".presskit-install-", dir=parent))
    stranded = False
    try:
        (stage / "new").mkdir()
        (stage / "old").mkdir()
        _extract(archive, entries, stage / "new")
        staged = stage / "new" / final.name
        try:
            model = _read_package(staged)
        except _Unusable as reason:
            raise _Refused(str(reason)) from None
        _try_translation(model)
        try:
            _swap(staged, final, replaced, stage / "old")
        except _Stranded:
            stranded = True
            raise
    finally:
        _discard(stage / "new" if stranded else stage)
    if "argostranslate.translate" in sys.modules:  # Argos caches its installed languages
        with contextlib.suppress(Exception):
            sys.modules["argostranslate.translate"].get_installed_languages.cache_clear()
    return dataclasses.replace(model, path=final)


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    reason = getattr(error, "reason", None)
    return str(reason if reason is not None else error) or type(error).__name__


def _offline_advice(source: str, target: str) -> str:
    return (
        f"download {package_file_name(source, target)} elsewhere (listed at {ARGOS_INDEX_PAGE}) "
        "and run `presskit models install-file PATH`"
    )


def install_from_index(source: str, target: str, *, progress: DownloadProgress | None = None) -> InstalledModel:
    """Download the newest ``source``→``target`` package of the Argos index and install it.

    Fetches ``index.json`` from :func:`package_index_url` (saving a copy where
    Argos keeps its local index), picks the highest ``package_version`` for the
    pair, downloads it to a temporary file and installs it with
    :func:`install_file`. Uses :mod:`urllib` with a timeout rather than
    ``argostranslate.package.update_package_index`` (which swallows errors, so
    ``get_available_packages`` then recurses without end when offline) and
    ``AvailablePackage.download`` (no timeout, three silent retries).
    ``progress`` is told the bytes received as the package downloads
    (:data:`DownloadProgress`).
    """
    url = package_index_url()
    try:
        with urllib.request.urlopen(url, timeout=_NETWORK_TIMEOUT) as response:
            data = response.read()
    except (OSError, ValueError) as error:
        raise PressToolkitError(f"cannot reach the Argos package index ({url}: {_reason(error)}); {_offline_advice(source, target)}") from None
    try:
        index = json.loads(data)
        if not isinstance(index, list):
            raise ValueError("not a list of packages")
    except ValueError as error:
        raise PressToolkitError(f"the Argos package index at {url} is not a valid index ({error}); {_offline_advice(source, target)}") from None
    with contextlib.suppress(OSError):
        _data_dir().mkdir(parents=True, exist_ok=True)
        (_data_dir() / "index.json").write_bytes(data)

    from argostranslate.package import (
        AvailablePackage,  # only now: importing it creates Argos's folders
    )

    available = [AvailablePackage(entry) for entry in index if isinstance(entry, dict)]
    available = [p for p in available if p.type == "translate" and p.from_code and p.to_code]
    candidates = [p for p in available if (p.from_code, p.to_code) == (source, target)]
    if not candidates:
        pairs = {(p.from_code, p.to_code) for p in available}
        hint = ""
        if source != "en" and target != "en" and {(source, "en"), ("en", target)} <= pairs:
            hint = f"; install both through English: `presskit models install {source} en` and `presskit models install en {target}`"
        targets = sorted(t for s, t in pairs if s == source)
        from_source = f" (from {source}: {', '.join(targets)})" if targets else f" (none from {source})"
        raise PressToolkitError(f"the Argos package index has no {source}→{target} package{from_source}{hint}")
    best = max(candidates, key=lambda p: _version_key(str(p.package_version)))
    file_name = package_file_name(source, target, str(best.package_version))
    problems = []
    with tempfile.TemporaryDirectory(prefix="presskit-download-") as work:
        download = Path(work) / file_name
        for link in best.links:
            try:
                with urllib.request.urlopen(link, timeout=_NETWORK_TIMEOUT) as response, download.open("wb") as out:
                    _copy_counting(response, out, _announced_size(response), progress)
                break
            except (OSError, ValueError) as error:
                problems.append(f"{link}: {_reason(error)}")
        else:
            tried = "; ".join(problems) or "the index lists no download link"
            raise PressToolkitError(
                f"cannot download {file_name} ({tried}); download it elsewhere and run `presskit models install-file PATH`"
            )
        return install_file(download)


def _announced_size(response: object) -> int | None:
    """The ``Content-Length`` of a download, if the server sent a usable one."""
    headers = getattr(response, "headers", None)
    value = headers.get("Content-Length") if headers is not None else None
    try:
        size = int(value) if value is not None else None
    except ValueError:
        return None
    return size if size is not None and size >= 0 else None


#: Bytes read between two reports to a :data:`DownloadProgress`: smooth enough for a bar, few enough calls.
_PROGRESS_CHUNK = 64 * 1024


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _copy_counting(response: _Readable, out: BinaryIO, total: int | None, progress: DownloadProgress | None) -> None:
    """Copy a download to ``out``, telling ``progress`` the bytes so far (first 0, then after every chunk)."""
    done = 0
    if progress is not None:
        progress(done, total)
    while chunk := response.read(_PROGRESS_CHUNK if progress is not None else _CHUNK):
        out.write(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, total)


def remove(source: str, target: str) -> InstalledModel:
    """Uninstall the ``source``→``target`` package (every installed version); return the one that was in use."""
    matches = [m for m in installed_models() if (m.source, m.target) == (source, target)]
    if not matches:
        installed = ", ".join(f"{m.source}→{m.target}" for m in installed_models()) or "none"
        raise PressToolkitError(f"no {source}→{target} package is installed in {packages_dir()} (installed: {installed})")
    in_use = latest_by_pair(matches)[source, target]
    with _argos_settings() as argos_package:
        for model in matches:
            argos_package.uninstall(argos_package.Package(model.path))  # type: ignore[attr-defined]
    return in_use
