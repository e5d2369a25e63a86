"""Payment transactions: search, details, a lead's list, refund (docs/behaviour.md#payments).

The seeded world (worlds.py) holds a sale of every refundable and unrefundable kind; the
clock stands at 2024-06-01 12:00:00 EST.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api
from tests.kartra_mock.server.worlds import DAY, Clock, entry, error, seeded


def run(api: Api, cmd: str, **params: str) -> dict[str, Any]:
    """One account-level action (no lead), its entry."""
    return entry(api.call({"actions": [{"cmd": cmd, **params}]}))


def refund(api: Api, transaction_id: str, amount: str | None = None) -> dict[str, Any]:
    params = {"transaction_id": transaction_id}
    if amount is not None:
        params["refund_amount"] = amount
    return run(api, "refund_transaction", **params)


def test_search_transaction() -> None:
    api = seeded()
    assert run(api, "search_transaction", transaction_id="9001") == {
        "status": "Success",
        "message": "Transaction exists",
    }
    assert run(api, "search_transaction", transaction_id="4") == error("247")
    assert run(api, "search_transaction", transaction_id="x") == error("247")
    assert run(api, "search_transaction") == error("247")


def test_get_transaction_details() -> None:
    api = seeded()
    details = run(api, "get_transaction_details", transaction_id="9001")["transaction_details"]
    assert details == {
        "transaction_id": "9001",
        "lead_first_name": "Ada",
        "lead_last_name": "Lovelace",
        "lead_email": "ada@example.com",
        "lead_id": "1",
        "lead_username": "",
        "lead_country": "United Kingdom",
        "lead_country_code_2": "",
        "lead_country_code_3": "",
        "lead_state": "",
        "lead_phone_country_code": "",
        "lead_phone_number": "5550100",
        "lead_address": "",
        "lead_city": "London",
        "lead_zip": "",
        "product_name": "Course",
        "product_id": "11",
        "product_price_point": "1",
        "transaction_full_amount": "49.00",
        "transaction_quantity": "1",
        "transaction_affiliate": "aff1",
        "transaction_type": "sale",
        "transaction_date": "2024-05-25 10:00:00",
        "transaction_parent_id": "N/A",
        "transaction_internal_subscription_id": "N/A",
        "transaction_jv": "N/A",
    }
    assert run(api, "get_transaction_details", transaction_id="1") == error("247")


def test_retrieve_transactions_from_lead() -> None:
    api = seeded()
    answer = api.call(
        {
            "lead": {"email": "bob@example.com"},
            "actions": [{"cmd": "retrieve_transactions_from_lead"}],
        }
    )
    assert entry(answer)["transaction_list"] == [
        {
            "transaction_id": str(i),
            "lead_id": "2",
            "lead_email": "bob@example.com",
            "transaction_type": "sale",
        }
        for i in (9008, 9009, 9010, 9011)
    ]
    types = [
        t["transaction_type"]
        for t in entry(
            api.call({"lead": {"id": "1"}, "actions": [{"cmd": "retrieve_transactions_from_lead"}]})
        )["transaction_list"]
    ]
    assert types == ["sale", "sale", "sale", "sale", "refund", "sale", "sale"]


def test_a_lead_without_transactions_has_an_empty_list() -> None:
    api = seeded()
    api.create("new@example.com")
    chain = {
        "lead": {"email": "new@example.com"},
        "actions": [{"cmd": "retrieve_transactions_from_lead"}],
    }
    assert entry(api.call(chain)) == {"status": "Success", "transaction_list": []}


def test_retrieve_transactions_from_lead_needs_a_live_lead() -> None:
    api = seeded()
    action = [{"cmd": "retrieve_transactions_from_lead"}]
    assert api.call({"actions": action}) == error("206")
    assert api.call({"lead": {"id": "99"}, "actions": action}) == error("243")
    assert api.call({"lead": {"id": "3"}, "actions": action}) == error("245")


REFUND_ERRORS: list[Any] = [
    pytest.param("", None, "247", id="247-missing"),
    pytest.param("12345", None, "247", id="247-unknown"),
    pytest.param("9001", "abc", "268", id="268-not-an-amount"),
    pytest.param("9001", "0", "268", id="268-zero"),
    pytest.param("9001", "1.005", "268", id="268-three-decimals"),
    pytest.param("9001", "49.01", "268", id="268-more-than-paid"),
    pytest.param("9005", None, "253", id="253-a-refund"),
    pytest.param("9006", None, "253", id="253-test-transaction"),
    pytest.param("9004", None, "251", id="251-already-refunded"),
    pytest.param("9002", None, "250", id="250-outside-period"),
    pytest.param("9007", None, "266", id="266-processor-refuses"),
]


@pytest.mark.parametrize(("transaction_id", "amount", "code"), REFUND_ERRORS)
def test_refund_errors_change_nothing(transaction_id: str, amount: str | None, code: str) -> None:
    api = seeded()
    before = api.state()
    assert refund(api, transaction_id, amount) == error(code)
    assert api.state() == before


def test_a_whole_refund_is_a_new_refund_transaction() -> None:
    api = seeded()
    answer = api.call({"actions": [{"cmd": "refund_transaction", "transaction_id": "9001"}]})
    assert answer == {
        "status": "Success",
        "actions": [{"refund_transaction": {"status": "Success", "transaction_refunded": "9012"}}],
    }
    details = run(api, "get_transaction_details", transaction_id="9012")["transaction_details"]
    assert details["transaction_type"] == "refund"
    assert details["transaction_full_amount"] == "49.00"
    assert details["transaction_parent_id"] == "9001"
    assert details["transaction_date"] == "2024-06-01 12:00:00"
    assert refund(api, "9001") == error("251")


def test_partial_refunds_add_up_to_the_amount_paid() -> None:
    api = seeded()
    assert refund(api, "9001", "19") == {"status": "Success", "transaction_refunded": "9012"}
    assert refund(api, "9001", "30.01") == error("268")  # only 30.00 is left
    assert refund(api, "9001", "10.50")["transaction_refunded"] == "9013"
    assert refund(api, "9001")["transaction_refunded"] == "9014"  # the 19.50 left
    amounts = [
        run(api, "get_transaction_details", transaction_id=str(i))["transaction_details"]
        for i in (9012, 9013, 9014)
    ]
    assert [(d["transaction_type"], d["transaction_full_amount"]) for d in amounts] == [
        ("partial_refund", "19.00"),
        ("partial_refund", "10.50"),
        ("partial_refund", "19.50"),
    ]
    assert refund(api, "9001", "1") == error("251")


def test_the_refund_period_runs_on_the_injected_clock() -> None:
    clock = Clock()
    api = seeded(clock)
    # 9001 was sold 2024-05-25 10:00 EST; its product refunds for 30 days.
    clock.now += 22 * DAY + 22 * 3600  # 2024-06-24 10:00:00, the last moment
    assert refund(api, "9001", "1")["status"] == "Success"
    clock.now += 1
    assert refund(api, "9001", "1") == error("250")


def test_a_subscription_sale_is_refundable_within_its_products_period() -> None:
    clock = Clock()
    api = seeded(clock)
    # 9003 (Membership, 14 days) was sold 2024-05-20 09:00: refundable until 06-03 09:00.
    assert refund(api, "9003", "5")["status"] == "Success"
    clock.now += 2 * DAY
    assert refund(api, "9003", "5") == error("250")


def test_refunds_survive_a_state_round_trip() -> None:
    api = seeded()
    refund(api, "9001", "9")
    snapshot = api.state()
    copy = seeded()
    assert copy.http.put("/_mock/state", json=snapshot).status_code == 200
    assert copy.state() == snapshot
    assert refund(copy, "9001", "40.01") == error("268")
