"""In-process calls per second: the reference client over ``httpx.ASGITransport``, no socket.

This is the path a test suite takes with ``kartra_mock.create_app()`` (async) or the pytest
plugin's ``kartra_inprocess`` fixture (sync, through
:class:`~kartra_mock.testing.asgi.SyncASGITransport`).
The ceiling is a raw ``httpx.AsyncClient`` posting the same body to the bare starlette app.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable

import httpx

from benchmarks.figures import Figure, at_least

__all__ = ["measure"]

SECTION = "in-process"
BASE_URL = "http://kartra-mock.invalid/api"
_BODY = (
    b"app_id=demo-app&api_key=demo-key&api_password=demo-password"
    b"&lead%5Bemail%5D=ada%40example.com&lead%5Bfirst_name%5D=Ada"
    b"&actions%5B0%5D%5Bcmd%5D=create_lead"
)


async def _rate(call: Callable[[int], Awaitable[object]], seconds: float) -> float:
    """Calls per second of ``call(n)``, made one after another for ``seconds``."""
    for number in range(20):  # warm-up: imports, caches, first allocations
        await call(-number - 1)
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for _ in range(50):
            await call(count)
            count += 1
    return count / (time.perf_counter() - started)


def _rate_sync(call: Callable[[int], object], seconds: float) -> float:
    """:func:`_rate` for a synchronous ``call``."""
    for number in range(20):
        call(-number - 1)
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for _ in range(50):
            call(count)
            count += 1
    return count / (time.perf_counter() - started)


async def _async_figures(seconds: float) -> tuple[list[Figure], float]:
    """The async client's figures, and the ceiling's calls per second."""
    from benchmarks.bare_app import app as bare_app
    from kartra_mock.client import AsyncKartraClient
    from kartra_mock.engine.backend import Overrides
    from kartra_mock.server.app import create_app

    app = create_app(overrides=Overrides(rate_limit=0))
    async with AsyncKartraClient(
        app_id="demo-app",
        api_key="demo-key",
        api_password="demo-password",
        base_url=BASE_URL,
        transport=httpx.ASGITransport(app),
    ) as kartra:
        run = itertools.count()

        async def create(number: int) -> object:
            return await kartra.create_lead(email=f"c{next(run)}-{number}@example.com")

        created = await _rate(create, seconds)
        await kartra.create_lead(email="found@example.com")

        async def search(number: int) -> object:
            return await kartra.search_lead(email="found@example.com")

        searched = await _rate(search, seconds)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(bare_app), base_url="http://bare.invalid"
    ) as http:
        headers = {"content-type": "application/x-www-form-urlencoded"}

        async def bare(number: int) -> object:
            return await http.post("/api", content=_BODY, headers=headers)

        ceiling = await _rate(bare, seconds)
    return [
        Figure(SECTION, "AsyncKartraClient create_lead calls/s", created, "calls/s"),
        Figure(SECTION, "AsyncKartraClient search_lead calls/s", searched, "calls/s"),
        Figure(SECTION, "raw httpx → bare starlette calls/s (ceiling)", ceiling, "calls/s"),
        Figure(SECTION, "create_lead / ceiling", created / ceiling, "×"),
    ], ceiling


def _sync_rate(seconds: float) -> float:
    """Calls per second of create_lead through the plugin's sync path."""
    from kartra_mock.testing import KartraMock

    with KartraMock.in_process(rate_limit=0) as mock, mock.client() as kartra:
        run = itertools.count()

        def create(number: int) -> object:
            return kartra.create_lead(email=f"s{next(run)}-{number}@example.com")

        return _rate_sync(create, seconds)


def _sync_figures(seconds: float, ceiling: float) -> list[Figure]:
    rate = _sync_rate(seconds)
    ratio = rate / ceiling
    return [
        Figure(
            SECTION,
            "KartraClient (sync, plugin's kartra_inprocess path) create_lead calls/s",
            rate,
            "calls/s",
        ),
        Figure(
            SECTION,
            "sync create_lead / ceiling",
            ratio,
            "×",
            at_least(ratio, 0.8, "≥ 0.8"),
        ),
    ]


def measure(seconds: float) -> list[Figure]:
    """The in-process figures, each loop running for ``seconds``."""
    figures, ceiling = asyncio.run(_async_figures(seconds))
    return figures + _sync_figures(seconds, ceiling)
