"""Lead commands (docs/behaviour.md#leads): identity, errors, field validation, nothing changed on
error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api

CREATE = [{"cmd": "create_lead"}]
EDIT = [{"cmd": "edit_lead"}]
SEARCH = [{"cmd": "search_lead"}]


def error(code: str, message: str) -> dict[str, str]:
    return {"status": "Error", "message": message, "type": code}


def custom(identifier: str, value: object) -> dict[str, Any]:
    return {"0": {"field_identifier": identifier, "field_value": value}}


def test_ids_are_increasing_per_account(api: Api) -> None:
    assert [api.create(f"u{i}@example.com") for i in range(3)] == ["1", "2", "3"]


def test_create_requires_an_email_even_with_an_id(api: Api) -> None:
    answer = api.call({"lead": {"id": "5", "first_name": "A"}, "actions": CREATE})
    assert answer == error("206", "email or lead id is required. Nothing done")


def test_create_with_an_existing_id_is_244(api: Api) -> None:
    api.create("a@example.com")
    answer = api.call({"lead": {"id": "1", "email": "b@example.com"}, "actions": CREATE})
    assert answer == error("244", "Lead already exists")


def test_create_on_a_deleted_leads_email_is_244(api: Api) -> None:
    api.create("gone@example.com")
    assert api.backend.delete_lead("demo-key", 1)
    answer = api.call({"lead": {"email": "GONE@example.com"}, "actions": CREATE})
    assert answer == error("244", "Lead already exists")


def test_id_wins_over_email(api: Api) -> None:
    api.create("first@example.com")
    api.create("second@example.com")
    answer = api.call({"lead": {"id": "2", "email": "first@example.com"}, "actions": SEARCH})
    assert answer["lead_details"] == {"id": "2"}
    missing = api.call({"lead": {"id": "99", "email": "first@example.com"}, "actions": SEARCH})
    assert missing == error("243", "No lead found")


def test_email_identity_is_case_insensitive_and_keeps_the_first_spelling(api: Api) -> None:
    api.create("Mixed.Case@Example.com")
    answer = api.call({"lead": {"email": "mixed.case@example.COM"}, "actions": SEARCH})
    assert answer["lead_details"] == {"id": "1"}
    assert api.get_lead(id="1")["email"] == "Mixed.Case@Example.com"


@pytest.mark.parametrize("actions", [EDIT, SEARCH, [{"cmd": "assign_tag", "tag_name": "Customer"}]])
def test_unknown_lead_is_243_and_deleted_lead_is_245(api: Api, actions: object) -> None:
    assert api.call({"lead": {"email": "x@example.com"}, "actions": actions}) == error(
        "243", "No lead found"
    )
    api.create("x@example.com")
    api.backend.delete_lead("demo-key", 1)
    assert api.call({"lead": {"email": "x@example.com"}, "actions": actions}) == error(
        "245", "Lead is deleted"
    )


@pytest.mark.parametrize("actions", [EDIT, SEARCH, [{"cmd": "assign_tag", "tag_name": "Customer"}]])
def test_a_lead_call_without_id_or_email_is_206(api: Api, actions: object) -> None:
    answer = api.call({"lead": {"first_name": "Nobody"}, "actions": actions})
    assert answer == error("206", "email or lead id is required. Nothing done")
    assert api.call({"actions": actions})["type"] == "206"


def test_new_email_taken_by_another_lead_is_244_and_changes_nothing(api: Api) -> None:
    api.create("a@example.com", first_name="A")
    api.create("b@example.com")
    before = api.state()
    answer = api.call(
        {
            "lead": {"id": "1", "first_name": "Changed", "new_email": "B@example.com"},
            "actions": EDIT,
        }
    )
    assert answer == error("244", "Lead already exists")
    assert api.state() == before


def test_new_email_of_a_deleted_lead_is_244(api: Api) -> None:
    api.create("a@example.com")
    api.create("b@example.com")
    api.backend.delete_lead("demo-key", 2)
    answer = api.call({"lead": {"id": "1", "new_email": "b@example.com"}, "actions": EDIT})
    assert answer["type"] == "244"


def test_new_email_may_change_the_spelling_of_the_leads_own_address(api: Api) -> None:
    api.create("a@example.com")
    answer = api.call(
        {"lead": {"email": "a@example.com", "new_email": "A@EXAMPLE.com"}, "actions": EDIT}
    )
    assert answer["status"] == "Success"
    assert api.get_lead(id="1")["email"] == "A@EXAMPLE.com"


def test_the_old_email_no_longer_finds_the_lead_after_new_email(api: Api) -> None:
    api.create("old@example.com")
    api.call(
        {"lead": {"email": "old@example.com", "new_email": "new@example.com"}, "actions": EDIT}
    )
    assert api.call({"lead": {"email": "old@example.com"}, "actions": SEARCH})["type"] == "243"
    assert (
        api.call({"lead": {"email": "new@example.com"}, "actions": SEARCH})["status"] == "Success"
    )
    assert api.create("old@example.com") == "2"


def test_edit_changes_only_the_fields_sent_and_empty_string_clears(api: Api) -> None:
    api.create("a@example.com", first_name="Ada", last_name="Lovelace", city="London")
    api.call({"lead": {"id": "1", "first_name": "Augusta", "city": ""}, "actions": EDIT})
    profile = api.get_lead(id="1")
    assert (profile["first_name"], profile["last_name"], profile["city"]) == (
        "Augusta",
        "Lovelace",
        "",
    )
    assert "city" not in api.state()["accounts"][0]["leads"][0]


def test_email_on_edit_only_identifies(api: Api) -> None:
    api.create("a@example.com")
    api.call({"lead": {"id": "1", "email": "other@example.com"}, "actions": EDIT})
    assert "lead.email-only-identifies" in api.warnings()
    assert api.get_lead(id="1")["email"] == "a@example.com"


@pytest.mark.parametrize(
    ("identifier", "value", "stored"),
    [
        ("text1", "hello", "hello"),
        ("dropdown1", "613", 613),
        ("checkbox1", ["620", "621"], [620, 621]),
        ("checkbox1", ["621", "621"], [621]),
    ],
)
def test_custom_field_values_by_type(
    api: Api, identifier: str, value: object, stored: object
) -> None:
    api.create("a@example.com", custom_fields=custom(identifier, value))
    assert api.state()["accounts"][0]["leads"][0]["custom_fields"] == {identifier: stored}


@pytest.mark.parametrize(
    "custom_fields",
    [
        "not-an-array",
        {"0": "not-a-map"},
        {"0": {"field_identifier": "text1"}},
        {"0": {"field_value": "x"}},
        custom("text1", ["an", "array"]),
        custom("dropdown1", ["612"]),
        custom("dropdown1", "999"),
        custom("dropdown1", "Red"),
        custom("checkbox1", "620"),
        custom("checkbox1", ["620", "999"]),
    ],
)
def test_wrong_custom_field_format_is_271_and_changes_nothing(
    api: Api, custom_fields: object
) -> None:
    api.create("a@example.com", first_name="Ada")
    before = api.state()
    for actions, lead in [
        (CREATE, {"email": "b@example.com"}),
        (EDIT, {"id": "1", "first_name": "Changed"}),
    ]:
        answer = api.call({"lead": {**lead, "custom_fields": custom_fields}, "actions": actions})
        assert answer == error("271", "Wrong custom field format")
    assert api.state() == before


def test_unknown_custom_field_identifier_is_ignored_with_a_warning(api: Api) -> None:
    fields = {
        "0": {"field_identifier": "nope", "field_value": "x"},
        "1": {"field_identifier": "text1", "field_value": "kept"},
    }
    api.create("a@example.com", custom_fields=fields)
    assert api.state()["accounts"][0]["leads"][0]["custom_fields"] == {"text1": "kept"}
    assert "lead.unknown-custom-field" in api.warnings()


def test_empty_custom_field_value_clears_it(api: Api) -> None:
    api.create(
        "a@example.com",
        custom_fields={
            "0": {"field_identifier": "text1", "field_value": "x"},
            "1": {"field_identifier": "checkbox1", "field_value": ["620"]},
            "2": {"field_identifier": "dropdown1", "field_value": "612"},
        },
    )
    api.call(
        {
            "lead": {
                "id": "1",
                "custom_fields": {
                    "0": {"field_identifier": "text1", "field_value": ""},
                    "1": {"field_identifier": "checkbox1", "field_value": ""},
                },
            },
            "actions": EDIT,
        }
    )
    assert api.state()["accounts"][0]["leads"][0]["custom_fields"] == {"dropdown1": 612}
    fields = {
        f["field_identifier"]: f["field_value"] for f in api.get_lead(id="1")["custom_fields"]
    }
    assert fields == {
        "text1": "",
        "checkbox1": [],
        "dropdown1": [{"option_id": "612", "option_value": "Red"}],
    }


@pytest.mark.parametrize(
    ("field", "value", "stored", "rule"),
    [
        ("lead_preferred_time_zone", "Europe/London", "Europe/London", None),
        ("lead_preferred_time_zone", "Mars/Olympus", None, "lead.invalid-time-zone"),
        ("lead_preferred_time_zone", "Europe/Paris", None, "lead.invalid-time-zone"),
        ("business_type", "2", "2", None),
        ("business_type", "company", None, "lead.business-type-not-a-number"),
    ],
)
def test_time_zone_and_business_type_are_validated(
    api: Api, field: str, value: str, stored: str | None, rule: str | None
) -> None:
    api.create("a@example.com", **{field: value})
    lead = api.state()["accounts"][0]["leads"][0]
    assert lead.get(field) == stored
    assert (rule in api.warnings()) if rule else not api.warnings()


def test_unknown_lead_keys_are_ignored_with_a_warning(api: Api) -> None:
    api.create("a@example.com", cmd="create_lead", favourite="blue", first_name="A")
    lead = api.state()["accounts"][0]["leads"][0]
    assert "favourite" not in lead
    assert "cmd" not in lead
    assert lead["first_name"] == "A"
    assert api.warnings().count("lead.unknown-field") == 2


def test_every_documented_field_is_stored(api: Api) -> None:
    from kartra_mock.protocol.facts import PROFILE_FIELDS

    values = {name: f"v-{name}" for name in PROFILE_FIELDS}
    values["lead_preferred_time_zone"] = "Asia/Tokyo"
    values["business_type"] = "1"
    api.create("a@example.com", **values)
    profile = api.get_lead(email="a@example.com")
    assert {name: profile[name] for name in PROFILE_FIELDS} == values
    assert not api.warnings() or api.warnings() == []


def test_search_lead_followed_by_actions_keeps_the_flat_shape_and_adds_actions(api: Api) -> None:
    api.create("a@example.com")
    answer = api.call(
        {
            "lead": {"email": "a@example.com"},
            "actions": [{"cmd": "search_lead"}, {"cmd": "assign_tag", "tag_name": "Customer"}],
        }
    )
    assert answer == {
        "status": "Success",
        "message": "Lead found",
        "lead_details": {"id": "1"},
        "actions": [
            {
                "search_lead": {
                    "status": "Success",
                    "message": "Lead found",
                    "lead_details": {"id": "1"},
                }
            },
            {"assign_tag": {"status": "Success", "message": "Tag added to lead", "type": "103"}},
        ],
    }
