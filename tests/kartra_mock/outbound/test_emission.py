"""Outbound webhooks and IPNs from real state changes, delivered in-process to a receiver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from kartra_mock import create_app
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.outbound.delivery import Sender, app_poster
from kartra_mock.outbound.receiver import Receiver
from tests.helpers import DEMO, build_query
from tests.kartra_mock.server.worlds import Clock, world

HOOK = "http://receiver.test/hook"
IPN = "http://receiver.test/ipn"


class Wired:
    """The seeded world with every event and every product's IPN sent to one receiver."""

    def __init__(self, outbound: dict[str, Any] | None = None) -> None:
        document = world()
        document["outbound"] = outbound or {
            "webhooks": [{"url": HOOK}],
            "ipn": [{"url": IPN, "secret_key": "s3cret"}],
        }
        self.receiver = Receiver()
        sender = Sender(app_poster(self.receiver.app))
        self.backend = Backend(
            document, overrides=Overrides(rate_limit=0), clock=Clock(), sender=sender
        )
        self.http = TestClient(create_app(backend=self.backend))

    def call(self, email: str, *actions: dict[str, str]) -> dict[str, Any]:
        body = build_query({**DEMO, "lead": {"email": email}, "actions": list(actions)})
        response = self.http.post(
            "/api", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        answer: dict[str, Any] = json.loads(response.content)
        return answer

    def events(self) -> list[str]:
        assert self.backend.sender.wait_idle()
        return [r.event for r in self.receiver.received]


@pytest.fixture
def wired() -> Iterator[Wired]:
    setup = Wired()
    yield setup
    setup.backend.sender.close()


def test_tag_assignment_posts_the_documented_json(wired: Wired) -> None:
    wired.call("ada@example.com", {"cmd": "assign_tag", "tag_name": "VIP"})
    hook = wired.receiver.wait_for("assign_tag")
    assert hook.path == "/hook"
    assert hook.content_type == "application/json"
    body = hook.json
    assert set(body) == {"lead", "action", "action_details"}
    assert body["action_details"] == {"tag": {"tag_id": "2", "tag_name": "VIP"}}
    lead = body["lead"]
    assert isinstance(lead, dict)
    assert lead["email"] == "ada@example.com"
    assert {"tag_id": "2", "tag_name": "VIP"} in lead["tags"]


def test_every_inbound_change_emits_its_event(wired: Wired) -> None:
    answer = wired.call(
        "ada@example.com",
        {"cmd": "assign_tag", "tag_name": "VIP"},
        {"cmd": "unassign_tag", "tag_name": "VIP"},
        {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
        {"cmd": "subscribe_lead_to_sequence_at_step", "sequence_name": "Welcome", "step": "1"},
        {
            "cmd": "calendar_subscribe",
            "calendar_name": "Coaching",
            "class_name": "Monday class",
            "starting_date": "16 Jan 2025",
            "starting_hour": "15:00",
        },
    )
    assert [next(iter(e.values()))["status"] for e in answer["actions"]] == ["Success"] * 5
    # Each action of a chain emits its own event, in chain order.
    assert wired.events() == [
        "assign_tag",
        "unassign_tag",
        "list_subscription",
        "sequence_subscription",
        "calendar_subscribe",
    ]
    wired.receiver.clear()
    wired.call(
        "ada@example.com",
        {"cmd": "unsubscribe_lead_from_list", "list_name": "Newsletter"},
        {"cmd": "unsubscribe_lead_from_sequence", "sequence_name": "Welcome"},
        {"cmd": "calendar_cancel", "calendar_name": "Coaching", "class_name": "Monday class"},
        {"cmd": "assign_tag", "tag_name": "Customer"},
    )
    assert wired.events() == [
        "list_unsubscription",
        "sequence_unsubscription",
        "calendar_cancel",
        "assign_tag",
    ]


def test_no_change_no_event(wired: Wired) -> None:
    wired.call("ada@example.com", {"cmd": "assign_tag", "tag_name": "VIP"})
    wired.call("ada@example.com", {"cmd": "assign_tag", "tag_name": "VIP"})
    wired.call("nobody@example.com", {"cmd": "assign_tag", "tag_name": "VIP"})  # 243
    assert wired.events() == ["assign_tag"]


def test_refund_emits_webhook_and_ipn_with_na_for_empty_values(wired: Wired) -> None:
    answer = wired.call("ada@example.com", {"cmd": "refund_transaction", "transaction_id": "9001"})
    assert answer["actions"][0]["refund_transaction"]["status"] == "Success", answer
    assert wired.events() == ["refund_product", "refund"]
    form = wired.receiver.wait_for("refund").form
    assert form["transaction_type"] == "refund"
    assert form["transaction_parent_id"] == "9001"
    assert form["secret_key"] == "s3cret"
    assert form["lead_email"] == "ada@example.com"
    assert form["transaction_last_4_card_digits"] == "N/A"
    assert form["product_name"] == "Course"
    hook = wired.receiver.wait_for("refund_product").json
    assert hook["action_details"] == {
        "product": {
            "product_id": "11",
            "product_name": "Course",
            "price_point": "1",
            "transaction_id": form["transaction_id"],
        }
    }


def test_cancelling_a_subscription_emits_cancel_subscription(wired: Wired) -> None:
    wired.call(
        "ada@example.com",
        {"cmd": "cancel_transaction", "transaction_id": "9003"},
    )
    assert wired.events() == ["cancel_subscription", "cancellation"]


def test_only_the_configured_events_and_accounts_are_sent() -> None:
    setup = Wired(
        {
            "webhooks": [
                {"url": HOOK, "events": ["list_subscription"]},
                {"url": "http://receiver.test/other", "api_key": "someone-else"},
            ]
        }
    )
    setup.call(
        "ada@example.com",
        {"cmd": "assign_tag", "tag_name": "VIP"},
        {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
        {"cmd": "refund_transaction", "transaction_id": "9001"},
    )
    assert setup.events() == ["list_subscription"]
    setup.backend.sender.close()


def test_the_delivery_journal_records_each_attempt(wired: Wired) -> None:
    wired.call("bob@example.com", {"cmd": "assign_tag", "tag_name": "VIP"})
    assert wired.backend.sender.wait_idle()
    deliveries = wired.http.get("/_mock/deliveries").json()["deliveries"]
    assert [(d["url"], d["event"], d["status_code"], d["attempt"]) for d in deliveries] == [
        (HOOK, "assign_tag", 200, 1)
    ]
    assert deliveries[0]["payload"]["lead"]["email"] == "bob@example.com"
    assert wired.http.delete("/_mock/deliveries").json() == {"status": "ok"}
    assert wired.http.get("/_mock/deliveries").json() == {"deliveries": []}
