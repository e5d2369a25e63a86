"""A request whose headers never end is closed, as nginx's ``client_header_timeout`` does.

uvicorn times out idle keep-alive connections, but not a connection that never sends a byte
nor one that sends half its headers: a thousand such clients would stay open for ever. The
protocol class made here closes them after the request timeout, without answering (inferred:
nginx, in front of PHP, closes such a connection silently after 60 s). Request bodies are
timed out by :mod:`kartra_mock.server.connections`, which works under any ASGI server; this
needs uvicorn's httptools protocol (the fast stack the mock installs where the platform has
it). Without httptools, :func:`header_timeout_protocol` gives ``"auto"`` and headers are not
timed out.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

__all__ = ["header_timeout_protocol"]

logger = logging.getLogger("kartra_mock.server")


def header_timeout_protocol(timeout: float) -> type[asyncio.Protocol] | Literal["auto"]:
    """uvicorn's ``http=`` protocol that closes connections whose headers stall ``timeout`` s."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # no httptools on this platform: uvicorn's own choice, unguarded
        return "auto"

    class HeaderTimeoutProtocol(HttpToolsProtocol):
        """httptools' protocol, with a clock from the first byte expected to the end of headers."""

        _header_timer: asyncio.TimerHandle | None = None

        # The ignore is uvicorn's own: it narrows asyncio's BaseTransport to a Transport.
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(timeout, self._stalled)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _stalled(self) -> None:
            self._header_timer = None
            if not self.transport.is_closing():
                logger.info("request headers stalled for %s s, connection closed", timeout)
                self.transport.close()

    return HeaderTimeoutProtocol
