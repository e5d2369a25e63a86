"""Fixtures of the client suite: the anyio backend, the session's mocks, the four setups."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.kartra_mock.client import SETUPS, Connector, Mode, Setup, Targets


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """The async tests run on asyncio (the client's default sleep is ``asyncio.sleep``)."""
    return "asyncio"


@pytest.fixture(scope="session")
def targets() -> Iterator[Targets]:
    """One mock per world, reset for each test that uses it; servers over HTTP start on first use.

    One for the session, not for each module: a real server takes a good 0.1 s to stop.
    """
    pool = Targets()
    yield pool
    pool.close()


@pytest.fixture(
    params=[
        pytest.param(setup, id=setup.id, marks=[pytest.mark.socket] if setup.over_http else [])
        for setup in SETUPS
    ]
)
async def kartra(
    request: pytest.FixtureRequest, targets: Targets, anyio_backend: str
) -> AsyncIterator[Connector]:
    """Clients of one of the four setups; every client is closed after the test."""
    setup: Setup = request.param
    connector = Connector(setup, targets)
    yield connector
    await connector.aclose()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    """Sync or async client (for tests over an ``httpx.MockTransport``)."""
    value: Mode = request.param
    return value
