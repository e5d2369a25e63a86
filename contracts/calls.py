"""The calls the contracts make, as plain values: which lead a call names and what it sends.

Every system under test receives these values (through its adapter, :mod:`contracts.api`) and the
model (:mod:`contracts.model`) predicts Kartra's answer to them. ``params()`` is the documented form
of each call: the parameters Kartra's PHP sample would send (docs/behaviour.md#wire).

Example::

    >>> LeadData(email="ada@example.com", fields={"first_name": "Ada"}).params()
    {'email': 'ada@example.com', 'first_name': 'Ada'}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from contracts.schema import TIME_ZONES, AccountSchema
from kartra_mock.protocol import rules
from kartra_mock.protocol.facts import LEAD_COMMANDS

__all__ = [
    "LEAD_COMMANDS",
    "NAME_PARAMETER",
    "Action",
    "Chain",
    "CustomEntry",
    "CustomValue",
    "Identity",
    "LeadData",
    "data_rules",
    "is_number",
    "request_rules",
]


#: The secondary actions the contracts exercise, and the parameter naming their tag or list.
NAME_PARAMETER: Mapping[str, str] = {
    "assign_tag": "tag_name",
    "unassign_tag": "tag_name",
    "subscribe_lead_to_list": "list_name",
    "unsubscribe_lead_from_list": "list_name",
}

#: A custom field's value as sent: a string (text, one option id, or ``""`` to clear) or the
#: option ids of a checkbox.
CustomValue = str | tuple[str, ...]


def _sent(**values: object) -> dict[str, object]:
    """The parameters a call sends: ``None`` leaves a parameter out."""
    return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class Identity:
    """Which lead a call names: by ``id``, by ``email``, or both (then the id wins)."""

    id: str | None = None
    email: str | None = None

    def params(self) -> dict[str, object]:
        """The ``lead`` (or ``get_lead``) map naming the lead."""
        return _sent(id=self.id, email=self.email)


@dataclass(frozen=True, slots=True)
class CustomEntry:
    """One ``lead[custom_fields][n]`` entry; ``None`` leaves that key out (a malformed entry)."""

    identifier: str | None
    value: CustomValue | None

    def params(self) -> dict[str, object]:
        """``{"field_identifier": …, "field_value": …}``; a checkbox value as a list."""
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return _sent(field_identifier=self.identifier, field_value=value)


@dataclass(frozen=True, slots=True, repr=False)
class LeadData:
    """The ``lead`` map of create_lead / edit_lead: identity, profile fields, custom fields.

    ``custom_fields`` is a tuple of entries, or a string (which Kartra must refuse with 271:
    not an array), or ``None`` (not sent). ``new_email`` only means something on edit_lead.
    """

    id: str | None = None
    email: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    custom_fields: tuple[CustomEntry, ...] | str | None = None
    new_email: str | None = None

    def __repr__(self) -> str:
        # Only what is sent: a minimal failing example should read like the call it makes.
        shown = _sent(
            id=self.id,
            email=self.email,
            fields=dict(self.fields) or None,
            custom_fields=self.custom_fields,
            new_email=self.new_email,
        )
        return f"LeadData({', '.join(f'{name}={value!r}' for name, value in shown.items())})"

    @property
    def identity(self) -> Identity:
        """The lead this map names."""
        return Identity(self.id, self.email)

    def params(self) -> dict[str, object]:
        """The ``lead`` map, in the order of Kartra's parameter table."""
        custom: object = self.custom_fields  # a string goes as it is (Kartra refuses it: 271)
        if isinstance(self.custom_fields, tuple):
            custom = [entry.params() for entry in self.custom_fields]
        return {
            **self.identity.params(),
            **self.fields,
            **_sent(custom_fields=custom, new_email=self.new_email),
        }


@dataclass(frozen=True, slots=True)
class Action:
    """A secondary action: a tag or list command and the tag or list it names."""

    cmd: str
    name: str

    def params(self) -> dict[str, object]:
        """``{"cmd": …, "tag_name"|"list_name": …}``."""
        return {"cmd": self.cmd, NAME_PARAMETER[self.cmd]: self.name}


