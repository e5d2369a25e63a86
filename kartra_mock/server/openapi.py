# Over 400 lines: one document, built from the tables the mock runs on, so parts cannot disagree.
"""An OpenAPI 3.1 document of ``/api`` and the control plane, served at ``/_mock/openapi.json``.

Built from the same tables the mock runs on — the error catalogue (every ``type``), the command
table (every ``cmd`` and its documented parameters), the lead fields — so it cannot drift from
the behaviour. Kartra publishes no such document; this one describes the mock, which follows
Kartra's documentation (see the README's list of differences).

Example::

    httpx.get("http://127.0.0.1:8765/_mock/openapi.json").json()["openapi"]  # '3.1.0'
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kartra_mock import __version__
from kartra_mock.domain.commands import COMMANDS
from kartra_mock.domain.leads import LEAD_COMMANDS
from kartra_mock.engine.faults import MAX_LATENCY_MS, SERVER_ERROR_STATUSES, FaultKind
from kartra_mock.engine.state_commerce import COMMERCE_KEYS
from kartra_mock.protocol import errors
from kartra_mock.protocol.facts import PROFILE_FIELDS
from kartra_mock.server.control import JOURNAL_CLEARS_HEADER
from kartra_mock.server.inspector import PAGE_PATH
from kartra_mock.server.openapi_outbound import clears_header, outbound_paths
from kartra_mock.server.openapi_seeding import seeding_paths

__all__ = ["OPENAPI_PATH", "openapi_document", "openapi_routes"]

OPENAPI_PATH = "/_mock/openapi.json"

#: The largest journal seq (and lead id) a control-plane path or query accepts: 18 digits.
MAX_SEQ = 10**18 - 1

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_STRING: Schema = {"type": "string"}
_OK: Schema = {"type": "object", "properties": {"status": {"const": "ok"}}}
_HEALTH: Schema = {
    "type": "object",
    "properties": {"status": {"const": "ok"}, "version": {"type": "string"}},
    "required": ["status", "version"],
}


def _error_type() -> Schema:
    return {
        "description": "Kartra's error code, as a string. Each value names its error class "
        "and how we know it (documented / observed / inferred).",
        "oneOf": [
            {
                "const": cls.type_code,
                "title": cls.__name__,
                "description": f"{cls.default_message} ({cls.source.value})",
            }
            for cls in errors.ERROR_CLASSES
        ],
    }


def _actions() -> Schema:
    variants: list[Schema] = []
    for cmd in sorted(LEAD_COMMANDS) + sorted(COMMANDS):
        params = sorted(COMMANDS[cmd].params) if cmd in COMMANDS else []
        variants.append(
            {
                "title": cmd,
                "type": "object",
                "required": ["cmd"],
                "properties": {"cmd": {"const": cmd}, **dict.fromkeys(params, _STRING)},
            }
        )
    return {"description": "One action of a chain, `actions[n][...]`.", "oneOf": variants}


def _lead() -> Schema:
    custom_field = {
        "type": "object",
        "required": ["field_identifier", "field_value"],
        "properties": {
            "field_identifier": _STRING,
            "field_value": {"oneOf": [_STRING, {"type": "array", "items": _STRING}]},
        },
    }
    fields = ("id", "email", "new_email", *PROFILE_FIELDS)
    return {
        "description": "The lead a call acts on, `lead[...]`; found by `id`, else `email`.",
        "type": "object",
        "properties": {
            **dict.fromkeys(fields, _STRING),
            "custom_fields": {"type": "array", "items": custom_field},
        },
    }


_NAME: Schema = {"type": "string", "minLength": 1}
_NAMES: Schema = {"type": "array", "items": _NAME, "uniqueItems": True}
_FLAG: Schema = {"type": "boolean"}


def _items(description: str) -> Schema:
    return {"type": "array", "items": {"type": "object"}, "description": description}


def _state_document() -> Schema:
    """The state document's shape; rules across items (unique ids, ...) are in the docs."""
    collections = {
        name: _items(f"see docs/control-plane.md ({name})")
        for name in ("custom_fields", "sequences", "calendars", "leads", *COMMERCE_KEYS)
    }
    template_properties: Schema = {
        "custom_fields": collections["custom_fields"],
        "tags": _NAMES,
        "lists": _NAMES,
        "sequences": collections["sequences"],
        "calendars": collections["calendars"],
        "pages": _NAMES,
    }
    template = {"type": "object", "additionalProperties": False, "properties": template_properties}
    account = {
        "type": "object",
        "required": ["api_key"],
        "additionalProperties": False,
        "properties": {
            **template_properties,
            **{name: collections[name] for name in ("leads", *COMMERCE_KEYS)},
            "api_key": _NAME,
            "api_password": {
                "type": ["string", "null"],
                "description": "null or absent: any password is accepted",
            },
            "active": _FLAG,
            "next_id": {"type": "integer", "minimum": 1},
        },
    }
    app = {
        "type": "object",
        "required": ["app_id"],
        "additionalProperties": False,
        "properties": {
            "app_id": _NAME,
            "active": _FLAG,
            "owner_active": _FLAG,
            "allowed_ips": _NAMES,
        },
    }
    settings = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "rate_limit": {"type": "integer", "minimum": 0},
            "require_https": _FLAG,
            "content_type": {"enum": ["text/html", "application/json"]},
            "accept_rules": {"type": "array", "items": _STRING},
        },
    }
    return {
        "description": "The whole world: seed file, PUT body and snapshot "
        "(docs/control-plane.md). Rules across items (unique api_keys, app_ids, lead ids "
        "and emails, option ids a lead refers to) are checked too: 422 names the first broken.",
        "type": "object",
        "required": ["accounts"],
        "additionalProperties": False,
        "properties": {
            "auth": {"enum": ["open", "strict"]},
            "settings": settings,
            "apps": {"type": "array", "items": app},
            "template": template,
            "accounts": {"type": "array", "items": account},
        },
    }


