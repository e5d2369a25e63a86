"""The adapter protocol a system under test implements, and the adapters for ours.

The contracts speak in plain values (:mod:`contracts.calls`) and expect an :class:`Outcome`
back. An :class:`Adapter` translates: it makes the call with *its* client and reduces the
result. ``check_client(factory)`` calls ``factory(target)`` for every example, with a
:class:`Target` naming the mock and the credentials, and drives the adapter it returns.

Adapters shipped here: :class:`ReferenceClientAdapter` (``kartra_mock.client.KartraClient``),
:class:`AsyncReferenceClientAdapter` (``AsyncKartraClient``, run through a blocking portal), and
:class:`~contracts.http.HttpAdapter` (raw HTTP; what ``verify_server`` uses).

Example — checking your own client::

    class MyAdapter:
        def __init__(self, target: Target) -> None:
            self.client = MyKartra(target.api_url, target.app_id, target.api_key,
                                   target.api_password)
        def create_lead(self, lead: LeadData) -> Outcome:
            try:
                return Outcome(lead_id=self.client.add_contact(**lead.params()))
            except MyKartraError as exc:
                return Outcome.failed(exc.code)
        ...  # edit_lead, search_lead, get_lead, action, chain: raise Unsupported if you lack one

    contracts.check_client(MyAdapter)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypedDict, TypeVar, Unpack

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

from contracts.calls import NAME_PARAMETER, Action, Chain, Identity, LeadData
from contracts.outcomes import ActionOutcome, CustomFieldView, LeadView, Outcome
from contracts.schema import PROFILE_FIELDS
from kartra_mock.client import (
    ActionResult,
    AsyncKartraClient,
    ChainBuilder,
    ChainResult,
    KartraClient,
    KartraClientError,
    LeadProfile,
    LeadRef,
)
from kartra_mock.protocol.errors import KartraError, UnknownKartraError

__all__ = [
    "Adapter",
    "AdapterFactory",
    "AsyncReferenceClientAdapter",
    "ReferenceClientAdapter",
    "Target",
    "Unsupported",
    "async_reference_client",
    "reference_client",
]

T = TypeVar("T")
_R_co = TypeVar("_R_co", covariant=True)
_Builder = TypeVar("_Builder", bound=ChainBuilder)


class Unsupported(Exception):
    """Raised by an adapter for a call its client cannot make; the contracts skip that call."""


class Adapter(Protocol):
    """What the contracts drive. Every method makes one Kartra call and reduces its result.

    * ``Outcome.failed(type)`` when Kartra answered an error ``type`` — for a single tag/list
      action, its action error too; ``Outcome.transport(detail)`` when the answer was not
      Kartra's protocol; otherwise success, with ``lead_id`` for lead commands.
    * :meth:`chain` reports one :class:`ActionOutcome` per action, in request order, the lead
      command first; it may ignore ``chain.lead_command_at`` (a client always puts the lead
      command first, which is the point).
    * :meth:`get_lead` reports the lead as a :class:`LeadView`.
    * Raise :class:`Unsupported` for a call the client cannot make.
    """

    def create_lead(self, lead: LeadData) -> Outcome:
        """create_lead with this ``lead`` map."""
        ...

    def edit_lead(self, lead: LeadData) -> Outcome:
        """edit_lead with this ``lead`` map (``new_email`` changes the address)."""
        ...

    def search_lead(self, lead: Identity) -> Outcome:
        """search_lead for this lead."""
        ...

    def get_lead(self, lead: Identity) -> Outcome:
        """get_lead for this lead."""
        ...

    def action(self, lead: Identity, action: Action) -> Outcome:
        """One tag or list action on an existing lead."""
        ...

    def chain(self, chain: Chain) -> Outcome:
        """A chain: the lead command (if any) first, then the actions, in one call."""
        ...

    def close(self) -> None:
        """Release the client."""
        ...


@dataclass(frozen=True, slots=True)
class Target:
    """Where the client under test must send its calls: the mock's ``/api`` and credentials.

    ``transport`` / ``async_transport`` reach an in-process mock without a socket (``None``
    when the mock listens on a real port: use ``api_url``).
    """

    api_url: str
    app_id: str
    api_key: str
    api_password: str = field(repr=False)
    transport: httpx.BaseTransport | None = field(default=None, repr=False)
    async_transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for ``KartraClient`` (base URL, credentials, transport)."""
        options: dict[str, Any] = {
            "base_url": self.api_url,
            "app_id": self.app_id,
            "api_key": self.api_key,
            "api_password": self.api_password,
        }
        if self.transport is not None:
            options["transport"] = self.transport
        return options

    def async_client_options(self) -> dict[str, Any]:
        """Keyword arguments for ``AsyncKartraClient``."""
        options = self.client_options()
        options.pop("transport", None)
        if self.async_transport is not None:
            options["transport"] = self.async_transport
        return options


