"""verify_server: the mock passes in-process and over HTTP; broken fakes are caught; against
"the real Kartra" the suite touches only its own leads and stays under 20 calls per second."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from contracts import ContractFailure, verify_server
from contracts.report import Status
from contracts.verify import VERIFY_DOMAIN
from contracts.world import API_KEY, API_PASSWORD, world_document
from kartra_mock.engine.state import DEFAULT_DOCUMENT
from tests.contracts.servers import (
    IN_PROCESS_URL,
    FakeTime,
    Recording,
    in_process,
    mock_app,
    numeric_types,
    on_a_socket,
    prefers_email,
    rewriting_answers,
    rewriting_requests,
)

pytestmark = [pytest.mark.slow, pytest.mark.socket]

CREDENTIALS = ("demo-app", API_KEY, API_PASSWORD)


def test_the_mock_passes_in_process() -> None:
    with in_process(mock_app()) as transport:
        report = verify_server(IN_PROCESS_URL, *CREDENTIALS, transport=transport)
    assert report.ok, report.render()
    statuses = {result.rule: result.status for result in report.results}
    assert set(statuses.values()) == {Status.PASSED}
    assert "leads.deleted-is-245" in statuses  # the control plane was found and used
    assert "chains.lead-command-first" in statuses
    assert not any(rule.startswith("resilience.") for rule in statuses)  # client rules


def test_the_mock_passes_over_http_with_its_built_in_world() -> None:
    state = copy.deepcopy(DEFAULT_DOCUMENT)
    with on_a_socket(mock_app(state)) as url:
        report = verify_server(url + "/api/", "demo-app", "demo-key", "demo-password")
    assert report.ok, report.render()
    assert report.exercised["create_lead"] > 0


def test_a_fake_that_lets_the_email_win_over_the_id_is_caught() -> None:
    app = rewriting_requests(mock_app(), prefers_email)
    with in_process(app) as transport:
        report = verify_server(
            IN_PROCESS_URL,
            *CREDENTIALS,
            transport=transport,
            rules=["leads.id-beats-email"],
            raise_on_failure=False,
        )
    (result,) = report.failures
    assert result.rule == "leads.id-beats-email"
    assert "the call names lead" in result.detail or "differs" in result.detail
    assert "the_id_wins(" in result.example


def test_a_fake_with_numeric_types_is_caught_by_the_envelope_checks() -> None:
    app = rewriting_answers(mock_app(), numeric_types)
    with in_process(app) as transport, pytest.raises(ContractFailure) as failure:
        verify_server(IN_PROCESS_URL, *CREDENTIALS, transport=transport, fail_fast=True)
    report = failure.value.report
    assert len(report.failures) == 1
    assert "expected a JSON string" in report.failures[0].detail
    assert "Minimal failing example" in str(failure.value)


def test_the_real_kartra_needs_an_opt_in_and_nothing_is_sent_without_it() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a request went out: {request.url}")

    with pytest.raises(ValueError, match="real_kartra=True"):
        verify_server(
            "https://app.kartra.com/api",
            "app",
            "key",
            "password",
            transport=httpx.MockTransport(refuse),
        )


def _params(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(request.content.decode()))


def test_against_the_real_kartra_only_its_own_leads_are_touched_slowly_enough() -> None:
    """Played against the mock: the foreign lead is never named, no control plane is used,
    every address is the suite's, and no second holds 20 calls."""
    world: dict[str, Any] = world_document()
    foreign = {"id": 1, "email": "customer@their-shop.com", "first_name": "Keep"}
    world["accounts"][0]["leads"] = [foreign]
    time = FakeTime()
    with in_process(mock_app(world)) as inner:
        recording = Recording(inner, time.clock)
        report = verify_server(
            IN_PROCESS_URL,
            *CREDENTIALS,
            real_kartra=True,
            transport=recording,
            sleep=time.sleep,
            clock=time.clock,
            rules=[
                "leads.id-beats-email",
                "leads.new-email",
                "leads.deleted-is-245",
                "leads.stateful",
            ],
        )
        state = httpx.Client(transport=inner, base_url=IN_PROCESS_URL).get("/_mock/state").json()
    assert report.ok, report.render()
    statuses = {result.rule: result.status for result in report.results}
    assert statuses["leads.deleted-is-245"] is Status.SKIPPED
    paths = {request.url.path for _, request in recording.sent}
    assert paths == {"/api"}
    for _, request in recording.sent:
        params = _params(request)
        assert "1" not in (params.get("lead[id]"), params.get("get_lead[id]"))
        for key in ("lead[email]", "lead[new_email]", "get_lead[email]"):
            if key in params:
                assert params[key].lower().endswith("@" + VERIFY_DOMAIN), params
                assert params[key].lower().startswith("kmv"), params
    times = [at for at, _ in recording.sent]
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest < 20
    leads = state["accounts"][0]["leads"]
    assert {key: leads[0][key] for key in foreign} == foreign
