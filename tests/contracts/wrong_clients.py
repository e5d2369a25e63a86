"""Deliberately wrong Kartra clients: each is the reference client with one realistic bug.

They prove that ``check_client`` catches real client bugs: every one of them must fail it,
with a readable minimal example, while the reference client passes (test_check_client.py).
Each is a :class:`KartraClient` subclass, driven by the same ``ReferenceClientAdapter``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import httpx

from contracts.api import ReferenceClientAdapter, Target
from kartra_mock.client import (
    ActionResult,
    Chain,
    ChainResult,
    KartraClient,
    KartraProtocolError,
    LeadProfile,
    LeadRef,
)
from kartra_mock.client.encoding import Params
from kartra_mock.errors import GetLeadNotFound, LeadAlreadyExists, LeadDeleted

__all__ = ["WRONG_CLIENTS", "adapting"]


class _TopLevelStatusChain(Chain):
    def send(self, *, raise_on_action_error: bool | None = None) -> ChainResult:
        result = super().send(raise_on_action_error=False)
        ok = [
            dataclasses.replace(action, status=result.status, message="", type_code="")
            for action in result.actions
        ]
        return ChainResult(result.status, tuple(ok), result.lead, result.raw)


class IgnoresActionErrors(KartraClient):
    """Reads only the top-level ``status``: a failed tag or list action looks like success."""

    def _action(self, cmd: str, key: str, name: str, lead: dict[str, str]) -> ActionResult:
        answer = self.call({"lead": lead, "actions": [{"cmd": cmd, key: name}]})
        return ActionResult(cmd, str(answer["status"]), "", "")

    def assign_tag(
        self, tag_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        return self._action("assign_tag", "tag_name", tag_name, _who(id, email))

    def unassign_tag(
        self, tag_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        return self._action("unassign_tag", "tag_name", tag_name, _who(id, email))

    def subscribe_lead_to_list(
        self, list_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        return self._action("subscribe_lead_to_list", "list_name", list_name, _who(id, email))

    def unsubscribe_lead_from_list(
        self, list_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        return self._action("unsubscribe_lead_from_list", "list_name", list_name, _who(id, email))

    def chain(self, lead: Params | None = None, **fields: object) -> Chain:
        return _TopLevelStatusChain(self, {**(lead or {}), **fields} or None)


def _who(id: str | int | None, email: str | None) -> dict[str, str]:
    found = {} if id is None else {"id": str(id)}
    return found if email is None else {**found, "email": email}


class TreatsDuplicateAsSuccess(KartraClient):
    """On 244 "Lead already exists", looks the lead up and reports it as created."""

    def create_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        try:
            return super().create_lead(lead, **fields)
        except LeadAlreadyExists:
            email = str({**(lead or {}), **fields}["email"])
            return self.search_lead(email=email)


class _LeadCommandLastChain(Chain):
    def params(self) -> dict[str, object]:
        params = super().params()
        actions = params["actions"]
        assert isinstance(actions, list)
        if len(self.cmds) > 1 and self.cmds[0] in ("create_lead", "edit_lead", "search_lead"):
            params["actions"] = [*actions[1:], actions[0]]
        return params


class PutsLeadCommandLast(KartraClient):
    """Builds a chain in the order the actions were added, create_lead after the others."""

    def chain(self, lead: Params | None = None, **fields: object) -> Chain:
        return _LeadCommandLastChain(self, {**(lead or {}), **fields} or None)


def _flatten_checkboxes(lead: Params | None) -> dict[str, object]:
    out = dict(lead or {})
    entries = out.get("custom_fields")
    if isinstance(entries, list):
        out["custom_fields"] = [
            {**entry, "field_value": entry["field_value"][0]}
            if isinstance(entry, dict)
            and isinstance(entry.get("field_value"), list)
            and len(entry["field_value"]) == 1
            else entry
            for entry in entries
        ]
    return out


class SendsCheckboxAsScalar(KartraClient):
    """Sends a one-option checkbox value as a scalar (``field_value=620``, not ``[0]=620``)."""

    def create_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        return super().create_lead(_flatten_checkboxes({**(lead or {}), **fields}))

    def edit_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        return super().edit_lead(_flatten_checkboxes({**(lead or {}), **fields}))


def _email_first(lead: Params | None) -> dict[str, object]:
    out = dict(lead or {})
    if out.get("email"):
        out.pop("id", None)
    return out


class ForgetsThatIdBeatsEmail(KartraClient):
    """Names a lead by its email whenever it has one, dropping the id."""

    def edit_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        return super().edit_lead(_email_first({**(lead or {}), **fields}))

    def search_lead(self, *, id: str | int | None = None, email: str | None = None) -> LeadRef:
        return super().search_lead(id=None if email else id, email=email)

    def get_lead(self, *, id: str | int | None = None, email: str | None = None) -> LeadProfile:
        return super().get_lead(id=None if email else id, email=email)

    def assign_tag(
        self, tag_name: str, *, id: str | int | None = None, email: str | None = None
    ) -> ActionResult:
        return super().assign_tag(tag_name, id=None if email else id, email=email)

    def chain(self, lead: Params | None = None, **fields: object) -> Chain:
        return super().chain(_email_first({**(lead or {}), **fields}))


class RetriesWithoutWaiting(KartraClient):
    """Retries "Too many requests" at once, instead of waiting the second Kartra asks for."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**{**options, "retry_delay": 0.0})


