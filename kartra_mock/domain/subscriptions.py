"""Recurring payment subscriptions: search, details, a lead's list, cancel, pause/unpause.

docs/behaviour.md#payments ``cancel_transaction`` names the subscription through one of its
transactions or by its internal id; ``modify_subscription_status`` cancels, pauses or
unpauses it. A cancellation ends the subscription now (its end date is the call's moment, no
payment is scheduled any more) and adds a ``cancellation`` transaction, as Kartra's IPN and
transaction types record one (inferred bookkeeping). ``edit_subscription`` lives in
``subscription_edit.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from kartra_mock.domain.actions import ActionContext, Command, Entry, success
from kartra_mock.domain.commerce import (
    Subscription,
    SubscriptionStatus,
    Transaction,
    TransactionType,
    format_money,
    or_na,
    parse_id,
)
from kartra_mock.domain.est import NO_DATE, format_est
from kartra_mock.domain.model import Account
from kartra_mock.domain.transactions import find_transaction
from kartra_mock.protocol import errors

__all__ = ["SUBSCRIPTION_COMMANDS", "describe_subscription", "find_subscription"]

_MODIFIED = ("Subscription modified", "115")


def find_subscription(ctx: ActionContext, key: str = "subscription_id") -> Subscription:
    """The subscription a parameter names: 248 when missing or unknown (documented)."""
    subscription_id = parse_id(ctx.text(key))
    found = None if subscription_id is None else ctx.account.subscriptions.get(subscription_id)
    if found is None:
        raise errors.SubscriptionNotFound
    return found


def describe_subscription(subscription: Subscription) -> dict[str, object]:
    """``subscription_details``: every field of docs/behaviour.md#get_subscription_details, in its
    order (documented)."""
    active = subscription.status is SubscriptionStatus.ACTIVE
    left = subscription.installments_left
    return {
        "subscription_id": str(subscription.id),
        "subscription_product_id": str(subscription.product_id),
        "subscription_price_point": str(subscription.price_point),
        "subscription_lead_id": str(subscription.lead_id),
        "subscription_start_date": subscription.start_date,
        "subscription_end_date": subscription.end_date,
        "subscription_current_installment": str(subscription.current_installment),
        "subscription_installments_left": "Until cancelled" if left is None else str(left),
        "subscription_recurring_period": subscription.period,
        "subscription_status": subscription.status.value,
        "subscription_next_payment_date": subscription.next_payment_date,
        # A paused or ended subscription schedules no payment (inferred reading of "N/A").
        "subscription_next_scheduled_payment_amount": (
            format_money(subscription.amount) if active else "N/A"
        ),
        "subscription_affiliate": or_na(subscription.affiliate),
        "subscription_jv": or_na(subscription.jv),
    }


def _cancel(account: Account, subscription: Subscription, now: float) -> None:
    """End a subscription now and record the cancellation (cannot fail)."""
    sale = min(
        (t.id for t in account.transactions.values() if t.subscription_id == subscription.id),
        default=None,
    )
    lead = account.leads.get(subscription.lead_id)
    record = Transaction(
        id=account.next_transaction_id(),
        lead_id=subscription.lead_id,
        lead_email=lead.email if lead is not None else "",
        product_id=subscription.product_id,
        price_point=subscription.price_point,
        type=TransactionType.CANCELLATION,
        amount=Decimal(0),
        date=format_est(now),
        quantity=subscription.quantity,
        subscription_id=subscription.id,
        parent_id=sale,
    )
    account.transactions[record.id] = record
    account.subscriptions[subscription.id] = replace(
        subscription,
        status=SubscriptionStatus.CANCELLED,
        end_date=format_est(now),
        next_payment_date=NO_DATE,
    )


def _search(ctx: ActionContext) -> Entry:
    find_subscription(ctx)
    # Placeholder by analogy with search_transaction: the page was not readable
    # (docs/behaviour.md#search_subscription).
    return success("Subscription exists")


def _details(ctx: ActionContext) -> Entry:
    subscription = find_subscription(ctx)
    return {"status": "Success", "subscription_details": describe_subscription(subscription)}


def _of_lead(ctx: ActionContext) -> list[Subscription]:
    lead_id = ctx.the_lead().id
    ordered = sorted(ctx.account.subscriptions.values(), key=lambda s: s.id)
    return [s for s in ordered if s.lead_id == lead_id]


def _from_lead(ctx: ActionContext) -> Entry:
    email = ctx.the_lead().email
    return {
        "status": "Success",
        "subscriptions_list": [
            {
                "subscription_id": str(s.id),
                "lead_id": str(s.lead_id),
                "lead_email": email,
                "subscription_status": s.status.value,
            }
            for s in _of_lead(ctx)
        ],
    }


def _legacy_from_lead(ctx: ActionContext) -> Entry:
    """get_subscriptions_from_lead: Kartra's 2021 page (documented then, superseded since)."""
    email = ctx.the_lead().email
    return {
        "status": "Success",
        "subscription_list": [
            {
                "transaction_subscription_id": s.processor_id,
                "transaction_internal_subscription_id": str(s.id),
                "transaction_subscription_status": s.status.value,
                "buyer_id": str(s.lead_id),
                "buyer_email": email,
            }
            for s in _of_lead(ctx)
        ],
    }


