"""A synchronous httpx transport into an ASGI app, for in-process use from sync code.

httpx's own :class:`httpx.ASGITransport` is async only. This one runs the app on an event loop
in a helper thread (an anyio blocking portal), so sync code — a sync client, a ``requests``
adapter, code under test — reaches an in-process mock without a socket.

Example::

    transport = SyncASGITransport(kartra_mock.create_app())
    with httpx.Client(transport=transport, base_url="http://kartra") as http:
        http.post("/api", data={...})
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

__all__ = ["SyncASGITransport"]


class SyncASGITransport(httpx.BaseTransport):
    """Send each request through an ASGI app running in a private event-loop thread."""

    def __init__(self, app: Any, *, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self._asgi = httpx.ASGITransport(app=app, client=client)
        self._lock = threading.Lock()
        self._portal_cm: AbstractContextManager[BlockingPortal] | None = None
        self._portal: BlockingPortal | None = None

    def _portal_for_call(self) -> BlockingPortal:
        with self._lock:
            if self._portal is None:
                self._portal_cm = start_blocking_portal()
                self._portal = self._portal_cm.__enter__()
            return self._portal

    async def _send(self, request: httpx.Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        response = await self._asgi.handle_async_request(request)
        body = await response.aread()
        return response.status_code, response.headers.raw, body

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the request through the app and return the whole response."""
        request.read()
        status, headers, body = self._portal_for_call().call(self._send, request)
        return httpx.Response(status, headers=headers, content=body, request=request)

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
