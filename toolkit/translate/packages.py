"""Argos Translate model packages: where they live, which are installed, install and remove.

Packages are Argos's own ``.argosmodel`` files and are installed into Argos's
own packages folder, so a model installed with ``argospm`` serves the toolkit
and the other way round. Installing and removing go through
:mod:`argostranslate.package`; the toolkit only adds checks and clear errors.

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
* :func:`install_file` sets ``argostranslate.settings.package_data_dir`` to that
  folder for the duration of :func:`argostranslate.package.install_from_path`
  (which extracts into it) and restores it afterwards.

No function here opens a network connection except :func:`install_from_index`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import PressToolkitError

__all__ = [
    "ARGOS_INDEX_PAGE",
    "InstalledModel",
    "NoRouteError",
    "PackageWarning",
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


class PackageWarning(UserWarning):
    """A folder in the packages directory was skipped (not a usable translation package)."""


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


# --------------------------------------------------------------------------
# Installing and removing


def _check_archive(path: Path, archive: zipfile.ZipFile) -> tuple[str, dict[str, object]]:
    """The package folder name and metadata of an ``.argosmodel``, or a PressToolkitError naming the file."""
    names = archive.namelist()
    tops: set[str] = set()
    for entry in names:
        parts = PurePosixPath(entry.replace("\\", "/")).parts
        if not parts or entry.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise PressToolkitError(f"{path}: not an Argos model package: unsafe path {entry!r} inside")
        tops.add(parts[0])
    metadata_entries = [entry for entry in names if entry.count("/") == 1 and entry.endswith("/metadata.json")]
    if not metadata_entries:
        where = " (it lies at the top of the archive)" if "metadata.json" in names else ""
        raise PressToolkitError(f"{path}: not an Argos model package: no <folder>/metadata.json inside{where}")
    if len(metadata_entries) > 1 or len(tops) > 1:
        raise PressToolkitError(
            f"{path}: not an Argos model package: it should hold one package folder, it holds {', '.join(sorted(tops))}"
        )
    folder = metadata_entries[0].split("/")[0]
    try:
        metadata = json.loads(archive.read(metadata_entries[0]).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise PressToolkitError(f"{path}: {folder}/metadata.json is not valid JSON ({error})") from None
    if not isinstance(metadata, dict):
        raise PressToolkitError(f"{path}: {folder}/metadata.json should hold an object, not {type(metadata).__name__}")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise PressToolkitError(f"{path}: a {kind!r} package, not a translation model")
    absent = [key for key in ("from_code", "to_code") if not isinstance(metadata.get(key), str) or not metadata.get(key)]
    if absent:
        raise PressToolkitError(f"{path}: {folder}/metadata.json lacks {' and '.join(absent)}")
    if f"{folder}/sentencepiece.model" not in names and f"{folder}/bpe.model" in names:
        raise PressToolkitError(f"{path}: tokenizes with BPE (bpe.model); press-toolkit supports SentencePiece packages only")
    required = [f"{folder}/sentencepiece.model", f"{folder}/model/model.bin", f"{folder}/model/config.json"]
    missing = [entry for entry in required if entry not in names]
    if not any(entry.startswith(f"{folder}/model/") and "vocabulary" in entry for entry in names):
        missing.append(f"{folder}/model/shared_vocabulary.json")
    if missing:
        raise PressToolkitError(f"{path}: incomplete Argos model package, it lacks {', '.join(missing)}")
    return folder, metadata


def install_file(path: Path) -> InstalledModel:
    """Install an ``.argosmodel`` file, offline, with :func:`argostranslate.package.install_from_path`.

    The archive is checked first (a zip, one package folder with a valid
    ``metadata.json``, a CTranslate2 model and a SentencePiece model, intact
    checksums); any problem is a :class:`PressToolkitError` naming the file.
    A package already installed for the same pair (or in the same folder) is
    replaced, as Argos's own update does.
    """
    path = Path(path)
    if not path.exists():
        raise PressToolkitError(f"{path}: no such file")
    if path.is_dir():
        raise PressToolkitError(f"{path}: a folder, not an .argosmodel file")
    if not zipfile.is_zipfile(path):
        raise PressToolkitError(f"{path}: not an Argos model package (an .argosmodel file is a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            folder_name, metadata = _check_archive(path, archive)
            damaged = archive.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise PressToolkitError(f"{path}: damaged zip archive ({error}); download it again") from None
    if damaged is not None:
        raise PressToolkitError(f"{path}: damaged archive ({damaged} fails its checksum); download it again")

    source, target = str(metadata["from_code"]), str(metadata["to_code"])
    folder = packages_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _argos_settings() as argos_package:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", PackageWarning)
                replaced = [m for m in installed_models() if (m.source, m.target) == (source, target)]
            for model in replaced:
                argos_package.uninstall(argos_package.Package(model.path))  # type: ignore[attr-defined]
            if (folder / folder_name).exists():
                shutil.rmtree(folder / folder_name)
            argos_package.install_from_path(path)  # type: ignore[attr-defined]
    except OSError as error:
        raise PressToolkitError(f"{path}: could not be installed into {folder} ({error})") from None
    try:
        return _read_package(folder / folder_name)
    except _Unusable as reason:
        raise PressToolkitError(f"{path}: installed into {folder / folder_name}, but {reason}") from None


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


def install_from_index(source: str, target: str) -> InstalledModel:
    """Download the newest ``source``→``target`` package of the Argos index and install it.

    Fetches ``index.json`` from :func:`package_index_url` (saving a copy where
    Argos keeps its local index), picks the highest ``package_version`` for the
    pair, downloads it to a temporary file and installs it with
    :func:`install_file`. Uses :mod:`urllib` with a timeout rather than
    ``argostranslate.package.update_package_index`` (which swallows errors, so
    ``get_available_packages`` then recurses without end when offline) and
    ``AvailablePackage.download`` (no timeout, three silent retries).
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
                    shutil.copyfileobj(response, out, 1 << 20)
                break
            except (OSError, ValueError) as error:
                problems.append(f"{link}: {_reason(error)}")
        else:
            tried = "; ".join(problems) or "the index lists no download link"
            raise PressToolkitError(
                f"cannot download {file_name} ({tried}); download it elsewhere and run `presskit models install-file PATH`"
            )
        return install_file(download)


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
