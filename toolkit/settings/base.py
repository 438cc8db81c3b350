"""The base of every options type (:class:`Section`), the configuration's error, and the value types shared by the sections.

A section is a frozen pydantic model: unknown keys are errors (typos show), numbers and booleans are strict (TOML is
typed: ``beam_size = "2"`` is refused, not read as 2), and each domain check (a language, a colour, a path) is a
validator that raises ``ValueError`` with one clear sentence. :func:`config_error` turns pydantic's report into one
:class:`ConfigError` line: the file, the dotted key as written in the file (``translation.beam_size``) and the problem.
Paths in a file are relative to the file's folder: pass it as ``context={"folder": ...}`` (:data:`FOLDER`).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, Self

from annotated_types import Ge, Gt, Le, Lt
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, ValidationInfo
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from ..errors import PressToolkitError
from ..languages import check_language

__all__ = ["FOLDER", "ConfigError", "Languages", "Line", "Number", "OptionalLine", "OptionalPath", "Section", "Strings", "Whole",
           "checked", "config_error", "describe", "existing_file", "existing_folder", "resolved_path"]

#: The validation context's key for the folder that relative paths are read against (the configuration file's).
FOLDER = "folder"


class ConfigError(PressToolkitError, ValueError):
    """``presskit.toml`` (or a setting given another way) could not be used.

    A ``ValueError`` as well, so that code building a section with a wrong value gets what Python code expects.

    >>> str(ConfigError("presskit.toml", "branding.colors.primary", "expected a string"))
    'presskit.toml: branding.colors.primary: expected a string'
    """

    def __init__(self, path: str | Path | None, key: str | None, problem: str) -> None:
        self.path = str(path) if path is not None else None
        self.key = key
        self.problem = problem
        parts = [part for part in (self.path, key) if part]
        super().__init__(": ".join([*parts, problem]))


class Section(BaseModel):
    """One table of ``presskit.toml`` (``[pdf]``): the options a stage owns, validated when created.

    A field's alias is its key in the file where the two differ (``bleed`` for ``bleed_mm``); code may use either.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True,
                              arbitrary_types_allowed=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise self.invalid(error) from None

    # Only for construction in code: model_validate (a file, with its folder as context) must not come through here,
    # and pydantic calls a model's own __init__ unless it is marked as its base one (pydantic-settings does the same).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def invalid(cls, error: ValidationError) -> Exception:
        """What a wrong value given in code raises: the toolkit's own error where a check raised one, else a ConfigError."""
        original = _original(error)
        if isinstance(original, PressToolkitError):
            return original
        return config_error(error, cls, path=None)

    @classmethod
    def read(cls, table: dict[str, Any], *, path: Path, prefix: str) -> Self:
        """The section from its table in the file at ``path``; keys as written in the file, paths relative to its folder."""
        try:
            return cls.model_validate(table, context={FOLDER: path.resolve().parent}, by_alias=True, by_name=False)
        except ValidationError as error:
            raise config_error(error, cls, path=path, prefix=prefix) from None

    @classmethod
    def file_keys(cls) -> dict[str, str]:
        """Key in the file → field name."""
        return {info.alias or name: name for name, info in cls.model_fields.items()}

    def display(self, name: str) -> str | None:
        """How ``presskit config show`` prints field ``name`` when the general rule would mislead; None: the general rule."""
        return None


# --- turning pydantic's report into one line ------------------------------------------------------------------------


def config_error(error: ValidationError, model: type[BaseModel], *, path: str | Path | None, prefix: str = "") -> ConfigError:
    """A :class:`ConfigError` naming the first wrong key of ``error`` (dotted, as in the file) and what is wrong with it."""
    details = error.errors(include_url=False)[0]
    loc = details["loc"]
    # An item of a list of plain values is named by its list: "translation.glossaries: no such file: '…'".
    where = loc[:-1] if loc and isinstance(loc[-1], int) and details["type"] != "extra_forbidden" else loc
    key = ".".join(filter(None, [prefix, _dotted(where)]))
    return ConfigError(path, key or None, _problem(details, model))


def _dotted(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _original(error: ValidationError) -> BaseException | None:
    ctx = error.errors(include_url=False)[0].get("ctx") or {}
    original = ctx.get("error")
    return original if isinstance(original, BaseException) else None


def _problem(details: ErrorDetails, model: type[BaseModel]) -> str:
    kind, value, loc = details["type"], details["input"], details["loc"]
    ctx = details.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and isinstance(ctx.get("error"), BaseException):
        return str(ctx["error"])
    if kind == "extra_forbidden":
        _, parent = _walk(model, loc[:-1])
        allowed = sorted(parent.file_keys() if parent and issubclass(parent, Section) else ())
        return "unknown key; allowed here: " + ", ".join(allowed) if allowed else "unknown key"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, not {describe(value)}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, not {describe(value)}"
    if kind == "finite_number":
        return f"expected a finite number, not {value!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, not {describe(value)}"
    if kind == "string_type":
        if loc and isinstance(loc[-1], int):
            return f"expected a list of strings; item {loc[-1] + 1} is {describe(value)}"
        return f"expected a string, not {describe(value)}"
    if kind in ("tuple_type", "list_type"):
        info, _ = _walk(model, loc)
        of_strings = info is not None and _item_type(info.annotation) is str
        return f"expected a list{' of strings' if of_strings else ''}, not {describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type", "dataclass_type"):
        return f"expected a table, not {describe(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        info, _ = _walk(model, loc)
        return _out_of_range(value, info, ctx)
    if kind == "literal_error":
        return f"unknown value {value!r}; choose {ctx.get('expected', '')}"
    if kind == "path_type":
        return f"expected a path, not {describe(value)}"
    return details["msg"]