#: What ``check_client`` takes: builds an adapter around a fresh client bound to ``target``.
AdapterFactory = Callable[[Target], Adapter]


# -- from the reference client's results to outcomes ------------------------------------------


def _guard(call: Callable[[], Outcome]) -> Outcome:
    """Run a client call; its errors become outcomes."""
    try:
        return call()
    except UnknownKartraError as exc:
        return Outcome.failed(exc.unknown_type_code, exc.message)
    except KartraError as exc:
        return Outcome.failed(exc.type_code, exc.message)
    except (KartraClientError, httpx.HTTPError) as exc:
        return Outcome.transport(f"{type(exc).__name__}: {exc}")


def _ref(ref: LeadRef) -> Outcome:
    return Outcome(lead_id=ref.id)


def _action(result: ActionResult) -> Outcome:
    return Outcome(actions=(ActionOutcome(result.cmd, None, result.type_code),))


def _chain(result: ChainResult) -> Outcome:
    return Outcome(
        lead_id=None if result.lead is None else result.lead.id,
        actions=tuple(
            ActionOutcome(item.cmd, None, item.type_code)
            if item.ok
            else ActionOutcome(item.cmd, item.type_code)
            for item in result.actions
        ),
    )


def profile_view(profile: LeadProfile) -> LeadView:
    """A reference-client profile reduced to a :class:`LeadView`."""
    fields = {}
    for name in PROFILE_FIELDS:
        value = profile.raw.get(name)
        if value not in (None, ""):
            fields[name] = str(value)
    custom: dict[str, CustomFieldView] = {}
    for identifier, value in profile.custom_fields.items():
        if value.options:
            custom[identifier] = frozenset(value.option_ids)
        elif value.text:
            custom[identifier] = value.text
    return LeadView(
        id=profile.id,
        email=profile.email,
        fields=fields,
        custom_fields=custom,
        tags=frozenset(profile.tags),
        lists=frozenset(profile.active_lists),
    )


def _profile(profile: LeadProfile) -> Outcome:
    return Outcome(lead_id=profile.id, profile=profile_view(profile))


def _identity(lead: Identity) -> dict[str, str]:
    return {key: str(value) for key, value in lead.params().items()}


class _LeadNamed(TypedDict, total=False):
    """How the tag and list methods name a lead (what :func:`_identity` gives)."""

    id: str
    email: str


class _TagsAndLists(Protocol[_R_co]):
    """The tag and list methods of both reference clients; ``_R_co``: what each returns."""

    def assign_tag(self, name: str, /, **lead: Unpack[_LeadNamed]) -> _R_co: ...
    def unassign_tag(self, name: str, /, **lead: Unpack[_LeadNamed]) -> _R_co: ...
    def subscribe_lead_to_list(self, name: str, /, **lead: Unpack[_LeadNamed]) -> _R_co: ...
    def unsubscribe_lead_from_list(self, name: str, /, **lead: Unpack[_LeadNamed]) -> _R_co: ...


class _TagListMethod(Protocol[_R_co]):
    """One of those methods, bound to its client."""

    def __call__(self, name: str, /, **lead: Unpack[_LeadNamed]) -> _R_co: ...


def _tag_list_method(client: _TagsAndLists[_R_co], cmd: str) -> _TagListMethod[_R_co]:
    """The client's own method for a tag or list command (a client under test may override it)."""
    methods = {
        "assign_tag": client.assign_tag,
        "unassign_tag": client.unassign_tag,
        "subscribe_lead_to_list": client.subscribe_lead_to_list,
        "unsubscribe_lead_from_list": client.unsubscribe_lead_from_list,
    }
    return methods[cmd]


def _filled(builder: _Builder, chain: Chain) -> _Builder:
    """The client's chain builder with the chain's lead command (if any) and actions added."""
    if chain.lead_command is not None:
        builder.action(chain.lead_command)
    for item in chain.actions:
        builder.action(item.cmd, **{NAME_PARAMETER[item.cmd]: item.name})
    return builder


# -- the adapters -----------------------------------------------------------------------------


