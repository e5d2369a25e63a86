"""Reading the ``lead`` map of create_lead / edit_lead into a validated change
(docs/behaviour.md#lead-fields).

Validation is complete before anything is stored: :func:`read_lead_input` either raises
(271, nothing changed) or returns a :class:`LeadInput` that can be applied without failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kartra_mock.domain.fields import is_number
from kartra_mock.domain.model import CustomField, CustomValue, Lead
from kartra_mock.protocol import rules
from kartra_mock.protocol.errors import WrongCustomFieldFormat
from kartra_mock.protocol.facts import BUSINESS_TYPE, PROFILE_FIELDS, TIME_ZONE, TIME_ZONES
from kartra_mock.protocol.forms import PhpValue
from kartra_mock.protocol.numbers import parse_whole
from kartra_mock.protocol.rules import ContractWarning

__all__ = ["IDENTITY_KEYS", "LeadInput", "apply_input", "lead_input_warnings", "read_lead_input"]

#: Keys of ``lead`` that identify rather than describe the lead.
IDENTITY_KEYS = frozenset({"id", "email"})
_PROFILE = frozenset(PROFILE_FIELDS)
_TIME_ZONES = frozenset(TIME_ZONES)
#: ``None`` clears the field.
Change = str | None
CustomChange = CustomValue | None


@dataclass(frozen=True, slots=True)
class LeadInput:
    """A validated set of changes to one lead's profile and custom fields."""

    profile: dict[str, Change]
    custom_fields: dict[str, CustomChange]
    new_email: str | None


def _profile_warning(key: str, value: PhpValue, command: str) -> ContractWarning | None:
    """Why one descriptive ``lead`` entry is not stored, or ``None`` if it is."""
    if key == "new_email":
        if command != "edit_lead":
            return rules.NEW_EMAIL_OUTSIDE_EDIT.warn(f"lead[new_email] on {command}")
        return None
    if key not in _PROFILE:
        return rules.UNKNOWN_LEAD_FIELD.warn(f"lead[{key}] is not a lead field")
    if not isinstance(value, str):
        return rules.NOT_A_STRING.warn(f"lead[{key}] was sent as an array")
    if value == "":
        return None
    if key == TIME_ZONE and value not in _TIME_ZONES:
        return rules.INVALID_TIME_ZONE.warn(f"lead[{key}]={value!r}")
    if key == BUSINESS_TYPE and not is_number(value):
        return rules.NON_NUMERIC_BUSINESS_TYPE.warn(f"lead[{key}]={value!r}")
    return None


def lead_input_warnings(
    lead: Mapping[str, PhpValue],
    custom_fields: Mapping[str, CustomField] | None,
    *,
    command: str,
) -> list[ContractWarning]:
    """The contract warnings of a ``lead`` map; never raises (a bad custom field is a 271).

    ``custom_fields=None``: no account to judge identifiers by, so none is called unknown.
    """
    found: list[ContractWarning] = []
    for key, value in lead.items():
        if key in IDENTITY_KEYS or key == "custom_fields":
            continue
        warning = _profile_warning(key, value, command)
        if warning is not None:
            found.append(warning)
    raw = lead.get("custom_fields")
    entries = raw.values() if isinstance(raw, dict) and custom_fields is not None else ()
    for entry in entries:
        identifier = entry.get("field_identifier") if isinstance(entry, dict) else None
        if (
            isinstance(identifier, str)
            and custom_fields is not None
            and identifier not in custom_fields
        ):
            found.append(rules.UNKNOWN_CUSTOM_FIELD.warn(f"field_identifier {identifier!r}"))
    return found


def read_lead_input(
    lead: Mapping[str, PhpValue],
    custom_fields: Mapping[str, CustomField],
    *,
    command: str,
) -> LeadInput:
    """Validate the descriptive part of ``lead`` for ``command``; 271 on a bad custom field.

    What is not stored is skipped here; :func:`lead_input_warnings` says why.
    """
    profile: dict[str, Change] = {}
    new_email: str | None = None
    for key, value in lead.items():
        if key in IDENTITY_KEYS or key == "custom_fields":
            continue
        if _profile_warning(key, value, command) is not None:
            continue
        if key == "new_email":
            if isinstance(value, str) and value != "":
                new_email = value
            continue
        if isinstance(value, str):  # an array was skipped above, as a warning
            profile[key] = None if value == "" else value
    changes: dict[str, CustomChange] = {}
    if "custom_fields" in lead:
        changes = _read_custom_fields(lead["custom_fields"], custom_fields)
    return LeadInput(profile, changes, new_email)


def _read_custom_fields(
    raw: PhpValue,
    definitions: Mapping[str, CustomField],
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
            continue
        changes[identifier] = _read_value(entry["field_value"], definition)
    return changes


def _read_value(value: PhpValue, definition: CustomField) -> CustomChange:
    """One field's value by its type (docs/behaviour.md#custom-fields); ``""`` clears."""
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
