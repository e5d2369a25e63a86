"""Outbound calls as Kartra writes them: the webhook's JSON body and the IPN's flat form.

Webhook (documented): a raw-body POST of ``{"lead": {...}, "action": "...",
"action_details": {...}}``, the lead as ``get_lead`` shows it. IPN (documented names): a
form POST of flat ``transaction_*``, ``product_*``, ``lead_*`` and ``secret_key`` variables,
``N/A`` for every empty value.
"""

from __future__ import annotations

from dataclasses import dataclass

from kartra_mock.domain.commerce import Transaction, format_money, or_na
from kartra_mock.domain.leads import lead_profile
from kartra_mock.domain.model import Account
from kartra_mock.outbound.events import Event
from kartra_mock.protocol.outbound import IPN_VARIABLES

__all__ = ["Outgoing", "ipn_form", "webhook_body"]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One call to make: where, what it is, and the payload (JSON object or flat form)."""

    url: str
    kind: str  # "webhook" or "ipn"
    event: str
    api_key: str
    payload: dict[str, object]


def webhook_body(account: Account, event: Event, now: float) -> dict[str, object]:
    """The webhook's JSON object for ``event``; the lead's profile as it is at ``now``."""
    lead = account.leads.get(event.lead_id)
    profile: dict[str, object] = (
        lead_profile(account, lead, now) if lead is not None else {"id": str(event.lead_id)}
    )
    return {"lead": profile, "action": event.action, "action_details": dict(event.details)}


def ipn_form(account: Account, transaction: Transaction, secret_key: str) -> dict[str, object]:
    """The IPN variables of ``transaction``, every empty one as ``N/A`` (documented)."""
    lead = account.leads.get(transaction.lead_id)
    profile = lead.profile if lead is not None else {}
    product = account.products.get(transaction.product_id)
    subscription = (
        account.subscriptions.get(transaction.subscription_id)
        if transaction.subscription_id is not None
        else None
    )
    amount = format_money(transaction.amount)
    values: dict[str, object | None] = {
        "transaction_id": transaction.id,
        "transaction_full_amount": amount,
        "transaction_base_amount": amount,
        # The mock keeps no discount, shipping or tax per transaction (inferred: zero).
        "transaction_discount": "0.00",
        "transaction_shipping": "0.00",
        "transaction_tax": "0.00",
        "transaction_date": transaction.date,
        "transaction_type": transaction.type.value,
        "transaction_parent_id": transaction.parent_id,
        "transaction_affiliate": transaction.affiliate,
        "transaction_jv": transaction.jv,
        "transaction_subscription_id": subscription.processor_id if subscription else None,
        "transaction_internal_subscription_id": transaction.subscription_id,
        "transaction_subscription_pay_number": (
            subscription.current_installment if subscription else None
        ),
        "transaction_quantity": transaction.quantity,
        "transaction_last_4_card_digits": None,
        "original_id": transaction.parent_id,
        "product_name": product.name if product is not None else None,
        "product_id": transaction.product_id,
        "product_price_point": transaction.price_point,
        "lead_id": transaction.lead_id,
        "lead_first_name": profile.get("first_name"),
        "lead_last_name": profile.get("last_name"),
        "lead_email": transaction.lead_email,
        "lead_phone": profile.get("phone"),
        "lead_address": profile.get("address"),
        "lead_city": profile.get("city"),
        "lead_state": profile.get("state"),
        "lead_zip": profile.get("zip"),
        "lead_country": profile.get("country"),
        "secret_key": secret_key,
        "vendor_tracking_id_1": None,
        "vendor_tracking_id_2": None,
        "vendor_tracking_link": None,
        "gdpr_lead_status": "0",
        "gdpr_lead_communications": "0",
    }
    return {name: or_na(values.get(name)) for name in IPN_VARIABLES}
