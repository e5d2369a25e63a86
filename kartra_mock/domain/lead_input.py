"""Reading the ``lead`` map of create_lead / edit_lead into a validated change (seed, SPEC §3.3).

Validation is complete before anything is stored: :func:`read_lead_input` either raises
(271, nothing changed) or returns a :class:`LeadInput` that can be applied without failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kartra_mock import rules
from kartra_mock.domain.fields import (
    BUSINESS_TYPE,
    PROFILE_FIELDS,
    TIME_ZONE,
    TIME_ZONES,
    is_number,
)
from kartra_mock.domain.model import CustomField, CustomValue, Lead
from kartra_mock.errors import WrongCustomFieldFormat
from kartra_mock.forms import PhpValue
from kartra_mock.protocol.numbers import parse_whole
from kartra_mock.rules import ContractWarning

__all__ = ["IDENTITY_KEYS", "LeadInput", "apply_input", "read_lead_input"]

#: Keys of ``lead`` that identify rather than describe the lead.
IDENTITY_KEYS = frozenset({"id", "email"})
_PROFILE = frozenset(PROFILE_FIELDS)
#: ``None`` clears the field.
Change = str | None
CustomChange = CustomValue | None


@dataclass(frozen=True, slots=True)
class LeadInput:
    """A validated set of changes to one lead's profile and custom fields."""

    profile: dict[str, Change]
    custom_fields: dict[str, CustomChange]
    new_email: str | None
    warnings: tuple[ContractWarning, ...]


def read_lead_input(
    lead: Mapping[str, PhpValue],
    custom_fields: Mapping[str, CustomField],
    *,
    command: str,
) -> LeadInput:
    """Validate the descriptive part of ``lead`` for ``command``; 271 on a bad custom field."""
    warnings: list[ContractWarning] = []
    profile: dict[str, Change] = {}
    new_email: str | None = None
    for key, value in lead.items():
        if key in IDENTITY_KEYS:
            continue
        if key == "custom_fields":
            continue
        if key == "new_email":
            if command != "edit_lead":
                warnings.append(rules.NEW_EMAIL_OUTSIDE_EDIT.warn(f"lead[new_email] on {command}"))
            elif isinstance(value, str) and value != "":
                new_email = value
            continue
        if key not in _PROFILE:
            warnings.append(rules.UNKNOWN_LEAD_FIELD.warn(f"lead[{key}] is not a lead field"))
            continue
        if not isinstance(value, str):
            warnings.append(rules.NOT_A_STRING.warn(f"lead[{key}] was sent as an array"))
            continue
        if value == "":
            profile[key] = None
        elif key == TIME_ZONE and value not in TIME_ZONES:
            warnings.append(rules.INVALID_TIME_ZONE.warn(f"lead[{key}]={value!r}"))
        elif key == BUSINESS_TYPE and not is_number(value):
            warnings.append(rules.NON_NUMERIC_BUSINESS_TYPE.warn(f"lead[{key}]={value!r}"))
        else:
            profile[key] = value
    changes: dict[str, CustomChange] = {}
    if "custom_fields" in lead:
        changes = _read_custom_fields(lead["custom_fields"], custom_fields, warnings)
    return LeadInput(profile, changes, new_email, tuple(warnings))


def _read_custom_fields(
    raw: PhpValue,
    definitions: Mapping[str, CustomField],
    warnings: list[ContractWarning],
) -> dict[str, CustomChange]:
    if not isinstance(raw, dict):
        raise WrongCustomFieldFormat
    changes: dict[str, CustomChange] = {}
    for entry in raw.values():
        if not isinstance(entry, dict):
            raise WrongCustomFieldFormat
        identifier = entry.get("field_identifier")
        if not isinstance(identifier, str) or "field_value" not in entry:
            raise WrongCustomFieldFormat
        definition = definitions.get(identifier)
        if definition is None:
            warnings.append(rules.UNKNOWN_CUSTOM_FIELD.warn(f"field_identifier {identifier!r}"))
            continue
        changes[identifier] = _read_value(entry["field_value"], definition)
    return changes


def _read_value(value: PhpValue, definition: CustomField) -> CustomChange:
    """One field's value by its type (seed footnote ***); ``""`` clears."""
    if value == "":
        return None
    if not definition.type.has_options:
        if isinstance(value, str):
            return value
        raise WrongCustomFieldFormat
    allowed = definition.option_ids()
    if definition.type.value == "checkbox":
        if not isinstance(value, dict):
            raise WrongCustomFieldFormat
        if not value:
            return None
        return tuple(dict.fromkeys(_option_id(item, allowed) for item in value.values()))
    return _option_id(value, allowed)


def _option_id(value: PhpValue, allowed: frozenset[int]) -> int:
    # A number too long to be any option's id is as wrong as an id the field lacks (271).
    option_id = parse_whole(value)
    if option_id is None or option_id not in allowed:
        raise WrongCustomFieldFormat
    return option_id


def apply_input(lead: Lead, change: LeadInput) -> None:
    """Store a validated change on a lead (cannot fail)."""
    for key, value in change.profile.items():
        if value is None:
            lead.profile.pop(key, None)
        else:
            lead.profile[key] = value
    for identifier, custom in change.custom_fields.items():
        if custom is None:
            lead.custom_fields.pop(identifier, None)
        else:
            lead.custom_fields[identifier] = custom
