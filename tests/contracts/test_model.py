"""The model on its own, against Kartra's page as docs/behaviour.md#leads and #chains describe it:
no mock involved."""

from __future__ import annotations

import pytest

from contracts.calls import Action, Chain, CustomEntry, CustomValue, Identity, LeadData
from contracts.model import Model
from contracts.schema import AccountSchema, CustomFieldSpec

SCHEMA = AccountSchema(
    tags=("Customer",),
    lists=("Newsletter",),
    custom_fields=(
        CustomFieldSpec("text1", "input_field"),
        CustomFieldSpec("notes1", "text_area"),
        CustomFieldSpec("dropdown1", "drop_down", ("612", "613")),
        CustomFieldSpec("radio1", "radio_button", ("630",)),
        CustomFieldSpec("checkbox1", "checkbox", ("620", "621")),
    ),
)


@pytest.fixture
def model() -> Model:
    return Model(SCHEMA)


def test_the_seeds_examples_in_the_seeds_order(model: Model) -> None:
    seed_custom = (
        CustomEntry("text1", "text message"),
        CustomEntry("dropdown1", "612"),
        CustomEntry("checkbox1", ("620",)),
    )
    created = model.create_lead(
        LeadData(email="John@kartra.com", fields={"first_name": "John"}, custom_fields=seed_custom),
        new_id="1",
    )
    assert created.ok
    assert created.creates
    edited = model.edit_lead(
        LeadData(email="john@kartra.com", fields={"last_name": "Smith"}, new_email="john@email.com")
    )
    assert edited.ok
    assert edited.lead_id == "1"
    view = model.get_lead(Identity(email="JOHN@email.com")).profile
    assert view is not None
    assert view.email == "john@email.com"
    assert view.fields == {"first_name": "John", "last_name": "Smith"}
    assert view.custom_fields == {
        "text1": "text message",
        "dropdown1": frozenset({"612"}),
        "checkbox1": frozenset({"620"}),
    }
    assert model.search_lead(Identity(email="john@kartra.com")).errors == {"243"}


def test_email_identity_is_case_insensitive_and_keeps_the_first_spelling(model: Model) -> None:
    model.create_lead(LeadData(email="John@kartra.com"), new_id="1")
    assert model.create_lead(LeadData(email="JOHN@KARTRA.COM"), new_id="2").errors == {"244"}
    assert model.search_lead(Identity(email="john@kartra.com")).lead_id == "1"
    assert model.leads["1"].email == "John@kartra.com"


def test_the_id_wins_over_the_email(model: Model) -> None:
    model.create_lead(LeadData(email="a@example.com"), new_id="1")
    model.create_lead(LeadData(email="b@example.com"), new_id="2")
    assert model.search_lead(Identity(id="1", email="b@example.com")).lead_id == "1"
    assert model.search_lead(Identity(id="9", email="b@example.com")).errors == {"243"}
    assert model.edit_lead(LeadData(id="1", email="b@example.com", fields={"city": "X"})).ok
    assert model.leads["1"].fields == {"city": "X"}
    assert model.leads["2"].fields == {}


def test_create_lead_needs_an_email_and_refuses_any_existing_lead(model: Model) -> None:
    assert model.create_lead(LeadData(id="5")).errors == {"206"}
    model.create_lead(LeadData(email="a@example.com"), new_id="1")
    assert model.create_lead(LeadData(id="1", email="new@example.com")).errors == {"244"}
    assert model.create_lead(LeadData(id="77", email="new@example.com"), new_id="2").ok


def test_a_deleted_lead_is_245_and_keeps_its_email(model: Model) -> None:
    model.create_lead(LeadData(email="a@example.com"), new_id="1")
    model.create_lead(LeadData(email="b@example.com"), new_id="2")
    model.delete("1")
    assert model.search_lead(Identity(email="A@example.com")).errors == {"245"}
    assert model.get_lead(Identity(id="1")).errors == {"245"}
    assert model.action(Identity(id="1"), Action("assign_tag", "Customer")).errors == {"245"}
    assert model.create_lead(LeadData(email="a@example.com")).errors == {"244"}
    assert model.edit_lead(LeadData(id="2", new_email="A@example.com")).errors == {"244"}


def test_get_lead_answers_234_when_nothing_matches(model: Model) -> None:
    assert model.get_lead(Identity(email="nobody@example.com")).errors == {"234"}


