"""What the commerce commands send: transactions and recurring subscriptions
(docs/behaviour.md#payments).

The chain builder's methods for them, as in :mod:`.chain_actions`: arguments named as Kartra
names its parameters, ``None`` not sent. Ids may be given as ``int`` or ``str``; amounts as
``Decimal``, ``float``, ``int`` or ``str`` (a ``Decimal`` is sent as written, never through a
float). Only the lead-scoped ones (``retrieve_transactions_from_lead``,
``retrieve_subscriptions_from_lead``, ``get_subscriptions_from_lead``) use the chain's lead.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal, Self

from kartra_mock.client.dates import payment_date

__all__ = ["ChainCommerce", "Money", "RecurringPeriod", "StatusModification"]

#: An amount of money, as the client accepts it.
Money = Decimal | float | int | str
#: subscription_recurrence's periods (docs/behaviour.md#edit_subscription, documented; which ones a
#: price point takes depends on its type, and Kartra checks that).
RecurringPeriod = Literal[
    "monthly", "every 2 months", "quarterly", "yearly", "every 2 years", "weekly", "every 2 weeks"
]
#: modify_subscription_status' ``subscription_status_modification`` (documented).
StatusModification = Literal["cancel", "pause", "unpause"]


def _money(value: Money | None) -> float | int | str | None:
    return format(value, "f") if isinstance(value, Decimal) else value


class ChainCommerce:
    """The transaction and subscription commands."""

    def action(self, cmd: str, **params: object) -> Self:
        """Add any action; the chain builder defines it."""
        raise NotImplementedError

    def search_transaction(self, transaction_id: str | int) -> Self:
        """Check that a transaction exists (247 if not)."""
        return self.action("search_transaction", transaction_id=transaction_id)

    def get_transaction_details(self, transaction_id: str | int) -> Self:
        """Add a transaction's details to the answer."""
        return self.action("get_transaction_details", transaction_id=transaction_id)

    def retrieve_transactions_from_lead(self) -> Self:
        """Add the chain's lead's transactions to the answer."""
        return self.action("retrieve_transactions_from_lead")

    def refund_transaction(
        self, transaction_id: str | int, refund_amount: Money | None = None
    ) -> Self:
        """Refund a sale or rebill: ``refund_amount`` of it, or all that is left if ``None``."""
        return self.action(
            "refund_transaction", transaction_id=transaction_id, refund_amount=_money(refund_amount)
        )

    def search_subscription(self, subscription_id: str | int) -> Self:
        """Check that a subscription exists (248 if not)."""
        return self.action("search_subscription", subscription_id=subscription_id)

    def get_subscription_details(self, subscription_id: str | int) -> Self:
        """Add a subscription's details to the answer."""
        return self.action("get_subscription_details", subscription_id=subscription_id)

    def retrieve_subscriptions_from_lead(self) -> Self:
        """Add the chain's lead's subscriptions to the answer."""
        return self.action("retrieve_subscriptions_from_lead")

    def get_subscriptions_from_lead(self) -> Self:
        """The legacy form of :meth:`retrieve_subscriptions_from_lead`
        (docs/behaviour.md#get_subscriptions_from_lead)."""
        return self.action("get_subscriptions_from_lead")

    def cancel_transaction(
        self,
        *,
        transaction_id: str | int | None = None,
        transaction_internal_subscription_id: str | int | None = None,
    ) -> Self:
        """Cancel a recurring subscription, named by one of its transactions or by its id.

        Kartra needs one of the two (documented); giving neither is a ``ValueError`` here.
        """
        if transaction_id is None and transaction_internal_subscription_id is None:
            raise ValueError(
                "name the subscription: give transaction_id=… or "
                "transaction_internal_subscription_id=…"
            )
        return self.action(
            "cancel_transaction",
            transaction_id=transaction_id,
            transaction_internal_subscription_id=transaction_internal_subscription_id,
        )

    def modify_subscription_status(
        self, subscription_id: str | int, subscription_status_modification: StatusModification
    ) -> Self:
        """Cancel, pause or unpause a subscription (PayPal ones can only be cancelled)."""
        return self.action(
            "modify_subscription_status",
            subscription_id=subscription_id,
            subscription_status_modification=subscription_status_modification,
        )

    def edit_subscription(
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
    ) -> Self:
        """Change a running subscription; Kartra wants at least one change (285 otherwise).

        A new plan needs ``subscription_product_id`` and ``subscription_price_point``
        together (documented; 283 otherwise). The recurring periods are sent in
        ``subscription_recurrence[recurring_period_1|2]``; the next payment date as
        ``YYYY-MM-DD HH:MM`` EST (see :mod:`.dates`).
        """
        periods = {
            "recurring_period_1": recurring_period_1,
            "recurring_period_2": recurring_period_2,
        }
        recurrence = {key: value for key, value in periods.items() if value is not None}
        next_payment = subscription_next_payment_date
        if next_payment is not None:
            next_payment = payment_date(next_payment)
        return self.action(
            "edit_subscription",
            subscription_id=subscription_id,
            subscription_product_id=subscription_product_id,
            subscription_price_point=subscription_price_point,
            subscription_next_payment_date=next_payment,
            subscription_amount=_money(subscription_amount),
            subscription_recurrence=recurrence or None,
            subscription_product_quantity=subscription_product_quantity,
            subscription_installments_left=subscription_installments_left,
            subscription_tax_percent=_money(subscription_tax_percent),
        )
