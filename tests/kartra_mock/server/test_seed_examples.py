"""Every example of Kartra's own page (docs/behaviour.md#leads) works verbatim, byte for byte."""

from __future__ import annotations

import json

from tests.helpers import Api

# Kartra's create_lead example, as its PHP array reads.
SEED_CREATE = {
    "lead": {
        "email": "John@kartra.com",
        "first_name": "John",
        "last_name": "Smith",
        "custom_fields": {
            "0": {"field_identifier": "text1", "field_value": "text message"},
            "1": {"field_identifier": "dropdown1", "field_value": "612"},
            "2": {"field_identifier": "checkbox1", "field_value": [620]},
        },
    },
    "actions": {"0": {"cmd": "create_lead"}},
}
SEED_EDIT = {
    "lead": {
        "email": "john@kartra.com",
        "first_name": "John",
        "last_name": "Smith",
        "new_email": "john@email.com",
        "custom_fields": {
            "0": {"field_identifier": "text1", "field_value": "text message"},
            "1": {"field_identifier": "dropdown1", "field_value": "612"},
            "2": {"field_identifier": "checkbox1", "field_value": [620]},
        },
    },
    "actions": {"0": {"cmd": "edit_lead"}},
}
SEED_SEARCH = {"lead": {"email": "test@kartra.com"}, "actions": {"0": {"cmd": "search_lead"}}}


def test_create_lead_example_answers_the_documented_bytes(api: Api) -> None:
    status, content_type, body = api.post(SEED_CREATE)
    assert status == 200
    assert content_type == "text/html; charset=UTF-8"  # observed on the real API
    assert body == (
        b'{"status":"Success","actions":[{"create_lead":'
        b'{"status":"Success","lead_details":{"id":"1"}}}]}'
    )


def test_create_lead_example_stores_every_custom_field(api: Api) -> None:
    api.call(SEED_CREATE)
    lead = api.state()["accounts"][0]["leads"][0]
    assert lead["email"] == "John@kartra.com"
    assert lead["first_name"] == "John"
    assert lead["custom_fields"] == {"text1": "text message", "dropdown1": 612, "checkbox1": [620]}


def test_create_lead_twice_is_the_documented_244(api: Api) -> None:
    api.call(SEED_CREATE)
    _, _, body = api.post(SEED_CREATE)
    assert body == b'{"status":"Error","message":"Lead already exists","type":"244"}'


def test_edit_lead_example_finds_the_lead_case_insensitively_and_changes_its_email(
    api: Api,
) -> None:
    api.call(SEED_CREATE)
    _, _, body = api.post(SEED_EDIT)
    assert body == (
        b'{"status":"Success","actions":[{"edit_lead":'
        b'{"status":"Success","lead_details":{"id":"1"}}}]}'
    )
    assert api.get_lead(id="1")["email"] == "john@email.com"


def test_search_lead_example_before_and_after_the_lead_exists(api: Api) -> None:
    _, _, missing = api.post(SEED_SEARCH)
    assert missing == b'{"status":"Error","message":"No lead found","type":"243"}'
    lead_id = api.create("test@kartra.com")
    _, _, found = api.post(SEED_SEARCH)
    assert json.loads(found) == {
        "status": "Success",
        "message": "Lead found",
        "lead_details": {"id": lead_id},
    }
    assert found == b'{"status":"Success","message":"Lead found","lead_details":{"id":"1"}}'


def test_kartras_chain_example_runs_each_action_in_order(api: Api) -> None:
    answer = api.call(
        {
            "lead": {"email": "chain@example.com"},
            "actions": [
                {"cmd": "create_lead"},
                {"cmd": "assign_tag", "tag_name": "Customer"},
                {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
            ],
        }
    )
    assert answer == {
        "status": "Success",
        "actions": [
            {"create_lead": {"status": "Success", "lead_details": {"id": "1"}}},
            {"assign_tag": {"status": "Success", "message": "Tag added to lead", "type": "103"}},
            {
                "subscribe_lead_to_list": {
                    "status": "Success",
                    "message": "Lead subscribed to list",
                    "type": "101",
                }
            },
        ],
    }
    profile = api.get_lead(email="chain@example.com")
    assert [t["tag_name"] for t in profile["tags"]] == ["Customer"]
    assert [(entry["list_name"], entry["active"]) for entry in profile["lists"]] == [
        ("Newsletter", "1")
    ]
