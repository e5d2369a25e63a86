"""Products, transactions and subscriptions in the state document
(docs/control-plane.md#the-state-document, this mock's own).

Kartra's API cannot create these, so a test seeds them. Each record refers to others by id
(a transaction to its lead, product, price point, subscription and parent transaction), and
every reference must resolve within the account. Amounts are strings with at most two
decimals (``"19.95"``; JSON numbers are read too); dates are EST stamps
``YYYY-MM-DD HH:MM:SS``, as Kartra writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from decimal import Decimal
from enum import Enum
from functools import partial
from operator import attrgetter
from typing import Any, TypeVar, get_type_hints

from kartra_mock.domain.commerce import (
    INSTALLMENT_PERIODS,
    PERIODS,
    SECOND_PERIODS,
    PricePoint,
    PriceType,
    Product,
    Subscription,
    SubscriptionStatus,
    Transaction,
    TransactionType,
    format_money,
)
from kartra_mock.domain.est import NO_DATE
from kartra_mock.domain.model import Account
from kartra_mock.engine import state_checks as checks
from kartra_mock.engine.state_checks import StateError

__all__ = ["COMMERCE_KEYS", "dump_commerce", "load_commerce"]

COMMERCE_KEYS = frozenset({"products", "transactions", "subscriptions"})
_MISSING = object()
_Record = TypeVar("_Record", Product, Subscription, Transaction)


def _choice(value: object, where: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise checks.fail(where, f"{value!r} is not one of: {', '.join(allowed)}")
    return str(value)


def _price_point(value: object, where: str) -> PricePoint:
    raw = checks.read_object(
        value, where, frozenset({"id", "type", "amount", "period", "period_2", "installments"})
    )
    kind = PriceType(_choice(raw.get("type"), f"{where}.type", tuple(PriceType)))
    two_phase = kind is PriceType.RECURRING_INSTALLMENTS
    period, period_2, installments = "", "", None
    if kind is PriceType.ONE_TIME:
        extra = sorted({"period", "period_2", "installments"} & set(raw))
        if extra:
            raise checks.fail(f"{where}.{extra[0]}", "a one_time price point has no schedule")
    else:
        allowed = INSTALLMENT_PERIODS if two_phase else PERIODS
        period = _choice(raw.get("period"), f"{where}.period", allowed)
    if two_phase:
        period_2 = _choice(raw.get("period_2"), f"{where}.period_2", SECOND_PERIODS)
    elif "period_2" in raw:
        raise checks.fail(f"{where}.period_2", "only a recurring_installments price point has one")
    if kind in (PriceType.INSTALLMENTS, PriceType.RECURRING_INSTALLMENTS):
        installments = checks.read_int(raw.get("installments"), f"{where}.installments", minimum=1)
    elif "installments" in raw:
        raise checks.fail(
            f"{where}.installments", f"a {kind.value} price point has no installments"
        )
    return PricePoint(
        id=checks.read_int(raw.get("id"), f"{where}.id", minimum=1),
        type=kind,
        amount=checks.read_money(raw.get("amount"), f"{where}.amount"),
        period=period,
        period_2=period_2,
        installments=installments,
    )


def _product(value: object, where: str) -> Product:
    raw = checks.read_object(
        value, where, frozenset({"id", "name", "price_points", "refund_period_days"})
    )
    points = tuple(
        _price_point(item, f"{where}.price_points[{i}]")
        for i, item in enumerate(
            checks.read_list(raw.get("price_points", []), f"{where}.price_points")
        )
    )
    if len({p.id for p in points}) != len(points):
        raise checks.fail(f"{where}.price_points", "duplicate price point id")
    return Product(
        id=checks.read_int(raw.get("id"), f"{where}.id", minimum=1),
        name=checks.read_text(raw.get("name"), f"{where}.name", empty=False),
        price_points=points,
        refund_period_days=checks.read_int(
            raw.get("refund_period_days", 30), f"{where}.refund_period_days"
        ),
    )


def _plan(raw: Mapping[str, Any], where: str, account: Account) -> tuple[int, PricePoint]:
    """The product and price point a record names; both must exist."""
    product_id = checks.read_int(raw.get("product_id"), f"{where}.product_id", minimum=1)
    product = account.products.get(product_id)
    if product is None:
        raise checks.fail(f"{where}.product_id", f"no product {product_id} in the account")
    point_id = checks.read_int(raw.get("price_point"), f"{where}.price_point", minimum=1)
    point = product.price_point(point_id)
    if point is None:
        raise checks.fail(
            f"{where}.price_point", f"product {product_id} has no price point {point_id}"
        )
    return product_id, point


def _lead_id(raw: Mapping[str, Any], where: str, account: Account) -> int:
    lead_id = checks.read_int(raw.get("lead_id"), f"{where}.lead_id", minimum=1)
    if lead_id not in account.leads:
        raise checks.fail(f"{where}.lead_id", f"no lead {lead_id} in the account")
    return lead_id


def _date_or_none(value: object, where: str) -> str:
    return NO_DATE if value == NO_DATE else checks.read_stamp(value, where)


#: A subscription's keys in the state document: the names of its fields.
_SUBSCRIPTION_KEYS = frozenset(f.name for f in fields(Subscription))


def _subscription(value: object, where: str, account: Account) -> Subscription:
    raw = checks.read_object(value, where, _SUBSCRIPTION_KEYS)
    lead_id = _lead_id(raw, where, account)
    product_id, point = _plan(raw, where, account)
    if point.type is PriceType.ONE_TIME:
        raise checks.fail(f"{where}.price_point", "a subscription needs a recurring price point")
    two_phase = point.type is PriceType.RECURRING_INSTALLMENTS
    left = raw.get("installments_left", _MISSING)
    tax = checks.read_money(raw.get("tax_percent", "0"), f"{where}.tax_percent")
    if tax > 100:
        raise checks.fail(f"{where}.tax_percent", "must be between 0 and 100")
    return Subscription(
        id=checks.read_int(raw.get("id"), f"{where}.id", minimum=1),
        lead_id=lead_id,
        product_id=product_id,
        price_point=point.id,
        status=SubscriptionStatus(
            _choice(raw.get("status", "Active"), f"{where}.status", tuple(SubscriptionStatus))
        ),
        start_date=checks.read_stamp(raw.get("start_date"), f"{where}.start_date"),
        end_date=_date_or_none(raw.get("end_date", NO_DATE), f"{where}.end_date"),
        next_payment_date=_date_or_none(
            raw.get("next_payment_date", NO_DATE), f"{where}.next_payment_date"
        ),
        amount=checks.read_money(raw.get("amount", str(point.amount)), f"{where}.amount"),
        period=_choice(
            raw.get("period", point.period),
            f"{where}.period",
            INSTALLMENT_PERIODS if two_phase else PERIODS,
        ),
        period_2=(
            _choice(raw.get("period_2", point.period_2), f"{where}.period_2", SECOND_PERIODS)
            if two_phase
            else ""
        ),
        current_installment=checks.read_int(
            raw.get("current_installment", 1), f"{where}.current_installment", minimum=1
        ),
        installments_left=(
            point.installments
            if left is _MISSING
            else None
            if left is None
            else checks.read_int(left, f"{where}.installments_left")
        ),
        quantity=checks.read_int(raw.get("quantity", 1), f"{where}.quantity", minimum=1),
        tax_percent=tax,
        paypal=checks.read_flag(raw.get("paypal", False), f"{where}.paypal"),
        processor_id=checks.read_text(raw.get("processor_id", ""), f"{where}.processor_id"),
        affiliate=checks.read_text(raw.get("affiliate", ""), f"{where}.affiliate"),
        jv=checks.read_text(raw.get("jv", ""), f"{where}.jv"),
        cancellation_fails=checks.read_flag(
            raw.get("cancellation_fails", False), f"{where}.cancellation_fails"
        ),
    )


#: A transaction's keys in the state document: the names of its fields.
_TRANSACTION_KEYS = frozenset(f.name for f in fields(Transaction))


def _optional_id(raw: Mapping[str, Any], key: str, where: str) -> int | None:
    value = raw.get(key)
    return None if value is None else checks.read_int(value, f"{where}.{key}", minimum=1)


def _transaction(value: object, where: str, account: Account) -> Transaction:
    raw = checks.read_object(value, where, _TRANSACTION_KEYS)
    lead_id = _lead_id(raw, where, account)
    product_id, point = _plan(raw, where, account)
    subscription_id = _optional_id(raw, "subscription_id", where)
    if subscription_id is not None and subscription_id not in account.subscriptions:
        raise checks.fail(f"{where}.subscription_id", f"no subscription {subscription_id}")
    return Transaction(
        id=checks.read_int(raw.get("id"), f"{where}.id", minimum=1),
        lead_id=lead_id,
        lead_email=checks.read_text(
            raw.get("lead_email", account.leads[lead_id].email), f"{where}.lead_email"
        ),
        product_id=product_id,
        price_point=point.id,
        type=TransactionType(_choice(raw.get("type"), f"{where}.type", tuple(TransactionType))),
        amount=checks.read_money(raw.get("amount"), f"{where}.amount"),
        date=checks.read_stamp(raw.get("date"), f"{where}.date"),
        quantity=checks.read_int(raw.get("quantity", 1), f"{where}.quantity", minimum=1),
        subscription_id=subscription_id,
        parent_id=_optional_id(raw, "parent_id", where),
        test=checks.read_flag(raw.get("test", False), f"{where}.test"),
        affiliate=checks.read_text(raw.get("affiliate", ""), f"{where}.affiliate"),
        jv=checks.read_text(raw.get("jv", ""), f"{where}.jv"),
        refund_fails=checks.read_flag(raw.get("refund_fails", False), f"{where}.refund_fails"),
    )


def _by_id(
    raw: Mapping[str, Any], where: str, key: str, read: Callable[[object, str], _Record]
) -> dict[int, _Record]:
    """The records listed under ``key``, each read by ``read``, by id (an id appears once)."""
    place = f"{where}.{key}"
    records = [
        read(item, f"{place}[{i}]")
        for i, item in enumerate(checks.read_list(raw.get(key, []), place))
    ]
    by_id: dict[int, _Record] = {}
    for i, record in enumerate(records):
        if record.id in by_id:
            raise checks.fail(
                f"{place}[{i}].id", f"duplicate {key.removesuffix('s')} id {record.id}"
            )
        by_id[record.id] = record
    return by_id


def load_commerce(raw: Mapping[str, Any], where: str, account: Account) -> None:
    """Read an account's products, subscriptions and transactions (its leads are loaded)."""
    account.products = _by_id(raw, where, "products", _product)
    account.subscriptions = _by_id(
        raw, where, "subscriptions", partial(_subscription, account=account)
    )
    account.transactions = _by_id(
        raw, where, "transactions", partial(_transaction, account=account)
    )
    for i, transaction in enumerate(account.transactions.values()):
        if transaction.parent_id is not None and transaction.parent_id not in account.transactions:
            raise StateError(
                f"{where}.transactions[{i}].parent_id: no transaction {transaction.parent_id}"
            )


