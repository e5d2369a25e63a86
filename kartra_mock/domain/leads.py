"""The lead commands: create_lead, edit_lead, search_lead and top-level get_lead
(docs/behaviour.md#leads).

Each function validates the whole command first and mutates only once nothing can fail, so a
flat error always means nothing changed (docs/behaviour.md#leads).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kartra_mock.domain.est import format_est
from kartra_mock.domain.lead_input import LeadInput, apply_input, read_lead_input
from kartra_mock.domain.model import Account, Lead
from kartra_mock.protocol import errors
from kartra_mock.protocol.facts import LEAD_COMMANDS, PROFILE_FIELDS
from kartra_mock.protocol.forms import PhpValue

__all__ = [
    "LEAD_COMMANDS",
    "Identity",
    "create_lead",
    "edit_lead",
    "lead_profile",
    "read_identity",
    "resolve_lead",
]


@dataclass(frozen=True, slots=True)
class Identity:
    """How a call names its lead: ``id`` wins over ``email`` when both are sent
    (docs/behaviour.md#lead-identity)."""

    id: str
    email: str

    @property
    def given(self) -> bool:
        """Whether the call names a lead at all."""
        return self.id != "" or self.email != ""


def read_identity(lead: Mapping[str, PhpValue]) -> Identity:
    """The ``id`` and ``email`` of a ``lead`` / ``get_lead`` map (arrays read as absent)."""
    raw_id = lead.get("id", "")
    raw_email = lead.get("email", "")
    return Identity(
        raw_id if isinstance(raw_id, str) else "",
        raw_email if isinstance(raw_email, str) else "",
    )


def find_lead(account: Account, identity: Identity) -> Lead | None:
    """The lead an identity names: by id if given, else by email (deleted leads included)."""
    if identity.id != "":
        return account.find_by_id(identity.id)
    return account.find_by_email(identity.email)


def resolve_lead(
    account: Account,
    identity: Identity,
    *,
    not_found: type[errors.KartraError] = errors.LeadNotFound,
) -> Lead:
    """The live lead an identity names: 206 none named, 243 (or 234) not found, 245 deleted."""
    if not identity.given:
        raise errors.LeadIdentifierRequired
    lead = find_lead(account, identity)
    if lead is None:
        raise not_found
    if lead.deleted:
        raise errors.LeadDeleted
    return lead


def create_lead(account: Account, lead_map: Mapping[str, PhpValue], now: float) -> Lead:
    """Create a lead: 206 without an email, 244 if id or email exists (deleted ones too), 271."""
    identity = read_identity(lead_map)
    if identity.email == "":
        raise errors.LeadIdentifierRequired
    if account.find_by_email(identity.email) is not None:
        raise errors.LeadAlreadyExists
    if identity.id != "" and account.find_by_id(identity.id) is not None:
        raise errors.LeadAlreadyExists
    change = read_lead_input(lead_map, account.custom_fields, command="create_lead")
    lead = Lead(id=account.next_id, email=identity.email, date_joined=format_est(now))
    apply_input(lead, change)
    account.add_lead(lead)
    return lead


def edit_lead(account: Account, lead_map: Mapping[str, PhpValue]) -> Lead:
    """Edit a lead: 206, 243, 245, 244 for a ``new_email`` taken by another lead, 271."""
    identity = read_identity(lead_map)
    lead = resolve_lead(account, identity)
    change: LeadInput = read_lead_input(lead_map, account.custom_fields, command="edit_lead")
    if change.new_email is not None:
        holder = account.find_by_email(change.new_email)
        if holder is not None and holder is not lead:
            raise errors.LeadAlreadyExists
    apply_input(lead, change)
    if change.new_email is not None:
        account.change_email(lead, change.new_email)
    return lead


def search_lead(account: Account, lead_map: Mapping[str, PhpValue]) -> Lead:
    """Find a lead: 206, 243, 245. Descriptive lead fields are ignored (and warned about)."""
    return resolve_lead(account, read_identity(lead_map))


def lead_profile(account: Account, lead: Lead, now: float) -> dict[str, object]:
    """The ``lead_details`` of get_lead (docs/behaviour.md#get_lead; ids as strings).

    Documented: the profile fields, ``date_joined``, ``score`` (at ``now``: expired points no
    longer count), ``source`` and every account custom field, empty ones too. Observed through
    secondary sources and real clients: ``tags``, ``lists``, ``sequences``, ``memberships``
    and the ``gdpr_*`` fields (docs/behaviour.md#get_lead). Tag, list and sequence ids are their
    positions in the account (inferred: Kartra's ids are not in the API).
    """
    profile: dict[str, object] = {"id": str(lead.id), "email": lead.email}
    profile.update({name: lead.profile.get(name, "") for name in PROFILE_FIELDS})
    tag_ids = {name: number for number, name in enumerate(account.tags, start=1)}
    list_ids = {name: number for number, name in enumerate(account.lists, start=1)}
    sequence_ids = {name: number for number, name in enumerate(account.sequences, start=1)}
    profile.update(
        {
            "date_joined": lead.date_joined,
            "score": str(lead.score_at(now)),
            # Every lead the mock holds came in through the API or a seed (documented value).
            "source": "api",
            "source_id": "0",
            "ip_country": "",
            "notes": "",
            "blacklisted": "0",
            "gdpr_lead_status": "0",
            "gdpr_lead_status_date": "",
            "gdpr_lead_status_ip": "",
            "gdpr_lead_communications": "0",
            "custom_fields": _custom_field_values(account, lead),
            "tags": [{"tag_id": str(tag_ids.get(name, 0)), "tag_name": name} for name in lead.tags],
            "lists": [
                {
                    "list_id": str(list_ids.get(name, 0)),
                    "list_name": name,
                    "active": "1" if active else "0",
                }
                for name, active in lead.lists.items()
            ],
            "sequences": [
                {
                    "sequence_id": str(sequence_ids.get(name, 0)),
                    "sequence_name": name,
                    "step": place.step,
                    "status": "active" if place.active else "unsubscribed",
                }
                for name, place in lead.sequences.items()
            ],
            "memberships": [],
        }
    )
    return profile


def _custom_field_values(account: Account, lead: Lead) -> list[dict[str, object]]:
    """Every account custom field, empty ones too (docs/behaviour.md#get_lead)."""
    values: list[dict[str, object]] = []
    for number, field in enumerate(account.custom_fields.values(), start=1):
        stored = lead.custom_fields.get(field.identifier)
        value: object
        if not field.type.has_options:
            value = stored if isinstance(stored, str) else ""
        else:
            chosen: tuple[int, ...] = (
                stored
                if isinstance(stored, tuple)
                else (stored,)
                if isinstance(stored, int)
                else ()
            )
            names = {option.id: option.value for option in field.options}
            value = [
                {"option_id": str(option_id), "option_value": names.get(option_id, "")}
                for option_id in chosen
            ]
        values.append(
            {
                "field_id": str(field.field_id or number),
                "field_identifier": field.identifier,
                "field_type": field.type.value,
                "field_value": value,
            }
        )
    return values
