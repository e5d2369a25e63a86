"""The strict reader of Kartra's answers: the documented envelopes pass, near misses do not."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contracts.envelopes import EnvelopeViolation, read_call, read_get_lead
from contracts.outcomes import ActionOutcome, Outcome
from contracts.schema import PROFILE_FIELDS, AccountSchema, CustomFieldSpec

CREATED: dict[str, Any] = {
    "status": "Success",
    "actions": [{"create_lead": {"status": "Success", "lead_details": {"id": "1234"}}}],
}
FOUND: dict[str, Any] = {
    "status": "Success",
    "message": "Lead found",
    "lead_details": {"id": "39260"},
}
DUPLICATE = {"status": "Error", "message": "Lead already exists", "type": "244"}
SCHEMA = AccountSchema(
    custom_fields=(
        CustomFieldSpec("text1", "input_field"),
        CustomFieldSpec("checkbox1", "checkbox", ("620",)),
    )
)


def test_the_seeds_envelopes_read_as_outcomes() -> None:
    assert read_call(CREATED, ["create_lead"]) == Outcome(
        lead_id="1234", actions=(ActionOutcome("create_lead"),)
    )
    assert read_call(FOUND, ["search_lead"]).lead_id == "39260"
    assert read_call(DUPLICATE, ["create_lead"]) == Outcome.failed("244")


def test_a_chain_reads_one_entry_per_action_with_its_own_status() -> None:
    answer = {
        "status": "Success",
        "actions": [
            {"create_lead": {"status": "Success", "lead_details": {"id": "7"}}},
            {"assign_tag": {"status": "Error", "message": "Tag does not exist", "type": "212"}},
            {
                "subscribe_lead_to_list": {
                    "status": "Success",
                    "message": "Lead subscribed to list",
                    "type": "101",
                }
            },
        ],
    }
    outcome = read_call(answer, ["create_lead", "assign_tag", "subscribe_lead_to_list"])
    assert outcome.actions == (
        ActionOutcome("create_lead"),
        ActionOutcome("assign_tag", "212"),
        ActionOutcome("subscribe_lead_to_list", None, "101"),
    )


def test_search_lead_with_more_actions_answers_flat_and_with_actions() -> None:
    answer = {
        **FOUND,
        "actions": [
            {
                "search_lead": {
                    "status": "Success",
                    "message": "Lead found",
                    "lead_details": {"id": "39260"},
                }
            },
            {"assign_tag": {"status": "Success", "message": "Tag added to lead", "type": "103"}},
        ],
    }
    assert read_call(answer, ["search_lead", "assign_tag"]).lead_id == "39260"


def _edited(path: str, value: object) -> dict[str, Any]:
    answer = copy.deepcopy(CREATED)
    inner = answer["actions"][0]["create_lead"]
    if path == "id":
        inner["lead_details"]["id"] = value
    elif path == "extra":
        inner["message"] = value
    else:
        answer[path] = value
    return answer


@pytest.mark.parametrize(
    ("answer", "cmd", "reason"),
    [
        (_edited("id", 1234), "create_lead", "expected a number as a JSON string"),
        (_edited("extra", "Lead created"), "create_lead", "expected exactly"),
        (_edited("lead_details", {"id": "1"}), "create_lead", "expected exactly"),
        ({**DUPLICATE, "type": 244}, "create_lead", "expected a JSON string"),
        ({**DUPLICATE, "message": "lead exists"}, "create_lead", "documents 'Lead already exists'"),
        ({**FOUND, "message": "Found"}, "search_lead", "expected 'Lead found'"),
        ({"status": "OK"}, "create_lead", "expected 'Success' or 'Error'"),
    ],
)
def test_near_misses_are_envelope_violations(answer: dict[str, Any], cmd: str, reason: str) -> None:
    with pytest.raises(EnvelopeViolation, match=reason):
        read_call(answer, [cmd])


def test_a_tag_action_must_succeed_with_its_documented_type_and_message() -> None:
    answer = {
        "status": "Success",
        "actions": [
            {"assign_tag": {"status": "Success", "message": "Tag assigned", "type": "103"}}
        ],
    }
    with pytest.raises(EnvelopeViolation, match="Tag added to lead"):
        read_call(answer, ["assign_tag"])


def _profile(**changes: object) -> dict[str, Any]:
    details: dict[str, Any] = {
        "id": "1",
        "email": "a@example.com",
        **dict.fromkeys(("phone", "first_name", "city", "business_type"), ""),
        "custom_fields": [
            {
                "field_id": "1",
                "field_identifier": "text1",
                "field_type": "input_field",
                "field_value": "hi",
            },
            {
                "field_id": "2",
                "field_identifier": "checkbox1",
                "field_type": "checkbox",
                "field_value": [{"option_id": "620", "option_value": "A"}],
            },
        ],
        "tags": [{"tag_id": "1", "tag_name": "Customer"}],
        "lists": [{"list_id": "1", "list_name": "Newsletter", "active": "0"}],
    }
    details.update({name: "" for name in PROFILE_FIELDS if name not in details})
    details.update(changes)
    return {"status": "Success", "lead_details": details}


def test_get_lead_reads_a_profile_with_every_custom_field() -> None:
    outcome = read_get_lead(_profile(first_name="Ada"), SCHEMA)
    assert outcome.profile is not None
    assert outcome.profile.fields == {"first_name": "Ada"}
    assert outcome.profile.custom_fields == {"text1": "hi", "checkbox1": frozenset({"620"})}
    assert outcome.profile.tags == {"Customer"}
    assert outcome.profile.lists == frozenset()  # subscribed once, no longer active


def test_get_lead_must_list_every_account_custom_field() -> None:
    answer = _profile()
    answer["lead_details"]["custom_fields"] = answer["lead_details"]["custom_fields"][:1]
    with pytest.raises(EnvelopeViolation, match="leaves out the account's fields"):
        read_get_lead(answer, SCHEMA)


def test_get_lead_fields_are_strings() -> None:
    with pytest.raises(EnvelopeViolation, match=r"lead_details\.zip"):
        read_get_lead(_profile(zip=75001), SCHEMA)
