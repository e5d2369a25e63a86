"""Secondary actions and account retrievals round-trip through the mock
(docs/behaviour.md#commands)."""

from __future__ import annotations

from typing import Any

import pytest

from kartra_mock import errors
from kartra_mock.client import ActionResult, CustomField, CustomFieldOption
from tests.kartra_mock.client import AnyClient, Connector, settle

pytestmark = pytest.mark.anyio


async def test_tags_and_lists_round_trip(kartra: Connector) -> None:
    client = kartra.client()
    lead = await settle(client.create_lead(email="ada@example.com"))
    assert await settle(client.assign_tag("Customer", id=lead.id)) == ActionResult(
        "assign_tag", "Success", "Tag added to lead", "103"
    )
    subscribed = await settle(client.subscribe_lead_to_list("Newsletter", email="ada@example.com"))
    assert (subscribed.ok, subscribed.type_code, subscribed.error) == (True, "101", None)
    profile = await settle(client.get_lead(id=lead.id))
    assert profile.tags == ("Customer",)
    assert profile.active_lists == ("Newsletter",)

    removed = await settle(client.unassign_tag("Customer", id=lead.id))
    assert (removed.message, removed.type_code) == ("Tag removed from lead", "104")
    left = await settle(client.unsubscribe_lead_from_list("Newsletter", id=lead.id))
    assert (left.message, left.type_code) == ("Lead unsubscribed from list", "101")
    profile = await settle(client.get_lead(id=lead.id))
    assert profile.tags == ()
    assert [(item.name, item.active) for item in profile.lists] == [("Newsletter", False)]


def _assign(client: AnyClient, name: str) -> Any:
    return client.assign_tag(name, email="ada@example.com")


def _unassign(client: AnyClient, name: str) -> Any:
    return client.unassign_tag(name, email="ada@example.com")


def _subscribe(client: AnyClient, name: str) -> Any:
    return client.subscribe_lead_to_list(name, email="ada@example.com")


def _unsubscribe(client: AnyClient, name: str) -> Any:
    return client.unsubscribe_lead_from_list(name, email="ada@example.com")


@pytest.mark.parametrize(
    ("send", "name", "error"),
    [
        (_assign, "", errors.TagNameEmpty),
        (_assign, "No such tag", errors.TagNotFound),
        (_unassign, "", errors.UnassignTagNameEmpty),
        (_unassign, "No such tag", errors.UnassignTagNotFound),
        (_subscribe, "", errors.ListNameEmpty),
        (_subscribe, "No such list", errors.ListNotFound),
        (_unsubscribe, "", errors.UnsubscribeListNameEmpty),
        (_unsubscribe, "No such list", errors.UnsubscribeListNotFound),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
async def test_a_failed_single_action_raises_its_catalogue_class(
    kartra: Connector, send: Any, name: str, error: type[errors.KartraError]
) -> None:
    client = kartra.client()
    await settle(client.create_lead(email="ada@example.com"))
    with pytest.raises(error) as caught:
        await settle(send(client, name))
    assert caught.value.message == error.default_message
    assert "actions[0] (" in "".join(caught.value.__notes__)


async def test_an_action_on_a_missing_lead_is_243(kartra: Connector) -> None:
    with pytest.raises(errors.LeadNotFound):
        await settle(kartra.client().assign_tag("Customer", email="ghost@example.com"))


async def test_an_action_needs_the_lead_named(kartra: Connector) -> None:
    with pytest.raises(ValueError, match="name the lead"):
        await settle(kartra.client().assign_tag("Customer"))


async def test_account_retrievals(kartra: Connector) -> None:
    client = kartra.client()
    assert await settle(client.retrieve_account_tags()) == ("Customer",)
    assert await settle(client.retrieve_account_lists()) == ("Newsletter",)
    assert await settle(client.retrieve_account_sequences()) == ()
    fields = await settle(client.retrieve_custom_fields())
    assert fields[0] == CustomField("1", "text1", "input_field")
    assert fields[2] == CustomField(
        "3",
        "checkbox1",
        "checkbox",
        (CustomFieldOption("620", "A"), CustomFieldOption("621", "B")),
    )
    assert [field.identifier for field in fields] == ["text1", "dropdown1", "checkbox1"]


async def test_call_sends_anything_and_answers_the_decoded_json(kartra: Connector) -> None:
    client = kartra.client()
    answer = await settle(client.call({"actions": [{"cmd": "retrieve_account_tags"}]}))
    assert answer == {"status": "Success", "account_tags": ["Customer"]}
    # A per-action error is left in the answer; a flat one raises.
    await settle(client.create_lead(email="ada@example.com"))
    answer = await settle(
        client.call(
            {
                "lead": {"email": "ada@example.com"},
                "actions": [{"cmd": "assign_tag", "tag_name": "x"}],
            }
        )
    )
    assert answer["actions"] == [
        {"assign_tag": {"status": "Error", "message": "Tag does not exist", "type": "212"}}
    ]
    with pytest.raises(errors.LeadCommandNotFirst):
        await settle(
            client.call(
                {
                    "lead": {"email": "ada@example.com"},
                    "actions": [
                        {"cmd": "assign_tag", "tag_name": "Customer"},
                        {"cmd": "edit_lead"},
                    ],
                }
            )
        )
    with pytest.raises(errors.CmdNotPermitted):
        await settle(client.call({"actions": [{"cmd": "no_such_cmd"}]}))
