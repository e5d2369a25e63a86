""":class:`~kartra_mock.client.AsyncKartraClient`'s transaction and subscription commands.

Each makes one call and answers a typed result from :mod:`.results_commerce` (or the
:class:`ActionResult` of a command that answers only a message), or raises the catalogue
error of its failure: 247 for an unknown transaction, 248 for an unknown subscription, and so
on. The parameters are the chain builder's (:mod:`.chain_commerce`); :mod:`.sync_commerce`
is the twin of this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeVar

from kartra_mock.client.chain_commerce import Money, RecurringPeriod, StatusModification
from kartra_mock.client.commands import ChainBuilder, act, fetch, on_lead
from kartra_mock.client.core import Operation
from kartra_mock.client.parsing_commerce import (
    parse_cancellation,
    parse_legacy_subscriptions,
    parse_refund,
    parse_subscription_details,
    parse_subscriptions_list,
    parse_transaction_details,
    parse_transaction_list,
)
from kartra_mock.client.results import ActionResult
from kartra_mock.client.results_commerce import (
    CancellationResult,
    LegacySubscription,
    RefundResult,
    SubscriptionDetails,
    SubscriptionSummary,
    TransactionDetails,
    TransactionRef,
)

__all__ = ["AsyncCommerce"]

T = TypeVar("T")


class AsyncCommerce:
    """Payment transactions and recurring subscriptions (docs/behaviour.md#payments)."""

    async def _run(self, operation: Operation[T]) -> T:
        raise NotImplementedError  # the client sends it

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
        """A lead's subscriptions through the legacy command
        (docs/behaviour.md#get_subscriptions_from_lead)."""
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
        self,
        subscription_id: str | int,
        *,
        subscription_product_id: str | int | None = None,
        subscription_price_point: str | int | None = None,
        subscription_next_payment_date: datetime | str | None = None,
        subscription_amount: Money | None = None,
        recurring_period_1: RecurringPeriod | None = None,
        recurring_period_2: RecurringPeriod | None = None,
        subscription_product_quantity: int | None = None,
        subscription_installments_left: int | Literal["until cancelled"] | None = None,
        subscription_tax_percent: Money | None = None,
    ) -> ActionResult:
        """Change a running subscription: plan, next payment, amount, schedule, quantity, tax."""
        chain = ChainBuilder().edit_subscription(
            subscription_id,
            subscription_product_id=subscription_product_id,
            subscription_price_point=subscription_price_point,
            subscription_next_payment_date=subscription_next_payment_date,
            subscription_amount=subscription_amount,
            recurring_period_1=recurring_period_1,
            recurring_period_2=recurring_period_2,
            subscription_product_quantity=subscription_product_quantity,
            subscription_installments_left=subscription_installments_left,
            subscription_tax_percent=subscription_tax_percent,
        )
        return await self._run(act(chain))
