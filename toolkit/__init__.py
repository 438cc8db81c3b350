"""press-toolkit: read, translate offline, localize and typeset press releases."""

__version__ = "0.1.0"
