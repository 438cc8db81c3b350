"""Hatchling build hook: compile the label catalogs to ``.mo`` at build time.

Every ``locales/<lang>/LC_MESSAGES/messages.po`` is compiled with Babel to a
``messages.mo`` (fuzzy entries left out, as at run time). ``.mo`` files are
never committed (``.gitignore``); this hook makes them:

- wheel (``pip install .``, ``pip wheel .``): into a temporary folder, added to
  the wheel as ``toolkit/_data/locales/<lang>/LC_MESSAGES/messages.mo`` next to
  the ``.po`` files that ``force-include`` copies there (see pyproject.toml);
- editable install (``pip install -e .``): beside each ``.po`` in the source
  tree, where :func:`toolkit.resources.locales_dir` finds them;
- sdist: nothing; the sdist carries the ``.po`` files and this hook.

A catalog that Babel cannot read, or whose translations do not keep the
msgid's ``%(name)s`` placeholders, fails the build with its file, line and
problem.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DOMAIN = "messages"
LOCALES = "locales"
WHEEL_LOCALES = "toolkit/_data/locales"

# A .po line that is not blank or a comment: a keyword and a quoted string, or a
# continuation string. Babel's reader quietly repairs some lines msgfmt rejects
# (a missing closing quote), so the build checks them first.
_PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[[0-9]+\])\s+)?"(?:[^"\\]|\\.)*"')


class CatalogError(Exception):
    """A label catalog is broken; the build stops."""


def compile_catalog(po_path: Path, mo_path: Path) -> None:
    """Compile ``po_path`` to ``mo_path`` (written atomically), or raise :class:`CatalogError`."""
    from babel import UnknownLocaleError
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    language = po_path.parent.parent.name
    try:
        lines = po_path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise CatalogError(f"label catalog {po_path} is not UTF-8: {error}") from error
    for lineno, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _PO_LINE.fullmatch(stripped):
            raise CatalogError(f"label catalog {po_path}:{lineno} is broken: {line!r}")
    try:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language, domain=DOMAIN, abort_invalid=True)
    except (PoFileError, UnknownLocaleError, ValueError) as error:
        raise CatalogError(f"label catalog {po_path} is broken: {error}") from error
    problems = [
        f"{po_path}:{message.lineno}: msgid {message.id!r}: {problem}"
        for message in catalog
        if message.id and not message.fuzzy
        for problem in message.check(catalog)
    ]
    if problems:
        raise CatalogError("label catalog is broken:\n" + "\n".join(problems))
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    partial = mo_path.with_name(f".{mo_path.name}.partial")
    with partial.open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)
    os.replace(partial, mo_path)


class CatalogBuildHook(BuildHookInterface):
    """Compile ``locales/*/LC_MESSAGES/messages.po`` for wheels and editable installs."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._compiled_dir: Path | None = None
        if self.target_name != "wheel":
            return
        locales = Path(self.root) / LOCALES
        catalogs = sorted(locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
        if not catalogs:
            raise CatalogError(f"no label catalogs found in {locales}")
        if version == "editable":
            # The editable install imports toolkit from the source tree, and
            # toolkit.resources.locales_dir() reads locales/ there.
            for po_path in catalogs:
                compile_catalog(po_path, po_path.with_suffix(".mo"))
            self.app.display_info(f"compiled {len(catalogs)} label catalogs in {locales}")
            return
        # Outside the project root, so hatchling reserves each target path and
        # skips a stale .mo that the "locales" force-include would copy too.
        self._compiled_dir = Path(tempfile.mkdtemp(prefix="press-toolkit-mo-"))
        for po_path in catalogs:
            relative = po_path.relative_to(locales).with_suffix(".mo")
            mo_path = self._compiled_dir / relative
            compile_catalog(po_path, mo_path)
            build_data["force_include"][str(mo_path)] = f"{WHEEL_LOCALES}/{relative.as_posix()}"
        self.app.display_info(f"compiled {len(catalogs)} label catalogs into the wheel")

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        compiled_dir: Path | None = getattr(self, "_compiled_dir", None)
        if compiled_dir is not None:
            shutil.rmtree(compiled_dir, ignore_errors=True)
            self._compiled_dir = None
