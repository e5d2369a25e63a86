"""Kartra's answers, read strictly: the exact envelopes of docs/behaviour.md#leads and #chains.

Used by :class:`~contracts.http.HttpAdapter`, the contracts' own client, so that
``verify_server`` checks not only *what* a server answers but *how*: exact keys, ``type`` and
ids as JSON strings, the documented messages. A wrong shape raises :class:`EnvelopeViolation`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from contracts.calls import LEAD_COMMANDS
from contracts.model import SECONDARY_RULES
from contracts.outcomes import ActionOutcome, CustomFieldView, LeadView, Outcome
from contracts.schema import CHOICE_TYPES, PROFILE_FIELDS, AccountSchema
from kartra_mock.protocol.errors import ERRORS_BY_TYPE
from kartra_mock.protocol.facts import LEAD_FOUND, TAG_LIST_SUCCESSES

__all__ = ["SUCCESS_MESSAGES", "EnvelopeViolation", "read_call", "read_get_lead"]

#: The success messages of the tag and list actions (documented,
#: docs/behaviour.md#subscribe_lead_to_list, docs/behaviour.md#assign_tag, docs/errors.md).
SUCCESS_MESSAGES: Mapping[str, str] = {
    cmd: success.message for cmd, success in TAG_LIST_SUCCESSES.items()
}


class EnvelopeViolation(AssertionError):
    """An answer that is JSON but not in Kartra's documented shape."""


def _fail(reason: str, body: object) -> EnvelopeViolation:
    text = repr(body)
    if len(text) > 300:
        text = text[:300] + "…"
    return EnvelopeViolation(f"{reason}; the answer was {text}")


def _object(value: object, where: str, body: object) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise _fail(f"{where} is not a JSON object", body)
    return value


def _keys(value: Mapping[str, object], expected: set[str], where: str, body: object) -> None:
    if set(value) != expected:
        raise _fail(f"{where} has keys {sorted(value)}, expected exactly {sorted(expected)}", body)


def _lead_id(details: object, where: str, body: object) -> str:
    """``{"id": "1234"}`` exactly: an id is a positive integer written as a JSON string."""
    found = _object(details, where, body)
    _keys(found, {"id"}, where, body)
    lead_id = found["id"]
    if not isinstance(lead_id, str) or not lead_id.isascii() or not lead_id.isdigit():
        raise _fail(f"{where}.id is {lead_id!r}, expected a number as a JSON string", body)
    return lead_id


def _typed_entry(entry: Mapping[str, object], where: str, body: object) -> tuple[str, str, str]:
    """``{"status", "message", "type"}`` with string values: status, message, type."""
    _keys(entry, {"status", "message", "type"}, where, body)
    status, message, type_code = entry["status"], entry["message"], entry["type"]
    if not isinstance(type_code, str):
        raise _fail(f"{where}.type is {type_code!r}, expected a JSON string", body)
    if not isinstance(message, str) or not isinstance(status, str):
        raise _fail(f"{where} has a status or message that is not a string", body)
    return status, message, type_code


def read_flat_error(answer: Mapping[str, object], body: object) -> str:
    """A flat error, exactly ``{"status":"Error","message":…,"type":…}``; returns the type."""
    _, message, type_code = _typed_entry(answer, "the error", body)
    known = ERRORS_BY_TYPE.get(type_code)
    if known is not None and message != known.default_message:
        raise _fail(
            f"error {type_code} says {message!r}, Kartra documents {known.default_message!r}", body
        )
    return type_code


def _secondary_entry(
    cmd: str, entry: Mapping[str, object], where: str, body: object
) -> ActionOutcome:
    status, message, type_code = _typed_entry(entry, where, body)
    if status == "Error":
        known = ERRORS_BY_TYPE.get(type_code)
        if known is not None and message != known.default_message:
            raise _fail(
                f"{where} says {message!r} for {type_code}, not {known.default_message!r}", body
            )
        return ActionOutcome(cmd, type_code)
    if status != "Success":
        raise _fail(f"{where}.status is {status!r}", body)
    rule = SECONDARY_RULES.get(cmd)
    if rule is not None and (type_code, message) != (rule.success, SUCCESS_MESSAGES[cmd]):
        raise _fail(
            f"{where} succeeded with {type_code} {message!r}, Kartra documents "
            f"{rule.success} {SUCCESS_MESSAGES[cmd]!r}",
            body,
        )
    return ActionOutcome(cmd, None, type_code)


def _lead_entry(cmd: str, entry: Mapping[str, object], where: str, body: object) -> str:
    """A lead command's entry: create/edit ``{"status","lead_details"}``; search adds its
    message (docs/behaviour.md#search_lead). Returns the lead id."""
    expected = {"status", "lead_details"} | ({"message"} if cmd == "search_lead" else set())
    _keys(entry, expected, where, body)
    if entry["status"] != "Success":
        raise _fail(f"{where}.status is {entry['status']!r}: a failed {cmd} is a flat error", body)
    if cmd == "search_lead" and entry["message"] != LEAD_FOUND:
        raise _fail(f"{where}.message is {entry['message']!r}, expected {LEAD_FOUND!r}", body)
    return _lead_id(entry["lead_details"], f"{where}.lead_details", body)


def _entries(
    raw: object, cmds: Sequence[str], body: object
) -> tuple[list[ActionOutcome], str | None]:
    if not isinstance(raw, list):
        raise _fail("'actions' is not a JSON array", body)
    if len(raw) != len(cmds):
        raise _fail(f"{len(cmds)} actions were sent, 'actions' has {len(raw)} entries", body)
    outcomes: list[ActionOutcome] = []
    lead_id: str | None = None
    for index, (cmd, wrapper) in enumerate(zip(cmds, raw, strict=True)):
        where = f"actions[{index}]"
        wrapped = _object(wrapper, where, body)
        _keys(wrapped, {cmd}, where, body)
        entry = _object(wrapped[cmd], f"{where}.{cmd}", body)
        if cmd in LEAD_COMMANDS:
            lead_id = _lead_entry(cmd, entry, f"{where}.{cmd}", body)
            outcomes.append(ActionOutcome(cmd))
        else:
            outcomes.append(_secondary_entry(cmd, entry, f"{where}.{cmd}", body))
    return outcomes, lead_id


