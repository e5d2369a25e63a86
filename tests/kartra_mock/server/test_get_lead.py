"""Top-level get_lead: the full profile (docs/behaviour.md#get_lead)."""

from __future__ import annotations

from typing import Any

from kartra_mock.protocol.facts import PROFILE_FIELDS
from tests.kartra_mock.server.worlds import Clock, error, seeded

ADA = {"email": "ada@example.com"}


def test_the_profile_carries_every_documented_and_observed_key() -> None:
    profile = seeded().get_lead(id="1")
    documented = {
        "id",
        "email",
        "date_joined",
        "score",
        "source",
        "source_id",
        "ip_country",
        "notes",
        "blacklisted",
        "custom_fields",
        *PROFILE_FIELDS,
    }
    observed = {
        "tags",
        "lists",
        "sequences",
        "memberships",
        "gdpr_lead_status",
        "gdpr_lead_status_date",
        "gdpr_lead_status_ip",
        "gdpr_lead_communications",
    }
    assert set(profile) == documented | observed
    assert profile["id"] == "1"
    assert (profile["first_name"], profile["last_name"]) == ("Ada", "Lovelace")
    assert profile["middle_name"] == ""  # never set: present and empty
    assert profile["date_joined"] == "2024-01-02 03:04:05"
    assert (profile["source"], profile["score"], profile["memberships"]) == ("api", "0", [])


def test_by_email_by_id_and_id_wins() -> None:
    api = seeded()
    assert api.get_lead(email="ADA@example.com")["id"] == "1"
    assert api.get_lead(id="2")["email"] == "bob@example.com"
    assert api.get_lead(id="2", email="ada@example.com")["id"] == "2"


def test_not_found_is_234_and_deleted_is_245() -> None:
    api = seeded()
    assert api.call({"get_lead": {"email": "nobody@example.com"}}) == error("234")
    assert api.call({"get_lead": {"id": "99"}}) == error("234")
    assert api.call({"get_lead": {"id": "3"}}) == error("245")
    assert api.call({"get_lead": {"email": "gone@example.com"}}) == error("245")
    assert api.call({"get_lead": {"first_name": "Ada"}}) == error("206")


def test_every_account_custom_field_is_listed_empty_ones_too() -> None:
    api = seeded()
    api.call(
        {
            "lead": {
                **ADA,
                "custom_fields": {
                    "0": {"field_identifier": "text1", "field_value": "hello"},
                    "1": {"field_identifier": "dropdown1", "field_value": "613"},
                    "2": {"field_identifier": "checkbox1", "field_value": ["620", "621"]},
                },
            },
            "actions": [{"cmd": "edit_lead"}],
        }
    )
    fields: list[dict[str, Any]] = api.get_lead(id="1")["custom_fields"]
    assert fields == [
        {
            "field_id": "1",
            "field_identifier": "text1",
            "field_type": "input_field",
            "field_value": "hello",
        },
        {
            "field_id": "2",
            "field_identifier": "notes",
            "field_type": "text_area",
            "field_value": "",
        },
        {
            "field_id": "3",
            "field_identifier": "dropdown1",
            "field_type": "drop_down",
            "field_value": [{"option_id": "613", "option_value": "Blue"}],
        },
        {
            "field_id": "4",
            "field_identifier": "radio1",
            "field_type": "radio_button",
            "field_value": [],
        },
        {
            "field_id": "5",
            "field_identifier": "checkbox1",
            "field_type": "checkbox",
            "field_value": [
                {"option_id": "620", "option_value": "A"},
                {"option_id": "621", "option_value": "B"},
            ],
        },
    ]


def test_tags_lists_sequences_and_score_are_in_the_profile() -> None:
    api = seeded()
    api.call(
        {
            "lead": ADA,
            "actions": [
                {"cmd": "assign_tag", "tag_name": "VIP"},
                {"cmd": "subscribe_lead_to_list", "list_name": "Newsletter"},
                {
                    "cmd": "subscribe_lead_to_sequence_at_step",
                    "sequence_name": "Welcome",
                    "step": "2",
                },
                {"cmd": "give_points_to_lead", "points": "12"},
            ],
        }
    )
    profile = api.get_lead(**ADA)
    assert profile["tags"] == [{"tag_id": "2", "tag_name": "VIP"}]
    assert profile["lists"] == [{"list_id": "1", "list_name": "Newsletter", "active": "1"}]
    assert profile["sequences"][0]["step"] == "2"
    assert profile["score"] == "12"


def test_date_joined_is_the_creation_moment_on_the_injected_clock_in_est() -> None:
    api = seeded(Clock())
    api.create("new@example.com")
    assert api.get_lead(email="new@example.com")["date_joined"] == "2024-06-01 12:00:00"
