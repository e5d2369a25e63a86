"""From what a call changed to the calls to make: events × configured URLs, and triggers.

Events with no inbound command (a sale, a form filled, a page visited, …) are triggered on
demand (``POST /_mock/trigger``, ``kartra-mock trigger``); a triggered ``buy_product`` records
its sale (and subscription) like a real purchase, so later refunds and cancellations see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from kartra_mock.domain.commerce import (
    PriceType,
    Subscription,
    SubscriptionStatus,
    Transaction,
    TransactionType,
)
from kartra_mock.domain.est import format_est
from kartra_mock.domain.model import Account, Lead
from kartra_mock.outbound.config import OutboundConfig
from kartra_mock.outbound.events import Event
from kartra_mock.outbound.payloads import Outgoing, ipn_form, webhook_body
from kartra_mock.protocol.outbound import ACTION_DETAILS, WEBHOOK_ACTIONS

__all__ = ["TriggerError", "outgoing", "trigger"]


class TriggerError(ValueError):
    """A trigger that cannot happen (unknown action, lead or product); nothing changed."""


def outgoing(
    config: OutboundConfig,
    account: Account,
    events: list[Event],
    transactions: list[int],
    now: float,
) -> list[Outgoing]:
    """Every call to make for these events and new transactions, in order."""
    calls: list[Outgoing] = []
    for event in events:
        targets = [t.url for t in config.webhooks if t.wants(account.api_key, event.action)]
        if targets:
            body = webhook_body(account, event, now)
            calls.extend(
                Outgoing(url, "webhook", event.action, account.api_key, body) for url in targets
            )
    for tid in transactions:
        transaction = account.transactions[tid]
        for target in config.ipn:
            if target.wants(account.api_key, transaction.product_id):
                form = ipn_form(account, transaction, target.secret_key)
                calls.append(
                    Outgoing(target.url, "ipn", transaction.type.value, account.api_key, form)
                )
    return calls


def _default_details(action: str, given: Mapping[str, object]) -> dict[str, object]:
    key, fields = ACTION_DETAILS[action]
    inner = given.get(key)
    values: dict[str, object] = dict.fromkeys(fields, "")
    if "hosts" in values:
        values["hosts"] = []
    if isinstance(inner, dict):
        values.update(inner)
    return {key: values}


def trigger(
    account: Account,
    lead: Lead,
    action: str,
    details: Mapping[str, object],
    now: float,
    *,
    product_id: int | None = None,
    price_point: int | None = None,
) -> Event | None:
    """Make ``action`` happen to ``lead``. Product actions change the account (the diff
    then reports them) and return ``None``; the others return their event."""
    if action not in WEBHOOK_ACTIONS:
        raise TriggerError(
            f"unknown action {action!r}"
            " (see docs/webhooks.md#action-values-documented-and-their-action_details)"
        )
    if action == "buy_product":
        _buy(account, lead, now, product_id, price_point)
        return None
    if action in ("refund_product", "partial_refund_product", "cancel_subscription"):
        raise TriggerError(
            f"{action} follows from the inbound API (refund_transaction, cancel_subscription)"
            " on a sale; trigger buy_product first"
        )
    return Event(account.api_key, lead.id, action, _default_details(action, details))


def _buy(
    account: Account, lead: Lead, now: float, product_id: int | None, price_point: int | None
) -> None:
    if product_id is None:
        product_id = min(account.products, default=None)
    product = None if product_id is None else account.products.get(product_id)
    if product is None or not product.price_points:
        raise TriggerError(
            f"account {account.api_key!r} has no product {product_id} with a price point"
            " (add one to the state document's products)"
        )
    point = product.price_points[0] if price_point is None else product.price_point(price_point)
    if point is None:
        raise TriggerError(f"product {product.id} has no price point {price_point}")
    subscription_id = None
    if point.type is not PriceType.ONE_TIME:
        subscription_id = max(account.subscriptions, default=0) + 1
        account.subscriptions[subscription_id] = Subscription(
            id=subscription_id,
            lead_id=lead.id,
            product_id=product.id,
            price_point=point.id,
            status=SubscriptionStatus.ACTIVE,
            start_date=format_est(now),
            amount=point.amount,
            period=point.period or "monthly",
            period_2=point.period_2,
            installments_left=point.installments,
        )
    sale = Transaction(
        id=account.next_transaction_id(),
        lead_id=lead.id,
        lead_email=lead.email,
        product_id=product.id,
        price_point=point.id,
        type=TransactionType.SALE,
        amount=point.amount if point.amount else Decimal(0),
        date=format_est(now),
        subscription_id=subscription_id,
    )
    account.transactions[sale.id] = sale
