"""Chains: the lead command first, one result per action, failures never dropped
(docs/behaviour.md#chains)."""

from __future__ import annotations

import pytest

from kartra_mock import errors
from kartra_mock.client import ChainBuilder, LeadRef
from tests.kartra_mock.client import Connector, settle

pytestmark = pytest.mark.anyio


async def test_a_chain_puts_the_lead_command_first_and_runs_every_action(
    kartra: Connector,
) -> None:
    client = kartra.client()
    chain = (
        client.chain(lead={"email": "ada@example.com"}, first_name="Ada")
        .assign_tag("Customer")
        .subscribe_lead_to_list("Newsletter")
        .create_lead()
    )
    assert chain.cmds == ("create_lead", "assign_tag", "subscribe_lead_to_list")
    result = await settle(chain.send())
    assert (result.status, result.ok, result.failed, result.lead) == (
        "Success",
        True,
        (),
        LeadRef("1"),
    )
    assert [(a.cmd, a.type_code) for a in result.actions] == [
        ("create_lead", ""),
        ("assign_tag", "103"),
        ("subscribe_lead_to_list", "101"),
    ]
    profile = await settle(client.get_lead(id="1"))
    assert (profile.first_name, profile.tags, profile.active_lists) == (
        "Ada",
        ("Customer",),
        ("Newsletter",),
    )


async def test_a_failed_action_is_reported_and_the_others_still_run(kartra: Connector) -> None:
    client = kartra.client()
    result = await settle(
        client.chain(email="ada@example.com")
        .create_lead()
        .assign_tag("No such tag")
        .subscribe_lead_to_list("Newsletter")
        .send()
    )
    assert result.status == "Success"
    assert not result.ok
    [failed] = result.failed
    assert (failed.cmd, failed.status, failed.message, failed.type_code) == (
        "assign_tag",
        "Error",
        "Tag does not exist",
        "212",
    )
    assert isinstance(failed.error, errors.TagNotFound)
    assert result.actions[2].ok
    with pytest.raises(errors.TagNotFound):
        result.raise_for_action_errors()


async def test_raise_on_action_error_on_send(kartra: Connector) -> None:
    client = kartra.client()
    chain = client.chain(email="ada@example.com").create_lead().unassign_tag("Nope")
    with pytest.raises(errors.UnassignTagNotFound) as caught:
        await settle(chain.send(raise_on_action_error=True))
    assert caught.value.__notes__ == ["raised for actions[1] (unassign_tag) of a chain"]
    # The chain ran: the lead command had succeeded before the failing action.
    assert (await settle(client.search_lead(email="ada@example.com"))).id == "1"


async def test_raise_on_action_error_on_the_client(kartra: Connector) -> None:
    client = kartra.client(raise_on_action_error=True)
    await settle(client.create_lead(email="ada@example.com"))
    chain = client.chain(email="ada@example.com").subscribe_lead_to_list("Nope")
    with pytest.raises(errors.ListNotFound):
        await settle(chain.send())
    result = await settle(chain.send(raise_on_action_error=False))
    assert result.failed[0].type_code == "231"


async def test_a_flat_error_in_a_chain_raises(kartra: Connector) -> None:
    client = kartra.client()
    await settle(client.create_lead(email="ada@example.com"))
    chain = client.chain(email="ada@example.com").create_lead().assign_tag("Customer")
    with pytest.raises(errors.LeadAlreadyExists):
        await settle(chain.send())


async def test_a_search_chain_and_a_retrieval_chain(kartra: Connector) -> None:
    client = kartra.client()
    await settle(client.create_lead(email="ada@example.com"))
    result = await settle(
        client.chain(email="ada@example.com").assign_tag("Customer").search_lead().send()
    )
    assert result.lead == LeadRef("1")
    assert [(a.cmd, a.message) for a in result.actions] == [
        ("search_lead", "Lead found"),
        ("assign_tag", "Tag added to lead"),
    ]
    # Account retrievals alone are answered flat: each action reads the top level.
    flat = await settle(client.chain().retrieve_account_tags().retrieve_account_lists().send())
    assert flat.ok
    assert flat.actions[0].data["account_tags"] == ["Customer"]
    assert flat.actions[1].data["account_lists"] == ["Newsletter"]
    assert flat.lead is None


async def test_action_sends_any_command(kartra: Connector) -> None:
    client = kartra.client()
    await settle(client.create_lead(email="ada@example.com"))
    result = await settle(
        client.chain(email="ada@example.com").action("assign_tag", tag_name="Customer").send()
    )
    assert result.ok


def test_a_chain_is_checked_before_sending() -> None:
    with pytest.raises(ValueError, match="one lead command"):
        ChainBuilder({"email": "a@example.com"}).create_lead().search_lead()
    with pytest.raises(ValueError, match="empty chain"):
        ChainBuilder().params()
    with pytest.raises(ValueError, match="from the chain's lead"):
        ChainBuilder().action("create_lead", email="a@example.com")


def test_chain_parameters_are_kartras_shape() -> None:
    chain = (
        ChainBuilder({"id": "7", "custom_fields": {"checkbox1": [620]}})
        .subscribe_lead_to_list("News")
        .edit_lead()
    )
    assert chain.params() == {
        "lead": {
            "id": "7",
            "custom_fields": [{"field_identifier": "checkbox1", "field_value": [620]}],
        },
        "actions": [{"cmd": "edit_lead"}, {"cmd": "subscribe_lead_to_list", "list_name": "News"}],
    }
