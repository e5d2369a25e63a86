"""Which state change emits which outbound event: a pure diff of an account before and after.

The domain stays unaware of webhooks: the backend takes a :func:`mark` of the account before a
call and, once the call has committed, :func:`changes` lists what actually changed, as
events. A change that did not happen (a tag the lead already had) emits nothing.

A mark can watch only some leads (those a call names): then it costs the same in an account
of ten leads or a million, and :func:`changes` looks at those leads and at leads created
since the mark (the account's leads and transactions are only ever appended to).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from kartra_mock.domain.commerce import Transaction, TransactionType
from kartra_mock.domain.model import Account, Lead
from kartra_mock.protocol.outbound import VENDOR_TIMEZONE

__all__ = [
    "AccountMark",
    "Event",
    "calendar_details",
    "changes",
    "mark",
    "product_details",
    "remark",
]

_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class Event:
    """One outbound event: its action, the lead, the details and (for sales) the transaction."""

    api_key: str
    lead_id: int
    action: str
    details: Mapping[str, object]
    transaction_id: int | None = None


@dataclass(frozen=True, slots=True)
class _LeadMark:
    tags: frozenset[str]
    lists: frozenset[str]
    sequences: frozenset[str]
    calendars: frozenset[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class AccountMark:
    """What of an account can emit an event, as it was before a call.

    ``watched`` is ``None`` when every lead was marked, else the ids of the marked leads.
    """

    leads: Mapping[int, _LeadMark] = field(default_factory=dict)
    lead_count: int = 0
    transaction_count: int = 0
    watched: frozenset[int] | None = None


def _lead_mark(lead: Lead) -> _LeadMark:
    return _LeadMark(
        frozenset(lead.tags),
        frozenset(name for name, active in lead.lists.items() if active),
        frozenset(name for name, place in lead.sequences.items() if place.active),
        frozenset(lead.calendars),
    )


def mark(account: Account | None, lead_ids: Iterable[int] | None = None) -> AccountMark:
    """The account's state now: every lead, or only ``lead_ids`` (no account yet: nothing)."""
    if account is None:
        return AccountMark(watched=None if lead_ids is None else frozenset(lead_ids))
    if lead_ids is None:
        leads = {lead_id: _lead_mark(lead) for lead_id, lead in account.leads.items()}
        watched = None
    else:
        watched = frozenset(lead_ids)
        leads = {i: _lead_mark(account.leads[i]) for i in watched if i in account.leads}
    return AccountMark(leads, len(account.leads), len(account.transactions), watched)


def _added(keys: dict[int, _V], since: int) -> list[int]:
    """The keys appended after the first ``since`` (oldest first), without walking the rest."""
    return list(islice(reversed(keys), max(0, len(keys) - since)))[::-1]


def _candidates(before: AccountMark, account: Account) -> list[int]:
    if before.watched is None:
        return list(account.leads)
    return sorted(before.watched | set(_added(account.leads, before.lead_count)))


def remark(before: AccountMark, account: Account) -> AccountMark:
    """A new mark of what ``before`` watched, plus the leads created since."""
    if before.watched is None:
        return mark(account)
    return mark(account, before.watched | set(_added(account.leads, before.lead_count)))


def _position(names: Mapping[str, object], name: str) -> str:
    # Ids are positions in the account, as get_lead shows them (inferred there too).
    for number, candidate in enumerate(names, start=1):
        if candidate == name:
            return str(number)
    return "0"


def calendar_details(account: Account, calendar: str, class_name: str) -> dict[str, object]:
    """``action_details`` of a calendar event (documented keys; ids are positions)."""
    classes = account.calendars[calendar].classes if calendar in account.calendars else ()
    class_id = str(classes.index(class_name) + 1) if class_name in classes else "0"
    return {
        "calendar": {
            "calendar_id": _position(account.calendars, calendar),
            "calendar_name": calendar,
            "class_id": class_id,
            "class_name": class_name,
            "hosts": [],
            "vendor_timezone": VENDOR_TIMEZONE,
        }
    }


def product_details(account: Account, transaction: Transaction) -> dict[str, object]:
    """``action_details`` of a product event (inferred shape: the IPN's product fields)."""
    product = account.products.get(transaction.product_id)
    return {
        "product": {
            "product_id": str(transaction.product_id),
            "product_name": product.name if product is not None else "",
            "price_point": str(transaction.price_point),
            "transaction_id": str(transaction.id),
        }
    }


def _lead_events(account: Account, lead: Lead, before: _LeadMark | None) -> list[Event]:
    now = _lead_mark(lead)
    old = before or _LeadMark(frozenset(), frozenset(), frozenset(), frozenset())
    if now == old:
        return []
    found: list[tuple[str, dict[str, object]]] = []
    for name in lead.tags:
        if name not in old.tags:
            found.append(("assign_tag", _named(account.tags, "tag", name)))
    for name in sorted(old.tags - now.tags):
        found.append(("unassign_tag", _named(account.tags, "tag", name)))
    for name in lead.lists:
        if name in now.lists and name not in old.lists:
            found.append(("list_subscription", _named(account.lists, "list", name)))
        elif name in old.lists and name not in now.lists:
            found.append(("list_unsubscription", _named(account.lists, "list", name)))
    for name in lead.sequences:
        if name in now.sequences and name not in old.sequences:
            found.append(("sequence_subscription", _named(account.sequences, "sequence", name)))
        elif name in old.sequences and name not in now.sequences:
            found.append(("sequence_unsubscription", _named(account.sequences, "sequence", name)))
    for key in lead.calendars:
        if key not in old.calendars:
            found.append(("calendar_subscribe", calendar_details(account, *key)))
    for key in sorted(old.calendars - now.calendars):
        found.append(("calendar_cancel", calendar_details(account, *key)))
    return [Event(account.api_key, lead.id, action, details) for action, details in found]


def _named(names: Mapping[str, object], kind: str, name: str) -> dict[str, object]:
    return {kind: {f"{kind}_id": _position(names, name), f"{kind}_name": name}}


#: Transactions an inbound call can add, and the webhook action each emits (documented names).
_TRANSACTION_ACTIONS: Mapping[TransactionType, str] = {
    TransactionType.SALE: "buy_product",
    TransactionType.REFUND: "refund_product",
    TransactionType.PARTIAL_REFUND: "partial_refund_product",
    TransactionType.CANCELLATION: "cancel_subscription",
}


def changes(before: AccountMark, account: Account | None) -> tuple[list[Event], list[int]]:
    """The webhook events and the new transaction ids (each one IPN) since ``before``."""
    if account is None:
        return [], []
    events: list[Event] = []
    for lead_id in _candidates(before, account):
        lead = account.leads.get(lead_id)
        if lead is not None and not lead.deleted:
            events.extend(_lead_events(account, lead, before.leads.get(lead.id)))
    new = _added(account.transactions, before.transaction_count)
    for tid in new:
        transaction = account.transactions[tid]
        action = _TRANSACTION_ACTIONS.get(transaction.type)
        if action is not None:
            details = product_details(account, transaction)
            events.append(Event(account.api_key, transaction.lead_id, action, details, tid))
    return events, new
