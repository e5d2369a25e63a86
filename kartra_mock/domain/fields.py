"""The lead profile: which fields a lead has and what values they take
(docs/behaviour.md#lead-fields)."""

from __future__ import annotations

import re

__all__ = ["BUSINESS_TYPE", "PROFILE_FIELDS", "TIME_ZONE", "TIME_ZONES", "is_number"]

#: Writable string fields of create_lead / edit_lead, in the order of Kartra's table (documented;
#: facebook/twitter/linkedin are one rendering's three blank rows: docs/behaviour.md#lead-fields).
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

TIME_ZONE = "lead_preferred_time_zone"
BUSINESS_TYPE = "business_type"

#: The 76 documented options (docs/behaviour.md#lead_preferred_time_zone), in Kartra's order.
TIME_ZONES: frozenset[str] = frozenset(
    (
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
)

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def is_number(value: str) -> bool:
    """Whether a form value reads as a number (business_type is documented as one)."""
    return _NUMBER.fullmatch(value) is not None
