"""The state machine: random sequences of lead calls, each checked against the model.

Every rule makes one call on the system under test and on the model (:class:`Session`), which
must agree — success with the same effect, or the same error ``type``; after every call the
invariant reads every lead back. When they disagree, hypothesis shrinks the sequence to a
minimal one and prints it as calls::

    state = LeadMachine()
    leads_0 = state.create_lead(lead=LeadData(email='a@example.com', fields={}, ...))
    state.edit_lead(lead=leads_0, other=leads_0, who=Who(by=By.ID_AND_OTHER_EMAIL, ...), ...)

(``leads_0`` is the id the system under test gave the lead.) The machine is built for one
:class:`~contracts.harness.Harness`: its strategies use that account's tags, lists and custom
fields, and rules that need the mock's control plane exist only when there is one.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from contracts.calls import Action, Chain, Identity, LeadData
from contracts.harness import Capability, Harness
from contracts.session import Session
from contracts.strategies import (
    By,
    Case,
    ChainPlan,
    Changes,
    Who,
    actions,
    case_variants,
    chain_plans,
    changes,
    emails,
    new_leads,
    whos,
)

__all__ = ["UNKNOWN_ID_BASE", "lead_machine", "run_lead_machine"]

#: Ids this far up are taken to name no lead (only against a mock: the real Kartra's account
#: may hold anything, and the contracts touch only leads they created).
UNKNOWN_ID_BASE = 900_000_000


def lead_machine(harness: Harness) -> type[RuleBasedStateMachine]:
    """The state machine class for one system under test."""
    schema = harness.schema
    mock = harness.has(Capability.MOCK)
    raw = harness.has(Capability.RAW)
    can_delete = mock and harness.has(Capability.CONTROL)
    misplaced = mock and harness.has(Capability.RAW)
    # An unknown id only against a mock; naming nobody only when calls go out as built (a
    # client may rightly refuse to send such a call).
    unknown_kinds = ["email"] + (["id"] if mock else []) + (["nothing"] if raw else [])

    class LeadMachine(RuleBasedStateMachine):
        """Lead calls in any order; the system under test must behave as the model does."""

        leads = Bundle("leads")

        def __init__(self) -> None:
            super().__init__()
            self._opened = harness.session()
            self.session: Session = self._opened.__enter__()

        def teardown(self) -> None:
            """Close the session (for a client: its requests' contract warnings are checked)."""
            self._opened.__exit__(None, None, None)

        def _who(self, lead_id: str, other_id: str, who: Who) -> Identity:
            leads = self.session.model.leads
            email = who.case.apply(leads[lead_id].email)
            if who.by is By.ID:
                return Identity(id=lead_id)
            if who.by is By.EMAIL:
                return Identity(email=email)
            if who.by is By.ID_AND_EMAIL:
                return Identity(id=lead_id, email=email)
            return Identity(id=lead_id, email=who.case.apply(leads[other_id].email))

        def _edit(
            self, identity: Identity, lead_id: str, other_id: str, change: Changes
        ) -> LeadData:
            new_email = None
            if change.new_email is not None:
                spec = change.new_email
                if spec.kind == "fresh":
                    new_email = self.session.email(spec.email)
                else:
                    owner = lead_id if spec.kind == "own" else other_id
                    new_email = spec.case.apply(self.session.model.leads[owner].email)
            return LeadData(
                id=identity.id,
                email=identity.email,
                fields=change.fields,
                custom_fields=change.custom_fields,
                new_email=new_email,
            )

        @rule(target=leads, lead=new_leads(schema))
        def create_lead(self, lead: LeadData) -> object:
            """Create a lead."""
            new_id = self.session.create_lead(
                replace(lead, email=self.session.email(lead.email or ""))
            )
            return multiple(new_id) if new_id else multiple()

        @rule(lead=leads, case=case_variants(), by_id=st.booleans(), fresh=emails())
        def create_existing(self, lead: str, case: Case, by_id: bool, fresh: str) -> None:
            """Create a lead that exists: by its email in any case, or by its id."""
            known = self.session.model.leads[lead]
            if by_id:
                data = LeadData(id=lead, email=self.session.email(fresh))
            else:
                data = LeadData(email=case.apply(known.email))
            self.session.create_lead(data)

        @rule(lead=leads, other=leads, who=whos(), change=changes(schema))
        def edit_lead(self, lead: str, other: str, who: Who, change: Changes) -> None:
            """Edit a lead: fields, custom fields, maybe its email."""
            identity = self._who(lead, other, who)
            self.session.edit_lead(self._edit(identity, lead, other, change))

        @rule(lead=leads, other=leads, who=whos())
        def search_lead(self, lead: str, other: str, who: Who) -> None:
            """Search a lead."""
            self.session.search_lead(self._who(lead, other, who))

        @rule(lead=leads, other=leads, who=whos())
        def get_lead(self, lead: str, other: str, who: Who) -> None:
            """Read a lead's profile."""
            self.session.get_lead(self._who(lead, other, who))

        @rule(lead=leads, other=leads, who=whos(), action=actions(schema))
        def act(self, lead: str, other: str, who: Who, action: Action) -> None:
            """One tag or list action."""
            self.session.action(self._who(lead, other, who), action)

        @rule(lead=leads, other=leads, who=whos(), plan=chain_plans(schema, misplaced=misplaced))
        def chain(self, lead: str, other: str, who: Who, plan: ChainPlan) -> None:
            """A chain on an existing lead."""
            identity = self._who(lead, other, who)
            data = LeadData(identity.id, identity.email)
            if plan.changes is not None:
                data = self._edit(identity, lead, other, plan.changes)
            self.session.chain(Chain(data, plan.lead_command, plan.actions, plan.lead_command_at))

        @rule(
            target=leads,
            lead=new_leads(schema),
            steps=st.lists(actions(schema), min_size=1, max_size=3).map(tuple),
        )
        def create_and_act(self, lead: LeadData, steps: tuple[Action, ...]) -> object:
            """Create a lead and act on it in one call (docs/behaviour.md#chains: "CREATE + desired
            action")."""
            data = replace(lead, email=self.session.email(lead.email or ""))
            new_id = self.session.chain(Chain(data, "create_lead", steps))
            return multiple(new_id) if new_id else multiple()

        @rule(
            cmd=st.sampled_from(["edit_lead", "search_lead", "get_lead", "assign_tag"]),
            email=emails(),
            how=st.sampled_from(unknown_kinds),
        )
        def unknown_lead(self, cmd: str, email: str, how: str) -> None:
            """A call naming a lead that does not exist (or no lead at all)."""
            identity = Identity()
            if how == "email":
                identity = Identity(email=self.session.email(email))
            elif how == "id":
                identity = Identity(id=str(UNKNOWN_ID_BASE + len(self.session.model.leads)))
            if cmd == "edit_lead":
                self.session.edit_lead(LeadData(identity.id, identity.email, {"city": "Nowhere"}))
            elif cmd == "search_lead":
                self.session.search_lead(identity)
            elif cmd == "get_lead" and how != "nothing":  # get_lead naming nobody: not specified
                self.session.get_lead(identity)
            elif cmd == "assign_tag":
                self.session.action(
                    identity, Action("assign_tag", schema.tags[0] if schema.tags else "x")
                )

        if mock:

            @rule(target=leads, lead=new_leads(schema))
            def create_lead_with_an_unknown_id(self, lead: LeadData) -> object:
                """create_lead naming an id no lead has: the id is ignored
                (docs/behaviour.md#leads)."""
                data = replace(
                    lead, id=str(UNKNOWN_ID_BASE), email=self.session.email(lead.email or "")
                )
                new_id = self.session.create_lead(data)
                return multiple(new_id) if new_id else multiple()

        if can_delete:

            @rule(lead=leads)
            def delete_lead(self, lead: str) -> None:
                """Delete a lead in Kartra's UI (the mock's control plane)."""
                self.session.delete_lead(lead)

        @invariant()
        def every_lead_reads_back_as_the_model_has_it(self) -> None:
            """get_lead of every lead the calls made agrees with the model."""
            self.session.check_state()

    LeadMachine.__qualname__ = "LeadMachine"
    return LeadMachine


def run_lead_machine(harness: Harness) -> None:
    """Run the state machine with the harness' profile; raises on the first disagreement."""
    machine = lead_machine(harness)
    run_state_machine_as_test(
        machine, settings=harness.settings(max_examples=harness.profile.stateful_examples)
    )
