"""A deliberately naive model of Kartra's documented lead behaviour: dicts, sets and ifs.

It is written from Kartra's own page as docs/behaviour.md#leads and #chains describe it, never
from the mock: it must not import ``kartra_mock.domain`` or ``kartra_mock.server``, so that a
bug in the mock shows up as a disagreement instead of being copied into the oracle. Speed and
elegance do not matter here; being obviously right does. Each rule says how we know it:
**documented** (a Kartra source), **observed** (real clients rely on it) or **inferred**.

Example::

    model = Model(AccountSchema(tags=("Customer",)))
    model.create_lead(LeadData(email="John@kartra.com"), new_id="1").ok        # True
    model.search_lead(Identity(email="john@kartra.com")).lead_id                # '1'
    model.create_lead(LeadData(email="JOHN@kartra.com"), new_id="2").errors     # {'244'}
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.calls import (
    LEAD_COMMANDS,
    Action,
    Chain,
    CustomEntry,
    Identity,
    LeadData,
    is_number,
)
from contracts.outcomes import ActionOutcome, CustomFieldView, LeadView, describe_error
from contracts.schema import TIME_ZONES, AccountSchema
from kartra_mock.protocol.facts import TAG_LIST_SUCCESSES

__all__ = ["SECONDARY_RULES", "Model", "ModelLead", "Prediction", "SecondaryRule"]

#: The domain Kartra gives every lead created by an app in test mode (documented,
#: docs/behaviour.md#test-mode: ``johnsmith@gmail.com`` is stored as ``johnsmith@kartra.com``).
TEST_MODE_DOMAIN = "kartra.com"


@dataclass(frozen=True, slots=True)
class SecondaryRule:
    """A tag or list action: its error types and its success type (all documented:
    docs/behaviour.md#commands)."""

    empty: str
    missing: str
    success: str
    on_tags: bool
    adds: bool


_SUCCESS = {cmd: success.type_code for cmd, success in TAG_LIST_SUCCESSES.items()}
SECONDARY_RULES: dict[str, SecondaryRule] = {
    "assign_tag": SecondaryRule("211", "212", _SUCCESS["assign_tag"], on_tags=True, adds=True),
    "unassign_tag": SecondaryRule("213", "214", _SUCCESS["unassign_tag"], on_tags=True, adds=False),
    "subscribe_lead_to_list": SecondaryRule(
        "207", "231", _SUCCESS["subscribe_lead_to_list"], on_tags=False, adds=True
    ),
    "unsubscribe_lead_from_list": SecondaryRule(
        "208", "209", _SUCCESS["unsubscribe_lead_from_list"], on_tags=False, adds=False
    ),
}


@dataclass
class ModelLead:
    """One lead as the model holds it."""

    id: str
    email: str
    fields: dict[str, str] = field(default_factory=dict)
    custom: dict[str, CustomFieldView] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)
    lists: set[str] = field(default_factory=set)
    deleted: bool = False

    def view(self) -> LeadView:
        """What get_lead must show for this lead."""
        return LeadView(
            id=self.id,
            email=self.email,
            fields=dict(self.fields),
            custom_fields=dict(self.custom),
            tags=frozenset(self.tags),
            lists=frozenset(self.lists),
        )


@dataclass(frozen=True, slots=True)
class Prediction:
    """What Kartra answers to a call, according to the model.

    ``errors`` is empty for success; otherwise the call must fail with one of them (more than
    one only where Kartra does not say which check comes first). ``lead_id`` is the lead the
    call acts on (``None`` when it creates one: a new id is expected).
    """

    errors: frozenset[str] = frozenset()
    lead_id: str | None = None
    creates: bool = False
    actions: tuple[ActionOutcome, ...] = ()
    profile: LeadView | None = None

    @property
    def ok(self) -> bool:
        """Whether the call succeeds."""
        return not self.errors

    def describe(self) -> str:
        """A short readable summary, for failure messages."""
        if self.errors:
            return "error " + " or ".join(describe_error(code) for code in sorted(self.errors))
        parts = ["success"]
        if self.creates:
            parts.append("creating a new lead")
        elif self.lead_id is not None:
            parts.append(f"on lead {self.lead_id}")
        if self.actions:
            parts.append("[" + ", ".join(action.describe() for action in self.actions) + "]")
        return " ".join(parts)


