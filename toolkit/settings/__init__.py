"""Settings below the stages: the options base (:class:`Section`), the configuration file and ``presskit config show``.

A low floor: it imports only the standard library, pydantic and the toolkit's basic modules (errors, paths,
languages, formats, model). Each stage owns its options type, a :class:`Section` in its own package
(:mod:`toolkit.render.options`, :mod:`toolkit.translate.options`); the orchestration layer's sections are in
:mod:`toolkit.settings.sections`; :mod:`toolkit.config` puts them together.
"""

from __future__ import annotations

from .base import ConfigError, Section, config_error

__all__ = ["ConfigError", "Section", "config_error"]
