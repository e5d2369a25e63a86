"""Chains of actions (docs/behaviour.md#chains) and the structural checks before them
(docs/behaviour.md#checks)."""

from __future__ import annotations

import pytest

from tests.helpers import Api


def error(code: str, message: str) -> dict[str, str]:
    return {"status": "Error", "message": message, "type": code}


def test_a_failing_secondary_action_reports_inside_its_entry_and_the_rest_still_run(
    api: Api,
) -> None:
    answer = api.call(
        {
            "lead": {"email": "a@example.com"},
            "actions": [
                {"cmd": "create_lead"},
                {"cmd": "assign_tag", "tag_name": "No such tag"},
                {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
            ],
        }
    )
    assert answer["status"] == "Success"
    assert answer["actions"][1] == {"assign_tag": error("212", "Tag does not exist")}
    assert answer["actions"][2]["subscribe_lead_to_list"]["status"] == "Success"
    assert api.get_lead(id="1")["lists"][0]["list_name"] == "Newsletter"


@pytest.mark.parametrize(
    ("action", "entry"),
    [
        ({"cmd": "assign_tag"}, error("211", "Tag cannot be empty")),
        ({"cmd": "assign_tag", "tag_name": ""}, error("211", "Tag cannot be empty")),
        ({"cmd": "assign_tag", "tag_name": "Nope"}, error("212", "Tag does not exist")),
        ({"cmd": "unassign_tag"}, error("213", "Tag cannot be empty")),
        ({"cmd": "unassign_tag", "tag_name": "Nope"}, error("214", "Tag does not exist")),
        ({"cmd": "subscribe_lead_to_list"}, error("207", "List cannot be empty")),
        (
            {"cmd": "subscribe_lead_to_list", "list_name": "Nope"},
            error("231", "List does not exist"),
        ),
        ({"cmd": "unsubscribe_lead_from_list"}, error("208", "List cannot be empty")),
        (
            {"cmd": "unsubscribe_lead_from_list", "list_name": "Nope"},
            error("209", "List does not exist"),
        ),
        (
            {"cmd": "unassign_tag", "tag_name": "Customer"},
            {"status": "Success", "message": "Tag removed from lead", "type": "104"},
        ),
        (
            {"cmd": "unsubscribe_lead_from_list", "list_name": "Newsletter"},
            {"status": "Success", "message": "Lead unsubscribed from list", "type": "101"},
        ),
    ],
)
def test_secondary_action_codes_and_messages(
    api: Api, action: dict[str, str], entry: object
) -> None:
    api.create("a@example.com")
    answer = api.call({"lead": {"email": "a@example.com"}, "actions": [action]})
    # A call of one secondary action is a chain of one: top-level Success
    # (docs/behaviour.md#chains).
    assert answer == {"status": "Success", "actions": [{action["cmd"]: entry}]}


def test_tags_and_lists_round_trip(api: Api) -> None:
    api.create("a@example.com")
    lead = {"id": "1"}
    api.call({"lead": lead, "actions": [{"cmd": "assign_tag", "tag_name": "Customer"}]})
    api.call(
        {"lead": lead, "actions": [{"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"}]}
    )
    profile = api.get_lead(id="1")
    assert [t["tag_name"] for t in profile["tags"]] == ["Customer"]
    assert profile["lists"][0]["active"] == "1"
    api.call({"lead": lead, "actions": [{"cmd": "unassign_tag", "tag_name": "Customer"}]})
    api.call(
        {
            "lead": lead,
            "actions": [{"cmd": "unsubscribe_lead_from_list", "list_name": "Newsletter"}],
        }
    )
    profile = api.get_lead(id="1")
    assert profile["tags"] == []
    assert profile["lists"][0]["active"] == "0"


@pytest.mark.parametrize("cmd", ["create_lead", "edit_lead", "search_lead"])
def test_a_lead_command_after_actions_0_is_901_and_changes_nothing(api: Api, cmd: str) -> None:
    api.create("a@example.com")
    before = api.state()
    answer = api.call(
        {
            "lead": {"email": "a@example.com"},
            "actions": [{"cmd": "assign_tag", "tag_name": "Customer"}, {"cmd": cmd}],
        }
    )
    assert answer == error("901", "Lead command must be the first action. Nothing done")
    assert api.state() == before


def test_cmd_presence_is_checked_over_all_actions_before_cmd_is_known(api: Api) -> None:
    answer = api.call(
        {"lead": {"email": "a@example.com"}, "actions": [{"cmd": "no_such_cmd"}, {"tag_name": "x"}]}
    )
    assert answer == error("254", "'cmd' is required")


def test_unknown_cmd_is_262(api: Api) -> None:
    answer = api.call({"lead": {"email": "a@example.com"}, "actions": [{"cmd": "no_such_cmd"}]})
    assert answer == error("262", "App does not have permission to execute this CMD")


def test_a_call_without_actions_is_254(api: Api) -> None:
    assert api.call({"lead": {"email": "a@example.com"}})["type"] == "254"


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"lead": "scalar", "actions": [{"cmd": "create_lead"}]}, "223", "'lead' not an array"),
        ({"lead": {"email": "a@b.c"}, "actions": "create_lead"}, "224", "'actions' not an array"),
        ({"get_lead": "a@b.c"}, "236", "'get_lead' not an array"),
        ({"lead": {"email": "a@b.c"}, "actions": ["create_lead"]}, "254", "'cmd' is required"),
    ],
)
def test_structure_errors(api: Api, params: dict[str, object], code: str, message: str) -> None:
    assert api.call(params) == error(code, message)


def test_structure_checks_run_in_order_lead_then_actions(api: Api) -> None:
    assert api.call({"lead": "x", "actions": "y", "get_lead": "z"})["type"] == "223"
    assert api.call({"actions": "y", "get_lead": "z"})["type"] == "224"


def test_account_retrievals_answer_flat(api: Api) -> None:
    assert api.call({"actions": [{"cmd": "retrieve_account_tags"}]}) == {
        "status": "Success",
        "account_tags": ["Customer"],
    }
    assert api.call({"actions": [{"cmd": "retrieve_account_lists"}]}) == {
        "status": "Success",
        "account_lists": ["Newsletter"],
    }


def test_unknown_action_parameters_are_warned_about(api: Api) -> None:
    api.create("a@example.com")
    api.call(
        {
            "lead": {"email": "a@example.com"},
            "actions": [
                {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter", "list_id": "3"}
            ],
        }
    )
    assert api.warnings() == ["request.unknown-parameter"]


def test_unknown_top_level_parameters_make_one_warning(api: Api) -> None:
    junk = {f"junk{i}": "x" for i in range(25)}
    api.call({**junk, "actions": [{"cmd": "retrieve_account_tags"}]})
    entry = api.backend.journal()[-1]
    assert [w.rule for w in entry.warnings] == ["request.unknown-parameter"]
    assert entry.warnings[0].detail == (
        "top-level parameters 'junk0', 'junk1', 'junk2', 'junk3', 'junk4', 'junk5', 'junk6', "
        "'junk7', 'junk8', 'junk9' and 15 more"
    )
    api.call({"colour": "red", "actions": [{"cmd": "retrieve_account_tags"}]})
    assert api.backend.journal()[-1].warnings[0].detail == "top-level parameter 'colour'"
