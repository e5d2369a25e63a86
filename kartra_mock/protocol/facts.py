"""Kartra's documented facts, in one place: read by the mock and by the contracts alike.

Profile fields, time zones, custom-field types, the lead commands and a few success
messages, each as Kartra documents it (docs/behaviour.md says where), and :class:`Source`, the
tag that says how we know a behaviour. Error codes and their
messages live in :mod:`kartra_mock.protocol.errors`. Only facts live here, never behaviour: the
mock's domain and the contracts' model each derive what Kartra does from them on their own.

Example::

    >>> "Europe/London" in TIME_ZONES, len(TIME_ZONES)
    (True, 76)
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

__all__ = [
    "BUSINESS_TYPE",
    "CHOICE_TYPES",
    "CUSTOM_FIELD_TYPES",
    "LEAD_COMMANDS",
    "LEAD_FOUND",
    "PROFILE_FIELDS",
    "TAG_LIST_SUCCESSES",
    "TEXT_TYPES",
    "TIME_ZONE",
    "TIME_ZONES",
    "Source",
    "Success",
]


#: Writable string fields of create_lead / edit_lead, in the documented table's order
#: (documented; facebook/twitter/linkedin are its three blank rows: docs/behaviour.md#lead-fields).
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

#: The profile field that takes one of :data:`TIME_ZONES`.
TIME_ZONE = "lead_preferred_time_zone"
#: The profile field documented as a number.
BUSINESS_TYPE = "business_type"

#: The 76 documented options of ``lead_preferred_time_zone``, in Kartra's order
#: (docs/behaviour.md#lead_preferred_time_zone).
TIME_ZONES: tuple[str, ...] = (
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
)

#: Custom-field types whose value is a string (documented).
TEXT_TYPES: frozenset[str] = frozenset({"input_field", "text_area"})
#: Custom-field types whose value is one option id, or an array of them for a checkbox.
CHOICE_TYPES: frozenset[str] = frozenset({"drop_down", "radio_button", "checkbox"})
#: The five custom-field types, in Kartra's order (docs/behaviour.md#create_custom_field).
CUSTOM_FIELD_TYPES: tuple[str, ...] = (
    "input_field",
    "text_area",
    "drop_down",
    "radio_button",
    "checkbox",
)

#: The commands that may only stand at ``actions[0]`` (documented).
LEAD_COMMANDS: frozenset[str] = frozenset({"create_lead", "edit_lead", "search_lead"})
#: search_lead's success message (docs/behaviour.md#search_lead).
LEAD_FOUND = "Lead found"


class Success(NamedTuple):
    """A secondary action's documented success: its ``message`` and ``type``."""

    message: str
    type_code: str


#: The tag and list actions' successes (docs/behaviour.md#subscribe_lead_to_list to #unassign_tag).
TAG_LIST_SUCCESSES: Mapping[str, Success] = MappingProxyType(
    {
        "assign_tag": Success("Tag added to lead", "103"),
        "unassign_tag": Success("Tag removed from lead", "104"),
        "subscribe_lead_to_list": Success("Lead subscribed to list", "101"),
        "unsubscribe_lead_from_list": Success("Lead unsubscribed from list", "101"),
    }
)


class Source(StrEnum):
    """How we know a behaviour: the three tags of docs/behaviour.md."""

    DOCUMENTED = "documented"
    OBSERVED = "observed"
    INFERRED = "inferred"
