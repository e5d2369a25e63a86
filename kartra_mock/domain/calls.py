"""One ``/api`` call, end to end: checks, lead resolution, the chain of actions (docs/behaviour.md).

Every check that can fail the whole call (a *flat* error) runs before anything is changed; once the
lead command has succeeded, each secondary action succeeds or fails on its own, inside its own
``actions[n]`` entry, and the top-level status stays ``Success`` (docs/behaviour.md#chains)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kartra_mock.domain import leads
from kartra_mock.domain.actions import ActionContext, Entry
from kartra_mock.domain.auth import CallContext, authenticate
from kartra_mock.domain.commands import COMMANDS
from kartra_mock.domain.model import Account, Lead, World
from kartra_mock.protocol import errors
from kartra_mock.protocol.facts import LEAD_FOUND
from kartra_mock.protocol.forms import PhpValue

__all__ = ["Answered", "commands_of", "run_call"]

#: What one call answered, and every Kartra error in it as ``(type, message)``.
Answered = tuple[dict[str, object], tuple[tuple[str, str], ...]]

_LEAD_SUCCESS = {"status": "Success", "message": LEAD_FOUND}


@dataclass(frozen=True, slots=True)
class _Step:
    cmd: str
    params: Mapping[str, PhpValue]


def commands_of(params: Mapping[str, object]) -> tuple[str, ...]:
    """The commands a call names, in request order (``get_lead`` first when sent; ``?``: no cmd).

    Read from the parameters alone, so a call that fails before its actions run names them too.
    """
    found = ["get_lead"] if "get_lead" in params else []
    actions = params.get("actions")
    if isinstance(actions, Mapping):
        for action in actions.values():
            cmd = action.get("cmd") if isinstance(action, Mapping) else None
            found.append(cmd if isinstance(cmd, str) and cmd else "?")
    return tuple(found)


def run_call(
    world: World,
    params: Mapping[str, PhpValue],
    ctx: CallContext,
    now: float,
    observe: Callable[[Account], None] | None = None,
) -> Answered:
    """Run one call against the world: Kartra's answer (always HTTP 200) and every Kartra error
    it carries, as the call raised them.

    The call's contract warnings are not found here but by
    :func:`kartra_mock.domain.lint.request_warnings`, so an error cannot drop them.
    ``observe``, if given, is called with the account after each action has run (the outbound
    sender uses it to see what each action changed).
    """
    failed: list[tuple[str, str]] = []
    try:
        account = authenticate(world, params, ctx)
        return _run(account, params, now, observe, failed), tuple(failed)
    except errors.KartraError as error:
        flat = error.to_json()
        return dict(flat), ((flat["type"], flat["message"]),)


def _array(
    params: Mapping[str, PhpValue], key: str, error: type[errors.KartraError]
) -> dict[str, PhpValue] | None:
    if key not in params:
        return None
    value = params[key]
    if not isinstance(value, dict):
        raise error
    return value


def _steps(actions: dict[str, PhpValue]) -> list[_Step]:
    """The actions in request order; 254 and 262 are checked over all of them in turn."""
    steps: list[_Step] = []
    for action in actions.values():
        cmd = action.get("cmd") if isinstance(action, dict) else None
        if not isinstance(action, dict) or not isinstance(cmd, str) or cmd == "":
            raise errors.CmdRequired
        steps.append(_Step(cmd, action))
    for step in steps:
        if step.cmd not in leads.LEAD_COMMANDS and step.cmd not in COMMANDS:
            raise errors.CmdNotPermitted
    if any(step.cmd in leads.LEAD_COMMANDS for step in steps[1:]):
        raise errors.LeadCommandNotFirst
    return steps


def _run(
    account: Account,
    params: Mapping[str, PhpValue],
    now: float,
    observe: Callable[[Account], None] | None,
    failed: list[tuple[str, str]],
) -> dict[str, object]:
    lead_map = _array(params, "lead", errors.LeadNotArray)
    actions = _array(params, "actions", errors.ActionsNotArray)
    get_lead = _array(params, "get_lead", errors.GetLeadNotArray)
    if get_lead is not None:
        wanted = leads.resolve_lead(
            account, leads.read_identity(get_lead), not_found=errors.GetLeadNotFound
        )
        return {"status": "Success", "lead_details": leads.lead_profile(account, wanted, now)}
    if not actions:
        raise errors.CmdRequired
    steps = _steps(actions)
    lead, first_entry = _resolve(account, steps, lead_map or {}, now)
    entries: list[dict[str, object]] = []
    top: dict[str, object] = {"status": "Success"}
    secondary = steps
    if first_entry is not None:
        entries.append({steps[0].cmd: first_entry})
        secondary = steps[1:]
        if steps[0].cmd == "search_lead":
            top.update(first_entry)
    for step in secondary:
        entry = _run_action(step.cmd, ActionContext(account, lead, step.params, now), failed)
        if observe is not None:
            observe(account)
        entries.append({step.cmd: entry})
        flat_key = COMMANDS[step.cmd].flat_key
        if flat_key is not None and flat_key in entry:
            top[flat_key] = entry[flat_key]
    only_flat = all(COMMANDS.get(step.cmd) and COMMANDS[step.cmd].flat_key for step in steps)
    if only_flat or (steps[0].cmd == "search_lead" and len(steps) == 1):
        return top
    top["actions"] = entries
    return top


def _resolve(
    account: Account,
    steps: list[_Step],
    lead_map: Mapping[str, PhpValue],
    now: float,
) -> tuple[Lead | None, Entry | None]:
    """The lead the chain acts on, and the lead command's own entry (if it has one)."""
    first = steps[0].cmd
    found: Lead
    if first == "create_lead":
        found = leads.create_lead(account, lead_map, now)
    elif first == "edit_lead":
        found = leads.edit_lead(account, lead_map)
    elif first == "search_lead":
        found = leads.search_lead(account, lead_map)
    elif any(COMMANDS[step.cmd].needs_lead for step in steps):
        return leads.resolve_lead(account, leads.read_identity(lead_map)), None
    else:
        return None, None
    details = {"id": str(found.id)}
    if first == "search_lead":
        return found, {**_LEAD_SUCCESS, "lead_details": details}
    return found, {"status": "Success", "lead_details": details}


def _run_action(cmd: str, ctx: ActionContext, failed: list[tuple[str, str]]) -> Entry:
    try:
        return COMMANDS[cmd].handler(ctx)
    except errors.KartraError as error:
        entry = error.to_json()
        failed.append((entry["type"], entry["message"]))
        return dict(entry)
