"""Seeding one item into an account: a lead, tag, list, page, custom field, sequence or calendar.

``POST /_mock/accounts/{api_key}/{kind}`` and the in-process ``KartraMock.add_*`` helpers both
come here. Each item is read with the state document's own readers, so a seeded item obeys the
rules an item of a document obeys and a refusal names the same reason
(``lead.email: must be a non-empty string``); it is checked against its account before anything
changes, and an account that does not exist yet is made from the template only when the item
is accepted. Each costs what one item costs, however big the world is.

Example::

    seed(world, "demo-key", "leads", {"email": "ada@example.com", "first_name": "Ada"})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal, TypeVar, get_args

from kartra_mock.domain.model import Account, Calendar, Sequence, World
from kartra_mock.engine.state import read_calendar, read_custom_field, read_sequence
from kartra_mock.engine.state_checks import check_unicode, fail, read_object, read_text
from kartra_mock.engine.state_leads import LEAD_KEYS, check_new_lead, load_lead

__all__ = ["SEED_KINDS", "SeedKind", "seed"]

SeedKind = Literal["leads", "tags", "lists", "pages", "custom_fields", "sequences", "calendars"]
#: What can be seeded one at a time: the account collections of the state document.
SEED_KINDS: tuple[SeedKind, ...] = get_args(SeedKind)

#: What one item is called in a refusal (``lead.email: ...``).
_SINGULAR: dict[SeedKind, str] = {
    "leads": "lead",
    "tags": "tag",
    "lists": "list",
    "pages": "page",
    "custom_fields": "custom_field",
    "sequences": "sequence",
    "calendars": "calendar",
}

_Seeder = Callable[[Account, object, str], dict[str, object]]


def _lead(account: Account, item: object, where: str) -> dict[str, object]:
    raw = read_object(item, where, LEAD_KEYS)
    if "id" not in raw:
        raw = {**raw, "id": account.next_id}
    lead = check_new_lead(load_lead(raw, where, account), where, account)
    account.add_lead(lead)
    return {"id": lead.id}


def _named(collection: Callable[[Account], dict[str, None]]) -> _Seeder:
    def add(account: Account, item: object, where: str) -> dict[str, object]:
        raw = read_object(item, where, frozenset({"name"}))
        name = read_text(raw.get("name"), f"{where}.name", empty=False)
        names = collection(account)
        created = name not in names
        names[name] = None
        return {"name": name, "created": created}

    return add


def _custom_field(account: Account, item: object, where: str) -> dict[str, object]:
    number = max((f.field_id for f in account.custom_fields.values()), default=0) + 1
    field = read_custom_field(item, where, number)
    if field.identifier in account.custom_fields:
        raise fail(
            f"{where}.identifier", f"the account already has a custom field {field.identifier!r}"
        )
    account.custom_fields[field.identifier] = field
    return {"identifier": field.identifier, "field_id": field.field_id}


#: What an account keeps by name, as records: its sequences and calendars.
_Record = TypeVar("_Record", Sequence, Calendar)


def _new_record(
    read: Callable[[object, str], _Record],
    collection: Callable[[Account], dict[str, _Record]],
    what: str,
) -> _Seeder:
    """A seeder of a record read by ``read``, refused when its name is taken."""

    def add(account: Account, item: object, where: str) -> dict[str, object]:
        record = read(item, where)
        records = collection(account)
        if record.name in records:
            raise fail(f"{where}.name", f"the account already has a {what} {record.name!r}")
        records[record.name] = record
        return {"name": record.name}

    return add


_SEEDERS: Mapping[SeedKind, _Seeder] = {
    "leads": _lead,
    "tags": _named(lambda account: account.tags),
    "lists": _named(lambda account: account.lists),
    "pages": _named(lambda account: account.pages),
    "custom_fields": _custom_field,
    "sequences": _new_record(read_sequence, lambda account: account.sequences, "sequence"),
    "calendars": _new_record(read_calendar, lambda account: account.calendars, "calendar"),
}


def seed(world: World, api_key: str, kind: SeedKind, item: object) -> dict[str, object]:
    """Add one ``item`` (as the state document writes it) to the account ``api_key``.

    Returns what was added (a lead's ``id``, ...); raises :class:`StateError` and changes
    nothing when the item is invalid. An unknown account is created from the template, with
    no password (any is accepted), as a document's account without ``api_password`` is.
    """
    where = _SINGULAR[kind]
    read_text(api_key, "api_key", empty=False)
    check_unicode(api_key, "api_key")
    check_unicode(item, where)
    account = world.accounts.get(api_key)
    if account is None:
        account = Account.from_template(api_key, world.template)
        answer = _SEEDERS[kind](account, item, where)
        world.accounts[api_key] = account
    else:
        answer = _SEEDERS[kind](account, item, where)
    return answer