def _fail(*codes: str) -> Prediction:
    return Prediction(errors=frozenset(codes))


class Model:
    """The leads of one account, and Kartra's answers to calls on them."""

    def __init__(self, schema: AccountSchema, *, test_mode: bool = False) -> None:
        self.schema = schema
        self.test_mode = test_mode
        #: Every lead the model knows, by id, in creation order.
        self.leads: dict[str, ModelLead] = {}

    # -- identity -----------------------------------------------------------------------------

    def stored_email(self, email: str) -> str:
        """The address Kartra stores for ``email``: as sent, the first spelling wins (Kartra's
        example creates ``John@`` and edits ``john@``: docs/behaviour.md#email); in test mode with
        its domain replaced by ``kartra.com`` (documented, docs/behaviour.md#test-mode)."""
        if self.test_mode and "@" in email:
            return email.rsplit("@", 1)[0] + "@" + TEST_MODE_DOMAIN
        return email

    def email_key(self, email: str) -> str:
        """Email identity is case-insensitive (Kartra's example, docs/behaviour.md#email)."""
        return self.stored_email(email).lower()

    def holder(self, email: str) -> ModelLead | None:
        """The lead with this address, deleted or not (a deleted lead keeps its email:
        documented, docs/behaviour.md#email)."""
        wanted = self.email_key(email)
        for lead in self.leads.values():
            if self.email_key(lead.email) == wanted:
                return lead
        return None

    def find(self, identity: Identity) -> ModelLead | None:
        """The lead a call names: by id if one is given, else by email (documented: "If both
        are provided, the system will prioritize the ID")."""
        if identity.id is not None:
            return self.leads.get(identity.id)
        if identity.email:
            return self.holder(identity.email)
        return None

    # -- calls --------------------------------------------------------------------------------

    def create_lead(self, data: LeadData, new_id: str | None = None) -> Prediction:
        """create_lead alone; ``new_id`` is the id the system under test gave the new lead."""
        return self.call(Chain(data, "create_lead"), new_id)

    def edit_lead(self, data: LeadData) -> Prediction:
        """edit_lead alone."""
        return self.call(Chain(data, "edit_lead"))

    def search_lead(self, identity: Identity) -> Prediction:
        """search_lead alone."""
        return self.call(Chain(LeadData(identity.id, identity.email), "search_lead"))

    def action(self, identity: Identity, action: Action) -> Prediction:
        """One secondary action on an existing lead: a chain of one (docs/behaviour.md#chains)."""
        return self.call(Chain(LeadData(identity.id, identity.email), None, (action,)))

    def get_lead(self, identity: Identity) -> Prediction:
        """Top-level get_lead: 234 when not found, 245 when deleted (docs/behaviour.md#get_lead)."""
        lead = self.find(identity)
        if lead is None:
            return _fail("234")
        if lead.deleted:
            return _fail("245")
        return Prediction(lead_id=lead.id, profile=lead.view())

    def delete(self, lead_id: str) -> None:
        """Kartra's UI deletes a lead: it stays, marked deleted, keeping its email."""
        self.leads[lead_id].deleted = True

    def call(self, chain: Chain, new_id: str | None = None) -> Prediction:
        """Any call of a lead command and/or secondary actions; applies its effect if it
        succeeds. Checks run in docs/behaviour.md#checks's order, and a flat error changes
        nothing."""
        cmds = chain.cmds
        if any(cmd in LEAD_COMMANDS for cmd in cmds[1:]):
            return _fail("901")  # inferred: docs/behaviour.md#lead-command-first
        first = cmds[0] if cmds else None
        data = chain.lead
        entries: list[ActionOutcome] = []
        if first == "create_lead":
            if not data.email:
                return _fail("206")  # documented: email is required to create
            if (data.id is not None and data.id in self.leads) or self.holder(data.email):
                return _fail("244")  # docs/behaviour.md#create_lead: deleted leads, ids too
            if not self._custom_fields_valid(data.custom_fields):
                return _fail("271")
            lead = ModelLead(id=new_id or "?", email=self.stored_email(data.email))
            self._apply(lead, data)
            self.leads[lead.id] = lead
            entries.append(ActionOutcome("create_lead"))
        else:
            if data.id is None and not data.email:
                return _fail("206")  # documented: "email or lead id is required"
            found = self.find(data.identity)
            if found is None:
                return _fail("243")  # documented: "Lead Not Found"
            if found.deleted:
                return _fail("245")
            lead = found
            if first == "edit_lead":
                refused = set()
                if data.new_email is not None:
                    other = self.holder(data.new_email)
                    if other is not None and other is not lead:
                        refused.add("244")  # documented: new_email "validated against" others
                if not self._custom_fields_valid(data.custom_fields):
                    refused.add("271")
                if refused:  # which of the two is checked first is not documented
                    return _fail(*refused)
                self._apply(lead, data)
                if data.new_email is not None:
                    lead.email = self.stored_email(data.new_email)
            if first in LEAD_COMMANDS:
                entries.append(ActionOutcome(first))
        entries.extend(self._secondary(lead, action) for action in chain.actions)
        return Prediction(
            lead_id=None if first == "create_lead" else lead.id,
            creates=first == "create_lead",
            actions=tuple(entries),
        )

    # -- pieces -------------------------------------------------------------------------------

    def _custom_fields_valid(self, custom: tuple[CustomEntry, ...] | str | None) -> bool:
        """docs/behaviour.md#custom-fields: anything but the documented value format is 271."""
        if custom is None:
            return True
        if isinstance(custom, str):
            return False  # not an array
        for entry in custom:
            if entry.identifier is None or entry.value is None:
                return False  # an entry needs both keys
            spec = self.schema.custom_field(entry.identifier)
            value = entry.value
            if spec is None or value == "":
                continue  # documented: an unknown identifier is ignored; "" clears
            if spec.is_text:
                if not isinstance(value, str):
                    return False
            elif spec.is_checkbox:
                if not isinstance(value, tuple) or not value:
                    return False  # a checkbox takes an array of option ids
                if any(option not in spec.options for option in value):
                    return False
            elif not isinstance(value, str) or value not in spec.options:
                return False  # drop-down / radio button: one option id of the field
        return True

    def _apply(self, lead: ModelLead, data: LeadData) -> None:
        """Store the fields the call sends; ``""`` clears (documented)."""
        for name, value in data.fields.items():
            if value == "":
                lead.fields.pop(name, None)
            elif name == "lead_preferred_time_zone" and value not in TIME_ZONES:
                # inferred (docs/behaviour.md#leads): not one of the 76 options, not stored
                continue
            elif name == "business_type" and not is_number(value):
                continue  # inferred (docs/behaviour.md#leads): documented as a number, not stored
            else:
                lead.fields[name] = value
        if not isinstance(data.custom_fields, tuple):
            return
        for entry in data.custom_fields:
            spec = None if entry.identifier is None else self.schema.custom_field(entry.identifier)
            if spec is None or entry.value is None:
                continue
            if entry.value == "":
                lead.custom.pop(spec.identifier, None)
            elif isinstance(entry.value, tuple):
                lead.custom[spec.identifier] = frozenset(entry.value)
            elif spec.is_text:
                lead.custom[spec.identifier] = entry.value
            else:
                lead.custom[spec.identifier] = frozenset({entry.value})

    def _secondary(self, lead: ModelLead, action: Action) -> ActionOutcome:
        """A tag or list action: its own status in its own entry (docs/behaviour.md#chains)."""
        rule = SECONDARY_RULES[action.cmd]
        pool = self.schema.tags if rule.on_tags else self.schema.lists
        if action.name == "":
            return ActionOutcome(action.cmd, rule.empty)
        if action.name not in pool:
            return ActionOutcome(action.cmd, rule.missing)
        names = lead.tags if rule.on_tags else lead.lists
        if rule.adds:
            names.add(action.name)
        else:
            names.discard(action.name)  # documented: not tagged/subscribed is no error
        return ActionOutcome(action.cmd, None, rule.success)
