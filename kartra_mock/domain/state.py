"""The state document (SPEC §5): seed file, ``PUT /_mock/state`` body and snapshot, one format.

:func:`load_world` validates a whole document before building anything and raises
:class:`StateError` with the reason; :func:`dump_world` is its inverse, so a snapshot can be
fed back in unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from kartra_mock.domain.fields import PROFILE_FIELDS
from kartra_mock.domain.model import (
    Account,
    App,
    AuthMode,
    Calendar,
    CustomField,
    CustomValue,
    FieldType,
    Lead,
    Option,
    Sequence,
    Settings,
    Template,
    World,
    email_key,
)

__all__ = ["DEFAULT_DOCUMENT", "StateError", "dump_world", "load_world"]

_SEED_FIELDS: list[dict[str, object]] = [
    {"identifier": "text1", "type": "input_field"},
    {
        "identifier": "dropdown1",
        "type": "drop_down",
        "options": [{"id": 612, "value": "Red"}, {"id": 613, "value": "Blue"}],
    },
    {
        "identifier": "checkbox1",
        "type": "checkbox",
        "options": [{"id": 620, "value": "A"}, {"id": 621, "value": "B"}],
    },
]

#: The built-in world: the demo app and account, the seed's custom fields, no leads (SPEC §5).
DEFAULT_DOCUMENT: dict[str, object] = {
    "auth": "open",
    "settings": {"rate_limit": 20, "require_https": False, "content_type": "text/html"},
    "apps": [{"app_id": "demo-app", "active": True, "owner_active": True, "allowed_ips": []}],
    "template": {"custom_fields": _SEED_FIELDS, "tags": ["Customer"], "lists": ["Newsletter"]},
    "accounts": [
        {
            "api_key": "demo-key",
            "api_password": "demo-password",
            "active": True,
            "custom_fields": _SEED_FIELDS,
            "tags": ["Customer"],
            "lists": ["Newsletter"],
            "leads": [],
        }
    ],
}


class StateError(ValueError):
    """A state document that cannot be loaded; the message says where and why."""


def _fail(where: str, why: str) -> StateError:
    return StateError(f"{where}: {why}")


def _object(value: object, where: str, keys: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "must be an object")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise _fail(where, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(keys))})")
    return cast(dict[str, Any], value)


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(where, "must be a list")
    return value


def _text(value: object, where: str, *, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and value == ""):
        raise _fail(where, "must be a non-empty string" if not empty else "must be a string")
    return value


def _flag(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, "must be true or false")
    return value


def _int(value: object, where: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _fail(where, f"must be an integer >= {minimum}")
    return value


def _names(value: object, where: str) -> tuple[str, ...]:
    names = tuple(
        _text(item, f"{where}[{i}]", empty=False) for i, item in enumerate(_list(value, where))
    )
    if len(set(names)) != len(names):
        raise _fail(where, "names must be unique")
    return names


_SETTINGS_KEYS = frozenset({"rate_limit", "require_https", "content_type"})


def _settings(value: object) -> Settings:
    raw = _object(value, "settings", _SETTINGS_KEYS)
    content_type = raw.get("content_type", "text/html")
    if content_type not in ("text/html", "application/json"):
        raise _fail("settings.content_type", "must be 'text/html' or 'application/json'")
    return Settings(
        rate_limit=_int(raw.get("rate_limit", 20), "settings.rate_limit"),
        require_https=_flag(raw.get("require_https", False), "settings.require_https"),
        content_type=content_type,
    )


_APP_KEYS = frozenset({"app_id", "active", "owner_active", "allowed_ips"})


def _app(value: object, where: str) -> App:
    raw = _object(value, where, _APP_KEYS)
    return App(
        app_id=_text(raw.get("app_id"), f"{where}.app_id", empty=False),
        active=_flag(raw.get("active", True), f"{where}.active"),
        owner_active=_flag(raw.get("owner_active", True), f"{where}.owner_active"),
        allowed_ips=_names(raw.get("allowed_ips", []), f"{where}.allowed_ips"),
    )


_FIELD_KEYS = frozenset({"identifier", "type", "options", "field_id"})


def _custom_field(value: object, where: str, number: int) -> CustomField:
    raw = _object(value, where, _FIELD_KEYS)
    identifier = _text(raw.get("identifier"), f"{where}.identifier", empty=False)
    try:
        field_type = FieldType(str(raw.get("type")))
    except ValueError:
        allowed = ", ".join(t.value for t in FieldType)
        raise _fail(
            f"{where}.type", f"unknown field type {raw.get('type')!r} (one of {allowed})"
        ) from None
    options: list[Option] = []
    for i, item in enumerate(_list(raw.get("options", []), f"{where}.options")):
        option = _object(item, f"{where}.options[{i}]", frozenset({"id", "value"}))
        options.append(
            Option(
                _int(option.get("id"), f"{where}.options[{i}].id", minimum=1),
                _text(option.get("value", ""), f"{where}.options[{i}].value"),
            )
        )
    if len({o.id for o in options}) != len(options):
        raise _fail(f"{where}.options", "duplicate option id")
    if options and not field_type.has_options:
        raise _fail(f"{where}.options", f"a {field_type.value} field has no options")
    field_id = _int(raw.get("field_id", number), f"{where}.field_id", minimum=1)
    return CustomField(identifier, field_type, tuple(options), field_id)


def _custom_fields(value: object, where: str) -> tuple[CustomField, ...]:
    fields = tuple(
        _custom_field(item, f"{where}[{i}]", i + 1) for i, item in enumerate(_list(value, where))
    )
    if len({f.identifier for f in fields}) != len(fields):
        raise _fail(where, "duplicate custom field identifier")
    return fields


def _sequences(value: object, where: str) -> tuple[Sequence, ...]:
    result = []
    for i, item in enumerate(_list(value, where)):
        raw = _object(item, f"{where}[{i}]", frozenset({"name", "steps"}))
        result.append(
            Sequence(
                _text(raw.get("name"), f"{where}[{i}].name", empty=False),
                _names(raw.get("steps", []), f"{where}[{i}].steps"),
            )
        )
    if len({s.name for s in result}) != len(result):
        raise _fail(where, "duplicate sequence name")
    return tuple(result)


def _calendars(value: object, where: str) -> tuple[Calendar, ...]:
    result = []
    for i, item in enumerate(_list(value, where)):
        raw = _object(item, f"{where}[{i}]", frozenset({"name", "classes"}))
        result.append(
            Calendar(
                _text(raw.get("name"), f"{where}[{i}].name", empty=False),
                _names(raw.get("classes", []), f"{where}[{i}].classes"),
            )
        )
    if len({c.name for c in result}) != len(result):
        raise _fail(where, "duplicate calendar name")
    return tuple(result)


_TEMPLATE_KEYS = frozenset({"custom_fields", "tags", "lists", "sequences", "calendars"})


def _template(value: object, where: str) -> Template:
    raw = _object(value, where, _TEMPLATE_KEYS)
    return Template(
        custom_fields=_custom_fields(raw.get("custom_fields", []), f"{where}.custom_fields"),
        tags=_names(raw.get("tags", []), f"{where}.tags"),
        lists=_names(raw.get("lists", []), f"{where}.lists"),
        sequences=_sequences(raw.get("sequences", []), f"{where}.sequences"),
        calendars=_calendars(raw.get("calendars", []), f"{where}.calendars"),
    )


_LEAD_KEYS = frozenset(
    {
        "id",
        "email",
        "deleted",
        "custom_fields",
        "tags",
        "lists",
        "sequences",
        "score",
        "date_joined",
    }
    | set(PROFILE_FIELDS)
)


def _custom_value(value: object, field: CustomField, where: str) -> CustomValue:
    if not field.type.has_options:
        return _text(value, where)
    allowed = field.option_ids()
    if field.type is FieldType.CHECKBOX:
        ids = tuple(_int(v, f"{where}[{i}]", minimum=1) for i, v in enumerate(_list(value, where)))
        chosen = ids
    else:
        chosen = (_int(value, where, minimum=1),)
    for option_id in chosen:
        if option_id not in allowed:
            raise _fail(where, f"option id {option_id} is not an option of {field.identifier!r}")
    return ids if field.type is FieldType.CHECKBOX else chosen[0]


def _lead(value: object, where: str, account: Account) -> Lead:
    raw = _object(value, where, _LEAD_KEYS)
    lead = Lead(
        id=_int(raw.get("id"), f"{where}.id", minimum=1),
        email=_text(raw.get("email"), f"{where}.email", empty=False),
        deleted=_flag(raw.get("deleted", False), f"{where}.deleted"),
        score=_int(raw.get("score", 0), f"{where}.score", minimum=-(2**62)),
        date_joined=_text(raw.get("date_joined", ""), f"{where}.date_joined"),
    )
    for name in PROFILE_FIELDS:
        if name in raw and raw[name] != "":
            lead.profile[name] = _text(raw[name], f"{where}.{name}")
    customs = _object(
        raw.get("custom_fields", {}), f"{where}.custom_fields", frozenset(account.custom_fields)
    )
    for identifier, stored in customs.items():
        lead.custom_fields[identifier] = _custom_value(
            stored, account.custom_fields[identifier], f"{where}.custom_fields.{identifier}"
        )
    for tag in _names(raw.get("tags", []), f"{where}.tags"):
        if tag not in account.tags:
            raise _fail(f"{where}.tags", f"tag {tag!r} is not one of the account's tags")
        lead.tags[tag] = None
    lists = raw.get("lists", [])
    if isinstance(lists, dict):
        entries = {name: _flag(active, f"{where}.lists.{name}") for name, active in lists.items()}
    else:
        entries = dict.fromkeys(_names(lists, f"{where}.lists"), True)
    for name, active in entries.items():
        if name not in account.lists:
            raise _fail(f"{where}.lists", f"list {name!r} is not one of the account's lists")
        lead.lists[name] = active
    sequences = _object(
        raw.get("sequences", {}), f"{where}.sequences", frozenset(account.sequences)
    )
    for name, step in sequences.items():
        lead.sequences[name] = _text(step, f"{where}.sequences.{name}", empty=False)
    return lead


_ACCOUNT_KEYS = frozenset(
    {"api_key", "api_password", "active", "leads", "next_id"} | _TEMPLATE_KEYS
)


def _account(value: object, where: str) -> Account:
    raw = _object(value, where, _ACCOUNT_KEYS)
    if "api_key" not in raw:
        raise _fail(f"{where}.api_key", "is required")
    password = raw.get("api_password")
    template = _template({k: v for k, v in raw.items() if k in _TEMPLATE_KEYS}, where)
    account = Account.from_template(
        _text(raw["api_key"], f"{where}.api_key", empty=False), template
    )
    account.api_password = None if password is None else _text(password, f"{where}.api_password")
    account.active = _flag(raw.get("active", True), f"{where}.active")
    for i, item in enumerate(_list(raw.get("leads", []), f"{where}.leads")):
        lead = _lead(item, f"{where}.leads[{i}]", account)
        if lead.id in account.leads:
            raise _fail(f"{where}.leads[{i}].id", f"duplicate lead id {lead.id}")
        if email_key(lead.email) in account.by_email:
            raise _fail(f"{where}.leads[{i}].email", f"duplicate lead email {lead.email!r}")
        account.add_lead(lead)
    account.next_id = max(
        account.next_id, _int(raw.get("next_id", 1), f"{where}.next_id", minimum=1)
    )
    return account


_DOCUMENT_KEYS = frozenset({"auth", "settings", "apps", "template", "accounts"})


def load_world(document: object) -> World:
    """Build a world from a state document, or raise :class:`StateError` saying what is wrong."""
    raw = _object(document, "document", _DOCUMENT_KEYS)
    if "accounts" not in raw:
        raise _fail("document.accounts", "is required")
    try:
        auth = AuthMode(raw.get("auth", "open"))
    except ValueError:
        raise _fail("auth", f"unknown auth mode {raw.get('auth')!r} (open or strict)") from None
    apps = [_app(item, f"apps[{i}]") for i, item in enumerate(_list(raw.get("apps", []), "apps"))]
    if len({a.app_id for a in apps}) != len(apps):
        raise _fail("apps", "duplicate app_id")
    accounts = [
        _account(item, f"accounts[{i}]")
        for i, item in enumerate(_list(raw["accounts"], "accounts"))
    ]
    if len({a.api_key for a in accounts}) != len(accounts):
        raise _fail("accounts", "duplicate api_key")
    if "template" in raw:
        template = _template(raw["template"], "template")
    elif accounts:
        first = accounts[0]
        template = Template(
            tuple(first.custom_fields.values()),
            tuple(first.tags),
            tuple(first.lists),
            tuple(first.sequences.values()),
            tuple(first.calendars.values()),
        )
    else:
        template = Template()
    return World(
        auth=auth,
        settings=_settings(raw.get("settings", {})),
        apps={a.app_id: a for a in apps},
        template=template,
        accounts={a.api_key: a for a in accounts},
    )


def _dump_fields(fields: tuple[CustomField, ...]) -> list[dict[str, object]]:
    result: list[dict[str, object]] = []
    for field in fields:
        item: dict[str, object] = {
            "identifier": field.identifier,
            "type": field.type.value,
            "field_id": field.field_id,
        }
        if field.options:
            item["options"] = [{"id": o.id, "value": o.value} for o in field.options]
        result.append(item)
    return result


def _dump_template(template: Template) -> dict[str, object]:
    return {
        "custom_fields": _dump_fields(template.custom_fields),
        "tags": list(template.tags),
        "lists": list(template.lists),
        "sequences": [{"name": s.name, "steps": list(s.steps)} for s in template.sequences],
        "calendars": [{"name": c.name, "classes": list(c.classes)} for c in template.calendars],
    }


def _dump_lead(lead: Lead) -> dict[str, object]:
    item: dict[str, object] = {"id": lead.id, "email": lead.email, **lead.profile}
    item["deleted"] = lead.deleted
    item["custom_fields"] = {
        k: list(v) if isinstance(v, tuple) else v for k, v in lead.custom_fields.items()
    }
    item["tags"] = list(lead.tags)
    item["lists"] = dict(lead.lists)
    item["sequences"] = dict(lead.sequences)
    item["score"] = lead.score
    item["date_joined"] = lead.date_joined
    return item


def dump_world(world: World) -> dict[str, object]:
    """The world as a state document that :func:`load_world` reads back to the same world."""
    accounts = []
    for account in world.accounts.values():
        template = Template(
            tuple(account.custom_fields.values()),
            tuple(account.tags),
            tuple(account.lists),
            tuple(account.sequences.values()),
            tuple(account.calendars.values()),
        )
        item: dict[str, object] = {
            "api_key": account.api_key,
            "api_password": account.api_password,
            "active": account.active,
            **_dump_template(template),
            "leads": [_dump_lead(lead) for lead in account.leads.values()],
            "next_id": account.next_id,
        }
        accounts.append(item)
    settings = world.settings
    return {
        "auth": world.auth.value,
        "settings": {
            "rate_limit": settings.rate_limit,
            "require_https": settings.require_https,
            "content_type": settings.content_type,
        },
        "apps": [
            {
                "app_id": app.app_id,
                "active": app.active,
                "owner_active": app.owner_active,
                "allowed_ips": list(app.allowed_ips),
            }
            for app in world.apps.values()
        ],
        "template": _dump_template(world.template),
        "accounts": accounts,
    }


def settings_of(document: Mapping[str, object]) -> Settings:
    """Just the settings of an already validated document."""
    return _settings(document.get("settings", {}))
