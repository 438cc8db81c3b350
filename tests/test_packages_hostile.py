"""Hostile and broken ``.argosmodel`` files: ``install-file`` refuses them and the office keeps its model.

Every crafted package is made at test time from the de→en fixture package
(``tests/argos_fixture.py``, a tiny real CTranslate2 + SentencePiece model).
Each test installs that package into a packages folder of its own, tries the
crafted one, and then checks that the install failed with one error line and
that nothing changed: the same packages are installed, the de→en model still
translates, and no temporary folder is left beside or inside the packages
folder.
"""

from __future__ import annotations

import errno
import io
import json
import os
import random
import stat
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from argos_fixture import FixturePairs, build_argos_package

from toolkit.errors import PressToolkitError
from toolkit.translate import packages
from toolkit.translate.engine import Engine, EngineOptions
from toolkit.translate.packages import find_route, install_file, installed_models
from toolkit.translate.routes import InstalledModel

PRESSKIT = Path(sys.executable).parent / "presskit"
NAME = "translate-de_en"
FAST = EngineOptions(max_decoding_length=8)


@dataclass
class Office:
    """A packages folder with the de→en fixture model installed."""

    root: Path  # the folder that holds ``packages`` (where install-file stages its work)
    folder: Path
    de_en: InstalledModel

    def env(self, cwd: Path) -> dict[str, str]:
        return {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PRESSKIT_DATA_DIR": str(cwd / "data"),
                "ARGOS_PACKAGES_DIR": str(self.folder), "XDG_DATA_HOME": str(cwd / "xdg-data"),
                "XDG_CONFIG_HOME": str(cwd / "xdg-config")}


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed_pairs: FixturePairs) -> Office:
    root = tmp_path / "argos"
    folder = root / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return Office(root=root, folder=folder, de_en=install_file(installed_pairs.files["de", "en"]))


@pytest.fixture
def good(installed_pairs: FixturePairs) -> Path:
    """The de→en fixture package file."""
    return installed_pairs.files["de", "en"]


def translates(source: str = "de", target: str = "en") -> str:
    [output] = Engine(FAST).translate(["Das Land baut das Netz."], find_route(source, target))
    return output


def assert_untouched(office: Office, *also: InstalledModel) -> None:
    """The office has exactly the packages it had, the de→en model translates, no work folder is left."""
    assert installed_models() == sorted([office.de_en, *also], key=lambda m: (m.source, m.target))
    output = translates()
    assert isinstance(output, str) and output.strip()
    assert sorted(os.listdir(office.root)) == ["packages"]
    assert sorted(os.listdir(office.folder)) == sorted(m.path.name for m in [office.de_en, *also])


def refused(archive: Path, match: str) -> str:
    """install_file fails with one line naming the file and matching ``match``; the message."""
    with pytest.raises(PressToolkitError, match=match) as caught:
        install_file(archive)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{archive}: ")
    return message


def craft(
    good: Path,
    dest: Path,
    *,
    drop: Iterable[str] = (),
    replace: dict[str, bytes] | None = None,
    extra: Iterable[tuple[str | zipfile.ZipInfo, bytes]] = (),
    folder: str = NAME,
) -> Path:
    """A copy of ``good`` with entries (named without the folder) dropped or replaced, extra entries, another folder."""
    replace = replace or {}
    dropped = {f"{NAME}/{name}" for name in drop}
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as target, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        for item in source.infolist():
            if item.filename in dropped:
                continue
            data = replace.get(item.filename.removeprefix(f"{NAME}/"), source.read(item))
            item.filename = folder + item.filename.removeprefix(NAME)
            target.writestr(item, data)
        for name, data in extra:
            target.writestr(name, data)
    return dest