def _fault_request() -> dict[str, Schema]:
    """``FaultRequest``: one variant per ``kind``, each listing exactly the fields it takes."""
    common: Schema = {
        "latency_ms": {"type": "number", "minimum": 0, "maximum": MAX_LATENCY_MS},
        "api_key": _NAME,
        "app_id": _NAME,
        "times": {"type": "integer", "minimum": 1},
        "probability": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "seed": {"type": "integer", "description": "only with probability"},
    }
    known = sorted(errors.ERRORS_BY_TYPE, key=int)
    own: dict[FaultKind, tuple[Schema, list[str], list[Schema]]] = {
        FaultKind.KARTRA_ERROR: (
            {
                "type": {
                    "description": "the Kartra type to answer (any number with a message)",
                    "oneOf": [
                        {"type": "string", "pattern": "^0*[0-9]{1,18}$"},
                        {"type": "integer", "minimum": 0, "maximum": MAX_SEQ},
                    ],
                },
                "message": {"description": "a message of your own", **_STRING},
            },
            ["type"],
            [
                {
                    "anyOf": [
                        {"properties": {"type": {"enum": [*known, *map(int, known)]}}},
                        {"required": ["message"], "properties": {"message": {"minLength": 1}}},
                    ]
                }
            ],
        ),
        FaultKind.SERVER_ERROR: (
            {"status": {"enum": list(SERVER_ERROR_STATUSES), "default": 500}},
            [],
            [],
        ),
        FaultKind.LATENCY: (
            {"latency_ms": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_LATENCY_MS}},
            ["latency_ms"],
            [],
        ),
    }
    variants: dict[str, Schema] = {}
    for kind in FaultKind:
        extra, required, rules = own.get(kind, ({}, [], []))
        variants[f"{kind.value}Fault"] = {
            "title": kind.value,
            "type": "object",
            "required": ["kind", *required],
            "additionalProperties": False,
            "properties": {"kind": {"const": kind.value}, **common, **extra},
            "dependentRequired": {"seed": ["probability"]},
            **({"allOf": rules} if rules else {}),
        }
    request = {
        "description": "What goes wrong, and for which calls: the next `times` calls "
        "(default 1), or each call with chance `probability` drawn from `seed` "
        "(reproducible; until cleared unless `times` is given). Scoped by `api_key` "
        "and/or `app_id`; without either, every call. Each `kind` takes its own fields.",
        "oneOf": [_ref(name) for name in variants],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {
                kind.value: f"#/components/schemas/{kind.value}Fault" for kind in FaultKind
            },
        },
    }
    return {"FaultRequest": request, **variants}


