"""The OpenAPI paths of seeding one item, ``POST /_mock/accounts/{api_key}/{kind}``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kartra_mock.domain.model import FieldType
from kartra_mock.engine.seeding import SEED_KINDS
from kartra_mock.engine.state_leads import LEAD_KEYS

__all__ = ["seeding_paths"]

Schema = dict[str, Any]
_STRING: Schema = {"type": "string"}
_NAME: Schema = {"type": "string", "minLength": 1}
_NAMES: Schema = {"type": "array", "items": _NAME, "uniqueItems": True}
_ID: Schema = {"type": "integer", "minimum": 1}


def _item(required: list[str], properties: Schema, description: str) -> Schema:
    return {
        "type": "object",
        "description": description,
        "required": required,
        "additionalProperties": False,
        "properties": properties,
    }


_ITEMS: dict[str, Schema] = {
    "leads": _item(
        ["email"],
        {**{key: {} for key in sorted(LEAD_KEYS)}, "email": _NAME, "id": _ID},
        "A lead as the state document writes it; `id` defaults to the account's next id. "
        "Everything it refers to (tags, lists, custom fields and their options, sequences, "
        "calendars) must exist in the account.",
    ),
    **{
        kind: _item(["name"], {"name": _NAME}, f"One of the account's {kind}; kept if present.")
        for kind in ("tags", "lists", "pages")
    },
    "custom_fields": _item(
        ["identifier", "type"],
        {
            "identifier": _NAME,
            "type": {"enum": [t.value for t in FieldType]},
            "options": {
                "type": "array",
                "items": _item(["id"], {"id": _ID, "value": _STRING}, "An option."),
            },
            "field_id": _ID,
        },
        "A custom field; its identifier must be new to the account.",
    ),
    "sequences": _item(
        ["name"], {"name": _NAME, "steps": _NAMES}, "A sequence; its name must be new."
    ),
    "calendars": _item(
        ["name"],
        {"name": _NAME, "classes": _NAMES, "complete": {"type": "boolean"}},
        "A calendar; its name must be new.",
    ),
}

_ADDED: Schema = {
    "type": "object",
    "properties": {
        "status": {"const": "ok"},
        "api_key": _STRING,
        "id": _ID,
        "name": _STRING,
        "identifier": _STRING,
        "field_id": _ID,
        "created": {"type": "boolean"},
    },
}


def seeding_paths(
    control: Callable[..., Schema], path: Callable[[str], Schema]
) -> dict[str, Schema]:
    """One path per kind, built with the main document's operation and parameter builders."""
    return {
        f"/_mock/accounts/{{api_key}}/{kind}": {
            "post": control(
                f"seed{kind.title().replace('_', '')}",
                f"Add one item to an account's {kind.replace('_', ' ')} "
                "(an unknown account is made from the template)",
                _ADDED,
                body=_ITEMS[kind],
                parameters=[path("api_key")],
                errors_={"422": "Invalid item, or it clashes with the account; nothing changed."},
            )
        }
        for kind in SEED_KINDS
    }
