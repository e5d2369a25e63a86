"""Typed results: what the client returns for each kind of Kartra answer.

All are frozen, slotted dataclasses. Ids and codes stay strings, as Kartra sends them
(``"id": "1234"``, ``"type": "103"``). Each keeps the decoded JSON it came from in ``raw``
(or ``data``), for the keys this client does not model; it takes no part in ``==``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kartra_mock.protocol.errors import KartraError, error_for_type

__all__ = [
    "ActionResult",
    "ChainResult",
    "CustomField",
    "CustomFieldOption",
    "CustomFieldValue",
    "LeadList",
    "LeadProfile",
    "LeadRef",
    "LeadSequence",
]


@dataclass(frozen=True, slots=True)
class LeadRef:
    """A lead as create/edit/search_lead answer it: ``lead_details: {"id": "1234"}``."""

    id: str


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The outcome of one action of a call: the inner object of ``actions[n]``.

    ``status`` is ``"Success"`` or ``"Error"``; ``message`` and ``type_code`` are ``""`` when
    Kartra sends none (create_lead's success has neither). ``data`` is the whole entry.
    """

    cmd: str
    status: str
    message: str
    type_code: str
    data: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether this action succeeded."""
        return self.status == "Success"

    @property
    def error(self) -> KartraError | None:
        """The catalogue error for a failed action (``None`` if it succeeded)."""
        if self.ok:
            return None
        return error_for_type(self.type_code, self.message)


@dataclass(frozen=True, slots=True)
class ChainResult:
    """The answer to a chain: top-level ``status`` and one :class:`ActionResult` per action.

    A top-level ``"Success"`` does not mean every action succeeded (docs/behaviour.md#chains): check
    :attr:`ok`, read :attr:`failed`, or call :meth:`raise_for_action_errors`.
    """

    status: str
    actions: tuple[ActionResult, ...]
    lead: LeadRef | None = None
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """Whether every action succeeded."""
        return all(action.ok for action in self.actions)

    @property
    def failed(self) -> tuple[ActionResult, ...]:
        """The actions that failed, in request order."""
        return tuple(action for action in self.actions if not action.ok)

    def raise_for_action_errors(self) -> None:
        """Raise the catalogue error of the first failed action, if any."""
        for index, action in enumerate(self.actions):
            error = action.error
            if error is not None:
                error.add_note(f"raised for actions[{index}] ({action.cmd}) of a chain")
                raise error


@dataclass(frozen=True, slots=True)
class CustomFieldOption:
    """One option of a drop-down, radio-button or checkbox field."""

    id: str
    value: str


@dataclass(frozen=True, slots=True)
class CustomField:
    """An account custom field, as retrieve_custom_fields lists it
    (docs/behaviour.md#retrieve_custom_fields)."""

    field_id: str
    identifier: str
    type: str
    options: tuple[CustomFieldOption, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomFieldValue:
    """A lead's value for one custom field (get_lead lists every field, empty ones too).

    Text fields (``input_field``, ``text_area``) carry ``text``; the option fields carry
    the chosen ``options`` (one for drop-down and radio button, any number for checkbox).
    """

    field_id: str
    identifier: str
    type: str
    text: str = ""
    options: tuple[CustomFieldOption, ...] = ()

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The chosen option ids."""
        return tuple(option.id for option in self.options)


@dataclass(frozen=True, slots=True)
class LeadList:
    """A list the lead is (``active``) or was subscribed to."""

    list_id: str
    name: str
    active: bool


@dataclass(frozen=True, slots=True)
class LeadSequence:
    """A sequence the lead is in, at a step."""

    sequence_id: str
    name: str
    step: str
    status: str


@dataclass(frozen=True, slots=True)
class LeadProfile:
    """A lead's profile, as get_lead's ``lead_details`` carries it (docs/behaviour.md#get_lead).

    Profile fields Kartra leaves out read as ``""``; ``raw`` has every key as received.
    """

    id: str
    email: str
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    last_name2: str = ""
    phone: str = ""
    phone_country_code: str = ""
    ip: str = ""
    address: str = ""
    zip: str = ""
    city: str = ""
    state: str = ""
    country: str = ""
    company: str = ""
    lead_picture: str = ""
    website: str = ""
    facebook: str = ""
    twitter: str = ""
    linkedin: str = ""
    lead_preferred_time_zone: str = ""
    sales_tax_id: str = ""
    business_type: str = ""
    date_joined: str = ""
    source: str = ""
    score: int = 0
    tags: tuple[str, ...] = ()
    lists: tuple[LeadList, ...] = ()
    sequences: tuple[LeadSequence, ...] = ()
    custom_fields: Mapping[str, CustomFieldValue] = field(default_factory=dict)
    raw: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def active_lists(self) -> tuple[str, ...]:
        """The names of the lists the lead is currently subscribed to."""
        return tuple(item.name for item in self.lists if item.active)
