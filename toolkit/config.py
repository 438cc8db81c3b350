"""``presskit.toml``: an office's settings and branding, kept out of the code.

Where the file is looked up (:func:`find_config`), first match wins:

1. an explicit path (the CLI's ``--config``); it must exist;
2. ``presskit.toml`` in the current directory;
3. ``$XDG_CONFIG_HOME/press-toolkit/presskit.toml``
   (``~/.config/press-toolkit/presskit.toml`` when ``XDG_CONFIG_HOME`` is unset);
4. none: built-in defaults (no branding; the output looks as without a config).

The format (every key and every section optional; unknown keys are an
error, so typos show). Paths are relative to the file's folder::

    [build]
    languages = ["de", "en", "fr"]   # default languages of build, batch, watch
    formats = ["pdf", "html", "json"]
    jobs = 0                         # render processes of a batch; 0: one per CPU core

    [translation]
    glossaries = ["glossary-de-en.csv"]        # named …-<from>-<to>.csv or .tbx
    do_not_translate = "do-not-translate.txt"
    memory = "tm.sqlite"           # default: the user's data folder
    models = "models/"             # Argos packages folder; default: Argos's own
    beam_size = 2
    threads = 0                    # CPU threads for the model; 0: one per core
    inter_threads = 0              # batches translated at once, sharing the threads; 0: one per thread
    batch_tokens = 1024            # source tokens per batch
    compute_type = "int8"

    [output]
    directory = "output"
    folder = "{year}/{slug}"       # fields: {slug} {date} {year} {month} {number}

    [pdf]
    variant = "pdf/a-3u+tags"      # see toolkit.render.variants
    page_size = "A4"               # or "Letter"
    bleed = 0                      # mm, with crop marks when > 0
    attach_source = false

    [service]                      # presskit serve
    api_keys = ["…"]               # or $PRESSKIT_API_KEYS (comma-separated), which wins
    languages = ["de", "en", "fr"] # languages a client may ask for
    max_request_mb = 10
    workers = 1                    # jobs processed at the same time
    jobs_dir = "jobs/"             # default: the user's data folder
    cors_origins = []              # CORS off unless origins are listed

    [cluster]                      # presskit batch on a Dask cluster (the "cluster" extra)
    address = "tcp://scheduler:8786"   # or "local" / "local:4": a cluster on this machine

    [branding]
    organization = "Land Beispielland"          # the sender: letterhead and footer
    logo = "branding/logo.svg"                  # SVG or PNG, relative to this file's folder
    logo_alt = "Land Beispielland"              # alt text; default: organization
    address = "Horionplatz 1 · 40213 Düsseldorf" # one line, under the letterhead and in the footer

    [branding.colors]
    primary = "#1f3a5f"    # rules, sender name, links, contact labels
    accent = "#c8102e"     # the logo rule, quote bars, contact boxes
    # only "#rgb" or "#rrggbb": a colour never carries anything else into CSS

    [branding.boilerplate]  # used when a release has no boilerplate of its own
    title = "Über Beispielland"
    text = \"\"\"First paragraph.

    Second paragraph (paragraphs are separated by a blank line).\"\"\"

    [[branding.contacts]]   # used when a release has no contacts of its own; repeatable
    label = "Pressestelle"
    organization = "Staatskanzlei Beispielland"
    person = "Erika Mustermann"
    role = "Pressesprecherin"
    phone = "0211 837-1134"                    # a string or a list of strings
    email = "presse [at] beispielland [dot] de" # de-obfuscated; string or list
    url = "https://www.beispielland.de"         # string or list

:meth:`Config.settings` lists every effective value and where it came from
(``presskit config show``): ``default``, the file, an environment variable or
a command-line option (:meth:`Config.override`).

Errors are :class:`ConfigError`, naming the file, the key path
(``branding.colors.primary``) and the problem; TOML syntax errors give the
line and column.

The configuration is trusted (it is the office's own file), but release text
still never reaches the logo: the renderer passes the logo's path itself,
and the PDF's URL fetcher allows that one file, not its folder.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .languages import check_language
from .paths import data_dir, default_memory_path
from .render.variants import DEFAULT_VARIANT, MAX_BLEED_MM, PAGE_SIZES, variant
from .formats import DEFAULT_FORMATS, FORMATS

from .errors import PressToolkitError
from .model import Boilerplate, Contact, Text
from .read.german import deobfuscate_emails, parse_phone

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_ACCENT",
    "DEFAULT_PRIMARY",
    "MAX_LOGO_BYTES",
    "Branding",
    "BuildSettings",
    "Config",
    "OutputSettings",
    "PdfSettings",
    "ServiceSettings",
    "ClusterSettings",
    "Setting",
    "TranslationSettings",
    "ConfigError",
    "find_config",
    "load_config",
    "read_config",
    "user_config_path",
]

CONFIG_NAME = "presskit.toml"
DEFAULT_PRIMARY = "#1f3a5f"
DEFAULT_ACCENT = "#c8102e"
#: A logo is a small file; this keeps the inlined web page and the PDF sane.
MAX_LOGO_BYTES = 1024 * 1024
LOGO_SUFFIXES = {".svg": "image/svg+xml", ".png": "image/png"}

#: Languages with a label catalog in ``locales/``: what the service offers by default.
CATALOG_LANGUAGES = ("de", "en", "fr", "es", "it", "nl", "pl", "ar")
API_KEYS_VARIABLE = "PRESSKIT_API_KEYS"
FOLDER_FIELDS = ("slug", "date", "year", "month", "number")

MIN_API_KEY_LENGTH = 16
_COMPUTE_TYPES = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32", "auto", "default")

_HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class ConfigError(PressToolkitError):
    """``presskit.toml`` could not be used.

    >>> str(ConfigError("presskit.toml", "branding.colors.primary", "expected a string"))
    'presskit.toml: branding.colors.primary: expected a string'
    """

    def __init__(self, path: str | Path | None, key: str | None, problem: str) -> None:
        self.path = str(path) if path is not None else None
        self.key = key
        self.problem = problem
        parts = [part for part in (self.path, key) if part]
        super().__init__(": ".join([*parts, problem]))


def valid_color(value: str) -> str:
    """``value`` lower-cased if it is ``#rgb`` or ``#rrggbb``; else ValueError.

    >>> valid_color("#1F3A5F")
    '#1f3a5f'
    """
    if not isinstance(value, str) or not _HEX_COLOR.fullmatch(value):
        raise ValueError(f"expected a colour as #rgb or #rrggbb, not {value!r}")
    return value.lower()


@dataclass(frozen=True, kw_only=True)
class Branding:
    """The sender's look and standing texts; see the module docstring."""

    organization: str | None = None
    #: An existing SVG or PNG file (absolute once loaded from a file).
    logo: Path | None = None
    logo_alt: str | None = None
    primary_color: str = DEFAULT_PRIMARY
    accent_color: str = DEFAULT_ACCENT
    address: str | None = None
    boilerplate: Boilerplate | None = None
    contacts: tuple[Contact, ...] = ()

    def __post_init__(self) -> None:
        # Also when built in code: only validated colours ever reach CSS.
        object.__setattr__(self, "primary_color", valid_color(self.primary_color))
        object.__setattr__(self, "accent_color", valid_color(self.accent_color))
        if self.logo is not None:
            suffix = self.logo.suffix.lower()
            if suffix not in LOGO_SUFFIXES:
                raise ValueError(
                    f"the logo must be an SVG or PNG file, not {self.logo.name!r}"
                )
            if not self.logo.is_file():
                raise ValueError(f"the logo file {str(self.logo)!r} does not exist")
            if self.logo.stat().st_size > MAX_LOGO_BYTES:
                raise ValueError(
                    f"the logo file {str(self.logo)!r} is larger than {MAX_LOGO_BYTES} bytes"
                )

    @property
    def alt_text(self) -> str:
        """The logo's alt text: ``logo_alt``, else the organization, else empty."""
        return self.logo_alt or self.organization or ""

    @property
    def logo_media_type(self) -> str | None:
        return LOGO_SUFFIXES[self.logo.suffix.lower()] if self.logo else None


