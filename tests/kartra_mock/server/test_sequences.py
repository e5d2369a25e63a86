"""Sequences: subscribe_lead_to_sequence_at_step / unsubscribe_lead_from_sequence
(docs/behaviour.md#commands)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.kartra_mock.server.worlds import entry, error, seeded

ADA = {"email": "ada@example.com"}
SUBSCRIBE = "subscribe_lead_to_sequence_at_step"
UNSUBSCRIBE = "unsubscribe_lead_from_sequence"


def at(name: str = "", step: str = "") -> dict[str, str]:
    return {"cmd": SUBSCRIBE, "sequence_name": name, "step": step}


CASES: list[Any] = [
    pytest.param(
        at("Welcome", "2"),
        {"status": "Success", "message": "Lead added to sequence", "type": "107"},
        id="subscribe",
    ),
    pytest.param(at("Onboarding", "a2"), {"status": "Success"}, id="letters-in-a-step"),
    pytest.param(at("", "1"), error("226"), id="226-no-sequence"),
    pytest.param({"cmd": SUBSCRIBE}, error("226"), id="226-nothing"),
    pytest.param(at("Welcome", ""), error("225"), id="225-no-step"),
    pytest.param(at("Nope", "1"), error("219"), id="219-unknown-sequence"),
    pytest.param(at("Nope", "1.5"), error("219"), id="219-before-229"),
    pytest.param(at("Welcome", "1.5"), error("229"), id="229-not-alphanumeric"),
    pytest.param(at("Welcome", "box 1"), error("229"), id="229-space"),
    pytest.param(at("Welcome", "9"), error("230"), id="230-unknown-step"),
    pytest.param(
        {"cmd": UNSUBSCRIBE, "sequence_name": "Welcome"},
        {"status": "Success", "message": "Lead removed from sequence"},
        id="unsubscribe",
    ),
    pytest.param({"cmd": UNSUBSCRIBE}, error("226"), id="unsubscribe-226"),
    pytest.param({"cmd": UNSUBSCRIBE, "sequence_name": "Nope"}, error("220"), id="220"),
]


@pytest.mark.parametrize(("action", "expected"), CASES)
def test_codes_and_messages(action: dict[str, str], expected: dict[str, str]) -> None:
    api = seeded()
    before = api.state()
    inner = entry(api.call({"lead": ADA, "actions": [action]}))
    assert inner.items() >= expected.items()
    if expected["status"] == "Error":
        assert inner == expected
        assert api.state() == before


def test_the_profile_shows_the_step_and_keeps_an_unsubscribed_sequence() -> None:
    api = seeded()
    api.call({"lead": ADA, "actions": [at("Welcome", "1"), at("Onboarding", "a2")]})
    api.call({"lead": ADA, "actions": [at("Welcome", "3")]})  # moves the lead to step 3
    sequences = api.get_lead(id="1")["sequences"]
    assert sequences == [
        {"sequence_id": "1", "sequence_name": "Welcome", "step": "3", "status": "active"},
        {"sequence_id": "2", "sequence_name": "Onboarding", "step": "a2", "status": "active"},
    ]
    api.call({"lead": ADA, "actions": [{"cmd": UNSUBSCRIBE, "sequence_name": "Welcome"}]})
    welcome = api.get_lead(id="1")["sequences"][0]
    assert (welcome["step"], welcome["status"]) == ("3", "unsubscribed")
    api.call({"lead": ADA, "actions": [at("Welcome", "1")]})
    assert api.get_lead(id="1")["sequences"][0]["status"] == "active"


def test_unsubscribing_from_a_sequence_the_lead_is_not_in_changes_nothing() -> None:
    api = seeded()
    answer = api.call({"lead": ADA, "actions": [{"cmd": UNSUBSCRIBE, "sequence_name": "Welcome"}]})
    assert entry(answer)["status"] == "Success"
    assert api.get_lead(id="1")["sequences"] == []


def test_sequences_round_trip_through_the_state_document() -> None:
    api = seeded()
    api.call({"lead": ADA, "actions": [at("Welcome", "2")]})
    api.call({"lead": ADA, "actions": [{"cmd": UNSUBSCRIBE, "sequence_name": "Welcome"}]})
    snapshot = api.state()
    assert snapshot["accounts"][0]["leads"][0]["sequences"] == {
        "Welcome": {"step": "2", "active": False}
    }
    copy = seeded()
    assert copy.http.put("/_mock/state", json=snapshot).status_code == 200
    assert copy.state() == snapshot


def test_retrieve_account_sequences_lists_the_names() -> None:
    answer = seeded().call({"actions": [{"cmd": "retrieve_account_sequences"}]})
    assert answer == {"status": "Success", "account_sequences": ["Welcome", "Onboarding"]}
