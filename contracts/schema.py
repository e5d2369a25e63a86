"""What the contracts know about a Kartra account before any call: fields, time zones, schema.

The documented facts (profile fields, time zones, custom-field types) come from
:mod:`kartra_mock.protocol.facts`, the one list the mock reads too; what Kartra *does* with
them the contracts derive on their own (:mod:`contracts.model`), never from the mock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kartra_mock.protocol.facts import (
    CHOICE_TYPES,
    CUSTOM_FIELD_TYPES,
    PROFILE_FIELDS,
    TEXT_TYPES,
    TIME_ZONES,
)

__all__ = [
    "CHOICE_TYPES",
    "CUSTOM_FIELD_TYPES",
    "PROFILE_FIELDS",
    "TEXT_TYPES",
    "TIME_ZONES",
    "AccountSchema",
    "CustomFieldSpec",
]


@dataclass(frozen=True, slots=True)
class CustomFieldSpec:
    """One custom field of the account: its identifier, type and option ids (as strings)."""

    identifier: str
    type: str
    options: tuple[str, ...] = ()

    @property
    def is_text(self) -> bool:
        """Whether the field takes a string (``input_field``, ``text_area``)."""
        return self.type in TEXT_TYPES

    @property
    def is_checkbox(self) -> bool:
        """Whether the field takes an array of option ids."""
        return self.type == "checkbox"


@dataclass(frozen=True, slots=True)
class AccountSchema:
    """The account's tags, lists and custom fields: what a lead can refer to.

    ``verify_server`` reads it from the server under test (retrieve_account_tags,
    retrieve_account_lists, retrieve_custom_fields); ``check_client`` seeds it.
    """

    tags: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    custom_fields: tuple[CustomFieldSpec, ...] = ()
    by_identifier: Mapping[str, CustomFieldSpec] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        lookup = {spec.identifier: spec for spec in self.custom_fields}
        object.__setattr__(self, "by_identifier", lookup)

    def custom_field(self, identifier: str) -> CustomFieldSpec | None:
        """The custom field with this identifier, if the account has it."""
        return self.by_identifier.get(identifier)