@dataclass(frozen=True, kw_only=True)
class BuildSettings:
    languages: tuple[str, ...] = ("de",)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    #: Render processes of a batch; 0: one per CPU core.
    jobs: int = 0


@dataclass(frozen=True, kw_only=True)
class TranslationSettings:
    glossaries: tuple[Path, ...] = ()
    do_not_translate: Path | None = None
    #: None: :func:`toolkit.paths.default_memory_path`.
    memory: Path | None = None
    #: None: Argos's own packages folder (``$ARGOS_PACKAGES_DIR`` or its default).
    models: Path | None = None
    beam_size: int = 2
    threads: int = 0
    #: Batches the model translates at the same time (:class:`toolkit.translate.engine.EngineOptions`).
    inter_threads: int = 0
    batch_tokens: int = 1024
    compute_type: str = "int8"

    @property
    def memory_path(self) -> Path:
        return self.memory or default_memory_path()


@dataclass(frozen=True, kw_only=True)
class OutputSettings:
    directory: Path = Path("output")
    #: The folder of one release under ``directory``; see :data:`FOLDER_FIELDS`.
    folder: str = "{slug}"
    #: Print "Version 2, corrected on …" on the sheets of a corrected release.
    show_version: bool = False


@dataclass(frozen=True, kw_only=True)
class PdfSettings:
    variant: str = DEFAULT_VARIANT
    page_size: str = "A4"
    bleed: float = 0
    attach_source: bool = False


