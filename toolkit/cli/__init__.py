"""``presskit``: the command line, one module per group of commands.

:mod:`~toolkit.cli.app` (the application, error and warning reporting),
:mod:`~toolkit.cli.options` (the shared options, declared once, and their
mapping onto the settings), :mod:`~toolkit.cli.building` (parse, facts,
build, translate, batch, watch), :mod:`~toolkit.cli.review` (XLIFF and the
translation memory), :mod:`~toolkit.cli.models`, :mod:`~toolkit.cli.setup`
(config, serve); :mod:`~toolkit.cli.progress` and :mod:`~toolkit.cli.report`
show what a run does and did. Commands import their libraries when they run,
so ``presskit --help`` starts at once (``tests/test_startup.py``).
"""

from __future__ import annotations

from . import building, models, review, setup  # noqa: F401 - each registers its commands on the app
from .app import app

__all__ = ["app"]
