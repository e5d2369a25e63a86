# Over 400 lines: every Kartra command of the client, written once; the sync twin is generated.
"""The Kartra client over httpx: every command of Kartra's inbound API as one method.

Both clients come from this one source: :mod:`kartra_mock.client.asynchronous` is written by
hand and :mod:`kartra_mock.client.sync` is generated from it (``python -m tools.unasync``),
so they have the same methods, parameters, results and errors. Each method is one
:class:`~kartra_mock.client.chain.ChainBuilder` chain (or lead command) run through the
sans-I/O :class:`~kartra_mock.client.core.ClientCore`; throttle and retry delays are slept
with the ``sleep`` you inject (default ``asyncio.sleep``).

A lead action names an existing lead by ``id=`` and/or ``email=`` (Kartra: the id wins) and
answers its :class:`ActionResult`, or raises the catalogue error of its failure (243 when the
lead does not exist); the commerce commands answer their typed results (247 for an unknown
transaction, 248 for an unknown subscription, …).

Example::

    from kartra_mock.client import AsyncKartraClient

    async with AsyncKartraClient(
        app_id="demo-app", api_key="demo-key", api_password="demo-password",
        base_url="http://127.0.0.1:8765/api",
    ) as kartra:
        lead = await kartra.create_lead(email="ada@example.com", first_name="Ada")
        await kartra.assign_tag("Customer", id=lead.id)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar, Unpack

import httpx

from kartra_mock.client import commands
from kartra_mock.client.chain import (
    ChainBuilder,
    CustomFieldType,
    Money,
    StatusModification,
    SubscriptionChanges,
)
from kartra_mock.client.commands import account_names, act, fetch, on_lead
from kartra_mock.client.core import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    RETRY_DELAY,
    ClientCore,
    Credentials,
    HttpResponse,
    Operation,
    Sleep,
)
from kartra_mock.client.encoding import Params
from kartra_mock.client.parsing import parse_custom_fields
from kartra_mock.client.parsing_commerce import (
    parse_cancellation,
    parse_legacy_subscriptions,
    parse_refund,
    parse_subscription_details,
    parse_subscriptions_list,
    parse_transaction_details,
    parse_transaction_list,
)
from kartra_mock.client.results import ActionResult, ChainResult, CustomField, LeadProfile, LeadRef
from kartra_mock.client.results_commerce import (
    CancellationResult,
    LegacySubscription,
    RefundResult,
    SubscriptionDetails,
    SubscriptionSummary,
    TransactionDetails,
    TransactionRef,
)
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


class AsyncKartraClient:
    """A typed client for Kartra's inbound API (the real one or the mock), over httpx.

    ``http_client`` or ``transport`` injects the HTTP layer (an ``httpx.MockTransport``, the
    mock in-process, …); an injected client is not closed by :meth:`aclose`.
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

    # Lead actions (tags, lists, points, sequences, calendars) and account actions.

    async def assign_tag(
        self, tag_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Tag an existing lead."""
        return await self._run(act(on_lead(id, email).assign_tag(tag_name)))

    async def unassign_tag(
        self, tag_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Remove a tag from an existing lead."""
        return await self._run(act(on_lead(id, email).unassign_tag(tag_name)))

    async def subscribe_lead_to_list(
        self, list_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Subscribe an existing lead to a list."""
        return await self._run(act(on_lead(id, email).subscribe_lead_to_list(list_name)))

    async def unsubscribe_lead_from_list(
        self, list_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Unsubscribe an existing lead from a list."""
        return await self._run(act(on_lead(id, email).unsubscribe_lead_from_list(list_name)))

    async def give_points_to_lead(
        self,
        points: int,
        *,
        expiration: int | None = None,
        id: str | int | None = None,
        email: str | None = None,
    ) -> ActionResult:
        """Add to a lead's score; after ``expiration`` days (if given) they go again."""
        chain = on_lead(id, email).give_points_to_lead(points, expiration=expiration)
        return await self._run(act(chain))

    async def remove_points_from_lead(
        self, points: int, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Take points off a lead's score."""
        return await self._run(act(on_lead(id, email).remove_points_from_lead(points)))

    async def subscribe_lead_to_sequence_at_step(
        self,
        sequence_name: str,
        step: str | int,
        *,
        id: str | int | None = None,
        email: str | None = None,
    ) -> ActionResult:
        """Put a lead in a sequence at a step (the step's box number)."""
        chain = on_lead(id, email).subscribe_lead_to_sequence_at_step(sequence_name, step)
        return await self._run(act(chain))

    async def unsubscribe_lead_from_sequence(
        self, sequence_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        """Take a lead out of a sequence."""
        return await self._run(
            act(on_lead(id, email).unsubscribe_lead_from_sequence(sequence_name))
        )

    async def calendar_subscribe(
        self,
        calendar_name: str,
        class_name: str,
        *,
        starting_date: dt.date | str | None = None,
        starting_hour: dt.time | dt.datetime | str | None = None,
        id: str | int | None = None,
        email: str | None = None,
    ) -> ActionResult:
        """Book a lead into a class of a calendar, from a date and hour (EST) if given."""
        chain = on_lead(id, email).calendar_subscribe(
            calendar_name, class_name, starting_date=starting_date, starting_hour=starting_hour
        )
        return await self._run(act(chain))

    async def calendar_cancel(
        self,
        calendar_name: str,
        class_name: str,
        *,
        id: str | int | None = None,
        email: str | None = None,
    ) -> ActionResult:
        """Cancel a lead's booking of a class."""
        return await self._run(act(on_lead(id, email).calendar_cancel(calendar_name, class_name)))

    async def create_custom_field(
        self,
        custom_field_identifier: str,
        custom_field_type: CustomFieldType,
        custom_field_options: Sequence[str] = (),
    ) -> ActionResult:
        """Create an account custom field; choice types take two or more option names."""
        chain = ChainBuilder().create_custom_field(
            custom_field_identifier, custom_field_type, custom_field_options
        )
        return await self._run(act(chain))

    async def retrieve_account_tags(self) -> tuple[str, ...]:
        """The names of the account's tags."""
        return await self._run(account_names(ChainBuilder().retrieve_account_tags()))

    async def retrieve_account_lists(self) -> tuple[str, ...]:
        """The names of the account's lists."""
        return await self._run(account_names(ChainBuilder().retrieve_account_lists()))

    async def retrieve_account_sequences(self) -> tuple[str, ...]:
        """The names of the account's sequences."""
        return await self._run(account_names(ChainBuilder().retrieve_account_sequences()))

    async def retrieve_account_pages(self) -> tuple[str, ...]:
        """The names of the account's pages (``account_pages``: the mock's key, inferred)."""
        return await self._run(account_names(ChainBuilder().retrieve_account_pages()))

    async def retrieve_custom_fields(self) -> tuple[CustomField, ...]:
        """The account's custom fields and their options."""
        return await self._run(fetch(ChainBuilder().retrieve_custom_fields(), parse_custom_fields))

    # Transactions and recurring subscriptions (docs/behaviour.md#payments).

    async def search_transaction(self, transaction_id: str | int) -> ActionResult:
        """Check that a transaction exists ("Transaction exists"; 247 if not)."""
        return await self._run(act(ChainBuilder().search_transaction(transaction_id)))

    async def get_transaction_details(self, transaction_id: str | int) -> TransactionDetails:
        """A transaction's details."""
        chain = ChainBuilder().get_transaction_details(transaction_id)
        return await self._run(fetch(chain, parse_transaction_details))

    async def retrieve_transactions_from_lead(
        self, *, id: str | int | None = None, email: str | None = None
    ) -> tuple[TransactionRef, ...]:
        """A lead's transactions, oldest first."""
        chain = on_lead(id, email).retrieve_transactions_from_lead()
        return await self._run(fetch(chain, parse_transaction_list))

    async def refund_transaction(
        self, transaction_id: str | int, refund_amount: Money | None = None
    ) -> RefundResult:
        """Refund a sale or rebill, wholly or by ``refund_amount``; answers the refund's id."""
        chain = ChainBuilder().refund_transaction(transaction_id, refund_amount)
        return await self._run(fetch(chain, parse_refund))

    async def search_subscription(self, subscription_id: str | int) -> ActionResult:
        """Check that a subscription exists (248 if not)."""
        return await self._run(act(ChainBuilder().search_subscription(subscription_id)))

    async def get_subscription_details(self, subscription_id: str | int) -> SubscriptionDetails:
        """A subscription's details."""
        chain = ChainBuilder().get_subscription_details(subscription_id)
        return await self._run(fetch(chain, parse_subscription_details))

    async def retrieve_subscriptions_from_lead(
        self, *, id: str | int | None = None, email: str | None = None
    ) -> tuple[SubscriptionSummary, ...]:
        """A lead's subscriptions and their statuses."""
        chain = on_lead(id, email).retrieve_subscriptions_from_lead()
        return await self._run(fetch(chain, parse_subscriptions_list))

    async def get_subscriptions_from_lead(
        self, *, id: str | int | None = None, email: str | None = None
    ) -> tuple[LegacySubscription, ...]:
        """A lead's subscriptions through the legacy command.

        See docs/behaviour.md#get_subscriptions_from_lead.
        """
        chain = on_lead(id, email).get_subscriptions_from_lead()
        return await self._run(fetch(chain, parse_legacy_subscriptions))

    async def cancel_transaction(
        self,
        *,
        transaction_id: str | int | None = None,
        transaction_internal_subscription_id: str | int | None = None,
    ) -> CancellationResult:
        """Cancel a recurring subscription, named by one of its transactions or by its id."""
        chain = ChainBuilder().cancel_transaction(
            transaction_id=transaction_id,
            transaction_internal_subscription_id=transaction_internal_subscription_id,
        )
        return await self._run(fetch(chain, parse_cancellation))

    async def modify_subscription_status(
        self, subscription_id: str | int, subscription_status_modification: StatusModification
    ) -> ActionResult:
        """Cancel, pause or unpause a subscription."""
        chain = ChainBuilder().modify_subscription_status(
            subscription_id, subscription_status_modification
        )
        return await self._run(act(chain))

    async def edit_subscription(
        self, subscription_id: str | int, **changes: Unpack[SubscriptionChanges]
    ) -> ActionResult:
        """Change a running subscription: plan, next payment, amount, schedule, quantity, tax.

        The changes are :class:`~kartra_mock.client.chain.SubscriptionChanges`' keywords.
        """
        return await self._run(act(ChainBuilder().edit_subscription(subscription_id, **changes)))

    async def aclose(self) -> None:
        """Close the HTTP client, unless it was injected."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncKartraClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
