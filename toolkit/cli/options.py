"""The options the commands share, declared once, and the one place they become settings.

``build``, ``translate``, ``batch``, ``watch``, ``export-xliff`` and
``import-xliff`` take the same options (languages, output folder, formats,
translation and PDF settings, the configuration file). Each is declared here
once; a command names the ones it offers with :func:`shared_options` and
receives them as one :class:`CommandOptions`, whose :meth:`~CommandOptions.settings`
lays them over ``presskit.toml`` (:meth:`toolkit.config.Config.override`
records each as the value's origin, which ``config show`` prints).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_type_hints

import typer

from ..formats import DEFAULT_FORMATS, FORMATS

if TYPE_CHECKING:
    from ..config import Config

__all__ = ["CommandOptions", "ConfigOption", "MemoryOption", "OPTION_KEYS", "VerboseOption", "configured", "memory_path", "shared_options"]

F = TypeVar("F", bound=Callable[..., Any])

LanguagesOption = Annotated[
    str | None, typer.Option("--lang", "-l", help="Languages to build, comma-separated; others than the release's are translated. Default: build.languages of the configuration (de).")
]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Output folder; each release gets a subfolder. Default: output.directory of the configuration (output).")]
GlossaryOption = Annotated[
    list[Path] | None,
    typer.Option("--glossary", "-g", help="Glossary CSV for a pair, named …-<from>-<to>.csv (e.g. glossary-de-en.csv); repeatable; replaces the configured ones."),
]
DoNotTranslateOption = Annotated[Path | None, typer.Option("--do-not-translate", help="File with one name or term per line to keep as written.")]
MemoryOption = Annotated[Path | None, typer.Option("--memory", help="Translation memory (SQLite); default in the user's data folder.")]
BeamOption = Annotated[int | None, typer.Option("--beam-size", min=1, max=16, help="Beam size of the decoder (larger: slower, sometimes better); default 2.")]
ThreadsOption = Annotated[int | None, typer.Option("--threads", min=0, help="CPU threads for the model; 0 (default) lets CTranslate2 choose.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="List every QA finding, not only one line per language.")]
ComputeOption = Annotated[str | None, typer.Option("--compute-type", help="CTranslate2 compute type: int8 (default on CPU), int8_float32, float32 …")]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="presskit.toml to use; default: ./presskit.toml, then the user's config folder.")
]
FormatOption = Annotated[str | None, typer.Option("--format", "-f", help=f"Formats, comma-separated: {', '.join(FORMATS)} (default: {', '.join(DEFAULT_FORMATS)}).")]
PdfVariantOption = Annotated[
    str | None, typer.Option("--pdf-variant", help="pdf/a-3u+tags (default: archival and accessible), pdf/ua-1, pdf/a-2b, plain.")
]
PageSizeOption = Annotated[str | None, typer.Option("--page-size", help="A4 (default) or Letter.")]
BleedOption = Annotated[float | None, typer.Option("--bleed", help="Bleed in mm with crop marks, for print shops (e.g. 3).")]
AttachOption = Annotated[bool | None, typer.Option("--attach-source/--no-attach-source", help="Embed the release JSON in the PDF.")]
JobsOption = Annotated[int | None, typer.Option("--jobs", "-j", min=0, help="Render processes; 0: one per CPU core (default).")]
ClusterOption = Annotated[str | None, typer.Option("--cluster", help="Run on a Dask cluster: its scheduler (tcp://host:8786), or local[:N] "
                                                   "for N worker processes here; 'none' runs here. Default: cluster.address of the configuration.")]

#: Option name → (settings key, flag as the user typed it).
OPTION_KEYS: dict[str, tuple[str, str]] = {
    "lang": ("build.languages", "--lang"),
    "format": ("build.formats", "--format"),
    "jobs": ("build.jobs", "--jobs"),
    "out": ("output.directory", "--out"),
    "glossary": ("translation.glossaries", "--glossary"),
    "do_not_translate": ("translation.do_not_translate", "--do-not-translate"),
    "memory": ("translation.memory", "--memory"),
    "beam_size": ("translation.beam_size", "--beam-size"),
    "threads": ("translation.threads", "--threads"),
    "compute_type": ("translation.compute_type", "--compute-type"),
    "pdf_variant": ("pdf.variant", "--pdf-variant"),
    "page_size": ("pdf.page_size", "--page-size"),
    "bleed": ("pdf.bleed", "--bleed"),
    "attach_source": ("pdf.attach_source", "--attach-source"),
    "cluster": ("cluster.address", "--cluster"),
}

#: Each shared option as Typer declares it.
_DECLARED: dict[str, Any] = {
    "lang": LanguagesOption, "out": OutOption, "format": FormatOption, "jobs": JobsOption, "glossary": GlossaryOption,
    "do_not_translate": DoNotTranslateOption, "memory": MemoryOption, "beam_size": BeamOption, "threads": ThreadsOption,
    "compute_type": ComputeOption, "pdf_variant": PdfVariantOption, "page_size": PageSizeOption, "bleed": BleedOption,
    "attach_source": AttachOption, "cluster": ClusterOption, "config": ConfigOption,
}

#: Groups of options that commands offer together.
TRANSLATION = ("glossary", "do_not_translate", "memory", "beam_size", "threads", "compute_type")
PDF = ("pdf_variant", "page_size", "bleed", "attach_source")


@dataclass(frozen=True, kw_only=True)
class CommandOptions:
    """The shared options of one command line; ``None``: not given, the configuration's value stands."""

    config: Path | None = None
    lang: str | None = None
    out: Path | None = None
    format: str | None = None
    jobs: int | None = None
    glossary: list[Path] | None = None
    do_not_translate: Path | None = None
    memory: Path | None = None
    beam_size: int | None = None
    threads: int | None = None
    compute_type: str | None = None
    pdf_variant: str | None = None
    page_size: str | None = None
    bleed: float | None = None
    attach_source: bool | None = None
    cluster: str | None = None

    def settings(self, **fixed: object) -> Config:
        """``presskit.toml`` with these options on top; ``fixed`` are a command's own (``format="json"`` for ``translate``)."""
        given = {field.name: getattr(self, field.name) for field in fields(self) if field.name != "config"}
        return configured(self.config, **{**given, **fixed})


