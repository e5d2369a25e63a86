"""The state document's new sections (docs/control-plane.md#the-state-document): pages, calendars,
lead sequences, points and bookings, products, transactions, subscriptions — validated with a
reason, and round-tripped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.kartra_mock.server.worlds import seeded, world

Edit = Callable[[dict[str, Any]], None]


def account(document: dict[str, Any]) -> dict[str, Any]:
    return dict(document["accounts"][0])


def test_the_seeded_world_round_trips_through_get_and_put() -> None:
    api = seeded()
    snapshot = api.http.get("/_mock/state").json()
    fresh = seeded()
    assert fresh.http.put("/_mock/state", json=snapshot).status_code == 200
    assert fresh.http.get("/_mock/state").json() == snapshot


def test_defaults_are_filled_in_from_the_price_point() -> None:
    subscription = account(seeded().state())["subscriptions"][1]  # 502: installments plan
    assert subscription["amount"] == "100.00"
    assert subscription["period"] == "monthly"
    assert subscription["installments_left"] == 3
    transaction = account(seeded().state())["transactions"][0]
    assert transaction["lead_email"] == "ada@example.com"


def _set(path: str, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target: Any = document["accounts"][0]
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value

    return edit


def _drop(path: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target: Any = document["accounts"][0]
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return edit


INVALID: list[Any] = [
    pytest.param(_set("pages", ["A", "A"]), "pages: names must be unique"),
    pytest.param(_set("calendars.0.complete", "yes"), "calendars[0].complete"),
    pytest.param(_set("leads.0.sequences", {"Nope": "1"}), "unknown key 'Nope'"),
    pytest.param(_set("leads.0.sequences", {"Welcome": "9"}), "step '9' is not a step"),
    pytest.param(_set("leads.0.sequences", {"Welcome": {"step": "1", "active": "no"}}), "active"),
    pytest.param(
        _set("leads.0.expiring_points", [{"points": 3, "expires": "tomorrow"}]),
        "expiring_points[0].expires",
    ),
    pytest.param(
        _set("leads.0.calendars", [{"calendar": "Coaching", "class": "Nope"}]), "class 'Nope'"
    ),
    pytest.param(
        _set("leads.0.calendars", [{"calendar": "Gym", "class": "Intro"}]), "calendar 'Gym'"
    ),
    pytest.param(
        _set(
            "leads.0.calendars",
            [{"calendar": "Coaching", "class": "Monday class", "start": "soon"}],
        ),
        "start",
    ),
    pytest.param(_set("products.0.id", 12), "duplicate product id 12"),
    pytest.param(_set("products.0.name", ""), "products[0].name"),
    pytest.param(_set("products.0.price_points.0.type", "lifetime"), "'lifetime' is not one of"),
    pytest.param(_set("products.0.price_points.0.amount", "12.345"), "amount such as"),
    pytest.param(_set("products.0.price_points.0.period", "monthly"), "has no schedule"),
    pytest.param(_drop("products.1.price_points.0.period"), "price_points[0].period"),
    pytest.param(_drop("products.1.price_points.1.installments"), "installments"),
    pytest.param(_drop("products.1.price_points.2.period_2"), "period_2"),
    pytest.param(_set("products.1.price_points.0.period", "daily"), "'daily' is not one of"),
    pytest.param(_set("subscriptions.0.lead_id", 99), "no lead 99"),
    pytest.param(_set("subscriptions.0.product_id", 99), "no product 99"),
    pytest.param(_set("subscriptions.0.price_point", 9), "has no price point 9"),
    pytest.param(_set("subscriptions.0.price_point", 4), "needs a recurring price point"),
    pytest.param(_set("subscriptions.0.status", "active"), "subscriptions[0].status"),
    pytest.param(_set("subscriptions.0.start_date", "2024-05-20"), "start_date"),
    pytest.param(_set("subscriptions.0.tax_percent", "120"), "between 0 and 100"),
    pytest.param(_set("subscriptions.1.id", 501), "duplicate subscription id 501"),
    pytest.param(_set("transactions.0.type", "gift"), "transactions[0].type"),
    pytest.param(_set("transactions.0.subscription_id", 999), "no subscription 999"),
    pytest.param(_set("transactions.0.parent_id", 999), "no transaction 999"),
    pytest.param(_set("transactions.0.date", "yesterday"), "transactions[0].date"),
    pytest.param(_set("transactions.1.id", 9001), "duplicate transaction id 9001"),
    pytest.param(_set("transactions.0.surprise", 1), "unknown key 'surprise'"),
]


@pytest.mark.parametrize(("edit", "reason"), INVALID)
def test_invalid_sections_are_422_with_the_reason_and_change_nothing(
    edit: Edit, reason: str
) -> None:
    api = seeded()
    before = api.state()
    document = world()
    edit(document)
    response = api.http.put("/_mock/state", json=document)
    assert response.status_code == 422, response.text
    assert reason in response.json()["error"]
    assert api.state() == before


def test_minimal_records_load() -> None:
    document = {
        "accounts": [
            {
                "api_key": "k",
                "leads": [{"id": 1, "email": "a@example.com"}],
                "products": [
                    {
                        "id": 1,
                        "name": "Book",
                        "price_points": [{"id": 1, "type": "one_time", "amount": 9}],
                    }
                ],
                "transactions": [
                    {
                        "id": 1,
                        "lead_id": 1,
                        "product_id": 1,
                        "price_point": 1,
                        "type": "sale",
                        "amount": 9.5,
                        "date": "2024-01-01 00:00:00",
                    }
                ],
            }
        ]
    }
    api = seeded()
    assert api.http.put("/_mock/state", json=document).status_code == 200
    stored = account(api.state())
    assert stored["products"][0]["refund_period_days"] == 30
    assert stored["transactions"][0]["amount"] == "9.50"
