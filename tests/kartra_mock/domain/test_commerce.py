"""Amounts, ids and the commerce records' rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kartra_mock.domain.commerce import (
    PricePoint,
    PriceType,
    Product,
    SubscriptionStatus,
    TransactionType,
    format_money,
    or_na,
    parse_id,
    parse_money,
)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("19.95", "19.95"), ("20", "20.00"), ("0.5", "0.50"), ("007", "7.00")],
)
def test_amounts_read(text: str, amount: str) -> None:
    parsed = parse_money(text)
    assert parsed is not None
    assert format_money(parsed) == amount


@pytest.mark.parametrize("text", ["", "-1", "1.005", "1e3", "1,00", " 1", "١٢", "1234567890"])
def test_what_is_not_an_amount(text: str) -> None:
    assert parse_money(text) is None


@pytest.mark.parametrize(("text", "value"), [("48110", 48110), ("0", 0), ("", None)])
def test_ids(text: str, value: int | None) -> None:
    assert parse_id(text) == value


@pytest.mark.parametrize("text", ["-1", "1.0", "١", "9" * 19, " 1"])
def test_what_is_not_an_id(text: str) -> None:
    assert parse_id(text) is None


def test_na() -> None:
    assert [or_na(None), or_na(""), or_na(5), or_na("jv")] == ["N/A", "N/A", "5", "jv"]


def test_only_sales_and_rebills_are_refundable() -> None:
    assert {t for t in TransactionType if t.refundable} == {
        TransactionType.SALE,
        TransactionType.REBILL,
    }


def test_ended_statuses() -> None:
    assert {s for s in SubscriptionStatus if s.ended} == {
        SubscriptionStatus.CANCELLED,
        SubscriptionStatus.TERMINATED,
    }


def test_a_product_finds_its_price_points() -> None:
    point = PricePoint(2, PriceType.RECURRING, Decimal("9.00"), "monthly")
    product = Product(1, "P", (point,))
    assert product.price_point(2) is point
    assert product.price_point(3) is None
