"""A lead in the state document (docs/control-plane.md#the-state-document): reading one into an
account, and writing it back.

Everything a lead refers to — custom fields and their options, tags, lists, sequences and
their steps, calendars and their classes — must exist in its account, so a seeded lead is
always one the API could have produced.
"""

from __future__ import annotations

import re

from kartra_mock.domain.est import format_est, parse_est
from kartra_mock.domain.model import (
    Account,
    CustomField,
    CustomValue,
    FieldType,
    Lead,
    LeadSequence,
    PointGrant,
    email_key,
)
from kartra_mock.engine.state_checks import (
    fail,
    read_flag,
    read_int,
    read_list,
    read_names,
    read_object,
    read_stamp,
    read_text,
)
from kartra_mock.protocol.facts import PROFILE_FIELDS

__all__ = ["LEAD_KEYS", "check_new_lead", "dump_lead", "load_lead"]

LEAD_KEYS = frozenset(
    {
        "id",
        "email",
        "deleted",
        "custom_fields",
        "tags",
        "lists",
        "sequences",
        "score",
        "expiring_points",
        "calendars",
        "date_joined",
    }
    | set(PROFILE_FIELDS)
)
_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2})?")


def _custom_value(value: object, field: CustomField, where: str) -> CustomValue:
    if not field.type.has_options:
        return read_text(value, where)
    allowed = field.option_ids()
    if field.type is FieldType.CHECKBOX:
        ids = tuple(
            read_int(v, f"{where}[{i}]", minimum=1) for i, v in enumerate(read_list(value, where))
        )
        chosen = ids
    else:
        chosen = (read_int(value, where, minimum=1),)
    for option_id in chosen:
        if option_id not in allowed:
            raise fail(where, f"option id {option_id} is not an option of {field.identifier!r}")
    return ids if field.type is FieldType.CHECKBOX else chosen[0]


def _sequences(value: object, where: str, account: Account) -> dict[str, LeadSequence]:
    """``{"Welcome": "2"}`` (active at step 2), or ``{"step": "2", "active": false}`` per name."""
    found: dict[str, LeadSequence] = {}
    for name, raw in read_object(value, where, frozenset(account.sequences)).items():
        place = f"{where}.{name}"
        if isinstance(raw, dict):
            item = read_object(raw, place, frozenset({"step", "active"}))
            step = read_text(item.get("step"), f"{place}.step", empty=False)
            active = read_flag(item.get("active", True), f"{place}.active")
        else:
            step, active = read_text(raw, place, empty=False), True
        if step not in account.sequences[name].steps:
            raise fail(place, f"step {step!r} is not a step of sequence {name!r}")
        found[name] = LeadSequence(step, active)
    return found


def _points(value: object, where: str) -> list[PointGrant]:
    grants: list[PointGrant] = []
    for i, raw in enumerate(read_list(value, where)):
        item = read_object(raw, f"{where}[{i}]", frozenset({"points", "expires"}))
        points = read_int(item.get("points"), f"{where}[{i}].points")
        expires = parse_est(read_stamp(item.get("expires"), f"{where}[{i}].expires"))
        grants.append(PointGrant(points, int(expires or 0)))
    return grants


def _calendars(value: object, where: str, account: Account) -> dict[tuple[str, str], str]:
    bookings: dict[tuple[str, str], str] = {}
    for i, raw in enumerate(read_list(value, where)):
        place = f"{where}[{i}]"
        item = read_object(raw, place, frozenset({"calendar", "class", "start"}))
        calendar_name = read_text(item.get("calendar"), f"{place}.calendar", empty=False)
        class_name = read_text(item.get("class"), f"{place}.class", empty=False)
        start = read_text(item.get("start", ""), f"{place}.start")
        calendar = account.calendars.get(calendar_name)
        if calendar is None:
            raise fail(f"{place}.calendar", f"calendar {calendar_name!r} is not in the account")
        if class_name not in calendar.classes:
            raise fail(f"{place}.class", f"class {class_name!r} is not in {calendar_name!r}")
        if start != "" and _START.fullmatch(start) is None:
            raise fail(f"{place}.start", "must be '', 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM' (EST)")
        bookings[(calendar_name, class_name)] = start
    return bookings


def load_lead(value: object, where: str, account: Account) -> Lead:
    """Read one lead of ``account`` (not yet added to it)."""
    raw = read_object(value, where, LEAD_KEYS)
    lead = Lead(
        id=read_int(raw.get("id"), f"{where}.id", minimum=1),
        email=read_text(raw.get("email"), f"{where}.email", empty=False),
        deleted=read_flag(raw.get("deleted", False), f"{where}.deleted"),
        score=read_int(raw.get("score", 0), f"{where}.score", minimum=-(2**62)),
        date_joined=read_text(raw.get("date_joined", ""), f"{where}.date_joined"),
    )
    for name in PROFILE_FIELDS:
        if name in raw and raw[name] != "":
            lead.profile[name] = read_text(raw[name], f"{where}.{name}")
    customs = read_object(
        raw.get("custom_fields", {}), f"{where}.custom_fields", frozenset(account.custom_fields)
    )
    for identifier, stored in customs.items():
        lead.custom_fields[identifier] = _custom_value(
            stored, account.custom_fields[identifier], f"{where}.custom_fields.{identifier}"
        )
    for tag in read_names(raw.get("tags", []), f"{where}.tags"):
        if tag not in account.tags:
            raise fail(f"{where}.tags", f"tag {tag!r} is not one of the account's tags")
        lead.tags[tag] = None
    lists = raw.get("lists", [])
    if isinstance(lists, dict):
        entries = {name: read_flag(on, f"{where}.lists.{name}") for name, on in lists.items()}
    else:
        entries = dict.fromkeys(read_names(lists, f"{where}.lists"), True)
    for name, active in entries.items():
        if name not in account.lists:
            raise fail(f"{where}.lists", f"list {name!r} is not one of the account's lists")
        lead.lists[name] = active
    lead.sequences = _sequences(raw.get("sequences", {}), f"{where}.sequences", account)
    lead.expiring_points = _points(raw.get("expiring_points", []), f"{where}.expiring_points")
    lead.calendars = _calendars(raw.get("calendars", []), f"{where}.calendars", account)
    return lead


def check_new_lead(lead: Lead, where: str, account: Account) -> Lead:
    """``lead`` if neither its id nor its email is taken in ``account`` (deleted leads too)."""
    if lead.id in account.leads:
        raise fail(f"{where}.id", f"duplicate lead id {lead.id}")
    if email_key(lead.email) in account.by_email:
        raise fail(f"{where}.email", f"duplicate lead email {lead.email!r}")
    return lead


def dump_lead(lead: Lead) -> dict[str, object]:
    """A lead as :func:`load_lead` reads it back."""
    item: dict[str, object] = {"id": lead.id, "email": lead.email, **lead.profile}
    item["deleted"] = lead.deleted
    item["custom_fields"] = {
        k: list(v) if isinstance(v, tuple) else v for k, v in lead.custom_fields.items()
    }
    item["tags"] = list(lead.tags)
    item["lists"] = dict(lead.lists)
    item["sequences"] = {
        name: {"step": place.step, "active": place.active} for name, place in lead.sequences.items()
    }
    item["score"] = lead.score
    item["expiring_points"] = [
        {"points": g.points, "expires": format_est(g.expires_at)} for g in lead.expiring_points
    ]
    item["calendars"] = [
        {"calendar": calendar, "class": class_name, "start": start}
        for (calendar, class_name), start in lead.calendars.items()
    ]
    item["date_joined"] = lead.date_joined
    return item
