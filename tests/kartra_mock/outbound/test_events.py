"""Marks and changes: a call watches only the leads it names (and those it creates).

Watching every lead of the account made each /api call cost O(leads) once outbound was
configured (about 60 ms per call at 10,000 leads); the figures are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
from typing import Any

from kartra_mock.engine.backend import ApiRequest, Backend, Overrides, _named_leads
from kartra_mock.outbound.delivery import Sender, app_poster
from kartra_mock.outbound.events import changes, mark, remark
from kartra_mock.outbound.receiver import Receiver
from tests.helpers import DEMO
from tests.kartra_mock.server.worlds import world


def test_a_mark_of_named_leads_holds_only_those() -> None:
    backend = Backend(world())
    account = backend._world.accounts["demo-key"]
    assert set(mark(account).leads) == {1, 2, 3}
    only = mark(account, [2])
    assert set(only.leads) == {2}
    assert only.watched == frozenset({2})
    assert only.lead_count == 3


def test_changes_see_the_named_lead_and_new_leads_not_the_others() -> None:
    backend = Backend(world())
    account = backend._world.accounts["demo-key"]
    before = mark(account, [1])
    account.leads[1].tags["VIP"] = None
    account.leads[2].tags["VIP"] = None  # not named: a call could not have done this
    events, transactions = changes(before, account)
    assert [(e.lead_id, e.action) for e in events] == [(1, "assign_tag")]
    assert transactions == []
    again = remark(before, account)
    assert changes(again, account) == ([], [])


def test_a_chain_that_creates_a_lead_emits_its_events() -> None:
    document = world()
    document["outbound"] = {"webhooks": [{"url": "http://shop.test/hook"}]}
    receiver = Receiver()
    backend = Backend(
        document, overrides=Overrides(rate_limit=0), sender=Sender(app_poster(receiver.app))
    )
    params = {
        **DEMO,
        "lead": {"email": "new@example.com"},
        "actions": {
            "0": {"cmd": "create_lead"},
            "1": {"cmd": "assign_tag", "tag_name": "VIP"},
            "2": {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
        },
    }
    backend.handle(ApiRequest(params))  # type: ignore[arg-type]
    assert backend.sender.wait_idle()
    bodies: list[Any] = [json.loads(r.body) for r in receiver.received]
    got = [(body["action"], body["lead"]["email"]) for body in bodies]
    backend.sender.close()
    assert got == [("assign_tag", "new@example.com"), ("list_subscription", "new@example.com")]


def test_a_lead_named_by_id_and_another_by_email_are_both_watched() -> None:
    backend = Backend(world())
    account = backend._world.accounts["demo-key"]
    params = {**DEMO, "lead": {"id": "2", "email": "ada@example.com"}}
    assert sorted(_named_leads(account, params)) == [1, 2]  # type: ignore[arg-type]