def _schemas() -> dict[str, Schema]:
    flat_error = {
        "description": "Kartra's flat error: the whole call failed and nothing changed.",
        "type": "object",
        "required": ["status", "message", "type"],
        "properties": {"status": {"const": "Error"}, "message": _STRING, "type": _ref("ErrorType")},
    }
    return {
        "ErrorType": _error_type(),
        "FlatError": flat_error,
        "RateLimited": {
            **flat_error,
            "description": "HTTP 429: more than the rate limit per app_id and second.",
            "properties": {
                "status": {"const": "Error"},
                "message": {"const": "Too many requests"},
                "type": {"const": "429"},
            },
        },
        "Success": {
            "description": "Success. `actions` has one entry per request action, keyed by its "
            "`cmd`; each entry has its own status (a failed secondary action is reported "
            "there as {status: Error, message, type}).",
            "type": "object",
            "required": ["status"],
            "properties": {
                "status": {"const": "Success"},
                "message": _STRING,
                "lead_details": {"type": "object"},
                "actions": {
                    "type": "array",
                    "items": {"type": "object", "additionalProperties": {"type": "object"}},
                },
            },
        },
        "KartraRequest": {
            "description": "A call, form-encoded with PHP bracket nesting "
            "(`lead[email]=...&actions[0][cmd]=create_lead`), as multipart/form-data, or as "
            "a JSON object with the same structure. Query-string values are merged under "
            "the body, as PHP's $_REQUEST.",
            "type": "object",
            "properties": {
                "app_id": _STRING,
                "api_key": _STRING,
                "api_password": _STRING,
                "lead": _ref("Lead"),
                "actions": {"type": "array", "items": _ref("Action")},
                "get_lead": {
                    "type": "object",
                    "properties": {"id": _STRING, "email": _STRING},
                },
            },
        },
        "Lead": _lead(),
        "Action": _actions(),
        "ControlError": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": _STRING},
        },
        "StateDocument": _state_document(),
        "JournalEntry": {
            "type": "object",
            "properties": {
                "seq": {"type": "integer"},
                "time": {"type": "number"},
                "method": _STRING,
                "path": _STRING,
                "app_id": _STRING,
                "api_key": _STRING,
                "params": {"type": "object"},
                "status_code": {
                    "type": "integer",
                    "description": "0 when a drop fault closed the connection",
                },
                "response": {"type": "object"},
                "warnings": {"type": "array", "items": _ref("ContractWarning")},
                "duration_ms": {"type": "number"},
                "fault": {"oneOf": [{"type": "null"}, {"type": "object"}]},
            },
        },
        "ContractWarning": {
            "type": "object",
            "properties": {
                "rule": _STRING,
                "detail": _STRING,
                "source": {"enum": ["documented", "observed", "inferred"]},
                "reference": _STRING,
                "accepted": {
                    "type": "boolean",
                    "description": "the rule is accepted (--accept-rule, settings.accept_rules)",
                },
            },
        },
        **_fault_request(),
        "ScheduledFault": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "kind": {"enum": [kind.value for kind in FaultKind]},
                "remaining": {"oneOf": [{"type": "null"}, {"type": "integer"}]},
                "fired": {"type": "integer"},
            },
        },
    }


