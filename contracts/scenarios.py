"""Focused rules: one documented behaviour each, as a short scenario with generated data.

The state machine (:mod:`contracts.machine`) explores everything at once; these rules ask one
question each, so that the report says *which* behaviour broke and the minimal example is a
handful of calls. Every call still goes through a :class:`~contracts.session.Session`: the
system under test and the model must agree on each, and every lead reads back as the model has
it at the end.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import example, given
from hypothesis import strategies as st

from contracts.calls import Action, Chain, CustomEntry, Identity, LeadData
from contracts.harness import Capability, ExampleDone, Harness
from contracts.machine import UNKNOWN_ID_BASE
from contracts.session import Session
from contracts.strategies import (
    Case,
    ChainPlan,
    actions,
    case_variants,
    chain_plans,
    custom_fields,
    emails,
    lead_fields,
    new_leads,
    plain_custom_fields,
)

__all__ = [
    "actions_round_trip",
    "chains_lead_command_first",
    "chains_per_action_results",
    "create_and_read",
    "custom_fields_by_type",
    "deleted_is_245",
    "duplicate_is_244",
    "email_case_insensitive",
    "id_beats_email",
    "missing_is_243",
    "new_email",
    "profile_fields",
]

_NAMING_CALLS = ("edit_lead", "search_lead", "get_lead", "action")
CustomFields = tuple[CustomEntry, ...] | str | None


def _as_sent(session: Session, lead: LeadData) -> LeadData:
    """A generated lead with its email as the session sends it
    (:class:`~contracts.session.Namespace`)."""
    return replace(lead, email=session.email(lead.email or ""))


def _create(session: Session, lead: LeadData) -> tuple[str | None, str]:
    email = session.email(lead.email or "")
    return session.create_lead(replace(lead, email=email)), email


def _created(session: Session, *leads: LeadData) -> list[tuple[str, str]]:
    """Create each lead: their ids and emails. If any create was refused (rightly: the session
    checked the answer), the example ends here, its leads still checked (:class:`ExampleDone`)."""
    made = [_create(session, lead) for lead in leads]
    ids = [new_id for new_id, _ in made if new_id is not None]
    if len(ids) < len(made):
        raise ExampleDone
    return [(new_id, email) for new_id, (_, email) in zip(ids, made, strict=True)]


def _call(session: Session, cmd: str, identity: Identity, action: Action | None = None) -> None:
    """One call naming a lead, of the kind ``cmd``."""
    if cmd == "edit_lead":
        session.edit_lead(LeadData(identity.id, identity.email, {"company": "Acme"}))
    elif cmd == "search_lead":
        session.search_lead(identity)
    elif cmd == "get_lead":
        session.get_lead(identity)
    else:
        session.action(identity, action or Action("assign_tag", ""))


def create_and_read(harness: Harness) -> None:
    """A created lead reads back with its email spelt as sent, its fields and custom fields;
    a refused create (271) leaves nothing behind. Every custom field of the account is tried
    once whatever hypothesis draws (an explicit example)."""
    every_field = LeadData(
        email="ada@example.com", custom_fields=plain_custom_fields(harness.schema)
    )

    @harness.settings()
    @given(lead=new_leads(harness.schema))
    @example(lead=every_field)
    def created_lead_reads_back(lead: LeadData) -> None:
        with harness.checked_session() as session:
            new_id, email = _create(session, lead)
            if new_id is not None:
                session.get_lead(Identity(id=new_id))
            session.get_lead(Identity(email=email))

    created_lead_reads_back()


def duplicate_is_244(harness: Harness) -> None:
    """create_lead on an existing email (in any case) or id answers 244 and changes nothing."""

    @harness.settings()
    @given(
        lead=new_leads(harness.schema, valid=True),
        again=new_leads(harness.schema, valid=True),
        case=case_variants(),
        by_id=st.booleans(),
    )
    def creating_twice_is_244(lead: LeadData, again: LeadData, case: Case, by_id: bool) -> None:
        with harness.checked_session() as session:
            [(new_id, email)] = _created(session, lead)
            spelt = case.apply(email)
            if by_id:
                second = replace(_as_sent(session, again), id=new_id)
            else:
                second = replace(again, email=spelt)
            session.create_lead(second)

    creating_twice_is_244()


def email_case_insensitive(harness: Harness) -> None:
    """search/edit/get by an email in another case find the lead; its spelling stays."""

    @harness.settings()
    @given(
        lead=new_leads(harness.schema, valid=True),
        case=case_variants(),
        change=lead_fields(clearing=True),
    )
    def any_case_finds_the_lead(lead: LeadData, case: Case, change: dict[str, str]) -> None:
        with harness.checked_session() as session:
            [(_, email)] = _created(session, lead)
            spelt = case.apply(email)
            session.search_lead(Identity(email=spelt))
            session.edit_lead(LeadData(email=spelt, fields=change))
            session.get_lead(Identity(email=spelt))

    any_case_finds_the_lead()


def id_beats_email(harness: Harness) -> None:
    """A call with a lead's id and another lead's email acts on the id's lead (documented)."""

    @harness.settings()
    @given(
        first=new_leads(harness.schema, valid=True),
        second=new_leads(harness.schema, valid=True),
        cmd=st.sampled_from(_NAMING_CALLS),
        action=actions(harness.schema),
        change=lead_fields(),
    )
    def the_id_wins(
        first: LeadData, second: LeadData, cmd: str, action: Action, change: dict[str, str]
    ) -> None:
        with harness.checked_session() as session:
            (first_id, _), (_, second_email) = _created(session, first, second)
            identity = Identity(id=first_id, email=second_email)
            if cmd == "edit_lead":
                session.edit_lead(LeadData(first_id, second_email, change))
            else:
                _call(session, cmd, identity, action)

    the_id_wins()


