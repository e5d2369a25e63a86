"""The same request raises the same contract warnings whatever the answer (docs/contracts.md)."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from kartra_mock.engine.backend import ApiRequest, Backend, Overrides
from kartra_mock.engine.faults import parse_schedule
from kartra_mock.engine.state import DEFAULT_DOCUMENT
from kartra_mock.protocol.forms import PhpValue

CREDENTIALS: dict[str, PhpValue] = {
    "app_id": "demo-app",
    "api_key": "demo-key",
    "api_password": "demo-password",
}
#: Two warnings from the lead map, one from the chain's secondary action, one top-level.
LEAD: dict[str, PhpValue] = {
    "email": "ada@example.com",
    "colour": "red",
    "custom_fields": {"0": {"field_identifier": "nope", "field_value": "x"}},
}
EXPECTED = [
    "request.unknown-parameter",
    "request.unknown-parameter",
    "lead.unknown-field",
    "lead.unknown-custom-field",
]


def _params(cmd: str) -> dict[str, PhpValue]:
    return {
        **CREDENTIALS,
        "extra": "1",
        "lead": copy.deepcopy(LEAD),
        "actions": {"0": {"cmd": cmd}, "1": {"cmd": "assign_tag", "tag_name": "Customer", "x": ""}},
    }


def _rules(backend: Backend, params: dict[str, PhpValue]) -> tuple[int, object, list[str]]:
    reply = backend.handle(ApiRequest(params))
    journal = backend.journal()[-1]
    assert [w.rule for w in journal.warnings] == [w.rule for w in reply.warnings]
    body = reply.body
    kind: object = body.get("type")
    entries = body.get("actions")
    if kind is None and isinstance(entries, list) and len(entries) > 1:
        entry = next(iter(entries[1].values()))
        kind = entry.get("type") if entry.get("status") == "Error" else None
    return reply.status_code, kind, sorted(w.rule for w in reply.warnings)


def _document(**account: object) -> dict[str, object]:
    document = copy.deepcopy(dict(DEFAULT_DOCUMENT))
    accounts = document["accounts"]
    assert isinstance(accounts, list)
    accounts[0].update(account)
    return document


Setup = Callable[[Backend], None]


def _nothing(backend: Backend) -> None:
    pass


def _create_first(backend: Backend) -> None:
    backend.handle(
        ApiRequest(
            {
                **CREDENTIALS,
                "lead": {"email": "ada@example.com"},
                "actions": {"0": {"cmd": "create_lead"}},
            }
        )
    )


def _create_then_delete(backend: Backend) -> None:
    _create_first(backend)
    assert backend.delete_lead("demo-key", 1)


def _fault(document: dict[str, object]) -> Setup:
    def schedule(backend: Backend) -> None:
        backend.schedule_fault(parse_schedule(document))

    return schedule


@pytest.mark.parametrize(
    ("cmd", "document", "setup", "outcome"),
    [
        ("create_lead", None, _nothing, (200, None)),
        ("create_lead", None, _create_first, (200, "244")),
        ("edit_lead", None, _nothing, (200, "243")),
        ("edit_lead", None, _create_first, (200, None)),
        ("edit_lead", None, _create_then_delete, (200, "245")),
        ("create_lead", _document(tags=[]), _nothing, (200, "212")),
        ("create_lead", _document(active=False), _nothing, (200, "204")),
        ("create_lead", _document(api_password="other"), _nothing, (200, "233")),
        ("create_lead", None, _fault({"kind": "kartra_error", "type": "243"}), (200, "243")),
        ("create_lead", None, _fault({"kind": "rate_limit"}), (429, "429")),
        ("create_lead", None, _fault({"kind": "server_error", "status": 503}), (503, None)),
        ("create_lead", None, _fault({"kind": "drop"}), (0, None)),
    ],
)
def test_the_same_request_gets_the_same_warnings_whatever_the_outcome(
    cmd: str, document: dict[str, object] | None, setup: Setup, outcome: tuple[int, object]
) -> None:
    backend = Backend(document, overrides=Overrides(rate_limit=0))
    setup(backend)
    status, kind, rules = _rules(backend, _params(cmd))
    assert (status, kind) == outcome
    assert rules == sorted(EXPECTED)


def test_a_rate_limited_call_keeps_its_warnings() -> None:
    backend = Backend(overrides=Overrides(rate_limit=1))
    first = _rules(backend, _params("create_lead"))
    second = _rules(backend, _params("edit_lead"))
    assert (first[0], second[:2]) == (200, (429, "429"))
    assert first[2] == second[2] == sorted(EXPECTED)


def test_a_malformed_custom_field_keeps_the_warnings_found_in_the_rest() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    params = _params("create_lead")
    lead = params["lead"]
    assert isinstance(lead, dict)
    lead["custom_fields"] = {"0": {"field_identifier": "nope", "field_value": "x"}, "1": "junk"}
    status, kind, rules = _rules(backend, params)
    assert (status, kind) == (200, "271")
    assert rules == sorted(EXPECTED)
