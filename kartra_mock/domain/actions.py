"""What every action command is made of: its context, its handler and its table entry.

A handler takes an :class:`ActionContext` (the account, the resolved lead, its ``actions[n]``
map and the injected clock), validates the whole action first, then changes state and returns
the inner object of its ``actions[n]`` entry — or raises a
:class:`~kartra_mock.protocol.errors.KartraError`, which the chain reports inside that action's own
entry (docs/behaviour.md#chains). The handlers live in one module per concept;
``domain/commands.py`` joins their tables into ``COMMANDS``, the one dispatch table.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TypeVar

from kartra_mock.domain.model import Account, Lead
from kartra_mock.protocol import errors
from kartra_mock.protocol.forms import PhpValue

__all__ = ["ActionContext", "Command", "Entry", "Handler", "success", "unsubscribe"]

_Membership = TypeVar("_Membership")

#: The inner object of one ``actions[n]`` entry of a response.
Entry = dict[str, object]


#: What each name parameter names: one of the account's tags, lists or sequences, by name
#: (documented: never by number, and it must exist; docs/behaviour.md#commands).
_NAMED: Mapping[str, Callable[[Account], Container[str]]] = {
    "tag_name": lambda account: account.tags,
    "list_name": lambda account: account.lists,
    "sequence_name": lambda account: account.sequences,
}


@dataclass(frozen=True, slots=True)
class ActionContext:
    """What one action runs against."""

    account: Account
    lead: Lead | None
    params: Mapping[str, PhpValue]
    #: The call's moment (the backend's injectable clock), in epoch seconds.
    now: float = 0.0

    def text(self, key: str) -> str:
        """A string parameter of the action; missing or an array reads as empty."""
        value = self.params.get(key, "")
        return value if isinstance(value, str) else ""

    def required(self, key: str, empty: type[errors.KartraError]) -> str:
        """A string parameter that must be sent with a value (else ``empty``)."""
        value = self.text(key)
        if value == "":
            raise empty
        return value

    def existing_name(
        self, key: str, empty: type[errors.KartraError], missing: type[errors.KartraError]
    ) -> str:
        """A name parameter (``tag_name``, ``list_name``, ``sequence_name``) that must be sent
        (else ``empty``) and name one of the account's tags, lists or sequences (else
        ``missing``)."""
        name = self.required(key, empty)
        if name not in _NAMED[key](self.account):
            raise missing
        return name

    def given(self, key: str) -> bool:
        """Whether a parameter was sent with a value (PHP's ``!empty()``: ``""`` is not)."""
        value = self.params.get(key, "")
        return value not in ("", {})

    def the_lead(self) -> Lead:
        """The resolved lead (lead-scoped commands always have one)."""
        if self.lead is None:  # pragma: no cover - the chain resolves a lead first
            raise errors.LeadNotFound
        return self.lead


Handler = Callable[[ActionContext], Entry]


@dataclass(frozen=True, slots=True)
class Command:
    """An action command: its handler, whether it acts on a lead, its documented parameters."""

    handler: Handler
    needs_lead: bool
    params: frozenset[str]
    #: For account-level retrievals: the top-level key their answer is documented under.
    flat_key: str | None = None


def success(message: str, type_code: str | None = None) -> Entry:
    """A success entry; a few commands document no ``type`` (search_transaction)."""
    entry: Entry = {"status": "Success", "message": message}
    if type_code is not None:
        entry["type"] = type_code
    return entry


def unsubscribe(
    memberships: MutableMapping[str, _Membership],
    name: str,
    ended: Callable[[_Membership], _Membership],
) -> None:
    """Unsubscribe a lead from the list or sequence ``name`` of its ``memberships``.

    Kartra keeps the membership, inactive (docs/behaviour.md#get_lead); a lead that was never in
    it is left alone and the command still succeeds, as for tags (docs/behaviour.md#unassign_tag).
    """
    if name in memberships:
        memberships[name] = ended(memberships[name])
