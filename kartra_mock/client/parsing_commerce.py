"""Reading the commerce commands' answers into :mod:`.results_commerce`
(docs/behaviour.md#payments).

Each reader takes the action's entry — the inner object of ``actions[0]`` — after the core
has checked it succeeded, and raises :class:`~.shapes.ShapeError` when its shape is not
Kartra's. The ``where`` of each message names the command, so a protocol error says which
answer was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping

from kartra_mock.client import results_commerce as commerce
from kartra_mock.client.shapes import record, records

__all__ = [
    "parse_cancellation",
    "parse_legacy_subscriptions",
    "parse_refund",
    "parse_subscription_details",
    "parse_subscriptions_list",
    "parse_transaction_details",
    "parse_transaction_list",
]


def parse_transaction_details(entry: Mapping[str, object]) -> commerce.TransactionDetails:
    """get_transaction_details: the ``transaction_details`` object."""
    return record(
        commerce.TransactionDetails, entry.get("transaction_details"), "transaction_details"
    )


def parse_transaction_list(entry: Mapping[str, object]) -> tuple[commerce.TransactionRef, ...]:
    """retrieve_transactions_from_lead: the ``transaction_list`` array."""
    return records(commerce.TransactionRef, entry.get("transaction_list"), "transaction_list")


def parse_refund(entry: Mapping[str, object]) -> commerce.RefundResult:
    """refund_transaction: ``transaction_refunded`` beside the entry's ``status``."""
    return record(commerce.RefundResult, entry, "refund_transaction")


def parse_subscription_details(entry: Mapping[str, object]) -> commerce.SubscriptionDetails:
    """get_subscription_details: the ``subscription_details`` object."""
    return record(
        commerce.SubscriptionDetails, entry.get("subscription_details"), "subscription_details"
    )


def parse_subscriptions_list(
    entry: Mapping[str, object],
) -> tuple[commerce.SubscriptionSummary, ...]:
    """retrieve_subscriptions_from_lead: the ``subscriptions_list`` array (plural ``s``)."""
    return records(
        commerce.SubscriptionSummary, entry.get("subscriptions_list"), "subscriptions_list"
    )


def parse_legacy_subscriptions(
    entry: Mapping[str, object],
) -> tuple[commerce.LegacySubscription, ...]:
    """get_subscriptions_from_lead (legacy): the ``subscription_list`` array (no ``s``)."""
    return records(commerce.LegacySubscription, entry.get("subscription_list"), "subscription_list")


def parse_cancellation(entry: Mapping[str, object]) -> commerce.CancellationResult:
    """cancel_transaction: the two subscription ids beside the entry's ``status``."""
    return record(commerce.CancellationResult, entry, "cancel_transaction")
