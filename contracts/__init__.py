"""contracts: a hypothesis kit that checks any Kartra client, or any Kartra server, against
Kartra's documented behaviour.

Two directions, one suite of rules (:mod:`contracts.suite`):

* :func:`check_client` — *your* client against the mock: every call it makes must agree with a
  deliberately naive model of Kartra (:mod:`contracts.model`), its requests must raise no
  contract warning, and under injected faults it must retry as Kartra advises and never submit
  a lead twice. Your client plugs in through an adapter (:mod:`contracts.api`).
* :func:`check_webhook_handler` — *your* receiver of Kartra's webhooks, fed generated events
  (:mod:`contracts.webhooks`).
* :func:`verify_server` — any server (the mock, or the real Kartra with ``real_kartra=True``)
  driven by the contracts' own raw-HTTP client: a "verified fake" check that detects drift.

This package never imports ``kartra_mock.domain`` or ``kartra_mock.server``: it judges any
client/server pair, the mock included, so the mock's bugs stay visible (CONTRIBUTING.md).

Example::

    import contracts
    from contracts.api import reference_client

    contracts.check_client(reference_client())                       # raises on failure
    contracts.verify_server("http://127.0.0.1:8765", "demo-app", "demo-key", "demo-password")
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401  (imported below anyway; here, to say what is missing)
except ModuleNotFoundError as exc:  # e.g. the server-only Docker image
    raise ModuleNotFoundError(
        "the contracts kit needs hypothesis, which this environment lacks: "
        "pip install 'hypothesis>=6.100' (a plain `pip install kartra-mock` brings it)",
        name="hypothesis",
    ) from exc

from contracts import profiles
from contracts.api import (
    Adapter,
    AdapterFactory,
    AsyncReferenceClientAdapter,
    ReferenceClientAdapter,
    Target,
    Unsupported,
    async_reference_client,
    reference_client,
)
from contracts.calls import Action, Chain, CustomEntry, Identity, LeadData
from contracts.check import check_client
from contracts.http import HttpAdapter
from contracts.outcomes import TRANSPORT, ActionOutcome, LeadView, Outcome
from contracts.report import ContractFailure, Report, RuleResult
from contracts.suite import RULES
from contracts.verify import verify_server
from contracts.webhooks import check_webhook_handler

__all__ = [
    "RULES",
    "TRANSPORT",
    "Action",
    "ActionOutcome",
    "Adapter",
    "AdapterFactory",
    "AsyncReferenceClientAdapter",
    "Chain",
    "ContractFailure",
    "CustomEntry",
    "HttpAdapter",
    "Identity",
    "LeadData",
    "LeadView",
    "Outcome",
    "ReferenceClientAdapter",
    "Report",
    "RuleResult",
    "Target",
    "Unsupported",
    "async_reference_client",
    "check_client",
    "check_webhook_handler",
    "profiles",
    "reference_client",
    "verify_server",
]
