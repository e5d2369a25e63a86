"""KartraMock, the handle behind the pytest fixtures: seeding and fault helpers."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kartra_mock import errors
from kartra_mock.client import KartraProtocolError, RateLimitExceeded
from kartra_mock.testing import KartraMock, MockError


@pytest.fixture
def mock() -> Iterator[KartraMock]:
    handle = KartraMock.in_process(rate_limit=0)
    yield handle
    handle.close()


def test_a_mock_used_with_with_is_closed_at_the_end() -> None:
    with KartraMock.in_process() as handle, handle.client() as kartra:
        kartra.create_lead(email="a@example.com")
    with pytest.raises(RuntimeError, match="closed"):
        handle.requests()


def test_fail_next_answers_the_kartra_error_once_and_changes_nothing(mock: KartraMock) -> None:
    mock.fail_next("245")
    with mock.client() as kartra:
        with pytest.raises(errors.LeadDeleted):
            kartra.create_lead(email="a@example.com")
        assert kartra.create_lead(email="a@example.com").id == "1"
    assert [entry["fault"] is not None for entry in mock.requests()] == [True, False]


def test_rate_limit_and_server_error_faults_reach_the_client(mock: KartraMock) -> None:
    mock.rate_limit_next(times=5)
    slept: list[float] = []
    with mock.client(sleep=slept.append, max_retries=2) as kartra:
        with pytest.raises(RateLimitExceeded):
            kartra.retrieve_account_tags()
        assert slept == [1.0, 1.0]
        mock.clear_faults()
        mock.server_error_next(502)
        with pytest.raises(KartraProtocolError) as caught:
            kartra.retrieve_account_tags()
        assert caught.value.status_code == 502


def test_drop_and_slow_faults(mock: KartraMock) -> None:
    mock.drop_next()
    mock.slow_next(1)
    assert [f["kind"] for f in mock.faults()] == ["drop", "latency"]
    with mock.client() as kartra:
        with pytest.raises(httpx.RemoteProtocolError):
            kartra.retrieve_account_tags()
        assert kartra.retrieve_account_tags() == ("Customer",)
    assert mock.faults() == []


def test_faults_are_scoped_to_the_handles_account(mock: KartraMock) -> None:
    mock.fail_next("243")
    with mock.client(api_key="someone-else") as other:
        assert other.retrieve_account_tags() == ("Customer",)
    assert len(mock.faults()) == 1


def test_seeding_helpers_write_the_state_document(mock: KartraMock) -> None:
    mock.add_tags("VIP", "VIP")
    mock.add_lists("Buyers")
    mock.add_custom_field("size", "radio_button", {7: "S", 8: "M"})
    first = mock.add_lead("a@example.com", first_name="A", custom_fields={"size": 8})
    second = mock.add_lead("b@example.com", api_key="other")
    account = mock.state()["accounts"][0]
    assert account["tags"] == ["Customer", "VIP"]
    assert account["lists"] == ["Newsletter", "Buyers"]
    assert (first, second) == (1, 1)
    with mock.client() as kartra:
        assert kartra.create_lead(email="c@example.com").id == "2"
        assert kartra.get_lead(id=first).custom_fields["size"].option_ids == ("8",)


def test_control_plane_refusals_raise_a_clear_error(mock: KartraMock) -> None:
    with pytest.raises(MockError, match="HTTP 404"):
        mock.delete_lead(99)
    with pytest.raises(MockError, match="HTTP 422"):
        mock.load_state({"accounts": "nope"})


def test_intercept_routes_calls_to_kartra_into_the_mock(mock: KartraMock) -> None:
    data = {
        "app_id": "demo-app",
        "api_key": "demo-key",
        "api_password": "demo-password",
        "lead[email]": "ada@example.com",
        "actions[0][cmd]": "create_lead",
    }
    with mock.intercept():
        answer = httpx.post("https://app.kartra.com/api", data=data).json()
    assert answer["status"] == "Success"
    assert [entry["commands"] for entry in mock.requests()] == [["create_lead"]]


def test_only_an_in_process_mock_intercepts() -> None:
    with pytest.raises(MockError, match="in-process"):
        KartraMock.remote("http://127.0.0.1:1").intercept()


def test_app_is_the_same_starlette_app_whenever_asked() -> None:
    from starlette.applications import Starlette

    with KartraMock.in_process() as handle:
        assert handle.add_lead("ada@example.com") == 1  # seeding needs no app
        assert handle.warnings() == []  # nor does reading the warnings
        app = handle.app
        assert isinstance(app, Starlette)
        assert handle.app is app
        assert handle.state()["accounts"][0]["leads"][0]["email"] == "ada@example.com"
