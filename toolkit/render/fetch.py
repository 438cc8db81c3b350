"""The only way WeasyPrint may read anything while it renders a sheet.

WeasyPrint resolves every URL in the HTML and CSS (stylesheets, images,
fonts) through a URL fetcher. Release text is escaped before it reaches the
HTML, but the fetcher is the second wall: even a URL that slipped through must
not read ``/etc/passwd``, a device file, or the network.

:class:`SafeURLFetcher` serves

* ``file:`` URLs of regular files under the allowed roots (the templates
  folder, and the release's assets folder when one is given) or named one by
  one (the branding's logo: that file, not its folder), and
* ``data:`` URLs up to a size limit,

and refuses everything else (``http(s)``, ``ftp``, files outside the roots,
oversized data) with a logged warning. WeasyPrint catches the refusal, logs it
too and renders the document without that resource.

WeasyPrint 70's fetcher API: a subclass of ``weasyprint.urls.URLFetcher``
whose ``fetch(url, headers=None)`` returns a ``URLFetcherResponse``;
WeasyPrint calls the instance and reads its ``_fail_on_errors`` attribute, so
plain functions are no longer enough.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["DEFAULT_MAX_DATA_BYTES", "DEFAULT_MAX_FILE_BYTES", "FetchRefused", "SafeURLFetcher"]

logger = logging.getLogger(__name__)

#: Largest decoded ``data:`` URL served (inline images, fonts).
DEFAULT_MAX_DATA_BYTES = 2 * 1024 * 1024
#: Largest local file served; a press photo is large, but not this large.
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024

# Keep log lines readable when the refused URL is a long data: URL.
_LOGGED_URL_LENGTH = 120


class FetchRefused(ValueError):
    """The fetcher refused a URL. WeasyPrint logs it and skips the resource."""


class SafeURLFetcher(URLFetcher):
    """Serve local files under ``roots`` or listed in ``files``, and small ``data:`` URLs; refuse the rest.

    Every refused URL is logged as a warning on this module's logger and kept
    in :attr:`refused` so callers and tests can see what was blocked.
    """

    def __init__(
        self,
        roots: Iterable[Path],
        *,
        files: Iterable[Path] = (),
        max_data_bytes: int = DEFAULT_MAX_DATA_BYTES,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    ) -> None:
        # The base class's own checks are a backstop: only data: ever reaches it.
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
        self.roots: tuple[Path, ...] = tuple(Path(root).resolve() for root in roots)
        #: Single files allowed outside the roots (the branding's logo).
        self.files: frozenset[Path] = frozenset(Path(file).resolve() for file in files)
        self.max_data_bytes = max_data_bytes
        self.max_file_bytes = max_file_bytes
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower() if ":" in url else ""
        if scheme == "file":
            return self._fetch_file(url)
        if scheme == "data":
            return self._fetch_data(url, headers)
        raise self._refuse(url, f"the {scheme or 'missing'} scheme is not allowed")

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, f"files on host {parts.netloc!r} are not allowed")
        # resolve() follows symlinks, so a link inside a root cannot point out of it.
        path = Path(url2pathname(parts.path)).resolve()
        if path not in self.files and not any(path.is_relative_to(root) for root in self.roots):
            raise self._refuse(url, "the file lies outside the allowed folders")
        if not path.is_file():
            # Also keeps out FIFOs and devices such as /dev/urandom.
            raise self._refuse(url, "not a regular file")
        size = path.stat().st_size
        if size > self.max_file_bytes:
            raise self._refuse(url, f"the file has {size} bytes, more than {self.max_file_bytes}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    def _fetch_data(self, url: str, headers: Mapping[str, str] | None) -> URLFetcherResponse:
        header, _, payload = url.partition(",")
        # Base64 decodes to 3/4 of its length; percent-encoding only shrinks.
        decoded_size = len(payload) * 3 // 4 if header.lower().endswith(";base64") else len(payload)
        if decoded_size > self.max_data_bytes:
            raise self._refuse(url, f"the data URL holds about {decoded_size} bytes, more than {self.max_data_bytes}")
        return super().fetch(url, dict(headers) if headers else None)

    def _refuse(self, url: str, reason: str) -> FetchRefused:
        shown = url if len(url) <= _LOGGED_URL_LENGTH else url[:_LOGGED_URL_LENGTH] + "…"
        logger.warning("refused to fetch %s: %s", shown, reason)
        self.refused.append(url)
        return FetchRefused(f"{shown}: {reason}")
