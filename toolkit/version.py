"""The toolkit's version, on the ground floor: output keys, manifests and the translation memory record it."""

__version__ = "0.1.0"
