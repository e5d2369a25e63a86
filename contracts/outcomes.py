"""What a call came to, in a form any client or server can be reduced to: :class:`Outcome`.

An adapter (:mod:`contracts.api`) turns its client's result into an :class:`Outcome`; the model
(:mod:`contracts.model`) predicts one; :mod:`contracts.session` compares the two. Error
``type`` codes stay Kartra's strings (``"244"``); :data:`TRANSPORT` stands for an answer that
is not Kartra's protocol at all (an HTML 5xx page, a dropped connection, a timeout).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kartra_mock.protocol.errors import ERRORS_BY_TYPE

__all__ = ["TRANSPORT", "ActionOutcome", "CustomFieldView", "LeadView", "Outcome", "describe_error"]

#: The ``error`` of an outcome whose answer was not Kartra's protocol.
TRANSPORT = "transport"

#: A custom field's value as read back: its text, or the chosen option ids.
CustomFieldView = str | frozenset[str]


def describe_error(type_code: str) -> str:
    """``"244 (Lead already exists)"``; the catalogue's message for a known type."""
    if type_code == TRANSPORT:
        return "a transport failure (not a Kartra answer)"
    known = ERRORS_BY_TYPE.get(type_code)
    return f"{type_code} ({known.default_message})" if known else type_code


@dataclass(frozen=True, slots=True)
class LeadView:
    """A lead as get_lead shows it, reduced to what the contracts compare.

    ``fields`` holds the non-empty profile fields; ``custom_fields`` the non-empty custom
    fields (text, or the set of chosen option ids); ``lists`` the lists it is subscribed to.
    """

    id: str
    email: str
    fields: Mapping[str, str] = field(default_factory=dict)
    custom_fields: Mapping[str, CustomFieldView] = field(default_factory=dict)
    tags: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()

    def differences(self, expected: LeadView) -> list[str]:
        """How this view differs from ``expected``, one readable line per difference."""
        found: list[str] = []
        if self.id != expected.id:
            found.append(f"id is {self.id!r}, expected {expected.id!r}")
        if self.email != expected.email:
            found.append(f"email is {self.email!r}, expected {expected.email!r}")
        for name in sorted(set(self.fields) | set(expected.fields)):
            got, want = self.fields.get(name, ""), expected.fields.get(name, "")
            if got != want:
                found.append(f"{name} is {got!r}, expected {want!r}")
        for name in sorted(set(self.custom_fields) | set(expected.custom_fields)):
            got_value = _show(self.custom_fields.get(name))
            want_value = _show(expected.custom_fields.get(name))
            if got_value != want_value:
                found.append(f"custom field {name} is {got_value}, expected {want_value}")
        if self.tags != expected.tags:
            found.append(f"tags are {sorted(self.tags)}, expected {sorted(expected.tags)}")
        if self.lists != expected.lists:
            found.append(f"lists are {sorted(self.lists)}, expected {sorted(expected.lists)}")
        return found


def _show(value: CustomFieldView | None) -> str:
    if value is None:
        return "empty"
    if isinstance(value, frozenset):
        return f"options {sorted(value)}"
    return repr(value)


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """One action of a chain: its command, its error ``type`` (``None``: it succeeded), and its
    success ``type`` when the adapter knows it (``""`` otherwise)."""

    cmd: str
    error: str | None = None
    type_code: str = ""

    def describe(self) -> str:
        """``"assign_tag ok"`` or ``"assign_tag error 212 (Tag does not exist)"``."""
        if self.error is None:
            return f"{self.cmd} ok" + (f" ({self.type_code})" if self.type_code else "")
        return f"{self.cmd} error {describe_error(self.error)}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one call came to.

    ``error`` is the Kartra ``type`` of a failed call (a flat error, or the error of the one
    action of a single-action call), :data:`TRANSPORT`, or ``None`` for success. On success,
    ``lead_id`` is the id a lead command answered, ``actions`` has one entry per action of a
    chain, and ``profile`` is get_lead's lead.
    """

    error: str | None = None
    lead_id: str | None = None
    actions: tuple[ActionOutcome, ...] = ()
    profile: LeadView | None = None
    detail: str = ""

    @classmethod
    def failed(cls, type_code: str, detail: str = "") -> Outcome:
        """A call that failed with Kartra error ``type_code``."""
        return cls(error=type_code, detail=detail)

    @classmethod
    def transport(cls, detail: str) -> Outcome:
        """A call whose answer was not Kartra's protocol; ``detail`` says what came back."""
        return cls(error=TRANSPORT, detail=detail)

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.error is None

    def describe(self) -> str:
        """A short readable summary, for failure messages."""
        if self.error is not None:
            text = f"error {describe_error(self.error)}"
            known = ERRORS_BY_TYPE.get(self.error)
            if not self.detail or (known is not None and self.detail == known.default_message):
                return text
            return f"{text}: {self.detail}"
        parts = ["success"]
        if self.lead_id is not None:
            parts.append(f"on lead {self.lead_id or repr(self.lead_id)}")
        if self.actions:
            parts.append("[" + ", ".join(action.describe() for action in self.actions) + "]")
        return " ".join(parts)
