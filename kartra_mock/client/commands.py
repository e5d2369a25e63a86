"""What each command sends and how its answer is read: one :class:`Operation` per command.

Both clients call these builders, so the parameters of a command are written once. A call
of one action is a chain of one (SPEC §3.4): a failure comes back inside ``actions[0]`` with
a top-level ``Success``, and the one-command methods raise its catalogue error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from kartra_mock.client.core import Operation
from kartra_mock.client.encoding import Params, lead_params
from kartra_mock.client.parsing import (
    LEAD_COMMANDS,
    ShapeError,
    parse_chain,
    parse_custom_fields,
    parse_lead_profile,
    parse_names,
)
from kartra_mock.client.results import (
    ActionResult,
    ChainResult,
    CustomField,
    LeadProfile,
    LeadRef,
)

__all__ = [
    "ChainBuilder",
    "create_lead",
    "edit_lead",
    "get_lead",
    "identity",
    "lead_action",
    "raw_call",
    "retrieve_custom_fields",
    "retrieve_names",
    "search_lead",
]


def identity(id: str | int | None, email: str | None) -> dict[str, object]:
    """The ``lead`` / ``get_lead`` map naming one lead (Kartra: ``id`` wins over ``email``)."""
    if id is None and email is None:
        raise ValueError("name the lead: give id=… or email=… (or both)")
    found: dict[str, object] = {}
    if id is not None:
        found["id"] = str(id)
    if email is not None:
        found["email"] = email
    return found


def merge_lead(lead: Params | None, fields: Mapping[str, object]) -> dict[str, object]:
    """A lead map from a mapping and/or keyword fields (the keywords win)."""
    return {**(lead or {}), **fields}


class ChainBuilder:
    """Builds one call of several actions on one lead; the lead command always goes first.

    Kartra runs ``actions[0]`` to find or create the lead, then each further action on it
    (research §3.3). Add actions in any order; ``create_lead``/``edit_lead``/``search_lead``
    is moved to ``actions[0]``, and a chain holds at most one of them.
    """

    def __init__(self, lead: Params | None = None) -> None:
        self._lead = dict(lead) if lead is not None else None
        self._lead_cmd: str | None = None
        self._actions: list[dict[str, object]] = []

    def action(self, cmd: str, **params: object) -> Self:
        """Add any action with its parameters: ``action("give_points_to_lead", points=5)``."""
        if cmd in LEAD_COMMANDS:
            if params:
                raise ValueError(f"{cmd} takes its fields from the chain's lead, not parameters")
            if self._lead_cmd is not None:
                raise ValueError(f"a chain has one lead command; it already has {self._lead_cmd}")
            self._lead_cmd = cmd
        else:
            self._actions.append({"cmd": cmd, **params})
        return self

    def create_lead(self) -> Self:
        """Create the chain's lead (``lead[email]`` required); it goes to ``actions[0]``."""
        return self.action("create_lead")

    def edit_lead(self) -> Self:
        """Edit the chain's lead, found by ``id`` or ``email``; ``new_email`` changes the email."""
        return self.action("edit_lead")

    def search_lead(self) -> Self:
        """Find the chain's lead by ``id`` or ``email``; it goes to ``actions[0]``."""
        return self.action("search_lead")

    def assign_tag(self, tag_name: str) -> Self:
        """Tag the lead (the tag must exist in the account)."""
        return self.action("assign_tag", tag_name=tag_name)

    def unassign_tag(self, tag_name: str) -> Self:
        """Remove a tag from the lead."""
        return self.action("unassign_tag", tag_name=tag_name)

    def subscribe_lead_to_list(self, list_name: str) -> Self:
        """Subscribe the lead to a list (the list must exist in the account)."""
        return self.action("subscribe_lead_to_list", list_name=list_name)

    def unsubscribe_lead_from_list(self, list_name: str) -> Self:
        """Unsubscribe the lead from a list."""
        return self.action("unsubscribe_lead_from_list", list_name=list_name)

    def retrieve_account_tags(self) -> Self:
        """Add the account's tag names to the answer."""
        return self.action("retrieve_account_tags")

    def retrieve_account_lists(self) -> Self:
        """Add the account's list names to the answer."""
        return self.action("retrieve_account_lists")

    def retrieve_account_sequences(self) -> Self:
        """Add the account's sequence names to the answer."""
        return self.action("retrieve_account_sequences")

    def retrieve_custom_fields(self) -> Self:
        """Add the account's custom fields to the answer."""
        return self.action("retrieve_custom_fields")

    @property
    def cmds(self) -> tuple[str, ...]:
        """The commands, in the order they will be sent."""
        first = (self._lead_cmd,) if self._lead_cmd is not None else ()
        return first + tuple(str(action["cmd"]) for action in self._actions)

    def params(self) -> dict[str, object]:
        """The call's parameters, without credentials."""
        if not self.cmds:
            raise ValueError("an empty chain: add at least one action before sending")
        actions = [{"cmd": self._lead_cmd}] if self._lead_cmd is not None else []
        params: dict[str, object] = {}
        if self._lead is not None:
            params["lead"] = lead_params(self._lead)
        params["actions"] = [*actions, *self._actions]
        return params

    def operation(self, raise_on_action_error: bool) -> Operation[ChainResult]:
        """The call as an operation for the core."""
        cmds = self.cmds

        def parse(body: Mapping[str, object]) -> ChainResult:
            result = parse_chain(body, cmds)
            if raise_on_action_error:
                result.raise_for_action_errors()
            return result

        return Operation(self.params(), parse, "+".join(cmds))