def _dump_price_point(point: PricePoint) -> dict[str, object]:
    item: dict[str, object] = {
        "id": point.id,
        "type": point.type.value,
        "amount": format_money(point.amount),
    }
    if point.type is not PriceType.ONE_TIME:
        item["period"] = point.period
    if point.type is PriceType.RECURRING_INSTALLMENTS:
        item["period_2"] = point.period_2
    if point.installments is not None:
        item["installments"] = point.installments
    return item


def _record_dumper(cls: type[_Record]) -> Callable[[_Record], dict[str, object]]:
    """Writes a ``cls`` record with every field under its name, in order: amounts as money
    strings, enums as their values (the field types say which)."""
    names = tuple(f.name for f in fields(cls))
    values = attrgetter(*names)
    hints = get_type_hints(cls)
    conversions: list[tuple[str, Callable[[Any], object]]] = []
    for name in names:
        hint = hints[name]
        if hint is Decimal:
            conversions.append((name, format_money))
        elif isinstance(hint, type) and issubclass(hint, Enum):
            conversions.append((name, attrgetter("value")))

    def dump(record: _Record) -> dict[str, object]:
        item: dict[str, object] = dict(zip(names, values(record), strict=True))
        for name, convert in conversions:
            item[name] = convert(item[name])
        return item

    return dump


_dump_transaction = _record_dumper(Transaction)
_dump_subscription_fields = _record_dumper(Subscription)


def _dump_subscription(s: Subscription) -> dict[str, object]:
    item = _dump_subscription_fields(s)
    if not s.period_2:  # only a recurring_installments plan has a second period
        del item["period_2"]
    return item


def dump_commerce(account: Account) -> dict[str, object]:
    """An account's products, transactions and subscriptions, as :func:`load_commerce` reads."""
    return {
        "products": [
            {
                "id": p.id,
                "name": p.name,
                "refund_period_days": p.refund_period_days,
                "price_points": [_dump_price_point(point) for point in p.price_points],
            }
            for p in account.products.values()
        ],
        "transactions": [_dump_transaction(t) for t in account.transactions.values()],
        "subscriptions": [_dump_subscription(s) for s in account.subscriptions.values()],
    }
