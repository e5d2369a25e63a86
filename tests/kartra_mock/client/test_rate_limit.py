"""Rate limit: wait a second and retry on 429, bounded; the optional throttle
(docs/behaviour.md#rate-limit).

Mock and client share a fake clock: the client's sleep moves it, so nothing really waits.
"""

from __future__ import annotations

import pytest

from kartra_mock import errors
from kartra_mock.client import RateLimitExceeded, ThrottleRegistry
from tests.kartra_mock.client import Connector, settle

pytestmark = pytest.mark.anyio


async def test_a_429_waits_one_second_and_retries(kartra: Connector) -> None:
    target = kartra.target("limit-1")
    client = kartra.client("limit-1")
    assert await settle(client.retrieve_account_tags()) == ("Customer",)
    assert (await settle(client.create_lead(email="ada@example.com"))).id == "1"
    assert target.time.slept == [1.0]
    assert [entry.status_code for entry in target.backend.journal()] == [200, 429, 200]


async def test_retries_are_bounded_and_then_raise(kartra: Connector) -> None:
    target = kartra.target("limit-1")
    client = kartra.client("limit-1")
    await settle(client.retrieve_account_tags())
    target.time.frozen = True  # the window never moves: every retry is refused
    with pytest.raises(RateLimitExceeded) as caught:
        await settle(client.create_lead(email="ada@example.com"))
    error = caught.value
    assert (error.status_code, error.attempts) == (429, 4)
    assert "Too many requests" in error.body_excerpt
    assert isinstance(error.__cause__, errors.TooManyRequests)
    assert target.time.slept == [1.0, 1.0, 1.0]
    assert target.backend.state()["accounts"][0]["leads"] == []  # type: ignore[index]


async def test_max_retries_and_retry_delay_are_configurable(kartra: Connector) -> None:
    target = kartra.target("limit-1")
    client = kartra.client("limit-1", max_retries=0)
    await settle(client.retrieve_account_tags())
    with pytest.raises(RateLimitExceeded) as caught:
        await settle(client.retrieve_account_tags())
    assert caught.value.attempts == 1
    assert target.time.slept == []
    patient = kartra.client("limit-1", retry_delay=2.5)
    await settle(patient.retrieve_account_tags())
    assert target.time.slept == [2.5]


async def test_the_throttle_keeps_under_kartras_limit(kartra: Connector) -> None:
    target = kartra.target("limit-20")
    client = kartra.client("limit-20", throttle=ThrottleRegistry())
    for _ in range(45):
        await settle(client.retrieve_account_lists())
    # Calls 21 and 41 waited for a free slot: a window (and the margin) after call 1's answer.
    assert target.time.slept == [pytest.approx(1.005)] * 2
    assert {entry.status_code for entry in target.backend.journal()} == {200}


async def test_the_throttle_is_shared_by_every_client_of_an_app(kartra: Connector) -> None:
    target = kartra.target("limit-20")
    registry = ThrottleRegistry()
    first = kartra.client("limit-20", throttle=registry)
    second = kartra.client("limit-20", throttle=registry)
    other_app = kartra.client("limit-20", throttle=registry, app_id="other-app")
    for _ in range(20):
        await settle(first.retrieve_account_tags())
    await settle(other_app.retrieve_account_tags())
    assert target.time.slept == []
    await settle(second.retrieve_account_tags())
    assert target.time.slept == [pytest.approx(1.005)]
    assert {entry.status_code for entry in target.backend.journal()} == {200}


async def test_without_the_throttle_kartras_limit_answers_429(kartra: Connector) -> None:
    target = kartra.target("limit-20")
    client = kartra.client("limit-20")
    for _ in range(21):
        await settle(client.retrieve_account_tags())
    assert target.time.slept == [1.0]  # the 21st was refused once, then retried
    assert [entry.status_code for entry in target.backend.journal()].count(429) == 1
