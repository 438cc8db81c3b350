"""Who may use the service, and what a request may carry.

* **API keys** (``service.api_keys`` or ``$PRESSKIT_API_KEYS``): the API takes
  one in ``X-API-Key`` or ``Authorization: Bearer``; it is compared with
  :func:`hmac.compare_digest` against every configured key. Without keys the
  service starts only on a loopback address (:func:`check_exposure`), needs
  no key, and answers only requests addressed to a loopback host name, so a
  web page cannot reach it through DNS rebinding.
* **Web sessions**: the sign-in form takes a key and sets an ``HttpOnly``,
  ``SameSite=Strict`` cookie holding an expiry time and an HMAC of it under
  that key (never the key itself); removing a key from the configuration
  ends its sessions. A cookie of any other form (non-ASCII, an expiry of
  thousands of digits) is a signed-out browser.
* **CSRF**: every form carries a token that must equal a random
  ``SameSite=Strict`` cookie (double submit), and no unsafe request is
  accepted with an ``Origin`` of another site (:class:`RequestGuardMiddleware`).
* **Size**: :class:`BodyLimitMiddleware` answers 413 before reading a body
  whose ``Content-Length`` is too large, and stops a chunked body as soon as
  its running total is.
* **Headers**: :class:`ProtectiveHeadersMiddleware`, outside everything else,
  puts :data:`PROTECTIVE_HEADERS` on every answer, refusals and errors included.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..settings.file import API_KEYS_VARIABLE
from ..errors import PressToolkitError

__all__ = [
    "CSRF_COOKIE",
    "DEFAULT_CONTENT_SECURITY_POLICY",
    "PROTECTIVE_HEADERS",
    "SESSION_COOKIE",
    "SESSION_SECONDS",
    "BodyLimitMiddleware",
    "Keys",
    "ProtectiveHeadersMiddleware",
    "RequestGuardMiddleware",
    "check_exposure",
    "is_loopback",
    "new_csrf_token",
    "same_token",
    "with_protective_headers",
]

SESSION_COOKIE = "presskit_session"
CSRF_COOKIE = "presskit_csrf"
#: How long a web sign-in lasts.
SESSION_SECONDS = 12 * 3600
_SESSION_PURPOSE = b"press-toolkit web session\0"
#: A session cookie as :meth:`Keys.session` makes it: an expiry of ASCII digits (``[0-9]``, not ``\d``, which takes
#: ``²`` and ``٣`` too), a dot and a SHA-256 HMAC in lowercase hex. Nothing else is parsed.
_SESSION_VALUE = re.compile(r"([0-9]{1,12})\.([0-9a-f]{64})")
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) only reaches this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("")
    (True, True, True, False, False)
    """
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_exposure(keys: Sequence[str], host: str) -> None:
    """Refuse to serve without API keys on an address other machines can reach."""
    if not keys and not is_loopback(host):
        raise PressToolkitError(
            f"refusing to serve on {host!r} without API keys: anyone who can reach it could use the service; "
            f"set service.api_keys in presskit.toml or ${API_KEYS_VARIABLE}, or serve on 127.0.0.1"
        )


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(first: str | None, second: str | None) -> bool:
    """Both given and equal, compared in constant time."""
    if not first or not second:
        return False
    # surrogatepass: a form field decoded from UTF-7 can hold half of a surrogate pair.
    return hmac.compare_digest(first.encode("utf-8", "surrogatepass"), second.encode("utf-8", "surrogatepass"))


class Keys:
    """The configured API keys and the web sessions made from them."""

    def __init__(self, keys: Sequence[str]) -> None:
        self._keys = tuple(key.encode("utf-8") for key in keys)

    @property
    def required(self) -> bool:
        return bool(self._keys)

    def valid(self, candidate: str | None) -> bool:
        """``candidate`` is one of the keys; every key is compared, in constant time each."""
        if not candidate:
            return False
        given = candidate.encode("utf-8", "surrogatepass")  # the sign-in form's field may hold half a surrogate pair
        found = False
        for key in self._keys:
            found |= hmac.compare_digest(given, key)
        return found

    def session(self, key: str, *, now: float | None = None) -> str:
        """A cookie value for a web session signed in with ``key`` (which must be valid)."""
        expires = int((now if now is not None else time.time()) + SESSION_SECONDS)
        return f"{expires}.{self._signature(key.encode('utf-8'), expires)}"

    def valid_session(self, value: str | None, *, now: float | None = None) -> bool:
        """A session cookie that has not expired and was signed with a configured key.

        Any other value, whatever a client put in it, is simply not a session.
        """
        match = _SESSION_VALUE.fullmatch(value or "")
        if match is None:
            return False
        expires = int(match[1])
        if expires < (now if now is not None else time.time()):
            return False
        signature = match[2].encode("ascii")
        found = False
        for key in self._keys:
            found |= hmac.compare_digest(signature, self._signature(key, expires).encode("ascii"))
        return found

    @staticmethod
    def _signature(key: bytes, expires: int) -> str:
        return hmac.new(key, _SESSION_PURPOSE + str(expires).encode("ascii"), hashlib.sha256).hexdigest()