class ReferenceClientAdapter:
    """Drives a :class:`kartra_mock.client.KartraClient` (or a subclass: a client under test)."""

    def __init__(self, client: KartraClient) -> None:
        self.client = client

    def create_lead(self, lead: LeadData) -> Outcome:
        """create_lead through ``KartraClient.create_lead``."""
        return _guard(lambda: _ref(self.client.create_lead(lead.params())))

    def edit_lead(self, lead: LeadData) -> Outcome:
        """edit_lead through ``KartraClient.edit_lead``."""
        return _guard(lambda: _ref(self.client.edit_lead(lead.params())))

    def search_lead(self, lead: Identity) -> Outcome:
        """search_lead through ``KartraClient.search_lead``."""
        return _guard(lambda: _ref(self.client.search_lead(**_identity(lead))))

    def get_lead(self, lead: Identity) -> Outcome:
        """get_lead through ``KartraClient.get_lead``."""
        return _guard(lambda: _profile(self.client.get_lead(**_identity(lead))))

    def action(self, lead: Identity, action: Action) -> Outcome:
        """A tag or list action through the client's method of that name."""
        method = _tag_list_method(self.client, action.cmd)
        return _guard(lambda: _action(method(action.name, **_identity(lead))))

    def chain(self, chain: Chain) -> Outcome:
        """A chain through ``KartraClient.chain(...)…send()``."""

        def send() -> Outcome:
            builder = _filled(self.client.chain(chain.lead.params()), chain)
            return _chain(builder.send(raise_on_action_error=False))

        return _guard(send)

    def close(self) -> None:
        """Close the client."""
        self.client.close()


class AsyncReferenceClientAdapter:
    """Drives an :class:`AsyncKartraClient` from sync code, through an anyio blocking portal
    (an event loop on a helper thread)."""

    def __init__(self, client: AsyncKartraClient) -> None:
        self.client = client
        self._portal_cm: AbstractContextManager[BlockingPortal] = start_blocking_portal()
        self._portal = self._portal_cm.__enter__()

    def _run(self, call: Callable[[], Awaitable[T]]) -> T:
        return self._portal.call(call)

    def create_lead(self, lead: LeadData) -> Outcome:
        """create_lead through ``AsyncKartraClient.create_lead``."""
        return _guard(lambda: _ref(self._run(lambda: self.client.create_lead(lead.params()))))

    def edit_lead(self, lead: LeadData) -> Outcome:
        """edit_lead through ``AsyncKartraClient.edit_lead``."""
        return _guard(lambda: _ref(self._run(lambda: self.client.edit_lead(lead.params()))))

    def search_lead(self, lead: Identity) -> Outcome:
        """search_lead through ``AsyncKartraClient.search_lead``."""
        found = _identity(lead)
        return _guard(lambda: _ref(self._run(lambda: self.client.search_lead(**found))))

    def get_lead(self, lead: Identity) -> Outcome:
        """get_lead through ``AsyncKartraClient.get_lead``."""
        found = _identity(lead)
        return _guard(lambda: _profile(self._run(lambda: self.client.get_lead(**found))))

    def action(self, lead: Identity, action: Action) -> Outcome:
        """A tag or list action through the client's method of that name."""
        method = _tag_list_method(self.client, action.cmd)
        found = _identity(lead)
        return _guard(lambda: _action(self._run(lambda: method(action.name, **found))))

    def chain(self, chain: Chain) -> Outcome:
        """A chain through ``AsyncKartraClient.chain(...)…send()``."""

        def send() -> Outcome:
            builder = _filled(self.client.chain(chain.lead.params()), chain)
            return _chain(self._run(lambda: builder.send(raise_on_action_error=False)))

        return _guard(send)

    def close(self) -> None:
        """Close the client and stop the portal's event loop."""
        try:
            self._run(self.client.aclose)
        finally:
            self._portal_cm.__exit__(None, None, None)


def reference_client(**options: Any) -> Callable[[Target], ReferenceClientAdapter]:
    """A ``check_client`` factory for the sync reference client; ``options`` go to
    ``KartraClient`` (e.g. ``max_retries=5``)."""

    def factory(target: Target) -> ReferenceClientAdapter:
        return ReferenceClientAdapter(KartraClient(**target.client_options(), **options))

    return factory


def async_reference_client(**options: Any) -> Callable[[Target], AsyncReferenceClientAdapter]:
    """A ``check_client`` factory for the async reference client."""

    def factory(target: Target) -> AsyncReferenceClientAdapter:
        return AsyncReferenceClientAdapter(
            AsyncKartraClient(**target.async_client_options(), **options)
        )

    return factory
