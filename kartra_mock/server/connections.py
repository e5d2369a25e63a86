"""Clients that stall or leave: a request body that stops arriving, a client that hangs up.

* **Stalled body.** A request whose body stops arriving for :data:`DEFAULT_BODY_TIMEOUT`
  seconds between two reads (``create_app(body_timeout=...)``, ``serve --body-timeout``) is
  answered ``408 Request Timeout`` with ``Connection: close``, and the connection is closed
  (inferred: nginx, in front of PHP, gives up on a body after its ``client_body_timeout`` of
  60 s between two reads and closes; Apache and PHP's own server answer 408. An ASGI app cannot
  close a connection without answering, so the mock answers 408 and closes: the client sees
  the call fail either way). So a thousand stalled clients hold a thousand connections for a
  minute, not forever.
* **Disconnect.** A client that hangs up before its body is complete is a normal event, not a
  bug: it is logged at DEBUG on ``kartra_mock.server``, without a traceback, and nothing is
  answered (there is no one to answer).

Both are handled here, around every route (``/api`` and the control plane), so no route needs
to know. See ``docs/operations.md#limits``.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kartra_mock.server.logs import escape

__all__ = ["DEFAULT_BODY_TIMEOUT", "BodyTimeout", "ConnectionGuard"]

#: Seconds a request body may stall between two reads: nginx's ``client_body_timeout``.
DEFAULT_BODY_TIMEOUT = 60.0

logger = logging.getLogger("kartra_mock.server")


class BodyTimeout(Exception):
    """The request body stopped arriving for longer than the body timeout."""


class ConnectionGuard:
    """ASGI middleware: times out stalled request bodies and takes disconnects calmly."""

    __slots__ = ("app", "timeout")

    def __init__(self, app: ASGIApp, timeout: float = DEFAULT_BODY_TIMEOUT) -> None:
        if not timeout > 0:
            raise ValueError(f"the body timeout must be more than 0 seconds, not {timeout}")
        self.app = app
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with a ``receive`` that times out while the body is incomplete."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_done = False
        started = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:  # waiting for a disconnect is no stall
                return await receive()
            try:
                async with asyncio.timeout(self.timeout):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout() from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        where = f"{scope.get('method', '')} {escape(scope.get('path', ''))}"
        try:
            await self.app(scope, timed_receive, watched_send)
        except ClientDisconnect:
            logger.debug("client disconnected before its request was complete: %s", where)
        except BodyTimeout:
            logger.info("request body stalled for %s s, connection closed: %s", self.timeout, where)
            if not started:
                await _request_timeout(send, self.timeout)


async def _request_timeout(send: Send, timeout: float) -> None:
    body = f'{{"error": "request body stalled for more than {timeout:g} s"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": 408,
            "headers": [
                (b"content-length", str(len(body)).encode()),
                (b"content-type", b"application/json"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
