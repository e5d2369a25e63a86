"""From Kartra's decoded JSON to the typed results, checking the shape on the way.

Every function takes the decoded JSON of a successful answer (top-level ``"Success"``) and
raises :class:`ShapeError` when it is not what Kartra sends; the core turns that into a
:class:`~kartra_mock.client.errors.KartraProtocolError` carrying the HTTP status and body.
Numbers are accepted as JSON strings (Kartra's habit) or as JSON numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kartra_mock.client.results import (
    ActionResult,
    ChainResult,
    CustomField,
    CustomFieldOption,
    CustomFieldValue,
    LeadList,
    LeadProfile,
    LeadRef,
    LeadSequence,
)
from kartra_mock.client.shapes import (
    ShapeError,
    as_list,
    as_object,
    as_text,
    optional_text,
    texts,
)

__all__ = [
    "ShapeError",
    "parse_chain",
    "parse_custom_fields",
    "parse_lead_profile",
    "parse_names",
]

#: The lead commands: their entry's ``lead_details`` names the chain's lead
#: (docs/behaviour.md#leads).
LEAD_COMMANDS = frozenset({"create_lead", "edit_lead", "search_lead"})


def _lead_ref(entry: Mapping[str, object], where: str) -> LeadRef:
    details = as_object(entry.get("lead_details"), f"{where}.lead_details")
    return LeadRef(as_text(details.get("id"), f"{where}.lead_details.id"))


def _action(cmd: str, entry: Mapping[str, object], where: str) -> ActionResult:
    status = entry.get("status")
    if status not in ("Success", "Error"):
        raise ShapeError(f"{where}.status is {status!r}, not 'Success' or 'Error'")
    return ActionResult(
        cmd=cmd,
        status=str(status),
        message=optional_text(entry, "message", where),
        type_code=optional_text(entry, "type", where),
        data=entry,
    )


def parse_chain(body: Mapping[str, object], cmds: Sequence[str]) -> ChainResult:
    """A chain's answer: one :class:`ActionResult` per requested command, in request order.

    Kartra answers some calls flat, without ``actions`` (search_lead alone, account retrievals):
    each action then reads the top-level object (docs/behaviour.md#account-retrievals,
    docs/behaviour.md#leads)."""
    raw_actions = body.get("actions")
    results: list[ActionResult] = []
    if raw_actions is None:
        results = [_action(cmd, body, "answer") for cmd in cmds]
    else:
        entries = as_list(raw_actions, "actions")
        if len(entries) != len(cmds):
            raise ShapeError(f"{len(cmds)} actions were sent but 'actions' has {len(entries)}")
        for index, (cmd, raw) in enumerate(zip(cmds, entries, strict=True)):
            where = f"actions[{index}]"
            wrapper = as_object(raw, where)
            if list(wrapper) != [cmd]:
                raise ShapeError(f"{where} should hold one key {cmd!r}, not {list(wrapper)}")
            results.append(
                _action(cmd, as_object(wrapper[cmd], f"{where}.{cmd}"), f"{where}.{cmd}")
            )
    lead: LeadRef | None = None
    if cmds and cmds[0] in LEAD_COMMANDS and results[0].ok:
        lead = _lead_ref(results[0].data, cmds[0])
    return ChainResult(str(body.get("status")), tuple(results), lead, body)


def parse_names(entry: Mapping[str, object], key: str) -> tuple[str, ...]:
    """An account retrieval's list of names, e.g. ``account_tags``
    (docs/behaviour.md#account-retrievals)."""
    items = as_list(entry.get(key), key)
    return tuple(as_text(item, f"{key}[{index}]") for index, item in enumerate(items))


def _options(value: object, where: str) -> tuple[CustomFieldOption, ...]:
    options: list[CustomFieldOption] = []
    for index, raw in enumerate(as_list(value, where)):
        option = as_object(raw, f"{where}[{index}]")
        options.append(
            CustomFieldOption(
                as_text(option.get("option_id"), f"{where}[{index}].option_id"),
                optional_text(option, "option_value", f"{where}[{index}]"),
            )
        )
    return tuple(options)


def parse_custom_fields(entry: Mapping[str, object]) -> tuple[CustomField, ...]:
    """retrieve_custom_fields' ``custom_fields`` (docs/behaviour.md#retrieve_custom_fields)."""
    fields: list[CustomField] = []
    for index, raw in enumerate(as_list(entry.get("custom_fields"), "custom_fields")):
        where = f"custom_fields[{index}]"
        item = as_object(raw, where)
        options = item.get("field_value")
        fields.append(
            CustomField(
                field_id=optional_text(item, "field_id", where),
                identifier=as_text(item.get("field_identifier"), f"{where}.field_identifier"),
                type=optional_text(item, "field_type", where),
                options=() if options is None else _options(options, f"{where}.field_value"),
            )
        )
    return tuple(fields)


def _field_value(item: Mapping[str, object], where: str) -> CustomFieldValue:
    value = item.get("field_value")
    is_options = isinstance(value, list)
    return CustomFieldValue(
        field_id=optional_text(item, "field_id", where),
        identifier=as_text(item.get("field_identifier"), f"{where}.field_identifier"),
        type=optional_text(item, "field_type", where),
        text="" if is_options or value is None else as_text(value, f"{where}.field_value"),
        options=_options(value, f"{where}.field_value") if is_options else (),
    )


def parse_lead_profile(body: Mapping[str, object]) -> LeadProfile:
    """get_lead's ``lead_details`` (docs/behaviour.md#get_lead)."""
    details = as_object(body.get("lead_details"), "lead_details")
    where = "lead_details"

    score = optional_text(details, "score", where) or "0"
    try:
        score_value = int(float(score))
    except ValueError:
        raise ShapeError(f"{where}.score is {score!r}, not a number") from None
    tags = tuple(
        as_text(as_object(tag, f"{where}.tags[{i}]").get("tag_name"), f"{where}.tags[{i}].tag_name")
        for i, tag in enumerate(as_list(details.get("tags", []), f"{where}.tags"))
    )
    lists: list[LeadList] = []
    for i, raw in enumerate(as_list(details.get("lists", []), f"{where}.lists")):
        item = as_object(raw, f"{where}.lists[{i}]")
        active = optional_text(item, "active", f"{where}.lists[{i}]")
        lists.append(
            LeadList(
                list_id=optional_text(item, "list_id", f"{where}.lists[{i}]"),
                name=as_text(item.get("list_name"), f"{where}.lists[{i}].list_name"),
                active=active not in ("0", "", "false"),
            )
        )
    sequences: list[LeadSequence] = []
    for i, raw in enumerate(as_list(details.get("sequences", []), f"{where}.sequences")):
        item = as_object(raw, f"{where}.sequences[{i}]")
        place = f"{where}.sequences[{i}]"
        sequences.append(
            LeadSequence(
                sequence_id=optional_text(item, "sequence_id", place),
                name=as_text(item.get("sequence_name"), f"{place}.sequence_name"),
                step=optional_text(item, "step", place),
                status=optional_text(item, "status", place),
            )
        )
    custom: dict[str, CustomFieldValue] = {}
    for i, raw in enumerate(as_list(details.get("custom_fields", []), f"{where}.custom_fields")):
        value = _field_value(
            as_object(raw, f"{where}.custom_fields[{i}]"), f"{where}.custom_fields[{i}]"
        )
        custom[value.identifier] = value
    return LeadProfile(
        **texts(LeadProfile, details, where),
        score=score_value,
        tags=tags,
        lists=tuple(lists),
        sequences=tuple(sequences),
        custom_fields=custom,
        raw=details,
    )