def _api_operation(operation_id: str, method: str) -> Schema:
    kartra_answer = {"oneOf": [_ref("Success"), _ref("FlatError")]}
    operation: Schema = {
        "operationId": operation_id,
        "summary": "Kartra's inbound API: one call, one lead, a chain of actions",
        "tags": ["kartra"],
        "security": [],
        "responses": {
            "200": {
                "description": "Every Kartra answer, errors included (Content-Type text/html "
                "by default, as real Kartra; application/json with --content-type json).",
                "content": {
                    "text/html": {"schema": kartra_answer},
                    "application/json": {"schema": kartra_answer},
                },
            },
            "413": _json(_ref("ControlError"), "The body is larger than 64 MiB."),
            "429": {
                "description": "Rate limited (no Retry-After header, as Kartra documents none).",
                "content": {
                    "text/html": {"schema": _ref("RateLimited")},
                    "application/json": {"schema": _ref("RateLimited")},
                },
            },
            "5XX": {
                "description": "Only when a server_error fault is injected: an HTML page.",
                "content": {"text/html": {"schema": _STRING}},
            },
        },
    }
    if method == "post":
        nested = {"style": "deepObject", "explode": True}
        encoding = {"lead": nested, "actions": nested, "get_lead": nested}
        operation["requestBody"] = {
            # No body is a call too: Kartra answers it (238, empty app_id), HTTP 200.
            "required": False,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": _ref("KartraRequest"),
                    "encoding": encoding,
                },
                "multipart/form-data": {"schema": _ref("KartraRequest")},
                "application/json": {"schema": _ref("KartraRequest")},
            },
        }
    else:
        operation["parameters"] = [
            {"name": name, "in": "query", "schema": _STRING}
            for name in ("app_id", "api_key", "api_password")
        ] + [
            {
                "name": name,
                "in": "query",
                "style": "deepObject",
                "explode": True,
                "schema": {"type": "object"},
            }
            for name in ("lead", "actions", "get_lead")
        ]
    return operation


