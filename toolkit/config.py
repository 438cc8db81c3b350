"""``presskit.toml``: an office's settings and branding, kept out of the code; :class:`Config` puts the sections together.

Each stage owns its options type (:mod:`toolkit.render.options`, :mod:`toolkit.translate.options`; the orchestration
layer's sections are in :mod:`toolkit.settings.sections`); :mod:`toolkit.settings` validates them and finds and reads
the file (see :mod:`toolkit.settings.file` for where it is looked up). This module sits at the top, with batch, the
CLI and the service, and is imported by the commands that need it, not at ``presskit --help``.

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
    time_zone = "Europe/Berlin"    # times on the web page; default: the machine's zone

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
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .render.options import DEFAULT_ACCENT, DEFAULT_PRIMARY, MAX_LOGO_BYTES, Branding, BrandingTable, PdfOptions, valid_color
from .settings.base import ConfigError, Section
from .settings.file import (
    API_KEYS_VARIABLE,
    CONFIG_NAME,
    environment_overrides,
    find_config,
    overridden,
    read_section,
    read_toml,
    user_config_path,
)
from .settings.sections import (
    CATALOG_LANGUAGES,
    FOLDER_FIELDS,
    MIN_API_KEY_LENGTH,
    BuildSettings,
    ClusterSettings,
    OutputSettings,
    ServiceSettings,
    check_cluster_address,
    check_folder_pattern,
)
from .settings.show import Setting, setting_rows
from .translate.options import TranslationSettings

__all__ = [
    "API_KEYS_VARIABLE",
    "CATALOG_LANGUAGES",
    "CONFIG_NAME",
    "DEFAULT_ACCENT",
    "DEFAULT_PRIMARY",
    "FOLDER_FIELDS",
    "MAX_LOGO_BYTES",
    "MIN_API_KEY_LENGTH",
    "SECTIONS",
    "Branding",
    "BuildSettings",
    "ClusterSettings",
    "Config",
    "ConfigError",
    "OutputSettings",
    "PdfOptions",
    "ServiceSettings",
    "Setting",
    "TranslationSettings",
    "check_cluster_address",
    "check_folder_pattern",
    "find_config",
    "load_config",
    "read_config",
    "user_config_path",
    "valid_color",
]

#: The settings sections of the file, by table name, in the order ``presskit config show`` lists them.
SECTIONS: Mapping[str, type[Section]] = {
    "build": BuildSettings,
    "translation": TranslationSettings,
    "output": OutputSettings,
    "pdf": PdfOptions,
    "service": ServiceSettings,
    "cluster": ClusterSettings,
}


@dataclass(frozen=True, kw_only=True)
class Config:
    """Every section in effect, the file they came from and the origin of each value set."""

    branding: Branding = field(default_factory=Branding)
    build: BuildSettings = field(default_factory=BuildSettings)
    translation: TranslationSettings = field(default_factory=TranslationSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    pdf: PdfOptions = field(default_factory=PdfOptions)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    #: The file read, or None for the built-in defaults.
    source: Path | None = None
    #: Where each non-default value came from, by dotted key (``pdf.bleed``); ``branding`` for the whole table.
    origins: Mapping[str, str] = field(default_factory=dict)

    @property
    def branded(self) -> Branding | None:
        """The branding when a file or the code gave one, else None (the unbranded sheet)."""
        return None if self.branding == Branding() else self.branding

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    def override(self, key: str, value: Any, origin: str) -> Config:
        """This configuration with ``key`` (``build.languages``) set to ``value``, checked, noting ``origin``.

        ``value`` None leaves the configuration as it is (an option not given); an unknown key is a KeyError.
        """
        if value is None:
            return self
        name, _, rest = key.partition(".")
        if name not in SECTIONS:
            raise KeyError(key)
        section = overridden(getattr(self, name), name, rest, value, origin)
        return dataclasses.replace(self, **{name: section}, origins={**self.origins, key: origin})

    def settings(self) -> list[Setting]:
        """Every effective setting with its origin (API keys masked)."""
        sections = {name: getattr(self, name) for name in (*SECTIONS, "branding")}
        return setting_rows(self.source, sections,
                            lambda key: self.origin("branding" if key.startswith("branding.") else key))


def read_config(path: str | Path) -> Config:
    """Read and validate one ``presskit.toml``."""
    path = Path(path)
    data = read_toml(path, tables=(*SECTIONS, "branding"))
    sections: dict[str, Section] = {}
    origins: dict[str, str] = {}
    for name, model in SECTIONS.items():
        sections[name], found = read_section(model, data, name, path)
        origins.update(found)
    table, _ = read_section(BrandingTable, data, "branding", path)
    if data.get("branding"):
        origins["branding"] = str(path)
    return Config(branding=table.branding(), **sections, source=path.resolve(), origins=origins)  # type: ignore[arg-type]


def load_config(explicit: str | Path | None = None) -> Config:
    """The configuration found by :func:`find_config` (or the defaults), then the environment's overrides."""
    path = find_config(explicit)
    config = Config() if path is None else read_config(path)
    for key, value, origin in environment_overrides():
        config = config.override(key, value, origin)
    return config
