"""Every documented webhook action and IPN type reaches a receiver, over HTTP and in-process.

Each comes from what makes it happen: an ``/api`` call where Kartra's inbound API can cause it,
a trigger (``POST /_mock/trigger``) otherwise; the delivery journal shows every one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from kartra_mock.engine.backend import Backend, Overrides
from kartra_mock.outbound.receiver import Receiver
from kartra_mock.protocol.outbound import WEBHOOK_ACTIONS
from kartra_mock.server.app import create_app
from kartra_mock.server.threaded import ThreadedServer
from kartra_mock.testing import KartraMock
from tests.kartra_mock.server.worlds import world

#: What the inbound API causes (the rest is triggered).
INBOUND = {
    "assign_tag",
    "unassign_tag",
    "list_subscription",
    "list_unsubscription",
    "sequence_subscription",
    "sequence_unsubscription",
    "calendar_subscribe",
    "calendar_cancel",
    "refund_product",
    "partial_refund_product",
    "cancel_subscription",
}
IPN_TYPES = {"sale", "refund", "partial_refund", "cancellation"}


@contextmanager
def over_http() -> Iterator[tuple[KartraMock, Receiver]]:
    """The mock and the receiver each on a real socket."""
    backend = Backend(world(), overrides=Overrides(rate_limit=0))
    with Receiver.serve() as receiver, ThreadedServer(create_app(backend=backend)) as server:
        mock = KartraMock.remote(server.url)
        yield mock, receiver
        mock.close()
    backend.sender.close()


@contextmanager
def in_process() -> Iterator[tuple[KartraMock, Receiver]]:
    """The mock in-process, delivering straight into the receiver's ASGI app."""
    receiver = Receiver()
    receiver.url = "http://shop.test"  # any host: the path is called in the app
    mock = KartraMock.in_process(world(), deliver_to=receiver.app, rate_limit=0)
    yield mock, receiver
    mock.close()


def chain(mock: KartraMock, *actions: dict[str, str]) -> None:
    with mock.client() as kartra:
        answer: dict[str, Any] = kartra.call(
            {"lead": {"email": "ada@example.com"}, "actions": list(actions)}
        )
    statuses = [next(iter(entry.values()))["status"] for entry in answer["actions"]]
    assert statuses == ["Success"] * len(actions), answer


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param(over_http, id="http", marks=pytest.mark.socket),
        pytest.param(in_process, id="in-process"),
    ],
)
def test_every_documented_event_reaches_the_receiver(transport: Any) -> None:
    with transport() as (mock, receiver):
        mock.set_outbound(
            {
                "webhooks": [{"url": receiver.url + "/kartra/webhook"}],
                "ipn": [{"url": receiver.url + "/kartra/ipn", "secret_key": "s3cret"}],
            }
        )
        chain(
            mock,
            {"cmd": "assign_tag", "tag_name": "VIP"},
            {"cmd": "unassign_tag", "tag_name": "VIP"},
            {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
            {"cmd": "unsubscribe_lead_from_list", "list_name": "Newsletter"},
            {"cmd": "subscribe_lead_to_sequence_at_step", "sequence_name": "Welcome", "step": "1"},
            {"cmd": "unsubscribe_lead_from_sequence", "sequence_name": "Welcome"},
            {
                "cmd": "calendar_subscribe",
                "calendar_name": "Coaching",
                "class_name": "Monday class",
                "starting_date": "16 Jan 2099",
                "starting_hour": "15:00",
            },
            {"cmd": "calendar_cancel", "calendar_name": "Coaching", "class_name": "Monday class"},
            {"cmd": "cancel_transaction", "transaction_id": "9003"},
        )
        # Two sales (today: within the refund period), one refunded whole, one in part.
        mock.trigger("buy_product", "ada@example.com")
        mock.trigger("buy_product", "ada@example.com")
        whole, part = (
            str(
                receiver.wait_for("buy_product", count=n).json["action_details"]["product"][
                    "transaction_id"
                ]
            )
            for n in (1, 2)
        )
        chain(
            mock,
            {"cmd": "refund_transaction", "transaction_id": whole},
            {"cmd": "refund_transaction", "transaction_id": part, "refund_amount": "10.00"},
        )
        triggered = [a for a in WEBHOOK_ACTIONS if a not in INBOUND and a != "buy_product"]
        for action in triggered:
            mock.trigger(action, "ada@example.com")

        want_hooks = sorted([*WEBHOOK_ACTIONS, "buy_product"])
        want_ipns = sorted([*IPN_TYPES, "sale"])
        expected = len(want_hooks) + len(want_ipns)
        journal = mock.wait_for_deliveries(expected)
        receiver.wait_for(None, count=expected)
        hooks = [r.json["action"] for r in receiver.received if r.path == "/kartra/webhook"]
        ipns = [r.form["transaction_type"] for r in receiver.received if r.path == "/kartra/ipn"]
        assert sorted(hooks) == want_hooks
        assert sorted(ipns) == want_ipns
        assert sorted(d["event"] for d in journal) == sorted([*want_hooks, *want_ipns])
        assert {d["status_code"] for d in journal} == {200}
        assert all(d["attempt"] == 1 and d["error"] == "" for d in journal)