@dataclass(frozen=True, kw_only=True)
class ServiceSettings:
    #: Keys a client must send (``X-API-Key``); empty: the service refuses to start on a non-loopback host.
    api_keys: tuple[str, ...] = ()
    languages: tuple[str, ...] = CATALOG_LANGUAGES
    max_request_mb: float = 10
    workers: int = 1
    #: None: ``<data folder>/service``.
    jobs_dir: Path | None = None
    cors_origins: tuple[str, ...] = ()
    #: Where the LibreTranslate-compatible endpoints are mounted: "" (the root) or a path such as "/libretranslate".
    libretranslate_prefix: str = ""
    #: Seconds a job may run; a longer one fails and its worker process is replaced.
    job_timeout: float = 300
    #: Seconds a client has to send a request's headers; then its connection is closed (slowloris).
    header_timeout: float = 10

    @property
    def max_request_bytes(self) -> int:
        return int(self.max_request_mb * 1024 * 1024)

    @property
    def jobs_path(self) -> Path:
        return self.jobs_dir or data_dir() / "service"


@dataclass(frozen=True)
class Setting:
    """One effective value as ``presskit config show`` prints it."""

    key: str
    value: str
    origin: str


@dataclass(frozen=True, kw_only=True)
class ClusterSettings:
    #: The Dask scheduler ``presskit batch`` runs on (``tcp://scheduler:8786``; ``local`` / ``local:N``: a cluster of
    #: N worker processes on this machine); None: the batch runs here. See :mod:`toolkit.cluster`.
    address: str | None = None


_CLUSTER_ADDRESS = re.compile(r"local(?::[1-9]\d{0,2})?|(?:(?:tcp|tls|ws|wss|ucx)://)?[A-Za-z0-9_.\-\[\]:]+:\d{1,5}")


def check_cluster_address(value: str) -> str:
    """``value`` if it names a Dask scheduler (``tcp://host:8786``, ``host:8786``) or ``local`` / ``local:N``.

    >>> check_cluster_address("tcp://10.0.0.5:8786"), check_cluster_address("local:4")
    ('tcp://10.0.0.5:8786', 'local:4')
    """
    value = value.strip()
    if not _CLUSTER_ADDRESS.fullmatch(value):
        raise PressToolkitError(f"{value!r} is not a Dask scheduler address such as tcp://scheduler:8786, nor local or local:N")
    return value


_SECTIONS = ("build", "translation", "output", "pdf", "service", "cluster")


