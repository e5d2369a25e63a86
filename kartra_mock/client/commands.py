"""How each call's answer is read: the operations the client hands to its core.

:class:`~.chain.ChainBuilder` writes every command's parameters. A call of one action is a chain of
one (docs/behaviour.md#chains): :func:`act` and :func:`fetch` turn such a chain into an
:class:`Operation` that raises the action's catalogue error and reads its entry. The client builds
its calls here, so a command's parameters and the reading of its answer are written once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from kartra_mock.client.chain import ChainBuilder
from kartra_mock.client.core import Operation
from kartra_mock.client.encoding import Params, lead_params
from kartra_mock.client.parsing import ShapeError, parse_chain, parse_lead_profile, parse_names
from kartra_mock.client.results import ActionResult, LeadProfile, LeadRef

__all__ = [
    "ChainBuilder",
    "account_names",
    "act",
    "create_lead",
    "edit_lead",
    "fetch",
    "get_lead",
    "identity",
    "merge_lead",
    "on_lead",
    "raw_call",
    "search_lead",
]

T = TypeVar("T")


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


def on_lead(id: str | int | None, email: str | None) -> ChainBuilder:
    """An empty chain on one existing lead, named by ``id`` and/or ``email``."""
    return ChainBuilder(identity(id, email))


def merge_lead(lead: Params | None, fields: Mapping[str, object]) -> dict[str, object]:
    """A lead map from a mapping and/or keyword fields (the keywords win)."""
    return {**(lead or {}), **fields}


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


def act(chain: ChainBuilder) -> Operation[ActionResult]:
    """A chain of one action as a call: the action's result, or its failure raised."""
    cmds = chain.cmds
    if len(cmds) != 1:
        raise ValueError(f"a one-action call sends one action, not {len(cmds)}")

    def parse(body: Mapping[str, object]) -> ActionResult:
        result = parse_chain(body, cmds)
        result.raise_for_action_errors()
        return result.actions[0]

    return Operation(chain.params(), parse, cmds[0])


def fetch(chain: ChainBuilder, read: Callable[[Mapping[str, object]], T]) -> Operation[T]:
    """A chain of one action as a call whose answer ``read`` turns into a typed result.

    ``read`` gets the action's entry — the inner object of ``actions[0]``, or the top level of a
    flat answer (account retrievals: docs/behaviour.md#account-retrievals) — once it is known to
    have succeeded.
    """
    action = act(chain)
    return Operation(action.params, lambda body: read(action.parse(body).data), action.label)


def account_names(chain: ChainBuilder) -> Operation[tuple[str, ...]]:
    """An account retrieval (``retrieve_account_tags``, …) as a call: the names in its answer.

    Each answers its names under its command's name without ``retrieve_`` (``account_tags``, …;
    docs/behaviour.md#account-retrievals).
    """
    key = act(chain).label.removeprefix("retrieve_")
    return fetch(chain, lambda entry: parse_names(entry, key))


def raw_call(params: Params) -> Operation[dict[str, object]]:
    """Any call: the decoded JSON answer (a flat error still raises its catalogue class)."""
    return Operation(dict(params), dict, "call")
