"""``presskit config`` (init, show) and ``presskit serve``: setting the toolkit up for an office."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import PressToolkitError
from .app import app, out, require_extra, run_reported
from .options import ConfigOption, configured

__all__ = ["config_app"]

@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; keep 127.0.0.1 unless API keys are configured.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    config: ConfigOption = None,
) -> None:
    """Serve the HTTP API and the web page (see README, "HTTP service and web page")."""
    require_extra("service", "serve")
    from ..service import serve as run_service

    settings = run_reported(lambda: configured(config))
    run_reported(lambda: run_service(settings, host=host, port=port))

config_app = typer.Typer(help="The configuration (presskit.toml).", no_args_is_help=True)

app.add_typer(config_app, name="config")

@config_app.command("init")
def config_init(
    path: Annotated[Path, typer.Argument(help="File to write.")] = Path("presskit.toml"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented presskit.toml with every setting and its default."""
    from ..resources import templates_dir
    from ..files import atomic_write

    def run() -> None:
        if path.exists() and not force:
            raise PressToolkitError(f"{path}: already exists; use --force to replace it")
        atomic_write(path, (templates_dir() / "presskit.toml").read_bytes())

    run_reported(run)
    out.print(f"Wrote {escape(str(path))}; edit it, then check it with: presskit config show --config {escape(str(path))}",
               highlight=False, soft_wrap=True)

@config_app.command("show")
def config_show(config: ConfigOption = None) -> None:
    """Print the effective configuration and where each value comes from."""
    settings = run_reported(lambda: configured(config))
    table = Table(show_edge=False)
    for column in ("key", "value", "from"):
        table.add_column(column, overflow="fold")
    for row in settings.settings():
        table.add_row(row.key, row.value, row.origin)
    out.print(table)