# --- middleware ---------------------------------------------------------------------

#: For answers that bring no policy of their own (JSON, files): load nothing, be framed nowhere.
DEFAULT_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: On every answer; an answer that sets one of them itself (the web page's CSP, a download's ``sandbox``) keeps its own.
PROTECTIVE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    # Not "no-referrer": with it, browsers send "Origin: null" on the page's own form posts.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", DEFAULT_CONTENT_SECURITY_POLICY.encode("ascii")),
)


def with_protective_headers(headers: Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` and those of :data:`PROTECTIVE_HEADERS` they do not set themselves."""
    present = {name.lower() for name, _ in headers}
    return [*headers, *(header for header in PROTECTIVE_HEADERS if header[0] not in present)]


class ProtectiveHeadersMiddleware:
    """Put :data:`PROTECTIVE_HEADERS` on every answer.

    It wraps the whole application, Starlette's error handler included (see
    ``_ServiceApp`` in :mod:`toolkit.service.app`), so the 413 of
    :class:`BodyLimitMiddleware`, the refusals of
    :class:`RequestGuardMiddleware` and a 500 carry them too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def protected(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_protective_headers(list(message.get("headers", [])))}
            await send(message)

        await self.app(scope, receive, protected)


async def _send_json(send: Send, status: int, detail: str, *, close: bool = False) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode("ascii"))]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Answer 413 to a request body larger than ``max_bytes``, without reading more of it than that.

    Starlette's own ``RequestBodyLimitMiddleware`` answers in plain text and
    only once the application starts reading; this one refuses a too large
    ``Content-Length`` before the application runs, and counts the chunks of
    a body without one.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def message(self) -> str:
        size = f"{self.max_bytes / (1024 * 1024):g} MB" if self.max_bytes >= 1024 * 1024 else f"{self.max_bytes} bytes"
        return f"the request body is larger than this service accepts ({size}; service.max_request_mb)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            if not length.isdigit():
                await _send_json(send, 400, "the Content-Length header is not a number", close=True)
                return
            if int(length) > self.max_bytes:
                await _send_json(send, 413, self.message(), close=True)
                return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                if exceeded:  # an inner layer turned the interruption into an error response of its own
                    raise _BodyTooLarge
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            if started:
                raise
            await _send_json(send, 413, self.message(), close=True)
        except Exception:
            if not exceeded or started:
                raise
            await _send_json(send, 413, self.message(), close=True)


class RequestGuardMiddleware:
    """Refuse cross-site writes and, without API keys, requests for other host names.

    * An unsafe request (POST …) whose ``Origin`` is not this service's own
      and not one of ``cors_origins`` is refused (403): a web page elsewhere
      cannot submit forms or text to the service, signed in or not.
    * Without API keys the ``Host`` must be a loopback name (DNS rebinding).

    The protective headers (``nosniff``, no framing …) are
    :class:`ProtectiveHeadersMiddleware`'s, on every answer.
    """

    def __init__(self, app: ASGIApp, *, loopback_only: bool, cors_origins: Sequence[str] = ()) -> None:
        self.app = app
        self.loopback_only = loopback_only
        self.cors_origins = frozenset(origin.rstrip("/") for origin in cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if self.loopback_only and not is_loopback(urlsplit(f"//{host}").hostname or ""):
            await _send_json(send, 421, "this service answers only on 127.0.0.1 or localhost (it has no API keys)")
            return
        origin = headers.get("origin")
        if scope["method"] in _UNSAFE_METHODS and origin is not None and not self._allowed_origin(origin, host):
            await _send_json(send, 403, f"cross-site request refused: Origin {origin[:100]!r} is not this service")
            return
        await self.app(scope, receive, send)

    def _allowed_origin(self, origin: str, host: str) -> bool:
        if origin.rstrip("/") in self.cors_origins:
            return True
        return origin != "null" and urlsplit(origin).netloc.lower() == host.lower()
