"""The world the mock holds: apps, accounts, their definitions, leads and sales records."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from kartra_mock.domain.commerce import Product, Subscription, Transaction
from kartra_mock.protocol.facts import TEXT_TYPES
from kartra_mock.protocol.numbers import parse_whole

__all__ = [
    "Account",
    "App",
    "AuthMode",
    "Calendar",
    "ContentType",
    "CustomField",
    "CustomValue",
    "FieldType",
    "Lead",
    "LeadSequence",
    "Option",
    "PointGrant",
    "Sequence",
    "Settings",
    "Template",
    "World",
    "email_key",
]

ContentType = Literal["text/html", "application/json"]
#: A stored custom-field value: text, one option id, or the option ids of a checkbox.
CustomValue = str | int | tuple[int, ...]


class FieldType(StrEnum):
    """The five custom-field types (docs/behaviour.md#create_custom_field, documented)."""

    INPUT_FIELD = "input_field"
    TEXT_AREA = "text_area"
    DROP_DOWN = "drop_down"
    RADIO_BUTTON = "radio_button"
    CHECKBOX = "checkbox"

    @property
    def has_options(self) -> bool:
        """Whether values are option ids rather than text."""
        return self.value not in TEXT_TYPES


@dataclass(frozen=True, slots=True)
class Option:
    """One option of a choice field."""

    id: int
    value: str


@dataclass(frozen=True, slots=True)
class CustomField:
    """An account's custom field definition."""

    identifier: str
    type: FieldType
    options: tuple[Option, ...] = ()
    field_id: int = 0

    def option_ids(self) -> frozenset[int]:
        """The ids a value of this field may name."""
        return frozenset(option.id for option in self.options)


@dataclass(frozen=True, slots=True)
class Sequence:
    """A sequence and the box numbers of its steps."""

    name: str
    steps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Calendar:
    """A calendar and its classes."""

    name: str
    classes: tuple[str, ...] = ()
    #: Kartra answers 257 for a calendar that exists but is not completed (documented).
    complete: bool = True


@dataclass(frozen=True, slots=True)
class LeadSequence:
    """Where a lead is in a sequence; Kartra keeps unsubscribed ones
    (docs/behaviour.md#get_lead)."""

    step: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class PointGrant:
    """Points given with an expiration: they count until ``expires_at``
    (docs/behaviour.md#give_points_to_lead)."""

    points: int
    #: Epoch seconds; the points are deducted again from this moment on.
    expires_at: int


@dataclass(slots=True)
class Lead:
    """One lead of one account. Profile fields hold only what is set (a cleared field is absent)."""

    id: int
    email: str
    profile: dict[str, str] = field(default_factory=dict)
    custom_fields: dict[str, CustomValue] = field(default_factory=dict)
    tags: dict[str, None] = field(default_factory=dict)
    #: list name -> active (Kartra keeps an unsubscribed list with active "0":
    #: docs/behaviour.md#get_lead)
    lists: dict[str, bool] = field(default_factory=dict)
    sequences: dict[str, LeadSequence] = field(default_factory=dict)
    #: Points that never expire; see :meth:`score_at` for the score Kartra reports.
    score: int = 0
    expiring_points: list[PointGrant] = field(default_factory=list)
    #: (calendar, class) -> when the lead attends: ``YYYY-MM-DD HH:MM``, a day, or ``""``.
    calendars: dict[tuple[str, str], str] = field(default_factory=dict)
    deleted: bool = False
    date_joined: str = ""

    def score_at(self, now: float) -> int:
        """The lead score at ``now``: expired points no longer count (lazily, no timers)."""
        return self.score + sum(g.points for g in self.expiring_points if g.expires_at > now)

    def expire_points(self, now: float) -> None:
        """Forget grants whose moment has passed (they no longer count anyway)."""
        self.expiring_points = [g for g in self.expiring_points if g.expires_at > now]


@dataclass(slots=True)
class Template:
    """What a new open-mode account starts with."""

    custom_fields: tuple[CustomField, ...] = ()
    tags: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    calendars: tuple[Calendar, ...] = ()
    pages: tuple[str, ...] = ()


@dataclass(slots=True)
class Account:
    """An App user's Kartra account: the place leads live in."""

    api_key: str
    #: ``None``: any password is accepted (accounts created on first use in open mode).
    api_password: str | None
    active: bool = True
    custom_fields: dict[str, CustomField] = field(default_factory=dict)
    tags: dict[str, None] = field(default_factory=dict)
    lists: dict[str, None] = field(default_factory=dict)
    sequences: dict[str, Sequence] = field(default_factory=dict)
    calendars: dict[str, Calendar] = field(default_factory=dict)
    pages: dict[str, None] = field(default_factory=dict)
    products: dict[int, Product] = field(default_factory=dict)
    transactions: dict[int, Transaction] = field(default_factory=dict)
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    leads: dict[int, Lead] = field(default_factory=dict)
    #: lower-cased email -> lead id: lookups by email are constant time.
    by_email: dict[str, int] = field(default_factory=dict)
    next_id: int = 1

    @classmethod
    def from_template(cls, api_key: str, template: Template) -> Account:
        """A new account holding the template's fields, tags, lists, sequences and calendars."""
        return cls(
            api_key=api_key,
            api_password=None,
            custom_fields={f.identifier: f for f in template.custom_fields},
            tags=dict.fromkeys(template.tags),
            lists=dict.fromkeys(template.lists),
            sequences={s.name: s for s in template.sequences},
            calendars={c.name: c for c in template.calendars},
            pages=dict.fromkeys(template.pages),
        )

    def find_by_email(self, email: str) -> Lead | None:
        """The lead with this email, compared case-insensitively (deleted leads included)."""
        lead_id = self.by_email.get(email_key(email))
        return None if lead_id is None else self.leads[lead_id]

    def find_by_id(self, raw_id: str) -> Lead | None:
        """The lead with this id as sent on the wire (deleted leads included)."""
        lead_id = parse_whole(raw_id)
        return None if lead_id is None else self.leads.get(lead_id)

    def template(self) -> Template:
        """The account's definitions (fields, tags, lists, sequences, calendars, pages)."""
        return Template(
            tuple(self.custom_fields.values()),
            tuple(self.tags),
            tuple(self.lists),
            tuple(self.sequences.values()),
            tuple(self.calendars.values()),
            tuple(self.pages),
        )

    def next_transaction_id(self) -> int:
        """The id a new transaction gets: after every existing one."""
        return max(self.transactions, default=0) + 1

    def add_lead(self, lead: Lead) -> None:
        """Store a lead and index its email."""
        self.leads[lead.id] = lead
        self.by_email[email_key(lead.email)] = lead.id
        self.next_id = max(self.next_id, lead.id + 1)

    def change_email(self, lead: Lead, new_email: str) -> None:
        """Give a lead a new address, keeping the email index right."""
        del self.by_email[email_key(lead.email)]
        lead.email = new_email
        self.by_email[email_key(new_email)] = lead.id


@dataclass(frozen=True, slots=True)
class App:
    """A developer's app (``app_id``)."""

    app_id: str
    active: bool = True
    owner_active: bool = True
    allowed_ips: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    """Server behaviour switches (state document ``settings``; CLI options override them)."""

    rate_limit: int = 20
    require_https: bool = False
    content_type: ContentType = "text/html"
    #: Contract rules whose warnings are reported as accepted (docs/contracts.md).
    accept_rules: frozenset[str] = frozenset()


class AuthMode(StrEnum):
    """Open mode invents unknown apps and accounts; strict mode knows only configured ones."""

    OPEN = "open"
    STRICT = "strict"


@dataclass(slots=True)
class World:
    """Everything the mock knows: the state document, live."""

    auth: AuthMode = AuthMode.OPEN
    settings: Settings = field(default_factory=Settings)
    apps: dict[str, App] = field(default_factory=dict)
    template: Template = field(default_factory=Template)
    accounts: dict[str, Account] = field(default_factory=dict)


def email_key(email: str) -> str:
    """The identity of an email address: case-insensitive (docs/behaviour.md#email: John@ and john@
    are one lead)."""
    return email.lower()
