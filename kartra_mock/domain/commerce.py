"""What an account sells and what its leads paid: products, transactions, subscriptions.

Kartra's API only reads and changes these (docs/behaviour.md#payments); nothing in it sells. They
are seeded through the state document (docs/control-plane.md#the-state-document) and kept as frozen
records, replaced whole when a command changes one, so a command can compute every change before
storing any of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kartra_mock.protocol.numbers import parse_whole

__all__ = [
    "INSTALLMENT_PERIODS",
    "PERIODS",
    "SECOND_PERIODS",
    "PricePoint",
    "PriceType",
    "Product",
    "Subscription",
    "SubscriptionStatus",
    "Transaction",
    "TransactionType",
    "format_money",
    "or_na",
    "parse_id",
    "parse_money",
]

#: Recurring periods of "Recurring" and "Installments" price points
#: (docs/behaviour.md#edit_subscription, documented).
PERIODS: tuple[str, ...] = (
    "monthly",
    "every 2 months",
    "quarterly",
    "yearly",
    "every 2 years",
    "weekly",
    "every 2 weeks",
)
#: The first period of a "Recurring installments" price point (documented).
INSTALLMENT_PERIODS: tuple[str, ...] = ("monthly", "every 2 months", "weekly", "every 2 weeks")
#: The second period of a "Recurring installments" price point (documented).
SECOND_PERIODS: tuple[str, ...] = ("yearly", "every 2 years")

_MONEY = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")


class PriceType(StrEnum):
    """How a price point charges: once, or on a schedule (docs/behaviour.md#edit_subscription,
    documented)."""

    ONE_TIME = "one_time"
    RECURRING = "recurring"
    INSTALLMENTS = "installments"
    RECURRING_INSTALLMENTS = "recurring_installments"


class TransactionType(StrEnum):
    """The documented ``transaction_type`` values
    (docs/behaviour.md#retrieve_transactions_from_lead)."""

    SALE = "sale"
    REBILL = "rebill"
    REFUND = "refund"
    PARTIAL_REFUND = "partial_refund"
    FAILED = "failed"
    CANCELLATION = "cancellation"
    CHARGEBACK = "chargeback"

    @property
    def refundable(self) -> bool:
        """Only money received can be refunded or its subscription cancelled (253 otherwise)."""
        return self in (TransactionType.SALE, TransactionType.REBILL)


class SubscriptionStatus(StrEnum):
    """The documented ``subscription_status`` values
    (docs/behaviour.md#get_subscription_details)."""

    ACTIVE = "Active"
    PAUSED = "Paused"
    CANCELLED = "Cancelled"
    TERMINATED = "Terminated"

    @property
    def ended(self) -> bool:
        """Cancelled or terminated subscriptions cannot be changed any more (275)."""
        return self in (SubscriptionStatus.CANCELLED, SubscriptionStatus.TERMINATED)


@dataclass(frozen=True, slots=True)
class PricePoint:
    """One way a product is sold: its type, amount and (when recurring) schedule."""

    id: int
    type: PriceType
    amount: Decimal
    period: str = ""
    #: The second period of a "recurring installments" price point.
    period_2: str = ""
    #: Number of payments of an installments plan; ``None``: until cancelled.
    installments: int | None = None


@dataclass(frozen=True, slots=True)
class Product:
    """A product of the account and how long its sales may be refunded."""

    id: int
    name: str
    price_points: tuple[PricePoint, ...]
    refund_period_days: int = 30

    def price_point(self, price_point_id: int) -> PricePoint | None:
        """The price point with this id, if the product has it."""
        return next((p for p in self.price_points if p.id == price_point_id), None)


@dataclass(frozen=True, slots=True)
class Transaction:
    """One payment event of one lead (a sale, a rebill, a refund, …); the fields are in the order
    the state document writes them."""

    id: int
    lead_id: int
    #: The lead's address when the transaction happened
    #: (docs/behaviour.md#retrieve_transactions_from_lead, documented).
    lead_email: str
    product_id: int
    price_point: int
    type: TransactionType
    amount: Decimal
    date: str
    quantity: int = 1
    subscription_id: int | None = None
    parent_id: int | None = None
    #: A test-mode purchase: Kartra refuses to refund or cancel it (253, documented).
    test: bool = False
    affiliate: str = ""
    jv: str = ""
    #: Mock knob: the payment processor refuses the refund (266, the only way to provoke it).
    refund_fails: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Subscription:
    """A recurring payment plan of one lead (docs/behaviour.md#get_subscription_details names every
    field); the fields are in the order the state document writes them."""

    id: int
    lead_id: int
    product_id: int
    price_point: int
    status: SubscriptionStatus
    start_date: str
    end_date: str = "0000-00-00 00:00:00"
    next_payment_date: str = "0000-00-00 00:00:00"
    amount: Decimal
    period: str
    period_2: str = ""
    current_installment: int = 1
    #: ``None``: until cancelled.
    installments_left: int | None = None
    quantity: int = 1
    tax_percent: Decimal = Decimal(0)
    #: PayPal subscriptions can only be cancelled (284, documented).
    paypal: bool = False
    #: The processor's own id (PayPal's ``I-…``), sent back by cancel_transaction.
    processor_id: str = ""
    affiliate: str = ""
    jv: str = ""
    #: Mock knob: the processor refuses the cancellation (267, the only way to provoke it).
    cancellation_fails: bool = False


def parse_money(text: str) -> Decimal | None:
    """An amount as Kartra's forms take it (``19.95``, ``20``), or ``None`` if it is not one."""
    if _MONEY.fullmatch(text) is None:
        return None
    return Decimal(text).quantize(Decimal("0.01"))


def format_money(amount: Decimal) -> str:
    """An amount as the API writes it: two decimals, as a string (docs/behaviour.md#numbers)."""
    return str(amount.quantize(Decimal("0.01")))


def parse_id(text: str) -> int | None:
    """A record id as sent on the wire (``"48110"``), or ``None`` if it cannot be one."""
    return parse_whole(text)


def or_na(value: object | None) -> str:
    """A value as Kartra writes it, ``N/A`` when there is none (IPN convention,
    docs/webhooks.md#ipn-documented-names)."""
    return "N/A" if value is None or value == "" else str(value)