def configured(config_path: Path | None, **options: object) -> Config:
    """The configuration file's settings with the command line's options on top (``None``: not given)."""
    from ..builder import parse_formats, parse_languages
    from ..config import load_config
    from ..settings.sections import check_cluster_address

    config = load_config(config_path)
    converters: dict[str, Callable[[object], object]] = {
        "build.languages": lambda value: parse_languages(str(value)),
        "build.formats": lambda value: parse_formats(str(value)),
        "translation.glossaries": lambda value: tuple(value) if isinstance(value, list) and value else None,
        "cluster.address": lambda value: check_cluster_address(str(value)),
    }
    for name, value in options.items():
        key, flag = OPTION_KEYS[name]
        if value is None:
            continue
        converted = converters.get(key, lambda v: v)(value)
        config = config.override(key, converted, flag)
    return config


def shared_options(*names: str) -> Callable[[F], F]:
    """Give a command the shared options ``names`` (and ``--config``), handed to it as ``options: CommandOptions``.

    Typer reads a command's parameters from its signature, so the wrapper shows
    the command's own parameters followed by the shared ones.
    """

    def decorate(command: F) -> F:
        own = inspect.signature(command, eval_str=True)
        hints = get_type_hints(command, include_extras=True)
        parameters = [parameter.replace(annotation=hints.get(parameter.name, parameter.annotation))
                      for parameter in own.parameters.values() if parameter.name != "options"]
        offered = (*names, "config")
        parameters += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=_DECLARED[name])
                       for name in offered]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            shared = CommandOptions(**{name: kwargs.pop(name) for name in offered})
            return command(*args, options=shared, **kwargs)

        del wrapper.__wrapped__  # Typer must see the wrapper's signature, not the command's
        wrapper.__signature__ = own.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
        return wrapper  # type: ignore[return-value]

    return decorate


def memory_path(settings: Config) -> Path:
    """The translation memory's file as ``settings`` name it, its folder made."""
    path = settings.translation.memory_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
