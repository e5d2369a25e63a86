"""Reading the commerce commands' answers into :mod:`.results_commerce`
(docs/behaviour.md#payments).

Each reader takes the action's entry — the inner object of ``actions[0]`` — after the core
has checked it succeeded, and raises :class:`~.shapes.ShapeError` when its shape is not
Kartra's. The ``where`` of each message names the command, so a protocol error says which
answer was wrong.
"""

from __future__ import annotations

from collections.abc import Mapping

from kartra_mock.client.results_commerce import (
    CancellationResult,
    LegacySubscription,
    RefundResult,
    SubscriptionDetails,
    SubscriptionSummary,
    TransactionDetails,
    TransactionRef,
)
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


def parse_transaction_details(entry: Mapping[str, object]) -> TransactionDetails:
    """get_transaction_details: the ``transaction_details`` object."""
    return record(TransactionDetails, entry.get("transaction_details"), "transaction_details")


def parse_transaction_list(entry: Mapping[str, object]) -> tuple[TransactionRef, ...]:
    """retrieve_transactions_from_lead: the ``transaction_list`` array."""
    return records(TransactionRef, entry.get("transaction_list"), "transaction_list")


def parse_refund(entry: Mapping[str, object]) -> RefundResult:
    """refund_transaction: ``transaction_refunded`` beside the entry's ``status``."""
    return record(RefundResult, entry, "refund_transaction")


def parse_subscription_details(entry: Mapping[str, object]) -> SubscriptionDetails:
    """get_subscription_details: the ``subscription_details`` object."""
    return record(SubscriptionDetails, entry.get("subscription_details"), "subscription_details")


def parse_subscriptions_list(entry: Mapping[str, object]) -> tuple[SubscriptionSummary, ...]:
    """retrieve_subscriptions_from_lead: the ``subscriptions_list`` array (plural ``s``)."""
    return records(SubscriptionSummary, entry.get("subscriptions_list"), "subscriptions_list")


def parse_legacy_subscriptions(entry: Mapping[str, object]) -> tuple[LegacySubscription, ...]:
    """get_subscriptions_from_lead (legacy): the ``subscription_list`` array (no ``s``)."""
    return records(LegacySubscription, entry.get("subscription_list"), "subscription_list")


def parse_cancellation(entry: Mapping[str, object]) -> CancellationResult:
    """cancel_transaction: the two subscription ids beside the entry's ``status``."""
    return record(CancellationResult, entry, "cancel_transaction")