@dataclass(frozen=True, kw_only=True)
class Config:
    branding: Branding = field(default_factory=Branding)
    build: BuildSettings = field(default_factory=BuildSettings)
    translation: TranslationSettings = field(default_factory=TranslationSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    #: The file read, or None for the built-in defaults.
    source: Path | None = None
    #: Where each non-default value came from, by dotted key (``pdf.variant``).
    origins: Mapping[str, str] = field(default_factory=dict)

    @property
    def branded(self) -> Branding | None:
        """The branding when a file or the code gave one, else None (the unbranded sheet)."""
        return None if self.branding == Branding() else self.branding

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    def override(self, key: str, value: Any, origin: str) -> Config:
        """This configuration with ``key`` (``build.languages``) set to ``value``, noting ``origin``.

        ``value`` None leaves the configuration as it is (an option not given).
        """
        if value is None:
            return self
        section_name, _, name = key.partition(".")
        if section_name not in _SECTIONS:
            raise KeyError(key)
        section = getattr(self, section_name)
        if name not in {f.name for f in dataclasses.fields(section)}:
            raise KeyError(key)
        return dataclasses.replace(
            self,
            **{section_name: dataclasses.replace(section, **{name: value})},
            origins={**self.origins, key: origin},
        )

    def settings(self) -> list[Setting]:
        """Every effective setting with its origin (API keys masked)."""
        rows = [Setting("config file", str(self.source) if self.source else "(none)", "lookup")]
        for section_name in _SECTIONS:
            section = getattr(self, section_name)
            for item in dataclasses.fields(section):
                key = f"{section_name}.{item.name}"
                rows.append(Setting(key, _show(key, getattr(section, item.name), self), self.origin(key)))
        branding = self.branding
        for name in ("organization", "logo", "logo_alt", "address", "primary_color", "accent_color"):
            value = getattr(branding, name)
            rows.append(Setting(f"branding.{name}", _show(name, value, self), self.origin("branding")))
        rows.append(Setting("branding.boilerplate", "yes" if branding.boilerplate else "(none)", self.origin("branding")))
        rows.append(Setting("branding.contacts", str(len(branding.contacts)), self.origin("branding")))
        return rows


def _show(key: str, value: Any, config: Config) -> str:
    if key == "service.api_keys":
        return f"{len(value)} key(s)" if value else "(none)"
    if key == "translation.memory" and value is None:
        return str(default_memory_path())
    if key == "translation.models" and value is None:
        from .translate.packages import packages_dir

        return str(packages_dir())
    if key == "service.jobs_dir" and value is None:
        return str(config.service.jobs_path)
    if key == "build.jobs" and value == 0:
        return f"0 (one per CPU core: {os.cpu_count() or 1})"
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value) or "(none)"
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def config_from_environment(config: Config) -> Config:
    """Settings the environment overrides: ``$PRESSKIT_API_KEYS`` (comma-separated)."""
    keys = os.environ.get(API_KEYS_VARIABLE)
    if keys is None:
        return config
    values = tuple(key.strip() for key in keys.split(",") if key.strip())
    # The same rule as for keys in presskit.toml: a short key is guessed, wherever it is set.
    short = [key for key in values if len(key) < MIN_API_KEY_LENGTH]
    if short:
        raise ConfigError(f"environment {API_KEYS_VARIABLE}", None,
                          f"an API key has {len(short[0])} characters; use at least {MIN_API_KEY_LENGTH} (e.g. openssl rand -hex 16)")
    return config.override("service.api_keys", values, f"environment {API_KEYS_VARIABLE}")


def check_folder_pattern(pattern: str) -> str:
    """``pattern`` if it only uses :data:`FOLDER_FIELDS` and stays below the output folder.

    >>> check_folder_pattern("{year}/{slug}")
    '{year}/{slug}'
    >>> check_folder_pattern("{title}")
    Traceback (most recent call last):
    ...
    ValueError: unknown field {title}; use {slug}, {date}, {year}, {month}, {number}
    """
    fields = [name for _, name, spec, conversion in string.Formatter().parse(pattern) if name is not None]
    for name in fields:
        if name not in FOLDER_FIELDS:
            raise ValueError(f"unknown field {{{name}}}; use {', '.join('{' + f + '}' for f in FOLDER_FIELDS)}")
    if "slug" not in fields:
        raise ValueError("the pattern must contain {slug}, so that every release gets a folder of its own")
    parts = Path(pattern).parts
    if Path(pattern).is_absolute() or ".." in parts:
        raise ValueError("the pattern must stay inside the output folder (no leading / and no ..)")
    return pattern


