"""Typed views of Kartra's outbound calls, for receivers: parse a webhook body or an IPN form.

Example (inside any web framework's handler)::

    event = parse_webhook(raw_body)          # raises WebhookFormatError if it is not one
    if event.action == "assign_tag":
        tag = event.details.get("tag", {})
    ipn = parse_ipn(form)                    # "N/A" values read as None
    if ipn.secret_key != MY_SECRET: ...

See ``docs/webhooks.md`` for the shapes and which parts are documented.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kartra_mock.protocol.outbound import NOT_AVAILABLE, WEBHOOK_ACTIONS

__all__ = ["IpnNotification", "WebhookEvent", "WebhookFormatError", "parse_ipn", "parse_webhook"]


class WebhookFormatError(ValueError):
    """The body is not a Kartra webhook (not a JSON object with an ``action``)."""


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One Outbound API call: the action, the lead's profile and the action's details."""

    action: str
    lead: Mapping[str, Any]
    details: Mapping[str, Any]

    @property
    def documented(self) -> bool:
        """Whether ``action`` is one Kartra documents (a receiver should accept others too)."""
        return self.action in WEBHOOK_ACTIONS

    @property
    def lead_email(self) -> str | None:
        """The lead's email, if the payload has one."""
        email = self.lead.get("email")
        return email if isinstance(email, str) and email not in ("", NOT_AVAILABLE) else None

    @property
    def lead_id(self) -> str | None:
        """The lead's id as a string, if the payload has one."""
        value = self.lead.get("id")
        return None if value in (None, "", NOT_AVAILABLE) else str(value)


def parse_webhook(body: bytes | str | Mapping[str, Any]) -> WebhookEvent:
    """The webhook in a raw body (or an already decoded JSON object)."""
    value: object = body
    if isinstance(body, bytes | str):
        try:
            value = json.loads(body)
        except ValueError as exc:
            raise WebhookFormatError(f"the body is not JSON: {exc}") from None
    if not isinstance(value, Mapping):
        raise WebhookFormatError("the body is not a JSON object")
    action = value.get("action")
    if not isinstance(action, str):
        raise WebhookFormatError("the body has no 'action' string")
    lead = value.get("lead")
    details = value.get("action_details")
    return WebhookEvent(
        action,
        lead if isinstance(lead, Mapping) else {},
        details if isinstance(details, Mapping) else {},
    )


@dataclass(frozen=True, slots=True)
class IpnNotification:
    """One IPN: Kartra's flat variables; :meth:`get` reads ``N/A`` as ``None``."""

    variables: Mapping[str, str]

    def get(self, name: str) -> str | None:
        """A variable's value, ``None`` when absent or ``N/A``."""
        value = self.variables.get(name)
        return None if value is None or value == NOT_AVAILABLE else value

    @property
    def transaction_type(self) -> str | None:
        """``sale``, ``refund``, ``partial_refund``, ``rebill``, ``cancellation``, …"""
        return self.get("transaction_type")

    @property
    def transaction_id(self) -> str | None:
        """The transaction's id."""
        return self.get("transaction_id")

    @property
    def secret_key(self) -> str | None:
        """The secret set for this notification: compare it with yours."""
        return self.get("secret_key")


def parse_ipn(body: bytes | str | Mapping[str, str]) -> IpnNotification:
    """The IPN in a form-encoded body (or already decoded form variables)."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str):
        return IpnNotification(dict(urllib.parse.parse_qsl(body, keep_blank_values=True)))
    return IpnNotification(dict(body))
