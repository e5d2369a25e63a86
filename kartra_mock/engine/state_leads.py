"""A lead in the state document (docs/control-plane.md#the-state-document): reading one into an
account, and writing it back.

Everything a lead refers to — custom fields and their options, tags, lists, sequences and
their steps, calendars and their classes — must exist in its account, so a seeded lead is
always one the API could have produced.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
from kartra_mock.engine import state_checks as checks
from kartra_mock.protocol.facts import PROFILE_FIELDS
from kartra_mock.protocol.numbers import MAX_WHOLE

__all__ = ["LEAD_KEYS", "LeadReader", "check_new_lead", "dump_lead", "load_lead"]

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
_ABSENT = object()
_EMPTY: dict[str, object] = {}
_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2})?")


def _custom_value(value: object, field: CustomField, where: str) -> CustomValue:
    if not field.type.has_options:
        return checks.read_text(value, where)
    allowed = field.option_ids()
    if field.type is FieldType.CHECKBOX:
        ids = tuple(
            checks.read_int(v, f"{where}[{i}]", minimum=1)
            for i, v in enumerate(checks.read_list(value, where))
        )
        chosen = ids
    else:
        chosen = (checks.read_int(value, where, minimum=1),)
    for option_id in chosen:
        if option_id not in allowed:
            raise checks.fail(
                where, f"option id {option_id} is not an option of {field.identifier!r}"
            )
    return ids if field.type is FieldType.CHECKBOX else chosen[0]


def _sequences(value: object, where: str, account: Account) -> dict[str, LeadSequence]:
    """``{"Welcome": "2"}`` (active at step 2), or ``{"step": "2", "active": false}`` per name."""
    found: dict[str, LeadSequence] = {}
    for name, raw in checks.read_object(value, where, frozenset(account.sequences)).items():
        place = f"{where}.{name}"
        if isinstance(raw, dict):
            item = checks.read_object(raw, place, frozenset({"step", "active"}))
            step = checks.read_text(item.get("step"), f"{place}.step", empty=False)
            active = checks.read_flag(item.get("active", True), f"{place}.active")
        else:
            step, active = checks.read_text(raw, place, empty=False), True
        if step not in account.sequences[name].steps:
            raise checks.fail(place, f"step {step!r} is not a step of sequence {name!r}")
        found[name] = LeadSequence(step, active)
    return found


def _points(value: object, where: str) -> list[PointGrant]:
    grants: list[PointGrant] = []
    for i, raw in enumerate(checks.read_list(value, where)):
        item = checks.read_object(raw, f"{where}[{i}]", frozenset({"points", "expires"}))
        points = checks.read_int(item.get("points"), f"{where}[{i}].points")
        expires = parse_est(checks.read_stamp(item.get("expires"), f"{where}[{i}].expires"))
        grants.append(PointGrant(points, int(expires or 0)))
    return grants


def _calendars(value: object, where: str, account: Account) -> dict[tuple[str, str], str]:
    bookings: dict[tuple[str, str], str] = {}
    for i, raw in enumerate(checks.read_list(value, where)):
        place = f"{where}[{i}]"
        item = checks.read_object(raw, place, frozenset({"calendar", "class", "start"}))
        calendar_name = checks.read_text(item.get("calendar"), f"{place}.calendar", empty=False)
        class_name = checks.read_text(item.get("class"), f"{place}.class", empty=False)
        start = checks.read_text(item.get("start", ""), f"{place}.start")
        calendar = account.calendars.get(calendar_name)
        if calendar is None:
            raise checks.fail(
                f"{place}.calendar", f"calendar {calendar_name!r} is not in the account"
            )
        if class_name not in calendar.classes:
            raise checks.fail(f"{place}.class", f"class {class_name!r} is not in {calendar_name!r}")
        if start != "" and _START.fullmatch(start) is None:
            raise checks.fail(
                f"{place}.start", "must be '', 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM' (EST)"
            )
        bookings[(calendar_name, class_name)] = start
    return bookings


def load_lead(value: object, where: str, account: Account) -> Lead:
    """Read one lead of ``account`` (not yet added to it)."""
    raw = checks.read_object(value, where, LEAD_KEYS)
    lead = Lead(
        id=checks.read_int(raw.get("id"), f"{where}.id", minimum=1),
        email=checks.read_text(raw.get("email"), f"{where}.email", empty=False),
        deleted=checks.read_flag(raw.get("deleted", False), f"{where}.deleted"),
        score=checks.read_int(raw.get("score", 0), f"{where}.score", minimum=-(2**62)),
        date_joined=checks.read_text(raw.get("date_joined", ""), f"{where}.date_joined"),
    )
    for name in PROFILE_FIELDS:
        if name in raw and raw[name] != "":
            lead.profile[name] = checks.read_text(raw[name], f"{where}.{name}")
    customs = checks.read_object(
        raw.get("custom_fields", {}), f"{where}.custom_fields", frozenset(account.custom_fields)
    )
    for identifier, stored in customs.items():
        lead.custom_fields[identifier] = _custom_value(
            stored, account.custom_fields[identifier], f"{where}.custom_fields.{identifier}"
        )
    for tag in checks.read_names(raw.get("tags", []), f"{where}.tags"):
        if tag not in account.tags:
            raise checks.fail(f"{where}.tags", f"tag {tag!r} is not one of the account's tags")
        lead.tags[tag] = None
    lists = raw.get("lists", [])
    if isinstance(lists, dict):
        entries = {
            name: checks.read_flag(on, f"{where}.lists.{name}") for name, on in lists.items()
        }
    else:
        entries = dict.fromkeys(checks.read_names(lists, f"{where}.lists"), True)
    for name, active in entries.items():
        if name not in account.lists:
            raise checks.fail(f"{where}.lists", f"list {name!r} is not one of the account's lists")
        lead.lists[name] = active
    lead.sequences = _sequences(raw.get("sequences", {}), f"{where}.sequences", account)
    lead.expiring_points = _points(raw.get("expiring_points", []), f"{where}.expiring_points")
    lead.calendars = _calendars(raw.get("calendars", []), f"{where}.calendars", account)
    return lead


class LeadReader:
    """Reads the leads of one account; a plain lead takes a fast path that builds no messages.

    A lead with anything unusual (sequences, points, bookings, a value of the wrong type, ...)
    is read by :func:`load_lead`, which names the exact place of a mistake; the fast path only
    accepts what :func:`load_lead` accepts, and builds the same lead.
    """

    def __init__(self, account: Account) -> None:
        self._account = account
        #: identifier -> the option ids it allows (``None``: a text field), checkbox or not.
        self._fields = {
            f.identifier: (
                f.option_ids() if f.type.has_options else None,
                f.type is FieldType.CHECKBOX,
            )
            for f in account.custom_fields.values()
        }

    def read(self, value: object, place: Callable[[], str]) -> Lead:
        """The lead ``value``, new to the account; :class:`StateError` at ``place()``."""
        account = self._account
        lead = self._quick(value)
        if lead is None:
            lead = load_lead(value, place(), account)
        if lead.id in account.leads or email_key(lead.email) in account.by_email:
            check_new_lead(lead, place(), account)
        return lead

    def _quick(self, raw: object) -> Lead | None:
        if type(raw) is not dict or not raw.keys() <= LEAD_KEYS:
            return None
        lead_id, email = raw.get("id"), raw.get("email")
        deleted, score = raw.get("deleted", False), raw.get("score", 0)
        date_joined = raw.get("date_joined", "")
        if (
            type(lead_id) is not int
            or not 1 <= lead_id <= MAX_WHOLE
            or type(email) is not str
            or email == ""
            or type(deleted) is not bool
            or type(score) is not int
            or not -(2**62) <= score <= MAX_WHOLE
            or type(date_joined) is not str
            or raw.get("sequences", _ABSENT) not in (_ABSENT, {})
            or raw.get("expiring_points", _ABSENT) not in (_ABSENT, [])
            or raw.get("calendars", _ABSENT) not in (_ABSENT, [])
        ):
            return None
        lead = Lead(id=lead_id, email=email, deleted=deleted, score=score, date_joined=date_joined)
        for name in PROFILE_FIELDS:
            text = raw.get(name, "")
            if text != "":
                if type(text) is not str:
                    return None
                lead.profile[name] = text
        customs = raw.get("custom_fields", _EMPTY)
        if type(customs) is not dict:
            return None
        fields = self._fields
        for identifier, stored in customs.items():
            known = fields.get(identifier)
            if known is None:
                return None
            allowed, checkbox = known
            if allowed is None:
                if type(stored) is not str:
                    return None
                lead.custom_fields[identifier] = stored
            elif checkbox:
                if type(stored) is not list or any(
                    type(i) is not int or i not in allowed for i in stored
                ):
                    return None
                lead.custom_fields[identifier] = tuple(stored)
            else:
                if type(stored) is not int or stored not in allowed:
                    return None
                lead.custom_fields[identifier] = stored
        account = self._account
        tags = raw.get("tags", [])
        if type(tags) is not list:
            return None
        for tag in tags:
            if type(tag) is not str or tag not in account.tags or tag in lead.tags:
                return None
            lead.tags[tag] = None
        lists = raw.get("lists", [])
        if type(lists) is list:
            for name in lists:
                if type(name) is not str or name not in account.lists or name in lead.lists:
                    return None
                lead.lists[name] = True
        elif type(lists) is dict:
            for name, active in lists.items():
                if type(active) is not bool or name not in account.lists:
                    return None
                lead.lists[name] = active
        else:
            return None
        return lead


def check_new_lead(lead: Lead, where: str, account: Account) -> Lead:
    """``lead`` if neither its id nor its email is taken in ``account`` (deleted leads too)."""
    if lead.id in account.leads:
        raise checks.fail(f"{where}.id", f"duplicate lead id {lead.id}")
    if email_key(lead.email) in account.by_email:
        raise checks.fail(f"{where}.email", f"duplicate lead email {lead.email!r}")
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
