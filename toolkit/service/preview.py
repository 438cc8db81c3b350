"""A PNG of a PDF's first page, for the web page: rendered with PDFium once, then kept in the job's folder.

PDFium is not thread-safe, and the server renders previews in its request
threads, so one lock serializes every call into it. The PNG is written
atomically (:func:`toolkit.files.atomic_write`): two requests at once may
both render, but no one ever reads half a file.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from ..errors import RenderError
from ..files import atomic_write

__all__ = ["PREVIEW_WIDTH", "preview_png"]

#: Width of a preview in pixels (twice the width the web page shows it at, for sharp text).
PREVIEW_WIDTH = 640
_PDFIUM = threading.Lock()


def render_first_page(pdf: Path, *, width: int = PREVIEW_WIDTH) -> bytes:
    """The first page of ``pdf`` as a PNG ``width`` pixels wide."""
    import pypdfium2  # type: ignore[import-untyped]

    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError as error:
            raise RenderError(f"{pdf.name}: cannot be read as a PDF ({error})") from error
        try:
            if len(document) == 0:
                raise RenderError(f"{pdf.name}: the PDF has no pages")
            page = document[0]
            bitmap = page.render(scale=width / page.get_width())
            image = bitmap.to_pil()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def preview_png(pdf: Path, cache: Path) -> Path:
    """``cache`` (a PNG of ``pdf``'s first page), rendered now if it is missing or older than the PDF."""
    if not cache.is_file() or cache.stat().st_mtime < pdf.stat().st_mtime:
        atomic_write(cache, render_first_page(pdf))
    return cache