# --- lookup ------------------------------------------------------------------


def user_config_path() -> Path:
    """``$XDG_CONFIG_HOME/press-toolkit/presskit.toml`` (default ``~/.config/…``)."""
    base = os.environ.get("XDG_CONFIG_HOME")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "press-toolkit" / CONFIG_NAME


def find_config(explicit: str | Path | None = None) -> Path | None:
    """The file to read (see the module docstring), or None for the defaults."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(path, None, "no such configuration file")
        return path
    for candidate in (Path.cwd() / CONFIG_NAME, user_config_path()):
        if candidate.is_file():
            return candidate
    return None


def load_config(explicit: str | Path | None = None) -> Config:
    """The configuration found by :func:`find_config` (or the defaults), then the environment's overrides."""
    path = find_config(explicit)
    return config_from_environment(Config() if path is None else read_config(path))


# --- reading -------------------------------------------------------------------


def read_config(path: str | Path) -> Config:
    """Read and validate one ``presskit.toml``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(
            path, None, f"cannot read the file: {error.strerror or error}"
        ) from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(
            path, None, f"not UTF-8 text ({error.reason} at byte {error.start})"
        ) from error
    except tomllib.TOMLDecodeError as error:
        # The message already ends with "(at line N, column M)".
        raise ConfigError(path, None, f"invalid TOML: {error}") from error
    reader = _Reader(path)
    reader.keys(data, "", {"branding", *_SECTIONS})
    branding_table = reader.table(data, "branding")
    config = Config(
        branding=reader.branding(branding_table),
        build=reader.build(reader.table(data, "build")),
        translation=reader.translation(reader.table(data, "translation")),
        output=reader.output(reader.table(data, "output")),
        pdf=reader.pdf(reader.table(data, "pdf")),
        service=reader.service(reader.table(data, "service")),
        cluster=reader.cluster(reader.table(data, "cluster")),
        source=path.resolve(),
    )
    origins = dict(reader.origins)
    if branding_table:
        origins["branding"] = str(path)
    return dataclasses.replace(config, origins=origins)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.resolve().parent
        self.origins: dict[str, str] = {}

    # --- typed values of the settings sections; each notes its origin ---------

    def present(self, table: dict[str, Any], key: str, prefix: str) -> bool:
        if key in table:
            self.origins[self.join(prefix, key)] = str(self.path)
            return True
        return False

    def integer(self, table: dict[str, Any], key: str, prefix: str, default: int, *, low: int, high: int) -> int:
        if not self.present(table, key, prefix):
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(self.join(prefix, key), f"expected a whole number, not {_kind(value)}")
        if not low <= value <= high:
            raise self.error(self.join(prefix, key), f"must be between {low} and {high}, not {value}")
        return value

    def number(self, table: dict[str, Any], key: str, prefix: str, default: float, *, low: float, high: float) -> float:
        if not self.present(table, key, prefix):
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.error(self.join(prefix, key), f"expected a number, not {_kind(value)}")
        if not low <= value <= high:
            raise self.error(self.join(prefix, key), f"must be between {low:g} and {high:g}, not {value:g}")
        return value

    def boolean(self, table: dict[str, Any], key: str, prefix: str, default: bool) -> bool:
        if not self.present(table, key, prefix):
            return default
        value = table[key]
        if not isinstance(value, bool):
            raise self.error(self.join(prefix, key), f"expected true or false, not {_kind(value)}")
        return value

    def text(self, table: dict[str, Any], key: str, prefix: str, default: str) -> str:
        if not self.present(table, key, prefix):
            return default
        value = self.line(table, key, prefix)
        if value is None:
            raise self.error(self.join(prefix, key), "must not be empty")
        return value

    def choice(self, table: dict[str, Any], key: str, prefix: str, default: str, choices: Any) -> str:
        value = self.text(table, key, prefix, default)
        if value not in choices:
            raise self.error(self.join(prefix, key), f"unknown value {value!r}; choose one of: {', '.join(choices)}")
        return value

    def path_value(self, table: dict[str, Any], key: str, prefix: str, *, must_exist: bool = False) -> Path | None:
        if not self.present(table, key, prefix):
            return None
        value = self.line(table, key, prefix)
        if value is None:
            raise self.error(self.join(prefix, key), "must not be empty")
        return self.resolve(value, self.join(prefix, key), must_exist=must_exist)

    def resolve(self, value: str, key: str, *, must_exist: bool) -> Path:
        path = (self.folder / Path(value).expanduser()).resolve()
        if must_exist and not path.is_file():
            raise self.error(key, f"no such file: {str(path)!r}")
        return path

    def listed(self, table: dict[str, Any], key: str, prefix: str) -> tuple[str, ...] | None:
        if not self.present(table, key, prefix):
            return None
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(self.join(prefix, key), f"expected a list of strings, not {_kind(value)}")
        return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))

    def languages(self, table: dict[str, Any], key: str, prefix: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.listed(table, key, prefix)
        if value is None:
            return default
        if not value:
            raise self.error(self.join(prefix, key), "needs at least one language")
        for code in value:
            try:
                check_language(code)
            except PressToolkitError as error:
                raise self.error(self.join(prefix, key), str(error)) from None
        return value

    # --- sections -----------------------------------------------------------------

    def build(self, table: dict[str, Any]) -> BuildSettings:
        prefix = "build"
        self.keys(table, prefix, {"languages", "formats", "jobs"})
        formats = self.listed(table, "formats", prefix)
        if formats is not None:
            unknown = [f for f in formats if f not in FORMATS]
            if unknown or not formats:
                raise self.error("build.formats", f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
        return BuildSettings(
            languages=self.languages(table, "languages", prefix, BuildSettings.languages),
            formats=formats or DEFAULT_FORMATS,
            jobs=self.integer(table, "jobs", prefix, 0, low=0, high=256),
        )

    def translation(self, table: dict[str, Any]) -> TranslationSettings:
        prefix = "translation"
        self.keys(table, prefix, {"glossaries", "do_not_translate", "memory", "models", "beam_size", "threads", "inter_threads",
                                  "batch_tokens", "compute_type"})
        glossaries = self.listed(table, "glossaries", prefix) or ()
        models = self.path_value(table, "models", prefix)
        if models is not None and not models.is_dir():
            raise self.error("translation.models", f"no such folder: {str(models)!r}")
        return TranslationSettings(
            glossaries=tuple(self.resolve(item, "translation.glossaries", must_exist=True) for item in glossaries),
            do_not_translate=self.path_value(table, "do_not_translate", prefix, must_exist=True),
            memory=self.path_value(table, "memory", prefix),
            models=models,
            beam_size=self.integer(table, "beam_size", prefix, 2, low=1, high=16),
            threads=self.integer(table, "threads", prefix, 0, low=0, high=256),
            inter_threads=self.integer(table, "inter_threads", prefix, 0, low=0, high=256),
            batch_tokens=self.integer(table, "batch_tokens", prefix, 1024, low=1, high=1_000_000),
            compute_type=self.choice(table, "compute_type", prefix, "int8", _COMPUTE_TYPES),
        )

    def output(self, table: dict[str, Any]) -> OutputSettings:
        prefix = "output"
        self.keys(table, prefix, {"directory", "folder", "show_version"})
        folder = self.text(table, "folder", prefix, "{slug}")
        try:
            check_folder_pattern(folder)
        except ValueError as error:
            raise self.error("output.folder", str(error)) from None
        return OutputSettings(directory=self.path_value(table, "directory", prefix) or Path("output"), folder=folder,
                              show_version=self.boolean(table, "show_version", prefix, False))

    def pdf(self, table: dict[str, Any]) -> PdfSettings:
        prefix = "pdf"
        self.keys(table, prefix, {"variant", "page_size", "bleed", "attach_source"})
        name = self.text(table, "variant", prefix, DEFAULT_VARIANT)
        try:
            variant(name)
        except PressToolkitError as error:
            raise self.error("pdf.variant", str(error)) from None
        return PdfSettings(
            variant=name,
            page_size=self.choice(table, "page_size", prefix, "A4", tuple(PAGE_SIZES)),
            bleed=self.number(table, "bleed", prefix, 0, low=0, high=MAX_BLEED_MM),
            attach_source=self.boolean(table, "attach_source", prefix, False),
        )

    def service(self, table: dict[str, Any]) -> ServiceSettings:
        prefix = "service"
        self.keys(table, prefix, {"api_keys", "languages", "max_request_mb", "workers", "jobs_dir", "cors_origins",
                                  "libretranslate_prefix", "job_timeout", "header_timeout"})
        keys = self.listed(table, "api_keys", prefix) or ()
        short = [key for key in keys if len(key) < MIN_API_KEY_LENGTH]
        if short:
            raise self.error("service.api_keys", f"an API key needs at least {MIN_API_KEY_LENGTH} characters")
        return ServiceSettings(
            api_keys=keys,
            languages=self.languages(table, "languages", prefix, CATALOG_LANGUAGES),
            max_request_mb=self.number(table, "max_request_mb", prefix, 10, low=0.001, high=1024),
            workers=self.integer(table, "workers", prefix, 1, low=1, high=64),
            jobs_dir=self.path_value(table, "jobs_dir", prefix),
            cors_origins=self.listed(table, "cors_origins", prefix) or (),
            libretranslate_prefix=self.url_prefix(table, "libretranslate_prefix", prefix),
            job_timeout=self.number(table, "job_timeout", prefix, 300, low=1, high=7 * 24 * 3600),
            header_timeout=self.number(table, "header_timeout", prefix, 10, low=0.1, high=3600),
        )

    def cluster(self, table: dict[str, Any]) -> ClusterSettings:
        self.keys(table, "cluster", {"address"})
        if not self.present(table, "address", "cluster"):
            return ClusterSettings()
        value = self.line(table, "address", "cluster")
        try:
            return ClusterSettings(address=check_cluster_address(value or ""))
        except PressToolkitError as error:
            raise self.error("cluster.address", str(error)) from None

    def url_prefix(self, table: dict[str, Any], key: str, prefix: str) -> str:
        """A URL path prefix, normalized: "" or "/a/b" (no trailing slash, no "." or ".." segments)."""
        value = (self.line(table, key, prefix) or "") if self.present(table, key, prefix) else ""
        parts = [part for part in value.split("/") if part]
        if any(part in (".", "..") or not re.fullmatch(r"[A-Za-z0-9._~-]+", part) for part in parts):
            raise self.error(self.join(prefix, key), f"{value!r} is not a URL path such as \"/libretranslate\"")
        return "".join(f"/{part}" for part in parts)

    def error(self, key: str | None, problem: str) -> ConfigError:
        return ConfigError(self.path, key or None, problem)

    @staticmethod
    def join(prefix: str, key: str) -> str:
        return f"{prefix}.{key}" if prefix else key

    def keys(self, table: dict[str, Any], prefix: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                where = self.join(prefix, key)
                raise self.error(
                    where, f"unknown key; allowed here: {', '.join(sorted(allowed))}"
                )

    def table(
        self, parent: dict[str, Any], key: str, prefix: str = ""
    ) -> dict[str, Any]:
        value = parent.get(key, {})
        if not isinstance(value, dict):
            raise self.error(
                self.join(prefix, key), f"expected a table, not {_kind(value)}"
            )
        return value

    def string(self, table: dict[str, Any], key: str, prefix: str) -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str):
            raise self.error(
                self.join(prefix, key), f"expected a string, not {_kind(value)}"
            )
        value = value.strip()
        return value or None

    def line(self, table: dict[str, Any], key: str, prefix: str) -> str | None:
        value = self.string(table, key, prefix)
        if value is not None and any(
            ord(char) < 0x20 or ord(char) == 0x7F for char in value
        ):
            raise self.error(self.join(prefix, key), "must be a single line of text")
        return value

    def strings(self, table: dict[str, Any], key: str, prefix: str) -> tuple[str, ...]:
        if key not in table:
            return ()
        value = table[key]
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(
            isinstance(item, str) for item in items
        ):
            raise self.error(
                self.join(prefix, key),
                f"expected a string or a list of strings, not {_kind(value)}",
            )
        return tuple(item.strip() for item in items if item.strip())

    def color(self, table: dict[str, Any], key: str, prefix: str, default: str) -> str:
        value = table.get(key, default)
        try:
            return valid_color(value)
        except ValueError as error:
            raise self.error(self.join(prefix, key), str(error)) from None

    def branding(self, table: dict[str, Any]) -> Branding:
        prefix = "branding"
        self.keys(
            table,
            prefix,
            {
                "organization",
                "logo",
                "logo_alt",
                "address",
                "colors",
                "boilerplate",
                "contacts",
            },
        )
        colors = self.table(table, "colors", prefix)
        self.keys(colors, "branding.colors", {"primary", "accent"})
        logo = self.logo(table, prefix)
        try:
            return Branding(
                organization=self.line(table, "organization", prefix),
                logo=logo,
                logo_alt=self.line(table, "logo_alt", prefix),
                address=self.line(table, "address", prefix),
                primary_color=self.color(
                    colors, "primary", "branding.colors", DEFAULT_PRIMARY
                ),
                accent_color=self.color(
                    colors, "accent", "branding.colors", DEFAULT_ACCENT
                ),
                boilerplate=self.boilerplate(table, prefix),
                contacts=self.contacts(table, prefix),
            )
        except ValueError as error:  # a check in Branding itself
            raise self.error(prefix, str(error)) from None

    def logo(self, table: dict[str, Any], prefix: str) -> Path | None:
        value = self.string(table, "logo", prefix)
        if value is None:
            return None
        key = self.join(prefix, "logo")
        path = (self.folder / Path(value).expanduser()).resolve()
        if path.suffix.lower() not in LOGO_SUFFIXES:
            raise self.error(key, f"the logo must be an SVG or PNG file, not {value!r}")
        if not path.is_file():
            raise self.error(key, f"the logo file {str(path)!r} does not exist")
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise self.error(
                key, f"the logo file has {size} bytes, more than {MAX_LOGO_BYTES}"
            )
        head = path.read_bytes()[:4096]
        if path.suffix.lower() == ".png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
            raise self.error(key, f"{str(path)!r} is not a PNG file")
        if path.suffix.lower() == ".svg" and b"<svg" not in head:
            raise self.error(key, f"{str(path)!r} is not an SVG file")
        return path

    def boilerplate(self, table: dict[str, Any], prefix: str) -> Boilerplate | None:
        if "boilerplate" not in table:
            return None
        prefix = self.join(prefix, "boilerplate")
        section = self.table(table, "boilerplate", "branding")
        self.keys(section, prefix, {"title", "text"})
        title = self.line(section, "title", prefix)
        text = self.string(section, "text", prefix) or ""
        paragraphs = tuple(
            Text.plain(" ".join(part.split()))
            for part in _PARAGRAPH_BREAK.split(text)
            if part.strip()
        )
        if title is None and not paragraphs:
            return None
        return Boilerplate(
            title=Text.plain(title) if title else None, paragraphs=paragraphs
        )

    def contacts(self, table: dict[str, Any], prefix: str) -> tuple[Contact, ...]:
        if "contacts" not in table:
            return ()
        value = table["contacts"]
        key = self.join(prefix, "contacts")
        if not isinstance(value, list) or not all(
            isinstance(item, dict) for item in value
        ):
            raise self.error(
                key, f"expected [[branding.contacts]] tables, not {_kind(value)}"
            )
        return tuple(
            self.contact(item, f"{key}[{index}]") for index, item in enumerate(value)
        )

    def contact(self, table: dict[str, Any], prefix: str) -> Contact:
        self.keys(
            table,
            prefix,
            {"label", "organization", "person", "role", "phone", "email", "url"},
        )
        label = self.line(table, "label", prefix)
        emails = tuple(
            deobfuscate_emails(email) for email in self.strings(table, "email", prefix)
        )
        return Contact(
            label=Text.plain(label) if label else None,
            organization=self.line(table, "organization", prefix),
            person=self.line(table, "person", prefix),
            role=self.line(table, "role", prefix),
            phones=tuple(
                parse_phone(number) for number in self.strings(table, "phone", prefix)
            ),
            emails=emails,
            urls=self.strings(table, "url", prefix),
        )


def _kind(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)
