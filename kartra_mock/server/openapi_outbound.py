"""The OpenAPI paths of the outbound control plane (configuration, triggers, deliveries)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kartra_mock.outbound.delivery import FAULT_KINDS
from kartra_mock.protocol.outbound import WEBHOOK_ACTIONS
from kartra_mock.server.outbound import DELIVERY_CLEARS_HEADER

__all__ = ["clears_header", "outbound_paths"]

Schema = dict[str, Any]
_STRING: Schema = {"type": "string"}
_URL: Schema = {"type": "string", "pattern": "^https?://"}
_EVERY_ACCOUNT: Schema = {
    "type": ["string", "null"],
    "minLength": 1,
    "description": "null or absent: every account",
}
_WHOLE: Schema = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
_ACTION: Schema = {"type": "string", "enum": list(WEBHOOK_ACTIONS)}


def _receivers(**properties: Schema) -> Schema:
    """A list of receivers: each a ``url``, these ``properties`` and an optional ``api_key``."""
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["url"],
            "additionalProperties": False,
            "properties": {"url": _URL, **properties, "api_key": _EVERY_ACCOUNT},
        },
    }


def clears_header(name: str, what: str) -> dict[str, Schema]:
    """The response header that counts how many times ``what`` was emptied (for watchers)."""
    return {
        name: {
            "description": f"How many times {what}: when it changes, "
            "what a watcher already shows was forgotten.",
            "schema": {"type": "integer", "minimum": 0},
        }
    }


_OUTBOUND: Schema = {
    "type": "object",
    "description": "Webhook URLs with their actions, IPN URLs with their secret key.",
    "properties": {
        "webhooks": _receivers(events={"type": "array", "items": _ACTION}),
        "ipn": _receivers(
            secret_key=_STRING,
            product_id={
                "type": ["integer", "null"],
                "minimum": 0,
                "maximum": 10**18 - 1,
                "description": "null or absent: every product",
            },
        ),
        "delivery": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "retries": _WHOLE,
                "retry_delay_ms": _WHOLE,
                "timeout_s": {"type": "number", "exclusiveMinimum": 0},
            },
        },
    },
}
_TRIGGER: Schema = {
    "type": "object",
    "required": ["action", "lead"],
    "properties": {
        "action": _ACTION,
        "lead": {"description": "The lead's email or id.", "type": ["string", "integer"]},
        "api_key": {**_STRING, "default": "demo-key"},
        "details": {"type": "object", "description": "action_details to send"},
        "product_id": {"type": "integer"},
        "price_point": {"type": "integer"},
    },
}
_DELIVERY: Schema = {
    "type": "object",
    "properties": {
        "seq": {"type": "integer"},
        "time": {"type": "number"},
        "url": _STRING,
        "kind": {"type": "string", "enum": ["webhook", "ipn"]},
        "event": _STRING,
        "api_key": _STRING,
        "payload": {"type": "object"},
        "status_code": {"type": ["integer", "null"]},
        "latency_ms": {"type": "number"},
        "attempt": {"type": "integer"},
        "error": _STRING,
        "fault": _STRING,
    },
}
_FAULT: Schema = {
    "type": "object",
    "required": ["kind"],
    "properties": {
        "kind": {"type": "string", "enum": list(FAULT_KINDS)},
        "count": {"type": "integer", "minimum": 1},
        "delay_ms": {"type": "integer", "minimum": 0, "maximum": 60000},
    },
}


def _list_deliveries(control: Callable[..., Schema], invalid: dict[str, str]) -> Schema:
    operation = control(
        "listDeliveries",
        "The delivery journal: every attempt to deliver a webhook or IPN",
        {"type": "object", "properties": {"deliveries": {"type": "array", "items": _DELIVERY}}},
        parameters=[
            {
                "name": "since",
                "in": "query",
                "description": "only the attempts after this seq",
                "schema": _WHOLE,
            }
        ],
        errors_=invalid,
    )
    operation["responses"]["200"]["headers"] = clears_header(
        DELIVERY_CLEARS_HEADER, "the delivery journal was emptied (DELETE, reset)"
    )
    return operation


def outbound_paths(control: Callable[..., Schema], ok: Schema) -> dict[str, Schema]:
    """The paths, built with the main document's operation builder."""
    invalid = {"422": "Invalid; nothing changed."}
    faults = {"type": "object", "properties": {"faults": {"type": "array", "items": _FAULT}}}
    return {
        "/_mock/outbound": {
            "get": control("getOutbound", "Where webhooks and IPNs go", _OUTBOUND),
            "put": control(
                "putOutbound",
                "Replace the outbound configuration",
                _OUTBOUND,
                body=_OUTBOUND,
                errors_=invalid,
            ),
        },
        "/_mock/trigger": {
            "post": control(
                "trigger",
                "Make an event with no inbound command happen (buy_product records a sale)",
                {"type": "object", "properties": {"status": _STRING, "queued": {"type": "array"}}},
                body=_TRIGGER,
                errors_=invalid,
            )
        },
        "/_mock/deliveries": {
            "get": _list_deliveries(control, invalid),
            "delete": control("clearDeliveries", "Empty the delivery journal", ok),
        },
        "/_mock/deliveries/faults": {
            "get": control("listDeliveryFaults", "The pending delivery faults", faults),
            "post": control(
                "scheduleDeliveryFault",
                "Duplicate, reorder or delay the next deliveries",
                faults,
                body=_FAULT,
                errors_=invalid,
            ),
        },
    }