@pytest.mark.parametrize(
    ("identifier", "value"),
    [
        ("text1", ("a",)),
        ("dropdown1", ("612",)),
        ("dropdown1", "614"),
        ("radio1", "Red"),
        ("checkbox1", "620"),
        ("checkbox1", ("620", "999")),
        ("checkbox1", ()),
    ],
)
def test_a_wrong_custom_field_format_is_271_and_changes_nothing(
    model: Model, identifier: str, value: CustomValue
) -> None:
    model.create_lead(LeadData(email="a@example.com"), new_id="1")
    entries = (CustomEntry("text1", "kept?"), CustomEntry(identifier, value))
    assert model.edit_lead(LeadData(id="1", custom_fields=entries)).errors == {"271"}
    assert model.leads["1"].custom == {}


@pytest.mark.parametrize(
    "custom",
    ["not-an-array", (CustomEntry("text1", None),), (CustomEntry(None, "x"),)],
)
def test_malformed_custom_fields_are_271(
    model: Model, custom: tuple[CustomEntry, ...] | str
) -> None:
    assert model.create_lead(LeadData(email="a@example.com", custom_fields=custom)).errors == {
        "271"
    }
    assert model.leads == {}


def test_custom_fields_by_type_an_unknown_identifier_and_clearing(model: Model) -> None:
    entries = (
        CustomEntry("notes1", "long text"),
        CustomEntry("radio1", "630"),
        CustomEntry("checkbox1", ("620", "621")),
        CustomEntry("no_such_field", ("anything",)),
    )
    assert model.create_lead(LeadData(email="a@example.com", custom_fields=entries), "1").ok
    assert model.leads["1"].custom == {
        "notes1": "long text",
        "radio1": frozenset({"630"}),
        "checkbox1": frozenset({"620", "621"}),
    }
    assert model.edit_lead(LeadData(id="1", custom_fields=(CustomEntry("checkbox1", ""),))).ok
    assert "checkbox1" not in model.leads["1"].custom


def test_time_zones_and_business_types_outside_the_documented_ones_are_not_stored(
    model: Model,
) -> None:
    fields = {"lead_preferred_time_zone": "Europe/Paris", "business_type": "firm", "zip": "1"}
    model.create_lead(LeadData(email="a@example.com", fields=fields), new_id="1")
    assert model.leads["1"].fields == {"zip": "1"}
    good = {"lead_preferred_time_zone": "Europe/London", "business_type": "2", "zip": ""}
    model.edit_lead(LeadData(id="1", fields=good))
    assert model.leads["1"].fields == {
        "lead_preferred_time_zone": "Europe/London",
        "business_type": "2",
    }


def test_which_of_244_and_271_an_edit_reports_is_left_open(model: Model) -> None:
    model.create_lead(LeadData(email="a@example.com"), new_id="1")
    model.create_lead(LeadData(email="b@example.com"), new_id="2")
    both = LeadData(id="1", new_email="B@example.com", custom_fields="bad")
    assert model.edit_lead(both).errors == {"244", "271"}


def test_a_lead_command_after_actions_0_is_901_and_changes_nothing(model: Model) -> None:
    chain = Chain(
        LeadData(email="a@example.com"), "create_lead", (Action("assign_tag", "Customer"),), 1
    )
    assert chain.cmds == ("assign_tag", "create_lead")
    assert model.call(chain, "1").errors == {"901"}
    assert model.leads == {}


def test_each_action_of_a_chain_reports_and_failures_do_not_stop_the_rest(model: Model) -> None:
    chain = Chain(
        LeadData(email="a@example.com"),
        "create_lead",
        (
            Action("assign_tag", "Nope"),
            Action("subscribe_lead_to_list", ""),
            Action("assign_tag", "Customer"),
            Action("unsubscribe_lead_from_list", "Newsletter"),
        ),
    )
    prediction = model.call(chain, "1")
    assert [(a.cmd, a.error, a.type_code) for a in prediction.actions] == [
        ("create_lead", None, ""),
        ("assign_tag", "212", ""),
        ("subscribe_lead_to_list", "207", ""),
        ("assign_tag", None, "103"),
        ("unsubscribe_lead_from_list", None, "101"),
    ]
    assert model.leads["1"].tags == {"Customer"}


def test_a_secondary_action_first_needs_an_existing_lead(model: Model) -> None:
    assert model.action(
        Identity(email="a@example.com"), Action("assign_tag", "Customer")
    ).errors == {"243"}
    assert model.action(Identity(), Action("assign_tag", "Customer")).errors == {"206"}


def test_in_test_mode_emails_are_stored_at_kartra_com() -> None:
    model = Model(SCHEMA, test_mode=True)
    model.create_lead(LeadData(email="johnsmith@gmail.com"), new_id="1")
    assert model.leads["1"].email == "johnsmith@kartra.com"
    assert model.search_lead(Identity(email="johnsmith@gmail.com")).lead_id == "1"
