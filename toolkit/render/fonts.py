"""The fonts the PDF is set in: shipped with the toolkit, never the machine's.

``templates/fonts/`` holds TrueType subsets of Noto Sans (Latin, Greek,
Cyrillic; regular, italic, bold, bold italic) and Noto Sans Arabic (regular,
bold), under the SIL Open Font License (``templates/fonts/OFL.txt``). Not
WOFF2: WeasyPrint decodes WOFF2 with fontTools in every process, 0.6 s for
the six files; TrueType files are used as they are (0.03 s).
``templates/fonts.css`` declares them as the families "Press Sans" and
"Press Sans Arabic", which ``sheet.css`` uses.

Pass both to WeasyPrint::

    cfg = font_configuration()
    HTML(...).write_pdf(stylesheets=[font_stylesheet(cfg)], font_config=cfg)

CJK text is not covered yet: it falls back to the machine's fonts.
"""

from __future__ import annotations

import functools

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from ..resources import templates_dir
from .fetch import SafeURLFetcher

__all__ = ["FONT_FAMILIES", "font_configuration", "font_stylesheet"]

#: The families declared in templates/fonts.css.
FONT_FAMILIES = ("Press Sans", "Press Sans Arabic")


@functools.cache
def font_configuration() -> FontConfiguration:
    """One WeasyPrint font configuration for the whole process.

    WeasyPrint writes each ``@font-face`` font to a temporary folder once per
    configuration, so sharing it saves decoding the fonts for every PDF.
    """
    return FontConfiguration()


@functools.cache
def font_stylesheet(font_config: FontConfiguration) -> CSS:
    """``templates/fonts.css`` as a WeasyPrint stylesheet, its fonts added to ``font_config``.

    Parsed once per configuration (a stylesheet serves any number of
    documents). The font files are read through a :class:`SafeURLFetcher`
    limited to the templates folder.
    """
    folder = templates_dir().resolve()
    return CSS(
        filename=str(folder / "fonts.css"),
        base_url=folder.as_uri() + "/",
        url_fetcher=SafeURLFetcher([folder]),
        font_config=font_config,
    )
