"""Payment transactions round-trip through the mock (docs/behaviour.md#payments).

The "shop" world's sales (tests/kartra_mock/server/worlds.py), with the clock at 2024-06-01
12:00:00 EST: 9001 Ada's refundable 49.00 sale; 9002 past its refund period; 9003 the sale of
subscription 501; 9004 refunded in full by 9005; 9006 a test purchase; 9007 one the processor
refuses to refund; 9008–9011 Bob's subscription sales.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from kartra_mock import errors
from kartra_mock.client import ActionResult, RefundResult, TransactionDetails, TransactionRef
from tests.kartra_mock.client import AnyClient, Connector, settle

pytestmark = pytest.mark.anyio

SALE_9001 = TransactionDetails(
    transaction_id="9001",
    lead_first_name="Ada",
    lead_last_name="Lovelace",
    lead_email="ada@example.com",
    lead_id="1",
    lead_country="United Kingdom",
    lead_phone_number="5550100",
    lead_city="London",
    product_name="Course",
    product_id="11",
    product_price_point="1",
    transaction_full_amount="49.00",
    transaction_quantity="1",
    transaction_affiliate="aff1",
    transaction_type="sale",
    transaction_date="2024-05-25 10:00:00",
    transaction_parent_id="N/A",
    transaction_internal_subscription_id="N/A",
    transaction_jv="N/A",
)


async def test_search_and_details(kartra: Connector) -> None:
    client = kartra.client("shop")
    assert await settle(client.search_transaction(9001)) == ActionResult(
        "search_transaction", "Success", "Transaction exists", ""
    )
    details = await settle(client.get_transaction_details("9001"))
    assert details == SALE_9001
    assert details.raw["lead_zip"] == ""


async def test_retrieve_transactions_from_lead(kartra: Connector) -> None:
    bobs = await settle(
        kartra.client("shop").retrieve_transactions_from_lead(email="bob@example.com")
    )
    assert bobs == tuple(
        TransactionRef(str(number), "2", "bob@example.com", "sale") for number in range(9008, 9012)
    )


async def test_refund_in_parts_then_refused(kartra: Connector) -> None:
    client = kartra.client("shop")
    first = await settle(client.refund_transaction(9001, Decimal("10.00")))
    assert first == RefundResult("9012")
    refund = await settle(client.get_transaction_details(first.transaction_refunded))
    assert (
        refund.transaction_type,
        refund.transaction_full_amount,
        refund.transaction_parent_id,
        refund.transaction_date,
    ) == ("partial_refund", "10.00", "9001", "2024-06-01 12:00:00")
    rest = await settle(client.refund_transaction("9001"))  # no amount: all that is left
    assert (
        await settle(client.get_transaction_details(rest.transaction_refunded))
    ).transaction_full_amount == "39.00"
    with pytest.raises(errors.AlreadyRefunded):
        await settle(client.refund_transaction(9001, 1))
    adas = await settle(client.retrieve_transactions_from_lead(id=1))
    assert [(t.transaction_id, t.transaction_type) for t in adas[-2:]] == [
        ("9012", "partial_refund"),
        ("9013", "partial_refund"),
    ]


@pytest.mark.parametrize(
    ("send", "error"),
    [
        pytest.param(lambda c: c.search_transaction(1), errors.TransactionNotFound, id="search"),
        pytest.param(
            lambda c: c.get_transaction_details("x"), errors.TransactionNotFound, id="details"
        ),
        pytest.param(
            lambda c: c.retrieve_transactions_from_lead(email="ghost@example.com"),
            errors.LeadNotFound,
            id="lead-unknown",
        ),
        pytest.param(
            lambda c: c.refund_transaction(4), errors.TransactionNotFound, id="refund-unknown"
        ),
        pytest.param(
            lambda c: c.refund_transaction(9002), errors.OutsideRefundPeriod, id="too-late"
        ),
        pytest.param(lambda c: c.refund_transaction(9004), errors.AlreadyRefunded, id="refunded"),
        pytest.param(lambda c: c.refund_transaction(9005), errors.NotRefundable, id="a-refund"),
        pytest.param(lambda c: c.refund_transaction(9006), errors.NotRefundable, id="test-sale"),
        pytest.param(lambda c: c.refund_transaction(9007), errors.RefundFailed, id="processor"),
        pytest.param(
            lambda c: c.refund_transaction(9001, "ten"), errors.InvalidAmount, id="not-an-amount"
        ),
        pytest.param(
            lambda c: c.refund_transaction(9001, 49.01), errors.InvalidAmount, id="more-than-paid"
        ),
    ],
)
async def test_a_refused_transaction_call_raises_its_catalogue_class(
    kartra: Connector, send: Callable[[AnyClient], Any], error: type[errors.KartraError]
) -> None:
    client = kartra.client("shop")
    with pytest.raises(error):
        await settle(send(client))
    assert len(await settle(client.retrieve_transactions_from_lead(id=1))) == 7  # no refund


async def test_transactions_in_a_chain(kartra: Connector) -> None:
    client = kartra.client("shop")
    result = await settle(
        client.chain(email="ada@example.com")
        .search_transaction(9001)
        .get_transaction_details(404)
        .retrieve_transactions_from_lead()
        .send()
    )
    assert [(a.cmd, a.ok, a.type_code) for a in result.actions] == [
        ("search_transaction", True, ""),
        ("get_transaction_details", False, "247"),
        ("retrieve_transactions_from_lead", True, ""),
    ]
    listed = result.actions[2].data["transaction_list"]
    assert isinstance(listed, list)
    assert len(listed) == 7