def _lead_command(cmd: str, lead: Params) -> Operation[LeadRef]:
    def parse(body: Mapping[str, object]) -> LeadRef:
        result = parse_chain(body, (cmd,))
        result.raise_for_action_errors()
        if result.lead is None:  # pragma: no cover - parse_chain reads it or raises
            raise ShapeError(f"{cmd} answered no lead_details")
        return result.lead

    return Operation({"lead": lead_params(lead), "actions": [{"cmd": cmd}]}, parse, cmd)


def create_lead(lead: Params) -> Operation[LeadRef]:
    """create_lead: ``lead[email]`` and the profile fields; answers the new lead's id."""
    return _lead_command("create_lead", lead)


def edit_lead(lead: Params) -> Operation[LeadRef]:
    """edit_lead: ``lead[id]`` or ``lead[email]``, the fields to change, maybe ``new_email``."""
    return _lead_command("edit_lead", lead)


def search_lead(lead: Params) -> Operation[LeadRef]:
    """search_lead: find a lead by id or email."""
    return _lead_command("search_lead", lead)


def get_lead(lead: Params) -> Operation[LeadProfile]:
    """Top-level ``get_lead[id|email]``: the lead's whole profile."""
    return Operation({"get_lead": dict(lead)}, parse_lead_profile, "get_lead")


def lead_action(cmd: str, lead: Params, **params: object) -> Operation[ActionResult]:
    """One secondary action on an existing lead; its failure raises."""

    def parse(body: Mapping[str, object]) -> ActionResult:
        result = parse_chain(body, (cmd,))
        result.raise_for_action_errors()
        return result.actions[0]

    return Operation({"lead": dict(lead), "actions": [{"cmd": cmd, **params}]}, parse, cmd)


def retrieve_names(cmd: str, key: str) -> Operation[tuple[str, ...]]:
    """An account retrieval that answers a list of names under ``key`` (research §4.8)."""

    def parse(body: Mapping[str, object]) -> tuple[str, ...]:
        return parse_names(_retrieval(body, cmd), key)

    return Operation({"actions": [{"cmd": cmd}]}, parse, cmd)


def retrieve_custom_fields() -> Operation[tuple[CustomField, ...]]:
    """retrieve_custom_fields: the account's custom fields and their options."""

    def parse(body: Mapping[str, object]) -> tuple[CustomField, ...]:
        return parse_custom_fields(_retrieval(body, "retrieve_custom_fields"))

    return Operation(
        {"actions": [{"cmd": "retrieve_custom_fields"}]}, parse, "retrieve_custom_fields"
    )


def _retrieval(body: Mapping[str, object], cmd: str) -> Mapping[str, object]:
    """Where a retrieval's data is: top level (documented), or its ``actions[0]`` entry."""
    result = parse_chain(body, (cmd,))
    result.raise_for_action_errors()
    return result.actions[0].data


def raw_call(params: Params) -> Operation[dict[str, object]]:
    """Any call: the decoded JSON answer (a flat error still raises its catalogue class)."""
    return Operation(dict(params), dict, "call")
