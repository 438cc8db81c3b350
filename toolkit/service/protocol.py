"""uvicorn's HTTP protocol with a deadline for request headers, and protective headers on its own answers.

uvicorn times out nothing before a request's headers are complete: its
``timeout_keep_alive`` starts only after a response, and every byte that
arrives cancels it (``data_received`` begins with
``_unset_keepalive_if_required()``, in ``h11_impl`` and ``httptools_impl``
alike). A client that sends a request line and then one header byte now and
then (slowloris) holds a connection open for as long as it likes, and a few
hundred such clients hold all of them. ASGI middleware cannot help: the
application sees a request only once its headers are complete.

:func:`guarded_protocol` subclasses the protocol uvicorn would choose (h11,
or httptools when installed) so that every wait for a request's headers (on
a new connection, and after each response on a kept-alive one) has a
deadline of ``service.header_timeout`` seconds. A connection that has sent
part of a request by then gets ``408 Request Timeout`` and is closed; an idle
one is closed silently (as uvicorn's keep-alive timeout does). Once the
headers are in, the request is the application's: a slow body is bounded by
:class:`~toolkit.service.security.BodyLimitMiddleware`'s size, and a long
response (a download) is not cut off.

The protocol's own ``400`` (a request that is not HTTP, headers over h11's
16 KiB) is answered as the application answers errors: JSON, with
:data:`~toolkit.service.security.PROTECTIVE_HEADERS`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from .security import with_protective_headers

__all__ = ["guarded_protocol"]

logger = logging.getLogger(__name__)


def _answer(status: int, reason: str, detail: str) -> bytes:
    body = json.dumps({"detail": detail}).encode("utf-8")
    headers = with_protective_headers([
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
    ])
    head = f"HTTP/1.1 {status} {reason}\r\n".encode("ascii") + b"".join(name + b": " + value + b"\r\n" for name, value in headers)
    return head + b"\r\n" + body


class _HeaderDeadline:
    """Mixed into uvicorn's ``H11Protocol`` or ``HttpToolsProtocol`` (their ``cycle``, ``transport``, ``client``)."""

    header_timeout: float = 10.0
    # Set by the protocol this is mixed into.
    transport: asyncio.Transport
    cycle: Any
    client: tuple[str, int] | None

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._deadline: asyncio.TimerHandle | None = None
        self._bytes_since_armed = False
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._waiting_for_headers():
            self._bytes_since_armed = True
        super().data_received(data)  # type: ignore[misc]

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._arm()  # the next request's headers have as long as the first one's

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to bytes that are not an HTTP request, as the service's other errors look."""
        self._disarm()
        if self.transport.is_closing():
            return
        detail = "the request is not valid HTTP/1.1, or its headers are too large"
        self.transport.write(_answer(400, "Bad Request", detail))
        self.transport.close()

    # -- the deadline ---------------------------------------------------------------------

    def _waiting_for_headers(self) -> bool:
        """No request is being handled: the next bytes are (part of) a request's headers."""
        return self.cycle is None or bool(self.cycle.response_complete)

    def _arm(self) -> None:
        self._disarm()
        self._bytes_since_armed = False
        loop = asyncio.get_running_loop()
        self._deadline = loop.call_later(self.header_timeout, self._expired)

    def _disarm(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or self.transport.get_protocol() is not self:  # closed, or upgraded to another protocol
            return
        if not self._waiting_for_headers():
            return  # a request is in hand (its headers came in time); on_response_complete arms the next deadline
        if self._bytes_since_armed:
            who = "%s:%d" % self.client if self.client else "a client"
            logger.info("closed the connection of %s: its request headers were not complete after %g s "
                        "(service.header_timeout)", who, self.header_timeout)
            detail = f"the request headers did not arrive within {self.header_timeout:g} s (service.header_timeout)"
            self.transport.write(_answer(408, "Request Timeout", detail))
        self.transport.close()


def guarded_protocol(header_timeout: float) -> type[asyncio.Protocol]:
    """The HTTP protocol class uvicorn would use (``http="auto"``), with :class:`_HeaderDeadline` mixed in."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    return type(f"HeaderDeadline{AutoHTTPProtocol.__name__}", (_HeaderDeadline, AutoHTTPProtocol),
                {"header_timeout": float(header_timeout)})
