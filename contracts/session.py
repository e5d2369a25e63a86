"""One example's run: each call goes to the system under test *and* to the model, and the two
outcomes must agree — success with the same effect, or the same error ``type``.

A :class:`Session` holds the adapter under test, the model, and an independent observer (the
contracts' own raw-HTTP client) that reads every lead back after each call. Disagreements raise
:class:`ContractViolation`, whose message shows the call, what the model expected and what
came back, so that hypothesis' minimal example reads as a bug report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contracts.api import Adapter, Unsupported
from contracts.calls import Action, Chain, Identity, LeadData, request_rules
from contracts.http import HttpAdapter
from contracts.model import Model, Prediction
from contracts.outcomes import TRANSPORT, Outcome
from kartra_mock.client.control import ControlPlane

__all__ = ["ContractViolation", "JournalWatch", "Namespace", "Session"]


class ContractViolation(AssertionError):
    """The system under test disagreed with Kartra's documented behaviour."""


@dataclass(frozen=True, slots=True)
class Namespace:
    """Rewrites generated emails so that examples never meet on a server that is not reset.

    ``prefix`` goes before the local part and ``domain`` replaces the domain; the defaults
    leave emails as generated (a mock that is reset before every example needs nothing).
    """

    prefix: str = ""
    domain: str | None = None

    def email(self, generated: str) -> str:
        """The address actually sent for a generated one."""
        if not self.prefix and self.domain is None:
            return generated
        local, _, domain = generated.rpartition("@")
        return f"{self.prefix}{local}@{self.domain or domain}"


class JournalWatch:
    """Reads the mock's journal entries of one app (the client under test) since the last look.

    The contracts use them to check that the client's requests raised no contract warning
    (docs/contracts.md#contract-warnings), and how it retried under injected faults.
    """

    def __init__(self, control: ControlPlane, api_key: str, app_id: str) -> None:
        self._control = control
        self._api_key = api_key
        self._app_id = app_id

    def take(self) -> list[dict[str, Any]]:
        """The app's entries since the last look, oldest first (the journal is then emptied)."""
        entries = self._control.journal(self._api_key)
        self._control.clear_journal(self._api_key)
        return [entry for entry in entries if entry.get("app_id") == self._app_id]


def _label(cmd: str, params: object) -> str:
    return f"{cmd}({params!r})"


