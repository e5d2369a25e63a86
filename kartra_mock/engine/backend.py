"""The mock's whole state behind one lock: world, initial document, journal, limiter, faults.

The server and the pytest plugin both drive a :class:`Backend`; every method is atomic, so
concurrent calls never lose or duplicate data.

Example::

    backend = Backend()
    reply = backend.handle(ApiRequest(params={"app_id": "demo-app", ...}))
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from kartra_mock.domain.auth import CallContext
from kartra_mock.domain.calls import execute
from kartra_mock.domain.lint import request_warnings
from kartra_mock.domain.model import Account, AuthMode, ContentType, Settings, World
from kartra_mock.engine.faults import FaultHit, FaultPlan, FaultSchedule
from kartra_mock.engine.journal import DEFAULT_JOURNAL_BYTES, Journal, JournalEntry, redact
from kartra_mock.engine.ratelimit import RateLimiter
from kartra_mock.engine.seeding import SeedKind, seed
from kartra_mock.engine.state import DEFAULT_DOCUMENT, StateError, dump_world, load_world
from kartra_mock.outbound.config import OutboundConfig, load_outbound
from kartra_mock.outbound.delivery import Sender
from kartra_mock.outbound.emit import TriggerError, outgoing, trigger
from kartra_mock.outbound.events import Event, changes, mark
from kartra_mock.outbound.payloads import Outgoing
from kartra_mock.protocol import errors, rules
from kartra_mock.protocol.forms import PhpValue
from kartra_mock.protocol.rules import ContractWarning

__all__ = ["ApiRequest", "Backend", "Overrides", "Reply", "StateError", "TriggerError"]


@dataclass(frozen=True, slots=True)
class Overrides:
    """Settings given on the command line; they win over the state document's
    (docs/operations.md#command-line)."""

    auth: AuthMode | None = None
    rate_limit: int | None = None
    require_https: bool | None = None
    content_type: ContentType | None = None
    accept_rules: frozenset[str] = frozenset()

    def apply(self, world: World) -> None:
        """Put these overrides into a freshly loaded world."""
        if self.auth is not None:
            world.auth = self.auth
        settings = world.settings
        if self.rate_limit is not None:
            settings = replace(settings, rate_limit=self.rate_limit)
        if self.require_https is not None:
            settings = replace(settings, require_https=self.require_https)
        if self.content_type is not None:
            settings = replace(settings, content_type=self.content_type)
        if self.accept_rules:
            # Accepting is additive: the command line adds to the document's list.
            settings = replace(settings, accept_rules=settings.accept_rules | self.accept_rules)
        world.settings = settings


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One decoded ``/api`` call, as the transport hands it over."""

    params: Mapping[str, PhpValue]
    wire_warnings: tuple[ContractWarning, ...] = ()
    method: str = "POST"
    path: str = "/api"
    context: CallContext = field(default_factory=CallContext)


@dataclass(frozen=True, slots=True)
class Reply:
    """What to answer: HTTP status, JSON body and the call's contract warnings."""

    status_code: int
    body: Mapping[str, object]
    warnings: tuple[ContractWarning, ...]
    #: The injected fault the server must still apply on the wire (delay, 5xx page, drop).
    fault: FaultHit | None = None


def _text(params: Mapping[str, PhpValue], key: str) -> str:
    value = params.get(key, "")
    return value if isinstance(value, str) else ""


class _Watch:
    """Collects what each action of one call changed, as outbound events (in action order)."""

    def __init__(self, account: Account | None) -> None:
        self._mark = mark(account)
        self.events: list[Event] = []
        self.transactions: list[int] = []

    def observe(self, account: Account) -> None:
        events, transactions = changes(self._mark, account)
        self.events.extend(events)
        self.transactions.extend(transactions)
        if events or transactions:
            self._mark = mark(account)


class Backend:
    """A Kartra in memory: answers calls and serves the control plane."""

    def __init__(
        self,
        document: Mapping[str, object] | None = None,
        *,
        overrides: Overrides | None = None,
        clock: Callable[[], float] = time.time,
        journal_limit: int = 10_000,
        journal_bytes: int = DEFAULT_JOURNAL_BYTES,
        sender: Sender | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._overrides = overrides or Overrides()
        self._initial: dict[str, object] = copy.deepcopy(dict(document or DEFAULT_DOCUMENT))
        self._world = self._load(self._initial)
        self._outbound = load_outbound(self._initial.get("outbound"))
        #: Posts outbound webhooks and IPNs (``docs/webhooks.md``) from its own thread.
        self.sender = sender or Sender(policy=self._outbound.delivery)
        self.sender.policy = self._outbound.delivery
        self._journal = Journal(journal_limit, journal_bytes)
        self._limiter = RateLimiter()
        self._faults = FaultPlan()

    def _load(self, document: Mapping[str, object]) -> World:
        world = load_world(document)
        self._overrides.apply(world)
        return world

    @property
    def auth_mode(self) -> str:
        """``open`` or ``strict``."""
        return self._world.auth.value

    @property
    def settings(self) -> Settings:
        """The settings in force."""
        return self._world.settings

    def handle(self, request: ApiRequest) -> Reply:
        """Answer one ``/api`` call and record it in the journal."""
        started = time.perf_counter()
        calls: list[Outgoing] = []
        with self._lock:
            now = self._clock()
            app_id = _text(request.params, "app_id")
            body: Mapping[str, object]
            # An injected fault comes first: a faulted call that does not run is not served,
            # so it neither counts against the rate limit nor changes anything.
            hit = self._faults.take(_text(request.params, "api_key"), app_id)
            # Found before the call runs, from the world as the call finds it, and recorded
            # whatever the outcome: a fault, a 429 or an error drops no warning.
            warnings = rules.accept(
                request.wire_warnings + tuple(request_warnings(self._world, request.params)),
                self._world.settings.accept_rules,
            )
            if hit is not None and not hit.fault.runs_call:
                status, body = hit.fault.answer()
            elif self._limiter.admit(app_id, now, self._world.settings.rate_limit):
                api_key = _text(request.params, "api_key")
                # Only an account someone listens to is watched: no cost otherwise.
                watch = (
                    _Watch(self._world.accounts.get(api_key))
                    if self._outbound.active_for(api_key)
                    else None
                )
                observe = watch.observe if watch is not None else None
                body = execute(self._world, request.params, request.context, now, observe)
                status = 200
                if watch is not None and (watch.events or watch.transactions):
                    account = self._world.accounts[api_key]
                    calls = outgoing(self._outbound, account, watch.events, watch.transactions, now)
            else:
                status, body = 429, errors.TooManyRequests().to_json()
            self._journal.append(
                JournalEntry(
                    seq=self._journal.next_seq(),
                    time=now,
                    method=request.method,
                    path=request.path,
                    app_id=app_id,
                    api_key=_text(request.params, "api_key"),
                    params=redact(request.params),
                    status_code=status,
                    response=body,
                    warnings=warnings,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                    fault=hit,
                )
            )
        # Handed over after the lock: the change has committed, and /api never waits on it.
        if calls:
            self.sender.submit(calls)
        return Reply(status, body, warnings, hit)

    @property
    def outbound(self) -> OutboundConfig:
        """Where outbound webhooks and IPNs go."""
        return self._outbound

    def set_outbound(self, config: OutboundConfig) -> None:
        """Replace the outbound configuration (it becomes part of the state document)."""
        with self._lock:
            self._outbound = config
            self._initial["outbound"] = config.to_json()
            self.sender.policy = config.delivery

    def trigger(
        self,
        api_key: str,
        action: str,
        lead_ref: str,
        details: Mapping[str, object],
        *,
        product_id: int | None = None,
        price_point: int | None = None,
    ) -> list[Outgoing]:
        """Make an event happen to a lead (by email or id); :class:`TriggerError` if it can't."""
        with self._lock:
            now = self._clock()
            account = self._world.accounts.get(api_key)
            if account is None:
                raise TriggerError(f"there is no account {api_key!r}")
            lead = account.find_by_id(lead_ref) or account.find_by_email(lead_ref)
            if lead is None or lead.deleted:
                raise TriggerError(f"account {api_key!r} has no lead {lead_ref!r}")
            before = mark(account)
            event = trigger(
                account, lead, action, details, now, product_id=product_id, price_point=price_point
            )
            events, transactions = changes(before, account)
            if event is not None:
                events.append(event)
            calls = outgoing(self._outbound, account, events, transactions, now)
        if calls:
            self.sender.submit(calls)
        return calls

    def reset(self, api_key: str | None = None) -> None:
        """Back to the initial world and an empty journal; or just one account and its calls."""
        with self._lock:
            if api_key is None:
                self._world = self._load(self._initial)
                self._outbound = load_outbound(self._initial.get("outbound"))
                self.sender.clear()
                self._journal.clear()
                self._limiter.clear()
                self._faults.clear()
                return
            initial = load_world(self._initial).accounts.get(api_key)
            if initial is None:
                self._world.accounts.pop(api_key, None)
            else:
                self._world.accounts[api_key] = initial
            self._journal.clear(api_key)
            self._faults.clear(api_key)

    def state(self) -> dict[str, object]:
        """The whole world as a state document."""
        with self._lock:
            document = dump_world(self._world)
            if self._outbound != OutboundConfig():
                document["outbound"] = self._outbound.to_json()
            return document

    def put_state(self, document: Mapping[str, object]) -> None:
        """Replace the world (and the initial world for reset); :class:`StateError` if invalid."""
        snapshot = copy.deepcopy(dict(document))
        world = self._load(snapshot)
        outbound = load_outbound(snapshot.get("outbound"))
        with self._lock:
            self._initial = snapshot
            self._world = world
            self._outbound = outbound
            self.sender.policy = outbound.delivery
            self._limiter.clear()

    def seed(self, api_key: str, kind: SeedKind, item: object) -> dict[str, object]:
        """Add one item to an account (``engine.seeding``); :class:`StateError` if invalid."""
        with self._lock:
            return seed(self._world, api_key, kind, item)

    def delete_lead(self, api_key: str, lead_id: int) -> bool:
        """Mark a lead deleted, as Kartra's UI does; ``False`` if there is no such lead."""
        with self._lock:
            account = self._world.accounts.get(api_key)
            lead = None if account is None else account.leads.get(lead_id)
            if lead is None:
                return False
            lead.deleted = True
            return True

    def journal(self, api_key: str | None = None) -> list[JournalEntry]:
        """The recorded calls, oldest first."""
        with self._lock:
            return self._journal.entries(api_key)

    def journal_page(
        self, api_key: str | None = None, since: int = 0
    ) -> tuple[int, list[JournalEntry]]:
        """:attr:`Journal.clears` and the calls after ``since``, read together (the inspector)."""
        with self._lock:
            return self._journal.clears, self._journal.entries(api_key, since)

    def journal_size(self) -> int:
        """What the journal takes, in bytes (bounded by ``journal_bytes``)."""
        with self._lock:
            return self._journal.size

    def clear_journal(self, api_key: str | None = None) -> None:
        """Forget recorded calls."""
        with self._lock:
            self._journal.clear(api_key)

    def schedule_fault(self, schedule: FaultSchedule) -> dict[str, object]:
        """Schedule an injected fault; returns it with its ``id`` (``POST /_mock/faults``)."""
        with self._lock:
            return self._faults.add(schedule)

    def faults(self) -> list[dict[str, object]]:
        """The pending injected faults, oldest first, with the calls each has left."""
        with self._lock:
            return self._faults.scheduled()

    def remove_fault(self, fault_id: int) -> bool:
        """Unschedule one injected fault; ``False`` if there is none with that id."""
        with self._lock:
            return self._faults.remove(fault_id)

    def clear_faults(self, api_key: str | None = None) -> int:
        """Unschedule every injected fault, or those of one ``api_key``; returns how many."""
        with self._lock:
            return self._faults.clear(api_key)