def new_email(harness: Harness) -> None:
    """edit_lead's new_email moves the lead to a free address; a taken one (any case) is 244."""

    @harness.settings()
    @given(
        first=new_leads(harness.schema, valid=True),
        second=new_leads(harness.schema, valid=True),
        fresh=emails(),
        target=st.sampled_from(["fresh", "other", "own"]),
        case=case_variants(),
        by_id=st.booleans(),
    )
    def new_email_moves_the_lead(
        first: LeadData,
        second: LeadData,
        fresh: str,
        target: str,
        case: Case,
        by_id: bool,
    ) -> None:
        with harness.checked_session() as session:
            (first_id, first_email), (_, second_email) = _created(session, first, second)
            chosen = {
                "fresh": session.email(fresh),
                "other": case.apply(second_email),
                "own": case.apply(first_email),
            }[target]
            identity = Identity(id=first_id) if by_id else Identity(email=first_email)
            session.edit_lead(LeadData(identity.id, identity.email, new_email=chosen))
            session.search_lead(Identity(email=chosen))
            session.search_lead(Identity(email=first_email))
            session.create_lead(LeadData(email=first_email))

    new_email_moves_the_lead()


def missing_is_243(harness: Harness) -> None:
    """Calls naming no existing lead: 243 (get_lead: 234); naming none at all: 206."""
    # An unknown id only against a mock; naming nobody only when calls go out as built (a
    # client may rightly refuse to send such a call at all).
    kinds = ["email"]
    if harness.has(Capability.MOCK):
        kinds.append("id")
    if harness.has(Capability.RAW):
        kinds.append("nothing")

    # Every call kind and every way of naming, in each example: a sampled kind may never come
    # up in the few examples of the ci profile, and a client's bug may sit in just one of them.
    @harness.settings()
    @given(email=emails(), action=actions(harness.schema))
    def no_such_lead(email: str, action: Action) -> None:
        with harness.checked_session() as session:
            for cmd in _NAMING_CALLS:
                for how in kinds:
                    identity = Identity()
                    if how == "email":
                        identity = Identity(email=session.email(email))
                    elif how == "id":
                        identity = Identity(id=str(UNKNOWN_ID_BASE))
                    elif cmd == "get_lead":
                        continue  # get_lead naming nobody: Kartra says nothing about it
                    _call(session, cmd, identity, action)

    no_such_lead()


def deleted_is_245(harness: Harness) -> None:
    """A deleted lead answers 245 and keeps its email: creating it again or moving another
    lead to it is 244 (docs/behaviour.md#leads; docs/behaviour.md#email)."""

    # Every call kind, by id and by email, in each example (see missing_is_243): nothing here
    # changes the world, so the calls do not disturb each other.
    @harness.settings()
    @given(
        lead=new_leads(harness.schema, valid=True),
        other=new_leads(harness.schema, valid=True),
        action=actions(harness.schema),
        case=case_variants(),
    )
    def deleted_lead_is_245(lead: LeadData, other: LeadData, action: Action, case: Case) -> None:
        with harness.checked_session() as session:
            (lead_id, email), (other_id, _) = _created(session, lead, other)
            session.delete_lead(lead_id)
            spelt = case.apply(email)
            session.create_lead(LeadData(email=spelt))
            session.edit_lead(LeadData(id=other_id, new_email=spelt))
            for cmd in _NAMING_CALLS:
                _call(session, cmd, Identity(id=lead_id), action)
                _call(session, cmd, Identity(email=spelt), action)

    deleted_lead_is_245()