@dataclass
class Session:
    """One example against one system under test, with the model alongside.

    ``delete_lead`` needs the ``control`` plane; with a ``journal`` (client direction),
    :meth:`check_requests` checks that the client's requests raised no contract warning that
    their data did not ask for.
    """

    sut: Adapter
    observer: HttpAdapter
    model: Model
    control: ControlPlane | None = None
    namespace: Namespace = field(default_factory=Namespace)
    journal: JournalWatch | None = None
    api_key: str = ""
    #: Calls made, by kind (shared across sessions for the report).
    exercised: Counter[str] = field(default_factory=Counter)
    #: The highest lead id seen so far: new ids must grow (inferred from docs/behaviour.md#leads).
    highest_id: int = 0
    #: Warnings of rules the mock was told to accept, by rule (shared, for the report).
    accepted: Counter[str] = field(default_factory=Counter)

    def email(self, generated: str) -> str:
        """The address this session sends for a generated one."""
        return self.namespace.email(generated)

    # -- calls --------------------------------------------------------------------------------

    def create_lead(self, lead: LeadData) -> str | None:
        """create_lead on both; returns the new lead's id when it was created."""
        label = _label("create_lead", lead.params())
        outcome = self._make("create_lead", lambda: self.sut.create_lead(lead))
        if outcome is None:
            return None
        before = set(self.model.leads)
        prediction = self.model.create_lead(lead, outcome.lead_id)
        self._compare(label, prediction, outcome, before=before)
        return outcome.lead_id if prediction.ok else None

    def create_lead_under_fault(
        self,
        lead: LeadData,
        *,
        may_fail: bool,
        inspect: Callable[[list[dict[str, Any]]], None],
    ) -> tuple[Outcome, bool]:
        """create_lead while a fault is scheduled for the client's next calls.

        ``inspect`` first sees the client's journal entries for the call (how it retried).
        Then the client must have come back with the model's answer, or — when ``may_fail`` —
        with a transport failure. After a reported failure the lead may still exist (a slow
        answer the client gave up on ran anyway, or a retry it did not own up to); the model
        learns which from the server. Returns the outcome and whether the lead exists.
        """
        label = _label("create_lead", lead.params())
        outcome = self._make("create_lead", lambda: self.sut.create_lead(lead))
        if outcome is None:
            raise Unsupported("create_lead")
        entries = self.journal.take() if self.journal is not None else []
        inspect(entries)
        before = set(self.model.leads)
        if outcome.error == TRANSPORT and may_fail:
            seen = self.observer.get_lead(Identity(email=lead.email))
            if seen.profile is not None:
                self.model.create_lead(lead, seen.profile.id)
        else:
            prediction = self.model.create_lead(lead, outcome.lead_id)
            self._compare(label, prediction, outcome, before=before)
        self._check_requests(entries)
        return outcome, self.model.holder(lead.email or "") is not None

    def edit_lead(self, lead: LeadData) -> None:
        """edit_lead on both."""
        label = _label("edit_lead", lead.params())
        outcome = self._make("edit_lead", lambda: self.sut.edit_lead(lead))
        if outcome is not None:
            self._compare(label, self.model.edit_lead(lead), outcome)

    def search_lead(self, lead: Identity) -> None:
        """search_lead on both."""
        label = _label("search_lead", lead.params())
        outcome = self._make("search_lead", lambda: self.sut.search_lead(lead))
        if outcome is not None:
            self._compare(label, self.model.search_lead(lead), outcome)

    def get_lead(self, lead: Identity) -> None:
        """get_lead on both; the profiles must match."""
        label = _label("get_lead", lead.params())
        outcome = self._make("get_lead", lambda: self.sut.get_lead(lead))
        if outcome is not None:
            self._compare(label, self.model.get_lead(lead), outcome)

    def action(self, lead: Identity, action: Action) -> None:
        """One tag or list action on both (a chain of one: its error is the call's)."""
        named = {key: value for key, value in action.params().items() if key != "cmd"}
        label = _label(action.cmd, {"lead": lead.params(), **named})
        outcome = self._make(action.cmd, lambda: self.sut.action(lead, action))
        if outcome is not None:
            prediction = self.model.action(lead, action)
            self._compare(label, prediction, outcome, single_action=True)

    def chain(self, chain: Chain) -> str | None:
        """A chain on both; returns the id of a lead it created."""
        label = _label("+".join(chain.cmds), chain.params())
        outcome = self._make("chain", lambda: self.sut.chain(chain))
        if outcome is None:
            return None
        before = set(self.model.leads)
        new_id = outcome.lead_id if chain.lead_command == "create_lead" else None
        prediction = self.model.call(chain, new_id)
        self._compare(label, prediction, outcome, before=before, chain=True)
        return new_id if prediction.ok and prediction.creates else None

    def delete_lead(self, lead_id: str) -> None:
        """Delete a lead in Kartra's UI (the mock's control plane) and in the model."""
        if self.control is None:
            raise RuntimeError("deleting a lead needs the mock's control plane")
        self.control.delete_lead(self.api_key, lead_id)
        self.model.delete(lead_id)
        self.exercised["delete_lead"] += 1

    # -- checks -------------------------------------------------------------------------------

    def check_state(self) -> None:
        """Every lead the model knows reads back, through get_lead, as the model has it."""
        for lead in list(self.model.leads.values()):
            outcome = self.observer.get_lead(Identity(id=lead.id))
            where = f"after the calls so far, get_lead(id={lead.id!r}) (lead {lead.email!r})"
            if lead.deleted:
                if outcome.error != "245":
                    raise ContractViolation(
                        f"{where}: expected 245 (the lead was deleted), got {outcome.describe()}"
                    )
                continue
            if outcome.profile is None:
                raise ContractViolation(f"{where}: expected the lead, got {outcome.describe()}")
            differences = outcome.profile.differences(lead.view())
            if differences:
                lines = "\n  ".join(differences)
                raise ContractViolation(
                    f"{where} differs from what the calls should have left:\n  {lines}"
                )

    def _make(self, kind: str, call: Callable[[], Outcome]) -> Outcome | None:
        try:
            outcome = call()
        except Unsupported:
            self.exercised[f"{kind} (unsupported)"] += 1
            return None
        self.exercised[kind] += 1
        return outcome

    def check_requests(self) -> None:
        """The client's requests so far raised no contract warning
        (docs/contracts.md#contract-warnings) beyond those their
        data asks for (an invalid time zone, an unknown custom field, …); a no-op without a
        journal. Run at the end of an example: one look at the journal for all its calls."""
        if self.journal is not None:
            self._check_requests(self.journal.take())

    def _check_requests(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            params = entry.get("params") or {}
            allowed = request_rules(params, self.model.schema)
            for warning in entry.get("warnings", []):
                if warning.get("accepted") is True:
                    self.accepted[str(warning.get("rule"))] += 1
                elif warning.get("rule") not in allowed:
                    shown = {
                        key: value
                        for key, value in params.items()
                        if not key.startswith(("app_id", "api_"))
                    }
                    raise ContractViolation(
                        f"the request {shown!r} broke contract rule {warning.get('rule')!r} "
                        f"({warning.get('source')}; {warning.get('reference')}): "
                        f"{warning.get('detail')}"
                    )

    def _compare(
        self,
        label: str,
        prediction: Prediction,
        outcome: Outcome,
        *,
        before: set[str] | None = None,
        single_action: bool = False,
        chain: bool = False,
    ) -> None:
        expected = prediction
        if single_action and prediction.ok and prediction.actions:
            error = prediction.actions[-1].error
            if error is not None:
                expected = Prediction(errors=frozenset({error}))

        def mismatch(reason: str = "") -> ContractViolation:
            text = f"{label}\n  expected: {expected.describe()}\n  got:      {outcome.describe()}"
            return ContractViolation(text + (f"\n  {reason}" if reason else ""))

        if outcome.error == TRANSPORT:
            raise mismatch("the answer was not Kartra's protocol")
        if not expected.ok or not outcome.ok:
            if outcome.error not in expected.errors:
                raise mismatch()
            return
        if expected.creates:
            self._check_new_id(outcome.lead_id, before or set(), mismatch)
        elif expected.lead_id is not None and outcome.lead_id not in (None, expected.lead_id):
            raise mismatch(
                f"the answer names lead {outcome.lead_id}, the call names lead {expected.lead_id}"
            )
        if chain:
            got = [(a.cmd, a.error) for a in outcome.actions]
            want = [(a.cmd, a.error) for a in expected.actions]
            if got != want:
                raise mismatch("the actions' results differ")
            for have, should in zip(outcome.actions, expected.actions, strict=True):
                if have.type_code and should.type_code and have.type_code != should.type_code:
                    raise mismatch(f"{have.cmd} succeeded with type {have.type_code}")
        if expected.profile is not None:
            if outcome.profile is None:
                raise mismatch("no lead profile in the answer")
            differences = outcome.profile.differences(expected.profile)
            if differences:
                raise mismatch("; ".join(differences))

    def _check_new_id(
        self, lead_id: str | None, before: set[str], mismatch: Callable[[str], ContractViolation]
    ) -> None:
        if lead_id is None or not lead_id.isascii() or not lead_id.isdigit() or int(lead_id) < 1:
            raise mismatch(f"a new lead needs a positive integer id, got {lead_id!r}")
        if lead_id in before:
            raise mismatch(f"id {lead_id} already belongs to another lead")
        if int(lead_id) <= self.highest_id:
            raise mismatch(f"id {lead_id} is not above the ids given before ({self.highest_id})")
        self.highest_id = int(lead_id)
