"""A seeded world and a clock the tests control, shared by the command-family tests.

The world names everything the commands of docs/behaviour.md#commands act on: custom fields of every
type, tags, lists, sequences, calendars (one not completed), pages, and a small shop — products,
subscriptions in every status and transactions of every kind — so each error code can be provoked by
one call. ``NOW`` is 2024-06-01 12:00:00 EST."""

from __future__ import annotations

import copy
from typing import Any

from kartra_mock.domain.est import parse_est
from kartra_mock.errors import error_for_type
from tests.helpers import Api

DAY = 86_400
#: 2024-06-01 12:00:00 EST, the moment every test starts at.
NOW = int(parse_est("2024-06-01 12:00:00") or 0)


class Clock:
    """A clock a test moves by hand: ``clock.now += DAY``."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


_CUSTOM_FIELDS: list[dict[str, Any]] = [
    {"identifier": "text1", "type": "input_field"},
    {"identifier": "notes", "type": "text_area"},
    {
        "identifier": "dropdown1",
        "type": "drop_down",
        "options": [{"id": 612, "value": "Red"}, {"id": 613, "value": "Blue"}],
    },
    {
        "identifier": "radio1",
        "type": "radio_button",
        "options": [{"id": 630, "value": "Yes"}, {"id": 631, "value": "No"}],
    },
    {
        "identifier": "checkbox1",
        "type": "checkbox",
        "options": [{"id": 620, "value": "A"}, {"id": 621, "value": "B"}],
    },
]

_PRODUCTS: list[dict[str, Any]] = [
    {
        "id": 11,
        "name": "Course",
        "refund_period_days": 30,
        "price_points": [{"id": 1, "type": "one_time", "amount": "49.00"}],
    },
    {
        "id": 12,
        "name": "Membership",
        "refund_period_days": 14,
        "price_points": [
            {"id": 1, "type": "recurring", "amount": "19.95", "period": "monthly"},
            {
                "id": 2,
                "type": "installments",
                "amount": "100.00",
                "period": "monthly",
                "installments": 3,
            },
            {
                "id": 3,
                "type": "recurring_installments",
                "amount": "50.00",
                "period": "monthly",
                "period_2": "yearly",
                "installments": 3,
            },
            {"id": 4, "type": "one_time", "amount": "10.00"},
        ],
    },
]


def _subscription(sub_id: int, lead_id: int, point: int, status: str, **extra: Any) -> Any:
    return {
        "id": sub_id,
        "lead_id": lead_id,
        "product_id": 12,
        "price_point": point,
        "status": status,
        "start_date": "2024-05-20 09:00:00",
        "next_payment_date": "2024-06-20 09:00:00",
        **extra,
    }


_SUBSCRIPTIONS: list[dict[str, Any]] = [
    _subscription(501, 1, 1, "Active", affiliate="aff1"),
    _subscription(502, 1, 2, "Paused"),
    _subscription(503, 2, 1, "Cancelled", end_date="2024-05-01 08:00:00"),
    _subscription(504, 2, 1, "Terminated"),
    _subscription(505, 2, 1, "Active", paypal=True, processor_id="I-EV375R0H61SM"),
    _subscription(506, 2, 3, "Active", cancellation_fails=True),
]


def _sale(tx_id: int, lead_id: int, date: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": tx_id,
        "lead_id": lead_id,
        "product_id": 11,
        "price_point": 1,
        "type": "sale",
        "amount": "49.00",
        "date": date,
        **extra,
    }


def _subscription_sale(tx_id: int, lead_id: int, sub_id: int) -> dict[str, Any]:
    return _sale(
        tx_id,
        lead_id,
        "2024-05-20 09:00:00",
        product_id=12,
        amount="19.95",
        subscription_id=sub_id,
    )


_TRANSACTIONS: list[dict[str, Any]] = [
    _sale(9001, 1, "2024-05-25 10:00:00", affiliate="aff1"),  # refundable until 06-24 10:00
    _sale(9002, 1, "2024-04-01 10:00:00"),  # outside the 30-day refund period
    _subscription_sale(9003, 1, 501),
    _sale(9004, 1, "2024-05-26 10:00:00"),  # fully refunded by 9005
    _sale(9005, 1, "2024-05-27 10:00:00", type="refund", parent_id=9004),
    _sale(9006, 1, "2024-05-28 10:00:00", test=True),
    _sale(9007, 1, "2024-05-30 10:00:00", refund_fails=True),
    _subscription_sale(9008, 2, 503),
    _subscription_sale(9009, 2, 504),
    _subscription_sale(9010, 2, 505),
    _subscription_sale(9011, 2, 506),
]

WORLD: dict[str, Any] = {
    "auth": "open",
    "accounts": [
        {
            "api_key": "demo-key",
            "api_password": "demo-password",
            "custom_fields": _CUSTOM_FIELDS,
            "tags": ["Customer", "VIP"],
            "lists": ["Newsletter"],
            "sequences": [
                {"name": "Welcome", "steps": ["1", "2", "3"]},
                {"name": "Onboarding", "steps": ["1", "a2"]},
            ],
            "calendars": [
                {"name": "Coaching", "classes": ["Monday class", "Friday class"]},
                {"name": "Draft", "classes": ["Intro"], "complete": False},
            ],
            "pages": ["Sales page", "Thank you page"],
            "leads": [
                {
                    "id": 1,
                    "email": "ada@example.com",
                    "first_name": "Ada",
                    "last_name": "Lovelace",
                    "country": "United Kingdom",
                    "city": "London",
                    "phone": "5550100",
                    "date_joined": "2024-01-02 03:04:05",
                },
                {"id": 2, "email": "bob@example.com", "first_name": "Bob"},
                {"id": 3, "email": "gone@example.com", "deleted": True},
            ],
            "products": _PRODUCTS,
            "subscriptions": _SUBSCRIPTIONS,
            "transactions": _TRANSACTIONS,
        }
    ],
}


def world() -> dict[str, Any]:
    """A fresh copy of the seeded world (tests may change theirs)."""
    return copy.deepcopy(WORLD)


def seeded(clock: Clock | None = None) -> Api:
    """An in-process mock of the seeded world, on ``clock`` (default: fixed at ``NOW``)."""
    return Api(world(), clock=clock or Clock())


def entry(answer: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """The inner object of ``actions[index]`` of a chain answer."""
    assert answer["status"] == "Success", answer
    ((_, inner),) = answer["actions"][index].items()
    return dict(inner)


def error(code: str) -> dict[str, str]:
    """Kartra's error envelope for a code, with the catalogue's message."""
    return error_for_type(code).to_json()
