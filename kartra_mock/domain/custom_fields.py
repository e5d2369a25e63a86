"""Account custom fields: create_custom_field and retrieve_custom_fields
(docs/behaviour.md#create_custom_field).

Both are account-level (no lead). Creation checks, in this order (inferred; the codes and
causes are documented): 265 empty identifier, 263 characters other than letters, digits,
``-`` and ``_``, 264 an identifier the account has (compared case-insensitively) or one that
names a built-in lead field, 269 an unknown type, then for choice types 270 options not an
array, 272 an empty option name, 273 fewer than two options.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kartra_mock.domain.actions import ActionContext, Command, Entry, success
from kartra_mock.domain.model import Account, CustomField, FieldType, Option
from kartra_mock.protocol import errors
from kartra_mock.protocol.facts import PROFILE_FIELDS
from kartra_mock.protocol.forms import PhpValue

__all__ = ["CUSTOM_FIELD_COMMANDS", "describe_fields"]

_IDENTIFIER = re.compile(r"[A-Za-z0-9_-]+")
#: Names a custom field may not take: they are the lead's own fields (inferred reading of
#: "or not allowed").
_RESERVED = frozenset({"id", "email", "new_email", "custom_fields", *PROFILE_FIELDS})


def _read_options(raw: PhpValue | None) -> tuple[str, ...]:
    if not isinstance(raw, dict):
        raise errors.OptionsNotArray
    names: list[str] = []
    for entry in raw.values():
        name = entry.get("option_name", "") if isinstance(entry, dict) else ""
        if not isinstance(name, str) or name == "":
            raise errors.OptionEmpty
        names.append(name)
    if len(names) < 2:
        raise errors.TooFewOptions
    return tuple(names)


def _create(ctx: ActionContext) -> Entry:
    account = ctx.account
    identifier = ctx.required("custom_field_identifier", errors.CustomFieldNameEmpty)
    if _IDENTIFIER.fullmatch(identifier) is None:
        raise errors.CustomFieldNameInvalid
    taken = {name.lower() for name in account.custom_fields} | _RESERVED
    if identifier.lower() in taken:
        raise errors.CustomFieldExists
    try:
        field_type = FieldType(ctx.text("custom_field_type"))
    except ValueError:
        raise errors.CustomFieldTypeInvalid from None
    names: tuple[str, ...] = ()
    if field_type.has_options:
        names = _read_options(ctx.params.get("custom_field_options"))
    first = _next_option_id(account)
    options = tuple(Option(first + i, name) for i, name in enumerate(names))
    field_id = max((f.field_id for f in account.custom_fields.values()), default=0) + 1
    account.custom_fields[identifier] = CustomField(identifier, field_type, options, field_id)
    return success("Custom Field created", "114")


def _next_option_id(account: Account) -> int:
    """New options get ids after every option of the account (inferred: unique account-wide)."""
    return 1 + max(
        (o.id for f in account.custom_fields.values() for o in f.options),
        default=0,
    )


def describe_fields(account: Account) -> list[dict[str, object]]:
    """The account's fields as retrieve_custom_fields lists them
    (docs/behaviour.md#retrieve_custom_fields)."""
    fields: list[dict[str, object]] = []
    for number, field in enumerate(account.custom_fields.values(), start=1):
        item: dict[str, object] = {
            "field_id": str(field.field_id or number),
            "field_identifier": field.identifier,
            "field_type": field.type.value,
        }
        if field.type.has_options:
            item["field_value"] = [
                {"option_id": str(option.id), "option_value": option.value}
                for option in field.options
            ]
        fields.append(item)
    return fields


def _retrieve(ctx: ActionContext) -> Entry:
    return {"status": "Success", "custom_fields": describe_fields(ctx.account)}


CUSTOM_FIELD_COMMANDS: Mapping[str, Command] = {
    "create_custom_field": Command(
        _create,
        False,
        frozenset({"custom_field_identifier", "custom_field_type", "custom_field_options"}),
    ),
    "retrieve_custom_fields": Command(_retrieve, False, frozenset(), "custom_fields"),
}
