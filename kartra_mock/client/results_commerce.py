"""Typed results of the commerce commands: transactions and recurring subscriptions.

Every field is named exactly as Kartra's key (docs/behaviour.md#payments), so Kartra's pages read
straight onto these classes. Values stay the strings Kartra sends — ids (``"9001"``), amounts
(``"49.00"``), EST dates (``"2024-05-25 10:00:00"``) and Kartra's ``"N/A"`` for "none" —
because the client does not guess at a number's precision or a date's zone. A key Kartra
leaves out reads as ``""``; ``raw`` has the object as received and takes no part in ``==``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "CancellationResult",
    "LegacySubscription",
    "RefundResult",
    "SubscriptionDetails",
    "SubscriptionSummary",
    "TransactionDetails",
    "TransactionRef",
]


@dataclass(frozen=True, slots=True)
class TransactionRef:
    """One entry of retrieve_transactions_from_lead's ``transaction_list``
    (docs/behaviour.md#retrieve_transactions_from_lead).

    ``lead_email`` is the lead's address when the transaction happened (documented);
    ``transaction_type`` is one of ``sale``, ``rebill``, ``refund``, ``partial_refund``,
    ``failed``, ``cancellation``, ``chargeback``.
    """

    transaction_id: str
    lead_id: str = ""
    lead_email: str = ""
    transaction_type: str = ""
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class TransactionDetails:
    """get_transaction_details' ``transaction_details`` (docs/behaviour.md#get_transaction_details).

    The fields up to ``transaction_affiliate`` are documented; Kartra's table is cut off
    there, and the rest are named as Kartra's IPN names them (inferred).
    """

    transaction_id: str
    lead_first_name: str = ""
    lead_last_name: str = ""
    lead_email: str = ""
    lead_id: str = ""
    lead_username: str = ""
    lead_country: str = ""
    lead_country_code_2: str = ""
    lead_country_code_3: str = ""
    lead_state: str = ""
    lead_phone_country_code: str = ""
    lead_phone_number: str = ""
    lead_address: str = ""
    lead_city: str = ""
    lead_zip: str = ""
    product_name: str = ""
    product_id: str = ""
    product_price_point: str = ""
    transaction_full_amount: str = ""
    transaction_quantity: str = ""
    transaction_affiliate: str = ""
    transaction_type: str = ""
    transaction_date: str = ""
    transaction_parent_id: str = ""
    transaction_internal_subscription_id: str = ""
    transaction_jv: str = ""
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class RefundResult:
    """refund_transaction's answer: ``transaction_refunded`` is the id of the *new* refund
    transaction, not the refunded one (documented: the example's ids differ)."""

    transaction_refunded: str
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class SubscriptionSummary:
    """One entry of retrieve_subscriptions_from_lead's ``subscriptions_list``
    (docs/behaviour.md#retrieve_subscriptions_from_lead).

    ``subscription_status`` is ``Active``, ``Paused``, ``Cancelled`` or ``Terminated``.
    """

    subscription_id: str
    lead_id: str = ""
    lead_email: str = ""
    subscription_status: str = ""
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class LegacySubscription:
    """One entry of the legacy get_subscriptions_from_lead's ``subscription_list``
    (docs/behaviour.md#get_subscriptions_from_lead).

    ``transaction_subscription_id`` is the payment processor's id (PayPal's ``I-…``), empty
    when the processor has none.
    """

    transaction_internal_subscription_id: str
    transaction_subscription_id: str = ""
    transaction_subscription_status: str = ""
    buyer_id: str = ""
    buyer_email: str = ""
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class SubscriptionDetails:
    """get_subscription_details' ``subscription_details``, every documented field
    (docs/behaviour.md#get_subscription_details).

    ``subscription_installments_left`` may be ``"Until cancelled"``, and
    ``subscription_next_scheduled_payment_amount`` ``"N/A"``; a date that has not happened
    is ``"0000-00-00 00:00:00"`` (all documented).
    """

    subscription_id: str
    subscription_product_id: str = ""
    subscription_price_point: str = ""
    subscription_lead_id: str = ""
    subscription_start_date: str = ""
    subscription_end_date: str = ""
    subscription_current_installment: str = ""
    subscription_installments_left: str = ""
    subscription_recurring_period: str = ""
    subscription_status: str = ""
    subscription_next_payment_date: str = ""
    subscription_next_scheduled_payment_amount: str = ""
    subscription_affiliate: str = ""
    subscription_jv: str = ""
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class CancellationResult:
    """cancel_transaction's answer (docs/behaviour.md#cancel_transaction, documented).

    ``transaction_internal_subscription_id`` is Kartra's id of the cancelled subscription;
    ``transaction_subscription_id`` the processor's (PayPal's ``I-…``), empty if none.
    """

    transaction_internal_subscription_id: str
    transaction_subscription_id: str = ""
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)
