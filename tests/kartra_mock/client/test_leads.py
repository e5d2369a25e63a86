"""Lead commands round-trip through the mock: create, edit, search, get (docs/behaviour.md#leads,
docs/behaviour.md#get_lead)."""

from __future__ import annotations

import pytest

from kartra_mock import errors
from kartra_mock.client import CustomFieldOption, LeadRef
from tests.kartra_mock.client import Connector, settle

pytestmark = pytest.mark.anyio


async def test_create_lead_answers_increasing_ids(kartra: Connector) -> None:
    client = kartra.client()
    assert await settle(client.create_lead(email="ada@example.com")) == LeadRef("1")
    assert await settle(client.create_lead({"email": "bob@example.com"})) == LeadRef("2")


async def test_a_created_lead_reads_back_with_every_field(kartra: Connector) -> None:
    client = kartra.client()
    lead = await settle(
        client.create_lead(
            email="Ada@Example.com",
            first_name="Ada",
            last_name="Lovelace",
            city="London & Paris",
            lead_preferred_time_zone="Europe/London",
            custom_fields={"text1": "hello wörld", "dropdown1": 612, "checkbox1": [620, 621]},
        )
    )
    profile = await settle(client.get_lead(id=lead.id))
    assert (profile.id, profile.email, profile.first_name, profile.last_name) == (
        "1",
        "Ada@Example.com",
        "Ada",
        "Lovelace",
    )
    assert profile.city == "London & Paris"
    assert profile.lead_preferred_time_zone == "Europe/London"
    assert profile.custom_fields["text1"].text == "hello wörld"
    assert profile.custom_fields["dropdown1"].options == (CustomFieldOption("612", "Red"),)
    assert profile.custom_fields["checkbox1"].option_ids == ("620", "621")
    assert profile.score == 0
    assert profile.tags == ()
    assert await settle(client.get_lead(email="ada@example.com")) == profile


async def test_custom_fields_may_be_given_as_kartras_list(kartra: Connector) -> None:
    client = kartra.client()
    fields = [{"field_identifier": "checkbox1", "field_value": [621]}]
    lead = await settle(client.create_lead(email="a@example.com", custom_fields=fields))
    profile = await settle(client.get_lead(id=lead.id))
    assert profile.custom_fields["checkbox1"].option_ids == ("621",)
    assert profile.custom_fields["text1"].text == ""


async def test_create_lead_on_an_existing_or_deleted_lead_is_244(kartra: Connector) -> None:
    client = kartra.client()
    lead = await settle(client.create_lead(email="ada@example.com"))
    with pytest.raises(errors.LeadAlreadyExists) as caught:
        await settle(client.create_lead(email="ADA@example.com"))
    assert (caught.value.type_code, caught.value.message) == ("244", "Lead already exists")
    kartra.target().backend.delete_lead("demo-key", int(lead.id))
    with pytest.raises(errors.LeadAlreadyExists):
        await settle(client.create_lead(email="ada@example.com"))


async def test_create_lead_without_email_is_206(kartra: Connector) -> None:
    with pytest.raises(errors.LeadIdentifierRequired):
        await settle(kartra.client().create_lead(first_name="Nobody"))


async def test_a_wrong_custom_field_format_is_271_and_creates_nothing(kartra: Connector) -> None:
    client = kartra.client()
    with pytest.raises(errors.WrongCustomFieldFormat) as caught:
        await settle(client.create_lead(email="a@example.com", custom_fields={"dropdown1": [612]}))
    assert caught.value.type_code == "271"
    with pytest.raises(errors.GetLeadNotFound):
        await settle(client.get_lead(email="a@example.com"))


async def test_edit_lead_changes_only_the_fields_sent(kartra: Connector) -> None:
    client = kartra.client()
    lead = await settle(client.create_lead(email="ada@example.com", first_name="Ada", city="X"))
    edited = await settle(
        client.edit_lead(email="ada@example.com", first_name="Augusta", new_email="aug@example.com")
    )
    assert edited == lead
    profile = await settle(client.get_lead(id=lead.id))
    assert (profile.first_name, profile.city, profile.email) == ("Augusta", "X", "aug@example.com")
    await settle(client.edit_lead({"id": lead.id}, city=""))
    assert (await settle(client.get_lead(id=lead.id))).city == ""


async def test_edit_lead_errors(kartra: Connector) -> None:
    client = kartra.client()
    with pytest.raises(errors.LeadNotFound) as caught:
        await settle(client.edit_lead(email="ghost@example.com", first_name="Boo"))
    assert caught.value.type_code == "243"
    lead = await settle(client.create_lead(email="ada@example.com"))
    await settle(client.create_lead(email="bob@example.com"))
    with pytest.raises(errors.LeadAlreadyExists):
        await settle(client.edit_lead(id=lead.id, new_email="bob@example.com"))
    kartra.target().backend.delete_lead("demo-key", int(lead.id))
    with pytest.raises(errors.LeadDeleted):
        await settle(client.edit_lead(id=lead.id, first_name="Ada"))


async def test_search_lead(kartra: Connector) -> None:
    client = kartra.client()
    lead = await settle(client.create_lead(email="ada@example.com"))
    assert await settle(client.search_lead(email="ADA@example.com")) == lead
    assert await settle(client.search_lead(id=int(lead.id))) == lead
    with pytest.raises(errors.LeadNotFound):
        await settle(client.search_lead(email="ghost@example.com"))
    kartra.target().backend.delete_lead("demo-key", int(lead.id))
    with pytest.raises(errors.LeadDeleted) as caught:
        await settle(client.search_lead(id=lead.id))
    assert caught.value.type_code == "245"


async def test_get_lead_errors(kartra: Connector) -> None:
    client = kartra.client()
    with pytest.raises(errors.GetLeadNotFound) as caught:
        await settle(client.get_lead(id=99))
    assert (caught.value.type_code, caught.value.message) == ("234", "No lead found")
    lead = await settle(client.create_lead(email="ada@example.com"))
    kartra.target().backend.delete_lead("demo-key", int(lead.id))
    with pytest.raises(errors.LeadDeleted):
        await settle(client.get_lead(email="ada@example.com"))


async def test_the_lead_must_be_named(kartra: Connector) -> None:
    client = kartra.client()
    with pytest.raises(ValueError, match="id=… or email="):
        await settle(client.get_lead())
    with pytest.raises(ValueError, match="id=… or email="):
        await settle(client.search_lead())