def special(name: str, kind: int, data: bytes = b"") -> tuple[zipfile.ZipInfo, bytes]:
    """A zip entry of a Unix file type (symlink, device, pipe), as Info-ZIP stores it."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (kind | 0o777) << 16
    return info, data


def metadata_of(good: Path) -> dict[str, object]:
    with zipfile.ZipFile(good) as archive:
        return json.loads(archive.read(f"{NAME}/metadata.json"))


def with_metadata(good: Path, dest: Path, change: Callable[[dict[str, object]], object] | bytes) -> Path:
    if isinstance(change, bytes):
        data = change
    else:
        metadata = metadata_of(good)
        change(metadata)
        data = json.dumps(metadata).encode()
    return craft(good, dest, replace={"metadata.json": data})


# --------------------------------------------------------------------------
# zip bombs and sizes


def test_zip_bomb_is_refused_before_anything_is_unpacked(office: Office, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packages, "MAX_PACKAGE_BYTES", 2 * 1024**2)
    bomb = craft(good, tmp_path / "bomb.argosmodel", extra=[(f"{NAME}/padding.bin", bytes(16 * 1024**2))])
    assert bomb.stat().st_size < 1024**2  # a small file ...
    refused(bomb, r"unpacks to 16\.\d MB, more than the 2\.0 MB a package may take")  # ... that would unpack to 16 MB
    assert_untouched(office)


def test_an_entry_inflating_past_its_declared_size_is_stopped_while_unpacking(
    office: Office, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if the zip reader trusted a lying header: the padding entry never ends.
    archive = craft(good, tmp_path / "liar.argosmodel", extra=[(f"{NAME}/padding.bin", bytes(1000))])
    read = zipfile.ZipExtFile.read

    def endless(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        return bytes(n if n and n > 0 else 1 << 20) if self.name.endswith("padding.bin") else read(self, n)

    with monkeypatch.context() as patch:
        patch.setattr(zipfile.ZipExtFile, "read", endless)
        refused(archive, "padding.bin' unpacks to more than the 1000 bytes it declares")
    assert_untouched(office)


def test_too_many_entries(office: Office, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packages, "MAX_PACKAGE_ENTRIES", 20)
    archive = craft(good, tmp_path / "many.argosmodel", extra=[(f"{NAME}/junk/{i}", b"") for i in range(30)])
    refused(archive, "holds 36 entries, more than the 20 a package may hold")
    assert_untouched(office)


def test_disk_full_while_unpacking(office: Office, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = build_argos_package(tmp_path / "new", source="de", target="en", seed=11)

    class Full(io.BufferedWriter):
        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def full_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "model.bin" in str(file):
            return Full(io.FileIO(file, mode.replace("b", "")))  # type: ignore[arg-type]
        return open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(packages, "open", full_open, raising=False)
    refused(archive, "not enough disk space to install it .*; nothing was changed")
    assert_untouched(office)


def test_not_enough_free_space_is_said_before_unpacking(office: Office, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = build_argos_package(tmp_path / "new", source="de", target="en", seed=12)
    monkeypatch.setattr(packages.shutil, "disk_usage", lambda path: SimpleNamespace(total=10**9, used=10**9 - 1000, free=1000))
    refused(archive, r"not enough disk space .*MB free")
    assert_untouched(office)


# --------------------------------------------------------------------------
# entries that are not plain files and folders, or lie outside the package folder


@pytest.mark.parametrize(
    ("kind", "what"),
    [(stat.S_IFLNK, "a symbolic link"), (stat.S_IFCHR, "a character device"), (stat.S_IFBLK, "a block device"), (stat.S_IFIFO, "a named pipe")],
)
def test_links_devices_and_pipes_are_refused(office: Office, good: Path, tmp_path: Path, kind: int, what: str) -> None:
    archive = craft(good, tmp_path / "special.argosmodel", extra=[special(f"{NAME}/model/extra", kind, b"/etc/passwd")])
    refused(archive, f"unsafe entry '{NAME}/model/extra': it is {what}")
    assert_untouched(office)


def test_a_symlink_in_place_of_a_model_file_is_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = craft(good, tmp_path / "link.argosmodel", drop=["sentencepiece.model"],
                    extra=[special(f"{NAME}/sentencepiece.model", stat.S_IFLNK, str(office.de_en.path / "sentencepiece.model").encode())])
    refused(archive, "it is a symbolic link")
    assert_untouched(office)


@pytest.mark.parametrize("name", [f"{NAME}/../../evil.txt", "../evil.txt", f"{NAME}/model/../../x/evil.txt"])
def test_entries_climbing_out_with_dotdot_are_refused(office: Office, good: Path, tmp_path: Path, name: str) -> None:
    archive = craft(good, tmp_path / "dotdot.argosmodel", extra=[(name, b"evil")])
    refused(archive, r"climbs out of its folder with '\.\.'")
    assert_untouched(office)
    assert not (office.root / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()


def test_absolute_paths_are_refused(office: Office, good: Path, tmp_path: Path) -> None:
    target = tmp_path / "evil.txt"
    archive = craft(good, tmp_path / "absolute.argosmodel", extra=[(zipfile.ZipInfo(str(target)), b"evil")])
    refused(archive, "an absolute path")
    assert not target.exists()
    assert_untouched(office)


def test_two_top_level_folders_are_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = craft(good, tmp_path / "two.argosmodel", extra=[("translate-en_fr/README.md", b"second")])
    refused(archive, "it should hold one package folder, it holds 'translate-de_en', 'translate-en_fr'")
    assert_untouched(office)


def test_a_file_beside_the_package_folder_is_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = craft(good, tmp_path / "beside.argosmodel", extra=[("README.md", b"beside")])
    refused(archive, "it should hold one package folder")
    assert_untouched(office)


def test_a_hidden_package_folder_is_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = craft(good, tmp_path / "hidden.argosmodel", folder=".translate-de_en")
    refused(archive, "unsafe package folder name '.translate-de_en'")
    assert_untouched(office)


def test_an_entry_given_twice_is_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = craft(good, tmp_path / "twice.argosmodel", extra=[(f"{NAME}/model/model.bin", b"second copy")])
    refused(archive, "model.bin' appears twice")
    assert_untouched(office)


def test_encrypted_entries_are_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = craft(good, tmp_path / "encrypted.argosmodel", extra=[(f"{NAME}/secret", b"not really encrypted")])
    # zipfile writes no encrypted entries: set the flag (bit 0) in the local and the central header.
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        local = zf.getinfo(f"{NAME}/secret").header_offset
    data[local + 6] |= 0x1
    central = data.find(b"PK\x01\x02")
    while not data[central + 46 :].startswith(f"{NAME}/secret".encode()):
        central = data.find(b"PK\x01\x02", central + 1)
    data[central + 8] |= 0x1
    archive.write_bytes(bytes(data))
    refused(archive, "is encrypted")
    assert_untouched(office)


# --------------------------------------------------------------------------
# broken models


@pytest.mark.parametrize("damage", ["truncated", "empty", "random"])
def test_a_corrupt_model_bin_is_refused(office: Office, good: Path, tmp_path: Path, damage: str) -> None:
    with zipfile.ZipFile(good) as archive:
        model_bin = archive.read(f"{NAME}/model/model.bin")
    broken = {
        "truncated": model_bin[: len(model_bin) // 2],
        "empty": b"",
        "random": random.Random(0).randbytes(len(model_bin)),
    }[damage]
    archive_path = craft(good, tmp_path / f"{damage}.argosmodel", replace={"model/model.bin": broken})
    refused(archive_path, r"the model does not load or translate \(")
    assert_untouched(office)


def test_a_corrupt_sentencepiece_model_is_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = craft(good, tmp_path / "sp.argosmodel", replace={"sentencepiece.model": b"not a sentencepiece model"})
    refused(archive, "the model does not load or translate")
    assert_untouched(office)


def test_a_missing_sentencepiece_model_is_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = craft(good, tmp_path / "nosp.argosmodel", drop=["sentencepiece.model"])
    refused(archive, f"incomplete Argos model package, it lacks {NAME}/sentencepiece.model")
    assert_untouched(office)


# --------------------------------------------------------------------------
# metadata.json


@pytest.mark.parametrize(
    ("code", "match"),
    [
        ("../../x", r"from_code '\.\./\.\./x' is not a language code press-toolkit knows"),
        ("de/../../en", "is not a language code"),
        ("xx", "from_code 'xx' is not a language code"),
        ("DE", "from_code 'DE' is not a language code"),
        ("de\nen", r"from_code 'de\\nen' is not a plain line"),
        (7, "from_code should be a string, not int"),
        ("", "lacks from_code"),
        ("en", "from_code and to_code are both 'en'"),
    ],
)
def test_bad_language_codes_are_refused(office: Office, good: Path, tmp_path: Path, code: object, match: str) -> None:
    archive = with_metadata(good, tmp_path / "code.argosmodel", lambda m: m.update(from_code=code))
    refused(archive, match)
    assert_untouched(office)


def test_a_100000_deep_metadata_json_gives_one_error_line(office: Office, good: Path, tmp_path: Path) -> None:
    deep = b'{"from_code": "de", "to_code": "en", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    archive = with_metadata(good, tmp_path / "deep.argosmodel", deep)
    refused(archive, "metadata.json nests arrays and objects more than 20 deep")
    assert_untouched(office)


def test_an_oversized_metadata_json_is_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = with_metadata(good, tmp_path / "big.argosmodel", lambda m: m.update(padding="x" * (2 * 1024**2)))
    refused(archive, r"metadata.json is 2\.0 MB, more than the 1\.0 MB allowed")
    assert_untouched(office)


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("package_version", 3, "package_version should be a string, not int"),
        ("code", {"a": 1}, "code should be a string, not dict"),
        ("links", "https://example.invalid", "links should be a list, not str"),
        ("type", "sbd", "a 'sbd' package, not a translation model"),
        ("package_version", "1.0[/x]", r"package_version '1\.0\\x5b/x\]' should hold only letters, digits"),
        ("code", "translate de en", "code 'translate de en' should hold only letters, digits"),
    ],
)
def test_metadata_fields_of_the_wrong_type_are_refused(office: Office, good: Path, tmp_path: Path, key: str, value: object, match: str) -> None:
    archive = with_metadata(good, tmp_path / "types.argosmodel", lambda m: m.update({key: value}))
    refused(archive, match)
    assert_untouched(office)


def test_metadata_that_is_not_json_is_refused(office: Office, good: Path, tmp_path: Path) -> None:
    archive = with_metadata(good, tmp_path / "notjson.argosmodel", b'{"from_code": "de",')
    refused(archive, "metadata.json is not valid JSON")
    assert_untouched(office)


# --------------------------------------------------------------------------
# the swap


def test_a_folder_name_of_another_pairs_package_does_not_clobber_it(
    office: Office, good: Path, tmp_path: Path, installed_pairs: FixturePairs
) -> None:
    en_fr = install_file(installed_pairs.files["en", "fr"])
    archive = craft(good, tmp_path / "clash.argosmodel", folder="translate-en_fr")
    refused(archive, "its folder 'translate-en_fr' is that of the installed en→fr package translate-en_fr 1.0, which is kept; not installed")
    assert_untouched(office, en_fr)
    assert translates("en", "fr").strip()


def test_a_failed_rename_puts_the_old_package_back(office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = build_argos_package(tmp_path / "new", source="de", target="en", seed=13)
    rename = os.rename

    def failing(src: object, dst: object) -> None:
        if Path(str(dst)) == office.de_en.path and Path(str(src)).parent.name == "new":
            raise OSError(errno.EIO, "Input/output error")
        rename(src, dst)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", failing)
        refused(archive, r"could not be installed into .*Input/output error.*nothing was changed")
    assert_untouched(office)


def test_when_neither_the_new_nor_the_old_package_can_be_renamed_in_the_old_one_is_kept(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = build_argos_package(tmp_path / "new", source="de", target="en", seed=15)
    rename = os.rename

    def failing(src: object, dst: object) -> None:
        if Path(str(dst)) == office.de_en.path:
            raise OSError(errno.EIO, "Input/output error")
        rename(src, dst)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "rename", failing)
        message = refused(archive, "nor the old one back; the old one is kept in ")
    kept = Path(message.split("the old one is kept in ")[1].split(": move it back to ")[0])
    assert (kept / "metadata.json").is_file() and (kept / "model" / "model.bin").is_file()
    assert message.endswith(f"move it back to {office.de_en.path}")
    os.rename(kept, office.de_en.path)  # what the message says to do
    assert installed_models() == [office.de_en] and translates().strip()


def test_a_good_package_replaces_the_old_one(office: Office, tmp_path: Path) -> None:
    new = install_file(build_argos_package(tmp_path / "new", source="de", target="en", seed=14))
    assert new.path == office.de_en.path and new.identity != office.de_en.identity
    assert installed_models() == [new]
    assert translates().strip() and translates() != ""
    assert sorted(os.listdir(office.root)) == ["packages"] and os.listdir(office.folder) == [NAME]


def test_a_good_package_in_another_folder_replaces_every_package_of_its_pair(office: Office, good: Path, tmp_path: Path) -> None:
    # Brackets inside strings do not count as nesting.
    metadata = {**metadata_of(good), "package_version": "2.0", "from_name": "[" * 50}
    archive = craft(good, tmp_path / "v2.argosmodel", folder="translate-de_en-2_0", replace={"metadata.json": json.dumps(metadata).encode()})
    new = install_file(archive)
    assert new.path == office.folder / "translate-de_en-2_0" and new.version == "2.0"
    assert installed_models() == [new]
    assert not office.de_en.path.exists()
    assert translates().strip()
    assert sorted(os.listdir(office.root)) == ["packages"]


# --------------------------------------------------------------------------
# through the command line


def cli_install(office: Office, archive: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PRESSKIT), "models", "install-file", str(archive)], cwd=cwd, env=office.env(cwd),
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("case", ["symlink", "deep", "markup"])
def test_cli_install_file_refuses_with_one_line_and_exit_code_1(office: Office, good: Path, tmp_path: Path, case: str) -> None:
    if case == "symlink":
        archive = craft(good, tmp_path / "link.argosmodel", extra=[special(f"{NAME}/model/evil", stat.S_IFLNK, b"/etc/passwd")])
        expected = "it is a symbolic link"
    elif case == "deep":
        archive = with_metadata(good, tmp_path / "deep.argosmodel", b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
        expected = "nests arrays and objects more than 20 deep"
    else:  # an entry name that rich would read as markup ("[/x]") must not break the error line
        archive = craft(good, tmp_path / "markup.argosmodel", extra=[(f"{NAME}/../[/x]", b"")])
        expected = "climbs out of its folder"
    result = cli_install(office, archive, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {archive}: ") and expected in lines[0]
    assert "Traceback" not in result.stderr
    assert_untouched(office)
