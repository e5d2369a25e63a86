"""Account custom fields: create_custom_field and retrieve_custom_fields
(docs/behaviour.md#create_custom_field)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api
from tests.kartra_mock.server.worlds import entry, error

CREATED = {"status": "Success", "message": "Custom Field created", "type": "114"}
TWO = {"0": {"option_name": "blue"}, "1": {"option_name": "brown"}}


def create(identifier: str = "colour", kind: str = "drop_down", options: Any = TWO) -> Any:
    action: dict[str, Any] = {
        "cmd": "create_custom_field",
        "custom_field_identifier": identifier,
        "custom_field_type": kind,
    }
    if options is not None:
        action["custom_field_options"] = options
    return action


CASES: list[Any] = [
    pytest.param(create(), CREATED, id="drop_down"),
    pytest.param(create("plain", "input_field", None), CREATED, id="input_field"),
    pytest.param(create("long-text_2", "text_area", None), CREATED, id="text_area"),
    pytest.param(create("yes_no", "radio_button"), CREATED, id="radio_button"),
    pytest.param(create("fruits", "checkbox"), CREATED, id="checkbox"),
    pytest.param(create(""), error("265"), id="265-empty"),
    pytest.param({"cmd": "create_custom_field"}, error("265"), id="265-missing"),
    pytest.param(create("Custom field name"), error("263"), id="263-spaces-as-in-the-docs"),
    pytest.param(create("colour!"), error("263"), id="263-punctuation"),
    pytest.param(create("text1"), error("264"), id="264-exists"),
    pytest.param(create("TEXT1"), error("264"), id="264-exists-other-case"),
    pytest.param(create("first_name"), error("264"), id="264-a-lead-field"),
    pytest.param(create(kind="slider"), error("269"), id="269"),
    pytest.param(create(kind=""), error("269"), id="269-empty"),
    pytest.param(create(options=None), error("270"), id="270-missing"),
    pytest.param(create(options="blue,brown"), error("270"), id="270-scalar"),
    pytest.param(create(options={"0": {"option_name": ""}, "1": {}}), error("272"), id="272"),
    pytest.param(create(options={"0": "blue", "1": "brown"}), error("272"), id="272-no-key"),
    pytest.param(create(options={"0": {"option_name": "blue"}}), error("273"), id="273"),
]


@pytest.mark.parametrize(("action", "expected"), CASES)
def test_create_codes_and_messages(api: Api, action: Any, expected: dict[str, str]) -> None:
    before = api.state()
    answer = api.call({"actions": [action]})
    # Not an account retrieval: a chain of one, reported in actions[0] (docs/behaviour.md#chains).
    assert answer == {"status": "Success", "actions": [{"create_custom_field": expected}]}
    if expected["status"] == "Error":
        assert api.state() == before


def retrieved(api: Api) -> list[dict[str, Any]]:
    answer = api.call({"actions": [{"cmd": "retrieve_custom_fields"}]})
    assert set(answer) == {"status", "custom_fields"}
    return list(answer["custom_fields"])


def test_a_created_field_is_retrieved_with_fresh_ids(api: Api) -> None:
    api.call({"actions": [create("colour", "checkbox")]})
    api.call({"actions": [create("age", "input_field", None)]})
    fields = retrieved(api)
    assert [f["field_identifier"] for f in fields] == [
        "text1",
        "dropdown1",
        "checkbox1",
        "colour",
        "age",
    ]
    colour, age = fields[3], fields[4]
    assert colour == {
        "field_id": "4",
        "field_identifier": "colour",
        "field_type": "checkbox",
        "field_value": [
            {"option_id": "622", "option_value": "blue"},
            {"option_id": "623", "option_value": "brown"},
        ],
    }
    assert age == {"field_id": "5", "field_identifier": "age", "field_type": "input_field"}


def test_a_created_field_takes_values_and_shows_in_get_lead(api: Api) -> None:
    api.call({"actions": [create("colour", "radio_button")]})
    option = retrieved(api)[3]["field_value"][1]["option_id"]
    api.create(
        "a@example.com",
        custom_fields={"0": {"field_identifier": "colour", "field_value": option}},
    )
    values = {f["field_identifier"]: f for f in api.get_lead(id="1")["custom_fields"]}
    assert values["colour"]["field_value"] == [{"option_id": option, "option_value": "brown"}]
    assert values["colour"]["field_type"] == "radio_button"


def test_options_sent_for_a_text_field_are_ignored_and_warned_about(api: Api) -> None:
    answer = api.call({"actions": [create("plain", "input_field", TWO)]})
    assert answer["actions"][0]["create_custom_field"] == CREATED
    assert api.warnings() == ["request.unknown-parameter"]
    assert "field_value" not in retrieved(api)[3]


def test_options_sent_as_a_json_list_are_read(api: Api) -> None:
    body = {
        "app_id": "demo-app",
        "api_key": "demo-key",
        "api_password": "demo-password",
        "actions": [
            {
                "cmd": "create_custom_field",
                "custom_field_identifier": "size",
                "custom_field_type": "drop_down",
                "custom_field_options": [{"option_name": "S"}, {"option_name": "M"}],
            }
        ],
    }
    answer = api.http.post("/api", json=body).json()
    assert entry(answer) == CREATED
    assert [o["option_value"] for o in retrieved(api)[3]["field_value"]] == ["S", "M"]


def test_created_fields_survive_a_state_round_trip(api: Api) -> None:
    api.call({"actions": [create()]})
    snapshot = api.state()
    copy = Api()
    assert copy.http.put("/_mock/state", json=snapshot).status_code == 200
    assert copy.state() == snapshot
    assert [f["field_identifier"] for f in retrieved(copy)][-1] == "colour"
