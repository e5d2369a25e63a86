"""Shared harness of the client suite: four setups, fake time, one mock per world.

Every test is written once and runs over the four setups of :data:`SETUPS` — the sync and
the async client, each against the mock in-process (ASGI) and over a real socket
(:class:`~kartra_mock.server.threaded.ThreadedServer`). Tests are ``async`` and read every
result through :func:`settle`, which awaits the async client and passes the sync one through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, TypeVar

import httpx

from kartra_mock import DEMO_API_KEY, DEMO_API_PASSWORD, DEMO_APP_ID, create_app
from kartra_mock.client import AsyncKartraClient, KartraClient
from kartra_mock.domain.model import AuthMode
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.threaded import ThreadedServer
from kartra_mock.testing.asgi import AsyncASGITransport, SyncASGITransport
from tests.helpers import TLS
from tests.kartra_mock.server.worlds import NOW, WORLD

T = TypeVar("T")

AnyClient = KartraClient | AsyncKartraClient
Mode = Literal["sync", "async"]


class DemoCredentials(TypedDict):
    """The three credentials, typed for ``KartraClient(**DEMO)``."""

    app_id: str
    api_key: str
    api_password: str


DEMO: DemoCredentials = {
    "app_id": DEMO_APP_ID,
    "api_key": DEMO_API_KEY,
    "api_password": DEMO_API_PASSWORD,
}
IN_PROCESS_URL = "http://kartra.test/api"


async def settle(value: Awaitable[T] | T) -> T:
    """The result of a client call: awaited for the async client, as is for the sync one."""
    if isinstance(value, Awaitable):
        result: T = await value
        return result
    return value


@dataclass(frozen=True, slots=True)
class Setup:
    """One way to reach the mock: sync or async client, in-process or over HTTP."""

    mode: Mode
    over_http: bool

    @property
    def id(self) -> str:
        """The pytest id, e.g. ``async-http``."""
        return f"{self.mode}-{'http' if self.over_http else 'asgi'}"


SETUPS = tuple(Setup(mode, over_http) for mode in ("sync", "async") for over_http in (False, True))


@dataclass
class FakeTime:
    """A clock and a sleep that never wait: sleeping moves the clock (unless ``frozen``)."""

    now: float = 1_000.0
    frozen: bool = False
    slept: list[float] = field(default_factory=list)
    #: Where :meth:`reset` puts the clock back.
    start: float = 1_000.0

    def clock(self) -> float:
        """The current fake time."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """Record the sleep and move the clock."""
        self.slept.append(seconds)
        if not self.frozen:
            self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        """:meth:`sleep` for the async client."""
        self.sleep(seconds)

    def reset(self) -> None:
        """Back to the start."""
        self.now, self.frozen, self.slept = self.start, False, []


@dataclass(frozen=True, slots=True)
class World:
    """A world a test can ask for: its state document, overrides and starting time."""

    document: Mapping[str, object] | None
    overrides: Overrides
    start: float = 1_000.0


STRICT_DOCUMENT: dict[str, object] = {
    "auth": "strict",
    "apps": [{"app_id": DEMO_APP_ID}],
    "accounts": [{"api_key": DEMO_API_KEY, "api_password": DEMO_API_PASSWORD}],
}
#: The worlds a test can ask for, by name. "shop" is the server tests' seeded world
#: (worlds.py: sequences, calendars, pages, products, transactions, subscriptions), with the
#: clock at its ``NOW`` (2024-06-01 12:00:00 EST); its demo account takes the demo credentials.
WORLDS: Mapping[str, World] = {
    "open": World(None, Overrides(rate_limit=0)),
    "strict": World(STRICT_DOCUMENT, Overrides(rate_limit=0, auth=AuthMode.STRICT)),
    "limit-1": World(None, Overrides(rate_limit=1)),
    "limit-20": World(None, Overrides(rate_limit=20)),
    "shop": World(WORLD, Overrides(rate_limit=0), start=NOW),
}


class Target:
    """One mock backend on the fake clock, reachable in-process and (lazily) over HTTP."""

    def __init__(self, world: str) -> None:
        chosen = WORLDS[world]
        self.time = FakeTime(now=chosen.start, start=chosen.start)
        self.backend = Backend(chosen.document, overrides=chosen.overrides, clock=self.time.clock)
        self.app = create_app(backend=self.backend)
        self._server: ThreadedServer | None = None

    def url(self) -> str:
        """The ``/api`` URL of a real server for this backend (started on first use)."""
        if self._server is None:
            self._server = ThreadedServer(self.app)
            self._server.start()
        return self._server.url + "/api"

    def reset(self) -> None:
        """A fresh world, journal and clock."""
        self.backend.reset()
        self.time.reset()

    def close(self) -> None:
        """Stop the server, if one was started."""
        if self._server is not None:
            self._server.stop()


class Targets:
    """The targets, one per world, created on first use."""

    def __init__(self) -> None:
        self._targets: dict[str, Target] = {}

    def get(self, world: str) -> Target:
        """The target of ``world``."""
        if world not in self._targets:
            self._targets[world] = Target(world)
        return self._targets[world]

    def close(self) -> None:
        """Stop every server."""
        for target in self._targets.values():
            target.close()


class Connector:
    """Makes clients of one setup for one test, each target reset on first use."""

    def __init__(self, setup: Setup, targets: Targets) -> None:
        self.setup = setup
        self._targets = targets
        self._fresh: set[str] = set()
        self._closers: list[Callable[[], Awaitable[None] | None]] = []

    def target(self, world: str = "open") -> Target:
        """The target of ``world``, reset the first time this test touches it."""
        target = self._targets.get(world)
        if world not in self._fresh:
            target.reset()
            self._fresh.add(world)
        return target

    def client(self, world: str = "open", **options: Any) -> AnyClient:
        """A client of this setup for ``world``: demo credentials and fake time by default."""
        target = self.target(world)
        kwargs: dict[str, Any] = {**DEMO, "clock": target.time.clock, **options}
        in_process = not self.setup.over_http
        kwargs.setdefault("base_url", IN_PROCESS_URL if in_process else target.url())
        client: AnyClient
        if self.setup.mode == "sync":
            kwargs.setdefault("sleep", target.time.sleep)
            if in_process:
                kwargs["transport"] = SyncASGITransport(target.app)
            client = KartraClient(**kwargs)
            self._closers.append(client.close)
        else:
            kwargs.setdefault("sleep", target.time.async_sleep)
            if in_process:
                kwargs["transport"] = AsyncASGITransport(target.app)
                client = AsyncKartraClient(**kwargs)
            else:
                http = httpx.AsyncClient(verify=TLS)
                self._closers.append(http.aclose)
                client = AsyncKartraClient(http_client=http, **kwargs)
            self._closers.append(client.aclose)
        return client

    async def aclose(self) -> None:
        """Close every client and injected HTTP client, newest first."""
        for close in reversed(self._closers):
            await settle(close())


def make_client(mode: Mode, transport: httpx.MockTransport, **options: Any) -> AnyClient:
    """A client of ``mode`` over an ``httpx.MockTransport`` (for protocol tests)."""
    time = FakeTime()
    kwargs: dict[str, Any] = {**DEMO, "transport": transport, "clock": time.clock, **options}
    if mode == "sync":
        return KartraClient(**{"sleep": time.sleep, **kwargs})
    return AsyncKartraClient(**{"sleep": time.async_sleep, **kwargs})


async def close(client: AnyClient) -> None:
    """Close a client of either kind."""
    if isinstance(client, KartraClient):
        client.close()
    else:
        await client.aclose()
