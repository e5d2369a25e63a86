"""Reading the commerce answers: Kartra's shapes in, typed records out, wrong shapes refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

import httpx
import pytest

from kartra_mock.client import (
    CancellationResult,
    KartraProtocolError,
    RefundResult,
    SubscriptionSummary,
    TransactionRef,
)
from kartra_mock.client.parsing import ShapeError
from kartra_mock.client.parsing_commerce import (
    parse_cancellation,
    parse_refund,
    parse_subscription_details,
    parse_subscriptions_list,
    parse_transaction_details,
    parse_transaction_list,
)
from tests.kartra_mock.client import Mode, close, make_client, settle


def test_records_read_numbers_and_tolerate_missing_details() -> None:
    # docs/behaviour.md#retrieve_transactions_from_lead's published example, its numbers given as
    # JSON numbers.
    listed = parse_transaction_list(
        {
            "transaction_list": [
                {"transaction_id": 48110, "lead_id": 4174086, "transaction_type": "sale"}
            ]
        }
    )
    assert listed == (TransactionRef("48110", "4174086", "", "sale"),)
    assert listed[0].raw == {
        "transaction_id": 48110,
        "lead_id": 4174086,
        "transaction_type": "sale",
    }
    details = parse_subscription_details({"subscription_details": {"subscription_id": "993037"}})
    assert (details.subscription_id, details.subscription_status) == ("993037", "")


def test_the_answers_beside_status() -> None:
    refund = {"status": "Success", "transaction_refunded": "792354"}
    assert parse_refund(refund) == RefundResult("792354")
    assert parse_refund(refund).raw == refund
    cancelled = {
        "status": "Success",
        "transaction_subscription_id": "I-EV375R0H61SM",
        "transaction_internal_subscription_id": "14833",
    }
    assert parse_cancellation(cancelled) == CancellationResult("14833", "I-EV375R0H61SM")
    assert parse_subscriptions_list({"subscriptions_list": []}) == ()
    assert parse_subscriptions_list(
        {"subscriptions_list": [{"subscription_id": "1", "subscription_status": "Paused"}]}
    ) == (SubscriptionSummary("1", subscription_status="Paused"),)


@pytest.mark.parametrize(
    ("parse", "entry", "reason"),
    [
        (parse_transaction_details, {}, "transaction_details is not a JSON object"),
        (
            parse_transaction_details,
            {"transaction_details": {"lead_id": "1"}},
            "transaction_details.transaction_id is not a string or number",
        ),
        (
            parse_transaction_details,
            {"transaction_details": {"transaction_id": "1", "lead_email": ["a"]}},
            "transaction_details.lead_email is not a string or number",
        ),
        (parse_transaction_list, {"transaction_list": {}}, "transaction_list is not a JSON array"),
        (
            parse_subscriptions_list,
            {"subscriptions_list": ["501"]},
            "subscriptions_list[0] is not a JSON object",
        ),
        (parse_refund, {"status": "Success"}, "refund_transaction.transaction_refunded is not"),
        (
            parse_cancellation,
            {"status": "Success", "transaction_internal_subscription_id": True},
            "cancel_transaction.transaction_internal_subscription_id is not",
        ),
    ],
)
def test_a_commerce_answer_of_the_wrong_shape(
    parse: Callable[[Mapping[str, object]], object], entry: dict[str, object], reason: str
) -> None:
    with pytest.raises(ShapeError, match=re.escape(reason)):
        parse(entry)


@pytest.mark.anyio
async def test_a_wrong_shape_is_a_protocol_error_naming_the_command(mode: Mode) -> None:
    body = {"status": "Success", "actions": [{"get_transaction_details": {"status": "Success"}}]}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(body).encode())

    client = make_client(mode, httpx.MockTransport(handler))
    with pytest.raises(KartraProtocolError) as caught:
        await settle(client.get_transaction_details(1))
    assert "unexpected answer to get_transaction_details: transaction_details is not" in str(
        caught.value
    )
    await close(client)
