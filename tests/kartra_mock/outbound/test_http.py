"""Over a real socket: a plain starlette receiver, the control plane's triggers and faults."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from kartra_mock import create_app
from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.server.threaded import ThreadedServer
from tests.helpers import DEMO, build_query
from tests.kartra_mock.server.worlds import Clock, world

pytestmark = pytest.mark.socket


class PlainReceiver:
    """What a user would write: one webhook route and one IPN route, nothing from the mock."""

    def __init__(self) -> None:
        self.hooks: list[dict[str, Any]] = []
        self.ipns: list[dict[str, str]] = []
        self.arrived = threading.Semaphore(0)
        self.failures = 0
        self.app = Starlette(
            routes=[
                Route("/kartra/webhook", self.webhook, methods=["POST"]),
                Route("/kartra/ipn", self.ipn, methods=["POST"]),
            ]
        )

    async def webhook(self, request: Request) -> Response:
        if self.failures:
            self.failures -= 1
            return PlainTextResponse("busy", status_code=503)
        self.hooks.append(json.loads(await request.body()))
        self.arrived.release()
        return PlainTextResponse("ok")

    async def ipn(self, request: Request) -> Response:
        # A plain form body (parse_qsl: no form-parsing extra needed, as PHP reads $_POST).
        form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        self.ipns.append(dict(form))
        self.arrived.release()
        return PlainTextResponse("ok")

    def wait(self, count: int) -> None:
        for _ in range(count):
            assert self.arrived.acquire(timeout=5), (self.hooks, self.ipns)


@pytest.fixture
def plain() -> Iterator[tuple[PlainReceiver, str]]:
    receiver = PlainReceiver()
    with ThreadedServer(receiver.app) as server:
        yield receiver, server.url


def mock(base: str, **delivery: int) -> tuple[Backend, TestClient]:
    document = world()
    document["outbound"] = {
        "webhooks": [{"url": base + "/kartra/webhook"}],
        "ipn": [{"url": base + "/kartra/ipn", "secret_key": "k3y", "product_id": 12}],
        "delivery": delivery,
    }
    backend = Backend(document, overrides=Overrides(rate_limit=0), clock=Clock())
    return backend, TestClient(create_app(backend=backend))


def call(http: TestClient, *actions: dict[str, str]) -> None:
    body = build_query({**DEMO, "lead": {"email": "bob@example.com"}, "actions": list(actions)})
    http.post("/api", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_a_plain_receiver_gets_webhooks_and_ipn_over_http(
    plain: tuple[PlainReceiver, str],
) -> None:
    receiver, base = plain
    backend, http = mock(base)
    call(http, {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"})
    answer = http.post(
        "/_mock/trigger",
        json={"action": "buy_product", "lead": "bob@example.com", "product_id": 12},
    )
    assert answer.status_code == 200, answer.text
    receiver.wait(3)
    assert [h["action"] for h in receiver.hooks] == ["list_subscription", "buy_product"]
    (ipn,) = receiver.ipns
    assert ipn["transaction_type"] == "sale"
    assert ipn["secret_key"] == "k3y"
    assert ipn["product_name"] == "Membership"
    assert ipn["transaction_internal_subscription_id"] != "N/A"
    # The sale is real: the inbound API sees its subscription, and cancelling it calls back.
    call(http, {"cmd": "cancel_transaction", "transaction_id": ipn["transaction_id"]})
    receiver.wait(2)
    assert receiver.hooks[-1]["action"] == "cancel_subscription"
    assert receiver.ipns[-1]["transaction_type"] == "cancellation"
    assert backend.sender.wait_idle()
    journal = http.get("/_mock/deliveries").json()["deliveries"]
    assert [d["status_code"] for d in journal] == [200] * 5
    backend.sender.close()


def test_triggers_of_events_with_no_inbound_command(plain: tuple[PlainReceiver, str]) -> None:
    receiver, base = plain
    backend, http = mock(base)
    for action in ("filled_form", "membership_granted", "kartra_page_visit", "video_play"):
        response = http.post("/_mock/trigger", json={"action": action, "lead": "2"})
        assert response.status_code == 200, response.text
    answer = http.post(
        "/_mock/trigger",
        json={
            "action": "reaches_score",
            "lead": "bob@example.com",
            "details": {"score": {"score": "100"}},
        },
    )
    assert answer.status_code == 200
    receiver.wait(5)
    actions = [h["action"] for h in receiver.hooks]
    assert actions == [
        "filled_form",
        "membership_granted",
        "kartra_page_visit",
        "video_play",
        "reaches_score",
    ]
    assert receiver.hooks[0]["action_details"] == {"form": {"form_id": "", "form_name": ""}}
    assert receiver.hooks[-1]["action_details"] == {"score": {"score": "100"}}
    assert receiver.hooks[-1]["lead"]["email"] == "bob@example.com"
    backend.sender.close()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"action": "no_such_action", "lead": "bob@example.com"}, "unknown action"),
        ({"action": "filled_form", "lead": "nobody@example.com"}, "has no lead"),
        ({"action": "filled_form", "lead": "gone@example.com"}, "has no lead"),
        ({"action": "buy_product", "lead": "2", "product_id": 99}, "no product 99"),
        ({"action": "refund_product", "lead": "2"}, "buy_product first"),
        ({"action": "filled_form", "lead": "2", "details": []}, "details must be"),
    ],
)
def test_a_bad_trigger_is_refused_and_changes_nothing(body: dict[str, Any], message: str) -> None:
    backend, http = mock("http://127.0.0.1:9")
    before = http.get("/_mock/state").json()
    answer = http.post("/_mock/trigger", json=body)
    assert answer.status_code == 422
    assert message in answer.json()["error"]
    assert http.get("/_mock/state").json() == before
    assert backend.sender.records() == []


def test_receiver_errors_are_retried_when_configured(plain: tuple[PlainReceiver, str]) -> None:
    receiver, base = plain
    receiver.failures = 2
    backend, http = mock(base, retries=2, retry_delay_ms=1)
    call(http, {"cmd": "assign_tag", "tag_name": "VIP"})
    receiver.wait(1)
    assert backend.sender.wait_idle()
    journal = http.get("/_mock/deliveries").json()["deliveries"]
    assert [(d["attempt"], d["status_code"]) for d in journal] == [(1, 503), (2, 503), (3, 200)]
    backend.sender.close()


def test_delivery_faults_duplicate_and_reorder(plain: tuple[PlainReceiver, str]) -> None:
    receiver, base = plain
    backend, http = mock(base)
    assert http.post("/_mock/deliveries/faults", json={"kind": "duplicate"}).status_code == 200
    call(http, {"cmd": "assign_tag", "tag_name": "VIP"})
    receiver.wait(2)
    assert [h["action"] for h in receiver.hooks] == ["assign_tag", "assign_tag"]
    assert backend.sender.wait_idle()
    receiver.hooks.clear()
    http.post("/_mock/deliveries/faults", json={"kind": "reorder"})
    call(
        http,
        {"cmd": "unassign_tag", "tag_name": "VIP"},
        {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
    )
    receiver.wait(2)
    assert [h["action"] for h in receiver.hooks] == ["list_subscription", "unassign_tag"]
    bad = http.post("/_mock/deliveries/faults", json={"kind": "explode"})
    assert bad.status_code == 422
    backend.sender.close()


def test_outbound_configuration_round_trips_and_is_validated() -> None:
    backend, http = mock("http://127.0.0.1:9")
    state = http.get("/_mock/state").json()
    assert state["outbound"]["ipn"] == [
        {"url": "http://127.0.0.1:9/kartra/ipn", "secret_key": "k3y", "product_id": 12}
    ]
    assert http.put("/_mock/state", json=state).status_code == 200
    assert http.get("/_mock/state").json() == state
    bad = http.put("/_mock/outbound", json={"webhooks": [{"url": "ftp://x", "events": []}]})
    assert bad.status_code == 422
    assert "http://" in bad.json()["error"]
    bad = http.put("/_mock/outbound", json={"webhooks": [{"url": "http://x", "events": ["x"]}]})
    assert bad.status_code == 422
    assert "unknown action" in bad.json()["error"]
    new = {"webhooks": [{"url": "http://127.0.0.1:1/h", "events": ["assign_tag"]}]}
    assert http.put("/_mock/outbound", json=new).status_code == 200
    assert http.get("/_mock/outbound").json()["webhooks"] == new["webhooks"]
    backend.sender.close()
