"""Output keys: the SHA-256 of everything an output is made from, so that a run skips what is up to date."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from ..version import __version__
from ..model import Release
from ..release_json import dumps
from ..render.options import Branding
from ..resources import locales_dir, templates_dir
from ..files import sha256_file, sha256_of
from .options import RunOptions

__all__ = ["KEY_SCHEMA", "branding_digest", "image_digest", "output_key", "templates_digest"]


#: Bumped when the key's recipe changes, so old keys never match.
KEY_SCHEMA = "press-toolkit/output-key/1"


def output_key(release: Release, output_format: str, *, source: Path, options: RunOptions) -> str:
    parts: dict[str, object] = {
        "schema": KEY_SCHEMA,
        "toolkit": __version__,
        "format": output_format,
        "release": sha256_of(dumps(release).encode("utf-8")),
        "image": image_digest(release, source.parent),
        "templates": templates_digest(),
        "branding": branding_digest(options.branding),
    }
    if output_format == "pdf":
        parts["pdf"] = repr(options.pdf_options)
    if output_format == "html":
        parts["alternates"] = list(options.languages)
    return sha256_of(json.dumps(parts, sort_keys=True).encode("utf-8"))


def image_digest(release: Release, assets_dir: Path) -> str | None:
    if release.image is None or not release.image.src:
        return None
    path = (assets_dir / release.image.src).resolve()
    if not path.is_relative_to(assets_dir.resolve()) or not path.is_file():
        return None
    return sha256_file(path)


@functools.cache
def templates_digest() -> str:
    """The templates, stylesheets, fonts and label catalogs: a change to any of them rebuilds every output."""
    digest = hashlib.sha256()
    for root in (templates_dir(), locales_dir()):
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or relative.parts[0] == "service" or path.suffix == ".mo":
                continue
            digest.update(str(relative).encode("utf-8") + b"\0")
            with open(path, "rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
            digest.update(b"\0")
    return digest.hexdigest()


def branding_digest(branding: Branding | None) -> str | None:
    if branding is None:
        return None
    logo = sha256_file(branding.logo) if branding.logo is not None else None
    return sha256_of(f"{branding!r}\0{logo}".encode())
