"""``presskit serve``: check the set-up, then run the application with uvicorn."""

from __future__ import annotations

import copy
from typing import Any

from ..config import Config
from .app import create_app
from .protocol import guarded_protocol
from .runtime import jobs_folder_lock
from .security import check_exposure

__all__ = ["serve"]


def _log_config() -> dict[str, Any]:
    """uvicorn's logging, with the service's own loggers (``toolkit.*``) printed the same way."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["toolkit"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(config: Config, *, host: str, port: int) -> None:
    """Serve the API and the web page on ``host:port`` until interrupted (Ctrl-C or SIGTERM).

    Raises :class:`~toolkit.errors.PressToolkitError` before listening when
    the service would be open to others without API keys, or when another
    service holds the jobs folder. A connection whose request headers are not
    complete within ``service.header_timeout`` seconds is closed
    (:mod:`toolkit.service.protocol`).
    """
    import uvicorn

    check_exposure(config.service.api_keys, host)
    with jobs_folder_lock(config.service.jobs_path):
        pass  # only a check, for a clear message; the application takes the lock itself when it starts
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        http=guarded_protocol(config.service.header_timeout),
        log_config=_log_config(),
        server_header=False,
        timeout_graceful_shutdown=10,
    )
