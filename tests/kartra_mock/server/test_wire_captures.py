"""The 20 requests that four real Kartra integrations put on the wire, replayed verbatim.

Each must decode to what its client meant and get a well-formed Kartra answer
(docs/behaviour.md#wire). The captures live in tests/data/third-party-clients.jsonl
(docs/behaviour.md#real-clients)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import Api

CAPTURES = [
    json.loads(line)
    for line in (Path(__file__).parents[2] / "data" / "third-party-clients.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]

#: What WP Fusion maps choice fields from: a drop-down's options
#: (docs/behaviour.md#retrieve_custom_fields).
PLAN = {
    "identifier": "plan",
    "type": "drop_down",
    "options": [{"id": 1, "value": "Gold"}, {"id": 2, "value": "Silver"}],
}

#: A world naming what the captures use: their tags, lists, custom fields and calendar.
WORLD: dict[str, Any] = {
    "auth": "open",
    "template": {
        "custom_fields": [{"identifier": "favourite_colour", "type": "input_field"}, PLAN],
        "tags": ["VIP", "Paying Customer", "Signup from App"],
        "lists": ["Newsletter", "App Wait List"],
        "calendars": [{"name": "Coaching", "classes": ["Monday class"]}],
    },
    "accounts": [
        {
            "api_key": "test-api-key",
            "api_password": "test-api-password",
            "custom_fields": [{"identifier": "favourite_colour", "type": "input_field"}, PLAN],
            "tags": ["VIP", "Paying Customer", "Signup from App"],
            "lists": ["Newsletter", "App Wait List"],
            "calendars": [{"name": "Coaching", "classes": ["Monday class"]}],
            "leads": [{"id": 4242, "email": "ada@example.com", "first_name": "Ada"}],
        }
    ],
}


def replay(api: Api, capture: dict[str, Any]) -> Any:
    headers = {k: v for k, v in capture["headers"].items() if k.lower() != "connection"}
    response = api.http.request(
        capture["method"], capture["path"], content=capture["raw_body"].encode(), headers=headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=UTF-8"
    return response.json()


def well_formed(answer: Any) -> None:
    """Kartra's envelope: a status, and either a flat error or string ids and types."""
    assert answer["status"] in ("Success", "Error")
    if answer["status"] == "Error":
        assert set(answer) == {"status", "message", "type"}
        assert answer["type"].isdigit()
    for entry in answer.get("actions", []):
        ((cmd, inner),) = entry.items()
        assert inner["status"] in ("Success", "Error"), cmd


@pytest.fixture
def world_api() -> Api:
    return Api(WORLD)


def test_there_are_twenty_captures_from_four_clients() -> None:
    assert len(CAPTURES) == 20
    assert len({c["client"].split("-")[0] for c in CAPTURES}) >= 3


@pytest.mark.parametrize(
    "capture", CAPTURES, ids=[f"{i}-{c['client']}" for i, c in enumerate(CAPTURES)]
)
def test_every_capture_gets_a_well_formed_answer(world_api: Api, capture: dict[str, Any]) -> None:
    well_formed(replay(world_api, capture))


