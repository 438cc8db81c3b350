"""The stable JSON form of a :class:`~toolkit.model.Release`.

The document is an object with a ``schema`` name and a ``version``; every
other key mirrors the model's fields. A reader of this form refuses a newer
version instead of guessing.

>>> import datetime as dt
>>> from toolkit.model import Paragraph, Release, Text
>>> r = Release(language="de", headline=Text.plain("Titel"), date=dt.date(2024, 4, 19),
...             body=(Paragraph(text=Text.plain("Absatz.")),))
>>> loads(dumps(r)) == r
True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .errors import ReadError
from .model import Release
from .limits import MAX_DIGITS, MAX_NESTING, longest_digit_run, nesting_depth

__all__ = ["SCHEMA", "SCHEMA_VERSION", "dumps", "loads", "to_dict", "from_dict"]

SCHEMA = "press-toolkit/release"
#: Version 2: a speaker's and a contact's role are text (``{"text", "spans"}``) like every other text of a release,
#: and a corrected release's own version is ``release_version`` (in version 1 it collided with the format's
#: ``version`` and was lost). Version 1 is still read.
SCHEMA_VERSION = 2
_READABLE_VERSIONS = (1, SCHEMA_VERSION)

_adapter: TypeAdapter[Release] = TypeAdapter(Release)


def to_dict(release: Release) -> dict[str, Any]:
    data = _adapter.dump_python(release, mode="json")
    data["release_version"] = data.pop("version")
    return {"schema": SCHEMA, "version": SCHEMA_VERSION, **data}


def dumps(release: Release, *, indent: int | None = 2) -> str:
    return json.dumps(to_dict(release), ensure_ascii=False, indent=indent) + "\n"


def from_dict(data: Any, *, path: str | Path | None = None) -> Release:
    if not isinstance(data, dict):
        raise ReadError(path, "release JSON must be an object")
    data = dict(data)
    schema = data.pop("schema", None)
    version = data.pop("version", None)
    if schema != SCHEMA:
        raise ReadError(path, f"not a release document (schema {schema!r}, expected {SCHEMA!r})")
    if version not in _READABLE_VERSIONS:
        raise ReadError(path, f"release JSON version {version!r} is not supported (this toolkit reads versions 1 to {SCHEMA_VERSION})")
    if version == 1:
        data = _roles_as_text(data)
    elif "release_version" in data:
        data["version"] = data.pop("release_version")
    try:
        return _adapter.validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        raise ReadError(path, f"invalid release JSON at {where}: {first['msg']}") from None


def loads(text: str, *, path: str | Path | None = None) -> Release:
    # Checked before parsing: deep nesting exhausts the parser's stack, a huge integer its time.
    if nesting_depth(text) > MAX_NESTING:
        raise ReadError(path, f"not a release document: nested more than {MAX_NESTING} levels deep")
    if longest_digit_run(text) > MAX_DIGITS:
        raise ReadError(path, f"not a release document: a number has more than {MAX_DIGITS} digits")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(path, f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    except (RecursionError, ValueError) as error:
        raise ReadError(path, f"not valid JSON ({error})") from None
    return from_dict(data, path=path)


def _roles_as_text(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1's string roles as version 2 writes them; anything else is left for validation to judge."""

    def upgraded(holder: Any) -> Any:
        if isinstance(holder, dict) and isinstance(holder.get("role"), str):
            return {**holder, "role": {"text": holder["role"], "spans": []}}
        return holder

    body = data.get("body")
    if isinstance(body, list):
        data["body"] = [{**block, "speaker": upgraded(block["speaker"])} if isinstance(block, dict) and "speaker" in block else block
                        for block in body]
    contacts = data.get("contacts")
    if isinstance(contacts, list):
        data["contacts"] = [upgraded(contact) for contact in contacts]
    return data
