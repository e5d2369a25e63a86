"""What the contracts know about a Kartra account before any call: fields, time zones, schema.

Everything here is copied from Kartra's own page, as docs/behaviour.md#leads describes it,
not imported from the mock: the contracts judge the mock, so they keep their own copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "CHOICE_TYPES",
    "CUSTOM_FIELD_TYPES",
    "PROFILE_FIELDS",
    "TEXT_TYPES",
    "TIME_ZONES",
    "AccountSchema",
    "CustomFieldSpec",
]

#: The profile fields of create_lead/edit_lead, in the order of Kartra's table (documented;
#: ``facebook``/``twitter``/``linkedin`` are one rendering's three blank rows,
#: docs/behaviour.md#lead-fields).
PROFILE_FIELDS: tuple[str, ...] = (
    "phone",
    "phone_country_code",
    "first_name",
    "middle_name",
    "last_name",
    "last_name2",
    "ip",
    "address",
    "zip",
    "city",
    "state",
    "country",
    "company",
    "lead_picture",
    "website",
    "facebook",
    "twitter",
    "linkedin",
    "lead_preferred_time_zone",
    "sales_tax_id",
    "business_type",
)

#: The 76 options for ``lead_preferred_time_zone`` (docs/behaviour.md#lead_preferred_time_zone).
TIME_ZONES: frozenset[str] = frozenset(
    [
        "America/Los_Angeles",
        "America/Boise",
        "America/Chicago",
        "America/New_York",
        "Europe/London",
        "Europe/Brussels",
        "Etc/GMT+12",
        "Pacific/Midway",
        "Pacific/Honolulu",
        "America/Juneau",
        "America/Chihuahua",
        "America/Phoenix",
        "America/Regina",
        "America/Mexico_City",
        "America/Belize",
        "America/Indiana/Indianapolis",
        "America/Bogota",
        "America/Glace_Bay",
        "America/Caracas",
        "America/Santiago",
        "America/St_Johns",
        "America/Sao_Paulo",
        "America/Argentina/Buenos_Aires",
        "America/Nuuk",
        "Etc/GMT+2",
        "Atlantic/Azores",
        "Atlantic/Cape_Verde",
        "Africa/Casablanca",
        "Atlantic/Canary",
        "Europe/Belgrade",
        "Europe/Sarajevo",
        "Europe/Amsterdam",
        "Africa/Algiers",
        "Europe/Bucharest",
        "Africa/Cairo",
        "Europe/Helsinki",
        "Europe/Athens",
        "Asia/Jerusalem",
        "Africa/Harare",
        "Europe/Moscow",
        "Asia/Kuwait",
        "Africa/Nairobi",
        "Asia/Baghdad",
        "Asia/Tehran",
        "Asia/Dubai",
        "Asia/Baku",
        "Asia/Kabul",
        "Asia/Yekaterinburg",
        "Asia/Karachi",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "Asia/Dhaka",
        "Asia/Colombo",
        "Asia/Almaty",
        "Asia/Rangoon",
        "Asia/Bangkok",
        "Asia/Krasnoyarsk",
        "Asia/Shanghai",
        "Asia/Kuala_Lumpur",
        "Asia/Taipei",
        "Australia/Perth",
        "Asia/Irkutsk",
        "Asia/Seoul",
        "Asia/Tokyo",
        "Asia/Yakutsk",
        "Australia/Darwin",
        "Australia/Adelaide",
        "Australia/Sydney",
        "Australia/Brisbane",
        "Australia/Hobart",
        "Asia/Vladivostok",
        "Pacific/Guam",
        "Asia/Magadan",
        "Pacific/Fiji",
        "Pacific/Auckland",
        "Pacific/Tongatapu",
    ]
)

#: Custom-field types whose value is a string (documented, footnote ***).
TEXT_TYPES = frozenset({"input_field", "text_area"})
#: Custom-field types whose value is one option id, or an array of them for a checkbox.
CHOICE_TYPES = frozenset({"drop_down", "radio_button", "checkbox"})
CUSTOM_FIELD_TYPES = TEXT_TYPES | CHOICE_TYPES


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
