"""edit_subscription (docs/behaviour.md#edit_subscription): every parameter, every code, nothing
half-applied.

Seeded subscriptions (worlds.py): 501 Active recurring monthly 19.95, 502 Paused installments
(3 left), 503 Cancelled, 504 Terminated, 505 PayPal, 506 recurring installments monthly/yearly.
The clock stands at 2024-06-01 12:00:00 EST.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api
from tests.kartra_mock.server.worlds import entry, error, seeded

MODIFIED = {"status": "Success", "message": "Subscription modified", "type": "115"}


def edit(api: Api, subscription_id: str = "501", **params: Any) -> dict[str, Any]:
    action = {"cmd": "edit_subscription", "subscription_id": subscription_id, **params}
    return entry(api.call({"actions": [action]}))


def details(api: Api, subscription_id: str = "501") -> dict[str, Any]:
    action = {"cmd": "get_subscription_details", "subscription_id": subscription_id}
    return dict(entry(api.call({"actions": [action]}))["subscription_details"])


def period(first: str | None = None, second: str | None = None) -> dict[str, str]:
    found = {"recurring_period_1": first, "recurring_period_2": second}
    return {k: v for k, v in found.items() if v is not None}


ERRORS: list[Any] = [
    pytest.param("", {"subscription_amount": "10"}, "248", id="248-missing"),
    pytest.param("77", {"subscription_amount": "10"}, "248", id="248-unknown"),
    pytest.param("505", {"subscription_amount": "10"}, "284", id="284-paypal"),
    pytest.param("503", {"subscription_amount": "10"}, "275", id="275-cancelled"),
    pytest.param("504", {"subscription_amount": "10"}, "275", id="275-terminated"),
    pytest.param("501", {}, "285", id="285-nothing"),
    pytest.param("501", {"subscription_amount": "", "subscription_tax_percent": ""}, "285"),
    pytest.param("501", {"subscription_product_id": "12"}, "283", id="283-no-price-point"),
    pytest.param("501", {"subscription_price_point": "2"}, "283", id="283-no-product"),
    pytest.param("501", {"subscription_product_id": "99", "subscription_price_point": "1"}, "283"),
    pytest.param(
        "501",
        {"subscription_product_id": "11", "subscription_price_point": "2"},
        "283",
        id="283-not-a-price-point-of-the-product",
    ),
    pytest.param(
        "501",
        {"subscription_product_id": "12", "subscription_price_point": "4"},
        "283",
        id="283-one-time-price-point",
    ),
    pytest.param("501", {"subscription_next_payment_date": "2024/07/01 10:00"}, "260"),
    pytest.param("501", {"subscription_next_payment_date": "2024-02-30 10:00"}, "260"),
    pytest.param("501", {"subscription_next_payment_date": "1 Jul 2024"}, "260"),
    pytest.param("501", {"subscription_next_payment_date": "2024-06-01 11:59"}, "261"),
    pytest.param("501", {"subscription_amount": "ten"}, "268", id="268"),
    pytest.param("501", {"subscription_amount": "-5"}, "268", id="268-negative"),
    pytest.param("501", {"subscription_amount": "0.99"}, "277", id="277-low"),
    pytest.param("501", {"subscription_amount": "10000"}, "277", id="277-high"),
    pytest.param("501", {"subscription_recurrence": "monthly"}, "280", id="280-not-a-map"),
    pytest.param("501", {"subscription_recurrence": period("daily")}, "280", id="280-unknown"),
    pytest.param("501", {"subscription_recurrence": {"period": "monthly"}}, "280"),
    pytest.param("506", {"subscription_recurrence": period("quarterly")}, "280", id="280-ri"),
    pytest.param("506", {"subscription_recurrence": period(second="monthly")}, "280"),
    pytest.param("501", {"subscription_recurrence": period(second="yearly")}, "281", id="281"),
    pytest.param("501", {"subscription_product_quantity": "two"}, "278", id="278-quantity"),
    pytest.param("501", {"subscription_product_quantity": "0"}, "276", id="276-low"),
    pytest.param("501", {"subscription_product_quantity": "10000"}, "276", id="276-high"),
    pytest.param("501", {"subscription_installments_left": "many"}, "282", id="282"),
    pytest.param("501", {"subscription_installments_left": "0"}, "282", id="282-zero"),
    pytest.param(
        "502", {"subscription_installments_left": "until cancelled"}, "282", id="282-plan"
    ),
    pytest.param("501", {"subscription_tax_percent": "ten"}, "278", id="278-tax"),
    pytest.param("501", {"subscription_tax_percent": "100.01"}, "290", id="290-high"),
    pytest.param("501", {"subscription_tax_percent": "-1"}, "290", id="290-negative"),
    pytest.param(
        "501",
        {"subscription_amount": "29.99", "subscription_tax_percent": "101"},
        "290",
        id="a-valid-change-is-not-applied-when-another-fails",
    ),
]


@pytest.mark.parametrize(("subscription_id", "params", "code"), ERRORS)
def test_errors_change_nothing(subscription_id: str, params: dict[str, Any], code: str) -> None:
    api = seeded()
    before = api.state()
    assert edit(api, subscription_id, **params) == error(code)
    assert api.state() == before


def test_the_full_envelope_and_every_parameter_at_once() -> None:
    api = seeded()
    answer = api.call(
        {
            "actions": [
                {
                    "cmd": "edit_subscription",
                    "subscription_id": "501",
                    "subscription_next_payment_date": "2024-07-01 10:30",
                    "subscription_amount": "29.99",
                    "subscription_recurrence": period("quarterly"),
                    "subscription_product_quantity": "2",
                    "subscription_installments_left": "6",
                    "subscription_tax_percent": "7.5",
                }
            ]
        }
    )
    assert answer == {"status": "Success", "actions": [{"edit_subscription": MODIFIED}]}
    after = details(api)
    assert after["subscription_next_payment_date"] == "2024-07-01 10:30:00"
    assert after["subscription_next_scheduled_payment_amount"] == "29.99"
    assert after["subscription_recurring_period"] == "quarterly"
    assert after["subscription_installments_left"] == "6"
    stored = api.state()["accounts"][0]["subscriptions"][0]
    assert (stored["quantity"], stored["tax_percent"]) == (2, "7.50")


def test_a_date_with_seconds_is_read_too() -> None:
    api = seeded()
    assert edit(api, subscription_next_payment_date="2024-07-01 10:30:15") == MODIFIED
    assert details(api)["subscription_next_payment_date"] == "2024-07-01 10:30:15"


def test_a_new_plan_brings_its_amount_and_schedule() -> None:
    api = seeded()
    changed = edit(api, subscription_product_id="12", subscription_price_point="2")
    assert changed == MODIFIED
    after = details(api)
    assert after["subscription_price_point"] == "2"
    assert after["subscription_next_scheduled_payment_amount"] == "100.00"
    assert after["subscription_installments_left"] == "3"


def test_a_new_plan_and_its_own_amount_in_one_call() -> None:
    api = seeded()
    edit(
        api,
        subscription_product_id="12",
        subscription_price_point="3",
        subscription_amount="45",
        subscription_recurrence=period("every 2 weeks", "every 2 years"),
    )
    stored = api.state()["accounts"][0]["subscriptions"][0]
    assert (stored["price_point"], stored["amount"]) == (3, "45.00")
    assert (stored["period"], stored["period_2"]) == ("every 2 weeks", "every 2 years")


def test_until_cancelled_and_a_paused_subscription() -> None:
    api = seeded()
    assert edit(api, subscription_installments_left="6") == MODIFIED
    assert edit(api, subscription_installments_left="Until Cancelled") == MODIFIED
    assert details(api)["subscription_installments_left"] == "Until cancelled"
    assert edit(api, "502", subscription_installments_left="5") == MODIFIED  # paused is fine


def test_edits_survive_a_state_round_trip() -> None:
    api = seeded()
    edit(api, "506", subscription_recurrence=period("weekly", "every 2 years"))
    snapshot = api.state()
    copy = seeded()
    assert copy.http.put("/_mock/state", json=snapshot).status_code == 200
    assert copy.state() == snapshot
