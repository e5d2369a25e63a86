"""The documented facts: one home, read by the mock and by the contracts alike."""

from __future__ import annotations

import contracts.calls
import contracts.envelopes
import contracts.schema
from kartra_mock.domain import leads
from kartra_mock.domain.model import FieldType
from kartra_mock.protocol import facts


def test_the_time_zones_are_the_76_documented_options() -> None:
    assert len(facts.TIME_ZONES) == len(set(facts.TIME_ZONES)) == 76
    assert facts.TIME_ZONES[:2] == ("America/Los_Angeles", "America/Boise")
    assert facts.TIME_ZONE in facts.PROFILE_FIELDS
    assert facts.BUSINESS_TYPE in facts.PROFILE_FIELDS


def test_the_field_types_split_into_text_and_choice() -> None:
    assert set(facts.CUSTOM_FIELD_TYPES) == facts.TEXT_TYPES | facts.CHOICE_TYPES
    assert not facts.TEXT_TYPES & facts.CHOICE_TYPES
    assert tuple(FieldType) == facts.CUSTOM_FIELD_TYPES
    assert {t for t in FieldType if not t.has_options} == facts.TEXT_TYPES


def test_the_mock_and_the_contracts_read_the_same_facts() -> None:
    assert contracts.schema.PROFILE_FIELDS is facts.PROFILE_FIELDS
    assert contracts.schema.TIME_ZONES is facts.TIME_ZONES
    assert contracts.calls.LEAD_COMMANDS is leads.LEAD_COMMANDS is facts.LEAD_COMMANDS
    assert {
        cmd: success.message for cmd, success in facts.TAG_LIST_SUCCESSES.items()
    } == contracts.envelopes.SUCCESS_MESSAGES
