"""The synchronous client: a thin httpx shell over :class:`~kartra_mock.client.core.ClientCore`.

Example::

    from kartra_mock.client import KartraClient

    with KartraClient(app_id="demo-app", api_key="demo-key", api_password="demo-password",
                      base_url="http://127.0.0.1:8765/api") as kartra:
        lead = kartra.create_lead(email="ada@example.com", first_name="Ada")
        kartra.assign_tag("Customer", id=lead.id)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

import httpx

from kartra_mock.client import commands
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
from kartra_mock.client.sync_actions import SyncActions
from kartra_mock.client.sync_commerce import SyncCommerce
from kartra_mock.client.throttle import ThrottleRegistry, resolve_throttle

__all__ = ["DEFAULT_TIMEOUT", "Chain", "KartraClient"]

T = TypeVar("T")

#: Seconds, for the httpx client the Kartra client creates itself.
DEFAULT_TIMEOUT = 10.0


class Chain(ChainBuilder):
    """A chain of actions on one lead, sent in one call by :meth:`send`."""

    def __init__(self, client: KartraClient, lead: Params | None) -> None:
        super().__init__(lead)
        self._client = client

    def send(self, *, raise_on_action_error: bool | None = None) -> ChainResult:
        """Send the chain; raise on a failed action if asked to (default: the client's setting)."""
        return self._client._run(self.operation(self._client._raises(raise_on_action_error)))


class KartraClient(SyncActions, SyncCommerce):
    """A typed client for Kartra's inbound API (the real one or the mock), over httpx.

    ``http_client`` or ``transport`` injects the HTTP layer (an ``httpx.MockTransport``, a
    starlette ``TestClient``, …); an injected client is not closed by :meth:`close`.
    ``throttle=True`` queues calls at 20 per second per ``app_id`` across the process.
    ``sleep`` and ``clock`` replace ``time.sleep`` and ``time.monotonic`` (for tests).
    """

    def __init__(
        self,
        *,
        app_id: str,
        api_key: str,
        api_password: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry_delay: float = RETRY_DELAY,
        throttle: bool | ThrottleRegistry = False,
        raise_on_action_error: bool = False,
        sleep: Callable[[float], None] = time.sleep,
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
        self._http = http_client or httpx.Client(transport=transport, timeout=timeout)
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
            f"KartraClient(base_url={self.base_url!r}, app_id={self.app_id!r}, "
            f"api_key={self.api_key!r})"
        )

    def _raises(self, override: bool | None) -> bool:
        return self._raise_on_action_error if override is None else override

    def _run(self, operation: Operation[T]) -> T:
        steps = self._core.exchange(operation)
        reply: HttpResponse | None = None
        try:
            while True:
                step = steps.send(reply)
                if isinstance(step, Sleep):
                    self._sleep(step.seconds)
                    reply = None
                else:
                    response = self._http.request(
                        step.method, step.url, headers=step.headers, content=step.body
                    )
                    reply = HttpResponse(response.status_code, response.content)
        except StopIteration as done:
            result: T = done.value
            return result
        finally:
            steps.close()  # a failed or cancelled send still frees its throttle slot

    def call(self, params: Params) -> dict[str, object]:
        """Send any call (credentials are added); return the decoded JSON answer."""
        return self._run(commands.raw_call(params))

    def create_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        """Create a lead: ``email`` and any profile fields, ``custom_fields`` as a map or list."""
        return self._run(commands.create_lead(commands.merge_lead(lead, fields)))

    def edit_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        """Edit the lead named by ``id`` or ``email``; ``new_email`` changes its address."""
        return self._run(commands.edit_lead(commands.merge_lead(lead, fields)))

    def search_lead(self, *, id: str | int | None = None, email: str | None = None) -> LeadRef:
        """Find a lead by id or email."""
        return self._run(commands.search_lead(commands.identity(id, email)))

    def get_lead(self, *, id: str | int | None = None, email: str | None = None) -> LeadProfile:
        """A lead's whole profile, by id or email."""
        return self._run(commands.get_lead(commands.identity(id, email)))

    def chain(self, lead: Params | None = None, **fields: object) -> Chain:
        """Start a chain on one lead: ``chain(email=…).create_lead()….send()``."""
        return Chain(self, commands.merge_lead(lead, fields) if lead or fields else None)

    def close(self) -> None:
        """Close the HTTP client, unless it was injected."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> KartraClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
