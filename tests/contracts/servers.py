"""Servers for the contract tests: the mock in-process or on a socket, and deliberately broken
fakes (ASGI wrappers around the mock, each with one bug a "verified fake" must not hide)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contracts.world import world_document
from kartra_mock import create_app
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.threaded import ThreadedServer
from kartra_mock.testing.asgi import SyncASGITransport

IN_PROCESS_URL = "http://kartra-mock.invalid"


def mock_app(state: dict[str, Any] | None = None) -> ASGIApp:
    """The mock with the contracts' world (or ``state``), rate limit off."""
    return create_app(backend=Backend(state or world_document(), overrides=Overrides(rate_limit=0)))


@contextmanager
def in_process(app: ASGIApp) -> Iterator[SyncASGITransport]:
    """A sync transport into ``app``, closed after."""
    transport = SyncASGITransport(app)
    try:
        yield transport
    finally:
        transport.close()


@contextmanager
def on_a_socket(app: ASGIApp) -> Iterator[str]:
    """``app`` served on 127.0.0.1 and a free port; yields its base URL."""
    with ThreadedServer(app) as server:
        yield server.url


async def _body(receive: Receive) -> bytes:
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


def rewriting_requests(app: ASGIApp, rewrite: Callable[[bytes], bytes]) -> ASGIApp:
    """``app`` seeing every ``/api`` body rewritten."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != "/api":
            await app(scope, receive, send)
            return
        body = rewrite(await _body(receive))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await app({**scope, "headers": headers}, replay, send)

    return wrapped


def rewriting_answers(app: ASGIApp, rewrite: Callable[[bytes], bytes]) -> ASGIApp:
    """``app`` with every ``/api`` answer body rewritten."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != "/api":
            await app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = rewrite(b"".join(chunks))
                headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})

        await app(scope, receive, capture)

    return wrapped


def prefers_email(body: bytes) -> bytes:
    """A fake that names a lead by its email whenever a call has one (Kartra: the id wins)."""
    pairs = body.split(b"&")
    for scope in (b"lead", b"get_lead"):
        if any(pair.startswith(scope + b"%5Bemail%5D=") for pair in pairs):
            pairs = [pair for pair in pairs if not pair.startswith(scope + b"%5Bid%5D=")]
    return b"&".join(pairs)


def numeric_types(body: bytes) -> bytes:
    """A fake that writes ``type`` as a JSON number (Kartra writes ``"244"``)."""
    return re.sub(rb'"type":\s*"(\d+)"', rb'"type":\1', body)


class Recording(httpx.BaseTransport):
    """A transport that notes every request (at ``clock()``) before passing it on."""

    def __init__(self, inner: httpx.BaseTransport, clock: Callable[[], float]) -> None:
        self.inner = inner
        self.clock = clock
        self.sent: list[tuple[float, httpx.Request]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.sent.append((self.clock(), request))
        return self.inner.handle_request(request)


class FakeTime:
    """A clock that only sleeping moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
