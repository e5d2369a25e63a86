"""Secondary actions: what may follow the lead command in a chain (research §4.2–4.3, §4.8).

Each handler takes the resolved lead and its ``actions[n]`` map, changes state or raises a
:class:`~kartra_mock.errors.KartraError`, which the chain reports inside that action's own
entry (SPEC §3.4). ``COMMANDS`` is the dispatch table; nothing is looked up by name elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kartra_mock import errors
from kartra_mock.domain.model import Account, Lead
from kartra_mock.forms import PhpValue

__all__ = ["COMMANDS", "ActionContext", "Command", "Entry"]

#: The inner object of one ``actions[n]`` entry of a response.
Entry = dict[str, object]


@dataclass(frozen=True, slots=True)
class ActionContext:
    """What one action runs against."""

    account: Account
    lead: Lead | None
    params: Mapping[str, PhpValue]

    def text(self, key: str) -> str:
        """A string parameter of the action; missing or an array reads as empty."""
        value = self.params.get(key, "")
        return value if isinstance(value, str) else ""

    def the_lead(self) -> Lead:
        """The resolved lead (lead-scoped commands always have one)."""
        if self.lead is None:  # pragma: no cover - the chain resolves a lead first
            raise errors.LeadNotFound
        return self.lead


Handler = Callable[[ActionContext], Entry]


@dataclass(frozen=True, slots=True)
class Command:
    """A secondary command: its handler, whether it acts on a lead, its documented parameters."""

    handler: Handler
    needs_lead: bool
    params: frozenset[str]
    #: For account-level retrievals: the top-level key their answer is documented under.
    flat_key: str | None = None


def _success(message: str, type_code: str) -> Entry:
    return {"status": "Success", "message": message, "type": type_code}


def _assign_tag(ctx: ActionContext) -> Entry:
    name = ctx.text("tag_name")
    if name == "":
        raise errors.TagNameEmpty
    if name not in ctx.account.tags:
        raise errors.TagNotFound
    ctx.the_lead().tags[name] = None
    return _success("Tag added to lead", "103")


def _unassign_tag(ctx: ActionContext) -> Entry:
    name = ctx.text("tag_name")
    if name == "":
        raise errors.UnassignTagNameEmpty
    if name not in ctx.account.tags:
        raise errors.UnassignTagNotFound
    # Not tagged: "the command will be ignored" and still succeeds (research §10-31).
    ctx.the_lead().tags.pop(name, None)
    return _success("Tag removed from lead", "104")


def _subscribe_list(ctx: ActionContext) -> Entry:
    name = ctx.text("list_name")
    if name == "":
        raise errors.ListNameEmpty
    if name not in ctx.account.lists:
        raise errors.ListNotFound
    ctx.the_lead().lists[name] = True
    return _success("Lead subscribed to list", "101")


def _unsubscribe_list(ctx: ActionContext) -> Entry:
    name = ctx.text("list_name")
    if name == "":
        raise errors.UnsubscribeListNameEmpty
    if name not in ctx.account.lists:
        raise errors.UnsubscribeListNotFound
    lead = ctx.the_lead()
    if name in lead.lists:
        lead.lists[name] = False
    # Same type 101 as subscribe, as every copy of Kartra's page says (research §10-8).
    return _success("Lead unsubscribed from list", "101")


def _retrieve_tags(ctx: ActionContext) -> Entry:
    return {"status": "Success", "account_tags": list(ctx.account.tags)}


def _retrieve_lists(ctx: ActionContext) -> Entry:
    return {"status": "Success", "account_lists": list(ctx.account.lists)}


def _retrieve_sequences(ctx: ActionContext) -> Entry:
    return {"status": "Success", "account_sequences": list(ctx.account.sequences)}


def _retrieve_custom_fields(ctx: ActionContext) -> Entry:
    fields: list[dict[str, object]] = []
    for number, field in enumerate(ctx.account.custom_fields.values(), start=1):
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
    return {"status": "Success", "custom_fields": fields}


_NONE: frozenset[str] = frozenset()

COMMANDS: Mapping[str, Command] = {
    "assign_tag": Command(_assign_tag, True, frozenset({"tag_name"})),
    "unassign_tag": Command(_unassign_tag, True, frozenset({"tag_name"})),
    "subscribe_lead_to_list": Command(_subscribe_list, True, frozenset({"list_name"})),
    "unsubscribe_lead_from_list": Command(_unsubscribe_list, True, frozenset({"list_name"})),
    "retrieve_account_tags": Command(_retrieve_tags, False, _NONE, "account_tags"),
    "retrieve_account_lists": Command(_retrieve_lists, False, _NONE, "account_lists"),
    "retrieve_account_sequences": Command(_retrieve_sequences, False, _NONE, "account_sequences"),
    "retrieve_custom_fields": Command(_retrieve_custom_fields, False, _NONE, "custom_fields"),
}
