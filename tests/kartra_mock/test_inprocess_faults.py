"""In-process fails exactly as the socket fails: one fault matrix over every transport.

Each fault is injected once per client library and path — over a real socket
(:class:`ThreadedServer`) and in-process (:class:`SyncASGITransport`,
:class:`AsyncASGITransport`, the ``requests`` adapter of :func:`intercept`) — and the caller
must see the same outcome: the same exception class, or the same HTTP status.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Literal

import httpx
import pytest
import requests

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.engine.faults import parse_schedule
from kartra_mock.server.app import create_app
from kartra_mock.server.threaded import ThreadedServer
from kartra_mock.testing.asgi import AsyncASGITransport, SyncASGITransport
from kartra_mock.testing.intercept import intercept
from tests.helpers import DEMO, build_query

pytestmark = pytest.mark.socket

Library = Literal["httpx-sync", "httpx-async", "requests"]
LIBRARIES: tuple[Library, ...] = ("httpx-sync", "httpx-async", "requests")
KARTRA = "https://app.kartra.com/api"
BODY = build_query({**DEMO, "actions": [{"cmd": "retrieve_account_tags"}]})
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TIMEOUT = 0.2

#: fault → (what to schedule, the outcome per library, socket and in-process alike)
FAULTS: dict[str, tuple[dict[str, object], dict[Library, str]]] = {
    "drop": (
        {"kind": "drop"},
        {
            "httpx-sync": "RemoteProtocolError",
            "httpx-async": "RemoteProtocolError",
            # requests reads the status line, then the body breaks off: that is how requests
            # reports a connection closed in the middle of a body.
            "requests": "ChunkedEncodingError",
        },
    ),
    "latency beyond the read timeout": (
        {"kind": "latency", "latency_ms": 700},
        {"httpx-sync": "ReadTimeout", "httpx-async": "ReadTimeout", "requests": "ReadTimeout"},
    ),
    "latency within the read timeout": (
        {"kind": "latency", "latency_ms": 20},
        {"httpx-sync": "HTTP 200", "httpx-async": "HTTP 200", "requests": "HTTP 200"},
    ),
    "server error": (
        {"kind": "server_error", "status": 502},
        {"httpx-sync": "HTTP 502", "httpx-async": "HTTP 502", "requests": "HTTP 502"},
    ),
    "rate limit": (
        {"kind": "rate_limit"},
        {"httpx-sync": "HTTP 429", "httpx-async": "HTTP 429", "requests": "HTTP 429"},
    ),
}
FAMILIES: dict[str, tuple[type[BaseException], ...]] = {
    "RemoteProtocolError": (httpx.RemoteProtocolError,),
    "ChunkedEncodingError": (requests.exceptions.ChunkedEncodingError,),
    "ReadTimeout": (httpx.ReadTimeout, requests.exceptions.ReadTimeout),
}


@pytest.fixture(scope="module")
def backend() -> Backend:
    return Backend(overrides=Overrides(rate_limit=0))


@pytest.fixture(scope="module")
def server(backend: Backend) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(backend=backend)) as running:
        yield running


def over_socket(library: Library, url: str) -> Callable[[], int]:
    """One POST to ``url`` over a real socket; returns the status."""
    if library == "httpx-sync":
        return lambda: httpx.post(url, content=BODY, headers=FORM, timeout=TIMEOUT).status_code

    if library == "httpx-async":

        async def post() -> int:
            async with httpx.AsyncClient(timeout=TIMEOUT) as client:
                return (await client.post(url, content=BODY, headers=FORM)).status_code

        return lambda: asyncio.run(post())
    return lambda: requests.post(url, data=BODY, headers=FORM, timeout=TIMEOUT).status_code


def in_process(library: Library, backend: Backend) -> Callable[[], int]:
    """One POST into the app, no socket; returns the status."""
    app = create_app(backend=backend)
    if library == "httpx-sync":

        def post_sync() -> int:
            with httpx.Client(transport=SyncASGITransport(app), timeout=TIMEOUT) as client:
                return client.post(KARTRA, content=BODY, headers=FORM).status_code

        return post_sync

    if library == "httpx-async":

        async def post() -> int:
            transport = AsyncASGITransport(app)
            async with httpx.AsyncClient(transport=transport, timeout=TIMEOUT) as client:
                return (await client.post(KARTRA, content=BODY, headers=FORM)).status_code

        return lambda: asyncio.run(post())

    def post_requests() -> int:
        with intercept(app):
            return requests.post(KARTRA, data=BODY, headers=FORM, timeout=TIMEOUT).status_code

    return post_requests


def outcome(backend: Backend, fault: dict[str, object], send: Callable[[], int]) -> str:
    """Schedule ``fault`` for the next call, make it; the exception's class or the status."""
    backend.schedule_fault(parse_schedule(dict(fault)))
    try:
        return f"HTTP {send()}"
    except Exception as exc:
        return type(exc).__name__
    finally:
        backend.clear_faults()


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("path", ["socket", "in-process"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_every_fault_fails_the_same_way_over_every_transport(
    fault: str, path: str, library: Library, backend: Backend, server: ThreadedServer
) -> None:
    schedule, expected = FAULTS[fault]
    send = (
        over_socket(library, server.url + "/api")
        if path == "socket"
        else in_process(library, backend)
    )
    assert outcome(backend, schedule, send) == expected[library]


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("fault", ["drop", "latency beyond the read timeout"])
def test_the_exceptions_are_the_ones_callers_catch(
    fault: str, library: Library, backend: Backend
) -> None:
    schedule, expected = FAULTS[fault]
    backend.schedule_fault(parse_schedule(dict(schedule)))
    with pytest.raises(FAMILIES[expected[library]]):
        in_process(library, backend)()
    backend.clear_faults()
    # The base classes too: what code written against each library catches.
    backend.schedule_fault(parse_schedule(dict(schedule)))
    family = httpx.TransportError if library.startswith("httpx") else requests.RequestException
    with pytest.raises(family):
        in_process(library, backend)()
    backend.clear_faults()
