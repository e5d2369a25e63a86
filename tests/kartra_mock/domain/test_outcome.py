"""One outcome per call: the reply carries what the journal, the log line and the report read."""

from __future__ import annotations

import json

from kartra_mock.domain.calls import commands_of
from kartra_mock.engine.backend import ApiRequest, Backend, Overrides
from kartra_mock.engine.faults import Fault, FaultKind, FaultSchedule
from kartra_mock.protocol.forms import PhpValue
from tests.helpers import DEMO


def _call(backend: Backend, actions: dict[str, PhpValue], **lead: str) -> ApiRequest:
    return ApiRequest(params={**DEMO, "lead": dict(lead), "actions": actions})


def test_a_chain_names_its_commands_and_the_error_of_its_failed_action() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    actions: dict[str, PhpValue] = {
        "0": {"cmd": "create_lead"},
        "1": {"cmd": "assign_tag", "tag_name": "No such tag"},
    }
    reply = backend.handle(_call(backend, actions, email="ada@example.com"))
    assert reply.commands == ("create_lead", "assign_tag")
    assert [kind for kind, _ in reply.errors] == ["212"]
    assert reply.result == "Success"
    assert json.loads(reply.payload) == reply.body
    assert reply.content_type == "text/html"
    shown = backend.journal()[0].to_json()
    assert shown["commands"] == ["create_lead", "assign_tag"]
    assert shown["errors"] == [{"type": "212", "message": reply.errors[0][1]}]


def test_a_flat_error_a_rate_limit_and_a_fault_are_each_one_error() -> None:
    backend = Backend(overrides=Overrides(rate_limit=1, content_type="application/json"))
    search: dict[str, PhpValue] = {"0": {"cmd": "search_lead"}}
    missing = backend.handle(_call(backend, search, email="nobody@example.com"))
    assert missing.errors == (("243", "No lead found"),)
    assert missing.content_type == "application/json"
    limited = backend.handle(_call(backend, search, email="nobody@example.com"))
    assert (limited.status_code, limited.errors) == (429, (("429", "Too many requests"),))
    backend.schedule_fault(FaultSchedule(Fault(FaultKind.KARTRA_ERROR, type_code="204")))
    faulted = backend.handle(_call(backend, search, email="nobody@example.com"))
    assert [kind for kind, _ in faulted.errors] == ["204"]
    assert faulted.commands == ("search_lead",)


def test_commands_are_read_from_the_parameters_even_when_the_call_fails_early() -> None:
    params: dict[str, object] = {
        "get_lead": {"id": "1"},
        "actions": {"0": {"cmd": "create_lead"}, "1": {"tag_name": "x"}, "2": "junk"},
    }
    assert commands_of(params) == ("get_lead", "create_lead", "?", "?")
    backend = Backend(overrides=Overrides(rate_limit=0))
    reply = backend.handle(ApiRequest(params={"app_id": "", **params}))  # type: ignore[dict-item]
    assert reply.commands == ("get_lead", "create_lead", "?", "?")
    assert [kind for kind, _ in reply.errors] == ["238"]


def test_a_short_form_call_is_recorded_without_being_walked_and_a_long_one_is_cut() -> None:
    backend = Backend(overrides=Overrides(rate_limit=0))
    actions: dict[str, PhpValue] = {"0": {"cmd": "create_lead"}}
    backend.handle(
        ApiRequest(
            params={**DEMO, "lead": {"email": "a@example.com"}, "actions": actions}, wire_size=150
        )
    )
    small = backend.journal_size()
    assert 150 < small < 1000
    long_name = "x" * 100_000
    params: dict[str, PhpValue] = {
        **DEMO,
        "lead": {"email": "b@example.com", "first_name": long_name},
        "actions": actions,
    }
    backend.handle(ApiRequest(params=params, wire_size=100_200))
    kept = backend.journal()[-1].params["lead"]
    assert isinstance(kept, dict)
    assert len(str(kept["first_name"])) < len(long_name)
