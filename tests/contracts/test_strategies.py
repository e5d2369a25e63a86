"""The strategies generate what they promise: valid data is valid, invalid data is refused."""

from __future__ import annotations

from hypothesis import given, settings

from contracts.calls import CustomEntry, LeadData
from contracts.model import Model
from contracts.schema import PROFILE_FIELDS, TIME_ZONES, AccountSchema, CustomFieldSpec
from contracts.strategies import (
    INVALID_TIME_ZONES,
    Case,
    case_variants,
    emails,
    invalid_custom_fields,
    lead_fields,
    new_leads,
    texts,
    time_zones,
    valid_custom_fields,
)

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
FAST = settings(max_examples=60, deadline=None, database=None)


@FAST
@given(texts())
def test_texts_have_no_surrounding_whitespace_and_stay_in_the_basic_plane(text: str) -> None:
    assert text
    assert text == text.strip()
    assert all(ord(char) <= 0xFFFF and char != "\x00" for char in text)


@FAST
@given(emails(), case_variants())
def test_case_variants_are_the_same_address_to_a_case_insensitive_eye(
    email: str, case: Case
) -> None:
    assert email.count("@") >= 1
    variant = case.apply(email)
    assert variant.lower() == email.lower()
    assert [c for c in variant if not c.isascii()] == [c for c in email if not c.isascii()]


@FAST
@given(time_zones())
def test_time_zones_are_documented_options_or_deliberately_not(zone: str) -> None:
    assert zone in TIME_ZONES or zone in INVALID_TIME_ZONES


@FAST
@given(lead_fields(clearing=True))
def test_lead_fields_are_documented_fields(fields: dict[str, str]) -> None:
    assert set(fields) <= set(PROFILE_FIELDS)


@FAST
@given(valid_custom_fields(SCHEMA))
def test_valid_custom_fields_are_accepted(entries: tuple[CustomEntry, ...]) -> None:
    model = Model(SCHEMA)
    assert model.create_lead(LeadData(email="a@example.com", custom_fields=entries), "1").ok
    identifiers = [entry.identifier for entry in entries]
    assert len(identifiers) == len(set(identifiers))


@FAST
@given(invalid_custom_fields(SCHEMA))
def test_invalid_custom_fields_are_refused_with_271(
    custom: tuple[CustomEntry, ...] | str,
) -> None:
    model = Model(SCHEMA)
    assert model.create_lead(LeadData(email="a@example.com", custom_fields=custom)).errors == {
        "271"
    }


@FAST
@given(new_leads(SCHEMA, valid=True))
def test_valid_new_leads_are_created(lead: LeadData) -> None:
    assert Model(SCHEMA).create_lead(lead, "1").ok
