"""``presskit models``: list, install (from the index or a file) and remove the translation models."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .app import app, err, out, run_reported
from .options import ConfigOption, configured

__all__ = ["models_app"]

models_app = typer.Typer(help="Manage the offline translation models (Argos packages).", no_args_is_help=True)

app.add_typer(models_app, name="models")

@models_app.callback()
def models_main(config: ConfigOption = None) -> None:
    """Manage the offline translation models (Argos packages)."""
    settings = run_reported(lambda: configured(config))
    if settings.translation.models is not None:
        # packages.py resolves Argos's folder at each call, from this variable first.
        os.environ["ARGOS_PACKAGES_DIR"] = str(settings.translation.models)

@models_app.command("list")
def models_list() -> None:
    """List installed language pairs."""
    from ..translate.packages import installed_models, packages_dir

    models = run_reported(installed_models)
    if not models:
        out.print(f"No translation models installed in {packages_dir()}. Install one with `presskit models install de en` "
                   "(online) or `presskit models install-file PATH.argosmodel` (offline).", highlight=False, soft_wrap=True)
        return
    table = Table(show_edge=False)
    for column in ("pair", "package", "version", "identity"):
        table.add_column(column)
    for model in models:
        table.add_row(f"{model.source}→{model.target}", model.name, model.version, model.identity)
    out.print(table)

@models_app.command("install")
def models_install(
    source: Annotated[str, typer.Argument(help="Language to translate from, e.g. de.")],
    target: Annotated[str, typer.Argument(help="Language to translate into, e.g. en.")],
) -> None:
    """Download and install a model from the Argos package index (needs the internet)."""
    from ..download_bar import download_bar
    from ..translate.packages import install_from_index, package_name

    with download_bar(err, package_name(source, target)) as progress:
        model = run_reported(lambda: install_from_index(source, target, progress=progress))
    out.print(f"Installed {model.name} {model.version} ({model.source}→{model.target}) in {model.path}", highlight=False)

@models_app.command("install-file")
def models_install_file(path: Annotated[Path, typer.Argument(help="An .argosmodel file.")]) -> None:
    """Install a model from an .argosmodel file (offline)."""
    from ..translate.packages import install_file

    model = run_reported(lambda: install_file(path))
    out.print(f"Installed {model.name} {model.version} ({model.source}→{model.target}) in {model.path}", highlight=False)

@models_app.command("remove")
def models_remove(source: Annotated[str, typer.Argument()], target: Annotated[str, typer.Argument()]) -> None:
    """Remove an installed model."""
    from ..translate.packages import remove

    model = run_reported(lambda: remove(source, target))
    out.print(f"Removed {model.name} {model.version} ({model.source}→{model.target})", highlight=False)
