"""The asynchronous client: a thin httpx shell over :class:`~kartra_mock.client.core.ClientCore`.

It never blocks the event loop: throttle and retry delays are computed by the core and
slept with ``asyncio.sleep`` (or the ``sleep`` you inject, e.g. ``trio.sleep``).

Example::

    from kartra_mock.client import AsyncKartraClient

    async with AsyncKartraClient(app_id="demo-app", api_key="demo-key",
                                 api_password="demo-password",
                                 transport=httpx.ASGITransport(kartra_mock.create_app()),
                                 base_url="http://kartra/api") as kartra:
        lead = await kartra.create_lead(email="ada@example.com", first_name="Ada")
        await kartra.assign_tag("Customer", id=lead.id)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TypeVar

import httpx

from kartra_mock.client import commands
from kartra_mock.client.async_actions import AsyncActions
from kartra_mock.client.async_commerce import AsyncCommerce
from kartra_mock.client.commands import ChainBuilder
from kartra_mock.client.core import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    RETRY_DELAY,
    ClientCore,
    Credentials,
    HttpResponse,
    Operation,
    Sleep,
)
from kartra_mock.client.encoding import Params
from kartra_mock.client.results import ChainResult, LeadProfile, LeadRef
from kartra_mock.client.sync import DEFAULT_TIMEOUT
from kartra_mock.client.throttle import ThrottleRegistry, resolve_throttle

__all__ = ["AsyncChain", "AsyncKartraClient"]

T = TypeVar("T")


class AsyncChain(ChainBuilder):
    """A chain of actions on one lead, sent in one call by :meth:`send`."""

    def __init__(self, client: AsyncKartraClient, lead: Params | None) -> None:
        super().__init__(lead)
        self._client = client

    async def send(self, *, raise_on_action_error: bool | None = None) -> ChainResult:
        """Send the chain; raise on a failed action if asked to (default: the client's setting)."""
        return await self._client._run(self.operation(self._client._raises(raise_on_action_error)))


class AsyncKartraClient(AsyncActions, AsyncCommerce):
    """The async twin of :class:`~kartra_mock.client.KartraClient`: same arguments, same methods.

    ``http_client`` or ``transport`` injects the HTTP layer (an ``httpx.MockTransport``, a
    ``httpx.ASGITransport`` for the mock in-process, …); an injected client is not closed.
    ``throttle=True`` queues calls at 20 per second per ``app_id`` across the process.
    ``sleep`` and ``clock`` replace ``asyncio.sleep`` and ``time.monotonic`` (for tests).
    """

    def __init__(
        self,
        *,
        app_id: str,
        api_key: str,
        api_password: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_delay: float = RETRY_DELAY,
        throttle: bool | ThrottleRegistry = False,
        raise_on_action_error: bool = False,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if http_client is not None and transport is not None:
            raise ValueError("give http_client or transport, not both")
        self._core = ClientCore(
            Credentials(app_id, api_key, api_password),
            base_url=base_url,
            max_retries=max_retries,
            retry_delay=retry_delay,
            throttle=resolve_throttle(throttle, app_id),
            clock=clock,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(transport=transport, timeout=timeout)
        self._raise_on_action_error = raise_on_action_error
        self._sleep = sleep

    @property
    def base_url(self) -> str:
        """The endpoint every call is posted to."""
        return self._core.base_url

    @property
    def app_id(self) -> str:
        """The app the calls are made for."""
        return self._core.credentials.app_id

    @property
    def api_key(self) -> str:
        """The account's API key."""
        return self._core.credentials.api_key

    def __repr__(self) -> str:
        return (
            f"AsyncKartraClient(base_url={self.base_url!r}, app_id={self.app_id!r}, "
            f"api_key={self.api_key!r})"
        )

    def _raises(self, override: bool | None) -> bool:
        return self._raise_on_action_error if override is None else override

    async def _run(self, operation: Operation[T]) -> T:
        steps = self._core.exchange(operation)
        reply: HttpResponse | None = None
        try:
            while True:
                step = steps.send(reply)
                if isinstance(step, Sleep):
                    await self._sleep(step.seconds)
                    reply = None
                else:
                    response = await self._http.request(
                        step.method, step.url, headers=step.headers, content=step.body
                    )
                    reply = HttpResponse(response.status_code, response.content)
        except StopIteration as done:
            result: T = done.value
            return result
        finally:
            steps.close()  # a failed or cancelled send still frees its throttle slot

    async def call(self, params: Params) -> dict[str, object]:
        """Send any call (credentials are added); return the decoded JSON answer."""
        return await self._run(commands.raw_call(params))

    async def create_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        """Create a lead: ``email`` and any profile fields, ``custom_fields`` as a map or list."""
        return await self._run(commands.create_lead(commands.merge_lead(lead, fields)))

    async def edit_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        """Edit the lead named by ``id`` or ``email``; ``new_email`` changes its address."""
        return await self._run(commands.edit_lead(commands.merge_lead(lead, fields)))

    async def search_lead(
        self, *, id: str | int | None = None, email: str | None = None
    ) -> LeadRef:
        """Find a lead by id or email."""
        return await self._run(commands.search_lead(commands.identity(id, email)))

    async def get_lead(
        self, *, id: str | int | None = None, email: str | None = None
    ) -> LeadProfile:
        """A lead's whole profile, by id or email."""
        return await self._run(commands.get_lead(commands.identity(id, email)))

    def chain(self, lead: Params | None = None, **fields: object) -> AsyncChain:
        """Start a chain on one lead: ``await chain(email=…).create_lead()….send()``."""
        return AsyncChain(self, commands.merge_lead(lead, fields) if lead or fields else None)

    async def aclose(self) -> None:
        """Close the HTTP client, unless it was injected."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncKartraClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
