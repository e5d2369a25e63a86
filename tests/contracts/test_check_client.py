"""check_client: the reference clients pass; every deliberately wrong client is caught, by the
rule that names its bug, with a readable minimal example."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from contracts import (
    Chain,
    ContractFailure,
    Outcome,
    Target,
    Unsupported,
    async_reference_client,
    check_client,
    reference_client,
)
from contracts.api import ReferenceClientAdapter
from contracts.report import Status
from kartra_mock import create_app
from kartra_mock.client import KartraClient
from kartra_mock.server.threaded import ThreadedServer
from kartra_mock.testing import KartraMock
from tests.contracts.wrong_clients import (
    WRONG_CLIENTS,
    ResubmitsAfterTimeout,
    SendsCheckboxAsScalar,
    TreatsDuplicateAsSuccess,
    adapting,
)

pytestmark = [pytest.mark.slow, pytest.mark.socket]


def test_the_sync_reference_client_passes() -> None:
    report = check_client(reference_client())
    assert report.ok, report.render()
    assert {result.status for result in report.results} == {Status.PASSED}
    assert "resilience.retry-after-429" in {result.rule for result in report.results}
    assert report.exercised["chain"] > 0


def test_the_async_reference_client_passes() -> None:
    report = check_client(async_reference_client())
    assert report.ok, report.render()


@pytest.fixture(scope="module")
def socket_mock() -> Iterator[KartraMock]:
    """A mock on a real socket: a client's own timeouts only fire on one."""
    with ThreadedServer(create_app()) as server:
        mock = KartraMock.remote(server.url)
        yield mock
        mock.close()


WRONG = sorted(WRONG_CLIENTS.items(), key=lambda item: item[0].__name__)


@pytest.mark.parametrize(("client", "rules"), WRONG, ids=[client.__name__ for client, _ in WRONG])
def test_each_wrong_client_is_caught_with_a_minimal_example(
    client: type[KartraClient], rules: frozenset[str], socket_mock: KartraMock
) -> None:
    mock: KartraMock | None = None
    chosen: list[str] | None = None  # the whole suite...
    if all(rule.startswith("resilience.") for rule in rules):
        chosen = ["resilience"]  # ...but a fault-only bug passes every other rule: skip them
    if client is ResubmitsAfterTimeout:
        # It times out after 15 ms: over a socket, and only in the one rule where the mock is
        # told to be slow, so that nothing else ever times out.
        mock, chosen = socket_mock, ["resilience.no-double-submit"]
    with pytest.raises(ContractFailure) as caught:
        check_client(adapting(client), mock=mock, rules=chosen, fail_fast=True)
    (failure,) = caught.value.report.failures
    assert failure.rule in rules, failure.render()
    assert failure.example.startswith(("Failing test case: ", "Failing explicit example: "))
    assert failure.detail, failure.render()
    assert "Minimal failing example" in str(caught.value)


def test_create_and_read_tries_every_custom_field_whatever_hypothesis_draws() -> None:
    # Which examples hypothesis draws shifts with any constant in the project's source; a
    # one-option checkbox must not depend on that draw.
    report = check_client(
        adapting(SendsCheckboxAsScalar), rules=["leads.create-and-read"], raise_on_failure=False
    )
    (failure,) = report.failures
    assert failure.example.startswith("Failing explicit example: "), failure.render()


class NoChains(ReferenceClientAdapter):
    """An adapter for a client without chains: it says so, and those calls are skipped."""

    def chain(self, chain: Chain) -> Outcome:
        raise Unsupported("this client sends one action per call")


def test_calls_a_client_cannot_make_are_skipped_and_counted() -> None:
    def factory(target: Target) -> NoChains:
        return NoChains(KartraClient(**target.client_options()))

    report = check_client(factory, rules=["leads.stateful", "chains"], resilience=False)
    assert report.ok, report.render()
    assert report.exercised["chain (unsupported)"] > 0
    assert "chain" not in report.exercised


def test_a_report_without_raising() -> None:
    report = check_client(
        adapting(TreatsDuplicateAsSuccess),
        rules=["leads.duplicate-is-244"],
        raise_on_failure=False,
    )
    assert not report.ok
    assert report.to_json()["ok"] is False
