"""The state document (docs/control-plane.md#the-state-document): seed file, ``PUT /_mock/state``
body and snapshot, one format.

:func:`load_world` validates a whole document before building anything and raises
:class:`StateError` with the reason; :func:`dump_world` is its inverse, so a snapshot can be
fed back in unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from kartra_mock.domain.model import (
    Account,
    App,
    AuthMode,
    Calendar,
    CustomField,
    FieldType,
    Option,
    Sequence,
    Settings,
    Template,
    World,
)
from kartra_mock.engine import state_checks as checks
from kartra_mock.engine.state_checks import StateError
from kartra_mock.engine.state_commerce import COMMERCE_KEYS, dump_commerce, load_commerce
from kartra_mock.engine.state_leads import LeadReader, dump_lead
from kartra_mock.protocol import rules

__all__ = [
    "DEFAULT_DOCUMENT",
    "StateError",
    "dump_world",
    "load_world",
    "read_calendar",
    "read_custom_field",
    "read_sequence",
]

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

#: The built-in world: the demo app and account, the custom fields of Kartra's examples, no leads
#: (docs/control-plane.md#the-state-document).
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


_SETTINGS_KEYS = frozenset({"rate_limit", "require_https", "content_type", "accept_rules"})


def _settings(value: object) -> Settings:
    raw = checks.read_object(value, "settings", _SETTINGS_KEYS)
    content_type = raw.get("content_type", "text/html")
    if content_type not in ("text/html", "application/json"):
        raise checks.fail("settings.content_type", "must be 'text/html' or 'application/json'")
    return Settings(
        rate_limit=checks.read_int(raw.get("rate_limit", 20), "settings.rate_limit"),
        require_https=checks.read_flag(raw.get("require_https", False), "settings.require_https"),
        content_type=content_type,
        accept_rules=_accept_rules(raw.get("accept_rules", [])),
    )


def _accept_rules(value: object) -> frozenset[str]:
    names = checks.read_names(value, "settings.accept_rules")
    try:
        return rules.check_rule_ids(names)
    except rules.UnknownRuleError as exc:
        raise checks.fail("settings.accept_rules", str(exc)) from None


_APP_KEYS = frozenset({"app_id", "active", "owner_active", "allowed_ips"})


def _app(value: object, where: str) -> App:
    raw = checks.read_object(value, where, _APP_KEYS)
    return App(
        app_id=checks.read_text(raw.get("app_id"), f"{where}.app_id", empty=False),
        active=checks.read_flag(raw.get("active", True), f"{where}.active"),
        owner_active=checks.read_flag(raw.get("owner_active", True), f"{where}.owner_active"),
        allowed_ips=checks.read_names(raw.get("allowed_ips", []), f"{where}.allowed_ips"),
    )


_FIELD_KEYS = frozenset({"identifier", "type", "options", "field_id"})


def read_custom_field(value: object, where: str, number: int) -> CustomField:
    """One custom field definition; ``number`` is its ``field_id`` unless it gives one."""
    raw = checks.read_object(value, where, _FIELD_KEYS)
    identifier = checks.read_text(raw.get("identifier"), f"{where}.identifier", empty=False)
    try:
        field_type = FieldType(str(raw.get("type")))
    except ValueError:
        allowed = ", ".join(t.value for t in FieldType)
        raise checks.fail(
            f"{where}.type", f"unknown field type {raw.get('type')!r} (one of {allowed})"
        ) from None
    options: list[Option] = []
    for i, item in enumerate(checks.read_list(raw.get("options", []), f"{where}.options")):
        option = checks.read_object(item, f"{where}.options[{i}]", frozenset({"id", "value"}))
        options.append(
            Option(
                checks.read_int(option.get("id"), f"{where}.options[{i}].id", minimum=1),
                checks.read_text(option.get("value", ""), f"{where}.options[{i}].value"),
            )
        )
    if len({o.id for o in options}) != len(options):
        raise checks.fail(f"{where}.options", "duplicate option id")
    if options and not field_type.has_options:
        raise checks.fail(f"{where}.options", f"a {field_type.value} field has no options")
    field_id = checks.read_int(raw.get("field_id", number), f"{where}.field_id", minimum=1)
    return CustomField(identifier, field_type, tuple(options), field_id)


def _custom_fields(value: object, where: str) -> tuple[CustomField, ...]:
    fields = tuple(
        read_custom_field(item, f"{where}[{i}]", i + 1)
        for i, item in enumerate(checks.read_list(value, where))
    )
    if len({f.identifier for f in fields}) != len(fields):
        raise checks.fail(where, "duplicate custom field identifier")
    return fields


def read_sequence(value: object, where: str) -> Sequence:
    """One sequence: its name and the box numbers of its steps."""
    raw = checks.read_object(value, where, frozenset({"name", "steps"}))
    return Sequence(
        checks.read_text(raw.get("name"), f"{where}.name", empty=False),
        checks.read_names(raw.get("steps", []), f"{where}.steps"),
    )


def read_calendar(value: object, where: str) -> Calendar:
    """One calendar: its name, classes and whether it is complete."""
    raw = checks.read_object(value, where, frozenset({"name", "classes", "complete"}))
    return Calendar(
        checks.read_text(raw.get("name"), f"{where}.name", empty=False),
        checks.read_names(raw.get("classes", []), f"{where}.classes"),
        checks.read_flag(raw.get("complete", True), f"{where}.complete"),
    )


#: What a template lists by name: its sequences and calendars.
_Named = TypeVar("_Named", Sequence, Calendar)


def _unique_names(
    read: Callable[[object, str], _Named], value: object, where: str, what: str
) -> tuple[_Named, ...]:
    """A list of ``what`` items, each read by ``read``; no two may share a name."""
    result = tuple(
        read(item, f"{where}[{i}]") for i, item in enumerate(checks.read_list(value, where))
    )
    if len({r.name for r in result}) != len(result):
        raise checks.fail(where, f"duplicate {what} name")
    return result


_TEMPLATE_KEYS = frozenset({"custom_fields", "tags", "lists", "sequences", "calendars", "pages"})


def _template(value: object, where: str) -> Template:
    raw = checks.read_object(value, where, _TEMPLATE_KEYS)
    return Template(
        custom_fields=_custom_fields(raw.get("custom_fields", []), f"{where}.custom_fields"),
        tags=checks.read_names(raw.get("tags", []), f"{where}.tags"),
        lists=checks.read_names(raw.get("lists", []), f"{where}.lists"),
        sequences=_unique_names(
            read_sequence, raw.get("sequences", []), f"{where}.sequences", "sequence"
        ),
        calendars=_unique_names(
            read_calendar, raw.get("calendars", []), f"{where}.calendars", "calendar"
        ),
        pages=checks.read_names(raw.get("pages", []), f"{where}.pages"),
    )


_ACCOUNT_KEYS = frozenset(
    {"api_key", "api_password", "active", "leads", "next_id"} | _TEMPLATE_KEYS | COMMERCE_KEYS
)


def _account(value: object, where: str) -> Account:
    raw = checks.read_object(value, where, _ACCOUNT_KEYS)
    if "api_key" not in raw:
        raise checks.fail(f"{where}.api_key", "is required")
    password = raw.get("api_password")
    template = _template({k: v for k, v in raw.items() if k in _TEMPLATE_KEYS}, where)
    account = Account.from_template(
        checks.read_text(raw["api_key"], f"{where}.api_key", empty=False), template
    )
    account.api_password = (
        None if password is None else checks.read_text(password, f"{where}.api_password")
    )
    account.active = checks.read_flag(raw.get("active", True), f"{where}.active")
    reader = LeadReader(account)
    for i, item in enumerate(checks.read_list(raw.get("leads", []), f"{where}.leads")):
        account.add_lead(reader.read(item, partial("{}.leads[{}]".format, where, i)))
    load_commerce(raw, where, account)
    account.next_id = max(
        account.next_id, checks.read_int(raw.get("next_id", 1), f"{where}.next_id", minimum=1)
    )
    return account


# ``outbound`` (webhook and IPN destinations) is read by kartra_mock.outbound.config.
_DOCUMENT_KEYS = frozenset({"auth", "settings", "apps", "template", "accounts", "outbound"})


def load_world(document: object) -> World:
    """Build a world from a state document, or raise :class:`StateError` saying what is wrong."""
    raw = checks.read_object(document, "document", _DOCUMENT_KEYS)
    checks.check_unicode(raw, "document")
    if "accounts" not in raw:
        raise checks.fail("document.accounts", "is required")
    try:
        auth = AuthMode(raw.get("auth", "open"))
    except ValueError:
        raise checks.fail(
            "auth", f"unknown auth mode {raw.get('auth')!r} (open or strict)"
        ) from None
    apps = [
        _app(item, f"apps[{i}]")
        for i, item in enumerate(checks.read_list(raw.get("apps", []), "apps"))
    ]
    if len({a.app_id for a in apps}) != len(apps):
        raise checks.fail("apps", "duplicate app_id")
    accounts = [
        _account(item, f"accounts[{i}]")
        for i, item in enumerate(checks.read_list(raw["accounts"], "accounts"))
    ]
    if len({a.api_key for a in accounts}) != len(accounts):
        raise checks.fail("accounts", "duplicate api_key")
    if "template" in raw:
        template = _template(raw["template"], "template")
    elif accounts:
        template = accounts[0].template()
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
        "calendars": [
            {"name": c.name, "classes": list(c.classes), "complete": c.complete}
            for c in template.calendars
        ],
        "pages": list(template.pages),
    }


def dump_world(world: World, *, leads: bool = True) -> dict[str, object]:
    """The world as a state document that :func:`load_world` reads back to the same world.

    ``leads=False``: every account's ``leads`` is an empty list, to be filled by the caller.
    """
    accounts = []
    for account in world.accounts.values():
        item: dict[str, object] = {
            "api_key": account.api_key,
            "api_password": account.api_password,
            "active": account.active,
            **_dump_template(account.template()),
            "leads": [dump_lead(lead) for lead in account.leads.values()] if leads else [],
            "next_id": account.next_id,
            **dump_commerce(account),
        }
        accounts.append(item)
    settings = world.settings
    return {
        "auth": world.auth.value,
        "settings": {
            "rate_limit": settings.rate_limit,
            "require_https": settings.require_https,
            "content_type": settings.content_type,
            "accept_rules": sorted(settings.accept_rules),
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