class LowercasesEmails(KartraClient):
    """ "Normalises" every new lead's email to lower case: Kartra keeps the spelling sent."""

    def create_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        data = {**(lead or {}), **fields}
        return super().create_lead({**data, "email": str(data["email"]).lower()})


class ResubmitsAfterTimeout(KartraClient):
    """Gives up on a slow answer after 15 ms and sends the create_lead again."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**{**options, "timeout": 0.015})

    def create_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        try:
            return super().create_lead(lead, **fields)
        except httpx.TimeoutException:
            return super().create_lead(lead, **fields)


class SwallowsServerErrors(KartraClient):
    """Treats an answer it cannot read (an HTML 5xx page) as "created, id unknown"."""

    def create_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        try:
            return super().create_lead(lead, **fields)
        except KartraProtocolError:
            return LeadRef(id="")


def adapting(client: type[KartraClient]) -> Callable[[Target], ReferenceClientAdapter]:
    """A ``check_client`` factory for one of these clients."""

    def factory(target: Target) -> ReferenceClientAdapter:
        return ReferenceClientAdapter(client(**target.client_options()))

    factory.__qualname__ = client.__name__
    return factory


class CredentialsInQueryString(KartraClient):
    """Also puts the credentials in the URL's query string (a WordPress plugin does:
    docs/behaviour.md#wire); Kartra documents POST fields, and the mock notes the departure
    (docs/contracts.md#contract-warnings)."""

    def __init__(self, **options: Any) -> None:
        query = "app_id={app_id}&api_key={api_key}&api_password={api_password}".format(**options)
        super().__init__(**{**options, "base_url": f"{options['base_url']}?{query}"})


class ReadsInactiveListsAsActive(KartraClient):
    """Reads every list of a get_lead profile as subscribed, ignoring its ``active`` flag."""

    def get_lead(self, *, id: str | int | None = None, email: str | None = None) -> LeadProfile:
        profile = super().get_lead(id=id, email=email)
        lists = tuple(dataclasses.replace(item, active=True) for item in profile.lists)
        return dataclasses.replace(profile, lists=lists)


class ReadsDeletedAsMissingOnGetLead(KartraClient):
    """Reports get_lead's 245 (deleted) as 234 (not found)."""

    def get_lead(self, *, id: str | int | None = None, email: str | None = None) -> LeadProfile:
        try:
            return super().get_lead(id=id, email=email)
        except LeadDeleted:
            raise GetLeadNotFound from None


class IgnoresDeletedOnEditById(KartraClient):
    """Treats 245 on an edit by id as done, as if the deleted lead had been edited."""

    def edit_lead(self, lead: Params | None = None, **fields: object) -> LeadRef:
        merged = {**(lead or {}), **fields}
        try:
            return super().edit_lead(merged)
        except LeadDeleted:
            if merged.get("id") is None:
                raise
            return LeadRef(str(merged["id"]))


#: Each wrong client, with the rules that may be the first to catch it.
WRONG_CLIENTS: dict[type[KartraClient], frozenset[str]] = {
    IgnoresActionErrors: frozenset(
        {"leads.id-beats-email", "chains.per-action-results", "leads.stateful"}
    ),
    TreatsDuplicateAsSuccess: frozenset({"leads.duplicate-is-244"}),
    PutsLeadCommandLast: frozenset({"chains.per-action-results", "leads.stateful"}),
    SendsCheckboxAsScalar: frozenset({"leads.create-and-read", "leads.custom-fields"}),
    ForgetsThatIdBeatsEmail: frozenset({"leads.duplicate-is-244", "leads.id-beats-email"}),
    RetriesWithoutWaiting: frozenset({"resilience.retry-after-429"}),
    LowercasesEmails: frozenset({"leads.create-and-read"}),
    ResubmitsAfterTimeout: frozenset({"resilience.no-double-submit"}),
    SwallowsServerErrors: frozenset({"resilience.server-errors"}),
    CredentialsInQueryString: frozenset({"leads.create-and-read"}),
    ReadsInactiveListsAsActive: frozenset({"actions.round-trip", "leads.stateful"}),
    ReadsDeletedAsMissingOnGetLead: frozenset({"leads.deleted-is-245", "leads.stateful"}),
    IgnoresDeletedOnEditById: frozenset({"leads.deleted-is-245", "leads.stateful"}),
}