def read_call(body: object, cmds: Sequence[str]) -> Outcome:
    """The answer to a call of ``cmds``: a flat error, or one entry per action
    (docs/behaviour.md#chains).

    search_lead first answers flat, ``{"status":"Success","message":"Lead found",
    "lead_details":{"id":…}}``, and adds ``actions`` only when more actions follow
    (docs/behaviour.md#leads)."""
    answer = _object(body, "the answer", body)
    status = answer.get("status")
    if status == "Error":
        return Outcome.failed(read_flat_error(answer, body))
    if status != "Success":
        raise _fail(f"status is {status!r}, expected 'Success' or 'Error'", body)
    if cmds and cmds[0] == "search_lead":
        expected = {"status", "message", "lead_details"} | ({"actions"} if len(cmds) > 1 else set())
        _keys(answer, expected, "the answer", body)
        if answer["message"] != LEAD_FOUND:
            raise _fail(f"message is {answer['message']!r}, expected {LEAD_FOUND!r}", body)
        lead_id = _lead_id(answer["lead_details"], "lead_details", body)
        if len(cmds) == 1:
            return Outcome(lead_id=lead_id, actions=(ActionOutcome("search_lead"),))
        outcomes, entry_id = _entries(answer["actions"], cmds, body)
        if entry_id != lead_id:
            raise _fail(f"actions[0] names lead {entry_id}, lead_details {lead_id}", body)
        return Outcome(lead_id=lead_id, actions=tuple(outcomes))
    _keys(answer, {"status", "actions"}, "the answer", body)
    entries, named = _entries(answer["actions"], cmds, body)
    return Outcome(lead_id=named, actions=tuple(entries))


def _text(value: object, where: str, body: object) -> str:
    if not isinstance(value, str):
        raise _fail(f"{where} is {value!r}, expected a JSON string", body)
    return value


def _custom_value(item: Mapping[str, object], where: str, body: object) -> CustomFieldView | None:
    kind = item.get("field_type")
    value = item.get("field_value")
    if kind in CHOICE_TYPES:
        if value == "" or value is None:
            return None  # inferred: an empty choice field may read as "" as well as []
        if not isinstance(value, list):
            raise _fail(f"{where}.field_value of a {kind} is not an array of options", body)
        ids = set()
        for index, option in enumerate(value):
            chosen = _object(option, f"{where}.field_value[{index}]", body)
            ids.add(_text(chosen.get("option_id"), f"{where}.field_value[{index}].option_id", body))
        return frozenset(ids) or None
    text = _text(value, f"{where}.field_value", body)
    return text or None


def read_get_lead(body: object, schema: AccountSchema) -> Outcome:
    """get_lead's answer: ``{"status":"Success","lead_details":{…}}`` (docs/behaviour.md#get_lead).

    The profile carries every documented field as a string and every account custom field,
    empty ones too (docs/behaviour.md#get_lead); tags and lists name their tag and list.
    """
    answer = _object(body, "the answer", body)
    if answer.get("status") == "Error":
        return Outcome.failed(read_flat_error(answer, body))
    _keys(answer, {"status", "lead_details"}, "the answer", body)
    if answer["status"] != "Success":
        raise _fail(f"status is {answer['status']!r}", body)
    details = _object(answer["lead_details"], "lead_details", body)
    lead_id = _text(details.get("id"), "lead_details.id", body)
    email = _text(details.get("email"), "lead_details.email", body)
    fields = {}
    for name in PROFILE_FIELDS:
        value = _text(details.get(name), f"lead_details.{name}", body)
        if value:
            fields[name] = value
    raw_custom = details.get("custom_fields")
    if not isinstance(raw_custom, list):
        raise _fail("lead_details.custom_fields is not a JSON array", body)
    custom: dict[str, CustomFieldView] = {}
    seen = set()
    for index, raw in enumerate(raw_custom):
        where = f"lead_details.custom_fields[{index}]"
        item = _object(raw, where, body)
        identifier = _text(item.get("field_identifier"), f"{where}.field_identifier", body)
        seen.add(identifier)
        chosen = _custom_value(item, where, body)
        if chosen is not None:
            custom[identifier] = chosen
    missing = sorted({spec.identifier for spec in schema.custom_fields} - seen)
    if missing:
        raise _fail(f"lead_details.custom_fields leaves out the account's fields {missing}", body)
    tags = _names(details.get("tags"), "tags", "tag_name", body)
    lists = _names(details.get("lists"), "lists", "list_name", body, active_only=True)
    return Outcome(
        lead_id=lead_id,
        profile=LeadView(lead_id, email, fields, custom, frozenset(tags), frozenset(lists)),
    )


def _names(
    raw: object, key: str, name_key: str, body: object, *, active_only: bool = False
) -> set[str]:
    if not isinstance(raw, list):
        raise _fail(f"lead_details.{key} is not a JSON array", body)
    names = set()
    for index, entry in enumerate(raw):
        where = f"lead_details.{key}[{index}]"
        item = _object(entry, where, body)
        name = _text(item.get(name_key), f"{where}.{name_key}", body)
        if active_only and str(item.get("active", "1")) in ("0", "", "False", "false"):
            continue  # docs/behaviour.md#get_lead: a list entry may stay with active "0"
        names.add(name)
    return names