def _control(
    operation_id: str,
    summary: str,
    ok: Schema,
    *,
    body: Schema | None = None,
    parameters: list[Schema] | None = None,
    errors_: dict[str, str] | None = None,
) -> Schema:
    operation: Schema = {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["control plane"],
        # The admin token is optional: needed only when the server was given one.
        "security": [{"adminBearer": []}, {"adminHeader": []}, {}],
        "responses": {
            "200": _json(ok, "Done."),
            "401": _json(_ref("ControlError"), "An admin token is set and was not sent."),
            **{status: _json(_ref("ControlError"), why) for status, why in (errors_ or {}).items()},
        },
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    if parameters:
        operation["parameters"] = parameters
    return operation


def _query(name: str, description: str) -> Schema:
    return {"name": name, "in": "query", "description": description, "schema": _STRING}


def _path(name: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": _STRING}


def _inspector_paths(open_route: Schema) -> dict[str, Schema]:
    pages = (
        (
            PAGE_PATH,
            "inspector",
            "The web inspector: accounts, leads, calls and webhook deliveries, live",
            "text/html",
        ),
        ("/_mock/inspector.js", "inspectorScript", "The inspector's script", "text/javascript"),
        ("/_mock/inspector.css", "inspectorStyles", "The inspector's stylesheet", "text/css"),
        (
            "/_mock/webhooks.js",
            "inspectorWebhooksScript",
            "The inspector's Webhooks tab (the delivery journal)",
            "text/javascript",
        ),
    )
    return {
        path: {
            "get": {
                **open_route,
                "operationId": operation_id,
                "summary": summary,
                "responses": {
                    "200": {
                        "description": f"{summary}.",
                        "content": {media_type: {"schema": _STRING}},
                    }
                },
            }
        }
        for path, operation_id, summary, media_type in pages
    }


def _journal_operation(api_key: Schema) -> Schema:
    since = {
        "name": "since",
        "in": "query",
        "description": "only the calls after this seq (what a watcher has already seen)",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_SEQ},
    }
    operation = _control(
        "getJournal",
        "The request journal",
        {
            "type": "object",
            "properties": {"requests": {"type": "array", "items": _ref("JournalEntry")}},
        },
        parameters=[api_key, since],
        errors_={"422": f"since is not an integer from 0 to {MAX_SEQ}."},
    )
    operation["responses"]["200"]["headers"] = clears_header(
        JOURNAL_CLEARS_HEADER, "the journal was cleared or reset"
    )
    return operation


def _paths() -> dict[str, Schema]:
    api_key = _query("api_key", "only this account")
    open_route = {"security": [], "tags": ["control plane"]}
    return {
        "/api": {
            "post": _api_operation("callKartra", "post"),
            "get": _api_operation("callKartraByQuery", "get"),
        },
        "/api/": {
            "post": _api_operation("callKartraSlash", "post"),
            "get": _api_operation("callKartraSlashByQuery", "get"),
        },
        "/_mock/health": {
            "get": {
                **open_route,
                "operationId": "health",
                "summary": "Ready to answer /api",
                "responses": {"200": _json(_HEALTH, "Healthy, and the mock's version.")},
            }
        },
        OPENAPI_PATH: {
            "get": {
                **open_route,
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1.")},
            }
        },
        **_inspector_paths(open_route),
        "/_mock/reset": {
            "post": _control(
                "reset",
                "Back to the initial world; empties the journal and clears the faults",
                _OK,
                parameters=[api_key],
            )
        },
        "/_mock/state": {
            "get": _control("getState", "The world as a state document", _ref("StateDocument")),
            "put": _control(
                "putState",
                "Replace the world (and the world reset returns to)",
                _OK,
                body=_ref("StateDocument"),
                errors_={"422": "Invalid document; nothing changed."},
            ),
        },
        "/_mock/accounts/{api_key}/leads/{lead_id}/delete": {
            "post": _control(
                "deleteLead",
                "Mark a lead deleted (Kartra's UI action)",
                _OK,
                parameters=[_path("api_key"), _path("lead_id")],
                errors_={"404": "No such account or lead."},
            )
        },
        **seeding_paths(_control, _path),
        "/_mock/requests": {
            "get": _journal_operation(api_key),
            "delete": _control("clearJournal", "Empty the journal", _OK, parameters=[api_key]),
        },
        "/_mock/faults": {
            "get": _control(
                "listFaults",
                "The pending faults",
                {
                    "type": "object",
                    "properties": {"faults": {"type": "array", "items": _ref("ScheduledFault")}},
                },
            ),
            "post": _control(
                "scheduleFault",
                "Schedule a fault",
                {"type": "object", "properties": {"fault": _ref("ScheduledFault")}},
                body=_ref("FaultRequest"),
                errors_={"422": "Invalid fault; nothing scheduled."},
            ),
            "delete": _control(
                "clearFaults",
                "Unschedule every fault (or one account's)",
                _OK,
                parameters=[api_key],
            ),
        },
        "/_mock/faults/{fault_id}": {
            "delete": _control(
                "removeFault",
                "Unschedule one fault",
                _OK,
                parameters=[_path("fault_id")],
                errors_={"404": "No pending fault with that id."},
            )
        },
        **outbound_paths(_control, _OK),
        "/_mock/snapshot": {
            "post": _control(
                "snapshot",
                "Write the world to the --state file, atomically",
                {
                    "type": "object",
                    "properties": {"path": _STRING, "bytes": {"type": "integer"}},
                },
                errors_={"409": "The server has no --state file.", "500": "The write failed."},
            )
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``/api`` and ``/_mock``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kartra-mock",
            "version": __version__,
            "summary": "A faithful, stateful fake of Kartra's inbound API, and its control plane.",
            "description": "`/api` behaves as https://app.kartra.com/api does: one POST "
            "endpoint, PHP-style form bodies, every answer HTTP 200 with a numeric `type` "
            "for errors (429 for the rate limit). `/_mock/...` is the mock's own control plane.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        # Relative: the server that served this document, whatever its host and port.
        "servers": [{"url": "/", "description": "the kartra-mock that served this document"}],
        "tags": [
            {"name": "kartra", "description": "What real Kartra answers"},
            {"name": "control plane", "description": "The mock's own routes"},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "adminBearer": {"type": "http", "scheme": "bearer"},
                "adminHeader": {"type": "apiKey", "in": "header", "name": "X-Admin-Token"},
            },
        },
    }


def openapi_routes() -> list[Route]:
    """``GET /_mock/openapi.json``."""
    built: list[dict[str, Any]] = []  # built on first request: most apps never serve it

    async def openapi(request: Request) -> Response:
        if not built:
            built.append(openapi_document())
        return JSONResponse(built[0])

    return [Route(OPENAPI_PATH, openapi, methods=["GET"])]
