"""Tags and lists of a lead: assign/unassign_tag, (un)subscribe_lead_to/from_list.

docs/behaviour.md#commands (documented): both are named, never numbered, and must already exist in
the account; removing one the lead does not have is a silent success
(docs/behaviour.md#unassign_tag)."""

from __future__ import annotations

from collections.abc import Mapping

from kartra_mock.domain.actions import ActionContext, Command, Entry, success, unsubscribe
from kartra_mock.protocol import errors
from kartra_mock.protocol.facts import TAG_LIST_SUCCESSES

__all__ = ["TAG_LIST_COMMANDS"]


def _assign_tag(ctx: ActionContext) -> Entry:
    name = ctx.existing_name("tag_name", errors.TagNameEmpty, errors.TagNotFound)
    ctx.the_lead().tags[name] = None
    return success(*TAG_LIST_SUCCESSES["assign_tag"])


def _unassign_tag(ctx: ActionContext) -> Entry:
    name = ctx.existing_name("tag_name", errors.UnassignTagNameEmpty, errors.UnassignTagNotFound)
    # Not tagged: "the command will be ignored" and still succeeds (docs/behaviour.md#unassign_tag).
    ctx.the_lead().tags.pop(name, None)
    return success(*TAG_LIST_SUCCESSES["unassign_tag"])


def _subscribe_list(ctx: ActionContext) -> Entry:
    name = ctx.existing_name("list_name", errors.ListNameEmpty, errors.ListNotFound)
    ctx.the_lead().lists[name] = True
    return success(*TAG_LIST_SUCCESSES["subscribe_lead_to_list"])


def _unsubscribe_list(ctx: ActionContext) -> Entry:
    name = ctx.existing_name(
        "list_name", errors.UnsubscribeListNameEmpty, errors.UnsubscribeListNotFound
    )
    unsubscribe(ctx.the_lead().lists, name, lambda _active: False)
    # Same type 101 as subscribe, as every copy of Kartra's page says
    # (docs/behaviour.md#unsubscribe_lead_from_list).
    return success(*TAG_LIST_SUCCESSES["unsubscribe_lead_from_list"])


TAG_LIST_COMMANDS: Mapping[str, Command] = {
    "assign_tag": Command(_assign_tag, True, frozenset({"tag_name"})),
    "unassign_tag": Command(_unassign_tag, True, frozenset({"tag_name"})),
    "subscribe_lead_to_list": Command(_subscribe_list, True, frozenset({"list_name"})),
    "unsubscribe_lead_from_list": Command(_unsubscribe_list, True, frozenset({"list_name"})),
}
