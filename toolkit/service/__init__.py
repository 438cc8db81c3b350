"""``presskit serve``: an HTTP API and a web page that translate and typeset releases for a press office.

:func:`create_app` makes the FastAPI application (see :mod:`toolkit.service.app`);
:func:`serve` checks the set-up and runs it with uvicorn. Jobs run in worker
processes (:mod:`toolkit.service.worker`) and persist in the jobs folder
(:mod:`toolkit.service.store`). The HTTP interface is described in
``docs/service.md`` and at ``/openapi.json``.
"""

from __future__ import annotations

from .app import create_app
from .server import serve

__all__ = ["create_app", "serve"]