def test_the_captures_in_order_do_what_their_clients_meant(world_api: Api) -> None:
    answers = [replay(world_api, capture) for capture in CAPTURES]
    # WP Fusion reads account tags, lists and custom fields at the top level.
    assert answers[0]["account_tags"] == ["VIP", "Paying Customer", "Signup from App"]
    assert answers[2]["account_lists"] == ["Newsletter", "App Wait List"]
    assert answers[3]["custom_fields"][0]["field_identifier"] == "favourite_colour"
    # Ada exists already (seeded as lead 4242), so create_lead is Kartra's 244.
    assert answers[4] == {"status": "Error", "message": "Lead already exists", "type": "244"}
    assert answers[5]["lead_details"]["id"] == "4242"
    # Two tags by lead id, then one removed.
    assert [a["assign_tag"]["type"] for a in answers[7]["actions"]] == ["103", "103"]
    assert answers[8]["actions"][0]["unassign_tag"]["type"] == "104"
    # edit_lead with lead[cmd] (ignored), new_email and a custom field.
    assert answers[9]["actions"][0]["edit_lead"]["lead_details"] == {"id": "4242"}
    profile = answers[10]["lead_details"]
    assert profile["email"] == "ada.new@example.com"
    assert profile["first_name"] == "Augusta"
    assert [t["tag_name"] for t in profile["tags"]] == ["Paying Customer"]
    assert profile["custom_fields"][0]["field_value"] == "blue"
    # Advanced Form Integration: JSON bodies, credentials in the query string.
    assert answers[11] == {"status": "Success", "account_lists": ["Newsletter", "App Wait List"]}
    grace = answers[12]["actions"]
    assert grace[0]["create_lead"]["lead_details"]["id"] == "4243"
    assert grace[1]["subscribe_lead_to_list"]["type"] == "101"
    assert answers[13]["account_lists"] == ["Newsletter", "App Wait List"]
    # The same lead again, sent as a one-element list: Kartra's 244.
    assert answers[14]["type"] == "244"
    # Scoby (axios + qs): create + tag, then a list by email.
    assert answers[15]["actions"][1]["assign_tag"]["type"] == "103"
    assert answers[16]["actions"][0]["subscribe_lead_to_list"]["type"] == "101"
    # Scoby books Alan into a class, then cancels; it reads actions[0].calendar_subscribe.
    assert answers[17] == {
        "status": "Success",
        "actions": [
            {
                "calendar_subscribe": {
                    "status": "Success",
                    "message": "Lead subscribed to class",
                    "type": "112",
                }
            }
        ],
    }
    assert answers[18]["actions"][0]["calendar_cancel"] == {
        "status": "Success",
        "message": "Lead unsubscribed from class",
        "type": "113",
    }
    assert answers[19]["lead_details"]["email"] == "alan@example.com"


def test_what_wp_fusion_reads() -> None:
    """account_tags as strings, custom_fields[].field_value options, lead_details.tags[]."""
    api = Api(WORLD)
    answers = [replay(api, capture) for capture in CAPTURES[:11]]
    assert all(isinstance(tag, str) for tag in answers[0]["account_tags"])
    plan = answers[3]["custom_fields"][1]
    assert plan["field_type"] == "drop_down"
    assert plan["field_value"] == [
        {"option_id": "1", "option_value": "Gold"},
        {"option_id": "2", "option_value": "Silver"},
    ]
    assert [tag["tag_name"] for tag in answers[6]["lead_details"]["tags"]] == []
    assert [tag["tag_name"] for tag in answers[10]["lead_details"]["tags"]] == ["Paying Customer"]
    # Every account custom field is in the profile, the empty drop-down too.
    fields = {
        f["field_identifier"]: f["field_value"]
        for f in answers[10]["lead_details"]["custom_fields"]
    }
    assert fields == {"favourite_colour": "blue", "plan": []}


def test_what_scoby_reads_when_the_class_does_not_exist() -> None:
    """Scoby reads {message, type} of actions[0].calendar_subscribe on failure too."""
    document = json.loads(json.dumps(WORLD))
    document["accounts"][0]["calendars"] = [{"name": "Coaching", "classes": ["Friday class"]}]
    api = Api(document)
    for capture in CAPTURES[15:17]:
        replay(api, capture)
    answer = replay(api, CAPTURES[17])
    assert answer["status"] == "Success"
    reply = answer["actions"][0]["calendar_subscribe"]
    assert (reply["message"], reply["type"]) == ("Class does not exist", "258")


def test_captures_decode_to_what_their_clients_meant() -> None:
    api = Api(WORLD)
    backend = api.backend
    for capture in CAPTURES:
        replay(api, capture)
    params: list[Any] = [entry.params for entry in backend.journal()]
    assert params[4]["lead"] == {
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "custom_fields": {"0": {"field_identifier": "favourite_colour", "field_value": "green"}},
        "ip": "203.0.113.7",
    }
    assert params[7]["actions"] == {
        "0": {"cmd": "assign_tag", "tag_name": "VIP"},
        "1": {"cmd": "assign_tag", "tag_name": "Paying Customer"},
    }
    assert params[14]["lead"]["email"] == "grace@example.com"  # the one-element list, unwrapped
    assert params[15]["actions"]["1"]["tag_name"] == "Signup from App"  # %20 is a space
    assert params[13]["app_id"] == "afi-app-id"  # from the query string
    assert params[13]["api_password"] == "[redacted]"
    rules = [[w.rule for w in entry.warnings] for entry in backend.journal()]
    assert "wire.json-body" in rules[11]
    assert "wire.query-string" in rules[11]
    assert "wire.lead-as-list" in rules[14]
    assert "lead.unknown-field" in rules[9]  # lead[cmd]
    assert rules[0] == []
