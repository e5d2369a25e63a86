"""Tests a CI job runs against kartra-mock serving in the background (kartra.yml)."""

import os
from collections.abc import Iterator

import httpx
import pytest

from kartra_mock.testing import KartraMock

MOCK_URL = os.environ["KARTRA_MOCK_URL"]


@pytest.fixture
def kartra() -> Iterator[KartraMock]:
    """The running mock, reset for each test; a test fails if its calls broke a contract rule."""
    with KartraMock.remote(MOCK_URL) as mock:
        mock.reset()
        yield mock
        assert mock.warnings() == [], "calls that break Kartra's documented contract"


def create_lead(api_url: str, email: str) -> dict[str, object]:
    """The code under test would post like this (Kartra's demo credentials of the mock)."""
    credentials = {"app_id": "demo-app", "api_key": "demo-key", "api_password": "demo-password"}
    body = {**credentials, "lead[email]": email, "actions[0][cmd]": "create_lead"}
    answer: dict[str, object] = httpx.post(api_url, data=body).json()
    return answer


def test_a_new_lead_is_created(kartra: KartraMock) -> None:
    answer = create_lead(kartra.api_url, "ada@example.com")
    assert answer["status"] == "Success"
    assert [entry["commands"] for entry in kartra.requests()] == [["create_lead"]]


def test_the_same_email_twice_is_kartras_type_244(kartra: KartraMock) -> None:
    create_lead(kartra.api_url, "ada@example.com")
    answer = create_lead(kartra.api_url, "ADA@example.com")
    assert answer == {"status": "Error", "message": "Lead already exists", "type": "244"}
