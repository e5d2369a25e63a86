"""Recurring subscriptions: search, details, per-lead lists, cancel, status
(docs/behaviour.md#payments).

edit_subscription has its own file. Seeded subscriptions (worlds.py): 501 Ada Active, 502 Ada
Paused (installments), 503 Bob Cancelled, 504 Bob Terminated, 505 Bob Active on PayPal, 506
Bob Active whose cancellation the processor refuses.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api
from tests.kartra_mock.server.worlds import entry, error, seeded

MODIFIED = {"status": "Success", "message": "Subscription modified", "type": "115"}


def run(api: Api, cmd: str, **params: str) -> dict[str, Any]:
    return entry(api.call({"actions": [{"cmd": cmd, **params}]}))


def details(api: Api, subscription_id: str) -> dict[str, Any]:
    answer = run(api, "get_subscription_details", subscription_id=subscription_id)
    return dict(answer["subscription_details"])


def test_search_subscription() -> None:
    api = seeded()
    assert run(api, "search_subscription", subscription_id="501") == {
        "status": "Success",
        "message": "Subscription exists",
    }
    assert run(api, "search_subscription", subscription_id="1") == error("248")
    assert run(api, "search_subscription") == error("248")


def test_get_subscription_details() -> None:
    api = seeded()
    answer = api.call({"actions": [{"cmd": "get_subscription_details", "subscription_id": "501"}]})
    assert answer == {
        "status": "Success",
        "actions": [
            {
                "get_subscription_details": {
                    "status": "Success",
                    "subscription_details": {
                        "subscription_id": "501",
                        "subscription_product_id": "12",
                        "subscription_price_point": "1",
                        "subscription_lead_id": "1",
                        "subscription_start_date": "2024-05-20 09:00:00",
                        "subscription_end_date": "0000-00-00 00:00:00",
                        "subscription_current_installment": "1",
                        "subscription_installments_left": "Until cancelled",
                        "subscription_recurring_period": "monthly",
                        "subscription_status": "Active",
                        "subscription_next_payment_date": "2024-06-20 09:00:00",
                        "subscription_next_scheduled_payment_amount": "19.95",
                        "subscription_affiliate": "aff1",
                        "subscription_jv": "N/A",
                    },
                }
            }
        ],
    }
    paused = details(api, "502")
    assert paused["subscription_installments_left"] == "3"
    assert paused["subscription_next_scheduled_payment_amount"] == "N/A"
    assert run(api, "get_subscription_details", subscription_id="7") == error("248")


def test_retrieve_subscriptions_from_lead_and_the_legacy_command() -> None:
    api = seeded()
    bob = {"email": "bob@example.com"}
    answer = api.call({"lead": bob, "actions": [{"cmd": "retrieve_subscriptions_from_lead"}]})
    assert [
        (s["subscription_id"], s["subscription_status"])
        for s in entry(answer)["subscriptions_list"]
    ] == [
        ("503", "Cancelled"),
        ("504", "Terminated"),
        ("505", "Active"),
        ("506", "Active"),
    ]
    assert entry(answer)["subscriptions_list"][0] == {
        "subscription_id": "503",
        "lead_id": "2",
        "lead_email": "bob@example.com",
        "subscription_status": "Cancelled",
    }
    legacy = api.call({"lead": bob, "actions": [{"cmd": "get_subscriptions_from_lead"}]})
    assert entry(legacy)["subscription_list"][2] == {
        "transaction_subscription_id": "I-EV375R0H61SM",
        "transaction_internal_subscription_id": "505",
        "transaction_subscription_status": "Active",
        "buyer_id": "2",
        "buyer_email": "bob@example.com",
    }


@pytest.mark.parametrize("cmd", ["retrieve_subscriptions_from_lead", "get_subscriptions_from_lead"])
def test_per_lead_lists_need_a_live_lead(cmd: str) -> None:
    api = seeded()
    assert api.call({"actions": [{"cmd": cmd}]}) == error("206")
    assert api.call({"lead": {"id": "3"}, "actions": [{"cmd": cmd}]}) == error("245")
    api.create("new@example.com")
    answer = api.call({"lead": {"email": "new@example.com"}, "actions": [{"cmd": cmd}]})
    assert list(entry(answer).values())[1] == []


CANCEL_ERRORS: list[Any] = [
    pytest.param({}, "248", id="248-nothing-named"),
    pytest.param({"transaction_id": "", "transaction_internal_subscription_id": ""}, "248"),
    pytest.param({"transaction_id": "4"}, "247", id="247-unknown-transaction"),
    pytest.param({"transaction_internal_subscription_id": "4"}, "248", id="248-unknown"),
    pytest.param({"transaction_id": "9005"}, "253", id="253-a-refund"),
    pytest.param({"transaction_id": "9006"}, "253", id="253-test-transaction"),
    pytest.param({"transaction_id": "9001"}, "249", id="249-one-time-sale"),
    pytest.param({"transaction_id": "9008"}, "252", id="252-via-transaction"),
    pytest.param({"transaction_internal_subscription_id": "503"}, "252", id="252"),
    pytest.param({"transaction_internal_subscription_id": "504"}, "253", id="253-terminated"),
    pytest.param({"transaction_id": "9011"}, "267", id="267-processor-refuses"),
]


@pytest.mark.parametrize(("params", "code"), CANCEL_ERRORS)
def test_cancel_transaction_errors_change_nothing(params: dict[str, str], code: str) -> None:
    api = seeded()
    before = api.state()
    assert run(api, "cancel_transaction", **params) == error(code)
    assert api.state() == before


def test_cancel_transaction_through_a_transaction_of_a_paypal_subscription() -> None:
    api = seeded()
    assert run(api, "cancel_transaction", transaction_id="9010") == {
        "status": "Success",
        "transaction_subscription_id": "I-EV375R0H61SM",
        "transaction_internal_subscription_id": "505",
    }
    assert details(api, "505")["subscription_status"] == "Cancelled"


def test_cancel_ends_the_subscription_now_and_records_a_cancellation() -> None:
    api = seeded()
    answer = run(api, "cancel_transaction", transaction_internal_subscription_id="501")
    assert answer["transaction_internal_subscription_id"] == "501"
    after = details(api, "501")
    assert after["subscription_status"] == "Cancelled"
    assert after["subscription_end_date"] == "2024-06-01 12:00:00"
    assert after["subscription_next_payment_date"] == "0000-00-00 00:00:00"
    assert after["subscription_next_scheduled_payment_amount"] == "N/A"
    record = run(api, "get_transaction_details", transaction_id="9012")["transaction_details"]
    assert (record["transaction_type"], record["transaction_parent_id"]) == ("cancellation", "9003")
    assert record["transaction_internal_subscription_id"] == "501"
    assert run(api, "cancel_transaction", transaction_id="9003") == error("252")


MODIFY_ERRORS: list[Any] = [
    pytest.param("", "pause", "248", id="248-missing"),
    pytest.param("9", "pause", "248", id="248-unknown"),
    pytest.param("501", "", "274", id="274-missing"),
    pytest.param("501", "stop", "274", id="274-unknown"),
    pytest.param("501", "Pause", "274", id="274-case"),
    pytest.param("503", "cancel", "252", id="252-already-cancelled"),
    pytest.param("503", "unpause", "275", id="275-cancelled"),
    pytest.param("504", "cancel", "275", id="275-terminated"),
    pytest.param("505", "pause", "284", id="284-paypal"),
    pytest.param("506", "cancel", "267", id="267-processor-refuses"),
]


@pytest.mark.parametrize(("subscription_id", "modification", "code"), MODIFY_ERRORS)
def test_modify_subscription_status_errors_change_nothing(
    subscription_id: str, modification: str, code: str
) -> None:
    api = seeded()
    before = api.state()
    answer = run(
        api,
        "modify_subscription_status",
        subscription_id=subscription_id,
        subscription_status_modification=modification,
    )
    assert answer == error(code)
    assert api.state() == before


def modify(api: Api, subscription_id: str, modification: str) -> dict[str, Any]:
    return api.call(
        {
            "actions": [
                {
                    "cmd": "modify_subscription_status",
                    "subscription_id": subscription_id,
                    "subscription_status_modification": modification,
                }
            ]
        }
    )


def test_pause_unpause_and_cancel() -> None:
    api = seeded()
    # The full envelope Kartra documents verbatim for this command (docs/behaviour.md#chains).
    assert modify(api, "501", "pause") == {
        "status": "Success",
        "actions": [{"modify_subscription_status": MODIFIED}],
    }
    assert details(api, "501")["subscription_status"] == "Paused"
    assert entry(modify(api, "501", "pause")) == MODIFIED  # already paused: nothing to do
    assert entry(modify(api, "501", "unpause")) == MODIFIED
    assert details(api, "501")["subscription_status"] == "Active"
    assert entry(modify(api, "502", "cancel")) == MODIFIED
    assert details(api, "502")["subscription_status"] == "Cancelled"
    assert entry(modify(api, "502", "unpause")) == error("275")


def test_a_paypal_subscription_can_still_be_cancelled() -> None:
    api = seeded()
    assert entry(modify(api, "505", "cancel")) == MODIFIED
    assert details(api, "505")["subscription_status"] == "Cancelled"


def test_subscription_changes_survive_a_state_round_trip() -> None:
    api = seeded()
    modify(api, "501", "pause")
    modify(api, "502", "cancel")
    snapshot = api.state()
    copy = seeded()
    assert copy.http.put("/_mock/state", json=snapshot).status_code == 200
    assert copy.state() == snapshot
