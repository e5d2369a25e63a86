"""In-process transports into an ASGI app that fail exactly as a socket to it would.

httpx's own :class:`httpx.ASGITransport` is async only, ignores the client's timeouts and
lets the app's exceptions escape. These transports run the app the same way for every client
library (:func:`run_app`), then map what happened at their own boundary, as httpx maps a
socket's errors:

* the app dropped the connection (a ``drop`` fault, :class:`ConnectionDropped`): the status
  line and headers arrive, then reading the body fails — ``httpx.RemoteProtocolError`` here,
  ``requests.exceptions.ChunkedEncodingError`` through :mod:`kartra_mock.testing.intercept`;
* the answer did not come within the client's read timeout (a ``latency`` fault):
  ``httpx.ReadTimeout`` / ``requests.exceptions.ReadTimeout``; the call itself was handled,
  as a server handles a call whose client gave up.

:class:`SyncASGITransport` runs the app on an event loop in a helper thread (an anyio
blocking portal), so sync code — a sync client, a ``requests`` adapter, code under test —
reaches an in-process mock without a socket.

Example::

    transport = SyncASGITransport(kartra_mock.create_app())
    with httpx.Client(transport=transport, base_url="http://kartra") as http:
        http.post("/api", data={...})
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import unquote

import anyio
import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

from kartra_mock.server.faults import ConnectionDropped

__all__ = ["AnswerTimeout", "AsyncASGITransport", "InProcessAnswer", "SyncASGITransport", "run_app"]

Headers = list[tuple[bytes, bytes]]


class AnswerTimeout(Exception):
    """The app did not answer within the read timeout (each transport maps it)."""


@dataclass(slots=True)
class InProcessAnswer:
    """What the app sent: status line, headers, body; ``dropped`` if it broke off the body."""

    status: int = 0
    headers: Headers = field(default_factory=list)
    body: bytes = b""
    dropped: bool = False

    def expected_length(self) -> int | None:
        """The ``Content-Length`` the app announced, if any."""
        for name, value in self.headers:
            if name.lower() == b"content-length" and value.isdigit():
                return int(value)
        return None

    def drop_message(self) -> str:
        """The words httpx uses for a connection closed in the middle of a body."""
        expected = self.expected_length()
        return (
            "peer closed connection without sending complete message body: "
            f"received {len(self.body)} bytes, expected {expected}"
        )


async def run_app(
    app: Any,
    url: httpx.URL,
    method: str,
    headers: Headers,
    body: bytes,
    client: tuple[str, int] = ("127.0.0.1", 123),
) -> InProcessAnswer:
    """Run one request through ``app``; :class:`ConnectionDropped` becomes ``dropped``."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "headers": [(name.lower(), value) for name, value in headers],
        "scheme": url.scheme,
        "path": unquote(url.path),
        "raw_path": url.raw_path.split(b"?")[0],
        "query_string": url.query,
        "server": (url.host, url.port),
        "client": client,
        "root_path": "",
    }
    answer = InProcessAnswer()
    sent_request = False
    complete = anyio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": body, "more_body": False}
        await complete.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")
            if not message.get("more_body", False):
                complete.set()

    try:
        await app(scope, receive, send)
    except ConnectionDropped:
        if not answer.status:
            raise
        answer.dropped = True
    finally:
        complete.set()
    return answer


def read_timeout(request: httpx.Request) -> float | None:
    """The client's read timeout for ``request`` (``None``: wait for ever)."""
    timeout = request.extensions.get("timeout", {})
    value = timeout.get("read") if isinstance(timeout, dict) else None
    return float(value) if isinstance(value, int | float) else None


class _BrokenBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that stops short, as a socket closed by the server does."""

    def __init__(self, answer: InProcessAnswer, request: httpx.Request) -> None:
        self._answer = answer
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        if self._answer.body:
            yield self._answer.body
        raise httpx.RemoteProtocolError(self._answer.drop_message(), request=self._request)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


def to_httpx(answer: InProcessAnswer, request: httpx.Request) -> httpx.Response:
    """The httpx response for what the app sent."""
    if answer.dropped:
        stream = _BrokenBody(answer, request)
        return httpx.Response(answer.status, headers=answer.headers, stream=stream, request=request)
    return httpx.Response(
        answer.status, headers=answer.headers, content=answer.body, request=request
    )


class SyncASGITransport(httpx.BaseTransport):
    """Send each request through an ASGI app running in a private event-loop thread."""

    def __init__(self, app: Any, *, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app = app
        self.client = client
        self._lock = threading.Lock()
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None

    def _portal_for_call(self) -> BlockingPortal:
        with self._lock:
            if self._portal is None:
                self._portal_cm = start_blocking_portal()
                self._portal = self._portal_cm.__enter__()
            return self._portal

    def exchange(
        self, url: httpx.URL, method: str, headers: Headers, body: bytes, timeout: float | None
    ) -> InProcessAnswer:
        """Run one request; :class:`AnswerTimeout` if no answer within ``timeout`` seconds."""
        future = self._portal_for_call().start_task_soon(
            run_app, self.app, url, method, headers, body, self.client
        )
        try:
            answer: InProcessAnswer = future.result(timeout)
            return answer
        except concurrent.futures.TimeoutError:
            future.cancel()  # the client gave up; the call itself was handled
            raise AnswerTimeout(f"no answer within {timeout} s") from None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the request through the app; fail as httpx fails over a socket."""
        body = request.read()
        try:
            answer = self.exchange(
                request.url, request.method, request.headers.raw, body, read_timeout(request)
            )
        except AnswerTimeout:
            raise httpx.ReadTimeout("timed out", request=request) from None
        return to_httpx(answer, request)

    def close(self) -> None:
        """Stop the event-loop thread."""
        with self._lock:
            if self._portal_cm is not None:
                self._portal_cm.__exit__(None, None, None)
            self._portal_cm = None
            self._portal = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        self.close()


class AsyncASGITransport(httpx.AsyncBaseTransport):
    """Send each request through an ASGI app on the caller's event loop."""

    def __init__(self, app: Any, *, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app = app
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Run the request through the app; fail as httpx fails over a socket."""
        body = await request.aread()
        timeout = read_timeout(request)
        with anyio.move_on_after(timeout) as scope:
            answer = await run_app(
                self.app, request.url, request.method, request.headers.raw, body, self.client
            )
        if scope.cancelled_caught:
            raise httpx.ReadTimeout("timed out", request=request)
        return to_httpx(answer, request)
