"""edit_subscription: change a running subscription's plan, date, amount, schedule, quantity,
installments or tax (docs/behaviour.md#edit_subscription).

The parameters and most codes are documented; 260/261/268/276–283/285/290 come from a
secondary source (observed), and which parameter provokes which code is our reading of their
messages (inferred). Checks run in this order, every one before anything changes: 248, 284
PayPal, 275 cancelled/terminated, 285 nothing to edit, then each parameter in the documented
order. An empty value counts as not sent (PHP's ``!empty()``, inferred).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from kartra_mock.domain.actions import ActionContext, Command, Entry, success
from kartra_mock.domain.commerce import (
    INSTALLMENT_PERIODS,
    PERIODS,
    SECOND_PERIODS,
    PricePoint,
    PriceType,
    Subscription,
    parse_id,
    parse_money,
)
from kartra_mock.domain.est import format_est, parse_est
from kartra_mock.domain.subscriptions import find_subscription
from kartra_mock.protocol import errors

__all__ = ["EDIT_SUBSCRIPTION_COMMANDS"]

_PRODUCT = "subscription_product_id"
_PRICE_POINT = "subscription_price_point"
_DATE = "subscription_next_payment_date"
_AMOUNT = "subscription_amount"
_RECURRENCE = "subscription_recurrence"
_QUANTITY = "subscription_product_quantity"
_INSTALLMENTS = "subscription_installments_left"
_TAX = "subscription_tax_percent"
_EDITABLE = (_PRODUCT, _PRICE_POINT, _DATE, _AMOUNT, _RECURRENCE, _QUANTITY, _INSTALLMENTS, _TAX)

_INTEGER = re.compile(r"-?[0-9]{1,9}")
_DECIMAL = re.compile(r"-?[0-9]{1,9}(\.[0-9]{1,2})?")
_PRICES = (Decimal("1.00"), Decimal("9999.99"))
_QUANTITIES = (Decimal(1), Decimal(9999))
_TAX_PERCENTS = (Decimal(0), Decimal(100))


def _number(text: str, pattern: re.Pattern[str]) -> Decimal | None:
    """``text`` as a number if it matches ``pattern`` in full."""
    return Decimal(text) if pattern.fullmatch(text) is not None else None


def _in_range(
    value: Decimal | None,
    invalid: type[errors.KartraError],
    bounds: tuple[Decimal, Decimal],
    out_of_range: type[errors.KartraError],
) -> Decimal:
    """``value`` if it is a number within ``bounds``; else ``invalid`` or ``out_of_range``."""
    if value is None:
        raise invalid
    if not bounds[0] <= value <= bounds[1]:
        raise out_of_range
    return value


def _current_price_point(ctx: ActionContext, subscription: Subscription) -> PricePoint | None:
    product = ctx.account.products.get(subscription.product_id)
    return None if product is None else product.price_point(subscription.price_point)


def _plan(ctx: ActionContext, subscription: Subscription) -> tuple[Subscription, PricePoint]:
    """283: both ids are needed, and must name a recurring price point of that product."""
    product_id = parse_id(ctx.text(_PRODUCT))
    point_id = parse_id(ctx.text(_PRICE_POINT))
    product = None if product_id is None else ctx.account.products.get(product_id)
    point = None if product is None or point_id is None else product.price_point(point_id)
    if product_id is None or point is None or point.type is PriceType.ONE_TIME:
        raise errors.WrongProductOrPricePoint
    # The new plan brings its own amount and schedule unless the call also sets them.
    changed = replace(
        subscription,
        product_id=product_id,
        price_point=point.id,
        amount=point.amount,
        period=point.period,
        period_2=point.period_2,
        installments_left=point.installments,
    )
    return changed, point


def _recurrence(
    ctx: ActionContext, point: PricePoint | None, subscription: Subscription
) -> Subscription:
    """280 for a missing or unknown period; 281 for a second period the plan does not have."""
    raw = ctx.params[_RECURRENCE]
    if not isinstance(raw, dict) or not ({"recurring_period_1", "recurring_period_2"} & set(raw)):
        raise errors.InvalidRecurringPeriod
    two_phase = point is not None and point.type is PriceType.RECURRING_INSTALLMENTS
    if "recurring_period_2" in raw and not two_phase:
        raise errors.RecurrenceNotChangeable
    if "recurring_period_1" in raw:
        first = raw["recurring_period_1"]
        allowed = INSTALLMENT_PERIODS if two_phase else PERIODS
        if not isinstance(first, str) or first not in allowed:
            raise errors.InvalidRecurringPeriod
        subscription = replace(subscription, period=first)
    if "recurring_period_2" in raw:
        second = raw["recurring_period_2"]
        if not isinstance(second, str) or second not in SECOND_PERIODS:
            raise errors.InvalidRecurringPeriod
        subscription = replace(subscription, period_2=second)
    return subscription


def _installments(raw: str, point: PricePoint | None) -> int | None:
    """282: a count from 1 to 9,999, or ``until cancelled`` for a plain recurring plan."""
    if raw.strip().lower() == "until cancelled":
        if point is None or point.type is not PriceType.RECURRING:
            raise errors.IncorrectInstallments
        return None
    if _INTEGER.fullmatch(raw) is None or not 1 <= int(raw) <= 9999:
        raise errors.IncorrectInstallments
    return int(raw)


def _edit(ctx: ActionContext) -> Entry:
    subscription = find_subscription(ctx)
    if subscription.paypal:
        raise errors.PaypalNotModifiable
    if subscription.status.ended:
        raise errors.SubscriptionNotUpdatable
    if not any(ctx.given(key) for key in _EDITABLE):
        raise errors.NoEditableParameters
    edited = subscription
    point = _current_price_point(ctx, subscription)
    if ctx.given(_PRODUCT) or ctx.given(_PRICE_POINT):
        edited, point = _plan(ctx, edited)
    if ctx.given(_DATE):
        moment = parse_est(ctx.text(_DATE), seconds_optional=True)
        if moment is None:
            raise errors.InvalidDateFormat
        if moment < ctx.now:
            raise errors.DateInPast
        edited = replace(edited, next_payment_date=format_est(moment))
    if ctx.given(_AMOUNT):
        amount = parse_money(ctx.text(_AMOUNT))
        amount = _in_range(amount, errors.InvalidAmount, _PRICES, errors.PriceOutOfRange)
        edited = replace(edited, amount=amount)
    if ctx.given(_RECURRENCE):
        edited = _recurrence(ctx, point, edited)
    if ctx.given(_QUANTITY):
        quantity = _number(ctx.text(_QUANTITY), _INTEGER)
        quantity = _in_range(quantity, errors.InvalidNumber, _QUANTITIES, errors.QuantityOutOfRange)
        edited = replace(edited, quantity=int(quantity))
    if ctx.given(_INSTALLMENTS):
        edited = replace(edited, installments_left=_installments(ctx.text(_INSTALLMENTS), point))
    if ctx.given(_TAX):
        tax = _number(ctx.text(_TAX), _DECIMAL)
        tax = _in_range(tax, errors.InvalidNumber, _TAX_PERCENTS, errors.TaxOutOfRange)
        edited = replace(edited, tax_percent=tax)
    # Every check passed: only now does the account change.
    ctx.account.subscriptions[subscription.id] = edited
    return success("Subscription modified", "115")


EDIT_SUBSCRIPTION_COMMANDS: Mapping[str, Command] = {
    "edit_subscription": Command(_edit, False, frozenset({"subscription_id", *_EDITABLE})),
}
