"""The contract warnings of one call, found from its parameters alone, whatever it is answered.

A warning says how a request departs from documented usage; that does not depend on whether
the call then succeeds, fails (a flat error, a failed action), is rate-limited or meets an
injected fault. So warnings are not collected while the call runs, where an early error would
drop them: :func:`request_warnings` reads the parameters (and, read-only, the world before
the call) and the backend records what it finds for every call (docs/contracts.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from kartra_mock.domain import leads
from kartra_mock.domain.commands import COMMANDS
from kartra_mock.domain.lead_input import IDENTITY_KEYS, lead_input_warnings
from kartra_mock.domain.model import CustomField, FieldType, World, email_key
from kartra_mock.protocol import rules
from kartra_mock.protocol.forms import PhpValue
from kartra_mock.protocol.rules import ContractWarning

__all__ = ["TOP_LEVEL_KEYS", "request_warnings"]

TOP_LEVEL_KEYS = frozenset({"app_id", "api_key", "api_password", "lead", "actions", "get_lead"})
#: How many unknown top-level names one warning lists; a junk body may carry a thousand.
_LISTED = 10

_Step = tuple[str, Mapping[str, PhpValue]]


def request_warnings(world: World, params: Mapping[str, PhpValue]) -> list[ContractWarning]:
    """Every contract warning of a call; reads the world, never changes it, never raises."""
    warnings = _unknown_top_level(params)
    lead_map = params.get("lead")
    actions = params.get("actions")
    if isinstance(params.get("get_lead"), dict):
        if isinstance(actions, dict) and actions:
            warnings.append(rules.GET_LEAD_WITH_ACTIONS.warn("actions were not run"))
        return warnings
    steps = _steps(actions)
    for cmd, action in steps:
        warnings.extend(_unknown_action_params(cmd, action))
    if not steps or not isinstance(lead_map, dict):
        return warnings
    first = steps[0][0]
    if first in ("create_lead", "edit_lead"):
        custom_fields = _custom_fields(world, params)
        warnings.extend(lead_input_warnings(lead_map, custom_fields, command=first))
        if first == "edit_lead":
            warnings.extend(_email_ignored_on_edit(world, params, lead_map))
    elif first == "search_lead" or any(
        cmd in COMMANDS and COMMANDS[cmd].needs_lead for cmd, _ in steps
    ):
        warnings.extend(
            rules.UNKNOWN_PARAMETER.warn(f"lead[{key}] is ignored by {first}")
            for key in lead_map
            if key not in IDENTITY_KEYS
        )
    elif lead_map:
        warnings.append(rules.UNKNOWN_PARAMETER.warn("'lead' is not used by these commands"))
    return warnings


def _unknown_top_level(params: Mapping[str, PhpValue]) -> list[ContractWarning]:
    """One warning naming the top-level parameters Kartra does not document."""
    unknown = [key for key in params if key not in TOP_LEVEL_KEYS]
    if not unknown:
        return []
    names = ", ".join(repr(key) for key in unknown[:_LISTED])
    more = f" and {len(unknown) - _LISTED} more" if len(unknown) > _LISTED else ""
    plural = "s" if len(unknown) > 1 else ""
    return [rules.UNKNOWN_PARAMETER.warn(f"top-level parameter{plural} {names}{more}")]


def _steps(actions: PhpValue | None) -> list[_Step]:
    """The actions with a known ``cmd``, in request order (the others are errors, not warnings)."""
    if not isinstance(actions, dict):
        return []
    steps: list[_Step] = []
    for action in actions.values():
        cmd = action.get("cmd") if isinstance(action, dict) else None
        if not isinstance(action, dict) or not isinstance(cmd, str):
            continue
        if cmd in leads.LEAD_COMMANDS or cmd in COMMANDS:
            steps.append((cmd, action))
    return steps


def _unknown_action_params(cmd: str, action: Mapping[str, PhpValue]) -> list[ContractWarning]:
    command = COMMANDS.get(cmd)
    documented = command.params if command is not None else frozenset()
    found = [
        rules.UNKNOWN_PARAMETER.warn(f"{key!r} is not a parameter of {cmd}")
        for key in action
        if key != "cmd" and key not in documented
    ]
    if cmd == "create_custom_field" and "custom_field_options" in action:
        raw_type = action.get("custom_field_type")
        try:
            field_type = FieldType(raw_type if isinstance(raw_type, str) else "")
        except ValueError:
            return found
        if not field_type.has_options:
            found.append(
                rules.UNKNOWN_PARAMETER.warn(
                    f"custom_field_options is ignored for a {field_type.value} field"
                )
            )
    return found


def _text(params: Mapping[str, PhpValue], key: str) -> str:
    value = params.get(key, "")
    return value if isinstance(value, str) else ""


def _custom_fields(world: World, params: Mapping[str, PhpValue]) -> Mapping[str, CustomField]:
    """The fields of the call's account; a new open-mode account would get the template's."""
    account = world.accounts.get(_text(params, "api_key"))
    if account is not None:
        return account.custom_fields
    return {field.identifier: field for field in world.template.custom_fields}


def _email_ignored_on_edit(
    world: World, params: Mapping[str, PhpValue], lead_map: Mapping[str, PhpValue]
) -> list[ContractWarning]:
    """edit_lead names its lead by id and sends a different ``email`` without ``new_email``."""
    identity = leads.read_identity(lead_map)
    new_email = lead_map.get("new_email")
    if identity.id == "" or identity.email == "" or (isinstance(new_email, str) and new_email):
        return []
    account = world.accounts.get(_text(params, "api_key"))
    lead = None if account is None else account.find_by_id(identity.id)
    if lead is None or email_key(lead.email) == email_key(identity.email):
        return []
    return [
        rules.EMAIL_IGNORED_ON_EDIT.warn(
            "lead[email] differs from the lead's address and was not stored"
        )
    ]
