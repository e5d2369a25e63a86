"""Route calls to ``https://app.kartra.com`` into an in-process mock, with no change to the caller.

Code under test that builds its own ``httpx.Client`` / ``httpx.AsyncClient`` (default transports)
or ``requests`` session reaches the mock; every other host is untouched. Works without pytest.

Example::

    with intercept(kartra_mock.create_app()):
        httpx.post("https://app.kartra.com/api", data={...})  # answered by the mock
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from kartra_mock.testing.asgi import SyncASGITransport

__all__ = ["KARTRA_HOSTS", "intercept"]

#: Hosts whose calls go to the mock.
KARTRA_HOSTS = frozenset({"app.kartra.com"})


@contextmanager
def intercept(app: Any, hosts: frozenset[str] = KARTRA_HOSTS) -> Iterator[None]:
    """While active, httpx and ``requests`` calls to ``hosts`` are answered by ``app``."""
    sync_transport = SyncASGITransport(app)
    async_transport = httpx.ASGITransport(app=app)
    undo: list[Callable[[], None]] = []

    original_sync = httpx.HTTPTransport.handle_request
    original_async = httpx.AsyncHTTPTransport.handle_async_request

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if request.url.host in hosts:
            return sync_transport.handle_request(request)
        return original_sync(self, request)

    async def handle_async_request(
        self: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        if request.url.host in hosts:
            return await async_transport.handle_async_request(request)
        return await original_async(self, request)

    # Patching the class is the point: code under test builds its own transports.
    httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = handle_async_request  # type: ignore[method-assign]
    undo.append(lambda: setattr(httpx.HTTPTransport, "handle_request", original_sync))
    undo.append(lambda: setattr(httpx.AsyncHTTPTransport, "handle_async_request", original_async))
    undo.extend(_intercept_requests(sync_transport, hosts))
    try:
        yield
    finally:
        for step in reversed(undo):
            step()
        sync_transport.close()


def _intercept_requests(
    transport: SyncASGITransport, hosts: frozenset[str]
) -> list[Callable[[], None]]:
    """Patch ``requests`` (when installed) the same way; returns how to undo it."""
    try:
        import requests
        import requests.adapters
        from requests.structures import CaseInsensitiveDict
    except ImportError:
        return []
    original = requests.adapters.HTTPAdapter.send

    def send(
        self: requests.adapters.HTTPAdapter,
        request: requests.PreparedRequest,
        *args: Any,
        **kwargs: Any,
    ) -> requests.Response:
        url = httpx.URL(request.url or "")
        if url.host not in hosts:
            return original(self, request, *args, **kwargs)
        body = request.body
        content = body.encode() if isinstance(body, str) else (body or b"")
        answer = transport.handle_request(
            httpx.Request(
                request.method or "GET",
                url,
                headers=dict(request.headers),
                content=content if isinstance(content, bytes) else b"".join(content),
            )
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.url = str(url)
        response.request = request
        response.encoding = answer.encoding
        response.reason = answer.reason_phrase
        return response

    # As above: sessions the code under test creates use this adapter class.
    requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign]
    return [lambda: setattr(requests.adapters.HTTPAdapter, "send", original)]
