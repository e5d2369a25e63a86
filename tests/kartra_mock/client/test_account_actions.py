"""Account-level actions: create_custom_field and retrieve_account_pages
(docs/behaviour.md#commands)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kartra_mock import errors
from kartra_mock.client import ActionResult, CustomField, CustomFieldOption
from tests.kartra_mock.client import AnyClient, Connector, settle

pytestmark = pytest.mark.anyio


async def test_create_custom_field_round_trips(kartra: Connector) -> None:
    client = kartra.client("shop")
    created = await settle(client.create_custom_field("shoe_size", "input_field"))
    assert created == ActionResult("create_custom_field", "Success", "Custom Field created", "114")
    await settle(client.create_custom_field("colour", "drop_down", ["Red", "Green"]))
    fields = await settle(client.retrieve_custom_fields())
    assert fields[-2:] == (
        CustomField("6", "shoe_size", "input_field"),
        CustomField(
            "7",
            "colour",
            "drop_down",
            (CustomFieldOption("632", "Red"), CustomFieldOption("633", "Green")),
        ),
    )
    # The new options can be set on a lead at once.
    lead = await settle(client.create_lead(email="cy@example.com", custom_fields={"colour": 633}))
    profile = await settle(client.get_lead(id=lead.id))
    assert profile.custom_fields["colour"].option_ids == ("633",)


@pytest.mark.parametrize(
    ("send", "error"),
    [
        pytest.param(
            lambda c: c.create_custom_field("", "input_field"),
            errors.CustomFieldNameEmpty,
            id="empty",
        ),
        pytest.param(
            lambda c: c.create_custom_field("shoe size", "input_field"),
            errors.CustomFieldNameInvalid,
            id="space",
        ),
        pytest.param(
            lambda c: c.create_custom_field("TEXT1", "text_area"),
            errors.CustomFieldExists,
            id="exists",
        ),
        pytest.param(
            lambda c: c.create_custom_field("colour", "checkbox"),
            errors.OptionsNotArray,
            id="no-options",
        ),
        pytest.param(
            lambda c: c.create_custom_field("colour", "radio_button", ["Red", ""]),
            errors.OptionEmpty,
            id="empty-option",
        ),
        pytest.param(
            lambda c: c.create_custom_field("colour", "drop_down", ["Red"]),
            errors.TooFewOptions,
            id="one-option",
        ),
    ],
)
async def test_a_refused_custom_field_raises_its_catalogue_class(
    kartra: Connector, send: Callable[[AnyClient], Any], error: type[errors.KartraError]
) -> None:
    client = kartra.client("shop")
    with pytest.raises(error):
        await settle(send(client))
    assert len(await settle(client.retrieve_custom_fields())) == 5  # nothing was created


async def test_retrieve_account_pages(kartra: Connector) -> None:
    assert await settle(kartra.client("shop").retrieve_account_pages()) == (
        "Sales page",
        "Thank you page",
    )
    assert await settle(kartra.client().retrieve_account_pages()) == ()
    # Retrievals alone are answered flat, pages among them.
    result = await settle(
        kartra.client("shop").chain().retrieve_account_pages().retrieve_account_sequences().send()
    )
    assert result.raw == {
        "status": "Success",
        "account_pages": ["Sales page", "Thank you page"],
        "account_sequences": ["Welcome", "Onboarding"],
    }