def _cancel_transaction(ctx: ActionContext) -> Entry:
    """Checks: 247/248 naming, 253, 249, 252, 253 terminated, 267 (order inferred)."""
    if ctx.given("transaction_id"):
        # An unknown transaction is 247, the catalogue's code for it (inferred: the page lists
        # no code for that case, and 249 would say the transaction exists).
        transaction = find_transaction(ctx)
        if not transaction.type.refundable or transaction.test:
            raise errors.NotRefundable
        linked = transaction.subscription_id
        subscription = None if linked is None else ctx.account.subscriptions.get(linked)
        if subscription is None:
            raise errors.TransactionNotLinked
    else:
        # Neither identifier names no subscription: 248 (inferred).
        subscription = find_subscription(ctx, "transaction_internal_subscription_id")
    if subscription.status is SubscriptionStatus.CANCELLED:
        raise errors.SubscriptionAlreadyCancelled
    if subscription.status is SubscriptionStatus.TERMINATED:
        # Fully paid: nothing left to cancel (inferred: "cannot be … cancelled").
        raise errors.NotRefundable
    if subscription.cancellation_fails:
        raise errors.CancellationFailed
    _cancel(ctx.account, subscription, ctx.now)
    return {
        "status": "Success",
        "transaction_subscription_id": subscription.processor_id,
        "transaction_internal_subscription_id": str(subscription.id),
    }


def _modify_status(ctx: ActionContext) -> Entry:
    """Checks: 248, 274, 252/275 ended, 284 PayPal (pause/unpause only), 267 (order inferred)."""
    subscription = find_subscription(ctx)
    modification = ctx.text("subscription_status_modification")
    if modification not in ("cancel", "pause", "unpause"):
        raise errors.WrongStatus
    if subscription.status.ended:
        if modification == "cancel" and subscription.status is SubscriptionStatus.CANCELLED:
            raise errors.SubscriptionAlreadyCancelled
        raise errors.SubscriptionNotUpdatable
    if modification == "cancel":
        if subscription.cancellation_fails:
            raise errors.CancellationFailed
        _cancel(ctx.account, subscription, ctx.now)
        return success(*_MODIFIED)
    # PayPal subscriptions can only be cancelled (documented).
    if subscription.paypal:
        raise errors.PaypalNotModifiable
    status = SubscriptionStatus.PAUSED if modification == "pause" else SubscriptionStatus.ACTIVE
    # Pausing a paused subscription (or unpausing an active one) changes nothing and succeeds.
    ctx.account.subscriptions[subscription.id] = replace(subscription, status=status)
    return success(*_MODIFIED)


_ID = frozenset({"subscription_id"})

SUBSCRIPTION_COMMANDS: Mapping[str, Command] = {
    "search_subscription": Command(_search, False, _ID),
    "get_subscription_details": Command(_details, False, _ID),
    "retrieve_subscriptions_from_lead": Command(_from_lead, True, frozenset()),
    "get_subscriptions_from_lead": Command(_legacy_from_lead, True, frozenset()),
    "cancel_transaction": Command(
        _cancel_transaction,
        False,
        frozenset({"transaction_id", "transaction_internal_subscription_id"}),
    ),
    "modify_subscription_status": Command(
        _modify_status, False, _ID | {"subscription_status_modification"}
    ),
}
