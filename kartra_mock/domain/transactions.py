"""Payment transactions: search, details, a lead's list, refund (docs/behaviour.md#payments).

Transactions are seeded through the state document; a refund adds a ``refund`` (whole
amount) or ``partial_refund`` transaction whose parent is the refunded one, and a transaction
is fully refunded once its refunds add up to its amount (inferred bookkeeping; the codes and
causes are documented).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from kartra_mock.domain.actions import ActionContext, Command, Entry, success
from kartra_mock.domain.commerce import (
    Transaction,
    TransactionType,
    format_money,
    or_na,
    parse_id,
    parse_money,
)
from kartra_mock.domain.est import format_est, parse_est
from kartra_mock.domain.model import Account
from kartra_mock.protocol import errors

__all__ = ["TRANSACTION_COMMANDS", "describe_transaction", "find_transaction", "refunded"]

_DAY = 86_400
_REFUNDS = (TransactionType.REFUND, TransactionType.PARTIAL_REFUND)


def find_transaction(ctx: ActionContext) -> Transaction:
    """The transaction ``transaction_id`` names: 247 when missing or unknown (documented)."""
    transaction_id = parse_id(ctx.text("transaction_id"))
    found = None if transaction_id is None else ctx.account.transactions.get(transaction_id)
    if found is None:
        raise errors.TransactionNotFound
    return found


def refunded(account: Account, transaction: Transaction) -> Decimal:
    """How much of a transaction its refunds have given back."""
    return sum(
        (
            t.amount
            for t in account.transactions.values()
            if t.parent_id == transaction.id and t.type in _REFUNDS
        ),
        Decimal(0),
    )


def describe_transaction(account: Account, transaction: Transaction) -> dict[str, object]:
    """``transaction_details`` (docs/behaviour.md#get_transaction_details): the documented fields,
    then inferred ones."""
    lead = account.leads.get(transaction.lead_id)
    profile = lead.profile if lead is not None else {}
    product = account.products.get(transaction.product_id)
    return {
        # Documented (the readable part of Kartra's table, in its order).
        "transaction_id": str(transaction.id),
        "lead_first_name": profile.get("first_name", ""),
        "lead_last_name": profile.get("last_name", ""),
        "lead_email": transaction.lead_email,
        "lead_id": str(transaction.lead_id),
        "lead_username": "",
        "lead_country": profile.get("country", ""),
        "lead_country_code_2": "",
        "lead_country_code_3": "",
        "lead_state": profile.get("state", ""),
        "lead_phone_country_code": profile.get("phone_country_code", ""),
        "lead_phone_number": profile.get("phone", ""),
        "lead_address": profile.get("address", ""),
        "lead_city": profile.get("city", ""),
        "lead_zip": profile.get("zip", ""),
        "product_name": product.name if product is not None else "",
        "product_id": str(transaction.product_id),
        "product_price_point": str(transaction.price_point),
        "transaction_full_amount": format_money(transaction.amount),
        "transaction_quantity": str(transaction.quantity),
        "transaction_affiliate": or_na(transaction.affiliate),
        # Inferred: past the readable part; named as Kartra's IPN names them
        # (docs/webhooks.md#ipn-documented-names).
        "transaction_type": transaction.type.value,
        "transaction_date": transaction.date,
        "transaction_parent_id": or_na(transaction.parent_id),
        "transaction_internal_subscription_id": or_na(transaction.subscription_id),
        "transaction_jv": or_na(transaction.jv),
    }


def _search(ctx: ActionContext) -> Entry:
    find_transaction(ctx)
    return success("Transaction exists")  # documented without a type


def _details(ctx: ActionContext) -> Entry:
    transaction = find_transaction(ctx)
    return {
        "status": "Success",
        "transaction_details": describe_transaction(ctx.account, transaction),
    }


def _from_lead(ctx: ActionContext) -> Entry:
    lead = ctx.the_lead()
    return {
        "status": "Success",
        "transaction_list": [
            {
                "transaction_id": str(t.id),
                "lead_id": str(t.lead_id),
                "lead_email": t.lead_email,
                "transaction_type": t.type.value,
            }
            for t in sorted(ctx.account.transactions.values(), key=lambda t: t.id)
            if t.lead_id == lead.id
        ],
    }


def _refund(ctx: ActionContext) -> Entry:
    """Checks: 247, 268 malformed amount, 253, 251, 250, 268 more than is left, 266."""
    account = ctx.account
    original = find_transaction(ctx)
    wanted: Decimal | None = None
    if ctx.given("refund_amount"):
        wanted = parse_money(ctx.text("refund_amount"))
        if wanted is None or wanted <= 0:
            raise errors.InvalidAmount
    # Only money received can go back; a test purchase or a free sale cannot (documented,
    # the free sale inferred).
    if not original.type.refundable or original.test or original.amount <= 0:
        raise errors.NotRefundable
    left = original.amount - refunded(account, original)
    if left <= 0:
        raise errors.AlreadyRefunded
    product = account.products.get(original.product_id)
    period = (product.refund_period_days if product is not None else 0) * _DAY
    sold = parse_est(original.date)
    if sold is None or ctx.now > sold + period:
        raise errors.OutsideRefundPeriod
    amount = left if wanted is None else wanted
    if amount > left:
        raise errors.InvalidAmount
    if original.refund_fails:
        raise errors.RefundFailed
    lead = account.leads.get(original.lead_id)
    refund = Transaction(
        id=account.next_transaction_id(),
        lead_id=original.lead_id,
        lead_email=lead.email if lead is not None else original.lead_email,
        product_id=original.product_id,
        price_point=original.price_point,
        type=TransactionType.REFUND
        if amount == original.amount
        else TransactionType.PARTIAL_REFUND,
        amount=amount,
        date=format_est(ctx.now),
        quantity=original.quantity,
        subscription_id=original.subscription_id,
        parent_id=original.id,
    )
    account.transactions[refund.id] = refund
    # Documented: only status and the new (refund) transaction's id.
    return {"status": "Success", "transaction_refunded": str(refund.id)}


_ID = frozenset({"transaction_id"})

TRANSACTION_COMMANDS: Mapping[str, Command] = {
    "search_transaction": Command(_search, False, _ID),
    "get_transaction_details": Command(_details, False, _ID),
    "retrieve_transactions_from_lead": Command(_from_lead, True, frozenset()),
    "refund_transaction": Command(_refund, False, _ID | {"refund_amount"}),
}