@dataclass(frozen=True, slots=True)
class Chain:
    """One call of several actions on one lead (Kartra's lead page: "CREATE + desired action").

    ``lead_command`` (create/edit/search_lead, or ``None``) goes to ``actions[0]`` as Kartra's lead
    page requires; ``lead_command_at`` > 0 puts it later, which the contracts use to check that a
    server refuses it (901, inferred) — an adapter for a client never needs to honour it."""

    lead: LeadData
    lead_command: str | None = None
    actions: tuple[Action, ...] = ()
    lead_command_at: int = 0

    @property
    def cmds(self) -> tuple[str, ...]:
        """The commands in the order they are sent."""
        names = [action.cmd for action in self.actions]
        if self.lead_command is not None:
            names.insert(min(self.lead_command_at, len(names)), self.lead_command)
        return tuple(names)

    def params(self) -> dict[str, object]:
        """The call's ``lead`` and ``actions``."""
        actions: list[dict[str, object]] = [action.params() for action in self.actions]
        if self.lead_command is not None:
            at = min(self.lead_command_at, len(actions))
            actions.insert(at, {"cmd": self.lead_command})
        return {"lead": self.lead.params(), "actions": actions}


def is_number(text: str) -> bool:
    """Whether ``business_type`` reads as a number (documented type; the strategies only ever
    send plain digits or plain letters, so no finer definition is needed)."""
    return text.isascii() and text.isdigit()


def data_rules(lead: LeadData, cmd: str, schema: AccountSchema) -> frozenset[str]:
    """The contract rules (docs/contracts.md#contract-warnings) that this data may raise even when
    sent as documented.

    A client that sends the call as documented raises no other rule; ``check_client`` fails
    a client whose calls raise any rule outside this set.
    """
    found: set[str] = set()
    time_zone = lead.fields.get("lead_preferred_time_zone")
    if time_zone and time_zone not in TIME_ZONES:
        found.add(rules.INVALID_TIME_ZONE.id)
    business_type = lead.fields.get("business_type")
    if business_type and not is_number(business_type):
        found.add(rules.NON_NUMERIC_BUSINESS_TYPE.id)
    if isinstance(lead.custom_fields, tuple) and any(
        entry.identifier is not None and schema.custom_field(entry.identifier) is None
        for entry in lead.custom_fields
    ):
        found.add(rules.UNKNOWN_CUSTOM_FIELD.id)
    if cmd != "create_lead" and lead.id is not None and lead.email is not None:
        # With an id, lead[email] only identifies (and is ignored): docs/behaviour.md#email.
        found.add(rules.EMAIL_IGNORED_ON_EDIT.id)
    return frozenset(found)


def _items(value: object) -> list[object]:
    """A decoded PHP array's values, in order (the journal shows arrays as maps or lists)."""
    if isinstance(value, Mapping):
        return list(value.values())
    return list(value) if isinstance(value, list) else []


def request_rules(params: Mapping[str, object], schema: AccountSchema) -> frozenset[str]:
    """:func:`data_rules` for a request as the mock's journal decoded it."""
    lead = params.get("lead")
    if not isinstance(lead, Mapping):
        return frozenset()
    steps = [step for step in _items(params.get("actions")) if isinstance(step, Mapping)]
    first = str(steps[0].get("cmd", "")) if steps else ""
    entries = tuple(
        CustomEntry(str(entry["field_identifier"]), "")
        for entry in _items(lead.get("custom_fields"))
        if isinstance(entry, Mapping) and "field_identifier" in entry
    )
    text = {key: value for key, value in lead.items() if isinstance(value, str)}
    data = LeadData(
        id=text.get("id"),
        email=text.get("email"),
        fields={name: value for name, value in text.items() if name not in ("id", "email")},
        custom_fields=entries,
    )
    return data_rules(data, first, schema)