def actions_round_trip(harness: Harness) -> None:
    """Every tag and list action on one lead, each read back with get_lead: subscribe then
    unsubscribe leaves the list inactive, assign then unassign removes the tag
    (docs/behaviour.md#subscribe_lead_to_list, docs/behaviour.md#assign_tag)."""
    schema = harness.schema
    if not schema.tags or not schema.lists:
        return

    @harness.settings()
    @given(
        lead=new_leads(schema, valid=True),
        tag=st.sampled_from(schema.tags),
        list_name=st.sampled_from(schema.lists),
        by_id=st.booleans(),
    )
    def each_action_reads_back(lead: LeadData, tag: str, list_name: str, by_id: bool) -> None:
        with harness.checked_session() as session:
            [(lead_id, email)] = _created(session, lead)
            identity = Identity(id=lead_id) if by_id else Identity(email=email)
            for action in (
                Action("subscribe_lead_to_list", list_name),
                Action("unsubscribe_lead_from_list", list_name),
                Action("assign_tag", tag),
                Action("unassign_tag", tag),
                Action("subscribe_lead_to_list", list_name),
                Action("assign_tag", tag),
            ):
                session.action(identity, action)
                session.get_lead(Identity(id=lead_id))

    each_action_reads_back()


def custom_fields_by_type(harness: Harness) -> None:
    """Custom-field values by type are stored and cleared; a wrong format is 271 and changes
    nothing; an unknown identifier is ignored (docs/behaviour.md#custom-fields)."""

    @harness.settings()
    @given(
        lead=new_leads(harness.schema, valid=True),
        first=custom_fields(harness.schema),
        then=custom_fields(harness.schema),
    )
    def values_by_type(lead: LeadData, first: CustomFields, then: CustomFields) -> None:
        with harness.checked_session() as session:
            created = replace(lead, custom_fields=first)
            [(_, email)] = _created(session, created)
            session.edit_lead(LeadData(email=email, custom_fields=then))

    values_by_type()


def profile_fields(harness: Harness) -> None:
    """Profile fields are stored as sent and cleared by ``""``; a time zone outside the 76
    options or a non-numeric business_type is not stored (docs/behaviour.md#leads)."""

    @harness.settings()
    @given(
        lead=new_leads(harness.schema, valid=True),
        first=lead_fields(max_size=6),
        then=lead_fields(clearing=True, max_size=6),
    )
    def fields_round_trip(lead: LeadData, first: dict[str, str], then: dict[str, str]) -> None:
        with harness.checked_session() as session:
            [(new_id, _)] = _created(session, replace(lead, fields=first))
            session.edit_lead(LeadData(id=new_id, fields=then))

    fields_round_trip()


def chains_per_action_results(harness: Harness) -> None:
    """In a chain each action reports its own result, in request order; a failed action does
    not stop the others, and the lead command's failure stops everything
    (docs/behaviour.md#chains)."""
    steps = st.lists(actions(harness.schema), min_size=1, max_size=3).map(tuple)

    @harness.settings()
    @given(lead=new_leads(harness.schema), first=steps, plan=chain_plans(harness.schema))
    def every_action_reports(lead: LeadData, first: tuple[Action, ...], plan: ChainPlan) -> None:
        with harness.checked_session() as session:
            data = _as_sent(session, lead)
            new_id = session.chain(Chain(data, "create_lead", first))
            if new_id is None:
                return
            named = LeadData(id=new_id)
            if plan.lead_command == "edit_lead":
                named = LeadData(id=new_id, fields={"city": "Lyon"})
            session.chain(Chain(named, plan.lead_command, plan.actions))

    every_action_reports()


def chains_lead_command_first(harness: Harness) -> None:
    """A lead command after actions[0] is refused with 901 and changes nothing (inferred: the
    rule of docs/behaviour.md#lead-command-first; 9xx codes are the mock's own)."""

    @harness.settings()
    @given(
        lead=new_leads(harness.schema, valid=True),
        cmd=st.sampled_from(["create_lead", "edit_lead", "search_lead"]),
        steps=st.lists(actions(harness.schema), min_size=1, max_size=3).map(tuple),
        at=st.integers(1, 3),
    )
    def lead_command_goes_first(
        lead: LeadData, cmd: str, steps: tuple[Action, ...], at: int
    ) -> None:
        with harness.checked_session() as session:
            if cmd == "create_lead":
                data = _as_sent(session, lead)
                session.chain(Chain(data, cmd, steps, at))
            else:
                [(new_id, _)] = _created(session, lead)
                session.chain(Chain(LeadData(id=new_id), cmd, steps, at))

    lead_command_goes_first()