def _out_of_range(value: Any, info: FieldInfo | None, ctx: dict[str, Any]) -> str:
    """"must be between 1 and 16, not 20": both bounds from the field (pydantic's report names only the one broken)."""
    low, high = ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))
    for bound in info.metadata if info else ():
        if isinstance(bound, (Ge, Gt)):
            low = bound.ge if isinstance(bound, Ge) else bound.gt
        elif isinstance(bound, (Le, Lt)):
            high = bound.le if isinstance(bound, Le) else bound.lt
    if low is not None and high is not None:
        return f"must be between {low:g} and {high:g}, not {value:g}"
    return f"must be at least {low:g}, not {value:g}" if low is not None else f"must be at most {high:g}, not {value:g}"


def _walk(model: type[BaseModel], loc: Sequence[int | str]) -> tuple[FieldInfo | None, type[BaseModel] | None]:
    """The field at ``loc`` and the model it holds (None where ``loc`` leaves the models); ``loc`` empty: no field, ``model``."""
    current: type[BaseModel] | None = model
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a list: the list's item model is already current
        if current is None:
            return None, None
        info = next((field for name, field in current.model_fields.items() if part in (field.alias, name)), None)
        if info is None:
            return None, None
        current = _model_in(info.annotation)
    return info, current


def _unwrap(annotation: Any) -> Any:
    """``annotation`` without ``Annotated[…]`` and ``| None``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            rest = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(rest) != 1:
                return annotation
            annotation = rest[0]
        else:
            return annotation


def _item_type(annotation: Any) -> Any:
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) in (tuple, list):
        args = typing.get_args(annotation)
        return _unwrap(args[0]) if args else None
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, itself or as the items of a list."""
    for candidate in (_unwrap(annotation), _item_type(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def describe(value: object) -> str:
    """What a TOML value is, for an error message: ``a string ('two')``, ``a boolean``, ``a table``.

    >>> describe("two"), describe(True), describe([1])
    ("a string ('two')", 'a boolean', 'a list')
    """
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"a string ({value[:40]!r})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return "a date or time"
    names: dict[type, str] = {list: "a list", tuple: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


# --- value types shared by the sections ------------------------------------------------------------------------------


def _single_line(value: str | None) -> str | None:
    """Stripped; empty is None; a control character (a line break) is an error."""
    if value is None:
        return None
    value = value.strip()
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError("must be a single line of text")
    return value or None


def _non_empty_line(value: str) -> str:
    line = _single_line(value)
    if line is None:
        raise ValueError("must not be empty")
    return line


def _strings(values: tuple[str, ...]) -> tuple[str, ...]:
    """Stripped, without blanks and repeats."""
    return tuple(dict.fromkeys(item.strip() for item in values if item.strip()))


def _path(value: Any, info: ValidationInfo) -> Any:
    """A path as written (``~`` expanded), against the file's folder when read from a file; other values for pydantic to refuse."""
    if isinstance(value, str):
        value = _non_empty_line(value)
    if not isinstance(value, (str, Path)):
        return value
    path = Path(value).expanduser()
    folder = (info.context or {}).get(FOLDER)
    return (folder / path).resolve() if folder is not None else path


def existing_file(path: Path) -> Path:
    if not path.is_file():
        raise ValueError(f"no such file: {str(path)!r}")
    return path


def existing_folder(path: Path) -> Path:
    if not path.is_dir():
        raise ValueError(f"no such folder: {str(path)!r}")
    return path


def checked(check: Callable[[Any], Any]) -> AfterValidator:
    """A validator from a check that raises the toolkit's error: its message becomes the problem."""

    def validate(value: Any) -> Any:
        try:
            return check(value)
        except PressToolkitError as error:
            raise ValueError(str(error)) from None

    return AfterValidator(validate)


#: One line of text, stripped; None when empty.
OptionalLine = Annotated[str | None, AfterValidator(_single_line)]
#: One line of text that must not be empty.
Line = Annotated[str, AfterValidator(_non_empty_line)]
#: A list of strings, stripped, without blanks and repeats.
Strings = Annotated[tuple[str, ...], AfterValidator(_strings)]
#: A path, relative to the configuration file's folder.
resolved_path = BeforeValidator(_path)
OptionalPath = Annotated[Path | None, resolved_path]


def _languages(codes: tuple[str, ...]) -> tuple[str, ...]:
    codes = _strings(codes)
    if not codes:
        raise ValueError("needs at least one language")
    try:
        return tuple(check_language(code) for code in codes)
    except PressToolkitError as error:
        raise ValueError(str(error)) from None


#: A whole number; TOML's ``"2"`` or ``2.0`` is refused. Bounds: ``Annotated[Whole, Field(ge=…, le=…)]``.
Whole = Annotated[int, Field(strict=True)]
#: A finite number (a whole one too); not a string, not ``nan``.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
#: Language tags Babel knows (``de``, ``pt-BR``), at least one.
Languages = Annotated[tuple[str, ...], AfterValidator(_languages)]
